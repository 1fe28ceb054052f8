"""Choosing the advice for a result: a few first steps that fit, and the rest behind "more".

Every recommendation names the answers that call for it (``triggers``: an item answered at
most so strongly). For a municipality:

* **Done** advice is never shown: every trigger's item is answered above its limit.
* **Fitting**: written for its size type where a recommendation says so (falling back to all
  when none fits), for its kind of body (``body_kinds``), and not where an answer rules it out
  (``not_if``, e.g. no new permanent posts under budget consolidation).
* **First steps** are the fitting recommendations that an answer actually calls for, ranked
  by how many points those answers could gain on the axes the domain needs (the lever gains
  of the triggering items): per domain at most ``advice.first_steps_per_domain`` of the
  domain's own recommendations for its type; once for all domains at most
  ``advice.cross_domain_first_steps`` of the advice that fits every domain (``cross_domain``
  and the paths along each axis, which would otherwise repeat domain by domain).
* **Next steps**: the results open with at most ``advice.next_steps`` of all these first
  steps (:func:`next_steps`), those with most to gain first, each naming its domains and
  the answers that call for it; the other first steps stay behind "more".
* **More**: the rest of the type's recommendations, the paths along the axes the domain is
  low or borderline on, and tips tied to weak answers.
* **Once**: a piece of advice appears once. A step among the next steps is not repeated
  among the first steps, recommendations or paths; a tip on an answer that already calls
  for a shown recommendation goes with that recommendation (:func:`tips_with`), not into
  the list of tips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from ktmsc.model.answers import ItemState, State, condition_met
from ktmsc.model.questionnaire import Municipality, Questionnaire
from ktmsc.model.schema import GENERAL, Condition, Recommendation, Tip
from ktmsc.scoring import DimensionResult, DomainResult, Result

PATHS_PER_DIMENSION = 3


@dataclass(frozen=True)
class Step:
    """A recommendation chosen as a first step, and the answers that call for it."""

    recommendation: Recommendation
    reasons: tuple[str, ...]  # item ids whose answers triggered it, most to gain first
    gain: float  # points those answers could gain (summed over the domains it serves)
    domains: tuple[str, ...] = ()  # the domains it serves, in the model's order


@dataclass(frozen=True)
class Advice:
    domain: str
    type_id: str | None
    first_steps: tuple[Step, ...]
    recommendations: tuple[Recommendation, ...]  # the rest of the type's recommendations ("more")
    paths: dict[str, tuple[Recommendation, ...]]
    tips: tuple[Tip, ...]


# --- what fits and what is done ----------------------------------------------------------------


def _condition_holds(condition: Condition, value: object, state: ItemState | None) -> bool:
    return state is not None and state.state is State.ANSWERED and condition_met(condition, value)


def fits(rec: Recommendation, where: Municipality, states: Mapping[str, ItemState], answers: Mapping) -> bool:
    """For this kind of body, no answer rules it out and every ``only_if`` answer calls for it
    (size types are chosen by :func:`_for_size`)."""
    if rec.body_kinds and where.body_kind is not None and where.body_kind not in rec.body_kinds:
        return False
    if any(_condition_holds(c, answers.get(c.item), states.get(c.item)) for c in rec.not_if):
        return False
    return all(_condition_holds(c, answers.get(c.item), states.get(c.item)) for c in rec.only_if)


def calls_for(state: ItemState | None, max_score: float) -> bool:
    """An answer no stronger than ``max_score``: it calls for the advice (a trigger, a tip)."""
    return state is not None and state.state is State.ANSWERED and state.score <= max_score


def fired(rec: Recommendation, states: Mapping[str, ItemState]) -> tuple[str, ...]:
    """The trigger items answered at most so strongly that they call for this advice."""
    return tuple(t.item for t in rec.triggers if calls_for(states.get(t.item), t.max_score))


def done(rec: Recommendation, states: Mapping[str, ItemState]) -> bool:
    """Nothing left to call for it: every trigger's item is answered above its limit, not the
    municipality's task, or not asked."""

    def settled(limit: float, state: ItemState | None) -> bool:
        if state is None:
            return False
        return state.state.excluded or (state.state is State.ANSWERED and state.score > limit)

    return bool(rec.triggers) and all(settled(t.max_score, states.get(t.item)) for t in rec.triggers)


def _for_size(recs: Iterable[Recommendation], size_type: str | None) -> tuple[Recommendation, ...]:
    recs = tuple(recs)
    fitting = tuple(r for r in recs if not r.size_types or size_type in r.size_types)
    return fitting or recs


def _open(
    recs: Iterable[Recommendation], result: Result, where: Municipality, answers: Mapping
) -> list[Recommendation]:
    """Recommendations that fit and are not done, in the file's order."""
    return [
        r
        for r in _for_size(recs, where.size_type)
        if fits(r, where, result.states, answers) and not done(r, result.states)
    ]


# --- ranking -----------------------------------------------------------------------------------


def safely_high(questionnaire: Questionnaire, dim: DimensionResult) -> bool:
    """High on this axis whatever the open answers turn out to be: no path is needed there."""
    return dim.score is not None and dim.min >= questionnaire.threshold(dim.dimension)


def needed_dimensions(questionnaire: Questionnaire, domain: DomainResult) -> list[str]:
    """The axes a domain needs to move on: those not safely high; the lowest when both are."""
    needed = [d for d, dim in domain.dimensions.items() if not safely_high(questionnaire, dim)]
    if needed or not domain.dimensions:
        return needed
    return [min(domain.dimensions.values(), key=lambda d: d.score or 0).dimension]


def item_gains(questionnaire: Questionnaire, domain: DomainResult) -> dict[str, float]:
    """Per answered item, the points it could add on the axes the domain needs."""
    gains: dict[str, float] = {}
    for dim_id in needed_dimensions(questionnaire, domain):
        for lever in domain.dimensions[dim_id].levers:
            gains[lever.item_id] = gains.get(lever.item_id, 0.0) + lever.gain
    return gains


def _steps(
    recs: Iterable[Recommendation],
    states: Mapping[str, ItemState],
    gains: Mapping[str, float],
    domains: tuple[str, ...] = (),
) -> list[Step]:
    """The recommendations an answer calls for, most to gain first (ties: the file's order)."""
    steps = []
    for rec in recs:
        reasons = fired(rec, states)
        if reasons:
            ordered = tuple(sorted(reasons, key=lambda i: -gains.get(i, 0.0)))
            steps.append(Step(rec, ordered, sum(gains.get(i, 0.0) for i in reasons), domains))
    return _ranked(steps)


def _ranked(steps: Iterable[Step]) -> list[Step]:
    # Rounded so that float noise in the last digit does not decide a tie; ties keep their order.
    return sorted(steps, key=lambda s: -round(s.gain, 9))


# --- the advice --------------------------------------------------------------------------------


def paths_for(
    questionnaire: Questionnaire,
    domain: DomainResult,
    result: Result,
    where: Municipality,
    answers: Mapping,
    limit: int = PATHS_PER_DIMENSION,
) -> dict[str, tuple[Recommendation, ...]]:
    """Per axis the domain needs, the paths that are not done, those its weakest answers call for first."""
    gains = item_gains(questionnaire, domain)
    out: dict[str, tuple[Recommendation, ...]] = {}
    for dim_id in needed_dimensions(questionnaire, domain):
        candidates = _open(questionnaire.paths.get(dim_id, ()), result, where, answers)
        called = [s.recommendation for s in _steps(candidates, result.states, gains)]
        rest = [r for r in candidates if r not in called]
        out[dim_id] = tuple([*called, *rest][:limit])
    return out


def tips_for(questionnaire: Questionnaire, result: Result, section: str) -> tuple[Tip, ...]:
    """Tips for the weak answers among a section's items."""
    tips = []
    for tip in questionnaire.tips:
        if questionnaire.section_of.get(tip.item) != section:
            continue
        if calls_for(result.states.get(tip.item), tip.max_score):
            tips.append(tip)
    return tuple(tips)


def advise(
    questionnaire: Questionnaire, result: Result, domain_id: str, where: Municipality, answers: Mapping
) -> Advice:
    """One domain's advice: its first steps and the rest."""
    domain = result.domains[domain_id]
    recs: list[Recommendation] = []
    if domain.type_id is not None:
        recs = _open(questionnaire.recommendations_by_type.get((domain.type_id, domain_id), ()), result, where, answers)
    limit = questionnaire.model.advice.first_steps_per_domain
    first = tuple(_steps(recs, result.states, item_gains(questionnaire, domain), (domain_id,))[:limit])
    chosen = {s.recommendation.id for s in first}
    return Advice(
        domain=domain_id,
        type_id=domain.type_id,
        first_steps=first,
        recommendations=tuple(r for r in recs if r.id not in chosen),
        paths=paths_for(questionnaire, domain, result, where, answers),
        tips=tips_for(questionnaire, result, domain_id),
    )


def cross_domain_steps(
    questionnaire: Questionnaire, result: Result, where: Municipality, answers: Mapping
) -> tuple[Step, ...]:
    """Advice that fits every domain, once: the ``cross_domain`` recommendations and the paths
    along the axes the domains need, ranked by what they could gain in all assessed domains."""
    gains: dict[str, float] = {}
    per_domain: dict[str, dict[str, float]] = {}
    needed: set[str] = set()
    for domain in result.domains.values():
        needed.update(needed_dimensions(questionnaire, domain))
        per_domain[domain.domain] = item_gains(questionnaire, domain)
        for item_id, gain in per_domain[domain.domain].items():
            gains[item_id] = gains.get(item_id, 0.0) + gain
    paths = [p for d in questionnaire.dimension_ids if d in needed for p in questionnaire.paths.get(d, ())]
    candidates = list({r.id: r for r in [*questionnaire.cross_domain, *paths]}.values())
    steps = _steps(_open(candidates, result, where, answers), result.states, gains)

    def served(step: Step) -> tuple[str, ...]:
        """The domains its answers could gain in (all, when they gain nowhere)."""
        helped = tuple(d for d, g in per_domain.items() if any(g.get(i, 0.0) > 0 for i in step.reasons))
        return helped or tuple(per_domain)

    chosen = steps[: questionnaire.model.advice.cross_domain_first_steps]
    return tuple(replace(step, domains=served(step)) for step in chosen)


def next_steps(cross_domain: Iterable[Step], advice: Iterable[Advice], limit: int) -> tuple[Step, ...]:
    """What the results open with: at most ``limit`` of all first steps — those for every
    domain and each domain's own — most points to gain first (ties: the ones for every domain,
    then the domains in order). A recommendation is chosen once."""
    unique: dict[str, Step] = {}
    for step in [*cross_domain, *(s for a in advice for s in a.first_steps)]:
        unique.setdefault(step.recommendation.id, step)
    return tuple(_ranked(unique.values())[:limit])


def tips_with(recs: Iterable[Recommendation], tips: Iterable[Tip]) -> dict[str, tuple[Tip, ...]]:
    """Tips on an answer that already calls for one of ``recs`` (in the order they are shown),
    by the id of the first recommendation whose triggers name the tip's item: shown with it,
    they are not repeated in the list of tips."""
    first_for: dict[str, str] = {}
    for rec in recs:
        for trigger in rec.triggers:
            first_for.setdefault(trigger.item, rec.id)
    out: dict[str, list[Tip]] = {}
    for tip in tips:
        rec_id = first_for.get(tip.item)
        if rec_id is not None and tip not in out.get(rec_id, []):
            out.setdefault(rec_id, []).append(tip)
    return {rec_id: tuple(found) for rec_id, found in out.items()}


def general_tips(questionnaire: Questionnaire, result: Result) -> tuple[Tip, ...]:
    return tips_for(questionnaire, result, GENERAL)
