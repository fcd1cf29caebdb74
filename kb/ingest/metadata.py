"""Document metadata read from the text: title, document type, year, the reviews discussed.

Every value can be overridden on the command line or by a sidecar file next to the document
(`report.pdf.meta.json` or `report.meta.json`), e.g. {"type": "serious case review"}."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KBError
from kb.records import DOC_TYPES, ParsedDocument

# Named reviews: 'Baby F', 'Young Person R', 'Family E', 'Child I', 'Sibling Group J': a
# person word and a single capital (optionally with a digit). "I" after "a"/"the" or at the
# start of "As a child I..." is a pronoun, not a case name.
REVIEW_NAME = re.compile(
    r"(?<![Aa] )(?<![Tt]he )(?<!As a )\b(Baby|Child|Young Person|Family|Infant|Sibling Group"
    r"|Siblings|Adult|Girl|Boy)\s+['\"]?([A-Z]\d?)(?![\w-])"
)

# Document types as their own names say them, most specific first: the form of a document
# (a 7-minute briefing, an annual report) before the review it may be about.
_TYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("7-minute briefing", re.compile(r"\b(?:7|seven)[ -]minute briefing", re.I)),
    ("thematic briefing", re.compile(r"\bbriefing\b|\bthematic (?:review|report)\b", re.I)),
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
    for block in parsed.blocks[:8]:
        text = block.text.strip()
        if len(text) > 90 or re.match(r"^(www\.|https?:)", text) or block.kind == "bullet":
            break
        if text.lower() in {"contents", "page"}:
            break
        if lines and _reads_as_text(text):
            break  # the title has ended where its first sentence of text begins
        lines.append(text)
        if sum(len(x) for x in lines) > 70:
            break
    # Cover pages set titles in capitals: "NORTHTOWN SAFEGUARDING CHILDREN BOARD".
    title = " ".join(_soften_capitals(line) for line in lines)
    if not title or len(title) > 120:
        name = path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
        return Found(name, "the file name")
    return Found(title, "the opening lines")


def _reads_as_text(line: str) -> bool:
    """A sentence of body text, not a title line: it ends a sentence and runs long."""
    return line.rstrip().endswith((".", "!", "?", ":")) and len(line.split()) > 6


def _soften_capitals(line: str) -> str:
    if not line.isupper():
        return line
    # Keep acronyms (LSCB, SCR, NSPCC) as they are: all-capital words without a vowel, or
    # short ones that are no English word.
    return " ".join(w if _acronym(w) else w.capitalize() for w in line.split())


def _acronym(word: str) -> bool:
    letters = re.sub(r"[^A-Z]", "", word)
    return len(letters) <= 5 and (not re.search(r"[AEIOU]", letters) or len(letters) <= 3)


def detect_type(title: str, parsed: ParsedDocument) -> Found:
    """The type the title names; else the type the cover or title block names; else the type
    the opening text names most (at least twice)."""
    for text, source in (
        (title, "the title"),
        *((line, "the cover") for line in parsed.front_matter),
    ):
        found = _first_type(text)
        if found:
            return Found(found, f"{source} names it ({_quote(text)})")
    opening = " ".join(b.text for b in parsed.blocks[:40])[:4000]
    counts = {t: len(p.findall(opening)) for t, p in _TYPE_PATTERNS}
    best = max(counts, key=lambda t: counts[t])
    if counts[best] >= 2:
        return Found(best, f"the opening text names it {counts[best]} times")
    return Found("other", "no type is named")


def _first_type(text: str) -> str | None:
    return next((t for t, pattern in _TYPE_PATTERNS if pattern.search(text)), None)


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
)
# "Published: September 2019", "Review completed: June 2021", "Date of publication 3 May 2018"
_STATEMENT = re.compile(
    r"\b(?:published|publication|completed|approved|issued|finali[sz]ed|date|updated|revised"
    r"|amended)\b[^.\n]{0,60}?\b((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DATED = re.compile(rf"\b{_MONTH}\s+((?:19|20)\d\d)\b")
# The year of a cited Act, regulation or guidance is not the document's ("Children Act 1989",
# "Working Together to Safeguard Children 2018").
_CITED = re.compile(
    r"(?:\bAct|\bRegulations?|\bOrder|\bTogether[\w\s]{0,40}?|\bGuidance|\bRules|\bCode)"
    r"\s*(?:\(\w+\)\s*)?((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def detect_year(title: str, path: Path, parsed: ParsedDocument) -> Found:
    """A publication or completion statement on the cover, title block or running lines;
    else a dated line there ("November 2020"); else the latest year in the title (a 2016-17
    report is a 2017 report) or file name; else the year the opening text names most, never
    counting the years of Acts and guidance it cites; else the file's creation date."""
    front = [*parsed.front_matter, *parsed.running_lines]
    for line in front:
        match = _STATEMENT.search(line)
        if match and not _CITED.search(line[: match.end()]):
            return Found(int(match.group(1)), f"the statement {_quote(line)}")
    for line in front:
        match = _DATED.search(line)
        if match:
            return Found(int(match.group(1)), f"the date in {_quote(line)}")
    for text, source in ((title, "the title"), (path.stem, "the file name")):
        years = _years(text)
        if years:
            return Found(max(years), source)
    opening = " ".join(b.text for b in parsed.blocks[:30])
    cited = {int(m.group(1)) for m in _CITED.finditer(opening)}
    counts = Counter(y for y in _years(_CITED.sub(" ", opening)) if y not in cited)
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
    for match in re.finditer(r"\b((?:19|20)\d\d)(?:\s*(?:-|/|to)\s*(\d{2,4}))?\b", text):
        first = int(match.group(1))
        years.append(first)
        if match.group(2):
            tail = match.group(2)
            second = int(tail) if len(tail) == 4 else first // 100 * 100 + int(tail)
            if 0 < second - first <= 2:
                years.append(second)
    return [y for y in years if 1980 <= y <= 2100]


def find_reviews(text: str) -> list[str]:
    """Review names in a text, in order of first mention."""
    return list(dict.fromkeys(f"{m.group(1)} {m.group(2)}" for m in REVIEW_NAME.finditer(text)))


def detect_reviews(title: str, doc_type: str, parsed: ParsedDocument) -> Found:
    """The reviews a document is about. A review's own report is about the review its title
    or cover names; a briefing or annual report about every review it names; a procedure or
    toolkit cites reviews in passing, so only those it names on its cover or more than once."""
    front = " ".join([title, *parsed.front_matter])
    named = find_reviews(front)
    if doc_type in REVIEW_TYPES and named:
        return Found(named[:1], "the title or cover")
    text = " ".join(b.text for b in parsed.blocks)
    mentions = Counter(f"{m.group(1)} {m.group(2)}" for m in REVIEW_NAME.finditer(text))
    if doc_type in REVIEW_TYPES and mentions:
        top = mentions.most_common(1)[0][0]
        return Found([top], "the review it names most")
    if doc_type in ("procedure", "toolkit", "other"):
        cited = [name for name in mentions if mentions[name] >= 2 or name in named]
        return Found(cited, "named on its cover or more than once")
    return Found(list(dict.fromkeys([*named, *mentions])), "every review it names")


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
