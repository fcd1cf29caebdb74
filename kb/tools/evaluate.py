"""Search-quality evaluation on judged queries (the format of tests/data/eval-dev.json,
a copy of the project's shared/eval/dev.json).

Each judged passage is named by a phrase; a result holds it when its text contains the phrase
(case, punctuation and spacing ignored) or, for phrases of 4+ words, at least 80% of its words.
Metrics: graded recall within the first 2,500 characters a reader sees, nDCG@10 (each judged
passage credited once, at the first result that holds it) and MRR of the first grade-2 passage.
Two baselines are computed in the same run: BM25 alone and dense-only, each over fixed
1,000-character chunks of the same documents."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kb.errors import KBError
from kb.protocols import Encoder, Searcher
from kb.text.words import word_key

__all__ = [
    "CHUNK_CHARS",
    "READER_BUDGET",
    "BM25Baseline",
    "DenseBaseline",
    "EvalReport",
    "JudgedAnswer",
    "JudgedQuery",
    "Scores",
    "evaluate",
    "fixed_chunks",
    "holds",
    "load_judgements",
    "run_eval",
    "score_ranking",
]

READER_BUDGET = 2500
CHUNK_CHARS = 1000


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    kind: str
    text: str
    rel: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class JudgedAnswer:
    id: str
    text: str
    must: tuple[str, ...]


@dataclass(frozen=True)
class Scores:
    """Mean metrics of one system over the judged queries."""

    system: str
    recall: float
    ndcg: float
    mrr: float
    per_query: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # query id -> kind

    def by_kind(self) -> dict[str, tuple[int, float, float, float]]:
        """kind -> (queries, recall, nDCG, MRR), with "all" first."""
        groups: dict[str, list[tuple[float, float, float]]] = {"all": list(self.per_query.values())}
        for qid, scores in self.per_query.items():
            groups.setdefault(self.kinds.get(qid) or "other", []).append(scores)
        return {
            kind: (len(v), *(sum(s[i] for s in v) / (len(v) or 1) for i in range(3)))  # type: ignore[misc]
            for kind, v in groups.items()
            if v
        }


def load_judgements(path: str | Path) -> tuple[list[JudgedQuery], list[JudgedAnswer]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KBError(f"cannot read judged queries from {path}: {exc}") from exc
    queries = [
        JudgedQuery(
            q["id"], q.get("kind", ""), q["text"], tuple((r[0], int(r[1])) for r in q["rel"])
        )
        for q in data.get("queries", [])
    ]
    answers = [JudgedAnswer(a["id"], a["text"], tuple(a["must"])) for a in data.get("answers", [])]
    return queries, answers


def holds(text: str, phrase: str) -> bool:
    """Whether a result text holds a judged phrase (the matching rule of dev.json)."""
    norm_text, norm_phrase = word_key(text), word_key(phrase)
    if norm_phrase in norm_text:
        return True
    words = norm_phrase.split()
    if len(words) < 4:
        return False
    present = set(norm_text.split())
    return sum(1 for w in words if w in present) / len(words) >= 0.8


def score_ranking(
    results: Sequence[str], rel: Sequence[tuple[str, int]]
) -> tuple[float, float, float]:
    """(graded recall within READER_BUDGET chars, nDCG@10, reciprocal rank of first grade 2)."""
    total = sum(g for _, g in rel) or 1
    seen_text, budget = [], READER_BUDGET
    for text in results:
        if budget <= 0:
            break
        seen_text.append(text[:budget])
        budget -= len(text)
    recall = sum(g for p, g in rel if any(holds(t, p) for t in seen_text)) / total
    credited: set[str] = set()
    dcg = 0.0
    for rank, text in enumerate(results[:10], start=1):
        gain = 0
        for phrase, grade in rel:
            if phrase not in credited and holds(text, phrase):
                credited.add(phrase)
                gain += grade
        dcg += gain / math.log2(rank + 1)
    ideal = sum(
        g / math.log2(i + 2) for i, g in enumerate(sorted((g for _, g in rel), reverse=True))
    )
    # One result can hold two judged passages, so DCG may pass the one-per-rank ideal.
    ndcg = min(1.0, dcg / ideal) if ideal else 0.0
    rr = 0.0
    for rank, text in enumerate(results[:10], start=1):
        if any(g == 2 and holds(text, p) for p, g in rel):
            rr = 1.0 / rank
            break
    return recall, ndcg, rr


def evaluate(
    system: str, search: Callable[[str], list[str]], queries: Sequence[JudgedQuery]
) -> Scores:
    per_query = {q.id: score_ranking(search(q.text), q.rel) for q in queries}
    n = len(per_query) or 1
    return Scores(
        system,
        recall=sum(v[0] for v in per_query.values()) / n,
        ndcg=sum(v[1] for v in per_query.values()) / n,
        mrr=sum(v[2] for v in per_query.values()) / n,
        per_query=per_query,
        kinds={q.id: q.kind for q in queries},
    )


def fixed_chunks(texts: Sequence[str], size: int = CHUNK_CHARS) -> list[str]:
    """Each document's text cut every `size` characters (at a space when one is near)."""
    chunks = []
    for text in texts:
        start = 0
        while start < len(text):
            end = min(start + size, len(text))
            if end < len(text):
                space = text.rfind(" ", start + size - 100, end)
                end = space if space > start else end
            chunks.append(text[start:end].strip())
            start = end
    return [c for c in chunks if c]


class BM25Baseline:
    """BM25 (SQLite FTS5, porter stemming) over fixed chunks."""

    def __init__(self, chunks: Sequence[str]) -> None:
        from kb.index.keyword import fts_query

        self._fts_query = fts_query
        self.chunks = list(chunks)
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute("CREATE VIRTUAL TABLE c USING fts5(text, tokenize='porter unicode61')")
        self.conn.executemany("INSERT INTO c(rowid, text) VALUES (?, ?)", enumerate(self.chunks))

    def search(self, query: str, k: int = 10) -> list[str]:
        match = self._fts_query(query)
        if not match:
            return []
        rows = self.conn.execute(
            "SELECT rowid FROM c WHERE c MATCH ? ORDER BY bm25(c) LIMIT ?", (match, k)
        )
        return [self.chunks[r[0]] for r in rows]


class DenseBaseline:
    """all-MiniLM-L6-v2 cosine similarity over fixed chunks."""

    def __init__(self, chunks: Sequence[str], embedder: Encoder) -> None:
        self.chunks = list(chunks)
        self.embedder = embedder
        self.matrix = embedder.encode(self.chunks)

    def search(self, query: str, k: int = 10) -> list[str]:
        q = self.embedder.encode_query(query)
        order = np.argsort(-(self.matrix @ q))[:k]
        return [self.chunks[i] for i in order]


@dataclass(frozen=True)
class EvalReport:
    """Scores of kb and the two baselines, plus answer accuracy when answers are judged."""

    systems: tuple[Scores, ...]
    answer_accuracy: float | None = None
    answers: dict[str, bool] = field(default_factory=dict)


def run_eval(kb: Searcher, path: str | Path, k: int = 10) -> EvalReport:
    """Score kb's search and both baselines on the judged queries in `path`."""
    queries, answers = load_judgements(path)
    texts = kb.source_texts()
    chunks = fixed_chunks(texts)
    bm25 = BM25Baseline(chunks)
    dense = DenseBaseline(chunks, kb.embedder)
    systems = (
        evaluate("kb (hybrid)", lambda q: [h.text for h in kb.search(q, k=k)], queries),
        evaluate("BM25, 1000-char chunks", lambda q: bm25.search(q, k), queries),
        evaluate("dense, 1000-char chunks", lambda q: dense.search(q, k), queries),
    )
    verdicts = {}
    ask = getattr(kb, "ask", None)
    if ask is not None:
        for item in answers:
            answer = ask(item.text)
            verdicts[item.id] = answer.answered and all(
                word_key(m) in word_key(answer.text) for m in item.must
            )
    accuracy = sum(verdicts.values()) / len(verdicts) if verdicts else None
    return EvalReport(systems, accuracy, verdicts)
