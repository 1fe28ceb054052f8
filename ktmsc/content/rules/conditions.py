"""Rules for conditions (``show_if``): they name an item asked earlier, use its option ids or
a number threshold, and a stronger answer to the gate never hides what a weaker one shows."""

from __future__ import annotations

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.model.schema import GENERAL, Condition, Item


def condition_problem(condition: Condition, item: Item) -> str:
    """What is wrong with a condition on ``item`` outside ``show_if`` (a recommendation's
    ``not_if``/``only_if``, the plan's ``strained_if``): options it does not have, or not
    exactly one of ``any_of`` and ``at_least``; "" when nothing is."""
    unknown = [o for o in condition.any_of or [] if item.option(o) is None]
    if unknown:
        return f"has no option {', '.join(unknown)}"
    if (condition.any_of is None) == (condition.at_least is None):
        return "needs either `any_of` or `at_least`"
    return ""


def check_condition(
    doc: Document,
    item: Item,
    condition: Condition,
    path: tuple,
    position: tuple[str, int],
    item_position: dict[str, tuple[str, int]],
    items_by_id: dict[str, Item],
    report: Reporter,
) -> None:
    ref = condition.item
    if ref not in items_by_id:
        report.add("C001", doc, path + ("item",), ref=ref, hint=did_you_mean(ref, list(items_by_id)))
        return
    ref_section, ref_index = item_position[ref]
    section_id, index = position
    asked_before = ref_section == GENERAL != section_id or (ref_section == section_id and ref_index < index)
    if not asked_before:
        report.add("C002", doc, path + ("item",), ref=ref)
        return
    gate = items_by_id[ref]
    if item.public and not gate.public:
        report.add("C006", doc, path + ("item",), ref=ref)
    if gate.type == "number":
        if condition.at_least is None or condition.any_of is not None:
            report.add("C005", doc, path, ref=ref)
        return
    if condition.any_of is None or condition.at_least is not None or not condition.any_of:
        report.add("C005", doc, path, ref=ref)
        return
    _check_options(doc, gate, condition, path, report)


def _check_options(doc: Document, gate: Item, condition: Condition, path: tuple, report: Reporter) -> None:
    option_ids = [o.id for o in gate.options]
    unknown = [o for o in condition.any_of if o not in option_ids]
    for option_id in unknown:
        hint = did_you_mean(option_id, option_ids)
        report.add(
            "C003", doc, path + ("any_of",), option=option_id, ref=gate.id, options=", ".join(option_ids), hint=hint
        )
    if unknown or gate.type == "multi":
        return  # choosing more options of a multi item can only satisfy `any_of`
    shown = [o for o in gate.options if o.id in condition.any_of]
    lowest_shown = min(shown, key=lambda o: o.score)
    hidden = next((o for o in gate.options if o.id not in condition.any_of and o.score > lowest_shown.score), None)
    if hidden is not None:
        report.add("C004", doc, path + ("any_of",), ref=gate.id, shown=lowest_shown.id, hidden=hidden.id)
