"""PDF page layout and page furniture: how words become lines in reading order
(kb/ingest/layout.py), how lines become headings, paragraphs, items and notes
(kb/ingest/pdf_structure.py), and which lines are running headers, footers and page numbers
(there and, for plain text, kb/ingest/clean.py).

Measured on the PDFs in shared/corpus-dev (report, CSPR, two-column briefing, 7-minute grid)
and shared/pdf-samples (LaTeX two-column, Google Docs, LibreOffice); distances in PDF
points unless said otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "BOLD_FONT",
    "BULLET_GLYPH",
    "HEADING_NUMBER",
    "LAYOUT_RULES",
    "LIST_NUMBER",
    "MARKER_TEXT",
    "NOTE_NUMBER",
    "PAGE_NUMBER",
    "PANEL_LEVEL",
    "PARAGRAPH_NUMBER",
    "STRUCTURE_RULES",
    "TEXT_RUNNING_EDGE_LINES",
    "TEXT_RUNNING_MIN_PAGES",
    "LayoutRules",
    "StructureRules",
]


@dataclass(frozen=True)
class LayoutRules:
    """Thresholds of the layout reader (kb/ingest/layout.py)."""

    # A gutter between columns: LaTeX two-column text leaves 10 pt; words in a justified
    # line sit under 6 pt apart.
    min_gutter: float = 7.0
    # ...and at least this many times the text size: spaces between words grow with the
    # type (a 22 pt title spaces its words 7 pt apart).
    min_gutter_ems: float = 0.9
    # Each side of a gutter is at least this share of the region's width, so a bullet or a
    # hanging paragraph number is never read as a column of its own.
    min_column_share: float = 0.22
    # Each side holds at least this many lines: a single line is never split into columns
    # (a sentence space in justified text can be wide), nor a wrapped title.
    min_column_lines: int = 2
    # A drawn rectangle is a panel when it holds text and does not touch the page edge
    # (edge-to-edge bands are title and footer backgrounds).
    panel_edge_margin: float = 8.0
    panel_min_width: float = 120.0
    panel_min_height: float = 20.0  # lower boxes are rules and highlights, not panels
    # Words belong to one line when their vertical extents overlap by this share.
    line_overlap: float = 0.5
    # Words set at more than this ratio of sizes, printed over each other, are not one line:
    # a small running header printed across a large title is a line of its own ("85% of
    # children", a large figure beside small words, stays one line).
    line_size_ratio_max: float = 2.0
    # A horizontal gap narrower than this never splits a region (lines touch).
    min_line_gap: float = 0.5
    # A raised number under this share of its line's size is a footnote marker...
    marker_size_ratio: float = 0.8
    # ...set within this distance of the word before it.
    marker_max_gap: float = 2.0
    # pdfplumber's x_tolerance: letters closer than this belong to one word.
    word_x_tolerance: float = 1.5
    # Two words are spaced when the gap between them is over this share of the type size (a
    # comma set in another font, or a word split at a style change, joins its neighbour).
    word_space_ems: float = 0.12


LAYOUT_RULES = LayoutRules()
# A font is bold when its name says so ("Arial-BoldMT", "Calibri-Semibold").
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
# A footnote marker's text: a small number or a reference sign.
MARKER_TEXT = re.compile(r"\d{1,3}|[*†‡]")


@dataclass(frozen=True)
class StructureRules:
    """Thresholds of the structure reader (kb/ingest/pdf_structure.py), measured on
    shared/corpus-dev's four PDFs and shared/pdf-samples."""

    edge_share: float = 0.09  # running lines sit in the top or bottom 9% of the page
    running_min_share: float = 0.4  # ...and repeat on at least 40% of pages (and two)
    heading_size_ratio: float = 1.12  # a heading is set this much larger than the body...
    heading_max_words: int = 24  # ...or bold at body size, and short
    bold_heading_min_size: float = 0.95  # (a bold heading is set at least this near the body)
    sentence_heading_words: int = 6  # a bold line ending in "." with this many words is text
    paragraph_pitch: float = 1.3  # a line this many typical pitches below starts a paragraph
    note_size_ratio: float = 0.85  # footnotes are set smaller than the body
    cover_max_words: int = 90  # a first page this short, with the largest type, is a cover
    cover_min_pages: int = 3  # ...of a document of at least this many pages
    # A cover line set close under one of the same size continues it: a title wrapped over
    # two lines ("Child Safeguarding Practice" / "Review") is one line; separate items of a
    # cover stand apart (measured: a wrap 0.2-0.4 of the type size, items 0.9 or more).
    cover_wrap_gap_ems: float = 0.5
    title_size_ratio: float = 1.3  # the title on the first page is this much above the body
    # Lines of one style differ in size by less than this (rounding in the PDF).
    same_size_tolerance: float = 0.6
    # A heading wrapped over lines: its next line sits within this many type sizes.
    heading_wrap_gap: float = 2.2
    # A footnote wrapped over lines: its next line sits within this many type sizes.
    note_wrap_gap: float = 2.0
    # A smaller line under this share of the body size is another block (a caption, a note).
    small_type_ratio: float = 0.9
    # A bullet's next line is its own when it starts no further left than its text, less this.
    bullet_indent_slack: float = 3.0
    # A first line indented this much past the paragraph's starts a new paragraph.
    paragraph_indent: float = 6.0
    # A contents page is looked for among the first this many lines.
    contents_scan_lines: int = 400


STRUCTURE_RULES = StructureRules()
PANEL_LEVEL = 6  # a boxed panel's title heads a section this deep, closed where the box ends

# A bullet, whatever glyph a document draws for it (a word of its own).
BULLET_GLYPH = re.compile(r"^[•▪◦‣⁃●○■□➢►▶✓✔✗☐☑\-–—*·o§→]$")
# A list item's number as a word of its own: "1.", "(a)", "iv)".
LIST_NUMBER = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])$")
# A report's paragraph number: "4.3", "4.3.1."
PARAGRAPH_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?$")
# A heading's number: "4", "4.3", "IV.", "B."
HEADING_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.|[A-Z]\.)$")
# A footnote's number at the start of a small-type line.
NOTE_NUMBER = re.compile(r"\d{1,3}|\*")

# Page furniture. A bare page number: "12", "Page 3 of 11", "3/11", "- 3 -" (PDF and text).
PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$|^\s*[-–]\s*\d{1,4}\s*[-–]\s*$",
    re.IGNORECASE,
)
# Plain text (a PDF without layout): a running line sits within this many non-blank lines
# of a page's top or bottom...
TEXT_RUNNING_EDGE_LINES = 3
# ...and repeats there on at least half the pages (and two), in a text of this many pages.
TEXT_RUNNING_MIN_PAGES = 3
