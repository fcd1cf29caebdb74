"""Passages: a document's blocks become passages along its own structure (segment.py),
learning points are recognised among them (points.py), and passages are tagged with topics
(topics.py)."""
