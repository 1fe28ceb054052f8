"""Rules for the built questionnaire as a whole: enough items per section, and per domain
enough items mainly on each dimension, also in the citizens' view."""

from __future__ import annotations

from ktmsc.content.document import Reporter
from ktmsc.content.rules.sections import Sections
from ktmsc.model.questionnaire import PERSPECTIVE_CITIZEN, Questionnaire


def check_coverage(questionnaire: Questionnaire, sections: Sections, report: Reporter) -> None:
    rules = questionnaire.model.content_rules
    dims = questionnaire.dimension_ids
    for section in questionnaire.sections:
        doc = sections[section.id][0]
        minimum = rules.min_general_items if section.is_general else rules.min_domain_items
        if len(section.items) < minimum:
            report.add("D003", doc, ("items",), section=section.id, count=len(section.items), minimum=minimum)
        if section.is_general:
            continue
        public_items = questionnaire.items_for(section.id, PERSPECTIVE_CITIZEN)
        for dim in dims:
            count = sum(dim in i.primary_dimensions(dims) for i in section.items)
            if count < rules.min_items_per_dimension:
                minimum = rules.min_items_per_dimension
                report.add("D004", doc, ("items",), section=section.id, count=count, dim=dim, minimum=minimum)
            public = sum(dim in i.primary_dimensions(dims) for i in public_items)
            if public < rules.min_public_items_per_dimension:
                report.add("D006", doc, ("items",), section=section.id, count=public, dim=dim)
