"""Showing text safely: content and user text never become markup.

Streamlit's markdown understands more than CommonMark (``$…$`` for LaTeX,
``:color[…]`` and ``:material/…:`` directives), so every character with a
meaning is escaped before text from files or users is put into markdown.

GitHub-flavoured Markdown also turns bare addresses into links (``http://…``,
``https://…``, ``www.…``, ``name@host``), and it finds them after the escapes are
read, so no escape stops it; an invisible word joiner inside each such start does.
"""

from __future__ import annotations

import re

JOINER = "\u2060"  # WORD JOINER: invisible, and no line break opportunity either
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=])")
_AUTOLINK = re.compile(r"(?i)(https?(?=://)|www(?=\.)|(?=@))")


def md(text: object) -> str:
    """Escape text for ``st.markdown`` so it shows exactly as written."""
    unlinked = _AUTOLINK.sub(lambda m: m.group(1) + JOINER, str(text))
    escaped = _SPECIAL.sub(r"\\\1", unlinked)
    # Line breaks stay line breaks, not paragraphs or hard breaks.
    return escaped.replace("\r", "").replace("\n", "  \n")
