"""Streamlit servers for the benchmarks: free loopback ports, a temporary database, always stopped.

Every server is started as ``python -m streamlit run <script>`` (or through a launcher module that
takes streamlit's arguments, as the profiler does) from the project root (so
``.streamlit/config.toml`` applies, as with ``make run``; only the file watcher is off, so
that edits made during a run do not reload modules mid-measurement), in its own process group, with
``KTMSC_DATABASE_URL`` pointing at the benchmark's temporary SQLite file. Servers are
stopped when their ``with`` block ends, on exceptions and Ctrl-C, and at interpreter exit
as a last resort; only the processes started here are signalled.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
APP = ROOT / "app.py"
SERVE = ROOT / "serve.py"  # the app as served (`make run`): app.py behind the security headers
BARE_QUESTIONS = BENCH_DIR / "bare_questions.py"
HELLO = BENCH_DIR / "hello.py"

_LIVE: set[Server] = set()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database_url: str, port: int, root: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        KTMSC_DATABASE_URL=database_url,
        KTMSC_PUBLIC_URL=f"http://127.0.0.1:{port}",
        PYTHONPATH=os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p),
        PYTHONUNBUFFERED="1",
    )
    return env


class Server:
    """One ``streamlit run`` process on 127.0.0.1:<free port>."""

    def __init__(
        self,
        script: Path,
        database_url: str,
        log_dir: Path,
        *,
        name: str | None = None,
        extra: list[str] | None = None,
        launcher: str = "streamlit",
        stop_timeout: float = 10.0,
        root: Path = ROOT,
    ) -> None:
        self.script = script
        self.extra = list(extra or [])  # further ``--section.option value`` flags (what-if runs)
        self.launcher = launcher  # the module run as ``python -m``: streamlit, or a wrapper taking its arguments
        self.stop_timeout = stop_timeout  # seconds between SIGTERM and SIGKILL
        self.port = free_port()
        self.name = name or script.stem
        self.root = root  # the project tree it runs in (another checkout for a before/after)
        self.env = bench_env(database_url, self.port, root)
        self.log_path = log_dir / f"{self.name}-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> Server:
        command = [
            sys.executable,
            "-m",
            self.launcher,
            "run",
            str(self.script),
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # Others edit the code while benchmarks run: a watcher would reload modules mid-measurement.
            "--server.fileWatcherType",
            "none",
            *self.extra,
        ]
        log = self.log_path.open("wb")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            command, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        _LIVE.add(self)
        return self

    def wait_healthy(self, timeout: float = 60.0, interval: float = 0.02) -> float:
        """Poll ``/_stcore/health`` until it answers ``ok``; returns the time since start."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/_stcore/health")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200 and body.strip() == b"ok":
                    return time.perf_counter() - self.started_at
            except OSError:
                pass
            time.sleep(interval)
        raise RuntimeError(f"{self.name} server not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def last_traceback(self) -> str:
        """The last Python traceback in the server's log ("" when there is none)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        start = text.rfind("Traceback (most recent call last)")
        return "" if start < 0 else text[start : start + 3000]

    def memory_mb(self) -> dict[str, float]:
        """VmRSS and VmHWM (peak resident memory since start) of the server process, in MB."""
        out: dict[str, float] = {}
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    out[name] = int(rest.split()[0]) / 1024
        return out

    def reset_peak(self) -> bool:
        """Set VmHWM back to the current resident memory (Linux's ``clear_refs`` 5), so that the
        next peak read is this measurement's; False where the kernel does not allow it."""
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as clear:
                clear.write("5")
        except OSError:
            return False
        return True

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        _LIVE.discard(self)
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group we created: the server and nothing else
        try:
            proc.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def __enter__(self) -> Server:
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for server in list(_LIVE):
        server.stop()


@contextlib.contextmanager
def postgres_database(folder: Path | str, name: str) -> Iterator[str]:
    """The URL of an empty database ``name`` on a PostgreSQL server started for it in ``folder``
    (pgserver, stopped at the end of the ``with`` block)."""
    import pgserver

    server = pgserver.get_server(str(folder), cleanup_mode="stop")
    try:
        server.psql(f"CREATE DATABASE {name};")
        yield server.get_uri(name)
    finally:
        server.cleanup()


def cpu_seconds_self() -> float:
    times = os.times()
    return times.user + times.system


class CpuWatch:
    """CPU used during a measurement: by our servers, by this process, and by everything else (noise)."""

    def __init__(self, *servers: Server) -> None:
        self.servers = servers
        self.begin = time.perf_counter()
        self.machine = cpu_seconds_machine()
        self.own = cpu_seconds_self()
        self.server = sum(s.cpu_seconds() for s in servers)

    def stop(self) -> dict[str, float]:
        window = time.perf_counter() - self.begin
        machine = cpu_seconds_machine() - self.machine
        own = cpu_seconds_self() - self.own
        server = sum(s.cpu_seconds() for s in self.servers) - self.server
        return {
            "window_s": round(window, 2),
            "servers_cpu_pct": round(100 * server / window, 1),
            "client_cpu_pct": round(100 * own / window, 1),
            "other_processes_cpu_pct": round(100 * max(0.0, machine - server - own) / window, 1),
        }


def noise_note(cpu: dict[str, float], threshold: float = 20.0) -> str:
    """A warning for the printed line when other processes used the machine during the measurement."""
    other = cpu.get("other_processes_cpu_pct", 0.0)
    return f"[noisy: other processes used {other:.0f} % CPU]" if other >= threshold else ""


def cpu_seconds_machine() -> float:
    """Busy CPU time of the whole machine (all cores) so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
