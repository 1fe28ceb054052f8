"""Slim, memoised scores of the participants: positions and the matrix row, not levers.

Scoring one participant in all six domains takes a few milliseconds, and the dashboard
re-aggregates every few seconds while only some participants have changed their
answers. The slim scores (positions per domain and the participant's row of the
participants × items matrix, :mod:`ktmsc.workshop.matrix`) are therefore kept per
questionnaire (in its memo) in a bounded LRU cache, keyed by the domains, perspective
and municipality and by the participant's **revision** where the caller gives one
(the store's ``updated_at``: the same id and revision always mean the same answers), else
by a digest of the exact answers. An unchanged participant is not scored again, and with
a revision their answers are not even read.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ktmsc.model.answers import ItemState, State
from ktmsc.model.questionnaire import Municipality, Questionnaire
from ktmsc.scoring import score
from ktmsc.workshop.matrix import Layout, Row, encode
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


class _ScoreCache:
    """A small thread-safe LRU of slim scores (Streamlit serves sessions from threads)."""

    def __init__(self, size: int = SCORE_CACHE_SIZE):
        self.size = size
        self._data: OrderedDict[Any, Scored] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Scored | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: Any, value: Scored) -> Scored:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
            return value


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
    cache: _ScoreCache | None = None
    key = (identity, domains, perspective, where)
    if identity is not None:
        cache = questionnaire.memo(("workshop.scores",), _ScoreCache)
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
