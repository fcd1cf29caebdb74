"""The `kb` command line. Every command calls the KnowledgeBase facade; errors become a
one-line message and a non-zero exit code.

Size: about 470 lines, over ~400: one click command per README row, each short; they read
best side by side, in the order `kb --help` lists them."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kb.config import Config
from kb.errors import KBError
from kb.records import POINT_KINDS

if TYPE_CHECKING:
    from kb.index.store import Filters
    from kb.knowledge_base import KnowledgeBase
    from kb.records import Hit, IngestReport
    from kb.tools.evaluate import EvalReport
    from kb.tools.evaluate_docs import ReadingReport

EXIT_ERROR = 1
EXIT_PARTIAL = 3  # some files of a batch failed; the good ones were indexed


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KBError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted; the index is unchanged since its last commit", err=True)
            sys.exit(130)

    return wrapper


def _config(ctx: click.Context) -> Config:
    return ctx.obj["config"]


def _open(ctx: click.Context, create: bool = False, check: bool = True) -> KnowledgeBase:
    from kb.knowledge_base import KnowledgeBase

    return KnowledgeBase.open(config=_config(ctx), create=create, check=check)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--index",
    "index_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Index folder (default: ./index, or $KB_INDEX_PATH).",
)
@click.version_option(package_name="kb")
@click.pass_context
def cli(ctx: click.Context, index_path: Path | None) -> None:
    """kb: search what child-safeguarding reviews have learned, with citations."""
    try:
        ctx.obj = {"config": Config.from_env(index_path=index_path)}
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--type", "doc_type", help="Document type for these files (e.g. 'serious case review')."
)
@click.option("--title", help="Title for these files (one file at a time makes most sense).")
@click.option("--year", type=int, help="Year for these files.")
@click.option("--review", "reviews", multiple=True, help="Review/case name discussed (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.pass_context
@_handle_errors
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    doc_type: str | None,
    title: str | None,
    year: int | None,
    reviews: tuple[str, ...],
    quiet: bool,
) -> None:
    """Index files and folders (.pdf .docx .txt .md .html). Unchanged files are skipped.

    Metadata read from the text can be overridden here or by a sidecar file next to the
    document: NAME.meta.json, e.g. {"type": "serious case review", "year": 2019}."""
    overrides = {"type": doc_type, "title": title, "year": year, "reviews": list(reviews) or None}
    with _open(ctx, create=True) as kb:
        report = kb.ingest(paths, overrides=overrides, progress=not quiet)
    _print_report(report)
    if report.failed:
        sys.exit(EXIT_PARTIAL)


def _print_report(report: IngestReport) -> None:
    click.echo(
        f"added {len(report.added)}, replaced {len(report.replaced)}, unchanged "
        f"{len(report.unchanged)}, failed {len(report.failed)}; {report.passages} passages indexed"
    )
    for failure in report.failed:
        click.echo(f"  failed: {failure.path}: {failure.reason}", err=True)


def _parse_years(value: str | None) -> tuple[int | None, int | None]:
    if not value:
        return None, None
    match = re.fullmatch(r"\s*(\d{4})?\s*(?:(-|\.\.)\s*(\d{4})?)?\s*", value)
    if not match or not (match.group(1) or match.group(3)):
        raise KBError(f"--year takes YEAR or FROM-TO (e.g. 2016 or 2015-2018), got {value!r}")
    first = int(match.group(1)) if match.group(1) else None
    last = int(match.group(3)) if match.group(3) else (None if match.group(2) else first)
    return first, last


def _filters(doc_type: str | None, year: str | None, docs: tuple[str, ...]) -> Filters:
    from kb.index.store import Filters
    from kb.ingest.metadata import normalise_doc_type

    year_from, year_to = _parse_years(year)
    return Filters(
        doc_type=normalise_doc_type(doc_type) if doc_type else None,
        year_from=year_from,
        year_to=year_to,
        doc_ids=docs,
    )


@cli.command()
@click.argument("query", required=False)
@click.option("-k", "k", type=click.IntRange(1, 200), default=None, help="Number of results (10).")
@click.option("--type", "doc_type", help="Only documents of this type.")
@click.option("--year", help="Only documents of this year, or a range FROM-TO.")
@click.option("--doc", "docs", multiple=True, help="Only this document id (repeatable).")
@click.option("--topic", help="Put this topic's learning points first (id, label or word).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--batch", type=click.File("r"), help="Read one query a line from FILE ('-' = stdin)."
)
@click.pass_context
@_handle_errors
def search(
    ctx: click.Context,
    query: str | None,
    k: int | None,
    doc_type: str | None,
    year: str | None,
    docs: tuple[str, ...],
    topic: str | None,
    as_json: bool,
    batch: Any,
) -> None:
    """Search passages by keyword and meaning; print them with their citations."""
    if not query and batch is None and not topic:
        raise KBError("give a QUERY, --topic TOPIC, or --batch FILE with one query a line")
    filters = _filters(doc_type, year, docs)
    with _open(ctx) as kb:
        queries = [line.strip() for line in batch if line.strip()] if batch else [query or ""]
        for text in queries:
            hits = kb.search(text, k=k, filters=filters, topic=topic)
            if as_json:
                payload = {"query": text, "results": [h.to_json() for h in hits]}
                click.echo(json.dumps(payload, ensure_ascii=False, indent=None if batch else 2))
            else:
                _print_hits(text, hits)


def _print_hits(query: str, hits: list[Hit]) -> None:
    if not hits:
        click.echo(f'No passages match "{query}".')
        return
    for rank, hit in enumerate(hits, start=1):
        doc = hit.document
        click.secho(f"{rank}. {doc.title}", bold=True)
        meta = [doc.doc_type, str(doc.year or "year unknown")]
        if hit.passage.page:
            meta.append(f"p. {hit.passage.page}")
        meta.append(f"score {hit.score:.4f}")
        if any(p.learning for p in hit.passages):
            meta.insert(0, "LEARNING POINT")
        click.echo("   " + " | ".join(meta))
        if hit.passage.section:
            click.echo(f"   section: {hit.passage.section_path}")
        if hit.passage.reviews:
            click.echo(f"   reviews: {', '.join(hit.passage.reviews)}")
        topics = dict.fromkeys(t for p in hit.passages for t in p.topics)
        if topics:
            click.echo(f"   topics: {', '.join(topics)}")
        click.echo("   " + hit.text.replace("\n", "\n   ") + "\n")


@cli.command()
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 20), default=6, help="Passages to read (6).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_handle_errors
def ask(ctx: click.Context, question: str, k: int, as_json: bool) -> None:
    """Answer a question from the documents, with citations; never beyond them."""
    with _open(ctx) as kb:
        answer = kb.ask(question, k=k)
    if as_json:
        click.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    click.echo(answer.text)
    if not answer.answered:
        for n, citation in enumerate(answer.citations, start=1):
            click.echo(f"\n{n}. {citation.label()}\n   {citation.text}")


@cli.command()
@click.argument("doc")
@click.pass_context
@_handle_errors
def remove(ctx: click.Context, doc: str) -> None:
    """Delete a document (by id or source path) and its passages from the index."""
    with _open(ctx) as kb:
        removed = kb.remove(doc)
    click.echo(f"removed {removed.doc_id} ({removed.passage_count} passages)")


@cli.command()
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option(
    "--drop-missing",
    is_flag=True,
    help="Leave out documents whose source cannot be re-read (kept from the old index "
    "otherwise).",
)
@click.pass_context
@_handle_errors
def rebuild(ctx: click.Context, quiet: bool, drop_missing: bool) -> None:
    """Rebuild the whole index from the recorded source files (after a model or format change,
    or when `kb check` finds it damaged).

    A document whose source cannot be re-read (moved, deleted, unreadable) keeps its
    passages from the old index, or is dropped with --drop-missing; both are listed."""
    from kb.errors import IndexDamaged
    from kb.index.rebuild import rebuild_index
    from kb.knowledge_base import KnowledgeBase

    config = _config(ctx)
    try:
        kb = KnowledgeBase.open(config=config, check=False)
    except IndexDamaged as exc:  # rebuilt from sources.json, the record kept beside it
        click.echo(f"note: {exc.args[0].split(';')[0]}; rebuilding from its sources", err=True)
        report = rebuild_index(config.index_path, config, None, not quiet, drop_missing)
    else:
        with kb:
            report = kb.rebuild(progress=not quiet, drop_missing=drop_missing)
    _print_report(report)
    for item in report.kept:
        click.echo(f"  kept from the old index: {item.path}: {item.reason}", err=True)
    for item in report.dropped:
        click.echo(f"  dropped (--drop-missing): {item.path}: {item.reason}", err=True)
    if report.failed or report.kept or report.dropped:
        sys.exit(EXIT_PARTIAL)


@cli.command()
@click.pass_context
@_handle_errors
def check(ctx: click.Context) -> None:
    """Verify the index: the database's integrity, one vector per passage (count and ids), the
    manifest. Exits 0 only when every part is whole."""
    from kb.index.integrity import check_index

    findings = check_index(_config(ctx).index_path, _config(ctx))
    for finding in findings:
        click.echo(f"{'ok  ' if finding.ok else 'FAIL'}  {finding.part}: {finding.detail}")
    if not all(f.ok for f in findings):
        sys.exit(EXIT_ERROR)
    click.echo("the index is whole")


@cli.command()
@click.option("--docs", is_flag=True, help="List the documents too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_handle_errors
def info(ctx: click.Context, docs: bool, as_json: bool) -> None:
    """Say what is indexed: documents, passages, model, size."""
    from dataclasses import asdict

    with _open(ctx) as kb:
        summary = kb.info()
        documents = kb.documents()
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
                f"  {d.doc_id}: {d.title} [{d.doc_type}, {d.year or '?'}] "
                f"{d.passage_count} passages"
            )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_handle_errors
def topics(ctx: click.Context, as_json: bool) -> None:
    """List the topics of the taxonomy with their counts of passages and learning points."""
    with _open(ctx) as kb:
        summaries = kb.topics()
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


@cli.command()
@click.option("--topic", help="Only this topic's learning points, most central first.")
@click.option("--review", help="Only the learning points of this review, e.g. 'Baby F'.")
@click.option("--doc", "docs", multiple=True, help="Only this document id (repeatable).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(POINT_KINDS),
    help="Only points of this kind (repeatable): learning, finding, recommendation, rule.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_handle_errors
def points(
    ctx: click.Context,
    topic: str | None,
    review: str | None,
    docs: tuple[str, ...],
    kinds: tuple[str, ...],
    as_json: bool,
) -> None:
    """List learning points: what the reviews say practice should learn."""
    from kb.index.store import Filters

    with _open(ctx) as kb:
        found = kb.points(
            topic=topic, review=review, filters=Filters(doc_ids=docs, point_kinds=kinds)
        )
    if as_json:
        click.echo(json.dumps([p.to_json() for p in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No learning points match.")
    for n, point in enumerate(found, start=1):
        source = point.review or "general learning"
        where = f"p. {point.passage.page}, " if point.passage.page else ""
        click.echo(f"{n}. [{point.passage.point_kind}, {source}] {point.passage.text}")
        click.echo(f"   {point.document.title}, {where}{point.passage.section_path}")


@cli.command("eval")
@click.argument("judgements", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, help="Results per query (10).")
@click.option("--details", is_flag=True, help="Show each query's scores and each failed check.")
@click.pass_context
@_handle_errors
def eval_command(ctx: click.Context, judgements: tuple[str, ...], k: int, details: bool) -> None:
    """Score search on judged files (dev.json format) beside BM25 and dense baselines, by
    query kind; and, for files that judge documents, how well they were read."""
    from kb.tools.evaluate import run_eval
    from kb.tools.evaluate_docs import check_reading

    with _open(ctx) as kb:
        for path in judgements:
            click.echo(f"== {path}")
            _print_search_scores(run_eval(kb, path, k=k), details)
            reading = check_reading(kb, path)
            if reading is not None:
                _print_reading(reading, details)


def _print_search_scores(report: EvalReport, details: bool) -> None:
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


def _print_reading(report: ReadingReport, details: bool) -> None:
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


@cli.command()
@click.option(
    "--sizes",
    default="1000,10000,100000",
    show_default=True,
    help="Index sizes in passages, comma-separated (add 1000000 for the 1M run).",
)
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False),
    default="corpus/harrow-scb-annual-report-2016-17.txt",
    show_default=True,
)
@click.option(
    "--pdfs",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Also time reading the PDFs under this folder beside pypdf's plain text extraction.",
)
@_handle_errors
def bench(sizes: str, corpus: str, pdfs: str | None) -> None:
    """Measure ingest and query speed, index size and memory at several index sizes
    (--sizes "" skips them), and PDF reading speed (--pdfs)."""
    from kb.tools import bench as benchmark

    if pdfs:
        from kb.tools import bench_pdf

        bench_pdf.report(Path(pdfs), click.echo)
    wanted = [int(s) for s in sizes.split(",") if s.strip()]
    if wanted:
        benchmark.run(wanted, Path(corpus), click.echo)


def main() -> None:
    cli(prog_name="kb")


if __name__ == "__main__":
    main()
