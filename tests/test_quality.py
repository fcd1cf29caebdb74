"""Search quality on judged queries, against both baselines.

`eval-dev.json` is the project's development set; `eval-extra.json` holds queries the team
judged before tuning, to check that changes generalise. The floors sit just under the figures
measured (docs/evaluation.md, Search quality), so a change that makes search worse fails here. The
issue's targets for dev.json (recall 0.90, nDCG 0.90, MRR 0.95) are not reached yet: that test
is marked as an expected failure, and turns into a failure of its own (strict) the day they
are reached, so the mark cannot outlive the gap."""

from pathlib import Path

import pytest

from kb.config import Config
from kb.index.embed import Embedder
from kb.knowledge_base import KnowledgeBase
from kb.tools.evaluate import EvalReport, holds, run_eval, score_ranking
from tests.conftest import DATA

FLOORS = {
    "eval-dev.json": {"recall": 0.85, "ndcg": 0.80, "mrr": 0.80},
    "eval-extra.json": {"recall": 0.90, "ndcg": 0.85, "mrr": 0.82},
}
TARGETS = {"recall": 0.90, "ndcg": 0.90, "mrr": 0.95}


@pytest.fixture(scope="module")
def reports(corpus_index: Path, embedder: Embedder) -> dict[str, EvalReport]:
    config = Config(index_path=corpus_index)
    with KnowledgeBase.open(corpus_index, config, embedder=embedder) as kb:
        return {name: run_eval(kb, DATA / name) for name in FLOORS}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_kb_beats_both_baselines_and_holds_its_floors(
    reports: dict[str, EvalReport], name: str
) -> None:
    ours, bm25, dense = reports[name].systems
    for metric, floor in FLOORS[name].items():
        value = getattr(ours, metric)
        assert value >= floor, f"{metric} fell to {value:.3f}"
        assert value > getattr(bm25, metric) and value > getattr(dense, metric), metric


@pytest.mark.xfail(
    strict=True,
    reason="issue #3's targets (recall 0.90, nDCG 0.90, MRR 0.95) are not reached with MiniLM "
    "and bm25: measured 0.868 / 0.821 / 0.828; see docs/evaluation.md",
)
def test_dev_queries_meet_the_targets(reports: dict[str, EvalReport]) -> None:
    ours = reports["eval-dev.json"].systems[0]
    for metric, target in TARGETS.items():
        assert getattr(ours, metric) >= target, f"{metric} {getattr(ours, metric):.3f}"


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


# The dev documents of other layouts (tests/data/corpus-dev): kb must lead both baselines on
# every metric there too, and read every judged document right. A case summary must find
# learning, not the story of a case like it: its nDCG@10 has a floor of its own.
DEV_DOCS = DATA / "corpus-dev"
DEV_FLOORS = {"recall": 0.78, "ndcg": 0.855, "mrr": 0.89}
# Issue #11's bar for each case summary. Measured 0.79 / 0.72 / 0.95 (mean 0.820); the teen's
# summary was 0.38 before a case's results showed a learning list of up to 800 characters
# whole (LIST_CHARS_BY_KIND), and the mean 0.772 before a concern weighed down the case told
# in reviews and briefings (CONCERN_TOLD_WEIGHT) and findings weighed 0.85 for a case.
EACH_CASE_NDCG_MIN = 0.6
DEV_CASE_NDCG_FLOOR = 0.80


@pytest.fixture(scope="module")
def dev_kb(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> KnowledgeBase:
    path = tmp_path_factory.mktemp("dev") / "index"
    kb = KnowledgeBase.open(path, Config(index_path=path), create=True, embedder=embedder)
    files = [p for p in sorted(DEV_DOCS.iterdir()) if p.suffix in (".pdf", ".html", ".docx")]
    assert kb.ingest(files).ok
    yield kb
    kb.close()


def test_on_other_layouts_kb_leads_both_baselines(dev_kb: KnowledgeBase) -> None:
    ours, bm25, dense = run_eval(dev_kb, DEV_DOCS / "judged.json").systems
    for metric, floor in DEV_FLOORS.items():
        value = getattr(ours, metric)
        assert value >= floor, f"{metric} fell to {value:.3f}"
        assert value > getattr(bm25, metric) and value > getattr(dense, metric), metric
    case_ndcg = ours.by_kind()["case"][2]
    assert case_ndcg >= DEV_CASE_NDCG_FLOOR, f"case nDCG@10 fell to {case_ndcg:.3f}"
    for query, (_, ndcg, _) in ours.per_query.items():
        if ours.kinds[query] == "case":
            assert ndcg >= EACH_CASE_NDCG_MIN, f"{query}: nDCG@10 {ndcg:.3f}"


def test_the_dev_documents_are_read_right(dev_kb: KnowledgeBase) -> None:
    from kb.tools.evaluate_docs import check_reading

    report = check_reading(dev_kb, DEV_DOCS / "judged.json")
    assert report is not None
    checks = {c.name: c for c in report.checks}
    for name, check in checks.items():
        if name != "points: found, right review":
            assert check.passed == check.total, (name, check.failures)
    assert checks["points: found, right review"].passed >= 28


def test_a_question_naming_a_case_finds_its_story(dev_kb: KnowledgeBase) -> None:
    """The story of a case weighs less for questions, except when the question names it."""
    hits = dev_kb.search("What happened to Child T?", k=3)
    assert any(h.passage.section[-1] == "What happened" for h in hits[:2]), [
        h.passage.section for h in hits
    ]


def test_a_case_checks_points_are_filed_under_topics_they_carry(dev_kb: KnowledgeBase) -> None:
    """A point found by meaning alone is not filed under the concern's topic: "victims first"
    is no learning about infants because the concern was about a baby."""
    from kb.outputs.casecheck import OTHER, check_case

    labels = {t.id: t.label for t in dev_kb.taxonomy().topics}
    topics_of = {p.passage.passage_id: p.passage.topics for p in dev_kb.points()}
    summaries = [q["text"] for q in _judged_cases()]
    for summary in summaries:
        for item in check_case(dev_kb, summary):
            carried = {labels[t] for t in topics_of[item.passage_id]}
            assert item.topic in carried or (item.topic == OTHER and not carried), (
                item.topic,
                item.text,
            )


def _judged_cases() -> list[dict[str, str]]:
    import json

    judged = json.loads((DEV_DOCS / "judged.json").read_text())
    return [q for q in judged["queries"] if q["kind"] == "case"]


# Sets of four more documents, each judged blind by a helper (tests/data/corpus-extra/
# README.md): kb must read them right, lead both baselines on recall within the reader's
# 2,500 characters and BM25 on MRR. On nDCG@10 the baselines' 1,000-character chunks lead
# on the second set (BM25 0.899, dense 0.945 against 0.873): nDCG's one-passage-per-rank
# ideal credits a chunk for every judged passage it holds, and kb's results are a third as
# long (docs/evaluation.md). That gap is issue 11's, open. The third set is scored by `make
# eval` only: its toolkit cites its review once, and kb needs two mentions. The fifth set's
# case summaries are kb's weakest (nDCG@10 0.53 against dense chunks' 0.97).
# Floors: recall (measured 0.662, 0.781, 0.626, 0.661, 0.710, 0.761) and the share of judged
# points found with their review (69/69, 46/52, 91/106, 109/128, 91/96, 92/100).
EXTRA_SETS = {
    "corpus-extra": (0.64, 0.88),
    "corpus-extra2": (0.77, 0.88),
    "corpus-extra4": (0.60, 0.83),
    "corpus-extra5": (0.64, 0.83),
    "corpus-extra6": (0.69, 0.92),
    "corpus-extra7": (0.74, 0.90),
}


@pytest.fixture(scope="module", params=sorted(EXTRA_SETS))
def extra_set(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    embedder: Embedder,
) -> tuple[str, KnowledgeBase]:
    name = request.param
    path = tmp_path_factory.mktemp(name) / "index"
    kb = KnowledgeBase.open(path, Config(index_path=path), create=True, embedder=embedder)
    files = [p for p in sorted((DATA / name).iterdir()) if p.suffix in (".pdf", ".html", ".docx")]
    assert kb.ingest(files).ok
    yield name, kb
    kb.close()


def test_documents_judged_blind_are_read_and_searched_well(
    extra_set: tuple[str, KnowledgeBase],
) -> None:
    from kb.tools.evaluate_docs import check_reading

    name, kb = extra_set
    report = check_reading(kb, DATA / name / "judged.json")
    assert report is not None
    checks = {c.name: c for c in report.checks}
    for check_name, check in checks.items():
        if not check_name.startswith("points: found"):
            assert check.passed == check.total, (check_name, check.failures)
    recall_floor, points_share = EXTRA_SETS[name]
    found = checks["points: found, right review"]
    assert found.passed >= points_share * found.total, found.failures
    ours, bm25, dense = run_eval(kb, DATA / name / "judged.json").systems
    assert ours.recall >= recall_floor, ours.recall
    assert ours.recall > bm25.recall and ours.recall > dense.recall
    assert ours.mrr > bm25.mrr
