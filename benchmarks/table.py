"""``python -m benchmarks.table [results.json]``: the README's performance table from a results file.

Prints one Markdown table (the columns of README.md, section "Performance") with every
figure read from the file, so no figure in the README is typed by hand. The rows come in
this fixed order, and a row appears only when the file holds its figures:

1. rerun of the questions step, app ÷ bare (``rerun_ratio_questions``)
2. the same after the results page (``rerun_ratio_questions_after_results``)
3. answering one question, app ÷ bare (``answer_ratio_questions``)
4. the same against the bare script with fragments (``answer_ratio_questions_fragments``)
5. the results page (``rerun_ms_results``)
6. people answering at once, p95 (every ``load_p95_ms_<N>``, by N)
7. the same on the bare script (every ``load_p95_ms_<N>_bare``), then with several app servers
   on one PostgreSQL database (``load_p95_ms_<N>_replicas`` and its ``…_bare``)
8. server memory (``server_peak_mb``, ``mb_per_session``)
9. the facilitator's dashboard (every ``dashboard_ms_<N>``, by N)
10. scoring (``score_ms_1000``, then ``score_ms_10800``)
11. the host's page of a comparison round (``round_dashboard_ms_<N>``, then ``…_postgres``)
12. the PDF report (``report_ms_6_domains``)
13. start-up, app ÷ hello world (``startup_ratio``: the median of app/hello pairs)

``tests/test_benchmarks.py`` holds README.md to what this prints from the results file
the README names.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADER = "| figure | measured | budget ([docs/DESIGN.md](docs/DESIGN.md#5-budgets)) |\n|---|---|---|"
Figures = dict[str, dict[str, Any]]


def fmt_ms(value: float) -> str:
    """42.6 ms, 201 ms, 1.36 s."""
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def fmt_pair(app_ms: float, bare_ms: float) -> str:
    """Two times in one unit: 42.6 ms ÷ 29.5 ms, 1.36 s ÷ 0.64 s."""
    if max(app_ms, bare_ms) >= 1000:
        return f"{app_ms / 1000:.2f} s ÷ {bare_ms / 1000:.2f} s"
    return f"{fmt_ms(app_ms)} ÷ {fmt_ms(bare_ms)}"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}"


def fmt_budget(figure: dict[str, Any] | None) -> str:
    """``<= 1.5`` (x) → ≤ 1.5; ``< 100`` (ms) → < 100 ms; ``< 1500`` (ms) → < 1.5 s; none → –."""
    if not figure or not figure.get("budget"):
        return "–"
    op, limit = figure["budget"].split()
    symbol = {"<=": "≤", "<": "<"}[op]
    number = float(limit)
    if figure.get("unit") == "ms":
        text = f"{number / 1000:g} s" if number >= 1000 else f"{number:g} ms"
    elif figure.get("unit") == "MB":
        text = f"{number:g} MB"
    else:
        text = f"{number:g}"
    return f"{symbol} {text}"


def _value(figures: Figures, name: str) -> float | None:
    figure = figures.get(name)
    return None if figure is None else figure.get("value")


def _sizes(figures: Figures, pattern: str) -> list[int]:
    """The N of every figure named like ``pattern`` (with one ``(\\d+)``), ascending."""
    found = (re.fullmatch(pattern, name) for name in figures)
    return sorted(int(match.group(1)) for match in found if match and figures[match.group(0)].get("value") is not None)


def _ratio_row(figures: Figures, label: str, app: str, bare: str, ratio: str) -> list[str] | None:
    values = [_value(figures, name) for name in (app, bare, ratio)]
    if None in values:
        return None
    app_ms, bare_ms, value = values
    return [label, f"{fmt_pair(app_ms, bare_ms)} = {fmt_ratio(value)}", fmt_budget(figures[ratio])]


def _startup(figures: Figures) -> list[str] | None:
    """Start-up is the median of app/hello pairs (each app start against the hello world started
    right after it), which is not the quotient of the two medians: both are shown as what they are."""
    figure = figures.get("startup_ratio")
    if "pairs" not in (figure or {}).get("detail", {}):  # results from before the pairs
        return _ratio_row(
            figures, "start to first page, app ÷ hello world", "startup_ms_app", "startup_ms_hello", "startup_ratio"
        )
    values = [_value(figures, name) for name in ("startup_ms_app", "startup_ms_hello", "startup_ratio")]
    if None in values:
        return None
    app_ms, hello_ms, value = values
    pairs = len(figure["detail"]["pairs"])
    return [
        "start to first page, app ÷ hello world started right after it",
        f"{fmt_ratio(value)} (median of {pairs} pairs; app {fmt_ms(app_ms)}, hello world {fmt_ms(hello_ms)})",
        fmt_budget(figure),
    ]


def _after_results(figures: Figures) -> list[str] | None:
    figure = figures.get("rerun_ratio_questions_after_results")
    if not figure or figure.get("value") is None:
        return None
    detail = figure.get("detail", {})
    if "app_ms" not in detail or "bare_ms" not in detail:
        return None
    measured = f"{fmt_pair(detail['app_ms'], detail['bare_ms'])} = {fmt_ratio(figure['value'])}"
    return ["the same on a server that has also drawn the results page", measured, fmt_budget(figure)]


def _series(figures: Figures, pattern: str, label: Callable[[str], str]) -> list[str] | None:
    sizes = _sizes(figures, pattern)
    if not sizes:
        return None
    names = [pattern.replace(r"(\d+)", str(n)) for n in sizes]
    values = " / ".join(f"{figures[name]['value']:.0f}" for name in names)
    budgets = {
        n: fmt_budget(figures[name]) for n, name in zip(sizes, names, strict=True) if figures[name].get("budget")
    }
    if len(set(budgets.values())) > 1:  # levels with budgets of their own: name each
        grouped: dict[str, list[int]] = {}
        for n, text in budgets.items():
            grouped.setdefault(text, []).append(n)
        budget = "; ".join(f"{' / '.join(map(str, ns))}: {text}" for text, ns in grouped.items())
    else:
        budget = next(iter(budgets.values()), "–")
    return [label(" / ".join(str(n) for n in sizes)), f"{values} ms", budget]


def _memory(figures: Figures) -> list[str] | None:
    peak, per_session = figures.get("server_peak_mb"), figures.get("mb_per_session")
    if not peak or not per_session or peak.get("value") is None or per_session.get("value") is None:
        return None
    match = re.search(r"N=(\d+)", peak.get("note", ""))
    at = f" at {match.group(1)} sessions" if match else ""
    measured = f"{peak['value']:.0f} MB, {per_session['value']:.1f} MB"
    budget = fmt_budget(per_session) if per_session.get("budget") else fmt_budget(peak)
    return [f"server memory{at} (peak), per session", measured, f"per session {budget}" if budget != "–" else budget]


def _replicas(figures: Figures) -> list[str] | None:
    sizes = _sizes(figures, r"load_p95_ms_(\d+)_replicas")
    if not sizes:
        return None
    n = sizes[-1]
    app, bare = figures.get(f"load_p95_ms_{n}_replicas"), figures.get(f"load_p95_ms_{n}_replicas_bare")
    if not app or not bare or app.get("value") is None or bare.get("value") is None:
        return None
    replicas = app.get("detail", {}).get("replicas", "several")
    label = f"{n} people at once on {replicas} app servers sharing one PostgreSQL database, p95 (app / bare)"
    return [label, f"{app['value']:.0f} / {bare['value']:.0f} ms", fmt_budget(app)]


def _single(figures: Figures, name: str, label: Callable[[dict[str, Any]], str]) -> list[str] | None:
    figure = figures.get(name)
    if not figure or figure.get("value") is None:
        return None
    return [label(figure), fmt_ms(figure["value"]), fmt_budget(figure)]


def _report_label(figure: dict[str, Any]) -> str:
    pages = figure.get("detail", {}).get("pages")
    return "PDF report, six domains with an earlier assessment" + (f" ({pages} pages)" if pages else "")


def rows(figures: Figures) -> list[list[str]]:
    candidates = [
        _ratio_row(
            figures,
            "rerun of the first questions step (the cross-cutting section's first topic), app ÷ bare script",
            "rerun_ms_questions",
            "rerun_ms_questions_bare",
            "rerun_ratio_questions",
        ),
        _after_results(figures),
        _ratio_row(
            figures,
            "answering one question, app ÷ bare script (which reruns the whole page)",
            "answer_ms_questions",
            "answer_ms_questions_bare",
            "answer_ratio_questions",
        ),
        _ratio_row(
            figures,
            "the same against a bare script with each question a fragment",
            "answer_ms_questions",
            "answer_ms_questions_bare_fragments",
            "answer_ratio_questions_fragments",
        ),
        _single(figures, "rerun_ms_results", lambda _: "results page, six domains"),
        _series(figures, r"load_p95_ms_(\d+)", lambda sizes: f"{sizes} people answering at once, p95"),
        _series(figures, r"load_p95_ms_(\d+)_bare", lambda _: "the same load on the bare script, p95"),
        _replicas(figures),
        _memory(figures),
        _series(
            figures,
            r"dashboard_ms_(\d+)",
            lambda sizes: (
                f"facilitator's dashboard, {sizes} participants (a quarter changed an answer since the last refresh)"
            ),
        ),
        _series(
            figures,
            r"dashboard_second_round_ms_(\d+)",
            lambda sizes: f"the same in a second round of 8 questions, {sizes} participants (round 1 as well)",
        ),
        _single(figures, "score_ms_1000", lambda _: "scoring 1,000 assessments with six domains"),
        _single(figures, "score_ms_10800", lambda _: "scoring 10,800 assessments with six domains at once"),
        _series(
            figures,
            r"round_dashboard_ms_(\d+)",
            lambda sizes: (
                f"host's page of a comparison round of {sizes} municipalities, SQLite (ten changed an answer)"
            ),
        ),
        _series(
            figures,
            r"round_dashboard_ms_(\d+)_postgres",
            lambda _: "the same on PostgreSQL",
        ),
        _single(figures, "report_ms_6_domains", _report_label),
        _startup(figures),
    ]
    return [row for row in candidates if row is not None]


def table(data: dict[str, Any]) -> str:
    lines = [HEADER, *(f"| {' | '.join(row)} |" for row in rows(data.get("figures", {})))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Path(__file__).resolve().parent / "results.json"
    sys.stdout.write(table(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
