"""An index folder on disk: where it may be, how a new one is made, whether its database
and manifest belong together, and how a rebuilt index is swapped in (two renames; a kill
between them is finished by the next open)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kb.config import Config
from kb.errors import IndexDamaged, IndexLocationError, IndexNotFound
from kb.index.database import DAMAGE_HELP
from kb.index.embed import DIMENSION
from kb.index.faults import fault_point
from kb.index.manifest import (
    MANIFEST,
    SOURCES,
    check_manifest,
    new_index_id,
    read_manifest,
    write_manifest,
)
from kb.index.store import Store

__all__ = [
    "DB_FILE",
    "check_identity",
    "check_location",
    "check_not_lost",
    "create_index",
    "open_store",
    "swap_in",
]

DB_FILE = "kb.sqlite"


def swap_in(staging: Path, folder: Path) -> None:
    """Put the rebuilt index in the old one's place (two renames; a kill between them is
    finished by the next open, see check_location)."""
    retired = folder.with_name(folder.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(folder, retired)
    fault_point("rebuild-mid-swap")
    os.replace(staging, folder)
    shutil.rmtree(retired, ignore_errors=True)


def check_location(folder: Path) -> None:
    """A path that cannot be an index folder is refused in words; a swap that a kill cut
    short (the old index moved aside, the new one not yet in place) is finished."""
    if folder.exists() and not folder.is_dir():
        raise IndexLocationError(
            f"{folder} is a file, not an index folder: give --index (or KB_INDEX_PATH) a folder"
        )
    retired = folder.with_name(folder.name + ".old")
    staging = folder.with_name(folder.name + ".rebuild")
    if not folder.exists() and retired.is_dir():
        whole = (staging / DB_FILE).is_file() and (staging / MANIFEST).is_file()
        os.replace(staging if whole else retired, folder)


def check_not_lost(folder: Path) -> None:
    """A folder whose database is gone but whose vectors or sources are there held an index:
    refuse to start a new one over it (the next write would delete what is left)."""
    left = [p.name for p in (folder / SOURCES, *folder.glob("vectors-*.faiss")) if p.exists()]
    if left:
        raise IndexDamaged(
            f"{folder / DB_FILE} is missing but {', '.join(left)} remain: {DAMAGE_HELP}"
        )


def create_index(folder: Path, config: Config) -> None:
    """A new, empty index: its manifest, then its database, both with a new identity."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        index_id = new_index_id()
        write_manifest(folder, config, DIMENSION, index_id)
        Store.create(folder / DB_FILE, index_id)
    except OSError as exc:
        raise IndexLocationError(
            f"cannot create an index in {folder} ({exc.strerror}): choose a folder you can "
            "write with --index or KB_INDEX_PATH"
        ) from exc


def check_identity(folder: Path, store: Store) -> None:
    """The database and the manifest must belong to the same index."""
    theirs = read_manifest(folder).get("index_id")
    ours = store.index_id
    if theirs and ours != theirs:
        raise IndexDamaged(
            f"{store.path} and {folder / MANIFEST} belong to different indexes (a file "
            f"copied in from elsewhere, or an interrupted swap); {DAMAGE_HELP}"
        )


def open_store(folder: Path, config: Config, create: bool, check: bool) -> Store:
    """The database of the index at `folder` (see KnowledgeBase.open for what is raised),
    created when missing and `create`; read-only when kb cannot write the folder."""
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
    return store
