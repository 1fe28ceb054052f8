"""`make bench` keeps working: a short run of every benchmark part, with its checks.

The figures of such a short run mean nothing (a handful of repetitions on a busy test
machine); what is asserted is that each part runs, prints its figure lines, and that the
bare yardstick still draws the same widgets as the questions page — if the page changes
and the yardstick does not, the ratio compares different things.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _bench(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--out", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"benchmarks failed (exit {run.returncode}):\n{run.stderr[-4000:]}"
    return run, json.loads(out.read_text())


def test_pages_score_and_startup__print_their_figures_and_pass_their_checks(tmp_path):
    run, data = _bench(
        tmp_path, "--only", "questions,results,workshop,startup,score,report", "--reps", "4", "--participants", "5"
    )

    printed = {line.split()[0] for line in run.stdout.splitlines() if line.strip()}
    for figure in (
        "rerun_ratio_questions",
        "answer_ratio_questions",
        "rerun_ms_results",
        "whatif_ratio_results",
        "dashboard_ms_5",
        "score_ms_1000",
        "report_ms_6_domains",
        "startup_ratio",
    ):
        assert figure in printed
        assert data["figures"][figure]["value"] is not None
    checks = {c["check"]: c["ok"] for c in data["checks"]}
    assert checks and all(checks.values()), checks
    assert "bare script draws the same widgets" in checks
    assert "a what-if change stores nothing" in checks


def test_load__every_interaction_is_stored(tmp_path):
    """One server, then two replicas sharing a PostgreSQL database: every answer stored."""
    run, data = _bench(tmp_path, "--only", "load", "--sessions", "3", "--duration", "4", "--replicas", "2")

    assert "load_p95_ms_3" in run.stdout
    for figure in ("load_p95_ms_3", "mb_per_session", "load_p95_ms_3_replicas", "load_p95_ms_3_replicas_bare"):
        assert data["figures"][figure]["value"] is not None, figure
    assert data["figures"]["load_p95_ms_3_replicas"]["detail"]["replicas"] == 2
    checks = {c["check"]: c["ok"] for c in data["checks"]}
    assert checks and all(checks.values()), checks


def test_load_once__every_session_answers_once_on_one_server_per_target(tmp_path):
    """The quick run's load: both levels on the same two servers, the larger first, one answer per session."""
    run, data = _bench(tmp_path, "--only", "load", "--sessions", "2,3", "--once", "--replicas", "1")

    assert run.stdout.index("load_p95_ms_3 ") < run.stdout.index("load_p95_ms_2 ")
    levels = data["meta"]["load"]["levels"]
    assert data["meta"]["load"]["once"] is True
    for n in (2, 3):
        assert levels[f"app_{n}"]["interactions"] == levels[f"bare_{n}"]["interactions"] == n
        assert levels[f"app_{n}"]["answers_stored"] == f"{n}/{n}"
    assert data["figures"]["mb_per_session"]["value"] is not None
    checks = {c["check"]: c["ok"] for c in data["checks"]}
    assert checks and all(checks.values()), checks


def test_startup_against__times_both_trees_and_hello_world():
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup", "--against", str(ROOT), "--repeats", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    assert [line.split(":")[0] for line in lines] == ["this tree", str(ROOT), "hello world"]
    assert all("÷ hello world" in line for line in lines[:2])


def test_quick__fewer_repetitions_and_every_figure_marked(tmp_path):
    from benchmarks.__main__ import QUICK, _args
    from benchmarks.report import QUICK_NOTE, Figure, Report

    quick, full, chosen = _args(["--quick"]), _args([]), _args(["--quick", "--reps", "12"])
    assert (quick.reps, quick.once, quick.report_repeats) == (QUICK["reps"], True, 3)
    assert (quick.reference_every, quick.random_sets) == (QUICK["reference_every"], QUICK["random_sets"])
    assert (full.reps, full.duration, full.once, full.report_repeats, full.startup_repeats) == (60, 30.0, False, 5, 7)
    assert (full.reference_every, full.random_sets) == (1, 1000)
    assert chosen.reps == 12  # what is given on the command line wins
    report = Report(quick=True)
    report.add(Figure("score_ms_1000", 1.0, "ms", note="median of 1"))
    report.add(Figure("startup_ratio", 1.2, "x"))
    report.write(tmp_path / "results.json")
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["quick"] is True
    assert all(QUICK_NOTE in figure["note"] for figure in data["figures"].values())


def test_readme__the_performance_table_is_printed_from_the_results_file_it_names():
    from benchmarks.table import HEADER, table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Performance", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(benchmarks/results-[\w.-]+\.json)`", section)
    assert len(set(named)) == 1, f"the Performance section names one results file, found {named}"
    results = ROOT / named[0]
    assert results.exists(), f"{named[0]} is not in the repository"
    start = section.index(HEADER.splitlines()[0])
    printed = section[start:].split("\n\n", 1)[0].strip() + "\n"
    assert printed == table(json.loads(results.read_text(encoding="utf-8"))), (
        f"README.md's table is not what `python -m benchmarks.table {named[0]}` prints"
    )


def test_quick_group__simulates_the_quick_check_and_never_changes_a_type(tmp_path):
    run, data = _bench(tmp_path, "--only", "quick")
    printed = {line.split()[0] for line in run.stdout.splitlines() if line.strip()}
    for figure in (
        "quick_share_mean",
        "quick_share_p90",
        "quick_share_mean_foresight",
        "quick_share_mean_random",
        "quick_type_mismatches",
    ):
        assert figure in printed
    figures = data["figures"]
    assert 0 < figures["quick_share_mean_foresight"]["value"] <= figures["quick_share_mean"]["value"] <= 1
    assert data["figures"]["quick_type_mismatches"]["value"] == 0


def test_rounds__the_hosts_page_on_sqlite_and_postgresql(tmp_path):
    run, data = _bench(tmp_path, "--only", "rounds", "--round-size", "120", "--round-reps", "2")
    for figure in ("round_dashboard_ms_120", "round_dashboard_ms_120_postgres"):
        assert figure in run.stdout and data["figures"][figure]["value"] > 0
    assert not [c for c in data["checks"] if not c["ok"]], data["checks"]
