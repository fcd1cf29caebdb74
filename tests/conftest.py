"""Shared fixtures. The real model, FAISS and SQLite throughout; the model loads once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.config import Config
from kb.index.embed import Embedder
from kb.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SAMPLE = CORPUS / "harrow-scb-annual-report-2016-17.txt"
DATA = Path(__file__).resolve().parent / "data"
PDFS = DATA / "pdf"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(device="cpu")


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """An index of the sample corpus, built once per test session."""
    path = tmp_path_factory.mktemp("corpus") / "index"
    with KnowledgeBase.open(path, Config(index_path=path), create=True, embedder=embedder) as kb:
        report = kb.ingest([CORPUS])
    assert report.ok and report.added
    return path


@pytest.fixture()
def corpus_kb(corpus_index: Path, embedder: Embedder) -> KnowledgeBase:
    kb = KnowledgeBase.open(corpus_index, Config(index_path=corpus_index), embedder=embedder)
    yield kb
    kb.close()


@pytest.fixture()
def empty_kb(tmp_path: Path, embedder: Embedder) -> KnowledgeBase:
    path = tmp_path / "index"
    kb = KnowledgeBase.open(path, Config(index_path=path), create=True, embedder=embedder)
    yield kb
    kb.close()


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    """A scratch folder for documents a test writes."""
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def copy(src: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or src.name)
    shutil.copyfile(src, target)
    return target
