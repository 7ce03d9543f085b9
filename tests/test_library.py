"""The library without a browser: storing uploads safely (names, types by content, sizes), removing
documents, background indexing with the swap of the answering engine, a failed build, and restarts.
A fake embedder keeps these fast; the real model is used in test_library_app.py."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, assert_citations_exact

from chatbot.config import Paths
from chatbot.corpus import CorpusError, corpus_files
from chatbot.dialogue import Conversation
from chatbot.embeddings import CountingEmbedder, PriorityLock
from chatbot.library import Library, Refused, remove_file, safe_name, sniffed_format, store_file

DATA = REPO / "tests" / "data"
PDF = DATA / "pdf" / "gnu-standards-sample.pdf"
DOCX = DATA / "docx" / "ch08.docx"


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ names and content


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\evil.md", "evil.md"),
    (".hidden.txt", "hidden.txt"),
    ("résumé <script>.PDF", "résumé _script.pdf"),
    ("", "document"),
    ("a" * 300 + ".docx", "a" * 115 + ".docx"),
])
def test_names_are_made_safe_inside_the_folder(name, expected):
    assert safe_name(name) == expected


def test_a_stored_file_never_leaves_the_folder_nor_overwrites_another(tmp_path):
    corpus = tmp_path / "corpus"
    source = tmp_path / "note.txt"
    source.write_text("Kettles boil water.\n", encoding="utf-8")
    first = store_file(corpus, source, "../../note.txt")
    source.write_text("Teapots steep leaves.\n", encoding="utf-8")
    second = store_file(corpus, source, "note.txt")
    assert (first, second) == ("note.txt", "note (2).txt")
    assert folder_state(corpus) == {"note.txt": b"Kettles boil water.\n", "note (2).txt": b"Teapots steep leaves.\n"}
    assert not list(tmp_path.glob("*.txt"))[1:]  # nothing written next to the corpus folder


@pytest.mark.parametrize("source, name, reason", [
    (DATA / "pdf" / "not-a-pdf.pdf", "not-a-pdf.pdf", "not what .pdf says"),
    (DOCX, "chapter.pdf", "a Word document, not what .pdf says"),
    (PDF, "notes.txt", "a PDF, not what .txt says"),
    (PDF, "program.exe", "no reader for .exe"),
])
def test_types_are_checked_by_content_not_only_by_suffix(tmp_path, source, name, reason):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with pytest.raises(Refused, match=reason):
        store_file(corpus, source, name)
    assert folder_state(corpus) == {}


def test_a_zip_renamed_docx_and_binary_text_are_refused(tmp_path):
    import zipfile

    fake = tmp_path / "report.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    for source in (fake, binary):
        with pytest.raises(Refused, match="content is"):
            store_file(tmp_path / "corpus", source)


def test_real_files_of_every_format_are_accepted(tmp_path):
    html_file = next((DATA / "html").rglob("*.html"))
    for source in (PDF, DOCX, html_file, DATA / "fixture_corpus" / "tea_faq.txt"):
        store_file(tmp_path / "corpus", source)
    assert sorted(corpus_files(tmp_path / "corpus")) == sorted(
        p.name for p in (PDF, DOCX, html_file, DATA / "fixture_corpus" / "tea_faq.txt"))


def test_sniffing_tells_formats_apart():
    assert sniffed_format(b"%PDF-1.7\n...") == "pdf"
    assert sniffed_format(b"<!DOCTYPE html><html><body>x") == "html"
    assert sniffed_format("Plain words, café.".encode()) == "text"
    assert sniffed_format(b"abc\x00def") is None
    assert sniffed_format(b"\xff\xfe" + "hello".encode("utf-16-le")) == "text"
    assert sniffed_format(b"\xc3\x28 invalid utf-8 " * 20) is None


def test_size_limit_per_file(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 100_000, encoding="utf-8")
    with pytest.raises(Refused, match="over the limit of 0.1 MB per file"):
        store_file(tmp_path / "corpus", big, max_bytes=100_000)
    assert not (tmp_path / "corpus").exists() or folder_state(tmp_path / "corpus") == {}


def test_remove_takes_only_documents_of_the_folder(fixture_corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me", encoding="utf-8")
    before = folder_state(fixture_corpus)
    for doc in ("../secret.txt", str(secret), "missing.txt", "guides/../../secret.txt"):
        with pytest.raises(CorpusError):
            remove_file(fixture_corpus, doc)
    assert secret.exists() and folder_state(fixture_corpus) == before
    remove_file(fixture_corpus, "tea_faq.txt")
    assert "tea_faq.txt" not in corpus_files(fixture_corpus)


def test_the_last_document_cannot_be_removed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "only.txt").write_text("The only document.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="last document"):
        remove_file(corpus, "only.txt")


# ------------------------------------------------------------------ the running library


def new_document(tmp_path: Path, name: str, subject: str) -> Path:
    """A small document about a subject the fixture corpus does not cover."""
    path = tmp_path / name
    path.write_text(f"{subject.title()}\n\n{subject.title()} care\n\nThe {subject} needs weekly pruning in spring. "
                    f"Water the {subject} when the soil is dry.\n", encoding="utf-8")
    return path


@pytest.fixture
def library(fixture_corpus, tmp_path, fake_embedder):
    library = Library(Paths(fixture_corpus, tmp_path / "index"), fake_embedder)
    library.open()
    library.start()
    yield library
    library.close()


def test_an_added_file_is_answered_once_indexed_and_the_old_engine_served_meanwhile(library, tmp_path):
    old = library.engine
    doc = library.add(new_document(tmp_path, "bonsai.txt", "bonsai"))
    assert library.wait_until_indexed(60)
    assert library.engine is not old and doc not in old.index.documents
    reply = Conversation(library.engine).send("how often does the bonsai need pruning?")
    assert reply.kind == "answer" and reply.citations[0].doc == doc
    assert_citations_exact(reply, library.engine.index.documents)
    entry = next(e for e in library.entries() if e.doc == doc)
    assert entry.status == "indexed" and entry.sections >= 1 and "section" in entry.detail


def test_a_removed_file_is_no_longer_cited(library, tmp_path):
    doc = library.add(new_document(tmp_path, "bonsai.txt", "bonsai"))
    assert library.wait_until_indexed(60)
    conversation = Conversation(library.engine)
    assert conversation.send("how often does the bonsai need pruning?").citations[0].doc == doc
    library.remove(doc)
    assert library.wait_until_indexed(60)
    reply = conversation.use(library.engine).send("how often does the bonsai need pruning?")
    assert doc not in {c.doc for c in reply.citations}
    assert doc not in {e.doc for e in library.entries()}


def test_refused_and_unreadable_files_are_reported_and_never_indexed(library, tmp_path):
    with pytest.raises(Refused):
        library.add(DATA / "pdf" / "not-a-pdf.pdf")
    library.add(DATA / "pdf" / "encrypted.pdf")
    assert library.wait_until_indexed(120)
    states = {e.doc: (e.status, e.detail) for e in library.entries()}
    assert states["not-a-pdf.pdf"][0] == "refused" and "not what .pdf says" in states["not-a-pdf.pdf"][1]
    assert states["encrypted.pdf"][0] == "skipped" and "encrypted" in states["encrypted.pdf"][1]
    assert "encrypted.pdf" not in library.engine.index.documents


def test_a_file_no_reader_takes_is_listed_as_skipped_without_logging_each_time(library, capsys):
    (library.paths.corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    capsys.readouterr()
    for _ in range(3):  # the panel asks every second
        states = {e.doc: (e.status, e.detail) for e in library.entries()}
    assert states["old.doc"][0] == "skipped" and "no reader for .doc" in states["old.doc"][1]
    assert "old.doc" not in capsys.readouterr().err


class FailingEmbedder(CountingEmbedder):
    """Fails once it has been armed: a crash in the middle of a build."""

    armed = False

    def encode(self, texts):
        if self.armed:
            raise RuntimeError("simulated crash while embedding")
        return super().encode(texts)


def test_a_failed_build_leaves_the_last_good_index_and_the_file_is_indexed_at_the_next_start(
        fixture_corpus, tmp_path, fake_embedder):
    paths = Paths(fixture_corpus, tmp_path / "index")
    failing = FailingEmbedder(fake_embedder)
    library = Library(paths, failing)
    library.open()
    library.start()
    good = library.engine
    failing.armed = True
    doc = library.add(new_document(tmp_path, "bonsai.txt", "bonsai"))
    assert library.wait_until_indexed(60)
    library.close()
    assert library.engine is good  # still answering from the last good index
    entry = next(e for e in library.entries() if e.doc == doc)
    assert entry.status == "waiting" and "simulated crash" in entry.detail

    restarted = Library(paths, CountingEmbedder(fake_embedder))  # the next start
    restarted.open()
    assert doc not in restarted.engine.index.documents  # serving at once, from the last good index
    restarted.start()
    assert restarted.wait_until_indexed(60)
    restarted.close()
    assert doc in restarted.engine.index.documents


def test_a_restart_rebuilds_nothing(library, tmp_path, fake_embedder):
    library.add(new_document(tmp_path, "bonsai.txt", "bonsai"))
    assert library.wait_until_indexed(60)
    before = [(e.doc, e.status, e.detail) for e in library.entries()]
    counting = CountingEmbedder(fake_embedder)
    restarted = Library(library.paths, counting)
    restarted.open()
    assert counting.calls == 0 and [(e.doc, e.status, e.detail) for e in restarted.entries()] == before


def test_a_pick_of_a_removed_document_is_forgotten(library, tmp_path):
    doc = library.add(new_document(tmp_path, "bonsai.txt", "bonsai"))
    assert library.wait_until_indexed(60)
    conversation = Conversation(library.engine)
    conversation.send("how often does the bonsai need pruning?")
    assert conversation.state.last_doc == doc
    library.remove(doc)
    assert library.wait_until_indexed(60)
    conversation.use(library.engine)
    assert conversation.state.last_doc == ""


# ------------------------------------------------------------------ questions before builds


def _nice(thread_id: int) -> int:
    """A thread's nice value, from Linux's /proc (field 19 of its stat line)."""
    return int(Path(f"/proc/self/task/{thread_id}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="thread priorities are read from Linux's /proc")
def test_background_indexing_runs_at_the_lowest_cpu_priority_and_chats_keep_theirs(library, tmp_path):
    serving = _nice(threading.get_native_id())
    worker = library._worker.native_id
    deadline = time.monotonic() + 5
    while _nice(worker) != 19 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _nice(worker) == 19  # the build, and the model threads and reader processes it starts
    library.add(new_document(tmp_path, "fern.txt", "fern"))
    assert library.wait_until_indexed(60)
    assert _nice(threading.get_native_id()) == serving  # the threads answering questions are untouched



def test_a_waiting_question_goes_before_the_next_build_batch():
    lock = PriorityLock()
    order: list[str] = []
    in_batch = threading.Event()
    release = threading.Event()

    def build():
        with lock.build():
            in_batch.set()
            release.wait(5)
            order.append("batch 1")
        with lock.build():
            order.append("batch 2")

    builder = threading.Thread(target=build)
    builder.start()
    in_batch.wait(5)

    def ask():
        with lock.question():
            order.append("question")

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.1)  # the question is waiting for the lock
    release.set()
    builder.join(5)
    asker.join(5)
    assert order == ["batch 1", "question", "batch 2"]

