"""Ingest: find files, read each with the loader for its format, and describe it."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from kb.errors import (
    CorruptDocument,
    EmptyDocument,
    IngestError,
    KBError,
    MissingPath,
    UnsupportedFormat,
)
from kb.ingest.limits import Limits, TooLarge, check_bytes, read_capped
from kb.ingest.markup import has_markup, plain_text
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
    unsupported type is a problem, and so are, inside folders, a subfolder that cannot be
    read and a symbolic link leading out of the folder (not followed); other files
    (sidecars, images) are skipped."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append((str(raw), "no such file or folder"))
        elif path.is_dir():
            found, trouble = _walk(path)
            files.extend(found)
            problems.extend(trouble)
        elif path.suffix.lower() not in SUPPORTED:
            problems.append((str(raw), _unsupported_reason(path)))
        else:
            files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def _walk(root: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Supported files under a folder (hidden ones aside), without following links out."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    top = root.resolve()

    def unreadable(exc: OSError) -> None:
        reason = exc.strerror or type(exc).__name__
        problems.append(
            (str(exc.filename), f"cannot read this folder ({reason}); its files were not indexed")
        )

    for folder, dirs, names in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *names]:
            link = here / name
            if link.is_symlink() and not _inside(link, top):
                problems.append(
                    (
                        str(link),
                        f"a link to {os.path.realpath(link)}, outside "
                        f"{root}: not followed (ingest that path itself to index it)",
                    )
                )
        for name in sorted(names):
            file = here / name
            if name.startswith(".") or file.suffix.lower() not in SUPPORTED:
                continue
            if file.is_file() and (not file.is_symlink() or _inside(file, top)):
                files.append(file)
    return files, problems


def _inside(link: Path, top: Path) -> bool:
    return Path(os.path.realpath(link)).is_relative_to(top)


def _unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower() or "(no extension)"
    return f"unsupported file type {suffix}; kb reads {', '.join(SUPPORTED)}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """The file's bytes, read in chunks and refused past the size limit (KB_MAX_DOC_MB)."""
    if not path.exists():
        raise MissingPath(str(path), "no such file")
    if path.is_dir():
        raise IngestError(str(path), "a folder, not a file")
    try:
        data, _ = read_capped(path, limits or Limits())
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file ({exc.strerror})") from exc
    return data


def parse(path: Path, data: bytes, limits: Limits | None = None) -> ParsedDocument:
    """Read one file's bytes with the loader for its extension.

    The bytes are checked first (size, zip bombs, unsafe XML: see limits.py); a loader that
    fails in any way gives an IngestError for this file alone, never a traceback that would
    stop a batch. Web pages' text is made plain (entities decoded, markup stripped)."""
    loader = _loaders().get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFormat(str(path), _unsupported_reason(path))
    if not data.strip():
        raise EmptyDocument(str(path), "the file is empty (0 bytes of text)")
    check_bytes(path, data, limits or Limits())
    try:
        parsed = loader(path, data)
    except KBError:
        raise
    except MemoryError as exc:
        raise TooLarge(str(path), "too large to read in the memory available") from exc
    except Exception as exc:
        raise CorruptDocument(
            str(path), f"damaged or not readable as {path.suffix.lower()} ({_brief(exc)})"
        ) from exc
    if path.suffix.lower() in (".html", ".htm"):
        parsed = _plain(parsed)
    return parsed


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _plain(parsed: ParsedDocument) -> ParsedDocument:
    """The document with every block's text and lead-in as plain text (only blocks that hold
    markup are touched; tabs and line breaks of tables and lists are kept)."""
    blocks = []
    for block in parsed.blocks:
        if has_markup(block.text) or has_markup(block.lead_in):
            block = replace(
                block, text=_tidy(plain_text(block.text)), lead_in=_tidy(plain_text(block.lead_in))
            )
        if block.text:
            blocks.append(block)
    return replace(parsed, blocks=tuple(blocks))


def _tidy(text: str) -> str:
    return re.sub(r"[ ]{2,}", " ", text).strip()
