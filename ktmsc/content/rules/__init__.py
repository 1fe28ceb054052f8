"""Step 3 of the pipeline: rules that span files, one module per family of rules.

:func:`check_and_build` runs them in order — texts and ids (:mod:`.common`), the model
(:mod:`.model`), sections, items and conditions (:mod:`.sections`, :mod:`.items`,
:mod:`.conditions`), recommendations (:mod:`.recommendations`) — builds the
:class:`Questionnaire` (:mod:`ktmsc.content.build`) when the structure allows it and
checks it as a whole (:mod:`.coverage`, :mod:`.follow_ups`) and the example municipality's
answers against it (:mod:`.example`). Each rule reports through the
:class:`~ktmsc.content.document.Reporter`. The model's ids (dimensions, domains, types)
are not pinned here: they live in model.yaml alone, and these rules check only that the
model is complete and consistent.
"""

from __future__ import annotations

from pathlib import Path

from ktmsc.content.build import build
from ktmsc.content.document import Document, Reporter
from ktmsc.content.rules.common import check_texts, unreadable_sections
from ktmsc.content.rules.coverage import check_coverage
from ktmsc.content.rules.example import check_example
from ktmsc.content.rules.follow_ups import check_follow_ups
from ktmsc.content.rules.model import check_model
from ktmsc.content.rules.plan import check_plan
from ktmsc.content.rules.recommendations import check_recommendations
from ktmsc.content.rules.sections import check_sections
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.model.schema import ModelFile


def check_and_build(
    model_doc: Document,
    section_docs: list[Document],
    recommendation_docs: list[Document],
    report: Reporter,
    source: str,
    example_doc: Document | None = None,
) -> Questionnaire | None:
    model: ModelFile = model_doc.parsed
    check_texts(model_doc, report)
    check_model(model_doc, report)
    folder = Path(source).name
    sections = check_sections(model, section_docs, report, f"{folder}/sections/")
    check_recommendations(
        model, sections, recommendation_docs, report, f"{folder}/recommendations/", unreadable_sections(section_docs)
    )
    if report.has_errors:
        return None
    example = example_doc.parsed if example_doc is not None else None
    questionnaire = build(model, sections, recommendation_docs, source, example)
    check_coverage(questionnaire, sections, report)
    check_follow_ups(questionnaire, sections, report)
    check_plan(model_doc, questionnaire, report)
    if example is not None:
        check_example(questionnaire, example_doc, report)
    return questionnaire
