"""The rules version of an index: a fingerprint of the rule values themselves.

Every UPPER_CASE name of a rule module is part of its fingerprint: numbers, strings, regular
expressions (pattern and flags), collections of them, and the frozen dataclasses of rules
(LayoutRules, StructureRules). Comments, names and source layout are not, so rewording a
comment changes nothing, while any change to a value changes the fingerprint, with no
version number to bump by hand.

- Reading rules decide the passages, their sections and learning points, and the metadata:
  stored at ingest, so an index read with other rules is reported ("run kb rebuild"), and
  `kb rebuild` reads every document again with the current ones.
- Tagging rules decide the topic tags: stored with the tags, so a change re-tags every
  passage on the next read, from the stored embeddings, as a taxonomy edit does.
- Question-time rules (answers, retrieval) are applied to every question:
  nothing stored depends on them.

A new rule module must be named in exactly one of these groups (tests/test_rules.py)."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import re
from types import ModuleType

__all__ = [
    "FINGERPRINT_CHARS",
    "QUESTION_MODULES",
    "READING_MODULES",
    "TAGGING_MODULES",
    "fingerprint",
    "reading_version",
    "rule_values",
    "tagging_version",
]

READING_MODULES = (
    "kb.rules.layout",
    "kb.rules.headings",
    "kb.rules.formats",
    "kb.rules.passages",
    "kb.rules.sentences",
    "kb.rules.points",
    "kb.rules.sections",
    "kb.rules.metadata",
    "kb.rules.acronyms",
)
TAGGING_MODULES = ("kb.rules.tagging",)
QUESTION_MODULES = ("kb.rules.answers", "kb.rules.retrieval")
FINGERPRINT_CHARS = 16


def rule_values(module: ModuleType) -> dict[str, object]:
    """A module's rules (its UPPER_CASE names) as plain JSON values."""
    return {
        name: _plain(value, f"{module.__name__}.{name}")
        for name, value in sorted(vars(module).items())
        if name.isupper() and not isinstance(value, ModuleType | type)
    }


def fingerprint(module_names: tuple[str, ...]) -> str:
    """The fingerprint of the rule values of these modules (as they are now: a value changed
    at run time counts)."""
    values = {name: rule_values(importlib.import_module(name)) for name in module_names}
    text = json.dumps(values, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:FINGERPRINT_CHARS]


def reading_version() -> str:
    """The fingerprint of the rules that read documents into passages and metadata."""
    return fingerprint(READING_MODULES)


def tagging_version() -> str:
    """The fingerprint of the rules that tag passages with topics."""
    return fingerprint(TAGGING_MODULES)


def _plain(value: object, where: str) -> object:
    """A rule value as JSON: a pattern by its text and flags, a set sorted, a dataclass by
    its fields. Anything else is refused, so a rule of a new kind cannot drop out unseen."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": int(value.flags)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name), where) for f in dataclasses.fields(value)}
        return {"dataclass": type(value).__name__, "fields": fields}
    if isinstance(value, dict):
        return {str(k): _plain(v, where) for k, v in sorted(value.items())}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v, where) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(v, where) for v in value]
    raise TypeError(f"{where}: a rule of type {type(value).__name__} has no fingerprint")
