"""Browser helpers: start the app on a free port, drive Chromium, wait like Streamlit's own tests.

Every Streamlit-specific selector lives here, so a change in Streamlit's markup is
mended in one place.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("KTMSC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

APP = "[data-testid='stApp']"
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']"
MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"
CHART = "[data-testid='stVegaLiteChart']"


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A `streamlit run` of the app as a subprocess, with its log kept for failures."""

    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int | None = None) -> None:
        if self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start_server(
    database_url: str, log_dir: Path, port: int | None = None, address: str | None = "127.0.0.1"
) -> Server:
    """``streamlit run serve.py`` on ``port``, bound to ``address`` (None: the app's configured default)."""
    port = port or free_port()
    log_path = log_dir / f"server-{port}.log"
    env = os.environ | {
        "KTMSC_DATABASE_URL": database_url,
        "KTMSC_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    handle = log_path.open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",  # the app as it is served: with its security headers
            "--server.port",
            str(port),
            *(["--server.address", address] if address else []),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(port, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited with {process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"the app server did not become healthy in 60 s:\n{server.log()}")


def wait_for_run(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the script run, as its own e2e tests do."""
    page.wait_for_timeout(150)  # let a rerun triggered just now begin
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    wait_for_components(page, timeout)
    page.wait_for_timeout(150)  # and React draw its result


SKELETONS = "[data-testid='stSkeleton'], [data-testid='stSkeletonElement'], [data-testid='stAppSkeleton']"


def wait_for_components(page, timeout: float = 30_000) -> None:
    """Wait until no element shows its loading skeleton: Streamlit loads the code of most
    widgets on first use, so right after a page load a radio can still be a grey bar."""
    page.wait_for_function("s => !document.querySelector(s)", arg=SKELETONS, timeout=timeout)


def key_selector(key: str) -> str:
    """CSS for the element with this Streamlit key: Streamlit adds the class
    `st-key-<key>` with every character other than letters, digits, `_` and `-` as `-`."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def widget(page, key: str):
    return page.locator(key_selector(key))


# --- added for the end-to-end tests (tests/test_browser.py) -------------------------------

MAIN_TITLE = f"{MAIN} h1"
MAIN_HEADER = f"{MAIN} h2"
RADIO_OPTION = "[data-testid='stRadioOption']"
SIDEBAR_TEXT = f"{SIDEBAR} [data-testid='stText']"
NAV_LINK = "[data-testid='stSidebarNavLink']"
TABLE = "[data-testid='stTable']"
DATAFRAME = "[data-testid='stDataFrame']"
CODE = "[data-testid='stCode'] code"
ITEM_KEY_PREFIX = "item-"  # the app's container key of one question: `item-<item id>`


def count_runs(page) -> None:
    """Count the script runs that finish for ``page``, from Streamlit's own messages.

    Every run ends with a ``script_finished`` message on the websocket; counting them is
    exact where watching the app's ``data-test-script-state`` can miss a quick run (React
    may draw "running" and "notRunning" in one go) and a fixed pause is a guess.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    page.ktmsc_runs = 0

    def on_frame(payload) -> None:
        if isinstance(payload, bytes | bytearray):
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "script_finished":
                page.ktmsc_runs += 1

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))


def chromium_executable() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def runs(page) -> int:
    return page.ktmsc_runs


def rerun(page, action, timeout: float = 30_000) -> None:
    """Do ``action`` (a widget change) and wait until the script run it started has finished.

    The page must be counting its runs (:func:`count_runs`, done for every page of the
    test fixtures' browser contexts).
    """
    before = runs(page)
    action()
    deadline = time.monotonic() + timeout / 1000
    while runs(page) <= before:
        if time.monotonic() > deadline:
            state = page.locator(APP).get_attribute("data-test-script-state")
            raise AssertionError(f"no script run finished within {timeout / 1000:.0f} s of the action (app {state})")
        page.wait_for_timeout(25)  # lets Playwright deliver the websocket frames
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    wait_for_components(page, timeout)


def item_ids(page) -> list[str]:
    """Ids of the questions on screen, in page order (from their containers' key classes)."""
    prefix = key_selector(ITEM_KEY_PREFIX)[1:]
    classes = page.locator(f"[class*='{prefix}']").evaluate_all(
        "(els, prefix) => els.map(e => [...e.classList].find(c => c.startsWith(prefix)))", prefix
    )
    return [c[len(prefix) :] for c in classes if c]


def radio_option(page, key: str, index: int):
    """The clickable label of a radio's option (the input itself is visually hidden)."""
    return widget(page, key).locator(RADIO_OPTION).nth(index)


def radio_inputs(page, key: str):
    return widget(page, key).locator("input[type='radio']")


def checkbox_label(page, key: str):
    return widget(page, key).locator("label").first


def checkbox_input(page, key: str):
    return widget(page, key).locator("input[type='checkbox']")


def text_field(page, key: str):
    """The <input> of a text or number input."""
    return widget(page, key).locator("input")


# --- a listener on another origin (markup injection, framing) ------------------------------


class Listener:
    """A tiny HTTP server on 127.0.0.1 and a free port — another origin than the app's — that
    records every request it gets. ``pages`` maps a path to HTML it serves; anything else gets
    a 1×1 transparent GIF (what a tracking pixel would be)."""

    PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")

    def __init__(self) -> None:
        import http.server
        import threading

        self.hits: list[str] = []
        self.pages: dict[str, str] = {}
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.hits.append(self.path)
                page = listener.pages.get(self.path)
                body = page.encode() if page is not None else Listener.PIXEL
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8" if page is not None else "image/gif")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
