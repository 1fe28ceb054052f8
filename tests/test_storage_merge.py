"""Merging two participants of a workshop (ktmsc/storage/merging.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import storage_fixtures

from ktmsc.model.assessment import Assessment, AssessmentProfile, PlanEntry
from ktmsc.storage import Store
from ktmsc.storage.merging import taken_fields

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
store = storage_fixtures.store


def new_workshop(store: Store, title: str = "W"):
    return store.create_workshop(
        title=title, profile=AssessmentProfile(), domains=["mobilitaet"], perspective="verwaltung"
    ).workshop


def join(store: Store, workshop_id: str, name: str | None = None, role: str | None = None, **parts: Any):
    assessment = Assessment(profile=AssessmentProfile(), domains=["mobilitaet"], **parts)
    return store.create_assessment(
        assessment, kind="participant", workshop_id=workshop_id, participant_name=name, participant_role=role
    )


def test_taken_fields__only_what_the_kept_one_has_none_of():
    kept = {"a": {"value": "x", "note": None, "evidence": None}, "b": {"value": None, "note": "n", "evidence": None}}
    other = {
        "a": {"value": "y", "note": "why", "evidence": None},
        "b": {"value": "z", "note": "other note", "evidence": None},
        "c": {"value": 3, "note": None, "evidence": "https://example.org"},
    }
    assert taken_fields(kept, other) == {
        "a": {"note": "why"},
        "b": {"value": "z"},
        "c": {"value": 3, "evidence": "https://example.org"},
    }
    assert taken_fields(other, kept) == {}


def test_merge__the_kept_participant_gets_the_union_and_the_other_is_gone(store):
    workshop = new_workshop(store)
    kept = join(store, workshop.id, "Anna", answers={"a": "x"}, notes={"b": "only a note"})
    other = join(
        store,
        workshop.id,
        "Anna (neu)",
        "Bauamt",
        answers={"a": "y", "b": "z", "c": ["p", "q"]},
        notes={"a": "why"},
        evidence={"c": "Haushaltsplan S. 3"},
    )
    known = {p.id: p for p in store.workshop_participants(workshop.id)}

    assert store.merge_participants(workshop.id, kept.id, other.id) == 2  # b and c; a keeps its own

    merged = store.load(kept.id)
    assert merged.assessment.answers == {"a": "x", "b": "z", "c": ["p", "q"]}
    assert merged.assessment.notes == {"a": "why", "b": "only a note"}
    assert merged.assessment.evidence == {"c": "Haushaltsplan S. 3"}
    assert (merged.participant_name, merged.participant_role) == ("Anna", "Bauamt")  # own name, the other's role
    assert store.load(other.id) is None and store.open_for_edit(other.edit_token) is None
    assert store.open_for_edit(kept.edit_token).id == kept.id  # the kept one's link still works

    # The dashboard's incremental read sees one participant with the union.
    assert [p.assessment.answers for p in store.workshop_participants(workshop.id, known)] == [
        {"a": "x", "b": "z", "c": ["p", "q"]}
    ]


def test_merge__the_other_ones_plan_goes_with_it(store):
    workshop = new_workshop(store)
    kept = join(store, workshop.id, "A")
    entry = PlanEntry(id="0123456789abcdef", domain="mobilitaet", item_id="a", to_value="y")
    other = join(store, workshop.id, "B", answers={"a": "y"}, plan=[entry])
    assert store.merge_participants(workshop.id, kept.id, other.id) == 1
    merged = store.load(kept.id)
    assert merged.assessment.answers == {"a": "y"}
    assert merged.assessment.plan == []


def test_merge__only_two_participants_of_this_workshop(store):
    workshop, elsewhere = new_workshop(store), new_workshop(store, "Andere")
    first = join(store, workshop.id, "A", answers={"a": "x"})
    second = join(store, workshop.id, "B", answers={"b": "y"})
    foreign = join(store, elsewhere.id, "C", answers={"c": "z"})
    own = store.create_assessment(Assessment(profile=AssessmentProfile(), domains=["mobilitaet"], answers={"d": "w"}))

    assert store.merge_participants(workshop.id, first.id, foreign.id) is None
    assert store.merge_participants(workshop.id, first.id, own.id) is None
    assert store.merge_participants(workshop.id, first.id, first.id) is None
    assert store.merge_participants("garbage", first.id, second.id) is None
    assert store.merge_participants(workshop.id, first.id, "not-an-id") is None
    assert store.load(foreign.id) is not None and store.load(own.id) is not None
    assert store.load(first.id).assessment.answers == {"a": "x"}

    store.set_workshop_closed(workshop.id, True)  # also in a closed workshop
    assert store.merge_participants(workshop.id, second.id, first.id) == 1
    assert [p.assessment.answers for p in store.workshop_participants(workshop.id)] == [{"a": "x", "b": "y"}]
    assert store.merge_participants(workshop.id, second.id, first.id) is None  # already merged
