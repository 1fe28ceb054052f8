"""When two free texts people type are the same one."""

from __future__ import annotations


def text_key(text: str | None) -> str:
    """What makes two free texts (a participant's role, an invitation's label) the same:
    whitespace collapsed and stripped, case ignored ("  IT " and "it" are one); "" for none."""
    return " ".join((text or "").split()).casefold()
