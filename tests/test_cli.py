"""Each CLI command, as a user runs it."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from tests.conftest import PDFS, SAMPLE, copy


def run(*args: str, index: Path) -> object:
    return CliRunner().invoke(cli, ["--index", str(index), *args])


def test_search_json_has_the_documented_fields(corpus_index: Path) -> None:
    result = run("search", "case transfer", "--json", "-k", "3", index=corpus_index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["query"] == "case transfer" and len(data["results"]) == 3
    first = data["results"][0]
    assert {
        "text",
        "doc_id",
        "title",
        "doc_type",
        "year",
        "page",
        "section",
        "reviews",
        "score",
    } <= set(first)
    assert first["doc_type"] == "annual report" and first["year"] == 2017


def test_search_text_output_cites_each_result(corpus_index: Path) -> None:
    result = run("search", "fathers", "-k", "2", index=corpus_index)
    assert result.exit_code == 0
    # Each result is headed by its citation: title (type, year), review, page, section.
    assert "(annual report, 2017), review: Baby F, Learning from Serious Case" in result.output


def test_search_batch_prints_one_json_object_per_line(corpus_index: Path, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("fathers\ncase transfer\n\ngangs\n")
    result = run("search", "--batch", str(queries), "--json", "-k", "2", index=corpus_index)
    lines = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [x["query"] for x in lines] == ["fathers", "case transfer", "gangs"]
    assert all(len(x["results"]) == 2 for x in lines)


def test_search_filters_and_bad_filter_message(corpus_index: Path) -> None:
    result = run("search", "fathers", "--type", "toolkit", "--json", index=corpus_index)
    assert json.loads(result.output)["results"] == []
    result = run("search", "fathers", "--year", "last year", index=corpus_index)
    assert result.exit_code == 1 and result.output.startswith("error: --year takes")
    result = run("search", "fathers", "--type", "novel", index=corpus_index)
    assert result.exit_code == 1 and "unknown document type 'novel'" in result.output


def test_info_lists_documents(corpus_index: Path) -> None:
    result = run("info", "--docs", index=corpus_index)
    assert result.exit_code == 0
    assert "documents: 1" in result.output and "all-MiniLM-L6-v2" in result.output
    assert "harrow-scb-annual-report-2016-17" in result.output


def test_ingest_remove_and_rebuild(tmp_path: Path, docs: Path) -> None:
    index = tmp_path / "ix"
    copy(SAMPLE, docs, "report.txt")
    assert run("ingest", "-q", str(docs), index=index).exit_code == 0
    again = run("ingest", "-q", str(docs), index=index)
    assert "unchanged 1" in again.output
    rebuilt = run("rebuild", "-q", index=index)
    assert rebuilt.exit_code == 0 and "added 1" in rebuilt.output
    removed = run("remove", "report", index=index)
    assert removed.exit_code == 0 and "removed report" in removed.output
    assert "documents: 0" in run("info", index=index).output


def test_topics_points_and_topic_search(corpus_index: Path) -> None:
    listed = run("topics", index=corpus_index)
    assert listed.exit_code == 0 and "fathers" in listed.output and "case-transfer" in listed.output
    points = run("points", "--review", "Baby F", "--json", index=corpus_index)
    data = json.loads(points.output)
    assert len(data) == 4 and all(p["review"] == "Baby F" for p in data)
    by_topic = run("search", "--topic", "fathers", "--json", "-k", "3", index=corpus_index)
    first = json.loads(by_topic.output)["results"][0]
    assert first["learning_point"] and "fathers" in first["topics"]
    unknown = run("points", "--topic", "astronomy", index=corpus_index)
    assert unknown.exit_code == 1 and "no topic 'astronomy'" in unknown.output


def test_eval_prints_kb_beside_both_baselines(corpus_index: Path) -> None:
    from tests.conftest import DATA

    result = run(
        "eval", str(DATA / "eval-dev.json"), str(DATA / "eval-extra.json"), index=corpus_index
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"== {DATA / 'eval-dev.json'}"
    assert lines[1].split() == ["system", "kind", "n", "recall@2500ch", "nDCG@10", "MRR"]
    overall = [line for line in lines if " all " in line]
    # One table per file, kb beside both baselines in each, then by kind of query.
    assert [line.split(",")[0].split(" (")[0] for line in overall] == ["kb", "BM25", "dense"] * 2
    assert any(line.split()[2:3] == ["case"] for line in lines)


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = run("search", "fathers", index=tmp_path / "nothing-here")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: no index at {tmp_path / 'nothing-here'}; build one with `kb ingest corpus/`"
    )
    result = run("remove", "nope", index=tmp_path / "nothing-here")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_help_is_instant_because_torch_is_not_imported() -> None:
    code = (
        "import sys; from kb.cli import cli; print('torch' in sys.modules, 'faiss' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


@pytest.mark.slow  # three processes each load the model: about 35 s on 2 cores
def test_bench_with_the_smallest_options_prints_its_figures(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(
        "Lessons\n\nPractitioners should involve fathers and male carers in assessments.\n\n"
        "Schools should chase safeguarding records from a child's previous school.\n",
        encoding="utf-8",
    )
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    copy(PDFS / "minimal-document.pdf", pdfs)
    args = ["bench", "--sizes", "1000", "--corpus", str(corpus), "--pdfs", str(pdfs)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"pdf reading ({pdfs})" in out and "minimal-document" in out
    assert re.search(r"^ingest: [\d.]+ passages/s; raw encode [\d.]+/s", out, re.M)
    assert "== 1,000 passages == built in" in out
    for figure in ("keyword", "dense", "hybrid, type filter", "full search() incl. grouping"):
        assert re.search(rf"^  {re.escape(figure)} +p50 +[\d.]+ ms", out, re.M), figure
