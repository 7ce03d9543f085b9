"""One number per reply: the estimated chance that the best passage found is the one that answers.

A logistic model over a few measurements of the best hit (how close it is in meaning, how much of the
question it holds, how far it stands above other sections, how many of the question's words the
documents never use). It was fitted by `training/confidence.py` on public FAQs from Debian's packages,
never on an evaluation set: each FAQ question was asked of its FAQ with the question headings hidden
(so a question cannot find itself), and with some sections removed (so the documents cannot answer
their questions, which are close to the domain). The coefficients live in `confidence_model.json`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .answer import lead
from .records import Hit

MODEL_FILE = Path(__file__).with_name("confidence_model.json")
FEATURES = ("dense", "sentence_cosine", "coverage", "lead", "unknown_share", "names_unknown", "unanswered")


@dataclass(frozen=True)
class Evidence:
    """What the confidence is computed from: the ranked hits and what the question says."""

    hits: Sequence[Hit]
    unknown_share: float  # share of the question's term weight that no document uses
    names_unknown: bool  # the question names something no document mentions
    unanswered: float  # share of the question beyond the best passage's heading that its body lacks


def features(evidence: Evidence) -> list[float]:
    best = evidence.hits[0]
    return [best.dense, best.sentence_cosine, best.coverage, lead(evidence.hits), evidence.unknown_share,
            float(evidence.names_unknown), evidence.unanswered]


@dataclass(frozen=True)
class ConfidenceModel:
    weights: tuple[float, ...]
    bias: float

    def probability(self, values: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@lru_cache(maxsize=1)
def model() -> ConfidenceModel:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{MODEL_FILE.name} was fitted on other features: run training/confidence.py")
    return ConfidenceModel(tuple(float(w) for w in data["weights"]), float(data["bias"]))


def confidence(evidence: Evidence) -> float:
    """Estimated chance (0..1) that the best hit is the passage that answers; 0 when nothing was found."""
    if not evidence.hits:
        return 0.0
    return model().probability(features(evidence))
