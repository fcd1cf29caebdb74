"""The index manifest (manifest.json): which model and format built the index."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from kb.config import FORMAT_VERSION, Config
from kb.errors import IncompatibleIndex

MANIFEST = "manifest.json"


def write_manifest(folder: Path, config: Config, dim: int) -> dict[str, object]:
    data: dict[str, object] = {
        "format_version": FORMAT_VERSION,
        "model": config.model_name,
        "dimension": dim,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": config.manifest_view(),
    }
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)
    return data


def read_manifest(folder: Path) -> dict[str, object]:
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
