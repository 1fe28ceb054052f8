"""Rules for the section files: one file per section, every item checked
(:mod:`~ktmsc.content.rules.items`), ids unique across sections, conditions last
(:mod:`~ktmsc.content.rules.conditions`)."""

from __future__ import annotations

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.content.rules.common import check_ids, check_texts, unreadable_sections
from ktmsc.content.rules.conditions import check_condition
from ktmsc.content.rules.items import ItemRules, check_item
from ktmsc.model.limits import MAX_STEP_QUESTIONS
from ktmsc.model.schema import GENERAL, Item, ModelFile, SectionFile

Sections = dict[str, tuple[Document, SectionFile]]


def check_sections(model: ModelFile, docs: list[Document], report: Reporter, folder: str) -> Sections:
    known_sections = [GENERAL] + [d.id for d in model.domains]
    sections = _readable_sections(docs, known_sections, report)
    _check_items(model, sections, report)
    for doc, section in sections.values():
        _check_topics(doc, section, report)
    for section_id in known_sections:
        if section_id not in sections and section_id not in unreadable_sections(docs):
            what = "the general section" if section_id == GENERAL else f"the domain `{section_id}`"
            report.add("D001", folder, what=what, name=section_id)
    return sections


def _readable_sections(docs: list[Document], known_sections: list[str], report: Reporter) -> Sections:
    """The parsed section files by section id, general first; unknown and repeated sections reported."""

    def position(doc: Document) -> tuple[int, str]:
        section_id = doc.parsed.section
        index = known_sections.index(section_id) if section_id in known_sections else len(known_sections)
        return index, doc.file

    sections: Sections = {}
    for doc in sorted((d for d in docs if d.parsed is not None), key=position):
        section: SectionFile = doc.parsed
        check_texts(doc, report)
        if section.section not in known_sections:
            hint = did_you_mean(section.section, known_sections)
            report.add("D007", doc, ("section",), section=section.section, hint=hint)
        elif section.section in sections:
            report.add("D002", doc, ("section",), section=section.section, other=sections[section.section][0].file)
        else:
            sections[section.section] = (doc, section)
    return sections


def _check_items(model: ModelFile, sections: Sections, report: Reporter) -> None:
    rules = ItemRules.of(model)
    item_ids: dict[str, str] = {}
    item_position: dict[str, tuple[str, int]] = {}
    items_by_id: dict[str, Item] = {}
    # Items of the general section come first in every domain, so it is checked first.
    for section_id, (doc, section) in sections.items():
        check_ids(doc, section.items, ("items",), report, item_ids)
        for index, item in enumerate(section.items):
            check_item(doc, item, ("items", index), rules, report)
            if item.id not in items_by_id:
                items_by_id[item.id] = item
                item_position[item.id] = (section_id, index)
    # Conditions last: a reference to a later item or another domain deserves its own message.
    for section_id, (doc, section) in sections.items():
        for index, item in enumerate(section.items):
            for c_index, condition in enumerate(item.show_if):
                where = ("items", index, "show_if", c_index)
                check_condition(doc, item, condition, where, (section_id, index), item_position, items_by_id, report)


def _check_topics(doc: Document, section: SectionFile, report: Reporter) -> None:
    """Topics are the section's steps: each item in exactly one, in the file's order, none longer
    than a step (question numbers follow the file, so a topic cannot reorder them)."""
    if not section.topics:
        return
    check_ids(doc, section.topics, ("topics",), report)
    order = [item.id for item in section.items]
    found: dict[str, int] = {}
    listed: list[str] = []
    for t_index, topic in enumerate(section.topics):
        where = ("topics", t_index)
        if len(topic.items) > MAX_STEP_QUESTIONS:
            report.add("D011", doc, (*where, "items"), topic=topic.id, count=len(topic.items), limit=MAX_STEP_QUESTIONS)
        for i_index, item_id in enumerate(topic.items):
            if item_id not in order:
                hint = did_you_mean(item_id, order)
                report.add(
                    "D008",
                    doc,
                    (*where, "items", i_index),
                    topic=topic.id,
                    item=item_id,
                    section=section.section,
                    hint=hint,
                )
                continue
            found[item_id] = found.get(item_id, 0) + 1
            if listed and order.index(item_id) != order.index(listed[-1]) + 1 and found[item_id] == 1:
                report.add("D010", doc, (*where, "items", i_index), topic=topic.id, item=item_id, previous=listed[-1])
            listed.append(item_id)
    for index, item_id in enumerate(order):
        if found.get(item_id, 0) != 1:
            report.add("D009", doc, ("items", index, "id"), item=item_id, count=found.get(item_id, 0))
