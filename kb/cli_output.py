"""What the `kb` commands print: ingest reports, search results, answers, learning points,
topics, index summaries and evaluation tables (cli.py runs the commands; this module only
formats their results for a terminal)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from kb.passages.citation import Citation, year_text

if TYPE_CHECKING:
    from kb.answer.qa import Answer
    from kb.index.state import IndexInfo
    from kb.records import Document, Hit, IngestReport, LearningPoint
    from kb.retrieval.browse import TopicSummary
    from kb.tools.evaluate import EvalReport
    from kb.tools.evaluate_docs import ReadingReport

__all__ = [
    "print_answer",
    "print_hits",
    "print_info",
    "print_points",
    "print_reading",
    "print_report",
    "print_search_scores",
    "print_topics",
]


def print_report(report: IngestReport) -> None:
    """An ingest or rebuild report: one summary line, then each failure on stderr."""
    click.echo(
        f"added {len(report.added)}, replaced {len(report.replaced)}, unchanged "
        f"{len(report.unchanged)}, failed {len(report.failed)}; {report.passages} passages indexed"
    )
    for failure in report.failed:
        click.echo(f"  failed: {failure.path}: {failure.reason}", err=True)


def print_hits(query: str, hits: list[Hit]) -> None:
    """Search results, each with its citation, marks, topics and text."""
    if not hits:
        click.echo(f'No passages match "{query}".')
        return
    for rank, hit in enumerate(hits, start=1):
        citation = Citation.of_hit(hit)
        click.secho(f"{rank}. {citation.text()}", bold=True)
        marks = ["LEARNING POINT"] if any(p.learning for p in hit.passages) else []
        click.echo("   " + " | ".join([*marks, f"score {hit.score:.4f}"]))
        named = [r for r in hit.passage.reviews if r != citation.review]
        if named:  # reviews the passage names besides the one it belongs to
            click.echo(f"   also names: {', '.join(named)}")
        topics = dict.fromkeys(t for p in hit.passages for t in p.topics)
        if topics:
            click.echo(f"   topics: {', '.join(topics)}")
        click.echo("   " + hit.text.replace("\n", "\n   ") + "\n")


def print_answer(answer: Answer, as_json: bool) -> None:
    """An answer with its citations (the nearest passages when it is declined)."""
    if as_json:
        click.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    click.echo(answer.text)
    if not answer.answered:
        for n, source in enumerate(answer.citations, start=1):
            click.echo(f"\n{n}. {source.citation.text()}\n   {source.text}")


def print_info(summary: IndexInfo, documents: list[Document], docs: bool, as_json: bool) -> None:
    """What the index holds, and its documents with --docs."""
    if as_json:
        data = asdict(summary)
        data["documents_list"] = [
            {k: v for k, v in asdict(d).items() if k != "overrides"} for d in documents
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"index:     {summary.path}")
    click.echo(f"documents: {summary.documents}")
    click.echo(f"passages:  {summary.passages}")
    click.echo(f"model:     {summary.model} ({summary.dimension} dimensions)")
    click.echo(f"format:    version {summary.format_version}")
    click.echo(f"rules:     {summary.rules_note or 'current'}")
    click.echo(f"size:      {summary.size_bytes / 1_048_576:.1f} MiB")
    if docs:
        for d in documents:
            click.echo(
                f"  {d.doc_id}: {d.title} [{d.doc_type}, {year_text(d.year)}] "
                f"{d.passage_count} passages"
            )


def print_topics(summaries: list[TopicSummary], as_json: bool) -> None:
    """The topics with their counts of learning points and passages."""
    if as_json:
        rows = [
            {"id": s.topic.id, "label": s.topic.label, "passages": s.passages, "points": s.points}
            for s in summaries
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'topic':<24} {'points':>6} {'passages':>9}  label")
    for s in summaries:
        click.echo(f"{s.topic.id:<24} {s.points:>6} {s.passages:>9}  {s.topic.label}")


def print_points(found: list[LearningPoint], as_json: bool) -> None:
    """Learning points, each with its kind, review and citation."""
    if as_json:
        click.echo(json.dumps([p.to_json() for p in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No learning points match.")
    for n, point in enumerate(found, start=1):
        # The citation names the review; a point of no review says it is general learning.
        tag = point.passage.point_kind if point.review else f"{point.passage.point_kind}, general"
        text = point.passage.text.replace("\n", "\n   ")
        click.echo(f"{n}. [{tag}] {text}")
        click.echo(f"   {Citation.of(point.document, point.passage).text()}")


def print_search_scores(report: EvalReport, details: bool) -> None:
    """One evaluation table: each system's scores by kind of query, and answers."""
    header = f"{'system':<28} {'kind':<9} {'n':>3} {'recall@2500ch':>14} {'nDCG@10':>9}"
    click.echo(f"{header} {'MRR':>7}")
    for s in report.systems:
        for kind, (n, r, nd, m) in s.by_kind().items():
            click.echo(f"{s.system:<28} {kind:<9} {n:>3} {r:>14.3f} {nd:>9.3f} {m:>7.3f}")
        if details:
            for qid, (r, nd, m) in s.per_query.items():
                click.echo(f"    {qid:<36} {r:>14.3f} {nd:>9.3f} {m:>7.3f}")
    if report.answer_accuracy is not None:
        answers = report.answers
        right = sum(answers.values())
        click.echo(f"answer accuracy: {report.answer_accuracy:.3f} ({right}/{len(answers)})")
        for qid, ok in answers.items():
            if not ok:
                click.echo(f"    wrong or missing: {qid}")


def print_reading(report: ReadingReport, details: bool) -> None:
    """How well the judged documents were read: one line a check, failures below."""
    click.echo("reading the documents:")
    for check in report.checks:
        click.echo(f"  {check.line}")
        if details or check.name.startswith(("metadata", "noise")):
            for failure in check.failures[:40]:
                click.echo(f"      {failure}")
    extracted = report.extracted_points
    holding = report.points_holding_judged
    click.echo(f"  points extracted: {extracted}, holding a judged point: {holding}")
    for note in report.notes:
        click.echo(f"  {note}")
