"""A case summary's concern is searched by keyword without its age (kb/rules/retrieval.py,
AGE_PHRASE): "a three-year-old" says whom the case is about, not what it is about. Logic
only: the fake embedder, the keyword side is what is checked."""

from pathlib import Path

from kb.index.store import Filters
from kb.knowledge_base import KnowledgeBase

GUIDE = """# Learning for practice

- A sixteen or seventeen-year-old who is homeless must be referred to children's social care.
- Check that there is a working smoke alarm on every floor where a parent smokes indoors.
- Record the name and date of birth of every adult who lives in the household.
"""


def test_a_concerns_age_alone_finds_nothing_by_keyword(fake_kb: KnowledgeBase, docs: Path) -> None:
    (docs / "guide.md").write_text(GUIDE)
    assert fake_kb.ingest([docs]).ok
    searcher = fake_kb._searcher()
    store = searcher.store
    texts = {pid: p.text for pid, p in store.passages(store.all_ids()).items()}
    homeless = next(pid for pid, text in texts.items() if "homeless" in text)
    concern = "Home visit to a father alone with a three-year-old."

    def keyword_ranks(concern_flag: bool) -> dict[int, int | None]:
        ranked = searcher.rank(concern, Filters(), "case", concern=concern_flag)
        return {r.passage_id: r.keyword_rank for r in ranked}

    # Read as one of a summary's concerns, its age matches no learning on sixteen-year-olds;
    # a summary read whole keeps every word.
    assert keyword_ranks(True).get(homeless) is None
    assert keyword_ranks(False).get(homeless) is not None


def test_the_words_a_point_answers_leave_out_the_cases_age() -> None:
    from kb.outputs.casecheck import shared_words

    concern = "A 13-year-old girl has started cutting her arms and her grades have fallen."
    point = "Children as young as ten years old may self-harm by cutting: ask about every adult."
    assert shared_words(concern, point) == ["cutting"]
