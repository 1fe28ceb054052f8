"""Rules that keep the score monotone with follow-up questions.

A follow-up hidden by its gate's answer is left out of the score (it does not apply). When a
better answer to the gate shows it, the follow-up enters the score — in the worst case at its
weakest answer. The score cannot fall if the gate's own gain pays for that: on every dimension
the follow-up loads on, in every domain and perspective,

    w_gate · (s_showing − s_hiding)  ≥  Σ w_follow-up   (over the follow-ups the step shows)

(the proof is in docs/SCORING.md). A number or multi-choice gate can show a follow-up without
any gain (just below and just above a threshold score the same, a capped multi answer stays at
1), so such gates may only show follow-ups without weight.
"""

from __future__ import annotations

from collections import defaultdict

from ktmsc.content.document import Reporter
from ktmsc.content.rules.sections import Sections
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN, Questionnaire
from ktmsc.model.schema import GENERAL, Item

# Float noise in weights re-scaled by the general share must not fail an exact equality.
TOLERANCE = 1e-9


def check_follow_ups(questionnaire: Questionnaire, sections: Sections, report: Reporter) -> None:
    where = _positions(sections)
    by_gate: dict[str, list[tuple[Item, int]]] = defaultdict(list)
    for item in questionnaire.items.values():
        for c_index, condition in enumerate(item.show_if):
            by_gate[condition.item].append((item, c_index))
    for gate_id, follow_ups in by_gate.items():
        gate = questionnaire.items[gate_id]
        if gate.type != "single":
            for item, c_index in follow_ups:
                if any(w > 0 for w in item.weights.values()):
                    doc, index = where[item.id]
                    path = ("items", index, "show_if", c_index, "item")
                    report.add("C008", doc, path, type=gate.type, ref=gate_id)
            continue
        _check_steps(questionnaire, gate, follow_ups, where, report)


def _positions(sections: Sections) -> dict[str, tuple]:
    return {item.id: (doc, index) for doc, section in sections.values() for index, item in enumerate(section.items)}


def _check_steps(questionnaire: Questionnaire, gate: Item, follow_ups, where, report: Reporter) -> None:
    """Every step from a hiding to a stronger showing option pays for what it shows."""
    for hiding in gate.options:
        for showing in gate.options:
            if showing.score <= hiding.score:
                continue
            shown = [
                (item, c_index)
                for item, c_index in follow_ups
                if showing.id in item.show_if[c_index].any_of and hiding.id not in item.show_if[c_index].any_of
            ]
            if not shown:
                continue
            problem = _shortfall(questionnaire, gate, [item for item, _ in shown], showing.score - hiding.score)
            if problem is not None:
                domain, dim, gain, needed = problem
                item, c_index = shown[0]
                doc, index = where[item.id]
                path = ("items", index, "show_if", c_index, "item")
                report.add(
                    "C007", doc, path, domain=domain, hidden=hiding.id, shown=showing.id, ref=gate.id,
                    gain=gain, dim=dim, needed=needed,
                )  # fmt: skip
                return  # one message per gate is enough to fix it


def _shortfall(questionnaire: Questionnaire, gate: Item, shown: list[Item], step: float):
    """The first domain × dimension where the gate's gain falls short, or None."""
    section = questionnaire.section_of[gate.id]
    domains = questionnaire.domain_ids if section == GENERAL else (section,)
    ids = {item.id for item in shown}
    for perspective in (PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN):
        for domain in domains:
            for dim in questionnaire.dimension_ids:
                weights = dict((i.id, w) for i, w in questionnaire.weighted_items(domain, dim, perspective))
                needed = sum(weights.get(i, 0.0) for i in ids)
                gain = weights.get(gate.id, 0.0) * step
                if needed > 0 and gain + TOLERANCE < needed:
                    return domain, dim, gain, needed
    return None
