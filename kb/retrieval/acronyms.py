"""Acronyms: a passage that says "CSE" is also found by "child sexual exploitation".

Expansions come from the document's own definitions ("Child Sexual Exploitation (CSE)") and
from a glossary shipped in kb/data/acronyms.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from kb.rules.acronyms import ACRONYM, DEFINITION, SMALL_WORDS

__all__ = ["expansions", "find_definitions", "glossary"]


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    data = json.loads(resources.files("kb").joinpath("data/acronyms.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def find_definitions(text: str) -> dict[str, str]:
    """'Long Form (LF)' definitions whose initials spell the acronym."""
    found: dict[str, str] = {}
    for match in DEFINITION.finditer(text):
        acronym = match.group(2)
        words = match.group(1).replace("-", " ").split()
        # Take the shortest tail of words whose initials (small words skipped) spell it.
        for start in range(len(words) - 1, -1, -1):
            tail = words[start:]
            initials = "".join(w[0] for w in tail if w.lower() not in SMALL_WORDS).upper()
            if initials == acronym:
                found.setdefault(acronym, " ".join(tail))
                break
    return found


def expansions(text: str, definitions: Mapping[str, str]) -> list[str]:
    """'ACR: expansion' for each acronym the text uses without spelling it out."""
    out = []
    lowered = text.lower()
    for acronym in dict.fromkeys(m.group(1) for m in ACRONYM.finditer(text)):
        expansion = definitions.get(acronym) or glossary().get(acronym)
        if expansion and expansion.lower() not in lowered:
            out.append(f"{acronym}: {expansion}")
    return out
