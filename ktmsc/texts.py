"""The app's own texts (labels, messages) in German and English.

Content (questions, types, recommendations) lives in ``questionnaires/``; the
words of the interface live in ``locale/*.yaml`` beside this module, one file per
part of the product (keys are prefixed with the file name: ``ui.next`` lives in
``ui.yaml`` as ``next``). A test checks that every key has both languages and
that every key the code uses exists.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ktmsc import yamlsafe
from ktmsc.i18n import LANGS, Lang

LOCALE_DIR = Path(__file__).with_name("locale")


def _read(text: str) -> dict[str, Any]:
    return {"data": yamlsafe.load(text)}


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    flat: dict[str, dict[str, str]] = {}

    def walk(node: dict, prefix: str, source: Path) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}"
            if isinstance(value, dict) and value and set(value) <= set(LANGS):
                flat[name] = value
            elif isinstance(value, dict):
                walk(value, name, source)
            else:
                raise ValueError(f"{source.name}: {name} must be a mapping of de/en texts")

    for path in sorted(LOCALE_DIR.glob("*.yaml")):
        data = yamlsafe.cached("texts", path.read_text(encoding="utf-8"), _read)["data"]
        walk(data or {}, path.stem, path)
    return flat


def t(key: str, lang: Lang, **params: Any) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("de", key)
    return text.format(**params) if params else text
