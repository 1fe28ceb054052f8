"""The host's page of a comparison round of every German municipality: server time of a rerun,
on SQLite and on PostgreSQL.

A round of 10,800 municipalities (populations and kinds of body mixed as in ``score.PLACES``),
each of which has answered every question of all six domains at random (about 5 % "don't
know"), drawn once and written to both backends. The round and its list are created through
the ``Store``; the 10,800 assessments with
their million or so answers are written in bulk into the same tables (:func:`bulk_insert`; through
the Store one by one they would take a quarter of an hour, and nothing on the page depends on
how they got there). The client opens ``/round?h=<host key>`` as the host's browser does. Before each
measured rerun, ten municipalities change one answer each (untimed), as in a running round
between two refreshes; the rerun without any change is in the detail.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Table, bindparam, update
from sqlalchemy.types import TypeEngine

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
from ktmsc.storage.tables import JSONText, answers, assessments, round_members

BUDGET = "< 500"  # the budget for the host's page of a round of 10,800
REPS = 7
CHANGING = 10  # municipalities that change one answer between two refreshes


def bulk_insert(conn: Connection, table: Table, names: Sequence[str], rows: Sequence[tuple]) -> None:
    """``rows`` (tuples in the order of ``names``) into ``table`` as the Store's columns would
    write them, without SQLAlchemy's work per row (binding a million answers one by one took
    most of a build). SQLite gets one ``executemany``, each value through its column type's own
    bind processor; PostgreSQL gets ``COPY`` in its text format, written in large chunks
    (psycopg's ``write_row`` per row took as long again as the database's own work). Either way
    a value is converted once per distinct value: a build repeats one time stamp, the assessment
    ids and a few option ids."""
    if not rows:
        return
    columns = [[row[i] for row in rows] for i in range(len(names))]
    if conn.dialect.name == "postgresql":
        fields = [
            _converted(_copy_text(table.c[name].type), column) for name, column in zip(names, columns, strict=True)
        ]
        cursor = conn.connection.cursor()  # psycopg 3
        # The rows are consistent by construction: no foreign-key trigger per row (as pg_restore
        # --disable-triggers; the server started for the benchmark runs us as its superuser).
        cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            lines = ["\t".join(row) + "\n" for row in zip(*fields, strict=True)]
            for start in range(0, len(lines), COPY_CHUNK):
                copy.write("".join(lines[start : start + COPY_CHUNK]))
        return
    bound = [
        _converted(table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect), column)
        for name, column in zip(names, columns, strict=True)
    ]
    statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    conn.connection.cursor().executemany(statement, list(zip(*bound, strict=True)))


COPY_CHUNK = 20_000  # lines per write to the COPY stream
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(column_type: TypeEngine) -> Callable[[Any], str]:
    """A value → its field in PostgreSQL's COPY text format, for a column of ``column_type``."""
    is_json = isinstance(column_type, (JSON, JSONText))

    def text(value: Any) -> str:
        if value is None:
            return r"\N"
        if is_json:
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, bool):
            value = "t" if value else "f"
        elif isinstance(value, datetime):
            value = value.isoformat()
        return str(value).translate(_COPY_ESCAPES)

    return text


def _converted(convert: Callable[[Any], Any] | None, column: Sequence[Any]) -> Sequence[Any]:
    """``convert`` applied to every value of ``column``, once per distinct value (its type is part
    of the key: True == 1 in Python); lists (multiple-choice answers) are converted every time."""
    if convert is None:
        return column
    seen: dict[tuple[type, Any], Any] = {}
    out = []
    for value in column:
        if isinstance(value, (list, dict)):
            out.append(convert(value))
            continue
        key = (type(value), value)
        try:
            out.append(seen[key])
        except KeyError:
            seen[key] = converted = convert(value)
            out.append(converted)
    return out


@dataclass(frozen=True)
class RoundData:
    """A round's municipalities and each one's answers: drawn once, written to every backend measured."""

    members: list[Member]
    answers: list[dict[str, Any]]  # per member, in the same order


def round_data(q: Questionnaire, count: int = ROUND, seed: int = 10_800) -> RoundData:
    """``count`` municipalities that all answered everything (about 5 % "don't know")."""
    rng = random.Random(seed)
    lands = sorted(LAND_OF_KEY)
    members = []
    for n in range(count):
        population, kind = rng.choice(PLACES)
        land = lands[n % len(lands)]
        members.append(Member(f"{land}{n:06d}", f"Gemeinde {n}", kind, population, LAND_OF_KEY[land], n + 2))
    answers = [random_answers(q, rng, dont_know=0.05, missing=0.0) for _ in members]
    return RoundData(members, answers)


def build_round(store: Store, q: Questionnaire, data: RoundData) -> tuple[str, list[str]]:
    """The round of ``data`` created through the store, its assessments and answers written in
    bulk: the host key and the assessment ids."""
    domains = list(q.domain_ids)
    created = store.create_round(
        title="Alle Kommunen", domains=domains, perspective=PERSPECTIVE_ADMIN, members=data.members
    )
    now = datetime.now(UTC)
    started = sorted(
        ((tokens.new_id(), member, answers_) for member, answers_ in zip(data.members, data.answers, strict=True)),
        key=lambda s: s[0],
    )
    rows = [
        (
            assessment_id,
            tokens.hash_token(created.invitations[member.key]),
            tokens.new_token(),
            "self",
            {
                "name": member.name,
                "body_kind": member.body_kind,
                "state": member.state,
                "population": member.population,
                "perspective": PERSPECTIVE_ADMIN,
            },
            domains,
            q.version,
            now,
            now,
        )
        for assessment_id, member, _ in started
    ]
    # In the order of the answers' primary key: the index grows at its end.
    answer_rows = [
        (assessment_id, item_id, value, now)
        for assessment_id, _, answers_ in started
        for item_id, value in sorted(answers_.items())
    ]
    with store.engine.begin() as conn:
        bulk_insert(conn, assessments, ASSESSMENT_COLUMNS, rows)
        bulk_insert(conn, answers, ANSWER_COLUMNS, answer_rows)
        conn.execute(
            update(round_members)
            .where(round_members.c.round_id == created.round.id, round_members.c.key == bindparam("member"))
            .values(assessment_id=bindparam("assessment")),
            [{"member": member.key, "assessment": assessment_id} for assessment_id, member, _ in started],
        )
    log(f"rounds: {len(rows)} municipalities, {len(answer_rows)} answers written")
    return created.host_key, [assessment_id for assessment_id, _, _ in started]


ASSESSMENT_COLUMNS = (
    "id",
    "edit_token_hash",
    "share_token",
    "kind",
    "profile",
    "domains",
    "questionnaire_version",
    "created_at",
    "updated_at",
)
ANSWER_COLUMNS = ("assessment_id", "item_id", "value", "updated_at")


def some_change_an_answer(store: Store, q: Questionnaire, ids: list[str], rng: random.Random) -> None:
    items = [item for item in q.items.values() if item.type == "single" and not item.show_if]
    for assessment_id in rng.sample(ids, CHANGING):
        item = rng.choice(items)
        store.save_answer(assessment_id, item.id, random_answer(item, rng))


async def host_page(url: str, tmp: Path, backend: str, report: Report, data: RoundData, *, reps: int, extra) -> None:
    q = get_questionnaire()
    count = len(data.members)
    store = Store(url, questionnaire=q)
    try:
        # The app server starts (a process of its own) while the round is written: neither is measured.
        with Server(APP, url, tmp, name=f"rounds-{backend}", extra=extra) as app:
            started = time.perf_counter()
            key, ids = build_round(store, q, data)
            log(f"rounds ({backend}): built in {time.perf_counter() - started:.0f} s")
            rng = random.Random(7)
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
                for _ in range(max(1, min(2, reps // 3))):  # warm-up: 2 in a full run, 1 in a quick one
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
    with tempfile.TemporaryDirectory(prefix="ktmsc-bench-rounds-") as folder, contextlib.ExitStack() as stack:
        tmp = Path(folder)
        # The PostgreSQL server starts (processes of its own) while the round is drawn; it idles
        # while the SQLite backend is measured.
        url, data = await asyncio.gather(
            asyncio.to_thread(stack.enter_context, postgres_database(tmp / "pg", "bench_round")),
            asyncio.to_thread(round_data, get_questionnaire(), count),
        )
        await host_page(f"sqlite:///{tmp / 'round.sqlite3'}", tmp, "sqlite", report, data, reps=reps, extra=extra)
        await host_page(url, tmp, "postgres", report, data, reps=reps, extra=extra)
