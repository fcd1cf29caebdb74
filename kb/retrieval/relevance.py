"""A relevance floor for search results shown to people.

Fused scores are relative (the best result of any query scores near 1), so they cannot say
that nothing matches. The floor is absolute: a result counts as a real match when its cosine
to the query is at least RELEVANCE_MIN_COSINE, or when it holds a query word (by stem) and
its cosine is at least RELEVANCE_MIN_COSINE_WITH_WORDS (kb/rules/retrieval.py). Calibrated
on the sample corpus plus corpus-dev: of the 139 judged passages the 48 judged queries find
in their first 30 results, 136 are kept, and every query keeps at least 5 results; nonsense
("zxqv blorptangle frumious", "recipe for banana bread") keeps none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np

from kb.protocols import VectorReader
from kb.records import Hit
from kb.rules.retrieval import RELEVANCE_MIN_COSINE, RELEVANCE_MIN_COSINE_WITH_WORDS
from kb.text.words import query_stems, word_spans

__all__ = ["cosines", "real_matches"]


def cosines(kb: VectorReader, query: str, hits: Sequence[Hit]) -> np.ndarray:
    """Each hit's best cosine to the query (over the passages it shows)."""
    ids = cast(list[int], [p.passage_id for h in hits for p in h.passages])  # stored: all set
    if not ids:
        return np.zeros(0)
    vectors = kb.vectors.vectors(ids)
    each = vectors @ kb.embedder.encode_query(query)
    out, n = [], 0
    for hit in hits:
        out.append(float(each[n : n + len(hit.passages)].max()))
        n += len(hit.passages)
    return np.array(out)


def real_matches(kb: VectorReader, query: str, hits: Sequence[Hit]) -> list[Hit]:
    """The hits that match the query well enough to show, in their order."""
    if not query.strip() or not hits:
        return list(hits)
    stems = query_stems(query)
    kept = []
    for hit, cosine in zip(hits, cosines(kb, query, hits), strict=True):
        words = bool(word_spans(f"{hit.text} {hit.passage.section_path}", stems))
        if cosine >= RELEVANCE_MIN_COSINE or (words and cosine >= RELEVANCE_MIN_COSINE_WITH_WORDS):
            kept.append(hit)
    return kept
