"""How well documents were read, scored on a judged file's `docs`, `noise`, `pages` and
`points` (the format of shared/corpus-dev/judged.json):

- metadata: type, year and reviews of each judged document against what kb read;
- noise: passages holding a running header, footer or web boilerplate string;
- pages: whether the passage holding a judged phrase cites the judged (physical) page;
- points: judged learning points found among the extracted points, and with their review.

Phrases match as in search evaluation (kb.evaluate.holds)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from kb.errors import KBError
from kb.records import Document, LearningPoint, Passage
from kb.text.words import word_key
from kb.tools.evaluate import holds

__all__ = ["Check", "ReadIndex", "ReadingReport", "check_reading"]


class ReadIndex(Protocol):
    """What the document checks need from a knowledge base."""

    def documents(self) -> list[Document]: ...

    def passages_of(self, doc_id: str) -> list[Passage]: ...

    def points(self) -> list[LearningPoint]: ...


@dataclass(frozen=True)
class Check:
    """One family of checks: how many passed of how many, and what failed."""

    name: str
    passed: int
    total: int
    failures: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        return f"{self.name:<28} {self.passed:>4}/{self.total:<4}"


@dataclass(frozen=True)
class ReadingReport:
    checks: tuple[Check, ...]
    extracted_points: int = 0
    points_holding_judged: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def _by_file(docs: Sequence[Document]) -> dict[str, Document]:
    return {Path(d.path).name: d for d in docs}


def check_reading(kb: ReadIndex, path: str | Path) -> ReadingReport | None:
    """The reading checks of a judged file, or None when it judges no documents."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KBError(f"cannot read judgements from {path}: {exc}") from exc
    judged_docs: dict[str, dict[str, object]] = data.get("docs") or {}
    if not judged_docs:
        return None
    indexed = _by_file(kb.documents())
    docs = {name: indexed[name] for name in judged_docs if name in indexed}
    missing = [name for name in judged_docs if name not in indexed]
    passages = [p for d in docs.values() for p in kb.passages_of(d.doc_id)]
    checks = [*_metadata(judged_docs, docs), _noise(data.get("noise", []), passages)]
    checks.append(_pages(data.get("pages", []), passages))
    points = [p for p in kb.points() if p.document.doc_id in {d.doc_id for d in docs.values()}]
    found, with_review = _points(data.get("points", []), points)
    checks += [found, with_review]
    judged_phrases = [phrase for phrase, _ in data.get("points", [])]
    holding = sum(1 for p in points if any(holds(p.passage.text, j) for j in judged_phrases))
    notes = tuple(f"not indexed: {name}" for name in missing)
    return ReadingReport(tuple(checks), len(points), holding, notes)


def _metadata(judged: dict[str, dict[str, Any]], docs: dict[str, Document]) -> list[Check]:
    checks = []
    for field_name in ("type", "year", "reviews"):
        failures = []
        for name, expected in judged.items():
            doc = docs.get(name)
            want = expected.get(field_name, [] if field_name == "reviews" else None)
            got = _field(doc, field_name) if doc else None
            if field_name == "reviews":
                same = sorted(cast(list[str], want)) == sorted(cast(list[str], got))
            else:
                same = want == got
            if not same:
                failures.append(f"{name}: {field_name} {got!r}, judged {want!r}")
        checks.append(
            Check(
                f"metadata: {field_name}", len(judged) - len(failures), len(judged), tuple(failures)
            )
        )
    return checks


def _field(doc: Document, name: str) -> object:
    return {"type": doc.doc_type, "year": doc.year, "reviews": list(doc.reviews)}[name]


def _noise(noise: Sequence[str], passages: Sequence[Passage]) -> Check:
    # A noise string must never appear: matched whole (case, punctuation and spacing
    # ignored), not by the 80%-of-words rule that finds relevant passages.
    leaks = [
        f"{n!r} in passage {p.passage_id} ({p.doc_id})"
        for n in noise
        for p in passages
        if word_key(n) in word_key(f"{p.context}\n{p.text}")
    ]
    return Check("noise: passages clean", len(passages) - len(leaks), len(passages), tuple(leaks))


def _pages(pages: Sequence[Sequence[object]], passages: Sequence[Passage]) -> Check:
    failures = []
    for phrase, page in pages:
        # A heading's words are part of the passages under it (they cite it).
        holding = [p for p in passages if holds(f"{p.section_path}\n{p.text}", str(phrase))]
        if not holding:
            failures.append(f"{phrase!r}: in no passage")
        elif not any(p.page == page for p in holding):
            failures.append(f"{phrase!r}: page {holding[0].page}, judged {page}")
    return Check("pages: cited right", len(pages) - len(failures), len(pages), tuple(failures))


def _points(
    judged: Sequence[Sequence[object]], points: Sequence[LearningPoint]
) -> tuple[Check, Check]:
    missed, wrong_review = [], []
    for phrase, review in judged:
        holding = [p for p in points if holds(p.passage.text, str(phrase))]
        if not holding:
            missed.append(f"{phrase!r}: not extracted")
        elif not any(p.review == review for p in holding):
            wrong_review.append(f"{phrase!r}: review {holding[0].review!r}, judged {review!r}")
    n = len(judged)
    return (
        Check("points: found", n - len(missed), n, tuple(missed)),
        Check(
            "points: found, right review",
            n - len(missed) - len(wrong_review),
            n,
            tuple(missed + wrong_review),
        ),
    )
