"""Deleting: one assessment, one participant, a whole workshop, and the retention purge.

What a deletion guarantees is written in ``docs/DATA.md``. In short: the rows are gone for
every later query at once. On SQLite every connection runs with ``secure_delete`` (deleted
content is overwritten with zeros) and every deletion ends with a ``wal_checkpoint(TRUNCATE)``,
so neither the database file nor its write-ahead log still holds the deleted text. On
PostgreSQL the dead row versions stay in the data files until VACUUM reclaims them.

Lock order is the one every write keeps (:mod:`ktmsc.storage.store`): assessment rows
first, then the workshop row. A workshop is therefore deleted in two transactions: the
first closes it (waiting for answers in flight, after which no one can join or answer),
the second locks and deletes its participants and then the workshop itself.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, or_, select, update

from ktmsc.storage import tokens
from ktmsc.storage.engine import is_sqlite
from ktmsc.storage.errors import InvalidValue, WorkshopNotFound
from ktmsc.storage.records import Purged
from ktmsc.storage.tables import (
    answers,
    assessments,
    first_round_answers,
    plan_entries,
    second_round_reasons,
    targets,
    workshops,
)

log = logging.getLogger(__name__)

BATCH = 500  # assessments deleted per statement (bounded IN lists)


class Deletion:
    """The deleting part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    _engine: Engine
    _write_lock: contextlib.AbstractContextManager[Any]

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def delete(self, assessment_id: str) -> bool:
        """Remove the assessment and all its answers; False when there was nothing to delete.

        Allowed in a closed workshop too: people may always withdraw their answers.
        """
        return self._delete_one(assessment_id, None)

    def delete_participant(self, workshop_id: str, assessment_id: str) -> bool:
        """The facilitator removes one participant of their workshop (also when it is closed).

        Only an assessment of this workshop is deleted: False for anyone else's, or for one
        that is already gone.
        """
        if not tokens.is_id(workshop_id):
            return False
        return self._delete_one(assessment_id, workshop_id)

    def _delete_one(self, assessment_id: str, workshop_id: str | None) -> bool:
        if not tokens.is_id(assessment_id):
            return False
        query = select(assessments.c.id).where(assessments.c.id == assessment_id)
        if workshop_id is not None:
            query = query.where(assessments.c.workshop_id == workshop_id)
        with self._write() as conn:
            # Lock the assessment row first, like every other write (no deadlock with a concurrent save).
            if conn.execute(query.with_for_update()).first() is None:
                return False
            _delete_assessments(conn, [assessment_id])
        self._leave_no_trace()
        return True

    def delete_workshop(self, workshop_id: str) -> int:
        """Delete the workshop with every participant's assessment, answers, notes and evidence.

        Returns how many participants were deleted; raises :class:`WorkshopNotFound` when
        there is no such workshop.
        """
        if not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        with self._write() as conn:
            closed = conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(closed=True))
            if closed.rowcount == 0:
                raise WorkshopNotFound(workshop_id)
        with self._write() as conn:
            count = _delete_workshop(conn, workshop_id)
        self._leave_no_trace()
        return count

    def purge(self, older_than: timedelta, *, now: datetime | None = None, dry_run: bool = False) -> Purged:
        """Delete what the retention period has run out for (or with ``dry_run`` only count it).

        * a closed workshop (closed by the facilitator, or past its closing time) whose last
          change is older than the cutoff, with all its participants;
        * an assessment that belongs to no workshop and has not changed since the cutoff.

        A participant's assessment goes only with its workshop: while the workshop is open
        it stays, however long ago it was last changed.
        """
        if not isinstance(older_than, timedelta) or older_than <= timedelta(0):
            raise InvalidValue("the retention period must be a positive timedelta")
        cutoff = (now or datetime.now(UTC)) - older_than
        expired_workshops = or_(
            workshops.c.closed.is_(True) & (workshops.c.updated_at < cutoff), workshops.c.closes_at < cutoff
        )
        stale = (assessments.c.workshop_id.is_(None)) & (assessments.c.updated_at < cutoff)
        with self._write() as conn:
            workshop_ids = list(conn.execute(select(workshops.c.id).where(expired_workshops)).scalars())
            if dry_run:
                participants = conn.execute(
                    select(func.count()).select_from(assessments).where(assessments.c.workshop_id.in_(workshop_ids))
                ).scalar_one()
                alone = conn.execute(select(func.count()).select_from(assessments).where(stale)).scalar_one()
                return Purged(workshops=len(workshop_ids), participants=participants, assessments=alone)
            participants = sum(_delete_workshop(conn, workshop_id) for workshop_id in workshop_ids)
            alone = 0
            while ids := list(
                conn.execute(select(assessments.c.id).where(stale).limit(BATCH).with_for_update()).scalars()
            ):
                alone += _delete_assessments(conn, ids)
        purged = Purged(workshops=len(workshop_ids), participants=participants, assessments=alone)
        if purged.total:
            self._leave_no_trace()
        return purged

    def _leave_no_trace(self) -> None:
        """SQLite: write the zeroed pages back into the database file and empty the write-ahead log."""
        if not is_sqlite(self._engine):
            return  # PostgreSQL: VACUUM (autovacuum) reclaims the dead rows; see docs/DATA.md
        with self._write_lock:
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                busy, _frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                cursor.close()
            finally:
                raw.close()
        if busy:
            # Another process kept reading; its next checkpoint (at the latest the next deletion) finishes it.
            log.warning("the write-ahead log could not be emptied after a deletion: another process was reading")


def _delete_workshop(conn: Connection, workshop_id: str) -> int:
    """Participants first (their rows locked before the workshop row), then the workshop."""
    ids = list(
        conn.execute(
            select(assessments.c.id)
            .where(assessments.c.workshop_id == workshop_id)
            .order_by(assessments.c.id)
            .with_for_update()
        ).scalars()
    )
    count = _delete_assessments(conn, ids)
    conn.execute(delete(workshops).where(workshops.c.id == workshop_id))
    return count


def _delete_assessments(conn: Connection, ids: Sequence[str]) -> int:
    for batch in _batches(ids):
        conn.execute(delete(answers).where(answers.c.assessment_id.in_(batch)))
        conn.execute(delete(first_round_answers).where(first_round_answers.c.assessment_id.in_(batch)))
        conn.execute(delete(second_round_reasons).where(second_round_reasons.c.assessment_id.in_(batch)))
        conn.execute(delete(targets).where(targets.c.assessment_id.in_(batch)))
        conn.execute(delete(plan_entries).where(plan_entries.c.assessment_id.in_(batch)))
        conn.execute(delete(assessments).where(assessments.c.id.in_(batch)))
    return len(ids)


def _batches(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]
