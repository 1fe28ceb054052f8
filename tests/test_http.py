"""The app's web server as browsers and a proxy see it: security headers on every response,
no public metrics, only this machine listening by default, and deploy/nginx.conf in front of
a real app server (which needs nginx: skipped with a loud reason without it, a failure with
``CI=true``; ``.ci/run`` installs it).

The headers come from ``ktmsc/ui/server.py``, added through ``st.App``'s middleware in
``serve.py``; if a Streamlit upgrade stops applying that middleware, these tests fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from storage_fixtures import skip_or_fail

import browser
from ktmsc.ui.server import HEADERS

ROOT = browser.ROOT
NGINX_EXAMPLE = ROOT / "deploy" / "nginx.conf"
TOKEN = "Secret0Token0In0The0Query0String"  # shaped like a token; must never reach a log


def fetch(url: str, context: ssl.SSLContext | None = None) -> tuple[int, dict[str, list[str]], bytes]:
    """Status, headers (lower-case name → every value sent) and body, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        response = opener.open(url, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        headers: dict[str, list[str]] = {}
        for name, value in response.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        return response.status, headers, response.read()


def assert_security_headers(url: str, headers: dict[str, list[str]]) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name.lower()) == [value], f"{url}: {name} is {headers.get(name.lower())}, not [{value!r}]"


def paths_to_check(server_url: str) -> list[str]:
    """The page, its script and font and favicon, Streamlit's own endpoints, and a page path."""
    _, _, body = fetch(f"{server_url}/")
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', body.decode()).group(1)
    font = re.search(r'href="\./(static/media/[^"]+\.woff2)"', body.decode()).group(1)
    return [
        "/",
        "/questions?lang=de",
        f"/{script}",
        f"/{font}",
        "/favicon.png",
        "/_stcore/health",
        "/_stcore/host-config",
    ]


def test_every_response_carries_the_security_headers_and_metrics_are_not_served(start_server):
    server = start_server()
    for path in paths_to_check(server.url):
        status, headers, _ = fetch(server.url + path)
        assert status == 200, f"{path}: {status}"
        assert_security_headers(path, headers)
    for path in ["/_stcore/metrics", "/_stcore/metrics/", "/_stcore/metrics?families=session_events"]:
        status, headers, body = fetch(server.url + path)
        assert status == 404, f"{path} answers {status}: {body[:200]!r}"
        assert b"session" not in body
        assert_security_headers(path, headers)


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as the kernel lists them) with a socket listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1


def test_the_app_listens_on_this_machine_only_unless_told_otherwise(start_server):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    server = start_server(address=None)  # .streamlit/config.toml decides
    addresses = listening_addresses(server.port)
    assert addresses, f"nothing listens on port {server.port}"
    assert addresses <= LOOPBACK, f"the app listens beyond this machine: {addresses}"


# --- the nginx example ------------------------------------------------------------------------


def nginx_headers() -> dict[str, str]:
    text = NGINX_EXAMPLE.read_text(encoding="utf-8")
    return {name: value for name, value in re.findall(r'^\s*add_header\s+(\S+)\s+"([^"]*)"\s+always;', text, re.M)}


def test_the_nginx_example_sets_the_headers_the_app_sets():
    text = NGINX_EXAMPLE.read_text(encoding="utf-8")
    at_proxy = nginx_headers()
    assert {k: v for k, v in at_proxy.items() if k in HEADERS} == HEADERS
    hidden = set(re.findall(r"^\s*proxy_hide_header\s+(\S+);", text, re.M))
    assert hidden == set(HEADERS), "the app's own copies are hidden, or browsers get every header twice"
    assert "$request_uri" not in re.search(r"log_format[^;]*;", text, re.S).group(0)


def nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found is None:
        skip_or_fail(
            "!!! NGINX EXAMPLE NOT RUN: nginx is not installed (apt-get install nginx) !!!",
            ci_reason="nginx is not installed, so deploy/nginx.conf cannot be checked (.ci/run installs it).",
        )
    return found


UPSTREAM_SERVERS = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+ (max_fails=\S+ fail_timeout=\S+;)\n", re.M)


def local_copy(tmp_path: Path, app_ports: list[int], https_port: int, http_port: int) -> Path:
    """deploy/nginx.conf with this test's app servers and ports, a throw-away certificate and
    logs in ``tmp_path``, wrapped in the main context nginx needs."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = NGINX_EXAMPLE.read_text(encoding="utf-8")
    servers = UPSTREAM_SERVERS.findall(site)
    assert servers, "deploy/nginx.conf no longer lists its replicas as `server 127.0.0.1:PORT max_fails=…`"
    indent, options = servers[0]
    ours = "".join(f"{indent}server 127.0.0.1:{port} {options}\n" for port in app_ports)
    site = UPSTREAM_SERVERS.sub("", site, count=len(servers) - 1)
    site = UPSTREAM_SERVERS.sub(lambda _m: ours, site, count=1)
    for old, new in [
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/ssl/certs/selfcheck.example.de.pem", str(tmp_path / "cert.pem")),
        ("/etc/ssl/private/selfcheck.example.de.key", str(tmp_path / "key.pem")),
        ("/var/log/nginx/", f"{tmp_path}/"),
    ]:
        assert old in site, f"deploy/nginx.conf no longer has {old!r}; update this test with it"
        site = site.replace(old, new)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    main = tmp_path / "nginx.conf"
    main.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # workers must reach the test's private folder
        + f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/main-error.log;\n"
        + "events {}\nhttp {\n"
        + f"  access_log {tmp_path}/default-access.log;\n"
        + "".join(
            f"  {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return main


def wait_for_proxy(base: str, proxy: subprocess.Popen) -> ssl.SSLContext:
    """Wait until nginx at ``base`` passes the app's health check (20 s at most); returns the
    TLS context that accepts the throw-away certificate."""
    unverified = ssl._create_unverified_context()
    deadline = time.monotonic() + 20
    while True:
        try:
            fetch(f"{base}/_stcore/health", unverified)
            return unverified
        except OSError:
            if time.monotonic() > deadline or proxy.poll() is not None:
                raise
            time.sleep(0.2)


def test_the_nginx_example_in_front_of_the_app(start_server, tmp_path):
    executable = nginx()
    server = start_server()
    https_port, http_port = browser.free_port(), browser.free_port()
    config = local_copy(tmp_path, [server.port], https_port, http_port)
    checked = subprocess.run([executable, "-t", "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, f"nginx -t rejects deploy/nginx.conf:\n{checked.stderr}"

    proxy = subprocess.Popen([executable, "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"https://127.0.0.1:{https_port}"
        unverified = wait_for_proxy(base, proxy)

        for path in [f"/questions?lang=de&a={TOKEN}", *paths_to_check(server.url)[2:]]:
            status, headers, _ = fetch(base + path, unverified)
            assert status == 200, f"{path} through nginx: {status}"
            assert_security_headers(f"{path} through nginx", headers)
        for path in ["/_stcore/metrics", "/_stcore/metrics?families=session_events"]:
            status, headers, _ = fetch(base + path, unverified)
            assert status == 403, f"{path} through nginx: {status}"
            assert_security_headers(f"{path} through nginx", headers)
        status, headers, _ = fetch(f"http://127.0.0.1:{http_port}/results?lang=de&s={TOKEN}")
        assert status == 301 and headers["location"][0].endswith(f"/results?lang=de&s={TOKEN}")
    finally:
        proxy.send_signal(signal.SIGQUIT)  # a graceful stop writes every log line
        proxy.wait(timeout=15)

    log = (tmp_path / "ktmsc.access.log").read_text(encoding="utf-8")
    assert '"GET /questions HTTP/1.1" 200' in log, log
    assert '"GET /results HTTP/1.1" 301' in log, log
    assert TOKEN not in log, f"a token reached the access log:\n{log}"
    assert "127.0.0.0 [" in log, f"the client's address is logged in full:\n{log}"


def test_a_path_that_is_no_page_redirects_to_the_start_page_and_files_stay_as_they_are(start_server):
    """Streamlit would answer ``/start`` with its page and an English "Page not found" dialog."""
    server = start_server()
    for path, location in [
        ("/start?lang=en&a=x", "/?lang=en&a=x"),
        ("/start", "/"),
        ("/no-such-page?lang=de", "/?lang=de"),
        ("/questions/deeper", "/"),
    ]:
        status, headers, _ = fetch(server.url + path)
        assert (status, headers.get("location")) == (302, [location]), path
        assert_security_headers(path, headers)
    for path in ["/", "/questions?lang=en", "/data", "/favicon.png", "/_stcore/health"]:
        status, _, _ = fetch(server.url + path)
        assert status == 200, path
    status, headers, _ = fetch(server.url + "/static/no-such-file.js")
    assert "location" not in headers, "a missing file is Streamlit's to answer"
