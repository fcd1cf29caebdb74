"""The index survives other processes, damaged files and lost sources (issue 13, items 1-4, 6).

Each test reproduces a failure a user met and checks what they now see instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kb.cli import EXIT_ERROR, EXIT_PARTIAL, cli
from kb.config import Config
from kb.errors import IndexDamaged
from kb.index.integrity import check_index
from kb.knowledge_base import KnowledgeBase

TEXTS = {
    "fathers.txt": "Practitioners should involve fathers and male carers in every assessment.",
    "schools.txt": "Schools should chase safeguarding records from a child's previous school.",
    "missing.txt": "Children who go missing should have a return interview within 72 hours.",
}


def _write_docs(folder: Path) -> None:
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")


def _open(index: Path, embedder, **kwargs) -> KnowledgeBase:
    return KnowledgeBase.open(index, Config(index_path=index), embedder=embedder, **kwargs)


def _assert_whole(index: Path, embedder) -> list[str]:
    """kb check passes, and every stored vector is its own passage's embedding."""
    findings = check_index(index, Config(index_path=index))
    assert all(f.ok for f in findings), findings
    with _open(index, embedder) as kb:
        ids = kb.store.all_ids()
        passages = kb.store.passages(ids)
        stored = kb.vectors.vectors(ids)
        fresh = embedder.encode([passages[i].embedding_text() for i in ids])
        cosines = np.sum(stored * fresh, axis=1)
        assert cosines.min() > 0.99, cosines
        return sorted(d.doc_id for d in kb.documents())


@pytest.fixture()
def indexed(tmp_path: Path, embedder, docs: Path) -> Path:
    """An index of the three TEXTS, written to `docs` (they stay there to be re-read)."""
    index = tmp_path / "index"
    _write_docs(docs)
    with _open(index, embedder, create=True) as kb:
        kb.ingest([docs])
    return index


def _kb(index: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--index", str(index), *args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# -- 1. a rebuild under a running app ---------------------------------------------------------
def test_a_write_after_a_rebuild_elsewhere_goes_to_the_rebuilt_index(
    tmp_path: Path, embedder, docs: Path
) -> None:
    index = tmp_path / "index"
    _write_docs(docs)
    app = _open(index, embedder, create=True)  # the app: holds the index open throughout
    app.ingest([docs / "fathers.txt", docs / "schools.txt"])
    assert app.search("fathers")[0].document.doc_id == "fathers"
    rebuilt = subprocess.run(  # `kb rebuild` from a terminal, a process of its own
        [sys.executable, "-m", "kb.cli", "--index", str(index), "rebuild", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    # The app's next read follows the swap; its next write lands in the rebuilt index.
    assert app.search("previous school")[0].document.doc_id == "schools"
    report = app.ingest([docs / "missing.txt"])
    assert report.added == ("missing",)
    app.close()
    assert _assert_whole(index, embedder) == ["fathers", "missing", "schools"]


def test_a_database_from_another_index_is_refused(tmp_path: Path, embedder, docs: Path) -> None:
    _write_docs(docs)
    first, second = tmp_path / "first", tmp_path / "second"
    for index in (first, second):
        with _open(index, embedder, create=True) as kb:
            kb.ingest([docs / "fathers.txt"])
    shutil.copyfile(second / "kb.sqlite", first / "kb.sqlite")
    with pytest.raises(IndexDamaged, match="belong to different indexes"):
        _open(first, embedder)
    code, out = _kb(first, "check")
    assert code == EXIT_ERROR and "FAIL" in out and "identity" in out


# -- 2. rebuild never drops a document silently ----------------------------------------------
def test_rebuild_keeps_a_document_whose_source_is_gone_and_says_so(
    indexed: Path, embedder, docs: Path
) -> None:
    index = indexed
    (docs / "missing.txt").unlink()
    code, out = _kb(index, "rebuild", "-q")
    assert code == EXIT_PARTIAL
    assert f"kept from the old index: {docs / 'missing.txt'}: no file at" in out
    assert _assert_whole(index, embedder) == ["fathers", "missing", "schools"]
    with _open(index, embedder) as kb:
        assert kb.search("return interview")[0].document.doc_id == "missing"
    code, out = _kb(index, "rebuild", "-q", "--drop-missing")
    assert code == EXIT_PARTIAL and "dropped (--drop-missing)" in out
    assert _assert_whole(index, embedder) == ["fathers", "schools"]


def test_rebuild_uses_the_path_a_renamed_file_was_found_at(
    indexed: Path, embedder, docs: Path
) -> None:
    index = indexed
    with _open(index, embedder) as kb:
        (docs / "fathers.txt").rename(docs / "fathers-renamed.txt")
        shutil.copyfile(docs / "schools.txt", docs / "schools-copy.txt")
        report = kb.ingest([docs])
        assert sorted(set(report.unchanged)) == ["fathers", "missing", "schools"]
        assert not report.added
        assert kb.store.paths_of("fathers")[1] == str(docs / "fathers-renamed.txt")
        assert str(docs / "schools-copy.txt") in kb.store.paths_of("schools")
        # A path of a copy finds its document too.
        assert kb.document(str(docs / "schools-copy.txt")).doc_id == "schools"
        report = kb.rebuild()
    assert not report.kept and not report.dropped
    assert sorted(report.added) == ["fathers", "missing", "schools"]
    assert _assert_whole(index, embedder) == ["fathers", "missing", "schools"]


# -- 3. damaged files --------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated"])
def test_a_damaged_database_is_one_line_and_rebuild_restores_it(
    indexed: Path, embedder, docs: Path, damage: str
) -> None:
    index = indexed
    db = index / "kb.sqlite"
    vectors_before = sorted(index.glob("vectors-*.faiss"))
    data = db.read_bytes()
    db.write_bytes(
        {"empty": b"", "garbage": os.urandom(len(data)), "truncated": data[:8192]}[damage]
    )
    for command in (["info"], ["search", "fathers"], ["ingest", "-q", str(docs)]):
        code, out = _kb(index, *command)
        assert code == EXIT_ERROR, (command, out)
        assert "kb.sqlite" in out and "kb rebuild" in out, (command, out)
        assert len(out.strip().splitlines()) == 1, out
    assert sorted(index.glob("vectors-*.faiss")) == vectors_before  # nothing was deleted
    code, out = _kb(index, "check")
    assert code == EXIT_ERROR and "FAIL  database" in out
    code, out = _kb(index, "rebuild", "-q")
    assert code == 0, out
    assert _assert_whole(index, embedder) == ["fathers", "missing", "schools"]


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_a_damaged_vector_file_is_reported_by_info_search_and_check(
    indexed: Path, embedder, damage: str
) -> None:
    index = indexed
    (vector_file,) = index.glob("vectors-*.faiss")
    if damage == "missing":
        vector_file.unlink()
    else:
        vector_file.write_bytes(vector_file.read_bytes()[:600])
    for command in (["info"], ["search", "fathers"]):
        code, out = _kb(index, *command)
        assert code == EXIT_ERROR and vector_file.name in out and "kb rebuild" in out, out
    code, out = _kb(index, "check")
    assert code == EXIT_ERROR and f"FAIL  vectors: {vector_file}" in out
    assert _kb(index, "rebuild", "-q")[0] == 0
    assert _kb(index, "check")[0] == 0
    assert _assert_whole(index, embedder) == ["fathers", "missing", "schools"]


def test_check_passes_on_a_whole_index_and_names_mismatched_vectors(
    tmp_path: Path, embedder, docs: Path
) -> None:
    index = tmp_path / "index"
    _write_docs(docs)
    with _open(index, embedder, create=True) as kb:
        kb.ingest([docs / "fathers.txt"])
        (old_file,) = index.glob("vectors-*.faiss")
        saved = old_file.read_bytes()
        kb.ingest([docs / "schools.txt"])
    code, out = _kb(index, "check")
    assert code == 0 and "the index is whole" in out
    (current,) = index.glob("vectors-*.faiss")
    current.write_bytes(saved)  # an older generation's vectors under the current name
    code, out = _kb(index, "check")
    assert code == EXIT_ERROR and "1 vectors for 2 passages" in out


# -- 4. where the index lives ----------------------------------------------------------------
def test_index_path_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("x")
    for command in (["info"], ["ingest", "-q", str(target)], ["search", "x"], ["check"]):
        code, out = _kb(target, *command)
        assert code == EXIT_ERROR and "is a file, not an index folder" in out, out


def _as_another_user(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `kb` as a user who may read the index but not write it (as root: nobody)."""
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {**os.environ, "HOME": str(cwd), "PYTHONPATH": str(Path(__file__).parents[1])}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "kb.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


@pytest.fixture()
def shared_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kb-shared-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_index_is_searchable_and_says_why_it_cannot_be_written(
    shared_folder: Path, embedder
) -> None:
    index = shared_folder / "index"
    (shared_folder / "fathers.txt").write_text(TEXTS["fathers.txt"])
    with _open(index, embedder, create=True) as kb:
        kb.ingest([shared_folder / "fathers.txt"])
    for path in [index, *index.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    found = _as_another_user(
        ["--index", str(index), "search", "male carers", "--json"], shared_folder
    )
    assert found.returncode == 0, found.stderr
    assert "involve fathers" in found.stdout
    wrote = _as_another_user(
        ["--index", str(index), "ingest", "-q", str(shared_folder / "fathers.txt")], shared_folder
    )
    assert wrote.returncode == EXIT_ERROR
    assert "read-only" in wrote.stderr and "Traceback" not in wrote.stderr
    (shared_folder / "ro").mkdir(mode=0o555, exist_ok=True)
    new = _as_another_user(
        [
            "--index",
            str(shared_folder / "ro" / "new"),
            "ingest",
            "-q",
            str(shared_folder / "fathers.txt"),
        ],
        shared_folder,
    )
    assert new.returncode == EXIT_ERROR and "cannot create an index in" in new.stderr
    assert "Traceback" not in new.stderr


# -- 6. symbolic links, unreadable folders, markup --------------------------------------------
def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path, empty_kb, docs: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Private notes about a family that must stay out.")
    (docs / "ok.txt").write_text(TEXTS["fathers.txt"])
    (docs / "link.txt").symlink_to(outside / "secret.txt")
    (docs / "linked-folder").symlink_to(outside)
    report = empty_kb.ingest([docs])
    failures = {Path(f.path).name: f.reason for f in report.failed}
    assert "outside" in failures["link.txt"] and "not followed" in failures["link.txt"]
    assert "not followed" in failures["linked-folder"]
    assert [d.doc_id for d in empty_kb.documents()] == ["ok"]


def test_an_unreadable_subfolder_is_reported(shared_folder: Path) -> None:
    docs = shared_folder / "docs"
    (docs / "closed").mkdir(parents=True)
    (docs / "closed" / "a.txt").write_text("text")
    (docs / "open.txt").write_text("text")
    docs.chmod(0o755)
    (docs / "closed").chmod(0o000)
    script = (
        f"from kb.ingest import discover; files, problems = discover([{str(docs)!r}]); "
        "print([f.name for f in files]); print(problems)"
    )
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    done = subprocess.run(
        [*(prefix if os.geteuid() == 0 else []), sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[1],
        timeout=60,
    )
    assert "['open.txt']" in done.stdout, done.stderr
    assert "closed" in done.stdout and "cannot read this folder" in done.stdout


def test_markup_never_reaches_passage_text(tmp_path: Path, docs: Path) -> None:
    (docs / "page.html").write_text(
        "<html><body><h1>Learning</h1><p>Agencies should share information. "
        "&lt;script&gt;alert('x')&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>"
        "</body></html>"
    )
    (docs / "notes.md").write_text(
        "# Notes\n\nHealth visitors should ask about the father <img src=x onerror=alert(2)>"
        " and <script>alert(3)</script>record it &amp; act.\n"
    )
    index = tmp_path / "ix"
    assert _kb(index, "ingest", "-q", str(docs))[0] == 0
    code, out = _kb(index, "search", "share information father", "--json")
    assert code == 0
    assert "share information" in out and "record it & act" in out
    for bad in ("<script", "<img", "onerror=alert(2)", "alert(3)", "&lt;"):
        assert bad not in out, bad


def test_a_deleted_database_is_not_replaced_by_a_new_empty_index(
    indexed: Path, embedder, docs: Path
) -> None:
    index = indexed
    (index / "kb.sqlite").unlink()
    code, out = _kb(index, "ingest", "-q", str(docs / "fathers.txt"))
    assert code == EXIT_ERROR and "kb.sqlite is missing" in out and "kb rebuild" in out
    assert _kb(index, "rebuild", "-q")[0] == 0
    assert _assert_whole(index, embedder) == ["fathers", "missing", "schools"]
