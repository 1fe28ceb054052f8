"""Shared fixtures: the shipped questionnaire, generated content, the app's database."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ktmsc.instrument import get_questionnaire

# Database fixtures for SQLite and a real PostgreSQL server (started by the test setup).
pytest_plugins = ["storage_fixtures", "browser_plugin"]

_APP_DB_DIR = tempfile.TemporaryDirectory(prefix="ktmsc-app-db-")
# The database URL this test run chose (not one given from outside), passed on to the workers.
_CHOSEN_BY_TESTS = "KTMSC_TEST_CHOSEN_DATABASE_URL"


def pytest_configure(config):
    # The app under test never touches the developer's data/ folder: every test process gets
    # a database of its own for the whole run (AppTest runs the app in-process). The workers of
    # ``-n`` inherit the environment of the process that starts them; sharing its database,
    # one worker's assessments showed up in another's "stores nothing" test.
    given = os.environ.get("KTMSC_DATABASE_URL")
    if given is None or given == os.environ.get(_CHOSEN_BY_TESTS):
        own = f"sqlite:///{Path(_APP_DB_DIR.name) / 'app.sqlite3'}"
        os.environ["KTMSC_DATABASE_URL"] = os.environ[_CHOSEN_BY_TESTS] = own
    os.environ.setdefault("KTMSC_PUBLIC_URL", "http://localhost:8501")


@pytest.fixture(scope="session")
def questionnaire():
    """The shipped, validated questionnaire."""
    return get_questionnaire()


@pytest.fixture(scope="session")
def app_store():
    """The store the app under test writes to, for looking at what it saved."""
    from ktmsc.storage import Store

    store = Store(os.environ["KTMSC_DATABASE_URL"])
    yield store
    store.close()
