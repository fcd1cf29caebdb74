"""Loader for plain text (.txt) and Markdown (.md)."""

from __future__ import annotations

from pathlib import Path

from kb.errors import EmptyDocument, UnknownEncoding
from kb.ingest.blocks import lines_to_blocks, looks_hard_wrapped
from kb.ingest.clean import dehyphenate, normalise_characters, normalise_spaces, strip_running_lines
from kb.ingest.markup import plain_text
from kb.records import ParsedDocument

__all__ = ["decode_text", "load_text"]


def decode_text(path: Path, data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or a detected encoding.

    Raises UnknownEncoding when no encoding gives coherent text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    # A guess with much "chaos" (unprintable runs, mixed scripts) is not text we can trust.
    if best is None or best.chaos > 0.15 or "\x00" in str(best):
        raise UnknownEncoding(
            str(path),
            "text in an unknown encoding (not UTF-8, and no encoding fits it); "
            "save it as UTF-8 and ingest it again",
        )
    return str(best)


def load_text(path: Path, data: bytes, markdown: bool = False) -> ParsedDocument:
    text = decode_text(path, data)
    if markdown:
        text = plain_text(text)  # inline HTML and entities are markup, not passage text
    if not text.strip():
        raise EmptyDocument(str(path), "the file holds no text")
    # A form feed marks a page break in text exported from a PDF.
    raw_pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    numbered = len(raw_pages) > 1
    cleaned_pages = []
    for page_text in raw_pages:
        page_text = dehyphenate(normalise_characters(page_text))
        cleaned_pages.append([normalise_spaces(line) for line in page_text.split("\n")])
    if numbered:
        cleaned_pages = strip_running_lines(cleaned_pages)
    all_lines = [ln for lines in cleaned_pages for ln in lines]
    pages = [(i + 1 if numbered else None, lines) for i, lines in enumerate(cleaned_pages)]
    reflow = markdown or looks_hard_wrapped(all_lines)
    blocks = lines_to_blocks(pages, reflow=reflow, markdown=markdown)
    return ParsedDocument(
        path=str(path),
        blocks=tuple(blocks),
        page_count=len(raw_pages) if numbered else None,
    )
