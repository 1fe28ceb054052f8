"""What the workshop's boards share: the group of a list of participants, a question's answer
distribution as text, and the chart and table cache that keeps a self-refreshing board cheap.

Used by the facilitator's dashboard and projector (:mod:`ktmsc.ui.workshop_views`) and by the
second round's views (:mod:`ktmsc.ui.second_round_views`).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from ktmsc.i18n import Lang
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import Workshop
from ktmsc.texts import t
from ktmsc.ui.safe import md
from ktmsc.workshop import GroupResult, ItemStats, Participant, aggregate

CHARTS_KEY = "workshop.charts"


def group_of(q: Questionnaire, workshop: Workshop, people: list[Participant]) -> GroupResult:
    """The group result of ``people`` in the workshop's domains, perspective and municipality."""
    return aggregate(
        q,
        people,
        workshop.domains,
        workshop.perspective,
        workshop.profile.population,
        body_kind=workshop.profile.body_kind,
    )


def distribution_text(q: Questionnaire, stats: ItemStats, lang: Lang) -> str:
    """Counts per answer in the questionnaire's order, "don't know" and unanswered last."""
    return " · ".join(distribution_parts(q, stats, lang))


def distribution_parts(q: Questionnaire, stats: ItemStats, lang: Lang, *, unanswered: bool = True) -> list[str]:
    """Each answer with its count; ``unanswered=False`` leaves out who gave none (a participant's
    view of round 1 counts only the answers kept, not who had not answered)."""
    item = q.items[stats.item_id]
    parts = []
    for count in stats.options:
        if item.type == "number":
            label = item.bands[int(count.id)].label.get(lang)
        else:
            label = item.option(count.id).label.get(lang)
        parts.append(f"{md(label)}: **{count.count}**")
    if stats.not_applicable:
        parts.append(f"{t('core.answer.not_applicable', lang)}: **{stats.not_applicable}**")
    if stats.dont_know:
        parts.append(f"{t('core.answer.dont_know', lang)}: **{stats.dont_know}**")
    if unanswered and stats.unanswered:
        parts.append(f"{t('core.answer.unanswered', lang)}: **{stats.unanswered}**")
    return parts


def chart(name: str, inputs: tuple, build: Callable[[], dict], width: str = "stretch") -> None:
    """Draw a Vega-Lite chart. Its spec, and its data converted to Arrow as Streamlit sends it,
    are made again only when ``inputs`` (what the chart shows) changed since the last refresh:
    with a thousand participants that conversion is most of a chart's cost."""
    charts = st.session_state.setdefault(CHARTS_KEY, {})
    kept = charts.get(name)
    if kept is None or kept[0] != inputs:
        spec = build()
        datasets = {k: convert_anything_to_arrow_bytes(_arrow(v)) for k, v in spec.get("datasets", {}).items()}
        kept = charts[name] = (inputs, {**spec, "datasets": datasets})
    st.vega_lite_chart(kept[1], width=width)


def _arrow(rows: list[dict]) -> pa.Table:
    """Chart rows as an Arrow table, made directly (through pandas it took most of the time)."""
    return pa.Table.from_pylist(rows) if rows else pa.table({})


def table(name: str, rows: list[dict]) -> pa.Table:
    """The rows as the Arrow table Streamlit would make of them, made again only when they changed."""
    tables = st.session_state.setdefault(CHARTS_KEY, {})
    kept = tables.get(name)
    if kept is None or kept[0] != rows:
        kept = tables[name] = (rows, pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False))
    return kept[1]
