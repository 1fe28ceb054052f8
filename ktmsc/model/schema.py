"""The shape of the content files, as pydantic models.

One model per kind of file: ``model.yaml`` (:class:`ModelFile`), a section of
questions (:class:`SectionFile`), a recommendations file
(:class:`RecommendationsFile`) and the invented example municipality
(:class:`ExampleFile`). These models check the structure of one file;
rules that span files (conditions, coverage of every type × domain ...) live in
:mod:`ktmsc.content.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ktmsc.i18n import LANGS, Lang

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
GENERAL = "general"
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"  # "not our task": offered where an item says so (Item.not_applicable)
RESERVED_ANSWERS = frozenset({DONT_KNOW, NOT_APPLICABLE})

Level = Literal["low", "high"]
# Where a comparison round splits a dimension into low and high (ktmsc.rounds.thresholds):
# the model's fixed ``scoring.thresholds``, or the round's median on the dimension.
ThresholdBasis = Literal["fixed", "median"]
THRESHOLD_BASES: tuple[str, ...] = get_args(ThresholdBasis)
THRESHOLD_FIXED, THRESHOLD_MEDIAN = THRESHOLD_BASES
ItemType = Literal["single", "multi", "number"]


class _Strict(BaseModel):
    # Strict: a quoted number in YAML is an authoring mistake, not a number.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class L10n(_Strict):
    """A text in every language the product speaks."""

    de: str
    en: str

    def get(self, lang: Lang) -> str:
        return getattr(self, lang)

    def __getitem__(self, lang: Lang) -> str:
        return self.get(lang)


class Named(_Strict):
    id: str
    name: L10n
    description: L10n | None = None


# --- model.yaml -------------------------------------------------------------


class Dimension(_Strict):
    id: str
    axis: Literal["x", "y"]
    short: L10n
    name: L10n
    description: L10n
    low: L10n
    high: L10n


class TypeDef(_Strict):
    id: str
    quadrant: dict[str, Level]
    name: L10n
    gist: L10n
    characteristics: L10n
    behaviour: L10n
    opportunities: list[L10n] = Field(min_length=1)
    challenges: list[L10n] = Field(min_length=1)
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")


class SizeType(_Strict):
    id: str
    name: L10n
    scheme: str  # the size scheme it belongs to (SizeScheme.id)
    min_population: int = Field(ge=0)
    max_population: int | None = None


class SizeScheme(_Strict):
    """A way to size a kind of body: BBSR city and municipality types for municipalities and
    their associations, population bands of their own for Landkreise and regions."""

    id: str
    name: L10n
    description: L10n


class BodyKind(_Strict):
    id: str
    name: L10n
    size_scheme: str  # SizeScheme.id
    description: L10n | None = None


class Span(_Strict):
    """A quick and a slow respondent's figure (minutes, seconds or words per minute)."""

    fast: float = Field(gt=0)
    slow: float = Field(gt=0)


class Timing(_Strict):
    """How long the check takes: words to read, an answer to choose, a question to look up."""

    words_per_minute: Span  # reading administrative text: fast > slow
    seconds_per_answer: Span  # choosing once the question is read
    lookup_minutes: Span  # a question flagged `lookup`: counting, or asking another office
    public_source_minutes: Span  # the citizens' view: each question is looked up in public sources


class Scoring(_Strict):
    thresholds: dict[str, float]
    general_share: dict[str, float]  # per dimension: the general section's share of a domain score
    timing: Timing
    agreement_share: float = Field(gt=0, le=1)
    # Workshops: a participant counts in a domain's group once this share of the domain's own
    # questions is answered ("not our task" counts as an answer, "don't know" does not).
    placed_share: float = Field(gt=0, le=1)
    # Workshops: a participant's device shows a domain's group point from this many placed participants.
    group_min_shown: int = Field(ge=2, le=100)
    # A legal duty (Item.mandatory) may load on these dimensions only: doing what the law
    # requires shows capacity, not willingness to change.
    duty_dimensions: list[str] = Field(min_length=1)


class Rounds(_Strict):
    """Comparison rounds (ktmsc.rounds): no figure describes fewer municipalities than this."""

    min_group: int = Field(ge=2, le=100)
    # Per dimension, the threshold a new round splits its types at unless its host chooses
    # otherwise: "fixed" (scoring.thresholds) or "median" (the round's median).
    thresholds: dict[str, ThresholdBasis]


class Advice(_Strict):
    """How much advice the results lead with."""

    first_steps_per_domain: int = Field(ge=1, le=5)
    cross_domain_first_steps: int = Field(ge=0, le=5)
    next_steps: int = Field(ge=1, le=5)  # the results open with at most this many first steps in all


class ContentRules(_Strict):
    min_general_items: int = Field(ge=0)
    min_domain_items: int = Field(ge=0)
    min_items_per_dimension: int = Field(ge=0)
    min_public_items_per_dimension: int = Field(ge=0)
    min_recommendations: int = Field(ge=0)
    min_paths: int = Field(ge=0)


class ViewStep(_Strict):
    """A step the respondent of a perspective can take themselves (the citizens' view: ask,
    request documents, bring the evidence to the council), listing the questions it is ``about``:
    those the view cannot see, those left open, or the weakest answers."""

    id: str
    title: L10n
    text: L10n
    about: Literal["unseen", "open", "weak"]


class Perspective(Named):
    next_steps: list[ViewStep] = []  # instead of the administration's first steps, where given


class Profile(_Strict):
    body_kinds: list[BodyKind] = Field(min_length=1)
    states: list[Named] = Field(min_length=1)
    size_schemes: list[SizeScheme] = Field(min_length=1)  # the first applies while the body kind is unknown
    size_types: list[SizeType] = Field(min_length=1)
    perspectives: list[Perspective] = Field(min_length=2)


class Context(_Strict):
    """Background from the publication, in our words, for the method page and reports."""

    roles: list[Named]
    goals: list[Named]
    drivers: list[Named]
    charta_guidelines: list[Named]
    governance_options: list[Named]


class ModelFile(_Strict):
    version: str
    title: L10n
    general: Named
    scoring: Scoring
    advice: Advice
    plan: Plan
    rounds: Rounds
    who_counts: L10n  # the one rule of what counts as "the municipality", shown with the questions
    content_rules: ContentRules
    dimensions: list[Dimension]
    types: list[TypeDef]
    domains: list[Named]
    topics: list[Named]
    profile: Profile
    context: Context


# --- sections/*.yaml -------------------------------------------------------


Effort = Literal["low", "medium", "high"]


class Option(_Strict):
    id: str
    label: L10n
    score: float
    exclusive: bool = False
    # What it takes to reach this answer from the next weaker one (a multiple choice: to add
    # it): roughly a decision, a project, a programme with posts and money. Unset: medium.
    effort: Effort | None = None


class Band(_Strict):
    """One band of a number item: values up to ``up_to`` (inclusive) get ``score``."""

    up_to: float | None = None
    label: L10n
    score: float
    effort: Effort | None = None  # what it takes to reach this band from the one below (unset: medium)


class Condition(_Strict):
    """Show an item only if an earlier answer is one of ``any_of`` or at least ``at_least``."""

    item: str
    any_of: list[str] | None = None
    at_least: float | None = None


class Plan(_Strict):
    """How the shortest way to a target weighs its measures (ktmsc.plan)."""

    effort_costs: dict[Effort, float]  # cost of one step of each effort class
    # Under these answers (e.g. budget consolidation) a high-effort step costs this much more:
    # new posts and programmes are what a supervisory authority refuses first.
    strained_if: list[Condition] = []
    strained_high_factor: float = Field(default=1, ge=1)
    max_nodes: int = Field(default=200_000, ge=1)  # the search's limit; reached: not proven shortest


class NotApplicable(_Strict):
    """Offer "not our task" for the body kinds that may not have the task at all."""

    body_kinds: list[str] = Field(min_length=1)
    why: L10n  # whose task it is instead, e.g. "the Landkreis is the school authority"


class Item(_Strict):
    id: str
    type: ItemType = "single"
    text: L10n
    help: L10n
    tags: list[str] = Field(min_length=1)
    weights: dict[str, float]
    public: bool
    public_hint: L10n | None = None
    options: list[Option] = []
    bands: list[Band] = []
    unit: L10n | None = None
    per_inhabitants: int | None = Field(default=None, gt=0)
    size_bands: dict[str, list[Band]] = {}  # bands per size type id; `bands` where the size type is unknown
    show_if: list[Condition] = []
    # Answering needs looking something up: counting (posts, applications, systems) or asking
    # another office or the municipality's own companies. The time estimate counts it.
    lookup: bool = False
    rationale: L10n | None = None  # why the item loads on its dimension(s); required by rule I016
    mandatory: L10n | None = None  # the legal duty the item asks about (law and deadline)
    not_applicable: NotApplicable | None = None
    # False: a condition the municipality cannot change by a measure of its own within a plan's
    # two years (its budget situation); the shortest way to a target never proposes it.
    measure: bool = True

    @field_validator("weights")
    @classmethod
    def _weights_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        for dim, weight in value.items():
            if not 0 <= weight <= 10:
                raise ValueError(f"weight {weight} for {dim} must lie between 0 and 10")
        return value

    def weight(self, dimension: str) -> float:
        return self.weights.get(dimension, 0.0)

    def primary_dimensions(self, dims: Sequence[str]) -> set[str]:
        """The dimensions the item loads on most (both, when the weights are equal; none without weight)."""
        top = max(self.weight(d) for d in dims)
        return {d for d in dims if top > 0 and self.weight(d) == top}

    def bands_for(self, size_type: str | None) -> list[Band]:
        """The bands a number answer is judged by: those of the size type, else the default."""
        return self.size_bands.get(size_type, self.bands) if size_type else self.bands

    def offers_not_applicable(self, body_kind: str | None) -> bool:
        """Whether "not our task" is an answer here: for the listed body kinds, and while the
        body kind is not known."""
        return self.not_applicable is not None and (body_kind is None or body_kind in self.not_applicable.body_kinds)

    @cached_property
    def min_score(self) -> float:
        scores = [o.score for o in self.options] or [b.score for b in self.bands]
        if self.type == "multi":
            exclusive = [o.score for o in self.options if o.exclusive]
            return min(exclusive or [0.0])
        return min(scores)

    @cached_property
    def max_score(self) -> float:
        if self.type == "multi":
            return min(1.0, sum(o.score for o in self.options if not o.exclusive))
        scores = [o.score for o in self.options] or [b.score for b in self.bands]
        return max(scores)

    def option(self, option_id: str) -> Option | None:
        return self.options_by_id.get(option_id)

    @cached_property
    def options_by_id(self) -> dict[str, Option]:
        # Scoring looks options up for every answer of every assessment; computed once.
        return {option.id: option for option in self.options}


class Topic(_Strict):
    """A step of a section: consecutive items under a name ("Budget and funding")."""

    id: str
    name: L10n
    items: list[str] = Field(min_length=1)


class SectionFile(_Strict):
    section: str
    intro: L10n
    items: list[Item] = Field(min_length=1)
    # The section's steps; without topics, a section longer than a step is split into equal parts.
    topics: list[Topic] = []


# --- recommendations/*.yaml ---------------------------------------------------


class Trigger(_Strict):
    """An answer that calls for a recommendation: ``item`` answered with a score of at most
    ``max_score``. When every trigger's item is answered above it, the advice is done."""

    item: str
    max_score: float


class Recommendation(_Strict):
    id: str
    title: L10n
    text: L10n
    first_step: L10n
    triggers: list[Trigger] = []  # required by rule R008
    roles: list[str] = []
    size_types: list[str] = []
    body_kinds: list[str] = []  # only for these kinds of body (empty: for all)
    not_if: list[Condition] = []  # never when an answer says so (e.g. under budget consolidation)
    only_if: list[Condition] = []  # only when every one of these answers says so
    topics: list[str] = []


class Tip(_Strict):
    """Advice shown when the answer to ``item`` scores at most ``max_score``."""

    id: str
    item: str
    max_score: float
    text: L10n


class RecommendationsFile(_Strict):
    section: str
    by_type: dict[str, list[Recommendation]] = {}
    paths: dict[str, list[Recommendation]] = {}
    cross_domain: list[Recommendation] = []  # general file only: advice shown once, for every domain
    tips: list[Tip] = []


# --- example.yaml -------------------------------------------------------------


class ExampleProfile(_Strict):
    body_kind: str
    state: str
    population: int = Field(ge=0)
    perspective: Literal["verwaltung", "buergerin"] = "verwaltung"


class ExampleParticipant(_Strict):
    role: L10n


class ExampleWorkshop(_Strict):
    """The example's workshop: its title and who takes part; the answers are made from the
    example's own (:mod:`ktmsc.example`)."""

    title: L10n
    participants: list[ExampleParticipant] = Field(min_length=2, max_length=30)


class ExampleFile(_Strict):
    """An invented municipality anyone can look at before answering: its name (which says it
    is invented), profile, domains and an answer per item it is asked."""

    name: L10n
    summary: L10n  # who the municipality is, in two sentences (shown where the example is offered)
    profile: ExampleProfile
    domains: list[str] = Field(min_length=1)
    answers: dict[str, str | list[str] | int | float]
    workshop: ExampleWorkshop


__all__ = [
    "DONT_KNOW",
    "GENERAL",
    "ID_PATTERN",
    "LANGS",
    "NOT_APPLICABLE",
    "RESERVED_ANSWERS",
    "Advice",
    "Band",
    "BodyKind",
    "Condition",
    "ContentRules",
    "Context",
    "Dimension",
    "ExampleFile",
    "ExampleParticipant",
    "ExampleProfile",
    "ExampleWorkshop",
    "Item",
    "L10n",
    "ModelFile",
    "Named",
    "NotApplicable",
    "Option",
    "Perspective",
    "Profile",
    "Recommendation",
    "RecommendationsFile",
    "Scoring",
    "SectionFile",
    "SizeScheme",
    "SizeType",
    "Tip",
    "Trigger",
    "TypeDef",
    "ViewStep",
]
