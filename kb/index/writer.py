"""The steps of the write path that need no index state: reading a file into a pending
document, choosing its id, embedding passages in batches, and the writer lock.

IndexMaintainer (maintainer.py) strings them together and commits the result atomically."""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from kb.errors import IndexLocked, IndexReadOnly, IngestError, KBError
from kb.index.embed import Embedder
from kb.index.store import Store
from kb.ingest import parse, read_bytes, sha256_of
from kb.ingest.describe import ReportBuilder, clean_overrides, describe
from kb.ingest.limits import Limits
from kb.ingest.metadata import read_sidecar
from kb.passages.segment import segment
from kb.progress import progress_bar
from kb.records import Document, IngestFailure, Passage

__all__ = [
    "LOCK_FILE",
    "IdAllocator",
    "PendingDocument",
    "apply_overrides",
    "embed_texts",
    "prepare_document",
    "writer_lock",
]

LOCK_FILE = ".lock"


@dataclass(frozen=True)
class PendingDocument:
    """A parsed, segmented document waiting to be embedded and committed."""

    document: Document
    passages: tuple[Passage, ...]
    replaces: str | None  # the doc id whose passages it replaces, if any
    other_paths: tuple[str, ...] = ()  # other paths its bytes were found at


@contextmanager
def writer_lock(index_path: Path) -> Iterator[None]:
    """Hold the index's writer lock: one writing process at a time.

    The lock file lives in the index folder, which `kb rebuild` replaces: a lock taken on
    the replaced folder's file is let go and taken again on the one now in place."""
    for _ in range(10):
        handle = _open_lock(index_path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise IndexLocked(
                f"another kb process is writing to {index_path}; try again when it ends"
            ) from exc
        if _same_file(handle, index_path / LOCK_FILE):
            break
        handle.close()
    else:
        raise IndexLocked(f"{index_path} keeps being replaced; try again")
    try:
        yield
    finally:
        handle.close()


def _open_lock(index_path: Path) -> IO[str]:
    try:
        return open(index_path / LOCK_FILE, "a+")
    except PermissionError as exc:
        raise IndexReadOnly(
            f"cannot write in {index_path} ({exc.strerror}): the index can be searched, "
            "not changed"
        ) from exc
    except FileNotFoundError as exc:
        raise IndexLocked(f"{index_path} is being replaced (kb rebuild); try again") from exc


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def prepare_document(
    path: Path,
    overrides: dict[str, object],
    store: Store,
    report: ReportBuilder,
    new_id: Callable[[Path], str],
    max_chars: int,
    limits: Limits | None = None,
) -> PendingDocument | None:
    """Read, parse and segment one file, unless the index already holds its bytes; a file
    that cannot be read is reported, never raised. Metadata from a sidecar file and from
    the caller (which wins) override what the document says of itself. The same bytes at
    another path (a copy, a renamed file) are recorded as another path of their document."""
    try:
        data = read_bytes(path, limits)
        sha = sha256_of(data)
        wanted = {**clean_overrides(read_sidecar(path)), **overrides}
        existing = store.document_by_path(str(path))
        if existing and existing.sha256 == sha:
            if wanted and {**existing.overrides, **wanted} != existing.overrides:
                apply_overrides(store, existing, wanted)
            report.unchanged.append(existing.doc_id)
            return None
        twin = store.document_by_sha(sha)
        if twin is not None and existing is None:
            store.add_path(twin.doc_id, str(path))  # the same bytes under another name
            report.unchanged.append(twin.doc_id)
            return None
        alias = store.document_by_alias(str(path))
        if alias is not None and existing is None:
            store.remove_path(str(path))  # it no longer holds that document's bytes
        parsed = parse(path, data, limits)
        doc_id = existing.doc_id if existing else new_id(path)
        document = describe(doc_id, path, parsed, sha, len(data), wanted)
        passages = tuple(segment(doc_id, parsed.blocks, max_chars, document.doc_type))
        if not passages:
            raise IngestError(str(path), "no passages of text found in the document")
    except IngestError as exc:
        report.failed.append(IngestFailure(str(path), exc.reason))
        return None
    except KBError as exc:
        report.failed.append(IngestFailure(str(path), str(exc)))
        return None
    return PendingDocument(document, passages, existing.doc_id if existing else None)


def apply_overrides(store: Store, doc: Document, wanted: dict[str, object]) -> None:
    """Record metadata a person set (title, type, year, reviews); kept across `kb rebuild`."""
    fields = {
        "title": wanted.get("title", doc.title),
        "doc_type": wanted.get("type", doc.doc_type),
        "year": wanted.get("year", doc.year),
        "reviews": wanted.get("reviews", doc.reviews),
        "overrides": {**doc.overrides, **wanted},
    }
    store.begin()
    store.update_document(doc.doc_id, **fields)
    store.commit()


class IdAllocator:
    """Document ids from file names ("Baby F review.pdf" -> "baby-f-review"), unique among
    those stored and those handed out for documents not yet committed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reserved: set[str] = set()

    def __call__(self, path: Path) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:60] or "document"
        taken: Collection[str] = self.store.doc_ids() | self.reserved
        doc_id, n = base, 2
        while doc_id in taken:
            doc_id, n = f"{base}-{n}", n + 1
        self.reserved.add(doc_id)
        return doc_id


def embed_texts(
    embedder: Embedder, texts: list[str], batch_size: int, progress: bool
) -> np.ndarray:
    """Embeddings of many texts, with a progress bar (passages/s, ETA)."""
    # Chunks of a few hundred keep the bar moving; similar lengths pad less.
    chunk = max(batch_size * 8, 64)
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    bar = progress_bar(None, "Embedding", "passage", progress, total=len(texts))
    order = np.argsort([len(t) for t in texts])
    for start in range(0, len(texts), chunk):
        idx = order[start : start + chunk]
        out[idx] = embedder.encode([texts[i] for i in idx])
        bar.update(len(idx))
    bar.close()
    return out
