"""Case check (for auditors): which learning points apply to a case summary, and why; each
check saved as a file that can be reopened, with the auditor's ticks and comments.

The summary is split into its concerns (sentences and clauses). Each concern is searched
(keywords and meaning) among the learning points only; the points that fit are listed under
it, grouped by the concern's topic, with the words they share with the concern. Ticks and
comments are keyed by concern and point, so a point that applies to two concerns is judged
for each on its own."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from kb.config import Config
from kb.errors import KBError
from kb.passages.citation import Citation
from kb.passages.topics import Topic, topics_using_words
from kb.protocols import PointMatcher
from kb.records import LearningPoint
from kb.retrieval.search import split_concerns
from kb.rules.retrieval import AGE_PHRASE, CASE_CHECK_MIN_COSINE, CASE_CHECK_PER_CONCERN
from kb.text.sentences import split_sentences
from kb.text.words import query_stems, stem

__all__ = [
    "OTHER",
    "SCORE_HELP",
    "CaseCheck",
    "CaseCheckStore",
    "CheckItem",
    "check_case",
    "concerns_of",
    "new_check",
    "reading_order",
    "shared_words",
]

OTHER = "Other learning"
SCORE_HELP = (
    "How close in meaning the point is to the concern (cosine similarity of their "
    f"embeddings: 1 is the same meaning, 0 unrelated). Points under {CASE_CHECK_MIN_COSINE} "
    "are left out unless "
    "the concern names their topic in its own words."
)


@dataclass(frozen=True)
class CheckItem:
    """One learning point that applies to one concern of the case: what was shown, kept as
    shown, so a reopened check reads the same whatever the index holds since."""

    concern_no: int  # 1-based position of the concern in the summary
    concern: str
    topic: str  # the concern's topic this point is grouped under (a label)
    text: str
    kind: str  # learning, finding, recommendation, rule
    review: str
    source: str
    score: float
    matched: str  # the concern's words the point shares, or how else it matched
    passage_id: int | None = None
    doc_id: str = ""
    page: int | None = None

    @property
    def key(self) -> str:
        """Concern and point: a point under two concerns is two items."""
        return f"{self.concern_no}-{self.passage_id}"

    def fit(self) -> str:
        level = "strong" if self.score >= 0.5 else "good" if self.score >= 0.35 else "weak"
        return f"{level} fit ({self.score:.2f})"


def concerns_of(summary: str) -> list[str]:
    """The separate concerns of a case summary (at least one)."""
    concerns = split_concerns(summary)
    if len(concerns) == 1 and len(split_sentences(summary)) > 1:
        concerns = split_sentences(summary)
    return [c.strip() for c in concerns if c.strip()]


def shared_words(concern: str, text: str) -> list[str]:
    """The concern's own words (as it writes them) that the point uses too, by stem; not
    its age, which says whom the case is about ("year" and "old" answer nothing)."""
    stems = {stem(w) for w in re.findall(r"[A-Za-z0-9]+", text)}
    concern = AGE_PHRASE.sub(" ", concern)
    words = re.findall(r"[A-Za-z0-9]+(?:'[a-z]+)?", concern)
    wanted = query_stems(concern)
    return list(dict.fromkeys(w for w in words if stem(w) in stems and stem(w) in wanted))


def _why(concern: str, point: LearningPoint, topics: Sequence[Topic]) -> str:
    parts = []
    words = shared_words(concern, f"{point.passage.context} {point.passage.text}")
    if words:
        parts.append("shared words: " + ", ".join(words))
    for topic in topics:
        if topic.id in point.passage.topics:
            found = topic.term_pattern().search(concern)
            if found:
                parts.append(f"“{found.group(0)}” names the topic {topic.label}")
    return "; ".join(parts) or "close in meaning (no shared words)"


def _concern_topics(kb: PointMatcher, concern: str) -> tuple[list[Topic], list[Topic]]:
    """The topics a concern names in its words, and the topics to group its points under
    (those, or the nearest in meaning)."""
    named = topics_using_words(concern, kb.taxonomy())
    return named, named or kb.nearest_topics(concern, 1)


def _group(point: LearningPoint, topics: Sequence[Topic], labels: dict[str, str]) -> str:
    """The concern's topic the point carries, else the point's own first topic, else
    OTHER: a point found by meaning alone is not filed under a topic it is not about
    ("victims first" under "Infants" because the concern was about a baby)."""
    carried = [t.label for t in topics if t.id in point.passage.topics]
    if carried:
        return carried[0]
    return labels.get(point.passage.topics[0], OTHER) if point.passage.topics else OTHER


def check_case(
    kb: PointMatcher, summary: str, per_concern: int = CASE_CHECK_PER_CONCERN
) -> list[CheckItem]:
    """The learning points that apply to `summary`, by concern, then the concern's topic."""
    summary = summary.strip()
    if not summary:
        return []
    labels = {t.id: t.label for t in kb.taxonomy().topics}
    items: list[CheckItem] = []
    for n, concern in enumerate(concerns_of(summary), start=1):
        named, grouping = _concern_topics(kb, concern)
        named_ids = {t.id for t in named}
        matches = kb.match_points(concern, limit=per_concern * 2)
        fitting = [
            (p, s)
            for p, s in matches
            if s >= CASE_CHECK_MIN_COSINE or named_ids & set(p.passage.topics)
        ][:per_concern]
        items += [_item(n, concern, p, s, named, grouping, labels) for p, s in fitting]
    return reading_order(items)


def reading_order(items: Sequence[CheckItem]) -> list[CheckItem]:
    """Concern by concern; within a concern, its topic groups best fit first (the point a
    reader would tick first leads, whatever its topic's name), each group best fit first."""
    best: dict[tuple[int, str], float] = {}
    for item in items:
        key = (item.concern_no, item.topic)
        best[key] = max(best.get(key, item.score), item.score)
    return sorted(
        items,
        key=lambda i: (i.concern_no, -best[(i.concern_no, i.topic)], i.topic, -i.score),
    )


def _item(
    n: int,
    concern: str,
    point: LearningPoint,
    score: float,
    named: Sequence[Topic],
    grouping: Sequence[Topic],
    labels: dict[str, str],
) -> CheckItem:
    passage, doc = point.passage, point.document
    return CheckItem(
        concern_no=n,
        concern=concern,
        topic=_group(point, grouping, labels),
        text=passage.text,
        kind=passage.point_kind or "learning",
        review=point.review or "",
        source=Citation.of(doc, passage).text(),
        score=round(score, 4),
        matched=_why(concern, point, named),
        passage_id=passage.passage_id,
        doc_id=doc.doc_id,
        page=passage.page,
    )


@dataclass(frozen=True)
class CaseCheck:
    """A saved check: the summary, the points found, and the auditor's ticks and comments."""

    check_id: str
    name: str
    summary: str
    items: tuple[CheckItem, ...]
    created: str = ""
    updated: str = ""
    ticks: dict[str, bool] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    def evidenced(self, item: CheckItem) -> bool:
        return self.ticks.get(item.key, False)

    def comment(self, item: CheckItem) -> str:
        return self.comments.get(item.key, "")

    def label(self) -> str:
        return f"{self.name} ({self.updated[:16].replace('T', ' ')})"


def new_check(summary: str, items: Sequence[CheckItem], name: str = "") -> CaseCheck:
    now = _now()
    name = name.strip() or " ".join(summary.split()[:8]) or "Case check"
    return CaseCheck(uuid.uuid4().hex[:12], name, summary.strip(), tuple(items), now, now)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CaseCheckStore:
    """Case checks saved as JSON files in `folder` (default ./casechecks, or
    $KB_CASECHECKS_DIR), one per check; writes are atomic."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder or Config.from_env().casechecks_dir)

    def path(self, check_id: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{12}", check_id):
            raise KBError(f"no saved case check {check_id!r}")
        return self.folder / f"{check_id}.json"

    def save(self, check: CaseCheck) -> CaseCheck:
        self.folder.mkdir(parents=True, exist_ok=True)
        check = replace(check, updated=_now())
        path = self.path(check.check_id)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(check), indent=2, ensure_ascii=False) + "\n", "utf-8")
        os.replace(tmp, path)
        return check

    def load(self, check_id: str) -> CaseCheck:
        path = self.path(check_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            items = tuple(CheckItem(**i) for i in data.pop("items"))
            return CaseCheck(**{**data, "items": items})
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise KBError(f"cannot read the saved case check {path.name}: {exc}") from exc

    def checks(self) -> list[CaseCheck]:
        """Every saved check, the latest first (unreadable files skipped)."""
        found = []
        for path in self.folder.glob("*.json") if self.folder.exists() else []:
            try:
                found.append(self.load(path.stem))
            except KBError:
                continue
        return sorted(found, key=lambda c: c.updated, reverse=True)

    def delete(self, check_id: str) -> None:
        self.path(check_id).unlink(missing_ok=True)

    def mark(
        self, check_id: str, key: str, evidenced: bool | None = None, comment: str | None = None
    ) -> CaseCheck:
        """Record a tick or a comment for one concern's point."""
        check = self.load(check_id)
        ticks, comments = dict(check.ticks), dict(check.comments)
        if evidenced is not None:
            ticks[key] = evidenced
        if comment is not None:
            comments[key] = comment.strip()
        return self.save(replace(check, ticks=ticks, comments=comments))
