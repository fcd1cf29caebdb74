"""Answer: questions answered from the indexed passages, each sentence with its citation
(qa.py, extractive by default), and optional generative answers from a local
OpenAI-compatible model server (llm.py)."""
