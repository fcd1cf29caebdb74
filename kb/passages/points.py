"""Learning points: the statements in which a document says what practice should learn.

Each point is one statement (a list of four is four points, each with its lead-in as
context) of one of four kinds (records.POINT_KINDS):

- learning: under a learning heading, box or lead-in ("Key learning", "Learning point 1",
  "Learning for practice", "Lessons"), or labelled so ("Learning point: ...");
- finding: a general statement under a "Finding" heading ("Fathers who do not live with
  their children are still a potential source of protection");
- recommendation: under "Recommendations" or an action plan, table rows included;
- rule: the must / should / never statements of procedures, toolkits and briefings, and
  their checklist items ("Never close a case on the assumption that...").

A heading that states a point ("Finding 3: Permanent exclusion removed a protective
factor") is read as a passage of its own (kb/passages/segment.py) and is that point; a table
of recommendations, or one whose header names duties ("Who | What they must do"), is read a
row at a time. Narrative ("The health visitor believed...", "RD's father had been in
prison"), statistics, questions for reflection and text right under an outcome heading
("What has changed") are not points. The rules are named in kb/rules/points.py and tested
in tests/test_rules.py."""

from __future__ import annotations

import re

from kb.ingest.metadata import find_reviews
from kb.passages.roles import section_role
from kb.records import Document, Passage
from kb.rules.metadata import (
    BRIEFING_TYPES,
    HEADED_NAME_FIRST,
    HEADED_NAME_LAST,
    REVIEW_TOLD,
    REVIEW_TYPES,
    REVIEWS_FROM_COVER,
    THE_REVIEW_HEADING,
)
from kb.rules.points import (
    ACTOR,
    ASIDE,
    ASKING_HEADING,
    AUXILIARIES,
    BOX_TITLE,
    BOX_TITLE_MAX_WORDS,
    CASE_PERSON,
    CHECKLIST,
    CONDITION,
    CONDITION_MAX_CHARS,
    DUTY,
    DUTY_HEADER,
    FAMILY_SUBJECT,
    FIRST_PERSON,
    GENERAL,
    GENERAL_TRUTH_MIN_WORDS,
    GENERIC_STATEMENT,
    HINDSIGHT,
    IMPERATIVE,
    IMPERSONAL_NORM,
    INTRODUCES,
    ITEM_NUMBER,
    LABEL,
    LEAD_IN_MAX_WORDS,
    LESSON_STATED,
    NARRATIVE,
    NORMATIVE,
    NUMBER_COLUMN,
    OUTCOME_COLUMN,
    OUTCOME_HEADING,
    OUTCOME_SECTION,
    PAST_OR_PERFECT,
    PAST_VERB,
    PERCEIVES,
    POINT_COLUMN,
    POINT_MIN_WORDS,
    PRESENT_TENSE,
    QUESTION_HEADING,
    RULE_DOCUMENTS,
    RULE_MODAL,
    SCOPE,
    SECTION_CUES,
    SHORT_PARAGRAPH_SENTENCES,
    SHOULD_HAVE,
    STATEMENT_VERB,
    STATISTIC,
    STATISTICS_MIN_FIGURES,
    SUBJECT,
    THIS_CASE,
    TITLE_CASE_SHARE,
    TITLE_WORD_MIN_LETTERS,
    YES_NO_QUESTION,
)
from kb.rules.sections import ANALYSIS_HEADING, NO_POINT_ROLES
from kb.text.sentences import split_sentences

__all__ = [
    "is_learning_point",
    "learning_review",
    "point_kind",
    "reads_row_by_row",
]


def point_kind(passage: Passage, doc_type: str = "") -> str:
    """The kind of learning point a passage is (records.POINT_KINDS), or "" for none."""
    text = ITEM_NUMBER.sub("", passage.text).strip()
    if len(text.split()) < POINT_MIN_WORDS or passage.kind == "note":
        return ""
    if _only_asks(text, passage) or _only_introduces(text):
        return ""  # questions to reflect on; a lead-in, whose list holds the points
    if passage.kind == "bullet" and _title_cased(text) and not LABEL.match(text):
        return ""  # "Keeping Children and Young People Safe": a plan's or a document's name
    figures = len(STATISTIC.findall(text)) >= STATISTICS_MIN_FIGURES
    if figures and not NORMATIVE.search(text) and not _names_its_rows(passage, text):
        return ""
    label = LABEL.match(text)
    if label and _labelled(passage, text[label.end() :], label.group(0)):
        return _label_kind(label.group("label"))
    if passage.section and OUTCOME_SECTION.match(passage.section[-1]):
        return ""  # right under "What has changed" or "Impact": what was done, not what to do
    if _tells_of_the_child(text, passage.reviews):
        return ""  # "RD's father had been in prison...": the story, even under "Learning"
    header = text.split("\n", 1)[0]
    if _names_its_rows(passage, header):
        # A row of "No. | Recommendation | Lead | By", under any heading (a box of one
        # column titled "Finding" is read as labelled, above).
        return _column_kind(header)
    cue = _section_cue(passage)
    if cue and _under_cue_states_learning(passage.kind, text, cue):
        return cue
    if not cue and section_role(passage.section) in NO_POINT_ROLES:
        return ""  # the story, method, context or references: no lesson unless labelled
    if passage.kind == "paragraph" and LESSON_STATED.search(text):
        return "learning"  # "The lesson is that adolescent neglect should be assessed..."
    if box_kind := _titled_box_kind(passage, text):
        return box_kind
    if passage.kind == "table" and DUTY_HEADER.search(header) and not OUTCOME_COLUMN.search(header):
        return "rule"  # a row of a table of duties ("Who | What they must do", "Do | Don't")
    if doc_type in RULE_DOCUMENTS and _is_rule(text):
        return "rule"
    if passage.kind in ("paragraph", "bullet") and _states_practice_norm(text):
        return "learning"
    if passage.kind == "paragraph" and _opens_with_a_general_truth(text) and _analyses(passage):
        return "learning"
    return ""


def _analyses(passage: Passage) -> bool:
    """A paragraph of a review's analysis or findings (by its headings)."""
    return any(ANALYSIS_HEADING.search(h) or _cue_of([h]) == "finding" for h in passage.section)


def _opens_with_a_general_truth(text: str) -> bool:
    """ "Persistent crying is a well-recognised trigger for abusive head trauma, and male
    carers are over-represented...": an analysis opening on what holds of any case, in the
    present, before it turns to this one."""
    first = (split_sentences(text) or [text])[0]
    return bool(
        len(first.split()) >= GENERAL_TRUTH_MIN_WORDS
        and PRESENT_TENSE.search(first)
        and not NARRATIVE.search(first)
        and not PAST_OR_PERFECT.search(first)
        and not THIS_CASE.search(first)
        and not _names_someone(first)
        and not FIRST_PERSON.search(first)
        and not first.rstrip().endswith("?")
    )


def _labelled(passage: Passage, statement: str, label: str) -> bool:
    """A label the statement follows ("Learning point: ..."); a box's first line naming its
    kind ("Learning point" above the text) labels it unless the box reports what was done
    or tells the story ("Action" above "Training was delivered to 300 staff in May")."""
    if not label.endswith("\n"):
        # "Learning point: Be curious ...", not a course's or a list's name ("Practice points:
        # Neglect, Exploitation and Online Safety") nor the report of itself.
        return (
            not _title_cased(statement)
            and STATEMENT_VERB.search(statement) is not None
            and not FIRST_PERSON.search(statement)
        )
    outcome = bool(passage.section) and OUTCOME_SECTION.match(passage.section[-1]) is not None
    states = bool(NORMATIVE.search(statement) or IMPERATIVE.match(statement))
    told = _narrative(statement) or (NARRATIVE.search(statement) is not None and not states)
    return not outcome and not told


def _titled_box_kind(passage: Passage, text: str) -> str:
    """A box (a table of one column) whose title says what it holds ("Lessons from Child K
    for every practitioner" above the text): its text is that kind of point, unless the box
    reports what was done or tells the story (as a labelled box, _labelled)."""
    if passage.kind != "table" or " | " in text or "\n" not in text:
        return ""
    title, body = text.split("\n", 1)
    if len(title.split()) > BOX_TITLE_MAX_WORDS or not BOX_TITLE.match(title):
        return ""  # "Action for Children", "Learning and development offer": no kind
    if OUTCOME_HEADING.search(title):
        return ""
    kind = _cue_of([title])
    return kind if kind and _labelled(passage, body, "\n") else ""


def _only_asks(text: str, passage: Passage) -> bool:
    """Questions ("Why is it missed?"), or prompts to reflect ("Ask yourself: has the child
    been seen alone?"); not a checklist's item ("☐ Have all the agencies been told that the
    case is closing?"), nor a rule that ends on the question it tells the reader to ask
    ("Closure of an adult case should prompt the question: is this person pregnant?")."""
    if not text.endswith("?"):
        return False
    above = [*passage.section[-1:], passage.context]  # its heading and lead-in
    if any(ASKING_HEADING.search(line) for line in above):
        return False  # what to ask the family: "Who else lives in or stays at the house?"
    if any(QUESTION_HEADING.search(line) for line in above):
        return True
    listed = any(CHECKLIST.search(line) for line in above)
    if listed and YES_NO_QUESTION.match(text) and not HINDSIGHT.search(text):
        return False  # an item to tick
    sentences = split_sentences(text) or [text]
    last = sentences[-1]
    stated = [*sentences[:-1], last.split(":")[0] if ":" in last else ""]
    return not any(_states_a_duty(s) for s in stated)


def _only_introduces(text: str) -> bool:
    """A lead-in to a list ("The following rules apply:"), not a rule stated before the
    sentence that introduces its steps ("... you must escalate it. Follow these steps:")."""
    if not (
        text.endswith(":") or (INTRODUCES.search(text) and len(text.split()) <= LEAD_IN_MAX_WORDS)
    ):
        return False
    return not any(_states_a_duty(s) for s in split_sentences(text)[:-1])


def _states_a_duty(sentence: str) -> bool:
    """What must or should happen ("you must escalate it"), not hindsight ("should have"),
    the report of itself ("we must ask ourselves"), a scope statement or an aside."""
    return bool(
        RULE_MODAL.search(sentence)
        and not HINDSIGHT.search(sentence)
        and not FIRST_PERSON.search(sentence)
        and not SCOPE.match(sentence)
        and not ASIDE.search(sentence)
    )


def reads_row_by_row(section: tuple[str, ...], caption: str, header: str = "") -> bool:
    """Whether a table under this heading and caption lists recommendations or actions, or
    its header row says each row is a point ("Lesson | Agencies", "Finding | Evidence") or
    what someone must do ("Who | What they must do"): each row is a point of its own."""
    if section and OUTCOME_SECTION.match(section[-1]):
        return False  # "Actions taken | Status": what was done
    cue = _cue_of([caption, *reversed(section)])
    return cue == "recommendation" or _header_lists_points(header)


def _header_lists_points(header: str) -> bool:
    """A table's header row whose first column is the name of a kind of point ("Lesson",
    "Key learning", "Recommendation") or whose columns name duties ("What they must do")."""
    return bool(DUTY_HEADER.search(header) or POINT_COLUMN.match(header.strip()))


def _title_cased(text: str) -> bool:
    """A name in title case, not a statement: most of its longer words are capitalised, and
    it is no instruction ("Refer to Children's Social Care, MASH or Early Help")."""
    if IMPERATIVE.match(text):
        return False
    words = [
        w
        for w in re.findall(r"[A-Za-z]+", text)
        if len(w) >= TITLE_WORD_MIN_LETTERS and not w.isupper()  # an acronym says nothing
    ]
    capitals = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capitals >= TITLE_CASE_SHARE * len(words)


def _names_its_rows(passage: Passage, text: str) -> bool:
    """A table of several columns whose header names its rows' kind ("No. | Recommendation |
    Lead | By", "Finding | Evidence"), not a log of what was done ("Action | Lead | Status")."""
    header = text.split("\n", 1)[0]
    return (
        passage.kind == "table"
        and "|" in header
        and POINT_COLUMN.match(header.strip()) is not None
        and not OUTCOME_COLUMN.search(header)
    )


def _column_kind(header: str) -> str:
    """The kind a table's header names its rows ("No. | Recommendation | Lead" ->
    recommendation, "Lesson | Agencies" -> learning)."""
    cells = [c.strip() for c in header.split("|")]
    return _label_kind(next((c for c in cells if not NUMBER_COLUMN.fullmatch(c)), ""))


def _label_kind(label: str) -> str:
    label = label.lower()
    if label.startswith(("recommendation", "action")):
        return "recommendation"
    if label.startswith("finding"):
        return "finding"
    return "rule" if label.startswith("rule") else "learning"


def _section_cue(passage: Passage) -> str:
    """The kind the nearest heading, box title, caption or lead-in says its text is."""
    return _cue_of([passage.context, *reversed(passage.section)])


def _cue_of(texts: list[str]) -> str:
    for index, text in enumerate(texts):
        if not text:
            continue
        if QUESTION_HEADING.search(text) and index > 0:
            return ""
        # A heading, not the lead-in or caption before it: "The review makes the following
        # recommendations. The LSCB will monitor progress..." introduces recommendations.
        if OUTCOME_HEADING.search(text) and index > 0:
            return ""
        for kind, pattern in SECTION_CUES:
            if pattern.search(text):
                return kind
    return ""


def _narrative(text: str) -> bool:
    """The story of one case: a past-tense sentence about a particular person or agency
    ("The health visitor believed...", "A man in the household was never named"), or one
    naming the child or an adult of the case. Findings about practice in general ("Children
    were not always seen on their own") are not narrative."""
    if NORMATIVE.search(text) or IMPERATIVE.match(text):
        return False
    if _names_someone(text):
        return True
    if GENERAL.search(text) or GENERIC_STATEMENT.match(text):
        return False  # "The child's voice was not always heard": practice in general
    return bool(NARRATIVE.search(text)) and _particular_subject(text)


def _names_someone(text: str) -> bool:
    """Whether a sentence names a child or an adult of the case ("Baby Q", "Mr S")."""
    return bool(find_reviews(text) or CASE_PERSON.search(text))


def _tells_of_the_child(text: str, reviews: tuple[str, ...]) -> bool:
    """Whether a text opens with the initials of the child of a review it carries, in a
    sentence that tells what happened ("RD's father had been in prison", "T was excluded"
    under "Child T"): the story of the case. "GP records..." is no child's."""
    initials = {name.split()[-1] for name in reviews if name.split()[-1].isupper()}
    if not initials:
        return False
    first = (split_sentences(text) or [text])[0]
    opener = re.match(r"([A-Z]{1,3})(?:'s)?\s", first)
    return bool(opener and opener.group(1) in initials and NARRATIVE.search(first))


def _particular_subject(sentence: str) -> bool:
    """Whether a sentence is about one particular person or thing: it opens with a pronoun,
    or with "the", "a" or a possessive and a singular word ("The health visitor", "His
    father"), not a plural ("The views of children")."""
    match = SUBJECT.match(sentence)
    if not match:
        return False
    if match.group("pronoun"):
        return True
    word = match.group("word").lower()
    # "The school's response": a possessive names one owner; "The views of children" or
    # "The schools" are many.
    return word.endswith(("'s", "’s")) or not word.endswith("s")


def _under_cue_states_learning(kind: str, text: str, cue: str) -> bool:
    """Under a learning, finding or recommendation heading: an item that is not narrative,
    a recommendation table's row, or a paragraph that states a norm (or, short, states no
    story at all). Analysis paragraphs under "Findings" tell the case, and are not points."""
    if kind == "table":
        return cue == "recommendation" or _header_lists_points(text.split("\n", 1)[0])
    sentences = split_sentences(text) or [text]
    if kind == "bullet" and cue == "finding":
        # A finding is told in the past tense ("The advice given concentrated on the ideal
        # arrangement"): under a finding heading an item is the story only when it names
        # someone of the case or is told of the family ("He was not seen on his own").
        first = sentences[0]
        return not (_names_someone(first) or FAMILY_SUBJECT.match(first))
    if kind == "bullet" or IMPERATIVE.match(text) or _instruction_after_condition(text):
        # An item or an instruction ("When a child misses a health appointment, ask why.")
        # opens with its point; what follows may tell the case it comes from.
        return not _narrative(sentences[0])
    if _states_practice_norm(text) or any(_states_norm(s) for s in sentences):
        return True
    return len(sentences) <= SHORT_PARAGRAPH_SENTENCES and not any(
        _narrative(s) or FIRST_PERSON.search(s) for s in sentences
    )


def _is_rule(text: str) -> bool:
    """A rule or checklist item: an instruction (after the condition it applies in, if any),
    or a sentence saying what must happen."""
    if IMPERATIVE.match(text) or _instruction_after_condition(text):
        return True
    if _instruction_after_statement(text):
        return True
    return any(
        RULE_MODAL.search(s)
        and not SHOULD_HAVE.search(s)
        and not SCOPE.match(s)
        and not FIRST_PERSON.search(s)
        for s in split_sentences(text)
    )


def _instruction_after_statement(text: str) -> bool:
    """ "A referral is not a safety plan: agree who will check in with the child": a
    statement, then after a colon the instruction it leads to; not a story before it."""
    first = (split_sentences(text) or [text])[0]
    statement, colon, instruction = first.partition(": ")
    return bool(colon and IMPERATIVE.match(instruction)) and not NARRATIVE.search(statement)


def _instruction_after_condition(text: str) -> bool:
    """ "Where the child is old enough, speak to them on their own": an instruction after the
    condition it applies in, which ends at a comma; neither tells what happened ("When the
    family moved to the area, work with them stopped")."""
    if not CONDITION.match(text):
        return False
    sentence = (split_sentences(text) or [text])[0]
    for comma in re.finditer(r",\s*", sentence[:CONDITION_MAX_CHARS]):
        instruction = sentence[comma.end() :]
        if IMPERATIVE.match(instruction):
            condition = sentence[: comma.start()]
            return not (NARRATIVE.search(sentence) or _told_in_the_past(condition))
    return False


def _told_in_the_past(condition: str) -> bool:
    """ "When the family relocated": a verb in -ed, no auxiliary just before it (AUXILIARIES:
    "is excluded", "is being deliberately induced", "has declined" are no story)."""
    words = re.findall(r"[a-z']+", condition.lower())
    return any(
        PAST_VERB.fullmatch(word) and not AUXILIARIES.intersection(words[max(0, i - 2) : i])
        for i, word in enumerate(words)
    )


def _states_norm(sentence: str) -> bool:
    """Under a learning heading, any norm counts, an actor named or not ("It should be
    responded to through child protection procedures")."""
    return bool(
        NORMATIVE.search(sentence)
        and not FIRST_PERSON.search(sentence)
        and not SCOPE.match(sentence)
        and not HINDSIGHT.search(sentence)
    )


def _states_practice_norm(text: str) -> bool:
    """A paragraph saying what practice should do ("practitioners should..."), not the
    report's narrative ("we need to build on them", "it is important to note")."""
    for sentence in split_sentences(text):
        if FIRST_PERSON.search(sentence) or SCOPE.match(sentence):
            continue
        if not (NORMATIVE.search(sentence) or _sets_a_duty(sentence)):
            continue
        if ASIDE.search(sentence):
            continue
        if ACTOR.search(sentence) or IMPERSONAL_NORM.search(sentence):
            return True
    return False


def _sets_a_duty(sentence: str) -> bool:
    """ "Local authorities have a duty to assess...": a duty on someone of practice, named
    before it ("young carers feel they have a duty to hide it" is no norm)."""
    duty = DUTY.search(sentence)
    if duty is None:
        return False
    before = sentence[: duty.start()]
    return ACTOR.search(before) is not None and not PERCEIVES.search(before)


def is_learning_point(passage: Passage, doc_type: str = "") -> bool:
    """Whether the passage states learning for practice (a point of any kind)."""
    return bool(point_kind(passage, doc_type))


def learning_review(passage: Passage, document: Document | None = None) -> str | None:
    """The review a learning point comes from: the one its section names; else the
    document's own when the document is one review's report or its cover names it; for a
    briefing whose headings or text tell of one review (REVIEW_TOLD), that review for the
    briefing's learning ("Key messages"), not for its rules (a briefing's "What to do" box
    is not the review its "Learning from Child RD" box draws on); else the one its text
    names; None when a board or briefing states learning in general or names a review in
    passing. A heading names a review also by the first name the document gives it
    ("Jordan: learning for practice" in a briefing on the reviews of Child F and Jordan)."""
    only = document.reviews[0] if document is not None and len(document.reviews) == 1 else None
    for heading in reversed(passage.section):
        names = find_reviews(heading) or _own_reviews_named(heading, document)
        if names:
            return names[0]
        if only and THE_REVIEW_HEADING.search(heading):  # "What the review found"
            return only
    if document is not None and len(document.reviews) == 1:
        # The document's only review, when the document is that review's report or its
        # title or cover names it ("7-minute briefing: Child T", "Learning from the review
        # about Tobias"); a briefing that only draws on a review in one box states its
        # other rules in general.
        own = document.reviews[0]
        on_cover = document.provenance.get("reviews") == REVIEWS_FROM_COVER
        if document.doc_type in REVIEW_TYPES or own in find_reviews(document.title) or on_cover:
            return own
        told = document.provenance.get("reviews") == REVIEW_TOLD
        if told and document.doc_type in BRIEFING_TYPES and passage.point_kind == "learning":
            return own  # a briefing on one review: its key messages are that review's
    names = find_reviews(passage.text)
    return names[0] if names else None


def _own_reviews_named(heading: str, document: Document | None) -> list[str]:
    """The document's review a heading names as the document heads its reviews' sections
    ("Jordan: learning for practice", "What happened: Riley", "5.3 Callum"): a first name
    alone is a review's only so, not wherever the word appears ("Summer holidays: ...")."""
    if document is None:
        return []
    alone = ITEM_NUMBER.sub("", heading).strip()  # "5.3 Callum": a section given to it
    if alone in document.reviews:
        return [alone]
    match = HEADED_NAME_FIRST.match(heading) or HEADED_NAME_LAST.match(heading)
    return [match.group("name")] if match and match.group("name") in document.reviews else []
