"""Bad input gets a clear, specific message and loses nothing."""

from pathlib import Path

from click.testing import CliRunner

from kb.cli import EXIT_PARTIAL, cli
from kb.knowledge_base import KnowledgeBase
from tests.conftest import PDFS, copy


def _failures(kb: KnowledgeBase, paths: list) -> dict[str, str]:
    report = kb.ingest(paths)
    return {Path(f.path).name: f.reason for f in report.failed}


def test_each_bad_file_is_reported_with_its_reason(empty_kb: KnowledgeBase, docs: Path) -> None:
    good = docs / "good.txt"
    good.write_text("Practitioners should always check with other agencies before closing a case.")
    copy(PDFS / "libreoffice-writer-password.pdf", docs)
    copy(PDFS / "imagemagick-images.pdf", docs)
    (docs / "empty.pdf").write_bytes(b"")
    (docs / "blank.txt").write_bytes(b"")
    (docs / "truncated.pdf").write_bytes((PDFS / "pdflatex-4-pages.pdf").read_bytes()[:3000])
    (docs / "fake.docx").write_bytes(b"this is not a word document")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (docs / "slides.pptx").write_bytes(b"PK")
    failures = _failures(empty_kb, [docs, docs / "slides.pptx", docs / "missing.pdf"])
    assert "password-protected" in failures["libreoffice-writer-password.pdf"]
    assert "scanned" in failures["imagemagick-images.pdf"]
    assert "OCR" in failures["imagemagick-images.pdf"]
    assert "empty" in failures["empty.pdf"] and "empty" in failures["blank.txt"]
    assert "damaged or truncated" in failures["truncated.pdf"]
    assert "not a readable Word document" in failures["fake.docx"]
    assert "unknown encoding" in failures["binary.txt"]
    assert "unsupported file type .pptx" in failures["slides.pptx"]
    assert "no such file" in failures["missing.pdf"]
    # The good file is indexed all the same and is searchable.
    assert [d.doc_id for d in empty_kb.documents()] == ["good"]
    assert empty_kb.search("check with other agencies")[0].document.doc_id == "good"


def test_cli_lists_failures_and_exits_non_zero(tmp_path: Path, docs: Path) -> None:
    (docs / "good.md").write_text("# Note\n\nFathers should be seen at every visit.\n")
    copy(PDFS / "libreoffice-writer-password.pdf", docs)
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "ix"), "ingest", "-q", str(docs)])
    assert result.exit_code == EXIT_PARTIAL
    assert "added 1" in result.output and "failed 1" in result.output
    assert "libreoffice-writer-password.pdf: the PDF is password-protected" in result.output
    assert "Traceback" not in result.output


def test_a_path_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "ix"), "ingest", "-q", "/no/such"])
    assert result.exit_code == EXIT_PARTIAL
    assert "/no/such: no such file or folder" in result.output
