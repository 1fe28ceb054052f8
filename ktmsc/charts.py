"""The quadrant chart: where each domain stands, as an altair (Vega-Lite) spec.

Pure functions of the questionnaire and a result, so tests can assert the spec
and the PDF report can render the same chart. x = the dimension with ``axis: x``
in model.yaml (capacity), y = the other (willingness to change); both 0–100 with
the thresholds drawn as lines and the four quadrants labelled with the types.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import altair as alt

from ktmsc.i18n import Lang
from ktmsc.questionnaire import Questionnaire
from ktmsc.scoring import DomainResult
from ktmsc.texts import t

CHART_HEIGHT = 440


@dataclass(frozen=True)
class Position:
    """A point on the quadrant (an earlier assessment, a group median ...)."""

    x: float
    y: float


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def quadrant_base(questionnaire: Questionnaire, lang: Lang) -> list[alt.Chart]:
    """Background layers: tinted quadrants with the type names, threshold lines."""
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    x_thr, y_thr = questionnaire.threshold(x_dim.id), questionnaire.threshold(y_dim.id)
    spans = {"low": (0.0, None), "high": (None, 100.0)}
    quadrants = []
    for type_def in questionnaire.model.types:
        x_level, y_level = type_def.quadrant[x_dim.id], type_def.quadrant[y_dim.id]
        x0, x1 = (0.0, x_thr) if x_level == "low" else (x_thr, 100.0)
        y0, y1 = (0.0, y_thr) if y_level == "low" else (y_thr, 100.0)
        quadrants.append(
            {
                "type": type_def.name.get(lang),
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y1,
                # Labels sit in the outer corner of each quadrant, away from the centre.
                "label_x": x0 + 1.5 if x_level == "low" else x1 - 1.5,
                "label_y": y1 - 2 if y_level == "high" else y0 + 2,
                "align": "left" if x_level == "low" else "right",
                "baseline": "top" if y_level == "high" else "bottom",
                "colour": type_def.colour,
            }
        )
    del spans
    x_scale = alt.Scale(domain=[0, 100], nice=False, clamp=True)
    y_scale = alt.Scale(domain=[0, 100], nice=False, clamp=True)
    x_axis = alt.X("x0:Q", scale=x_scale, title=f"{x_dim.name.get(lang)} (0–100)")
    y_axis = alt.Y("y0:Q", scale=y_scale, title=f"{y_dim.name.get(lang)} (0–100)")
    data = alt.Data(values=quadrants)
    tint = (
        alt.Chart(data, description="quadrants")
        .mark_rect(opacity=0.09)
        .encode(x=x_axis, x2="x1:Q", y=y_axis, y2="y1:Q", color=alt.Color("colour:N", scale=None, legend=None))
    )
    labels = []
    for align in ("left", "right"):
        for baseline in ("top", "bottom"):
            labels.append(
                alt.Chart(data, description="type labels")
                .transform_filter(f"datum.align == '{align}' && datum.baseline == '{baseline}'")
                .mark_text(align=align, baseline=baseline, fontSize=13, fontWeight="bold", opacity=0.75)
                .encode(
                    x=alt.X("label_x:Q", scale=x_scale),
                    y=alt.Y("label_y:Q", scale=y_scale),
                    text="type:N",
                    color=alt.Color("colour:N", scale=None, legend=None),
                )
            )
    thresholds = alt.Data(values=[{"x": x_thr, "y": y_thr}])
    x_rule = (
        alt.Chart(thresholds, description="threshold x")
        .mark_rule(strokeDash=[6, 4], color="#4a5560")
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    y_rule = (
        alt.Chart(thresholds, description="threshold y")
        .mark_rule(strokeDash=[6, 4], color="#4a5560")
        .encode(y=alt.Y("y:Q", scale=y_scale))
    )
    return [tint, *labels, x_rule, y_rule]


def domain_rows(
    questionnaire: Questionnaire,
    domains: Iterable[DomainResult],
    lang: Lang,
) -> list[dict]:
    """One row per domain with a position: the data behind points, intervals and tooltips."""
    x_id, y_id = questionnaire.dimension_ids
    rows = []
    for domain in domains:
        x, y = domain.dimensions[x_id], domain.dimensions[y_id]
        if x.score is None or y.score is None:
            continue
        type_def = questionnaire.types.get(domain.type_id) if domain.type_id else None
        status = t("ui.result.stable", lang) if domain.stable else t("ui.result.borderline", lang)
        rows.append(
            {
                "domain_id": domain.domain,
                "domain": questionnaire.domain(domain.domain).name.get(lang),
                "x": round(x.score, 1),
                "y": round(y.score, 1),
                "x_min": round(x.min, 1),
                "x_max": round(x.max, 1),
                "y_min": round(y.min, 1),
                "y_max": round(y.max, 1),
                "x_range": f"{_fmt(x.score)} ({_fmt(x.min)}–{_fmt(x.max)})",
                "y_range": f"{_fmt(y.score)} ({_fmt(y.min)}–{_fmt(y.max)})",
                "coverage": f"{domain.coverage * 100:.0f} %",
                "type": type_def.name.get(lang) if type_def else "–",
                "status": status,
            }
        )
    _place_labels(rows)
    return rows


def _place_labels(rows: list[dict]) -> None:
    """Keep labels inside the plot and off each other: flip left near the right edge,
    move down when another label already sits close by."""
    placed: list[tuple[float, float, str]] = []
    for row in sorted(rows, key=lambda r: (-r["y"], r["x"])):
        row["align"] = "right" if row["x"] > 70 else "left"
        row["dx"] = -10 if row["align"] == "right" else 10
        row["dy"] = -10
        for x, y, align in placed:
            if align == row["align"] and abs(x - row["x"]) < 25 and abs(y - row["y"]) < 6:
                row["dy"] += 14
        placed.append((row["x"], row["y"], row["align"]))


def quadrant_chart(
    questionnaire: Questionnaire,
    domains: Iterable[DomainResult],
    lang: Lang,
    *,
    previous: Mapping[str, Position] | None = None,
    width: int | str = "container",
    height: int = CHART_HEIGHT,
) -> alt.LayerChart:
    """The quadrant with one labelled point per domain and its min–max interval.

    ``previous`` (domain id → position of an earlier assessment) adds arrows from
    the earlier to the current position.
    """
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    rows = domain_rows(questionnaire, domains, lang)
    x_scale = alt.Scale(domain=[0, 100], nice=False, clamp=True)
    y_scale = alt.Scale(domain=[0, 100], nice=False, clamp=True)
    x_name, y_name = x_dim.name.get(lang), y_dim.name.get(lang)
    tooltip = [
        alt.Tooltip("domain:N", title=t("ui.result.domain", lang)),
        alt.Tooltip("type:N", title=t("ui.result.type", lang)),
        alt.Tooltip("x_range:N", title=x_name),
        alt.Tooltip("y_range:N", title=y_name),
        alt.Tooltip("coverage:N", title=t("ui.result.coverage", lang)),
        alt.Tooltip("status:N", title=t("ui.result.status", lang)),
    ]
    data = alt.Data(values=rows)
    interval = (
        alt.Chart(data, description="intervals")
        .mark_rect(opacity=0.12, color="#1f2a33", stroke="#1f2a33", strokeOpacity=0.35, strokeDash=[2, 2])
        .encode(
            x=alt.X("x_min:Q", scale=x_scale),
            x2="x_max:Q",
            y=alt.Y("y_min:Q", scale=y_scale),
            y2="y_max:Q",
            tooltip=tooltip,
        )
    )
    points = (
        alt.Chart(data, description="domains")
        .mark_point(filled=True, size=160, color="#1f2a33", stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", scale=x_scale),
            y=alt.Y("y:Q", scale=y_scale),
            shape=alt.Shape("domain:N", legend=None),
            tooltip=tooltip,
        )
    )
    # Vega-Lite cannot encode dx/dy per datum, so each offset gets its own small layer.
    offsets = sorted({(row["align"], row["dx"], row["dy"]) for row in rows})
    labels = [
        alt.Chart(data, description="domain labels")
        .transform_filter(f"datum.align == '{align}' && datum.dy == {dy}")
        .mark_text(align=align, dx=dx, dy=dy, fontSize=12, color="#1f2a33")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text="domain:N")
        for align, dx, dy in offsets
    ]
    layers = [*quadrant_base(questionnaire, lang), interval]
    if previous:
        layers += _history_layers(rows, previous, x_scale, y_scale, lang)
    layers += [points, *labels]
    return (
        alt.layer(*layers)
        .properties(width=width, height=height, title=t("ui.result.chart_title", lang))
        .configure_axis(grid=False, labelFontSize=11, titleFontSize=12)
        .configure_view(strokeWidth=0)
    )


def _history_layers(
    rows: list[dict], previous: Mapping[str, Position], x_scale, y_scale, lang: Lang
) -> list[alt.Chart]:
    arrows = []
    for row in rows:
        before = previous.get(row["domain_id"])
        if before is None:
            continue
        dx, dy = row["x"] - before.x, row["y"] - before.y
        # Vega's triangle points up; its angle runs clockwise, the y axis upwards.
        angle = (90 - math.degrees(math.atan2(dy, dx))) % 360 if (dx or dy) else 0
        arrows.append(
            {
                "domain": row["domain"],
                "x0": round(before.x, 1),
                "y0": round(before.y, 1),
                "x": row["x"],
                "y": row["y"],
                # The head sits just before the current point so the point does not hide it.
                "head_x": round(before.x + 0.88 * dx, 2),
                "head_y": round(before.y + 0.88 * dy, 2),
                "angle": angle,
                "change": f"{before.x:.0f}/{before.y:.0f} → {row['x']:.0f}/{row['y']:.0f}",
            }
        )
    if not arrows:
        return []
    data = alt.Data(values=arrows)
    tooltip = [
        alt.Tooltip("domain:N", title=t("ui.result.domain", lang)),
        alt.Tooltip("change:N", title=t("ui.result.change", lang)),
    ]
    line = (
        alt.Chart(data, description="history")
        .mark_rule(color="#6b7780", strokeWidth=2)
        .encode(x=alt.X("x0:Q", scale=x_scale), y=alt.Y("y0:Q", scale=y_scale), x2="x:Q", y2="y:Q", tooltip=tooltip)
    )
    start = (
        alt.Chart(data, description="earlier positions")
        .mark_point(shape="circle", size=70, color="#6b7780", filled=False, strokeWidth=2)
        .encode(x=alt.X("x0:Q", scale=x_scale), y=alt.Y("y0:Q", scale=y_scale), tooltip=tooltip)
    )
    head = (
        alt.Chart(data, description="arrow heads")
        .mark_point(shape="triangle", size=90, color="#6b7780", filled=True, opacity=1)
        .encode(
            x=alt.X("head_x:Q", scale=x_scale),
            y=alt.Y("head_y:Q", scale=y_scale),
            angle=alt.Angle("angle:Q", scale=None),
        )
    )
    return [line, start, head]
