"""Languages the product speaks. German first; English is complete."""

from __future__ import annotations

from typing import Literal

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")
DEFAULT_LANG: Lang = "de"
LANG_NAMES: dict[str, str] = {"de": "German", "en": "English"}  # in messages to content authors
ENDONYMS: dict[str, str] = {"de": "Deutsch", "en": "English"}  # in the language switch


def normalise_lang(value: object) -> Lang:
    """Return a supported language for any input (query parameter, header ...)."""
    if isinstance(value, str) and value.strip().lower()[:2] == "en":
        return "en"
    return DEFAULT_LANG
