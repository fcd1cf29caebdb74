"""Sentence splitting: a light rule-based splitter, good enough for reports. Its rules (the
abbreviations that end no sentence, what closes a sentence) are in kb/rules/sentences.py
and kb/rules/passages.py."""

from __future__ import annotations

import re

from kb.rules.passages import SENTENCE_CLOSERS
from kb.rules.sentences import ABBREVIATIONS, NUMBER_ABBREVIATIONS

__all__ = ["SENTENCE_END", "SENTENCE_SPLIT", "ends_sentence", "split_sentences"]


def _after(abbreviations: tuple[str, ...]) -> str:
    """A position right after any of the abbreviations (one fixed-width lookbehind each)."""
    return "|".join(rf"(?<=\b{re.escape(a)})" for a in abbreviations)


# Sentence end: . ! ? (optionally closed by a quote or bracket) followed by a capital or digit;
# not after an abbreviation, nor after a number's abbreviation when a number follows. (The
# end mark is tested first: most positions fail there, before any abbreviation is tried.)
SENTENCE_END = (
    r"(?:(?<=[.!?])|(?<=[.!?][\"')]))"
    + "".join(rf"(?<!\b{re.escape(a)})" for a in ABBREVIATIONS)
    + rf"(?!(?:{_after(NUMBER_ABBREVIATIONS)})\s+\d)"
    + r"\s+(?=[\"'(]?[A-Z0-9])"
)
SENTENCE_SPLIT = re.compile(SENTENCE_END)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences (a light rule-based splitter, good enough for reports)."""
    return [s.strip() for s in SENTENCE_SPLIT.split(text) if s.strip()]


def ends_sentence(text: str) -> bool:
    """Whether a line or text ends a sentence (or a clause that leads into what follows)."""
    return text.rstrip().endswith(SENTENCE_CLOSERS)
