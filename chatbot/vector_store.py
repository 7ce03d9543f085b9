"""FAISS over normalised vectors: exact while small, approximate (HNSW) when exact gets slow.

Inner product on L2-normalised float32 rows is cosine similarity. FAISS pads missing results
with id -1; `search` drops them, so callers never see a phantom passage.
"""

from __future__ import annotations

import faiss
import numpy as np

EXACT_UP_TO = 50_000  # below this a flat scan is both exact and fast enough
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def build_vector_index(vectors: np.ndarray) -> faiss.Index:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) <= EXACT_UP_TO:
        index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    index.add(vectors)
    return index


def describe(index: faiss.Index) -> str:
    if isinstance(index, faiss.IndexHNSW):
        return f"HNSWFlat(M={HNSW_NEIGHBOURS}, efSearch={index.hnsw.efSearch})"
    return type(index).__name__


def search(index: faiss.Index, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(row, cosine) of the k nearest rows, best first, without FAISS's -1 padding."""
    if index.ntotal == 0 or k <= 0:
        return []
    query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    scores, ids = index.search(query, k)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
