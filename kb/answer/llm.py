"""Optional generative answers from an OpenAI-compatible chat completions endpoint
(Ollama, llama.cpp's server, vLLM), enabled by KB_LLM_URL and KB_LLM_MODEL.

The model sees only the top passages, each with an id, and is told to answer from them alone
and cite ids. Every sentence of the reply must cite a passage that was sent; the others are
dropped. Too little left, an error or a timeout: the caller falls back to extractive."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from kb.config import Config
from kb.records import Hit
from kb.text.sentences import split_sentences

__all__ = ["SYSTEM_PROMPT", "LLMError", "LLMSettings", "ask_model", "grounded_sentences"]

SYSTEM_PROMPT = (
    "You answer questions about child-safeguarding documents using ONLY the numbered passages "
    "given. After every sentence, cite the passage it comes from as [P1], [P2], ... If the "
    "passages do not answer the question, reply exactly: NOT IN DOCUMENTS."
)
_CITE = re.compile(r"\[P(\d+)\]")


@dataclass(frozen=True)
class LLMSettings:
    url: str
    model: str
    timeout: float = 30.0
    api_key: str = ""

    @classmethod
    def from_config(cls, config: Config) -> LLMSettings | None:
        """The settings when both an endpoint and a model are set, else None."""
        if not config.llm_url or not config.llm_model:
            return None
        url, model, key = config.llm_url.rstrip("/"), config.llm_model, config.llm_api_key
        return cls(url, model, config.llm_timeout, key)

    @classmethod
    def from_env(cls) -> LLMSettings | None:
        """KB_LLM_URL, KB_LLM_MODEL, KB_LLM_TIMEOUT and KB_LLM_API_KEY, read now."""
        return cls.from_config(Config.from_env())


class LLMError(Exception):
    """The model could not be reached or answered badly."""


def ask_model(settings: LLMSettings, question: str, hits: Sequence[Hit]) -> str:
    """The model's raw reply to the question over these passages."""
    passages = "\n\n".join(f"[P{i}] {hit.text}" for i, hit in enumerate(hits, start=1))
    body = {
        "model": settings.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Passages:\n{passages}\n\nQuestion: {question}"},
        ],
    }
    endpoint = settings.url
    if not endpoint.endswith("/chat/completions"):
        endpoint += "/chat/completions"
    headers = {"Content-Type": "application/json"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    request = urllib.request.Request(
        endpoint, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:
            data = json.loads(response.read())
        return str(data["choices"][0]["message"]["content"])
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError) as exc:
        raise LLMError(str(exc)) from exc


def grounded_sentences(reply: str, sent: int) -> list[tuple[str, list[int]]]:
    """The reply's sentences that cite at least one passage that was sent (1-based ids)."""
    kept = []
    for sentence in split_sentences(reply.replace("\n", " ")):
        ids = [int(n) for n in _CITE.findall(sentence)]
        if ids and all(1 <= n <= sent for n in ids):
            kept.append((_CITE.sub("", sentence).strip(), ids))
    return kept
