"""The quick check in AppTest: chosen on the start page, a few questions at a time until every
domain is settled, the results naming what it did not ask, then the full check with every answer."""

from __future__ import annotations

from test_app import edit_token, stored
from test_report import pages_of

import app_driver as drive
from ktmsc import quick, wizard
from ktmsc.labels import counted
from ktmsc.model.assessment import MODE_FULL, MODE_QUICK
from ktmsc.report import build_report
from ktmsc.texts import t
from ktmsc.ui.safe import md

LANG = "de"
DOMAINS = ["wirtschaft", "mobilitaet"]


def test_quick_check_over_two_domains__settled__results__then_the_full_check(app_store, questionnaire):
    at = drive.open_app(LANG)
    drive.set_profile(at, LANG, name="Schnellstadt", population=42000, domains=DOMAINS)
    at.radio(key=f"start.{LANG}.mode").set_value(MODE_QUICK)
    at = drive.click(at.run(), t("ui.start.begin", LANG))
    drive.assert_ok(at)
    assert at.header[0].value == t("ui.quick.title", LANG)
    assert stored(app_store, at).profile.mode == MODE_QUICK

    asked: list[str] = []
    for _ in range(40):
        shown = [i.id for i in drive.visible_items(at, LANG)]
        assert 0 < len(shown) <= quick.QUICK_STEP
        asked += shown
        drive.answer_page(at, LANG, drive.best)
        if any(b.label == t("ui.quick.finish", LANG) for b in at.button):
            break
        # While a domain is open, the page says how many questions could still change it.
        assert any("offen" in m.value for m in at.markdown if "**" in m.value)
        at = drive.click(at, t("ui.quick.next", LANG))
        drive.assert_ok(at)
    assert t("ui.quick.all_settled", LANG) in drive.texts(at)
    leuchtturm = questionnaire.types["leuchtturm"].name.get(LANG)
    for domain in DOMAINS:
        line = t("ui.quick.settled", LANG, domain=questionnaire.domain(domain).name.get(LANG), type=leuchtturm)
        assert line in drive.texts(at)

    # The resume link brings the quick check back, at its step.
    again = drive.open_app(LANG, page="questions", a=edit_token(at))
    drive.assert_ok(again)
    assert again.header[0].value == t("ui.quick.title", LANG)

    at = drive.click(at, t("ui.quick.finish", LANG))
    at = drive.go(at, "results")
    drive.assert_ok(at)
    assessment = stored(app_store, at)
    answers = dict(assessment.answers)
    full_count = sum(state.visible for state in wizard.states_for(questionnaire, assessment).values())
    skipped = full_count - len(answers)
    assert 0 < len(set(asked)) == len(answers) < full_count
    note = counted("core.quick.result_settled", skipped, LANG)
    assert f"**{t('core.quick.label', LANG)}:** {md(note)}" in drive.texts(at)
    assert drive.overview_types(at, LANG) == {leuchtturm}  # the full check's type too: every answer best
    skipped_list = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert skipped_list.count("\n- ") + 1 == skipped
    # The PDF says the same, and its appendix marks the questions not asked as such.
    pdf = " ".join(pages_of(build_report(questionnaire, assessment, LANG)))
    assert f"Kurzcheck: {note}" in pdf
    assert pdf.count(t("core.quick.not_asked", LANG)) == skipped

    at = drive.click(at, t("ui.quick.continue_full", LANG))
    at = drive.go(at, "questions")
    drive.assert_ok(at)
    assessment = stored(app_store, at)
    assert assessment.profile.mode == MODE_FULL and assessment.answers == answers
    # On the first step with an open question: it is on screen.
    first_open = next(iter(wizard.unanswered(questionnaire, assessment).values()))[0]
    assert first_open.id in [i.id for i in drive.visible_items(at, LANG)]
    # Every answer given in the quick check shows on the full check's pages.
    for item in drive.visible_items(at, LANG):
        if item.id in answers and item.type == "single":
            assert at.radio(key=f"q.{LANG}.{item.id}.answer").value == answers[item.id]


def test_switching_to_the_full_check_while_the_database_refuses_is_kept_and_saved_later(app_store, questionnaire):
    from test_faults import assessment_id, refusing_writes, sidebar_text

    at = drive.open_app(LANG)
    drive.set_profile(at, LANG, name="Kurz und voll", domains=["mobilitaet"])
    at.radio(key=f"start.{LANG}.mode").set_value(MODE_QUICK)
    at = drive.click(at.run(), t("ui.start.begin", LANG))
    first = drive.visible_items(at, LANG)[0]
    drive.answer(at, LANG, first, drive.best(first))
    at.run()
    with refusing_writes(app_store, assessment_id(app_store, at)):
        at = drive.click(at, t("ui.quick.to_full", LANG))
        drive.assert_ok(at)
        # The full check shows at once, with the answer given; the switch is pending, not lost.
        assert at.header[0].value.startswith(f"1. {questionnaire.domain('general').name.get(LANG)}")
        assert "noch nicht gespeichert" in sidebar_text(at)
        assert stored(app_store, at).profile.mode == MODE_QUICK
    at.run()  # the next run retries and saves it
    drive.assert_ok(at)
    assessment = stored(app_store, at)
    assert assessment.profile.mode == MODE_FULL and assessment.answers == {first.id: drive.best(first)}
