"""Personal invitations: the facilitator makes them (:func:`invitations`) and follows who has started
(:func:`tracking`); the invited participant is told on their questions page what the facilitator
sees (:func:`invited_notice`).

What the lines mean, what is wrong with them and who counts as started come from
:mod:`ktmsc.workshop.tracking`; the store makes the invitations (:mod:`ktmsc.storage.invitations`).

Decisions:

* The links are shown once, right after they are made (a code block and a CSV file for a mail
  merge), and kept in this browser session only until the facilitator hides them: the database
  holds only their hashes, so a lost link gets a new one ("Neuen Link erzeugen"), never the old
  one again. While the links are shown, the form is not, so nobody makes a second batch by
  mistake before saving the first.
* Plain lines ("für wen; Rolle") rather than an editable table: a list pasted from a
  spreadsheet or an e-mail goes in as it is, and every line is checked before anything is made.
* The tracking names people, so it sits in a collapsed section that says it is not for the
  projector; labels and roles are shown as plain text (table cells, code blocks) or escaped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import streamlit as st

from ktmsc.export import file_slug
from ktmsc.i18n import Lang
from ktmsc.labels import counted, percent_printf
from ktmsc.model.limits import MAX_INVITATION_LABEL, MAX_INVITATIONS, MAX_ROLE
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import AssessmentNotFound, NotInSecondRound, StoredAssessment, Workshop, WorkshopClosed
from ktmsc.storage.invitations import LabelTaken
from ktmsc.texts import t
from ktmsc.ui import links, session
from ktmsc.ui.board_parts import group_of, table
from ktmsc.ui.safe import md
from ktmsc.workshop import GroupResult, Participant
from ktmsc.workshop import tracking as tr

log = logging.getLogger(__name__)

LINES_KEY = "invitations.lines"
MADE_KEY = "invitations.made"  # (workshop id, [(label, role, link)]): the links just made, until hidden
RENEW_KEY = "invitations.renew_who"
RENEWED_KEY = "invitations.renewed"  # (workshop id, label, link or None when it was gone)


def personal_link(lang: Lang, token: str) -> str:
    """An invitation's link: the participant's questions, opened with its edit token (a resume link)."""
    return links.link("questions", lang, **{links.EDIT_PARAM: token})


def invitations(workshop: Workshop, lang: Lang) -> None:
    """The section "Persönliche Einladungen": one per line, made at once, the links shown once."""
    made = _kept(MADE_KEY, workshop)
    with st.expander(t("invitations.title", lang), icon=":material/forward_to_inbox:", expanded=made is not None):
        st.markdown(t("invitations.intro", lang))
        if made is not None:
            _show_made(workshop, made[1], lang)
            return
        if not workshop.is_open:
            st.info(t("invitations.closed", lang), icon=":material/lock:")
            return
        if workshop.in_second_round:
            st.info(t("invitations.second_round", lang), icon=":material/replay:")
            return
        st.caption(md(t("invitations.suggested", lang, roles=", ".join(tr.role_names(lang)))))
        text = st.text_area(
            t("invitations.lines", lang),
            placeholder=t("invitations.lines_placeholder", lang),
            help=t("invitations.lines_help", lang, label_limit=MAX_INVITATION_LABEL),
            max_chars=MAX_INVITATIONS * (MAX_INVITATION_LABEL + MAX_ROLE + 4),
            height=160,
            key=LINES_KEY,
        )
        if st.button(t("invitations.create", lang), type="primary", icon=":material/person_add:"):
            _create(workshop, text, lang)


def _kept(key: str, workshop: Workshop) -> tuple | None:
    kept = st.session_state.get(key)
    return kept if kept is not None and kept[0] == workshop.id else None


def _create(workshop: Workshop, text: str, lang: Lang) -> None:
    entries, problems = tr.parse_lines(text)
    made = None
    if not problems:
        try:
            made = session.store().create_invitations(workshop.id, entries)
        except LabelTaken as taken:  # the lines name someone invited before: say which lines
            problems = tr.parse_lines(text, taken.labels)[1]
        except WorkshopClosed:
            st.error(t("invitations.closed", lang), icon=":material/lock:")
            return
        except NotInSecondRound:
            st.error(t("invitations.second_round", lang), icon=":material/replay:")
            return
        except Exception:
            log.exception("creating invitations failed")
            st.error(t("invitations.failed", lang))
            return
    if made is None:
        st.error("\n".join(f"- {md(tr.problem_text(p, lang))}" for p in problems))
        return
    rows = [(i.label, i.role, personal_link(lang, i.edit_token)) for i in made]
    st.session_state[MADE_KEY] = (workshop.id, rows)
    st.session_state.pop(LINES_KEY, None)
    st.rerun()


def _show_made(workshop: Workshop, rows: list[tuple[str, str | None, str]], lang: Lang) -> None:
    st.success(counted("invitations.made", len(rows), lang), icon=":material/check:")
    st.warning(t("invitations.once", lang), icon=":material/key:")
    shown = [f"{label} ({role}): {link}" if role else f"{label}: {link}" for label, role, link in rows]
    st.code("\n".join(shown), language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.download_button(
        t("invitations.download", lang),
        data=tr.links_csv(rows, lang),
        file_name=f"ktmsc-{file_slug(workshop.title, 'workshop')}-{t('invitations.file', lang)}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",  # downloading must not rerun: the links stay until hidden
    )
    if right.button(t("invitations.dismiss", lang), icon=":material/visibility_off:"):
        st.session_state.pop(MADE_KEY, None)
        st.rerun()


def tracking(
    q: Questionnaire,
    workshop: Workshop,
    stored: Sequence[StoredAssessment],
    lang: Lang,
    *,
    group: GroupResult | None = None,
) -> None:
    """The facilitator's list of invitations among ``stored`` (the workshop's participants, as the
    dashboard read them), each with its state and share answered, and a new link for a lost one.
    Progress comes from ``group`` when given (the dashboard's group result), else from the
    invitations alone (their scores are memoised: after the dashboard, nobody is scored again).
    Nothing without invitations."""
    invited = [s for s in stored if s.invited_as is not None]
    if not invited:
        return
    if group is None:
        people = [
            Participant(s.id, s.participant_name, s.participant_role, s.assessment.answers, revision=s.updated_at)
            for s in invited
        ]
        group = group_of(q, workshop, people)
    status = tr.track(invited, tr.progress_by_id(group))
    renewed = _kept(RENEWED_KEY, workshop)
    with st.expander(t("invitations.tracking.title", lang), icon=":material/checklist:", expanded=renewed is not None):
        st.caption(t("invitations.tracking.private", lang))
        st.markdown(f"**{md(tr.summary_text(status, lang))}**")
        column = t("invitations.tracking.progress", lang)
        rows = [
            {
                t("invitations.tracking.label", lang): s.label,
                t("invitations.tracking.role", lang): s.role or "–",
                t("invitations.tracking.state", lang): tr.state_text(s, lang),
                column: round(100 * s.share),
            }
            for s in status.invitations
        ]
        st.dataframe(
            table("invitations", rows),
            hide_index=True,
            width="stretch",
            height=min(36 * (len(rows) + 1) + 2, 400),
            column_config={
                column: st.column_config.ProgressColumn(column, min_value=0, max_value=100, format=percent_printf(lang))
            },
        )
        _renew(workshop, status, renewed, lang)


def _renew(workshop: Workshop, status: tr.Tracking, renewed: tuple | None, lang: Lang) -> None:
    if renewed is not None:
        _, label, link = renewed
        if link is None:
            st.warning(t("invitations.tracking.gone", lang))
        else:
            st.markdown(t("invitations.tracking.renewed", lang, label=md(label)))
            st.code(link, language=None, wrap_lines=True)
        if st.button(
            t("invitations.dismiss", lang), key="invitations.renewed_dismiss", icon=":material/visibility_off:"
        ):
            st.session_state.pop(RENEWED_KEY, None)
            st.rerun()
    people = {s.id: s.label for s in status.invitations}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    who = left.selectbox(
        t("invitations.tracking.renew_who", lang),
        list(people),
        index=None,
        format_func=people.__getitem__,
        placeholder=t("invitations.tracking.renew_choose", lang),
        key=RENEW_KEY,
    )
    if right.button(
        t("invitations.tracking.renew", lang),
        disabled=who is None,
        help=t("invitations.tracking.renew_help", lang),
        icon=":material/autorenew:",
        width="stretch",
    ):
        try:
            link = personal_link(lang, session.store().renew_invitation(workshop.id, who))
        except AssessmentNotFound:  # removed or merged meanwhile, in another tab
            link = None
        st.session_state[RENEWED_KEY] = (workshop.id, people[who], link)
        st.session_state.pop(RENEW_KEY, None)
        st.rerun()


def invited_notice(cur: session.Current, lang: Lang) -> None:
    """On an invited participant's questions page: what their facilitator sees of them (the
    label, how far they are, their answers with the role). Nothing for anyone else."""
    if cur.invited_as is None or cur.read_only:
        return
    key = "invitations.notice.with_role" if cur.participant_role else "invitations.notice.without_role"
    text = t(key, lang, label=cur.invited_as, role=cur.participant_role or "")
    st.info(md(text), icon=":material/badge:")
