"""The write path of one open index: ingest, remove, metadata fixes, re-tagging and
rebuild, each committed as one new generation that keeps the database and the vectors in
step (see vectors.py for the order of the commit).

Writes are one at a time: in this process through `lock`, across processes through the
writer lock file (writer.py). Searches in other threads go on meanwhile, on the generation
they started with (state.py)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.config import Config
from kb.errors import IndexLocked, IndexReadOnly
from kb.index.database import damaged
from kb.index.embed import Embedder
from kb.index.faults import fault_point
from kb.index.manifest import (
    new_index_id,
    read_manifest,
    record_reading_rules,
    set_manifest_id,
    write_sources,
)
from kb.index.rebuild import RebuildReport, rebuild_index
from kb.index.state import IndexState
from kb.index.store import Store
from kb.index.vectors import VectorIndex
from kb.index.writer import (
    PendingDocument,
    apply_overrides,
    embed_texts,
    prepare_document,
    writer_lock,
)
from kb.ingest import discover
from kb.ingest.describe import ReportBuilder, clean_overrides
from kb.ingest.limits import Limits
from kb.passages.topics import Tagger
from kb.progress import progress_bar
from kb.records import Document, IngestFailure, IngestReport

__all__ = ["IndexMaintainer"]


class IndexMaintainer:
    """Every change to one open index (its IndexState)."""

    def __init__(
        self, state: IndexState, embedder: Embedder, tagger: Tagger, limits: Limits
    ) -> None:
        self.state = state
        self.embedder = embedder
        self.tagger = tagger
        self.limits = limits
        self.lock = threading.RLock()  # writes, one at a time

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def config(self) -> Config:
        return self.state.config

    @property
    def path(self) -> Path:
        return self.state.path

    @contextmanager
    def serialized(self) -> Iterator[None]:
        """A write: one at a time in this process (and, through the writer lock, across
        processes); an SQLite failure becomes IndexLocked or IndexDamaged."""
        with self.lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                raise damaged(self.store.path, exc) from exc

    @contextmanager
    def writer(self, check_identity: bool = True) -> Iterator[None]:
        """Hold the writer lock, on this thread's own connection, with the index at its path
        checked to be the one this object has open (followed when another process swapped
        it: its next write goes to the rebuilt index, not the deleted one)."""
        if self.store.read_only:
            raise IndexReadOnly(
                f"the index at {self.path} is read-only (its folder or database cannot be "
                "written): it can be searched, not changed; write to a copy you own"
            )
        with writer_lock(self.path):
            if check_identity:
                self.state.reopen()
                self._ensure_identity()
            with self.store.session():
                # Files left by a writer that was killed before it committed.
                VectorIndex.prune(self.path, keep=self.store.generation)
                yield

    def ingest(
        self, paths: Iterable[str | Path], overrides: dict[str, object], progress: bool
    ) -> IngestReport:
        """Index files and folders (see KnowledgeBase.ingest), in commits of about
        config.commit_every passages."""
        overrides = clean_overrides(overrides)
        files, problems = discover(paths)
        report = ReportBuilder()
        report.failed.extend(IngestFailure(p, r) for p, r in problems)
        with self.writer():
            if not self.store.passage_count():  # all it will hold is read with today's rules
                record_reading_rules(self.path)
            pending: list[PendingDocument] = []
            bar = progress_bar(files, "Reading", "file", progress)
            for path in bar:
                item = prepare_document(
                    path, overrides, self.store, report, self.state.ids,
                    self.config.max_passage_chars, self.limits,
                )
                if item is not None:
                    pending.append(item)
                if sum(len(p.passages) for p in pending) >= self.config.commit_every:
                    self.commit(pending, report, progress)
                    pending = []
            self.commit(pending, report, progress)
            if report.unchanged:  # copies and renames found are recorded as they are seen
                self._save_sources()
        return report.build()

    def commit(
        self, pending: list[PendingDocument], report: ReportBuilder, progress: bool
    ) -> None:
        """Embed, then write passages, vectors and the new generation atomically."""
        if not pending:
            return
        fault_point("after-parse")
        passages = [p for item in pending for p in item.passages]
        texts = [p.embedding_text() for p in passages]
        embeddings = embed_texts(self.embedder, texts, self.config.batch_size, progress)
        fault_point("after-embed")

        def apply(vectors: VectorIndex) -> None:
            removed: list[int] = []
            for item in pending:
                if item.replaces:
                    removed += self.store.delete_document(item.replaces)
                self.store.add_document(item.document)
                for path in item.other_paths:
                    self.store.add_path(item.document.doc_id, path)
            new_ids = self.store.add_passages(passages)
            self.store.set_topics(zip(new_ids, self.tagger.tags(passages, embeddings), strict=True))
            if self.store.get_meta("taxonomy") is None:
                self.store.set_meta("taxonomy", self.tagger.signature())
            vectors.remove(removed)
            vectors.add(new_ids, embeddings)

        self._write_generation(apply)
        for item in pending:
            (report.replaced if item.replaces else report.added).append(item.document.doc_id)
        report.passages += len(passages)
        self.state.ids.reserved.clear()

    def remove(self, doc: Document) -> None:
        """Delete a document and its passages."""
        with self.writer():
            self._write_generation(
                lambda vectors: vectors.remove(self.store.delete_document(doc.doc_id))
            )

    def update_document(self, doc: Document, changes: dict[str, object]) -> None:
        """Record a person's title, type, year or reviews for a document."""
        with self.writer():
            apply_overrides(self.store, doc, clean_overrides(changes))
            self._save_sources()

    def retag(self) -> None:
        """Re-tag every passage when the taxonomy (or the tagging rules) changed since the
        tags were made. Skipped (the next call re-tags) when a writer is busy, inside a read,
        and on a read-only index."""
        if self.store.read_only or self.state.reading:
            return
        signature = self.tagger.signature()
        if self.store.get_meta("taxonomy") == signature or not self.store.passage_count():
            return  # (the count, a scan, only when the signature differs)
        if not self.lock.acquire(blocking=False):
            return
        try:
            with self.writer():
                ids = self.store.all_ids()
                passages = self.store.passages(ids)
                vectors = self.state.vectors.vectors(ids)
                tags = self.tagger.tags([passages[i] for i in ids], vectors)
                self.store.begin()
                self.store.set_topics(zip(ids, tags, strict=True))
                self.store.set_meta("taxonomy", signature)
                self.store.commit()
        except IndexLocked:
            return  # another process is writing; the next call re-tags
        finally:
            self.lock.release()

    def rebuild(self, progress: bool, drop_missing: bool) -> RebuildReport:
        """Rebuild the index beside itself from its recorded sources and swap it in (see
        KnowledgeBase.rebuild), then take up the new one."""
        if self.store.read_only:
            raise IndexReadOnly(f"the index at {self.path} is read-only: it cannot be rebuilt")
        report = rebuild_index(
            self.path, self.config, self.embedder, progress, drop_missing, self.store
        )
        self.state.reset()
        return report

    def _write_generation(self, apply: Callable[[VectorIndex], None]) -> None:
        """Apply a change to the store and to a copy of the vectors, then commit both as one
        new generation: the FAISS file first, then the SQLite transaction that names it.
        Searches running meanwhile keep the previous generation's vectors and snapshot."""
        vectors = self.state.vectors.clone()
        self.store.begin()
        try:
            apply(vectors)
            if not vectors.approximate and len(vectors) > self.config.ann_threshold:
                vectors.to_ivf()
            generation = self.store.generation + 1
            fault_point("before-vectors-saved")
            vectors.save(self.path, generation)
            fault_point("after-vectors-saved")
            self.store.set_meta("generation", str(generation))
            self.store.commit()
        except BaseException:
            self.store.rollback()
            raise
        self.state.remember(self.store.version, vectors)
        fault_point("after-commit")
        VectorIndex.prune(self.path, keep=generation)
        self._save_sources()

    def _ensure_identity(self) -> None:
        """Give an index made before indexes had an identity one (database and manifest)."""
        if self.store.index_id is not None:
            return
        index_id = read_manifest(self.path).get("index_id") or new_index_id()
        self.store.begin()
        self.store.set_meta("index_id", str(index_id))
        self.store.commit()
        set_manifest_id(self.path, str(index_id))

    def _save_sources(self) -> None:
        """sources.json: each document's paths and overrides, for `kb rebuild` when the
        database itself is damaged."""
        write_sources(self.path, self.store.sources())
