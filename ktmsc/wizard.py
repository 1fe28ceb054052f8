"""The guided questionnaire as steps: the general section, each chosen domain, a review;
in the quick check one step that shows the next questions (:mod:`ktmsc.quick` picks them).

Pure functions over the questionnaire and an assessment, so the question pages
only lay out what these return.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable
from dataclasses import dataclass

from ktmsc.model.answers import ItemState, State, item_states
from ktmsc.model.assessment import MODE_QUICK, Assessment
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, GENERAL, Item

REVIEW = "review"
QUICK = "quick"  # the quick check's one step: the questions that can still change a type


@dataclass(frozen=True)
class StepProgress:
    step: str
    asked: int  # items shown now (hidden follow-ups left out)
    answered: int  # with an answer, "don't know" included
    dont_know: int


def sections(assessment: Assessment) -> list[str]:
    """The sections asked: the general section, then the chosen domains in the model's order."""
    return [GENERAL, *assessment.domains]


def steps(assessment: Assessment) -> list[str]:
    """The full check: the sections, then the review; the quick check: its one step."""
    if assessment.profile.mode == MODE_QUICK:
        return [QUICK]
    return [*sections(assessment), REVIEW]


def states_for(questionnaire: Questionnaire, assessment: Assessment) -> dict[str, ItemState]:
    return item_states(
        questionnaire,
        assessment.answers,
        [GENERAL, *assessment.domains],
        assessment.perspective,
        assessment.profile.population,
        assessment.profile.body_kind,
    )


def visible_items(
    questionnaire: Questionnaire, assessment: Assessment, step: str, states: dict[str, ItemState] | None = None
) -> list[Item]:
    """The items of a step that are shown now: follow-ups only once their condition holds."""
    if step in (REVIEW, QUICK):
        return []
    states = states if states is not None else states_for(questionnaire, assessment)
    return [i for i in questionnaire.items_for(step, assessment.perspective) if states[i.id].visible]


def item_numbers(
    sections: Iterable[tuple[object, Iterable[Item]]], shown: Container[str] | None = None
) -> dict[str, str]:
    """Question numbers "section.item", sections and items counted from 1 in the order given.

    With ``shown`` (the ids of the questions a person sees), only those are counted, so a
    follow-up hidden by its gate leaves no gap and gets no number. Without it every item is
    numbered: the printable questionnaire lists all items with their conditions.
    """
    numbers: dict[str, str] = {}
    for s_index, (_, items) in enumerate(sections, start=1):
        counted = [item for item in items if shown is None or item.id in shown]
        numbers |= {item.id: f"{s_index}.{i_index}" for i_index, item in enumerate(counted, start=1)}
    return numbers


def question_numbers(
    questionnaire: Questionnaire, assessment: Assessment, states: dict[str, ItemState] | None = None
) -> dict[str, str]:
    """The numbers of one assessment's questions as the person sees them: per step, the
    questions shown now. The questions page, the review, the results, the report and the
    answers CSV all use these, so "1.17" names the same question everywhere."""
    states = states if states is not None else states_for(questionnaire, assessment)
    asked = [(step, questionnaire.items_for(step, assessment.perspective)) for step in sections(assessment)]
    return item_numbers(asked, {item_id for item_id, state in states.items() if state.visible})


def progress(
    questionnaire: Questionnaire, assessment: Assessment, states: dict[str, ItemState] | None = None
) -> list[StepProgress]:
    states = states if states is not None else states_for(questionnaire, assessment)
    out = []
    for step in sections(assessment):
        items = visible_items(questionnaire, assessment, step, states)
        answered = [i for i in items if states[i.id].state in (State.ANSWERED, State.DONT_KNOW, State.NOT_APPLICABLE)]
        dont_know = [i for i in items if assessment.answers.get(i.id) == DONT_KNOW]
        out.append(StepProgress(step, len(items), len(answered), len(dont_know)))
    return out


def unanswered(
    questionnaire: Questionnaire, assessment: Assessment, states: dict[str, ItemState] | None = None
) -> dict[str, list[Item]]:
    """Per step, the shown items without an answer ("don't know" counts as an answer)."""
    states = states if states is not None else states_for(questionnaire, assessment)
    out: dict[str, list[Item]] = {}
    for step in sections(assessment):
        missing = [
            i
            for i in visible_items(questionnaire, assessment, step, states)
            if states[i.id].state in (State.UNANSWERED, State.INVALID)
        ]
        if missing:
            out[step] = missing
    return out


def estimated_minutes(questionnaire: Questionnaire, domains: list[str], perspective: str) -> int:
    """Rough duration from the number of items asked (follow-ups included)."""
    count = item_count(questionnaire, domains, perspective)
    return max(1, math.ceil(count * questionnaire.model.scoring.minutes_per_item / 5) * 5)


def item_count(questionnaire: Questionnaire, domains: list[str], perspective: str) -> int:
    return sum(len(questionnaire.items_for(s.id, perspective)) for s in questionnaire.sections_for(domains))
