"""The report's first page, for the council: the municipality and the date, the type per
domain and whether it is stable, the next steps and the two caveats — one page, from the
same read-out the results page leads with."""

from __future__ import annotations

from datetime import datetime

from ktmsc.labels import fmt_date, reason_label, status_label
from ktmsc.recommendations import Step
from ktmsc.report.context import ReportContext
from ktmsc.report.document import ACCENT, MUTED
from ktmsc.texts import t

STEP_SIZE = 9.5
SMALL = 8.5
SMALL_LINE = 4.2


def at_a_glance(ctx: ReportContext, created: datetime) -> None:
    pdf, readout, lang = ctx.pdf, ctx.readout, ctx.lang
    pdf.add_page()
    pdf.write_text(ctx.q.model.title.get(lang), size=10, style="B", colour=ACCENT, after=1)
    pdf.write_text(ctx.tr("report.glance.title"), size=16, style="B", line=7, after=0.5)
    pdf.write_text(ctx.name, size=13, style="B", line=6, after=0.5)
    dates = ctx.tr("report.glance.dates", answers=fmt_date(ctx.a.updated_at, lang), created=fmt_date(created, lang))
    pdf.write_text(dates, size=9, colour=MUTED, after=2)
    if not readout.anything_answered:
        pdf.notice(ctx.tr("report.nothing_answered"))
    rows = [
        [ctx.domain_name(d.domain), ctx.type_name(d.result.type_id), status_label(d.result, lang)]
        for d in readout.domains.values()
    ]
    headings = [ctx.tr("report.summary.domain"), ctx.tr("report.summary.type"), ctx.tr("report.summary.status")]
    pdf.grid(headings, rows, (50, 35, 25), size=8.5)
    if readout.outside is not None:
        pdf.heading(ctx.tr("report.glance.outside_steps"), level=1, outline=False, keep=20)
        for number, shown in enumerate(readout.outside.steps, start=1):
            _outside_step(ctx, number, shown)
        pdf.write_text(t("core.outside.unseen", lang), size=SMALL, style="B", line=SMALL_LINE, after=2)
    elif readout.next_steps:
        pdf.heading(ctx.tr("report.glance.next_steps"), level=1, outline=False, keep=20)
        for number, step in enumerate(readout.next_steps, start=1):
            _step(ctx, number, step)
    pdf.ln(1)
    caveats = f"{t('core.caveats.self', lang)} {t('core.caveats.model', lang)}"
    pdf.labelled(ctx.tr("report.glance.caveats"), caveats, size=SMALL)


def _step(ctx: ReportContext, number: int, step: Step) -> None:
    """A next step in brief: what, the first step, for which domains and because of which answers
    (the overview prints it in full)."""
    pdf, rec, lang = ctx.pdf, step.recommendation, ctx.lang
    pdf.write_text(f"{number}. {rec.title.get(lang)}", size=10, style="B", after=0.5)
    pdf.labelled(ctx.tr("report.domain.first_step"), rec.first_step.get(lang), size=STEP_SIZE, after=0.5)
    reasons = "; ".join(reason_label(ctx.q.items[i], ctx.a.answers.get(i), lang) for i in step.reasons)
    line = ctx.tr("report.glance.for_because", domains=ctx.readout.domain_names(step.domains, lang), reasons=reasons)
    pdf.write_text(line, size=SMALL, colour=MUTED, line=SMALL_LINE, after=2)


def _outside_step(ctx: ReportContext, number: int, shown) -> None:
    """One of the citizen's own steps and the questions it is about."""
    pdf, step, lang = ctx.pdf, shown.step, ctx.lang
    pdf.write_text(f"{number}. {step.title.get(lang)}", size=10, style="B", after=0.5)
    pdf.write_text(step.text.get(lang), size=9, line=4.3, after=0.5)
    if shown.items:
        questions = "; ".join(t("core.outside.quoted", lang, question=ctx.question(i)) for i in shown.items)
        about = f"{t('core.outside.about_' + step.about, lang)}: {questions}"
        pdf.write_text(about, size=SMALL, colour=MUTED, line=SMALL_LINE, after=2)
