"""The rules version: a change to any rule value is detected. A tagging rule re-tags the index
on its next read; a reading rule is reported until `kb rebuild` reads the documents again."""

from __future__ import annotations

import json
import pkgutil
import re
from pathlib import Path

import pytest

import kb.rules
from kb.config import Config
from kb.index.integrity import check_index
from kb.index.manifest import MANIFEST, OLDER_RULES, READING_RULES, read_manifest
from kb.knowledge_base import KnowledgeBase
from kb.rules import passages, tagging
from kb.rules.version import (
    QUESTION_MODULES,
    READING_MODULES,
    TAGGING_MODULES,
    reading_version,
    rule_values,
    tagging_version,
)
from tests.fakes import FakeEmbedder

TOPICS = {
    "topics": [
        {
            "id": "fathers",
            "label": "Fathers",
            "description": "fathers and male carers seen by every agency",
            "terms": ["father"],
        }
    ]
}
TEXT = (
    "Fathers and male carers should be seen by every agency. The father should be asked "
    "about his own needs at every visit.\n"
)


def test_every_rules_module_is_in_one_group() -> None:
    found = {
        f"kb.rules.{m.name}" for m in pkgutil.iter_modules(kb.rules.__path__) if m.name != "version"
    }
    groups = READING_MODULES + TAGGING_MODULES + QUESTION_MODULES
    assert sorted(groups) == sorted(found)  # each once, none left out


def test_a_fingerprint_follows_the_values_not_the_names(monkeypatch: pytest.MonkeyPatch) -> None:
    before = (reading_version(), tagging_version())
    assert before == (reading_version(), tagging_version())  # stable
    monkeypatch.setattr(tagging, "TERM_BONUS", 0.06)
    assert tagging_version() != before[1] and reading_version() == before[0]
    monkeypatch.setattr(passages, "CAPTION", re.compile(passages.CAPTION.pattern))  # flags
    assert reading_version() != before[0]


def test_a_rule_of_a_kind_with_no_fingerprint_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tagging, "ODD_RULE", object(), raising=False)
    with pytest.raises(TypeError, match="ODD_RULE"):
        rule_values(tagging)


@pytest.fixture()
def tagged_kb(tmp_path: Path) -> KnowledgeBase:
    """An index of one document, tagged with a one-topic taxonomy, on the fake embedder."""
    topics = tmp_path / "topics.json"
    topics.write_text(json.dumps(TOPICS), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fathers.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "index"
    config = Config(index_path=path, topics_file=str(topics))
    kb = KnowledgeBase.open(path, config, create=True, embedder=FakeEmbedder())
    assert kb.ingest([tmp_path / "docs"]).ok
    yield kb
    kb.close()


def _scores(kb: KnowledgeBase) -> list[float]:
    rows = kb.store.conn.execute("SELECT score FROM passage_topics ORDER BY passage_id")
    return [row[0] for row in rows]


def test_a_changed_tagging_rule_retags_on_the_next_read(
    tagged_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _scores(tagged_kb)
    assert before, "the document should be tagged"
    monkeypatch.setattr(tagging, "TERM_BONUS", 0.5)
    config = tagged_kb.config
    with KnowledgeBase.open(config.index_path, config, embedder=FakeEmbedder()) as reopened:
        reopened.topics()  # a read that shows topics
        after = _scores(reopened)
        assert reopened.store.get_meta("taxonomy").endswith(tagging_version())
    assert len(after) == len(before) and all(a > b for a, b in zip(after, before, strict=True))


def test_a_changed_reading_rule_is_reported_until_a_rebuild(
    tagged_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tagged_kb.config
    folder = config.index_path
    assert read_manifest(folder)[READING_RULES] == reading_version()
    assert tagged_kb.info().rules_note == ""
    monkeypatch.setattr(passages, "MIN_PARAGRAPH_WORDS", 5)
    with KnowledgeBase.open(folder, config, embedder=FakeEmbedder()) as reopened:
        assert reopened.info().rules_note == OLDER_RULES
        rules = next(f for f in check_index(folder, config) if f.part == "rules")
        assert rules.ok and rules.detail == OLDER_RULES
        reopened.rebuild()
        assert reopened.info().rules_note == ""
    assert read_manifest(folder)[READING_RULES] == reading_version()


def test_an_index_made_before_rules_were_recorded_is_reported(tagged_kb: KnowledgeBase) -> None:
    folder = tagged_kb.config.index_path
    manifest = read_manifest(folder)
    del manifest[READING_RULES]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert tagged_kb.info().rules_note == OLDER_RULES


def test_the_first_write_to_an_empty_index_records_todays_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "index"
    KnowledgeBase.open(path, Config(index_path=path), create=True, embedder=FakeEmbedder()).close()
    monkeypatch.setattr(passages, "MIN_PARAGRAPH_WORDS", 5)  # the rules change before any write
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    with KnowledgeBase.open(path, Config(index_path=path), embedder=FakeEmbedder()) as kb:
        assert kb.info().rules_note == OLDER_RULES
        kb.ingest([tmp_path / "a.txt"])
        assert kb.info().rules_note == ""
