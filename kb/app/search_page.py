"""Search: one box, filters in the sidebar, results as cards, ten to a page. The address
carries the search (q, topics, type, years, docs, page), so it can be shared as a link."""

from __future__ import annotations

from dataclasses import astuple
from typing import cast

import streamlit as st

from kb.app.common import (
    escape,
    get_kb,
    result_card,
    seed,
    set_url,
    style,
    topic_labels,
    url_list,
    url_param,
)
from kb.index.store import Filters
from kb.knowledge_base import KnowledgeBase
from kb.records import DOC_TYPES, Hit
from kb.retrieval.relevance import real_matches

__all__ = ["MAX_RESULTS", "PAGE_SIZE", "render", "results", "sidebar_filters"]

PAGE_SIZE = 10
MAX_RESULTS = 100  # results ranked and checked against the relevance floor


def _years_from_url(years: list[int]) -> tuple[int, int]:
    low, _, high = url_param("years").partition("-")
    try:
        wanted = (int(low), int(high or low))
    except ValueError:
        return years[0], years[-1]
    return max(years[0], min(wanted)), min(years[-1], max(wanted))


def _year_filter(years: list[int]) -> tuple[tuple[int, int] | None, str]:
    """The opt-in year range: off by default, so undated documents are never dropped."""
    if len(years) < 2:
        return None, ""
    seed("search-years-on", bool(url_param("years")))
    seed("search-years", _years_from_url(years))
    if not st.checkbox("Only documents from these years", key="search-years-on"):
        return None, ""
    # A range slider (its state is seeded with a pair) returns a pair.
    low, high = cast(tuple[int, int], st.slider("Years", years[0], years[-1], key="search-years"))
    st.caption("Documents without a year are left out while this is on.")
    return (low, high), f"{low}-{high}"


def sidebar_filters(kb: KnowledgeBase) -> tuple[Filters, dict[str, str]]:
    labels = topic_labels(kb)
    docs = {d.doc_id: d for d in kb.documents()}
    years = sorted({d.year for d in docs.values() if d.year})
    types = ["any", *DOC_TYPES]
    seed("search-topics", url_list("topics", list(labels)))
    seed("search-type", url_param("type", "any") if url_param("type") in types else "any")
    seed("search-docs", url_list("docs", list(docs)))
    with st.sidebar:
        st.header("Filters")
        topics = st.multiselect(
            "Topics", list(labels), format_func=lambda t: labels[t], key="search-topics"
        )
        doc_type = st.selectbox("Document type", types, key="search-type")
        year_range, years_param = _year_filter(years)
        chosen = st.multiselect(
            "Documents", list(docs), format_func=lambda d: docs[d].title, key="search-docs"
        )
    filters = Filters(
        doc_type=None if doc_type == "any" else doc_type,
        year_from=year_range[0] if year_range else None,
        year_to=year_range[1] if year_range else None,
        doc_ids=tuple(chosen),
        topics=tuple(topics),
    )
    params = {
        "topics": ",".join(topics),
        "type": "" if doc_type == "any" else doc_type,
        "years": years_param,
        "docs": ",".join(chosen),
    }
    return filters, params


def results(kb: KnowledgeBase, query: str, filters: Filters) -> list[Hit]:
    """The real matches of a search (or a topic's learning, most central first, when there
    is no query), remembered for the session so toggling a card does not search again."""
    documents = tuple((d.doc_id, d.title, d.doc_type, d.year, d.reviews) for d in kb.documents())
    signature = (query, astuple(filters), kb.store.generation, hash(documents))
    cached = st.session_state.get("search-cache")
    if cached and cached[0] == signature:
        return cached[1]
    if query:
        hits = real_matches(kb, query, kb.search(query, k=MAX_RESULTS, filters=filters))
    else:
        hits = kb.search("", k=MAX_RESULTS, filters=filters, topic=filters.topics[0])
    st.session_state["search-cache"] = (signature, hits)
    return hits


def render() -> None:
    style()
    kb = get_kb()
    st.title("Search what the reviews have learned")
    filters, params = sidebar_filters(kb)
    seed("search-q", url_param("q"))
    query = st.text_input(
        "Search",
        key="search-q",
        placeholder="e.g. fathers, case transfer, cultural practices",
        label_visibility="collapsed",
    ).strip()
    page = _page_number(query, params)
    set_url({"q": query, **params, "page": str(page) if page > 1 else ""})
    if not query and not filters.topics:
        _suggest(kb, "Type a theme or a question, or pick a topic. Topics:")
        return
    hits = results(kb, query, filters)
    if not hits:
        what = f"“{escape(query)}”" if query else "these topics"
        _suggest(kb, f"Nothing matches {what} well with these filters. Nearest topics:", query)
        return
    _heading(kb, query, filters, len(hits))
    start = (min(page, _pages(hits)) - 1) * PAGE_SIZE
    for hit in hits[start : start + PAGE_SIZE]:
        result_card(kb, hit, query, key=f"s-{hit.passage.passage_id}")
    _pager(len(hits))


def _heading(kb: KnowledgeBase, query: str, filters: Filters, count: int) -> None:
    if not query:
        label = topic_labels(kb).get(filters.topics[0], filters.topics[0])
        st.caption(
            f"{count} passages on {escape(label)}, its learning points first, most central first"
        )
        return
    if kb.is_broad(query):
        st.info("That search is very broad: add a word or two, or choose a topic.")
    noun = "result" if count == 1 else "results"
    st.caption(f"{count} {noun} that match well · share this search by copying the page address")


def _pages(hits: list[Hit]) -> int:
    return max(1, -(-len(hits) // PAGE_SIZE))


def _page_number(query: str, params: dict[str, str]) -> int:
    """The result page: from the address at first, back to 1 when the search changes."""
    signature = (query, tuple(sorted(params.items())))
    if "search-page" not in st.session_state:
        st.session_state["search-page"] = max(1, int(url_param("page", "1") or 1))
    elif st.session_state.get("search-signature") not in (None, signature):
        st.session_state["search-page"] = 1
    st.session_state["search-signature"] = signature
    return st.session_state["search-page"]


def _turn(offset: int) -> None:
    st.session_state["search-page"] = max(1, st.session_state.get("search-page", 1) + offset)


def _pager(count: int) -> None:
    pages = max(1, -(-count // PAGE_SIZE))
    if pages == 1:
        return
    page = min(st.session_state.get("search-page", 1), pages)
    left, middle, right = st.columns([1, 2, 1])
    left.button("← Previous", disabled=page == 1, on_click=_turn, args=(-1,))
    first, last = (page - 1) * PAGE_SIZE + 1, min(page * PAGE_SIZE, count)
    middle.caption(f"Results {first}–{last} of {count} · page {page} of {pages}")
    right.button("Next →", disabled=page == pages, on_click=_turn, args=(1,))


def _browse(topic_id: str) -> None:
    st.session_state["search-q"] = ""
    st.session_state["search-topics"] = [topic_id]


def _suggest(kb: KnowledgeBase, message: str, query: str = "") -> None:
    topics = kb.nearest_topics(query, 6) if query else [s.topic for s in kb.topics()][:9]
    st.markdown(message, unsafe_allow_html=True)
    columns = st.columns(3)
    for n, topic in enumerate(topics):
        columns[n % 3].button(
            topic.label, key=f"suggest-{topic.id}", on_click=_browse, args=(topic.id,)
        )
