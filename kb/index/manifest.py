"""The index manifest (manifest.json): which model, format and reading rules built the index.

The reading rules are recorded as the fingerprint of their values (kb/rules/version.py): an
index whose documents were read with other rules is reported, and `kb rebuild` reads them
again. The tagging rules' fingerprint is stored with the tags themselves, in the database
(Tagger.signature), and a change re-tags the index on its next read."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kb.config import FORMAT_VERSION, Config
from kb.errors import IncompatibleIndex
from kb.rules.version import reading_version

__all__ = [
    "MANIFEST",
    "SOURCES",
    "check_manifest",
    "new_index_id",
    "read_manifest",
    "read_sources",
    "record_reading_rules",
    "rules_note",
    "set_manifest_id",
    "write_json",
    "write_manifest",
    "write_sources",
]

MANIFEST = "manifest.json"
SOURCES = "sources.json"
READING_RULES = "reading_rules"  # the manifest's key for the reading rules' fingerprint
OLDER_RULES = "index read with older rules: run `kb rebuild`"


def new_index_id() -> str:
    """A new index's identity, recorded in its manifest and its database."""
    return uuid.uuid4().hex


def write_manifest(folder: Path, config: Config, dim: int, index_id: str) -> dict[str, object]:
    data: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "model": config.model_name,
        "dimension": dim,
        "index_id": index_id,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": config.manifest_view(),
        READING_RULES: reading_version(),
    }
    write_json(folder / MANIFEST, data)
    return data


def set_manifest_id(folder: Path, index_id: str) -> None:
    """Record an identity in the manifest of an index made before indexes had one."""
    data = read_manifest(folder)
    data["index_id"] = index_id
    write_json(folder / MANIFEST, data)


def record_reading_rules(folder: Path) -> None:
    """Record the current reading rules as the index's: call when every passage it will hold
    is read with them (a write to an index that holds no passage yet)."""
    data = read_manifest(folder)
    current = reading_version()
    if data.get(READING_RULES) != current:
        data[READING_RULES] = current
        write_json(folder / MANIFEST, data)


def rules_note(manifest: dict[str, Any]) -> str:
    """Empty when the index's documents were read with the current reading rules; else what to
    do (an index made before kb recorded its rules counts as read with older ones)."""
    return "" if manifest.get(READING_RULES) == reading_version() else OLDER_RULES


def write_json(path: Path, data: object) -> None:
    """Write a JSON file atomically: a temp file, fsync, rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_sources(folder: Path, sources: list[dict[str, object]]) -> None:
    """Record each document's paths and overrides beside the database, so `kb rebuild` can
    work even when the database is damaged."""
    write_json(folder / SOURCES, {"documents": sources})


def read_sources(folder: Path) -> list[dict[str, object]]:
    """The sources recorded by the last write ([] when there is no readable record)."""
    try:
        data = json.loads((folder / SOURCES).read_text(encoding="utf-8"))
        return [d for d in data["documents"] if isinstance(d, dict) and d.get("paths")]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IncompatibleIndex(
            f"{folder} has no {MANIFEST}: it is not a kb index or is damaged; run `kb rebuild`"
        ) from exc
    except ValueError as exc:
        raise IncompatibleIndex(f"{folder / MANIFEST} is damaged; run `kb rebuild`") from exc


def check_manifest(manifest: dict[str, object], config: Config, dim: int) -> None:
    """Fail with a clear instruction when the index was built by another model or format."""
    problems = []
    if manifest.get("format_version") != FORMAT_VERSION:
        found = manifest.get("format_version")
        problems.append(f"index format version {found} (this kb reads {FORMAT_VERSION})")
    if manifest.get("model") != config.model_name:
        problems.append(f"model {manifest.get('model')!r} (this kb uses {config.model_name!r})")
    if manifest.get("dimension") != dim:
        problems.append(f"embedding dimension {manifest.get('dimension')} (expected {dim})")
    if problems:
        raise IncompatibleIndex(
            "the index was built with "
            + " and ".join(problems)
            + "; run `kb rebuild` to rebuild it"
        )
