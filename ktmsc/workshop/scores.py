"""Slim, memoised scores of the participants: item states and positions, not levers.

Scoring one participant in all six domains takes a few milliseconds, and the dashboard
re-aggregates every few seconds while only some participants have changed their
answers. The slim scores are therefore kept per questionnaire (in its memo), keyed by
the participant's exact answers, domains, perspective and population, in a bounded LRU
cache: an unchanged participant is not scored again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ktmsc.model.answers import ItemState
from ktmsc.model.questionnaire import Municipality, Questionnaire
from ktmsc.scoring import score

SCORE_CACHE_SIZE = 4096  # a slim score is ~6 KB: at most ~25 MB per questionnaire


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
    states: Mapping[str, ItemState]
    positions: dict[str, Placement | None]  # by domain; None without a position


class _ScoreCache:
    """A small thread-safe LRU of slim scores (Streamlit serves sessions from threads).

    Item states are interned: there are only a few distinct (state, score) pairs, so an
    entry costs little more than its dict of item ids.
    """

    def __init__(self, size: int = SCORE_CACHE_SIZE):
        self.size = size
        self._data: OrderedDict[Any, Scored] = OrderedDict()
        self._states: dict[ItemState, ItemState] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Scored | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: Any, value: Scored) -> Scored:
        with self._lock:
            states = {item_id: self._states.setdefault(state, state) for item_id, state in value.states.items()}
            value = Scored(states, value.positions)
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


def score_participant(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    domains: tuple[str, ...],
    perspective: str,
    where: Municipality,
    reuse: bool,
) -> Scored:
    """One participant's slim score, from the questionnaire's cache when ``reuse`` and it is there."""
    fingerprint = _fingerprint(answers) if reuse else None
    cache: _ScoreCache | None = None
    key = (fingerprint, domains, perspective, where)
    if fingerprint is not None:
        cache = questionnaire.memo(("workshop.scores",), _ScoreCache)
        hit = cache.get(key)
        if hit is not None:
            return hit
    result = score(
        questionnaire, answers, domains, perspective, where.population, body_kind=where.body_kind, detail=False
    )
    x_id, y_id = questionnaire.dimension_ids
    positions: dict[str, Placement | None] = {}
    for domain_id, domain in result.domains.items():
        x, y = domain.dimensions[x_id], domain.dimensions[y_id]
        if x.score is None or y.score is None or domain.type_id is None:
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
    scored = Scored(result.states, positions)
    return cache.put(key, scored) if cache is not None else scored
