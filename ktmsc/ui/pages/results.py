"""Results: the next steps and the caveats first; then the quadrant per domain and the
overview; then, collapsed, the other steps, tips, and per domain type, advice and levers."""

import streamlit as st

from ktmsc import wizard
from ktmsc.charts import quadrant_spec
from ktmsc.export import file_name
from ktmsc.labels import counted, fmt_date, group_origin_line
from ktmsc.readout import build_readout
from ktmsc.report import render_report
from ktmsc.texts import t
from ktmsc.ui import (
    frame,
    host_views,
    links,
    pacing_views,
    plan_views,
    quick_views,
    round_session,
    session,
    target_views,
    views,
    workshop_session,
    workshop_views,
)
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
cur = session.active()

st.title(t("ui.results.title", lang))
if cur is None or not cur.assessment.domains:
    st.info(t("ui.results.nothing_yet", lang), icon=":material/info:")
    st.page_link(
        links.page_path("start"), label=t("ui.nav.start", lang), icon=":material/home:", query_params=links.params(lang)
    )
    st.stop()

assessment = cur.assessment
profile = assessment.profile
previous = session.load_previous(cur)
membership = round_session.round_of(cur)  # a comparison round's municipality: its thresholds, its peers
q, in_force = round_session.in_force(membership)
readout = build_readout(q, assessment, previous, thresholds=in_force)
result = readout.result
perspective = next(p for p in q.model.profile.perspectives if p.id == assessment.perspective)

facts = [profile.name or t("ui.frame.unnamed", lang), perspective.name.get(lang)]
if readout.size_type is not None:
    facts.insert(1, readout.size_type.name.get(lang))
st.markdown(" · ".join(f"**{md(facts[0])}**" if i == 0 else md(f) for i, f in enumerate(facts)))
st.caption(t("ui.results.snapshot", lang))

if result.ignored_answers:
    st.info(counted("ui.results.ignored_answers", len(result.ignored_answers), lang), icon=":material/update:")

if note := readout.thresholds_note(lang):  # a round that splits at its median says so before any type
    st.info(md(note), icon=":material/tune:")

if assessment.group is not None:  # a workshop's group result: a median, and how far apart the group was
    st.info(md(group_origin_line(assessment.group, lang)), icon=":material/groups:")

if readout.quick is not None:  # a quick check: settled or not, what it did not ask, the way on
    quick_views.result_note(readout, lang)
    if not cur.read_only and st.button(
        t("ui.quick.continue_full", lang), icon=":material/checklist:", help=t("ui.quick.continue_full_help", lang)
    ):
        quick_views.to_full(cur)
        st.switch_page(links.page_path("questions"), query_params=links.params(lang, cur))
elif readout.unanswered:
    st.warning(counted("ui.results.missing", readout.unanswered, lang), icon=":material/pending:")
    if not cur.read_only and st.button(t("ui.results.to_review", lang), icon=":material/checklist:"):
        session.save_step(wizard.REVIEW)
        st.switch_page(links.page_path("questions"), query_params=links.params(lang, cur))

# The page leads with what to do: the next steps and the two caveats; the rest is collapsed.
views.lead(readout, lang)

st.header(t("ui.results_lead.overview", lang))
chart = quadrant_spec(
    q, result.domains.values(), lang, previous=readout.earlier_positions() or None, targets=readout.earlier_targets()
)
st.vega_lite_chart(chart, width="stretch")
if readout.unplaced:
    names = ", ".join(q.domain(d).name.get(lang) for d in readout.unplaced)
    st.caption(t("ui.results.unplaced", lang, domains=names))

st.table(views.overview_table(q, result, lang))
if readout.earlier is not None:
    st.subheader(t("ui.results.development", lang))
    st.caption(t("ui.results.development_help", lang, date=fmt_date(previous.created_at, lang)))
    st.table(views.change_table(q, readout.changes(), lang))
    plan_views.follow_up_section(readout, lang)
if membership is not None:
    host_views.peers(q, membership[0], membership[1].key, lang)
if cur.kind == "participant" and (workshop := workshop_session.workshop_of(cur)) is not None:
    pacing_views.participant_watch(workshop, lang)  # the countdown; a new phase redraws the page
    workshop_views.participant_view(q, workshop, lang)  # the group, once the facilitator reveals it
with st.expander(t("ui.results.legend", lang), icon=":material/info:"):
    views.type_legend(q, lang)

if readout.cross_domain:
    label = t("ui.results_lead.more_cross_domain", lang, count=len(readout.cross_domain))
    with st.expander(label, icon=":material/hub:"):
        st.caption(t("ui.results.cross_domain_help", lang))
        st.markdown(views.steps_markdown(readout, readout.cross_domain, lang))
if readout.paths:
    count = sum(len(paths) for paths in readout.paths.values())
    with st.expander(t("ui.results_lead.paths", lang, count=count), icon=":material/route:"):
        st.markdown(views.paths_markdown(readout, lang))
if readout.general_tips:
    with st.expander(t("ui.results.general_tips", lang, count=len(readout.general_tips)), icon=":material/lightbulb:"):
        st.markdown(views.bullets([md(tip.text.get(lang)) for tip in readout.general_tips]))

st.header(t("ui.results.per_domain", lang))
if readout.outside is not None:
    st.caption(t("core.outside.admin_advice", lang))
# One domain at a time: the page stays short and quick, whatever the number of domains.
domain_ids = list(readout.domains)
chosen = st.radio(
    t("ui.result.domain", lang),
    domain_ids,
    format_func=lambda d: q.domain(d).name.get(lang),
    key="results.domain",
    horizontal=True,
    label_visibility="collapsed",
)
shown_domain = chosen if chosen in readout.domains else domain_ids[0]
views.domain_detail(readout, shown_domain, lang)
target_views.target_section(readout, shown_domain, lang, read_only=cur.read_only)

st.header(t("ui.results.take_along", lang))
st.download_button(
    t("ui.results.report_pdf", lang),
    data=lambda: render_report(readout, lang),
    file_name=file_name("report", lang, profile.name, "pdf"),
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    type="primary",
    help=t("ui.results.report_help", lang),
)
views.export_buttons(q, assessment, lang)
