"""Rules for the shortest-way settings in model.yaml (`plan:`): a cost for every effort class,
rising with the effort, and conditions that name answers of the cross-cutting section."""

from __future__ import annotations

from typing import get_args

from ktmsc.content.document import Document, Reporter
from ktmsc.content.rules.conditions import condition_problem
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import GENERAL, Effort


def check_plan(model_doc: Document, questionnaire: Questionnaire, report: Reporter) -> None:
    plan = questionnaire.model.plan
    classes = get_args(Effort)
    costs = [plan.effort_costs.get(effort) for effort in classes]
    if None in costs or any(c <= 0 for c in costs) or costs != sorted(costs):
        got = ", ".join(f"{k}: {v}" for k, v in plan.effort_costs.items())
        expected = f"a positive cost for each of {', '.join(classes)}, rising in that order"
        report.add("M004", model_doc, ("plan", "effort_costs"), setting="plan.effort_costs", got=got, expected=expected)
    general = {item.id for item in questionnaire.general.items}
    for index, condition in enumerate(plan.strained_if):
        where = ("plan", "strained_if", index)
        item = questionnaire.items.get(condition.item)
        if item is None or condition.item not in general:
            got = f"`{condition.item}`"
            report.add(
                "M004",
                model_doc,
                where + ("item",),
                setting="plan.strained_if",
                got=got,
                expected=f"an item of the {GENERAL} section",
            )
            continue
        problem = condition_problem(condition, item)
        if problem:
            expected = f"`any_of` with options of {item.id} or `at_least`"
            report.add("M004", model_doc, where, setting="plan.strained_if", got=problem, expected=expected)
