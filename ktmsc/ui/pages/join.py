"""Join a workshop (participant): open the link or type the code, give an optional pseudonym.
A device that joined this workshop before offers to continue as that participant, or to join
as a new one ("Not you?")."""

import streamlit as st

from ktmsc.labels import fmt_join_code
from ktmsc.model.limits import MAX_CODE_INPUT, MAX_PSEUDONYM, MAX_ROLE
from ktmsc.model.schema import GENERAL
from ktmsc.storage import NotInSecondRound, WorkshopClosed
from ktmsc.texts import t
from ktmsc.ui import device, frame, links, session, workshop_session
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
cur = session.active()

st.title(t("ui.join.title", lang))

if cur is not None and cur.kind == "participant":
    workshop = workshop_session.workshop_of(cur)
    if workshop is not None:
        st.info(t("ui.join.already", lang, title=md(workshop.title)), icon=":material/how_to_reg:")
        if st.button(t("ui.join.continue", lang), type="primary", icon=":material/play_arrow:"):
            st.switch_page(links.page_path("questions"), query_params=links.params(lang, cur))
        st.divider()

token = st.query_params.get(links.JOIN_PARAM)
if token:
    st.session_state["join.token"] = token
token = token or st.session_state.get("join.token")

if not token:
    st.markdown(t("ui.join.intro", lang))
    code = st.text_input(
        t("ui.join.code", lang),
        max_chars=MAX_CODE_INPUT,
        key="join.code",
        placeholder=fmt_join_code("ACDE4FGH"),
        help=t("ui.join.code_help", lang),
    )
    if st.button(t("ui.join.find", lang), type="primary", disabled=not code.strip()):
        try:
            found = workshop_session.workshop_by_join(code)
        except workshop_session.JoinThrottled as wait:
            st.error(t("ui.join.throttled", lang, seconds=wait.seconds), icon=":material/hourglass_top:")
        else:
            if found is None:
                st.error(t("ui.join.unknown", lang), icon=":material/search_off:")
            else:
                st.session_state["join.token"] = found.join_token  # reruns need no code lookup
                st.rerun()
    st.stop()

try:
    workshop = workshop_session.workshop_by_join(token)
except workshop_session.JoinThrottled as wait:
    st.error(t("ui.join.throttled", lang, seconds=wait.seconds), icon=":material/hourglass_top:")
    st.stop()
if workshop is None:
    st.session_state.pop("join.token", None)
    st.query_params.pop(links.JOIN_PARAM, None)
    st.error(t("ui.join.unknown", lang), icon=":material/search_off:")
    st.stop()

st.subheader(md(workshop.title))
details = [workshop.profile.name, ", ".join(q.domain(d).name.get(lang) for d in workshop.domains)]
st.caption(" · ".join(md(d) for d in details if d))
mine = device.remembered_participant(workshop)
if not workshop.is_open:
    if mine is not None:  # nothing to continue: the device forgets it at once
        device.forget_participant()
    st.warning(t("ui.join.closed", lang), icon=":material/lock:")
    st.stop()

if mine is not None and (cur is None or cur.id != mine[0].id):
    stored, edit_token = mine
    shown = md(stored.participant_name or t("ui.join.no_name", lang))
    with st.container(border=True, key="join.remembered"):
        st.markdown(t("ui.join.remembered", lang, name=shown))
        if st.button(
            t("ui.join.resume", lang, name=shown), type="primary", icon=":material/play_arrow:", width="stretch"
        ):
            device.remember_participant(edit_token, workshop)
            resumed = session.resume(stored, edit_token)
            st.session_state.pop("join.token", None)
            st.switch_page(links.page_path("questions"), query_params=links.params(lang, resumed))
        if st.button(t("ui.join.not_me", lang), icon=":material/person_add:", help=t("ui.join.not_me_help", lang)):
            device.forget_participant()
            st.rerun()
        st.caption(t("ui.join.device_note", lang, hours=device.PARTICIPANT_HOURS))
    st.stop()

if workshop.in_second_round:  # nobody new joins the second round
    st.info(t("workshop.second_round.no_join", lang), icon=":material/replay:")
    st.stop()

st.markdown(t("ui.join.explain", lang))
name = st.text_input(
    t("ui.join.pseudonym", lang), max_chars=MAX_PSEUDONYM, key="join.name", help=t("ui.join.pseudonym_help", lang)
)
role = st.text_input(
    t("ui.join.role", lang), max_chars=MAX_ROLE, key="join.role", placeholder=t("ui.join.role_placeholder", lang)
)
st.caption(t("ui.join.device_note", lang, hours=device.PARTICIPANT_HOURS))
if st.button(t("ui.join.start", lang), type="primary", icon=":material/arrow_forward:", width="stretch"):
    try:
        joined = session.join_workshop(workshop, name, role)
    except WorkshopClosed:  # closed between showing the page and the click
        st.warning(t("ui.join.closed", lang), icon=":material/lock:")
        st.stop()
    except NotInSecondRound:  # the second round opened between showing the page and the click
        st.info(t("workshop.second_round.no_join", lang), icon=":material/replay:")
        st.stop()
    device.remember_participant(joined.edit_token, workshop)
    session.save_step(GENERAL)
    st.session_state.pop("join.token", None)
    st.switch_page(links.page_path("questions"), query_params=links.params(lang, joined))
