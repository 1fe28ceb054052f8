"""The full check's settled-or-open box, in Chromium: an answer redraws it from the question's
own rerun (a fragment writing into the sidebar's box), without a rerun of the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import answer, open_page, seed

import browser
from ktmsc import quick
from ktmsc.model.schema import GENERAL
from ktmsc.texts import t

pytestmark = pytest.mark.browser

BOX = browser.key_selector("questions.standing")


def open_line(questionnaire, assessment, domain: str) -> str:
    """The box's line for an open domain, as the page words it (without the Markdown stars)."""
    settlement = quick.assess(questionnaire, assessment).settlements[domain]
    assert not settlement.settled
    count = len(settlement.deciding)
    name = questionnaire.domain(domain).name.de
    return t(f"ui.quick.open.{'one' if count == 1 else 'other'}", "de", domain=name, count=count).replace("**", "")


def test_an_answer_redraws_the_standing_box_without_a_page_rerun(page, app_server, server_store, questionnaire):
    token = seed(server_store, questionnaire, name="Standfest", step="wirtschaft", answered=[GENERAL])
    before = server_store.open_for_edit(token).assessment
    open_page(page, app_server, "questions", lang="de", a=token)
    box = page.locator(BOX)
    expect(box).to_have_count(1)
    expect(box).to_contain_text(open_line(questionnaire, before, "wirtschaft"))

    item = questionnaire.items["wi_econ_dev_unit"]
    assert item.id not in questionnaire.gate_ids  # no follow-up appears: the page itself does not rerun
    answer(page, "de", item, "named_person")
    after = server_store.open_for_edit(token).assessment
    assert after.answers["wi_econ_dev_unit"] == "named_person"
    assert open_line(questionnaire, after, "wirtschaft") != open_line(questionnaire, before, "wirtschaft")
    expect(box).to_contain_text(open_line(questionnaire, after, "wirtschaft"))
    expect(box).to_have_count(1)  # redrawn in place, not a second box
    # The next step's page run draws it again from the page's own scoring.
    page.reload()
    browser.wait_for_run(page)
    expect(box).to_have_count(1)
    expect(box).to_contain_text(open_line(questionnaire, after, "wirtschaft"))
