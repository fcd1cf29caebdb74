"""What a module needs from its collaborators, as Protocols: a module takes any object that
has these methods (the KnowledgeBase facade, or a test's stand-in) without importing the
facade, which imports the module in turn."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from kb.index.vectors import VectorIndex
    from kb.passages.topics import Taxonomy, Topic
    from kb.records import Document, Hit, IngestReport, LearningPoint

__all__ = ["Encoder", "PointMatcher", "Searcher", "Uploader", "VectorReader"]


class Encoder(Protocol):
    """Texts to L2-normalised vectors (kb.index.embed.Embedder; the tests' FakeEmbedder)."""

    dimension: int

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...

    def encode_query(self, query: str) -> np.ndarray: ...


class VectorReader(Protocol):
    """An index's stored vectors and the encoder that made them (the relevance floor)."""

    @property
    def vectors(self) -> VectorIndex: ...

    @property
    def embedder(self) -> Encoder: ...


class PointMatcher(Protocol):
    """Learning points and topics for a text (case check)."""

    def taxonomy(self) -> Taxonomy: ...

    def nearest_topics(self, text: str, n: int = 5) -> list[Topic]: ...

    def match_points(self, text: str, limit: int = 10) -> list[tuple[LearningPoint, float]]: ...


class Uploader(Protocol):
    """Adding a file and correcting its metadata (the app's uploads)."""

    def ingest(self, paths: Sequence[Path]) -> IngestReport: ...

    def document(self, ref: str) -> Document: ...

    def update_document(self, ref: str, **changes: object) -> Document: ...


class Searcher(Protocol):
    """Search and the texts behind it (evaluation)."""

    @property
    def embedder(self) -> Encoder: ...

    def search(self, query: str, k: int = 10) -> list[Hit]: ...

    def source_texts(self) -> list[str]: ...
