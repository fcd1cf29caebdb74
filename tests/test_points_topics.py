"""Learning points, topics and search by topic and by case, on the sample corpus."""

import json
from pathlib import Path

from kb.config import Config
from kb.knowledge_base import KnowledgeBase
from kb.passages.topics import default_taxonomy_path


def _points_by_text(kb: KnowledgeBase) -> dict[str, object]:
    return {p.passage.text: p for p in kb.points()}


def test_review_learning_points_are_found_with_their_review(corpus_kb: KnowledgeBase) -> None:
    baby_f = corpus_kb.points(review="Baby F")
    assert [p.passage.text.split()[0] for p in baby_f] == [
        "Practitioners",
        "Practitioners",
        "There",
        "Greater",
    ]
    young_person_r = corpus_kb.points(review="'Young Person R'")
    assert len(young_person_r) == 3
    assert all(p.passage.text.startswith("The need to") for p in young_person_r)


def test_general_learning_bullets_are_points_of_no_review(corpus_kb: KnowledgeBase) -> None:
    points = _points_by_text(corpus_kb)
    general = [
        "When fathers seem to be absent from the home",
        "London has many diverse cultures",
        "The views and experiences of children need to be sought",
        "Where practitioners in one organisation feel",
    ]
    for start in general:
        match = [p for text, p in points.items() if text.startswith(start)]
        assert match and match[0].review is None, start
    transfer = next(p for t, p in points.items() if t.startswith("When cases are transferred"))
    assert transfer.review == "Family F"  # the bullet names the review it draws on


def test_narrative_statistics_and_outcomes_are_not_points(corpus_kb: KnowledgeBase) -> None:
    points = _points_by_text(corpus_kb)
    not_points = [
        "The London Borough of Harrow has a population of 247,000",
        "6% have a disability",
        "This SCR involved the death of an 11 month old baby",
        "The HSCB developed a course, 'Working with Fathers'",
        "The Panel held four meetings during 2016",
    ]
    for start in not_points:
        assert not any(text.startswith(start) for text in points), start


def _passage(kb: KnowledgeBase, start: str):
    hit = kb.search(start, k=1)[0]
    assert start in hit.passage.text  # short paragraphs of a section share one passage
    return hit.passage


def test_passages_are_tagged_with_their_topics(corpus_kb: KnowledgeBase) -> None:
    assert "fathers" in _passage(corpus_kb, "The HSCB developed a course, 'Working with").topics
    transfer = _passage(corpus_kb, "When cases are transferred across borough boundaries")
    assert "case-transfer" in transfer.topics
    london = _passage(corpus_kb, "HSCB reinforced the London Procedures for case transfer")
    assert "case-transfer" in london.topics
    culture = _passage(corpus_kb, "London has many diverse cultures and it is important")
    assert "culture" in culture.topics
    statistic = _passage(corpus_kb, "Unemployment rates are low and falling")
    assert "fathers" not in statistic.topics and "culture" not in statistic.topics
    # General safeguarding text is near many topic descriptions, but about none of them.
    police = _passage(corpus_kb, "There should be less reliance on using the police")
    assert "child-deaths" not in police.topics
    assert "culture" in culture.topics and "child-deaths" not in culture.topics


def test_an_index_tagged_under_other_rules_is_tagged_again(corpus_kb: KnowledgeBase) -> None:
    store = corpus_kb.store
    store.begin()
    store.conn.execute("DELETE FROM passage_topics")
    store.set_meta("taxonomy", "an older taxonomy:older rules")
    store.commit()
    assert corpus_kb.points(topic="fathers")  # points() re-tags first
    assert store.get_meta("taxonomy") == corpus_kb.tagger.signature()


def test_topic_search_returns_learning_points_first(corpus_kb: KnowledgeBase) -> None:
    for topic in ("fathers", "case-transfer", "culture"):
        hits = corpus_kb.search("", topic=topic, k=5)
        assert hits[0].passage.learning and topic in hits[0].passage.topics
        learning = [any(p.learning for p in h.passages) for h in hits]
        # learning points come before any other passage
        assert learning == sorted(learning, reverse=True)


def test_queries_in_practitioners_words_reach_the_topic(corpus_kb: KnowledgeBase) -> None:
    dads = corpus_kb.search("dads", k=3)
    assert dads[0].passage.learning and "fathers" in dads[0].passage.topics
    culture = corpus_kb.search("cultural practices", k=3)
    assert all(h.passage.learning for h in culture[:2])
    assert any("aware of cultural practices" in h.text for h in culture)


def test_a_query_with_its_own_subject_is_ranked_as_a_search(corpus_kb: KnowledgeBase) -> None:
    # "course" narrows the theme: the courses on fathers lead, not the learning points.
    top = corpus_kb.search("fathers course", k=2)
    assert not top[0].passage.learning
    assert any("'Working with Fathers'" in h.text for h in top)


def test_a_case_summary_gets_points_for_each_concern(corpus_kb: KnowledgeBase) -> None:
    case = (
        "Mother's new partner has moved into the home and has not been seen by any professional. "
        "The family has just moved into the borough from another local authority and the "
        "case is being transferred."
    )
    texts = " ".join(h.text for h in corpus_kb.search(case, k=6)).lower()
    assert "father" in texts
    assert "transferred across borough" in texts or "case transfer" in texts


def test_editing_the_taxonomy_retags_without_reembedding(
    corpus_index: Path, embedder, tmp_path: Path
) -> None:
    data = json.loads(default_taxonomy_path().read_text())
    data["topics"].append(
        {
            "id": "bathing",
            "label": "Bath safety",
            "description": "Babies left unattended in the bath and drowning.",
            "terms": ["bath", "drowned"],
        }
    )
    custom = tmp_path / "topics.json"
    custom.write_text(json.dumps(data))
    vectors_before = sorted(p.name for p in corpus_index.glob("vectors-*.faiss"))
    config = Config(index_path=corpus_index, topics_file=str(custom))
    with KnowledgeBase.open(corpus_index, config, embedder=embedder) as kb:
        counts = {s.topic.id: s.passages for s in kb.topics()}
        assert counts["bathing"] >= 1
        hits = kb.search("", topic="bathing", k=3)
        # The one passage tagged with the new topic is the Baby F drowning, and it is listed.
        assert hits and any("drowned in a bath" in h.text for h in hits)
        assert all("bathing" in h.passage.topics for h in hits)
    assert sorted(p.name for p in corpus_index.glob("vectors-*.faiss")) == vectors_before
    # Back to the shipped taxonomy: the extra topic is gone again.
    with KnowledgeBase.open(corpus_index, Config(index_path=corpus_index), embedder=embedder) as kb:
        assert "bathing" not in {s.topic.id for s in kb.topics()}
