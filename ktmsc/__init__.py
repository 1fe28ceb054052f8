"""KTMSC Self-Check: the core of the app, importable without Streamlit.

The core places a municipality, per domain, on the two dimensions of the
*Kommunales Typologiemodell Smart City*. Content lives in ``questionnaires/``;
this package loads and validates it, scores assessments and selects
recommendations.
"""

from pathlib import Path

__version__ = "0.1.0"
# The checkout the package runs from: content, fonts, the default database and kept parses live here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
