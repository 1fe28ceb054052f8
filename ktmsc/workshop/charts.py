"""The group charts (Vega-Lite via Altair): one domain with every participant, all domains at once,
and one domain square for the projector with the count per quadrant.

Both axes leave :data:`EDGE_PADDING` pixels between the plot's edge and 0 or 100, so a point
at 0/0 or 100/100 is drawn whole rather than cut by the edge."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt

from ktmsc.charts import (
    CHART_HEIGHT,
    axis_title,
    finish,
    label_layers,
    place_labels,
    quadrant_base,
    quadrant_rows,
    score_scale,
    spec_from_template,
)
from ktmsc.i18n import Lang
from ktmsc.labels import counted, fmt_number, fmt_percent, fmt_range
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.texts import t
from ktmsc.workshop.model import GroupDomain, GroupResult
from ktmsc.workshop.projector import quadrant_counts
from ktmsc.workshop.texts import participant_label, type_name

INK = "#1f2a33"
PARTICIPANT_COLOUR = "#5b4b8a"  # a violet no type uses, so dots never blend into a quadrant tint
EDGE_PADDING = 12  # px between the plot's edge and 0 or 100 on each axis
PROJECTOR_SIZE = 680  # px, the projector chart's plot: as wide as high
PROJECTOR_TEXT = 16  # px, the projector chart's type names and axis titles (its counts: 22 px)
COUNT_OFFSET = 22  # px from a type's name to its quadrant's count (below at the top, above at the bottom)


@dataclass(frozen=True)
class _Axes:
    x: alt.Scale
    y: alt.Scale
    x_title: str
    y_title: str
    x_name: str
    y_name: str

    def enc(self, x_field: str, y_field: str) -> dict[str, Any]:
        """x and y on the 0–100 scales, with the dimension names as axis titles."""
        return {
            "x": alt.X(f"{x_field}:Q", scale=self.x, title=self.x_title),
            "y": alt.Y(f"{y_field}:Q", scale=self.y, title=self.y_title),
        }


def _axes(questionnaire: Questionnaire, lang: Lang) -> _Axes:
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    return _Axes(
        x=score_scale(),
        y=score_scale(),
        # The same titles as quadrant_base(), so the layers share one axis title.
        x_title=axis_title(x_dim, lang),
        y_title=axis_title(y_dim, lang),
        x_name=x_dim.name.get(lang),
        y_name=y_dim.name.get(lang),
    )


def _status(group: GroupDomain, lang: Lang) -> str:
    if group.median is None:
        return t("workshop.status.no_position", lang)
    return t("workshop.status.stable", lang) if group.stable else t("workshop.status.borderline", lang)


def _median_row(questionnaire: Questionnaire, group: GroupDomain, label: str, lang: Lang) -> dict[str, Any]:
    x_id, y_id = questionnaire.dimension_ids
    sx, sy = group.spread[x_id], group.spread[y_id]
    return {
        "label": label,
        "domain": questionnaire.domain(group.domain).name.get(lang),
        "x": round(group.median.x, 1),
        "y": round(group.median.y, 1),
        "x_q1": round(sx.q1, 1),
        "x_q3": round(sx.q3, 1),
        "y_q1": round(sy.q1, 1),
        "y_q3": round(sy.q3, 1),
        "x_min": round(sx.min, 1),
        "x_max": round(sx.max, 1),
        "y_min": round(sy.min, 1),
        "y_max": round(sy.max, 1),
        "x_text": fmt_range(group.median.x, sx.q1, sx.q3, lang, questionnaire.threshold(x_id)),
        "y_text": fmt_range(group.median.y, sy.q1, sy.q3, lang, questionnaire.threshold(y_id)),
        "type": type_name(questionnaire, group.type_id, lang),
        "agreement": t(
            "workshop.chart.agreement_value",
            lang,
            count=fmt_number(group.type_count, lang),
            total=fmt_number(group.count, lang),
            share=fmt_percent(group.type_share or 0, lang, threshold=questionnaire.model.scoring.agreement_share),
        ),
        "status": _status(group, lang),
    }


def _tooltip(axes: _Axes, lang: Lang) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("domain:N", title=t("workshop.chart.domain", lang)),
        alt.Tooltip("type:N", title=t("workshop.chart.type", lang)),
        alt.Tooltip("x_text:N", title=t("workshop.chart.median_iqr", lang, dimension=axes.x_name)),
        alt.Tooltip("y_text:N", title=t("workshop.chart.median_iqr", lang, dimension=axes.y_name)),
        alt.Tooltip("agreement:N", title=t("workshop.chart.agreement", lang)),
        alt.Tooltip("status:N", title=t("workshop.chart.status", lang)),
    ]


def _count_layers(axes: _Axes) -> list[alt.Chart]:
    """The count per quadrant under (top) or above (bottom) the type's name, reading ``counts``."""
    counts = alt.Data(name="counts")
    return [
        alt.Chart(counts, description="quadrant counts")
        .transform_filter(f"datum.align == '{align}' && datum.baseline == '{baseline}'")
        .mark_text(
            align=align,
            baseline=baseline,
            dy=COUNT_OFFSET if baseline == "top" else -COUNT_OFFSET,
            fontSize=PROJECTOR_TEXT + 6,
            fontWeight="bold",
        )
        .encode(
            x=alt.X("label_x:Q", scale=axes.x),
            y=alt.Y("label_y:Q", scale=axes.y),
            text="count:N",
            color=alt.Color("colour:N", scale=None, legend=None),
        )
        for align in ("left", "right")
        for baseline in ("top", "bottom")
    ]


def _group_structure(
    questionnaire: Questionnaire, lang: Lang, width: int | str, height: int, *, overview: bool, projector: bool = False
) -> alt.LayerChart:
    """Layers of the group charts, reading the named datasets ``medians``, ``people`` and
    ``ranges`` (and ``counts`` on the projector, whose points are larger and stronger)."""
    axes = _axes(questionnaire, lang)
    medians, people, ranges = alt.Data(name="medians"), alt.Data(name="people"), alt.Data(name="ranges")
    tooltip = _tooltip(axes, lang)
    spread = (
        alt.Chart(medians, description="spread")
        .mark_rect(opacity=0.14, color=INK, stroke=INK, strokeOpacity=0.5, strokeDash=[4, 3])
        .encode(**axes.enc("x_q1", "y_q1"), x2="x_q3:Q", y2="y_q3:Q", tooltip=tooltip)
    )
    layers: list[alt.Chart] = [*quadrant_base(questionnaire, lang, PROJECTOR_TEXT if projector else 13), spread]
    if projector:
        layers += _count_layers(axes)
    if overview:
        layers.append(
            alt.Chart(medians, description="medians")
            .mark_point(filled=True, size=220, color=INK, stroke="white", strokeWidth=1.5, opacity=1)
            .encode(**axes.enc("x", "y"), shape=alt.Shape("label:N", legend=None), tooltip=tooltip)
        )
    else:
        rule = {"color": INK, "opacity": 0.45, "strokeWidth": 1.5}
        participants = (
            alt.Chart(people, description="participants")
            .mark_circle(size=150 if projector else 70, opacity=0.8 if projector else 0.55, color=PARTICIPANT_COLOUR)
            .encode(
                **axes.enc("x", "y"),
                tooltip=[
                    alt.Tooltip("label:N", title=t("workshop.chart.participant", lang)),
                    alt.Tooltip("role:N", title=t("workshop.chart.role", lang)),
                    alt.Tooltip("type:N", title=t("workshop.chart.type", lang)),
                    alt.Tooltip("x:Q", title=axes.x_name),
                    alt.Tooltip("y:Q", title=axes.y_name),
                    alt.Tooltip("coverage:N", title=t("workshop.chart.coverage", lang)),
                ],
            )
        )
        layers += [
            alt.Chart(ranges, description="range x").mark_rule(**rule).encode(**axes.enc("x_min", "y"), x2="x_max:Q"),
            alt.Chart(ranges, description="range y").mark_rule(**rule).encode(**axes.enc("x", "y_min"), y2="y_max:Q"),
            participants,
            alt.Chart(medians, description="median")
            .mark_point(shape="diamond", filled=True, size=380, color=INK, stroke="white", strokeWidth=1.5, opacity=1)
            .encode(**axes.enc("x", "y"), tooltip=tooltip),
        ]
    label_size = PROJECTOR_TEXT if projector else 13
    layers += label_layers(medians, "label", "median labels", axes.x, axes.y, fontSize=label_size, fontWeight="bold")
    chart = finish(layers, "", width, height).configure_scale(continuousPadding=EDGE_PADDING)
    if projector:
        chart = chart.configure_axis(
            grid=False, labelFontSize=PROJECTOR_TEXT - 2, titleFontSize=PROJECTOR_TEXT, tickCount=10
        )
        chart = chart.configure_title(fontSize=PROJECTOR_TEXT + 4)
    return chart


def group_chart(
    questionnaire: Questionnaire,
    group: GroupResult,
    domain_id: str,
    lang: Lang,
    *,
    width: int | str = "container",
    height: int = CHART_HEIGHT,
    projector: bool = False,
) -> dict[str, Any]:
    """One domain on the quadrants, as a Vega-Lite spec: the IQR box, the min–max range
    through the median on each axis, every participant as a small translucent point
    (tooltip: pseudonym or "Teilnehmer:in 3") and the median as a large diamond
    labelled "Median".

    Layers carry a ``description`` (quadrants, type labels, threshold x/y, spread,
    range x/y, participants, median, median labels) and read the named datasets
    ``medians``, ``people`` and ``ranges``; empty when nobody has a position yet. With
    ``projector`` the points are larger and stronger and each quadrant says how many are in
    it (layers "quadrant counts", dataset ``counts``; see :func:`projector_chart`).
    """
    domain = group.by_domain[domain_id]
    medians: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    ranges: list[dict[str, Any]] = []
    if domain.median is not None:
        row = _median_row(questionnaire, domain, t("workshop.median", lang), lang)
        place_labels([row], field="label")
        medians = [row]
        ranges = [{k: row[k] for k in ("x", "y", "x_min", "x_max", "y_min", "y_max")}]
        roles = {s.participant.id: s.participant.role for s in group.participants}
        people = [
            {
                "label": participant_label(p.name, p.number, lang),
                "role": roles.get(p.participant_id) or "–",
                "x": round(p.x, 1),
                "y": round(p.y, 1),
                "type": type_name(questionnaire, p.type_id, lang),
                "coverage": fmt_percent(p.coverage, lang),
            }
            for p in domain.points
        ]
    datasets = {"medians": medians, "people": people, "ranges": ranges}
    if projector:
        datasets["counts"] = _count_rows(questionnaire, domain, lang)
    spec = spec_from_template(
        questionnaire,
        ("group", lang, width, height, projector),
        lambda: _group_structure(questionnaire, lang, width, height, overview=False, projector=projector),
        datasets,
    )
    spec["title"] = counted(
        "workshop.chart.title", domain.count, lang, domain=questionnaire.domain(domain_id).name.get(lang)
    )
    return spec


def _count_rows(questionnaire: Questionnaire, domain: GroupDomain, lang: Lang) -> list[dict[str, Any]]:
    """Per quadrant: "3 Personen", placed at its type's name."""
    counts = quadrant_counts(questionnaire, domain)
    return [
        {
            **{k: row[k] for k in ("type_id", "type", "label_x", "label_y", "align", "baseline", "colour")},
            "count": counted("workshop.projector.count", counts[row["type_id"]], lang),
        }
        for row in quadrant_rows(questionnaire, lang)
    ]


def projector_chart(
    questionnaire: Questionnaire, group: GroupResult, domain_id: str, lang: Lang, *, size: int = PROJECTOR_SIZE
) -> dict[str, Any]:
    """One domain for the projector: :func:`group_chart` on a square plot of ``size`` pixels,
    with stronger points and the count of participants written in each quadrant."""
    spec = group_chart(questionnaire, group, domain_id, lang, width=size, height=size, projector=True)
    spec["autosize"] = {"type": "pad"}  # the plot is size × size; title and axes come around it
    return spec


def group_overview_chart(
    questionnaire: Questionnaire,
    group: GroupResult,
    lang: Lang,
    *,
    width: int | str = "container",
    height: int = CHART_HEIGHT,
) -> dict[str, Any]:
    """All domains as a Vega-Lite spec: one median mark per domain (a shape each,
    labelled with the domain name) and its IQR box. Domains without any position are
    left out."""
    rows = [
        _median_row(questionnaire, domain, questionnaire.domain(domain_id).name.get(lang), lang)
        for domain_id, domain in group.by_domain.items()
        if domain.median is not None
    ]
    place_labels(rows, field="label")
    spec = spec_from_template(
        questionnaire,
        ("group_overview", lang, width, height),
        lambda: _group_structure(questionnaire, lang, width, height, overview=True),
        {"medians": rows, "people": [], "ranges": []},
    )
    spec["title"] = t("workshop.chart.overview_title", lang)
    return spec


CONVERGENCE_SIZE = 420  # px, square: the arrow's head points where the group moved


def convergence_chart(
    questionnaire: Questionnaire, first: GroupDomain, second: GroupDomain, lang: Lang, *, size: int = CONVERGENCE_SIZE
) -> dict[str, Any]:
    """One domain's group point from round 1 to round 2 on a square plot: the middle half of
    round 1 dashed, of round 2 filled, and an arrow from median to median (layers "spread",
    "arrow", "arrow head", "medians"; datasets ``boxes``, ``arrow``, ``medians``). Empty while
    either round has no median."""
    x_id, y_id = questionnaire.dimension_ids
    boxes, arrow, medians = [], [], []
    if first.median is not None and second.median is not None:
        for number, domain in ((1, first), (2, second)):
            sx, sy = domain.spread[x_id], domain.spread[y_id]
            boxes.append({"round": number, "x_q1": sx.q1, "x_q3": sx.q3, "y_q1": sy.q1, "y_q3": sy.q3})
            medians.append(
                {
                    "round": number,
                    "label": t("workshop.second_round.round_label", lang, round=number),
                    "x": round(domain.median.x, 1),
                    "y": round(domain.median.y, 1),
                    "type": type_name(questionnaire, domain.type_id, lang),
                    "align": "left",
                    "dy": -12 if number == 1 else 14,
                }
            )
        dx, dy = second.median.x - first.median.x, second.median.y - first.median.y
        arrow = [
            {
                "x": round(first.median.x, 1),
                "y": round(first.median.y, 1),
                "x2": round(second.median.x, 1),
                "y2": round(second.median.y, 1),
                "angle": round(math.degrees(math.atan2(dx, dy)) % 360, 1),
                "moved": bool(abs(dx) + abs(dy) >= 0.1),
            }
        ]
    spec = spec_from_template(
        questionnaire,
        ("convergence", lang, size),
        lambda: _convergence_structure(questionnaire, lang, size),
        {"boxes": boxes, "arrow": arrow, "medians": medians},
    )
    spec["title"] = questionnaire.domain(second.domain).name.get(lang)
    spec["autosize"] = {"type": "pad"}
    return spec


def _convergence_structure(questionnaire: Questionnaire, lang: Lang, size: int) -> alt.LayerChart:
    axes = _axes(questionnaire, lang)
    boxes, arrow, medians = alt.Data(name="boxes"), alt.Data(name="arrow"), alt.Data(name="medians")
    tooltip = [
        alt.Tooltip("label:N", title=t("workshop.median", lang)),
        alt.Tooltip("type:N", title=t("workshop.chart.type", lang)),
        alt.Tooltip("x:Q", title=axes.x_name),
        alt.Tooltip("y:Q", title=axes.y_name),
    ]
    layers: list[alt.Chart] = [
        *quadrant_base(questionnaire, lang),
        alt.Chart(boxes, description="spread round 1")
        .transform_filter("datum.round == 1")
        .mark_rect(fillOpacity=0, stroke=INK, strokeOpacity=0.6, strokeDash=[4, 3])
        .encode(**axes.enc("x_q1", "y_q1"), x2="x_q3:Q", y2="y_q3:Q"),
        alt.Chart(boxes, description="spread round 2")
        .transform_filter("datum.round == 2")
        .mark_rect(opacity=0.16, color=INK, stroke=INK, strokeOpacity=0.6)
        .encode(**axes.enc("x_q1", "y_q1"), x2="x_q3:Q", y2="y_q3:Q"),
        alt.Chart(arrow, description="arrow")
        .mark_rule(color=INK, strokeWidth=2.5)
        .encode(**axes.enc("x", "y"), x2="x2:Q", y2="y2:Q"),
        alt.Chart(arrow, description="arrow head")
        .transform_filter("datum.moved")
        .mark_point(shape="triangle-up", filled=True, size=260, color=INK, opacity=1)
        .encode(**axes.enc("x2", "y2"), angle=alt.Angle("angle:Q", scale=None)),
        alt.Chart(medians, description="medians")
        .mark_point(size=200, strokeWidth=2, color=INK, opacity=1)
        .encode(**axes.enc("x", "y"), tooltip=tooltip),
        *label_layers(medians, "label", "median labels", axes.x, axes.y, fontSize=12, fontWeight="bold"),
    ]
    return finish(layers, "", size, size).configure_scale(continuousPadding=EDGE_PADDING)
