"""Start: the way back to an assessment, what the check is, how long it takes, the
municipality's profile and the domains; at the end, an invented example to look at before
answering."""

import streamlit as st

from ktmsc import wizard
from ktmsc.labels import counted, fmt_datetime, fmt_duration
from ktmsc.model.assessment import MODE_FULL, MODE_QUICK, AssessmentProfile
from ktmsc.model.limits import MAX_LINK_INPUT, MAX_NAME, MAX_POPULATION
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN
from ktmsc.texts import t
from ktmsc.ui import device, frame, links, resume, session
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
cur = session.active()
profile_lists = q.model.profile

st.title(t("ui.start.title", lang))
st.markdown(t("ui.start.lead", lang))

if cur is not None and not cur.read_only:
    with st.container(border=True):
        st.markdown(
            t("ui.start.continue_intro", lang, name=md(cur.assessment.profile.name or t("ui.frame.unnamed", lang)))
        )
        left, right = st.columns(2)
        if left.button(t("ui.start.continue", lang), type="primary", icon=":material/play_arrow:", width="stretch"):
            st.switch_page(links.page_path("questions"), query_params=links.params(lang, cur))
        if right.button(t("ui.start.new", lang), icon=":material/add:", width="stretch"):
            session.forget()
            st.rerun()
        with st.expander(t("ui.start.your_link", lang), icon=":material/link:"):
            st.caption(t("ui.data.resume_intro", lang))
            resume.link_box(lang, cur, "start.link")
elif cur is None and (remembered := device.remembered_assessment()) is not None:
    # This browser worked on an assessment before: offer it instead of an empty form.
    with st.container(border=True, key="start.remembered"):
        name = remembered.assessment.profile.name or t("ui.frame.unnamed", lang)
        when = fmt_datetime(remembered.updated_at, lang)
        st.markdown(t("ui.resume.remembered", lang, name=md(name), time=when))
        left, right = st.columns(2)
        if left.button(
            t("ui.resume.remembered_continue", lang), type="primary", icon=":material/play_arrow:", width="stretch"
        ):
            token = device.remembered()
            st.switch_page(links.page_path("questions"), query_params={**links.params(lang), links.EDIT_PARAM: token})
        if right.button(
            t("ui.resume.forget", lang),
            icon=":material/phonelink_erase:",
            help=t("ui.resume.forget_help", lang),
            width="stretch",
        ):
            device.forget()
            session.notice("ui.resume.forgotten")
            st.rerun()

# --- resume with a link -------------------------------------------------------------------

with st.expander(t("ui.start.resume_title", lang), icon=":material/link:"):
    st.caption(t("ui.start.resume_help", lang))
    pasted = st.text_input(t("ui.start.resume_field", lang), key="start.resume", max_chars=MAX_LINK_INPUT)
    if st.button(t("ui.start.resume_open", lang), disabled=not pasted):
        token = links.token_from(pasted)
        if token and session.find_for_edit(token) is not None:
            session.forget()
            st.switch_page(links.page_path("questions"), query_params={**links.params(lang), links.EDIT_PARAM: token})
        else:
            st.error(t("ui.start.resume_invalid", lang))

with st.expander(t("ui.start.what_is_it", lang), expanded=cur is None):
    st.markdown(t("ui.start.explain", lang))
    columns = st.columns(4)
    for column, type_def in zip(columns, q.model.types, strict=True):
        column.markdown(f"**{type_def.name.get(lang)}**")
        column.caption(type_def.gist.get(lang))

# --- profile ------------------------------------------------------------------------

st.header(t("ui.start.profile", lang))
profile = cur.assessment.profile if cur else AssessmentProfile()
draft = st.session_state.setdefault("start.draft", {})
# A participant's profile and domains come from the workshop; a shared link only reads.
read_only = cur is not None and (cur.read_only or cur.kind != "self")


def _value(field: str):
    return getattr(profile, field) if cur else draft.get(field, getattr(profile, field))


def _changed(field: str, key: str) -> None:
    value = st.session_state.get(key)
    if field == "name":
        value = (value or "").strip()[:MAX_NAME]
    if field == "population" and value is not None:
        value = int(value)
    current = session.active()
    if current is None:
        draft[field] = value
    else:
        session.save_profile(current.assessment.profile.model_copy(update={field: value}))


name_key, kind_key, state_key, population_key, perspective_key, mode_key = (
    f"start.{lang}.{f}" for f in ("name", "kind", "state", "population", "perspective", "mode")
)
st.text_input(
    t("ui.start.name", lang),
    value=_value("name"),
    max_chars=MAX_NAME,
    key=name_key,
    on_change=_changed,
    args=("name", name_key),
    placeholder=t("ui.start.name_placeholder", lang),
    disabled=read_only,
)
left, right = st.columns(2)
kinds = {k.id: k.name.get(lang) for k in profile_lists.body_kinds}
left.selectbox(
    t("ui.start.body_kind", lang),
    list(kinds),
    index=list(kinds).index(_value("body_kind")) if _value("body_kind") in kinds else None,
    format_func=kinds.__getitem__,
    key=kind_key,
    on_change=_changed,
    args=("body_kind", kind_key),
    placeholder=t("ui.start.choose", lang),
    disabled=read_only,
)
states = {s.id: s.name.get(lang) for s in profile_lists.states}
right.selectbox(
    t("ui.start.state", lang),
    list(states),
    index=list(states).index(_value("state")) if _value("state") in states else None,
    format_func=states.__getitem__,
    key=state_key,
    on_change=_changed,
    args=("state", state_key),
    placeholder=t("ui.start.choose", lang),
    disabled=read_only,
)
st.number_input(
    t("ui.start.population", lang),
    min_value=0,
    max_value=MAX_POPULATION,
    value=_value("population"),
    step=1000,
    key=population_key,
    on_change=_changed,
    args=("population", population_key),
    placeholder=t("ui.start.population_placeholder", lang),
    help=t("ui.start.population_help", lang),
    disabled=read_only,
)
size_type = q.size_type_for(_value("population"), _value("body_kind"))
if size_type is not None:
    st.caption(t("ui.start.size_type", lang, size_type=size_type.name.get(lang)))

perspectives = {p.id: p for p in profile_lists.perspectives}
chosen_perspective = _value("perspective") or PERSPECTIVE_ADMIN
st.radio(
    t("ui.start.perspective", lang),
    list(perspectives),
    index=list(perspectives).index(chosen_perspective),
    format_func=lambda p: perspectives[p].name.get(lang),
    captions=[p.description.get(lang) for p in perspectives.values()],
    key=perspective_key,
    on_change=_changed,
    args=("perspective", perspective_key),
    disabled=read_only,
)

# --- domains ----------------------------------------------------------------------------

st.header(t("ui.start.domains", lang))
st.caption(t("ui.start.domains_help", lang))
chosen_domains = list(cur.assessment.domains) if cur else draft.get("domains", [])
domains_key = f"start.{lang}.domains"


def _domains_changed() -> None:
    chosen = [d for d in q.domain_ids if st.session_state.get(f"{domains_key}.{d}")]
    if session.active() is None:
        draft["domains"] = chosen
    else:
        session.save_domains(chosen)


for domain in q.model.domains:
    st.checkbox(
        domain.name.get(lang),
        value=domain.id in chosen_domains,
        key=f"{domains_key}.{domain.id}",
        on_change=_domains_changed,
        help=domain.description.get(lang) if domain.description else None,
        disabled=read_only,
    )

# How long it takes for this perspective: words to read, answers, questions to look up.
estimate = wizard.estimate(q, chosen_domains, chosen_perspective, lang)

# The full check or the quick check: part of the profile, so the resume link brings it back.
modes = (MODE_FULL, MODE_QUICK)
st.radio(
    t("ui.quick.mode", lang),
    modes,
    index=modes.index(_value("mode")),
    format_func=lambda m: t(f"ui.quick.mode_{m}", lang),
    captions=[t(f"ui.quick.mode_{m}_help", lang) for m in modes],
    key=mode_key,
    on_change=_changed,
    args=("mode", mode_key),
    disabled=read_only,
)

st.info(
    fmt_duration(estimate.questions, len(chosen_domains), estimate.low, estimate.high, lang),
    icon=":material/schedule:",
)
if chosen_perspective == PERSPECTIVE_CITIZEN:
    st.caption(t("ui.time.public_sources", lang))
elif estimate.lookups:
    st.caption(counted("ui.time.lookups", estimate.lookups, lang))
if _value("mode") == MODE_QUICK:
    st.caption(t("ui.quick.duration", lang))

if not read_only and not chosen_domains:
    st.caption(t("ui.start.need_domain", lang))
if not read_only and st.button(
    t("ui.start.begin", lang),
    type="primary",
    icon=":material/arrow_forward:",
    disabled=not chosen_domains,
    help=None if chosen_domains else t("ui.start.need_domain", lang),
):
    if cur is None:
        fields = {k: v for k, v in draft.items() if k != "domains"}
        cur = session.start_new(AssessmentProfile(**fields), q.ordered_domains(chosen_domains))
        st.session_state.pop("start.draft", None)
    session.save_step(wizard.steps(q, cur.assessment)[0])
    st.switch_page(links.page_path("questions"), query_params=links.params(lang, cur))

# --- a follow-up of an earlier assessment ---------------------------------------------------

with st.expander(t("ui.start.follow_up_title", lang), icon=":material/update:"):
    st.caption(t("ui.start.follow_up_help", lang))
    earlier = None
    if cur is not None and not cur.read_only:
        st.markdown(
            t("ui.start.follow_up_current", lang, name=md(cur.assessment.profile.name or t("ui.frame.unnamed", lang)))
        )
        if st.button(t("ui.start.follow_up_this", lang), icon=":material/content_copy:"):
            earlier = cur
    pasted_earlier = st.text_input(t("ui.start.follow_up_field", lang), key="start.follow_up", max_chars=MAX_LINK_INPUT)
    if st.button(t("ui.start.follow_up_open", lang), disabled=not pasted_earlier):
        token = links.token_from(pasted_earlier)
        earlier = session.find_for_edit(token) if token else None
        if earlier is None:
            st.error(t("ui.start.resume_invalid", lang))
    if earlier is not None:
        follow_up = session.start_new(earlier.assessment.profile, earlier.assessment.domains, previous=earlier)
        session.save_step(wizard.steps(q, follow_up.assessment)[0])
        st.switch_page(links.page_path("questions"), query_params=links.params(lang, follow_up))

# --- look before answering: the invented example ------------------------------------------

if q.example is not None:
    with st.container(border=True):
        st.subheader(t("ui.example.title", lang))
        st.markdown(md(q.example.summary.get(lang)))
        st.caption(t("ui.example.what", lang))
        left, right = st.columns(2)
        for column, page, label, icon in (
            (left, "results", "ui.example.open_results", ":material/insights:"),
            (right, "workshop", "ui.example.open_workshop", ":material/groups:"),
        ):
            if column.button(t(label, lang), icon=icon, width="stretch", key=f"start.example.{page}"):
                example = session.open_example(lang)
                st.switch_page(links.page_path(page), query_params=links.params(lang, example))
