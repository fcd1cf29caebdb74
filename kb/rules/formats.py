"""What each format's markup means: which elements of a web page are content, headings,
panels and furniture (kb/ingest/html.py), and which Word styles are headings and a cover
(kb/ingest/docx.py).

Measured on the dev procedure page and the Word review of shared/corpus-dev: every judged
phrase kept, every noise string dropped (docs/design.md, Web pages)."""

from __future__ import annotations

import re

__all__ = [
    "CONTAINERS",
    "COVER_LINE_MAX_WORDS",
    "COVER_MAX_PARAGRAPHS",
    "DROP_ROLES",
    "DROP_TAGS",
    "FURNITURE",
    "HEADING_STYLE",
    "HEADING_TAGS",
    "META_CLASS",
    "PAGE_RECORD_LINE",
    "PAGE_RECORD_MAX_WORDS",
    "PANEL_CONTAINERS",
    "TEXT_BLOCKS",
]

# -- web pages --
# Elements that are never content.
DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "form",
    "button",
    "svg",
    "iframe",
    "select",
    "input",
    "label",
]
# ARIA roles of page furniture.
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog"}
# Class, id or aria-label words of page furniture.
FURNITURE = re.compile(
    r"cookie|consent|banner|breadcrumb|crumbs|skip|sidenav|side-nav|sidebar|menu|navbar|topbar"
    r"|footer|share|social|print|related|pagination|toolbar|masthead|site-header|newsletter",
    re.IGNORECASE,
)
# Lines that say what the page is and when it was written (kept as front matter too).
META_CLASS = re.compile(r"meta|updated|date|byline|published|reviewed|version", re.IGNORECASE)
# Such an element of at most PAGE_RECORD_MAX_WORDS that records the page (its owner, when it
# was updated or is next reviewed) is read for the year and left out of the text.
PAGE_RECORD_LINE = re.compile(
    r"\b(?:page owner|last (?:updated|reviewed|modified)|next review|review date"
    r"|date of (?:next )?review|(?:updated|reviewed)\s*:)",
    re.IGNORECASE,
)
PAGE_RECORD_MAX_WORDS = 30
# Headings, their level in the tag.
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# A box on the page: its heading heads only what the box holds (article and section are the
# page's own structure, levelled by their headings).
PANEL_CONTAINERS = {"div", "aside", "details", "figure", "fieldset"}
# Elements that hold one paragraph of text.
TEXT_BLOCKS = {"p", "blockquote", "pre", "dd", "dt", "figcaption", "caption", "address"}
# Elements that hold blocks (and loose text, read as paragraphs).
CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "aside",
    "body",
    "details",
    "summary",
    "center",
    "dl",
    "fieldset",
    "figure",
}


# -- Word documents --
# A heading style ("Heading 2", "Title", "Subtitle") and its level.
HEADING_STYLE = re.compile(r"^(heading|title|subtitle)\s*(\d*)", re.IGNORECASE)
# A Title-styled cover is among the first this many paragraphs...
COVER_MAX_PARAGRAPHS = 8
# ...and none of its lines runs over this many words (else it is text).
COVER_LINE_MAX_WORDS = 40
