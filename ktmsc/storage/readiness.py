"""Readiness: whether this app server can serve, as a load balancer asks it.

Streamlit's ``/_stcore/health`` says the process is alive (liveness); it answers "ok"
while the database is down, or holds a schema a newer version of the app migrated, when
every page can only say "reload in a moment". :func:`check` asks the database itself: one
cheap read of the schema revision. Ready means the database answers and its revision is
one this version knows (an older one is migrated at the first use of the store, so a fresh
replica becomes ready). ``ktmsc/ui/server.py`` serves the answer at ``/_ktmsc/ready``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ktmsc.storage import migrate
from ktmsc.storage.engine import make_engine
from ktmsc.storage.revisions import SchemaTooNew, declared_head

_ENGINES: dict = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str


def check(url: str) -> Readiness:
    """Ready or not, with one line saying why (never the password)."""
    try:
        found = migrate.check_known(engine_for(url))
    except SchemaTooNew as exc:
        return Readiness(False, str(exc))
    except Exception as exc:  # unreachable, refused, locked, a bad URL
        return Readiness(False, f"the database does not answer ({type(exc).__name__})")
    head = declared_head()
    if found == head:
        return Readiness(True, f"ready: schema {found}")
    return Readiness(True, f"ready: schema {found or 'not created yet'}, migrated to {head} at first use")


def engine_for(url: str):
    """One small engine per URL for the checks, apart from the store's pool."""
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _ENGINES[url] = make_engine(url)
        return engine
