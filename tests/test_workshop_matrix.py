"""The dashboard's quick path: participants recognised by their revision, counted from the matrix.

There is one computation; what these tests hold is that remembering participants by
(id, revision) never shows anything but what a fresh computation of the same answers shows,
over random crowds in which some participants change answers between two refreshes.
"""

from __future__ import annotations

import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktmsc.model.schema import DONT_KNOW
from ktmsc.workshop import Participant, aggregate
from tests.test_workshop_core import POP, Q, random_answers

crowds = st.lists(
    st.tuples(st.integers(0, 2**31), st.floats(0, 1), st.sampled_from([0.0, 0.1, 0.6])), min_size=0, max_size=9
)
REVISIONS = itertools.count()  # every crowd's answers get revisions never used before, as in the store
domain_sets = st.lists(st.sampled_from(Q.domain_ids), min_size=1, max_size=3, unique=True)


def _crowd(specs) -> list[Participant]:
    return [
        Participant(f"p{n}", f"P{n}", None, random_answers(*spec), revision=next(REVISIONS))
        for n, spec in enumerate(specs)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=crowds, domains=domain_sets, seed=st.integers(0, 2**31))
def test_property__remembered_participants_give_the_fresh_result(specs, domains, seed):
    crowd = _crowd(specs)
    assert aggregate(Q, crowd, domains, population=POP) == aggregate(
        Q, crowd, domains, population=POP, reuse_scores=False
    )
    # Some change an answer (with a new revision), as between two refreshes of the dashboard.
    rng = random.Random(seed)
    changed = []
    for p in crowd:
        if rng.random() < 0.5:
            item = rng.choice(list(Q.items.values()))
            answers = {**p.answers, item.id: DONT_KNOW}
            p = Participant(p.id, p.name, p.role, answers, revision=next(REVISIONS))
        changed.append(p)
    assert aggregate(Q, changed, domains, population=POP) == aggregate(
        Q, changed, domains, population=POP, reuse_scores=False
    )
