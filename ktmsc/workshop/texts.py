"""The dashboard's texts: participant labels, progress, agreement, what an agenda item can move."""

from __future__ import annotations

from ktmsc.i18n import Lang
from ktmsc.labels import fmt_number, fmt_percent
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
