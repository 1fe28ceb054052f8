"""Building blocks of the results: the overview table, a domain's type, advice and levers."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ktmsc.export import answers_csv, file_name, plan_csv, targets_csv
from ktmsc.history import Change
from ktmsc.i18n import Lang
from ktmsc.labels import (
    NO_VALUE,
    answer_label,
    fmt_delta,
    fmt_number,
    fmt_percent,
    fmt_range,
    fmt_score,
    group_line,
    next_step_label,
    reason_label,
    state_label,
    status_label,
)
from ktmsc.model.assessment import Assessment
from ktmsc.model.limits import STEP_TIMES_SHOWN_FROM
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import Recommendation, Tip
from ktmsc.readout import DomainReadout, Readout
from ktmsc.scoring import DomainResult, Lever, Result
from ktmsc.texts import t
from ktmsc.ui.safe import md
from ktmsc.wizard import measured_steps


def overview_rows(q: Questionnaire, result: Result, lang: Lang) -> list[dict]:
    """One row per domain in three columns, so the table fits a 390 px phone without scrolling
    sideways: the domain, its type over its status, and the scores with their intervals over
    the coverage (the spellings the report's table uses). Cells are Markdown: names escaped."""
    rows = []
    for domain_id, domain in result.domains.items():
        type_def = q.types.get(domain.type_id) if domain.type_id else None
        kind = f"{md(type_def.name.get(lang))}  \n{status_label(domain, lang)}" if type_def else None
        dims = [(q.dimension(d).short.get(lang), domain.dimensions[d]) for d in q.dimension_ids]
        scores = [
            f"{md(short)} {md(fmt_range(dim.score, dim.min, dim.max, lang, q.threshold(d)))}"
            for d, (short, dim) in zip(q.dimension_ids, dims, strict=True)
        ]
        rows.append(
            {
                t("ui.result.domain", lang): md(q.domain(domain_id).name.get(lang)),
                t("ui.result.type", lang): kind or t("ui.results.no_type_short", lang),
                t("ui.result.scores", lang): "  \n".join(
                    [*scores, f"{t('ui.result.coverage', lang)} {fmt_percent(domain.coverage, lang)}"]
                ),
            }
        )
    return rows


def overview_table(q: Questionnaire, result: Result, lang: Lang):
    """The overview as a static table (readable by screen readers and in print), one row per domain."""
    import pandas as pd

    rows = overview_rows(q, result, lang)
    domain_column = t("ui.result.domain", lang)
    return pd.DataFrame(rows).set_index(domain_column) if rows else pd.DataFrame()


def measured_steps_table(q: Questionnaire, measured, lang: Lang):
    """The steps' measured medians next to their estimates (the method page); None while no
    step has enough measurements. Cells are Markdown: names escaped."""
    import pandas as pd

    rows = measured_steps(q, measured, lang, shown_from=STEP_TIMES_SHOWN_FROM)
    if not rows:
        return None
    views = {p.id: p.name.get(lang) for p in q.model.profile.perspectives}
    return pd.DataFrame(
        [
            {
                t("ui.time.measured_step", lang): md(row.label),
                t("ui.time.measured_view", lang): md(views.get(row.perspective, row.perspective)),
                t("ui.time.measured_count", lang): fmt_number(row.count, lang),
                t("ui.time.measured_median", lang): fmt_number(row.median_minutes, lang, 1),
                t("ui.time.measured_estimate", lang): f"{fmt_number(row.low, lang, 1)}–{fmt_number(row.high, lang, 1)}",
            }
            for row in rows
        ]
    )


def change_table(q: Questionnaire, rows: list[Change], lang: Lang):
    """Earlier and current position and type per domain."""
    import pandas as pd

    x_short, y_short = (q.dimension(d).short.get(lang) for d in q.dimension_ids)

    def type_name(type_id: str | None) -> str:
        return q.types[type_id].name.get(lang) if type_id else "–"

    def position(x: float | None, y: float | None, type_id: str | None) -> str:
        return f"{fmt_score(x)} / {fmt_score(y)} – {type_name(type_id)}"

    data = [
        {
            t("ui.result.domain", lang): q.domain(row.domain).name.get(lang),
            t("ui.results.earlier", lang): position(row.before_x, row.before_y, row.before_type),
            t("ui.results.now", lang): position(row.after_x, row.after_y, row.after_type),
            f"Δ {x_short}": fmt_delta(row.after_x, row.before_x),
            f"Δ {y_short}": fmt_delta(row.after_y, row.before_y),
        }
        for row in rows
    ]
    return pd.DataFrame(data).set_index(t("ui.result.domain", lang)) if data else pd.DataFrame()


# Pages are drawn as few, larger markdown blocks: every element is a message to the
# browser, and the results page's rerun time grew with their number.


def export_buttons(q: Questionnaire, assessment: Assessment, lang: Lang) -> None:
    """The assessment as JSON (to continue or import later), its answers as CSV and, once a
    domain has a target, the targets and the ways there as CSV, side by side."""
    extra = [("targets", targets_csv, ":material/flag:")] if assessment.targets else []
    extra += [("plan", plan_csv, ":material/checklist:")] if assessment.plan else []
    left, right, *more = st.columns(2 + len(extra))
    left.download_button(
        t("ui.data.download_json", lang),
        data=lambda: assessment.to_json(),
        file_name=file_name(None, lang, assessment.profile.name, "json"),
        mime="application/json",
        icon=":material/download:",
        width="stretch",
    )
    right.download_button(
        t("ui.data.download_csv", lang),
        data=lambda: answers_csv(q, assessment, lang),
        file_name=file_name("answers", lang, assessment.profile.name),
        mime="text/csv",
        icon=":material/table:",
        width="stretch",
    )
    for column, (kind, build, icon) in zip(more, extra, strict=True):
        column.download_button(
            t(f"plan.ui.download_{kind}", lang),
            data=lambda build=build: build(q, assessment, lang),
            file_name=file_name(kind, lang, assessment.profile.name),
            mime="text/csv",
            icon=icon,
            width="stretch",
        )


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def type_legend(q: Questionnaire, lang: Lang) -> None:
    x_id, y_id = q.dimension_ids
    lines = []
    for type_def in q.model.types:
        levels = ", ".join(
            f"{q.dimension(d).name.get(lang)} {t('ui.results.level_' + type_def.quadrant[d], lang)}"
            for d in (x_id, y_id)
        )
        lines.append(f"**{md(type_def.name.get(lang))}** ({levels}): {md(type_def.gist.get(lang))}")
    st.markdown(bullets(lines))


def lead(readout: Readout, lang: Lang) -> None:
    """What the results open with: the next steps (for the outside view, the citizen's own),
    the two caveats and, for the outside view, what it cannot see."""
    if readout.outside is not None:
        st.header(t("ui.results_lead.outside_title", lang))
        st.caption(t("ui.results_lead.outside_help", lang))
        st.markdown(outside_steps_markdown(readout, lang))
    else:
        st.header(t("ui.results_lead.title", lang))
        if readout.next_steps:
            st.caption(t("ui.results_lead.help", lang))
            st.markdown(steps_markdown(readout, readout.next_steps, lang))
        else:
            st.caption(t("ui.results_lead.none", lang))
    st.info(caveats_markdown(lang), icon=":material/info:")
    if readout.outside is not None:
        st.warning(t("core.outside.unseen", lang), icon=":material/visibility_off:")
        with st.expander(t("ui.results_lead.unseen_title", lang), icon=":material/visibility_off:"):
            st.markdown(unseen_markdown(readout, lang))


def _recommendation_block(rec: Recommendation, number: int, tips: Mapping[str, tuple[Tip, ...]], lang: Lang) -> str:
    """A recommendation with its first step and the tips on the answers that call for it."""
    lines = [
        f"**{number}. {md(rec.title.get(lang))}**",
        md(rec.text.get(lang)),
        f":material/flag: *{t('ui.results.first_step', lang)}: {md(rec.first_step.get(lang))}*",
    ]
    lines += [
        f":material/lightbulb: {t('ui.results_lead.tip', lang)}: {md(tip.text.get(lang))}"
        for tip in tips.get(rec.id, ())
    ]
    return "  \n".join(lines)


def steps_markdown(readout: Readout, steps, lang: Lang) -> str:
    """First steps, numbered, each with its first step, the domains it serves and the answers
    that call for it."""
    q, answers = readout.questionnaire, readout.assessment.answers
    blocks = []
    for number, step in enumerate(steps, 1):
        why = "; ".join(md(reason_label(q.items[i], answers.get(i), lang)) for i in step.reasons)
        where = md(readout.domain_names(step.domains, lang))
        small = f"{t('ui.results_lead.for_domains', lang)}: {where} · " if where else ""
        blocks.append(
            f"{_recommendation_block(step.recommendation, number, readout.tips_with, lang)}  \n"
            f":small[{small}{t('ui.results.because', lang)}: {why}]"
        )
    return "\n\n".join(blocks)


def recommendations_markdown(recs, lang: Lang, tips: Mapping[str, tuple[Tip, ...]] | None = None) -> str:
    """Numbered recommendations, each with its first step, as one markdown block."""
    return "\n\n".join(_recommendation_block(rec, number, tips or {}, lang) for number, rec in enumerate(recs, 1))


def paths_markdown(readout: Readout, lang: Lang) -> str:
    """The paths along each axis, once for every domain that needs them."""
    q, blocks = readout.questionnaire, []
    for dim_id, paths in readout.paths.items():
        title = t("ui.results.path_title", lang, dimension=q.dimension(dim_id).name.get(lang))
        entries = [
            f"{_recommendation_block(p.recommendation, number, readout.tips_with, lang)}  \n"
            f":small[{t('ui.results_lead.for_domains', lang)}: {md(readout.domain_names(p.domains, lang))}]"
            for number, p in enumerate(paths, 1)
        ]
        blocks.append(f"##### {title}\n\n" + "\n\n".join(entries))
    return "\n\n".join(blocks)


def caveats_markdown(lang: Lang) -> str:
    """The two caveats every result leads with (the report's first page says the same)."""
    return f"**{t('ui.results_lead.caveats', lang)}:** {t('core.caveats.self', lang)} {t('core.caveats.model', lang)}"


def outside_steps_markdown(readout: Readout, lang: Lang) -> str:
    """The citizen's own steps, each with the questions it is about."""
    assert readout.outside is not None
    blocks = []
    for number, shown in enumerate(readout.outside.steps, 1):
        step = shown.step
        block = f"**{number}. {md(step.title.get(lang))}**  \n{md(step.text.get(lang))}"
        if shown.items:
            questions = "; ".join(
                md(t("core.outside.quoted", lang, question=question_text(readout, i, lang))) for i in shown.items
            )
            block += f"  \n:small[{t('core.outside.about_' + step.about, lang)}: {questions}]"
        blocks.append(block)
    return "\n\n".join(blocks)


def unseen_markdown(readout: Readout, lang: Lang) -> str:
    """The questions the outside view cannot see, by topic."""
    assert readout.outside is not None
    q = readout.questionnaire
    topics = {topic.id: topic.name.get(lang) for topic in q.model.topics}
    lines = [
        f"**{md(topics.get(topic, topic))}**: " + "; ".join(md(q.items[i].text.get(lang)) for i in items)
        for topic, items in readout.outside.unseen
    ]
    return bullets(lines)


def _lever_line(q: Questionnaire, assessment: Assessment, lever: Lever, lang: Lang) -> str:
    item = q.items[lever.item_id]
    return t(
        "ui.results.lever_line",
        lang,
        question=md(item.text.get(lang)),
        current=md(answer_label(item, assessment.answers.get(item.id), lang)),
        next=md(next_step_label(item, lever.next_option, lang)),
        next_gain=fmt_number(lever.next_gain, lang, 1),
        gain=fmt_number(lever.gain, lang, 1),
    )


def domain_detail(readout: Readout, domain_id: str, lang: Lang) -> None:
    """Everything about one domain: type, position, advice, levers and how the score came about."""
    q, assessment = readout.questionnaire, readout.assessment
    shown: DomainReadout = readout.domains[domain_id]
    domain, advice = shown.result, shown.advice
    x_id, y_id = q.dimension_ids

    metrics = st.columns(3)
    for column, dim_id in zip(metrics[:2], (x_id, y_id), strict=True):
        dim, threshold = domain.dimensions[dim_id], q.threshold(dim_id)
        low, high = fmt_score(dim.min, lang, threshold), fmt_score(dim.max, lang, threshold)
        column.metric(
            q.dimension(dim_id).name.get(lang),
            fmt_score(dim.score, lang, threshold),
            delta=t("ui.results.interval", lang, low=low, high=high),
            delta_color="off",
            delta_arrow="off",
            help=t("ui.results.interval_help", lang, low=low, high=high),
        )
    metrics[2].metric(t("ui.result.coverage", lang), fmt_percent(domain.coverage, lang))

    _type_block(q, shown, lang)

    # Everything after the type is reachable but collapsed: the page leads with the next steps.
    # Paths serve several domains: the page lists them once, above (paths_markdown).
    more = len(advice.first_steps) + len(advice.recommendations) + len(advice.tips)
    if more:
        with st.expander(t("ui.results.more_advice", lang, count=more), icon=":material/library_books:"):
            _more_advice(readout, advice, lang)

    with st.expander(t("ui.results_lead.levers", lang), icon=":material/trending_up:"):
        blocks = [f"*{t('ui.results.levers_help', lang)}*"]
        for dim_id, levers in shown.levers.items():
            lines = [_lever_line(q, assessment, lever, lang) for lever in levers] or [t("ui.results.no_levers", lang)]
            blocks.append(f"**{q.dimension(dim_id).name.get(lang)}**\n\n{bullets(lines)}")
        st.markdown("\n\n".join(blocks))

    if shown.open_items:
        with st.expander(t("ui.results.open_items", lang), icon=":material/help:"):
            lines = [_open_line(readout, item_id, lang) for item_id in shown.open_items]
            st.markdown(f"*{t('ui.results.open_items_help', lang)}*\n\n{bullets(lines)}")

    with st.expander(t("ui.results.contributions", lang), icon=":material/calculate:"):
        st.caption(t("ui.results.contributions_help", lang))
        st.dataframe(contribution_rows(readout, domain, lang), hide_index=True, width="stretch")


def _more_advice(readout: Readout, advice, lang: Lang) -> None:
    """The rest of the domain's advice: its other first steps, the type's other
    recommendations, tips."""
    tips = readout.tips_with
    blocks = []
    if advice.first_steps:
        steps = steps_markdown(readout, advice.first_steps, lang)
        blocks.append(f"##### {t('ui.results_lead.more_first_steps', lang)}\n\n{steps}")
    if advice.recommendations:
        recs = recommendations_markdown(advice.recommendations, lang, tips)
        blocks.append(f"##### {t('ui.results.recommendations', lang)}\n\n{recs}")
    if advice.tips:
        blocks.append(
            f"##### {t('ui.results.tips', lang)}\n\n{bullets([md(tip.text.get(lang)) for tip in advice.tips])}"
        )
    st.markdown("\n\n".join(blocks))


def _type_block(q: Questionnaire, shown: DomainReadout, lang: Lang) -> None:
    """The domain's type, whether it is stable, how sure the position is, and the type's profile."""
    domain = shown.result
    type_def = q.types.get(domain.type_id) if domain.type_id else None
    if type_def is None:
        st.warning(t("ui.results.no_type", lang), icon=":material/help:")
    else:
        st.subheader(type_def.name.get(lang))
        st.markdown(md(type_def.gist.get(lang)))
        group = group_line(q, domain, lang)
        if domain.group_disagrees:
            st.warning(md(group), icon=":material/groups:")
        elif domain.stable:
            st.success(t("ui.results.stable_text", lang), icon=":material/check_circle:")
        else:
            others = ", ".join(q.types[p].name.get(lang) for p in domain.possible_types if p != domain.type_id)
            st.info(t("ui.results.borderline_text", lang, others=others), icon=":material/compare_arrows:")
        if group and not domain.group_disagrees:
            st.caption(md(group))
        if shown.low_coverage:
            st.warning(
                t("ui.results.low_coverage", lang, coverage=fmt_percent(domain.coverage, lang)),
                icon=":material/warning:",
            )
        with st.expander(t("ui.results.type_profile", lang)):
            st.markdown(
                f"**{t('ui.results.characteristics', lang)}**  \n{md(type_def.characteristics.get(lang))}\n\n"
                f"**{t('ui.results.behaviour', lang)}**  \n{md(type_def.behaviour.get(lang))}\n\n"
                f"**{t('ui.results.opportunities', lang)}**\n\n{bullets([md(x.get(lang)) for x in type_def.opportunities])}\n\n"
                f"**{t('ui.results.challenges', lang)}**\n\n{bullets([md(x.get(lang)) for x in type_def.challenges])}"
            )


def _open_line(readout: Readout, item_id: str, lang: Lang) -> str:
    item = readout.questionnaire.items[item_id]
    state = readout.result.states[item_id].state
    label = state_label(item, state, readout.assessment.answers.get(item_id), lang, readout.numbers)
    return f"{md(question_text(readout, item_id, lang))} ({md(label)})"


def question_text(readout: Readout, item_id: str, lang: Lang) -> str:
    """A question with its number ("2.3 …"), as the report and the appendix print it."""
    number = readout.numbers.get(item_id)
    text = readout.questionnaire.items[item_id].text.get(lang)
    return f"{number} {text}" if number else text


def contribution_rows(readout: Readout, domain: DomainResult, lang: Lang) -> list[dict]:
    """Each item's answer, weight share and points on both dimensions."""
    q, assessment = readout.questionnaire, readout.assessment
    by_item: dict[str, dict] = {}
    for dim_id, dim in domain.dimensions.items():
        short = q.dimension(dim_id).short.get(lang)
        for c in dim.contributions:
            item = q.items[c.item_id]
            row = by_item.setdefault(
                c.item_id,
                {
                    t("ui.results.question", lang): question_text(readout, c.item_id, lang),
                    t("ui.results.answer", lang): state_label(
                        item, c.state, assessment.answers.get(c.item_id), lang, readout.numbers
                    ),
                },
            )
            row[t("ui.results.weight_share", lang, dimension=short)] = (
                fmt_percent(c.weight / dim.total_weight, lang, 1) if dim.total_weight else "–"
            )
            row[t("ui.results.points", lang, dimension=short)] = (
                fmt_number(c.points, lang, 1) if c.state.known else NO_VALUE
            )
    return list(by_item.values())


def item_rationales(q: Questionnaire, items, lang: Lang) -> str:
    """Every item with the dimensions it loads on, its weights and why (the method page)."""
    lines = []
    for item in items:
        loads = ", ".join(
            f"{q.dimension(d).short.get(lang)} {fmt_number(item.weight(d), lang, 1)}"
            for d in q.dimension_ids
            if item.weight(d) > 0
        )
        marks = []
        if item.mandatory is not None:
            marks.append(t("ui.method.duty", lang, law=md(item.mandatory.get(lang))))
        if item.not_applicable is not None:
            marks.append(t("ui.method.not_ours", lang))
        why = md(item.rationale.get(lang)) if item.rationale else ""
        extra = f" *{' · '.join(marks)}*" if marks else ""
        lines.append(f"- **{md(item.text.get(lang))}** ({loads}): {why}{extra}")
    return "\n".join(lines)


def perspective_and_domains(q: Questionnaire, lang: Lang, prefix: str) -> tuple[str | None, list[str]]:
    """The perspective and the domains, as a workshop or a round is created (keys ``<prefix>.perspective``,
    ``<prefix>.domains``)."""
    perspectives = {p.id: p for p in q.model.profile.perspectives}
    perspective = st.radio(
        t("ui.start.perspective", lang),
        list(perspectives),
        format_func=lambda p: perspectives[p].name.get(lang),
        captions=[p.description.get(lang) for p in perspectives.values()],
        key=f"{prefix}.perspective",
    )
    domains = st.multiselect(
        t("ui.start.domains", lang),
        list(q.domain_ids),
        format_func=lambda d: q.domain(d).name.get(lang),
        placeholder=t("ui.workshop.domains_placeholder", lang),
        key=f"{prefix}.domains",
    )
    return perspective, domains
