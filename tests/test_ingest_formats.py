"""Each format reads into passages a reader can cite."""

from pathlib import Path

import docx

from kb.ingest import parse
from kb.knowledge_base import KnowledgeBase
from kb.passages.segment import segment
from tests.conftest import PDFS, copy


def _read(path: Path):
    parsed = parse(path, path.read_bytes())
    return parsed, segment("doc", parsed.blocks)


def test_pdf_passages_keep_their_page_numbers() -> None:
    parsed, passages = _read(PDFS / "pdflatex-4-pages.pdf")
    assert parsed.page_count == 4
    pages = [p.page for p in passages]
    # A passage cites the page it starts on; the text runs on across page breaks.
    assert pages == sorted(pages) and set(pages) >= {1, 2, 3} and max(pages) <= 4
    # The page number printed at the foot of each page is not text.
    assert not any(p.text.strip().isdigit() for p in passages)
    assert all(not p.text.endswith((" 1", " 2", " 3")) for p in passages)


def test_pdf_outline_titles_become_sections() -> None:
    _, passages = _read(PDFS / "pdflatex-outline.pdf")
    assert any(p.section and p.section[-1].endswith("Foo") for p in passages)
    assert not any(p.text.startswith("Contents") for p in passages)


def test_google_docs_pdf_and_multicolumn_pdf_read() -> None:
    _, passages = _read(PDFS / "google-doc-document.pdf")
    assert any("Beautiful is better than ugly." in p.text for p in passages)
    _, passages = _read(PDFS / "multicolumn.pdf")
    assert len(passages) > 5
    assert any("filled" in p.text for p in passages)  # the "ﬁ" ligature is normalised


def test_docx_headings_bullets_and_tables(docs: Path) -> None:
    document = docx.Document()
    document.add_heading("Serious Case Review: Child A", level=1)
    document.add_heading("Learning points", level=2)
    document.add_paragraph("The review identified the following learning:")
    document.add_paragraph(
        "Practitioners should record who lives in the household.", style="List Bullet"
    )
    document.add_paragraph("Fathers should be invited to every core group.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Agency"
    table.rows[0].cells[1].text = "Health visiting service"
    path = docs / "child-a.docx"
    document.save(path)
    _, passages = _read(path)
    bullets = [p for p in passages if p.kind == "bullet"]
    assert [b.text for b in bullets] == [
        "Practitioners should record who lives in the household.",
        "Fathers should be invited to every core group.",
    ]
    assert bullets[0].section == ("Serious Case Review: Child A", "Learning points")
    assert bullets[0].context == "The review identified the following learning:"
    assert bullets[0].reviews == ("Child A",)
    assert any("Agency | Health visiting service" in p.text for p in passages)


def test_html_structure_and_no_script_text(docs: Path) -> None:
    path = docs / "procedure.html"
    path.write_text(
        "<html><head><title>Case transfer procedure</title><script>var x = 'tracking';</script>"
        "</head><body><nav>Home | About</nav><h1>Transfers between boroughs</h1>"
        "<p>When a family moves, the case is transferred within 15 working days:</p>"
        "<ul><li>Hold a transfer-in conference.</li><li>Send the full chronology.</li></ul>"
        "</body></html>",
        encoding="utf-8",
    )
    parsed, passages = _read(path)
    assert parsed.title_hint == "Case transfer procedure"
    texts = [p.text for p in passages]
    assert "Hold a transfer-in conference." in texts
    assert not any("tracking" in t or "Home | About" in t for t in texts)
    assert passages[-1].section == ("Transfers between boroughs",)


def test_markdown_headings_and_hard_wrapped_paragraphs(docs: Path) -> None:
    path = docs / "toolkit.md"
    path.write_text(
        "# Neglect toolkit\n\n## Using the toolkit\n\nPractitioners should use the toolkit\n"
        "when they are worried about\nneglect.\n\n- Look at the home.\n- Talk to the child.\n",
        encoding="utf-8",
    )
    _, passages = _read(path)
    assert passages[0].text == (
        "Practitioners should use the toolkit when they are worried about neglect."
    )
    assert passages[0].section == ("Neglect toolkit", "Using the toolkit")
    assert [p.text for p in passages[1:]] == ["Look at the home.", "Talk to the child."]


def test_text_in_latin1_is_read(docs: Path) -> None:
    path = docs / "notes.txt"
    path.write_bytes(
        "Caf\u00e9 meeting notes: the r\u00e9sum\u00e9 of the review was shared.".encode("cp1252")
    )
    _, passages = _read(path)
    assert "résumé" in passages[0].text


def test_document_metadata_is_detected(empty_kb: KnowledgeBase, docs: Path) -> None:
    from tests.conftest import SAMPLE

    copy(SAMPLE, docs)
    empty_kb.ingest([docs])
    (doc,) = empty_kb.documents()
    assert doc.title == "Harrow Safeguarding Children Board Annual Report 2016 to 2017"
    assert doc.doc_type == "annual report"
    assert doc.year == 2017
    assert {"Baby F", "Young Person R", "Family E"} <= set(doc.reviews)
    assert len(doc.sha256) == 64


def test_sidecar_and_command_line_override_metadata(empty_kb: KnowledgeBase, docs: Path) -> None:
    path = docs / "review.txt"
    path.write_text("Learning from the review\n\nPractitioners should speak to fathers.\n")
    (docs / "review.txt.meta.json").write_text('{"type": "scr", "year": 2019}')
    empty_kb.ingest([path])
    doc = empty_kb.documents()[0]
    assert (doc.doc_type, doc.year) == ("serious case review", 2019)
    empty_kb.ingest([path], overrides={"title": "Review of Child B"})
    doc = empty_kb.documents()[0]
    assert doc.title == "Review of Child B" and doc.doc_type == "serious case review"


def test_a_web_pages_site_names_its_kind_of_document(docs: Path) -> None:
    from kb.ingest.metadata import detect_type

    path = docs / "disabled-children.html"
    path.write_text(
        "<html><head><title>Safeguarding Disabled Children | Sallowmere and Ravensdyke"
        " Safeguarding Children Partnerships - Online Procedures</title></head><body><main>"
        "<h1>Safeguarding Disabled Children</h1><h2>1. Introduction</h2>"
        "<p>Disabled children have the same right to be safe as any other child.</p>"
        "</main></body></html>",
        encoding="utf-8",
    )
    parsed, _ = _read(path)
    assert parsed.title_hint == "Safeguarding Disabled Children"
    assert detect_type(parsed.title_hint, parsed).value == "procedure"


def test_a_line_that_records_the_page_dates_it_and_is_no_text(docs: Path) -> None:
    from kb.ingest.metadata import detect_year

    path = docs / "faq.html"
    path.write_text(
        "<html><head><title>Fabricated illness: questions</title></head><body><main>"
        "<h1>Fabricated illness: questions</h1><h2>What is it?</h2>"
        "<p>It is a form of abuse in which a carer causes or makes up illness in a child.</p>"
        '<p class="updated">Page owner: Health Sub-group. Last updated 12 February 2024.</p>'
        '<p class="meta">Who this is for: all practitioners.</p>'
        '<div class="practice-updates"><p>Practitioners must use the Graded Care Profile'
        " whenever neglect is the main concern, and should review it with the family at every"
        " core group; the tool and its guidance were last updated in 2024 and are on the"
        " partnership website with the training dates for the year.</p></div>"
        "</main></body></html>",
        encoding="utf-8",
    )
    parsed, passages = _read(path)
    assert detect_year(parsed.title_hint, path, parsed).value == 2024
    texts = " ".join(p.text for p in passages)
    assert "Page owner" not in texts
    assert "Who this is for" in texts  # a meta line that says more than the page's record
    assert "Graded Care Profile" in texts  # a long block that mentions an update stays
