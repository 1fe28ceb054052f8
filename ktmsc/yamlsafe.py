"""YAML as the project reads it: safe loading only, with libyaml where it is installed
(the pure-Python loader is ten times slower). The content loader and the text catalogue
both read through this module.

Parsing is most of what a cold start spends on the content and the texts (building Python
objects from YAML runs in Python even with libyaml), so what a file parses to is kept, like
a ``.pyc``, as JSON under the SHA-256 of its text (:func:`cached`): the same bytes give the
same data, so a kept parse is used without checking anything else, and a changed file is
simply a new entry. Only parses that JSON gives back exactly are kept (no dates, no
non-string keys, no NaN); validation still runs on every load. The entries live in
``CACHE_ENV`` (default ``.cache/parsed`` in the project); ``off`` there turns keeping off,
and a directory that cannot be written is read past, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CACHE_ENV = "KTMSC_CACHE_DIR"
CACHE_OFF = "off"
# The project root as ktmsc.PROJECT_ROOT has it (a module of the lowest layer imports nothing of ktmsc).
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "parsed"
# Part of every key: a new PyYAML, or a new layout of what a reader keeps, is a new entry.
CACHE_FORMAT = f"1/{yaml.__version__}"
MAX_ENTRIES = 400  # more entries than this (content edited often): the oldest half goes


def load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured == CACHE_OFF:
        return None
    return Path(configured) if configured else DEFAULT_CACHE_DIR


def _exact(entry: dict[str, Any]) -> str | None:
    """``entry`` as JSON when JSON gives back exactly the same values and types, else None."""
    try:
        encoded = json.dumps(entry, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date, a set, NaN: YAML has them, JSON does not
        return None
    return encoded if json.loads(encoded) == entry else None  # a number key would come back a string


def _prune(directory: Path) -> None:
    entries = list(directory.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return

    def age(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # pruned by another process meanwhile
            return 0.0

    for path in sorted(entries, key=age)[: len(entries) - MAX_ENTRIES // 2]:
        path.unlink(missing_ok=True)


def cached(kind: str, text: str, parse: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """``parse(text)``, kept under the hash of ``kind`` and ``text``: a mapping of JSON values
    (what a reader needs of the file; ``kind`` names that reader's layout). Exceptions of
    ``parse`` (a YAML error) pass through and nothing is kept."""
    directory = cache_dir()
    if directory is None:
        return parse(text)
    key = hashlib.sha256(f"{CACHE_FORMAT}\0{kind}\0{text}".encode()).hexdigest()
    path = directory / f"{kind}-{key}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not kept yet, or unreadable (cut short): parse again
        kept = None
    if isinstance(kept, dict):
        return kept
    entry = parse(text)
    encoded = _exact(entry)
    if encoded is not None:
        _keep(directory, path, encoded)
    return entry


def _keep(directory: Path, path: Path, encoded: str) -> None:
    temporary = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=directory, suffix=".tmp", delete=False) as f:
            temporary = f.name
            f.write(encoded)
        os.replace(temporary, path)  # whole or not at all, also with several processes at once
        temporary = None
        _prune(directory)
    except OSError:  # a read-only installation: parse at every start
        pass
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
