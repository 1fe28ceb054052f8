"""KTMSC Self-Check: page config, style, language and navigation. Everything else lives in ktmsc/ui."""

from pathlib import Path

import streamlit as st

from ktmsc.ui import frame, session

# The icon is ours and local: Streamlit would fetch a Material icon from Google's servers.
ICON = Path(__file__).parent / "assets" / "icon.svg"

st.set_page_config(page_title="KTMSC Self-Check", page_icon=str(ICON))
frame.style()

lang = frame.lang()
navigation = st.navigation(frame.pages(lang))
frame.layout(navigation)
current = session.current(lang)
frame.keep_url_state(lang, current)
frame.sidebar(lang, current)
frame.show_notice(lang)
frame.run(navigation, lang)
