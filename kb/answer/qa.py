"""Answers to questions, grounded in the indexed documents and never beyond them.

By default answers are extractive: the sentences of the best passages that best answer the
question, each followed by its citation. With KB_LLM_URL and KB_LLM_MODEL set, the passages go
to an OpenAI-compatible chat model (see llm.py) and only the sentences of its reply that cite a
passage it was sent are kept; anything less falls back to the extractive answer. The rules
and thresholds are named in kb/rules/answers.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from kb.answer.llm import LLMError, LLMSettings, ask_model, grounded_sentences
from kb.passages.citation import Citation
from kb.protocols import Encoder
from kb.records import Hit
from kb.retrieval.acronyms import expansions
from kb.rules.answers import (
    AMOUNT,
    COVERAGE_WEIGHT,
    EVIDENCE_SENTENCES,
    FIGURE,
    FIGURE_ANY_BONUS,
    FIGURE_COUNTS_BONUS,
    FIGURE_NEAR_BONUS,
    FIGURE_QUESTION,
    FIGURE_WINDOW,
    FRAME_WORDS,
    MAX_SENTENCES,
    MIN_SENTENCE_SIMILARITY,
    MIN_SENTENCE_WORDS,
    MIN_TERM_COVERAGE,
    NEAR_BEST_SHARE,
    NUMBER_WORDS,
    NUMBERED_CAPTION,
    QUESTION_NUMBER,
    RANK_PENALTY,
    YEAR,
)
from kb.text.sentences import split_sentences
from kb.text.words import STOPWORDS, stem

__all__ = [
    "MIN_SENTENCE_SIMILARITY",
    "MIN_TERM_COVERAGE",
    "YEAR",
    "Answer",
    "Source",
    "answer_from",
    "citation_of",
    "decline",
    "extractive_answer",
    "generative_answer",
    "question_terms",
    "table_statements",
]


@dataclass(frozen=True)
class Source:
    """A sentence of the answer, or a passage offered instead, and where it comes from."""

    citation: Citation
    text: str

    def label(self) -> str:
        """The short citation put after the sentence in the answer's text."""
        return self.citation.short()

    def to_json(self) -> dict[str, object]:
        return {
            "doc_id": self.citation.doc_id,
            "title": self.citation.title,
            "page": self.citation.page,
            "section": self.citation.section_path,
            "text": self.text,
            "passage_id": self.citation.passage_id,
        }


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    answered: bool
    citations: tuple[Source, ...] = ()
    notice: str = ""  # e.g. why a generative answer fell back to extractive
    nearest: tuple[Hit, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "question": self.question,
            "answer": self.text,
            "answered": self.answered,
            "citations": [c.to_json() for c in self.citations],
        }
        if self.notice:
            data["notice"] = self.notice
        return data


@dataclass(frozen=True)
class _Sentence:
    text: str
    hit: Hit
    rank: int


def citation_of(hit: Hit, text: str | None = None) -> Source:
    """A hit as a source: the sentence used (or the hit's whole text) with its citation."""
    return Source(Citation.of_hit(hit), text if text is not None else hit.text)


def question_terms(question: str, titles: Sequence[str] = ()) -> set[str]:
    """The question's own content words, crudely stemmed. A name the question capitalises
    that is also in the title of a document it is answered from ("what does the Kestrel
    report say...") says which document, not what is asked, so it frames the question."""
    title_words = {w.lower() for t in titles for w in re.findall(r"[A-Za-z]+", t)}
    naming = {
        w.lower() for w in re.findall(r"\b[A-Z][a-z]+\b", question[1:]) if w.lower() in title_words
    }
    words = re.findall(r"[a-z0-9£%]+", question.lower())
    return {
        stem(w)
        for w in words
        if w not in STOPWORDS and w not in FRAME_WORDS and w not in naming and len(w) > 1
    }


def _coverage(terms: set[str], evidence: str) -> float:
    if not terms:
        return 0.0
    found = {stem(w) for w in re.findall(r"[a-z0-9£%]+", evidence.lower())}
    return sum(1 for t in terms if t in found) / len(terms)


def extractive_answer(
    question: str, hits: Sequence[Hit], embedder: Encoder, max_sentences: int = MAX_SENTENCES
) -> Answer:
    """Compose an answer from the sentences of `hits` that best answer `question`."""
    sentences = [
        _Sentence(s, hit, rank)
        for rank, hit in enumerate(hits)
        for p in hit.passages
        for s in (
            table_statements(p.text, p.context) if p.kind == "table" else split_sentences(p.text)
        )
        if len(s.split()) >= MIN_SENTENCE_WORDS and not NUMBERED_CAPTION.match(s)
    ]
    if not sentences:
        return decline(question, hits)
    # Each sentence is embedded with its acronyms spelled out ("309 children on CPP").
    texts = [_expanded(s) for s in sentences]
    vectors = embedder.encode(texts)
    similarity = vectors @ embedder.encode_query(question)
    terms = question_terms(question, [hit.document.title for hit in hits])
    figure = bool(FIGURE_QUESTION.search(question))
    scores = np.array(
        [
            sim
            + COVERAGE_WEIGHT * _coverage(terms, text)
            - RANK_PENALTY * s.rank
            + (_figure_bonus(s.text, terms) if figure else 0.0)
            for sim, s, text in zip(similarity, sentences, texts, strict=True)
        ]
    )
    order = [int(i) for i in np.argsort(-scores)]
    best = order[0]
    evidence = " ".join(texts[i] for i in order[:EVIDENCE_SENTENCES])
    evidence += " " + _expanded_hit(sentences[best].hit)
    numbers = set(QUESTION_NUMBER.findall(question))
    if (
        similarity[best] < MIN_SENTENCE_SIMILARITY
        or _coverage(terms, evidence) < MIN_TERM_COVERAGE
        or any(n not in evidence for n in numbers)  # "the 2021 report": no 2021, no answer
    ):
        return decline(question, hits)
    chosen = [i for i in order[:max_sentences] if scores[i] >= NEAR_BEST_SHARE * scores[best]]
    if figure:
        # A question about a figure is answered by the sentences that state one.
        chosen = [i for i in chosen if FIGURE.search(sentences[i].text)] or [best]
    citations = tuple(citation_of(sentences[i].hit, sentences[i].text) for i in chosen)
    text = " ".join(f"{c.text} ({c.label()})" for c in citations)
    return Answer(question, text, True, citations, nearest=tuple(hits))


def table_statements(table: str, caption: str = "") -> list[str]:
    """A table's rows as statements a question can be matched with: each row's cells under
    their column headings, after the table's caption ("Percentage of children ... : England:
    2015 6%; 2016 9%"). A first row that is data, not headings, is read as a row."""
    rows = [[cell.strip() for cell in line.split(" | ")] for line in table.splitlines()]
    header = rows[0] if len(rows) > 1 and _is_header(rows[0], rows[1:]) else None
    statements = []
    for row in rows[1:] if header else rows:
        if header:
            heads = [""] * (len(row) - len(header)) + header  # a blank corner cell was dropped
            cells = [f"{h} {c}".strip() for h, c in zip(heads[1:], row[1:], strict=False) if c]
            body = f"{row[0]}: {'; '.join(cells)}" if cells else row[0]
        else:
            body = " ".join(c for c in row if c)
        statements.append(f"{caption.rstrip(':')}: {body}" if caption else body)
    return statements


def _is_header(first: list[str], rows: list[list[str]]) -> bool:
    """Column headings: two or more cells, none a figure (a year is a heading), as many as a
    row's cells or one fewer (a blank corner)."""
    if len(first) < 2 or any(AMOUNT.fullmatch(c) and not YEAR.fullmatch(c) for c in first):
        return False
    return all(len(row) - len(first) in (0, 1) for row in rows)


def _figure_bonus(sentence: str, terms: set[str]) -> float:
    """More for a sentence whose figure stands next to what was asked ("309 children",
    "eight referrals")."""
    words = re.findall(r"£?\d[\d,.]*%?|[a-z]+", sentence.lower())
    bonus = 0.0
    for i, word in enumerate(words):
        if word[0].isdigit() or word[0] == "£" or re.fullmatch(NUMBER_WORDS, word):
            following = stem(words[i + 1]) if i + 1 < len(words) else ""
            if following in terms:  # the figure counts what was asked about
                return FIGURE_COUNTS_BONUS
            near = {stem(w) for w in words[max(0, i - FIGURE_WINDOW) : i + FIGURE_WINDOW + 1]}
            bonus = max(bonus, FIGURE_NEAR_BONUS if near & terms else FIGURE_ANY_BONUS)
    return bonus


def _expanded(sentence: _Sentence) -> str:
    extra = expansions(sentence.text, {})
    return sentence.text + (" (" + "; ".join(extra) + ")" if extra else "")


def _expanded_hit(hit: Hit) -> str:
    return " ".join([hit.text, hit.passage.context, hit.passage.keywords])


def decline(question: str, hits: Sequence[Hit], notice: str = "") -> Answer:
    """Say plainly that the documents do not answer, and offer the nearest passages."""
    text = (
        "The indexed documents do not answer this question. "
        "The nearest passages are listed below; they may help you rephrase it."
    )
    citations = tuple(citation_of(h) for h in hits[:3])
    return Answer(question, text, False, citations, notice=notice, nearest=tuple(hits))


def answer_from(question: str, hits: Sequence[Hit], embedder: Encoder) -> Answer:
    """Generative when KB_LLM_URL and KB_LLM_MODEL are set, falling back to extractive (with
    a notice) on any failure or an ungrounded reply; extractive otherwise."""
    if not hits:
        return decline(question, hits)
    notice = ""
    settings = LLMSettings.from_env()
    if settings is not None:
        try:
            answer = generative_answer(settings, question, hits)
            if answer is not None:
                return answer
            notice = "the language model's reply cited no passage; extractive answer shown"
        except LLMError as exc:
            notice = f"the language model failed ({exc}); extractive answer shown"
    answer = extractive_answer(question, hits, embedder)
    return replace(answer, notice=notice) if notice else answer


def generative_answer(settings: LLMSettings, question: str, hits: Sequence[Hit]) -> Answer | None:
    """The model's answer, keeping only sentences that cite a passage it was sent; None when
    nothing grounded is left."""
    reply = ask_model(settings, question, hits)
    kept = grounded_sentences(reply, len(hits))
    if not kept or "NOT IN DOCUMENTS" in reply:
        return None
    parts: list[str] = []
    cited: dict[int, Source] = {}
    for sentence, ids in kept:
        labels = []
        for n in ids:
            citation = cited.setdefault(n, citation_of(hits[n - 1]))
            labels.append(citation.label())
        parts.append(f"{sentence} ({'; '.join(dict.fromkeys(labels))})")
    return Answer(question, " ".join(parts), True, tuple(cited.values()), nearest=tuple(hits))
