"""Case check (auditors): paste or upload a case summary, get the learning points that apply
to each concern; tick what the case file evidences and comment, concern by concern. Every
check is saved as a file (summary, ticks, comments, date) and reopens from the list or from
its address (?check=ID)."""

from __future__ import annotations

import io
from itertools import groupby

import streamlit as st

from kb.app.common import (
    KIND_LABELS,
    escape,
    flash,
    get_kb,
    html,
    seed,
    set_url,
    show_text,
    style,
    url_param,
)
from kb.app.text import label_text
from kb.errors import KBError
from kb.outputs.casecheck import (
    SCORE_HELP,
    CaseCheck,
    CaseCheckStore,
    CheckItem,
    check_case,
    new_check,
)
from kb.outputs.export import checklist_csv, checklist_docx

__all__ = [
    "NEW",
    "UPLOAD_TYPES",
    "checklist_row",
    "exports",
    "new_form",
    "read_upload",
    "render",
    "show_check",
    "store",
]

UPLOAD_TYPES = ["txt", "docx"]
NEW = ""


def store() -> CaseCheckStore:
    return CaseCheckStore()


def read_upload(upload) -> str:
    data = upload.getvalue()
    if upload.name.lower().endswith(".docx"):
        import docx

        try:
            return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        except Exception:
            flash("That Word file could not be read.", "error")
            return ""
    return data.decode("utf-8", errors="replace")


def _uploaded() -> None:
    upload = st.session_state.get("cc-upload")
    if upload is not None:
        st.session_state["cc-summary"] = read_upload(upload)


def _run_check() -> None:
    summary = st.session_state.get("cc-summary", "").strip()
    if not summary:
        flash("Paste or upload a case summary first.", "warning")
        return
    items = check_case(get_kb(), summary)
    check = store().save(new_check(summary, items, st.session_state.get("cc-name", "")))
    st.session_state["cc-open"] = check.check_id


def render() -> None:
    style()
    st.title("Case check")
    saved = {c.check_id: c for c in store().checks()}
    wanted = url_param("check")
    seed("cc-open", wanted if wanted in saved else NEW)
    if st.session_state["cc-open"] not in (NEW, *saved):
        st.session_state["cc-open"] = NEW
    check_id = st.selectbox(
        "Saved checks",
        [NEW, *saved],
        format_func=lambda i: saved[i].label() if i else "New case check",
        key="cc-open",
    )
    set_url({"check": check_id})
    if check_id:
        show_check(saved[check_id])
    else:
        new_form()


def new_form() -> None:
    st.caption("Paste a case summary: kb lists the learning points that apply to each concern.")
    st.file_uploader(
        "…or upload a .txt or .docx", type=UPLOAD_TYPES, key="cc-upload", on_change=_uploaded
    )
    st.text_area("Case summary", key="cc-summary", height=180)
    st.text_input("Name this check (optional)", key="cc-name", placeholder="e.g. Family M audit")
    st.button("Check this case", type="primary", on_click=_run_check)


def show_check(check: CaseCheck) -> None:
    st.caption(f"Saved {check.updated[:16].replace('T', ' ')} UTC · kept as a file; reopen it here")
    st.markdown("**Case summary**")
    show_text(check.summary, "kb-text kb-muted")
    st.caption(f"Fit: {SCORE_HELP}")
    if not check.items:
        st.info("No learning point applies closely to this summary.")
    for (number, concern), group in groupby(check.items, key=lambda i: (i.concern_no, i.concern)):
        html(f"<h4>Concern {number}: “{escape(concern)}”</h4>", "kb-concern")
        for topic, entries in groupby(group, key=lambda i: i.topic):
            html(f"<b>{escape(topic)}</b>", "kb-topic")
            for item in entries:
                checklist_row(check, item)
    exports(check.check_id)
    st.button("Delete this check", on_click=_delete, args=(check.check_id,))


def _delete(check_id: str) -> None:
    store().delete(check_id)
    st.session_state["cc-open"] = NEW
    flash("The case check was deleted.")


def _changed(check_id: str, key: str, widget: str, what: str) -> None:
    value = st.session_state[widget]
    if what == "tick":
        store().mark(check_id, key, evidenced=bool(value))
    else:
        store().mark(check_id, key, comment=str(value))


def checklist_row(check: CaseCheck, item: CheckItem) -> None:
    prefix = f"cc-{check.check_id}-{item.key}"
    seed(f"{prefix}-tick", check.evidenced(item))
    seed(f"{prefix}-comment", check.comment(item))
    with st.container(border=True):
        kind = KIND_LABELS.get(item.kind, item.kind)
        html(f'<span class="kb-chip kb-learning">{escape(kind)}</span> {escape(item.text)}')
        why = f"Why: {item.matched} · {item.fit()} · {item.review or 'general learning'}"
        html(f"{escape(why)}<br>{escape(item.source)}", "kb-cite")
        left, right = st.columns([1, 3])
        left.checkbox(
            "Evidenced in the case file",
            key=f"{prefix}-tick",
            on_change=_changed,
            args=(check.check_id, item.key, f"{prefix}-tick", "tick"),
        )
        right.text_input(
            "Comment",
            key=f"{prefix}-comment",
            on_change=_changed,
            args=(check.check_id, item.key, f"{prefix}-comment", "comment"),
        )


def exports(check_id: str) -> None:
    try:
        check = store().load(check_id)  # as saved, with the latest ticks and comments
    except KBError as exc:
        st.error(label_text(str(exc)))
        return
    st.subheader("Export")
    left, right, _ = st.columns(3)

    # Built when clicked, from the check as saved then: a click that follows a tick or a
    # comment at once must not get the file drawn before it was saved.
    def latest() -> CaseCheck:
        try:
            return store().load(check_id)
        except KBError:  # deleted since the page was drawn: export what it showed
            return check

    left.download_button(
        "Checklist (CSV)",
        lambda: checklist_csv(latest()),
        file_name="case-check.csv",
        mime="text/csv",
    )
    right.download_button(
        "Checklist (.docx)", lambda: checklist_docx(latest()), file_name="case-check.docx"
    )
