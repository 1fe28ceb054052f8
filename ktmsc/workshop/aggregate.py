"""The aggregation: every participant's slim score, tallied into positions, item distributions and the agenda."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from ktmsc.model.answers import ItemState, State, number_band
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Municipality, Questionnaire
from ktmsc.model.schema import GENERAL, Item
from ktmsc.scoring import Position
from ktmsc.workshop.model import (
    AgendaEntry,
    GroupDomain,
    GroupResult,
    Impact,
    ItemStats,
    OptionCount,
    Participant,
    ParticipantPoint,
    ParticipantStatus,
    Progress,
)
from ktmsc.workshop.scores import Scored, score_participant
from ktmsc.workshop.stats import disagreement, quantile, spread_of

# The states the tally tells apart; module constants so the hot loop reads no attributes.
_ANSWERED, _DONT_KNOW, _UNANSWERED, _NOT_OURS = State.ANSWERED, State.DONT_KNOW, State.UNANSWERED, State.NOT_APPLICABLE
_HIDDEN = (State.HIDDEN, State.PENDING)


def chosen_domains(questionnaire: Questionnaire, domains: Iterable[str]) -> tuple[str, ...]:
    """The domains in the model's order; an unknown domain raises ``ValueError``."""
    wanted = list(domains)
    unknown = [d for d in wanted if d not in questionnaire.domain_ids]
    if unknown:
        raise ValueError(
            f"unknown domains: {', '.join(map(str, unknown))}; expected some of {', '.join(questionnaire.domain_ids)}"
        )
    return tuple(questionnaire.ordered_domains(wanted))


def _check_ids(participants: Sequence[Participant]) -> None:
    seen: set[str] = set()
    for participant in participants:
        if participant.id in seen:
            raise ValueError(f"participant id {participant.id!r} is used twice; ids must be unique in a workshop")
        seen.add(participant.id)


def _group_domain(
    questionnaire: Questionnaire,
    domain_id: str,
    participants: Sequence[Participant],
    scored: Sequence[Scored],
) -> GroupDomain:
    x_id, y_id = questionnaire.dimension_ids
    points: list[ParticipantPoint] = []
    without: list[str] = []
    for number, (participant, entry) in enumerate(zip(participants, scored, strict=True), start=1):
        placement = entry.positions.get(domain_id)
        if placement is None:
            without.append(participant.id)
            continue
        points.append(
            ParticipantPoint(
                participant.id,
                number,
                participant.name,
                placement.x,
                placement.y,
                (placement.x_min, placement.x_max),
                (placement.y_min, placement.y_max),
                placement.coverage,
                placement.type_id,
                placement.stable,
            )
        )
    if not points:
        return GroupDomain(domain_id, (), tuple(without), None, {}, None, 0, False, False, ())
    spread = {x_id: spread_of([p.x for p in points]), y_id: spread_of([p.y for p in points])}
    median = Position(quantile(sorted(p.x for p in points), 0.5), quantile(sorted(p.y for p in points), 0.5))
    type_id = questionnaire.classify({x_id: median.x, y_id: median.y}).id
    type_count = sum(1 for p in points if p.type_id == type_id)
    possible = questionnaire.types_within((spread[x_id].q1, spread[x_id].q3), (spread[y_id].q1, spread[y_id].q3))
    agrees = type_count / len(points) >= questionnaire.model.scoring.agreement_share
    return GroupDomain(
        domain_id,
        tuple(points),
        tuple(without),
        median,
        spread,
        type_id,
        type_count,
        agrees,
        len(possible) == 1,
        possible,
    )


# --- the item tally: the hot path of the dashboard (items × participants, every few seconds) ---


class _ItemTally(NamedTuple):
    """One item tallied over all participants.

    Who did not answer is listed by index, not counted per participant: in a running
    workshop few have not, so the progress sums touch only them.
    """

    stats: ItemStats
    values: list[Any]  # the answers given, in the participants' order
    hidden: list[int]  # participants (by index) to whom a condition hid the item
    dont_know: list[int]
    unanswered: list[int]  # unanswered, or an answer this version cannot read
    not_applicable: int  # "not our task": an answer, but no score


def _option_ids(item: Item) -> list[str]:
    """The ids the item's counts are reported by: its options, or for number items its bands "0", "1" …"""
    if item.type == "number":
        return [str(i) for i in range(len(item.bands))]
    return [o.id for o in item.options]


def _option_counts(item: Item, option_ids: list[str], values: list[Any], where: Municipality) -> list[int]:
    """Per option, how many chose it (multi: ticked it; number: answered within its band)."""
    counts = [0] * len(option_ids)
    index = {option_id: i for i, option_id in enumerate(option_ids)}
    if item.type == "single":
        for value in values:
            counts[index[value]] += 1
    elif item.type == "multi":
        for value in values:
            for option_id in set(value):
                counts[index[option_id]] += 1
    else:
        for value in values:
            counts[number_band(item, value, where)] += 1
    return counts


def _tally_item(
    item: Item,
    section_id: str,
    order: int,
    answers: Sequence[Mapping[str, Any]],
    states: Sequence[Mapping[str, ItemState]],
    where: Municipality,
) -> _ItemTally:
    """One item over all participants: its statistics, the answers given and who did not give one."""
    item_id = item.id
    scores: list[float] = []
    values: list[Any] = []
    hidden: list[int] = []
    dont_know: list[int] = []
    unanswered: list[int] = []
    not_ours = 0
    for i, participant_states in enumerate(states):
        state = participant_states.get(item_id)
        kind = state.state if state is not None else _UNANSWERED
        if kind is _ANSWERED:
            scores.append(state.score)
            values.append(answers[i].get(item_id))
        elif kind is _DONT_KNOW:
            dont_know.append(i)
        elif kind in _HIDDEN:
            hidden.append(i)
        elif kind is _NOT_OURS:
            not_ours += 1
        else:  # unanswered, or an answer this version cannot read
            unanswered.append(i)
    option_ids = _option_ids(item)
    counts = _option_counts(item, option_ids, values, where)
    scores.sort()
    stats = ItemStats(
        item_id=item_id,
        section=section_id,
        order=order,
        asked=len(scores) + len(dont_know) + len(unanswered) + not_ours,
        answered=len(scores),
        dont_know=len(dont_know),
        unanswered=len(unanswered),
        hidden=len(hidden),
        options=tuple(OptionCount(o, c) for o, c in zip(option_ids, counts, strict=True)),
        score_median=quantile(scores, 0.5) if scores else None,
        disagreement=disagreement(scores, item.min_score, item.max_score),
        not_applicable=not_ours,
    )
    return _ItemTally(stats, values, hidden, dont_know, unanswered, not_ours)


def _progress(items: int, hidden_by: list[int], dont_know_by: list[int], unanswered_by: list[int]) -> list[Progress]:
    """Every participant's progress from the number of items and how many were hidden,
    "don't know" or unanswered for them: asked = not hidden, answered = asked but not unanswered."""
    progress = []
    for hidden, dont_know, unanswered in zip(hidden_by, dont_know_by, unanswered_by, strict=True):
        asked = items - hidden
        progress.append(Progress(answered=asked - unanswered, dont_know=dont_know, asked=asked))
    return progress


def _tally_items(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    scored: Sequence[Scored],
    domains: tuple[str, ...],
    perspective: str,
    where: Municipality,
) -> tuple[dict[str, ItemStats], dict[str, list[float]], list[Progress]]:
    """One pass over items × participants: item statistics, the raw values of number
    items (for the group answer) and every participant's progress."""
    answers = [p.answers for p in participants]
    states = [s.states for s in scored]
    items = [
        (section_id, item)
        for section_id in (GENERAL, *domains)
        for item in questionnaire.items_for(section_id, perspective)
    ]
    stats: dict[str, ItemStats] = {}
    numbers: dict[str, list[float]] = {}
    n = len(participants)
    hidden_by, dont_know_by, unanswered_by = [0] * n, [0] * n, [0] * n
    for order, (section_id, item) in enumerate(items):
        tally = _tally_item(item, section_id, order, answers, states, where)
        stats[item.id] = tally.stats
        if item.type == "number":
            numbers[item.id] = tally.values
        for i in tally.hidden:
            hidden_by[i] += 1
        for i in tally.dont_know:
            dont_know_by[i] += 1
        for i in tally.unanswered:
            unanswered_by[i] += 1
    return stats, numbers, _progress(len(items), hidden_by, dont_know_by, unanswered_by)


def _impacts(questionnaire: Questionnaire, domains: tuple[str, ...], perspective: str) -> dict[str, tuple[Impact, ...]]:
    """Per item: the domain × dimension scores it enters, with the points it can move them."""
    found: dict[str, list[Impact]] = {}
    for domain_id in domains:
        for dim in questionnaire.dimension_ids:
            weighted = questionnaire.weighted_items(domain_id, dim, perspective)
            total = sum(w for _, w in weighted)
            if total <= 0:
                continue
            for item, w in weighted:
                found.setdefault(item.id, []).append(Impact(domain_id, dim, 100 * w / total))
    # Stable sort: ties keep the model's domain order, then the axis order.
    return {item_id: tuple(sorted(impacts, key=lambda i: -i.points)) for item_id, impacts in found.items()}


def _agenda(stats: Mapping[str, ItemStats], impacts: Mapping[str, tuple[Impact, ...]]) -> tuple[AgendaEntry, ...]:
    ranked = sorted(
        (s for s in stats.values() if s.disagreement is not None),
        # Rounded so that float noise in the last digit does not decide a tie.
        key=lambda s: (-round(s.disagreement, 9), -s.answered, s.order),
    )
    return tuple(
        AgendaEntry(
            rank=rank,
            item_id=s.item_id,
            section=s.section,
            disagreement=s.disagreement,
            answered=s.answered,
            dont_know_share=s.dont_know_share,
            score_median=s.score_median,
            impacts=impacts.get(s.item_id, ()),
        )
        for rank, s in enumerate(ranked, start=1)
    )


def aggregate_with_numbers(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str,
    population: int | None,
    reuse_scores: bool,
    body_kind: str | None = None,
) -> tuple[GroupResult, dict[str, list[float]]]:
    """:func:`aggregate`, and the answers to the number items (for the group's answer)."""
    participants = list(participants)
    _check_ids(participants)
    chosen = chosen_domains(questionnaire, domains)
    where = questionnaire.municipality(population, body_kind)
    scored = [
        score_participant(questionnaire, p.answers, chosen, perspective, where, reuse_scores) for p in participants
    ]
    stats, numbers, progress = _tally_items(questionnaire, participants, scored, chosen, perspective, where)
    statuses = tuple(
        ParticipantStatus(p, n, pr) for n, (p, pr) in enumerate(zip(participants, progress, strict=True), start=1)
    )
    by_domain = {d: _group_domain(questionnaire, d, participants, scored) for d in chosen}
    agenda = _agenda(stats, _impacts(questionnaire, chosen, perspective))
    group = GroupResult(
        questionnaire_version=questionnaire.version,
        domains=chosen,
        perspective=perspective,
        population=population,
        agreement_share=questionnaire.model.scoring.agreement_share,
        participants=statuses,
        by_domain=by_domain,
        items=stats,
        agenda=agenda,
    )
    return group, numbers


def aggregate(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    population: int | None = None,
    *,
    body_kind: str | None = None,
    reuse_scores: bool = True,
) -> GroupResult:
    """The group's positions, spread, types, agreement, item distributions and agenda.

    ``domains`` are reordered into the model's order; an unknown domain or a participant
    id used twice raises ``ValueError``. ``reuse_scores=False`` bypasses the score
    cache (for measurements; the result is the same). ``population`` and ``body_kind`` are
    the workshop's municipality's (size-relative bands, "not our task").
    """
    return aggregate_with_numbers(
        questionnaire, participants, domains, perspective, population, reuse_scores, body_kind
    )[0]
