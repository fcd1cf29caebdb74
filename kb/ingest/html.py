"""Loader for web pages (.html, .htm), with BeautifulSoup. h1-h6 give the structure."""

from __future__ import annotations

from pathlib import Path

from kb.errors import EmptyDocument
from kb.ingest.clean import normalise_characters, normalise_spaces
from kb.ingest.text import decode_text
from kb.records import Block, ParsedDocument

_SKIP = ["script", "style", "nav", "footer", "header", "noscript", "form", "aside", "template"]
_BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "blockquote", "pre", "dd", "dt"]


def load_html(path: Path, data: bytes) -> ParsedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(path, data), "html.parser")
    title_hint = normalise_spaces(soup.title.get_text(" ")) if soup.title else ""
    for tag in soup(_SKIP):
        tag.decompose()
    root = soup.body or soup
    blocks: list[Block] = []
    lead_in = ""
    for element in root.find_all(_BLOCK_TAGS):
        # A <p> inside an <li> is read with its <li>.
        if element.find_parent(["li", "tr"]) is not None:
            continue
        separator = " | " if element.name == "tr" else " "
        text = normalise_spaces(normalise_characters(element.get_text(separator)))
        if not text:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            blocks.append(Block("heading", text, None, level=int(element.name[1])))
            lead_in = ""
        elif element.name == "li":
            blocks.append(Block("bullet", text, None, lead_in=lead_in))
        else:
            blocks.append(Block("paragraph", text, None))
            lead_in = text
    if not blocks:
        text = normalise_spaces(normalise_characters(root.get_text(" ")))
        if not text:
            raise EmptyDocument(str(path), "the web page holds no text")
        blocks.append(Block("paragraph", text, None))
    return ParsedDocument(path=str(path), blocks=tuple(blocks), title_hint=title_hint)
