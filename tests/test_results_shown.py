"""What a result shows: a list item with its list, by kind of query (kb/rules/retrieval.py,
LIST_CHARS and LIST_CHARS_BY_KIND). Logic only: the fake embedder, the keyword side decides."""

from pathlib import Path

from kb.knowledge_base import KnowledgeBase
from kb.rules.retrieval import LIST_CHARS, LIST_CHARS_BY_KIND

# A review's learning list of about 700 characters: longer than a topic's or a question's
# result shows whole, short enough for a case summary's.
ITEMS = [
    "Children who are exploited to carry drugs are victims first, and records should say so.",
    "Every missing episode should be followed by a return interview offered by a trusted adult.",
    "Exclusion from school can raise the risk of exploitation; safeguarding leads should be asked.",
    "A referral to the national mechanism should be made as soon as there are grounds to suspect.",
    "Ask about fathers who live elsewhere, including those who could protect the young person.",
    "When a child is found in another area, the home authority must be told on the same day.",
    "Plans should follow the young person across boundaries and be reviewed after every episode.",
    "Practitioners should record what the young person says about where he goes and with whom.",
]
REVIEW = "\n".join(
    [
        "Serious case review: Child M",
        "",
        "What happened",
        "",
        "Child M was fifteen. He was often away from home and his school place ended in Year 10.",
        "",
        "Key learning",
        "",
        *[f"- {item}" for item in ITEMS],
        "",
    ]
)


def _shown(kb: KnowledgeBase, query: str) -> str:
    hits = kb.search(query, k=5)
    return next(h.text for h in hits if "return interview" in h.text)


def test_a_case_summary_shows_the_learning_list_whole_a_topic_only_the_item(
    fake_kb: KnowledgeBase, docs: Path
) -> None:
    list_chars = sum(len(item) for item in ITEMS)
    assert LIST_CHARS < list_chars <= LIST_CHARS_BY_KIND["case"]
    (docs / "child-m.md").write_text(REVIEW)
    assert fake_kb.ingest([docs]).ok
    case = "Boy of 15 keeps going missing overnight. Nobody offered him a return interview."
    shown = _shown(fake_kb, case)
    assert all(item in shown for item in ITEMS)  # the checklist an auditor goes through
    shown = _shown(fake_kb, "return interview")
    assert ITEMS[1] in shown and not all(item in shown for item in ITEMS)
