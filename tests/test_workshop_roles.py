"""The workshop's result by role: each role's median and type, the minimum group, what is
withheld so nothing about a hidden role can be worked out, and the questions the roles differ on."""

from __future__ import annotations

import random
import re

import pytest

import content_factory as cf
from ktmsc.i18n import LANGS
from ktmsc.instrument import get_questionnaire, load_content
from ktmsc.model.answers import State, best_answer, weakest_answer
from ktmsc.model.schema import DONT_KNOW
from ktmsc.scoring import Position, score
from ktmsc.texts import catalogue
from ktmsc.workshop.aggregate import aggregate
from ktmsc.workshop.model import Participant
from ktmsc.workshop.roles import (
    RoleDomain,
    RoleGroup,
    RoleView,
    by_role,
    contrast_sentence,
    differing,
    gap_line,
    largest_contrast,
    role_key,
    role_lines,
    summary_line,
)
from ktmsc.workshop.stats import quantile

Q = get_questionnaire()
BEST = {item.id: best_answer(item) for item in Q.items.values()}
WEAK = {item.id: weakest_answer(item) for item in Q.items.values()}
MOB = "mobilitaet"
POP = 20_000
ITEM = "g_strategy"  # a single choice of the general section: weakest option 0, strongest 1
SPITZE, FACH = "Verwaltungsspitze", "Fachbereich"


def people(*groups):
    """Participants from (role, answers, how many) triples, numbered in the order given."""
    made = []
    for role, answers, count in groups:
        for _ in range(count):
            made.append(Participant(f"p{len(made) + 1}", None, role, answers))
    return made


def view(participants, **kwargs):
    return by_role(Q, participants, [MOB], population=POP, **kwargs)


def role(domain, key):
    return next(r for r in domain.roles if r.key == key)


# --- role keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("  IT ", "it"),
        ("it", "it"),
        ("Verwaltungs  spitze", "verwaltungs spitze"),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_role_key__whitespace_and_case_do_not_make_a_new_role(given, key):
    assert role_key(given) == key


def test_role_key__one_group_shown_with_the_first_spelling():
    result = view(people(("  IT ", BEST, 1), ("it", BEST, 1), ("It", BEST, 1)))
    assert result.labels == {"it": "IT"}
    it = role(result.by_domain[MOB], "it")
    assert (it.label, it.shown, it.count, it.type_id) == ("IT", True, 3, "leuchtturm")


# --- per domain: median, type, share ---------------------------------------------------------


def test_two_roles_in_opposite_corners():
    result = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3)))
    mob = result.by_domain[MOB]
    spitze, fach = mob.roles
    assert (spitze.label, spitze.count, spitze.type_id, spitze.type_share) == (SPITZE, 3, "leuchtturm", 1.0)
    assert (spitze.median.x, spitze.median.y) == (pytest.approx(100), pytest.approx(100))
    assert (fach.label, fach.count, fach.type_id, fach.type_share) == (FACH, 3, "bewahrerin", 1.0)
    assert (fach.median.x, fach.median.y) == (pytest.approx(0), pytest.approx(0))
    assert mob.withheld is False
    assert summary_line(Q, result, MOB, "de") == "Verwaltungsspitze: Der Leuchtturm · Fachbereich: Die Bewahrerin"
    assert summary_line(Q, result, MOB, "en") == "Verwaltungsspitze: The Lighthouse · Fachbereich: The Preserver"
    contrast = largest_contrast(result)
    assert (contrast.domain, contrast.first.label, contrast.second.label) == (MOB, SPITZE, FACH)
    assert contrast.distance == pytest.approx(100 * 2**0.5)
    assert contrast_sentence(Q, result, "de") == (
        "Mobilität: Verwaltungsspitze sieht die Kommune als „Der Leuchtturm“, Fachbereich als „Die Bewahrerin“."
    )
    assert contrast_sentence(Q, result, "en", MOB) == (
        "Mobility: Verwaltungsspitze sees the municipality as “The Lighthouse”, Fachbereich as “The Preserver”."
    )


def test_the_median_and_share_of_a_role_as_for_the_group():
    # Sorted 0, 100, 100: the median is 100, two of three are in its quadrant.
    result = view(people((SPITZE, BEST, 2), (SPITZE, WEAK, 1)))
    spitze = result.by_domain[MOB].roles[0]
    assert (spitze.median.x, spitze.median.y) == (pytest.approx(100), pytest.approx(100))
    assert (spitze.type_id, spitze.type_share) == ("leuchtturm", pytest.approx(2 / 3))


def test_no_contrast_when_the_roles_agree():
    result = view(people((SPITZE, BEST, 3), (FACH, BEST, 3)))
    assert largest_contrast(result) is None
    assert contrast_sentence(Q, result, "de").startswith("Keine zwei Rollen mit je mindestens 3")


# --- the minimum group -----------------------------------------------------------------------


def test_a_role_of_two_is_hidden_a_role_of_three_shown():
    result = view(people((SPITZE, BEST, 3), ("IT", BEST, 2)))
    spitze, it = result.by_domain[MOB].roles
    assert spitze.shown and spitze.type_id == "leuchtturm"
    assert (it.shown, it.count, it.median, it.type_id, it.type_share) == (False, None, None, None, None)
    assert (
        summary_line(Q, result, MOB, "de")
        == "Verwaltungsspitze: Der Leuchtturm · IT: weniger als 3 Personen mit Position"
    )
    # No item figure of the hidden role either.
    assert all(score.key != "it" for gap in result.gaps for score in gap.roles)

    shown = role(view(people((SPITZE, BEST, 3), ("IT", BEST, 3))).by_domain[MOB], "it")
    assert (shown.shown, shown.count, shown.type_id) == (True, 3, "leuchtturm")


def test_only_placed_participants_count():
    # Three of the role, but one answered nothing: two placed, so the role is hidden.
    result = view(people((SPITZE, BEST, 2), (SPITZE, {}, 1)))
    assert result.by_domain[MOB].roles[0].shown is False


def test_participants_without_a_role_are_in_no_role_group():
    participants = people((SPITZE, BEST, 3), (None, WEAK, 2), ("  ", WEAK, 1))
    result = view(participants)
    assert result.labels == {"verwaltungsspitze": SPITZE}
    (spitze,) = result.by_domain[MOB].roles
    assert (spitze.count, spitze.type_share) == (3, 1.0)  # the three without a role are not in it
    assert aggregate(Q, participants, [MOB], population=POP).by_domain[MOB].count == 6  # but in the group


def test_nobody_with_a_role():
    result = view(people((None, BEST, 3)))
    assert result.by_domain[MOB].roles == ()
    assert result.gaps == ()
    assert summary_line(Q, result, MOB, "en") == "Nobody has given a role."


def test_min_group_comes_from_the_model_unless_given():
    participants = people((SPITZE, BEST, 2), (FACH, WEAK, 2))
    assert view(participants).min_group == Q.model.scoring.group_min_shown == 3
    smaller = view(participants, min_group=2)
    assert [r.type_id for r in smaller.by_domain[MOB].roles] == ["leuchtturm", "bewahrerin"]


# --- secondary disclosure ------------------------------------------------------------------


def test_the_counts_would_give_away_a_hidden_role_so_they_are_withheld():
    # Group count 8 and the shown counts 3 + 3 would tell that IT has 2 placed, and the shares
    # with the group's type share what they answered: the shown roles' counts and shares go too.
    result = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3), ("IT", BEST, 2)))
    mob = result.by_domain[MOB]
    assert mob.withheld is True
    for shown in mob.shown:
        assert (shown.count, shown.type_share) == (None, None)
        assert shown.type_id is not None and shown.median is not None  # medians do not add up
    gap = next(g for g in result.gaps if g.item_id == ITEM)
    assert gap.withheld and all(s.count is None for s in gap.roles)
    assert gap_line(gap, "de") == "Abstand 100 Punkte – Verwaltungsspitze 100 · Fachbereich 0"


def test_one_participant_without_a_role_is_protected_as_well():
    mob = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3), (None, WEAK, 1))).by_domain[MOB]
    assert mob.withheld is True and mob.roles[0].count is None


def test_counts_are_shown_when_nothing_or_enough_is_left_over():
    assert view(people((SPITZE, BEST, 3), (FACH, WEAK, 3))).by_domain[MOB].withheld is False
    # Two of IT and one without a role: three left over, as many as a group that is shown.
    mob = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3), ("IT", BEST, 2), (None, BEST, 1))).by_domain[MOB]
    assert mob.withheld is False
    assert [r.count for r in mob.roles] == [3, 3, None]


# --- the questions the roles differ on ---------------------------------------------------------


def test_gap_by_hand__strongest_against_weakest_is_100():
    only_item = {**WEAK, ITEM: "resourced_monitored"}  # role A differs from B only here (and ties elsewhere)
    result = view(people((SPITZE, only_item, 3), (FACH, WEAK, 3)))
    first = result.gaps[0]
    assert (first.rank, first.item_id, first.section, first.gap) == (1, ITEM, "general", pytest.approx(100))
    assert [(s.label, s.median, s.points, s.count) for s in first.roles] == [(SPITZE, 1.0, 100, 3), (FACH, 0.0, 0, 3)]
    assert gap_line(first, "en") == "Gap of 100 points – Verwaltungsspitze 100 (3 answers) · Fachbereich 0 (3 answers)"
    # Every other item: both roles gave the weakest answer, a gap of 0, in questionnaire order.
    rest = result.gaps[1:]
    assert rest and all(g.gap == 0 for g in rest)
    group_order = list(aggregate(Q, people((SPITZE, only_item, 3), (FACH, WEAK, 3)), [MOB], population=POP).items)
    assert [g.item_id for g in rest] == [i for i in group_order if i in {g.item_id for g in rest}]


def test_gap_by_hand__the_median_of_each_role():
    options = [o.id for o in Q.items[ITEM].options]
    scores = {o.id: o.score for o in Q.items[ITEM].options}
    a = [{**WEAK, ITEM: options[-1]}, {**WEAK, ITEM: options[-1]}, {**WEAK, ITEM: options[0]}]  # median 1
    b = [{**WEAK, ITEM: options[0]}, {**WEAK, ITEM: options[1]}, {**WEAK, ITEM: options[1]}]  # median: option 1
    participants = [Participant(f"a{i}", None, SPITZE, x) for i, x in enumerate(a)]
    participants += [Participant(f"b{i}", None, FACH, x) for i, x in enumerate(b)]
    gap = next(g for g in view(participants).gaps if g.item_id == ITEM)
    assert gap.gap == pytest.approx(100 * (scores[options[-1]] - scores[options[1]]))
    assert [s.median for s in gap.roles] == [pytest.approx(1.0), pytest.approx(scores[options[1]])]


def test_dont_know_does_not_count_toward_the_minimum_group():
    dont_know = {**BEST, ITEM: DONT_KNOW}
    participants = people((SPITZE, BEST, 3), (FACH, WEAK, 1), (FACH, dont_know, 2))
    result = view(participants)
    # Fachbereich has only one actual answer to the item: only one role qualifies, no entry.
    assert ITEM not in {g.item_id for g in result.gaps}
    # With three actual answers it does.
    participants = people((SPITZE, BEST, 3), (FACH, WEAK, 3), (FACH, dont_know, 2))
    gap = next(g for g in view(participants).gaps if g.item_id == ITEM)
    assert [(s.label, s.count) for s in gap.roles] == [(SPITZE, 3), (FACH, 3)]


def test_gap_on_the_items_own_scale__an_item_whose_weakest_answer_scores_above_zero(tmp_path):
    """Options scoring 0.2, 0.6, 1: the weakest answer is 0 points, the strongest 100, the
    middle 50; the gap and every role's figure are on that one scale (not 100 · score)."""

    def scores(files):
        first = files["sections/general.yaml"]["items"][0]
        for option, value in zip(first["options"], (0.2, 0.6, 1.0), strict=True):
            option["score"] = value

    small = load_content(cf.build(tmp_path, scores)).questionnaire
    item = small.items["g_le_0"]
    assert (item.min_score, item.max_score) == (0.2, 1.0)
    answers = {i.id: weakest_answer(i) for i in small.items.values()}
    participants = [Participant(f"a{n}", None, "A", {**answers, item.id: "full"}) for n in range(3)]
    participants += [Participant(f"b{n}", None, "B", {**answers, item.id: "some"}) for n in range(3)]
    gap = by_role(small, participants, [cf.DOMAIN_IDS[0]]).gaps[0]
    assert (gap.item_id, gap.gap) == (item.id, pytest.approx(50))
    assert [(r.label, r.median, r.points) for r in gap.roles] == [
        ("A", pytest.approx(1.0), pytest.approx(100)),
        ("B", pytest.approx(0.6), pytest.approx(50)),
    ]
    assert gap_line(gap, "de") == "Abstand 50 Punkte – A 100 (3 Antworten) · B 50 (3 Antworten)"


def _random_answers(rng: random.Random) -> dict:
    answers = {}
    for item in Q.items.values():
        pick = rng.random()
        if pick < 0.15:
            continue  # no answer
        if pick < 0.3:
            answers[item.id] = DONT_KNOW
        elif item.type == "single":
            answers[item.id] = rng.choice(item.options).id
        else:
            answers[item.id] = rng.choice([BEST[item.id], WEAK[item.id]])
    return answers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_questions_medians_are_each_roles_quantiles_by_hand(seed):
    """Against a plain reference: every participant scored alone, per question and role the
    sorted item scores of the actual answers, their median by :func:`quantile` – the same
    figures to the last bit, the same roles, the same counts."""
    rng = random.Random(seed)
    roles_given = [SPITZE, FACH, "IT", None]
    participants = [Participant(f"p{n}", None, rng.choice(roles_given), _random_answers(rng)) for n in range(40)]
    domains = ["mobilitaet", "wirtschaft"]
    result = by_role(Q, participants, domains, population=POP)
    states = [score(Q, p.answers, domains, population=POP).states for p in participants]
    expected = {}
    for item_id in aggregate(Q, participants, domains, population=POP).items:
        per_role = {}
        for participant, state in zip(participants, states, strict=True):
            if participant.role and state[item_id].state == State.ANSWERED:
                per_role.setdefault(participant.role, []).append(state[item_id].score)
        qualifying = {r: sorted(v) for r, v in per_role.items() if len(v) >= 3}
        if len(qualifying) >= 2:
            expected[item_id] = {r: (quantile(v, 0.5), len(v)) for r, v in qualifying.items()}
    assert {g.item_id for g in result.gaps} == set(expected)
    for gap in result.gaps:
        assert {r.label: r.median for r in gap.roles} == {r: m for r, (m, _) in expected[gap.item_id].items()}
        if not gap.withheld:
            assert {r.label: r.count for r in gap.roles} == {r: n for r, (_, n) in expected[gap.item_id].items()}
        medians = [r.median for r in gap.roles]
        assert medians == sorted(medians, reverse=True)
        assert gap.gap == pytest.approx(100 * (medians[0] - medians[-1]))  # the shipped items score 0 … 1
    gaps = [round(g.gap, 9) for g in result.gaps]
    assert gaps == sorted(gaps, reverse=True)


def test_differing__only_gaps_that_read_as_at_least_one_point_at_most_the_limit():
    only_item = {**WEAK, ITEM: "resourced_monitored"}
    result = view(people((SPITZE, only_item, 3), (FACH, WEAK, 3)))
    assert [g.item_id for g in differing(result)] == [ITEM]  # every other item: a gap of 0
    assert differing(result, 0) == ()
    assert differing(view(people((SPITZE, BEST, 3), (FACH, BEST, 3)))) == ()
    several = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3)))
    assert len(differing(several)) > 5 and differing(several, 5) == differing(several)[:5]


def test_a_participant_id_used_twice_is_refused():
    with pytest.raises(ValueError, match="'p1' is used twice"):
        view([Participant("p1", role="IT"), Participant("p1", role="IT")])


# --- the texts -----------------------------------------------------------------------------


def test_every_roles_text_has_both_languages_and_the_same_placeholders():
    entries = {k: v for k, v in catalogue().items() if k.startswith("roles.")}
    assert entries
    for key, entry in entries.items():
        for lang in LANGS:
            assert entry.get(lang, "").strip(), f"{key} lacks {lang}"
        de, en = (set(re.findall(r"\{(\w+)", entry[lang])) for lang in LANGS)
        assert de == en, key


def test_user_text_stays_as_given():
    # The texts are plain: the caller escapes them; nothing here rewrites the role's text.
    result = view(people(("*IT* <b>", BEST, 3), (FACH, WEAK, 3)))
    assert summary_line(Q, result, MOB, "de").startswith("*IT* <b>: Der Leuchtturm")


# --- one line per role -----------------------------------------------------------------------


def test_role_lines__type_median_and_count_of_each_role_a_small_one_as_fewer_than_3():
    result = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3), ("IT", BEST, 2), (None, BEST, 1)))
    assert role_lines(Q, result, MOB, "de") == [
        "Verwaltungsspitze: Der Leuchtturm (LF 100 · VB 100, 3 Personen)",
        "Fachbereich: Die Bewahrerin (LF 0 · VB 0, 3 Personen)",
        "IT: weniger als 3 Personen mit Position",
    ]
    assert (
        role_lines(Q, result, MOB, "en")[0] == "Verwaltungsspitze: The Lighthouse (CAP 100 · WTC 100, 3 participants)"
    )


def test_role_lines__withheld_counts_are_not_said():
    result = view(people((SPITZE, BEST, 3), (FACH, WEAK, 3), ("IT", BEST, 2)))
    lines = role_lines(Q, result, MOB, "de")
    assert lines[:2] == [
        "Verwaltungsspitze: Der Leuchtturm (LF 100 · VB 100)",
        "Fachbereich: Die Bewahrerin (LF 0 · VB 0)",
    ]
    assert lines[2] == "IT: weniger als 3 Personen mit Position"
    assert not any("2" in line for line in lines)


def test_role_lines__a_median_just_below_the_threshold_is_not_rounded_up_to_it():
    # 49.6 on LF is a low type: the line must not read "LF 50" next to "Die Mobilisiererin".
    it = RoleGroup("it", "IT", True, 3, Position(49.6, 80.2), "mobilisiererin", 1.0)
    made = RoleView(3, {"it": "IT"}, {MOB: RoleDomain(MOB, (it,), False)}, ())
    assert role_lines(Q, made, MOB, "de") == ["IT: Die Mobilisiererin (LF 49,6 · VB 80, 3 Personen)"]


def test_role_lines__nobody_with_a_role_and_any_shown():
    result = view(people((None, BEST, 3)))
    assert role_lines(Q, result, MOB, "de") == []
    assert result.any_shown is False
    assert view(people((SPITZE, BEST, 2))).any_shown is False
    assert view(people((SPITZE, BEST, 3))).any_shown is True
