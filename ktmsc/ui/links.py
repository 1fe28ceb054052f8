"""Links that carry an assessment or a workshop: resume, share, join, facilitate.

The address people see comes from the browser (``st.context.url``) unless
``KTMSC_PUBLIC_URL`` names the public address (behind a proxy or load balancer).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlencode, urlsplit

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.storage import tokens
from ktmsc.ui import session

PAGE_NAMES = ("start", "questions", "results", "method", "data", "workshop", "join")


def base_url() -> str:
    configured = os.environ.get("KTMSC_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    url = (st.context.url or "http://localhost:8501").rstrip("/")
    for name in PAGE_NAMES:
        if url.endswith("/" + name):
            return url[: -len(name) - 1]
    return url


def link(page: str, **params: str) -> str:
    return f"{base_url()}/{page}?{urlencode(params)}"


def params(lang: Lang, cur: session.Current | None) -> dict[str, str]:
    """Query parameters that keep language and token across a page switch."""
    out = {"lang": lang}
    if cur is not None:
        if cur.read_only:
            out[session.SHARE_PARAM] = cur.share_token
        else:
            out[session.EDIT_PARAM] = cur.edit_token
    return out


def resume_link(lang: Lang, cur: session.Current) -> str:
    return link("questions", lang=lang, **{session.EDIT_PARAM: cur.edit_token})


def share_link(lang: Lang, cur: session.Current) -> str:
    return link("results", lang=lang, **{session.SHARE_PARAM: cur.share_token})


def token_from(text: str, param: str = session.EDIT_PARAM) -> str | None:
    """The token in a pasted link, or the pasted token itself."""
    text = text.strip()
    if "?" in text or "://" in text:
        values = parse_qs(urlsplit(text).query).get(param)
        text = values[0] if values else ""
    return text if tokens.is_token(text) else None
