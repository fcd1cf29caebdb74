"""The SQLite database of an index: its schema, a connection per thread (pooled for
sessions), snapshots, following a database file another process replaced, the meta table
(the generation, the index's identity) and transactions.

The store (store.py) adds the documents, passages and topics on top; keyword.py the FTS5
keyword search. The generation is the number of the FAISS file that matches the committed
passages: a write commits passages and the new generation in one transaction, so SQLite's
own atomicity is the commit point of the whole index (see vectors.py)."""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from kb.errors import IndexDamaged, IndexLocked

__all__ = [
    "DAMAGE_HELP",
    "SCHEMA",
    "Database",
    "check_database_file",
    "damaged",
    "file_identity",
]

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


class Database:
    """An index's SQLite file, safe across threads: each thread reads and writes through a
    connection of its own, taken from a pool for the length of a `session()` (or a
    `snapshot()`, a read transaction that sees one committed state however many queries it
    makes). WAL mode lets readers go on while one writer commits. `read_only` opens an index
    in a folder kb cannot write (a shared read-only deployment): it can be searched, not
    changed."""

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
            self.forget()

    def forget(self) -> None:
        """Drop what was cached from the file before it was replaced (see Store)."""

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
