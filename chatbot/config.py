"""Where things are and how the bot is set up: one dataclass of defaults, overridable by
environment variables (CHATBOT_CORPUS, CHATBOT_INDEX) and then by CLI flags."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    corpus: Path
    index: Path

    @classmethod
    def from_env(cls, corpus: str | None = None, index: str | None = None) -> Paths:
        return cls(
            corpus=Path(corpus or os.environ.get("CHATBOT_CORPUS") or "corpus"),
            index=Path(index or os.environ.get("CHATBOT_INDEX") or "index"),
        )
