"""What an answer means for an item: its state and item score, conditions applied.

The scoring, the wizard, the exports and the workshop all read answers through these
functions, so a follow-up hidden by its gate is "not asked" everywhere at once. An answer is
judged against a :class:`~ktmsc.model.questionnaire.Municipality`: numbers by the bands of
its size type (per inhabitant where the item says so), "not our task" only where the item
offers it for its kind of body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ktmsc.model.limits import MAX_NUMBER
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, UNKNOWN_MUNICIPALITY, Municipality, Questionnaire
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, RESERVED_ANSWERS, Condition, Item


class State(StrEnum):
    ANSWERED = "answered"
    NOT_APPLICABLE = "not_applicable"  # "not our task": left out of the score, coverage not lowered
    HIDDEN = "hidden"  # not asked: an earlier answer rules it out; left out like "not our task"
    DONT_KNOW = "dont_know"
    UNANSWERED = "unanswered"
    PENDING = "pending"  # not asked yet: the earlier answer it depends on is unknown
    INVALID = "invalid"  # a stored answer this version of the item cannot read

    @property
    def known(self) -> bool:
        """Counts in the score with its item score."""
        return self is State.ANSWERED

    @property
    def excluded(self) -> bool:
        """Left out of the score and of its total weight: neither known nor unknown."""
        return self in EXCLUDED


KNOWN = frozenset({State.ANSWERED})
EXCLUDED = frozenset({State.NOT_APPLICABLE, State.HIDDEN})


@dataclass(frozen=True)
class ItemState:
    state: State
    score: float | None = None

    @property
    def visible(self) -> bool:
        return self.state not in (State.HIDDEN, State.PENDING)


def is_number(value: Any) -> bool:
    """A number an answer can be: finite and at most :data:`MAX_NUMBER` in size (a huge integer
    from a file would overflow every float computation)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -MAX_NUMBER <= value <= MAX_NUMBER


def answer_score(item: Item, value: Any, where: Municipality = UNKNOWN_MUNICIPALITY) -> ItemState:
    """The state and score of one answer, ignoring conditions."""
    if value is None:
        return ItemState(State.UNANSWERED)
    if value == DONT_KNOW:
        return ItemState(State.DONT_KNOW)
    if value == NOT_APPLICABLE:
        offered = item.offers_not_applicable(where.body_kind)
        return ItemState(State.NOT_APPLICABLE if offered else State.INVALID)
    if item.type == "single":
        option = item.option(value) if isinstance(value, str) else None
        return ItemState(State.ANSWERED, option.score) if option else ItemState(State.INVALID)
    if item.type == "multi":
        return _multi_score(item, value)
    if not is_number(value) or value < 0:
        return ItemState(State.INVALID)
    band = number_band(item, value, where)
    if band is None:
        return ItemState(State.DONT_KNOW)  # per-inhabitant item without a population
    return ItemState(State.ANSWERED, item.bands_for(where.size_type)[band].score)


def _multi_score(item: Item, value: Any) -> ItemState:
    """Ticked options add up (capped at 1); an exclusive option ("none of these") stands alone."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return ItemState(State.INVALID)
    if not value:
        return ItemState(State.UNANSWERED)
    options = [item.option(v) for v in value]
    if any(o is None for o in options):
        return ItemState(State.INVALID)
    if any(o.exclusive for o in options) and len(options) > 1:
        return ItemState(State.INVALID)
    return ItemState(State.ANSWERED, min(1.0, sum(o.score for o in options)))


def number_band(item: Item, value: float, where: Municipality = UNKNOWN_MUNICIPALITY) -> int | None:
    """The index of the band a number falls in, among the bands of the municipality's size type
    (per inhabitants where the item says so); None when that needs a population that is unknown."""
    if item.per_inhabitants is not None:
        if not where.population:
            return None
        value = value / (where.population / item.per_inhabitants)
    bands = item.bands_for(where.size_type)
    for index, band in enumerate(bands):
        if band.up_to is None or value <= band.up_to:
            return index
    return len(bands) - 1


def condition_met(condition: Condition, value: Any) -> bool:
    """Whether an answered value meets a condition: one of its options chosen (``any_of``), or
    a number of at least ``at_least``. Follow-ups and advice (``not_if``, ``only_if``) use it."""
    if condition.any_of is not None:
        chosen = set(value) if isinstance(value, list) else {value}
        return bool(chosen & set(condition.any_of))
    return isinstance(value, (int, float)) and value >= (condition.at_least or 0)


def _condition_holds(condition: Condition, value: Any, state: ItemState) -> bool | None:
    """True/False when the gate's answer decides it, None when the gate is unknown."""
    if state.state.excluded:
        return False  # a gate that is not asked or not our task shows none of its follow-ups
    if state.state is not State.ANSWERED:
        return None
    return condition_met(condition, value)


def item_states(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    sections: Iterable[str],
    perspective: str = PERSPECTIVE_ADMIN,
    population: int | None = None,
    body_kind: str | None = None,
) -> dict[str, ItemState]:
    """The state of every item asked in these sections, conditions applied, in order."""
    where = questionnaire.municipality(population, body_kind)
    states: dict[str, ItemState] = {}
    for section_id in sections:
        for item in questionnaire.items_for(section_id, perspective):
            state = answer_score(item, answers.get(item.id), where)
            if item.show_if:
                decided = [
                    _condition_holds(c, answers.get(c.item), states.get(c.item, ItemState(State.PENDING)))
                    for c in item.show_if
                ]
                if False in decided:
                    state = ItemState(State.HIDDEN)
                elif None in decided:
                    state = ItemState(State.PENDING)
            states[item.id] = state
    return states


def toggled(item: Item, current: Any, option_id: str, ticked: bool) -> Any:
    """A multiple-choice answer after one box was ticked or unticked, applied to ``current``.

    The store applies it to the answer as stored, inside its write transaction, so two tabs
    that tick different boxes keep both ticks. An exclusive option ("none of these") and the
    answers of their own ("don't know", "not our task") stand alone: ticking one clears the
    others, ticking an ordinary option clears them. Options keep the item's order; ids the
    item no longer has are dropped. Unticking the last box leaves no answer (None).
    """
    order = [o.id for o in item.options]
    chosen = [c for c in current if c in order] if isinstance(current, list) else []
    if not ticked:
        if current == option_id:  # "don't know" or "not our task" unticked
            return None
        return [c for c in chosen if c != option_id] or None
    if option_id in RESERVED_ANSWERS:
        return option_id
    exclusive = {o.id for o in item.options if o.exclusive}
    if option_id in exclusive:
        return [option_id]
    kept = {c for c in chosen if c not in exclusive} | {option_id}
    return [c for c in order if c in kept]


def best_answer(item: Item) -> Any:
    if item.type == "single":
        return max(item.options, key=lambda o: o.score).id
    if item.type == "multi":
        return [o.id for o in item.options if not o.exclusive]
    return MAX_NUMBER  # the largest number an answer may be: in the open last band of every item


def weakest_answer(item: Item) -> Any:
    if item.type == "single":
        return min(item.options, key=lambda o: o.score).id
    if item.type == "multi":
        exclusive = [o.id for o in item.options if o.exclusive]
        return exclusive[:1] or [min(item.options, key=lambda o: o.score).id]
    return 0
