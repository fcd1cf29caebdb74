"""Document text made safe for the page, and query words marked in it.

Everything a document says is shown as text, never as Markdown or HTML: HTML is escaped with
markupsafe, and the characters Markdown, KaTeX and Streamlit's own directives act on are
written as numeric character references, which every Markdown parser shows as literal text.
Highlighting finds its matches in the raw text first and escapes afterwards, so a mark can
never split an entity ("Tom & Jerry" searched for "amp" marks nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from kb.text.sentences import SENTENCE_SPLIT
from kb.text.words import query_stems, stem, word_spans

__all__ = [
    "best_sentence",
    "find_span",
    "highlight",
    "label_text",
    "numbered_answer",
    "sentence_spans",
    "text_html",
]

# Characters Markdown (links, images, emphasis, code, tables), KaTeX ($) and Streamlit's
# directives (:red[...], :material/x:) act on. '#' and ';' are left to markupsafe's entities.
_MARKDOWN = re.compile(r"[\\`*_{}\[\]()!$:~|^=+]|(?<!&)#")
_LABEL_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:<>^=&\"'])")


def text_html(text: str) -> Markup:
    """Text as inert HTML: escaped, Markdown characters as references, newlines as <br>."""
    escaped = str(escape(text))
    inert = _MARKDOWN.sub(lambda m: f"&#{ord(m.group(0))};", escaped)
    return Markup(inert.replace("\r\n", "\n").replace("\n", "<br>"))


def label_text(text: str) -> str:
    """Text for a widget label or a caption, where Streamlit reads Markdown but no HTML: each
    character Markdown could act on is backslash-escaped, newlines become spaces."""
    return _LABEL_MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences and lines of `text`, as character spans."""
    spans, start = [], 0
    for boundary in re.finditer(SENTENCE_SPLIT.pattern + r"|\n+", text):
        if boundary.start() > start:
            spans.append((start, boundary.start()))
        start = boundary.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def best_sentence(text: str, stems: set[str]) -> tuple[int, int] | None:
    """The sentence holding most of the query's words (None when none holds any)."""
    words = word_spans(text, stems)
    best, best_count = None, 0
    for start, end in sentence_spans(text):
        found = {stem(text[a:b]) for a, b in words if start <= a < end}
        if len(found) > best_count:
            best, best_count = (start, end), len(found)
    return best


def find_span(text: str, part: str) -> tuple[int, int] | None:
    """Where `part` (a cited sentence) sits in `text`, spacing ignored."""
    part = " ".join(part.split())
    if not part:
        return None
    pattern = r"\s+".join(re.escape(w) for w in part.split(" "))
    found = re.search(pattern, text)
    return found.span() if found else None


def highlight(text: str, query: str = "", sentence: tuple[int, int] | None | bool = True) -> Markup:
    """`text` as inert HTML with the query's words in <mark> and the sentence that matched
    (the best one, or the span given) in <span class="kb-match">, when the text has more
    than that one sentence."""
    stems = query_stems(query)
    words = word_spans(text, stems)
    if sentence is True:
        sentence = best_sentence(text, stems)
    spans = [sentence] if sentence and sentence != (0, len(text.rstrip())) else []
    return _render(text, spans, words)


def _render(
    text: str, sentences: Iterable[tuple[int, int]], words: Iterable[tuple[int, int]]
) -> Markup:
    sentences, words = list(sentences), list(words)
    cuts = sorted(
        {0, len(text), *(p for s in sentences for p in s), *(p for w in words for p in w)}
    )
    out: list[str] = []
    open_sentence = False
    for start, end in zip(cuts, cuts[1:], strict=False):
        in_sentence = any(a <= start and end <= b for a, b in sentences)
        if in_sentence != open_sentence:
            out.append('<span class="kb-match">' if in_sentence else "</span>")
            open_sentence = in_sentence
        piece = str(text_html(text[start:end]))
        if any(a <= start and end <= b for a, b in words):
            piece = f"<mark>{piece}</mark>"
        out.append(piece)
    if open_sentence:
        out.append("</span>")
    return Markup("".join(out))


def numbered_answer(text: str, labels: Sequence[str]) -> Markup:
    """An answer whose "(Title, p. 4; Other, p. 2)" citations become numbered links
    [1] [2] to its listed sources (`labels[n - 1]` is source n's label)."""
    numbers = {label: n for n, label in enumerate(labels, start=1)}
    out, pos = [], 0
    for group in re.finditer(r" ?\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text):
        cited = [numbers.get(part.strip()) for part in group.group(1).split("; ")]
        if not cited or None in cited:
            continue
        out.append(str(text_html(text[pos : group.start()])))
        out.append(" " + " ".join(_source_link(n) for n in dict.fromkeys(cited)))  # type: ignore[arg-type]
        pos = group.end()
    out.append(str(text_html(text[pos:])))
    return Markup("".join(out))


def _source_link(n: int) -> str:
    return f'<a class="kb-ref" href="#source-{n}" target="_self">[{n}]</a>'
