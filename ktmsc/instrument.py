"""The instrument: the content as the app uses it — read, validated and checked against
the scoring.

:mod:`ktmsc.content` reads and validates the files without knowing the scoring; the
checks here need both (the four extreme answer patterns must land in their four
quadrants in every domain, D005; the example municipality is more than one type, E006). The app, the CLI and the tests load content through
:func:`get_questionnaire` and :func:`load_content`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ktmsc.content import DEFAULT_CONTENT_DIR, ContentError, LoadResult, load
from ktmsc.content.document import Document, Reporter
from ktmsc.content.loader import EXAMPLE_FILE
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.scoring import extreme_answers, score


def check_extremes(questionnaire: Questionnaire, model_doc: Document, report: Reporter) -> None:
    """The four extreme answer patterns must land in their four quadrants, in every domain (D005)."""
    x_id, y_id = questionnaire.dimension_ids
    for type_def in questionnaire.model.types:
        answers = extreme_answers(questionnaire, type_def.quadrant)
        result = score(questionnaire, answers, domains=questionnaire.domain_ids)
        for domain_id, domain in result.domains.items():
            if domain.type_id != type_def.id:
                lf, vb = (domain.dimensions[d].score or 0 for d in (x_id, y_id))
                report.add("D005", model_doc, ("types",), domain=domain_id, type=type_def.id, lf=lf, vb=vb)


def check_example_types(questionnaire: Questionnaire, model_doc: Document, report: Reporter) -> None:
    """The example shows the model's point: it is not one type in every domain (E006)."""
    example = questionnaire.example
    if example is None:
        return
    profile = example.profile
    result = score(
        questionnaire,
        example.answers,
        domains=questionnaire.ordered_domains(example.domains),
        perspective=profile.perspective,
        population=profile.population,
        body_kind=profile.body_kind,
        detail=False,
    )
    types = {d.type_id for d in result.domains.values()}
    if len(types) == 1:
        (only,) = types
        report.add("E006", f"{Path(questionnaire.source).name}/{EXAMPLE_FILE}", ("domains",), type=only)


CHECKS = (check_extremes, check_example_types)


def load_content(directory: str | Path | None = None) -> LoadResult:
    """Read, validate, build and check the content in ``directory`` (default: ``questionnaires/``)."""
    return load(directory, CHECKS)


@functools.lru_cache(maxsize=4)
def _load_cached(directory: str) -> Questionnaire:
    result = load_content(directory)
    if not result.ok:
        raise ContentError(result.problems)
    assert result.questionnaire is not None
    return result.questionnaire


def get_questionnaire(directory: str | Path | None = None) -> Questionnaire:
    """The validated questionnaire, loaded once per process; raises :class:`ContentError`."""
    base = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    return _load_cached(str(base.resolve()))
