"""The questionnaire's steps: the general section by its topics, longer domains in equal parts,
no step longer than MAX_STEP_QUESTIONS, question numbers and the stored step as before."""

from __future__ import annotations

import pytest

from ktmsc import wizard
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.limits import MAX_STEP_QUESTIONS
from ktmsc.model.schema import GENERAL


@pytest.mark.parametrize("perspective", ["verwaltung", "buergerin"])
def test_every_step_is_short_and_together_they_ask_every_question_once_in_order(questionnaire, perspective):
    assessment = Assessment(profile=AssessmentProfile(perspective=perspective), domains=list(questionnaire.domain_ids))
    parts = wizard.all_parts(questionnaire, assessment)
    asked = [item.id for part in parts.values() for item in part.items]
    expected = [i.id for s in (GENERAL, *questionnaire.domain_ids) for i in questionnaire.items_for(s, perspective)]
    assert asked == expected
    assert all(0 < len(part.items) <= MAX_STEP_QUESTIONS for part in parts.values())
    assert wizard.steps(questionnaire, assessment) == [*parts, wizard.REVIEW]


def test_the_general_section_by_its_topics_a_domain_in_equal_parts(questionnaire):
    assessment = Assessment(domains=["mobilitaet"])
    parts = list(wizard.all_parts(questionnaire, assessment).values())
    topics = questionnaire.general.topics
    assert [p.topic for p in parts[: len(topics)]] == list(topics)
    mobility = parts[len(topics) :]
    assert [(p.id, p.number, p.of, p.topic) for p in mobility] == [
        ("mobilitaet", 1, 2, None),
        ("mobilitaet.2", 2, 2, None),
    ]
    assert abs(len(mobility[0].items) - len(mobility[1].items)) <= 1


def test_a_step_stored_as_a_section_opens_its_first_part(questionnaire):
    """Steps stored before the sections had parts name the section: that is its first part's id."""
    assessment = Assessment(domains=["wirtschaft"])
    steps = wizard.steps(questionnaire, assessment)
    assert GENERAL in steps and "wirtschaft" in steps
    first = wizard.visible_items(questionnaire, assessment, "wirtschaft")
    assert [i.id for i in first] == [i.id for i in questionnaire.items_for("wirtschaft")[: len(first)]]


def test_question_numbers_run_on_across_topics(questionnaire):
    assessment = Assessment(domains=["wirtschaft"])
    numbers = wizard.question_numbers(questionnaire, assessment)
    shown = [i.id for i in questionnaire.items_for(GENERAL) if not i.show_if]
    assert [numbers[i] for i in shown] == [f"1.{n}" for n in range(1, len(shown) + 1)]
    first_domain = questionnaire.items_for("wirtschaft")[0].id
    assert numbers[first_domain] == "2.1"


def test_progress_and_open_questions_per_step(questionnaire):
    topics = questionnaire.general.topics
    answers = {item_id: "dont_know" for item_id in topics[0].items}
    assessment = Assessment(domains=["wirtschaft"], answers=answers)
    progress = {p.step: p for p in wizard.progress(questionnaire, assessment)}
    assert progress[GENERAL].answered == progress[GENERAL].asked == len(topics[0].items)
    assert progress[GENERAL].dont_know == len(topics[0].items)
    missing = wizard.unanswered(questionnaire, assessment)
    assert GENERAL not in missing and next(iter(missing)) == f"{GENERAL}.2"
