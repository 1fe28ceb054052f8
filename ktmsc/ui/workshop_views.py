"""The facilitator's dashboard: progress, the group per domain and the discussion agenda; and
the projector view's square chart and agenda one question at a time (:func:`projector`).

Both refresh themselves while open (a fragment that reruns every few seconds) and
read the participants' answers straight from the database. The invented example's
workshop shows the same board (:func:`board`) with its made-up participants, read-only.
"""

from __future__ import annotations

import streamlit as st

from ktmsc.export import file_name
from ktmsc.i18n import Lang
from ktmsc.labels import counted, fmt_datetime, fmt_number, fmt_percent, percent_printf
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import StoredAssessment, Workshop
from ktmsc.texts import t
from ktmsc.ui import links, pacing_views, role_views, second_round_views, session, workshop_session
from ktmsc.ui.board_parts import chart, distribution_parts, distribution_text, group_of, table
from ktmsc.ui.safe import md
from ktmsc.workshop import (
    AGENDA_LENGTH,
    GroupResult,
    Participant,
    agenda_page,
    agreement_text,
    group_assessment,
    group_chart,
    group_json,
    group_overview_chart,
    impact_text,
    participant_label,
    participant_lines,
    participants_csv,
    positions_csv,
    projector_chart,
)
from ktmsc.workshop.delphi import Convergence

REFRESH_SECONDS = 5
REMOVE_KEY = "workshop.remove_who"
REMOVE_CONFIRM_KEY = "workshop.remove_confirm"
DELETE_CONFIRM_KEY = "workshop.delete_confirm"
REMOVED_KEY = "workshop.removed"
MERGE_KEEP_KEY = "workshop.merge_keep"
MERGE_OTHER_KEY = "workshop.merge_other"
MERGE_CONFIRM_KEY = "workshop.merge_confirm"
MERGED_KEY = "workshop.merged"


KNOWN_KEY = "workshop.participants"
PROJECTOR_DOMAIN_KEY = "workshop.projector.domain"
PROJECTOR_ITEM_KEY = "workshop.projector.item"  # the agenda question on the projector, by item id …
PROJECTOR_INDEX_KEY = "workshop.projector.index"  # … and its place, should it leave the agenda


def participants(workshop: Workshop) -> list[Participant]:
    """The participants as stored now; answers are read again only for those who changed
    something since this session's last refresh, and each carries its ``updated_at`` as its
    revision, so the aggregation scores only them again."""
    cached_for, known = st.session_state.get(KNOWN_KEY, (None, None))
    known = known if cached_for == workshop.id else {}
    stored = workshop_session.workshop_participants(workshop.id, {i: s for i, (s, _) in known.items()})
    current: dict[str, tuple[StoredAssessment, Participant]] = {}
    for s in stored:
        before = known.get(s.id)
        if before is not None and before[0] is s:  # unchanged: the same record as last time
            current[s.id] = before
            continue
        current[s.id] = (
            s,
            Participant(
                id=s.id,
                name=s.participant_name,
                role=s.participant_role,
                answers=s.assessment.answers,
                revision=s.updated_at,
            ),
        )
    st.session_state[KNOWN_KEY] = (workshop.id, current)
    return [p for _, p in current.values()]


def stored_participants(workshop: Workshop) -> list[StoredAssessment]:
    """The participants' stored records as the dashboard read them in this run (else read now)."""
    cached_for, known = st.session_state.get(KNOWN_KEY, (None, None))
    if cached_for != workshop.id:
        participants(workshop)
        _, known = st.session_state[KNOWN_KEY]
    return [s for s, _ in known.values()]


def _latest(workshop: Workshop) -> list[Participant]:
    """The participants the dashboard read in this run (it runs first on the page), else read now."""
    cached_for, known = st.session_state.get(KNOWN_KEY, (None, None))
    if cached_for == workshop.id:
        return [p for _, p in known.values()]
    return participants(workshop)


@st.fragment(run_every=REFRESH_SECONDS)
def dashboard(q: Questionnaire, workshop: Workshop, lang: Lang) -> None:
    workshop = workshop_session.latest(workshop)  # revealed or hidden since the page ran
    pacing_views.countdown(workshop, lang)
    board(q, workshop, participants(workshop), lang)


def board(
    q: Questionnaire, workshop: Workshop, people: list[Participant], lang: Lang, *, editable: bool = True
) -> None:
    """Progress, the group, the agenda, every item and the exports; ``editable=False`` leaves
    out what writes (opening the group result as a new assessment)."""
    group = group_of(q, workshop, people)
    _progress(group, lang)
    if not people:
        st.info(t("ui.workshop.nobody_yet", lang), icon=":material/hourglass_empty:")
        return
    if not workshop.revealed:  # hidden until revealed: progress only, nothing of the group
        st.info(_hidden_text(group, lang), icon=":material/visibility_off:")
        st.caption(t("workshop.reveal.hidden_help", lang))
        return
    _positions(q, group, lang)
    role_views.by_role(q, workshop, people, lang)
    if workshop.in_second_round:
        second_round_views.convergence_view(q, workshop, people, group, lang)
    _agenda(q, group, lang)
    _all_items(q, group, lang)
    _exports(q, workshop, people, group, lang, editable)


def _hidden_text(group: GroupResult, lang: Lang) -> str:
    return t(
        "workshop.reveal.hidden",
        lang,
        finished=fmt_number(group.finished, lang),
        joined=fmt_number(len(group.participants), lang),
    )


def reveal_controls(workshop: Workshop, lang: Lang) -> None:
    """Show the group result (on the participants' devices too, if chosen) or hide it again."""
    if workshop.revealed:
        key = "workshop.reveal.shown_participants" if workshop.shown_to_participants else "workshop.reveal.shown"
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.caption(t(key, lang, time=fmt_datetime(workshop.revealed_at, lang)))
        if button.button(t("workshop.reveal.hide", lang), icon=":material/visibility_off:", width="stretch"):
            workshop_session.set_workshop_revealed(workshop.id, False)
            st.rerun()
        return
    with st.container(border=True, key="workshop-reveal"):
        to_phones = st.checkbox(
            t("workshop.reveal.to_participants", lang),
            help=t("workshop.reveal.to_participants_help", lang),
            key="workshop.reveal_to_participants",
        )
        if st.button(t("workshop.reveal.show", lang), type="primary", icon=":material/visibility:"):
            workshop_session.set_workshop_revealed(workshop.id, True, to_participants=to_phones)
            st.rerun()


def participant_view(q: Questionnaire, workshop: Workshop, lang: Lang) -> None:
    """On a participant's results: the revealed group's point per domain, or that it is hidden."""
    if not workshop.shown_to_participants:
        st.info(t("workshop.reveal.participant_hidden", lang), icon=":material/visibility_off:")
        return
    group = group_of(q, workshop, participants(workshop))
    with st.container(border=True, key="workshop-group-for-participant"):
        st.subheader(t("workshop.reveal.participant_title", lang, title=md(workshop.title)))
        count = counted("core.counts.participants", len(group.participants), lang)
        st.caption(t("workshop.reveal.participant_intro", lang, count=count))
        st.markdown("\n".join(f"- {md(line)}" for line in participant_lines(q, group, lang)))


def _progress(group: GroupResult, lang: Lang) -> None:
    joined = len(group.participants)
    finished = group.finished
    left, right = st.columns(2)
    left.metric(t("ui.workshop.joined", lang), joined)
    right.metric(t("ui.workshop.finished", lang), finished)
    if joined:
        rows = [
            {
                t("ui.workshop.participant", lang): participant_label(s.participant.name, number, lang),
                t("ui.workshop.role", lang): s.participant.role or "–",
                t("ui.workshop.progress", lang): round(100 * s.progress.share),
            }
            for number, s in enumerate(group.participants, 1)
        ]
        st.dataframe(
            table("progress", rows),
            hide_index=True,
            width="stretch",
            height=min(36 * (len(rows) + 1) + 2, 300),
            column_config={
                t("ui.workshop.progress", lang): st.column_config.ProgressColumn(
                    t("ui.workshop.progress", lang), min_value=0, max_value=100, format=percent_printf(lang)
                )
            },
        )


def _positions(q: Questionnaire, group: GroupResult, lang: Lang) -> None:
    st.header(t("ui.workshop.group", lang))
    if len(group.by_domain) > 1:
        chart("overview", (lang, group.by_domain), lambda: group_overview_chart(q, group, lang))
    chosen = st.radio(
        t("ui.result.domain", lang),
        list(group.by_domain),
        format_func=lambda d: q.domain(d).name.get(lang),
        key="workshop.domain",
        horizontal=True,
    )
    domain_id = chosen if chosen in group.by_domain else next(iter(group.by_domain))
    domain = group.by_domain[domain_id]
    roles = tuple((s.participant.id, s.participant.role) for s in group.participants)
    chart("domain", (lang, domain_id, domain, roles), lambda: group_chart(q, group, domain_id, lang))
    if domain.type_id is not None:
        st.markdown(t("ui.workshop.group_type", lang, type=q.types[domain.type_id].name.get(lang)))
    text = agreement_text(group, domain_id, lang)
    (st.success if domain.agrees else st.warning)(text)
    if domain.without_position:
        share = fmt_percent(q.model.scoring.placed_share, lang)
        st.caption(counted("ui.workshop_placed.not_placed", len(domain.without_position), lang, share=share))


def _agenda(q: Questionnaire, group: GroupResult, lang: Lang) -> None:
    st.header(t("workshop.agenda.title", lang))
    st.caption(t("workshop.agenda.measure_explained", lang))
    st.caption(t("workshop.agenda.ranking_explained", lang))
    if not group.agenda:
        st.info(t("ui.workshop.no_agenda", lang))
        return
    for rank, entry in enumerate(group.agenda[:AGENDA_LENGTH], 1):
        stats = group.items[entry.item_id]
        item = q.items[entry.item_id]
        with st.container(border=True):
            st.markdown(
                f"**{rank}. {md(item.text.get(lang))}**  \n"
                f"{t('workshop.agenda.measure_name', lang)}: **{fmt_number(entry.disagreement, lang)}** / 100"
            )
            st.markdown(distribution_text(q, stats, lang))
            if entry.main_impact is not None:
                st.caption(impact_text(q, entry.main_impact, lang))


@st.fragment(run_every=REFRESH_SECONDS)
def projector(q: Questionnaire, workshop: Workshop, lang: Lang) -> None:
    """The projector's square chart of one domain and its agenda question, side by side."""
    workshop = workshop_session.latest(workshop)  # revealed from the facilitator's other device
    pacing_views.countdown(workshop, lang, big=True)
    people = participants(workshop)
    group = group_of(q, workshop, people)
    if not workshop.revealed:  # hidden until revealed: how many are done, nothing of the group
        st.markdown(f"## {_hidden_text(group, lang)}")
        st.markdown(t("workshop.reveal.projector_hidden", lang))
        return
    # In the second round: the group's arrow from round 1, and what changed on a question asked again.
    change = None
    if workshop.in_second_round:
        change = second_round_views.convergence_of(q, workshop, people, group, reasons=False)
    chart_column, agenda_column = st.columns([13, 9], gap="large")
    with chart_column:
        _projector_chart(q, group, lang, change)
    with agenda_column:
        _projector_agenda(q, group, lang, change)


def _projector_chart(q: Questionnaire, group: GroupResult, lang: Lang, change: Convergence | None) -> None:
    domain_ids = list(group.by_domain)
    chosen = None
    if len(domain_ids) > 1:
        chosen = st.radio(
            t("ui.result.domain", lang),
            domain_ids,
            format_func=lambda d: q.domain(d).name.get(lang),
            key=PROJECTOR_DOMAIN_KEY,
            horizontal=True,
            label_visibility="collapsed",
        )
    domain_id = chosen if chosen in group.by_domain else domain_ids[0]
    if change is not None:
        second_round_views.projector_chart(q, change, domain_id, group.agreement_share, lang)
        return
    domain = group.by_domain[domain_id]
    roles = tuple((s.participant.id, s.participant.role) for s in group.participants)
    inputs = (lang, domain_id, domain, roles)
    chart("projector", inputs, lambda: projector_chart(q, group, domain_id, lang), width="content")


def _projector_agenda(q: Questionnaire, group: GroupResult, lang: Lang, change: Convergence | None) -> None:
    st.header(t("workshop.agenda.title", lang))
    page = agenda_page(
        group.agenda, st.session_state.get(PROJECTOR_ITEM_KEY), st.session_state.get(PROJECTOR_INDEX_KEY, 0)
    )
    if page is None:
        st.info(t("ui.workshop.no_agenda" if group.participants else "ui.workshop.nobody_yet", lang))
        return
    stats = group.items[page.entry.item_id]
    st.caption(t("workshop.projector.question", lang, number=page.number, total=page.total))
    with st.container(key="projector-question"):
        st.subheader(md(q.items[page.entry.item_id].text.get(lang)), anchor=False)
    st.markdown(f"{t('workshop.agenda.measure_name', lang)}: **{fmt_number(page.entry.disagreement, lang)}** / 100")
    st.markdown("\n".join(f"- {part}" for part in distribution_parts(q, stats, lang)))
    if page.entry.main_impact is not None:
        st.caption(impact_text(q, page.entry.main_impact, lang))
    if change is not None:
        second_round_views.projector_change(change, page.entry.item_id, lang)
    back, forward = st.columns(2)
    back.button(
        t("workshop.projector.previous", lang),
        icon=":material/arrow_back:",
        disabled=page.previous is None,
        on_click=_show_question,
        args=(page.previous, page.index - 1),
        shortcut="PageUp",
        width="stretch",
    )
    forward.button(
        t("workshop.projector.next", lang),
        icon=":material/arrow_forward:",
        disabled=page.next is None,
        on_click=_show_question,
        args=(page.next, page.index + 1),
        shortcut="PageDown",
        type="primary",
        width="stretch",
    )


def _show_question(item_id: str | None, index: int) -> None:
    st.session_state[PROJECTOR_ITEM_KEY] = item_id
    st.session_state[PROJECTOR_INDEX_KEY] = index


def _all_items(q: Questionnaire, group: GroupResult, lang: Lang) -> None:
    with st.expander(t("ui.workshop.all_items", lang), icon=":material/list:"):
        st.caption(t("workshop.agenda.dont_know_explained", lang))
        # One markdown element for all items: the dashboard redraws itself every few seconds,
        # and a hundred items as separate elements would make every refresh slow.
        entries = []
        for item_id, stats in group.items.items():
            if not stats.asked:
                continue
            value = "–" if stats.disagreement is None else fmt_number(stats.disagreement, lang)
            entries.append(
                f"**{md(q.items[item_id].text.get(lang))}** ({t('workshop.agenda.measure_name', lang)} {value})  \n"
                f":small[{distribution_text(q, stats, lang)}]"
            )
        st.markdown("\n\n".join(entries))


def _exports(
    q: Questionnaire, workshop: Workshop, people: list[Participant], group: GroupResult, lang: Lang, editable: bool
) -> None:
    st.header(t("ui.workshop.export", lang))
    # Both rounds once the second is open: round 1 as kept, round 2 as the answers are now.
    first = (lambda: second_round_views.first_group(q, workshop, people)) if workshop.in_second_round else lambda: None
    columns = st.columns(3)
    columns[0].download_button(
        t("ui.workshop.answers_csv", lang),
        data=lambda: participants_csv(
            q,
            people,
            workshop.domains,
            workshop.perspective,
            lang,
            population=workshop.profile.population,
            body_kind=workshop.profile.body_kind,
            first_round=second_round_views.round_people(workshop, people, 1) if workshop.in_second_round else None,
        ),
        file_name=file_name("answers", lang, workshop.title, fallback="workshop"),
        mime="text/csv",
        icon=":material/table:",
        width="stretch",
    )
    columns[1].download_button(
        t("ui.workshop.positions_csv", lang),
        data=lambda: positions_csv(q, group, lang, first=first()),
        file_name=file_name("positions", lang, workshop.title, fallback="workshop"),
        mime="text/csv",
        icon=":material/scatter_plot:",
        width="stretch",
    )
    columns[2].download_button(
        t("ui.workshop.group_json", lang),
        data=lambda: group_json(q, group, first=first(), second_round_items=workshop.second_round_items or ()),
        file_name=file_name(None, lang, workshop.title, "json", fallback="workshop"),
        mime="application/json",
        icon=":material/download:",
        width="stretch",
    )
    if not editable:
        return
    st.caption(t("ui.workshop.as_assessment_help", lang))
    number = second_round_views.result_round(workshop, lang)
    if st.button(t("ui.workshop.as_assessment", lang), icon=":material/insights:"):
        chosen, title = people, workshop.title
        if workshop.in_second_round:
            chosen = second_round_views.round_people(workshop, people, number)
            title = t("workshop.second_round.result_title", lang, title=workshop.title, round=number)
        assessment = group_assessment(
            q, chosen, workshop.domains, workshop.perspective, workshop.profile, lang=lang, title=title
        )
        cur = session.open_new(assessment)
        st.switch_page(links.page_path("results"), query_params=links.params(lang, cur))


def merging(workshop: Workshop, lang: Lang) -> None:
    """Merge two participants (someone who joined twice): keep one, take the other's answers
    where the kept one has none, delete the other."""
    merged = st.session_state.pop(MERGED_KEY, None)
    people = {p.id: participant_label(p.name, number, lang) for number, p in enumerate(_latest(workshop), 1)}
    if len(people) < 2 and merged is None:
        return
    with st.expander(t("ui.workshop.merge", lang), icon=":material/call_merge:", expanded=merged is not None):
        st.markdown(t("ui.workshop.merge_intro", lang))
        if merged is not None:
            kept, other, count = merged
            st.success(
                counted("ui.workshop.merged", count, lang, kept=md(kept), other=md(other)), icon=":material/check:"
            )
        if len(people) < 2:
            return
        left, right = st.columns(2)
        choose = {"options": list(people), "index": None, "format_func": people.__getitem__}
        placeholder = t("ui.workshop.remove_choose", lang)
        keep = left.selectbox(t("ui.workshop.merge_keep", lang), **choose, placeholder=placeholder, key=MERGE_KEEP_KEY)
        other = right.selectbox(
            t("ui.workshop.merge_other", lang), **choose, placeholder=placeholder, key=MERGE_OTHER_KEY
        )
        if keep is not None and keep == other:
            st.warning(t("ui.workshop.merge_same", lang))
        confirmed = st.checkbox(t("ui.workshop.merge_confirm", lang), key=MERGE_CONFIRM_KEY)
        ready = keep is not None and other is not None and keep != other and confirmed
        if st.button(t("ui.workshop.merge_button", lang), disabled=not ready, icon=":material/call_merge:"):
            count = workshop_session.merge_participants(workshop.id, keep, other)
            if count is not None:
                st.session_state[MERGED_KEY] = (people[keep], people[other], count)
            for key in (MERGE_KEEP_KEY, MERGE_OTHER_KEY, MERGE_CONFIRM_KEY):
                st.session_state.pop(key, None)
            st.rerun()


def deletion(workshop: Workshop, lang: Lang) -> bool:
    """Remove one participant, or delete the whole workshop; True once the workshop is gone."""
    removed = st.session_state.pop(REMOVED_KEY, None)
    with st.expander(t("ui.workshop.delete", lang), icon=":material/delete:", expanded=removed is not None):
        st.markdown(t("ui.workshop.delete_intro", lang))
        if removed is not None:
            st.success(t("ui.workshop.removed", lang, name=md(removed)), icon=":material/check:")
        people = {p.id: participant_label(p.name, number, lang) for number, p in enumerate(_latest(workshop), 1)}
        if people:
            _remove_participant(workshop, people, lang)
            st.divider()
        confirmed = st.checkbox(t("ui.workshop.delete_confirm", lang), key=DELETE_CONFIRM_KEY)
        if st.button(
            t("ui.workshop.delete_button", lang),
            disabled=not confirmed,
            type="primary",
            icon=":material/delete_forever:",
        ):
            workshop_session.delete_workshop(workshop.id)
            st.session_state.pop(KNOWN_KEY, None)
            return True
    return False


def _remove_participant(workshop: Workshop, people: dict[str, str], lang: Lang) -> None:
    who = st.selectbox(
        t("ui.workshop.remove_who", lang),
        list(people),
        index=None,
        format_func=people.__getitem__,
        placeholder=t("ui.workshop.remove_choose", lang),
        key=REMOVE_KEY,
    )
    confirmed = st.checkbox(t("ui.workshop.remove_confirm", lang), key=REMOVE_CONFIRM_KEY)
    if st.button(
        t("ui.workshop.remove_button", lang), disabled=who is None or not confirmed, icon=":material/person_remove:"
    ):
        if workshop_session.delete_participant(workshop.id, who):
            st.session_state[REMOVED_KEY] = people[who]
        for key in (REMOVE_KEY, REMOVE_CONFIRM_KEY):
            st.session_state.pop(key, None)
        st.rerun()
