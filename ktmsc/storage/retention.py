"""The retention period: how long assessments and closed workshops are kept.

``KTMSC_RETENTION_MONTHS`` (a whole number of months, at least 1) switches the purge on;
unset or empty it is off and nothing is deleted by age. A month counts as 31 days, so
nothing goes before the number of calendar months has passed. The app purges at start and
then at most once a day per process (:class:`DailyPurge`); ``python -m ktmsc purge`` does
it on demand. What is deleted is described in ``docs/DATA.md``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from ktmsc.storage.errors import StorageError
from ktmsc.storage.records import Purged

ENV_VAR = "KTMSC_RETENTION_MONTHS"
DAYS_PER_MONTH = 31
MAX_MONTHS = 1200
PURGE_EVERY = timedelta(days=1)

log = logging.getLogger(__name__)


def period(months: int) -> timedelta:
    """The retention period of ``months`` months (31 days each)."""
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise StorageError(f"the retention period must be a whole number of months from 1 to {MAX_MONTHS}")
    return timedelta(days=DAYS_PER_MONTH * months)


def configured(environ: Mapping[str, str] = os.environ) -> timedelta | None:
    """``KTMSC_RETENTION_MONTHS`` as a period; None when it is not set (the purge is off)."""
    raw = environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    try:
        months = int(raw)
    except ValueError:
        months = 0
    try:
        return period(months)
    except StorageError:
        raise StorageError(
            f"{ENV_VAR} must be a whole number of months from 1 to {MAX_MONTHS}, not {raw[:20]!r}"
        ) from None


class DailyPurge:
    """Runs ``purge(older_than)`` now and then at most once per :data:`PURGE_EVERY`.

    :meth:`run_if_due` is cheap (a comparison of two times) until a purge is due, so the app
    can call it on every use of its store. A failed purge is logged and tried again a day later.
    """

    def __init__(self, purge: Callable[[timedelta], Purged], older_than: timedelta) -> None:
        self._purge = purge
        self.older_than = older_than
        self._next: datetime | None = None
        self._lock = threading.Lock()

    def run_if_due(self, now: datetime | None = None) -> Purged | None:
        now = now or datetime.now(UTC)
        if self._next is not None and now < self._next:
            return None
        if not self._lock.acquire(blocking=False):  # another session is purging right now
            return None
        try:
            if self._next is not None and now < self._next:
                return None
            self._next = now + PURGE_EVERY
            purged = self._purge(self.older_than)
        except Exception:
            log.exception("the retention purge failed; it runs again in a day")
            return None
        finally:
            self._lock.release()
        if purged.total:
            log.info(
                "retention purge: %d workshop(s) with %d participant(s), %d assessment(s) deleted",
                purged.workshops,
                purged.participants,
                purged.assessments,
            )
        return purged
