"""Configuration: one frozen dataclass, defaults overridable by KB_* environment variables."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from kb.errors import KBError

__all__ = ["FORMAT_VERSION", "LOCAL_SETTINGS", "MODEL_NAME", "Config"]

MODEL_NAME = "all-MiniLM-L6-v2"
FORMAT_VERSION = 2  # 2: passage boxes and point kinds, metadata provenance
# Settings of one machine or run, not of the index: left out of the manifest.
LOCAL_SETTINGS = (
    "index_path",
    "device",
    "packs_dir",
    "library_dir",
    "casechecks_dir",
    "max_upload_mb",
    "max_doc_mb",
    "llm_url",
    "llm_model",
    "llm_timeout",
    "llm_api_key",
)


@dataclass(frozen=True)
class Config:
    """Settings of a knowledge base. Written into the index manifest when the index is built."""

    index_path: Path = Path("index")
    model_name: str = MODEL_NAME
    batch_size: int = 32
    device: str = ""  # "" = cuda when present, else cpu
    max_passage_chars: int = 600  # longer blocks are split at sentence boundaries
    keyword_candidates: int = 200
    dense_candidates: int = 200
    fusion: str = "convex"  # "convex" (score fusion) or "rrf" (reciprocal rank fusion)
    dense_weight: float = 0.5  # share of the dense score in convex fusion
    # ... for a case summary's concerns: their meaning counts for more than the words a case
    # shares with the story of another (a boy, a mother, a move). 0.6 lifted case nDCG@10 on
    # all three judged files; 0.7 lost a sample case query (docs/evaluation.md).
    case_dense_weight: float = 0.6
    rrf_k: int = 60
    default_k: int = 10
    topics_file: str = ""  # "" = the taxonomy shipped in kb/data/topics.json
    packs_dir: str = "packs"  # one JSON file per course pack
    library_dir: str = "library"  # where files uploaded in the app are kept
    max_upload_mb: int = 50
    max_doc_mb: int = 100  # one document's file (or a .docx's expanded XML) at most
    casechecks_dir: str = "casechecks"  # one JSON file per saved case check
    commit_every: int = 2000  # passages per atomic commit during a long ingest
    # Above this many passages FAISS switches from exact search to IVF (see
    # docs/evaluation.md, Performance: flat search passes 50 ms near 300k vectors on 2 cores).
    ann_threshold: int = 250_000
    ivf_nprobe: int = 32  # IVF lists searched per query (recall@10 >= 0.97 against exact)
    # Generative answers (kb/answer/llm.py): an OpenAI-compatible endpoint and model; both
    # unset = extractive answers only. Read when a question is asked, not when the index opens.
    llm_url: str = ""
    llm_model: str = ""
    llm_timeout: float = 30.0  # seconds
    llm_api_key: str = ""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Config:
        """Defaults, then KB_<FIELD> environment variables, then explicit overrides."""
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"KB_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            values[f.name] = _coerce(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "index_path" in values:
            values["index_path"] = Path(str(values["index_path"]))
        return cls(**values)

    def manifest_view(self) -> dict[str, object]:
        """The settings recorded in the manifest (paths are not part of an index's identity)."""
        data = dataclasses.asdict(self)
        for local in LOCAL_SETTINGS:
            data.pop(local)
        return data


def _coerce(name: str, type_name: object, raw: str) -> object:
    kind = str(type_name)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as exc:
        raise KBError(f"KB_{name.upper()} must be a number, got {raw!r}") from exc
    return raw
