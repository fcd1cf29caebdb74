"""What every read and write of one open index shares: the store, the vectors of the last
few generations, the snapshot a read runs in, and following an index that another process
rebuilt and swapped in (`kb rebuild`).

The KnowledgeBase facade holds one IndexState; its write path (maintainer.py) holds the same
one, so a writer's new generation is what the next read sees."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kb.config import FORMAT_VERSION, Config
from kb.errors import IndexDamaged, IndexLocked
from kb.index.database import DAMAGE_HELP, damaged
from kb.index.embed import DIMENSION
from kb.index.folder import check_identity
from kb.index.manifest import check_manifest, read_manifest, rules_note
from kb.index.store import Store
from kb.index.vectors import VectorFileError, VectorIndex
from kb.index.writer import IdAllocator

__all__ = ["VECTOR_CACHE", "IndexInfo", "IndexState"]

VECTOR_CACHE = 3  # generations kept in memory: searches still reading an older one finish
T = TypeVar("T")


class _StaleRead(Exception):
    """A read's snapshot names vectors another process has since replaced: read again."""


@dataclass(frozen=True)
class IndexInfo:
    """What an index holds."""

    path: str
    documents: int
    passages: int
    model: str
    dimension: int
    format_version: int
    size_bytes: int
    generation: int
    rules_note: str = ""  # set when the documents were read with older rules


class IndexState:
    """The store and vectors of one open index folder, as each thread reads them."""

    def __init__(self, path: Path, config: Config, store: Store) -> None:
        self.path = path
        self.config = config
        self.store = store
        # The vectors of the last few committed states, by Store.version; a writer adds the
        # next one as a changed copy, so no search ever sees an index being changed.
        self._vector_cache: dict[tuple[int, int], VectorIndex] = {}
        self._load_lock = threading.RLock()  # loads a vector file, or edits the cache
        self.reopen_lock = threading.Lock()
        self._local = threading.local()
        self.ids = IdAllocator(store)

    @property
    def reading(self) -> bool:
        """Whether this thread is inside a read (see `read`)."""
        return bool(getattr(self._local, "reading", False))

    def read(self, call: Callable[[], T]) -> T:
        """Run `call` as one read: all of it sees one committed state of the index (an SQLite
        snapshot and the vectors of that generation), on this thread's own connection, never
        waiting for a writer. Retried when another process replaced the vectors it was about
        to read; a nested read runs inside the outer one."""
        if self.reading:
            return call()
        self._local.reading = True
        try:
            for attempt in range(3):
                try:
                    with self._snapshot():
                        return call()
                except _StaleRead as exc:
                    if attempt == 2:
                        raise IndexLocked(
                            "the index is changing too fast to read; try again"
                        ) from exc
                except sqlite3.DatabaseError as exc:
                    raise damaged(self.store.path, exc) from exc
            raise AssertionError("unreachable")
        finally:
            self._local.reading = False

    @property
    def vectors(self) -> VectorIndex:
        """The FAISS index of the state this thread reads (its snapshot inside a read), else
        of the latest commit; loaded when another process wrote."""
        for _ in range(5):
            version = self.store.version
            found = self._vector_cache.get(version)
            if found is not None:
                return found
            with self._load_lock:
                found = self._vector_cache.get(version)
                if found is None:
                    found = self._load_vectors(version)
                if found is not None:
                    self.remember(version, found)
                    return found
        raise IndexLocked("the index is changing too fast to read; try again")

    def _load_vectors(self, version: tuple[int, int]) -> VectorIndex | None:
        """The vectors of a version; None when a writer pruned them after our read began
        outside a snapshot (read again). Raises _StaleRead inside a snapshot, IndexDamaged
        when the latest committed generation's file is missing or unreadable."""
        try:
            return VectorIndex.load(self.path, version[1], DIMENSION, self.config.ivf_nprobe)
        except VectorFileError as exc:
            if self.store.committed_generation() == version[1]:
                raise IndexDamaged(
                    f"the vector file {exc.path} {exc.problem}; {DAMAGE_HELP}"
                ) from exc
            if self.reading:
                raise _StaleRead() from exc
            return None

    def remember(self, version: tuple[int, int], vectors: VectorIndex) -> None:
        """Keep the vectors of a state (a writer's new generation), and the last few."""
        with self._load_lock:
            self._vector_cache[version] = vectors
            for old in sorted(self._vector_cache)[:-VECTOR_CACHE]:
                self._vector_cache.pop(old, None)

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        if self.store.swapped():
            self.reopen()
        with self.store.snapshot():
            yield

    def reopen(self) -> None:
        """Follow an index that another process replaced (`kb rebuild`): the database and
        vectors now at self.path are used from here on."""
        with self.reopen_lock:
            manifest = read_manifest(self.path)
            if not self.store.swapped() and manifest.get("index_id") == self.store.index_id:
                return
            check_manifest(manifest, self.config, DIMENSION)
            self.store.reopen()
            check_identity(self.path, self.store)
            self.ids = IdAllocator(self.store)
            with self._load_lock:
                self._vector_cache.clear()

    def reset(self) -> None:
        """Take up the index this process has just rebuilt in place."""
        with self.reopen_lock:
            self.store.reopen()
            self.ids = IdAllocator(self.store)
            with self._load_lock:
                self._vector_cache.clear()

    def info(self) -> IndexInfo:
        """What the index holds (call inside a read); raises IndexDamaged when its vectors
        do not match it."""
        manifest = read_manifest(self.path)
        size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        passages = self.store.passage_count()
        if len(self.vectors) != passages:
            raise IndexDamaged(
                f"{VectorIndex.file_for(self.path, self.store.generation)} holds "
                f"{len(self.vectors)} vectors for {passages} passages; {DAMAGE_HELP}"
            )
        return IndexInfo(
            path=str(self.path),
            documents=len(self.store.doc_ids()),
            passages=passages,
            model=str(manifest.get("model")),
            dimension=int(manifest.get("dimension", 0)),
            format_version=int(manifest.get("format_version", FORMAT_VERSION)),
            size_bytes=size,
            generation=self.store.generation,
            rules_note=rules_note(manifest),
        )
