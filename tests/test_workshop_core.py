"""Workshop core: group positions, spread, agreement, item distributions, the discussion
agenda, the group as one assessment, the group charts and the exports."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import statistics

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spreadsheet import read_records, read_rows

from ktmsc.instrument import get_questionnaire
from ktmsc.labels import answer_label
from ktmsc.model.answers import State, best_answer, item_states, weakest_answer
from ktmsc.model.assessment import AssessmentProfile, check_assessment
from ktmsc.model.schema import DONT_KNOW
from ktmsc.scoring import extreme_answers, score
from ktmsc.texts import t
from ktmsc.workshop import (
    PARTICIPANTS_CSV_COLUMNS,
    Impact,
    Participant,
    aggregate,
    agreement_text,
    csv_safe,
    disagreement,
    group_assessment,
    group_chart,
    group_json,
    group_overview_chart,
    impact_text,
    participant_lines,
    participants_csv,
    positions_csv,
    progress_text,
)
from ktmsc.workshop.matrix import layout
from ktmsc.workshop.scores import score_participant, score_participants

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"
Q = get_questionnaire()
BEST = {item.id: best_answer(item) for item in Q.items.values()}
WEAK = {item.id: weakest_answer(item) for item in Q.items.values()}
DONT_KNOW_ALL = {item_id: DONT_KNOW for item_id in Q.items}
MOB = "mobilitaet"
POP = 20_000


def people(*answer_sets, names=None):
    names = names or [None] * len(answer_sets)
    return [
        Participant(f"p{n}", name, None, answers)
        for n, (answers, name) in enumerate(zip(answer_sets, names, strict=True), start=1)
    ]


def asked_items(domains):
    return [item for section in ("general", *domains) for item in Q.items_for(section)]


# --- hand-computed: positions --------------------------------------------------------------


def test_hand_computed__two_at_the_top_one_at_the_bottom():
    group = aggregate(Q, people(BEST, WEAK, BEST), [MOB], population=POP)
    mob = group.by_domain[MOB]
    assert (mob.median.x, mob.median.y) == (pytest.approx(100), pytest.approx(100))
    # Sorted 0, 100, 100: quartiles at positions 0.5 and 1.5 → 50 and 100.
    for dim in (LF, VB):
        spread = mob.spread[dim]
        assert (spread.q1, spread.q3, spread.min, spread.max) == (
            pytest.approx(50),
            pytest.approx(100),
            pytest.approx(0),
            pytest.approx(100),
        )
        assert spread.iqr == pytest.approx(50)
    assert mob.type_id == "leuchtturm"
    assert (mob.type_count, mob.type_share) == (2, pytest.approx(2 / 3))
    assert mob.agrees is False  # 2 of 3 = 0.667 < agreement_share 0.67
    # The IQR box starts exactly at the threshold: "high" from the threshold upwards.
    assert mob.stable is True
    assert mob.possible_types == ("leuchtturm",)


def test_hand_computed__three_of_four_agree():
    mob = aggregate(Q, people(BEST, BEST, WEAK, BEST), [MOB], population=POP).by_domain[MOB]
    # Sorted 0, 100, 100, 100: q1 at position 0.75 → 75, median and q3 100.
    assert mob.spread[LF].q1 == pytest.approx(75)
    assert mob.spread[VB].q3 == pytest.approx(100)
    assert mob.type_share == pytest.approx(0.75)
    assert mob.agrees is True


def test_hand_computed__the_middle_participant_is_the_median():
    aktivistin = extreme_answers(Q, {LF: "high", VB: "low"})
    own = score(Q, aktivistin, [MOB], population=POP).domains[MOB]
    xa, ya = own.dimensions[LF].score, own.dimensions[VB].score
    assert xa >= 50 > ya  # the content keeps extreme patterns in their quadrant

    mob = aggregate(Q, people(BEST, WEAK, aktivistin), [MOB], population=POP).by_domain[MOB]
    assert (mob.median.x, mob.median.y) == (pytest.approx(xa), pytest.approx(ya))
    assert mob.spread[LF].q1 == pytest.approx(xa / 2)
    assert mob.spread[LF].q3 == pytest.approx((xa + 100) / 2)
    assert mob.spread[VB].q1 == pytest.approx(ya / 2)
    assert mob.spread[VB].q3 == pytest.approx((ya + 100) / 2)
    assert mob.type_id == "aktivistin"
    assert mob.type_share == pytest.approx(1 / 3)
    assert not mob.agrees
    # The box reaches from far below to above the VB threshold: borderline.
    assert mob.stable is False
    assert set(mob.possible_types) >= {"aktivistin", "leuchtturm"}


def test_participants_without_a_position_are_listed_apart():
    group = aggregate(Q, people(BEST, DONT_KNOW_ALL, WEAK), [MOB], population=POP)
    mob = group.by_domain[MOB]
    assert mob.without_position == ("p2",)
    assert [p.participant_id for p in mob.points] == ["p1", "p3"]
    assert [p.number for p in mob.points] == [1, 3]
    assert mob.median.x == pytest.approx(50)  # the middle of 0 and 100


def test_no_participants__no_position_and_no_agreement():
    group = aggregate(Q, [], [MOB])
    mob = group.by_domain[MOB]
    assert (mob.median, mob.type_id, mob.type_share, mob.agrees, mob.stable) == (None, None, None, False, False)
    assert group.agenda == ()
    assert all(s.asked == 0 and s.disagreement is None for s in group.items.values())


def test_progress__visible_items_with_dont_know_counted_as_answered():
    base_asked = sum(1 for item in asked_items([MOB]) if not item.show_if)
    group = aggregate(
        Q,
        people({}, {"g_pilots": "one", "g_pilot_decision": DONT_KNOW, "g_leadership": "priority"}),
        [MOB],
    )
    empty, busy = (s.progress for s in group.participants)
    # Follow-ups whose gate is unanswered are hidden, so not asked.
    assert (empty.answered, empty.asked, empty.share) == (0, base_asked, 0)
    assert (busy.answered, busy.dont_know, busy.asked) == (3, 1, base_asked + 1)
    assert busy.share == pytest.approx(3 / (base_asked + 1))


# --- hand-computed: items and the measure ------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "low", "high", "expected"),
    [
        ([0, 0, 1], 0, 1, 200 * math.sqrt(2) / 3),  # sd √2/3 of a largest possible 1/2 → 94.3
        ([0, 1], 0, 1, 100),
        ([0, 0, 1, 1], 0, 1, 100),
        ([0.7, 0.7, 0.7], 0, 1, 0),
        ([0, 0.8], 0, 0.8, 100),  # scaled by the item's own range
        ([0.35, 0.7], 0, 1, 35),  # sd 0.175 of 0.5
        ([0.5, 0.5], 0.5, 0.5, 0),  # every answer scores the same
        ([0.35], 0, 1, None),  # fewer than two answers
        ([], 0, 1, None),
    ],
)
def test_disagreement__table(scores, low, high, expected):
    result = disagreement(scores, low, high)
    assert result == (None if expected is None else pytest.approx(expected))


def test_hand_computed__two_weakest_one_strongest():
    group = aggregate(Q, people({"g_pilots": "none"}, {"g_pilots": "none"}, {"g_pilots": "systematic"}), [MOB])
    stats = group.items["g_pilots"]
    assert stats.disagreement == pytest.approx(94.28, abs=0.01)  # 100 · (√2/3) / (1/2)
    assert [(o.id, o.count) for o in stats.options] == [
        ("none", 2),
        ("one", 0),
        ("several", 0),
        ("systematic", 1),
    ]
    assert (stats.asked, stats.answered, stats.dont_know, stats.unanswered, stats.hidden) == (3, 3, 0, 0, 0)
    assert stats.score_median == 0
    # The follow-up is hidden for the two "none" answers: reported, but out of the denominators.
    decision = group.items["g_pilot_decision"]
    assert (decision.asked, decision.unanswered, decision.hidden, decision.disagreement) == (1, 1, 2, None)


def test_hand_computed__everyone_the_same_answer_is_zero():
    group = aggregate(Q, people(*[{"g_leadership": "priority"}] * 4), [MOB])
    assert group.items["g_leadership"].disagreement == 0
    assert group.items["g_leadership"].count("priority") == 4


def test_dont_know__counted_in_the_distribution_not_in_the_measure():
    group = aggregate(
        Q,
        people({"g_leadership": "it_matter"}, {"g_leadership": "steers"}, {"g_leadership": DONT_KNOW}, {}),
        [MOB],
    )
    stats = group.items["g_leadership"]
    assert (stats.asked, stats.answered, stats.dont_know, stats.unanswered) == (4, 2, 1, 1)
    assert stats.dont_know_share == pytest.approx(1 / 4)
    assert stats.disagreement == pytest.approx(100)  # only 0 and 1 count: half and half
    lonely = aggregate(Q, people({"g_leadership": "priority"}, {"g_leadership": DONT_KNOW}), [MOB]).items[
        "g_leadership"
    ]
    assert lonely.disagreement is None  # one answer is not a spread


def test_hand_computed__multi_item():
    answers = [["none"], ["it_provider", "intermunicipal"], ["it_provider"]]
    stats = aggregate(Q, people(*[{"g_cooperation": a} for a in answers]), [MOB]).items["g_cooperation"]
    assert {o.id: o.count for o in stats.options} == {
        "none": 1,
        "it_provider": 2,
        "intermunicipal": 1,
        "own_company": 0,
    }
    # Scores 0, 0.35, 0.7 on a range 0–1: sd 0.35·√(2/3) of 0.5.
    assert stats.disagreement == pytest.approx(70 * math.sqrt(2 / 3))
    assert stats.score_median == pytest.approx(0.35)


def test_hand_computed__number_item_by_the_size_type():
    # A Mittelstadt (20,000) has bands of its own: up to 0.9 → band 0, up to 3 → 1, up to 8 → 2, more → 3.
    group = aggregate(Q, people({"g_staff_fte": 0}, {"g_staff_fte": 2}, {"g_staff_fte": 10}), [MOB], population=POP)
    stats = group.items["g_staff_fte"]
    assert [(o.id, o.count) for o in stats.options] == [("0", 1), ("1", 1), ("2", 0), ("3", 1)]
    assert stats.score_median == pytest.approx(0.35)
    assert stats.disagreement == pytest.approx(100 * statistics.pstdev([0, 0.35, 1]) / 0.5)
    # Without a population the size type is unknown: the default bands place the answer.
    unsized = aggregate(Q, people({"g_staff_fte": 1}), [MOB]).items["g_staff_fte"]
    assert (unsized.dont_know, unsized.answered, unsized.count("1")) == (0, 1, 1)


# --- agenda ------------------------------------------------------------------------------------


def test_agenda__largest_disagreement_first():
    rng = random.Random(3)
    crowd = [
        {item.id: rng.choice(item.options).id for item in asked_items([MOB]) if item.type == "single"} for _ in range(6)
    ]
    crowd += [{"g_leadership": "it_matter"}, {"g_leadership": "steers"}] * 3
    group = aggregate(Q, people(*crowd), [MOB])
    measured = [s for s in group.items.values() if s.disagreement is not None]
    assert group.agenda[0].disagreement == max(s.disagreement for s in measured)
    assert [e.rank for e in group.agenda] == list(range(1, len(measured) + 1))
    values = [e.disagreement for e in group.agenda]
    assert values == sorted(values, reverse=True)
    assert {e.item_id for e in group.agenda} == {s.item_id for s in measured}


def test_agenda__ties_go_to_more_answers_then_questionnaire_order():
    crowd = [
        {"g_leadership": "it_matter", "g_sharing": "none", "g_cdo": "nobody"},
        {"g_leadership": "steers", "g_sharing": "shares", "g_cdo": "cdo_budget_team"},
        {"g_leadership": "it_matter", "g_cdo": "nobody"},
        {"g_leadership": "steers", "g_cdo": "cdo_budget_team"},
    ]
    agenda = aggregate(Q, people(*crowd), [MOB]).agenda
    assert [(e.item_id, e.disagreement, e.answered) for e in agenda] == [
        ("g_cdo", pytest.approx(100), 4),  # 4 answers, asked before g_leadership
        ("g_leadership", pytest.approx(100), 4),
        ("g_sharing", pytest.approx(100), 2),
    ]


def test_agenda__names_the_scores_an_item_can_move():
    crowd = [
        {"g_leadership": "it_matter", "mo_participation": WEAK["mo_participation"]},
        {"g_leadership": "steers", "mo_participation": BEST["mo_participation"]},
    ]
    agenda = {e.item_id: e for e in aggregate(Q, people(*crowd), [MOB, "wirtschaft"]).agenda}
    # A general item enters every chosen domain, on the dimensions it has a weight on.
    leadership = agenda["g_leadership"]
    assert {(i.domain, i.dimension) for i in leadership.impacts} == {(MOB, VB), ("wirtschaft", VB)}
    # A domain item only its domain; the points are its share of the dimension's weight.
    participation = agenda["mo_participation"]
    assert {i.domain for i in participation.impacts} == {MOB}
    for impact in participation.impacts:
        weighted = Q.weighted_items(MOB, impact.dimension)
        total = sum(w for _, w in weighted)
        own = next(w for item, w in weighted if item.id == "mo_participation")
        assert impact.points == pytest.approx(100 * own / total)
    assert participation.main_impact == max(participation.impacts, key=lambda i: i.points)


# --- properties ------------------------------------------------------------------------------------


def random_answers(seed: int, level: float, dont_know: float) -> dict:
    """A plausible participant: mostly answers, some "don't know", some gaps; ``level``
    pulls answers towards the best one, so all quadrants get visited."""
    rng = random.Random(seed)
    answers: dict = {}
    for item in Q.items.values():
        roll = rng.random()
        if roll < dont_know:
            answers[item.id] = DONT_KNOW
        elif roll < dont_know + 0.05:
            continue
        elif rng.random() < level:
            answers[item.id] = best_answer(item) if item.type != "number" else rng.choice([1.5, 4.0])
        elif rng.random() < 0.5:
            answers[item.id] = weakest_answer(item)
        elif item.type == "single":
            answers[item.id] = rng.choice(item.options).id
        elif item.type == "multi":
            answers[item.id] = [o.id for o in item.options if not o.exclusive and rng.random() < 0.5] or [
                item.options[0].id
            ]
        else:
            answers[item.id] = round(rng.uniform(0, 3), 2)
    return answers


participant_specs = st.tuples(st.integers(0, 2**31), st.floats(0, 1), st.sampled_from([0.0, 0.1, 0.6]))
groups = st.lists(participant_specs, min_size=1, max_size=7).map(
    lambda specs: [Participant(f"p{n}", None, None, random_answers(*spec)) for n, spec in enumerate(specs)]
)
domain_sets = st.lists(st.sampled_from(Q.domain_ids), min_size=1, max_size=2, unique=True)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def comparable(group) -> dict:
    """Everything that must not depend on the participants' order."""
    data = group.to_json()
    for domain in data["by_domain"].values():
        domain["without_position"] = sorted(domain["without_position"])
    data["progress"] = sorted((s.participant.id, s.progress) for s in group.participants)
    return data


@PROPERTY
@given(participants=groups, domains=domain_sets)
def test_property__disagreement_lies_in_0_to_100(participants, domains):
    group = aggregate(Q, participants, domains, population=POP)
    for stats in group.items.values():
        assert stats.asked == stats.answered + stats.dont_know + stats.unanswered
        assert stats.asked + stats.hidden == len(participants)
        if stats.answered < 2:
            assert stats.disagreement is None
        else:
            assert 0 <= stats.disagreement <= 100


@PROPERTY
@given(participants=groups, domains=domain_sets, data=st.data())
def test_property__permuting_participants_changes_nothing(participants, domains, data):
    shuffled = data.draw(st.permutations(participants))
    assert comparable(aggregate(Q, shuffled, domains, population=POP)) == comparable(
        aggregate(Q, participants, domains, population=POP)
    )


@PROPERTY
@given(participants=groups, domains=domain_sets)
def test_property__median_inside_the_spread_and_typed_by_its_quadrant(participants, domains):
    group = aggregate(Q, participants, domains, population=POP)
    for mob in group.by_domain.values():
        if mob.median is None:
            assert not mob.points
            continue
        for dim, value in ((LF, mob.median.x), (VB, mob.median.y)):
            s = mob.spread[dim]
            assert s.min <= s.q1 <= value <= s.q3 <= s.max
            own = [p.x if dim == LF else p.y for p in mob.points]
            assert (s.min, s.max) == (min(own), max(own))
        assert mob.type_id == Q.classify({LF: mob.median.x, VB: mob.median.y}).id
        assert mob.agrees == (mob.type_share >= Q.model.scoring.agreement_share)
        assert mob.stable == (mob.possible_types == (mob.type_id,))


@PROPERTY
@given(participants=groups, domains=domain_sets)
def test_property__one_more_participant_at_the_median_does_not_widen_the_spread(participants, domains):
    group = aggregate(Q, participants, domains, population=POP)
    for domain_id, mob in group.by_domain.items():
        if mob.count % 2 == 0:
            continue  # with an odd count the median is one participant's score
        for axis, dim in (("x", LF), ("y", VB)):
            middle = next(p for p in mob.points if getattr(p, axis) == getattr(mob.median, axis))
            twin = Participant(
                "twin", None, None, next(x for x in participants if x.id == middle.participant_id).answers
            )
            after = aggregate(Q, [*participants, twin], domains, population=POP).by_domain[domain_id]
            assert getattr(after.median, axis) == getattr(mob.median, axis)
            assert after.spread[dim].iqr <= mob.spread[dim].iqr + 1e-9


@PROPERTY
@given(participants=groups, domains=domain_sets)
def test_property__doubling_the_group_changes_no_median_share_or_disagreement(participants, domains):
    twice = [*participants, *(Participant(f"{p.id}_twin", None, None, p.answers) for p in participants)]
    one, two = aggregate(Q, participants, domains, population=POP), aggregate(Q, twice, domains, population=POP)
    for domain_id, mob in one.by_domain.items():
        other = two.by_domain[domain_id]
        assert (other.median, other.type_id, other.agrees) == (mob.median, mob.type_id, mob.agrees)
        assert (
            other.type_share == pytest.approx(mob.type_share)
            if mob.type_share is not None
            else other.type_share is None
        )
    for item_id, stats in one.items.items():
        doubled = two.items[item_id]
        assert doubled.score_median == stats.score_median
        if stats.answered != 1:  # one answer has no measure; two equal ones measure 0
            assert doubled.disagreement == (None if stats.disagreement is None else pytest.approx(stats.disagreement))
        assert [o.count for o in doubled.options] == [2 * o.count for o in stats.options]
    measured = {e.item_id for e in one.agenda}
    assert [e.item_id for e in two.agenda if e.item_id in measured] == [e.item_id for e in one.agenda]


@PROPERTY
@given(participants=groups, domains=domain_sets, data=st.data())
def test_property__a_participant_moving_to_the_best_answers_never_lowers_the_median(participants, domains, data):
    index = data.draw(st.integers(0, len(participants) - 1))
    better = list(participants)
    better[index] = Participant(participants[index].id, None, None, BEST)
    before, after = aggregate(Q, participants, domains, population=POP), aggregate(Q, better, domains, population=POP)
    for domain_id, mob in before.by_domain.items():
        if mob.median is not None:
            moved = after.by_domain[domain_id].median
            assert moved.x >= mob.median.x - 1e-9 and moved.y >= mob.median.y - 1e-9


def test_score_cache__same_result_and_never_stale():
    crowd = people(*(random_answers(seed, 0.4, 0.1) for seed in range(5)))
    fresh = aggregate(Q, crowd, [MOB, "wirtschaft"], population=POP, reuse_scores=False)
    assert aggregate(Q, crowd, [MOB, "wirtschaft"], population=POP).to_json() == fresh.to_json()
    # True == 1 in Python, but True is no number answer: the cache must tell them apart.
    as_number = aggregate(Q, people({"g_staff_fte": 1}), [MOB], population=POP).items["g_staff_fte"]
    as_bool = aggregate(Q, people({"g_staff_fte": True}), [MOB], population=POP).items["g_staff_fte"]
    assert (as_number.answered, as_bool.answered, as_bool.unanswered) == (1, 0, 1)


@PROPERTY
@given(
    group=groups,
    domains=domain_sets,
    perspective=st.sampled_from(["verwaltung", "buergerin"]),
    body_kind=st.sampled_from([None, "amt", "landkreis"]),
)
def test_scores__together_the_same_as_one_by_one(group, domains, perspective, body_kind):
    """The dashboard scores the participants who changed something together (ktmsc.batch):
    positions, intervals, types, placement and matrix rows are those of scoring them one by one."""
    chosen = tuple(Q.ordered_domains(domains))
    where = Q.municipality(POP, body_kind)
    lay = layout(Q, chosen, perspective)
    together = score_participants(Q, group, lay, chosen, perspective, where, False)
    for participant, many in zip(group, together, strict=True):
        one = score_participant(Q, participant, lay, chosen, perspective, where, False)
        assert many.positions == one.positions
        assert (many.row.codes == one.row.codes).all() and (many.row.chosen == one.row.chosen).all()
        assert np.array_equal(many.row.scores, one.row.scores, equal_nan=True)
        assert many.row.progress == one.row.progress


def test_bad_input__unknown_domain_or_duplicate_ids():
    with pytest.raises(ValueError, match="unknown domains: verkehr"):
        aggregate(Q, [], ["verkehr"])
    with pytest.raises(ValueError, match="'p1' is used twice"):
        aggregate(Q, [Participant("p1"), Participant("p1")], [MOB])


# --- the group as one assessment ------------------------------------------------------------------


def normalised(answers: dict) -> dict:
    return {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}


def test_group_assessment__identical_participants_give_their_own_answers():
    domains = [MOB, "wirtschaft"]
    own = random_answers(11, 0.5, 0.15)
    ga = group_assessment(Q, people(own, own, own), domains, profile={"population": POP})
    states = item_states(Q, own, ["general", *domains], population=POP)
    expected = {k: own[k] for k, s in states.items() if s.state in (State.ANSWERED, State.DONT_KNOW)}
    assert normalised(ga.answers) == normalised(expected)
    theirs, ours = score(Q, own, domains, population=POP), score(Q, ga.answers, ga.domains, ga.perspective, POP)
    for domain in domains:
        for dim in (LF, VB):
            assert ours.domains[domain].dimensions[dim].score == pytest.approx(
                theirs.domains[domain].dimensions[dim].score
            )
        assert ours.domains[domain].type_id == theirs.domains[domain].type_id


@pytest.mark.parametrize("type_id", ["bewahrerin", "mobilisiererin", "aktivistin", "leuchtturm"])
def test_group_assessment__scores_like_an_assessment_and_lands_on_the_group_type(type_id):
    domains = [MOB, "umwelt_energie"]
    pattern = extreme_answers(Q, Q.types[type_id].quadrant)
    crowd = []
    for n, item in enumerate(Q.items_for(MOB)[:3]):  # each participant strays on a different item
        answers = dict(pattern)
        answers[item.id] = BEST[item.id] if answers[item.id] == WEAK[item.id] else WEAK[item.id]
        crowd.append(Participant(f"p{n}", None, None, answers))
    profile = AssessmentProfile(name="Musterstadt", population=POP)
    ga = group_assessment(Q, crowd, domains, profile=profile)
    check_assessment(ga, Q)  # a valid, ordinary assessment
    assert ga.profile.name == "Musterstadt" and ga.domains == ["umwelt_energie", MOB]
    result = score(Q, ga.answers, ga.domains, ga.perspective, ga.profile.population)
    group = aggregate(Q, crowd, domains, population=POP)
    for domain in domains:
        assert group.by_domain[domain].agrees
        assert result.domains[domain].type_id == group.by_domain[domain].type_id == type_id


def test_group_assessment__rules_per_item():
    crowd = [
        {
            "g_pilots": "none",
            "g_leadership": DONT_KNOW,
            "g_sharing": DONT_KNOW,
            "g_cooperation": ["none"],
            "g_staff_fte": 0.5,
        },
        {
            "g_pilots": "none",
            "g_leadership": DONT_KNOW,
            "g_sharing": "none",
            "g_cooperation": ["it_provider", "intermunicipal"],
            "g_staff_fte": 1,
        },
        {
            "g_pilots": "several",
            "g_pilot_decision": "decided",
            "g_leadership": "priority",
            "g_cooperation": ["it_provider"],
            "g_staff_fte": 3,
            "g_cdo": DONT_KNOW,
        },
    ]
    ga = group_assessment(Q, people(*crowd), [MOB], perspective="buergerin", profile={"population": POP}, lang="en")
    assert ga.profile.perspective == "buergerin"
    ga = group_assessment(Q, people(*crowd), [MOB], profile={"population": POP}, lang="en")
    assert ga.answers["g_pilots"] == "none"  # median score 0
    assert "g_pilot_decision" not in ga.answers  # hidden by the group's own "none"
    assert ga.answers["g_leadership"] == DONT_KNOW  # 2 × don't know against 1 answer
    assert ga.answers["g_sharing"] == "none"  # 1 : 1 – the answer wins the tie
    assert ga.answers["g_cdo"] == DONT_KNOW  # nothing but don't know
    assert "g_budget" not in ga.answers  # nobody answered
    assert ga.answers["g_cooperation"] == ["it_provider"]  # ticked by 2 of 3
    assert ga.answers["g_staff_fte"] == 1  # the median value
    assert ga.notes["g_leadership"] == t(
        "workshop.assessment.note", "en", answered=1, dont_know=2, asked=3, disagreement="–"
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["it_matter", "steers"], "occasional"),  # median 0.5: 0.3 and 0.7 are as close; a tie goes to the weaker
        (["occasional", "priority"], "occasional"),  # median 0.5 again
        (["it_matter", "occasional", "steers"], "occasional"),  # median 0.3: an option's own score
        (["it_matter", "priority", "priority"], "priority"),
    ],
)
def test_group_assessment__single_closest_to_the_median(answers, expected):
    ga = group_assessment(Q, people(*({"g_leadership": a} for a in answers)), [MOB])
    assert ga.answers["g_leadership"] == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([["none"], ["it_provider"]], ["none"]),  # half split: equally close to 0.175, the weaker wins
        ([["it_provider", "own_company"], ["own_company"], ["none"]], ["own_company"]),
        ([["it_provider"], ["intermunicipal"], ["own_company"]], ["it_provider"]),  # nobody reaches half
        ([["none"], ["none"], ["own_company"]], ["none"]),
    ],
)
def test_group_assessment__multi_ticked_by_half(answers, expected):
    ga = group_assessment(Q, people(*({"g_cooperation": a} for a in answers)), [MOB])
    assert ga.answers["g_cooperation"] == expected


# --- charts -----------------------------------------------------------------------------------------


def layers(spec, description):
    return [layer for layer in spec["layer"] if layer.get("description") == description]


def rows(spec, description):
    """The data a layer draws (inline values, or its named dataset once)."""
    found = layers(spec, description)
    if not found:
        return []
    data = found[0]["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


@pytest.fixture(scope="module")
def chart_group():
    names = ["Jörg <script>alert(1)</script>", None, None, "  "]
    return aggregate(
        Q,
        people(BEST, WEAK, extreme_answers(Q, {LF: "high", VB: "low"}), DONT_KNOW_ALL, names=names),
        [MOB, "wirtschaft"],
        population=POP,
    )


def test_group_chart__participants_median_spread_thresholds_types(chart_group):
    spec = chart = group_chart(Q, chart_group, MOB, "de")
    assert spec == group_chart(Q, chart_group, MOB, "de")  # deterministic
    people_rows = rows(chart, "participants")
    assert [r["label"] for r in people_rows] == ["Jörg <script>alert(1)</script>", "Teilnehmer:in 2", "Teilnehmer:in 3"]
    (participants_layer,) = layers(chart, "participants")
    assert participants_layer["mark"]["opacity"] < 1 and participants_layer["mark"]["color"]
    mob = chart_group.by_domain[MOB]
    (median,) = rows(chart, "median")
    assert (median["x"], median["y"]) == (round(mob.median.x, 1), round(mob.median.y, 1))
    assert [r["label"] for r in rows(chart, "median labels")] == ["Median"]
    (spread_layer,) = layers(chart, "spread")
    assert spread_layer["mark"]["type"] == "rect"
    assert spread_layer["encoding"]["x"]["field"] == "x_q1" and spread_layer["encoding"]["x2"]["field"] == "x_q3"
    (box,) = rows(chart, "spread")
    assert (box["x_q1"], box["x_q3"], box["y_q1"], box["y_q3"]) == tuple(
        round(v, 1) for v in (mob.spread[LF].q1, mob.spread[LF].q3, mob.spread[VB].q1, mob.spread[VB].q3)
    )
    assert layers(chart, "range x") and layers(chart, "range y")
    assert rows(chart, "threshold x") == [{"x": 50, "y": 50}]
    assert layers(chart, "threshold y")
    assert {r["type"] for r in rows(chart, "type labels")} == {type_def.name.de for type_def in Q.model.types}
    x = spread_layer["encoding"]["x"]
    assert x["scale"]["domain"] == [0, 100] and x["title"].startswith("Leistungsfähigkeit")
    assert spread_layer["encoding"]["y"]["title"].startswith("Veränderungsbereitschaft")
    assert "Mobilität" in spec["title"] and "3" in spec["title"]


def test_group_chart__english_labels(chart_group):
    chart = group_chart(Q, chart_group, MOB, "en")
    assert [r["label"] for r in rows(chart, "participants")][1:] == ["Participant 2", "Participant 3"]
    assert layers(chart, "spread")[0]["encoding"]["x"]["title"].startswith("Capacity")


def test_group_chart__domain_without_positions_shows_the_quadrants_only():
    group = aggregate(Q, people(DONT_KNOW_ALL), [MOB])
    chart = group_chart(Q, group, MOB, "de")
    assert not rows(chart, "participants") and not rows(chart, "median")
    assert layers(chart, "quadrants") and layers(chart, "threshold x")


def test_group_overview_chart__one_median_and_box_per_domain(chart_group):
    chart = group_overview_chart(Q, chart_group, "de")
    medians = rows(chart, "medians")
    assert [r["label"] for r in medians] == ["Wirtschaft", "Mobilität"]  # the model's order
    assert len(rows(chart, "spread")) == 2
    labels = rows(chart, "median labels")
    assert {r["label"] for r in labels} == {"Wirtschaft", "Mobilität"}
    drawn = {(layer["mark"]["align"], layer["mark"]["dy"]) for layer in layers(chart, "median labels")}
    assert {(r["align"], r["dy"]) for r in labels} <= drawn
    assert layers(chart, "type labels") and layers(chart, "threshold y")


# --- exports -----------------------------------------------------------------------------------------


def read_csv(text, lang="de"):
    return read_rows(text, lang)


NASTY = ['=HYPERLINK("http://evil.example","klick")', "+49 170 1234", "-1+1", "@SUM(A1:A9)", "  =1+1", "\t=1"]


def test_participants_csv__one_row_per_participant_and_item():
    domains = [MOB, "wirtschaft"]
    crowd = people(random_answers(1, 0.5, 0.1), {}, {"g_pilots": "none", "g_pilot_decision": "decided"})
    body = read_records(participants_csv(Q, crowd, domains, lang="de", population=POP), "de", PARTICIPANTS_CSV_COLUMNS)
    assert len(body) == len(crowd) * len(asked_items(domains))
    first = crowd[0].answers
    for row in body[: len(asked_items(domains))]:
        item = Q.items[row["item_id"]]
        assert row["answer"] == csv_safe(answer_label(item, first.get(item.id), "de"))
        assert row["question"] == item.text.de
    hidden = next(r for r in body if r["participant_id"] == "p3" and r["item_id"] == "g_pilot_decision")
    assert (hidden["status"], hidden["item_score"]) == ("hidden", "")
    unanswered = next(r for r in body if r["participant_id"] == "p2" and r["item_id"] == "g_leadership")
    assert (unanswered["status"], unanswered["answer"]) == ("unanswered", "")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(123456.5, "123456.5"), (1234567.0, "1234567.0"), (0.1 + 0.2, "0.30000000000000004"), (42, "42")],
)
def test_participants_csv__number_answers_written_as_stored(value, expected):
    item = next(i for section in ("general", MOB) for i in Q.items_for(section) if i.type == "number")
    body = read_records(
        participants_csv(Q, people({item.id: value}), [MOB], population=POP), "de", PARTICIPANTS_CSV_COLUMNS
    )
    row = next(r for r in body if r["item_id"] == item.id)
    assert row["answer_id"] == expected
    assert float(row["answer_id"]) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (123456.5, "123.456,5 Vollzeitstellen"),
        (1_000_000.0, "1.000.000 Vollzeitstellen"),
        (7.5, "7,5 Vollzeitstellen"),
        (0.1 + 0.2, "0,3 Vollzeitstellen"),
        (0.0, "0 Vollzeitstellen"),
    ],
)
def test_answer_label__numbers_keep_their_digits(value, expected):
    assert answer_label(Q.items["g_staff_fte"], value, "de") == expected


def test_participants_csv__formulas_neutralised_unicode_intact():
    crowd = [Participant(f"id{n}", name, "=cmd|' /C calc'!A0", {"g_strategy": "none"}) for n, name in enumerate(NASTY)]
    crowd.append(
        Participant(
            "ok",
            "Jörg Müller-Lüdenscheidt <script>alert('x')</script>",
            "Kämmerei – Leitung",
            {"g_strategy": "adopted"},
        )
    )
    table = read_csv(participants_csv(Q, crowd, [MOB]))
    by_id = {}
    for row in table[1:]:
        by_id.setdefault(row[0], row)
    for n, name in enumerate(NASTY):
        assert by_id[f"id{n}"][1] == "'" + name
        assert by_id[f"id{n}"][2].startswith("'=")
    assert by_id["ok"][1:3] == ["Jörg Müller-Lüdenscheidt <script>alert('x')</script>", "Kämmerei – Leitung"]
    assert any(row[6] == Q.items["g_strategy"].text.de for row in table)  # umlauts in content stay too


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        (" =1", "' =1"),
        ("\t1", "'\t1"),
        ("a=1", "a=1"),
        ("a;=1", "a;'=1"),
        ("a, -1", "a,' -1"),
        ('x";=HYPERLINK("http://h","k")', 'x";\'=HYPERLINK("http://h","k")'),
        ("3,5 %; 4 %", "3,5 %; 4 %"),
        ("", ""),
        (None, ""),
        (0.35, "0.35"),
        ("Ärger", "Ärger"),
    ],
)
def test_csv_safe__table(value, expected):
    assert csv_safe(value) == expected


def test_positions_csv__one_row_per_participant_and_domain(chart_group):
    header, *body = read_csv(positions_csv(Q, chart_group, "de"))
    assert header[:9] == [
        "Teilnahme-ID",
        "Pseudonym",
        "Rolle",
        "Runde",
        "Beantwortet",
        "Gestellt",
        "Domänen-ID",
        "Domäne",
        "Leistungsfähigkeit",
    ]
    assert header[9:11] == ["Leistungsfähigkeit min", "Leistungsfähigkeit max"]
    assert len(body) == len(chart_group.participants) * 2
    rows_by = {(r[0], r[6]): dict(zip(header, r, strict=True)) for r in body}
    assert rows_by[("p1", MOB)]["Leistungsfähigkeit"] == "100,0"  # a number to German Excel
    assert rows_by[("p1", MOB)]["Pseudonym"] == "Jörg <script>alert(1)</script>"
    assert rows_by[("p4", MOB)]["Leistungsfähigkeit"] == ""  # no position
    assert rows_by[("p2", MOB)]["Typ-ID"] == "bewahrerin" and rows_by[("p2", MOB)]["Typ"] == "Die Bewahrerin"
    english = read_csv(positions_csv(Q, chart_group, "en"), "en")
    assert english[0][8] == "Capacity" and english[1][8] == "100.0"


def test_group_json__result_and_every_answer():
    crowd = [
        Participant("a", "Jörg <script>", "=Kämmerei", {"g_strategy": "none", "g_cooperation": ["it_provider"]}),
        Participant("b", None, None, {"g_strategy": "adopted", "g_staff_fte": float("nan")}),
    ]
    group = aggregate(Q, crowd, [MOB], population=POP)
    text = group_json(Q, group)
    assert "Jörg <script>" in text  # UTF-8 text, not \u escapes
    data = json.loads(text)
    assert data["format"] == "ktmsc-workshop" and data["domains"] == [MOB]
    assert [p["answers"] for p in data["participants"]] == [
        {"g_strategy": "none", "g_cooperation": ["it_provider"]},
        {"g_strategy": "adopted", "g_staff_fte": None},  # NaN is not JSON
    ]
    assert data["participants"][0]["role"] == "=Kämmerei"  # JSON is data, not a spreadsheet
    assert data["by_domain"][MOB]["type"] == group.by_domain[MOB].type_id
    assert data["items"]["g_strategy"]["options"]["none"] == 1
    assert data["agenda"][0]["item"] == group.agenda[0].item_id
    assert set(data["disagreement"]) == {"de", "en"}


def test_texts__agreement_progress_and_impact():
    group = aggregate(Q, people(BEST, BEST, WEAK, BEST), [MOB, "wirtschaft"], population=POP)
    assert agreement_text(group, MOB, "de") == (
        "Die Gruppe ist sich einig: 75\u00a0% der Teilnehmenden liegen im Quadranten der Gruppe"
        " (ab 67\u00a0% gilt sie als einig)."
    )
    split = aggregate(Q, people(BEST, WEAK), [MOB], population=POP)
    assert agreement_text(split, MOB, "en").startswith("The group does not agree: only 50% ")
    # Two of three, below a threshold of 0.67: the share does not read "67 %" next to "from 67 %".
    two_of_three = aggregate(Q, people(BEST, BEST, WEAK), [MOB], population=POP)
    assert not two_of_three.by_domain[MOB].agrees
    assert agreement_text(two_of_three, MOB, "de").startswith(
        "Die Gruppe ist sich nicht einig: nur 66,6\u00a0% der Teilnehmenden"
    ), agreement_text(two_of_three, MOB, "de")
    nobody = aggregate(Q, people(DONT_KNOW_ALL), [MOB])
    assert agreement_text(nobody, MOB, "de") == t("workshop.status.no_position", "de")
    progress = group.participants[0].progress
    assert progress_text(progress, "en") == f"{progress.asked} of {progress.asked} questions answered"
    impact = Impact(MOB, LF, 8.4)
    assert impact_text(Q, impact, "de") == "wirkt auf Leistungsfähigkeit in Mobilität mit bis zu 8 Punkten"
    assert impact_text(Q, impact, "en") == "moves Capacity in Mobility by up to 8 points"


def test_texts__the_measure_is_explained_in_both_languages():
    de, en = (t("workshop.agenda.measure_explained", lang) for lang in ("de", "en"))
    assert "0" in de and "100" in de and "Weiß nicht" in de
    assert "0" in en and "100" in en and "don't know" in en


HOSTILE_CELLS = [*NASTY, 'Notiz;=HYPERLINK("http://evil.example","k")', "a, @SUM(A1)", "x;\t=1", "Beleg;  -2+3"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_every_csv__no_cell_starts_a_formula_for_comma_or_semicolon_readers(delimiter):
    """Whatever a participant typed, neither a comma reader nor German Excel (which splits
    the same file on ";") sees a cell that starts a formula."""
    from ktmsc.export import answers_csv
    from ktmsc.model.assessment import Assessment

    crowd = [
        Participant(f"p{n}", cell, cell, {"g_strategy": cell, "g_cooperation": [cell]})
        for n, cell in enumerate(HOSTILE_CELLS)
    ]
    own = Assessment(
        profile=AssessmentProfile(name=HOSTILE_CELLS[0]),
        domains=[MOB],
        answers={"g_strategy": HOSTILE_CELLS[-1]},
        notes={"g_strategy": HOSTILE_CELLS[-4], "g_pilots": HOSTILE_CELLS[1]},
        evidence={"g_strategy": HOSTILE_CELLS[-3]},
    )
    for text in (participants_csv(Q, crowd, [MOB]), answers_csv(Q, own, "de")):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert cell.lstrip(' "')[:1] not in set("=+-@\t\r"), (delimiter, cell)


def test_a_participant_counts_in_a_domain_once_its_own_questions_are_mostly_answered():
    """The cross-cutting answers alone no longer place anyone in every domain."""
    general = {k: v for k, v in BEST.items() if Q.section_of[k] == "general"}
    own = [i.id for i in Q.items_for(MOB)]
    half = Q.model.scoring.placed_share
    enough = {**general, **{i: BEST[i] for i in own[: math.ceil(half * len(own))]}}
    too_few = {**general, **{i: BEST[i] for i in own[: math.ceil(half * len(own)) - 1]}}
    dont_know = {**general, **dict.fromkeys(own, DONT_KNOW)}  # says nothing about the domain
    group = aggregate(Q, people(general, too_few, enough, dont_know), [MOB], population=POP)
    domain = group.by_domain[MOB]
    assert set(domain.without_position) == {"p1", "p2", "p4"}
    assert [p.participant_id for p in domain.points] == ["p3"]
    assert domain.count == 1 and domain.type_share == 1.0  # the median and agreement of p2 alone


def test_participant_lines__the_group_point_per_domain_and_nothing_for_too_few():
    """What a phone shows once the group is revealed: per domain the group's type, median with
    its middle half and agreement; with fewer than ``group_min_shown`` placed, nothing of it."""
    minimum = Q.model.scoring.group_min_shown
    group = aggregate(Q, people(BEST, BEST, WEAK, names=["Ana", "Bo", "Cy"]), [MOB, "wirtschaft"], population=POP)
    lines = participant_lines(Q, group, "de")
    assert len(lines) == 2  # one per domain, in the model's order
    (mobility,) = [line for line in lines if line.startswith("Mobilität: ")]
    assert mobility.startswith("Mobilität: " + Q.types[group.by_domain[MOB].type_id].name.de + " – ")
    assert agreement_text(group, MOB, "de") in mobility
    assert not any(name in line for line in lines for name in ("Ana", "Bo", "Cy"))
    few = aggregate(Q, people(*[BEST] * (minimum - 1)), [MOB], population=POP)
    assert participant_lines(Q, few, "en") == [
        f"Mobility: fewer than {minimum} participants placed – the group's result is not shown here."
    ]
    finished = aggregate(Q, people(BEST, {"g_strategy": "none"}), [MOB], population=POP)
    assert finished.finished == 1
