"""The shortest way to a target: the cheapest answer changes that put a domain in a chosen type.

A municipality picks, for one domain, the type it wants to be in two years from now. The
proposal is the set of measures – each one answer moved to a stronger one – that puts the
domain's *whole interval* inside the target quadrant (stable there, not just its point),
at the least cost:

* **Cost.** Every option (or band) of an item says what it takes to reach it from the next
  weaker one (``effort: low | medium | high``, unset: medium; in a multiple choice, what it
  takes to add it). A measure costs the sum over the steps it climbs, each step the
  ``plan.effort_costs`` of its class; under the answers in ``plan.strained_if`` (budget
  consolidation) a high-effort step costs ``plan.strained_high_factor`` times as much, so a
  shared post that reaches the same target wins over new posts.
* **What can change.** Only answered questions, only upwards, and only what the municipality
  can change by a measure of its own (an item with ``measure: false``, such as the budget
  situation, is never proposed): nothing is proposed that
  the answers show as done, and an open question ("don't know", unanswered) is not guessed;
  if the target needs it, the proposal says so. A follow-up that a measure opens (several
  pilots open "what was decided after them") starts at its weakest answer and can itself
  be part of the plan.
* **Guarantee.** The search is exact: a depth-first branch and bound over the measures in a
  fixed order, which prunes a branch only when it already costs at least the best plan found
  or when even every remaining measure at its strongest would leave a dimension the target
  needs high below its threshold. That bound holds because a stronger answer never lowers a
  domain's floor (the content's follow-up rule keeps gates monotone). Every candidate set is
  judged by the real scoring, so gates and follow-ups count exactly as on the results page.
  The search stops after ``plan.max_nodes`` steps; then ``proven`` is False (the plan found
  is the best seen, not proven cheapest). Among plans of equal cost the one with fewer
  measures wins. ``tests/test_plan.py`` holds it against brute force on small questionnaires.

Nothing here touches the saved answers: a proposal is computed on a copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ktmsc.model.answers import State, condition_met, item_states, number_band, weakest_answer
from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import Municipality, Questionnaire
from ktmsc.model.schema import GENERAL, Effort, Item
from ktmsc.scoring import DomainResult, score

EFFORT_ORDER: tuple[Effort, ...] = ("low", "medium", "high")
DEFAULT_EFFORT: Effort = "medium"


@dataclass(frozen=True)
class Choice:
    """One stronger answer an item can move to, and what it takes from the current one."""

    value: Any
    item_score: float
    cost: float
    effort: Effort  # the largest effort class among the steps


@dataclass(frozen=True)
class Variable:
    item_id: str
    current: Any  # the answer now (a follow-up a measure would open: its weakest answer)
    choices: tuple[Choice, ...]  # strongest first


@dataclass(frozen=True)
class Measure:
    item_id: str
    from_value: Any
    to_value: Any
    effort: Effort
    cost: float
    gains: dict[str, float]  # points on each dimension of the domain, this measure alone


@dataclass(frozen=True)
class Proposal:
    domain: str
    target: str
    status: Literal["reached", "proposed", "unreachable"]
    measures: tuple[Measure, ...]
    cost: float
    before: DomainResult
    after: DomainResult  # projected (the same as before when nothing is proposed)
    open_items: tuple[str, ...] = ()  # unknown answers the target depends on
    proven: bool = True
    nodes: int = 0
    reason: str | None = None  # unreachable: "open" (answer these first) or "beyond" (not by improving)

    def to_json(self) -> dict[str, Any]:
        """What ``python -m ktmsc plan`` prints: the measures and the point and interval before and after."""

        def place(result: DomainResult) -> dict[str, Any]:
            return {
                "type": result.type_id,
                "stable": result.stable,
                **{
                    dim: {"score": _rounded(d.score), "min": _rounded(d.min), "max": _rounded(d.max)}
                    for dim, d in result.dimensions.items()
                },
            }

        return {
            "domain": self.domain,
            "target": self.target,
            "status": self.status,
            "reason": self.reason,
            "proven_cheapest": self.proven,
            "cost": self.cost,
            "measures": [
                {
                    "item": m.item_id,
                    "from": m.from_value,
                    "to": m.to_value,
                    "effort": m.effort,
                    "cost": m.cost,
                    "points": {dim: _rounded(g) for dim, g in m.gains.items()},
                }
                for m in self.measures
            ],
            "open_items": list(self.open_items),
            "before": place(self.before),
            "after": place(self.after),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- what each item can move to -----------------------------------------------------------------


def step_cost(questionnaire: Questionnaire, effort: Effort | None, strained: bool) -> float:
    plan = questionnaire.model.plan
    effort = effort or DEFAULT_EFFORT
    factor = plan.strained_high_factor if strained and effort == "high" else 1.0
    return plan.effort_costs[effort] * factor


def _max_effort(efforts: list[Effort | None]) -> Effort:
    return max((e or DEFAULT_EFFORT for e in efforts), key=EFFORT_ORDER.index)


def choices(item: Item, value: Any, where: Municipality, questionnaire: Questionnaire, strained: bool) -> list[Choice]:
    """The stronger answers ``item`` can move to from ``value`` (an answered value), cheapest
    way to each; dominated ones (dearer and not stronger) left out; strongest first."""
    found: list[Choice] = []
    if item.type == "single":
        current = item.option(value)
        ranked = sorted(item.options, key=lambda o: o.score)
        for target in ranked:
            if target.score <= current.score:
                continue
            steps = [o for o in ranked if current.score < o.score <= target.score]
            cost = sum(step_cost(questionnaire, o.effort, strained) for o in steps)
            found.append(Choice(target.id, target.score, cost, _max_effort([o.effort for o in steps])))
    elif item.type == "multi":
        found = _multi_choices(item, value, questionnaire, strained)
    else:
        bands = item.bands_for(where.size_type)
        index = number_band(item, value, where)
        if index is None:
            return []
        for target in range(index + 1, len(bands)):
            if bands[target].score <= bands[index].score:
                continue
            steps = bands[index + 1 : target + 1]
            cost = sum(step_cost(questionnaire, b.effort, strained) for b in steps)
            found.append(
                Choice(
                    _band_value(item, bands, target, where),
                    bands[target].score,
                    cost,
                    _max_effort([b.effort for b in steps]),
                )
            )
    return _undominated(found)


def _band_value(item: Item, bands, index: int, where: Municipality) -> float:
    """A number in band ``index``: its upper bound, or one above the band below for the open last band."""
    top = bands[index].up_to
    relative = top if top is not None else (bands[index - 1].up_to or 0) + 1
    if item.per_inhabitants is not None and where.population:
        return round(relative * where.population / item.per_inhabitants, 2)
    return relative


def _multi_choices(item: Item, value: Any, questionnaire: Questionnaire, strained: bool) -> list[Choice]:
    """Adding boxes to a multiple choice: for every reachable item score, the cheapest set."""
    ticked = [v for v in value if not item.option(v).exclusive]
    base = sum(item.option(v).score for v in ticked)
    addable = [o for o in item.options if not o.exclusive and o.id not in ticked and o.score > 0]
    best: dict[float, tuple[float, list[str], list[Effort | None]]] = {}
    for mask in range(1, 2 ** len(addable)):
        added = [o for bit, o in enumerate(addable) if mask >> bit & 1]
        reached = round(min(1.0, base + sum(o.score for o in added)), 9)
        cost = sum(step_cost(questionnaire, o.effort, strained) for o in added)
        if reached > min(1.0, base) and (reached not in best or cost < best[reached][0]):
            best[reached] = (cost, [o.id for o in added], [o.effort for o in added])
    order = [o.id for o in item.options]
    return [
        Choice(sorted([*ticked, *ids], key=order.index), reached, cost, _max_effort(efforts))
        for reached, (cost, ids, efforts) in best.items()
    ]


def _undominated(found: list[Choice]) -> list[Choice]:
    kept = [c for c in found if not any(o.cost <= c.cost and o.item_score > c.item_score for o in found)]
    return sorted(kept, key=lambda c: -c.item_score)


# --- the search ---------------------------------------------------------------------------------


def _strained(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> bool:
    return any(condition_met(c, answers.get(c.item)) for c in questionnaire.model.plan.strained_if)


class _Search:
    def __init__(self, questionnaire: Questionnaire, assessment: Assessment, domain: str, target: str) -> None:
        self.q = questionnaire
        self.domain = domain
        self.profile = assessment.profile
        self.perspective = assessment.perspective
        self.levels = questionnaire.types[target].quadrant
        self.target = target
        self.where = questionnaire.municipality(self.profile.population, self.profile.body_kind)
        self.real = dict(assessment.answers)
        # Effective weights per dimension in this domain (general items re-weighted), by item id.
        self.weights = {
            dim: {item.id: w for item, w in questionnaire.weighted_items(domain, dim, self.perspective)}
            for dim in questionnaire.dimension_ids
        }
        self.baseline, self.variables, self.start_scores = self._variables()
        self.max_nodes = questionnaire.model.plan.max_nodes
        self.nodes = 0
        self.best: tuple[float, int, dict[int, Choice]] | None = None

    def evaluate(self, answers: Mapping[str, Any], detail: bool = False) -> DomainResult:
        return score(
            self.q,
            answers,
            [self.domain],
            self.perspective,
            self.profile.population,
            body_kind=self.profile.body_kind,
            detail=detail,
        ).domains[self.domain]

    def _variables(self) -> tuple[dict[str, Any], list[Variable], dict[str, float]]:
        """The answers to start from (a hidden follow-up at its weakest), the measures, and each
        item's score now (0 where it is not asked)."""
        sections = [GENERAL, self.domain]
        states = item_states(
            self.q, self.real, sections, self.perspective, self.profile.population, self.profile.body_kind
        )
        baseline = dict(self.real)
        for item_id, state in states.items():
            if state.state is State.HIDDEN and item_id not in baseline:
                baseline[item_id] = weakest_answer(self.q.items[item_id])
        strained = _strained(self.q, self.real)
        weighted = {item_id for dim in self.weights.values() for item_id, w in dim.items() if w > 0}
        variables = []
        for item_id, state in states.items():
            movable = state.state is State.ANSWERED or (state.state is State.HIDDEN and item_id not in self.real)
            if item_id not in weighted or not movable or not self.q.items[item_id].measure:
                continue
            found = choices(self.q.items[item_id], baseline[item_id], self.where, self.q, strained)
            if found:
                variables.append(Variable(item_id, baseline[item_id], tuple(found)))
        return baseline, variables, {item_id: state.score or 0.0 for item_id, state in states.items()}

    def answers(self, assignment: Mapping[int, Choice]) -> dict[str, Any]:
        answers = dict(self.baseline)
        for index, choice in assignment.items():
            answers[self.variables[index].item_id] = choice.value
        return answers

    def stable_in_target(self, result: DomainResult) -> bool:
        return result.stable and result.type_id == self.target

    def _gains(self) -> list[list[dict[str, float]]]:
        """Per variable and choice, an upper bound of the points it adds to each dimension
        (in weight units): its own step, and for a gate every follow-up's whole weight (it
        may open or close them)."""
        weights = self.weights
        follow_ups: dict[str, list[str]] = {}
        for item_id, item in self.q.items.items():
            for condition in item.show_if:
                follow_ups.setdefault(condition.item, []).append(item_id)
        gains = []
        for variable in self.variables:
            now = self.start_scores[variable.item_id]
            extra = {
                dim: sum(weights[dim].get(f, 0.0) for f in follow_ups.get(variable.item_id, [])) for dim in weights
            }
            gains.append(
                [
                    {
                        dim: weights[dim].get(variable.item_id, 0.0) * (c.item_score - now) + extra[dim]
                        for dim in weights
                    }
                    for c in variable.choices
                ]
            )
        return gains

    def _lower_bound(self, result: DomainResult, start: int) -> float:
        """The least further cost with which every dimension the target needs high could get its
        floor to the threshold: a fractional knapsack over the measures still open (a relaxation,
        so never more than the true cost); infinite when even all of them are not enough."""
        bound = 0.0
        for dim, ranked in self.offers.items():
            d = result.dimensions[dim]
            points = (d.score or 0.0) / 100 * d.known_weight
            need = self.q.threshold(dim) / 100 * d.total_weight - points
            if need <= 1e-12:
                continue
            cost = 0.0
            for gain, price in ((gain, price) for j, gain, price in ranked if j >= start):
                if gain >= need:
                    cost += price * need / gain
                    need = 0.0
                    break
                cost += price
                need -= gain
            if need > 1e-12:
                return float("inf")
            bound = max(bound, cost)
        return bound

    def run(self) -> None:
        self.gains = self._gains()
        self._order_by_value()
        # Per dimension the target needs high, every measure's points with its cost and
        # variable, most points per cost first: the bound walks it at every node.
        self.offers = {
            dim: [
                (j, g[dim], c.cost)
                for _ratio, j, g, c in sorted(
                    (
                        (g[dim] / c.cost, j, g, c)
                        for j, variable in enumerate(self.variables)
                        for c, g in zip(variable.choices, self.gains[j], strict=True)
                        if g[dim] > 0
                    ),
                    key=lambda offer: -offer[0],
                )
            ]
            for dim, level in self.levels.items()
            if level == "high"
        }
        self._greedy()
        self._dfs(0, {}, 0.0)

    def _order_by_value(self) -> None:
        """Most points per cost first: good plans come early, and their cost prunes the rest."""
        high = [dim for dim, level in self.levels.items() if level == "high"]

        def value(j: int) -> float:
            return max(
                (
                    g[dim] / c.cost
                    for c, g in zip(self.variables[j].choices, self.gains[j], strict=True)
                    for dim in high
                ),
                default=0.0,
            )

        order = sorted(range(len(self.variables)), key=value, reverse=True)
        self.variables = [self.variables[j] for j in order]
        self.gains = [self.gains[j] for j in order]

    def _greedy(self) -> None:
        """A first plan: take the measure with the most points per cost until the target holds.
        Its cost bounds the exact search from the start."""
        assignment: dict[int, Choice] = {}
        cost = 0.0
        while True:
            result = self.evaluate(self.answers(assignment))
            if assignment and self.stable_in_target(result):
                self.best = (cost, len(assignment), dict(assignment))
                return
            needy = [
                dim
                for dim, level in self.levels.items()
                if level == "high" and result.dimensions[dim].min < self.q.threshold(dim)
            ]
            offers = [
                (max((g[dim] for dim in needy), default=0.0) / c.cost, j, c)
                for j, variable in enumerate(self.variables)
                if j not in assignment
                for c, g in zip(variable.choices, self.gains[j], strict=True)
            ]
            offers = [o for o in offers if o[0] > 0]
            if not offers:
                return
            _value, j, choice = max(offers, key=lambda o: o[0])
            assignment[j] = choice
            cost += choice.cost

    def _better(self, cost: float, count: int) -> bool:
        return self.best is None or (cost, count) < self.best[:2]

    def _dfs(self, start: int, assignment: dict[int, Choice], cost: float) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            return
        result = self.evaluate(self.answers(assignment))
        if assignment and self.stable_in_target(result):
            if self._better(cost, len(assignment)):
                self.best = (cost, len(assignment), dict(assignment))
            return  # anything more only costs more
        bound = self._lower_bound(result, start)
        if bound == float("inf") or not self._better(cost + bound - 1e-9, len(assignment) + 1):
            return
        for j in range(start, len(self.variables)):
            for choice in sorted(self.variables[j].choices, key=lambda c: c.cost):
                if self._better(cost + choice.cost, len(assignment) + 1):
                    assignment[j] = choice
                    self._dfs(j + 1, assignment, cost + choice.cost)
                    del assignment[j]


def shortest_way(questionnaire: Questionnaire, assessment: Assessment, domain: str, target: str) -> Proposal:
    """The cheapest measures that make ``domain`` stable in the type ``target`` (see the module)."""
    if target not in questionnaire.types:
        raise KeyError(f"unknown type {target!r}: one of {', '.join(questionnaire.types)}")
    if domain not in questionnaire.domain_ids:
        raise KeyError(f"unknown domain {domain!r}: one of {', '.join(questionnaire.domain_ids)}")
    search = _Search(questionnaire, assessment, domain, target)
    before = search.evaluate(search.real, detail=True)
    if search.stable_in_target(before):
        return Proposal(domain, target, "reached", (), 0.0, before, before)
    search.run()
    proven = search.nodes <= search.max_nodes
    if search.best is None:
        return _unreachable(search, before, proven)
    cost, _count, assignment = search.best
    proposed = search.answers(assignment)
    after = search.evaluate(proposed, detail=True)
    measures = []
    for index in sorted(assignment):
        variable, choice = search.variables[index], assignment[index]
        alone = search.evaluate({**search.baseline, variable.item_id: choice.value})
        gains = {
            d: (alone.dimensions[d].score or 0) - (before.dimensions[d].score or 0) for d in questionnaire.dimension_ids
        }
        measures.append(Measure(variable.item_id, variable.current, choice.value, choice.effort, choice.cost, gains))
    return Proposal(
        domain,
        target,
        "proposed",
        tuple(measures),
        cost,
        before,
        after,
        proven=proven,
        nodes=search.nodes,
    )


def _unreachable(search: _Search, before: DomainResult, proven: bool) -> Proposal:
    """No plan of improvements gets there: say whether open answers stand in the way."""
    open_items = tuple(i for dim in before.dimensions.values() for i in dim.open_items)
    reason = "open" if open_items else "beyond"
    return Proposal(
        search.domain,
        search.target,
        "unreachable",
        (),
        0.0,
        before,
        before,
        open_items=tuple(dict.fromkeys(open_items)),
        proven=proven,
        nodes=search.nodes,
        reason=reason,
    )
