"""Step 2 of the pipeline: the structure of each file, checked with the pydantic schema.

Pydantic's errors become catalogue problems (S001–S003, T001) at the YAML path the
author wrote, with a hint for the common traps (a quoted number, a misspelt key).
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, ValidationError

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.i18n import LANG_NAMES, LANGS
from ktmsc.model import schema


@functools.cache
def _all_field_names() -> frozenset[str]:
    names: set[str] = set()
    for value in vars(schema).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return frozenset(names)


_EXPECTED_BY_TYPE = {
    "float_type": "Write a number without quotes, e.g. `score: 0.5`.",
    "float_parsing": "Write a number without quotes, e.g. `score: 0.5`.",
    "int_type": "Write a whole number without quotes, e.g. `10000`.",
    "int_from_float": "Write a whole number without a decimal point.",
    "string_type": "Write text here; put it in double quotes if it contains a colon or starts with a special character.",
    "bool_type": "Write `true` or `false` without quotes.",
    "list_type": "Write a list: one `- ...` line per entry, or `[a, b]`.",
    "dict_type": "Write a mapping of keys and values (see docs/CONTENT.md).",
    "model_type": "Write a mapping of keys and values (see docs/CONTENT.md).",
    "model_attributes_type": "Write a mapping of keys and values (see docs/CONTENT.md).",
    "literal_error": "Use one of the allowed values named in the message.",
    "too_short": "Add entries: the list must not be empty.",
    "string_pattern_mismatch": "Match the format named in the message.",
}


def _clean_loc(data: Any, loc: tuple) -> tuple:
    """Drop the parts of a pydantic location that name union members, not YAML keys."""
    out: list = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and part < len(current)
        ):
            out.append(part)
            current = current[part]
        elif last and isinstance(part, str) and part in _all_field_names() | set(LANGS):
            out.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and part not in current and not last:
            # A key pydantic knows (e.g. a dict key of a typed mapping) that the data lacks.
            out.append(part)
            current = None
    return tuple(out)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_structure(doc: Document, model: type[BaseModel], report: Reporter) -> Any:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        seen: set[tuple] = set()
        for err in exc.errors():
            loc = _clean_loc(doc.data, tuple(err["loc"]))
            kind = err["type"]
            if (loc, kind) in seen:
                continue
            seen.add((loc, kind))
            key = loc[-1] if loc else ""
            if kind == "missing" and key in LANGS:
                report.add("T001", doc, loc, lang=key, lang_name=LANG_NAMES[key])
            elif kind == "missing":
                report.add("S001", doc, loc, key=key)
            elif kind == "extra_forbidden":
                hint = did_you_mean(str(key), _all_field_names())
                report.add("S002", doc, loc, key=key, hint=hint)
            else:
                expected = _EXPECTED_BY_TYPE.get(kind, "Correct the value.")
                report.add("S003", doc, loc, problem=err["msg"], got=_short(err.get("input")), expected=expected)
        return None
