"""kb's Streamlit app: search, topics, ask, course packs, case check and the library.

Thin by design: the pages live in kb/webapp and call the kb package for everything."""

import streamlit as st

from kb.webapp import (
    ask_page,
    casecheck_page,
    library_page,
    packs_page,
    search_page,
    topics_page,
)
from kb.webapp.common import get_kb

st.set_page_config(page_title="kb: learning from safeguarding reviews", layout="wide")
get_kb()  # load the index and the model once per process (cached), with a spinner
pages = [
    st.Page(
        search_page.render,
        title="Search",
        icon=":material/search:",
        url_path="search",
        default=True,
    ),
    st.Page(topics_page.render, title="Topics", icon=":material/category:", url_path="topics"),
    st.Page(ask_page.render, title="Ask", icon=":material/question_answer:", url_path="ask"),
    st.Page(
        packs_page.render, title="Course packs", icon=":material/library_books:", url_path="packs"
    ),
    st.Page(
        casecheck_page.render,
        title="Case check",
        icon=":material/checklist:",
        url_path="case-check",
    ),
    st.Page(
        library_page.render, title="Library", icon=":material/folder_open:", url_path="library"
    ),
]
st.navigation(pages).run()
