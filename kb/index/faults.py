"""Named fault points: the write path calls `fault_point(NAME)` at each step where a crash
would leave different files behind. With `KB_FAULT=NAME` (or `NAME:N`, the N-th time) in
the environment the process kills itself there with SIGKILL (no clean-up, no flush: a
`kill -9` at that exact step).

The crash tests (tests/test_crash.py) run a real `kb ingest` or `kb rebuild` once per point
and check that the last committed index is whole afterwards and that a re-run completes."""

from __future__ import annotations

import os
import signal

__all__ = ["ENV", "POINTS", "REBUILD_POINTS", "fault_point"]

ENV = "KB_FAULT"

# In the order a write reaches them.
POINTS: tuple[str, ...] = (
    "after-parse",  # files read and segmented, nothing embedded
    "after-embed",  # embeddings computed, nothing written
    "before-vectors-saved",  # passages inserted in the open transaction, no new vector file
    "after-vectors-saved",  # vectors-N+1.faiss on disk, the database not yet committed
    "after-commit",  # committed; the previous vector file not yet deleted
)
REBUILD_POINTS: tuple[str, ...] = (
    "rebuild-before-swap",  # the new index complete beside the old one
    "rebuild-mid-swap",  # the old index moved aside, the new one not yet in its place
)


_reached: dict[str, int] = {}


def fault_point(name: str) -> None:
    """Kill this process here when KB_FAULT names this point (tests only). `NAME:N` kills
    the N-th time the point is reached (a later commit of a long ingest)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
