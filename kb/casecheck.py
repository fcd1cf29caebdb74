"""Case check (for auditors): which learning points apply to a case summary, and why.

The summary is split into its concerns (sentences and clauses). Each concern is searched
(keywords and meaning) among the learning points only; the points that fit are listed under
it, with the concern's own words as the reason they matched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb.records import LearningPoint
from kb.search import split_concerns
from kb.sentences import split_sentences
from kb.topics import topics_using_words

MIN_COSINE = 0.25  # below this a point is not about the concern, whatever the keywords
PER_CONCERN = 5


@dataclass(frozen=True)
class ChecklistItem:
    """One learning point that applies to the case, grouped under a concern and a topic."""

    concern: str
    topic_id: str
    topic_label: str
    point: LearningPoint
    score: float
    evidence: str  # the words of the case that it matched

    @property
    def key(self) -> str:
        return f"{self.point.passage.passage_id}"

    def source(self) -> str:
        doc = self.point.document
        bits = [f"{doc.title} ({doc.doc_type}, {doc.year or 'n.d.'})"]
        if self.point.passage.page:
            bits.append(f"p. {self.point.passage.page}")
        if self.point.passage.section:
            bits.append(self.point.passage.section_path)
        return ", ".join(bits)


def concerns_of(summary: str) -> list[str]:
    """The separate concerns of a case summary (at least one)."""
    concerns = split_concerns(summary)
    if len(concerns) == 1 and len(split_sentences(summary)) > 1:
        concerns = split_sentences(summary)
    return [c.strip() for c in concerns if c.strip()]


def check_case(kb: object, summary: str, per_concern: int = PER_CONCERN) -> list[ChecklistItem]:
    """The learning points that apply to `summary`, grouped by concern, then topic."""
    summary = summary.strip()
    if not summary:
        return []
    taxonomy = kb.taxonomy()  # type: ignore[attr-defined]
    labels = {t.id: t.label for t in taxonomy.topics}
    items: list[ChecklistItem] = []
    concerns = concerns_of(summary)
    for concern in concerns:
        # Points of a topic the concern names in its own words fit whatever their cosine.
        named = {t.id for t in topics_using_words(concern, taxonomy)}
        matches = kb.match_points(concern, limit=per_concern * 2)  # type: ignore[attr-defined]
        fitting = [(p, s) for p, s in matches if s >= MIN_COSINE or named & set(p.passage.topics)][
            :per_concern
        ]
        for point, cosine in fitting:
            topic = point.passage.topics[0] if point.passage.topics else ""
            items.append(
                ChecklistItem(
                    concern, topic, labels.get(topic, "Other learning"), point, cosine, concern
                )
            )
    return _grouped(items, concerns)


def _grouped(items: Sequence[ChecklistItem], concerns: Sequence[str]) -> list[ChecklistItem]:
    order = {c: n for n, c in enumerate(concerns)}
    return sorted(items, key=lambda i: (order[i.concern], i.topic_label, -i.score))
