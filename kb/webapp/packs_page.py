"""Course packs (trainers): gather excerpts, order them, add headings and notes, export."""

from __future__ import annotations

import streamlit as st

from kb.errors import KBError
from kb.export import pack_csv, pack_docx, pack_markdown
from kb.packs import Pack, PackItem, pack_slug
from kb.webapp.common import DEFAULT_PACK, current_pack, escape, pack_store, style


def choose_pack() -> str:
    store = pack_store()
    names = store.names()
    current = current_pack()
    options = list(dict.fromkeys([*names, current]))
    name = st.selectbox("Pack", options, index=options.index(current))
    with st.form("new-pack", clear_on_submit=True):
        new = st.text_input("New pack name")
        if st.form_submit_button("Create pack") and new.strip():
            try:
                pack_slug(new)
                store.save(Pack(new.strip()))
                name = new.strip()
            except KBError as exc:
                st.error(str(exc))
    st.session_state["pack"] = name
    return name


def render() -> None:
    style()
    st.title("Course packs")
    st.caption(f"Packs are saved as files in {pack_store().folder.resolve()} (back them up there).")
    name = choose_pack()
    pack = pack_store().load(name)
    add_heading_or_note(name)
    if not pack.items:
        st.info("This pack is empty: add results from Search or Topics with “Add to pack”.")
    for index, item in enumerate(pack.items):
        item_row(name, item, index, len(pack.items))
    if pack.items:
        export_buttons(pack)


def add_heading_or_note(name: str) -> None:
    expander = st.expander("Add a heading or a trainer's note")
    with expander, st.form("add-structure", clear_on_submit=True):
        kind = st.radio("Kind", ["heading", "note"], horizontal=True)
        text = st.text_input("Text")
        if st.form_submit_button("Add") and text.strip():
            pack_store().add(name, PackItem(kind=kind, text=text.strip()))
            st.rerun()


def item_row(name: str, item: PackItem, index: int, count: int) -> None:
    store = pack_store()
    with st.container(border=True):
        if item.kind == "heading":
            st.subheader(item.text)
        elif item.kind == "note":
            st.markdown(f"*Trainer's note:* {escape(item.text)}", unsafe_allow_html=True)
        else:
            st.markdown(
                f'<blockquote class="kb-text">{escape(item.text)}</blockquote>',
                unsafe_allow_html=True,
            )
            st.caption(item.citation())
            note = st.text_input("Trainer's note", value=item.note, key=f"note-{item.item_id}")
            if note != item.note:
                store.annotate(name, item.item_id, note)
        up, down, remove = st.columns(3)
        if up.button("↑ Up", key=f"up-{item.item_id}", disabled=index == 0):
            store.move(name, item.item_id, -1)
            st.rerun()
        if down.button("↓ Down", key=f"down-{item.item_id}", disabled=index == count - 1):
            store.move(name, item.item_id, +1)
            st.rerun()
        if remove.button("Remove", key=f"rm-{item.item_id}"):
            store.remove(name, item.item_id)
            st.rerun()


def export_buttons(pack: Pack) -> None:
    slug = pack_slug(pack.name)
    st.subheader("Export")
    word, markdown, csv = st.columns(3)
    word.download_button(
        "Word (.docx)",
        pack_docx(pack),
        file_name=f"{slug}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    markdown.download_button(
        "Markdown", pack_markdown(pack), file_name=f"{slug}.md", mime="text/markdown"
    )
    csv.download_button("CSV", pack_csv(pack), file_name=f"{slug}.csv", mime="text/csv")


__all__ = ["DEFAULT_PACK", "render"]
