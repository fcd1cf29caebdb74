"""Segmentation: a document's blocks become passages along its own structure.

Headings become the section path of the passages under them; each bullet is a passage that
carries its list's lead-in sentence; paragraphs are passages. Only blocks longer than
`max_chars` are split further, at sentence boundaries, with langchain-text-splitters. The
rules are named in kb/rules/passages.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from kb.ingest.metadata import find_reviews
from kb.passages.points import point_kind, reads_row_by_row
from kb.records import Block, Passage
from kb.retrieval.acronyms import expansions, find_definitions
from kb.rules.headings import DEFAULT_HEADING_LEVEL
from kb.rules.passages import (
    CLAUSE_SEPARATORS,
    INTRODUCES_LIST,
    LEAD_IN_MAX_WORDS,
    LEAD_IN_ONLY_MAX_WORDS,
    MIN_ITEM_WORDS,
    MIN_PARAGRAPH_WORDS,
    RUNT_MERGE_LIMIT,
    RUNT_PARTS,
)
from kb.rules.points import LABEL, POINT_MIN_WORDS, STATEMENT_VERB
from kb.text.sentences import SENTENCE_END, split_sentences

__all__ = [
    "lead_in_sentence",
    "segment",
    "split_long",
    "split_rows",
]


@lru_cache(maxsize=4)
def _splitter(max_chars: int) -> object:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=max_chars,
        chunk_overlap=0,
        separators=[SENTENCE_END, *CLAUSE_SEPARATORS],
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
    )


def split_long(text: str, max_chars: int) -> list[str]:
    """Split an over-long block into chunks of whole sentences of at most ~max_chars."""
    if len(text) <= max_chars:
        return [text]
    chunks = [c.strip() for c in _splitter(max_chars).split_text(text)]  # type: ignore[attr-defined]
    return _merge_runts([c for c in chunks if c], max_chars)


def _merge_runts(chunks: list[str], max_chars: int) -> list[str]:
    # A one-line tail ("This will allow more families to benefit.") reads better with the
    # chunk before it, as long as that stays within 1.3x the limit.
    out: list[str] = []
    for chunk in chunks:
        if (
            out
            and len(chunk) < max_chars // RUNT_PARTS
            and len(out[-1]) + len(chunk) < max_chars * RUNT_MERGE_LIMIT
        ):
            out[-1] = f"{out[-1]} {chunk}"
        else:
            out.append(chunk)
    return out


def lead_in_sentence(paragraph: str) -> str:
    """The sentence that introduces a list: the last sentence of the paragraph before it,
    when it reads as an introduction (ends with a colon, or is short)."""
    sentences = split_sentences(paragraph)
    if not sentences:
        return ""
    last = sentences[-1]
    introduces = last.endswith(":") or INTRODUCES_LIST.search(last)
    return last if introduces or len(last.split()) <= LEAD_IN_MAX_WORDS else ""


def segment(
    doc_id: str, blocks: tuple[Block, ...], max_chars: int = 600, doc_type: str = ""
) -> list[Passage]:
    """Turn blocks into passages with section paths, pages and review names."""
    definitions = find_definitions(" ".join(b.text for b in blocks))
    passages: list[Passage] = []
    lead_ins = _lead_in_only(blocks)
    kept = [(b, section) for i, b, section in _with_sections(blocks) if i not in lead_ins]
    for block, section in _merge_paragraphs(kept, max_chars):
        text = block.text.replace("\t", " | ")
        words = len(text.split())
        if block.kind == "bullet":
            if words < MIN_ITEM_WORDS:
                continue
        elif words < MIN_PARAGRAPH_WORDS:
            continue
        context = _context(block)
        section_reviews = find_reviews(" ".join(section))
        offset = 0
        if block.kind == "table":
            # A recommendations table is read a row (one recommendation) at a time.
            header = text.split("\n", 1)[0]
            rows = 0 if reads_row_by_row(section, block.lead_in, header) else max_chars
            chunks = split_rows(text, rows)
        else:
            chunks = split_long(text, max_chars)
        for chunk in chunks:
            offset = max(text.find(chunk[:40], offset), offset)
            boxes = (
                block.boxes
                if block.kind == "table"
                else block.boxes_between(offset, offset + len(chunk))
            )
            reviews = tuple(dict.fromkeys(section_reviews + find_reviews(chunk)))
            passages.append(
                Passage(
                    doc_id=doc_id,
                    seq=len(passages),
                    text=chunk,
                    page=block.page_at(offset),
                    section=section,
                    kind=block.kind,
                    context=context,
                    reviews=reviews,
                    keywords="; ".join(expansions(f"{chunk} {context}", definitions)),
                    boxes=boxes,
                )
            )
    if not passages:
        passages = _whole_text(doc_id, blocks)
    return [replace(p, point_kind=point_kind(p, doc_type)) for p in passages]


def _whole_text(doc_id: str, blocks: tuple[Block, ...]) -> list[Passage]:
    """A document too short for any passage ("Hello, World!") is one passage, so that a
    short but real text layer is still found."""
    texts = [b.text for b in blocks if b.kind not in ("end",) and b.text.strip()]
    if not texts:
        return []
    first = next(b for b in blocks if b.text.strip())
    boxes = tuple(box for b in blocks for box in b.boxes)
    return [Passage(doc_id, 0, " ".join(texts), first.page, (), "paragraph", boxes=boxes)]


def _merge_paragraphs(
    pairs: list[tuple[Block, tuple[str, ...]]], max_chars: int
) -> list[tuple[Block, tuple[str, ...]]]:
    """Join consecutive short paragraphs of one section into passages of up to `max_chars`
    (kept apart by a line break). A one-sentence paragraph ("The borough has two FGM Lead
    Officers...") is found and read better with the paragraphs around it; measured on the
    judged queries (docs/evaluation.md, Search quality)."""
    out: list[tuple[Block, tuple[str, ...]]] = []
    for block, section in pairs:
        if out:
            last, last_section = out[-1]
            if (
                block.kind == last.kind == "paragraph"
                and section == last_section
                and not (LABEL.match(block.text) or LABEL.match(last.text))
                and len(last.text) + len(block.text) + 1 <= max_chars
            ):
                out[-1] = (last.joined(block, "\n"), section)
                continue
        out.append((block, section))
    return out


def _context(block: Block) -> str:
    if block.kind == "bullet":
        return lead_in_sentence(block.lead_in)
    return block.lead_in if block.kind == "table" else ""  # a table's caption


def split_rows(table: str, max_chars: int) -> list[str]:
    """Split a long table between rows into parts of at most ~max_chars; every part after
    the first repeats the header row, so each reads on its own."""
    header, *rows = table.splitlines() or [""]
    parts: list[str] = [header]
    for row in rows:
        if parts[-1] == header or len(parts[-1]) + len(row) < max_chars:
            parts[-1] = f"{parts[-1]}\n{row}"
        else:
            parts.append(f"{header}\n{row}")
    return parts


def _lead_in_only(blocks: tuple[Block, ...]) -> set[int]:
    """Indexes (among non-heading blocks) of short paragraphs that only introduce the list
    after them ("In many cases the following was found:"). Each bullet carries that sentence
    as its context, so on its own it would be an empty result. Figures keep theirs."""
    body = [b for b in blocks if b.kind not in ("heading", "title", "end")]
    return {
        i
        for i, block in enumerate(body[:-1])
        if block.kind == "paragraph"
        and body[i + 1].kind == "bullet"
        and len(block.text.split()) <= LEAD_IN_ONLY_MAX_WORDS
        and not re.search(r"\d", block.text)
        and (block.text.rstrip().endswith(":") or INTRODUCES_LIST.search(block.text))
    }


def _with_sections(
    blocks: tuple[Block, ...],
) -> Iterator[tuple[int | None, Block, tuple[str, ...]]]:
    """Each body block with its index among the body blocks (as _lead_in_only counts them)
    and its section path; a heading that states a point comes as a paragraph of no index."""
    stack: list[tuple[int, str]] = []
    index = -1
    for block in blocks:
        if block.kind == "title":
            continue
        if block.kind == "end":  # a boxed panel closes the section its title opened
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            continue
        if block.kind == "heading":
            level = block.level or DEFAULT_HEADING_LEVEL
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, block.text.rstrip(".:").strip()))
            if _states_a_point(block.text):
                # "Finding 3: Permanent exclusion removed a protective factor" is the finding
                # itself: it is read as a passage too, under its own heading.
                yield None, replace(block, kind="paragraph", level=0), tuple(t for _, t in stack)
            continue
        index += 1
        yield index, block, tuple(text for _, text in stack)


def _states_a_point(heading: str) -> bool:
    """A heading that is a labelled statement ("Finding 1: Child T was seen as making
    choices", "Learning point 2: A bruise on a baby ... is never minor")."""
    label = LABEL.match(heading)
    if label is None:
        return False
    statement = heading[label.end() :]
    return len(statement.split()) >= POINT_MIN_WORDS and bool(STATEMENT_VERB.search(statement))
