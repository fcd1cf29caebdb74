"""The SQLite store: documents, passages with their metadata, and an FTS5 keyword index.

The store also holds the index *generation*: the number of the FAISS file that matches the
committed passages. A write commits passages and the new generation in one transaction, so
SQLite's own atomicity is the commit point of the whole index (see vectors.py).

Size: about 850 lines, over the ~400 a module should take: the schema, the per-thread read
connections and every query on them live together so that each query is read against the
schema it runs on. The keyword search (FTS5 queries and their pruning) is the part to move
out first, into a keyword module of kb/index/."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kb.errors import IndexDamaged, IndexLocked, InvalidQuery
from kb.records import Document, Passage, decode_boxes, encode_boxes
from kb.text.words import STOPWORDS

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    year INTEGER,
    reviews TEXT NOT NULL DEFAULT '[]',
    sha256 TEXT NOT NULL,
    page_count INTEGER,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    overrides TEXT NOT NULL DEFAULT '{}',
    provenance TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
-- Every other path a document's bytes were found at (a copy, or the file after a rename).
CREATE TABLE IF NOT EXISTS document_paths (
    path TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER,
    section TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    reviews TEXT NOT NULL DEFAULT '[]',
    keywords TEXT NOT NULL DEFAULT '',
    learning INTEGER NOT NULL DEFAULT 0,
    point_kind TEXT NOT NULL DEFAULT '',
    boxes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS passage_topics (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (passage_id, topic_id)
);
CREATE INDEX IF NOT EXISTS passage_topics_topic ON passage_topics(topic_id, score);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, seq);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, context, section, keywords, content='passages', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text, context, section, keywords)
    VALUES (new.id, new.text, new.context, new.section, new.keywords);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text, context, section, keywords)
    VALUES ('delete', old.id, old.text, old.context, old.section, old.keywords);
END;
"""

TEMP_TABLES = """
CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab USING fts5vocab(main, passages_fts, row);
CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer
    USING fts5(w, tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer_vocab USING fts5vocab(temp, stemmer, instance);
"""
SQLITE_HEADER = b"SQLite format 3\x00"
DAMAGE_HELP = (
    "run `kb rebuild` to rebuild the index from its recorded sources, "
    "or restore the index folder from a backup"
)

SECTION_SEP = " > "
# bm25 with column weights: text, lead-in context, section path, acronym expansions.
FTS_RANK = "bm25(passages_fts, 1.0, 0.4, 0.6, 1.0)"
# A query word found in more than this share of passages adds little to bm25 (IDF below
# ln 1.5) but makes FTS5 score every passage that has it; it is left out. Measured: no
# change on the judged queries; "domestic abuse and children" at 100k passages 124 -> 20 ms.
COMMON_WORD_SHARE = 0.4
RARE_WORD_SHARE = 0.1  # when not enough passages hold every word, only rarer words widen
# Below this many passages keyword search is exact bm25 over any query word; above it, it is
# pruned as in keyword_search (at 1M passages an OR over a common word costs 300 ms).
PRUNE_ABOVE = 50_000

# A passage row with its topic ids, most central first.
_SELECT_PASSAGE = (
    "SELECT passages.*, (SELECT group_concat(topic_id, ',') FROM (SELECT topic_id FROM "
    "passage_topics t WHERE t.passage_id = passages.id ORDER BY score DESC)) AS topics "
    "FROM passages "
)



@dataclass(frozen=True)
class Filters:
    """Restrictions on a search: document type, year range, documents, topics (any of),
    learning points only."""

    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    learning_only: bool = False
    point_kinds: tuple[str, ...] = ()  # only learning points of these kinds (POINT_KINDS)

    def sql(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        if self.doc_type:
            clauses.append("d.doc_type = ?")
            args.append(self.doc_type)
        if self.year_from is not None:
            clauses.append("d.year >= ?")
            args.append(self.year_from)
        if self.year_to is not None:
            clauses.append("d.year <= ?")
            args.append(self.year_to)
        if self.doc_ids:
            clauses.append(f"d.doc_id IN ({','.join('?' * len(self.doc_ids))})")
            args.extend(self.doc_ids)
        if self.topics:
            clauses.append(
                "p.id IN (SELECT passage_id FROM passage_topics WHERE topic_id IN "
                f"({','.join('?' * len(self.topics))}))"
            )
            args.extend(self.topics)
        if self.learning_only:
            clauses.append("p.learning = 1")
        if self.point_kinds:
            clauses.append(f"p.point_kind IN ({','.join('?' * len(self.point_kinds))})")
            args.extend(self.point_kinds)
        return (" AND ".join(clauses) or "1"), args

    @property
    def active(self) -> bool:
        return bool(
            self.doc_type
            or self.year_from
            or self.year_to
            or self.doc_ids
            or self.topics
            or self.learning_only
            or self.point_kinds
        )


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (so the store can close what is open)."""


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a file: a file replaced by a rename gets a new one."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def check_database_file(path: Path) -> None:
    """Refuse a database file that is empty or not SQLite before SQLite takes it for a new,
    empty database (and the next write deletes the index's vectors)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise IndexDamaged(f"cannot read {path} ({exc.strerror}); {DAMAGE_HELP}") from exc
    if not header:
        raise IndexDamaged(f"{path} is empty (0 bytes): the index is damaged; {DAMAGE_HELP}")
    if header != SQLITE_HEADER:
        raise IndexDamaged(f"{path} is not an SQLite database: the index is damaged; {DAMAGE_HELP}")


def damaged(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    """The KBError for an SQLite failure: a busy database, or a damaged file."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return IndexLocked(f"{path} is busy ({text}); try again")
    return IndexDamaged(f"{path} is damaged ({text}); {DAMAGE_HELP}")


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression: the query's content words, any of them (bm25 ranks)."""
    words = [w for w in re.findall(r"\w+", query.lower()) if w not in STOPWORDS]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


class Store:
    """Documents and passages in SQLite, with FTS5 keyword search.

    Safe across threads: each thread reads and writes through a connection of its own, taken
    from a pool for the length of a `session()` (or a `snapshot()`, a read transaction that
    sees one committed state however many queries it makes). WAL mode lets readers go on
    while one writer commits. `read_only` opens an index in a folder kb cannot write (a shared
    read-only deployment): it can be searched, not changed."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._local = threading.local()
        self._pool_lock = threading.Lock()
        self._pool: list[tuple[int, sqlite3.Connection]] = []
        # Every connection still open: pooled ones, and each thread's own for calls made
        # outside a session (closed when its thread ends).
        self._open: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
        self._epoch = 0  # counts reopenings after the file was replaced
        # Document frequencies of indexed terms, to leave out words that are everywhere, and
        # a scratch table that tells how the porter tokenizer stems a word.
        self._stems: dict[str, str] = {}
        self._filter_cache: dict[tuple[Filters, tuple[int, int]], list[int]] = {}
        self._count: tuple[tuple[int, int], int] | None = None
        check_database_file(path)
        self.identity = file_identity(path)
        self._local.loose = (0, self._connect(schema=not read_only))

    @classmethod
    def create(cls, path: Path, index_id: str) -> None:
        """Make a new, empty database with this identity: built under a temporary name and
        renamed, so a kill leaves either no database or a whole one, never an empty file."""
        tmp = path.with_name(path.name + ".new")
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.executescript(SCHEMA)
            conn.execute("INSERT INTO meta(key, value) VALUES ('index_id', ?)", (index_id,))
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
        os.replace(tmp, path)

    def _connect(self, schema: bool = False) -> sqlite3.Connection:
        try:
            conn = self._connect_read_only() if self.read_only else self._connect_writable()
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            if schema:
                conn.executescript(SCHEMA)
            conn.executescript(TEMP_TABLES)
            conn.execute("SELECT count(*) FROM meta").fetchone()
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from exc
        self._open.add(conn)
        return conn

    def _connect_writable(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=30,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        # A WAL database opens read-only when its -shm file exists or can be made; in a
        # folder nobody may write, only as immutable (nothing can change it anyway).
        uri = "file:" + quote(str(self.path.resolve()))
        conn = sqlite3.connect(
            uri + "?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        try:
            conn.execute("SELECT count(*) FROM meta").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
        return sqlite3.connect(
            uri + "?immutable=1",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection inside a session, else a connection of its own."""
        held = getattr(self._local, "held", None)
        return held[1] if held else self._loose()

    def _loose(self) -> sqlite3.Connection:
        loose = getattr(self._local, "loose", None)
        if loose is None or loose[0] != self._epoch:
            loose = self._local.loose = (self._epoch, self._connect())
        return loose[1]

    @property
    def version(self) -> tuple[int, int]:
        """(reopenings, generation) as this thread's connection sees them: names one state."""
        held = getattr(self._local, "held", None)
        return (held[0] if held else self._epoch, self.generation)

    @contextmanager
    def session(self) -> Iterator[sqlite3.Connection]:
        """This thread's own connection for the block (nested blocks share it)."""
        held = getattr(self._local, "held", None)
        if held is not None:
            yield held[1]
            return
        with self._pool_lock:
            while self._pool and held is None:
                epoch, conn = self._pool.pop()
                if epoch == self._epoch:
                    held = (epoch, conn)
                else:
                    conn.close()
            epoch = self._epoch
        self._local.held = held or (epoch, self._connect())
        try:
            yield self._local.held[1]
        finally:
            held, self._local.held = self._local.held, None
            self._checkin(held)

    def _checkin(self, held: tuple[int, sqlite3.Connection]) -> None:
        if held[1].in_transaction:
            held[1].execute("ROLLBACK")
        with self._pool_lock:
            if held[0] == self._epoch and held[1] in self._open:
                self._pool.append(held)
                return
        held[1].close()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read in the block sees the same committed state."""
        with self.session() as conn:
            if conn.in_transaction:  # nested, or inside a write
                yield
                return
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT value FROM meta LIMIT 1").fetchall()  # starts the snapshot
            except sqlite3.DatabaseError as exc:
                raise damaged(self.path, exc) from exc
            try:
                yield
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")

    def swapped(self) -> bool:
        """Whether the database file was replaced since it was opened (`kb rebuild` in
        another process swaps in a new index folder)."""
        now = file_identity(self.path)
        return now is not None and now != self.identity

    def reopen(self) -> None:
        """Follow a replaced database file: new sessions use the new file; sessions still
        running finish on the old one, so none of them sees a mix of the two."""
        check_database_file(self.path)
        with self._pool_lock:
            self._epoch += 1
            for _, conn in self._pool:
                conn.close()
            self._pool.clear()
            self._local.loose = (self._epoch, self._connect(schema=not self.read_only))
            self.identity = file_identity(self.path)
            self._filter_cache.clear()

    def close(self) -> None:
        with self._pool_lock:
            for conn in list(self._open):
                conn.close()
            self._open.clear()
            self._pool.clear()

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity check finds wrong (empty when the database is whole)."""
        try:
            rows = self.conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        found = [str(r[0]) for r in rows]
        return [] if found == ["ok"] else found

    # -- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation", "0") or 0)

    def committed_generation(self) -> int:
        """The latest committed generation, whatever this thread's snapshot sees."""
        row = self._loose().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    @property
    def index_id(self) -> str | None:
        """The identity of the index this database belongs to (also in manifest.json)."""
        return self.get_meta("index_id")

    # -- transactions -------------------------------------------------------------------
    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

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

    def _column(self, ids: Sequence[int], column: str) -> dict[int, str]:
        assert column in ("kind", "point_kind", "section")
        out: dict[int, str] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT id, {column} FROM passages WHERE id IN ({marks})", chunk
            )
            out.update((int(r[0]), str(r[1])) for r in rows)
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
        version = self.version
        count = self._count
        if count is None or count[0] != version:
            count = self._count = (version, self.passage_count())
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

    def keyword_matches(self, query: str) -> int:
        """How many passages hold every content word of the query (all passages when it has
        none, since then nothing narrows the search)."""
        match = fts_query(query).replace(" OR ", " AND ")
        if not match:
            return self.passage_count()
        row = self.conn.execute(
            "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (match,)
        ).fetchone()
        return int(row[0])


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
