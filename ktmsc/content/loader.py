"""Read the content folder, validate every file and build the :class:`Questionnaire`.

A pipeline of small steps, one module each: read YAML with line numbers
(:mod:`~ktmsc.content.document`) → check each file's structure with the pydantic schema
(:mod:`~ktmsc.content.structure`) → check the rules that span files
(:mod:`~ktmsc.content.rules`, the example municipality's answers against the built
questionnaire among them) → build (:mod:`~ktmsc.content.build`) → run the extra
``checks`` the caller passes (the instrument adds those that need the scoring). Every
problem is reported with its file, YAML path, line, what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ktmsc import PROJECT_ROOT
from ktmsc.content import rules
from ktmsc.content.document import Document, Reporter, read_yaml
from ktmsc.content.errors import Problem
from ktmsc.content.structure import validate_structure
from ktmsc.model import schema
from ktmsc.model.questionnaire import Questionnaire

DEFAULT_CONTENT_DIR = PROJECT_ROOT / "questionnaires"
EXAMPLE_FILE = "example.yaml"

# A check on the built questionnaire: it reports through the Reporter, against model.yaml's Document.
Check = Callable[[Questionnaire, Document, Reporter], None]


class ContentError(Exception):
    """The content has errors; ``problems`` says which."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        lines = "\n".join(p.format() for p in errors[:20])
        more = f"\n… and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} content error(s):\n{lines}{more}")


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


def load(directory: str | Path | None = None, checks: Sequence[Check] = ()) -> LoadResult:
    """Read, validate and build the content in ``directory`` (default: ``questionnaires/``)."""
    base = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    report = Reporter()
    model_path = base / "model.yaml"
    if not model_path.is_file():
        report.add("F001", str(base), folder=str(base))
        return LoadResult(None, report.problems)

    model_doc = _read(base, model_path, schema.ModelFile, report)
    section_docs = _read_all(base, "sections", schema.SectionFile, report)
    recommendation_docs = _read_all(base, "recommendations", schema.RecommendationsFile, report)
    example_path = base / EXAMPLE_FILE  # optional: without it the app offers no example
    example_doc = _read(base, example_path, schema.ExampleFile, report) if example_path.is_file() else None
    for path in sorted(base.rglob("*")):
        if path.is_file() and not _expected_file(base, path):
            report.add("F005", _relative(base, path), name=path.name)
    if model_doc is None or model_doc.parsed is None:
        return LoadResult(None, report.problems)

    questionnaire = rules.check_and_build(
        model_doc, section_docs, recommendation_docs, report, str(base), example_doc=example_doc
    )
    if questionnaire is not None and not report.has_errors:
        for check in checks:
            check(questionnaire, model_doc, report)
    return LoadResult(None if report.has_errors else questionnaire, report.problems)


def _relative(base: Path, path: Path) -> str:
    """The path as problems name it: relative to the content folder's parent."""
    try:
        return str(path.relative_to(base.parent))
    except ValueError:
        return str(path)


def _read(base: Path, path: Path, model: type, report: Reporter) -> Document | None:
    """Steps 1 and 2 for one file: its YAML with line numbers, then its structure."""
    doc = read_yaml(path, _relative(base, path), report)
    if doc is not None:
        doc.parsed = validate_structure(doc, model, report)
    return doc


def _read_all(base: Path, folder: str, model: type, report: Reporter) -> list[Document]:
    return [doc for path in sorted((base / folder).glob("*.yaml")) if (doc := _read(base, path, model, report))]


def _expected_file(base: Path, path: Path) -> bool:
    relative = path.relative_to(base)
    if relative in (Path("model.yaml"), Path(EXAMPLE_FILE)):
        return True
    if len(relative.parts) == 2 and relative.parts[0] in ("sections", "recommendations"):
        return relative.suffix == ".yaml"
    return relative.name in ("README.md",) or relative.name.startswith(".")
