"""How much a question's best keyword match holds of it (kb/retrieval/search.py,
keyword_coverage; KEYWORD_COVERAGE_FULL): a match on one common word of a long question
must not outweigh the meaning side. Logic only: the fake embedder."""

from pathlib import Path

from kb.knowledge_base import KnowledgeBase
from kb.retrieval.search import convex_fusion, keyword_coverage
from kb.rules.retrieval import KEYWORD_COVERAGE_FULL

PASSAGES = [
    "Was not brought needs follow-up: find out why the baby was not brought to clinic.",
    "Never record was not brought without finding out where the child is living.",
    "A toddler who is very sleepy with no obvious cause may have swallowed medicine.",
    "Health visitors should weigh the baby at every visit.",
    "Staff missed the signs of CSE in two of the cases.",
]


def _ids(kb: KnowledgeBase) -> dict[str, int]:
    """Each of PASSAGES by the id of the passage that holds it."""
    store = kb._searcher().store
    passages = store.passages(store.all_ids())
    return {text: next(i for i, p in passages.items() if p.text == text) for text in PASSAGES}


def test_a_match_on_one_common_word_covers_little_of_a_question(
    fake_kb: KnowledgeBase, docs: Path
) -> None:
    (docs / "guide.md").write_text("# Guide\n\n" + "".join(f"- {p}\n" for p in PASSAGES))
    assert fake_kb.ingest([docs]).ok
    store, ids = fake_kb._searcher().store, _ids(fake_kb)
    question = "toddler brought to hospital very sleepy with no obvious cause"
    brought = keyword_coverage(store, question, ids[PASSAGES[0]])
    sleepy = keyword_coverage(store, question, ids[PASSAGES[2]])
    # "brought" is in half the passages: it holds little of the question; the passage about a
    # sleepy toddler holds enough for its keyword match to count in full.
    assert brought < 0.3
    assert KEYWORD_COVERAGE_FULL <= sleepy < 1.0
    assert keyword_coverage(store, "the and of", ids[PASSAGES[0]]) == 1.0  # no content words
    # An acronym spelt out in the index counts as the words it stands for.
    cse = keyword_coverage(store, "signs of child sexual exploitation", ids[PASSAGES[4]])
    assert cse == 1.0


def test_a_keyword_share_lets_the_meaning_side_lead() -> None:
    keyword = [(1, 8.0)]
    dense = [(2, 0.62), (1, 0.30), (3, 0.20)]
    assert convex_fusion(keyword, dense, 0.5)[0][0] == 1
    assert convex_fusion(keyword, dense, 0.5, keyword_share=0.3)[0][0] == 2
