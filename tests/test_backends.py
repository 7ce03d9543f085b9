"""Encoder backends (torch, onnx, onnx-int8): chosen by --backend or CHATBOT_BACKEND, torch without a word
when the onnx extra is missing, indexes rebuilt when another backend's vectors differ, and the ONNX
backends' vectors within the equivalence gate of torch's (chatbot/gate.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, SEED_CORPUS, run_chatbot

from chatbot.chunking import ChunkSettings
from chatbot.embeddings import HashingEmbedder
from chatbot.search_index import open_index, read_manifest

needs_onnx = pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import onnxruntime, tokenizers"], capture_output=True).returncode != 0,
    reason="the onnx extra is not installed")


class _Backend(HashingEmbedder):
    """A fake embedder standing for a backend: `identity` says whose vectors it makes."""

    def __init__(self, backend: str, identity: str) -> None:
        super().__init__()
        self.backend, self.identity = backend, identity


def _without_onnxruntime(tmp_path) -> dict:
    """An environment where `import onnxruntime` fails, as it does without the extra."""
    shadow = tmp_path / "shadow"
    shadow.mkdir(exist_ok=True)
    (shadow / "onnxruntime.py").write_text("raise ImportError('No module named onnxruntime')\n")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(shadow), str(REPO)])}


# ---------------------------------------------------------------- choosing, no model needed


def test_an_unknown_backend_is_refused_with_the_choices(fixture_corpus, tmp_path):
    result = run_chatbot("ask", "What is this about?", "--corpus", str(fixture_corpus), "--index",
                         str(tmp_path / "index"), env={**os.environ, "CHATBOT_BACKEND": "cuda"}, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert "unknown backend 'cuda'" in result.stderr and "torch, onnx, onnx-int8" in result.stderr
    assert not (tmp_path / "index").exists(), "nothing is built for a backend that does not exist"


def test_asking_for_onnx_without_the_extra_names_the_fix(fixture_corpus, tmp_path):
    result = run_chatbot("ask", "What is this about?", "--backend", "onnx-int8", "--corpus", str(fixture_corpus),
                         "--index", str(tmp_path / "index"), env=_without_onnxruntime(tmp_path), timeout=120)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert "pip install -e '.[onnx]'" in result.stderr and "--backend torch" in result.stderr


def test_the_flag_wins_over_the_environment(monkeypatch):
    from chatbot.backends import requested

    monkeypatch.setenv("CHATBOT_BACKEND", "onnx")
    assert requested() == "onnx"
    assert requested("TORCH") == "torch"
    monkeypatch.delenv("CHATBOT_BACKEND")
    assert requested() == "auto"


def test_auto_is_torch_without_a_word_when_the_extra_is_missing(monkeypatch, capfd):
    from chatbot import onnx_backend
    from chatbot.backends import make_embedder

    monkeypatch.setattr(onnx_backend, "onnx_installed", lambda: False)
    assert make_embedder("auto").backend == "torch"
    assert capfd.readouterr().err == ""


def test_an_index_of_vectors_another_backend_makes_differently_is_rebuilt_with_one_line(fixture_corpus, tmp_path,
                                                                                        capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, _Backend("torch", "minilm"), ChunkSettings())
    assert read_manifest(folder)["backend"] == "torch"
    capfd.readouterr()
    open_index(fixture_corpus, folder, _Backend("onnx-int8", "minilm/int8"), ChunkSettings())
    lines = capfd.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "(backend torch)" in lines[0] and "(backend onnx-int8)" in lines[0], lines
    assert read_manifest(folder)["backend"] == "onnx-int8"


def test_fp32_onnx_reads_an_index_torch_built_without_rebuilding(fixture_corpus, tmp_path, capfd):
    """The same vectors (the gate) share an identity: installing the extra later costs no rebuild."""
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, _Backend("torch", "minilm"), ChunkSettings())
    capfd.readouterr()
    index = open_index(fixture_corpus, folder, _Backend("onnx", "minilm"), ChunkSettings())
    assert capfd.readouterr().err == ""
    assert index.manifest["backend"] == "torch", "the manifest still says which backend made the vectors"


# ---------------------------------------------------------------- the real model


@pytest.fixture(scope="module")
def torch_embedder():
    from chatbot.embeddings import PackagedMiniLM

    return PackagedMiniLM()


@pytest.mark.model
@needs_onnx
@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_onnx_vectors_pass_the_gate(torch_embedder, backend):
    from chatbot.gate import MIN_COSINE, agreement, sample
    from chatbot.onnx_backend import OnnxMiniLM

    texts, spans = sample()
    found = agreement(torch_embedder, OnnxMiniLM(backend, batch_size=7), texts, spans)
    assert found.vectors > 2 * len(texts)  # passages and the sentences pooled inside them
    assert found.passes(backend), f"{backend}: {found} (bound: min {MIN_COSINE[backend]})"


@pytest.mark.model
@needs_onnx
def test_onnx_pools_sentences_like_torch_and_leaves_what_the_window_cuts_off(torch_embedder):
    from chatbot.onnx_backend import OnnxMiniLM

    tail = "The warranty lasts two years from the date of purchase."
    texts = ["Warranty terms. " + "Every clause below applies to all products. " * 60 + tail, "  Short.  "]
    spans = [[(0, 15), (len(texts[0]) - len(tail), len(texts[0]))], [(2, 8)]]
    onnx_vectors, onnx_spans = OnnxMiniLM("onnx").encode_with_spans(texts, spans)
    torch_vectors, torch_spans = torch_embedder.encode_with_spans(texts, spans)
    assert (onnx_vectors * torch_vectors).sum(axis=1).min() > 0.9999  # 256-token truncation, as torch
    assert onnx_spans[0][1] is None and torch_spans[0][1] is None, "past the window: encoded on its own"
    assert float(onnx_spans[0][0] @ torch_spans[0][0]) > 0.9999 and float(onnx_spans[1][0] @ torch_spans[1][0]) > 0.9999


@pytest.mark.model
@needs_onnx
def test_serving_on_onnx_never_imports_torch(tmp_path):
    """What keeps the server's memory below torch's: the ONNX path runs on onnxruntime and tokenizers only."""
    script = ("import sys; from pathlib import Path; from chatbot.bot import load_engine; "
              "from chatbot.config import Paths; from chatbot.dialogue import Conversation; "
              f"engine = load_engine(Paths(Path({str(SEED_CORPUS)!r}), Path({str(tmp_path / 'index')!r}))); "
              "reply = Conversation(engine).send('What is a CDMO?'); "
              "print(reply.kind, engine.retriever.embedder.backend, "
              "[m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=REPO,
                            env={**os.environ, "CHATBOT_BACKEND": "onnx-int8"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["answer", "onnx-int8", "[]"], result.stdout


@pytest.mark.model
@needs_onnx
def test_switching_backends_through_the_command(fixture_corpus, tmp_path):
    index = ["--corpus", str(fixture_corpus), "--index", str(tmp_path / "index")]
    built = run_chatbot("index", "--backend", "torch", *index)
    assert built.returncode == 0 and "vectors by torch" in built.stderr, built.stderr
    same = run_chatbot("ask", "What is this about?", "--backend", "onnx", *index)
    assert same.returncode == 0 and "rebuilding" not in same.stderr, same.stderr
    other = run_chatbot("ask", "What is this about?", *index, env={**os.environ, "CHATBOT_BACKEND": "onnx-int8"})
    assert other.returncode == 0
    assert "(backend torch)" in other.stderr and "(backend onnx-int8)" in other.stderr and "rebuilding" in other.stderr
    manifest = json.loads((tmp_path / "index" / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == "onnx-int8"


@pytest.mark.model
@needs_onnx
def test_auto_is_torch_when_onnxruntime_cannot_be_imported(fixture_corpus, tmp_path):
    result = run_chatbot("index", "--corpus", str(fixture_corpus), "--index", str(tmp_path / "index"),
                         env=_without_onnxruntime(tmp_path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 0 and len(lines) == 2, result.stderr  # "building …" and the summary: no warning
    assert lines[1].endswith("vectors by torch; encoding with torch)"), lines


@pytest.mark.model
@needs_onnx
def test_a_damaged_export_is_made_again_with_one_line(tmp_path):
    from chatbot.embeddings import find_model_dir
    from chatbot.onnx_backend import OnnxMiniLM, export_dir

    source = export_dir(find_model_dir())
    OnnxMiniLM("onnx-int8").prepare()  # the venv's own cache, exported once if it is not yet
    cache = tmp_path / "cache"
    shutil.copytree(source, cache / source.name)
    damaged = cache / source.name / "model-int8.onnx"
    damaged.write_bytes(b"not a model")
    script = ("from chatbot.onnx_backend import OnnxMiniLM; import numpy as np; "
              "v = OnnxMiniLM('onnx-int8').encode(['a question']); print(round(float(np.linalg.norm(v)), 3))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=REPO,
                            env={**os.environ, "CHATBOT_ONNX_CACHE": str(cache)})
    assert result.returncode == 0 and result.stdout.strip() == "1.0", result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be loaded" in lines[0] and "exporting it again" in lines[0], lines
    assert damaged.stat().st_size > 1_000_000


def test_exports_are_written_whole_or_not_at_all(tmp_path):
    """Two processes exporting at once each rename a whole file into place; a failed export leaves nothing."""
    import threading

    from chatbot.onnx_export import _atomic

    def writer(byte: bytes):
        def write(path):
            with path.open("wb") as handle:
                for _ in range(64):
                    handle.write(byte * 16384)
        return write

    threads = [threading.Thread(target=_atomic, args=(tmp_path, "model.onnx", writer(b))) for b in (b"a", b"b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    content = (tmp_path / "model.onnx").read_bytes()
    assert content in (b"a" * 64 * 16384, b"b" * 64 * 16384)

    def fails(path):
        path.write_bytes(b"half")
        raise RuntimeError("export failed")

    with pytest.raises(RuntimeError):
        _atomic(tmp_path, "other.onnx", fails)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"], "no partial file, no temporary left"


@pytest.mark.model
@needs_onnx
def test_the_onnx_backend_leaves_no_device_id_and_queues_no_telemetry(fixture_corpus, tmp_path):
    """onnxruntime 1.29+ keeps a device id and a queue of usage events under ~/.cache/Microsoft and uploads them
    where it can reach the internet, unless told not to before it starts: a user's machine gets neither."""
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME", "XDG_DATA_HOME")}
    result = run_chatbot("ask", "What is this about?", "--backend", "onnx", "--corpus", str(fixture_corpus),
                         "--index", str(tmp_path / "index"), env={**env, "HOME": str(home)}, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(str(path.relative_to(home)) for path in home.rglob("*")) == []
