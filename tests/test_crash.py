"""A kill at any step of a write leaves the last committed index whole and usable.

Each named fault point (kb/index/faults.py) is a step where a kill leaves different files behind;
`KB_FAULT=NAME` makes a real `kb ingest` or `kb rebuild` SIGKILL itself exactly there, so
every step is hit on any machine, however fast (no timed kills)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.config import Config
from kb.index.faults import POINTS, REBUILD_POINTS
from kb.index.integrity import check_index
from kb.knowledge_base import KnowledgeBase
from tests.conftest import SAMPLE


def _kb(index: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_COMMIT_EVERY": "40"}
    env.pop("KB_FAULT", None)
    if fault:
        env["KB_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "kb.cli", "--index", str(index), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def _kb_here(index: Path, *args: str) -> int:
    """The same command run in this process (the model is loaded already): for re-runs."""
    result = CliRunner().invoke(
        cli, ["--index", str(index), *args], env={"KB_COMMIT_EVERY": "40", "KB_FAULT": None}
    )
    assert "Traceback" not in result.output, result.output
    return result.exit_code


def _state(index: Path, embedder) -> tuple:
    """What a user sees: kb check's verdict, documents with their passages, a search."""
    findings = check_index(index, Config(index_path=index))
    assert all(f.ok for f in findings), findings
    with KnowledgeBase.open(index, Config(index_path=index), embedder=embedder) as kb:
        assert len(kb.vectors) == kb.info().passages
        docs = {
            d.doc_id: tuple(p.text for p in kb.store.passages_of(d.doc_id)) for d in kb.documents()
        }
        top = [h.passage.text for h in kb.search("involve fathers in assessments", k=3)]
    return docs, top


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[Path, Path, tuple]:
    """An index of one document, a batch of three more (several commits of 40 passages),
    and what an uninterrupted ingest of that batch gives."""
    root = tmp_path_factory.mktemp("crash")
    first, more = root / "first", root / "more"
    first.mkdir()
    more.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    (first / "harrow.txt").write_text(text, encoding="utf-8")
    part = text[: len(text) // 4]
    for n in range(3):
        (more / f"copy-{n}.txt").write_text(part.replace("Harrow", f"Borough{n}"), "utf-8")
    base = root / "base"
    with KnowledgeBase.open(base, Config(index_path=base), create=True, embedder=embedder) as kb:
        kb.ingest([first])
    whole = root / "whole"
    subprocess.run(["cp", "-a", str(base), str(whole)], check=True)
    assert _kb_here(whole, "ingest", "-q", str(more)) == 0
    return base, more, _state(whole, embedder)


@pytest.mark.parametrize("fault", [*POINTS, "after-vectors-saved:2"])
def test_a_kill_at_each_step_of_an_ingest_leaves_the_index_whole(
    tmp_path: Path, embedder, batches: tuple, fault: str
) -> None:
    base, more, expected = batches
    index = tmp_path / "index"
    subprocess.run(["cp", "-a", str(base), str(index)], check=True)
    before = _state(index, embedder)
    killed = _kb(index, "ingest", "-q", str(more), fault=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    docs, top = _state(index, embedder)
    # The first document is untouched, and whatever else is there came whole from a commit.
    assert docs["harrow"] == before[0]["harrow"] and top == before[1]
    assert all(docs[d] == expected[0][d] for d in docs)
    if fault.endswith(":2"):  # killed in a later commit: the earlier ones stay
        assert len(docs) > 1
    # A re-run finishes the job: the same index as an uninterrupted ingest.
    assert _kb_here(index, "ingest", "-q", str(more)) == 0
    assert _state(index, embedder) == expected
    assert not list(index.glob("*.tmp"))
    assert len(list(index.glob("vectors-*.faiss"))) == 1


@pytest.mark.parametrize("fault", REBUILD_POINTS)
def test_a_kill_during_a_rebuild_leaves_an_index_in_place(
    tmp_path: Path, embedder, batches: tuple, fault: str
) -> None:
    base, _, _ = batches
    index = tmp_path / "index"
    subprocess.run(["cp", "-a", str(base), str(index)], check=True)
    before = _state(index, embedder)
    killed = _kb(index, "rebuild", "-q", fault=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Mid-swap the folder is briefly gone: kb check says so, the next command finishes it.
    if fault == "rebuild-mid-swap":
        assert "interrupted" in CliRunner().invoke(cli, ["--index", str(index), "check"]).output
    assert _kb_here(index, "info") == 0
    assert _state(index, embedder) == before
    assert _kb_here(index, "rebuild", "-q") == 0
    assert _state(index, embedder) == before
