"""Question -> ranked Hits: dense cosine (FAISS) fused with lexical evidence (BM25 + term coverage).

The model is weak on acronyms ("CDMO" vs its spelled-out name), so exact terms count through
the lexical side: BM25 finds candidates the model misses, and `coverage` (the share of the
question's informative terms, weighted by rarity, that a passage contains) joins the score.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import vector_store
from .embeddings import Embedder
from .records import NOT_AN_ANSWER, Hit, Passage
from .search_index import SearchIndex
from .text import offered_angles, passage_terms, terms

RECENT_QUESTIONS = 256  # vectors of recent questions kept (1.5 KB each)


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 20  # from each side, before fusion
    lexical_weight: float = 0.35  # weight of term coverage beside cosine
    sentence_weight: float = 0.5  # share of the best sentence's score in a passage's rank (chosen on the dev sets)
    continuity_bonus: float = 0.03  # a passage of the section the conversation is in wins a near tie


@dataclass(frozen=True)
class LexicalScores:
    """BM25 score of every passage (row -> score; 0 where no question term occurs)."""

    scores: np.ndarray

    def get(self, row: int) -> float:
        return float(self.scores[row]) if len(self.scores) else 0.0

    def top(self, n: int) -> list[int]:
        """The n best rows scoring above 0, best first, the lower row first on ties: a partition, not
        a sort of every passage (np.argsort of all scores grew as n log n with the corpus)."""
        rows = np.flatnonzero(self.scores > 0)
        if len(rows) > n > 0:
            values = self.scores[rows]
            nth = np.partition(values, len(rows) - n)[len(rows) - n]
            rows = rows[values >= nth]
        return [int(r) for r in rows[np.lexsort((rows, -self.scores[rows]))][:n]]


class Retriever:
    def __init__(self, index: SearchIndex, embedder: Embedder, settings: RetrievalSettings = RetrievalSettings()):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._term_sets: dict[int, frozenset[str]] = {}
        self._sentence_term_sets: dict[int, tuple[frozenset[str], ...]] = {}  # tokenized once, not every turn
        self._offers: dict[int, tuple[bool, ...]] = {}
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
        return self._per_sentence(row, self._sentence_term_sets, lambda text: frozenset(terms(text)))

    def offers(self, row: int) -> tuple[bool, ...]:
        """For each sentence of passage `row`, whether it only offers the reader angles to choose from."""
        return self._per_sentence(row, self._offers, lambda text: bool(offered_angles(text)))

    def _per_sentence(self, row: int, cache: dict[int, tuple], measure) -> tuple:
        """`measure` of each sentence of passage `row`, in order: computed on first use, then kept in `cache`."""
        cached = cache.get(row)
        if cached is None:
            passage = self.index.passages[row]
            text = self.index.documents[passage.doc].text
            cached = tuple(measure(text[s.start:s.end]) for s in passage.sentences)
            with self._lock:
                cache[row] = cached
        return cached

    def term_weights(self, query_terms: list[str]) -> dict[str, float]:
        """Each distinct question term with its idf: computed once per question, used for every text."""
        return {t: self.idf(t) for t in dict.fromkeys(query_terms)}

    def coverage(self, query_terms: list[str] | dict[str, float], present: frozenset[str] | set[str]) -> float:
        """Share of the question's term weight that `present` contains (0..1)."""
        weights = query_terms if isinstance(query_terms, dict) else self.term_weights(query_terms)
        return _share(weights.items(), sum(weights.values()), present)

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
               only_rows: set[int] | None = None, near: tuple[str, int] | None = None) -> list[Hit]:
        """The k best passages for the question, best first (restricted to `only_rows` if given).
        `near`: the (document, section) the conversation is in; a follow-up most likely stays there, so its
        passages win a near tie (`continuity_bonus`), never a clear loss."""
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
            passage = self.index.passages[row]
            if near is not None and (passage.doc, passage.section_index) == near:
                score += self.settings.continuity_bonus
            answering = [c for c, offer in zip(cosines, self.offers(row), strict=True) if not offer]
            hits.append(Hit(self.index.passages[row], score, dense, bm25.get(row),
                            cover, sentence_scores, float(max(answering)) if answering else dense, topic))
        hits.sort(key=lambda h: (-h.score, h.passage.id))
        return hits[:k]

    def unanswered(self, row: int, weights: dict[str, float]) -> float:
        """Share of the question's weight beyond the passage's heading that its body lacks, when the
        heading restates part of the question ("What is a bike share scheme?" for "how do bike share
        schemes charge riders?"); 0 when the heading shares nothing with the question."""
        heading = self._heading_terms(row)
        if not heading & weights.keys():
            return 0.0
        rest = {t: w for t, w in weights.items() if t not in heading and self.known(t)}
        if not rest:
            return 0.0
        return 1.0 - self.coverage(rest, self.passage_terms(row) - self._heading_only(row))

    def _heading_terms(self, row: int) -> frozenset[str]:
        return frozenset(terms(self.index.passages[row].section))

    def _heading_only(self, row: int) -> frozenset[str]:
        passage = self.index.passages[row]
        return self._heading_terms(row) - frozenset(terms(passage.text))

    def _candidates(self, vector: np.ndarray, bm25: LexicalScores) -> set[int]:
        n = self.settings.candidates
        rows = {row for row, _ in vector_store.search(self.index.dense, vector, n, self.index.passage_vectors)}
        rows.update(bm25.top(n))
        return rows

    def _bm25(self, query_terms: list[str]) -> LexicalScores:
        known = [t for t in query_terms if t in self._vocab]
        if not known:
            return LexicalScores(np.zeros(0))
        return LexicalScores(np.asarray(self.index.lexical.get_scores(known)))

    def sentence_cosines(self, row: int, vector: np.ndarray) -> np.ndarray:
        """Cosine of the question with each sentence of passage `row` (sentences read in their passage)."""
        sentence_rows = self.index.sentence_rows(row)
        return self.index.sentence_vectors[sentence_rows.start:sentence_rows.stop] @ vector

    def sentence_scores(self, row: int, vector: np.ndarray,
                        query_terms: list[str] | dict[str, float], dense: np.ndarray | None = None
                        ) -> tuple[float, ...]:
        """Relevance of each sentence of passage `row`: cosine plus weighted term coverage. A sentence
        that only offers the reader angles ("if you meant X vs Y, tell me which") names the question's
        words without answering it: it scores NOT_AN_ANSWER."""
        dense = self.sentence_cosines(row, vector) if dense is None else dense
        if not len(dense):
            return ()
        weights = query_terms if isinstance(query_terms, dict) else self.term_weights(query_terms)
        items, total = list(weights.items()), sum(weights.values())  # `coverage`, its total summed once per passage
        return tuple(NOT_AN_ANSWER if offer else cosine + self.settings.lexical_weight * _share(items, total, present)
                     for cosine, present, offer in zip(dense.tolist(), self.sentence_terms(row), self.offers(row),
                                                       strict=True))

    def rows_of_section(self, doc: str, section_index: int) -> set[int]:
        return set(self._rows_by_section.get((doc, section_index), ()))

    def rows_of_document(self, doc: str) -> set[int]:
        return set(self._rows_by_document.get(doc, ()))

    def rows_with_terms(self, wanted: set[str] | frozenset[str]) -> set[int]:
        """Rows whose passage holds every one of `wanted` (all rows when it is empty), read from the
        lexical index's postings instead of testing every passage: its tokens are the passage's terms."""
        if not wanted:
            return set(range(len(self.index.passages)))
        scores = self.index.lexical.scores
        indices, indptr = scores["indices"], scores["indptr"]
        found: np.ndarray | None = None
        for t in sorted(wanted, key=lambda t: self._df[self._vocab[t]] if self.known(t) else -1):
            if not self.known(t):
                return set()
            column = self._vocab[t]
            postings = indices[indptr[column]:indptr[column + 1]]
            found = postings if found is None else np.intersect1d(found, postings, assume_unique=True)
            if not len(found):
                return set()
        return {int(r) for r in found}

    @cached_property
    def _rows_by_section(self) -> dict[tuple[str, int], tuple[int, ...]]:
        out: dict[tuple[str, int], list[int]] = {}
        for i, p in enumerate(self.index.passages):
            out.setdefault((p.doc, p.section_index), []).append(i)
        return {key: tuple(rows) for key, rows in out.items()}

    @cached_property
    def _rows_by_document(self) -> dict[str, tuple[int, ...]]:
        out: dict[str, list[int]] = {}
        for i, p in enumerate(self.index.passages):
            out.setdefault(p.doc, []).append(i)
        return {doc: tuple(rows) for doc, rows in out.items()}

    def row_of(self, passage: Passage) -> int:
        return self._row_by_id()[passage.id]

    def _row_by_id(self) -> dict[str, int]:
        if not hasattr(self, "_rows"):
            self._rows = {p.id: i for i, p in enumerate(self.index.passages)}
        return self._rows


def _share(weighted_terms, total: float, present: frozenset[str] | set[str]) -> float:
    """Share of the question's term weight (`total`, over `weighted_terms`) that `present` contains."""
    return sum(w for t, w in weighted_terms if t in present) / total if total else 0.0
