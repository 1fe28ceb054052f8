"""The PDF report of one assessment: cover, overview, one section per domain, method, appendix.

Rendered only from the core objects: the result comes from
:func:`ktmsc.scoring.score` and the advice from :func:`ktmsc.recommendations.advise`,
exactly as on screen, so screen and paper always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fpdf.enums import XPos, YPos

from ktmsc import history
from ktmsc.assessment import Assessment
from ktmsc.charts import quadrant_spec
from ktmsc.content.schema import Item, Recommendation
from ktmsc.export import answer_label, item_numbers, selected_sections
from ktmsc.i18n import Lang
from ktmsc.questionnaire import PERSPECTIVE_CITIZEN, Questionnaire
from ktmsc.recommendations import Advice, advise, general_tips, safely_high
from ktmsc.report.chart import draw_chart
from ktmsc.report.document import (
    BODY_SIZE,
    FAMILY,
    INK,
    LINE,
    MUTED,
    Document,
    clean,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_score,
    hex_rgb,
    one_line,
    render_toc,
)
from ktmsc.scoring import LOW_COVERAGE, DomainResult, Lever, Result, State, score
from ktmsc.texts import t

LEVERS_PER_DIMENSION = 3
OPEN_ITEMS_SHOWN = 3
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
    return _Report(questionnaire, assessment, lang, previous, generated_at or datetime.now(UTC)).build()


@dataclass
class _Report:
    q: Questionnaire
    a: Assessment
    lang: Lang
    previous: Assessment | None
    generated_at: datetime
    printed_paths: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # id → (page, link, domain)

    def __post_init__(self) -> None:
        profile = self.a.profile
        self.result: Result = score(self.q, self.a.answers, self.a.domains, self.a.perspective, profile.population)
        self.size_type = self.q.size_type_for(profile.population)
        size_id = self.size_type.id if self.size_type else None
        self.advice: dict[str, Advice] = {d: advise(self.q, self.result, d, size_id) for d in self.result.domains}
        self.sections = selected_sections(self.q, list(self.result.domains), self.a.perspective)
        self.numbers = item_numbers(self.sections)
        self.name = profile.name.strip() or t("report.unnamed", self.lang)
        self.anything_answered = any(s.state is State.ANSWERED for s in self.result.states.values())
        self.pdf = Document(
            self.lang, title=t("report.title", self.lang), header_left=self.name, created=self.generated_at
        )

    # --- small helpers ---

    def tr(self, key: str, **params: Any) -> str:
        return t(key, self.lang, **params)

    def domain_name(self, domain_id: str) -> str:
        return self.q.domain(domain_id).name.get(self.lang)

    def type_name(self, type_id: str | None) -> str:
        return self.q.types[type_id].name.get(self.lang) if type_id else self.tr("report.no_type")

    def dim_name(self, dim_id: str) -> str:
        return self.q.dimension(dim_id).name.get(self.lang)

    def dim_short(self, dim_id: str) -> str:
        return self.q.dimension(dim_id).short.get(self.lang)

    def score_with_range(self, domain: DomainResult, dim_id: str) -> str:
        dim = domain.dimensions[dim_id]
        if dim.score is None:
            return "–"
        if round(dim.min) == round(dim.max):
            return fmt_score(dim.score)
        return f"{fmt_score(dim.score)} ({fmt_score(dim.min)}–{fmt_score(dim.max)})"

    def abbreviations(self) -> str:
        return ", ".join(f"{self.dim_short(d)} = {self.dim_name(d)}" for d in self.q.dimension_ids)

    def status(self, domain: DomainResult) -> str:
        if domain.type_id is None:
            return "–"
        return self.tr("report.stable") if domain.stable else self.tr("report.borderline")

    def profile_name(self, options, value: str | None) -> str:
        for option in options:
            if option.id == value:
                return option.name.get(self.lang)
        return self.tr("report.not_given")

    def question(self, item_id: str) -> str:
        item = self.q.items[item_id]
        number = self.numbers.get(item_id)
        return f"{number} {item.text.get(self.lang)}" if number else item.text.get(self.lang)

    # --- the document ---

    def build(self) -> bytes:
        pdf = self.pdf
        self.cover()
        pdf.add_page()
        if len(self.result.domains) >= TOC_FROM_DOMAINS:
            pdf.insert_toc_placeholder(render_toc)
        self.summary()
        if self.previous is not None:
            pdf.add_page()
            self.history()
        for domain_id in self.result.domains:
            pdf.add_page()
            self.domain_section(domain_id)
        pdf.add_page()
        self.method()
        pdf.add_page()
        self.appendix()
        return bytes(pdf.output())

    # --- cover ---

    def cover(self) -> None:
        pdf, profile = self.pdf, self.a.profile
        pdf.add_page()
        pdf.set_y(38)
        pdf.write_text(self.q.model.title.get(self.lang), size=12, style="B", colour=(47, 111, 159), after=2)
        pdf.write_text(self.tr("report.cover.kind"), size=26, style="B", line=12, after=3)
        pdf.write_text(self.tr("report.cover.subtitle"), size=11, colour=MUTED, line=5.5, after=14)
        pdf.write_text(self.name, size=22, style="B", line=10, after=8)

        size_type = self.size_type.name.get(self.lang) if self.size_type else self.tr("report.not_given")
        population = (
            fmt_number(profile.population, self.lang) if profile.population is not None else self.tr("report.not_given")
        )
        stored = self.a.questionnaire_version
        version = self.q.version
        if stored and stored != version:
            version = self.tr("report.cover.version_differs", current=version, stored=stored)
        facts = [
            (self.tr("report.cover.body_kind"), self.profile_name(self.q.model.profile.body_kinds, profile.body_kind)),
            (self.tr("report.cover.state"), self.profile_name(self.q.model.profile.states, profile.state)),
            (self.tr("report.cover.population"), population),
            (self.tr("report.cover.size_type"), size_type),
            (
                self.tr("report.cover.perspective"),
                self.profile_name(self.q.model.profile.perspectives, profile.perspective),
            ),
            (self.tr("report.cover.domains"), ", ".join(self.domain_name(d) for d in self.result.domains)),
            (self.tr("report.cover.answers_as_of"), fmt_date(self.a.updated_at, self.lang)),
            (self.tr("report.cover.date"), fmt_date(self.generated_at, self.lang)),
            (self.tr("report.cover.version"), version),
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
        if not self.anything_answered:
            pdf.notice(self.tr("report.nothing_answered"))
        pdf.set_y(max(pdf.y, pdf.page_break_trigger - 30))
        pdf.write_text(self.tr("report.cover.snapshot"), size=8.5, colour=MUTED, line=4.3)

    # --- overview ---

    def answer_counts(self) -> tuple[int, int, int]:
        visible = [s for s in self.result.states.values() if s.visible]
        answered = sum(s.state is State.ANSWERED for s in visible)
        dont_know = sum(s.state is State.DONT_KNOW for s in visible)
        return answered, dont_know, len(visible)

    def summary(self) -> None:
        pdf = self.pdf
        pdf.heading(self.tr("report.summary.title"))
        answered, dont_know, total = self.answer_counts()
        if dont_know:
            pdf.write_text(
                self.tr("report.summary.counts", answered=answered, total=total, dont_know=dont_know), after=3
            )
        elif answered:
            pdf.write_text(self.tr("report.summary.counts_plain", answered=answered, total=total), after=3)
        domains = list(self.result.domains.values())
        if not self.anything_answered:
            pdf.notice(self.tr("report.nothing_answered"))
        elif any(d.type_id for d in domains):
            chart = quadrant_spec(self.q, domains, self.lang, width=CHART_PX[0], height=CHART_PX[1])
            # The overview is one page: the chart leaves room for the table and its legend.
            draw_chart(pdf, chart, CHART_WIDTH_MM, leave=22 + 10 * len(domains))
        x_id, y_id = self.q.dimension_ids
        rows = [
            [
                self.domain_name(d.domain),
                self.score_with_range(d, x_id),
                self.score_with_range(d, y_id),
                fmt_percent(d.coverage, self.lang),
                self.type_name(d.type_id),
                self.status(d),
            ]
            for d in domains
        ]
        headings = [
            self.tr("report.summary.domain"),
            self.dim_short(x_id),
            self.dim_short(y_id),
            self.tr("report.summary.coverage"),
            self.tr("report.summary.type"),
            self.tr("report.summary.status"),
        ]
        pdf.grid(
            headings,
            rows,
            (38, 24, 24, 20, 35, 21),
            align=("LEFT", "CENTER", "CENTER", "RIGHT", "LEFT", "LEFT"),
            size=8.5,
        )
        pdf.write_text(
            self.tr("report.summary.legend", abbreviations=self.abbreviations()), size=8, colour=MUTED, line=4
        )
        low = [self.domain_name(d.domain) for d in domains if d.coverage < LOW_COVERAGE]
        if low and self.anything_answered:
            pdf.notice(
                self.tr(
                    "report.summary.low_coverage", domains=", ".join(low), share=fmt_percent(LOW_COVERAGE, self.lang)
                )
            )
        tips = general_tips(self.q, self.result)
        if tips:
            pdf.heading(self.tr("report.summary.general_tips"), level=1, outline=False, keep=30)
            pdf.write_text(self.tr("report.summary.general_tips_intro"), size=9, colour=MUTED)
            for tip in tips:
                self.tip(tip.item, tip.text.get(self.lang))

    # --- history ---

    def history(self) -> None:
        pdf, previous = self.pdf, self.previous
        assert previous is not None
        dated = previous.updated_at or previous.created_at
        if dated is None:  # an imported file without timestamps
            pdf.heading(self.tr("report.history.title_undated"))
        else:
            pdf.heading(self.tr("report.history.title", date=fmt_date(dated, self.lang)))
        earlier_domains = [d for d in self.result.domains if d in previous.domains]
        # Positions and types only: the earlier assessment's levers and contributions are not shown.
        earlier = score(
            self.q, previous.answers, earlier_domains, previous.perspective, previous.profile.population, detail=False
        )
        x_id, y_id = self.q.dimension_ids
        positions = history.positions(self.q, earlier)
        pdf.write_text(self.tr("report.history.intro"), after=3)
        if previous.perspective != self.a.perspective:
            pdf.notice(self.tr("report.history.other_perspective"))
        if previous.questionnaire_version and previous.questionnaire_version != self.q.version:
            pdf.notice(self.tr("report.history.other_version", version=previous.questionnaire_version))
        domains = list(self.result.domains.values())
        if positions and any(d.type_id for d in domains):
            chart = quadrant_spec(self.q, domains, self.lang, previous=positions, width=CHART_PX[0], height=CHART_PX[1])
            draw_chart(pdf, chart, CHART_WIDTH_MM, leave=20 + 11 * len(domains))

        def position(domain: DomainResult | None) -> str:
            if domain is None:
                return self.tr("report.history.not_assessed")
            x, y = domain.dimensions[x_id].score, domain.dimensions[y_id].score
            return f"{fmt_score(x)} / {fmt_score(y)}\n{self.type_name(domain.type_id)}"

        def delta(now: float | None, before: float | None) -> str:
            if now is None or before is None:
                return "–"
            change = round(now) - round(before)
            return f"{change:+d}".replace("-", "−") if change else "±0"

        rows = []
        for domain in domains:
            before = earlier.domains.get(domain.domain)
            change = "–"
            if before is not None:
                change = (
                    f"{self.dim_short(x_id)} {delta(domain.dimensions[x_id].score, before.dimensions[x_id].score)}, "
                    f"{self.dim_short(y_id)} {delta(domain.dimensions[y_id].score, before.dimensions[y_id].score)}"
                )
            rows.append([self.domain_name(domain.domain), position(before), position(domain), change])
        short = f"{self.dim_short(x_id)} / {self.dim_short(y_id)}"
        headings = [
            self.tr("report.summary.domain"),
            self.tr("report.history.before", dims=short),
            self.tr("report.history.now", dims=short),
            self.tr("report.history.change"),
        ]
        pdf.grid(headings, rows, (26, 26, 26, 22), size=9)

    # --- one domain ---

    def domain_section(self, domain_id: str) -> None:
        pdf, domain, advice = self.pdf, self.result.domains[domain_id], self.advice[domain_id]
        pdf.heading(self.domain_name(domain_id))
        description = self.q.domain(domain_id).description
        if description is not None:
            pdf.write_text(description.get(self.lang), size=9, style="I", colour=MUTED, after=3)
        self.result_box(domain)
        self.classification(domain)
        if domain.type_id is not None:
            self.type_profile(domain.type_id)
            self.recommendations(domain_id, domain.type_id, advice.recommendations)
        if all(dim.score is None for dim in domain.dimensions.values()):
            return  # nothing known in this domain: the notice says so, generic advice would only distract
        self.paths(domain, advice)
        if advice.tips:
            pdf.heading(self.tr("report.domain.tips"), level=1, outline=False, keep=30)
            for tip in advice.tips:
                self.tip(tip.item, tip.text.get(self.lang))
        self.levers(domain)

    def result_box(self, domain: DomainResult) -> None:
        pdf = self.pdf
        x_id, y_id = self.q.dimension_ids
        if domain.type_id is None:
            pdf.notice(
                self.tr("report.domain.no_type") if self.anything_answered else self.tr("report.nothing_answered")
            )
        else:
            type_def = self.q.types[domain.type_id]
            colour = hex_rgb(type_def.colour)
            pdf.ensure_space(36)
            top = pdf.y
            pdf.set_x(pdf.l_margin + 5)
            pdf.set_font(FAMILY, "", 9)
            pdf.set_text_color(*MUTED)
            pdf.cell(0, 5, self.tr("report.domain.type_label"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_x(pdf.l_margin + 5)
            pdf.set_font(FAMILY, "B", 17)
            pdf.set_text_color(*colour)
            pdf.cell(0, 9, clean(type_def.name.get(self.lang)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.write_text(type_def.gist.get(self.lang), style="I", indent=5, after=1)
            pdf.set_fill_color(*colour)
            pdf.rect(pdf.l_margin, top, 1.8, pdf.y - top, style="F")
            pdf.ln(2)
        rows = [
            (self.dim_name(x_id), self.score_line(domain, x_id)),
            (self.dim_name(y_id), self.score_line(domain, y_id)),
            (self.tr("report.summary.coverage"), fmt_percent(domain.coverage, self.lang)),
            (self.tr("report.summary.status"), self.status(domain)),
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

    def score_line(self, domain: DomainResult, dim_id: str) -> str:
        dim = domain.dimensions[dim_id]
        if dim.score is None:
            return self.tr("report.domain.no_score")
        threshold = self.q.threshold(dim_id)
        level = self.tr("report.domain.high") if dim.score >= threshold else self.tr("report.domain.low")
        if round(dim.min) == round(dim.max):
            return self.tr("report.domain.score_exact", score=fmt_score(dim.score), level=level)
        return self.tr(
            "report.domain.score_range",
            score=fmt_score(dim.score),
            min=fmt_score(dim.min),
            max=fmt_score(dim.max),
            level=level,
        )

    def classification(self, domain: DomainResult) -> None:
        pdf = self.pdf
        if domain.type_id is None:
            return
        if domain.stable:
            pdf.write_text(self.tr("report.domain.stable_means"), size=9.5)
        else:
            others = [self.type_name(t_id) for t_id in domain.possible_types if t_id != domain.type_id]
            pdf.write_text(self.tr("report.domain.borderline_means", types=", ".join(others)), size=9.5)
        if domain.coverage < LOW_COVERAGE:
            pdf.notice(self.tr("report.domain.low_coverage", coverage=fmt_percent(domain.coverage, self.lang)))
        open_items: list[str] = []
        for dim in sorted(domain.dimensions.values(), key=lambda d: -(d.max - d.min)):
            for item_id in dim.open_items:
                if item_id not in open_items and self.result.states[item_id].visible:
                    open_items.append(item_id)
        if open_items and not domain.stable:
            pdf.write_text(self.tr("report.domain.open_items"), size=9.5, style="B", after=1)
            pdf.bullets([self.question(i) for i in open_items[:OPEN_ITEMS_SHOWN]], size=9.5, after=0.5)
            pdf.ln(1)

    def type_profile(self, type_id: str) -> None:
        pdf, type_def = self.pdf, self.q.types[type_id]
        pdf.heading(self.tr("report.domain.type_profile", type=type_def.name.get(self.lang)), level=1, outline=False)
        pdf.write_text(type_def.characteristics.get(self.lang), after=2.5)
        pdf.heading(self.tr("report.domain.opportunities"), level=2, outline=False)
        pdf.bullets([o.get(self.lang) for o in type_def.opportunities])
        pdf.heading(self.tr("report.domain.challenges"), level=2, outline=False)
        pdf.bullets([c.get(self.lang) for c in type_def.challenges])

    def recommendations(self, domain_id: str, type_id: str, recs: tuple[Recommendation, ...]) -> None:
        pdf = self.pdf
        pdf.heading(
            self.tr("report.domain.recommendations", type=self.type_name(type_id), domain=self.domain_name(domain_id)),
            level=1,
            outline=False,
            keep=32,
        )
        if self.size_type is not None:
            pdf.write_text(
                self.tr("report.domain.for_size_type", size_type=self.size_type.name.get(self.lang)),
                size=9,
                colour=MUTED,
            )
        for index, rec in enumerate(recs, start=1):
            self.recommendation(rec, number=f"{index}. ")

    def recommendation(self, rec: Recommendation, *, number: str = "") -> None:
        pdf = self.pdf
        title = number + rec.title.get(self.lang)
        pdf.ensure_space(pdf.estimate_height(title, pdf.epw, style="B", size=10.5) + 4 * LINE)
        pdf.write_text(title, size=10.5, style="B", after=1)
        pdf.write_text(rec.text.get(self.lang), after=1.5)
        pdf.labelled(self.tr("report.domain.first_step"), rec.first_step.get(self.lang), indent=5)
        roles = [r.name.get(self.lang) for r in self.q.model.context.roles if r.id in rec.roles]
        if roles:
            pdf.write_text(self.tr("report.domain.roles", roles=", ".join(roles)), size=8.5, colour=MUTED, indent=5)
        pdf.ln(2)

    def paths(self, domain: DomainResult, advice: Advice) -> None:
        pdf = self.pdf
        if not advice.paths:
            return
        pdf.heading(self.tr("report.domain.paths"), level=1, outline=False, keep=50)
        for dim_id, paths in advice.paths.items():
            pdf.heading(
                self.tr("report.domain.towards", dimension=self.dim_name(dim_id)), level=2, outline=False, keep=40
            )
            if safely_high(self.q, domain.dimensions[dim_id]):
                pdf.write_text(self.tr("report.domain.paths_keep_going"), size=9, colour=MUTED)
            else:
                pdf.write_text(self.tr("report.domain.paths_why"), size=9, colour=MUTED)
            for path in paths:
                seen = self.printed_paths.get(path.id)
                if seen is None:
                    link = pdf.add_link(page=pdf.page, y=pdf.y)
                    self.printed_paths[path.id] = (pdf.page, link, self.domain_name(domain.domain))
                    self.recommendation(path)
                else:
                    page, link, where = seen
                    pdf.ensure_space(3 * LINE)
                    pdf.write_text(path.title.get(self.lang), size=10.5, style="B", after=0.5)
                    pdf.write_text(
                        self.tr("report.domain.path_seen", page=page, domain=where),
                        size=9,
                        colour=MUTED,
                        link=link,
                        after=2,
                    )

    def tip(self, item_id: str, text: str) -> None:
        pdf = self.pdf
        question = self.tr("report.domain.tip_question", question=self.question(item_id))
        pdf.ensure_space(pdf.estimate_height(question, pdf.epw, size=8.5) + 3 * LINE)
        pdf.write_text(question, size=8.5, colour=MUTED, after=0.5)
        pdf.write_text(text, indent=4, after=2.5)

    def levers(self, domain: DomainResult) -> None:
        pdf = self.pdf
        pdf.heading(self.tr("report.domain.levers"), level=1, outline=False, keep=45)
        pdf.write_text(self.tr("report.domain.levers_intro"), size=9, colour=MUTED)
        for dim_id, dim in domain.dimensions.items():
            pdf.heading(self.dim_name(dim_id), level=2, outline=False, keep=30)
            levers = dim.levers[:LEVERS_PER_DIMENSION]
            if not levers:
                pdf.write_text(self.tr("report.domain.no_levers"), size=9.5)
                continue
            rows = [self.lever_row(lever) for lever in levers]
            headings = [
                self.tr("report.domain.lever_question"),
                self.tr("report.domain.lever_now"),
                self.tr("report.domain.lever_next"),
                self.tr("report.domain.lever_points"),
            ]
            pdf.grid(headings, rows, (70, 40, 40, 20), align=("LEFT", "LEFT", "LEFT", "RIGHT"), size=8.5)

    def lever_row(self, lever: Lever) -> list[str]:
        item = self.q.items[lever.item_id]
        value = self.a.answers.get(item.id)
        question = self.question(item.id)
        if self.q.section_of[item.id] == "general":
            question += f" ({self.q.model.general.name.get(self.lang)})"
        gain = f"+{fmt_number(lever.next_gain, self.lang, 1)}"
        if abs(lever.gain - lever.next_gain) >= 0.05:
            best = self.tr("report.domain.lever_best", points="+" + fmt_number(lever.gain, self.lang, 1))
            gain += "\n(" + best.replace(" ", "\u00a0") + ")"
        return [question, answer_label(self.q, item, value, self.lang), self.next_answer(item, lever), gain]

    def next_answer(self, item: Item, lever: Lever) -> str:
        if lever.next_option is None:
            return "–"
        if item.type == "number":
            index = int(lever.next_option)
            return item.bands[index].label.get(self.lang) if 0 <= index < len(item.bands) else "–"
        option = item.option(lever.next_option)
        if option is None:
            return "–"
        label = option.label.get(self.lang)
        return self.tr("report.domain.lever_also", option=label) if item.type == "multi" else label

    # --- method ---

    def method(self) -> None:
        pdf, model = self.pdf, self.q.model
        pdf.heading(self.tr("report.method.title"))
        pdf.heading(self.tr("report.method.dimensions"), level=1, outline=False)
        for dim in self.q.dimensions:
            pdf.labelled(f"{dim.name.get(self.lang)} ({dim.short.get(self.lang)})", dim.description.get(self.lang))
        x_id, y_id = self.q.dimension_ids
        pdf.heading(self.tr("report.method.scores"), level=1, outline=False)
        share = model.scoring.general_share
        pdf.write_text(
            self.tr(
                "report.method.scores_text",
                general=model.general.name.get(self.lang),
                share=fmt_percent(share, self.lang),
                rest=fmt_percent(1 - share, self.lang),
            ),
        )
        pdf.write_text(
            self.tr(
                "report.method.thresholds",
                x=self.dim_name(x_id),
                x_threshold=fmt_number(self.q.threshold(x_id), self.lang),
                y=self.dim_name(y_id),
                y_threshold=fmt_number(self.q.threshold(y_id), self.lang),
            )
        )
        pdf.heading(self.tr("report.method.coverage"), level=1, outline=False)
        pdf.write_text(self.tr("report.method.coverage_text"))
        pdf.heading(self.tr("report.method.types"), level=1, outline=False)
        pdf.write_text(self.tr("report.method.types_text"))
        levels = {"low": self.tr("report.method.low"), "high": self.tr("report.method.high")}
        rows = [
            [
                type_def.name.get(self.lang),
                levels[type_def.quadrant[x_id]],
                levels[type_def.quadrant[y_id]],
                type_def.gist.get(self.lang),
            ]
            for type_def in model.types
        ]
        headings = [
            self.tr("report.summary.type"),
            self.dim_short(x_id),
            self.dim_short(y_id),
            self.tr("report.method.gist"),
        ]
        pdf.grid(headings, rows, (30, 15, 15, 110), size=8.5)
        pdf.write_text(self.tr("report.method.levers_text"))
        pdf.heading(self.tr("report.method.caveats"), level=1, outline=False)
        caveats = [
            self.tr("report.method.caveat_snapshot"),
            self.tr("report.method.caveat_coverage"),
            self.tr("report.method.caveat_self"),
            self.tr("report.method.caveat_model"),
        ]
        if self.a.perspective == PERSPECTIVE_CITIZEN:
            caveats.append(self.tr("report.method.caveat_citizen"))
        pdf.bullets(caveats)

    # --- appendix ---

    def appendix(self) -> None:
        pdf = self.pdf
        pdf.heading(self.tr("report.appendix.title"))
        pdf.write_text(self.tr("report.appendix.intro"), size=9, colour=MUTED, after=2)
        for s_index, (section, items) in enumerate(self.sections, start=1):
            pdf.heading(f"{s_index}. {section.name.name.get(self.lang)}", level=1)
            for item in items:
                self.appendix_item(item)

    def answer_text(self, item: Item) -> str:
        state = self.result.states.get(item.id)
        value = self.a.answers.get(item.id)
        if state is None:
            return t("core.answer.unanswered", self.lang)
        if state.state is State.IMPLIED:
            gates = ", ".join(self.numbers.get(c.item, c.item) for c in item.show_if)
            return self.tr("report.appendix.implied", refs=gates)
        if state.state is State.PENDING:
            gates = ", ".join(self.numbers.get(c.item, c.item) for c in item.show_if)
            return self.tr("report.appendix.pending", refs=gates)
        if state.state is State.INVALID:
            return self.tr("report.appendix.invalid", answer=answer_label(self.q, item, value, self.lang))
        if state.state in (State.UNANSWERED,) or value is None:
            return t("core.answer.unanswered", self.lang)
        return answer_label(self.q, item, value, self.lang)

    def appendix_item(self, item: Item) -> None:
        pdf = self.pdf
        question = self.question(item.id)
        note = self.a.notes.get(item.id, "").strip()
        evidence = self.a.evidence.get(item.id, "").strip()
        first = pdf.estimate_height(question, pdf.epw, style="B", size=9.5, line=4.8) + 2 * LINE
        pdf.ensure_space(first)
        pdf.write_text(question, size=9.5, style="B", line=4.8, after=0.8)
        pdf.labelled(self.tr("report.appendix.answer"), self.answer_text(item), indent=5, size=9.5, after=0.6)
        if note:
            pdf.labelled(self.tr("report.appendix.note"), note, indent=5, size=9, after=0.6)
        if evidence:
            link = one_line(evidence)
            is_url = link.lower().startswith(("https://", "http://")) and " " not in link
            label = self.tr("report.appendix.evidence")
            if is_url:
                pdf.set_x(pdf.l_margin + 5)
                pdf.set_font(FAMILY, "B", 9)
                pdf.write(4.5, clean(label) + ": ")
                pdf.set_font(FAMILY, "", 9)
                pdf.set_text_color(47, 111, 159)
                pdf.set_left_margin(pdf.l_margin + 5)
                pdf.write(4.5, link, link=link)
                pdf.set_left_margin(pdf.l_margin - 5)
                pdf.set_text_color(*INK)
                pdf.ln(4.5)
                pdf.ln(0.6)
            else:
                pdf.labelled(label, evidence, indent=5, size=9, after=0.6)
        pdf.set_draw_color(225, 228, 231)
        pdf.set_line_width(0.15)
        pdf.ln(1)
        pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + pdf.epw, pdf.y)
        pdf.ln(2)
        pdf.set_font(FAMILY, "", BODY_SIZE)
