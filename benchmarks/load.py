"""Load: N concurrent sessions answering questions, against the app and against the bare script.

Each level runs on a fresh server. After a warm-up session (imports, caches, database
pool) and two idle seconds (``settle``), the resident memory is read as "idle after startup". Then
N sessions connect at once, each to its own assessment (created beforehand through the
Store), and once all have drawn the page, each of them for ``duration`` seconds: thinks
0.5–1.5 s (random), picks a visible single-choice question (a radio), changes its
answer to another option, and waits until the rerun has finished. The interaction
latency is send → ``script_finished``. At the end every session's last answers are
read back from the database.

The quick run (``once``) keeps the arrival rate and shortens the rest: every session thinks once
(0.5–1.5 s) and answers once, so N people answer within one second, as they do every second
of a full level, and each level gives N latencies instead of a handful. One server per target
serves every level, the largest first, so that the memory per session is read as on a fresh
server; the largest level's sessions stay connected, and a smaller level is the first N of
them answering while the others stay idle on the page (its ``connect_all_s`` is None).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.client import ProtocolError, Session
from benchmarks.fixtures import LANG, Fixture, item_of_key, option_ids
from benchmarks.report import Figure, Report, log, median, ms, p95
from benchmarks.server import APP, BARE_QUESTIONS, CpuWatch, Server, noise_note, postgres_database

P95_BUDGETS = {100: "< 300"}  # docs/DESIGN.md, section 5; the smaller levels show the trend
P95_BUDGET = "< 500"
MB_PER_SESSION_BUDGET = "<= 1"
THINK_S = (0.5, 1.5)


@dataclass
class Level:
    target: str
    sessions: int
    latencies: list[float] = field(default_factory=list)
    by_status: dict[str, list[float]] = field(default_factory=dict)  # fragment runs vs full-page runs
    failed_runs: list[str] = field(default_factory=list)
    warnings: int = 0
    connect_s: float | None = 0.0  # None: the sessions of a larger level, connected before
    window_s: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CpuWatch's figures for the window (other processes: noise)
    traceback: str = ""
    idle_mb: float = 0.0
    peak_mb: float = 0.0
    rss_end_mb: float = 0.0
    stored: tuple[int, int] = (0, 0)  # answers read back equal / checked

    def summary(self) -> dict:
        return {
            "sessions": self.sessions,
            "interactions": len(self.latencies),
            "p50_ms": round(median(ms(self.latencies)), 1),
            "p95_ms": round(p95(ms(self.latencies)), 1),
            "max_ms": round(max(ms(self.latencies), default=float("nan")), 1),
            "throughput_per_s": round(len(self.latencies) / self.window_s, 2) if self.window_s else None,
            "server_cpu_pct": self.cpu.get("servers_cpu_pct"),
            "client_cpu_pct": self.cpu.get("client_cpu_pct"),
            "other_processes_cpu_pct": self.cpu.get("other_processes_cpu_pct"),
            "connect_all_s": None if self.connect_s is None else round(self.connect_s, 2),
            "failed_runs": len(self.failed_runs),
            "warnings_shown": self.warnings,
            "idle_mb": round(self.idle_mb, 1),
            "peak_mb": round(self.peak_mb, 1),
            "answers_stored": f"{self.stored[0]}/{self.stored[1]}",
            "by_run_kind": {
                ("fragment" if "FRAGMENT" in status else "full page"): {
                    "runs": len(times),
                    "p50_ms": round(median(ms(times)), 1),
                    "p95_ms": round(p95(ms(times)), 1),
                }
                for status, times in self.by_status.items()
            },
        } | ({"failures": self.failed_runs[:3], "server_traceback": self.traceback} if self.failed_runs else {})


async def _user(
    fx: Fixture, session: Session, rng: random.Random, deadline: float | None, level: Level, expected: dict
) -> None:
    """Think, answer, until ``deadline``; with no deadline, think once and answer once (quick)."""
    if deadline is not None:
        await asyncio.sleep(rng.uniform(0, THINK_S[1]))  # the sessions do not start in lockstep
    while True:
        await asyncio.sleep(rng.uniform(*THINK_S))
        if deadline is not None and time.perf_counter() >= deadline:
            return
        radios = [w for w in session.widgets.values() if w.kind == "radio" and item_of_key(fx.q, w.key)]
        if not radios:
            level.failed_runs.append("no radio on the page")
            return
        radio = rng.choice(radios)
        choice = rng.choice([o for o in radio.options if o != radio.value])
        try:
            run = await session.rerun({radio.id: choice})
        except ProtocolError as exc:
            level.failed_runs.append(str(exc))
            return
        level.latencies.append(run.elapsed_s)
        level.by_status.setdefault(run.status, []).append(run.elapsed_s)
        level.warnings += len(run.warnings)
        if not run.ok:
            level.failed_runs.append("; ".join(run.exceptions + run.errors) or run.status)
        item = item_of_key(fx.q, radio.key)
        expected[item.id] = option_ids(item)[radio.options.index(choice)]
        if deadline is None:
            return


def _query(fx: Fixture, target: str, created) -> str:
    if target == "bare_fragments":
        return f"lang={LANG}&fragments=1"
    if target == "bare":
        return f"lang={LANG}"
    return fx.query(created)


@contextlib.asynccontextmanager
async def warm_servers(
    fx: Fixture,
    targets: Sequence[str],
    name: str,
    extra: list[str],
    settle: float,
    replicas: int = 1,
    meanwhile: Callable[[], object] = lambda: None,
) -> AsyncIterator[dict[str, tuple[list[Server], float]]]:
    """Per target, ``replicas`` servers, each warmed up by a session with three reruns, and their
    resident memory (MB, summed) after ``settle`` idle seconds. All start at once, and
    ``meanwhile`` runs while they boot (untimed work such as creating the sessions' assessments)."""
    with contextlib.ExitStack() as stack:
        started = {
            target: [
                stack.enter_context(Server(_script(target), fx.url, fx.tmp, name=f"{name}-{target}-{r}", extra=extra))
                for r in range(replicas)
            ]
            for target in targets
        }
        meanwhile()
        for target, servers in started.items():
            for server in servers:
                server.wait_healthy(timeout=120)
                warm, _ = await Session.open(server.port, _page(target), _query(fx, target, fx.main))
                for _ in range(3):
                    await warm.rerun()
                await warm.close()
        await asyncio.sleep(settle)
        yield {
            target: (servers, sum(server.memory_mb()["VmRSS"] for server in servers))
            for target, servers in started.items()
        }


def _script(target: str) -> Path:
    return APP if target == "app" else BARE_QUESTIONS


def _page(target: str) -> str:
    return "questions" if target == "app" else ""


async def connect(fx: Fixture, target: str, servers: list[Server], sessions: int) -> tuple[list[Session], float]:
    """``sessions`` sessions opened at once, each on its own assessment, dealt to the servers in
    turn; the seconds until all had drawn the page."""
    assessments = fx.load_assessments(sessions)
    started = time.perf_counter()
    opened = await asyncio.gather(
        *(
            Session.open(servers[i % len(servers)].port, _page(target), _query(fx, target, assessments[i]))
            for i in range(sessions)
        )
    )
    took = time.perf_counter() - started
    clients = [s for s, _run in opened]
    bad = [r for _s, r in opened if not r.ok]
    if bad:
        await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
        raise RuntimeError(
            f"{len(bad)} of {sessions} sessions did not draw the page: {bad[0].exceptions or bad[0].errors}"
        )
    return clients, took


async def run_level(
    fx: Fixture,
    target: str,
    sessions: int,
    duration: float,
    extra: list[str],
    seed: int,
    settle: float = 2.0,
    replicas: int = 1,
    *,
    once: bool = False,
    warm: tuple[list[Server], float] | None = None,
    connected: tuple[list[Session], float | None] | None = None,
) -> Level:
    """One level; with ``replicas`` > 1 that many servers share the fixture's database and the
    sessions are dealt to them in turn, as the proxy's random route spreads browsers. On fresh
    servers, or on ``warm`` ones (servers and their idle memory) that earlier levels used; with
    ``once``, every session answers once instead of for ``duration`` seconds. ``connected``: the
    first ``sessions`` of these open sessions answer (the others stay idle), and the seconds it
    took to connect them (None where an earlier level's connection is reused)."""
    if warm is None:
        name = f"load-{sessions}" + (f"-r{replicas}" if replicas > 1 else "")
        async with warm_servers(fx, [target], name, extra, settle, replicas) as fresh:
            return await run_level(fx, target, sessions, duration, extra, seed, once=once, warm=fresh[target])
    servers, idle_mb = warm
    level = Level(target, sessions, idle_mb=idle_mb)
    assessments = fx.load_assessments(sessions)
    for server in servers:
        server.reset_peak()  # this level's peak, also on a server an earlier level used
    owned = connected is None
    if connected is None:
        connected = await connect(fx, target, servers, sessions)
    clients, level.connect_s = connected[0][:sessions], connected[1]
    expected: list[dict] = [{} for _ in clients]
    rng = random.Random(seed)
    watch = CpuWatch(*servers)
    begin = time.perf_counter()
    deadline = None if once else begin + duration
    try:
        await asyncio.gather(
            *(
                _user(fx, client, random.Random(rng.randrange(2**32)), deadline, level, expected[i])
                for i, client in enumerate(clients)
            )
        )
        level.window_s = time.perf_counter() - begin
        level.cpu = watch.stop()
        memories = [server.memory_mb() for server in servers]
        level.peak_mb = sum(m["VmHWM"] for m in memories)
        level.rss_end_mb = sum(m["VmRSS"] for m in memories)
    finally:
        if owned:
            await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
        if level.failed_runs:
            level.traceback = next((t for t in (s.last_traceback() for s in servers) if t), "")
            log(f"server log, last traceback:\n{level.traceback}")
    if target == "app":
        checked = equal = 0
        for i, answers in enumerate(expected):
            for item_id, option in answers.items():
                checked += 1
                equal += fx.stored_answer(assessments[i], item_id) == option
        level.stored = (equal, checked)
    summary = level.summary()
    log(f"load {target} N={sessions}: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k != "sessions"))
    return level


async def load(
    fx: Fixture,
    report: Report,
    *,
    levels: list[int],
    duration: float,
    settle: float = 2.0,
    extra: list[str] | None = None,
    bare_fragments: bool = False,
    replicas: int = 1,
    once: bool = False,
) -> None:
    """Every level against the app and the bare script (and the fragments what-if); ``once``: the
    quick run (see the module's docstring)."""
    results: dict[str, dict] = {}
    extra = extra or []
    targets = ["app", "bare"] + (["bare_fragments"] if bare_fragments else [])
    async with contextlib.AsyncExitStack() as stack:
        warm: dict[str, tuple[list[Server], float]] = {}
        open_: dict[str, list[Session]] = {}
        if once:
            warm = await stack.enter_async_context(
                warm_servers(fx, targets, "load", extra, settle, meanwhile=lambda: fx.load_assessments(max(levels)))
            )
        for n in sorted(levels, reverse=True) if once else levels:
            measured = {}
            for target in targets:
                connected = None
                if once:  # the largest level connects its sessions; the smaller ones reuse the first n
                    took = None
                    if target not in open_:
                        open_[target], took = await connect(fx, target, warm[target][0], n)
                        stack.push_async_callback(_close_all, open_[target])
                    connected = (open_[target], took)
                measured[target] = await run_level(
                    fx,
                    target,
                    n,
                    duration,
                    extra,
                    seed=n,
                    settle=settle,
                    once=once,
                    warm=warm.get(target),
                    connected=connected,
                )
            app, bare = measured["app"], measured["bare"]
            results[f"app_{n}"], results[f"bare_{n}"] = app.summary(), bare.summary()
            _add_figures(report, n, app, bare)
            if what_if := measured.get("bare_fragments"):
                results[f"bare_fragments_{n}"] = what_if.summary()
                report.add(
                    Figure(
                        f"load_p95_ms_{n}_bare_fragments",
                        p95(ms(what_if.latencies)),
                        "ms",
                        samples=len(what_if.latencies),
                        note=f"what-if: bare script, each question an st.fragment {noise_note(what_if.cpu)}".strip(),
                        detail=what_if.summary(),
                    )
                )
            _check(report, f"load N={n}", app, bare)
            if n == max(levels):
                report.add(Figure("server_peak_mb", app.peak_mb, "MB", note=f"VmHWM, N={n}"))
                report.add(
                    Figure(
                        "mb_per_session",
                        (app.peak_mb - app.idle_mb) / n,
                        "MB",
                        MB_PER_SESSION_BUDGET,
                        note=f"(peak − idle {app.idle_mb:.0f} MB) / {n}; bare {(bare.peak_mb - bare.idle_mb) / n:.1f}",
                    )
                )
    if replicas > 1 and levels:
        n = max(levels)
        app, bare = await replicated_level(n, duration, extra, settle, replicas)
        results[f"app_{n}_replicas"], results[f"bare_{n}_replicas"] = app.summary(), bare.summary()
        note = f"{replicas} app servers on one PostgreSQL database, sessions dealt in turn"
        _add_figures(report, n, app, bare, "_replicas", (note, f"{replicas} bare servers"), {"replicas": replicas})
        _check(report, f"load N={n}, {replicas} replicas", app, bare)
    report.meta["load"] = {
        "duration_s": None if once else duration,
        "once": once,
        "think_s": THINK_S,
        "replicas": replicas,
        "levels": results,
    }


async def _close_all(sessions: list[Session]) -> None:
    await asyncio.gather(*(session.close() for session in sessions), return_exceptions=True)


def _add_figures(
    report: Report,
    n: int,
    app: Level,
    bare: Level,
    suffix: str = "",
    notes: tuple[str, str] = ("", ""),
    detail: dict | None = None,
) -> None:
    """A level's figures: the app's p95 (with its budget), the bare script's, and their ratio."""
    app_p95, bare_p95 = p95(ms(app.latencies)), p95(ms(bare.latencies))
    for name, level, value, budget, note in (
        (f"load_p95_ms_{n}{suffix}", app, app_p95, P95_BUDGETS.get(n, P95_BUDGET), notes[0]),
        (f"load_p95_ms_{n}{suffix}_bare", bare, bare_p95, None, notes[1]),
    ):
        report.add(
            Figure(
                name,
                value,
                "ms",
                budget,
                samples=len(level.latencies),
                note=f"{note} {noise_note(level.cpu)}".strip(),
                detail={**(detail or {}), **level.summary()},
            )
        )
    ratio_note = "p95 app / p95 bare" + (", replicas" if suffix else "")
    report.add(Figure(f"load_ratio_{n}{suffix}", app_p95 / bare_p95, "x", note=ratio_note))


def _check(report: Report, label: str, app: Level, bare: Level) -> None:
    """Every interaction of the app and the bare script finished without error; the app's
    sessions' last answers are in the database."""
    failed = app.failed_runs or bare.failed_runs
    report.check(
        f"{label}: every interaction finished without error",
        not failed,
        f"app {len(app.failed_runs)} failed, bare {len(bare.failed_runs)} failed"
        + (f" (first: {failed[0][:200]})" if failed else ""),
    )
    report.check(
        f"{label}: answers stored",
        app.stored[0] == app.stored[1] and app.stored[1] > 0,
        f"{app.stored[0]}/{app.stored[1]} last answers per session and item read back from the database",
    )


async def replicated_level(
    sessions: int, duration: float, extra: list[str], settle: float, replicas: int
) -> tuple[Level, Level]:
    """The deployment README.md describes for many people at once: ``replicas`` app servers on one
    PostgreSQL database (a server started for the run, pgserver), against as many bare servers.
    The database server's CPU counts as other processes' (noise) in this level's figures."""
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="ktmsc-bench-pg-") as folder,
        postgres_database(folder, "bench_load") as url,
    ):
        fx = Fixture.create(url=url)
        try:
            app = await run_level(fx, "app", sessions, duration, extra, seed=sessions, settle=settle, replicas=replicas)
            bare = await run_level(
                fx, "bare", sessions, duration, extra, seed=sessions, settle=settle, replicas=replicas
            )
        finally:
            fx.close()
    return app, bare
