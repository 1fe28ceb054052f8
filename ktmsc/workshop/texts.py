"""The dashboard's texts: participant labels, progress, agreement, what an agenda item can move."""

from __future__ import annotations

from ktmsc.i18n import Lang
from ktmsc.labels import fmt_number, fmt_percent, fmt_range
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.texts import t
from ktmsc.workshop.model import GroupResult, Impact, Progress


def participant_label(name: str | None, number: int, lang: Lang) -> str:
    """The pseudonym, or "Teilnehmer:in 3" when there is none. Shown as text, never as HTML."""
    shown = (name or "").strip()
    return shown or t("workshop.participant", lang, number=number)


def progress_text(progress: Progress, lang: Lang) -> str:
    """How far a participant is, e.g. "12 von 34 Fragen beantwortet" ("don't know" counts)."""
    return t(
        "workshop.progress", lang, answered=fmt_number(progress.answered, lang), asked=fmt_number(progress.asked, lang)
    )


def agreement_text(group: GroupResult, domain_id: str, lang: Lang) -> str:
    """Whether the group agrees on a domain's type, with the share and the model's threshold."""
    domain = group.by_domain[domain_id]
    if domain.type_share is None:
        return t("workshop.status.no_position", lang)
    key = "workshop.agreement.agrees" if domain.agrees else "workshop.agreement.disagrees"
    share = fmt_percent(domain.type_share, lang, threshold=group.agreement_share)
    return t(key, lang, share=share, threshold=fmt_percent(group.agreement_share, lang))


def impact_text(questionnaire: Questionnaire, impact: Impact, lang: Lang) -> str:
    """What an agenda item can move, e.g. "wirkt auf Leistungsfähigkeit in Mobilität mit bis zu 8 Punkten"."""
    return t(
        "workshop.agenda.impact",
        lang,
        dimension=questionnaire.dimension(impact.dimension).name.get(lang),
        domain=questionnaire.domain(impact.domain).name.get(lang),
        points=fmt_number(impact.points, lang),
    )


def type_name(questionnaire: Questionnaire, type_id: str | None, lang: Lang) -> str:
    """The type's name, or "–" without a type."""
    return questionnaire.types[type_id].name.get(lang) if type_id in questionnaire.types else "–"


def participant_lines(questionnaire: Questionnaire, group: GroupResult, lang: Lang) -> list[str]:
    """What a participant's device shows of the revealed group, one line per domain: the group's
    type and median point with its middle half, and whether it agrees – never anyone's single
    answer or point. A domain with fewer than ``scoring.group_min_shown`` placed participants
    shows nothing of the group (the median of two gives the other one away)."""
    minimum = questionnaire.model.scoring.group_min_shown
    x_id, y_id = questionnaire.dimension_ids
    lines = []
    for domain_id, domain in group.by_domain.items():
        name = questionnaire.domain(domain_id).name.get(lang)
        if domain.count < minimum or domain.median is None:
            lines.append(t("workshop.reveal.too_few", lang, domain=name, minimum=minimum))
            continue
        sx, sy = domain.spread[x_id], domain.spread[y_id]
        lines.append(
            t(
                "workshop.reveal.line",
                lang,
                domain=name,
                type=type_name(questionnaire, domain.type_id, lang),
                x=fmt_range(domain.median.x, sx.q1, sx.q3, lang, questionnaire.threshold(x_id)),
                y=fmt_range(domain.median.y, sy.q1, sy.q3, lang, questionnaire.threshold(y_id)),
                x_name=questionnaire.dimension(x_id).name.get(lang),
                y_name=questionnaire.dimension(y_id).name.get(lang),
                agreement=agreement_text(group, domain_id, lang),
            )
        )
    return lines
