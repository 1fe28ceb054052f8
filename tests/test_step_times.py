"""How long steps really take: measured from a step's first showing to "Weiter", once per step
and assessment, kept with nothing that leads back to anyone (SQLite and PostgreSQL), and shown
on the method page next to the estimate."""

from __future__ import annotations

import time

import pytest
import storage_fixtures
from sqlalchemy import inspect
from test_app import start

import app_driver as drive
from ktmsc import wizard
from ktmsc.model.limits import MAX_STEP_SECONDS, MIN_STEP_SECONDS, STEP_TIMES_SHOWN_FROM
from ktmsc.model.schema import GENERAL
from ktmsc.storage import InvalidValue
from ktmsc.texts import t
from ktmsc.ui.safe import md

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store


def medians(store) -> dict[tuple[str, str], tuple[int, float]]:
    return {(m.step, m.perspective): (m.count, m.median_seconds) for m in store.step_time_medians()}


def test_durations_are_kept_anonymously_and_give_a_median_per_step_and_view(store):
    for seconds in (60, 120, 600):
        assert store.record_step_time("general", "verwaltung", "full", seconds)
    assert store.record_step_time("general", "buergerin", "full", 300.4)
    assert medians(store) == {("general", "verwaltung"): (3, 120), ("general", "buergerin"): (1, 300)}
    columns = {c["name"] for c in inspect(store.engine).get_columns("step_times")}
    assert columns == {"id", "step", "perspective", "mode", "seconds", "month"}  # no assessment, no time of day


def test_a_click_through_or_a_tab_left_open_is_not_a_duration(store):
    assert not store.record_step_time("general", "verwaltung", "full", MIN_STEP_SECONDS - 1)
    assert not store.record_step_time("general", "verwaltung", "full", MAX_STEP_SECONDS + 1)
    assert medians(store) == {}


@pytest.mark.parametrize(
    "step, perspective, mode, seconds",
    [
        ("", "verwaltung", "full", 60),
        ("general", "presse", "full", 60),
        ("general", "verwaltung", "fast", 60),
        ("general", "verwaltung", "full", "60"),
        ("x" * 65, "verwaltung", "full", 60),
    ],
)
def test_what_no_step_can_be_is_refused(store, step, perspective, mode, seconds):
    with pytest.raises(InvalidValue):
        store.record_step_time(step, perspective, mode, seconds)
    assert medians(store) == {}


def test_measured_steps_come_in_the_questionnaire_order_with_their_estimate(questionnaire):
    first, second = (p.id for p in wizard.parts(questionnaire, GENERAL, "verwaltung")[:2])
    measured = [
        (second, "verwaltung", STEP_TIMES_SHOWN_FROM, 240.0),
        (first, "verwaltung", STEP_TIMES_SHOWN_FROM + 2, 90.0),
        (first, "buergerin", STEP_TIMES_SHOWN_FROM - 1, 90.0),  # too few to show
        ("general.99", "verwaltung", 50, 90.0),  # a step the questionnaire no longer has
    ]
    rows = wizard.measured_steps(questionnaire, measured, "de", shown_from=STEP_TIMES_SHOWN_FROM)
    part = wizard.parts(questionnaire, GENERAL, "verwaltung")[0]
    assert [r.label for r in rows] == [wizard.part_label(questionnaire, part, "de"), rows[1].label]
    assert [(r.count, r.median_minutes) for r in rows] == [(STEP_TIMES_SHOWN_FROM + 2, 1.5), (STEP_TIMES_SHOWN_FROM, 4)]
    assert all(0 < r.low <= r.high for r in rows)


def test_going_on_from_a_step_keeps_how_long_it_took_once(app_store, questionnaire):
    at = start("de", ["mobilitaet"], name="Taktstadt")
    first = wizard.parts(questionnaire, GENERAL, "verwaltung")[0].id
    before = medians(app_store).get((first, "verwaltung"), (0, 0))[0]
    assessment_id, step, shown_at = at.session_state["step_timer.shown"]
    assert step == first
    at.session_state["step_timer.shown"] = (assessment_id, step, shown_at - 90)  # as if 90 seconds passed
    drive.answer_page(at, "de", drive.best)
    at = drive.click(at, drive.next_label("de"))
    assert medians(app_store)[(first, "verwaltung")][0] == before + 1
    # Back and on again: a second pass through the step is not measured again.
    at = drive.click(at, t("ui.questions.back", "de"))
    time.sleep(0.01)
    at = drive.click(at, drive.next_label("de"))
    assert medians(app_store)[(first, "verwaltung")][0] == before + 1


def test_the_method_page_shows_a_step_once_it_has_enough_measurements(app_store, questionnaire):
    part = wizard.parts(questionnaire, GENERAL, "buergerin")[-1]
    for _ in range(STEP_TIMES_SHOWN_FROM):
        app_store.record_step_time(part.id, "buergerin", "full", 180)
    at = drive.open_app("de", page="method")
    drive.assert_ok(at)
    assert t("ui.time.measured_title", "de") in [h.value for h in at.subheader]
    table = at.table[-1].value
    rows = table.to_dict("records")
    row = next(
        r
        for r in rows
        if r[t("ui.time.measured_step", "de")] == md(wizard.part_label(questionnaire, part, "de"))
        and r[t("ui.time.measured_view", "de")] == md("Bürger:in (Außensicht)")
    )
    assert row[t("ui.time.measured_median", "de")] == "3,0"  # 180 seconds
    assert int(row[t("ui.time.measured_count", "de")]) >= STEP_TIMES_SHOWN_FROM
    low, high = row[t("ui.time.measured_estimate", "de")].split("–")
    assert 0 < float(low.replace(",", ".")) <= float(high.replace(",", "."))
