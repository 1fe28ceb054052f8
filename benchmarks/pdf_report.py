"""The PDF report for the council, in-process: six domains answered, with notes and a previous assessment."""

from __future__ import annotations

import io
import random
import statistics
import time

from pypdf import PdfReader

from benchmarks.answers import NAME, POPULATION, page_answers
from benchmarks.report import Figure, Report, log
from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.report import build_report

REPEATS = 5  # builds; the figure is their median


def report_pdf(report: Report, *, repeats: int = REPEATS) -> None:
    q = get_questionnaire()
    profile = AssessmentProfile(name=NAME, population=POPULATION)
    domains = list(q.domain_ids)
    rng = random.Random(11)
    answers = page_answers(q, seed=11)
    notes = {
        item_id: "Beschluss des Rates vom 12. März – siehe Drucksache" for item_id in rng.sample(sorted(answers), 20)
    }
    current = Assessment(
        questionnaire_version=q.version, profile=profile, domains=domains, answers=answers, notes=notes
    )
    previous = Assessment(
        questionnaire_version=q.version, profile=profile, domains=domains, answers=page_answers(q, seed=12)
    )
    times, pages = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        pdf = build_report(q, current, "de", previous=previous)
        times.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    log("report: " + ", ".join(f"{t * 1000:.0f} ms" for t in times) + f", {pages} pages, {len(pdf) / 1000:.0f} kB")
    report.add(
        Figure(
            "report_ms_6_domains",
            statistics.median(times) * 1000,
            "ms",
            budget="< 1500",
            samples=repeats,
            note=f"{pages} pages, {len(pdf) / 1000:.0f} kB; every item answered, 20 notes, with a previous assessment",
            detail={"pages": pages, "bytes": len(pdf)},
        )
    )
