"""The facilitator's result by role: where each role places the municipality per domain, the
largest contrast between two roles, and the questions on which the roles differ most.

Everything it says comes from :mod:`ktmsc.workshop.roles` (the grouping of the free-text roles,
the minimum group of three, what is withheld so a small group cannot be worked out); this
module only lays it out. The dashboard redraws itself every few seconds, so the section is a
handful of elements whatever the number of roles and questions: one markdown element per
domain and one for all the questions, not one per line. Its title never changes, so an opened
section stays open across refreshes.
"""

from __future__ import annotations

import streamlit as st

from ktmsc.i18n import Lang
from ktmsc.labels import fmt_number
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.storage import Workshop
from ktmsc.texts import t
from ktmsc.ui.safe import md
from ktmsc.workshop import Participant, roles

GAPS_SHOWN = 5  # the questions the roles differ on: the top few start a discussion, a list would not


def by_role(q: Questionnaire, workshop: Workshop, people: list[Participant], lang: Lang) -> None:
    """The section "Nach Rolle" for the workshop's domains, perspective and municipality."""
    view = roles.by_role(
        q,
        people,
        workshop.domains,
        workshop.perspective,
        workshop.profile.population,
        body_kind=workshop.profile.body_kind,
    )
    minimum = fmt_number(view.min_group, lang)
    with st.expander(t("roles.view.title", lang), icon=":material/diversity_3:"):
        if not view.any_shown:
            st.info(t("roles.view.none_shown", lang, minimum=minimum), icon=":material/shield_person:")
            return
        st.caption(t("roles.view.intro", lang, minimum=minimum))
        st.markdown(f"**{md(roles.contrast_sentence(q, view, lang))}**")
        for domain_id in view.by_domain:
            lines = roles.role_lines(q, view, domain_id, lang)
            st.markdown(f"**{md(q.domain(domain_id).name.get(lang))}**\n\n" + "\n".join(f"- {md(x)}" for x in lines))
        if any(domain.withheld for domain in view.by_domain.values()):
            st.caption(t("roles.view.withheld", lang))
        _gaps(q, view, lang, minimum)


def _gaps(q: Questionnaire, view: roles.RoleView, lang: Lang, minimum: str) -> None:
    st.markdown(f"**{t('roles.view.gaps_title', lang)}**")
    st.caption(t("roles.view.gaps_explained", lang, minimum=minimum))
    gaps = roles.differing(view, GAPS_SHOWN)
    if not gaps:
        st.markdown(t("roles.view.no_gaps", lang, minimum=minimum))
        return
    st.markdown(
        "\n\n".join(
            f"**{n}. {md(q.items[g.item_id].text.get(lang))}**  \n{md(roles.gap_line(g, lang))}"
            for n, g in enumerate(gaps, 1)
        )
    )
