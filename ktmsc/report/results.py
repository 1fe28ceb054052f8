"""The PDF report of one assessment: the page for the council (:mod:`~ktmsc.report.glance`),
cover, overview, development, one section per domain, method, appendix.

Rendered from the assessment's :class:`~ktmsc.readout.Readout` — the same object the
results page shows — so screen and paper agree: the report computes nothing of its own.
The parts live beside this module: :mod:`~ktmsc.report.domain` (one domain) and
:mod:`~ktmsc.report.method` (method and appendix).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fpdf.enums import XPos, YPos

from ktmsc.charts import quadrant_spec
from ktmsc.i18n import Lang
from ktmsc.labels import (
    fmt_date,
    fmt_delta,
    fmt_number,
    fmt_percent,
    fmt_range,
    fmt_score,
    group_origin_line,
    status_label,
)
from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.readout import Readout, build_readout, quick_note
from ktmsc.report.chart import draw_chart
from ktmsc.report.context import ReportContext
from ktmsc.report.document import ACCENT, FAMILY, INK, MUTED, Document, clean, render_toc
from ktmsc.report.domain import domain_section
from ktmsc.report.glance import at_a_glance
from ktmsc.report.method import appendix, method
from ktmsc.scoring import LOW_COVERAGE, DomainResult
from ktmsc.texts import t

CHART_WIDTH_MM = 165
CHART_PX = (500, 440)  # plot size handed to quadrant_spec; the PDF scales the vector drawing
TOC_FROM_DOMAINS = 3


def build_report(
    questionnaire: Questionnaire,
    assessment: Assessment,
    lang: Lang,
    *,
    previous: Assessment | None = None,
    generated_at: datetime | None = None,
) -> bytes:
    """The report of ``assessment`` as PDF bytes (A4, fonts embedded).

    ``previous`` (an earlier assessment of the same municipality) adds a chapter
    with arrows from the earlier to the current positions and a change table.
    """
    return render_report(build_readout(questionnaire, assessment, previous), lang, generated_at=generated_at)


def render_report(readout: Readout, lang: Lang, *, generated_at: datetime | None = None) -> bytes:
    """The report of a read-out (the results page's own, when it offers the download)."""
    created = generated_at or datetime.now(UTC)
    name = readout.assessment.profile.name.strip() or t("report.unnamed", lang)
    ctx = ReportContext(readout, lang, Document(lang, title=t("report.title", lang), header_left=name, created=created))
    pdf = ctx.pdf
    at_a_glance(ctx, created)
    _cover(ctx, created)
    pdf.add_page()
    if len(readout.domains) >= TOC_FROM_DOMAINS:
        pdf.insert_toc_placeholder(render_toc)
    _summary(ctx)
    if readout.earlier_assessment is not None:
        pdf.add_page()
        _history(ctx)
    for domain in readout.domains.values():
        pdf.add_page()
        domain_section(ctx, domain)
    pdf.add_page()
    method(ctx)
    pdf.add_page()
    appendix(ctx)
    return bytes(pdf.output())


def _cover(ctx: ReportContext, created: datetime) -> None:
    pdf, profile, q, lang = ctx.pdf, ctx.a.profile, ctx.q, ctx.lang
    pdf.add_page()
    pdf.set_y(38)
    pdf.write_text(q.model.title.get(lang), size=12, style="B", colour=ACCENT, after=2)
    pdf.write_text(ctx.tr("report.cover.kind"), size=26, style="B", line=12, after=3)
    pdf.write_text(ctx.tr("report.cover.subtitle"), size=11, colour=MUTED, line=5.5, after=14)
    pdf.write_text(ctx.name, size=22, style="B", line=10, after=8)

    size_type = ctx.readout.size_type
    not_given = ctx.tr("report.not_given")
    population = fmt_number(profile.population, lang) if profile.population is not None else not_given
    stored, version = ctx.a.questionnaire_version, q.version
    if stored and stored != version:
        version = ctx.tr("report.cover.version_differs", current=version, stored=stored)
    facts = [
        (ctx.tr("report.cover.body_kind"), ctx.profile_name(q.model.profile.body_kinds, profile.body_kind)),
        (ctx.tr("report.cover.state"), ctx.profile_name(q.model.profile.states, profile.state)),
        (ctx.tr("report.cover.population"), population),
        (ctx.tr("report.cover.size_type"), size_type.name.get(lang) if size_type else not_given),
        (ctx.tr("report.cover.perspective"), ctx.profile_name(q.model.profile.perspectives, profile.perspective)),
        (ctx.tr("report.cover.domains"), ", ".join(ctx.domain_name(d) for d in ctx.readout.domains)),
        (ctx.tr("report.cover.answers_as_of"), fmt_date(ctx.a.updated_at, lang)),
        (ctx.tr("report.cover.date"), fmt_date(created, lang)),
        (ctx.tr("report.cover.version"), version),
    ]
    for label, value in facts:
        top = pdf.y
        pdf.set_font(FAMILY, "", 10)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(48, 6, clean(label), new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_text_color(*INK)
        pdf.multi_cell(pdf.epw - 48, 6, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(pdf.y, top + 6) + 1)
    pdf.ln(8)
    if not ctx.readout.anything_answered:
        pdf.notice(ctx.tr("report.nothing_answered"))
    pdf.set_y(max(pdf.y, pdf.page_break_trigger - 30))
    pdf.write_text(ctx.tr("report.cover.snapshot"), size=8.5, colour=MUTED, line=4.3)


def _summary(ctx: ReportContext) -> None:
    pdf, readout = ctx.pdf, ctx.readout
    pdf.heading(ctx.tr("report.summary.title"))
    note = readout.thresholds_note(ctx.lang)
    if note:  # a comparison round that splits its types at its median
        pdf.notice(note)
    if readout.assessment.group is not None:
        pdf.notice(group_origin_line(readout.assessment.group, ctx.lang))
    if readout.quick is not None:
        pdf.notice(f"{ctx.tr('core.quick.label')}: {quick_note(readout, ctx.lang)}")
    answered, dont_know, total = readout.answer_counts()
    if dont_know:
        pdf.write_text(ctx.tr("report.summary.counts", answered=answered, total=total, dont_know=dont_know), after=3)
    elif answered:
        pdf.write_text(ctx.tr("report.summary.counts_plain", answered=answered, total=total), after=3)
    domains = [d.result for d in readout.domains.values()]
    if not readout.anything_answered:
        pdf.notice(ctx.tr("report.nothing_answered"))
    elif any(d.type_id for d in domains):
        chart = quadrant_spec(ctx.q, domains, ctx.lang, width=CHART_PX[0], height=CHART_PX[1])
        # The overview is one page: the chart leaves room for the table and its legend.
        draw_chart(pdf, chart, CHART_WIDTH_MM, leave=22 + 10 * len(domains))
    x_id, y_id = ctx.q.dimension_ids
    rows = [
        [
            ctx.domain_name(d.domain),
            _score_with_range(ctx, d, x_id),
            _score_with_range(ctx, d, y_id),
            fmt_percent(d.coverage, ctx.lang),
            ctx.type_name(d.type_id),
            status_label(d, ctx.lang),
        ]
        for d in domains
    ]
    headings = [
        ctx.tr("report.summary.domain"),
        ctx.dim_short(x_id),
        ctx.dim_short(y_id),
        ctx.tr("report.summary.coverage"),
        ctx.tr("report.summary.type"),
        ctx.tr("report.summary.status"),
    ]
    pdf.grid(
        headings, rows, (38, 24, 24, 20, 35, 21), align=("LEFT", "CENTER", "CENTER", "RIGHT", "LEFT", "LEFT"), size=8.5
    )
    pdf.write_text(ctx.tr("report.summary.legend", abbreviations=ctx.abbreviations()), size=8, colour=MUTED, line=4)
    low = [ctx.domain_name(d) for d in readout.low_coverage]
    if low and readout.anything_answered:
        share = fmt_percent(LOW_COVERAGE, ctx.lang)
        pdf.notice(ctx.tr("report.summary.low_coverage", domains=", ".join(low), share=share))
    _unseen(ctx)
    _leading_advice(ctx)


def _unseen(ctx: ReportContext) -> None:
    """What the outside view cannot see, by topic."""
    pdf, readout = ctx.pdf, ctx.readout
    if readout.outside is not None:
        pdf.heading(ctx.tr("report.glance.unseen_title"), level=1, outline=False, keep=30)
        pdf.write_text(t("core.outside.unseen", ctx.lang), size=9, colour=MUTED)
        topics = {topic.id: topic.name.get(ctx.lang) for topic in ctx.q.model.topics}
        for topic, items in readout.outside.unseen:
            pdf.labelled(topics.get(topic, topic), "; ".join(ctx.q.items[i].text.get(ctx.lang) for i in items), size=9)


def _leading_advice(ctx: ReportContext) -> None:
    """The next steps in full, the other steps for every domain, and the general tips."""
    pdf, readout = ctx.pdf, ctx.readout
    if readout.next_steps:
        pdf.heading(ctx.tr("report.glance.next_steps_full"), level=1, outline=False, keep=40)
        pdf.write_text(ctx.tr("report.glance.next_steps_intro"), size=9, colour=MUTED)
        for index, step in enumerate(readout.next_steps, start=1):
            ctx.step(step, number=f"{index}. ")
    if readout.outside is not None:
        # The advice that follows is the administration's: for a citizen, ideas of what to raise.
        pdf.heading(ctx.tr("report.glance.admin_advice_title"), level=1, outline=False, keep=20)
        pdf.write_text(t("core.outside.admin_advice", ctx.lang), size=9, colour=MUTED)
    if readout.cross_domain:
        pdf.heading(ctx.tr("report.summary.cross_domain"), level=1, outline=False, keep=40)
        pdf.write_text(ctx.tr("report.summary.cross_domain_intro"), size=9, colour=MUTED)
        for index, step in enumerate(readout.cross_domain, start=1):
            ctx.step(step, number=f"{index}. ")
    if readout.general_tips:
        pdf.heading(ctx.tr("report.summary.general_tips"), level=1, outline=False, keep=30)
        pdf.write_text(ctx.tr("report.summary.general_tips_intro"), size=9, colour=MUTED)
        for tip in readout.general_tips:
            ctx.tip(tip.item, tip.text.get(ctx.lang))


def _score_with_range(ctx: ReportContext, domain: DomainResult, dim_id: str) -> str:
    dim = domain.dimensions[dim_id]
    return fmt_range(dim.score, dim.min, dim.max, ctx.lang, ctx.q.threshold(dim_id))


def _history(ctx: ReportContext) -> None:
    pdf, readout = ctx.pdf, ctx.readout
    previous = readout.earlier_assessment
    assert previous is not None
    dated = previous.updated_at or previous.created_at
    if dated is None:  # an imported file without timestamps
        pdf.heading(ctx.tr("report.history.title_undated"))
    else:
        pdf.heading(ctx.tr("report.history.title", date=fmt_date(dated, ctx.lang)))
    pdf.write_text(ctx.tr("report.history.intro"), after=3)
    if previous.perspective != ctx.a.perspective:
        pdf.notice(ctx.tr("report.history.other_perspective"))
    if previous.questionnaire_version and previous.questionnaire_version != ctx.q.version:
        pdf.notice(ctx.tr("report.history.other_version", version=previous.questionnaire_version))
    domains = [d.result for d in readout.domains.values()]
    positions = readout.earlier_positions()
    if positions and any(d.type_id for d in domains):
        chart = quadrant_spec(
            ctx.q,
            domains,
            ctx.lang,
            previous=positions,
            targets=readout.earlier_targets(),
            width=CHART_PX[0],
            height=CHART_PX[1],
        )
        draw_chart(pdf, chart, CHART_WIDTH_MM, leave=20 + 11 * len(domains))
    x_short, y_short = (ctx.dim_short(d) for d in ctx.q.dimension_ids)

    def position(x: float | None, y: float | None, type_id: str | None, known: bool) -> str:
        if not known:
            return ctx.tr("report.history.not_assessed")
        return f"{fmt_score(x)} / {fmt_score(y)}\n{ctx.type_name(type_id)}"

    rows = []
    for change in readout.changes():
        assessed_before = readout.domains[change.domain].earlier is not None
        delta = "–"
        if assessed_before:
            delta = (
                f"{x_short} {fmt_delta(change.after_x, change.before_x)}, "
                f"{y_short} {fmt_delta(change.after_y, change.before_y)}"
            )
        rows.append(
            [
                ctx.domain_name(change.domain),
                position(change.before_x, change.before_y, change.before_type, assessed_before),
                position(change.after_x, change.after_y, change.after_type, True),
                delta,
            ]
        )
    short = f"{x_short} / {y_short}"
    headings = [
        ctx.tr("report.summary.domain"),
        ctx.tr("report.history.before", dims=short),
        ctx.tr("report.history.now", dims=short),
        ctx.tr("report.history.change"),
    ]
    pdf.grid(headings, rows, (26, 26, 26, 22), size=9)
