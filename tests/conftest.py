"""Shared fixtures: a tiny fixture corpus with a fake embedder for fast unit tests, and one
session-scoped real model and seed-corpus index for the end-to-end tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from chatbot.chunking import ChunkSettings  # noqa: E402
from chatbot.dialogue import Engine  # noqa: E402
from chatbot.embeddings import CountingEmbedder, HashingEmbedder  # noqa: E402
from chatbot.search_index import open_index  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEED_CORPUS = REPO / "corpus"
FIXTURE_CORPUS = Path(__file__).resolve().parent / "data" / "fixture_corpus"
CHATBOT = [sys.executable, "-m", "chatbot"]


@pytest.fixture
def fixture_corpus(tmp_path: Path) -> Path:
    """A private copy of the tiny fixture corpus, safe to modify."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def counting_embedder(fake_embedder: HashingEmbedder) -> CountingEmbedder:
    return CountingEmbedder(fake_embedder)


@pytest.fixture
def fake_engine(fixture_corpus: Path, tmp_path: Path, fake_embedder: HashingEmbedder) -> Engine:
    index = open_index(fixture_corpus, tmp_path / "index", fake_embedder, ChunkSettings())
    return Engine(index, fake_embedder)


@pytest.fixture(scope="session")
def real_embedder():
    """The model on the backend users get (CHATBOT_BACKEND, else auto): the same one the `chatbot` command
    runs in the end-to-end tests, so the indexes they share are never rebuilt for another backend."""
    from chatbot.backends import make_embedder

    embedder = make_embedder()
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:
    """The seed corpus indexed once with the real model, shared by the end-to-end tests."""
    folder = tmp_path_factory.mktemp("seed-index")
    open_index(SEED_CORPUS, folder, real_embedder, ChunkSettings())
    return folder


@pytest.fixture(scope="session")
def real_engine(seed_index_dir: Path, real_embedder) -> Engine:
    index = open_index(SEED_CORPUS, seed_index_dir, real_embedder, ChunkSettings())
    return Engine(index, real_embedder)


@pytest.fixture(scope="session")
def mixed_engine(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Engine:
    """Our second evaluation corpus: three unrelated documents (an espresso machine guide, a library
    policy, a cycling guide) that share no subject word, unlike the seeds."""
    corpus = Path(__file__).resolve().parent.parent / "eval" / "other" / "corpus"
    return Engine(open_index(corpus, tmp_path_factory.mktemp("mixed-index"), real_embedder, ChunkSettings()),
                  real_embedder)


def assert_citations_exact(reply, documents) -> None:
    """Every citation quotes its document exactly at its offsets."""
    for c in reply.citations:
        assert documents[c.doc].text[c.start:c.end] == c.quote, c


def engine_over(tmp_path: Path, files: dict[str, str], embedder) -> Engine:
    """An engine over a corpus of the given files (name -> text), indexed in `tmp_path`."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Engine(open_index(corpus, tmp_path / "index", embedder, ChunkSettings()), embedder)


def run_chatbot(*args: str, input: str | None = None, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """The `chatbot` command as a user runs it (python -m chatbot), from the repository folder."""
    return subprocess.run([*CHATBOT, *args], input=input, capture_output=True, text=True, timeout=timeout,
                          cwd=kwargs.pop("cwd", REPO), **kwargs)


# ------------------------------------------------------------------ helpers for the reader tests


def block_texts(doc, kind: str | None = None) -> list[str]:
    return [doc.text[b.start:b.end] for b in doc.blocks if kind is None or b.kind == kind]


def heading(doc, text: str):
    found = [b for b in doc.blocks if b.kind == "heading" and doc.text[b.start:b.end] == text]
    assert len(found) == 1, f"{text!r} is not exactly one heading: {block_texts(doc, 'heading')[:20]}"
    return found[0]


def assert_well_formed(doc) -> None:
    """Each block is its own trimmed text, in order, blank-line separated; only code keeps line breaks."""
    from chatbot.records import BLOCK_KINDS

    assert doc.blocks
    previous_end = None
    for b in doc.blocks:
        text = doc.text[b.start:b.end]
        assert b.kind in BLOCK_KINDS
        assert text and text == text.strip(), repr(text)
        if b.kind != "code":
            assert "\n" not in text and "  " not in text, repr(text)
        if previous_end is not None:
            assert doc.text[previous_end:b.start] == "\n\n"
        previous_end = b.end
