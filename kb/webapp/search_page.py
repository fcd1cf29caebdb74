"""Search: one box, filters in the sidebar, results as cards. The URL carries the search."""

from __future__ import annotations

import streamlit as st

from kb.records import DOC_TYPES
from kb.store import Filters
from kb.webapp.common import escape, get_kb, result_card, style, topic_labels

PAGE_SIZE = 10


def _param(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)


def sidebar_filters(kb) -> Filters:  # noqa: ANN001
    labels = topic_labels(kb)
    docs = kb.documents()
    years = sorted({d.year for d in docs if d.year})
    with st.sidebar:
        st.header("Filters")
        chosen_topics = st.multiselect(
            "Topics",
            list(labels),
            format_func=labels.get,
            default=[t for t in _param("topics").split(",") if t in labels],
        )
        types = ["any", *DOC_TYPES]
        wanted_type = _param("type", "any")
        doc_type = st.selectbox(
            "Document type", types, index=types.index(wanted_type) if wanted_type in types else 0
        )
        year_range = None
        if len(years) > 1:
            year_range = st.slider("Year", years[0], years[-1], (years[0], years[-1]))
        by_id = {d.doc_id: d.title for d in docs}
        chosen_docs = st.multiselect(
            "Documents",
            list(by_id),
            format_func=by_id.get,
            default=[d for d in _param("docs").split(",") if d in by_id],
        )
    st.query_params.update(
        {"topics": ",".join(chosen_topics), "type": doc_type, "docs": ",".join(chosen_docs)}
    )
    return Filters(
        doc_type=None if doc_type == "any" else doc_type,
        year_from=year_range[0] if year_range else None,
        year_to=year_range[1] if year_range else None,
        doc_ids=tuple(chosen_docs),
        topics=tuple(chosen_topics),
    )


def render() -> None:
    style()
    kb = get_kb()
    st.title("Search what the reviews have learned")
    filters = sidebar_filters(kb)
    query = st.text_input(
        "Search",
        value=_param("q"),
        placeholder="e.g. fathers, case transfer, cultural practices",
        label_visibility="collapsed",
    )
    st.query_params["q"] = query
    if not query.strip() and not filters.topics:
        _suggest(kb, "Type a theme or a question, or pick a topic in the sidebar. Topics:")
        return
    hits = kb.search(query, k=PAGE_SIZE, filters=filters)
    if not hits:
        _suggest(
            kb, f"Nothing matches “{escape(query)}” with these filters. Nearest topics:", query
        )
        return
    if kb.is_broad(query):
        st.info("That search is very broad: add a word or two, or choose a topic.")
    st.caption(f"{len(hits)} results · share this search by copying the page address")
    for n, hit in enumerate(hits):
        result_card(kb, hit, query, key=f"s{n}-{hit.passage.passage_id}")


def _suggest(kb, message: str, query: str = "") -> None:  # noqa: ANN001
    topics = kb.nearest_topics(query, 6) if query.strip() else [s.topic for s in kb.topics()][:8]
    st.markdown(message, unsafe_allow_html=True)
    columns = st.columns(3)
    for n, topic in enumerate(topics):
        if columns[n % 3].button(topic.label, key=f"suggest-{topic.id}"):
            st.query_params.update({"q": "", "topics": topic.id})
            st.rerun()
