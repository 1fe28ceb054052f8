"""What the results lead with, and each piece of advice once (ktmsc.readout, ktmsc.recommendations,
ktmsc.outside): the next three steps, the rest without repeats, and the citizens' own steps."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from test_report import random_answers

from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN
from ktmsc.readout import build_readout
from ktmsc.recommendations import advise, cross_domain_steps, fired
from ktmsc.scoring import extreme_answers, score_assessment

SEEDS = range(12)
VB = "verwaltung_bildung"


def make(questionnaire, answers, domains, perspective="verwaltung") -> Assessment:
    stamp = datetime(2026, 5, 1, tzinfo=UTC)
    profile = AssessmentProfile(
        name="Teststadt", body_kind="kreisangehoerige_gemeinde", population=12_000, perspective=perspective
    )
    return Assessment(
        questionnaire_version=questionnaire.version,
        profile=profile,
        domains=domains,
        answers=answers,
        created_at=stamp,
        updated_at=stamp,
    )


def random_case(questionnaire, seed: int, perspective="verwaltung") -> Assessment:
    rnd = random.Random(seed)
    domains = rnd.sample(questionnaire.domain_ids, rnd.randint(1, 3))
    answers = random_answers(questionnaire, rnd.randrange(2**32))
    if perspective == PERSPECTIVE_CITIZEN:
        answers = {k: v for k, v in answers.items() if questionnaire.items[k].public}
    return make(questionnaire, answers, domains, perspective)


def all_first_steps(questionnaire, assessment):
    """Every first step the advice chooses, before the results pick what they lead with."""
    result = score_assessment(questionnaire, assessment)
    profile = assessment.profile
    where = questionnaire.municipality(profile.population, profile.body_kind)
    steps = list(cross_domain_steps(questionnaire, result, where, assessment.answers))
    for domain_id in result.domains:
        steps += advise(questionnaire, result, domain_id, where, assessment.answers).first_steps
    return result, steps


def shown_recommendations(readout) -> list[str]:
    """Every recommendation the results show as a step or a recommendation (not paths)."""
    ids = [s.recommendation.id for s in (*readout.next_steps, *readout.cross_domain)]
    for shown in readout.domains.values():
        ids += [s.recommendation.id for s in shown.advice.first_steps]
        ids += [r.id for r in shown.advice.recommendations]
    return ids


@pytest.mark.parametrize("seed", SEEDS)
def test_next_steps__at_most_three_of_all_first_steps_most_to_gain_first(questionnaire, seed):
    assessment = random_case(questionnaire, seed)
    readout = build_readout(questionnaire, assessment)
    result, candidates = all_first_steps(questionnaire, assessment)
    limit = questionnaire.model.advice.next_steps
    assert limit == 3
    unique = {s.recommendation.id: s for s in reversed(candidates)}
    assert len(readout.next_steps) == min(limit, len(unique))
    gains = [s.gain for s in readout.next_steps]
    assert gains == sorted(gains, reverse=True)
    left_out = [s for rid, s in unique.items() if rid not in {n.recommendation.id for n in readout.next_steps}]
    if readout.next_steps and left_out:
        assert max(s.gain for s in left_out) <= min(gains) + 1e-9
    for step in readout.next_steps:
        assert step.domains and set(step.domains) <= set(result.domains)  # which domain it serves
        assert step.reasons and set(step.reasons) <= set(fired(step.recommendation, result.states))  # why


@pytest.mark.parametrize("seed", SEEDS)
def test_once__every_first_step_is_kept_and_none_is_shown_twice(questionnaire, seed):
    assessment = random_case(questionnaire, seed)
    readout = build_readout(questionnaire, assessment)
    _, candidates = all_first_steps(questionnaire, assessment)
    shown = shown_recommendations(readout)
    assert len(shown) == len(set(shown)), "a recommendation is shown twice"
    assert {s.recommendation.id for s in candidates} <= set(shown), "a first step got lost"
    leading = {s.recommendation.id for s in (*readout.next_steps, *readout.cross_domain)}
    for domain in readout.domains.values():
        paths = {p.id for ps in domain.advice.paths.values() for p in ps}
        assert not paths & leading, "a step is repeated among the paths"


@pytest.mark.parametrize("seed", SEEDS)
def test_once__a_tip_appears_once_and_with_the_recommendation_its_answer_calls_for(questionnaire, seed):
    assessment = random_case(questionnaire, seed)
    readout = build_readout(questionnaire, assessment)
    listed = [t.id for t in readout.general_tips]
    for domain in readout.domains.values():
        listed += [t.id for t in domain.advice.tips]
    attached = [t.id for tips in readout.tips_with.values() for t in tips]
    assert len(listed + attached) == len(set(listed + attached))
    triggers = set()
    recs = [s.recommendation for s in (*readout.next_steps, *readout.cross_domain)]
    for domain in readout.domains.values():
        recs += [s.recommendation for s in domain.advice.first_steps] + list(domain.advice.recommendations)
        recs += [p for ps in domain.advice.paths.values() for p in ps]
    for rec in recs:
        triggers |= {t.item for t in rec.triggers}
    shown_ids = {r.id for r in recs}
    assert set(readout.tips_with) <= shown_ids
    for tip in [*readout.general_tips, *(t for d in readout.domains.values() for t in d.advice.tips)]:
        assert tip.item not in triggers, f"{tip.id} repeats a shown recommendation"


def test_once__the_e_file_tip_goes_with_the_e_file_recommendation(questionnaire):
    """A Bewahrerin in Verwaltung und Bildung with paper casework: "Die E-Akte in einem Bereich
    beginnen" is advised once, and the tip on the same answer is shown with it, not again."""
    answers = extreme_answers(questionnaire, {"leistungsfaehigkeit": "low", "veraenderungsbereitschaft": "low"})
    readout = build_readout(questionnaire, make(questionnaire, answers, [VB]))
    assert readout.domains[VB].result.type_id == "bewahrerin"
    assert shown_recommendations(readout).count("vw_bew_e_file_start") == 1
    assert [t.id for t in readout.tips_with["vw_bew_e_file_start"]] == ["vw_tip_casework"]
    assert "vw_tip_casework" not in {t.id for t in readout.domains[VB].advice.tips}


@pytest.mark.parametrize("seed", SEEDS)
def test_outside_view__lists_what_it_cannot_see_and_its_own_steps(questionnaire, seed):
    assessment = random_case(questionnaire, seed, PERSPECTIVE_CITIZEN)
    readout = build_readout(questionnaire, assessment)
    outside = readout.outside
    assert outside is not None
    assert readout.next_steps == (), "no advice addressed to the administration leads"
    citizen = next(p for p in questionnaire.model.profile.perspectives if p.id == PERSPECTIVE_CITIZEN)
    assert [s.step.id for s in outside.steps] == [s.id for s in citizen.next_steps]
    assert {s.step.about for s in outside.steps} == {"unseen", "open", "weak"}

    sections = ["general", *assessment.domains]
    internal = {i.id for s in sections for i in questionnaire.section(s).items if not i.public}
    unseen = [i for _, items in outside.unseen for i in items]
    assert unseen and len(unseen) == len(set(unseen)) and set(unseen) <= internal
    inside = score_assessment(
        questionnaire,
        assessment.model_copy(update={"profile": assessment.profile.model_copy(update={"perspective": "verwaltung"})}),
    )
    applies = {i for i in internal if not inside.states[i].state.excluded}
    assert set(unseen) == applies, "every internal question that applies, none that does not"
    order = [t.id for t in questionnaire.model.topics]
    topics = [topic for topic, _ in outside.unseen]
    assert topics == sorted(topics, key=order.index)
    for topic, items in outside.unseen:
        assert all(questionnaire.items[i].tags[0] == topic for i in items)

    states = readout.result.states
    for step in outside.steps:
        assert len(step.items) <= 3
        if step.step.about == "unseen":
            assert set(step.items) <= set(unseen)
        elif step.step.about == "open":
            assert all(questionnaire.items[i].public and not states[i].state.known for i in step.items)
        else:
            assert all(states[i].state.known for i in step.items)


def test_inside_view__has_no_outside_list(questionnaire):
    readout = build_readout(questionnaire, random_case(questionnaire, 1))
    assert readout.outside is None


def test_domain_names__all_of_several_domains_is_said_once(questionnaire):
    readout = build_readout(questionnaire, make(questionnaire, {}, ["mobilitaet", "wirtschaft"]))
    assert readout.domain_names(("wirtschaft", "mobilitaet"), "de") == "alle bewerteten Domänen"
    assert readout.domain_names(("mobilitaet",), "en") == "Mobility"
    single = build_readout(questionnaire, make(questionnaire, {}, ["mobilitaet"]))
    assert single.domain_names(("mobilitaet",), "de") == "Mobilität"


@pytest.mark.parametrize("seed", SEEDS)
def test_once__a_path_is_listed_once_for_every_domain_that_needs_it(questionnaire, seed):
    readout = build_readout(questionnaire, random_case(questionnaire, seed))
    for dim_id in questionnaire.dimension_ids:
        listed = readout.paths.get(dim_id, ())
        ids = [p.recommendation.id for p in listed]
        assert len(ids) == len(set(ids))
        for shared in listed:
            needing = [
                d for d, shown in readout.domains.items() if shared.recommendation in shown.advice.paths.get(dim_id, ())
            ]
            assert list(shared.domains) == needing
        per_domain = {p.id for shown in readout.domains.values() for p in shown.advice.paths.get(dim_id, ())}
        assert set(ids) == per_domain
