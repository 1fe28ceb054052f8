"""Rules for the recommendation files: a file per section, recommendations for every type in
every domain, paths along every axis, every piece of advice tied to the answers that call
for it, tips tied to an item of their own section, known roles, size types, body kinds and
topics, unique ids across all files, and no advice repeated domain by domain."""

from __future__ import annotations

from dataclasses import dataclass, field

from ktmsc.content.document import Document, Reporter, format_path
from ktmsc.content.errors import did_you_mean
from ktmsc.content.rules.common import check_id, check_texts, unreadable_sections
from ktmsc.content.rules.conditions import condition_problem
from ktmsc.model.schema import GENERAL, Item, ModelFile, Recommendation, RecommendationsFile, SectionFile


@dataclass
class _Known:
    """What recommendations may refer to, and the ids seen so far."""

    sections: list[str]
    types: list[str]
    dims: list[str]
    roles: list[str]
    size_types: list[str]
    body_kinds: list[str]
    topics: list[str]
    item_section: dict[str, str]
    items: dict[str, Item]
    unreadable: set[str]  # sections whose file has structural errors: their items are unknown here
    seen_ids: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # German title → where it was first seen

    @classmethod
    def of(cls, model: ModelFile, sections: dict[str, tuple[Document, SectionFile]], unreadable: set[str]) -> _Known:
        return cls(
            sections=[GENERAL] + [d.id for d in model.domains],
            types=[t.id for t in model.types],
            dims=[d.id for d in model.dimensions],
            roles=[r.id for r in model.context.roles],
            size_types=[s.id for s in model.profile.size_types],
            body_kinds=[k.id for k in model.profile.body_kinds],
            topics=[t.id for t in model.topics],
            item_section={item.id: sid for sid, (_, section) in sections.items() for item in section.items},
            items={item.id: item for _, section in sections.values() for item in section.items},
            unreadable=unreadable,
        )


def check_recommendations(
    model: ModelFile,
    sections: dict[str, tuple[Document, SectionFile]],
    docs: list[Document],
    report: Reporter,
    folder: str,
    unreadable: set[str] = frozenset(),
) -> None:
    known = _Known.of(model, sections, set(unreadable))
    by_section: dict[str, Document] = {}
    for doc in docs:
        if doc.parsed is None:
            continue
        recs: RecommendationsFile = doc.parsed
        check_texts(doc, report)
        if recs.section not in known.sections:
            hint = did_you_mean(recs.section, known.sections)
            report.add("D007", doc, ("section",), section=recs.section, hint=hint)
            continue
        if recs.section in by_section:
            report.add("D002", doc, ("section",), section=recs.section, other=by_section[recs.section].file)
            continue
        by_section[recs.section] = doc
        _check_file(doc, recs, known, report)
        _check_counts(doc, recs, model, known, report)
    for section_id in known.sections:
        if section_id not in by_section and section_id not in unreadable_sections(docs):
            what = "the general section (paths)" if section_id == GENERAL else f"the domain `{section_id}`"
            report.add("R006", folder, what=what, name=section_id)


def _check_file(doc: Document, recs: RecommendationsFile, known: _Known, report: Reporter) -> None:
    for type_id, entries in recs.by_type.items():
        if type_id not in known.types:
            hint = did_you_mean(type_id, known.types)
            report.add("R002", doc, ("by_type", type_id), ref=type_id, hint=hint, options=", ".join(known.types))
        _check_entries(doc, recs.section, entries, ("by_type", type_id), known, report)
    for dim, entries in recs.paths.items():
        if dim not in known.dims:
            report.add("I013", doc, ("paths", dim), dim=dim, hint=did_you_mean(dim, known.dims))
        _check_entries(doc, recs.section, entries, ("paths", dim), known, report)
    _check_entries(doc, recs.section, recs.cross_domain, ("cross_domain",), known, report)
    for t_index, tip in enumerate(recs.tips):
        where = ("tips", t_index)
        check_id(doc, tip.id, where + ("id",), report, known.seen_ids, "R005")
        if tip.item not in known.item_section:
            hint = did_you_mean(tip.item, list(known.item_section))
            report.add("R003", doc, where + ("item",), ref=tip.item, hint=hint)
        elif known.item_section[tip.item] != recs.section:
            report.add("R007", doc, where + ("item",), ref=tip.item, expected=known.item_section[tip.item])
        if not 0 <= tip.max_score <= 1:
            report.add("I004", doc, where + ("max_score",), score=tip.max_score)


def _check_counts(doc: Document, recs: RecommendationsFile, model: ModelFile, known: _Known, report: Reporter) -> None:
    rules = model.content_rules
    if recs.section == GENERAL:
        for dim in known.dims:
            count = len(recs.paths.get(dim, []))
            if count < rules.min_paths:
                report.add("R004", doc, ("paths",), dim=dim, count=count, minimum=rules.min_paths)
        return
    for type_id in known.types:
        count = len(recs.by_type.get(type_id, []))
        if count < rules.min_recommendations:
            minimum = rules.min_recommendations
            report.add("R001", doc, ("by_type",), type=type_id, domain=recs.section, count=count, minimum=minimum)


def _check_entries(
    doc: Document, section: str, entries: list[Recommendation], path: tuple, known: _Known, report: Reporter
) -> None:
    for index, rec in enumerate(entries):
        where = path + (index,)
        check_id(doc, rec.id, where + ("id",), report, known.seen_ids, "R005")
        for key, ids in (("roles", known.roles), ("size_types", known.size_types), ("body_kinds", known.body_kinds)):
            for r_index, ref in enumerate(getattr(rec, key)):
                if ref not in ids:
                    report.add("M007", doc, where + (key, r_index), ref=ref, where=key, hint=did_you_mean(ref, ids))
        for t_index, tag in enumerate(rec.topics):
            if tag not in known.topics:
                hint = did_you_mean(tag, known.topics)
                report.add("I007", doc, where + ("topics", t_index), tag=tag, hint=hint)
        _check_answers_referred(doc, section, rec, where, known, report)
        if section != GENERAL:
            title = rec.title.de.strip().casefold()
            first = known.titles.setdefault(title, f"{doc.file} {format_path(where)}")
            if not first.startswith(f"{doc.file} "):
                report.add("R010", doc, where + ("title",), title=rec.title.de, other=first)


def _check_answers_referred(
    doc: Document, section: str, rec: Recommendation, where: tuple, known: _Known, report: Reporter
) -> None:
    """Triggers and `not_if` name items this section asks (or the general section), with their options."""
    if not rec.triggers:
        report.add("R008", doc, where)
    for t_index, trigger in enumerate(rec.triggers):
        problem = _item_problem(trigger.item, section, known)
        if problem:
            report.add("R009", doc, where + ("triggers", t_index, "item"), ref=trigger.item, problem=problem)
        if not 0 <= trigger.max_score <= 1:
            report.add("I004", doc, where + ("triggers", t_index, "max_score"), score=trigger.max_score)
    for key in ("not_if", "only_if"):
        for c_index, condition in enumerate(getattr(rec, key)):
            problem = _item_problem(condition.item, section, known) or condition_problem(
                condition, known.items[condition.item]
            )
            if problem:
                report.add("R009", doc, where + (key, c_index, "item"), ref=condition.item, problem=problem)


def _item_problem(item_id: str, section: str, known: _Known) -> str:
    if item_id not in known.items:
        if known.unreadable & {section, GENERAL}:
            return ""  # the section's file is broken and already reported: its items are unknown
        return "is not an item" + did_you_mean(item_id, list(known.items))
    if known.item_section[item_id] not in (GENERAL, section):
        return f"is asked in {known.item_section[item_id]}, not here"
    return ""
