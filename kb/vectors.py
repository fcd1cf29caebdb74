"""The dense index: normalised passage embeddings in FAISS, keyed by passage id.

Files are `vectors-<generation>.faiss`. A write saves the next generation's file first (to a
temporary name, fsync, rename), then the store commits that generation number; only then is
the previous file deleted. A crash at any point leaves the committed generation's file whole."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_FILE = re.compile(r"^vectors-(\d+)\.faiss$")


def _faiss():  # noqa: ANN202 - faiss has no type stubs
    import faiss

    return faiss


class VectorIndex:
    """Inner-product (cosine on normalised vectors) search over passage embeddings."""

    def __init__(self, dim: int, index: object | None = None) -> None:
        faiss = _faiss()
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)  # type: ignore[attr-defined]

    @staticmethod
    def file_for(folder: Path, generation: int) -> Path:
        return folder / f"vectors-{generation}.faiss"

    @classmethod
    def load(cls, folder: Path, generation: int, dim: int) -> VectorIndex:
        path = cls.file_for(folder, generation)
        if generation == 0 and not path.exists():
            return cls(dim)
        index = _faiss().read_index(str(path))
        return cls(dim, index)

    def save(self, folder: Path, generation: int) -> Path:
        """Write this index as `generation`, atomically (temp file, fsync, rename)."""
        path = self.file_for(folder, generation)
        tmp = path.with_suffix(".faiss.tmp")
        _faiss().write_index(self.index, str(tmp))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(folder)
        return path

    @staticmethod
    def prune(folder: Path, keep: int) -> None:
        """Delete vector files of generations other than `keep` (and unfinished temp files)."""
        for path in folder.iterdir():
            match = _FILE.match(path.name)
            if (match and int(match.group(1)) != keep) or path.name.endswith(".faiss.tmp"):
                path.unlink(missing_ok=True)

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(  # type: ignore[attr-defined]
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))  # type: ignore[attr-defined]

    def search(
        self, query: np.ndarray, limit: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """(passage id, cosine similarity), best first; `allowed` restricts to those ids."""
        if len(self) == 0 or limit <= 0:
            return []
        faiss = _faiss()
        params = None
        if allowed is not None:
            if not len(allowed):
                return []
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        scores, ids = self.index.search(q, min(limit, len(self)), params=params)  # type: ignore[attr-defined]
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The stored embeddings of these passage ids."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for row, pid in enumerate(ids):
            out[row] = self.index.reconstruct(int(pid))  # type: ignore[attr-defined]
        return out


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
