"""Scoring: hand-computed examples, boundaries and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import content_factory as cf
from ktmsc.instrument import get_questionnaire, load_content
from ktmsc.model.answers import State, best_answer, toggled
from ktmsc.model.schema import DONT_KNOW, NOT_APPLICABLE
from ktmsc.recommendations import advise, cross_domain_steps, done, fired, fits, general_tips
from ktmsc.scoring import extreme_answers, score

LF, VB = "leistungsfaehigkeit", "veraenderungsbereitschaft"


def _shares(lf: float, vb: float):
    def change(files):
        files["model.yaml"]["scoring"]["general_share"] = {LF: lf, VB: vb}

    return change


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Generated content: general 3 LF + 3 VB items, each domain 4 + 4, all weights 1.

    With a general share of 0.4 on both dimensions each general item weighs
    0.4/0.6 · 4/3 = 8/9 in a domain, so a dimension's total weight is 4 + 3 · 8/9 = 20/3.
    """
    result = load_content(cf.build(tmp_path_factory.mktemp("small"), _shares(0.4, 0.4)))
    assert result.ok
    return result.questionnaire


def test_hand_computed__the_general_share_is_per_dimension(tmp_path):
    """General share 0.4 for capacity, 0.25 for willingness: a general VB item weighs
    0.25/0.75 · 4/3 = 4/9, so the VB total is 4 + 3 · 4/9 = 16/3."""
    result = load_content(cf.build(tmp_path, _shares(0.4, 0.25)))
    assert result.ok
    answers = (
        general_items(LF, "full") | general_items(VB, "full") | domain_items(LF, "none") | domain_items(VB, "none")
    )
    found = score(result.questionnaire, answers, ["umwelt_energie"]).domains["umwelt_energie"]
    assert found.dimensions[LF].score == pytest.approx(40)  # (3 · 8/9) / (20/3)
    assert found.dimensions[VB].score == pytest.approx(25)  # (3 · 4/9) / (16/3)


def domain_items(dim, value, prefix="umw"):
    return {f"{prefix}_{dim[:2]}_{n}": value for n in range(4)}


def general_items(dim, value):
    return {f"g_{dim[:2]}_{n}": value for n in range(3)}


def test_hand_computed__domain_top_general_bottom(small):
    answers = domain_items(LF, "full") | general_items(LF, "none") | domain_items(VB, "some")
    result = score(small, answers, ["umwelt_energie"]).domains["umwelt_energie"]
    lf, vb = result.dimensions[LF], result.dimensions[VB]
    # LF: 4 · 1 / (20/3) = 60; all known.
    assert lf.score == pytest.approx(60)
    assert (lf.min, lf.max, lf.coverage) == (pytest.approx(60), pytest.approx(60), pytest.approx(1))
    # VB: only the domain's items are known (0.5 each) → 50; general VB unknown (8/3 of 20/3).
    assert vb.score == pytest.approx(50)
    assert vb.coverage == pytest.approx(0.6)
    assert vb.min == pytest.approx(30)  # 2 / (20/3)
    assert vb.max == pytest.approx(70)  # (2 + 8/3) / (20/3)
    assert result.coverage == pytest.approx((20 / 3 + 4) / (40 / 3))
    assert result.type_id == "leuchtturm"  # 60 and 50: both from the threshold upwards
    assert result.stable is False
    assert result.possible_types == ("aktivistin", "leuchtturm")


def test_hand_computed__contributions_add_up_to_the_score(small):
    answers = domain_items(LF, "some") | general_items(LF, "full")
    lf = score(small, answers, ["umwelt_energie"]).domains["umwelt_energie"].dimensions[LF]
    # (4 · 0.5 + 3 · 8/9 · 1) / (20/3) = (2 + 8/3) / (20/3) = 70
    assert lf.score == pytest.approx(70)
    assert sum(c.points for c in lf.contributions) == pytest.approx(70)
    general_points = sum(c.points for c in lf.contributions if c.item_id.startswith("g_"))
    assert general_points == pytest.approx(40)  # the general share: 40 % of the weight, all at 1


def test_hand_computed__levers(small):
    answers = domain_items(LF, "some") | general_items(LF, "full")
    lf = score(small, answers, ["umwelt_energie"]).domains["umwelt_energie"].dimensions[LF]
    assert [lever.item_id for lever in lf.levers] == [f"umw_le_{n}" for n in range(4)]
    first = lf.levers[0]
    # From 0.5 to 1 on weight 1 of 20/3: 7.5 points; the next step is the best answer.
    assert first.gain == pytest.approx(7.5)
    assert first.next_option == "full" and first.next_gain == pytest.approx(7.5)


def test_dont_know_everywhere__no_score_but_an_honest_interval(small):
    answers = {item_id: DONT_KNOW for item_id in small.items}
    result = score(small, answers, ["mobilitaet"]).domains["mobilitaet"]
    for dim in result.dimensions.values():
        assert dim.score is None
        assert (dim.min, dim.max, dim.coverage) == (0, 100, 0)
    assert result.type_id is None and result.stable is False
    assert set(result.possible_types) == {"bewahrerin", "mobilisiererin", "aktivistin", "leuchtturm"}


def test_nothing_answered__same_as_dont_know(small):
    result = score(small, {}, ["mobilitaet"]).domains["mobilitaet"]
    assert result.type_id is None and result.coverage == 0


@pytest.mark.parametrize(
    ("lf", "vb", "expected"),
    [
        (0, 0, "bewahrerin"),
        (49.99, 49.99, "bewahrerin"),
        (49.99, 50, "mobilisiererin"),
        (0, 100, "mobilisiererin"),
        (50, 49.99, "aktivistin"),
        (100, 0, "aktivistin"),
        (50, 50, "leuchtturm"),
        (100, 100, "leuchtturm"),
    ],
)
def test_classify__boundaries(questionnaire, lf, vb, expected):
    assert questionnaire.classify({LF: lf, VB: vb}).id == expected


@pytest.mark.parametrize("type_id", ["bewahrerin", "mobilisiererin", "aktivistin", "leuchtturm"])
def test_extreme_patterns__land_in_their_quadrant_in_every_domain(questionnaire, type_id):
    quadrant = questionnaire.types[type_id].quadrant
    result = score(questionnaire, extreme_answers(questionnaire, quadrant), questionnaire.domain_ids)
    for domain in result.domains.values():
        assert domain.type_id == type_id, domain.domain
        assert domain.stable


def test_all_highest_is_100_and_all_lowest_is_0(questionnaire):
    high = {"leistungsfaehigkeit": "high", "veraenderungsbereitschaft": "high"}
    low = {"leistungsfaehigkeit": "low", "veraenderungsbereitschaft": "low"}
    for quadrant, expected in ((high, 100), (low, 0)):
        result = score(
            questionnaire, extreme_answers(questionnaire, quadrant), questionnaire.domain_ids, population=50_000
        )
        for domain in result.domains.values():
            for dim in domain.dimensions.values():
                assert dim.score == pytest.approx(expected), (domain.domain, dim.dimension)


def test_hidden_follow_up__is_left_out_not_zero(questionnaire):
    follow_ups = [i for i in questionnaire.items.values() if i.show_if and i.type == "single"]
    assert follow_ups, "the shipped content uses conditions"
    item = follow_ups[0]
    gate = questionnaire.items[item.show_if[0].item]
    hiding = next(o.id for o in gate.options if o.id not in item.show_if[0].any_of)
    answers = {gate.id: hiding, item.id: best_answer(item)}  # answered before the gate changed
    result = score(questionnaire, answers, questionnaire.domain_ids)
    assert result.states[item.id].state is State.HIDDEN and result.states[item.id].score is None
    without = score(questionnaire, {gate.id: hiding}, questionnaire.domain_ids)
    for domain_id, domain in result.domains.items():
        for dim_id, dim in domain.dimensions.items():
            other = without.domains[domain_id].dimensions[dim_id]
            assert (dim.score, dim.total_weight) == (other.score, other.total_weight)
    states = score(questionnaire, {gate.id: DONT_KNOW}, questionnaire.domain_ids).states
    assert states[item.id].state is State.PENDING


def test_per_inhabitant_number__needs_the_population(questionnaire):
    numbers = [i for i in questionnaire.items.values() if i.type == "number" and i.per_inhabitants]
    if not numbers:
        pytest.skip("no per-inhabitant item in the content")
    item = numbers[0]
    assert score(questionnaire, {item.id: 5}, questionnaire.domain_ids).states[item.id].state is State.DONT_KNOW
    with_population = score(questionnaire, {item.id: 5}, questionnaire.domain_ids, population=50_000)
    assert with_population.states[item.id].state is State.ANSWERED


def test_citizen_view__only_public_items(questionnaire):
    result = score(questionnaire, {}, ["mobilitaet"], perspective="buergerin")
    assert result.states, "some items are asked"
    assert all(questionnaire.items[i].public for i in result.states)


def test_removed_items__ignored_and_reported(questionnaire):
    result = score(questionnaire, {"gone_item": "x"}, ["mobilitaet"])
    assert result.ignored_answers == ("gone_item",)


def test_domains__model_order_from_any_iterable(questionnaire):
    wanted = ["mobilitaet", "wirtschaft", "mobilitaet"]
    assert questionnaire.ordered_domains(iter(wanted)) == ["wirtschaft", "mobilitaet"]
    from_list = score(questionnaire, {}, wanted)
    from_generator = score(questionnaire, {}, (d for d in wanted))
    assert list(from_generator.domains) == list(from_list.domains) == ["wirtschaft", "mobilitaet"]


# --- properties on the shipped content -------------------------------------------------


def value_strategy(item):
    if item.type == "single":
        return st.sampled_from([o.id for o in item.options])
    if item.type == "multi":
        normal = [o.id for o in item.options if not o.exclusive]
        exclusive = [[o.id] for o in item.options if o.exclusive]
        subsets = st.lists(st.sampled_from(normal), min_size=1, unique=True)
        return st.one_of(subsets, st.sampled_from(exclusive)) if exclusive else subsets
    return st.floats(min_value=0, max_value=1000, allow_nan=False)


BODY_KINDS = [None, "kreisfreie_stadt", "kreisangehoerige_gemeinde", "amt", "landkreis"]


@st.composite
def assessments(draw, questionnaire):
    """Answers to every item, follow-ups included whatever their gates say (so a better gate
    answer can show a follow-up answered earlier), with "don't know", gaps and "not our task"."""
    body_kind = draw(st.sampled_from(BODY_KINDS))
    answers = {}
    for item in questionnaire.items.values():
        choices = ["answer", "answer", "dont_know", "skip"]
        if item.offers_not_applicable(body_kind):
            choices.append("not_applicable")
        choice = draw(st.sampled_from(choices))
        if choice == "answer":
            answers[item.id] = draw(value_strategy(item))
        elif choice == "dont_know":
            answers[item.id] = DONT_KNOW
        elif choice == "not_applicable":
            answers[item.id] = NOT_APPLICABLE
    domains = draw(st.lists(st.sampled_from(questionnaire.domain_ids), min_size=1, unique=True))
    perspective = draw(st.sampled_from(["verwaltung", "buergerin"]))
    population = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=4_000_000)))
    return answers, domains, perspective, population, body_kind


def raised(item, value):
    """A stronger answer than ``value``, or None when there is none."""
    if item.type == "single":
        current = item.option(value).score
        stronger = [o.id for o in item.options if o.score > current]
        return stronger[0] if stronger else None
    if item.type == "multi":
        chosen = set(value)
        extra = [o.id for o in item.options if not o.exclusive and o.id not in chosen]
        if any(item.option(v).exclusive for v in chosen):
            return extra[:1] or None
        return [*value, extra[0]] if extra else None
    return value * 2 + 1


def _all_scores(result):
    for domain in result.domains.values():
        for dim in domain.dimensions.values():
            yield domain.domain, dim


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__scores_in_range_and_interval_ordered(data):
    questionnaire = get_questionnaire()
    answers, domains, perspective, population, body_kind = data.draw(assessments(questionnaire))
    result = score(questionnaire, answers, domains, perspective, population, body_kind=body_kind)
    assert set(result.domains) == set(domains)
    for _, dim in _all_scores(result):
        assert 0 <= dim.min <= dim.max <= 100
        assert 0 <= dim.coverage <= 1
        if dim.score is not None:
            assert 0 <= dim.score <= 100
            assert dim.min - 1e-9 <= dim.score <= dim.max + 1e-9
            assert math.isclose(sum(c.points for c in dim.contributions), dim.score, abs_tol=1e-6)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__raising_an_answer_never_lowers_a_score(data):
    questionnaire = get_questionnaire()
    answers, domains, perspective, population, body_kind = data.draw(assessments(questionnaire))
    answered = [k for k, v in answers.items() if v not in (DONT_KNOW, NOT_APPLICABLE)]
    if not answered:
        return
    # Gates first: raising them shows follow-ups answered earlier, the case rule C007 guards.
    gates = sorted(set(answered) & questionnaire.gate_ids)
    item_id = data.draw(st.sampled_from(gates if gates and data.draw(st.booleans()) else sorted(answered)))
    stronger = raised(questionnaire.items[item_id], answers[item_id])
    if stronger is None:
        return
    before = score(questionnaire, answers, domains, perspective, population, body_kind=body_kind)
    after = score(questionnaire, answers | {item_id: stronger}, domains, perspective, population, body_kind=body_kind)
    for (domain, old), (_, new) in zip(_all_scores(before), _all_scores(after), strict=True):
        where = (item_id, domain, old.dimension)
        if old.score is not None:
            assert new.score is not None and new.score >= old.score - 1e-9, where
        assert new.min >= old.min - 1e-9, where
        assert new.max >= old.max - 1e-9, where


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__not_our_task_never_changes_a_score(data):
    questionnaire = get_questionnaire()
    answers, domains, perspective, population, body_kind = data.draw(assessments(questionnaire))
    offered = sorted(i.id for i in questionnaire.items.values() if i.offers_not_applicable(body_kind))
    if not offered:
        return
    item_id = data.draw(st.sampled_from(offered))
    not_ours = score(
        questionnaire, answers | {item_id: NOT_APPLICABLE}, domains, perspective, population, body_kind=body_kind
    )
    left_open = {k: v for k, v in answers.items() if k != item_id}
    without = score(questionnaire, left_open, domains, perspective, population, body_kind=body_kind)
    for (domain, a), (_, b) in zip(_all_scores(not_ours), _all_scores(without), strict=True):
        where = (item_id, domain, a.dimension)
        assert (a.score is None) == (b.score is None), where
        if a.score is not None:
            assert math.isclose(a.score, b.score, abs_tol=1e-9), where
        assert a.coverage >= b.coverage - 1e-9, where


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__advice_fits_and_is_never_for_what_is_done(data):
    questionnaire = get_questionnaire()
    answers, domains, perspective, population, body_kind = data.draw(assessments(questionnaire))
    result = score(questionnaire, answers, domains, perspective, population, body_kind=body_kind)
    where = questionnaire.municipality(population, body_kind)
    limit = questionnaire.model.advice.first_steps_per_domain
    for domain_id in result.domains:
        advice = advise(questionnaire, result, domain_id, where, answers)
        assert len(advice.first_steps) <= limit
        shown = [s.recommendation for s in advice.first_steps] + list(advice.recommendations)
        shown += [p for paths in advice.paths.values() for p in paths]
        for rec in shown:
            assert not done(rec, result.states), rec.id
            assert fits(rec, where, result.states, answers), rec.id
        for step in advice.first_steps:
            assert step.reasons and set(step.reasons) <= set(fired(step.recommendation, result.states))
        gains = [s.gain for s in advice.first_steps]
        assert gains == sorted(gains, reverse=True)
    steps = cross_domain_steps(questionnaire, result, where, answers)
    assert len(steps) <= questionnaire.model.advice.cross_domain_first_steps
    for tip in general_tips(questionnaire, result):
        assert result.states[tip.item].score <= tip.max_score


@pytest.mark.parametrize(
    ("current", "option", "ticked", "expected"),
    [
        (None, "it_provider", True, ["it_provider"]),
        (["own_company"], "it_provider", True, ["it_provider", "own_company"]),  # the item's order
        (["it_provider", "own_company"], "it_provider", False, ["own_company"]),
        (["own_company"], "own_company", False, None),
        (["it_provider"], "none", True, ["none"]),  # exclusive: alone
        (["none"], "intermunicipal", True, ["intermunicipal"]),
        (["it_provider"], "dont_know", True, "dont_know"),
        ("dont_know", "own_company", True, ["own_company"]),
        ("dont_know", "dont_know", False, None),
        (["gone_in_an_update", "own_company"], "it_provider", True, ["it_provider", "own_company"]),
        (["own_company"], "no_such_option", True, ["own_company"]),
    ],
)
def test_toggled__one_box_applied_to_the_stored_answer(questionnaire, current, option, ticked, expected):
    assert toggled(questionnaire.items["g_cooperation"], current, option, ticked) == expected


# --- the outside view is measured against the whole model ------------------------------


def _public(questionnaire, answers):
    return {k: v for k, v in answers.items() if k in questionnaire.items and questionnaire.items[k].public}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__outside_view_is_the_inside_view_with_every_internal_question_open(data):
    """Coverage, score and interval of the citizens' view are those of the whole model with the
    internal questions unknown: nothing is re-weighted among the public questions."""
    questionnaire = get_questionnaire()
    answers, domains, _, population, body_kind = data.draw(assessments(questionnaire))
    public = _public(questionnaire, answers)
    outside = score(questionnaire, answers, domains, "buergerin", population, body_kind=body_kind)
    inside = score(questionnaire, public, domains, "verwaltung", population, body_kind=body_kind)
    for (domain, o), (_, i) in zip(_all_scores(outside), _all_scores(inside), strict=True):
        where = (domain, o.dimension)
        assert math.isclose(o.coverage, i.coverage, abs_tol=1e-9), where
        assert math.isclose(o.total_weight, i.total_weight, abs_tol=1e-9), where
        assert math.isclose(o.min, i.min, abs_tol=1e-9) and math.isclose(o.max, i.max, abs_tol=1e-9), where
        assert (o.score is None) == (i.score is None), where
        if o.score is not None:
            assert math.isclose(o.score, i.score, abs_tol=1e-9), where
    for domain in outside.domains.values():
        assert domain.coverage < 1 or all(d.unseen_weight == 0 for d in domain.dimensions.values())


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__outside_interval_holds_every_answer_to_what_it_cannot_see(data):
    """Whatever the administration answers to the internal questions, its score lies in the
    citizens' interval; a stable outside view names the inside view's type."""
    questionnaire = get_questionnaire()
    answers, domains, _, population, body_kind = data.draw(assessments(questionnaire))
    outside = score(
        questionnaire, _public(questionnaire, answers), domains, "buergerin", population, body_kind=body_kind
    )
    internal = {k: v for k, v in answers.items() if not questionnaire.items[k].public}
    inside_answers = _public(questionnaire, answers) | internal
    inside = score(questionnaire, inside_answers, domains, "verwaltung", population, body_kind=body_kind)
    for domain_id, o_domain in outside.domains.items():
        i_domain = inside.domains[domain_id]
        for dim_id, o in o_domain.dimensions.items():
            i = i_domain.dimensions[dim_id]
            if i.score is not None:
                assert o.min - 1e-9 <= i.score <= o.max + 1e-9, (domain_id, dim_id)
        if o_domain.stable and i_domain.type_id is not None:
            assert i_domain.type_id == o_domain.type_id, domain_id


def test_outside_view__every_public_answer_is_not_full_coverage(questionnaire):
    """A citizen who answers every public question strongly still sees what she cannot see:
    coverage below 100 % wherever internal questions carry weight, and a wide interval."""
    answers = {i.id: best_answer(i) for i in questionnaire.items.values() if i.public}
    result = score(questionnaire, answers, questionnaire.domain_ids, "buergerin", 20_000)
    for domain in result.domains.values():
        unseen = sum(d.unseen_weight for d in domain.dimensions.values())
        total = sum(d.total_weight for d in domain.dimensions.values())
        assert unseen > 0, domain.domain
        assert math.isclose(domain.coverage, 1 - unseen / total, abs_tol=1e-9)
        for dim in domain.dimensions.values():
            assert dim.max - dim.min == pytest.approx(100 * dim.unseen_weight / dim.total_weight, abs=1e-6)
