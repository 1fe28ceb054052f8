"""Reading a workshop's participants, incrementally: what the facilitator's dashboard reads.

Every write raises the assessment's ``revision`` while it holds the row, and the answers it
writes carry it (migration 0004). A reader that saw revision r has therefore seen every
answer written up to r: a refresh asks which participants have a new revision (a light
query), reads only their rows, and of a known participant's answers only those above the
revision it was read at – unless answers were deleted since (``answers_reset``), in which
case it reads them all. One snapshot serves all queries (REPEATABLE READ on PostgreSQL).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, case, or_, select

from ktmsc import collector
from ktmsc.storage import statements as sql
from ktmsc.storage import tokens
from ktmsc.storage.records import StoredAssessment
from ktmsc.storage.rows import known_rows, stored_assessment
from ktmsc.storage.tables import answers, assessments

# A refresh reads the new answers of at most this many known participants in part (one CASE
# with a branch each); when more changed at once, they are read whole.
MAX_PARTIAL_READS = 2_000


class Participants:
    """The workshop-reading part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    def _read(self, *, consistent: bool = False) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    @collector.paused()
    def workshop_participants(
        self, workshop_id: str, known: Mapping[str, StoredAssessment] | None = None
    ) -> list[StoredAssessment]:
        """Every participant assessment of the workshop with all answers, oldest first, in two queries.

        ``known`` (an earlier result by id) makes it incremental: a light query finds who joined
        or changed something since (by revision), and only their rows are read – and of the
        answers of a known participant only those written after the revision it was read at,
        unless answers were deleted since. The dashboard refreshes every few seconds, and most
        participants have changed one answer or nothing in between.
        """
        if not tokens.is_id(workshop_id):
            return []
        known = known or {}
        of_workshop = assessments.c.workshop_id == workshop_id
        oldest_first = (assessments.c.created_at, assessments.c.id)
        since: dict[str, int] = {}  # known participants read in part: the revision they were read at
        with self._read(consistent=True) as conn:
            if known:  # a refresh: which changed (a light query), then only their rows
                stamps = conn.execute(sql.WORKSHOP_STAMPS.where(of_workshop).order_by(*oldest_first)).all()
                order = [row_id for row_id, _, _ in stamps]
                changed = {i for i, revision, _ in stamps if i not in known or known[i].revision != revision}
                since = {
                    i: known[i].revision
                    for i, _, reset in stamps
                    if i in changed and i in known and reset <= known[i].revision
                }
                if len(since) > MAX_PARTIAL_READS:
                    since = {}
                rows = conn.execute(select(assessments).where(assessments.c.id.in_(changed))).all() if changed else []
            else:
                rows = conn.execute(select(assessments).where(of_workshop).order_by(*oldest_first)).all()
                order = [row.id for row in rows]
                changed = set(order)
            answer_rows = self._changed_answers(conn, of_workshop, order, changed, since) if changed else []
        by_assessment: dict[str, Any] = {row_id: [] for row_id in changed if row_id not in since}
        by_assessment.update({row_id: known_rows(known[row_id]) for row_id in since})
        for assessment_id, item_id, *fields in answer_rows:
            target = by_assessment.setdefault(assessment_id, [])
            if isinstance(target, dict):
                target[item_id] = fields
            else:
                target.append([item_id, *fields])
        fresh = {row.id: stored_assessment(row, _as_rows(by_assessment.get(row.id, []))) for row in rows}
        return [fresh[row_id] if row_id in fresh else known[row_id] for row_id in order]

    @staticmethod
    def _changed_answers(
        conn: Connection, of_workshop: Any, order: list[str], changed: set[str], since: Mapping[str, int]
    ) -> list[Any]:
        query = (
            select(answers.c.assessment_id, *sql.ANSWER_COLUMNS)
            .join(assessments, assessments.c.id == answers.c.assessment_id)
            .where(of_workshop)
        )
        whole = changed - set(since)
        if len(changed) < len(order) or since:
            condition = answers.c.assessment_id.in_(whole) if whole else None
            if since:
                newer = answers.c.assessment_id.in_(list(since)) & (
                    answers.c.revision > case(since, value=answers.c.assessment_id, else_=-1)
                )
                condition = newer if condition is None else or_(condition, newer)
            query = query.where(condition)
        return conn.execute(query).all()


def _as_rows(rows: Any) -> list[Any]:
    """Answer rows as a list of (item id, value, note, evidence), from a list or an item → fields map."""
    if isinstance(rows, dict):
        return [[item_id, *fields] for item_id, fields in rows.items()]
    return rows
