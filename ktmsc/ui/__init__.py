"""The Streamlit interface: the frame, the pages and their widgets.

Only this package imports Streamlit. Pages lay out what the core computes.
"""
