"""A kill at any moment of an ingest leaves the previous index whole and usable."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kb.config import Config
from kb.knowledge_base import KnowledgeBase
from tests.conftest import SAMPLE


def _kb_ingest(index: Path, *paths: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kb.cli", "--index", str(index), "ingest", *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )


def _snapshot(index: Path, embedder) -> tuple:
    with KnowledgeBase.open(index, Config(index_path=index), embedder=embedder) as kb:
        info = kb.info()
        top = [h.passage.text for h in kb.search("involve fathers in assessments", k=3)]
        return [d.doc_id for d in kb.documents()], info.passages, len(kb.vectors), top


def test_killing_an_ingest_midway_leaves_the_previous_index_whole(tmp_path: Path, embedder) -> None:
    index = tmp_path / "index"
    first = tmp_path / "first"
    first.mkdir()
    (first / "harrow.txt").write_bytes(SAMPLE.read_bytes())
    assert _kb_ingest(index, first).wait(timeout=300) == 0
    before = _snapshot(index, embedder)
    assert before[1] == before[2] > 100

    # A larger second batch, committed in small steps so kills land in every phase:
    # reading, embedding, between commits and during them.
    more = tmp_path / "more"
    more.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(6):
        (more / f"copy-{n}.txt").write_text(text.replace("Harrow", f"Borough{n}"), encoding="utf-8")
    for delay in (2.0, 6.0, 9.0, 12.0):
        proc = _kb_ingest(index, more, env={"KB_COMMIT_EVERY": "300"})
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        docs, passages, vectors, top = _snapshot(index, embedder)
        # Whatever committed is whole: every passage has its vector, search works,
        # and the first document is untouched.
        assert passages == vectors
        assert "harrow" in docs and top == before[3]
    # A later ingest finishes the job from wherever the kills left it.
    assert _kb_ingest(index, more).wait(timeout=600) in (0,)
    docs, passages, vectors, _ = _snapshot(index, embedder)
    assert len(docs) == 7 and passages == vectors
    assert not list(index.glob("*.tmp"))
    assert len(list(index.glob("vectors-*.faiss"))) == 1
