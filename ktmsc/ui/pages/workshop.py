"""Workshop (facilitator): create a workshop, share the links, watch the group and its disagreements,
merge or remove participants or delete the workshop; or, for a projector, the code, the QR code, a square
chart and the agenda one question at a time, with no trace of the facilitator key. While the
invented example is open: its workshop's dashboard, read-only, without links, keys or anything
that changes it."""

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from ktmsc.labels import TIMEZONE, date_input_format, fmt_datetime, fmt_join_code
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.limits import MAX_NAME, MAX_POPULATION, MAX_TITLE
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.qr import qr_png
from ktmsc.report import build_questionnaire_pdf
from ktmsc.texts import t
from ktmsc.ui import (
    frame,
    invitation_views,
    links,
    pacing_views,
    second_round_views,
    session,
    views,
    workshop_session,
    workshop_views,
)
from ktmsc.ui.safe import md

KEY_STATE = "workshop.key"
CREATE = "workshop.create"  # key prefix of the creation form's fields

lang = frame.lang()
q = session.questionnaire()
projecting = st.query_params.get(links.VIEW_PARAM) == links.PROJECTOR_VIEW

# --- the invented example's workshop (a facilitator key wins: in the URL, or kept while projecting) ---

has_key = st.query_params.get(links.KEY_PARAM) or (projecting and st.session_state.get(KEY_STATE))
example = None if has_key else workshop_session.example_workshop(lang)
if example is not None:
    st.set_page_config(layout="wide")
    st.title(md(example.title))
    st.caption(
        " · ".join(md(f) for f in (example.profile.name, *(q.domain(d).name.get(lang) for d in example.domains)))
    )
    people = workshop_session.example_people(lang)
    st.info(t("ui.example.workshop_intro", lang, count=len(people)), icon=":material/visibility:")
    workshop_views.board(q, example, people, lang, editable=False)
    st.stop()

# The facilitator key lives in the URL of this page only; page switches drop it, the session keeps it.
key = st.query_params.get(links.KEY_PARAM) or st.session_state.get(KEY_STATE)
workshop = workshop_session.workshop_for_facilitator(key) if key else None
if workshop is None:
    st.set_page_config(layout="centered")  # the one layout of this run (frame.layout)
if key and workshop is None:
    st.title(t("ui.workshop.title", lang))
    st.error(t("ui.workshop.invalid_key", lang), icon=":material/lock:")
    st.session_state.pop(KEY_STATE, None)
    st.query_params.pop(links.KEY_PARAM, None)
    if st.button(t("ui.workshop.new", lang), icon=":material/add:"):
        st.rerun()
    st.stop()

if workshop is None:
    st.title(t("ui.workshop.title", lang))
    if projecting:  # reloaded: the projector view's address holds no key
        st.info(t("workshop.projector.needs_link", lang), icon=":material/key:")
    st.markdown(t("ui.workshop.intro", lang))
    # No st.form: a form tells the script nothing before it is sent, so it could not hide
    # the closing time while "close automatically" is off. Every field keeps its value
    # across the reruns; the button checks them all at once.
    with st.container(border=True):
        st.subheader(t("ui.workshop.create", lang))
        title = st.text_input(
            t("ui.workshop.name", lang),
            max_chars=MAX_TITLE,
            placeholder=t("ui.workshop.name_placeholder", lang),
            key=f"{CREATE}.title",
        )
        municipality = st.text_input(t("ui.start.name", lang), max_chars=MAX_NAME, key=f"{CREATE}.municipality")
        left, right = st.columns(2)
        kinds = {k.id: k.name.get(lang) for k in q.model.profile.body_kinds}
        body_kind = left.selectbox(
            t("ui.start.body_kind", lang),
            list(kinds),
            index=None,
            format_func=kinds.__getitem__,
            placeholder=t("ui.start.choose", lang),
            key=f"{CREATE}.body_kind",
        )
        states = {s.id: s.name.get(lang) for s in q.model.profile.states}
        state = right.selectbox(
            t("ui.start.state", lang),
            list(states),
            index=None,
            format_func=states.__getitem__,
            placeholder=t("ui.start.choose", lang),
            key=f"{CREATE}.state",
        )
        population = st.number_input(
            t("ui.start.population", lang),
            min_value=0,
            max_value=MAX_POPULATION,
            value=None,
            step=1000,
            key=f"{CREATE}.population",
        )
        perspective, domains = views.perspective_and_domains(q, lang, CREATE)
        closes = st.checkbox(t("ui.workshop.closes", lang), key=f"{CREATE}.closes")
        close_day, close_time = None, None
        if closes:
            left, right = st.columns(2)
            close_day = left.date_input(
                t("ui.workshop.close_day", lang),
                value=datetime.now(TIMEZONE).date(),
                format=date_input_format(lang),
                key=f"{CREATE}.close_day",
            )
            close_time = right.time_input(
                t("ui.workshop.close_time", lang),
                value=time(17, 0),
                step=timedelta(minutes=15),
                key=f"{CREATE}.close_time",
            )
        submitted = st.button(t("ui.workshop.create_button", lang), type="primary", icon=":material/groups:")
    if submitted:
        closes_at = (
            datetime.combine(close_day, close_time, tzinfo=TIMEZONE).astimezone(UTC)
            if close_day is not None and close_time is not None
            else None
        )
        if not title.strip():
            st.error(t("ui.workshop.need_title", lang))
        elif not domains:
            st.error(t("ui.start.need_domain", lang))
        elif closes_at is not None and closes_at <= datetime.now(UTC):
            st.error(t("ui.workshop.close_in_past", lang))
        else:
            profile = AssessmentProfile(
                name=municipality.strip(),
                body_kind=body_kind,
                state=state,
                population=population,
                perspective=perspective or PERSPECTIVE_ADMIN,
            )
            created = workshop_session.create_workshop(
                title=title.strip(),
                profile=profile,
                domains=q.ordered_domains(domains),
                perspective=perspective or PERSPECTIVE_ADMIN,
                closes_at=closes_at,
            )
            st.session_state[KEY_STATE] = created.facilitator_key
            st.session_state["workshop.show_links"] = True
            st.query_params[links.KEY_PARAM] = created.facilitator_key
            st.rerun()
    st.stop()

# --- the projector view: what everyone in the room may see ----------------------------------

st.session_state[KEY_STATE] = key
participant_link = links.join_link(lang, workshop.join_token)

if projecting:
    # Nothing of the key, not even in the address bar: the session keeps it.
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed")  # the sidebar comes back with "auto"
    st.query_params.pop(links.KEY_PARAM, None)
    heading, leave = st.columns([5, 1], vertical_alignment="center")
    heading.title(md(workshop.title))
    if leave.button(t("workshop.projector.leave", lang), icon=":material/close_fullscreen:", width="stretch"):
        st.query_params.pop(links.VIEW_PARAM, None)
        st.query_params[links.KEY_PARAM] = key
        st.rerun()
    join_column, board_column = st.columns([1, 4], gap="large")
    with join_column:
        st.subheader(t("workshop.projector.join", lang))
        st.markdown(t("workshop.projector.code_intro", lang))
        with st.container(key="projector-code"):
            st.markdown(f"# {fmt_join_code(workshop.join_code)}")
        st.image(qr_png(participant_link), width=280)
    with board_column:
        workshop_views.projector(q, workshop, lang)
    st.stop()

# --- the facilitator's view of one workshop ------------------------------------------------

# The dashboard is often shown on a projector: use the whole width.
st.set_page_config(layout="wide", initial_sidebar_state="auto")

if st.query_params.get(links.KEY_PARAM) != key:
    st.query_params[links.KEY_PARAM] = key

st.title(md(workshop.title))
facts = [workshop.profile.name, ", ".join(q.domain(d).name.get(lang) for d in workshop.domains)]
st.caption(" · ".join(md(f) for f in facts if f))

# The facilitator's own link apart from the invitation, which is what gets projected; always collapsed.
with st.expander(t("ui.workshop.own_link", lang), icon=":material/key:"):
    st.markdown(t("ui.workshop.facilitator_link", lang))
    st.code(links.facilitator_link(lang, key), language=None, wrap_lines=True)
    st.warning(t("ui.workshop.facilitator_warning", lang), icon=":material/key:")
with st.expander(
    t("ui.workshop.links", lang),
    expanded=st.session_state.pop("workshop.show_links", False),
    icon=":material/qr_code_2:",
):
    left, right = st.columns([2, 1])
    with left:
        st.markdown(t("ui.workshop.code_intro", lang))
        st.subheader(fmt_join_code(workshop.join_code))
        st.markdown(t("ui.workshop.participant_link", lang))
        st.code(participant_link, language=None, wrap_lines=True)
    right.image(qr_png(participant_link), caption=t("ui.workshop.qr_caption", lang), width=220)
    st.download_button(
        t("ui.start.print", lang),
        data=lambda: build_questionnaire_pdf(q, lang, list(workshop.domains), workshop.perspective),
        file_name=f"ktmsc-{t('ui.start.print_file', lang)}.pdf",
        mime="application/pdf",
        icon=":material/print:",
        help=t("ui.workshop.print_help", lang),
    )

status_column, button_column, projector_column = st.columns([3, 1, 1])
if workshop.is_open:
    closing = fmt_datetime(workshop.closes_at, lang) if workshop.closes_at else None
    status_column.success(
        t("ui.workshop.open_until", lang, time=closing) if closing else t("ui.workshop.open", lang),
        icon=":material/lock_open:",
    )
    if button_column.button(t("ui.workshop.close", lang), icon=":material/lock:", width="stretch"):
        workshop_session.set_workshop_closed(workshop.id, True)
        st.rerun()
else:
    status_column.info(t("ui.workshop.closed", lang), icon=":material/lock:")
    if button_column.button(
        t("ui.workshop.reopen", lang), icon=":material/lock_open:", width="stretch", disabled=not workshop.closed
    ):
        workshop_session.set_workshop_closed(workshop.id, False)
        st.rerun()
if projector_column.button(
    t("workshop.projector.open", lang),
    icon=":material/present_to_all:",
    width="stretch",
    help=t("workshop.projector.open_help", lang),
):
    st.query_params[links.VIEW_PARAM] = links.PROJECTOR_VIEW
    st.rerun()

workshop_views.reveal_controls(workshop, lang)
pacing_views.controls(workshop, lang)
second_round_views.controls(q, workshop, workshop_views.participants(workshop), lang)
workshop_views.dashboard(q, workshop, lang)
invitation_views.invitations(workshop, lang)
invitation_views.tracking(q, workshop, workshop_views.stored_participants(workshop), lang)
workshop_views.merging(workshop, lang)

if workshop_views.deletion(workshop, lang):
    st.session_state.pop(KEY_STATE, None)
    session.notice("ui.workshop.deleted")
    st.switch_page(links.page_path("start"), query_params=links.params(lang))
