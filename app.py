"""KTMSC Self-Check: page config, language and navigation. Everything else lives in ktmsc/ui."""

import streamlit as st

from ktmsc.ui import frame, session

st.set_page_config(page_title="KTMSC Self-Check", page_icon=":material/explore:", layout="centered")

lang = frame.lang()
navigation = st.navigation(frame.pages(lang))
current = session.current(lang)
frame.keep_url_state(lang, current)
frame.sidebar(lang, current)
frame.show_notice(lang)
navigation.run()
