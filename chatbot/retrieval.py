"""Question -> ranked Hits: dense cosine (FAISS) fused with lexical evidence (BM25 + term coverage).

The model is weak on acronyms ("CDMO" vs its spelled-out name), so exact terms count through
the lexical side: BM25 finds candidates the model misses, and `coverage` (the share of the
question's informative terms, weighted by rarity, that a passage contains) joins the score.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from . import vector_store
from .embeddings import Embedder
from .records import Hit, Passage
from .search_index import SearchIndex
from .text import passage_terms, terms

RECENT_QUESTIONS = 256  # vectors of recent questions kept (1.5 KB each)


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 20  # from each side, before fusion
    lexical_weight: float = 0.35  # weight of term coverage beside cosine
    sentence_weight: float = 0.5  # share of the best sentence's score in a passage's rank (chosen on the dev sets)


class Retriever:
    def __init__(self, index: SearchIndex, embedder: Embedder, settings: RetrievalSettings = RetrievalSettings()):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._term_sets: dict[int, frozenset[str]] = {}
        self._sentence_term_sets: dict[int, tuple[frozenset[str], ...]] = {}  # tokenized once, not every turn
        self._lock = threading.Lock()
        self._recent_vectors: dict[str, np.ndarray] = {}  # question -> vector, oldest first
        lexical = index.lexical
        self._vocab: dict[str, int] = dict(lexical.vocab_dict) if getattr(lexical, "vocab_dict", None) else {}
        scores = getattr(lexical, "scores", None)
        indptr = np.asarray(scores["indptr"]) if scores else np.zeros(1)
        self._df = np.diff(indptr) if len(indptr) > 1 else np.zeros(0)
        self._n = max(1, len(index.passages))

    # ------------------------------------------------------------ term statistics

    def idf(self, term: str) -> float:
        """Rarity of a term across passages; a term the corpus lacks counts as rarest."""
        column = self._vocab.get(term)
        df = int(self._df[column]) if column is not None and column < len(self._df) else 0
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        column = self._vocab.get(term)
        return column is not None and column < len(self._df) and self._df[column] > 0

    def passage_terms(self, row: int) -> frozenset[str]:
        cached = self._term_sets.get(row)
        if cached is None:
            cached = frozenset(passage_terms(self.index.passages[row].embedding_text()))
            with self._lock:
                self._term_sets[row] = cached
        return cached

    def sentence_terms(self, row: int) -> tuple[frozenset[str], ...]:
        """Term sets of passage `row`'s sentences, in order; computed on first use, then reused."""
        cached = self._sentence_term_sets.get(row)
        if cached is None:
            passage = self.index.passages[row]
            text = self.index.documents[passage.doc].text
            cached = tuple(frozenset(terms(text[s.start:s.end])) for s in passage.sentences)
            with self._lock:
                self._sentence_term_sets[row] = cached
        return cached

    def term_weights(self, query_terms: list[str]) -> dict[str, float]:
        """Each distinct question term with its idf: computed once per question, used for every text."""
        return {t: self.idf(t) for t in dict.fromkeys(query_terms)}

    def coverage(self, query_terms: list[str] | dict[str, float], present: frozenset[str] | set[str]) -> float:
        """Share of the question's term weight that `present` contains (0..1)."""
        weights = query_terms if isinstance(query_terms, dict) else self.term_weights(query_terms)
        total = sum(weights.values())
        if total == 0:
            return 0.0
        return sum(w for t, w in weights.items() if t in present) / total

    # ------------------------------------------------------------ search

    def embed(self, question: str) -> np.ndarray:
        """The question's vector; a turn may ask for the same text more than once (search, then a
        check in context), and the model is by far the dearest step, so recent ones are kept."""
        with self._lock:
            cached = self._recent_vectors.get(question)
        if cached is not None:
            return cached
        vector = self.embedder.encode([question])[0]
        vector.setflags(write=False)  # shared between callers
        with self._lock:
            self._recent_vectors[question] = vector
            while len(self._recent_vectors) > RECENT_QUESTIONS:
                self._recent_vectors.pop(next(iter(self._recent_vectors)))  # oldest first
        return vector

    def forget_recent(self) -> None:
        """Drop the kept question vectors: the next question is encoded afresh (benchmarks, tests)."""
        with self._lock:
            self._recent_vectors.clear()

    def search(self, question: str, k: int = 5, vector: np.ndarray | None = None,
               only_rows: set[int] | None = None) -> list[Hit]:
        """The k best passages for the question, best first (restricted to `only_rows` if given)."""
        if not self.index.passages:
            return []
        vector = self.embed(question) if vector is None else vector
        query_terms = terms(question)
        bm25 = self._bm25(query_terms)  # scored once: it both adds candidates and is reported on each hit
        rows = self._candidates(vector, bm25) if only_rows is None else set(only_rows)
        weights = self.term_weights(query_terms)
        hits = []
        for row in rows:
            dense = float(self.index.passage_vectors[row] @ vector)
            cover = self.coverage(weights, self.passage_terms(row))
            cosines = self.sentence_cosines(row, vector)
            sentence_scores = self.sentence_scores(row, vector, weights, cosines)
            topic = dense + self.settings.lexical_weight * cover
            score = topic
            if sentence_scores and self.settings.sentence_weight:
                # rank the passage that holds the answering sentence, not only one about the same topic
                share = self.settings.sentence_weight
                score = (1 - share) * topic + share * max(sentence_scores)
            hits.append(Hit(self.index.passages[row], score, dense, float(bm25[row]) if len(bm25) else 0.0,
                            cover, sentence_scores, float(cosines.max()) if len(cosines) else dense, topic))
        hits.sort(key=lambda h: (-h.score, h.passage.id))
        return hits[:k]

    def _candidates(self, vector: np.ndarray, bm25: np.ndarray) -> set[int]:
        n = self.settings.candidates
        rows = {row for row, _ in vector_store.search(self.index.dense, vector, n)}
        if len(bm25) and bm25.max() > 0:
            top = np.argsort(-bm25)[:n]
            rows.update(int(r) for r in top if bm25[r] > 0)
        return rows

    def _bm25(self, query_terms: list[str]) -> np.ndarray:
        known = [t for t in query_terms if t in self._vocab]
        if not known:
            return np.zeros(0)
        return np.asarray(self.index.lexical.get_scores(known))

    def sentence_cosines(self, row: int, vector: np.ndarray) -> np.ndarray:
        """Cosine of the question with each sentence of passage `row` (sentences read in their passage)."""
        sentence_rows = self.index.sentence_rows(row)
        return self.index.sentence_vectors[sentence_rows.start:sentence_rows.stop] @ vector

    def sentence_scores(self, row: int, vector: np.ndarray,
                        query_terms: list[str] | dict[str, float], dense: np.ndarray | None = None
                        ) -> tuple[float, ...]:
        """Relevance of each sentence of passage `row`: cosine plus weighted term coverage."""
        dense = self.sentence_cosines(row, vector) if dense is None else dense
        if not len(dense):
            return ()
        weights = query_terms if isinstance(query_terms, dict) else self.term_weights(query_terms)
        return tuple(float(cosine) + self.settings.lexical_weight * self.coverage(weights, present)
                     for cosine, present in zip(dense, self.sentence_terms(row), strict=True))

    def rows_of_section(self, doc: str, section_index: int) -> set[int]:
        return {i for i, p in enumerate(self.index.passages) if p.doc == doc and p.section_index == section_index}

    def row_of(self, passage: Passage) -> int:
        return self._row_by_id()[passage.id]

    def _row_by_id(self) -> dict[str, int]:
        if not hasattr(self, "_rows"):
            self._rows = {p.id: i for i, p in enumerate(self.index.passages)}
        return self._rows
