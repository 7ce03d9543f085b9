"""Scale benchmarks: what a dialogue turn costs as the corpus grows, and vector search far past it.

Turn curve. Embedding 100k real passages takes hours on this machine, so the corpora are synthetic,
assembled from real text: sentences and headings of the repository's documents (the seed corpus, the
eval corpora, tests/data) and of the real manuals when `eval/real/prepare.sh` has fetched them, shuffled
into documents of 8 sections x 5 paragraphs. Their index vectors come from a cheap deterministic stand-in
of the model's dimension (384): each distinct source sentence is encoded once by the real model, a
sentence's vector is that one, and a passage's is the normalised mean of its sentences'. The questions are
encoded by the real model, as in use. A turn's cost depends on how many passages there are and on the
FAISS index type, not on which vectors they hold. Each size is served by a fresh process that loads the
saved index, so its load time and peak RSS are its own.

Large index. `clustered_vectors` (benchmarks/run.py) at the largest size that fits beside other work,
indexed the way `vector_store.build_vector_index` chooses, searched one query at a time.

    python -m benchmarks.scale                      # the turn curve at 1k, 10k, 100k passages
    python -m benchmarks.scale --large 2000000      # the large-index rows (minutes; 4+ GB of RAM)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .run import REPO, Row, _env, _log, ms, percentile

SOURCES = ("corpus", "eval/other/corpus", "eval/holdout_other/corpus", "tests/data/text", "tests/data/fixture_corpus",
           "eval/real/corpora/txt")
QUESTION_FILES = ("eval/conversations.jsonl", "eval/questions.jsonl", "eval/other/conversations.jsonl",
                  "eval/other/questions.jsonl", "eval/holdout_other/questions.jsonl")
SECTIONS_PER_DOCUMENT, PARAGRAPHS_PER_SECTION = 8, 5
POOL_SENTENCES = 2_000  # distinct source sentences, each encoded once by the real model (about a minute)
CACHE = REPO / "benchmarks" / ".work"  # the real model's vectors of the source sentences, kept between runs


class StandIn:
    """Names the ready-made vectors in the manifest; never asked to encode."""

    identity = "stand-in: mean of real sentence vectors"
    dimension = 384

    def encode(self, texts):
        raise RuntimeError("the stand-in embedder has no model: vectors are passed in ready-made")


# ---------------------------------------------------------------- synthetic corpus


def sentence_pool() -> tuple[list[str], list[str]]:
    """(distinct prose sentences, distinct section titles) of the real documents at hand: every one of
    the repository's sentences (the questions are about them), then a sample of the manuals' sentences."""
    from chatbot.chunking import chunk_corpus
    from chatbot.corpus import corpus_files, read_documents

    sentences: dict[str, None] = {}
    titles: dict[str, None] = {}
    own = 0
    for source in SOURCES:
        folder = REPO / source
        if source == SOURCES[-1]:
            own = len(sentences)
        if not folder.is_dir():
            continue
        documents, _ = read_documents(corpus_files(folder))
        texts = {d.id: d.text for d in documents}
        for passage in chunk_corpus(documents):
            titles.setdefault(" ".join(passage.section.split()))
            for s in passage.sentences:
                sentence = " ".join(texts[passage.doc][s.start:s.end].split())
                if not s.is_list_item and 20 <= len(sentence) <= 400:
                    sentences.setdefault(sentence)
    pool = list(sentences)
    if len(pool) > POOL_SENTENCES:
        pool = pool[:own] + random.Random(0).sample(pool[own:], max(0, POOL_SENTENCES - own))
    return pool, [t for t in titles if t]


def pool_vectors(sentences: list[str]) -> np.ndarray:
    """The real model's vector of each sentence, cached on disk by the pool's content."""
    key = hashlib.blake2b("\n".join(sentences).encode("utf-8"), digest_size=8).hexdigest()
    path = CACHE / f"sentence-vectors-{key}.npy"
    if path.is_file():
        return np.load(path)
    from chatbot.embeddings import PackagedMiniLM

    _log(f"turn curve: encoding {len(sentences)} source sentences once (cached in {CACHE})")
    vectors = PackagedMiniLM().encode(sentences)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def synthetic_document(doc_id: str, count: int, sentences: list[str], titles: list[str], rng: random.Random):
    """(Document, its passages, the pool sentence behind each of their sentences): `count` paragraphs of
    2-6 pool sentences under headings, with offsets exactly as the chunker would give them."""
    from chatbot.records import Block, Document, Passage, Sentence

    parts: list[str] = []
    blocks: list[Block] = []
    passages: list[Passage] = []
    used: list[int] = []
    offset = 0
    for section in range(SECTIONS_PER_DOCUMENT):
        title = rng.choice(titles)
        parts.append(title + "\n\n")
        blocks.append(Block("heading", offset, offset + len(title), 1))
        offset += len(title) + 2
        for _ in range(PARAGRAPHS_PER_SECTION):
            if len(passages) == count:
                break
            chosen = rng.sample(range(len(sentences)), rng.randint(2, 6))
            paragraph = " ".join(sentences[i] for i in chosen)
            spans, cursor = [], offset
            for i in chosen:
                spans.append(Sentence(cursor, cursor + len(sentences[i])))
                cursor += len(sentences[i]) + 1
            passages.append(Passage(f"{doc_id}#{len(passages)}", doc_id, title, section, offset,
                                    offset + len(paragraph), paragraph, tuple(spans)))
            parts.append(paragraph + "\n\n")
            blocks.append(Block("paragraph", offset, offset + len(paragraph)))
            offset += len(paragraph) + 2
            used.extend(chosen)
    document = Document(doc_id, "".join(parts), title=passages[0].section, blocks=tuple(blocks))
    return document, passages, used


def synthetic_index(passages: int, sentences: list[str], titles: list[str], vectors: np.ndarray, seed: int = 0):
    """A SearchIndex of `passages` synthetic passages in documents of 8 sections x 5 paragraphs, built by
    search_index.build from ready-made vectors (see the module's docstring)."""
    from chatbot.chunking import ChunkSettings
    from chatbot.search_index import build

    rng = random.Random(seed)
    documents, chunked, hashes, sentence_ids = [], {}, {}, []
    per_document = SECTIONS_PER_DOCUMENT * PARAGRAPHS_PER_SECTION
    for d in range((passages + per_document - 1) // per_document):
        count = min(per_document, passages - d * per_document)
        document, doc_passages, used = synthetic_document(f"synthetic/doc_{d:05d}.txt", count, sentences, titles, rng)
        documents.append(document)
        hashes[document.id] = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        chunked[(document.id, hashes[document.id])] = doc_passages
        sentence_ids.extend(used)
    sentence_vectors = vectors[np.asarray(sentence_ids)]
    counts = [len(p.sentences) for ps in chunked.values() for p in ps]
    sums = np.add.reduceat(sentence_vectors, np.cumsum([0] + counts[:-1]), axis=0)
    passage_vectors = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    return build(documents, StandIn(), ChunkSettings(), chunked=chunked, file_hashes=hashes,
                 vectors=(passage_vectors, sentence_vectors))


def curve_questions(count: int = 100) -> list[str]:
    """`count` distinct questions about the source documents: conversations first (they carry
    follow-ups and picks), then single questions."""
    found: dict[str, None] = {}
    for name in QUESTION_FILES:
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            for text in [t["user"] for t in item.get("turns", [])] or [item.get("q", "")]:
                if text:
                    found.setdefault(text)
    return list(found)[:count]


# ---------------------------------------------------------------- turn curve


def serve_turns(index_dir: Path, questions: list[str]) -> dict:
    """In this process: load the index, stream the questions through one conversation as `chat --jsonl`
    does, and time each turn against encoding its question alone (interleaved)."""
    from chatbot.dialogue import Conversation, Engine
    from chatbot.embeddings import PackagedMiniLM
    from chatbot.search_index import load

    embedder = PackagedMiniLM()
    embedder.encode(["warm up"])
    start = time.perf_counter()
    index = load(index_dir)
    loaded = time.perf_counter() - start
    engine = Engine(index, embedder)
    ready = time.perf_counter() - start
    kinds: dict[str, int] = {}
    conversation = Conversation(engine)
    for question in questions[:10]:  # warm caches (the model's first calls are slower)
        conversation.send(question)
    conversation = Conversation(engine)
    turns, encodes = [], []
    for question in questions:
        engine.retriever.forget_recent()
        start = time.perf_counter()
        reply = conversation.send(question)
        turns.append(time.perf_counter() - start)
        start = time.perf_counter()
        embedder.encode([question])
        encodes.append(time.perf_counter() - start)
        kinds[reply.kind] = kinds.get(reply.kind, 0) + 1
    return {"passages": len(index.passages), "sentences": len(index.sentence_vectors), "load": loaded,
            "engine": ready - loaded, "turns": turns, "encodes": encodes, "kinds": kinds,
            "faiss": index.manifest.get("faiss_index", ""),
            "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def turn_curve(sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> list[Row]:
    """Turn latency ÷ the encode floor at each corpus size, each served by a fresh process."""
    from chatbot.search_index import save

    sentences, titles = sentence_pool()
    vectors = pool_vectors(sentences)
    questions = curve_questions()
    results = []
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        for size in sizes:
            _log(f"turn curve: {size:,} passages")
            start = time.perf_counter()
            index = synthetic_index(size, sentences, titles, vectors)
            save(index, work / str(size))
            built = time.perf_counter() - start
            del index
            out = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--serve", str(work / str(size)),
                                  *questions], capture_output=True, text=True, check=True, env=_env(), cwd=REPO)
            result = json.loads(out.stdout.splitlines()[-1])
            result["built"] = built
            results.append(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return curve_rows(results, len(sentences))


def curve_rows(results: list[dict], pool: int) -> list[Row]:
    rows = []
    targets = {10_000: "≤ 1.2x", 100_000: "≤ 1.5x"}
    for r in results:
        n = r["passages"]
        p50, p95 = percentile(r["turns"], 0.5), percentile(r["turns"], 0.95)
        e50, e95 = percentile(r["encodes"], 0.5), percentile(r["encodes"], 0.95)
        kinds = ", ".join(f"{v} {k}" for k, v in sorted(r["kinds"].items()))
        rows.append(Row(f"turn at {n:,} synthetic passages ({r['sentences']:,} sentences): p50 / p95 ÷ encoding "
                        "the question alone", f"{p50 / e50:.2f}x / {p95 / e95:.2f}x", targets.get(n, "—"),
                        f"p50 {ms(p50)} vs {ms(e50)}, p95 {ms(p95)} vs {ms(e95)}; {len(r['turns'])} distinct "
                        f"questions in one conversation ({kinds}); {r['faiss']}; load {r['load']:.1f} s + engine "
                        f"{r['engine']:.1f} s; peak RSS {r['rss_kib'] / 1024:.0f} MB"))
    if len(results) >= 2:
        small, large = results[0], results[-1]
        per = 100_000 / (large["passages"] - small["passages"])
        load = (large["load"] + large["engine"] - small["load"] - small["engine"]) * per
        rss = (large["rss_kib"] - small["rss_kib"]) / 1024 * per
        rows.append(Row("serving cost per 100k passages: load time (index + engine); peak RSS",
                        f"{load:.1f} s; {rss:.0f} MB", "—",
                        f"slope from {small['passages']:,} to {large['passages']:,} passages; synthetic text from "
                        f"{pool:,} real sentences, stand-in vectors (see benchmarks/scale.py)"))
    return rows


# ---------------------------------------------------------------- large index


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int = 10, block: int = 200_000) -> np.ndarray:
    """The true k nearest rows of each query, block by block: a flat index would copy every vector."""
    best_rows = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for begin in range(0, len(vectors), block):
        scores = queries @ vectors[begin:begin + block].T
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        rows = np.concatenate([best_rows, top + begin], axis=1)
        scores = np.concatenate([best_scores, np.take_along_axis(scores, top, axis=1)], axis=1)
        order = np.argsort(-scores, axis=1)[:, :k]
        best_rows, best_scores = np.take_along_axis(rows, order, axis=1), np.take_along_axis(scores, order, axis=1)
    return best_rows


def large_index(n: int, queries: int = 200, target: int = 10_000_000) -> list[Row]:
    """The compressed tier at `n` clustered vectors (the largest that fits beside other work), one k=10
    query at a time as the bot asks, re-ranked from the float vectors; extrapolated to `target`."""
    import faiss

    from chatbot import vector_store

    from .run import clustered_vectors, queries_near

    _log(f"large index: {n:,} vectors")
    vectors = clustered_vectors(n)
    asked = queries_near(vectors, queries)
    truth = exact_top(vectors, asked)
    start = time.perf_counter()
    index = vector_store.build_vector_index(vectors, flat_up_to=min(vector_store.FLAT_IVF_UP_TO, n - 1))
    build = time.perf_counter() - start
    times, recalls = [], []
    for query, true_rows in zip(asked, truth, strict=True):
        start = time.perf_counter()
        found = vector_store.search(index, query, 10, vectors)
        times.append(time.perf_counter() - start)
        recalls.append(len({row for row, _ in found} & set(true_rows.tolist())) / 10)
    p50, recall = float(np.median(times)), float(np.mean(recalls))
    memory = faiss.serialize_index(index).nbytes
    centroids = index.nlist * index.d * 4
    lists_at_target = round(vector_store.LISTS_PER_SQRT_N * target ** 0.5)
    memory_at_target = (memory - centroids) / n * target + lists_at_target * index.d * 4
    # a query scans nprobe lists of about n / nlist = sqrt(n) / 2 rows, and the quantizer's nlist centroids:
    # both grow as sqrt(n); the re-ranking of k x RERANK rows does not
    p50_at_target = p50 * (target / n) ** 0.5
    floats = n * index.d * 4
    return [
        Row(f"large index, {n:,} × 384 clustered vectors: p50 of one k=10 query; recall@10 against exact; "
            "index memory", f"{p50 * 1000:.2f} ms; recall {recall:.3f}; {memory / 1e9:.2f} GB",
            "p50 ≤ 10 ms, recall ≥ 0.9, ≤ 1.5 GB",
            f"{vector_store.describe(index)}; {memory / n:.0f} B a vector against {floats / n:.0f} B as floats; "
            f"built in {build:.0f} s; {queries} queries, shortlists re-ranked from the float vectors"),
        Row(f"large index extrapolated to {target:,} vectors: p50; index memory",
            f"≈ {p50_at_target * 1000:.1f} ms; ≈ {memory_at_target / 1e9:.2f} GB", "p50 ≤ 10 ms, ≤ 1.5 GB",
            f"p50 × sqrt({target:,} / {n:,}) (lists scanned grow as sqrt(n)), a pessimistic bound as the "
            f"re-rank part stays fixed; memory: codes and ids per vector × {target:,} + {lists_at_target} "
            "centroids; recall assumed to hold, as nprobe and lists grow together"),
    ]


def rows(curve: tuple[int, ...] = (1_000, 10_000, 100_000), large: int = 0) -> list[Row]:
    """What `make bench` adds: the turn curve, and the large index when asked for (minutes, GBs)."""
    out = turn_curve(curve) if curve else []
    if large:
        out += large_index(large)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the worker: index folder, then questions
    parser.add_argument("--sizes", default="1000,10000,100000", help="passages of the turn curve")
    parser.add_argument("--large", type=int, default=0, help="vectors of the large-index run (0: skip)")
    args, rest = parser.parse_known_args(argv)
    if args.serve:
        print(json.dumps(serve_turns(args.serve, rest)))
        return 0
    for r in rows(tuple(int(s) for s in args.sizes.split(",") if s), args.large):
        print(f"| {r.measure} | {r.ratio} | {r.target} | {r.detail} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
