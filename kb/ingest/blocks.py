"""Turn lines of text (from a .txt, .md or a PDF page) into structural blocks.

A block is a heading, a paragraph or one bullet. Plain text has no markup, so structure is
read from layout: blank lines, bullet markers, short title-like lines, and a contents list.
The rules are named in kb/rules/headings.py and kb/rules/passages.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from kb.records import Block
from kb.rules import headings, passages
from kb.text.sentences import ends_sentence

__all__ = [
    "finish_blocks",
    "is_numbered_paragraph",
    "lines_to_blocks",
    "looks_hard_wrapped",
]


@dataclass
class _Raw:
    lines: list[str] = field(default_factory=list)
    page: int | None = None
    bullet: bool = False
    md_level: int = 0
    page_starts: list[tuple[int, int]] = field(default_factory=list)  # (line index, page)


def lines_to_blocks(
    pages: Sequence[tuple[int | None, list[str]]],
    reflow: bool,
    markdown: bool = False,
    outline: Sequence[tuple[str, int]] = (),
) -> list[Block]:
    """Group lines into blocks, classify them and assign heading levels.

    `reflow` joins consecutive lines into paragraphs (PDF pages, hard-wrapped text); without
    it every line is a paragraph of its own. `outline` is a PDF's bookmarks (title, depth)."""
    raws = list(_group(pages, reflow, markdown))
    blocks, toc = _drop_contents(_join_broken_paragraphs(_classify(raws)))
    blocks = _join_tables(blocks)
    known = list(toc)
    known += [(t, d + 1) for t, d in outline]
    return _attach_lead_ins(_assign_levels(blocks, known, toc))


def is_numbered_paragraph(text: str) -> bool:
    """Whether a numbered item reads as a paragraph (two or more sentences, or long)."""
    text = passages.ITEM_NUMBER_PREFIX.sub("", text)
    sentences = passages.ITEM_SENTENCE_END.findall(text)
    return (
        len(sentences) >= passages.NUMBERED_PARAGRAPH_MIN_SENTENCES
        or len(text.split()) > passages.NUMBERED_PARAGRAPH_WORDS
    )


def finish_blocks(blocks: list[Block], outline: Sequence[tuple[str, int]] = ()) -> list[Block]:
    """The steps every loader's blocks share: paragraphs cut by a page or column break
    rejoined, headings the outline names levelled, bullets given their lead-in."""
    blocks = _join_broken_paragraphs(blocks)
    known = [(t, d + 1) for t, d in outline]
    return _attach_lead_ins(_caption_tables(_assign_levels(blocks, known, [])))


def _caption_tables(blocks: list[Block]) -> list[Block]:
    """A table without a caption takes the short paragraph that introduces it."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            block.kind == "table"
            and not block.lead_in
            and previous is not None
            and previous.kind == "paragraph"
            and len(previous.text.split()) <= passages.TABLE_LEAD_IN_MAX_WORDS
        ):
            block = replace(block, lead_in=previous.text)
        out.append(block)
    return out


def looks_hard_wrapped(lines: Sequence[str]) -> bool:
    """True when text is wrapped at a fixed width (so lines must be rejoined)."""
    nonblank = [ln for ln in lines if ln.strip()]
    if len(nonblank) < passages.HARD_WRAP_MIN_LINES:
        return False
    long_lines = sum(1 for ln in nonblank if len(ln) > passages.HARD_WRAP_LONG_LINE)
    return long_lines / len(nonblank) < passages.HARD_WRAP_MAX_LONG_SHARE


def _group(
    pages: Sequence[tuple[int | None, list[str]]], reflow: bool, markdown: bool
) -> Iterable[_Raw]:
    widths = sorted(len(ln) for _, lines in pages for ln in lines if ln.strip())
    typical = (
        widths[int(len(widths) * passages.TEXT_WIDTH_PERCENTILE)]
        if widths
        else passages.DEFAULT_TEXT_WIDTH
    )
    current = _Raw()
    for page, lines in pages:
        for line in lines:
            text = line.strip()
            if not text:
                if current.lines:
                    yield current
                current = _Raw(page=page)
                continue
            md = headings.MARKDOWN_HEADING.match(text) if markdown else None
            if md:
                if current.lines:
                    yield current
                yield _Raw([md.group(2)], page, md_level=len(md.group(1)))
                current = _Raw(page=page)
                continue
            is_bullet = bool(passages.BULLET.match(text))
            starts_new = (
                not current.lines
                or is_bullet
                or not reflow
                or _ends_paragraph(current.lines[-1], typical)
                or (_heading_like(text) and ends_sentence(current.lines[-1]))
                or _is_heading_line(current.lines, typical)
            )
            if starts_new:
                if current.lines:
                    yield current
                current = _Raw([text], page, bullet=is_bullet)
            else:
                if page != current.page and all(p != page for _, p in current.page_starts):
                    # Only PDF lines have pages, and a PDF's lines all have one.
                    current.page_starts.append((len(current.lines), cast(int, page)))
                current.lines.append(text)
        # A paragraph may run over a page break; a new page never continues a heading.
        if current.lines and ends_sentence(current.lines[-1]):
            yield current
            current = _Raw()
    if current.lines:
        yield current


def _is_heading_line(lines: list[str], typical: int) -> bool:
    # A lone short title-like line: body text never starts with a line well short of the width.
    return (
        len(lines) == 1
        and len(lines[0]) < headings.HEADING_LINE_WIDTH_SHARE * typical
        and _heading_like(lines[0])
    )


def _ends_paragraph(line: str, typical: int) -> bool:
    # A line that ends a sentence well short of the text width ends its paragraph.
    return ends_sentence(line) and len(line) < passages.PARAGRAPH_END_WIDTH_SHARE * typical


def _heading_like(text: str) -> bool:
    words = text.split()
    numbered = bool(headings.NUMBERED_HEADING.match(text))
    limit = headings.NUMBERED_HEADING_MAX_WORDS if numbered else headings.HEADING_MAX_WORDS
    if (
        not words
        or len(words) > limit
        or len(text) > limit * headings.HEADING_MAX_CHARS_PER_WORD
        or "\t" in text
    ):
        return False
    if text.endswith((",", ";", "-")) or (text.endswith(":") and not numbered):
        return False
    if headings.SENTENCE_INSIDE.search(text) or headings.CLOCK.search(text):
        return False
    if passages.CAPTION.match(text) or not any(c.isalpha() for c in text):
        return False
    first = headings.ENUMERATION.sub("", text).lstrip("'\"(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    lowercase = sum(1 for w in words if w[:1].islower()) / len(words)
    if (
        len(words) > headings.LIST_INTRO_MIN_WORDS
        and lowercase > headings.LIST_INTRO_LOWERCASE_SHARE
        and headings.AUXILIARY.search(text)
    ):
        return False  # "In some cases the following issues were found" introduces a list
    if text.endswith("."):
        # "Learning from reviews and incidents." is a heading; a sentence is longer.
        short = len(words) <= headings.SENTENCE_HEADING_MAX_WORDS
        return short and not headings.AUXILIARY.search(text)
    return not text.endswith(("!", "?"))


def _classify(raws: list[_Raw]) -> list[Block]:
    blocks: list[Block] = []
    for i, raw in enumerate(raws):
        text = " ".join(raw.lines)
        if raw.md_level:
            blocks.append(Block("heading", text, raw.page, level=raw.md_level))
        elif raw.bullet:
            blocks.append(Block("bullet", passages.BULLET.sub("", text, count=1).strip(), raw.page))
        elif len(raw.lines) == 1 and _heading_like(text) and _followed_by_body(raws, i):
            blocks.append(Block("heading", text, raw.page))
        elif titled := headings.TITLED_LABEL.match(text):
            # "Priority 4: Effective collaboration: ensuring that ..." heads a section and
            # says what it is about in the same line.
            blocks.append(Block("heading", titled.group("heading"), raw.page))
            blocks.append(Block("paragraph", titled.group("rest"), raw.page))
        elif passages.FOOTNOTE.match(text):
            blocks.append(Block("note", text, raw.page))
        else:
            starts = tuple(
                (len(" ".join(raw.lines[:line])) + 1, page) for line, page in raw.page_starts
            )
            blocks.append(Block("paragraph", text, raw.page, page_starts=starts))
    return blocks


def _join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """Rejoin a paragraph cut by a page break (and the footnote or caption set in between):
    a paragraph that starts in lower case continues the last paragraph that did not end."""
    out: list[Block] = []
    for block in blocks:
        starts_lower = block.kind == "paragraph" and block.text[:1].islower()
        target = _open_paragraph(out) if starts_lower else None
        if target is None:
            out.append(block)
            continue
        out[target] = out[target].joined(block)
    return out


def _join_tables(blocks: list[Block]) -> list[Block]:
    """Consecutive rows (tab-separated cells) become one table block, rows on their own
    lines; a caption next to it ("Figure 2 ...", or a title line after it) becomes its
    lead-in, so a figure is found and shown with what it measures."""
    out: list[Block] = []
    for block in blocks:
        is_row = block.kind == "paragraph" and "\t" in block.text
        if is_row and out and out[-1].kind == "table" and out[-1].page == block.page:
            out[-1] = out[-1].joined(block, "\n")
        elif is_row:
            caption = ""
            if out and out[-1].kind == "paragraph" and passages.CAPTION.match(out[-1].text):
                caption = out.pop().text
            out.append(Block("table", block.text, block.page, lead_in=caption))
        elif out and out[-1].kind == "table" and not out[-1].lead_in and _is_caption(block):
            out[-1] = replace(out[-1], lead_in=block.text)
        else:
            out.append(block)
    return out


def _is_caption(block: Block) -> bool:
    words = block.text.split()
    return (
        block.kind == "paragraph"
        and passages.CAPTION_LINE_MIN_WORDS <= len(words) <= passages.CAPTION_LINE_MAX_WORDS
        and not block.text.rstrip().endswith((".", ":", ";", "!", "?"))
    )


def _open_paragraph(blocks: list[Block]) -> int | None:
    # Look back past footnotes ("[6] ...") and captions to the paragraph that was cut off.
    for index in range(
        len(blocks) - 1, max(len(blocks) - 1 - passages.BROKEN_PARAGRAPH_LOOKBACK, -1), -1
    ):
        block = blocks[index]
        if block.kind == "note" or (
            block.kind == "paragraph" and passages.CAPTION.match(block.text)
        ):
            continue
        if block.kind == "paragraph" and not ends_sentence(block.text):
            return index
        return None
    return None


def _followed_by_body(raws: list[_Raw], i: int) -> bool:
    # A heading introduces something: it is not the last line of the document.
    return i + 1 < len(raws)


def _norm(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("'s ", " ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _drop_contents(blocks: list[Block]) -> tuple[list[Block], list[tuple[str, int]]]:
    """Find a contents list ('Contents' then 'Title ... 12' lines): return the blocks without
    it, and its entries (title, indent level) to recognise top-level headings later."""
    start = next(
        (
            i
            for i, b in enumerate(blocks[: headings.CONTENTS_SCAN_BLOCKS])
            if _norm(b.text) in headings.CONTENTS_TITLES
        ),
        None,
    )
    if start is None:
        return blocks, []
    entries: list[tuple[str, int]] = []
    end = start + 1
    while end < len(blocks):
        block = blocks[end]
        if _norm(block.text) == "page":
            end += 1
            continue
        match = headings.TEXT_CONTENTS_ENTRY.match(block.text.strip())
        if match:
            entries.append((match.group("text").strip(), 2 if block.kind == "bullet" else 1))
        elif not (
            block.kind == "heading"
            and end + 1 < len(blocks)
            and headings.TEXT_CONTENTS_ENTRY.match(blocks[end + 1].text.strip())
        ):
            break
        else:
            entries.append((block.text.strip(), 1))
        end += 1
    if len(entries) < headings.CONTENTS_MIN_ENTRIES:
        return blocks, []
    return blocks[:start] + blocks[end:], entries


def _assign_levels(blocks: list[Block], known: list[tuple[str, int]], toc: list) -> list[Block]:
    known_norm = [(set(_norm(headings.ENUMERATION.sub("", t)).split()), lvl) for t, lvl in known]
    out: list[Block] = []
    for block in blocks:
        if block.kind != "heading" or block.level:
            out.append(block)
            continue
        level = _known_level(block.text, known_norm)
        if level is None:
            if headings.NUMBERED_HEADING.match(block.text):
                level = headings.NUMBERED_HEADING_LEVEL
            elif not toc and block.text.isupper():
                level = headings.CAPITALS_HEADING_LEVEL
            else:
                level = headings.DEFAULT_HEADING_LEVEL
        out.append(replace(block, level=level))
    return out


def _known_level(text: str, known: list[tuple[set[str], int]]) -> int | None:
    words = set(_norm(headings.ENUMERATION.sub("", text)).split()) - {str(n) for n in range(100)}
    if not words:
        return None
    # "Female Genital Mutilation (FGM)" is the contents line "FGM".
    acronym = headings.ACRONYM_IN_HEADING.search(text)
    if acronym:
        for entry, level in known:
            if entry == {acronym.group(1).lower()}:
                return level
    best: tuple[float, int] | None = None
    for entry, level in known:
        if not entry:
            continue
        common = len(words & entry)
        # Headings often add or drop a word against the contents line ("(CDOP) ... for 2016").
        overlap = common / min(len(words), len(entry))
        if (
            overlap >= headings.CONTENTS_MATCH_SHORTER
            and common / max(len(words), len(entry)) >= headings.CONTENTS_MATCH_LONGER
            and (best is None or overlap > best[0])
        ):
            best = (overlap, level)
    return best[1] if best else None


def _attach_lead_ins(blocks: list[Block]) -> list[Block]:
    """Give each bullet the paragraph that introduces its list."""
    out: list[Block] = []
    lead_in = ""
    for block in blocks:
        if block.kind == "bullet":
            out.append(replace(block, lead_in=lead_in))
            continue
        if block.kind not in ("note", "end"):  # a footnote set between a paragraph and its list
            lead_in = block.text if block.kind == "paragraph" else ""
        out.append(block)
    return out
