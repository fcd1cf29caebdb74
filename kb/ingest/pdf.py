"""Loader for PDF, with pypdf. Keeps page numbers; uses the outline, when there is one,
to recognise headings."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from kb.errors import CorruptDocument, EmptyDocument, EncryptedDocument, ScannedDocument
from kb.ingest.blocks import lines_to_blocks
from kb.ingest.clean import dehyphenate, normalise_characters, normalise_spaces, strip_running_lines
from kb.records import ParsedDocument


def load_pdf(path: Path, data: bytes) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptDocument(str(path), "not a PDF file (it has no PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _try_empty_password(reader):
            raise EncryptedDocument(
                str(path), "the PDF is password-protected; save an unprotected copy to ingest it"
            )
        raw_pages = [page.extract_text() or "" for page in reader.pages]
        outline = _outline(reader)
        title_hint = _meta_title(reader)
        year_hint = _meta_year(reader)
    except EncryptedDocument:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedDocument(str(path), "the PDF is password-protected") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptDocument(str(path), f"the PDF is damaged or truncated ({exc})") from exc
    if not raw_pages:
        raise EmptyDocument(str(path), "the PDF has no pages")
    pages = []
    for text in raw_pages:
        text = dehyphenate(normalise_characters(text))
        pages.append([normalise_spaces(line) for line in text.split("\n")])
    pages = strip_running_lines(pages)
    # Scanned pages carry at most a stray header line of real text.
    if sum(len(line) for lines in pages for line in lines) < 25 * len(pages):
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
        year_hint=year_hint,
    )


def _try_empty_password(reader: object) -> bool:
    # Many PDFs are "encrypted" with an empty user password (only editing is restricted).
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any failure means we cannot open it
        return False


def _outline(reader: object) -> list[tuple[str, int]]:
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
        walk(reader.outline, 0)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a broken outline is not worth failing the document
        return []
    return entries


def _meta_title(reader: object) -> str:
    try:
        title = (reader.metadata or {}).get("/Title")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return ""
    title = normalise_spaces(normalise_characters(str(title or "")))
    # Titles like "Microsoft Word - draft3.docx" or "untitled" say nothing about the document.
    if not title or re.search(r"microsoft|untitled|\.docx?$|\.pdf$", title, re.IGNORECASE):
        return ""
    return title


def _meta_year(reader: object) -> int | None:
    try:
        raw = str((reader.metadata or {}).get("/CreationDate") or "")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return None
    match = re.search(r"(19|20)\d\d", raw)
    return int(match.group(0)) if match else None
