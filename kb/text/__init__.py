"""The text toolkit shared by every stage: words.py (the stopword list, the query-word
stemmer, the word-for-word normaliser, the slug helper) and sentences.py (the sentence
splitter, which also decides where long passages split)."""
