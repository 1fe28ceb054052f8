"""One domain in the report: type and position, what the classification means, the type's
profile, recommendations, paths, tips for weak answers and the levers."""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from ktmsc.labels import answer_label, fmt_percent, fmt_points, fmt_score, group_line, next_step_label, status_label
from ktmsc.readout import DomainReadout
from ktmsc.recommendations import safely_high
from ktmsc.report.context import ReportContext
from ktmsc.report.document import BODY_SIZE, FAMILY, INK, LINE, MUTED, clean, hex_rgb
from ktmsc.report.plan import plan_section
from ktmsc.scoring import DomainResult, Lever


def domain_section(ctx: ReportContext, domain: DomainReadout) -> None:
    pdf, result, advice = ctx.pdf, domain.result, domain.advice
    pdf.heading(ctx.domain_name(domain.domain))
    description = ctx.q.domain(domain.domain).description
    if description is not None:
        pdf.write_text(description.get(ctx.lang), size=9, style="I", colour=MUTED, after=3)
    _result_box(ctx, result)
    _classification(ctx, domain)
    plan_section(ctx, domain.domain)  # the target, the way there and the action plan, when there are any
    if advice.first_steps:
        pdf.heading(ctx.tr("report.domain.first_steps"), level=1, outline=False, keep=40)
        for index, step in enumerate(advice.first_steps, start=1):
            ctx.step(step, number=f"{index}. ")
    if result.type_id is not None:
        _type_profile(ctx, result.type_id)
        _recommendations(ctx, domain)
    if not domain.has_score:
        return  # nothing known in this domain: the notice says so, generic advice would only distract
    _paths(ctx, domain)
    if advice.tips:
        pdf.heading(ctx.tr("report.domain.tips"), level=1, outline=False, keep=30)
        for tip in advice.tips:
            ctx.tip(tip.item, tip.text.get(ctx.lang))
    _levers(ctx, domain)


def _result_box(ctx: ReportContext, domain: DomainResult) -> None:
    pdf = ctx.pdf
    x_id, y_id = ctx.q.dimension_ids
    if domain.type_id is None:
        pdf.notice(
            ctx.tr("report.domain.no_type") if ctx.readout.anything_answered else ctx.tr("report.nothing_answered")
        )
    else:
        type_def = ctx.q.types[domain.type_id]
        colour = hex_rgb(type_def.colour)
        pdf.ensure_space(36)
        top = pdf.y
        pdf.set_x(pdf.l_margin + 5)
        pdf.set_font(FAMILY, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 5, ctx.tr("report.domain.type_label"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + 5)
        pdf.set_font(FAMILY, "B", 17)
        pdf.set_text_color(*colour)
        pdf.cell(0, 9, clean(type_def.name.get(ctx.lang)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.write_text(type_def.gist.get(ctx.lang), style="I", indent=5, after=1)
        pdf.set_fill_color(*colour)
        pdf.rect(pdf.l_margin, top, 1.8, pdf.y - top, style="F")
        pdf.ln(2)
    rows = [
        (ctx.dim_name(x_id), _score_line(ctx, domain, x_id)),
        (ctx.dim_name(y_id), _score_line(ctx, domain, y_id)),
        (ctx.tr("report.summary.coverage"), fmt_percent(domain.coverage, ctx.lang)),
        (ctx.tr("report.summary.status"), status_label(domain, ctx.lang)),
    ]
    for label, value in rows:
        pdf.set_font(FAMILY, "", BODY_SIZE)
        pdf.set_text_color(*MUTED)
        pdf.cell(55, LINE + 0.5, clean(label))
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, "B", BODY_SIZE)
        pdf.multi_cell(pdf.epw - 55, LINE + 0.5, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", BODY_SIZE)
    pdf.ln(3)


def _score_line(ctx: ReportContext, domain: DomainResult, dim_id: str) -> str:
    dim = domain.dimensions[dim_id]
    if dim.score is None:
        return ctx.tr("report.domain.no_score")
    threshold = ctx.q.threshold(dim_id)
    level = ctx.tr("report.domain.high") if dim.score >= threshold else ctx.tr("report.domain.low")
    low, high = fmt_score(dim.min, ctx.lang, threshold), fmt_score(dim.max, ctx.lang, threshold)
    score = fmt_score(dim.score, ctx.lang, threshold)
    if low == high:
        return ctx.tr("report.domain.score_exact", score=score, level=level)
    return ctx.tr("report.domain.score_range", score=score, min=low, max=high, level=level)


def _classification(ctx: ReportContext, domain: DomainReadout) -> None:
    pdf, result = ctx.pdf, domain.result
    if result.type_id is None:
        return
    group = group_line(ctx.q, result, ctx.lang)
    if result.group_disagrees:
        pdf.notice(group)
    elif result.stable:
        pdf.write_text(ctx.tr("report.domain.stable_means"), size=9.5)
    else:
        others = [ctx.type_name(t_id) for t_id in result.possible_types if t_id != result.type_id]
        pdf.write_text(ctx.tr("report.domain.borderline_means", types=", ".join(others)), size=9.5)
    if group and not result.group_disagrees:
        pdf.write_text(group, size=9.5)
    if domain.low_coverage:
        pdf.notice(ctx.tr("report.domain.low_coverage", coverage=fmt_percent(result.coverage, ctx.lang)))
    if domain.open_items:
        pdf.write_text(ctx.tr("report.domain.open_items"), size=9.5, style="B", after=1)
        pdf.bullets([ctx.question(i) for i in domain.open_items], size=9.5, after=0.5)
        pdf.ln(1)


def _type_profile(ctx: ReportContext, type_id: str) -> None:
    pdf, type_def = ctx.pdf, ctx.q.types[type_id]
    pdf.heading(ctx.tr("report.domain.type_profile", type=type_def.name.get(ctx.lang)), level=1, outline=False)
    pdf.write_text(type_def.characteristics.get(ctx.lang), after=2.5)
    pdf.heading(ctx.tr("report.domain.opportunities"), level=2, outline=False)
    pdf.bullets([o.get(ctx.lang) for o in type_def.opportunities])
    pdf.heading(ctx.tr("report.domain.challenges"), level=2, outline=False)
    pdf.bullets([c.get(ctx.lang) for c in type_def.challenges])


def _recommendations(ctx: ReportContext, domain: DomainReadout) -> None:
    pdf = ctx.pdf
    pdf.heading(
        ctx.tr(
            "report.domain.recommendations",
            type=ctx.type_name(domain.result.type_id),
            domain=ctx.domain_name(domain.domain),
        ),
        level=1,
        outline=False,
        keep=32,
    )
    size_type = ctx.readout.size_type
    if size_type is not None:
        pdf.write_text(
            ctx.tr("report.domain.for_size_type", size_type=size_type.name.get(ctx.lang)), size=9, colour=MUTED
        )
    if not domain.advice.recommendations:
        pdf.write_text(ctx.tr("report.domain.no_more_recommendations"), size=9, colour=MUTED)
    for index, rec in enumerate(domain.advice.recommendations, start=1):
        ctx.recommendation(rec, number=f"{index}. ")


def _paths(ctx: ReportContext, domain: DomainReadout) -> None:
    pdf, advice = ctx.pdf, domain.advice
    if not advice.paths:
        return
    pdf.heading(ctx.tr("report.domain.paths"), level=1, outline=False, keep=50)
    for dim_id, paths in advice.paths.items():
        pdf.heading(ctx.tr("report.domain.towards", dimension=ctx.dim_name(dim_id)), level=2, outline=False, keep=40)
        if safely_high(ctx.q, domain.result.dimensions[dim_id]):
            pdf.write_text(ctx.tr("report.domain.paths_keep_going"), size=9, colour=MUTED)
        else:
            pdf.write_text(ctx.tr("report.domain.paths_why"), size=9, colour=MUTED)
        for path in paths:
            seen = ctx.printed_paths.get(path.id)
            if seen is None:
                link = pdf.add_link(page=pdf.page, y=pdf.y)
                ctx.printed_paths[path.id] = (pdf.page, link, ctx.domain_name(domain.domain))
                ctx.recommendation(path)
            else:
                page, link, where = seen
                pdf.ensure_space(3 * LINE)
                pdf.write_text(path.title.get(ctx.lang), size=10.5, style="B", after=0.5)
                pdf.write_text(
                    ctx.tr("report.domain.path_seen", page=page, domain=where),
                    size=9,
                    colour=MUTED,
                    link=link,
                    after=2,
                )


def _levers(ctx: ReportContext, domain: DomainReadout) -> None:
    pdf = ctx.pdf
    pdf.heading(ctx.tr("report.domain.levers"), level=1, outline=False, keep=45)
    pdf.write_text(ctx.tr("report.domain.levers_intro"), size=9, colour=MUTED)
    headings = [
        ctx.tr("report.domain.lever_question"),
        ctx.tr("report.domain.lever_now"),
        ctx.tr("report.domain.lever_next"),
        ctx.tr("report.domain.lever_points"),
    ]
    for dim_id, levers in domain.levers.items():
        pdf.heading(ctx.dim_name(dim_id), level=2, outline=False, keep=30)
        if not levers:
            pdf.write_text(ctx.tr("report.domain.no_levers"), size=9.5)
            continue
        rows = [_lever_row(ctx, lever) for lever in levers]
        pdf.grid(headings, rows, (70, 40, 40, 20), align=("LEFT", "LEFT", "LEFT", "RIGHT"), size=8.5)


def _lever_row(ctx: ReportContext, lever: Lever) -> list[str]:
    item = ctx.q.items[lever.item_id]
    gain = fmt_points(lever.next_gain, ctx.lang)
    if abs(lever.gain - lever.next_gain) >= 0.05:
        best = ctx.tr("report.domain.lever_best", points=fmt_points(lever.gain, ctx.lang))
        gain += "\n(" + best.replace(" ", "\u00a0") + ")"
    return [
        ctx.question(item.id, section=True),
        answer_label(item, ctx.a.answers.get(item.id), ctx.lang),
        next_step_label(item, lever.next_option, ctx.lang),
        gain,
    ]
