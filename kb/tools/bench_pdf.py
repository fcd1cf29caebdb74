"""How fast PDFs are read: kb's layout reader beside pypdf's plain `extract_text`, on the
same files in the same run (pages per second, best of three rounds each)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

__all__ = ["ROUNDS", "PdfTiming", "report", "time_pdfs"]

ROUNDS = 3


@dataclass(frozen=True)
class PdfTiming:
    name: str
    pages: int
    plain_s: float  # pypdf extract_text, every page
    layout_s: float  # kb's loader: layout, structure and cleaning

    @property
    def ratio(self) -> float:
        return self.layout_s / self.plain_s if self.plain_s else float("inf")


def _best(func: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def time_pdfs(paths: Sequence[Path]) -> list[PdfTiming]:
    """Time both readers on each readable PDF (encrypted or image-only files are skipped)."""
    from pypdf import PdfReader

    from kb.errors import IngestError
    from kb.ingest.pdf import load_pdf

    timings = []
    for path in paths:
        data = path.read_bytes()
        try:
            load_pdf(path, data)
        except IngestError:
            continue

        def plain(data: bytes = data) -> int:
            return sum(len(p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)

        pages = len(PdfReader(io.BytesIO(data)).pages)
        timings.append(
            PdfTiming(path.name, pages, _best(plain), _best(partial(load_pdf, path, data)))
        )
    return timings


def report(folder: Path, out: Callable[[str], None]) -> None:
    """Print the PDF reading figures for every PDF under `folder`."""
    timings = time_pdfs(sorted(folder.rglob("*.pdf")))
    if not timings:
        out(f"pdf reading: no readable PDF under {folder}")
        return
    out(f"pdf reading ({folder}), pages/s, best of {ROUNDS}:")
    out(f"  {'file':<44} {'pages':>5} {'pypdf text':>11} {'kb layout':>10} {'x slower':>9}")
    for t in timings:
        out(
            f"  {t.name:<44} {t.pages:>5} {t.pages / t.plain_s:>11.1f} "
            f"{t.pages / t.layout_s:>10.1f} {t.ratio:>9.1f}"
        )
    pages = sum(t.pages for t in timings)
    plain = sum(t.plain_s for t in timings)
    layout = sum(t.layout_s for t in timings)
    rates = f"{pages / plain:>11.1f} {pages / layout:>10.1f} {layout / plain:>9.1f}"
    out(f"  {'all':<44} {pages:>5} {rates}")
