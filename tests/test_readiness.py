"""Readiness for load balancers, and a database a newer version migrated: refused, not retried."""

from __future__ import annotations

import socket
import sqlite3
import urllib.error
import urllib.request

import pytest

from ktmsc.storage import Store, readiness
from ktmsc.storage.revisions import SchemaTooNew, declared_head
from ktmsc.ui.server import READY_PATH


def newer(path) -> None:
    """What a newer version's migration leaves: a revision no file here declares."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'a1b2c3d4e5f6'")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_readiness_says_whether_the_database_answers_with_a_schema_this_version_knows(tmp_path):
    path = tmp_path / "db.sqlite3"
    url = f"sqlite:///{path}"
    fresh = readiness.check(url)
    assert fresh.ready and "at first use" in fresh.reason, "a fresh replica must become ready"
    Store(url).close()
    assert readiness.check(url) == readiness.Readiness(True, f"ready: schema {declared_head()}")
    newer(path)
    too_new = readiness.check(url)
    assert not too_new.ready and "a1b2c3d4e5f6" in too_new.reason and "restore" in too_new.reason
    down = readiness.check(f"postgresql://ktmsc:secret@127.0.0.1:{closed_port()}/ktmsc")
    assert not down.ready and "does not answer" in down.reason and "secret" not in down.reason


def test_a_store_on_a_newer_schema_refuses_and_leaves_it_alone(tmp_path):
    path = tmp_path / "db.sqlite3"
    Store(f"sqlite:///{path}").close()
    newer(path)
    with pytest.raises(SchemaTooNew, match="a newer version has migrated it"):
        Store(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("a1b2c3d4e5f6",)


def test_the_server_reports_readiness_and_refuses_to_start_on_a_newer_schema(start_server, tmp_path):
    path = tmp_path / "app.sqlite3"
    Store(f"sqlite:///{path}").close()  # as after the app's first page
    server = start_server(f"sqlite:///{path}")
    with urllib.request.urlopen(server.url + READY_PATH, timeout=10) as response:
        assert response.status == 200 and response.read().decode().startswith("ready")
    newer(path)
    try:
        urllib.request.urlopen(server.url + READY_PATH, timeout=10)
        pytest.fail("readiness must fail at a schema this version does not know")
    except urllib.error.HTTPError as error:
        assert error.code == 503 and "a1b2c3d4e5f6" in error.read().decode()
    with urllib.request.urlopen(server.url + "/_stcore/health", timeout=10) as response:
        assert response.status == 200, "liveness is a different question"
    server.stop()
    with pytest.raises(RuntimeError) as refused:
        start_server(f"sqlite:///{path}")
    assert "exited with 78" in str(refused.value) and "does not start" in str(refused.value)
