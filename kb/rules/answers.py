"""Extractive answers (kb/answer/qa.py): which sentences answer a question, and when the
documents do not answer it.

Measured on the judged questions of tests/data/eval-dev.json and eval-extra.json (answer
accuracy, docs/evaluation.md). Applied when a question is asked: nothing stored depends on
them, so they take no part in an index's rules version."""

from __future__ import annotations

import re

from kb.rules.passages import CAPTION_WORDS

__all__ = [
    "AMOUNT",
    "COVERAGE_WEIGHT",
    "EVIDENCE_SENTENCES",
    "FIGURE",
    "FIGURE_ANY_BONUS",
    "FIGURE_COUNTS_BONUS",
    "FIGURE_NEAR_BONUS",
    "FIGURE_QUESTION",
    "FIGURE_WINDOW",
    "FRAME_WORDS",
    "MAX_SENTENCES",
    "MIN_SENTENCE_SIMILARITY",
    "MIN_SENTENCE_WORDS",
    "MIN_TERM_COVERAGE",
    "NEAR_BEST_SHARE",
    "NUMBERED_CAPTION",
    "NUMBER_WORDS",
    "QUESTION_NUMBER",
    "RANK_PENALTY",
    "YEAR",
]

# Words that frame a question but say nothing about what it asks.
FRAME_WORDS = frozenset(
    """many much number total percentage proportion report reports say said says tell
    recommend recommended recommendation recommendations document documents board
    happen happened please give list show find""".split()
)
# A question about a figure ("how many", "what percentage", "number of").
FIGURE_QUESTION = re.compile(
    r"\b(how many|how much|what (?:was|is|were) the (?:total|number|amount|figure|rate|"
    r"percentage|proportion|population)|number of|what percentage|what proportion|how often)\b",
    re.IGNORECASE,
)
# Numbers written as words.
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred"
)
# A figure in a sentence: money, a percentage, a number, a number in words.
FIGURE = re.compile(rf"£\s?\d|\d[\d,.]*\s?%|\b\d[\d,]*\b|\b(?:{NUMBER_WORDS})\b", re.I)
# An amount in a table cell ("£1,500", "12%"); a year is a column heading, not an amount.
AMOUNT = re.compile(r"[£$]?[\d,.]+%?")
YEAR = re.compile(r"(?:19|20)\d\d")
# A numbered caption ("Figure 2 ...", "Table 1", "Graph 3") is not a sentence to answer
# with (the caption words are the reader's, kb/rules/passages.py).
NUMBERED_CAPTION = re.compile(rf"^{CAPTION_WORDS}\s*\d", re.IGNORECASE)
# A number the question names ("the 2021 report") must be in the evidence.
QUESTION_NUMBER = re.compile(r"\b\d{2,}\b")

MIN_SENTENCE_WORDS = 3  # shorter "sentences" (labels, figures alone) answer nothing
MIN_SENTENCE_SIMILARITY = 0.45  # below this, the best sentence does not answer the question
MIN_TERM_COVERAGE = 0.6  # share of the question's own words the evidence must contain
EVIDENCE_SENTENCES = 3  # the best sentences (and the best one's passage) are the evidence
# A sentence's score: its cosine to the question, plus this much times the share of the
# question's words it holds, less this much for each rank its passage stands below the first.
COVERAGE_WEIGHT = 0.25
RANK_PENALTY = 0.01
# An answer quotes up to MAX_SENTENCES sentences, each scoring at least this share of the best.
MAX_SENTENCES = 3
NEAR_BEST_SHARE = 0.9
# For a figure question: more for a sentence whose figure counts what was asked ("309
# children"), less when it stands within FIGURE_WINDOW words of it, least for any figure.
FIGURE_COUNTS_BONUS = 0.25
FIGURE_NEAR_BONUS = 0.2
FIGURE_ANY_BONUS = 0.1
FIGURE_WINDOW = 3
