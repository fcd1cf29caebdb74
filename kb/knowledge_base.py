"""The facade: KnowledgeBase.open(path) with ingest, search, remove, rebuild and info.

The CLI and the app call only this. An index folder holds kb.sqlite (documents, passages,
FTS5), vectors-<generation>.faiss and manifest.json; see store.py and vectors.py for how
writes stay atomic."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from kb.config import FORMAT_VERSION, Config
from kb.embed import DIMENSION, Embedder
from kb.errors import (
    DocumentNotFound,
    IndexLocked,
    IndexNotFound,
    IngestError,
    InvalidQuery,
    KBError,
)
from kb.indexing import (
    IdAllocator,
    PendingDocument,
    apply_overrides,
    embed_texts,
    prepare_document,
    writer_lock,
)
from kb.ingest import discover, parse, read_bytes
from kb.ingest.describe import ReportBuilder, clean_overrides
from kb.manifest import check_manifest, read_manifest, write_manifest
from kb.points import learning_review
from kb.progress import progress_bar
from kb.qa import Answer, answer_from
from kb.records import (
    Document,
    Hit,
    IngestFailure,
    IngestReport,
    LearningPoint,
    Passage,
)
from kb.search import (
    Ranked,
    drop_near_duplicates,
    group_list_items,
    hybrid_rank,
    interleave,
    shown_units,
    split_concerns,
    topic_first,
)
from kb.store import Filters, Store
from kb.topics import Tagger, Taxonomy, Topic, topics_named_in, topics_using_words
from kb.vectors import VectorIndex

DB_FILE = "kb.sqlite"


def _serialized(method: Callable[..., T]) -> Callable[..., T]:
    """One call at a time per KnowledgeBase: the app shares one across its threads."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


BROAD_SHARE = 0.3
TOPIC_POOL = 200  # a topic's points are looked for among this many results
SECTION_REACH = 30  # passages either side looked at for the list a result belongs to
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
        self._vectors: VectorIndex | None = None
        self._vector_generation = -1
        self._lock = threading.RLock()
        self._ids = IdAllocator(store)
        self.tagger = Tagger(config.topics_file, embedder)

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
        IncompatibleIndex when it was built by another model or format version."""
        config = config or Config.from_env()
        folder = Path(path) if path is not None else config.index_path
        db = folder / DB_FILE
        if not db.exists():
            if not create:
                raise IndexNotFound(f"no index at {folder}; build one with `kb ingest corpus/`")
            folder.mkdir(parents=True, exist_ok=True)
            write_manifest(folder, config, DIMENSION)
        elif check:
            check_manifest(read_manifest(folder), config, DIMENSION)
        embedder = embedder or Embedder(device=config.device, batch_size=config.batch_size)
        return cls(folder, config, Store(db), embedder)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def vectors(self) -> VectorIndex:
        """The FAISS index of the committed generation, reloaded if another process wrote."""
        generation = self.store.generation
        if self._vectors is None or generation != self._vector_generation:
            self._vectors = self._load_vectors(generation)
            self._vector_generation = generation
        return self._vectors

    def _load_vectors(self, generation: int) -> VectorIndex:
        for _ in range(5):
            try:
                return VectorIndex.load(self.path, generation, DIMENSION, self.config.ivf_nprobe)
            except RuntimeError:
                # A writer committed and pruned this generation between our two reads.
                generation = self.store.generation
        return VectorIndex.load(self.path, generation, DIMENSION, self.config.ivf_nprobe)

    # -- reading ----------------------------------------------------------------------
    @_serialized
    def info(self) -> IndexInfo:
        manifest = read_manifest(self.path)
        size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return IndexInfo(
            path=str(self.path),
            documents=len(self.store.doc_ids()),
            passages=self.store.passage_count(),
            model=str(manifest.get("model")),
            dimension=int(manifest.get("dimension", 0)),  # type: ignore[arg-type]
            format_version=int(manifest.get("format_version", FORMAT_VERSION)),  # type: ignore[arg-type]
            size_bytes=size,
            generation=self.store.generation,
        )

    @_serialized
    def documents(self) -> list[Document]:
        return self.store.documents()

    def document(self, ref: str) -> Document:
        """A document by id or by the path it was ingested from."""
        doc = self.store.document(ref)
        if doc is None and ref:
            doc = self.store.document_by_path(str(Path(ref).resolve()))
        if doc is None:
            raise DocumentNotFound(f"no indexed document {ref!r}; `kb info --docs` lists them")
        return doc

    @_serialized
    def source_texts(self) -> list[str]:
        """The full text of each indexed document (re-read from its source when it is there,
        else joined from its passages), for baselines and exports."""
        texts = []
        for doc in self.store.documents():
            path = Path(doc.path)
            try:
                parsed = parse(path, read_bytes(path))
                texts.append("\n".join(b.text for b in parsed.blocks))
            except IngestError:
                texts.append("\n".join(p.text for p in self.store.passages_of(doc.doc_id)))
        return texts

    @_serialized
    def passages_of(self, ref: str) -> list[Passage]:
        """A document's passages in reading order (by id or source path)."""
        return self.store.passages_of(self.document(ref).doc_id)

    @_serialized
    def neighbours(self, passage_id: int, before: int = 2, after: int = 2) -> list[Passage]:
        """A passage with the passages around it in its section (for 'show in context')."""
        return self.store.neighbours(passage_id, before, after)

    @_serialized
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
        concerns = split_concerns(query) if query else []
        if len(concerns) > 1:
            # The whole summary leads; then each concern takes its turn.
            ranked = interleave([self._rank(c, filters) for c in [query, *concerns]])
        elif query:
            ranked = self._rank(query, filters)
        else:  # a topic alone: all its passages, most central first
            scored = self.store.topic_scores(topics[0].id, filters, limit=TOPIC_POOL)
            ranked = [Ranked(p, s) for p, s in scored]
        topic_points: set[int] = set()
        for named in reversed(topics):
            pool = [r.passage_id for r in ranked[:TOPIC_POOL]]
            points = self._topic_points(named.id, filters, limit=max(k * 2, 20), among=pool)
            topic_points.update(pid for pid, _ in points)
            ranked = topic_first(ranked, points)
        pool = ranked[: max(k * 4, 40)]
        passages = self.store.passages(r.passage_id for r in pool)
        unique = drop_near_duplicates(pool, passages)
        groups = group_list_items(unique, passages, window=max(2 * k, 20))
        # A topic's learning points are shown as points, not inside their whole list.
        units = shown_units(groups, passages, self._section_around, k, alone=topic_points)
        return self._hits(units, passages)

    def _section_around(self, passage: Passage) -> list[Passage]:
        assert passage.passage_id is not None
        return self.store.neighbours(passage.passage_id, SECTION_REACH, SECTION_REACH)

    def _rank(self, query: str, filters: Filters) -> list[Ranked]:
        vector = self.embedder.encode_query(query) if len(self.vectors) else None
        return hybrid_rank(
            self.store,
            self.vectors,
            vector,
            query,
            filters,
            self.config.keyword_candidates,
            self.config.dense_candidates,
            self.config.fusion,
            self.config.dense_weight,
            self.config.rrf_k,
        )

    def _topic_points(
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

    # -- questions --------------------------------------------------------------------
    @_serialized
    def ask(self, question: str, k: int = 6) -> Answer:
        """A short answer from the documents with citations, or a plain 'not answered'.

        Generative when KB_LLM_URL and KB_LLM_MODEL are set (falling back to extractive on
        any failure, with a notice); extractive otherwise."""
        question = question.strip()
        if not question:
            raise InvalidQuery("ask a question")
        return answer_from(question, self.search(question, k=k), self.embedder)

    @_serialized
    def match_points(self, text: str, limit: int = 10) -> list[tuple[LearningPoint, float]]:
        """Learning points for a piece of text (a concern of a case), best first, with the
        cosine similarity of each to the text."""
        ranked = self._rank(text, Filters(learning_only=True))
        # A concern in a topic's own words ("mother's new partner") brings that topic's
        # most central points in, even when the wording shares little else with them.
        for topic in topics_using_words(text, self.taxonomy()):
            central = self._topic_points(topic.id, Filters(), limit=2)
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

    @_serialized
    def ensure_tags(self) -> None:
        """Re-tag every passage when the taxonomy (or the tagging rules) changed since the
        tags were made."""
        signature = self.tagger.signature()
        if self.store.get_meta("taxonomy") == signature or not self.store.passage_count():
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
            return  # a writer is busy; the next call re-tags

    @_serialized
    def nearest_topics(self, text: str, n: int = 5) -> list[Topic]:
        """The topics closest in meaning to a text (suggestions for a search that found
        nothing)."""
        return self.tagger.nearest(text, n)

    @_serialized
    def is_broad(self, query: str) -> bool:
        """A query too broad to be useful: no content words, or words found in most passages."""
        total = self.store.passage_count()
        if not total:
            return False
        return self.store.keyword_matches(query) > BROAD_SHARE * total

    @_serialized
    def topics(self) -> list[TopicSummary]:
        """Every topic of the taxonomy with its counts of passages and learning points."""
        self.ensure_tags()
        counts = self.store.topic_counts()
        return [TopicSummary(t, *counts.get(t.id, (0, 0))) for t in self.taxonomy().topics]

    @_serialized
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
            scored = self._topic_points(self.taxonomy().get(topic).id, filters)
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
    def _writer(self) -> Iterator[None]:
        with writer_lock(self.path):
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
            pending: list[PendingDocument] = []
            bar = progress_bar(files, "Reading", "file", progress)
            for path in bar:
                item = prepare_document(
                    path, overrides, self.store, report, self._ids, self.config.max_passage_chars
                )
                if item is not None:
                    pending.append(item)
                if sum(len(p.passages) for p in pending) >= self.config.commit_every:
                    self._commit(pending, report, progress)
                    pending = []
            self._commit(pending, report, progress)
        return report.build()

    def _commit(
        self, pending: list[PendingDocument], report: ReportBuilder, progress: bool
    ) -> None:
        """Embed, then write passages, vectors and the new generation atomically."""
        if not pending:
            return
        passages = [p for item in pending for p in item.passages]
        texts = [p.embedding_text() for p in passages]
        embeddings = embed_texts(self.embedder, texts, self.config.batch_size, progress)

        def apply(vectors: VectorIndex) -> None:
            removed: list[int] = []
            for item in pending:
                if item.replaces:
                    removed += self.store.delete_document(item.replaces)
                self.store.add_document(item.document)
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
        """Apply a change to the store and the vectors, then commit both as one new
        generation: the FAISS file first, then the SQLite transaction that names it."""
        vectors = self.vectors
        self.store.begin()
        try:
            apply(vectors)
            if not vectors.approximate and len(vectors) > self.config.ann_threshold:
                vectors.to_ivf()
            generation = self.store.generation + 1
            vectors.save(self.path, generation)
            self.store.set_meta("generation", str(generation))
            self.store.commit()
        except BaseException:
            self.store.rollback()
            self._vectors = None  # drop the half-updated in-memory index
            raise
        self._vector_generation = generation
        VectorIndex.prune(self.path, keep=generation)

    @_serialized
    def update_document(self, ref: str, **changes: object) -> Document:
        """Change a document's title, type or year; kept across `kb rebuild`."""
        doc = self.document(ref)
        with self._writer():
            apply_overrides(self.store, doc, clean_overrides(changes))
        return self.document(doc.doc_id)

    @_serialized
    def rebuild(self, progress: bool = False) -> IngestReport:
        """Rebuild the index from the recorded source files with the current model and format.

        The new index is built beside the old one and swapped in only when complete."""
        sources = [(d.path, d.overrides) for d in self.store.documents()]
        missing = [path for path, _ in sources if not Path(path).exists()]
        if missing:
            raise KBError(
                "cannot rebuild: these sources are gone: "
                + ", ".join(missing)
                + "; restore them or `kb remove` them first"
            )
        staging = self.path.with_name(self.path.name + ".rebuild")
        shutil.rmtree(staging, ignore_errors=True)
        with self._writer():
            fresh = KnowledgeBase.open(staging, self.config, create=True, embedder=self.embedder)
            report = ReportBuilder()
            try:
                for path, overrides in sources:
                    part = fresh.ingest([path], overrides=overrides, progress=progress)
                    report.merge(part)
            finally:
                fresh.close()
            self.store.close()
            retired = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(retired, ignore_errors=True)
            os.replace(self.path, retired)
            os.replace(staging, self.path)
            shutil.rmtree(retired, ignore_errors=True)
        self.store = Store(self.path / DB_FILE)
        self._ids = IdAllocator(self.store)
        self._vectors = None
        return report.build()
