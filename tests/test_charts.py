"""The quadrant chart: asserted through its Vega-Lite spec, and rendered once."""

from __future__ import annotations

import pytest
import vl_convert

from ktmsc.charts import quadrant_spec
from ktmsc.scoring import Position, extreme_answers, score

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"


def layers(spec, description):
    return [layer for layer in spec["layer"] if layer.get("description") == description]


def dataset(spec, layer):
    data = layer["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


@pytest.fixture
def result(questionnaire):
    answers = extreme_answers(questionnaire, {LF: "high", VB: "low"})
    answers.pop("g_strategy")  # one unknown: the interval opens a little
    return score(questionnaire, answers, ["mobilitaet", "wirtschaft", "umwelt_energie"], population=30_000)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_spec__axes_from_the_model(questionnaire, result, lang):
    spec = quadrant_spec(questionnaire, result.domains.values(), lang)
    point = layers(spec, "domains")[0]
    assert point["encoding"]["x"]["field"] == "x" and point["encoding"]["y"]["field"] == "y"
    assert point["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert point["encoding"]["y"]["scale"]["domain"] == [0, 100]
    base = layers(spec, "quadrants")[0]
    assert base["encoding"]["x"]["title"].startswith(questionnaire.dimension(LF).name.get(lang))
    assert base["encoding"]["y"]["title"].startswith(questionnaire.dimension(VB).name.get(lang))


def test_spec__threshold_lines(questionnaire, result):
    spec = quadrant_spec(questionnaire, result.domains.values(), "de")
    x_rule, y_rule = layers(spec, "threshold x")[0], layers(spec, "threshold y")[0]
    assert dataset(spec, x_rule) == [{"x": 50.0, "y": 50.0}]
    assert x_rule["mark"]["type"] == "rule" and x_rule["encoding"]["x"]["field"] == "x"
    assert y_rule["encoding"]["y"]["field"] == "y"


def test_spec__quadrants_labelled_with_the_types(questionnaire, result):
    spec = quadrant_spec(questionnaire, result.domains.values(), "de")
    quadrants = dataset(spec, layers(spec, "quadrants")[0])
    assert {q["type"] for q in quadrants} == {t.name.de for t in questionnaire.model.types}
    leuchtturm = next(q for q in quadrants if q["type"] == "Der Leuchtturm")
    assert (leuchtturm["x0"], leuchtturm["x1"], leuchtturm["y0"], leuchtturm["y1"]) == (50, 100, 50, 100)
    assert len(layers(spec, "type labels")) == 4


def test_spec__one_labelled_point_per_domain_with_its_interval(questionnaire, result):
    spec = quadrant_spec(questionnaire, result.domains.values(), "en")
    rows = spec["datasets"]["domains"]
    assert [r["domain"] for r in rows] == ["Environment and energy", "Economy", "Mobility"]
    for row in rows:
        domain = result.domains[row["domain_id"]]
        assert row["x"] == pytest.approx(domain.dimensions[LF].score, abs=0.05)
        assert row["y"] == pytest.approx(domain.dimensions[VB].score, abs=0.05)
        assert row["x_min"] <= row["x"] <= row["x_max"] and row["y_min"] <= row["y"] <= row["y_max"]
        assert row["type"] == "The Heavyweight"
        assert "%" in row["coverage"]
    assert {
        layer["data"]["name"]
        for layer in layers(spec, "domains") + layers(spec, "domain labels") + layers(spec, "intervals")
    } == {"domains"}
    text_layers = layers(spec, "domain labels")
    assert all(layer["encoding"]["text"]["field"] == "domain" for layer in text_layers)
    # Every label position a row asks for has a layer that draws it.
    drawn = {(layer["mark"]["align"], layer["mark"]["dy"]) for layer in text_layers}
    assert {(r["align"], r["dy"]) for r in rows} == drawn  # and no layer for a position nobody takes
    tooltip = {t["field"] for t in layers(spec, "domains")[0]["encoding"]["tooltip"]}
    assert {"x_range", "y_range", "coverage", "type"} <= tooltip


def test_spec__a_domain_without_a_score_has_no_point(questionnaire):
    result = score(questionnaire, {}, ["mobilitaet"])
    spec = quadrant_spec(questionnaire, result.domains.values(), "de")
    assert "domains" not in spec["datasets"]
    assert not [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "domains"]


def test_spec__arrows_from_an_earlier_position(questionnaire, result):
    spec = quadrant_spec(questionnaire, result.domains.values(), "de", previous={"mobilitaet": Position(20, 30)})
    arrows = spec["datasets"]["history"]
    assert len(arrows) == 1
    arrow = arrows[0]
    assert (arrow["x0"], arrow["y0"]) == (20, 30)
    assert arrow["domain"] == "Mobilität"
    assert 0 <= arrow["angle"] < 360
    assert layers(spec, "history") and layers(spec, "arrow heads")


def test_spec__renders_to_svg_with_the_labels(questionnaire, result):
    spec = quadrant_spec(questionnaire, result.domains.values(), "de", width=600)
    svg = vl_convert.vegalite_to_svg(spec)
    for name in ("Mobilität", "Wirtschaft", "Die Aktivistin", "Leistungsfähigkeit"):
        assert name in svg


def test_spec__is_independent_per_call(questionnaire, result):
    first = quadrant_spec(questionnaire, result.domains.values(), "de")
    first["datasets"]["domains"].clear()
    second = quadrant_spec(questionnaire, result.domains.values(), "de")
    assert len(second["datasets"]["domains"]) == 3
