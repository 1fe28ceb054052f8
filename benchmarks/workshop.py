"""The facilitator's dashboard with 50, 200 and 1,000 participants: server time of a rerun.

Each size gets its own workshop (all six domains, the administration's view) whose
participants have answered everything at random, about 5 % "don't know" — the most the
dashboard has to aggregate. The client opens the workshop page with the facilitator key,
as the facilitator's browser does, and reruns it. Before each rerun a quarter of the
participants change one answer (untimed), as in a busy workshop between two of the
dashboard's refreshes; a refresh in which nobody changed anything is cheaper.
"""

from __future__ import annotations

import asyncio
import random

from benchmarks.answers import NAME, POPULATION, random_answer, random_answers
from benchmarks.client import Session
from benchmarks.fixtures import LANG, Fixture
from benchmarks.pages import GAP_S, require_ok
from benchmarks.report import Figure, Report, log, median, ms
from benchmarks.server import CpuWatch, Server, noise_note
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN

SIZES = (50, 200, 1000)
BUDGETS = {200: "< 100", 1000: "< 300"}  # docs/DESIGN.md, section 5
REPS = 10  # measured reruns per size; the figure is their median
CHANGING_SHARE = 0.25  # of the participants change an answer between two refreshes


def create_workshop(fx: Fixture, participants: int) -> tuple[str, list[str]]:
    """A workshop with ``participants`` who answered everything: the facilitator key and their ids."""
    profile = AssessmentProfile(name=NAME, population=POPULATION)
    domains = list(fx.q.domain_ids)
    created = fx.store.create_workshop(
        title=f"Benchmark {participants}", profile=profile, domains=domains, perspective=PERSPECTIVE_ADMIN
    )
    fx.store.set_workshop_revealed(created.workshop.id, True)  # the dashboard as it draws the whole group
    rng = random.Random(participants)
    ids = []
    for n in range(participants):
        answers = random_answers(fx.q, rng, dont_know=0.05, missing=0.0)
        assessment = Assessment(questionnaire_version=fx.q.version, profile=profile, domains=domains, answers=answers)
        joined = fx.store.create_assessment(
            assessment, kind="participant", workshop_id=created.workshop.id, participant_name=f"P{n + 1}"
        )
        ids.append(joined.id)
    return created.facilitator_key, ids


def some_change_an_answer(fx: Fixture, ids: list[str], rng: random.Random) -> int:
    """A share of the participants each change one answer; returns how many did."""
    items = [item for item in fx.q.items.values() if item.type == "single" and not item.show_if]
    changing = rng.sample(ids, max(1, round(len(ids) * CHANGING_SHARE)))
    for assessment_id in changing:
        item = rng.choice(items)
        fx.store.save_answer(assessment_id, item.id, random_answer(item, rng))
    return len(changing)


async def dashboard(
    fx: Fixture, app: Server, report: Report, *, sizes: tuple[int, ...] = SIZES, reps: int = REPS
) -> None:
    for size in sizes:
        key, ids = create_workshop(fx, size)
        rng = random.Random(size + 1)
        session, first = await Session.open(app.port, "workshop", f"lang={LANG}&f={key}")
        try:
            require_ok(first, f"dashboard with {size} participants, first run")
            report.check(
                f"dashboard with {size} participants draws the group chart",
                first.elements["vega_lite_chart"] >= 1,
                f"{sum(first.elements.values())} elements, {first.bytes / 1000:.0f} kB",
            )
            for _ in range(min(3, reps)):
                require_ok(await session.rerun(), "warm-up")
            times = []
            watch = CpuWatch(app)
            for _ in range(reps):
                some_change_an_answer(fx, ids, rng)
                await asyncio.sleep(GAP_S)
                run = await session.rerun()
                require_ok(run, f"dashboard rerun ({size})")
                times.append(run.elapsed_s)
            cpu = watch.stop()
            log(
                f"dashboard {size}: first run {first.elapsed_s * 1000:.0f} ms, reruns {', '.join(f'{t * 1000:.0f}' for t in times)} ms"
            )
            report.add(
                Figure(
                    f"dashboard_ms_{size}",
                    median(ms(times)),
                    "ms",
                    BUDGETS.get(size),
                    samples=len(times),
                    note=f"{CHANGING_SHARE:.0%} changed an answer before each; first run {first.elapsed_s * 1000:.0f} ms "
                    f"{noise_note(cpu)}".strip(),
                    detail=cpu,
                )
            )
        finally:
            await session.close()
