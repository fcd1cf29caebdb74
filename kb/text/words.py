"""Words: the one stopword list, the query-word stemmer used to mark and weigh words, the
normaliser that compares texts word for word, and the slug helper for file names.

The keyword index stems with FTS5's porter tokenizer (kb/index/keyword.py asks SQLite for a
word's indexed term); `stem` is the same Porter algorithm (PyStemmer), so a word the app
marks, the relevance floor counts or an answer's coverage counts is a word the keyword index
matched: it marks 'Bruising' for 'bruise' and 'transferred' for 'transfer'. Measured on the
2,598 words of corpus/ and corpus-dev (bench/text_toolkit.py): it groups every word as FTS5
does (it stems "chronology" "chronologi", FTS5 "chronolog": the same groups); the hand-made
stemmers it replaces grouped 538 (words.py) and 814 (qa.py) words otherwise."""

from __future__ import annotations

import re
import threading

import Stemmer

__all__ = ["STOPWORDS", "WORD", "query_stems", "slug", "stem", "word_key", "word_spans"]

# Words too common to help a keyword search ("what", "the", "how many").
STOPWORDS = frozenset(
    """
    a an and are as at be been being but by can could did do does for from had has have how
    i if in into is it its me my no not of on or our should so than that the their them then
    there these they this those to was we were what when where which who whom why will with
    would you your about after any all also more most other some such only own same very
    just many much
    """.split()
)

# A word as a reader sees it: letters and digits, with an apostrophe's ending ("father's").
WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_ALNUM = re.compile(r"[a-z0-9]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Martin Porter's algorithm, FTS5's `porter` tokenizer's (not Snowball's "english"); one
# stemmer a thread, since a PyStemmer object is not thread-safe (the app searches in threads).
_LOCAL = threading.local()


def _porter() -> Stemmer.Stemmer:
    if not hasattr(_LOCAL, "porter"):
        _LOCAL.porter = Stemmer.Stemmer("porter")
    return _LOCAL.porter


def stem(word: str) -> str:
    """The word's stem as FTS5's porter tokenizer indexes it: PyStemmer's Porter stemmer; a
    word under three letters stays as it is, as FTS5 keeps it."""
    w = word.lower().replace("'s", "")
    return w if len(w) < 3 else _porter().stemWord(w)


def query_stems(query: str) -> set[str]:
    """The stems of a query's content words."""
    words = (w.lower() for w in WORD.findall(query))
    return {stem(w) for w in words if w not in STOPWORDS and len(w) > 2}


def _matches(word: str, stems: set[str]) -> bool:
    s = stem(word)
    return s in stems or any(
        (len(q) >= 5 and s.startswith(q)) or (len(s) >= 6 and q.startswith(s)) for q in stems
    )


def word_spans(text: str, stems: set[str]) -> list[tuple[int, int]]:
    """Where the query's words (by stem) occur in `text`."""
    if not stems:
        return []
    return [m.span() for m in WORD.finditer(text) if _matches(m.group(0), stems)]


def word_key(text: str) -> str:
    """Text reduced to its lower-case words, for comparing two texts word for word (case,
    punctuation and spacing ignored)."""
    return " ".join(_ALNUM.findall(text.lower()))


def slug(text: str, limit: int) -> str:
    """Lower-case letters and digits joined by '-', at most `limit` characters ("" when the
    text has none): safe in a file name and a URL."""
    return _NOT_ALNUM.sub("-", text.lower()).strip("-")[:limit]
