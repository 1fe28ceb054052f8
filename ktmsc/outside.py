"""The citizens' view: what it cannot see, and the steps a citizen can take to see more.

The outside view is scored against the whole model (docs/SCORING.md, "The outside view"):
the internal questions stay open in its interval, so it is rarely stable. Its results say
which questions those are, grouped by topic, and open with the perspective's own next
steps (``perspectives[].next_steps`` in model.yaml) instead of advice addressed to the
administration. Each step lists the questions it is ``about``: the heaviest of those the
view cannot see, the public questions left open, or the weakest public answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.schema import ViewStep
from ktmsc.scoring import Result, unseen_states

# How many questions each of the citizen's steps lists.
ITEMS_PER_STEP = 3


@dataclass(frozen=True)
class OutsideStep:
    """One of the citizen's steps and the questions it is about, most weight first."""

    step: ViewStep
    items: tuple[str, ...]


@dataclass(frozen=True)
class OutsideView:
    unseen: tuple[tuple[str, tuple[str, ...]], ...]  # topic id → the questions the view cannot see
    steps: tuple[OutsideStep, ...]

    @property
    def unseen_count(self) -> int:
        return sum(len(items) for _, items in self.unseen)


def outside_view(questionnaire: Questionnaire, assessment: Assessment, result: Result) -> OutsideView | None:
    """What a view that is not asked everything leaves out, and its steps; None for the inside view."""
    if result.perspective == PERSPECTIVE_ADMIN:
        return None
    profile = assessment.profile
    hidden = unseen_states(
        questionnaire, assessment.answers, result.states, result.domains, profile.population, profile.body_kind
    )
    unseen = [item_id for item_id, state in hidden.items() if not state.state.excluded]
    share = _shares(questionnaire, result)
    perspective = next(p for p in questionnaire.model.profile.perspectives if p.id == result.perspective)
    lists = {
        "unseen": _heaviest(unseen, share),
        "open": _heaviest(_open(result), share),
        "weak": _weakest(result),
    }
    steps = tuple(OutsideStep(step, lists[step.about][:ITEMS_PER_STEP]) for step in perspective.next_steps)
    return OutsideView(_by_topic(questionnaire, unseen), steps)


def _shares(questionnaire: Questionnaire, result: Result) -> dict[str, float]:
    """Per item, its largest share of a dimension's whole weight in the assessed domains."""
    share: dict[str, float] = {}
    for domain_id, domain in result.domains.items():
        for dim_id, dim in domain.dimensions.items():
            if dim.total_weight <= 0:
                continue
            for item, weight in questionnaire.weighted_items(domain_id, dim_id):
                share[item.id] = max(share.get(item.id, 0.0), weight / dim.total_weight)
    return share


def _heaviest(items: Iterable[str], share: dict[str, float]) -> tuple[str, ...]:
    # Stable: the questionnaire's order on ties.
    return tuple(sorted(items, key=lambda item_id: -round(share.get(item_id, 0.0), 9)))


def _open(result: Result) -> list[str]:
    """The public questions shown but without a known answer, in the questionnaire's order."""
    return [i for i, s in result.states.items() if s.visible and not s.state.known and not s.state.excluded]


def _weakest(result: Result) -> tuple[str, ...]:
    """The answered questions with most points to gain, over all assessed domains."""
    gain: dict[str, float] = {}
    for domain in result.domains.values():
        for dim in domain.dimensions.values():
            for lever in dim.levers:
                gain[lever.item_id] = gain.get(lever.item_id, 0.0) + lever.gain
    return tuple(sorted(gain, key=lambda item_id: -round(gain[item_id], 9)))


def _by_topic(questionnaire: Questionnaire, items: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The questions grouped by their first topic, topics in the model's order."""
    grouped: dict[str, list[str]] = {}
    for item_id in items:
        grouped.setdefault(questionnaire.items[item_id].tags[0], []).append(item_id)
    order = [topic.id for topic in questionnaire.model.topics]
    ranked = sorted(grouped, key=lambda topic: order.index(topic) if topic in order else len(order))
    return tuple((topic, tuple(grouped[topic])) for topic in ranked)
