"""Many users at once on one KnowledgeBase, as the app serves them (issue 13, item 7)."""

from __future__ import annotations

import threading
from pathlib import Path

from kb.knowledge_base import KnowledgeBase
from kb.tools.loadtest import QUERIES, UPLOAD_TEXT, expected_keys, judge, run
from tests.conftest import SAMPLE


def test_twenty_searchers_during_uploads_see_no_error_and_no_stale_or_mixed_results(
    corpus_kb: KnowledgeBase, docs: Path
) -> None:
    upload = docs / "zebra-crossing-audit.txt"
    upload.write_text(UPLOAD_TEXT, encoding="utf-8")
    expected = expected_keys(corpus_kb, upload, QUERIES, 10)
    assert expected[True]["zebra crossing safety audit"][0][0] == "zebra-crossing-audit"
    outcome = judge(run(corpus_kb, upload, users=20, searches_each=6), expected, 20)
    assert outcome.searches == 120 and outcome.writes >= 1
    assert (outcome.errors, outcome.mixed, outcome.stale) == (0, 0, 0), outcome.first_error
    assert "zebra-crossing-audit" not in {d.doc_id for d in corpus_kb.documents()}


def test_a_search_is_answered_while_a_long_ingest_runs(empty_kb: KnowledgeBase, docs: Path) -> None:
    (docs / "first.txt").write_text("Practitioners should involve fathers in every assessment.")
    empty_kb.ingest([docs / "first.txt"])
    big = docs / "big"
    big.mkdir()
    (big / "report.txt").write_bytes(SAMPLE.read_bytes())  # hundreds of passages to embed
    writer = threading.Thread(target=empty_kb.ingest, args=([big],))
    writer.start()
    while writer.is_alive() and empty_kb.maintainer.lock.acquire(blocking=False):
        empty_kb.maintainer.lock.release()  # the writer has not begun yet
    hits = empty_kb.search("fathers")  # not queued behind the ingest
    still_writing = writer.is_alive()
    writer.join()
    assert hits[0].document.doc_id == "first"
    assert still_writing
    assert "report" in {d.doc_id for d in empty_kb.documents()}
