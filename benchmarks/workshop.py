"""The facilitator's dashboard with 50, 200 and 1,000 participants: server time of a rerun.

Each size gets its own workshop (all six domains, the administration's view) whose
participants have answered everything at random, about 5 % "don't know" — the most the
dashboard has to aggregate. The client opens the workshop page with the facilitator key,
as the facilitator's browser does, and reruns it. Before each rerun a quarter of the
participants change one answer (untimed), as in a busy workshop between two of the
dashboard's refreshes; a refresh in which nobody changed anything is cheaper.

Then the same workshop opens its second round for the agenda's questions (``SECOND_ROUND_ITEMS``
of the general section: they feed every domain) and the dashboard is measured again
(``dashboard_second_round_ms_<N>``): it now also aggregates round 1 (scored once: its answers
never change) and the convergence per question and domain; before each rerun a quarter of the
participants change one of the round's answers.
"""

from __future__ import annotations

import asyncio
import random

from benchmarks.answers import NAME, POPULATION, random_answer, random_answers
from benchmarks.client import Run, Session
from benchmarks.fixtures import LANG, Fixture
from benchmarks.pages import GAP_S, require_ok
from benchmarks.report import Figure, Report, log, median, ms
from benchmarks.server import CpuWatch, Server, noise_note
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN
from ktmsc.model.schema import GENERAL

SIZES = (50, 200, 1000)
BUDGETS = {200: "< 100", 1000: "< 300"}  # docs/DESIGN.md, section 5
REPS = 10  # measured reruns per size; the figure is their median
CHANGING_SHARE = 0.25  # of the participants change an answer between two refreshes
SECOND_ROUND_ITEMS = 8  # the questions of the second round (the dashboard's agenda length)


def create_workshop(fx: Fixture, participants: int) -> tuple[str, str, list[str]]:
    """A workshop with ``participants`` who answered everything: its id, the facilitator key and their ids."""
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
    return created.workshop.id, created.facilitator_key, ids


def second_round_items(fx: Fixture) -> list[str]:
    """The second round's questions: single-choice questions of the general section."""
    general = [i for i in fx.q.items_for(GENERAL, PERSPECTIVE_ADMIN) if i.type == "single" and not i.show_if]
    return [item.id for item in general[:SECOND_ROUND_ITEMS]]


def some_change_an_answer(fx: Fixture, ids: list[str], rng: random.Random, only: list[str] | None = None) -> int:
    """A share of the participants each change one answer (of the questions ``only``); returns how many did."""
    items = [item for item in fx.q.items.values() if item.type == "single" and not item.show_if]
    if only is not None:
        items = [item for item in items if item.id in only]
    changing = rng.sample(ids, max(1, round(len(ids) * CHANGING_SHARE)))
    for assessment_id in changing:
        item = rng.choice(items)
        fx.store.save_answer(assessment_id, item.id, random_answer(item, rng))
    return len(changing)


async def dashboard(
    fx: Fixture, app: Server, report: Report, *, sizes: tuple[int, ...] = SIZES, reps: int = REPS
) -> None:
    for size in sizes:
        workshop_id, key, ids = create_workshop(fx, size)
        rng = random.Random(size + 1)
        session, first = await Session.open(app.port, "workshop", f"lang={LANG}&f={key}")
        try:
            require_ok(first, f"dashboard with {size} participants, first run")
            report.check(
                f"dashboard with {size} participants draws the group chart",
                first.elements["vega_lite_chart"] >= 1,
                f"{sum(first.elements.values())} elements, {first.bytes / 1000:.0f} kB",
            )
            await _measure(fx, app, session, report, f"dashboard_ms_{size}", first, ids, rng, reps, BUDGETS.get(size))
            items = second_round_items(fx)
            fx.store.open_second_round(workshop_id, items)
            opened = await session.rerun()
            require_ok(opened, f"dashboard with {size} participants, second round's first run")
            report.check(
                f"dashboard with {size} participants in round 2 draws an arrow per domain",
                opened.elements["vega_lite_chart"] >= 1 + len(fx.q.domain_ids),
                f"{opened.elements['vega_lite_chart']} charts",
            )
            await _measure(
                fx,
                app,
                session,
                report,
                f"dashboard_second_round_ms_{size}",
                opened,
                ids,
                rng,
                reps,
                BUDGETS.get(size),
                items,
            )
        finally:
            await session.close()


async def _measure(
    fx: Fixture,
    app: Server,
    session: Session,
    report: Report,
    name: str,
    first: Run,
    ids: list[str],
    rng: random.Random,
    reps: int,
    budget: str | None,
    only: list[str] | None = None,
) -> None:
    """Warm up (a third as many reruns as measured, 1 to 3), then the median of ``reps`` reruns, a quarter of the participants changing an
    answer (of the questions ``only``) before each; the first run's time goes in the note."""
    for _ in range(max(1, min(3, reps // 3))):  # a third of the measured reruns, 1 to 3
        require_ok(await session.rerun(), "warm-up")
    times = []
    watch = CpuWatch(app)
    for _ in range(reps):
        some_change_an_answer(fx, ids, rng, only)
        await asyncio.sleep(GAP_S)
        run = await session.rerun()
        require_ok(run, f"{name} rerun")
        times.append(run.elapsed_s)
    cpu = watch.stop()
    log(f"{name}: first run {first.elapsed_s * 1000:.0f} ms, reruns {', '.join(f'{t * 1000:.0f}' for t in times)} ms")
    report.add(
        Figure(
            name,
            median(ms(times)),
            "ms",
            budget,
            samples=len(times),
            note=f"{CHANGING_SHARE:.0%} changed an answer before each; first run {first.elapsed_s * 1000:.0f} ms "
            f"{noise_note(cpu)}".strip(),
            detail=cpu,
        )
    )
