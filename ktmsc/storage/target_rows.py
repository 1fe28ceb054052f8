"""Targets and the action plan as their tables hold them: checked before a write, written,
and read back with the assessment.

A target is, per domain, the type the assessment wants to be in two years (domain id →
type id). A plan entry (:class:`~ktmsc.model.assessment.PlanEntry`) is a measure with who,
by when, status and note; each of those four is written on its own (:meth:`Plans.save_plan_field`),
so two tabs editing two fields of one entry both keep theirs. Adding entries is idempotent
(an entry already stored is left as it is), so a retried add after a lost reply adds nothing twice.
With a questionnaire, domain, type and question ids must be its own; without one
(maintenance, storage tests), only the shapes the columns hold are checked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Row, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ktmsc.model.assessment import PLAN_STATUSES, PlanEntry, check_due
from ktmsc.model.limits import MAX_PLAN_ENTRIES, MAX_PLAN_NOTE, MAX_WHO
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import tokens, values
from ktmsc.storage.errors import AssessmentNotFound, InvalidValue
from ktmsc.storage.statements import DROP_TARGET, TARGET_UPSERTS
from ktmsc.storage.tables import DOMAIN_ID, TYPE_ID, plan_entries, targets

PLAN_FIELDS = ("who", "due", "status", "note")


def checked(questionnaire: Questionnaire | None, goals: Mapping[str, Any], *, clearing: bool = False) -> dict[str, Any]:
    """Every target checked (domain → type id); with ``clearing``, None (clear it) is allowed."""
    if not isinstance(goals, Mapping):
        raise InvalidValue("targets must map domain ids to type ids")
    out: dict[str, Any] = {}
    for domain, type_id in goals.items():
        domain = values.short_text(domain, DOMAIN_ID, "the target's domain", required=True)
        if type_id is None and clearing:
            out[domain] = None
            continue
        type_id = values.short_text(type_id, TYPE_ID, "the target's type", required=True)
        q = questionnaire
        if q is not None and (domain not in q.domain_ids or type_id not in q.types):
            raise InvalidValue(f"no target {domain}={type_id} in this questionnaire")
        out[domain] = type_id
    return out


def insert_rows(conn: Connection, assessment_id: str, goals: Mapping[str, str], now: datetime) -> None:
    if goals:
        conn.execute(
            insert(targets),
            [
                {"assessment_id": assessment_id, "domain": domain, "type_id": type_id, "updated_at": now}
                for domain, type_id in goals.items()
            ],
        )


def read_targets(conn: Connection, assessment_id: str) -> dict[str, str]:
    query = select(targets.c.domain, targets.c.type_id).where(targets.c.assessment_id == assessment_id)
    return {domain: type_id for domain, type_id in conn.execute(query).all()}


# --- the action plan ----------------------------------------------------------------------------


def checked_entries(questionnaire: Questionnaire | None, entries: Sequence[Any]) -> list[dict[str, Any]]:
    """Plan entries as table rows, each checked (a PlanEntry, its question and domain known)."""
    rows = []
    for entry in entries:
        if not isinstance(entry, PlanEntry):
            raise InvalidValue("a plan entry must be a PlanEntry")
        q = questionnaire
        if q is not None and (entry.domain not in q.domain_ids or entry.item_id not in q.items):
            raise InvalidValue(f"no question {entry.item_id} in domain {entry.domain} in this questionnaire")
        row = entry.model_dump(mode="python")
        row["to_value"] = values.answer_value(row["to_value"])
        for field in PLAN_FIELDS:
            row[field] = plan_value(field, row[field])
        rows.append(row)
    return rows


def plan_value(field: str, value: Any) -> Any:
    """One field of a plan entry as its column holds it, or :class:`InvalidValue`."""
    if field == "who":
        return _plain_text(value, MAX_WHO, "who")
    if field == "note":
        return _plain_text(value, MAX_PLAN_NOTE, "the note")
    if field == "status":
        if value not in PLAN_STATUSES:
            raise InvalidValue(f"the status must be one of {', '.join(PLAN_STATUSES)}")
        return value
    if field == "due":
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise InvalidValue("by when must be a date")
        try:
            return check_due(value)
        except ValueError as exc:
            raise InvalidValue(str(exc)) from None
    raise InvalidValue(f"a plan entry has no field {field!r}")


def _plain_text(value: Any, limit: int, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise InvalidValue(f"{what} must be text of at most {limit} characters")
    return value


def _add_upsert(dialect: Any) -> Any:
    return dialect.insert(plan_entries).on_conflict_do_nothing(
        index_elements=[plan_entries.c.assessment_id, plan_entries.c.id]
    )


ADD = {"sqlite": _add_upsert(sqlite), "postgresql": _add_upsert(postgresql)}
COUNT = select(func.count(), func.max(plan_entries.c.position)).where(
    plan_entries.c.assessment_id == bindparam("plan_id")
)
COLUMNS = (
    plan_entries.c.id,
    plan_entries.c.domain,
    plan_entries.c.item_id,
    plan_entries.c.to_value,
    *(plan_entries.c[f] for f in PLAN_FIELDS),
)


def insert_entries(conn: Connection, assessment_id: str, rows: Sequence[Mapping[str, Any]], now: datetime) -> None:
    if rows:
        _count, last = conn.execute(COUNT, {"plan_id": assessment_id}).one()
        start = 0 if last is None else last + 1
        conn.execute(
            ADD[conn.dialect.name],
            [
                {**row, "assessment_id": assessment_id, "position": start + n, "created_at": now, "updated_at": now}
                for n, row in enumerate(rows)
            ],
        )
        if conn.execute(COUNT, {"plan_id": assessment_id}).one()[0] > MAX_PLAN_ENTRIES:
            raise InvalidValue(f"an action plan holds at most {MAX_PLAN_ENTRIES} entries")  # rolls the add back


def read_entries(conn: Connection, assessment_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(*COLUMNS)
        .where(plan_entries.c.assessment_id == assessment_id)
        .order_by(plan_entries.c.position, plan_entries.c.id)
    ).all()
    return [_entry(row) for row in rows]


def _entry(row: Row[Any]) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in COLUMNS}


class Plans:
    """The targets' and the action plan's writes, part of :class:`~ktmsc.storage.store.Store` (which provides
    the transactions and the touch that every write starts with)."""

    questionnaire: Questionnaire | None

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError

    def _touch(self, conn: Connection, assessment_id: str, now: datetime, **kwargs: Any) -> Row[Any]:
        raise NotImplementedError

    @contextlib.contextmanager
    def _plan_write(self, assessment_id: str) -> Iterator[tuple[Connection, datetime]]:
        if not tokens.is_id(assessment_id):
            raise AssessmentNotFound(assessment_id)
        with self._write() as conn:
            now = datetime.now(UTC)
            self._touch(conn, assessment_id, now)
            yield conn, now

    def save_target(self, assessment_id: str, domain: str, type_id: str | None) -> datetime:
        """Set (or with None clear) the type one domain wants to be in two years; other domains'
        targets stay. With a questionnaire, an unknown domain or type raises :class:`InvalidValue`."""
        ((domain, type_id),) = checked(self.questionnaire, {domain: type_id}, clearing=True).items()
        with self._plan_write(assessment_id) as (conn, now):
            if type_id is None:
                conn.execute(DROP_TARGET, {"target_assessment_id": assessment_id, "target_domain": domain})
            else:
                conn.execute(
                    TARGET_UPSERTS[conn.dialect.name],
                    {"assessment_id": assessment_id, "domain": domain, "type_id": type_id, "updated_at": now},
                )
        return now

    def add_plan_entries(self, assessment_id: str, entries: Sequence[PlanEntry]) -> datetime:
        """Add entries to the plan (one already stored, by its id, stays as it is)."""
        rows = checked_entries(self.questionnaire, entries)
        with self._plan_write(assessment_id) as (conn, now):
            insert_entries(conn, assessment_id, rows, now)
        return now

    def save_plan_field(self, assessment_id: str, entry_id: str, field: str, value: Any) -> datetime:
        """Set one of who, due, status and note of one entry, leaving the others alone."""
        value = plan_value(field, value)
        if not isinstance(entry_id, str) or not entry_id:
            raise InvalidValue("a plan entry id is needed")
        with self._plan_write(assessment_id) as (conn, now):
            done = conn.execute(
                update(plan_entries)
                .where((plan_entries.c.assessment_id == assessment_id) & (plan_entries.c.id == entry_id))
                .values({field: value, "updated_at": now})
            )
            if done.rowcount == 0:
                raise InvalidValue(f"no plan entry {entry_id}")
        return now


def entries_of(stored: Sequence[Mapping[str, Any]]) -> list[PlanEntry]:
    """Stored rows as PlanEntry objects (a row the model no longer reads is left out)."""
    out = []
    for row in stored:
        with contextlib.suppress(ValidationError):
            out.append(PlanEntry.model_validate(dict(row)))
    return out
