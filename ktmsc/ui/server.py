"""What the app's web server adds to every response: security headers, and no public metrics.

Streamlit 1.67 serves apps with Starlette and offers one supported way to add to that
server: ``st.App(script, middleware=[...])`` in a launcher module that ``streamlit run``
(or uvicorn) serves; ``serve.py`` is that launcher. This module is the middleware. It is
plain ASGI, so it sees every HTTP response — the page, Streamlit's static files, media,
uploads — and leaves the websocket alone.

* ``HEADERS`` go on every HTTP response: no other origin may frame the app (the data page
  holds the resume link), browsers do not guess content types, and no page sends its
  address (with its token) as ``Referer`` to anyone. ``deploy/nginx.conf`` sets the same
  headers at the proxy; a test holds the two to the same values.
* ``/_stcore/metrics`` answers 404: Streamlit serves its metrics to anyone and has no
  setting to turn them off. The proxy example denies the path as well.
* A path that is no page of the app (``/start``, a typo, an old bookmark) is redirected to
  the start page with its query string. Streamlit answers every unknown path with its page
  and then shows an English "Page not found" dialog that no setting turns off; the
  middleware redirects only when Streamlit answered with that page (HTML for a path that
  is neither the root, one of ``links.PAGE_URL_PATHS`` nor a file name), so its own files
  and endpoints are never touched.

``tests/test_http.py`` starts the real server and checks both, so a Streamlit upgrade
that changes how middleware is applied fails there loudly.
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADERS: dict[str, str] = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",  # the same rule for browsers without frame-ancestors
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

BLOCKED_PATHS = ("/_stcore/metrics",)  # below server.baseUrlPath
READY_PATH = "/_ktmsc/ready"  # readiness for load balancers (liveness stays /_stcore/health)
READY_TIMEOUT_S = 5.0


class SecurityHeaders:
    """ASGI middleware: ``HEADERS`` on every HTTP response, 404 for ``BLOCKED_PATHS``."""

    def __init__(self, app: ASGIApp, base_url_path: str | None = None) -> None:
        self.app = app
        self._base = base_url_path
        self._raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()]

    def _prefix(self) -> str:
        base = self._base
        if base is None:
            from streamlit import config  # read once the server is configured, not at import

            base = config.get_option("server.baseUrlPath") or ""
            self._base = base
        return "/" + base.strip("/") if base.strip("/") else ""

    def _blocked(self, path: str) -> bool:
        path = path.rstrip("/")
        return any(path == self._prefix() + blocked for blocked in BLOCKED_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._blocked(scope.get("path", "")):
            await self._not_found(send)
            return
        if scope.get("path", "").rstrip("/") == self._prefix() + READY_PATH:
            await self._ready(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = {name for name, _ in self._raw}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in own]
                message["headers"] = kept + self._raw
            await send(message)

        if self._maybe_unknown_page(scope):
            send_with_headers = _RedirectAppPage(self._prefix() + "/", scope, send_with_headers)
        await self.app(scope, receive, send_with_headers)

    def _maybe_unknown_page(self, scope: Scope) -> bool:
        """A GET of a path below the app's root that is not one of its pages."""
        from ktmsc.ui.links import PAGE_URL_PATHS

        path, prefix = scope.get("path", ""), self._prefix()
        if scope.get("method") not in ("GET", "HEAD") or not path.startswith(prefix + "/"):
            return False
        relative = path[len(prefix) :].strip("/")
        # A last segment with a dot names a file: Streamlit's own answer stands.
        return bool(relative) and relative not in PAGE_URL_PATHS and "." not in relative.rsplit("/", 1)[-1]

    async def _not_found(self, send: Send) -> None:
        await self._plain(send, 404, "Not Found")

    async def _ready(self, send: Send) -> None:
        """200 when the database answers with a schema this version knows, else 503 and why."""
        result = await asyncio.to_thread(_readiness)
        await self._plain(send, 200 if result.ready else 503, result.reason)

    async def _plain(self, send: Send, status: int, text: str) -> None:
        body = text.encode("utf-8")
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers + self._raw})
        await send({"type": "http.response.body", "body": body})


class _RedirectAppPage:
    """A ``send`` that turns Streamlit's page (200, HTML) into a redirect to the start page,
    keeping the query string; any other answer (a file, a 404) passes unchanged."""

    def __init__(self, root: str, scope: Scope, send: Send) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        self._location = root + (f"?{query}" if query else "")
        self._send = send
        self._redirected = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = dict((k.lower(), v) for k, v in message.get("headers", []))
            if message.get("status") == 200 and headers.get(b"content-type", b"").startswith(b"text/html"):
                self._redirected = True
                await self._send(
                    {
                        "type": "http.response.start",
                        "status": 302,
                        "headers": [
                            (b"location", self._location.encode("latin-1")),
                            (b"content-length", b"0"),
                            (b"cache-control", b"no-store"),
                        ],
                    }
                )
                await self._send({"type": "http.response.body", "body": b""})
                return
        if not self._redirected:
            await self._send(message)


def _readiness():
    from ktmsc.storage import readiness
    from ktmsc.ui.session import configured_url

    return readiness.check(configured_url())


def refuse_unknown_schema() -> None:
    """At start: exit with the operator's message when the database holds a schema a newer
    version migrated. Other problems (a database not up yet) do not stop the start; readiness
    reports them until they are gone. SQLite is read with the standard library, so the start
    does not wait for SQLAlchemy."""
    from ktmsc.storage.revisions import SchemaTooNew, require_known
    from ktmsc.ui.session import configured_url

    try:
        found = _stored_revision(configured_url())
    except Exception:  # unreachable now: the app starts, and readiness says why it is not ready
        return
    try:
        require_known(found)
    except SchemaTooNew as exc:
        sys.stderr.write(f"KTMSC Self-Check does not start: {exc}\n")
        raise SystemExit(78) from None  # EX_CONFIG


def warm_up() -> None:
    """At start, before serving: load what every page needs (the content, checked as always, and
    the interface texts), then move everything loaded so far out of the garbage collector's way.

    Without ``gc.freeze`` every full collection walks all of Streamlit, pydantic and the content
    again, ~100,000 objects that live as long as the process: the one that fell into the first
    page's run took 60 ms, and later ones fall into somebody's rerun. Frozen, they are never
    walked again (none of them is garbage); what sessions create is collected as before. Invalid
    content does not stop the start here: the pages say what is wrong, as without the warm-up."""
    from ktmsc.content import ContentError
    from ktmsc.instrument import get_questionnaire
    from ktmsc.texts import catalogue

    with suppress(ContentError):
        get_questionnaire()
    catalogue()
    gc.freeze()  # no collection first: it would cost the walk this saves, to free a few dozen objects


def _stored_revision(url: str) -> str | None:
    from ktmsc.storage.location import SQLITE_PREFIX
    from ktmsc.storage.revisions import sqlite_revision

    if url.startswith(SQLITE_PREFIX):
        path = Path(url.removeprefix(SQLITE_PREFIX))
        if not path.is_file():
            return None  # a new database: created at the first use of the store
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
            return sqlite_revision(conn)
    from ktmsc.storage.migrate import stored_revision
    from ktmsc.storage.readiness import engine_for

    return stored_revision(engine_for(url))
