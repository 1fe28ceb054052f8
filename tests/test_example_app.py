"""The invented example in AppTest: opened from the start page, read-only on every page,
marked as invented, with its report and workshop dashboard, and never stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import app_driver as drive
from ktmsc.example import example_assessment
from ktmsc.scoring import score_assessment
from ktmsc.storage import tables
from ktmsc.ui.safe import md

OPEN = {
    "de": ("Beispiel-Ergebnis ansehen", "Beispiel-Workshop ansehen"),
    "en": ("See the example's results", "See the example workshop"),
}
NOTE = {"de": "Erfundenes Beispiel", "en": "Invented example"}


def rows(app_store) -> tuple[int, int, int]:
    with app_store.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (tables.assessments, tables.answers, tables.workshops)
        )


def open_example(lang: str, which: int = 0) -> drive.AppTest:
    at = drive.open_app(lang)
    drive.assert_ok(at)
    assert NOTE[lang] not in drive.texts(at)
    at = drive.click(at, OPEN[lang][which])
    drive.assert_ok(at)
    return at


@pytest.mark.parametrize("lang", ["de", "en"])
def test_example_opens_from_the_start_page_with_its_types(app_store, questionnaire, lang):
    at = open_example(lang)
    assert at.title[0].value == {"de": "Ergebnis", "en": "Results"}[lang]
    page = drive.texts(at)
    assert NOTE[lang] in page
    assert questionnaire.example.name.get(lang) in page  # the name says "invented" too
    expected = score_assessment(questionnaire, example_assessment(questionnaire, lang))
    types = {questionnaire.types[d.type_id].name.get(lang) for d in expected.domains.values()}
    assert drive.overview_types(at, lang) == types and len(types) >= 2
    assert at.query_params["s"] in ("example", ["example"]) and "a" not in at.query_params
    # Read-only: nothing to type, tick or delete; the report is there to take along.
    assert not at.text_input and not at.number_input and not at.checkbox
    downloads = [b.proto.label for b in at.get("download_button")]
    assert any("PDF" in label for label in downloads), downloads


def test_example_questions_and_profile_are_read_only(app_store, questionnaire):
    before = rows(app_store)
    at = open_example("de")
    at = drive.go(at, "questions")
    drive.assert_ok(at)
    assert "Erfundenes Beispiel" in drive.texts(at)
    widgets = [*at.radio, *at.checkbox, *at.number_input, *at.text_area, *at.text_input]
    question_widgets = [w for w in widgets if (w.key or "").startswith("q.")]
    assert question_widgets and all(w.disabled for w in question_widgets)
    assert at.radio(key="q.de.g_strategy.answer").value == questionnaire.example.answers["g_strategy"]
    at = drive.go(at, "start")
    drive.assert_ok(at)
    assert at.text_input(key="start.de.name").disabled
    assert at.text_input(key="start.de.name").value == "Kinzigbrück (erfundenes Beispiel)"
    assert not [b for b in at.button if b.label == "Fragebogen starten"]
    at = drive.go(at, "data")
    drive.assert_ok(at)
    assert not [b for b in at.button if "Löschen" in b.label or "löschen" in b.label]
    assert not at.get("file_uploader")
    assert rows(app_store) == before


def test_example_workshop_dashboard_is_read_only(app_store, questionnaire):
    before = rows(app_store)
    at = open_example("de", which=1)
    assert at.title[0].value == md(questionnaire.example.workshop.title.de)
    page = drive.texts(at)
    assert "Erfundenes Beispiel" in page
    progress = at.dataframe[0].value
    assert len(progress) == len(questionnaire.example.workshop.participants)
    assert list(progress["Rolle"]) == [p.role.de for p in questionnaire.example.workshop.participants]
    assert len(at.get("vega_lite_chart")) == 2  # the overview and the chosen domain
    assert [m for m in at.markdown if m.value.startswith("**1. ")]  # the agenda
    # No secrets and nothing that changes anything: no code, links, closing, removing or deleting.
    labels = {b.label for b in at.button}
    assert not labels & {"Schließen", "Wieder öffnen", "Workshop löschen", "Gruppenergebnis als Bewertung öffnen"}
    assert not at.code and not at.get("image")  # no QR code
    assert not [e for e in at.expander if "Lösch" in e.label or "Links" in e.label]
    assert rows(app_store) == before


def test_opening_the_example_twice_stores_nothing(app_store):
    before = rows(app_store)
    for lang in ("de", "en"):
        at = open_example(lang)
        at = drive.go(at, "questions")
        drive.assert_ok(at)
        at = drive.go(at, "workshop")
        drive.assert_ok(at)
    # Opened straight from a link, too.
    at = drive.open_app("de", page="results", s="example")
    drive.assert_ok(at)
    assert "Erfundenes Beispiel" in drive.texts(at)
    assert rows(app_store) == before


def test_leaving_the_example_returns_to_ones_own_assessment(app_store):
    at = drive.open_app("de")
    drive.set_profile(at, "de", name="Meine Stadt", domains=["mobilitaet"])
    at = drive.click(at, "Fragebogen starten")
    own = at.query_params["a"]
    at = drive.go(at, "start")
    at = drive.click(at, OPEN["de"][0])
    assert "Erfundenes Beispiel" in drive.texts(at)
    at = drive.click(at, "Beispiel verlassen")
    drive.assert_ok(at)
    assert at.query_params["a"] == own and "s" not in at.query_params
    assert "Meine Stadt" in drive.texts(at) and "Erfundenes Beispiel" not in drive.texts(at)
