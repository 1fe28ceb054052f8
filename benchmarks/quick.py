"""The quick check, simulated: how many questions it asks until every chosen domain is settled.

For every persona of the validation panel (tests/personas/*.yaml) and 1,000 random answer
sets, a respondent who knows their answers goes through the quick check: each step shows
the next questions (:func:`ktmsc.quick.QuickState.next_questions`), the respondent answers
them as in the full answer set (a question the set leaves open is "don't know"), until every
chosen domain is settled or nothing is left to ask. Counted against the questions the full
check shows for the same answers; the quick result's types must be the full result's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.answers import POPULATION, random_answers
from benchmarks.report import Figure, Report, log
from ktmsc import quick
from ktmsc.instrument import get_questionnaire
from ktmsc.model.answers import item_states
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, Questionnaire
from ktmsc.model.schema import DONT_KNOW, GENERAL
from ktmsc.scoring import score

PANEL = Path(__file__).resolve().parent.parent / "tests" / "personas"
RANDOM_SETS = 1000


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, Any]
    domains: list[str]
    perspective: str = PERSPECTIVE_ADMIN
    population: int | None = POPULATION
    body_kind: str | None = None


@dataclass(frozen=True)
class Run:
    asked: int
    full: int
    mismatches: int  # domains whose quick type differs from the full type

    @property
    def share(self) -> float:
        return self.asked / self.full if self.full else 1.0


def personas(q: Questionnaire) -> list[Case]:
    cases = []
    for path in sorted(PANEL.glob("*.yaml")):
        p = yaml.safe_load(path.read_text(encoding="utf-8"))
        domains = q.ordered_domains(p["domains"])
        cases.append(
            Case(
                p["id"], p["answers"], domains, p.get("perspective", PERSPECTIVE_ADMIN), p["population"], p["body_kind"]
            )
        )
    return cases


def random_cases(q: Questionnaire, rng: random.Random, count: int = RANDOM_SETS) -> list[Case]:
    """Random answers (about 5 % "don't know", 5 % open) to one to three random domains."""
    return [
        Case(f"random-{n}", random_answers(q, rng), q.ordered_domains(rng.sample(q.domain_ids, rng.randint(1, 3))))
        for n in range(count)
    ]


def full_count(q: Questionnaire, case: Case) -> int:
    """The questions the full check shows for these answers (hidden follow-ups left out)."""
    states = item_states(q, case.answers, [GENERAL, *case.domains], case.perspective, case.population, case.body_kind)
    return sum(state.visible for state in states.values())


def simulate(q: Questionnaire, case: Case) -> Run:
    """Answer the quick check's steps from the case's answers until every domain is settled."""
    given: dict[str, Any] = {}
    asked = 0
    state = _state(q, case, given)
    while not state.all_settled and (step := state.next_questions()):
        for item_id in step:  # top to bottom; the page offers to finish as soon as all are settled
            given[item_id] = case.answers.get(item_id, DONT_KNOW)
            asked += 1
            state = _state(q, case, given)
            if state.all_settled:
                break
    full = score(q, case.answers, case.domains, case.perspective, case.population, body_kind=case.body_kind)
    ended = score(q, given, case.domains, case.perspective, case.population, body_kind=case.body_kind)
    mismatches = sum(
        ended.domains[d].type_id != full.domains[d].type_id for d in case.domains if ended.domains[d].stable
    )
    return Run(asked, full_count(q, case), mismatches)


# Foresight looks at this many of the quick check's next questions at every step.
FORESIGHT_CANDIDATES = 10


def _crossing(q: Questionnaire, case: Case, given: dict[str, Any]) -> float:
    """How far the open intervals still reach across their thresholds (points, summed): 0 when all are settled."""
    result = score(q, given, case.domains, case.perspective, case.population, body_kind=case.body_kind, detail=False)
    reach = 0.0
    for domain in result.domains.values():
        for dim_id in quick.open_axes(q, domain):
            dim, threshold = domain.dimensions[dim_id], q.threshold(dim_id)
            reach += min(dim.max - threshold, threshold - dim.min)
    return reach


def simulate_foresight(q: Questionnaire, case: Case) -> int:
    """Questions asked by a respondent who knows what every answer will do: at every step, of the
    quick check's next ``FORESIGHT_CANDIDATES`` questions the one whose answer narrows the crossing
    intervals most. No order the app can choose without knowing the answers does much better, so
    this says how far the "whole interval" rule itself lets the quick check go."""
    given: dict[str, Any] = {}
    asked = 0
    state = _state(q, case, given)
    while not state.all_settled and (step := state.next_questions(FORESIGHT_CANDIDATES)):
        best = min(step, key=lambda i: _crossing(q, case, {**given, i: case.answers.get(i, DONT_KNOW)}))
        given[best] = case.answers.get(best, DONT_KNOW)
        asked += 1
        state = _state(q, case, given)
    return asked


def _state(q: Questionnaire, case: Case, given: dict[str, Any]) -> quick.QuickState:
    return quick.state_of(q, given, case.domains, case.perspective, case.population, case.body_kind)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _mean_share(name: str, shares: list[float], note: str) -> Figure:
    """The mean of ``shares``, with their 90th percentile in the detail."""
    return Figure(
        name, sum(shares) / len(shares), "", samples=len(shares), note=note, detail={"p90": percentile(shares, 0.9)}
    )


def quick_check(report: Report, *, random_sets: int = RANDOM_SETS) -> None:
    q = get_questionnaire()
    cases = personas(q)
    panel = [simulate(q, case) for case in cases]
    foresight = [simulate_foresight(q, case) / run.full for case, run in zip(cases, panel, strict=True)]
    randoms = [simulate(q, case) for case in random_cases(q, random.Random(2026), random_sets)]
    shares = [r.share for r in panel]
    random_shares = [r.share for r in randoms]
    mismatches = sum(r.mismatches for r in panel + randoms)
    log(
        f"quick: panel asks {sum(r.asked for r in panel)} of {sum(r.full for r in panel)} questions; "
        f"random sets {sum(r.asked for r in randoms)} of {sum(r.full for r in randoms)}"
    )
    mean = sum(shares) / len(shares)
    report.add(
        Figure(
            "quick_share_mean",
            mean,
            "",
            budget="<= 0.5",
            samples=len(panel),
            note="panel: questions asked ÷ full check",
            detail={
                "asked_mean": sum(r.asked for r in panel) / len(panel),
                "full_mean": sum(r.full for r in panel) / len(panel),
            },
        )
    )
    report.add(
        Figure("quick_share_p90", percentile(shares, 0.9), "", samples=len(panel), note="panel, 90th percentile")
    )
    report.add(
        _mean_share(
            "quick_share_mean_foresight",
            foresight,
            "panel, the next question chosen knowing the answers: what the settle rule allows",
        )
    )
    report.add(_mean_share("quick_share_mean_random", random_shares, f"{len(randoms)} random answer sets, 1–3 domains"))
    report.add(
        Figure(
            "quick_type_mismatches",
            mismatches,
            "",
            budget="<= 0",
            samples=len(panel) + len(randoms),
            note="settled domains whose quick type differs from the full type",
        )
    )
