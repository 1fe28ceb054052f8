"""Questions: a wizard through the general section and each chosen domain, then a review;
in the quick check, a few questions at a time until every domain's type is settled."""

import streamlit as st

from ktmsc import quick, wizard
from ktmsc.labels import counted
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN
from ktmsc.texts import t
from ktmsc.ui import (
    frame,
    invitation_views,
    links,
    pacing_views,
    quick_views,
    resume,
    round_session,
    second_round_views,
    session,
    step_timer,
    views,
    widgets,
    workshop_session,
)
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
cur = session.active()

st.title(t("ui.questions.title", lang))
if cur is None:
    st.info(t("ui.questions.no_assessment", lang), icon=":material/info:")
    st.page_link(
        links.page_path("start"), label=t("ui.nav.start", lang), icon=":material/home:", query_params=links.params(lang)
    )
    st.stop()

assessment = cur.assessment
q, _ = round_session.in_force(round_session.round_of(cur))  # a round may split its types at its median
if not assessment.domains:
    st.warning(t("ui.questions.no_domains", lang))
    st.page_link(
        links.page_path("start"),
        label=t("ui.nav.start", lang),
        icon=":material/home:",
        query_params=links.params(lang, cur),
    )
    st.stop()

steps = wizard.steps(q, assessment)
parts = wizard.all_parts(q, assessment)
step = cur.step if cur.step in steps else steps[0]
states = wizard.states_for(q, assessment)
numbers = wizard.question_numbers(q, assessment, states)  # the questions shown, counted without gaps


standing = quick.assess(q, assessment)  # settled or open, per domain


def step_name(name: str) -> str:
    return wizard.step_label(q, steps, parts, name, lang)


def go(name: object) -> None:
    if name in steps:
        if step != wizard.REVIEW and name == steps[min(steps.index(step) + 1, len(steps) - 1)] != step:
            step_timer.finished(cur, step)  # on to the next step: how long this one took
        session.save_step(name)


read_only = cur.read_only
workshop = None
if cur.read_only:
    st.info(t("ui.questions.read_only", lang), icon=":material/visibility:")
if cur.kind == "participant":
    workshop = workshop_session.workshop_of(cur)
    cur.workshop_closed = workshop is None or not workshop.is_open
    if cur.workshop_closed:
        st.warning(t("ui.questions.workshop_closed", lang), icon=":material/lock:")
        read_only = True
    else:
        st.caption(t("ui.questions.in_workshop", lang, title=md(workshop.title)))
        invitation_views.invited_notice(cur, lang)  # an invitation: what the facilitator sees of them
    if workshop is not None:
        pacing_views.participant_watch(workshop, lang)  # the countdown; a new phase redraws the page

resume.offer(lang, cur)  # from the first saved answer on: the way back
widgets.begin_page()
citizen = assessment.perspective == PERSPECTIVE_CITIZEN

if workshop is not None and workshop.in_second_round and not cur.workshop_closed:
    second_round_views.participant_step(q, workshop, lang, read_only=read_only, citizen=citizen)
    widgets.end_page()
    st.stop()


def notes_toggle() -> bool:
    """Note and evidence fields on request: each is a widget the page carries on every rerun."""
    return st.toggle(
        t("ui.questions.show_notes", lang),
        value=citizen,
        key=f"questions.notes.{assessment.perspective}",
        help=t("ui.questions.show_notes_help", lang),
        disabled=read_only,
    )


def to_results() -> None:
    st.switch_page(links.page_path("results"), query_params=links.params(lang, cur))


if step == wizard.QUICK:
    st.header(t("ui.quick.title", lang))
    st.caption(t("ui.quick.intro", lang, count=quick.QUICK_STEP))
    quick_views.standing(q, standing, lang)
    notes = notes_toggle()
    visible = {item_id for item_id, state in states.items() if state.visible}
    for item_id in quick_views.step_questions(cur, standing, visible):
        widgets.question_fragment(item_id, numbers[item_id], lang, read_only, citizen, notes)
    if standing.all_settled:
        st.success(t("ui.quick.all_settled", lang), icon=":material/task_alt:")
    elif not standing.effects:
        st.info(t("ui.quick.nothing_left", lang), icon=":material/info:")
    left, right = st.columns(2)
    if not read_only:
        left.button(
            t("ui.quick.to_full", lang),
            on_click=quick_views.to_full,
            args=(cur,),
            icon=":material/checklist:",
            help=t("ui.quick.to_full_help", lang),
            width="stretch",
        )
    if standing.all_settled or not standing.effects:
        label = "ui.quick.finish" if standing.all_settled else "ui.quick.to_results"
        if right.button(t(label, lang), type="primary", icon=":material/insights:", width="stretch"):
            quick_views.next_step()
            to_results()
    else:
        right.button(
            t("ui.quick.next", lang),
            on_click=quick_views.next_step,
            type="primary",
            icon=":material/arrow_forward:",
            width="stretch",
        )
    widgets.end_page()
    st.stop()

with st.sidebar:
    # Settled or open per domain. On a step with questions, the last question draws it, and
    # any question redraws it from its own rerun: an answer updates it without a page rerun.
    standing_slot = st.empty()
position = steps.index(step)
# The bar shows where in the wizard the person is; it never goes stale while questions
# rerun on their own. What is still open is listed on the review step.
st.progress((position + 1) / len(steps), text=t("ui.questions.progress", lang, step=position + 1, steps=len(steps)))
st.selectbox(
    t("ui.questions.jump", lang),
    steps,
    index=steps.index(step),
    format_func=step_name,
    key=f"questions.{lang}.jump.{step}",
    on_change=lambda: go(st.session_state[f"questions.{lang}.jump.{step}"]),
)

shown_items = []
if step == wizard.REVIEW:
    st.header(step_name(step))
    progress = wizard.progress(q, assessment, states)
    st.markdown(
        views.bullets(
            [
                t("ui.questions.step_count", lang, step=md(step_name(p.step)), answered=p.answered, asked=p.asked)
                for p in progress
            ]
        )
    )
    missing = wizard.unanswered(q, assessment, states)
    open_count = sum(len(items) for items in missing.values())
    dont_know = sum(p.dont_know for p in progress)
    if open_count == 0:
        st.success(t("ui.questions.all_answered", lang), icon=":material/task_alt:")
    else:
        st.warning(counted("ui.questions.open_items", open_count, lang), icon=":material/pending:")
        for missing_step, items in missing.items():
            with st.container(border=True):
                st.markdown(f"**{md(step_name(missing_step))}**")
                for item in items:
                    st.markdown(f"{numbers[item.id]} {md(item.text.get(lang))}")
                st.button(
                    t("ui.questions.go_to_section", lang),
                    key=f"questions.goto.{missing_step}",
                    on_click=go,
                    args=(missing_step,),
                    icon=":material/edit:",
                )
    if dont_know:
        st.info(counted("ui.questions.dont_know_count", dont_know, lang), icon=":material/help:")
else:
    part = parts[step]
    step_timer.shown(cur, step)
    st.header(step_name(step))
    if part.number == 1:  # the section's introduction, before its first step
        st.caption(md(q.section(part.section).intro.get(lang)))
    with st.expander(t("ui.questions.who_counts", lang), icon=":material/groups:"):
        st.markdown(md(q.model.who_counts.get(lang)))
    notes = notes_toggle()
    shown_items = wizard.visible_items(q, assessment, step, states)
    for item in shown_items:
        box = widgets.StandingBox(q, standing_slot, standing if item is shown_items[-1] else None)
        widgets.question_fragment(item.id, numbers[item.id], lang, read_only, citizen, notes, box)
if step == wizard.REVIEW or not shown_items:  # no question to draw it
    quick_views.standing(q, standing, lang, slot=standing_slot)

back, forward = st.columns(2)
if position > 0:
    back.button(
        t("ui.questions.back", lang),
        on_click=go,
        args=(steps[position - 1],),
        icon=":material/arrow_back:",
        width="stretch",
    )
if step == wizard.REVIEW:
    if forward.button(t("ui.questions.to_results", lang), type="primary", icon=":material/insights:", width="stretch"):
        to_results()
else:
    forward.button(
        t("ui.questions.next", lang),
        on_click=go,
        args=(steps[position + 1],),
        type="primary",
        icon=":material/arrow_forward:",
        width="stretch",
    )

widgets.end_page()
