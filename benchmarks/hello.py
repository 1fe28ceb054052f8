"""Hello world: the yardstick for ``startup_ratio``."""

import streamlit as st

st.write("Hello, world")
