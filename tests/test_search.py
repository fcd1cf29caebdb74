"""Search quality and behaviour on the sample corpus."""

from kb.index.keyword import fts_query
from kb.index.store import Filters
from kb.knowledge_base import KnowledgeBase
from kb.passages.citation import Citation
from kb.retrieval.search import reciprocal_rank_fusion


def test_fathers_finds_the_course_and_the_baby_f_point(corpus_kb: KnowledgeBase) -> None:
    top = corpus_kb.search("fathers", k=5)
    texts = [h.passage.text for h in top]
    assert any("'Working with Fathers'" in t for t in texts)
    baby_f = [h for h in top if h.passage.text.startswith("Greater effort should be made")]
    assert baby_f and baby_f[0].passage.reviews == ("Baby F",)
    citation = Citation.of_hit(baby_f[0])
    assert citation.review == "Baby F"  # named by its section, of a report on many reviews
    assert "Harrow Safeguarding Children Board Annual Report" in citation.text()
    assert "'Baby F'" in citation.text()  # the section path


def test_case_transfer_ranks_cross_borough_transfers_first(corpus_kb: KnowledgeBase) -> None:
    first = corpus_kb.search("case transfer", k=3)[0].passage.text.lower()
    assert "transfer" in first and ("borough" in first or "london procedures" in first)


def test_meaning_matches_without_shared_words(corpus_kb: KnowledgeBase) -> None:
    texts = [h.passage.text for h in corpus_kb.search("cutting of girls' genitals", k=5)]
    assert any("FGM" in t or "Female Genital Mutilation" in t for t in texts)


def test_filters_restrict_results(corpus_kb: KnowledgeBase) -> None:
    assert corpus_kb.search("fathers", filters=Filters(doc_type="serious case review")) == []
    assert corpus_kb.search("fathers", filters=Filters(year_from=2018)) == []
    hits = corpus_kb.search("fathers", filters=Filters(year_from=2016, year_to=2017))
    assert hits and all(h.document.year == 2017 for h in hits)
    assert corpus_kb.search("fathers", filters=Filters(doc_ids=("nope",))) == []


def test_results_are_never_the_same_passage_twice(corpus_kb: KnowledgeBase) -> None:
    hits = corpus_kb.search("domestic abuse", k=20)
    texts = [h.passage.text for h in hits]
    assert len(texts) == len(set(texts)) == 20


def test_empty_and_stopword_queries_do_not_fail(corpus_kb: KnowledgeBase) -> None:
    assert corpus_kb.search("   ") == []
    assert len(corpus_kb.search("what is the")) > 0  # dense search still answers


def test_broad_queries_are_told_apart_from_specific_ones(corpus_kb: KnowledgeBase) -> None:
    assert corpus_kb.is_broad("the")  # no word that narrows anything
    assert not corpus_kb.is_broad("case transfer")
    assert not corpus_kb.is_broad("fathers")


def test_show_in_context_returns_the_neighbouring_passages(corpus_kb: KnowledgeBase) -> None:
    hit = corpus_kb.search("Greater effort should be made to contact and involve fathers", k=1)[0]
    around = corpus_kb.neighbours(hit.passage.passage_id)
    assert hit.passage in around and len(around) >= 3
    assert all(p.section == hit.passage.section for p in around)


def test_fusion_rewards_agreement_between_rankers() -> None:
    fused = reciprocal_rank_fusion({"keyword": [1, 2, 3], "dense": [3, 4, 1]}, k=60)
    assert [pid for pid, _ in fused][:2] == [1, 3]


def test_fts_query_quotes_words_and_drops_stopwords() -> None:
    assert fts_query('what is "case" transfer?') == '"case" OR "transfer"'
