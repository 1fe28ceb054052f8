"""The second round's screens (:mod:`ktmsc.workshop.delphi`): the facilitator opens it for the
agenda's questions (:func:`controls`) and sees whether the group converged (:func:`convergence_view`,
inside the self-refreshing dashboard); a participant answers its questions again beside their
own first answer and the group's round-1 distribution (:func:`participant_step`).

Round 1 never changes once the second round is open, so its group is scored once: the
dashboard's from the participants it shows (the same people, in the same order, as round 2),
a participant's from the kept answers alone, once per server process.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ktmsc import wizard
from ktmsc.i18n import Lang
from ktmsc.labels import counted, fmt_datetime, fmt_number
from ktmsc.model.limits import MAX_REASON, MAX_SECOND_ROUND_ITEMS
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import Workshop
from ktmsc.texts import t
from ktmsc.ui import links, session, widgets, workshop_session
from ktmsc.ui.board_parts import chart, distribution_parts, distribution_text, group_of
from ktmsc.ui.safe import md
from ktmsc.workshop import AGENDA_LENGTH, GroupResult, Participant
from ktmsc.workshop.charts import PROJECTOR_SIZE, convergence_chart
from ktmsc.workshop.delphi import (
    Convergence,
    convergence,
    domain_line,
    first_round,
    item_line,
    matrix_rows,
    own_answer_text,
)

ITEMS_KEY = "workshop.second_round.items"
FIRST_KEY = "workshop.second_round.first"  # round 1 of the dashboard's participants, with what it was made of
REASON_KEY = "second_round.reason"  # + item id: a participant's reason field


# --- the facilitator ----------------------------------------------------------------------------


def controls(q: Questionnaire, workshop: Workshop, people: list[Participant], lang: Lang) -> None:
    """While the group is revealed and the workshop open: choose the questions (the agenda's
    preselected) and open the second round; once it runs, since when and with how many."""
    if workshop.in_second_round:
        st.info(
            counted(
                "workshop.second_round.running",
                len(workshop.second_round_items or ()),
                lang,
                time=fmt_datetime(workshop.second_round_at, lang),
            ),
            icon=":material/replay:",
        )
        return
    if not workshop.revealed or not workshop.is_open or not people:
        return
    group = group_of(q, workshop, people)
    ranked = [entry.item_id for entry in group.agenda]
    others = [item_id for item_id, stats in group.items.items() if stats.asked and item_id not in ranked]
    key, options = items_key(workshop), ranked + others
    if key not in st.session_state:  # preselected once; the facilitator's choice stays
        st.session_state[key] = ranked[: min(AGENDA_LENGTH, MAX_SECOND_ROUND_ITEMS)]
    else:  # a question nobody is asked any more leaves the choice
        st.session_state[key] = [item_id for item_id in st.session_state[key] if item_id in options]
    with st.expander(t("workshop.second_round.title", lang), icon=":material/replay:"):
        st.markdown(t("workshop.second_round.offer", lang))
        chosen = st.multiselect(
            t("workshop.second_round.choose", lang),
            options,
            format_func=lambda item_id: q.items[item_id].text.get(lang),
            max_selections=MAX_SECOND_ROUND_ITEMS,
            help=t("workshop.second_round.choose_help", lang, max=MAX_SECOND_ROUND_ITEMS),
            key=key,
        )
        if st.button(t("workshop.second_round.open", lang), type="primary", icon=":material/replay:"):
            if not chosen:
                st.error(t("workshop.second_round.need_items", lang))
                return
            workshop_session.open_second_round(workshop.id, chosen)
            st.rerun()


def items_key(workshop: Workshop) -> str:
    """The key of the question choice: one per workshop, should the session switch workshops."""
    return f"{ITEMS_KEY}.{workshop.id}"


def round_people(workshop: Workshop, people: list[Participant], number: int) -> list[Participant]:
    """``people`` with their answers of round ``number`` (1: as kept when round 2 opened)."""
    if number == 2 or not workshop.in_second_round:
        return people
    return first_round(people, workshop_session.first_round_answers(workshop), workshop.second_round_at)


def first_group(q: Questionnaire, workshop: Workshop, people: list[Participant]) -> GroupResult:
    """Round 1 of ``people`` (their kept answers). It never changes while the same people take
    part, so this session keeps it (and its matrix rows) between refreshes."""
    return _first(q, workshop, people)[0]


def _first(q: Questionnaire, workshop: Workshop, people: list[Participant]) -> tuple[GroupResult, list]:
    inputs = (workshop.id, workshop.second_round_at, q.version, tuple(p.id for p in people))
    kept = st.session_state.get(FIRST_KEY)
    if kept is None or kept[0] != inputs:
        first = round_people(workshop, people, 1)
        kept = (inputs, group_of(q, workshop, first), _rows(q, workshop, first))
        st.session_state[FIRST_KEY] = kept
    return kept[1], kept[2]


def _rows(q: Questionnaire, workshop: Workshop, people: list[Participant]) -> list:
    """The matrix rows of ``people`` in the workshop's setting (for the direction of each move)."""
    profile = workshop.profile
    return matrix_rows(q, people, workshop.domains, workshop.perspective, profile.population, profile.body_kind)


def convergence_of(
    q: Questionnaire, workshop: Workshop, people: list[Participant], second: GroupResult, *, reasons: bool = True
) -> Convergence:
    """What changed from round 1 to round 2 (``second``, the group of ``people`` now); the
    reasons are read only for a view that shows them (``reasons``)."""
    first, first_rows = _first(q, workshop, people)
    return convergence(
        first,
        second,
        workshop.second_round_items or (),
        workshop_session.second_round_reasons(workshop.id) if reasons else None,
        first_rows=first_rows,
        second_rows=_rows(q, workshop, people),
    )


def convergence_view(
    q: Questionnaire, workshop: Workshop, people: list[Participant], second: GroupResult, lang: Lang
) -> None:
    """Per domain the group point's arrow from round 1 to 2 and what it means; per question the
    disagreement before and after, who moved (counts) and the reasons, sorted by their text."""
    change = convergence_of(q, workshop, people, second)
    st.header(t("workshop.second_round.convergence", lang))
    st.markdown(
        t(
            "workshop.second_round.movers",
            lang,
            moved=fmt_number(change.moved_any, lang),
            total=fmt_number(change.participants, lang),
        )
    )
    st.caption(t("workshop.second_round.convergence_help", lang))
    columns = st.columns(min(len(change.domains), 3) or 1)
    for number, (domain_id, domain) in enumerate(change.domains.items()):
        with columns[number % len(columns)]:
            chart(
                f"convergence.{domain_id}",
                (lang, domain.first, domain.second),
                lambda d=domain: convergence_chart(q, d.first, d.second, lang, size=360),
                width="content",
            )
            st.markdown(md(domain_line(q, domain, second.agreement_share, lang)))
    st.subheader(t("workshop.second_round.per_question", lang))
    # One markdown element per question: the dashboard redraws itself every few seconds.
    for item in change.items:
        lines = [
            f"**{md(q.items[item.item_id].text.get(lang))}**",
            md(item_line(item, lang)),
            f"{t('workshop.second_round.round_1', lang)}: {distribution_text(q, item.first, lang)}",
            f"{t('workshop.second_round.round_2', lang)}: {distribution_text(q, item.second, lang)}",
        ]
        if item.reasons:
            lines.append(f"*{counted('workshop.second_round.reasons', len(item.reasons), lang)}:*")
        with st.container(border=True):
            st.markdown("  \n".join(lines) + "".join(f"\n- {md(reason)}" for reason in item.reasons))


def projector_chart(q: Questionnaire, change: Convergence, domain_id: str, share: float, lang: Lang) -> None:
    """The projector's square in round 2: the domain's arrow from round 1 to round 2, and its line."""
    domain = change.domains[domain_id]
    chart(
        "projector.convergence",
        (lang, domain_id, domain.first, domain.second),
        lambda: convergence_chart(q, domain.first, domain.second, lang, size=PROJECTOR_SIZE),
        width="content",
    )
    st.markdown(f"**{md(domain_line(q, domain, share, lang))}**")  # below the square, within the screen


def projector_change(change: Convergence, item_id: str, lang: Lang) -> None:
    """On the projector's agenda question, if the second round asked it: what changed."""
    for item in change.items:
        if item.item_id == item_id:
            st.markdown(f"**{t('workshop.second_round.title', lang)}:** {md(item_line(item, lang))}")


def result_round(workshop: Workshop, lang: Lang) -> int:
    """Which round becomes the group result (a choice only once the second round is open)."""
    if not workshop.in_second_round:
        return 1
    return st.radio(
        t("workshop.second_round.from_round", lang),
        (2, 1),
        format_func=lambda number: t("workshop.second_round.round_label", lang, round=number),
        horizontal=True,
        key="workshop.second_round.result_round",
    )


# --- a participant ------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=32)
def _kept_group(
    workshop_id: str, opened: datetime, version: str, _q: Questionnaire, _workshop: Workshop
) -> GroupResult:
    answers = workshop_session.first_round_answers(_workshop)
    people = [Participant(id=aid, answers=values) for aid, values in sorted(answers.items())]
    return group_of(_q, _workshop, first_round(people, answers, opened))


def participant_step(q: Questionnaire, workshop: Workshop, lang: Lang, *, read_only: bool, citizen: bool) -> None:
    """The second round on a participant's device: each of its questions that applies to them,
    their own first answer, the group's round-1 distribution (from ``group_min_shown`` answers
    on) and a one-line reason; then the way to their results."""
    cur = session.active()
    if cur is None:
        return
    st.header(t("workshop.second_round.title", lang))
    st.markdown(t("workshop.second_round.participant_intro", lang))
    states = wizard.states_for(q, cur.assessment)
    numbers = wizard.question_numbers(q, cur.assessment, states)
    items = [i for i in workshop.second_round_items or () if i in states and states[i].visible and i in numbers]
    if not items:
        st.success(t("workshop.second_round.not_shown", lang), icon=":material/task_alt:")
    kept = workshop_session.first_round_answers(workshop).get(cur.id, {})
    group = _kept_group(workshop.id, workshop.second_round_at, q.version, q, workshop)
    reasons = workshop_session.second_round_reasons(workshop.id)
    minimum = q.model.scoring.group_min_shown
    for item_id in items:
        with st.container(border=True, key=f"second-round-{item_id}"):
            widgets.question_fragment(item_id, numbers[item_id], lang, read_only, citizen, False)
            lines = [
                t(
                    "workshop.second_round.your_first",
                    lang,
                    answer=md(own_answer_text(q, item_id, kept.get(item_id), lang)),
                )
            ]
            stats = group.items.get(item_id)
            if stats is not None and stats.answered >= minimum:
                shown = " · ".join(distribution_parts(q, stats, lang, unanswered=False))
                lines.append(t("workshop.second_round.group_first", lang, distribution=shown))
            else:
                lines.append(t("workshop.second_round.group_too_few", lang, minimum=fmt_number(minimum, lang)))
            st.markdown("  \n".join(lines))
            key = f"{REASON_KEY}.{item_id}"
            st.text_input(
                t("workshop.second_round.reason", lang),
                value=reasons.get((cur.id, item_id), ""),
                max_chars=MAX_REASON,
                help=t("workshop.second_round.reason_help", lang),
                key=key,
                disabled=read_only,
                on_change=lambda item=item_id, field=key: workshop_session.save_reason(
                    cur, item, st.session_state[field]
                ),
            )
    if st.button(t("workshop.second_round.to_results", lang), type="primary", icon=":material/insights:"):
        st.switch_page(links.page_path("results"), query_params=links.params(lang, cur))
