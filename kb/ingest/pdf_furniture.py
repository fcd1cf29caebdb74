"""A PDF's page furniture, set aside before its structure is read (kb/ingest/pdf_structure.py):
running headers, footers and page numbers, the cover and a contents page; and the body
text's size and line pitch, which headings and paragraphs are measured against. Thresholds
are named in kb/rules/layout.py (StructureRules) and kb/rules/headings.py."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from kb.ingest.clean import clean_line, line_key
from kb.ingest.layout import Line, Page
from kb.rules.headings import CONTENTS_MIN_ENTRIES, CONTENTS_TITLES, PDF_CONTENTS_ENTRY
from kb.rules.layout import PAGE_NUMBER, StructureRules
from kb.text.words import word_key

__all__ = [
    "body_size",
    "cover_title",
    "drop_running_lines",
    "largest_first",
    "split_contents",
    "split_cover",
    "typical_pitch",
]


def drop_running_lines(pages: Sequence[Page], rules: StructureRules) -> list[list[Line]]:
    """Remove headers, footers and page numbers: lines at a page's top or bottom edge that
    repeat (digits masked) on several pages, and bare page numbers there."""

    def at_edge(line: Line, page: Page) -> bool:
        zone = rules.edge_share * page.height
        return line.bottom < zone or line.top > page.height - zone

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({line_key(ln.text) for ln in page.lines if at_edge(ln, page)})
    needed = max(2, rules.running_min_share * len(pages))
    running = {key for key, n in counts.items() if n >= needed}
    return [
        [
            ln
            for ln in page.lines
            if not (
                at_edge(ln, page) and (line_key(ln.text) in running or PAGE_NUMBER.match(ln.text))
            )
        ]
        for page in pages
    ]


def body_size(lines: Iterable[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def typical_pitch(lines: list[Line], body: float) -> float:
    pitches = [
        b.top - a.top
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.size == b.size == body and 0 < b.top - a.top < 3 * body
    ]
    pitches.sort()
    return pitches[len(pitches) // 2] if pitches else body * 1.3


def split_cover(
    pages: Sequence[Page], lines: list[Line], body: float, rules: StructureRules
) -> tuple[list[Line], list[Line]]:
    """A short first page set in the largest type of a document of three or more pages is its
    cover: its lines say what the document is, and are not indexed as passages. Returns the
    cover's lines (none when there is no cover) and the other lines."""
    first = [ln for ln in lines if ln.page == 1]
    if len(pages) < rules.cover_min_pages or not first:
        return [], lines
    words = sum(len(ln.text.split()) for ln in first)
    largest = max(ln.size for ln in lines)
    if words > rules.cover_max_words or max(ln.size for ln in first) < largest:
        return [], lines
    if any(word_key(ln.text) in CONTENTS_TITLES for ln in first):
        return [], lines  # a contents page, not a cover
    return first, [ln for ln in lines if ln.page != 1]


def largest_first(lines: Sequence[Line]) -> list[str]:
    """Lines' text, largest type first (in reading order within a size)."""
    return [clean_line(ln.text) for ln in sorted(lines, key=lambda ln: -ln.size)]


def cover_title(lines: Sequence[Line], rules: StructureRules) -> list[str]:
    """A cover's title lines, largest type first, a title wrapped over two lines joined into
    one: the next line has the same size, sits close under it and shares its column
    (StructureRules.cover_wrap_gap_ems), as "Child Safeguarding Practice" / "Review" do."""
    joined: list[tuple[float, str]] = []
    previous: Line | None = None
    for line in lines:
        if previous is not None and _wraps_onto(previous, line, rules):
            joined[-1] = (joined[-1][0], f"{joined[-1][1]} {line.text}")
        else:
            joined.append((line.size, line.text))
        previous = line
    return [clean_line(text) for _, text in sorted(joined, key=lambda item: -item[0])]


def _wraps_onto(previous: Line, line: Line, rules: StructureRules) -> bool:
    gap = line.top - previous.bottom
    return (
        abs(line.size - previous.size) < rules.same_size_tolerance
        and 0 <= gap < rules.cover_wrap_gap_ems * line.size
        and min(line.x1, previous.x1) > max(line.x0, previous.x0)  # one column
    )


def _contents_entry(
    lines: list[Line], at: int, rules: StructureRules
) -> tuple[int, re.Match[str]] | None:
    """The contents entry starting at line `at` and how many lines it takes: one, or two
    when it wraps (as a cover's title does, `_wraps_onto`) and its page number ends the next
    line ("Finding 1: ... not named as a safeguarding" / "concern ... 8")."""
    if at >= len(lines):
        return None
    first = clean_line(lines[at].text)
    if match := PDF_CONTENTS_ENTRY.match(first):
        return 1, match
    wrapped = at + 1 < len(lines) and lines[at + 1].page == lines[at].page
    if wrapped and _wraps_onto(lines[at], lines[at + 1], rules):
        second = clean_line(lines[at + 1].text)
        if PDF_CONTENTS_ENTRY.match(second) and (
            match := PDF_CONTENTS_ENTRY.match(f"{first} {second}")
        ):
            return 2, match
    return None


def split_contents(
    lines: list[Line], rules: StructureRules
) -> tuple[list[tuple[str, int]], list[Line]]:
    """A contents list ("Contents", then "Title ..... 12" lines): its entries, with a level
    read from their indent, and the lines without it."""
    start = next(
        (
            i
            for i, ln in enumerate(lines[: rules.contents_scan_lines])
            if word_key(ln.text) in CONTENTS_TITLES
        ),
        None,
    )
    if start is None:
        return [], lines
    end = start + 1
    entries: list[tuple[str, float]] = []
    while (taken := _contents_entry(lines, end, rules)) is not None:
        n, match = taken
        entries.append((match.group("text").rstrip(" ."), lines[end].x0))
        end += n
    if len(entries) < CONTENTS_MIN_ENTRIES:
        return [], lines
    indents = sorted({round(x) for _, x in entries})
    levelled = [(text, indents.index(round(x)) + 1) for text, x in entries]
    return levelled, lines[:start] + lines[end:]
