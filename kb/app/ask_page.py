"""Ask: a short answer from the documents; its numbered citations [n] open their source,
where the sentence used is marked, with its context and the PDF."""

from __future__ import annotations

import streamlit as st

from kb.answer.qa import Answer, Source
from kb.app.common import (
    actions,
    cite_html,
    escape,
    get_kb,
    html,
    seed,
    set_url,
    style,
    url_param,
)
from kb.app.text import find_span, highlight, label_text, numbered_answer
from kb.knowledge_base import KnowledgeBase
from kb.outputs.packs import PackItem
from kb.records import Hit

__all__ = ["answer_for", "render", "source"]


def answer_for(kb: KnowledgeBase, question: str) -> Answer:
    """The answer, remembered for the session so opening a source does not ask again."""
    documents = tuple((d.doc_id, d.title, d.doc_type, d.year, d.reviews) for d in kb.documents())
    signature = (question, kb.store.generation, hash(documents))
    cached = st.session_state.get("ask-cache")
    if cached and cached[0] == signature:
        return cached[1]
    with st.spinner("Reading the documents…"):
        answer = kb.ask(question)
    st.session_state["ask-cache"] = (signature, answer)
    return answer


def render() -> None:
    style()
    kb = get_kb()
    st.title("Ask a question")
    seed("ask-question", url_param("question"))
    question = st.text_input(
        "Question",
        key="ask-question",
        placeholder="e.g. How many children were on a child protection plan?",
    ).strip()
    set_url({"question": question})
    if not question:
        st.caption("Answers come only from the indexed documents, each sentence with its source.")
        return
    answer = answer_for(kb, question)
    if answer.notice:
        st.warning(label_text(answer.notice))
    labels = [c.label() for c in answer.citations]
    if answer.answered:
        html(numbered_answer(answer.text, labels), "kb-text kb-answer")
        st.subheader("Sources")
    else:
        st.info(label_text(answer.text))
        st.subheader("Nearest passages")
    hits = {h.passage.passage_id: h for h in answer.nearest}
    for n, found in enumerate(answer.citations, start=1):
        source(kb, n, found, hits.get(found.citation.passage_id), question)


def source(kb: KnowledgeBase, n: int, found: Source, hit: Hit | None, question: str) -> None:
    """Source n: its passage with the sentence used marked, its citation and actions."""
    with st.container(border=True):
        st.markdown(f'<div id="source-{n}" class="kb-source">[{n}]</div>', unsafe_allow_html=True)
        if hit is None:
            html(escape(found.text))
            html(cite_html(found.citation), "kb-cite")
            return
        span = find_span(hit.text, found.text) if found.text != hit.text else None
        html(highlight(hit.text, question, sentence=span or True))
        html(cite_html(found.citation), "kb-cite")
        actions(
            kb,
            hit.document,
            hit.passages,
            f"a{n}-{hit.passage.passage_id}",
            question,
            lambda: PackItem.from_hit(hit),
        )
