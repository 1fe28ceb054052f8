"""A workshop's pacing on screen: the facilitator's countdown controls, the countdown on the
dashboard and the projector, and the participants' watch that shows the countdown on their
phones and redraws their page when the workshop moves on (second round, closed, group shown).

The texts and the rules (rounding, how long "time is up" stays, what counts as a new phase)
are in :mod:`ktmsc.workshop.pacing`. Only an open workshop shows a countdown or its controls:
once closed, nobody answers against the clock any more.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.labels import fmt_time
from ktmsc.model.limits import MAX_COUNTDOWN_MINUTES
from ktmsc.storage import Workshop
from ktmsc.texts import t
from ktmsc.ui import workshop_session
from ktmsc.ui.safe import md
from ktmsc.workshop.pacing import Phase, countdown_text, is_over, phase

log = logging.getLogger(__name__)

DEFAULT_MINUTES = 10
MINUTES_KEY = "pacing.minutes"
LAST_MINUTES_KEY = "pacing.last_minutes"  # the last countdown's minutes: the field's next default
RERUN_KEY = "pacing.rerun_for"  # (workshop id, phase) the watch last redrew the page for
WATCH_SECONDS = 15
ICON = ":material/timer:"
ICON_OVER = ":material/timer_off:"


def controls(workshop: Workshop, lang: Lang) -> None:
    """The facilitator's countdown in one row: minutes and "Countdown starten"; while one is
    shown (running, or run out and still saying so), when it ends and "Countdown beenden".

    The row says the end as a time of day, not the time left: it is drawn with the page, and a
    time left would stand still there while the dashboard's own line (:func:`countdown`, in its
    refreshing fragment) counts down. The next countdown offers the last one's minutes (10 at
    first). Nothing for a closed workshop."""
    if not workshop.is_open:
        return
    ends = workshop.countdown_ends_at
    if ends is not None and countdown_text(ends, datetime.now(UTC), lang) is not None:
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.caption(md(t("pacing.until", lang, time=fmt_time(ends, lang))))
        if button.button(t("workshop.countdown.stop", lang), icon=ICON_OVER, key="pacing.stop", width="stretch"):
            workshop_session.set_countdown(workshop.id, None)
            st.rerun()
        return
    field, button = st.columns([4, 1], vertical_alignment="bottom")
    minutes = field.number_input(
        t("workshop.countdown.minutes", lang),
        min_value=1,
        max_value=MAX_COUNTDOWN_MINUTES,
        value=st.session_state.get(LAST_MINUTES_KEY, DEFAULT_MINUTES),
        step=1,
        key=MINUTES_KEY,
        help=t("workshop.countdown.help", lang),
    )
    if button.button(t("workshop.countdown.start", lang), icon=ICON, key="pacing.start", width="stretch"):
        workshop_session.set_countdown(workshop.id, int(minutes))
        st.session_state[LAST_MINUTES_KEY] = int(minutes)  # the field is gone while it runs
        st.rerun()


def countdown(workshop: Workshop, lang: Lang, *, big: bool = False) -> None:
    """The time left to the second ("Noch 4 Min. 20 s in dieser Runde") or that it is up; nothing
    without a countdown or for a closed workshop. ``big``: a heading for the projector.

    Plain, no fragment of its own: the dashboard and the projector call it inside theirs, with
    the workshop they have just read again."""
    _line(workshop, lang, big=big, coarse=False)


@st.fragment(run_every=WATCH_SECONDS)
def participant_watch(workshop: Workshop, lang: Lang) -> None:
    """On a participant's pages: the countdown in minutes ("Noch etwa 5 Minuten in dieser
    Runde"), and the whole page drawn again when the workshop's phase changed since it was
    drawn (:func:`ktmsc.workshop.pacing.phase`: round 1 → 2, closed or opened again, the group
    shown on the phones or hidden again).

    Every :data:`WATCH_SECONDS` (15 s) the fragment alone reruns and reads the workshop's one
    row by its key: 50–200 phones make 3–13 such small runs a second, where every 2 s would be
    25–100. A phone needs neither a second-exact countdown (it shows minutes, rounded up) nor
    the new round within the second: the facilitator announces it aloud, and a tap on the page
    draws it at once anyway.

    Streamlit reruns a fragment with the arguments of the page run that drew it, so
    ``workshop`` is the workshop as the page drew it, and its phase is what is compared. Each
    phase is asked for once: should the page draw the old phase again (handed a workshop it
    keeps), the watch does not rerun it over and over."""
    drawn = phase(workshop)
    try:
        current = workshop_session.latest(workshop)
    except Exception:  # the database away for a moment: keep what is shown, try at the next tick
        log.warning("reading workshop %s for the participants' watch failed", workshop.id, exc_info=True)
        current = workshop
    now = phase(current)
    if now == drawn:
        st.session_state.pop(RERUN_KEY, None)
    elif _rerun_once(workshop.id, now):
        st.rerun(scope="app")
    _line(current, lang, big=False, coarse=True)


def _rerun_once(workshop_id: str, now: Phase) -> bool:
    if st.session_state.get(RERUN_KEY) == (workshop_id, now):
        return False
    st.session_state[RERUN_KEY] = (workshop_id, now)
    return True


def _line(workshop: Workshop, lang: Lang, *, big: bool, coarse: bool) -> None:
    if not workshop.is_open:
        return
    moment, ends = datetime.now(UTC), workshop.countdown_ends_at
    text = countdown_text(ends, moment, lang, coarse=coarse)
    if text is None:
        return
    over = is_over(ends, moment)
    if big:
        st.markdown(f"## {ICON_OVER if over else ICON} {md(text)}")
    elif over:
        st.warning(md(text), icon=ICON_OVER)
    else:
        st.info(md(text), icon=ICON)
