"""The participants × items matrix the group's item statistics are counted from.

Each participant's answers are encoded once, when they change (memoised with the slim
score, :mod:`ktmsc.workshop.scores`), as one row: per item its state and item score, per
option whether it was chosen, and the participant's progress. :func:`stack` puts the
rows of a group on top of each other, so the aggregation counts down the columns with
numpy instead of visiting every participant for every item on every refresh.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ktmsc.model.answers import ItemState, State, number_band
from ktmsc.model.questionnaire import Municipality, Questionnaire
from ktmsc.model.schema import GENERAL, Item
from ktmsc.workshop.model import Progress

# The states the tally tells apart, as the codes of the matrix.
ANSWERED, DONT_KNOW, HIDDEN, NOT_OURS, UNANSWERED = range(5)
STATES = 5
_CODE = {
    State.ANSWERED: ANSWERED,
    State.DONT_KNOW: DONT_KNOW,
    State.HIDDEN: HIDDEN,
    State.PENDING: HIDDEN,  # not asked (yet): out of every denominator like a hidden item
    State.NOT_APPLICABLE: NOT_OURS,  # "not our task": an answer, but no score
}  # anything else (unanswered, an answer this version cannot read) counts as unanswered


def option_ids(item: Item) -> tuple[str, ...]:
    """The ids an item's counts are reported by: its options, or for number items its bands "0", "1" …"""
    if item.type == "number":
        return tuple(str(i) for i in range(len(item.bands)))
    return tuple(o.id for o in item.options)


@dataclass(frozen=True)
class Layout:
    """The columns of the matrix for one choice of domains and perspective."""

    items: tuple[tuple[str, Item], ...]  # (section id, item): the general section, then the domains
    options: tuple[tuple[str, ...], ...]  # per item, the ids its option columns count
    offsets: tuple[int, ...]  # per item, its first option column; one more at the end
    columns_of: tuple[dict[str, int], ...]  # per choice item, option id → its column in the row

    @property
    def columns(self) -> int:
        return self.offsets[-1]


def layout(questionnaire: Questionnaire, domains: tuple[str, ...], perspective: str) -> Layout:
    """The matrix's columns (built once per questionnaire, domains and perspective)."""

    def build() -> Layout:
        items = tuple(
            (section_id, item)
            for section_id in (GENERAL, *domains)
            for item in questionnaire.items_for(section_id, perspective)
        )
        options = tuple(option_ids(item) for _, item in items)
        offsets = [0]
        for ids in options:
            offsets.append(offsets[-1] + len(ids))
        columns_of = tuple(
            {option_id: offsets[i] + k for k, option_id in enumerate(ids)} for i, ids in enumerate(options)
        )
        return Layout(items, options, tuple(offsets), columns_of)

    return questionnaire.memo(("workshop.layout", domains, perspective), build)


@dataclass(frozen=True, slots=True)
class Row:
    """One participant's answers as the matrix holds them."""

    codes: np.ndarray  # int8 per item: ANSWERED … UNANSWERED
    scores: np.ndarray  # float64 per item: the item score, NaN unless answered
    chosen: np.ndarray  # uint8 per option column: 1 where chosen (multi: ticked; number: its band)
    progress: Progress


def _columns(lay: Layout, index: int, item: Item, value: Any, where: Municipality) -> list[int]:
    """The option columns an answered value counts in (multi: each ticked option once)."""
    if item.type == "single":
        return [lay.columns_of[index][value]]
    if item.type == "multi":
        return [lay.columns_of[index][v] for v in set(value)]
    return [lay.offsets[index] + number_band(item, value, where)]


def encode(lay: Layout, answers: Mapping[str, Any], states: Mapping[str, ItemState], where: Municipality) -> Row:
    """A participant's row, from their answers and item states (conditions applied)."""
    codes: list[int] = []
    scores: list[float] = []
    for _, item in lay.items:
        state = states.get(item.id)
        code = UNANSWERED if state is None else _CODE.get(state.state, UNANSWERED)
        codes.append(code)
        scores.append(state.score if code == ANSWERED else math.nan)
    return row_of(lay, answers, np.array(codes, dtype=np.int8), np.array(scores, dtype=np.float64), where)


def row_of(lay: Layout, answers: Mapping[str, Any], codes: np.ndarray, scores: np.ndarray, where: Municipality) -> Row:
    """A participant's row from the states already coded (int8 per item) and item scores (NaN
    unless answered): only the answered items' option columns are looked up."""
    columns: list[int] = []
    for index in np.flatnonzero(codes == ANSWERED).tolist():
        item = lay.items[index][1]
        columns.extend(_columns(lay, index, item, answers.get(item.id), where))
    chosen = np.zeros(lay.columns, dtype=np.uint8)
    chosen[columns] = 1  # one assignment for the whole row
    counts = np.bincount(codes, minlength=STATES)
    asked = len(codes) - int(counts[HIDDEN])
    progress = Progress(answered=asked - int(counts[UNANSWERED]), dont_know=int(counts[DONT_KNOW]), asked=asked)
    return Row(codes, scores, chosen, progress)


@dataclass(frozen=True)
class Matrix:
    """The rows of a group stacked (participants × items, participants × option columns)."""

    codes: np.ndarray
    scores: np.ndarray
    chosen: np.ndarray

    def per_state(self, code: int) -> list[int]:
        """Per item, how many participants are in this state."""
        return np.count_nonzero(self.codes == code, axis=0).tolist()

    def option_counts(self) -> list[int]:
        """Per option column, how many participants chose it."""
        return self.chosen.sum(axis=0, dtype=np.int64).tolist()

    def sorted_scores(self) -> np.ndarray:
        """Each item's column of scores in ascending order, the participants without one (NaN) last."""
        return np.sort(self.scores, axis=0)

    def answered_by(self, index: int) -> list[int]:
        """The participants (by position) who answered the item at this position."""
        return np.flatnonzero(self.codes[:, index] == ANSWERED).tolist()


def stack(lay: Layout, rows: Sequence[Row]) -> Matrix:
    if not rows:
        count = len(lay.items)
        return Matrix(
            np.zeros((0, count), dtype=np.int8), np.zeros((0, count)), np.zeros((0, lay.columns), dtype=np.uint8)
        )
    return Matrix(
        np.stack([r.codes for r in rows]), np.stack([r.scores for r in rows]), np.stack([r.chosen for r in rows])
    )
