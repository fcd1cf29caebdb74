"""The records that cross module boundaries. All frozen: a record is a fact, not a buffer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = [
    "DOC_TYPES",
    "POINT_KINDS",
    "SECTION_SEP",
    "Block",
    "Box",
    "Document",
    "Hit",
    "IngestFailure",
    "IngestReport",
    "LearningPoint",
    "ParsedDocument",
    "Passage",
    "decode_boxes",
    "encode_boxes",
    "merge_boxes",
]

DOC_TYPES: tuple[str, ...] = (
    "serious case review",
    "child safeguarding practice review",
    "rapid review",
    "learned lessons review",
    "thematic briefing",
    "7-minute briefing",
    "annual report",
    "toolkit",
    "procedure",
    "other",
)

# How a passage's headings are joined into one path ("Findings > Finding 2"): stored so in
# the index and in course packs, and shown so.
SECTION_SEP = " > "

# What a learning point is (see kb/passages/points.py); "" for a passage that is not one.
POINT_KINDS: tuple[str, ...] = ("learning", "finding", "recommendation", "rule")


@dataclass(frozen=True)
class Box:
    """Where text sits on a PDF page: PDF points, origin at the page's top-left corner
    (pdfplumber's `x0`, `top`, `x1`, `bottom`); `page` is 1-based."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box) -> Box:
        return Box(
            self.page,
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


def merge_boxes(boxes: list[Box] | tuple[Box, ...]) -> tuple[Box, ...]:
    """Consecutive line boxes of one page and column become one box (a paragraph's lines)."""
    merged: list[Box] = []
    for box in boxes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.page == box.page
            and box.top - last.bottom < (last.bottom - last.top) * 1.5 + 12
            and box.top >= last.top
            and min(last.x1, box.x1) - max(last.x0, box.x0) > 0
        ):
            merged[-1] = last.union(box)
        else:
            merged.append(box)
    return tuple(merged)


def encode_boxes(boxes: tuple[Box, ...]) -> str:
    """Boxes as compact text for the index: "page:x0,top,x1,bottom;..." in whole points."""
    return ";".join(
        f"{b.page}:{round(b.x0)},{round(b.top)},{round(b.x1)},{round(b.bottom)}" for b in boxes
    )


def decode_boxes(text: str) -> tuple[Box, ...]:
    boxes = []
    for part in filter(None, text.split(";")):
        page, _, coords = part.partition(":")
        x0, top, x1, bottom = (float(v) for v in coords.split(","))
        boxes.append(Box(int(page), x0, top, x1, bottom))
    return tuple(boxes)


@dataclass(frozen=True)
class Block:
    """A structural unit of a document as read: a heading, a paragraph or one bullet."""

    # "heading" | "paragraph" | "bullet" | "table" | "note" (a footnote) | "title" (the
    # document's own title, heading no section) | "end" (closes the section a boxed panel's
    # title opened, at `level`)
    kind: str
    text: str
    page: int | None = None
    level: int = 0  # heading depth (1 = top); 0 for non-headings
    lead_in: str = ""  # for bullets: the paragraph before the list; for tables: the caption
    # For a paragraph that runs over a page break: (character offset, page) where pages begin.
    page_starts: tuple[tuple[int, int], ...] = ()
    boxes: tuple[Box, ...] = ()  # where the block's lines sit on PDF pages (PDFs only)
    box_starts: tuple[int, ...] = ()  # character offset in `text` where each box's line begins

    def joined(self, other: Block, separator: str = " ") -> Block:
        """This block with `other`'s text after it, keeping where each page begins."""
        offset = len(self.text) + len(separator)
        starts = self.page_starts
        if other.page is not None and other.page != self.page_at(offset):
            starts += ((offset, other.page),)
        starts += tuple((offset + o, p) for o, p in other.page_starts)
        return replace(
            self,
            text=f"{self.text}{separator}{other.text}",
            page_starts=starts,
            boxes=self.boxes + other.boxes,
            box_starts=self.box_starts + tuple(offset + o for o in other.box_starts),
        )

    def boxes_between(self, start: int, end: int) -> tuple[Box, ...]:
        """The boxes of the lines holding text[start:end], merged where lines stack."""
        picked = [
            box
            for index, box in enumerate(self.boxes)
            if index >= len(self.box_starts)
            or (
                self.box_starts[index] < end
                and (index + 1 >= len(self.box_starts) or self.box_starts[index + 1] > start)
            )
        ]
        return merge_boxes(picked)

    def page_at(self, offset: int) -> int | None:
        page = self.page
        for start, number in self.page_starts:
            if offset >= start:
                page = number
        return page


@dataclass(frozen=True)
class ParsedDocument:
    """What a loader returns: the document's blocks and what the file itself says about it."""

    path: str
    blocks: tuple[Block, ...]
    page_count: int | None = None
    title_hint: str = ""  # e.g. a PDF's /Title or an HTML <title>
    year_hint: int | None = None  # e.g. a PDF's creation date
    # The lines of a cover page or title block ("Serious Case Review", "Baby Q", "Published:
    # September 2019"), which are not indexed but say what the document is.
    front_matter: tuple[str, ...] = ()
    title_source: str = ""  # where title_hint was read from, e.g. "the PDF's cover page"
    # Running headers and footers removed from the text ("... | October 2019"): they often
    # date the document.
    running_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """An indexed document and its metadata."""

    doc_id: str
    path: str
    title: str
    doc_type: str
    year: int | None
    reviews: tuple[str, ...]
    sha256: str
    page_count: int | None = None
    passage_count: int = 0
    size_bytes: int = 0
    overrides: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    # Where each metadata field was read from ("title": "cover page", "year": "'Published:
    # September 2019', page 1", "type": "override"), shown on the Library page.
    provenance: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Passage:
    """One passage: what a reader sees in a result, with everything needed to cite it."""

    doc_id: str
    seq: int  # position in the document
    text: str
    page: int | None
    section: tuple[str, ...]
    kind: str  # "paragraph" | "bullet" | "table" | "note" (a footnote)
    context: str = ""  # lead-in of a bullet list
    reviews: tuple[str, ...] = ()
    passage_id: int | None = None
    keywords: str = ""  # searchable but not shown: e.g. expansions of the acronyms it uses
    # The kind of learning point it is (one of POINT_KINDS, see points.py), "" for none.
    point_kind: str = ""
    topics: tuple[str, ...] = ()  # topic ids, most central first
    boxes: tuple[Box, ...] = ()  # where it sits on PDF pages, for highlighting

    @property
    def learning(self) -> bool:
        """Whether the passage states what practice should learn (any kind of point)."""
        return bool(self.point_kind)

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    def embedding_text(self) -> str:
        """The text the encoder sees: the passage with its nearest heading and lead-in."""
        parts = [self.section[-1]] if self.section else []
        if self.context:
            parts.append(self.context)
        parts.append(self.text)
        if self.keywords:
            parts.append(self.keywords)
        return "\n".join(parts)


@dataclass(frozen=True)
class Hit:
    """A search result: a passage, its document's citation fields and its fused score."""

    passage: Passage
    document: Document
    score: float
    # The passages shown together, in reading order, when there are several (a list).
    members: tuple[Passage, ...] = ()

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.members or (self.passage,)

    @property
    def lead(self) -> str:
        """The sentence introducing the list shown (when its paragraph is not shown too), or
        a table's caption."""
        first = self.passages[0]
        return first.context if first.kind in ("bullet", "table") else ""

    @property
    def body(self) -> str:
        """The passages shown, list items marked "- ", without the lead."""
        return "\n".join(f"- {p.text}" if p.kind == "bullet" else p.text for p in self.passages)

    @property
    def text(self) -> str:
        """Exactly what a reader is shown: the lead, when there is one, then the body."""
        return f"{self.lead}\n{self.body}" if self.lead else self.body

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            **_citation_fields(self.document, self.passage),
            "reviews": list(self.passage.reviews),
            "learning_point": any(p.learning for p in self.passages),
            "topics": list(dict.fromkeys(t for p in self.passages for t in p.topics)),
            "score": round(self.score, 6),
            "passage_id": self.passage.passage_id,
        }


@dataclass(frozen=True)
class LearningPoint:
    """A statement of learning, with the review it comes from and how central it is to a
    topic (when listed by topic)."""

    passage: Passage
    document: Document
    review: str | None
    centrality: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.passage.text,
            "kind": self.passage.point_kind,
            "context": self.passage.context,
            "review": self.review,
            **_citation_fields(self.document, self.passage),
            "topics": list(self.passage.topics),
            "centrality": round(self.centrality, 4),
            "passage_id": self.passage.passage_id,
        }


def _citation_fields(document: Document, passage: Passage) -> dict[str, object]:
    return {
        "doc_id": document.doc_id,
        "title": document.title,
        "doc_type": document.doc_type,
        "year": document.year,
        "page": passage.page,
        "section": passage.section_path,
    }


@dataclass(frozen=True)
class IngestFailure:
    """A file that could not be ingested, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest call did."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[IngestFailure, ...] = ()
    passages: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed
