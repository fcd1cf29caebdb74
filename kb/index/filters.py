"""Filters: the restrictions a search, a topic's points or a list of points can carry,
as an SQL condition on a passage `p` and its document `d`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Filters"]


@dataclass(frozen=True)
class Filters:
    """Restrictions on a search: document type, year range, documents, topics (any of),
    learning points only."""

    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_ids: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    learning_only: bool = False
    point_kinds: tuple[str, ...] = ()  # only learning points of these kinds (POINT_KINDS)

    def sql(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        if self.doc_type:
            clauses.append("d.doc_type = ?")
            args.append(self.doc_type)
        if self.year_from is not None:
            clauses.append("d.year >= ?")
            args.append(self.year_from)
        if self.year_to is not None:
            clauses.append("d.year <= ?")
            args.append(self.year_to)
        if self.doc_ids:
            clauses.append(f"d.doc_id IN ({','.join('?' * len(self.doc_ids))})")
            args.extend(self.doc_ids)
        if self.topics:
            clauses.append(
                "p.id IN (SELECT passage_id FROM passage_topics WHERE topic_id IN "
                f"({','.join('?' * len(self.topics))}))"
            )
            args.extend(self.topics)
        if self.learning_only:
            clauses.append("p.learning = 1")
        if self.point_kinds:
            clauses.append(f"p.point_kind IN ({','.join('?' * len(self.point_kinds))})")
            args.extend(self.point_kinds)
        return (" AND ".join(clauses) or "1"), args

    @property
    def active(self) -> bool:
        return bool(
            self.doc_type
            or self.year_from
            or self.year_to
            or self.doc_ids
            or self.topics
            or self.learning_only
            or self.point_kinds
        )
