"""The equivalence gate a backend passes before it may be the default (README, "Backends").

1. Vectors (tests/test_backends.py, and `eval/backend_gate.py`): on a fixed sample of real text, every
   passage vector and every sentence vector pooled in its passage has cosine >= MIN_COSINE[backend] to
   the torch backend's, and their mean is >= MEAN_COSINE[backend].
2. Answers (`eval/backend_gate.py`, `make gate`): on the held-out evaluation sets, each with an index
   built by the backend itself, >= 98% of replies are unchanged (same kind, same cited spans) and no
   metric is worse than torch's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embeddings import Span, embed_with_spans

# fp32 ONNX runs the same arithmetic in another order: it must give torch's vectors. int8 MatMuls move
# vectors a little; the bounds are what keeps answers unchanged on the held-out sets (measured there).
MIN_COSINE = {"onnx": 0.9999, "onnx-int8": 0.97}
MEAN_COSINE = {"onnx": 0.99999, "onnx-int8": 0.99}
UNCHANGED_ANSWERS = 0.98

REPO = Path(__file__).resolve().parent.parent
# committed corpora of three kinds (FAQ, guides, manuals) that the tests can always read
SAMPLE_CORPORA = (REPO / "corpus", REPO / "eval" / "other" / "corpus", REPO / "eval" / "holdout_other" / "corpus")


@dataclass(frozen=True)
class Agreement:
    vectors: int
    mean: float
    min: float

    def passes(self, backend: str) -> bool:
        return self.min >= MIN_COSINE[backend] and self.mean >= MEAN_COSINE[backend]

    def __str__(self) -> str:
        return f"{self.vectors} vectors, cosine to torch mean {self.mean:.5f}, min {self.min:.5f}"


def sample(corpora: Sequence[Path] = SAMPLE_CORPORA, limit: int = 400) -> tuple[list[str], list[list[Span]]]:
    """Passage texts as the index embeds them, with their sentences' spans: every passage of the corpora,
    spread evenly down to `limit`."""
    from .chunking import ChunkSettings, chunk_corpus
    from .corpus import read_corpus
    from .search_index import _sentence_spans

    passages = [p for folder in corpora for p in chunk_corpus(read_corpus(folder), ChunkSettings())]
    step = max(1, len(passages) // limit)
    texts, spans = [], []
    for passage in passages[::step][:limit]:
        texts.append(passage.embedding_text())
        spans.append(_sentence_spans(passage, texts[-1]))  # exactly the spans an index build pools
    return texts, spans


def agreement(reference, candidate, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> Agreement:
    """Cosines between two embedders' passage and sentence vectors for the same texts."""
    ref_texts, ref_spans = embed_with_spans(reference, texts, spans)
    new_texts, new_spans = embed_with_spans(candidate, texts, spans)
    a = np.concatenate([ref_texts, *[np.stack(v) for v in ref_spans if v]])
    b = np.concatenate([new_texts, *[np.stack(v) for v in new_spans if v]])
    cosines = np.sum(a * b, axis=1)
    return Agreement(len(cosines), float(cosines.mean()), float(cosines.min()))
