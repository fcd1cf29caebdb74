"""Sentences (kb/text/sentences.py): where a sentence ends. The splitter decides where long
passages split (kb/passages/segment.py), which sentences a learning point is judged by, and
which sentences an answer quotes.

A sentence ends at ".", "!" or "?" (closed by a quote or bracket or not) followed by a
capital or a digit, except after these abbreviations, each written as the text writes it,
case included. Measured with bench/text_toolkit.py: issue 14's cases ("Sec. 47", "p. 12",
"St. Mary's", "Approx. 300") and real sentences of corpus/ and corpus-dev, beside pysbd."""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "NUMBER_ABBREVIATIONS"]

# Never the end of a sentence: Latin abbreviations and titles before a name.
ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "cf.",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Prof.",
    "St.",
    "No.",
)
# Not the end of a sentence when a number follows: "Sec. 47", "s. 17", "p. 12", "pp. 14-15",
# "para. 4.3", "Fig. 2", "Approx. 300", "c. 300". Before a capital they may end one ("...
# the mother's. She"; "the figures are approx. The").
NUMBER_ABBREVIATIONS = (
    "Sec.",
    "sec.",
    "s.",
    "ss.",
    "p.",
    "pp.",
    "para.",
    "paras.",
    "Para.",
    "Fig.",
    "fig.",
    "Nos.",
    "Approx.",
    "approx.",
    "c.",
    "vol.",
    "Vol.",
    "ch.",
    "Ch.",
)
