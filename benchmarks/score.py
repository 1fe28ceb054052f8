"""Scoring in-process: 1,000 random assessments with all six domains, through ``ktmsc.scoring.score``."""

from __future__ import annotations

import random
import time

from benchmarks.answers import POPULATION, random_answers
from benchmarks.report import Figure, Report, log, median
from ktmsc.instrument import get_questionnaire
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.scoring import score

COUNT = 1000


def scoring(report: Report, *, repeats: int = 3) -> None:
    q = get_questionnaire()
    rng = random.Random(2024)
    assessments = [random_answers(q, rng) for _ in range(COUNT)]  # ~5 % "don't know", ~5 % open
    domains = list(q.domain_ids)
    totals = []
    for _ in range(repeats):
        started = time.perf_counter()
        for answers in assessments:
            score(q, answers, domains, PERSPECTIVE_ADMIN, POPULATION)
        totals.append(time.perf_counter() - started)
    log("score: " + ", ".join(f"{t * 1000:.0f} ms" for t in totals) + f" for {COUNT} assessments")
    report.add(
        Figure(
            "score_ms_1000",
            median(totals) * 1000,
            "ms",
            samples=repeats,
            note=f"median of {repeats}; {median(totals) * 1000 / COUNT:.2f} ms per assessment",
        )
    )
