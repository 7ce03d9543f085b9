"""Which encoder runs the model: `torch` (sentence-transformers), `onnx` (ONNX Runtime, fp32) or
`onnx-int8` (ONNX Runtime, int8 MatMuls). Chosen by `--backend` or CHATBOT_BACKEND; `auto`, the
default, is the fastest backend that passes the equivalence gate (README, "Backends") when the `onnx`
extra is installed, and torch, silently, when it is not."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .embeddings import Embedder

# imported by the CLI before anything else: the model's modules are imported only when one is made

BACKENDS = ("torch", "onnx", "onnx-int8")
CHOICES = ("auto", *BACKENDS)
# The fastest backend that passes the gate (`make gate`, README "Backends"): onnx-int8 is faster but failed it.
FASTEST_PASSING = "onnx"


def requested(name: str | None = None) -> str:
    """The backend asked for: the flag, else CHATBOT_BACKEND, else auto."""
    choice = (name or os.environ.get("CHATBOT_BACKEND") or "auto").strip().lower()
    if choice not in CHOICES:
        from .embeddings import ModelUnavailable

        raise ModelUnavailable(f"unknown backend {choice!r} (from --backend or CHATBOT_BACKEND): "
                               f"choose one of {', '.join(CHOICES)}")
    return choice


def make_embedder(name: str | None = None) -> Embedder:
    """The embedder for a backend name (see `requested`). An explicit ONNX backend that cannot run stops
    with the fix; `auto` falls back to torch, with one stderr line only when the extra is installed but
    its export failed."""
    from .embeddings import ModelUnavailable, PackagedMiniLM

    choice = requested(name)
    if choice == "torch":
        return PackagedMiniLM()
    from .onnx_backend import OnnxMiniLM, onnx_installed

    if choice != "auto":
        return OnnxMiniLM(choice)
    if not onnx_installed():
        return PackagedMiniLM()
    embedder = OnnxMiniLM(FASTEST_PASSING)
    try:
        embedder.prepare()  # export now, so a failure picks torch before any index is opened
    except ModelUnavailable as exc:
        print(f"chatbot: {exc}; using the torch backend", file=sys.stderr, flush=True)
        return PackagedMiniLM()
    return embedder
