"""Questions answered from the documents, with citations, and declined when they are not.

The generative path is tested against a small HTTP server of the test's own that speaks the
OpenAI chat-completions protocol (no model server ships with kb)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.knowledge_base import KnowledgeBase
from kb.tools.evaluate import load_judgements
from tests.conftest import DATA


def test_a_figure_question_is_answered_by_the_sentence_that_states_it(
    corpus_kb: KnowledgeBase,
) -> None:
    answer = corpus_kb.ask("How many children were on a child protection plan?")
    assert answer.answered
    assert answer.citations[0].text == "On 31st March 2017, there 309 children on CPP"
    assert answer.text.startswith("On 31st March 2017, there 309 children on CPP (Harrow")
    assert answer.citations[0].citation.section[-1] == "Child Protection Enquiries"


def test_judged_answers_hold_their_figures_and_cite_them(corpus_kb: KnowledgeBase) -> None:
    _, answers = load_judgements(DATA / "eval-dev.json")
    for judged in answers:
        answer = corpus_kb.ask(judged.text)
        assert answer.answered, judged.id
        for must in judged.must:
            assert must in answer.text, judged.id
            assert any(must in c.text for c in answer.citations), judged.id


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "What did the 2021 report recommend about online safety?",
        "How many goals did Harrow score last season?",
    ],
)
def test_questions_the_documents_do_not_answer_are_declined(
    corpus_kb: KnowledgeBase, question: str
) -> None:
    answer = corpus_kb.ask(question)
    assert not answer.answered
    assert "do not answer" in answer.text
    assert answer.citations  # the nearest passages are offered instead


def test_ask_json_shape(corpus_index: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--index", str(corpus_index), "ask", "What is the population of Harrow?", "--json"]
    )
    data = json.loads(result.output)
    assert set(data) >= {"question", "answer", "answered", "citations"}
    assert data["answered"] is True and "247,000" in data["answer"]
    assert set(data["citations"][0]) >= {"doc_id", "title", "page", "section", "text"}


class _ChatServer:
    """A local stand-in for an OpenAI-compatible server, replying with a set text."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the http.server API names it
                length = int(self.headers["Content-Length"])
                server.requests.append(json.loads(self.rfile.read(length)))
                body = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": server.reply}}]}
                ).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.fixture()
def chat(monkeypatch: pytest.MonkeyPatch):
    server = _ChatServer()
    monkeypatch.setenv("KB_LLM_URL", server.url)
    monkeypatch.setenv("KB_LLM_MODEL", "tiny-test-model")
    monkeypatch.setenv("KB_LLM_TIMEOUT", "5")
    yield server
    server.close()


def test_generative_answer_keeps_only_cited_sentences(corpus_kb: KnowledgeBase, chat) -> None:
    chat.reply = (
        "Harrow has a population of 247,000 [P1]. It is a lovely place to live. "
        "Its children number 57,000 [P1]."
    )
    answer = corpus_kb.ask("What is the population of Harrow?")
    assert answer.answered and not answer.notice
    assert "247,000" in answer.text and "lovely" not in answer.text
    sent = chat.requests[0]
    assert sent["model"] == "tiny-test-model"
    assert "[P1]" in sent["messages"][1]["content"]
    assert answer.citations[0].citation.title.startswith("Harrow Safeguarding")


def test_generative_reply_without_citations_falls_back(corpus_kb: KnowledgeBase, chat) -> None:
    chat.reply = "Harrow is home to about a quarter of a million people."
    answer = corpus_kb.ask("What is the population of Harrow?")
    assert answer.answered and "247,000" in answer.text
    assert "cited no passage" in answer.notice


def test_a_failing_model_server_falls_back_with_a_notice(corpus_kb: KnowledgeBase, chat) -> None:
    chat.status = 500
    answer = corpus_kb.ask("What is the population of Harrow?")
    assert answer.answered and "247,000" in answer.text
    assert "language model failed" in answer.notice
