"""The questionnaire and assessments in exchange formats: JSON, CSV and Markdown.

The Markdown form of the questionnaire is printable for a paper workshop; the
printable PDF uses the same selection of items (:func:`selected_sections`).

Every CSV file is written for the spreadsheet of its language (:func:`csv_writer`): in
German ";" between cells and decimal commas, as German Excel reads them; in English ",".
Both start with a UTF-8 byte order mark, without which Excel reads "für" as "fÃ¼r".
Headers are words of the language (``core.csv.*``); status codes such as ``answered``
stay the same in both, so a filter or formula works on either file. JSON stays the
machine format: ids as keys, numbers with a decimal point.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from typing import Any

from ktmsc.i18n import LANGS, Lang
from ktmsc.labels import answer_id, answer_label, fmt_cell, fmt_plain, item_score_cell, status_code
from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire, Section
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, Item, L10n
from ktmsc.texts import t
from ktmsc.wizard import item_numbers, question_numbers, states_for


def _texts(text: L10n | None) -> dict[str, str] | None:
    return None if text is None else {lang: text.get(lang) for lang in LANGS}


def selected_sections(
    questionnaire: Questionnaire, domains: list[str] | None = None, perspective: str = PERSPECTIVE_ADMIN
) -> list[tuple[Section, tuple[Item, ...]]]:
    """General section and chosen domains (all when ``domains`` is None) with their items."""
    chosen = list(questionnaire.domain_ids) if domains is None else domains
    return [(s, questionnaire.items_for(s.id, perspective)) for s in questionnaire.sections_for(chosen)]


def item_json(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "type": item.type,
        "text": _texts(item.text),
        "help": _texts(item.help),
        "weights": dict(item.weights),
        "tags": list(item.tags),
        "public": item.public,
        "public_hint": _texts(item.public_hint),
        "show_if": [c.model_dump(exclude_none=True) for c in item.show_if],
        "rationale": _texts(item.rationale),
        "mandatory": _texts(item.mandatory),
    }
    if item.type == "number":
        out["unit"] = _texts(item.unit)
        out["per_inhabitants"] = item.per_inhabitants
        out["bands"] = _bands_json(item.bands)
        if item.size_bands:
            out["size_bands"] = {size_type: _bands_json(bands) for size_type, bands in item.size_bands.items()}
    else:
        out["options"] = [
            {"id": o.id, "label": _texts(o.label), "score": o.score, **({"exclusive": True} if o.exclusive else {})}
            for o in item.options
        ]
    out["dont_know"] = DONT_KNOW
    if item.not_applicable is not None:
        out["not_applicable"] = {
            "id": NOT_APPLICABLE,
            "body_kinds": list(item.not_applicable.body_kinds),
            "why": _texts(item.not_applicable.why),
        }
    return out


def _bands_json(bands) -> list[dict[str, Any]]:
    return [{"up_to": b.up_to, "label": _texts(b.label), "score": b.score} for b in bands]


def questionnaire_json(
    questionnaire: Questionnaire, domains: list[str] | None = None, perspective: str = PERSPECTIVE_ADMIN
) -> str:
    model = questionnaire.model
    data = {
        "format": "ktmsc-questionnaire",
        "version": questionnaire.version,
        "model": {
            "dimensions": [
                {"id": d.id, "axis": d.axis, "name": _texts(d.name), "threshold": questionnaire.threshold(d.id)}
                for d in questionnaire.dimensions
            ],
            "types": [
                {"id": t_.id, "quadrant": dict(t_.quadrant), "name": _texts(t_.name), "gist": _texts(t_.gist)}
                for t_ in model.types
            ],
            "domains": [{"id": d.id, "name": _texts(d.name)} for d in model.domains],
            "general_share": dict(model.scoring.general_share),
        },
        "sections": [
            {"id": section.id, "name": _texts(section.name.name), "items": [item_json(i) for i in items]}
            for section, items in selected_sections(questionnaire, domains, perspective)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# The cell separator of each language's spreadsheet; every CSV starts with the byte order mark.
CSV_DELIMITERS: dict[Lang, str] = {"de": ";", "en": ","}
BOM = "\ufeff"

# A column is a text key of ``core.csv`` or a key with its placeholders (a dimension's columns).
Column = str | tuple[str, dict[str, str]]


def csv_writer(lang: Lang) -> tuple[io.StringIO, Any]:
    """A CSV writer into a text buffer for ``lang``'s spreadsheet: the byte order mark written,
    cells separated by :data:`CSV_DELIMITERS`, rows ending in a bare line feed (all CSV exports)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    return buffer, csv.writer(buffer, delimiter=CSV_DELIMITERS[lang], lineterminator="\n")


def csv_header(columns: list[Column], lang: Lang) -> list[str]:
    """The header row: each column's name in ``lang``."""
    return [t(f"core.csv.{c}", lang) if isinstance(c, str) else t(f"core.csv.{c[0]}", lang, **c[1]) for c in columns]


def dimension_column(questionnaire: Questionnaire, key: str, dimension_id: str, lang: Lang) -> Column:
    """A column about one dimension ("Gewicht Leistungsfähigkeit", "Leistungsfähigkeit min")."""
    return key, {"dimension": questionnaire.dimension(dimension_id).name.get(lang)}


def file_name(
    kind: str | None, lang: Lang, name: str | None = None, ext: str = "csv", fallback: str = "assessment"
) -> str:
    """A download's file name in ``lang``: ``ktmsc-<name>-<kind>.<ext>`` ("ktmsc-musterstadt-antworten.csv");
    ``fallback`` (a ``core.file`` key) names a file without a name, ``kind`` None leaves the part out."""
    slug = file_slug(name or "", t(f"core.file.{fallback}", lang))
    part = f"-{t(f'core.file.{kind}', lang)}" if kind else ""
    return f"ktmsc-{slug}{part}.{ext}"


def questionnaire_csv_columns(questionnaire: Questionnaire, lang: Lang) -> list[Column]:
    """The questionnaire CSV's columns: item columns, one weight column per dimension, the choice."""
    weights = [dimension_column(questionnaire, "weight", d, lang) for d in questionnaire.dimension_ids]
    return [
        "section", "item_id", "type", "text_de", "text_en", "help_de", "help_en",
        *weights, "tags", "public", "public_hint_de", "public_hint_en", "show_if",
        "option_id", "option_de", "option_en", "score",
    ]  # fmt: skip


def questionnaire_csv(
    questionnaire: Questionnaire,
    domains: list[str] | None = None,
    perspective: str = PERSPECTIVE_ADMIN,
    lang: Lang = "de",
) -> str:
    """One row per answer option (or number band), item columns repeated; texts in both
    languages, headers and numbers for ``lang``'s spreadsheet."""
    buffer, writer = csv_writer(lang)
    writer.writerow(csv_header(questionnaire_csv_columns(questionnaire, lang), lang))
    for section, items in selected_sections(questionnaire, domains, perspective):
        for item in items:
            base = [
                section.id, item.id, item.type, item.text.de, item.text.en, item.help.de, item.help.en,
                *(fmt_cell(item.weight(d), lang) for d in questionnaire.dimension_ids),
                " ".join(item.tags), str(item.public).lower(),
                item.public_hint.de if item.public_hint else "", item.public_hint.en if item.public_hint else "",
                json.dumps([c.model_dump(exclude_none=True) for c in item.show_if]) if item.show_if else "",
            ]  # fmt: skip
            choices = item.options if item.type != "number" else item.bands
            for index, choice in enumerate(choices):
                choice_id = getattr(choice, "id", None) or str(index)
                writer.writerow([*base, choice_id, choice.label.de, choice.label.en, fmt_cell(choice.score, lang)])
            if item.not_applicable is not None:
                na_de, na_en = t("core.answer.not_applicable", "de"), t("core.answer.not_applicable", "en")
                writer.writerow([*base, NOT_APPLICABLE, na_de, na_en, ""])
            writer.writerow([*base, DONT_KNOW, t("core.answer.dont_know", "de"), t("core.answer.dont_know", "en"), ""])
    return buffer.getvalue()


def condition_text(questionnaire: Questionnaire, item: Item, lang: Lang, numbers: dict[str, str]) -> str:
    """When a follow-up applies, in words: the shorter of "if … is ticked" and "unless … is ticked"."""

    def quoted(option_ids) -> str:
        labels = [gate.option(o).label.get(lang) for o in option_ids]
        separator = f" {t('core.print.or', lang)} "
        return separator.join(f"„{label}“" if lang == "de" else f"“{label}”" for label in labels)

    parts = []
    for condition in item.show_if:
        gate = questionnaire.items[condition.item]
        ref = numbers.get(gate.id, gate.id)
        if condition.any_of is not None:
            hidden = [o.id for o in gate.options if o.id not in condition.any_of]
            if gate.type == "single" and len(hidden) == 1 < len(condition.any_of):
                parts.append(t("core.print.condition_not", lang, ref=ref, options=quoted(hidden)))
            else:
                parts.append(t("core.print.condition_any", lang, ref=ref, options=quoted(condition.any_of)))
        else:
            parts.append(t("core.print.condition_at_least", lang, ref=ref, value=fmt_plain(condition.at_least, lang)))
    return "; ".join(parts)


def questionnaire_markdown(
    questionnaire: Questionnaire,
    lang: Lang = "de",
    domains: list[str] | None = None,
    perspective: str = PERSPECTIVE_ADMIN,
) -> str:
    """A printable questionnaire with tick boxes, numbered per section."""
    lines = [f"# {t('core.print.title', lang)}", "", t("core.print.intro", lang), ""]
    lines += [
        f"- {t('core.print.field_municipality', lang)}: ____________________",
        f"- {t('core.print.field_date', lang)}: ____________",
        "",
    ]
    sections = selected_sections(questionnaire, domains, perspective)
    numbers = item_numbers(sections)
    for s_index, (section, items) in enumerate(sections, start=1):
        lines += [f"## {s_index}. {section.name.name.get(lang)}", "", section.intro.get(lang), ""]
        for item in items:
            lines.append(f"### {numbers[item.id]} {item.text.get(lang)}")
            lines.append("")
            if item.show_if:
                lines += [f"*{condition_text(questionnaire, item, lang, numbers)}*", ""]
            lines += [f"{item.help.get(lang)}", ""]
            if perspective != PERSPECTIVE_ADMIN and item.public_hint is not None:
                lines += [f"{t('core.print.where_to_look', lang)}: {item.public_hint.get(lang)}", ""]
            if item.type == "multi":
                lines += [f"*{t('core.print.multi', lang)}*", ""]
            if item.type == "number":
                unit = f" {item.unit.get(lang)}" if item.unit else ""
                lines.append(f"- {t('core.print.number', lang)}: ________{unit}")
            else:
                lines += [f"- [ ] {o.label.get(lang)}" for o in item.options]
            if item.not_applicable is not None:
                lines.append(f"- [ ] {t('core.answer.not_applicable', lang)} ({item.not_applicable.why.get(lang)})")
            lines += [
                f"- [ ] {t('core.answer.dont_know', lang)}",
                "",
                f"{t('core.print.note', lang)}: ______________________________",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


ANSWER_CSV_COLUMNS = [
    "section", "number", "item_id", "question", "status", "answer_id", "answer", "item_score", "note", "evidence",
]  # fmt: skip


def answers_csv(questionnaire: Questionnaire, assessment: Assessment, lang: Lang = "de") -> str:
    """Every asked item of the assessment, answered or not, one row each.

    ``status`` and ``item_score`` come from the same item states as the score (conditions
    applied): a follow-up hidden by its gate is "hidden" and has no item score, whatever
    was answered before the gate changed. ``number`` is the question's number as the
    questions page and the results show it (empty for a hidden follow-up). User text is
    neutralised (:func:`csv_safe`).
    """
    states = states_for(questionnaire, assessment)
    numbers = question_numbers(questionnaire, assessment, states)
    buffer, writer = csv_writer(lang)
    writer.writerow(csv_header(ANSWER_CSV_COLUMNS, lang))
    for section, items in selected_sections(questionnaire, assessment.domains, assessment.perspective):
        for item in items:
            value = assessment.answers.get(item.id)
            state = states[item.id]
            writer.writerow([
                section.id, numbers.get(item.id, ""), item.id, item.text.get(lang), status_code(state.state), csv_safe(answer_id(value)),
                csv_safe(answer_label(item, value, lang)), item_score_cell(state, lang),
                csv_safe(assessment.notes.get(item.id, "")), csv_safe(assessment.evidence.get(item.id, "")),
            ])  # fmt: skip
    return buffer.getvalue()


def targets_csv(questionnaire: Questionnaire, assessment: Assessment, lang: Lang = "de") -> str:
    """Per domain with a target, one row per proposed measure (one row without measures when
    the target is reached or out of reach): the target, the way's status, the measure's answer
    today and with it, its effort and points, and the point today and projected – the texts
    the results page shows (:func:`ktmsc.targets.target_readout`)."""
    from ktmsc.targets import target_readout

    points = [dimension_column(questionnaire, "points", d, lang) for d in questionnaire.dimension_ids]
    columns: list[Column] = [
        "domain", "domain_name", "target_id", "target_name", "way", "proven", "item_id", "question",
        "from_answer", "to_answer", *points, "effort", "today", "projected",
    ]  # fmt: skip
    buffer, writer = csv_writer(lang)
    writer.writerow(csv_header(columns, lang))
    for domain_id in assessment.domains:
        shown = target_readout(questionnaire, assessment, domain_id, lang)
        if shown is None:
            continue
        found = shown.proposal
        head = [
            domain_id, questionnaire.domain(domain_id).name.get(lang), shown.target, shown.target_name, found.status,
            "yes" if found.proven else "no",
        ]  # fmt: skip
        tail = [shown.today, shown.projected]
        if not found.measures:
            writer.writerow([*head, "", "", "", "", *("" for _ in points), "", *tail])
        for measure in found.measures:
            item = questionnaire.items[measure.item_id]
            writer.writerow([
                *head, measure.item_id, item.text.get(lang), csv_safe(answer_label(item, measure.from_value, lang)),
                csv_safe(answer_label(item, measure.to_value, lang)),
                *(fmt_cell(measure.gains[d], lang, 1) for d in questionnaire.dimension_ids),
                t(f"plan.effort.{measure.effort}", lang), *tail,
            ])  # fmt: skip
    return buffer.getvalue()


PLAN_CSV_COLUMNS = [
    "domain",
    "domain_name",
    "entry_id",
    "item_id",
    "what",
    "to_answer_id",
    "who",
    "due",
    "plan_status",
    "note",
]


def plan_csv(questionnaire: Questionnaire, assessment: Assessment, lang: Lang = "de") -> str:
    """The action plan, one row per entry in the order they were made: what (the question and
    the answer to reach), who, by when (ISO date, so every spreadsheet sorts it), the status
    code (planned / under_way / done / dropped, the same in both languages) and the note.
    User text is neutralised (:func:`csv_safe`)."""
    from ktmsc.action_plan import what_text

    buffer, writer = csv_writer(lang)
    writer.writerow(csv_header(PLAN_CSV_COLUMNS, lang))
    for entry in assessment.plan:
        name = questionnaire.domain(entry.domain).name.get(lang) if entry.domain in questionnaire.domain_ids else ""
        writer.writerow([
            entry.domain, name, entry.id, entry.item_id, csv_safe(what_text(questionnaire, entry, lang)),
            csv_safe(answer_id(entry.to_value)), csv_safe(entry.who), entry.due.isoformat() if entry.due else "",
            entry.status, csv_safe(entry.note),
        ])  # fmt: skip
    return buffer.getvalue()


_FORMULA_START = frozenset("=+-@\t\r\n")
# A cell is split again wherever a spreadsheet sees its own separator: German Excel splits
# a comma file on ";", other readers a semicolon file on ",". Every piece is checked.
_PIECES = re.compile(r"([,;])")


def csv_safe(value: Any) -> str:
    """A cell no spreadsheet will run as a formula (OWASP CSV injection).

    Text that starts with = + - @ (also after leading blanks), a tab or a line break gets
    a leading apostrophe, and so does every piece after a "," or ";", since a reader that
    splits on that character would start a new cell there: ``a;=1`` → ``a;'=1``.
    """
    text = "" if value is None else str(value)
    return "".join(_safe_piece(piece) for piece in _PIECES.split(text))


def _safe_piece(text: str) -> str:
    if text and (text[0] in _FORMULA_START or (text[0].isspace() and text.lstrip()[:1] in _FORMULA_START)):
        return "'" + text
    return text


def file_slug(name: str, fallback: str = "assessment") -> str:
    """A safe, readable file name part for a municipality: „Groß-Umstadt – Süd“ → gross-umstadt-sued."""
    text = name.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
    return text or fallback
