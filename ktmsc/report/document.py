"""The page layout both PDFs share: fonts, safe text, header, footer and building blocks.

Everything that reaches the page goes through :func:`clean`, so user text
(municipality names, notes, evidence links) can hold anything: markup is printed
as text, characters the embedded DejaVu fonts lack are replaced, control
characters and lone surrogates are dropped. Layout helpers keep headings with
the text below them and never let a line overflow the page: fpdf2 breaks words
that are longer than a line.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime

from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.outline import OutlineSection

from ktmsc import PROJECT_ROOT
from ktmsc.i18n import Lang
from ktmsc.report import fastpdf
from ktmsc.texts import t

FONT_DIR = PROJECT_ROOT / "assets" / "fonts"
FAMILY = "DejaVu Sans"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
# Stands for the total page count until the document is closed; removed from any text we print.
PAGES_ALIAS = "{ktmsc:pages}"
REPLACEMENT = "\ufffd"

INK = (31, 42, 51)
MUTED = (96, 106, 115)
RULE = (200, 205, 210)
SHADE = (240, 242, 244)
ACCENT = (47, 111, 159)

BODY_SIZE = 10
LINE = 5.0

fastpdf.install()


# --- text ----------------------------------------------------------------------------


@functools.cache
def glyphs() -> frozenset[int]:
    """Code points every one of the three fonts can draw."""
    sets = []
    for name in FONT_FILES.values():
        with TTFont(FONT_DIR / name, lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


def clean(text: object) -> str:
    """Text the fonts can print: NFC, no control characters, missing glyphs replaced."""
    if text is None:
        return ""
    raw = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace(PAGES_ALIAS, "")
    have = glyphs()
    out: list[str] = []
    for char in raw:
        if char == "\n":
            out.append(char)
            continue
        if char in "\t\r\v\f":
            out.append(" ")
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            continue
        if ord(char) in have and category != "Cs":
            out.append(char)
        elif category in ("Cf", "Mn", "Me", "Sk"):
            continue  # joiners, variation selectors, emoji modifiers: nothing to draw
        elif not out or out[-1] != REPLACEMENT:
            out.append(REPLACEMENT)
    return "".join(out)


def one_line(text: object) -> str:
    return " ".join(clean(text).split())


def hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


# --- the document ------------------------------------------------------------------------


class Document(FPDF):
    """A4 portrait, DejaVu fonts embedded, running header from page 2, "page x of y" footer."""

    def __init__(self, lang: Lang, *, title: str, header_left: str = "", created: datetime | None = None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.ui_lang = lang
        self.header_left = one_line(header_left)
        self.header_right = one_line(title)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        fastpdf.add_fonts(self, FAMILY, {style: FONT_DIR / name for style, name in FONT_FILES.items()})
        self.alias_nb_pages(PAGES_ALIAS)
        self.set_title(one_line(title))
        self.set_creator("KTMSC Self-Check")
        self.set_lang("de-DE" if lang == "de" else "en-GB")
        if created is not None:
            self.set_creation_date(created)
        self.set_font(FAMILY, size=BODY_SIZE)
        self.set_text_color(*INK)

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        """fpdf2's ``multi_cell``, but left-aligned unless told otherwise (fpdf2 justifies)."""
        kwargs.setdefault("align", "L")
        return super().multi_cell(w, h, text, *args, **kwargs)

    # --- running header and footer ---

    def header(self) -> None:
        if self.page_no() < 2:
            return
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        right_w = self.get_string_width(self.header_right) + 2
        left_w = self.epw - right_w - 4
        self.set_xy(self.l_margin, 10)
        self.cell(left_w, 5, self.fit(self.header_left, left_w))
        self.set_xy(self.w - self.r_margin - right_w, 10)
        self.cell(right_w, 5, self.header_right, align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, 15.5, self.w - self.r_margin, 15.5)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_font(FAMILY, size=BODY_SIZE)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, t("report.page", self.ui_lang, page=self.page_no(), total=PAGES_ALIAS), align="C")
        self.set_text_color(*INK)

    def fit(self, text: str, width: float) -> str:
        """Cut ``text`` with an ellipsis so it fits ``width`` in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    # --- flow ---

    def space_left(self) -> float:
        return self.page_break_trigger - self.y

    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit below the current position."""
        if height > self.space_left() and self.y > self.t_margin + 1:
            self.add_page()

    def text_height(
        self, text: str, width: float, *, size: float = BODY_SIZE, style: str = "", line: float = LINE
    ) -> float:
        """The exact height of a paragraph (a dry run of the line breaking)."""
        self.set_font(FAMILY, style, size)
        height = self.multi_cell(width, line, clean(text), dry_run=True, output=MethodReturnValue.HEIGHT)
        self.set_font(FAMILY, "", BODY_SIZE)
        return height

    def estimate_height(
        self, text: str, width: float, *, size: float = BODY_SIZE, style: str = "", line: float = LINE
    ) -> float:
        """A slightly generous height of a paragraph, for keeping blocks together.

        fpdf2's line breaking costs time quadratic in the line length, so page
        decisions use the string width instead of a dry run.
        """
        self.set_font(FAMILY, style, size)
        lines = 0
        for paragraph in clean(text).split("\n"):
            share = self.get_string_width(paragraph) / max(width - 2, 1)
            lines += max(1, math.ceil(share * 1.08 + 0.05))
        self.set_font(FAMILY, "", BODY_SIZE)
        return lines * line

    def write_text(
        self,
        text: str,
        *,
        size: float = BODY_SIZE,
        style: str = "",
        colour: tuple[int, int, int] = INK,
        indent: float = 0,
        line: float = LINE,
        after: float = 1.5,
        align: str = "L",
        link: str | int | None = None,
        width: float | None = None,
    ) -> None:
        """A paragraph that wraps at the right margin (long words are broken)."""
        text = clean(text)
        if not text.strip():
            return
        self.set_font(FAMILY, style, size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            width or self.epw - indent, line, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT, link=link or ""
        )
        self.set_font(FAMILY, "", BODY_SIZE)
        self.set_text_color(*INK)
        if after:
            self.ln(after)

    def labelled(
        self, label: str, text: str, *, indent: float = 0, size: float = BODY_SIZE, colour=INK, after: float = 1.0
    ) -> None:
        """ "Label: text" with the label in bold, wrapping as one paragraph."""
        text = clean(text)
        if not text.strip():
            return
        self.set_x(self.l_margin + indent)
        self.set_text_color(*colour)
        self.set_font(FAMILY, "B", size)
        label = clean(label) + ": "
        # A short label goes in front of the text; the text wraps below it as a paragraph.
        self.write(size * 0.5, label)
        self.set_font(FAMILY, "", size)
        self.set_left_margin(self.l_margin + indent)
        self.write(size * 0.5, text)
        self.set_left_margin(self.l_margin - indent)
        self.ln(size * 0.5)
        self.set_text_color(*INK)
        self.set_font(FAMILY, "", BODY_SIZE)
        if after:
            self.ln(after)

    def bullets(self, items: Sequence[str], *, indent: float = 0, size: float = BODY_SIZE, after: float = 1.0) -> None:
        for item in items:
            self.ensure_space(LINE * 2)
            self.set_font(FAMILY, "", size)
            self.set_x(self.l_margin + indent)
            self.cell(5, LINE, "•")
            self.multi_cell(self.epw - indent - 5, LINE, clean(item), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(after)

    def heading(self, text: str, *, level: int = 0, outline: bool = True, keep: float = 0) -> None:
        """A section heading, listed in the PDF outline (and the table of contents).

        ``keep`` mm below the heading must fit on the same page (the start of
        what the heading introduces), otherwise the heading moves to a new page.
        """
        text = one_line(text)
        size = {0: 16, 1: 13, 2: 11}[level]
        self.ensure_space(max({0: 40, 1: 30, 2: 22}[level], keep + size * 0.5 + 6))
        if level and self.y > self.t_margin + 1:
            self.ln(3 if level == 1 else 2)
        if outline:
            self.start_section(text, level=level)
        self.set_font(FAMILY, "B", size)
        self.set_text_color(*(ACCENT if level == 0 else INK))
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if level == 0:
            self.set_draw_color(*ACCENT)
            self.set_line_width(0.5)
            self.line(self.l_margin, self.y + 1, self.l_margin + 30, self.y + 1)
            self.ln(4)
        else:
            self.ln(1.5)
        self.set_font(FAMILY, "", BODY_SIZE)
        self.set_text_color(*INK)

    def notice(self, text: str, *, colour: tuple[int, int, int] = (176, 96, 16)) -> None:
        """A framed box for what must not be overlooked (nothing answered, low coverage)."""
        text = clean(text)
        height = self.text_height(text, self.epw - 10, style="B") + 6
        self.ensure_space(height + 2)
        top = self.y
        self.set_fill_color(253, 246, 236)
        self.set_draw_color(*colour)
        self.set_line_width(0.4)
        self.rect(self.l_margin, top, self.epw, height, style="DF")
        self.set_fill_color(*colour)
        self.rect(self.l_margin, top, 1.6, height, style="F")
        self.set_xy(self.l_margin + 5, top + 3)
        self.set_font(FAMILY, "B", BODY_SIZE)
        self.multi_cell(self.epw - 10, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(top + height + 3)
        self.set_font(FAMILY, "", BODY_SIZE)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        align: Sequence[str] | None = None,
        size: float = 9,
    ) -> None:
        """A table with a shaded heading row that repeats after a page break."""
        self.set_font(FAMILY, "", size)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        headings = [one_line(text) for text in headings]
        rows = [[clean(text) for text in cells] for cells in rows]
        widths = self.column_widths(headings, rows, widths, size)
        self.ensure_space(30)
        self.set_fill_color(255, 255, 255)  # fpdf2 fills table cells with the current fill colour
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            text_align=tuple(align) if align else "LEFT",
            line_height=size * 0.5,
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=SHADE, size_pt=size),
            padding=(1.2, 1.5, 1.2, 1.5),
            v_align="TOP",
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(text)
            for cells in rows:
                row = table.row()
                for text in cells:
                    row.cell(text)
        self.ln(3)
        self.set_font(FAMILY, "", BODY_SIZE)

    def column_widths(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float], size: float
    ) -> list[float]:
        """Column widths in mm from ``shares``, widened so that no word has to be split.

        A column too narrow for its longest word takes room from columns with slack;
        words longer than 40 % of the line are still broken by fpdf2.
        """
        widths = [share / sum(shares) * self.epw for share in shares]
        self.set_font(FAMILY, "B", size)
        needed = []
        for index in range(len(widths)):
            texts = [headings[index], *(row[index] for row in rows)]
            words = [word for text in texts for word in re.split(r"[ \n]+", text)]  # no-break spaces bind
            longest = max((self.get_string_width(word) for word in words), default=0.0)
            needed.append(min(longest + 5.5, self.epw * 0.4))  # padding and fpdf2's cell margins
        self.set_font(FAMILY, "", BODY_SIZE)
        deficit = sum(max(0.0, need - width) for need, width in zip(needed, widths, strict=True))
        slack = [max(0.0, width - need) for need, width in zip(needed, widths, strict=True)]
        if deficit <= 0 or sum(slack) <= 0:
            return widths
        take = min(1.0, deficit / sum(slack))
        return [
            max(width, need) if need > width else width - spare * take
            for width, need, spare in zip(widths, needed, slack, strict=True)
        ]


def render_toc(pdf: Document, outline: list[OutlineSection]) -> None:
    """The table of contents: level 0 and 1 entries with page numbers, each a link."""
    pdf.set_font(FAMILY, "B", 16)
    pdf.set_text_color(*ACCENT)
    pdf.set_x(pdf.l_margin)
    pdf.cell(0, 8, t("report.toc.title", pdf.ui_lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    for section in outline:
        if section.level > 1:
            continue
        indent = 8 * section.level
        size = 11 if section.level == 0 else 9.5
        pdf.set_font(FAMILY, "B" if section.level == 0 else "", size)
        pdf.set_text_color(*INK)
        if section.level == 0:
            pdf.ln(1.5)
        link = pdf.add_link(page=section.page_number)
        number = str(section.page_number)
        name_w = pdf.epw - indent - 14
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(name_w, 6.5, pdf.fit(section.name, name_w), link=link)
        pdf.cell(14, 6.5, number, align="R", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", BODY_SIZE)
