"""Coming back, in Chromium: the resume link offered after the first answer, a browser that
remembers its assessment (and forgets it on request), ``/start``, and the page's ``lang``.

A closed and reopened browser is a fresh browser context that holds only the cookies the
first one kept (Playwright's storage state): the app's memory of an assessment is that one
cookie, so nothing else may be needed to be offered to continue.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from test_browser import (
    AUDIT,
    BACKGROUNDS,
    KNOWN,
    LANG_TOGGLE,
    answer,
    describe,
    open_page,
    seed,
    shown,
    start_assessment,
    token_of,
    wait_for_title,
)

import browser
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.limits import MAX_FILE_BYTES
from ktmsc.model.schema import DONT_KNOW
from ktmsc.texts import t
from ktmsc.ui.device import COOKIE, PARTICIPANT_COOKIE, PARTICIPANT_HOURS, REMEMBER_DAYS

pytestmark = pytest.mark.browser

OFFER = browser.key_selector("resume.offer")
REMEMBERED = browser.key_selector("start.remembered")


def remembered_cookie(context, name: str = COOKIE) -> dict | None:
    found = [c for c in context.cookies() if c["name"] == name]
    return found[0] if found else None


def wait_for_cookie(context, value: str | None, timeout_s: float = 10, name: str = COOKIE) -> dict | None:
    """The app's cookie once it holds ``value`` (None: once it is gone)."""
    deadline = time.monotonic() + timeout_s
    while True:
        cookie = remembered_cookie(context, name)
        if (cookie["value"] if cookie else None) == value or time.monotonic() > deadline:
            assert (cookie["value"] if cookie else None) == value, cookie
            return cookie
        time.sleep(0.1)


def reopened(new_context, context):
    """The browser closed and opened again: a new context with the cookies the old one kept."""
    return new_context(storage_state={"cookies": context.storage_state()["cookies"], "origins": []}).new_page()


def test_the_resume_link_is_offered_as_soon_as_the_first_answer_is_saved(page, app_server, questionnaire):
    token = start_assessment(page, app_server, "de", "Merkstadt", ["wirtschaft"])
    assert page.locator(OFFER).count() == 0, "offered before anything was answered"
    sidebar = page.locator(browser.SIDEBAR)
    assert sidebar.get_by_text(t("ui.resume.sidebar", "de")).is_visible(), "no reminder in the sidebar"

    first = questionnaire.items[browser.item_ids(page)[0]]
    answer(page, "de", first, DONT_KNOW)
    offer = page.locator(OFFER)
    offer.wait_for()
    browser.wait_for_run(page)
    link = offer.locator(browser.CODE).inner_text()
    assert link == f"{app_server.url}/questions?lang=de&a={token}"
    mail = offer.get_by_role("link", name=t("ui.resume.mail", "de")).get_attribute("href")
    assert mail.startswith("mailto:?")
    assert link in unquote(parse_qs(urlsplit(mail).query, keep_blank_values=True)["body"][0])


def test_a_reopened_browser_is_offered_to_continue_and_forgetting_ends_the_offer(
    new_context, app_server, questionnaire
):
    context = new_context()
    page = context.new_page()
    token = start_assessment(page, app_server, "de", "Wiederkehr", ["wirtschaft"])
    first = questionnaire.items[browser.item_ids(page)[0]]
    answer(page, "de", first, DONT_KNOW)

    cookie = wait_for_cookie(context, token)
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert cookie["secure"] is False  # served over http here; over https it is Secure
    days_left = (cookie["expires"] - time.time()) / 86400
    assert REMEMBER_DAYS - 1 < days_left <= REMEMBER_DAYS, days_left

    again = reopened(new_context, context)
    open_page(again, app_server)
    offer = again.locator(REMEMBERED)
    offer.wait_for()
    assert "Wiederkehr" in offer.inner_text()
    assert again.locator(browser.MAIN).get_by_text("ungültig").count() == 0
    browser.rerun(again, offer.get_by_role("button", name=t("ui.resume.remembered_continue", "de")).click)
    wait_for_title(again, t("ui.questions.title", "de"))
    assert token_of(again) == token
    assert shown(again, "de", first) == DONT_KNOW, "the answer given before is not shown"

    # On a shared computer: forget it here. The next opening offers nothing.
    third = reopened(new_context, context)
    open_page(third, app_server)
    forget = third.locator(REMEMBERED).get_by_role("button", name=t("ui.resume.forget", "de"))
    browser.rerun(third, forget.click)
    assert third.locator(REMEMBERED).count() == 0
    assert third.get_by_text(t("ui.resume.forgotten", "de")).is_visible()
    wait_for_cookie(third.context, None)
    fourth = reopened(new_context, third.context)
    open_page(fourth, app_server)
    assert fourth.locator(REMEMBERED).count() == 0
    assert fourth.get_by_role("button", name=t("ui.start.begin", "de")).is_visible()
    # What the browser keeps (docs/DATA.md): this one cookie and Streamlit's XSRF cookie.
    assert {c["name"] for c in context.cookies()} <= {COOKIE, "_streamlit_xsrf"}, context.cookies()


def test_a_participant_who_lost_the_tab_rejoins_as_the_same_participant(new_context, app_server, server_store):
    created = server_store.create_workshop(
        title="Wiederkommen im Browser", profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung"
    )
    context = new_context()
    page = context.new_page()
    open_page(page, app_server, "join", lang="de", w=created.join_token)
    assert page.get_by_text(t("ui.join.device_note", "de", hours=PARTICIPANT_HOURS)).is_visible()
    field = browser.text_field(page, "join.name")
    field.fill("Anna")
    browser.rerun(page, lambda: field.press("Enter"))
    browser.rerun(page, page.get_by_role("button", name=t("ui.join.start", "de"), exact=True).click)
    wait_for_title(page, t("ui.questions.title", "de"))
    token = token_of(page)

    cookie = wait_for_cookie(context, token, name=PARTICIPANT_COOKIE)
    assert (cookie["sameSite"], cookie["path"]) == ("Strict", "/")
    hours_left = (cookie["expires"] - time.time()) / 3600
    assert PARTICIPANT_HOURS - 1 < hours_left <= PARTICIPANT_HOURS, hours_left
    assert remembered_cookie(context) is None, "a participant is not remembered as an assessment"

    again = reopened(new_context, context)
    open_page(again, app_server, "join", lang="de", w=created.join_token)
    resume = again.get_by_role("button", name=t("ui.join.resume", "de", name="Anna"))
    resume.wait_for()
    assert again.get_by_role("button", name=t("ui.join.not_me", "de")).is_visible()
    browser.rerun(again, resume.click)
    wait_for_title(again, t("ui.questions.title", "de"))
    assert token_of(again) == token
    assert len(server_store.workshop_participants(created.workshop.id)) == 1


def test_the_file_field_speaks_the_chosen_language(page, app_server):
    """Streamlit writes the uploader's limits in English; the app hides them and says it itself."""
    for lang in ("de", "en"):
        open_page(page, app_server, "data", lang=lang)
        field = browser.widget(page, "data.upload")
        assert not field.locator("[data-testid='stFileUploaderDropzoneInstructions']").is_visible()
        assert "per file" not in field.inner_text()
        caption = t("ui.data.upload_help", lang, megabytes=MAX_FILE_BYTES // 1_000_000)
        assert page.locator(browser.MAIN).get_by_text(caption).is_visible()


def test_start_in_the_address_lands_on_the_start_page(page, app_server):
    page.goto(f"{app_server.url}/start?lang=en")
    browser.wait_for_run(page)
    wait_for_title(page, t("ui.start.title", "en"))
    assert urlsplit(page.url).path == "/"
    assert parse_qs(urlsplit(page.url).query)["lang"] == ["en"]
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("dialog").count() == 0
    page.goto(f"{app_server.url}/no-such-page")
    browser.wait_for_run(page)
    wait_for_title(page, t("ui.start.title", "de"))
    assert page.get_by_text("Page not found").count() == 0


def test_the_page_declares_the_chosen_language(page, app_server):
    def declared() -> str:
        return page.evaluate("document.documentElement.lang")

    open_page(page, app_server, lang="de")
    page.wait_for_function("document.documentElement.lang === 'de'")
    browser.rerun(page, browser.radio_option(page, LANG_TOGGLE, 1).click)
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert declared() == "en"
    open_page(page, app_server, "method", lang="en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    browser.rerun(page, browser.radio_option(page, LANG_TOGGLE, 0).click)
    page.wait_for_function("document.documentElement.lang === 'de'")
    assert declared() == "de"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_offer_to_continue_passes_the_accessibility_audit(
    scheme, new_context, app_server, server_store, questionnaire, axe_source
):
    context = new_context()
    token = seed(server_store, questionnaire, name="Barrierefrei zurück")
    context.add_cookies([{"name": COOKIE, "value": token, "url": app_server.url, "sameSite": "Strict"}])
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    open_page(page, app_server, lang="de")
    page.locator(REMEMBERED).wait_for()
    assert page.locator(browser.APP).evaluate("e => getComputedStyle(e).backgroundColor") == BACKGROUNDS[scheme]
    page.evaluate(axe_source)
    nodes = page.evaluate(AUDIT, [[(k.rule, k.selector) for k in KNOWN if scheme in k.schemes]])
    unexpected = [n for n in nodes if n["known"] < 0]
    assert not unexpected, f"serious or critical accessibility violations:\n{describe(unexpected)}"
