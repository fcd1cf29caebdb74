"""The text toolkit measured: kb's sentence splitter beside pysbd, and kb's word stemmers
beside FTS5's porter tokenizer (what the keyword index stems with) and PyStemmer's porter.

    .venv/bin/python bench/text_toolkit.py [--repeat 3]

Sentences: a table of cases (the abbreviations of issue 14 and real sentences of corpus/
and tests/data/corpus-dev), each with the sentences a reader sees; and the time to split
every block of those corpora. Words: every word of the corpora, stemmed by each stemmer;
a stemmer disagrees with FTS5 on a word when the words it groups with it differ from those
FTS5's porter groups with it (so the app would mark, or the answer count, a word FTS5 did
not match, or miss one it did)."""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb.ingest import parse, read_bytes  # noqa: E402
from kb.text import sentences  # noqa: E402
from kb.text.words import stem as kb_stem  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "corpus", ROOT / "tests" / "data" / "corpus-dev"]
SUFFIXES = (".pdf", ".docx", ".html", ".txt")

# The splitter as it was before issue 14's fix (eight abbreviations).
BEFORE = re.compile(
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)"
    r"(?<!\bNo\.)(?:(?<=[.!?])|(?<=[.!?][\"')]))\s+(?=[\"'(]?[A-Z0-9])"
)

# (text, the sentences a reader sees). The first four are issue 14's; the rest are real
# sentences of corpus/ and tests/data/corpus-dev, some lightly joined to make a pair.
CASES: list[tuple[str, list[str]]] = [
    (
        "Enquiries are made under Sec. 47 of the Children Act 1989. A strategy meeting follows.",
        [
            "Enquiries are made under Sec. 47 of the Children Act 1989.",
            "A strategy meeting follows.",
        ],
    ),
    (
        "The threshold is set out in the procedures (see p. 12). Practitioners should use it.",
        ["The threshold is set out in the procedures (see p. 12).", "Practitioners should use it."],
    ),
    (
        "She attended St. Mary's Primary School until 2016. Her attendance then fell.",
        ["She attended St. Mary's Primary School until 2016.", "Her attendance then fell."],
    ),
    (
        "Approx. 300 children were subject to a plan. The number rose in 2017.",
        ["Approx. 300 children were subject to a plan.", "The number rose in 2017."],
    ),
    (
        "The review was completed under s. 47 and para. 4.3 of the guidance. It was published.",
        [
            "The review was completed under s. 47 and para. 4.3 of the guidance.",
            "It was published.",
        ],
    ),
    (
        "The figures are in Fig. 2 and the table on pp. 14-15. They cover two years.",
        ["The figures are in Fig. 2 and the table on pp. 14-15.", "They cover two years."],
    ),
    (
        "Baby Q lived with his mother and his father, Mr S. The family moved to Kestrel Vale.",
        ["Baby Q lived with his mother and his father, Mr S.", "The family moved to Kestrel Vale."],
    ),
    (
        "Harrow has a population of 247,000 and the number of children under 18 is 57,000. "
        "The population has grown by 12% in ten years.",
        [
            "Harrow has a population of 247,000 and the number of children under 18 is 57,000.",
            "The population has grown by 12% in ten years.",
        ],
    ),
    (
        "18.5% of Harrow children are deemed to be living in poverty. 7.7% go on to be adopted.",
        [
            "18.5% of Harrow children are deemed to be living in poverty.",
            "7.7% go on to be adopted.",
        ],
    ),
    (
        "The teenage pregnancy rate is lower than elsewhere in the UK. In Harrow, it is the "
        "second lowest.",
        [
            "The teenage pregnancy rate is lower than elsewhere in the UK.",
            "In Harrow, it is the second lowest.",
        ],
    ),
    (
        "Practitioners should not make assumptions based on stereo-types of family backgrounds "
        "e.g. Traveller families and their lack of engagement with services.",
        [
            "Practitioners should not make assumptions based on stereo-types of family "
            "backgrounds e.g. Traveller families and their lack of engagement with services."
        ],
    ),
    (
        "The HSCB reviewed the existing CSE Strategy. This audit was used to measure progress "
        "against the previous CSE audit findings.",
        [
            "The HSCB reviewed the existing CSE Strategy.",
            "This audit was used to measure progress against the previous CSE audit findings.",
        ],
    ),
    (
        "These enquiries may then lead to a child protection plan (CPP). This is a local "
        "authority led plan.",
        [
            "These enquiries may then lead to a child protection plan (CPP).",
            "This is a local authority led plan.",
        ],
    ),
    (
        "The audit is described in our audit section (page 25). These findings led us to make "
        "core business our first priority.",
        [
            "The audit is described in our audit section (page 25).",
            "These findings led us to make core business our first priority.",
        ],
    ),
    (
        "He moved to the pupil referral unit in Year 9. Around this time he began to have new "
        "clothes and two mobile phones.",
        [
            "He moved to the pupil referral unit in Year 9.",
            "Around this time he began to have new clothes and two mobile phones.",
        ],
    ),
    (
        "The number dropped again during 2016 to 2017 to just 5. The number of active "
        "fostering arrangements at the end of March 2017 was four.",
        [
            "The number dropped again during 2016 to 2017 to just 5.",
            "The number of active fostering arrangements at the end of March 2017 was four.",
        ],
    ),
    (
        "There are difficulties in distinguishing between these categories, i.e. of factors "
        "which definitely contributed to the death.",
        [
            "There are difficulties in distinguishing between these categories, i.e. of "
            "factors which definitely contributed to the death."
        ],
    ),
    (
        "Exhibitors included organisations such as Pace UK (Parents Against CSE), HSCB and "
        "Compass, e.g. Mind in Harrow.",
        [
            "Exhibitors included organisations such as Pace UK (Parents Against CSE), HSCB and "
            "Compass, e.g. Mind in Harrow."
        ],
    ),
    (
        "Learning from Reviews Briefing No. 6 was published in November 2020. It covers "
        "hidden men.",
        [
            "Learning from Reviews Briefing No. 6 was published in November 2020.",
            "It covers hidden men.",
        ],
    ),
    (
        "Dr. Patel saw the baby at the clinic. She recorded the bruise.",
        ["Dr. Patel saw the baby at the clinic.", "She recorded the bruise."],
    ),
    (
        'The mother said "he fell off the sofa." The explanation was not checked.',
        ['The mother said "he fell off the sofa."', "The explanation was not checked."],
    ),
    (
        "When did I last accept an explanation for a mark on a baby without referring it? "
        "What would I do now?",
        [
            "When did I last accept an explanation for a mark on a baby without referring it?",
            "What would I do now?",
        ],
    ),
    (
        "The review was overseen by a panel of senior managers (Appendix 2). Publication was "
        "delayed until after the trial.",
        [
            "The review was overseen by a panel of senior managers (Appendix 2).",
            "Publication was delayed until after the trial.",
        ],
    ),
    (
        "The total cost was £1.2 million in 2016-17. Most of it was staff.",
        ["The total cost was £1.2 million in 2016-17.", "Most of it was staff."],
    ),
]


def light_stem(word: str) -> str:
    """kb/text/words.py's stemmer before issue 14 (a light hand-made one)."""
    w = word.lower().replace("'s", "")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    for suffix in ("ings", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and not w.endswith("ss") and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]  # transferr -> transfer
    if len(w) > 3 and w[-1] in "ey":
        w = w[:-1]
    return w


def qa_stem(word: str) -> str:
    """kb/answer/qa.py's own stemmer before issue 14."""
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def split_before(text: str) -> list[str]:
    return [s.strip() for s in BEFORE.split(text) if s.strip()]


def pysbd_splitter() -> Callable[[str], list[str]] | None:
    try:
        import pysbd
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in segmenter.segment(text) if s.strip()]


def corpus_blocks() -> list[str]:
    texts = []
    for folder in CORPORA:
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES:
                parsed = parse(path, read_bytes(path))
                texts += [b.text for b in parsed.blocks if b.text.strip()]
    return texts


def measure_splitters(repeat: int) -> None:
    splitters: dict[str, Callable[[str], list[str]]] = {
        "kb before (8 abbreviations)": split_before,
        "kb now (kb/rules/sentences.py)": sentences.split_sentences,
    }
    sbd = pysbd_splitter()
    if sbd is not None:
        splitters["pysbd 0.3 (en, clean=False)"] = sbd
    blocks = corpus_blocks()
    chars = sum(len(t) for t in blocks)
    print(f"sentence cases: {len(CASES)}; corpus: {len(blocks)} blocks, {chars:,} characters")
    print(f"{'splitter':<32} {'cases right':>11} {'corpus ms':>10} {'blocks split otherwise':>23}")
    reference = [split_before(t) for t in blocks]
    failures: dict[str, list[str]] = {}
    for name, split in splitters.items():
        wrong = [text for text, expected in CASES if split(text) != expected]
        failures[name] = wrong
        start = time.perf_counter()
        for _ in range(repeat):
            found = [split(t) for t in blocks]
        elapsed = (time.perf_counter() - start) / repeat * 1000
        differ = sum(a != b for a, b in zip(found, reference, strict=True))
        right = len(CASES) - len(wrong)
        print(f"{name:<32} {right:>5}/{len(CASES):<5} {elapsed:>10.1f} {differ:>23}")
    for name, wrong in failures.items():
        for text in wrong:
            print(f"  {name} splits wrongly: {text[:90]!r}")


def corpus_words() -> list[str]:
    words: set[str] = set()
    for text in corpus_blocks():
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", text))
    return sorted(words)


def fts5_porter(words: list[str]) -> dict[str, str]:
    """Each word as FTS5's porter tokenizer indexes it (asked of SQLite, as the store does)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE words USING fts5(word, tokenize='porter unicode61')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(words, 'instance')")
    conn.executemany("INSERT INTO words(rowid, word) VALUES (?, ?)", enumerate(words, 1))
    terms = {doc: term for term, doc in conn.execute("SELECT term, doc FROM v")}
    return {word: terms[i] for i, word in enumerate(words, 1)}


def grouping_disagreements(words: list[str], truth: dict[str, str], stem: Callable) -> int:
    """Words whose group (the corpus words sharing their stem) differs from their group
    under FTS5's porter."""
    by_truth: dict[str, set[str]] = defaultdict(set)
    by_stem: dict[str, set[str]] = defaultdict(set)
    stems = {w: stem(w) for w in words}
    for w in words:
        by_truth[truth[w]].add(w)
        by_stem[stems[w]].add(w)
    return sum(by_truth[truth[w]] != by_stem[stems[w]] for w in words)


def measure_stemmers() -> None:
    words = corpus_words()
    truth = fts5_porter(words)
    stemmers: dict[str, Callable[[str], str]] = {
        "words.py before (hand-made)": light_stem,
        "qa.py before (hand-made)": qa_stem,
        "kb now (kb/text/words.py)": kb_stem,
    }
    try:
        import Stemmer

        porter = Stemmer.Stemmer("porter")
        stemmers["PyStemmer porter"] = porter.stemWord
        stemmers["PyStemmer english (porter2)"] = Stemmer.Stemmer("english").stemWord
    except ImportError:
        pass
    print(f"\nwords of the corpora: {len(words):,} distinct")
    print(f"{'stemmer':<30} {'stem differs':>13} {'grouped otherwise':>18} {'us/word':>8}")
    for name, stemmer in stemmers.items():
        differ = [w for w in words if stemmer(w) != truth[w]]
        grouped = grouping_disagreements(words, truth, stemmer)
        start = time.perf_counter()
        for w in words:
            stemmer(w)
        per_word = (time.perf_counter() - start) / len(words) * 1e6
        print(f"{name:<30} {len(differ):>13,} {grouped:>18,} {per_word:>8.2f}")
        if len(differ) < 20:
            for w in differ:
                print(f"    {w}: fts5 {truth[w]!r}, {stemmer(w)!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs over the corpus")
    args = parser.parse_args()
    measure_splitters(args.repeat)
    measure_stemmers()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
