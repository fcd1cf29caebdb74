"""What part a section plays in its document, read from its own heading.

Reviews follow a common plan: why and how the review was done, the story of the case
(background, chronology, key episodes), then findings, learning and recommendations. The
first two parts teach nothing a practitioner can apply: an auditor pasting a case wants the
learning, not the story of a case like theirs (issue #11). Search weighs them down by kind of
query (kb/retrieval/search.py, ROLE_WEIGHTS); learning points under them are never weighed
down.

Only the section's own (deepest) heading is read: "Findings > Finding 2: missing episodes"
is a finding, not the story, and "Context > Introduction" is an introduction. A heading is
matched from its start, after any numbering ("3.2 Key practice episodes", "(ii) Background").
Measured on the six corpus-dev documents and the sample report (docs/evaluation.md)."""

from __future__ import annotations

import re

__all__ = ["METHOD", "ROLES", "STORY", "section_role"]

# "3.2 ", "1. ", "(ii) ", "iv. " before a heading's words.
_NUMBERING = r"^\s*(?:\d+(?:\.\d+)*\.?\s+|\(?[ivx]+[.)]\s+)?"

# The story of the case: what happened, to whom, in what order.
STORY = re.compile(
    _NUMBERING
    + r"(?:background|family background|chronology|what happened|the case\b|case summary"
    r"|summary of (?:the )?(?:case|events|agency involvement|involvement)"
    r"|key (?:practice )?episodes|(?:practice )?episode \d+|the family\b"
    r"|family (?:composition|history|structure|background)|circumstances"
    r"|about (?:the )?(?:child|baby|young person|family|siblings?|children)\b)",
    re.IGNORECASE,
)

# Why and how the document was written: its introduction, scope and method.
METHOD = re.compile(
    _NUMBERING
    + r"(?:introduction|process of the review|(?:the )?review process|methodology|method\b"
    r"|terms of reference|scope\b|how (?:the|this) review|why (?:this|the) review"
    r"|acknowledg|contributors|the review team|review panel|parallel (?:processes|proceedings))",
    re.IGNORECASE,
)

ROLES = ("story", "method")


def section_role(section: str) -> str:
    """ "story", "method" or "" (any other part) for a section path ("A > B > C") or heading."""
    heading = section.rsplit(" > ", 1)[-1]
    if STORY.search(heading):
        return "story"
    if METHOD.search(heading):
        return "method"
    return ""
