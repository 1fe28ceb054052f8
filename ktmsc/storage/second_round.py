"""A workshop's second round in the store: opening it, the first round as it stood, the reasons,
and the countdown of the round that runs.

Opening the second round copies every participant's answers into ``first_round_answers`` once,
in the transaction that sets ``workshops.second_round_items``, while it holds the workshop row
for update; a participant's write takes the same row for share first, so no answer is half in
one round and half in the other. From then on the participants change only the questions of
the second round (the store refuses the others, :class:`~ktmsc.storage.errors.NotInSecondRound`),
in ``answers`` like before: the second round is the answers as they are now, the first the copy.
Nobody new joins a second round: it asks again those who answered the first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, insert, select, update

from ktmsc.model.limits import MAX_COUNTDOWN_MINUTES, MAX_REASON, MAX_SECOND_ROUND_ITEMS
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import GENERAL
from ktmsc.storage import statements as sql
from ktmsc.storage import tokens, values
from ktmsc.storage.errors import (
    AssessmentNotFound,
    InvalidValue,
    NotInSecondRound,
    WorkshopClosed,
    WorkshopNotFound,
)
from ktmsc.storage.records import is_open
from ktmsc.storage.tables import answers, assessments, first_round_answers, second_round_reasons, workshops


def check_round(workshop_id: str, round_items: Sequence[str] | None, item_id: str | None) -> None:
    """In a workshop's second round, an answer, note or evidence only to one of its questions."""
    if round_items is not None and item_id is not None and item_id not in round_items:
        raise NotInSecondRound(workshop_id, item_id)


def open_workshop(row: Row[Any] | None, workshop_id: str, now: datetime) -> Row[Any]:
    """A workshop's row as read, refused when it is gone or closed."""
    if row is None:
        raise WorkshopNotFound(workshop_id)
    if not is_open(row.closed, row.closes_at, now):
        raise WorkshopClosed(workshop_id)
    return row


def locked_open_workshop(conn: Connection, workshop_id: str, now: datetime) -> Row[Any]:
    """The open workshop's whole row, held for update until the transaction ends."""
    row = conn.execute(select(workshops).where(workshops.c.id == workshop_id).with_for_update()).first()
    return open_workshop(row, workshop_id, now)


def _now() -> datetime:
    return datetime.now(UTC)


class SecondRounds:
    """The second-round part of :class:`~ktmsc.storage.store.Store` (which provides the transactions)."""

    questionnaire: Questionnaire | None

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def _read(self, *, consistent: bool = False) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def open_second_round(self, workshop_id: str, item_ids: Sequence[str]) -> datetime:
        """Open the second round for these questions (of the general section or the workshop's
        domains): the first round is kept as it stands, and the countdown stops. Once per workshop;
        returns when it opened."""
        if not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        chosen = [values.item_id(i) for i in item_ids] if isinstance(item_ids, (list, tuple)) else None
        if not chosen or len(chosen) > MAX_SECOND_ROUND_ITEMS or len(set(chosen)) != len(chosen):
            raise InvalidValue(f"the second round asks 1 to {MAX_SECOND_ROUND_ITEMS} different questions again")
        with self._write() as conn:
            now = _now()
            row = locked_open_workshop(conn, workshop_id, now)
            if row.second_round_items is not None:
                raise InvalidValue("this workshop's second round has opened already")
            self._check_items(chosen, row.domains)
            of_workshop = select(assessments.c.id).where(assessments.c.workshop_id == workshop_id)
            conn.execute(
                insert(first_round_answers).from_select(
                    ["assessment_id", "item_id", "value"],
                    select(answers.c.assessment_id, answers.c.item_id, answers.c.value).where(
                        answers.c.assessment_id.in_(of_workshop), answers.c.value.is_not(None)
                    ),
                )
            )
            conn.execute(
                update(workshops)
                .where(workshops.c.id == workshop_id)
                .values(second_round_items=chosen, second_round_at=now, countdown_ends_at=None, updated_at=now)
            )
        return now

    def _check_items(self, chosen: list[str], domains: Sequence[str]) -> None:
        q = self.questionnaire
        if q is None:
            return
        sections = {GENERAL, *domains}
        for item_id in chosen:
            if q.section_of.get(item_id) not in sections:
                raise InvalidValue(f"{item_id[:100]!r} is not a question of this workshop")

    def first_round_answers(self, workshop_id: str) -> dict[str, dict[str, Any]]:
        """Per participant (assessment id), the answers as they stood when the second round opened."""
        found: dict[str, dict[str, Any]] = {}
        for assessment_id, item_id, value in self._of_participants(first_round_answers, "value", workshop_id):
            found.setdefault(assessment_id, {})[item_id] = value
        return found

    def second_round_reasons(self, workshop_id: str) -> dict[tuple[str, str], str]:
        """(assessment id, item id) → the participant's reason for their second-round answer."""
        return {(a, i): reason for a, i, reason in self._of_participants(second_round_reasons, "reason", workshop_id)}

    def _of_participants(self, table: Table, column: str, workshop_id: str) -> list[Row[Any]]:
        """(assessment id, item id, ``column``) of every row of ``table`` of the workshop's participants."""
        if not tokens.is_id(workshop_id):
            return []
        query = (
            select(table.c.assessment_id, table.c.item_id, table.c[column])
            .join(assessments, assessments.c.id == table.c.assessment_id)
            .where(assessments.c.workshop_id == workshop_id)
        )
        with self._read() as conn:
            return conn.execute(query).all()

    def save_second_round_reason(self, assessment_id: str, item_id: str, text: str | None) -> datetime:
        """Set (``""`` or None: clear) a participant's one-line reason for a second-round answer."""
        if not tokens.is_id(assessment_id):
            raise AssessmentNotFound(assessment_id)
        item_id = values.item_id(item_id)
        reason = values.one_line(text, MAX_REASON, "the reason")
        with self._write() as conn:
            now = _now()
            row = conn.execute(sql.WRITABLE, {"check_id": assessment_id}).first()
            if row is None:
                raise AssessmentNotFound(assessment_id)
            if row.workshop_id is None:
                raise InvalidValue("only a workshop's participant gives reasons")
            if not is_open(row.closed, row.closes_at, now):
                raise WorkshopClosed(row.workshop_id)
            if row.second_round_items is None:
                raise NotInSecondRound(row.workshop_id, item_id)
            check_round(row.workshop_id, row.second_round_items, item_id)
            key = (second_round_reasons.c.assessment_id == assessment_id) & (second_round_reasons.c.item_id == item_id)
            conn.execute(delete(second_round_reasons).where(key))
            if reason:
                conn.execute(
                    insert(second_round_reasons).values(
                        assessment_id=assessment_id, item_id=item_id, reason=reason, updated_at=now
                    )
                )
        return now

    def set_countdown(self, workshop_id: str, minutes: int | None) -> datetime | None:
        """Start a countdown of ``minutes`` for the round that runs (None: stop it); returns its end."""
        if minutes is not None and (
            isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_COUNTDOWN_MINUTES
        ):
            raise InvalidValue(f"a countdown runs 1 to {MAX_COUNTDOWN_MINUTES} minutes")
        if not tokens.is_id(workshop_id):
            raise WorkshopNotFound(workshop_id)
        now = _now()
        ends = None if minutes is None else now + timedelta(minutes=minutes)
        with self._write() as conn:
            result = conn.execute(
                update(workshops).where(workshops.c.id == workshop_id).values(countdown_ends_at=ends, updated_at=now)
            )
            if result.rowcount == 0:
                raise WorkshopNotFound(workshop_id)
        return ends
