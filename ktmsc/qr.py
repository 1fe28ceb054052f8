"""QR codes for links that people open on their phones (workshop participation)."""

from __future__ import annotations

import functools
import io

import segno


@functools.lru_cache(maxsize=64)
def qr_png(text: str, scale: int = 8) -> bytes:
    """A PNG of the QR code for ``text``, with a quiet zone, error correction level M (made once per
    text: the facilitator's page draws the same code on every run)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=3)
    return buffer.getvalue()
