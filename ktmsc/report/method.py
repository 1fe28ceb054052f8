"""The report's closing chapters: how the result is computed, and every answer with its note
and evidence."""

from __future__ import annotations

from ktmsc.labels import fmt_percent, fmt_plain, state_label
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN
from ktmsc.model.schema import Item
from ktmsc.report.context import ReportContext
from ktmsc.report.document import ACCENT, BODY_SIZE, FAMILY, INK, LINE, MUTED, clean, one_line
from ktmsc.texts import t


def method(ctx: ReportContext) -> None:
    pdf, model = ctx.pdf, ctx.q.model
    pdf.heading(ctx.tr("report.method.title"))
    pdf.heading(ctx.tr("report.method.dimensions"), level=1, outline=False)
    for dim in ctx.q.dimensions:
        pdf.labelled(f"{dim.name.get(ctx.lang)} ({dim.short.get(ctx.lang)})", dim.description.get(ctx.lang))
    x_id, y_id = ctx.q.dimension_ids
    pdf.heading(ctx.tr("report.method.scores"), level=1, outline=False)
    shares = model.scoring.general_share
    pdf.write_text(
        ctx.tr(
            "report.method.scores_text",
            general=model.general.name.get(ctx.lang),
            x=ctx.dim_name(x_id),
            x_share=fmt_percent(shares[x_id], ctx.lang),
            y=ctx.dim_name(y_id),
            y_share=fmt_percent(shares[y_id], ctx.lang),
        ),
    )
    pdf.write_text(
        ctx.tr(
            "report.method.thresholds",
            x=ctx.dim_name(x_id),
            x_threshold=fmt_plain(ctx.q.threshold(x_id), ctx.lang),
            y=ctx.dim_name(y_id),
            y_threshold=fmt_plain(ctx.q.threshold(y_id), ctx.lang),
        )
    )
    note = ctx.readout.thresholds_note(ctx.lang)
    if note:  # a comparison round's median: what it means for the type
        pdf.write_text(f"{note} {ctx.tr('rounds.method.relative_short')}")
    pdf.heading(ctx.tr("report.method.coverage"), level=1, outline=False)
    pdf.write_text(ctx.tr("report.method.coverage_text"))
    pdf.heading(ctx.tr("report.method.types"), level=1, outline=False)
    pdf.write_text(ctx.tr("report.method.types_text"))
    levels = {"low": ctx.tr("report.method.low"), "high": ctx.tr("report.method.high")}
    rows = [
        [
            type_def.name.get(ctx.lang),
            levels[type_def.quadrant[x_id]],
            levels[type_def.quadrant[y_id]],
            type_def.gist.get(ctx.lang),
        ]
        for type_def in model.types
    ]
    headings = [ctx.tr("report.summary.type"), ctx.dim_short(x_id), ctx.dim_short(y_id), ctx.tr("report.method.gist")]
    pdf.grid(headings, rows, (30, 15, 15, 110), size=8.5)
    pdf.write_text(ctx.tr("report.method.levers_text"))
    pdf.heading(ctx.tr("report.method.caveats"), level=1, outline=False)
    caveats = [
        ctx.tr("report.method.caveat_snapshot"),
        ctx.tr("report.method.caveat_coverage"),
        f"{t('core.caveats.self', ctx.lang)} {ctx.tr('report.method.caveat_self')}",
        t("core.caveats.model", ctx.lang),
    ]
    if ctx.a.perspective == PERSPECTIVE_CITIZEN:
        caveats.append(ctx.tr("report.method.caveat_citizen"))
    pdf.bullets(caveats)


def appendix(ctx: ReportContext) -> None:
    pdf = ctx.pdf
    pdf.heading(ctx.tr("report.appendix.title"))
    pdf.write_text(ctx.tr("report.appendix.intro"), size=9, colour=MUTED, after=2)
    for s_index, (section, items) in enumerate(ctx.readout.sections, start=1):
        pdf.heading(f"{s_index}. {section.name.name.get(ctx.lang)}", level=1)
        for item in items:
            _appendix_item(ctx, item)


def _appendix_item(ctx: ReportContext, item: Item) -> None:
    pdf = ctx.pdf
    question = ctx.question(item.id)
    note = ctx.a.notes.get(item.id, "").strip()
    evidence = ctx.a.evidence.get(item.id, "").strip()
    first = pdf.estimate_height(question, pdf.epw, style="B", size=9.5, line=4.8) + 2 * LINE
    pdf.ensure_space(first)
    pdf.write_text(question, size=9.5, style="B", line=4.8, after=0.8)
    state = ctx.result.states.get(item.id)
    answer = state_label(
        item, state.state if state else None, ctx.a.answers.get(item.id), ctx.lang, ctx.readout.numbers
    )
    if item.id in ctx.readout.skipped:  # a quick check did not ask it: not a gap the person left
        answer = ctx.tr("core.quick.not_asked")
    pdf.labelled(ctx.tr("report.appendix.answer"), answer, indent=5, size=9.5, after=0.6)
    if note:
        pdf.labelled(ctx.tr("report.appendix.note"), note, indent=5, size=9, after=0.6)
    if evidence:
        _evidence(ctx, evidence)
    pdf.set_draw_color(225, 228, 231)
    pdf.set_line_width(0.15)
    pdf.ln(1)
    pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + pdf.epw, pdf.y)
    pdf.ln(2)
    pdf.set_font(FAMILY, "", BODY_SIZE)


def _evidence(ctx: ReportContext, evidence: str) -> None:
    """An evidence link is printed as a link when it is a plain web address, else as text."""
    pdf = ctx.pdf
    link = one_line(evidence)
    label = ctx.tr("report.appendix.evidence")
    if not (link.lower().startswith(("https://", "http://")) and " " not in link):
        pdf.labelled(label, evidence, indent=5, size=9, after=0.6)
        return
    pdf.set_x(pdf.l_margin + 5)
    pdf.set_font(FAMILY, "B", 9)
    pdf.write(4.5, clean(label) + ": ")
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*ACCENT)
    pdf.set_left_margin(pdf.l_margin + 5)
    pdf.write(4.5, link, link=link)
    pdf.set_left_margin(pdf.l_margin - 5)
    pdf.set_text_color(*INK)
    pdf.ln(4.5)
    pdf.ln(0.6)
