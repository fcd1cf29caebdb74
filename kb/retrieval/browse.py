"""What the facade reads out of one snapshot of the index besides a search's ranking: the
results as Hits, the counts per topic, a topic's or a review's learning points, the points
that fit a case's concern (case check), and whether a query is too broad to be useful.

Each function is called by the KnowledgeBase facade inside a read, with the Searcher of
that read (searcher.py), so the store and the vectors it uses belong to the same state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kb.index.store import Filters, Store
from kb.passages.points import learning_review
from kb.passages.topics import Taxonomy, Topic, topics_using_words
from kb.records import Document, Hit, LearningPoint, Passage
from kb.retrieval.search import topic_first
from kb.retrieval.searcher import Searcher, Unit

__all__ = [
    "BROAD_SHARE",
    "TopicSummary",
    "hits",
    "is_broad",
    "learning_points",
    "match_points",
    "topic_summaries",
]

BROAD_SHARE = 0.3  # a query whose words are all in more than this share of passages is broad


@dataclass(frozen=True)
class TopicSummary:
    """A topic with how many passages and learning points it holds."""

    topic: Topic
    passages: int
    points: int


def hits(
    units: Sequence[Unit], passages: dict[int, Passage], document: Callable[[str], Document]
) -> list[Hit]:
    """A search's units as Hits, each with its document (looked up once per document)."""
    docs: dict[str, Document] = {}
    out = []
    for ranked, members in units:
        passage = passages[ranked.passage_id]
        if passage.doc_id not in docs:
            docs[passage.doc_id] = document(passage.doc_id)
        out.append(Hit(passage, docs[passage.doc_id], ranked.score, members))
    return out


def topic_summaries(store: Store, taxonomy: Taxonomy) -> list[TopicSummary]:
    """Every topic of the taxonomy with its counts of passages and learning points."""
    counts = store.topic_counts()
    return [TopicSummary(t, *counts.get(t.id, (0, 0))) for t in taxonomy.topics]


def learning_points(
    searcher: Searcher,
    taxonomy: Taxonomy,
    topic: str | None,
    review: str | None,
    filters: Filters,
) -> list[LearningPoint]:
    """Learning points, optionally of one topic (most central first) or one review."""
    store = searcher.store
    if topic:
        scored = searcher.topic_points(taxonomy.get(topic).id, filters)
    else:
        scored = [(pid, 0.0) for pid in store.learning_ids(filters)]
    passages = store.passages(pid for pid, _ in scored)
    docs = {d.doc_id: d for d in store.documents()}
    wanted = review.strip().strip("'\"").lower() if review else None
    out = []
    for pid, centrality in scored:
        passage = passages[pid]
        source = learning_review(passage, docs[passage.doc_id])
        if wanted and (source or "").lower() != wanted:
            continue
        out.append(LearningPoint(passage, docs[passage.doc_id], source, centrality))
    return out


def match_points(
    searcher: Searcher, taxonomy: Taxonomy, text: str, limit: int
) -> list[tuple[LearningPoint, float]]:
    """Learning points for a piece of text (a concern of a case), best first, with the
    cosine similarity of each to the text."""
    ranked = searcher.rank(text, Filters(learning_only=True))
    # A concern in a topic's own words ("mother's new partner") brings that topic's
    # most central points in, even when the wording shares little else with them.
    for topic in topics_using_words(text, taxonomy):
        central = searcher.topic_points(topic.id, Filters(), limit=2)
        ranked = ranked[:1] + topic_first(ranked[1:], central)
    ranked = list({r.passage_id: r for r in ranked}.values())[:limit]  # first of each
    if not ranked:
        return []
    ids = [r.passage_id for r in ranked]
    passages = searcher.store.passages(ids)
    cosines = searcher.vectors.vectors(ids) @ searcher.embedder.encode_query(text)
    docs = {d.doc_id: d for d in searcher.store.documents()}
    out = []
    for pid, cosine in zip(ids, cosines, strict=True):
        passage = passages[pid]
        doc = docs[passage.doc_id]
        point = LearningPoint(passage, doc, learning_review(passage, doc))
        out.append((point, float(cosine)))
    return out


def is_broad(store: Store, query: str) -> bool:
    """A query too broad to be useful: no content words, or words found in most passages."""
    total = store.passage_count()
    if not total:
        return False
    return store.keyword_matches(query) > BROAD_SHARE * total
