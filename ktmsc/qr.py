"""QR codes for links that people open on their phones (workshop participation)."""

from __future__ import annotations

import io

import segno


def qr_png(text: str, scale: int = 8) -> bytes:
    """A PNG of the QR code for ``text``, with a quiet zone, error correction level M."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=3)
    return buffer.getvalue()
