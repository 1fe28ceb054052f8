"""A comparison round that splits its types at its own median instead of the model's fixed
threshold (ktmsc.rounds.thresholds): where the median comes from, that every read-out of a
municipality – the round's figures, its results, its report – splits at the same value and
says so, and that a round too small for a median keeps the fixed threshold and says that."""

from __future__ import annotations

import io
import random
from dataclasses import replace

import numpy as np
import pytest
from pypdf import PdfReader

from benchmarks.answers import random_answers
from ktmsc import host
from ktmsc.batch import NO_TYPE
from ktmsc.instrument import get_questionnaire
from ktmsc.readout import build_readout
from ktmsc.report import render_report
from ktmsc.rounds.peers import placed_rows
from ktmsc.rounds.thresholds import bases, fixed, in_force, thresholds_line
from ktmsc.scoring import score_assessment
from tests.test_host import ROUND, a_round, member, stored

Q = get_questionnaire()
MINIMUM = Q.model.rounds.min_group
X, Y = Q.dimension_ids
MEDIAN_Y = replace(ROUND, thresholds={Y: "median"})  # capacity fixed, willingness relative
MEDIAN_BOTH = replace(ROUND, thresholds={X: "median", Y: "median"})


def placed_points(scored: host.Scored) -> np.ndarray:
    batch = scored.batch
    mask = np.stack([placed_rows(batch, d) for d in range(len(batch.layout.domains))], axis=1)
    return batch.score[mask]  # (placed domain points, dimensions)


def test_bases__the_rounds_choice_else_the_models():
    assert bases(Q, None) == Q.model.rounds.thresholds
    assert bases(Q, {Y: "median"}) == {X: Q.model.rounds.thresholds[X], Y: "median"}


def test_a_fixed_round__splits_at_the_model_thresholds_and_is_scored_as_usual():
    pairs = a_round(MINIMUM * 2)
    scored = host.score_round(Q, ROUND, pairs)
    assert scored.questionnaire is Q
    assert scored.thresholds == fixed(Q, None) and not scored.thresholds.any_median
    assert scored.thresholds.values == {X: Q.threshold(X), Y: Q.threshold(Y)}


def test_a_median_round__splits_at_the_median_of_its_placed_points():
    pairs = a_round(MINIMUM * 3, populations=(900, 12_000, 60_000))
    scored = host.score_round(Q, MEDIAN_Y, pairs)
    points = placed_points(scored)
    assert len(points) > MINIMUM
    median = round(float(np.median(points[:, 1])), 1)
    assert scored.thresholds.values == {X: Q.threshold(X), Y: median}
    assert scored.thresholds.relative == {X: False, Y: True}
    assert scored.thresholds.count == MINIMUM * 3
    split = scored.questionnaire
    assert split.threshold(Y) == median and split.threshold(X) == Q.threshold(X)
    assert Q.threshold(Y) == 50  # the installed questionnaire is left as it was
    # Every placed point is typed at the round's thresholds; about half lies high on willingness.
    batch = scored.batch
    for row in range(len(batch)):
        for d, domain in enumerate(batch.layout.domains):
            if batch.type_index[row, d] == NO_TYPE:
                continue
            x, y = batch.score[row, d].tolist()
            assert batch.type_id(row, domain) == split.classify({X: x, Y: y}).id
    high = (points[:, 1] >= median).mean()
    assert 0.4 <= high <= 0.6 + 1 / len(points)


def test_a_municipalitys_results_and_report_split_where_the_round_does_and_say_so():
    pairs = a_round(MINIMUM * 3, populations=(12_000, 60_000))
    scored = host.score_round(Q, MEDIAN_BOTH, pairs)
    row = 0
    assessment = pairs[row][1].assessment
    readout = build_readout(scored.questionnaire, assessment, thresholds=scored.thresholds)
    for domain in scored.batch.layout.domains:
        assert readout.result.domains[domain].type_id == scored.batch.type_id(row, domain)
    # Scored alone, the same answers land where the round's figures count them.
    assert {d: r.type_id for d, r in score_assessment(scored.questionnaire, assessment).domains.items()} == {
        d: scored.batch.type_id(row, d) for d in scored.batch.layout.domains
    }
    assert {d: readout.questionnaire.threshold(d) for d in (X, Y)} == scored.thresholds.values
    note = readout.thresholds_note("de")
    value = f"{scored.thresholds.values[Y]:.1f}".replace(".", ",").removesuffix(",0")
    assert note.startswith("Schwellen dieser Runde:") and "Median der Runde" in note and value in note
    assert f"aus {MINIMUM * 3} eingeordneten Kommunen" in note
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_report(readout, "de"))).pages
    )
    assert "Schwellen dieser Runde" in text and "Median der Runde" in text
    english = readout.thresholds_note("en")
    assert english.startswith("Thresholds of this round:") and "the round's median" in english


def test_a_round_too_small_for_a_median_keeps_the_fixed_threshold_and_says_so():
    pairs = a_round(MINIMUM - 1)
    scored = host.score_round(Q, MEDIAN_Y, pairs)
    assert scored.questionnaire is Q
    assert scored.thresholds.relative == {X: False, Y: False} and scored.thresholds.any_median
    line = thresholds_line(Q, scored.thresholds, "de")
    assert f"sobald {MINIMUM} Kommunen eingeordnet sind; bis dahin fest bei 50" in line
    assert "Leistungsfähigkeit fest bei 50" in line
    readout = build_readout(scored.questionnaire, pairs[0][1].assessment, thresholds=scored.thresholds)
    assert readout.thresholds_note("de") == line


def test_an_empty_round__the_fixed_thresholds():
    assert in_force(Q, host.score_round(Q, MEDIAN_BOTH, []).batch, MEDIAN_BOTH.thresholds).values == {X: 50, Y: 50}


def test_the_figures_file_names_the_median_in_force():
    pairs = a_round(MINIMUM * 2)
    scored = host.score_round(Q, MEDIAN_Y, pairs)
    text = host.figures_csv(Q, host.figures(Q, scored), scored.thresholds, "de")
    value = f"{scored.thresholds.values[Y]:.1f}".replace(".", ",")
    assert all(line.endswith(f";50,0;fest (Modell);{value};Median der Runde") for line in text.splitlines()[1:])


def test_the_median_moves_with_the_round_and_types_follow():
    """One more municipality with the strongest answers moves the median up (or keeps it):
    never down, and the types of everyone are split at the new value."""
    rng = random.Random(5)
    pairs = a_round(MINIMUM * 2)
    before = host.score_round(Q, MEDIAN_Y, pairs).thresholds.values[Y]
    strong = {
        item.id: max(item.options, key=lambda o: o.score).id
        for item in Q.items.values()
        if item.type == "single" and item.options
    }
    newcomer = member(99)
    answers = {**random_answers(Q, rng, dont_know=0.0, missing=0.0), **strong}
    grown = host.score_round(Q, MEDIAN_Y, [*pairs, (newcomer, stored(newcomer, answers))])
    own = grown.batch.score[grown.row_of(newcomer.key), :, 1]
    assert (own >= before).all()  # the newcomer lies above the old median in every domain …
    after = grown.thresholds.values[Y]
    assert after >= before  # … so the median cannot fall
    for d, domain in enumerate(grown.batch.layout.domains):
        x, y = grown.batch.score[0, d].tolist()
        assert grown.batch.type_id(0, domain) == grown.questionnaire.classify({X: x, Y: y}).id


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_line_names_every_dimension(lang):
    line = thresholds_line(Q, fixed(Q, {Y: "median"}), lang)
    assert all(Q.dimension(d).name.get(lang) in line for d in Q.dimension_ids)
