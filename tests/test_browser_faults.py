"""In Chromium: an answer given while the database refuses writes is marked as not saved at
once, and saved by the tab's own retry when the database is back, without another input.

The fault is the database's own (a trigger refuses every write to the assessment), as in
``test_faults``; the app server is the real one.
"""

from __future__ import annotations

import pytest
from test_browser import answer, open_page, seed
from test_faults import refusing_writes

import browser
from ktmsc.ui.frame import RETRY_SECONDS

pytestmark = pytest.mark.browser


def test_a_refused_answer_shows_as_pending_at_once_and_is_saved_by_the_retry(
    page, app_server, server_store, questionnaire
):
    token = seed(server_store, questionnaire, name="Ausfall im Browser", answered=())
    open_page(page, app_server, "questions", lang="de", a=token)
    sidebar = page.locator(browser.SIDEBAR)
    assessment_id = server_store.open_for_edit(token).id
    with refusing_writes(server_store, assessment_id):
        answer(page, "de", questionnaire.items["g_cdo"], "on_the_side")  # on the first step
        # One question reruns on its own; a refused write reruns the page, so the sidebar says it.
        sidebar.get_by_text("1 Änderung ist noch nicht gespeichert").wait_for()
        page.get_by_text("Diese Antwort ist noch nicht gespeichert").wait_for()
        assert "Automatisch gespeichert" not in sidebar.inner_text()
        # Closing the tab now would drop the answer: the browser asks first (the test says "stay").
        page.close(run_before_unload=True)
        page.wait_for_timeout(500)
        assert [d for d in page.context.dialogs if d.startswith("beforeunload")], page.context.dialogs
        assert not page.is_closed()
    # No further input: the sidebar's timed retry saves it.
    sidebar.get_by_text("Automatisch gespeichert").wait_for(timeout=(RETRY_SECONDS * 3 + 10) * 1000)
    assert server_store.open_for_edit(token).assessment.answers == {"g_cdo": "on_the_side"}
    assert page.get_by_text("Diese Antwort ist noch nicht gespeichert").count() == 0
    asked = len(page.context.dialogs)
    page.close(run_before_unload=True)  # everything saved: no question, the tab closes
    if not page.is_closed():
        page.wait_for_event("close", timeout=5_000)
    assert page.is_closed() and len(page.context.dialogs) == asked
