"""`kb check`: is every part of an index whole, and do the parts agree?

It verifies the database (SQLite's integrity check), that it and the manifest name the same
index, that the committed generation's vector file loads and holds exactly one vector for
each passage (same count, same ids), and that the manifest fits this kb; it notes an index
read with older reading rules (`kb rebuild` reads it again). It never writes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.config import Config
from kb.errors import KBError
from kb.index.database import DAMAGE_HELP
from kb.index.embed import DIMENSION
from kb.index.folder import DB_FILE
from kb.index.manifest import (
    MANIFEST,
    SOURCES,
    check_manifest,
    read_manifest,
    read_sources,
    rules_note,
)
from kb.index.store import Store
from kb.index.vectors import VectorFileError, VectorIndex

__all__ = ["Finding", "check_index"]


@dataclass(frozen=True)
class Finding:
    """One part of the index checked: whether it is whole, and what was found."""

    part: str
    ok: bool
    detail: str


def check_index(folder: Path, config: Config) -> list[Finding]:
    """Every finding about the index at `folder`; all ok means the index is whole."""
    if folder.exists() and not folder.is_dir():
        return [Finding("index", False, f"{folder} is a file, not an index folder")]
    if not (folder / DB_FILE).exists():
        if folder.with_name(folder.name + ".old").is_dir():
            return [
                Finding(
                    "index",
                    False,
                    f"a rebuild of {folder} was interrupted while "
                    "swapping: any kb command (e.g. `kb info`) finishes it",
                )
            ]
        return [Finding("index", False, f"no index at {folder} (no {DB_FILE})")]
    findings = [_check_manifest(folder, config)]
    if findings[0].ok:
        findings.append(_check_rules(folder))
    try:
        store = Store(folder / DB_FILE, read_only=True)
    except KBError as exc:
        return [*findings, Finding("database", False, str(exc))]
    try:
        findings += _check_database(folder, store)
        if findings[-1].ok:
            findings.append(_check_vectors(folder, store, config))
            findings.append(_check_sources(folder, store))
    except sqlite3.DatabaseError as exc:
        findings.append(
            Finding("database", False, f"{store.path} is damaged ({exc}); " + DAMAGE_HELP)
        )
    finally:
        store.close()
    return findings


def _check_manifest(folder: Path, config: Config) -> Finding:
    try:
        manifest = read_manifest(folder)
        check_manifest(manifest, config, DIMENSION)
    except KBError as exc:
        return Finding("manifest", False, str(exc))
    return Finding(
        "manifest",
        True,
        f"{MANIFEST}: model {manifest.get('model')}, format "
        f"{manifest.get('format_version')}, index {manifest.get('index_id') or '(no id yet)'}",
    )


def _check_rules(folder: Path) -> Finding:
    """Documents read with older rules are whole, only read otherwise than kb reads now: a
    note, not a failure."""
    note = rules_note(read_manifest(folder))
    return Finding("rules", True, note or "documents read with the current reading rules")


def _check_database(folder: Path, store: Store) -> list[Finding]:
    problems = store.integrity_problems()
    if problems:
        shown = "; ".join(problems[:3])
        return [Finding("database", False, f"{store.path}: {shown}; {DAMAGE_HELP}")]
    passages = store.passage_count()
    found = [
        Finding(
            "database",
            True,
            f"{DB_FILE}: integrity check ok, {len(store.doc_ids())} "
            f"documents, {passages} passages, generation {store.generation}",
        )
    ]
    try:
        theirs = read_manifest(folder).get("index_id")
    except KBError:
        return found
    if theirs and store.index_id != theirs:
        found.append(
            Finding(
                "identity",
                False,
                f"{DB_FILE} belongs to index {store.index_id}, "
                f"{MANIFEST} to {theirs}; {DAMAGE_HELP}",
            )
        )
    return found


def _check_vectors(folder: Path, store: Store, config: Config) -> Finding:
    generation = store.generation
    path = VectorIndex.file_for(folder, generation)
    try:
        vectors = VectorIndex.load(folder, generation, DIMENSION, config.ivf_nprobe)
    except VectorFileError as exc:
        return Finding("vectors", False, f"{exc}; {DAMAGE_HELP}")
    ids = np.sort(vectors.ids())
    expected = np.asarray(store.all_ids(), dtype=np.int64)
    if len(ids) != len(expected):
        return Finding(
            "vectors",
            False,
            f"{path.name} holds {len(ids)} vectors for {len(expected)} passages; {DAMAGE_HELP}",
        )
    if not np.array_equal(ids, expected):
        wrong = int(np.sum(ids != expected))
        return Finding(
            "vectors", False, f"{path.name}: {wrong} vector ids name no passage; " + DAMAGE_HELP
        )
    others = [p.name for p in folder.glob("vectors-*.faiss*") if p != path]
    note = (
        f" ({', '.join(others)} left by an interrupted write: deleted by the next)"
        if others
        else ""
    )
    return Finding("vectors", True, f"{path.name}: {len(ids)} vectors, one per passage{note}")


def _check_sources(folder: Path, store: Store) -> Finding:
    recorded = {str(d["doc_id"]) for d in read_sources(folder)}
    indexed = store.doc_ids()
    if not (folder / SOURCES).exists():
        return Finding("sources", True, f"{SOURCES} not written yet (the next write records it)")
    missing = sorted(indexed - recorded)
    if missing:  # a write killed between its commit and this record: not damage
        return Finding(
            "sources", True, f"{SOURCES} lacks {', '.join(missing[:5])} (the next write adds it)"
        )
    return Finding("sources", True, f"{SOURCES}: the paths of all {len(indexed)} documents")
