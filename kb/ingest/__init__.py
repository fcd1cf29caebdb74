"""Ingest: find files, read each with the loader for its format, and describe it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from kb.errors import EmptyDocument, IngestError, MissingPath, UnsupportedFormat
from kb.records import ParsedDocument

Loader = Callable[[Path, bytes], ParsedDocument]


def _loaders() -> dict[str, Loader]:
    from kb.ingest.docx import load_docx
    from kb.ingest.html import load_html
    from kb.ingest.pdf import load_pdf
    from kb.ingest.text import load_text

    return {
        ".pdf": load_pdf,
        ".docx": load_docx,
        ".txt": load_text,
        ".md": lambda p, d: load_text(p, d, markdown=True),
        ".markdown": lambda p, d: load_text(p, d, markdown=True),
        ".html": load_html,
        ".htm": load_html,
    }


SUPPORTED = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and folders (recursively) into the files to ingest.

    Returns (files, problems): a named path that does not exist or a named file of an
    unsupported type is a problem; inside folders, other files (sidecars, images) are skipped."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append((str(raw), "no such file or folder"))
        elif path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.suffix.lower() not in SUPPORTED:
            problems.append((str(raw), _unsupported_reason(path)))
        else:
            files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def _unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower() or "(no extension)"
    return f"unsupported file type {suffix}; kb reads {', '.join(SUPPORTED)}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise MissingPath(str(path), "no such file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file ({exc.strerror})") from exc


def parse(path: Path, data: bytes) -> ParsedDocument:
    """Read one file's bytes with the loader for its extension."""
    loader = _loaders().get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFormat(str(path), _unsupported_reason(path))
    if not data.strip():
        raise EmptyDocument(str(path), "the file is empty (0 bytes of text)")
    return loader(path, data)
