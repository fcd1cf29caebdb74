"""Shared pieces of the app: the cached knowledge base, escaping, highlighting, result cards."""

from __future__ import annotations

import html
import re
from pathlib import Path

import streamlit as st

from kb.config import Config
from kb.knowledge_base import KnowledgeBase
from kb.packs import PackItem, PackStore
from kb.records import Hit, Passage
from kb.store import STOPWORDS

DEFAULT_PACK = "My course pack"


@st.cache_resource(show_spinner="Loading the knowledge base and the language model…")
def load_kb(index_path: str) -> KnowledgeBase:
    """One KnowledgeBase (and one model) per process, shared by every session."""
    kb = KnowledgeBase.open(index_path, Config.from_env(index_path=index_path), create=True)
    kb.embedder.encode_query("warm up")  # load the model now, not at the first search
    return kb


def config() -> Config:
    return Config.from_env()


def get_kb() -> KnowledgeBase:
    return load_kb(str(config().index_path))


def pack_store() -> PackStore:
    return PackStore(config().packs_dir)


def escape(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def highlight(text: str, query: str) -> str:
    """Escaped text with the query's words marked (whole words and their endings)."""
    words = [w for w in re.findall(r"\w+", query.lower()) if w not in STOPWORDS and len(w) > 2]
    escaped = escape(text)
    if not words:
        return escaped
    stems = sorted({w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words}, key=len)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, stems[::-1])) + r")\w*", re.I)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def chips(labels: list[str], kind: str = "topic") -> str:
    return " ".join(f'<span class="kb-chip kb-{kind}">{escape(x)}</span>' for x in labels)


CSS = """
<style>
.kb-chip {display:inline-block; padding:1px 8px; margin:2px 2px; border-radius:10px;
  font-size:0.78rem; background:#eef2f7; color:#1f3a5f;}
.kb-learning {background:#1f7a4d; color:white; font-weight:600;}
.kb-review {background:#fdecc8; color:#6b4500;}
.kb-cite {color:#555; font-size:0.85rem;}
.kb-text {font-size:1.02rem; line-height:1.5; white-space:pre-line;}
.kb-lead {color:#555; font-style:italic;}
mark {background:#fff1a8; padding:0 1px;}
@media (max-width: 900px) {.kb-text {font-size:0.98rem;}}
</style>
"""


def style() -> None:
    st.markdown(CSS, unsafe_allow_html=True)


def topic_labels(kb: KnowledgeBase) -> dict[str, str]:
    return {t.id: t.label for t in kb.taxonomy().topics}


def citation_html(hit: Hit) -> str:
    doc, passage = hit.document, hit.passage
    parts = [f"<b>{escape(doc.title)}</b>", escape(f"{doc.doc_type}, {doc.year or 'n.d.'}")]
    if passage.page:
        parts.append(f"p. {passage.page}")
    if passage.section:
        parts.append(escape(passage.section_path))
    return '<span class="kb-cite">' + " · ".join(parts) + "</span>"


def result_card(kb: KnowledgeBase, hit: Hit, query: str, key: str) -> None:
    """A search result: text with matches marked, badges, citation and actions."""
    labels = topic_labels(kb)
    with st.container(border=True):
        badges = []
        if any(p.learning for p in hit.passages):
            badges.append('<span class="kb-chip kb-learning">Learning point</span>')
        badges.append(chips(list(hit.passage.reviews), "review"))
        topics = dict.fromkeys(t for p in hit.passages for t in p.topics)
        badges.append(chips([labels.get(t, t) for t in topics]))
        st.markdown(" ".join(badges), unsafe_allow_html=True)
        lead = f'<span class="kb-lead">{escape(hit.lead)}</span>\n' if hit.lead else ""
        st.markdown(
            f'<div class="kb-text">{lead}{highlight(hit.body, query)}</div>',
            unsafe_allow_html=True,
        )
        st.markdown(citation_html(hit), unsafe_allow_html=True)
        actions(kb, hit, key)


def actions(kb: KnowledgeBase, hit: Hit, key: str) -> None:
    left, right = st.columns([3, 2])
    with left, st.expander("Show in context"):
        context_view(kb, hit.passage)
    with right:
        if st.button("Add to pack", key=f"add-{key}", help=f"Add to '{current_pack()}'"):
            pack_store().add(current_pack(), PackItem.from_hit(hit))
            st.toast(f"Added to '{current_pack()}'")
    source = Path(hit.document.path)
    if source.suffix.lower() == ".pdf" and source.exists():
        pdf_view(source, hit.passage.page, key)


def context_view(kb: KnowledgeBase, passage: Passage) -> None:
    if passage.passage_id is None:
        return
    for neighbour in kb.neighbours(passage.passage_id, before=3, after=3):
        text = escape(neighbour.text)
        if neighbour.passage_id == passage.passage_id:
            text = f"<mark>{text}</mark>"
        prefix = "• " if neighbour.kind == "bullet" else ""
        st.markdown(f'<div class="kb-text">{prefix}{text}</div>', unsafe_allow_html=True)


def pdf_view(path: Path, page: int | None, key: str) -> None:
    with st.expander(f"Open the PDF at page {page or 1}"):
        data = path.read_bytes()
        st.download_button(
            "Download the PDF", data, file_name=path.name, mime="application/pdf", key=f"dl-{key}"
        )
        try:
            from streamlit_pdf_viewer import pdf_viewer

            pdf_viewer(
                data, height=700, pages_to_render=[page or 1], render_text=True, key=f"pdf-{key}"
            )
        except ImportError:  # the viewer is optional: the download still works
            st.caption("Install streamlit-pdf-viewer to read the PDF here.")


def current_pack() -> str:
    return st.session_state.get("pack", DEFAULT_PACK)
