"""Citation: where a passage comes from, worded one way wherever kb shows it (the CLI, the
app's cards, Ask, course packs and their exports, case checks).

It lives with the passages because the review a passage belongs to is read by points.py
(`learning_review`: the review its section names, else its document's only review, else the
one its text names); records.py cannot import that without a cycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb.passages.points import learning_review
from kb.records import SECTION_SEP, Document, Hit, Passage

__all__ = ["NO_YEAR", "Citation", "page_text", "year_text"]

NO_YEAR = "n.d."  # the usual "no date" of a reference list


def year_text(year: int | None) -> str:
    """A document's year as a citation shows it: "2019", or "n.d." when it has none."""
    return str(year) if year else NO_YEAR


def page_text(pages: Sequence[int]) -> str:
    """Pages as a citation shows them: "p. 4", "pp. 4-5" (a run), "pp. 4, 6" (apart), or ""
    for none."""
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    if list(pages) == list(range(pages[0], pages[-1] + 1)):
        return f"pp. {pages[0]}-{pages[-1]}"
    return "pp. " + ", ".join(str(p) for p in pages)


@dataclass(frozen=True)
class Citation:
    """A passage's document (title, type, year), the pages it is on, its section and the
    review it belongs to."""

    doc_id: str
    title: str
    doc_type: str
    year: int | None
    page: int | None = None  # the cited passage's own page
    pages: tuple[int, ...] = ()  # every page of the passages shown with it, in order
    section: tuple[str, ...] = ()
    review: str | None = None
    passage_id: int | None = None

    @classmethod
    def of(cls, document: Document, passage: Passage, shown: Sequence[Passage] = ()) -> Citation:
        """The citation of `passage`, shown with `shown` (a list's items), in `document`."""
        pages = sorted({p.page for p in (*shown, passage) if p.page})
        return cls(
            doc_id=document.doc_id,
            title=document.title,
            doc_type=document.doc_type,
            year=document.year,
            page=passage.page,
            pages=tuple(pages),
            section=passage.section,
            review=learning_review(passage, document),
            passage_id=passage.passage_id,
        )

    @classmethod
    def of_hit(cls, hit: Hit) -> Citation:
        """The citation of a search result: its passage, with every passage it shows."""
        return cls.of(hit.document, hit.passage, hit.passages)

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    @property
    def where(self) -> str:
        """The page or pages: "p. 4", "pp. 4-5", or "" when the document has no pages."""
        return page_text(self.pages or ((self.page,) if self.page else ()))

    @property
    def kind_and_year(self) -> str:
        """The document's type and year: "annual report, 2017", or "annual report, n.d." for
        a document with no year."""
        return ", ".join(x for x in (self.doc_type, year_text(self.year)) if x)

    def text(self) -> str:
        """One plain line: "Title (annual report, 2017), review: Baby F, p. 4, Section >
        Subsection"; the review, page and section are left out when there is none."""
        bits = [f"{self.title} ({self.kind_and_year})"]
        if self.review:
            bits.append(f"review: {self.review}")
        if self.where:
            bits.append(self.where)
        if self.section:
            bits.append(self.section_path)
        return ", ".join(bits)

    def short(self) -> str:
        """The label an answer puts after each sentence: "Title, p. 4", else the title with
        the nearest heading, else the title alone."""
        where = self.where or (self.section[-1] if self.section else "")
        return f"{self.title}, {where}" if where else self.title
