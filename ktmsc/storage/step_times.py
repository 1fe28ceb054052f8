"""How long steps of the questionnaire really take, kept anonymously.

A duration is a step, the view (administration or citizens), the mode (full or quick check),
whole seconds and the month – nothing that leads back to an assessment, a person or a time
of day. The method page compares the medians with the estimate (``scoring.timing``).
"""

from __future__ import annotations

import contextlib
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert, select

from ktmsc.model.assessment import MODE_FULL, MODE_QUICK
from ktmsc.model.limits import MAX_STEP_SECONDS, MIN_STEP_SECONDS
from ktmsc.storage import values
from ktmsc.storage.errors import InvalidValue
from ktmsc.storage.tables import MAX_STEP, step_times

MODES = (MODE_FULL, MODE_QUICK)


@dataclass(frozen=True)
class StepTime:
    """The measured durations of one step in one view: how many, and their median in seconds."""

    step: str
    perspective: str
    count: int
    median_seconds: float


def this_month(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).date().replace(day=1)


class StepTimes:
    """The step durations' part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def _read(self, *, consistent: bool = False) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def record_step_time(self, step: str, perspective: str, mode: str, seconds: float) -> bool:
        """Keep one duration; False (and nothing kept) when it is too short or too long to
        mean anything (``MIN_STEP_SECONDS`` – ``MAX_STEP_SECONDS``)."""
        step = values.short_text(step, MAX_STEP, "the step", required=True)
        perspective = values.perspective(perspective)
        if mode not in MODES:
            raise InvalidValue(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds != seconds:
            raise InvalidValue("the seconds must be a number")
        if not MIN_STEP_SECONDS <= seconds <= MAX_STEP_SECONDS:
            return False
        row = {"step": step, "perspective": perspective, "mode": mode, "seconds": round(seconds), "month": this_month()}
        with self._write() as conn:
            conn.execute(insert(step_times), row)
        return True

    def step_time_medians(self) -> list[StepTime]:
        """Per step and view, the number of durations and their median, by step."""
        with self._read() as conn:
            rows = conn.execute(
                select(step_times.c.step, step_times.c.perspective, step_times.c.seconds).order_by(
                    step_times.c.step, step_times.c.perspective
                )
            ).all()
        groups: dict[tuple[str, str], list[int]] = {}
        for step, perspective, seconds in rows:
            groups.setdefault((step, perspective), []).append(seconds)
        return [
            StepTime(step, perspective, len(seconds), statistics.median(seconds))
            for (step, perspective), seconds in groups.items()
        ]
