"""The guided questionnaire as steps: the general section by its topics, each chosen domain
(in parts when it is longer than a step), a review; in the quick check one step that shows
the next questions (:mod:`ktmsc.quick` picks them). No step shows more than
:data:`~ktmsc.model.limits.MAX_STEP_QUESTIONS` questions.

A part's step id is its section's id for the first part (so a stored step from before the
sections had parts still opens there) and ``<section>.<n>`` for the n-th.

Pure functions over the questionnaire and an assessment, so the question pages
only lay out what these return.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from ktmsc.i18n import Lang
from ktmsc.model.answers import ItemState, State, item_states
from ktmsc.model.assessment import MODE_QUICK, Assessment
from ktmsc.model.limits import MAX_STEP_QUESTIONS
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN, Questionnaire
from ktmsc.model.schema import DONT_KNOW, GENERAL, Item, Topic
from ktmsc.texts import t

REVIEW = "review"
QUICK = "quick"  # the quick check's one step: the questions that can still change a type


@dataclass(frozen=True)
class StepProgress:
    step: str
    asked: int  # items shown now (hidden follow-ups left out)
    answered: int  # with an answer, "don't know" included
    dont_know: int


@dataclass(frozen=True)
class Part:
    """One step of a section: a topic, a part of a longer section, or the whole section."""

    id: str
    section: str
    number: int  # 1, 2, … within the section
    of: int  # how many parts the section has
    topic: Topic | None  # the content's name for it, when it names one
    items: tuple[Item, ...]  # in the section's order, follow-ups included


def sections(assessment: Assessment) -> list[str]:
    """The sections asked: the general section, then the chosen domains in the model's order."""
    return [GENERAL, *assessment.domains]


def parts(questionnaire: Questionnaire, section_id: str, perspective: str) -> tuple[Part, ...]:
    """A section's steps: its topics, or equal parts of at most MAX_STEP_QUESTIONS questions."""

    def build() -> tuple[Part, ...]:
        items = questionnaire.items_for(section_id, perspective)
        topics = questionnaire.section(section_id).topics
        if topics:
            by_id = {item.id: item for item in items}
            groups = [(topic, tuple(by_id[i] for i in topic.items if i in by_id)) for topic in topics]
            groups = [(topic, group) for topic, group in groups if group]
        else:
            count = max(1, math.ceil(len(items) / MAX_STEP_QUESTIONS))
            size = math.ceil(len(items) / count)
            groups = [(None, items[start : start + size]) for start in range(0, len(items), size)]
        return tuple(
            Part(section_id if n == 1 else f"{section_id}.{n}", section_id, n, len(groups), topic, group)
            for n, (topic, group) in enumerate(groups, start=1)
        )

    return questionnaire.memo(("parts", section_id, perspective), build)


def all_parts(questionnaire: Questionnaire, assessment: Assessment) -> dict[str, Part]:
    """Every step with questions, by id, in order."""
    return {
        part.id: part
        for section_id in sections(assessment)
        for part in parts(questionnaire, section_id, assessment.perspective)
    }


def steps(questionnaire: Questionnaire, assessment: Assessment) -> list[str]:
    """The full check: every part, then the review; the quick check: its one step."""
    if assessment.profile.mode == MODE_QUICK:
        return [QUICK]
    return [*all_parts(questionnaire, assessment), REVIEW]


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
    part = all_parts(questionnaire, assessment).get(step)
    if part is None:  # the review, the quick check's step
        return []
    states = states if states is not None else states_for(questionnaire, assessment)
    return [i for i in part.items if states[i.id].visible]


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
    for step in all_parts(questionnaire, assessment):
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
    for step in all_parts(questionnaire, assessment):
        missing = [
            i
            for i in visible_items(questionnaire, assessment, step, states)
            if states[i.id].state in (State.UNANSWERED, State.INVALID)
        ]
        if missing:
            out[step] = missing
    return out


@dataclass(frozen=True)
class Estimate:
    """How long the check takes, as a range of minutes, and what it rests on."""

    questions: int  # asked, follow-ups included
    lookups: int  # of them, the ones to look up: flagged `lookup`, in the citizens' view every one
    low: int  # minutes: a fast respondent, follow-ups not shown
    high: int  # minutes: a slow respondent, every follow-up shown


def words(item: Item, lang: str, perspective: str) -> int:
    """The words a respondent reads for a question: the question, its help, its answers, and
    in the citizens' view the hint where to look."""
    parts = [item.text.get(lang), item.help.get(lang)]
    parts += [o.label.get(lang) for o in item.options] + [b.label.get(lang) for b in item.bands]
    if perspective == PERSPECTIVE_CITIZEN and item.public_hint is not None:
        parts.append(item.public_hint.get(lang))
    return sum(len(part.split()) for part in parts)


def _minutes(questionnaire: Questionnaire, asked: Iterable[Item], perspective: str, lang: str, pace: str) -> float:
    """Reading, answering and looking up ``asked`` at ``pace`` ("fast" or "slow"), in minutes."""
    timing = questionnaire.model.scoring.timing
    asked = list(asked)
    read = sum(words(i, lang, perspective) for i in asked) / getattr(timing.words_per_minute, pace)
    answer = len(asked) * getattr(timing.seconds_per_answer, pace) / 60
    if perspective == PERSPECTIVE_CITIZEN:
        return read + answer + len(asked) * getattr(timing.public_source_minutes, pace)
    return read + answer + sum(i.lookup for i in asked) * getattr(timing.lookup_minutes, pace)


def estimate(questionnaire: Questionnaire, domains: list[str], perspective: str, lang: str) -> Estimate:
    """From the words to read, an answer per question and the questions to look up (model.yaml
    ``scoring.timing``: those flagged `lookup`; in the citizens' view every question, in public
    sources); rounded outwards to five minutes."""
    items = [i for s in questionnaire.sections_for(domains) for i in questionnaire.items_for(s.id, perspective)]
    low = _minutes(questionnaire, [i for i in items if not i.show_if], perspective, lang, "fast")
    high = _minutes(questionnaire, items, perspective, lang, "slow")
    return Estimate(
        questions=len(items),
        lookups=len(items) if perspective == PERSPECTIVE_CITIZEN else sum(i.lookup for i in items),
        low=max(5, math.floor(low / 5) * 5),
        high=max(5, math.ceil(high / 5) * 5),
    )


@dataclass(frozen=True)
class MeasuredStep:
    """A step as people really answered it, next to its estimate (minutes)."""

    label: str  # "Übergreifend: Führung und Fachbereiche", "Mobilität (1/2)"
    perspective: str
    count: int
    median_minutes: float
    low: float  # the estimate's fast end, follow-ups not shown
    high: float  # its slow end, every follow-up shown


def measured_steps(
    questionnaire: Questionnaire, measured: Iterable[tuple[str, str, int, float]], lang: Lang, *, shown_from: int
) -> list[MeasuredStep]:
    """The measured steps (step id, view, count, median seconds) of at least ``shown_from``
    durations that the questionnaire still has, in the questionnaire's order, with the estimate."""
    rows: list[tuple[tuple[int, bool], MeasuredStep]] = []
    steps_of: dict[str, dict[str, tuple[int, Part]]] = {}  # per view: every step of every section, in order
    for step_id, perspective, count, median_seconds in measured:
        if count < shown_from:
            continue
        if perspective not in steps_of:
            every = (p for s in (GENERAL, *questionnaire.domain_ids) for p in parts(questionnaire, s, perspective))
            steps_of[perspective] = {part.id: (index, part) for index, part in enumerate(every)}
        if step_id not in steps_of[perspective]:
            continue  # a step of an earlier version of the questionnaire
        index, part = steps_of[perspective][step_id]
        low = _minutes(questionnaire, [i for i in part.items if not i.show_if], perspective, lang, "fast")
        high = _minutes(questionnaire, part.items, perspective, lang, "slow")
        shown = MeasuredStep(part_label(questionnaire, part, lang), perspective, count, median_seconds / 60, low, high)
        rows.append(((index, perspective == PERSPECTIVE_CITIZEN), shown))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def part_label(questionnaire: Questionnaire, part: Part, lang: Lang) -> str:
    """A step's name without its number: "Übergreifend: Führung und Fachbereiche", "Mobilität (1/2)"."""
    section = questionnaire.domain(part.section).name.get(lang)
    if part.topic is not None:
        return t("ui.steps.topic", lang, section=section, topic=part.topic.name.get(lang))
    if part.of > 1:
        return t("ui.steps.part", lang, section=section, part=part.number, parts=part.of)
    return section


def step_label(questionnaire: Questionnaire, steps: list[str], parts: Mapping[str, Part], name: str, lang: Lang) -> str:
    """A questions step's label: "3. Übergreifend: Führung und Fachbereiche", "5. Mobilität (1/2)".
    Without counts: the browser sends a selectbox's label back, and a label that changed since
    it was drawn would not match any option."""
    number = steps.index(name) + 1
    if name == REVIEW:
        return f"{number}. {t('ui.questions.review', lang)}"
    return f"{number}. {part_label(questionnaire, parts[name], lang)}"
