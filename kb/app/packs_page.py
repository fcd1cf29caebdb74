"""Course packs (trainers): gather excerpts, order them, insert headings and notes where they
belong, trim excerpts, rename or delete a pack, export. Citations are read from each
document as it is now, so a metadata fix in the Library reaches every pack."""

from __future__ import annotations

import streamlit as st

from kb.app.common import (
    DEFAULT_PACK,
    current_pack,
    escape,
    flash,
    get_kb,
    html,
    pack_store,
    style,
)
from kb.app.text import label_text
from kb.errors import KBError
from kb.outputs.export import pack_csv, pack_docx, pack_markdown
from kb.outputs.packs import Pack, PackItem, pack_slug


def choose_pack() -> str:
    names = pack_store().names()
    options = list(dict.fromkeys([*names, current_pack()]))
    if st.session_state.get("packs-pick") not in options:
        st.session_state["packs-pick"] = current_pack()
    name = st.selectbox("Pack", options, key="packs-pick")
    st.session_state["pack"] = name
    return name


def _create() -> None:
    new = st.session_state.get("packs-new", "").strip()
    try:
        pack_slug(new)
        if new in pack_store().names():
            raise KBError(f"a pack called {new!r} exists already")
        pack_store().save(Pack(new))
    except KBError as exc:
        flash(str(exc), "error")
        return
    st.session_state["pack"] = st.session_state["packs-pick"] = new
    st.session_state["packs-new"] = ""


def _rename(name: str) -> None:
    new = st.session_state.get("packs-rename", "").strip()
    try:
        pack_store().rename(name, new)
    except KBError as exc:
        flash(str(exc), "error")
        return
    st.session_state["pack"] = st.session_state["packs-pick"] = new
    flash(f"Renamed to “{label_text(new)}”")


def _delete(name: str) -> None:
    pack_store().delete(name)
    st.session_state["pack"] = st.session_state["packs-pick"] = DEFAULT_PACK
    flash(f"Deleted the pack “{label_text(name)}”")


def manage(name: str) -> None:
    with st.expander("New, rename or delete a pack"):
        st.text_input("New pack name", key="packs-new")
        st.button("Create pack", on_click=_create)
        st.text_input("Rename this pack to", key="packs-rename")
        st.button("Rename", on_click=_rename, args=(name,))
        sure = st.checkbox("Yes, delete this pack and its items", key="packs-sure")
        st.button("Delete pack", disabled=not sure, on_click=_delete, args=(name,))


def render() -> None:
    style()
    kb = get_kb()
    st.title("Course packs")
    st.caption("Each pack is saved as a file on the server: ask your administrator to back it up.")
    name = choose_pack()
    manage(name)
    pack = pack_store().load(name).cited_from(kb.documents())
    insert_heading_or_note(name, pack)
    if not pack.items:
        st.info("This pack is empty: add results from Search, Topics or Ask with “Add to pack”.")
    for index, item in enumerate(pack.items):
        item_row(name, item, index, len(pack.items))
    if pack.items:
        export_buttons(pack)


def insert_heading_or_note(name: str, pack: Pack) -> None:
    places = ["at the end", *(f"before {n}. {_short(i)}" for n, i in enumerate(pack.items, 1))]
    with st.expander("Insert a heading or a trainer's note"), st.form("add-structure"):
        kind = st.radio("Kind", ["heading", "note"], horizontal=True)
        text = st.text_input("Text")
        place = st.selectbox("Where", range(len(places)), format_func=lambda n: places[n])
        if st.form_submit_button("Insert") and text.strip():
            position = len(pack.items) if place == 0 else place - 1
            pack_store().insert(name, PackItem(kind=kind, text=text.strip()), position)
            st.rerun()


def _short(item: PackItem) -> str:
    words = item.text.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")  # an option: plain text


def item_row(name: str, item: PackItem, index: int, count: int) -> None:
    with st.container(border=True):
        if item.kind == "heading":
            html(f"<h3>{escape(item.text)}</h3>", "kb-heading")
        elif item.kind == "note":
            html(f"<i>Trainer's note:</i> {escape(item.text)}")
        else:
            excerpt(name, item)
        buttons(name, item, index, count)


def excerpt(name: str, item: PackItem) -> None:
    html(f"<blockquote>{escape(item.text)}</blockquote>")
    html(escape(item.citation().text()), "kb-cite")
    store = pack_store()
    note = st.text_input("Trainer's note", value=item.note, key=f"note-{item.item_id}")
    if note != item.note:
        store.annotate(name, item.item_id, note)
    with st.expander("Trim this excerpt"):
        trimmed = st.text_area(
            "Delete the words you do not need (mark a cut with …)",
            value=item.text,
            key=f"trim-{item.item_id}",
        )
        if st.button("Save the trimmed excerpt", key=f"trim-save-{item.item_id}"):
            try:
                store.trim(name, item.item_id, trimmed)
                st.rerun()
            except KBError as exc:
                st.error(label_text(str(exc)))


def buttons(name: str, item: PackItem, index: int, count: int) -> None:
    store = pack_store()
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
