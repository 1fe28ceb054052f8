"""Spellings: numbers, scores near a threshold, percent, dates, counted nouns, CSV for each
language's spreadsheet.

Numbers, percent and dates come from Babel (CLDR) in ``ktmsc/labels.py``; screen, paper and
files all call it (tests/test_readout.py holds them to the same spelling).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from ktmsc.export import ANSWER_CSV_COLUMNS, answers_csv, csv_header, file_name, file_slug
from ktmsc.labels import (
    counted,
    fmt_cell,
    fmt_duration,
    fmt_interval,
    fmt_percent,
    fmt_plain,
    fmt_range,
    fmt_score,
    percent_printf,
    plural_form,
)
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.texts import t

# --- scores next to a threshold ------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "low", "high", "lang", "shown"),
    [
        # The case: a maximum of 49.5 below the threshold of 50 is not "50".
        (45.0, 41.0, 49.5, "de", "45 (41–49,5)"),
        (45.0, 41.0, 49.5, "en", "45 (41–49.5)"),
        (45.0, 41.0, 49.96, "de", "45 (41–49,9)"),  # towards its own side, never up to 50,0
        (45.0, 41.0, 49.4, "de", "45 (41–49)"),  # rounds down: nothing to say
        (49.5, 41.0, 49.5, "de", "49,5 (41–49,5)"),  # the point too
        (55.0, 49.6, 70.0, "de", "55 (49,6–70)"),  # a minimum below 50 is not "50" either
        (55.0, 50.0, 70.0, "de", "55 (50–70)"),  # 50 itself is high: nothing to mark
        (55.0, 50.4, 70.0, "de", "55 (50–70)"),
        (55.4, 40.2, 70.6, "de", "55 (40–71)"),  # far from the threshold: whole numbers
        (55.4, 55.2, 55.4, "de", "55"),  # an interval that reads as one number
        (None, 0.0, 100.0, "de", "–"),
    ],
)
def test_fmt_range__never_crosses_the_threshold_by_rounding(score, low, high, lang, shown):
    assert fmt_range(score, low, high, lang, threshold=50) == shown


def test_fmt_score__the_shown_number_lies_on_the_side_of_its_value():
    for value in [i / 100 for i in range(10_001)]:  # 0, 0.01, … 100
        shown = float(fmt_score(value, "en", threshold=50))
        assert (shown >= 50) == (value >= 50), value
        assert abs(shown - value) <= 0.5, value


def test_fmt_score__other_thresholds_and_without_one():
    assert fmt_score(62.5, "de", threshold=62.6) == "62"  # round(62.5) == 62 < 62.6: on its side
    assert fmt_score(62.55, "de", threshold=62.6) == "62,5"
    assert fmt_score(62.6, "de", threshold=62.6) == "63"
    assert fmt_score(49.5) == "50"  # without a threshold: a plain whole number
    assert fmt_interval(41.0, 49.5, "de", 50) == "41–49,5"


# --- numbers, percent, dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "plain", "cell"),
    [
        (1234.5, "de", "1.234,5", "1234,5"),
        (1234.5, "en", "1,234.5", "1234.5"),
        (1_000_000.0, "de", "1.000.000", "1000000"),
        (0.30000000000000004, "de", "0,3", "0,3"),
        (0.35, "de", "0,35", "0,35"),
        (50.0, "en", "50", "50"),
        (-2.5, "de", "−2,5", "-2,5"),  # a real minus on screen, the sign Excel reads in a cell
    ],
)
def test_plain_numbers_and_spreadsheet_cells(value, lang, plain, cell):
    assert fmt_plain(value, lang) == plain
    assert fmt_cell(value, lang) == cell


def test_fmt_cell__digits_and_no_value():
    assert fmt_cell(0.875, "de", 3) == "0,875"
    assert fmt_cell(100.0, "de", 1) == "100,0"
    assert fmt_cell(None, "de") == fmt_cell(float("nan"), "en") == ""


def test_percent_printf__the_same_spelling_as_fmt_percent():
    assert percent_printf("de") % 50 == "50 %"
    assert percent_printf("en") % 50 == "50%"


# --- counted nouns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "lang", "shown"),
    [
        (0, "de", "0 Fragen"),
        (1, "de", "1 Frage"),
        (2, "de", "2 Fragen"),
        (1234, "de", "1.234 Fragen"),
        (1, "en", "1 question"),
        (21, "en", "21 questions"),
    ],
)
def test_counted__the_plural_form_of_the_language(count, lang, shown):
    assert counted("core.counts.questions", count, lang) == shown


@pytest.mark.parametrize(
    ("count", "lang", "start"),
    [
        (1, "de", "Einmal „Weiß nicht“: Diese Frage zählt"),
        (4, "de", "4-mal „Weiß nicht“: Diese Fragen zählen"),
        (1, "en", "“Don't know” once: this question counts"),
        (4, "en", "“Don't know” 4 times: these questions count"),
    ],
)
def test_counted__dont_know(count, lang, start):
    assert counted("ui.questions.dont_know_count", count, lang).startswith(start)


def test_counted__every_text_in_the_files_reads_without_brackets():
    """No "(n)", "(en)" or "(s)" plural is left in any text."""
    import re

    from ktmsc.texts import catalogue

    for key, entry in catalogue().items():
        for lang, text in entry.items():
            assert not re.search(r"\w\((n|en|s)\)", text), (key, lang, text)


def test_plural_form__cldr_categories():
    assert [plural_form(n, "de") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]


def test_fmt_duration__a_range_and_before_a_domain_is_chosen_only_the_general_questions():
    assert fmt_duration(21, 0, 15, 60, "de") == (
        "Noch keine Domäne gewählt: 21 Fragen zu übergreifenden Themen – etwa 15–60 Minuten. "
        "Mit jeder Domäne kommen Fragen hinzu."
    )
    assert fmt_duration(40, 1, 1, 1, "de").startswith("40 Fragen in 1 Domäne – etwa 1 Minute.")
    assert fmt_duration(61, 2, 30, 120, "en").startswith("61 questions in 2 domains – about 30–120 minutes.")
    assert fmt_duration(200, 6, 1000, 2500, "de").startswith("200 Fragen in 6 Domänen – etwa 1.000–2.500 Minuten.")


# --- CSV for German Excel --------------------------------------------------------------------


def test_answers_csv__opens_in_german_excel(questionnaire):
    """What German Excel does with the downloaded bytes: UTF-8 only after a byte order mark,
    cells split at ";", a decimal comma as a number."""
    assessment = Assessment(
        profile=AssessmentProfile(name="Groß-Umstadt", population=21_000),
        domains=["mobilitaet"],
        answers={"g_strategy": "adopted", "g_staff_fte": 1234.5},
        notes={"g_strategy": "Beschluss für Müller; siehe Anlage, Seite 3"},
    )
    data = answers_csv(questionnaire, assessment, "de").encode("utf-8")  # what the download sends
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == csv_header(ANSWER_CSV_COLUMNS, "de")
    assert rows[0][:7] == ["Abschnitt", "Nr.", "Frage-ID", "Frage", "Status", "Antwort-ID", "Antwort"]
    assert all(len(row) == len(rows[0]) for row in rows)  # the note's ";" and "," stay inside their cell
    by_id = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_id["g_strategy"]["Notiz"] == "Beschluss für Müller; siehe Anlage, Seite 3"
    assert by_id["g_staff_fte"]["Antwort"] == "1.234,5 Vollzeitstellen"
    score = questionnaire.items["g_strategy"].option("adopted").score
    assert by_id["g_strategy"]["Punktwert der Frage"] == fmt_cell(score, "de")
    assert by_id["g_strategy"]["Punktwert der Frage"] == str(score).replace(".", ",")  # a number to German Excel
    assert by_id["g_strategy"]["Frage"] == questionnaire.items["g_strategy"].text.de  # umlauts intact
    assert "Ã" not in text


def test_answers_csv__english_keeps_the_comma(questionnaire):
    assessment = Assessment(domains=["mobilitaet"], answers={"g_staff_fte": 2.5})
    text = answers_csv(questionnaire, assessment, "en")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:4] == ["Section", "No.", "Question ID", "Question"]
    assert {row[2]: row for row in rows[1:]}["g_staff_fte"][6] == "2.5 full-time equivalents"


@pytest.mark.parametrize(
    ("kind", "lang", "name", "ext", "expected"),
    [
        ("answers", "de", "Groß-Umstadt", "csv", "ktmsc-gross-umstadt-antworten.csv"),
        ("answers", "en", "Groß-Umstadt", "csv", "ktmsc-gross-umstadt-answers.csv"),
        ("report", "de", "", "pdf", "ktmsc-bewertung-bericht.pdf"),
        (None, "de", None, "json", "ktmsc-bewertung.json"),
        ("positions", "de", "Workshop Rat", "csv", "ktmsc-workshop-rat-positionen.csv"),
    ],
)
def test_file_name__in_the_language(kind, lang, name, ext, expected):
    assert file_name(kind, lang, name, ext) == expected


def test_file_slug__unchanged():
    assert file_slug("„Groß-Umstadt – Süd“") == "gross-umstadt-sued"
    assert t("core.file.answers", "de") == "antworten"


def test_dates__one_spelling_per_language():
    from ktmsc.labels import date_input_format, fmt_date, fmt_time

    assert (date_input_format("de"), date_input_format("en")) == ("DD.MM.YYYY", "DD/MM/YYYY")
    moment = datetime(2026, 3, 7, 8, 5, 9, tzinfo=UTC)
    assert (fmt_date(moment, "de"), fmt_date(moment, "en")) == ("07.03.2026", "7 Mar 2026")
    assert fmt_time(moment, "de") == fmt_time(moment, "en") == "09:05:09"  # local time in Germany


@pytest.mark.parametrize(
    ("share", "threshold", "expected"),
    [
        (2 / 3, 0.67, "66,6\u00a0%"),  # below: one decimal towards its own side, never "67 %"
        (0.67, 0.67, "67\u00a0%"),
        (0.674, 0.67, "67\u00a0%"),
        (0.5, 0.67, "50\u00a0%"),
        (0.996, 1.0, "99,6\u00a0%"),
        (0.75, None, "75\u00a0%"),
    ],
)
def test_fmt_percent__next_to_a_threshold_never_rounds_across_it(share, threshold, expected):
    assert fmt_percent(share, "de", threshold=threshold) == expected
