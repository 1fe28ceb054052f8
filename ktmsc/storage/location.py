"""Which database: ``KTMSC_DATABASE_URL``, else the embedded SQLite file in ``data/``.

Read without SQLAlchemy for the SQLite default and a plain ``sqlite:///`` URL, so that the
app server's start (which checks the schema revision with the standard library) does not
wait for it; any other URL is parsed and normalised with SQLAlchemy.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ktmsc import PROJECT_ROOT
from ktmsc.storage.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV_VAR = "KTMSC_DATABASE_URL"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "ktmsc.sqlite3"
SQLITE_PREFIX = "sqlite:///"

_PG_DRIVERS = {"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"}


def database_url() -> str:
    """``KTMSC_DATABASE_URL`` if set (normalised), else the default SQLite file in ``data/``."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return normalise_url(configured)
    return f"{SQLITE_PREFIX}{DEFAULT_SQLITE_PATH}"


def normalise_url(url: str) -> str:
    """Point every PostgreSQL URL at the psycopg 3 driver (the only one in requirements.txt);
    a plain SQLite file URL stays as it is (SQLAlchemy would render it unchanged)."""
    if url.startswith(SQLITE_PREFIX) and "?" not in url:
        return url
    parsed = parse_url(url)
    if parsed.drivername in _PG_DRIVERS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def parse_url(url: str) -> URL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    # "postgres://" is what Heroku-style providers hand out; SQLAlchemy only knows "postgresql".
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    try:
        return make_url(url)
    except ArgumentError:
        # Do not echo the URL: it may contain a password.
        raise StorageError(
            f"{ENV_VAR} is not a valid database URL (expected sqlite:///path or postgresql://user:pass@host/db)"
        ) from None
