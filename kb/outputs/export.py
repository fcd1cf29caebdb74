"""Exports: course packs and case-check checklists as Word (.docx), Markdown and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from kb.outputs.casecheck import CaseCheck
from kb.outputs.packs import Pack

__all__ = [
    "CHECK_COLUMNS",
    "checklist_csv",
    "checklist_docx",
    "pack_csv",
    "pack_docx",
    "pack_markdown",
]


def pack_markdown(pack: Pack) -> str:
    lines = [f"# {pack.name}", ""]
    for item in pack.items:
        if item.kind == "heading":
            lines += [f"## {item.text}", ""]
        elif item.kind == "note":
            lines += [f"*Trainer's note:* {item.text}", ""]
        else:
            lines += [f"> {line}" for line in item.text.splitlines()]
            lines += [">", f"> — {item.citation().text()}", ""]
            if item.note:
                lines += [f"*Trainer's note:* {item.note}", ""]
    return "\n".join(lines).rstrip() + "\n"


def pack_csv(pack: Pack) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["kind", "text", "title", "doc_type", "year", "page", "section", "review", "note"]
    )
    for i in pack.items:
        writer.writerow(
            [
                i.kind,
                i.text,
                i.title,
                i.doc_type,
                i.year or "",
                i.page or "",
                i.section,
                i.review,
                i.note,
            ]
        )
    return out.getvalue()


def pack_docx(pack: Pack) -> bytes:
    """A Word document: the pack's headings, each excerpt as a quotation with its citation."""
    import docx

    document = docx.Document()
    document.add_heading(pack.name, level=0)
    for item in pack.items:
        if item.kind == "heading":
            document.add_heading(item.text, level=1)
        elif item.kind == "note":
            document.add_paragraph(item.text).runs[0].italic = True
        else:
            document.add_paragraph(item.text, style="Quote")
            citation = document.add_paragraph(f"Source: {item.citation().text()}")
            citation.runs[0].font.size = docx.shared.Pt(9)
            if item.note:
                note = document.add_paragraph(f"Trainer's note: {item.note}")
                note.runs[0].italic = True
    return _docx_bytes(document)


CHECK_COLUMNS = [
    "concern no",
    "concern",
    "topic",
    "learning point",
    "kind",
    "review",
    "source",
    "fit (cosine)",
    "why it matched",
    "evidenced",
    "comment",
]


def checklist_csv(check: CaseCheck) -> str:
    """One row per concern and point, with the auditor's tick and comment for that pair."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CHECK_COLUMNS)
    for item in check.items:
        writer.writerow(
            [
                item.concern_no,
                item.concern,
                item.topic,
                item.text,
                item.kind,
                item.review,
                item.source,
                f"{item.score:.3f}",
                item.matched,
                "yes" if check.evidenced(item) else "no",
                check.comment(item),
            ]
        )
    return out.getvalue()


def checklist_docx(check: CaseCheck) -> bytes:
    """The check as a Word document: summary, then each concern with its points ticked or
    not, why each matched, its source and the auditor's comment."""
    import docx

    document = docx.Document()
    document.add_heading(f"Case check: {check.name}", level=0)
    document.add_paragraph(f"Saved {check.updated.replace('T', ' ')}")
    document.add_paragraph(check.summary, style="Quote")
    concern = None
    for item in check.items:
        if item.concern_no != concern:
            concern = item.concern_no
            document.add_heading(f"Concern {concern}: {item.concern}", level=1)
        mark = "☑ evidenced" if check.evidenced(item) else "☐ not evidenced"
        document.add_paragraph(f"{mark}: {item.text}", style="List Bullet")
        # The source names its review; a check saved before citations did gets it added.
        named = not item.review or f"review: {item.review}" in item.source
        document.add_paragraph(
            f"{item.kind.capitalize()} · {item.topic} · {item.fit()} · why: {item.matched}. "
            f"Source: {item.source}" + ("" if named else f" (review: {item.review})")
        )
        if check.comment(item):
            document.add_paragraph(f"Comment: {check.comment(item)}").runs[0].italic = True
    return _docx_bytes(document)


def _docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
