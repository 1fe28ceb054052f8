"""Database fixtures: every storage test runs on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started by the test setup itself with ``pgserver`` (a pip
package that ships PostgreSQL 16 binaries) in a temporary directory, once per test
session. Tests get a clean database in one of two ways:

* ``store``: a :class:`Store` on a database without data — a new SQLite file, or on
  PostgreSQL one shared database migrated once, whose tables are truncated before each
  test (creating a PostgreSQL database costs ~0.3 s; truncating ~10 ms);
* ``db_url``: the URL of a brand-new, *empty* database (no tables at all) for the
  migration tests — a new SQLite file, or ``CREATE DATABASE`` on the server (not dropped:
  the server's directory is deleted at the end of the session).

If the server cannot start, the PostgreSQL variants are skipped with a loud reason —
except with ``CI=true``, where they fail: CI must never go green without PostgreSQL.

Use the fixtures from a test module by binding them (``db_url = storage_fixtures.db_url``)
or register this file as a plugin (``pytest_plugins = ["storage_fixtures"]`` in the
top-level conftest). The server lives in a module-level singleton, so both ways together
still start only one server.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ktmsc.storage import Store

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
DATA_TABLES = (
    "round_members",
    "rounds",
    "step_times",
    "plan_entries",
    "second_round_reasons",
    "first_round_answers",
    "targets",
    "answers",
    "assessments",
    "workshops",
)

_server: dict[str, Any] = {}
_database_names = itertools.count()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str, *, ci_reason: str | None = None) -> None:
    """Skip the test with a loud ``reason``; with ``CI=true`` fail it instead (``ci_reason``,
    default ``reason``, followed by "With CI=true this is a failure."): CI never goes green
    without the tests that need PostgreSQL, Chromium or axe-core."""
    if in_ci():
        pytest.fail(f"{ci_reason or reason} With CI=true this is a failure.", pytrace=False)
    pytest.skip(reason)


def _start_postgres() -> Any:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
        warnings.simplefilter("ignore")
        import pgserver

        pgdata = tempfile.mkdtemp(prefix="ktmsc-pg-")
        return pgserver.get_server(pgdata, cleanup_mode="delete")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A PostgreSQL 16 server in a temporary directory, for the whole test session."""
    if "server" not in _server and "error" not in _server:
        try:
            _server["server"] = _start_postgres()
            _server["owner"] = True
        except Exception as exc:  # any failure means: no PostgreSQL on this machine
            # Remembered, so that the other PostgreSQL tests do not wait for a second failed start.
            _server["error"] = f"{type(exc).__name__}: {exc}"
    if "error" in _server:
        reason = (
            f"!!! PostgreSQL could not be started with pgserver ({_server['error']}). "
            "The PostgreSQL half of the storage tests did NOT run."
        )
        skip_or_fail(reason)
    yield _server["server"]
    if _server.pop("owner", False):
        _server.pop("server").cleanup()


def _admin(server: Any, statement: str, database: str | None = None) -> None:
    import psycopg

    with psycopg.connect(server.get_uri(database), autocommit=True) as conn:
        conn.execute(statement)


def _new_pg_database(server: Any) -> str:
    name = f"ktmsc_test_{os.getpid()}_{next(_database_names)}"
    _admin(server, f'CREATE DATABASE "{name}"')
    return name


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """ "sqlite" or "postgres": every test that uses a database runs once for each."""
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database (no tables): a SQLite file, or a new database on the server."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    # pgserver hands out "postgresql://" URLs: the store must normalise them to psycopg 3.
    # Not dropped afterwards (DROP DATABASE can take seconds on a busy machine): the whole
    # server directory is deleted at the end of the session.
    yield server.get_uri(_new_pg_database(server))


@pytest.fixture(scope="session")
def pg_shared(pg_server: Any) -> tuple[str, str]:
    """One PostgreSQL database (name, URL), migrated once, shared by the ``store`` tests of this session."""
    name = _new_pg_database(pg_server)
    url = pg_server.get_uri(name)
    Store(url).close()
    return name, url


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store on a database at head without any data (``store.url`` says which)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'ktmsc.sqlite3'}"
    else:
        name, url = request.getfixturevalue("pg_shared")
        _admin(request.getfixturevalue("pg_server"), f"TRUNCATE {', '.join(DATA_TABLES)}", database=name)
    opened = Store(url)
    try:
        yield opened
    finally:
        opened.close()


def backend_of(url: str) -> str:
    return "sqlite" if "sqlite" in url.split(":", 1)[0] else "postgres"
