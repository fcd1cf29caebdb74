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


# -- hostile and damaged inputs (issue 13, item 5) ----------------------------------------
DOCUMENT_XML = "word/document.xml"
BOMB_DTD = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def _docx_with(path: Path, replace: dict[str, bytes], extra: dict[str, int] | None = None) -> Path:
    """A real .docx (made by python-docx) with some parts replaced, and parts of N zero bytes
    added (written in chunks: a zip bomb is built without holding it in memory)."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Practitioners should record the views of the child.")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            out.writestr(item.filename, replace.get(item.filename, source.read(item)))
        for name in set(replace) - set(source.namelist()):
            out.writestr(name, replace[name])
        for name, size in (extra or {}).items():
            with out.open(name, "w", force_zip64=True) as handle:
                chunk = bytes(1_048_576)
                for _ in range(size // len(chunk)):
                    handle.write(chunk)
    return path


def test_hostile_files_are_one_line_each_and_the_batch_goes_on(tmp_path: Path, docs: Path) -> None:
    (docs / "good.txt").write_text("Agencies should share information about risk early.")
    _docx_with(docs / "broken.docx", {DOCUMENT_XML: b"<w:document><w:body><w:p>unclosed"})
    bomb = BOMB_DTD + "<w:document>&lol9;</w:document>"
    _docx_with(docs / "entity-bomb.docx", {DOCUMENT_XML: bomb.encode()})
    _docx_with(docs / "zip-bomb.docx", {}, extra={"word/media/padding.bin": 1 << 30})
    assert (docs / "zip-bomb.docx").stat().st_size < 5 * 1_048_576  # ~1 MB expanding to 1 GiB
    with open(docs / "huge.txt", "wb") as handle:  # 200 MB of text
        line = b"Practitioners should be curious about who lives in the home.\n" * 1000
        for _ in range(200 * 1_048_576 // len(line) + 1):
            handle.write(line)
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "ix"), "ingest", "-q", str(docs)])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(
        result.exception, SystemExit
    )
    lines = {
        Path(line.removeprefix("  failed: ").split(": ", 1)[0]).name: line
        for line in result.output.splitlines()
        if line.startswith("  failed: ")
    }
    assert set(lines) == {"broken.docx", "entity-bomb.docx", "zip-bomb.docx", "huge.txt"}
    assert "word/document.xml is damaged" in lines["broken.docx"]
    assert "entity bomb" in lines["entity-bomb.docx"]
    assert "zip bomb" in lines["zip-bomb.docx"] or "expands to" in lines["zip-bomb.docx"]
    assert "over the 100 MB limit" in lines["huge.txt"] and "KB_MAX_DOC_MB" in lines["huge.txt"]
    assert "added 1," in result.output  # the good file is indexed all the same


def test_the_document_size_cap_is_a_setting(tmp_path: Path, docs: Path, embedder) -> None:
    from kb.config import Config

    (docs / "long.md").write_text("# Notes\n\n" + "Record every visit.\n\n" * 120_000)
    index = tmp_path / "ix"
    config = Config(index_path=index, max_doc_mb=1)
    with KnowledgeBase.open(index, config, create=True, embedder=embedder) as kb:
        (failure,) = kb.ingest([docs]).failed
    assert "over the 1 MB limit" in failure.reason and "raise KB_MAX_DOC_MB" in failure.reason
    assert Config.from_env({"KB_MAX_DOC_MB": "300"}).max_doc_mb == 300


def test_a_docx_whose_parts_expand_too_far_is_refused(tmp_path: Path, docs: Path, embedder) -> None:
    # Not a bomb by its ratio (random bytes do not compress), but over the cap in total.
    import os

    from kb.config import Config

    big = _docx_with(docs / "big.docx", {"word/media/photo.bin": os.urandom(3 * 1_048_576)})
    index = tmp_path / "ix"
    config = Config(index_path=index, max_doc_mb=2)
    with KnowledgeBase.open(index, config, create=True, embedder=embedder) as kb:
        (failure,) = kb.ingest([big]).failed
    assert "the file is 3 MB, over the 2 MB limit" in failure.reason
