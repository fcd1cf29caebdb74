"""Each page of the app, driven through Streamlit's AppTest over the real index and model."""

import html
import io
import re
import shutil
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from kb.app.common import pdf_annotations
from kb.app.text import highlight, label_text, numbered_answer, text_html
from kb.config import Config
from kb.index.embed import Embedder
from kb.ingest.uploads import ingest_upload, safe_name
from kb.knowledge_base import KnowledgeBase
from kb.outputs.casecheck import CaseCheckStore
from kb.outputs.export import pack_csv, pack_docx, pack_markdown
from kb.outputs.packs import Pack, PackItem, PackStore
from kb.records import Box, Passage
from tests.app_fixtures import build_app_index
from tests.conftest import PDFS

SUMMARY = (
    "The mother's new partner has not been seen by any professional. "
    "The family moved here from another borough and the case is being transferred."
)


@pytest.fixture(scope="module")
def app_index(corpus_index: Path, embedder: Embedder, tmp_path_factory) -> Path:
    return build_app_index(corpus_index, tmp_path_factory.mktemp("app") / "index", embedder)


@pytest.fixture()
def app_env(app_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    index = tmp_path / "index"
    shutil.copytree(app_index, index)
    monkeypatch.setenv("KB_INDEX_PATH", str(index))
    monkeypatch.setenv("KB_PACKS_DIR", str(tmp_path / "packs"))
    monkeypatch.setenv("KB_LIBRARY_DIR", str(tmp_path / "library"))
    monkeypatch.setenv("KB_CASECHECKS_DIR", str(tmp_path / "casechecks"))
    return tmp_path


def _page(name: str, **params: str) -> AppTest:
    def script(page: str) -> None:
        import importlib

        importlib.import_module(f"kb.app.{page}").render()

    at = AppTest.from_function(script, args=(name,), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _visible(at: AppTest) -> str:
    """The markdown as a reader sees it: tags dropped, character references read."""
    return html.unescape(re.sub(r"<[^>]+>", "", _markdown(at)))


def _param(at: AppTest, name: str) -> str:
    value = at.query_params.get(name, "")
    return value[0] if isinstance(value, list) else value


def _shown(at: AppTest) -> str:
    """Everything the page shows as text: markdown, captions, labels, messages."""
    parts = [_markdown(at)]
    for kind in ("caption", "subheader", "info", "success", "error", "warning", "title"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("checkbox", "button", "text_input", "selectbox", "expander"):
        parts += [str(getattr(e, "label", "")) for e in getattr(at, kind)]
    return "\n".join(parts)


# -- Search --------------------------------------------------------------------------------
def test_search_page_shows_cards_with_badges_and_citations(app_env: Path) -> None:
    at = _page("search_page").run()
    assert not at.exception
    at.text_input[0].set_value("fathers").run()
    text = _markdown(at)
    assert "Working with <mark>Fathers</mark>" in text
    assert "Learning point" in text and "Baby F" in text
    assert "Harrow Safeguarding Children Board Annual Report 2016 to 2017" in text
    assert _param(at, "q") == "fathers"


def test_successive_queries_and_filters_each_take_effect(app_env: Path) -> None:
    at = _page("search_page").run()
    for query, expected in [
        ("fathers", "Working with <mark>Fathers</mark>"),
        ("case transfer", "<mark>transferred</mark>"),
        ("private fostering", "<mark>fostering</mark>"),
    ]:
        at.text_input[0].set_value(query).run()
        assert expected in _markdown(at), query
        assert _param(at, "q") == query
    at.sidebar.selectbox[0].set_value("serious case review").run()
    assert _param(at, "type") == "serious case review"
    at.sidebar.selectbox[0].set_value("annual report").run()
    assert _param(at, "type") == "annual report"
    assert "<mark>fostering</mark>" in _markdown(at)


def test_undated_documents_stay_unless_years_are_chosen(app_env: Path) -> None:
    at = _page("search_page").run()
    at.text_input[0].set_value("lodger sofa-surfing").run()
    assert "Guidance on lodgers and sofa-surfing adults" in _markdown(at)
    at.sidebar.checkbox[0].check().run()  # opt in to the years filter
    assert "years" in at.query_params
    assert "Guidance on lodgers" not in _markdown(at)
    reloaded = _page("search_page", q="lodger sofa-surfing").run()
    assert "Guidance on lodgers and sofa-surfing adults" in _markdown(reloaded)


def test_a_topic_alone_lists_its_learning(app_env: Path) -> None:
    at = _page("search_page", q="", topics="fathers").run()
    text = _markdown(at)
    assert "Nothing matches" not in text
    assert "Learning point" in text and "fathers" in text.lower()
    assert any("most central first" in c.value for c in at.caption)
    start = _page("search_page").run()  # a suggested topic opens the same list
    next(b for b in start.button if b.label == "Fathers and male carers").click().run()
    assert "Learning point" in _markdown(start) and _param(start, "topics") == "fathers"


def test_nonsense_matches_nothing_and_results_page(app_env: Path) -> None:
    at = _page("search_page").run()
    at.text_input[0].set_value("zxqv blorptangle frumious").run()
    assert "Nothing matches" in _markdown(at)
    at.text_input[0].set_value("children").run()
    caption = next(c.value for c in at.caption if "of" in c.value and "Results" in c.value)
    assert caption.startswith("Results 1–10 of ")
    next(b for b in at.button if b.label == "Next →").click().run()
    assert any(c.value.startswith("Results 11–20 of ") for c in at.caption)
    assert _param(at, "page") == "2"


def test_search_page_helps_when_nothing_matches(app_env: Path) -> None:
    at = _page("search_page").run()
    at.sidebar.selectbox[0].set_value("toolkit").run()
    at.text_input[0].set_value("fathers").run()
    assert "Nothing matches" in _markdown(at)
    assert any(b.label == "Fathers and male carers" for b in at.button)


# -- Document text is text ------------------------------------------------------------------
DANGERS = ("<img", "<a href", "javascript:", "](", "$$", ":red[", "<b>bold")


def _inert(at: AppTest) -> None:
    shown = _shown(at)
    assert not at.exception
    for danger in DANGERS:
        assert danger not in shown, danger


def test_document_text_is_never_markup_on_any_page(app_env: Path) -> None:
    search = _page("search_page").run()
    search.text_input[0].set_value("male carer javascript beacon").run()
    assert "tracker" in _markdown(search)  # the document is shown, as text
    _inert(search)
    next(t for t in search.toggle if t.label == "Show in context").set_value(True).run()
    _inert(search)
    _inert(_page("topics_page", topic="fathers").run())
    ask = _page("ask_page").run()
    ask.text_input[0].set_value("What should practitioners record about a male carer?").run()
    _inert(ask)
    check = _page("casecheck_page").run()
    check.text_area[0].set_value("Nobody recorded the name of the male carer living in the home.")
    next(b for b in check.button if b.label == "Check this case").click().run()
    assert "tracker" in _markdown(check) or "male carer" in _markdown(check)
    _inert(check)
    library = _page("library_page").run()
    _inert(library)
    PackStore(app_env / "packs").add(
        "My course pack", PackItem(kind="excerpt", text="[x](javascript:alert(1)) <img src=y>")
    )
    _inert(_page("packs_page").run())


def test_text_helpers_escape_and_highlight_by_stem() -> None:
    assert str(highlight("Tom & Jerry", "amp")) == "Tom &amp; Jerry"
    marked = str(highlight("Bruising to the ear. A second sentence.", "bruise"))
    assert "<mark>Bruising</mark>" in marked and 'class="kb-match"' in marked
    assert "A second sentence." not in marked.split("</span>")[0]
    assert "javascript&#58;" in str(text_html("[a](javascript:alert(1))"))
    assert label_text("**b** [x](y)") == r"\*\*b\*\* \[x\]\(y\)"
    answer = numbered_answer("Fathers matter. (Report, p. 2)", ["Report, p. 2"])
    assert 'href="#source-1"' in answer and "(Report, p. 2)" not in answer


# -- Ask -------------------------------------------------------------------------------------
def test_ask_page_answers_with_numbered_sources(app_env: Path) -> None:
    at = _page("ask_page").run()
    at.text_input[0].set_value("How many children were on a child protection plan?").run()
    text = _markdown(at)
    assert "309 children" in text
    assert 'href="#source-1"' in text or 'href="#source-2"' in text
    assert 'id="source-1"' in text and "Harrow" in text
    assert 'class="kb-match"' in text  # the sentence used is marked in its source
    assert _param(at, "question").startswith("How many children")


# -- Topics ----------------------------------------------------------------------------------
def test_topics_page_groups_points_best_first_and_filters(app_env: Path) -> None:
    at = _page("topics_page").run()
    at.selectbox[0].set_value("fathers").run()
    headings = [m.value for m in at.markdown if "kb-group" in m.value]
    assert any("Baby F — Harrow Safeguarding Children Board" in h for h in headings)
    assert "Greater effort should be made to contact and involve fathers" in _markdown(at)
    assert "centrality" not in _shown(at)
    assert _param(at, "topic") == "fathers"
    at.selectbox(key="topics-type").set_value("annual report").run()
    headings = [m.value for m in at.markdown if "kb-group" in m.value]
    assert headings and all("Harrow" in h for h in headings)
    at.multiselect(key="topics-kinds").set_value(["rule"]).run()
    points = [m for m in at.markdown if "kb-group" in m.value]
    assert any("No learning points" in i.value for i in at.info) or points


def test_topic_groups_are_ordered_by_their_most_central_point(app_env: Path) -> None:
    from kb.app.topics_page import grouped

    with KnowledgeBase.open(Config.from_env().index_path, Config.from_env()) as kb:
        groups = grouped(kb.points(topic="fathers"))
    best = [max(p.centrality for p in points) for _, points in groups]
    assert len(groups) > 2 and best == sorted(best, reverse=True)


# -- Course packs ----------------------------------------------------------------------------
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
    assert str(app_env) not in _shown(at)  # the server's folder is not shown
    next(b for b in at.button if b.label == "↓ Down").click().run()
    assert [i.kind for i in store.load("My course pack").items] == ["excerpt", "heading"]
    next(b for b in at.button if b.label == "Remove").click().run()
    assert [i.kind for i in store.load("My course pack").items] == ["heading"]


def test_pack_insert_trim_rename_and_citations_follow_fixes(app_env: Path) -> None:
    index = Path(Config.from_env().index_path)
    with KnowledgeBase.open(index, Config.from_env()) as kb:
        hit = kb.search("Greater effort should be made to contact and involve fathers")[0]
        store = PackStore(app_env / "packs")
        store.add("Fathers", PackItem.from_hit(hit))
        store.insert("Fathers", PackItem(kind="heading", text="Why fathers"), 0)
        kb.update_document(hit.document.doc_id, title="Harrow annual report (fixed)")
        pack = store.load("Fathers").cited_from(kb.documents())
    assert [i.kind for i in pack.items] == ["heading", "excerpt"]
    assert pack.items[1].citation().text().startswith("Harrow annual report (fixed) (annual report")
    assert "review: Baby F" in pack_markdown(pack)
    item = pack.items[1]
    store.trim("Fathers", item.item_id, "Greater effort should be made … fathers")
    with pytest.raises(Exception, match="only leave words out"):
        store.trim("Fathers", item.item_id, "Less effort is needed")
    store.rename("Fathers", "Working with fathers")
    assert store.names() == ["Working with fathers"]
    assert store.load("Working with fathers").items[1].text.endswith("… fathers")


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
            review="Baby F",
            note="Discuss in pairs",
        ),
    )
    pack = store.load("Fathers")
    document = docx.Document(io.BytesIO(pack_docx(pack)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Involving fathers") in paragraphs
    assert ("Quote", "Greater effort should be made.") in paragraphs
    source = "Source: Harrow report (annual report, 2017), review: Baby F, Baby F"
    assert any(t == source for _, t in paragraphs)
    assert "> Greater effort should be made." in pack_markdown(pack)
    assert "Discuss in pairs" in pack_csv(pack)
    assert (tmp_path / "fathers.json").exists()  # one plain file per pack
    assert isinstance(store.load("Fathers"), Pack)


# -- Case check ------------------------------------------------------------------------------
def _run_check(at: AppTest, summary: str = SUMMARY) -> AppTest:
    at.text_area[0].set_value(summary)
    next(b for b in at.button if b.label == "Check this case").click().run()
    return at


def test_case_check_lists_points_per_concern_with_why(app_env: Path) -> None:
    at = _run_check(_page("casecheck_page").run())
    text = _visible(at)
    assert "Concern 1:" in text and "Concern 2:" in text
    assert "Fathers and male carers" in text and "Case transfer" in text
    assert "transferred across borough" in text
    assert "shared words: " in text and "fit (0." in text
    assert "Learning point" in text  # the point's kind


def test_case_check_ticks_per_concern_saved_and_reopened(app_env: Path) -> None:
    summary = "The father has not been seen. Nobody has seen or spoken to the father."
    at = _run_check(_page("casecheck_page").run(), summary)
    check_id = _param(at, "check")
    saved = CaseCheckStore().load(check_id)
    twice = [
        i
        for i in saved.items
        if i.concern_no == 2
        and any(j.passage_id == i.passage_id for j in saved.items if j.concern_no == 1)
    ]
    assert twice, "no point under both concerns"
    point = twice[0]
    at.checkbox(key=f"cc-{check_id}-1-{point.passage_id}-tick").check().run()
    at.text_input(key=f"cc-{check_id}-1-{point.passage_id}-comment").set_value("seen 3/4").run()
    saved = CaseCheckStore().load(check_id)
    first = next(i for i in saved.items if i.key == f"1-{point.passage_id}")
    second = next(i for i in saved.items if i.key == f"2-{point.passage_id}")
    assert saved.evidenced(first) and not saved.evidenced(second)
    assert saved.comment(first) == "seen 3/4" and saved.summary == summary
    reopened = _page("casecheck_page", check=check_id).run()  # a reload
    assert reopened.checkbox(key=f"cc-{check_id}-1-{point.passage_id}-tick").value
    assert not reopened.checkbox(key=f"cc-{check_id}-2-{point.passage_id}-tick").value
    comment = reopened.text_input(key=f"cc-{check_id}-1-{point.passage_id}-comment")
    assert comment.value == "seen 3/4"


# -- Library ---------------------------------------------------------------------------------
def test_library_edits_metadata_and_shows_where_it_was_read(app_env: Path) -> None:
    at = _page("library_page").run()
    undated = next(o for o in at.selectbox[0].options if "lodgers" in o)
    at.selectbox[0].set_value(next(d.doc_id for d in _docs() if d.title == undated)).run()
    assert "Where each field was read from" in _markdown(at)
    at.text_input[0].set_value("Lodgers guidance")
    at.text_input[2].set_value("Child L")
    next(b for b in at.button if b.label == "Save").click().run()
    assert any("Saved" in s.value for s in at.success)
    doc = next(d for d in _docs() if d.doc_id.startswith("undated"))
    assert doc.title == "Lodgers guidance" and doc.year is None and doc.reviews == ("Child L",)
    assert any(r["title"] == "Lodgers guidance" for r in at.dataframe[0].value.to_dict("records"))


def _docs() -> list:
    with KnowledgeBase.open(Config.from_env().index_path, Config.from_env()) as kb:
        return kb.documents()


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


def test_an_upload_is_never_titled_after_its_generated_name(
    empty_kb: KnowledgeBase, tmp_path: Path
) -> None:
    result = ingest_upload(
        empty_kb, tmp_path, "inj_review.pdf", (PDFS / "minimal-document.pdf").read_bytes(), 10**6
    )
    assert result.error is None, result.error
    title = empty_kb.document(result.doc_id).title
    assert result.doc_id.split("-")[-1] not in title.replace(" ", "").lower()


# -- PDF highlight ---------------------------------------------------------------------------
def test_pdf_annotations_come_from_passage_boxes() -> None:
    passage = Passage(
        "d", 0, "text", 7, (), "paragraph", boxes=(Box(7, 72.0, 100.0, 520.0, 112.5),)
    )
    (note,) = pdf_annotations([passage])
    assert note["page"] == 7 and note["x"] == 72.0 and note["y"] == 100.0
    assert note["width"] == 448.0 and note["height"] == 12.5
