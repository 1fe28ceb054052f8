"""The browser's journal of clicked answers: judged against the stored answers, never believed
blindly, and offered to the person after a reconnect (the browser's part: test_browser_faults)."""

from __future__ import annotations

import json

import pytest
from test_app import edit_token, start, stored, valid_file

import app_driver as drive
from ktmsc.model import journal
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE
from ktmsc.ui.journal import scope_for
from ktmsc.ui.safe import md


def entry(item: str, n: int = 1, **kind) -> dict:
    return {"item": item, "n": n, **kind}


def judged(questionnaire, answers, raw, body_kind=None):
    result = journal.judge(questionnaire, answers, raw, body_kind)
    return [e.item_id for e in result.drop], {item_id: value for item_id, (_e, value) in result.check.items()}


# (stored answers, journal entries) → (items dropped, items pointed out with the answer offered)
CASES = {
    "a saved choice is confirmed": (
        {"g_leadership": "priority"},
        [entry("g_leadership", choose="priority")],
        (["g_leadership"], {}),
    ),
    "a lost choice is pointed out": (
        {"g_leadership": "occasional"},
        [entry("g_leadership", choose="priority")],
        ([], {"g_leadership": "priority"}),
    ),
    "a choice on an unanswered question is pointed out": (
        {},
        [entry("g_leadership", choose=DONT_KNOW)],
        ([], {"g_leadership": DONT_KNOW}),
    ),
    "ticks that are stored are confirmed": (
        {"g_cooperation": ["it_provider", "intermunicipal"]},
        [entry("g_cooperation", ticks=[["it_provider", True], ["intermunicipal", True]])],
        (["g_cooperation"], {}),
    ),
    "a lost tick is replayed onto the stored boxes": (
        {"g_cooperation": ["it_provider"]},
        [entry("g_cooperation", ticks=[["it_provider", True], ["intermunicipal", True]])],
        ([], {"g_cooperation": ["it_provider", "intermunicipal"]}),
    ),
    "a tick another tab added stays": (
        {"g_cooperation": ["it_provider", "own_company"]},
        [entry("g_cooperation", ticks=[["intermunicipal", True]])],
        ([], {"g_cooperation": ["it_provider", "intermunicipal", "own_company"]}),
    ),
    "a lost untick of the last box proposes no answer": (
        {"g_cooperation": ["it_provider"]},
        [entry("g_cooperation", ticks=[["it_provider", False]])],
        ([], {"g_cooperation": None}),
    ),
    "an exclusive box clears the others": (
        {"g_cooperation": ["it_provider"]},
        [entry("g_cooperation", ticks=[["none", True]])],
        ([], {"g_cooperation": ["none"]}),
    ),
    "a number question's box": (
        {"g_staff_fte": 2.5},
        [entry("g_staff_fte", ticks=[[DONT_KNOW, True]])],
        ([], {"g_staff_fte": DONT_KNOW}),
    ),
    "a number question's box unticked while a number is stored": (
        {"g_staff_fte": 2.5},
        [entry("g_staff_fte", ticks=[[DONT_KNOW, False]])],
        (["g_staff_fte"], {}),
    ),
    "a lost number": (
        {"g_staff_fte": 2.5},
        [entry("g_staff_fte", number=3.5)],
        ([], {"g_staff_fte": 3.5}),
    ),
    "a stored number, sent as a whole number": (
        {"g_staff_fte": 7.0},
        [entry("g_staff_fte", number=7)],
        (["g_staff_fte"], {}),
    ),
    "a lost clearing of the number field": (
        {"g_staff_fte": 2.5},
        [entry("g_staff_fte", number=None)],
        ([], {"g_staff_fte": None}),
    ),
    "the later click on a question wins": (
        {"g_leadership": "steers"},
        [entry("g_leadership", 7, choose="steers"), entry("g_leadership", 3, choose="priority")],
        (["g_leadership"], {}),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_journalled_answers_are_judged_against_the_stored_ones(questionnaire, case):
    answers, raw, expected = CASES[case]
    assert judged(questionnaire, answers, raw) == expected


# A journal is the browser's: whatever it holds that the question does not show is dropped unseen.
TAMPERED = {
    "unknown question": entry("no_such_item", choose="priority"),
    "option the question lacks": entry("g_leadership", choose="<img src=x onerror=alert(1)>"),
    "a choice on a checkbox group": entry("g_cooperation", choose="it_provider"),
    "ticks on a single choice": entry("g_leadership", ticks=[["priority", True]]),
    "a tick of a box the group lacks": entry("g_cooperation", ticks=[["everything", True]]),
    "not our task where it is not offered": entry("ue_heat_plan", choose=NOT_APPLICABLE),
    "a number as a choice": entry("g_staff_fte", choose="12"),
    "a number on a single choice": entry("g_leadership", number=2),
    "a negative number": entry("g_staff_fte", number=-1),
}


@pytest.mark.parametrize("case", TAMPERED, ids=list(TAMPERED))
def test_a_journal_entry_the_question_does_not_offer_is_dropped(questionnaire, case):
    raw = [TAMPERED[case]]
    # ue_heat_plan offers "not our task" to districts and regions only.
    dropped, check = judged(questionnaire, {"g_cooperation": ["it_provider"]}, raw, "kreisfreie_stadt")
    assert (dropped, check) == ([raw[0]["item"]], {})


def test_not_our_task_is_offered_where_the_body_kind_has_it(questionnaire):
    raw = [entry("ue_heat_plan", choose=NOT_APPLICABLE)]
    assert judged(questionnaire, {}, raw, "landkreis") == ([], {"ue_heat_plan": NOT_APPLICABLE})
    shown = journal.shown_choices(questionnaire.items["ue_heat_plan"], "landkreis")
    assert shown[-2:] == [NOT_APPLICABLE, DONT_KNOW]
    assert journal.shown_choices(questionnaire.items["ue_heat_plan"], "kreisfreie_stadt")[-1:] == [DONT_KNOW]
    assert journal.shown_choices(questionnaire.items["g_staff_fte"], None) == [DONT_KNOW]


MALFORMED = [
    None,
    "g_leadership",
    [["g_leadership", "priority"]],
    [{"item": "g_leadership", "choose": "priority"}],  # no counter
    [{"item": "g_leadership", "n": True, "choose": "priority"}],
    [{"item": "g_leadership", "n": -1, "choose": "priority"}],
    [{"item": "g_leadership", "n": 2**60, "choose": "priority"}],
    [{"item": 5, "n": 1, "choose": "priority"}],
    [{"item": "g_leadership", "n": 1, "choose": "priority", "ticks": [["priority", True]]}],
    [{"item": "g_cooperation", "n": 1, "ticks": [["it_provider", "yes"]]}],
    [{"item": "g_cooperation", "n": 1, "ticks": []}],
    [{"item": "g_staff_fte", "n": 1, "number": True}],
    [{"item": "g_staff_fte", "n": 1, "number": 10**12}],  # beyond the largest answer
    [{"item": "g_staff_fte", "n": 1, "number": "2,5"}],
    [{"item": "g_staff_fte", "n": 1, "number": float("nan")}],
    [{"item": "g_staff_fte", "n": 1, "number": 2, "choose": "dont_know"}],
    [{"item": "g_cooperation", "n": 1, "ticks": [["it_provider", True]] * (journal.MAX_TICKS + 1)}],
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_a_malformed_journal_is_neither_shown_nor_written(questionnaire, raw):
    assert judged(questionnaire, {}, raw) == ([], {})


def test_a_journal_longer_than_any_questionnaire_is_cut(questionnaire):
    raw = [entry("g_leadership", n, choose="priority") for n in range(1, journal.MAX_ENTRIES + 10)]
    assert len(journal.entries(raw)) == 1
    assert journal.entries(raw)[0].seq == journal.MAX_ENTRIES


# --- in the app (AppTest): the report of a new session, pointed out and decided -----------------


def journal_data(at) -> dict | None:
    """What this run told the browser's journal (ktmsc/ui/journal.py); None when not drawn."""
    drawn = [e for e in at.get("bidi_component") if e.key == "journal.browser"]
    return json.loads(drawn[0].proto.json) if drawn else None


def test_the_browser_learns_which_box_stands_for_which_option_and_nothing_for_a_shared_link(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Zuordnung")
    data = journal_data(at)
    assert data["scope"] == scope_for(app_store.open_for_edit(edit_token(at)).id)
    strategy = questionnaire.items["g_strategy"]  # on the first step
    # In the order the radio draws them: the item's options, then "don't know".
    assert data["items"]["st-key-item-g_strategy"] == [
        "g_strategy",
        [o.id for o in strategy.options] + [DONT_KNOW],
    ]
    assert at.radio(key="q.de.g_strategy.answer").options == [o.label.get("de") for o in strategy.options] + [
        "Weiß nicht"
    ]
    assert data["items"]["st-key-item-g_staff_fte"] == ["g_staff_fte", [DONT_KNOW]]
    assert not any(isinstance(v, str) and edit_token(at) in v for v in json.dumps(data).split('"'))

    shared = drive.open_app("de", "questions", s=app_store.open_for_edit(edit_token(at)).share_token)
    assert journal_data(shared) == {"epoch": shared.session_state["journal.epoch"], "scope": None}


def reconnect(app_store, at, raw, scope=None, page="questions", lang="de"):
    """A new session of the same browser on ``page``, whose journal reports ``raw`` (for
    ``scope``, by default the assessment's)."""
    token = edit_token(at)
    again = drive.AppTest.from_file(str(drive.ROOT / "app.py"), default_timeout=drive.TIMEOUT)
    again.query_params["lang"] = lang
    again.query_params["a"] = token
    if page is not None:
        again.switch_page(f"{drive.PAGES}/{page}.py")
    scope = scope or scope_for(app_store.open_for_edit(token).id)
    again.session_state["journal.report"] = {"scope": scope, "entries": raw}
    return again.run()


def test_a_lost_answer_is_pointed_out_and_saved_only_on_request(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Neu verbunden")
    drive.answer(at, "de", questionnaire.items["g_strategy"], "adopted")
    at.run()
    drive.answer(at, "de", questionnaire.items["g_cdo"], "on_the_side")
    at.run()
    raw = [entry("g_strategy", 1, choose="adopted"), entry("g_cdo", 2, choose="mandated")]

    at = reconnect(app_store, at, raw)
    drive.assert_ok(at)
    shown = drive.texts(at)
    assert "weicht bei 1 Frage die gespeicherte Antwort" in shown
    mandated = questionnaire.items["g_cdo"].option("mandated").label.get("de")
    assert f"In diesem Browser lautete sie „{mandated}“, gespeichert ist aber „" in shown
    assert at.radio(key="q.de.g_cdo.answer").value == "on_the_side"
    assert stored(app_store, at).answers["g_cdo"] == "on_the_side"  # nothing written yet
    assert [b.key for b in at.button if b.key and b.key.startswith("journal.apply.")] == ["journal.apply.g_cdo"]

    at.button(key="journal.apply.g_cdo").click()
    at.run()
    drive.assert_ok(at)
    assert stored(app_store, at).answers == {"g_strategy": "adopted", "g_cdo": "mandated"}
    assert at.radio(key="q.de.g_cdo.answer").value == "mandated"
    assert "Bitte prüfen Sie" not in drive.texts(at)
    # The browser is told to forget both: one was stored all along, the other is now.
    assert sorted(journal_data(at)["drop"]) == [["g_cdo", 2], ["g_strategy", 1]]


def test_keeping_the_saved_answer_forgets_the_journalled_one(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Behalten")
    drive.answer(at, "de", questionnaire.items["g_cdo"], "on_the_side")
    at.run()
    at = reconnect(app_store, at, [entry("g_cdo", 4, choose="cdo_budget_team")])
    at.button(key="journal.keep.g_cdo").click()
    at.run()
    drive.assert_ok(at)
    assert stored(app_store, at).answers == {"g_cdo": "on_the_side"}
    assert "Bitte prüfen Sie" not in drive.texts(at)
    assert journal_data(at)["drop"] == [["g_cdo", 4]]


def test_a_report_for_another_assessment_or_a_tampered_one_changes_nothing(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Fremd")
    drive.answer(at, "de", questionnaire.items["g_cdo"], "on_the_side")
    at.run()
    tampered = [entry("g_cdo", 1, choose="<b>x</b>"), entry("g_cooperation", 2, choose="x")]
    for raw, scope in ((tampered, None), ([entry("g_cdo", 3, choose="cdo_budget_team")], scope_for("another"))):
        again = reconnect(app_store, at, raw, scope)
        drive.assert_ok(again)
        assert "Bitte prüfen Sie" not in drive.texts(again)
        assert again.session_state["journal.drop"] if scope is None else "journal.drop" not in again.session_state
    assert stored(app_store, at).answers == {"g_cdo": "on_the_side"}


def test_the_notice_on_another_page_leads_to_the_question(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Anderswo")
    at = reconnect(app_store, at, [entry("mo_responsible_unit", 5, choose="named_person")], page=None)
    drive.assert_ok(at)
    assert at.title[0].value != "Fragen"
    assert "weicht bei 1 Frage die gespeicherte Antwort" in drive.texts(at)
    at = drive.click(at, "Zur Frage")
    drive.assert_ok(at)
    assert at.title[0].value == "Fragen"
    assert app_store.open_for_edit(edit_token(at)).step == "mobilitaet"
    assert at.button(key="journal.apply.mo_responsible_unit") is not None
    assert at.radio(key="q.de.mo_responsible_unit.answer").value is None
    named = questionnaire.items["mo_responsible_unit"].option("named_person").label.get("de")
    assert f"lautete sie „{named}“, gespeichert ist aber noch keine Antwort" in drive.texts(at)


def test_a_question_pointed_out_in_one_assessment_is_not_in_another_opened_in_the_same_tab(app_store, questionnaire):
    other = start("de", ["mobilitaet"], name="Die andere")
    at = start("de", ["mobilitaet"], name="Die eine")
    at = reconnect(app_store, at, [entry("g_cdo", 1, choose="cdo_budget_team")])
    assert at.button(key="journal.apply.g_cdo") is not None
    at.query_params["a"] = edit_token(other)
    at.run()
    drive.assert_ok(at)
    assert at.sidebar.text[0].value == "Die andere"
    assert "Bitte prüfen Sie" not in drive.texts(at)
    assert not [b for b in at.button if b.key == "journal.apply.g_cdo"]


def test_answering_a_question_pointed_out_settles_it_and_a_note_does_not(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Selbst beantwortet")
    at = reconnect(
        app_store, at, [entry("g_cdo", 1, choose="cdo_budget_team"), entry("g_strategy", 2, choose="adopted")]
    )
    assert "weicht bei 2 Fragen" in drive.texts(at)
    at.toggle(key="questions.notes.verwaltung").set_value(True).run()
    at.text_area(key="q.de.g_strategy.note").input("Beschluss vom 3. Mai").run()
    assert at.button(key="journal.apply.g_strategy") is not None  # a note is not an answer
    drive.answer(at, "de", questionnaire.items["g_cdo"], "on_the_side")
    at.run()
    drive.assert_ok(at)
    assert stored(app_store, at).answers == {"g_cdo": "on_the_side"}
    assert not [b for b in at.button if b.key == "journal.apply.g_cdo"]
    assert "weicht bei 1 Frage die" in drive.texts(at)
    assert [b.key for b in at.button if b.key and b.key.startswith("journal.apply.")] == ["journal.apply.g_strategy"]


def test_the_last_box_unticked_is_offered_as_no_answer(app_store, questionnaire):
    at = start("en", ["mobilitaet"], name="Unticked")
    drive.answer(at, "en", questionnaire.items["g_cooperation"], ["it_provider"])
    at.run()
    at = reconnect(app_store, at, [entry("g_cooperation", 3, ticks=[["it_provider", False]])], lang="en")
    provider = questionnaire.items["g_cooperation"].option("it_provider").label.get("en")
    assert f"you last unticked every box, but “{md(provider)}” is saved" in drive.texts(at)  # as Markdown
    at.button(key="journal.apply.g_cooperation").click()
    at.run()
    drive.assert_ok(at)
    assert "g_cooperation" not in stored(app_store, at).answers


def test_an_import_over_the_assessment_makes_the_browser_forget_its_journal(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Vor dem Import")
    drive.answer(at, "de", questionnaire.items["g_cdo"], "on_the_side")
    at.run()
    at = reconnect(app_store, at, [entry("g_cdo", 1, choose="cdo_budget_team")], page=None)
    assert "weicht bei 1 Frage" in drive.texts(at)
    assert journal_data(at)["forget"] is None
    at = drive.go(at, "data")
    at.file_uploader[0].set_value(("bewertung.json", valid_file(questionnaire), "application/json")).run()
    at = drive.click(at, "Übernehmen")
    drive.assert_ok(at)
    assert stored(app_store, at).profile.name == "Importstadt"
    assert "Bitte prüfen Sie" not in drive.texts(at)
    assert journal_data(at)["forget"]  # the browser clears the assessment's entries
