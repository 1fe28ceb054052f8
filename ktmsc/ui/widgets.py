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

from dataclasses import dataclass
from typing import Any

import streamlit as st

from ktmsc import quick, wizard
from ktmsc.i18n import Lang
from ktmsc.labels import answer_label
from ktmsc.model.assessment import Assessment
from ktmsc.model.journal import extra_choices
from ktmsc.model.limits import MAX_EVIDENCE, MAX_NOTE, MAX_NUMBER
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE, RESERVED_ANSWERS, Item
from ktmsc.texts import t
from ktmsc.ui import journal, quick_views, session
from ktmsc.ui.safe import md


def _key(lang: Lang, item: Item, part: str = "answer") -> str:
    return f"q.{lang}.{item.id}.{part}"


def _show(key: str, value: Any) -> str:
    """Make the widget with this key show ``value`` (set before it is drawn)."""
    st.session_state[key] = value
    return key


FULL_RUN_KEY = "questions.full_run"  # the page itself is running, not a single question
FOLLOW_UPS_KEY = "questions.follow_ups"  # an answer changed what else the page shows: rerun the page


def begin_page() -> None:
    """A full run of the questions page redraws everything: drop the fragments' signal."""
    st.session_state.pop(FOLLOW_UPS_KEY, None)
    st.session_state[FULL_RUN_KEY] = True


def end_page() -> None:
    st.session_state[FULL_RUN_KEY] = False


def _save(item_id: str, value: Any) -> None:
    _saving(item_id, lambda: session.save_answer(item_id, value), answer=True)


def _saving(item_id: str, write, answer: bool = False) -> None:
    """Write one answer (or a note); rerun the whole page when a follow-up appears or disappears,
    when a question pointed out is answered again (the notice counts it no more), when the
    write did not go through (the frame then shows the notice and what is still pending), or
    when it is the first answer (the page then offers the resume link). In the quick check (a
    few questions a page, chosen by what is still open) every change of what the page says
    about a domain reruns it too. In the full check the question's own rerun redraws the
    settled-or-open box (:func:`question_fragment`): rerunning the whole page whenever a
    domain flipped doubled the server's work per answer and made a hundred people at once
    wait (benchmarks/README.md, load). A note changes no score: it is not scored before and after."""
    q = session.questionnaire()
    cur = session.active()
    decides = item_id in q.gate_ids and cur is not None
    before = _shown(q, cur.assessment) if decides else None
    watched = answer and cur is not None and quick.is_quick(cur.assessment)
    standing = quick.standing(q, cur.assessment) if watched else None
    first = cur is not None and not cur.assessment.answers
    saved = write()
    if (
        (answer and journal.settled(item_id))  # answered again: no longer pointed out, nor in the notice
        or (first and cur.assessment.answers)  # the first answer: the page offers the resume link
        or (not saved and cur is not None and not cur.read_only)  # the frame says what is pending
        or (decides and _shown(q, cur.assessment) != before)  # a follow-up appears or disappears
        or (watched and quick.standing(q, cur.assessment) != standing)  # what the quick check says of a domain
    ):
        st.session_state[FOLLOW_UPS_KEY] = True


def _shown(q, assessment) -> frozenset[str]:
    return frozenset(item_id for item_id, state in wizard.states_for(q, assessment).items() if state.visible)


@dataclass(frozen=True)
class StandingBox:
    """The full check's settled-or-open box in the sidebar, as a question's fragment sees it:
    the page's questionnaire, the box's ``st.empty``, and – for the step's last question – what
    the page scored, which that question draws in the page's run."""

    questionnaire: Questionnaire
    slot: Any
    drawn: quick.QuickState | None = None


@st.fragment
def question_fragment(
    item_id: str,
    number: str,
    lang: Lang,
    read_only: bool,
    citizen: bool,
    notes: bool,
    box: StandingBox | None = None,
) -> None:
    """One question as a fragment. In its own rerun (an answer) it redraws the full check's
    settled-or-open ``box``, so what the answer did to a domain shows without a rerun of the
    page. Streamlit lets a fragment write outside itself only where it also wrote in the last
    full run: there the step's last question draws the box and the others an empty element
    (drawing the box from every question would send it once per question in each run)."""
    full_run = st.session_state.get(FULL_RUN_KEY, False)
    if not full_run and st.session_state.pop(FOLLOW_UPS_KEY, False):
        st.rerun(scope="app")
    cur = session.active()
    if cur is None:
        return
    item = session.questionnaire().items[item_id]
    question(item, number, cur.assessment, lang, read_only=read_only, citizen=citizen, notes=notes)
    if box is not None and full_run:
        if box.drawn is None:
            box.slot.empty()  # the place this question's reruns write to
        else:
            quick_views.standing(box.questionnaire, box.drawn, lang, slot=box.slot)
    elif box is not None:
        quick_views.standing(box.questionnaire, quick.assess(box.questionnaire, cur.assessment), lang, slot=box.slot)
    if session.pending(cur, item_id):
        st.warning(t("ui.questions.not_saved", lang), icon=":material/sync_problem:")
    check = None if read_only else journal.check_text(item_id, lang)
    if check is not None:
        _journalled(item_id, check, lang)


def _journalled(item_id: str, text: str, lang: Lang) -> None:
    """The question is pointed out: the answer last given in this browser is not the one
    stored. The person saves it or keeps the stored one; nothing is written without them."""
    with st.container(key=f"journal-check-{item_id}"):
        st.warning(text, icon=":material/fact_check:")
        apply, keep = st.columns(2)
        apply.button(
            t("ui.journal.apply", lang),
            key=f"journal.apply.{item_id}",
            on_click=_on_journalled,
            args=(item_id, True),
            type="primary",
            icon=":material/check:",
        )
        keep.button(
            t("ui.journal.keep", lang),
            key=f"journal.keep.{item_id}",
            on_click=_on_journalled,
            args=(item_id, False),
        )


def _on_journalled(item_id: str, apply: bool) -> None:
    if apply:
        journal.accept(item_id)
    else:
        journal.keep(item_id)
    st.session_state[FOLLOW_UPS_KEY] = True  # the page, the notice and the sidebar show it


def _on_single(item_id: str, key: str) -> None:
    _save(item_id, st.session_state.get(key))


def _on_multi(item: Item, lang: Lang, changed: str) -> None:
    """One box of a checkbox group: the store applies it to the stored answer (exclusive
    options, "don't know" and "not our task" stand alone: ktmsc.model.answers.toggled)."""
    ticked = bool(st.session_state.get(_key(lang, item, changed)))
    _saving(item.id, lambda: session.toggle_option(item.id, changed, ticked), answer=True)


def _on_number(item_id: str, key: str, flags: tuple[tuple[str, str], ...], changed: str | None = None) -> None:
    """Number field and its boxes ("don't know", "not our task") share one handler: a ticked
    box wins over the number, the box just ticked over the other one."""
    ticked = [answer for answer, flag_key in flags if st.session_state.get(flag_key)]
    if ticked:
        _save(item_id, changed if changed in ticked else ticked[0])
        return
    value = st.session_state.get(key)
    _save(item_id, None if value is None else float(value))


def _on_text(kind: str, item_id: str, key: str) -> None:
    text = st.session_state.get(key) or ""
    save = session.save_note if kind == "note" else session.save_evidence
    _saving(item_id, lambda: save(item_id, text))


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
        not_ours = item.offers_not_applicable(assessment.profile.body_kind)
        if item.type == "single":
            _single(item, value, lang, read_only, not_ours)
        elif item.type == "multi":
            _multi(item, value, lang, read_only, not_ours)
        else:
            _number(item, value, lang, read_only, assessment, not_ours)
        if not_ours:
            st.caption(f":material/info: {md(item.not_applicable.why.get(lang))}")
        if notes or item.id in assessment.notes or item.id in assessment.evidence:
            _note_and_evidence(item, assessment, lang, read_only, citizen)


def _extra_answers(lang: Lang, not_ours: bool) -> list[tuple[str, str]]:
    """The answers every item offers besides its options: "not our task" where it applies, "don't know"."""
    return [(answer, t(_EXTRA_LABELS[answer], lang)) for answer in extra_choices(not_ours)]


_EXTRA_LABELS = {NOT_APPLICABLE: "core.answer.not_applicable", DONT_KNOW: "core.answer.dont_know"}


def _single(item: Item, value: Any, lang: Lang, read_only: bool, not_ours: bool) -> None:
    choices = [(o.id, o.label.get(lang)) for o in item.options] + _extra_answers(lang, not_ours)
    options = [c for c, _ in choices]
    labels = dict(choices)
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


def _multi(item: Item, value: Any, lang: Lang, read_only: bool, not_ours: bool) -> None:
    chosen = set(value) if isinstance(value, list) else ({value} if value in RESERVED_ANSWERS else set())
    st.caption(t("core.print.multi", lang))
    for option_id, label in [(o.id, o.label.get(lang)) for o in item.options] + _extra_answers(lang, not_ours):
        st.checkbox(
            label,
            key=_show(_key(lang, item, option_id), option_id in chosen),
            on_change=_on_multi,
            args=(item, lang, option_id),
            disabled=read_only,
        )


def _number(item: Item, value: Any, lang: Lang, read_only: bool, assessment: Assessment, not_ours: bool) -> None:
    key = _key(lang, item)
    flags = tuple((answer, _key(lang, item, answer)) for answer, _ in _extra_answers(lang, not_ours))
    unit = item.unit.get(lang) if item.unit else ""
    _show(key, float(value) if isinstance(value, (int, float)) else None)
    st.number_input(
        unit or item.text.get(lang),
        min_value=0.0,
        max_value=float(MAX_NUMBER),
        step=0.5,
        # "1.5", not Streamlit's "1.50". The format is sprintf in the browser and knows no
        # locale: the decimal sign is the browser's own (docs/DESIGN.md, "Numbers and dates").
        format="%g",
        key=key,
        on_change=_on_number,
        args=(item.id, key, flags),
        disabled=read_only or value in RESERVED_ANSWERS,
        placeholder=t("ui.questions.number_placeholder", lang),
    )
    if isinstance(value, (int, float)):  # the field writes "1.5" in every language; the app reads it so
        st.caption(t("ui.number_read.saved", lang, answer=md(answer_label(item, value, lang))))
    for (answer, label), (_, flag_key) in zip(_extra_answers(lang, not_ours), flags, strict=True):
        st.checkbox(
            label,
            key=_show(flag_key, value == answer),
            on_change=_on_number,
            args=(item.id, key, flags, answer),
            disabled=read_only,
        )
    profile = assessment.profile
    if item.per_inhabitants and not profile.population:
        st.caption(t("ui.questions.needs_population", lang))
    size_type = session.questionnaire().size_type_for(profile.population, profile.body_kind)
    with st.expander(t("ui.questions.bands", lang)):
        for band in item.bands_for(size_type.id if size_type else None):
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
