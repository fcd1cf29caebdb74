"""Exceptions raised by kb. Every one is a KBError, so callers can catch one type."""

__all__ = [
    "CorruptDocument",
    "DocumentNotFound",
    "EmptyDocument",
    "EncryptedDocument",
    "IncompatibleIndex",
    "IndexDamaged",
    "IndexError_",
    "IndexLocationError",
    "IndexLocked",
    "IndexNotFound",
    "IndexReadOnly",
    "IngestError",
    "InvalidQuery",
    "KBError",
    "MissingPath",
    "ScannedDocument",
    "SourcesMissing",
    "UnknownEncoding",
    "UnsupportedFormat",
]


class KBError(Exception):
    """Base class of every error kb reports to a user."""


class IngestError(KBError):
    """A document could not be read. The message says why, in words a user can act on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFormat(IngestError):
    """The file's extension is not one kb reads."""


class EncryptedDocument(IngestError):
    """The PDF is password-protected."""


class CorruptDocument(IngestError):
    """The file is damaged, truncated or not what its extension says."""


class EmptyDocument(IngestError):
    """The file holds no text (zero bytes, or only whitespace)."""


class ScannedDocument(IngestError):
    """The PDF has pages but no text layer: it looks scanned and needs OCR."""


class UnknownEncoding(IngestError):
    """A text file whose character encoding could not be determined."""


class MissingPath(IngestError):
    """The path does not exist."""


class IndexError_(KBError):
    """The index is missing, damaged or incompatible."""


class IndexNotFound(IndexError_):
    """No index exists at the given path."""


class IncompatibleIndex(IndexError_):
    """The index was built with another model or format version."""


class IndexLocked(IndexError_):
    """Another process is writing to the index."""


class IndexDamaged(IndexError_):
    """A file of the index is missing, truncated or not what it should be."""


class IndexReadOnly(IndexError_):
    """The index can be searched but not written (a read-only folder or file system)."""


class IndexLocationError(IndexError_):
    """The index path is not a folder kb can use (a file, or a folder it cannot create)."""


class SourcesMissing(IndexError_):
    """`kb rebuild` cannot re-read some documents and cannot keep their old passages."""


class DocumentNotFound(KBError):
    """No indexed document matches the given id or path."""


class InvalidQuery(KBError):
    """The query or its filters cannot be run."""
