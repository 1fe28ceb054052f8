"""``python -m benchmarks``: measure, print one line per figure, write ``benchmarks/results.json``.

Groups (``--only a,b``): questions, results, workshop, startup, score, report, load, quick, rounds. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from pathlib import Path

from benchmarks import load as load_bench
from benchmarks import pages, startup
from benchmarks import rounds as rounds_bench
from benchmarks import workshop as workshop_bench
from benchmarks.fixtures import Fixture
from benchmarks.pdf_report import report_pdf
from benchmarks.quick import RANDOM_SETS, quick_check
from benchmarks.report import RESULTS, Report, log
from benchmarks.score import scoring
from benchmarks.server import APP, BARE_QUESTIONS, Server

GROUPS = ("questions", "results", "workshop", "startup", "score", "report", "load", "quick", "rounds")
# --quick: the same figures with fewer repetitions (aimed at 90 s on a 2-core machine), for a check at every change.
QUICK = {
    "reps": 4,
    "once": True,  # load: every session answers once, one server per target for every level
    "settle": 0.5,
    "dashboard_reps": 3,
    "startup_repeats": 1,
    "score_repeats": 1,
    "report_repeats": 3,
    "round_reps": 2,
    "reference_every": 10,  # score: the reference scorer on every 10th of the round's answer sets
    "random_sets": 200,  # quick: random answer sets besides the panel
    "replicas": 1,  # the replicated level starts a PostgreSQL server and eight app servers: the full run only
}
FULL = {
    "startup_repeats": 7,
    "score_repeats": 3,
    "report_repeats": 5,
    "round_reps": 7,
    "reference_every": 1,
    "random_sets": RANDOM_SETS,
}


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups of {', '.join(GROUPS)}")
    parser.add_argument("--reps", type=int, default=60, help="measured reruns per page and script (default 60)")
    parser.add_argument("--duration", type=float, default=30.0, help="load: seconds per level (default 30)")
    parser.add_argument(
        "--once",
        action="store_true",
        help="load: every session thinks once and answers once instead of for --duration, and one server "
        "per target serves every level, the largest first (the quick run's load)",
    )
    parser.add_argument("--sessions", default="10,25,50,100", help="load: session counts (default 10,25,50,100)")
    parser.add_argument(
        "--participants",
        default="50,200,1000",
        help="workshop: participant counts of the dashboards (default 50,200,1000)",
    )
    parser.add_argument(
        "--dashboard-reps", type=int, default=10, help="workshop: measured reruns per dashboard size (default 10)"
    )
    parser.add_argument(
        "--round-size", type=int, default=10_800, help="rounds: municipalities in the round (default 10800)"
    )
    parser.add_argument("--round-reps", type=int, default=7, help="rounds: measured reruns per backend (default 7)")
    parser.add_argument(
        "--settle", type=float, default=2.0, help="load: idle seconds before a level's idle memory is read (default 2)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.OPTION=VALUE",
        help="what-if: pass a Streamlit option to every server (e.g. runner.postScriptGC=false); "
        "results then go to benchmarks/results-whatif.json unless --out is given",
    )
    parser.add_argument("--out", type=Path, help="where to write the JSON (default benchmarks/results.json)")
    parser.add_argument(
        "--bare-fragments",
        action="store_true",
        help="load: also run the bare script with each question as an st.fragment (what-if)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=4,
        help="load: at the largest level, also that many app servers on one PostgreSQL database "
        "(the deployment for many people at once; default 4, 1 = none)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, server logs)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every figure with fewer repetitions and shorter load levels (aimed at 90 s); marked as quick in the JSON",
    )
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name, None) == parser.get_default(name):  # what was not given on the command line
            setattr(args, name, value)
    args.groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s) {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
    args.levels = [int(n) for n in args.sessions.split(",") if n.strip()]
    args.participants = tuple(int(n) for n in args.participants.split(",") if n.strip())
    args.extra = []
    for setting in args.set:
        name, sep, value = setting.partition("=")
        if not sep or "." not in name:
            parser.error(f"--set expects SECTION.OPTION=VALUE, got {setting!r}")
        args.extra += [f"--{name}", value]
    if args.out is None:
        args.out = RESULTS if not (args.extra or args.bare_fragments) else RESULTS.with_name("results-whatif.json")
    return args


async def _guarded(report: Report, name: str, work, *servers: Server) -> None:
    """Run one part; if it fails (the app raised, a check could not run), record that and go on."""
    try:
        await work
    except Exception as exc:  # any failure of one part must not lose the others
        traceback = next((tb for tb in (s.last_traceback() for s in servers) if tb), "")
        report.check(
            f"{name} ran", False, f"{type(exc).__name__}: {str(exc)[:400]}" + (f"\n{traceback}" if traceback else "")
        )


async def _pages(fx: Fixture, report: Report, args: argparse.Namespace) -> None:
    with (
        Server(APP, fx.url, fx.tmp, name="app", extra=args.extra) as app,
        Server(BARE_QUESTIONS, fx.url, fx.tmp, name="bare", extra=args.extra) as bare,
    ):
        app.wait_healthy(timeout=120)
        bare.wait_healthy(timeout=120)
        if "questions" in args.groups:
            answer_reps = args.reps if args.quick else max(20, args.reps * 3 // 4)
            await _guarded(
                report,
                "questions",
                pages.questions(fx, app, bare, report, reps=args.reps, answer_reps=answer_reps),
                app,
                bare,
            )
            await _guarded(report, "AppTest comparison", _apptest_check(fx, app, report), app)
        if "results" in args.groups:
            await _guarded(report, "results", pages.results(fx, app, report, reps=args.reps), app)
            what_if_reps = args.reps if args.reps < 20 else max(20, args.reps // 3)  # 20 of each in a full run
            await _guarded(report, "what if", pages.what_if(fx, app, report, reps=what_if_reps), app)
        if "questions" in args.groups and "results" in args.groups:
            # The same server once it has drawn the results page too (as in production).
            await _guarded(
                report,
                "questions after results",
                pages.questions_again(fx, app, bare, report, reps=args.reps if args.quick else max(20, args.reps // 2)),
                app,
                bare,
            )
        if "workshop" in args.groups:
            await _guarded(
                report,
                "workshop",
                workshop_bench.dashboard(fx, app, report, sizes=args.participants, reps=args.dashboard_reps),
                app,
            )


async def _apptest_check(fx: Fixture, app: Server, report: Report) -> None:
    seen, keys = await pages.questions_snapshot(fx, app)
    pages.widget_count_check(fx, report, seen, keys)


def _in_process(report: Report, args: argparse.Namespace) -> None:
    """The groups measured in this process: scoring, the PDF report, the quick check's simulation."""
    if "score" in args.groups:
        asyncio.run(
            _guarded(
                report,
                "score",
                asyncio.to_thread(scoring, report, repeats=args.score_repeats, reference_every=args.reference_every),
            )
        )
    if "report" in args.groups:
        asyncio.run(_guarded(report, "report", asyncio.to_thread(report_pdf, report, repeats=args.report_repeats)))
    if "quick" in args.groups:
        asyncio.run(_guarded(report, "quick", asyncio.to_thread(quick_check, report, random_sets=args.random_sets)))


def _terminate(*_args: object) -> None:
    raise KeyboardInterrupt  # stop like Ctrl-C: the with-blocks stop every server started here


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    report = Report(quick=args.quick)
    report.meta.update(groups=args.groups, server_flags=args.extra, reps=args.reps, bare_fragments=args.bare_fragments)
    started = time.perf_counter()
    if args.extra:
        log(f"what-if run: every server gets {' '.join(args.extra)}")
    log("figure                                    value unit budget                 status")
    fx = Fixture.create(keep=args.keep)
    try:
        if {"questions", "results", "workshop"} & set(args.groups):
            asyncio.run(_pages(fx, report, args))
        if "startup" in args.groups:
            work = startup.startup(fx, report, repeats=args.startup_repeats, extra=args.extra)
            asyncio.run(_guarded(report, "startup", work))
        _in_process(report, args)
        if "rounds" in args.groups:
            work = rounds_bench.rounds(report, count=args.round_size, reps=args.round_reps, extra=args.extra)
            asyncio.run(_guarded(report, "rounds", work))
        if "load" in args.groups:
            work = load_bench.load(
                fx,
                report,
                levels=args.levels,
                duration=args.duration,
                settle=args.settle,
                extra=args.extra,
                bare_fragments=args.bare_fragments,
                replicas=args.replicas,
                once=args.once,
            )
            asyncio.run(_guarded(report, "load", work))
    except KeyboardInterrupt:
        log("interrupted: servers stopped, nothing written")
        return 130
    finally:
        fx.close()
        if args.keep:
            log(f"kept {fx.tmp}")
    report.meta["wall_s"] = round(time.perf_counter() - started, 1)
    report.write(args.out, merge=set(args.groups) != set(GROUPS))
    over = [f.name for f in report.figures.values() if f.status == "over"]
    log(f"wrote {args.out} in {report.meta['wall_s']:.0f} s; over budget: {', '.join(over) or 'none'}")
    if report.failed_checks:
        log(f"FAILED checks (figures not trustworthy): {', '.join(report.failed_checks)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
