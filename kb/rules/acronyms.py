"""Acronym rules (kb/retrieval/acronyms.py): how a document's own definitions and its
acronyms are found, so that a passage saying "CSE" is also indexed under "child sexual
exploitation". Reading rules: the expansions are stored with each passage at ingest.

The shipped glossary (kb/data/acronyms.json) is data, not a rule value: editing it needs a
re-ingest, as its own note says."""

from __future__ import annotations

import re

__all__ = ["ACRONYM", "DEFINITION", "SMALL_WORDS"]

# "Child Sexual Exploitation (CSE)": up to nine words, then the acronym in brackets.
DEFINITION = re.compile(r"((?:[A-Za-z][\w'-]*[ -]+){1,9}?)\(([A-Z]{2,6})s?\)")
# An acronym in running text: two to six capitals, a plural "s" allowed.
ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")
# Small words a definition's initials may skip ("Local Authority Designated Officer (LADO)").
SMALL_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "to", "&", "a", "with"})
