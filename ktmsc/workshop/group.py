"""The group as one ordinary assessment: per item, the answer closest to the group's median."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ktmsc.i18n import Lang
from ktmsc.labels import NO_VALUE, fmt_number
from ktmsc.model.answers import item_states
from ktmsc.model.assessment import Assessment, AssessmentProfile, GroupOrigin, GroupSpread, now
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.schema import DONT_KNOW, GENERAL, NOT_APPLICABLE, Item
from ktmsc.texts import t
from ktmsc.workshop.aggregate import aggregate_with_numbers
from ktmsc.workshop.model import GroupResult, ItemStats, Participant


def _closest(candidates: Sequence[tuple[Any, float]], target: float) -> Any:
    """The candidate whose score is closest to ``target``; ties go to the weaker one, then the first."""
    # Rounded so that float noise (0.525 − 0.35 vs 0.7 − 0.525) does not break a real tie.
    best = min(range(len(candidates)), key=lambda i: (round(abs(candidates[i][1] - target), 9), candidates[i][1], i))
    return candidates[best][0]


def _multi_answer(item: Item, stats: ItemStats) -> list[str]:
    """Options ticked by at least half of those who answered.

    * An exclusive option ("none") competes only when it also reaches half (an exact
      half split); then the answer closer to the median score wins, ties to the weaker.
    * When no option reaches half, the most ticked options are added one by one, in
      order of how often they were ticked, as long as each brings the answer's score
      closer to the median; if none does, the weakest answer ("none").
    """
    counts = {o.id: o.count for o in stats.options}
    n = stats.answered
    median = stats.score_median
    plain = [o for o in item.options if not o.exclusive]
    exclusive = [o for o in item.options if o.exclusive]
    half = [o for o in plain if 2 * counts[o.id] >= n]
    half_exclusive = sorted((o for o in exclusive if 2 * counts[o.id] >= n), key=lambda o: -counts[o.id])
    if half:
        chosen = ([o.id for o in half], min(1.0, sum(o.score for o in half)))
        if half_exclusive:
            return _closest([(chosen[0], chosen[1]), ([half_exclusive[0].id], half_exclusive[0].score)], median)
        return chosen[0]
    if half_exclusive:
        return [half_exclusive[0].id]
    picked: list[Any] = []
    total = 0.0
    for option in sorted(plain, key=lambda o: -counts[o.id]):  # stable: option order on ties
        if counts[option.id] == 0:
            break
        candidate = min(1.0, total + option.score)
        if round(abs(candidate - median), 9) < round(abs(total - median), 9):
            picked.append(option)
            total = candidate
    if picked:
        return [o.id for o in sorted(picked, key=item.options.index)]
    if exclusive:
        return [min(exclusive, key=lambda o: o.score).id]
    return [min(plain, key=lambda o: o.score).id]


def _median_answer(item: Item, stats: ItemStats, values: list[float]) -> Any:
    if item.type == "single":
        return _closest([(o.id, o.score) for o in item.options], stats.score_median)
    if item.type == "multi":
        return _multi_answer(item, stats)
    value = statistics.median(values)
    return int(value) if float(value).is_integer() else value


def _profile(profile: AssessmentProfile | Mapping[str, Any] | None, perspective: str) -> AssessmentProfile:
    if profile is None:
        data: dict[str, Any] = {}
    elif isinstance(profile, AssessmentProfile):
        data = profile.model_dump()
    else:
        data = dict(profile)
    return AssessmentProfile.model_validate({**data, "perspective": perspective})


def group_assessment(
    questionnaire: Questionnaire,
    participants: Sequence[Participant],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    profile: AssessmentProfile | Mapping[str, Any] | None = None,
    *,
    lang: Lang = "de",
    title: str = "",
) -> Assessment:
    """The group as one ordinary assessment (results page, report, export).

    Per item, among the participants it was shown to:

    * nobody answered and nobody said "don't know" → no answer (unanswered);
    * more "don't know" than answers → "dont_know" (the group does not know; a tie
      goes to the answer, which carries information);
    * more "not our task" than answers and "don't know" together → "not_applicable";
    * otherwise the answer closest to the median of the answers' item scores:
      single → the option whose score is closest to the median (ties: the weaker);
      multi → the options ticked by at least half (see :func:`_multi_answer`);
      number → the median value.

    Answers to follow-ups that the group's own answers hide are dropped, so the
    result reads like one consistent questionnaire. Each item's note (in ``lang``)
    says how many answered, said "don't know" and were asked, and the disagreement.
    The profile's population is used for per-inhabitant numbers; its perspective is
    set to ``perspective``. The assessment's ``group`` keeps what its answers cannot show:
    of how many participants it is the median (``title``: the workshop's), and per domain
    the group's middle half and agreement.
    """
    profile_ = _profile(profile, perspective)
    population, body_kind = profile_.population, profile_.body_kind
    group, numbers = aggregate_with_numbers(
        questionnaire, participants, domains, perspective, population, True, body_kind
    )
    answers: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for item_id, stats in group.items.items():
        if stats.asked == 0:
            continue
        item = questionnaire.items[item_id]
        notes[item_id] = t(
            "workshop.assessment.note",
            lang,
            answered=fmt_number(stats.answered, lang),
            dont_know=fmt_number(stats.dont_know, lang),
            asked=fmt_number(stats.asked, lang),
            disagreement=NO_VALUE if stats.disagreement is None else fmt_number(stats.disagreement, lang),
        )
        if stats.answered == 0 and stats.dont_know == 0 and stats.not_applicable == 0:
            continue
        if stats.not_applicable > stats.answered + stats.dont_know:
            answers[item_id] = NOT_APPLICABLE
        elif stats.dont_know > stats.answered:
            answers[item_id] = DONT_KNOW
        else:
            answers[item_id] = _median_answer(item, stats, numbers.get(item_id, []))
    states = item_states(questionnaire, answers, (GENERAL, *group.domains), perspective, population, body_kind)
    answers = {k: v for k, v in answers.items() if states[k].visible}
    stamp = now()
    return Assessment(
        group=_origin(group, len(participants), title),
        questionnaire_version=questionnaire.version,
        profile=profile_,
        domains=list(group.domains),
        answers=answers,
        notes=notes,
        created_at=stamp,
        updated_at=stamp,
    )


def _origin(group: GroupResult, participants: int, title: str) -> GroupOrigin:
    return GroupOrigin(
        title=title,
        participants=max(participants, 1),
        domains={
            domain_id: GroupSpread(
                placed=domain.count,
                middle_half={dim: (s.q1, s.q3) for dim, s in domain.spread.items()},
                in_group_type=domain.type_count,
                agrees=domain.agrees,
                one_type=domain.stable,
            )
            for domain_id, domain in group.by_domain.items()
            if domain.count
        },
    )
