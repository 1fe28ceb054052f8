"""Workshop mode in AppTest: a facilitator, three participants, the dashboard, access rules."""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta

import pyarrow as pa
import pytest

import app_driver as drive
from ktmsc.labels import TIMEZONE, fmt_datetime, fmt_join_code
from ktmsc.model.answers import weakest_answer
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.model.schema import DONT_KNOW
from ktmsc.scoring import extreme_answers
from ktmsc.storage.tokens import JOIN_CODE_LENGTH
from ktmsc.texts import t
from ktmsc.ui.safe import md
from ktmsc.workshop import AGENDA_LENGTH, Participant, aggregate

DOMAINS = ["mobilitaet"]
LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"


def chart_data(element) -> dict[str, list[dict]]:
    """The named datasets of a chart element, decoded from the Arrow bytes Streamlit sends."""
    out = {}
    for dataset in element.proto.datasets:
        table = pa.ipc.open_stream(io.BytesIO(dataset.data.data)).read_all()
        out[dataset.name] = table.to_pylist()
    return out


def create_workshop(title: str = "Klausur März") -> tuple[drive.AppTest, str, str]:
    at = drive.open_app("de", page="workshop")
    drive.assert_ok(at)
    at.text_input[0].input(title)
    at.text_input[1].input("Musterstadt")
    at.multiselect[0].select("mobilitaet")
    drive.click(at, "Workshop anlegen")
    drive.assert_ok(at)
    key = facilitator_key(at)
    code = next(h.value for h in at.subheader if len(h.value.replace(" ", "")) == JOIN_CODE_LENGTH).replace(" ", "")
    return at, key, code


def facilitator_key(at: drive.AppTest) -> str:
    key = at.query_params["f"]
    return key[0] if isinstance(key, list) else key


def reveal(dashboard: drive.AppTest, to_participants: bool = False) -> drive.AppTest:
    """The facilitator shows the group result (hidden until then)."""
    if to_participants:
        dashboard.checkbox(key="workshop.reveal_to_participants").check().run()
    dashboard = drive.click(dashboard, "Gruppenergebnis zeigen")
    drive.assert_ok(dashboard)
    return dashboard


def join(code: str, name: str, role: str = "") -> drive.AppTest:
    at = drive.open_app("de", page="join")
    at.text_input(key="join.code").input(code.lower()[:3] + " " + code.lower()[3:]).run()
    at = drive.click(at, "Workshop suchen")
    drive.assert_ok(at)
    at.text_input(key="join.name").input(name)
    at.text_input(key="join.role").input(role)
    at = drive.click(at, "Teilnehmen")
    drive.assert_ok(at)
    assert at.title[0].value == "Fragen", drive.texts(at)
    # AppTest keeps running the page it was opened on; follow the app's switch.
    return drive.go(at, "questions")


def test_three_participants_answer_differently_and_the_dashboard_shows_it(app_store, questionnaire):
    facilitator, _, code = create_workshop()
    assert "Noch niemand ist beigetreten" in drive.texts(facilitator)

    strategy = {"Anna": "none", "Ben": "resourced_monitored", "<b>Cem</b>": "none"}
    participants = {}
    for name, answer in strategy.items():
        at = join(code, name, role="Bauamt")

        def choose(item, answer=answer):
            return answer if item.id == "g_strategy" else drive.best(item)

        at, _ = drive.answer_section(at, "de", choose)  # the cross-cutting topics
        drive.answer_page(at, "de", choose)  # and the domain's own questions: only then a point there
        participants[name] = at

    dashboard = reveal(facilitator.run())
    progress = dashboard.dataframe[0].value
    assert len(progress) == 3
    assert list(progress["Teilnehmer:in"]) == list(strategy)  # names shown as given, as text

    charts = dashboard.get("vega_lite_chart")
    assert len(charts) == 1  # one domain: its chart only, no overview
    domain_chart = chart_data(charts[0])
    assert len(domain_chart["people"]) == 3
    assert [row["label"] for row in domain_chart["medians"]] == ["Median"]

    agenda = [c for c in dashboard.markdown if c.value.startswith("**1. ")]
    assert agenda, drive.texts(dashboard)
    assert md(questionnaire.items["g_strategy"].text.de) in agenda[0].value
    assert "Uneinigkeit: **94** / 100" in agenda[0].value  # 0, 1, 0: the standard deviation 0.47 of 0.5

    # Closing stops further answers; reopening allows them again.
    dashboard = drive.click(dashboard, "Schließen")
    assert "Der Workshop ist geschlossen" in drive.texts(dashboard)
    ben = participants["Ben"].run()
    assert "Der Workshop ist geschlossen" in drive.texts(ben)
    assert [r for r in ben.radio if r.key and r.key.startswith("q.de.")] and all(
        r.disabled for r in ben.radio if r.key and r.key.startswith("q.de.")
    )
    token = ben.query_params["a"]
    token = token[0] if isinstance(token, list) else token
    stored = app_store.open_for_edit(token)
    assert stored.assessment.answers["g_strategy"] == "resourced_monitored"

    late = drive.open_app("de", page="join")
    late.text_input(key="join.code").input(code).run()
    late = drive.click(late, "Workshop suchen")
    assert "geschlossen" in drive.texts(late)
    assert not [b for b in late.button if b.label == "Teilnehmen"]

    dashboard = drive.click(dashboard, "Wieder öffnen")
    assert "Der Workshop ist offen" in drive.texts(dashboard)


def test_the_group_is_hidden_until_revealed_on_the_dashboard_and_on_every_phone(app_store):
    """Nobody sees anything of the group until the facilitator shows it; then each phone shows
    the group's point per domain, never another participant's name."""
    facilitator, _, code = create_workshop()
    participants = {}
    for name in ("Anna", "Ben", "<b>Cem</b>"):
        at, _ = drive.answer_section(join(code, name, role="Bauamt"), "de", drive.best)
        drive.answer_page(at, "de", drive.best)
        participants[name] = at
    dashboard = facilitator.run()
    drive.assert_ok(dashboard)
    finished = dashboard.metric[1].value  # the "Fertig" count beside it
    assert [e.value for e in dashboard.info] == [f"Das Gruppenergebnis ist noch verborgen – {finished} von 3 fertig."]
    assert not dashboard.get("vega_lite_chart") and not [c for c in dashboard.markdown if c.value.startswith("**1. ")]
    anna = drive.go(participants["Anna"], "results")
    assert "Das Ergebnis der Gruppe zeigt die Moderation" in drive.texts(anna)
    assert "Die Gruppe:" not in drive.texts(anna)
    dashboard = reveal(dashboard, to_participants=True)
    assert "auch auf den Geräten der Teilnehmenden (seit" in drive.texts(dashboard)
    anna = anna.run()
    shown = drive.texts(anna)
    assert "Die Gruppe: Klausur März" in shown and "Der Median von 3 Teilnehmenden" in shown
    assert "Mobilität" in shown and "Gruppe ist sich" in shown, shown
    assert "Ben" not in shown and "Cem" not in shown  # never anyone else's name
    dashboard = drive.click(dashboard, "Wieder verbergen")
    assert next(e.value for e in dashboard.info).startswith("Das Gruppenergebnis ist noch verborgen")
    assert "Das Ergebnis der Gruppe zeigt die Moderation" in drive.texts(anna.run())


def test_group_result_opens_as_a_normal_assessment(app_store, questionnaire):
    facilitator, _, code = create_workshop("Gruppe als Bewertung")
    for name in ("A", "B"):
        drive.answer_section(join(code, name), "de", drive.best)
    dashboard = drive.click(reveal(facilitator.run()), "Gruppenergebnis als Bewertung öffnen")
    drive.assert_ok(dashboard)
    assert dashboard.title[0].value == "Ergebnis"
    assert drive.overview_types(dashboard) == {questionnaire.types["leuchtturm"].name.de}


def weakest(item):
    return 0.0 if item.type == "number" else weakest_answer(item)


def test_group_result_of_a_group_that_disagrees_says_so_and_not_just_stable(app_store, questionnaire):
    facilitator, _, code = create_workshop("Uneinig")
    for name, choose in (("A", drive.best), ("B", drive.best), ("C", weakest)):
        participant, _ = drive.answer_section(join(code, name), "de", choose)  # the cross-cutting questions
        drive.answer_section(participant, "de", choose)  # and Mobilität's own
    dashboard = drive.click(reveal(facilitator.run()), "Gruppenergebnis als Bewertung öffnen")
    drive.assert_ok(dashboard)
    page = drive.texts(dashboard)
    assert md("Gruppenergebnis des Workshops „Uneinig“: je Frage die Antwort am Median von 3 Teilnehmenden.") in page
    assert "nur 2 von 3 liegen im Quadranten der Gruppe" in page
    cells = dashboard.table[0].value[t("ui.result.type", "de")]
    assert [cell.split("  \n")[1] for cell in cells] == ["Gruppe nicht einig"]


def test_facilitator_page_without_key_shows_no_workshop_data(app_store):
    _, _, code = create_workshop("Geheim")
    join(code, "Zeugin")
    at = drive.open_app("de", page="workshop")
    page = drive.texts(at)
    assert "Geheim" not in page and "Zeugin" not in page
    assert not at.dataframe


@pytest.mark.parametrize("kind", ["wrong", "participant_token", "join_code", "truncated"])
def test_facilitator_page_with_a_wrong_key_reveals_nothing(app_store, kind):
    _, key, code = create_workshop("Vertraulich")
    participant = join(code, "Teilnehmerin")
    edit = participant.query_params["a"]
    keys = {
        "wrong": "x" * len(key),
        "participant_token": edit[0] if isinstance(edit, list) else edit,
        "join_code": code,
        "truncated": key[:-2],
    }
    at = drive.open_app("de", page="workshop", f=keys[kind])
    drive.assert_ok(at)
    page = drive.texts(at)
    assert "Dieser Moderationslink ist ungültig" in page
    assert "Vertraulich" not in page and "Teilnehmerin" not in page
    assert not at.dataframe and not at.get("vega_lite_chart")


def test_join_with_an_unknown_code(app_store):
    at = drive.open_app("de", page="join")
    at.text_input(key="join.code").input("ZZZZZZ").run()
    at = drive.click(at, "Workshop suchen")
    assert "keinen Workshop" in drive.texts(at)


def test_participant_never_sees_other_participants_answers(app_store, questionnaire):
    _, _, code = create_workshop("Getrennt")
    first = join(code, "Quirin Erstling")
    drive.answer(first, "de", questionnaire.items["g_strategy"], "resourced_monitored")
    first.run()
    second = join(code, "Zweiter")
    assert second.radio(key="q.de.g_strategy.answer").value is None
    results = drive.go(second, "results")
    assert "Quirin Erstling" not in drive.texts(results)


def test_dont_know_counts_in_the_distribution(app_store, questionnaire):
    facilitator, _, code = create_workshop("Wissen")
    for name, value in (("A", "none"), ("B", DONT_KNOW), ("C", "adopted")):
        at = join(code, name)
        drive.answer(at, "de", questionnaire.items["g_strategy"], value)
        at.run()
    dashboard = reveal(facilitator.run())
    assert "Weiß nicht: **1**" in drive.texts(dashboard)


def edit_token_of(at: drive.AppTest) -> str:
    token = at.query_params["a"]
    return token[0] if isinstance(token, list) else token


def test_facilitator_removes_one_participant_with_all_answers(app_store):
    facilitator, _, code = create_workshop("Entfernen")
    kept, removed = join(code, "Bleibt"), join(code, "*Weg*")
    dashboard = facilitator.run()
    assert list(dashboard.dataframe[0].value["Teilnehmer:in"]) == ["Bleibt", "*Weg*"]
    assert drive.button(dashboard, "Teilnehmer:in entfernen").disabled  # nobody chosen, nothing confirmed

    removed_id = app_store.open_for_edit(edit_token_of(removed)).id
    dashboard.selectbox(key="workshop.remove_who").set_value(removed_id)
    dashboard.checkbox(key="workshop.remove_confirm").check()
    dashboard = drive.click(dashboard.run(), "Teilnehmer:in entfernen")
    drive.assert_ok(dashboard)

    assert "„\\*Weg\\*“ wurde mit allen Antworten entfernt" in drive.texts(dashboard)  # escaped, not italic
    assert list(dashboard.dataframe[0].value["Teilnehmer:in"]) == ["Bleibt"]
    assert app_store.load(removed_id) is None
    assert app_store.open_for_edit(edit_token_of(kept)) is not None
    gone = removed.run()
    assert "Diese Bewertung gibt es nicht mehr" in drive.texts(gone)


def test_facilitator_deletes_the_workshop_and_lands_on_the_start_page(app_store):
    facilitator, key, code = create_workshop("Wird gelöscht")
    participant = join(code, "Teilnehmerin")
    token = edit_token_of(participant)
    workshop = app_store.workshop_for_facilitator(key)
    assert drive.button(facilitator, "Diesen Workshop mit allen Antworten löschen").disabled

    facilitator.checkbox(key="workshop.delete_confirm").check()
    facilitator = drive.click(facilitator.run(), "Diesen Workshop mit allen Antworten löschen")
    drive.assert_ok(facilitator)
    assert facilitator.title[0].value == "Wo steht Ihre Kommune auf dem Weg zur Smart City?"  # the start page
    assert "Der Workshop wurde mit allen Antworten gelöscht" in drive.texts(facilitator)
    assert "f" not in facilitator.query_params

    assert app_store.workshop(workshop.id) is None
    assert app_store.workshop_by_join(code) is None
    assert app_store.open_for_edit(token) is None
    again = drive.open_app("de", page="workshop", f=key)
    assert "Dieser Moderationslink ist ungültig" in drive.texts(again)
    assert "Diese Bewertung gibt es nicht mehr" in drive.texts(participant.run())


def test_the_closing_time_shows_only_while_closing_automatically_is_on_and_nothing_typed_is_lost(app_store):
    at = drive.open_app("de", page="workshop")
    drive.assert_ok(at)
    assert not at.date_input and not at.time_input
    at.text_input(key="workshop.create.title").input("Klausur April")
    at.multiselect(key="workshop.create.domains").select("mobilitaet")
    at.checkbox(key="workshop.create.closes").check().run()
    assert (len(at.date_input), len(at.time_input)) == (1, 1)

    # A closing time already past is refused, and everything entered stays.
    yesterday = datetime.now(TIMEZONE).date() - timedelta(days=1)
    at.date_input(key="workshop.create.close_day").set_value(yesterday)
    at = drive.click(at, "Workshop anlegen")
    assert [e.value for e in at.error] == [t("ui.workshop.close_in_past", "de")]
    assert at.text_input(key="workshop.create.title").value == "Klausur April"
    assert at.multiselect(key="workshop.create.domains").value == ["mobilitaet"]
    assert at.date_input(key="workshop.create.close_day").value == yesterday

    # Switched off again, the closing time is gone from the form and from the workshop.
    at.checkbox(key="workshop.create.closes").uncheck().run()
    assert not at.date_input and not at.time_input
    at = drive.click(at, "Workshop anlegen")
    drive.assert_ok(at)
    assert not at.error
    created = app_store.workshop_for_facilitator(facilitator_key(at))
    assert (created.title, created.closes_at) == ("Klausur April", None)


def test_a_workshop_closing_tomorrow_is_created_with_that_time(app_store):
    at = drive.open_app("de", page="workshop")
    at.text_input(key="workshop.create.title").input("Abendrunde")
    at.multiselect(key="workshop.create.domains").select("mobilitaet")
    at.checkbox(key="workshop.create.closes").check().run()
    tomorrow = datetime.now(TIMEZONE).date() + timedelta(days=1)
    at.date_input(key="workshop.create.close_day").set_value(tomorrow)
    at.time_input(key="workshop.create.close_time").set_value(time(18, 30))
    at = drive.click(at, "Workshop anlegen")
    drive.assert_ok(at)
    created = app_store.workshop_for_facilitator(facilitator_key(at))
    assert created.closes_at == datetime.combine(tomorrow, time(18, 30), tzinfo=TIMEZONE)
    assert fmt_datetime(created.closes_at, "de") in drive.texts(at)


def test_a_participant_with_only_cross_cutting_answers_is_shown_as_not_yet_placed(app_store):
    facilitator, _, code = create_workshop("Noch nicht eingeordnet")
    full, _ = drive.answer_section(join(code, "Voll"), "de", drive.best)
    drive.answer_page(full, "de", drive.best)
    drive.answer_section(join(code, "Halb"), "de", drive.best)  # the cross-cutting section only
    dashboard = reveal(facilitator.run())
    drive.assert_ok(dashboard)
    assert "Noch nicht eingeordnet: 1 Person" in drive.texts(dashboard)
    assert len(chart_data(dashboard.get("vega_lite_chart")[0])["people"]) == 1


def test_a_tap_after_the_workshop_closed_says_so_and_keeps_the_saved_answer(app_store, questionnaire):
    facilitator, _, code = create_workshop("Zu spät getippt")
    ben = join(code, "Ben")
    drive.answer(ben, "de", questionnaire.items["g_strategy"], "adopted")
    ben.run()
    drive.click(facilitator.run(), "Schließen")
    # Ben's page was drawn while the workshop was open: he taps another answer.
    drive.answer(ben, "de", questionnaire.items["g_strategy"], "none")
    ben.run()
    drive.assert_ok(ben)
    assert "Der Workshop ist geschlossen; Antworten können nicht mehr geändert werden." in drive.texts(ben)
    assert ben.radio(key="q.de.g_strategy.answer").value == "adopted"  # the saved answer, not a cleared radio
    assert ben.radio(key="q.de.g_strategy.answer").disabled
    sidebar = [c.value for c in ben.sidebar.caption]
    assert "Workshop geschlossen: Antworten gespeichert, nicht mehr änderbar" in sidebar
    assert not any(c.startswith("Automatisch gespeichert") for c in sidebar)
    token = ben.query_params["a"]
    assert app_store.open_for_edit(token[0] if isinstance(token, list) else token).assessment.answers == {
        "g_strategy": "adopted"
    }


# --- coming back: a device resumes its own participant; merging two ----------------------------


def device_data(at: drive.AppTest) -> dict | None:
    """What this run told the browser component to keep (ktmsc/ui/device.py); None when not drawn."""
    import json

    drawn = [e for e in at.get("bidi_component") if e.key == "device.effects"]
    return json.loads(drawn[0].proto.json) if drawn else None


@pytest.fixture
def browser_cookies(monkeypatch):
    """The cookies a new browser session sends (AppTest has no browser to send them)."""
    from types import SimpleNamespace

    import streamlit.runtime.context

    cookies: dict[str, str] = {}
    client = SimpleNamespace(cookies=cookies, headers={}, remote_ip=None)
    monkeypatch.setattr(streamlit.runtime.context, "_get_client_context", lambda: client)
    return cookies


def find(code: str) -> drive.AppTest:
    at = drive.open_app("de", page="join")
    at.text_input(key="join.code").input(code).run()
    at = drive.click(at, "Workshop suchen")
    drive.assert_ok(at)
    return at


def join_remembered(code: str, name: str) -> tuple[drive.AppTest, dict]:
    """Join, and what the app told the browser to keep of the participation."""
    from ktmsc.ui.device import PARTICIPANT_COOKIE

    at = find(code)
    assert t("ui.join.device_note", "de", hours=12) in drive.texts(at)  # said before anyone joins
    at.text_input(key="join.name").input(name)
    at = drive.click(at, "Teilnehmen")
    drive.assert_ok(at)
    cookie = device_data(at)["participant"]
    assert cookie["name"] == PARTICIPANT_COOKIE
    return drive.go(at, "questions"), cookie


def joined(dashboard: drive.AppTest) -> int:
    return int(next(m.value for m in dashboard.metric if m.label == "Beigetreten"))


def test_a_device_that_joined_before_continues_as_the_same_participant(app_store, questionnaire, browser_cookies):
    from ktmsc.ui.device import PARTICIPANT_COOKIE, PARTICIPANT_HOURS

    facilitator, _, code = create_workshop("Wiederkommen")
    anna, cookie = join_remembered(code, "Anna")
    token = edit_token_of(anna)
    # Only her own token, only as long as the workshop lasts (this one has no closing time).
    assert cookie == {"name": PARTICIPANT_COOKIE, "value": token, "max_age": PARTICIPANT_HOURS * 3600, "path": "/"}
    drive.answer(anna, "de", questionnaire.items["g_strategy"], "adopted")
    anna.run()
    assert joined(facilitator.run()) == 1

    # The tab is lost; the same device joins with the code again.
    browser_cookies[PARTICIPANT_COOKIE] = token
    again = find(code)
    assert "bereits als „Anna“ beigetreten" in drive.texts(again)
    assert not [w for w in again.text_input if w.key == "join.name"], "no second join offered first"
    again = drive.click(again, "Als „Anna“ weitermachen")
    drive.assert_ok(again)
    assert again.title[0].value == "Fragen"
    assert edit_token_of(again) == token
    again = drive.go(again, "questions")
    assert again.radio(key="q.de.g_strategy.answer").value == "adopted"
    assert joined(facilitator.run()) == 1, "the joined count stays"


def test_not_you_joins_as_a_new_participant_and_forgets_the_earlier_one(app_store, browser_cookies):
    from ktmsc.ui.device import PARTICIPANT_COOKIE

    facilitator, _, code = create_workshop("Geteiltes Gerät")
    first, _ = join_remembered(code, "Anna")
    browser_cookies[PARTICIPANT_COOKIE] = edit_token_of(first)

    at = drive.click(find(code), "Nicht Sie? Als neue:r Teilnehmer:in beitreten")
    drive.assert_ok(at)
    assert device_data(at)["participant"] == {"name": PARTICIPANT_COOKIE, "value": "", "max_age": 0, "path": "/"}
    assert "Anna" not in drive.texts(at)
    at.text_input(key="join.name").input("Ben")
    at = drive.click(at, "Teilnehmen")
    drive.assert_ok(at)
    assert edit_token_of(at) != edit_token_of(first)
    assert device_data(at)["participant"]["value"] == edit_token_of(at)
    dashboard = facilitator.run()
    assert joined(dashboard) == 2
    assert list(dashboard.dataframe[0].value["Teilnehmer:in"]) == ["Anna", "Ben"]
    assert app_store.open_for_edit(edit_token_of(first)) is not None, "the earlier participant stays"


def test_a_remembered_participant_of_another_workshop_counts_for_nothing(app_store, browser_cookies):
    from ktmsc.ui.device import PARTICIPANT_COOKIE

    _, _, first_code = create_workshop("Erster")
    _, _, other_code = create_workshop("Zweiter")
    browser_cookies[PARTICIPANT_COOKIE] = edit_token_of(join(first_code, "Anna"))
    at = find(other_code)
    assert "Anna" not in drive.texts(at)
    assert [w for w in at.text_input if w.key == "join.name"]


def test_facilitator_merges_two_participants_into_one_with_the_union_of_answers(app_store, questionnaire):
    facilitator, _, code = create_workshop("Doppelt")
    first, second = join(code, "Anna"), join(code, "Anna 2")
    drive.answer(first, "de", questionnaire.items["g_strategy"], "adopted")
    first.run()
    other_item = next(i for i in drive.visible_items(second, "de") if i.id != "g_strategy" and i.type == "single")
    drive.answer(second, "de", questionnaire.items["g_strategy"], "none")
    drive.answer(second, "de", other_item, DONT_KNOW)
    second.run()
    kept_id = app_store.open_for_edit(edit_token_of(first)).id
    other_id = app_store.open_for_edit(edit_token_of(second)).id

    dashboard = facilitator.run()
    assert joined(dashboard) == 2
    assert drive.button(dashboard, "Zusammenführen").disabled
    dashboard.selectbox(key="workshop.merge_keep").set_value(kept_id)
    dashboard.selectbox(key="workshop.merge_other").set_value(other_id)
    dashboard.checkbox(key="workshop.merge_confirm").check()
    dashboard = drive.click(dashboard.run(), "Zusammenführen")
    drive.assert_ok(dashboard)

    assert "„Anna 2“ wurde in „Anna“ zusammengeführt; 1 Antwort übernommen" in drive.texts(dashboard)
    assert joined(dashboard) == 1
    assert list(dashboard.dataframe[0].value["Teilnehmer:in"]) == ["Anna"]
    assert app_store.load(kept_id).assessment.answers == {"g_strategy": "adopted", other_item.id: DONT_KNOW}
    assert app_store.load(other_id) is None
    assert "Diese Bewertung gibt es nicht mehr" in drive.texts(second.run())


def test_the_participant_cookie_never_outlasts_the_workshop():
    from ktmsc.storage import Workshop
    from ktmsc.ui.device import PARTICIPANT_HOURS, participant_seconds

    now = datetime(2026, 3, 10, 9, 0, tzinfo=TIMEZONE)

    def workshop(closes_at):
        return Workshop(
            id="0" * 32,
            title="W",
            join_code="ACDEFGHJ",
            join_token="t" * 32,
            profile=AssessmentProfile(),
            domains=DOMAINS,
            perspective="verwaltung",
            closes_at=closes_at,
            closed=False,
            created_at=now,
            updated_at=now,
        )

    assert participant_seconds(workshop(None), now) == PARTICIPANT_HOURS * 3600
    assert participant_seconds(workshop(now + timedelta(hours=3)), now) == 3 * 3600
    assert participant_seconds(workshop(now + timedelta(days=2)), now) == PARTICIPANT_HOURS * 3600


# --- the projector view -------------------------------------------------------------------------


def seeded_workshop(app_store, questionnaire, title: str, domains: list[str], revealed: bool = True):
    """A workshop with four participants, one in each quadrant (stored as if they had joined),
    its group result revealed unless ``revealed=False``."""
    profile = AssessmentProfile(name="Musterstadt", population=42_000)
    created = app_store.create_workshop(title=title, profile=profile, domains=domains, perspective=PERSPECTIVE_ADMIN)
    quadrants = [{LF: x, VB: y} for x in ("low", "high") for y in ("low", "high")]
    for number, quadrant in enumerate(quadrants, 1):
        answers = extreme_answers(questionnaire, quadrant)
        assessment = Assessment(
            questionnaire_version=questionnaire.version, profile=profile, domains=domains, answers=answers
        )
        app_store.create_assessment(
            assessment, kind="participant", workshop_id=created.workshop.id, participant_name=f"P{number}"
        )
    if revealed:
        app_store.set_workshop_revealed(created.workshop.id, True)
    return created


def rendered(at: drive.AppTest) -> str:
    """Everything the page sends to the browser, as text: every element and block with all its fields."""
    parts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    for root in (at.main, at.sidebar):
        walk(root)
    return "\n".join(parts)


def param(at: drive.AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_the_facilitators_own_link_is_apart_from_the_invitation_and_collapsed(app_store, questionnaire):
    created = seeded_workshop(app_store, questionnaire, "Getrennte Links", DOMAINS)
    at = drive.open_app("de", page="workshop", f=created.facilitator_key)
    drive.assert_ok(at)
    own = next(e for e in at.expander if e.label == t("ui.workshop.own_link", "de"))
    invitation = next(e for e in at.expander if e.label == t("ui.workshop.links", "de"))
    assert not own.proto.expanded
    assert [created.facilitator_key in c.value for c in own.code] == [True]
    assert fmt_join_code(created.workshop.join_code) in [h.value for h in invitation.subheader]
    assert all(created.facilitator_key not in c.value for c in invitation.code)
    assert created.facilitator_key not in "\n".join(str(e.proto) for e in invitation.children.values())
    assert created.facilitator_key in rendered(at)  # what the projector view's check would find


def test_projector_view_shows_the_code_never_the_key_and_the_agenda_one_question_at_a_time(app_store, questionnaire):
    created = seeded_workshop(app_store, questionnaire, "Auf dem Beamer", ["wirtschaft", "mobilitaet"], revealed=False)
    key = created.facilitator_key
    at = drive.click(drive.open_app("de", page="workshop", f=key), t("workshop.projector.open", "de"))
    drive.assert_ok(at)
    # Hidden until revealed: the projector shows how many are done, no chart and no agenda.
    assert "## Das Gruppenergebnis ist noch verborgen – 4 von 4 fertig." in [m.value for m in at.markdown]
    assert not at.get("vega_lite_chart") and "Fragen mit der größten" not in drive.texts(at)
    app_store.set_workshop_revealed(created.workshop.id, True)
    at.run()

    assert param(at, "view") == "projector"
    assert param(at, "f") is None  # not even in the address bar
    assert key not in rendered(at) and created.workshop.join_code[:4] in rendered(at)
    assert not at.code and not at.expander  # no link to copy, nothing to unfold
    assert f"# {fmt_join_code(created.workshop.join_code)}" in [m.value for m in at.markdown]
    assert len(at.get("image")) == 1  # the QR code

    (chart,) = at.get("vega_lite_chart")
    counts = {row["type_id"]: row["count"] for row in chart_data(chart)["counts"]}
    assert counts == dict.fromkeys(("bewahrerin", "mobilisiererin", "aktivistin", "leuchtturm"), "1 Person")
    assert json.loads(chart.proto.spec)["title"].startswith("Wirtschaft")
    at.radio(key="workshop.projector.domain").set_value("mobilitaet").run()
    assert json.loads(at.get("vega_lite_chart")[0].proto.spec)["title"].startswith("Mobilität")

    group = aggregate(
        questionnaire,
        [Participant(s.id, answers=s.assessment.answers) for s in app_store.workshop_participants(created.workshop.id)],
        ["wirtschaft", "mobilitaet"],
        PERSPECTIVE_ADMIN,
        42_000,
    )
    first, second = (md(questionnaire.items[e.item_id].text.de) for e in group.agenda[:2])

    def shown(at) -> tuple[str, list[str]]:
        number = next(c.value for c in at.caption if c.value.startswith("Frage "))
        questions = [h.value for h in at.subheader if h.value != t("workshop.projector.join", "de")]
        return number, questions

    assert shown(at) == (f"Frage 1 von {AGENDA_LENGTH}", [first])
    assert drive.button(at, t("workshop.projector.previous", "de")).disabled
    at = drive.click(at, t("workshop.projector.next", "de"))
    assert shown(at) == (f"Frage 2 von {AGENDA_LENGTH}", [second])
    at = drive.click(at, t("workshop.projector.previous", "de"))
    assert shown(at) == (f"Frage 1 von {AGENDA_LENGTH}", [first])
    assert key not in rendered(at)

    at = drive.click(at, t("workshop.projector.leave", "de"))
    drive.assert_ok(at)
    assert param(at, "f") == key and param(at, "view") is None
    assert t("ui.workshop.joined", "de") in [m.label for m in at.metric]


def test_a_reloaded_projector_view_asks_for_the_facilitator_link_and_shows_no_workshop(app_store, questionnaire):
    seeded_workshop(app_store, questionnaire, "Neu geladen", DOMAINS)
    at = drive.open_app("de", page="workshop", view="projector")
    drive.assert_ok(at)
    assert t("workshop.projector.needs_link", "de") in [i.value for i in at.info]
    assert "Neu geladen" not in drive.texts(at) and not at.get("vega_lite_chart")


def test_the_projector_view_drops_the_facilitators_own_assessment_token_from_the_address(app_store, questionnaire):
    from test_app import start

    created = seeded_workshop(app_store, questionnaire, "Mit eigener Bewertung", DOMAINS)
    at = start("de", ["mobilitaet"], name="Eigene Stadt")  # the facilitator's own assessment is open
    own = param(at, "a")
    assert own
    at.query_params["f"] = created.facilitator_key
    at = drive.go(at, "workshop")
    drive.assert_ok(at)
    at = drive.click(at, t("workshop.projector.open", "de"))
    drive.assert_ok(at)
    assert param(at, "view") == "projector"
    assert param(at, "a") is None and param(at, "f") is None
    assert own not in rendered(at)
    at = drive.click(at, t("workshop.projector.leave", "de"))
    assert param(at, "a") == own  # back on the dashboard, the own assessment is still the current one
