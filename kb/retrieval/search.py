"""Hybrid search: keyword (FTS5 bm25) and dense (FAISS) rankings fused, by their scores
(convex fusion, the default) or by reciprocal rank (`KB_FUSION=rrf`).

Fusion is a pure function over rankings, so it can be tested and tuned on its own."""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from kb.index.store import Filters, Store
from kb.index.vectors import VectorIndex
from kb.records import Passage
from kb.rules.retrieval import (
    CASE_MIN_WORDS,
    CONCERN_BREAK,
    CONCERN_MIN_WORDS,
    KEYWORD_COVERAGE_FULL,
    LIST_CHARS,
    LIST_GAP_CHARS_SHARE,
    LIST_GAP_ITEMS,
    NOTE_WEIGHT,
    ONE_PERSON,
    QUESTION,
    SIBLING_SHARE,
    STATEMENT_CASE_MIN_WORDS,
    TOPIC_TIERS,
    WEIGHED_TOP,
)
from kb.text.words import STOPWORDS, WORD, stem

__all__ = [
    "Ranked",
    "convex_fusion",
    "drop_near_duplicates",
    "group_list_items",
    "hybrid_rank",
    "interleave",
    "keyword_coverage",
    "list_unit",
    "query_kind",
    "reciprocal_rank_fusion",
    "shown_units",
    "split_concerns",
    "topic_first",
    "weigh_kinds",
    "weigh_points",
]

_POOL = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="kb-dense")


@dataclass(frozen=True)
class Ranked:
    """One fused result: a passage id, its fused score and its rank in each source."""

    passage_id: int
    score: float
    keyword_rank: int | None = None
    dense_rank: int | None = None


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[int]], k: int = 60, weights: Mapping[str, float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(id) = sum over lists of weight / (k + rank), rank from 1."""
    scores: dict[int, float] = {}
    for name, ids in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, pid in enumerate(ids, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def convex_fusion(
    keyword: Sequence[tuple[int, float]],
    dense: Sequence[tuple[int, float]],
    dense_weight: float,
    keyword_share: float = 1.0,
) -> list[tuple[int, float]]:
    """Fuse scored lists: (1 - w) * bm25 / max bm25 + w * min-max-scaled cosine, the keyword
    side scaled by `keyword_share` (how much of a question its best match holds).

    Unlike rank fusion this keeps how far ahead a strong keyword match is; measured better
    than RRF on the judged queries (see docs/evaluation.md, Search quality)."""
    scores: dict[int, float] = {}
    if keyword:
        top = max(s for _, s in keyword) or 1.0
        for pid, s in keyword:
            scores[pid] = (1 - dense_weight) * keyword_share * s / top
    if dense:
        low, high = min(s for _, s in dense), max(s for _, s in dense)
        span = (high - low) or 1.0
        for pid, s in dense:
            scores[pid] = scores.get(pid, 0.0) + dense_weight * (s - low) / span
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def hybrid_rank(
    store: Store,
    vectors: VectorIndex,
    query_vector: np.ndarray | None,
    query: str,
    filters: Filters,
    keyword_candidates: int,
    dense_candidates: int,
    fusion: str = "convex",
    dense_weight: float = 0.5,
    rrf_k: int = 60,
    weigh_keyword_coverage: bool = False,
    keyword_query: str | None = None,
) -> list[Ranked]:
    """Rank passages for a query with both retrievers and fuse the two rankings; with
    `weigh_keyword_coverage` (a question), the keyword side counts less when its best match
    holds little of the query (KEYWORD_COVERAGE_FULL). The keyword side searches
    `keyword_query` when given (the query's words that say what it is about)."""
    # SQLite and FAISS both release the GIL: run the two retrievers side by side. SQLite is
    # read on the calling thread, whose connection holds the caller's snapshot of the index
    # (another thread's reads could see a later commit than the vectors searched here).
    dense_pending = None
    if query_vector is not None:
        allowed = store.filtered_ids(filters) if filters.active else None
        dense_pending = _POOL.submit(vectors.search, query_vector, dense_candidates, allowed)
    keyword = store.keyword_search(keyword_query or query, filters, keyword_candidates)
    dense: list[tuple[int, float]] = dense_pending.result() if dense_pending else []
    share = 1.0
    if weigh_keyword_coverage and keyword:
        share = min(1.0, keyword_coverage(store, query, keyword[0][0]) / KEYWORD_COVERAGE_FULL)
    if fusion == "rrf":
        fused = reciprocal_rank_fusion(
            {"keyword": [p for p, _ in keyword], "dense": [p for p, _ in dense]},
            k=rrf_k,
            weights={"keyword": share},
        )
    else:
        fused = convex_fusion(keyword, dense, dense_weight, share)
    k_rank = {pid: i for i, (pid, _) in enumerate(keyword, start=1)}
    d_rank = {pid: i for i, (pid, _) in enumerate(dense, start=1)}
    ranked = [Ranked(pid, score, k_rank.get(pid), d_rank.get(pid)) for pid, score in fused]
    return weigh_kinds(ranked, store.kinds([r.passage_id for r in ranked[:WEIGHED_TOP]]))


def keyword_coverage(store: Store, query: str, passage_id: int) -> float:
    """The share of a query's content words (one per stem), each weighed by its rarity (IDF),
    that a passage holds where the keyword index reads it (its text, lead-in, headings and
    acronyms spelt out); a word no passage holds counts too (only meaning can find it); 1.0
    for a query of no content words."""
    by_stem: dict[str, str] = {}
    for word in WORD.findall(query.lower()):
        if word not in STOPWORDS and len(word) > 2:
            by_stem.setdefault(stem(word), word)
    if not by_stem:
        return 1.0
    counts, total = store.word_counts(list(by_stem.values()))
    passage = store.passages([passage_id])[passage_id]
    read = " ".join([passage.text, passage.context, *passage.section, passage.keywords])
    held = {stem(w) for w in WORD.findall(read)}
    rarity = {
        s: math.log(1 + (total - counts.get(w, 0) + 0.5) / (counts.get(w, 0) + 0.5))
        for s, w in by_stem.items()
    }
    return sum(r for s, r in rarity.items() if s in held) / sum(rarity.values())


def group_list_items(
    ranked: Sequence[Ranked], passages: Mapping[int, Passage], window: int
) -> list[tuple[Ranked, tuple[Passage, ...]]]:
    """Show items of one bulleted list that match together, at the best item's rank.

    Items are siblings when they share document, section and lead-in; only siblings ranked
    within `window` and scoring close to the best item join, so a long list is not pulled
    in whole."""
    top = [r for r in ranked[:window] if r.passage_id in passages]
    used: set[int] = set()
    out: list[tuple[Ranked, tuple[Passage, ...]]] = []
    for item in ranked:
        if item.passage_id in used or item.passage_id not in passages:
            continue
        passage = passages[item.passage_id]
        siblings = [passage]
        if passage.kind == "bullet":
            siblings += [
                passages[r.passage_id]
                for r in top
                if r.passage_id not in used
                and r.passage_id != item.passage_id
                and r.score >= SIBLING_SHARE * item.score
                and _same_list(passages[r.passage_id], passage)
            ]
        used.update(p.passage_id for p in siblings)  # type: ignore[misc]
        members = tuple(sorted(siblings, key=lambda p: p.seq)) if len(siblings) > 1 else ()
        out.append((item, members))
    return out


def _same_list(a: Passage, b: Passage) -> bool:
    return (
        a.kind == b.kind == "bullet"
        and a.doc_id == b.doc_id
        and a.section == b.section
        and a.context == b.context
    )


def shown_units(
    groups: Sequence[tuple[Ranked, tuple[Passage, ...]]],
    passages: Mapping[int, Passage],
    section_of: Callable[[Passage], Sequence[Passage]],
    limit: int,
    max_chars: int = LIST_CHARS,
    alone: Collection[int] = (),
) -> list[tuple[Ranked, tuple[Passage, ...]]]:
    """What each result shows, best first, as (ranking, passages shown; () for one).

    A list item comes with its whole list (under the sentence that introduces it), and a
    paragraph that introduces a list comes with the list, when the list fits in `max_chars`:
    "the following strengths were found:" means little without the strengths, and one item
    of a short list little without the others. A heading that states a point ("Finding 3:
    ...") is shown above the text that opens its section, and that text under it. A result
    whose passage a better one already showed is dropped, and no passage is shown twice.
    Passages in `alone` keep only the matching items of their list, and the few items
    between them (with_items_between)."""
    out: list[tuple[Ranked, tuple[Passage, ...]]] = []
    shown: set[int | None] = set()
    for ranked, members in groups:
        if len(out) == limit:
            break
        best = passages[ranked.passage_id]
        if best.passage_id in shown:
            continue
        # Only list items and paragraphs belong to or introduce lists: skip the lookup else.
        heading = states_its_heading(best)
        listed = best.kind in ("bullet", "paragraph") and (best.passage_id not in alone or heading)
        around = section_of(best) if listed or members else ()
        whole = list_unit(best, around, max_chars) if listed else ()
        unit = whole or with_items_between(members, around, max_chars) or (best,)
        unit = _under_its_heading(unit, around)
        fresh = tuple(p for p in unit if p.passage_id not in shown)
        shown.update(p.passage_id for p in fresh)
        out.append((ranked, fresh if len(fresh) > 1 else ()))
    return out


def list_unit(passage: Passage, section: Sequence[Passage], max_chars: int) -> tuple[Passage, ...]:
    """The list a passage belongs to, or the paragraph found followed by the list it
    introduces, in reading order; () when there is none or the list runs over `max_chars`."""
    by_seq = {p.seq: p for p in section}
    first = passage
    if states_its_heading(passage):  # "Finding 3: ...": shown with the text it heads
        following = by_seq.get(passage.seq + 1)
        if following is None or following.section != passage.section:
            return ()
        if following.kind != "bullet":
            return (passage, following) if len(following.text) <= max_chars else ()
        first = following
    elif passage.kind != "bullet":
        following = by_seq.get(passage.seq + 1)
        if following is None or not _introduces(passage, following):
            return ()
        first = following
    start = end = first.seq
    while start - 1 in by_seq and _same_list(by_seq[start - 1], first):
        start -= 1
    while end + 1 in by_seq and _same_list(by_seq[end + 1], first):
        end += 1
    items = [by_seq[seq] for seq in range(start, end + 1)]
    if sum(len(p.text) for p in items) > max_chars:
        return ()
    unit = items if passage.kind == "bullet" else [passage, *items]
    return tuple(unit) if len(unit) > 1 else ()


def with_items_between(
    members: Sequence[Passage], around: Sequence[Passage], max_chars: int
) -> tuple[Passage, ...]:
    """Items of one list shown together, with the items between them where at most
    LIST_GAP_ITEMS lie in a gap and the whole stays within LIST_GAP_CHARS_SHARE of
    `max_chars` (or the matched items' own length): the reader sees the list as written."""
    if len(members) < 2:
        return tuple(members)
    by_seq = {p.seq: p for p in around}
    used = sum(len(p.text) for p in members)
    budget = max(int(LIST_GAP_CHARS_SHARE * max_chars), used)
    out: list[Passage] = [members[0]]
    for before, after in itertools.pairwise(members):
        between = [by_seq[seq] for seq in range(before.seq + 1, after.seq) if seq in by_seq]
        whole_gap = len(between) == after.seq - before.seq - 1 <= LIST_GAP_ITEMS
        fits = used + sum(len(p.text) for p in between) <= budget
        if whole_gap and fits and all(_same_list(p, before) for p in between):
            out += between
            used += sum(len(p.text) for p in between)
        out.append(after)
    return tuple(out)


def _under_its_heading(unit: Sequence[Passage], around: Sequence[Passage]) -> tuple[Passage, ...]:
    """A unit that opens its section, under a heading that states a point, shown under that
    statement ("Finding 3: Permanent exclusion removed a protective factor" above the text)."""
    first = unit[0]
    before = next((p for p in around if p.seq == first.seq - 1), None)
    if before is not None and before.section == first.section and states_its_heading(before):
        return (before, *unit)
    return tuple(unit)


def states_its_heading(passage: Passage) -> bool:
    """A passage that is its section's own heading, read as a statement ("Finding 3:
    Permanent exclusion removed a protective factor")."""
    return bool(passage.section) and passage.text.rstrip(".:").strip() == passage.section[-1]


def _introduces(paragraph: Passage, item: Passage) -> bool:
    return (
        paragraph.kind == "paragraph"
        and item.kind == "bullet"
        and bool(item.context)
        and paragraph.text.rstrip().endswith(item.context.rstrip())
    )


def split_concerns(query: str) -> list[str]:
    """A case summary's separate concerns: its sentences and ';'-clauses of 4+ words.
    A short query is one concern."""
    parts = [p.strip() for p in CONCERN_BREAK.split(query) if p.strip()]
    parts = [p for p in parts if len(re.findall(r"\w+", p)) >= CONCERN_MIN_WORDS]
    return parts if len(parts) >= 2 else [query]


def interleave(rankings: Sequence[Sequence[Ranked]]) -> list[Ranked]:
    """Round-robin over several rankings so that each gets its best results in early."""
    out: list[Ranked] = []
    seen: set[int] = set()
    for position in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if position < len(ranking) and ranking[position].passage_id not in seen:
                seen.add(ranking[position].passage_id)
                out.append(ranking[position])
    return out


def topic_first(
    ranked: Sequence[Ranked],
    topic_points: Sequence[tuple[int, float]],
    point_kinds: Mapping[int, str] | None = None,
) -> list[Ranked]:
    """A topic's learning points first, then the other results.

    Points the query also found keep the query's order; the rest follow, most central
    first. With no query (`--topic` alone) that is simply most central first. Given the
    points' kinds, learning and rules lead findings and recommendations (TOPIC_TIERS)."""
    centrality = dict(topic_points)
    found = [r for r in ranked if r.passage_id in centrality]
    seen = {r.passage_id for r in found}
    rest = [Ranked(pid, score) for pid, score in topic_points if pid not in seen]
    points = found + rest
    if point_kinds is not None:
        points.sort(key=lambda r: TOPIC_TIERS.get(point_kinds.get(r.passage_id, ""), 2))
    return points + [r for r in ranked if r.passage_id not in centrality]


def weigh_kinds(ranked: Sequence[Ranked], kinds: Mapping[int, str]) -> list[Ranked]:
    """Re-order one ranking by kind of passage: a footnote explains a word of the text it
    hangs from, so its heading says little about it and it should not outrank that text."""
    weighed = [
        replace(r, score=r.score * NOTE_WEIGHT) if kinds.get(r.passage_id) == "note" else r
        for r in ranked
    ]
    return sorted(weighed, key=lambda r: -r.score)


def query_kind(query: str) -> str:
    """ "case" for a pasted summary of several concerns, "question" for a question, else
    "topic" (a theme in a few words)."""
    words = len(query.split())
    if len(split_concerns(query)) > 1 or words > CASE_MIN_WORDS:
        return "case"
    if QUESTION.search(query.strip()):
        return "question"
    return "case" if words > STATEMENT_CASE_MIN_WORDS and ONE_PERSON.search(query) else "topic"


def weigh_points(
    ranked: Sequence[Ranked],
    point_kinds: Mapping[int, str],
    weights: Mapping[str, float],
    roles: Mapping[int, str] | None = None,
    role_weights: Mapping[str, float] | None = None,
    told: Collection[int] = (),
    told_weight: float = 1.0,
) -> list[Ranked]:
    """Re-order a ranking so learning points outrank text that matches as well but teaches
    nothing (the weights by kind of query are POINT_WEIGHTS), and text that is no point
    weighs less again in the story of the case or the review's method (ROLE_WEIGHTS), and
    by `told_weight` in the passages `told` (a case's concern: CONCERN_TOLD_WEIGHT)."""

    def weight(pid: int) -> float:
        point_kind = point_kinds.get(pid, "")
        w = weights.get(point_kind, 1.0)
        if not point_kind and roles and role_weights:
            w *= role_weights.get(roles.get(pid, ""), 1.0)
        if not point_kind and pid in told:
            w *= told_weight
        return w

    weighed = [replace(r, score=r.score * weight(r.passage_id)) for r in ranked]
    return sorted(weighed, key=lambda r: -r.score)


def _fingerprint(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def drop_near_duplicates(ranked: Sequence[Ranked], passages: Mapping[int, Passage]) -> list[Ranked]:
    """Keep the best-ranked of passages whose text is the same (or one holds the other)."""
    kept: list[Ranked] = []
    seen: list[str] = []
    for item in ranked:
        passage = passages.get(item.passage_id)
        if passage is None:
            continue
        fp = _fingerprint(passage.text)
        if any(fp == other or (len(fp) > 40 and (fp in other or other in fp)) for other in seen):
            continue
        seen.append(fp)
        kept.append(item)
    return kept
