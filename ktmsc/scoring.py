"""Scoring: from answers to a position on both dimensions, per domain.

For each domain and dimension (DESIGN.md §5, refined):

* Every item asked in the general section or the domain has an item score
  s ∈ [0, 1] and a weight w on the dimension. General items are re-weighted so
  that, together, they carry ``general_share`` of the domain's total weight.
* score = 100 · Σ w·s / Σ w over the *known* items (answered, or hidden because
  an earlier answer rules them out, which counts as their weakest answer).
* "Don't know", unanswered items and follow-ups whose prerequisite is unknown
  are *unknown*: they lower coverage (known weight / total weight) and open the
  interval [min, max] (all unknowns at 0 … all unknowns at 1).
* The type comes from the point score and the model's thresholds; it is
  *stable* when the whole interval lies in one quadrant, *borderline* otherwise.
* Levers are the known items with room to improve, ranked by how many points
  the score would gain if the item reached its best answer.

Scores never leave [0, 100], min ≤ score ≤ max, and raising any answer never
lowers a score (conditions are checked to be monotone when content loads).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ktmsc.content.schema import DONT_KNOW, Item
from ktmsc.questionnaire import PERSPECTIVE_ADMIN, Questionnaire

MAX_LEVERS = 5
# Below this coverage the screen and the report warn that a domain's position rests on few answers.
LOW_COVERAGE = 0.5


class State(StrEnum):
    ANSWERED = "answered"
    IMPLIED = "implied"  # hidden: an earlier answer rules it out (counts as weakest answer)
    DONT_KNOW = "dont_know"
    UNANSWERED = "unanswered"
    PENDING = "pending"  # hidden: the earlier answer it depends on is unknown
    INVALID = "invalid"  # a stored answer this version of the item cannot read

    @property
    def known(self) -> bool:
        return self in _KNOWN


_KNOWN = frozenset({State.ANSWERED, State.IMPLIED})


@dataclass(frozen=True)
class ItemState:
    state: State
    score: float | None = None

    @property
    def visible(self) -> bool:
        return self.state not in (State.IMPLIED, State.PENDING)


@dataclass(frozen=True)
class Contribution:
    """How one item entered one dimension score."""

    item_id: str
    state: State
    weight: float  # effective weight, general items re-weighted
    item_score: float | None
    points: float  # points of the dimension score this item contributes


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
    contributions: tuple[Contribution, ...]
    levers: tuple[Lever, ...]
    open_items: tuple[str, ...]  # unknown items, most weight first: what would narrow the interval

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

    def levers(self, limit: int = MAX_LEVERS) -> list[Lever]:
        """The strongest levers of both dimensions, ``limit`` per dimension."""
        return [lever for dim in self.dimensions.values() for lever in dim.levers[:limit]]


@dataclass(frozen=True)
class Result:
    domains: dict[str, DomainResult]
    states: dict[str, ItemState]
    perspective: str
    ignored_answers: tuple[str, ...]  # answers to items this questionnaire no longer has

    def to_json(self, limit: int = MAX_LEVERS) -> dict[str, Any]:
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


# --- item level ---------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def answer_score(item: Item, value: Any, population: int | None = None) -> ItemState:
    """The state and score of one answer, ignoring conditions."""
    if value is None:
        return ItemState(State.UNANSWERED)
    if value == DONT_KNOW:
        return ItemState(State.DONT_KNOW)
    if item.type == "single":
        option = item.option(value) if isinstance(value, str) else None
        return ItemState(State.ANSWERED, option.score) if option else ItemState(State.INVALID)
    if item.type == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return ItemState(State.INVALID)
        if not value:
            return ItemState(State.UNANSWERED)
        options = [item.option(v) for v in value]
        if any(o is None for o in options):
            return ItemState(State.INVALID)
        exclusive = [o for o in options if o.exclusive]
        if exclusive and len(options) > 1:
            return ItemState(State.INVALID)
        return ItemState(State.ANSWERED, min(1.0, sum(o.score for o in options)))
    if not _is_number(value) or value < 0:
        return ItemState(State.INVALID)
    band = number_band(item, value, population)
    if band is None:
        return ItemState(State.DONT_KNOW)  # per-inhabitant item without a population
    return ItemState(State.ANSWERED, item.bands[band].score)


def number_band(item: Item, value: float, population: int | None) -> int | None:
    """The index of the band a number falls in (per inhabitants where the item says so)."""
    if item.per_inhabitants is not None:
        if not population:
            return None
        value = value / (population / item.per_inhabitants)
    for index, band in enumerate(item.bands):
        if band.up_to is None or value <= band.up_to:
            return index
    return len(item.bands) - 1


def _condition_holds(condition, gate: Item, value: Any, state: ItemState) -> bool | None:
    """True/False when the gate's answer decides it, None when the gate is unknown."""
    if state.state is State.IMPLIED:
        return False
    if state.state is not State.ANSWERED:
        return None
    if gate.type == "single":
        return value in condition.any_of
    if gate.type == "multi":
        return bool(set(value) & set(condition.any_of))
    return value >= condition.at_least


def item_states(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    sections: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    population: int | None = None,
) -> dict[str, ItemState]:
    """The state of every item asked in these sections, conditions applied, in order."""
    states: dict[str, ItemState] = {}
    for section_id in sections:
        for item in questionnaire.items_for(section_id, perspective):
            state = answer_score(item, answers.get(item.id), population)
            if item.show_if:
                decided = [
                    _condition_holds(
                        c,
                        questionnaire.items[c.item],
                        answers.get(c.item),
                        states.get(c.item, ItemState(State.PENDING)),
                    )
                    for c in item.show_if
                ]
                if False in decided:
                    state = ItemState(State.IMPLIED, item.min_score)
                elif None in decided:
                    state = ItemState(State.PENDING)
            states[item.id] = state
    return states


# --- weights ---------------------------------------------------------------------------


def effective_weights(
    questionnaire: Questionnaire, domain: str, dimension: str, perspective: str = PERSPECTIVE_ADMIN
) -> tuple[tuple[Item, float], ...]:
    """The items of a domain score with their weights, general items re-weighted.

    General items together carry ``general_share`` of the total weight, whatever
    the number of items on either side; cached per questionnaire.
    """
    key = ("weights", domain, dimension, perspective)
    cached = questionnaire._cache.get(key)
    if cached is not None:
        return cached
    general = [
        (i, i.weight(dimension)) for i in questionnaire.items_for("general", perspective) if i.weight(dimension) > 0
    ]
    own = [(i, i.weight(dimension)) for i in questionnaire.items_for(domain, perspective) if i.weight(dimension) > 0]
    share = questionnaire.model.scoring.general_share
    general_total = sum(w for _, w in general)
    own_total = sum(w for _, w in own)
    if share == 0:
        factor = 0.0
    elif own_total == 0 or general_total == 0:
        factor = 1.0
    else:
        factor = share / (1 - share) * own_total / general_total
    weighted = tuple((i, w * factor) for i, w in general if factor > 0) + tuple(own)
    questionnaire._cache[key] = weighted
    return weighted


# --- domain level --------------------------------------------------------------------------


def _next_step(item: Item, value: Any, current: float, population: int | None) -> tuple[str | None, float]:
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
    index = number_band(item, value, population)
    for next_index in range((index or 0) + 1, len(item.bands)):
        if item.bands[next_index].score > current:
            return str(next_index), item.bands[next_index].score
    return None, current


def _score_dimension(
    questionnaire: Questionnaire,
    domain: str,
    dimension: str,
    states: Mapping[str, ItemState],
    answers: Mapping[str, Any],
    perspective: str,
    population: int | None,
    detail: bool,
) -> DimensionResult:
    weighted = effective_weights(questionnaire, domain, dimension, perspective)
    # One pass over the items: this runs for every domain, dimension and assessment.
    rows = [(item, weight, states[item.id]) for item, weight in weighted]
    known = unknown = points = 0.0
    for _item, weight, state in rows:
        if state.state in _KNOWN:
            known += weight
            points += weight * state.score
        else:
            unknown += weight
    total = known + unknown
    score = min(100.0, 100 * points / known) if known > 0 else None
    lowest = 100 * points / total if total > 0 else 0.0
    highest = min(100.0, 100 * (points + unknown) / total) if total > 0 else 100.0
    if score is not None:  # guard the order against rounding in the last digit
        lowest, highest = min(lowest, score), max(highest, score)
    coverage = known / total if total > 0 else 0.0
    if not detail:
        return DimensionResult(dimension, score, lowest, highest, coverage, known, total, (), (), ())

    per_point = 100 / known if known > 0 else 0.0
    contributions = tuple(
        Contribution(
            item_id=item.id,
            state=state.state,
            weight=weight,
            item_score=state.score,
            points=weight * state.score * per_point if state.state in _KNOWN else 0.0,
        )
        for item, weight, state in rows
    )
    levers = []
    if known > 0:
        for item, weight, state in rows:
            if state.state is not State.ANSWERED or state.score >= item.max_score:
                continue
            next_option, next_score = _next_step(item, answers.get(item.id), state.score, population)
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
    open_items = tuple(
        item.id
        for item, weight, _state in sorted((row for row in rows if row[2].state not in _KNOWN), key=lambda row: -row[1])
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
        levers=tuple(levers),
        open_items=open_items,
    )


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
    detail: bool = True,
) -> Result:
    """Score ``answers`` (item id → option id | [option ids] | number | "dont_know").

    ``detail=False`` leaves out contributions, levers and open items: positions,
    intervals, coverage and types only, several times faster (workshop groups).
    """
    domains = questionnaire.ordered_domains(domains)
    states = item_states(questionnaire, answers, ["general", *domains], perspective, population)
    results: dict[str, DomainResult] = {}
    for domain in domains:
        dims = {
            dim: _score_dimension(questionnaire, domain, dim, states, answers, perspective, population, detail)
            for dim in questionnaire.dimension_ids
        }
        total = sum(d.total_weight for d in dims.values())
        coverage = sum(d.known_weight for d in dims.values()) / total if total else 0.0
        type_id, stable, possible = _classify(questionnaire, dims)
        results[domain] = DomainResult(domain, dims, coverage, type_id, stable, possible)
    ignored = tuple(sorted(k for k in answers if k not in questionnaire.items))
    return Result(results, states, perspective, ignored)


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


def best_answer(item: Item) -> Any:
    if item.type == "single":
        return max(item.options, key=lambda o: o.score).id
    if item.type == "multi":
        return [o.id for o in item.options if not o.exclusive]
    return 1e12  # beyond every band, also per inhabitant


def weakest_answer(item: Item) -> Any:
    if item.type == "single":
        return min(item.options, key=lambda o: o.score).id
    if item.type == "multi":
        exclusive = [o.id for o in item.options if o.exclusive]
        return exclusive[:1] or [min(item.options, key=lambda o: o.score).id]
    return 0
