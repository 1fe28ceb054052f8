"""The loaded questionnaire: model configuration, sections, items and recommendations.

Built by the content loader (:mod:`ktmsc.content`) after validation; everything else
reads content through this object. Its content is immutable and it is safe to share
between sessions; what is derived from it (the items a perspective is asked, the weights
of a domain score, chart templates, memoised scores) lives in its one memo,
:meth:`Questionnaire.memo`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

from ktmsc.model.schema import (
    GENERAL,
    Dimension,
    ExampleFile,
    Item,
    ModelFile,
    Named,
    Recommendation,
    SizeType,
    Tip,
    Topic,
    TypeDef,
)

PERSPECTIVE_ADMIN = "verwaltung"
PERSPECTIVE_CITIZEN = "buergerin"

T = TypeVar("T")


@dataclass(frozen=True)
class Municipality:
    """What an answer is judged against: the population (per-inhabitant numbers), the kind of
    body ("not our task" is offered by body kind) and the size type (size-relative bands)."""

    population: int | None = None
    body_kind: str | None = None
    size_type: str | None = None


UNKNOWN_MUNICIPALITY = Municipality()


@dataclass(frozen=True)
class Section:
    id: str
    name: Named
    intro: object
    items: tuple[Item, ...]
    topics: tuple[Topic, ...] = ()  # its steps, when the content names them

    @property
    def is_general(self) -> bool:
        return self.id == GENERAL


@dataclass(frozen=True)
class Questionnaire:
    model: ModelFile
    sections: tuple[Section, ...]
    recommendations_by_type: dict[tuple[str, str], tuple[Recommendation, ...]]
    paths: dict[str, tuple[Recommendation, ...]]
    tips: tuple[Tip, ...]
    cross_domain: tuple[Recommendation, ...] = ()  # advice that fits every domain, shown once
    source: str = ""
    example: ExampleFile | None = None  # the invented municipality of example.yaml, where there is one
    _memo: dict = field(default_factory=dict, compare=False, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """Data derived from this questionnaire, built once per key and kept with it.

        Keys are tuples whose first part names the kind of data (``"weights"``,
        ``"chart"``, ``"workshop.scores"`` …). ``build`` runs outside the lock; when two
        threads build the same key at once, the first result stored wins.
        """
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = build()
        with self._memo_lock:
            return self._memo.setdefault(key, value)

    # --- model ---------------------------------------------------------------

    @property
    def version(self) -> str:
        return self.model.version

    @cached_property
    def dimensions(self) -> tuple[Dimension, ...]:
        # x axis first: the order in which scores are shown everywhere.
        return tuple(sorted(self.model.dimensions, key=lambda d: d.axis))

    @cached_property
    def dimension_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    @property
    def x_dimension(self) -> Dimension:
        return self.dimensions[0]

    @property
    def y_dimension(self) -> Dimension:
        return self.dimensions[1]

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.model.dimensions if d.id == dimension_id)

    @cached_property
    def domain_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.model.domains)

    def ordered_domains(self, domains: Iterable[str]) -> list[str]:
        """The chosen domain ids in the model's order (unknown ids and repeats dropped)."""
        chosen = set(domains)
        return [d for d in self.domain_ids if d in chosen]

    def domain(self, domain_id: str) -> Named:
        if domain_id == GENERAL:
            return self.model.general
        return next(d for d in self.model.domains if d.id == domain_id)

    @cached_property
    def types(self) -> dict[str, TypeDef]:
        return {t.id: t for t in self.model.types}

    def threshold(self, dimension_id: str) -> float:
        return self.model.scoring.thresholds[dimension_id]

    def with_thresholds(self, thresholds: dict[str, float]) -> Questionnaire:
        """This questionnaire with other thresholds (a comparison round's relative ones): the
        same content, every type, interval and chart split where ``thresholds`` say. Kept in
        this questionnaire's memo, so the same thresholds give the same object (and its memo)."""
        values = {**self.model.scoring.thresholds, **thresholds}
        if values == self.model.scoring.thresholds:
            return self

        def build() -> Questionnaire:
            scoring = self.model.scoring.model_copy(update={"thresholds": values})
            model = self.model.model_copy(update={"scoring": scoring})
            return replace(self, model=model, _memo={}, _memo_lock=threading.Lock())

        return self.memo(("thresholds", tuple(sorted(values.items()))), build)

    def type_for(self, levels: dict[str, str]) -> TypeDef:
        """The type whose quadrant has these levels (``low``/``high`` per dimension)."""
        for type_def in self.model.types:
            if type_def.quadrant == levels:
                return type_def
        raise KeyError(levels)

    def classify(self, scores: dict[str, float]) -> TypeDef:
        """The type of a point: ``high`` on a dimension from its threshold upwards."""
        levels = {dim: "high" if scores[dim] >= self.threshold(dim) else "low" for dim in self.dimension_ids}
        return self.type_for(levels)

    def types_within(self, x_bounds: tuple[float, float], y_bounds: tuple[float, float]) -> tuple[str, ...]:
        """The types a box reaches (its four corners classified), in the model's order."""
        x, y = self.dimension_ids
        corners = {self.classify({x: a, y: b}).id for a in x_bounds for b in y_bounds}
        return tuple(t.id for t in self.model.types if t.id in corners)

    @cached_property
    def size_types(self) -> tuple[SizeType, ...]:
        return tuple(self.model.profile.size_types)

    def size_scheme_of(self, body_kind: str | None) -> str:
        """The size scheme of a kind of body; the first scheme while the kind is unknown."""
        kind = next((k for k in self.model.profile.body_kinds if k.id == body_kind), None)
        return kind.size_scheme if kind is not None else self.model.profile.size_schemes[0].id

    def size_type_for(self, population: int | None, body_kind: str | None = None) -> SizeType | None:
        """The size type of a municipality: by its population, in its body kind's scheme."""
        if population is None or population < 0:
            return None
        scheme = self.size_scheme_of(body_kind)
        for size_type in self.size_types:
            upper = size_type.max_population
            in_band = size_type.min_population <= population and (upper is None or population <= upper)
            if size_type.scheme == scheme and in_band:
                return size_type
        return None

    def municipality(self, population: int | None = None, body_kind: str | None = None) -> Municipality:
        """What answers are judged against (size-relative bands, "not our task")."""
        size_type = self.size_type_for(population, body_kind)
        return Municipality(population, body_kind, size_type.id if size_type else None)

    # --- sections and items ------------------------------------------------------

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    @cached_property
    def section_of(self) -> dict[str, str]:
        return {item.id: section.id for section in self.sections for item in section.items}

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    @property
    def general(self) -> Section:
        return self.section(GENERAL)

    def items_for(self, section_id: str, perspective: str = PERSPECTIVE_ADMIN) -> tuple[Item, ...]:
        """The items of a section that a respondent with this perspective is asked."""

        def build() -> tuple[Item, ...]:
            items = self.section(section_id).items
            return tuple(i for i in items if i.public) if perspective == PERSPECTIVE_CITIZEN else items

        return self.memo(("items_for", section_id, perspective), build)

    def sections_for(self, domains: list[str] | tuple[str, ...]) -> tuple[Section, ...]:
        """The general section, then the chosen domains in the model's order."""
        chosen = set(domains)
        return tuple(s for s in self.sections if s.is_general or s.id in chosen)

    @cached_property
    def gate_ids(self) -> frozenset[str]:
        """Items whose answer decides whether another item is shown."""
        return frozenset(c.item for item in self.items.values() for c in item.show_if)

    def weighted_items(
        self, domain: str, dimension: str, perspective: str = PERSPECTIVE_ADMIN
    ) -> tuple[tuple[Item, float], ...]:
        """The items of a domain score on one dimension with their effective weights.

        General items are re-weighted so that, together, they carry the dimension's
        ``general_share`` of the total weight, whatever the number of items on either side.
        The weights are always those of the whole model: a perspective that is asked fewer
        items (the citizens' view) gets the same weights for the items it is asked, never
        re-weighted among them, so its coverage is measured against the whole model
        (docs/SCORING.md, "The outside view").
        """
        return self.memo(
            ("weights", domain, dimension, perspective), lambda: self._weigh(domain, dimension, perspective)
        )

    def _weigh(self, domain: str, dimension: str, perspective: str) -> tuple[tuple[Item, float], ...]:
        if perspective != PERSPECTIVE_ADMIN:
            asked = {i.id for s in (GENERAL, domain) for i in self.items_for(s, perspective)}
            return tuple((i, w) for i, w in self.weighted_items(domain, dimension) if i.id in asked)
        general = [(i, i.weight(dimension)) for i in self.items_for(GENERAL) if i.weight(dimension) > 0]
        own = [(i, i.weight(dimension)) for i in self.items_for(domain) if i.weight(dimension) > 0]
        share = self.model.scoring.general_share[dimension]
        general_total = sum(w for _, w in general)
        own_total = sum(w for _, w in own)
        if share == 0:
            factor = 0.0
        elif own_total == 0 or general_total == 0:
            factor = 1.0
        else:
            factor = share / (1 - share) * own_total / general_total
        return tuple((i, w * factor) for i, w in general if factor > 0) + tuple(own)
