"""Exports: course packs and case-check checklists as Word (.docx), Markdown and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from kb.casecheck import ChecklistItem
from kb.packs import Pack


def pack_markdown(pack: Pack) -> str:
    lines = [f"# {pack.name}", ""]
    for item in pack.items:
        if item.kind == "heading":
            lines += [f"## {item.text}", ""]
        elif item.kind == "note":
            lines += [f"*Trainer's note:* {item.text}", ""]
        else:
            lines += [f"> {line}" for line in item.text.splitlines()]
            lines += [">", f"> — {item.citation()}", ""]
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
            citation = document.add_paragraph(f"Source: {item.citation()}")
            citation.runs[0].font.size = docx.shared.Pt(9)
            if item.note:
                note = document.add_paragraph(f"Trainer's note: {item.note}")
                note.runs[0].italic = True
    return _docx_bytes(document)


def checklist_csv(
    items: Sequence[ChecklistItem], ticked: set[str], comments: dict[str, str]
) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "concern",
            "topic",
            "learning point",
            "review",
            "source",
            "score",
            "why it matched",
            "evidenced",
            "comment",
        ]
    )
    for item in items:
        writer.writerow(
            [
                item.concern,
                item.topic_label,
                item.point.passage.text,
                item.point.review or "",
                item.source(),
                f"{item.score:.3f}",
                item.evidence,
                "yes" if item.key in ticked else "no",
                comments.get(item.key, ""),
            ]
        )
    return out.getvalue()


def checklist_docx(
    summary: str, items: Sequence[ChecklistItem], ticked: set[str], comments: dict[str, str]
) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Case check: learning points that apply", level=0)
    document.add_paragraph(summary, style="Quote")
    concern = None
    for item in items:
        if item.concern != concern:
            concern = item.concern
            document.add_heading(f"Concern: {concern}", level=1)
        mark = "☑" if item.key in ticked else "☐"
        document.add_paragraph(f"{mark} {item.point.passage.text}", style="List Bullet")
        document.add_paragraph(
            f'Topic: {item.topic_label}. Why: "{item.evidence}". Source: {item.source()}.'
        )
        if comments.get(item.key):
            document.add_paragraph(f"Comment: {comments[item.key]}").runs[0].italic = True
    return _docx_bytes(document)


def _docx_bytes(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()
