"""kb: a searchable knowledge base of what child-safeguarding reviews have learned."""

from kb.config import Config
from kb.errors import KBError
from kb.records import Document, Hit, Passage

__all__ = ["Config", "Document", "Hit", "KBError", "KnowledgeBase", "Passage"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The facade pulls in SQLite/FAISS code; keep `import kb` itself light.
    if name == "KnowledgeBase":
        from kb.knowledge_base import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(name)
