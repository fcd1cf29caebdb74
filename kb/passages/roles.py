"""What part a section plays in its document, read from its headings (the rules are in
kb/rules/sections.py).

The section's own heading decides, else the nearest heading above it that says anything:
"Findings > Finding 2: missing episodes" is a finding, not the story; "Learning > The
father's role" is learning; "Context > Early help" is the report's context. A heading
with a learning, finding or recommendation cue (kb/rules/points.py) ends the search with no
role, and so does an analysis heading: learning stated under a "Background" heading's
"Lessons" sub-heading, or in a key episode's "Analysis", stays learning.

Two stages use it: learning points are not looked for in the story, method, context or
references of a document (kb/passages/points.py), and search weighs the text there down by
kind of query (kb/rules/retrieval.py, ROLE_WEIGHTS)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from kb.records import SECTION_SEP
from kb.rules.points import SECTION_CUES
from kb.rules.sections import ANALYSIS_HEADING, SECTION_ROLES

__all__ = ["section_role"]


def section_role(section: Sequence[str] | str) -> str:
    """ "story", "method", "context", "reference" or "" (any other part) for a section
    path, given as its headings or as "A > B > C"."""
    return _role_of_path(section if isinstance(section, str) else SECTION_SEP.join(section))


# Search reads the role of up to 400 passages per ranking, and a document has few distinct
# sections: each path is read once (4.4 ms a ranking on the sample report, uncached).
@lru_cache(maxsize=4096)
def _role_of_path(path: str) -> str:
    for heading in reversed(path.split(SECTION_SEP)):
        if ANALYSIS_HEADING.search(heading) or any(p.search(heading) for _, p in SECTION_CUES):
            return ""
        for role, pattern in SECTION_ROLES:
            if pattern.search(heading):
                return role
    return ""
