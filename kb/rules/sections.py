"""Section roles (kb/passages/roles.py): what part of its document a section is, read from
its headings. Reviews and reports follow a common plan: why and how the document was
written, the story of the case, the local context, then findings, learning and
recommendations. Text in the first three teaches nothing a practitioner can apply, unless
it is labelled so or sits under a learning, finding or recommendation heading of its own.

Measured on the six corpus-dev documents and the sample annual report: table tests in
tests/test_rules.py, figures in docs/evaluation.md (Search quality)."""

from __future__ import annotations

import re

__all__ = [
    "CONTEXT_HEADING",
    "HEADING_NUMBERING",
    "METHOD_HEADING",
    "SECTION_ROLES",
    "STORY_HEADING",
]

# "3.2 ", "1. ", "(ii) ", "iv. " before a heading's words: a heading is matched from its start.
HEADING_NUMBERING = r"^\s*(?:\d+(?:\.\d+)*\.?\s+|\(?[ivx]+[.)]\s+)?"

# The story of the case: what happened, to whom, in what order.
STORY_HEADING = re.compile(
    HEADING_NUMBERING
    + r"(?:background|family background|chronology|what happened|the case\b|case summary"
    r"|summary of (?:the )?(?:case|events|agency involvement|involvement)"
    r"|key (?:practice )?episodes|(?:practice )?episode \d+|the family\b"
    r"|family (?:composition|history|structure|background)|circumstances"
    r"|about (?:the )?(?:child|baby|young person|family|siblings?|children)\b)",
    re.IGNORECASE,
)

# Why and how the document was written: its introduction, scope and method.
METHOD_HEADING = re.compile(
    HEADING_NUMBERING
    + r"(?:introduction|process of the review|(?:the )?review process|methodology|method\b"
    r"|terms of reference|scope\b|how (?:the|this) review|why (?:this|the) review"
    r"|acknowledg|contributors|the review team|review panel|parallel (?:processes|proceedings))",
    re.IGNORECASE,
)

# The setting of a report: its foreword, the area's context and figures, the board's own
# governance, membership and budget.
CONTEXT_HEADING = re.compile(
    HEADING_NUMBERING
    + r"(?:foreword|context\b|(?:local |area )?demographics|about (?:us|this report|the (?:board|"
    r"partnership))|governance|membership|budget|financ|funding|contents\b|glossary"
    r"|chair'?s? (?:foreword|introduction|evaluation)|statement from the chair)",
    re.IGNORECASE,
)

# Roles in the order they are tried on one heading.
SECTION_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("story", STORY_HEADING),
    ("method", METHOD_HEADING),
    ("context", CONTEXT_HEADING),
)
