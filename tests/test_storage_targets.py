"""Targets and the action plan in the store: saved at once, read back with the assessment,
replaced by an import and deleted with it – on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import storage_fixtures

from ktmsc.model.assessment import Assessment, AssessmentProfile, PlanEntry
from ktmsc.model.limits import MAX_PLAN_ENTRIES
from ktmsc.storage import AssessmentNotFound, InvalidValue, Store, migrate
from ktmsc.storage.engine import make_engine

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store


SCRIPT = "<script>alert(1)</script> *fett* | Tabelle"


def assessment(**targets: str) -> Assessment:
    return Assessment(
        profile=AssessmentProfile(name="Musterstadt", population=12_000),
        domains=["mobilitaet", "wirtschaft"],
        answers={"g_strategy": "adopted"},
        targets=targets,
    )


def test_targets__saved_one_domain_at_a_time_and_read_back(store):
    created = store.create_assessment(assessment(mobilitaet="bewahrerin"))
    store.save_target(created.id, "wirtschaft", "leuchtturm")
    store.save_target(created.id, "mobilitaet", "mobilisiererin")
    loaded = store.open_for_edit(created.edit_token).assessment
    assert loaded.targets == {"mobilitaet": "mobilisiererin", "wirtschaft": "leuchtturm"}
    assert loaded.answers == {"g_strategy": "adopted"}  # a target is not an answer
    assert store.open_shared(created.share_token).assessment.targets == loaded.targets

    store.save_target(created.id, "mobilitaet", None)
    assert store.load(created.id).assessment.targets == {"wirtschaft": "leuchtturm"}


def test_targets__every_write_bumps_updated_at(store):
    created = store.create_assessment(assessment())
    before = store.updated_at(created.id)
    written = store.save_target(created.id, "mobilitaet", "leuchtturm")
    assert written >= before and store.updated_at(created.id) == written


def test_targets__replaced_by_an_import_and_gone_with_the_assessment(store):
    created = store.create_assessment(assessment(mobilitaet="leuchtturm", wirtschaft="leuchtturm"))
    store.replace_answers(created.id, assessment(wirtschaft="mobilisiererin"))
    assert store.load(created.id).assessment.targets == {"wirtschaft": "mobilisiererin"}
    assert store.delete(created.id)
    assert store.load(created.id) is None


@pytest.mark.parametrize(
    ("domain", "type_id"),
    [("mobilitaet", "unknown_type"), ("no_domain", "leuchtturm"), ("", "leuchtturm"), ("mobilitaet", 7)],
)
def test_targets__unknown_domains_and_types_are_refused_and_change_nothing(db_url, questionnaire, domain, type_id):
    with Store(db_url, questionnaire=questionnaire) as checked:
        created = checked.create_assessment(assessment(mobilitaet="bewahrerin"))
        with pytest.raises(InvalidValue):
            checked.save_target(created.id, domain, type_id)
        with pytest.raises(InvalidValue):
            checked.create_assessment(assessment(**{"mobilitaet": "bewahrerin", "x" * 101: "leuchtturm"}))
        assert checked.load(created.id).assessment.targets == {"mobilitaet": "bewahrerin"}


def test_targets__on_a_missing_assessment_raise(store):
    with pytest.raises(AssessmentNotFound):
        store.save_target("f" * 32, "mobilitaet", "leuchtturm")


def test_targets__a_database_at_0002_upgrades_and_keeps_its_assessments(db_url):
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0002")
    finally:
        engine.dispose()
    with Store(db_url) as opened:
        assert migrate.current_revision(opened.engine) == "0011"
        created = opened.create_assessment(assessment())
        opened.save_target(created.id, "mobilitaet", "leuchtturm")
        assert opened.load(created.id).assessment.targets == {"mobilitaet": "leuchtturm"}


# --- the action plan ----------------------------------------------------------------------------


def entry(entry_id: str = "0123456789abcdef", **fields) -> PlanEntry:
    return PlanEntry(id=entry_id, domain="mobilitaet", item_id="g_strategy", to_value="adopted", **fields)


def test_plan__entries_added_edited_field_by_field_and_read_back_in_order(store):
    created = store.create_assessment(assessment())
    first, second = entry(who="Bauamt"), entry("fedcba9876543210", note=SCRIPT)
    store.add_plan_entries(created.id, [first, second])
    store.add_plan_entries(created.id, [entry(who="someone else")])  # the same id again: left as it was
    store.save_plan_field(created.id, first.id, "due", date(2027, 6, 30))
    store.save_plan_field(created.id, first.id, "status", "under_way")
    store.save_plan_field(created.id, second.id, "who", "Kämmerei – „Team“")
    plan = store.open_for_edit(created.edit_token).assessment.plan
    assert [e.id for e in plan] == [first.id, second.id]
    assert (plan[0].who, plan[0].due, plan[0].status, plan[0].note) == ("Bauamt", date(2027, 6, 30), "under_way", "")
    assert (plan[1].who, plan[1].note, plan[1].status) == ("Kämmerei – „Team“", SCRIPT, "planned")
    assert store.open_shared(created.share_token).assessment.plan == plan


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("due", date(1999, 12, 31)),
        ("due", date(2100, 1, 1)),
        ("due", "2027-01-01"),
        ("status", "finished"),
        ("who", "x" * 201),
        ("note", "x" * 2001),
        ("note", "a\x00b"),
        ("what", "x"),
    ],
)
def test_plan__bad_fields_are_refused_and_change_nothing(store, field, value):
    created = store.create_assessment(assessment(), previous_id=None)
    store.add_plan_entries(created.id, [entry(who="Bauamt")])
    before = store.load(created.id)
    with pytest.raises(InvalidValue):
        store.save_plan_field(created.id, "0123456789abcdef", field, value)
    with pytest.raises(InvalidValue):
        store.save_plan_field(created.id, "ffffffffffffffff", "who", "x")
    after = store.load(created.id)
    assert after.assessment.plan == before.assessment.plan and after.updated_at == before.updated_at


def test_plan__created_with_an_import_replaced_by_the_next_and_gone_with_the_assessment(store):
    created = store.create_assessment(assessment().model_copy(update={"plan": [entry(who="A")]}))
    assert [e.who for e in store.load(created.id).assessment.plan] == ["A"]
    store.replace_answers(created.id, assessment().model_copy(update={"plan": [entry("aaaaaaaaaaaaaaaa")]}))
    assert [e.id for e in store.load(created.id).assessment.plan] == ["aaaaaaaaaaaaaaaa"]
    assert store.delete(created.id) and store.load(created.id) is None


def test_plan__a_plan_holds_at_most_its_limit(store):
    created = store.create_assessment(assessment())
    many = [entry(f"{n:016x}") for n in range(MAX_PLAN_ENTRIES)]
    store.add_plan_entries(created.id, many)
    with pytest.raises(InvalidValue):
        store.add_plan_entries(created.id, [entry("f" * 16)])
    assert len(store.load(created.id).assessment.plan) == MAX_PLAN_ENTRIES
