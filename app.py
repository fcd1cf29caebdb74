"""kb's Streamlit app: search, topics, ask, course packs, case check and the library.

Thin by design: the pages live in kb/app and call the kb package for everything."""

import streamlit as st

from kb.app import (
    ask_page,
    casecheck_page,
    library_page,
    packs_page,
    search_page,
    topics_page,
)
from kb.app.common import get_kb

st.set_page_config(page_title="kb: learning from safeguarding reviews", layout="wide")
get_kb()  # load the index and the model once per process (cached), with a spinner
PAGES = [
    (search_page, "Search", "search", "search"),
    (topics_page, "Topics", "category", "topics"),
    (ask_page, "Ask", "question_answer", "ask"),
    (packs_page, "Course packs", "library_books", "packs"),
    (casecheck_page, "Case check", "checklist", "case-check"),
    (library_page, "Library", "folder_open", "library"),
]
pages = [
    st.Page(
        module.render,
        title=title,
        icon=f":material/{icon}:",
        url_path=path,
        default=module is search_page,
    )
    for module, title, icon, path in PAGES
]
st.navigation(pages).run()
