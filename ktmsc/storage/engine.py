"""Which database, and an engine configured for it.

SQLite is the embedded default (one file under ``data/``); PostgreSQL is chosen with
``KTMSC_DATABASE_URL`` when several app replicas share one database. Streamlit runs every
browser session in its own thread, so both engines use a thread-safe connection pool.

SQLite needs care to never lose or refuse a write under concurrency:

* WAL lets readers and one writer work at the same time. With ``synchronous=NORMAL`` a
  commit survives an application crash or restart; only a power cut or OS crash can roll
  back the last moments' commits (never corrupt the file) — for much faster commits than FULL.
* ``busy_timeout`` makes a second writer wait instead of failing with "database is locked".
* Write transactions start with ``BEGIN IMMEDIATE``. A deferred transaction that reads
  first and writes later can fail with SQLITE_BUSY *without* waiting (its snapshot is
  stale); taking the write lock up front makes writers queue instead. pysqlite's own
  transaction handling is switched off so that SQLAlchemy's ``begin`` event decides.
* ``foreign_keys=ON`` is per connection in SQLite, so it is set in the ``connect`` event
  (otherwise ON DELETE CASCADE would silently not happen).
* ``secure_delete=ON`` (per connection too) overwrites deleted content with zeros, so a
  deleted name, note or evidence does not linger in free space of the file; the store
  checkpoints the write-ahead log after every deletion (``ktmsc.storage.deletion``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection
from sqlalchemy.pool import QueuePool

from ktmsc.storage.errors import StorageError
from ktmsc.storage.location import normalise_url, parse_url

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Execution option that marks a connection's next transaction as a write transaction.
WRITE_OPTION = "ktmsc_write"


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the pool and per-connection settings described above."""
    parsed = parse_url(normalise_url(url))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        return create_engine(
            parsed,
            pool_size=10,
            max_overflow=20,
            pool_timeout=30,
            pool_pre_ping=True,  # survive a database restart without a failed request
            connect_args={"application_name": "ktmsc", "connect_timeout": 10},
        )
    raise StorageError(f"unsupported database {backend!r}: use sqlite or postgresql")


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        raise StorageError(
            "an in-memory SQLite database is not supported: every pooled connection would see its own empty database; give a file path"
        )
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=10,
        max_overflow=20,
        pool_timeout=30,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy (see module docstring).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first: switching a fresh file to WAL needs a lock another process may hold.
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """WAL once per file (it persists). SQLite answers a journal-mode change it cannot make at
    once (a fresh file that another connection is switching) with "database is locked"
    without consulting busy_timeout, so the switch waits and retries for up to the timeout."""
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_on_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION)
    if write:
        _require_writable(connection.engine.url.database or "")
    connection.exec_driver_sql(f"BEGIN {'IMMEDIATE' if write else 'DEFERRED'}")


def _require_writable(database: str) -> None:
    """Refuse a write when a file of the database cannot be written (made immutable, read-only
    or its file system remounted read-only) with SQLite's own error, before SQLite touches it.

    SQLite keeps the write-ahead log's index in a memory-mapped file (``-shm``): writing to it
    after it became unwritable makes the kernel end the whole process with SIGBUS, which no
    Python code can catch – every session of the server would be gone. Three access checks
    per write transaction (one per group commit) keep it to a refused write, shown as pending."""
    for path in (database, f"{database}-wal", f"{database}-shm"):
        if not os.access(path, os.W_OK) and os.path.exists(path):
            raise sqlite3.OperationalError(f"attempt to write a readonly database ({path} is not writable)")
