"""The schema revisions the migration files declare, read without Alembic or SQLAlchemy.

Cheap enough for the start of the app server: a database already at the head opens without
Alembic (:mod:`ktmsc.storage.migrate`), and one at a revision no file declares (a newer
version migrated it) stops the start with :class:`SchemaTooNew`.
"""

from __future__ import annotations

import ast
import functools
import sqlite3
import threading
from pathlib import Path

from ktmsc.storage.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# CPython 3.11 may fail "AST constructor recursion depth mismatch" when threads parse at once
# (sessions opening stores together): the files are parsed once, under a lock.
_PARSE = threading.Lock()


class SchemaTooNew(StorageError):
    """The database was migrated by a newer version of the app: this one must not touch it."""

    def __init__(self, found: str, newest: str | None) -> None:
        self.found = found
        super().__init__(
            f"the database has schema revision {found}, which this version of the app does not know "
            f"(its newest is {newest or 'unknown'}): a newer version has migrated it. Start that version "
            "again, or restore the backup taken before the upgrade (python -m ktmsc restore FILE; "
            "PostgreSQL: pg_restore, see docs/DATA.md)"
        )


def require_known(found: str | None) -> None:
    """:class:`SchemaTooNew` when ``found`` (a database's revision) is one no migration file
    declares; a new database (None) is fine. The store's migration and the app's start use it."""
    known = declared_revisions()
    if found is not None and known and found not in known:
        raise SchemaTooNew(found, declared_head())


def declared_revisions() -> set[str]:
    """Every revision id the migration files declare (empty when one is computed or a merge)."""
    return set(_declared() or {})


def declared_head() -> str | None:
    """The head from the revision files' own lines, without Alembic; None unless exactly one."""
    revisions = _declared()
    if revisions is None:
        return None
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else None


def _declared() -> dict[str, str | None] | None:
    """revision → down_revision of every migration file; None for a merge or a computed revision."""
    with _PARSE:
        return _parse_declared()


@functools.cache
def _parse_declared() -> dict[str, str | None] | None:
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values = {
            node.targets[0].id: node.value.value
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
        }
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
            return None  # a merge or a computed revision: let Alembic decide
        revisions[revision] = down
    return revisions


def sqlite_revision(conn: sqlite3.Connection) -> str | None:
    """The revision in ``alembic_version`` of an SQLite database, read with the standard
    library (None without the table or a row): the app's start and the backup check use it."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None
