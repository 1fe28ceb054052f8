"""Back up and restore the embedded SQLite database while the app runs.

A plain ``cp`` of a live SQLite file is not a backup: committed answers may still be in
the write-ahead log (``…-wal``) and the copy can catch the file mid-write. SQLite's online
backup API copies a consistent snapshot of the database *including* what is in the log,
page by page, while the app goes on writing. That is what :func:`backup` does, followed by
an integrity check of the copy.

:func:`restore` checks that a file is a KTMSC database (integrity, schema revision), keeps
the current database next to itself (``….before-restore-<time>``) and copies the backup
into it with the same API, so a database in WAL mode is replaced consistently. Stop the
app servers first: sessions that are open keep their answers in the browser only until
their next save, which would then go into the restored database.

PostgreSQL has its own tools (``pg_dump -Fc`` and ``pg_restore``), described in
``docs/DATA.md``; :class:`NotSQLite` says so.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from ktmsc.storage.errors import StorageError
from ktmsc.storage.revisions import declared_head, declared_revisions, sqlite_revision

COUNTED = ("assessments", "answers", "workshops")
PG_DUMP = 'pg_dump -Fc --no-owner -d "$KTMSC_DATABASE_URL" -f ktmsc.dump'
PG_RESTORE = 'pg_restore --clean --if-exists --no-owner -d "$KTMSC_DATABASE_URL" ktmsc.dump'


class BackupError(StorageError):
    """A backup or restore that cannot be done; the message says why and what to do."""


class NotSQLite(BackupError):
    def __init__(self) -> None:
        super().__init__(
            "the database is PostgreSQL: back it up with its own tools, "
            f"`{PG_DUMP}`, and restore with `{PG_RESTORE}` (docs/DATA.md)"
        )


@dataclass(frozen=True)
class Snapshot:
    """What a backup file holds."""

    path: Path
    revision: str
    assessments: int
    answers: int
    workshops: int

    def describe(self) -> str:
        return (
            f"{self.assessments} assessment(s) with {self.answers} answer row(s) and "
            f"{self.workshops} workshop(s), schema {self.revision}"
        )


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///…`` URL; :class:`NotSQLite` for PostgreSQL."""
    parsed = make_url(url)
    if not parsed.get_backend_name() == "sqlite":
        raise NotSQLite()
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(parsed.database)


def backup(url: str, out: Path) -> Snapshot:
    """Write a consistent copy of the running database to ``out`` (which must not exist yet)."""
    source = sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if out.exists():
        raise BackupError(f"{out} exists already; choose a new file name (a backup never overwrites one)")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _open(source) as src, _open(partial) as dst:
            src.backup(dst)  # one step: a consistent snapshot, the write-ahead log included
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        snapshot = inspect(partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return Snapshot(out, snapshot.revision, snapshot.assessments, snapshot.answers, snapshot.workshops)


def restore(backup_file: Path, url: str, now: datetime | None = None) -> tuple[Snapshot, Path | None]:
    """Replace the database of ``url`` by ``backup_file``; returns what was restored and where
    the previous database was kept (None when there was none)."""
    target = sqlite_path(url)
    snapshot = inspect(backup_file)
    kept = None
    if target.is_file():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        with _open(target) as src, _open(kept) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _open(backup_file) as src, _open(target) as dst:
        src.backup(dst)
    return snapshot, kept


def inspect(path: Path) -> Snapshot:
    """Check that ``path`` is an intact KTMSC database this version can run, and count it."""
    if not path.is_file():
        raise BackupError(f"there is no file {path}")
    try:
        with _open(path) as conn:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{path} is damaged ({check[:120]}); use another backup")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"alembic_version", "assessments", "answers", "workshops"} <= tables:
                raise BackupError(f"{path} is an SQLite file, but not a KTMSC Self-Check database")
            revision = sqlite_revision(conn) or ""
            counts = [conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in COUNTED]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database ({exc})") from None
    if revision not in declared_revisions():
        raise BackupError(
            f"{path} has schema revision {revision or 'none'}, which this version does not know "
            f"(its newest is {declared_head()}); restore it with the version that wrote it"
        )
    return Snapshot(path, revision, *counts)


def _open(path: Path) -> closing[sqlite3.Connection]:
    """A plain connection that is closed at the end of the ``with`` (sqlite3's own context
    manager only commits)."""
    return closing(sqlite3.connect(path, timeout=10))
