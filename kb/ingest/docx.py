"""Loader for Word documents (.docx), with python-docx: heading styles give the structure,
list paragraphs (numbered or bulleted, by style or numbering) are list items or numbered
paragraphs, tables are read in document order with their header row. Headers and footers are
not part of the body, so they are left out."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from kb.errors import CorruptDocument, EmptyDocument
from kb.ingest.blocks import finish_blocks, is_numbered_paragraph
from kb.ingest.clean import normalise_characters, normalise_spaces
from kb.records import Block, ParsedDocument
from kb.rules.formats import COVER_LINE_MAX_WORDS, COVER_MAX_PARAGRAPHS, HEADING_STYLE
from kb.rules.passages import BULLET

__all__ = ["load_docx"]


def load_docx(path: Path, data: bytes) -> ParsedDocument:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocument(
            str(path), "not a readable Word document (damaged or truncated)"
        ) from exc
    items = list(_body_items(document))
    front, items = _cover(items)
    title = next((text for style, text in front if style.lower() == "title"), "")
    title = title or (document.core_properties.title or "").strip()
    numbered = [t for style, t in _paragraphs(items) if _is_numbered_style(style)]
    # A report numbered throughout in a list style numbers its paragraphs, short or long.
    paragraphs_numbered = sum(map(is_numbered_paragraph, numbered)) * 2 >= len(numbered) > 0
    blocks = [block for item in items if (block := _block(item, paragraphs_numbered)) is not None]
    if not blocks:
        raise EmptyDocument(str(path), "the Word document holds no text")
    return ParsedDocument(
        path=str(path),
        blocks=tuple(finish_blocks(blocks)),
        title_hint=title,
        title_source="the Word document's title" if title else "",
        front_matter=tuple(text for _, text in front),
    )


_Item = tuple[str, str] | Block  # (style, text) of a paragraph, or a table block


def _body_items(document: Any) -> list[_Item]:
    """Paragraphs (style, text) and tables, in document order."""
    items: list[_Item] = []
    for child in document.iter_inner_content():
        if hasattr(child, "rows"):
            table = _table(child)
            if table is not None:
                items.append(table)
            continue
        text = normalise_spaces(normalise_characters(child.text))
        if not text:
            continue
        style = child.style.name if child.style is not None else ""
        numbered = child._p.find(".//{*}numPr") is not None
        if numbered and not HEADING_STYLE.match(style) and "list" not in style.lower():
            style = f"List {style}"
        items.append((style, text))
    return items


def _table(table: Any) -> Block | None:
    rows = []
    for row in table.rows:
        cells = [normalise_spaces(normalise_characters(c.text)) for c in row.cells]
        # A merged cell repeats across the columns it spans: keep it once.
        cells = [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]]
        if any(cells):
            rows.append("\t".join(cells))
    if not rows:
        return None
    return Block("table", "\n".join(rows), None)


def _cover(items: list[_Item]) -> tuple[list[tuple[str, str]], list[_Item]]:
    """A Title-styled opening (title, subtitle and the short lines before the first heading)
    is the document's cover: it says what the document is and is not indexed."""
    head: list[tuple[str, str]] = []
    for item in items[:COVER_MAX_PARAGRAPHS]:
        if isinstance(item, Block) or re.match(r"heading", item[0], re.IGNORECASE):
            break
        head.append(item)
    has_title = any(style.lower() == "title" for style, _ in head)
    if (
        not has_title
        or len(head) == len(items)
        or any(len(t.split()) > COVER_LINE_MAX_WORDS for _, t in head)
    ):
        return [], items
    return head, items[len(head) :]


def _paragraphs(items: list[_Item]) -> list[tuple[str, str]]:
    return [item for item in items if not isinstance(item, Block)]


def _is_numbered_style(style: str) -> bool:
    return "list" in style.lower() and "bullet" not in style.lower()


def _block(item: _Item, paragraphs_numbered: bool) -> Block | None:
    if isinstance(item, Block):
        return item
    style, text = item
    heading = HEADING_STYLE.match(style)
    if heading:
        if heading.group(1).lower() != "heading":
            return Block("title", text, None)
        return Block("heading", text, None, level=int(heading.group(2) or 1))
    if BULLET.match(text):
        return Block("bullet", BULLET.sub("", text, count=1), None)
    if _is_numbered_style(style) and (paragraphs_numbered or is_numbered_paragraph(text)):
        return Block("paragraph", text, None)
    if "list" in style.lower():
        return Block("bullet", text, None)
    return Block("paragraph", text, None)
