"""Table tests of the named reading, learning-point and ranking rules: each row is an
example a reader would judge the same way on any document."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.ingest.blocks import is_numbered_paragraph
from kb.ingest.metadata import detect_type, detect_year, find_reviews
from kb.passages.points import point_kind
from kb.passages.roles import section_role
from kb.records import Block, ParsedDocument, Passage
from kb.retrieval.search import Ranked, query_kind, topic_first, weigh_points


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("The review of Baby Q found", ["Baby Q"]),
        ("Learning from Child I and Sibling Group J", ["Child I", "Sibling Group J"]),
        ("Young Person K and 'Family L' were", ["Young Person K", "Family L"]),
        ("As a child I was never asked", []),  # a pronoun, not a case name
        ("the child I worked with", []),
        ("Baby F's mother", ["Baby F"]),
        ("Sibling P had been supported", []),  # a family member, not a review
    ],
)
def test_review_names(text: str, names: list[str]) -> None:
    assert find_reviews(text) == names


def _parsed(
    front: tuple[str, ...] = (), running: tuple[str, ...] = (), body: str = ""
) -> ParsedDocument:
    blocks = (Block("paragraph", body, 1),) if body else ()
    return ParsedDocument("x.pdf", blocks, front_matter=front, running_lines=running)


@pytest.mark.parametrize(
    ("front", "running", "body", "year"),
    [
        (("Published: September 2019",), (), "The Children Act 1989 applies.", 2019),
        (("Review completed: June 2021. Author: Dr A",), (), "", 2021),
        ((), ("Kestrel Vale SCP | 7-minute briefing | October 2019",), "", 2019),
        (("Learning from Reviews Briefing No. 6 - November 2020",), (), "", 2020),
        # Cited Acts and guidance never date a document.
        ((), (), "Working Together to Safeguard Children 2018 and the Children Act 1989", None),
        ((), (), "In 2016 and again in 2016, then in 2017 under the Children Act 1989", 2016),
    ],
)
def test_document_year(
    front: tuple[str, ...], running: tuple[str, ...], body: str, year: int | None
) -> None:
    assert detect_year("Untitled", Path("x.pdf"), _parsed(front, running, body)).value == year


@pytest.mark.parametrize(
    ("title", "front", "doc_type"),
    [
        ("Serious Case Review: Baby Q", (), "serious case review"),
        ("Child Safeguarding Practice Review: Child T", (), "child safeguarding practice review"),
        ("7-minute briefing: Bruising in non-mobile babies", (), "7-minute briefing"),
        ("Hidden men", ("Learning from Reviews Briefing No. 6",), "thematic briefing"),
        ("Learned Lessons Review: Sibling Group J", (), "learned lessons review"),
        ("Annual Report 2016-17", (), "annual report"),
        ("Transfer of cases", ("Transfer | Safeguarding Children Procedures Manual",), "procedure"),
        ("Neglect toolkit", (), "toolkit"),
        ("Rapid review: Child X", (), "rapid review"),
    ],
)
def test_document_type(title: str, front: tuple[str, ...], doc_type: str) -> None:
    assert detect_type(title, _parsed(front)).value == doc_type


def _passage(
    text: str, kind: str = "bullet", section: tuple[str, ...] = (), context: str = ""
) -> Passage:
    return Passage("d", 0, text, 1, section, kind, context=context)


@pytest.mark.parametrize(
    ("passage", "doc_type", "expected"),
    [
        # Learning under a learning heading or lead-in, or labelled so.
        (
            _passage(
                "Children who are criminally exploited are victims first.",
                section=("Key learning",),
            ),
            "",
            "learning",
        ),
        (
            _passage("Learning point: never use a child as an interpreter.", "paragraph"),
            "",
            "learning",
        ),
        # The story of one case is not a point, even under a learning heading.
        (
            _passage(
                "The health visitor believed the protocol did not apply.",
                section=("Learning from Baby Q",),
            ),
            "",
            "",
        ),
        (
            _passage("A man in the household was never named or checked.", section=("Learning",)),
            "",
            "",
        ),
        # A finding about practice in general is a point; one about the case's child is not.
        (
            _passage(
                "Children were not always seen on their own.",
                context="In some cases the following issues were found:",
            ),
            "",
            "learning",
        ),
        (
            _passage(
                "Asking a young person about the men in their life gives a fuller picture.",
                section=("Finding 4: Men",),
            ),
            "",
            "finding",
        ),
        (
            _passage(
                "Child T's father was never contacted by any agency.",
                "paragraph",
                ("Findings", "Finding 4: Men"),
            ),
            "",
            "",
        ),
        # Recommendations and a procedure's rules; a checklist item.
        (
            _passage(
                "Agree a shared transfer agreement with neighbouring authorities.",
                section=("Recommendations",),
            ),
            "",
            "recommendation",
        ),
        (
            _passage("3.1 The social worker must inform their manager the same day.", "paragraph"),
            "procedure",
            "rule",
        ),
        (
            _passage("Never close a case on the assumption that the other area has it.", "bullet"),
            "toolkit",
            "rule",
        ),
        # Not points: lead-ins, scope statements, questions, statistics.
        (
            _passage(
                "The partnership has agreed the following actions:", "paragraph", ("Actions",)
            ),
            "",
            "",
        ),
        (
            _passage("1.3 This procedure should be read with the regional protocol.", "paragraph"),
            "procedure",
            "",
        ),
        (
            _passage(
                "How would I challenge a colleague who decided not to refer?", section=("Learning",)
            ),
            "",
            "",
        ),
        (
            _passage(
                "In 2016 there were 309 children on plans, up 12% from 276.",
                "paragraph",
                ("Learning",),
            ),
            "",
            "",
        ),
    ],
)
def test_learning_point_kind(passage: Passage, doc_type: str, expected: str) -> None:
    assert point_kind(passage, doc_type) == expected


@pytest.mark.parametrize(
    ("text", "paragraph"),
    [
        ("1. Look at the whole baby, in a good light, and record what you see.", False),
        ("2. This review concerns four siblings. The review was agreed in 2021.", True),
        ("(a) Tell your safeguarding lead.", False),
    ],
)
def test_numbered_item_or_numbered_paragraph(text: str, paragraph: bool) -> None:
    assert is_numbered_paragraph(text) is paragraph


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("fathers", "topic"),
        ("case transfer", "topic"),
        ("what should happen after a child goes missing", "question"),
        ("can a child interpret for their parents", "question"),
        (
            "Baby with a bruise on his cheek; mother says the toddler hit him. Her partner stays.",
            "case",
        ),
    ],
)
def test_query_kind(query: str, kind: str) -> None:
    assert query_kind(query) == kind


def test_learning_points_outrank_text_that_matches_as_well() -> None:
    ranked = [Ranked(1, 1.0), Ranked(2, 0.9), Ranked(3, 0.8)]
    kinds = {1: "", 2: "learning", 3: "rule"}
    order = [r.passage_id for r in weigh_points(ranked, kinds, {"": 0.7})]
    assert order == [2, 3, 1]


def test_the_story_of_the_case_weighs_less_but_a_point_in_it_does_not() -> None:
    ranked = [Ranked(1, 1.0), Ranked(2, 0.9), Ranked(3, 0.6), Ranked(4, 0.5)]
    kinds = {1: "", 2: "", 3: "", 4: "learning"}
    roles = {1: "story", 2: "", 3: "", 4: "story"}
    order = [r.passage_id for r in weigh_points(ranked, kinds, {}, roles, {"story": 0.4})]
    assert order == [2, 3, 4, 1]


@pytest.mark.parametrize(
    ("section", "role"),
    [
        ("What happened", "story"),
        ("3 Summary of the case > 3.2 Key practice episodes", "story"),
        ("3 Summary of the case > 3.1 Family background", "story"),
        ("About Child T", "story"),
        ("(ii) Background", "story"),
        ("Chronology of agency involvement", "story"),
        ("3.2.4 Episode 4: the bruise at seven weeks", "story"),
        ("Why this review was carried out", "method"),
        ("2 Process of the review", "method"),
        ("1. Introduction", "method"),
        ("Context > Introduction", "method"),
        ("Terms of reference", "method"),
        ("Methodology", "method"),
        # Findings and learning about episodes, families or backgrounds are not the story.
        ("Findings > Finding 2: Missing episodes were recorded but not understood", ""),
        ("Learning > The father's role", ""),
        ("Key learning", ""),
        ("Working with families from different backgrounds", ""),
        ("Recommendations", ""),
        ("", ""),
    ],
)
def test_section_role(section: str, role: str) -> None:
    assert section_role(section) == role


def test_a_topic_leads_with_its_learning_and_rules_then_findings() -> None:
    ranked = [Ranked(9, 1.0), Ranked(1, 0.9)]
    points = [(1, 0.8), (2, 0.7), (3, 0.6)]
    kinds = {1: "finding", 2: "rule", 3: "learning"}
    order = [r.passage_id for r in topic_first(ranked, points, kinds)]
    assert order == [2, 3, 1, 9]


@pytest.mark.parametrize(
    ("table", "caption", "statements"),
    [
        # Headings over the values, with the corner cell blank: each row under them.
        (
            "2015 | 2016\nEngland | 6% | 9%",
            "Children who went missing",
            ["Children who went missing: England: 2015 6%; 2016 9%"],
        ),
        # A first row of data is a row, not headings.
        ("Chair | 17,850\nWebsite | 1,500", "", ["Chair 17,850", "Website 1,500"]),
    ],
)
def test_table_rows_read_as_statements(table: str, caption: str, statements: list[str]) -> None:
    from kb.answer.qa import table_statements

    assert table_statements(table, caption) == statements


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            [
                "Serious Case Review",
                "Child Z",
                "Practitioners should see the child alone at every visit.",
            ],
            "Serious Case Review Child Z",
        ),
        (["HARROWGATE SAFEGUARDING CHILDREN BOARD", "Annual Report 2016 to 2017"], None),
    ],
)
def test_a_title_read_from_opening_lines_stops_at_the_text(
    lines: list[str], title: str | None
) -> None:
    from kb.ingest.metadata import detect_title

    blocks = tuple(Block("paragraph", line, 1) for line in lines)
    found = detect_title(ParsedDocument("x.txt", blocks), Path("x.txt")).value
    assert found == (title or "Harrowgate Safeguarding Children Board Annual Report 2016 to 2017")
