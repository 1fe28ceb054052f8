"""The read-out of one assessment: everything the results page and the PDF report show,
computed once.

A :class:`Readout` is built from the questionnaire, the assessment and (for a follow-up)
the earlier assessment. The results page and the report render it and never recompute
any of it: the result and the earlier result, the changes between them, the advice per
domain, the open items that would sharpen each domain, the levers, the counts of answers
and the domains whose position rests on few answers. The CSV exports and the CLI read the
same scoring and the same labels (:mod:`ktmsc.labels`), so screen, paper and files agree.

What the results lead with is chosen here once: the next steps (at most
``advice.next_steps`` of all first steps, or for the citizens' view the steps a citizen can
take, :mod:`ktmsc.outside`), and each piece of advice appears once (a next step is not
repeated further down; a tip goes with the recommendation its answer already calls for).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ktmsc import history, wizard
from ktmsc.export import selected_sections
from ktmsc.i18n import Lang
from ktmsc.labels import counted
from ktmsc.model.answers import State
from ktmsc.model.assessment import MODE_QUICK, Assessment
from ktmsc.model.questionnaire import Questionnaire, Section
from ktmsc.model.schema import Item, Recommendation, SizeType, Tip
from ktmsc.outside import OutsideView, outside_view
from ktmsc.quick import QuickState, quick_state, skipped_questions
from ktmsc.recommendations import Advice, Step, advise, cross_domain_steps, general_tips, next_steps, tips_with
from ktmsc.rounds.thresholds import InForce, thresholds_line
from ktmsc.scoring import LEVERS_PER_DIMENSION, LOW_COVERAGE, DomainResult, Lever, Position, Result, score_assessment
from ktmsc.texts import t

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
class SharedPath:
    """A path along an axis, once for all the domains that need it."""

    recommendation: Recommendation
    domains: tuple[str, ...]  # in the model's order


@dataclass(frozen=True)
class Readout:
    questionnaire: Questionnaire
    assessment: Assessment
    result: Result
    size_type: SizeType | None
    domains: dict[str, DomainReadout]  # in the model's order
    general_tips: tuple[Tip, ...]  # without those shown with a recommendation (tips_with)
    next_steps: tuple[Step, ...]  # what the results open with; empty where the perspective has its own
    cross_domain: tuple[Step, ...]  # the other first steps that serve every domain, shown once
    tips_with: dict[str, tuple[Tip, ...]]  # recommendation id → the tips shown with it
    paths: dict[str, tuple[SharedPath, ...]]  # per axis, the domains' paths, each once
    outside: OutsideView | None  # the citizens' view: what it cannot see and the steps she can take
    sections: list[tuple[Section, tuple[Item, ...]]]  # what was asked, in order
    numbers: dict[str, str]  # question numbers as the questions page shows them, "1.2" (none when hidden)
    unanswered: int  # shown questions without any answer ("don't know" counts as an answer)
    earlier_assessment: Assessment | None = None
    earlier: Result | None = None  # positions and types of the earlier assessment only
    quick: QuickState | None = None  # a quick check: settled or open per domain
    skipped: tuple[str, ...] = ()  # a quick check: the questions shown now it did not ask, in order
    # A comparison round's municipality: the round's thresholds (``questionnaire`` is split at them).
    thresholds: InForce | None = None

    def thresholds_note(self, lang: Lang) -> str | None:
        """Where the types are split, when a round splits at its median (the results and the
        report say it before any type); None where the model's fixed thresholds apply."""
        if self.thresholds is None or not self.thresholds.any_median:
            return None
        return thresholds_line(self.questionnaire, self.thresholds, lang)

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

    def domain_names(self, domain_ids: tuple[str, ...], lang: Lang) -> str:
        """The domains a step serves: "every domain assessed" when it is all of several, else their names."""
        if len(domain_ids) > 1 and set(domain_ids) == set(self.domains):
            return t("core.all_domains", lang)
        return ", ".join(self.questionnaire.domain(d).name.get(lang) for d in domain_ids)

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

    def earlier_targets(self) -> dict[str, str]:
        """The targets the earlier assessment set (domain id → type id), checked by the arrows."""
        return dict(self.earlier_assessment.targets) if self.earlier_assessment is not None else {}


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
    """A domain's advice without what is already shown as a step higher up: the next steps and
    the first steps for every domain."""
    ids = {s.recommendation.id for s in shown}
    return replace(
        advice,
        first_steps=tuple(s for s in advice.first_steps if s.recommendation.id not in ids),
        recommendations=tuple(r for r in advice.recommendations if r.id not in ids),
        paths={dim: tuple(p for p in recs if p.id not in ids) for dim, recs in advice.paths.items()},
    )


def _shown_once(
    leading: tuple[Step, ...], cross_domain: tuple[Step, ...], advice: dict[str, Advice], general: tuple[Tip, ...]
) -> tuple[dict[str, tuple[Tip, ...]], dict[str, Advice], tuple[Tip, ...]]:
    """Tips on an answer a shown recommendation already answers go with it: the tips by
    recommendation, and the domains' tips and the general tips without them."""
    recs = [s.recommendation for s in (*leading, *cross_domain)]
    for a in advice.values():
        recs += [s.recommendation for s in a.first_steps] + list(a.recommendations)
        recs += [p for paths in a.paths.values() for p in paths]
    tips = [*general, *(tip for a in advice.values() for tip in a.tips)]
    attached = tips_with(recs, tips)
    taken = {tip.id for found in attached.values() for tip in found}
    advice = {d: replace(a, tips=tuple(tip for tip in a.tips if tip.id not in taken)) for d, a in advice.items()}
    return attached, advice, tuple(tip for tip in general if tip.id not in taken)


def shared_paths(dimension_ids, advice: dict[str, Advice]) -> dict[str, tuple[SharedPath, ...]]:
    """The paths of all domains per axis, each once, with the domains that list it (the
    domains' own order of the paths, the first domain's first)."""
    out: dict[str, tuple[SharedPath, ...]] = {}
    for dim_id in dimension_ids:
        found: dict[str, tuple[Recommendation, list[str]]] = {}
        for domain_id, a in advice.items():
            for path in a.paths.get(dim_id, ()):
                found.setdefault(path.id, (path, []))[1].append(domain_id)
        if found:
            out[dim_id] = tuple(SharedPath(rec, tuple(domains)) for rec, domains in found.values())
    return out


def build_readout(
    questionnaire: Questionnaire,
    assessment: Assessment,
    earlier: Assessment | None = None,
    thresholds: InForce | None = None,
) -> Readout:
    """Score the assessment and choose everything its results show.

    For a comparison round's municipality, ``questionnaire`` is the one split at the round's
    thresholds in force and ``thresholds`` says where they come from (:mod:`ktmsc.rounds.thresholds`)."""
    result = score_assessment(questionnaire, assessment)
    profile = assessment.profile
    size_type = questionnaire.size_type_for(profile.population, profile.body_kind)
    where = questionnaire.municipality(profile.population, profile.body_kind)
    cross_domain = cross_domain_steps(questionnaire, result, where, assessment.answers)
    advice = {
        domain_id: _without(advise(questionnaire, result, domain_id, where, assessment.answers), cross_domain)
        for domain_id in result.domains
    }
    outside = outside_view(questionnaire, assessment, result)
    leading: tuple[Step, ...] = ()
    if outside is None or not outside.steps:
        leading = next_steps(cross_domain, advice.values(), questionnaire.model.advice.next_steps)
    advice = {d: _without(a, leading) for d, a in advice.items()}
    led = {s.recommendation.id for s in leading}
    cross_domain = tuple(s for s in cross_domain if s.recommendation.id not in led)
    attached, advice, tips = _shown_once(leading, cross_domain, advice, general_tips(questionnaire, result))
    earlier_result = None
    if earlier is not None:
        # Positions and types of the earlier assessment only: its levers and contributions are not shown.
        shared = [d for d in result.domains if d in earlier.domains]
        earlier_result = score_assessment(questionnaire, earlier, shared, detail=False)
    domains = {
        domain_id: DomainReadout(
            result=domain,
            advice=advice[domain_id],
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
        general_tips=tips,
        next_steps=leading,
        cross_domain=cross_domain,
        tips_with=attached,
        paths=shared_paths(questionnaire.dimension_ids, advice),
        outside=outside,
        sections=sections,
        numbers=wizard.question_numbers(questionnaire, assessment, result.states),
        unanswered=unanswered,
        earlier_assessment=earlier,
        earlier=earlier_result,
        **_quick(questionnaire, assessment, result),
        thresholds=thresholds,
    )


def quick_note(readout: Readout, lang: Lang) -> str | None:
    """A quick check's result in one sentence: how many questions it did not ask and that the
    types are settled, or which domains are still open; None for the full check. The screen
    puts ``core.quick.label`` in bold before it, the PDF plainly."""
    state = readout.quick
    if state is None:
        return None
    if state.all_settled:
        return counted("core.quick.result_settled", len(readout.skipped), lang)
    names = ", ".join(
        readout.questionnaire.domain(s.domain).name.get(lang) for s in state.settlements.values() if not s.settled
    )
    return t("core.quick.result_open", lang, domains=names)


def _quick(questionnaire: Questionnaire, assessment: Assessment, result: Result) -> dict:
    """For a quick check, where each domain stands and what it did not ask."""
    if assessment.profile.mode != MODE_QUICK:
        return {}
    return {
        "quick": quick_state(questionnaire, result, assessment.perspective),
        "skipped": skipped_questions(questionnaire, assessment, result.states),
    }
