"""Many users at once on one KnowledgeBase (as the app serves them): searchers in threads
while one upload after another is added and removed.

Every search's results are checked against what the same query gives, searched alone, on
the index without the upload and with it: a result list equal to neither is *mixed* (parts of
two states, or vectors that do not match their passages); one equal to a state that was not
current at any moment of the search is *stale*. bench/concurrent_users.py prints the
figures; tests/test_concurrency.py runs a short version."""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb.knowledge_base import KnowledgeBase

__all__ = [
    "QUERIES",
    "UPLOAD_TEXT",
    "Key",
    "Outcome",
    "Trace",
    "expected_keys",
    "judge",
    "key_of",
    "run",
]

QUERIES = (
    "fathers",
    "case transfer between local authorities",
    "domestic abuse and children",
    "missing children return interviews",
    "female genital mutilation duty to report",
    "information sharing between agencies",
    "early help thresholds",
    "private fostering arrangements",
    "child sexual exploitation",
    "voice of the child",
    "zebra crossing safety audit",  # the upload's own subject
)
UPLOAD_TEXT = (
    "Zebra crossing safety audit\n\n"
    "The zebra crossing safety audit found that children walking to school cross unlit roads.\n\n"
    "Learning: practitioners should report unsafe zebra crossings near schools to the council.\n"
)

Key = tuple[tuple[str, str], ...]  # (doc id, text) of each result, in order


@dataclass
class Trace:
    """What happened in one run: each search (start, end, query, key or error) and each
    upload step (start, end, state after: True when the upload is indexed)."""

    searches: list[tuple[float, float, str, Key | None, str]] = field(default_factory=list)
    writes: list[tuple[float, float, bool]] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    users: int
    searches: int
    errors: int
    mixed: int
    stale: int
    writes: int
    p50_ms: float
    p95_ms: float
    first_error: str = ""


def key_of(kb: KnowledgeBase, query: str, k: int) -> Key:
    return tuple((h.document.doc_id, h.text) for h in kb.search(query, k=k))


def expected_keys(
    kb: KnowledgeBase, upload: Path, queries: Sequence[str], k: int
) -> dict[bool, dict[str, Key]]:
    """Each query's results, searched alone, without the upload (False) and with it (True)."""
    without = {q: key_of(kb, q, k) for q in queries}
    kb.ingest([upload])
    with_upload = {q: key_of(kb, q, k) for q in queries}
    kb.remove(str(upload))
    assert {q: key_of(kb, q, k) for q in queries} == without, "search is not deterministic"
    return {False: without, True: with_upload}


def run(
    kb: KnowledgeBase,
    upload: Path | None,
    users: int,
    searches_each: int,
    queries: Sequence[str] = QUERIES,
    k: int = 10,
    one_lock: bool = False,
) -> Trace:
    """`users` threads each run `searches_each` searches; meanwhile (when `upload` is given)
    one thread adds and removes the upload until they are done. `one_lock` puts every call
    behind one lock (how kb served threads before: the design measured against)."""
    trace = Trace()
    done = threading.Event()
    lock = threading.Lock()
    serial = threading.Lock() if one_lock else contextlib.nullcontext()

    def searcher(n: int) -> None:
        for i in range(searches_each):
            query = queries[(n + i) % len(queries)]
            start = time.perf_counter()
            try:
                with serial:
                    found, error = key_of(kb, query, k), ""
            except Exception as exc:
                found, error = None, f"{type(exc).__name__}: {exc}"
            with lock:
                trace.searches.append((start, time.perf_counter(), query, found, error))

    def uploader() -> None:
        indexed = False
        while not done.is_set():
            start = time.perf_counter()
            with serial:
                if indexed:
                    kb.remove(str(upload))
                else:
                    kb.ingest([upload])
            indexed = not indexed
            trace.writes.append((start, time.perf_counter(), indexed))
        if indexed:
            kb.remove(str(upload))

    threads = [threading.Thread(target=searcher, args=(n,)) for n in range(users)]
    writer = threading.Thread(target=uploader) if upload else None
    if writer:
        writer.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    if writer:
        writer.join()
    return trace


def judge(trace: Trace, expected: dict[bool, dict[str, Key]], users: int) -> Outcome:
    """Count errors, mixed and stale results, and the latency percentiles."""
    errors = mixed = stale = 0
    first_error = ""
    for start, end, query, found, error in trace.searches:
        if found is None:
            errors += 1
            first_error = first_error or error
            continue
        states = [s for s in (False, True) if expected[s][query] == found]
        if not states:
            mixed += 1
        elif not set(states) & _states_during(trace.writes, start, end):
            stale += 1
    latencies = sorted((end - start) * 1000 for start, end, *_ in trace.searches)
    return Outcome(
        users=users,
        searches=len(trace.searches),
        errors=errors,
        mixed=mixed,
        stale=stale,
        writes=len(trace.writes),
        p50_ms=statistics.median(latencies),
        p95_ms=latencies[max(0, int(round(0.95 * len(latencies))) - 1)],
        first_error=first_error,
    )


def _states_during(writes: list[tuple[float, float, bool]], start: float, end: float) -> set[bool]:
    """The index states a search from `start` to `end` may rightly see: the one current when
    it began, and that of every write that committed or was committing meanwhile."""
    current = False
    states: set[bool] = set()
    for w_start, w_end, after in writes:
        if w_end < start:
            current = after
        elif w_start <= end:
            states.update({not after, after})
    return states | {current}
