"""Every URL parameter and page name of the app, and the links built from them: resume,
share, join, facilitate, and the e-mail a person sends themselves with the resume link.

The URL holds only the language and opaque tokens, never answers. The address people see
comes from the browser (``st.context.url``) unless ``KTMSC_PUBLIC_URL`` names the public
address (behind a proxy or load balancer). This module is the bottom of ``ktmsc.ui``: the
session and the frame build on it, it imports neither.
"""

from __future__ import annotations

import os
from typing import Protocol
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.storage import tokens
from ktmsc.texts import t

LANG_PARAM = "lang"
EDIT_PARAM = "a"  # resume token: the assessment, editable
SHARE_PARAM = "s"  # share token: the assessment's results, read-only
EXAMPLE_SHARE = "example"  # the share parameter's value that opens the invented example (never stored)
JOIN_PARAM = "w"  # a workshop's join token (participants)
KEY_PARAM = "f"  # a workshop's facilitator key
VIEW_PARAM = "view"  # how the facilitator's page shows the workshop: the dashboard, or …
PROJECTOR_VIEW = "projector"  # … the projector view (code, QR code, square charts, one agenda question)
INVITE_PARAM = "r"  # a round's invitation of one municipality (also its resume token)
HOST_PARAM = "h"  # a round's host key

PAGES_DIR = "ktmsc/ui/pages"
PAGE_NAMES = ("start", "questions", "results", "method", "data", "workshop", "join", "round")
DEFAULT_PAGE = "start"  # served at the app's root: "/start" is no page of its own
PAGE_URL_PATHS = tuple(name for name in PAGE_NAMES if name != DEFAULT_PAGE)


class Tokens(Protocol):
    """What a link needs of the current assessment (``ktmsc.ui.session.Current``)."""

    share_token: str
    edit_token: str | None

    @property
    def read_only(self) -> bool: ...


def page_path(name: str) -> str:
    return f"{PAGES_DIR}/{name}.py"


def base_url() -> str:
    configured = os.environ.get("KTMSC_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    url = (st.context.url or "http://localhost:8501").rstrip("/")
    for name in PAGE_NAMES:
        if url.endswith("/" + name):
            return url[: -len(name) - 1]
    return url


def link(page: str, lang: Lang, **params: str) -> str:
    return f"{base_url()}/{page}?{urlencode({LANG_PARAM: lang, **params})}"


def params(lang: Lang, cur: Tokens | None = None) -> dict[str, str]:
    """Query parameters that keep language and token across a page switch."""
    out = {LANG_PARAM: lang}
    if cur is not None:
        if cur.read_only:
            out[SHARE_PARAM] = cur.share_token
        else:
            out[EDIT_PARAM] = cur.edit_token
    return out


def resume_link(lang: Lang, cur: Tokens) -> str:
    return link("questions", lang, **{EDIT_PARAM: cur.edit_token})


def mail_to_self(lang: Lang, cur: Tokens, name: str) -> str:
    """A ``mailto:`` link without a recipient: the person's own mail program opens with the
    resume link in a message to fill in their address, so the link never passes the server."""
    subject = t("ui.resume.mail_subject", lang, name=name)
    body = t("ui.resume.mail_body", lang, name=name, link=resume_link(lang, cur)).replace("\n", "\r\n")  # RFC 6068
    return f"mailto:?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def base_path() -> str:
    """The path the app is served under as the browser sees it: "/" or e.g. "/selfcheck"."""
    return urlsplit(base_url()).path.rstrip("/") or "/"


def share_link(lang: Lang, cur: Tokens) -> str:
    return link("results", lang, **{SHARE_PARAM: cur.share_token})


def join_link(lang: Lang, join_token: str) -> str:
    return link("join", lang, **{JOIN_PARAM: join_token})


def facilitator_link(lang: Lang, key: str) -> str:
    return link("workshop", lang, **{KEY_PARAM: key})


def invitation_link(lang: Lang, token: str) -> str:
    return link("round", lang, **{INVITE_PARAM: token})


def host_link(lang: Lang, key: str) -> str:
    return link("round", lang, **{HOST_PARAM: key})


def token_from(text: str, param: str = EDIT_PARAM) -> str | None:
    """The token in a pasted link, or the pasted token itself."""
    text = text.strip()
    if "?" in text or "://" in text:
        values = parse_qs(urlsplit(text).query).get(param)
        text = values[0] if values else ""
    return text if tokens.is_token(text) else None
