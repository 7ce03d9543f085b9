"""Wire the parts together: corpus + model -> index -> Engine, ready to answer."""

from __future__ import annotations

from .backends import make_embedder
from .chunking import ChunkSettings
from .config import Paths
from .dialogue import DialogueSettings, Engine
from .embeddings import Embedder
from .search_index import open_index


def load_engine(paths: Paths, embedder: Embedder | None = None, settings: DialogueSettings | None = None,
                progress: bool = False) -> Engine:
    """Load (or build, when missing or stale) the index for `paths` and return a warm Engine. Without an
    embedder, the backend is the one CHATBOT_BACKEND names (set by --backend), else auto."""
    embedder = embedder or make_embedder()
    index = open_index(paths.corpus, paths.index, embedder, ChunkSettings(), progress=progress)
    engine = Engine(index, embedder, settings)
    engine.retriever.embed("warm up")  # load the model now, not during the first question
    return engine
