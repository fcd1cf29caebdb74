"""Ask: a short answer from the documents, with citations that open the passage in context."""

from __future__ import annotations

import streamlit as st

from kb.webapp.common import context_view, escape, get_kb, style


def render() -> None:
    style()
    kb = get_kb()
    st.title("Ask a question")
    question = st.text_input(
        "Question",
        value=st.query_params.get("question", ""),
        placeholder="e.g. How many children were on a child protection plan?",
    )
    st.query_params["question"] = question
    if not question.strip():
        st.caption("Answers come only from the indexed documents, each sentence with its source.")
        return
    with st.spinner("Reading the documents…"):
        answer = kb.ask(question)
    if answer.notice:
        st.warning(answer.notice)
    if answer.answered:
        st.markdown(f'<div class="kb-text">{escape(answer.text)}</div>', unsafe_allow_html=True)
        st.subheader("Sources")
    else:
        st.info(answer.text)
        st.subheader("Nearest passages")
    passages = {h.passage.passage_id: h.passage for h in answer.nearest}
    for n, citation in enumerate(answer.citations, start=1):
        with st.expander(f"[{n}] {citation.label()}"):
            st.markdown(
                f'<div class="kb-text">{escape(citation.text)}</div>', unsafe_allow_html=True
            )
            st.caption(citation.section)
            passage = passages.get(citation.passage_id)
            if passage is not None:
                st.markdown("**In context**")
                context_view(kb, passage)
