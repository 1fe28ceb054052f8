"""Targets in the store: each domain's two-year target saved at once, read back with the
assessment, replaced by an import and deleted with it – on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import storage_fixtures

from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.storage import AssessmentNotFound, InvalidValue, Store, migrate
from ktmsc.storage.engine import make_engine

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store


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
        assert migrate.current_revision(opened.engine) == "0003"
        created = opened.create_assessment(assessment())
        opened.save_target(created.id, "mobilitaet", "leuchtturm")
        assert opened.load(created.id).assessment.targets == {"mobilitaet": "leuchtturm"}
