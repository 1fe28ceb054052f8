"""Storage of assessments and workshops in SQLite (default) or PostgreSQL.

The core's only door to the database: SQLAlchemy and Alembic are imported here and
nowhere else in ``ktmsc``. Open one :class:`Store` per process (it migrates the
database on opening) and share it between sessions::

    store = Store(questionnaire=q)        # KTMSC_DATABASE_URL, else data/ktmsc.sqlite3
    created = store.create_assessment(assessment)
    store.save_answer(created.id, "mob_realtime_data", "partial")
    store.open_for_edit(created.edit_token)   # the link's token → StoredAssessment | None
    store.delete_workshop(workshop_id)        # with every participant (docs/DATA.md)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ktmsc.storage.errors import (
    AssessmentNotFound,
    InvalidAnswer,
    InvalidValue,
    NotInSecondRound,
    StorageError,
    WorkshopClosed,
    WorkshopNotFound,
)
from ktmsc.storage.location import database_url
from ktmsc.storage.records import (
    Created,
    Invitation,
    Purged,
    Round,
    RoundCreated,
    RoundMember,
    StoredAssessment,
    Workshop,
    WorkshopCreated,
)

if TYPE_CHECKING:
    from ktmsc.storage.store import Store


def __getattr__(name: str) -> Any:
    """``Store`` loads SQLAlchemy on first use, not with the package: the records, errors,
    tokens and the database's location (which the app's first page needs) come without it."""
    if name == "Store":
        from ktmsc.storage.store import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AssessmentNotFound",
    "Created",
    "InvalidAnswer",
    "InvalidValue",
    "Invitation",
    "NotInSecondRound",
    "Purged",
    "Round",
    "RoundCreated",
    "RoundMember",
    "StorageError",
    "Store",
    "StoredAssessment",
    "Workshop",
    "WorkshopClosed",
    "WorkshopCreated",
    "WorkshopNotFound",
    "database_url",
]
