"""Document metadata read from the text: title, document type, year, the reviews discussed.

Every value can be overridden on the command line or by a sidecar file next to the document
(`report.pdf.meta.json` or `report.meta.json`), e.g. {"type": "serious case review"}."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from kb.errors import KBError
from kb.records import DOC_TYPES, Block, ParsedDocument

# Named reviews: 'Baby F', 'Young Person R', 'Family E', 'Child A'... A single capital
# (optionally with a digit) after a person word; "I" is a pronoun, not a case name.
REVIEW_NAME = re.compile(
    r"\b(Baby|Child|Young Person|Family|Infant|Sibling|Adult|Person|Girl|Boy)"
    r"\s+['\"]?([A-HJ-Z]\d?)(?![\w-])"
)

_TYPE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "serious case review",
        re.compile(r"serious case review|\bSCR\b|child safeguarding practice review", re.I),
    ),
    (
        "learned lessons review",
        re.compile(
            r"learn(?:ed|ing|t)[ -]lessons? review|lessons? learn(?:ed|t) review"
            r"|learning review|rapid review",
            re.I,
        ),
    ),
    ("annual report", re.compile(r"annual report", re.I)),
    ("toolkit", re.compile(r"tool ?kit", re.I)),
    ("procedure", re.compile(r"procedures?\b|protocol|policy|guidance", re.I)),
]

TYPE_ALIASES = {
    "scr": "serious case review",
    "serious-case-review": "serious case review",
    "llr": "learned lessons review",
    "learned-lessons review": "learned lessons review",
    "lessons learned review": "learned lessons review",
    "learning review": "learned lessons review",
    "annual-report": "annual report",
    "report": "annual report",
    "procedures": "procedure",
    "guidance": "procedure",
    "policy": "procedure",
}


def normalise_doc_type(value: str) -> str:
    """Map a user's spelling of a document type to one of DOC_TYPES."""
    key = value.strip().lower()
    key = TYPE_ALIASES.get(key, key)
    if key not in DOC_TYPES:
        raise KBError(f"unknown document type {value!r}; choose one of: {', '.join(DOC_TYPES)}")
    return key


def detect_title(parsed: ParsedDocument, path: Path) -> str:
    """The PDF/HTML/Word title if it has one, else the document's opening lines."""
    if parsed.title_hint:
        return parsed.title_hint
    lines: list[str] = []
    for block in parsed.blocks[:8]:
        text = block.text.strip()
        if len(text) > 90 or re.match(r"^(www\.|https?:)", text) or block.kind == "bullet":
            break
        if text.lower() in {"contents", "page"}:
            break
        lines.append(text)
        if sum(len(x) for x in lines) > 70:
            break
    # Cover pages set titles in capitals: "HARROW SAFEGUARDING CHILDREN BOARD".
    title = " ".join(_soften_capitals(line) for line in lines)
    if not title or len(title) > 120:
        return path.stem.replace("_", " ").replace("-", " ").strip().capitalize()
    return title


def _soften_capitals(line: str) -> str:
    if not line.isupper():
        return line
    # Keep known acronyms (HSCB, SCR, NSPCC) as they are.
    return " ".join(w if w in _ACRONYMS else w.capitalize() for w in line.split())


_ACRONYMS = {"HSCB", "LSCB", "SCR", "NSPCC", "MASH", "CSE", "FGM", "UK", "NHS"}


def detect_type(title: str, blocks: tuple[Block, ...]) -> str:
    """The type named in the title wins; else the type named most in the opening text."""
    for doc_type, pattern in _TYPE_PATTERNS:
        if pattern.search(title):
            return doc_type
    opening = " ".join(b.text for b in blocks[:40])[:4000]
    counts = {t: len(p.findall(opening)) for t, p in _TYPE_PATTERNS}
    best = max(counts, key=lambda t: counts[t])
    return best if counts[best] >= 2 else "other"


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


def detect_year(title: str, path: Path, parsed: ParsedDocument) -> int | None:
    """The latest year in the title (a 2016-17 report is a 2017 report), else the file
    name, else the PDF's creation date, else the year most named in the opening text."""
    for source in (title, path.stem):
        years = _years(source)
        if years:
            return max(years)
    if parsed.year_hint:
        return parsed.year_hint
    opening = " ".join(b.text for b in parsed.blocks[:30])
    years = Counter(_years(opening))
    return years.most_common(1)[0][0] if years else None


def find_reviews(text: str) -> list[str]:
    """Review names in a text, in order of first mention."""
    return list(dict.fromkeys(f"{m.group(1)} {m.group(2)}" for m in REVIEW_NAME.finditer(text)))


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
