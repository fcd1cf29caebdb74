"""Many users at once: p50/p95 search latency at 1, 5 and 20 concurrent searchers while one
upload after another is indexed and removed, beside one user alone; and a check that no
search failed or saw a stale or mixed index.

    .venv/bin/python bench/concurrent_users.py [--users 1,5,20] [--searches 30] [--index DIR]

Builds an index of corpus/ in a temporary folder (or uses --index, which must not hold the
upload), then runs each load on one KnowledgeBase shared by all threads, as the app does.
Queries repeat, so their embeddings come from kb's query cache after the first time: the
figures are of the index's side of a search (SQLite, FAISS, ranking) under contention."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.config import Config  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.tools.loadtest import QUERIES, UPLOAD_TEXT, Outcome, expected_keys, judge, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="1,5,20", help="concurrent searchers, comma-separated")
    parser.add_argument("--searches", type=int, default=30, help="searches per user")
    parser.add_argument("--index", type=Path, help="an existing index (default: build one)")
    parser.add_argument(
        "--one-lock", action="store_true", help="also measure every call behind one lock"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-load-") as work:
        work_dir = Path(work)
        index = args.index or work_dir / "index"
        with KnowledgeBase.open(index, Config(index_path=index), create=True) as kb:
            if args.index is None:
                kb.ingest([ROOT / "corpus"])
            upload = work_dir / "zebra-crossing-audit.txt"
            upload.write_text(UPLOAD_TEXT, encoding="utf-8")
            expected = expected_keys(kb, upload, QUERIES, 10)
            rows = [("1, no upload", judge(run(kb, None, 1, args.searches), expected, 1))]
            for users in (int(u) for u in args.users.split(",")):
                trace = run(kb, upload, users, args.searches)
                rows.append((f"{users}, upload running", judge(trace, expected, users)))
                if args.one_lock:
                    trace = run(kb, upload, users, args.searches, one_lock=True)
                    rows.append((f"{users}, one lock", judge(trace, expected, users)))
            passages = kb.info().passages
    print(f"{passages} passages; {args.searches} searches per user; k=10")
    print(_table(rows))
    bad = [r for _, r in rows if r.errors or r.mixed or r.stale]
    for r in bad:
        print(f"{r.users} users: first error: {r.first_error}")
    return 1 if bad else 0


def _table(rows: list[tuple[str, Outcome]]) -> str:
    head = "users               searches  uploads  errors  mixed  stale  p50 ms  p95 ms"
    lines = [head]
    for label, r in rows:
        lines.append(
            f"{label:<19} {r.searches:>8} {r.writes:>8} {r.errors:>7} {r.mixed:>6} {r.stale:>6}"
            f" {r.p50_ms:>7.1f} {r.p95_ms:>7.1f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
