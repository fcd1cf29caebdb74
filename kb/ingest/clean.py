"""Text cleaning shared by every loader: characters, hyphenation, running headers and footers."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from kb.rules.layout import PAGE_NUMBER, TEXT_RUNNING_EDGE_LINES, TEXT_RUNNING_MIN_PAGES

__all__ = [
    "clean_line",
    "dehyphenate",
    "line_key",
    "is_unmapped_glyph",
    "normalise_characters",
    "normalise_spaces",
    "strip_running_lines",
]

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A footnote marker glued to the end of a word ("borough¹," or "need⁴.") is not part of it.
_FOOTNOTE_AFTER_WORD = re.compile(rf"(?<=[A-Za-z\)\.,;:%'’”])[{_SUPERSCRIPTS}]+")
_FOOTNOTE_AT_LINE_START = re.compile(rf"^\s*[{_SUPERSCRIPTS}]+\s*")
_LATEX_FOOTNOTE = re.compile(r"\$\^\{\\rm\s*\d+\}\$")
# A glyph the PDF's font gives no character for comes out of pdfminer as "(cid:127)": at
# the start of a line and before a space it is a list's bullet (the usual unmapped glyph);
# elsewhere it may have been a space or a ligature ("(cid:415)mely"), and is read as a space.
_UNMAPPED_GLYPH_AT_LINE_START = re.compile(r"^([ \t]*)\(cid:\d+\)[ \t]+", re.M)
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u200b": "",
        "\u00ad": "",  # soft hyphen
        "\ufeff": "",
        "\u2013": "-",
        "\u2014": " - ",
        "\uf0b7": "•",  # Symbol-font bullet from Word PDFs
        "\uf0a7": "•",
        "\uf0d8": "•",
        "\uf0fc": "•",
        "\u25cf": "•",
        "\u25aa": "•",
        "\u2022": "•",
        "\u27a2": "•",
    }
)


def normalise_characters(text: str) -> str:
    """Ligatures and compatibility forms to plain letters, smart quotes to ASCII,
    footnote markers out of words, odd spaces and bullets to one form each."""
    text = _LATEX_FOOTNOTE.sub("", text)
    text = _UNMAPPED_GLYPH_AT_LINE_START.sub(r"\1• ", text)
    text = _UNMAPPED_GLYPH.sub(" ", text)
    text = _FOOTNOTE_AFTER_WORD.sub("", text)
    # A footnote's own line keeps its number, as "[6] ...", so it never reads as a heading.
    text = "\n".join(
        _FOOTNOTE_AT_LINE_START.sub(lambda m: f"[{_plain_digits(m.group(0))}] ", line)
        for line in text.split("\n")
    )
    text = text.translate(_CHAR_MAP)
    # Emphasis markup in text exports (**bold**, *italic*) is not content.
    text = re.sub(r"\*\*(\S(?:[^*\n]*\S)?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:[^*\n]*\S)?)\*(?![\w*])", r"\1", text)
    # "in a bath.The mother": a sentence glued to the next by a lost space.
    text = re.sub(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])", ". ", text)
    # NFKC turns ligatures (ﬁ, ﬂ, ﬀ) and full-width forms into plain letters.
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def _plain_digits(superscripts: str) -> str:
    return superscripts.strip().translate(str.maketrans(_SUPERSCRIPTS, "0123456789"))


def normalise_spaces(line: str) -> str:
    """Collapse runs of spaces in a line; tabs (table cells) become a single tab."""
    line = re.sub(r"[ \f\v\r]+", " ", line)
    line = re.sub(r" *\t[\t ]*", "\t", line)
    return line.strip()


_HYPHEN_BREAK = re.compile(r"([A-Za-z]+)-\n([a-z][A-Za-z]*)")


def dehyphenate(text: str) -> str:
    """Rejoin words split by a hyphen at a line end.

    'multi-\\nagency' keeps its hyphen when the document also writes 'multi-agency';
    otherwise the halves are joined ('assess-\\nment' -> 'assessment')."""
    vocabulary = Counter(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text))

    def join(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        hyphenated = f"{head}-{tail}".lower()
        joined = f"{head}{tail}".lower()
        if vocabulary[hyphenated] > 0 and vocabulary[joined] == 0:
            return f"{head}-{tail}"
        return f"{head}{tail}"

    return _HYPHEN_BREAK.sub(join, text)


def line_key(line: str) -> str:
    """A running line's key: headers often carry the page number, so digits are masked
    ("Page 3 of 11" and "Page 4 of 11" repeat), and a bare number at either end is dropped:
    a footer printed with its page number on most pages may stand apart from it on one
    (the cover's "Working together..." beside a "1" set on its own)."""
    bare = re.sub(r"^\d{1,3}\s+|\s+\d{1,3}$", "", line.strip().lower())  # a page number, not a year
    return re.sub(r"\d+", "#", bare)


def strip_running_lines(
    pages: Sequence[list[str]], edge: int = TEXT_RUNNING_EDGE_LINES
) -> list[list[str]]:
    """Remove page numbers and headers/footers that repeat across pages.

    A line counts as running when it sits within `edge` non-blank lines of a page's top or
    bottom and the same line (digits masked) appears there on at least half of the pages."""
    if not pages:
        return []
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        keys = {line_key(lines[i]) for i in _edge_indices(lines, edge)}
        edge_counts.update(k for k in keys if k)
    threshold = max(2, (len(pages) + 1) // 2)
    enough = len(pages) >= TEXT_RUNNING_MIN_PAGES
    running = {k for k, n in edge_counts.items() if n >= threshold} if enough else set()
    cleaned = []
    for lines in pages:
        edges = _edge_indices(lines, edge)
        kept = [
            line
            for i, line in enumerate(lines)
            if not (i in edges and (line_key(line) in running or PAGE_NUMBER.match(line)))
        ]
        cleaned.append(kept)
    return cleaned


def _edge_indices(lines: list[str], edge: int) -> set[int]:
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    return set(nonblank[:edge] + nonblank[-edge:])


def is_unmapped_glyph(word: str) -> bool:
    """A word that is one glyph its font gives no character for ("(cid:127)"): at a line's
    start, a list's bullet."""
    return _UNMAPPED_GLYPH.fullmatch(word) is not None


def clean_line(text: str) -> str:
    """A line of text as every loader keeps it: characters normalised, spaces collapsed."""
    return normalise_spaces(normalise_characters(text))
