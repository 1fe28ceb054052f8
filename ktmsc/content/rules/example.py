"""Rules for the invented example municipality (``example.yaml``): its profile and domains
name what model.yaml defines, and its answers fit the questionnaire as it is now.

An item renamed or removed, an option renamed, a new question nobody answered: each is found
here, with the file and YAML path, when the content is loaded, so the example's pages never
break on an answer the questionnaire can no longer read.
"""

from __future__ import annotations

import json
from typing import Any

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.i18n import LANGS
from ktmsc.model.answers import State, answer_score, item_states
from ktmsc.model.limits import MAX_NAME
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN, Questionnaire
from ktmsc.model.schema import GENERAL, ExampleFile, Item

SHOWN_IDS = 5


def check_example(questionnaire: Questionnaire, doc: Document, report: Reporter) -> None:
    example: ExampleFile = doc.parsed
    _check_profile(questionnaire, example, doc, report)
    for lang in LANGS:
        if len(example.name.get(lang)) > MAX_NAME:
            report.add("E007", doc, ("name", lang), limit=MAX_NAME)
    known_domains = [d for d in example.domains if d in questionnaire.domain_ids]
    profile = example.profile
    where = questionnaire.municipality(profile.population, profile.body_kind)
    readable: dict[str, Any] = {}
    for item_id, value in example.answers.items():
        item = questionnaire.items.get(item_id)
        if item is None:
            report.add("E001", doc, ("answers", item_id), ref=item_id, hint=did_you_mean(item_id, questionnaire.items))
        elif answer_score(item, value, where).state is State.INVALID:
            shown = json.dumps(value, ensure_ascii=False)[:60]
            report.add("E002", doc, ("answers", item_id), ref=item_id, value=shown, expected=_expected(item))
        else:
            readable[item_id] = value
    sections = [GENERAL, *questionnaire.ordered_domains(known_domains)]
    states = item_states(questionnaire, readable, sections, profile.perspective, profile.population, profile.body_kind)
    for item_id in readable:
        why = _why_not_asked(questionnaire, item_id, known_domains, profile.perspective, states)
        if why:
            report.add("E003", doc, ("answers", item_id), ref=item_id, why=why)
    missing = [i for i, s in states.items() if s.state is State.UNANSWERED]
    if missing:
        shown = ", ".join(missing[:SHOWN_IDS]) + (
            f" and {len(missing) - SHOWN_IDS} more" if len(missing) > SHOWN_IDS else ""
        )
        report.add("E005", doc, ("answers",), count=len(missing), ids=shown)


def _check_profile(questionnaire: Questionnaire, example: ExampleFile, doc: Document, report: Reporter) -> None:
    lists = questionnaire.model.profile
    known = {
        ("profile", "body_kind"): ({k.id for k in lists.body_kinds}, "profile.body_kinds"),
        ("profile", "state"): ({s.id for s in lists.states}, "profile.states"),
    }
    values = {("profile", "body_kind"): [example.profile.body_kind], ("profile", "state"): [example.profile.state]}
    for path, (ids, where) in known.items():
        for value in values[path]:
            if value not in ids:
                report.add("E004", doc, path, ref=value, where=where, hint=did_you_mean(value, ids))
    for index, domain in enumerate(example.domains):
        if domain not in questionnaire.domain_ids:
            hint = did_you_mean(domain, questionnaire.domain_ids)
            report.add("E004", doc, ("domains", index), ref=domain, where="domains", hint=hint)


def _expected(item: Item) -> str:
    if item.type == "number":
        return "a number of at least 0 without quotes"
    options = ", ".join(f"`{o.id}`" for o in item.options)
    if item.type == "multi":
        exclusive = [f"`{o.id}`" for o in item.options if o.exclusive]
        alone = f" ({', '.join(exclusive)} only alone)" if exclusive else ""
        return f"a list of its options{alone}: {options}"
    return f"one of its options: {options}"


def _why_not_asked(questionnaire: Questionnaire, item_id: str, domains: list[str], perspective: str, states) -> str:
    section = questionnaire.section_of[item_id]
    if section != GENERAL and section not in domains:
        return f"its section `{section}` is not among the example's `domains`"
    if perspective == PERSPECTIVE_CITIZEN and not questionnaire.items[item_id].public:
        return "the citizens' view does not ask it"
    if states[item_id].state is State.HIDDEN:
        gates = ", ".join(f"`{c.item}`" for c in questionnaire.items[item_id].show_if)
        return f"the example's answer to {gates} hides it"
    return ""
