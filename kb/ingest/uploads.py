"""Files uploaded through the app: checked, saved under a safe generated name, ingested.

No part of the client's file name is trusted as a path: only a slug of its stem is kept, with
a random suffix, in the library folder. A file that fails to ingest is deleted again, so a
failed upload changes nothing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError
from kb.ingest import SUPPORTED
from kb.protocols import Uploader
from kb.records import IngestReport
from kb.text.words import slug

__all__ = [
    "UploadResult",
    "check_upload",
    "ingest_upload",
    "safe_name",
    "title_from_name",
]


@dataclass(frozen=True)
class UploadResult:
    name: str  # the name the user gave the file
    doc_id: str | None
    error: str | None


def safe_name(original: str) -> str:
    """`report (final).PDF` -> `report-final-3f9a1c2e.pdf`; never a path."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem, _, suffix = base.rpartition(".")
    if not stem:
        stem, suffix = suffix, ""
    name = slug(stem, 50) or "upload"
    ext = re.sub(r"[^a-z0-9]", "", suffix.lower())
    return f"{name}-{uuid.uuid4().hex[:8]}" + (f".{ext}" if ext else "")


def check_upload(original: str, size: int, max_bytes: int) -> None:
    suffix = Path(original).suffix.lower()
    if suffix not in SUPPORTED:
        raise KBError(f"{original}: unsupported file type {suffix or '(none)'}")
    if size > max_bytes:
        raise KBError(f"{original}: larger than the {max_bytes // 1_048_576} MB upload limit")
    if size == 0:
        raise KBError(f"{original}: the file is empty")


def ingest_upload(
    kb: Uploader, folder: str | Path, original: str, data: bytes, max_bytes: int
) -> UploadResult:
    """Save one uploaded file safely and ingest it; on any failure leave nothing behind."""
    try:
        check_upload(original, len(data), max_bytes)
    except KBError as exc:
        return UploadResult(original, None, str(exc))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(original)
    path.write_bytes(data)
    try:
        report: IngestReport = kb.ingest([path])
    except KBError as exc:
        path.unlink(missing_ok=True)
        return UploadResult(original, None, str(exc))
    if report.failed:
        path.unlink(missing_ok=True)
        return UploadResult(original, None, report.failed[0].reason)
    if report.unchanged and not report.added:
        path.unlink(missing_ok=True)  # the same file is already in the library
        return UploadResult(original, report.unchanged[0], None)
    doc_id = (report.added or report.replaced)[0]
    _title_not_from_saved_name(kb, doc_id, path, original)
    return UploadResult(original, doc_id, None)


def title_from_name(original: str) -> str:
    """`inj_review-final.pdf` -> `Inj review final`: the user's file name as a title."""
    stem = Path(original.replace("\\", "/").rsplit("/", 1)[-1]).stem
    words = " ".join(re.sub(r"[_\-.]+", " ", stem).split())
    return words[:1].upper() + words[1:] if words else "Untitled document"


def _title_not_from_saved_name(kb: Uploader, doc_id: str, path: Path, original: str) -> None:
    """A document whose text gives no title is named after its file: the name the user gave
    it, never the generated one it is saved under ("Inj review 3bb5c3f0")."""
    doc = kb.document(doc_id)
    suffix = path.stem.rsplit("-", 1)[-1]
    if suffix.lower() in doc.title.lower().replace(" ", ""):
        kb.update_document(doc_id, title=title_from_name(original))
