"""Case check (auditors): paste or upload a case summary, get the learning points that apply."""

from __future__ import annotations

import io
from itertools import groupby

import streamlit as st

from kb.casecheck import ChecklistItem, check_case
from kb.export import checklist_csv, checklist_docx
from kb.webapp.common import escape, get_kb, style

UPLOAD_TYPES = ["txt", "docx"]


def read_upload(upload) -> str:  # noqa: ANN001 - Streamlit's UploadedFile
    data = upload.getvalue()
    if upload.name.lower().endswith(".docx"):
        import docx

        try:
            return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        except Exception:  # noqa: BLE001 - any unreadable upload gets the same message
            st.error("That Word file could not be read.")
            return ""
    return data.decode("utf-8", errors="replace")


def render() -> None:
    style()
    kb = get_kb()
    st.title("Case check")
    st.caption("Paste a case summary: kb lists the learning points that apply to each concern.")
    upload = st.file_uploader("…or upload a .txt or .docx", type=UPLOAD_TYPES)
    summary = st.text_area("Case summary", value=read_upload(upload) if upload else "", height=180)
    if not summary.strip():
        return
    with st.spinner("Matching the case to learning points…"):
        items = check_case(kb, summary)
    if not items:
        st.info("No learning point applies closely to this summary.")
        return
    ticked, comments = checklist(items)
    st.subheader("Export")
    left, right = st.columns(2)
    left.download_button(
        "Checklist (CSV)",
        checklist_csv(items, ticked, comments),
        file_name="case-check.csv",
        mime="text/csv",
    )
    right.download_button(
        "Checklist (.docx)",
        checklist_docx(summary, items, ticked, comments),
        file_name="case-check.docx",
    )


def checklist(items: list[ChecklistItem]) -> tuple[set[str], dict[str, str]]:
    ticked: set[str] = set()
    comments: dict[str, str] = {}
    for concern, group in groupby(items, key=lambda i: i.concern):
        st.markdown(f"#### Concern: “{escape(concern)}”", unsafe_allow_html=True)
        for topic, entries in groupby(group, key=lambda i: i.topic_label):
            st.markdown(f"**{escape(topic)}**", unsafe_allow_html=True)
            for item in entries:
                key = f"{abs(hash(concern))}-{item.key}"
                with st.container(border=True):
                    if st.checkbox(item.point.passage.text, key=f"tick-{key}"):
                        ticked.add(item.key)
                    st.caption(
                        f"Why: “{item.evidence}” · score {item.score:.2f} · "
                        f"{item.point.review or 'general learning'} · {item.source()}"
                    )
                    comment = st.text_input("Comment", key=f"comment-{key}")
                    if comment:
                        comments[item.key] = comment
    return ticked, comments
