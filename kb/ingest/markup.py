"""Passage text is plain text: markup in a document's text is decoded and stripped.

`plain_text` decodes HTML entities and then removes tags, repeating until nothing changes,
so `&lt;script&gt;` (or a double-encoded `&amp;lt;script&amp;gt;`) and inline HTML in
Markdown never reach a passage as markup. Script and style elements lose their content."""

from __future__ import annotations

import html
import re

__all__ = ["has_markup", "plain_text", "strip_markup"]

# Elements whose content is code, not text.
_CODE_ELEMENTS = re.compile(
    r"<(script|style|template|iframe|object|noscript)\b[^>]*>.*?(</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)
_DECLARATION = re.compile(r"<[!?][^<>]*>")
# A start or end tag: a name right after "<" (or "</"), then attributes, then ">". Text such
# as "a < 5" or "<https://example.org>" is not a tag.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>", re.IGNORECASE)
# What is left of a tag that never closed: "<img src=x onerror=..." at the end of a text.
_OPENING = re.compile(r"<(?=[A-Za-z/!?])")
_BREAKS = re.compile(r"<br\s*/?>|</(p|div|li|tr|h[1-6])\s*>", re.IGNORECASE)


def strip_markup(text: str) -> str:
    """Remove tags, comments and the content of script-like elements (one pass)."""
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE_ELEMENTS.sub(" ", text)
    text = _COMMENT.sub(" ", text)
    text = _DECLARATION.sub(" ", text)
    text = _BREAKS.sub("\n", text)
    return _TAG.sub("", text)


def plain_text(text: str, rounds: int = 4) -> str:
    """Decode entities, then strip markup, until the text no longer changes; any "<" still
    opening something tag-like is spaced out so no browser could read it as a tag."""
    for _ in range(rounds):
        before = text
        text = strip_markup(html.unescape(text))
        if text == before:
            break
    return _OPENING.sub("< ", text)


def has_markup(text: str) -> bool:
    """Whether the text holds entities or tags that plain_text would change."""
    return ("<" in text or "&" in text) and plain_text(text) != text
