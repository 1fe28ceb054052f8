"""The printable questionnaire for paper workshops, as PDF.

Same content and order as :func:`ktmsc.export.questionnaire_markdown`: the
sections of :func:`ktmsc.export.selected_sections`, every item numbered (paper lists
all items, follow-ups with their condition, so its numbers are fixed; the screen counts
the questions shown: :mod:`ktmsc.wizard`), the condition notes, help texts,
where-to-look hints for the citizen view, a tick box per option plus "Don't know", and
a note line. Each item is kept on one page.
"""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from ktmsc.export import condition_text, selected_sections
from ktmsc.i18n import Lang
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.schema import Item
from ktmsc.report.document import BODY_SIZE, FAMILY, INK, MUTED, RULE, Document, clean
from ktmsc.texts import t
from ktmsc.wizard import item_numbers

BOX = 3.6  # tick box edge, mm
OPTION_INDENT = 6
LABEL_INDENT = OPTION_INDENT + BOX + 2.5
OPTION_LINE = 4.8
WRITE_LINE = 8  # height of a line to write on


def build_questionnaire_pdf(
    questionnaire: Questionnaire, lang: Lang, domains: list[str] | None, perspective: str
) -> bytes:
    """The questionnaire for ``domains`` (all when None) and ``perspective``, ready to print."""
    return _Printable(questionnaire, lang, domains, perspective).build()


class _Printable:
    def __init__(self, questionnaire: Questionnaire, lang: Lang, domains: list[str] | None, perspective: str):
        self.q = questionnaire
        self.lang = lang
        self.perspective = perspective
        self.sections = selected_sections(questionnaire, domains, perspective)
        self.numbers = item_numbers(self.sections)
        perspective_name = next(
            (p.name.get(lang) for p in questionnaire.model.profile.perspectives if p.id == perspective), perspective
        )
        self.perspective_name = perspective_name
        self.pdf = Document(lang, title=t("core.print.title", lang), header_left=perspective_name)

    def build(self) -> bytes:
        pdf = self.pdf
        pdf.add_page()
        self.first_page()
        for s_index, (section, items) in enumerate(self.sections, start=1):
            if s_index > 1:
                pdf.add_page()
            pdf.heading(f"{s_index}. {section.name.name.get(self.lang)}")
            pdf.write_text(section.intro.get(self.lang), size=9.5, colour=MUTED, after=4)
            for item in items:
                self.item(item)
        return bytes(pdf.output())

    def first_page(self) -> None:
        pdf, lang = self.pdf, self.lang
        pdf.write_text(t("core.print.title", lang), size=20, style="B", line=9, after=4)
        chosen = [s.name.name.get(lang) for s, _ in self.sections]
        pdf.labelled(t("report.printable.perspective", lang), self.perspective_name, size=9.5)
        pdf.labelled(t("report.printable.domains", lang), ", ".join(chosen), size=9.5, after=4)
        # Fields to fill in by hand: the municipality and the date.
        top = pdf.y
        boxes = ((t("core.print.field_municipality", lang), 0, 112), (t("core.print.field_date", lang), 118, 52))
        for label, offset, width in boxes:
            pdf.set_xy(pdf.l_margin + offset, top)
            pdf.set_font(FAMILY, "B", 9)
            pdf.cell(width, 5, clean(label))
            pdf.set_draw_color(*MUTED)
            pdf.set_line_width(0.3)
            pdf.rect(pdf.l_margin + offset, top + 5.5, width, 10)
        pdf.set_xy(pdf.l_margin, top + 20)
        pdf.write_text(t("core.print.intro", lang), size=9.5, after=6)

    # --- one item ---

    def item_parts(self, item: Item) -> list[tuple[str, str, float, str, float]]:
        """(kind, text, size, style, indent) of every text line group, in print order."""
        lang = self.lang
        parts = [("text", f"{self.numbers[item.id]} {item.text.get(lang)}", 10.5, "B", 0)]
        if item.show_if:
            parts.append(("text", condition_text(self.q, item, lang, self.numbers), 9, "I", 0))
        parts.append(("text", item.help.get(lang), 9, "", 0))
        if self.perspective != PERSPECTIVE_ADMIN and item.public_hint is not None:
            parts.append(("text", f"{t('core.print.where_to_look', lang)}: {item.public_hint.get(lang)}", 9, "I", 0))
        if item.type == "multi":
            parts.append(("text", t("core.print.multi", lang), 9, "I", 0))
        if item.type == "number":
            unit = f" {item.unit.get(lang)}" if item.unit else ""
            parts.append(("number", f"{t('core.print.number', lang)}:|{unit}", BODY_SIZE, "", OPTION_INDENT))
        else:
            parts += [("option", o.label.get(lang), 9.5, "", LABEL_INDENT) for o in item.options]
        if item.not_applicable is not None:
            label = f"{t('core.answer.not_applicable', lang)} ({item.not_applicable.why.get(lang)})"
            parts.append(("option", label, 9.5, "", LABEL_INDENT))
        parts.append(("option", t("core.answer.dont_know", lang), 9.5, "", LABEL_INDENT))
        parts.append(("note", t("core.print.note", lang), 9, "", 0))
        return parts

    def height(self, parts: list[tuple[str, str, float, str, float]]) -> float:
        pdf = self.pdf
        total = 6.0
        for kind, text, size, style, indent in parts:
            if kind == "text":
                total += pdf.estimate_height(text, pdf.epw, size=size, style=style, line=size * 0.47) + 1.2
            elif kind == "option":
                total += max(BOX + 1, pdf.estimate_height(text, pdf.epw - indent, size=size, line=OPTION_LINE)) + 1.2
            else:
                total += WRITE_LINE + 1
        return total

    def item(self, item: Item) -> None:
        pdf = self.pdf
        parts = self.item_parts(item)
        needed = self.height(parts)
        if needed < pdf.eph - 20:
            pdf.ensure_space(needed)
        first_option = True
        for kind, text, size, style, _indent in parts:
            if kind == "text":
                colour = INK if style == "B" else MUTED
                pdf.write_text(text, size=size, style=style, colour=colour, line=size * 0.47, after=1.2)
            elif kind == "option":
                if first_option:
                    pdf.ln(0.8)
                    first_option = False
                self.option(text, size)
            elif kind == "number":
                label, unit = text.split("|", 1)
                self.number(label, unit)
                first_option = False
            else:
                self.note_line(text)
        pdf.ln(4)

    def option(self, label: str, size: float) -> None:
        pdf = self.pdf
        pdf.ensure_space(OPTION_LINE * 2)
        top = pdf.y
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        pdf.rect(pdf.l_margin + OPTION_INDENT, top + 0.5, BOX, BOX)
        pdf.set_xy(pdf.l_margin + LABEL_INDENT, top)
        pdf.set_font(FAMILY, "", size)
        pdf.multi_cell(pdf.epw - LABEL_INDENT, OPTION_LINE, clean(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(pdf.y, top + BOX + 1) + 1.2)
        pdf.set_font(FAMILY, "", BODY_SIZE)

    def number(self, label: str, unit: str) -> None:
        pdf = self.pdf
        top = pdf.y + 1
        pdf.set_xy(pdf.l_margin + OPTION_INDENT, top)
        pdf.set_font(FAMILY, "", 9.5)
        width = pdf.get_string_width(clean(label)) + 2
        pdf.cell(width, OPTION_LINE, clean(label))
        pdf.set_draw_color(*INK)
        pdf.set_line_width(0.3)
        start = pdf.l_margin + OPTION_INDENT + width + 1
        pdf.line(start, top + OPTION_LINE, start + 40, top + OPTION_LINE)
        pdf.set_xy(start + 42, top)
        pdf.cell(
            pdf.epw - (start + 42 - pdf.l_margin), OPTION_LINE, clean(unit.strip()), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(2.5)

    def note_line(self, label: str) -> None:
        pdf = self.pdf
        top = pdf.y + 1
        pdf.set_xy(pdf.l_margin, top + WRITE_LINE - OPTION_LINE)
        pdf.set_font(FAMILY, "", 9)
        pdf.set_text_color(*MUTED)
        width = pdf.get_string_width(clean(label) + ":") + 2
        pdf.cell(width, OPTION_LINE, clean(label) + ":")
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin + width, top + WRITE_LINE, pdf.l_margin + pdf.epw, top + WRITE_LINE)
        pdf.set_text_color(*INK)
        pdf.set_font(FAMILY, "", BODY_SIZE)
        pdf.set_y(top + WRITE_LINE + 1)
