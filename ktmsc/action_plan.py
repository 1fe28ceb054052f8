"""The action plan: measures that someone owns, and whether the next assessment shows them done.

Accepted measures (the proposal's, or answers changed in "what if") become
:class:`~ktmsc.model.assessment.PlanEntry` objects: what (an item of a domain moved to a
stronger answer), who (a role or a unit), by when, status (planned / under way / done /
dropped) and a note, all plain text. An entry's id is derived from its domain, item and
answer (:func:`entry_id`), so accepting the same measure twice adds it once.

The results page, the PDF report and the CSV show the same :class:`PlanLine` texts. A
follow-up assessment checks its predecessor's plan (:func:`follow_up`): an entry counts as
happened when the item's answer now scores at least what the entry's answer scores (the
scoring's own item score, so a multiple choice with more ticked, or a number in a higher
band, counts too), and per domain the target is set against the type reached.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ktmsc.i18n import Lang
from ktmsc.labels import NO_VALUE, answer_label, fmt_date
from ktmsc.model.answers import State, answer_score
from ktmsc.model.assessment import Assessment, PlanEntry
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.scoring import DomainResult, Result
from ktmsc.texts import t


def entry_id(domain: str, item_id: str, to_value: Any) -> str:
    """The id of the entry that moves ``item_id`` of ``domain`` to ``to_value``: the same measure, the same id."""
    text = json.dumps([domain, item_id, to_value], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entries_from(domain: str, measures: Iterable[tuple[str, Any]]) -> list[PlanEntry]:
    """Plan entries, status planned, for (item id, stronger answer) pairs of one domain."""
    return [
        PlanEntry(id=entry_id(domain, item_id, value), domain=domain, item_id=item_id, to_value=value)
        for item_id, value in measures
    ]


@dataclass(frozen=True)
class PlanLine:
    """One plan entry as people read it."""

    entry_id: str
    what: str  # the question and the answer to reach: "Question → answer"
    who: str
    due: str
    status: str
    note: str


def what_text(questionnaire: Questionnaire, entry: PlanEntry, lang: Lang) -> str:
    item = questionnaire.items.get(entry.item_id)
    if item is None:  # a content update removed the question: the entry stays, named by its id
        return entry.item_id
    return f"{item.text.get(lang)} → {answer_label(item, entry.to_value, lang)}"


def plan_lines(questionnaire: Questionnaire, assessment: Assessment, domain: str, lang: Lang) -> list[PlanLine]:
    """The domain's plan entries, in the order they were made."""
    return [
        PlanLine(
            entry_id=entry.id,
            what=what_text(questionnaire, entry, lang),
            who=entry.who or NO_VALUE,
            due=fmt_date(entry.due, lang),
            status=t(f"plan.status.{entry.status}", lang),
            note=entry.note,
        )
        for entry in assessment.plan
        if entry.domain == domain
    ]


@dataclass(frozen=True)
class CheckLine:
    """An entry of the earlier plan, and whether the current answers say it happened."""

    domain: str
    what: str
    status_then: str  # the status the earlier plan gave it
    happened: bool
    now: str  # the current answer


@dataclass(frozen=True)
class TargetCheck:
    domain: str
    target: str  # the earlier target's type name
    reached: str  # the type now ("–" without one)
    met: bool  # stable in the target now


def happened(questionnaire: Questionnaire, assessment: Assessment, entry: PlanEntry) -> bool:
    """The item's answer now scores at least what the entry's answer scores."""
    item = questionnaire.items.get(entry.item_id)
    if item is None:
        return False
    where = questionnaire.municipality(assessment.profile.population, assessment.profile.body_kind)
    goal = answer_score(item, entry.to_value, where)
    now = answer_score(item, assessment.answers.get(entry.item_id), where)
    if goal.state is not State.ANSWERED or now.state is not State.ANSWERED:
        return False
    return (now.score or 0.0) >= (goal.score or 0.0) - 1e-9


def target_met(domain: DomainResult, type_id: str) -> bool:
    """Whether a domain reached a target type: it stands there, and stably (its whole interval)."""
    return domain.type_id == type_id and domain.stable


def follow_up(
    questionnaire: Questionnaire, earlier: Assessment, current: Assessment, result: Result, lang: Lang
) -> tuple[list[CheckLine], list[TargetCheck]]:
    """The earlier plan's entries checked against the current answers, and per domain of
    both the earlier target against the type reached now."""
    checks = []
    for entry in earlier.plan:
        item = questionnaire.items.get(entry.item_id)
        value = current.answers.get(entry.item_id)
        checks.append(
            CheckLine(
                domain=entry.domain,
                what=what_text(questionnaire, entry, lang),
                status_then=t(f"plan.status.{entry.status}", lang),
                happened=happened(questionnaire, current, entry),
                now=answer_label(item, value, lang) if item is not None and value is not None else NO_VALUE,
            )
        )
    targets = []
    for domain, type_id in earlier.targets.items():
        now = result.domains.get(domain)
        if now is None or type_id not in questionnaire.types:
            continue
        targets.append(
            TargetCheck(
                domain=domain,
                target=questionnaire.types[type_id].name.get(lang),
                reached=questionnaire.types[now.type_id].name.get(lang) if now.type_id else NO_VALUE,
                met=target_met(now, type_id),
            )
        )
    return checks, targets


def improvements(
    questionnaire: Questionnaire, assessment: Assessment, changes: dict[str, Any]
) -> list[tuple[str, Any]]:
    """The hypothetical answers ("what if") that are measures: each scores higher than the
    real answer (or the question had no known answer)."""
    where = questionnaire.municipality(assessment.profile.population, assessment.profile.body_kind)
    out = []
    for item_id, value in changes.items():
        item = questionnaire.items.get(item_id)
        if item is None or value is None:
            continue
        goal = answer_score(item, value, where)
        now = answer_score(item, assessment.answers.get(item_id), where)
        if goal.state is State.ANSWERED and (now.state is not State.ANSWERED or (goal.score or 0) > (now.score or 0)):
            out.append((item_id, value))
    return out
