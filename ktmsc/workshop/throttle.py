"""Join codes cannot be guessed: failed lookups are throttled per session and for the server.

A join code is short so people can type it from a projector; what keeps it from being
guessed is the rate. Only *failed* lookups count, and only typed codes: a join token (link,
QR code) carries 192 random bits and is never throttled, so participants with the link get
in even while someone floods the code field.

* **Per session**: at most :data:`SESSION_FAILURES` failed codes per :data:`WINDOW_SECONDS`.
  A person who mistypes a few times sees how long to wait.
* **Per server process**: at most :data:`GLOBAL_FAILURES` failed codes per
  :data:`WINDOW_SECONDS` from all sessions together, because an attacker can open any number
  of sessions. While that limit is reached, typed codes are refused for everyone (the link
  and the QR code still work).

With :data:`ktmsc.storage.tokens.JOIN_CODE_SPACE` codes, the expected time to hit any one of
``open_workshops`` open workshops at the global rate is :func:`years_to_guess` — decades for
a hundred open workshops, years for a thousand (docs/DESIGN.md, "Join codes").
"""

from __future__ import annotations

import threading
import time
from collections import deque

SESSION_FAILURES = 5
GLOBAL_FAILURES = 60
WINDOW_SECONDS = 60.0
_MAX_SESSIONS = 10_000  # sessions tracked at once; the oldest are forgotten first

SECONDS_PER_YEAR = 365.25 * 24 * 3600


class JoinThrottle:
    """Sliding windows of failed join-code lookups; thread-safe, one per server process."""

    def __init__(
        self,
        *,
        per_session: int = SESSION_FAILURES,
        per_server: int = GLOBAL_FAILURES,
        window: float = WINDOW_SECONDS,
        clock=time.monotonic,
    ) -> None:
        self.per_session = per_session
        self.per_server = per_server
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._server: deque[float] = deque()
        self._sessions: dict[str, deque[float]] = {}

    def wait(self, session: str) -> float:
        """Seconds until ``session`` may try another code; 0 when it may try now."""
        with self._lock:
            now = self._clock()
            waits = [self._wait(self._server, self.per_server, now)]
            if session in self._sessions:
                waits.append(self._wait(self._sessions[session], self.per_session, now))
            return max(waits)

    def failed(self, session: str) -> None:
        """Count one failed code of ``session``."""
        with self._lock:
            now = self._clock()
            self._server.append(now)
            self._drop_old(self._server, now)
            mine = self._sessions.pop(session, None) or deque()
            mine.append(now)
            self._drop_old(mine, now)
            self._sessions[session] = mine  # most recent last: the dict is in order of use
            while len(self._sessions) > _MAX_SESSIONS:
                del self._sessions[next(iter(self._sessions))]

    def _drop_old(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def _wait(self, times: deque[float], limit: int, now: float) -> float:
        self._drop_old(times, now)
        if len(times) < limit:
            return 0.0
        return max(0.0, times[-limit] + self.window - now)


def years_to_guess(code_space: int, open_workshops: int, per_server: int = GLOBAL_FAILURES) -> float:
    """Expected years until guessing at the server's limit hits any of ``open_workshops``."""
    guesses_per_year = per_server / WINDOW_SECONDS * SECONDS_PER_YEAR
    return code_space / open_workshops / guesses_per_year
