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

``tests/test_http.py`` starts the real server and checks both, so a Streamlit upgrade
that changes how middleware is applied fails there loudly.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
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


class SecurityHeaders:
    """ASGI middleware: ``HEADERS`` on every HTTP response, 404 for ``BLOCKED_PATHS``."""

    def __init__(self, app: ASGIApp, base_url_path: str | None = None) -> None:
        self.app = app
        self._base = base_url_path
        self._raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()]

    def _blocked(self, path: str) -> bool:
        base = self._base
        if base is None:
            from streamlit import config  # read once the server is configured, not at import

            base = config.get_option("server.baseUrlPath") or ""
            self._base = base
        prefix = "/" + base.strip("/") if base.strip("/") else ""
        path = path.rstrip("/")
        return any(path == prefix + blocked for blocked in BLOCKED_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._blocked(scope.get("path", "")):
            await self._not_found(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = {name for name, _ in self._raw}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in own]
                message["headers"] = kept + self._raw
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _not_found(self, send: Send) -> None:
        body = b"Not Found"
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 404, "headers": headers + self._raw})
        await send({"type": "http.response.body", "body": body})
