"""Document metadata read from the text (kb/ingest/metadata.py, and the title rules of
kb/ingest/pdf.py): title, type, year and the reviews a document is about.

Judged on shared/corpus-dev (judged.json, `docs`: type, year and reviews 6 of 6) and the
table tests of tests/test_rules.py."""

from __future__ import annotations

import re

__all__ = [
    "ACRONYM_MAX_LETTERS",
    "ACRONYM_VOWELLED_MAX_LETTERS",
    "BRIEFING_TYPES",
    "CHILD_AGE",
    "CITED_AS_A_REVIEW",
    "CITED_REVIEW_MIN_MENTIONS",
    "CITED_YEAR",
    "COVER_TYPE_LINE_MAX_WORDS",
    "CREATION_YEAR",
    "DATED_LINE",
    "DOC_TYPE_PATTERNS",
    "MEANINGLESS_PDF_TITLE",
    "MONTH",
    "PUBLICATION_STATEMENT",
    "NOT_PSEUDONYMS",
    "PERSON_WORDS",
    "FIRST_NAME",
    "HEADED_NAME_ALONE",
    "HEADED_NAME_FIRST",
    "HEADED_NAME_LAST",
    "KIND_REVIEW_OF_PSEUDONYM",
    "LIST_ITEM",
    "NAMED_PERSON",
    "REVIEW_LIST",
    "REVIEW_NAME",
    "REVIEW_OF_PSEUDONYM",
    "REVIEW_PSEUDONYM",
    "THE_REVIEW_HEADING",
    "TITLE_PSEUDONYM",
    "REVIEW_TYPES",
    "REVIEW_TOLD",
    "REVIEWS_FROM_COVER",
    "SITE_NAME_SEPARATOR",
    "SUBTITLED_NAME_MENTIONS",
    "SUBTITLED_TITLE_MAX_CHARS",
    "TEXT_LINE_MIN_WORDS",
    "TITLE_ENOUGH_CHARS",
    "TITLE_LINE_MAX_CHARS",
    "TITLE_MAX_CHARS",
    "TITLE_SCAN_BLOCKS",
    "TYPE_MIN_MENTIONS",
    "TYPE_OPENING_BLOCKS",
    "TYPE_OPENING_CHARS",
    "WEB_ADDRESS",
    "YEAR_MAX",
    "YEAR_MIN",
    "YEAR_OPENING_BLOCKS",
    "YEAR_OR_SPAN",
    "YEAR_SPAN_MAX",
]

# Named reviews: 'Baby F', 'Young Person R', 'Family E', 'Child I', 'Sibling Group J',
# 'Child LW': a person word and one or two capitals (optionally with a digit). "I" after
# "a"/"the" or at the start of "As a child I..." is a pronoun, not a case name; two capitals
# that are an acronym of the glossary followed by a word ("Child CP plans",
# kb/data/acronyms.json) are not one, but "Child LA: rapid review" is.
_PERSON = r"(Baby|Child|Young Person|Family|Infant|Sibling Group|Siblings|Adult|Girl|Boy)"
REVIEW_NAME = re.compile(
    r"(?<![Aa] )(?<![Tt]he )(?<!As a )\b" + _PERSON + r"\s+['\"]?([A-Z]{1,2}\d?)(?![\w-])"
)
# A review named by a pseudonym ('Child Ruby', 'Baby Ava') is recognised where a heading or
# sentence introduces it as a review of a named kind: "Child Ruby: child safeguarding
# practice review", "Baby Ava - Local Learning Review". "Family Hub: review of provision"
# names no kind of review; words of the trade that follow "Child" are no pseudonyms.
REVIEW_PSEUDONYM = re.compile(
    r"\b" + _PERSON + r"\s+([A-Z][a-z]{2,})(?=\s*[:–—-]\s*(?i:(?:an?\s+|the\s+)?"
    r"(?:local\s+|national\s+|independent\s+)?(?:child safeguarding practice review"
    r"|serious case review|learning review|learned lessons review|lessons learned review"
    r"|rapid review|practice review|case review|SCR\b|CSPR\b|LLR\b)))"
)
# A review named by a first name where the text says whose review it is and the clause ends
# there: "the local review of Jordan.", "the review into Amira, published in 2023", "the
# review about Tobias · Published June 2024" (not "a review of Ofsted inspections", "a review
# of Ellesmoor's offer" or "review of Child F", read above; nor "the review of Housing found
# that...": a review's subject, not a child, may come before what it found).
REVIEW_OF_PSEUDONYM = re.compile(
    r"\b(?i:reviews?|SCR|CSPR|LLR)\s+(?i:of|into|concerning|about)\s+([A-Z][a-z]{2,})"
    r"(?=[ \t]*(?:[.;:,)(\n·|]|$))"
)
# A pseudonym with a person word after a named kind of review: "the partnership's rapid
# review concerning Baby Ezra, who was..." ("a review of Family Hubs." names a service).
# A named kind of review and the word that says whose it is ("rapid review concerning").
_KIND_OF_REVIEW = (
    r"\b(?i:(?:serious case|safeguarding practice|practice|rapid|learning|lessons learned"
    r"|learned lessons) reviews?|SCR|CSPR|LLR)\s+(?i:of|into|concerning|about)\s+"
)
KIND_REVIEW_OF_PSEUDONYM = re.compile(
    _KIND_OF_REVIEW
    + r"("
    + _PERSON.replace("(", "(?:", 1)
    + r"\s+[A-Z][a-z]{2,})(?=[ \t]*(?:[.;:,)(\n·|]|$))"
)
# A name in a list or heading of reviews: a review's name ("Child W", "Baby Q") or a first
# name ("Jayden").
_NAME = r"(?:(?:" + _PERSON.replace("(", "(?:", 1) + r")\s+)?[A-Z][A-Za-z]*(?:-[A-Z][a-z]+)?\d?"
# Reviews named in one list: "the reviews for Child P and Riley", "two rapid reviews, for
# Child L and for Reece", "Three reviews were published during the year: Baby Isla, Callum
# and Amira." A pseudonym with a person word ("Baby Isla") is a review's name there; a first
# name is one where the document writes of it as of a person (NAMED_PERSON): "reviews of
# Child H and Harrow" names a place.
_LISTED = rf"(?:(?:of|for|into)\s+)?{_NAME}"
REVIEW_LIST = re.compile(
    r"\b(?i:reviews)(?:,?\s+(?i:of|into|for|concerning)\s+|\b[^.:\n]{0,80}:\s*)"
    rf"(?P<names>{_LISTED}(?:\s*,\s*{_LISTED})*,?\s+(?:and|&)\s+{_LISTED})"
    r"(?=[ \t]*(?:[.;:,)(\n]|$))"
)
# An item of a list of names ("Child W", "Jayden", "Baby Q" in "Child W, Jayden and Baby Q").
LIST_ITEM = re.compile(r"[A-Z][\w ]*?(?:-[A-Z]\w*)?(?=\s*(?:,|&|\band\b|$))")
FIRST_NAME = re.compile(r"[A-Z][a-z]{2,}(?:-[A-Z][a-z]{2,})?")  # "Jayden", "Lily-Mae"
# A section headed by a name the way the document heads its reviews' sections: "Jayden:
# exclusion and exploitation" beside "Child W: a drowning at a family gathering" (the name
# first), or "2 What happened: Riley" beside "1 What happened: Child P" (the name last, after
# the same words). The document must write of the name as of a person (NAMED_PERSON):
# "Training: dates for your diary" or "Childline: free help" is no review.
HEADED_NAME_FIRST = re.compile(rf"^(?:\d+\.?\s+)?(?P<name>{_NAME})\s*[:–—]\s+\S")
HEADED_NAME_LAST = re.compile(rf"^(?:\d+\.?\s+)?(?P<lead>[^:–—]+?)\s*[:–—]\s*(?P<name>{_NAME})\s*$")
# ...or by the name alone, as its siblings are by theirs ("Child K", "Theo"; "4.2 Amira"),
# a word the text never writes in lower case ("Supervision" beside "Child K" is no name).
HEADED_NAME_ALONE = re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?P<name>{_NAME})\s*$")
# A child's age, in figures or words, up to eighteen ("aged 9", "a three-year-old", "is six").
CHILD_AGE = (
    r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen)"
)
# A first name written of as a person: a sentence (or numbered paragraph) opens with it and
# speaks of him or her within a few words, or gives the age ("Jayden was fifteen when he was
# stabbed", "Callum is a 12-year-old boy who lives with his mother", "4.6 Theo is thirteen.");
# not "In Brent, the head teacher said she..." nor "Cafcass was asked to report".
NAMED_PERSON = (
    r"(?:^|[.!?]\s+|\n)(?:\d+(?:\.\d+)*\.?\s+)?{name}(?:'s)?(?![\w-])"
    r"(?:[^.!?\n]{{0,60}}?\b(?:he|she|his|her|him)\b|\s+(?:is|was)\s+(?:aged\s+)?"
    + CHILD_AGE.replace("{", "{{").replace("}", "}}")  # (format() reads single braces)
    # ...an age that ends the clause: not "Camden is one borough", "Turnover was 18%".
    + r"(?:\s+(?:years?|months?|weeks?)(?:\s+old)?)?(?=\s*[.,;]|\s+(?:when|and)\b))"
)
# A heading that speaks of "the review" as the document's one review: "What the review
# found", "Learning from the review", "The review's recommendations" (in a 7-minute briefing
# on the review about Reuben).
THE_REVIEW_HEADING = re.compile(
    r"\b(?:what|learning from|lessons from|findings of) the (?:rapid |local |practice )?review\b"
    r"|\bthe review(?:'s)? (?:found|findings|identified|learning|recommendations?)\b",
    re.I,
)
# The person words of review names ("review of Child F" is read by REVIEW_NAME).
PERSON_WORDS = frozenset("Baby Child Young Family Infant Sibling Siblings Adult Girl Boy".split())
# A review's own report titled by its kind and a first name, quoted or not, and perhaps the
# part of the report it is ("Learned lessons review: Leah", "Child Safeguarding Practice
# Review: 'Leo': Executive summary", "Leah - a child safeguarding practice review") or a
# subtitle saying who the child was ("... Review: Rosa: a young carer who was seen as
# coping", where the text writes of Rosa as a person more than once, SUBTITLED_NAME_MENTIONS)
# is that name's review; "Serious Case Review - Brackenshire - July 2019" names none.
_QUOTED_NAME = r"[\"'‘“]?(?P<{}>[A-Z][a-z]+(?: [A-Z][a-z]+)?)[\"'’”]?"
_REPORT_PART = r"(?i:executive summary|overview report|summary report|full report|final report)"
TITLE_PSEUDONYM = re.compile(
    r"^(?:[^:–—]*\b(?i:review|SCR|CSPR|LLR)\s*[:–—-]\s*"
    + _QUOTED_NAME.format("after")
    + rf"(?:\s*[:–—-]\s*(?:{_REPORT_PART}|(?P<subtitle>(?i:a|an|the)\s[^:]*)))?"
    + r"|"
    + _QUOTED_NAME.format("before")
    + r"\s*[:–—-]\s*[^:]*\b(?i:review)\b[^:]*)\s*$"
)
NOT_PSEUDONYMS = frozenset(
    "Protection Safeguarding Sexual Criminal Death Deaths Exploitation Abuse Neglect Care "
    "Practice Health Services Welfare Poverty Development Trafficking Mental Social Friendly "
    "Centred Focused Led Court Family Learning Serious Local National Rapid Review Overview "
    "Report Summary Executive Briefing Final Published Draft Part Appendix Findings January "
    "February March April May June July August September October November December Section "
    "Police Education Children Domestic Midwifery Ofsted".split()
)
# A review's name is counted as cited by a procedure, toolkit or other document when named
# this many times (or on its cover), or once where the text says it is a review's
# (CITED_AS_A_REVIEW): such documents name cases in passing ("Scenario - Baby B").
CITED_REVIEW_MIN_MENTIONS = 2
# The words before a name that say it is a review's, by its kind: "was last amended
# following the rapid review concerning Baby Ezra", "rewritten after the serious case review
# into Family W" (not "the IRO chairs the first review of Child A"). Three judges of three
# sets each listed a review a procedure or toolkit names once so.
CITED_AS_A_REVIEW = re.compile(_KIND_OF_REVIEW + "$")

# Document types as their own names say them, most specific first: the form of a document
# (a 7-minute briefing, an annual report) before the review it may be about.
DOC_TYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("7-minute briefing", re.compile(r"\b(?:7|seven)[ -]minute briefing", re.I)),
    (
        "thematic briefing",
        re.compile(
            r"\bbriefing\b|\bthematic (?:review|report)\b"
            r"|\blearning from (?:[\w-]+ ){0,3}reviews\b"  # "learning from local reviews"
            # A newsletter or bulletin passes on several reviews' learning as a briefing does
            # (an "Issue 3" line alone is a procedure's or agreement's version too).
            r"|\b(?:newsletter|bulletin)\b",
            re.I,
        ),
    ),
    ("annual report", re.compile(r"\bannual report\b", re.I)),
    ("toolkit", re.compile(r"\btool ?kit\b", re.I)),
    (
        "child safeguarding practice review",
        re.compile(r"child safeguarding practice review|\bCSPR\b", re.I),
    ),
    ("rapid review", re.compile(r"\brapid review\b", re.I)),
    ("serious case review", re.compile(r"serious case review|\bSCR\b", re.I)),
    (
        "learned lessons review",
        re.compile(
            r"learn(?:ed|ing|t)[ -]lessons? review|lessons? learn(?:ed|t) review|learning review"
            r"|\bLLR\b",
            re.I,
        ),
    ),
    ("procedure", re.compile(r"\bprocedures?\b|\bprotocol\b|\bpolicy\b|\bguidance\b", re.I)),
    # An audit of many cases reports its themes as a thematic review does; tried last, so a
    # "Multi-agency Case Audit Toolkit" is a toolkit and an audit group's annual report a report.
    (
        "thematic briefing",
        re.compile(r"\b(?:multi-agency|thematic|joint) (?:case )?audits?\b", re.I),
    ),
]
# Types whose documents are one review (so that review is the document's own).
REVIEW_TYPES = frozenset(
    {
        "serious case review",
        "child safeguarding practice review",
        "rapid review",
        "learned lessons review",
    }
)
# Types whose documents pass on what reviews learned, in a few pages, to practitioners.
BRIEFING_TYPES = frozenset({"thematic briefing", "7-minute briefing"})

# A cover or title-block line names the document's type when it is a title-like line; a
# longer one is a sentence, which may name other documents ("A 7-minute briefing for each
# review is also available").
COVER_TYPE_LINE_MAX_WORDS = 12
# Else the type the opening text (its first blocks, up to so many characters) names most,
# when it names it at least TYPE_MIN_MENTIONS times.
TYPE_OPENING_BLOCKS = 40
TYPE_OPENING_CHARS = 4000
TYPE_MIN_MENTIONS = 2

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
# "Published: September 2019", "Review completed: June 2021", "Date of publication 3 May 2018"
PUBLICATION_STATEMENT = re.compile(
    r"\b(?:published|publication|completed|approved|issued|finali[sz]ed|date|updated|revised"
    r"|amended)\b[^.\n]{0,60}?\b((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# A month or a season and its year: "November 2020", "Newsletter - Issue 9, Spring 2024".
DATED_LINE = re.compile(rf"\b(?:{MONTH}|Spring|Summer|Autumn|Winter)\s+((?:19|20)\d\d)\b")
# The year of a cited Act, regulation or guidance is not the document's ("Children Act 1989",
# "Working Together to Safeguard Children 2018").
CITED_YEAR = re.compile(
    r"(?:\bAct|\bRegulations?|\bOrder|\bTogether[\w\s]{0,40}?|\bGuidance|\bRules|\bCode)"
    r"\s*(?:\(\w+\)\s*)?((?:19|20)\d\d)\b",
    re.IGNORECASE,
)

# A year, or a span of years ("2016-17", "2016/2017", "2016 to 2017": the later year counts
# when at most YEAR_SPAN_MAX after the first).
YEAR_OR_SPAN = re.compile(r"\b((?:19|20)\d\d)(?:\s*(?:-|/|to)\s*(\d{2,4}))?\b")
YEAR_SPAN_MAX = 2
# Years outside these bounds are not dates of a document (page counts, figures).
YEAR_MIN = 1980
YEAR_MAX = 2100
# The year the opening text names most is looked for in its first blocks.
YEAR_OPENING_BLOCKS = 30
# A year in a PDF's creation date (/CreationDate "D:20190914...").
CREATION_YEAR = re.compile(r"(19|20)\d\d")

# Titles read from the opening lines: looked for in the first blocks, a line at most
# TITLE_LINE_MAX_CHARS (also a cover line's limit), the title complete past
# TITLE_ENOUGH_CHARS, and no title at all past TITLE_MAX_CHARS (the file name then).
TITLE_SCAN_BLOCKS = 8
TITLE_LINE_MAX_CHARS = 90
TITLE_ENOUGH_CHARS = 70
TITLE_MAX_CHARS = 120
# A line ending a sentence, over this many words, is body text: the title has ended.
TEXT_LINE_MIN_WORDS = 6
# A web address is no title line.
WEB_ADDRESS = re.compile(r"^(www\.|https?:)")
# Where a document's reviews were read from when its title or cover names them: the document
# as a whole is about them (a review's own report; a 7-minute briefing whose title block says
# "Learning from the ... review about Tobias"), so its points carry its review wherever they
# sit.
REVIEWS_FROM_COVER = "the title or cover"
SUBTITLED_NAME_MENTIONS = 2
# Where a briefing's one review was read from when a heading or its text tells of it more
# than once ("Learning from the review about Reuben", "What the review found"): the
# briefing's learning is that review's; its rules and law stay general.
REVIEW_TOLD = "a heading or its text telling of it"
# A title and a subtitle on a PDF's first page are joined when this short together
# ("7-minute briefing: Bruising in non-mobile babies").
SUBTITLED_TITLE_MAX_CHARS = 60
# A PDF's own /Title that says nothing about the document ("Microsoft Word - draft3.docx").
MEANINGLESS_PDF_TITLE = re.compile(r"microsoft|untitled|\.docx?$|\.pdf$", re.IGNORECASE)
# A web page's <title> ends with the site's name after one of these.
SITE_NAME_SEPARATOR = re.compile(r"\s+[|–—]\s+")
# In a title in capitals, a word is kept as an acronym (LSCB, SCR, NSPCC) when of at most
# ACRONYM_MAX_LETTERS with no vowel, or at most ACRONYM_VOWELLED_MAX_LETTERS.
ACRONYM_MAX_LETTERS = 5
ACRONYM_VOWELLED_MAX_LETTERS = 3
