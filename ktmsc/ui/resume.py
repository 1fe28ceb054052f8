"""The way back to an assessment: its resume link to copy or to mail oneself, offered on the
questions page as soon as the first answer is saved and kept in the sidebar while answering.

The link is the assessment's edit link (:func:`ktmsc.ui.links.resume_link`); the e-mail is a
``mailto:`` link, so the person's own mail program sends it and nothing leaves the server.
"""

from __future__ import annotations

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.texts import t
from ktmsc.ui import links, session

_DISMISSED_KEY = "resume.dismissed"  # ids of assessments whose offer this session put away


def name_of(cur: session.Current, lang: Lang) -> str:
    return cur.assessment.profile.name or t("ui.frame.unnamed", lang)


def link_box(lang: Lang, cur: session.Current, key: str) -> None:
    """The resume link with a copy button, "send it to myself" and who the link lets in."""
    st.code(links.resume_link(lang, cur), language=None, wrap_lines=True)
    st.link_button(
        t("ui.resume.mail", lang),
        links.mail_to_self(lang, cur, name_of(cur, lang)),
        icon=":material/mail:",
        help=t("ui.resume.mail_help", lang),
        key=f"{key}.mail",
    )
    st.caption(t("ui.data.resume_warning", lang))


def offer(lang: Lang, cur: session.Current) -> None:
    """On the questions page, from the first saved answer until the person puts it away."""
    if cur.read_only or not cur.assessment.answers or cur.id in st.session_state.get(_DISMISSED_KEY, ()):
        return
    with st.container(border=True, key="resume.offer"):
        st.markdown(t("ui.resume.offer", lang))
        link_box(lang, cur, "resume.offer")
        st.button(
            t("ui.resume.dismiss", lang),
            icon=":material/check:",
            on_click=_dismiss,
            args=(cur.id,),
        )


def _dismiss(assessment_id: str) -> None:
    st.session_state[_DISMISSED_KEY] = {*st.session_state.get(_DISMISSED_KEY, ()), assessment_id}


def sidebar_reminder(lang: Lang, cur: session.Current) -> None:
    """In the sidebar while an assessment is open for editing."""
    if cur.read_only:
        return
    with st.expander(t("ui.resume.sidebar", lang), icon=":material/link:"):
        st.caption(t("ui.resume.sidebar_help", lang))
        link_box(lang, cur, "resume.sidebar")
