"""Paper: the PDF report of an assessment and the printable questionnaire.

Pure core code (fpdf2, vl-convert, no Streamlit): both functions return PDF bytes
the app offers as downloads and the CLI writes to files.
"""

from ktmsc.report.printable import build_questionnaire_pdf
from ktmsc.report.results import build_report, render_report

__all__ = ["build_questionnaire_pdf", "build_report", "render_report"]
