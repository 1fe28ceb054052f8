"""Rows → records: the app's Assessment and Workshop rebuilt from what the tables hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row

from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.storage.records import StoredAssessment, Workshop
from ktmsc.storage.target_rows import entries_of


def stored_assessment(
    row: Row[Any],
    answer_rows: Sequence[Sequence[Any]],
    targets: dict[str, str] | None = None,
    plan: Sequence[Mapping[str, Any]] = (),
) -> StoredAssessment:
    """Rebuild the app's Assessment from its row, its (item_id, value, note, evidence) rows,
    its targets (domain → type id) and its plan entries (a workshop's dashboard reads neither)."""
    answers_: dict[str, Any] = {}
    notes: dict[str, str] = {}
    evidence: dict[str, str] = {}
    for item_id, value, note, evidence_text in answer_rows:
        if value is not None:
            answers_[item_id] = value
        if note is not None:
            notes[item_id] = note
        if evidence_text is not None:
            evidence[item_id] = evidence_text
    return assessment_record(row, answers_, notes, evidence, targets, plan)


def assessment_record(
    row: Row[Any],
    answers_: dict[str, Any],
    notes: dict[str, str],
    evidence: dict[str, str],
    targets: dict[str, str] | None = None,
    plan: Sequence[Mapping[str, Any]] = (),
) -> StoredAssessment:
    """Rebuild the app's Assessment from its row and its answers, notes and evidence by item id."""
    assessment = Assessment.model_validate(
        {
            "questionnaire_version": row.questionnaire_version,
            "profile": row.profile,
            "domains": row.domains,
            "answers": answers_,
            "notes": notes,
            "evidence": evidence,
            "targets": targets or {},
            "plan": [entry.model_dump() for entry in entries_of(plan)],
            "group": row.group_origin,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )
    return StoredAssessment(
        id=row.id,
        assessment=assessment,
        share_token=row.share_token,
        kind=row.kind,
        workshop_id=row.workshop_id,
        participant_name=row.participant_name,
        participant_role=row.participant_role,
        previous_id=row.previous_id,
        step=row.step,
        updated_at=row.updated_at,
        revision=row.revision,
        invited_as=row.invited_as,
    )


def known_rows(stored: StoredAssessment) -> dict[str, list[Any]]:
    """An assessment's answer rows as they were read (item id → value, note, evidence)."""
    rows: dict[str, list[Any]] = {}
    a = stored.assessment
    for source, index in ((a.answers, 0), (a.notes, 1), (a.evidence, 2)):
        for item_id, value in source.items():
            rows.setdefault(item_id, [None, None, None])[index] = value
    return rows


def workshop_record(row: Row[Any]) -> Workshop:
    return Workshop(
        id=row.id,
        title=row.title,
        join_code=row.join_code,
        join_token=row.join_token,
        profile=AssessmentProfile.model_validate(row.profile),
        domains=list(row.domains),
        perspective=row.perspective,
        closes_at=row.closes_at,
        closed=bool(row.closed),
        created_at=row.created_at,
        updated_at=row.updated_at,
        revealed_at=row.revealed_at,
        reveal_to_participants=bool(row.reveal_to_participants),
        second_round_items=None if row.second_round_items is None else tuple(row.second_round_items),
        second_round_at=row.second_round_at,
        countdown_ends_at=row.countdown_ends_at,
    )
