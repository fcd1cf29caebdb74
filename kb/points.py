"""Learning points: the statements in which a review says what practice should learn.

A passage is a learning point when it sits under a learning heading or list ("Learning
points", "Lessons", "Findings", "Key messages", "Recommendations") or states a norm
("practitioners should...", "the need to...", "it is important that..."). Narrative,
statistics, headings and contents lines are not."""

from __future__ import annotations

import re

from kb.ingest.metadata import find_reviews
from kb.records import Passage
from kb.sentences import split_sentences

_LEARNING_CUE = re.compile(
    r"\b(learning|lessons?|learnt|learned|findings?|key messages?|recommendations?|recommend"
    r"|areas? for (?:development|improvement)|development areas|developmental issues"
    r"|strengths|were found|was found)\b",
    re.IGNORECASE,
)
_OUTCOME_HEADING = re.compile(r"\b(outcomes?|impact|achieved|progress|activity|response)\b", re.I)
_NORMATIVE = re.compile(
    r"\b(should|must|ought to|needs? to|need for|the need to|it is (?:important|vital|essential"
    r"|crucial|necessary|imperative)|important (?:that|for|to)|imperative that|greater effort"
    r"|are required to"
    r"|have to|has to|it is key)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(I|we|our|us)\b", re.IGNORECASE)
_ACTOR = re.compile(
    r"\b(practitioners?|professionals?|agenc(?:y|ies)|staff|workers?|partners?|services?"
    r"|schools?|police|health|midwives|teachers?|managers?|local authorit(?:y|ies)|boards?"
    r"|organisations?|everyone|assessments?|plans?)\b",
    re.IGNORECASE,
)
_IMPERSONAL_NORM = re.compile(r"\bit is (?:important|vital|essential|crucial)\b", re.I)
_STATISTIC = re.compile(r"\d+(?:\.\d+)?\s*%|\b\d{2,}[\d,]*\b")


def is_learning_point(passage: Passage) -> bool:
    """Whether the passage states learning for practice."""
    text = passage.text
    words = text.split()
    if len(words) < 4 or text.startswith("["):  # fragments and footnotes
        return False
    heading = passage.section[-1] if passage.section else ""
    normative = bool(_NORMATIVE.search(text))
    statistic = len(_STATISTIC.findall(text)) >= 2 and not normative
    if statistic:
        return False
    if passage.kind == "bullet":
        under_learning = _LEARNING_CUE.search(passage.context) or (
            _LEARNING_CUE.search(heading) and not _OUTCOME_HEADING.search(heading)
        )
        return bool(under_learning or normative)
    # A paragraph: only a statement of what practice should do, not the report's narrative
    # ("we need to build on them", "I should like to thank", "it is important to note").
    return any(_states_practice_norm(s) for s in split_sentences(text))


def _states_practice_norm(sentence: str) -> bool:
    if not _NORMATIVE.search(sentence) or _FIRST_PERSON.search(sentence):
        return False
    if re.search(r"important to note|worth noting", sentence, re.I):
        return False
    return bool(_ACTOR.search(sentence) or _IMPERSONAL_NORM.search(sentence))


def learning_review(passage: Passage) -> str | None:
    """The review a learning point comes from: the one its section names, else the one its
    text names; None when a board states learning in general."""
    for heading in reversed(passage.section):
        names = find_reviews(heading)
        if names:
            return names[0]
    names = find_reviews(passage.text)
    return names[0] if names else None
