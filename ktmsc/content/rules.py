"""Rules that span files: ids, translations, conditions, coverage, recommendations.

Each ``_check_*`` function covers one family of rules and reports through the
:class:`~ktmsc.content.loader.Reporter`; :func:`check_and_build` runs them in order
and builds the :class:`Questionnaire` when the structure allows it.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ktmsc.content.errors import did_you_mean
from ktmsc.content.loader import Document, Reporter, format_path
from ktmsc.content.schema import (
    DONT_KNOW,
    GENERAL,
    ID_PATTERN,
    Item,
    L10n,
    ModelFile,
    RecommendationsFile,
    SectionFile,
)
from ktmsc.i18n import LANGS
from ktmsc.questionnaire import PERSPECTIVE_CITIZEN, Questionnaire, Section

DIMENSION_IDS = ("leistungsfaehigkeit", "veraenderungsbereitschaft")
DOMAIN_IDS = (
    "umwelt_energie",
    "verwaltung_bildung",
    "wirtschaft",
    "mobilitaet",
    "wohnen_gesundheit",
    "resilienz_sicherheit",
)
TYPE_IDS = ("bewahrerin", "mobilisiererin", "aktivistin", "leuchtturm")
_LANG_NAMES = {"de": "German", "en": "English"}


def check_and_build(
    model_doc: Document,
    section_docs: list[Document],
    recommendation_docs: list[Document],
    report: Reporter,
    source: str,
) -> Questionnaire | None:
    model: ModelFile = model_doc.parsed
    _check_texts(model_doc, report)
    _check_model(model_doc, report)
    folder = Path(source).name
    sections = _check_sections(model, section_docs, report, f"{folder}/sections/")
    _check_recommendations(model, sections, recommendation_docs, report, f"{folder}/recommendations/")
    if report.has_errors:
        return None
    questionnaire = _build(model, sections, recommendation_docs, source)
    _check_coverage(questionnaire, sections, report)
    _check_extremes(questionnaire, model_doc, report)
    return questionnaire


# --- texts ------------------------------------------------------------------------


def _walk_texts(value: Any, path: tuple):
    if isinstance(value, L10n):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk_texts(getattr(value, name), path + (name,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk_texts(child, path + (index,))
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _walk_texts(child, path + (key,))


def _check_texts(doc: Document, report: Reporter) -> None:
    for path, text in _walk_texts(doc.parsed, ()):
        for lang in LANGS:
            if not text.get(lang).strip():
                report.add("T002", doc, path + (lang,), lang_name=_LANG_NAMES[lang])


def _check_ids(doc: Document, entries: list, path: tuple, report: Reporter, seen: dict | None = None) -> None:
    seen = {} if seen is None else seen
    for index, entry in enumerate(entries):
        where = path + (index, "id")
        if not ID_PATTERN.match(entry.id):
            report.add("I002", doc, where, id=entry.id)
        if entry.id in seen:
            report.add("I001", doc, where, id=entry.id, first=seen[entry.id])
        else:
            seen[entry.id] = f"{doc.file} {format_path(where)}"


# --- model.yaml -----------------------------------------------------------------------


def _check_model(doc: Document, report: Reporter) -> None:
    model: ModelFile = doc.parsed
    dims = [d.id for d in model.dimensions]
    if sorted(dims) != sorted(DIMENSION_IDS):
        report.add("M001", doc, ("dimensions",), expected=", ".join(DIMENSION_IDS), found=", ".join(dims))
    axes = sorted(d.axis for d in model.dimensions)
    if axes != ["x", "y"]:
        report.add("M005", doc, ("dimensions",), found=", ".join(axes))
    domains = [d.id for d in model.domains]
    if sorted(domains) != sorted(DOMAIN_IDS):
        report.add("M002", doc, ("domains",), expected=", ".join(DOMAIN_IDS), found=", ".join(domains))

    for key in ("dimensions", "types", "domains", "topics"):
        _check_ids(doc, getattr(model, key), (key,), report)
    for key in ("body_kinds", "states", "size_types", "perspectives"):
        _check_ids(doc, getattr(model.profile, key), ("profile", key), report)
    for key in ("roles", "goals", "drivers", "charta_guidelines", "governance_options"):
        _check_ids(doc, getattr(model.context, key), ("context", key), report)

    type_ids = [t.id for t in model.types]
    if sorted(type_ids) != sorted(TYPE_IDS):
        report.add(
            "M003", doc, ("types",), problem=f"expected the types {', '.join(TYPE_IDS)}, found {', '.join(type_ids)}"
        )
    quadrants: dict[tuple, str] = {}
    for index, type_def in enumerate(model.types):
        if sorted(type_def.quadrant) != sorted(dims):
            report.add(
                "M003",
                doc,
                ("types", index, "quadrant"),
                problem=f"`{type_def.id}` must give a level for each of {', '.join(dims)}",
            )
            continue
        key = tuple(sorted(type_def.quadrant.items()))
        if key in quadrants:
            report.add(
                "M003",
                doc,
                ("types", index, "quadrant"),
                problem=f"`{type_def.id}` has the same quadrant as `{quadrants[key]}`",
            )
        quadrants[key] = type_def.id

    thresholds = model.scoring.thresholds
    if sorted(thresholds) != sorted(dims):
        report.add(
            "M004",
            doc,
            ("scoring", "thresholds"),
            setting="scoring.thresholds",
            got=", ".join(thresholds),
            expected=f"one threshold for each of {', '.join(dims)}",
        )
    for dim, value in thresholds.items():
        if not 0 < value < 100:
            report.add(
                "M004",
                doc,
                ("scoring", "thresholds", dim),
                setting=f"scoring.thresholds.{dim}",
                got=value,
                expected="a number between 0 and 100",
            )
    share = model.scoring.general_share
    if not 0 <= share < 1:
        report.add(
            "M004",
            doc,
            ("scoring", "general_share"),
            setting="scoring.general_share",
            got=share,
            expected="a fraction from 0 up to (not including) 1, e.g. 0.4",
        )

    previous_max: int | None = None
    for index, size_type in enumerate(model.profile.size_types):
        expected_min = 0 if previous_max is None else previous_max + 1
        if size_type.min_population != expected_min:
            report.add("M006", doc, ("profile", "size_types", index, "min_population"), at=size_type.id)
        if size_type.max_population is None and index != len(model.profile.size_types) - 1:
            report.add("M006", doc, ("profile", "size_types", index, "max_population"), at=size_type.id)
        previous_max = size_type.max_population


# --- sections -------------------------------------------------------------------------


def _check_sections(
    model: ModelFile, docs: list[Document], report: Reporter, folder: str
) -> dict[str, tuple[Document, SectionFile]]:
    known_sections = [GENERAL] + [d.id for d in model.domains]
    dims = {d.id for d in model.dimensions}
    topics = {t.id for t in model.topics}
    sections: dict[str, tuple[Document, SectionFile]] = {}
    item_ids: dict[str, str] = {}
    item_position: dict[str, tuple[str, int]] = {}
    items_by_id: dict[str, Item] = {}

    # Items of the general section come first in every domain, so check it first.
    def position(doc: Document) -> tuple[int, str]:
        section_id = doc.parsed.section
        index = known_sections.index(section_id) if section_id in known_sections else len(known_sections)
        return index, doc.file

    ordered = sorted((d for d in docs if d.parsed is not None), key=position)
    for doc in ordered:
        section: SectionFile = doc.parsed
        _check_texts(doc, report)
        if section.section not in known_sections:
            report.add(
                "D007", doc, ("section",), section=section.section, hint=did_you_mean(section.section, known_sections)
            )
            continue
        if section.section in sections:
            report.add("D002", doc, ("section",), section=section.section, other=sections[section.section][0].file)
            continue
        sections[section.section] = (doc, section)
        _check_ids(doc, section.items, ("items",), report, item_ids)
        for index, item in enumerate(section.items):
            _check_item(doc, item, ("items", index), dims, topics, report)
            if item.id not in items_by_id:
                items_by_id[item.id] = item
                item_position[item.id] = (section.section, index)

    # Conditions last: a reference to a later item or another domain deserves its own message.
    for section_id, (doc, section) in sections.items():
        for index, item in enumerate(section.items):
            for c_index, condition in enumerate(item.show_if):
                where = ("items", index, "show_if", c_index)
                _check_condition(doc, item, condition, where, (section_id, index), item_position, items_by_id, report)

    for section_id in known_sections:
        if section_id not in sections and section_id not in _unreadable_sections(docs):
            what = "the general section" if section_id == GENERAL else f"the domain `{section_id}`"
            report.add("D001", folder, what=what, name=section_id)
    return sections


def _unreadable_sections(docs: list[Document]) -> set[str]:
    """Sections whose file exists but has structural errors (already reported)."""
    return {d.data.get("section") for d in docs if d.parsed is None and isinstance(d.data, dict)}


def _check_item(doc: Document, item: Item, path: tuple, dims: set[str], topics: set[str], report: Reporter) -> None:
    for dim in item.weights:
        if dim not in dims:
            report.add("I013", doc, path + ("weights", dim), dim=dim, hint=did_you_mean(dim, dims))
    if not any(w > 0 for d, w in item.weights.items() if d in dims):
        report.add("I005", doc, path + ("weights",))
    for t_index, tag in enumerate(item.tags):
        if tag not in topics:
            report.add("I007", doc, path + ("tags", t_index), tag=tag, hint=did_you_mean(tag, topics))
    if item.public and item.public_hint is None:
        report.add("I006", doc, path + ("public",))

    if item.type in ("single", "multi"):
        if len(item.options) < 2:
            report.add("I009", doc, path + ("options",), type=item.type, needed="at least two options", what="options")
        if item.bands or item.per_inhabitants is not None or item.unit is not None:
            report.add("I015", doc, path)
    else:
        if len(item.bands) < 2:
            report.add("I009", doc, path + ("bands",), type="number", needed="at least two bands", what="bands")
        if item.options:
            report.add(
                "I009",
                doc,
                path + ("options",),
                type="number",
                needed="bands instead of options",
                what="bands (and remove the options)",
            )
        limits = [b.up_to for b in item.bands]
        scores = [b.score for b in item.bands]
        bounded = limits[:-1]
        well_formed = (
            all(limit is not None for limit in bounded)
            and limits[-1:] == [None]
            and all(b > a for a, b in pairwise(bounded))
            and all(b >= a for a, b in pairwise(scores))
        )
        if item.bands and not well_formed:
            report.add("I010", doc, path + ("bands",))

    seen: set[str] = set()
    for o_index, option in enumerate(item.options):
        where = path + ("options", o_index)
        if option.id == DONT_KNOW:
            report.add("I008", doc, where + ("id",))
        elif not ID_PATTERN.match(option.id):
            report.add("I002", doc, where + ("id",), id=option.id)
        if option.id in seen:
            report.add("I003", doc, where + ("id",), id=option.id)
        seen.add(option.id)
        if option.exclusive and item.type != "multi":
            report.add("I014", doc, where + ("exclusive",))
    for b_index, entry in enumerate([*item.options, *item.bands]):
        if not 0 <= entry.score <= 1:
            key = "options" if b_index < len(item.options) else "bands"
            index = b_index if key == "options" else b_index - len(item.options)
            report.add("I004", doc, path + (key, index, "score"), score=entry.score)

    scores = [o.score for o in item.options] + [b.score for b in item.bands]
    if scores and all(0 <= s <= 1 for s in scores):
        if item.max_score < 1:
            report.add("I011", doc, path, best=f"{item.max_score:g}")
        if item.min_score > 0:
            report.add("I012", doc, path, worst=f"{item.min_score:g}")


def _check_condition(doc, item, condition, path, position, item_position, items_by_id, report) -> None:
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
    option_ids = [o.id for o in gate.options]
    unknown = [o for o in condition.any_of if o not in option_ids]
    for option_id in unknown:
        report.add(
            "C003",
            doc,
            path + ("any_of",),
            option=option_id,
            ref=ref,
            options=", ".join(option_ids),
            hint=did_you_mean(option_id, option_ids),
        )
    if unknown or gate.type == "multi":
        return  # choosing more options of a multi item can only satisfy `any_of`
    shown = [o for o in gate.options if o.id in condition.any_of]
    lowest_shown = min(shown, key=lambda o: o.score)
    for option in gate.options:
        if option.id not in condition.any_of and option.score > lowest_shown.score:
            report.add("C004", doc, path + ("any_of",), ref=ref, shown=lowest_shown.id, hidden=option.id)
            break


# --- recommendations ----------------------------------------------------------------


def _check_recommendations(model: ModelFile, sections, docs: list[Document], report: Reporter, folder: str) -> None:
    known_sections = [GENERAL] + [d.id for d in model.domains]
    type_ids = [t.id for t in model.types]
    dims = [d.id for d in model.dimensions]
    roles = [r.id for r in model.context.roles]
    size_types = [s.id for s in model.profile.size_types]
    topics = [t.id for t in model.topics]
    rules = model.content_rules
    item_section = {item.id: sid for sid, (_, section) in sections.items() for item in section.items}
    items = {item.id: item for _, section in sections.values() for item in section.items}

    by_section: dict[str, Document] = {}
    seen_ids: dict[str, str] = {}
    for doc in docs:
        if doc.parsed is None:
            continue
        recs: RecommendationsFile = doc.parsed
        _check_texts(doc, report)
        if recs.section not in known_sections:
            report.add("D007", doc, ("section",), section=recs.section, hint=did_you_mean(recs.section, known_sections))
            continue
        if recs.section in by_section:
            report.add("D002", doc, ("section",), section=recs.section, other=by_section[recs.section].file)
            continue
        by_section[recs.section] = doc

        for type_id, entries in recs.by_type.items():
            if type_id not in type_ids:
                report.add(
                    "R002",
                    doc,
                    ("by_type", type_id),
                    ref=type_id,
                    hint=did_you_mean(type_id, type_ids),
                    options=", ".join(type_ids),
                )
            _check_entries(doc, entries, ("by_type", type_id), seen_ids, roles, size_types, topics, report)
        for dim, entries in recs.paths.items():
            if dim not in dims:
                report.add("I013", doc, ("paths", dim), dim=dim, hint=did_you_mean(dim, dims))
            _check_entries(doc, entries, ("paths", dim), seen_ids, roles, size_types, topics, report)
        for t_index, tip in enumerate(recs.tips):
            where = ("tips", t_index)
            if not ID_PATTERN.match(tip.id):
                report.add("I002", doc, where + ("id",), id=tip.id)
            if tip.id in seen_ids:
                report.add("R005", doc, where + ("id",), id=tip.id, first=seen_ids[tip.id])
            seen_ids.setdefault(tip.id, f"{doc.file} {format_path(where)}")
            if tip.item not in items:
                report.add("R003", doc, where + ("item",), ref=tip.item, hint=did_you_mean(tip.item, list(items)))
            elif item_section[tip.item] != recs.section:
                report.add("R007", doc, where + ("item",), ref=tip.item, expected=item_section[tip.item])
            if not 0 <= tip.max_score <= 1:
                report.add("I004", doc, where + ("max_score",), score=tip.max_score)

        if recs.section == GENERAL:
            for dim in dims:
                count = len(recs.paths.get(dim, []))
                if count < rules.min_paths:
                    report.add("R004", doc, ("paths",), dim=dim, count=count, minimum=rules.min_paths)
        else:
            for type_id in type_ids:
                count = len(recs.by_type.get(type_id, []))
                if count < rules.min_recommendations:
                    report.add(
                        "R001",
                        doc,
                        ("by_type",),
                        type=type_id,
                        domain=recs.section,
                        count=count,
                        minimum=rules.min_recommendations,
                    )

    for section_id in known_sections:
        if section_id not in by_section and section_id not in _unreadable_sections(docs):
            what = "the general section (paths)" if section_id == GENERAL else f"the domain `{section_id}`"
            report.add("R006", folder, what=what, name=section_id)


def _check_entries(doc, entries, path, seen_ids, roles, size_types, topics, report) -> None:
    for index, rec in enumerate(entries):
        where = path + (index,)
        if not ID_PATTERN.match(rec.id):
            report.add("I002", doc, where + ("id",), id=rec.id)
        if rec.id in seen_ids:
            report.add("R005", doc, where + ("id",), id=rec.id, first=seen_ids[rec.id])
        seen_ids.setdefault(rec.id, f"{doc.file} {format_path(where)}")
        for key, known in (("roles", roles), ("size_types", size_types)):
            for r_index, ref in enumerate(getattr(rec, key)):
                if ref not in known:
                    report.add("M007", doc, where + (key, r_index), ref=ref, where=key, hint=did_you_mean(ref, known))
        for t_index, tag in enumerate(rec.topics):
            if tag not in topics:
                report.add("I007", doc, where + ("topics", t_index), tag=tag, hint=did_you_mean(tag, topics))


# --- build and whole-questionnaire rules -------------------------------------------


def _build(model: ModelFile, sections, recommendation_docs: list[Document], source: str) -> Questionnaire:
    order = [GENERAL] + [d.id for d in model.domains]
    built = []
    for section_id in order:
        _, section = sections[section_id]
        name = model.general if section_id == GENERAL else next(d for d in model.domains if d.id == section_id)
        built.append(Section(id=section_id, name=name, intro=section.intro, items=tuple(section.items)))
    by_type: dict[tuple[str, str], tuple] = {}
    paths: dict[str, tuple] = {}
    tips: list = []
    for doc in recommendation_docs:
        recs: RecommendationsFile = doc.parsed
        for type_id, entries in recs.by_type.items():
            by_type[(type_id, recs.section)] = tuple(entries)
        for dim, entries in recs.paths.items():
            paths[dim] = paths.get(dim, ()) + tuple(entries)
        tips.extend(recs.tips)
    return Questionnaire(
        model=model,
        sections=tuple(built),
        recommendations_by_type=by_type,
        paths=paths,
        tips=tuple(tips),
        source=source,
    )


def _check_coverage(questionnaire: Questionnaire, sections, report: Reporter) -> None:
    rules = questionnaire.model.content_rules
    dims = questionnaire.dimension_ids
    for section in questionnaire.sections:
        doc = sections[section.id][0]
        minimum = rules.min_general_items if section.is_general else rules.min_domain_items
        if len(section.items) < minimum:
            report.add("D003", doc, ("items",), section=section.id, count=len(section.items), minimum=minimum)
        if section.is_general:
            continue
        for dim in dims:
            count = sum(dim in i.primary_dimensions(dims) for i in section.items)
            if count < rules.min_items_per_dimension:
                report.add(
                    "D004",
                    doc,
                    ("items",),
                    section=section.id,
                    count=count,
                    dim=dim,
                    minimum=rules.min_items_per_dimension,
                )
            public = sum(
                dim in i.primary_dimensions(dims) for i in questionnaire.items_for(section.id, PERSPECTIVE_CITIZEN)
            )
            if public < rules.min_public_items_per_dimension:
                report.add("D006", doc, ("items",), section=section.id, count=public, dim=dim)


def _check_extremes(questionnaire: Questionnaire, model_doc: Document, report: Reporter) -> None:
    """The four extreme answer patterns must land in their four quadrants, in every domain."""
    from ktmsc.scoring import extreme_answers, score

    if report.has_errors:
        return
    for type_def in questionnaire.model.types:
        answers = extreme_answers(questionnaire, type_def.quadrant)
        result = score(questionnaire, answers, domains=questionnaire.domain_ids)
        for domain_id, domain in result.domains.items():
            if domain.type_id != type_def.id:
                lf, vb = (domain.dimensions[d].score or 0 for d in DIMENSION_IDS)
                report.add("D005", model_doc, ("types",), domain=domain_id, type=type_def.id, lf=lf, vb=vb)
