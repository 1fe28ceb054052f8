"""Comparison round: a host creates a round from a list of municipalities, hands out one
personal invitation each and sees who has started and finished and the round's figures –
never a rank, never another municipality's name beside a score, no group smaller than the
minimum. An invited municipality opens its invitation here and answers in the usual questions."""

import streamlit as st

from ktmsc.model.schema import GENERAL
from ktmsc.texts import t
from ktmsc.ui import frame, host_views, links, round_session, session
from ktmsc.ui.safe import md

KEY_STATE = "round.key"

lang = frame.lang()
q = session.questionnaire()

# --- an invited municipality ---------------------------------------------------------------

invite = st.query_params.get(links.INVITE_PARAM)
if invite:
    st.set_page_config(layout="centered")
    st.title(t("rounds.invite.title", lang))
    found = round_session.invitation(invite)
    if found is None:
        st.error(t("rounds.invite.unknown", lang), icon=":material/link_off:")
        st.stop()
    round_, member = found
    st.subheader(md(round_.title))
    st.caption(
        " · ".join(
            [
                md(member.name),
                host_views.period(round_, lang),
                ", ".join(q.domain(d).name.get(lang) for d in round_.domains),
            ]
        )
    )
    if member.assessment_id is None and not host_views.accepts_today(round_):
        st.warning(
            t("rounds.invite.not_open", lang, period=host_views.period(round_, lang)), icon=":material/event_busy:"
        )
        st.stop()
    st.markdown(t("rounds.invite.explain", lang, minimum=q.model.rounds.min_group))
    st.info(t("rounds.invite.keep_link", lang), icon=":material/bookmark:")
    label = "rounds.invite.continue" if member.assessment_id else "rounds.invite.start"
    if st.button(t(label, lang), type="primary", icon=":material/arrow_forward:", width="stretch"):
        started = member.assessment_id is None
        opened = round_session.take_up(invite, found)
        st.query_params.pop(links.INVITE_PARAM, None)
        if started:
            session.save_step(GENERAL)
        st.switch_page(links.page_path("questions"), query_params=links.params(lang, opened))
    st.stop()

# --- the host ------------------------------------------------------------------------------

# The host key lives in the URL of this page only; page switches drop it, the session keeps it.
key = st.query_params.get(links.HOST_PARAM) or st.session_state.get(KEY_STATE)
round_ = round_session.round_for_host(key) if key else None
st.set_page_config(layout="wide" if round_ else "centered")
st.title(t("rounds.title", lang))

if key and round_ is None:
    st.error(t("rounds.invalid_key", lang), icon=":material/lock:")
    st.session_state.pop(KEY_STATE, None)
    st.query_params.pop(links.HOST_PARAM, None)
    if st.button(t("rounds.new", lang), icon=":material/add:"):
        st.rerun()
    st.stop()

if round_ is None:
    st.markdown(t("rounds.intro", lang, minimum=q.model.rounds.min_group))
    created = host_views.create_form(q, lang)
    if created is not None:
        st.session_state[KEY_STATE] = created.host_key
        host_views.keep_invitations(created.round.id, created.invitations)
        st.query_params[links.HOST_PARAM] = created.host_key
        st.rerun()
    st.stop()

st.session_state[KEY_STATE] = key
if st.query_params.get(links.HOST_PARAM) != key:
    st.query_params[links.HOST_PARAM] = key

st.subheader(md(round_.title))
st.caption(
    " · ".join(
        [
            host_views.period(round_, lang),
            ", ".join(q.domain(d).name.get(lang) for d in round_.domains),
            next(p.name.get(lang) for p in q.model.profile.perspectives if p.id == round_.perspective),
        ]
    )
)

with st.expander(t("rounds.host_link", lang), icon=":material/key:"):
    st.markdown(t("rounds.host_link_intro", lang))
    st.code(links.host_link(lang, key), language=None, wrap_lines=True)
with st.expander(t("rounds.invite.links", lang), icon=":material/mail:", expanded=host_views.has_fresh(round_)):
    host_views.invitations(q, round_, lang)

found, _ = round_session.scored(round_)
st.subheader(t("rounds.status.title", lang))
host_views.status(q, round_, found, lang)
st.subheader(t("rounds.figures.title", lang))
host_views.figures(q, round_, lang)

with st.expander(t("rounds.delete.title", lang), icon=":material/delete:"):
    st.markdown(t("rounds.delete.explain", lang))
    sure = st.checkbox(t("rounds.delete.confirm", lang), key="round.delete_sure")
    if st.button(t("rounds.delete.button", lang), disabled=not sure, icon=":material/delete_forever:"):
        round_session.delete_round(round_.id)
        st.session_state.pop(KEY_STATE, None)
        st.query_params.pop(links.HOST_PARAM, None)
        session.notice("rounds.delete.done")
        st.rerun()
