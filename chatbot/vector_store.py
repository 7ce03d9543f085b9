"""FAISS over normalised vectors: a full scan while small, approximate (IVF) when a scan gets slow.

Inner product on L2-normalised float32 rows is cosine similarity. FAISS pads missing results
with id -1; `search` drops them, so callers never see a phantom passage.

A full scan reads floats up to FLOATS_UP_TO rows, and one byte a dimension beyond (SQ8, 4x fewer bytes),
re-ranking its shortlist with the floats: a turn's scan runs right after the model's forward pass has
filled the CPU caches with its weights, so the rows come from memory, and at 10k passages reading 15 MB
of floats took 9.6 ms of a turn where the codes took 1.3 ms, with the same replies (a busy machine,
benchmarks/RESULTS.md for a quiet one). Below FLOATS_UP_TO the two cost the same.

Why IVF and not HNSW beyond EXACT_UP_TO: on a 2-core machine IVF builds a million 384-d vectors in
well under a minute (k-means on a sample, then one assignment pass), where HNSW takes many minutes,
and with these settings it answers one query in about 2 ms at recall@10 >= 0.99 on clustered data
(see benchmarks/RESULTS.md).

An approximate index keeps codes, not floats: one byte a dimension up to SQ8_UP_TO (IVF-SQ8, 4x smaller
than floats), and product-quantised codes beyond, where even those are too many (IVF-PQ: 48 bytes a
vector, about 0.6 GB at 10M; the floats would be 15 GB). `search` re-scores a shortlist exactly from the
float vectors the caller already keeps (the index folder's passage_vectors.npy, which search_index.load
memory-maps): the codes find the neighbourhood, the floats order it. Why codes even where the floats
would fit: a turn's search runs right after the model's forward pass has filled the CPU caches with
weights, so the lists it scans come from memory, and reading a quarter of the bytes halves its time
(1.5 -> 0.8 ms at 100k passages, same recall). From a memory map, the shortlist's pages are asked for
all at once before they are read, so a cold page cache costs one round of disk reads, not a hundred in a
row (benchmarks/scale.py, --large).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import mmap
import os

import faiss
import numpy as np

FLOATS_UP_TO = 2_000  # a scan of 2,000 x 384 floats (3 MB) costs what a scan of their codes does
EXACT_UP_TO = 20_000  # a full scan of 20k x 384 codes takes well under 2 ms on one core: fast enough
LISTS_PER_SQRT_N = 2  # nlist = 2 * sqrt(n): lists of about sqrt(n) / 2 vectors
TRAINING_POINTS_PER_LIST = 30  # k-means on a sample: FAISS asks for at least 39 per list, 30 is plenty here
LISTS_PROBED = 32  # nprobe: lists scanned per query; recall rises with it, and so does time
SEED = 1234  # k-means sample and initialisation: the same vectors always give the same index
SQ8_UP_TO = 1_000_000  # 1M x 384 bytes of codes are 0.4 GB; beyond, product codes
DIMENSIONS_PER_BYTE = 8  # IVF-PQ: one byte codes 8 dimensions (384-d: 48 bytes a row, 32x smaller than floats)
MAX_PQ_TRAINING = 65_536  # PQ codebooks: 256 centroids per sub-vector learn well from this many rows
RERANK = 10  # IVF-PQ: shortlist k x RERANK by codes, then order it by exact cosine
SQ8_RERANK = 2  # IVF-SQ8 scores are off the cosine by about 5e-4 (at most 0.01): a short shortlist is enough
ADD_BATCH = 100_000  # rows encoded at a time: the residuals of all rows at once would double memory


def build_vector_index(vectors: np.ndarray, exact_up_to: int = EXACT_UP_TO,
                       sq8_up_to: int = SQ8_UP_TO, floats_up_to: int = FLOATS_UP_TO) -> faiss.Index:
    """A full scan for up to `exact_up_to` rows (of floats up to `floats_up_to`, else of SQ8 codes),
    IVF-SQ8 up to `sq8_up_to`, IVF-PQ beyond."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dimension = vectors.shape
    floats_up_to = min(floats_up_to, exact_up_to)
    # a scan's codes span every row's range; an IVF index learns its lists from a sample
    sample = None if n <= floats_up_to else vectors if n <= exact_up_to else vectors[training_rows(n)]
    index = empty_vector_index(n, dimension, sample, exact_up_to, sq8_up_to, floats_up_to)
    for begin in range(0, n, ADD_BATCH):
        index.add(vectors[begin:begin + ADD_BATCH])
    return index


def _lists(n: int) -> int:
    return max(1, min(n // TRAINING_POINTS_PER_LIST, round(LISTS_PER_SQRT_N * math.sqrt(n))))


def training_rows(n: int) -> np.ndarray:
    """The rows (a seeded sample, in this order) an approximate index of `n` rows is trained on."""
    return np.random.default_rng(SEED).choice(n, min(n, _lists(n) * TRAINING_POINTS_PER_LIST), replace=False)


def empty_vector_index(n: int, dimension: int, sample: np.ndarray | None, exact_up_to: int = EXACT_UP_TO,
                       sq8_up_to: int = SQ8_UP_TO, floats_up_to: int = FLOATS_UP_TO) -> faiss.Index:
    """The index `build_vector_index` chooses for `n` rows, trained and still empty: the rows are then
    added a batch at a time, so a caller can stream them from disk (benchmarks/scale.py at 10M rows).
    `sample`: for a scan of codes, every row; for an IVF index, the rows `training_rows(n)` names, in its
    order; unused for a scan of floats."""
    if n <= min(floats_up_to, exact_up_to):
        return faiss.IndexFlatIP(dimension)
    if n <= exact_up_to:
        index = faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        index.train(np.ascontiguousarray(sample, dtype=np.float32))  # each dimension's range, for its byte
        return index
    product_codes = n > sq8_up_to and dimension % DIMENSIONS_PER_BYTE == 0
    return _trained_ivf(n, np.ascontiguousarray(sample, dtype=np.float32), product_codes)


def _trained_ivf(n: int, sample: np.ndarray, product_codes: bool = False) -> faiss.IndexIVF:
    dimension = sample.shape[1]
    lists = _lists(n)
    quantizer = faiss.IndexFlatIP(dimension)
    if product_codes:
        index = faiss.IndexIVFPQ(quantizer, dimension, lists, dimension // DIMENSIONS_PER_BYTE, 8,
                                 faiss.METRIC_INNER_PRODUCT)
        index.pq.cp.max_points_per_centroid = MAX_PQ_TRAINING // 256  # bounded training time on 2 cores
    else:
        index = faiss.IndexIVFScalarQuantizer(quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = SEED
    index.cp.max_points_per_centroid = TRAINING_POINTS_PER_LIST  # FAISS would otherwise sample 256 per list
    index.cp.min_points_per_centroid = TRAINING_POINTS_PER_LIST  # and warn below 39 per list
    index.train(sample)
    index.nprobe = min(LISTS_PROBED, lists)  # stored with the index by faiss.write_index
    return index


def describe(index: faiss.Index) -> str:
    if isinstance(index, faiss.IndexIVFPQ):
        return f"IVFPQ(nlist={index.nlist}, nprobe={index.nprobe}, {index.pq.M} bytes, rerank x{RERANK})"
    if isinstance(index, faiss.IndexIVFScalarQuantizer):
        return f"IVFSQ8(nlist={index.nlist}, nprobe={index.nprobe}, rerank x{SQ8_RERANK})"
    if isinstance(index, faiss.IndexIVF):
        return f"IVFFlat(nlist={index.nlist}, nprobe={index.nprobe})"
    if isinstance(index, faiss.IndexScalarQuantizer):
        return f"SQ8(full scan, rerank x{SQ8_RERANK})"
    return type(index).__name__


def is_compressed(index: faiss.Index) -> bool:
    """Whether its scores are approximate (codes, not floats): `search` then re-ranks with the floats."""
    return isinstance(index, (faiss.IndexIVFPQ, faiss.IndexIVFScalarQuantizer, faiss.IndexScalarQuantizer))


@contextlib.contextmanager
def _one_thread():
    """One query gains nothing from OpenMP threads, and on a busy machine waiting for them costs
    several times the search itself. The setting is per calling thread (and FAISS's own libgomp,
    not torch's), so it is set around each search and then restored."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def search(index: faiss.Index, query: np.ndarray, k: int, vectors: np.ndarray | None = None
           ) -> list[tuple[int, float]]:
    """(row, cosine) of the k nearest rows, best first, without FAISS's -1 padding. `vectors`: the
    indexed rows as floats; a compressed index's shortlist is re-ranked with them (exact cosines)."""
    if index.ntotal == 0 or k <= 0:
        return []
    query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    if vectors is not None and isinstance(index, faiss.IndexFlat) and len(vectors) == index.ntotal:
        return _exact(vectors, query[0], k)
    rerank = vectors is not None and is_compressed(index)
    with _one_thread():
        shortlist = k * (RERANK if isinstance(index, faiss.IndexIVFPQ) else SQ8_RERANK) if rerank else k
        scores, ids = index.search(query, min(shortlist, index.ntotal))
    found = ids[0][ids[0] >= 0]
    if not rerank:
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
    rows = np.sort(found)  # in order: a memory map then reads forward
    if is_memory_mapped(vectors) and vectors.nbytes > _page_cache_share():
        _prefetch(vectors, rows)
    exact = np.asarray(vectors[rows] @ query[0], dtype=np.float32)
    best = np.lexsort((rows, -exact))[:k]  # best cosine first, lower row on ties
    return [(int(rows[i]), float(exact[i])) for i in best]


def _exact(vectors: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    """What an exact index answers, from the floats it was built from: one BLAS matrix-vector product is
    about twice as fast as FAISS's scan for a single query (0.5 vs 1.1 ms at 10k rows), and needs no
    OpenMP set-up (0.2 ms a search on a busy machine)."""
    scores = vectors @ query
    rows = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    best = rows[np.lexsort((rows, -scores[rows]))]  # best cosine first, lower row on ties
    return [(int(row), float(scores[row])) for row in best]


def is_memory_mapped(array: np.ndarray) -> bool:
    """Whether the array is a view of a memory-mapped file (search_index.read_vectors, np.load(mmap_mode=))."""
    owner = array
    while owner is not None:
        if isinstance(owner, mmap.mmap):
            return True
        owner = owner.obj if isinstance(owner, memoryview) else getattr(owner, "base", None)
    return False


@functools.cache
def _page_cache_share() -> float:
    """Bytes of floats above which the re-ranked rows are prefetched: a quarter of this machine's memory.
    `search_index.load` reads every file whole to check its digest, so a smaller matrix sits in the page
    cache, where asking the kernel for its pages again only costs the calls (0.3 ms a search at 100k)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 4
    except (ValueError, OSError):
        return 0.0


@functools.cache
def _madvise():
    try:
        call = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return None
    call.argtypes, call.restype = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int], ctypes.c_int
    return call if hasattr(mmap, "MADV_WILLNEED") else None


def _prefetch(vectors: np.ndarray, rows: np.ndarray) -> None:
    """Ask the kernel for the pages of these rows of a memory-mapped matrix all at once (MADV_WILLNEED),
    before reading them: when they are not in the page cache the re-rank then waits for one round of
    reads issued together instead of a hundred reads one after the other (a 10M index's floats are 15 GB
    and mostly on disk). A hint: when it cannot be given, the rows are read as they come."""
    madvise = _madvise()
    if madvise is None or not vectors.flags.c_contiguous:
        return
    base, stride, page = vectors.ctypes.data, vectors.strides[0], mmap.PAGESIZE
    begin = end = -1
    for row in rows.tolist():  # sorted: neighbouring rows sharing pages become one call
        start = base + row * stride
        start -= start % page
        if start > end:
            if end > begin:
                madvise(begin, end - begin, mmap.MADV_WILLNEED)
            begin = start
        end = max(end, base + (row + 1) * stride)
    if end > begin:
        madvise(begin, end - begin, mmap.MADV_WILLNEED)
