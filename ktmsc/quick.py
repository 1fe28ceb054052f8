"""The quick check: which domains are settled, and which question to ask next.

A domain is **settled** when the whole interval of its point (every unanswered question at
its weakest and at its best answer, as :mod:`ktmsc.scoring` computes it, gates and
follow-ups included) lies in one quadrant: whatever the remaining questions are answered,
even "don't know", its type stays (``DomainResult.stable``). An **open** axis of a domain is
a dimension whose interval still reaches both sides of its threshold.

The questions that **could still change** an open domain are the unanswered questions shown
now that count on one of its open axes – directly, or as the gate of follow-ups that are not
asked yet and count there. Answering any of them narrows that axis; a settled domain has
none. The count is an upper bound of what can still move the type, never an estimate.

The quick check asks those questions first: each one's **effect** is, summed over the open
axes of the open chosen domains it feeds, its share of the axis's total weight (follow-ups it
gates included) times the axis's remaining range. At most :data:`QUICK_STEP` questions are
shown at a time, and it offers to finish once every chosen domain is settled.

docs/SCORING.md ("The quick check") describes the same rules for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ktmsc.lru import LRU
from ktmsc.model.answers import ItemState, State
from ktmsc.model.assessment import MODE_QUICK, Assessment
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import GENERAL, Item
from ktmsc.scoring import DomainResult, Result, score

# The questions one step of the quick check shows at most: the next ones are chosen again after
# each step, so fewer per step ask fewer in all (benchmarks/quick.py measured 3 to 7).
QUICK_STEP = 5

# An answer the person can still give: nothing yet, or a stored answer this version cannot read.
_OPEN = (State.UNANSWERED, State.INVALID)


@dataclass(frozen=True)
class Settlement:
    """One domain in the quick check: settled or open, and what can still change it."""

    domain: str
    settled: bool
    type_id: str | None  # the type it keeps when settled, else the type of the point so far (None: no point)
    open_axes: tuple[str, ...]  # dimensions whose interval still reaches both sides of the threshold
    deciding: tuple[str, ...]  # unanswered questions shown now that could still change it, most effect first


@dataclass(frozen=True)
class QuickState:
    """Where a quick check stands: per chosen domain, and the questions to ask next."""

    settlements: dict[str, Settlement]  # in the model's order
    effects: dict[str, float]  # question id → effect on the open domains (only questions with an effect)

    @property
    def all_settled(self) -> bool:
        return all(s.settled for s in self.settlements.values())

    @property
    def standing(self) -> tuple[tuple[str, bool, int], ...]:
        """What the screen says per domain: settled or open, and how many questions could change it."""
        return tuple((s.domain, s.settled, len(s.deciding)) for s in self.settlements.values())

    def next_questions(self, limit: int = QUICK_STEP) -> tuple[str, ...]:
        """The questions with the largest effect, strongest first (ties in the questionnaire's order)."""
        return tuple(list(self.effects)[:limit])


def open_axes(questionnaire: Questionnaire, domain: DomainResult) -> tuple[str, ...]:
    """The dimensions of a domain whose interval reaches both sides of the threshold."""
    out = []
    for dim_id, dim in domain.dimensions.items():
        threshold = questionnaire.threshold(dim_id)
        if dim.min < threshold <= dim.max:
            out.append(dim_id)
    return tuple(out)


def _gated(questionnaire: Questionnaire) -> dict[str, tuple[str, ...]]:
    """Gate id → the follow-ups it decides (directly)."""

    def build() -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for item in questionnaire.items.values():
            for condition in item.show_if:
                out.setdefault(condition.item, []).append(item.id)
        return {gate: tuple(ids) for gate, ids in out.items()}

    return questionnaire.memo(("quick", "gated"), build)


def _weights(questionnaire: Questionnaire, domain: str, dimension: str) -> dict[str, float]:
    return questionnaire.memo(
        ("quick", "weights", domain, dimension),
        lambda: dict((item.id, weight) for item, weight in questionnaire.weighted_items(domain, dimension)),
    )


def candidates(
    questionnaire: Questionnaire, states: Mapping[str, ItemState], sections: Iterable[str], perspective: str
) -> list[Item]:
    """The questions shown now that have no answer yet, in the questionnaire's order."""
    return [
        item
        for section in sections
        for item in questionnaire.items_for(section, perspective)
        if item.id in states and states[item.id].state in _OPEN
    ]


def _reach(questionnaire: Questionnaire, item: Item, states: Mapping[str, ItemState]) -> tuple[str, ...]:
    """The item and the follow-ups not asked yet whose showing its answer decides."""
    pending = [
        f
        for f in _gated(questionnaire).get(item.id, ())
        if states.get(f, ItemState(State.PENDING)).state is State.PENDING
    ]
    return (item.id, *pending)


def quick_state(questionnaire: Questionnaire, result: Result, perspective: str) -> QuickState:
    """Settled or open per domain of ``result``, and every open question's effect."""
    domains = list(result.domains)
    states = result.states
    asked = candidates(questionnaire, states, [GENERAL, *domains], perspective)
    reach = {item.id: _reach(questionnaire, item, states) for item in asked}
    effects: dict[str, float] = {}
    per_domain: dict[str, dict[str, float]] = {}
    for domain_id, domain in result.domains.items():
        mine = per_domain.setdefault(domain_id, {})
        for dim_id in open_axes(questionnaire, domain) if not domain.stable else ():
            dim = domain.dimensions[dim_id]
            weights = _weights(questionnaire, domain_id, dim_id)
            spread = (dim.max - dim.min) / 100
            for item in asked:
                weight = sum(weights.get(i, 0.0) for i in reach[item.id])
                if weight > 0 and dim.total_weight > 0:
                    effect = weight / dim.total_weight * spread
                    mine[item.id] = mine.get(item.id, 0.0) + effect
                    effects[item.id] = effects.get(item.id, 0.0) + effect
    order = {item.id: index for index, item in enumerate(asked)}
    ranked = dict(sorted(effects.items(), key=lambda kv: (-kv[1], order[kv[0]])))
    settlements = {
        domain_id: Settlement(
            domain=domain_id,
            settled=domain.stable,
            type_id=domain.type_id,
            open_axes=() if domain.stable else open_axes(questionnaire, domain),
            deciding=tuple(i for i in ranked if i in per_domain[domain_id]),
        )
        for domain_id, domain in result.domains.items()
    }
    return QuickState(settlements, ranked)


def assess(questionnaire: Questionnaire, assessment: Assessment) -> QuickState:
    """The quick state of an assessment (its answers, domains, perspective and profile)."""
    return state_of(
        questionnaire,
        assessment.answers,
        assessment.domains,
        assessment.perspective,
        assessment.profile.population,
        assessment.profile.body_kind,
    )


def state_of(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    domains: Iterable[str],
    perspective: str,
    population: int | None = None,
    body_kind: str | None = None,
) -> QuickState:
    result = score(questionnaire, answers, domains, perspective, population, body_kind=body_kind, detail=False)
    return quick_state(questionnaire, result, perspective)


def skipped_questions(
    questionnaire: Questionnaire, assessment: Assessment, states: Mapping[str, ItemState]
) -> tuple[str, ...]:
    """The questions shown now that have no answer: what a finished quick check did not ask."""
    sections = [GENERAL, *questionnaire.ordered_domains(assessment.domains)]
    return tuple(item.id for item in candidates(questionnaire, states, sections, assessment.perspective))


def is_quick(assessment: Assessment) -> bool:
    return assessment.profile.mode == MODE_QUICK


STANDING_MEMO = 256  # assessments' standings kept per questionnaire (a few hundred bytes each)


def standing(questionnaire: Questionnaire, assessment: Assessment) -> tuple:
    """What the quick check's page says of the domains (:attr:`QuickState.standing`), which an
    answer that changes it reruns the page for. Remembered per exact answers and profile, so an
    answer is scored once, not before and after: the "after" of one answer is the "before" of
    the next."""
    key = _fingerprint(assessment)
    memo = questionnaire.memo(("quick.standing",), lambda: LRU(STANDING_MEMO))
    found = memo.get(key) if key is not None else None
    if found is None:
        found = assess(questionnaire, assessment).standing
        if key is not None:
            memo.put(key, found)
    return found


def _fingerprint(assessment: Assessment) -> Any:
    """The exact answers, domains and what they are judged against; None when an answer cannot
    be written down. The type is part of it: True == 1 in Python, but scoring tells them apart."""
    try:
        answers = tuple(sorted((k, type(v).__name__, repr(v)) for k, v in assessment.answers.items()))
    except Exception:
        return None
    p = assessment.profile
    return (answers, tuple(assessment.domains), p.perspective, p.population, p.body_kind, is_quick(assessment))
