"""A workshop's pacing in the core: the countdown line (rounded up, "time is up" for a while,
minutes only on phones) and the phase a participant's page is drawn in."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from ktmsc.model.assessment import AssessmentProfile
from ktmsc.storage import Workshop
from ktmsc.workshop.pacing import OVER_SHOWN, Phase, countdown_text, is_over, phase

END = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)


def before_end(seconds: float) -> datetime:
    return END - timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("left", "de", "en"),
    [
        (600, "Noch 10 Min. 0 s in dieser Runde", "10 min 0 s left in this round"),  # just started: not 9:59
        (599.2, "Noch 10 Min. 0 s in dieser Runde", "10 min 0 s left in this round"),
        (599, "Noch 9 Min. 59 s in dieser Runde", "9 min 59 s left in this round"),
        (260, "Noch 4 Min. 20 s in dieser Runde", "4 min 20 s left in this round"),
        (60, "Noch 1 Min. 0 s in dieser Runde", "1 min 0 s left in this round"),
        (59.5, "Noch 1 Min. 0 s in dieser Runde", "1 min 0 s left in this round"),
        (0.01, "Noch 0 Min. 1 s in dieser Runde", "0 min 1 s left in this round"),  # never "0 s" while running
        (120 * 60, "Noch 120 Min. 0 s in dieser Runde", "120 min 0 s left in this round"),
    ],
)
def test_countdown_text__seconds__rounded_up(left, de, en):
    assert countdown_text(END, before_end(left), "de") == de
    assert countdown_text(END, before_end(left), "en") == en


@pytest.mark.parametrize(
    ("left", "de", "en"),
    [
        (600, "Noch etwa 10 Minuten in dieser Runde", "About 10 minutes left in this round"),
        (541, "Noch etwa 10 Minuten in dieser Runde", "About 10 minutes left in this round"),
        (540, "Noch etwa 9 Minuten in dieser Runde", "About 9 minutes left in this round"),
        (260, "Noch etwa 5 Minuten in dieser Runde", "About 5 minutes left in this round"),
        (61, "Noch etwa 2 Minuten in dieser Runde", "About 2 minutes left in this round"),
        (60, "Noch etwa 1 Minute in dieser Runde", "About 1 minute left in this round"),
        (1, "Noch etwa 1 Minute in dieser Runde", "About 1 minute left in this round"),  # never "0 Minuten"
    ],
)
def test_countdown_text__phones_say_minutes_only__rounded_up(left, de, en):
    assert countdown_text(END, before_end(left), "de", coarse=True) == de
    assert countdown_text(END, before_end(left), "en", coarse=True) == en


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("after", [0, 1, 600, OVER_SHOWN.total_seconds() - 1])
def test_countdown_text__time_is_up_from_the_end_on_for_a_while(after, coarse):
    now = END + timedelta(seconds=after)
    assert countdown_text(END, now, "de", coarse=coarse) == "Die Zeit für diese Runde ist um."
    assert countdown_text(END, now, "en", coarse=coarse) == "Time for this round is up."
    assert is_over(END, now)


@pytest.mark.parametrize("after", [OVER_SHOWN, OVER_SHOWN + timedelta(hours=5)])
def test_countdown_text__a_forgotten_countdown_says_nothing_after_a_while(after):
    assert countdown_text(END, END + after, "de") is None
    assert countdown_text(END, END + after, "de", coarse=True) is None


def test_countdown_text__nothing_without_a_countdown():
    assert countdown_text(None, END, "de") is None
    assert countdown_text(None, END, "en", coarse=True) is None
    assert not is_over(None, END)
    assert not is_over(END, before_end(0.5))


def workshop(**changes) -> Workshop:
    created = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    base = Workshop(
        id="0" * 32,
        title="Klausur",
        join_code="ACDEFGHJ",
        join_token="t" * 32,
        profile=AssessmentProfile(),
        domains=["mobilitaet"],
        perspective="verwaltung",
        closes_at=None,
        closed=False,
        created_at=created,
        updated_at=created,
    )
    return dataclasses.replace(base, **changes)


def test_phase__of_an_open_first_round_with_the_group_hidden():
    assert phase(workshop()) == Phase(round=1, open=True, group_shown=False)


SHOWN = {"revealed_at": END, "reveal_to_participants": True}


@pytest.mark.parametrize(
    "changes",
    [
        {"second_round_items": ("g_strategy",), "second_round_at": END},  # round 1 → 2
        {"closed": True},
        {"closes_at": datetime(2026, 1, 1, tzinfo=UTC)},  # its closing time has passed
        SHOWN,  # the group shown on the phones
    ],
    ids=["second_round", "closed", "closing_time_passed", "group_shown_to_participants"],
)
def test_phase__changes_with_what_a_participants_page_draws(changes):
    assert phase(workshop(**changes)) != phase(workshop())


def test_phase__hiding_the_group_again_and_reopening_are_changes_too():
    assert phase(workshop(**SHOWN)) != phase(workshop(revealed_at=None, reveal_to_participants=True))
    assert phase(workshop(closed=True)) != phase(workshop(closed=False))


@pytest.mark.parametrize(
    "changes",
    [
        {"revealed_at": END},  # shown on the dashboard and projector only
        {"countdown_ends_at": END},  # the countdown line refreshes by itself
        {"title": "Neuer Titel", "updated_at": END},
        {"closes_at": datetime(2099, 1, 1, tzinfo=UTC)},  # a closing time still ahead
    ],
    ids=["revealed_on_the_dashboard_only", "countdown", "title", "closing_time_ahead"],
)
def test_phase__stays_for_what_a_participants_page_does_not_draw(changes):
    assert phase(workshop(**changes)) == phase(workshop())
