"""The rules and thresholds by which kb reads documents, finds learning points, tags topics
and answers questions, in one place: each a named value, with a comment saying what it
means and what it was measured on, and table tests in tests/test_rules.py.

- layout.py: PDF page layout and structure, running headers and footers
  (kb/ingest/layout.py, pdf_structure.py, clean.py);
- headings.py: headings, their levels, contents lists (kb/ingest/blocks.py, pdf_structure.py);
- formats.py: what web-page and Word markup means (kb/ingest/html.py, docx.py);
- passages.py: list items, captions, notes and tables; blocks to passages (kb/ingest/blocks.py,
  kb/passages/segment.py);
- sentences.py: where a sentence ends (kb/text/sentences.py);
- points.py: learning points and their kinds (kb/passages/points.py);
- sections.py: what part of its document a section is: story, method, context
  (kb/passages/roles.py, read by points and search);
- acronyms.py: a document's own acronym definitions (kb/retrieval/acronyms.py);
- metadata.py: title, type, year, reviews (kb/ingest/metadata.py, pdf.py, html.py);
- tagging.py: topic tags (kb/passages/topics.py);
- answers.py: extractive answers (kb/answer/qa.py);
- retrieval.py: reading a query, keyword scoring, weighing points and parts of documents by
  kind of query, what a result shows, the relevance floor and the case check's threshold
  (kb/retrieval/, kb/index/keyword.py, kb/outputs/casecheck.py).

version.py fingerprints the values: an index records the reading and tagging rules it was
made with, so a change to any of them is detected (and re-tagged, or reported for `kb
rebuild`). A rules module added here is named in one of its groups.

A module imports the rules it uses by name, or the rules module itself where it uses many
(`headings.NUMBERED_HEADING` in kb/ingest/blocks.py); kb/passages/topics.py reads
`tagging.NAME` at each call, so that a test may change one. Rule modules import nothing
from kb but each other."""
