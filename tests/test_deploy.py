"""The tested deployment: deploy/nginx.conf in front of two app replicas on one PostgreSQL.

A browser goes through nginx (TLS with a throw-away certificate), answers questions, and
the replica that holds its session is killed. The browser reconnects through nginx to the
other replica and goes on: every answer and the wizard's step are there, and the next
answer is saved. The access log (which names the upstream of each request) shows that
every request of one browser went to one replica until it died: the route cookie, not the
client's address, keeps it there. A workshop's dashboard on one replica sees what its
participants answer on the other.

Needs nginx (``.ci/run`` installs it), Chromium and PostgreSQL (pgserver): without them the
test is skipped with a loud reason locally and fails with ``CI=true``.
"""

from __future__ import annotations

import re
import signal
import ssl
import subprocess
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from playwright.sync_api import expect
from storage_fixtures import _new_pg_database
from test_browser import answer, assert_shown, fill, open_page, press_button, start_assessment, step_header, step_name
from test_http import fetch, local_copy, nginx, wait_for_proxy

import browser
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.schema import DONT_KNOW
from ktmsc.storage import Store

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@dataclass
class Proxy:
    url: str
    process: subprocess.Popen
    access_log: object

    def upstreams(self) -> list[str]:
        """The replica ("127.0.0.1:PORT") of every request logged so far, in order."""
        text = self.access_log.read_text(encoding="utf-8") if self.access_log.exists() else ""
        return re.findall(r" (127\.0\.0\.1:\d+)$", text, re.M)


@pytest.fixture
def replicas(pg_server, start_server, tmp_path, monkeypatch):
    """Two app servers on one new PostgreSQL database behind deploy/nginx.conf."""
    executable = nginx()
    url = pg_server.get_uri(_new_pg_database(pg_server))
    # Every replica must accept the XSRF cookie the other one issued (README, step 2).
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "one-secret-for-every-replica")
    servers = [start_server(url), start_server(url)]
    https_port, http_port = browser.free_port(), browser.free_port()
    config = local_copy(tmp_path, [s.port for s in servers], https_port, http_port)
    process = subprocess.Popen([executable, "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    proxy = Proxy(f"https://127.0.0.1:{https_port}", process, tmp_path / "ktmsc.access.log")
    wait_for_proxy(proxy.url, process)
    store = Store(url)
    yield proxy, servers, store
    store.close()
    process.send_signal(signal.SIGQUIT)
    process.wait(timeout=15)


def assert_route_cookies(proxy) -> None:
    """Each new browser gets a random route of its own, in a cookie scripts cannot read."""
    unverified = ssl._create_unverified_context()
    _status, headers, _ = fetch(f"{proxy.url}/?lang=de", unverified)
    cookie = SimpleCookie(headers["set-cookie"][0])["ktmsc_route"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert re.fullmatch(r"[0-9a-f]{32}", cookie.value), "a random route, nothing else"
    _status, second, _ = fetch(f"{proxy.url}/?lang=de", unverified)
    assert SimpleCookie(second["set-cookie"][0])["ktmsc_route"].value != cookie.value


def test_killing_the_replica_that_holds_the_session_loses_nothing(replicas, new_context, questionnaire):
    proxy, servers, store = replicas
    assert_route_cookies(proxy)
    log_start = len(proxy.upstreams())
    page = new_context(ignore_https_errors=True).new_page()
    token = start_assessment(page, proxy, "de", "Zwei Replikate", ["mobilitaet"])
    general = {
        "g_strategy": "adopted",
        "g_cooperation": ["it_provider", "intermunicipal"],
        "g_staff_fte": 3.5,
        "g_training": DONT_KNOW,
        "g_cdo": "on_the_side",
    }
    for item_id, value in general.items():  # the general section's first topic
        answer(page, "de", questionnaire.items[item_id], value)
    for _ in questionnaire.general.topics:
        press_button(page, "Weiter")
    mobility = f"{len(questionnaire.general.topics) + 1}. Mobilität"
    assert step_name(step_header(page)) == mobility
    domain = {"mo_responsible_unit": "named_person"}
    answer(page, "de", questionnaire.items["mo_responsible_unit"], "named_person")

    used = set(proxy.upstreams()[log_start:])
    assert len(used) == 1, f"one browser, one replica: {used}"
    holder = next(s for s in servers if f"127.0.0.1:{s.port}" in used)
    other = next(s for s in servers if s is not holder)
    holder.stop(signal.SIGKILL)

    # Streamlit reconnects on its own; nginx finds the holder gone and picks the other.
    page.wait_for_selector(browser.APP_IDLE, timeout=60_000)
    browser.wait_for_run(page)
    assert step_name(step_header(page)) == mobility, "the step survived the failover"
    assert_shown(page, "de", questionnaire, domain)
    answer(page, "de", questionnaire.items["mo_mobility_concept"], "in_preparation")
    for _ in questionnaire.general.topics:  # back to the first topic
        press_button(page, "Zurück")
    assert_shown(page, "de", questionnaire, general)
    saved = store.open_for_edit(token).assessment.answers
    assert saved == general | domain | {"mo_mobility_concept": "in_preparation"}
    assert proxy.upstreams()[-1] == f"127.0.0.1:{other.port}"


def test_a_dashboard_on_one_replica_sees_answers_given_on_the_other(replicas, new_context, questionnaire):
    _proxy, servers, store = replicas
    created = store.create_workshop(
        title="Zwei Replikate",
        profile=AssessmentProfile(name="Musterstadt", population=42_000),
        domains=["mobilitaet"],
        perspective="verwaltung",
    )
    store.set_workshop_revealed(created.workshop.id, True)  # the group shown from the start
    facilitator = new_context().new_page()
    open_page(facilitator, servers[0], "workshop", lang="de", f=created.facilitator_key)
    facilitator.get_by_text("Noch niemand ist beigetreten.").wait_for()
    for name, value in {"Anna": "none", "Ben": "resourced_monitored"}.items():
        phone = new_context().new_page()
        open_page(phone, servers[1], "join", lang="de", w=created.join_token)
        fill(phone, "join.name", name)
        phone.get_by_role("button", name="Teilnehmen", exact=True).click()
        phone.wait_for_url("**/questions?**")
        browser.wait_for_run(phone)
        answer(phone, "de", questionnaire.items["g_strategy"], value)
    # The dashboard refreshes itself and counts both, although they joined elsewhere.
    joined = facilitator.locator("[data-testid='stMetric']", has_text="Beigetreten")
    expect(joined.locator("[data-testid='stMetricValue']")).to_have_text("2", timeout=30_000)
    # Their answers differ, so the question leads the discussion agenda.
    facilitator.get_by_text(f"1. {questionnaire.items['g_strategy'].text.de}", exact=False).first.wait_for()
    assert len(store.workshop_participants(created.workshop.id)) == 2
