"""How long a step of the questions really took: measured in this browser session from the
step's first showing to "Weiter", once per step and assessment, and kept anonymously
(:mod:`ktmsc.storage.step_times`: step, view, mode, seconds, month). The method page shows
the medians next to the estimate."""

from __future__ import annotations

import logging
import time

import streamlit as st

from ktmsc.model.assessment import MODE_FULL
from ktmsc.ui.session import Current, store

log = logging.getLogger(__name__)

_SHOWN_KEY = "step_timer.shown"  # (assessment id, step, monotonic seconds of its first showing)
_DONE_KEY = "step_timer.done"  # {(assessment id, step)}: measured already; a second pass is not a first


def shown(cur: Current, step: str) -> None:
    """The questions page shows ``step`` (every run: only the first showing starts the clock)."""
    mark = st.session_state.get(_SHOWN_KEY)
    if mark is None or mark[:2] != (cur.id, step):
        st.session_state[_SHOWN_KEY] = (cur.id, step, time.monotonic())


def finished(cur: Current, step: str) -> None:
    """The person goes on from ``step`` to the next one: keep how long it took (once)."""
    mark = st.session_state.pop(_SHOWN_KEY, None)
    done: set[tuple[str, str]] = st.session_state.setdefault(_DONE_KEY, set())
    if mark is None or mark[:2] != (cur.id, step) or (cur.id, step) in done or cur.read_only or cur.example:
        return
    done.add((cur.id, step))
    try:
        store().record_step_time(step, cur.assessment.perspective, MODE_FULL, time.monotonic() - mark[2])
    except Exception:  # a measurement is never worth an error on the screen
        log.warning("keeping the duration of step %s failed", step, exc_info=True)


def medians() -> list[tuple[str, str, int, float]]:
    """Every step's measured durations: (step, view, count, median seconds); none when the
    database does not answer (the method page then says that no step has enough yet)."""
    try:
        return [(m.step, m.perspective, m.count, m.median_seconds) for m in store().step_time_medians()]
    except Exception:
        log.warning("reading the step durations failed", exc_info=True)
        return []
