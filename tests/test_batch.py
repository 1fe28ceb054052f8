"""Scoring many at once (ktmsc.batch) gives exactly what the reference scorer gives, one by one."""

from __future__ import annotations

import math
import random

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from test_scoring import PROPERTY_SETTINGS, assessments

from benchmarks.answers import random_answers
from ktmsc.batch import STATE_OF, score_many
from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.schema import DONT_KNOW
from ktmsc.scoring import score
from ktmsc.wizard import unanswered


def _same(value, expected):
    if expected is None:
        return math.isnan(value)
    return value == expected  # the same float: the sums run in the reference's order


def assert_equal_to_reference(questionnaire, answer_sets, domains, perspective, places):
    batch = score_many(questionnaire, answer_sets, domains, perspective, places)
    for row, (answers, (population, body_kind)) in enumerate(zip(answer_sets, places, strict=True)):
        ref = score(questionnaire, answers, domains, perspective, population, body_kind=body_kind, detail=False)
        for d, domain in enumerate(batch.layout.domains):
            found = ref.domains[domain]
            assert batch.type_id(row, domain) == found.type_id, (row, domain)
            assert bool(batch.stable[row, d]) == found.stable, (row, domain)
            assert batch.domain_coverage[row, d] == found.coverage
            for k, dimension in enumerate(batch.layout.dimensions):
                dim = found.dimensions[dimension]
                where = (row, domain, dimension)
                assert _same(batch.score[row, d, k], dim.score), where
                assert batch.low[row, d, k] == dim.min, where
                assert batch.high[row, d, k] == dim.max, where
                assert batch.coverage[row, d, k] == dim.coverage, where
                assert batch.total_weight[row, d, k] == dim.total_weight, where
        assert_same_status(questionnaire, batch, row, answers, perspective, population, body_kind)
        asked = {item_id: state for item_id, state in ref.states.items()}
        for i, item in enumerate(batch.layout.items):
            if item.id in asked:
                assert STATE_OF[int(batch.codes[row, i])] is asked[item.id].state, (row, item.id)


def assert_same_status(questionnaire, batch, row, answers, perspective, population, body_kind):
    """A round's status read off the batch: open questions exactly where the wizard finds them."""
    try:
        held = Assessment(
            profile=AssessmentProfile(perspective=perspective, population=population, body_kind=body_kind),
            domains=list(batch.layout.domains),
            answers=answers,
        )
    except ValidationError:
        return  # answers no stored assessment can hold
    assert bool(batch.unanswered()[row]) == bool(unanswered(questionnaire, held)), row


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__many_at_once_equal_one_by_one(data):
    """Random assessments of one perspective and domain choice, each with its own body kind and
    population, scored together: every score, bound, coverage, type and item state is the same."""
    questionnaire = get_questionnaire()
    first = data.draw(assessments(questionnaire))
    _, domains, perspective, _, _ = first
    more = data.draw(st.lists(assessments(questionnaire), max_size=3))
    drawn = [first, *more]
    answer_sets = [a for a, *_ in drawn]
    places = [(population, body_kind) for _, _, _, population, body_kind in drawn]
    assert_equal_to_reference(questionnaire, answer_sets, domains, perspective, places)


def test_many_at_once__random_assessments_in_every_perspective():
    questionnaire = get_questionnaire()
    rng = random.Random(11)
    answer_sets = [random_answers(questionnaire, rng, dont_know=0.1, missing=0.2) for _ in range(300)]
    places = [
        (rng.choice([None, 900, 4_100, 25_000, 600_000]), rng.choice([None, "amt", "landkreis"])) for _ in answer_sets
    ]
    for perspective in (p.id for p in questionnaire.model.profile.perspectives):
        assert_equal_to_reference(questionnaire, answer_sets, list(questionnaire.domain_ids), perspective, places)


def test_many_at_once__nothing_answered_and_odd_values():
    """No answers at all, an answer this version cannot read, answers to unknown items."""
    questionnaire = get_questionnaire()
    item = next(iter(questionnaire.items.values()))
    answer_sets = [{}, {item.id: "no_such_option"}, {item.id: {"a": 1}}, {"unknown_item": "x"}, {item.id: DONT_KNOW}]
    places = [(None, None)] * len(answer_sets)
    assert_equal_to_reference(questionnaire, answer_sets, list(questionnaire.domain_ids), "verwaltung", places)
    batch = score_many(questionnaire, answer_sets, list(questionnaire.domain_ids))
    assert np.isnan(batch.score[0]).all() and (batch.type_index[0] == -1).all()


def test_many_at_once__an_empty_batch():
    questionnaire = get_questionnaire()
    batch = score_many(questionnaire, [], list(questionnaire.domain_ids))
    assert batch.score.shape == (0, len(questionnaire.domain_ids), 2)
