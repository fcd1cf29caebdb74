"""From the lines of a PDF's pages (kb/ingest/layout.py) to the blocks a careful reader sees.

Running headers and footers, the cover and a contents page are set aside first
(kb/ingest/pdf_furniture.py); footnotes are the small type at the foot of a page; headings
are found by size and weight against the body text, and their level by numbering ("4.3"),
then by style rank; bullets by their glyph, whatever it is; paragraphs by line spacing.
Thresholds are named in kb/rules/layout.py (StructureRules) and kb/rules/headings.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kb.ingest.blocks import is_numbered_paragraph
from kb.ingest.clean import clean_line, is_unmapped_glyph
from kb.ingest.layout import Line, Page, Table
from kb.ingest.pdf_furniture import (
    body_size,
    cover_title,
    drop_running_lines,
    largest_first,
    split_contents,
    split_cover,
    typical_pitch,
)
from kb.records import Block, Box
from kb.rules.layout import (
    BULLET_GLYPH,
    HEADING_NUMBER,
    LIST_NUMBER,
    NOTE_NUMBER,
    PANEL_LEVEL,
    PARAGRAPH_NUMBER,
    STRUCTURE_RULES,
    StructureRules,
)
from kb.text.sentences import ends_sentence
from kb.text.words import word_key

__all__ = ["PdfStructure", "read_structure"]


@dataclass(frozen=True)
class PdfStructure:
    """What the structure reader found: blocks, contents entries and the cover's lines."""

    blocks: tuple[Block, ...]
    contents: tuple[tuple[str, int], ...]  # (entry, level) from a contents page
    cover: tuple[str, ...]  # the cover page's lines, largest type first
    running: tuple[str, ...] = ()  # the running headers and footers removed
    # The cover's title lines, largest first, each wrapped line joined ("Child Safeguarding
    # Practice Review"); the cover's lines above stay as set, for its type and dates.
    cover_title: tuple[str, ...] = ()


def read_structure(pages: Sequence[Page], rules: StructureRules = STRUCTURE_RULES) -> PdfStructure:
    kept = drop_running_lines(pages, rules)
    lines = [line for page in kept for line in page]
    kept_ids = {id(ln) for ln in lines}
    running = tuple(
        dict.fromkeys(
            clean_line(ln.text) for p in pages for ln in p.lines if id(ln) not in kept_ids
        )
    )
    body = body_size(lines)
    pitch = typical_pitch(lines, body)
    cover_lines, lines = split_cover(pages, lines, body, rules)
    cover = largest_first(cover_lines)
    contents, lines = split_contents(lines, rules)
    tables = _anchored_tables(pages, lines)
    sized = _mark_title(list(_blocks(lines, tables, body, pitch, rules)), cover)
    blocks = _assign_levels(sized, contents)
    title = tuple(cover_title(cover_lines, rules))
    return PdfStructure(tuple(blocks), tuple(contents), tuple(cover), running, title)


def _mark_title(sized: list[tuple[Block, float]], cover: list[str]) -> list[tuple[Block, float]]:
    """Without a cover, the first heading on page 1 set in the document's largest heading
    type, used once, is the document's title: it heads no section."""
    headings = [(b, s) for b, s in sized if b.kind == "heading" and b.level != PANEL_LEVEL]
    if cover or not headings:
        return sized
    block, size = headings[0]
    largest = max(s for _, s in headings)
    if block.page != 1 or size != largest or sum(s == largest for _, s in headings) != 1:
        return sized
    # Headings right under the title, before any text, are its subtitle lines.
    start = next(i for i, (b, _) in enumerate(sized) if b is block)
    end = start + 1
    while end < len(sized) and sized[end][0].kind == "heading" and sized[end][0].page == 1:
        end += 1
    if end == len(sized):
        return sized
    titled = [(replace(b, kind="title"), s) for b, s in sized[start:end]]
    return sized[:start] + titled + sized[end:]


@dataclass
class _Open:
    """The block being read."""

    kind: str
    lines: list[Line]
    text: str
    level: int = 0
    indent: float = 0.0  # where a bullet's text (or a paragraph's lines) begin
    starts: list[int] | None = None  # offset in `text` where each line begins
    listed: bool = False  # a numbered item ("1.", "(a)"), which may be a numbered paragraph

    def add(self, line: Line) -> None:
        self.starts = (self.starts or [0]) + [len(self.text) + 1]
        self.lines.append(line)
        self.text = f"{self.text} {clean_line(line.text)}"


def _anchored_tables(pages: Sequence[Page], lines: list[Line]) -> dict[int, list[Table]]:
    """Tables by the id of the kept line they come before; those after a page's last line
    (or before a line that was removed) by -page."""
    kept = {id(line) for line in lines}
    out: dict[int, list[Table]] = {}
    for page in pages:
        for anchor, table in page.tables:
            key = id(anchor) if anchor is not None and id(anchor) in kept else -page.number
            out.setdefault(key, []).append(table)
    return out


def _blocks(
    lines: list[Line],
    tables: dict[int, list[Table]],
    body: float,
    pitch: float,
    rules: StructureRules,
) -> Iterable[tuple[Block, float]]:
    """Group lines into headings, paragraphs, bullets, notes and tables, in reading order."""
    reader = _BlockReader(body, pitch, rules)
    page = 0
    for line in lines:
        if line.page != page:
            yield from reader.tables(tables.pop(-page, []))
            page = line.page
        yield from reader.tables(tables.pop(id(line), []))
        yield from reader.read(line)
    yield from reader.finish()
    for rest in tables.values():
        yield from reader.tables(rest)


class _BlockReader:
    """Reads lines one at a time into blocks, keeping the block being read open."""

    def __init__(self, body: float, pitch: float, rules: StructureRules) -> None:
        self.body, self.pitch, self.rules = body, pitch, rules
        self.current: _Open | None = None
        self.panel: tuple[int, int] = (0, 0)  # (page, panel) being read
        self.panel_titled = False
        self.front = True  # still in the first page's title block (no body text read yet)

    def read(self, line: Line) -> Iterable[tuple[Block, float]]:
        this_panel = (line.page, line.panel) if line.panel else (0, 0)
        if this_panel != self.panel:
            yield from self._leave_panel(line.page)
            self.panel = this_panel
            if line.panel and _is_heading(line, self.body, self.rules):
                self.panel_titled = True
                self.current = _Open("heading", [line], clean_line(line.text), level=PANEL_LEVEL)
                return
        role = _role(line, self.body, self.rules)
        current = self.current
        if role == "heading" and _goes_on_a_sentence(line, current, self.body, self.rules):
            role = "text"
        if current is not None and _continues(
            current, line, role, self.body, self.pitch, self.rules
        ):
            current.add(line)
            return
        yield from self._close()
        self.current = _start(line, role)

    def tables(self, tables: list[Table]) -> Iterable[tuple[Block, float]]:
        for table in tables:
            yield from self._close()
            yield _table_block(table)

    def finish(self) -> Iterable[tuple[Block, float]]:
        yield from self._leave_panel(None)

    def _leave_panel(self, page: int | None) -> Iterable[tuple[Block, float]]:
        yield from self._close()
        if self.panel_titled:
            yield Block("end", "", page, level=PANEL_LEVEL), 0.0
        self.panel_titled = False

    def _close(self) -> Iterable[tuple[Block, float]]:
        if self.current is None:
            return
        block, size = _close(self.current)
        if self.front and block.kind in ("paragraph", "bullet"):
            # A bold paragraph before any body text is the title block's (a subtitle, a
            # publisher's line): it says what the document is, and is not a passage.
            lines = self.current.lines
            if block.page == 1 and block.kind == "paragraph" and all(ln.bold for ln in lines):
                block = replace(block, kind="title")
            else:
                self.front = False
        self.current = None
        yield block, size


def _is_heading(line: Line, body: float, rules: StructureRules) -> bool:
    text = clean_line(line.text)
    words = text.split()
    if not words or len(words) > rules.heading_max_words or not any(c.isalpha() for c in text):
        return False
    if BULLET_GLYPH.match(words[0]) or (
        LIST_NUMBER.match(words[0]) and len(words) > 1 and not line.bold
    ):
        return False
    larger = line.size >= rules.heading_size_ratio * body
    if not (larger or (line.bold and line.size >= rules.bold_heading_min_size * body)):
        return False
    # A bold sentence is emphasis, not a heading ("Published by ..., March 2022.").
    return not (text.endswith(".") and len(words) >= rules.sentence_heading_words)


def _goes_on_a_sentence(
    line: Line, current: _Open | None, body: float, rules: StructureRules
) -> bool:
    """A bold line of body size that opens in lower case after a line of text goes on that
    text's sentence ("... When a child takes on the / **care of a parent or younger
    siblings, ...**"): emphasis, not a heading. After a heading it is the heading's wrap."""
    first = line.words[0].text
    return (
        first[:1].islower()
        and line.size < rules.heading_size_ratio * body
        and current is not None
        and current.kind != "heading"
    )


def _is_bullet_glyph(word: str) -> bool:
    """A bullet, or a glyph the font gives no character for ("(cid:127)"), the usual one."""
    return BULLET_GLYPH.match(word) is not None or is_unmapped_glyph(word)


def _role(line: Line, body: float, rules: StructureRules) -> str:
    first = line.words[0].text
    if _is_heading(line, body, rules):
        return "heading"
    if line.size <= rules.note_size_ratio * body and NOTE_NUMBER.fullmatch(first):
        return "note"
    if _is_bullet_glyph(first) and len(line.words) > 1:
        return "bullet"
    if LIST_NUMBER.match(first) and len(line.words) > 1 and not PARAGRAPH_NUMBER.match(first):
        return "listed"
    if PARAGRAPH_NUMBER.match(first):
        return "numbered"
    return "text"


def _continues(
    current: _Open, line: Line, role: str, body: float, pitch: float, rules: StructureRules
) -> bool:
    last = current.lines[-1]
    if line.page != last.page or line.panel != last.panel or line.top <= last.top:
        return False
    gap = line.top - last.top
    if current.kind == "heading" or role == "heading":  # a heading wrapped over lines
        same_style = (
            abs(line.size - last.size) < rules.same_size_tolerance and line.bold == last.bold
        )
        return (
            current.kind == role == "heading"
            and same_style
            and gap < rules.heading_wrap_gap * line.size
        )
    if role in ("bullet", "listed", "numbered", "note"):
        return False  # each item starts its own block
    if current.kind == "note":
        return line.size <= rules.note_size_ratio * body and gap < rules.note_wrap_gap * line.size
    if (
        abs(line.size - last.size) > rules.same_size_tolerance
        and line.size < rules.small_type_ratio * body
    ):
        return False
    if gap > rules.paragraph_pitch * max(pitch, last.size * 1.1):
        return False
    if current.kind == "bullet":
        return line.x0 >= current.indent - rules.bullet_indent_slack
    # An indented first line starts a paragraph (LaTeX sets paragraphs so); a numbered
    # paragraph's second line is indented past its hanging number, and continues it.
    indented = line.x0 > last.x0 + rules.paragraph_indent and len(current.lines) >= 2
    return not (indented and ends_sentence(current.text))


def _start(line: Line, role: str) -> _Open:
    text = clean_line(line.text)
    if role in ("bullet", "listed"):
        words = line.words
        indent = words[1].x0 if len(words) > 1 else line.x0
        glyph = _is_bullet_glyph(words[0].text) and len(text.split()) > 1
        body = text.split(maxsplit=1)[1] if glyph else text
        return _Open("bullet", [line], body, indent=indent, listed=role == "listed")
    if role == "note":
        number, _, rest = text.partition(" ")
        return _Open("note", [line], f"[{number}] {rest}".strip())
    kind = {"heading": "heading", "numbered": "paragraph", "text": "paragraph"}[role]
    return _Open(kind, [line], text, indent=line.x0)


def _close(current: _Open) -> tuple[Block, float]:
    """The block, and the size of its first line (to rank headings)."""
    boxes = tuple(Box(ln.page, ln.x0, ln.top, ln.x1, ln.bottom) for ln in current.lines)
    kind = current.kind
    if current.listed and is_numbered_paragraph(current.text):
        kind = "paragraph"
    block = Block(
        kind,
        current.text,
        current.lines[0].page,
        level=current.level,
        boxes=boxes,
        box_starts=tuple(current.starts or [0]),
    )
    return block, current.lines[0].size


def _table_block(table: Table) -> tuple[Block, float]:
    rows = ["\t".join(clean_line(cell) for cell in row) for row in table.rows]
    x0, top, x1, bottom = table.bbox
    box = Box(table.page, x0, top, x1, bottom)
    return Block("table", "\n".join(rows), table.page, boxes=(box,), box_starts=(0,)), 0.0


def _assign_levels(
    sized: list[tuple[Block, float]], contents: Sequence[tuple[str, int]]
) -> list[Block]:
    """Heading levels: a contents entry's level, else the depth of its number ("4.3" is 2),
    else the rank of its size among the document's heading sizes."""
    sizes = sorted(
        {size for b, size in sized if b.kind == "heading" and b.level != PANEL_LEVEL},
        reverse=True,
    )
    entries = {word_key(re.sub(r"^[\d.]+\s*", "", t)): lvl for t, lvl in contents}
    out = []
    for block, size in sized:
        if block.kind != "heading" or block.level == PANEL_LEVEL:
            out.append(block)
            continue
        first = block.text.split()[0]
        level = entries.get(word_key(re.sub(r"^[\d.]+\s*", "", block.text)))
        if level is None and HEADING_NUMBER.match(first) and re.match(r"\d", first):
            level = len([p for p in first.rstrip(".").split(".") if p])
        if level is None:
            level = sizes.index(size) + 1
        out.append(replace(block, level=min(level, PANEL_LEVEL - 1)))
    return out
