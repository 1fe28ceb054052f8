"""Results: the quadrant per domain, the overview, and per domain type, advice and levers."""

import streamlit as st

from ktmsc import wizard
from ktmsc.charts import quadrant_spec
from ktmsc.export import file_slug
from ktmsc.history import changes, positions
from ktmsc.recommendations import advise, general_tips
from ktmsc.report import build_report
from ktmsc.scoring import score
from ktmsc.texts import t
from ktmsc.ui import frame, links, session, views
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
cur = session.active()

st.title(t("ui.results.title", lang))
if cur is None or not cur.assessment.domains:
    st.info(t("ui.results.nothing_yet", lang), icon=":material/info:")
    st.page_link(
        frame.page_path("start"), label=t("ui.nav.start", lang), icon=":material/home:", query_params={"lang": lang}
    )
    st.stop()

assessment = cur.assessment
profile = assessment.profile
result = score(q, assessment.answers, assessment.domains, assessment.perspective, profile.population)
size_type = q.size_type_for(profile.population)
perspective = next(p for p in q.model.profile.perspectives if p.id == assessment.perspective)

facts = [profile.name or t("ui.frame.unnamed", lang), perspective.name.get(lang)]
if size_type is not None:
    facts.insert(1, size_type.name.get(lang))
st.markdown(" · ".join(f"**{md(facts[0])}**" if i == 0 else md(f) for i, f in enumerate(facts)))
st.caption(t("ui.results.snapshot", lang))

if result.ignored_answers:
    st.info(t("ui.results.ignored_answers", lang, count=len(result.ignored_answers)), icon=":material/update:")

# The score already holds every item's state; the wizard counts from it.
missing = sum(len(items) for items in wizard.unanswered(q, assessment, result.states).values())
if missing:
    st.warning(t("ui.results.missing", lang, count=missing), icon=":material/pending:")
    if not cur.read_only and st.button(t("ui.results.to_review", lang), icon=":material/checklist:"):
        session.save_step(wizard.REVIEW)
        st.switch_page(frame.page_path("questions"), query_params=links.params(lang, cur))

previous = session.load_previous(cur)
previous_result = None
if previous is not None:
    # Only positions and types of the earlier assessment are shown: no levers or contributions.
    previous_result = score(
        q, previous.answers, previous.domains, previous.perspective, previous.profile.population, detail=False
    )
chart = quadrant_spec(
    q, result.domains.values(), lang, previous=positions(q, previous_result) if previous_result else None
)
st.vega_lite_chart(chart, width="stretch")
unplaced = [d for d, r in result.domains.items() if r.type_id is None]
if unplaced:
    st.caption(t("ui.results.unplaced", lang, domains=", ".join(q.domain(d).name.get(lang) for d in unplaced)))

st.table(views.overview_table(q, result, lang))
if previous_result is not None:
    st.subheader(t("ui.results.development", lang))
    st.caption(t("ui.results.development_help", lang, date=views.date_text(previous.created_at, lang)))
    st.table(views.change_table(q, changes(q, previous_result, result), lang))
with st.expander(t("ui.results.legend", lang), icon=":material/info:"):
    views.type_legend(q, lang)

tips = general_tips(q, result)
if tips:
    with st.expander(t("ui.results.general_tips", lang, count=len(tips)), icon=":material/lightbulb:"):
        st.markdown(views.bullets([md(tip.text.get(lang)) for tip in tips]))

st.header(t("ui.results.per_domain", lang))
# One domain at a time: the page stays short and quick, whatever the number of domains.
domain_ids = list(result.domains)
chosen = st.radio(
    t("ui.result.domain", lang),
    domain_ids,
    format_func=lambda d: q.domain(d).name.get(lang),
    key="results.domain",
    horizontal=True,
    label_visibility="collapsed",
)
domain_id = chosen if chosen in result.domains else domain_ids[0]
advice = advise(q, result, domain_id, size_type.id if size_type else None)
views.domain_detail(q, assessment, result, advice, lang)

st.header(t("ui.results.take_along", lang))
slug = file_slug(profile.name)
st.download_button(
    t("ui.results.report_pdf", lang),
    data=lambda: build_report(q, assessment, lang, previous=previous),
    file_name=f"ktmsc-{slug}-{t('ui.results.report_file', lang)}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    type="primary",
    help=t("ui.results.report_help", lang),
)
views.export_buttons(q, assessment, lang)
