"""Describing an ingested file: its metadata record, validated overrides, and the report of
an ingest run."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from kb.errors import KBError
from kb.ingest.metadata import (
    Found,
    detect_reviews,
    detect_title,
    detect_type,
    detect_year,
    normalise_doc_type,
)
from kb.records import Document, IngestFailure, IngestReport, ParsedDocument

__all__ = ["ReportBuilder", "clean_overrides", "describe"]


def describe(
    doc_id: str,
    path: Path,
    parsed: ParsedDocument,
    sha: str,
    size: int,
    overrides: dict[str, object],
) -> Document:
    """A Document record: metadata read from the text, then overrides applied; each field
    keeps where it was read from."""
    found: dict[str, Found] = {}
    found["title"] = _chosen(overrides, "title") or detect_title(parsed, path)
    title = str(found["title"].value)
    found["type"] = _chosen(overrides, "type") or detect_type(title, parsed)
    doc_type = str(found["type"].value)
    found["year"] = _chosen(overrides, "year") or detect_year(title, path, parsed)
    found["reviews"] = _chosen(overrides, "reviews") or detect_reviews(title, doc_type, parsed)
    year: Any = found["year"].value
    reviews: Any = found["reviews"].value
    return Document(
        doc_id=doc_id,
        path=str(path),
        title=title,
        doc_type=doc_type,
        year=int(year) if year else None,
        reviews=tuple(reviews),
        sha256=sha,
        page_count=parsed.page_count,
        size_bytes=size,
        overrides=overrides,
        provenance={name: f.source for name, f in found.items()},
    )


def _chosen(overrides: dict[str, object], name: str) -> Found | None:
    value = overrides.get(name)
    return Found(value, "set by hand (an override)") if value not in (None, "", []) else None


def clean_overrides(raw: dict[str, object]) -> dict[str, object]:
    """Validate metadata overrides (from the CLI, a sidecar file or the app)."""
    out: dict[str, object] = {}
    for key, value in raw.items():
        if value is None or value == "":
            continue
        key = "type" if key == "doc_type" else key
        if key == "type":
            out["type"] = normalise_doc_type(str(value))
        elif key == "year":
            try:
                out["year"] = int(cast(Any, value))
            except (TypeError, ValueError) as exc:
                raise KBError(f"year must be a number, got {value!r}") from exc
        elif key == "reviews":
            out["reviews"] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        elif key == "title":
            out["title"] = str(value).strip()
    return out


class ReportBuilder:
    """Collects what an ingest did, file by file."""

    def __init__(self) -> None:
        self.added: list[str] = []
        self.replaced: list[str] = []
        self.unchanged: list[str] = []
        self.failed: list[IngestFailure] = []
        self.passages = 0

    def merge(self, other: IngestReport) -> None:
        self.added += other.added
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.passages += other.passages

    def build(self) -> IngestReport:
        return IngestReport(
            added=tuple(self.added),
            replaced=tuple(self.replaced),
            unchanged=tuple(self.unchanged),
            failed=tuple(self.failed),
            passages=self.passages,
        )
