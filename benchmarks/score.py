"""Scoring in-process: 1,000 assessments one by one (``ktmsc.scoring.score``, full detail), and
10,800 – a comparison round of every German municipality – at once (``ktmsc.batch``), against
the reference scorer one by one on the same answer sets."""

from __future__ import annotations

import random
import time

from benchmarks.answers import POPULATION, random_answers
from benchmarks.report import Figure, Report, log, median
from ktmsc.batch import score_many
from ktmsc.instrument import get_questionnaire
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.scoring import score

COUNT = 1000
ROUND = 10_800  # about the number of German municipalities
# Populations and kinds of body as a round would have them: mostly small Gemeinden.
PLACES = (
    (900, "kreisangehoerige_gemeinde"),
    (2_400, "kreisangehoerige_gemeinde"),
    (6_000, "amt"),
    (14_800, "verbandsgemeinde"),
    (25_000, "kreisangehoerige_gemeinde"),
    (38_000, "kreisangehoerige_gemeinde"),
    (120_000, "kreisfreie_stadt"),
    (210_000, "landkreis"),
    (600_000, "kreisfreie_stadt"),
)


def scoring(report: Report, *, repeats: int = 3, reference_every: int = 1) -> None:
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
    scoring_a_round(report, repeats=repeats, reference_every=reference_every)


def scoring_a_round(report: Report, *, repeats: int = 3, reference_every: int = 1) -> None:
    """10,800 assessments with six domains at once, alternating with the reference one by one.

    With ``reference_every`` > 1 (the quick run) the reference scores only every so many of the
    answer sets, its time is scaled up to all of them, and the types are compared on those."""
    q = get_questionnaire()
    rng = random.Random(10_800)
    answers = [random_answers(q, rng) for _ in range(ROUND)]
    places = [rng.choice(PLACES) for _ in range(ROUND)]
    domains = list(q.domain_ids)
    many, one_by_one = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        batch = score_many(q, answers, domains, PERSPECTIVE_ADMIN, places)
        many.append(time.perf_counter() - started)
        started = time.perf_counter()
        types = {
            row: score(q, answers[row], domains, PERSPECTIVE_ADMIN, population, body_kind=kind, detail=False)
            for row in range(0, ROUND, reference_every)
            for population, kind in [places[row]]
        }
        one_by_one.append((time.perf_counter() - started) * ROUND / len(types))
    # The figure is only worth something if both gave the same types.
    differ = sum(
        batch.type_id(row, domain) != result.domains[domain].type_id
        for row, result in types.items()
        for domain in domains
    )
    compared = len(types) * len(domains)
    sampled = "" if reference_every == 1 else f" (every {reference_every}th set, its time × {reference_every})"
    log(
        f"score a round: {', '.join(f'{t * 1000:.0f}' for t in many)} ms at once, "
        f"{', '.join(f'{t * 1000:.0f}' for t in one_by_one)} ms one by one{sampled}; {differ} types differ"
    )
    report.check("score_many gives the reference's types", differ == 0, f"{differ} of {compared} differ")
    ratio = median(one_by_one) / median(many)
    report.add(
        Figure(
            "score_ms_10800",
            median(many) * 1000,
            "ms",
            budget="< 1000",
            samples=repeats,
            note=f"median of {repeats}; the reference one by one: {median(one_by_one) * 1000:.0f} ms "
            f"({ratio:.1f}× as long){sampled}",
            detail={"reference_ms": median(one_by_one) * 1000, "ratio": ratio},
        )
    )
    report.add(Figure("score_ratio_10800", ratio, "×", samples=repeats, note="reference one by one ÷ at once"))
