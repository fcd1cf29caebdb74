"""Index: what is stored and how it stays whole. store.py (SQLite: documents, passages,
FTS5 keywords, tags), vectors.py (FAISS), embed.py (the MiniLM model), manifest.py (which
model, format and settings built the index), writer.py (the write path's steps and lock),
folder.py (an index folder on disk), rebuild.py (`kb rebuild`), integrity.py (`kb check`),
faults.py (named fault points for the crash tests)."""
