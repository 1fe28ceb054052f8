"""The workshops as the pages reach them: the facilitator's and the participants' way into a
workshop, its participants (removing and merging them), closing and deleting, and the invented example's workshop.

Like :mod:`ktmsc.ui.session` (whose one store it uses), it catches what storage raises and
throttles unknown join codes.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.storage import InvalidValue, StoredAssessment, Workshop, WorkshopClosed, WorkshopCreated, WorkshopNotFound
from ktmsc.storage.tokens import is_token
from ktmsc.ui.links import EXAMPLE_SHARE
from ktmsc.ui.session import Current, active, notice, questionnaire, refused, store

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ktmsc.workshop import Participant
    from ktmsc.workshop.throttle import JoinThrottle


def workshop_of(cur: Current) -> Workshop | None:
    """The workshop a participant's assessment belongs to."""
    return store().workshop(cur.workshop_id) if cur.workshop_id else None


def workshop_for_facilitator(key: str) -> Workshop | None:
    return store().workshop_for_facilitator(key)


@st.cache_resource(show_spinner=False)
def _join_throttle() -> JoinThrottle:
    from ktmsc.workshop.throttle import JoinThrottle

    """One throttle per server process: failed join codes of all sessions count together."""
    return JoinThrottle()


class JoinThrottled(Exception):
    """Too many unknown join codes; ``seconds`` until the next try."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"join codes throttled for {seconds:.0f} s")
        self.seconds = max(1, math.ceil(seconds))


def workshop_by_join(code_or_token: str) -> Workshop | None:
    """The workshop for a join link or a typed code. Unknown codes are throttled per session and
    for the server (:mod:`ktmsc.workshop.throttle`); raises :class:`JoinThrottled` while blocked."""
    if is_token(code_or_token):  # a link or QR code: 192 bits, never throttled
        return store().workshop_by_join(code_or_token)
    throttle, me = _join_throttle(), _throttle_key()
    wait = throttle.wait(me)
    if wait > 0:
        raise JoinThrottled(wait)
    workshop = store().workshop_by_join(code_or_token)
    if workshop is None:
        throttle.failed(me)
    return workshop


def _throttle_key() -> str:
    """A random id for this browser session, kept in its session state."""
    return st.session_state.setdefault("session.throttle_key", secrets.token_hex(8))


def create_workshop(
    *, title: str, profile: AssessmentProfile, domains: list[str], perspective: str, closes_at: datetime | None
) -> WorkshopCreated:
    """A new, open workshop; returns its id, join code and token and the facilitator key."""
    return store().create_workshop(
        title=title, profile=profile, domains=domains, perspective=perspective, closes_at=closes_at
    )


def latest(workshop: Workshop) -> Workshop:
    """The workshop as stored now, for a view that refreshes itself: a reveal or a closing made
    in another session (the facilitator's laptop beside the projector) shows at the next refresh.
    The given one where nothing is stored (the example) or it was deleted."""
    return store().workshop(workshop.id) or workshop


def set_workshop_closed(workshop_id: str, closed: bool) -> None:
    store().set_workshop_closed(workshop_id, closed)


def set_workshop_revealed(workshop_id: str, revealed: bool, *, to_participants: bool = False) -> None:
    store().set_workshop_revealed(workshop_id, revealed, to_participants=to_participants)


def open_second_round(workshop_id: str, item_ids: list[str]) -> bool:
    """Open the second round; False when it cannot open any more (opened or closed meanwhile,
    in another tab): the next run shows the workshop as it is."""
    try:
        store().open_second_round(workshop_id, item_ids)
    except (InvalidValue, WorkshopClosed):
        log.info("the second round of %s did not open", workshop_id)
        return False
    return True


def set_countdown(workshop_id: str, minutes: int | None) -> None:
    store().set_countdown(workshop_id, minutes)


@st.cache_resource(show_spinner=False, max_entries=64)
def _first_round_answers(workshop_id: str, opened: datetime) -> dict[str, dict]:
    return store().first_round_answers(workshop_id)


def first_round_answers(workshop: Workshop) -> dict[str, dict]:
    """The participants' first-round answers, read once per server process: they never change."""
    if workshop.second_round_at is None:
        return {}
    return _first_round_answers(workshop.id, workshop.second_round_at)


def second_round_reasons(workshop_id: str) -> dict[tuple[str, str], str]:
    return store().second_round_reasons(workshop_id)


def save_reason(cur: Current, item_id: str, text: str) -> bool:
    """A participant's one-line reason for a second-round answer; a refusal of the store becomes its
    notice, like a refused answer, and a failing database the notice that saving failed."""
    try:
        store().save_second_round_reason(cur.id, item_id, text)
    except Exception as exc:
        if not refused(exc, f"reason for {item_id}"):
            log.exception("saving the reason for %s failed", item_id)
            notice("ui.session.save_failed")
        return False
    return True


def delete_participant(workshop_id: str, assessment_id: str) -> bool:
    """The facilitator removes one participant with all their answers; False if already gone."""
    return store().delete_participant(workshop_id, assessment_id)


def merge_participants(workshop_id: str, keep_id: str, other_id: str) -> int | None:
    """The facilitator merges two participants: the kept one takes the other's answers where it
    has none, the other is deleted; the number of answers taken, or None if nothing changed."""
    return store().merge_participants(workshop_id, keep_id, other_id)


def delete_workshop(workshop_id: str) -> int:
    """Delete the workshop with every participant's answers; returns how many participants went."""
    try:
        return store().delete_workshop(workshop_id)
    except WorkshopNotFound:  # deleted meanwhile (another tab): the result is the same
        return 0


def workshop_participants(
    workshop_id: str, known: Mapping[str, StoredAssessment] | None = None
) -> list[StoredAssessment]:
    """The workshop's participants; with ``known`` (id → stored), only changed ones are read again."""
    return store().workshop_participants(workshop_id, known)


def example_workshop(lang: Lang) -> Workshop | None:
    """The example's workshop while the example is open in this tab (read-only, never stored)."""
    cur = active()
    example = questionnaire().example
    if cur is None or not cur.example or example is None:
        return None
    profile = cur.assessment.profile
    return Workshop(
        id=EXAMPLE_SHARE,
        title=example.workshop.title.get(lang),
        join_code="",
        join_token="",
        profile=profile,
        domains=list(cur.assessment.domains),
        perspective=profile.perspective,
        closes_at=None,
        closed=True,
        created_at=datetime.min,
        updated_at=datetime.min,
        revealed_at=datetime.min,  # the example shows its group at once
    )


def example_people(lang: Lang) -> list[Participant]:
    """The example workshop's invented participants."""
    from ktmsc.example import example_participants

    return example_participants(questionnaire(), lang)
