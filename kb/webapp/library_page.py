"""Library: the indexed documents; edit their metadata, upload new files, remove documents."""

from __future__ import annotations

import streamlit as st

from kb.records import DOC_TYPES
from kb.uploads import ingest_upload
from kb.webapp.common import config, get_kb, style

UPLOAD_TYPES = ["pdf", "docx", "txt", "md", "html", "htm"]


def render() -> None:
    style()
    kb = get_kb()
    st.title("Library")
    documents = kb.documents()
    points = {}
    for point in kb.points():
        points[point.document.doc_id] = points.get(point.document.doc_id, 0) + 1
    st.dataframe(
        [
            {
                "id": d.doc_id,
                "title": d.title,
                "type": d.doc_type,
                "year": d.year,
                "passages": d.passage_count,
                "learning points": points.get(d.doc_id, 0),
                "reviews": ", ".join(d.reviews),
            }
            for d in documents
        ],
        hide_index=True,
        use_container_width=True,
    )
    upload_section(kb)
    if documents:
        edit_section(kb, documents)


def upload_section(kb) -> None:  # noqa: ANN001
    st.subheader("Add documents")
    cfg = config()
    files = st.file_uploader(
        "PDF, Word, web pages or text",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key="library-upload",
    )
    if not files or not st.button("Index these files"):
        return
    bar = st.progress(0.0, text="Indexing…")
    results = []
    for n, upload in enumerate(files, start=1):
        bar.progress((n - 1) / len(files), text=f"Indexing {upload.name} ({n}/{len(files)})")
        results.append(
            ingest_upload(
                kb, cfg.library_dir, upload.name, upload.getvalue(), cfg.max_upload_mb * 1_048_576
            )
        )
    bar.progress(1.0, text="Done")
    for result in results:
        if result.error:
            st.error(f"Not indexed: {result.name}: {result.error}")
        else:
            st.success(f"Indexed {result.name} as {result.doc_id}")


def edit_section(kb, documents) -> None:  # noqa: ANN001
    st.subheader("Edit or remove a document")
    by_id = {d.doc_id: d for d in documents}
    doc_id = st.selectbox("Document", list(by_id), format_func=lambda i: by_id[i].title)
    doc = by_id[doc_id]
    with st.form(f"edit-{doc_id}"):
        title = st.text_input("Title", value=doc.title)
        doc_type = st.selectbox("Type", DOC_TYPES, index=DOC_TYPES.index(doc.doc_type))
        year = st.number_input("Year", min_value=1950, max_value=2100, value=doc.year or 2020)
        if st.form_submit_button("Save"):
            kb.update_document(doc_id, title=title, type=doc_type, year=int(year))
            st.success("Saved")
            st.rerun()
    confirm = st.checkbox(f"Yes, remove “{doc.title}” from the index", key=f"confirm-{doc_id}")
    if st.button("Remove document", disabled=not confirm):
        kb.remove(doc_id)
        st.success(f"Removed {doc_id}")
        st.rerun()
