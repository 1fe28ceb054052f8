"""Join codes cannot be guessed: failed codes are throttled per session and per server."""

from __future__ import annotations

import pytest

import app_driver as drive
from ktmsc.storage.tokens import JOIN_CODE_SPACE
from ktmsc.ui import links
from ktmsc.workshop.throttle import GLOBAL_FAILURES, SESSION_FAILURES, WINDOW_SECONDS, JoinThrottle, years_to_guess


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_waits_after_its_failures_until_the_oldest_leaves_the_window():
    clock = Clock()
    throttle = JoinThrottle(clock=clock)
    for _ in range(SESSION_FAILURES - 1):
        throttle.failed("a")
        clock.now += 1
    assert throttle.wait("a") == 0
    throttle.failed("a")
    assert throttle.wait("a") == pytest.approx(WINDOW_SECONDS - (SESSION_FAILURES - 1))
    assert throttle.wait("b") == 0, "another session may still try"
    clock.now += WINDOW_SECONDS - (SESSION_FAILURES - 1)
    assert throttle.wait("a") == 0


def test_many_sessions_together_hit_the_server_limit_and_everyone_waits():
    clock = Clock()
    throttle = JoinThrottle(clock=clock)
    for n in range(GLOBAL_FAILURES):
        throttle.failed(f"attacker-{n}")  # a new session per guess does not help
    assert throttle.wait("attacker-new") > 0
    assert throttle.wait("honest") > 0
    clock.now += WINDOW_SECONDS
    assert throttle.wait("honest") == 0


def test_the_code_space_makes_guessing_take_years_at_the_throttled_rate():
    assert years_to_guess(JOIN_CODE_SPACE, open_workshops=100) > 20
    assert years_to_guess(JOIN_CODE_SPACE, open_workshops=1000) > 2
    # The old six-character codes would have fallen in weeks at the same rate.
    assert years_to_guess(25**6, open_workshops=100) < 0.2


def _try_code(at, code: str):
    at.text_input(key="join.code").input(code).run()
    return drive.click(at, "Workshop suchen")


def test_typing_wrong_codes_ends_in_a_clear_wait_message_and_the_link_still_works(app_store):
    from test_workshop_app import create_workshop

    _, _, code = create_workshop("Gesperrt?")
    at = drive.open_app("de", page="join")
    for n in range(SESSION_FAILURES):
        at = _try_code(at, f"ACDEFG{'34679'[n]}3")
        assert "keinen Workshop" in drive.texts(at)
    at = _try_code(at, code)  # even the right code waits now
    drive.assert_ok(at)
    assert "Zu viele Versuche" in drive.texts(at) and "Sekunden" in drive.texts(at)
    assert not [t for t in at.text_input if t.key == "join.name"]

    token = app_store.workshop_by_join(code).join_token
    linked = drive.open_app("de", page="join", **{links.JOIN_PARAM: token})
    drive.assert_ok(linked)
    assert "Gesperrt?" in drive.texts(linked), "the link or QR code is never throttled"
