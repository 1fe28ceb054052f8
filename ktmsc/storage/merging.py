"""Merging two participants of a workshop into one: what the facilitator does when one person
joined twice (a lost tab on another device, a second browser).

The kept participant keeps everything it has. Of the other one it takes, per question, the
answer, the note and the evidence it has none of itself, and the name and role when it has
none; then the other participant is deleted with everything else it held (targets, plan
entries), as a removal deletes it (:mod:`ktmsc.storage.deletion`, docs/DATA.md).

One transaction: both assessment rows are locked first, in the order of their ids (every
other write locks one assessment row before anything else, so this cannot deadlock with a
save), the kept one's revision is raised and the taken fields carry it, so the facilitator's
dashboard reads them on its next refresh (:mod:`ktmsc.storage.participants`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from ktmsc.storage import statements as sql
from ktmsc.storage import tokens
from ktmsc.storage.deletion import _delete_assessments
from ktmsc.storage.tables import answers, assessments

Fields = Mapping[str, Mapping[str, Any]]  # item id → {"value" | "note" | "evidence": stored value}


def taken_fields(kept: Fields, other: Fields) -> dict[str, dict[str, Any]]:
    """Per question, the fields of the other participant's answer that the kept one has none of."""
    taken: dict[str, dict[str, Any]] = {}
    for item_id, fields in other.items():
        have = kept.get(item_id, {})
        take = {f: v for f, v in fields.items() if v is not None and have.get(f) is None}
        if take:
            taken[item_id] = take
    return taken


class Merging:
    """The merging part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    _upsert: Mapping[str, Any]
    _leave_no_trace: Callable[[], None]  # of Deletion

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def merge_participants(self, workshop_id: str, keep_id: str, other_id: str) -> int | None:
        """Merge ``other_id`` into ``keep_id`` (both participants of this workshop, also when it is
        closed) and delete ``other_id``; returns how many answers were taken over.

        None, and nothing changes, when either is not a participant of this workshop (another
        workshop's, a self-assessment, already gone) or both are the same.
        """
        ids = (workshop_id, keep_id, other_id)
        if not all(tokens.is_id(i) for i in ids) or keep_id == other_id:
            return None
        with self._write() as conn:
            locked = conn.execute(
                select(assessments.c.id, assessments.c.participant_name, assessments.c.participant_role)
                .where(
                    assessments.c.id.in_([keep_id, other_id]),
                    assessments.c.workshop_id == workshop_id,
                    assessments.c.kind == "participant",
                )
                .order_by(assessments.c.id)
                .with_for_update()
            ).all()
            if len(locked) != 2:
                return None
            kept, other = sorted(locked, key=lambda row: row.id != keep_id)
            stored = _answer_fields(conn, [keep_id, other_id])
            taken = taken_fields(stored.get(keep_id, {}), stored.get(other_id, {}))
            now = datetime.now(UTC)
            who = {
                column: getattr(other, column)
                for column in ("participant_name", "participant_role")
                if getattr(kept, column) is None and getattr(other, column) is not None
            }
            revision = conn.execute(sql.TOUCH, {"touch_id": keep_id, "updated_at": now, **who}).one().revision
            for item_id, fields in taken.items():
                for column, value in fields.items():
                    params = {"assessment_id": keep_id, "item_id": item_id, "updated_at": now, "revision": revision}
                    conn.execute(self._upsert[column], {**params, column: value})
            _delete_assessments(conn, [other_id])
        self._leave_no_trace()
        return sum("value" in fields for fields in taken.values())


def _answer_fields(conn: Connection, ids: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    rows = conn.execute(select(answers.c.assessment_id, *sql.ANSWER_COLUMNS).where(answers.c.assessment_id.in_(ids)))
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for assessment_id, item_id, *values in rows:
        found.setdefault(assessment_id, {})[item_id] = dict(zip(sql.ANSWER_FIELDS, values, strict=True))
    return found
