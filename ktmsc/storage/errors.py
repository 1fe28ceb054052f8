"""What can go wrong when reading or writing stored assessments.

Every exception derives from :class:`StorageError`, so the UI can catch the whole
family in one place and still tell a closed workshop from a deleted assessment.
"""

from __future__ import annotations

import sys


class StorageError(Exception):
    """Base class of everything the storage layer raises on purpose."""


class AssessmentNotFound(StorageError, LookupError):
    """The assessment does not exist (never created, or deleted meanwhile)."""

    def __init__(self, assessment_id: object) -> None:
        self.assessment_id = assessment_id
        super().__init__(f"assessment {str(assessment_id)[:40]!r} does not exist (deleted?)")


class WorkshopNotFound(StorageError, LookupError):
    """The workshop does not exist."""

    def __init__(self, workshop_id: object) -> None:
        self.workshop_id = workshop_id
        super().__init__(f"workshop {str(workshop_id)[:40]!r} does not exist")


class WorkshopClosed(StorageError):
    """The workshop this participant assessment belongs to no longer accepts answers."""

    def __init__(self, workshop_id: str) -> None:
        self.workshop_id = workshop_id
        super().__init__(f"workshop {workshop_id!r} is closed; answers can no longer be changed")


class NotInSecondRound(StorageError):
    """The workshop's second round runs: a participant changes only the questions it asks again,
    and nobody new joins (``item_id`` None)."""

    def __init__(self, workshop_id: str, item_id: str | None = None) -> None:
        self.workshop_id = workshop_id
        self.item_id = item_id
        what = "new participants cannot join" if item_id is None else f"{item_id[:100]!r} is not one of its questions"
        super().__init__(f"the second round of workshop {workshop_id!r} runs: {what}")


class InvalidValue(StorageError, ValueError):
    """A value the database must not hold (wrong type, too long, not finite, naive datetime …).

    Raised before anything is written, so bad input changes nothing.
    """


class InvalidAnswer(InvalidValue):
    """An answer its item does not allow (unknown item, not one of its options, a number out
    of range, "not our task" where the item does not offer it). Raised before anything is
    written."""

    def __init__(self, item_id: str, problem: str) -> None:
        self.item_id = item_id
        self.problem = problem
        super().__init__(f"answer to {item_id[:100]!r} refused: {problem}")


def is_database_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is the database failing – down, refusing writes (a full disk), the pool
    exhausted – rather than a refusal of ours (the classes above) or a bug.

    Looked up in ``sys.modules`` instead of imported: an error of a library that was never
    loaded cannot have happened, and the start page stays free of SQLAlchemy."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError | sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True
    sqlite = sys.modules.get("sqlite3")
    return sqlite is not None and isinstance(exc, sqlite.Error)
