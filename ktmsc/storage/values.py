"""Checks on values before they are written, so bad input raises and changes nothing.

What is checked here is what the database itself must be able to hold and return
unchanged: JSON-able answer values (finite numbers, no booleans passing as numbers),
bounded text lengths, aware datetimes. Whether an answer is one its item allows is checked
against the questionnaire in :mod:`ktmsc.storage.checks` (a store opened with one); answers
stored before a content update removed their item stay stored and the scoring ignores them.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from ktmsc.model.assessment import Assessment
from ktmsc.model.limits import MAX_EVIDENCE, MAX_NOTE
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN
from ktmsc.model.schema import THRESHOLD_BASES
from ktmsc.storage import tables
from ktmsc.storage.errors import InvalidValue

KINDS = ("self", "participant")
PERSPECTIVES = (PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN)
MAX_OPTION_ID = 100
MAX_OPTIONS = 100
MAX_DOMAINS = 100


def item_id(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > tables.ITEM_ID:
        raise InvalidValue(f"item id must be a non-empty string of at most {tables.ITEM_ID} characters")
    return value


def answer_value(value: object) -> Any:
    """An answer as JSON: option id, list of option ids, finite number, "dont_know" — or None to clear."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidValue("an answer cannot be a boolean")
    if isinstance(value, str):
        return _option_id(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValue("a numeric answer must be finite")
        return value
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_OPTIONS:
            raise InvalidValue(f"at most {MAX_OPTIONS} options per answer")
        return [_option_id(v) for v in value]
    raise InvalidValue(f"unsupported answer type {type(value).__name__}")


def _option_id(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_OPTION_ID:
        raise InvalidValue(f"an option id must be a non-empty string of at most {MAX_OPTION_ID} characters")
    return value


def note(value: object) -> str | None:
    return _text(value, MAX_NOTE, "note")


def evidence(value: object) -> str | None:
    return _text(value, MAX_EVIDENCE, "evidence")


def _text(value: object, limit: int, what: str) -> str | None:
    """Empty text is stored as NULL: "" and None both clear the field."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"the {what} must be text")
    if len(value) > limit:
        raise InvalidValue(f"the {what} is longer than {limit} characters")
    if "\x00" in value:
        raise InvalidValue(f"the {what} contains a NUL character")
    return value


def short_text(value: object, limit: int, what: str, *, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise InvalidValue(f"{what} is required")
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise InvalidValue(f"{what} must be text of at most {limit} characters")
    return value


def one_line(value: object, limit: int, what: str, *, required: bool = False) -> str | None:
    """:func:`short_text`, stripped first, on one line (no line break)."""
    checked = short_text(value.strip() if isinstance(value, str) else value, limit, what, required=required)
    if checked is not None and ("\n" in checked or "\r" in checked):
        raise InvalidValue(f"{what} is one line")
    return checked


def domains(value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or len(value) > MAX_DOMAINS:
        raise InvalidValue("domains must be a list of domain ids")
    return [_option_id(v) for v in value]


def threshold_bases(value: object) -> dict[str, str] | None:
    """A round's choice per dimension (``fixed`` or ``median``), or None for the model's."""
    if value is None:
        return None
    if not isinstance(value, dict) or not value or len(value) > MAX_DOMAINS:
        raise InvalidValue("thresholds must map dimension ids to 'fixed' or 'median'")
    for dim, basis in value.items():
        _option_id(dim)
        if basis not in THRESHOLD_BASES:
            raise InvalidValue(f"the threshold of {dim!r} must be one of {THRESHOLD_BASES}")
    return {str(dim): str(basis) for dim, basis in value.items()}


def kind(value: object) -> str:
    if value not in KINDS:
        raise InvalidValue(f"kind must be one of {KINDS}")
    return str(value)


def perspective(value: object) -> str:
    if value not in PERSPECTIVES:
        raise InvalidValue(f"perspective must be one of {PERSPECTIVES}")
    return str(value)


def aware(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue(f"{what} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def answer_rows(assessment: Assessment) -> dict[str, dict[str, Any]]:
    """Every item with an answer, note or evidence, as answers-table columns (checked)."""
    rows: dict[str, dict[str, Any]] = {}
    for key, raw in assessment.answers.items():
        rows.setdefault(item_id(key), {})["value"] = answer_value(raw)
    for key, raw in assessment.notes.items():
        rows.setdefault(item_id(key), {})["note"] = note(raw)
    for key, raw in assessment.evidence.items():
        rows.setdefault(item_id(key), {})["evidence"] = evidence(raw)
    return {
        key: {"value": row.get("value"), "note": row.get("note"), "evidence": row.get("evidence")}
        for key, row in rows.items()
        if any(v is not None for v in row.values())
    }
