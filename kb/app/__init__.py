"""The Streamlit pages of kb. Rendering only: every search, ranking and file decision is made
by the kb package. Document text is always escaped before it reaches the page."""
