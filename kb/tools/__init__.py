"""Tools that measure kb: evaluate.py and evaluate_docs.py (`kb eval`), bench.py and
bench_pdf.py (`kb bench`), loadtest.py (many users at once)."""
