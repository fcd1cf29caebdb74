"""`kb rebuild`: a new index built beside the old one from the recorded sources, and
swapped in only when complete. Works on an index too damaged to open."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.config import Config
from kb.errors import IndexDamaged, SourcesMissing
from kb.index.embed import Embedder
from kb.index.faults import fault_point
from kb.index.folder import DB_FILE, check_location, swap_in
from kb.index.manifest import SOURCES, read_sources
from kb.index.store import Store
from kb.index.writer import PendingDocument, prepare_document, writer_lock
from kb.ingest.describe import ReportBuilder, clean_overrides
from kb.progress import progress_bar
from kb.records import IngestFailure, IngestReport

if TYPE_CHECKING:
    from kb.index.maintainer import IndexMaintainer

__all__ = ["RebuildReport", "kept_passages", "rebuild_from", "rebuild_index", "recorded_sources"]


@dataclass(frozen=True)
class RebuildReport(IngestReport):
    """What `kb rebuild` did: an ingest report, and the documents whose source could not be
    re-read, kept from the old index or (with drop_missing) dropped."""

    kept: tuple[IngestFailure, ...] = ()
    dropped: tuple[IngestFailure, ...] = ()


def rebuild_index(
    folder: Path,
    config: Config,
    embedder: Embedder | None = None,
    progress: bool = False,
    drop_missing: bool = False,
    old: Store | None = None,
) -> RebuildReport:
    """Rebuild the index at `folder` from its recorded sources: those in its database when
    it can be read (`old`, the open index's store), else those in sources.json. Works on an
    index too damaged to open; the new index replaces the old one only when complete."""
    from kb.knowledge_base import KnowledgeBase  # the facade imports this module (maintainer)

    embedder = embedder or Embedder(device=config.device, batch_size=config.batch_size)
    check_location(folder)
    with writer_lock(folder):
        sources, old = recorded_sources(folder, old)
        staging = folder.with_name(folder.name + ".rebuild")
        shutil.rmtree(staging, ignore_errors=True)
        fresh = KnowledgeBase.open(staging, config, create=True, embedder=embedder)
        try:
            maintainer = fresh.maintainer
            with maintainer.lock, maintainer.writer():
                report = rebuild_from(maintainer, sources, old, progress, drop_missing)
        except BaseException:
            fresh.close()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        fresh.close()
        fault_point("rebuild-before-swap")
        swap_in(staging, folder)
    return report


def recorded_sources(
    folder: Path, old: Store | None
) -> tuple[list[dict[str, Any]], Store | None]:
    if old is not None:
        try:
            return old.sources(), old
        except (sqlite3.DatabaseError, IndexDamaged):
            pass
    sources = read_sources(folder)
    if not sources and (folder / DB_FILE).exists():
        raise IndexDamaged(
            f"{folder / DB_FILE} cannot be read and {folder / SOURCES} records no sources: "
            "restore the index folder from a backup, or ingest the documents into a new index"
        )
    return sources, None


def kept_passages(old: Store | None, source: dict[str, Any]) -> PendingDocument | None:
    """A document's passages as the old index holds them, to be embedded again."""
    if old is None:
        return None
    doc_id = str(source["doc_id"])
    try:
        doc = old.document(doc_id)
        passages = old.passages_of(doc_id)
    except (sqlite3.DatabaseError, IndexDamaged):
        return None
    if doc is None or not passages:
        return None
    clean = tuple(replace(p, passage_id=None, topics=()) for p in passages)
    others = tuple(str(p) for p in source["paths"] if str(p) != doc.path)
    return PendingDocument(doc, clean, None, other_paths=others)


def rebuild_from(
    fresh: IndexMaintainer,
    sources: list[dict[str, Any]],
    old: Store | None,
    progress: bool,
    drop_missing: bool,
) -> RebuildReport:
    """Fill a new, empty index from recorded sources (see KnowledgeBase.rebuild)."""
    report = ReportBuilder()
    kept: list[IngestFailure] = []
    dropped: list[IngestFailure] = []
    lost: list[IngestFailure] = []
    pending: list[PendingDocument] = []
    for source in progress_bar(sources, "Re-reading", "file", progress):
        item, reason = _reread(fresh, source)
        if item is None and reason is not None:
            where = IngestFailure(str(source["paths"][0]), reason)
            item = None if drop_missing else kept_passages(old, source)
            (kept if item else dropped if drop_missing else lost).append(where)
        if item is not None:
            pending.append(item)
        if sum(len(p.passages) for p in pending) >= fresh.config.commit_every:
            fresh.commit(pending, report, progress)
            pending = []
    if lost:
        raise SourcesMissing(
            "cannot rebuild: "
            + "; ".join(f"{f.path}: {f.reason}" for f in lost)
            + ". The damaged index holds no passages of them to keep: restore the files, "
            "or run `kb rebuild --drop-missing` to rebuild without them"
        )
    fresh.commit(pending, report, progress)
    built = report.build()
    return RebuildReport(
        **{f: getattr(built, f) for f in built.__dataclass_fields__},
        kept=tuple(kept),
        dropped=tuple(dropped),
    )


def _reread(
    kb: IndexMaintainer, source: dict[str, Any]
) -> tuple[PendingDocument | None, str | None]:
    """A recorded document read again from the first of its paths that is a file; or
    why it cannot be (None, reason); (None, None) when its bytes are indexed already."""
    paths = [str(p) for p in source["paths"]]
    readable = [p for p in paths if Path(p).is_file()]
    if not readable:
        return None, "no file at " + ", ".join(paths)
    part = ReportBuilder()
    item = prepare_document(
        Path(readable[0]),
        clean_overrides(dict(source.get("overrides") or {})),
        kb.store,
        part,
        lambda _path: str(source["doc_id"]),
        kb.config.max_passage_chars,
        kb.limits,
    )
    if part.failed:
        return None, part.failed[0].reason
    if item is None:
        return None, None
    return replace(item, other_paths=tuple(p for p in paths if p != readable[0])), None
