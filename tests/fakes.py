"""A deterministic stand-in for the embedding model, for tests of logic only.

Each word is hashed to one of the model's 384 dimensions, so texts sharing words are close and
others are not. It never stands in where meaning is tested (search quality, topics, answers):
those tests use the real MiniLM model and are marked `model`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from kb.index.embed import DIMENSION

WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Same interface as kb.index.embed.Embedder; no model, no torch."""

    def __init__(self, dimension: int = DIMENSION) -> None:
        self.dimension = dimension
        self.batch_size = 32

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in WORD.findall(text.lower()) or [""]:
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def encode_query(self, query: str) -> np.ndarray:
        return self.encode([query])[0]
