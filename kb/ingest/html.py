"""Loader for web pages (.html, .htm), with BeautifulSoup.

The page's main content (<main>, role=main or <article>, else <body>) is read in document
order: headings, paragraphs, list items and tables keep their structure, and text held
directly in div or span elements is read too. Navigation, breadcrumbs, cookie banners, site
headers and footers, forms, scripts and "related" link lists are dropped. A boxed panel (a
container that opens with a heading) closes its section where it ends. Text is plain text:
entities are decoded and no markup survives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb.errors import EmptyDocument
from kb.ingest.blocks import finish_blocks
from kb.ingest.clean import normalise_characters, normalise_spaces
from kb.ingest.text import decode_text
from kb.records import Block, ParsedDocument
from kb.rules.formats import (
    CONTAINERS,
    DROP_ROLES,
    DROP_TAGS,
    FURNITURE,
    HEADING_TAGS,
    META_CLASS,
    PAGE_RECORD_LINE,
    PAGE_RECORD_MAX_WORDS,
    PANEL_CONTAINERS,
    TEXT_BLOCKS,
)
from kb.rules.layout import PANEL_LEVEL
from kb.rules.metadata import SITE_NAME_SEPARATOR

__all__ = ["load_html"]


def load_html(path: Path, data: bytes) -> ParsedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(path, data), "html.parser")
    page_title = _text(soup.title) if soup.title else ""
    meta_elements = [(el, _text(el)) for el in soup.find_all(class_=META_CLASS)]
    meta = [text for _, text in meta_elements if text]
    # A line that dates or owns the page ("Page owner: ... Last updated ...") dates the
    # document; it is no text of it.
    for element, text in meta_elements:
        if (
            not element.decomposed
            and len(text.split()) <= PAGE_RECORD_MAX_WORDS
            and PAGE_RECORD_LINE.search(text)
        ):
            element.decompose()
    _drop_furniture(soup)
    # bs4's stubs take no dict of strings for attrs=, which bs4 itself accepts.
    main_role = soup.find(attrs={"role": "main"})  # type: ignore[call-overload]
    root: Any = soup.find("main") or main_role or soup.find("article")
    root = root or soup.body or soup
    reader = _Reader()
    reader.walk(root)
    blocks = reader.finish()
    if not blocks:
        raise EmptyDocument(str(path), "the web page holds no text")
    h1s = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1]
    h1 = blocks[h1s[0]].text if h1s else ""
    # The page's <title>, less the site's name after " | ", else its h1.
    own_title = SITE_NAME_SEPARATOR.split(page_title)[0].strip()
    title = own_title or h1
    if len(h1s) == 1 and h1.lower() == title.lower():
        blocks[h1s[0]] = Block("title", h1, None)  # it repeats the title: it heads no section
    # The site's name is a title line of its own ("... Children Partnerships - Online
    # Procedures" names the kind of document every page of it is).
    site = [part.strip() for part in SITE_NAME_SEPARATOR.split(page_title)[1:]]
    front = tuple(dict.fromkeys(t for t in [page_title, *site, h1, *meta] if t))
    return ParsedDocument(
        path=str(path),
        blocks=tuple(finish_blocks(blocks)),
        title_hint=title,
        title_source="the page's <title>" if own_title else "the page's main heading (h1)",
        front_matter=front,
    )


def _text(element: Any) -> str:
    raw = element.get_text(" ")
    return normalise_spaces(normalise_characters(raw))


def _drop_furniture(soup: Any) -> None:
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    # A site's header and footer go; an article's own header (its h1, its date) stays.
    for tag in soup.find_all(["header", "footer"]):
        if not tag.decomposed and tag.find_parent(["article", "main"]) is None:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "main", "article"):
            continue
        attrs = tag.attrs or {}
        words = " ".join(
            [
                *(attrs.get("class") or []),
                str(attrs.get("id") or ""),
                str(attrs.get("aria-label") or ""),
            ]
        )
        if attrs.get("role") in DROP_ROLES or tag.name == "aside" or FURNITURE.search(words):
            tag.decompose()


class _Reader:
    """Walks the content in document order, collecting blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.inline: list[str] = []  # text met directly inside a container

    def walk(self, element: Any) -> None:
        from bs4 import NavigableString, Tag

        for child in element.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment or doctype
                    self.inline.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in HEADING_TAGS:
                self._flush()
                self._add("heading", _text(child), level=int(name[1]))
            elif name in TEXT_BLOCKS:
                self._flush()
                self._add("paragraph", _text(child))
            elif name in ("ul", "ol"):
                self._flush()
                self._list(child)
            elif name == "table":
                self._flush()
                self._table(child)
            elif name in CONTAINERS or name == "li":
                self._container(child)
            elif name == "br":
                self.inline.append("\n")
            else:  # inline: span, a, strong, em...
                self.inline.append(child.get_text(" "))

    def _container(self, element: Any) -> None:
        self._flush()
        first = next((c for c in element.find_all(True, recursive=False)), None)
        panel = (
            first is not None and first.name in HEADING_TAGS and element.name in PANEL_CONTAINERS
        )
        start = len(self.blocks)
        self.walk(element)
        self._flush()
        if panel and len(self.blocks) > start + 1:
            self.blocks[start] = Block("heading", self.blocks[start].text, None, level=PANEL_LEVEL)
            self.blocks.append(Block("end", "", None, level=PANEL_LEVEL))

    def _list(self, element: Any) -> None:
        for item in element.find_all("li", recursive=False):
            nested = item.find_all(["ul", "ol"])
            for sub in nested:
                sub.extract()
            self._add("bullet", _text(item))
            for sub in nested:
                self._list(sub)

    def _table(self, element: Any) -> None:
        rows = []
        for row in element.find_all("tr"):
            cells = [_text(c) for c in row.find_all(["th", "td"])]
            if any(cells):
                rows.append("\t".join(cells))
        caption = element.find("caption")
        if rows:
            lead = _text(caption) if caption else ""
            self.blocks.append(Block("table", "\n".join(rows), None, lead_in=lead))

    def _flush(self) -> None:
        text = normalise_spaces(normalise_characters(" ".join(self.inline)))
        self.inline = []
        if text:
            self._add("paragraph", text)

    def _add(self, kind: str, text: str, level: int = 0) -> None:
        if text:
            self.blocks.append(Block(kind, text, None, level=level))

    def finish(self) -> list[Block]:
        self._flush()
        return self.blocks
