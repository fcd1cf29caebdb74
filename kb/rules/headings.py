"""Headings, their levels and contents lists in text without layout (.txt, .md, a PDF read
as plain text: kb/ingest/blocks.py), and the contents lists of PDFs too. A PDF's headings
are found by size and weight: StructureRules in kb/rules/layout.py. Web pages and Word
files say which lines are headings: kb/rules/formats.py.

Measured on the sample corpus (corpus/), shared/corpus-dev and shared/pdf-samples."""

from __future__ import annotations

import re

__all__ = [
    "ACRONYM_IN_HEADING",
    "AUXILIARY",
    "CAPITALS_HEADING_LEVEL",
    "CLOCK",
    "CONTENTS_MATCH_LONGER",
    "CONTENTS_MATCH_SHORTER",
    "CONTENTS_MIN_ENTRIES",
    "CONTENTS_SCAN_BLOCKS",
    "CONTENTS_TITLES",
    "DEFAULT_HEADING_LEVEL",
    "ENUMERATION",
    "HEADING_LINE_WIDTH_SHARE",
    "HEADING_MAX_CHARS_PER_WORD",
    "HEADING_MAX_WORDS",
    "LIST_INTRO_LOWERCASE_SHARE",
    "LIST_INTRO_MIN_WORDS",
    "MARKDOWN_HEADING",
    "NUMBERED_HEADING",
    "NUMBERED_HEADING_LEVEL",
    "NUMBERED_HEADING_MAX_WORDS",
    "PDF_CONTENTS_ENTRY",
    "SENTENCE_HEADING_MAX_WORDS",
    "SENTENCE_INSIDE",
    "TEXT_CONTENTS_ENTRY",
    "TITLED_LABEL",
]

# A numbered heading: "(ii)", "3.", "4.1 ", "3-", "Priority 4", "Part B", "Appendix 2".
NUMBERED_HEADING = re.compile(
    r"^(?:\(?[ivx]{1,5}\)|\d{1,2}(?:\.\d{1,2})*\s*[-.):]|\d{1,2}\s|"
    r"(?:priority|part|section|chapter|appendix|stage|theme)\s+[\dA-Z]{1,3}\b)",
    re.IGNORECASE,
)
# A Markdown heading: "## Key learning".
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
# "Priority 4: Effective collaboration: ensuring that ..." heads a section and says what it
# is about in the same line: the label is the heading, the rest its first paragraph.
TITLED_LABEL = re.compile(
    r"^(?P<heading>(?:priority|part|section|chapter|stage|theme)\s+[\dA-Z]{1,3}\s*[:.-]\s*"
    r"[A-Z][^:.]{2,60}):\s+(?P<rest>\S.{20,})$",
    re.IGNORECASE,
)
# A list marker or number before a heading's words: "(ii) ", "3. ", "(a) ", "4- ".
ENUMERATION = re.compile(r"^(?:\(?[ivx]{1,5}\)|\(?\d{1,2}[-.)]|\(?[a-h]\))\s*")
# Two sentences in one line: a heading holds one at most.
SENTENCE_INSIDE = re.compile(r"[.!?]\s+[A-Z]")
# A time or ratio ("10:30", "1:4"): text, not a heading.
CLOCK = re.compile(r"\d:\d")
# The verbs of a sentence: a line that holds one and ends with "." is text, not a heading.
AUXILIARY = re.compile(
    r"\b(is|are|was|were|has|have|had|will|would|should|must|can|could|did|does)\b", re.I
)

# A heading runs to at most this many words (a numbered one, "3- Multi-Agency Audit of ...
# with the Safeguarding Adults Board", longer)...
HEADING_MAX_WORDS = 14
NUMBERED_HEADING_MAX_WORDS = 20
# ...and at most this many characters a word on average.
HEADING_MAX_CHARS_PER_WORD = 8
# A line that ends with "." is a heading only when this short ("Learning from reviews and
# incidents.") and without a verb.
SENTENCE_HEADING_MAX_WORDS = 8
# "In some cases the following issues were found" introduces a list: over this many words,
# mostly (this share) in lower case, with a verb.
LIST_INTRO_MIN_WORDS = 5
LIST_INTRO_LOWERCASE_SHARE = 0.6
# A lone line this much shorter than the text's width, reading as a heading, is one (body
# text never starts with a line well short of the width).
HEADING_LINE_WIDTH_SHARE = 0.6

# Levels of a heading found in text without layout: a numbered heading, a heading in
# capitals (when there is no contents list to say), any other.
NUMBERED_HEADING_LEVEL = 2
CAPITALS_HEADING_LEVEL = 1
DEFAULT_HEADING_LEVEL = 3

# A contents list opens with one of these (words compared in lower case).
CONTENTS_TITLES = frozenset({"contents", "table of contents"})
# ...and is looked for among the first this many blocks of a text.
CONTENTS_SCAN_BLOCKS = 200
# ...and holds at least this many entries (else it is not one).
CONTENTS_MIN_ENTRIES = 3
# A contents entry in text: "Title ..... 12", "Title<tab>12", "Title  12", "Title 12".
TEXT_CONTENTS_ENTRY = re.compile(r"^(?P<text>.+?)(?:\s*\.{2,}\s*|\t+|\s{2,}|\s)(?P<page>\d{1,3})$")
# A contents entry on a PDF's contents page: words with a letter, then the page number.
PDF_CONTENTS_ENTRY = re.compile(r"^(?P<text>.*?[A-Za-z].*?)(?:\s*\.{3,}\s*|\s+)(?P<page>\d{1,3})$")
# A heading takes a contents entry's level when they share this share of the shorter's
# words, and this share of the longer's (headings add or drop a word against the contents
# line: "(CDOP) ... for 2016").
CONTENTS_MATCH_SHORTER = 0.85
CONTENTS_MATCH_LONGER = 0.6
# "Female Genital Mutilation (FGM)" is the contents line "FGM".
ACRONYM_IN_HEADING = re.compile(r"\(([A-Z]{2,6})\)\s*$")
