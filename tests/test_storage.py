"""Storage: every test runs against SQLite and a real PostgreSQL server (see storage_fixtures).

No mocks: each test opens a :class:`Store` on a fresh database and checks what the
database really holds — round trips, tokens, deletion, migrations, concurrency and
workshops.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import storage_fixtures
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storage_fixtures import backend_of

from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.storage import (
    AssessmentNotFound,
    InvalidAnswer,
    InvalidValue,
    Purged,
    StorageError,
    Store,
    WorkshopClosed,
    WorkshopNotFound,
    database_url,
    migrate,
    retention,
    tables,
    tokens,
)
from ktmsc.storage.engine import make_engine
from ktmsc.storage.location import DEFAULT_SQLITE_PATH, PROJECT_ROOT, normalise_url
from ktmsc.storage.tables import UTCDateTime, metadata

# The shared fixtures (tests/conftest.py is not this module's to change): every test that
# takes ``store`` or ``db_url`` runs on SQLite and on PostgreSQL.
backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store

UNICODE_NAME = "Groß-Umstadt – Süd"
SCRIPT = "<script>alert(1)</script>"
GARBAGE = [
    "",
    " ",
    "x",
    "A" * 31,
    "A" * 33,
    "A" * 10_000,
    "' OR '1'='1' --",
    "'; DROP TABLE assessments; --",
    "%",
    "\x00" * 32,
    "Ä" * 32,
    "🙂" * 32,
    "null",
    None,
    12345,
    b"A" * 32,
    ["A" * 32],
]


def full_assessment(questionnaire: Any) -> Assessment:
    """An assessment with every kind of answer, notes, evidence and hostile text."""
    return Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(
            name=UNICODE_NAME, body_kind="stadt", state="HE", population=21_000, perspective="verwaltung"
        ),
        domains=["mobilitaet", "wirtschaft"],
        answers={
            "g_strategy": "adopted",  # single: option id
            "g_cooperation": ["it_provider", "intermunicipal"],  # multi: list
            "g_staff_fte": 2.5,  # number (float)
            "mob_count": 7,  # number (int)
            "g_budget": "dont_know",
        },
        notes={"g_strategy": f"{UNICODE_NAME} {SCRIPT}", "g_cooperation": "Kreis + „Zweckverband“"},
        evidence={"g_strategy": "https://example.org/strategie.pdf?a=1&b=<2>", "orphan_item": SCRIPT},
        created_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )


def tiny(name: str = "Musterstadt", **answers: Any) -> Assessment:
    return Assessment(profile=AssessmentProfile(name=name), domains=["mobilitaet"], answers=answers)


def all_rows_text(url: str) -> str:
    """Every value of every table, as one text (to scan the database for secrets)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            parts = []
            for table in sa.inspect(conn).get_table_names():
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                    parts.extend(json.dumps(v, default=str, ensure_ascii=False) for v in row)
            return "\n".join(parts)
    finally:
        engine.dispose()


def count_rows(url: str, table: str, where: str = "", **params: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} {where}"), params).scalar_one()
    finally:
        engine.dispose()


def run_threads(count: int, work: Callable[[int], list[float]]) -> tuple[float, list[float], list[BaseException]]:
    """Start ``count`` threads at the same moment; return elapsed time, per-write latencies, errors."""
    barrier = threading.Barrier(count)
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def body(index: int) -> None:
        barrier.wait()
        try:
            measured = work(index)
        except BaseException as exc:
            with lock:
                errors.append(exc)
            return
        with lock:
            latencies.extend(measured)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, errors


def p95_ms(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) >= 2 else 0.0


# --- configuration (no database needed) -----------------------------------------------------


def test_database_url__env_wins_and_default_is_the_sqlite_file(monkeypatch):
    monkeypatch.delenv("KTMSC_DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert DEFAULT_SQLITE_PATH == PROJECT_ROOT / "data" / "ktmsc.sqlite3"
    monkeypatch.setenv("KTMSC_DATABASE_URL", "postgresql://u:p%40ss@db.example:5433/ktmsc")
    assert database_url() == "postgresql+psycopg://u:p%40ss@db.example:5433/ktmsc"
    monkeypatch.setenv("KTMSC_DATABASE_URL", "   ")
    assert database_url().startswith("sqlite:///")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u:pw@h:5432/db", "postgresql+psycopg://u:pw@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_normalise_url__postgres_uses_psycopg3(given, expected):
    assert normalise_url(given) == expected


def test_bad_urls_give_clear_errors_without_the_password():
    with pytest.raises(StorageError) as caught:
        Store("not a url :: secret-password")
    assert "secret-password" not in str(caught.value)
    with pytest.raises(StorageError, match="in-memory"):
        Store("sqlite://")
    with pytest.raises(StorageError, match="unsupported"):
        make_engine("mysql://u@h/db")


def test_sqlite__directory_created_and_settings_on_every_connection(tmp_path):
    path = tmp_path / "nested" / "deeper" / "ktmsc.sqlite3"
    with Store(f"sqlite:///{path}") as opened:
        assert path.exists()
        seen: list[tuple] = []

        def check() -> None:
            with opened.engine.connect() as conn:
                seen.append(
                    tuple(
                        conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                        for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
                    )
                )

        threads = [threading.Thread(target=check) for _ in range(4)]  # pooled connections in other threads
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        check()
    assert seen == [("wal", 10_000, 1, 1)] * 5  # synchronous 1 = NORMAL


# --- assessments ----------------------------------------------------------------------------


def test_round_trip__everything_comes_back_verbatim(store, questionnaire):
    original = full_assessment(questionnaire)
    created = store.create_assessment(original)
    loaded = store.open_for_edit(created.edit_token)
    assert loaded is not None
    got = loaded.assessment
    assert got.profile == original.profile
    assert got.profile.name == UNICODE_NAME
    assert got.domains == ["mobilitaet", "wirtschaft"]
    assert got.answers == original.answers
    assert type(got.answers["g_staff_fte"]) is float and type(got.answers["mob_count"]) is int
    assert got.notes == original.notes
    assert got.notes["g_strategy"].endswith(SCRIPT)
    assert got.evidence == original.evidence  # answers to unknown items are kept, not validated
    assert got.questionnaire_version == questionnaire.version
    assert got.created_at == original.created_at
    assert (
        got.updated_at is not None and got.updated_at.tzinfo is not None and got.updated_at.utcoffset() == timedelta(0)
    )
    assert (loaded.id, loaded.kind, loaded.workshop_id, loaded.previous_id, loaded.step) == (
        created.id,
        "self",
        None,
        None,
        None,
    )
    assert loaded.share_token == created.share_token
    assert store.load(created.id) == loaded
    assert store.open_shared(created.share_token) == loaded
    # The exported JSON of the reloaded assessment equals the original's (apart from updated_at).
    dumped, expected = got.model_dump(mode="json"), original.model_dump(mode="json")
    dumped.pop("updated_at"), expected.pop("updated_at")
    assert dumped == expected


OPTION_IDS = st.text(min_size=1, max_size=100).filter(lambda t: "\x00" not in t)
ANSWER_VALUES = st.one_of(
    OPTION_IDS,
    st.just("dont_know"),
    st.lists(OPTION_IDS, max_size=8),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
)
TEXTS = st.text(min_size=1, max_size=500).filter(lambda t: "\x00" not in t)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=ANSWER_VALUES, note=TEXTS, evidence=TEXTS)
def test_any_valid_answer_note_and_evidence_round_trips_verbatim(store, value, note, evidence):
    created = store.create_assessment(tiny())
    store.save_answer(created.id, "g_item", value)
    store.save_note(created.id, "g_item", note)
    store.save_evidence(created.id, "g_item", evidence)
    loaded = store.load(created.id).assessment
    assert loaded.answers == {"g_item": value} and type(loaded.answers["g_item"]) is type(value)
    assert (loaded.notes, loaded.evidence) == ({"g_item": note}, {"g_item": evidence})


def test_profile_domains_and_step_are_saved(store):
    created = store.create_assessment(tiny())
    profile = AssessmentProfile(name=SCRIPT, population=1234, perspective="buergerin")
    store.save_profile(created.id, profile)
    store.save_domains(created.id, ["umwelt_energie", "mobilitaet"])
    store.save_step(created.id, "domain:umwelt_energie")
    loaded = store.load(created.id)
    assert loaded.assessment.profile == profile
    assert loaded.assessment.domains == ["umwelt_energie", "mobilitaet"]
    assert loaded.step == "domain:umwelt_energie"


def test_clearing_answers_notes_and_evidence(store):
    created = store.create_assessment(tiny(g_strategy="adopted"))
    store.save_note(created.id, "g_strategy", "eine Notiz")
    store.save_evidence(created.id, "g_strategy", "https://example.org")
    store.save_answer(created.id, "g_strategy", None)
    loaded = store.load(created.id).assessment
    assert "g_strategy" not in loaded.answers
    assert loaded.notes == {"g_strategy": "eine Notiz"}
    store.save_note(created.id, "g_strategy", "")
    store.save_evidence(created.id, "g_strategy", None)
    loaded = store.load(created.id).assessment
    assert (loaded.answers, loaded.notes, loaded.evidence) == ({}, {}, {})
    assert count_rows(store.url, "answers") == 0  # an empty row is removed, not left behind
    store.save_answer(created.id, "never_answered", None)  # clearing nothing is fine
    assert count_rows(store.url, "answers") == 0


def test_value_note_and_evidence_written_separately_all_survive(store):
    created = store.create_assessment(tiny())
    # Two tabs: one clicks the answer, the other types a note, a third adds evidence.
    store.save_note(created.id, "g_strategy", "Notiz aus Tab 2")
    store.save_answer(created.id, "g_strategy", "adopted")
    store.save_evidence(created.id, "g_strategy", "https://example.org/beleg")
    store.save_answer(created.id, "g_strategy", "adopted_monitored")
    loaded = store.load(created.id).assessment
    assert loaded.answers == {"g_strategy": "adopted_monitored"}
    assert loaded.notes == {"g_strategy": "Notiz aus Tab 2"}
    assert loaded.evidence == {"g_strategy": "https://example.org/beleg"}


def test_every_write_bumps_updated_at(store):
    created = store.create_assessment(tiny())
    stamps = [store.load(created.id).updated_at]
    for write in (
        lambda: store.save_answer(created.id, "a", "x"),
        lambda: store.save_note(created.id, "a", "n"),
        lambda: store.save_evidence(created.id, "a", "e"),
        lambda: store.save_profile(created.id, AssessmentProfile(name="B")),
        lambda: store.save_domains(created.id, ["wirtschaft"]),
        lambda: store.replace_answers(created.id, tiny(b="y")),
    ):
        returned = write()
        stored = store.load(created.id).updated_at
        assert returned == stored
        stamps.append(stored)
    store.save_step(created.id, "results")
    stamps.append(store.load(created.id).updated_at)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_replace_answers__import_replaces_everything_at_once(store, questionnaire):
    created = store.create_assessment(tiny(old="x", other=["a"]))
    store.save_note(created.id, "old", "alte Notiz")
    imported = full_assessment(questionnaire)
    store.replace_answers(created.id, imported)
    loaded = store.load(created.id).assessment
    assert loaded.answers == imported.answers
    assert loaded.notes == imported.notes
    assert loaded.evidence == imported.evidence
    assert loaded.profile == imported.profile and loaded.domains == imported.domains


def test_bad_values_raise_and_change_nothing(store):
    created = store.create_assessment(tiny(kept="yes"))
    store.save_note(created.id, "kept", "bleibt")
    before = store.load(created.id)
    bad_calls = [
        lambda: store.save_answer(created.id, "a", True),
        lambda: store.save_answer(created.id, "a", float("nan")),
        lambda: store.save_answer(created.id, "a", float("inf")),
        lambda: store.save_answer(created.id, "a", {"x": 1}),
        lambda: store.save_answer(created.id, "a", ["ok", 3]),
        lambda: store.save_answer(created.id, "", "x"),
        lambda: store.save_answer(created.id, "i" * 101, "x"),
        lambda: store.save_note(created.id, "a", "n" * 2001),
        lambda: store.save_evidence(created.id, "a", "e" * 501),
        lambda: store.save_note(created.id, "a", 42),
        lambda: store.save_domains(created.id, "mobilitaet"),
        lambda: store.save_step(created.id, "s" * 65),
        lambda: store.replace_answers(created.id, tiny(kept="new", broken=float("nan"))),
        lambda: store.create_assessment(tiny(), kind="admin"),
        lambda: store.create_assessment(tiny(), participant_role="r" * 81),
    ]
    for call in bad_calls:
        with pytest.raises(InvalidValue):
            call()
    assert store.load(created.id) == before


@pytest.mark.parametrize("missing", ["0" * 32, "not-an-id", "", "x" * 10_000])
def test_writes_to_unknown_assessments_raise(store, missing):
    for call in (
        lambda: store.save_answer(missing, "a", "x"),
        lambda: store.save_note(missing, "a", "n"),
        lambda: store.save_evidence(missing, "a", "e"),
        lambda: store.save_profile(missing, AssessmentProfile()),
        lambda: store.save_domains(missing, []),
        lambda: store.save_step(missing, "s"),
        lambda: store.replace_answers(missing, tiny()),
        lambda: store.create_assessment(tiny(), previous_id=missing),
    ):
        with pytest.raises(AssessmentNotFound):
            call()
    assert store.load(missing) is None
    assert store.delete(missing) is False


# --- tokens ---------------------------------------------------------------------------------


def test_tokens__each_opens_only_its_own_door(store):
    created = store.create_assessment(tiny())
    assert store.open_for_edit(created.edit_token).id == created.id
    assert store.open_shared(created.share_token).id == created.id
    assert store.open_for_edit(created.share_token) is None
    assert store.open_shared(created.edit_token) is None
    assert store.open_for_edit(created.id) is None and store.load(created.edit_token) is None
    assert store.workshop_for_facilitator(created.edit_token) is None
    assert store.workshop_by_join(created.edit_token) is None


def test_tokens__garbage_opens_nothing_and_never_raises(store):
    created = store.create_assessment(tiny())
    truncated = [created.edit_token[:-1], created.edit_token[1:], created.edit_token + "A", created.edit_token.upper()]
    random_valid_shape = [tokens.new_token() for _ in range(3)]
    for garbage in [*GARBAGE, *truncated, *random_valid_shape]:
        assert store.open_for_edit(garbage) is None, garbage
        assert store.open_shared(garbage) is None, garbage
        assert store.load(garbage) is None, garbage
        assert store.workshop_by_join(garbage) is None, garbage
        assert store.workshop_for_facilitator(garbage) is None, garbage
        assert store.workshop(garbage) is None, garbage
        assert store.workshop_participants(garbage) == [], garbage


def test_tokens__at_least_128_bits_and_all_distinct(store):
    issued: list[str] = []
    for _ in range(20):
        created = store.create_assessment(tiny())
        issued += [created.edit_token, created.share_token]
        assert len(created.id) == 32 and int(created.id, 16) >= 0  # 128-bit hex id
    workshop = store.create_workshop(
        title="W", profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung"
    )
    issued += [workshop.join_token, workshop.facilitator_key]
    for token in issued:
        assert tokens.is_token(token)
        assert len(token) * 6 >= 128  # URL-safe base64: 6 bits per character (here 192 bits)
    assert len(set(issued)) == len(issued)


def test_secrets_are_not_stored_in_plaintext(store):
    created = store.create_assessment(tiny(a="x"))
    workshop = store.create_workshop(
        title="W", profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung"
    )
    participant = store.create_assessment(tiny(), kind="participant", workshop_id=workshop.workshop.id)
    everything = all_rows_text(store.url)
    assert created.share_token in everything  # sanity: the scan does see stored values
    for secret in (created.edit_token, participant.edit_token, workshop.facilitator_key):
        assert secret not in everything
    assert tokens.hash_token(created.edit_token) in everything


# --- delete and follow-ups ------------------------------------------------------------------


def test_delete__gone_with_answers_and_tokens(store):
    created = store.create_assessment(tiny(a="x", b=["y"]))
    store.save_note(created.id, "a", "Notiz")
    other = store.create_assessment(tiny(c="z"))
    follow_up = store.create_assessment(tiny(), previous_id=created.id)
    assert store.load(follow_up.id).previous_id == created.id

    assert store.delete(created.id) is True
    assert store.load(created.id) is None
    assert store.open_for_edit(created.edit_token) is None
    assert store.open_shared(created.share_token) is None
    assert count_rows(store.url, "answers", "WHERE assessment_id = :id", id=created.id) == 0
    assert count_rows(store.url, "assessments", "WHERE id = :id", id=created.id) == 0
    with pytest.raises(AssessmentNotFound):
        store.save_answer(created.id, "a", "x")
    assert store.delete(created.id) is False
    # Others are untouched; the follow-up loses only its link (ON DELETE SET NULL).
    assert store.load(other.id).assessment.answers == {"c": "z"}
    assert store.load(follow_up.id).previous_id is None


# --- migrations -----------------------------------------------------------------------------


def test_migrations__empty_database_to_head(db_url):
    engine = make_engine(db_url)
    try:
        assert migrate.current_revision(engine) is None
        with Store(db_url):
            pass
        assert migrate.current_revision(engine) == migrate.head_revision() == "0011"
        assert {"assessments", "answers", "workshops", "alembic_version"} <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations__the_cheap_check_knows_the_head_and_the_stored_revision(db_url):
    assert migrate.declared_head() == migrate.head_revision()
    engine = make_engine(db_url)
    try:
        assert migrate.stored_revision(engine) is None and not migrate.is_current(engine)
        migrate.upgrade(engine, "0001")
        assert migrate.stored_revision(engine) == "0001" and not migrate.is_current(engine)
        migrate.upgrade(engine)
        assert migrate.stored_revision(engine) == migrate.head_revision() and migrate.is_current(engine)
    finally:
        engine.dispose()


def test_migrations__a_current_database_opens_without_loading_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    code = f"import sys\nfrom ktmsc.storage import Store\nwith Store({url!r}): pass\nprint('alembic' in sys.modules)\n"

    def open_fresh_process() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert open_fresh_process() == "True"  # a new database: Alembic creates the schema
    assert open_fresh_process() == "False"  # at head already: one read, no Alembic


def test_migrations__schema_at_head_matches_the_table_definitions(db_url):
    with Store(db_url) as opened, opened.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        diff = compare_metadata(context, metadata)
        if backend_of(db_url) == "sqlite":
            # SQLAlchemy does not reflect the name and ON DELETE of an inline column REFERENCES
            # (how 0002 adds it on SQLite), so check that foreign key with SQLite's own pragma.
            diff = [
                d
                for d in diff
                if not (d[0] in ("add_fk", "remove_fk") and [c.name for c in d[1].columns] == ["workshop_id"])
            ]
            fks = conn.exec_driver_sql("PRAGMA foreign_key_list(assessments)").mappings().all()
            assert {(fk["from"], fk["table"], fk["to"], fk["on_delete"]) for fk in fks} == {
                ("workshop_id", "workshops", "id", "SET NULL"),
                ("previous_id", "assessments", "id", "SET NULL"),
            }
        assert diff == []


def test_migrations__from_0001_with_data_to_head_keeps_the_data(db_url):
    engine = make_engine(db_url)
    edit_token, share_token = tokens.new_token(), tokens.new_token()
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    old_assessments = sa.table(
        "assessments",
        *(sa.column(name) for name in ("id", "edit_token_hash", "share_token", "questionnaire_version", "step")),
        sa.column("profile", sa.JSON),
        sa.column("domains", sa.JSON),
        sa.column("created_at", UTCDateTime),
        sa.column("updated_at", UTCDateTime),
    )
    old_answers = sa.table(
        "answers",
        sa.column("assessment_id"),
        sa.column("item_id"),
        sa.column("value", sa.JSON),
        sa.column("note"),
        sa.column("evidence"),
        sa.column("updated_at", UTCDateTime),
    )
    try:
        migrate.upgrade(engine, "0001")
        assert migrate.current_revision(engine) == "0001"
        assert "workshops" not in sa.inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(
                old_assessments.insert().values(
                    id="a" * 32,
                    edit_token_hash=tokens.hash_token(edit_token),
                    share_token=share_token,
                    questionnaire_version="2025.1",
                    step="general",
                    profile={"name": UNICODE_NAME, "perspective": "verwaltung"},
                    domains=["mobilitaet"],
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
            conn.execute(
                old_answers.insert(),
                [
                    {
                        "assessment_id": "a" * 32,
                        "item_id": "g_strategy",
                        "value": "adopted",
                        "note": SCRIPT,
                        "evidence": None,
                        "updated_at": stamp,
                    },
                    {
                        "assessment_id": "a" * 32,
                        "item_id": "g_cooperation",
                        "value": ["it_provider"],
                        "note": None,
                        "evidence": "https://x",
                        "updated_at": stamp,
                    },
                ],
            )
    finally:
        engine.dispose()

    with Store(db_url) as opened:
        loaded = opened.open_for_edit(edit_token)
        assert loaded is not None
        assert loaded.assessment.profile.name == UNICODE_NAME
        assert loaded.assessment.answers == {"g_strategy": "adopted", "g_cooperation": ["it_provider"]}
        assert loaded.assessment.notes == {"g_strategy": SCRIPT}
        assert loaded.assessment.evidence == {"g_cooperation": "https://x"}
        assert (loaded.kind, loaded.workshop_id, loaded.participant_name, loaded.step) == (
            "self",
            None,
            None,
            "general",
        )
        assert loaded.assessment.created_at == stamp
        assert opened.open_shared(share_token).id == "a" * 32
        # The upgraded database takes new writes and the new features.
        opened.save_answer(loaded.id, "g_budget", "dont_know")
        workshop = opened.create_workshop(
            title="W", profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung"
        )
        opened.create_assessment(tiny(), kind="participant", workshop_id=workshop.workshop.id)
        assert len(opened.workshop_participants(workshop.workshop.id)) == 1
        assert migrate.current_revision(opened.engine) == "0011"


def test_migrations__running_the_upgrade_again_is_a_no_op(db_url):
    with Store(db_url) as first:
        created = first.create_assessment(tiny(a="x"))
    snapshot = all_rows_text(db_url)
    with Store(db_url) as second:  # opening migrates again
        migrate.upgrade(second.engine)
        migrate.upgrade(second.engine, "head")
        assert migrate.current_revision(second.engine) == "0011"
        assert second.open_for_edit(created.edit_token).assessment.answers == {"a": "x"}
    assert all_rows_text(db_url) == snapshot


def test_migrations__concurrent_first_start_on_an_empty_database(db_url):
    opened: list[Store] = []
    lock = threading.Lock()

    def start(_index: int) -> list[float]:
        store_ = Store(db_url)
        with lock:
            opened.append(store_)
        return []

    _elapsed, _latencies, errors = run_threads(4, start)
    try:
        assert errors == []
        assert len(opened) == 4
        assert migrate.current_revision(opened[0].engine) == "0011"
        created = opened[0].create_assessment(tiny(a="x"))
        assert opened[3].load(created.id).assessment.answers == {"a": "x"}
    finally:
        for store_ in opened:
            store_.close()


def test_migrations__many_concurrent_first_starts_on_fresh_sqlite_files(tmp_path):
    # Regression: the switch of a fresh file to WAL failed "database is locked" without
    # waiting, and parsing the migration files in several threads at once failed on CPython 3.11.
    lock = threading.Lock()
    for round_ in range(12):
        url = f"sqlite:///{tmp_path / f'fresh-{round_}.sqlite3'}"
        opened: list[Store] = []

        def start(_index: int, url: str = url, opened: list[Store] = opened) -> list[float]:
            store_ = Store(url)
            with lock:
                opened.append(store_)
            return []

        _elapsed, _latencies, errors = run_threads(4, start)
        for store_ in opened:
            store_.close()
        assert errors == [], f"round {round_}"


def test_migrations__two_processes_start_at_once_on_an_empty_database(db_url, tmp_path):
    # Started from another working directory: the migrations are found from any cwd.
    code = "from ktmsc.storage import Store\nStore().close()\nprint('ok')\n"
    env = {**os.environ, "KTMSC_DATABASE_URL": db_url, "PYTHONPATH": str(PROJECT_ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], [err for _out, err in results]
    assert [out.strip() for out, _err in results] == ["ok", "ok"]
    with Store(db_url) as opened:
        assert migrate.current_revision(opened.engine) == "0011"


# --- concurrency ----------------------------------------------------------------------------


def test_concurrency__50_threads_write_to_50_assessments(store):
    threads, per_thread = 50, 40
    created = [store.create_assessment(tiny(name=f"Gemeinde {i}")) for i in range(threads)]

    def work(index: int) -> list[float]:
        latencies = []
        for k in range(per_thread):
            started = time.perf_counter()
            store.save_answer(created[index].id, f"item_{k:02d}", f"a{index}-{k}")
            latencies.append(time.perf_counter() - started)
        return latencies

    elapsed, latencies, errors = run_threads(threads, work)
    lost = 0
    for index, entry in enumerate(created):
        answers = store.load(entry.id).assessment.answers
        expected = {f"item_{k:02d}": f"a{index}-{k}" for k in range(per_thread)}
        lost += sum(1 for key, value in expected.items() if answers.get(key) != value)
        assert set(answers) <= set(expected)  # nothing from another assessment leaked in
    writes = threads * per_thread
    print(
        f"\nconcurrency {backend_of(store.url)}: {writes} writes (50 threads × 40, 50 assessments) in {elapsed:.2f} s, p95 {p95_ms(latencies):.1f} ms, lost {lost}"
    )
    assert errors == []
    assert len(latencies) == writes
    assert lost == 0


def test_concurrency__10_threads_write_to_the_same_assessment(store):
    threads, own_items, shared_items = 10, 20, 5
    created = store.create_assessment(tiny())

    def work(index: int) -> list[float]:
        latencies = []
        # Pairs of threads: one writes the value, the other the note of the same item.
        pair_write = store.save_answer if index % 2 == 0 else store.save_note
        for k in range(own_items):
            for write, item_id, value in (
                (store.save_answer, f"t{index}_item{k}", [f"o{index}", f"k{k}"]),
                # Everyone writes the same few items: last write wins, nothing raises.
                (store.save_answer, f"shared_{k % shared_items}", f"from-{index}"),
                (pair_write, f"pair{index // 2}_item{k}", f"p{index}-{k}"),
            ):
                started = time.perf_counter()
                write(created.id, item_id, value)
                latencies.append(time.perf_counter() - started)
        return latencies

    elapsed, latencies, errors = run_threads(threads, work)
    loaded = store.load(created.id).assessment
    expected_own = {f"t{i}_item{k}": [f"o{i}", f"k{k}"] for i in range(threads) for k in range(own_items)}
    expected_values = {f"pair{i // 2}_item{k}": f"p{i}-{k}" for i in range(0, threads, 2) for k in range(own_items)}
    expected_notes = {f"pair{i // 2}_item{k}": f"p{i}-{k}" for i in range(1, threads, 2) for k in range(own_items)}
    lost = sum(1 for key, value in {**expected_own, **expected_values}.items() if loaded.answers.get(key) != value)
    lost += sum(1 for key, value in expected_notes.items() if loaded.notes.get(key) != value)
    shared = {key: value for key, value in loaded.answers.items() if key.startswith("shared_")}
    assert len(shared) == shared_items and all(
        value in {f"from-{i}" for i in range(threads)} for value in shared.values()
    )
    assert set(loaded.answers) == set(expected_own) | set(expected_values) | set(shared)
    writes = threads * own_items * 3
    print(
        f"\nconcurrency {backend_of(store.url)} same assessment: {writes} writes (10 threads) in {elapsed:.2f} s, p95 {p95_ms(latencies):.1f} ms, lost {lost}"
    )
    assert errors == []
    assert lost == 0


# --- workshops ------------------------------------------------------------------------------


def make_workshop(store_: Store, **extra: Any):
    return store_.create_workshop(
        title=extra.pop("title", f"Workshop {UNICODE_NAME}"),
        profile=AssessmentProfile(name=UNICODE_NAME, population=21_000),
        domains=["mobilitaet", "wirtschaft"],
        perspective="verwaltung",
        **extra,
    )


def join(store_: Store, workshop_id: str, name: str = "Kim", role: str | None = "Kämmerei", **answers: Any):
    return store_.create_assessment(
        tiny(**answers), kind="participant", workshop_id=workshop_id, participant_name=name, participant_role=role
    )


def test_workshop__create_and_join_by_code_or_token(store):
    created = make_workshop(store)
    workshop = created.workshop
    assert workshop.title == f"Workshop {UNICODE_NAME}" and workshop.profile.name == UNICODE_NAME
    assert workshop.domains == ["mobilitaet", "wirtschaft"] and workshop.perspective == "verwaltung"
    assert workshop.is_open and not workshop.closed and workshop.closes_at is None
    code = created.join_code
    assert len(code) == tokens.JOIN_CODE_LENGTH == 8 and set(code) <= set(tokens.JOIN_ALPHABET)
    assert not set(code) & set("0O1IL5S2Z8B")
    for typed in (
        code,
        code.lower(),
        f" {code[:3].lower()} {code[3:]} ",
        f"{code[:3]}-{code[3:]}",
        f"{code[:2]} - {code[2:4]} - {code[4:]}",
    ):
        assert store.workshop_by_join(typed) == workshop, typed
    assert store.workshop_by_join(created.join_token) == workshop
    assert store.workshop(workshop.id) == workshop
    codes = {make_workshop(store).join_code for _ in range(20)}
    assert len(codes) == 20 and code not in codes


def test_workshop__wrong_and_garbage_codes_find_nothing(store):
    created = make_workshop(store)
    code = created.join_code
    wrong = code[:-1] + next(c for c in tokens.JOIN_ALPHABET if c != code[-1])
    for garbage in [
        wrong,
        code[:5],
        code[:7],
        code + "A",
        "0O1IL5",
        "ÄÖÜßAC",
        f"{code}'--",
        code.replace(code[0], "\u0410"),
        *GARBAGE,
    ]:
        assert store.workshop_by_join(garbage) is None, garbage


def test_workshop__a_six_character_code_of_an_older_workshop_still_joins(store):
    created = make_workshop(store)
    with store.engine.begin() as conn:
        row = tables.workshops.c.id == created.workshop.id
        conn.execute(tables.workshops.update().where(row).values(join_code="ACD4FG"))
    assert store.workshop_by_join("acd 4fg").id == created.workshop.id
    assert store.workshop_by_join("ACD4FGH") is None


def test_workshop__facilitator_key(store):
    created = make_workshop(store)
    participant = join(store, created.workshop.id)
    assert store.workshop_for_facilitator(created.facilitator_key) == created.workshop
    for wrong in (
        tokens.new_token(),
        participant.edit_token,
        participant.share_token,
        created.join_token,
        created.join_code,
        created.workshop.id,
        created.facilitator_key[:-1],
        *GARBAGE,
    ):
        assert store.workshop_for_facilitator(wrong) is None, wrong


def test_workshop__closing_blocks_participant_writes_and_reopening_allows_them(store):
    created = make_workshop(store)
    workshop_id = created.workshop.id
    participant = join(store, workshop_id, g_strategy="none")
    own = store.create_assessment(tiny())
    store.set_workshop_closed(workshop_id, True)
    assert not store.workshop(workshop_id).is_open
    for write in (
        lambda: store.save_answer(participant.id, "g_strategy", "adopted"),
        lambda: store.save_note(participant.id, "g_strategy", "zu spät"),
        lambda: store.save_evidence(participant.id, "g_strategy", "https://x"),
        lambda: store.save_profile(participant.id, AssessmentProfile(name="X")),
        lambda: store.save_domains(participant.id, ["wirtschaft"]),
        lambda: store.replace_answers(participant.id, tiny(g_strategy="adopted")),
        lambda: join(store, workshop_id, name="Spät"),
    ):
        with pytest.raises(WorkshopClosed):
            write()
    loaded = store.load(participant.id)
    assert loaded.assessment.answers == {"g_strategy": "none"} and loaded.assessment.notes == {}
    store.save_step(participant.id, "results")  # navigation still works
    store.save_answer(own.id, "g_strategy", "adopted")  # other assessments are not affected
    assert len(store.workshop_participants(workshop_id)) == 1

    store.set_workshop_closed(workshop_id, False)
    assert store.workshop(workshop_id).is_open
    store.save_answer(participant.id, "g_strategy", "adopted")
    join(store, workshop_id, name="Jetzt doch")
    assert store.load(participant.id).assessment.answers == {"g_strategy": "adopted"}
    with pytest.raises(WorkshopNotFound):
        store.set_workshop_closed("f" * 32, True)


def test_workshop__hidden_until_revealed_and_hidden_again(store):
    created = make_workshop(store).workshop
    assert not created.revealed and not created.shown_to_participants
    store.set_workshop_revealed(created.id, True)
    first = store.workshop(created.id)
    assert first.revealed and not first.shown_to_participants
    store.set_workshop_revealed(created.id, True, to_participants=True)
    again = store.workshop(created.id)
    assert again.shown_to_participants and again.revealed_at == first.revealed_at  # the first reveal is kept
    store.set_workshop_revealed(created.id, False, to_participants=True)
    hidden = store.workshop(created.id)
    assert not hidden.revealed and not hidden.shown_to_participants
    with pytest.raises(InvalidValue):
        store.set_workshop_revealed(created.id, "yes")
    with pytest.raises(WorkshopNotFound):
        store.set_workshop_revealed("f" * 32, True)


def test_migrations__workshops_from_before_0009_stay_revealed(db_url):
    engine = make_engine(db_url)
    stamp = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    old = sa.table(
        "workshops",
        *(sa.column(n) for n in ("id", "title", "join_code", "join_token", "facilitator_key_hash", "perspective")),
        sa.column("profile", sa.JSON),
        sa.column("domains", sa.JSON),
        sa.column("closed", sa.Boolean),
        sa.column("created_at", UTCDateTime),
        sa.column("updated_at", UTCDateTime),
    )
    try:
        migrate.upgrade(engine, "0008")
        with engine.begin() as conn:
            conn.execute(
                old.insert().values(
                    id="ab" * 16,
                    title="Alt",
                    join_code="ACDEFG",
                    join_token="j" * 32,
                    facilitator_key_hash="h" * 64,
                    perspective="verwaltung",
                    profile={},
                    domains=["mobilitaet"],
                    closed=False,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
    finally:
        engine.dispose()
    with Store(db_url) as opened:
        kept = opened.workshop("ab" * 16)
        assert kept.revealed_at == stamp and not kept.reveal_to_participants
        assert not make_workshop(opened).workshop.revealed  # a new one starts hidden


def test_workshop__closing_time_in_the_past_behaves_as_closed(store):
    now = datetime.now(UTC)
    future = make_workshop(store, closes_at=now + timedelta(hours=2))
    participant = join(store, future.workshop.id)
    store.save_answer(participant.id, "g_strategy", "adopted")
    assert future.workshop.is_open and future.workshop.closes_at == now + timedelta(hours=2)

    past = make_workshop(store, closes_at=now - timedelta(seconds=1))
    assert not past.workshop.is_open and not past.workshop.closed
    with pytest.raises(WorkshopClosed):
        join(store, past.workshop.id)
    with pytest.raises(InvalidValue):
        make_workshop(store, closes_at=datetime(2030, 1, 1))  # naive: which zone?


def test_workshop__participant_rules(store):
    created = make_workshop(store)
    with pytest.raises(InvalidValue):
        store.create_assessment(tiny(), kind="participant")  # no workshop
    with pytest.raises(InvalidValue):
        store.create_assessment(tiny(), workshop_id=created.workshop.id)  # kind "self" in a workshop
    with pytest.raises(WorkshopNotFound):
        store.create_assessment(tiny(), kind="participant", workshop_id="e" * 32)
    with pytest.raises(InvalidValue):
        make_workshop(store, title="")
    with pytest.raises(InvalidValue):
        store.create_workshop(title="W", profile=AssessmentProfile(), domains=[], perspective="alle")


def test_workshop__participants_listed_with_their_answers(store):
    created = make_workshop(store)
    workshop_id = created.workshop.id
    other = make_workshop(store)
    first = join(store, workshop_id, name=SCRIPT, role="Bauamt", g_strategy="adopted", g_cooperation=["it_provider"])
    second = join(store, workshop_id, name="Bürgermeisterin Groß", role=None)
    store.save_answer(second.id, "g_staff_fte", 3)
    store.save_note(second.id, "g_staff_fte", "geschätzt")
    join(store, other.workshop.id, name="Anderswo", g_strategy="none")
    store.create_assessment(tiny(g_strategy="none"))  # a self-assessment is no participant

    listed = store.workshop_participants(workshop_id)
    assert [p.id for p in listed] == [first.id, second.id]
    assert [(p.participant_name, p.participant_role, p.kind) for p in listed] == [
        (SCRIPT, "Bauamt", "participant"),
        ("Bürgermeisterin Groß", None, "participant"),
    ]
    assert listed[0].assessment.answers == {"g_strategy": "adopted", "g_cooperation": ["it_provider"]}
    assert listed[1].assessment.answers == {"g_staff_fte": 3} and listed[1].assessment.notes == {
        "g_staff_fte": "geschätzt"
    }
    assert all(p.workshop_id == workshop_id for p in listed)
    assert store.workshop_participants(make_workshop(store).workshop.id) == []


def test_workshop__deleting_a_workshop_row_keeps_the_participants_answers(store):
    # There is no API to delete a workshop; the foreign key still must behave (ON DELETE SET NULL).
    workshop_id = make_workshop(store).workshop.id
    participant = join(store, workshop_id, g_strategy="adopted")
    engine = make_engine(store.url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM workshops WHERE id = :id"), {"id": workshop_id})
    finally:
        engine.dispose()
    loaded = store.open_for_edit(participant.edit_token)
    assert loaded.workshop_id is None and loaded.assessment.answers == {"g_strategy": "adopted"}


def test_results_do_not_show_secrets_in_repr(store):
    created = store.create_assessment(tiny())
    workshop = make_workshop(store)
    shown = repr(created) + repr(workshop) + repr(store.load(created.id))
    for secret in (created.edit_token, created.share_token, workshop.facilitator_key, workshop.join_token):
        assert secret not in shown


def test_workshop__200_participants_with_100_answers_load_in_two_queries(store):
    workshop_id = make_workshop(store).workshop.id
    answers = {f"item_{k:03d}": (["a", "b"] if k % 3 == 0 else k if k % 3 == 1 else f"opt{k}") for k in range(100)}
    template = join(store, workshop_id, name="P0", **answers)  # one through the API ...
    now = datetime.now(UTC)
    participants = [
        {
            "id": tokens.new_id(),
            "edit_token_hash": tokens.hash_token(tokens.new_token()),
            "share_token": tokens.new_token(),
            "kind": "participant",
            "workshop_id": workshop_id,
            "participant_name": f"P{i}",
            "profile": {},
            "domains": ["mobilitaet"],
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, 200)
    ]
    with store.engine.begin() as conn:  # ... 199 in bulk, so that the setup stays quick
        conn.execute(tables.assessments.insert(), participants)
        conn.execute(
            tables.answers.insert(),
            [
                {"assessment_id": p["id"], "item_id": k, "value": v, "updated_at": now}
                for p in participants
                for k, v in answers.items()
            ],
        )
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        started = time.perf_counter()
        listed = store.workshop_participants(workshop_id)
        elapsed = time.perf_counter() - started
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    print(
        f"\nworkshop_participants {backend_of(store.url)}: 200 participants × 100 answers in {elapsed * 1000:.0f} ms, {len(statements)} queries"
    )
    assert len(listed) == 200 and listed[0].id == template.id
    assert all(p.assessment.answers == answers for p in listed)
    assert len(statements) <= 2
    assert elapsed < 5.0  # typically 0.2–0.5 s; generous for a busy 2-core CI machine


def test_workshop__refreshing_with_known_participants_reads_only_what_changed(store):
    workshop_id = make_workshop(store).workshop.id
    anna = join(store, workshop_id, name="Anna", g_strategy="none")
    ben = join(store, workshop_id, name="Ben", g_strategy="adopted")
    carla = join(store, workshop_id, name="Carla", g_strategy="draft")
    before = {s.id: s for s in store.workshop_participants(workshop_id)}

    store.save_answer(ben.id, "g_strategy", "adopted_monitored")
    store.save_note(ben.id, "g_strategy", "Ratsbeschluss 2025")
    store.delete(carla.id)
    dora = join(store, workshop_id, name="Dora", g_cdo="yes")
    from sqlalchemy import event

    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    refreshed = store.workshop_participants(workshop_id, known=before)
    (read,) = [s for s in statements if "FROM answers" in s]
    assert "CASE" in read  # of Ben only what he wrote since; of Dora everything

    # Exactly what a full read gives: the change, the new participant, nobody deleted ...
    full = store.workshop_participants(workshop_id)
    assert [(s.id, s.assessment.answers, s.assessment.notes) for s in refreshed] == [
        (s.id, s.assessment.answers, s.assessment.notes) for s in full
    ]
    assert [s.id for s in refreshed] == [anna.id, ben.id, dora.id]
    assert refreshed[1].assessment.answers == {"g_strategy": "adopted_monitored"}
    assert refreshed[1].assessment.notes == {"g_strategy": "Ratsbeschluss 2025"}
    # ... and who did not change is not read again.
    assert refreshed[0] is before[anna.id]
    assert refreshed[1] is not before[ben.id]


def test_workshop__a_refresh_reads_only_the_answers_written_since(store):
    """A known participant's refresh reads the answers above the revision it was read at – and
    everything again after answers were deleted (a cleared answer, an import) – and always
    gives what a full read gives."""
    import random

    from sqlalchemy import event

    from ktmsc.instrument import get_questionnaire

    workshop_id = make_workshop(store).workshop.id
    people = [join(store, workshop_id, name=f"P{n}", g_strategy="none", g_cdo="none") for n in range(4)]
    rng = random.Random(4)
    singles = ["g_strategy", "g_cdo", "g_leadership", "g_pilots"]
    options = {i: [o.id for o in get_questionnaire().items[i].options] for i in singles}
    known = {s.id: s for s in store.workshop_participants(workshop_id)}
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for step in range(30):
        who = rng.choice(people).id
        roll = rng.random()
        item = rng.choice(singles)
        if roll < 0.6:
            store.save_answer(who, item, rng.choice(options[item]))
        elif roll < 0.75:
            store.save_note(who, item, f"Notiz {step}" if rng.random() < 0.7 else None)
        elif roll < 0.9:
            store.save_answer(who, item, None)  # cleared: the row goes when it has no note
        else:
            current = store.load(who).assessment
            store.replace_answers(who, current.model_copy(update={"answers": {"g_strategy": "adopted"}}))
        statements.clear()
        refreshed = store.workshop_participants(workshop_id, known=known)
        assert sum("FROM answers" in s for s in statements) <= 1
        full = store.workshop_participants(workshop_id)
        view = [(s.id, s.revision, s.assessment.answers, s.assessment.notes) for s in refreshed]
        assert view == [(s.id, s.revision, s.assessment.answers, s.assessment.notes) for s in full], step
        known = {s.id: s for s in refreshed}


def test_workshop__every_write_raises_the_revision_its_answers_carry(store):
    from sqlalchemy import select

    from ktmsc.storage.tables import answers, assessments

    workshop_id = make_workshop(store).workshop.id
    kim = join(store, workshop_id, g_strategy="none")
    store.save_answer(kim.id, "g_strategy", "adopted")
    store.save_note(kim.id, "g_cdo", "offen")
    store.save_step(kim.id, "general")
    with store.engine.connect() as conn:
        revision = conn.execute(select(assessments.c.revision).where(assessments.c.id == kim.id)).scalar()
        by_item = dict(
            conn.execute(select(answers.c.item_id, answers.c.revision).where(answers.c.assessment_id == kim.id)).all()
        )
    assert revision == 3 and by_item == {"g_strategy": 1, "g_cdo": 2}


def test_refused_writes_do_not_undo_others_written_at_the_same_time(store):
    """On SQLite writes are committed in shared transactions: a write refused because its
    workshop is closed (or its assessment is gone) must not take the others with it."""
    from concurrent.futures import ThreadPoolExecutor

    profile = AssessmentProfile(name="Gemischt")
    workshop = store.create_workshop(
        title="Zu", profile=profile, domains=["mobilitaet"], perspective="verwaltung"
    ).workshop
    closed = store.create_assessment(
        Assessment(profile=profile, domains=["mobilitaet"]), kind="participant", workshop_id=workshop.id
    )
    store.set_workshop_closed(workshop.id, True)
    gone = store.create_assessment(Assessment(profile=profile, domains=["mobilitaet"]))
    store.delete(gone.id)
    fine = [store.create_assessment(Assessment(profile=profile, domains=["mobilitaet"])) for _ in range(8)]

    def write(n: int) -> str:
        target = [closed.id, gone.id, *[f.id for f in fine]][n % 10]
        try:
            store.save_answer(target, f"item_{n}", "yes")
        except WorkshopClosed:
            return "closed"
        except AssessmentNotFound:
            return "gone"
        return "ok"

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(write, range(300)))
    assert outcomes.count("closed") == 30 and outcomes.count("gone") == 30 and outcomes.count("ok") == 240
    stored = sum(len(store.load(f.id).assessment.answers) for f in fine)
    assert stored == 240
    assert store.load(closed.id).assessment.answers == {}


def test_updated_at__is_what_the_last_write_returned(store):
    """A session compares these to tell whether another tab changed the assessment."""
    created = store.create_assessment(Assessment(profile=AssessmentProfile(name="Zeit"), domains=["mobilitaet"]))
    stamps = [
        store.save_answer(created.id, "g_strategy", "adopted"),
        store.save_note(created.id, "g_strategy", "Notiz"),
        store.save_step(created.id, "mobilitaet"),
        store.save_domains(created.id, ["mobilitaet", "wirtschaft"]),
    ]
    assert store.updated_at(created.id) == stamps[-1] == store.load(created.id).updated_at
    assert stamps == sorted(stamps)
    assert store.updated_at("0" * 32) is None and store.updated_at("nonsense") is None


def test_columns_hold_every_limit_the_store_checks():
    from ktmsc.model import limits

    columns = {c.name: getattr(c.type, "length", None) for table in metadata.tables.values() for c in table.columns}
    assert columns["title"] >= limits.MAX_TITLE
    assert columns["participant_name"] >= limits.MAX_PSEUDONYM
    assert columns["participant_role"] >= limits.MAX_ROLE


# --- answers are checked against the questionnaire -------------------------------------------

CRAFTED = [
    # (item, value, what the message names)
    ("g_strategy", '=HYPERLINK("http://x","klick")', "not one of its options"),
    ("g_strategy", "adopted ", "not one of its options"),
    ("g_strategy", ["adopted"], "not one of its options"),
    ("g_strategy", 3, "not one of its options"),
    ("g_cooperation", "it_provider", "not a list of its options"),
    ("g_cooperation", ["it_provider", "<script>"], "not a list of its options"),
    ("g_cooperation", ["none", "it_provider"], "none only alone"),
    ("g_staff_fte", -1, "not a number from 0 to 1,000,000"),
    ("g_staff_fte", -0.5, "not a number from 0 to 1,000,000"),
    ("g_staff_fte", 1_000_001, "not a number from 0 to 1,000,000"),
    ("g_staff_fte", 1e308, "not a number from 0 to 1,000,000"),
    ("g_staff_fte", 10**400, "a huge number"),
    ("g_staff_fte", "12", "not a number"),
    ("g_staff_fte", ["1"], "not a number"),
    ("no_such_item", "adopted", "has no question with this id"),
    ("g_strategy", "not_applicable", "is not offered for any kind of body"),
]


def checked(store: Store, questionnaire: Any) -> Store:
    """A second store on the same database that checks answers like the app's."""
    return Store(store.url, questionnaire=questionnaire)


def test_checked_store_takes_every_answer_an_item_offers(store, questionnaire):
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny(g_strategy="adopted"))
        app.save_answer(created.id, "g_strategy", "dont_know")
        app.save_answer(created.id, "g_cooperation", ["it_provider", "intermunicipal"])
        app.save_answer(created.id, "g_cooperation", ["none"])
        app.save_answer(created.id, "g_cooperation", [])
        app.save_answer(created.id, "g_staff_fte", 0)
        app.save_answer(created.id, "g_staff_fte", 1_000_000.0)
        app.save_answer(created.id, "ue_heat_plan", "not_applicable")  # body kind not known yet: offered
        app.save_note(created.id, "g_strategy", "eine Notiz")
        app.save_answer(created.id, "no_such_item", None)  # clearing is always allowed
        answers = app.load(created.id).assessment.answers
    assert answers == {
        "g_strategy": "dont_know",
        "g_cooperation": [],
        "g_staff_fte": 1_000_000.0,
        "ue_heat_plan": "not_applicable",
    }


@pytest.mark.parametrize(("item_id", "value", "problem"), CRAFTED, ids=[f"{i}={v!r:.30}" for i, v, _ in CRAFTED])
def test_checked_store_refuses_what_an_item_does_not_offer_and_changes_nothing(
    store, questionnaire, item_id, value, problem
):
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny(g_strategy="adopted", g_staff_fte=2.5))
        app.save_note(created.id, "g_strategy", "bleibt")
        before = app.load(created.id)
        with pytest.raises(InvalidAnswer) as refused:
            app.save_answer(created.id, item_id, value)
        assert refused.value.item_id == item_id
        assert item_id in str(refused.value) and problem in str(refused.value)
        assert app.load(created.id) == before  # not even updated_at moved


def test_checked_store_refuses_nan_like_every_store(store, questionnaire):
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny(g_staff_fte=2.5))
        before = app.load(created.id)
        for value in (float("nan"), float("inf"), float("-inf")):
            with pytest.raises(InvalidValue):
                app.save_answer(created.id, "g_staff_fte", value)
        assert app.load(created.id) == before


def test_not_applicable_only_where_the_item_offers_it_for_the_body_kind(store, questionnaire):
    item = questionnaire.items["ue_heat_plan"]
    offered, refused = item.not_applicable.body_kinds[0], "kreisfreie_stadt"
    assert refused not in item.not_applicable.body_kinds
    with checked(store, questionnaire) as app:
        county = app.create_assessment(
            Assessment(profile=AssessmentProfile(body_kind=offered), domains=["umwelt_energie"])
        )
        app.save_answer(county.id, "ue_heat_plan", "not_applicable")
        assert app.load(county.id).assessment.answers == {"ue_heat_plan": "not_applicable"}
        city = app.create_assessment(
            Assessment(profile=AssessmentProfile(body_kind=refused), domains=["umwelt_energie"])
        )
        before = app.load(city.id)
        with pytest.raises(InvalidAnswer, match=f"not offered for the body kind '{refused}'"):
            app.save_answer(city.id, "ue_heat_plan", "not_applicable")
        assert app.load(city.id) == before
        with pytest.raises(InvalidAnswer, match="ue_heat_plan"):
            app.create_assessment(
                Assessment(
                    profile=AssessmentProfile(body_kind=refused),
                    domains=["umwelt_energie"],
                    answers={"ue_heat_plan": "not_applicable"},
                )
            )


def test_checked_store_refuses_crafted_imports_notes_and_new_assessments(store, questionnaire):
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny(g_strategy="adopted"))
        before = app.load(created.id)
        crafted = [
            lambda: app.replace_answers(created.id, tiny(g_strategy="adopted", g_cooperation=["x"])),
            lambda: app.replace_answers(created.id, tiny(g_staff_fte=5_000_000)),
            lambda: app.replace_answers(created.id, tiny(unknown_item="x")),
            lambda: app.save_note(created.id, "no_such_item", "Notiz"),
            lambda: app.save_evidence(created.id, "no_such_item", "https://example.org"),
            lambda: app.create_assessment(tiny(g_strategy="=1+1")),
        ]
        for call in crafted:
            with pytest.raises(InvalidAnswer):
                call()
        assert app.load(created.id) == before
        assert count_rows(store.url, "assessments") == 1


def test_store_without_questionnaire_checks_shapes_only(store):
    # Maintenance and the storage's own tests: any item id and option id of the right shape.
    created = store.create_assessment(tiny())
    store.save_answer(created.id, "any_item", "any_option")
    assert store.load(created.id).assessment.answers == {"any_item": "any_option"}


# --- deleted data leaves the disk (SQLite) ---------------------------------------------------


def disk_bytes(path: Any) -> bytes:
    """The raw bytes of the database file and its write-ahead log, as `strings` would read them."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def unique(label: str) -> str:
    return f"{label}-{tokens.new_id()}"


def test_sqlite__a_deleted_assessment_leaves_neither_file_nor_log(tmp_path):
    path = tmp_path / "ktmsc.sqlite3"
    name, note, evidence = unique("Geheimstadt"), unique("Notiz"), unique("https://beleg.example")
    with Store(f"sqlite:///{path}") as opened:
        kept = opened.create_assessment(tiny("Bleibt", a="x"))
        created = opened.create_assessment(tiny(name, g_strategy="adopted"))
        opened.save_note(created.id, "g_strategy", note)
        opened.save_evidence(created.id, "g_strategy", evidence)
        opened.save_note(created.id, "g_strategy", note + " geändert")  # an older version of the row, too
        before = disk_bytes(path)
        assert all(text.encode() in before for text in (name, note, evidence))  # the check can see them

        assert opened.delete(created.id)

        after = disk_bytes(path)
        for text in (name, note, evidence):
            assert text.encode() not in after, text
        assert opened.load(kept.id).assessment.answers == {"a": "x"}  # the store goes on working


def test_sqlite__a_deleted_workshop_and_a_removed_participant_leave_no_bytes(tmp_path):
    path = tmp_path / "ktmsc.sqlite3"
    title, removed, member, note = unique("Klausur"), unique("Entfernt"), unique("Mitglied"), unique("Notiz")
    with Store(f"sqlite:///{path}") as opened:
        workshop = opened.create_workshop(
            title=title, profile=AssessmentProfile(name=title), domains=["mobilitaet"], perspective="verwaltung"
        ).workshop
        gone = opened.create_assessment(tiny(), kind="participant", workshop_id=workshop.id, participant_name=removed)
        stays = opened.create_assessment(tiny(), kind="participant", workshop_id=workshop.id, participant_name=member)
        opened.save_note(stays.id, "g_strategy", note)
        assert all(text.encode() in disk_bytes(path) for text in (title, removed, member, note))

        assert opened.delete_participant(workshop.id, gone.id)
        assert removed.encode() not in disk_bytes(path)
        assert member.encode() in disk_bytes(path)

        assert opened.delete_workshop(workshop.id) == 1
        after = disk_bytes(path)
        for text in (title, member, note):
            assert text.encode() not in after, text


def test_sqlite__secure_delete_is_on_for_every_connection(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'ktmsc.sqlite3'}") as opened:
        values_seen: list[int] = []

        def check() -> None:
            with opened.engine.connect() as conn:
                values_seen.append(conn.exec_driver_sql("PRAGMA secure_delete").scalar())

        threads = [threading.Thread(target=check) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert values_seen == [1, 1, 1]


# --- workshops and participants are deleted; the retention purge -----------------------------


def new_workshop(store: Store, title: str = "W", **options: Any):
    return store.create_workshop(
        title=title, profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung", **options
    ).workshop


def test_delete_workshop__with_every_participant_answer_note_and_evidence(store):
    workshop = new_workshop(store, "Klausur")
    other = new_workshop(store, "Andere")
    joined = [
        store.create_assessment(tiny(a="x"), kind="participant", workshop_id=workshop.id, participant_name=f"P{i}")
        for i in range(3)
    ]
    store.save_note(joined[0].id, "a", "Notiz")
    store.save_evidence(joined[1].id, "a", "Beleg")
    elsewhere = store.create_assessment(tiny(b="y"), kind="participant", workshop_id=other.id)
    own = store.create_assessment(tiny(c="z"))
    full = store.workshop_by_join(workshop.join_code)
    assert full is not None

    assert store.delete_workshop(workshop.id) == 3

    assert store.workshop(workshop.id) is None
    assert store.workshop_by_join(workshop.join_code) is None
    assert store.workshop_by_join(workshop.join_token) is None
    assert store.workshop_participants(workshop.id) == []
    for created in joined:
        assert store.load(created.id) is None and store.open_for_edit(created.edit_token) is None
    assert (
        count_rows(
            store.url,
            "answers",
            "WHERE assessment_id IN (:a, :b, :c)",
            **dict(zip("abc", (j.id for j in joined), strict=True)),
        )
        == 0
    )
    assert "Klausur" not in all_rows_text(store.url)
    # Nothing else is touched.
    assert store.workshop(other.id) is not None
    assert store.load(elsewhere.id).assessment.answers == {"b": "y"}
    assert store.load(own.id).assessment.answers == {"c": "z"}
    with pytest.raises(WorkshopNotFound):
        store.delete_workshop(workshop.id)
    with pytest.raises(WorkshopNotFound):
        store.delete_workshop("not-an-id")


def test_delete_participant__only_of_this_workshop(store):
    workshop = new_workshop(store)
    other = new_workshop(store)
    first = store.create_assessment(tiny(a="x"), kind="participant", workshop_id=workshop.id, participant_name="A")
    second = store.create_assessment(tiny(a="y"), kind="participant", workshop_id=workshop.id, participant_name="B")
    foreign = store.create_assessment(tiny(a="z"), kind="participant", workshop_id=other.id)
    own = store.create_assessment(tiny())

    assert store.delete_participant(workshop.id, foreign.id) is False  # another workshop's participant
    assert store.delete_participant(workshop.id, own.id) is False  # not a participant at all
    assert store.delete_participant("garbage", first.id) is False
    store.set_workshop_closed(workshop.id, True)  # also in a closed workshop
    assert store.delete_participant(workshop.id, first.id) is True
    assert store.delete_participant(workshop.id, first.id) is False  # already gone

    assert [p.participant_name for p in store.workshop_participants(workshop.id)] == ["B"]
    assert store.load(first.id) is None
    assert count_rows(store.url, "answers", "WHERE assessment_id = :id", id=first.id) == 0
    assert store.load(second.id) is not None and store.load(foreign.id) is not None and store.load(own.id) is not None


def age(store: Store, table: str, row_id: str, when: datetime, **extra: Any) -> None:
    """Move a row's last change into the past (what months of not touching it would do)."""
    engine = make_engine(store.url)
    try:
        with engine.begin() as conn:
            table_ = getattr(tables, table)
            conn.execute(sa.update(table_).where(table_.c.id == row_id).values(updated_at=when, **extra))
    finally:
        engine.dispose()


def test_purge__deletes_what_the_retention_period_ran_out_for(store):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    old, recent = now - timedelta(days=200), now - timedelta(days=10)
    six_months = timedelta(days=186)

    stale = store.create_assessment(tiny("Alt"))
    fresh = store.create_assessment(tiny("Neu"))
    closed_long_ago = new_workshop(store, "Lange zu")
    closed_recently = new_workshop(store, "Gerade zu")
    expired_long_ago = new_workshop(store, "Abgelaufen")
    still_open = new_workshop(store, "Offen")
    gone_with = [
        store.create_assessment(tiny(), kind="participant", workshop_id=closed_long_ago.id) for _ in range(2)
    ] + [store.create_assessment(tiny(), kind="participant", workshop_id=expired_long_ago.id)]
    kept_participant = store.create_assessment(tiny(), kind="participant", workshop_id=still_open.id)
    recent_participant = store.create_assessment(tiny(), kind="participant", workshop_id=closed_recently.id)
    store.set_workshop_closed(closed_long_ago.id, True)
    store.set_workshop_closed(closed_recently.id, True)
    age(store, "assessments", stale.id, old)
    age(store, "assessments", fresh.id, recent)
    age(store, "workshops", closed_long_ago.id, old)
    age(store, "workshops", closed_recently.id, recent)
    age(store, "workshops", expired_long_ago.id, old, closes_at=old)
    age(store, "workshops", still_open.id, old)  # open: kept however old
    for created in (*gone_with, kept_participant, recent_participant):
        age(store, "assessments", created.id, old)  # participants go only with their workshop

    planned = store.purge(six_months, now=now, dry_run=True)
    assert (planned.workshops, planned.participants, planned.assessments) == (2, 3, 1)
    assert count_rows(store.url, "assessments") == 7  # a dry run deletes nothing

    purged = store.purge(six_months, now=now)
    assert purged == planned and purged.total == 6
    assert store.load(stale.id) is None
    assert all(store.load(created.id) is None for created in gone_with)
    assert store.workshop(closed_long_ago.id) is None and store.workshop(expired_long_ago.id) is None
    for kept in (fresh, kept_participant, recent_participant):
        assert store.load(kept.id) is not None
    assert store.workshop(closed_recently.id) is not None and store.workshop(still_open.id) is not None
    assert store.purge(six_months, now=now).total == 0  # nothing left to do
    with pytest.raises(InvalidValue):
        store.purge(timedelta(0))


def test_retention__configured_by_one_environment_variable():
    assert retention.configured({}) is None
    assert retention.configured({"KTMSC_RETENTION_MONTHS": " "}) is None
    assert retention.configured({"KTMSC_RETENTION_MONTHS": "6"}) == timedelta(days=186)
    for bad in ("0", "-3", "sechs", "1.5", "99999"):
        with pytest.raises(StorageError, match="KTMSC_RETENTION_MONTHS"):
            retention.configured({"KTMSC_RETENTION_MONTHS": bad})


def test_retention__the_daily_purge_runs_at_most_once_a_day():
    runs: list[timedelta] = []

    def purge(older_than: timedelta) -> Purged:
        runs.append(older_than)
        return Purged(workshops=0, participants=0, assessments=len(runs))

    daily = retention.DailyPurge(purge, timedelta(days=31))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert daily.run_if_due(start) == Purged(0, 0, 1)  # at the first use
    assert daily.run_if_due(start + timedelta(hours=23)) is None
    assert daily.run_if_due(start + timedelta(days=1)) == Purged(0, 0, 2)
    assert runs == [timedelta(days=31)] * 2


# --- multiple choice: one box at a time, applied to what is stored ------------------------


def test_two_tabs_ticking_different_boxes_keep_both_ticks(store, questionnaire):
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny())
        # Both tabs saw no ticks; each ticks one box. A whole-list save would keep only the last.
        app.toggle_option(created.id, "g_cooperation", "it_provider", True)
        value, _ = app.toggle_option(created.id, "g_cooperation", "own_company", True)
        assert value == ["it_provider", "own_company"]
        value, _ = app.toggle_option(created.id, "g_cooperation", "it_provider", False)
        assert value == ["own_company"]
        value, _ = app.toggle_option(created.id, "g_cooperation", "none", True)  # exclusive: stands alone
        assert value == ["none"]
        value, _ = app.toggle_option(created.id, "g_cooperation", "intermunicipal", True)
        assert value == ["intermunicipal"]
        value, _ = app.toggle_option(created.id, "g_cooperation", "dont_know", True)
        assert value == "dont_know"
        value, _ = app.toggle_option(created.id, "g_cooperation", "dont_know", False)
        assert value is None
        assert "g_cooperation" not in app.load(created.id).assessment.answers


def test_ticks_from_many_threads_at_once_are_all_kept(store, questionnaire):
    options = ["it_provider", "intermunicipal", "own_company"]
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny())
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(options)) as pool:
            list(pool.map(lambda o: app.toggle_option(created.id, "g_cooperation", o, True), options * 4))
        assert app.load(created.id).assessment.answers["g_cooperation"] == options


def test_ticking_is_checked_like_any_answer(store, questionnaire):
    with checked(store, questionnaire) as app:
        created = app.create_assessment(tiny(g_cooperation=["own_company"]))
        before = app.load(created.id)
        with pytest.raises(InvalidAnswer, match="multiple-choice"):
            app.toggle_option(created.id, "g_strategy", "adopted", True)
        with pytest.raises(InvalidAnswer):
            app.toggle_option(created.id, "g_cooperation", "not_applicable", True)  # not offered there
        value, _ = app.toggle_option(created.id, "g_cooperation", '=HYPERLINK("x")', True)
        assert value == ["own_company"], "an id the item does not have ticks nothing"
        assert app.load(created.id).assessment.answers == before.assessment.answers
