"""The second round (Delphi): convergence figures on constructed rounds, checked by hand."""

from __future__ import annotations

import itertools

import pytest

from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import best_answer, weakest_answer
from ktmsc.model.schema import DONT_KNOW
from ktmsc.workshop import Participant, aggregate
from ktmsc.workshop.charts import convergence_chart
from ktmsc.workshop.delphi import convergence, domain_line, first_round, item_line, matrix_rows, own_answer_text

Q = get_questionnaire()
BEST = {item.id: best_answer(item) for item in Q.items.values()}
WEAK = {item.id: weakest_answer(item) for item in Q.items.values()}
MOB = "mobilitaet"
ITEM = "g_strategy"  # single: none … resourced_monitored


def people(*answer_sets):
    return [Participant(f"p{n}", None, None, dict(a)) for n, a in enumerate(answer_sets, 1)]


OPENED = itertools.count()  # the score cache knows a kept first round by its opening: one per constructed case


def rounds(first_sets, second_sets, items=(ITEM,), reasons=None):
    second = people(*second_sets)
    first = first_round(second, {p.id: a for p, a in zip(second, first_sets, strict=True)}, next(OPENED))
    g1, g2 = aggregate(Q, first, [MOB]), aggregate(Q, second, [MOB])
    return convergence(
        g1,
        g2,
        list(items),
        reasons,
        first_rows=matrix_rows(Q, first, [MOB], "verwaltung", None),
        second_rows=matrix_rows(Q, second, [MOB], "verwaltung", None),
    )


def test_first_round_keeps_the_people_and_takes_the_kept_answers():
    now = people({ITEM: "adopted"}, {ITEM: "none"})
    kept = first_round(now, {"p1": {ITEM: "none"}}, "t")
    assert [p.id for p in kept] == ["p1", "p2"] and kept[0].answers == {ITEM: "none"} and kept[1].answers == {}
    assert kept[0].revision == ("first round", "t")


def test_hand_computed__two_of_four_move_up_one_down_one_to_dont_know():
    # Round 1: two at the weakest, two at the best; round 2: both weak ones move to the best,
    # one best one to the weakest, the other says "don't know".
    first_sets = [WEAK, WEAK, BEST, BEST]
    second_sets = [BEST, BEST, WEAK, {**BEST, ITEM: DONT_KNOW}]
    change = rounds(first_sets, second_sets, reasons={("p1", ITEM): "Beschluss 2025", ("p3", ITEM): "  "}).items[0]
    assert (change.moved, change.stronger, change.weaker) == (4, 2, 1)
    # Round 1: scores 0, 0, 1, 1 → population SD 0.5 of half the range 0.5 → 100.
    assert change.first.disagreement == pytest.approx(100)
    # Round 2: 1, 1, 0 answered → SD √(2/9) ≈ 0.4714 / 0.5 → 94.3.
    assert change.second.disagreement == pytest.approx(94.28, abs=0.01)
    assert change.narrowed is True
    assert change.reasons == ("Beschluss 2025",)  # blank reasons are no reasons
    assert (
        item_line(change, "de") == "Uneinigkeit 100 → 94 · 4 von 4 haben ihre Antwort geändert (2 stärker, 1 schwächer)"
    )


def test_hand_computed__the_domain_converges_and_now_agrees():
    # Round 1: 2 at the top, 2 at the bottom (no agreement); round 2: 3 at the top, 1 at the bottom.
    result = rounds([BEST, BEST, WEAK, WEAK], [BEST, BEST, BEST, WEAK], items=())
    mob = result.domains[MOB]
    assert not mob.first.agrees and mob.second.agrees and mob.now_agrees
    assert mob.first.type_id == "leuchtturm"  # median 50/50: "high" from the threshold upwards
    assert mob.second.type_id == "leuchtturm"
    # IQR per axis: round 1 0,0,100,100 → q1 0, q3 100 → 100 each, 200 together;
    # round 2 0,100,100,100 → q1 75, q3 100 → 25 each, 50 together.
    assert mob.iqr == (pytest.approx(200), pytest.approx(50)) and mob.converged is True
    assert (mob.placed_both, mob.changed_type) == (4, 1)
    assert result.participants == 4 and result.moved_any == 0  # no question of round 2 asked
    line = domain_line(Q, mob, Q.model.scoring.agreement_share, "de")
    assert "Mobilität:" in line and "→ Der Leuchtturm" in line and "50\u00a0% → 75\u00a0%" in line
    assert "mittlere Hälfte enger (200 → 50)" in line and "1 Person in anderem Typ" in line and "jetzt einig" in line


def test_nobody_moved__same_figures_and_no_arrow_head():
    result = rounds([BEST, WEAK, BEST], [BEST, WEAK, BEST])
    change, mob = result.items[0], result.domains[MOB]
    assert (change.moved, change.stronger, change.weaker) == (0, 0, 0) and change.narrowed is None
    assert mob.converged is None and mob.changed_type == 0 and not mob.now_agrees
    spec = convergence_chart(Q, mob.first, mob.second, "de")
    assert spec["datasets"]["arrow"][0]["moved"] is False and len(spec["datasets"]["medians"]) == 2


def test_the_arrow_points_where_the_group_moved():
    result = rounds([WEAK, WEAK, WEAK], [BEST, BEST, BEST], items=())
    arrow = convergence_chart(Q, result.domains[MOB].first, result.domains[MOB].second, "de")["datasets"]["arrow"][0]
    assert (arrow["x"], arrow["y"], arrow["x2"], arrow["y2"]) == (0, 0, 100, 100)
    assert arrow["angle"] == 45 and arrow["moved"] is True  # up and to the right: clockwise from "up"


def test_multi_answers_compare_as_sets_and_own_answer_reads_as_seen():
    item = "mo_traffic_systems"
    result = rounds(
        [{item: ["traffic_control", "counting_stations"]}], [{item: ["counting_stations", "traffic_control"]}], [item]
    )
    assert result.items[0].moved == 0
    assert own_answer_text(Q, ITEM, None, "de") == "Nicht beantwortet"
    assert own_answer_text(Q, ITEM, "none", "de") == Q.items[ITEM].option("none").label.de
