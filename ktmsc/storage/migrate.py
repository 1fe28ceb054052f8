"""Bring a database to the current schema with Alembic, safely under concurrent starts.

Two app processes (or two replicas) may start at the same moment on an empty database.
Both would try to create the tables; the loser would crash. So the whole upgrade runs in
one transaction that first takes a database-wide lock — ``pg_advisory_xact_lock`` on
PostgreSQL, ``BEGIN IMMEDIATE`` (the write lock) on SQLite — and Alembic reads the
current revision only after the lock is held: the second process finds the schema at
head and does nothing. Both databases have transactional DDL, so a failed migration
leaves the previous schema intact. A short retry loop covers what remains (a lock
timeout on a very busy SQLite file, a server that refuses the advisory lock).

Within one process, upgrades are additionally serialised by a plain lock: Alembic's
``alembic.context`` and ``alembic.op`` are module-level proxies, so two threads running
migrations at the same time would share them.

Most starts find the schema current. That is checked first without Alembic: the head is
read from the revision files' ``revision``/``down_revision`` lines (not by importing them)
and the database's revision from ``alembic_version``; only when they differ is Alembic
loaded and the locked upgrade run.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from ktmsc.storage.engine import WRITE_OPTION
from ktmsc.storage.revisions import MIGRATIONS_DIR, declared_head, require_known

# Any constant bigint; identifies "the KTMSC schema migration" among advisory locks.
ADVISORY_LOCK_KEY = 0x4B544D5343_01
ATTEMPTS = 5
_IN_PROCESS = threading.Lock()

_log = logging.getLogger(__name__)


def alembic_config() -> Config:
    """A programmatic Alembic configuration (no alembic.ini), independent of the working directory."""
    from alembic.config import Config

    cfg = Config()
    # ConfigParser interpolation: a literal "%" in the path must be doubled.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest revision, as Alembic sees it."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The database's revision from ``alembic_version`` (None for a database without one)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):  # a new database
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def is_current(engine: Engine) -> bool:
    """Whether the database is at the head already (a read, no lock, no Alembic);
    :class:`SchemaTooNew` when it is at a revision no migration file declares."""
    found = check_known(engine)
    head = declared_head()
    return head is not None and found == head


def check_known(engine: Engine) -> str | None:
    """The database's revision; :class:`SchemaTooNew` when no migration file declares it."""
    found = stored_revision(engine)
    require_known(found)
    return found


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate ``engine``'s database to ``revision`` (a no-op when it is already there).

    A database at a revision this version does not know raises :class:`SchemaTooNew` and
    is left alone (Alembic would fail on it at every start, page after page)."""
    current = is_current(engine)
    if revision == "head" and current:
        return
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _upgrade_once(engine, revision)
            return
        except DBAPIError as exc:
            if attempt == ATTEMPTS:
                raise
            _log.warning("schema migration attempt %d failed (%s); retrying", attempt, type(exc.orig).__name__)
            time.sleep(0.2 * attempt)


def _upgrade_once(engine: Engine, revision: str) -> None:
    with _IN_PROCESS, engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            from alembic import command

            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
