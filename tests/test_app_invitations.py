"""Personal invitations in AppTest, against the app's own test database: the facilitator makes
them and gets the links once, each link opens its participant's questions, the tracking says
who has started, a lost link is replaced, and the participant is told what the facilitator sees."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

import app_driver as drive
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.ui.invitation_views import LINES_KEY, RENEW_KEY

LINES = "Frau Weber, Bauamt; Fachbereich\n<b>Herr</b> *Yılmaz*\tIT\n\nBürgermeisterin; Verwaltungsspitze"


def _sections(workshop_id: str, lang: str) -> None:
    """The facilitator's page, reduced to the two sections: the workshop and its participants as stored now."""
    from ktmsc.instrument import get_questionnaire
    from ktmsc.ui import invitation_views, session

    workshop = session.store().workshop(workshop_id)
    invitation_views.invitations(workshop, lang)
    stored = session.store().workshop_participants(workshop_id)
    invitation_views.tracking(get_questionnaire(), workshop, stored, lang)


def _notice(token: str, lang: str) -> None:
    """The participant's side: their invitation opened with its link, and the notice on it."""
    from ktmsc.ui import invitation_views, session

    cur = session.resume(session.find_for_edit(token), token)
    invitation_views.invited_notice(cur, lang)


def plain(at: drive.AppTest) -> str:
    return re.sub(r"\\(.)", r"\1", drive.texts(at)).replace("\u2060", "")  # as read, without escapes and joiners


def run(script, *args) -> drive.AppTest:
    at = drive.AppTest.from_function(script, args=args, default_timeout=drive.TIMEOUT)
    at.run()
    drive.assert_ok(at)
    return at


@pytest.fixture
def workshop(app_store):
    profile = AssessmentProfile(name="Musterstadt", population=20_000)
    created = app_store.create_workshop(
        title="Digitalstrategie über zwei Wochen",
        profile=profile,
        domains=["mobilitaet"],
        perspective=PERSPECTIVE_ADMIN,
    )
    return created.workshop


def tokens_in(code: str) -> dict[str, str]:
    """Each line of the links' code block: who it is for → the token in its link."""
    found = {}
    for line in code.splitlines():
        who, _, link = line.rpartition(": ")
        found[who] = parse_qs(urlsplit(link).query)["a"][0]
    return found


def make(at: drive.AppTest, lines: str, button: str = "Einladungen erzeugen") -> drive.AppTest:
    at.text_area(key=LINES_KEY).input(lines)
    return drive.click(at, button)


def test_the_facilitator_invites_and_sees_who_has_started(workshop, app_store, questionnaire):
    at = run(_sections, workshop.id, "de")
    assert [e.label for e in at.expander] == ["Persönliche Einladungen"]  # no tracking without invitations
    assert "Vorgeschlagene Rollen: Verwaltungsspitze, Fachbereich, IT, Politik, Zivilgesellschaft" in plain(at)

    at = make(at, "Weber; IT\n; Politik\nweber")
    drive.assert_ok(at)
    assert "Zeile 2: Vor dem Semikolon fehlt, für wen die Einladung ist." in plain(at)
    assert "Zeile 3: „weber“ steht zweimal in der Liste." in plain(at)
    assert app_store.workshop_participants(workshop.id) == []  # nothing made until every line is right

    at = make(at, LINES)
    drive.assert_ok(at)
    assert "3 persönliche Einladungen erzeugt." in plain(at)
    assert "Die Links werden nur jetzt angezeigt" in plain(at)
    (code,) = [c.value for c in at.code]
    tokens = tokens_in(code)
    assert list(tokens) == [
        "Frau Weber, Bauamt (Fachbereich)",
        "<b>Herr</b> *Yılmaz* (IT)",
        "Bürgermeisterin (Verwaltungsspitze)",
    ]
    assert all(f"http://localhost:8501/questions?lang=de&a={t}" in code for t in tokens.values())
    (download,) = at.get("download_button")
    assert download.proto.label == "Links als CSV herunterladen"
    assert not [e for e in at.text_area]  # no second batch while the links are shown

    stored = {s.invited_as: s for s in app_store.workshop_participants(workshop.id)}
    assert {label: s.participant_role for label, s in stored.items()} == {
        "Frau Weber, Bauamt": "Fachbereich",
        "<b>Herr</b> *Yılmaz*": "IT",
        "Bürgermeisterin": "Verwaltungsspitze",
    }
    assert all(s.participant_name is None for s in stored.values())

    # Weber opens her link and answers one question: her questions, in the workshop.
    weber = drive.open_app("de", page="questions", a=tokens["Frau Weber, Bauamt (Fachbereich)"])
    drive.assert_ok(weber)
    assert weber.title[0].value == "Fragen"
    items = drive.visible_items(weber, "de")
    assert items
    drive.answer(weber, "de", items[0], drive.best(items[0]))
    weber.run()
    drive.assert_ok(weber)
    assert app_store.load(stored["Frau Weber, Bauamt"].id).assessment.answers

    # The links are hidden; the tracking shows who has started.
    at = drive.click(at, "Links gesichert – ausblenden")
    drive.assert_ok(at)
    assert not at.code and [e.label for e in at.expander] == ["Persönliche Einladungen", "Einladungen: Stand"]
    assert "2 von 3 noch nicht begonnen, 1 unterwegs, 0 fertig" in plain(at)
    assert "zeigen Sie sie nicht am Beamer" in plain(at)
    table = at.dataframe[0].value
    assert list(table["Für wen"]) == ["Frau Weber, Bauamt", "<b>Herr</b> *Yılmaz*", "Bürgermeisterin"]
    assert list(table["Rolle"]) == ["Fachbereich", "IT", "Verwaltungsspitze"]
    first, *others = table["Stand"]
    assert first.startswith("unterwegs (") and others == ["noch nicht begonnen", "noch nicht begonnen"]

    # The same label again is refused, with the way to a new link.
    at = make(at, "frau weber, bauamt; IT")
    assert "Zeile 1: „frau weber, bauamt“ ist schon eingeladen." in plain(at)
    assert len(app_store.workshop_participants(workshop.id)) == 3


def test_a_lost_link_is_replaced(workshop, app_store):
    at = make(run(_sections, workshop.id, "de"), "Ratsfrau Kaya; Politik")
    (old,) = tokens_in(at.code[0].value).values()
    at = drive.click(at, "Links gesichert – ausblenden")
    kaya = app_store.workshop_participants(workshop.id)[0]
    at.selectbox(key=RENEW_KEY).select(kaya.id).run()
    at = drive.click(at, "Neuen Link erzeugen")
    drive.assert_ok(at)
    assert "Neuer Link für „Ratsfrau Kaya“ – nur jetzt sichtbar:" in plain(at)
    new = parse_qs(urlsplit(at.code[0].value).query)["a"][0]
    assert new != old
    assert app_store.open_for_edit(old) is None and app_store.open_for_edit(new).id == kaya.id
    opened = drive.open_app("de", page="questions", a=old)  # the lost link opens nothing any more
    drive.assert_ok(opened)
    assert "Dieser Link ist ungültig" in plain(opened) and not drive.visible_items(opened, "de")


def test_a_closed_workshop_takes_no_invitations(workshop, app_store):
    app_store.set_workshop_closed(workshop.id, True)
    at = run(_sections, workshop.id, "de")
    assert "Der Workshop ist geschlossen" in plain(at) and not at.text_area


def test_in_english(workshop):
    at = make(run(_sections, workshop.id, "en"), "Ms Weber; IT", "Create invitations")
    drive.assert_ok(at)
    assert "1 personal invitation created." in plain(at)
    at = drive.click(at, "Links saved – hide them")
    assert "1 of 1 not started yet, 0 under way, 0 finished" in plain(at)


def test_the_participant_is_told_what_the_facilitator_sees(workshop, app_store):
    with_role, without = app_store.create_invitations(workshop.id, [("<b>Frau Weber</b>", "IT"), ("Herr Kaya", None)])
    at = run(_notice, with_role.edit_token, "de")
    (notice,) = [e.value for e in at.info]
    text = re.sub(r"\\(.)", r"\1", notice)
    assert "als „<b>Frau Weber</b>“" in text and "zur Rolle „IT“" in text
    assert "ihr gegenüber antworten Sie also nicht anonym" in text
    assert "<b>" not in notice.replace("\\<b\\>", "")  # escaped: shown as typed, never as markup
    at = run(_notice, without.edit_token, "en")
    assert "as “Herr Kaya”" in at.info[0].value and "role" not in at.info[0].value


def test_nobody_else_gets_the_notice(workshop, app_store):
    joined = app_store.create_assessment(
        app_store.load(app_store.create_invitations(workshop.id, [("X", None)])[0].id).assessment,
        kind="participant",
        workshop_id=workshop.id,
    )
    at = run(_notice, joined.edit_token, "de")
    assert not at.info
