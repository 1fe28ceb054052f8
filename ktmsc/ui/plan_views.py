"""The action plan on the results: a domain's entries as a table, their editing fields, and
for a follow-up what became of the earlier plan.

Every field is saved at once like an answer (:func:`ktmsc.ui.session.save_plan_field`); the
texts come from :mod:`ktmsc.action_plan`, every user text escaped before Markdown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from ktmsc.action_plan import entries_from, follow_up, plan_lines
from ktmsc.i18n import Lang
from ktmsc.labels import counted, date_input_format, fmt_date
from ktmsc.model.assessment import PLAN_STATUSES, Assessment, PlanEntry
from ktmsc.model.limits import FIRST_DUE_YEAR, LAST_DUE_YEAR, MAX_PLAN_NOTE, MAX_WHO
from ktmsc.model.questionnaire import Questionnaire
from ktmsc.readout import Readout
from ktmsc.texts import t
from ktmsc.ui import session
from ktmsc.ui.safe import md


def field_key(lang: Lang, entry_id: str, field: str) -> str:
    return f"plan.{lang}.{entry_id}.{field}"


def accept(domain_id: str, measures: list[tuple[str, Any]], lang: Lang) -> None:
    """Make measures entries of the plan and say how many the plan now holds for the domain."""
    if session.add_plan_entries(domain_id, entries_from(domain_id, measures)):
        cur = session.active()
        count = sum(1 for e in cur.assessment.plan if e.domain == domain_id) if cur else 0
        st.toast(counted("plan.action.added", count, lang), icon=":material/task_alt:")


def plan_table(q: Questionnaire, assessment: Assessment, domain_id: str, lang: Lang):
    import pandas as pd

    rows = [
        {
            t("plan.action.what", lang): md(line.what),
            t("plan.action.who", lang): md(line.who),
            t("plan.action.due", lang): line.due,
            t("plan.action.status", lang): line.status,
            t("plan.action.note", lang): md(line.note),
        }
        for line in plan_lines(q, assessment, domain_id, lang)
    ]
    return pd.DataFrame(rows).set_index(t("plan.action.what", lang))


def plan_section(q: Questionnaire, assessment: Assessment, domain_id: str, lang: Lang, read_only: bool) -> None:
    """The domain's action plan: the table, and (editable) each entry's fields."""
    entries = [e for e in assessment.plan if e.domain == domain_id]
    st.markdown(f"##### {t('plan.action.title', lang)}")
    if not entries:
        st.caption(t("plan.action.empty", lang))
        return
    st.table(plan_table(q, assessment, domain_id, lang))
    if read_only:
        return
    cur = session.active()
    with st.expander(t("plan.action.edit", lang), icon=":material/edit_note:"):
        for entry, line in zip(entries, plan_lines(q, assessment, domain_id, lang), strict=True):
            with st.container(border=True):
                st.markdown(f"**{md(line.what)}**")
                _entry_fields(entry, lang)
                if cur is not None and session.pending(cur, entry.id):
                    st.warning(t("plan.action.not_saved", lang), icon=":material/sync_problem:")


def _on_field(entry_id: str, field: str, key: str) -> None:
    value = st.session_state.get(key)
    if field in ("who", "note"):
        value = (value or "").strip()
    session.save_plan_field(entry_id, field, value)


def _entry_fields(entry: PlanEntry, lang: Lang) -> None:
    keys = {field: field_key(lang, entry.id, field) for field in ("who", "due", "status", "note")}
    for field, key in keys.items():  # the stored values, also when another tab changed them
        st.session_state[key] = getattr(entry, field)
    left, middle, right = st.columns(3)
    left.text_input(
        t("plan.action.who", lang),
        key=keys["who"],
        max_chars=MAX_WHO,
        on_change=_on_field,
        args=(entry.id, "who", keys["who"]),
    )
    middle.date_input(
        t("plan.action.due", lang),
        key=keys["due"],
        min_value=date(FIRST_DUE_YEAR, 1, 1),
        max_value=date(LAST_DUE_YEAR, 12, 31),
        format=date_input_format(lang),
        on_change=_on_field,
        args=(entry.id, "due", keys["due"]),
    )
    right.selectbox(
        t("plan.action.status", lang),
        PLAN_STATUSES,
        key=keys["status"],
        format_func=lambda s: t(f"plan.status.{s}", lang),
        on_change=_on_field,
        args=(entry.id, "status", keys["status"]),
    )
    st.text_area(
        t("plan.action.note", lang),
        key=keys["note"],
        max_chars=MAX_PLAN_NOTE,
        height=68,
        on_change=_on_field,
        args=(entry.id, "note", keys["note"]),
    )


def follow_up_section(readout: Readout, lang: Lang) -> None:
    """For a follow-up whose earlier assessment had a plan or targets: what became of them."""
    earlier = readout.earlier_assessment
    if earlier is None or not (earlier.plan or earlier.targets):
        return
    q = readout.questionnaire
    checks, targets = follow_up(q, earlier, readout.assessment, readout.result, lang)
    st.subheader(t("plan.follow_up.title", lang))
    st.caption(t("plan.follow_up.help", lang, date=fmt_date(earlier.created_at, lang)))
    if checks:
        import pandas as pd

        rows = [
            {
                t("ui.result.domain", lang): md(q.domain(c.domain).name.get(lang)) if c.domain in q.domain_ids else "",
                t("plan.action.what", lang): md(c.what),
                t("plan.follow_up.then", lang): c.status_then,
                t("plan.follow_up.now", lang): md(c.now),
                t("plan.follow_up.check", lang): t(f"plan.follow_up.{'happened' if c.happened else 'open'}", lang),
            }
            for c in checks
        ]
        st.table(pd.DataFrame(rows).set_index(t("ui.result.domain", lang)))
    if targets:
        lines = [
            t(
                "plan.follow_up.target_line",
                lang,
                domain=md(q.domain(c.domain).name.get(lang)),
                target=md(c.target),
                reached=md(c.reached),
                verdict=t(f"plan.follow_up.{'met' if c.met else 'not_met'}", lang),
            )
            for c in targets
        ]
        st.markdown(f"**{t('plan.follow_up.targets', lang)}**\n\n" + "\n".join(f"- {line}" for line in lines))
