"""A domain's target and action plan in the report: the proposal's sentence and measures,
and the plan's entries as a table (the texts the results page shows)."""

from __future__ import annotations

from ktmsc.action_plan import plan_lines
from ktmsc.report.context import ReportContext
from ktmsc.targets import target_readout


def plan_section(ctx: ReportContext, domain_id: str) -> None:
    """Nothing without a target or a plan entry for the domain."""
    shown = target_readout(ctx.q, ctx.a, domain_id, ctx.lang, ctx.readout.numbers)
    lines = plan_lines(ctx.q, ctx.a, domain_id, ctx.lang)
    if shown is None and not lines:
        return
    pdf = ctx.pdf
    pdf.heading(ctx.tr("plan.ui.title"), level=1, outline=False, keep=40)
    if shown is not None:
        pdf.write_text(shown.verdict, size=9.5, after=2)
        if shown.measures:
            headings = [ctx.tr(f"plan.ui.{k}") for k in ("measure", "change", "effort", "points")]
            rows = [[m.question, m.change, m.effort, m.points] for m in shown.measures]
            pdf.grid(headings, rows, (55, 60, 25, 30), size=8.5)
            pdf.write_text(f"{ctx.tr('plan.ui.today')}: {shown.today}", size=9, after=0.5)
            pdf.write_text(f"{ctx.tr('plan.ui.projected')}: {shown.projected}", size=9, after=0.5)
            pdf.write_text(shown.effort, size=9, after=2)
    if lines:
        pdf.heading(ctx.tr("plan.action.title"), level=2, outline=False, keep=30)
        headings = [ctx.tr(f"plan.action.{k}") for k in ("what", "who", "due", "status", "note")]
        rows = [[line.what, line.who, line.due, line.status, line.note] for line in lines]
        pdf.grid(headings, rows, (60, 30, 20, 18, 42), size=8.5)
