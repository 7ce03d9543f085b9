"""`chatbot index --ray`: the build's reading, chunking and embedding on a local Ray instance write the
same index as the single-process build: same documents, passages and offsets, vectors within 1e-5, the
same answers, and unchanged files and vectors still reused. The tests start and stop their own Ray."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURE_CORPUS, SEED_CORPUS, run_chatbot

from chatbot.chunking import ChunkSettings
from chatbot.dialogue import Conversation, Engine
from chatbot.distributed import LOCAL_OBJECT_STORE_BYTES, WORKER_ENV, RayBuild, shards
from chatbot.embeddings import HashingEmbedder
from chatbot.search_index import CURRENT_LINK, load, open_index

pytestmark = pytest.mark.ray
DATA = Path(__file__).resolve().parent / "data"
QUESTIONS = ["What is a CDMO?", "how is it priced?", "CDMO model", "2", "What is DrugPatentWatch?",
             "What is the capital of Australia?", "What is the difference between a CDMO and a CMO?"]


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray instance for this module's in-process builds, stopped at the end."""
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
    ray.init(address="local", num_cpus=2, include_dashboard=False, object_store_memory=LOCAL_OBJECT_STORE_BYTES,
             runtime_env={"env_vars": WORKER_ENV}, logging_level=logging.WARNING, log_to_driver=False)
    yield ray
    ray.shutdown()
    assert not ray.is_initialized()


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> Path:
    """Every format, one file that cannot be read, and enough files to make several shards."""
    corpus = tmp_path / "mixed"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    for source in ["html/ch08.en.html", "docx/ch08.docx", "pdf/gnu-standards-sample.pdf", "pdf/encrypted.pdf",
                   "text/debian-reference-excerpt.txt", "html/apa.en.html"]:
        shutil.copy(DATA / source, corpus / Path(source).name)
    for seed in SEED_CORPUS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    return corpus


@pytest.fixture
def text_corpus(tmp_path: Path) -> Path:
    """Four text files: several shards, quick to read."""
    corpus = tmp_path / "texts"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    for seed in SEED_CORPUS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    return corpus


def _stored(folder: Path) -> dict:
    build = folder / CURRENT_LINK
    return {name: json.loads((build / name).read_text(encoding="utf-8"))
            for name in ("documents.json", "passages.json", "text_keys.json", "manifest.json")}


def _same_index(single: Path, on_ray: Path, tolerance: float) -> None:
    a, b = _stored(single), _stored(on_ray)
    for name in ("documents.json", "passages.json", "text_keys.json"):
        assert a[name] == b[name], f"{name} differs"
    for key in ("documents", "skipped", "model", "chunking"):
        assert a["manifest.json"][key] == b["manifest.json"][key], key
    counts = [{k: v for k, v in m["manifest.json"]["counts"].items() if k != "reused_vectors"} for m in (a, b)]
    assert counts[0] == counts[1]
    for name in ("passage_vectors.npy", "sentence_vectors.npy"):
        va, vb = np.load(single / CURRENT_LINK / name), np.load(on_ray / CURRENT_LINK / name)
        assert va.shape == vb.shape and va.shape[0] > 0
        assert float(np.abs(va - vb).max()) <= tolerance, name


def test_shards_are_contiguous_balanced_and_cover_everything():
    weights = [5, 1, 1, 1, 1, 1, 5, 1]
    runs = shards(weights, 3)
    assert [i for r in runs for i in r] == list(range(len(weights)))
    assert len(runs) == 3 and all(len(r) for r in runs)
    assert max(sum(weights[i] for i in r) for r in runs) <= 7
    assert shards([1, 1], 8) == [range(0, 1), range(1, 2)]
    assert shards([], 4) == []


def test_ray_build_of_every_format_is_the_single_process_build(local_ray, mixed_corpus, tmp_path, fake_embedder,
                                                                capfd):
    single = tmp_path / "single"
    open_index(mixed_corpus, single, fake_embedder, ChunkSettings())
    single_err = capfd.readouterr().err
    with RayBuild(workers=2, make_embedder=HashingEmbedder) as workers:
        index = open_index(mixed_corpus, tmp_path / "ray", fake_embedder, ChunkSettings(), workers=workers)
    ray_err = capfd.readouterr().err
    assert "building on Ray with 2 workers" in ray_err
    # the unreadable file is skipped with the same line either way, and the rest indexed in the same order
    assert "skipping encrypted.pdf" in single_err and "skipping encrypted.pdf" in ray_err
    assert len(index.documents) == 9 and "encrypted.pdf" not in index.documents
    _same_index(single, tmp_path / "ray", tolerance=0.0)
    for p in index.passages:
        assert index.documents[p.doc].text[p.start:p.end] == p.text


def test_ray_rebuild_reads_only_changed_files_and_reuses_vectors(local_ray, text_corpus, tmp_path, fake_embedder):
    class Recording(RayBuild):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.read_files: list[str] = []
            self.embedded = 0

        def read(self, files):
            self.read_files += list(files)
            return super().read(files)

        def embed(self, embedder, texts, spans, progress):
            self.embedded += len(texts)
            return super().embed(embedder, texts, spans, progress)

    folder = tmp_path / "ray"
    first = Recording(workers=2, make_embedder=HashingEmbedder)
    with first as workers:
        open_index(text_corpus, folder, fake_embedder, ChunkSettings(), workers=workers)
    assert len(first.read_files) == 4 and first.embedded > 0
    doc = text_corpus / "tea_faq.txt"
    doc.write_text(doc.read_text() + "Can tea be frozen?\nYes, sealed tea keeps in the freezer for months.\n")

    again = Recording(workers=2, make_embedder=HashingEmbedder)
    with again as workers:
        index = open_index(text_corpus, folder, fake_embedder, ChunkSettings(), workers=workers)
    assert again.read_files == ["tea_faq.txt"], "unchanged files are not read again"
    assert again.embedded == 1, "only the new passage is embedded; every other vector is reused"
    assert index.manifest["counts"]["reused_vectors"] == index.manifest["counts"]["texts"] - 2
    single = tmp_path / "single"
    open_index(text_corpus, single, fake_embedder, ChunkSettings())
    _same_index(single, folder, tolerance=0.0)

    untouched = Recording(workers=2, make_embedder=HashingEmbedder)
    with untouched as workers:
        open_index(text_corpus, folder, fake_embedder, ChunkSettings(), workers=workers)
    assert untouched.read_files == [] and untouched._actors == [], "a current index starts no Ray workers"


def test_ray_stops_once_embedding_is_done_while_the_index_is_written(local_ray, text_corpus, tmp_path,
                                                                    fake_embedder):
    """Stopping Ray takes about a second; it is not left to the end, after the index is written, but starts
    as soon as no step needs a worker again. The index is written all the same."""
    events: list[str] = []

    class Recording(RayBuild):
        def embed(self, embedder, texts, spans, progress):
            events.append("embed")
            return super().embed(embedder, texts, spans, progress)

        def finished(self):
            events.append(f"finished; index written: {(folder / CURRENT_LINK).exists()}")
            super().finished()

    folder = tmp_path / "ray"
    build = Recording(workers=2, make_embedder=HashingEmbedder)
    with build as workers:
        index = open_index(text_corpus, folder, fake_embedder, ChunkSettings(), workers=workers)
    assert events == ["embed", "finished; index written: False"]
    assert build._actors == [] and build._stopping is None, "the workers are stopped when the build returns"
    assert load(folder).manifest["counts"] == index.manifest["counts"]


@pytest.mark.model
def test_cli_ray_build_matches_single_process_with_the_real_model(seed_index_dir, real_embedder, tmp_path):
    """`chatbot index --ray` as a user runs it: it starts a local Ray instance, builds, stops Ray; the
    real model's vectors agree with the single-process build's within 1e-5 and every answer is the same."""
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
    folder = tmp_path / "ray-index"
    result = run_chatbot("index", "--ray", "--workers", "2", "--corpus", str(SEED_CORPUS), "--index", str(folder),
                         timeout=240)
    assert result.returncode == 0, result.stderr
    assert "building on Ray with 2 workers" in result.stderr and result.stdout == ""
    _same_index(seed_index_dir, folder, tolerance=1e-5)

    single = Engine(load(seed_index_dir), real_embedder)
    on_ray = Engine(load(folder), real_embedder)
    a, b = Conversation(single), Conversation(on_ray)
    replies = [(a.send(q).to_dict(), b.send(q).to_dict()) for q in QUESTIONS]
    assert all(x == y for x, y in replies), [q for q, (x, y) in zip(QUESTIONS, replies, strict=True) if x != y]
    assert {x["kind"] for x, _ in replies} >= {"answer", "out_of_scope"}


def test_cli_says_when_ray_cannot_be_reached(tmp_path):
    result = run_chatbot("index", "--ray", "127.0.0.1:1", "--corpus", str(FIXTURE_CORPUS), "--index",
                         str(tmp_path / "index"), timeout=120)
    assert result.returncode == 2
    assert "cannot start or reach the Ray cluster at 127.0.0.1:1" in result.stderr
    assert not (tmp_path / "index" / CURRENT_LINK).exists()
