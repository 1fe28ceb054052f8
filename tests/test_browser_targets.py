"""In Chromium: "what if" on the results moves the domain's point at once, in its own
fragment, and stores nothing (the interaction only a browser shows end to end)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from test_personas import assessment_of, personas

import browser
from ktmsc.targets import place_text, what_if
from ktmsc.ui.target_views import what_if_key

pytestmark = pytest.mark.browser

DOMAIN = "wirtschaft"
ITEM = "wi_joint_work"


def test_what_if_moves_the_point_at_once_and_stores_nothing(page, app_server, server_store, questionnaire):
    found = next(p for p in personas() if p["id"] == "hochwaldhoehe")
    assessment = assessment_of(found, questionnaire)
    created = server_store.create_assessment(assessment)
    page.goto(f"{app_server.url}/results?{urlencode({'lang': 'de', 'a': created.edit_token})}")
    browser.wait_for_run(page)
    assert questionnaire.ordered_domains(assessment.domains)[0] == DOMAIN  # the domain the results show first
    browser.rerun(page, lambda: browser.checkbox_label(page, f"whatif.de.{DOMAIN}.open").click())

    item = questionnaire.items[ITEM]
    best = max(item.options, key=lambda o: o.score)
    select = browser.widget(page, what_if_key("de", DOMAIN, ITEM))
    select.locator("input").click()
    page.keyboard.type(best.label.de[:40])
    browser.rerun(page, lambda: page.keyboard.press("Enter"))

    moved = what_if(questionnaire, assessment, DOMAIN, {ITEM: best.id})
    expected = place_text(questionnaire, moved, "de")
    page.get_by_text(expected, exact=False).first.wait_for()
    assert moved.type_id == "mobilisiererin"
    assert page.locator(browser.CHART).count() == 2  # the overview, and the what-if arrow
    stored = server_store.load(created.id).assessment
    assert stored.answers == assessment.answers
