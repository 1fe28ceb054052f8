"""A workshop's pacing: the countdown line and the phase a participant's page was drawn in.

Pure core like the rest of :mod:`ktmsc.workshop` (no Streamlit, no storage): it reads plain
fields of a workshop, so :mod:`ktmsc.ui.pacing_views` draws what it returns and the tests
give it any moment as ``now``.

Decisions, so the screens can explain them:

* **Rounding up.** The time left is rounded *up* to the whole second (dashboard, projector)
  or the whole minute (phones): a countdown just started shows "10 Min. 0 s" and "etwa 10
  Minuten", never 9:59; no line says "0 s" or "0 Minuten" while time is left, and "time is
  up" appears exactly at the end.
* **Phones say minutes only** ("Noch etwa 4 Minuten"): they refresh every few seconds, not
  every second, so a second-exact figure would be wrong most of the time anyway.
* **"Time is up" stays** from the end of the countdown until the facilitator stops it (or
  starts another, or opens the second round, which stops it), but at most :data:`OVER_SHOWN`
  after the end: the group may talk on a while, and a countdown forgotten in the morning
  does not shout "time is up" all afternoon. After that the line is gone, as without one.
* **Phase.** What a participant's page depends on and another device can change: the round
  (1 or 2), whether the workshop takes answers, and whether the group result is shown on
  the participants' devices. A reveal on the dashboard and projector alone, a new countdown
  or a new title are no new phase: they change nothing a participant's page draws outside
  the countdown line, which refreshes by itself.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from ktmsc.i18n import Lang
from ktmsc.labels import counted
from ktmsc.texts import t

OVER_SHOWN = timedelta(minutes=30)  # how long "time is up" stays after the end


def countdown_text(ends_at: datetime | None, now: datetime, lang: Lang, *, coarse: bool = False) -> str | None:
    """The countdown line at ``now``: "Noch 4 Min. 20 s in dieser Runde" (``coarse``: "Noch etwa
    5 Minuten in dieser Runde"), "Die Zeit für diese Runde ist um." from the end until
    :data:`OVER_SHOWN` after it, else None (and None without a countdown).

    ``ends_at`` and ``now`` are both aware or both naive; the caller leaves the line out for a
    workshop that no longer takes answers."""
    if ends_at is None:
        return None
    left = (ends_at - now).total_seconds()
    if left <= 0:
        return t("workshop.countdown.over", lang) if -left < OVER_SHOWN.total_seconds() else None
    if coarse:
        return counted("pacing.about", math.ceil(left / 60), lang)
    minutes, seconds = divmod(math.ceil(left), 60)
    return t("workshop.countdown.left", lang, minutes=minutes, seconds=seconds)


def is_over(ends_at: datetime | None, now: datetime) -> bool:
    """Whether the countdown has run out (its line then says so, as long as it is shown)."""
    return ends_at is not None and ends_at <= now


class Phased(Protocol):
    """What :func:`phase` reads of a workshop (:class:`ktmsc.storage.Workshop` has it)."""

    @property
    def round(self) -> int: ...

    @property
    def is_open(self) -> bool: ...

    @property
    def shown_to_participants(self) -> bool: ...


class Phase(NamedTuple):
    """The phase a participant's page shows: compare two with ``==``."""

    round: int
    open: bool
    group_shown: bool


def phase(workshop: Phased) -> Phase:
    """The workshop's phase as a participant's page draws it (``is_open`` read now: a closing
    time that has passed is a new phase too)."""
    return Phase(workshop.round, workshop.is_open, workshop.shown_to_participants)
