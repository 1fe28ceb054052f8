"""`make bench` keeps working: a short run of every benchmark part, with its checks.

The figures of such a short run mean nothing (a handful of repetitions on a busy test
machine); what is asserted is that each part runs, prints its figure lines, and that the
bare yardstick still draws the same widgets as the questions page — if the page changes
and the yardstick does not, the ratio compares different things.
"""

from __future__ import annotations

import json
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


def test_load__every_interaction_is_stored(tmp_path):
    run, data = _bench(tmp_path, "--only", "load", "--sessions", "3", "--duration", "4")

    assert "load_p95_ms_3" in run.stdout
    assert data["figures"]["load_p95_ms_3"]["value"] is not None
    assert data["figures"]["mb_per_session"]["value"] is not None
    checks = {c["check"]: c["ok"] for c in data["checks"]}
    assert checks and all(checks.values()), checks
