"""Rules every file follows: both languages in every text, well-formed and unique ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ktmsc.content.document import Document, Reporter, format_path
from ktmsc.i18n import LANG_NAMES, LANGS
from ktmsc.model.schema import ID_PATTERN, L10n


def _walk_texts(value: Any, path: tuple) -> Iterator[tuple[tuple, L10n]]:
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


def check_texts(doc: Document, report: Reporter) -> None:
    for path, text in _walk_texts(doc.parsed, ()):
        for lang in LANGS:
            if not text.get(lang).strip():
                report.add("T002", doc, path + (lang,), lang_name=LANG_NAMES[lang])


def check_id(doc: Document, entry_id: str, where: tuple, report: Reporter, seen: dict[str, str], code: str) -> None:
    """One id: well-formed, and not used before (``code`` names the duplicate error)."""
    if not ID_PATTERN.match(entry_id):
        report.add("I002", doc, where, id=entry_id)
    if entry_id in seen:
        report.add(code, doc, where, id=entry_id, first=seen[entry_id])
    else:
        seen[entry_id] = f"{doc.file} {format_path(where)}"


def check_ids(doc: Document, entries: list, path: tuple, report: Reporter, seen: dict | None = None) -> None:
    seen = {} if seen is None else seen
    for index, entry in enumerate(entries):
        check_id(doc, entry.id, path + (index, "id"), report, seen, "I001")


def unreadable_sections(docs: list[Document]) -> set[str]:
    """Sections whose file exists but has structural errors (already reported)."""
    return {d.data.get("section") for d in docs if d.parsed is None and isinstance(d.data, dict)}
