"""Index: what is stored and how it stays whole. database.py (the SQLite file: schema,
connections per thread, snapshots, the generation), store.py (documents, passages, topics
and learning points on it), keyword.py (FTS5 keyword search), filters.py (search filters),
vectors.py (FAISS), embed.py (the MiniLM model), manifest.py (which model, format and
settings built the index), state.py (what every read and write of an open index shares:
snapshots, the vectors of the last generations, following a rebuilt index), maintainer.py
(the write path: ingest, remove, re-tag, rebuild, each one atomic commit), writer.py (the
write path's stateless steps and lock), folder.py (an index folder on disk), rebuild.py
(`kb rebuild`), integrity.py (`kb check`), faults.py (named fault points for the crash
tests)."""
