"""Document metadata read from the text: title, document type, year, the reviews discussed.

Every value can be overridden on the command line or by a sidecar file next to the document
(`report.pdf.meta.json` or `report.meta.json`), e.g. {"type": "serious case review"}.
The rules are named in kb/rules/metadata.py."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.errors import KBError
from kb.records import DOC_TYPES, Block, ParsedDocument
from kb.rules.metadata import (
    ACRONYM_MAX_LETTERS,
    ACRONYM_VOWELLED_MAX_LETTERS,
    BRIEFING_TYPES,
    CITED_AS_A_REVIEW,
    CITED_REVIEW_MIN_MENTIONS,
    CITED_YEAR,
    COVER_TYPE_LINE_MAX_WORDS,
    DATED_LINE,
    DOC_TYPE_PATTERNS,
    FIRST_NAME,
    HEADED_NAME_ALONE,
    HEADED_NAME_FIRST,
    HEADED_NAME_LAST,
    KIND_REVIEW_OF_PSEUDONYM,
    LIST_ITEM,
    NAMED_PERSON,
    NOT_PSEUDONYMS,
    PERSON_WORDS,
    PUBLICATION_STATEMENT,
    REVIEW_LIST,
    REVIEW_NAME,
    REVIEW_OF_PSEUDONYM,
    REVIEW_PSEUDONYM,
    REVIEW_TOLD,
    REVIEW_TYPES,
    REVIEWS_FROM_COVER,
    SUBTITLED_NAME_MENTIONS,
    TEXT_LINE_MIN_WORDS,
    TITLE_ENOUGH_CHARS,
    TITLE_LINE_MAX_CHARS,
    TITLE_MAX_CHARS,
    TITLE_PSEUDONYM,
    TITLE_SCAN_BLOCKS,
    TYPE_MIN_MENTIONS,
    TYPE_OPENING_BLOCKS,
    TYPE_OPENING_CHARS,
    WEB_ADDRESS,
    YEAR_MAX,
    YEAR_MIN,
    YEAR_OPENING_BLOCKS,
    YEAR_OR_SPAN,
    YEAR_SPAN_MAX,
)

__all__ = [
    "TYPE_ALIASES",
    "Found",
    "detect_reviews",
    "detect_title",
    "detect_type",
    "detect_year",
    "find_reviews",
    "normalise_doc_type",
    "read_sidecar",
]

TYPE_ALIASES = {
    "scr": "serious case review",
    "serious-case-review": "serious case review",
    "cspr": "child safeguarding practice review",
    "practice review": "child safeguarding practice review",
    "llr": "learned lessons review",
    "learned-lessons review": "learned lessons review",
    "lessons learned review": "learned lessons review",
    "learning review": "learned lessons review",
    "briefing": "thematic briefing",
    "7 minute briefing": "7-minute briefing",
    "seven minute briefing": "7-minute briefing",
    "annual-report": "annual report",
    "report": "annual report",
    "procedures": "procedure",
    "guidance": "procedure",
    "policy": "procedure",
    "protocol": "procedure",
}


def normalise_doc_type(value: str) -> str:
    """Map a user's spelling of a document type to one of DOC_TYPES."""
    key = value.strip().lower()
    key = TYPE_ALIASES.get(key, key)
    if key not in DOC_TYPES:
        raise KBError(f"unknown document type {value!r}; choose one of: {', '.join(DOC_TYPES)}")
    return key


@dataclass(frozen=True)
class Found:
    """A metadata value and where it was read from (shown on the Library page)."""

    value: object
    source: str


def detect_title(parsed: ParsedDocument, path: Path) -> Found:
    """The title set on the cover or first page (or the file's own title), else the
    document's opening lines, else the file name."""
    if parsed.title_hint:
        return Found(parsed.title_hint, parsed.title_source or "the file's own title")
    lines: list[str] = []
    for block in parsed.blocks[:TITLE_SCAN_BLOCKS]:
        text = block.text.strip()
        if len(text) > TITLE_LINE_MAX_CHARS or WEB_ADDRESS.match(text) or block.kind == "bullet":
            break
        if text.lower() in {"contents", "page"}:
            break
        if lines and _reads_as_text(text):
            break  # the title has ended where its first sentence of text begins
        lines.append(text)
        if sum(len(x) for x in lines) > TITLE_ENOUGH_CHARS:
            break
    # Cover pages set titles in capitals: "NORTHTOWN SAFEGUARDING CHILDREN BOARD".
    title = " ".join(_soften_capitals(line) for line in lines)
    if not title or len(title) > TITLE_MAX_CHARS:
        name = path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
        return Found(name, "the file name")
    return Found(title, "the opening lines")


def _reads_as_text(line: str) -> bool:
    """A sentence of body text, not a title line: it ends a sentence and runs long."""
    return line.rstrip().endswith((".", "!", "?", ":")) and len(line.split()) > TEXT_LINE_MIN_WORDS


def _soften_capitals(line: str) -> str:
    if not line.isupper():
        return line
    # Keep acronyms (LSCB, SCR, NSPCC) as they are: all-capital words without a vowel, or
    # short ones that are no English word.
    return " ".join(w if _acronym(w) else w.capitalize() for w in line.split())


def _acronym(word: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", word)
    return len(letters) <= ACRONYM_MAX_LETTERS and (
        not re.search(r"[AEIOU]", letters) or len(letters) <= ACRONYM_VOWELLED_MAX_LETTERS
    )


def detect_type(title: str, parsed: ParsedDocument) -> Found:
    """The type the title names; else the type the cover or title block names; else the type
    the opening text names most (at least twice)."""
    for text, source in (
        (title, "the title"),
        *(
            (line, "the cover")
            for line in parsed.front_matter
            if len(line.split()) <= COVER_TYPE_LINE_MAX_WORDS
        ),
    ):
        found = _first_type(text)
        if found:
            return Found(found, f"{source} names it ({_quote(text)})")
    opening = " ".join(b.text for b in parsed.blocks[:TYPE_OPENING_BLOCKS])[:TYPE_OPENING_CHARS]
    counts: Counter[str] = Counter()
    for doc_type, pattern in DOC_TYPE_PATTERNS:
        counts[doc_type] += len(pattern.findall(opening))
    best = max(counts, key=lambda t: counts[t])
    if counts[best] >= TYPE_MIN_MENTIONS:
        return Found(best, f"the opening text names it {counts[best]} times")
    return Found("other", "no type is named")


def _first_type(text: str) -> str | None:
    return next((t for t, pattern in DOC_TYPE_PATTERNS if pattern.search(text)), None)


def names_only_a_kind(line: str) -> bool:
    """Whether a title line names only a kind of document ("7-Minute Briefing", "Serious
    Case Review"), which says nothing of what the document is about."""
    rest = line
    for _, pattern in DOC_TYPE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return rest != line and not re.search(r"[^\W\d_]", rest)


def detect_year(title: str, path: Path, parsed: ParsedDocument) -> Found:
    """A publication or completion statement on the cover, title block or running lines;
    else a dated line there ("November 2020"); else the latest year in the title (a 2016-17
    report is a 2017 report) or file name; else the year the opening text names most, never
    counting the years of Acts and guidance it cites; else the file's creation date."""
    # The title block and running lines first: the opening text after the first heading
    # ("This briefing passes on ... two reviews completed in 2023") dates what it tells of.
    block = _title_block_lines(parsed)
    past_heading = parsed.front_matter[len(block) :]
    for front in ([*block, *parsed.running_lines], past_heading):
        for line in front:
            match = PUBLICATION_STATEMENT.search(line)
            if match and not CITED_YEAR.search(line[: match.end()]):
                return Found(int(match.group(1)), f"the statement {_quote(line)}")
        for line in front:
            match = DATED_LINE.search(line)
            if match:
                return Found(int(match.group(1)), f"the date in {_quote(line)}")
    for text, source in ((title, "the title"), (path.stem, "the file name")):
        years = _years(text)
        if years:
            return Found(max(years), source)
    opening = " ".join(b.text for b in parsed.blocks[:YEAR_OPENING_BLOCKS])
    cited = {int(m.group(1)) for m in CITED_YEAR.finditer(opening)}
    counts = Counter(y for y in _years(CITED_YEAR.sub(" ", opening)) if y not in cited)
    if counts:
        year, n = counts.most_common(1)[0]
        return Found(year, f"the year the opening text names most ({n} times)")
    if parsed.year_hint:
        return Found(parsed.year_hint, "the file's creation date")
    return Found(None, "no year found")


def _quote(line: str) -> str:
    return repr(line if len(line) <= 80 else line[:77] + "...")


def _years(text: str) -> list[int]:
    years = []
    for match in YEAR_OR_SPAN.finditer(text):
        first = int(match.group(1))
        years.append(first)
        if match.group(2):
            tail = match.group(2)
            second = int(tail) if len(tail) == 4 else first // 100 * 100 + int(tail)
            if 0 < second - first <= YEAR_SPAN_MAX:
                years.append(second)
    return [y for y in years if YEAR_MIN <= y <= YEAR_MAX]


def find_reviews(text: str) -> list[str]:
    """Review names in a text, in order of first mention."""
    return list(dict.fromkeys(_review_mentions(text)))


def _review_mentions(text: str) -> list[str]:
    """Every mention of a review's name, in order: initials anywhere, a pseudonym where the
    text introduces it as a review (kb/rules/metadata.py)."""
    return [name for _, name in _review_mentions_at(text)]


def _cited_as_reviews(text: str) -> list[str]:
    """Names the text says are reviews' where it names them ("the review into Family W")."""
    return [
        name
        for start, name in _review_mentions_at(text)
        if CITED_AS_A_REVIEW.search(text[max(0, start - 40) : start])
    ]


def _review_mentions_at(text: str) -> list[tuple[int, str]]:
    """Every mention of a review's name with where the name starts, in order."""
    found = [
        (m.start(), f"{m.group(1)} {m.group(2)}")
        for m in REVIEW_NAME.finditer(text)
        if not _acronym_before_a_word(m.group(2), text[m.end() :])
    ]
    found += [
        (m.start(), f"{m.group(1)} {m.group(2)}")
        for m in REVIEW_PSEUDONYM.finditer(text)
        if m.group(2) not in NOT_PSEUDONYMS
    ]
    found += [
        (m.start(1), m.group(1))  # where the name starts, as for the others
        for m in REVIEW_OF_PSEUDONYM.finditer(text)
        if m.group(1) not in NOT_PSEUDONYMS and m.group(1) not in PERSON_WORDS
    ]
    found += [
        (m.start(1), m.group(1))
        for m in KIND_REVIEW_OF_PSEUDONYM.finditer(text)
        if m.group(1).split()[-1] not in NOT_PSEUDONYMS
    ]
    return sorted(found)


def _acronym_before_a_word(code: str, after: str) -> bool:
    """ "CP" in "Child CP plans": an acronym of the glossary qualifying the next word."""
    return len(code) > 1 and code in _acronyms() and bool(re.match(r"\s+[a-z]", after))


@lru_cache(maxsize=1)
def _acronyms() -> frozenset[str]:
    from kb.retrieval.acronyms import glossary

    return frozenset(glossary())


def detect_reviews(title: str, doc_type: str, parsed: ParsedDocument) -> Found:
    """The reviews a document is about. A review's own report is about the review its title
    or cover names (a subtitle saying who the child was counts where the text writes of the
    child as a person); a briefing or annual report about every review it names; a procedure or
    toolkit cites reviews in passing, so only those it names on its cover, in a heading, more
    than once, or once as a review of a named kind (CITED_AS_A_REVIEW)."""
    front = " ".join([title, *parsed.front_matter])
    named = find_reviews(front)
    if doc_type in REVIEW_TYPES and named:
        return Found(named[:1], REVIEWS_FROM_COVER)
    text = "\n".join(b.text for b in parsed.blocks)  # a name may end a block
    mentions = Counter(_review_mentions(text))
    if doc_type in REVIEW_TYPES and mentions:
        top = mentions.most_common(1)[0][0]
        return Found([top], "the review it names most")
    titled = TITLE_PSEUDONYM.match(title.strip())
    body = "\n".join(b.text for b in parsed.blocks if b.kind != "heading")
    if doc_type in REVIEW_TYPES and titled:
        name = titled.group("after") or titled.group("before")
        # A subtitle after a word may describe a place or a thing ("Bruising: the response
        # to injuries"): the text must write of the child so, more than once ("Rosa managed
        # her mother's medication").
        person = not titled.group("subtitle") or _written_as_a_person(
            name, body, SUBTITLED_NAME_MENTIONS
        )
        if name not in NOT_PSEUDONYMS and name.split()[0] not in NOT_PSEUDONYMS and person:
            return Found([name], "the title")
    if doc_type in ("procedure", "toolkit", "other"):
        # Cited by name more than once, or on its cover, or in a heading of a section given
        # to it ("Learning from the review of Milo"), where the text writes of the child as a
        # person ("8. Review of Placements" is a process, "Scenario - Baby B" a made-up case).
        headings = _headings(parsed)
        headed = [n for n in find_reviews(headings) if _written_as_a_person(n.split()[-1], body)]
        said = _cited_as_reviews(body)
        cited = [
            n
            for n in mentions
            if mentions[n] >= CITED_REVIEW_MIN_MENTIONS or n in named or n in headed or n in said
        ]
        return Found(cited, "named on its cover, in a heading, more than once or as a review")
    listed = _listed_reviews(f"{front}\n{text}", body)
    headed = _headed_alike(parsed.blocks, {*named, *mentions, *listed})
    people = [name for name in headed if _written_as_a_person(name, body)]
    found = list(dict.fromkeys([*named, *mentions, *listed, *people]))
    if doc_type in BRIEFING_TYPES and found:
        return Found(found, _briefing_source(found, doc_type, title, parsed, mentions))
    return Found(found, "every review it names")


def _briefing_source(
    found: list[str], doc_type: str, title: str, parsed: ParsedDocument, mentions: Counter[str]
) -> str:
    """Where a briefing's reviews were read from: its title block ("7-Minute Briefing /
    Learning from the review about Tobias": all of it is his); for its one review, a heading
    or text telling of it more than once (the briefing's learning is that review's); else
    every review it names, a passing mention included."""
    if doc_type == "7-minute briefing" and found == find_reviews(_title_block(title, parsed)):
        return REVIEWS_FROM_COVER
    told = find_reviews(_headings(parsed)) + [
        n for n in mentions if mentions[n] >= CITED_REVIEW_MIN_MENTIONS
    ]
    return REVIEW_TOLD if len(found) == 1 and found[0] in told else "every review it names"


def _headings(parsed: ParsedDocument) -> str:
    """The document's headings, a line each."""
    return "\n".join(b.text for b in parsed.blocks if b.kind == "heading")


def _title_block(title: str, parsed: ParsedDocument) -> str:
    """The title and the lines of the cover or title block, up to the first heading of the
    text ("1 Why this matters"): what the document says it is, not its first article."""
    return "\n".join([title, *_title_block_lines(parsed)])


def _title_block_lines(parsed: ParsedDocument) -> list[str]:
    """The cover's or title block's lines, up to the first heading of the text."""
    headings = {b.text for b in parsed.blocks if b.kind == "heading"}
    return list(itertools.takewhile(lambda line: line not in headings, parsed.front_matter))


def _listed_reviews(text: str, body: str) -> list[str]:
    """The names in lists of reviews (REVIEW_LIST), in order: pseudonyms with a person word
    ("Baby Isla") and first names, from a list where the text writes of every one of them
    as a person ("three reviews: Ofsted, Cafcass and Barnardos" names none)."""
    found: list[str] = []
    for match in REVIEW_LIST.finditer(text):
        names = [n for n in LIST_ITEM.findall(match.group("names")) if not REVIEW_NAME.fullmatch(n)]
        if names and all(_written_as_a_person(n.split()[-1], body) for n in names):
            found += names
    return found


def _headed_alike(blocks: Sequence[Block], known: set[str]) -> list[str]:
    """Names heading sections as the document's reviews head theirs, among headings of one
    level (HEADED_NAME_FIRST, HEADED_NAME_LAST, HEADED_NAME_ALONE), in order."""
    lower = {w for b in blocks for w in re.findall(r"\b[a-z][a-z-]+\b", b.text)}
    by_level: dict[int, list[str]] = {}
    for block in blocks:
        if block.kind == "heading":
            by_level.setdefault(block.level, []).append(block.text.strip())
    found: list[str] = []
    for headings in by_level.values():
        firsts = [m.group("name") for h in headings if (m := HEADED_NAME_FIRST.match(h))]
        alone = [
            m.group("name")
            for h in headings
            if (m := HEADED_NAME_ALONE.match(h)) and m.group("name").lower() not in lower
        ]
        lasts = [m.group("lead", "name") for h in headings if (m := HEADED_NAME_LAST.match(h))]
        leads = dict.fromkeys(lead for lead, _ in lasts)
        groups = [
            firsts,
            alone,
            *([name for lead, name in lasts if lead == shared] for shared in leads),
        ]
        for names in groups:
            if any(name in known or REVIEW_NAME.fullmatch(name) for name in names):
                found += names
    return found


def _written_as_a_person(name: str, body: str, times: int = 1) -> bool:
    """A first name (no review name, no word of the trade) that the text writes of as a
    person (NAMED_PERSON), at least `times` times."""
    if FIRST_NAME.fullmatch(name) is None or name in NOT_PSEUDONYMS or name in PERSON_WORDS:
        return False
    pattern = re.compile(NAMED_PERSON.format(name=re.escape(name)))
    return sum(1 for _ in itertools.islice(pattern.finditer(body), times)) >= times


def read_sidecar(path: Path) -> dict[str, object]:
    """Metadata overrides from `NAME.EXT.meta.json` or `NAME.meta.json` beside the file."""
    for candidate in (path.with_name(path.name + ".meta.json"), path.with_suffix(".meta.json")):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise KBError(f"{candidate}: not valid JSON ({exc})") from exc
            if not isinstance(data, dict):
                raise KBError(f"{candidate}: expected a JSON object")
            return {k: v for k, v in data.items() if k in {"title", "type", "year", "reviews"}}
    return {}
