"""Pytest plugin for the browser tests: the app server, Chromium, axe-core, and what a failure leaves.

Fixtures:

* ``app_server`` (session): one ``streamlit run`` of the app with a SQLite database of
  its own in a temporary folder; ``server_store`` is a :class:`Store` on that database.
* ``start_server`` (function): starts further servers (stopped after the test).
* ``chromium`` (session): Debian's Chromium through Playwright, never a downloaded
  browser. Without Chromium every browser test is SKIPPED with a loud reason; with
  ``CI=true`` it FAILS instead: CI never goes green without the browser tests.
* ``new_context`` (function): makes browser contexts (closed after the test) whose pages
  count their script runs (see ``browser.count_runs``) and that record JavaScript dialogs in
  ``context.dialogs`` (dismissing them); ``page`` is a page in a fresh desktop context,
  ``module_page`` one shared by a module's tests.
* ``listener`` (function): an HTTP server on another origin that records every hit
  (:class:`browser.Listener`): a pixel for markup that would load something, a host for
  pages that try to frame the app.
* ``axe_source`` (session): axe-core's ``axe.min.js`` from ``.cache/axe``, installed there
  with npm on first use.

On a failing test the hook below prints the tail of every app server's log (whole logs and
a screenshot of every open page go to ``test-artifacts/``).

Register it in the top-level conftest: ``pytest_plugins = ["storage_fixtures", "browser_plugin"]``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from storage_fixtures import in_ci, skip_or_fail

import browser
from ktmsc.storage import Store

ROOT = browser.ROOT
ARTIFACTS = ROOT / "test-artifacts"
AXE_DIR = ROOT / ".cache" / "axe"
AXE_FILE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_PACKAGE = "axe-core@4"
LOG_TAIL_LINES = 150
DESKTOP = {"width": 1280, "height": 900}

# What a failure report shows: the servers and browser contexts alive during the test.
_servers: list[browser.Server] = []
_contexts: list = []
_chromium_problem: list[str] = []


def _require_browser() -> str:
    """The Chromium executable; skip (locally) or fail (with CI=true) when there is none."""
    executable = browser.chromium_executable()
    problem = None
    if executable is None:
        problem = (
            f"Chromium not found (looked for {browser.CHROMIUM} and `chromium` on PATH; "
            "install Debian's package: apt-get install chromium, or set KTMSC_CHROMIUM)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    if problem is None:
        return executable
    if not in_ci():
        _chromium_problem.append(problem)  # named again in the run's summary
    skip_or_fail(f"!!! BROWSER TESTS SKIPPED: {problem} !!!", ci_reason=f"BROWSER TESTS CANNOT RUN: {problem}.")


def pytest_terminal_summary(terminalreporter) -> None:
    if _chromium_problem:
        terminalreporter.section("browser tests skipped", sep="!", red=True, bold=True)
        terminalreporter.line(f"NO BROWSER TEST RAN: {_chromium_problem[0]}", red=True, bold=True)


# --- servers --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_database_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('app-server') / 'app.sqlite3'}"


@pytest.fixture(scope="session")
def app_server(app_database_url) -> Iterator[browser.Server]:
    """The app, served once for the whole session, on a database of its own."""
    _require_browser()
    server = browser.start_server(app_database_url, Path(app_database_url.removeprefix("sqlite:///")).parent)
    _servers.append(server)
    yield server
    server.stop()
    _servers.remove(server)


@pytest.fixture(scope="session")
def server_store(app_server, app_database_url) -> Iterator[Store]:
    """A store on the session server's database: seed assessments, check what the app saved."""
    store = Store(app_database_url)
    yield store
    store.close()


@pytest.fixture
def start_server(tmp_path) -> Iterator[Callable[..., browser.Server]]:
    """Start another app server: ``start_server(database_url=None, port=None, address="127.0.0.1")``
    (``address=None``: the address the app's configuration sets); stopped after the test."""
    started: list[browser.Server] = []

    def start(database_url: str | None = None, port: int | None = None, address: str | None = "127.0.0.1"):
        url = database_url or f"sqlite:///{tmp_path / 'app.sqlite3'}"
        server = browser.start_server(url, tmp_path, port=port, address=address)
        started.append(server)
        _servers.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        _servers.remove(server)


@pytest.fixture
def listener() -> Iterator[browser.Listener]:
    """An HTTP server on another origin that records every request (``listener.hits``)."""
    server = browser.Listener()
    yield server
    server.stop()


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    executable = _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=browser.CHROMIUM_ARGS)
        yield instance
        instance.close()


def _context(chromium, **options):
    options.setdefault("viewport", DESKTOP)
    options.setdefault("locale", "de-DE")
    context = chromium.new_context(**options)
    context.on("page", browser.count_runs)
    context.dialogs = []

    def on_dialog(dialog, dialogs=context.dialogs):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("dialog", on_dialog)
    context.set_default_timeout(30_000)
    _contexts.append(context)
    return context


def _close(context) -> None:
    _contexts.remove(context)
    context.close()


@pytest.fixture
def new_context(chromium) -> Iterator[Callable[..., object]]:
    """``new_context(**options)``: a browser context (Playwright options; desktop size by default)."""
    made = []

    def make(**options):
        made.append(_context(chromium, **options))
        return made[-1]

    yield make
    for context in made:
        _close(context)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="module")
def module_page(chromium):
    """One page for a whole module (its browser cache makes page loads quicker)."""
    context = _context(chromium)
    yield context.new_page()
    _close(context)


# --- axe-core ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from the npm registry at test time (never committed)."""
    if not AXE_FILE.exists():
        npm = shutil.which("npm")
        if npm is None:
            problem = f"axe-core is not in {AXE_FILE.parent} and npm is not installed"
            skip_or_fail(f"!!! ACCESSIBILITY AUDIT SKIPPED: {problem} !!!", ci_reason=f"{problem}.")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--no-save", AXE_PACKAGE],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not AXE_FILE.exists():
            pytest.fail(f"npm install {AXE_PACKAGE} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return AXE_FILE.read_text(encoding="utf-8")


# --- what a failure leaves --------------------------------------------------------------------


def _slug(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[-150:]


BROWSER_FIXTURES = {"app_server", "start_server", "chromium", "new_context", "page", "module_page"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    uses_browser = BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    if report.failed and report.when in ("setup", "call") and uses_browser and (_servers or _contexts):
        _attach_evidence(item, report)
    return report


def _attach_evidence(item, report) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    slug = _slug(item.nodeid)
    saved = []
    for c, context in enumerate(list(_contexts)):
        for p, open_page in enumerate(context.pages):
            path = ARTIFACTS / f"{slug}-context{c}-page{p}.png"
            try:
                open_page.screenshot(path=str(path), full_page=True, timeout=10_000)
                saved.append(f"{path.relative_to(ROOT)}  ({open_page.url})")
            except Exception as error:  # a crashed page must not hide the test's own failure
                saved.append(f"{path.relative_to(ROOT)}: no screenshot ({error.__class__.__name__}: {error})")
    for server in {s.log_path: s for s in _servers}.values():  # a restarted server shares its log
        log = server.log()
        path = ARTIFACTS / f"{slug}-server-{server.port}.log"
        path.write_text(log, encoding="utf-8")
        saved.append(str(path.relative_to(ROOT)))
        tail = "\n".join(log.splitlines()[-LOG_TAIL_LINES:])
        report.sections.append((f"app server log, port {server.port} (last {LOG_TAIL_LINES} lines)", tail))
    if saved:
        report.sections.append(("browser test artifacts", "\n".join(saved)))
