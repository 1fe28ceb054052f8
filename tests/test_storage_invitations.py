"""Personal workshop invitations in the store, on SQLite and a real PostgreSQL server: made all at
once or not at all, each link opens its own participant with the role, the label stays the
facilitator's, a lost link is replaced, and closed workshops or second rounds take none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import storage_fixtures

from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import AssessmentProfile
from ktmsc.model.limits import MAX_INVITATION_LABEL, MAX_INVITATIONS, MAX_ROLE
from ktmsc.storage import (
    AssessmentNotFound,
    InvalidValue,
    NotInSecondRound,
    Store,
    WorkshopClosed,
    WorkshopNotFound,
    migrate,
)
from ktmsc.storage.engine import make_engine
from ktmsc.storage.invitations import LabelTaken
from ktmsc.storage.tables import UTCDateTime

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store


@pytest.fixture
def checked(store):
    """The store that checks every answer against the shipped questionnaire, as the app's does."""
    with Store(store.url, questionnaire=get_questionnaire()) as opened:
        yield opened


def workshop(store_: Store, **settings):
    return store_.create_workshop(
        title="Digitalstrategie",
        profile=AssessmentProfile(name="Musterstadt", population=21_000, perspective="verwaltung"),
        domains=["mobilitaet", "umwelt_energie"],
        perspective="verwaltung",
        **settings,
    ).workshop


def participants(store_: Store, workshop_id: str) -> int:
    return len(store_.workshop_participants(workshop_id))


def test_invitations__each_link_opens_its_own_participant_with_the_role(checked):
    w = workshop(checked)
    made = checked.create_invitations(w.id, [("Frau Weber, Bauamt", "Fachbereich"), ("Herr Yılmaz", None)])
    assert [(i.label, i.role) for i in made] == [("Frau Weber, Bauamt", "Fachbereich"), ("Herr Yılmaz", None)]
    assert len({i.edit_token for i in made}) == 2 and "edit_token" not in repr(made[0])

    weber = checked.open_for_edit(made[0].edit_token)
    assert weber.id == made[0].id and weber.kind == "participant" and weber.workshop_id == w.id
    assert weber.invited_as == "Frau Weber, Bauamt" and weber.participant_role == "Fachbereich"
    assert weber.participant_name is None  # the label is not a pseudonym: the dashboard numbers them
    assert weber.assessment.domains == ["mobilitaet", "umwelt_energie"]
    assert weber.assessment.profile.name == "Musterstadt" and weber.assessment.profile.mode == "full"
    assert weber.assessment.questionnaire_version == checked.questionnaire.version
    assert weber.assessment.answers == {}

    checked.save_answer(weber.id, "g_strategy", "adopted")  # an invited participant answers like anyone
    read = {p.id: p for p in checked.workshop_participants(w.id)}
    assert [p.invited_as for p in read.values()] == ["Frau Weber, Bauamt", "Herr Yılmaz"]  # the order given
    assert read[weber.id].assessment.answers == {"g_strategy": "adopted"}

    # Joining by code stays possible beside them, without a label.
    joined = checked.create_assessment(weber.assessment, kind="participant", workshop_id=w.id)
    assert checked.load(joined.id).invited_as is None
    assert checked.load(made[1].id).invited_as == "Herr Yılmaz"


def test_invitations__are_made_all_or_none(store):
    w = workshop(store)
    bad_batches = [
        [],
        [("", "IT")],
        [("   ", None)],
        [("x" * (MAX_INVITATION_LABEL + 1), None)],
        [("Weber", "r" * (MAX_ROLE + 1))],
        [("Weber", None), ("weber ", "IT")],  # twice in one list
        [("Frau\nWeber", None)],
        [("Weber", "IT\nPolitik")],
        [("Weber\x00", None)],
        [("Weber",)],
        [(f"P{n}", None) for n in range(MAX_INVITATIONS + 1)],
        "Weber; IT",
    ]
    for batch in bad_batches:
        with pytest.raises(InvalidValue):
            store.create_invitations(w.id, batch)
    assert participants(store, w.id) == 0
    made = store.create_invitations(w.id, [(f"P{n}", None) for n in range(MAX_INVITATIONS)])
    assert len(made) == MAX_INVITATIONS == participants(store, w.id)
    # Read back in the order given (the dashboard and the tracking list them so), ids being random.
    assert [p.invited_as for p in store.workshop_participants(w.id)] == [f"P{n}" for n in range(MAX_INVITATIONS)]


def test_invitations__a_label_once_per_workshop(store):
    w, other = workshop(store), workshop(store)
    store.create_invitations(w.id, [("Frau Weber", "IT")])
    with pytest.raises(LabelTaken) as taken:
        store.create_invitations(w.id, [("Herr Kaya", None), ("  frau   WEBER ", None)])
    assert taken.value.labels == ("Frau Weber",)
    assert participants(store, w.id) == 1  # Herr Kaya was not made either
    assert len(store.create_invitations(other.id, [("Frau Weber", None)])) == 1  # another workshop's list


def test_invitations__not_in_a_closed_workshop_or_its_second_round(store):
    closed = workshop(store)
    store.set_workshop_closed(closed.id, True)
    with pytest.raises(WorkshopClosed):
        store.create_invitations(closed.id, [("Weber", None)])
    past = workshop(store, closes_at=datetime.now(UTC) - timedelta(minutes=1))  # past its closing time
    with pytest.raises(WorkshopClosed):
        store.create_invitations(past.id, [("Weber", None)])
    second = workshop(store)
    store.open_second_round(second.id, ["g_strategy"])
    with pytest.raises(NotInSecondRound):
        store.create_invitations(second.id, [("Weber", None)])
    for missing in ("f" * 32, "garbage"):
        with pytest.raises(WorkshopNotFound):
            store.create_invitations(missing, [("Weber", None)])
    assert sum(participants(store, x.id) for x in (closed, past, second)) == 0


def test_renew__a_new_link_replaces_the_lost_one_and_keeps_the_answers(store):
    w = workshop(store)
    (weber,) = store.create_invitations(w.id, [("Frau Weber", "IT")])
    store.save_answer(weber.id, "g_strategy", "adopted")
    token = store.renew_invitation(w.id, weber.id)
    assert token != weber.edit_token
    assert store.open_for_edit(weber.edit_token) is None  # the old link opens nothing
    renewed = store.open_for_edit(token)
    assert renewed.id == weber.id and renewed.assessment.answers == {"g_strategy": "adopted"}

    store.set_workshop_closed(w.id, True)  # closed: still their way to see or delete their answers
    assert store.open_for_edit(store.renew_invitation(w.id, weber.id)).id == weber.id


def test_renew__only_an_invitation_of_this_workshop(store):
    w, other = workshop(store), workshop(store)
    (weber,) = store.create_invitations(w.id, [("Frau Weber", None)])
    joined = store.create_assessment(store.load(weber.id).assessment, kind="participant", workshop_id=w.id)
    own = store.create_assessment(store.load(weber.id).assessment)
    for workshop_id, assessment_id in (
        (other.id, weber.id),  # another workshop's facilitator
        (w.id, joined.id),  # joined by code: their link is their own business
        (w.id, own.id),
        (w.id, "f" * 32),
        ("garbage", weber.id),
    ):
        with pytest.raises(AssessmentNotFound):
            store.renew_invitation(workshop_id, assessment_id)
    assert store.open_for_edit(weber.edit_token).id == weber.id  # nothing changed
    assert store.open_for_edit(joined.edit_token).id == joined.id


def test_invitations__go_with_the_participant(store):
    w = workshop(store)
    weber, _kaya = store.create_invitations(w.id, [("Frau Weber", None), ("Herr Kaya", None)])
    assert store.delete_participant(w.id, weber.id)
    assert store.open_for_edit(weber.edit_token) is None
    assert [p.invited_as for p in store.workshop_participants(w.id)] == ["Herr Kaya"]
    store.create_invitations(w.id, [("Frau Weber", None)])  # the label is free again
    assert store.delete_workshop(w.id) == 2


def test_migrations__participants_from_before_0011_have_no_label(db_url):
    engine = make_engine(db_url)
    stamp = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    old = sa.table(
        "assessments",
        *(sa.column(n) for n in ("id", "edit_token_hash", "share_token", "kind")),
        sa.column("profile", sa.JSON),
        sa.column("domains", sa.JSON),
        sa.column("created_at", UTCDateTime),
        sa.column("updated_at", UTCDateTime),
    )
    try:
        migrate.upgrade(engine, "0010")
        with engine.begin() as conn:
            conn.execute(
                old.insert().values(
                    id="ab" * 16,
                    edit_token_hash="h" * 64,
                    share_token="s" * 32,
                    kind="self",
                    profile={},
                    domains=["mobilitaet"],
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
    finally:
        engine.dispose()
    with Store(db_url) as opened:
        assert migrate.current_revision(opened.engine) == "0011"
        assert opened.load("ab" * 16).invited_as is None
