"""Every spelling a person reads: numbers, scores, percentages, dates, changes, counted
nouns, answers and their states, the next stronger answer.

The results page, the PDF report, the CSV exports and the CLI all format through these
functions, so a number is rounded once and reads the same on screen, on paper and in a
file. The spelling rules of each language come from Babel (the Unicode CLDR data), with
German as ``de_DE`` and English as ``en_GB``. Rules:

* **One rounding.** A value is rounded once, where it is shown; a change between two
  scores is the difference of the two *shown* (rounded) scores, so "10 → 12" always
  comes with "+2".
* **Numbers** follow the language: 1.234,5 in German, 1,234.5 in English. Minus signs
  on screen and paper are real minus signs (−), and zero has no sign. Spreadsheet cells
  (:func:`fmt_cell`) keep the language's decimal sign but no grouping and a plain "-",
  so German Excel reads them as numbers.
* **Scores near a threshold** never cross it by rounding: a score or interval bound that
  would round onto the other side of its dimension's threshold is shown with one decimal,
  rounded towards its own side (a maximum of 49.5 below a threshold of 50 reads "49,5",
  never "50"). :func:`fmt_score` and :func:`fmt_range` hold this rule for every screen.
* **Percent** as the language writes it: "50 %" in German (with a no-break space),
  "50%" in English.
* **Dates** are 01.12.2026 in German and 1 Dec 2026 in English, which no reader can
  misread; times are local time in Germany (Europe/Berlin), because the server runs in UTC.
* **Counted nouns** follow the language's plural rules: :func:`counted` picks the
  ``one``/``other`` form of a text ("1 Frage", "2 Fragen").
"""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import NumberPattern

from ktmsc.i18n import Lang
from ktmsc.model.answers import ItemState, State
from ktmsc.model.assessment import GroupOrigin
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, Item
from ktmsc.scoring import DomainResult
from ktmsc.texts import t

TIMEZONE = ZoneInfo("Europe/Berlin")
MINUS = "\u2212"
NO_VALUE = "–"
# The CLDR locale behind each language of the product.
LOCALES: dict[Lang, Locale] = {"de": Locale.parse("de_DE"), "en": Locale.parse("en_GB")}


# --- numbers ------------------------------------------------------------------------------


@functools.cache
def _pattern(lang: Lang, kind: str, digits: int) -> NumberPattern:
    """The language's decimal or percent pattern with exactly ``digits`` decimals (made once)."""
    formats = LOCALES[lang].decimal_formats if kind == "decimal" else LOCALES[lang].percent_formats
    pattern = copy.copy(formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def _decimal(value: float, lang: Lang, digits: int, *, grouping: bool = True) -> str:
    """``value`` rounded once (Python's ``round``, as :func:`fmt_delta`) in the language's pattern."""
    return _spelled(round(value, digits) + 0.0, lang, "decimal", digits, grouping)  # + 0.0: no "-0"


# Rounded values repeat (scores, shares of a dashboard's participants): each is spelled once.
@functools.lru_cache(maxsize=8192)
def _spelled(rounded: float, lang: Lang, kind: str, digits: int, grouping: bool) -> str:
    return _pattern(lang, kind, digits).apply(rounded, LOCALES[lang], group_separator=grouping)


def fmt_number(value: float, lang: Lang, digits: int = 0) -> str:
    """A number in the language's format, rounded once to ``digits`` decimals: "1.234,5"."""
    return _decimal(value, lang, digits).replace("-", MINUS)


def fmt_cell(value: float | None, lang: Lang, digits: int | None = None) -> str:
    """A number in a spreadsheet cell: the language's decimal sign, no grouping, "-" as the
    sign ("1234,5" for German Excel, "1234.5" in English); ``digits`` None keeps every
    digit up to the sixth decimal; empty without a value."""
    if value is None or not math.isfinite(value):
        return ""
    if digits is not None:
        return _decimal(value, lang, digits, grouping=False)
    return _plain(value, lang, grouping=False)


def fmt_plain(value: float, lang: Lang) -> str:
    """A number as it was written: every digit up to the sixth decimal, no trailing zeros,
    never an exponent, in the language's format ("1.000.000", "0,3", "50")."""
    return _plain(value, lang, grouping=True).replace("-", MINUS)


def _plain(value: float, lang: Lang, *, grouping: bool) -> str:
    """Every digit up to the sixth decimal, no trailing zeros, never an exponent."""
    text = f"{value:f}".rstrip("0").rstrip(".") or "0"
    digits = len(text.partition(".")[2])
    return _decimal(value, lang, digits, grouping=grouping)


def _near(value: float, threshold: float | None) -> float | None:
    """The value with one decimal, rounded towards its own side of ``threshold``, when the
    whole number would lie on the other side; None when the whole number is right."""
    if threshold is None or (round(value) >= threshold) == (value >= threshold):
        return None
    tenths = round(value * 10, 6)  # 49.5 * 10 may be 494.99999…
    return (math.floor(tenths) if value < threshold else math.ceil(tenths)) / 10


def fmt_score(value: float | None, lang: Lang = "de", threshold: float | None = None) -> str:
    """A score (0–100) as shown to people: a whole number, "–" when there is none; one
    decimal where the whole number would cross ``threshold`` (49.5 → "49,5" below 50)."""
    if value is None:
        return NO_VALUE
    near = _near(value, threshold)
    return fmt_number(value, lang) if near is None else fmt_number(near, lang, 1)


def fmt_interval(low: float, high: float, lang: Lang = "de", threshold: float | None = None) -> str:
    """An interval alone, "40–70", its bounds spelled as :func:`fmt_score` spells them."""
    return f"{fmt_score(low, lang, threshold)}–{fmt_score(high, lang, threshold)}"


def fmt_range(score: float | None, low: float, high: float, lang: Lang = "de", threshold: float | None = None) -> str:
    """A score with its interval, "55 (40–70)"; just "55" when the interval reads as one
    number. No shown number crosses ``threshold`` by rounding (:func:`fmt_score`)."""
    if score is None:
        return NO_VALUE
    shown, low_shown, high_shown = (fmt_score(v, lang, threshold) for v in (score, low, high))
    if low_shown == high_shown:
        return shown
    return f"{shown} ({low_shown}–{high_shown})"


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


def fmt_gain(value: float, lang: Lang) -> str:
    """Points a change brings, with its sign and one decimal: "+2,5", "−1,0", "±0,0"."""
    rounded = round(value, 1) + 0.0
    if rounded == 0:
        return "±" + fmt_number(0, lang, 1)
    return ("+" if rounded > 0 else MINUS) + fmt_number(abs(rounded), lang, 1)


def fmt_percent(share: float, lang: Lang, digits: int = 0, threshold: float | None = None) -> str:
    """A share (0–1) as a percentage, "50 %" / "50%" (``digits`` decimals: "8,3 %"). Next to a
    ``threshold`` share it never rounds across it: two of three below two thirds' 0.67 read
    "66,7 %", not "67 %" (the rule of :func:`fmt_score`)."""
    near = None if threshold is None or digits else _near(share * 100, threshold * 100)
    if near is not None:
        return _spelled(near / 100, lang, "percent", 1, True).replace("-", MINUS)
    rounded = round(share * 100, digits) + 0.0
    return _spelled(rounded / 100, lang, "percent", digits, True).replace("-", MINUS)


def percent_printf(lang: Lang) -> str:
    """The percent spelling of :func:`fmt_percent` as a printf format for a whole number
    ("%d %%" / "%d%%"), for widgets that format in the browser (progress columns)."""
    prefix, _, suffix = _pattern(lang, "percent", 0).pattern.partition("#,##0")
    return (prefix + "%d" + suffix.replace("%", "%%")).replace("\u00a0", " ")


def status_label(domain: DomainResult, lang: Lang) -> str:
    """Stable or borderline; "–" while the domain has no type. A group result whose
    participants did not agree on the type says so: its median answers alone would call it
    stable."""
    if domain.type_id is None:
        return NO_VALUE
    if domain.group_disagrees:
        return t("core.status.group_disagrees", lang)
    return t("core.status.stable", lang) if domain.stable else t("core.status.borderline", lang)


def group_line(questionnaire: Questionnaire, domain: DomainResult, lang: Lang) -> str | None:
    """A group result's domain as the group had it: placed participants, their middle half
    per axis and how many lie in the group's quadrant; None for a single assessment."""
    group = domain.group
    if group is None:
        return None
    halves = []
    for dim_id in questionnaire.dimension_ids:
        if dim_id in group.middle_half:
            q1, q3 = group.middle_half[dim_id]
            threshold = questionnaire.threshold(dim_id)
            spelled = f"{fmt_score(q1, lang, threshold)}–{fmt_score(q3, lang, threshold)}"
            halves.append(f"{questionnaire.dimension(dim_id).short.get(lang)} {spelled}")
    verdict = "agrees" if group.agrees else "disagrees"
    return t(
        f"core.group.{verdict}",
        lang,
        placed=fmt_number(group.placed, lang),
        middle_half=", ".join(halves),
        in_type=fmt_number(group.in_group_type, lang),
    )


def group_origin_line(origin: GroupOrigin, lang: Lang) -> str:
    """What a group result is: the median of how many participants of which workshop."""
    count = fmt_number(origin.participants, lang)
    if origin.title:
        return t("core.group.origin_titled", lang, count=count, title=origin.title)
    return t("core.group.origin", lang, count=count)


# --- counted nouns ------------------------------------------------------------------------

PLURAL_FORMS = ("one", "other")  # the CLDR plural categories German and English use for whole numbers


def plural_form(count: float, lang: Lang) -> str:
    """The CLDR plural category of ``count`` in ``lang``: "one" or "other"."""
    return LOCALES[lang].plural_form(count)


def counted(key: str, count: int, lang: Lang, **params: Any) -> str:
    """The text ``key`` in the plural form ``count`` asks for, ``{count}`` spelled as a number.

    The locale files hold the forms under the key: ``open_items: {one: {de: …}, other: {de: …}}``.
    """
    return t(f"{key}.{plural_form(count, lang)}", lang, count=fmt_number(count, lang), **params)


def fmt_duration(questions: int, domains: int, low: int, high: int, lang: Lang) -> str:
    """How long the questionnaire takes: "21 Fragen in 2 Domänen – etwa 25–60 Minuten …"; before
    a domain is chosen, the cross-cutting questions alone, saying that no domain is chosen yet."""
    parts = {
        "questions": counted("core.counts.questions", questions, lang),
        "minutes": fmt_minutes(low, high, lang),
    }
    if domains == 0:
        return t("ui.start.duration_general", lang, **parts)
    return t("ui.start.duration", lang, domains=counted("core.counts.domains", domains, lang), **parts)


def fmt_minutes(low: int, high: int, lang: Lang) -> str:
    """A range of minutes: "25–60 Minuten" (one number when both ends are the same)."""
    if low == high:
        return counted("core.counts.minutes", high, lang)
    return f"{fmt_number(low, lang)}–{counted('core.counts.minutes', high, lang)}"


# --- dates and times ----------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE) if moment.tzinfo is not None else moment


def fmt_date(moment: datetime | date | None, lang: Lang) -> str:
    """A date: "01.12.2026" / "1 Dec 2026" (a moment: its day in Germany)."""
    if moment is None:
        return NO_VALUE
    day = _local(moment).date() if isinstance(moment, datetime) else moment
    return format_date(day, "medium", locale=LOCALES[lang])


def fmt_time(moment: datetime, lang: Lang = "de") -> str:
    """A time of day in Germany, "14:05:09" (the same in both languages)."""
    return format_time(_local(moment).time(), "medium", locale=LOCALES[lang])


def date_input_format(lang: Lang) -> str:
    """The language's numeric date as Streamlit's date picker writes it ("DD.MM.YYYY",
    "DD/MM/YYYY"): the picker offers day, month and year in a fixed set of orders only."""
    pattern = LOCALES[lang].date_formats["short"].pattern  # "dd.MM.yy", "dd/MM/y"
    separator = next(c for c in pattern if not c.isalpha())
    order = [{"d": "DD", "M": "MM", "y": "YYYY"}[part[0]] for part in pattern.split(separator)]
    return separator.join(order)


def fmt_datetime(moment: datetime, lang: Lang) -> str:
    """A date with the time of day in Germany, "01.12.2026, 17:00" / "1 Dec 2026, 17:00"."""
    locale = LOCALES[lang]
    time = format_time(_local(moment).time(), "short", locale=locale)
    return locale.datetime_formats["medium"].format(time, fmt_date(moment, lang))


# --- answers -----------------------------------------------------------------------------


def fmt_join_code(code: str) -> str:
    """A join code as it is read aloud and typed: two halves, ``ACDEFGHJ`` → ``ACDE FGHJ``."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


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
    return f"{_plain(value, lang, grouping=True)}{unit}" if isinstance(value, (int, float)) else str(value)


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


def item_score_cell(state: ItemState, lang: Lang) -> str:
    """An item score in a CSV cell (:func:`fmt_cell`): written for answered items only."""
    return fmt_cell(state.score, lang) if state.state is State.ANSWERED else ""


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
