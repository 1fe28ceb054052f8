"""Showing text safely: content and user text never become markup.

Streamlit's markdown understands more than CommonMark (``$…$`` for LaTeX,
``:color[…]`` and ``:material/…:`` directives), so every character with a
meaning is escaped before text from files or users is put into markdown.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=])")


def md(text: object) -> str:
    """Escape text for ``st.markdown`` so it shows exactly as written."""
    escaped = _SPECIAL.sub(r"\\\1", str(text))
    # Line breaks stay line breaks, not paragraphs or hard breaks.
    return escaped.replace("\r", "").replace("\n", "  \n")
