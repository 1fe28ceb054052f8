"""The frame around every page: language, navigation, sidebar and the URL.

Only the language and an opaque token live in the URL (:mod:`ktmsc.ui.links` names
them); page switches clear query parameters, so the frame puts them back on every run.
"""

from __future__ import annotations

import streamlit as st

from ktmsc.i18n import DEFAULT_LANG, ENDONYMS, LANGS, Lang, normalise_lang
from ktmsc.labels import fmt_time
from ktmsc.texts import t
from ktmsc.ui import links, session

LANG_KEY = "frame.lang"
TOGGLE_KEY = "frame.lang_toggle"


def lang() -> Lang:
    """This run's language: the URL wins, then the session's choice, then German."""
    param = st.query_params.get(links.LANG_PARAM)
    if param:
        st.session_state[LANG_KEY] = normalise_lang(param)
    return st.session_state.get(LANG_KEY, DEFAULT_LANG)


def _switch_language() -> None:
    chosen = st.session_state.get(TOGGLE_KEY)
    if chosen in LANGS:
        st.session_state[LANG_KEY] = chosen
        st.query_params[links.LANG_PARAM] = chosen


def pages(lang: Lang) -> dict[str, list[st.Page]]:
    def page(name: str, icon: str, default: bool = False) -> st.Page:
        return st.Page(
            links.page_path(name), title=t(f"ui.nav.{name}", lang), icon=icon, url_path=name, default=default
        )

    return {
        t("ui.nav.section_check", lang): [
            page("start", ":material/home:", default=True),
            page("questions", ":material/checklist:"),
            page("results", ":material/insights:"),
        ],
        t("ui.nav.section_workshop", lang): [
            page("join", ":material/login:"),
            page("workshop", ":material/groups:"),
        ],
        t("ui.nav.section_more", lang): [
            page("method", ":material/menu_book:"),
            page("data", ":material/folder_open:"),
        ],
    }


def keep_url_state(lang: Lang, cur: session.Current | None) -> None:
    """Write the language and the current token back into the URL when a page switch dropped them."""
    for key, value in links.params(lang, cur).items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def sidebar(lang: Lang, cur: session.Current | None) -> None:
    with st.sidebar:
        st.session_state[TOGGLE_KEY] = lang
        # A radio, not a segmented control: Streamlit writes a selected segment in the
        # primary colour, which cannot pass contrast in both themes together with
        # white text on primary buttons.
        st.radio(
            t("ui.frame.language", lang),
            options=list(LANGS),
            format_func=ENDONYMS.get,
            key=TOGGLE_KEY,
            on_change=_switch_language,
            horizontal=True,
        )
        if cur is not None:
            name = cur.assessment.profile.name or t("ui.frame.unnamed", lang)
            st.caption(t("ui.frame.current", lang))
            st.text(name)
            if cur.example:
                st.caption(t("ui.example.read_only", lang))
            elif cur.read_only:
                st.caption(t("ui.frame.read_only", lang))
            elif cur.saved_at is not None:
                st.caption(t("ui.frame.saved_at", lang, time=fmt_time(cur.saved_at)))
            if cur.failed:
                st.warning(t("ui.session.unsaved", lang, count=len(cur.failed)))


def show_notice(lang: Lang) -> None:
    """A one-time notice, and on every page of the invented example the note that it is one."""
    key = session.notice()
    if key:
        st.warning(t(key, lang))
    cur = session.active()
    if cur is not None and cur.example:
        _example_note(lang)


def _example_note(lang: Lang) -> None:
    with st.container(border=True, key="frame.example"):
        st.markdown(t("ui.example.note", lang))
        columns = st.columns(3)
        columns[0].page_link(
            links.page_path("results"),
            label=t("ui.example.to_results", lang),
            icon=":material/insights:",
            query_params=links.params(lang, session.active()),
        )
        columns[1].page_link(
            links.page_path("workshop"),
            label=t("ui.example.to_workshop", lang),
            icon=":material/groups:",
            query_params=links.params(lang, session.active()),
        )
        if columns[2].button(t("ui.example.leave", lang), icon=":material/logout:", key="frame.example.leave"):
            back = session.leave_example()
            st.switch_page(links.page_path("start"), query_params=links.params(lang, back))
