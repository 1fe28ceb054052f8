"""Scoring: from answers to a position on both dimensions, per domain.

The rules are written once, in ``docs/SCORING.md``; this module implements them. In
short: per domain and dimension, score = 100 · Σ w·s / Σ w over the known items (general
items re-weighted to the dimension's ``general_share``), coverage = known weight / total weight, the
interval [min, max] puts every unknown item at its weakest and its best answer, and the
type is *stable* when the whole interval lies in one quadrant. Levers are the answered
items with the most points to gain. Every perspective is measured against the whole model:
the items the citizens' view is not asked are unknown to it, never left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ktmsc.model.answers import ItemState, State, best_answer, item_states, number_band, weakest_answer
from ktmsc.model.assessment import Assessment, GroupSpread
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Municipality, Questionnaire
from ktmsc.model.schema import GENERAL, Item

# How many levers per dimension the results page, the report and the CLI show.
LEVERS_PER_DIMENSION = 3
# Below this coverage the screen and the report warn that a domain's position rests on few answers.
LOW_COVERAGE = 0.5


@dataclass(frozen=True)
class Position:
    """A point on the quadrant (a domain's score pair, an earlier assessment, a group median ...)."""

    x: float
    y: float


@dataclass(frozen=True)
class Contribution:
    """How one item entered one dimension score."""

    item_id: str
    state: State
    weight: float  # effective weight, general items re-weighted; 0 when left out (hidden, not our task)
    item_score: float | None
    points: float  # points of the dimension score this item contributes (0 unless answered)


@dataclass(frozen=True)
class Lever:
    item_id: str
    dimension: str
    item_score: float
    gain: float  # points if the item reached its best answer
    next_option: str | None  # the next stronger answer (option id, or band index for numbers)
    next_gain: float  # points for that next step


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    score: float | None
    min: float
    max: float
    coverage: float
    known_weight: float
    total_weight: float
    contributions: tuple[Contribution, ...]  # the items this perspective is asked
    levers: tuple[Lever, ...]
    open_items: tuple[str, ...]  # unknown items asked, most weight first: what would narrow the interval
    unseen_weight: float = 0.0  # weight of the items this perspective is not asked (in the total, unknown)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round_or_none(self.score),
            "min": round_or_none(self.min),
            "max": round_or_none(self.max),
            "coverage": round(self.coverage, 3),
        }


@dataclass(frozen=True)
class DomainResult:
    domain: str
    dimensions: dict[str, DimensionResult]
    coverage: float
    type_id: str | None
    stable: bool
    possible_types: tuple[str, ...]  # every type the interval reaches
    group: GroupSpread | None = None  # a group result: how far its participants were apart

    @property
    def group_disagrees(self) -> bool:
        """A group result whose participants did not agree on the type: its median answers
        alone would call it stable."""
        return self.group is not None and not self.group.agrees

    def levers(self, limit: int = LEVERS_PER_DIMENSION) -> list[Lever]:
        """The strongest levers of both dimensions, ``limit`` per dimension."""
        return [lever for dim in self.dimensions.values() for lever in dim.levers[:limit]]


@dataclass(frozen=True)
class Result:
    domains: dict[str, DomainResult]
    states: dict[str, ItemState]
    perspective: str
    ignored_answers: tuple[str, ...]  # answers to items this questionnaire no longer has

    def to_json(self, limit: int = LEVERS_PER_DIMENSION) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for domain_id, domain in self.domains.items():
            entry: dict[str, Any] = {dim: d.as_dict() for dim, d in domain.dimensions.items()}
            entry.update(
                coverage=round(domain.coverage, 3),
                type=domain.type_id,
                stable=domain.stable,
                possible_types=list(domain.possible_types),
                levers=[
                    {
                        "item": lever.item_id,
                        "dimension": lever.dimension,
                        "gain": round(lever.gain, 1),
                        "next_option": lever.next_option,
                        "next_gain": round(lever.next_gain, 1),
                    }
                    for lever in domain.levers(limit)
                ],
            )
            out[domain_id] = entry
        return out


def round_or_none(value: float | None, digits: int = 1) -> float | None:
    """Rounded for JSON output; None (no score) stays None."""
    return None if value is None else round(value, digits)


# --- domain level --------------------------------------------------------------------------


def _next_step(item: Item, value: Any, current: float, where: Municipality) -> tuple[str | None, float]:
    """The next stronger answer and its item score."""
    if item.type == "single":
        stronger = [o for o in item.options if o.score > current]
        if not stronger:
            return None, current
        best = min(stronger, key=lambda o: o.score)
        return best.id, best.score
    if item.type == "multi":
        chosen = set(value) if isinstance(value, list) else set()
        missing = [o for o in item.options if not o.exclusive and o.id not in chosen and o.score > 0]
        if not missing:
            return None, current
        best = max(missing, key=lambda o: o.score)
        base = 0.0 if any(item.option(v) and item.option(v).exclusive for v in chosen) else current
        return best.id, min(1.0, base + best.score)
    bands = item.bands_for(where.size_type)
    index = number_band(item, value, where)
    for next_index in range((index or 0) + 1, len(bands)):
        if bands[next_index].score > current:
            return str(next_index), bands[next_index].score
    return None, current


def _score_dimension(
    questionnaire: Questionnaire,
    domain: str,
    dimension: str,
    states: Mapping[str, ItemState],
    answers: Mapping[str, Any],
    where: Municipality,
    detail: bool,
    unseen: Mapping[str, ItemState],
) -> DimensionResult:
    # The whole model's items and weights, whatever the perspective: what it is not asked is unknown.
    weighted = questionnaire.weighted_items(domain, dimension)
    # One pass over the items: this runs for every domain, dimension and assessment.
    rows = [(item, weight, states[item.id]) for item, weight in weighted if item.id in states]
    known = unknown = points = unseen_weight = 0.0
    for _item, weight, state in rows:
        if state.state is State.ANSWERED:
            known += weight
            points += weight * state.score
        elif not state.state.excluded:
            unknown += weight
    if unseen:
        for item, weight in weighted:
            state = unseen.get(item.id)
            if state is not None and not state.state.excluded:
                unseen_weight += weight
        unknown += unseen_weight
    total = known + unknown
    score = min(100.0, 100 * points / known) if known > 0 else None
    lowest = 100 * points / total if total > 0 else 0.0
    highest = min(100.0, 100 * (points + unknown) / total) if total > 0 else 100.0
    if score is not None:  # guard the order against rounding in the last digit
        lowest, highest = min(lowest, score), max(highest, score)
    coverage = known / total if total > 0 else 0.0
    if not detail:
        return DimensionResult(dimension, score, lowest, highest, coverage, known, total, (), (), (), unseen_weight)
    per_point = 100 / known if known > 0 else 0.0
    contributions = tuple(
        Contribution(
            item_id=item.id,
            state=state.state,
            weight=0.0 if state.state.excluded else weight,
            item_score=state.score,
            points=weight * state.score * per_point if state.state is State.ANSWERED else 0.0,
        )
        for item, weight, state in rows
    )
    open_items = tuple(
        item.id
        for item, _weight, _state in sorted(
            (row for row in rows if not row[2].state.known and not row[2].state.excluded), key=lambda row: -row[1]
        )
    )
    return DimensionResult(
        dimension=dimension,
        score=score,
        min=lowest,
        max=highest,
        coverage=coverage,
        known_weight=known,
        total_weight=total,
        contributions=contributions,
        levers=_levers(dimension, rows, answers, per_point, where),
        open_items=open_items,
        unseen_weight=unseen_weight,
    )


def _levers(
    dimension: str, rows: list[tuple[Item, float, ItemState]], answers: Mapping[str, Any], per_point: float, where
) -> tuple[Lever, ...]:
    """Answered items below their best answer, most points to gain first."""
    levers = []
    for item, weight, state in rows:
        if state.state is not State.ANSWERED or state.score >= item.max_score:
            continue
        next_option, next_score = _next_step(item, answers.get(item.id), state.score, where)
        levers.append(
            Lever(
                item_id=item.id,
                dimension=dimension,
                item_score=state.score,
                gain=weight * (item.max_score - state.score) * per_point,
                next_option=next_option,
                next_gain=weight * (next_score - state.score) * per_point,
            )
        )
    levers.sort(key=lambda lever: -lever.gain)
    return tuple(levers)


def _classify(
    questionnaire: Questionnaire, dims: dict[str, DimensionResult]
) -> tuple[str | None, bool, tuple[str, ...]]:
    x, y = questionnaire.dimension_ids
    possible = questionnaire.types_within((dims[x].min, dims[x].max), (dims[y].min, dims[y].max))
    if dims[x].score is None or dims[y].score is None:
        return None, False, possible
    type_id = questionnaire.classify({x: dims[x].score, y: dims[y].score}).id
    return type_id, len(possible) == 1, possible


def score(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    domains: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    population: int | None = None,
    *,
    body_kind: str | None = None,
    detail: bool = True,
) -> Result:
    """Score ``answers`` (item id → option id | [option ids] | number | "dont_know" | "not_applicable").

    ``population`` and ``body_kind`` decide the size type (size-relative number bands) and
    where "not our task" is an answer. ``detail=False`` leaves out contributions, levers and
    open items: positions, intervals, coverage and types only, several times faster
    (workshop groups).
    """
    domains = questionnaire.ordered_domains(domains)
    where = questionnaire.municipality(population, body_kind)
    states = item_states(questionnaire, answers, [GENERAL, *domains], perspective, population, body_kind)
    unseen = unseen_states(questionnaire, answers, states, domains, population, body_kind)
    results: dict[str, DomainResult] = {}
    for domain in domains:
        dims = {
            dim: _score_dimension(questionnaire, domain, dim, states, answers, where, detail, unseen)
            for dim in questionnaire.dimension_ids
        }
        total = sum(d.total_weight for d in dims.values())
        coverage = sum(d.known_weight for d in dims.values()) / total if total else 0.0
        type_id, stable, possible = _classify(questionnaire, dims)
        results[domain] = DomainResult(domain, dims, coverage, type_id, stable, possible)
    ignored = tuple(sorted(k for k in answers if k not in questionnaire.items))
    return Result(results, states, perspective, ignored)


def unseen_states(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    asked: Mapping[str, ItemState],
    domains: Iterable[str],
    population: int | None = None,
    body_kind: str | None = None,
) -> dict[str, ItemState]:
    """The items of these sections a perspective is not asked, with their state as far as its
    answers decide it: unknown (unanswered or pending), or hidden where an asked gate rules the
    follow-up out. Empty for the administration's view, which is asked everything."""
    sections = [GENERAL, *domains]
    total = sum(len(questionnaire.items_for(s)) for s in sections)
    if len(asked) >= total:
        return {}
    own = {k: v for k, v in answers.items() if k in asked}
    whole = item_states(questionnaire, own, sections, PERSPECTIVE_ADMIN, population, body_kind)
    return {item_id: state for item_id, state in whole.items() if item_id not in asked}


def score_assessment(
    questionnaire: Questionnaire, assessment: Assessment, domains: Iterable[str] | None = None, *, detail: bool = True
) -> Result:
    """Score an assessment: its answers, domains (or the given ones), perspective and population.

    A group result's domains carry the group's spread and agreement (``DomainResult.group``)."""
    result = score(
        questionnaire,
        assessment.answers,
        assessment.domains if domains is None else domains,
        assessment.perspective,
        assessment.profile.population,
        body_kind=assessment.profile.body_kind,
        detail=detail,
    )
    if assessment.group is None:
        return result
    spreads = assessment.group.domains
    return replace(result, domains={d: replace(r, group=spreads.get(d)) for d, r in result.domains.items()})


def position(questionnaire: Questionnaire, domain: DomainResult) -> Position | None:
    """A domain's point, or None while a dimension has no score."""
    x_id, y_id = questionnaire.dimension_ids
    x, y = domain.dimensions[x_id].score, domain.dimensions[y_id].score
    return None if x is None or y is None else Position(x, y)


def extreme_answers(questionnaire: Questionnaire, quadrant: Mapping[str, str]) -> dict[str, Any]:
    """Answers for the extreme pattern of a quadrant.

    Items whose largest weight is on a ``high`` dimension get their best answer,
    all others their weakest (ties between the dimensions count as weakest
    unless both are ``high``).
    """
    answers: dict[str, Any] = {}
    dims = questionnaire.dimension_ids
    for item in questionnaire.items.values():
        # An item without weight leads on every dimension here: weakest unless all are high.
        leading = item.primary_dimensions(dims) or dims
        high = all(quadrant[d] == "high" for d in leading)
        answers[item.id] = best_answer(item) if high else weakest_answer(item)
    return answers
