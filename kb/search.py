"""Hybrid search: keyword (FTS5 bm25) and dense (FAISS) rankings fused by reciprocal rank.

Fusion is a pure function over rankings, so it can be tested and tuned on its own."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kb.records import Passage
from kb.store import Filters, Store
from kb.vectors import VectorIndex


@dataclass(frozen=True)
class Ranked:
    """One fused result: a passage id, its fused score and its rank in each source."""

    passage_id: int
    score: float
    keyword_rank: int | None = None
    dense_rank: int | None = None


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[int]], k: int = 60, weights: Mapping[str, float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(id) = sum over lists of weight / (k + rank), rank from 1."""
    scores: dict[int, float] = {}
    for name, ids in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, pid in enumerate(ids, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def hybrid_rank(
    store: Store,
    vectors: VectorIndex,
    query_vector: np.ndarray | None,
    query: str,
    filters: Filters,
    keyword_candidates: int,
    dense_candidates: int,
    rrf_k: int,
) -> list[Ranked]:
    """Rank passages for a query with both retrievers and fuse the two rankings."""
    keyword = [pid for pid, _ in store.keyword_search(query, filters, keyword_candidates)]
    dense: list[int] = []
    if query_vector is not None:
        allowed = store.filtered_ids(filters) if filters.active else None
        dense = [pid for pid, _ in vectors.search(query_vector, dense_candidates, allowed)]
    fused = reciprocal_rank_fusion({"keyword": keyword, "dense": dense}, k=rrf_k)
    k_rank = {pid: i for i, pid in enumerate(keyword, start=1)}
    d_rank = {pid: i for i, pid in enumerate(dense, start=1)}
    return [Ranked(pid, score, k_rank.get(pid), d_rank.get(pid)) for pid, score in fused]


def _fingerprint(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def drop_near_duplicates(ranked: Sequence[Ranked], passages: Mapping[int, Passage]) -> list[Ranked]:
    """Keep the best-ranked of passages whose text is the same (or one holds the other)."""
    kept: list[Ranked] = []
    seen: list[str] = []
    for item in ranked:
        passage = passages.get(item.passage_id)
        if passage is None:
            continue
        fp = _fingerprint(passage.text)
        if any(fp == other or (len(fp) > 40 and (fp in other or other in fp)) for other in seen):
            continue
        seen.append(fp)
        kept.append(item)
    return kept
