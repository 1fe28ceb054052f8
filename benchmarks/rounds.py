"""The host's page of a comparison round of every German municipality: server time of a rerun,
on SQLite and on PostgreSQL.

A round of 10,800 municipalities (populations and kinds of body mixed as in ``score.PLACES``),
each of which has answered every question of all six domains at random (about 5 % "don't
know"). The round and its list are created through the ``Store``; the 10,800 assessments with
their million or so answers are written in bulk into the same tables (:func:`bulk_insert`; through
the Store one by one they would take a quarter of an hour, and nothing on the page depends on
how they got there). The client opens ``/round?h=<host key>`` as the host's browser does. Before each
measured rerun, ten municipalities change one answer each (untimed), as in a running round
between two refreshes; the rerun without any change is in the detail.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Table, bindparam, update

from benchmarks.answers import random_answer, random_answers
from benchmarks.client import Session
from benchmarks.fixtures import LANG
from benchmarks.pages import GAP_S, require_ok
from benchmarks.report import Figure, Report, log, median, ms
from benchmarks.score import PLACES, ROUND
from benchmarks.server import APP, CpuWatch, Server, noise_note, postgres_database
from ktmsc.instrument import get_questionnaire
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.rounds.roster import LAND_OF_KEY, Member
from ktmsc.storage import Store, tokens
from ktmsc.storage.tables import answers, assessments, round_members

BUDGET = "< 500"  # the budget for the host's page of a round of 10,800
REPS = 7
CHANGING = 10  # municipalities that change one answer between two refreshes


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """``rows`` into ``table`` as the Store's columns would write them, without SQLAlchemy's work
    per row (binding a million answers one by one took most of a build): each value goes through
    its column type's own bind processor (once per distinct value: a build repeats one time
    stamp, the assessment ids and a few option ids), then SQLite gets one ``executemany`` and
    PostgreSQL a ``COPY``."""
    if not rows:
        return
    names = list(rows[0])
    columns = [_Bound(table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)) for name in names]
    values = [tuple(column(value) for column, value in zip(columns, row.values(), strict=True)) for row in rows]
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.cursor()  # psycopg 3: COPY, the fastest way in
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    conn.connection.cursor().executemany(statement, values)


class _Bound:
    """A column's bind processor, applied once per distinct value (its type is part of the key:
    True == 1 in Python); lists (multiple-choice answers) are processed every time."""

    def __init__(self, process) -> None:
        self.process = process
        self.seen: dict = {}

    def __call__(self, value):
        if self.process is None:
            return value
        try:
            key = (type(value), value)
            return self.seen[key]
        except KeyError:
            bound = self.seen[key] = self.process(value)
            return bound
        except TypeError:  # unhashable
            return self.process(value)


def build_round(store: Store, q: Questionnaire, count: int = ROUND, seed: int = 10_800) -> tuple[str, list[str]]:
    """A round of ``count`` municipalities that all answered everything: the host key and the assessment ids."""
    rng = random.Random(seed)
    lands = sorted(LAND_OF_KEY)
    members = []
    for n in range(count):
        population, kind = rng.choice(PLACES)
        land = lands[n % len(lands)]
        members.append(Member(f"{land}{n:06d}", f"Gemeinde {n}", kind, population, LAND_OF_KEY[land], n + 2))
    domains = list(q.domain_ids)
    created = store.create_round(title="Alle Kommunen", domains=domains, perspective=PERSPECTIVE_ADMIN, members=members)
    now = datetime.now(UTC)
    rows, answer_rows, links = [], [], []
    for member in members:
        assessment_id = tokens.new_id()
        profile = {
            "name": member.name,
            "body_kind": member.body_kind,
            "state": member.state,
            "population": member.population,
            "perspective": PERSPECTIVE_ADMIN,
        }
        rows.append(
            {
                "id": assessment_id,
                "edit_token_hash": tokens.hash_token(created.invitations[member.key]),
                "share_token": tokens.new_token(),
                "kind": "self",
                "profile": profile,
                "domains": domains,
                "questionnaire_version": q.version,
                "created_at": now,
                "updated_at": now,
            }
        )
        for item_id, value in random_answers(q, rng, dont_know=0.05, missing=0.0).items():
            answer_rows.append({"assessment_id": assessment_id, "item_id": item_id, "value": value, "updated_at": now})
        links.append((member.key, assessment_id))
    with store.engine.begin() as conn:
        bulk_insert(conn, assessments, rows)
        bulk_insert(conn, answers, answer_rows)
        conn.execute(
            update(round_members)
            .where(round_members.c.round_id == created.round.id, round_members.c.key == bindparam("member"))
            .values(assessment_id=bindparam("assessment")),
            [{"member": key, "assessment": assessment_id} for key, assessment_id in links],
        )
    log(f"rounds: {count} municipalities, {len(answer_rows)} answers written")
    return created.host_key, [a for _, a in links]


def some_change_an_answer(store: Store, q: Questionnaire, ids: list[str], rng: random.Random) -> None:
    items = [item for item in q.items.values() if item.type == "single" and not item.show_if]
    for assessment_id in rng.sample(ids, CHANGING):
        item = rng.choice(items)
        store.save_answer(assessment_id, item.id, random_answer(item, rng))


async def host_page(url: str, tmp: Path, backend: str, report: Report, *, count: int, reps: int, extra) -> None:
    q = get_questionnaire()
    store = Store(url, questionnaire=q)
    try:
        started = time.perf_counter()
        key, ids = build_round(store, q, count)
        log(f"rounds ({backend}): built in {time.perf_counter() - started:.0f} s")
        rng = random.Random(7)
        with Server(APP, url, tmp, name=f"rounds-{backend}", extra=extra) as app:
            app.wait_healthy(timeout=120)
            session, first = await Session.open(app.port, "round", f"lang={LANG}&h={key}")
            try:
                require_ok(first, f"round page ({backend}), first run")
                domains = len(q.domain_ids)
                report.check(
                    f"the round page ({backend}) shows the figures of every domain and the three counts",
                    first.elements["dataframe"] >= domains and first.elements["metric"] == 3,
                    f"{sum(first.elements.values())} elements, {first.bytes / 1000:.0f} kB",
                )
                for _ in range(2):
                    require_ok(await session.rerun(), "warm-up")
                quiet, changed = [], []
                watch = CpuWatch(app)
                for _ in range(reps):
                    await asyncio.sleep(GAP_S)
                    run = await session.rerun()
                    require_ok(run, f"round page rerun ({backend})")
                    quiet.append(run.elapsed_s)
                    some_change_an_answer(store, q, ids, rng)
                    await asyncio.sleep(GAP_S)
                    run = await session.rerun()
                    require_ok(run, f"round page rerun after changes ({backend})")
                    changed.append(run.elapsed_s)
                cpu = watch.stop()
            finally:
                await session.close()
        log(
            f"rounds ({backend}): first run {first.elapsed_s * 1000:.0f} ms; "
            f"unchanged {', '.join(f'{t * 1000:.0f}' for t in quiet)} ms; "
            f"after {CHANGING} changes {', '.join(f'{t * 1000:.0f}' for t in changed)} ms"
        )
        suffix = "" if backend == "sqlite" else "_postgres"
        report.add(
            Figure(
                f"round_dashboard_ms_{count}{suffix}",
                median(ms(changed)),
                "ms",
                BUDGET,
                samples=len(changed),
                note=f"{backend}; {CHANGING} municipalities changed an answer before each; unchanged "
                f"{median(ms(quiet)):.0f} ms; first run {first.elapsed_s * 1000:.0f} ms {noise_note(cpu)}".strip(),
                detail={**cpu, "unchanged_ms": median(ms(quiet)), "first_ms": first.elapsed_s * 1000},
            )
        )
    finally:
        store.close()


async def rounds(report: Report, *, count: int = ROUND, reps: int = REPS, extra=()) -> None:
    """The host's page on SQLite, then on a PostgreSQL server started for it (pgserver)."""
    with tempfile.TemporaryDirectory(prefix="ktmsc-bench-rounds-") as folder:
        tmp = Path(folder)
        await host_page(
            f"sqlite:///{tmp / 'round.sqlite3'}", tmp, "sqlite", report, count=count, reps=reps, extra=extra
        )
        with postgres_database(tmp / "pg", "bench_round") as url:
            await host_page(url, tmp, "postgres", report, count=count, reps=reps, extra=extra)
