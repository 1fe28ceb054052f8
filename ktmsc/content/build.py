"""The last step of the pipeline: the checked files become one :class:`Questionnaire`."""

from __future__ import annotations

from ktmsc.content.document import Document
from ktmsc.model.questionnaire import Questionnaire, Section
from ktmsc.model.schema import GENERAL, ExampleFile, ModelFile, RecommendationsFile, SectionFile


def build(
    model: ModelFile,
    sections: dict[str, tuple[Document, SectionFile]],
    recommendation_docs: list[Document],
    source: str,
    example: ExampleFile | None = None,
) -> Questionnaire:
    order = [GENERAL] + [d.id for d in model.domains]
    built = []
    for section_id in order:
        _, section = sections[section_id]
        name = model.general if section_id == GENERAL else next(d for d in model.domains if d.id == section_id)
        built.append(
            Section(
                id=section_id,
                name=name,
                intro=section.intro,
                items=tuple(section.items),
                topics=tuple(section.topics),
            )
        )
    by_type: dict[tuple[str, str], tuple] = {}
    paths: dict[str, tuple] = {}
    tips: list = []
    cross_domain: list = []
    for doc in recommendation_docs:
        recs: RecommendationsFile = doc.parsed
        cross_domain.extend(recs.cross_domain)
        for type_id, entries in recs.by_type.items():
            by_type[(type_id, recs.section)] = tuple(entries)
        for dim, entries in recs.paths.items():
            paths[dim] = paths.get(dim, ()) + tuple(entries)
        tips.extend(recs.tips)
    return Questionnaire(
        model=model,
        sections=tuple(built),
        recommendations_by_type=by_type,
        paths=paths,
        tips=tuple(tips),
        cross_domain=tuple(cross_domain),
        source=source,
        example=example,
    )
