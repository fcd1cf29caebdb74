"""Library: the indexed documents; edit their metadata (and see where each field was read
from), upload new files, remove documents."""

from __future__ import annotations

import streamlit as st

from kb.app.common import config, flash, get_kb, html, style
from kb.app.text import label_text, text_html
from kb.errors import KBError
from kb.index.manifest import read_manifest, rules_note
from kb.ingest.uploads import ingest_upload
from kb.knowledge_base import KnowledgeBase
from kb.records import DOC_TYPES, Document

__all__ = [
    "FIELDS",
    "UPLOAD_TYPES",
    "document_table",
    "edit_section",
    "provenance",
    "render",
    "save",
    "upload_section",
]

UPLOAD_TYPES = ["pdf", "docx", "txt", "md", "html", "htm"]
FIELDS = (("title", "Title"), ("type", "Type"), ("year", "Year"), ("reviews", "Reviews"))


def render() -> None:
    style()
    kb = get_kb()
    st.title("Library")
    if note := rules_note(read_manifest(kb.path)):
        st.warning(label_text(f"The {note}."))
    documents = kb.documents()
    document_table(kb, documents)
    upload_section(kb)
    if documents:
        edit_section(kb, documents)


def document_table(kb: KnowledgeBase, documents: list[Document]) -> None:
    points: dict[str, int] = {}
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
        width="stretch",
    )


def upload_section(kb: KnowledgeBase) -> None:
    st.subheader("Add documents")
    cfg = config()
    generation = st.session_state.setdefault("library-upload-n", 0)
    files = st.file_uploader(
        "PDF, Word, web pages or text",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"library-upload-{generation}",
    )
    if not files or not st.button("Index these files"):
        return
    bar = st.progress(0.0, text="Indexing…")
    for n, upload in enumerate(files, start=1):
        bar.progress((n - 1) / len(files), text=f"Indexing file {n} of {len(files)}")
        result = ingest_upload(
            kb, cfg.library_dir, upload.name, upload.getvalue(), cfg.max_upload_mb * 1_048_576
        )
        name = label_text(result.name)
        if result.error:
            flash(f"Not indexed: {name}: {label_text(result.error)}", "error")
        else:
            flash(f"Indexed {name} as {result.doc_id}")
    st.session_state["library-upload-n"] = generation + 1  # an empty uploader next time
    st.rerun()  # the table above shows the new documents


def provenance(doc: Document) -> None:
    """Where each metadata field was read from."""
    rows = [
        f"<b>{label}</b>: {text_html(doc.provenance.get(name, 'read from the text'))}"
        for name, label in FIELDS
    ]
    if doc.overrides:
        rows.append(f"<b>Set by hand</b>: {text_html(', '.join(sorted(doc.overrides)))}")
    html("<br>".join(rows), "kb-cite")


def edit_section(kb: KnowledgeBase, documents: list[Document]) -> None:
    st.subheader("Edit or remove a document")
    by_id = {d.doc_id: d for d in documents}
    doc_id = st.selectbox("Document", list(by_id), format_func=lambda i: by_id[i].title)
    doc = by_id[doc_id]
    st.markdown("Where each field was read from:")
    provenance(doc)
    with st.form(f"edit-{doc_id}"):
        title = st.text_input("Title", value=doc.title)
        doc_type = st.selectbox("Type", DOC_TYPES, index=_type_index(doc.doc_type))
        year = st.text_input("Year", value=str(doc.year or ""), placeholder="no year")
        reviews = st.text_input(
            "Reviews (comma-separated)", value=", ".join(doc.reviews), placeholder="e.g. Baby Q"
        )
        if st.form_submit_button("Save"):
            save(kb, doc, title, doc_type, year, reviews)
    confirm = st.checkbox("Yes, remove this document from the index", key=f"confirm-{doc_id}")
    if st.button("Remove document", disabled=not confirm):
        kb.remove(doc_id)
        flash(f"Removed {doc_id}")
        st.rerun()


def _type_index(doc_type: str) -> int:
    return DOC_TYPES.index(doc_type) if doc_type in DOC_TYPES else DOC_TYPES.index("other")


def save(
    kb: KnowledgeBase, doc: Document, title: str, doc_type: str, year: str, reviews: str
) -> None:
    """Save only what changed: a document with no year keeps none unless one is typed."""
    changes: dict[str, object] = {}
    if title.strip() and title.strip() != doc.title:
        changes["title"] = title.strip()
    if doc_type != doc.doc_type:
        changes["type"] = doc_type
    if year.strip() != str(doc.year or ""):
        if not year.strip().isdigit():
            st.error("The year must be a number, such as 2019 (or left as it was).")
            return
        changes["year"] = int(year)
    names = [r.strip() for r in reviews.split(",") if r.strip()]
    if names != list(doc.reviews):
        changes["reviews"] = names
    if not changes:
        st.info("Nothing changed.")
        return
    try:
        kb.update_document(doc.doc_id, **changes)
    except KBError as exc:
        st.error(label_text(str(exc)))
        return
    flash("Saved: " + ", ".join(label for name, label in FIELDS if name in changes))
    st.rerun()
