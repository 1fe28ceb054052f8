"""Read the content folder, validate every file and build the :class:`Questionnaire`.

A pipeline of small steps: read YAML (with line numbers) → check each file's
structure with the pydantic schema → check the rules that span files
(:mod:`ktmsc.content.rules`) → build. Every problem is reported with its file,
YAML path, line, what is wrong and how to fix it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from ktmsc.content import schema
from ktmsc.content.errors import Problem, did_you_mean, problem
from ktmsc.i18n import LANGS

if TYPE_CHECKING:  # at run time the rules build it; importing it here would close a cycle
    # (ktmsc.questionnaire imports the content schema, which loads this package)
    from ktmsc.questionnaire import Questionnaire

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "questionnaires"
MAX_CONTENT_FILE_BYTES = 2_000_000

_LANG_NAMES = {"de": "German", "en": "English"}


@functools.cache
def _all_field_names() -> frozenset[str]:
    names: set[str] = set()
    for value in vars(schema).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return frozenset(names)


class ContentError(Exception):
    """The content has errors; ``problems`` says which."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        lines = "\n".join(p.format() for p in errors[:20])
        more = f"\n… and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} content error(s):\n{lines}{more}")


@dataclass
class Document:
    """One YAML file: its data, where each YAML path starts, and the parsed model."""

    file: str
    data: Any = None
    lines: dict[tuple, int] = field(default_factory=dict)
    parsed: Any = None

    def line(self, path: tuple) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)


@dataclass
class LoadResult:
    questionnaire: Questionnaire | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not self.errors


class Reporter:
    """Collects problems; knows the line of each YAML path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, doc: Document | str, path: tuple = (), **params: Any) -> None:
        if isinstance(doc, Document):
            self.problems.append(problem(code, doc.file, format_path(path), doc.line(path), **params))
        else:
            self.problems.append(problem(code, doc, format_path(path), None, **params))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- step 1: YAML with line numbers --------------------------------------------


def _line_map(node: yaml.Node, path: tuple, out: dict[tuple, int], dupes: list[tuple]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                dupes.append((path + (key,), key_node.start_mark.line + 1))
            seen.add(key)
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_map(value_node, path + (key,), out, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _line_map(child, path + (index,), out, dupes)


# libyaml's loader where available: the pure-Python one is ten times slower.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the data built from it."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data
    finally:
        loader.dispose()


def read_yaml(path: Path, rel: str, report: Reporter) -> Document | None:
    doc = Document(file=rel)
    try:
        if path.stat().st_size > MAX_CONTENT_FILE_BYTES:
            report.add("F002", rel, reason=f"it is larger than {MAX_CONTENT_FILE_BYTES // 1_000_000} MB")
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.add("F002", rel, reason=str(exc))
        return None
    try:
        node, data = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = " ".join(str(getattr(exc, "problem", "") or exc).split())
        report.problems.append(problem("F003", rel, "", mark.line + 1 if mark else None, reason=reason))
        return None
    if node is None or not isinstance(data, dict):
        report.add("F004", rel)
        return None
    dupes: list[tuple] = []
    _line_map(node, (), doc.lines, dupes)
    for dup_path, line in dupes:
        report.problems.append(problem("F006", rel, format_path(dup_path), line, key=dup_path[-1]))
    doc.data = data
    return doc


# --- step 2: structure of each file ------------------------------------------------


_EXPECTED_BY_TYPE = {
    "float_type": "Write a number without quotes, e.g. `score: 0.5`.",
    "float_parsing": "Write a number without quotes, e.g. `score: 0.5`.",
    "int_type": "Write a whole number without quotes, e.g. `10000`.",
    "int_from_float": "Write a whole number without a decimal point.",
    "string_type": "Write text here; put it in double quotes if it contains a colon or starts with a special character.",
    "bool_type": "Write `true` or `false` without quotes.",
    "list_type": "Write a list: one `- ...` line per entry, or `[a, b]`.",
    "dict_type": "Write a mapping of keys and values (see docs/CONTENT.md).",
    "model_type": "Write a mapping of keys and values (see docs/CONTENT.md).",
    "model_attributes_type": "Write a mapping of keys and values (see docs/CONTENT.md).",
    "literal_error": "Use one of the allowed values named in the message.",
    "too_short": "Add entries: the list must not be empty.",
    "string_pattern_mismatch": "Match the format named in the message.",
}


def _clean_loc(data: Any, loc: tuple) -> tuple:
    """Drop the parts of a pydantic location that name union members, not YAML keys."""
    out: list = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and part < len(current)
        ):
            out.append(part)
            current = current[part]
        elif last and isinstance(part, str) and part in _all_field_names() | set(LANGS):
            out.append(part)
        elif isinstance(current, dict) and isinstance(part, str) and part not in current and not last:
            # A key pydantic knows (e.g. a dict key of a typed mapping) that the data lacks.
            out.append(part)
            current = None
    return tuple(out)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_structure(doc: Document, model: type[BaseModel], report: Reporter) -> Any:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        seen: set[tuple] = set()
        for err in exc.errors():
            loc = _clean_loc(doc.data, tuple(err["loc"]))
            kind = err["type"]
            if (loc, kind) in seen:
                continue
            seen.add((loc, kind))
            key = loc[-1] if loc else ""
            if kind == "missing" and key in LANGS:
                report.add("T001", doc, loc, lang=key, lang_name=_LANG_NAMES[key])
            elif kind == "missing":
                report.add("S001", doc, loc, key=key)
            elif kind == "extra_forbidden":
                hint = did_you_mean(str(key), _all_field_names())
                report.add("S002", doc, loc, key=key, hint=hint)
            else:
                expected = _EXPECTED_BY_TYPE.get(kind, "Correct the value.")
                report.add("S003", doc, loc, problem=err["msg"], got=_short(err.get("input")), expected=expected)
        return None


# --- the pipeline ---------------------------------------------------------------------


def load_content(directory: str | Path | None = None) -> LoadResult:
    """Read, validate and build the content in ``directory`` (default: ``questionnaires/``)."""
    from ktmsc.content import rules  # the rules score synthetic answers, so they import scoring

    base = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    report = Reporter()
    model_path = base / "model.yaml"
    if not model_path.is_file():
        report.add("F001", str(base), folder=str(base))
        return LoadResult(None, report.problems)

    def rel(path: Path) -> str:
        try:
            return str(path.relative_to(base.parent))
        except ValueError:
            return str(path)

    model_doc = read_yaml(model_path, rel(model_path), report)
    if model_doc is not None:
        model_doc.parsed = validate_structure(model_doc, schema.ModelFile, report)

    section_docs: list[Document] = []
    for path in sorted((base / "sections").glob("*.yaml")):
        doc = read_yaml(path, rel(path), report)
        if doc is not None:
            doc.parsed = validate_structure(doc, schema.SectionFile, report)
            section_docs.append(doc)

    recommendation_docs: list[Document] = []
    for path in sorted((base / "recommendations").glob("*.yaml")):
        doc = read_yaml(path, rel(path), report)
        if doc is not None:
            doc.parsed = validate_structure(doc, schema.RecommendationsFile, report)
            recommendation_docs.append(doc)

    for path in sorted(base.rglob("*")):
        if path.is_file() and not _expected_file(base, path):
            report.add("F005", rel(path), name=path.name)

    if model_doc is None or model_doc.parsed is None:
        return LoadResult(None, report.problems)

    questionnaire = rules.check_and_build(model_doc, section_docs, recommendation_docs, report, str(base))
    if report.has_errors:
        return LoadResult(None, report.problems)
    return LoadResult(questionnaire, report.problems)


def _expected_file(base: Path, path: Path) -> bool:
    relative = path.relative_to(base)
    if relative == Path("model.yaml"):
        return True
    if len(relative.parts) == 2 and relative.parts[0] in ("sections", "recommendations"):
        return relative.suffix == ".yaml"
    return relative.name in ("README.md",) or relative.name.startswith(".")


@functools.lru_cache(maxsize=4)
def _load_cached(directory: str) -> Questionnaire:
    result = load_content(directory)
    if not result.ok:
        raise ContentError(result.problems)
    assert result.questionnaire is not None
    return result.questionnaire


def get_questionnaire(directory: str | Path | None = None) -> Questionnaire:
    """The validated questionnaire, loaded once per process; raises :class:`ContentError`."""
    base = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    return _load_cached(str(base.resolve()))
