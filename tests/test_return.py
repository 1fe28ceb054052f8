"""Coming back in AppTest: the resume link offered from the first answer on, the reminder in
the sidebar, the e-mail to oneself, and the way back at the top of the start page.

What only a browser shows (the cookie in the browser, the page's ``lang`` attribute,
``/start``) is in ``tests/test_browser_return.py``; here, what the app tells the browser
component to keep (``device_data``).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

import app_driver as drive
from ktmsc.model.schema import DONT_KNOW
from ktmsc.texts import t
from ktmsc.ui import links


def start(lang: str, name: str = "Musterstadt") -> drive.AppTest:
    at = drive.open_app(lang)
    drive.set_profile(at, lang, name=name, domains=["wirtschaft"])
    at = drive.click(at, t("ui.start.begin", lang))
    drive.assert_ok(at)
    return drive.go(at, "questions")


def edit_token(at) -> str:
    return at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]


def resume_url(lang: str, token: str) -> str:
    return f"{links.base_url()}/questions?lang={lang}&a={token}"


def mail(button) -> tuple[str, str]:
    """Subject and body of a ``mailto:`` link button."""
    url = button.proto.url
    assert url.startswith("mailto:?"), url
    fields = parse_qs(urlsplit(url).query)
    return fields["subject"][0], fields["body"][0]


def offer(at):
    return [c for c in at.main if getattr(c, "key", None) == "resume.offer"]


def answer_first_question(at, lang: str) -> None:
    item = drive.visible_items(at, lang)[0]
    drive.answer(at, lang, item, DONT_KNOW)
    at.run()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_sidebar_keeps_the_resume_link_to_copy_and_to_mail_oneself(lang):
    at = start(lang)
    token = edit_token(at)
    reminder = [e for e in at.sidebar.expander if e.label == t("ui.resume.sidebar", lang)]
    assert reminder, [e.label for e in at.sidebar.expander]
    assert [c.value for c in reminder[0].code] == [resume_url(lang, token)]
    subject, body = mail(at.get("link_button")[-1])
    assert "Musterstadt" in subject
    assert resume_url(lang, token) in body
    assert t("ui.resume.mail_subject", lang, name="Musterstadt") == subject


def test_the_questions_page_offers_the_link_from_the_first_saved_answer_until_put_away():
    at = start("de")
    assert not offer(at), "offered before anything was answered"
    answer_first_question(at, "de")
    drive.assert_ok(at)
    assert offer(at), "no resume offer after the first answer"
    assert resume_url("de", edit_token(at)) in [c.value for c in offer(at)[0].code]
    at = drive.click(at, t("ui.resume.dismiss", "de"))
    assert not offer(at)
    assert [e for e in at.sidebar.expander if e.label == t("ui.resume.sidebar", "de")], "the reminder stays"
    at = drive.click(at, t("ui.questions.next", "de"))
    assert not offer(at), "put away means put away for the session"


def test_a_shared_link_offers_no_resume_link(app_store, questionnaire):
    at = start("de")
    shared = app_store.open_for_edit(edit_token(at)).share_token
    viewer = drive.open_app("de", page="questions", s=shared)
    drive.assert_ok(viewer)
    assert not offer(viewer)
    assert not [e for e in viewer.sidebar.expander if e.label == t("ui.resume.sidebar", "de")]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_start_page_opens_with_the_way_back(lang):
    at = drive.open_app(lang)
    drive.assert_ok(at)
    labels = [e.label for e in at.expander]
    assert labels[0] == t("ui.start.resume_title", lang), labels
    assert labels.index(t("ui.start.resume_title", lang)) < labels.index(t("ui.start.what_is_it", lang))
    assert "kopiert" not in t("ui.start.resume_help", "de")


def test_continuing_with_a_pasted_link_from_the_top_of_the_start_page():
    first = start("de", name="Altstadt")
    token = edit_token(first)
    at = drive.open_app("de")
    at.text_input(key="start.resume").set_value(resume_url("de", token)).run()
    at = drive.click(at, t("ui.start.resume_open", "de"))
    drive.assert_ok(at)
    assert edit_token(at) == token


def test_without_a_domain_the_start_page_says_why_it_cannot_begin():
    at = drive.open_app("de")
    assert drive.button(at, t("ui.start.begin", "de")).disabled
    assert t("ui.start.need_domain", "de") in drive.texts(at)
    at.checkbox(key="start.de.domains.wirtschaft").check().run()
    assert not drive.button(at, t("ui.start.begin", "de")).disabled
    assert t("ui.start.need_domain", "de") not in drive.texts(at)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_mail_to_oneself_carries_the_link_in_the_chosen_language(lang):
    class Cur:
        share_token = "s" * 32
        edit_token = "e" * 32
        read_only = False

    url = links.mail_to_self(lang, Cur(), "Neustadt & Co")
    assert url.startswith("mailto:?subject=")
    fields = parse_qs(urlsplit(url).query)
    assert fields["subject"] == [t("ui.resume.mail_subject", lang, name="Neustadt & Co")]
    body = fields["body"][0]
    assert links.resume_link(lang, Cur()) in body
    expected = t("ui.resume.mail_body", lang, name="Neustadt & Co", link=links.resume_link(lang, Cur()))
    assert body == expected.replace("\n", "\r\n"), "line breaks in a mailto body are CRLF (RFC 6068)"


def test_the_docs_name_the_cookie_and_how_long_it_lasts():
    from ktmsc.ui.device import COOKIE, REMEMBER_DAYS

    root = drive.ROOT
    for doc in ("docs/DATA.md", "docs/SECURITY.md"):
        text = (root / doc).read_text(encoding="utf-8")
        assert f"`{COOKIE}`" in text, doc
        assert f"{REMEMBER_DAYS} days" in text, doc
    assert f"{REMEMBER_DAYS} days" in (root / "README.md").read_text(encoding="utf-8")
    from ktmsc.ui.device import PARTICIPANT_COOKIE, PARTICIPANT_HOURS

    for doc in ("docs/DATA.md", "docs/SECURITY.md", "README.md", "CHANGELOG.md"):
        text = (root / doc).read_text(encoding="utf-8")
        assert f"{PARTICIPANT_HOURS} hours" in text, doc
    for doc in ("docs/DATA.md", "docs/SECURITY.md"):
        assert f"`{PARTICIPANT_COOKIE}`" in (root / doc).read_text(encoding="utf-8"), doc


def device_data(at) -> dict | None:
    """What this run told the browser component (ktmsc/ui/device.py); None when not drawn."""
    drawn = [e for e in at.get("bidi_component") if e.key == "device.effects"]
    return json.loads(drawn[0].proto.json) if drawn else None


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_page_language_goes_to_the_browser_on_the_first_run(lang):
    at = drive.open_app(lang)
    assert device_data(at) == {"lang": lang, "cookie": None, "participant": None}, "nothing to remember yet"


def test_forgetting_on_my_data_clears_the_cookie_and_leaves_the_assessment(app_store):
    from ktmsc.ui.device import COOKIE, REMEMBER_DAYS

    at = drive.open_app("de")
    drive.set_profile(at, "de", name="Vergessstadt", domains=["wirtschaft"])
    at = drive.click(at, t("ui.start.begin", "de"))
    token = edit_token(at)
    assert device_data(at)["cookie"] == {
        "name": COOKIE,
        "value": token,
        "max_age": REMEMBER_DAYS * 86400,
        "path": "/",
    }
    at = drive.go(at, "data")
    assert t("ui.resume.device", "de") in [h.value for h in at.header]
    at = drive.click(at, t("ui.resume.forget", "de"))
    drive.assert_ok(at)
    assert device_data(at)["cookie"] == {"name": COOKIE, "value": "", "max_age": 0, "path": "/"}
    assert t("ui.resume.forgotten", "de") in drive.texts(at)
    assert "a" not in at.query_params, "the tab left the assessment too"
    assert app_store.open_for_edit(token) is not None, "forgetting deletes nothing"
    at = drive.go(at, "data")
    assert t("ui.resume.device", "de") not in [h.value for h in at.header]


def test_a_workshop_participant_is_not_remembered_as_an_assessment_on_the_device(app_store):
    """Devices are passed around in a workshop: the resume cookie keeps nothing of a participant
    (only the workshop's own join page knows the short-lived participant cookie, test_workshop_app)."""
    from test_workshop_app import create_workshop, join

    _, _, code = create_workshop("Klausur Gedächtnis")
    at = join(code, "P1")
    at = drive.go(at, "data")
    drive.assert_ok(at)
    assert t("ui.resume.device", "de") not in [h.value for h in at.header]
    assert [e for e in at.sidebar.expander if e.label == t("ui.resume.sidebar", "de")], "the link is still offered"
