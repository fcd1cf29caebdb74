"""Shared fixtures. The real model, FAISS and SQLite throughout; the model loads once, and the
sample index is built once per session.

Tiers (`make test-fast` runs the first): tests of logic alone; `model` (they load MiniLM,
directly or through a fixture, or run `kb` processes that do); `slow` (processes killed at
each fault point); `browser` (the real app in headless Chromium). The markers are set here
from the fixtures a test uses and the file it is in, so a new test lands in the right tier."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.config import Config
from kb.index.embed import Embedder
from kb.knowledge_base import KnowledgeBase
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SAMPLE = CORPUS / "harrow-scb-annual-report-2016-17.txt"
DATA = Path(__file__).resolve().parent / "data"
PDFS = DATA / "pdf"


# Fixtures that load the real model; a test using any of them is marked `model`.
MODEL_FIXTURES = {"embedder", "corpus_index", "corpus_kb", "empty_kb", "app_index"}
# Files whose tests run `kb` processes or the app (each loads the model itself).
MODEL_FILES = {"test_cli.py", "test_reliability.py", "test_app.py", "test_quality.py"}
SLOW_FILES = {"test_crash.py"}
BROWSER_FILES = {"test_browser.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = item.path.name
        if name in BROWSER_FILES:
            item.add_marker(pytest.mark.browser)
        if name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
        uses = set(getattr(item, "fixturenames", ()))
        if name in MODEL_FILES | SLOW_FILES | BROWSER_FILES or uses & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)


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
def fake_kb(tmp_path: Path) -> KnowledgeBase:
    """An empty index on the fake embedder: for tests of the write path's logic, not meaning."""
    path = tmp_path / "index"
    kb = KnowledgeBase.open(path, Config(index_path=path), create=True, embedder=FakeEmbedder())
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
