"""A workshop's pacing in AppTest: the facilitator starts and stops the countdown, the phones
see it in minutes, and a participant's page is drawn again when the workshop moves on.

The scripts are tiny pages around :mod:`ktmsc.ui.pacing_views` with the app's real store
(the database ``conftest`` sets for the run); the test changes the workshop in the store
between two runs, as the facilitator's laptop would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import app_driver as drive
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN


def _facilitator_page() -> None:
    """The facilitator's controls above the dashboard's countdown line."""
    import streamlit as st

    from ktmsc.ui import pacing_views
    from ktmsc.ui.session import store

    workshop = store().workshop(st.query_params["w"])
    pacing_views.controls(workshop, "de")
    pacing_views.countdown(workshop, "de")
    pacing_views.countdown(workshop, "de", big=True)


def _participant_page() -> None:
    """A participant's page: it draws the workshop's phase, then the watch.

    Streamlit runs a ``run_every`` fragment again with the arguments of the page run that drew
    it, which AppTest cannot tick; so the page hands the watch what such a tick gets – the
    workshop as the previous run drew it (``stale=keep``: the first one drawn, always)."""
    import streamlit as st

    from ktmsc.ui import pacing_views
    from ktmsc.ui.session import store

    workshop = store().workshop(st.query_params["w"])
    runs = st.session_state.setdefault("test.runs", [])
    runs.append((workshop.round, workshop.is_open))
    st.text(f"Runde {workshop.round}, offen: {workshop.is_open}, Läufe: {len(runs)}")
    drawn = st.session_state.get("test.drawn", workshop)
    if st.query_params.get("stale") != "keep" or "test.drawn" not in st.session_state:
        st.session_state["test.drawn"] = workshop
    pacing_views.participant_watch(drawn, "de")


def new_workshop(app_store, title: str):
    return app_store.create_workshop(
        title=title,
        profile=AssessmentProfile(name="Musterstadt"),
        domains=["mobilitaet"],
        perspective=PERSPECTIVE_ADMIN,
    ).workshop


def page(script, workshop_id: str, **params: str) -> drive.AppTest:
    at = drive.AppTest.from_function(script, default_timeout=drive.TIMEOUT)
    at.query_params.update(w=workshop_id, **params)
    at.run()
    drive.assert_ok(at)
    return at


def test_the_facilitator_starts_a_countdown_sees_it_count_and_stops_it(app_store):
    workshop = new_workshop(app_store, "Mit Countdown")
    at = page(_facilitator_page, workshop.id)
    assert at.number_input(key="pacing.minutes").value == 10
    assert "Noch" not in drive.texts(at), "no countdown before it is started"

    at.number_input(key="pacing.minutes").set_value(5)
    started = datetime.now(UTC)
    drive.click(at, "Countdown starten")
    drive.assert_ok(at)
    ends = app_store.workshop(workshop.id).countdown_ends_at
    assert started + timedelta(minutes=5) <= ends <= datetime.now(UTC) + timedelta(minutes=5)
    shown = drive.texts(at)
    # Rounded up: "5 Min. 0 s" right after the start, a few seconds less on a slow machine.
    assert re.search(r"Noch (5 Min\\\. 0|4 Min\\\. \d+) s in dieser Runde", shown), shown
    assert [e for e in at.markdown if e.value.startswith("## :material/timer:")], "the projector's heading"
    assert "Countdown bis" in shown
    assert not [w for w in at.number_input if w.key == "pacing.minutes"], "no second countdown while one runs"

    drive.click(at, "Countdown beenden")
    drive.assert_ok(at)
    assert app_store.workshop(workshop.id).countdown_ends_at is None
    assert "Noch" not in drive.texts(at)
    assert at.number_input(key="pacing.minutes").value == 5, "the minutes typed stay"


def test_a_closed_workshop_has_no_countdown_and_no_controls(app_store):
    workshop = new_workshop(app_store, "Geschlossen mit Countdown")
    app_store.set_countdown(workshop.id, 10)
    app_store.set_workshop_closed(workshop.id, True)
    at = page(_facilitator_page, workshop.id)
    assert not at.number_input and not at.button
    assert "Noch" not in drive.texts(at)
    phone = page(_participant_page, workshop.id)
    assert "Noch" not in drive.texts(phone)


def test_a_phone_shows_the_countdown_in_minutes(app_store):
    workshop = new_workshop(app_store, "Countdown am Handy")
    phone = page(_participant_page, workshop.id)
    assert "Noch" not in drive.texts(phone)
    app_store.set_countdown(workshop.id, 10)
    phone.run()
    drive.assert_ok(phone)
    # 10 minutes rounded up: "etwa 10" unless a whole minute passed since the start.
    assert re.search(r"Noch etwa (10|9) Minuten in dieser Runde", drive.texts(phone)), drive.texts(phone)
    assert "Min\\. " not in drive.texts(phone), "no seconds on a phone"


def test_the_watch_draws_the_page_again_when_the_second_round_opens(app_store):
    workshop = new_workshop(app_store, "Zweite Runde kommt")
    phone = page(_participant_page, workshop.id)
    phone.run()  # nothing changed: no extra run
    assert phone.session_state["test.runs"] == [(1, True), (1, True)]

    app_store.open_second_round(workshop.id, ["g_strategy"])
    phone.run()
    drive.assert_ok(phone)
    # The run that still handed the watch round 1, then the run the watch asked for.
    assert phone.session_state["test.runs"][2:] == [(2, True), (2, True)]
    assert "Runde 2, offen: True, Läufe: 4" in drive.texts(phone)

    phone.run()
    assert len(phone.session_state["test.runs"]) == 5, "round 2 drawn: no more extra runs"


def test_the_watch_draws_the_page_again_when_the_workshop_closes(app_store):
    workshop = new_workshop(app_store, "Wird geschlossen")
    phone = page(_participant_page, workshop.id)
    app_store.set_workshop_closed(workshop.id, True)
    phone.run()
    drive.assert_ok(phone)
    assert phone.session_state["test.runs"] == [(1, True), (1, False), (1, False)]


def test_the_watch_draws_a_page_that_keeps_an_old_phase_once_not_over_and_over(app_store):
    workshop = new_workshop(app_store, "Alte Seite")
    phone = page(_participant_page, workshop.id, stale="keep")
    app_store.open_second_round(workshop.id, ["g_strategy"])
    phone.run()
    drive.assert_ok(phone)
    assert len(phone.session_state["test.runs"]) == 3, "one extra run for round 2, then no loop"
    phone.run()
    assert len(phone.session_state["test.runs"]) == 4, "asked once per phase"
