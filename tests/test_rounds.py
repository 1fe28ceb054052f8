"""Comparison rounds, the core: the host's list of municipalities, the stratified sample, the
peer view and the host's figures – and that no figure ever describes fewer municipalities
than the round's minimum, however the groups are cut."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.answers import random_answers
from ktmsc.batch import score_many
from ktmsc.instrument import get_questionnaire
from ktmsc.rounds.peers import ABOVE, ALL, BELOW, differing_items, overview, peer_view, standing_text
from ktmsc.rounds.roster import Member, RosterError, read_roster
from ktmsc.rounds.sample import allocate, stratified_sample, stratum_of

Q = get_questionnaire()
MINIMUM = Q.model.rounds.min_group

GERMAN = (
    "\ufeffAGS;Gemeinde;Art;Einwohner\n"
    "07 1 31 001;Adenau-Stadt;Kreisangehörige Gemeinde;2.980\n"
    "071315001;Verbandsgemeinde Adenau;verbandsgemeinde;13.100\n"
    "07131;Landkreis Ahrweiler;Landkreis;130.000\n"
    "091620000000;München;Kreisfreie Stadt;1.512.491\n"
)


def test_roster__a_german_spreadsheet_is_read_whole():
    members = read_roster(GERMAN.encode("utf-8"), Q)
    assert [m.key for m in members] == ["07131001", "071315001", "07131", "091620000000"]
    assert [m.population for m in members] == [2980, 13100, 130000, 1512491]
    assert [m.body_kind for m in members] == [
        "kreisangehoerige_gemeinde",
        "verbandsgemeinde",
        "landkreis",
        "kreisfreie_stadt",
    ]
    assert [m.state for m in members] == ["rp", "rp", "rp", "by"]
    assert members[0].line == 2


def test_roster__english_headers_commas_and_windows_1252():
    text = 'population,name,key,kind of body\n"12,345",Zwönitz,14521710,kreisangehoerige_gemeinde\n'
    (member,) = read_roster(text.encode("cp1252"), Q)
    assert (member.name, member.key, member.population, member.state) == ("Zwönitz", "14521710", 12345, "sn")


def test_roster__every_bad_line_is_named_and_nothing_is_taken():
    text = (
        "AGS;Name;Art;Einwohner\n"
        "7131001;Adenau;kreisangehoerige_gemeinde;2980\n"  # the leading zero lost in a spreadsheet
        "17131001;Nirgendwo;kreisangehoerige_gemeinde;100\n"  # no Land 17
        "07131002;;Dorf;12,5\n"  # no name, unknown kind, a decimal population
        "07131003;Altenahr;amt;1500\n"
        "07131003;Altenahr;amt;1500\n"  # twice
    )
    with pytest.raises(RosterError) as caught:
        read_roster(text.encode(), Q)
    found = {(p.line, p.column, p.code) for p in caught.value.problems}
    assert found == {
        (2, "key", "bad_key"),
        (3, "key", "bad_land"),
        (4, "name", "no_name"),
        (4, "body_kind", "bad_kind"),
        (4, "population", "bad_population"),
        (6, "key", "duplicate"),
    }
    messages = [p.text("de") for p in caught.value.problems]
    assert messages[0].startswith("Zeile 2 (Schlüssel): „7131001“ ist kein amtlicher Schlüssel.")
    assert "steht schon in Zeile 5" in messages[-1]
    assert caught.value.problems[0].text("en").startswith("Line 2 (key): “7131001” is no official key.")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"AGS;Name;Art;Einwohner\n", "empty"),
        (b"AGS;Name;Einwohner\n07131001;Adenau;2980\n", "missing_column"),
        (b"x" * 5_000_001, "too_large"),
    ],
)
def test_roster__a_file_that_is_no_list_says_why(data, code):
    with pytest.raises(RosterError) as caught:
        read_roster(data, Q)
    assert caught.value.problems[0].code == code and caught.value.problems[0].line == 0


def test_roster__markup_in_a_name_stays_text():
    (member,) = read_roster(b"AGS;Name;Art;Einwohner\n07131001;**Adenau** <b>;amt;1\n", Q)
    assert member.name == "**Adenau** <b>"  # stored as given; every screen escapes it (ui/safe.md)


# --- the sample ---------------------------------------------------------------------------------


def members(count: int, seed: int = 3) -> list[Member]:
    rng = random.Random(seed)
    sizes = [800, 3_000, 7_000, 15_000, 40_000, 250_000]
    return [
        Member(f"07{n:06d}", f"Gemeinde {n}", "kreisangehoerige_gemeinde", rng.choice(sizes), "rp", n + 2)
        for n in range(count)
    ]


def test_sample__reproducible_whatever_the_order_of_the_file():
    listed = members(400)
    once = stratified_sample(Q, listed, 60, seed=7)
    shuffled = listed[:]
    random.Random(1).shuffle(shuffled)
    assert stratified_sample(Q, shuffled, 60, seed=7) == once
    assert stratified_sample(Q, listed, 60, seed=8).members != once.members
    assert len(once.members) == 60 and len(set(once.members)) == 60


def test_sample__proportional_to_the_size_types():
    listed = members(400)
    sample = stratified_sample(Q, listed, 100, seed=1)
    for stratum, (drawn, of) in sample.by_stratum.items():
        assert abs(drawn - 100 * of / 400) < 1, stratum
        assert sum(stratum_of(Q, m) == stratum for m in sample.members) == drawn


def test_sample__a_minimum_per_stratum_raises_the_small_ones():
    listed = members(300) + [Member("08000001", "Großstadt", "kreisfreie_stadt", 600_000, "bw", 400)]
    sample = stratified_sample(Q, listed, 30, seed=2, minimum=4)
    assert sample.by_stratum["grossstadt"][0] >= 1  # all it has (one), not four
    assert all(drawn >= min(4, of) for drawn, of in sample.by_stratum.values())
    assert len(sample.members) == 30


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 60), min_size=1),
    total=st.integers(0, 300),
    minimum=st.integers(0, 10),
)
def test_allocate__adds_up_and_never_takes_more_than_a_stratum_has(sizes, total, minimum):
    taken = allocate(sizes, total, minimum)
    assert all(0 <= taken[s] <= sizes[s] for s in sizes)
    assert all(taken[s] >= min(minimum, sizes[s]) for s in sizes)
    floors = sum(min(minimum, n) for n in sizes.values())
    assert sum(taken.values()) == max(floors, min(total, sum(sizes.values())))
    population = sum(sizes.values())
    if minimum == 0 and 0 < total <= population:
        for s, n in sizes.items():
            assert abs(taken[s] - total * n / population) < 1 + 1e-9


# --- peers and the host's figures ------------------------------------------------------------------


def a_round(count: int, size_types: list[str], seed: int = 5):
    rng = random.Random(seed)
    answers = [random_answers(Q, rng, dont_know=0.05, missing=0.0) for _ in range(count)]
    return score_many(Q, answers, list(Q.domain_ids)), [size_types[n % len(size_types)] for n in range(count)]


def test_peer_view__among_its_size_type_without_itself():
    batch, kinds = a_round(40, ["kleinstadt", "mittelstadt"])
    view = peer_view(Q, batch, kinds, 0, "mobilitaet")
    assert view is not None and view.group == "kleinstadt" and view.count == 19
    d = batch.layout.domains.index("mobilitaet")
    own = tuple(batch.score[0, d].tolist())
    same = [tuple(batch.score[r, d].tolist()) for r in range(1, 40) if kinds[r] == "kleinstadt"]
    assert sorted(same) == list(view.points)  # the others of its size type, not itself
    for k, dim in enumerate(batch.layout.dimensions):
        values = np.array([p[k] for p in same])
        assert view.spread[dim].median == pytest.approx(float(np.median(values)))
        expected = (
            ABOVE if own[k] > np.percentile(values, 75) else BELOW if own[k] < np.percentile(values, 25) else "middle"
        )
        assert view.standing[dim] == expected
    sentence = standing_text(Q, view, "veraenderungsbereitschaft", "de")
    assert sentence.startswith("In Mobilität liegt Ihre Veränderungsbereitschaft ")
    assert "19 Vergleichskommunen (Kleinstadt)" in sentence
    assert "your willingness to change" in standing_text(Q, view, "veraenderungsbereitschaft", "en")


def test_peer_view__a_small_size_type_falls_back_to_the_round_and_a_small_round_shows_nothing():
    kinds = ["grossstadt"] * 3 + ["kleinstadt"] * 10
    batch, _ = a_round(13, ["x"])
    view = peer_view(Q, batch, kinds, 0, "mobilitaet")
    assert view is not None and view.group == ALL and view.count == 12
    tiny, tiny_kinds = a_round(MINIMUM, ["kleinstadt"])  # the others are one fewer than the minimum
    assert peer_view(Q, tiny, tiny_kinds, 0, "mobilitaet") is None


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 9), min_size=1, max_size=5), seed=st.integers(0, 1000))
def test_overview__no_figure_about_fewer_than_the_minimum_and_none_to_be_worked_out(counts, seed):
    """However the size types are cut, no shown group is smaller than the minimum, and a hidden
    group's count never follows from the round's total minus the shown groups."""
    names = [s.id for s in Q.size_types][: len(counts)]
    kinds = [name for name, n in zip(names, counts, strict=False) for _ in range(n)]
    if not kinds:
        return
    batch, _ = a_round(len(kinds), ["-"], seed=seed)
    for domain, figures in overview(Q, batch, kinds).items():
        for figure in figures:
            if not figure.hidden:
                assert figure.count >= MINIMUM and sum(figure.types.values()) == figure.count
        total, parts = figures[0], figures[1:]
        hidden_parts = [f for f in parts if f.hidden]
        if not total.hidden and hidden_parts:
            left = total.count - sum(f.count for f in parts if not f.hidden)
            assert len(hidden_parts) >= 2 and left >= MINIMUM, (domain, [(f.group, f.count) for f in figures])


def test_differing_items__only_among_enough_answers():
    batch, _ = a_round(30, ["-"])
    found = differing_items(Q, batch)
    assert len(found) == 5
    widths = [s.q3 - s.q1 for _, s in found]
    assert widths == sorted(widths, reverse=True)
    assert differing_items(Q, batch, rows=np.arange(MINIMUM - 1)) == []


# --- the study: medians with their uncertainty -----------------------------------------------


def test_median_interval__the_order_statistics_by_hand():
    from ktmsc.rounds.study import median_interval

    # n = 5: ranks 2.5 ∓ 1.84 → the 1st and the 5th value; n = 100: 50 ∓ 8.2 → the 42nd and the 59th.
    assert median_interval(np.array([5.0, 1.0, 4.0, 2.0, 3.0])) == (1.0, 5.0)
    values = np.arange(1.0, 101.0)
    assert median_interval(values) == (42.0, 59.0)


def test_estimates__hidden_where_the_figures_hide_and_the_intervals_contain_the_median():
    from ktmsc.rounds.study import estimates

    kinds = ["kleinstadt"] * 12 + ["mittelstadt"] * 9 + ["grossstadt"] * 2
    batch, _ = a_round(len(kinds), ["x"], seed=8)
    found = estimates(Q, batch, kinds)
    shown = overview(Q, batch, kinds)
    for domain, rows in found.items():
        assert [(e.group, e.count) for e in rows] == [(g.group, g.count) for g in shown[domain]]
        for e, g in zip(rows, shown[domain], strict=True):
            assert (e.dimensions is None) == g.hidden
            if e.dimensions is None:
                continue
            for dim, u in e.dimensions.items():
                assert u.median == pytest.approx(g.spread[dim].median)
                assert u.sampling[0] <= u.median <= u.sampling[1]
                assert u.dont_know[0] <= u.median + 1e-9 and u.median <= u.dont_know[1] + 1e-9
