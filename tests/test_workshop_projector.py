"""The projector view's core: the count per quadrant, the agenda one question at a time, and its
square chart, whose points at 0/0 and 100/100 are drawn whole."""

from __future__ import annotations

import re

import pytest
import vl_convert

from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import best_answer, weakest_answer
from ktmsc.model.schema import DONT_KNOW
from ktmsc.scoring import extreme_answers
from ktmsc.workshop import (
    AGENDA_LENGTH,
    AgendaEntry,
    Participant,
    agenda_page,
    aggregate,
    group_chart,
    group_overview_chart,
    projector_chart,
    quadrant_counts,
)
from ktmsc.workshop.charts import EDGE_PADDING, PROJECTOR_SIZE

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"
Q = get_questionnaire()
BEST = {item.id: best_answer(item) for item in Q.items.values()}
WEAK = {item.id: weakest_answer(item) for item in Q.items.values()}
AKTIVISTIN = extreme_answers(Q, {LF: "high", VB: "low"})
MOB = "mobilitaet"


def group_of(*answer_sets, domains=(MOB,)):
    people = [Participant(f"p{n}", None, None, answers) for n, answers in enumerate(answer_sets, 1)]
    return aggregate(Q, people, list(domains), population=20_000)


@pytest.fixture(scope="module")
def group():
    """Two at 100/100, one at 0/0, one in the Aktivistin's quadrant, one without a position."""
    return group_of(BEST, WEAK, BEST, AKTIVISTIN, {item_id: DONT_KNOW for item_id in Q.items})


# --- the count per quadrant ------------------------------------------------------------------


def test_quadrant_counts__every_type_in_the_model_order_zeros_kept(group):
    counts = quadrant_counts(Q, group.by_domain[MOB])
    assert list(counts) == [type_def.id for type_def in Q.model.types]
    assert counts == {"bewahrerin": 1, "mobilisiererin": 0, "aktivistin": 1, "leuchtturm": 2}
    assert sum(counts.values()) == group.by_domain[MOB].count == 4  # the one without a position not counted


def test_quadrant_counts__nobody_placed_is_zero_everywhere():
    counts = quadrant_counts(Q, group_of().by_domain[MOB])
    assert set(counts.values()) == {0} and len(counts) == len(Q.model.types)


# --- one agenda question at a time ------------------------------------------------------------


def entries(*item_ids: str) -> tuple[AgendaEntry, ...]:
    return tuple(
        AgendaEntry(
            rank=rank,
            item_id=item_id,
            section="general",
            disagreement=100 - rank,
            answered=3,
            dont_know_share=0,
            score_median=0.5,
            impacts=(),
        )
        for rank, item_id in enumerate(item_ids, 1)
    )


def test_agenda_page__no_agenda_no_page():
    assert agenda_page(()) is None


def test_agenda_page__starts_at_the_top_and_walks_down_and_up():
    agenda = entries("a", "b", "c")
    first = agenda_page(agenda)
    assert (first.entry.item_id, first.number, first.total, first.previous, first.next) == ("a", 1, 3, None, "b")
    second = agenda_page(agenda, first.next, first.index + 1)
    assert (second.entry.item_id, second.number, second.previous, second.next) == ("b", 2, "a", "c")
    last = agenda_page(agenda, second.next, second.index + 1)
    assert (last.entry.item_id, last.number, last.next) == ("c", 3, None)
    assert agenda_page(agenda, last.previous, last.index - 1).entry.item_id == "b"


def test_agenda_page__shows_the_dashboards_first_questions_only():
    agenda = entries(*(f"q{n}" for n in range(AGENDA_LENGTH + 4)))
    last = agenda_page(agenda, f"q{AGENDA_LENGTH - 1}")
    assert (last.number, last.total, last.next) == (AGENDA_LENGTH, AGENDA_LENGTH, None)
    beyond = agenda_page(agenda, f"q{AGENDA_LENGTH + 1}", index=AGENDA_LENGTH + 1)
    assert beyond.entry.item_id == f"q{AGENDA_LENGTH - 1}"  # not shown: the last one shown instead


def test_agenda_page__the_question_on_screen_stays_when_the_ranking_shifts():
    on_screen = agenda_page(entries("a", "b", "c", "d"), "c", 2)
    reranked = agenda_page(entries("c", "a", "d", "b"), on_screen.entry.item_id, on_screen.index)
    assert (reranked.entry.item_id, reranked.number, reranked.previous, reranked.next) == ("c", 1, None, "a")


def test_agenda_page__a_question_that_left_the_agenda_gives_way_to_the_one_at_its_place():
    assert agenda_page(entries("a", "b", "d"), "c", 2).entry.item_id == "d"
    assert agenda_page(entries("a", "b"), "c", 2).entry.item_id == "b"  # kept within the agenda
    assert agenda_page(entries("a", "b"), None, -3).entry.item_id == "a"


# --- the projector's chart --------------------------------------------------------------------


def layers(spec, description):
    return [layer for layer in spec["layer"] if layer.get("description") == description]


def test_projector_chart__square_with_a_count_in_each_quadrant(group):
    spec = projector_chart(Q, group, MOB, "de")
    assert spec["width"] == spec["height"] == PROJECTOR_SIZE
    assert spec["autosize"] == {"type": "pad"}  # the plot itself is square; title and axes around it
    counts = {row["type_id"]: row["count"] for row in spec["datasets"]["counts"]}
    assert counts == {
        "bewahrerin": "1 Person",
        "mobilisiererin": "0 Personen",
        "aktivistin": "1 Person",
        "leuchtturm": "2 Personen",
    }
    # Each count sits at its type's name, in its quadrant (the same corner as the name).
    names = {row["type"]: row for row in layers(spec, "type labels")[0]["data"]["values"]}
    for row in spec["datasets"]["counts"]:
        assert (row["label_x"], row["label_y"]) == (names[row["type"]]["label_x"], names[row["type"]]["label_y"])
    assert len(layers(spec, "quadrant counts")) == 4
    assert len(spec["datasets"]["people"]) == 4
    english = {row["type_id"]: row["count"] for row in projector_chart(Q, group, MOB, "en")["datasets"]["counts"]}
    assert (english["leuchtturm"], english["bewahrerin"]) == ("2 people", "1 person")


def test_projector_chart__stronger_points_than_the_dashboards(group):
    (projected,) = layers(projector_chart(Q, group, MOB, "de"), "participants")
    (dashboard,) = layers(group_chart(Q, group, MOB, "de"), "participants")
    assert projected["mark"]["size"] > dashboard["mark"]["size"]
    assert projected["mark"]["opacity"] > dashboard["mark"]["opacity"]
    assert not layers(group_chart(Q, group, MOB, "de"), "quadrant counts")


def test_group_charts__both_axes_leave_room_beyond_0_and_100(group):
    for spec in (
        group_chart(Q, group, MOB, "de"),
        group_overview_chart(Q, group, "de"),
        projector_chart(Q, group, MOB, "de"),
    ):
        assert spec["config"]["scale"]["continuousPadding"] == EDGE_PADDING > 0


CIRCLE = re.compile(r'aria-roledescription="circle" transform="translate\(([-\d.]+),([-\d.]+)\)" d="M([\d.]+),0A')


def test_projector_chart__points_at_0_0_and_100_100_are_drawn_whole(group):
    """Rendered: every participant's circle lies inside the plot, the ones at the corners too."""
    svg = vl_convert.vegalite_to_svg(projector_chart(Q, group, MOB, "de"))
    circles = [(float(x), float(y), float(r)) for x, y, r in CIRCLE.findall(svg)]
    assert len(circles) == 4
    for x, y, r in circles:
        assert r <= x <= PROJECTOR_SIZE - r and r <= y <= PROJECTOR_SIZE - r, (x, y, r)
    corners = {(round(x), round(y)) for x, y, _ in circles}
    assert {(EDGE_PADDING, PROJECTOR_SIZE - EDGE_PADDING), (PROJECTOR_SIZE - EDGE_PADDING, EDGE_PADDING)} <= corners
    for name in ("2 Personen", "1 Person", "0 Personen", "Der Leuchtturm"):
        assert name in svg
