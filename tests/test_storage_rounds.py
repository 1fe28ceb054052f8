"""Comparison rounds in the store: a round with its municipalities, all or nothing; the host key
and the invitations only as hashes; an invitation starts one assessment and reopens it – on
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import pytest
import storage_fixtures
from sqlalchemy import select

from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.storage import InvalidValue, Store
from ktmsc.storage import round_store as rounds_module
from ktmsc.storage.tables import round_members, rounds

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
store = storage_fixtures.store


@dataclass(frozen=True)
class M:
    key: str
    name: str
    body_kind: str = "kreisangehoerige_gemeinde"
    state: str = "bw"
    population: int = 12_000


MEMBERS = [M("08111000", "Musterstadt"), M("08115001", "Beispielheim", population=4_100), M("08116002", "Probstadt")]


def new_round(store, members=MEMBERS, **kwargs):
    return store.create_round(
        title="Smart-City-Check 2027",
        domains=["mobilitaet", "wirtschaft"],
        perspective="verwaltung",
        members=members,
        **kwargs,
    )


def assessment_for(member: M) -> Assessment:
    return Assessment(
        profile=AssessmentProfile(
            name=member.name, body_kind=member.body_kind, state=member.state, population=member.population
        ),
        domains=["mobilitaet", "wirtschaft"],
    )


def test_round__created_with_its_municipalities_and_opened_by_its_host_key_only(store):
    created = new_round(store, opens_on=date(2027, 3, 1), closes_on=date(2027, 5, 31))
    assert store.round_for_host(created.host_key) == created.round
    assert created.round.domains == ["mobilitaet", "wirtschaft"] and created.round.closes_on == date(2027, 5, 31)
    assert [m.key for m in store.round_members(created.round.id)] == sorted(m.key for m in MEMBERS)
    assert set(created.invitations) == {m.key for m in MEMBERS}
    # An invitation is not a host key, the host key not an invitation, garbage finds nothing.
    invitation = created.invitations["08111000"]
    assert store.round_for_host(invitation) is None
    assert store.invitation(created.host_key) is None
    assert store.round_for_host("' OR 1=1 --") is None and store.invitation("x" * 10_000) is None
    # Only hashes are stored.
    with store.engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(select(rounds)).all() for v in row)
        stored += " ".join(str(v) for row in conn.execute(select(round_members)).all() for v in row)
    assert created.host_key not in stored and invitation not in stored
    assert "host_key" not in repr(created) or created.host_key not in repr(created)


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ([], "at least one"),
        ([M("0811100", "Zu kurz")], "official key"),
        ([M("08111000", "A"), M("08111000", "B")], "twice"),
        ([M("08111000", "")], "name"),
        ([M("08111000", "A", population=-1)], "population"),
        ([M("08111000", "A", body_kind="Gemeinde'; DROP TABLE rounds")], "kind of body"),
    ],
)
def test_round__a_wrong_municipality_stores_nothing(store, members, problem):
    with pytest.raises(InvalidValue, match=problem):
        new_round(store, members=[M("08999000", "Gut"), *members] if members else members)
    with store.engine.connect() as conn:
        assert conn.execute(select(rounds)).all() == [] and conn.execute(select(round_members)).all() == []


def test_round__keeps_where_it_splits_its_types(store):
    chosen = {"leistungsfaehigkeit": "fixed", "veraenderungsbereitschaft": "median"}
    created = new_round(store, thresholds=chosen)
    assert created.round.thresholds == chosen
    assert store.round_for_host(created.host_key).thresholds == chosen
    assert new_round(store).round.thresholds is None  # the model's choice applies


@pytest.mark.parametrize(
    ("thresholds", "problem"),
    [
        ({"veraenderungsbereitschaft": "mean"}, "one of"),
        ({}, "map dimension ids"),
        (["median"], "map dimension ids"),
    ],
)
def test_round__a_wrong_threshold_choice_stores_nothing(store, thresholds, problem):
    with pytest.raises(InvalidValue, match=problem):
        new_round(store, thresholds=thresholds)
    with store.engine.connect() as conn:
        assert conn.execute(select(rounds)).all() == []


def test_round__a_threshold_choice_names_the_questionnaires_dimensions(store):
    checked = Store(store.url, questionnaire=get_questionnaire())
    try:
        with pytest.raises(InvalidValue, match="unknown dimensions: budget"):
            new_round(checked, thresholds={"budget": "median"})
    finally:
        checked.close()
    with store.engine.connect() as conn:
        assert conn.execute(select(rounds)).all() == []


def test_round__closing_before_it_opens_is_refused(store):
    with pytest.raises(InvalidValue, match="closes before"):
        new_round(store, opens_on=date(2027, 5, 1), closes_on=date(2027, 4, 1))


def test_invitation__starts_one_assessment_whose_link_is_the_invitation(store):
    created = new_round(store)
    token = created.invitations["08115001"]
    found_round, member = store.invitation(token)
    assert found_round.id == created.round.id and member.name == "Beispielheim" and member.assessment_id is None
    first = store.start_invitation(token, assessment_for(MEMBERS[1]))
    assert store.start_invitation(token, assessment_for(MEMBERS[1])) == first  # opened again: the same
    assert store.open_for_edit(token).id == first  # the invitation is the resume link
    assert store.round_of_assessment(first)[1].key == "08115001"
    by_key = dict((m.key, s) for m, s in store.round_assessments(created.round.id))
    assert by_key["08115001"].id == first and by_key["08111000"] is None


def test_invitation__taken_up_twice_at_once_starts_one_assessment(store):
    created = new_round(store)
    token = created.invitations["08111000"]
    started, barrier = [], threading.Barrier(4)

    def take_up():
        barrier.wait()
        started.append(store.start_invitation(token, assessment_for(MEMBERS[0])))

    threads = [threading.Thread(target=take_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(started)) == 1 and len(started) == 4
    members = {m.key: m for m in store.round_members(created.round.id)}
    assert members["08111000"].assessment_id == started[0]


def test_invitations__renewed_only_for_who_has_not_started(store):
    created = new_round(store)
    started = store.start_invitation(created.invitations["08111000"], assessment_for(MEMBERS[0]))
    renewed = store.renew_invitations(created.round.id)
    assert set(renewed) == {"08115001", "08116002"}
    assert store.invitation(created.invitations["08115001"]) is None  # the old link stops working
    assert store.invitation(renewed["08115001"])[1].key == "08115001"
    assert store.open_for_edit(created.invitations["08111000"]).id == started  # a started one keeps its link


def test_round__deleting_it_leaves_the_municipalities_assessments(store):
    created = new_round(store)
    started = store.start_invitation(created.invitations["08111000"], assessment_for(MEMBERS[0]))
    assert store.delete_round(created.round.id)
    assert store.round_for_host(created.host_key) is None and store.round_members(created.round.id) == []
    assert store.load(started) is not None and store.round_of_assessment(started) is None


def test_round__a_deleted_assessment_frees_its_invitation(store):
    created = new_round(store)
    token = created.invitations["08111000"]
    first = store.start_invitation(token, assessment_for(MEMBERS[0]))
    assert store.delete(first)
    assert store.invitation(token)[1].assessment_id is None
    again = store.start_invitation(token, assessment_for(MEMBERS[0]))
    assert again != first and store.open_for_edit(token).id == again


def test_round__a_follow_up_names_the_previous_round(store):
    first = new_round(store)
    second = new_round(store, previous_id=first.round.id)
    assert store.round(second.round.id).previous_id == first.round.id


def test_round_stamp__changes_with_every_answer_of_the_round(store):
    created = new_round(store)
    before = store.round_stamp(created.round.id)
    assert [key for key, *_ in before] == sorted(m.key for m in MEMBERS)
    started = store.start_invitation(created.invitations["08111000"], assessment_for(MEMBERS[0]))
    after_start = store.round_stamp(created.round.id)
    assert after_start != before
    store.save_answer(started, "g_strategy", "none")
    assert store.round_stamp(created.round.id) != after_start


def test_round_assessments__read_back_what_each_assessment_holds(store):
    """The round's read aggregates the answers in the database, one row per assessment: it
    gives back what reading each assessment by itself gives, values, notes and evidence alike."""
    q = get_questionnaire()
    created = new_round(store)
    by_type = {}
    for item in q.items_for("general"):
        by_type.setdefault(item.type, item)
    full = store.start_invitation(created.invitations["08111000"], assessment_for(MEMBERS[0]))
    empty = store.start_invitation(created.invitations["08115001"], assessment_for(MEMBERS[1]))
    single, multi, number = by_type["single"], by_type["multi"], by_type["number"]
    store.save_answer(full, single.id, single.options[0].id)
    store.save_answer(full, multi.id, [o.id for o in multi.options if not o.exclusive][:2])
    store.save_answer(full, number.id, 2.5)
    store.save_note(full, number.id, 'Stand "März", laut Stellenplan – ohne Azubis ✓')
    store.save_evidence(full, single.id, "https://example.org/beschluss?id=1&b=2")
    store.save_note(full, multi.id, "nur eine Notiz, noch keine Antwort")
    store.save_answer(full, multi.id, None)
    by_key = dict((m.key, s) for m, s in store.round_assessments(created.round.id))
    assert by_key["08116002"] is None
    for assessment_id, key in ((full, "08111000"), (empty, "08115001")):
        read, alone = by_key[key], store.load(assessment_id)
        assert read.id == alone.id and read.revision == alone.revision
        for field in ("answers", "notes", "evidence", "profile", "domains"):
            assert getattr(read.assessment, field) == getattr(alone.assessment, field), field
    held = by_key["08111000"].assessment
    assert held.answers == {single.id: single.options[0].id, number.id: 2.5}
    assert held.notes == {number.id: 'Stand "März", laut Stellenplan – ohne Azubis ✓', multi.id: held.notes[multi.id]}
    assert by_key["08115001"].assessment.answers == {}
    only = dict(store.round_assessments(created.round.id, ["08115001"]))
    assert [m.key for m in only] == ["08115001"]


def test_round_assessments__read_without_the_collector_which_runs_again_afterwards(store, monkeypatch):
    """The round's read pauses the cyclic garbage collector (it builds millions of objects that
    all live on) and leaves it as it found it: on again after the read, off if it was off."""
    import gc

    created = new_round(store)
    store.start_invitation(created.invitations["08111000"], assessment_for(MEMBERS[0]))
    seen: list[bool] = []
    original = rounds_module.assessment_record

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(rounds_module, "assessment_record", watched)
    assert gc.isenabled()
    store.round_assessments(created.round.id)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        store.round_assessments(created.round.id)
        assert not gc.isenabled()
    finally:
        gc.enable()
