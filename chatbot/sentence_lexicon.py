"""Which sentences hold which terms, which only offer angles, which point elsewhere: built with the index.

A turn scores every sentence of 20-40 candidate passages. Tokenising those sentences, or testing their
term sets one by one in Python, grew with the corpus (new candidates every question) and cost more than
the search itself at 10k passages. So the build writes, for each term of the lexical index's vocabulary,
the sorted rows of the sentences that hold it (the layout of the BM25 index's own matrix), and a turn
asks "which of these rows hold term t?" by binary search: a few microseconds a term, whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .records import Document, Passage
from .text import offered_angles, points_elsewhere, terms


@dataclass(frozen=True)
class Postings:
    """For term column c, the sorted rows `indices[indptr[c]:indptr[c + 1]]` that hold it."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def columns(self) -> int:
        return len(self.indptr) - 1

    def holding(self, column: int, rows: np.ndarray) -> np.ndarray:
        """For each of `rows`, whether it holds the term of `column`: a binary search in its postings."""
        postings = self.indices[self.indptr[column]:self.indptr[column + 1]]
        if not len(postings) or not len(rows):
            return np.zeros(len(rows), dtype=bool)
        rows = rows.astype(postings.dtype, copy=False)  # else numpy would convert the postings, all of them
        at = np.minimum(np.searchsorted(postings, rows), len(postings) - 1)
        return postings[at] == rows

    def share(self, rows: np.ndarray, columns: list[int], weights: list[float], total: float) -> np.ndarray:
        """For each of `rows`, the share of the question's term weight (`total`) it holds, given the
        question's terms the vocabulary knows (`columns`, with their `weights`)."""
        found = np.zeros(len(rows), dtype=np.float64)
        if not total:
            return found
        for column, weight in zip(columns, weights, strict=True):
            if column < self.columns:
                found += weight * self.holding(column, rows)
        return found / total


@dataclass(frozen=True)
class SentenceLexicon:
    """Term postings over sentences (rows in the index's sentence order) and, per sentence, whether it only
    offers the reader angles to choose from ("if you meant “X” vs “Y”, tell me which")."""

    postings: Postings
    offers: np.ndarray  # bool, one per sentence
    pointers: np.ndarray | None = None  # bool, one per sentence: it sends the reader elsewhere ("see Section 12.6")

    def points_elsewhere(self, rows: np.ndarray) -> np.ndarray:
        return self.pointers[rows] if self.pointers is not None else np.zeros(len(rows), dtype=bool)


def build(documents: dict[str, Document], passages: list[Passage], vocabulary: dict[str, int]) -> SentenceLexicon:
    """The lexicon of the passages' sentences, in order; terms are columns of the lexical index's
    `vocabulary` (a sentence's terms are among its passage's, so every one has a column)."""
    rows: list[int] = []
    columns: list[int] = []
    offers: list[bool] = []
    pointers: list[bool] = []
    for passage in passages:
        text = documents[passage.doc].text
        for sentence in passage.sentences:
            piece = text[sentence.start:sentence.end]
            held = {vocabulary[t] for t in terms(piece) if t in vocabulary}
            columns.extend(held)
            rows.extend([len(offers)] * len(held))
            offers.append(bool(offered_angles(piece)))
            pointers.append(points_elsewhere(piece))
    count = max(vocabulary.values(), default=-1) + 1
    row_array, column_array = np.asarray(rows, dtype=np.int32), np.asarray(columns, dtype=np.int64)
    order = np.lexsort((row_array, column_array))  # by column, rows ascending within it
    indptr = np.searchsorted(column_array[order], np.arange(count + 1)).astype(np.int64)
    return SentenceLexicon(Postings(indptr, row_array[order]), np.asarray(offers, dtype=bool),
                           np.asarray(pointers, dtype=bool))


FILE = "sentence_lexicon.npz"


def save(lexicon: SentenceLexicon, folder: Path) -> None:
    pointers = lexicon.pointers if lexicon.pointers is not None else np.zeros(len(lexicon.offers), dtype=bool)
    np.savez(folder / FILE, indptr=lexicon.postings.indptr, indices=lexicon.postings.indices, offers=lexicon.offers,
             pointers=pointers)


def load(folder: Path, sentences: int) -> SentenceLexicon:
    """Read it back; ValueError when it does not fit an index of `sentences` sentences."""
    with np.load(folder / FILE, allow_pickle=False) as stored:
        indptr, indices, offers = stored["indptr"], stored["indices"], stored["offers"]
        pointers = stored["pointers"] if "pointers" in stored.files else np.zeros(len(offers), dtype=bool)
    if (indptr.ndim != 1 or len(indptr) < 1 or indptr[0] != 0 or indptr[-1] != len(indices)
            or np.any(np.diff(indptr) < 0) or len(offers) != sentences or len(pointers) != sentences
            or (len(indices) and (indices.min() < 0 or indices.max() >= sentences))):
        raise ValueError(f"{FILE} does not fit the index's {sentences} sentences")
    return SentenceLexicon(Postings(indptr, indices), offers.astype(bool), pointers.astype(bool))
