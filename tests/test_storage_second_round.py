"""A workshop's second round in the store, on SQLite and a real PostgreSQL server: the first round
is kept as it stood, only the second round's questions can change, nobody new joins, reasons and
the countdown; and 50 participants answering the second round at once lose nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import storage_fixtures
from storage_fixtures import backend_of

from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.limits import MAX_REASON
from ktmsc.storage import InvalidValue, NotInSecondRound, Store, WorkshopClosed, WorkshopNotFound

backend = storage_fixtures.backend
pg_server = storage_fixtures.pg_server
pg_shared = storage_fixtures.pg_shared
db_url = storage_fixtures.db_url
store = storage_fixtures.store

ASKED_AGAIN = ["g_strategy", "mo_mobility_concept"]


@pytest.fixture
def checked(store):
    """The store that checks every answer against the shipped questionnaire, as the app's does."""
    with Store(store.url, questionnaire=get_questionnaire()) as opened:
        yield opened


def workshop(store_: Store):
    return store_.create_workshop(
        title="Klausur",
        profile=AssessmentProfile(name="Musterstadt", population=21_000),
        domains=["mobilitaet"],
        perspective="verwaltung",
    ).workshop


def join(store_: Store, workshop_id: str, **answers):
    assessment = Assessment(profile=AssessmentProfile(name="Musterstadt"), domains=["mobilitaet"], answers=answers)
    return store_.create_assessment(assessment, kind="participant", workshop_id=workshop_id).id


def test_second_round__keeps_the_first_and_changes_only_its_questions(checked):
    w = workshop(checked)
    kim = join(checked, w.id, g_strategy="none", g_cdo="nobody", mo_mobility_concept="outdated")
    ali = join(checked, w.id, g_strategy="adopted")
    opened = checked.open_second_round(w.id, ASKED_AGAIN)
    again = checked.workshop(w.id)
    assert again.in_second_round and again.round == 2
    assert again.second_round_items == tuple(ASKED_AGAIN) and again.second_round_at == opened

    checked.save_answer(kim, "g_strategy", "adopted")  # changed in round 2
    checked.save_note(kim, "mo_mobility_concept", "Beschluss 2024")
    with pytest.raises(NotInSecondRound):
        checked.save_answer(kim, "g_cdo", "mandated")  # not asked again: the first answer stands
    with pytest.raises(NotInSecondRound):
        checked.toggle_option(kim, "mo_traffic_systems", "traffic_control", True)
    with pytest.raises(NotInSecondRound):  # a second round is for those who answered the first
        join(checked, w.id)

    first = checked.first_round_answers(w.id)
    assert first[kim] == {"g_strategy": "none", "g_cdo": "nobody", "mo_mobility_concept": "outdated"}
    assert first[ali] == {"g_strategy": "adopted"}
    now = checked.load(kim).assessment.answers
    assert now["g_strategy"] == "adopted" and now["g_cdo"] == "nobody"  # round 2: the answers as they are


def test_second_round__opens_once_for_the_workshops_own_questions(checked):
    w = workshop(checked)
    for bad in ([], ["g_strategy", "g_strategy"], ["wi_footfall_use"], ["no_such_item"], "g_strategy"):
        with pytest.raises(InvalidValue):
            checked.open_second_round(w.id, bad)  # empty, twice, another domain's, unknown, not a list
    assert not checked.workshop(w.id).in_second_round
    checked.open_second_round(w.id, ["g_strategy"])
    with pytest.raises(InvalidValue):
        checked.open_second_round(w.id, ["g_cdo"])
    with pytest.raises(WorkshopNotFound):
        checked.open_second_round("f" * 32, ["g_cdo"])
    closed = workshop(checked)
    checked.set_workshop_closed(closed.id, True)
    with pytest.raises(WorkshopClosed):
        checked.open_second_round(closed.id, ["g_cdo"])


def test_second_round__reasons_are_one_line_and_only_for_its_questions(checked):
    w = workshop(checked)
    kim = join(checked, w.id, g_strategy="none")
    with pytest.raises(NotInSecondRound):  # no second round yet
        checked.save_second_round_reason(kim, "g_strategy", "Weil")
    checked.open_second_round(w.id, ["g_strategy"])
    checked.save_second_round_reason(kim, "g_strategy", "  Der Rat hat 2025 beschlossen  ")
    assert checked.second_round_reasons(w.id) == {(kim, "g_strategy"): "Der Rat hat 2025 beschlossen"}
    for bad in ("zwei\nZeilen", "x" * (MAX_REASON + 1)):
        with pytest.raises(InvalidValue):
            checked.save_second_round_reason(kim, "g_strategy", bad)
    with pytest.raises(NotInSecondRound):
        checked.save_second_round_reason(kim, "g_cdo", "Weil")
    checked.save_second_round_reason(kim, "g_strategy", "")
    assert checked.second_round_reasons(w.id) == {}
    checked.set_workshop_closed(w.id, True)
    with pytest.raises(WorkshopClosed):
        checked.save_second_round_reason(kim, "g_strategy", "Weil")


def test_second_round__deleting_the_workshop_or_a_participant_takes_both_rounds(checked):
    w = workshop(checked)
    kim = join(checked, w.id, g_strategy="none")
    ali = join(checked, w.id, g_strategy="adopted")
    checked.open_second_round(w.id, ["g_strategy"])
    checked.save_second_round_reason(kim, "g_strategy", "Weil")
    assert checked.delete_participant(w.id, kim)
    assert set(checked.first_round_answers(w.id)) == {ali} and checked.second_round_reasons(w.id) == {}
    checked.delete_workshop(w.id)
    assert checked.first_round_answers(w.id) == {}


def test_countdown__set_and_stopped(checked):
    w = workshop(checked)
    before = datetime.now(UTC)
    ends = checked.set_countdown(w.id, 10)
    stored = checked.workshop(w.id)
    assert stored.countdown_ends_at == ends and 599 <= (stored.countdown_ends_at - before).total_seconds() <= 601
    checked.open_second_round(w.id, ["g_strategy"])  # a new round starts without the old countdown
    assert checked.workshop(w.id).countdown_ends_at is None
    checked.set_countdown(w.id, 5)
    checked.set_countdown(w.id, None)
    assert checked.workshop(w.id).countdown_ends_at is None
    for bad in (0, 121, 2.5, True, "10"):
        with pytest.raises(InvalidValue):
            checked.set_countdown(w.id, bad)


def test_concurrency__50_participants_answer_the_second_round_at_once(checked):
    """Everyone changes both questions and gives a reason at the same moment: nothing is lost,
    and the first round stays as it stood."""
    w = workshop(checked)
    people = [join(checked, w.id, g_strategy="none", mo_mobility_concept="outdated") for _ in range(50)]
    checked.open_second_round(w.id, ASKED_AGAIN)
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def answer(index: int) -> None:
        barrier.wait()
        try:
            checked.save_answer(people[index], "g_strategy", "adopted" if index % 2 else "in_preparation")
            checked.save_answer(people[index], "mo_mobility_concept", "resourced")
            checked.save_second_round_reason(people[index], "g_strategy", f"Grund {index}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], f"{backend_of(checked.url)}: {errors[:3]}"
    first = checked.first_round_answers(w.id)
    reasons = checked.second_round_reasons(w.id)
    for index, person in enumerate(people):
        answers = checked.load(person).assessment.answers
        assert answers["g_strategy"] == ("adopted" if index % 2 else "in_preparation")
        assert answers["mo_mobility_concept"] == "resourced"
        assert first[person] == {"g_strategy": "none", "mo_mobility_concept": "outdated"}
        assert reasons[(person, "g_strategy")] == f"Grund {index}"
