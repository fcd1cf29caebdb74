"""Course packs: named, ordered collections of excerpts, headings and trainer notes.

Each pack is one JSON file in a folder the user can see and back up (default ./packs, or
$KB_PACKS_DIR). Writes are atomic (temp file, then rename)."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from kb.errors import KBError
from kb.passages.citation import Citation
from kb.records import SECTION_SEP, Document, Hit, LearningPoint, Passage
from kb.text.words import slug

__all__ = ["ITEM_KINDS", "Pack", "PackItem", "PackStore", "pack_slug"]

ITEM_KINDS = ("excerpt", "heading", "note")


@dataclass(frozen=True)
class PackItem:
    """One entry of a pack: an excerpt with its citation, a heading, or a trainer's note."""

    kind: str
    text: str
    item_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    title: str = ""
    doc_id: str = ""
    doc_type: str = ""
    year: int | None = None
    page: int | None = None
    section: str = ""
    review: str = ""
    note: str = ""  # a trainer's note attached to an excerpt
    passage_id: int | None = None
    original: str = ""  # the excerpt as first added, when it has been trimmed since

    def citation(self) -> Citation:
        """The excerpt's citation, from what the pack recorded of its document."""
        return Citation(
            doc_id=self.doc_id,
            title=self.title,
            doc_type=self.doc_type,
            year=self.year,
            page=self.page,
            section=tuple(self.section.split(SECTION_SEP)) if self.section else (),
            review=self.review or None,
            passage_id=self.passage_id,
        )

    def cited_from(self, doc: Document) -> PackItem:
        """This excerpt with its document's current title, type, year and the review it
        belongs to: citations follow metadata fixes."""
        if self.kind != "excerpt" or doc.doc_id != self.doc_id:
            return self
        # The excerpt as a passage: its review is read from its section, then its document,
        # then its text, exactly as for the passage it was taken from.
        text = self.original or self.text
        passage = Passage(doc.doc_id, 0, text, self.page, self.citation().section, "paragraph")
        cited = Citation.of(doc, passage)
        return replace(
            self,
            title=cited.title,
            doc_type=cited.doc_type,
            year=cited.year,
            review=cited.review or "",
        )

    @classmethod
    def from_hit(cls, hit: Hit) -> PackItem:
        return cls(
            kind="excerpt",
            text=hit.text,
            title=hit.document.title,
            doc_id=hit.document.doc_id,
            doc_type=hit.document.doc_type,
            year=hit.document.year,
            page=hit.passage.page,
            section=hit.passage.section_path,
            review=Citation.of_hit(hit).review or "",
            passage_id=hit.passage.passage_id,
        )

    @classmethod
    def from_point(cls, point: LearningPoint) -> PackItem:
        return cls.from_hit(Hit(point.passage, point.document, point.centrality))


@dataclass(frozen=True)
class Pack:
    name: str
    items: tuple[PackItem, ...] = ()
    updated: str = ""

    def cited_from(self, documents: Iterable[Document]) -> Pack:
        """The pack with every excerpt's citation read from its document as it is now."""
        by_id = {d.doc_id: d for d in documents}
        items = tuple(i.cited_from(by_id[i.doc_id]) if i.doc_id in by_id else i for i in self.items)
        return replace(self, items=items)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def pack_slug(name: str) -> str:
    name_slug = slug(name, 60)
    if not name_slug:
        raise KBError("a pack needs a name with letters or digits")
    return name_slug


class PackStore:
    """Packs saved as JSON files in `folder`."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path(self, name: str) -> Path:
        return self.folder / f"{pack_slug(name)}.json"

    def names(self) -> list[str]:
        if not self.folder.exists():
            return []
        names = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                names.append(json.loads(path.read_text(encoding="utf-8"))["name"])
            except (OSError, ValueError, KeyError):
                continue  # not a pack file
        return names

    def load(self, name: str) -> Pack:
        path = self.path(name)
        if not path.exists():
            return Pack(name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            items = tuple(PackItem(**item) for item in data.get("items", []))
        except (OSError, ValueError, TypeError) as exc:
            raise KBError(f"cannot read the pack file {path}: {exc}") from exc
        return Pack(data.get("name", name), items, data.get("updated", ""))

    def save(self, pack: Pack) -> Pack:
        self.folder.mkdir(parents=True, exist_ok=True)
        pack = replace(pack, updated=datetime.now(UTC).isoformat(timespec="seconds"))
        data = {
            "name": pack.name,
            "updated": pack.updated,
            "items": [asdict(i) for i in pack.items],
        }
        path = self.path(pack.name)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        return pack

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    # -- editing ----------------------------------------------------------------------
    def add(self, name: str, item: PackItem) -> Pack:
        pack = self.load(name)
        if item.kind == "excerpt" and any(
            i.kind == "excerpt" and i.text == item.text and i.doc_id == item.doc_id
            for i in pack.items
        ):
            return pack  # already in the pack
        return self.save(replace(pack, items=(*pack.items, item)))

    def remove(self, name: str, item_id: str) -> Pack:
        pack = self.load(name)
        return self.save(replace(pack, items=tuple(i for i in pack.items if i.item_id != item_id)))

    def move(self, name: str, item_id: str, offset: int) -> Pack:
        """Move an item up (offset -1) or down (+1)."""
        pack = self.load(name)
        items = list(pack.items)
        index = next((n for n, i in enumerate(items) if i.item_id == item_id), None)
        if index is None:
            return pack
        target = max(0, min(len(items) - 1, index + offset))
        items.insert(target, items.pop(index))
        return self.save(replace(pack, items=tuple(items)))

    def annotate(self, name: str, item_id: str, note: str) -> Pack:
        pack = self.load(name)
        items = tuple(replace(i, note=note) if i.item_id == item_id else i for i in pack.items)
        return self.save(replace(pack, items=items))

    def insert(self, name: str, item: PackItem, position: int) -> Pack:
        """Insert an item (a heading, a note) before position `position` (0-based; past the
        end appends)."""
        pack = self.load(name)
        items = list(pack.items)
        items.insert(max(0, min(position, len(items))), item)
        return self.save(replace(pack, items=tuple(items)))

    def trim(self, name: str, item_id: str, text: str) -> Pack:
        """Shorten an excerpt: the new text must be a part of the excerpt as first added
        (words may be cut from either end or replaced by "…", never changed)."""
        pack = self.load(name)
        item = next((i for i in pack.items if i.item_id == item_id), None)
        if item is None or item.kind != "excerpt":
            raise KBError("no such excerpt in the pack")
        original = item.original or item.text
        parts = [p for p in re.split(r"\.\.\.|…", text) if _words(p)]
        if not parts or any(_words(p) not in _words(original) for p in parts):
            raise KBError("a trimmed excerpt may only leave words out, not change them")
        trimmed = replace(item, text=text.strip(), original=original)
        items = tuple(trimmed if i.item_id == item_id else i for i in pack.items)
        return self.save(replace(pack, items=items))

    def rename(self, name: str, new_name: str) -> Pack:
        new_name = new_name.strip()
        if self.path(new_name) != self.path(name) and self.path(new_name).exists():
            raise KBError(f"a pack called {new_name!r} exists already")
        pack = self.load(name)
        saved = self.save(replace(pack, name=new_name))
        if self.path(new_name) != self.path(name):
            self.delete(name)
        return saved
