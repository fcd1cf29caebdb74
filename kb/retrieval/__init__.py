"""Retrieval: reading a query and finding passages for it. search.py (query kinds, fusion of
keyword and meaning rankings, grouping of results), searcher.py (one search over one read,
with its pool sizes named), relevance.py (the app's relevance floor), acronyms.py (query
expansion)."""
