"""The facade: KnowledgeBase.open(path) with ingest, search, ask, points, remove, rebuild.

The CLI and the app call only this. Each method delegates to the stage that does the work:
the state every read and write shares is kb/index/state.py's (the snapshot a read runs in,
the vectors of the last generations, following an index rebuilt elsewhere), the write path
kb/index/maintainer.py's, searching kb/retrieval/searcher.py's, learning points and topics
kb/retrieval/browse.py's, answers kb/answer/qa.py's. An index folder holds kb.sqlite,
vectors-<generation>.faiss and manifest.json (kb/index/folder.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from kb.answer.qa import Answer, answer_from
from kb.config import Config
from kb.errors import DocumentNotFound, IngestError, InvalidQuery
from kb.index.embed import Embedder
from kb.index.folder import open_store
from kb.index.maintainer import IndexMaintainer
from kb.index.rebuild import RebuildReport
from kb.index.state import IndexInfo, IndexState
from kb.index.store import Filters, Store
from kb.index.vectors import VectorIndex
from kb.ingest import parse, read_bytes
from kb.ingest.limits import MB, Limits
from kb.passages.topics import Tagger, Taxonomy, Topic, topics_named_in
from kb.records import Document, Hit, IngestReport, LearningPoint, Passage
from kb.retrieval import browse
from kb.retrieval.browse import TopicSummary
from kb.retrieval.search import Ranked
from kb.retrieval.searcher import Searcher

__all__ = ["IndexInfo", "KnowledgeBase", "TopicSummary"]

T = TypeVar("T")


def _serialized(method: Callable[..., T]) -> Callable[..., T]:
    """A write: one at a time (see IndexMaintainer.serialized)."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        with self.maintainer.serialized():
            return method(self, *args, **kwargs)

    return wrapper


def _retags(method: Callable[..., T]) -> Callable[..., T]:
    """Before a read that shows topics: re-tag when the taxonomy changed (a write of its own,
    skipped when a writer is busy)."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        if not self.state.reading:
            self.ensure_tags()
        return method(self, *args, **kwargs)

    return wrapper


def _reading(method: Callable[..., T]) -> Callable[..., T]:
    """A read: all of it sees one committed state of the index (see IndexState.read)."""

    @wraps(method)
    def wrapper(self: KnowledgeBase, *args: Any, **kwargs: Any) -> T:
        return self.state.read(lambda: method(self, *args, **kwargs))

    return wrapper


class KnowledgeBase:
    """A searchable index of safeguarding documents."""

    def __init__(self, path: Path, config: Config, store: Store, embedder: Embedder) -> None:
        self.path = path
        self.config = config
        self.store = store
        self.embedder = embedder
        self.tagger = Tagger(config.topics_file, embedder)
        self.limits = Limits(config.max_doc_mb * MB)
        self.state = IndexState(path, config, store)
        self.maintainer = IndexMaintainer(self.state, embedder, self.tagger, self.limits)

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
        store = open_store(folder, config, create, check)
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
        of the latest commit."""
        return self.state.vectors

    # -- reading ----------------------------------------------------------------------
    @_reading
    def info(self) -> IndexInfo:
        """What the index holds; raises IndexDamaged when its vectors do not match it."""
        return self.state.info()

    @_reading
    def documents(self) -> list[Document]:
        """Every indexed document, by title."""
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
        return browse.hits(units, passages, self.document)

    def _searcher(self) -> Searcher:
        """A Searcher over this read's snapshot (call inside a read)."""
        return Searcher(self.store, self.vectors, self.embedder, self.config)

    def _rank(self, query: str, filters: Filters, kind: str = "") -> list[Ranked]:
        """One query's hybrid ranking (kb bench times it alone)."""
        return self._searcher().rank(query, filters, kind)

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

    # -- topics and learning points ---------------------------------------------------
    def taxonomy(self) -> Taxonomy:
        """The topic taxonomy, re-read when its file changes."""
        return self.tagger.taxonomy()

    def ensure_tags(self) -> None:
        """Re-tag every passage when the taxonomy changed (see IndexMaintainer.retag)."""
        self.maintainer.retag()

    @_retags
    @_reading
    def match_points(self, text: str, limit: int = 10) -> list[tuple[LearningPoint, float]]:
        """Learning points for a piece of text (a concern of a case), best first, with the
        cosine similarity of each to the text."""
        return browse.match_points(self._searcher(), self.taxonomy(), text, limit)

    @_reading
    def nearest_topics(self, text: str, n: int = 5) -> list[Topic]:
        """The topics closest in meaning to a text (suggestions for a search that found
        nothing)."""
        return self.tagger.nearest(text, n)

    @_reading
    def is_broad(self, query: str) -> bool:
        """A query too broad to be useful: no content words, or words found in most passages."""
        return browse.is_broad(self.store, query)

    @_retags
    @_reading
    def topics(self) -> list[TopicSummary]:
        """Every topic of the taxonomy with its counts of passages and learning points."""
        self.ensure_tags()
        return browse.topic_summaries(self.store, self.taxonomy())

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
        return browse.learning_points(self._searcher(), self.taxonomy(), topic, review, filters)

    # -- writing ----------------------------------------------------------------------
    @_serialized
    def ingest(
        self,
        paths: Iterable[str | Path],
        overrides: dict[str, object] | None = None,
        progress: bool = False,
    ) -> IngestReport:
        """Index files and folders. Unchanged files are skipped before parsing; a changed file
        replaces its old passages; bad files are reported and nothing else is affected."""
        return self.maintainer.ingest(paths, overrides or {}, progress)

    @_serialized
    def remove(self, ref: str) -> Document:
        """Delete a document (by id or source path) and its passages."""
        doc = self.document(ref)
        self.maintainer.remove(doc)
        return doc

    @_serialized
    def update_document(self, ref: str, **changes: object) -> Document:
        """Change a document's title, type or year; kept across `kb rebuild`."""
        doc = self.document(ref)
        self.maintainer.update_document(doc, changes)
        return self.document(doc.doc_id)

    @_serialized
    def rebuild(self, progress: bool = False, drop_missing: bool = False) -> RebuildReport:
        """Rebuild the index from the recorded source files with the current model and format.

        Each document is re-read from the first of its recorded paths that can be read; one
        that cannot keeps its indexed passages (embedded again), or is left out with
        drop_missing; the report lists both. The new index is built beside the old one and
        swapped in only when complete."""
        return self.maintainer.rebuild(progress, drop_missing)
