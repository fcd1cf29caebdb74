"""Shared pieces of the app: the cached knowledge base, widget state seeded from the address,
document text shown as text, result cards, context and the PDF with the passage marked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st
from markupsafe import Markup

from kb.app.text import highlight, label_text, text_html
from kb.config import Config
from kb.knowledge_base import KnowledgeBase
from kb.outputs.packs import PackItem, PackStore
from kb.passages.citation import Citation
from kb.records import Document, Hit, Passage

__all__ = [
    "CSS",
    "DEFAULT_PACK",
    "KIND_LABELS",
    "actions",
    "badges_html",
    "chips",
    "cite_html",
    "config",
    "context_view",
    "current_pack",
    "escape",
    "flash",
    "get_kb",
    "html",
    "load_kb",
    "pack_button",
    "pack_store",
    "pdf_annotations",
    "pdf_view",
    "result_card",
    "seed",
    "set_url",
    "show_flash",
    "show_text",
    "style",
    "topic_labels",
    "url_list",
    "url_param",
]

DEFAULT_PACK = "My course pack"
KIND_LABELS = {
    "learning": "Learning point",
    "finding": "Finding",
    "recommendation": "Recommendation",
    "rule": "Rule",
}


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


# -- widget state and the address ----------------------------------------------------------
def seed(key: str, value: object) -> None:
    """Give widget `key` its first value (from the address) once: while the widget lives,
    its state is the user's, and the address only follows it."""
    if key not in st.session_state:
        st.session_state[key] = value


def url_param(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)


def url_list(name: str, allowed: Sequence[str]) -> list[str]:
    return [v for v in url_param(name).split(",") if v in allowed]


def set_url(params: dict[str, str]) -> None:
    """Put the page's state in the address (empty values left out), so it can be shared."""
    wanted = {k: v for k, v in params.items() if v}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def flash(message: str, kind: str = "success") -> None:
    """A message shown after the next rerun (st.rerun would drop one shown now)."""
    st.session_state.setdefault("flash", []).append((kind, message))


def show_flash() -> None:
    for kind, message in st.session_state.pop("flash", []):
        getattr(st, kind)(message)


# -- document text --------------------------------------------------------------------------
def escape(text: str) -> Markup:
    return text_html(text)


def html(markup: str, cls: str = "kb-text") -> None:
    """Show already-escaped markup inside a block element, where Markdown is not parsed."""
    st.markdown(f'<div class="{cls}">{markup}</div>', unsafe_allow_html=True)


def show_text(text: str, cls: str = "kb-text") -> None:
    """Document text, shown as text."""
    html(text_html(text), cls)


def chips(labels: Sequence[str], kind: str = "topic") -> str:
    return " ".join(f'<span class="kb-chip kb-{kind}">{escape(x)}</span>' for x in labels)


CSS = """
<style>
.kb-chip {display:inline-block; padding:1px 8px; margin:2px 2px; border-radius:10px;
  font-size:0.78rem; background:#eef2f7; color:#1f3a5f;}
.kb-learning {background:#1f7a4d; color:white; font-weight:600;}
.kb-review {background:#fdecc8; color:#6b4500;}
.kb-cite, .kb-muted {color:#555; font-size:0.85rem;}
.kb-text {font-size:1.02rem; line-height:1.5;}
.kb-lead {color:#555; font-style:italic;}
.kb-match {background:#fff8d6; box-shadow: 0 0 0 2px #fff8d6;}
.kb-current {border-left:3px solid #e0b000; padding-left:6px;}
mark {background:#ffe066; padding:0 1px;}
@media (max-width: 900px) {.kb-text {font-size:0.98rem;}}
</style>
"""


def style() -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    show_flash()


def topic_labels(kb: KnowledgeBase) -> dict[str, str]:
    return {t.id: t.label for t in kb.taxonomy().topics}


def cite_html(citation: Citation) -> str:
    """A citation as the cards show it: the same parts as Citation.text(), set apart."""
    parts = [f"<b>{escape(citation.title)}</b>", escape(citation.kind_and_year)]
    if citation.review:
        parts.append(escape("Review: " + citation.review))
    if citation.where:
        parts.append(escape(citation.where))
    if citation.section:
        parts.append(escape(citation.section_path))
    return '<span class="kb-cite">' + " · ".join(parts) + "</span>"


def badges_html(kb: KnowledgeBase, passages: Sequence[Passage]) -> str:
    labels = topic_labels(kb)
    kinds = dict.fromkeys(p.point_kind for p in passages if p.point_kind)
    badges = [f'<span class="kb-chip kb-learning">{KIND_LABELS.get(k, k)}</span>' for k in kinds]
    badges.append(chips(list(dict.fromkeys(r for p in passages for r in p.reviews)), "review"))
    topics = dict.fromkeys(t for p in passages for t in p.topics)
    badges.append(chips([labels.get(t, t) for t in topics]))
    return " ".join(badges)


# -- result cards ---------------------------------------------------------------------------
def result_card(kb: KnowledgeBase, hit: Hit, query: str, key: str) -> None:
    """A search result: text with the matching sentence and words marked, badges, citation,
    and actions (context, the PDF, add to a course pack)."""
    with st.container(border=True):
        html(badges_html(kb, hit.passages), "kb-badges")
        lead = f'<span class="kb-lead">{escape(hit.lead)}</span><br>' if hit.lead else ""
        html(f"{lead}{highlight(hit.body, query)}")
        html(cite_html(Citation.of_hit(hit)), "kb-cite")
        actions(kb, hit.document, hit.passages, key, query, lambda: PackItem.from_hit(hit))


def actions(
    kb: KnowledgeBase,
    doc: Document,
    passages: Sequence[Passage],
    key: str,
    query: str,
    pack_item: Callable[[], PackItem],
) -> None:
    """Show in context, open the PDF (sent to the page only when opened), add to a pack."""
    is_pdf = Path(doc.path).suffix.lower() == ".pdf" and Path(doc.path).exists()
    cols = st.columns([2, 2, 2, 3])
    context = cols[0].toggle("Show in context", key=f"ctx-{key}")
    pdf = cols[1].toggle("Open the PDF", key=f"pdf-{key}") if is_pdf else False
    pack_button(cols[2], cols[3], key, pack_item)
    if context:
        context_view(kb, passages[0], query)
    if pdf:
        pdf_view(doc, passages, key)


def pack_button(button_col: Any, picker_col: Any, key: str, item: Callable[[], PackItem]) -> None:
    names = list(dict.fromkeys([*pack_store().names(), current_pack()]))
    seed(f"pick-{key}", current_pack())
    if st.session_state[f"pick-{key}"] not in names:
        st.session_state[f"pick-{key}"] = current_pack()
    chosen = picker_col.selectbox(
        "Course pack", names, key=f"pick-{key}", label_visibility="collapsed"
    )
    if button_col.button("Add to pack", key=f"add-{key}", help="Add to the pack chosen beside"):
        st.session_state["pack"] = chosen
        pack_store().add(chosen, item())
        st.toast(f"Added to “{label_text(chosen)}”")


def context_view(kb: KnowledgeBase, passage: Passage, query: str = "") -> None:
    """The passages around one in its section, the passage itself marked."""
    if passage.passage_id is None:
        return
    for neighbour in kb.neighbours(passage.passage_id, before=3, after=3):
        prefix = "• " if neighbour.kind == "bullet" else ""
        if neighbour.passage_id == passage.passage_id:
            html(f"{prefix}{highlight(neighbour.text, query)}", "kb-text kb-current")
        else:
            html(f"{prefix}{escape(neighbour.text)}", "kb-text kb-muted")


def pdf_annotations(passages: Sequence[Passage]) -> list[dict[str, object]]:
    """streamlit-pdf-viewer annotations (PDF points, origin top-left) for the passages'
    boxes, one per line box."""
    return [
        {
            "page": box.page,
            "x": box.x0,
            "y": box.top,
            "width": max(box.x1 - box.x0, 1.0),
            "height": max(box.bottom - box.top, 1.0),
            "color": "#e0a800",
            "border": "solid",
        }
        for passage in passages
        for box in passage.boxes
    ]


def pdf_view(doc: Document, passages: Sequence[Passage], key: str) -> None:
    """The whole PDF, scrolled to the passage and the passage outlined on its page."""
    path = Path(doc.path)
    data = path.read_bytes()
    annotations = pdf_annotations(passages)
    page = next((p.page for p in passages if p.page), 1)
    st.download_button(
        "Download the PDF", data, file_name=path.name, mime="application/pdf", key=f"dl-{key}"
    )
    if not annotations:
        st.caption(f"The passage is on page {page}; its place on the page is not recorded.")
    from streamlit_pdf_viewer import pdf_viewer

    pdf_viewer(
        data,
        height=720,
        annotations=annotations,
        annotation_outline_size=2,
        render_text=True,
        scroll_to_annotation=1 if annotations else None,
        scroll_to_page=None if annotations else page,
        key=f"pdfview-{key}",
    )


def current_pack() -> str:
    return st.session_state.get("pack", DEFAULT_PACK)
