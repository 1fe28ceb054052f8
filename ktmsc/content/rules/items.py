"""Rules for one item: weights on known dimensions, known topics, a hint where citizens can
look, a rationale for its dimensions, legal duties kept off willingness, "not our task"
for known body kinds, options or bands that fit the item's type, scores from 0 to 1."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.model.schema import ID_PATTERN, RESERVED_ANSWERS, Band, Item, ModelFile


@dataclass(frozen=True)
class ItemRules:
    """What an item may refer to, from model.yaml."""

    dims: set[str]
    topics: set[str]
    duty_dims: set[str]
    body_kinds: list[str]
    size_types: list[str]

    @classmethod
    def of(cls, model: ModelFile) -> ItemRules:
        return cls(
            dims={d.id for d in model.dimensions},
            topics={t.id for t in model.topics},
            duty_dims=set(model.scoring.duty_dimensions),
            body_kinds=[k.id for k in model.profile.body_kinds],
            size_types=[s.id for s in model.profile.size_types],
        )


def check_item(doc: Document, item: Item, path: tuple, rules: ItemRules, report: Reporter) -> None:
    _check_references(doc, item, path, rules, report)
    _check_meaning(doc, item, path, rules, report)
    if item.type in ("single", "multi"):
        _check_choice_item(doc, item, path, report)
    else:
        _check_number_item(doc, item, path, rules, report)
    _check_options(doc, item, path, report)
    _check_scores(doc, item, path, report)


def _check_references(doc: Document, item: Item, path: tuple, rules: ItemRules, report: Reporter) -> None:
    for dim in item.weights:
        if dim not in rules.dims:
            report.add("I013", doc, path + ("weights", dim), dim=dim, hint=did_you_mean(dim, rules.dims))
    if not any(w > 0 for d, w in item.weights.items() if d in rules.dims):
        report.add("I005", doc, path + ("weights",))
    for t_index, tag in enumerate(item.tags):
        if tag not in rules.topics:
            report.add("I007", doc, path + ("tags", t_index), tag=tag, hint=did_you_mean(tag, rules.topics))
    if item.public and item.public_hint is None:
        report.add("I006", doc, path + ("public",))
    if item.not_applicable is not None:
        for k_index, kind in enumerate(item.not_applicable.body_kinds):
            if kind not in rules.body_kinds:
                where = path + ("not_applicable", "body_kinds", k_index)
                report.add("I018", doc, where, ref=kind, hint=did_you_mean(kind, rules.body_kinds))


def _check_meaning(doc: Document, item: Item, path: tuple, rules: ItemRules, report: Reporter) -> None:
    """Why the item counts where it counts, and legal duties only where duties belong."""
    if item.rationale is None:
        report.add("I016", doc, path)
    if item.mandatory is not None:
        allowed = ", ".join(sorted(rules.duty_dims))
        for dim, weight in item.weights.items():
            if weight > 0 and dim in rules.dims and dim not in rules.duty_dims:
                report.add("I017", doc, path + ("weights", dim), dim=dim, allowed=allowed)


def _check_choice_item(doc: Document, item: Item, path: tuple, report: Reporter) -> None:
    if len(item.options) < 2:
        report.add("I009", doc, path + ("options",), type=item.type, needed="at least two options", what="options")
    if item.bands or item.size_bands or item.per_inhabitants is not None or item.unit is not None:
        report.add("I015", doc, path)


def _check_number_item(doc: Document, item: Item, path: tuple, rules: ItemRules, report: Reporter) -> None:
    if len(item.bands) < 2:
        report.add("I009", doc, path + ("bands",), type="number", needed="at least two bands", what="bands")
    if item.options:
        needed, what = "bands instead of options", "bands (and remove the options)"
        report.add("I009", doc, path + ("options",), type="number", needed=needed, what=what)
    if item.bands and not bands_well_formed(item.bands):
        report.add("I010", doc, path + ("bands",))
    if item.size_bands:
        _check_size_bands(doc, item, path, rules, report)


def _check_size_bands(doc: Document, item: Item, path: tuple, rules: ItemRules, report: Reporter) -> None:
    for size_type, bands in item.size_bands.items():
        where = path + ("size_bands", size_type)
        if size_type not in rules.size_types:
            problem = f"`{size_type}` is not a size type{did_you_mean(size_type, rules.size_types)}"
            report.add("I020", doc, where, size_type=size_type, problem=problem)
        elif len(bands) < 2 or not bands_well_formed(bands):
            report.add("I020", doc, where, size_type=size_type, problem="the bands do not rise")
        elif min(b.score for b in bands) != 0 or max(b.score for b in bands) != 1:
            report.add("I020", doc, where, size_type=size_type, problem="the scores do not run from 0 to 1")
    for size_type in rules.size_types:
        if size_type not in item.size_bands:
            report.add("I019", doc, path + ("size_bands",), size_type=size_type, expected=", ".join(rules.size_types))


def bands_well_formed(bands: list[Band]) -> bool:
    """Rising limits, the last band open-ended, scores never falling."""
    limits = [b.up_to for b in bands]
    bounded = limits[:-1]
    return (
        all(limit is not None for limit in bounded)
        and limits[-1:] == [None]
        and all(b > a for a, b in pairwise(bounded))
        and all(b.score >= a.score for a, b in pairwise(bands))
    )


def _check_options(doc: Document, item: Item, path: tuple, report: Reporter) -> None:
    seen: set[str] = set()
    for o_index, option in enumerate(item.options):
        where = path + ("options", o_index)
        if option.id in RESERVED_ANSWERS:
            report.add("I008", doc, where + ("id",), id=option.id)
        elif not ID_PATTERN.match(option.id):
            report.add("I002", doc, where + ("id",), id=option.id)
        if option.id in seen:
            report.add("I003", doc, where + ("id",), id=option.id)
        seen.add(option.id)
        if option.exclusive and item.type != "multi":
            report.add("I014", doc, where + ("exclusive",))


def _check_scores(doc: Document, item: Item, path: tuple, report: Reporter) -> None:
    entries = [("options", i, o.score) for i, o in enumerate(item.options)]
    entries += [("bands", i, b.score) for i, b in enumerate(item.bands)]
    out_of_range = [(key, index, value) for key, index, value in entries if not 0 <= value <= 1]
    for key, index, value in out_of_range:
        report.add("I004", doc, path + (key, index, "score"), score=value)
    if entries and not out_of_range:
        if item.max_score < 1:
            report.add("I011", doc, path, best=f"{item.max_score:g}")
        if item.min_score > 0:
            report.add("I012", doc, path, worst=f"{item.min_score:g}")
