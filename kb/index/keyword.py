"""Keyword search over the FTS5 table: bm25 with column weights, query words found in
most passages left out, and, in a large index, the passages holding every word scored first
(docs/evaluation.md, Performance). The values are in kb/rules/retrieval.py."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING

from kb.errors import InvalidQuery
from kb.index.filters import Filters
from kb.rules.retrieval import COMMON_WORD_SHARE, FTS_RANK, PRUNE_ABOVE, RARE_WORD_SHARE
from kb.text.words import STOPWORDS

if TYPE_CHECKING:
    from kb.index.store import Store

__all__ = [
    "COMMON_WORD_SHARE",
    "FTS_RANK",
    "PRUNE_ABOVE",
    "RARE_WORD_SHARE",
    "KeywordIndex",
    "fts_query",
]


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression: the query's content words, any of them (bm25 ranks)."""
    words = [w for w in re.findall(r"\w+", query.lower()) if w not in STOPWORDS]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


class KeywordIndex:
    """Keyword search over one store's FTS5 table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # Document frequencies of indexed terms, to leave out words that are everywhere, and
        # a scratch table that tells how the porter tokenizer stems a word.
        self._stems: dict[str, str] = {}
        self._count: tuple[tuple[int, int], int] | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    def search(self, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """(passage id, bm25 score: higher is better) for passages matching the query words:
        all of them when enough passages do, else any of them."""
        words = self._selective_words(query)
        if not words:
            return []
        where, args = filters.sql()
        if filters.active:
            sql = (
                f"SELECT p.id, -{FTS_RANK} AS score FROM passages_fts "
                "JOIN passages p ON p.id = passages_fts.rowid "
                "JOIN documents d ON d.doc_id = p.doc_id "
                f"WHERE passages_fts MATCH ? AND {where} ORDER BY score DESC LIMIT ?"
            )
        else:  # no join: bm25 over the FTS table alone
            sql = (
                f"SELECT rowid, -{FTS_RANK} AS score FROM passages_fts "
                "WHERE passages_fts MATCH ? ORDER BY score DESC LIMIT ?"
            )

        def run(terms: list[str], joiner: str) -> list[tuple[int, float]]:
            match = joiner.join(f'"{w}"' for w in terms)
            rows = self.conn.execute(sql, (match, *args, limit)).fetchall()
            return [(int(r[0]), float(r[1])) for r in rows]

        try:
            if len(words) == 1 or self._cached_count() < PRUNE_ABOVE:
                return run(words, " OR ")  # exact bm25 over any word
            # Passages holding every word score highest under bm25 anyway, and FTS5 then
            # scores far fewer rows (docs/evaluation.md, Performance).
            found = run(words, " AND ")
            if len(found) >= limit:
                return found
            # Then passages with any of the rarer words; a passage with only a word found in
            # a tenth of the index is a poor keyword match, and scoring them all is slow.
            rare = self._rare_words(words) or words
            seen = {pid for pid, _ in found}
            more = [(pid, s) for pid, s in run(rare, " OR ") if pid not in seen]
            return sorted(found + more, key=lambda item: -item[1])[:limit]
        except sqlite3.OperationalError as exc:
            raise InvalidQuery(f"cannot run keyword search for {query!r}: {exc}") from exc

    def word_counts(self, words: list[str]) -> tuple[dict[str, int], int]:
        """How many passages hold each word (as the index stems it), and how many there are."""
        return (self._doc_counts(words) if words else {}), self._cached_count()

    def _rare_words(self, words: list[str]) -> list[str]:
        total = self._cached_count() or 1
        counts = self._doc_counts(words)
        return [w for w in words if counts.get(w, 0) <= RARE_WORD_SHARE * total]

    def _doc_counts(self, words: list[str]) -> dict[str, int]:
        """How many passages hold each word (after stemming)."""
        stems = {w: self._stem(w) for w in words}
        rows = self.conn.execute(
            "SELECT term, doc FROM temp.passages_vocab WHERE term IN "
            f"({','.join('?' * len(stems))})",
            list(stems.values()),
        ).fetchall()
        by_stem = {r[0]: int(r[1]) for r in rows}
        return {w: by_stem.get(stem, 0) for w, stem in stems.items()}

    def _selective_words(self, query: str) -> list[str]:
        """The query's content words without those in most passages (unless none is left)."""
        words = list(
            dict.fromkeys(w for w in re.findall(r"\w+", query.lower()) if w not in STOPWORDS)
        )
        if len(words) < 2:
            return words
        total = self._cached_count() or 1
        counts = self._doc_counts(words)
        kept = [w for w in words if counts[w] <= COMMON_WORD_SHARE * total]
        return kept or words

    def _cached_count(self) -> int:
        # count(*) scans the table: at 1M passages that is tens of ms, so once per generation.
        version = self.store.version
        count = self._count
        if count is None or count[0] != version:
            count = self._count = (version, self.store.passage_count())
        return count[1]

    def _stem(self, word: str) -> str:
        """The term FTS5's porter tokenizer indexes for a word (asked of SQLite itself)."""
        if word not in self._stems:
            cur = self.conn.execute("INSERT INTO temp.stemmer(w) VALUES (?)", (word,))
            row = self.conn.execute(
                "SELECT term FROM temp.stemmer_vocab WHERE doc = ? LIMIT 1", (cur.lastrowid,)
            ).fetchone()
            self.conn.execute("DELETE FROM temp.stemmer WHERE rowid = ?", (cur.lastrowid,))
            self._stems[word] = row[0] if row else word
        return self._stems[word]

    def matches(self, query: str) -> int:
        """How many passages hold every content word of the query (all passages when it has
        none, since then nothing narrows the search)."""
        match = fts_query(query).replace(" OR ", " AND ")
        if not match:
            return self.store.passage_count()
        row = self.conn.execute(
            "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (match,)
        ).fetchone()
        return int(row[0])
