"""In Chromium at 1920 × 1080, the size workshops are projected at: the projector view's chart is
square, the first agenda question is on screen without scrolling, and neither the page nor the
address bar holds the facilitator key (what only a browser shows: sizes and the visible URL).

Fixtures come from ``browser_plugin`` (server, Chromium in a German locale).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

import browser
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.scoring import extreme_answers
from ktmsc.texts import t
from ktmsc.workshop import AGENDA_LENGTH

pytestmark = pytest.mark.browser

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"
PROJECTOR = {"width": 1920, "height": 1080}
QUADRANTS = f"{browser.CHART} svg g.mark-rect.role-mark"  # the first rect layer: the four tinted quadrants


def test_projector_view_at_1920_by_1080(new_context, app_server, server_store, questionnaire):
    profile = AssessmentProfile(name="Beamerstadt", population=42_000)
    created = server_store.create_workshop(
        title="Klausur am Beamer", profile=profile, domains=["mobilitaet"], perspective=PERSPECTIVE_ADMIN
    )
    for number, quadrant in enumerate(({LF: "high", VB: "high"}, {LF: "low", VB: "low"}, {LF: "high", VB: "low"})):
        answers = extreme_answers(questionnaire, quadrant)
        assessment = Assessment(
            questionnaire_version=questionnaire.version, profile=profile, domains=["mobilitaet"], answers=answers
        )
        server_store.create_assessment(
            assessment, kind="participant", workshop_id=created.workshop.id, participant_name=f"P{number}"
        )
    page = new_context(viewport=PROJECTOR).new_page()
    page.goto(f"{app_server.url}/workshop?{urlencode({'lang': 'de', 'f': created.facilitator_key})}")
    browser.wait_for_run(page)
    button = page.get_by_role("button", name=t("workshop.projector.open", "de"), exact=False)
    browser.rerun(page, button.click)
    # Hidden until revealed; revealed from the facilitator's other device, the projector shows
    # the group at its next refresh, without a reload.
    page.get_by_text("Das Gruppenergebnis ist noch verborgen", exact=False).wait_for()
    assert page.locator(QUADRANTS).count() == 0
    server_store.set_workshop_revealed(created.workshop.id, True)
    page.locator(QUADRANTS).first.wait_for(timeout=30_000)
    page.get_by_text(t("workshop.projector.question", "de", number=1, total=AGENDA_LENGTH)).wait_for()

    plot = page.locator(QUADRANTS).first.bounding_box()
    assert plot["width"] > 500 and abs(plot["width"] - plot["height"]) <= 0.05 * plot["width"], plot

    question = page.locator(f"{browser.key_selector('projector-question')} h3")
    box = question.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert box["height"] > 0 and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], box
    assert page.get_by_role("button", name=t("workshop.projector.next", "de"), exact=False).is_visible()

    assert created.facilitator_key not in page.url
    assert created.facilitator_key not in page.content()

    # The second round opens from the facilitator's device: at its next refresh the projector
    # shows the group's arrow from round 1 on the same square, still without scrolling.
    server_store.open_second_round(created.workshop.id, ["g_strategy"])
    page.get_by_text("mittlere Hälfte", exact=False).first.wait_for(timeout=30_000)  # the domain's line
    plot = page.locator(QUADRANTS).first.bounding_box()
    assert plot["width"] > 500 and abs(plot["width"] - plot["height"]) <= 0.05 * plot["width"], plot
    assert page.evaluate("window.scrollY") == 0
    line = page.get_by_text("mittlere Hälfte", exact=False).first.bounding_box()
    assert line["y"] + line["height"] <= PROJECTOR["height"], line  # the domain's line on screen too
    assert created.facilitator_key not in page.content()
