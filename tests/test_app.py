"""The self-assessment in AppTest: start → questions → results, in both languages."""

from __future__ import annotations

import json
import re

import pytest
from spreadsheet import read_records

import app_driver as drive
from hostile_files import HOSTILE_FILES
from ktmsc.export import ANSWER_CSV_COLUMNS, answers_csv
from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.schema import DONT_KNOW
from ktmsc.readout import build_readout
from ktmsc.scoring import extreme_answers
from ktmsc.ui.safe import md

LABELS = {
    "de": {
        "begin": "Fragebogen starten",
        "next": "Weiter",
        "back": "Zurück",
        "results": "Zum Ergebnis",
        "import": "Übernehmen",
    },
    "en": {
        "begin": "Start the questionnaire",
        "next": "Next",
        "back": "Back",
        "results": "See the results",
        "import": "Use this assessment",
    },
}


def start(lang: str, domains: list[str], **profile) -> drive.AppTest:
    at = drive.open_app(lang)
    drive.assert_ok(at)
    drive.set_profile(at, lang, domains=domains, **profile)
    at = drive.click(at, LABELS[lang]["begin"])
    drive.assert_ok(at)
    return at


def edit_token(at) -> str:
    return at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]


def stored(app_store, at) -> Assessment:
    return app_store.open_for_edit(edit_token(at)).assessment


@pytest.mark.parametrize("lang", ["de", "en"])
def test_full_admin_path_over_two_domains_to_the_results(app_store, questionnaire, lang):
    at = start(lang, ["mobilitaet", "wirtschaft"], name="Musterstadt", population=42000)
    assert at.title[0].value == {"de": "Fragen", "en": "Questions"}[lang]
    # The general section's topics, then each domain in parts: no step shows more than seven questions.
    steps = 0
    answered: set[str] = set()
    while any(b.label == LABELS[lang]["next"] for b in at.button):
        shown = drive.answer_page(at, lang, drive.best)
        assert 0 < len(shown) <= 7
        answered |= shown
        steps += 1
        at = drive.click(at, LABELS[lang]["next"])
        drive.assert_ok(at)
    assert steps == 8  # four topics of the general section, two parts of each domain
    # The review lists nothing open and leads to the results.
    assert {"de": "Alle Fragen sind beantwortet.", "en": "All questions are answered."}[lang] in drive.texts(at)
    at = drive.click(at, LABELS[lang]["results"])
    drive.assert_ok(at)
    page = drive.texts(at)
    assert at.title[0].value == {"de": "Ergebnis", "en": "Results"}[lang]
    leuchtturm = questionnaire.types["leuchtturm"].name.get(lang)
    overview = at.table[0].value
    assert list(overview.index) == [questionnaire.domain(d).name.get(lang) for d in ("wirtschaft", "mobilitaet")]
    assert drive.overview_types(at, lang) == {leuchtturm}
    assert leuchtturm in page  # the chosen domain's detail
    assert at.radio(key="results.domain").options == list(overview.index)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    assessment = stored(app_store, at)
    assert set(assessment.answers) == answered
    assert assessment.profile.name == "Musterstadt" and assessment.profile.population == 42000


def test_citizen_path_shows_only_public_items(app_store, questionnaire):
    at = start("de", ["umwelt_energie"], name="Außenblick", perspective="buergerin")
    shown = {i.id for i in drive.visible_items(at, "de")}
    assert shown, "the general step shows items"
    assert all(questionnaire.items[i].public for i in shown)
    assert "Wo Sie nachsehen können" in drive.texts(at)
    # Citizens get the evidence field with every question from the start.
    first = sorted(shown)[0]
    assert at.text_input(key=f"q.de.{first}.evidence") is not None
    at, _ = drive.answer_section(at, "de", drive.best)
    shown = {i.id for i in drive.visible_items(at, "de")}
    public = {i.id for i in questionnaire.items_for("umwelt_energie", "buergerin")}
    assert shown and shown <= public
    hidden = {i.id for i in questionnaire.section("umwelt_energie").items if not i.public}
    assert not shown & hidden


def test_back_and_next_keep_answers(app_store):
    at = start("de", ["mobilitaet"], name="Hin und zurück")
    drive.answer(at, "de", drive.visible_items(at, "de")[0], "in_preparation")
    at.run()
    at = drive.click(at, "Weiter")
    at = drive.click(at, "Zurück")
    drive.assert_ok(at)
    assert at.radio(key="q.de.g_strategy.answer").value == "in_preparation"
    assert stored(app_store, at).answers["g_strategy"] == "in_preparation"


def test_an_answer_given_in_another_tab_shows_after_answering_here(app_store, questionnaire):
    here = start("de", ["mobilitaet"], name="Zwei Tabs")
    there = drive.open_app("de", page="questions", a=edit_token(here))
    drive.answer(there, "de", questionnaire.items["g_strategy"], "in_preparation")
    there.run()

    # This tab answers something else; its own write must not hide the other tab's.
    drive.answer(here, "de", questionnaire.items["g_cdo"], "on_the_side")
    here.run()
    drive.assert_ok(here)
    assert here.radio(key="q.de.g_strategy.answer").value == "in_preparation"
    assert stored(app_store, here).answers == {"g_strategy": "in_preparation", "g_cdo": "on_the_side"}


def test_switching_language_mid_way_keeps_answers(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Zweisprachig")
    drive.answer(at, "de", questionnaire.items["g_strategy"], "adopted")
    drive.answer(at, "de", questionnaire.items["g_cooperation"], ["it_provider", "intermunicipal"])
    at.run()
    at.radio(key="frame.lang_toggle").set_value("en").run()
    drive.assert_ok(at)
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.title[0].value == "Questions"
    assert at.radio(key="q.en.g_strategy.answer").value == "adopted"
    assert at.checkbox(key="q.en.g_cooperation.it_provider").value is True
    assert at.checkbox(key="q.en.g_cooperation.none").value is False
    # ... and back again, still there.
    at.radio(key="frame.lang_toggle").set_value("de").run()
    assert at.radio(key="q.de.g_strategy.answer").value == "adopted"


def test_dont_know_everywhere_gives_an_honest_low_coverage_result(app_store):
    at = start("en", ["resilienz_sicherheit", "verwaltung_bildung"], name="Unsure")
    at, _ = drive.answer_every_step(at, "en", drive.dont_know)
    at = drive.click(at, "See the results")
    drive.assert_ok(at)
    page = drive.texts(at)
    assert "too few answers" in page
    # The overview's scores column ends with the coverage; English writes "0%".
    assert {cell.split("  \n")[-1] for cell in at.table[0].value["Scores (range)"]} == {"Coverage 0%"}
    assert not at.error


def test_exclusive_options_stand_alone(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Exklusiv")
    item = questionnaire.items["g_cooperation"]
    drive.answer(at, "de", item, ["it_provider"])
    at.checkbox(key="q.de.g_cooperation.none").check().run()
    assert stored(app_store, at).answers["g_cooperation"] == ["none"]
    assert at.checkbox(key="q.de.g_cooperation.it_provider").value is False
    at.checkbox(key="q.de.g_cooperation.dont_know").check().run()
    assert stored(app_store, at).answers["g_cooperation"] == DONT_KNOW


def test_notes_and_evidence_are_saved(app_store):
    at = start("de", ["mobilitaet"], name="Belege")
    assert not [w for w in at.text_area if w.key and w.key.startswith("q.de.")], "note fields only on request"
    at.toggle(key="questions.notes.verwaltung").set_value(True).run()
    at.text_area(key="q.de.g_strategy.note").input("Beschluss vom 3. Mai").run()
    at.text_input(key="q.de.g_strategy.evidence").input("https://rat.example/vorlage/123").run()
    assessment = stored(app_store, at)
    assert assessment.notes["g_strategy"] == "Beschluss vom 3. Mai"
    assert assessment.evidence["g_strategy"] == "https://rat.example/vorlage/123"
    # Switched off again, the question that has a note keeps its fields; the others have none.
    at.toggle(key="questions.notes.verwaltung").set_value(False).run()
    note_fields = {w.key for w in at.text_area if w.key and w.key.startswith("q.de.")}
    assert note_fields == {"q.de.g_strategy.note"}


def test_script_in_the_name_is_shown_as_text(app_store):
    name = "<script>alert(1)</script>"
    at = start("de", ["mobilitaet"], name=name)
    at = drive.go(at, "results")
    drive.assert_ok(at)
    assert any(name in str(t.value) for t in at.text), "the sidebar shows the name as plain text"
    for block in at.markdown:
        assert "<script>" not in block.value, block.value


def valid_file(questionnaire, domains=("mobilitaet", "wirtschaft")) -> bytes:
    answers = extreme_answers(questionnaire, {"leistungsfaehigkeit": "low", "veraenderungsbereitschaft": "high"})
    assessment = Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(name="Importstadt", population=12000),
        domains=list(domains),
        answers=answers,
    )
    return assessment.to_json().encode()


def test_importing_a_valid_file_restores_the_results(app_store, questionnaire):
    at = drive.open_app("de", page="data")
    drive.assert_ok(at)
    at.file_uploader[0].set_value(("bewertung.json", valid_file(questionnaire), "application/json")).run()
    drive.assert_ok(at)
    assert "Importstadt" in drive.texts(at)
    at = drive.click(at, "Übernehmen")
    drive.assert_ok(at)
    assert at.title[0].value == "Ergebnis"
    assert drive.overview_types(at) == {questionnaire.types["mobilisiererin"].name.de}
    assert stored(app_store, at).profile.name == "Importstadt"


BAD_FILES = {
    "truncated": b'{"format": "ktmsc-assessment", "version": 1, "answers": {"g_str',
    "foreign": json.dumps({"type": "FeatureCollection", "features": []}).encode(),
    "oversized": b'{"format": "ktmsc-assessment", "padding": "' + b"x" * 1_100_000 + b'"}',
    "other_questionnaire": json.dumps(
        {"format": "ktmsc-assessment", "version": 1, "domains": ["mobilitaet"], "answers": {"q_42": "yes"}}
    ).encode(),
    **{name: content for name, (content, _words) in HOSTILE_FILES.items()},
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_importing_a_bad_file_shows_an_error_and_keeps_the_answers(app_store, questionnaire, name):
    at = start("de", ["mobilitaet"], name="Bleibt")
    drive.answer(at, "de", questionnaire.items["g_strategy"], "adopted")
    at.run()
    token = edit_token(at)
    at = drive.go(at, "data")
    at.file_uploader[0].set_value((f"{name}.json", BAD_FILES[name], "application/json")).run()
    drive.assert_ok(at)
    assert at.error, "a clear error is shown"
    assert "Es wurde nichts geändert" in at.error[0].value
    assert not [b for b in at.button if b.label == "Übernehmen"]
    kept = app_store.open_for_edit(token).assessment
    assert kept.profile.name == "Bleibt" and kept.answers == {"g_strategy": "adopted"}


def test_every_page_runs_without_an_assessment():
    for page in ("start", "questions", "results", "method", "data"):
        for lang in ("de", "en"):
            at = drive.open_app(lang, page=page)
            drive.assert_ok(at)
            assert at.title, page


def test_invalid_resume_link_says_so():
    at = drive.open_app("de", a="x" * 32)
    drive.assert_ok(at)
    assert "ungültig" in drive.texts(at)


def _send_crafted_answer() -> None:
    """What a hand-made websocket message reaches: the session's save, with a value the widget never offers."""
    import json

    import streamlit as st

    from ktmsc.ui import frame, session

    cur = session.current("de")
    value = json.loads(st.query_params["crafted"])
    saved = session.save_answer(st.query_params["item"], value)
    st.text(f"saved={saved} shown={json.dumps(cur.assessment.answers.get(st.query_params['item']))}")
    frame.show_notice("de")


CRAFTED_ANSWERS = [
    ("g_strategy", '=HYPERLINK("http://x","klick")'),
    ("g_cooperation", ["it_provider", "<img src=x>"]),
    ("g_staff_fte", -5),
    ("g_staff_fte", 1e300),
    ("g_strategy", "not_applicable"),
]


@pytest.mark.parametrize(("item_id", "value"), CRAFTED_ANSWERS)
def test_a_crafted_answer_is_refused_with_a_notice_and_nothing_is_lost(app_store, questionnaire, item_id, value):
    at = start("de", ["mobilitaet"], name="Manipuliert")
    for item, answer in (("g_strategy", "adopted"), ("g_cooperation", ["none"]), ("g_staff_fte", 2.5)):
        drive.answer(at, "de", questionnaire.items[item], answer)
        at.run()
    before = stored(app_store, at)
    crafted = drive.AppTest.from_function(_send_crafted_answer, default_timeout=drive.TIMEOUT)
    crafted.query_params.update(a=edit_token(at), item=item_id, crafted=json.dumps(value))
    crafted.run()
    drive.assert_ok(crafted)
    assert f"saved=False shown={json.dumps(before.answers[item_id])}" in drive.texts(crafted)
    assert "Diese Antwort bietet die Frage nicht an" in drive.texts(crafted)
    assert stored(app_store, at).answers == before.answers


def test_importing_a_file_with_a_number_beyond_what_the_question_takes_changes_nothing(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Bleibt")
    drive.answer(at, "de", questionnaire.items["g_strategy"], "adopted")
    at.run()
    token = edit_token(at)
    crafted = Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(name="Riesig"),
        domains=["mobilitaet"],
        answers={"g_staff_fte": 5_000_000},
    )
    at = drive.go(at, "data")
    at.file_uploader[0].set_value(("riesig.json", crafted.to_json().encode(), "application/json")).run()
    drive.assert_ok(at)
    assert "Es wurde nichts geändert" in at.error[0].value and "g_staff_fte" in at.error[0].value
    assert not [b for b in at.button if b.label == "Übernehmen"], "refused in the preview already"
    kept = app_store.open_for_edit(token).assessment
    assert kept.profile.name == "Bleibt" and kept.answers == {"g_strategy": "adopted"}


def test_two_tabs_ticking_different_boxes_of_one_question_keep_both(app_store):
    first = start("de", ["mobilitaet"], name="Zwei Tabs")
    first = drive.go(first, "questions")
    second = drive.go(drive.open_app("de", a=edit_token(first)), "questions")  # opened before any tick
    first.checkbox(key="q.de.g_cooperation.it_provider").check().run()
    drive.assert_ok(first)
    second.checkbox(key="q.de.g_cooperation.own_company").check().run()
    drive.assert_ok(second)
    assert stored(app_store, first).answers["g_cooperation"] == ["it_provider", "own_company"]
    assert second.checkbox(key="q.de.g_cooperation.it_provider").value, "the other tab's tick shows"


# --- numbers, dates and plurals ---------------------------------------------------------------


def test_number_answer__read_back_in_german_and_counted_open_questions(app_store):
    """The browser's number field writes "1.5" in every language; under it the app says what it
    read, in German. The start page counts in words that fit the number."""
    at = drive.open_app("de")
    drive.assert_ok(at)
    assert "Noch keine Domäne gewählt: " in drive.texts(at)  # not "in 0 Domäne(n)"
    at = start("de", ["mobilitaet"], name="Zahlenstadt", population=12_000)
    item = get_questionnaire().items["g_staff_fte"]
    drive.answer(at, "de", item, 1.5)
    at.run()
    drive.assert_ok(at)
    assert "Gespeichert: 1,5 Vollzeitstellen" in [c.value for c in at.caption]
    assert at.number_input(key="q.de.g_staff_fte.answer").format == "%g"  # "1.5", not "1.50"


# --- question numbers ---------------------------------------------------------------------------

QUESTION_NUMBER = re.compile(r"^\*\*(\d+\.\d+)\*\* ")


def question_numbers(at) -> list[str]:
    """The numbers the questions on the page carry, in page order ("**1.2** text")."""
    return [m.group(1) for m in (QUESTION_NUMBER.match(e.value) for e in at.markdown) if m]


def test_question_numbers_count_the_questions_shown__a_hidden_follow_up_leaves_no_gap(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Lückenlos")
    # The general section's topics count on from one to the next: 1.1 … on the first, and so on.
    before = 0
    while "g_pilots" not in [i.id for i in drive.visible_items(at, "de")]:
        shown = drive.visible_items(at, "de")
        assert question_numbers(at) == [f"1.{n}" for n in range(before + 1, before + len(shown) + 1)]
        before += len(shown)
        at = drive.click(at, "Weiter")
    shown = drive.visible_items(at, "de")
    assert "g_pilot_decision" not in [i.id for i in shown]  # waits for the answer on pilots
    assert question_numbers(at) == [f"1.{n}" for n in range(before + 1, before + len(shown) + 1)]
    after_pilots = shown[[i.id for i in shown].index("g_pilots") + 1]

    # Pilots: yes. The follow-up opens right after its gate and the questions below move on by one.
    drive.answer(at, "de", questionnaire.items["g_pilots"], "one")
    at.run()
    drive.assert_ok(at)
    opened = [i.id for i in drive.visible_items(at, "de")]
    assert opened.index("g_pilot_decision") == opened.index("g_pilots") + 1
    numbers = dict(zip(opened, question_numbers(at), strict=True))
    assert list(numbers.values()) == [f"1.{n}" for n in range(before + 1, before + len(opened) + 1)]
    gate = int(numbers["g_pilots"].split(".")[1])
    assert (numbers["g_pilot_decision"], numbers[after_pilots.id]) == (f"1.{gate + 1}", f"1.{gate + 2}")

    # The review lists the open follow-up under the number the question page gave it ...
    while any(b.label == "Weiter" for b in at.button):
        at = drive.click(at, "Weiter")
    drive.assert_ok(at)
    decision = questionnaire.items["g_pilot_decision"]
    assert f"{numbers['g_pilot_decision']} {md(decision.text.de)}" in [e.value for e in at.markdown]

    # ... the results and the report name questions by the same numbers (one read-out) ...
    assessment = stored(app_store, at)
    assert {i: build_readout(questionnaire, assessment).numbers[i] for i in numbers} == numbers

    # ... and the answers CSV writes them too; a hidden follow-up gets none.
    def csv_rows():
        records = read_records(answers_csv(questionnaire, assessment, "de"), "de", ANSWER_CSV_COLUMNS)
        return {r["item_id"]: r for r in records}

    rows = csv_rows()
    assert {i: rows[i]["number"] for i in numbers} == numbers
    assessment.answers["g_pilots"] = "none"
    rows = csv_rows()
    assert rows["g_pilot_decision"]["number"] == ""
    assert rows[after_pilots.id]["number"] == numbers["g_pilot_decision"]
