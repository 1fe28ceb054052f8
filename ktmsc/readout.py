"""The read-out of one assessment: everything the results page and the PDF report show,
computed once.

A :class:`Readout` is built from the questionnaire, the assessment and (for a follow-up)
the earlier assessment. The results page and the report render it and never recompute
any of it: the result and the earlier result, the changes between them, the advice per
domain, the open items that would sharpen each domain, the levers, the counts of answers
and the domains whose position rests on few answers. The CSV exports and the CLI read the
same scoring and the same labels (:mod:`ktmsc.labels`), so screen, paper and files agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ktmsc import history, wizard
from ktmsc.export import selected_sections
from ktmsc.model.answers import State
from ktmsc.model.assessment import Assessment
from ktmsc.model.questionnaire import Questionnaire, Section
from ktmsc.model.schema import Item, SizeType, Tip
from ktmsc.recommendations import Advice, Step, advise, cross_domain_steps, general_tips
from ktmsc.scoring import LEVERS_PER_DIMENSION, LOW_COVERAGE, DomainResult, Lever, Position, Result, score_assessment

# How many open questions each domain lists: the ones whose answers would move its interval most.
OPEN_ITEMS_SHOWN = 5


@dataclass(frozen=True)
class DomainReadout:
    """One domain: its result, advice, levers and open items, and its earlier result."""

    result: DomainResult
    advice: Advice
    levers: dict[str, tuple[Lever, ...]]  # per dimension, strongest first, LEVERS_PER_DIMENSION each
    open_items: tuple[str, ...]  # shown items without an answer, most weight first
    earlier: DomainResult | None

    @property
    def domain(self) -> str:
        return self.result.domain

    @property
    def low_coverage(self) -> bool:
        return self.result.coverage < LOW_COVERAGE

    @property
    def has_score(self) -> bool:
        return any(dim.score is not None for dim in self.result.dimensions.values())


@dataclass(frozen=True)
class Readout:
    questionnaire: Questionnaire
    assessment: Assessment
    result: Result
    size_type: SizeType | None
    domains: dict[str, DomainReadout]  # in the model's order
    general_tips: tuple[Tip, ...]
    cross_domain: tuple[Step, ...]  # first steps that serve every domain, shown once
    sections: list[tuple[Section, tuple[Item, ...]]]  # what was asked, in order
    numbers: dict[str, str]  # question numbers as the questions page shows them, "1.2" (none when hidden)
    unanswered: int  # shown questions without any answer ("don't know" counts as an answer)
    earlier_assessment: Assessment | None = None
    earlier: Result | None = None  # positions and types of the earlier assessment only

    @property
    def anything_answered(self) -> bool:
        return any(s.state is State.ANSWERED for s in self.result.states.values())

    @property
    def low_coverage(self) -> list[str]:
        """Domains whose position rests on few answers."""
        return [d for d, r in self.domains.items() if r.low_coverage]

    @property
    def unplaced(self) -> list[str]:
        """Domains without a type yet."""
        return [d for d, r in self.domains.items() if r.result.type_id is None]

    def answer_counts(self) -> tuple[int, int, int]:
        """Answered, "don't know", and shown questions."""
        shown = [s for s in self.result.states.values() if s.visible]
        answered = sum(s.state is State.ANSWERED for s in shown)
        dont_know = sum(s.state is State.DONT_KNOW for s in shown)
        return answered, dont_know, len(shown)

    def changes(self) -> list[history.Change]:
        """Per domain, the earlier and the current position (empty without an earlier assessment)."""
        return history.changes(self.questionnaire, self.earlier, self.result) if self.earlier else []

    def earlier_positions(self) -> dict[str, Position]:
        return history.positions(self.questionnaire, self.earlier) if self.earlier else {}


def open_items(result: Result, domain: DomainResult) -> tuple[str, ...]:
    """The shown items of a domain without a known answer, those that move its interval most
    first (their largest share of a dimension's weight), at most :data:`OPEN_ITEMS_SHOWN`."""
    share: dict[str, float] = {}
    for dim in domain.dimensions.values():
        if dim.total_weight <= 0:
            continue
        for contribution in dim.contributions:
            if contribution.state.known or not result.states[contribution.item_id].visible:
                continue
            part = contribution.weight / dim.total_weight
            share[contribution.item_id] = max(share.get(contribution.item_id, 0.0), part)
    ranked = sorted(share, key=lambda item_id: -share[item_id])  # stable: questionnaire order on ties
    return tuple(ranked[:OPEN_ITEMS_SHOWN])


def _without(advice: Advice, shown: tuple[Step, ...]) -> Advice:
    """A domain's advice without the paths already shown once as first steps for every domain."""
    ids = {s.recommendation.id for s in shown}
    paths = {dim: tuple(p for p in recs if p.id not in ids) for dim, recs in advice.paths.items()}
    return replace(advice, paths=paths)


def build_readout(questionnaire: Questionnaire, assessment: Assessment, earlier: Assessment | None = None) -> Readout:
    """Score the assessment and choose everything its results show."""
    result = score_assessment(questionnaire, assessment)
    profile = assessment.profile
    size_type = questionnaire.size_type_for(profile.population, profile.body_kind)
    where = questionnaire.municipality(profile.population, profile.body_kind)
    cross_domain = cross_domain_steps(questionnaire, result, where, assessment.answers)
    earlier_result = None
    if earlier is not None:
        # Positions and types of the earlier assessment only: its levers and contributions are not shown.
        shared = [d for d in result.domains if d in earlier.domains]
        earlier_result = score_assessment(questionnaire, earlier, shared, detail=False)
    domains = {
        domain_id: DomainReadout(
            result=domain,
            advice=_without(advise(questionnaire, result, domain_id, where, assessment.answers), cross_domain),
            levers={dim: d.levers[:LEVERS_PER_DIMENSION] for dim, d in domain.dimensions.items()},
            open_items=open_items(result, domain),
            earlier=earlier_result.domains.get(domain_id) if earlier_result else None,
        )
        for domain_id, domain in result.domains.items()
    }
    sections = selected_sections(questionnaire, list(result.domains), assessment.perspective)
    unanswered = sum(len(items) for items in wizard.unanswered(questionnaire, assessment, result.states).values())
    return Readout(
        questionnaire=questionnaire,
        assessment=assessment,
        result=result,
        size_type=size_type,
        domains=domains,
        general_tips=general_tips(questionnaire, result),
        cross_domain=cross_domain,
        sections=sections,
        numbers=wizard.question_numbers(questionnaire, assessment, result.states),
        unanswered=unanswered,
        earlier_assessment=earlier,
        earlier=earlier_result,
    )
