"""A round as its host sees it (the core, ktmsc.host): who has started and finished, the round
scored at once like one by one, each municipality among its peers, and the host's files –
which name municipalities only in the lists of invitations and of who is missing, never
with a score, and hide every group the minimum hides."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from benchmarks.answers import random_answers
from ktmsc import host
from ktmsc.instrument import get_questionnaire
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.scoring import score_assessment
from ktmsc.storage.records import Round, RoundMember, StoredAssessment

Q = get_questionnaire()
MINIMUM = Q.model.rounds.min_group
ROUND = Round(
    id="r" * 32,
    title="Runde",
    domains=["mobilitaet", "wirtschaft"],
    perspective="verwaltung",
    opens_on=None,
    closes_on=None,
    previous_id=None,
    created_at=datetime(2027, 1, 1, tzinfo=UTC),
)


def member(n: int, population: int = 12_000, name: str | None = None) -> RoundMember:
    return RoundMember(
        round_id=ROUND.id,
        key=f"08{n:06d}",
        name=name or f"Gemeinde {n}",
        body_kind="kreisangehoerige_gemeinde",
        state="bw",
        population=population,
        assessment_id=f"{n:032x}",
    )


def stored(m: RoundMember, answers: dict) -> StoredAssessment:
    profile = AssessmentProfile(name=m.name, body_kind=m.body_kind, state=m.state, population=m.population)
    a = Assessment(questionnaire_version=Q.version, profile=profile, domains=ROUND.domains, answers=answers)
    return StoredAssessment(
        id=m.assessment_id,
        assessment=a,
        share_token="s" * 32,
        kind="self",
        workshop_id=None,
        participant_name=None,
        participant_role=None,
        previous_id=None,
        step=None,
        updated_at=datetime(2027, 1, 1, tzinfo=UTC),
    )


def a_round(count: int, populations=(12_000, 60_000), seed: int = 3, missing: float = 0.0):
    rng = random.Random(seed)
    pairs = []
    for n in range(count):
        m = member(n, populations[n % len(populations)])
        pairs.append((m, stored(m, random_answers(Q, rng, dont_know=0.05, missing=missing))))
    return pairs


def full_answers(seed: int = 1) -> dict:
    return random_answers(Q, random.Random(seed), dont_know=0.0, missing=0.0)


def test_status__invited_started_finished():
    m = member(1)
    assert host.status_of(Q, None) == host.INVITED
    assert host.status_of(Q, stored(m, {"g_strategy": "none"})) == host.STARTED
    every = {i.id: "dont_know" for s in Q.sections_for(ROUND.domains) for i in s.items}
    assert host.status_of(Q, stored(m, every)) == host.FINISHED  # "don't know" is an answer
    found = host.statuses(Q, [(m, None), (member(2), stored(member(2), {})), (member(3), stored(member(3), every))])
    assert host.counts(found) == {host.INVITED: 1, host.STARTED: 1, host.FINISHED: 1}


def test_score_round__equals_scoring_each_by_its_own_profile():
    pairs = a_round(12, populations=(900, 12_000, 250_000), missing=0.3)
    pairs.append((member(99), None))  # not started: not in the scores
    scored = host.score_round(Q, ROUND, pairs)
    assert len(scored.keys) == 12 and scored.row_of(member(99).key) is None
    for row, (m, s) in enumerate(pairs[:12]):
        reference = score_assessment(Q, s.assessment)
        for domain in ROUND.domains:
            d = scored.batch.layout.domains.index(domain)
            for k, dim in enumerate(Q.dimension_ids):
                expected = reference.domains[domain].dimensions[dim].score
                got = scored.batch.score[row, d, k]
                assert (expected is None and got != got) or got == expected
        assert scored.size_types[row] == Q.size_type_for(m.population, m.body_kind).id


def test_peers_of__a_municipality_among_its_size_type_and_nothing_without_peers():
    pairs = a_round(2 * MINIMUM + 4)
    scored = host.score_round(Q, ROUND, pairs)
    views = host.peers_of(Q, scored, pairs[0][0].key)
    assert set(views) == set(ROUND.domains)
    view = views["mobilitaet"]
    assert view is not None and view.group == scored.size_types[0] and view.count == MINIMUM + 1
    assert host.peers_of(Q, scored, "08999999") == dict.fromkeys(ROUND.domains)  # not started
    small = host.score_round(Q, ROUND, a_round(MINIMUM))  # the others are one fewer than the minimum
    assert host.peers_of(Q, small, member(0).key) == dict.fromkeys(ROUND.domains)


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_figures_csv__writes_what_is_shown_and_leaves_hidden_groups_empty():
    pairs = a_round(MINIMUM + 2, populations=(12_000,))
    pairs += a_round(2, populations=(250_000,), seed=9)[:2]  # a small size type
    pairs[-2:] = [(member(100 + i, 250_000), s) for i, (_, s) in enumerate(pairs[-2:])]
    scored = host.score_round(Q, ROUND, pairs)
    shown = host.figures(Q, scored)
    rows = _rows(host.figures_csv(Q, shown, scored.thresholds, "de"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Domäne", "Gruppe", "Kommunen"] and "Leistungsfähigkeit Median" in header
    # The last columns: per dimension the threshold in force and where it comes from, on every line.
    assert header[-4:] == [
        "Leistungsfähigkeit Schwelle",
        "Leistungsfähigkeit Schwelle aus",
        "Veränderungsbereitschaft Schwelle",
        "Veränderungsbereitschaft Schwelle aus",
    ]
    assert all(r[-4:] == ["50,0", "fest (Modell)", "50,0", "fest (Modell)"] for r in body)
    by_group = {(r[0], r[1]): r for r in body}
    for domain, groups in shown.items():
        name = Q.domain(domain).name.get("de")
        for g in groups:
            line = by_group[(name, host.group_name(Q, g.group, "de"))]
            if g.hidden:
                assert line[2:-4] == [""] * (len(header) - 6)
            else:
                assert int(line[2]) == g.count >= MINIMUM
    # Neither the figures nor anything else in them names a municipality.
    text = host.figures_csv(Q, shown, scored.thresholds, "en")
    assert not any(m.name in text for m, _ in pairs)


def test_missing_and_invitations_csv__names_and_status_only_and_no_formula():
    evil = member(7, name='=HYPERLINK("http://x")')
    found = [host.MemberStatus(evil, host.INVITED), host.MemberStatus(member(8), host.FINISHED)]
    rows = _rows(host.missing_csv(found, "de"))
    assert rows == [["Schlüssel", "Kommune", "Stand"], [evil.key, "'" + evil.name, "eingeladen, nicht begonnen"]]
    links = _rows(host.invitations_csv([evil, member(8)], {evil.key: "T" * 32}, lambda t: f"https://x/?r={t}", "de"))
    assert links[1] == [evil.key, "'" + evil.name, f"https://x/?r={'T' * 32}"] and len(links) == 2


def test_development__medians_of_groups_both_rounds_show():
    before = host.figures(Q, host.score_round(Q, ROUND, a_round(MINIMUM * 2, seed=1)))
    now = host.figures(Q, host.score_round(Q, ROUND, a_round(MINIMUM * 2, seed=2)))
    changes = host.development(now, before)
    assert {c.domain for c in changes} == set(ROUND.domains)
    every = [c for c in changes if c.group == "all"]
    assert len(every) == 2 and all(c.before and c.now for c in every)
    assert every[0].now == {d: s.median for d, s in now[every[0].domain][0].spread.items()}


MEDIAN_ROUND = replace(ROUND, id="m" * 32, thresholds=dict.fromkeys(Q.dimension_ids, "median"))


@pytest.mark.parametrize("round_", [ROUND, MEDIAN_ROUND], ids=["fixed", "median"])
def test_round_state__kept_up_to_date_equals_scoring_the_whole_round(round_):
    """A round refreshed after a few changes (answers, a new start, a deleted assessment) holds
    exactly what scoring the whole round again gives, and reads only what changed – with the
    round's median as threshold too, which moves with every change and retypes every row."""
    rng = random.Random(11)
    pairs = a_round(14, populations=(900, 12_000, 250_000), missing=0.2)
    pairs += [(member(50 + n), None) for n in range(3)]
    revisions = dict.fromkeys((m.key for m, _ in pairs), 0)
    db = dict((m.key, (m, s)) for m, s in pairs)
    reads: list = []

    def stamp():
        return tuple((key, s.id if s else None, revisions[key] if s else None) for key, (m, s) in sorted(db.items()))

    def read(keys):
        reads.append(None if keys is None else sorted(keys))
        chosen = sorted(db) if keys is None else sorted(keys)
        return [db[key] for key in chosen]

    state = host.RoundState(Q, round_)
    state.refresh(stamp(), read)
    assert reads == [None]
    state.refresh(stamp(), read)
    assert reads == [None]  # nothing changed: nothing read
    for step in range(4):
        keys = sorted(db)
        # one changes answers, one that had not started starts, one is deleted (step 2)
        changing = keys[step]
        m, s = db[changing]
        if s is not None:
            db[changing] = (m, stored(m, random_answers(Q, rng, dont_know=0.1, missing=0.3)))
            revisions[changing] += 1
        new = member(50 + step)
        if new.key in db and db[new.key][1] is None:
            db[new.key] = (new, stored(new, random_answers(Q, rng)))
        if step == 2:
            gone = keys[5]
            db[gone] = (db[gone][0], None)
        found, scored = state.refresh(stamp(), read)
        assert reads[-1] is not None and len(reads[-1]) <= 3  # only what changed was read
        reference = host.score_round(Q, round_, [db[key] for key in sorted(db)])
        assert scored.keys == reference.keys and scored.size_types == reference.size_types
        assert scored.thresholds == reference.thresholds
        assert scored.questionnaire is reference.questionnaire
        for field in ("score", "low", "high", "coverage", "type_index", "stable", "item_scores", "codes"):
            np.testing.assert_array_equal(getattr(scored.batch, field), getattr(reference.batch, field))
        assert [e.status for e in found] == [e.status for e in host.statuses(Q, [db[k] for k in sorted(db)])]
