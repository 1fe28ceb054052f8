"""One content file as the validator sees it: its data, the line of every YAML path, and
the :class:`Reporter` that turns problems into messages with file, path and line.

Step 1 of the pipeline (read YAML with line numbers) lives here, so the later steps
(:mod:`~ktmsc.content.structure`, :mod:`~ktmsc.content.rules`) only ever report
through a :class:`Document`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ktmsc import yamlsafe
from ktmsc.content.errors import Problem, problem
from ktmsc.model.limits import MAX_CONTENT_FILE_BYTES
from ktmsc.yamlsafe import SafeLoader


@dataclass
class Document:
    """One YAML file: its data, where each YAML path starts, and the parsed model."""

    file: str
    data: Any = None
    parsed: Any = None
    # The line of every YAML path as JSON text, [[path as a list, line], …], as read or kept:
    # decoded only when a problem needs a line (a valid file never pays for its ~10,000 paths).
    line_json: str = field(default="[]", repr=False)
    _lines: dict[tuple, int] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict[tuple, int]:
        if self._lines is None:
            self._lines = {tuple(path): line for path, line in json.loads(self.line_json)}
        return self._lines

    def line(self, path: tuple) -> int | None:
        lines = self.lines
        while path and path not in lines:
            path = path[:-1]
        return lines.get(path)


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


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the data built from it."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data
    finally:
        loader.dispose()


def _read(text: str) -> dict[str, Any]:
    """What the validator needs of a file's text, as JSON values (:func:`ktmsc.yamlsafe.cached`
    keeps them): its data, the repeated keys, and the line of every YAML path as one JSON text
    (:attr:`Document.line_json`)."""
    node, data = _parse(text)
    lines: dict[tuple, int] = {}
    dupes: list[tuple] = []
    if node is not None and isinstance(data, dict):
        _line_map(node, (), lines, dupes)
    return {
        "data": data,
        "lines": json.dumps([[list(path), line] for path, line in lines.items()], ensure_ascii=False),
        "dupes": [[list(path), line] for path, line in dupes],
    }


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
        parsed = yamlsafe.cached("content", text, _read)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = " ".join(str(getattr(exc, "problem", "") or exc).split())
        report.problems.append(problem("F003", rel, "", mark.line + 1 if mark else None, reason=reason))
        return None
    data = parsed["data"]
    if not isinstance(data, dict):
        report.add("F004", rel)
        return None
    doc.line_json = parsed["lines"]
    for dup_path, line in parsed["dupes"]:
        report.problems.append(problem("F006", rel, format_path(tuple(dup_path)), line, key=dup_path[-1]))
    doc.data = data
    return doc
