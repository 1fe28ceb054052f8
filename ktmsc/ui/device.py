"""What this browser keeps between visits, and the language the page declares.

A browser that worked on an assessment remembers its resume token, so opening the app
again offers "continue" instead of an empty form. The token lives in this browser only,
in one cookie; the server keeps no list of browsers. Whoever uses the browser can
continue, so the start page and "My data" offer to forget it (docs/DATA.md,
docs/SECURITY.md).

Streamlit 1.67 reads cookies (``st.context.cookies``: those the browser sent when the
session began) but cannot set one, and it has no setting for ``<html lang>``. One tiny
component (``st.components.v2``, inline JavaScript, nothing fetched from anywhere) does
both: it sets ``document.documentElement.lang`` and writes or clears the cookie. The
values reach it as data, never as code. It is drawn on a session's first run and whenever
the language or the cookie changes; what it set stays when later runs leave it out, so the
other runs cost nothing. JavaScript cannot set an HttpOnly cookie; the cookie is
``SameSite=Strict``, ``Secure`` when the page came over https, limited to the app's path
and kept ``REMEMBER_DAYS`` after the last visit.

A workshop participant's device remembers that participation in a second cookie, so that
joining the same workshop again after a lost tab continues as the same participant instead
of adding one. In a workshop devices are passed around, so it is kept short: it holds only
the participant's edit token, counts only on that workshop's join page, and lasts until the
workshop closes, at most ``PARTICIPANT_HOURS``; the join page offers "Not you? Join as a new
participant", which clears it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.storage import StoredAssessment, Workshop, tokens
from ktmsc.ui import links, session

COOKIE = "ktmsc_resume"
REMEMBER_DAYS = 30  # after the last visit; every visit that works on the assessment renews it

_KNOWN_KEY = "device.token"  # what this browser holds, as far as this session knows ("" for nothing)
_WRITE_KEY = "device.write"  # what this session has decided the cookie holds (absent: leave it alone)
_SENT_KEY = "device.sent"  # the data the component last got in this session

PARTICIPANT_COOKIE = "ktmsc_participant"
PARTICIPANT_HOURS = 12  # from joining (or rejoining) on this device; never beyond the workshop's closing time
_PARTICIPANT_KNOWN_KEY = "device.participant"  # the participant token this browser holds ("" for nothing)
_PARTICIPANT_WRITE_KEY = "device.participant_write"  # (token, max age) to write; absent: leave it alone

_JS = """
export default function ({ data }) {
  document.documentElement.lang = data.lang;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  for (const cookie of [data.cookie, data.participant]) {
    if (cookie) {
      document.cookie = `${cookie.name}=${cookie.value}; Max-Age=${cookie.max_age}; ` +
        `Path=${cookie.path}; SameSite=Strict${secure}`;
    }
  }
}
"""

_effects = st.components.v2.component("ktmsc.device", js=_JS)


def remembered() -> str | None:
    """The resume token this browser remembers, or None."""
    if _KNOWN_KEY not in st.session_state:
        sent = st.context.cookies.get(COOKIE) or ""
        st.session_state[_KNOWN_KEY] = sent if tokens.is_token(sent) else ""
    return st.session_state[_KNOWN_KEY] or None


def remembered_assessment() -> StoredAssessment | None:
    """The assessment this browser remembers; a token that opens nothing any more (deleted,
    or removed by the retention period) is forgotten."""
    token = remembered()
    if token is None:
        return None
    stored = session.find_for_edit(token)
    if stored is None:
        forget()
    return stored


def remember(token: str) -> None:
    st.session_state[_KNOWN_KEY] = st.session_state[_WRITE_KEY] = token


def forget() -> None:
    """This browser forgets the assessment (it stays in the database; its link still works)."""
    st.session_state[_KNOWN_KEY] = st.session_state[_WRITE_KEY] = ""


def remembered_participant(workshop: Workshop) -> tuple[StoredAssessment, str] | None:
    """The participant of this workshop this browser joined as, with its edit token, or None.
    A token that opens nothing any more (removed, merged, deleted) is forgotten; one of another
    workshop counts for nothing here."""
    if _PARTICIPANT_KNOWN_KEY not in st.session_state:
        sent = st.context.cookies.get(PARTICIPANT_COOKIE) or ""
        st.session_state[_PARTICIPANT_KNOWN_KEY] = sent if tokens.is_token(sent) else ""
    token = st.session_state[_PARTICIPANT_KNOWN_KEY]
    if not token:
        return None
    stored = session.find_for_edit(token)
    if stored is None:
        forget_participant()
        return None
    if stored.kind != "participant" or stored.workshop_id != workshop.id:
        return None
    return stored, token


def participant_seconds(workshop: Workshop, now: datetime | None = None) -> int:
    """How long the participant cookie lasts: ``PARTICIPANT_HOURS``, or less when the workshop
    closes sooner (at least a second: a cookie with no age is a deleted one)."""
    seconds = PARTICIPANT_HOURS * 3600
    if workshop.closes_at is not None:
        seconds = min(seconds, int((workshop.closes_at - (now or datetime.now(UTC))).total_seconds()))
    return max(1, seconds)


def remember_participant(token: str, workshop: Workshop) -> None:
    st.session_state[_PARTICIPANT_KNOWN_KEY] = token
    st.session_state[_PARTICIPANT_WRITE_KEY] = (token, participant_seconds(workshop))


def forget_participant() -> None:
    """This browser forgets the workshop participation (its answers stay in the workshop)."""
    st.session_state[_PARTICIPANT_KNOWN_KEY] = ""
    st.session_state[_PARTICIPANT_WRITE_KEY] = ("", 0)


def _cookie(name: str, value: str, max_age: int) -> dict[str, object]:
    return {"name": name, "value": value, "max_age": max_age if value else 0, "path": links.base_path()}


def apply(lang: Lang, cur: session.Current | None) -> None:
    """Once per run, in the sidebar: the page's language, and the cookie for the assessment
    this tab works on (drawn only when either changed in this session)."""
    if cur is not None and not cur.read_only and cur.kind == "self" and cur.edit_token:
        remember(cur.edit_token)
    value = st.session_state.get(_WRITE_KEY)
    cookie = None if value is None else _cookie(COOKIE, value, REMEMBER_DAYS * 24 * 3600)
    written = st.session_state.get(_PARTICIPANT_WRITE_KEY)
    participant = None if written is None else _cookie(PARTICIPANT_COOKIE, *written)
    data = {"lang": lang, "cookie": cookie, "participant": participant}
    if st.session_state.get(_SENT_KEY) != data:
        st.session_state[_SENT_KEY] = data
        _effects(data=data, key="device.effects", height=0)
