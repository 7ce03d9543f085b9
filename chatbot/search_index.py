"""Build, save and load the index folder: vectors, FAISS, BM25, passages and a manifest.

Rules (see ARCHITECTURE.md): each build is written to its own folder and published by
atomically replacing the `current` link, so readers never see half an index. On load, a
manifest that does not match the corpus, model or chunker means rebuild; a file that fails its
checksum or fails to read means rebuild from the corpus, with one line on stderr. Unchanged
passages reuse their vectors and their sentences' vectors from the previous build (keyed by content
hash), so a small corpus change re-embeds only what changed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mmap
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import bm25s
import faiss
import numpy as np

from . import sentence_lexicon, vector_store
from .chunking import ChunkSettings, chunk_document
from .corpus import corpus_files, file_hash, no_documents, read_documents, report_skipped
from .embeddings import Embedder, Span, embed_with_spans
from .records import Block, Document, Passage, Sentence
from .text import TOKENIZER_VERSION, passage_terms

FORMAT_VERSION = 8  # 3: sentence_lexicon.npz; 4: with its cross-references; 5: 'See X about …'; 6: 'In this paper, …';
# 7: 'More details about X can be found in Section N'; 8: words groff broke at a line end are whole for the word index
CURRENT_LINK = "current"
EMPTY_PASSAGE_TOKEN = "\u2400"  # bm25s needs a token in every passage; no text yields this one


REQUIRED_FILES = ("documents.json", "passages.json", "text_keys.json", "passage_vectors.npy", "sentence_vectors.npy",
                  "dense.faiss", "lexical/params.index.json", sentence_lexicon.FILE)


# Called as a build goes: (stage, done, total), stage "reading", "embedding" or "saving".
Progress = Callable[[str, int, int], None]


class IndexUnusable(RuntimeError):
    """A stored index cannot be used (reason in the message); the caller rebuilds."""


class IndexStale(IndexUnusable):
    """A stored index is sound but was built from another corpus, model or settings; the caller rebuilds."""


class IndexUnwritable(RuntimeError):
    """The index folder cannot be written; the message names the folder and the fix."""


@dataclass
class SearchIndex:
    """Everything retrieval needs, in memory; a loaded index's vectors are memory-mapped (read_vectors)."""

    documents: dict[str, Document]
    passages: list[Passage]
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray  # one row per sentence, passages' sentences in order
    sentence_offsets: np.ndarray  # passage i's sentences are rows [offsets[i], offsets[i+1])
    dense: faiss.Index
    lexical: bm25s.BM25
    manifest: dict
    text_keys: list[str]  # content hash of each embedded text: passages, then sentences
    sentence_lexicon: sentence_lexicon.SentenceLexicon  # which sentences hold which terms; which offer angles

    def sentence_rows(self, passage_number: int) -> range:
        return range(int(self.sentence_offsets[passage_number]), int(self.sentence_offsets[passage_number + 1]))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    """The file's sha256, read a block at a time: a large index's vectors (15 GB at 10M passages) are
    never held in memory whole."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_vectors(path: Path) -> np.ndarray:
    """A stored vector matrix (a .npy file), memory-mapped read-only: serving reads only the rows it
    scores (a compressed index's shortlist, a candidate's sentences), so at millions of passages the
    floats stay on disk and in the page cache instead of in the process's memory. The map is marked for
    random access: a row read from disk then brings in its own page, not the 128 KB around it."""
    header = np.load(path, mmap_mode="r", allow_pickle=False)  # reads and checks the header
    if not isinstance(header, np.memmap) or header.ndim != 2 or not header.flags.c_contiguous:
        raise ValueError(f"{path.name} is not a row-major matrix")
    if header.size == 0:
        return np.zeros(header.shape, dtype=header.dtype)
    with open(path, "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)  # stays open after the file closes
    if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_RANDOM"):
        mapped.madvise(mmap.MADV_RANDOM)
    return np.frombuffer(mapped, dtype=header.dtype, count=header.size, offset=header.offset).reshape(header.shape)


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _log(message: str) -> None:
    print(f"chatbot: {message}", file=sys.stderr, flush=True)


def _versions() -> dict:
    out = {}
    for package in ("faiss-cpu", "bm25s", "sentence-transformers", "numpy", "pysbd"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[package] = metadata.version(package)
    return out


def expected_manifest(file_hashes: dict[str, str], embedder: Embedder, settings: ChunkSettings) -> dict:
    """The parts of a manifest that must match for a stored index to be current: `file_hashes` holds the
    sha256 of every corpus file's bytes (read or skipped), by document id."""
    return {
        "format": FORMAT_VERSION,
        "model": embedder.identity,
        # which encoder made the vectors; not compared itself: backends whose vectors agree share an identity
        "backend": getattr(embedder, "backend", None),
        "dimension": embedder.dimension,
        "chunking": settings.as_dict(),
        "tokenizer": TOKENIZER_VERSION,
        "documents": dict(file_hashes),
    }


def text_hashes(documents: list[Document]) -> dict[str, str]:
    """Stand-in file hashes for documents that were not read from files (tests, benchmarks)."""
    return {d.id: _sha256(d.text.encode("utf-8")) for d in documents}


def _by(manifest: dict) -> str:
    return f" (backend {manifest['backend']})" if manifest.get("backend") else ""


def staleness(stored: dict, expected: dict) -> str | None:
    """Why a stored manifest is not current, or None when it is."""
    if stored.get("format") != expected["format"]:
        return "it was written by another version of chatbot"
    if stored.get("model") != expected["model"] or stored.get("dimension") != expected["dimension"]:
        return (f"it was built with model {stored.get('model')}{_by(stored)}, not {expected['model']}"
                f"{_by(expected)}, whose vectors differ")
    code = ("readers_code", "chunking_code")
    if any(stored.get("chunking", {}).get(key) != expected["chunking"][key] for key in code):
        return "this version of chatbot reads or splits documents differently"
    if stored.get("chunking") != expected["chunking"] or stored.get("tokenizer") != expected["tokenizer"]:
        return "the chunking or tokenizer settings changed"
    old, new = stored.get("documents", {}), expected["documents"]
    changed = sorted(set(old) ^ set(new) | {d for d in set(old) & set(new) if old[d] != new[d]})
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        return f"the corpus changed ({shown})"
    return None


# ---------------------------------------------------------------- build


def chunk_documents(documents: Sequence[Document], settings: ChunkSettings) -> list[list[Passage]]:
    return [chunk_document(document, settings) for document in documents]


def embed_in_batches(embedder: Embedder, texts: Sequence[str], spans: Sequence[Sequence[Span]], progress: bool
                     ) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """Each text's vector and its spans' vectors (see embed_with_spans), a model batch at a time."""
    from tqdm import tqdm

    batch = 256
    vectors: list[np.ndarray] = []
    span_vectors: list[list[np.ndarray]] = []
    bar = tqdm(total=len(texts), desc="embedding", unit="passage", file=sys.stderr,
               disable=not progress or len(texts) < batch, leave=False)
    for begin in range(0, len(texts), batch):
        part_vectors, part_spans = embed_with_spans(embedder, texts[begin:begin + batch], spans[begin:begin + batch])
        vectors.append(part_vectors)
        span_vectors.extend(part_spans)
        bar.update(len(part_spans))
    bar.close()
    return (np.concatenate(vectors) if vectors else np.zeros((0, embedder.dimension), np.float32)), span_vectors


@dataclass(frozen=True)
class Workers:
    """Who reads, chunks and embeds during a build: by default this process. Each step maps a list to a
    list of the same length and order, so it can be cut into shards and run elsewhere (chatbot.distributed
    runs them on Ray) and the index comes out the same."""

    read: Callable[[dict[str, Path]], tuple[list[Document], dict[str, str]]] = read_documents
    chunk: Callable[[Sequence[Document], ChunkSettings], list[list[Passage]]] = chunk_documents
    embed: Callable[[Embedder, Sequence[str], Sequence[Sequence[Span]], bool],
                    tuple[np.ndarray, list[list[np.ndarray]]]] = embed_in_batches
    # called once the build needs no step again: a pool of workers can stop while the index is written
    finished: Callable[[], None] = lambda: None


IN_PROCESS = Workers()


def build(documents: list[Document], embedder: Embedder, settings: ChunkSettings,
          cache: dict[str, np.ndarray] | None = None, progress: bool = False,
          chunked: dict[tuple[str, str], list[Passage]] | None = None, file_hashes: dict[str, str] | None = None,
          skipped: dict[str, str] | None = None, workers: Workers = IN_PROCESS,
          vectors: tuple[np.ndarray, np.ndarray] | None = None, on_progress: Progress | None = None
          ) -> SearchIndex:
    """Chunk and embed the documents; passages of unchanged documents (`chunked`, keyed by document
    id and text hash) and vectors of texts the previous index had are reused. `skipped`: files that could
    not be read, with why, remembered so an unchanged one is not read again. `vectors`: ready-made passage
    and sentence vectors, in passage order, for every passage (benchmarks at a scale the model cannot embed
    in time); the embedder then only names them."""
    chunked = chunked or {}
    file_hashes = file_hashes or text_hashes(documents)
    todo = [d for d in documents if (d.id, file_hashes[d.id]) not in chunked]
    fresh = dict(zip([d.id for d in todo], workers.chunk(todo, settings) if todo else [], strict=True))
    passages = []
    for document in documents:
        reused = chunked.get((document.id, file_hashes[document.id]))
        passages.extend(reused if reused is not None else fresh[document.id])
    if vectors is None:
        passage_vectors, sentence_vectors, keys, reused = _embed_with_cache(passages, embedder, cache or {}, progress,
                                                                            workers.embed, on_progress)
    else:
        passage_vectors, sentence_vectors = (np.ascontiguousarray(v, dtype=np.float32) for v in vectors)
        _, _, passage_keys, sentence_keys = _keys(passages)
        keys, reused = passage_keys + [k for row in sentence_keys for k in row], 0
        if len(passage_vectors) != len(passages) or len(sentence_vectors) != len(keys) - len(passages):
            raise ValueError("ready-made vectors must hold one row per passage and one per sentence")
    workers.finished()
    offsets = np.cumsum([0] + [len(p.sentences) for p in passages]).astype(np.int64)

    manifest = expected_manifest(file_hashes, embedder, settings)
    dense = vector_store.build_vector_index(passage_vectors) if len(passages) else faiss.IndexFlatIP(
        embedder.dimension)
    lexical = _build_lexical(passages)
    by_id = {d.id: d for d in documents}
    lexicon = sentence_lexicon.build(by_id, passages, getattr(lexical, "vocab_dict", None) or {})
    manifest.update({
        "counts": {"documents": len(documents), "passages": len(passages),
                   "sentences": int(offsets[-1]), "texts": len(keys), "reused_vectors": reused},
        "faiss_index": vector_store.describe(dense),
        "skipped": dict(skipped or {}),
        "versions": _versions(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    return SearchIndex(by_id, passages, passage_vectors, sentence_vectors, offsets, dense, lexical, manifest, keys,
                       lexicon)


def _embed_with_cache(passages: list[Passage], embedder: Embedder, cache: dict[str, np.ndarray], progress: bool,
                      embed: Callable = embed_in_batches, on_progress: Progress | None = None
                      ) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Passage vectors, sentence vectors (passages' sentences in order), the cache key of each (passages,
    then sentences) and how many were reused. A sentence's vector depends on its passage (it is pooled in
    context), so its key is its passage's text plus its place in it; a passage is embedded again, with
    its sentences, unless all its keys are cached."""
    texts, spans, passage_keys, sentence_keys = _keys(passages)
    # one of each distinct passage text and sentence split: two editions of a manual (its PDF and its Word
    # file) can hold the same text split into sentences apart, and each split's vectors are needed
    todo = list({(key, *sentence_keys[i]): i for i, key in enumerate(passage_keys)
                 if key not in cache or any(k not in cache for k in sentence_keys[i])}.values())
    # Longest first across the whole build: each model batch then holds texts of like length, so
    # little of it is padding (an embedder sorts only within one call).
    todo.sort(key=lambda i: -len(texts[i]))
    fresh: dict[str, np.ndarray] = {}
    if todo:
        step = 32 if on_progress else len(todo)  # smaller steps when someone watches the progress
        for begin in range(0, len(todo), step):
            chunk = todo[begin:begin + step]
            vectors, span_vectors = embed(embedder, [texts[i] for i in chunk], [spans[i] for i in chunk], progress)
            for i, vector, row in zip(chunk, vectors, span_vectors, strict=True):
                fresh[passage_keys[i]] = vector
                fresh.update(zip(sentence_keys[i], row, strict=True))
            if on_progress:
                on_progress("embedding", begin + len(chunk), len(todo))
    flat_sentence_keys = [k for row in sentence_keys for k in row]
    keys = passage_keys + flat_sentence_keys
    reused = sum(1 for k in keys if k not in fresh)
    passage_vectors = _stack([fresh.get(k, cache.get(k)) for k in passage_keys], embedder.dimension)
    sentence_vectors = _stack([fresh.get(k, cache.get(k)) for k in flat_sentence_keys], embedder.dimension)
    return passage_vectors, sentence_vectors, keys, reused


def _keys(passages: list[Passage]) -> tuple[list[str], list[list[tuple[int, int]]], list[str], list[list[str]]]:
    """Each passage's embedding text, its sentences' spans in it, and the cache keys of both."""
    texts = [p.embedding_text() for p in passages]
    spans = [_sentence_spans(p, text) for p, text in zip(passages, texts, strict=True)]
    passage_keys = [_text_key(t) for t in texts]
    sentence_keys = [[_text_key(f"{t}\x00{a}:{b}") for a, b in row] for t, row in zip(texts, spans, strict=True)]
    return texts, spans, passage_keys, sentence_keys


def _sentence_spans(passage: Passage, embedding_text: str) -> list[tuple[int, int]]:
    """Each sentence's place in the passage's embedding text (which may start with the section title)."""
    shift = len(embedding_text) - len(passage.text) - passage.start
    return [(s.start + shift, s.end + shift) for s in passage.sentences]


def _stack(vectors: list[np.ndarray], dimension: int) -> np.ndarray:
    if not vectors:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.ascontiguousarray(np.stack(vectors), dtype=np.float32)


def _build_lexical(passages: list[Passage]) -> bm25s.BM25:
    lexical = bm25s.BM25()
    corpus_tokens = [list(passage_terms(p.embedding_text())) or [EMPTY_PASSAGE_TOKEN] for p in passages]
    if corpus_tokens:
        lexical.index(corpus_tokens, show_progress=False)
    return lexical


# ---------------------------------------------------------------- save / load


def save(index: SearchIndex, folder: Path) -> Path:
    """Write a new build folder and atomically point `folder/current` at it."""
    build_dir = Path(folder, f"build-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        build_dir.mkdir()
        _write_build(index, build_dir)
        link = folder / CURRENT_LINK
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)  # a folder where the link belongs (copied by hand): the link replaces it
        link_tmp = folder / f".{CURRENT_LINK}-{os.getpid()}-{time.monotonic_ns()}"
        os.symlink(build_dir.name, link_tmp)
        os.replace(link_tmp, link)  # the atomic step
    except OSError as exc:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise IndexUnwritable(f"cannot write the index at {folder} ({exc.strerror or exc}): make it writable, "
                              "free some space, or point --index at another folder") from exc
    _remove_leftovers(folder, keep=build_dir.name)
    return build_dir


def _write_build(index: SearchIndex, build_dir: Path) -> None:
    documents = [{
        "id": d.id, "text": d.text, "title": d.title, "format": d.format, "pages": list(d.pages),
        "moved": [list(span) for span in d.moved],
        "blocks": [[b.kind, b.start, b.end, b.level, b.numbering, b.anchor] for b in d.blocks],
    } for d in index.documents.values()]
    (build_dir / "documents.json").write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    passages = [{
        "id": p.id, "doc": p.doc, "section": p.section, "section_index": p.section_index,
        "start": p.start, "end": p.end, "sentences": [[s.start, s.end, s.is_list_item] for s in p.sentences],
        "path": p.path,
    } for p in index.passages]
    (build_dir / "passages.json").write_text(json.dumps(passages), encoding="utf-8")
    (build_dir / "text_keys.json").write_text(json.dumps(index.text_keys), encoding="utf-8")
    np.save(build_dir / "passage_vectors.npy", index.passage_vectors)
    np.save(build_dir / "sentence_vectors.npy", index.sentence_vectors)
    faiss.write_index(index.dense, str(build_dir / "dense.faiss"))
    index.lexical.save(str(build_dir / "lexical"))
    sentence_lexicon.save(index.sentence_lexicon, build_dir)
    manifest = dict(index.manifest)
    manifest["files"] = {path.relative_to(build_dir).as_posix(): _file_sha256(path)
                         for path in sorted(build_dir.rglob("*")) if path.is_file()}
    _write_synced(build_dir / "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _remove_leftovers(folder: Path, keep: str) -> None:
    """Older builds and temporary links, including those a crashed build left behind."""
    for child in folder.iterdir():
        if child.name.startswith("build-") and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)
        elif child.name.startswith(f".{CURRENT_LINK}-") and child.is_symlink():
            with contextlib.suppress(OSError):
                child.unlink()


def load(folder: Path, expected: dict | None = None) -> SearchIndex:
    """Read the current build, documents included; raises IndexStale when it does not match `expected`
    (the manifest this corpus, model and settings would have) and IndexUnusable when anything is missing
    or damaged."""
    link = folder / CURRENT_LINK
    if not link.exists():
        if link.is_symlink():
            raise IndexUnusable(f"its `{CURRENT_LINK}` link points to {os.readlink(link)}, which is gone")
        raise IndexUnusable("no index has been built yet")
    build_dir = link.resolve()  # once: a rebuild in another process may swap the link while we read
    try:
        manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnusable(f"its manifest cannot be read ({type(exc).__name__})") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise IndexUnusable("its manifest is not one chatbot writes")
    if expected is not None:
        reason = staleness(manifest, expected)
        if reason:
            raise IndexStale(reason)
    try:
        missing = [name for name in REQUIRED_FILES if name not in manifest["files"]]
        if missing:
            raise IndexUnusable(f"its manifest does not list {', '.join(missing)}")
        for name, digest in manifest["files"].items():
            if _file_sha256(build_dir / name) != digest:
                raise IndexUnusable(f"{name} does not match its checksum")
        raw_passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
        passage_vectors = read_vectors(build_dir / "passage_vectors.npy")
        sentence_vectors = read_vectors(build_dir / "sentence_vectors.npy")
        dense = faiss.read_index(str(build_dir / "dense.faiss"))
        lexical = bm25s.BM25.load(str(build_dir / "lexical"))
        text_keys = json.loads((build_dir / "text_keys.json").read_text(encoding="utf-8"))
        raw_documents = json.loads((build_dir / "documents.json").read_text(encoding="utf-8"))
        documents = {d.id: d for d in _documents(raw_documents)}
        passages = _passages(raw_passages, documents)
        lexicon = sentence_lexicon.load(build_dir, sum(len(p.sentences) for p in passages))
    except IndexUnusable:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as exc:
        raise IndexUnusable(f"cannot read it ({type(exc).__name__}: {exc})") from exc

    offsets = np.cumsum([0] + [len(p.sentences) for p in passages]).astype(np.int64)
    if (len(passages) != len(passage_vectors) or dense.ntotal != len(passages)
            or int(offsets[-1]) != len(sentence_vectors)
            or len(text_keys) != len(passage_vectors) + len(sentence_vectors)
            or int(lexical.scores.get("num_docs", len(passages))) != len(passages)):
        raise IndexUnusable("its parts disagree on the number of passages")
    if passage_vectors.shape[1:] != (manifest.get("dimension"),) or dense.d != manifest.get("dimension"):
        raise IndexUnusable("its vectors do not have the dimension its manifest names")
    return SearchIndex(documents, passages, passage_vectors, sentence_vectors, offsets, dense,
                       lexical, manifest, text_keys, lexicon)


def _documents(raw_documents: list[dict]) -> list[Document]:
    return [Document(raw["id"], raw["text"], title=raw["title"], format=raw["format"], pages=tuple(raw["pages"]),
                     moved=tuple(tuple(span) for span in raw.get("moved", ())),
                     blocks=tuple(Block(kind, start, end, level, numbering, anchor)
                                  for kind, start, end, level, numbering, anchor in raw["blocks"]))
            for raw in raw_documents]


def _passages(raw_passages: list[dict], by_id: dict[str, Document]) -> list[Passage]:
    passages = []
    for raw in raw_passages:
        if raw["doc"] not in by_id:
            raise IndexUnusable("it refers to documents the corpus does not have")
        text = by_id[raw["doc"]].text
        if not 0 <= raw["start"] <= raw["end"] <= len(text):
            raise IndexUnusable(f"a passage lies outside {raw['doc']}")
        passages.append(Passage(
            id=raw["id"], doc=raw["doc"], section=raw["section"], section_index=raw["section_index"],
            start=raw["start"], end=raw["end"], text=text[raw["start"]:raw["end"]],
            sentences=tuple(Sentence(s, e, bool(item)) for s, e, item in raw["sentences"]), path=raw.get("path", ""),
        ))
    return passages


@contextlib.contextmanager
def _build_lock(folder: Path):
    """One builder at a time per index folder, across processes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / ".lock", "a+")  # closed below, once unlocked
    except OSError as exc:
        raise IndexUnwritable(f"cannot write the index at {folder} ({exc.strerror or exc}): make it writable "
                              "or point --index at another folder") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / CURRENT_LINK / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _load_if_current(folder: Path, expected: dict) -> tuple[SearchIndex | None, str]:
    """(index, "") when the stored index is current and sound, else (None, why not; "" when there is none)."""
    link = folder / CURRENT_LINK
    if not link.exists() and not link.is_symlink():
        return None, ""
    try:
        return load(folder, expected), ""
    except IndexStale as exc:
        return None, f"index at {folder} is out of date: {exc}"
    except IndexUnusable as exc:
        return None, f"index at {folder} is unusable: {exc}"


def read_vector_cache(folder: Path, model: str) -> dict[str, np.ndarray]:
    """Vectors of the stored build keyed by the hash of their text; empty when unreadable or
    made by another model (its vectors would not be comparable)."""
    manifest = read_manifest(folder)
    build_dir = folder / CURRENT_LINK
    if not manifest or manifest.get("model") != model:
        return {}
    try:
        for name in ("text_keys.json", "passage_vectors.npy", "sentence_vectors.npy"):
            if _file_sha256(build_dir / name) != manifest["files"][name]:
                return {}
        keys = json.loads((build_dir / "text_keys.json").read_text(encoding="utf-8"))
        vectors = np.concatenate([np.load(build_dir / "passage_vectors.npy", allow_pickle=False),
                                  np.load(build_dir / "sentence_vectors.npy", allow_pickle=False)])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if len(keys) != len(vectors):
        return {}
    return dict(zip(keys, vectors, strict=True))


def read_document_cache(folder: Path, file_hashes: dict[str, str]) -> tuple[dict[str, Document], dict[str, str]]:
    """(documents, skipped reasons) of the stored build whose files are unchanged: read files are not read
    again (a PDF's extraction takes seconds), and a file that could not be read is not tried again."""
    manifest = read_manifest(folder)
    current, stored_chunking = ChunkSettings().as_dict(), (manifest or {}).get("chunking", {})
    if not manifest or manifest.get("format") != FORMAT_VERSION or any(
            stored_chunking.get(key) != current[key] for key in ("readers", "readers_code")):
        return {}, {}
    stored = manifest.get("documents", {})
    unchanged = {d for d, digest in file_hashes.items() if stored.get(d) == digest}
    build_dir = folder / CURRENT_LINK
    try:
        if _file_sha256(build_dir / "documents.json") != manifest["files"]["documents.json"]:
            return {}, {}
        documents = _documents(json.loads((build_dir / "documents.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return {}, {}
    skipped = {d: reason for d, reason in manifest.get("skipped", {}).items() if d in unchanged}
    return {d.id: d for d in documents if d.id in unchanged}, skipped


def read_passage_cache(folder: Path, documents: list[Document],
                       expected: dict) -> dict[tuple[str, str], list[Passage]]:
    """Passages of the stored build keyed by (document id, file hash), when it was chunked with the
    same settings: sentence splitting is most of a rebuild's time, so unchanged documents skip it."""
    manifest = read_manifest(folder)
    if not manifest or any(manifest.get(key) != expected[key] for key in ("format", "chunking")):
        return {}
    build_dir = folder / CURRENT_LINK
    stored = manifest.get("documents", {})
    unchanged = {d.id: d for d in documents if stored.get(d.id) == expected["documents"].get(d.id)}
    try:
        if _file_sha256(build_dir / "passages.json") != manifest["files"]["passages.json"]:
            return {}
        raw_passages = json.loads((build_dir / "passages.json").read_text(encoding="utf-8"))
        passages = _passages([raw for raw in raw_passages if raw["doc"] in unchanged], unchanged)
    except (OSError, ValueError, KeyError, TypeError, IndexUnusable):
        return {}
    out: dict[tuple[str, str], list[Passage]] = {}
    for passage in passages:
        out.setdefault((passage.doc, stored[passage.doc]), []).append(passage)
    return out


def open_index(corpus: Path, folder: Path, embedder: Embedder, settings: ChunkSettings = ChunkSettings(),
               force: bool = False, progress: bool = False, workers: Workers = IN_PROCESS,
               on_progress: Progress | None = None) -> SearchIndex:
    """The current index for this corpus: loaded when fresh, otherwise (re)built and saved. Only files
    whose bytes changed are read again. `workers` does the reading, chunking and embedding."""
    files = corpus_files(corpus)
    hashes = {doc_id: file_hash(path) for doc_id, path in files.items()}
    expected = expected_manifest(hashes, embedder, settings)
    if not force:
        index, _ = _load_if_current(folder, expected)
        if index is not None:
            _check_readable(corpus, index)
            return index
    with _build_lock(folder):
        # another process may have built it while we waited for the lock
        index, reason = (None, "") if force else _load_if_current(folder, expected)
        if index is not None:
            _check_readable(corpus, index)
            return index
        known, skipped = ({}, {}) if force else read_document_cache(folder, hashes)
        to_read = {d: p for d, p in files.items() if d not in known and d not in skipped}
        if on_progress:
            on_progress("reading", 0, len(to_read))
        fresh, fresh_skipped = workers.read(to_read)
        skipped.update(fresh_skipped)
        documents = sorted([*known.values(), *fresh], key=lambda d: d.id)
        report_skipped({d: skipped[d] for d in files if d in skipped})
        if not documents:
            raise no_documents(corpus)
        if force:
            _log(f"rebuilding the index at {folder} from {corpus}")
        elif reason:
            _log(f"{reason}: rebuilding from {corpus}")
        else:
            _log(f"building the index at {folder} from {corpus}")
        cache = read_vector_cache(folder, embedder.identity)
        chunked = read_passage_cache(folder, documents, expected)
        built = build(documents, embedder, settings, cache=cache, progress=progress, chunked=chunked,
                      file_hashes=hashes, skipped={d: skipped[d] for d in files if d in skipped}, workers=workers,
                      on_progress=on_progress)
        if on_progress:
            on_progress("saving", 0, 1)
        save(built, folder)
        return built


def _check_readable(corpus: Path, index: SearchIndex) -> None:
    """A current index still says which files it skipped, and why, each time it is opened."""
    report_skipped(index.manifest.get("skipped", {}))
    if not index.documents:
        raise no_documents(corpus)
