"""Loader for PDF: layout with pdfplumber (fonts, sizes, positions), document information
and outline with pypdf. Keeps page numbers and where each line sits on its page."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kb.errors import CorruptDocument, EmptyDocument, EncryptedDocument, ScannedDocument
from kb.ingest.blocks import finish_blocks, lines_to_blocks
from kb.ingest.clean import dehyphenate, normalise_characters, normalise_spaces, strip_running_lines
from kb.ingest.layout import Page, read_page
from kb.ingest.metadata import names_only_a_kind
from kb.ingest.pdf_structure import PdfStructure, read_structure
from kb.records import Block, ParsedDocument
from kb.rules.metadata import (
    CREATION_YEAR,
    MEANINGLESS_PDF_TITLE,
    SUBTITLED_TITLE_MAX_CHARS,
    TITLE_LINE_MAX_CHARS,
    TITLE_MAX_CHARS,
)

__all__ = ["load_pdf"]


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """pypdf and pdfminer warn at length about the damaged files kb reports itself: their
    loggers keep to errors while kb reads a PDF, and get their own levels back after."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def load_pdf(path: Path, data: bytes) -> ParsedDocument:
    """Read a PDF's layout (kb/ingest/layout.py) into structural blocks; pypdf answers for
    encryption, the outline and the document information."""
    with _quiet("pypdf", "pdfminer"):
        return _load_pdf(path, data)


def _load_pdf(path: Path, data: bytes) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptDocument(str(path), "not a PDF file (it has no PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _try_empty_password(reader):
            raise EncryptedDocument(
                str(path), "the PDF is password-protected; save an unprotected copy to ingest it"
            )
        page_count = len(reader.pages)
        outline = _outline(reader)
        title_hint = _meta_title(reader)
        year_hint = _meta_year(reader)
    except EncryptedDocument:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedDocument(str(path), "the PDF is password-protected") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptDocument(str(path), f"the PDF is damaged or truncated ({exc})") from exc
    if not page_count:
        raise EmptyDocument(str(path), "the PDF has no pages")
    try:
        pages = _layout_pages(data)
    except Exception:
        return _plain_pdf(path, reader, outline, title_hint, year_hint)
    if not any(line.text.strip() for page in pages for line in page.lines):
        raise ScannedDocument(
            str(path),
            f"no text layer on its {page_count} page(s): it looks scanned and needs OCR "
            "before it can be indexed",
        )
    structure = read_structure(pages)
    blocks = finish_blocks(list(structure.blocks), outline)
    title, source = _title(structure, title_hint)
    return ParsedDocument(
        path=str(path),
        blocks=tuple(blocks),
        page_count=page_count,
        title_hint=title,
        year_hint=year_hint,
        front_matter=structure.cover or _opening_lines(blocks),
        title_source=source,
        running_lines=structure.running,
    )


def _layout_pages(data: bytes) -> list[Page]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [read_page(page, number) for number, page in enumerate(pdf.pages, start=1)]


def _title(structure: PdfStructure, meta_title: str) -> tuple[str, str]:
    """The title set on the cover or the first page, else the PDF's own /Title."""
    if structure.cover_title:
        lines = [ln for ln in structure.cover_title[:2] if len(ln) < TITLE_LINE_MAX_CHARS]
        if lines:
            return ": ".join(lines), "the cover page (its largest type)"
    titles = [b.text for b in structure.blocks if b.kind == "title"]
    if titles:
        # A short subtitle completes the title ("7-minute briefing: Bruising in ..."); so
        # does any subtitle under a title that names only a kind of document ("7-Minute
        # Briefing" above "Elective home education: when children drop out of sight").
        joined = ": ".join(titles[:2])
        short = len(joined) <= SUBTITLED_TITLE_MAX_CHARS
        completes = len(titles) > 1 and names_only_a_kind(titles[0])
        whole = short or (completes and len(joined) <= TITLE_MAX_CHARS)
        return (joined if whole else titles[0]), "the first page (its largest type)"
    if meta_title:
        return meta_title, "the PDF's document information (/Title)"
    return "", ""


def _opening_lines(blocks: list[Block]) -> tuple[str, ...]:
    return tuple(b.text for b in blocks[:6] if b.kind in ("title", "heading", "paragraph"))


def _plain_pdf(
    path: Path, reader: Any, outline: list[tuple[str, int]], title_hint: str, year: int | None
) -> ParsedDocument:
    """Text without layout, page by page (for files the layout reader cannot open)."""
    raw_pages = [page.extract_text() or "" for page in reader.pages]
    pages = []
    for text in raw_pages:
        text = dehyphenate(normalise_characters(text))
        pages.append([normalise_spaces(line) for line in text.split("\n")])
    pages = strip_running_lines(pages)
    if not any(line.strip() for lines in pages for line in lines):
        raise ScannedDocument(
            str(path),
            f"no text layer on its {len(raw_pages)} page(s): it looks scanned and needs OCR "
            "before it can be indexed",
        )
    blocks = lines_to_blocks(
        [(i + 1, lines) for i, lines in enumerate(pages)], reflow=True, outline=outline
    )
    return ParsedDocument(
        path=str(path),
        blocks=tuple(blocks),
        page_count=len(raw_pages),
        title_hint=title_hint,
        year_hint=year,
        title_source="the PDF's document information (/Title)" if title_hint else "",
    )


def _try_empty_password(reader: Any) -> bool:
    # Many PDFs are "encrypted" with an empty user password (only editing is restricted).
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


def _outline(reader: Any) -> list[tuple[str, int]]:
    entries: list[tuple[str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                title = getattr(item, "title", None)
                if title:
                    entries.append((normalise_spaces(normalise_characters(str(title))), depth))

    try:
        walk(reader.outline, 0)
    except Exception:
        return []
    return entries


def _meta_title(reader: Any) -> str:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:
        return ""
    title = normalise_spaces(normalise_characters(str(title or "")))
    # Titles like "Microsoft Word - draft3.docx" or "untitled" say nothing about the document.
    if not title or MEANINGLESS_PDF_TITLE.search(title):
        return ""
    return title


def _meta_year(reader: Any) -> int | None:
    try:
        raw = str((reader.metadata or {}).get("/CreationDate") or "")
    except Exception:
        return None
    match = CREATION_YEAR.search(raw)
    return int(match.group(0)) if match else None
