"""Sentences (kb/text/sentences.py): where a sentence ends. The splitter decides where long
passages split (kb/passages/segment.py), which sentences a learning point is judged by, and
which sentences an answer quotes.

A "." after one of these abbreviations, followed by a capital or a digit, ends no sentence.
Each is written as the text writes it, case included (a lookbehind each)."""

from __future__ import annotations

ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Dr.", "Mr.", "Mrs.", "Ms.", "No.")
