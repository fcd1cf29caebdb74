"""Sentence splitting: a light rule-based splitter, good enough for reports."""

from __future__ import annotations

import re

__all__ = ["SENTENCE_END", "SENTENCE_SPLIT", "split_sentences"]

# Sentence end: . ! ? (optionally closed by a quote or bracket) followed by a capital or digit.
# Common abbreviations are not sentence ends.
SENTENCE_END = (
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)"
    r"(?<!\bNo\.)(?:(?<=[.!?])|(?<=[.!?][\"')]))\s+(?=[\"'(]?[A-Z0-9])"
)
SENTENCE_SPLIT = re.compile(SENTENCE_END)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences (a light rule-based splitter, good enough for reports)."""
    return [s.strip() for s in SENTENCE_SPLIT.split(text) if s.strip()]
