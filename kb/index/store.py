"""The SQLite store: documents, passages with their metadata, their topics and learning
points, on the index's database (database.py: connections, snapshots, the generation, the
schema); keyword search is keyword.py's, search filters filters.py's."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from kb.index.database import Database
from kb.index.filters import Filters
from kb.index.keyword import KeywordIndex
from kb.records import SECTION_SEP, Document, Passage, decode_boxes, encode_boxes

# Filters is imported from here by retrieval (search.py, searcher.py) and the app.
__all__ = ["Filters", "Store"]

# A passage row with its topic ids, most central first.
_SELECT_PASSAGE = (
    "SELECT passages.*, (SELECT group_concat(topic_id, ',') FROM (SELECT topic_id FROM "
    "passage_topics t WHERE t.passage_id = passages.id ORDER BY score DESC)) AS topics "
    "FROM passages "
)


class Store(Database):
    """Documents and passages in SQLite, with FTS5 keyword search (see Database for how
    threads, sessions and snapshots share it)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self._filter_cache: dict[tuple[Filters, tuple[int, int]], list[int]] = {}
        self.keywords = KeywordIndex(self)
        super().__init__(path, read_only)

    def forget(self) -> None:
        """Drop the filter cache of the file that was replaced."""
        self._filter_cache.clear()

    # -- documents ----------------------------------------------------------------------
    def add_document(self, doc: Document) -> None:
        self.conn.execute(
            "INSERT INTO documents(doc_id, path, title, doc_type, year, reviews, sha256, "
            "page_count, size_bytes, overrides, provenance) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.doc_id,
                doc.path,
                doc.title,
                doc.doc_type,
                doc.year,
                json.dumps(list(doc.reviews)),
                doc.sha256,
                doc.page_count,
                doc.size_bytes,
                json.dumps(doc.overrides),
                json.dumps(doc.provenance),
            ),
        )

    def update_document(self, doc_id: str, **fields: object) -> None:
        allowed = {"title", "doc_type", "year", "reviews", "overrides", "provenance"}
        sets, args = [], []
        for name, value in fields.items():
            if name not in allowed:
                raise ValueError(name)
            sets.append(f"{name} = ?")
            if name == "reviews":
                value = json.dumps(list(value))  # type: ignore[call-overload]
            elif name in {"overrides", "provenance"}:
                value = json.dumps(value)
            args.append(value)
        if sets:
            self.conn.execute(
                f"UPDATE documents SET {', '.join(sets)} WHERE doc_id = ?", (*args, doc_id)
            )

    def delete_document(self, doc_id: str) -> list[int]:
        """Delete a document and its passages; return the deleted passage ids."""
        ids = [
            r[0] for r in self.conn.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))
        ]
        self.conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return ids

    def documents(self) -> list[Document]:
        rows = self.conn.execute(
            "SELECT d.*, (SELECT count(*) FROM passages p WHERE p.doc_id = d.doc_id) AS n "
            "FROM documents d ORDER BY d.title"
        )
        return [_document(r) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute(
            "SELECT d.*, (SELECT count(*) FROM passages p WHERE p.doc_id = d.doc_id) AS n "
            "FROM documents d WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        return _document(row) if row else None

    def document_by_path(self, path: str) -> Document | None:
        row = self.conn.execute("SELECT doc_id FROM documents WHERE path = ?", (path,)).fetchone()
        return self.document(row[0]) if row else None

    def document_by_sha(self, sha256: str) -> Document | None:
        row = self.conn.execute(
            "SELECT doc_id FROM documents WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return self.document(row[0]) if row else None

    def doc_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT doc_id FROM documents")}

    def sources(self) -> list[dict[str, object]]:
        """Each document's id, paths, sha256 and overrides: what `kb rebuild` re-reads."""
        rows = self.conn.execute("SELECT doc_id, sha256, overrides FROM documents ORDER BY rowid")
        return [
            {
                "doc_id": r[0],
                "paths": self.paths_of(r[0]),
                "sha256": r[1],
                "overrides": json.loads(r[2]),
            }
            for r in rows.fetchall()
        ]

    # -- the other paths of a document ----------------------------------------------------
    def add_path(self, doc_id: str, path: str) -> None:
        """Record another path a document's bytes live at (a copy, or a renamed file)."""
        self.conn.execute(
            "INSERT INTO document_paths(path, doc_id) VALUES (?, ?) "
            "ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id",
            (path, doc_id),
        )

    def remove_path(self, path: str) -> None:
        self.conn.execute("DELETE FROM document_paths WHERE path = ?", (path,))

    def paths_of(self, doc_id: str) -> list[str]:
        """Every path a document was found at: the one it was indexed from first."""
        row = self.conn.execute("SELECT path FROM documents WHERE doc_id = ?", (doc_id,))
        first = [r[0] for r in row]
        try:
            rows = self.conn.execute(
                "SELECT path FROM document_paths WHERE doc_id = ? ORDER BY rowid", (doc_id,)
            ).fetchall()
        except sqlite3.OperationalError:  # an index made before paths were recorded
            rows = []
        return first + [r[0] for r in rows if r[0] not in first]

    def document_by_alias(self, path: str) -> Document | None:
        """The document whose bytes were also found at this path, if any."""
        try:
            row = self.conn.execute(
                "SELECT doc_id FROM document_paths WHERE path = ?", (path,)
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        return self.document(row[0]) if row else None

    # -- passages -----------------------------------------------------------------------
    def add_passages(self, passages: Sequence[Passage]) -> list[int]:
        ids = []
        for p in passages:
            cur = self.conn.execute(
                "INSERT INTO passages(doc_id, seq, text, page, section, kind, context, reviews, "
                "keywords, learning, point_kind, boxes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    p.doc_id,
                    p.seq,
                    p.text,
                    p.page,
                    SECTION_SEP.join(p.section),
                    p.kind,
                    p.context,
                    json.dumps(list(p.reviews)),
                    p.keywords,
                    int(p.learning),
                    p.point_kind,
                    encode_boxes(p.boxes),
                ),
            )
            ids.append(int(cur.lastrowid or 0))
        return ids

    def passages(self, ids: Iterable[int]) -> dict[int, Passage]:
        ids = list(ids)
        out: dict[int, Passage] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows = self.conn.execute(
                _SELECT_PASSAGE + f"WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
            out.update((r["id"], _passage(r)) for r in rows)
        return out

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self.conn.execute(_SELECT_PASSAGE + "WHERE doc_id = ? ORDER BY seq", (doc_id,))
        return [_passage(r) for r in rows]

    def neighbours(self, passage_id: int, before: int = 2, after: int = 2) -> list[Passage]:
        """The passage and those around it in the same section, in reading order."""
        row = self.conn.execute(
            "SELECT doc_id, seq, section FROM passages WHERE id = ?", (passage_id,)
        ).fetchone()
        if row is None:
            return []
        rows = self.conn.execute(
            _SELECT_PASSAGE + "WHERE doc_id = ? AND section = ? AND seq BETWEEN ? AND ? "
            "ORDER BY seq",
            (row["doc_id"], row["section"], row["seq"] - before, row["seq"] + after),
        )
        return [_passage(r) for r in rows]

    # -- topics and learning points --------------------------------------------------
    def set_topics(self, tags: Iterable[tuple[int, Sequence[tuple[str, float]]]]) -> None:
        """Replace the topics of these passages: (passage id, [(topic id, score), ...])."""
        for pid, pairs in tags:
            self.conn.execute("DELETE FROM passage_topics WHERE passage_id = ?", (pid,))
            self.conn.executemany(
                "INSERT INTO passage_topics(passage_id, topic_id, score) VALUES (?,?,?)",
                [(pid, topic, score) for topic, score in pairs],
            )

    def topic_counts(self) -> dict[str, tuple[int, int]]:
        """topic id -> (passages, learning points)."""
        rows = self.conn.execute(
            "SELECT t.topic_id, count(*), sum(p.learning) FROM passage_topics t "
            "JOIN passages p ON p.id = t.passage_id GROUP BY t.topic_id"
        )
        return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows}

    def topic_scores(
        self,
        topic_id: str,
        filters: Filters,
        limit: int | None = None,
        among: Sequence[int] | None = None,
    ) -> list[tuple[int, float]]:
        """(passage id, centrality) of a topic's passages, most central first; `among`
        restricts to those ids, `limit` to the most central."""
        where, args = filters.sql()
        sql = (
            "SELECT t.passage_id, t.score FROM passage_topics t "
            "JOIN passages p ON p.id = t.passage_id JOIN documents d ON d.doc_id = p.doc_id "
            f"WHERE t.topic_id = ? AND {where}"
        )
        params: list[object] = [topic_id, *args]
        if among is not None:
            sql += f" AND t.passage_id IN ({','.join('?' * len(among))})"
            params += list(among)
        sql += " ORDER BY t.score DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, params)]

    def learning_ids(self, filters: Filters) -> list[int]:
        where, args = filters.sql()
        rows = self.conn.execute(
            "SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id "
            f"WHERE p.learning = 1 AND {where} ORDER BY d.title, p.seq",
            args,
        )
        return [r[0] for r in rows]

    def kinds(self, ids: Sequence[int]) -> dict[int, str]:
        """passage id -> kind ("paragraph", "bullet", "table", "note") for these ids."""
        return self._column(ids, "kind")

    def point_kinds(self, ids: Sequence[int]) -> dict[int, str]:
        """passage id -> kind of learning point ("" for none) for these ids."""
        return self._column(ids, "point_kind")

    def sections(self, ids: Sequence[int]) -> dict[int, str]:
        """passage id -> section path ("A > B", "" for none) for these ids."""
        return self._column(ids, "section")

    def doc_types(self, ids: Sequence[int]) -> dict[int, str]:
        """passage id -> the type of its document ("serious case review", "" unknown)."""
        return self._column(ids, "doc_type")

    def _column(self, ids: Sequence[int], column: str) -> dict[int, str]:
        expression = {
            "kind": "p.kind",
            "point_kind": "p.point_kind",
            "section": "p.section",
            "doc_type": "d.doc_type",
        }[column]
        out: dict[int, str] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT p.id, {expression} FROM passages p"
                f" JOIN documents d ON d.doc_id = p.doc_id WHERE p.id IN ({marks})",
                chunk,
            )
            out.update((int(r[0]), str(r[1] or "")) for r in rows)
        return out

    def passage_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM passages").fetchone()[0])

    def all_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM passages ORDER BY id")]

    def filtered_ids(self, filters: Filters) -> list[int]:
        """Ids of the passages a filter admits; remembered until the index changes."""
        key = (filters, self.version)
        if key not in self._filter_cache:
            if len(self._filter_cache) > 32:
                self._filter_cache.clear()
            self._filter_cache[key] = self._filtered_ids(filters)
        return self._filter_cache[key]

    def _filtered_ids(self, filters: Filters) -> list[int]:
        where, args = filters.sql()
        rows = self.conn.execute(
            f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE {where}",
            args,
        )
        return [r[0] for r in rows]

    def keyword_search(self, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """(passage id, bm25 score: higher is better) for passages matching the query words
        (see KeywordIndex.search)."""
        return self.keywords.search(query, filters, limit)

    def word_counts(self, words: list[str]) -> tuple[dict[str, int], int]:
        """How many passages hold each word, and how many passages there are
        (KeywordIndex.word_counts)."""
        return self.keywords.word_counts(words)

    def keyword_matches(self, query: str) -> int:
        """How many passages hold every content word of the query (KeywordIndex.matches)."""
        return self.keywords.matches(query)


def _document(row: sqlite3.Row) -> Document:
    return Document(
        doc_id=row["doc_id"],
        path=row["path"],
        title=row["title"],
        doc_type=row["doc_type"],
        year=row["year"],
        reviews=tuple(json.loads(row["reviews"])),
        sha256=row["sha256"],
        page_count=row["page_count"],
        passage_count=row["n"],
        size_bytes=row["size_bytes"],
        overrides=json.loads(row["overrides"]),
        provenance=json.loads(row["provenance"]),
    )


def _passage(row: sqlite3.Row) -> Passage:
    section = row["section"]
    return Passage(
        doc_id=row["doc_id"],
        seq=row["seq"],
        text=row["text"],
        page=row["page"],
        section=tuple(section.split(SECTION_SEP)) if section else (),
        kind=row["kind"],
        context=row["context"],
        reviews=tuple(json.loads(row["reviews"])),
        keywords=row["keywords"],
        point_kind=row["point_kind"],
        boxes=decode_boxes(row["boxes"]),
        topics=tuple(row["topics"].split(",")) if row["topics"] else (),
        passage_id=row["id"],
    )
