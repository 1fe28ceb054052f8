"""Two costs of fpdf2 2.8 that a report need not pay: quadratic line measuring and font parsing.

**Line breaking.** fpdf2 breaks a paragraph one character at a time and, for every
character, measures the whole line again (``CurrentLine.width`` sums the widths of all
characters on the line): a six-domain report measured four million characters to lay out
a hundred thousand. :func:`install` replaces that property with a running sum per
fragment of the line, and a single character's width with one look-up. The widths are the
same numbers — integer sums of the same glyph widths, scaled in the same order — so every
line breaks where it did; fragments this does not cover (core fonts, shaped text, symbol
fonts, the page-count placeholder) are measured by fpdf2 itself.

**Fonts.** ``FPDF.add_font`` parses each TrueType file again for every document (about
0.1 s for the three DejaVu faces). :func:`add_fonts` parses each file once per process and
gives every document its own copy of the parts that writing a PDF changes: the subset of
glyphs used, the font descriptor and the fontTools object that is cut down to that subset.

``tests/test_report.py`` holds the report byte for byte to what fpdf2 alone produces
(:func:`plain`).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import CharVPos
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.line_break import HYPHEN, SOFT_HYPHEN, CurrentLine, Fragment

_ORIGINAL = {"width": CurrentLine.width, "get_character_width": Fragment.get_character_width}
_state = {"fonts": True}
_SUM = "_ktmsc_sum"  # on a fragment: [its character list, how many of them are summed, their glyph widths]


def _plain_font(fragment: Fragment) -> TTFFont | None:
    """The fragment's font when its width is the plain sum of its glyph widths."""
    state = fragment.graphics_state
    font = state.current_font
    plain = type(fragment) is Fragment and type(font) is TTFFont and not font.is_symbol and not state.text_shaping
    return font if plain else None


def _scaled(fragment: Fragment, font: TTFFont, units: int, count: int, initial_cs: bool) -> float:
    """``Fragment.get_width`` from the summed glyph widths of ``count`` characters."""
    state = fragment.graphics_state
    size = state.font_size_pt if state.char_vpos == CharVPos.LINE else fragment.font_size_pt
    if size > font.biggest_size_pt:
        font.biggest_size_pt = size
    width = units * size * 0.001
    spacing, stretching = state.char_spacing, state.font_stretching
    if stretching != 100:
        width *= stretching * 0.01
        spacing *= stretching * 0.01
    if state.char_spacing != 0:
        width += spacing * count if initial_cs else spacing * (count - 1)
    return width / fragment.k


def _fragment_width(fragment: Fragment, initial_cs: bool) -> float:
    font = _plain_font(fragment)
    if font is None:
        return fragment.get_width(initial_cs=initial_cs)
    chars = fragment.characters
    count = len(chars)
    known = fragment.__dict__.get(_SUM)
    # A line only appends to a fragment's list; trimming it makes a new list.
    if known is None or known[0] is not chars or known[1] > count:
        known = fragment.__dict__[_SUM] = [chars, 0, 0]
    if known[1] < count:
        widths = font.cw
        if known[1] == count - 1:
            known[2] += widths[ord(chars[-1])]
        else:
            known[2] += sum(widths[ord(char)] for char in chars[known[1] :])
        known[1] = count
    return _scaled(fragment, font, known[2], count, initial_cs)


def _line_width(line: CurrentLine) -> float:
    width: float = 0
    for index, fragment in enumerate(line.fragments):
        width += _fragment_width(fragment, index > 0)
    return width


def _character_width(fragment: Fragment, character: str, print_sh: bool = False, initial_cs: bool = True) -> float:
    font = _plain_font(fragment)
    if font is None:
        return _ORIGINAL["get_character_width"](fragment, character, print_sh, initial_cs)
    if character == SOFT_HYPHEN and not print_sh:
        character = HYPHEN
    return _scaled(fragment, font, font.cw[ord(character)], 1, initial_cs)


def install() -> None:
    """Measure lines in linear time (idempotent)."""
    CurrentLine.width = property(_line_width)
    Fragment.get_character_width = _character_width


# --- fonts ---------------------------------------------------------------------------------


@functools.cache
def _parsed(path: Path, style: str) -> tuple[TTFFont, bytes]:
    """The font as fpdf2 reads it (widths, character map, metrics) and the file's bytes."""
    data = path.read_bytes()
    font = TTFFont(FPDF(), path, f"template{style}", style)
    font.close()
    return font, data


def add_fonts(pdf: FPDF, family: str, files: Mapping[str, Path]) -> None:
    """``pdf.add_font(family, style, path)`` for each style, from fonts parsed once per process."""
    if not _state["fonts"]:
        for style, path in files.items():
            pdf.add_font(family, style, str(path))
        return
    for style, path in files.items():
        template, data = _parsed(path, style)
        if template.color_font is not None or template.is_cff:  # not what the report embeds
            pdf.add_font(family, style, str(path))
            continue
        font = copy.copy(template)
        font.i = len(pdf.fonts) + 1
        font.fontkey = f"{family.lower()}{style}"
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.desc = copy.copy(template.desc)  # writing the PDF names it and numbers it
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.subset = SubsetMap(font)
        pdf.fonts[font.fontkey] = font


@contextlib.contextmanager
def plain() -> Iterator[None]:
    """fpdf2 on its own (no fast paths) inside the block: what the tests compare against.

    Changes process-wide state; for tests, not for a server that builds reports in threads.
    """
    installed = {"width": CurrentLine.width, "get_character_width": Fragment.get_character_width}
    CurrentLine.width = _ORIGINAL["width"]
    Fragment.get_character_width = _ORIGINAL["get_character_width"]
    _state["fonts"] = False
    try:
        yield
    finally:
        CurrentLine.width = installed["width"]
        Fragment.get_character_width = installed["get_character_width"]
        _state["fonts"] = True
