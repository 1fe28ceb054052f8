"""Scoring many assessments at once, as arrays: positions, intervals, coverage and types.

A comparison round of every German municipality is about 10,800 assessments, and a workshop
dashboard rescores hundreds of participants on a refresh. :func:`ktmsc.scoring.score` visits
every item of every assessment in Python; this module does the same sums with numpy over an
assessments × items matrix, and :mod:`ktmsc.scoring` stays the reference it is tested
against (``tests/test_batch.py``: equal on random assessments, every perspective, gates,
"not our task", size-relative bands).

How it stays equal, not just close:

- An answer's state and item score come from :func:`ktmsc.model.answers.answer_score`, the
  reference's own function, evaluated once per distinct (item, answer, what the answer is
  judged against) and looked up for every other assessment that gave it. Reading the
  answers is the one step that visits each answer; there are few distinct ones.
- Follow-ups are decided column by column in the questionnaire's order with array
  operations, with the reference's rules: a gate that is not asked or not our task hides
  its follow-ups, an unknown gate leaves them pending, a gate this perspective is not asked
  leaves them pending; what the perspective is not asked is decided over the whole model,
  from the answers it was asked (``unseen``).
- The sums run in the reference's order, one column after the other (no pairwise
  summation), so every score, bound and coverage is the same float, and a point on a
  threshold gets the same type.

Built once per questionnaire, domains and perspective (:func:`layout`); scored in one call
(:func:`score_many`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ktmsc.model.answers import State, answer_score, condition_met
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Municipality, Questionnaire
from ktmsc.model.schema import GENERAL, Condition, Item

# The states as the matrix holds them.
ANSWERED, DONT_KNOW, UNANSWERED, PENDING, INVALID, NOT_APPLICABLE, HIDDEN = range(7)
CODE = {
    State.ANSWERED: ANSWERED,
    State.DONT_KNOW: DONT_KNOW,
    State.UNANSWERED: UNANSWERED,
    State.PENDING: PENDING,
    State.INVALID: INVALID,
    State.NOT_APPLICABLE: NOT_APPLICABLE,
    State.HIDDEN: HIDDEN,
}
STATE_OF = {code: state for state, code in CODE.items()}
NO_TYPE = -1


@dataclass(frozen=True)
class Layout:
    """The columns for one choice of domains and perspective, and the weights per domain."""

    domains: tuple[str, ...]  # in the model's order
    dimensions: tuple[str, ...]
    items: tuple[Item, ...]  # the general section, then the domains: the reference's order
    asked: np.ndarray  # bool per item: asked in this perspective
    gated: tuple[tuple[int, tuple[tuple[int, int], ...]], ...]  # item, ((gate column or -1, condition), ...)
    conditions: tuple[tuple[int, Condition], ...]  # per condition: its gate's column and the condition
    weights: np.ndarray  # (domains, dimensions, items): effective weights, 0 outside the domain's sum
    types: tuple[str, ...]  # type ids in the model's order

    @property
    def width(self) -> int:
        return len(self.items)


def layout(questionnaire: Questionnaire, domains: Sequence[str], perspective: str = PERSPECTIVE_ADMIN) -> Layout:
    """The matrix's columns and weights (built once per questionnaire, domains and perspective)."""
    chosen = tuple(questionnaire.ordered_domains(domains))
    return questionnaire.memo(("batch.layout", chosen, perspective), lambda: _build(questionnaire, chosen, perspective))


def _build(questionnaire: Questionnaire, domains: tuple[str, ...], perspective: str) -> Layout:
    items = tuple(item for section in (GENERAL, *domains) for item in questionnaire.items_for(section))
    column = {item.id: i for i, item in enumerate(items)}
    asked_ids = {item.id for section in (GENERAL, *domains) for item in questionnaire.items_for(section, perspective)}
    conditions: list[tuple[int, Condition]] = []
    gated = []
    for i, item in enumerate(items):
        if item.show_if:
            refs = []
            for condition in item.show_if:
                refs.append((column.get(condition.item, -1), len(conditions)))
                conditions.append((column.get(condition.item, -1), condition))
            gated.append((i, tuple(refs)))
    dimensions = tuple(questionnaire.dimension_ids)
    weights = np.zeros((len(domains), len(dimensions), len(items)))
    for d, domain in enumerate(domains):
        for k, dimension in enumerate(dimensions):
            for item, weight in questionnaire.weighted_items(domain, dimension):
                weights[d, k, column[item.id]] = weight
    return Layout(
        domains=domains,
        dimensions=dimensions,
        items=items,
        asked=np.array([item.id in asked_ids for item in items], dtype=bool),
        gated=tuple(gated),
        conditions=tuple(conditions),
        weights=weights,
        types=tuple(t.id for t in questionnaire.model.types),
    )


@dataclass(frozen=True)
class Batch:
    """The scores of many assessments; axis 0 is the assessment, in the order given."""

    layout: Layout
    codes: np.ndarray  # (n, items) int8: the state of every item, conditions applied
    item_scores: np.ndarray  # (n, items): the item score where answered, else NaN
    score: np.ndarray  # (n, domains, dimensions): NaN while nothing on the dimension is known
    low: np.ndarray  # the interval, as ktmsc.scoring's min and max
    high: np.ndarray
    coverage: np.ndarray  # (n, domains, dimensions)
    known_weight: np.ndarray
    total_weight: np.ndarray
    domain_coverage: np.ndarray  # (n, domains)
    type_index: np.ndarray  # (n, domains): index into layout.types, NO_TYPE while a score is missing
    stable: np.ndarray  # (n, domains) bool: the whole interval lies in one type

    def type_id(self, row: int, domain: str) -> str | None:
        index = int(self.type_index[row, self.layout.domains.index(domain)])
        return None if index == NO_TYPE else self.layout.types[index]

    def __len__(self) -> int:
        return len(self.codes)

    def unanswered(self) -> np.ndarray:
        """Per row, whether a question that is asked and shown has no answer yet ("don't know"
        and "not our task" are answers, a stored answer this version cannot read is none): the
        batch's form of :func:`ktmsc.wizard.unanswered` for an assessment of the same domains
        and perspective, which ``tests/test_batch.py`` holds it to."""
        open_ = (self.codes == UNANSWERED) | (self.codes == INVALID)
        return (open_ & self.layout.asked).any(axis=1)

    def rows(self, order: Sequence[tuple[Batch, int]]) -> Batch:
        """A new batch of the same layout whose row ``i`` is row ``order[i][1]`` of batch
        ``order[i][0]`` (this one or another scored with the same layout): an updated round
        keeps its unchanged rows and takes the rescored ones, bit for bit as scored."""
        for other, _ in order:
            if other.layout is not self.layout:
                raise ValueError("rows of batches with different layouts")
        picks: dict[int, tuple[Batch, list[int], list[int]]] = {}
        for i, (batch, row) in enumerate(order):
            _, target, source = picks.setdefault(id(batch), (batch, [], []))
            target.append(i)
            source.append(row)

        def gathered(field: str) -> np.ndarray:
            template = getattr(self, field)
            out = np.empty((len(order), *template.shape[1:]), dtype=template.dtype)
            for batch, target, source in picks.values():
                out[target] = getattr(batch, field)[source]
            return out

        return Batch(self.layout, **{field: gathered(field) for field in _ROW_FIELDS})

    def retyped(self, questionnaire: Questionnaire) -> Batch:
        """The same scores with the types (and their stability) of ``questionnaire``'s thresholds:
        a comparison round with relative thresholds (:mod:`ktmsc.rounds.thresholds`). Scores and
        intervals do not depend on the thresholds; only the quadrant each falls in does."""
        type_index, stable = _types(questionnaire, self.layout, self.score, self.low, self.high)
        return replace(self, type_index=type_index, stable=stable)


_ROW_FIELDS = (
    "codes",
    "item_scores",
    "score",
    "low",
    "high",
    "coverage",
    "known_weight",
    "total_weight",
    "domain_coverage",
    "type_index",
    "stable",
)


def _value_key(value: Any) -> str:
    """A string standing for an answer that tells apart what the reference tells apart (``True``
    is no number, ``1`` and ``1.0`` are the same one). Option ids are plain identifiers, so an
    answer that is one stands for itself; everything else starts with a control character."""
    if value.__class__ is str:
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\x00list\x1f" + "\x1f".join(value)
    if isinstance(value, bool) or value is None:
        return f"\x00{value!r}"
    if isinstance(value, (int, float)):
        return f"\x00number\x1f{float(value)!r}" if math.isfinite(value) else f"\x00{value!r}"
    return "\x00json\x1f" + json.dumps(value, sort_keys=True, default=repr)


def _strings(values: list[str]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _judged_by(item: Item) -> Callable[[Municipality], Any]:
    """What of the municipality an item's answers are judged by, or None when nothing."""
    if item.type == "number":
        if item.per_inhabitants is not None:
            return lambda where: (where.size_type, where.body_kind, where.population)
        return lambda where: (where.size_type, where.body_kind)
    if item.not_applicable is not None:
        return lambda where: where.body_kind
    return None


def _read(
    lay: Layout, answers: Sequence[Mapping[str, Any]], places: Sequence[Municipality]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Base states and item scores of the asked items (no conditions yet) and the gates' conditions.

    Column by column: the answers to one item are reduced to their distinct values (with what
    they are judged against), each judged once by the reference's function, and spread back.
    """
    n, m = len(answers), lay.width
    codes = np.full((n, m), UNANSWERED, dtype=np.int8)
    scores = np.full((n, m), np.nan)
    met = np.zeros((n, len(lay.conditions)), dtype=bool)
    if n == 0:
        return codes, scores, met
    conditions_of: dict[int, list[tuple[int, Condition]]] = {}
    for c, (gate, condition) in enumerate(lay.conditions):
        if gate >= 0:
            conditions_of.setdefault(gate, []).append((c, condition))
    judged_places: dict[Any, np.ndarray] = {}  # per way of judging: each row's place as a code
    for i, item in enumerate(lay.items):
        if not lay.asked[i]:
            continue
        values = [given.get(item.id) for given in answers]
        if all(v is None for v in values):
            continue
        key_codes, _ = pd.factorize(_strings([v if v.__class__ is str else _value_key(v) for v in values]))
        judge = _judged_by(item)
        if judge is not None:
            variant = (item.type, item.per_inhabitants is not None)
            if variant not in judged_places:
                judged_places[variant] = pd.factorize(_strings([repr(judge(where)) for where in places]))[0]
            place_codes = judged_places[variant]
            key_codes = key_codes.astype(np.int64) * (int(place_codes.max()) + 1) + place_codes
        _, first, index = np.unique(key_codes, return_index=True, return_inverse=True)
        states = [answer_score(item, values[row], places[row]) for row in first.tolist()]
        codes[:, i] = np.array([CODE[state.state] for state in states], dtype=np.int8)[index]
        scores[:, i] = np.array([np.nan if state.score is None else state.score for state in states])[index]
        for c, condition in conditions_of.get(i, ()):
            hits = [values[row] is not None and condition_met(condition, values[row]) for row in first.tolist()]
            met[:, c] = np.array(hits, dtype=bool)[index]
    return codes, scores, met


def _decide(lay: Layout, codes: np.ndarray, met: np.ndarray, *, unasked_gates_pending: bool) -> np.ndarray:
    """The states with the follow-ups' conditions applied, in the questionnaire's order."""
    codes = codes.copy()
    for i, refs in lay.gated:
        hidden = np.zeros(len(codes), dtype=bool)
        pending = np.zeros(len(codes), dtype=bool)
        for gate, c in refs:
            if gate < 0 or (unasked_gates_pending and not lay.asked[gate]):
                pending |= True  # a gate outside what is asked: its follow-up waits
                continue
            state = codes[:, gate]
            excluded = (state == HIDDEN) | (state == NOT_APPLICABLE)
            answered = state == ANSWERED
            hidden |= excluded | (answered & ~met[:, c])
            pending |= ~excluded & ~answered
        codes[:, i] = np.where(hidden, HIDDEN, np.where(pending, PENDING, codes[:, i]))
    return codes


def _in_order(values: np.ndarray) -> np.ndarray:
    """Sums over the last axis taken one term after the other, as the reference adds them up
    (an accumulation is sequential by definition; ``sum`` would add pairwise)."""
    if values.shape[-1] == 0:
        return np.zeros(values.shape[:-1])
    return np.add.accumulate(values, axis=-1)[..., -1]


def score_many(
    questionnaire: Questionnaire,
    answers: Sequence[Mapping[str, Any]],
    domains: Sequence[str],
    perspective: str = PERSPECTIVE_ADMIN,
    places: Sequence[tuple[int | None, str | None]] | None = None,
) -> Batch:
    """Score many answer sets for the same domains and perspective.

    ``places`` gives each assessment's (population, body kind), as ``ktmsc.scoring.score``
    takes them; unknown for all when left out. Equal to scoring each with
    ``ktmsc.scoring.score(..., detail=False)``.
    """
    lay = layout(questionnaire, domains, perspective)
    places = places if places is not None else [(None, None)] * len(answers)
    where = [questionnaire.municipality(population, body_kind) for population, body_kind in places]
    base, scores, met = _read(lay, answers, where)
    codes = _decide(lay, base, met, unasked_gates_pending=True)
    if not lay.asked.all():  # what this perspective is not asked, decided over the whole model
        whole = _decide(lay, base, met, unasked_gates_pending=False)
        codes = np.where(lay.asked, codes, whole)
    answered = codes == ANSWERED
    item_scores = np.where(answered, scores, np.nan)
    unknown_state = (codes != ANSWERED) & (codes != HIDDEN) & (codes != NOT_APPLICABLE)
    contributed = np.where(answered, np.nan_to_num(scores), 0.0)
    asked_unknown, unseen_unknown = unknown_state & lay.asked, unknown_state & ~lay.asked
    shape = (len(answers), len(lay.domains), len(lay.dimensions))
    known, points, unknown = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for d in range(len(lay.domains)):
        for k in range(len(lay.dimensions)):
            cols = np.flatnonzero(lay.weights[d, k])  # the domain's items on the dimension, in order
            w = lay.weights[d, k, cols]
            known[:, d, k] = _in_order(answered[:, cols] * w)
            points[:, d, k] = _in_order(contributed[:, cols] * w)
            # the reference adds what is asked, then what the perspective is not asked
            unknown[:, d, k] = _in_order(asked_unknown[:, cols] * w) + _in_order(unseen_unknown[:, cols] * w)
    total = known + unknown
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(known > 0, np.minimum(100.0, 100 * points / known), np.nan)
        low = np.where(total > 0, 100 * points / total, 0.0)
        high = np.where(total > 0, np.minimum(100.0, 100 * (points + unknown) / total), 100.0)
        coverage = np.where(total > 0, known / total, 0.0)
        has = ~np.isnan(score)
        low = np.where(has, np.minimum(low, score), low)
        high = np.where(has, np.maximum(high, score), high)
        domain_total = _in_order(total)
        domain_coverage = np.where(domain_total > 0, _in_order(known) / domain_total, 0.0)
    type_index, stable = _types(questionnaire, lay, score, low, high)
    return Batch(
        layout=lay,
        codes=codes,
        item_scores=item_scores,
        score=score,
        low=low,
        high=high,
        coverage=coverage,
        known_weight=known,
        total_weight=total,
        domain_coverage=domain_coverage,
        type_index=type_index,
        stable=stable,
    )


def _types(
    questionnaire: Questionnaire, lay: Layout, score: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each domain's type (its point's quadrant) and whether its whole interval lies in one."""
    thresholds = np.array([questionnaire.threshold(d) for d in lay.dimensions])
    by_levels = {
        tuple(int(t.quadrant[d] == "high") for d in lay.dimensions): index
        for index, t in enumerate(questionnaire.model.types)
    }
    lookup = np.full((2,) * len(lay.dimensions), NO_TYPE)
    for levels, index in by_levels.items():
        lookup[levels] = index

    def type_of(point: np.ndarray) -> np.ndarray:
        high_on = point >= thresholds  # (n, domains, dimensions)
        return lookup[tuple(high_on[..., k].astype(np.intp) for k in range(len(lay.dimensions)))]

    has = ~np.isnan(score).any(axis=2)
    type_index = np.where(has, type_of(np.nan_to_num(score)), NO_TYPE)
    # The interval's corners: one type at all four exactly when low and high agree per dimension.
    same = ((low >= thresholds) == (high >= thresholds)).all(axis=2)
    return type_index, has & same
