"""Content: read the YAML files, validate them and build the questionnaire.

The pipeline (:mod:`~ktmsc.content.loader`) knows nothing of the scoring; the checks
that need it are added by :mod:`ktmsc.instrument`, which the app and the CLI load
content through.
"""

from ktmsc.content.errors import CATALOGUE, Problem, Severity
from ktmsc.content.loader import DEFAULT_CONTENT_DIR, ContentError, LoadResult, load

__all__ = ["CATALOGUE", "DEFAULT_CONTENT_DIR", "ContentError", "LoadResult", "Problem", "Severity", "load"]
