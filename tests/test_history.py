"""History: two assessments of the same municipality give arrows and a change table."""

from __future__ import annotations

import pytest

from ktmsc.charts import quadrant_spec
from ktmsc.history import changes, positions
from ktmsc.scoring import extreme_answers, score

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"
DOMAINS = ["mobilitaet", "wirtschaft"]


@pytest.fixture
def before_after(questionnaire):
    before = score(questionnaire, extreme_answers(questionnaire, {LF: "low", VB: "low"}), DOMAINS)
    after_answers = extreme_answers(questionnaire, {LF: "low", VB: "high"})
    after = score(questionnaire, after_answers, DOMAINS)
    return before, after


def test_changes__table_per_domain(questionnaire, before_after):
    before, after = before_after
    rows = changes(questionnaire, before, after)
    assert [r.domain for r in rows] == ["wirtschaft", "mobilitaet"]
    for row in rows:
        assert (row.before_x, row.before_y, row.before_type) == (0, 0, "bewahrerin")
        assert row.after_type == "mobilisiererin" and row.type_changed
        assert row.delta_y == pytest.approx(row.after_y) and row.delta_y > 50
        assert row.delta_x == pytest.approx(row.after_x)


def test_changes__domain_new_in_the_follow_up(questionnaire, before_after):
    before, _ = before_after
    after = score(questionnaire, {}, ["umwelt_energie"])
    (row,) = changes(questionnaire, before, after)
    assert row.before_type is None and row.delta_x is None


def test_arrows__from_the_earlier_to_the_current_position(questionnaire, before_after):
    before, after = before_after
    spec = quadrant_spec(questionnaire, after.domains.values(), "de", previous=positions(questionnaire, before))
    arrows = {a["domain"]: a for a in spec["datasets"]["history"]}
    assert set(arrows) == {"Wirtschaft", "Mobilität"}
    for arrow in arrows.values():
        assert (arrow["x0"], arrow["y0"]) == (0, 0)
        assert arrow["y"] > 50
        # Pointing up and a little to the right: between 0° (up) and 90° (right).
        assert 0 <= arrow["angle"] < 90
