"""Table tests of the named rules (kb/rules/, and the ranking rules of kb/retrieval/): each
row is an example a reader would judge the same way on any document.

Size: about 480 lines, over ~400 on purpose: one table per rule module, in the order of
kb/rules/, so that whoever changes a rule finds its examples in one file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kb.ingest.blocks import is_numbered_paragraph, lines_to_blocks
from kb.ingest.metadata import detect_type, detect_year, find_reviews
from kb.passages.points import point_kind
from kb.passages.roles import section_role
from kb.records import Block, ParsedDocument, Passage
from kb.retrieval.search import Ranked, query_kind, topic_first, weigh_points
from kb.rules.metadata import REVIEW_TOLD


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
        ("The review of Child LW and Family JJ", ["Child LW", "Family JJ"]),  # two initials
        ("Child CP plans and Child LA meetings", []),  # acronyms of the glossary
        # A pseudonym where it is introduced as a review; words of the trade are none.
        ("Child Ruby: child safeguarding practice review (2023)", ["Child Ruby"]),
        ("Baby Ava - local learning review", ["Baby Ava"]),
        ("Child Ruby had been seen", []),
        ("Child Ruby: Child Safeguarding Practice Review", ["Child Ruby"]),
        ("Child LA: rapid review", ["Child LA"]),  # initials, though an acronym too
        ("Child Protection: a review of conference practice", []),
        ("Child Death Overview Panel: annual review", []),
        ("Family Hub: review of provision", []),  # no kind of review named
        ("Baby Steps, the review found", []),
        # A first name said to be a review's: "the local review of Jordan".
        ("the review of Child F and the local review of Jordan", ["Child F", "Jordan"]),
        ("the serious case review into Amira, published in 2023", ["Amira"]),
        ("a review of Practice Standards", []),
        ("a review of Ellesmoor's early help offer", []),  # a place's
        ("the review of Neglect in Ellesmoor", []),
        # The clause must end at the name: organisations, places and months are no reviews.
        ("a review of Ofsted inspections", []),
        ("a review of January 2020 data", []),
        ("the review of Hampshire and Isle of Wight arrangements", []),
        ("a review of Police.", []),
        ("Learning from the local review about Tobias · Published June 2024", ["Tobias"]),
        ("the review of Housing found that families waited too long", []),
        ("a review of Practice Standards found gaps", []),
        # A first name in a list of reviews is read with the whole document (below).
        ("Learning from the reviews for Child P and Riley", ["Child P"]),
        # A pseudonym with a person word after a named kind of review; services, topics
        # and hyphenated words after a bare "review of" are none.
        ("the rapid review concerning Baby Ezra, who was injured at four weeks", ["Baby Ezra"]),
        ("the serious case review into Family W (2018)", ["Family W"]),
        ("a review of Family Hubs.", []),
        ("the review of Child Safety.", []),
        ("Thematic Review of Self-Harm", []),
        ("a review of Multi-Agency (MASH) arrangements", []),
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
        # A season dates a newsletter's issue as a month would.
        (("Newsletter - Issue 9, Spring 2024",), (), "In 2023 two reviews began in 2023.", 2024),
        # Cited Acts and guidance never date a document.
        ((), (), "Working Together to Safeguard Children 2018 and the Children Act 1989", None),
        ((), (), "In 2016 and again in 2016, then in 2017 under the Children Act 1989", 2016),
    ],
)
def test_document_year(
    front: tuple[str, ...], running: tuple[str, ...], body: str, year: int | None
) -> None:
    assert detect_year("Untitled", Path("x.pdf"), _parsed(front, running, body)).value == year


def test_a_year_the_opening_text_tells_of_does_not_date_the_document() -> None:
    # No cover page: the opening lines run on past the first heading, where the text dates
    # the reviews it passes on, not itself.
    front = (
        "Online sexual abuse: it happens offline too",
        "Wendham Safeguarding Children Partnership, March 2024. For practitioners.",
        "About this briefing",
        "This briefing passes on the learning from two local reviews completed in 2023.",
    )
    blocks = (
        Block("title", front[0], 1),
        Block("paragraph", front[1], 1),
        Block("heading", front[2], 1, level=1),
        Block("paragraph", front[3], 1),
    )
    parsed = ParsedDocument("b.pdf", blocks, front_matter=front)
    assert detect_year("Online sexual abuse", Path("b.pdf"), parsed).value == 2024


@pytest.mark.parametrize(
    ("title", "doc_type", "reviews"),
    [
        ("Learned lessons review: Leah", "learned lessons review", ["Leah"]),
        ("Leah - a practice review", "child safeguarding practice review", ["Leah"]),
        ("Serious Case Review: Overview Report", "serious case review", []),
        # Quoted, and the part of the report it is after it.
        (
            "Child Safeguarding Practice Review: 'Leo': Executive summary",
            "child safeguarding practice review",
            ["Leo"],
        ),
        ("Serious case review: Neglect: the hidden harm", "serious case review", []),
        ("Serious Case Review - Brackenshire - July 2019", "serious case review", []),
        ("Serious Case Review: Hospital Admissions - learning", "serious case review", []),
        ("Neglect: a thematic review", "thematic briefing", []),  # no review's own report
    ],
)
def test_a_review_named_in_its_own_title(title: str, doc_type: str, reviews: list[str]) -> None:
    from kb.ingest.metadata import detect_reviews

    assert detect_reviews(title, doc_type, _parsed()).value == reviews


@pytest.mark.parametrize(
    ("title", "body", "reviews"),
    [
        # A subtitle saying who the child was, where the text writes of her as a person.
        (
            "Local Child Safeguarding Practice Review: Rosa: A young carer who was seen as coping",
            "Rosa managed her mother's medication. Rosa told her tutor she was tired.",
            ["Rosa"],
        ),
        # ... not a place or a thing the text never writes of so, or only once in passing.
        (
            "Serious Case Review: Brackenshire: the partnership's response",
            "Brackenshire has two hospitals and a large rural area.",
            [],
        ),
        (
            "Serious Case Review: Bruising: the response to injuries in non-mobile babies",
            "Bruising in a baby who is not yet crawling is rare, whatever her parents say.",
            [],
        ),
    ],
)
def test_a_review_titled_with_a_subtitle(title: str, body: str, reviews: list[str]) -> None:
    from kb.ingest.metadata import detect_reviews

    parsed = _parsed((), (), body)
    assert detect_reviews(title, "child safeguarding practice review", parsed).value == reviews


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
        ("Learning from local reviews 2023 to 2024", (), "thematic briefing"),  # several reviews
        # An audit of many cases reports its themes as a thematic review does.
        ("Multi-agency Audit: Domestic abuse and children under five", (), "thematic briefing"),
        ("Multi-agency Case Audit Toolkit", (), "toolkit"),
        ("Multi-Agency Audit Group Annual Report 2022-23", (), "annual report"),
        ("Joint audit protocol for section 47 enquiries", (), "procedure"),
        # A web page's site names the kind of document each of its pages is.
        (
            "Safeguarding Disabled Children",
            ("Sallowmere Safeguarding Children Partnerships - Online Procedures",),
            "procedure",
        ),
        # A newsletter or bulletin passes on reviews' learning as a briefing does.
        ("Learning Matters", ("The learning newsletter, Spring 2024",), "thematic briefing"),
        ("Safeguarding bulletin: spring 2024", (), "thematic briefing"),
        # An issue number is a procedure's or agreement's version too.
        ("Escalation of professional disagreements", ("Issue 3 – April 2023",), "other"),
        ("Serious Case Review: Child H", ("Issues for the partnership",), "serious case review"),
        # A cover sentence that names another document does not name this one's type.
        (
            "Untitled",
            ("Share them in team meetings. A 7-minute briefing on each review is available.",),
            "other",
        ),
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
        # A norm in a report's context, a procedure's introduction or the case's story is
        # no lesson; labelled, or under a learning heading there, it is.
        (
            _passage(
                "When early help does not work, there is a need for the local authority to act.",
                "paragraph",
                ("Context - Local Demographics", "Early Help"),
            ),
            "annual report",
            "",
        ),
        (
            _passage(
                "1.1 Families who move between areas are at risk; services must work together.",
                "paragraph",
                ("1. Introduction",),
            ),
            "procedure",
            "",
        ),
        (
            _passage(
                "Learning point: practitioners should ask who lives in the household.",
                "paragraph",
                ("What happened",),
            ),
            "serious case review",
            "learning",
        ),
        (
            _passage(
                "Practitioners should ask who lives in the household.",
                "bullet",
                ("Background", "Lessons for practice"),
            ),
            "serious case review",
            "learning",
        ),
        (
            _passage(
                "Practitioners must complete the toolkit with the family.",
                "paragraph",
                ("Introduction to the neglect toolkit", "Using the toolkit"),
            ),
            "toolkit",
            "rule",
        ),
        # The story of the case, its child named by initials, is no point under a learning
        # heading; a checklist's "I have..." is one.
        (
            replace(
                _passage(
                    "RD's father had been in prison for eighteen months.",
                    "bullet",
                    ("Learning from Child RD",),
                ),
                reviews=("Child RD",),
            ),
            "7-minute briefing",
            "",
        ),
        (
            _passage(
                "I have told the carer and parent about their duty to notify.",
                "bullet",
                ("Practitioner checklist",),
            ),
            "toolkit",
            "rule",
        ),
        # "What this means for practice" heads learning, even under "What the review found".
        (
            _passage(
                "Observe the child: how they are with their parent and what they eat.",
                "bullet",
                ("Lily-Mae", "What the review found", "What this means for practice"),
            ),
            "thematic briefing",
            "learning",
        ),
        # A statement of anyone of a kind, in the present, is no story; a past one is.
        (
            _passage(
                'A father described as "not involved" at booking may be very involved by the'
                " time the baby is born. Check again at every contact.",
                "bullet",
                ("Lessons for practice: the men in a baby's life",),
            ),
            "child safeguarding practice review",
            "learning",
        ),
        (
            _passage(
                "A man who was described as a friend had moved in and was never named.",
                "bullet",
                ("Lessons for practice",),
            ),
            "child safeguarding practice review",
            "",
        ),
        (
            _passage(
                "A neighbour told police that the children are left alone at night.",
                "bullet",
                ("Lessons for practice",),
            ),
            "child safeguarding practice review",
            "",
        ),
        (
            _passage(
                "Chronologies should be read alongside case records so that harm is seen.",
                "paragraph",
                ("5. Chronologies",),
            ),
            "procedure",
            "rule",
        ),
        # An analysis opening on what holds of any case states learning; one opening on the
        # case tells it.
        (
            _passage(
                "6.3.3 A criminal records certificate is only one part of safe recruitment. The"
                " club relied on the certificate and took up no references.",
                "paragraph",
                ("6 Analysis", "6.3 Information held by the police"),
            ),
            "child safeguarding practice review",
            "learning",
        ),
        (
            _passage(
                "5.15 The GP and the health visitor both heard that the parents were exhausted.",
                "paragraph",
                ("5. Findings", "Finding 5: Support with crying reached the mother only"),
            ),
            "child safeguarding practice review",
            "",
        ),
        (
            _passage(
                "Neglect is the most common reason for a plan in this area, yet agencies"
                " find it hardest to recognise.",
                "paragraph",
                ("Introduction",),
            ),
            "child safeguarding practice review",
            "",  # not in the analysis: the setting of the report
        ),
        # The questions a heading tells the practitioner to ask are what to do.
        (
            _passage(
                "Who else lives in or often stays at the house?",
                "bullet",
                ("6 Practice points: what you should ask",),
            ),
            "7-minute briefing",
            "rule",
        ),
        # What the document is and how to read it is no rule, whatever it says "must".
        (
            _passage(
                "This page answers the questions practitioners most often ask. It explains"
                " what you must do while a child waits for an assessment.",
                "paragraph",
                ("Children waiting for help",),
            ),
            "procedure",
            "",
        ),
        (
            _passage(
                "Schools follow the steps below. It should be read with the Children Missing"
                " Education Policy.",
                "paragraph",
                ("4. Responsibilities of schools",),
            ),
            "procedure",
            "",
        ),
        # "What could be better" holds findings; what went wrong, told in general.
        (
            _passage(
                "Safe sleep advice was only ever given to the mother.",
                "bullet",
                ("What could be better",),
            ),
            "rapid review",
            "finding",
        ),
        # "The school's ...": a possessive names one owner, so this is the case's story
        # (praise of one school's response), not a general statement about schools.
        (
            _passage(
                "The school's response to the eldest child's disclosure was prompt and"
                " sensitive, and is an example of good practice.",
                "paragraph",
                ("Learning", "Culture, faith and physical chastisement"),
            ),
            "learned lessons review",
            "",
        ),
        # "Key points" name no kind of point: an annual report's are its activity.
        (
            _passage(
                "The partnership held four board meetings and two development days.",
                "bullet",
                ("Key points",),
            ),
            "annual report",
            "",
        ),
        # How often something happened speaks of practice in general, not of one case.
        (
            _passage(
                "The child's voice was not always heard in assessments.",
                "bullet",
                ("Key learning",),
            ),
            "serious case review",
            "learning",
        ),
        # Under a finding heading, a past-tense item told of the family is the story.
        (
            _passage(
                "He was not seen on his own at any of the home visits.", "bullet", ("Findings",)
            ),
            "serious case review",
            "",
        ),
        (
            _passage("The mother told the GP she was struggling to cope.", "bullet", ("Findings",)),
            "serious case review",
            "",
        ),
        # A title-case instruction or a labelled point is still a point.
        (
            _passage(
                "Refer to Children's Social Care, MASH or Early Help", "bullet", ("What to do",)
            ),
            "procedure",
            "rule",
        ),
        (
            _passage(
                "Recommendation 2: The Partnership Should Commission Training On Curiosity",
                "bullet",
                ("Recommendations",),
            ),
            "serious case review",
            "recommendation",
        ),
        # A plan's priorities under "its key themes being:" are no findings.
        (
            _passage(
                "Keeping children and young people safe online",
                "bullet",
                ("Themed focus",),
                context="The plan puts more focus on young people; its key themes being:",
            ),
            "annual report",
            "",
        ),
        # A training log is no lessons table.
        (
            _passage(
                "Learning activity | Date | Attendance\nNeglect briefing for GP practices | June"
                " 2023 | 45",
                "table",
                ("Learning and development",),
            ),
            "annual report",
            "",
        ),
        # A year is a date, not a figure: an action plan's row is no statistics.
        (
            _passage(
                "No. | Recommendation and action | Owner | By when\n11 | Re-audit twenty cases to"
                " test the impact of these actions. | Quality Assurance Subgroup | October 2024",
                "table",
                ("9 Recommendations and action plan",),
            ),
            "thematic briefing",
            "recommendation",
        ),
        # A table whose header names its rows' kind ("Lesson | Agencies") lists points.
        (
            _passage(
                "Lesson | Agencies\nLow-level concerns about an adult's conduct should be recorded"
                " and shared so that a pattern can be recognised. | Sports clubs; schools",
                "table",
                ("7 Lessons learned",),
            ),
            "serious case review",
            "learning",
        ),
        (
            _passage(
                "Date | Agency | Key event\nMay 2013 | Club | A parent complained about messages.",
                "table",
                ("Lessons learned",),
            ),
            "serious case review",
            "",
        ),
        # The common themes of several reviews are their findings; a bullet that is a name in
        # title case ("its key themes being: ...") states nothing.
        (
            _passage(
                "Services closed the door on non-attendance instead of reaching out",
                "bullet",
                ("Common themes from both reviews",),
            ),
            "thematic briefing",
            "finding",
        ),
        (
            _passage(
                "Keeping Children and Young People Safe",
                "bullet",
                ("Themed focus",),
                context="The plan puts more focus on young people; its key themes being:",
            ),
            "annual report",
            "",
        ),
        # An instruction after the condition it applies in (which may hold commas); not the
        # story told after when it happened.
        (
            _passage(
                "Where the child is old enough, speak to them on their own, away from the parent.",
                "paragraph",
                ("How do I make sure the child's voice is heard?",),
            ),
            "procedure",
            "rule",
        ),
        (
            _passage(
                "If a child, young person or adult discloses abuse, listen carefully.",
                "paragraph",
                ("What to do",),
            ),
            "procedure",
            "rule",
        ),
        (
            _passage(
                "When the family moved to the area, work with them stopped for three months.",
                "paragraph",
                ("Neglect",),
            ),
            "thematic briefing",
            "",
        ),
        (
            _passage(
                "After the referral, contact with the family was lost.", "paragraph", ("Neglect",)
            ),
            "thematic briefing",
            "",
        ),
        # The story of the case tells what was believed then: no rule, though it says
        # "should".
        (
            _passage(
                "The school understood that it should not offer counselling while a CAMHS"
                " referral was open.",
                "paragraph",
                ("What happened",),
            ),
            "learned lessons review",
            "",
        ),
        # Under a finding heading an item told in the past tense is a finding, unless it
        # names someone of the case.
        (
            _passage(
                "The advice given concentrated on the ideal sleeping arrangement and did not"
                " talk about what to do when routines change.",
                "bullet",
                ("What could be better",),
            ),
            "rapid review",
            "finding",
        ),
        (
            _passage("Mr S was never invited to an appointment.", "bullet", ("Findings",)),
            "serious case review",
            "",
        ),
        # A subject that says "impact" is no outcome heading; "GP" opens no child's story.
        (
            _passage(
                "Practitioners must consider the impact on every child in the household.",
                "paragraph",
                ("The impact of domestic abuse on children",),
            ),
            "procedure",
            "rule",
        ),
        (
            _passage(
                "GP practices did not share records with schools when children moved.",
                "bullet",
                ("Findings",),
            ),
            "serious case review",
            "finding",
        ),
        # Right under "What has changed": what was done since, not what to do; further up
        # ("Auditing activity > Audit of agency checks") an outcome heading decides nothing.
        (
            _passage(
                "The pre-birth protocol has been revised so that a referral must be made by"
                " 20 weeks.",
                "paragraph",
                ("Baby Ava: local learning review", "What has changed"),
            ),
            "thematic briefing",
            "",
        ),
        (
            _passage(
                "Local authorities need to carry out thorough enquiries when a child appears"
                " to be at risk of significant harm.",
                "paragraph",
                ("Auditing activity", "Audit of agency checks"),
            ),
            "annual report",
            "learning",
        ),
        # A rule that ends on the question it tells the reader to ask states something;
        # questions alone do not.
        (
            _passage(
                "Closure of an adult case should prompt the question: is this person, or"
                " their partner, pregnant or caring for a child?",
                "paragraph",
                ("Learning point",),
            ),
            "child safeguarding practice review",
            "learning",
        ),
        (_passage("Why is it missed?", "bullet", ("Lessons",)), "thematic briefing", ""),
        (
            _passage("Questions for supervision: should we have acted sooner?", "paragraph"),
            "thematic briefing",
            "",
        ),
        # A rule before the sentence that introduces its steps; a lead-in alone is none.
        (
            _passage(
                "8.1 If you believe the young person remains at risk, you must escalate it."
                " Follow these steps in order:",
                "paragraph",
                ("8. Escalation",),
            ),
            "procedure",
            "rule",
        ),
        (
            _passage("The following rules apply to all practitioners:", "paragraph"),
            "procedure",
            "",
        ),
        # Hindsight, the report of itself, or a prompt before a question or a lead-in states
        # no rule; nor does a question under a heading of questions.
        (
            _passage("The school should have referred sooner. Why was this not done?"),
            "child safeguarding practice review",
            "",
        ),
        (
            _passage("We must ask ourselves: why did nobody see him?", "paragraph"),
            "child safeguarding practice review",
            "",
        ),
        (
            _passage("Ask yourself: has the child been seen alone in the last month?"),
            "thematic briefing",
            "",
        ),
        (
            _passage(
                "Think about your caseload. How many of these children have you seen alone?",
                "bullet",
                ("Questions for reflection",),
            ),
            "thematic briefing",
            "",
        ),
        (
            _passage(
                "Agencies should have shared information. The panel identified the following"
                " learning:",
                "paragraph",
                ("Key learning",),
            ),
            "child safeguarding practice review",
            "",
        ),
        # A checklist's items may be questions to tick; a dos-and-don'ts row is a rule; a
        # box may be headed "Lessons for practice".
        (
            _passage(
                "☐ Have all the agencies involved been told that the case is closing?",
                "bullet",
                ("Checklist before closing a case",),
            ),
            "toolkit",
            "rule",
        ),
        (
            _passage(
                "Have I spoken with the father or male carer, not only the mother?",
                "bullet",
                ("Themes across the reviews",),
                context="Checklist for practitioners, drawn from all three reviews:",
            ),
            "annual report",
            "rule",
        ),
        (
            _passage(
                "Do | Don't\nLook at the pattern of use over time | Be reassured by one test",
                "table",
                ("Dos and don'ts",),
            ),
            "toolkit",
            "rule",
        ),
        (
            _passage(
                "Lessons for practice\nWhen a child misses appointments, ask why the child was"
                " not brought. A disabled child who is not brought should not be discharged.",
                "table",
                ("5.3 Callum", "What we learned"),
            ),
            "annual report",
            "learning",
        ),
        # A box headed by a kind that reports what was done or tells the story.
        (
            _passage(
                "Action\nTraining on neglect was delivered to 300 staff in May.",
                "table",
                ("What has changed",),
            ),
            "annual report",
            "",
        ),
        (
            _passage("Learning\nThe family moved house four times in a year.", "paragraph"),
            "child safeguarding practice review",
            "",
        ),
        # A box whose first line is its kind.
        (
            _passage(
                "Learning point\nAsk every family who looks after the children when the main"
                " carer is not there.",
                "table",
                ("Child W: a drowning",),
            ),
            "thematic briefing",
            "learning",
        ),
        # A paragraph that says it states the lesson, under any heading but the story's.
        (
            _passage(
                "5.4.4 Auditors noted a recurring tendency to treat neglect in older children as"
                " a consequence of their behaviour. The lesson is that adolescent neglect"
                " should be assessed with the same rigour as neglect of younger children.",
                "paragraph",
                ("5.4 Multi-agency audits", "Audit 1: Neglect of adolescents"),
            ),
            "annual report",
            "learning",
        ),
        (
            _passage(
                "The central lesson of this review is that abuse in community settings is"
                " rarely hidden completely.",
                "paragraph",
                ("Executive summary",),
            ),
            "serious case review",
            "learning",
        ),
        (
            _passage(
                "Welcome to the spring issue of our learning newsletter. In this issue we"
                " summarise two reviews completed in the last six months.",
                "paragraph",
                ("Welcome",),
            ),
            "thematic briefing",
            "",
        ),
        # A condition told in the past opens a story; a duty felt is no norm.
        (
            _passage(
                "When the family relocated, work with them stopped. The family were known to"
                " four local authorities.",
                "paragraph",
                ("Key learning",),
            ),
            "serious case review",
            "",
        ),
        (
            _passage(
                "Many young carers feel they have a duty to hide their caring role from school"
                " staff, fearing the family will be split up.",
                "paragraph",
                ("3. What young carers told us",),
            ),
            "annual report",
            "",
        ),
        # ... but a passive after an adverb, or a perfect, is a condition of the rule.
        (
            _passage(
                "If you think that illness is being deliberately induced, make a referral to"
                " children's social care straight away. Do not wait for medical confirmation.",
                "paragraph",
                ("What should I do if I am worried?",),
            ),
            "procedure",
            "rule",
        ),
        # A perfect tense tells the case.
        (
            _passage(
                "She has been described by her teachers as quiet and withdrawn.",
                "bullet",
                ("Key learning",),
            ),
            "serious case review",
            "",
        ),
        # Under a learning heading, an instruction after the condition it applies in opens
        # the learning; a duty the law sets is a norm.
        (
            _passage(
                "When a child misses a health appointment, ask why. For young carers, missed"
                " appointments are often a sign of their caring role. Before discharging a"
                " child, contact the referrer and the family.",
                "paragraph",
                ("Learning point 3: A missed appointment is a message",),
            ),
            "child safeguarding practice review",
            "learning",
        ),
        (
            _passage(
                "Local authorities have a duty to assess whether a young carer within their"
                " area has needs for support. Closing a referral because a parent did not"
                " respond meant that this duty was not met. The referrer was not told.",
                "paragraph",
                ("5 Analysis and findings", "Finding 3: The referral was closed"),
            ),
            "child safeguarding practice review",
            "finding",
        ),
        # A participle after "being" or "been" tells no story ("needs are not being met").
        (
            _passage(
                "3.4 If you believe that a child is suffering significant harm because their"
                " health needs are not being met, make a referral to the Hub without delay.",
                "paragraph",
                ("3. Responding to a missed appointment",),
            ),
            "procedure",
            "rule",
        ),
        # A table whose header names its rows' kind holds points under any heading.
        (
            _passage(
                "No. | Recommendation | Lead | By\nA1 | Adapt the neglect assessment tool for use"
                " with adolescents. | Children's Services | October 2024",
                "table",
                ("5.4 Multi-agency audits", "Audit 1: Neglect of adolescents"),
            ),
            "annual report",
            "recommendation",
        ),
        (
            _passage(
                "Finding | Evidence\nPlans did not say what would change for the child | 9 of 12",
                "table",
                ("Audit 2",),
            ),
            "annual report",
            "finding",
        ),
        # A box whose title says what it holds, in words of its own.
        (
            _passage(
                "Lessons from Child K for every practitioner\nNeglect is rarely a single event."
                " When you see a concern about neglect, ask what has happened before.",
                "table",
                ("4. Learning from reviews", "Child K"),
            ),
            "annual report",
            "learning",
        ),
        # ... but not one whose title names no kind, nor a title that is a sentence.
        (
            _passage(
                "Case example (anonymised)\nA four-month-old baby was brought to the emergency"
                " department with a bruise to the cheek.",
                "table",
                ("Health in strategy discussions",),
            ),
            "thematic briefing",
            "",
        ),
        (
            _passage(
                "The review made four recommendations.\nEvery agency should ask who cares for"
                " the parent.",
                "table",
                ("Summary",),
            ),
            "annual report",
            "",
        ),
        # A box titled by a name or an offer that merely holds a kind's word.
        (
            _passage(
                "Action for Children\nAction for Children should run the young carers service.",
                "table",
                ("4. Partnership working",),
            ),
            "annual report",
            "",
        ),
        (
            _passage(
                "Learning and development offer\nEvery practitioner should attend the course.",
                "table",
                ("6. Training",),
            ),
            "annual report",
            "",
        ),
        # A table of what was done, whose header also names actions, holds no points.
        (
            _passage(
                "Action | Lead | Status\nLaunch the young carers pathway | Carers Hub | Completed",
                "table",
                ("3. Governance and accountability",),
            ),
            "annual report",
            "",
        ),
        # An audit's findings keep their counts.
        (
            _passage(
                "Finding | Evidence\nChildren were not seen alone at every visit | 11 of 12 cases",
                "table",
                ("Audit 2",),
            ),
            "annual report",
            "finding",
        ),
        (
            _passage(
                "Treat a child found far from home with cash or drugs as a possible victim.",
                "bullet",
            ),
            "thematic briefing",
            "rule",
        ),
    ],
)
def test_learning_point_kind(passage: Passage, doc_type: str, expected: str) -> None:
    assert point_kind(passage, doc_type) == expected


@pytest.mark.parametrize(
    ("doc_type", "title", "section", "review"),
    [
        ("serious case review", "Overview", ("Lessons learned",), "Child RD"),  # its own report
        ("7-minute briefing", "Parents in prison", ("Learning from Child RD",), "Child RD"),
        ("7-minute briefing", "Parents in prison", ("What to do",), None),  # a general rule
        ("7-minute briefing", "Learning from Child RD", ("Key learning",), "Child RD"),
        ("procedure", "Missing education", ("4. Responsibilities of schools",), None),
        # "The review" in a heading is the document's one review.
        ("7-minute briefing", "Parents in prison", ("4 What the review found",), "Child RD"),
        ("annual report", "Annual report", ("Learning from the review",), "Child RD"),
        ("7-minute briefing", "Parents in prison", ("4 Reviewing the plan",), None),
    ],
)
def test_the_review_a_point_comes_from(
    doc_type: str, title: str, section: tuple[str, ...], review: str | None
) -> None:
    from kb.passages.points import learning_review
    from kb.records import Document

    doc = Document("d", "d.pdf", title, doc_type, 2023, ("Child RD",), "0")
    point = _passage("Practitioners should ask the child how they feel.", "bullet", section)
    assert learning_review(point, doc) == review


@pytest.mark.parametrize(
    ("doc_type", "source", "section", "kind", "review"),
    [
        # A briefing on one review it tells of passes on its learning: its key messages are
        # the review's ...
        ("7-minute briefing", REVIEW_TOLD, ("7 Key messages",), "learning", "Child RD"),
        ("thematic briefing", REVIEW_TOLD, ("Learning for practice",), "learning", "Child RD"),
        # ... while its rules are the law's or the procedure's, for every case.
        ("7-minute briefing", REVIEW_TOLD, ("5 What the law requires",), "rule", None),
        # A briefing that names a review once, in passing, states its learning in general.
        ("thematic briefing", "every review it names", ("Key messages",), "learning", None),
        # A procedure that cites a review states its learning in general.
        ("procedure", REVIEW_TOLD, ("Key messages",), "learning", None),
    ],
)
def test_a_briefing_on_one_review_passes_on_its_learning(
    doc_type: str, source: str, section: tuple[str, ...], kind: str, review: str | None
) -> None:
    from kb.passages.points import learning_review
    from kb.records import Document

    doc = replace(
        Document("d", "d.pdf", "Private fostering", doc_type, 2024, ("Child RD",), "0"),
        provenance={"reviews": source},
    )
    point = replace(
        _passage("Every child should have a trusted adult outside the home.", "bullet", section),
        point_kind=kind,
    )
    assert learning_review(point, doc) == review


@pytest.mark.parametrize(
    ("front", "body", "review"),
    [
        # Its cover says whose learning the whole briefing passes on: every point is his.
        (
            ("Learning from the local child safeguarding practice review about Tobias",),
            "Tobias was eleven when his father wrote to the school.",
            "Tobias",
        ),
        # A briefing on a theme that draws on a review in one section states its other
        # rules in general, also where that section is its first (no cover: the opening
        # lines stand for one, up to the first heading).
        ((), "Learning from Child RD: RD's father had been in prison for a year.", None),
        (
            ("1. Background", "Learning from Child RD: RD's father had been in prison."),
            "Learning from Child RD: RD's father had been in prison for a year.",
            None,
        ),
    ],
)
def test_a_briefing_whose_cover_names_its_review_is_that_reviews_learning(
    front: tuple[str, ...], body: str, review: str | None
) -> None:
    from kb.ingest.describe import describe
    from kb.passages.points import learning_review

    blocks = (
        Block("title", "7-Minute Briefing", 1),
        Block("heading", "1. Background", 1, level=1),
        Block("paragraph", body, 1),
    )
    parsed = ParsedDocument("b.pdf", blocks, front_matter=front)
    doc = describe("b", Path("b.pdf"), parsed, "0", 1, {})
    assert doc.doc_type == "7-minute briefing"
    point = _passage(
        "Schools should tell the local authority before a child leaves.",
        "bullet",
        ("What good practice looks like",),
    )
    assert learning_review(point, doc) == review


JAYDEN = "Jayden was fifteen when he was stabbed. It left Jayden with most days unsupervised."


@pytest.mark.parametrize(
    ("headings", "body", "reviews"),
    [
        # A first name heads its section as the reviews' names head theirs, and the text
        # writes of it as of a person.
        (
            ["Child W: a drowning", "Jayden: exclusion and exploitation", "Baby Q: the men"],
            JAYDEN,
            ["Child W", "Baby Q", "Jayden"],
        ),
        (
            ["1 What happened: Child P", "2 What happened: Riley", "3 Why it matters"],
            "Riley was fourteen and lived with her father.",
            ["Child P", "Riley"],
        ),
        # A list of reviews that holds a review's name.
        (
            ["Learning from the reviews for Child P and Riley", "Why it matters"],
            "Riley was fourteen and lived with her father.",
            ["Child P", "Riley"],
        ),
        (
            ["Learning from the reviews of Child H and Harrow", "Why it matters"],
            "Children in Harrow are safer when agencies share what they know.",
            ["Child H"],
        ),
        (
            ["Introduction", "Themes"],
            "It was prompted by two rapid reviews, for Child L and for Reece. Reece told"
            " a worker that he had stayed with an older man.",
            ["Child L", "Reece"],
        ),
        # A list introduced as reviews, its names written of as people ("Baby Steps" is none).
        (
            ["5.1 Reviews published", "5.2 Baby Isla", "5.3 Callum"],
            "Three reviews were published during the year: Baby Isla, Callum and Amira."
            " Callum is twelve and lives with his mother. Amira was 14 when she was hurt."
            " Isla lived with her parents.",
            ["Baby Isla", "Callum", "Amira"],
        ),
        (
            ["Our year", "Training"],
            "Two reviews were published: Baby Steps and Family Court.",
            [],
        ),
        # Services and section words head sections too, but are not written of as people.
        (
            ["Child W: a drowning", "Training: dates for your diary", "Childline: free help"],
            "Multi-agency Training is open to all. Children can call Childline at any time.",
            ["Child W"],
        ),
        (["Jayden: exclusion", "Welcome: this issue"], JAYDEN, []),  # no review's name beside
        # Sections headed by the name alone, beside a review's name: the first name is a
        # review's where the text gives the child's age ("4.6 Theo is thirteen.").
        (
            ["Child K", "Theo", "Summary"],
            "Child K lived with his father.\n4.6 Theo is thirteen. Summary was written later.",
            ["Child K", "Theo"],
        ),
        # Words of the text head sections alone too: not names, though said to be a number.
        (
            ["Child K", "Attendance", "Turnover", "Camden", "Supervision"],
            "Child K lived with his father. Attendance was 92% at meetings. Turnover was 18"
            " last year. Camden is one borough of five.\nSupervision of her team is monthly;"
            " supervision helps.",
            ["Child K"],
        ),
        # The name last must follow the same words as the review's name does.
        (
            ["What happened: Child P", "Contacts: Riley"],
            "Riley was fourteen and lived with her father.",
            ["Child P"],
        ),
    ],
)
def test_a_section_headed_as_the_reviews_are_names_a_review(
    headings: list[str], body: str, reviews: list[str]
) -> None:
    from kb.ingest.metadata import detect_reviews
    from kb.records import Block, ParsedDocument

    blocks = [
        b for h in headings for b in (Block("heading", h, 1, level=1), Block("paragraph", body, 1))
    ]
    parsed = ParsedDocument("n.docx", tuple(blocks))
    assert detect_reviews("Learning Matters", "thematic briefing", parsed).value == reviews


@pytest.mark.parametrize(
    ("blocks", "reviews"),
    [
        # A toolkit cites a review in passing, unless it gives the review a section.
        (
            (
                ("heading", "Learning from the review of Milo"),
                ("paragraph", "Milo was two when he was hurt."),
            ),
            ["Milo"],
        ),
        ((("heading", "Storage"), ("paragraph", "As the review of Milo showed.")), []),
        # Named once, where the text says it is a review's.
        (
            (
                ("heading", "Why we have this toolkit"),
                ("paragraph", "It was rewritten after the serious case review into Family W."),
            ),
            ["Family W"],
        ),
        ((("heading", "Scenario"), ("paragraph", "Family W moved house in May.")), []),
        # Named once after "review of" with no kind of review: a topic, or a child's review.
        ((("heading", "History"), ("paragraph", "Updated after a review of Thresholds.")), []),
        ((("heading", "Reviews"), ("paragraph", "The IRO chairs the review of Child A.")), []),
        # A process heading, or a made-up case the text does not tell of as a person.
        ((("heading", "8. Review of Placements"), ("paragraph", "Placements are reviewed.")), []),
        ((("heading", "Scenario - Baby B"), ("paragraph", "A baby is brought to clinic.")), []),
    ],
)
def test_a_toolkit_cites_a_review_it_gives_a_section(
    blocks: tuple[tuple[str, str], ...], reviews: list[str]
) -> None:
    from kb.ingest.metadata import detect_reviews
    from kb.records import Block, ParsedDocument

    parsed = ParsedDocument("t.html", tuple(Block(k, t, 1, level=1) for k, t in blocks))
    assert detect_reviews("Parental drug use: toolkit", "toolkit", parsed).value == reviews


@pytest.mark.parametrize(
    ("section", "text", "review"),
    [
        # A briefing on two reviews names one by the pseudonym it gave it.
        (("Jordan: learning for practice",), "Find out where the young person sleeps.", "Jordan"),
        (("Child F: what the review found",), "No adult supported his health.", "Child F"),
        # A first name in the text, or a word of a heading that only begins with it, is not
        # the review's name ("Summer holidays" in a briefing on the review of Summer).
        (("What the reviews found",), "Jordan was treated as an adult.", None),
        (("Jordan holidays: keeping safe",), "Plan for the holidays.", None),
        # A general rule of the briefing, and a name only inside another word, name none.
        (("What you should do",), "Never close a case for non-attendance.", None),
        (("Jordanstown: local services",), "Ask the Jordan-based team first.", None),
        # A section given to the review under its name alone.
        (("5.3 Jordan", "What we learned"), "Ask where the young person sleeps.", "Jordan"),
    ],
)
def test_a_point_names_its_review_by_the_documents_name_for_it(
    section: tuple[str, ...], text: str, review: str | None
) -> None:
    from kb.passages.points import learning_review
    from kb.records import Document

    doc = Document(
        "d", "d.pdf", "Adolescent neglect", "thematic briefing", 2023, ("Child F", "Jordan"), "0"
    )
    assert learning_review(_passage(text, "bullet", section), doc) == review


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
        # A question asked after a clause; a long statement describes a case.
        ("toddler brought to A&E very sleepy with no obvious cause, what should we do", "question"),
        (
            "A 15 year old girl in care keeps going missing overnight and has been seen at a"
            " hotel with older men",
            "case",
        ),
        ("lessons on working with fathers who do not live with their children", "topic"),
        ("fathers, who are often invisible to services", "topic"),  # a relative clause
        (
            "lessons from serious case reviews about working with fathers and male carers in"
            " families where there is neglect",
            "topic",  # long, but of no one person
        ),
        (
            "Baby with a bruise on his cheek; mother says the toddler hit him. Her partner stays.",
            "case",
        ),
    ],
)
def test_query_kind(query: str, kind: str) -> None:
    assert query_kind(query) == kind


@pytest.mark.parametrize(
    ("concern", "keywords"),
    [
        (
            "a father caring alone for a baby and a three-year-old",
            "a father caring alone for a baby and a",
        ),
        ("A 13-year-old gymnast gets lifts home", "A gymnast gets lifts home"),
        ("Parents of a 6 month old baby drink heavily", "Parents of a baby drink heavily"),
        ("a girl aged 9 tells her teacher", "a girl tells her teacher"),
        ("a sixteen or seventeen-year-old sofa-surfing", "a sixteen or sofa-surfing"),
        # A span of time is what happened, not an age: it stays.
        ("he has used a wheelchair for a year", "he has used a wheelchair for a year"),
        ("the plan closed two weeks ago", "the plan closed two weeks ago"),
        ("a mother caring for an aged parent", "a mother caring for an aged parent"),
    ],
)
def test_a_concern_is_searched_by_its_words_without_its_age(concern: str, keywords: str) -> None:
    from kb.rules.retrieval import AGE_PHRASE

    assert " ".join(AGE_PHRASE.sub(" ", concern).split()) == keywords


def test_learning_points_outrank_text_that_matches_as_well() -> None:
    ranked = [Ranked(1, 1.0), Ranked(2, 0.9), Ranked(3, 0.8)]
    kinds = {1: "", 2: "learning", 3: "rule"}
    order = [r.passage_id for r in weigh_points(ranked, kinds, {"": 0.7})]
    assert order == [2, 3, 1]


def test_a_topic_query_breaks_near_ties_for_the_learning() -> None:
    from kb.rules.retrieval import POINT_WEIGHTS

    # A vignette 0.0006 above the learning point (corpus-dev's "county lines" query) falls
    # behind it; text that matches clearly better keeps its place.
    ranked = [Ranked(1, 0.6804), Ranked(2, 0.6798), Ranked(3, 0.5)]
    kinds = {1: "", 2: "learning", 3: "learning"}
    order = [r.passage_id for r in weigh_points(ranked, kinds, POINT_WEIGHTS["topic"])]
    assert order == [2, 1, 3]


def test_the_story_of_the_case_weighs_less_but_a_point_in_it_does_not() -> None:
    ranked = [Ranked(1, 1.0), Ranked(2, 0.9), Ranked(3, 0.6), Ranked(4, 0.5)]
    kinds = {1: "", 2: "", 3: "", 4: "learning"}
    roles = {1: "story", 2: "", 3: "", 4: "story"}
    order = [r.passage_id for r in weigh_points(ranked, kinds, {}, roles, {"story": 0.4})]
    assert order == [2, 3, 4, 1]


def test_a_case_wants_the_learning_before_the_finding_told_in_its_words() -> None:
    from kb.rules.retrieval import POINT_WEIGHTS

    # "recently permanently excluded": the finding on Child T's exclusion matches a little
    # better than "Exclusion from school can increase the risk of exploitation".
    ranked = [Ranked(1, 0.64), Ranked(2, 0.60), Ranked(3, 0.4)]
    kinds = {1: "finding", 2: "learning", 3: "finding"}
    order = [r.passage_id for r in weigh_points(ranked, kinds, POINT_WEIGHTS["case"])]
    assert order == [2, 1, 3]
    # A topic query keeps the finding where it matched.
    order = [r.passage_id for r in weigh_points(ranked, kinds, POINT_WEIGHTS["topic"])]
    assert order == [1, 2, 3]


def test_a_concern_weighs_down_the_case_a_review_tells() -> None:
    from kb.rules.retrieval import CONCERN_TOLD_WEIGHT, POINT_WEIGHTS

    # For "13-year-old girl taken out of school to be home educated": a review's analysis
    # of its own girl's withdrawal (1) matches best, a procedure's guidance (3) is no point
    # either, but it is not a case told; the rule that applies (2) comes first.
    ranked = [Ranked(1, 1.0), Ranked(2, 0.6), Ranked(3, 0.75)]
    kinds = {1: "", 2: "rule", 3: ""}
    weighed = weigh_points(
        ranked, kinds, POINT_WEIGHTS["case"], {}, {}, told={1}, told_weight=CONCERN_TOLD_WEIGHT
    )
    assert [r.passage_id for r in weighed] == [2, 3, 1]
    # Read as a whole summary (nothing told), the review's analysis keeps its place.
    plain = weigh_points(ranked, kinds, POINT_WEIGHTS["case"], {}, {})
    assert [r.passage_id for r in plain][0] == 1


@pytest.mark.parametrize(
    ("section", "role"),
    [
        ("What happened", "story"),
        ("3 Summary of the case > 3.2 Key practice episodes", "story"),
        ("3 Summary of the case > 3.1 Family background", "story"),
        ("About Child T", "story"),
        ("(ii) Background", "story"),
        ("1) Background", "story"),
        ("Section 2: Background", "story"),
        ("A. Background", "story"),
        ("Appendix A: Chronology", "story"),
        ("About this toolkit", "method"),  # why and for whom the document was written
        ("9. Related documents", "reference"),  # pointers elsewhere: titles, contacts
        ("Contacts", "reference"),
        ("10. Document history", "reference"),
        ("Contact with a parent in prison", ""),  # a subject, not a list of contacts
        ("Contact", ""),  # contact with birth parents is a subject
        ("Resources: tools to use with families", ""),
        ("Further information sharing was needed", ""),
        ("Who this guidance is for", "method"),
        ("About the toolkit's authors", ""),
        ("Chronology of agency involvement", "story"),
        ("3.2.4 Episode 4: the bruise at seven weeks", "story"),
        ("KPE 1: Birth to six weeks", "story"),
        ("Case background", "story"),
        ("Timeline", "story"),
        ("Why this review was carried out", "method"),
        ("2 Process of the review", "method"),
        ("1. Introduction", "method"),
        ("Introduction and background", "method"),
        ("Context > Introduction", "method"),
        ("Terms of reference", "method"),
        ("Methodology", "method"),
        ("Foreword by the Independent Chair", "context"),
        ("Context - Local Demographics > Early Help", "context"),
        ("Governance and accountability", "context"),
        # Findings, learning and analysis are not the story, even under it.
        ("Findings > Finding 2: Missing episodes were recorded but not understood", ""),
        ("Learning > The father's role", ""),
        ("Background > Lessons for practice", ""),
        ("Key practice episodes > KPE 1: Birth to six weeks > Analysis", ""),
        ("Background and analysis", ""),
        ("Key learning", ""),
        ("Recommendations", ""),
        ("", ""),
        # A heading that only opens with a role's word names something else.
        ("Working with families from different backgrounds", ""),
        ("Background checks and safer recruitment", ""),
        ("4. Circumstances in which a strategy discussion must be held", ""),
        ("The case for change", ""),
        ("Scope for improvement", ""),
        ("Financial exploitation of young people", ""),
        ("Governance of safeguarding in schools", ""),
        # A document's title at the top of every path gives its sections no role.
        ("Introduction to the neglect toolkit > Using the toolkit", ""),
        ("Background briefing: money mules > Spotting the signs", ""),
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
    ("section", "caption", "recommendations"),
    [
        (("Actions",), "The partnership has agreed the following actions in response to it:", True),
        (("6 Recommendations",), "", True),
        (("What the partnership will do",), "", True),
        (("Response to the review",), "", False),  # what was done: an outcome
        (("Actions taken",), "", False),
        (("Chronology",), "Contacts with the family", False),
        # A header row that says the rows are duties: each row a rule.
        (("The rules: what the law requires",), "Who | What they must do", True),
        (("Roles",), "Agency | Responsibilities", True),
        (("Chronology",), "Date | Agency | Key event", False),
        (("Contacts",), "Team | Telephone | Duty hours", False),  # "duty" names no duty
        # A header whose first column names the rows' kind; not under what was done.
        (("7 Lessons learned",), "Lesson | Agencies", True),
        (("Themes",), "Finding | Evidence", True),
        (("Actions taken",), "Action | Lead agency | Status", False),
        (("Learning and development",), "Learning activity | Date | Attendance", False),
        (("Impact",), "Impact of learning | Evidence", False),
        # A caption sentence that mentions progress still introduces recommendations.
        (
            ("6. Recommendations",),
            "The review makes the following recommendations. The board will monitor progress.",
            True,
        ),
    ],
)
def test_a_table_of_recommendations_is_read_a_row_at_a_time(
    section: tuple[str, ...], caption: str, recommendations: bool
) -> None:
    from kb.passages.points import reads_row_by_row

    header = caption if " | " in caption else ""
    caption = "" if header else caption
    assert reads_row_by_row(section, caption, header) is recommendations


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


# -- kb/rules/layout.py: page furniture and PDF list and heading numbers ------------------


@pytest.mark.parametrize(
    ("line", "page_number"),
    [
        ("12", True),
        ("Page 3 of 11", True),
        ("3/11", True),
        ("- 3 -", True),
        ("12 children", False),  # a figure in the text
        ("Section 3 of 11", False),
    ],
)
def test_page_numbers(line: str, page_number: bool) -> None:
    from kb.rules.layout import PAGE_NUMBER

    assert bool(PAGE_NUMBER.match(line)) is page_number


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("•", "bullet"),
        ("➢", "bullet"),
        ("1.", "item"),
        ("(b)", "item"),
        ("iv)", "item"),
        ("4.3", "paragraph"),
        ("4.3.1.", "paragraph"),
        ("Baby", ""),
    ],
)
def test_pdf_list_marks(word: str, role: str) -> None:
    from kb.rules.layout import BULLET_GLYPH, LIST_NUMBER, PARAGRAPH_NUMBER

    found = (
        "bullet"
        if BULLET_GLYPH.match(word)
        else "item"
        if LIST_NUMBER.match(word)
        else "paragraph"
        if PARAGRAPH_NUMBER.match(word)
        else ""
    )
    assert found == role


# -- kb/rules/headings.py: headings in text, their levels, contents lists -----------------


@pytest.mark.parametrize(
    ("line", "kind", "level"),
    [
        ("Key learning", "heading", 3),
        ("Learning from reviews and incidents.", "heading", 3),  # short, no verb
        ("(ii) Learning From Serious Case Review: 'Baby F'", "heading", 2),  # numbered
        ("3- Multi-Agency Audit of Neglect Cases with the Safeguarding Adults Board", "heading", 2),
        ("In some cases the following issues were found", "paragraph", 0),  # introduces a list
        ("The review found that the child was not seen.", "paragraph", 0),  # a sentence
        ("Figure 2 Children on child protection plans", "paragraph", 0),  # a caption
        ("10:30 Meeting with the family", "paragraph", 0),  # a time
        ("Information sharing;", "paragraph", 0),  # a clause
        ("Recommendations:", "paragraph", 0),  # a lead-in
    ],
)
def test_heading_in_text(line: str, kind: str, level: int) -> None:
    body = "The text of the section follows here, in a sentence of its own."
    first = lines_to_blocks([(None, [line, "", body])], reflow=False)[0]
    assert (first.kind, first.level) == (kind, level)


def test_a_contents_list_levels_the_headings_and_is_not_text() -> None:
    lines = "Contents\nIntroduction 3\nKey learning 5\nRecommendations 9\n\nKey learning\n\n"
    lines += "Practitioners should see the baby at every visit, in a good light."
    blocks = lines_to_blocks([(None, lines.split("\n"))], reflow=False)
    assert [(b.kind, b.level, b.text[:12]) for b in blocks] == [
        ("heading", 1, "Key learning"),
        ("paragraph", 0, "Practitioner"),
    ]


# -- kb/rules/formats.py: web-page and Word markup ----------------------------------------


@pytest.mark.parametrize(
    ("words", "furniture"),
    [
        ("cookie-banner", True),
        ("site-header", True),
        ("breadcrumbs", True),
        ("related-links", True),
        ("article-body", False),
        ("main-content", False),
        ("procedure-text", False),
    ],
)
def test_web_page_furniture(words: str, furniture: bool) -> None:
    from kb.rules.formats import FURNITURE

    assert bool(FURNITURE.search(words)) is furniture


@pytest.mark.parametrize(
    ("style", "heading"),
    [("Heading 2", ("Heading", "2")), ("Title", ("Title", "")), ("List Paragraph", None)],
)
def test_word_heading_styles(style: str, heading: tuple[str, str] | None) -> None:
    from kb.rules.formats import HEADING_STYLE

    match = HEADING_STYLE.match(style)
    assert (match.groups() if match else None) == heading


# -- kb/rules/passages.py: items, captions, notes, lead-ins -------------------------------


def test_items_notes_and_captioned_tables_in_text() -> None:
    lines = ["[6] Sec 47 Children Act 1989", "", "- see the baby", "• ask about the men", ""]
    lines += ["Figure 2 Referrals by source", "Police\t120", "Schools\t80", ""]
    lines += ["The text after the table goes on here, in a full sentence."]
    blocks = lines_to_blocks([(None, lines)], reflow=False)
    assert [(b.kind, b.text[:12], b.lead_in) for b in blocks] == [
        ("note", "[6] Sec 47 C", ""),
        ("bullet", "see the baby", ""),
        ("bullet", "ask about th", ""),
        ("table", "Police\t120\nS", "Figure 2 Referrals by source"),
        ("paragraph", "The text aft", ""),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "☐ I have spoken to the child on their own.",  # a checklist's box
        "☑ I have told the carer about their duty to notify.",
        "✓ Record the date you told the family.",
        "■ Speak to the child alone.",
        "► Phone the front door the same day.",
        "☐ Yes ☐ No",  # a form's boxes: no item
        "→ 45 days later the plan was reviewed.",  # a flowchart's arrow: no item
    ],
)
def test_a_checklist_line_is_a_list_item(line: str) -> None:
    blocks = lines_to_blocks([(None, [line])], reflow=False)
    item = line.count("☐") < 2 and not line.startswith("→")
    assert [(b.kind, b.text) for b in blocks] == [
        ("bullet", line[2:]) if item else ("paragraph", line)
    ]


@pytest.mark.parametrize(
    ("paragraph", "lead_in"),
    [
        ("The review looked at three agencies. It found the following:", "It found the following:"),
        ("Staff should ask:", "Staff should ask:"),
        # A long sentence that neither ends with ":" nor says "following" introduces nothing.
        (
            "The review looked at three agencies over a long period and made many observations"
            " about their work with the family.",
            "",
        ),
    ],
)
def test_the_sentence_that_introduces_a_list(paragraph: str, lead_in: str) -> None:
    from kb.passages.segment import lead_in_sentence

    assert lead_in_sentence(paragraph) == lead_in


# -- kb/rules/sentences.py: where a sentence ends ----------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # Issue 14's cases: an abbreviation before a number or a name ends no sentence.
        (
            "Enquiries are made under Sec. 47 of the Act. A meeting follows.",
            ["Enquiries are made under Sec. 47 of the Act.", "A meeting follows."],
        ),
        ("It is set out on p. 12. Use it.", ["It is set out on p. 12.", "Use it."]),
        (
            "She attended St. Mary's School. Her attendance fell.",
            ["She attended St. Mary's School.", "Her attendance fell."],
        ),
        (
            "Approx. 300 children had a plan. It rose.",
            ["Approx. 300 children had a plan.", "It rose."],
        ),
        ("See s. 17 and pp. 14-15. It applies.", ["See s. 17 and pp. 14-15.", "It applies."]),
        # Before a capital, a number's abbreviation may end a sentence; a possessive does.
        (
            "The decision was the mother's. She agreed.",
            ["The decision was the mother's.", "She agreed."],
        ),
        (
            "The figures are approx. The board noted them.",
            ["The figures are approx.", "The board noted them."],
        ),
        # A case name's initial ends a sentence; a title does not.
        (
            "He lived with his father, Mr S. The family moved.",
            ["He lived with his father, Mr S.", "The family moved."],
        ),
        (
            "Dr. Patel saw the baby. She recorded it.",
            ["Dr. Patel saw the baby.", "She recorded it."],
        ),
        ("This applies e.g. Traveller families.", ["This applies e.g. Traveller families."]),
        ("It fell to just 5. The number rose.", ["It fell to just 5.", "The number rose."]),
        (
            "18.5% live in poverty. 7.7% are adopted.",
            ["18.5% live in poverty.", "7.7% are adopted."],
        ),
    ],
)
def test_sentence_ends(text: str, sentences: list[str]) -> None:
    from kb.text.sentences import split_sentences

    assert split_sentences(text) == sentences


# -- kb/rules/tagging.py: when a passage gets a topic, and its score ----------------------


@pytest.mark.parametrize(
    ("text", "cosine", "tags"),
    [
        ("The father was never seen.", 0.25, [("fathers", 0.3)]),  # a word and near enough
        ("The father and his dads group.", 0.25, [("fathers", 0.35)]),  # two words
        ("The father was never seen.", 0.15, []),  # a word, but too far in meaning
        ("Men in the household.", 0.55, []),  # near, but no word and under the meaning bar
        ("Men in the household.", 0.65, [("fathers", 0.65)]),  # very near in meaning alone
        ("We must prevent harm.", 0.25, []),  # "Prevent" the programme is written so
    ],
)
def test_topic_tags(text: str, cosine: float, tags: list[tuple[str, float]]) -> None:
    import numpy as np

    from kb.passages.topics import Taxonomy, Topic, tag_passages

    fathers = Topic("fathers", "Fathers", "Male carers", ("father", "dads", "Prevent"))
    topic_vector = np.array([[1.0, 0.0]])
    passage_vector = np.array([[cosine, (1 - cosine**2) ** 0.5]])
    passage = Passage("d", 0, text, 1, (), "paragraph")
    assert tag_passages([passage], passage_vector, Taxonomy((fathers,), "x"), topic_vector) == [
        tags
    ]


# -- kb/rules/answers.py: what a question asks --------------------------------------------


@pytest.mark.parametrize(
    ("question", "terms", "figure"),
    [
        (
            "How many children were on child protection plans?",
            {"children", "child", "protect", "plan"},
            True,
        ),
        # The document it names ("Kestrel") and the framing words ("report", "say") are not asked.
        ("What does the Kestrel report say about bruising?", {"bruis"}, False),
        ("What percentage of referrals came from schools?", {"referr", "came", "school"}, True),
    ],
)
def test_what_a_question_asks(question: str, terms: set[str], figure: bool) -> None:
    from kb.answer.qa import question_terms
    from kb.rules.answers import FIGURE_QUESTION

    assert question_terms(question, ["Kestrel Vale SCR"]) == terms
    assert bool(FIGURE_QUESTION.search(question)) is figure


# -- kb/text/words.py: the stemmer groups words as the keyword index does -----------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("bruise", "Bruising", True),
        ("transfer", "transferred", True),
        ("father", "father's", True),
        ("preventable", "prevent", True),  # the answer's coverage counts it as FTS5 does
        ("referral", "referrals", True),
        ("referrals", "referred", False),  # Porter keeps them apart, in FTS5 too
        ("child", "children", False),
        ("as", "a", False),  # words under three letters are kept whole
        ("policy", "police", False),
    ],
)
def test_stems_group_words_as_fts5_does(first: str, second: str, same: bool) -> None:
    import sqlite3

    from kb.text.words import stem

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.executemany("INSERT INTO t(rowid, x) VALUES (?, ?)", [(1, first), (2, second)])
    terms = dict(conn.execute("SELECT doc, term FROM v WHERE offset = 0"))
    assert (terms[1] == terms[2]) is same
    assert (stem(first) == stem(second)) is same


def test_a_case_check_leads_each_concern_with_its_best_fitting_topic() -> None:
    from kb.outputs.casecheck import CheckItem, reading_order

    def item(concern: int, topic: str, score: float) -> CheckItem:
        return CheckItem(
            concern, f"concern {concern}", topic, f"{topic} {score}", "learning", "", "", score, ""
        )

    items = [
        item(1, "Case transfer", 0.30),
        item(1, "Missing children", 0.45),
        item(1, "Case transfer", 0.20),
        item(2, "Fathers", 0.40),
        item(1, "Missing children", 0.25),
    ]
    order = [(i.concern_no, i.topic, i.score) for i in reading_order(items)]
    assert order == [
        (1, "Missing children", 0.45),
        (1, "Missing children", 0.25),
        (1, "Case transfer", 0.30),
        (1, "Case transfer", 0.20),
        (2, "Fathers", 0.40),
    ]


@pytest.mark.parametrize(
    ("text", "section", "kind", "context", "doc_type", "expected"),
    [
        # A checklist's yes-or-no items are rules; questions to reflect on are not, nor a
        # question under a heading that only mentions a checklist.
        (
            "☐ Have all the agencies been told that the case is closing?",
            ("Checklist before closing a case",),
            "bullet",
            "",
            "toolkit",
            "rule",
        ),
        (
            "If a child has stopped being seen by a service, does anyone know why?",
            ("Themes",),
            "bullet",
            "Checklist for practitioners:",
            "annual report",
            "rule",
        ),
        (
            "Why do you think the mother stopped bringing the baby to clinic?",
            (),
            "bullet",
            "Use this checklist to reflect on your own cases:",
            "thematic briefing",
            "",
        ),
        (
            "What would a day in the life of this child look like?",
            ("Neglect checklist",),
            "bullet",
            "",
            "toolkit",
            "",
        ),
        (
            "Why was the pre-birth checklist not completed before the birth?",
            ("Findings: use of the checklist",),
            "paragraph",
            "",
            "child safeguarding practice review",
            "",
        ),
        # A table of duties is read as rules; one that reports outcomes or hindsight is not.
        (
            "Do | Don't\nLook at the pattern of use over time | Be reassured by one test",
            ("Dos and don'ts",),
            "table",
            "",
            "toolkit",
            "rule",
        ),
        (
            "What should have happened | What happened\nA strategy discussion | A home visit",
            ("Analysis of practice",),
            "table",
            "",
            "child safeguarding practice review",
            "",
        ),
        (
            "Agency | Responsibilities | Progress\nPolice | Chair the panel | It met monthly",
            (),
            "table",
            "",
            "annual report",
            "",
        ),
        # A statement, then the instruction it leads to; an instruction to read.
        (
            "A referral is not a safety plan: agree who will check in with the child.",
            ("Key things to remember",),
            "bullet",
            "",
            "procedure",
            "rule",
        ),
        (
            "The family moved twice: work with them stopped.",
            ("Key things to remember",),
            "bullet",
            "",
            "procedure",
            "",
        ),
        (
            "Read the full review and discuss it with your team.\nCheck what happens to the"
            " school's file.\nUse the procedure whenever a child is unseen.",
            ("7 What you should do now",),
            "paragraph",
            "",
            "7-minute briefing",
            "rule",
        ),
        # A box headed by its kind that tells what happened is no point.
        (
            "Finding\nMother had told the GP she was struggling to cope.",
            (),
            "table",
            "",
            "child safeguarding practice review",
            "",
        ),
        (
            "Learning point\nMum said she did not know who to call.",
            (),
            "table",
            "",
            "child safeguarding practice review",
            "",
        ),
        (
            "Lessons for practice\nStaff attended the briefing and said it was useful.",
            (),
            "table",
            "",
            "annual report",
            "",
        ),
        # A label before a name or the report's own news labels nothing.
        (
            "Learning for practice - Safer Sleep and Bed Sharing (March 2023)",
            ("Training",),
            "bullet",
            "Courses run this year:",
            "annual report",
            "",
        ),
        (
            "Practice points: Neglect, Exploitation and Online Safety",
            (),
            "bullet",
            "",
            "thematic briefing",
            "",
        ),
        (
            "Learning for practice. We ran twelve sessions across the partnership this year.",
            (),
            "paragraph",
            "",
            "annual report",
            "",
        ),
        (
            "Learning point: Be curious about the beliefs behind a parenting practice.",
            (),
            "paragraph",
            "",
            "serious case review",
            "learning",
        ),
    ],
)
def test_questions_tables_and_labels_as_points(
    text: str, section: tuple[str, ...], kind: str, context: str, doc_type: str, expected: str
) -> None:
    assert point_kind(_passage(text, kind, section, context), doc_type) == expected


@pytest.mark.parametrize(
    ("line", "only_a_kind"),
    [
        ("7-Minute Briefing", True),
        ("SERIOUS CASE REVIEW", True),
        ("Annual Report 2022-23", True),
        ("Serious Case Review: Baby Q", False),
        ("Hidden men", False),  # no kind named at all
        ("7-minute briefing: online radicalisation", False),
    ],
)
def test_a_title_line_naming_only_a_kind_of_document(line: str, only_a_kind: bool) -> None:
    from kb.ingest.metadata import names_only_a_kind

    assert names_only_a_kind(line) is only_a_kind
