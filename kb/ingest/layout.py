"""PDF page layout: words with their font, size and position, read into lines in reading order.

Reading order comes from a recursive XY-cut: a region is split at a vertical gutter (the
white band between two columns) when one runs its whole height, else at its widest
horizontal gap, until single lines remain. Boxed panels (a drawn rectangle holding text)
are read whole where they sit; ruled tables are read as tables. Rules and thresholds are
named in kb/rules/layout.py (LayoutRules) and tested in tests/test_reading.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from kb.rules.layout import BOLD_FONT, LAYOUT_RULES, MARKER_TEXT, LayoutRules

__all__ = [
    "Line",
    "Page",
    "Table",
    "Word",
    "join_words",
    "read_page",
]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Line:
    """One line of text as read: its words, where it sits and the style most of it has."""

    page: int
    words: tuple[Word, ...]
    panel: int = 0  # 1-based number of the boxed panel holding the line on its page, else 0
    region: int = 0  # which leaf region (column cell) of the page it was read in
    text: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", join_words(self.words))

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        """The size most of its characters are set in."""
        weights: dict[float, int] = {}
        for w in self.words:
            weights[round(w.size * 2) / 2] = weights.get(round(w.size * 2) / 2, 0) + len(w.text)
        return max(weights, key=lambda s: weights[s])

    @property
    def bold(self) -> bool:
        """Whether (nearly) all of it is bold."""
        letters = sum(len(w.text) for w in self.words)
        bold = sum(len(w.text) for w in self.words if w.bold)
        return bold >= 0.9 * letters

    @property
    def bold_prefix(self) -> bool:
        return bool(self.words) and self.words[0].bold and not self.bold


def join_words(words: Sequence[Word]) -> str:
    """The words' text, spaced where the page leaves a gap (a comma set in another font, or
    a word split at a style change, joins its neighbour)."""
    parts: list[str] = []
    for index, word in enumerate(words):
        if index and word.x0 - words[index - 1].x1 > LAYOUT_RULES.word_space_ems * word.size:
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


@dataclass(frozen=True)
class Table:
    """A ruled table: rows of cells (the first row is the header)."""

    page: int
    rows: tuple[tuple[str, ...], ...]
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    # Each ruled table with the line it comes before (None: after the page's last line).
    tables: tuple[tuple[Line | None, Table], ...] = ()


@dataclass
class _Item:
    x0: float
    top: float
    x1: float
    bottom: float
    words: list[Word]
    panel: int = 0


def read_page(page: Any, number: int, rules: LayoutRules = LAYOUT_RULES) -> Page:
    """Read one pdfplumber page into lines in reading order, with panels and tables."""
    width, height = float(page.width), float(page.height)
    tables = _tables(page, number)
    words = [
        w
        for w in _words(page, rules)
        if not any(_inside(w, t.bbox) for t in tables) and w.bottom > 0 and w.top < height
    ]
    items = _panel_items(page, words, width, rules)
    lines: list[Line] = []
    table_slots: list[tuple[Line | None, Table]] = []
    before: list[Table] = []  # tables waiting for the next line read
    pending = sorted(tables, key=lambda t: t.bbox[1])
    for region, leaf in enumerate(_xy_cut(items, rules)):
        groups = [(i.top, i.panel, i.words) for i in leaf if i.panel]
        loose = [w for i in leaf if not i.panel for w in i.words]
        if loose:
            groups.append((min(w.top for w in loose), 0, loose))
        for top, panel, group in sorted(groups, key=lambda g: g[0]):
            while pending and pending[0].bbox[1] < top:
                before.append(pending.pop(0))
            ordered = sorted(group, key=lambda w: (w.top, w.x0))
            for line_words in _lines(ordered, rules):
                kept = tuple(_drop_markers(line_words, rules))
                lines.append(Line(number, kept, panel, region))
                table_slots += [(lines[-1], t) for t in before]
                before = []
    table_slots += [(None, t) for t in before + pending]
    return Page(number, width, height, tuple(lines), tuple(table_slots))


def _words(page: Any, rules: LayoutRules) -> list[Word]:
    raw = page.extract_words(
        x_tolerance=rules.word_x_tolerance, keep_blank_chars=False, extra_attrs=["size", "fontname"]
    )
    return [
        Word(
            w["text"],
            float(w["x0"]),
            float(w["top"]),
            float(w["x1"]),
            float(w["bottom"]),
            float(w["size"]),
            bool(BOLD_FONT.search(w["fontname"] or "")),
        )
        for w in raw
        if w["text"].strip()
    ]


def _inside(word: Word, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return bbox[0] - 1 <= cx <= bbox[2] + 1 and bbox[1] - 1 <= cy <= bbox[3] + 1


def _tables(page: Any, number: int) -> list[Table]:
    """Ruled tables of two or more columns and rows (one-column 'tables' are highlighting)."""
    try:
        found = page.find_tables()
    except Exception:
        return []
    out = []
    for table in found:
        rows = [
            tuple(" ".join((cell or "").split()) for cell in row)
            for row in table.extract()
            if any((cell or "").strip() for cell in row)
        ]
        if len(rows) >= 2 and max(len([c for c in r if c]) for r in rows) >= 2:
            out.append(Table(number, tuple(rows), tuple(float(v) for v in table.bbox)))  # type: ignore[arg-type]
    return out


def _panel_items(page: Any, words: list[Word], width: float, rules: LayoutRules) -> list[_Item]:
    """Words outside panels as items of their own; each panel's words as one item."""
    panels: list[tuple[float, float, float, float]] = []
    for rect in page.rects:
        x0, top, x1, bottom = (float(rect[k]) for k in ("x0", "top", "x1", "bottom"))
        if (
            x0 > rules.panel_edge_margin
            and x1 < width - rules.panel_edge_margin
            and x1 - x0 >= rules.panel_min_width
            and bottom - top >= rules.panel_min_height
            and not any(_contains(p, (x0, top, x1, bottom)) for p in panels)
        ):
            panels = [p for p in panels if not _contains((x0, top, x1, bottom), p)]
            panels.append((x0, top, x1, bottom))
    items: list[_Item] = []
    held: dict[int, list[Word]] = {}
    for word in words:
        index = next((i for i, p in enumerate(panels) if _inside(word, p)), None)
        if index is None:
            items.append(_Item(word.x0, word.top, word.x1, word.bottom, [word]))
        else:
            held.setdefault(index, []).append(word)
    for index, inside in held.items():
        x0, top, x1, bottom = panels[index]
        items.append(_Item(x0, top, x1, bottom, inside, panel=index + 1))
    return items


def _contains(
    outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]
) -> bool:
    return (
        outer[0] <= inner[0] + 1
        and outer[1] <= inner[1] + 1
        and outer[2] >= inner[2] - 1
        and outer[3] >= inner[3] - 1
    )


def _xy_cut(items: list[_Item], rules: LayoutRules) -> list[list[_Item]]:
    """Leaf groups of items in reading order."""
    if len(items) <= 1:
        return [items] if items else []
    cut = _vertical_gutter(items, rules)
    if cut is not None:
        left = [i for i in items if (i.x0 + i.x1) / 2 < cut]
        right = [i for i in items if (i.x0 + i.x1) / 2 >= cut]
        return _xy_cut(left, rules) + _xy_cut(right, rules)
    cut = _widest_gap([(i.top, i.bottom) for i in items], minimum=rules.min_line_gap)
    if cut is not None:
        above = [i for i in items if (i.top + i.bottom) / 2 < cut]
        below = [i for i in items if (i.top + i.bottom) / 2 >= cut]
        if above and below:
            return _xy_cut(above, rules) + _xy_cut(below, rules)
    return [items]


def _vertical_gutter(items: list[_Item], rules: LayoutRules) -> float | None:
    left_edge = min(i.x0 for i in items)
    right_edge = max(i.x1 for i in items)
    span = right_edge - left_edge
    if span <= 0:
        return None
    size = median(w.size for i in items for w in i.words)
    best: tuple[float, float] | None = None
    for start, end in _gaps([(i.x0, i.x1) for i in items]):
        if end - start < max(rules.min_gutter, rules.min_gutter_ems * size):
            continue
        if min(start - left_edge, right_edge - end) < rules.min_column_share * span:
            continue
        sides = ([i for i in items if i.x1 <= start], [i for i in items if i.x0 >= end])
        if min(_line_count(side) for side in sides) < rules.min_column_lines:
            continue
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    return (best[0] + best[1]) / 2 if best else None


def _line_count(items: list[_Item]) -> int:
    """How many lines the items stand on (a panel counts as two)."""
    if any(i.panel for i in items):
        return 2
    return len(_gaps([(i.top, i.bottom) for i in items])) + 1 if items else 0


def _widest_gap(spans: list[tuple[float, float]], minimum: float) -> float | None:
    best: tuple[float, float] | None = None
    for start, end in _gaps(spans):
        if end - start >= minimum and (best is None or end - start > best[1] - best[0]):
            best = (start, end)
    return (best[0] + best[1]) / 2 if best else None


def _gaps(spans: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The empty intervals between the union of spans."""
    ordered = sorted(spans)
    gaps = []
    reach = ordered[0][1]
    for start, end in ordered[1:]:
        if start > reach:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _lines(words: list[Word], rules: LayoutRules) -> list[list[Word]]:
    """Words grouped into lines, each in reading order, the lines top to bottom."""
    lines: list[list[Word]] = []
    for word in words:
        line = _line_of(word, lines, rules)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return sorted(lines, key=lambda ln: min(w.top for w in ln))


def _line_of(word: Word, lines: list[list[Word]], rules: LayoutRules) -> list[Word] | None:
    """The line a word sits on: their vertical extents overlap and the word is printed over
    none of its words in another size (a small running header printed across a large title
    is a line of its own); a line of the word's own size first, if there are several."""
    fitting = [
        line
        for line in lines
        if _overlaps_vertically(word, line, rules) and not _printed_over(word, line, rules)
    ]
    alike = [line for line in fitting if not _sizes_differ(word, line[0], rules)]
    return next(iter(alike or fitting), None)


def _overlaps_vertically(word: Word, line: list[Word], rules: LayoutRules) -> bool:
    top = min(w.top for w in line)
    bottom = max(w.bottom for w in line)
    overlap = min(bottom, word.bottom) - max(top, word.top)
    return overlap >= rules.line_overlap * min(bottom - top, word.bottom - word.top)


def _printed_over(word: Word, line: list[Word], rules: LayoutRules) -> bool:
    """Whether the word shares horizontal space with a word of the line set in another size:
    two texts printed one over the other, not one line."""
    return any(
        min(word.x1, w.x1) - max(word.x0, w.x0) > 0 and _sizes_differ(word, w, rules) for w in line
    )


def _sizes_differ(a: Word, b: Word, rules: LayoutRules) -> bool:
    small, large = sorted((a.size, b.size))
    return large > rules.line_size_ratio_max * small


def _drop_markers(words: list[Word], rules: LayoutRules) -> list[Word]:
    """Footnote markers (a small raised number after a word) are not part of the text."""
    if len(words) < 2:
        return words
    size = median(w.size for w in words)
    kept = [words[0]]
    for word in words[1:]:
        marker = (
            MARKER_TEXT.fullmatch(word.text)
            and word.size < rules.marker_size_ratio * size
            and word.x0 - kept[-1].x1 < rules.marker_max_gap
        )
        if not marker:
            kept.append(word)
    return kept
