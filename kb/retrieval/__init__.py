"""Retrieval: reading a query and finding passages for it. search.py (query kinds, fusion of
keyword and meaning rankings, grouping of results), searcher.py (one search over one read,
with its pool sizes named), browse.py (results as Hits, topics, learning points by topic or
review, the points for a case's concern), relevance.py (the app's relevance floor),
acronyms.py (query expansion)."""
