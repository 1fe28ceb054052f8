"""Import files an attacker (or a broken tool) could hand the app: each must be refused with
one clear line, exit code 2 in the CLI and an error box in the app, changing nothing.

The CLI test (tests/test_cli.py) and the import flow (tests/test_app.py) both read this list.
"""

from __future__ import annotations

import json


def _file(answers=None, notes=None, evidence=None, name="Angriffsstadt") -> bytes:
    data = {
        "format": "ktmsc-assessment",
        "version": 1,
        "profile": {"name": name},
        "domains": ["mobilitaet"],
        "answers": answers or {"g_staff_fte": 3},
        "notes": notes or {},
        "evidence": evidence or {},
    }
    return json.dumps(data).encode()


def _digits(count: int) -> bytes:
    return _file().replace(b'"g_staff_fte": 3', b'"g_staff_fte": 1' + b"0" * (count - 1))


# name -> (file bytes, words the one error line must contain)
HOSTILE_FILES: dict[str, tuple[bytes, str]] = {
    "integer_400_digits": (_digits(400), "g_staff_fte"),
    "integer_4000_digits": (_digits(4000), "g_staff_fte"),
    "integer_5000_digits": (_digits(5000), "thousands of digits"),
    "float_overflow": (_file().replace(b'"g_staff_fte": 3', b'"g_staff_fte": 1e400'), "g_staff_fte"),
    "nan": (_file().replace(b'"g_staff_fte": 3', b'"g_staff_fte": NaN'), "g_staff_fte"),
    "negative": (_file({"g_staff_fte": -4}), "g_staff_fte"),
    "formula_option": (_file({"g_strategy": '=HYPERLINK("http://127.0.0.1:8999/x","klick")'}), "g_strategy"),
    "nul_in_note": (_file(notes={"g_strategy": "vor\u0000nach"}), "notes.g_strategy"),
    "nul_in_name": (_file(name="Stadt\u0000"), "profile.name"),
    "lone_surrogate_in_note": (_file(notes={"g_strategy": "x"}).replace(b'"x"', b'"a\\ud800b"'), "notes.g_strategy"),
    "lone_surrogate_in_evidence": (
        _file(evidence={"g_strategy": "x"}).replace(b'"x"', b'"\\udfff"'),
        "evidence.g_strategy",
    ),
}
