"""Choosing the advice for a result: type recommendations, paths and tips.

* Recommendations for the domain's type, filtered by the municipality's size type
  where a recommendation is written for some size types only.
* Paths along each axis the domain is low on (or borderline on): what moves it
  towards more capacity or more willingness to change. Paths whose topics match the
  domain's weakest answers come first.
* Tips tied to weak answers (answered items scoring at most the tip's limit).
"""

from __future__ import annotations

from dataclasses import dataclass

from ktmsc.model.answers import State
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import GENERAL, Recommendation, Tip
from ktmsc.scoring import DimensionResult, DomainResult, Result

PATHS_PER_DIMENSION = 3


@dataclass(frozen=True)
class Advice:
    domain: str
    type_id: str | None
    recommendations: tuple[Recommendation, ...]
    paths: dict[str, tuple[Recommendation, ...]]
    tips: tuple[Tip, ...]


def _fits(rec: Recommendation, size_type: str | None) -> bool:
    return not rec.size_types or size_type in rec.size_types


def _for_size(recs: tuple[Recommendation, ...], size_type: str | None) -> tuple[Recommendation, ...]:
    fitting = tuple(r for r in recs if _fits(r, size_type))
    return fitting or recs


def weak_topics(questionnaire: Questionnaire, domain: DomainResult, dimension: str) -> list[str]:
    """Topic tags of the items with the most to gain on a dimension, strongest lever first."""
    topics: list[str] = []
    for lever in domain.dimensions[dimension].levers:
        for tag in questionnaire.items[lever.item_id].tags:
            if tag not in topics:
                topics.append(tag)
    return topics


def safely_high(questionnaire: Questionnaire, dim: DimensionResult) -> bool:
    """High on this axis whatever the open answers turn out to be: no path is needed there."""
    return dim.score is not None and dim.min >= questionnaire.threshold(dim.dimension)


def paths_for(
    questionnaire: Questionnaire, domain: DomainResult, size_type: str | None, limit: int = PATHS_PER_DIMENSION
) -> dict[str, tuple[Recommendation, ...]]:
    out: dict[str, tuple[Recommendation, ...]] = {}
    for dim_id, dim in domain.dimensions.items():
        if safely_high(questionnaire, dim):
            continue
        topics = weak_topics(questionnaire, domain, dim_id)
        rank = {topic: index for index, topic in enumerate(topics)}
        candidates = _for_size(questionnaire.paths.get(dim_id, ()), size_type)
        ordered = sorted(
            enumerate(candidates),
            key=lambda pair: (min((rank[t] for t in pair[1].topics if t in rank), default=len(rank)), pair[0]),
        )
        out[dim_id] = tuple(rec for _, rec in ordered[:limit])
    if not out and domain.dimensions:
        # High on both axes: the lower one is where to keep moving.
        lowest = min(domain.dimensions.values(), key=lambda d: d.score or 0)
        out[lowest.dimension] = _for_size(questionnaire.paths.get(lowest.dimension, ()), size_type)[:limit]
    return out


def tips_for(questionnaire: Questionnaire, result: Result, section: str) -> tuple[Tip, ...]:
    """Tips for the weak answers among a section's items."""
    tips = []
    for tip in questionnaire.tips:
        if questionnaire.section_of.get(tip.item) != section:
            continue
        state = result.states.get(tip.item)
        if state is not None and state.state is State.ANSWERED and state.score <= tip.max_score:
            tips.append(tip)
    return tuple(tips)


def advise(questionnaire: Questionnaire, result: Result, domain_id: str, size_type: str | None) -> Advice:
    domain = result.domains[domain_id]
    recs: tuple[Recommendation, ...] = ()
    if domain.type_id is not None:
        recs = _for_size(questionnaire.recommendations_by_type.get((domain.type_id, domain_id), ()), size_type)
    return Advice(
        domain=domain_id,
        type_id=domain.type_id,
        recommendations=recs,
        paths=paths_for(questionnaire, domain, size_type),
        tips=tips_for(questionnaire, result, domain_id),
    )


def general_tips(questionnaire: Questionnaire, result: Result) -> tuple[Tip, ...]:
    return tips_for(questionnaire, result, GENERAL)
