"""The shape of the content files, as pydantic models.

One model per kind of file: ``model.yaml`` (:class:`ModelFile`), a section of
questions (:class:`SectionFile`) and a recommendations file
(:class:`RecommendationsFile`). These models check the structure of one file;
rules that span files (conditions, coverage of every type × domain ...) live in
:mod:`ktmsc.content.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ktmsc.i18n import LANGS, Lang

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
GENERAL = "general"
DONT_KNOW = "dont_know"

Level = Literal["low", "high"]
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
    min_population: int = Field(ge=0)
    max_population: int | None = None


class Scoring(_Strict):
    thresholds: dict[str, float]
    general_share: float
    minutes_per_item: float = Field(gt=0)
    agreement_share: float = Field(gt=0, le=1)


class ContentRules(_Strict):
    min_general_items: int = Field(ge=0)
    min_domain_items: int = Field(ge=0)
    min_items_per_dimension: int = Field(ge=0)
    min_public_items_per_dimension: int = Field(ge=0)
    min_recommendations: int = Field(ge=0)
    min_paths: int = Field(ge=0)


class Profile(_Strict):
    body_kinds: list[Named] = Field(min_length=1)
    states: list[Named] = Field(min_length=1)
    size_types: list[SizeType] = Field(min_length=1)
    perspectives: list[Named] = Field(min_length=2)


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
    content_rules: ContentRules
    dimensions: list[Dimension]
    types: list[TypeDef]
    domains: list[Named]
    topics: list[Named]
    profile: Profile
    context: Context


# --- sections/*.yaml -------------------------------------------------------


class Option(_Strict):
    id: str
    label: L10n
    score: float
    exclusive: bool = False


class Band(_Strict):
    """One band of a number item: values up to ``up_to`` (inclusive) get ``score``."""

    up_to: float | None = None
    label: L10n
    score: float


class Condition(_Strict):
    """Show an item only if an earlier answer is one of ``any_of`` or at least ``at_least``."""

    item: str
    any_of: list[str] | None = None
    at_least: float | None = None


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
    show_if: list[Condition] = []

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


class SectionFile(_Strict):
    section: str
    intro: L10n
    items: list[Item] = Field(min_length=1)


# --- recommendations/*.yaml ---------------------------------------------------


class Recommendation(_Strict):
    id: str
    title: L10n
    text: L10n
    first_step: L10n
    roles: list[str] = []
    size_types: list[str] = []
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
    tips: list[Tip] = []


__all__ = [
    "DONT_KNOW",
    "GENERAL",
    "ID_PATTERN",
    "LANGS",
    "Band",
    "Condition",
    "ContentRules",
    "Context",
    "Dimension",
    "Item",
    "L10n",
    "ModelFile",
    "Named",
    "Option",
    "Profile",
    "Recommendation",
    "RecommendationsFile",
    "Scoring",
    "SectionFile",
    "SizeType",
    "Tip",
    "TypeDef",
]
