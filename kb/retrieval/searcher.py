"""One search over one read of the index: the query's ranking (keyword and meaning fused,
learning points weighed up for its kind of query), a topic's points put first, duplicates
dropped and list items grouped into the units a reader is shown.

The facade (kb/knowledge_base.py) makes a Searcher for each read, over the store and the
vectors of that read's snapshot, and turns the units into Hits. Every pool size is named in
`Pools`: how many candidates each step looks at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kb.config import Config
from kb.index.store import Filters, Store
from kb.index.vectors import VectorIndex
from kb.ingest.metadata import find_reviews
from kb.passages.roles import section_role
from kb.passages.topics import Topic
from kb.protocols import Encoder
from kb.records import Passage
from kb.retrieval.search import (
    Ranked,
    drop_near_duplicates,
    group_list_items,
    hybrid_rank,
    interleave,
    query_kind,
    shown_units,
    split_concerns,
    topic_first,
    weigh_points,
)
from kb.rules.retrieval import (
    AGE_PHRASE,
    CONCERN_TOLD_WEIGHT,
    DOCUMENTS_THAT_TELL_CASES,
    LIST_CHARS,
    LIST_CHARS_BY_KIND,
    POINT_WEIGHTS,
    ROLE_WEIGHTS,
    WEIGHED_TOP,
)

__all__ = ["POOLS", "Pools", "Searcher", "Unit"]

# A result as shown: its ranking entry and the passages it shows (a list item with its list).
Unit = tuple[Ranked, tuple[Passage, ...]]


@dataclass(frozen=True)
class Pools:
    """How many candidates each step of a search looks at, for `k` results asked for."""

    topic: int = 200  # a topic's points are looked for among this many results
    shown_per_result: int = 4  # results kept for de-duplication and grouping: 4k ...
    shown_min: int = 40  # ... and at least 40
    topic_points_per_result: int = 2  # a named topic's points put first: 2k ...
    topic_points_min: int = 20  # ... and at least 20
    grouping_per_result: int = 2  # results a list item looks among for its list: 2k ...
    grouping_min: int = 20  # ... and at least 20
    section_reach: int = 30  # passages either side looked at for the list a result is in

    def shown(self, k: int) -> int:
        return max(k * self.shown_per_result, self.shown_min)

    def topic_points(self, k: int) -> int:
        return max(k * self.topic_points_per_result, self.topic_points_min)

    def grouping(self, k: int) -> int:
        return max(k * self.grouping_per_result, self.grouping_min)


POOLS = Pools()


class Searcher:
    """Search over one snapshot: `store` and `vectors` must belong to the same read."""

    def __init__(
        self,
        store: Store,
        vectors: VectorIndex,
        embedder: Encoder,
        config: Config,
        pools: Pools = POOLS,
    ) -> None:
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.config = config
        self.pools = pools

    def units(
        self, query: str, k: int, filters: Filters, topics: Sequence[Topic]
    ) -> tuple[list[Unit], dict[int, Passage]]:
        """The best `k` units for a query (or, with no query, for the first topic alone),
        with the passages they were chosen from. The topics' learning points come first;
        a case summary's concerns take turns, so none is crowded out."""
        concerns = split_concerns(query) if query else []
        kind = query_kind(query) if query else "topic"  # read once: ranking and display use it
        if len(concerns) > 1:
            # Each concern takes its turn, then the whole summary: the summary read whole
            # finds the story most like it, the concerns find what applies to each.
            rankings = [self.rank(c, filters, "case", concern=True) for c in concerns]
            ranked = interleave([*rankings, self.rank(query, filters, "case")])
        elif query:
            ranked = self.rank(query, filters, kind)
        else:  # a topic alone: all its passages, most central first
            scored = self.store.topic_scores(topics[0].id, filters, limit=self.pools.topic)
            ranked = [Ranked(p, s) for p, s in scored]
        topic_points: set[int] = set()
        for named in reversed(topics):
            among = [r.passage_id for r in ranked[: self.pools.topic]]
            limit = self.pools.topic_points(k)
            points = self.topic_points(named.id, filters, limit=limit, among=among)
            topic_points.update(pid for pid, _ in points)
            kinds = self.store.point_kinds([pid for pid, _ in points])
            ranked = topic_first(ranked, points, kinds)
        pool = ranked[: self.pools.shown(k)]
        passages = self.store.passages(r.passage_id for r in pool)
        unique = drop_near_duplicates(pool, passages)
        groups = group_list_items(unique, passages, window=self.pools.grouping(k))
        # A topic's learning points are shown as points, not inside their whole list.
        list_chars = LIST_CHARS_BY_KIND.get(kind, LIST_CHARS)
        units = shown_units(
            groups, passages, self._section_around, k, list_chars, alone=topic_points
        )
        return units, passages

    def rank(
        self, query: str, filters: Filters, kind: str = "", concern: bool = False
    ) -> list[Ranked]:
        """One query's hybrid ranking; learning points weighed up for its kind of query. A
        case's `concern` weighs down the case told in documents that pass on reviews'
        learning (CONCERN_TOLD_WEIGHT), and its keyword side leaves out ages (AGE_PHRASE)."""
        kind = kind or query_kind(query)
        dense_weight = self.config.case_dense_weight if kind == "case" else self.config.dense_weight
        vector = self.embedder.encode_query(query) if len(self.vectors) else None
        ranked = hybrid_rank(
            self.store,
            self.vectors,
            vector,
            query,
            filters,
            self.config.keyword_candidates,
            self.config.dense_candidates,
            self.config.fusion,
            dense_weight,
            self.config.rrf_k,
            weigh_keyword_coverage=kind == "question",
            keyword_query=AGE_PHRASE.sub(" ", query) if concern else None,
        )
        weights, role_weights = POINT_WEIGHTS.get(kind, {}), ROLE_WEIGHTS.get(kind, {})
        if find_reviews(query):  # "what happened to Child T?" asks for the story itself
            role_weights = {role: w for role, w in role_weights.items() if role != "story"}
        if not weights and not role_weights:
            return ranked
        head = [r.passage_id for r in ranked[:WEIGHED_TOP]]
        roles = {pid: section_role(s) for pid, s in self.store.sections(head).items()}
        told: set[int] = set()
        if concern:
            types = self.store.doc_types(head)
            told = {pid for pid, t in types.items() if t in DOCUMENTS_THAT_TELL_CASES}
        return weigh_points(
            ranked,
            self.store.point_kinds(head),
            weights,
            roles,
            role_weights,
            told,
            CONCERN_TOLD_WEIGHT,
        )

    def topic_points(
        self,
        topic_id: str,
        filters: Filters,
        limit: int | None = None,
        among: Sequence[int] | None = None,
    ) -> list[tuple[int, float]]:
        """A topic's learning points, most central first (optionally only the top `limit`,
        plus those `among` the given ids)."""
        points_only = replace(filters, learning_only=True)
        points = self.store.topic_scores(topic_id, points_only, limit=limit)
        if among:
            seen = {pid for pid, _ in points}
            extra = self.store.topic_scores(topic_id, points_only, among=among)
            points += [(pid, s) for pid, s in extra if pid not in seen]
            points.sort(key=lambda item: -item[1])
        return points

    def _section_around(self, passage: Passage) -> list[Passage]:
        assert passage.passage_id is not None
        reach = self.pools.section_reach
        return self.store.neighbours(passage.passage_id, reach, reach)
