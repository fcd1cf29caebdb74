"""Outputs: what people take away. packs.py (course packs), export.py (Word, Markdown and
CSV), casecheck.py (which learning points apply to a case, saved with an auditor's ticks)."""
