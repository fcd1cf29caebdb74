"""Table tests of the one citation every output uses: how it reads with a part missing, and
which review it names."""

from __future__ import annotations

import pytest

from kb.outputs.export import pack_markdown
from kb.outputs.packs import Pack, PackItem
from kb.passages.citation import Citation, page_text
from kb.records import Document, Hit, Passage

SCR = "Serious Case Review: Baby Q"


def _doc(year: int | None = 2019, reviews: tuple[str, ...] = ("Baby Q",)) -> Document:
    return Document("scr-q", "/docs/q.pdf", SCR, "serious case review", year, reviews, "0" * 64)


def _passage(
    page: int | None = 4,
    section: tuple[str, ...] = ("Findings", "Finding 2"),
    text: str = "Fathers were not seen.",
) -> Passage:
    return Passage("scr-q", 3, text, page, section, "paragraph", passage_id=7)


@pytest.mark.parametrize(
    ("document", "passage", "text"),
    [
        (
            _doc(),
            _passage(),
            f"{SCR} (serious case review, 2019), review: Baby Q, p. 4, Findings > Finding 2",
        ),
        # No year: "n.d.", the one wording everywhere.
        (
            _doc(year=None),
            _passage(),
            f"{SCR} (serious case review, n.d.), review: Baby Q, p. 4, Findings > Finding 2",
        ),
        # No page (a web page or a Word file): left out.
        (
            _doc(),
            _passage(page=None),
            f"{SCR} (serious case review, 2019), review: Baby Q, Findings > Finding 2",
        ),
        # No section: left out.
        (_doc(), _passage(section=()), f"{SCR} (serious case review, 2019), review: Baby Q, p. 4"),
        # A briefing's general learning belongs to no review: none is named.
        (
            _doc(reviews=("Baby Q", "Child T")),
            _passage(section=("Key learning",), text="Think family."),
            f"{SCR} (serious case review, 2019), p. 4, Key learning",
        ),
    ],
)
def test_citation_text(document: Document, passage: Passage, text: str) -> None:
    assert Citation.of(document, passage).text() == text


@pytest.mark.parametrize(
    ("reviews", "section", "text", "review"),
    [
        # The review its section names wins over the document's own.
        (("Baby Q",), ("Reviews", "Learning from 'Child T'"), "Be curious.", "Child T"),
        # Else the document's, when the document is about one review.
        (("Baby Q",), ("Findings",), "Fathers were not seen.", "Baby Q"),
        # A document about several reviews: the one the passage's own text names...
        (("Baby Q", "Child T"), ("Findings",), "As in Child T, fathers were unseen.", "Child T"),
        # ... never all of the document's reviews.
        (("Baby Q", "Child T"), ("Findings",), "Fathers were not seen.", None),
    ],
)
def test_citation_names_the_passage_own_review(
    reviews: tuple[str, ...], section: tuple[str, ...], text: str, review: str | None
) -> None:
    citation = Citation.of(_doc(reviews=reviews), _passage(section=section, text=text))
    assert citation.review == review
    assert ("review: " in citation.text()) == (review is not None)


@pytest.mark.parametrize(
    ("pages", "shown"),
    [((), ""), ((4,), "p. 4"), ((4, 5, 6), "pp. 4-6"), ((4, 6), "pp. 4, 6")],
)
def test_page_text(pages: tuple[int, ...], shown: str) -> None:
    assert page_text(pages) == shown


def test_a_list_shown_across_pages_cites_them_all_and_keeps_its_own_page() -> None:
    lead = _passage(page=4)
    item = Passage("scr-q", 4, "Ask who lives in the home.", 5, lead.section, "bullet")
    citation = Citation.of_hit(Hit(lead, _doc(), 1.0, (lead, item)))
    assert citation.where == "pp. 4-5" and citation.page == 4
    assert citation.short() == f"{SCR}, pp. 4-5"
    assert Citation.of(_doc(), _passage(page=None)).short() == f"{SCR}, Finding 2"


def test_a_pack_cites_as_search_does_and_follows_a_metadata_fix() -> None:
    hit = Hit(_passage(), _doc(), 1.0)
    item = PackItem.from_hit(hit)
    assert item.citation().text() == Citation.of_hit(hit).text()
    fixed = Pack("Fathers", (item,)).cited_from([_doc(year=None, reviews=("Baby R",))])
    assert f"> — {SCR} (serious case review, n.d.), review: Baby R, p. 4" in pack_markdown(fixed)
