"""What every part of the results report shares: the read-out, the language, the page and
the small phrases (names, question numbers, a recommendation block, a tip).

The report's parts (:mod:`~ktmsc.report.results` for the cover, overview and development,
:mod:`~ktmsc.report.domain` for one domain, :mod:`~ktmsc.report.method` for method and
appendix) draw from a :class:`ReportContext` and never score anything themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ktmsc.i18n import Lang
from ktmsc.labels import reason_label
from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import GENERAL, Named, Recommendation
from ktmsc.readout import Readout
from ktmsc.recommendations import Step
from ktmsc.report.document import LINE, MUTED, Document
from ktmsc.scoring import Result
from ktmsc.texts import t


@dataclass
class ReportContext:
    readout: Readout
    lang: Lang
    pdf: Document
    printed_paths: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # id → (page, link, domain)

    @property
    def q(self) -> Questionnaire:
        return self.readout.questionnaire

    @property
    def a(self) -> Assessment:
        return self.readout.assessment

    @property
    def result(self) -> Result:
        return self.readout.result

    @property
    def name(self) -> str:
        return self.a.profile.name.strip() or self.tr("report.unnamed")

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

    def abbreviations(self) -> str:
        return ", ".join(f"{self.dim_short(d)} = {self.dim_name(d)}" for d in self.q.dimension_ids)

    def profile_name(self, options: list[Named], value: str | None) -> str:
        for option in options:
            if option.id == value:
                return option.name.get(self.lang)
        return self.tr("report.not_given")

    def question(self, item_id: str, *, section: bool = False) -> str:
        """A question with its printed number; with ``section``, general questions say so."""
        item = self.q.items[item_id]
        number = self.readout.numbers.get(item_id)
        text = f"{number} {item.text.get(self.lang)}" if number else item.text.get(self.lang)
        if section and self.q.section_of[item_id] == GENERAL:
            text += f" ({self.q.model.general.name.get(self.lang)})"
        return text

    def recommendation(self, rec: Recommendation, *, number: str = "", after: float = 2) -> None:
        pdf = self.pdf
        title = number + rec.title.get(self.lang)
        pdf.ensure_space(pdf.estimate_height(title, pdf.epw, style="B", size=10.5) + 4 * LINE)
        pdf.write_text(title, size=10.5, style="B", after=1)
        pdf.write_text(rec.text.get(self.lang), after=1.5)
        pdf.labelled(self.tr("report.domain.first_step"), rec.first_step.get(self.lang), indent=5)
        for tip in self.readout.tips_with.get(rec.id, ()):
            pdf.labelled(self.tr("report.domain.tip"), tip.text.get(self.lang), indent=5, size=9)
        roles = [r.name.get(self.lang) for r in self.q.model.context.roles if r.id in rec.roles]
        if roles:
            pdf.write_text(self.tr("report.domain.roles", roles=", ".join(roles)), size=8.5, colour=MUTED, indent=5)
        pdf.ln(after)

    def step(self, step: Step, *, number: str = "") -> None:
        """A first step: the recommendation, then the answers that call for it."""
        self.recommendation(step.recommendation, number=number, after=0)
        reasons = [reason_label(self.q.items[i], self.a.answers.get(i), self.lang) for i in step.reasons]
        self.pdf.write_text(
            self.tr("report.domain.because", reasons="; ".join(reasons)), size=8.5, colour=MUTED, indent=5, after=2
        )

    def tip(self, item_id: str, text: str) -> None:
        pdf = self.pdf
        question = self.tr("report.domain.tip_question", question=self.question(item_id))
        pdf.ensure_space(pdf.estimate_height(question, pdf.epw, size=8.5) + 3 * LINE)
        pdf.write_text(question, size=8.5, colour=MUTED, after=0.5)
        pdf.write_text(text, indent=4, after=2.5)
