"""Incremental ingest, removal, rebuild and the manifest check."""

import json
from pathlib import Path

import pytest

from kb.config import Config
from kb.errors import DocumentNotFound, IncompatibleIndex
from kb.knowledge_base import KnowledgeBase


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unchanged_file_is_skipped_and_changed_file_replaced(
    empty_kb: KnowledgeBase, docs: Path
) -> None:
    path = _write(docs, "review.txt", "Lessons\n\nAgencies should share information early.\n")
    first = empty_kb.ingest([path])
    assert first.added == ("review",)
    generation = empty_kb.info().generation
    again = empty_kb.ingest([path])
    assert again.unchanged == ("review",) and again.passages == 0
    assert empty_kb.info().generation == generation  # nothing was written
    _write(docs, "review.txt", "Lessons\n\nHealth visitors should ask about the father.\n")
    changed = empty_kb.ingest([path])
    assert changed.replaced == ("review",)
    texts = [h.passage.text for h in empty_kb.search("father health visitor")]
    assert "Health visitors should ask about the father." in texts
    assert not any("share information early" in t for t in texts)
    assert empty_kb.info().passages == 1
    assert len(empty_kb.vectors) == 1


def test_remove_deletes_the_document_and_its_vectors(fake_kb: KnowledgeBase, docs: Path) -> None:
    a = _write(docs, "a.txt", "Schools should chase safeguarding records from previous schools.")
    _write(docs, "b.txt", "Missing children should have a return interview within 72 hours.")
    fake_kb.ingest([docs])
    fake_kb.remove("a")
    assert [d.doc_id for d in fake_kb.documents()] == ["b"]
    assert len(fake_kb.vectors) == 1
    assert all(h.document.doc_id == "b" for h in fake_kb.search("school records"))
    with pytest.raises(DocumentNotFound):
        fake_kb.remove("a")
    fake_kb.ingest([a])  # and it can come back
    fake_kb.remove(str(a))  # removal by path works too
    assert [d.doc_id for d in fake_kb.documents()] == ["b"]


def test_rebuild_restores_from_sources_keeping_overrides(
    fake_kb: KnowledgeBase, docs: Path
) -> None:
    path = _write(docs, "x.txt", "Practitioners should be curious about who lives in the home.")
    fake_kb.ingest([path], overrides={"type": "toolkit"})
    report = fake_kb.rebuild()
    assert report.added == ("x",)
    (doc,) = fake_kb.documents()
    assert doc.doc_type == "toolkit"
    assert fake_kb.search("who lives in the home")[0].passage.text.startswith("Practitioners")


def test_index_from_another_model_asks_for_rebuild(fake_kb: KnowledgeBase, docs: Path) -> None:
    fake_kb.ingest([_write(docs, "x.txt", "Agencies should check and check again.")])
    manifest = fake_kb.path / "manifest.json"
    data = json.loads(manifest.read_text())
    data["model"] = "some-other-model"
    manifest.write_text(json.dumps(data))
    with pytest.raises(IncompatibleIndex, match="kb rebuild"):
        KnowledgeBase.open(fake_kb.path, Config(index_path=fake_kb.path))
    data["model"], data["format_version"] = "all-MiniLM-L6-v2", 999
    manifest.write_text(json.dumps(data))
    with pytest.raises(IncompatibleIndex, match="format version 999.*kb rebuild"):
        KnowledgeBase.open(fake_kb.path, Config(index_path=fake_kb.path))
    kb = KnowledgeBase.open(
        fake_kb.path, Config(index_path=fake_kb.path), check=False, embedder=fake_kb.embedder
    )
    kb.rebuild()
    kb.close()
    reopened = KnowledgeBase.open(
        fake_kb.path, Config(index_path=fake_kb.path), embedder=fake_kb.embedder
    )
    assert reopened.info().passages == 1
    reopened.close()


def test_large_indexes_switch_to_ivf_and_keep_working(tmp_path: Path, embedder, docs: Path) -> None:
    from tests.conftest import SAMPLE

    path = tmp_path / "ix"
    config = Config(index_path=path, ann_threshold=100)  # the corpus has ~400 passages
    (docs / "report.txt").write_bytes(SAMPLE.read_bytes())
    with KnowledgeBase.open(path, config, create=True, embedder=embedder) as kb:
        kb.ingest([docs])
        assert kb.vectors.approximate
        top = kb.search("Greater effort should be made to involve fathers", k=3)
        assert top[0].passage.text.startswith("Greater effort should be made")
        (docs / "extra.txt").write_text("Schools should chase records from the previous school.")
        kb.ingest([docs])
        kb.remove("extra")
        assert len(kb.vectors) == kb.info().passages
    with KnowledgeBase.open(path, config, embedder=embedder) as kb:  # reloads as IVF
        assert kb.vectors.approximate and kb.search("fathers", k=1)


LOAD_MODEL = """
import os, socket
import sentence_transformers  # torch sets its own variables on import: those are not kb's
from transformers.utils import logging as hf_logging
def refuse(*args, **kwargs):
    raise OSError("the model must load from its package's folder, not the network")
socket.socket.connect = refuse
before = dict(os.environ)
verbosity = hf_logging.get_verbosity()
from kb.index.embed import Embedder
Embedder(device="cpu").encode(["fathers"])
assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items())
assert hf_logging.get_verbosity() == verbosity and hf_logging.is_progress_bar_enabled()
"""


@pytest.mark.model
def test_the_model_loads_offline_quietly_and_leaves_process_settings_alone() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", LOAD_MODEL], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no "Loading weights" bar, no warnings
