"""Where the server's time goes: cProfile of a real Streamlit server (all threads) while the client reruns a page.

    .venv/bin/python -m benchmarks.profiling questions     # or: results, bare, answer, dashboard
    .venv/bin/python -m benchmarks.profiling dashboard --participants 1000
    .venv/bin/python -m benchmarks.profiling results --reruns 60 --set runner.postScriptGC=false

Prints the per-rerun cost of the heaviest functions (cumulative, wall-clock per thread,
profiler overhead included: compare functions with each other, not with the benchmark's
figures) and writes the raw stats (``--out``) for ``python -m pstats`` or snakeviz.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import random
import re
import signal
import sys
import time
from pathlib import Path

from benchmarks import workshop as workshop_bench
from benchmarks.client import Session
from benchmarks.fixtures import LANG, Fixture, option_ids, quiet_single_item
from benchmarks.pages import GAP_S
from benchmarks.report import median
from benchmarks.server import APP, BARE_QUESTIONS, ROOT, Server

TARGETS = {
    "questions": (APP, "questions"),
    "answer": (APP, "questions"),
    "results": (APP, "results"),
    "bare": (BARE_QUESTIONS, ""),
    "dashboard": (APP, "workshop"),  # a quarter of the participants change an answer before each rerun
}
SHOW = r"ktmsc/|vega_lite|dataframe|model_validate|bare_questions|code_to_exec|gc\.collect|_enqueue_forward_msg|filtered_state|marshall|to_arrow|serialize"


async def _drive(fx: Fixture, target: str, port: int, reruns: int, start_profiling, participants: int) -> list[float]:
    page = TARGETS[target][1]
    query = f"lang={LANG}" if target == "bare" else fx.query(fx.main)
    if target == "dashboard":
        key, ids = workshop_bench.create_workshop(fx, participants)
        query, rng = f"lang={LANG}&f={key}", random.Random(participants + 1)
    session, first = await Session.open(port, page, query)
    if not first.ok:
        raise RuntimeError(f"first run failed: {first.exceptions or first.errors}")
    changes = None
    if target == "answer":
        item = quiet_single_item(fx.q)
        radio = session.by_key(f"q.{LANG}.{item.id}.answer")
        labels = radio.options[: len(option_ids(item)) - 1]
    times = []
    for i in range(reruns + 5):
        if target == "answer":
            radio = session.by_key(f"q.{LANG}.{item.id}.answer")
            changes = {radio.id: labels[i % 2]}
        if target == "dashboard":
            workshop_bench.some_change_an_answer(fx, ids, rng)
        if i == 5:
            start_profiling()
            await asyncio.sleep(0.5)
        await asyncio.sleep(GAP_S)
        run = await session.rerun(changes)
        if i >= 5:
            times.append(run.elapsed_s)
    await session.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profiling", description=__doc__)
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--reruns", type=int, default=40)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--participants", type=int, default=200, help="dashboard: participants (default 200)")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.OPTION=VALUE")
    parser.add_argument("--out", type=Path, default=None, help="raw stats file (default: a temp file, kept)")
    args = parser.parse_args(argv)
    extra = []
    for setting in args.set:
        name, _, value = setting.partition("=")
        extra += [f"--{name}", value]
    fx = Fixture.create(keep=True)
    out = args.out or fx.tmp / f"{args.target}.prof"
    # The same server under the profiling launcher; a long stop timeout lets it write its stats.
    server = Server(
        TARGETS[args.target][0],
        fx.url,
        fx.tmp,
        name=f"profile-{args.target}",
        extra=extra,
        launcher="benchmarks._profiled_server",
        stop_timeout=30,
    )
    server.env["KTMSC_PROFILE_OUT"] = str(out)
    try:
        with server:
            server.wait_healthy(timeout=120)
            times = asyncio.run(
                _drive(
                    fx,
                    args.target,
                    server.port,
                    args.reruns,
                    lambda: os.kill(server.pid, signal.SIGUSR1),
                    args.participants,
                )
            )
    finally:
        fx.store.close()
    for _ in range(50):
        if out.exists():
            break
        time.sleep(0.1)
    runs = args.reruns
    print(f"{args.target}: median {median(times) * 1000:.0f} ms per rerun under the profiler")
    print(f"stats: {out}  (profiled: {runs} runs after 5 warm-up runs; 'cumtime' ÷ {runs} = per run)")
    stats = pstats.Stats(str(out))
    pattern = re.compile(SHOW)
    rows = []
    for (path, line, name), (_cc, calls, own, cumulative, _callers) in stats.stats.items():
        where = f"{path}:{line}({name})"
        if pattern.search(where):
            short = where.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            rows.append((cumulative, own, calls, short))
    print(f"{'ms/run cum':>10} {'ms/run own':>10} {'calls/run':>9}  function")
    for cumulative, own, calls, short in sorted(rows, reverse=True)[: args.top]:
        print(f"{cumulative * 1000 / runs:10.1f} {own * 1000 / runs:10.1f} {calls / runs:9.1f}  {short}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
