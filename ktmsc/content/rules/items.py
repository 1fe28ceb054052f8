"""Rules for one item: weights on known dimensions, known topics, a hint where citizens can
look, options or bands that fit the item's type, scores from 0 to 1."""

from __future__ import annotations

from itertools import pairwise

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.model.schema import DONT_KNOW, ID_PATTERN, Item


def check_item(doc: Document, item: Item, path: tuple, dims: set[str], topics: set[str], report: Reporter) -> None:
    _check_references(doc, item, path, dims, topics, report)
    if item.type in ("single", "multi"):
        _check_choice_item(doc, item, path, report)
    else:
        _check_number_item(doc, item, path, report)
    _check_options(doc, item, path, report)
    _check_scores(doc, item, path, report)


def _check_references(
    doc: Document, item: Item, path: tuple, dims: set[str], topics: set[str], report: Reporter
) -> None:
    for dim in item.weights:
        if dim not in dims:
            report.add("I013", doc, path + ("weights", dim), dim=dim, hint=did_you_mean(dim, dims))
    if not any(w > 0 for d, w in item.weights.items() if d in dims):
        report.add("I005", doc, path + ("weights",))
    for t_index, tag in enumerate(item.tags):
        if tag not in topics:
            report.add("I007", doc, path + ("tags", t_index), tag=tag, hint=did_you_mean(tag, topics))
    if item.public and item.public_hint is None:
        report.add("I006", doc, path + ("public",))


def _check_choice_item(doc: Document, item: Item, path: tuple, report: Reporter) -> None:
    if len(item.options) < 2:
        report.add("I009", doc, path + ("options",), type=item.type, needed="at least two options", what="options")
    if item.bands or item.per_inhabitants is not None or item.unit is not None:
        report.add("I015", doc, path)


def _check_number_item(doc: Document, item: Item, path: tuple, report: Reporter) -> None:
    if len(item.bands) < 2:
        report.add("I009", doc, path + ("bands",), type="number", needed="at least two bands", what="bands")
    if item.options:
        needed, what = "bands instead of options", "bands (and remove the options)"
        report.add("I009", doc, path + ("options",), type="number", needed=needed, what=what)
    if item.bands and not bands_well_formed(item.bands):
        report.add("I010", doc, path + ("bands",))


def bands_well_formed(bands: list) -> bool:
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
        if option.id == DONT_KNOW:
            report.add("I008", doc, where + ("id",))
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
