"""Content: the schema of the YAML files, the error catalogue and the loader."""

from ktmsc.content.errors import CATALOGUE, Problem, Severity
from ktmsc.content.loader import (
    DEFAULT_CONTENT_DIR,
    ContentError,
    LoadResult,
    get_questionnaire,
    load_content,
)

__all__ = [
    "CATALOGUE",
    "DEFAULT_CONTENT_DIR",
    "ContentError",
    "LoadResult",
    "Problem",
    "Severity",
    "get_questionnaire",
    "load_content",
]
