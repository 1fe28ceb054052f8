"""A workshop's JSON file reads back: both rounds survive export → import, the group figures
follow again from the answers read, and a damaged or foreign file is refused with a named error."""

from __future__ import annotations

import itertools
import json
import re

import pytest

import app_driver as drive
from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import best_answer, weakest_answer
from ktmsc.model.assessment import ERROR_MESSAGES as ASSESSMENT_ERRORS
from ktmsc.model.assessment import AssessmentError
from ktmsc.texts import catalogue
from ktmsc.workshop import Participant, aggregate, group_json, is_group_file, read_group_file
from ktmsc.workshop.delphi import first_round
from ktmsc.workshop.imports import ERROR_MESSAGES, GroupFileError, error_text_key, round_assessment, summary

Q = get_questionnaire()
MOB, WIR = "mobilitaet", "wirtschaft"
DOMAINS = [WIR, MOB]  # in the model's order, as the file lists them
POP = 20_000
ITEM = "g_strategy"  # single: none … resourced_monitored
SECTIONS = ("general", *DOMAINS)
BEST = {i.id: best_answer(i) for s in SECTIONS for i in Q.items_for(s)}
WEAK = {i.id: weakest_answer(i) for s in SECTIONS for i in Q.items_for(s)}

OPENED = itertools.count()  # the score cache knows a kept first round by its opening: one per case


def workshop():
    """Four participants; in the second round p2 and p4 move the strategy from the weakest answer
    to the best. Returns (round 2's participants, round 1's, group of round 1, group of round 2)."""
    kept_answers = {"p1": dict(BEST), "p2": dict(WEAK), "p3": dict(WEAK), "p4": dict(WEAK)}
    now = [
        Participant("p1", "Jörg", "Kämmerei", dict(BEST)),
        Participant("p2", None, "IT", {**WEAK, ITEM: BEST[ITEM]}),
        Participant("p3", None, None, dict(WEAK)),
        Participant("p4", "Ümit", None, {**WEAK, ITEM: BEST[ITEM]}),
    ]
    kept = first_round(now, kept_answers, next(OPENED))
    g1 = aggregate(Q, kept, DOMAINS, population=POP)
    g2 = aggregate(Q, now, DOMAINS, population=POP)
    return now, kept, g1, g2


def two_round_file() -> str:
    _, _, g1, g2 = workshop()
    return group_json(Q, g2, first=g1, second_round_items=[ITEM])


def figures(participants) -> dict:
    return aggregate(Q, participants, DOMAINS, population=POP).to_json()


def who(participants) -> list[tuple]:
    return [(p.id, p.name, p.role, dict(p.answers)) for p in participants]


# --- round trip --------------------------------------------------------------------------------


def test_both_rounds_survive_export_and_import():
    now, kept, g1, g2 = workshop()
    file = read_group_file(group_json(Q, g2, first=g1, second_round_items=[ITEM]).encode(), Q)
    assert file.round == 2 and file.rounds == (1, 2)
    assert who(file.participants) == who(now)
    assert who(file.first_round) == who(kept)
    assert file.first_round[1].answers[ITEM] == WEAK[ITEM] and file.participants[1].answers[ITEM] == BEST[ITEM]
    assert file.second_round_items == (ITEM,)
    assert (file.domains, file.perspective, file.population) == (tuple(DOMAINS), "verwaltung", POP)
    assert file.questionnaire_version == Q.version
    # The figures the file held are recomputed from the answers read: the same.
    assert figures(file.round_participants(1)) == g1.to_json()
    assert figures(file.round_participants(2)) == g2.to_json()


def test_a_round_one_file_reads_back_without_a_first_round():
    now, _, _, g2 = workshop()
    file = read_group_file(group_json(Q, g2), Q)
    assert file.round == 1 and file.rounds == (1,)
    assert file.first_round is None and file.second_round_items == ()
    assert who(file.round_participants(1)) == who(now)
    assert figures(file.participants) == g2.to_json()
    with pytest.raises(ValueError):
        file.round_participants(2)


def test_a_file_without_a_round_is_round_one():
    """The files written before the second round existed have no "round"."""
    _, _, _, g2 = workshop()
    data = json.loads(group_json(Q, g2))
    del data["round"]
    assert read_group_file(json.dumps(data), Q).round == 1


def test_each_round_opens_as_its_own_group_result():
    file = read_group_file(two_round_file(), Q)
    first = round_assessment(Q, file, 1, lang="de", title="Workshop Musterstadt")
    second = round_assessment(Q, file, 2, lang="de", title="Workshop Musterstadt")
    assert first.group.title == "Workshop Musterstadt – Runde 1"
    assert second.group.title == "Workshop Musterstadt – Runde 2"
    assert first.group.participants == second.group.participants == 4
    assert first.answers[ITEM] == WEAK[ITEM] and second.answers[ITEM] != WEAK[ITEM]  # 3 of 4 weak, then 1 of 4
    assert (first.profile.population, first.profile.perspective, first.domains) == (POP, "verwaltung", DOMAINS)


def test_the_summary_names_participants_domains_and_rounds():
    file = read_group_file(two_round_file(), Q)
    assert summary(Q, file, "de") == (
        "Antworten von 4 Teilnehmenden zu 2 Domänen (Wirtschaft, Mobilität). "
        "Sie enthält beide Runden; Runde 2 hat 1 Frage noch einmal gestellt."
    )
    assert summary(Q, read_group_file(group_json(Q, workshop()[3]), Q), "en") == (
        "Answers of 4 participants on 2 domains (Economy, Mobility). It holds round 1."
    )


def test_is_group_file_tells_a_workshop_from_an_assessment():
    assert is_group_file(two_round_file().encode())
    assert not is_group_file(json.dumps({"format": "ktmsc-assessment", "version": 2}))
    assert not is_group_file(b"not json")
    assert not is_group_file(b"[1, 2]")


# --- refused files -----------------------------------------------------------------------------


def edited(change) -> str:
    data = json.loads(two_round_file())
    change(data)
    return json.dumps(data)


def _set(path: str, value):
    def change(data):
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value

    return change


BAD = {
    "not_json": ('{"format": "ktmsc-workshop", "version": 1, "participants": [', AssessmentError),
    "empty": ("", AssessmentError),
    "not_object": ("[]", GroupFileError),
    "wrong_format": (edited(_set("format", "ktmsc-assessment")), GroupFileError),
    "wrong_version": (edited(_set("version", 7)), AssessmentError),
    "bad_round": (edited(_set("round", 3)), GroupFileError),
    "invalid_field": (edited(_set("perspective", "presse")), AssessmentError),
    "unknown_domains": (edited(_set("domains", [MOB, "raumfahrt"])), AssessmentError),
    "no_domains": (edited(_set("domains", [])), AssessmentError),
    "no_participants": (edited(_set("participants", [])), GroupFileError),
    "invalid_answers": (edited(lambda d: d["participants"][2]["answers"].update({ITEM: "excellent"})), AssessmentError),
    "unknown_items": (
        edited(lambda d: d["first_round"]["participants"][0]["answers"].update(q_42="ja")),
        AssessmentError,
    ),
    "no_first_round": (edited(lambda d: d.pop("first_round")), GroupFileError),
    "unexpected_first_round": (edited(_set("round", 1)), GroupFileError),
    "first_round_mismatch": (edited(_set("first_round.participants.3.id", "p9")), GroupFileError),
    "duplicate_participants": (edited(_set("participants.3.id", "p1")), GroupFileError),
    "unknown_round_items": (edited(_set("second_round.items", ["g_nonsense"])), GroupFileError),
}


@pytest.mark.parametrize("key", list(BAD))
def test_a_bad_file__error(key):
    content, kind = BAD[key]
    with pytest.raises(kind) as raised:
        read_group_file(content, Q)
    assert raised.value.key == key


def test_a_round_one_answer_the_question_does_not_offer_is_named_with_its_participant():
    bad = edited(lambda d: d["first_round"]["participants"][1]["answers"].update({ITEM: "excellent"}))
    with pytest.raises(AssessmentError) as raised:
        read_group_file(bad, Q)
    assert raised.value.key == "invalid_answers" and 'p2: g_strategy="excellent"' in raised.value.params["details"]


def test_a_round_that_is_not_a_whole_number_is_refused():
    for value in (True, 2.0, "2", None):
        with pytest.raises(GroupFileError) as raised:
            read_group_file(edited(_set("round", value)), Q)
        assert raised.value.key == "bad_round"


def test_a_file_too_large_is_refused_before_it_is_read():
    with pytest.raises(AssessmentError) as raised:
        read_group_file(b'{"format": "ktmsc-workshop", "x": "' + b"x" * 1_100_000 + b'"}', Q)
    assert raised.value.key == "too_large"


def test_every_error_has_its_text_in_both_languages():
    texts = catalogue()
    for key, message in ERROR_MESSAGES.items():
        entry = texts[f"group_file.error.{key}"]
        assert set(re.findall(r"\{(\w+)", entry["de"])) == set(re.findall(r"\{(\w+)", message)), key
    assert error_text_key(GroupFileError("no_first_round")) == "group_file.error.no_first_round"
    # The errors shared with an assessment keep the assessment's texts.
    shared = {key for key, (_, kind) in BAD.items() if kind is AssessmentError}
    assert shared <= set(ASSESSMENT_ERRORS)
    assert {error_text_key(AssessmentError("empty"))} == {"ui.import_error.empty"}


# --- the data page -----------------------------------------------------------------------------


def test_the_data_page_opens_round_one_of_a_two_round_file_as_the_group_result(app_store):
    at = drive.open_app("de", page="data")
    upload = ("workshop_musterstadt.json", two_round_file().encode(), "application/json")
    at.file_uploader(key="data.upload").set_value(upload).run()
    drive.assert_ok(at)
    shown = drive.texts(at)
    assert "Workshop-Datei" in shown and "4 Teilnehmenden" in shown and "beide Runden" in shown
    assert not at.error
    radio = at.radio(key="data.group_round")
    assert list(radio.options) == ["Runde 2", "Runde 1"] and radio.value == 2
    radio.set_value(1).run()
    at = drive.click(at, "Gruppenergebnis öffnen")
    drive.assert_ok(at)
    assert at.title[0].value == "Ergebnis"
    token = at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]
    opened = app_store.open_for_edit(token).assessment
    assert opened.group is not None and opened.group.title == "workshop_musterstadt – Runde 1"
    assert opened.group.participants == 4 and opened.answers[ITEM] == WEAK[ITEM]


def test_the_data_page_names_what_is_wrong_with_a_workshop_file(app_store):
    at = drive.open_app("de", page="data")
    at.file_uploader(key="data.upload").set_value(
        ("w.json", BAD["first_round_mismatch"][0].encode(), "application/json")
    )
    at.run()
    drive.assert_ok(at)
    assert "andere Teilnehmende" in at.error[0].value and "Es wurde nichts geändert" in at.error[0].value
    assert not [b for b in at.button if b.label == "Gruppenergebnis öffnen"]
