"""My data: links to continue and share, what this browser remembers, export, import and deletion."""

from pathlib import PurePath

import streamlit as st

from ktmsc.labels import counted, fmt_number
from ktmsc.model.assessment import AssessmentError, parse_assessment
from ktmsc.model.limits import MAX_FILE_BYTES
from ktmsc.texts import t
from ktmsc.ui import device, frame, journal, links, resume, session, views
from ktmsc.ui.safe import md

lang = frame.lang()
q = session.questionnaire()
cur = session.active()

st.title(t("ui.data.title", lang))

if cur is not None and not cur.read_only:
    st.header(t("ui.data.links", lang))
    st.markdown(t("ui.data.resume_intro", lang))
    resume.link_box(lang, cur, "data.link")
    st.markdown(t("ui.data.share_intro", lang))
    st.code(links.share_link(lang, cur), language=None, wrap_lines=True)

if device.remembered() is not None:
    st.header(t("ui.resume.device", lang))
    st.markdown(t("ui.resume.device_intro", lang, days=device.REMEMBER_DAYS))
    if st.button(t("ui.resume.forget", lang), icon=":material/phonelink_erase:", key="data.forget"):
        device.forget()
        session.forget()  # this tab leaves it too, or the next run would remember it again
        session.notice("ui.resume.forgotten")
        st.switch_page(links.page_path("start"), query_params=links.params(lang))

if cur is not None:
    st.header(t("ui.data.export", lang))
    views.export_buttons(q, cur.assessment, lang)
    st.caption(t("ui.data.export_help", lang))

if cur is None or not cur.read_only:
    st.header(t("ui.data.import", lang))
    st.markdown(t("ui.data.import_intro", lang) if cur is None else t("ui.data.import_replace", lang))
    upload = st.file_uploader(t("ui.data.upload", lang), type=["json"], key="data.upload")
    # Streamlit writes "1MB per file • JSON" in English whatever the language; our caption says it.
    st.html("<style>.st-key-data-upload [data-testid='stFileUploaderDropzoneInstructions']{display:none}</style>")
    st.caption(t("ui.data.upload_help", lang, megabytes=MAX_FILE_BYTES // 1_000_000))
    if upload is not None:
        # The workshop package (numpy, altair) only once a file is there: most visits upload nothing.
        from ktmsc.workshop.imports import error_text_key, is_group_file, read_group_file, round_assessment, summary

        imported = workshop_file = None
        if upload.size > MAX_FILE_BYTES:
            st.error(
                t(
                    "ui.import_error.too_large",
                    lang,
                    size_kb=fmt_number(upload.size // 1000, lang),
                    limit_kb=fmt_number(MAX_FILE_BYTES // 1000, lang),
                )
            )
        else:
            raw = upload.getvalue()
            is_workshop = is_group_file(raw)  # a workshop's file: its group result opens as a new assessment
            try:
                if is_workshop:
                    workshop_file = read_group_file(raw, q)
                else:
                    imported = parse_assessment(raw, q)
            except AssessmentError as error:
                # A workshop file's ids and names come from the file: shown as text.
                params = {k: md(v) for k, v in error.params.items()} if is_workshop else error.params
                st.error(t(error_text_key(error), lang, **params), icon=":material/error:")
        if workshop_file is not None:
            name = PurePath(upload.name).stem
            st.success(t("group_file.title", lang, name=md(name), summary=md(summary(q, workshop_file, lang))))
            number = workshop_file.round
            if len(workshop_file.rounds) > 1:
                number = st.radio(
                    t("workshop.second_round.from_round", lang),
                    workshop_file.rounds[::-1],  # the round the file is of first, as on the dashboard
                    format_func=lambda n: t("workshop.second_round.round_label", lang, round=n),
                    horizontal=True,
                    key="data.group_round",
                )
            st.caption(t("group_file.open_help", lang))
            if st.button(t("group_file.open", lang), type="primary", icon=":material/insights:"):
                opened = session.open_new(round_assessment(q, workshop_file, number, lang=lang, title=name))
                st.switch_page(links.page_path("results"), query_params=links.params(lang, opened))
        if imported is not None:
            st.success(
                t(
                    "ui.data.import_ready",
                    lang,
                    name=md(imported.profile.name or t("ui.frame.unnamed", lang)),
                    answers=counted("core.counts.answers", len(imported.answers), lang),
                    domains=counted("core.counts.domains", len(imported.domains), lang),
                )
            )
            if st.button(t("ui.data.import_confirm", lang), type="primary", icon=":material/upload:"):
                replaced = session.replace(imported)
                if replaced is None:
                    st.error(t("ui.data.import_refused", lang), icon=":material/error:")
                else:
                    journal.forget_all(replaced)  # the answers given before no longer apply
                    st.switch_page(links.page_path("results"), query_params=links.params(lang, replaced))

if cur is not None and not cur.read_only:
    st.header(t("ui.data.delete", lang))
    st.markdown(t("ui.data.delete_intro", lang))
    confirmed = st.checkbox(t("ui.data.delete_confirm", lang), key="data.delete_confirm")
    if st.button(t("ui.data.delete_button", lang), disabled=not confirmed, icon=":material/delete_forever:"):
        if device.remembered() == cur.edit_token:
            device.forget()
        session.delete()
        session.notice("ui.data.deleted")
        st.switch_page(links.page_path("start"), query_params=links.params(lang))
