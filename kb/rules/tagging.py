"""Topic tagging (kb/passages/topics.py): when a passage gets a topic of the taxonomy
(kb/data/topics.json), and how central it is to it.

Calibrated on the sample corpus (see README, Topics). A change to any value here re-tags
every index on its next read, from the stored embeddings (kb/rules/version.py)."""

from __future__ import annotations

__all__ = [
    "EXACT_CASE_IN_DOCUMENTS",
    "MEANING_ONLY_MIN",
    "SCORE_DECIMALS",
    "TERM_BONUS",
    "TERM_BONUS_MAX_HITS",
    "TERM_PLURAL_ENDINGS",
    "WITH_TERM_MIN",
]

# With a topic word present, a cosine of 0.20 to the topic's description keeps the passages
# a reader would file under it. Without one, MiniLM puts general safeguarding text at
# 0.40-0.60 from most descriptions: of the 72 tags a 0.45 bar gave, we judged 3 right. Only a
# passage closer than any of those is tagged by meaning alone.
WITH_TERM_MIN = 0.20
MEANING_ONLY_MIN = 0.62
# A topic's score (which orders its learning points, most central first) is the cosine plus
# this much for each topic word the passage uses, counting at most TERM_BONUS_MAX_HITS.
TERM_BONUS = 0.05
TERM_BONUS_MAX_HITS = 3
SCORE_DECIMALS = 4  # scores are stored rounded
# A word the taxonomy writes with a capital ("Prevent", the programme) matches documents
# only written so: "to prevent future deaths" is not radicalisation. (Queries match any case.)
EXACT_CASE_IN_DOCUMENTS = True
# A topic word matches whole, with these plural endings.
TERM_PLURAL_ENDINGS = r"(?:s|es)?"
