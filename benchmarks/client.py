"""A light protocol-level Streamlit client: one websocket session that talks like the browser.

What the browser does, and so does :class:`Session`:

* It opens ``ws://host/_stcore/stream`` with the subprotocol ``streamlit`` and starts the
  first run by sending ``BackMsg.rerun_script`` with a ``ClientState``: the page's query
  string, the page name taken from the URL path (``questions``) and no page hash.
* The server answers each run with ``new_session`` (run id, pages), ``navigation`` (the
  pages and the hash of the page that ran), ``page_info_changed`` (a new query string),
  ``delta`` messages (elements and blocks, each widget carrying its ``id``) and finally
  ``script_finished``.
* The browser keeps the state of every widget it shows, keyed by widget id: a widget
  proto with ``set_value`` carries the value to show, a new widget starts at its
  ``default``, otherwise the shown value stays. When a run finishes, states of widgets
  that were not drawn in it are dropped (the frontend's "remove inactive").
* A change of a widget drawn inside an ``st.fragment`` (the delta names the fragment)
  reruns only that fragment: the rerun carries its ``fragment_id``, and afterwards only
  that fragment's widgets are replaced.
* Every rerun sends the states of *all* widgets (not only the changed one), the current
  query string, the hash of the current page and the hashes of the cacheable messages
  it holds; the server may then send ``ref_hash`` references instead of those messages,
  which the client resolves from its cache (evicting entries not used for
  ``max_cached_message_age`` runs, as the frontend does).

Server time of a run = from sending the ``rerun_script`` BackMsg to receiving that run's
``script_finished``. Buttons (trigger widgets) send no state unless clicked.

No XSRF token is needed: the server accepts the websocket without it and uses the
token only to read the login cookie, which the app does not use.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ID_PREFIX = "$$ID-"
# Elements that are widgets, and the WidgetState field the browser fills for them.
VALUE_FIELDS = {
    "checkbox": "bool_value",
    "radio": "string_value",
    "selectbox": "string_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "color_picker": "string_value",
    "button_group": "string_array_value",
    "multiselect": "string_array_value",
    "number_input": "double_value",  # int_value for integer inputs, see _state()
}
TRIGGERS = {"button", "download_button", "chat_input"}
RUN_TIMEOUT_S = 120.0
FINISHED_OK = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")


class ProtocolError(RuntimeError):
    """The server did something a browser session would not survive (error page, closed socket, timeout)."""


@dataclass
class Widget:
    id: str
    kind: str
    value: Any  # the value the browser would hold (None: no value)
    proto: Any = field(repr=False)
    fragment_id: str = ""  # the st.fragment the widget was drawn in ("" for the whole page)

    @property
    def key(self) -> str | None:
        """The user key the id ends with (``$$ID-<32 hex>-<key>``), None for widgets without key."""
        if not self.id.startswith(ID_PREFIX):
            return None
        key = self.id[len(ID_PREFIX) + 33 :]
        return None if key == "None" else key

    @property
    def options(self) -> list[str]:
        if self.kind == "button_group":
            return [o.content for o in self.proto.options]
        return list(getattr(self.proto, "options", []))


@dataclass
class Run:
    """One script run as the client saw it."""

    elapsed_s: float
    status: str
    messages: int
    bytes: int
    widgets: Counter  # widget kind -> how many this run drew (what is on screen, by delta path)
    elements: Counter  # element / block kind -> how many this run drew
    exceptions: list[str]
    errors: list[str]  # st.error texts
    warnings: list[str]  # st.warning texts
    references: int = 0  # messages sent as ``ref_hash`` (resolved from the client's cache)

    @property
    def ok(self) -> bool:
        return not self.exceptions and not self.errors and self.status in FINISHED_OK


@dataclass
class _RunState:
    """What arrives during one script run, until its script_finished."""

    run_id: str | None = None
    drawn: dict[str, Widget] = field(default_factory=dict)
    tree: dict[tuple[int, ...], str] = field(default_factory=dict)  # delta path -> kind: a later delta replaces
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    messages: int = 0
    size: int = 0
    references: int = 0

    def note_alert(self, kind: str, proto: Any) -> None:
        if kind == "exception":
            self.exceptions.append(f"{proto.type}: {proto.message}")
        elif kind == "alert" and proto.format == proto.ERROR:
            self.errors.append(proto.body)
        elif kind == "alert" and proto.format == proto.WARNING:
            self.warnings.append(proto.body)


def _initial_value(kind: str, proto: Any) -> Any:
    """The value a freshly mounted widget reports: its ``default``."""
    if kind in ("radio", "selectbox"):
        return proto.options[proto.default] if proto.HasField("default") and proto.options else None
    if kind == "button_group":
        return [proto.options[i].content for i in proto.default]
    if kind == "multiselect":
        return [proto.options[i] for i in proto.default]
    if kind == "checkbox":
        return proto.default
    if kind in ("number_input", "text_input", "text_area"):
        return proto.default if proto.HasField("default") else None
    if kind == "color_picker":
        return proto.default
    return None


def _set_value(kind: str, proto: Any) -> Any:
    """The value a widget proto with ``set_value`` tells the browser to show."""
    if kind in ("radio", "selectbox"):
        return proto.raw_value if proto.HasField("raw_value") else None
    if kind in ("button_group", "multiselect"):
        return list(proto.raw_values)
    if kind in ("number_input", "text_input", "text_area"):
        return proto.value if proto.HasField("value") else None
    return proto.value


def _state(widget: Widget) -> WidgetState:
    state = WidgetState(id=widget.id)
    value = widget.value
    if value is None:
        return state  # "no value" (e.g. a radio without selection)
    name = VALUE_FIELDS[widget.kind]
    if widget.kind == "number_input" and widget.proto.data_type == widget.proto.INT:
        state.int_value = int(value)
    elif name == "string_array_value":
        state.string_array_value.data.extend(value)
    else:
        setattr(state, name, value)
    return state


class Session:
    """One browser tab on one page of a Streamlit server.

    ``await Session.open(port, "questions", "lang=de&a=…")`` connects and does the first
    run; :meth:`rerun` reruns with all widget states (optionally changing some first).
    """

    def __init__(self, port: int, page: str = "", query: str = "", *, host: str = "127.0.0.1") -> None:
        self.url = f"ws://{host}:{port}/_stcore/stream"
        self.origin = f"http://{host}:{port}"
        self.page = page
        self.query = query
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}
        self._by_key: dict[str, Widget] | None = None
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, run number last used)
        self.max_cache_age = 2
        self.runs = 0
        self.ws: Any = None
        self.session_id: str | None = None

    @classmethod
    async def open(cls, port: int, page: str = "", query: str = "", **kwargs: Any) -> tuple[Session, Run]:
        session = cls(port, page, query, **kwargs)
        run = await session.connect()
        return session, run

    async def connect(self) -> Run:
        sent = time.perf_counter()
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            origin=self.origin,
            max_size=None,
            ping_interval=None,  # the browser sends no pings; the server pings us and we answer
            open_timeout=RUN_TIMEOUT_S,
        )
        return await self._run(first=True, started=sent)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    # --- widgets ----------------------------------------------------------------------

    def by_key(self, key: str) -> Widget:
        if self._by_key is None:
            self._by_key = {w.key: w for w in self.widgets.values() if w.key}
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"no widget with key {key!r}; keys: {sorted(self._by_key)[:20]}") from None

    def keys(self) -> list[str]:
        return [w.key for w in self.widgets.values() if w.key]

    # --- runs -------------------------------------------------------------------------

    async def rerun(self, changes: Mapping[str, Any] | None = None) -> Run:
        """Rerun like the browser: ``changes`` maps widget ids to new values (a user interaction).

        A change of a widget drawn inside an ``st.fragment`` reruns only that fragment, as in
        the browser (the rerun carries the fragment's id).
        """
        fragments = set()
        for widget_id, value in (changes or {}).items():
            widget = self.widgets[widget_id]
            widget.value = value
            fragments.add(widget.fragment_id)
        fragment_id = fragments.pop() if len(fragments) == 1 else ""
        return await self._run(fragment_id=fragment_id)

    def _back_msg(self, first: bool, fragment_id: str = "") -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        if first:
            state.page_name = self.page
        else:
            state.page_script_hash = self.page_hash
        if fragment_id:
            state.fragment_id = fragment_id
        state.widget_states.widgets.extend(_state(w) for w in self.widgets.values())
        state.cached_message_hashes.extend(self.cache)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Berlin", -60, "de-DE"
        info.url = f"{self.origin}/{self.page}" + (f"?{self.query}" if self.query else "")
        info.is_embedded, info.color_scheme = False, "light"
        return msg.SerializeToString()

    async def _run(self, *, first: bool = False, started: float | None = None, fragment_id: str = "") -> Run:
        payload = self._back_msg(first, fragment_id)
        sent = time.perf_counter()
        await self.ws.send(payload)
        try:
            return await asyncio.wait_for(self._receive(started or sent, fragment_id), RUN_TIMEOUT_S)
        except TimeoutError:
            raise ProtocolError(f"no script_finished within {RUN_TIMEOUT_S:.0f} s") from None
        except websockets.ConnectionClosed as exc:
            raise ProtocolError(f"the server closed the websocket: {exc}") from None

    async def _receive(self, sent: float, fragment_id: str = "") -> Run:
        self.runs += 1
        run = _RunState()
        while True:
            data = await self.ws.recv()
            run.messages += 1
            run.size += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            msg, kind = self._resolve(msg, run)
            if kind == "delta":
                self._delta(msg.delta, tuple(msg.metadata.delta_path), run)
            elif kind == "script_finished":
                finished = self._finish(msg, run, sent, fragment_id)
                if finished is not None:
                    return finished
            else:
                self._session_message(kind, msg, run)

    def _resolve(self, msg: ForwardMsg, run: _RunState) -> tuple[ForwardMsg, str | None]:
        """The message itself, or the cached one a reference stands for; caches what may be referenced."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"reference to a message the client does not hold: {msg.ref_hash}")
            resolved = ForwardMsg()
            resolved.CopyFrom(cached[0])
            resolved.metadata.CopyFrom(msg.metadata)
            self.cache[msg.ref_hash] = (cached[0], self.runs)
            run.references += 1
            return resolved, resolved.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (msg, self.runs)
        return msg, kind

    def _session_message(self, kind: str | None, msg: ForwardMsg, run: _RunState) -> None:
        if kind == "new_session":
            run.run_id = msg.metadata.run.script_run_id or None
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.max_cache_age = msg.new_session.config.max_cached_message_age or self.max_cache_age
            if msg.new_session.page_script_hash and not self.page_hash:
                self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            raise ProtocolError(f"page not found: {msg.page_not_found.page_name!r}")

    def _finish(self, msg: ForwardMsg, run: _RunState, sent: float, fragment_id: str) -> Run | None:
        """The run's result when this script_finished ends our run; None when an earlier run ended."""
        finished_id = msg.metadata.run.script_run_id or None
        status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        if status == "FINISHED_EARLY_FOR_RERUN" or (run.run_id and finished_id and finished_id != run.run_id):
            return None  # an earlier run ended; ours is still to come
        elapsed = time.perf_counter() - sent
        if status == "FINISHED_SUCCESSFULLY":
            self.widgets = run.drawn  # the frontend drops states of widgets not drawn in this run
        elif status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY":
            fragments = set(msg.metadata.run.fragment_ids) or {fragment_id}
            kept = {i: w for i, w in self.widgets.items() if w.fragment_id not in fragments}
            self.widgets = kept | run.drawn
        self._by_key = None
        self._evict()
        elements = Counter(run.tree.values())
        widgets = Counter({k: n for k, n in elements.items() if k in VALUE_FIELDS or k in TRIGGERS})
        return Run(
            elapsed,
            status,
            run.messages,
            run.size,
            widgets,
            elements,
            run.exceptions,
            run.errors,
            run.warnings,
            run.references,
        )

    def _delta(self, delta, path: tuple[int, ...], run: _RunState) -> None:
        dtype = delta.WhichOneof("type")
        if dtype == "add_block":
            block = delta.add_block
            bkind = block.WhichOneof("type") or "block"
            if bkind == "flex_container" and block.flex_container.border:
                bkind = "bordered_container"
            run.tree[path] = f"block:{bkind}"
            return
        if dtype != "new_element":
            return
        element = delta.new_element
        ekind = element.WhichOneof("type")
        proto = getattr(element, ekind)
        if ekind == "markdown" and proto.element_type == proto.CAPTION:
            ekind = "caption"
        run.tree[path] = ekind
        run.note_alert(ekind, proto)
        if ekind in VALUE_FIELDS and getattr(proto, "id", ""):
            run.drawn[proto.id] = Widget(proto.id, ekind, self._widget_value(ekind, proto), proto, delta.fragment_id)

    def _widget_value(self, ekind: str, proto) -> object:
        """What the browser would hold for this widget: the value the server sets, else the one it had."""
        previous = self.widgets.get(proto.id)
        if proto.set_value:
            return _set_value(ekind, proto)
        if previous is not None:
            return previous.value
        return _initial_value(ekind, proto)

    def _evict(self) -> None:
        for key, (_msg, used) in list(self.cache.items()):
            if self.runs - used >= self.max_cache_age:
                del self.cache[key]
