"""The quadrant chart: where each domain stands, as an altair (Vega-Lite) spec.

Pure functions of the questionnaire and a result, so tests can assert the spec
and the PDF report can render the same chart. x = the dimension with ``axis: x``
in model.yaml (capacity), y = the other (willingness to change); both 0–100 with
the thresholds drawn as lines and the four quadrants labelled with the types.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping

import altair as alt

from ktmsc.action_plan import target_met
from ktmsc.i18n import Lang
from ktmsc.labels import fmt_percent, fmt_range, fmt_score, status_label
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import Dimension
from ktmsc.scoring import DomainResult, Position, position
from ktmsc.texts import t

CHART_HEIGHT = 440


def score_scale() -> alt.Scale:
    """The 0–100 scale of a score axis: exactly 0 to 100, points outside clamped to the edge."""
    return alt.Scale(domain=[0, 100], nice=False, clamp=True)


def axis_title(dimension: Dimension, lang: Lang) -> str:
    """The title of a dimension's axis, e.g. "Leistungsfähigkeit (0–100)"."""
    return f"{dimension.name.get(lang)} (0–100)"


def quadrant_rows(questionnaire: Questionnaire, lang: Lang) -> list[dict]:
    """One row per type (model order): its quadrant's corners, where its name sits and its colour."""
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    x_thr, y_thr = questionnaire.threshold(x_dim.id), questionnaire.threshold(y_dim.id)
    quadrants = []
    for type_def in questionnaire.model.types:
        x_level, y_level = type_def.quadrant[x_dim.id], type_def.quadrant[y_dim.id]
        x0, x1 = (0.0, x_thr) if x_level == "low" else (x_thr, 100.0)
        y0, y1 = (0.0, y_thr) if y_level == "low" else (y_thr, 100.0)
        quadrants.append(
            {
                "type_id": type_def.id,
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
    return quadrants


def quadrant_base(questionnaire: Questionnaire, lang: Lang, label_size: int = 13) -> list[alt.Chart]:
    """Background layers: tinted quadrants with the type names (``label_size`` px), threshold lines."""
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    x_thr, y_thr = questionnaire.threshold(x_dim.id), questionnaire.threshold(y_dim.id)
    quadrants = quadrant_rows(questionnaire, lang)
    x_scale, y_scale = score_scale(), score_scale()
    x_axis = alt.X("x0:Q", scale=x_scale, title=axis_title(x_dim, lang))
    y_axis = alt.Y("y0:Q", scale=y_scale, title=axis_title(y_dim, lang))
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
                .mark_text(align=align, baseline=baseline, fontSize=label_size, fontWeight="bold", opacity=0.75)
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
                "x_range": fmt_range(x.score, x.min, x.max, lang, questionnaire.threshold(x_id)),
                "y_range": fmt_range(y.score, y.min, y.max, lang, questionnaire.threshold(y_id)),
                "coverage": fmt_percent(domain.coverage, lang),
                "type": type_def.name.get(lang) if type_def else "–",
                "status": status_label(domain, lang),
            }
        )
    place_labels(rows)
    return rows


LABEL_OFFSETS = (-10, 4, 18, -24, 32, -38, 46, 60, 74, 88, 102, 116, 130)  # dy in pixels, tried in this order
# Label placement works on a nominal plot of 600 × 440 px; wider plots only add room.
_PX_X, _PX_Y, _CHAR_PX, _LINE_PX = 6.0, 4.4, 6.6, 14.0


def _box(x: float, y: float, align: str, dy: float, text: str) -> tuple[float, float, float, float]:
    """The label's rectangle in nominal pixels: left, right, top, bottom."""
    width = len(text) * _CHAR_PX
    anchor = x * _PX_X + (10 if align == "left" else -10)
    left, right = (anchor, anchor + width) if align == "left" else (anchor - width, anchor)
    middle = (100 - y) * _PX_Y + dy
    return left, right, middle - _LINE_PX / 2, middle + _LINE_PX / 2


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def place_labels(rows: list[dict], field: str = "domain") -> None:
    """Choose each label's side (``align``) and vertical offset (``dy``) so labels stay
    inside the plot and off each other and the type names in the corners.

    Labels go to the right of their point, or to the left near the right edge; the
    first offset whose box is free wins (the last one if none is).
    """
    placed = _corner_boxes()
    for row in sorted(rows, key=lambda r: (-r["y"], r["x"])):
        text = str(row.get(field, ""))
        align = "right" if row["x"] * _PX_X + 10 + len(text) * _CHAR_PX > 100 * _PX_X else "left"
        choice = LABEL_OFFSETS[-1]
        for dy in LABEL_OFFSETS:
            box = _box(row["x"], row["y"], align, dy, text)
            if box[2] >= 0 and box[3] <= 100 * _PX_Y and not any(_overlaps(box, other) for other in placed):
                choice = dy
                break
        row["align"], row["dy"] = align, choice
        placed.append(_box(row["x"], row["y"], align, choice, text))


def _corner_boxes() -> list[tuple[float, float, float, float]]:
    """Where the four type names sit (corners, about 16 characters wide)."""
    width, height = 16 * _CHAR_PX, 2 * _LINE_PX
    right, bottom = 100 * _PX_X, 100 * _PX_Y
    return [
        (0, width, 0, height),
        (right - width, right, 0, height),
        (0, width, bottom - height, bottom),
        (right - width, right, bottom - height, bottom),
    ]


def label_layers(
    data: alt.Data, field: str, description: str, x_scale: alt.Scale, y_scale: alt.Scale, **mark
) -> list[alt.Chart]:
    """Text layers for labels placed by :func:`place_labels` (rows carry ``align`` and ``dy``).

    Vega-Lite cannot encode dx/dy per datum, so each label position gets its own layer.
    """
    return [
        alt.Chart(data, description=description)
        .transform_filter(f"datum.align == '{align}' && datum.dy == {dy}")
        .mark_text(align=align, dx=10 if align == "left" else -10, dy=dy, color="#1f2a33", **mark)
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), text=f"{field}:N")
        for align in ("left", "right")
        for dy in LABEL_OFFSETS
    ]


def history_rows(
    rows: list[dict],
    current: Mapping[str, Position],
    previous: Mapping[str, Position],
    targets: Mapping[str, tuple[str, bool]] | None = None,
) -> list[dict]:
    """One arrow per domain that has an earlier position (``current``: the unrounded points,
    so the tooltip rounds each score once, as the tables do); with ``targets`` (domain → the
    earlier assessment's target, as its words, and whether it is reached now), each arrow
    says whether it ended in its target."""
    targets = targets or {}
    arrows = []
    for row in rows:
        before, now = previous.get(row["domain_id"]), current[row["domain_id"]]
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
                "angle": round(angle, 1),
                "change": f"{fmt_score(before.x)}/{fmt_score(before.y)} → {fmt_score(now.x)}/{fmt_score(now.y)}",
                "target": targets[row["domain_id"]][0] if row["domain_id"] in targets else "",
                "reached": _reached(targets.get(row["domain_id"])),
            }
        )
    return arrows


# An arrow's colour: no target, its target reached, or not (the tooltip and the follow-up's
# table say it in words).
REACHED = {"none": "#6b7780", "yes": "#0b6e4f", "no": "#a15c00"}


def _reached(target: tuple[str, bool] | None) -> str:
    return "none" if target is None else "yes" if target[1] else "no"


def target_words(
    questionnaire: Questionnaire, domains: Iterable[DomainResult], targets: Mapping[str, str], lang: Lang
) -> dict[str, tuple[str, bool]]:
    """Per domain with an earlier target: "Ziel „Leuchtturm“: erreicht" and whether it is."""
    words = {}
    for domain in domains:
        type_id = targets.get(domain.domain)
        if type_id not in questionnaire.types:
            continue
        met = target_met(domain, type_id)
        verdict = t("plan.follow_up.met" if met else "plan.follow_up.not_met", lang)
        words[domain.domain] = (
            t("plan.follow_up.arrow", lang, target=questionnaire.types[type_id].name.get(lang), verdict=verdict),
            met,
        )
    return words


def proposal_rows(
    questionnaire: Questionnaire, projected: list[DomainResult], today: Mapping[str, Position], lang: Lang
) -> list[dict]:
    """One dashed arrow per projected domain that has a point today and one projected."""
    rows = domain_rows(questionnaire, projected, lang)
    ahead = {d.domain: p for d in projected if (p := position(questionnaire, d)) is not None}
    arrows = history_rows([r for r in rows if r["domain_id"] in ahead], ahead, today)
    types = {r["domain"]: r["type"] for r in rows}
    return [{**arrow, "type": types[arrow["domain"]]} for arrow in arrows]


def spec_from_template(
    questionnaire: Questionnaire, key: tuple, build: Callable[[], alt.TopLevelMixin], datasets: dict
) -> dict:
    """A Vega-Lite spec: the structure built once by ``build`` (named data only), the data filled in.

    Building and validating altair objects takes a good part of a second, while a
    chart's structure only changes with the language and the size; so the
    structure is built once per questionnaire and key and each result's data
    goes into the spec's named ``datasets``.
    """
    template = questionnaire.memo(("chart", *key), lambda: json.dumps(build().to_dict()))
    spec = json.loads(template)
    spec.setdefault("datasets", {}).update(datasets)
    # Layers without data are left out: Vega would draw them as empty, unlabelled
    # graphics that screen readers announce (and accessibility audits flag).
    empty = {name for name, rows in datasets.items() if not rows}
    spec["layer"] = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") not in empty]
    for name in empty:
        del spec["datasets"][name]
    return spec


def _quadrant_structure(questionnaire: Questionnaire, lang: Lang, width: int | str, height: int) -> alt.LayerChart:
    """Layers of the domain chart, reading the named datasets ``domains`` and ``history``."""
    x_dim, y_dim = questionnaire.x_dimension, questionnaire.y_dimension
    x_scale, y_scale = score_scale(), score_scale()
    tooltip = [
        alt.Tooltip("domain:N", title=t("ui.result.domain", lang)),
        alt.Tooltip("type:N", title=t("ui.result.type", lang)),
        alt.Tooltip("x_range:N", title=x_dim.name.get(lang)),
        alt.Tooltip("y_range:N", title=y_dim.name.get(lang)),
        alt.Tooltip("coverage:N", title=t("ui.result.coverage", lang)),
        alt.Tooltip("status:N", title=t("ui.result.status", lang)),
    ]
    domains = alt.Data(name="domains")
    history = alt.Data(name="history")
    way = alt.Data(name="proposal")
    interval = (
        alt.Chart(domains, description="intervals")
        .mark_rect(opacity=0.12, color="#1f2a33", stroke="#1f2a33", strokeOpacity=0.35, strokeDash=[2, 2])
        .encode(
            x=alt.X("x_min:Q", scale=x_scale),
            x2="x_max:Q",
            y=alt.Y("y_min:Q", scale=y_scale),
            y2="y_max:Q",
            tooltip=tooltip,
        )
    )
    history_tooltip = [
        alt.Tooltip("domain:N", title=t("ui.result.domain", lang)),
        alt.Tooltip("change:N", title=t("ui.result.change", lang)),
        alt.Tooltip("target:N", title=t("plan.follow_up.targets", lang)),
    ]
    reached = alt.Color("reached:N", scale=alt.Scale(domain=list(REACHED), range=list(REACHED.values())), legend=None)
    arrow_line = (
        alt.Chart(history, description="history")
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("x0:Q", scale=x_scale),
            y=alt.Y("y0:Q", scale=y_scale),
            x2="x:Q",
            y2="y:Q",
            color=reached,
            tooltip=history_tooltip,
        )
    )
    arrow_start = (
        alt.Chart(history, description="earlier positions")
        .mark_point(shape="circle", size=70, color="#6b7780", filled=False, strokeWidth=2)
        .encode(x=alt.X("x0:Q", scale=x_scale), y=alt.Y("y0:Q", scale=y_scale), tooltip=history_tooltip)
    )
    arrow_head = (
        alt.Chart(history, description="arrow heads")
        .mark_point(shape="triangle", size=90, filled=True, opacity=1)
        .encode(
            x=alt.X("head_x:Q", scale=x_scale),
            y=alt.Y("head_y:Q", scale=y_scale),
            angle=alt.Angle("angle:Q", scale=None),
            color=reached,
        )
    )
    # The proposal: dashed, from today's point to the projected one (a hollow point).
    way_tooltip = [
        alt.Tooltip("domain:N", title=t("ui.result.domain", lang)),
        alt.Tooltip("change:N", title=t("plan.ui.projected", lang)),
        alt.Tooltip("type:N", title=t("ui.result.type", lang)),
    ]
    way_line = (
        alt.Chart(way, description="proposal")
        .mark_rule(color="#0b6e4f", strokeWidth=2, strokeDash=[6, 4])
        .encode(x=alt.X("x0:Q", scale=x_scale), y=alt.Y("y0:Q", scale=y_scale), x2="x:Q", y2="y:Q", tooltip=way_tooltip)
    )
    way_head = (
        alt.Chart(way, description="proposal arrow heads")
        .mark_point(shape="triangle", size=90, color="#0b6e4f", filled=True, opacity=1)
        .encode(
            x=alt.X("head_x:Q", scale=x_scale),
            y=alt.Y("head_y:Q", scale=y_scale),
            angle=alt.Angle("angle:Q", scale=None),
        )
    )
    way_end = (
        alt.Chart(way, description="projected positions")
        .mark_point(shape="circle", size=160, color="#0b6e4f", filled=False, strokeWidth=2)
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), tooltip=way_tooltip)
    )
    points = (
        alt.Chart(domains, description="domains")
        .mark_point(filled=True, size=160, color="#1f2a33", stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", scale=x_scale),
            y=alt.Y("y:Q", scale=y_scale),
            shape=alt.Shape("domain:N", legend=None),
            tooltip=tooltip,
        )
    )
    labels = label_layers(domains, "domain", "domain labels", x_scale, y_scale, fontSize=12)
    return finish(
        [
            *quadrant_base(questionnaire, lang),
            interval,
            arrow_line,
            arrow_start,
            arrow_head,
            way_line,
            way_head,
            way_end,
            points,
            *labels,
        ],
        t("ui.result.chart_title", lang),
        width,
        height,
    )


def finish(layers: list[alt.Chart], title: str, width: int | str, height: int) -> alt.LayerChart:
    """Layers on one chart with the common size, title and styling."""
    return (
        alt.layer(*layers)
        .properties(width=width, height=height, title=title)
        .configure_axis(grid=False, labelFontSize=11, titleFontSize=12)
        .configure_view(strokeWidth=0)
    )


def quadrant_spec(
    questionnaire: Questionnaire,
    domains: Iterable[DomainResult],
    lang: Lang,
    *,
    previous: Mapping[str, Position] | None = None,
    targets: Mapping[str, str] | None = None,
    projected: Iterable[DomainResult] = (),
    width: int | str = "container",
    height: int = CHART_HEIGHT,
) -> dict:
    """The quadrant as a Vega-Lite spec: one labelled point per domain with its
    min–max interval; with ``previous`` (domain id → earlier position), arrows
    from the earlier to the current position, coloured by whether they reached the earlier
    assessment's ``targets`` (domain id → type id); with ``projected`` (a domain's result with
    the proposed or hypothetical answers), dashed arrows from today's point to that one."""
    domains = list(domains)
    rows = domain_rows(questionnaire, domains, lang)
    current = {d.domain: p for d in domains if (p := position(questionnaire, d)) is not None}
    spec = spec_from_template(
        questionnaire,
        ("quadrant", lang, width, height),
        lambda: _quadrant_structure(questionnaire, lang, width, height),
        {
            "domains": rows,
            "history": history_rows(rows, current, previous, target_words(questionnaire, domains, targets or {}, lang))
            if previous
            else [],
            "proposal": proposal_rows(questionnaire, list(projected), current, lang),
        },
    )
    return without_unused_labels(spec, "domain labels", rows)


def without_unused_labels(spec: dict, description: str, rows: list[dict]) -> dict:
    """The spec without the label layers (of :func:`label_layers`) that no row is placed in:
    they would draw nothing, but each costs the renderer a mark and leaves an empty group."""
    used = {(row["align"], row["dy"]) for row in rows}
    spec["layer"] = [
        layer
        for layer in spec["layer"]
        if layer.get("description") != description or (layer["mark"]["align"], layer["mark"]["dy"]) in used
    ]
    return spec
