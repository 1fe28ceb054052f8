"""Figures, their budgets (docs/DESIGN.md, "Budgets"), the printed lines and ``benchmarks/results.json``."""

from __future__ import annotations

import json
import math
import platform
import statistics
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def p95(values: list[float]) -> float:
    """The 95th percentile (linear interpolation between closest ranks)."""
    if not values:
        return math.nan
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def ms(seconds: list[float]) -> list[float]:
    return [s * 1000 for s in seconds]


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    budget: str | None = None  # e.g. "<= 1.5"
    samples: int | None = None
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.budget is None:
            return "-"
        if math.isnan(self.value):
            return "over"
        op, limit = self.budget.split()
        ok = self.value <= float(limit) if op == "<=" else self.value < float(limit)
        return "ok" if ok else "over"

    def line(self) -> str:
        value = f"{self.value:.2f}" if self.unit in ("x", "") else f"{self.value:.1f}"
        budget = f"budget {self.budget} {self.unit}".rstrip() if self.budget else "no budget"
        extra = f"  (n={self.samples})" if self.samples else ""
        note = f"  {self.note}" if self.note else ""
        return f"{self.name:<36} {value:>10} {self.unit:<3} {budget:<22} {self.status:<4}{extra}{note}"


QUICK_NOTE = "[quick: fewer repetitions]"


class Report:
    def __init__(self, *, quick: bool = False) -> None:
        self.quick = quick  # ``--quick``: every figure's note says so, and the JSON at its top
        self.figures: dict[str, Figure] = {}
        self.meta: dict[str, Any] = {}
        self.checks: list[dict[str, Any]] = []

    def add(self, figure: Figure) -> Figure:
        if self.quick:
            figure.note = f"{figure.note}  {QUICK_NOTE}" if figure.note else QUICK_NOTE
        self.figures[figure.name] = figure
        print(figure.line(), flush=True)
        return figure

    def check(self, name: str, ok: bool, detail: str) -> None:
        """A correctness check of the protocol client (printed to stderr, kept in the JSON)."""
        self.checks.append({"check": name, "ok": ok, "detail": detail})
        log(f"check {'ok ' if ok else 'FAILED'} {name}: {detail}")

    @property
    def failed_checks(self) -> list[str]:
        return [c["check"] for c in self.checks if not c["ok"]]

    def write(self, path: Path = RESULTS, *, merge: bool = False) -> None:
        """Write the JSON; with ``merge`` (``--only``), figures of earlier runs not measured now are kept."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        figures: dict[str, Any] = {}
        checks: list[dict[str, Any]] = []
        if merge and path.exists():
            try:
                old = json.loads(path.read_text())
                figures = old.get("figures", {})
                checks = [c for c in old.get("checks", []) if c["check"] not in {n["check"] for n in self.checks}]
            except (ValueError, KeyError):
                figures = {}
        for name, fig in self.figures.items():
            entry = asdict(fig)
            entry["status"] = fig.status
            entry["measured_at"] = now
            entry["value"] = None if math.isnan(fig.value) else round(fig.value, 3)
            figures[name] = entry
        data = {
            "written_at": now,
            "quick": self.quick,
            "machine": machine(),
            "meta": self.meta,
            "checks": checks + self.checks,
            "figures": figures,
        }
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


def machine() -> dict[str, Any]:
    import os

    import streamlit

    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "streamlit": streamlit.__version__,
        "platform": platform.platform(),
        "loadavg_at_end": load,
    }


def log(text: str) -> None:
    """Progress and diagnostics go to stderr; stdout carries one line per figure."""
    print(f"  · {text}", file=sys.stderr, flush=True)
