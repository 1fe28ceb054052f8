"""Every spelling a person reads: numbers, scores, percentages, dates, changes, answers and
their states, the next stronger answer.

The results page, the PDF report, the CSV exports and the CLI all format through these
functions, so a number is rounded once and reads the same on screen, on paper and in a
file. Rules:

* **One rounding.** A value is rounded once, where it is shown; a change between two
  scores is the difference of the two *shown* (rounded) scores, so "10 → 12" always
  comes with "+2".
* **Numbers** follow the language: 1.234,5 in German, 1,234.5 in English. Minus signs
  are real minus signs (−), and zero has no sign.
* **Percent** is written with a space before the sign in both languages ("50 %", as
  ISO 80000 and the German rules have it).
* **Dates** are 01.12.2026 in German and ISO 8601 (2026-12-01) in English, which no
  reader can misread; times are local time in Germany (Europe/Berlin), because the
  server runs in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ktmsc.i18n import Lang
from ktmsc.model.answers import ItemState, State
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, Item
from ktmsc.scoring import DomainResult
from ktmsc.texts import t

TIMEZONE = ZoneInfo("Europe/Berlin")
MINUS = "\u2212"
NO_VALUE = "–"


# --- numbers ------------------------------------------------------------------------------


def fmt_number(value: float, lang: Lang, digits: int = 0) -> str:
    """A number in the language's format, rounded once to ``digits`` decimals."""
    rounded = round(value, digits) + 0.0  # + 0.0: no "-0"
    text = f"{rounded:,.{digits}f}"
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.replace("-", MINUS)


def fmt_score(value: float | None) -> str:
    """A score (0–100) as shown to people: a whole number, "–" when there is none."""
    return NO_VALUE if value is None else str(round(value))


def fmt_range(score: float | None, low: float, high: float) -> str:
    """A score with its interval, "55 (40–70)"; just "55" when the interval rounds to one number."""
    if score is None:
        return NO_VALUE
    if round(low) == round(high):
        return fmt_score(score)
    return f"{fmt_score(score)} ({fmt_score(low)}–{fmt_score(high)})"


def fmt_delta(now: float | None, before: float | None) -> str:
    """The change between two scores as shown: the difference of the rounded scores."""
    if now is None or before is None:
        return NO_VALUE
    change = round(now) - round(before)
    if change == 0:
        return "±0"
    return f"+{change}" if change > 0 else f"{MINUS}{-change}"


def fmt_points(value: float, lang: Lang) -> str:
    """Points to gain, with a sign and one decimal: "+2,5" / "+2.5"."""
    return "+" + fmt_number(value, lang, 1)


def fmt_percent(share: float, lang: Lang, digits: int = 0) -> str:
    """A share (0–1) as a percentage, "50 %" (``digits`` decimals: "8,3 %")."""
    return f"{fmt_number(share * 100, lang, digits)} %"


def status_label(domain: DomainResult, lang: Lang) -> str:
    """Stable or borderline; "–" while the domain has no type."""
    if domain.type_id is None:
        return NO_VALUE
    return t("core.status.stable", lang) if domain.stable else t("core.status.borderline", lang)


# --- dates and times ----------------------------------------------------------------------


def fmt_date(moment: datetime | None, lang: Lang) -> str:
    if moment is None:
        return NO_VALUE
    local = moment.astimezone(TIMEZONE) if moment.tzinfo is not None else moment
    return local.strftime("%d.%m.%Y") if lang == "de" else local.strftime("%Y-%m-%d")


def fmt_time(moment: datetime) -> str:
    """A time of day in Germany, "14:05:09"."""
    return moment.astimezone(TIMEZONE).strftime("%H:%M:%S")


def fmt_datetime(moment: datetime, lang: Lang) -> str:
    """A date with the time of day in Germany, "01.12.2026, 17:00"."""
    return f"{fmt_date(moment, lang)}, {moment.astimezone(TIMEZONE).strftime('%H:%M')}"


# --- answers -----------------------------------------------------------------------------


def fmt_join_code(code: str) -> str:
    """A join code as it is read aloud and typed: two halves, ``ACDEFGHJ`` → ``ACDE FGHJ``."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def plain_number(value: float) -> str:
    """A number answer as it was typed: no exponent, no trailing zeros, every digit up to the
    sixth decimal kept (``:g`` would show 123456.5 as 123456 and a million as 1e+06)."""
    return f"{value:f}".rstrip("0").rstrip(".") or "0"


def answer_id(value: Any) -> str:
    """A stored answer as one cell: the option id, the option ids as a JSON list, or the
    number exactly as stored (``str``, so no digit is lost); empty without an answer."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def answer_label(item: Item, value: Any, lang: Lang) -> str:
    """The answer as the respondent saw it."""
    if value is None:
        return ""
    if value == DONT_KNOW:
        return t("core.answer.dont_know", lang)
    if value == NOT_APPLICABLE:
        return t("core.answer.not_applicable", lang)
    if item.type == "single":
        option = item.option(value) if isinstance(value, str) else None
        return option.label.get(lang) if option else str(value)
    if item.type == "multi" and isinstance(value, list):
        return "; ".join(item.option(v).label.get(lang) if item.option(v) else str(v) for v in value)
    unit = f" {item.unit.get(lang)}" if item.unit else ""
    return f"{plain_number(value)}{unit}" if isinstance(value, (int, float)) else str(value)


# How an item's state is written in the CSV exports (a stable vocabulary for spreadsheets).
STATUS_CODES: dict[State, str] = {
    State.ANSWERED: "answered",
    State.DONT_KNOW: "dont_know",
    State.NOT_APPLICABLE: "not_applicable",
    State.UNANSWERED: "unanswered",
    State.HIDDEN: "hidden",
    State.PENDING: "hidden",
    State.INVALID: "invalid",
}


def status_code(state: State) -> str:
    return STATUS_CODES[state]


def item_score_cell(state: ItemState) -> str:
    """An item score in a CSV cell: written for answered items only."""
    return f"{state.score:g}" if state.state is State.ANSWERED else ""


def state_label(item: Item, state: State | None, value: Any, lang: Lang, numbers: Mapping[str, str]) -> str:
    """What became of an item: its answer, or why it has none ("depends on 1.2" ...).

    ``numbers`` maps item ids to their printed numbers ("1.2"), so a hidden follow-up can
    name the question it depends on.
    """
    if state in (State.HIDDEN, State.PENDING):
        refs = ", ".join(numbers.get(c.item, c.item) for c in item.show_if)
        return t(f"core.state.{state.value}", lang, refs=refs)
    if state is State.INVALID:
        return t("core.state.invalid", lang, answer=answer_label(item, value, lang))
    if state is None or state is State.UNANSWERED or value is None:
        return t("core.answer.unanswered", lang)
    return answer_label(item, value, lang)


def reason_label(item: Item, value: Any, lang: Lang) -> str:
    """Why a first step is shown: the question and the answer that called for it."""
    return t("core.reason", lang, question=item.text.get(lang), answer=answer_label(item, value, lang))


def next_step_label(item: Item, next_option: str | None, lang: Lang) -> str:
    """The next stronger answer of a lever ("–" when there is none); for a multi item, the
    option to tick in addition."""
    if next_option is None:
        return NO_VALUE
    if item.type == "number":
        index = int(next_option)
        return item.bands[index].label.get(lang) if 0 <= index < len(item.bands) else NO_VALUE
    option = item.option(next_option)
    if option is None:
        return NO_VALUE
    label = option.label.get(lang)
    return t("core.next.also", lang, option=label) if item.type == "multi" else label
