"""The workshop exports carry the round: without a second round everything is round 1; with one,
the CSV files hold the first round's rows and then the second's, and the JSON holds the current
round where it always did and the first round beside it."""

from __future__ import annotations

import itertools
import json

import pytest
from spreadsheet import read_records, read_rows

from ktmsc.export import csv_header
from ktmsc.instrument import get_questionnaire
from ktmsc.labels import answer_label
from ktmsc.model.answers import best_answer, weakest_answer
from ktmsc.workshop import (
    PARTICIPANTS_CSV_COLUMNS,
    Participant,
    aggregate,
    group_json,
    participants_csv,
    positions_csv,
)
from ktmsc.workshop.delphi import first_round

Q = get_questionnaire()
MOB = "mobilitaet"
POP = 20_000
ITEM = "g_strategy"  # single: none … resourced_monitored
SECTIONS = ("general", MOB)
BEST = {i.id: best_answer(i) for s in SECTIONS for i in Q.items_for(s)}
WEAK = {i.id: weakest_answer(i) for s in SECTIONS for i in Q.items_for(s)}
ITEMS = [i.id for s in SECTIONS for i in Q.items_for(s)]

OPENED = itertools.count()  # the score cache knows a kept first round by its opening: one per case


def workshop():
    """Three participants; in the second round p2 changes the strategy from the weakest answer
    to the best, the others keep theirs. Returns (now, kept first round, round 1, round 2)."""
    kept_answers = {"p1": dict(BEST), "p2": dict(WEAK), "p3": dict(WEAK)}
    now = [
        Participant("p1", "Jörg", "Kämmerei", dict(BEST)),
        Participant("p2", None, "IT", {**WEAK, ITEM: BEST[ITEM]}),
        Participant("p3", None, None, dict(WEAK)),
    ]
    kept = first_round(now, kept_answers, next(OPENED))
    return now, kept, aggregate(Q, kept, [MOB], population=POP), aggregate(Q, now, [MOB], population=POP)


def test_participants_csv__round_one_rows_with_the_kept_answers_then_round_two_with_the_new():
    now, kept, _, _ = workshop()
    text = participants_csv(Q, now, [MOB], lang="de", population=POP, first_round=kept)
    body = read_records(text, "de", PARTICIPANTS_CSV_COLUMNS)
    per_round = len(now) * len(ITEMS)
    assert len(body) == 2 * per_round
    assert [r["round"] for r in body] == ["1"] * per_round + ["2"] * per_round
    # The same row layout in both rounds: participant by participant, item by item.
    keys = [(r["participant_id"], r["item_id"]) for r in body]
    assert keys[:per_round] == keys[per_round:] == [(p.id, i) for p in now for i in ITEMS]
    moved = {r["round"]: r for r in body if (r["participant_id"], r["item_id"]) == ("p2", ITEM)}
    item = Q.items[ITEM]
    assert (moved["1"]["answer_id"], moved["1"]["answer"]) == (WEAK[ITEM], answer_label(item, WEAK[ITEM], "de"))
    assert (moved["2"]["answer_id"], moved["2"]["answer"]) == (BEST[ITEM], answer_label(item, BEST[ITEM], "de"))
    assert moved["1"]["item_score"] != moved["2"]["item_score"]
    kept_one = {r["round"]: r["answer_id"] for r in body if (r["participant_id"], r["item_id"]) == ("p1", ITEM)}
    assert kept_one == {"1": BEST[ITEM], "2": BEST[ITEM]}
    assert {r["role"] for r in body if r["participant_id"] == "p1"} == {"Kämmerei"}


@pytest.mark.parametrize(("lang", "name"), [("de", "Runde"), ("en", "Round")])
def test_the_round_column_stands_after_the_role_in_both_languages(lang, name):
    now, kept, g1, g2 = workshop()
    answers = read_rows(participants_csv(Q, now, [MOB], lang=lang, population=POP, first_round=kept), lang)
    positions = read_rows(positions_csv(Q, g2, lang, first=g1), lang)
    for header in (answers[0], positions[0]):
        assert header[2:4] == [csv_header(["role"], lang)[0], name]
    assert answers[0] == csv_header(PARTICIPANTS_CSV_COLUMNS, lang)


def test_positions_csv__the_first_rounds_positions_then_the_seconds():
    _, _, g1, g2 = workshop()
    header, *body = read_rows(positions_csv(Q, g2, "en", first=g1), "en")
    # Each round's rows are that round's own export, with its number in the round column.
    _, *first_alone = read_rows(positions_csv(Q, g1, "en"), "en")
    _, *second_alone = read_rows(positions_csv(Q, g2, "en"), "en")
    per_round = len(g2.participants) * len(g2.domains)
    assert len(body) == 2 * per_round
    assert body[:per_round] == first_alone
    assert body[per_round:] == [[*r[:3], "2", *r[4:]] for r in second_alone]
    rows = {(r[0], r[3]): dict(zip(header, r, strict=True)) for r in body}
    x = Q.dimension(Q.dimension_ids[0]).name.en
    before = next(p for p in g1.by_domain[MOB].points if p.participant_id == "p2")
    after = next(p for p in g2.by_domain[MOB].points if p.participant_id == "p2")
    assert before.x < after.x  # the better strategy raised p2's position
    assert rows[("p2", "1")][x] == f"{before.x:.1f}" and rows[("p2", "2")][x] == f"{after.x:.1f}"


def test_group_json__round_two_carries_the_first_round_beside_it():
    now, kept, g1, g2 = workshop()
    data = json.loads(group_json(Q, g2, first=g1, second_round_items=[ITEM]))
    assert data["round"] == 2 and data["version"] == 1  # fields added, none changed: no new version
    assert data["second_round"] == {"items": [ITEM]}
    assert [p["answers"] for p in data["participants"]] == [dict(p.answers) for p in now]
    first = data["first_round"]
    assert [p["answers"] for p in first["participants"]] == [dict(p.answers) for p in kept]
    assert first["participants"][1]["answers"][ITEM] == WEAK[ITEM]
    assert data["participants"][1]["answers"][ITEM] == BEST[ITEM]
    assert first["participants"][0]["pseudonym"] == "Jörg" and first["participants"][1]["role"] == "IT"
    # The first round's group figures are its own, and its positions are the first round's.
    assert {k: v for k, v in first.items() if k != "participants"} == json.loads(json.dumps(g1.to_json()))
    assert first["participants"][1]["positions"][MOB][Q.dimension_ids[0]] == round(
        next(p.x for p in g1.by_domain[MOB].points if p.participant_id == "p2"), 1
    )


def test_group_json__the_current_round_keeps_the_layout_it_had():
    """Backward compatible: a reader of the earlier files finds every field it knew unchanged."""
    _, _, g1, g2 = workshop()
    alone = json.loads(group_json(Q, g2))
    both = json.loads(group_json(Q, g2, first=g1, second_round_items=[ITEM]))
    added = {"round", "first_round", "second_round"}
    assert {k: v for k, v in both.items() if k not in added} == {k: v for k, v in alone.items() if k != "round"}


def test_without_a_second_round_everything_is_round_one():
    now, _, _, g2 = workshop()
    body = read_records(participants_csv(Q, now, [MOB], lang="en", population=POP), "en", PARTICIPANTS_CSV_COLUMNS)
    assert len(body) == len(now) * len(ITEMS) and {r["round"] for r in body} == {"1"}
    header, *rows = read_rows(positions_csv(Q, g2, "de"), "de")
    assert header[3] == "Runde" and len(rows) == len(now) and {r[3] for r in rows} == {"1"}
    data = json.loads(group_json(Q, g2, second_round_items=[ITEM]))  # items without a first round: none
    assert data["round"] == 1
    assert "first_round" not in data and "second_round" not in data
