"""Learning points (kb/passages/points.py): which statements say what practice should learn,
and of which kind (records.POINT_KINDS: learning, finding, recommendation, rule).

Judged on the learning points of shared/corpus-dev (judged.json, `points`: 31 of 31 found
with their review), of the two sets judged blind (tests/data/corpus-extra and corpus-extra2:
115 of 121) and the table tests of tests/test_rules.py."""

from __future__ import annotations

import re

from kb.rules.metadata import BRIEFING_TYPES

__all__ = [
    "ACTOR",
    "ASIDE",
    "ASKING_HEADING",
    "AUXILIARIES",
    "BOX_TITLE",
    "BOX_TITLE_MAX_WORDS",
    "CASE_PERSON",
    "CHECKLIST",
    "CONDITION",
    "CONDITION_MAX_CHARS",
    "DUTY",
    "DUTY_HEADER",
    "FAMILY_SUBJECT",
    "FIRST_PERSON",
    "GENERAL",
    "GENERAL_TRUTH_MIN_WORDS",
    "GENERIC_STATEMENT",
    "HINDSIGHT",
    "IMPERATIVE",
    "IMPERSONAL_NORM",
    "INTRODUCES",
    "ITEM_NUMBER",
    "LABEL",
    "LEAD_IN_MAX_WORDS",
    "LESSON_STATED",
    "NARRATIVE",
    "NORMATIVE",
    "NUMBER_COLUMN",
    "OUTCOME_COLUMN",
    "OUTCOME_HEADING",
    "OUTCOME_SECTION",
    "PAST_OR_PERFECT",
    "PAST_VERB",
    "PERCEIVES",
    "POINT_COLUMN",
    "POINT_MIN_WORDS",
    "PRESENT_TENSE",
    "QUESTION_HEADING",
    "RULE_DOCUMENTS",
    "RULE_MODAL",
    "SCOPE",
    "SECTION_CUES",
    "SHORT_PARAGRAPH_SENTENCES",
    "SHOULD_HAVE",
    "STATEMENT_VERB",
    "STATISTIC",
    "STATISTICS_MIN_FIGURES",
    "SUBJECT",
    "THIS_CASE",
    "TITLE_CASE_SHARE",
    "TITLE_WORD_MIN_LETTERS",
    "YES_NO_QUESTION",
]

# What a heading, box title, caption or lead-in says the text under it is.
SECTION_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "recommendation",
        re.compile(
            r"\brecommend(?:ations?|ed|s)?\b|\bactions?\b(?!\s+(?:was|were|taken))|\bwill do\b"
            r"|\bwhat (?:the|our) \w+ will do\b|\bimprovement plan\b",
            re.I,
        ),
    ),
    (
        "finding",
        re.compile(
            r"\bfindings?\b|\bwhat (?:the )?reviews? found\b"
            r"|\b(?:common|emerging|recurring|cross-cutting) themes\b"
            r"|\bthemes (?:from|across)\b"
            r"|\bwhat could (?:be|have been)(?: done)? better\b",
            re.I,
        ),
    ),
    (
        "rule",
        re.compile(
            r"\bpractice points?\b|\bpoints? for practice\b|\bchecklist\b"
            r"|\bwhat (?:you|practitioners|staff) (?:should|must) do\b|\bwhat to do\b",
            re.I,
        ),
    ),
    (
        "learning",
        re.compile(
            r"\blearning\b|\blessons?\b|\blearn(?:t|ed)\b|\bkey messages?\b"
            r"|\b(?:means|implications?) for (?:practice|practitioners|professionals|you)\b"
            r"|\bpractice implications\b"
            r"|\bwhat (?:practitioners|we) can do\b|\bareas? for (?:development|improvement)\b"
            r"|\bdevelopment areas\b"
            r"|\bdevelopmental issues\b|\bstrengths\b|\bwere found\b|\bwas found\b",
            re.I,
        ),
    ),
)
# A table's column of item numbers ("No.", "No"), passed over for the column naming its rows.
NUMBER_COLUMN = re.compile(r"no\.?", re.I)
# A table's header row that says its rows are duties ("Who | What they must do", "Agency |
# Responsibilities", "Do | Don't"): each row is a rule of its own, read a row at a time.
DUTY_HEADER = re.compile(
    r"\b(?:must|should|shall)\b|\bresponsibilit(?:y|ies)\b|^dos?\s*\|\s*don['’]?ts?\s*$", re.I
)
# A table's first column that names what each row is ("Lesson | Agencies", "Finding |
# Evidence", "Recommendation | Lead"): each row is a point of that kind. The whole cell must
# be the name: "Learning activity | Date | Attendance" is a training log.
POINT_COLUMN = re.compile(
    r"^(?:no\.?\s*\|\s*)?(?:key )?(?:lessons?(?: learn[te]d)?|learning(?: points?)?|findings?"
    r"|recommendations?|actions?(?: required)?|key messages?|rules?)\s*(?:\||$)",
    re.I,
)
# A statement, not a title: a heading that states a point has a verb ("Finding 3: Permanent
# exclusion removed a protective factor"); "Finding 4: Education, health and care plans"
# or "Lesson 2: The voice of the child" only name a subject.
STATEMENT_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|can|cannot|could|may|might|must|should|will"
    r"|would|does|do|did|not|never|needs?|makes?|means?|leads?|[a-z]{3,}ed)\b",
    re.I,
)
# A heading that reports what was done, not what was learned: a cue above it (a learning
# heading higher up) does not reach the text under it. "In response to" is not one: "the
# following actions in response to this review:" introduces recommendations.
OUTCOME_HEADING = re.compile(
    r"\b(outcomes?|impact|achieved|progress|activity|response(?!\s+to\b)|what has changed)\b",
    re.I,
)
# A heading that is nothing but a report of what was done ("Impact", "Outcomes / Impact",
# "What has changed", "Progress", "Actions taken"): the text right under it holds no point
# unless labelled.
# "The impact of domestic abuse on children" or "Improving outcomes" are subjects, not this.
OUTCOME_SECTION = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:outcomes?|impact|progress(?: made)?|achievements?"
    r"|what has changed|what (?:we|the partnership) (?:did|has done)|actions? (?:taken|completed))"
    r"(?:\s*(?:/|and|&)\s*(?:outcomes?|impact|progress|achievements?))*\s*$",
    re.I,
)
# A heading or lead-in that introduces a checklist ("Checklist before closing a case",
# "Neglect checklist", "Use this checklist:"; not "Why the checklist was not used"): its
# items may be questions to tick, yes or no (YES_NO_QUESTION: "Have all the agencies been
# told that the case is closing?"), not questions to reflect on ("Why do you think...?").
CHECKLIST = re.compile(
    r"^(?:use\s+)?(?:(?:a|the|this|our)\s+)?check ?list\b|\bcheck ?list\s*:?\s*$", re.I
)
YES_NO_QUESTION = re.compile(
    r"^(?:☐\s*)?(?:(?:if|when|where)\b[^,?]{0,80},\s*)?"
    r"(?:have|has|had|is|are|was|were|do|does|did|can|could|will|would|should)\b",
    re.I,
)
# A table's header row naming an outcome or hindsight ("What should have happened | What
# happened", "Agency | Responsibilities | Progress"): its rows report, they set no duty.
OUTCOME_COLUMN = re.compile(
    r"\b(?:happened|progress|status|completed|achieved|date|done)\b|\b(?:should|must) have\b",
    re.I,
)
# Headings of text that asks rather than teaches.
QUESTION_HEADING = re.compile(r"\bquestions?\b|\breflect", re.I)
# A heading that says what the practitioner should ask ("Practice points: what you should
# ask"): its questions are what practice must do, not prompts to reflect. ("Questions to ask
# children" stays a list of questions: set 3's judge left them out, where set 10's judge
# took "what you should ask" as points.)
ASKING_HEADING = re.compile(
    r"\bwhat (?:you|practitioners|professionals|staff) (?:should|must|need to) ask\b", re.I
)
# A box's title line (a table of one column) that opens with a kind of point, alone or with
# whom or what it is from or for, of at most this many words: "Lessons from Child K for every
# practitioner" says what the box holds; "Learning and development offer" or "Action for
# Children" (a charity) do not.
BOX_TITLE_MAX_WORDS = 10
BOX_TITLE = re.compile(
    r"^(?:key\s+)?(?:lessons?(?: learn[te]d)?|learning(?: points?)?|findings?|recommendations?"
    r"|messages?)(?:\s*:|\s*$|\s+(?:from|for|of|to)\b)",
    re.I,
)
# A statement labelled with its kind: "Learning point: ...", "Recommendation 3: ...", or a
# box whose first line is its kind ("Learning point" above the text).
LABEL = re.compile(
    r"^(?P<label>(?:key )?learning(?: points?| for practice)?"
    r"|lessons?(?: learned| learnt| for practice)?|practice points?"
    r"|finding|recommendation|action|rule)\s*\d*\s*(?:[:.-]\s+|\n)",
    re.I,
)
# A norm: what should, must or needs to happen ("practitioners should", "it is vital").
NORMATIVE = re.compile(
    r"\b(should|must|ought to|(?<!what )needs? to|need for|the need to"
    r"|it is (?:important|vital|essential|crucial|necessary|imperative)"
    r"|important (?:that|for|to)|imperative that|greater effort"
    r"|are required to|is required|have to|has to|it is key)\b",
    re.I,
)
# A duty the law or a procedure sets on someone of practice (ACTOR): "Local authorities have a
# duty to assess..." ("young carers feel they have a duty to hide it" is no norm).
DUTY = re.compile(r"\b(?:has|have) a (?:legal |statutory )?duty to\b", re.I)
PERCEIVES = re.compile(r"\b(?:feels?|felt|believes?|believed|thinks?|thought|says?|said)\b", re.I)
# A condition told in the past ("When the family relocated, work with them stopped", "After
# the referral closed, ...") opens a story, not an instruction: a verb in -ed with none of
# these within the two words before it ("If a child is excluded", "where illness is being
# deliberately induced", "Where a parent has declined early help" are conditions of a rule).
PAST_VERB = re.compile(r"[a-z]{3,}ed")
AUXILIARIES = frozenset("be is are been being not get gets has have".split())
# A sentence that says it states the lesson ("The central lesson of this review is that...",
# "The lesson for practitioners is that...", "The review's central lesson is that...").
LESSON_STATED = re.compile(
    r"\bthe\s+(?:\w+'s\s+)?(?:(?:central|key|main|single|overarching)\s+)?(?:lesson|learning)"
    r"(?:\s+(?:of|from|for)\s+[\w' ]{1,40}?)?\s+(?:is|was)\s+that\b",
    re.I,
)
# A paragraph or item number ("4.3.1", "2.", "(b)") says nothing about the statement.
ITEM_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|\(?[a-z]\)|\(?[ivx]{1,4}\))\s+")
# A document saying what it is ("This procedure should be read with...", "This chapter
# applies to...") states its scope, not practice.
SCOPE = re.compile(
    r"^(?:this|these) (?:procedures?|chapters?|guidance|protocols?|polic(?:y|ies)|documents?"
    r"|briefings?|reviews?|reports?|sections?|toolkits?|pages?)\b"
    # Of the document too: "It explains what you must do", "It should be read with ...".
    r"|^it (?:explains|sets out|describes|covers|tells you|applies|(?:should|must) be read)\b",
    re.I,
)
# A sentence that introduces what follows ("... agreed the following actions:").
INTRODUCES = re.compile(r":$|\bthe following\b", re.I)
# A checklist item or instruction opens with a verb: "Ask...", "Find out...", "Never close...".
IMPERATIVE = re.compile(
    r"^(?:do not|don't|never|always|ask|find out|speak|give|invite|remember|continue|follow"
    r"|consider|check|record|refer|make|tell|think|be|keep|share|use|look|phone|seek|see|talk"
    r"|listen|agree|include|plan|request|inform|notify|escalate|challenge|book|offer|act"
    r"|write|report|discuss|explain|involve|identify|assess|visit|contact|ensure|establish"
    r"|review|develop|introduce|revise|remind|audit|train|issue|launch|work|add|provide"
    r"|set up|update|embed|promote|strengthen|clarify|treat|read)\b",
    re.I,
)
# An instruction after the condition it applies in: "Where the child is old enough, speak
# to them on their own", "If a child, young person or adult discloses abuse, listen". The
# condition opens the sentence and ends at a comma within CONDITION_MAX_CHARS; neither it nor
# what follows tells what happened ("When the family moved, work with them stopped").
CONDITION = re.compile(r"^(?:where|if|when|once|before|after|while|unless)\b", re.I)
CONDITION_MAX_CHARS = 160
# Past-tense narrative of what happened in a case.
NARRATIVE = re.compile(
    # (a participle after "be" or "being" is no past: "needs are not being met"; after
    # "been" it tells the case: "She has been described by her teachers as quiet")
    r"(?<!\bbe )(?<!\bbeing )"
    r"\b(was|were|had|did|told|said|believed|described|recorded|heard|took|saw|became|moved"
    r"|arrived|noticed|explained|met|died|went|returned|left|visited|attended)\b",
    re.I,
)
# A sentence that says how often something happened speaks of practice in general, not of
# one case: "The child's voice was not always heard", "A child's behaviour was too often
# seen as a choice".
GENERAL = re.compile(
    r"\b(?:not always|always|often|too often|rarely|seldom|routinely|frequently|sometimes"
    r"|usually|in (?:several|many|most|all|some) (?:cases|reviews|families))\b",
    re.I,
)
# A statement of what may hold of anyone of a kind ("A father described as 'not involved' at
# booking may be very involved by the time the baby is born") is no story of one case; "A
# neighbour told police that the children are left alone" is.
GENERIC_STATEMENT = re.compile(
    r"^(?:an?|any)\s(?!.*\b(?:was|were|had|did|has|have)\b).*\b(?:may|might|can|could)\s+\w",
    re.I,
)
# An analysis paragraph that opens on what holds of any case, in the present, before it
# turns to this one ("5.14 Persistent crying is a well-recognised trigger for abusive head
# trauma, and male carers are over-represented..."; "A criminal records certificate is only
# one part of safe recruitment") states learning: a first sentence of at least this many
# words, in the present tense, with no past or perfect, and not of this review or case.
# Measured: points found +3 (sets 5, 7, 9), 4 more extracted that no judge listed ("Return
# home interviews are an important chance for a child to talk..."); set 2 0.787/0.873 ->
# 0.793/0.886, set 3 recall 0.768 -> 0.779; no file lost.
GENERAL_TRUTH_MIN_WORDS = 6
PRESENT_TENSE = re.compile(r"\b(?:is|are|can|may|does|do|tends?)\b")
PAST_OR_PERFECT = re.compile(r"\b(?:was|were|had|has|have)\b")
THIS_CASE = re.compile(r"\b(?:this|the) (?:review|case|family|child|report)\b", re.I)
# Who a story is told of: a pronoun, or a member of the family ("The mother told the GP...",
# "He was not seen on his own"); a finding is told of practice ("The advice given...").
FAMILY_SUBJECT = re.compile(
    r"^(?:he|she|his|her|(?:the|a) (?:mother|father|mum|dad|baby|child|boy|girl|toddler"
    r"|infant|stepfather|stepmother|partner|grandmother|grandfather|parents?|family"
    r"|siblings?|brother|sister|carer|young person))\b",
    re.I,
)
# Someone of the case: "Mr S", "Ms K".
CASE_PERSON = re.compile(r"\bM(?:r|rs|s) [A-Z]\b")
# What a sentence opens with: a pronoun, or an article or possessive and its word.
SUBJECT = re.compile(
    r"^(?:(?P<pronoun>he|she)\b|(?:the|a|an|his|her|their|this)\s+(?P<word>[a-z'’-]+))", re.I
)
# The report speaking of itself or its authors ("we need to build on them").
FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Uu]s)\b")
# Who practice is: a norm about them states learning for practice.
ACTOR = re.compile(
    r"\b(practitioners?|professionals?|agenc(?:y|ies)|staff|workers?|partners?|services?"
    r"|schools?|police|health|midwives|teachers?|managers?|local authorit(?:y|ies)|boards?"
    r"|organisations?|everyone|assessments?|plans?|authorit(?:y|ies)|settings?|visitors?)\b",
    re.I,
)
# A norm with no actor named, which still states learning ("it is vital that...").
IMPERSONAL_NORM = re.compile(r"\bit is (?:important|vital|essential|crucial)\b", re.I)
# A figure: a percentage or a number of two or more digits; a year is a date, not a figure
# ("Re-audit twenty cases | Subgroup | October 2024" states no statistics).
STATISTIC = re.compile(r"\d+(?:\.\d+)?\s*%|\b(?!(?:19|20)\d\d\b)\d{2,}[\d,]*\b")
# Documents whose must / should statements and checklist items are rules.
RULE_DOCUMENTS = frozenset({"procedure", "toolkit"}) | BRIEFING_TYPES

# A text whose longer words (of TITLE_WORD_MIN_LETTERS or more) are capitalised in this
# share is a name in title case ("Criminal Justice that Works for London"), not a point.
TITLE_CASE_SHARE = 0.7
TITLE_WORD_MIN_LETTERS = 4
# A point is a statement of at least this many words (after its item number).
POINT_MIN_WORDS = 4
# A sentence that introduces what follows is a lead-in, not a point, up to this many words.
LEAD_IN_MAX_WORDS = 30
# Text holding this many figures, and no norm, is statistics.
STATISTICS_MIN_FIGURES = 2
# Under a learning heading, a short paragraph (up to this many sentences) that tells no
# story is a point.
SHORT_PARAGRAPH_SENTENCES = 2
# A procedure's rule: a sentence saying what must or should happen...
RULE_MODAL = re.compile(r"\b(must|should|is required|are required)\b", re.I)
# ...not what should have happened.
SHOULD_HAVE = re.compile(r"\bshould have\b", re.I)
# Hindsight about the case ("should have", "could have") states no norm.
HINDSIGHT = re.compile(r"\b(?:should|must|would|could) have\b", re.I)
# An aside of the report's own ("it is important to note") states no norm.
ASIDE = re.compile(r"important to note|worth noting", re.I)
