"""`kb bench`: speed and memory at 1k to 1M passages; ingest beside raw encoding and cold
start beside the model load alone, each pair measured in the same run. Synthetic indexes are
built from the sample corpus: its real passages with their sentences recombined, and its
real embeddings with small perturbations (embedding a million texts on 2 cores would take
most of a day)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from kb.config import Config
from kb.index.store import Filters
from kb.knowledge_base import KnowledgeBase
from kb.records import DOC_TYPES, Document, Passage

__all__ = [
    "PASSAGES_PER_DOC",
    "QUERIES",
    "Source",
    "build_synthetic",
    "child_measure",
    "cold_starts",
    "disk_per_passage",
    "ingest_throughput",
    "load_source",
    "percentiles",
    "query_latency",
    "recall_at_10",
    "run",
    "timed",
    "update_one_document",
]

QUERIES = [
    "fathers",
    "case transfer",
    "cultural practices",
    "domestic abuse and children",
    "missing children return interviews",
    "female genital mutilation duty to report",
    "information sharing between agencies",
    "early help thresholds",
    "gangs and knife crime",
    "child sexual exploitation hot spots",
    "private fostering arrangements",
    "neglect toolkit",
    "voice of the child",
    "challenge and escalation",
    "trafficking referral",
]
PASSAGES_PER_DOC = 400


@dataclass(frozen=True)
class Source:
    """The sample corpus's passages and embeddings, the material for synthetic indexes."""

    passages: list[Passage]
    vectors: np.ndarray


def load_source(corpus: Path, work: Path) -> Source:
    path = work / "source-index"
    with KnowledgeBase.open(path, Config(index_path=path), create=True) as kb:
        kb.ingest([corpus])
        ids = kb.store.all_ids()
        passages = kb.store.passages(ids)
        return Source([passages[i] for i in ids], kb.vectors.vectors(ids))


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _variant(passage: Passage, rng: np.random.Generator, doc_id: str, seq: int) -> Passage:
    words = passage.text.split()
    if len(words) > 8:  # recombine: rotate the words a little so texts differ
        cut = int(rng.integers(1, len(words) - 1))
        words = words[cut:] + words[:cut]
    return Passage(
        doc_id,
        seq,
        " ".join(words),
        passage.page,
        passage.section,
        passage.kind,
        passage.context,
        passage.reviews,
        keywords=passage.keywords,
        point_kind=passage.point_kind,
    )


def build_synthetic(path: Path, size: int, source: Source, seed: int = 0) -> float:
    """Write an index of `size` passages straight into the store; seconds taken."""
    rng = np.random.default_rng(seed)
    config = Config(index_path=path)
    start = time.perf_counter()
    with KnowledgeBase.open(path, config, create=True) as kb:
        vectors = kb.vectors
        kb.store.begin()
        for first in range(0, size, PASSAGES_PER_DOC):
            count = min(PASSAGES_PER_DOC, size - first)
            doc_id = f"synthetic-{first // PASSAGES_PER_DOC:05d}"
            kb.store.add_document(
                Document(
                    doc_id,
                    f"/synthetic/{doc_id}.pdf",
                    f"Synthetic review {doc_id}",
                    DOC_TYPES[first // PASSAGES_PER_DOC % 5],
                    2010 + first // PASSAGES_PER_DOC % 15,
                    (),
                    f"{first:064x}",
                )
            )
            picks = rng.integers(0, len(source.passages), count)
            passages = [_variant(source.passages[i], rng, doc_id, n) for n, i in enumerate(picks)]
            ids = kb.store.add_passages(passages)
            # Each copy keeps its source passage's topics (the tagging itself is not timed).
            kb.store.set_topics(
                (pid, [(t, 0.5 - 0.01 * n) for n, t in enumerate(source.passages[i].topics)])
                for pid, i in zip(ids, picks, strict=True)
            )
            noisy = source.vectors[picks] + rng.normal(0, 0.02, (count, source.vectors.shape[1]))
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            vectors.add(ids, noisy.astype(np.float32))
        if len(vectors) > config.ann_threshold:
            vectors.to_ivf()
        vectors.save(path, 1)
        kb.store.set_meta("generation", "1")
        kb.store.set_meta("taxonomy", kb.tagger.signature())
        kb.store.commit()
    return time.perf_counter() - start


def query_latency(kb: KnowledgeBase) -> dict[str, tuple[float, float]]:
    """p50/p95 ms for keyword, dense and hybrid search (query embedding excluded), with and
    without a filter, and the query embedding alone."""
    vectors = {q: kb.embedder.encode_query(q) for q in QUERIES}
    docs = sorted(kb.store.doc_ids())
    filtered = Filters(doc_type="serious case review")
    narrow = Filters(doc_ids=tuple(docs[:3]))
    out: dict[str, tuple[float, float]] = {}
    cases: dict[str, Callable[[str], object]] = {
        "keyword": lambda q: kb.store.keyword_search(q, Filters(), 200),
        "dense": lambda q: kb.vectors.search(vectors[q], 200),
        "hybrid": lambda q: kb._rank(q, Filters()),
        "hybrid, type filter": lambda q: kb._rank(q, filtered),
        "hybrid, 3-document filter": lambda q: kb._rank(q, narrow),
        "full search() incl. grouping": lambda q: kb.search(q, k=10),
    }
    for name, run in cases.items():
        samples: list[float] = []
        for query in QUERIES:
            samples += timed(partial(run, query), 3)
        out[name] = percentiles(samples)
    _cached = kb.embedder.encode
    out["query embedding alone"] = percentiles(
        [t for q in QUERIES for t in timed(partial(_cached, [q]), 3)]
    )
    return out


def recall_at_10(kb: KnowledgeBase) -> float | None:
    """Recall@10 of the approximate index against exact search (None when exact)."""
    vectors = kb.vectors
    if not vectors.approximate:
        return None
    sample = np.random.default_rng(1).choice(kb.store.all_ids(), 200, replace=False)
    queries = vectors.vectors(sample) + np.random.default_rng(2).normal(0, 0.05, (200, vectors.dim))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    all_ids = np.asarray(kb.store.all_ids(), dtype=np.int64)
    matrix = vectors.vectors(all_ids)
    hits = 0
    for q in queries:
        exact = set(all_ids[np.argsort(-(matrix @ q))[:10]].tolist())
        approx = {pid for pid, _ in vectors.search(q, 10)}
        hits += len(exact & approx)
    return hits / (10 * len(queries))


def update_one_document(kb: KnowledgeBase, corpus_file: Path, work: Path) -> tuple[float, float]:
    """Seconds to re-ingest one changed document, and that document's embedding time alone."""
    doc = work / "changed.txt"
    text = corpus_file.read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    kb.ingest([doc])
    changed = f"{text}\n\nThis paragraph was added to change the document.\n"
    doc.write_text(changed, encoding="utf-8")
    start = time.perf_counter()
    kb.ingest([doc])
    total = time.perf_counter() - start
    passages = kb.store.passages_of(kb.document(str(doc)).doc_id)
    start = time.perf_counter()
    kb.embedder.encode([p.embedding_text() for p in passages])
    return total, time.perf_counter() - start


def ingest_throughput(
    corpus_file: Path, work: Path, copies: int = 2, rounds: int = 2
) -> tuple[float, float]:
    """passages/s of `kb ingest` on fresh text, and of raw SentenceTransformer.encode on the
    same texts; the two alternate and the best round of each counts (the machine is noisy)."""
    folder = work / "ingest"
    folder.mkdir(exist_ok=True)
    text = corpus_file.read_text(encoding="utf-8")
    for n in range(copies):
        # A line of its own makes each copy new bytes (an unchanged file would be skipped).
        (folder / f"copy-{n}.txt").write_text(f"Copy {n}\n\n{text}", encoding="utf-8")
    pipeline, raw = 0.0, 0.0
    for round_ in range(rounds):
        path = work / f"ingest-index-{round_}"
        with KnowledgeBase.open(path, Config(index_path=path), create=True) as kb:
            kb.embedder.encode_query("warm up")
            kb.taxonomy()
            start = time.perf_counter()
            report = kb.ingest([folder])
            pipeline = max(pipeline, report.passages / (time.perf_counter() - start))
            texts = [
                p.embedding_text() for d in kb.documents() for p in kb.store.passages_of(d.doc_id)
            ]
            start = time.perf_counter()
            kb.embedder.model.encode(texts, batch_size=32, normalize_embeddings=True)
            raw = max(raw, len(texts) / (time.perf_counter() - start))
    return pipeline, raw


def disk_per_passage(path: Path) -> tuple[float, float]:
    """(index bytes per passage beyond the passage text, text bytes per passage)."""
    with KnowledgeBase.open(path, Config(index_path=path)) as kb:
        count = kb.store.passage_count()
        text = kb.store.conn.execute(
            "SELECT sum(length(CAST(text AS BLOB)) + length(CAST(context AS BLOB)) + "
            "length(CAST(section AS BLOB))) FROM passages"
        ).fetchone()[0]
    size = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return (size - text) / count, text / count


def child_measure(code: str) -> dict[str, float]:
    """Run Python code in a fresh process; it prints a JSON dict as its last line."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_starts(index: Path) -> dict[str, float]:
    """Seconds from a fresh process to the first result: `kb search`, the app (its script run
    through AppTest, without the browser), and the model load alone as the baseline."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kb.cli", "--index", str(index), "search", "fathers", "-k", "3"],
        check=True,
        capture_output=True,
    )
    cli = time.perf_counter() - start
    model = child_measure(
        "import time,json; t=time.perf_counter(); from kb.index.embed import load_model; "
        "load_model('cpu').encode(['x']); print(json.dumps({'s': time.perf_counter()-t}))"
    )["s"]
    app = Path(__file__).resolve().parents[1] / "app.py"
    app_code = (
        "import time,json,os; t=time.perf_counter(); "
        "from streamlit.testing.v1 import AppTest; "
        f"at=AppTest.from_file({str(app)!r}, default_timeout=300); at.query_params['q']='fathers'; "
        "at.run(); assert any('kb-text' in m.value for m in at.markdown); "
        "print(json.dumps({'s': time.perf_counter()-t}))"
    )
    env_app = {**os.environ, "KB_INDEX_PATH": str(index)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", app_code], check=True, capture_output=True, env=env_app)
    return {"kb search": cli, "app": time.perf_counter() - start, "model load": model}


def run(sizes: list[int], corpus_file: Path, out: Callable[[str], None] = print) -> None:
    """Run every measurement and print the figures."""
    work = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        _run(sizes, corpus_file, work, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(sizes: list[int], corpus_file: Path, work: Path, out: Callable[[str], None]) -> None:
    out(f"machine: {os.cpu_count()} cores; sizes {sizes}")
    pipeline, raw = ingest_throughput(corpus_file, work)
    out(f"ingest: {pipeline:.1f} passages/s; raw encode {raw:.1f}/s; ratio {pipeline / raw:.2f}")
    for size in sizes:
        path = work / f"index-{size}"
        build_code = (
            "import json,sys; from pathlib import Path; from kb.tools import bench; "
            f"src=bench.load_source(Path({str(corpus_file)!r}), Path({str(work)!r})/'s{size}'); "
            f"s=bench.build_synthetic(Path({str(path)!r}), {size}, src); "
            "import resource; rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024; "
            "print(json.dumps({'s': s, 'rss': rss}))"
        )
        (work / f"s{size}").mkdir()
        built = child_measure(build_code)
        out(
            f"\n== {size:,} passages == built in {built['s']:.1f} s, "
            f"peak memory building {built['rss']:.0f} MB"
        )
        extra, text = disk_per_passage(path)
        out(f"disk: {extra:.0f} B/passage beyond its text ({text:.0f} B of text per passage)")
        _serve(path, corpus_file, work, size, out)


def _serve(
    path: Path, corpus_file: Path, work: Path, size: int, out: Callable[[str], None]
) -> None:
    code = (
        "import json,resource; from pathlib import Path; from kb.tools import bench; "
        "from kb.knowledge_base import KnowledgeBase; from kb.config import Config; "
        f"p=Path({str(path)!r}); kb=KnowledgeBase.open(p, Config(index_path=p)); "
        "lat=bench.query_latency(kb); r=bench.recall_at_10(kb); "
        "rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024; "
        "print(json.dumps({'lat': lat, 'recall': r, 'rss': rss}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    for name, (p50, p95) in data["lat"].items():
        out(f"  {name:<32} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    if data["recall"] is not None:
        out(f"  approximate index recall@10 vs exact: {data['recall']:.3f}")
    out(f"  peak memory serving: {data['rss']:.0f} MB")
    if size == 100_000:
        with KnowledgeBase.open(path, Config(index_path=path)) as kb:
            total, embed = update_one_document(kb, corpus_file, work)
        out(
            f"  re-ingest one changed document: {total:.2f} s, of which its embedding "
            f"{embed:.2f} s (overhead {total - embed:.2f} s)"
        )
        cold = cold_starts(path)
        out(
            f"  cold start: kb search {cold['kb search']:.1f} s, app {cold['app']:.1f} s; "
            f"model load alone {cold['model load']:.1f} s"
        )
