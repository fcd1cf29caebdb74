"""Guards run on a file's bytes before any loader sees them: size caps, zip bombs and unsafe
XML inside .docx files.

Every guard raises an IngestError subclass with a reason a user can act on, so one hostile
or damaged file is reported on one line and the rest of the batch is indexed."""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from kb.errors import CorruptDocument, IngestError

__all__ = [
    "DEFAULT_MAX_DOC_MB",
    "MAX_COMPRESSION_RATIO",
    "MAX_ZIP_MEMBERS",
    "MB",
    "READ_CHUNK",
    "XML_SUFFIXES",
    "Limits",
    "TooLarge",
    "UnsafeDocument",
    "check_bytes",
    "check_docx",
    "over_limit",
    "read_capped",
]

MB = 1_048_576
DEFAULT_MAX_DOC_MB = 100
READ_CHUNK = MB
MAX_ZIP_MEMBERS = 10_000
# A .docx's XML is text that compresses well, but not this well: a part that expands more
# than this is a bomb whatever its total.
MAX_COMPRESSION_RATIO = 200
XML_SUFFIXES = (".xml", ".rels")


class TooLarge(IngestError):
    """The file, or what it expands to, is over the size limit (KB_MAX_DOC_MB)."""


class UnsafeDocument(IngestError):
    """The file holds something kb refuses to read (an XML entity bomb, a DTD)."""


@dataclass(frozen=True)
class Limits:
    """Caps on one document; `max_bytes` comes from KB_MAX_DOC_MB."""

    max_bytes: int = DEFAULT_MAX_DOC_MB * MB

    @property
    def max_mb(self) -> int:
        return max(1, self.max_bytes // MB)


def over_limit(path: Path, what: str, size: int, limits: Limits) -> TooLarge:
    return TooLarge(
        str(path),
        f"{what} {size / MB:.0f} MB, over the {limits.max_mb} MB limit on one document "
        "(raise KB_MAX_DOC_MB to index it)",
    )


def read_capped(path: Path, limits: Limits) -> tuple[bytes, str]:
    """The file's bytes and their sha256, read in 1 MB chunks and never more than the cap:
    a file over it is refused as soon as that is known (from its size, or while reading a
    file that grows or does not say its size)."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise over_limit(path, "the file is", size, limits)
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    with open(path, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            if buffer.tell() + len(chunk) > limits.max_bytes:
                raise over_limit(path, "the file is over", buffer.tell() + len(chunk), limits)
            digest.update(chunk)
            buffer.write(chunk)
    return buffer.getvalue(), digest.hexdigest()


def check_bytes(path: Path, data: bytes, limits: Limits) -> None:
    """Refuse a document before it is parsed when it is too large or, for .docx, a zip
    bomb or XML that is unsafe or broken."""
    if len(data) > limits.max_bytes:
        raise over_limit(path, "the file is", len(data), limits)
    if path.suffix.lower() == ".docx":
        check_docx(path, data, limits)


def check_docx(path: Path, data: bytes, limits: Limits) -> None:
    """A .docx is a zip of XML parts: cap what it expands to, then parse each XML part with
    defusedxml (no DTDs, no entities), so broken XML and entity bombs are refused here."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CorruptDocument(
            str(path), "not a readable Word document (damaged or truncated)"
        ) from exc
    with archive:
        members = archive.infolist()
        _check_expansion(path, members, limits)
        for member in members:
            if member.filename.lower().endswith(XML_SUFFIXES):
                _check_xml(path, archive, member)


def _check_expansion(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    # zipfile never returns more than a member's declared size (a lying header fails its
    # CRC check), so the declared sizes bound what any reader of this file can be given.
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnsafeDocument(str(path), f"a Word document of {len(members)} parts: refused")
    total = sum(m.file_size for m in members)
    if total > limits.max_bytes:
        raise over_limit(path, "the Word document expands to", total, limits)
    for m in members:
        if m.file_size > MB and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1):
            raise UnsafeDocument(
                str(path),
                f"{m.filename} expands {m.file_size // max(m.compress_size, 1)} times "
                "(a zip bomb): refused",
            )


def _check_xml(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        fromstring(archive.read(member), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafeDocument(
            str(path),
            f"{member.filename} declares a DTD or XML entities (possibly an entity bomb): "
            f"refused ({type(exc).__name__})",
        ) from exc
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise CorruptDocument(
            str(path), f"not a readable Word document: {member.filename} is damaged ({exc})"
        ) from exc
