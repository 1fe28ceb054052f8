"""The quick check's core: settled or open per domain, what could still change it, the order of
the questions, and – by construction – the same types as the full check (docs/SCORING.md)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_scoring import PROPERTY_SETTINGS, assessments

from ktmsc import quick
from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import State
from ktmsc.model.assessment import MODE_QUICK, Assessment, AssessmentProfile
from ktmsc.model.schema import DONT_KNOW, GENERAL
from ktmsc.readout import build_readout
from ktmsc.scoring import extreme_answers, score

DOMAINS = ["wirtschaft", "mobilitaet"]
LEUCHTTURM = {"leistungsfaehigkeit": "high", "veraenderungsbereitschaft": "high"}
BEWAHRERIN = {"leistungsfaehigkeit": "low", "veraenderungsbereitschaft": "low"}


def test_nothing_answered__every_domain_open_and_every_shown_question_can_change_it(questionnaire):
    state = quick.state_of(questionnaire, {}, DOMAINS, "verwaltung")
    assert not state.all_settled
    shown = {i.id for s in (GENERAL, *DOMAINS) for i in questionnaire.items_for(s) if not i.show_if}
    for settlement in state.settlements.values():
        assert not settlement.settled and settlement.open_axes == questionnaire.dimension_ids
        assert set(settlement.deciding) <= shown
    # A follow-up not asked yet is no question to ask: its gate stands for it.
    follow_ups = {i.id for i in questionnaire.items.values() if i.show_if}
    assert not follow_ups & set(state.effects)
    assert "g_pilots" in state.effects


def test_next_questions__largest_effect_first_at_most_a_step(questionnaire):
    state = quick.state_of(questionnaire, {}, DOMAINS, "verwaltung")
    step = state.next_questions()
    assert len(step) == quick.QUICK_STEP
    effects = [state.effects[i] for i in step]
    assert effects == sorted(effects, reverse=True)
    assert effects[-1] >= max(v for k, v in state.effects.items() if k not in step)
    # A general question feeds every chosen domain: its effect is the sum of its effects on each.
    alone = [quick.state_of(questionnaire, {}, [d], "verwaltung").effects for d in DOMAINS]
    for item in questionnaire.items_for(GENERAL):
        if item.id in state.effects:
            assert abs(state.effects[item.id] - sum(a[item.id] for a in alone)) < 1e-12


def test_a_gate_counts_with_the_follow_ups_it_decides(questionnaire):
    """Effect = Σ over the open axes of (weight ÷ the axis's total weight) × the axis's range; a
    gate's weight takes in its follow-ups not asked yet; a hidden follow-up is nothing to ask."""
    state = quick.state_of(questionnaire, {}, DOMAINS, "verwaltung")
    result = score(questionnaire, {}, DOMAINS, detail=False)
    expected = 0.0
    for domain_id in DOMAINS:
        for dim_id in questionnaire.dimension_ids:
            dim = result.domains[domain_id].dimensions[dim_id]
            for item, weight in questionnaire.weighted_items(domain_id, dim_id):
                if item.id in ("g_pilots", "g_pilot_decision"):
                    expected += weight / dim.total_weight * (dim.max - dim.min) / 100
    assert abs(state.effects["g_pilots"] - expected) < 1e-12
    assert questionnaire.items["g_pilot_decision"].weight("veraenderungsbereitschaft") > 0

    ruled_out = {"g_pilots": "none"}
    assert score(questionnaire, ruled_out, DOMAINS).states["g_pilot_decision"].state is State.HIDDEN
    assert "g_pilot_decision" not in quick.state_of(questionnaire, ruled_out, DOMAINS, "verwaltung").effects
    shown = quick.state_of(questionnaire, {"g_pilots": "several"}, DOMAINS, "verwaltung")
    assert "g_pilot_decision" in shown.effects


def test_everything_answered__settled_in_its_type_nothing_left_to_ask(questionnaire):
    for quadrant, expected in ((LEUCHTTURM, "leuchtturm"), (BEWAHRERIN, "bewahrerin")):
        state = quick.state_of(questionnaire, extreme_answers(questionnaire, quadrant), DOMAINS, "verwaltung")
        assert state.all_settled and not state.effects and state.next_questions() == ()
        for settlement in state.settlements.values():
            assert settlement.settled and settlement.type_id == expected
            assert settlement.open_axes == () and settlement.deciding == ()


def test_settled_domain_asks_nothing_while_an_open_one_still_does(questionnaire):
    """Answers that settle one domain leave the questions of the other still to ask."""
    answers = extreme_answers(questionnaire, LEUCHTTURM)
    own_mobility = {i.id for i in questionnaire.items_for("mobilitaet")}
    answers = {k: v for k, v in answers.items() if k not in own_mobility}
    state = quick.state_of(questionnaire, answers, DOMAINS, "verwaltung")
    wirtschaft, mobilitaet = state.settlements["wirtschaft"], state.settlements["mobilitaet"]
    assert wirtschaft.settled and wirtschaft.deciding == ()
    assert not mobilitaet.settled and mobilitaet.deciding
    assert set(mobilitaet.deciding) <= own_mobility
    assert set(state.effects) == set(mobilitaet.deciding)


def test_dont_know_keeps_a_domain_open_but_is_not_asked_again(questionnaire):
    answers = {i.id: DONT_KNOW for s in (GENERAL, *DOMAINS) for i in questionnaire.items_for(s)}
    state = quick.state_of(questionnaire, answers, DOMAINS, "verwaltung")
    assert not state.all_settled and not state.effects
    assert all(s.deciding == () for s in state.settlements.values())


def test_readout_of_a_quick_check__names_the_questions_it_did_not_ask(questionnaire):
    answers = extreme_answers(questionnaire, LEUCHTTURM)
    kept = dict(list(answers.items())[: len(answers) // 2])
    profile = AssessmentProfile(mode=MODE_QUICK)
    assessment = Assessment(profile=profile, domains=DOMAINS, answers=kept)
    readout = build_readout(questionnaire, assessment)
    assert readout.quick is not None
    shown_open = [
        i.id
        for s in (GENERAL, *DOMAINS)
        for i in questionnaire.items_for(s)
        if readout.result.states[i.id].state is State.UNANSWERED
    ]
    assert list(readout.skipped) == shown_open and all(i in readout.numbers for i in readout.skipped)
    full = build_readout(questionnaire, assessment.model_copy(update={"profile": AssessmentProfile()}))
    assert full.quick is None and full.skipped == ()


# --- by construction: the quick check's type is the full check's ---------------------------------


def walk(questionnaire, answers, domains, perspective, population, body_kind):
    """Answer the quick check's steps from ``answers`` (an open one as "don't know") until every
    domain is settled or nothing is left to ask; the answers given."""
    given_answers = {}
    state = quick.state_of(questionnaire, given_answers, domains, perspective, population, body_kind)
    while not state.all_settled and (step := state.next_questions()):
        for item_id in step:
            given_answers[item_id] = answers.get(item_id, DONT_KNOW)
        state = quick.state_of(questionnaire, given_answers, domains, perspective, population, body_kind)
    return given_answers, state


@PROPERTY_SETTINGS
@given(data=st.data())
def test_property__a_settled_type_is_the_full_type_whatever_the_rest(data):
    questionnaire = get_questionnaire()
    answers, domains, perspective, population, body_kind = data.draw(assessments(questionnaire))
    given_answers, state = walk(questionnaire, answers, domains, perspective, population, body_kind)
    # The rest answered as the full set says, or as a second, independent set says.
    other, *_ = data.draw(assessments(questionnaire))
    for rest in (answers, other):
        full = score(questionnaire, rest | given_answers, domains, perspective, population, body_kind=body_kind)
        for domain_id, settlement in state.settlements.items():
            if settlement.settled:
                assert full.domains[domain_id].type_id == settlement.type_id, (domain_id, settlement)
    if not state.all_settled:  # it stopped because nothing shown can settle it any more
        assert not state.effects


def test_citizens_view__what_it_is_not_asked_keeps_a_domain_open_and_is_never_asked(questionnaire):
    public = {i.id for s in (GENERAL, *DOMAINS) for i in questionnaire.items_for(s, "buergerin")}
    answers = {k: v for k, v in extreme_answers(questionnaire, LEUCHTTURM).items() if k in public}
    state = quick.state_of(questionnaire, {}, DOMAINS, "buergerin")
    assert set(state.effects) <= public
    after = quick.state_of(questionnaire, answers, DOMAINS, "buergerin")
    assert not after.effects  # every public question answered: nothing left to ask
    for settlement in after.settlements.values():
        # Settled only where the internal questions, all open, cannot move it out of its quadrant.
        inside = score(questionnaire, answers, DOMAINS, "buergerin").domains[settlement.domain]
        assert settlement.settled == inside.stable and settlement.deciding == ()


def test_standing__remembered_per_exact_answers_and_always_what_the_scoring_says(questionnaire):
    """The quick check's page asks what it says of the domains before and after each answer;
    the answer after one is the answer before the next, so it is scored once."""
    profile = AssessmentProfile(name="Merkt sich", population=12_000, mode=MODE_QUICK)
    base = Assessment(profile=profile, domains=["mobilitaet", "wirtschaft"], answers=extreme_answers(
        questionnaire, {"leistungsfaehigkeit": "high", "veraenderungsbereitschaft": "high"}
    ))  # fmt: skip
    first = quick.standing(questionnaire, base)
    assert first == quick.assess(questionnaire, base).standing
    assert quick.standing(questionnaire, base.model_copy()) is first  # the same answers: not scored again
    fewer = base.model_copy(update={"answers": {}})
    assert quick.standing(questionnaire, fewer) == quick.assess(questionnaire, fewer).standing != first
    as_bool = base.model_copy(update={"answers": {**base.answers, "g_staff_fte": True}})
    assert quick.standing(questionnaire, as_bool) == quick.assess(questionnaire, as_bool).standing
    smaller = base.model_copy(update={"profile": profile.model_copy(update={"population": 900})})
    assert quick.standing(questionnaire, smaller) == quick.assess(questionnaire, smaller).standing
