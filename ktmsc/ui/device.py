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

Workshop participation is not remembered: in a workshop, devices are passed around.
"""

from __future__ import annotations

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.storage import StoredAssessment, tokens
from ktmsc.ui import links, session

COOKIE = "ktmsc_resume"
REMEMBER_DAYS = 30  # after the last visit; every visit that works on the assessment renews it

_KNOWN_KEY = "device.token"  # what this browser holds, as far as this session knows ("" for nothing)
_WRITE_KEY = "device.write"  # what this session has decided the cookie holds (absent: leave it alone)
_SENT_KEY = "device.sent"  # the data the component last got in this session

_JS = """
export default function ({ data }) {
  document.documentElement.lang = data.lang;
  const cookie = data.cookie;
  if (cookie) {
    const secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${cookie.name}=${cookie.value}; Max-Age=${cookie.max_age}; ` +
      `Path=${cookie.path}; SameSite=Strict${secure}`;
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


def apply(lang: Lang, cur: session.Current | None) -> None:
    """Once per run, in the sidebar: the page's language, and the cookie for the assessment
    this tab works on (drawn only when either changed in this session)."""
    if cur is not None and not cur.read_only and cur.kind == "self" and cur.edit_token:
        remember(cur.edit_token)
    value = st.session_state.get(_WRITE_KEY)
    cookie = None
    if value is not None:
        cookie = {
            "name": COOKIE,
            "value": value,
            "max_age": REMEMBER_DAYS * 24 * 3600 if value else 0,
            "path": links.base_path(),
        }
    data = {"lang": lang, "cookie": cookie}
    if st.session_state.get(_SENT_KEY) != data:
        st.session_state[_SENT_KEY] = data
        _effects(data=data, key="device.effects", height=0)
