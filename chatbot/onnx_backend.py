"""all-MiniLM-L6-v2 on ONNX Runtime, without torch: the `onnx` and `onnx-int8` backends.

The ONNX files are exported from the packaged weights once (by `chatbot.onnx_export`, in a child process,
the only step that needs torch) and cached beside the virtualenv, keyed by the weights' hash and the
onnxruntime and torch versions. Tokenising uses the model's own tokenizer.json through `tokenizers`, and
mean pooling + normalising is done here as sentence-transformers does it (modules.json: Transformer,
mean Pooling, Normalize; max_seq_length 256), so vectors match the torch backend's within the gate
(tests/test_backends.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from .embeddings import ModelUnavailable, PriorityLock, Span, _pool, find_model_dir, model_identity
from .onnx_export import FP32, INPUTS, INT8

RECIPE = 1  # bump whenever onnx_export changes what it writes: a new cache folder
VARIANTS = {"onnx": FP32, "onnx-int8": INT8}
INSTALL_HINT = "install the extra: `.venv/bin/pip install -e '.[onnx]'`"


def onnx_installed() -> bool:
    """Whether the `onnx` extra can run here (imported, not just found: a broken install counts as absent)."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def cache_root() -> Path:
    """Beside the venv (never in the repository), else the user's cache when the venv is read-only."""
    if os.environ.get("CHATBOT_ONNX_CACHE"):
        return Path(os.environ["CHATBOT_ONNX_CACHE"])
    beside_venv = Path(sys.prefix) / "share" / "chatbot-onnx"
    with contextlib.suppress(OSError):
        beside_venv.mkdir(parents=True, exist_ok=True)
        if os.access(beside_venv, os.W_OK):
            return beside_venv
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chatbot-onnx"


def weights_digest(weights: Path, root: Path) -> str:
    """sha256 of the weights, remembered per (size, mtime): hashing 90 MB on every start would cost more
    than the ONNX model saves on a short session."""
    stat = weights.stat()
    memo = root / f"weights-{stat.st_size}-{stat.st_mtime_ns}.sha256"
    with contextlib.suppress(OSError):
        digest = memo.read_text(encoding="ascii").strip()
        if len(digest) == 64:
            return digest
    with weights.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    with contextlib.suppress(OSError):
        root.mkdir(parents=True, exist_ok=True)
        temp = memo.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(digest, encoding="ascii")
        os.replace(temp, memo)
    return digest


def export_dir(model_dir: str) -> Path:
    root = cache_root()
    digest = weights_digest(Path(model_dir) / "model.safetensors", root)
    key = f"minilm-{digest[:16]}-ort{_version('onnxruntime')}-torch{_version('torch')}-r{RECIPE}"
    return root / key


def ensure_exported(model_dir: str, out_dir: Path, name: str, quiet: bool = False) -> Path:
    """The ONNX file, exported first when missing (a few seconds, once per venv)."""
    path = out_dir / name
    if path.is_file():
        return path
    if not quiet:
        print(f"chatbot: exporting the embedding model to ONNX in {out_dir} (once)", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "chatbot.onnx_export", model_dir, str(out_dir)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": _package_parent_on_path()})
    if done.returncode != 0 or not path.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ModelUnavailable(f"cannot export the embedding model to ONNX ({last}); "
                               "use --backend torch, or reinstall the onnx extra")
    return path


def _package_parent_on_path() -> str:
    """The child must import this very chatbot package, even when it is run from a source checkout."""
    here = str(Path(__file__).resolve().parent.parent)
    rest = os.environ.get("PYTHONPATH", "")
    return here + (os.pathsep + rest if rest else "")


class OnnxMiniLM:
    """all-MiniLM-L6-v2 on ONNX Runtime, fp32 (`onnx`) or with int8 MatMuls (`onnx-int8`); loaded on first
    use. Same interface as PackagedMiniLM: `encode` and `encode_with_spans`."""

    dimension = 384
    max_seq_length = 256  # sentence_bert_config.json: longer texts are truncated, as sentence-transformers does

    def __init__(self, backend: str = "onnx-int8", batch_size: int = 32, threads: int | None = None) -> None:
        if backend not in VARIANTS:
            raise ValueError(f"unknown ONNX backend {backend!r}: one of {', '.join(VARIANTS)}")
        if not onnx_installed():
            raise ModelUnavailable(f"the {backend} backend needs onnxruntime and tokenizers: {INSTALL_HINT}, "
                                   "or use --backend torch")
        self.backend = backend
        self.batch_size = batch_size
        # OMP_NUM_THREADS is what torch honours, and what Ray sets for an actor with one CPU: without it,
        # each of N actors on a node would run a pool as wide as the whole machine
        omp = os.environ.get("OMP_NUM_THREADS", "")
        self.threads = threads or (int(omp) if omp.isdigit() and int(omp) > 0 else None)
        self._model_dir = find_model_dir()
        # fp32 ONNX gives torch's vectors (the gate: cosine >= 0.9999), so it shares torch's identity and its
        # indexes; int8 vectors differ a little more, so an index built with them is another model's.
        suffix = "" if backend == "onnx" else "/onnx-int8-matmul"
        self.identity = model_identity(self._model_dir) + suffix
        self._session = None
        self._tokenizer = None
        self._load_lock = threading.Lock()
        # one forward pass at a time, questions first: a build in the background must not make chats wait
        self._encode_lock = PriorityLock()

    def for_background(self) -> OnnxMiniLM:
        """The same model in a session of its own, loaded by the thread that first uses it: onnxruntime's
        pool threads are made then and inherit that thread's CPU priority (see library.lower_priority),
        so a background build's forward passes never hold the cores a question needs."""
        return OnnxMiniLM(self.backend, self.batch_size, self.threads)

    def prepare(self) -> Path:
        """The exported ONNX file, exported now when missing; raises ModelUnavailable when it cannot be."""
        return ensure_exported(self._model_dir, export_dir(self._model_dir), VARIANTS[self.backend])

    def warm_up(self) -> None:
        if self._session is not None:
            return
        with self._load_lock:
            if self._session is None:
                self._tokenizer = self._load_tokenizer()
                self._session = self._load_session()

    def _load_tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(os.path.join(self._model_dir, "tokenizer.json"))
        tokenizer.no_padding()  # tokenizer.json pads to 128: we pad each batch to its longest text instead
        tokenizer.enable_truncation(self.max_seq_length)
        return tokenizer

    def _load_session(self):
        import onnxruntime

        path = self.prepare()
        out_dir = path.parent
        try:
            return self._session_for(onnxruntime, path)
        except Exception as exc:  # a damaged cache file: export it again, once
            print(f"chatbot: the cached ONNX model {path} cannot be loaded ({type(exc).__name__}); exporting "
                  "it again", file=sys.stderr, flush=True)
            with contextlib.suppress(OSError):
                path.unlink()
            path = ensure_exported(self._model_dir, out_dir, VARIANTS[self.backend], quiet=True)
            try:
                return self._session_for(onnxruntime, path)
            except Exception as again:
                raise ModelUnavailable(f"cannot load the ONNX model {path}: {again}; use --backend torch") from again

    def _session_for(self, onnxruntime, path: Path):
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        if self.threads:
            options.intra_op_num_threads = self.threads
        # idle threads sleep instead of spinning: on a shared machine (or beside torch) spinning threads
        # take the cores other work needs
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: stderr carries one line per event
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def _forward(self, encodings: list) -> tuple[np.ndarray, np.ndarray]:
        """Token embeddings of one batch, padded to its longest text, and the attention mask."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feeds = dict(zip(INPUTS, (ids, mask, np.zeros_like(ids)), strict=True))
        return self._session.run(None, feeds)[0], mask

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of a question (or any texts someone waits for): before any build's next batch."""
        vectors, _ = self._encode(texts, [[] for _ in texts], self.batch_size, self._encode_lock.question, False)
        return vectors

    def encode_for_build(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """The same vectors as `encode`, for an index build: in batches that give way to questions."""
        return self.encode_with_spans(texts, [[] for _ in texts], batch_size)[0]

    def encode_with_spans(self, texts: Sequence[str], spans: Sequence[Sequence[Span]], batch_size: int | None = None
                          ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """As PackagedMiniLM.encode_with_spans: each text's vector and its spans' vectors pooled from the
        same forward pass; a span past the model's window comes back as None. An index build's call: each
        batch waits while a question is waiting, and is one passage while people are chatting."""
        return self._encode(texts, spans, batch_size or self.batch_size, self._encode_lock.build, True)

    def _encode(self, texts: Sequence[str], spans: Sequence[Sequence[Span]], batch_size: int, hold, gives_way: bool
                ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        self.warm_up()
        text_vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        span_vectors: list[list[np.ndarray | None]] = [[] for _ in texts]
        if not len(texts):
            return text_vectors, span_vectors
        encodings = self._tokenizer.encode_batch(list(texts))
        # longest first, so each batch holds texts of like length and little of it is padding
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        begin = 0
        while begin < len(order):
            rows = order[begin:begin + (self._encode_lock.build_batch(batch_size) if gives_way else batch_size)]
            begin += len(rows)
            with hold():
                tokens, mask = self._forward([encodings[i] for i in rows])
            # sentence-transformers' mean pooling: padded positions count for nothing
            summed = np.einsum("btd,bt->bd", tokens, mask.astype(np.float32))
            means = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
            norms = np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
            for k, i in enumerate(rows):
                text_vectors[i] = means[k] / norms[k]
                if spans[i]:
                    length = len(encodings[i].ids)
                    span_vectors[i] = _pool(tokens[k, :length], np.asarray(encodings[i].offsets, dtype=np.int64),
                                            spans[i])
        return text_vectors, span_vectors

