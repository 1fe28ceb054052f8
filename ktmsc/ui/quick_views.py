"""The quick check on screen: where each domain stands, the questions of the current step, and
what a finished quick check left out (:mod:`ktmsc.quick` decides all of it)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ktmsc import quick, wizard
from ktmsc.i18n import Lang
from ktmsc.labels import counted
from ktmsc.model.assessment import MODE_FULL
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.readout import Readout, quick_note
from ktmsc.texts import t
from ktmsc.ui import session, views
from ktmsc.ui.safe import md

# The questions of the step on screen: held while the person answers them, so they do not
# reorder under the cursor; "Next questions" lets the quick check choose again.
_STEP_KEY = "questions.quick.step"


def standing_lines(q: Questionnaire, state: quick.QuickState, lang: Lang) -> list[str]:
    lines = []
    for s in state.settlements.values():
        name = md(q.domain(s.domain).name.get(lang))
        if s.settled:
            lines.append(t("ui.quick.settled", lang, domain=name, type=md(q.types[s.type_id].name.get(lang))))
        elif s.deciding:
            lines.append(counted("ui.quick.open", len(s.deciding), lang, domain=name))
        else:
            lines.append(t("ui.quick.stuck", lang, domain=name))
    return lines


def standing(q: Questionnaire, state: quick.QuickState, lang: Lang, slot: Any = None) -> None:
    """Settled or open, per chosen domain; into ``slot`` (an ``st.empty``) when given."""
    with (slot or st).container(border=True, key="questions.standing"):
        st.markdown(f"**{t('ui.quick.status', lang)}**", help=t("ui.quick.status_help", lang))
        st.markdown(views.bullets(standing_lines(q, state, lang)))


def step_questions(cur: session.Current, state: quick.QuickState, visible: set[str]) -> tuple[str, ...]:
    """The questions this step shows: those chosen when it began, as long as they are shown."""
    held = st.session_state.get(_STEP_KEY)
    if held is None or held[0] != cur.id:
        held = (cur.id, state.next_questions())
        st.session_state[_STEP_KEY] = held
    return tuple(item_id for item_id in held[1] if item_id in visible)


def next_step() -> None:
    st.session_state.pop(_STEP_KEY, None)


def to_full(cur: session.Current) -> None:
    """Continue in full: every answer stays; the first step with open questions comes first."""
    next_step()
    session.save_mode(MODE_FULL)
    q = session.questionnaire()
    missing = wizard.unanswered(q, cur.assessment)
    session.save_step(next(iter(missing), wizard.steps(q, cur.assessment)[0]))


def result_note(readout: Readout, lang: Lang) -> None:
    """On the results of a quick check: settled or not, and the questions it did not ask."""
    note = f"**{t('core.quick.label', lang)}:** {md(quick_note(readout, lang))}"
    if readout.quick.all_settled:
        st.success(note, icon=":material/task_alt:")
    else:
        st.warning(note, icon=":material/pending:")
    if readout.skipped:
        with st.expander(t("ui.quick.skipped", lang), icon=":material/fast_forward:"):
            st.markdown(views.bullets([md(views.question_text(readout, item_id, lang)) for item_id in readout.skipped]))
