"""The aggregation: every participant's slim score, tallied into positions, item distributions and the agenda."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.scoring import Position
from ktmsc.workshop.matrix import STATES, Layout, layout, stack
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
)
from ktmsc.workshop.scores import Scored, score_participants
from ktmsc.workshop.stats import disagreement, quantile, spread_of


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
        point = entry.point(domain_id, participant, number)
        if point is None:
            without.append(participant.id)
        else:
            points.append(point)
    if not points:
        return GroupDomain(domain_id, (), tuple(without), None, {}, None, 0, False, False, ())
    xs, ys = sorted(p.x for p in points), sorted(p.y for p in points)
    spread = {x_id: spread_of(xs), y_id: spread_of(ys)}
    median = Position(quantile(xs, 0.5), quantile(ys, 0.5))
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


def _tally_items(
    lay: Layout, participants: Sequence[Participant], scored: Sequence[Scored]
) -> tuple[dict[str, ItemStats], dict[str, list[float]]]:
    """Down the columns of the participants × items matrix: item statistics and the raw
    values of number items (for the group answer), in the participants' order."""
    matrix = stack(lay, [s.row for s in scored])
    answered, dont_know, hidden, not_ours, unanswered = (matrix.per_state(code) for code in range(STATES))
    counts = matrix.option_counts()
    ordered = matrix.sorted_scores()
    stats: dict[str, ItemStats] = {}
    numbers: dict[str, list[float]] = {}
    for index, (section_id, item) in enumerate(lay.items):
        scores = ordered[: answered[index], index].tolist()  # the answers' item scores, ascending
        stats[item.id] = ItemStats(
            item_id=item.id,
            section=section_id,
            order=index,
            asked=answered[index] + dont_know[index] + unanswered[index] + not_ours[index],
            answered=answered[index],
            dont_know=dont_know[index],
            unanswered=unanswered[index],
            hidden=hidden[index],
            options=tuple(
                OptionCount(o, c)
                for o, c in zip(lay.options[index], counts[lay.offsets[index] : lay.offsets[index + 1]], strict=True)
            ),
            score_median=quantile(scores, 0.5) if scores else None,
            disagreement=disagreement(scores, item.min_score, item.max_score),
            not_applicable=not_ours[index],
        )
        if item.type == "number":
            numbers[item.id] = [participants[i].answers.get(item.id) for i in matrix.answered_by(index)]
    return stats, numbers


def _impacts(questionnaire: Questionnaire, domains: tuple[str, ...], perspective: str) -> dict[str, tuple[Impact, ...]]:
    """Per item: the domain × dimension scores it enters, with the points it can move them."""
    found: dict[str, list[Impact]] = {}
    for domain_id in domains:
        for dim in questionnaire.dimension_ids:
            weighted = questionnaire.weighted_items(domain_id, dim, perspective)
            # Against the whole model, as the scores are: the outside view is not re-weighted.
            total = sum(w for _, w in questionnaire.weighted_items(domain_id, dim))
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
    lay = layout(questionnaire, chosen, perspective)
    scored = score_participants(questionnaire, participants, lay, chosen, perspective, where, reuse_scores)
    stats, numbers = _tally_items(lay, participants, scored)
    statuses = tuple(
        ParticipantStatus(p, n, s.row.progress) for n, (p, s) in enumerate(zip(participants, scored, strict=True), 1)
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
