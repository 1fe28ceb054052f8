"""Widgets for one question: the answer, "don't know", a note and an evidence link.

Widgets are views of the stored assessment: before each widget is drawn, its
state is set to the stored value (so a change made in another tab or on
another device shows up), and every change is saved at once through
:mod:`ktmsc.ui.session`.

Each question is a fragment: answering it reruns only that question, not the
whole page — a page of twenty questions costs a rerun as long as a question's
share of it. When the answer makes other questions appear or disappear, the
whole page reruns.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ktmsc import wizard
from ktmsc.i18n import Lang
from ktmsc.model.assessment import Assessment
from ktmsc.model.limits import MAX_EVIDENCE, MAX_NOTE
from ktmsc.model.schema import DONT_KNOW, Item
from ktmsc.texts import t
from ktmsc.ui import session
from ktmsc.ui.safe import md


def _key(lang: Lang, item: Item, part: str = "answer") -> str:
    return f"q.{lang}.{item.id}.{part}"


def _show(key: str, value: Any) -> str:
    """Make the widget with this key show ``value`` (set before it is drawn)."""
    st.session_state[key] = value
    return key


FULL_RUN_KEY = "questions.full_run"  # the page itself is running, not a single question
FOLLOW_UPS_KEY = "questions.follow_ups"  # an answer decided about other questions: rerun the page


def begin_page() -> None:
    """A full run of the questions page redraws everything: drop the fragments' signal."""
    st.session_state.pop(FOLLOW_UPS_KEY, None)
    st.session_state[FULL_RUN_KEY] = True


def end_page() -> None:
    st.session_state[FULL_RUN_KEY] = False


def _save(item_id: str, value: Any) -> None:
    q = session.questionnaire()
    cur = session.active()
    decides = item_id in q.gate_ids and cur is not None
    before = _shown(q, cur.assessment) if decides else None
    session.save_answer(item_id, value)
    # Rerun the whole page only when a follow-up actually appears or disappears.
    if decides and _shown(q, cur.assessment) != before:
        st.session_state[FOLLOW_UPS_KEY] = True


def _shown(q, assessment) -> frozenset[str]:
    return frozenset(item_id for item_id, state in wizard.states_for(q, assessment).items() if state.visible)


@st.fragment
def question_fragment(item_id: str, number: str, lang: Lang, read_only: bool, citizen: bool, notes: bool) -> None:
    """One question as a fragment. It draws nothing outside itself: Streamlit would make
    every question draw that element again in each full run, which costs more than it saves."""
    if not st.session_state.get(FULL_RUN_KEY, False) and st.session_state.pop(FOLLOW_UPS_KEY, False):
        st.rerun(scope="app")
    cur = session.active()
    if cur is None:
        return
    item = session.questionnaire().items[item_id]
    question(item, number, cur.assessment, lang, read_only=read_only, citizen=citizen, notes=notes)


def _on_single(item_id: str, key: str) -> None:
    _save(item_id, st.session_state.get(key))


def _on_multi(item: Item, lang: Lang, changed: str) -> None:
    """Checkbox group with exclusive options: "none of these" and "don't know" stand alone."""
    choices = [o.id for o in item.options] + [DONT_KNOW]
    ticked = [c for c in choices if st.session_state.get(_key(lang, item, c))]
    exclusive = {o.id for o in item.options if o.exclusive} | {DONT_KNOW}
    if changed in ticked and changed in exclusive:
        ticked = [changed]
    elif changed in ticked:
        ticked = [c for c in ticked if c not in exclusive]
    _save(item.id, DONT_KNOW if ticked == [DONT_KNOW] else ticked or None)


def _on_number(item_id: str, key: str, dont_know_key: str) -> None:
    """Number field and its "don't know" box share one handler: the box wins."""
    if st.session_state.get(dont_know_key):
        _save(item_id, DONT_KNOW)
        return
    value = st.session_state.get(key)
    _save(item_id, None if value is None else float(value))


def _on_text(kind: str, item_id: str, key: str) -> None:
    text = st.session_state.get(key) or ""
    if kind == "note":
        session.save_note(item_id, text)
    else:
        session.save_evidence(item_id, text)


def question(
    item: Item,
    number: str,
    assessment: Assessment,
    lang: Lang,
    *,
    read_only: bool = False,
    citizen: bool = False,
    notes: bool = True,
) -> None:
    """One question with its help text and answer widgets; the note and evidence fields
    when ``notes`` is on or the question already has a note or evidence."""
    value = assessment.answers.get(item.id)
    with st.container(border=True, key=f"item-{item.id}"):
        st.markdown(f"**{number}** {md(item.text.get(lang))}")
        st.caption(md(item.help.get(lang)))
        if citizen and item.public_hint is not None:
            st.caption(f":material/search: {t('ui.questions.where_to_look', lang)}: {md(item.public_hint.get(lang))}")
        if item.type == "single":
            _single(item, value, lang, read_only)
        elif item.type == "multi":
            _multi(item, value, lang, read_only)
        else:
            _number(item, value, lang, read_only, assessment.profile.population)
        if notes or item.id in assessment.notes or item.id in assessment.evidence:
            _note_and_evidence(item, assessment, lang, read_only, citizen)


def _single(item: Item, value: Any, lang: Lang, read_only: bool) -> None:
    options = [o.id for o in item.options] + [DONT_KNOW]
    labels = {o.id: o.label.get(lang) for o in item.options} | {DONT_KNOW: t("core.answer.dont_know", lang)}
    key = _show(_key(lang, item), value if value in options else None)
    st.radio(
        item.text.get(lang),
        options,
        format_func=labels.__getitem__,
        key=key,
        on_change=_on_single,
        args=(item.id, key),
        label_visibility="collapsed",
        disabled=read_only,
    )


def _multi(item: Item, value: Any, lang: Lang, read_only: bool) -> None:
    chosen = set(value) if isinstance(value, list) else ({DONT_KNOW} if value == DONT_KNOW else set())
    st.caption(t("core.print.multi", lang))
    for option_id, label in [(o.id, o.label.get(lang)) for o in item.options] + [
        (DONT_KNOW, t("core.answer.dont_know", lang))
    ]:
        st.checkbox(
            label,
            key=_show(_key(lang, item, option_id), option_id in chosen),
            on_change=_on_multi,
            args=(item, lang, option_id),
            disabled=read_only,
        )


def _number(item: Item, value: Any, lang: Lang, read_only: bool, population: int | None) -> None:
    key, dont_know_key = _key(lang, item), _key(lang, item, "dont_know")
    unit = item.unit.get(lang) if item.unit else ""
    _show(key, float(value) if isinstance(value, (int, float)) else None)
    st.number_input(
        unit or item.text.get(lang),
        min_value=0.0,
        max_value=1_000_000.0,
        step=0.5,
        key=key,
        on_change=_on_number,
        args=(item.id, key, dont_know_key),
        disabled=read_only or value == DONT_KNOW,
        placeholder=t("ui.questions.number_placeholder", lang),
    )
    st.checkbox(
        t("core.answer.dont_know", lang),
        key=_show(dont_know_key, value == DONT_KNOW),
        on_change=_on_number,
        args=(item.id, key, dont_know_key),
        disabled=read_only,
    )
    if item.per_inhabitants and not population:
        st.caption(t("ui.questions.needs_population", lang))
    with st.expander(t("ui.questions.bands", lang)):
        for band in item.bands:
            st.caption(md(band.label.get(lang)))


def _note_and_evidence(item: Item, assessment: Assessment, lang: Lang, read_only: bool, citizen: bool) -> None:
    note = assessment.notes.get(item.id, "")
    evidence = assessment.evidence.get(item.id, "")
    label = t("ui.questions.note_and_evidence", lang) + (" ✓" if note or evidence else "")
    with st.expander(label, expanded=citizen and bool(evidence)):
        note_key, evidence_key = _key(lang, item, "note"), _key(lang, item, "evidence")
        st.text_area(
            t("ui.questions.note", lang),
            max_chars=MAX_NOTE,
            key=_show(note_key, note),
            on_change=_on_text,
            args=("note", item.id, note_key),
            disabled=read_only,
            height=80,
        )
        st.text_input(
            t("ui.questions.evidence", lang),
            max_chars=MAX_EVIDENCE,
            key=_show(evidence_key, evidence),
            on_change=_on_text,
            args=("evidence", item.id, evidence_key),
            disabled=read_only,
            placeholder="https://…",
            help=t("ui.questions.evidence_help", lang),
        )
