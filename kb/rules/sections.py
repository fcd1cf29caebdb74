"""Section roles (kb/passages/roles.py): what part of its document a section is, read from
its headings. Reviews and reports follow a common plan: why and how the document was
written, the story of the case, the local context, then findings, learning and
recommendations, and its references. Text in the story, method, context or references
teaches nothing a practitioner can apply, unless it is labelled so or sits under a
learning, finding, recommendation or analysis heading of its own.

A heading has a role only when it names that part and nothing else: "Background",
"2. Introduction and background", "Context - local demographics", "Foreword by the Chair",
or opens with a phrase that can mean nothing else ("Why this review was carried out",
"Episode 4: the bruise", "About Child T"). "Background checks and safer recruitment",
"Circumstances in which a strategy discussion must be held", "Financial exploitation",
"Introduction to the neglect toolkit" and "The case for change" have none.

References (related documents, further reading, contacts, version history) are named
only by a whole heading: "Contacts" is one, "Contact" (with birth parents) and "Further
information sharing was needed" are not.

Measured on the six corpus-dev documents and the sample annual report: table tests in
tests/test_rules.py, figures in docs/evaluation.md (Search quality)."""

from __future__ import annotations

import re

__all__ = [
    "ANALYSIS_HEADING",
    "CONTEXT_HEADING",
    "HEADING_NUMBERING",
    "METHOD_HEADING",
    "NO_POINT_ROLES",
    "REFERENCE_HEADING",
    "SECTION_ROLES",
    "STORY_HEADING",
]

# Numbering before a heading's words: "3.2 ", "1. ", "1) ", "1- ", "A. ", "(ii) ",
# "Section 2: ", "Part B - ", "Appendix A: ".
HEADING_NUMBERING = (
    r"^\s*(?:(?:section|part|chapter|appendix)\s+[\dA-Z]{1,3}\s*[.:)–-]?\s*"
    r"|\d+(?:\.\d+)*\s*[.):–-]?\s*|[A-Z][.)]\s+|\(?[ivx]{1,4}[.)]\s+)?"
)
# A heading that names only its part ends there, or goes on after a dash, colon or bracket.
_ENDS = r"\s*(?:$|[:–—(,-])"
# Words that may join two such names: "Introduction and background".
_JOINED = (
    r"(?:\s+(?:and|&)\s+"
    r"(?:background|introduction|context|scope|chronology|methodology|history|summary))*"
)


def _heading(open_phrases: str, closed_words: str) -> re.Pattern[str]:
    """A role's heading: an open phrase, followed by anything, or closed words that are the
    whole heading (joined by "and", then a separator at most)."""
    return re.compile(
        HEADING_NUMBERING + rf"(?:(?:{open_phrases})|(?:{closed_words}){_JOINED}{_ENDS})",
        re.IGNORECASE,
    )


# The story of the case: what happened, to whom, in what order.
STORY_HEADING = _heading(
    r"what happened|summary of (?:the )?(?:case|events|agency involvement|involvement)\b"
    r"|case summary|key (?:practice )?episodes?\b|(?:practice )?episode \d|kpe\s*\d"
    r"|chronology of\b|case (?:background|history)\b|overview of the case"
    r"|family (?:composition|history|structure|background)\b|the child'?s story"
    r"|about (?:the )?(?:child|baby|young person|family|siblings?|children)\b",
    r"background|chronology|timeline|the case|the family|circumstances|history",
)

# Why and how the document was written: its introduction, scope and method.
METHOD_HEADING = _heading(
    r"process of the review|(?:the )?review process|how (?:the|this) review|why (?:this|the) "
    r"review|terms of reference|scope of (?:the|this) (?:review|report|procedure|chapter|"
    r"guidance|briefing)|methodology|the review team|review panel|parallel (?:processes|"
    r"proceedings)|acknowledg|(?:about|purpose of) this (?:toolkit|guidance|procedure|"
    r"document|briefing|review|page|resource|leaflet)\b|who (?:this|the) (?:toolkit|"
    r"guidance|procedure|briefing) is for",
    r"introduction|scope|method|contributors",
)

# The setting of a report: its foreword, the area's context and figures, the board's own
# governance, membership and budget.
CONTEXT_HEADING = _heading(
    r"foreword|chair'?s? (?:foreword|introduction)|statement from the chair"
    r"|(?:local|area) demographics|about (?:us|this report|the (?:board|partnership))\b"
    r"|governance (?:and|&) accountability|board membership"
    r"|financial (?:statement|summary|arrangements|contributions)",
    r"context|demographics|governance|membership|budget|finances?|funding|contents|glossary",
)

# Pointers to other documents and people: related documents, further reading, contacts,
# the document's version history. A list of titles ("DfE: Elective home education,
# guidance for local authorities") matches a query's words and teaches nothing.
REFERENCE_HEADING = _heading(
    r"(?!)",  # no open phrase: each name must be the whole heading
    r"related (?:documents|guidance|procedures|policies|information|links|resources)"
    r"|further (?:reading|information|guidance)|(?:useful |key )?contacts|contact details"
    r"|document (?:history|control)|version (?:history|control)|references|bibliography"
    r"|amendments",
)

# Roles in the order they are tried on one heading.
SECTION_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("story", STORY_HEADING),
    ("method", METHOD_HEADING),
    ("context", CONTEXT_HEADING),
    ("reference", REFERENCE_HEADING),
)
# A heading of analysis ends the search up the headings with no role: episode-based reviews
# state their learning in each key episode's analysis ("Key practice episodes > KPE 1 >
# Analysis").
ANALYSIS_HEADING = re.compile(r"\banalys[ie]s\b|\bappraisal\b", re.IGNORECASE)
# Parts in which no learning point is looked for unless labelled or under a learning heading
# of their own: a procedure's introduction or a report's context state purpose and figures,
# and the story of the case tells what was believed then ("The school understood that it
# should not offer counselling while a referral was open" is no rule). Excluding the story
# lost no judged point on the four judged sets and dropped one such false point.
NO_POINT_ROLES = frozenset({"method", "context", "reference", "story"})
