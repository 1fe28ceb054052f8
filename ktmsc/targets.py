"""The two-year target of a domain, read out: the proposal in plain words, and "what if".

A domain with a target (``Assessment.targets``: domain id → type id) gets the proposal of
:func:`ktmsc.plan.shortest_way`, computed once per answers and target (:func:`proposal`
keeps the last ones: a far target costs the search a second or more, and the results rerun
on every click). The results page, the PDF report and the CSV export show the same
:class:`TargetReadout`: every number spelled by :mod:`ktmsc.labels`, every text a plain
sentence of the locale; they only lay it out.

"What if" (:func:`what_if`) scores hypothetical answers of one domain on a copy: the
assessment and what is stored are never touched.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ktmsc.i18n import Lang
from ktmsc.labels import answer_label, fmt_gain, fmt_number, fmt_range, status_label
from ktmsc.model.answers import item_states
from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import Item
from ktmsc.plan import Proposal, shortest_way
from ktmsc.scoring import DomainResult, score
from ktmsc.texts import t

PROPOSALS_KEPT = 256  # proposals remembered per process (a few kB each)

_kept: OrderedDict[tuple[str, ...], Proposal] = OrderedDict()
_kept_lock = threading.Lock()


def _key(assessment: Assessment, domain: str, target: str) -> tuple[str, ...]:
    return (
        domain,
        target,
        json.dumps(assessment.profile.model_dump(mode="json"), sort_keys=True),
        json.dumps(assessment.answers, sort_keys=True, ensure_ascii=False),
    )


def proposal(questionnaire: Questionnaire, assessment: Assessment, domain: str) -> Proposal | None:
    """The shortest way to the domain's target; None when it has none (or not one this
    questionnaire knows). The same answers and target give the proposal computed before."""
    target = assessment.targets.get(domain)
    if target not in questionnaire.types or domain not in assessment.domains:
        return None
    key = (questionnaire.version or "", *_key(assessment, domain, target))
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    found = shortest_way(questionnaire, assessment, domain, target)
    with _kept_lock:
        _kept[key] = found
        while len(_kept) > PROPOSALS_KEPT:
            _kept.popitem(last=False)
    return found


@dataclass(frozen=True)
class MeasureLine:
    """One measure as people read it: the question, from which answer to which, effort, points."""

    item_id: str
    question: str
    change: str  # "from → to"
    effort: str
    points: str  # per axis, "LF +6,0 · VB ±0,0"


@dataclass(frozen=True)
class TargetReadout:
    """A domain's target and the way there, every part a finished text."""

    domain: str
    target: str  # type id
    target_name: str
    status: str  # reached | proposed | unreachable (as Proposal.status)
    verdict: str  # one sentence: reached, the way, or why there is none
    measures: tuple[MeasureLine, ...]
    today: str  # "LF 38 (35–41) · VB 48 – Bewahrerin, stabil"
    projected: str
    effort: str  # the total cost in words ("Aufwand 8")
    proposal: Proposal


def place_text(questionnaire: Questionnaire, result: DomainResult, lang: Lang) -> str:
    """Where a domain stands: each axis's score with its interval, then its type and status."""
    axes = " · ".join(
        f"{questionnaire.dimension(d).short.get(lang)} "
        f"{fmt_range(dim.score, dim.min, dim.max, lang, questionnaire.threshold(d))}"
        for d, dim in result.dimensions.items()
    )
    kind = questionnaire.types[result.type_id].name.get(lang) if result.type_id else t("plan.no_type", lang)
    return f"{axes} – {kind}, {status_label(result, lang)}" if result.type_id else f"{axes} – {kind}"


def _verdict(questionnaire: Questionnaire, found: Proposal, lang: Lang, numbers: Mapping[str, str]) -> str:
    name = questionnaire.types[found.target].name.get(lang)
    if found.status == "reached":
        return t("plan.verdict.reached", lang, target=name)
    if found.status == "proposed":
        key = "plan.verdict.proposed" if found.proven else "plan.verdict.not_proven"
        return t(key, lang, target=name, count=fmt_number(len(found.measures), lang))
    if found.reason == "open":
        questions = "; ".join(_question(questionnaire, i, lang, numbers) for i in found.open_items)
        return t("plan.verdict.open", lang, target=name, questions=questions)
    key = "plan.verdict.beyond" if found.proven else "plan.verdict.not_found"
    return t(key, lang, target=name)


def _question(questionnaire: Questionnaire, item_id: str, lang: Lang, numbers: Mapping[str, str]) -> str:
    text = questionnaire.items[item_id].text.get(lang)
    number = numbers.get(item_id)
    return f"{number} {text}" if number else text


def target_readout(
    questionnaire: Questionnaire, assessment: Assessment, domain: str, lang: Lang, numbers: Mapping[str, str] = {}
) -> TargetReadout | None:
    """The domain's target read out (None without a target); ``numbers``: question numbers
    as the questions page shows them."""
    found = proposal(questionnaire, assessment, domain)
    if found is None:
        return None
    lines = []
    for m in found.measures:
        item = questionnaire.items[m.item_id]
        points = " · ".join(
            f"{questionnaire.dimension(d).short.get(lang)} {fmt_gain(g, lang)}" for d, g in m.gains.items()
        )
        lines.append(
            MeasureLine(
                item_id=m.item_id,
                question=_question(questionnaire, m.item_id, lang, numbers),
                change=f"{answer_label(item, m.from_value, lang)} → {answer_label(item, m.to_value, lang)}",
                effort=t(f"plan.effort.{m.effort}", lang),
                points=points,
            )
        )
    return TargetReadout(
        domain=domain,
        target=found.target,
        target_name=questionnaire.types[found.target].name.get(lang),
        status=found.status,
        verdict=_verdict(questionnaire, found, lang, numbers),
        measures=tuple(lines),
        today=place_text(questionnaire, found.before, lang),
        projected=place_text(questionnaire, found.after, lang),
        effort=t(
            "plan.total_effort",
            lang,
            cost=fmt_number(found.cost, lang),
            **{k: fmt_number(v, lang) for k, v in questionnaire.model.plan.effort_costs.items()},
        ),
        proposal=found,
    )


def _hypothetical(assessment: Assessment, changes: Mapping[str, Any]) -> dict[str, Any]:
    answers = {**assessment.answers}
    for item_id, value in changes.items():
        if value is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = value
    return answers


def what_if_items(
    questionnaire: Questionnaire, assessment: Assessment, domain: str, changes: Mapping[str, Any]
) -> tuple[Item, ...]:
    """The domain's questions as they would be asked with ``changes``: a follow-up appears
    once its gate's hypothetical answer opens it."""
    profile = assessment.profile
    states = item_states(
        questionnaire,
        _hypothetical(assessment, changes),
        [domain],
        assessment.perspective,
        profile.population,
        profile.body_kind,
    )
    return tuple(questionnaire.items[i] for i, state in states.items() if state.visible)


def what_if(
    questionnaire: Questionnaire, assessment: Assessment, domain: str, changes: Mapping[str, Any]
) -> DomainResult:
    """The domain scored with ``changes`` (item id → hypothetical answer; None: no answer) in
    place of the real answers: on a copy, so nothing hypothetical reaches the assessment."""
    answers = _hypothetical(assessment, changes)
    profile = assessment.profile
    return score(
        questionnaire,
        answers,
        [domain],
        assessment.perspective,
        profile.population,
        body_kind=profile.body_kind,
        detail=False,
    ).domains[domain]
