"""The dense index: normalised passage embeddings in FAISS, keyed by passage id.

Files are `vectors-<generation>.faiss`. A write saves the next generation's file first (to a
temporary name, fsync, rename), then the store commits that generation number; only then is
the previous file deleted. A crash at any point leaves the committed generation's file whole."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["EXACT_FILTER_LIMIT", "VectorFileError", "VectorIndex"]

EXACT_FILTER_LIMIT = 5_000  # filters this narrow are scored exactly
_FILE = re.compile(r"^vectors-(\d+)\.faiss$")


class VectorFileError(Exception):
    """A generation's vector file is missing or cannot be read."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path} {problem}")
        self.path = path
        self.problem = problem


def _faiss():
    import faiss

    global _THREADS_SET
    if not _THREADS_SET:
        # One query is too small to split: on 2 cores OpenMP made a 100k search 14 ms
        # instead of 7 (docs/evaluation.md, Performance). Bulk work (IVF training) asks for more.
        faiss.omp_set_num_threads(1)
        _THREADS_SET = True
    return faiss


_THREADS_SET = False


class VectorIndex:
    """Inner-product (cosine on normalised vectors) search over passage embeddings.

    Exact (flat) search up to a size chosen by measurement; above it, an IVF index whose
    `nprobe` keeps recall@10 against exact search at 0.97 or more (see docs/evaluation.md,
    Performance)."""

    def __init__(self, dim: int, index: Any = None, nprobe: int = 32) -> None:
        faiss = _faiss()
        self.dim = dim
        self.nprobe = nprobe
        self.index: Any = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def approximate(self) -> bool:
        return hasattr(self.index, "nprobe")

    def to_ivf(self, nlist: int | None = None, seed: int = 0) -> None:
        """Switch to an IVF index over the same vectors and ids (k-means on a sample)."""
        faiss = _faiss()
        count = len(self)
        ids = faiss.vector_to_array(self.index.id_map)
        vectors = self.index.index.reconstruct_n(0, count)
        nlist = nlist or max(64, int(np.sqrt(count)))
        quantizer = faiss.IndexFlatIP(self.dim)
        ivf = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(seed).choice(count, min(count, nlist * 50), replace=False)
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            ivf.train(vectors[sample])
        finally:
            faiss.omp_set_num_threads(1)
        # A hash-table direct map lets us reconstruct and remove by passage id.
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        ivf.add_with_ids(vectors, ids)
        ivf.nprobe = self.nprobe
        self.index = ivf

    def __len__(self) -> int:
        return int(self.index.ntotal)

    @staticmethod
    def file_for(folder: Path, generation: int) -> Path:
        return folder / f"vectors-{generation}.faiss"

    @classmethod
    def load(cls, folder: Path, generation: int, dim: int, nprobe: int = 32) -> VectorIndex:
        """The vectors of a generation. Raises VectorFileError when its file is missing or
        cannot be read (truncated, not a FAISS file)."""
        path = cls.file_for(folder, generation)
        if generation == 0 and not path.exists():
            return cls(dim, nprobe=nprobe)
        if not path.exists():
            raise VectorFileError(path, "is missing")
        try:
            index = _faiss().read_index(str(path))
        except RuntimeError as exc:
            raise VectorFileError(path, "is damaged (truncated or not a vector file)") from exc
        if getattr(index, "d", dim) != dim:
            raise VectorFileError(path, f"holds {index.d}-dimensional vectors, not {dim}")
        if hasattr(index, "nprobe"):
            index.nprobe = nprobe
        return cls(dim, index, nprobe)

    def clone(self) -> VectorIndex:
        """A copy to change while searches go on over this one."""
        return VectorIndex(self.dim, _faiss().clone_index(self.index), self.nprobe)

    def ids(self) -> np.ndarray:
        """The passage ids held, in storage order."""
        faiss = _faiss()
        if self.approximate:
            invlists = self.index.invlists
            parts = [
                faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
                for i in range(invlists.nlist)
                if invlists.list_size(i)
            ]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return faiss.vector_to_array(self.index.id_map)

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
            self.index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

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
            if len(allowed) <= EXACT_FILTER_LIMIT:
                return self._exact(query, limit, allowed)
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            if self.approximate:
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        scores, ids = self.index.search(q, min(limit, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _exact(
        self, query: np.ndarray, limit: int, allowed: Sequence[int]
    ) -> list[tuple[int, float]]:
        # A narrow filter: score its few vectors directly (exact, even on an IVF index).
        ids = np.asarray(allowed, dtype=np.int64)
        scores = self.vectors(ids) @ query.astype(np.float32)
        top = np.argsort(-scores)[:limit]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def vectors(self, ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """The stored embeddings of these passage ids."""
        if not len(ids):
            return np.zeros((0, self.dim), dtype=np.float32)
        batch = np.asarray(ids, dtype=np.int64)
        return self.index.reconstruct_batch(batch).astype(np.float32)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
