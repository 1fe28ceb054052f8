"""The questions page's first step (the general section's first topic) as a bare Streamlit
script: same widgets, no database, no scoring.

The yardstick for ``rerun_ratio_questions``: the labels, the number and kinds of
elements and widgets (and their keys) are those the app draws for the general step of
an assessment with all six domains, everything answered — generated from the shipped
content, read once per process. What it leaves out is the app's own work: loading the
assessment from the database, item states and progress, saving answers, setting
widget values through session state.

Run: ``streamlit run benchmarks/bare_questions.py`` (``?lang=en`` for English; ``?fragments=1``
draws each question as an ``st.fragment``, the what-if of ``--bare-fragments``).
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.answers import NAME, page_answers
from ktmsc import wizard
from ktmsc.instrument import get_questionnaire
from ktmsc.labels import answer_label
from ktmsc.model.assessment import Assessment
from ktmsc.model.limits import MAX_EVIDENCE, MAX_NOTE
from ktmsc.model.schema import DONT_KNOW, GENERAL
from ktmsc.texts import t
from ktmsc.ui.safe import md

STEP = GENERAL
LANG_NAMES = {"de": "Deutsch", "en": "English"}
RESUME_LINK = "http://localhost:8501/questions?lang=de&a=" + "x" * 32
MAIL_LINK = "mailto:?subject=" + "s" * 80 + "&body=" + "b" * 400
STYLE = (Path(__file__).resolve().parents[1] / "ktmsc" / "ui" / "style.css").read_text(encoding="utf-8")
device_effects = st.components.v2.component("bare.device", js="export default function () {}")
journal_effects = st.components.v2.component("bare.journal", js="export default function () {}")


@st.cache_resource(show_spinner=False)
def content():
    q = get_questionnaire()
    return q, page_answers(q)


st.set_page_config(page_title="KTMSC Self-Check", page_icon=":material/explore:", layout="centered")
st.html(f"<style>{STYLE}</style>")  # the app's only CSS (ktmsc/ui/frame.style)
q, answers = content()
lang = st.query_params.get("lang", "de")
lang = lang if lang in LANG_NAMES else "de"

with st.sidebar:
    st.radio(
        t("ui.frame.language", lang),
        options=list(LANG_NAMES),
        index=list(LANG_NAMES).index(lang),
        format_func=LANG_NAMES.get,
        key="frame.lang_toggle",
        horizontal=True,
    )
    st.caption(t("ui.frame.current", lang))
    st.text(NAME)
    st.caption(t("ui.frame.saved_at", lang, time="12:00:00"))
    # The way back (ktmsc/ui/resume.py): the resume link to copy and to mail oneself.
    with st.expander(t("ui.resume.sidebar", lang), icon=":material/link:"):
        st.caption(t("ui.resume.sidebar_help", lang))
        st.code(RESUME_LINK, language=None, wrap_lines=True)
        st.link_button(t("ui.resume.mail", lang), MAIL_LINK, icon=":material/mail:", key="resume.sidebar.mail")
        st.caption(t("ui.data.resume_warning", lang))
    # What the browser keeps (ktmsc/ui/device.py): drawn on a session's first run.
    if not st.session_state.get("device.sent"):
        st.session_state["device.sent"] = True
        device_effects(data={"lang": lang, "cookie": None}, key="device.effects", height=0)
    # The journal of answers given (ktmsc/ui/journal.py): drawn when what it needs changes, the
    # first run; which box stands for which option of every question, as the app sends it.
    if not st.session_state.get("journal.sent"):
        st.session_state["journal.sent"] = True
        journal_effects(
            data={
                "epoch": "e" * 32,
                "scope": "s" * 16,
                "items": {
                    f"st-key-item-{i.id}": [i.id, [o.id for o in i.options] + [DONT_KNOW]] for i in q.items.values()
                },
                "drop": [],
                "forget": None,
            },
            key="journal.browser",
            height=0,
            on_report_change=lambda: None,
        )
    # Where each domain stands (ktmsc/ui/quick_views.standing), every domain settled: no scoring here.
    with st.container(border=True, key="questions.standing"):
        st.markdown(f"**{t('ui.quick.status', lang)}**", help=t("ui.quick.status_help", lang))
        first_type = q.model.types[0].name.get(lang)
        st.markdown(
            "\n".join(
                "- " + t("ui.quick.settled", lang, domain=md(q.domain(d).name.get(lang)), type=md(first_type))
                for d in q.domain_ids
            )
        )

# The steps of an assessment with all six domains: the general section's topics, the domains' parts.
parts = wizard.all_parts(q, Assessment(domains=list(q.domain_ids)))
steps = [*parts, wizard.REVIEW]


st.title(t("ui.questions.title", lang))
with st.container(border=True, key="resume.offer"):
    st.markdown(t("ui.resume.offer", lang))
    st.code(RESUME_LINK, language=None, wrap_lines=True)
    st.link_button(t("ui.resume.mail", lang), MAIL_LINK, icon=":material/mail:", key="resume.offer.mail")
    st.caption(t("ui.data.resume_warning", lang))
    st.button(t("ui.resume.dismiss", lang), icon=":material/check:")
st.progress(1 / len(steps), text=t("ui.questions.progress", lang, step=1, steps=len(steps)))
st.selectbox(
    t("ui.questions.jump", lang),
    steps,
    index=0,
    format_func=lambda name: wizard.step_label(q, steps, parts, name, lang),
    key=f"questions.{lang}.jump.{STEP}",
)
st.header(wizard.step_label(q, steps, parts, STEP, lang))
st.caption(md(q.section(STEP).intro.get(lang)))
with st.expander(t("ui.questions.who_counts", lang), icon=":material/groups:"):
    st.markdown(md(q.model.who_counts.get(lang)))

dont_know_label = t("core.answer.dont_know", lang)


def question(number: int, item) -> None:
    value = answers.get(item.id)
    base = f"q.{lang}.{item.id}"
    with st.container(border=True, key=f"item-{item.id}"):
        st.markdown(f"**1.{number}** {md(item.text.get(lang))}")
        st.caption(md(item.help.get(lang)))
        if item.type == "single":
            options = [o.id for o in item.options] + [DONT_KNOW]
            labels = {o.id: o.label.get(lang) for o in item.options} | {DONT_KNOW: dont_know_label}
            st.radio(
                item.text.get(lang),
                options,
                index=options.index(value) if value in options else None,
                format_func=labels.__getitem__,
                key=f"{base}.answer",
                label_visibility="collapsed",
            )
        elif item.type == "multi":
            st.caption(t("core.print.multi", lang))
            chosen = set(value) if isinstance(value, list) else set()
            for option_id, label in [(o.id, o.label.get(lang)) for o in item.options] + [(DONT_KNOW, dont_know_label)]:
                st.checkbox(label, value=option_id in chosen, key=f"{base}.{option_id}")
        else:
            st.number_input(
                item.unit.get(lang) if item.unit else item.text.get(lang),
                min_value=0.0,
                max_value=1_000_000.0,
                value=float(value) if isinstance(value, (int, float)) else None,
                step=0.5,
                format="%g",
                key=f"{base}.answer",
                placeholder=t("ui.questions.number_placeholder", lang),
            )
            if isinstance(value, (int, float)):  # the number read back in the language
                st.caption(t("ui.number_read.saved", lang, answer=md(answer_label(item, value, lang))))
            st.checkbox(dont_know_label, value=False, key=f"{base}.dont_know")
            with st.expander(t("ui.questions.bands", lang)):
                for band in item.bands:
                    st.caption(md(band.label.get(lang)))
        if notes:
            with st.expander(t("ui.questions.note_and_evidence", lang)):
                st.text_area(t("ui.questions.note", lang), max_chars=MAX_NOTE, key=f"{base}.note", height=80)
                st.text_input(
                    t("ui.questions.evidence", lang),
                    max_chars=MAX_EVIDENCE,
                    key=f"{base}.evidence",
                    placeholder="https://…",
                    help=t("ui.questions.evidence_help", lang),
                )


# The page's switch for the note and evidence fields (off in the administration's view).
notes = st.toggle(
    t("ui.questions.show_notes", lang),
    value=False,
    key="questions.notes.verwaltung",
    help=t("ui.questions.show_notes_help", lang),
)

# ?fragments=1 (what-if, `--bare-fragments`): each question is an st.fragment, so an answer
# reruns only its question instead of the whole page.
draw = st.fragment(question) if st.query_params.get("fragments") == "1" else question
for number, item in enumerate(parts[STEP].items, 1):
    draw(number, item)

back, forward = st.columns(2)
forward.button(t("ui.questions.next", lang), type="primary", icon=":material/arrow_forward:", width="stretch")
