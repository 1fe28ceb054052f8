"""Comparison rounds as the pages reach them: a host creates and opens a round, an invited
municipality takes up its invitation, and both read the round's scores.

Like :mod:`ktmsc.ui.workshop_session`, it uses the session's one store. The round's scores are
kept for the process and brought up to date by what changed (:func:`scored`): a round of
thousands of municipalities is not read and scored again on every rerun of every page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from ktmsc import host
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.rounds.roster import Member
from ktmsc.rounds.thresholds import InForce, fixed
from ktmsc.storage import Round, RoundCreated, RoundMember
from ktmsc.ui.session import Current, questionnaire, resume, store

SCORED_ROUNDS = 8  # rounds whose scores a process keeps at once


def create_round(
    *,
    title: str,
    domains: list[str],
    perspective: str,
    members: Sequence[Member],
    opens_on: date | None,
    closes_on: date | None,
    previous: Round | None,
    thresholds: dict[str, str] | None = None,
) -> RoundCreated:
    return store().create_round(
        title=title,
        domains=questionnaire().ordered_domains(domains),
        perspective=perspective,
        members=members,
        opens_on=opens_on,
        closes_on=closes_on,
        previous_id=previous.id if previous else None,
        thresholds=thresholds,
    )


def round_by_id(round_id: str) -> Round | None:
    return store().round(round_id)


def round_for_host(key: str) -> Round | None:
    return store().round_for_host(key)


def invitation(token: str) -> tuple[Round, RoundMember] | None:
    return store().invitation(token)


def round_of(cur: Current) -> tuple[Round, RoundMember] | None:
    """The round the current assessment was started for (None for any other or the example)."""
    if cur.example or cur.id is None:
        return None
    return store().round_of_assessment(cur.id)


def in_force(membership: tuple[Round, RoundMember] | None) -> tuple[Questionnaire, InForce | None]:
    """The questionnaire a round municipality's types are split by (:func:`round_of`), and the
    round's thresholds in force; outside a round, the installed questionnaire and None. A round
    whose thresholds are all fixed is not scored for it."""
    q = questionnaire()
    if membership is None:
        return q, None
    round_ = membership[0]
    if not (at_fixed := fixed(q, round_.thresholds)).any_median:
        return q, at_fixed
    _, scored_ = scored(round_)
    return scored_.questionnaire, scored_.thresholds


def take_up(token: str, found: tuple[Round, RoundMember]) -> Current:
    """Open the invited municipality's assessment, starting it first if the invitation is new:
    the round's domains and perspective, the municipality's profile from the host's list."""
    round_, member = found
    q = questionnaire()
    profile = AssessmentProfile(
        name=member.name,
        body_kind=member.body_kind,
        state=member.state,
        population=member.population,
        perspective=round_.perspective,
    )
    assessment = Assessment(questionnaire_version=q.version, profile=profile, domains=list(round_.domains))
    assessment_id = store().start_invitation(token, assessment)
    stored = store().load(assessment_id)
    return resume(stored, token)


def renew_invitations(round_id: str) -> dict[str, str]:
    return store().renew_invitations(round_id)


def delete_round(round_id: str) -> bool:
    return store().delete_round(round_id)


def members(round_id: str) -> list[RoundMember]:
    """The round's municipalities (without their answers)."""
    return store().round_members(round_id)


def derived(round_: Round, name: object, compute: Callable[[host.Scored], Any]) -> Any:
    """A figure of the round's current scores, computed once per state of the round (after :func:`scored`)."""
    return _state(round_.id, round_).derived(name, compute)


def scored(round_: Round) -> tuple[list[host.MemberStatus], host.Scored]:
    """The round's status per municipality and its scores, kept for the process and shared by
    the host's page and every participant's results: a light query tells which assessments
    changed (their revision), and only those are read and scored again (:class:`ktmsc.host.RoundState`)."""
    state = _state(round_.id, round_)
    return state.refresh(store().round_stamp(round_.id), lambda keys: store().round_assessments(round_.id, keys))


@st.cache_resource(show_spinner=False, max_entries=SCORED_ROUNDS)
def _state(round_id: str, _round: Round) -> host.RoundState:
    return host.RoundState(questionnaire(), _round)
