"""Loader for Word documents (.docx), with python-docx. Heading styles give the structure."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from kb.errors import CorruptDocument, EmptyDocument
from kb.ingest.blocks import BULLET
from kb.ingest.clean import normalise_characters, normalise_spaces
from kb.records import Block, ParsedDocument


def load_docx(path: Path, data: bytes) -> ParsedDocument:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(
            str(path), "not a readable Word document (damaged or truncated)"
        ) from exc
    blocks: list[Block] = []
    title_hint = (document.core_properties.title or "").strip()
    lead_in = ""
    for item in _body_items(document):
        if isinstance(item, Block):
            blocks.append(item)
            continue
        style, text = item
        text = normalise_spaces(normalise_characters(text))
        if not text:
            continue
        heading = re.match(r"(heading|title)\s*(\d*)", style, re.IGNORECASE)
        if heading:
            level = int(heading.group(2) or 1)
            if heading.group(1).lower() == "title" and not title_hint:
                title_hint = text
            blocks.append(Block("heading", text, None, level=level))
            lead_in = ""
        elif "list" in style.lower() or BULLET.match(text):
            blocks.append(Block("bullet", BULLET.sub("", text, count=1), None, lead_in=lead_in))
        else:
            blocks.append(Block("paragraph", text, None))
            lead_in = text
    if not blocks:
        raise EmptyDocument(str(path), "the Word document holds no text")
    return ParsedDocument(path=str(path), blocks=tuple(blocks), title_hint=title_hint)


def _body_items(document: object) -> list[tuple[str, str] | Block]:
    """Paragraphs (style, text) and table rows (as paragraph blocks), in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    items: list[tuple[str, str] | Block] = []
    for child in document.element.body.iterchildren():  # type: ignore[attr-defined]
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            style = para.style.name if para.style is not None else ""
            if child.find(".//{*}numPr") is not None and "heading" not in style.lower():
                style = f"List {style}"
            items.append((style, para.text))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [normalise_spaces(c.text) for c in row.cells]
                text = " | ".join(dict.fromkeys(c for c in cells if c))
                if text:
                    items.append(Block("paragraph", normalise_characters(text), None))
    return items
