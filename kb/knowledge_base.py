"""The facade: KnowledgeBase.open(path) with ingest, search, remove, rebuild and info.

The CLI and the app call only this. An index folder holds kb.sqlite (documents, passages,
FTS5), vectors-<generation>.faiss and manifest.json; see kb/index/store.py and
kb/index/vectors.py for how writes stay atomic. Searching is kb/retrieval/searcher.py's,
rebuilding kb/index/rebuild.py's, the index folder kb/index/folder.py's.

Size: about 680 lines, over the ~300 a facade should take. What is left here is the state
that every read and write shares (the snapshot each read runs in, the vectors of the last
generations, the writer lock and the reopen after a rebuild elsewhere) and the write path
that keeps the database and the vectors in step; splitting them needs that state made an
object of its own first (kb/index/), the next step of issue 14."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from kb.answer.qa import Answer, answer_from
from kb.config import FORMAT_VERSION, Config
from kb.errors import (
    DocumentNotFound,
    IndexDamaged,
    IndexLocked,
    IndexNotFound,
    IndexReadOnly,
    IngestError,
    InvalidQuery,
)
from kb.index.embed import DIMENSION, Embedder
from kb.index.faults import fault_point
from kb.index.folder import (
    DB_FILE,
    check_identity,
    check_location,
    check_not_lost,
    create_index,
)
from kb.index.manifest import (
    check_manifest,
    new_index_id,
    read_manifest,
    record_reading_rules,
    rules_note,
    set_manifest_id,
    write_sources,
)
from kb.index.rebuild import RebuildReport, rebuild_index
from kb.index.store import DAMAGE_HELP, Filters, Store, damaged
from kb.index.vectors import VectorFileError, VectorIndex
from kb.index.writer import (
    IdAllocator,
    PendingDocument,
    apply_overrides,
    embed_texts,
    prepare_document,
    writer_lock,
)
from kb.ingest import discover, parse, read_bytes
from kb.ingest.describe import ReportBuilder, clean_overrides
from kb.ingest.limits import MB, Limits
from kb.passages.points import learning_review
from kb.passages.topics import Tagger, Taxonomy, Topic, topics_named_in, topics_using_words
from kb.progress import progress_bar
from kb.records import (
    Document,
    Hit,
    IngestFailure,
    IngestReport,
    LearningPoint,
    Passage,
)
from kb.retrieval.search import (
    Ranked,
    topic_first,
)
from kb.retrieval.searcher import Searcher

VECTOR_CACHE = 3  # generations kept in memory: searches still reading an older one finish


class _StaleRead(Exception):
    """A read's snapshot names vectors another process has since replaced: read again."""


def _serialized(method: Callable[..., T]) -> Callable[..., T]:
    """A write: one at a time in this process (and, through the writer lock, across
    processes). Searches in other threads go on meanwhile."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise damaged(self.store.path, exc) from exc

    return wrapper


def _retags(method: Callable[..., T]) -> Callable[..., T]:
    """Before a read that shows topics: re-tag when the taxonomy changed (a write of its own,
    skipped when a writer is busy)."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        if not getattr(self._local, "reading", False):
            self.ensure_tags()
        return method(self, *args, **kwargs)

    return wrapper


def _reading(method: Callable[..., T]) -> Callable[..., T]:
    """A read: all of it sees one committed state of the index (an SQLite snapshot and the
    vectors of that generation), on this thread's own connection, never waiting for a writer.
    Retried when another process replaced the vectors it was about to read."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        if getattr(self._local, "reading", False):
            return method(self, *args, **kwargs)
        self._local.reading = True
        try:
            for attempt in range(3):
                try:
                    with self._snapshot():
                        return method(self, *args, **kwargs)
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

    return wrapper


BROAD_SHARE = 0.3
T = TypeVar("T")


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


@dataclass(frozen=True)
class TopicSummary:
    """A topic with how many passages and learning points it holds."""

    topic: Topic
    passages: int
    points: int


class KnowledgeBase:
    """A searchable index of safeguarding documents."""

    def __init__(self, path: Path, config: Config, store: Store, embedder: Embedder) -> None:
        self.path = path
        self.config = config
        self.store = store
        self.embedder = embedder
        # The vectors of the last few committed states, by Store.version; a writer adds the
        # next one as a changed copy, so no search ever sees an index being changed.
        self._vector_cache: dict[tuple[int, int], VectorIndex] = {}
        self._lock = threading.RLock()  # writes, one at a time
        self._load_lock = threading.RLock()  # loads a vector file, or edits the cache
        self._reopen_lock = threading.Lock()
        self._local = threading.local()
        self._ids = IdAllocator(store)
        self.tagger = Tagger(config.topics_file, embedder)
        self.limits = Limits(config.max_doc_mb * MB)

    # -- opening ----------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        config: Config | None = None,
        create: bool = False,
        embedder: Embedder | None = None,
        check: bool = True,
    ) -> KnowledgeBase:
        """Open the index at `path` (default: config.index_path).

        With create=True a missing index is created. Raises IndexNotFound when there is none,
        IncompatibleIndex when it was built by another model or format version, IndexDamaged
        when its database is not whole, IndexLocationError when the path cannot hold an
        index. An index in a folder kb cannot write is opened read-only: searchable."""
        config = config or Config.from_env()
        folder = Path(path) if path is not None else config.index_path
        db = folder / DB_FILE
        check_location(folder)
        if not db.exists():
            check_not_lost(folder)
            if not create:
                raise IndexNotFound(f"no index at {folder}; build one with `kb ingest corpus/`")
            create_index(folder, config)
        elif check:
            check_manifest(read_manifest(folder), config, DIMENSION)
        writable = os.access(folder, os.W_OK) and os.access(db, os.W_OK)
        store = Store(db, read_only=not writable)
        if check:
            check_identity(folder, store)
        embedder = embedder or Embedder(device=config.device, batch_size=config.batch_size)
        return cls(folder, config, store, embedder)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        """Whether the index can only be searched (its folder is not writable)."""
        return self.store.read_only

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
                    self._remember(version, found)
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
            if getattr(self._local, "reading", False):
                raise _StaleRead() from exc
            return None

    def _remember(self, version: tuple[int, int], vectors: VectorIndex) -> None:
        with self._load_lock:
            self._vector_cache[version] = vectors
            for old in sorted(self._vector_cache)[:-VECTOR_CACHE]:
                self._vector_cache.pop(old, None)

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        if self.store.swapped():
            self._reopen()
        with self.store.snapshot():
            yield

    def _reopen(self) -> None:
        """Follow an index that another process replaced (`kb rebuild`): the database and
        vectors now at self.path are used from here on."""
        with self._reopen_lock:
            manifest = read_manifest(self.path)
            if not self.store.swapped() and manifest.get("index_id") == self.store.index_id:
                return
            check_manifest(manifest, self.config, DIMENSION)
            self.store.reopen()
            check_identity(self.path, self.store)
            self._ids = IdAllocator(self.store)
            with self._load_lock:
                self._vector_cache.clear()

    # -- reading ----------------------------------------------------------------------
    @_reading
    def info(self) -> IndexInfo:
        """What the index holds; raises IndexDamaged when its vectors do not match it."""
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

    @_reading
    def documents(self) -> list[Document]:
        return self.store.documents()

    @_reading
    def document(self, ref: str) -> Document:
        """A document by id or by a path it was ingested from (or found at since)."""
        doc = self.store.document(ref)
        if doc is None and ref:
            doc = self.store.document_by_path(str(Path(ref).resolve()))
        if doc is None and ref:
            doc = self.store.document_by_alias(str(Path(ref).resolve()))
        if doc is None:
            raise DocumentNotFound(f"no indexed document {ref!r}; `kb info --docs` lists them")
        return doc

    @_reading
    def source_texts(self) -> list[str]:
        """The full text of each indexed document (re-read from its source when it is there,
        else joined from its passages), for baselines and exports."""
        texts = []
        for doc in self.store.documents():
            path = Path(doc.path)
            try:
                parsed = parse(path, read_bytes(path, self.limits), self.limits)
                texts.append("\n".join(b.text for b in parsed.blocks))
            except IngestError:
                texts.append("\n".join(p.text for p in self.store.passages_of(doc.doc_id)))
        return texts

    @_reading
    def passages_of(self, ref: str) -> list[Passage]:
        """A document's passages in reading order (by id or source path)."""
        return self.store.passages_of(self.document(ref).doc_id)

    @_reading
    def neighbours(self, passage_id: int, before: int = 2, after: int = 2) -> list[Passage]:
        """A passage with the passages around it in its section (for 'show in context')."""
        return self.store.neighbours(passage_id, before, after)

    @_retags
    @_reading
    def search(
        self,
        query: str,
        k: int | None = None,
        filters: Filters | None = None,
        topic: str | None = None,
    ) -> list[Hit]:
        """Hybrid keyword + dense search; the best `k` results as Hits.

        A topic (given, or named by a short query such as "dads") puts its learning points
        first, the most central first. A long case summary is split into its concerns and
        the results take turns between them, so no concern is crowded out."""
        k = k or self.config.default_k
        filters = filters or Filters()
        query = query.strip()
        if not query and not topic:
            return []
        self.ensure_tags()
        taxonomy = self.taxonomy()
        topics = [taxonomy.get(topic)] if topic else topics_named_in(query, taxonomy)
        units, passages = self._searcher().units(query, k, filters, topics)
        return self._hits(units, passages)

    def _searcher(self) -> Searcher:
        """A Searcher over this read's snapshot (call inside a read)."""
        return Searcher(self.store, self.vectors, self.embedder, self.config)

    def _rank(self, query: str, filters: Filters, kind: str = "") -> list[Ranked]:
        """One query's hybrid ranking (kb bench times it alone)."""
        return self._searcher().rank(query, filters, kind)

    # -- questions --------------------------------------------------------------------
    @_retags
    @_reading
    def ask(self, question: str, k: int = 6) -> Answer:
        """A short answer from the documents with citations, or a plain 'not answered'.

        Generative when KB_LLM_URL and KB_LLM_MODEL are set (falling back to extractive on
        any failure, with a notice); extractive otherwise."""
        question = question.strip()
        if not question:
            raise InvalidQuery("ask a question")
        return answer_from(question, self.search(question, k=k), self.embedder)

    @_retags
    @_reading
    def match_points(self, text: str, limit: int = 10) -> list[tuple[LearningPoint, float]]:
        """Learning points for a piece of text (a concern of a case), best first, with the
        cosine similarity of each to the text."""
        searcher = self._searcher()
        ranked = searcher.rank(text, Filters(learning_only=True))
        # A concern in a topic's own words ("mother's new partner") brings that topic's
        # most central points in, even when the wording shares little else with them.
        for topic in topics_using_words(text, self.taxonomy()):
            central = searcher.topic_points(topic.id, Filters(), limit=2)
            ranked = ranked[:1] + topic_first(ranked[1:], central)
        ranked = list({r.passage_id: r for r in ranked}.values())[:limit]  # first of each
        if not ranked:
            return []
        ids = [r.passage_id for r in ranked]
        passages = self.store.passages(ids)
        cosines = self.vectors.vectors(ids) @ self.embedder.encode_query(text)
        docs = {d.doc_id: d for d in self.store.documents()}
        out = []
        for pid, cosine in zip(ids, cosines, strict=True):
            passage = passages[pid]
            doc = docs[passage.doc_id]
            point = LearningPoint(passage, doc, learning_review(passage, doc))
            out.append((point, float(cosine)))
        return out

    # -- topics and learning points ---------------------------------------------------
    def taxonomy(self) -> Taxonomy:
        """The topic taxonomy, re-read when its file changes."""
        return self.tagger.taxonomy()

    def ensure_tags(self) -> None:
        """Re-tag every passage when the taxonomy (or the tagging rules) changed since the
        tags were made. Skipped (the next call re-tags) when a writer is busy, inside a read,
        and on a read-only index."""
        if self.read_only or getattr(self._local, "reading", False):
            return
        signature = self.tagger.signature()
        if self.store.get_meta("taxonomy") == signature or not self.store.passage_count():
            return  # (the count, a scan, only when the signature differs)
        if not self._lock.acquire(blocking=False):
            return
        try:
            with self._writer():
                ids = self.store.all_ids()
                passages = self.store.passages(ids)
                tags = self.tagger.tags([passages[i] for i in ids], self.vectors.vectors(ids))
                self.store.begin()
                self.store.set_topics(zip(ids, tags, strict=True))
                self.store.set_meta("taxonomy", signature)
                self.store.commit()
        except IndexLocked:
            return  # another process is writing; the next call re-tags
        finally:
            self._lock.release()

    @_reading
    def nearest_topics(self, text: str, n: int = 5) -> list[Topic]:
        """The topics closest in meaning to a text (suggestions for a search that found
        nothing)."""
        return self.tagger.nearest(text, n)

    @_reading
    def is_broad(self, query: str) -> bool:
        """A query too broad to be useful: no content words, or words found in most passages."""
        total = self.store.passage_count()
        if not total:
            return False
        return self.store.keyword_matches(query) > BROAD_SHARE * total

    @_retags
    @_reading
    def topics(self) -> list[TopicSummary]:
        """Every topic of the taxonomy with its counts of passages and learning points."""
        self.ensure_tags()
        counts = self.store.topic_counts()
        return [TopicSummary(t, *counts.get(t.id, (0, 0))) for t in self.taxonomy().topics]

    @_retags
    @_reading
    def points(
        self,
        topic: str | None = None,
        review: str | None = None,
        filters: Filters | None = None,
    ) -> list[LearningPoint]:
        """Learning points, optionally of one topic (most central first) or one review."""
        self.ensure_tags()
        filters = filters or Filters()
        if topic:
            scored = self._searcher().topic_points(self.taxonomy().get(topic).id, filters)
        else:
            scored = [(pid, 0.0) for pid in self.store.learning_ids(filters)]
        passages = self.store.passages(pid for pid, _ in scored)
        docs = {d.doc_id: d for d in self.store.documents()}
        wanted = review.strip().strip("'\"").lower() if review else None
        out = []
        for pid, centrality in scored:
            passage = passages[pid]
            source = learning_review(passage, docs[passage.doc_id])
            if wanted and (source or "").lower() != wanted:
                continue
            out.append(LearningPoint(passage, docs[passage.doc_id], source, centrality))
        return out

    def _hits(
        self, groups: Sequence[tuple[Ranked, tuple[Passage, ...]]], passages: dict[int, Passage]
    ) -> list[Hit]:
        docs: dict[str, Document] = {}
        hits = []
        for ranked, members in groups:
            passage = passages[ranked.passage_id]
            if passage.doc_id not in docs:
                docs[passage.doc_id] = self.document(passage.doc_id)
            hits.append(Hit(passage, docs[passage.doc_id], ranked.score, members))
        return hits

    # -- writing ----------------------------------------------------------------------
    @contextmanager
    def _writer(self, check_identity: bool = True) -> Iterator[None]:
        """Hold the writer lock, on this thread's own connection, with the index at self.path
        checked to be the one this object has open (followed when another process swapped
        it: its next write goes to the rebuilt index, not the deleted one)."""
        if self.read_only:
            raise IndexReadOnly(
                f"the index at {self.path} is read-only (its folder or database cannot be "
                "written): it can be searched, not changed; write to a copy you own"
            )
        with writer_lock(self.path):
            if check_identity:
                self._reopen()
                self._ensure_identity()
            with self.store.session():
                # Files left by a writer that was killed before it committed.
                VectorIndex.prune(self.path, keep=self.store.generation)
                yield

    @_serialized
    def ingest(
        self,
        paths: Iterable[str | Path],
        overrides: dict[str, object] | None = None,
        progress: bool = False,
    ) -> IngestReport:
        """Index files and folders. Unchanged files are skipped before parsing; a changed file
        replaces its old passages; bad files are reported and nothing else is affected."""
        overrides = clean_overrides(overrides or {})
        files, problems = discover(paths)
        report = ReportBuilder()
        report.failed.extend(IngestFailure(p, r) for p, r in problems)
        with self._writer():
            if not self.store.passage_count():  # all it will hold is read with today's rules
                record_reading_rules(self.path)
            pending: list[PendingDocument] = []
            bar = progress_bar(files, "Reading", "file", progress)
            for path in bar:
                item = prepare_document(
                    path, overrides, self.store, report, self._ids, self.config.max_passage_chars,
                    self.limits,
                )
                if item is not None:
                    pending.append(item)
                if sum(len(p.passages) for p in pending) >= self.config.commit_every:
                    self._commit(pending, report, progress)
                    pending = []
            self._commit(pending, report, progress)
            if report.unchanged:  # copies and renames found are recorded as they are seen
                self._save_sources()
        return report.build()

    def _commit(
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
        self._ids.reserved.clear()

    @_serialized
    def remove(self, ref: str) -> Document:
        """Delete a document (by id or source path) and its passages."""
        doc = self.document(ref)
        with self._writer():
            self._write_generation(
                lambda vectors: vectors.remove(self.store.delete_document(doc.doc_id))
            )
        return doc

    def _write_generation(self, apply: Callable[[VectorIndex], None]) -> None:
        """Apply a change to the store and to a copy of the vectors, then commit both as one
        new generation: the FAISS file first, then the SQLite transaction that names it.
        Searches running meanwhile keep the previous generation's vectors and snapshot."""
        vectors = self.vectors.clone()
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
        self._remember(self.store.version, vectors)
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

    @_serialized
    def update_document(self, ref: str, **changes: object) -> Document:
        """Change a document's title, type or year; kept across `kb rebuild`."""
        doc = self.document(ref)
        with self._writer():
            apply_overrides(self.store, doc, clean_overrides(changes))
            self._save_sources()
        return self.document(doc.doc_id)

    @_serialized
    def rebuild(self, progress: bool = False, drop_missing: bool = False) -> RebuildReport:
        """Rebuild the index from the recorded source files with the current model and format.

        Each document is re-read from the first of its recorded paths that can be read; one
        that cannot keeps its indexed passages (embedded again), or is left out with
        drop_missing; the report lists both. The new index is built beside the old one and
        swapped in only when complete."""
        if self.read_only:
            raise IndexReadOnly(f"the index at {self.path} is read-only: it cannot be rebuilt")
        report = rebuild_index(self.path, self.config, self.embedder, progress, drop_missing, self)
        with self._reopen_lock:
            self.store.reopen()
            self._ids = IdAllocator(self.store)
            with self._load_lock:
                self._vector_cache.clear()
        return report
