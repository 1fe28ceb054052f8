"""The list of a round's municipalities, read from a CSV file: all of it, or nothing.

A host (a Land's digital agency, a Landkreis, a research team) brings the municipalities it
invites as a spreadsheet: one line per municipality with its official key, name, kind of
body and population. The file is read whole and checked line by line; if any line is wrong,
nothing is taken and every problem is named with its line, its column and how to fix it.

- **Columns** are found by their header, in German or English, in any order: the official
  key (``AGS``, ``ARS``, ``Schlüssel`` …), the name, the kind of body (``Art`` …; its id or
  its name in the model) and the population (``Einwohner`` …). Separated by ``;`` (a German
  spreadsheet) or ``,``; UTF-8 with or without a byte order mark, or Windows-1252.
- **The key** is the Amtlicher Gemeindeschlüssel (8 digits) or the Amtlicher
  Regionalschlüssel (12 digits), a Kreis's key (5 digits) or a Gemeindeverband's (9 digits);
  spaces are ignored. Its first two digits name the Land (01–16), which the municipality's
  profile takes. A key may appear once.
- **The population** is a whole number; German thousands separators ("12.345") are read.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from ktmsc.model.limits import MAX_NAME, MAX_POPULATION, MAX_ROSTER_BYTES, MAX_ROSTER_ROWS, OFFICIAL_KEY_LENGTHS
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.texts import Lang, t

# The Länder by the first two digits of an official key.
LAND_OF_KEY = {
    "01": "sh", "02": "hh", "03": "ni", "04": "hb", "05": "nw", "06": "he", "07": "rp", "08": "bw",
    "09": "by", "10": "sl", "11": "be", "12": "bb", "13": "mv", "14": "sn", "15": "st", "16": "th",
}  # fmt: skip
COLUMNS = ("key", "name", "body_kind", "population")
# The headers each column is found by (compared in lower case, without spaces, dots and dashes).
HEADERS = {
    "key": ("ags", "ars", "schlüssel", "schluessel", "gemeindeschlüssel", "gemeindeschluessel", "regionalschlüssel",
            "regionalschluessel", "amtlichergemeindeschlüssel", "amtlicherregionalschlüssel", "key", "officialkey"),
    "name": ("name", "gemeinde", "gemeindename", "kommune", "municipality"),
    "body_kind": ("art", "körperschaft", "koerperschaft", "gebietskörperschaft", "typ", "bodykind", "body_kind",
                  "kind", "kindofbody"),
    "population": ("einwohner", "einwohnerzahl", "bevölkerung", "bevoelkerung", "population", "inhabitants"),
}  # fmt: skip


@dataclass(frozen=True)
class Member:
    """One invited municipality."""

    key: str  # the official key, digits only
    name: str
    body_kind: str
    population: int
    state: str  # the Land, from the key
    line: int  # where it was in the file (for messages)


@dataclass(frozen=True)
class Problem:
    """What is wrong with one line (0: the file as a whole) and how to fix it."""

    line: int
    column: str | None  # one of COLUMNS, or None for the line or the file
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        where = (
            t("core.rounds.roster.where_file", lang)
            if self.line == 0
            else t("core.rounds.roster.where_line", lang, line=self.line)
        )
        column = f" ({t(f'core.rounds.roster.column.{self.column}', lang)})" if self.column else ""
        return f"{where}{column}: {t(f'core.rounds.roster.problem.{self.code}', lang, **self.params)}"


class RosterError(ValueError):
    """The file cannot be taken; ``problems`` says every reason (at most a few hundred)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the list of municipalities")


def _normal(header: str) -> str:
    return re.sub(r"[\s._\-]", "", header.strip().lower())


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_roster(data: bytes, questionnaire: Questionnaire, *, max_problems: int = 200) -> list[Member]:
    """Every municipality of the file, in its order; :class:`RosterError` if anything is wrong."""
    if len(data) > MAX_ROSTER_BYTES:
        raise RosterError([Problem(0, None, "too_large", {"limit": MAX_ROSTER_BYTES // 1_000_000})])
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise RosterError([Problem(0, None, "empty")])
    if len(rows) - 1 > MAX_ROSTER_ROWS:
        raise RosterError([Problem(0, None, "too_many", {"limit": MAX_ROSTER_ROWS})])
    position = _columns(rows[0])
    missing = [c for c in COLUMNS if c not in position]
    if missing:
        raise RosterError([Problem(0, column, "missing_column") for column in missing])
    kinds = _kinds(questionnaire)
    members: list[Member] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in position.items()}
        member, found = _member(number, cells, kinds, seen)
        problems.extend(found)
        if member is not None:
            seen[member.key] = number
            members.append(member)
        if len(problems) >= max_problems:
            problems.append(Problem(0, None, "more_problems"))
            break
    if problems:
        raise RosterError(problems)
    if not members:
        raise RosterError([Problem(0, None, "empty")])
    return members


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _normal(cell)
        for column, names in HEADERS.items():
            if name in {_normal(n) for n in names} and column not in found:
                found[column] = index
    return found


# What official lists and spreadsheets call the kinds of body, beside the model's own names.
KIND_ALIASES = {
    "gemeinde": "kreisangehoerige_gemeinde",
    "stadt": "kreisangehoerige_gemeinde",
    "markt": "kreisangehoerige_gemeinde",
    "kreisangehörige gemeinde": "kreisangehoerige_gemeinde",
    "kreisangehörige stadt": "kreisangehoerige_gemeinde",
    "große kreisstadt": "kreisangehoerige_gemeinde",
    "stadtkreis": "kreisfreie_stadt",
    "kreis": "landkreis",
    "amt": "amt",
}


def _kinds(questionnaire: Questionnaire) -> dict[str, str]:
    """A kind of body by its id, its name in either language or a common alias (lower case)."""
    known = {kind.id for kind in questionnaire.model.profile.body_kinds}
    kinds: dict[str, str] = {alias: kind for alias, kind in KIND_ALIASES.items() if kind in known}
    for kind in questionnaire.model.profile.body_kinds:
        kinds[kind.id.lower()] = kind.id
        for name in (kind.name.de, kind.name.en):
            kinds[name.lower()] = kind.id
    return kinds


def _member(number: int, cells: dict[str, str], kinds: dict[str, str], seen: dict[str, int]):
    problems: list[Problem] = []
    key = re.sub(r"\s", "", cells["key"])
    if not key.isdigit() or not key.isascii() or len(key) not in OFFICIAL_KEY_LENGTHS:
        problems.append(Problem(number, "key", "bad_key", {"value": cells["key"][:20]}))
    elif key[:2] not in LAND_OF_KEY:
        problems.append(Problem(number, "key", "bad_land", {"value": key[:2]}))
    elif key in seen:
        problems.append(Problem(number, "key", "duplicate", {"value": key, "first": seen[key]}))
    name = cells["name"]
    if not name:
        problems.append(Problem(number, "name", "no_name"))
    elif len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        problems.append(Problem(number, "name", "bad_name", {"limit": MAX_NAME}))
    kind = kinds.get(cells["body_kind"].lower())
    if kind is None:
        problems.append(Problem(number, "body_kind", "bad_kind", {"value": cells["body_kind"][:40]}))
    population = _population(cells["population"])
    if population is None:
        problems.append(Problem(number, "population", "bad_population", {"value": cells["population"][:20]}))
    if problems:
        return None, problems
    return Member(key, name, kind, population, LAND_OF_KEY[key[:2]], number), []


# A whole number, plain or with thousands separated ("12.345", "12,345", "12 345"): never a decimal.
_WHOLE = re.compile(r"\d+|\d{1,3}(?:([.,' \u00a0\u202f])\d{3})(?:\1\d{3})*")


def _population(cell: str) -> int | None:
    if not cell.isascii() and not set(cell) <= set("0123456789 .,'\u00a0\u202f"):
        return None
    if _WHOLE.fullmatch(cell) is None:
        return None
    value = int(re.sub(r"\D", "", cell))
    return value if value <= MAX_POPULATION else None
