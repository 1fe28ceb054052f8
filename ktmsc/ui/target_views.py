"""A domain's two-year target on the results: choose it, see the way there, try "what if".

The target is saved at once like an answer (:func:`ktmsc.ui.session.save_target`). The
proposal is :func:`ktmsc.targets.target_readout` laid out: its sentences, a table of its
measures and the dashed arrow in the domain's quadrant. "What if" is a fragment: changing a
hypothetical answer reruns only it, and its answers live in its widgets alone – it scores a
copy (:func:`ktmsc.targets.what_if`) and never calls the session's writes.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ktmsc.action_plan import improvements
from ktmsc.charts import quadrant_spec
from ktmsc.i18n import Lang
from ktmsc.labels import answer_label, counted
from ktmsc.model.limits import MAX_NUMBER
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, Item
from ktmsc.readout import Readout
from ktmsc.targets import TargetReadout, place_text, target_readout, what_if, what_if_items
from ktmsc.texts import t
from ktmsc.ui import plan_views, session
from ktmsc.ui.safe import md

NO_TARGET = ""  # the selectbox's "no target" entry
NO_ANSWER = "__none__"  # what if: the question without an answer


def target_key(lang: Lang, domain_id: str) -> str:
    return f"target.{lang}.{domain_id}"


def what_if_key(lang: Lang, domain_id: str, item_id: str) -> str:
    return f"whatif.{lang}.{domain_id}.{item_id}"


def _on_target(domain_id: str, key: str) -> None:
    session.save_target(domain_id, st.session_state.get(key) or None)


def target_section(readout: Readout, domain_id: str, lang: Lang, read_only: bool) -> None:
    """The target's choice, the proposal with its chart, and "what if"."""
    q, assessment = readout.questionnaire, readout.assessment
    st.subheader(t("plan.ui.title", lang))
    chosen = assessment.targets.get(domain_id)
    if read_only:
        if chosen in q.types:
            st.caption(t("plan.ui.read_only", lang, target=q.types[chosen].name.get(lang)))
    else:
        key = target_key(lang, domain_id)
        st.session_state[key] = chosen if chosen in q.types else NO_TARGET  # the stored target, also from another tab
        st.selectbox(
            t("plan.ui.target", lang),
            [NO_TARGET, *q.types],
            format_func=lambda type_id: q.types[type_id].name.get(lang) if type_id else t("plan.ui.no_target", lang),
            key=key,
            on_change=_on_target,
            args=(domain_id, key),
            help=t("plan.ui.target_help", lang),
        )
    if chosen in q.types:
        with st.spinner(t("plan.ui.computing", lang)):
            shown = target_readout(q, assessment, domain_id, lang, readout.numbers)
        if shown is not None:
            proposal_block(readout, shown, lang)
            if shown.measures and not read_only:
                st.button(
                    t("plan.action.accept", lang),
                    key=f"plan.{lang}.{domain_id}.accept",
                    icon=":material/playlist_add_check:",
                    help=t("plan.action.accept_help", lang),
                    on_click=plan_views.accept,
                    args=(domain_id, [(m.item_id, m.to_value) for m in shown.proposal.measures], lang),
                )
    # "What if" is drawn only when asked for: its questions would cost every results rerun.
    if st.toggle(t("plan.what_if.title", lang), key=f"whatif.{lang}.{domain_id}.open"):
        what_if_fragment(domain_id, lang, read_only, q)
    plan_views.plan_section(q, assessment, domain_id, lang, read_only)


def proposal_block(readout: Readout, shown: TargetReadout, lang: Lang) -> None:
    st.markdown(md(shown.verdict))
    if shown.measures:
        st.table(measure_table(shown, lang))
        st.markdown(
            f"**{t('plan.ui.today', lang)}:** {md(shown.today)}  \n"
            f"**{t('plan.ui.projected', lang)}:** {md(shown.projected)}  \n"
            f"{md(shown.effort)}"
        )
        found = shown.proposal
        st.vega_lite_chart(
            quadrant_spec(readout.questionnaire, [found.before], lang, projected=[found.after]), width="stretch"
        )
        st.caption(t("plan.ui.chart_help", lang))


def measure_table(shown: TargetReadout, lang: Lang):
    import pandas as pd

    rows = [
        {
            t("plan.ui.measure", lang): md(m.question),
            t("plan.ui.change", lang): md(m.change),
            t("plan.ui.effort", lang): md(m.effort),
            t("plan.ui.points", lang): md(m.points),
        }
        for m in shown.measures
    ]
    return pd.DataFrame(rows).set_index(t("plan.ui.measure", lang))


# --- what if ------------------------------------------------------------------------------------


def _choices(item: Item, stored: Any) -> list[Any]:
    """What the hypothetical answer of a single-choice item can be: no answer, the stored
    reserved answer if any, every option."""
    extra = [stored] if stored in (DONT_KNOW, NOT_APPLICABLE) else []
    return [NO_ANSWER, *extra, *(o.id for o in item.options)]


def _hypothetical(item: Item, key: str, stored: Any) -> tuple[bool, Any]:
    """(changed, value) of one what-if widget against the stored answer."""
    value = st.session_state.get(key)
    if item.type == "single":
        value = None if value in (None, NO_ANSWER) else value
    elif item.type == "multi":
        now = _ticked(item, stored)
        if sorted(value or []) == sorted(now):
            return False, stored
        exclusive = [o.id for o in item.options if o.exclusive]
        value = list(value) if value else (exclusive[:1] or None)
    elif value is None and not isinstance(stored, (int, float)):
        return False, stored
    return value != stored, value


def _changes(items, keys: dict[str, str], answers, *, only_drawn: bool) -> dict[str, Any]:
    """The hypothetical answers the widgets hold now (before they are drawn again)."""
    out = {}
    for item in items:
        if only_drawn and keys[item.id] not in st.session_state:
            continue
        changed, value = _hypothetical(item, keys[item.id], answers.get(item.id))
        if changed:
            out[item.id] = value
    return out


def _ticked(item: Item, stored: Any) -> list[str]:
    return [v for v in stored if item.option(v) and not item.option(v).exclusive] if isinstance(stored, list) else []


def _widget(item: Item, key: str, stored: Any, question: str, lang: Lang) -> None:
    if key not in st.session_state:  # a hypothetical answer starts as the real one
        if item.type == "single":
            st.session_state[key] = stored if stored is not None else NO_ANSWER
        elif item.type == "multi":
            st.session_state[key] = _ticked(item, stored)
        else:
            st.session_state[key] = float(stored) if isinstance(stored, (int, float)) else None
    if item.type == "single":
        st.selectbox(
            question,
            _choices(item, stored),
            key=key,
            format_func=lambda v: t("plan.what_if.unanswered", lang) if v == NO_ANSWER else answer_label(item, v, lang),
        )
    elif item.type == "multi":
        options = [o.id for o in item.options if not o.exclusive]
        st.multiselect(question, options, key=key, format_func=lambda v: item.option(v).label.get(lang))
    else:
        st.number_input(question, min_value=0.0, max_value=float(MAX_NUMBER), key=key)


@st.fragment
def what_if_fragment(domain_id: str, lang: Lang, read_only: bool, q: Questionnaire) -> None:
    """Hypothetical answers to the domain's questions and where they would put it, at once
    (split by ``q``, the results' questionnaire: a comparison round's thresholds, if any)."""
    cur = session.active()
    if cur is None:
        return
    assessment = cur.assessment
    st.caption(t("plan.what_if.help", lang))
    every = q.items_for(domain_id, assessment.perspective)
    keys = {item.id: what_if_key(lang, domain_id, item.id) for item in every}
    if st.button(t("plan.what_if.reset", lang), key=f"whatif.{lang}.{domain_id}.reset", icon=":material/undo:"):
        for key in keys.values():
            st.session_state.pop(key, None)
    # Which questions are asked follows the hypothetical answers (a gate opens its follow-ups).
    before = _changes(every, keys, assessment.answers, only_drawn=True)
    changes: dict[str, Any] = {}
    for item in what_if_items(q, assessment, domain_id, before):
        stored = assessment.answers.get(item.id)
        _widget(item, keys[item.id], stored, item.text.get(lang), lang)
        changed, value = _hypothetical(item, keys[item.id], stored)
        if changed:
            changes[item.id] = value
    today = what_if(q, assessment, domain_id, {})
    moved = what_if(q, assessment, domain_id, changes)
    st.markdown(
        t(
            "plan.what_if.result",
            lang,
            today=md(place_text(q, today, lang)),
            projected=md(place_text(q, moved, lang)),
        )
        + f"  \n{counted('plan.what_if.changed', len(changes), lang)}"
    )
    if changes:  # the arrow from today's point to the hypothetical one
        st.vega_lite_chart(quadrant_spec(q, [today], lang, projected=[moved]), width="stretch")
    measures = improvements(q, assessment, changes)
    if (
        measures
        and not read_only
        and st.button(
            t("plan.action.accept_what_if", lang),
            key=f"whatif.{lang}.{domain_id}.accept",
            icon=":material/playlist_add:",
            help=t("plan.action.accept_what_if_help", lang),
            on_click=plan_views.accept,
            args=(domain_id, measures, lang),
        )
    ):
        st.rerun(scope="app")  # the plan below the fragment shows the new entries
