"""The invented example municipality as the app shows it: the assessment of
``questionnaires/example.yaml`` and a small workshop whose answers are made from it.

The content loader has checked the file against the questionnaire (codes E001–E007), so its
answers are ones the questionnaire reads. Nothing here is stored: the app serves the
example from the content on every visit, read-only, and no visit leaves a row behind.

The workshop's participants start from the example's answers and differ from them as people
of one administration do, the same way on every run and every server (each participant has
a random generator seeded with the participant's number; a string seed gives the same
numbers on every platform):

* each participant leans more critical or more optimistic (a lean between −1 and 1);
* each answer is moved one step with the probability :data:`SHIFT_SHARE` – a single choice
  to the next weaker or stronger option, a number by :data:`NUMBER_STEP` of itself, a
  multiple choice by one box ticked or unticked – more often in the direction of the lean;
* an answer becomes "don't know" with the probability :data:`DONT_KNOW_SHARE`;
* the last participant is still answering: the last :data:`UNFINISHED_SHARE` of the items
  asked are left open.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from ktmsc.i18n import Lang
from ktmsc.model.assessment import Assessment, AssessmentProfile
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, RESERVED_ANSWERS, ExampleFile, Item

if TYPE_CHECKING:  # the workshop (numpy, charts) is loaded only when its dashboard is shown
    from ktmsc.workshop import Participant

SHIFT_SHARE = 0.3
DONT_KNOW_SHARE = 0.05
NUMBER_STEP = 0.25
UNFINISHED_SHARE = 0.4
SEED = "ktmsc-example"


def example_assessment(questionnaire: Questionnaire, lang: Lang) -> Assessment:
    """The example as an assessment; its name (in ``lang``) says that it is invented."""
    example = _required(questionnaire)
    profile = example.profile
    return Assessment(
        questionnaire_version=questionnaire.version,
        profile=AssessmentProfile(
            name=example.name.get(lang),
            body_kind=profile.body_kind,
            state=profile.state,
            population=profile.population,
            perspective=profile.perspective,
        ),
        domains=questionnaire.ordered_domains(example.domains),
        answers=dict(example.answers),
    )


def example_participants(questionnaire: Questionnaire, lang: Lang) -> list[Participant]:
    """The example workshop's participants, each with answers made from the example's."""
    example = _required(questionnaire)
    return questionnaire.memo(("example.participants", lang), lambda: _participants(questionnaire, example, lang))


def _participants(questionnaire: Questionnaire, example: ExampleFile, lang: Lang) -> list[Participant]:
    from ktmsc.workshop import Participant

    people = example.workshop.participants
    out = []
    for number, person in enumerate(people, 1):
        rng = random.Random(f"{SEED}-{number}")
        lean = rng.uniform(-1, 1)
        answers = {}
        for item_id, value in example.answers.items():
            answers[item_id] = _varied(questionnaire.items[item_id], value, lean, rng)
        if number == len(people):
            answers = dict(list(answers.items())[: round(len(answers) * (1 - UNFINISHED_SHARE))])
        out.append(Participant(id=f"example-{number}", role=person.role.get(lang), answers=answers))
    return out


def _varied(item: Item, value: Any, lean: float, rng: random.Random) -> Any:
    """One participant's answer: the example's, or one step from it, or "don't know"."""
    if isinstance(value, str) and value in RESERVED_ANSWERS:
        return value
    if rng.random() < DONT_KNOW_SHARE:
        return DONT_KNOW
    if rng.random() >= SHIFT_SHARE:
        return value
    up = rng.random() < (1 + lean) / 2
    if item.type == "single":
        ordered = sorted(item.options, key=lambda o: o.score)
        index = next(i for i, o in enumerate(ordered) if o.id == value)
        return ordered[max(0, min(len(ordered) - 1, index + (1 if up else -1)))].id
    if item.type == "multi":
        return _varied_multi(item, list(value), up, rng)
    changed = value * (1 + NUMBER_STEP if up else 1 - NUMBER_STEP)
    return round(changed) if isinstance(value, int) else round(changed, 1)


def _varied_multi(item: Item, ticked: list[str], up: bool, rng: random.Random) -> list[str]:
    """One box more (up) or one fewer (down); an exclusive option ("none of these") stands alone."""
    exclusive = [o.id for o in item.options if o.exclusive]
    ordinary = [o.id for o in item.options if not o.exclusive]
    chosen = [c for c in ticked if c not in exclusive]
    if up:
        free = [o for o in ordinary if o not in chosen]
        if free:
            chosen.append(rng.choice(free))
    elif chosen:
        chosen.remove(rng.choice(chosen))
    if not chosen:
        return exclusive[:1] or ticked
    return [o for o in ordinary if o in chosen]


def _required(questionnaire: Questionnaire) -> ExampleFile:
    if questionnaire.example is None:
        raise LookupError("the content has no example.yaml")
    return questionnaire.example
