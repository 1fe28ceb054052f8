"""Startup: from ``streamlit run serve.py`` (as ``make run`` starts the app) to the first finished page run,
against hello world.

A before/after on the same machine at the same time, with another checkout (e.g. ``git worktree
add /tmp/before <rev>``, sharing this ``.venv``)::

    .venv/bin/python -m benchmarks.startup --against /tmp/before --repeats 11

starts this tree's app, the other tree's app and hello world in turn and prints the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from benchmarks.client import Session
from benchmarks.fixtures import LANG, Fixture
from benchmarks.report import Figure, Report, log, median
from benchmarks.server import HELLO, ROOT, SERVE, Server


async def _start_once(fx: Fixture, script, query: str, name: str, extra: list[str], root: Path = ROOT) -> float:
    with Server(script, fx.url, fx.tmp, name=f"startup-{name}", extra=extra, root=root) as server:
        healthy = server.wait_healthy(timeout=120)
        session, run = await Session.open(server.port, "", query)
        finished = time.perf_counter() - server.started_at
        await session.close()
        if not run.ok:
            raise RuntimeError(f"{name}: first run failed: {run.exceptions or run.errors or run.status}")
        log(f"startup {name}: healthy after {healthy * 1000:.0f} ms, first run finished after {finished * 1000:.0f} ms")
        return finished


HELLO_LABEL = "hello world"


async def _in_turn(fx: Fixture, trees: dict[str, Path], repeats: int, extra: list[str]) -> dict[str, list[float]]:
    """Start times (s) of each tree's ``serve.py`` (by label), then of hello world, in turn ``repeats`` times."""
    times: dict[str, list[float]] = {label: [] for label in [*trees, HELLO_LABEL]}
    for _ in range(repeats):
        for label, tree in trees.items():
            times[label].append(await _start_once(fx, tree / SERVE.name, f"lang={LANG}", "app", extra, tree))
        times[HELLO_LABEL].append(await _start_once(fx, HELLO, "", "hello", extra))
    return times


async def startup(fx: Fixture, report: Report, *, repeats: int = 3, extra: list[str] | None = None) -> None:
    times = await _in_turn(fx, {"app": ROOT}, repeats, extra or [])
    app_times, hello_times = times["app"], times[HELLO_LABEL]
    app_ms, hello_ms = median(app_times) * 1000, median(hello_times) * 1000
    # The machine's speed drifts between runs (hello world alone took 380 to 730 ms within an
    # hour): each app start is set against the hello world started right after it.
    pairs = [app / hello for app, hello in zip(app_times, hello_times, strict=True)]
    report.add(Figure("startup_ms_app", app_ms, "ms", samples=repeats, note="serve.py, start page, ?lang=de"))
    report.add(Figure("startup_ms_hello", hello_ms, "ms", samples=repeats))
    report.add(
        Figure(
            "startup_ratio",
            median(pairs),
            "x",
            budget="<= 1.3",
            samples=repeats,
            note="app / hello world started right after it, median of the pairs",
            detail={"pairs": [round(p, 2) for p in pairs], "ratio_of_medians": round(app_ms / hello_ms, 2)},
        )
    )


async def compare(fx: Fixture, trees: dict[str, Path], repeats: int) -> dict[str, float]:
    """Median start-up (ms) of each tree's ``serve.py`` (by label) and of hello world, started in turn."""
    times = await _in_turn(fx, trees, repeats, [])
    return {label: median(values) * 1000 for label, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, action="append", required=True, help="another checkout's root")
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args(argv)
    trees = {"this tree": ROOT, **{str(path): path.resolve() for path in args.against}}
    fx = Fixture.create()
    try:
        found = asyncio.run(compare(fx, trees, args.repeats))
    finally:
        fx.close()
    hello = found[HELLO_LABEL]
    for label, value in found.items():
        print(f"{label}: {value:.0f} ms" + ("" if label == HELLO_LABEL else f", ÷ {HELLO_LABEL} {value / hello:.2f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
