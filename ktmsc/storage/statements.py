"""The store's hot-path statements, built once and executed with parameters: building a
SQLAlchemy Core statement per call costs more than running it on SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ktmsc.storage.tables import JSONText, answers, assessments, targets, workshops

ANSWER_FIELDS = ("value", "note", "evidence")

# Every write raises the revision while it holds the row; what it writes carries the new one.
TOUCH = (
    update(assessments)
    .where(assessments.c.id == bindparam("touch_id"))
    .values(revision=assessments.c.revision + 1)
    .returning(assessments.c.workshop_id, assessments.c.profile, assessments.c.revision)
)
# Answers were deleted at this revision: a reader that knows less reads them all again.
RESET_ANSWERS = (
    update(assessments)
    .where(assessments.c.id == bindparam("reset_id"))
    .values(answers_reset=bindparam("reset_revision"))
)
WORKSHOP_STATE = (
    select(workshops.c.closed, workshops.c.closes_at, workshops.c.second_round_items)
    .where(workshops.c.id == bindparam("workshop_id"))
    .with_for_update(read=True)
)
DROP_EMPTY_ANSWER = delete(answers).where(
    answers.c.assessment_id == bindparam("answer_assessment_id"),
    answers.c.item_id == bindparam("answer_item_id"),
    answers.c.value.is_(None),
    answers.c.note.is_(None),
    answers.c.evidence.is_(None),
)
ANSWER_COLUMNS = (answers.c.item_id, answers.c.value, answers.c.note, answers.c.evidence)


def _answer_objects(dialect: str) -> Any:
    """Per assessment, its values, notes and evidence as three JSON objects by item id (NULL
    where it has none), aggregated by the database: a comparison round reads a million answers,
    and one row per assessment spares reading and sorting them one by one. Add a
    ``where`` on ``answers.c.assessment_id`` and ``group_by(answers.c.assessment_id)``."""

    def by_item(column: Any) -> Any:
        if dialect == "sqlite":  # the value column holds JSON text: json() embeds it as JSON, not as a string
            embedded = func.json(column) if column is answers.c.value else column
            aggregate = func.json_group_object(answers.c.item_id, embedded, type_=JSONText())
        else:
            aggregate = func.json_object_agg(answers.c.item_id, column, type_=JSONText())
        return aggregate.filter(column.is_not(None))

    columns = (answers.c.value, answers.c.note, answers.c.evidence)
    return select(answers.c.assessment_id, *(by_item(c).label(f) for c, f in zip(columns, ANSWER_FIELDS, strict=True)))


ANSWER_OBJECTS = {"sqlite": _answer_objects("sqlite"), "postgresql": _answer_objects("postgresql")}
# Who in a workshop changed what since the last read: revisions only (a light query).
WORKSHOP_STAMPS = select(assessments.c.id, assessments.c.revision, assessments.c.answers_reset)
# One stored answer value, read inside a write transaction (toggle_option).
STORED_VALUE = select(answers.c.value).where(
    (answers.c.assessment_id == bindparam("value_id")) & (answers.c.item_id == bindparam("value_item"))
)
# Whether an assessment can be written, in one statement that writes nothing (group commit).
WRITABLE = (
    select(
        assessments.c.workshop_id,
        assessments.c.profile,
        workshops.c.closed,
        workshops.c.closes_at,
        workshops.c.second_round_items,
    )
    .select_from(assessments.outerjoin(workshops, assessments.c.workshop_id == workshops.c.id))
    .where(assessments.c.id == bindparam("check_id"))
)


def _upserts(dialect: Any) -> dict[str, Any]:
    """Per answer field: INSERT the row, or on conflict update just that field (and updated_at)."""
    built = {}
    for field in ANSWER_FIELDS:
        stmt = dialect.insert(answers)
        built[field] = stmt.on_conflict_do_update(
            index_elements=[answers.c.assessment_id, answers.c.item_id],
            set_={
                field: stmt.excluded[field],
                "updated_at": stmt.excluded.updated_at,
                "revision": stmt.excluded.revision,
            },
        )
    return built


UPSERTS = {"sqlite": _upserts(sqlite), "postgresql": _upserts(postgresql)}


def _target_upsert(dialect: Any) -> Any:
    stmt = dialect.insert(targets)
    return stmt.on_conflict_do_update(
        index_elements=[targets.c.assessment_id, targets.c.domain],
        set_={"type_id": stmt.excluded.type_id, "updated_at": stmt.excluded.updated_at},
    )


TARGET_UPSERTS = {"sqlite": _target_upsert(sqlite), "postgresql": _target_upsert(postgresql)}
DROP_TARGET = delete(targets).where(
    (targets.c.assessment_id == bindparam("target_assessment_id")) & (targets.c.domain == bindparam("target_domain"))
)
