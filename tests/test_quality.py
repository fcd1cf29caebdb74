"""Search quality on the judged development queries, against both baselines.

The floors are the figures measured when this test was written (see README, Search quality);
the issue's targets (recall 0.90, nDCG 0.90, MRR 0.95) are not all reached yet, so this test
guards against regressions and checks kb beats both baselines on every metric."""

from kb.evaluate import holds, run_eval, score_ranking
from kb.knowledge_base import KnowledgeBase
from tests.conftest import DATA

FLOORS = {"recall": 0.85, "ndcg": 0.70, "mrr": 0.65}


def test_kb_beats_both_baselines_and_holds_its_floors(corpus_kb: KnowledgeBase) -> None:
    report = run_eval(corpus_kb, DATA / "eval-dev.json")
    ours, bm25, dense = report.systems
    for metric, floor in FLOORS.items():
        value = getattr(ours, metric)
        assert value >= floor, f"{metric} fell to {value:.3f}"
        assert value > getattr(bm25, metric) and value > getattr(dense, metric), metric


def test_matching_rule_of_the_judgements() -> None:
    phrase = "mandatory for regulated professionals"
    assert holds("It became MANDATORY for regulated-professionals.", phrase)
    assert holds("the two lead officers for FGM", "two FGM Lead Officers")  # all words, any order
    assert not holds("the two officers", "two FGM Lead Officers")  # 2 of 4 words


def test_metrics_credit_each_passage_once_within_the_reading_budget() -> None:
    rel = [("alpha beta", 2), ("gamma", 1)]
    recall, ndcg, rr = score_ranking(["x" * 3000 + " gamma", "alpha beta"], rel)
    assert recall == 0.0  # both beyond the first 2,500 characters
    assert rr == 0.5
    recall, ndcg, rr = score_ranking(["alpha beta gamma"], rel)
    assert (recall, ndcg, rr) == (1.0, 1.0, 1.0)
