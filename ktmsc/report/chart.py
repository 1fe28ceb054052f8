"""The quadrant chart on paper: the app's chart, rendered to SVG and drawn as vectors.

vl-convert renders the Vega-Lite spec of :func:`ktmsc.charts.quadrant_spec`
with the report's own font, so the text in the chart is real, searchable text in
the same typeface as the report. fpdf2's SVG reader trips over three things
vl-convert writes (``<line>`` without ``x1``/``y1``, empty ``<path d="">``, and a
stroke width without a stroke colour, which fpdf2 draws in the page's current
colour); :func:`fpdf_svg` makes them explicit. Should an SVG still fail, the chart is embedded
as a PNG at 300 dpi instead.
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import re

import altair as alt
import vl_convert

from ktmsc.report.document import FAMILY, FONT_DIR, Document

log = logging.getLogger(__name__)

_LINE = re.compile(r"<line\b[^>]*>")
# A shape with a stroke width but no stroke colour: SVG draws no outline, fpdf2 would use the page's colour.
_SHAPE = re.compile(r"<(?:path|rect|circle|ellipse|polygon|polyline)\b[^>]*>")
_EMPTY_PATH = re.compile(r"<path\b(?:[^>]*?\s)?d=\"(?![\s]*[Mm])[^\"]*\"[^>]*?/>")


@functools.cache
def _setup() -> str | None:
    """Register the report fonts with vl-convert once; the Vega-Lite version to render with."""
    vl_convert.register_font_directory(str(FONT_DIR))
    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return wanted if wanted in vl_convert.get_vegalite_versions() else None


def _render_options() -> dict[str, str]:
    """Keyword arguments for vl-convert's renderers (fonts registered first)."""
    version = _setup()
    return {"vl_version": version} if version else {}


def _spec(chart: alt.TopLevelMixin | dict) -> dict:
    """A copy of the Vega-Lite spec in the report's font (a spec dict or an altair chart)."""
    spec = copy.deepcopy(chart) if isinstance(chart, dict) else chart.to_dict(validate=False)
    config = spec.setdefault("config", {})
    config["font"] = FAMILY
    config.setdefault("title", {}).update(fontSize=13)
    spec["background"] = "white"
    return spec


def fpdf_svg(svg: str) -> str:
    """The SVG without the constructs fpdf2 cannot read (they draw nothing anyway)."""

    def complete_line(match: re.Match) -> str:
        tag = match.group(0)
        for attribute in ("x1", "y1", "x2", "y2"):
            if not re.search(rf"\s{attribute}=", tag):
                tag = tag.replace("<line", f'<line {attribute}="0"', 1)
        return tag

    def no_stroke(match: re.Match) -> str:
        tag = match.group(0)
        if "stroke-width" in tag and not re.search(r"\sstroke=", tag):
            tag = re.sub(r"^<(\w+)", r'<\1 stroke="none"', tag)
        return tag

    svg = _LINE.sub(complete_line, _EMPTY_PATH.sub("", svg))
    return _SHAPE.sub(no_stroke, svg)


def chart_svg(chart: alt.TopLevelMixin | dict) -> str:
    return fpdf_svg(vl_convert.vegalite_to_svg(_spec(chart), **_render_options()))


def _aspect(svg: str) -> float:
    match = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', svg)
    return float(match.group(2)) / float(match.group(1)) if match else 0.9


def draw_chart(pdf: Document, chart: alt.TopLevelMixin | dict, width: float, *, leave: float = 0) -> None:
    """Draw ``chart`` centred, ``width`` mm wide, and move below it.

    The chart shrinks (down to 60 % of ``width``) so that ``leave`` mm stay free
    below it on the page, e.g. for the table that belongs to it.
    """
    svg = chart_svg(chart)
    aspect = _aspect(svg)
    if pdf.space_left() - leave < 0.6 * width * aspect:
        pdf.add_page()
    width = max(0.6 * width, min(width, (pdf.space_left() - leave - 2) / aspect))
    x = pdf.l_margin + (pdf.epw - width) / 2
    top = pdf.y
    try:
        pdf.image(io.BytesIO(svg.encode("utf-8")), x=x, y=top, w=width)
    except Exception:  # an SVG fpdf2 cannot draw: fall back to a sharp bitmap
        log.warning("SVG chart could not be embedded; using PNG", exc_info=True)
        png = vl_convert.vegalite_to_png(_spec(chart), scale=300 / 72, **_render_options())
        pdf.image(io.BytesIO(png), x=x, y=top, w=width)
    pdf.set_y(top + width * aspect + 2)
