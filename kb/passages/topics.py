"""Topics: an editable taxonomy (kb/data/topics.json) and the tagging of passages with it.

A passage gets a topic when it uses the topic's words and is close enough in meaning to the
topic's description, or when it is very close in meaning alone. Tagging reuses the stored
passage embeddings, so editing the taxonomy needs no re-embedding. The thresholds are named
in kb/rules/tagging.py (read as `tagging.NAME`, so that a test may change one)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb.errors import KBError
from kb.records import Passage
from kb.rules import tagging
from kb.rules.retrieval import BROWSING_WORDS, TOPIC_QUERY_MAX_WORDS
from kb.rules.version import tagging_version
from kb.text.words import STOPWORDS

if TYPE_CHECKING:
    from kb.index.embed import Embedder


__all__ = [
    "Tagger",
    "Taxonomy",
    "Topic",
    "default_taxonomy_path",
    "load_taxonomy",
    "tag_passages",
    "topics_named_in",
    "topics_using_words",
]


@dataclass(frozen=True)
class Topic:
    """One theme of the taxonomy."""

    id: str
    label: str
    description: str
    terms: tuple[str, ...]

    def embedding_text(self) -> str:
        return f"{self.label}. {self.description} {', '.join(self.terms)}"

    def term_pattern(self, exact_case: bool = False) -> re.Pattern[str]:
        """Any of the topic's words, whole, plurals included. With `exact_case` (reading
        documents), a word the taxonomy writes with a capital matches only written so: the
        'Prevent' programme, not "to prevent"."""
        return _term_pattern(self.terms, exact_case)


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    digest: str  # changes whenever the file does: the signal to re-tag

    def get(self, ref: str) -> Topic:
        key = ref.strip().lower()
        for topic in self.topics:
            if key in (topic.id.lower(), topic.label.lower()):
                return topic
        for topic in self.topics:
            if key in (t.lower() for t in topic.terms):
                return topic
        ids = ", ".join(t.id for t in self.topics)
        raise KBError(f"no topic {ref!r}; topics are: {ids}")


@lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...], exact_case: bool) -> re.Pattern[str]:
    # Compiled once per set of words: every search asks whether the query names a topic.
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = [
        re.escape(t) if exact_case and t != t.lower() else f"(?i:{re.escape(t)})" for t in ordered
    ]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")" + tagging.TERM_PLURAL_ENDINGS + r"\b")


def default_taxonomy_path() -> Path:
    return Path(str(resources.files("kb").joinpath("data/topics.json")))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read the taxonomy file (default: the one shipped in the package)."""
    path = Path(path) if path else default_taxonomy_path()
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
        topics = tuple(
            Topic(t["id"], t["label"], t["description"], tuple(t.get("terms", ())))
            for t in data["topics"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KBError(f"cannot read the topic taxonomy {path}: {exc}") from exc
    if len({t.id for t in topics}) != len(topics):
        raise KBError(f"{path}: two topics share an id")
    return Taxonomy(topics, hashlib.sha256(raw).hexdigest())


def tag_passages(
    passages: Sequence[Passage],
    vectors: np.ndarray,
    taxonomy: Taxonomy,
    topic_vectors: np.ndarray,
) -> list[list[tuple[str, float]]]:
    """For each passage, its (topic id, score) pairs. Score is the cosine to the topic's
    description, plus a little for each topic word used; it orders learning points by
    how central they are to the topic."""
    if not len(passages):
        return []
    similarity = vectors @ topic_vectors.T
    patterns = [t.term_pattern(exact_case=tagging.EXACT_CASE_IN_DOCUMENTS) for t in taxonomy.topics]
    tags: list[list[tuple[str, float]]] = []
    for row, passage in enumerate(passages):
        haystack = " ".join(
            [passage.text, passage.context, passage.section[-1] if passage.section else ""]
        )
        found = []
        for col, topic in enumerate(taxonomy.topics):
            cosine = float(similarity[row, col])
            hits = len(patterns[col].findall(haystack))
            if (hits and cosine >= tagging.WITH_TERM_MIN) or cosine >= tagging.MEANING_ONLY_MIN:
                bonus = tagging.TERM_BONUS * min(hits, tagging.TERM_BONUS_MAX_HITS)
                found.append((topic.id, round(cosine + bonus, tagging.SCORE_DECIMALS)))
        tags.append(sorted(found, key=lambda item: -item[1]))
    return tags


def topics_using_words(text: str, taxonomy: Taxonomy) -> list[Topic]:
    """Topics whose own words appear in a text ("mother's new partner" -> fathers)."""
    return [t for t in taxonomy.topics if t.term_pattern().search(text)]


def topics_named_in(query: str, taxonomy: Taxonomy) -> list[Topic]:
    """Topics a query names in its own words and nothing more ("dads", "transfer in",
    "lessons about male carers"). A query that adds its own subject ("neglect toolkit",
    "FGM reporting duty") is about that subject, and is ranked as a search."""
    content = [w for w in re.findall(r"[a-z0-9'-]+", query.lower()) if w not in STOPWORDS]
    if not content or len(content) > TOPIC_QUERY_MAX_WORDS:
        return []
    named = []
    for topic in taxonomy.topics:
        pattern = topic.term_pattern()
        covered = pattern.sub(" ", query.lower())
        words = re.findall(r"[a-z0-9'-]+", covered)
        leftover = [w for w in words if w not in STOPWORDS and w not in BROWSING_WORDS]
        label_hit = query.strip().lower() in (topic.id, topic.label.lower())
        if label_hit or (pattern.search(query) and not leftover):
            named.append(topic)
    return named


class Tagger:
    """Tags passages with the taxonomy: re-reads the file when it changes and embeds the
    topics once per version of it."""

    def __init__(self, topics_file: str | Path | None, embedder: Embedder) -> None:
        self.path = Path(topics_file) if topics_file else None
        self.embedder = embedder
        self._taxonomy: tuple[tuple[str, int], Taxonomy] | None = None
        self._vectors: tuple[str, np.ndarray] | None = None

    def taxonomy(self) -> Taxonomy:
        """The topic taxonomy, re-read when its file changes."""
        source = self.path or default_taxonomy_path()
        stamp = (str(source), source.stat().st_mtime_ns if source.exists() else 0)
        if self._taxonomy is None or self._taxonomy[0] != stamp:
            self._taxonomy = (stamp, load_taxonomy(self.path))
        return self._taxonomy[1]

    def signature(self) -> str:
        """Changes whenever tags would: the taxonomy file or the tagging rules (the
        fingerprint of their values, kb/rules/version.py). Stored with the tags, so that a
        change to either re-tags an index on its next read."""
        return f"{self.taxonomy().digest}:{tagging_version()}"

    def topic_vectors(self, taxonomy: Taxonomy) -> np.ndarray:
        if self._vectors is None or self._vectors[0] != taxonomy.digest:
            texts = [t.embedding_text() for t in taxonomy.topics]
            self._vectors = (taxonomy.digest, self.embedder.encode(texts))
        return self._vectors[1]

    def tags(
        self, passages: Sequence[Passage], vectors: np.ndarray
    ) -> list[list[tuple[str, float]]]:
        """Each passage's (topic id, score) pairs under the current taxonomy."""
        taxonomy = self.taxonomy()
        return tag_passages(passages, vectors, taxonomy, self.topic_vectors(taxonomy))

    def nearest(self, text: str, n: int = 5) -> list[Topic]:
        """The topics closest in meaning to a text."""
        taxonomy = self.taxonomy()
        similarity = self.topic_vectors(taxonomy) @ self.embedder.encode_query(text)
        return [taxonomy.topics[i] for i in np.argsort(-similarity)[:n]]
