"""Each page of the app, driven through Streamlit's AppTest over the real index and model."""

import shutil
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from kb.config import Config
from kb.export import pack_csv, pack_docx, pack_markdown
from kb.knowledge_base import KnowledgeBase
from kb.packs import PackItem, PackStore
from kb.uploads import ingest_upload, safe_name
from tests.conftest import PDFS


@pytest.fixture()
def app_env(corpus_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    index = tmp_path / "index"
    shutil.copytree(corpus_index, index)
    monkeypatch.setenv("KB_INDEX_PATH", str(index))
    monkeypatch.setenv("KB_PACKS_DIR", str(tmp_path / "packs"))
    monkeypatch.setenv("KB_LIBRARY_DIR", str(tmp_path / "library"))
    return tmp_path


def _page(name: str) -> AppTest:
    def script(page: str) -> None:
        import importlib

        importlib.import_module(f"kb.webapp.{page}").render()

    return AppTest.from_function(script, args=(name,), default_timeout=120)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_search_page_shows_cards_with_badges_and_citations(app_env: Path) -> None:
    at = _page("search_page").run()
    assert not at.exception
    at.text_input[0].set_value("fathers").run()
    text = _markdown(at)
    assert "Working with <mark>Fathers</mark>" in text
    assert "Learning point" in text and "Baby F" in text
    assert "Harrow Safeguarding Children Board Annual Report 2016 to 2017" in text
    assert at.query_params["q"] == ["fathers"] or at.query_params["q"] == "fathers"


def test_search_page_helps_when_nothing_matches(app_env: Path) -> None:
    at = _page("search_page").run()
    at.sidebar.selectbox[0].set_value("serious case review").run()
    at.text_input[0].set_value("fathers").run()
    assert "Nothing matches" in _markdown(at)
    assert any(b.label == "Fathers and male carers" for b in at.button)


def test_document_text_is_escaped_never_rendered(app_env: Path) -> None:
    evil = app_env / "evil.html"
    evil.write_text(
        "<html><body><h1>Review</h1><p>Practitioners should check &lt;script&gt;alert('x')"
        "&lt;/script&gt; before every home visit to the family.</p></body></html>"
    )
    kb = KnowledgeBase.open(Config.from_env().index_path, Config.from_env())
    assert kb.ingest([evil]).ok
    kb.close()
    at = _page("search_page").run()
    at.text_input[0].set_value("home visit script alert").run()
    text = _markdown(at)
    assert "&lt;script&gt;alert" in text and "<script>" not in text


def test_topics_page_lists_a_topics_points_by_review(app_env: Path) -> None:
    at = _page("topics_page").run()
    at.selectbox[0].set_value("fathers").run()
    assert "Baby F — Harrow Safeguarding Children Board" in [s.value for s in at.subheader][0]
    assert "Greater effort should be made to contact and involve fathers" in _markdown(at)


def test_ask_page_answers_with_sources(app_env: Path) -> None:
    at = _page("ask_page").run()
    at.text_input[0].set_value("How many children were on a child protection plan?").run()
    assert "309 children" in _markdown(at)
    assert any("Harrow" in e.label for e in at.expander)


def test_packs_page_reorders_and_removes(app_env: Path) -> None:
    store = PackStore(app_env / "packs")
    store.add("My course pack", PackItem(kind="heading", text="Fathers"))
    store.add(
        "My course pack",
        PackItem(
            kind="excerpt",
            text="Greater effort should be made",
            title="Harrow report",
            page=3,
            section="Baby F",
        ),
    )
    at = _page("packs_page").run()
    assert "Greater effort should be made" in _markdown(at)
    next(b for b in at.button if b.label == "↓ Down").click().run()
    assert [i.kind for i in store.load("My course pack").items] == ["excerpt", "heading"]
    next(b for b in at.button if b.label == "Remove").click().run()
    assert [i.kind for i in store.load("My course pack").items] == ["heading"]


def test_case_check_page_lists_points_per_concern(app_env: Path) -> None:
    at = _page("casecheck_page").run()
    at.text_area[0].set_value(
        "The mother's new partner has not been seen by any professional. "
        "The family moved here from another borough and the case is being transferred."
    ).run()
    concerns = [m.value for m in at.markdown if m.value.startswith("#### Concern")]
    assert len(concerns) == 2
    labels = [c.label for c in at.checkbox]
    assert any("fathers" in label for label in labels)
    assert any("transferred across borough" in label for label in labels)


def test_library_page_edits_metadata(app_env: Path) -> None:
    at = _page("library_page").run()
    at.text_input[0].set_value("Harrow annual report 2016-17")
    at.button[0].click().run()  # Save
    kb = KnowledgeBase.open(Config.from_env().index_path, Config.from_env())
    assert kb.documents()[0].title == "Harrow annual report 2016-17"
    kb.close()


def test_pack_exports_hold_headings_quotes_and_citations(tmp_path: Path) -> None:
    store = PackStore(tmp_path)
    store.add("Fathers", PackItem(kind="heading", text="Involving fathers"))
    store.add(
        "Fathers",
        PackItem(
            kind="excerpt",
            text="Greater effort should be made.",
            title="Harrow report",
            doc_type="annual report",
            year=2017,
            section="Baby F",
            note="Discuss in pairs",
        ),
    )
    pack = store.load("Fathers")
    document = docx.Document(__import__("io").BytesIO(pack_docx(pack)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Involving fathers") in paragraphs
    assert ("Quote", "Greater effort should be made.") in paragraphs
    assert any(t == "Source: Harrow report (annual report, 2017), Baby F" for _, t in paragraphs)
    assert "> Greater effort should be made." in pack_markdown(pack)
    assert "Discuss in pairs" in pack_csv(pack)
    assert (tmp_path / "fathers.json").exists()  # one plain file per pack


def test_uploads_are_saved_safely_and_bad_ones_leave_nothing(
    empty_kb: KnowledgeBase, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    assert "/" not in safe_name("../../etc/passwd.txt")
    assert safe_name("../../etc/passwd.txt").startswith("passwd-")
    good = ingest_upload(
        empty_kb,
        library,
        "../Review of Child A.txt",
        b"Practitioners should see the child alone at every visit.",
        10**6,
    )
    assert good.error is None and good.doc_id.startswith("review-of-child-a")
    bad = ingest_upload(
        empty_kb,
        library,
        "locked.pdf",
        (PDFS / "libreoffice-writer-password.pdf").read_bytes(),
        10**6,
    )
    assert "password-protected" in bad.error
    too_big = ingest_upload(empty_kb, library, "big.txt", b"x" * 2000, 1000)
    assert "upload limit" in too_big.error
    wrong = ingest_upload(empty_kb, library, "run.exe", b"MZ", 10**6)
    assert "unsupported file type" in wrong.error
    assert len(list(library.iterdir())) == 1 and len(empty_kb.documents()) == 1
