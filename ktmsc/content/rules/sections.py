"""Rules for the section files: one file per section, every item checked
(:mod:`~ktmsc.content.rules.items`), ids unique across sections, conditions last
(:mod:`~ktmsc.content.rules.conditions`)."""

from __future__ import annotations

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.content.rules.common import check_ids, check_texts, unreadable_sections
from ktmsc.content.rules.conditions import check_condition
from ktmsc.content.rules.items import ItemRules, check_item
from ktmsc.model.schema import GENERAL, Item, ModelFile, SectionFile

Sections = dict[str, tuple[Document, SectionFile]]


def check_sections(model: ModelFile, docs: list[Document], report: Reporter, folder: str) -> Sections:
    known_sections = [GENERAL] + [d.id for d in model.domains]
    sections = _readable_sections(docs, known_sections, report)
    _check_items(model, sections, report)
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
