"""Reading real layouts: the dev documents (tests/data/corpus-dev, copied from
shared/corpus-dev) become the passages a careful reader sees, with the right section, page,
metadata and learning points. No model is needed: these read and segment only."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from kb.ingest import parse, read_bytes
from kb.ingest.describe import describe
from kb.passages.points import learning_review
from kb.passages.segment import segment
from kb.records import Document, Passage
from kb.tools.evaluate import holds

DEV = Path(__file__).resolve().parent / "data" / "corpus-dev"
JUDGED = json.loads((DEV / "judged.json").read_text(encoding="utf-8"))
PDFS = Path(__file__).resolve().parent / "data" / "pdf"


@cache
def read(name: str) -> tuple[Document, tuple[Passage, ...]]:
    path = DEV / name
    data = read_bytes(path)
    parsed = parse(path, data)
    doc = describe(path.stem, path, parsed, "sha", len(data), {})
    return doc, tuple(segment(doc.doc_id, parsed.blocks, 600, doc.doc_type))


def passage(name: str, phrase: str) -> Passage:
    found = [p for p in read(name)[1] if phrase in p.text]
    assert found, f"no passage of {name} holds {phrase!r}"
    return found[0]


# Golden passages: (file, phrase, kind, section path, page) for a page or two of each layout.
GOLDEN = [
    # A report: cover, contents, numbered sections and paragraphs, boxed panels, footnotes.
    (
        "kestrel-vale-scr-baby-q.pdf",
        "4.1.2 The regional procedure",
        "paragraph",
        ("4 Analysis and findings", "4.1 Case transfer between local authorities"),
        7,
    ),
    (
        "kestrel-vale-scr-baby-q.pdf",
        "A transfer letter sent to a generic inbox",
        "bullet",
        (
            "4 Analysis and findings",
            "4.1 Case transfer between local authorities",
            "Learning point 1: Case transfer is a process, not a letter",
        ),
        7,
    ),
    (
        "kestrel-vale-scr-baby-q.pdf",
        "4.2.1 Mr S was present",
        "paragraph",
        ("4 Analysis and findings", "4.2 The men in Baby Q's life"),
        7,
    ),
    (
        "kestrel-vale-scr-baby-q.pdf",
        "[2] Section 47 of the Children Act 1989",
        "note",
        ("3 Summary of the case", "3.2 Key practice episodes"),
        6,
    ),
    (
        "kestrel-vale-scr-baby-q.pdf",
        "Revise the bruising protocol",
        "table",
        ("6 Recommendations",),
        11,
    ),
    # Bold unnumbered headings, "Finding N:" headings, a "Key learning" list.
    (
        "eastborough-cspr-child-t.pdf",
        "Child T's father was never contacted",
        "paragraph",
        ("Findings", "Finding 4: Child T's father and the men around him were not considered"),
        3,
    ),
    (
        "eastborough-cspr-child-t.pdf",
        "Exclusion from school can increase",
        "bullet",
        ("Key learning",),
        3,
    ),
    # Two columns, a title band and a boxed panel in one column.
    (
        "tricounty-briefing-hidden-men.pdf",
        "Speak to fathers and male carers directly",
        "bullet",
        ("Common themes", "Assumptions about roles", "Learning for practice"),
        2,
    ),
    (
        "tricounty-briefing-hidden-men.pdf",
        "workloads that leave little time",
        "bullet",
        ("Why are men missed?",),
        2,
    ),
    # Seven numbered boxes in a grid over two pages.
    (
        "kestrel-vale-7min-bruising.pdf",
        "Phone the children's services front door",
        "bullet",
        ("4 What you should do",),
        1,
    ),
    (
        "kestrel-vale-7min-bruising.pdf",
        "see the baby, refer every bruise",
        "bullet",
        ("6 Learning from Baby Q",),
        2,
    ),
    # A web page: a practice-point box closes where it ends.
    (
        "tricounty-procedure-case-transfer.html",
        "Continue statutory visits",
        "paragraph",
        ("4. Receiving a child protection case from another authority", "Practice point"),
        None,
    ),
    (
        "tricounty-procedure-case-transfer.html",
        "5.1 Children supported under a child in need",
        "paragraph",
        ("5. Children in need and children subject to enquiries",),
        None,
    ),
    # A Word file: heading styles, numbered paragraphs, tables in document order.
    (
        "marsh-ferrers-llr-sibling-group-j.docx",
        "Learning point: Children must never be used",
        "paragraph",
        ("Learning", "Language and the use of interpreters"),
        None,
    ),
    (
        "marsh-ferrers-llr-sibling-group-j.docx",
        "Period | Agency | Summary of involvement",
        "table",
        ("What happened",),
        None,
    ),
]


@pytest.mark.parametrize(("name", "phrase", "kind", "section", "page"), GOLDEN)
def test_golden_passages(
    name: str, phrase: str, kind: str, section: tuple[str, ...], page: int | None
) -> None:
    found = passage(name, phrase)
    assert (found.kind, found.section, found.page) == (kind, section, page)


@pytest.mark.parametrize("name", sorted(JUDGED["docs"]))
def test_metadata_matches_the_judged_documents(name: str) -> None:
    doc, _ = read(name)
    judged = JUDGED["docs"][name]
    assert doc.doc_type == judged["type"]
    assert doc.year == judged["year"]
    assert sorted(doc.reviews) == sorted(judged.get("reviews", []))
    assert set(doc.provenance) == {"title", "type", "year", "reviews"}


def test_the_year_comes_from_the_publication_statement_not_a_cited_act() -> None:
    doc, _ = read("kestrel-vale-scr-baby-q.pdf")
    assert doc.year == 2019  # "Published: September 2019"; the text cites the 1989 Act
    assert "Published: September 2019" in doc.provenance["year"]
    assert doc.title == "Serious Case Review: Baby Q"


@pytest.mark.parametrize("name", sorted(JUDGED["docs"]))
def test_no_running_header_footer_or_web_furniture_in_any_passage(name: str) -> None:
    _, passages = read(name)
    for noise in JUDGED["noise"]:
        leaks = [p.text for p in passages if noise.lower() in f"{p.context} {p.text}".lower()]
        assert not leaks, noise


@pytest.mark.parametrize(("phrase", "page"), JUDGED["pages"])
def test_judged_pages_are_cited(phrase: str, page: int) -> None:
    holding = [
        p
        for name in JUDGED["docs"]
        for p in read(name)[1]
        if holds(f"{p.section_path}\n{p.text}", phrase)
    ]
    assert any(p.page == page for p in holding), phrase


def test_contents_page_and_cover_are_not_indexed() -> None:
    _, passages = read("kestrel-vale-scr-baby-q.pdf")
    assert not any("....." in p.text or p.page in (1, 2) for p in passages)


def test_footnote_markers_stay_out_of_words() -> None:
    text = passage("kestrel-vale-scr-baby-q.pdf", "1.2 The Kestrel Vale Safeguarding").text
    assert text.endswith("worked together.")


def test_numbered_paragraph_continues_past_its_hanging_number() -> None:
    text = passage("kestrel-vale-scr-baby-q.pdf", "1.3 Baby Q lived with his mother").text
    assert "Sibling P had been supported under a child in need plan" in text


def test_passages_keep_their_boxes_on_the_page() -> None:
    found = passage("kestrel-vale-scr-baby-q.pdf", "A transfer letter sent to a generic inbox")
    assert found.boxes and all(b.page == 7 for b in found.boxes)
    box = found.boxes[0]
    # Inside the learning panel drawn from (57, 369) to (539, 547) on page 7.
    assert 57 <= box.x0 < box.x1 <= 539 and 369 <= box.top < box.bottom <= 547


def test_two_columns_are_read_column_by_column() -> None:
    text = passage("tricounty-briefing-hidden-men.pdf", "In the last three years").text
    assert text.endswith("was never asked.")  # the left column's paragraph, whole
    assert "Baby Q. A father" not in text


def test_learning_points_are_found_with_their_review() -> None:
    points = []
    for name in JUDGED["docs"]:
        doc, passages = read(name)
        points += [(p, learning_review(p, doc)) for p in passages if p.learning]
    found = [
        phrase
        for phrase, review in JUDGED["points"]
        if any(holds(p.text, phrase) and r == review for p, r in points)
    ]
    assert len(found) >= 28, set(p for p, _ in JUDGED["points"]) - set(found)
    kinds = {p.point_kind for p, _ in points}
    assert kinds == {"learning", "finding", "recommendation", "rule"}


def _described(folder: str, name: str) -> tuple[Document, list[Passage]]:
    path = DEV.parent / folder / name
    parsed = parse(path, read_bytes(path))
    doc = describe(path.stem, path, parsed, "sha", 1, {})
    return doc, segment(doc.doc_id, parsed.blocks, 600, doc.doc_type)


@pytest.mark.parametrize(
    ("folder", "name", "title", "reviews"),
    [
        (
            "corpus-extra2",
            "wyndmoor-cspr-child-rd.pdf",
            "Child Safeguarding Practice Review: Child RD",
            ("Child RD",),
        ),
        (
            "corpus-extra6",
            "kestlebury-lcspr-baby-nell.pdf",
            "Local Child Safeguarding Practice Review: Baby Nell",
            ("Baby Nell",),
        ),
        (
            "corpus-extra3",
            "hartwold-scr-family-w.pdf",
            "Family W: A Serious Case Review into the neglect of three siblings",
            ("Family W",),
        ),
    ],
)
def test_a_cover_title_wrapped_over_two_lines_is_read_as_one(
    folder: str, name: str, title: str, reviews: tuple[str, ...]
) -> None:
    doc, _ = _described(folder, name)
    assert (doc.title, doc.reviews) == (title, reviews)


def test_a_running_header_printed_across_the_title_is_no_part_of_it() -> None:
    doc, passages = _described("corpus-extra6", "dunmere-7min-online-radicalisation.pdf")
    assert doc.title == "7-minute briefing: online radicalisation"
    assert doc.reviews == ("Child P", "Riley")  # "the reviews for Child P and Riley"
    header = "Dunmere and Fell SCP 7-minute briefing No. 31"
    assert not any(header in p.text for p in passages)


@pytest.mark.parametrize(
    ("name", "reviews"),
    [
        # Sections headed by the names alone; a hyphenated name; a child written of by age.
        ("harrowfield-learning-from-reviews-childs-voice.pdf", ("Amira", "Jayden", "Lily-Mae")),
        ("calderwick-annual-report-2023-24.docx", ("Child K", "Theo")),
        # Named once, as the review of a named kind the procedure was amended after.
        ("easterholme-procedure-pre-birth.html", ("Baby Ezra",)),
    ],
)
def test_reviews_named_as_set_9_names_them(name: str, reviews: tuple[str, ...]) -> None:
    doc, _ = _described("corpus-extra9", name)
    assert doc.reviews == reviews


def test_set_11s_review_is_read_with_its_contents_list_whole() -> None:
    doc, passages = _described("corpus-extra11", "brackenmoor-lcspr-rosa.pdf")
    # Its cover: "Local Child Safeguarding Practice Review / Rosa: a young carer who was ...".
    assert doc.reviews == ("Rosa",)
    # Contents entries that wrap onto a second line ("Finding 1: ... as a safeguarding" /
    # "concern ... 8") are contents, not text: the contents page holds no passage.
    assert not [p.text for p in passages if p.page == 2]
    # Its bullets, written in a font with no character for them, are read as a list.
    assert not any("(cid:" in p.text for p in passages)
    assert any(p.kind == "bullet" and p.text.startswith("how well agencies") for p in passages)


def test_a_bold_line_that_goes_on_a_sentence_is_no_heading() -> None:
    # "... When a child takes on the / **care of a parent or younger siblings, practitioners
    # should ask what this tells them about the adults in** / **the household.** Neither..."
    _, passages = _described("corpus-extra10", "carrowmere-scr-child-t.pdf")
    lesson = "practitioners should ask what this tells them about the adults in the household"
    assert any(lesson in " ".join(p.text.split()) for p in passages)
    assert not any("practitioners should ask" in heading for p in passages for heading in p.section)
    # A bold heading wrapped onto a line that opens in lower case is still one heading.
    _, leo = _described("corpus-extra4", "brackenmoor-cspr-leo-summary.pdf")
    assert any(
        p.section[-1] == "Lesson 1: Adult services must think about the children in the household"
        for p in leo
        if p.section
    )


def test_what_the_review_found_in_a_briefing_on_one_review_is_that_reviews() -> None:
    from kb.passages.points import learning_review

    doc, passages = _described("corpus-extra10", "stavenhurst-7mb-private-fostering.pdf")
    assert doc.reviews == ("Reuben",)
    found = [p for p in passages if p.learning and p.section[-1].endswith("What the review found")]
    assert len(found) >= 4
    assert {learning_review(p, doc) for p in found} == {"Reuben"}
    # Its key messages pass on the review's learning; its legal rules are the law's.
    messages = [p for p in passages if p.learning and p.section[-1].endswith("Key messages")]
    assert any("A change of address is a safeguarding conversation" in p.text for p in messages)
    assert {learning_review(p, doc) for p in messages} == {"Reuben"}
    law = [p for p in passages if p.learning and "law requires" in p.section[-1]]
    assert law and {learning_review(p, doc) for p in law} == {None}


def test_a_briefing_titled_by_its_kind_alone_is_read_with_its_subtitle_and_cover() -> None:
    from kb.passages.points import learning_review

    doc, passages = _described("corpus-extra8", "brackenmoor-7min-home-education.pdf")
    # "7-Minute Briefing" says nothing of the subject: the line under it completes it.
    assert doc.title == (
        "7-Minute Briefing: Elective home education: when children drop out of sight"
    )
    # "Learning from the ... review about Tobias" on its cover: all its learning is his,
    # the rules of "What good practice looks like" as much as "What the review found".
    points = [p for p in passages if p.learning]
    assert len(points) >= 5
    assert {learning_review(p, doc) for p in points} == {"Tobias"}


@pytest.mark.parametrize(
    "name",
    [
        p.name
        for p in sorted(PDFS.glob("*.pdf"))
        if "password" not in p.name and "images" not in p.name
    ],
)
def test_every_sample_pdf_with_a_text_layer_is_read(name: str) -> None:
    path = PDFS / name
    parsed = parse(path, read_bytes(path))
    assert segment("x", parsed.blocks)


def test_a_short_real_text_layer_is_not_taken_for_a_scan(tmp_path: Path) -> None:
    path = tmp_path / "hello.pdf"
    path.write_bytes(_hello_pdf())
    parsed = parse(path, read_bytes(path))
    (only,) = segment("hello", parsed.blocks)
    assert only.text == "Hello, World!"


def _hello_pdf() -> bytes:
    """A one-page PDF whose whole text layer is "Hello, World!"."""
    stream = b"BT /F1 24 Tf 72 720 Td (Hello, World!) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
