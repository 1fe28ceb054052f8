"""Method: the model in our words, how scoring works and what it does not claim."""

import streamlit as st

from ktmsc.labels import fmt_percent, fmt_plain
from ktmsc.model.limits import MAX_STEP_SECONDS, MIN_STEP_SECONDS, STEP_TIMES_SHOWN_FROM
from ktmsc.quick import QUICK_STEP
from ktmsc.texts import t
from ktmsc.ui import frame, session, step_timer, views
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
model = q.model
x_dim, y_dim = q.x_dimension, q.y_dimension

st.title(t("ui.method.title", lang))
st.markdown(t("ui.method.lead", lang))

st.header(t("ui.method.dimensions", lang))
for dim in (x_dim, y_dim):
    st.markdown(f"**{md(dim.name.get(lang))}** ({md(dim.short.get(lang))}): {md(dim.description.get(lang))}")

st.header(t("ui.method.types", lang))
st.markdown(t("ui.method.types_lead", lang, x=x_dim.name.get(lang), y=y_dim.name.get(lang)))
for type_def in model.types:
    with st.expander(type_def.name.get(lang)):
        st.markdown(md(type_def.gist.get(lang)))
        st.markdown(f"**{t('ui.results.characteristics', lang)}**  \n{md(type_def.characteristics.get(lang))}")
        st.markdown(f"**{t('ui.results.behaviour', lang)}**  \n{md(type_def.behaviour.get(lang))}")

st.header(t("ui.method.reading", lang))
st.markdown(t("ui.method.reading_text", lang))

st.header(t("ui.method.domains", lang))
st.markdown(t("ui.method.domains_lead", lang))
for domain in model.domains:
    st.markdown(f"- **{md(domain.name.get(lang))}**: {md(domain.description.get(lang))}")

for key, entries in (
    ("roles", model.context.roles),
    ("goals", model.context.goals),
    ("drivers", model.context.drivers),
    ("charta", model.context.charta_guidelines),
    ("governance", model.context.governance_options),
):
    st.header(t(f"ui.method.{key}", lang))
    st.markdown(t(f"ui.method.{key}_lead", lang))
    for entry in entries:
        st.markdown(f"- **{md(entry.name.get(lang))}**: {md(entry.description.get(lang))}")

st.header(t("ui.method.scoring", lang))
st.markdown(
    t(
        "ui.method.scoring_text",
        lang,
        x=x_dim.name.get(lang),
        y=y_dim.name.get(lang),
        x_threshold=fmt_plain(q.threshold(x_dim.id), lang),
        y_threshold=fmt_plain(q.threshold(y_dim.id), lang),
        x_share=fmt_percent(model.scoring.general_share[x_dim.id], lang),
        y_share=fmt_percent(model.scoring.general_share[y_dim.id], lang),
    )
)

st.header(t("rounds.method.title", lang))
st.markdown(
    t(
        "rounds.method.text",
        lang,
        x_threshold=fmt_plain(q.threshold(x_dim.id), lang),
        y_threshold=fmt_plain(q.threshold(y_dim.id), lang),
        minimum=model.rounds.min_group,
    )
)

st.header(t("ui.quick.method_title", lang))
st.markdown(t("ui.quick.method_text", lang, count=QUICK_STEP))

st.header(t("ui.time.method_title", lang))
timing = model.scoring.timing
st.markdown(
    t(
        "ui.time.method_text",
        lang,
        fast_wpm=fmt_plain(timing.words_per_minute.fast, lang),
        slow_wpm=fmt_plain(timing.words_per_minute.slow, lang),
        fast_answer=fmt_plain(timing.seconds_per_answer.fast, lang),
        slow_answer=fmt_plain(timing.seconds_per_answer.slow, lang),
        fast_lookup=fmt_plain(timing.lookup_minutes.fast, lang),
        slow_lookup=fmt_plain(timing.lookup_minutes.slow, lang),
        fast_public=fmt_plain(timing.public_source_minutes.fast, lang),
        slow_public=fmt_plain(timing.public_source_minutes.slow, lang),
        lookups=sum(item.lookup for item in q.items.values()),
    )
)

st.subheader(t("ui.time.measured_title", lang))
st.markdown(
    t(
        "ui.time.measured_text",
        lang,
        min_seconds=fmt_plain(MIN_STEP_SECONDS, lang),
        max_minutes=fmt_plain(MAX_STEP_SECONDS // 60, lang),
        count=fmt_plain(STEP_TIMES_SHOWN_FROM, lang),
    )
)
measured = views.measured_steps_table(q, step_timer.medians(), lang)
if measured is None:
    st.caption(t("ui.time.measured_none", lang))
else:
    st.table(measured)

st.header(t("ui.method.counting", lang))
st.markdown(md(model.who_counts.get(lang)))
st.markdown(t("ui.method.counting_text", lang))

st.header(t("ui.method.limits", lang))
# The two caveats the results and the report lead with, in their one wording.
caveats = {"caveat_self": t("core.caveats.self", lang), "caveat_model": t("core.caveats.model", lang)}
st.markdown(t("ui.method.limits_text", lang, **caveats))
st.warning(t("ui.method.outside_view", lang), icon=":material/visibility:")

st.header(t("ui.method.items", lang))
st.markdown(t("ui.method.items_lead", lang))
for section in q.sections:
    with st.expander(section.name.name.get(lang)):
        st.markdown(views.item_rationales(q, section.items, lang))
