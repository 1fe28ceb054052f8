"""Rules for model.yaml: two dimensions on two axes, the types cover the quadrants once
each, thresholds and shares in range, size types without gaps, unique ids."""

from __future__ import annotations

from ktmsc.content.document import Document, Reporter
from ktmsc.content.errors import did_you_mean
from ktmsc.content.rules.common import check_ids
from ktmsc.model.schema import ModelFile


def check_model(doc: Document, report: Reporter) -> None:
    model: ModelFile = doc.parsed
    dims = [d.id for d in model.dimensions]
    if len(dims) != 2:
        report.add("M001", doc, ("dimensions",), count=len(dims), found=", ".join(dims) or "none")
    axes = sorted(d.axis for d in model.dimensions)
    if axes != ["x", "y"]:
        report.add("M005", doc, ("dimensions",), found=", ".join(axes))
    if not model.domains:
        report.add("M002", doc, ("domains",))
    for key in ("dimensions", "types", "domains", "topics"):
        check_ids(doc, getattr(model, key), (key,), report)
    for key in ("body_kinds", "states", "size_schemes", "size_types", "perspectives"):
        check_ids(doc, getattr(model.profile, key), ("profile", key), report)
    for key in ("roles", "goals", "drivers", "charta_guidelines", "governance_options"):
        check_ids(doc, getattr(model.context, key), ("context", key), report)
    _check_types(doc, model, dims, report)
    _check_scoring(doc, model, dims, report)
    _check_size_types(doc, model, report)
    _check_size_schemes(doc, model, report)


def _check_types(doc: Document, model: ModelFile, dims: list[str], report: Reporter) -> None:
    if len(model.types) != 2 ** len(dims):
        problem = f"{len(dims)} dimensions make {2 ** len(dims)} quadrants, found {len(model.types)} types"
        report.add("M003", doc, ("types",), problem=problem)
    quadrants: dict[tuple, str] = {}
    for index, type_def in enumerate(model.types):
        where = ("types", index, "quadrant")
        if sorted(type_def.quadrant) != sorted(dims):
            report.add("M003", doc, where, problem=f"`{type_def.id}` must give a level for each of {', '.join(dims)}")
            continue
        key = tuple(sorted(type_def.quadrant.items()))
        if key in quadrants:
            report.add("M003", doc, where, problem=f"`{type_def.id}` has the same quadrant as `{quadrants[key]}`")
        quadrants[key] = type_def.id


def _check_scoring(doc: Document, model: ModelFile, dims: list[str], report: Reporter) -> None:
    thresholds = model.scoring.thresholds
    if sorted(thresholds) != sorted(dims):
        expected = f"one threshold for each of {', '.join(dims)}"
        report.add(
            "M004",
            doc,
            ("scoring", "thresholds"),
            setting="scoring.thresholds",
            got=", ".join(thresholds),
            expected=expected,
        )
    for dim, value in thresholds.items():
        if not 0 < value < 100:
            setting = f"scoring.thresholds.{dim}"
            report.add(
                "M004",
                doc,
                ("scoring", "thresholds", dim),
                setting=setting,
                got=value,
                expected="a number between 0 and 100",
            )
    for index, dim in enumerate(model.scoring.duty_dimensions):
        if dim not in dims:
            where = ("scoring", "duty_dimensions", index)
            report.add(
                "M004", doc, where, setting="scoring.duty_dimensions", got=dim, expected=f"some of {', '.join(dims)}"
            )
    shares = model.scoring.general_share
    _per_dimension(doc, ("scoring", "general_share"), list(shares), dims, "one share", report)
    for dim, share in shares.items():
        if not 0 <= share < 1:
            expected = "a fraction from 0 up to (not including) 1, e.g. 0.4"
            where = ("scoring", "general_share", dim)
            report.add("M004", doc, where, setting=f"scoring.general_share.{dim}", got=share, expected=expected)
    _per_dimension(doc, ("rounds", "thresholds"), list(model.rounds.thresholds), dims, "`fixed` or `median`", report)


def _per_dimension(
    doc: Document, where: tuple[str, str], keys: list[str], dims: list[str], what: str, report: Reporter
) -> None:
    """A setting that needs exactly one entry per dimension."""
    if set(keys) != set(dims):
        setting = ".".join(where)
        expected = f"{what} for each of {', '.join(dims)}"
        report.add("M004", doc, where, setting=setting, got=", ".join(keys) or "nothing", expected=expected)


def _check_size_types(doc: Document, model: ModelFile, report: Reporter) -> None:
    """Within each size scheme, the population bands follow each other without gap or overlap."""
    size_types = list(enumerate(model.profile.size_types))
    for scheme in model.profile.size_schemes:
        in_scheme = [(index, size_type) for index, size_type in size_types if size_type.scheme == scheme.id]
        previous_max: int | None = None
        for position, (index, size_type) in enumerate(in_scheme):
            expected_min = 0 if previous_max is None else previous_max + 1
            if size_type.min_population != expected_min:
                report.add("M006", doc, ("profile", "size_types", index, "min_population"), at=size_type.id)
            if size_type.max_population is None and position != len(in_scheme) - 1:
                report.add("M006", doc, ("profile", "size_types", index, "max_population"), at=size_type.id)
            previous_max = size_type.max_population


def _check_size_schemes(doc: Document, model: ModelFile, report: Reporter) -> None:
    """Every body kind and size type names a size scheme that exists."""
    schemes = [s.id for s in model.profile.size_schemes]
    for key, entries, field in (
        ("body_kinds", model.profile.body_kinds, "size_scheme"),
        ("size_types", model.profile.size_types, "scheme"),
    ):
        for index, entry in enumerate(entries):
            ref = getattr(entry, field)
            if ref not in schemes:
                report.add("M008", doc, ("profile", key, index, field), ref=ref, hint=did_you_mean(ref, schemes))
