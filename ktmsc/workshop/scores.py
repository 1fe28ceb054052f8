"""Slim, memoised scores of the participants: positions and the matrix row, not levers.

Scoring one participant in all six domains takes a few milliseconds, and the dashboard
re-aggregates every few seconds while only some participants have changed their
answers. The slim scores (positions per domain and the participant's row of the
participants × items matrix, :mod:`ktmsc.workshop.matrix`) are therefore kept per
questionnaire (in its memo) in a bounded LRU cache, keyed by the domains, perspective
and municipality and by the participant's **revision** where the caller gives one
(the store's ``updated_at``: the same id and revision always mean the same answers), else
by a digest of the exact answers. An unchanged participant is not scored again, and with
a revision their answers are not even read. Those that did change are scored together,
as arrays (:func:`score_participants`, :mod:`ktmsc.batch`), not one by one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ktmsc import batch
from ktmsc.lru import LRU
from ktmsc.model.answers import ItemState, State
from ktmsc.model.questionnaire import Municipality, Questionnaire
from ktmsc.scoring import score
from ktmsc.workshop import matrix
from ktmsc.workshop.matrix import Layout, Row, encode, row_of
from ktmsc.workshop.model import Participant, ParticipantPoint

SCORE_CACHE_SIZE = 4096  # a slim score is ~2 KB: at most ~8 MB per questionnaire


@dataclass(frozen=True, slots=True)
class Placement:
    """A participant's position in one domain: the slim part of a domain score the group needs."""

    x: float
    y: float
    x_min: float  # the participant's own min–max ("don't know" at 0 … 1)
    x_max: float
    y_min: float
    y_max: float
    coverage: float
    type_id: str
    stable: bool


@dataclass(frozen=True)
class Scored:
    positions: dict[str, Placement | None]  # by domain; None without a position
    row: Row  # the participant's row of the matrix
    # The group's points made from these positions, by (domain, participant id, number, name):
    # an unchanged participant's point is not made again on every refresh.
    points: dict[tuple, ParticipantPoint] = field(default_factory=dict, compare=False, repr=False)

    def point(self, domain_id: str, participant: Participant, number: int) -> ParticipantPoint | None:
        """This participant's point in a domain (None without a position there)."""
        placement = self.positions.get(domain_id)
        if placement is None:
            return None
        key = (domain_id, participant.id, number, participant.name)
        made = self.points.get(key)
        if made is None:
            made = self.points[key] = ParticipantPoint(
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
        return made


def _score_cache() -> LRU[Scored]:
    return LRU(SCORE_CACHE_SIZE)


def _fingerprint(answers: Mapping[str, Any]) -> bytes | None:
    """A short digest of the exact answers; None when they cannot be written down.

    The type is part of it: True == 1 == 1.0 in Python, but scoring treats them apart.
    """
    try:
        canonical = repr(sorted((str(k), type(v).__name__, v) for k, v in answers.items()))
    except Exception:  # an answer whose repr fails: score it without the cache
        return None
    return hashlib.blake2b(canonical.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _identity(participant: Participant) -> Any:
    """What tells this participant's answers apart: id and revision, or the answers' digest."""
    if participant.revision is not None:
        return ("revision", participant.id, participant.revision)
    return _fingerprint(participant.answers)


ANSWERS = frozenset({State.ANSWERED, State.NOT_APPLICABLE})


def placed(questionnaire: Questionnaire, domain_id: str, perspective: str, states: Mapping[str, ItemState]) -> bool:
    """Whether a participant has answered enough of a domain's own questions to count in its
    group: ``scoring.placed_share`` of those asked ("not our task" counts; "don't know" does
    not: it says nothing about the domain, and the point would come from elsewhere)."""
    asked = [states[i.id].state for i in questionnaire.items_for(domain_id, perspective) if states[i.id].visible]
    answered = sum(1 for state in asked if state in ANSWERS)
    return bool(asked) and answered >= questionnaire.model.scoring.placed_share * len(asked)


def score_participant(
    questionnaire: Questionnaire,
    participant: Participant,
    lay: Layout,
    domains: tuple[str, ...],
    perspective: str,
    where: Municipality,
    reuse: bool,
) -> Scored:
    """One participant's slim score, from the questionnaire's cache when ``reuse`` and it is there."""
    identity = _identity(participant) if reuse else None
    cache: LRU[Scored] | None = None
    key = (identity, domains, perspective, where)
    if identity is not None:
        cache = questionnaire.memo(("workshop.scores",), _score_cache)
        hit = cache.get(key)
        if hit is not None:
            return hit
    answers = participant.answers
    result = score(
        questionnaire, answers, domains, perspective, where.population, body_kind=where.body_kind, detail=False
    )
    x_id, y_id = questionnaire.dimension_ids
    positions: dict[str, Placement | None] = {}
    for domain_id, domain in result.domains.items():
        x, y = domain.dimensions[x_id], domain.dimensions[y_id]
        unplaced = x.score is None or y.score is None or domain.type_id is None
        if unplaced or not placed(questionnaire, domain_id, perspective, result.states):
            positions[domain_id] = None
        else:
            positions[domain_id] = Placement(
                x=x.score,
                y=y.score,
                x_min=x.min,
                x_max=x.max,
                y_min=y.min,
                y_max=y.max,
                coverage=domain.coverage,
                type_id=domain.type_id,
                stable=domain.stable,
            )
    scored = Scored(positions, encode(lay, answers, result.states, where))
    return cache.put(key, scored) if cache is not None else scored


# The batch scorer's states as the matrix counts them.
_MATRIX_CODE = np.full(max(batch.CODE.values()) + 1, matrix.UNANSWERED, dtype=np.int8)
_MATRIX_CODE[batch.ANSWERED] = matrix.ANSWERED
_MATRIX_CODE[batch.DONT_KNOW] = matrix.DONT_KNOW
_MATRIX_CODE[batch.HIDDEN] = matrix.HIDDEN
_MATRIX_CODE[batch.PENDING] = matrix.HIDDEN
_MATRIX_CODE[batch.NOT_APPLICABLE] = matrix.NOT_OURS


@dataclass(frozen=True)
class _Columns:
    """Where the matrix's items and each domain's own asked items sit in the batch's columns."""

    of_matrix: np.ndarray
    of_domain: tuple[np.ndarray, ...]


def _columns(questionnaire: Questionnaire, lay: Layout, scored: batch.Layout, perspective: str) -> _Columns:
    def build() -> _Columns:
        at = {item.id: i for i, item in enumerate(scored.items)}
        own = tuple(
            np.array([at[i.id] for i in questionnaire.items_for(d, perspective)], dtype=np.intp) for d in scored.domains
        )
        return _Columns(np.array([at[item.id] for _, item in lay.items], dtype=np.intp), own)

    return questionnaire.memo(("workshop.columns", scored.domains, perspective), build)


def _placed_many(questionnaire: Questionnaire, codes: np.ndarray, columns: _Columns) -> np.ndarray:
    """:func:`placed` for every row and domain at once: (rows, domains) bool."""
    share = questionnaire.model.scoring.placed_share
    out = np.zeros((len(codes), len(columns.of_domain)), dtype=bool)
    for d, cols in enumerate(columns.of_domain):
        own = codes[:, cols]
        visible = (own != batch.HIDDEN) & (own != batch.PENDING)
        answered = (own == batch.ANSWERED) | (own == batch.NOT_APPLICABLE)
        asked = visible.sum(axis=1)
        out[:, d] = (asked > 0) & (answered.sum(axis=1) >= share * asked)
    return out


def score_participants(
    questionnaire: Questionnaire,
    participants: list[Participant],
    lay: Layout,
    domains: tuple[str, ...],
    perspective: str,
    where: Municipality,
    reuse: bool,
) -> list[Scored]:
    """Every participant's slim score, the same as :func:`score_participant` one by one: from
    the cache where it holds them, the others scored together in one batch."""
    cache = questionnaire.memo(("workshop.scores",), _score_cache)
    keys = [((_identity(p) if reuse else None), domains, perspective, where) for p in participants]
    found: list[Scored | None] = [cache.get(key) if key[0] is not None else None for key in keys]
    missing = [i for i, hit in enumerate(found) if hit is None]
    if missing:
        answers = [participants[i].answers for i in missing]
        result = batch.score_many(
            questionnaire, answers, domains, perspective, [(where.population, where.body_kind)] * len(missing)
        )
        columns = _columns(questionnaire, lay, result.layout, perspective)
        placed_ = _placed_many(questionnaire, result.codes, columns)
        row_codes = _MATRIX_CODE[result.codes[:, columns.of_matrix]]
        row_scores = result.item_scores[:, columns.of_matrix]
        for j, i in enumerate(missing):
            scored = Scored(
                _positions(result, j, placed_[j]),
                row_of(lay, answers[j], row_codes[j], row_scores[j], where),
            )
            found[i] = cache.put(keys[i], scored) if keys[i][0] is not None else scored
    return found  # type: ignore[return-value]


def _positions(result: batch.Batch, row: int, placed_: np.ndarray) -> dict[str, Placement | None]:
    positions: dict[str, Placement | None] = {}
    for d, domain_id in enumerate(result.layout.domains):
        type_index = int(result.type_index[row, d])
        if type_index == batch.NO_TYPE or not placed_[d]:
            positions[domain_id] = None
            continue
        (x, y), (x_min, y_min), (x_max, y_max) = (
            result.score[row, d].tolist(),
            result.low[row, d].tolist(),
            result.high[row, d].tolist(),
        )
        positions[domain_id] = Placement(
            x=x,
            y=y,
            x_min=x_min,
            x_max=x_max,
            y_min=y_min,
            y_max=y_max,
            coverage=float(result.domain_coverage[row, d]),
            type_id=result.layout.types[type_index],
            stable=bool(result.stable[row, d]),
        )
    return positions
