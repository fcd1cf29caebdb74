"""The index the app tests use: the sample corpus, the Baby Q serious case review (a real
PDF layout), a document full of Markdown, HTML and javascript: links, and an undated one."""

from __future__ import annotations

import shutil
from pathlib import Path

from kb.config import Config
from kb.index.embed import Embedder
from kb.knowledge_base import KnowledgeBase

APP_DATA = Path(__file__).resolve().parent / "data" / "app"
BABY_Q = APP_DATA / "kestrel-vale-scr-baby-q.pdf"
MARKUP = APP_DATA / "markup-everywhere.txt"
UNDATED = APP_DATA / "undated-lodgers-guidance.txt"
# A phrase of Baby Q's and the page it is printed on (corpus-dev/judged.json).
BABY_Q_PHRASE = "left a vulnerable family with no lead professional for six weeks"
BABY_Q_PAGE = 7


def build_app_index(corpus_index: Path, target: Path, embedder: Embedder) -> Path:
    """A copy of the sample corpus's index with the app's test documents added (copied
    beside the index first, so the index records a path the test owns)."""
    shutil.copytree(corpus_index, target)
    docs = target.parent / "docs"
    docs.mkdir(exist_ok=True)
    paths = [Path(shutil.copyfile(p, docs / p.name)) for p in (BABY_Q, MARKUP, UNDATED)]
    with KnowledgeBase.open(target, Config(index_path=target), embedder=embedder) as kb:
        report = kb.ingest(paths)
    assert report.ok and len(report.added) == 3, report
    return target
