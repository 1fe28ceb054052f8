"""Answer patterns for the benchmarks (pure functions of the shipped questionnaire, no database).

The bare script imports :func:`page_answers` too, so that it shows the same answers as
the app's assessment.
"""

from __future__ import annotations

import random
from typing import Any

from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import DONT_KNOW, Item

POPULATION = 48_000
NAME = "Benchstadt"


def random_answer(item: Item, rng: random.Random, *, dont_know: float = 0.0) -> Any:
    """A random valid answer: an option id, a list of option ids or a number."""
    if dont_know and rng.random() < dont_know:
        return DONT_KNOW
    if item.type == "single":
        return rng.choice(item.options).id
    if item.type == "multi":
        plain = [o.id for o in item.options if not o.exclusive]
        exclusive = [o.id for o in item.options if o.exclusive]
        if exclusive and rng.random() < 0.2:
            return [rng.choice(exclusive)]
        return sorted(rng.sample(plain, rng.randint(1, len(plain))), key=plain.index)
    return float(rng.randrange(0, 80)) / 2  # a number item (0 … 40 in steps of 0.5)


def random_answers(q: Questionnaire, rng: random.Random, *, dont_know: float = 0.05, missing: float = 0.05) -> dict:
    """Answers to every item, some "don't know", some left open (for the scoring benchmark)."""
    answers = {}
    for item in q.items.values():
        if rng.random() >= missing:
            answers[item.id] = random_answer(item, rng, dont_know=dont_know)
    return answers


def page_answers(q: Questionnaire, seed: int = 7) -> dict[str, Any]:
    """Every item answered (no "don't know"), follow-ups' conditions met so that every item shows."""
    rng = random.Random(seed)
    answers = {item.id: random_answer(item, rng) for item in q.items.values()}
    for item in q.items.values():
        for condition in item.show_if:
            if condition.any_of and answers.get(condition.item) not in condition.any_of:
                answers[condition.item] = condition.any_of[0]
            if condition.at_least is not None:
                answers[condition.item] = max(float(answers.get(condition.item) or 0), condition.at_least)
    return answers
