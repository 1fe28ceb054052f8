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


# --- how long it takes -----------------------------------------------------------------------


def test_estimate__a_range_that_grows_with_the_domains_and_counts_the_lookups(questionnaire):
    general = wizard.estimate(questionnaire, [], "verwaltung", "de")
    two = wizard.estimate(questionnaire, ["wirtschaft", "mobilitaet"], "verwaltung", "de")
    assert 5 <= general.low < general.high and two.low > general.low and two.high > general.high
    assert general.low % 5 == 0 and general.high % 5 == 0
    flagged = [i for s in (GENERAL, "wirtschaft", "mobilitaet") for i in questionnaire.items_for(s) if i.lookup]
    assert two.lookups == len(flagged) > 0
    assert two.questions == sum(len(questionnaire.items_for(s)) for s in (GENERAL, "wirtschaft", "mobilitaet"))


def test_estimate__each_lookup_adds_its_minutes_and_every_word_is_read(questionnaire):
    timing = questionnaire.model.scoring.timing
    items = [i for s in questionnaire.sections_for(["wirtschaft"]) for i in questionnaire.items_for(s.id)]
    words = sum(wizard.words(i, "de", "verwaltung") for i in items)
    slow = words / timing.words_per_minute.slow + len(items) * timing.seconds_per_answer.slow / 60
    slow += sum(i.lookup for i in items) * timing.lookup_minutes.slow
    estimate = wizard.estimate(questionnaire, ["wirtschaft"], "verwaltung", "de")
    assert estimate.high - 5 < slow <= estimate.high  # rounded up to five minutes


def test_estimate__the_citizens_view_looks_every_answer_up_in_public_sources(questionnaire):
    inside = wizard.estimate(questionnaire, ["wirtschaft"], "verwaltung", "de")
    outside = wizard.estimate(questionnaire, ["wirtschaft"], "buergerin", "de")
    assert outside.questions < inside.questions and outside.lookups == outside.questions
    assert outside.high > inside.high  # fewer questions, but every one is a search
    item = next(i for i in questionnaire.items_for(GENERAL, "buergerin") if i.public_hint is not None)
    assert wizard.words(item, "de", "buergerin") > wizard.words(item, "de", "verwaltung")  # the hint is read too


def test_lookup_flags__on_questions_that_need_counting_or_another_office(questionnaire):
    flagged = {i.id for i in questionnaire.items.values() if i.lookup}
    assert {"g_staff_fte", "g_funding_record", "vw_online_services", "ue_own_renewables"} <= flagged
    assert "g_leadership" not in flagged


def test_start_page__shows_the_range_for_the_chosen_view(app_store, questionnaire):
    import app_driver as drive
    from ktmsc.labels import counted, fmt_duration
    from ktmsc.texts import t

    at = drive.open_app("de")
    drive.set_profile(at, "de", name="Zeitstadt", domains=["wirtschaft"])
    for perspective in ("verwaltung", "buergerin"):
        at.radio(key="start.de.perspective").set_value(perspective)
        at.run()
        drive.assert_ok(at)
        estimate = wizard.estimate(questionnaire, ["wirtschaft"], perspective, "de")
        shown = fmt_duration(estimate.questions, 1, estimate.low, estimate.high, "de")
        assert shown in [i.value for i in at.info]
        if perspective == "buergerin":
            assert t("ui.time.public_sources", "de") in drive.texts(at)
        else:
            assert counted("ui.time.lookups", estimate.lookups, "de") in drive.texts(at)
