"""The frame around every page: language, navigation, sidebar and the URL, and what the
browser keeps (:mod:`ktmsc.ui.device`: the page's ``lang``, the remembered assessment).

Only the language and an opaque token live in the URL (:mod:`ktmsc.ui.links` names
them); page switches clear query parameters, so the frame puts them back on every run.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ktmsc.i18n import DEFAULT_LANG, ENDONYMS, LANGS, Lang, normalise_lang
from ktmsc.labels import counted, fmt_time
from ktmsc.storage.errors import is_database_failure
from ktmsc.texts import t
from ktmsc.ui import device, journal, links, resume, session

log = logging.getLogger(__name__)

LANG_KEY = "frame.lang"
TOGGLE_KEY = "frame.lang_toggle"
# The few rules the theme cannot set (tap targets on phones); read once per process.
STYLE = Path(__file__).with_name("style.css").read_text(encoding="utf-8")


def style() -> None:
    """The app's CSS (ktmsc/ui/style.css). HTML only for this: style-only HTML takes no room
    on the page (Streamlit puts it in its event container), and no data ever goes into it."""
    st.html(f"<style>{STYLE}</style>")


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
    def page(name: str, icon: str) -> st.Page:
        return st.Page(
            links.page_path(name),
            title=t(f"ui.nav.{name}", lang),
            icon=icon,
            url_path=name,
            default=name == links.DEFAULT_PAGE,
        )

    return {
        t("ui.nav.section_check", lang): [
            page("start", ":material/home:"),
            page("questions", ":material/checklist:"),
            page("results", ":material/insights:"),
        ],
        t("ui.nav.section_workshop", lang): [
            page("join", ":material/login:"),
            page("workshop", ":material/groups:"),
            page("round", ":material/hub:"),
        ],
        t("ui.nav.section_more", lang): [
            page("method", ":material/menu_book:"),
            page("data", ":material/folder_open:"),
        ],
    }


OWN_LAYOUT = ("workshop", "round")  # pages that set their layout themselves (wide for a workshop's dashboard)


def layout(page: st.Page) -> None:
    """The centred layout, except on a page that sets its own. Each run sets the layout once:
    Streamlit's browser side (1.67) compares a layout with the one it drew last, so of two
    different layouts in one run (centred, then wide) the second can be lost."""
    if page.url_path not in OWN_LAYOUT:
        st.set_page_config(layout="centered")


def keep_url_state(lang: Lang, cur: session.Current | None) -> None:
    """Write the language and the current token back into the URL when a page switch dropped them.

    Not on the projector view: the room sees its address bar, and an assessment the
    facilitator has open is nobody else's business (its token would be the key to it)."""
    projecting = _projecting()
    for key, value in links.params(lang, cur).items():
        if projecting and key != links.LANG_PARAM:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _projecting() -> bool:
    """The facilitator's projector view is open: what the room sees carries no token."""
    return st.query_params.get(links.VIEW_PARAM) == links.PROJECTOR_VIEW


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
            elif cur.workshop_closed:
                st.caption(t("ui.frame.workshop_closed", lang))
            elif cur.failed:
                st.session_state[_FULL_RUN_KEY] = True
                _pending(lang)
            elif cur.saved_at is not None:
                st.caption(t("ui.frame.saved_at", lang, time=fmt_time(cur.saved_at, lang)))
            if not _projecting():  # the resume link holds the token
                resume.sidebar_reminder(lang, cur)
        device.apply(lang, cur)  # last: these draw nothing
        journal.apply(cur)


_FULL_RUN_KEY = "frame.pending_full_run"
RETRY_SECONDS = 5  # how often a tab with unsaved changes tries the database again on its own


@st.fragment(run_every=RETRY_SECONDS)
def _pending(lang: Lang) -> None:
    """While changes are pending: say so instead of "saved at", and retry every few seconds
    without waiting for the next input (a full run has just retried them already)."""
    if not st.session_state.pop(_FULL_RUN_KEY, False) and session.retry_pending():
        st.rerun(scope="app")  # all saved: the page and the sidebar show it
    cur = session.active()
    if cur is not None and cur.failed:
        with st.container(key=PENDING_KEY):
            st.warning(counted("ui.session.unsaved", session.pending(cur), lang), icon=":material/sync_problem:")
            # Our own fixed script, no data in it: the only way to have the browser ask before
            # a reload or a closed tab drops what is pending (Streamlit has no option for it).
            st.html(LEAVE_GUARD, unsafe_allow_javascript=True)


PENDING_KEY = "frame-pending"
# Registered once per page; asks only while the pending notice is on the page, so it stops
# asking by itself when the retry has saved everything.
LEAVE_GUARD = f"""<script>
if (!window.ktmscLeaveGuard) {{
  window.ktmscLeaveGuard = true;
  window.addEventListener("beforeunload", (event) => {{
    if (document.querySelector(".st-key-{PENDING_KEY}")) {{
      event.preventDefault();
      event.returnValue = "";
    }}
  }});
}}
</script>"""


def run(navigation: StreamlitPage, lang: Lang) -> None:
    """Run the chosen page. When the database fails in the middle of an action (a button that
    creates, deletes or imports), the person gets a message in their language instead of a
    traceback page, and the widgets keep what they entered; anything else is a bug and is raised."""
    try:
        navigation.run()
    except Exception as exc:
        if not is_database_failure(exc):
            raise
        log.exception("the database failed during a page run")
        st.error(t("ui.session.database_down", lang), icon=":material/cloud_off:")


def show_notice(lang: Lang) -> None:
    """A one-time notice, and on every page of the invented example the note that it is one."""
    key = session.notice()
    if key:
        st.warning(t(key, lang))
    journal.notice(lang)
    cur = session.active()
    if cur is not None and cur.example:
        _example_note(lang, cur)


def _example_note(lang: Lang, cur: session.Current) -> None:
    with st.container(border=True, key="frame.example"):
        st.markdown(t("ui.example.note", lang))
        columns = st.columns(3)
        columns[0].page_link(
            links.page_path("results"),
            label=t("ui.example.to_results", lang),
            icon=":material/insights:",
            query_params=links.params(lang, cur),
        )
        columns[1].page_link(
            links.page_path("workshop"),
            label=t("ui.example.to_workshop", lang),
            icon=":material/groups:",
            query_params=links.params(lang, cur),
        )
        if columns[2].button(t("ui.example.leave", lang), icon=":material/logout:", key="frame.example.leave"):
            back = session.leave_example()
            st.switch_page(links.page_path("start"), query_params=links.params(lang, back))
