"""Blocks and passages: list items, numbered paragraphs, captions, footnotes and tables in
text (kb/ingest/blocks.py), and how blocks become passages (kb/passages/segment.py).

Measured on the sample corpus (corpus/) and shared/corpus-dev; the passage size itself is a
setting (KB_MAX_PASSAGE_CHARS, 600), measured on the judged queries (docs/evaluation.md)."""

from __future__ import annotations

import re

__all__ = [
    "BROKEN_PARAGRAPH_LOOKBACK",
    "BULLET",
    "CAPTION",
    "CAPTION_LINE_MAX_WORDS",
    "CAPTION_LINE_MIN_WORDS",
    "CAPTION_WORDS",
    "CLAUSE_SEPARATORS",
    "DEFAULT_TEXT_WIDTH",
    "FOOTNOTE",
    "HARD_WRAP_LONG_LINE",
    "HARD_WRAP_MAX_LONG_SHARE",
    "HARD_WRAP_MIN_LINES",
    "INTRODUCES_LIST",
    "ITEM_NUMBER_PREFIX",
    "ITEM_SENTENCE_END",
    "LEAD_IN_MAX_WORDS",
    "LEAD_IN_ONLY_MAX_WORDS",
    "MIN_ITEM_WORDS",
    "MIN_PARAGRAPH_WORDS",
    "NUMBERED_PARAGRAPH_MIN_SENTENCES",
    "NUMBERED_PARAGRAPH_WORDS",
    "PARAGRAPH_END_WIDTH_SHARE",
    "RUNT_MERGE_LIMIT",
    "RUNT_PARTS",
    "SENTENCE_CLOSERS",
    "TABLE_LEAD_IN_MAX_WORDS",
    "TEXT_WIDTH_PERCENTILE",
]

# A list item in text: a bullet glyph (a checklist's box or tick included), "1." / "2)" /
# "(3)", "a." / "(b)", then its words.
# A form's "☐ Yes ☐ No" (a second box on the line) is no item.
BULLET = re.compile(
    r"^\s*(?:[-•*>o▪◦‣⁃■➢►▶]|[□☐☑☒✓✔](?!.*[□☐☑☒])|\(?\d{1,2}[.)]|\(?[a-h][.)])\s+(?=\S)"
)
# A numbered "list" item of several sentences, or a long one, is a numbered paragraph of a
# report ("1. This learned lessons review concerns..."), not a list item; one-sentence items
# ("1. Look at the whole baby...") are. Measured on the Word and PDF reviews of corpus-dev.
NUMBERED_PARAGRAPH_WORDS = 45
NUMBERED_PARAGRAPH_MIN_SENTENCES = 2
# The number of an item or numbered paragraph: "1. ", "(a) ", "iv) ".
ITEM_NUMBER_PREFIX = re.compile(r"^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+")
# Where a sentence of a numbered item ends: a word, ".", "!" or "?", then a capital or the end.
ITEM_SENTENCE_END = re.compile(r"[a-z0-9)\"'][.!?](?:\s+[A-Z\"']|\s*$)")

# What a figure or table's caption opens with: "Figure 2", "Table", "Source: ..." (one list,
# for the reader and for answers).
CAPTION_WORDS = r"(?:figure|table|chart|graph|source|diagram)"
CAPTION = re.compile(rf"^{CAPTION_WORDS}\s*\d*\b", re.IGNORECASE)
# A short line set after a table, not a sentence, captions it: this many words.
CAPTION_LINE_MIN_WORDS = 2
CAPTION_LINE_MAX_WORDS = 20
# A table without a caption takes the paragraph before it when that is this short.
TABLE_LEAD_IN_MAX_WORDS = 40
# The cleaner writes a footnote's number as "[6]".
FOOTNOTE = re.compile(r"^\[\d{1,3}\]\s")
# A paragraph cut by a page break is rejoined past at most this many footnotes or captions.
BROKEN_PARAGRAPH_LOOKBACK = 3
# What ends a sentence or a line of text (a line ending so may end its paragraph).
SENTENCE_CLOSERS = (".", "!", "?", ":", '"', ")", ";")

# Hard-wrapped text (a .txt saved at a fixed width): at least this many lines, and under
# this share of them longer than this many characters.
HARD_WRAP_MIN_LINES = 5
HARD_WRAP_LONG_LINE = 120
HARD_WRAP_MAX_LONG_SHARE = 0.02
# The text's width is the line length this share of lines stay within (80 without lines).
TEXT_WIDTH_PERCENTILE = 0.9
DEFAULT_TEXT_WIDTH = 80
# A line that ends a sentence short of this share of the width ends its paragraph.
PARAGRAPH_END_WIDTH_SHARE = 0.8

# Passages: a paragraph of fewer words than this is no passage (a stray label, a page
# reference); a list item of fewer than MIN_ITEM_WORDS is none either.
MIN_PARAGRAPH_WORDS = 4
MIN_ITEM_WORDS = 2
# Over-long blocks split after sentences, then clauses, then words (langchain's separators,
# after the sentence end of kb/text/sentences.py).
CLAUSE_SEPARATORS = (r";\s+", r",\s+", r"\s+")
# A chunk under 1/RUNT_PARTS of the passage size ("This will allow more families to
# benefit.") joins the chunk before it, while that stays within RUNT_MERGE_LIMIT times it.
RUNT_PARTS = 4
RUNT_MERGE_LIMIT = 1.3
# The sentence before a list introduces it when it ends with ":", says "following", or is
# at most this many words.
LEAD_IN_MAX_WORDS = 15
INTRODUCES_LIST = re.compile(r"\bfollowing\b", re.IGNORECASE)
# A paragraph that only introduces the list after it ("In many cases the following was
# found:"), of at most this many words and no figure, is no passage of its own: each item
# carries it as context.
LEAD_IN_ONLY_MAX_WORDS = 20
