"""The library through what users touch: gradio_client (the /add_documents, /library, /remove_document
and /chat API), plain HTTP for the originals, `chatbot add` / `chatbot remove`, and the folder watcher.
Questions come from the uploaded documents' own headings, never from strings pasted here."""

from __future__ import annotations

import shutil
import time

import httpx
import pytest
from conftest import REPO, SEED_CORPUS, assert_citations_exact, run_chatbot
from gradio_client import Client, handle_file
from test_app import LOCAL, free_port, replay

from chatbot.app import build_app, start, uploads_allowed
from chatbot.config import Paths
from chatbot.dialogue import Engine
from chatbot.embeddings import CountingEmbedder
from chatbot.library import Library
from chatbot.library_panel import api_json

DATA = REPO / "tests" / "data"
PDF = DATA / "pdf" / "gnu-standards-sample.pdf"
DOCX = DATA / "docx" / "ch08.docx"


def question_for(engine: Engine, doc: str, with_page: bool = False) -> str:
    """A heading of `doc` that the engine answers from `doc` (on a page, if asked)."""
    for (section_doc, _), title in engine.sections.items():
        if section_doc != doc or len(title.split()) < 2:
            continue
        reply = replay(engine, title)[0]
        if reply.kind == "answer" and reply.citations[0].doc == doc and (reply.citations[0].page or not with_page):
            return title
    raise AssertionError(f"no heading of {doc} is answered from it")


def wait_for(client: Client, done, timeout: float = 300) -> dict:
    """Poll /library until `done(listing)`; the listing."""
    deadline = time.monotonic() + timeout
    while True:
        listing = api_json(client.predict(api_name="/library"))
        if done(listing):
            return listing
        assert time.monotonic() < deadline, listing
        time.sleep(0.3)


def states(listing: dict) -> dict[str, str]:
    return {d["doc"]: d["status"] for d in listing["documents"]}


def _seed_library(tmp_path, seed_index_dir, real_embedder) -> Library:
    """An opened library over a copy of the seed corpus and its index."""
    paths = Paths(tmp_path / "corpus", tmp_path / "index")
    shutil.copytree(SEED_CORPUS, paths.corpus)
    shutil.copytree(seed_index_dir, paths.index, symlinks=True)
    library = Library(paths, real_embedder)
    library.open()
    return library


@pytest.fixture
def served(tmp_path, seed_index_dir, real_embedder):
    """A served library over a copy of the seed corpus and its index, uploads on."""
    library = _seed_library(tmp_path, seed_index_dir, real_embedder)
    library.start()
    demo = start(build_app(library=library, uploads=True), LOCAL, free_port(), library=library, uploads=True)
    yield library, demo.local_url
    demo.close()
    library.close()


@pytest.mark.model
def test_uploads_through_the_api_are_answered_with_their_page_removed_and_kept_after_a_restart(
        served, real_embedder):
    library, url = served
    client = Client(url, verbose=False)
    added = api_json(client.predict([handle_file(str(PDF)), handle_file(str(DOCX))], api_name="/add_documents"))
    assert sorted(added["added"]) == sorted([PDF.name, DOCX.name]) and not added["refused"]
    listing = wait_for(client, lambda x: states(x).get(PDF.name) == states(x).get(DOCX.name) == "indexed")
    pdf_entry = next(d for d in listing["documents"] if d["doc"] == PDF.name)
    assert pdf_entry["pages"] >= 2 and pdf_entry["sections"] >= 2

    engine = library.engine
    pdf_question, docx_question = question_for(engine, PDF.name, with_page=True), question_for(engine, DOCX.name)
    expected = replay(engine, pdf_question)[0]
    assert expected.citations[0].page and expected.citations[0].doc == PDF.name
    assert_citations_exact(expected, engine.index.documents)
    assert client.predict(pdf_question, api_name="/chat").startswith(expected.text)

    assert api_json(client.predict(PDF.name, api_name="/remove_document")) == {"removed": PDF.name}
    wait_for(client, lambda x: PDF.name not in states(x) and not library.progress.stage == "reading")
    assert library.wait_until_indexed(120)
    assert PDF.name not in {c.doc for c in replay(library.engine, pdf_question)[0].citations}
    assert PDF.name not in client.predict(pdf_question, api_name="/chat")

    counting = CountingEmbedder(real_embedder)  # a restart: the same folders, nothing re-embedded
    restarted = Library(library.paths, counting)
    restarted.open()
    assert counting.in_context == counting.calls == 0
    reply = replay(restarted.engine, docx_question)[0]
    assert reply.kind == "answer" and reply.citations[0].doc == DOCX.name


@pytest.mark.model
def test_refused_uploads_are_listed_with_why_and_never_indexed(served, tmp_path):
    library, url = served
    client = Client(url, verbose=False)
    disguised = tmp_path / "report.pdf"
    disguised.write_bytes(DOCX.read_bytes())  # a Word file named .pdf
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ\x90\x00" + bytes(200))
    result = api_json(client.predict([handle_file(str(disguised)), handle_file(str(program))],
                                     api_name="/add_documents"))
    assert result["added"] == [] and set(result["refused"]) == {"report.pdf", "tool.exe"}
    listing = api_json(client.predict(api_name="/library"))
    refused = {d["doc"]: d["detail"] for d in listing["documents"] if d["status"] == "refused"}
    assert "Word document" in refused["report.pdf"] and "no reader for .exe" in refused["tool.exe"]
    assert not (library.paths.corpus / "report.pdf").exists()


@pytest.mark.model
def test_an_upload_over_the_size_limit_is_refused_by_the_server(served):
    library, url = served
    too_big = b"x" * (50 * 10**6 + 1)
    response = httpx.post(url.rstrip("/") + "/gradio_api/upload", files={"files": ("big.txt", too_big)})
    assert response.status_code == 413


# ------------------------------------------------------------------ originals


@pytest.mark.model
def test_originals_are_served_as_downloads_or_sandboxed_and_only_from_the_corpus(served):
    library, url = served
    base = url.rstrip("/") + "/library/original/"
    page = library.paths.corpus / "page.html"
    page.write_text("<html><body><h1>Saved page</h1><p>Some text here.</p>"
                    "<script>document.cookie</script></body></html>", encoding="utf-8")
    shutil.copy(PDF, library.paths.corpus / PDF.name)
    pdf = httpx.get(base + PDF.name)
    assert pdf.content == PDF.read_bytes() and pdf.headers["content-disposition"].startswith("attachment")
    html_page = httpx.get(base + "page.html")
    assert html_page.headers["content-security-policy"].startswith("sandbox")
    assert html_page.headers["x-content-type-options"] == "nosniff"
    text_doc = next(p for p in SEED_CORPUS.iterdir() if p.suffix == ".txt")
    assert httpx.get(base + text_doc.name).headers["content-type"].startswith("text/plain")
    for path in ("../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", ".hidden",
                 "missing.pdf"):
        response = httpx.get(base + path)
        assert response.status_code == 404 and b"root:" not in response.content, path


@pytest.mark.model
def test_originals_need_the_password_when_auth_is_on(tmp_path, real_engine, seed_index_dir, real_embedder):
    library = _seed_library(tmp_path, seed_index_dir, real_embedder)
    demo = start(build_app(library=library, uploads=True), LOCAL, free_port(), auth=("reader", "s3cret"),
                 library=library, uploads=True)
    doc = next(p.name for p in SEED_CORPUS.iterdir() if p.suffix == ".txt")
    base = demo.local_url.rstrip("/")
    try:
        assert httpx.get(f"{base}/library/original/{doc}").status_code == 401
        with httpx.Client() as signed_in:
            assert signed_in.post(f"{base}/login", data={"username": "reader", "password": "s3cret"}).is_success
            response = signed_in.get(f"{base}/library/original/{doc}")
            assert response.status_code == 200 and response.content == (SEED_CORPUS / doc).read_bytes()
    finally:
        demo.close()


# ------------------------------------------------------------------ the upload policy


def test_uploads_are_on_by_default_only_on_localhost():
    assert uploads_allowed("127.0.0.1", False, None, False, False) == (True, "")
    assert uploads_allowed("127.0.0.1", False, None, False, True)[0] is False  # --no-uploads
    shared, why = uploads_allowed("127.0.0.1", True, None, False, False)
    assert not shared and "--auth" in why and "--allow-uploads" in why
    assert uploads_allowed("0.0.0.0", False, None, False, False)[0] is False
    assert uploads_allowed("0.0.0.0", False, ("a", "b"), False, False)[0] is True
    assert uploads_allowed("0.0.0.0", True, None, True, False)[0] is True


@pytest.mark.model
def test_without_uploads_the_page_takes_no_file(tmp_path, seed_index_dir, real_embedder):
    library = _seed_library(tmp_path, seed_index_dir, real_embedder)
    demo = start(build_app(library=library, uploads=False), LOCAL, free_port(), library=library, uploads=False)
    try:
        response = httpx.post(demo.local_url.rstrip("/") + "/gradio_api/upload",
                              files={"files": ("a.txt", b"0123456789")})
        assert response.status_code == 413
        client = Client(demo.local_url, verbose=False)
        endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
        assert "/library" in endpoints and "/add_documents" not in endpoints and "/remove_document" not in endpoints
    finally:
        demo.close()


# ------------------------------------------------------------------ the shell and the folder


@pytest.mark.model
def test_chatbot_add_and_remove_from_the_shell(tmp_path, seed_index_dir):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEED_CORPUS, corpus)
    shutil.copytree(seed_index_dir, index, symlinks=True)
    where = ["--corpus", str(corpus), "--index", str(index)]
    added = run_chatbot("add", str(DOCX), str(DATA / "pdf" / "not-a-pdf.pdf"), *where)
    assert added.returncode == 1, added.stderr  # one file refused
    assert f"added {DOCX.name}" in added.stdout and "refused" in added.stderr and "not-a-pdf.pdf" in added.stderr
    assert (corpus / DOCX.name).read_bytes() == DOCX.read_bytes() and not (corpus / "not-a-pdf.pdf").exists()
    again = run_chatbot("add", str(DOCX), *where)  # the same name again: a new name, nothing overwritten
    assert again.returncode == 0 and f"added {DOCX.stem} (2){DOCX.suffix}" in again.stdout
    removed = run_chatbot("remove", f"{DOCX.stem} (2){DOCX.suffix}", *where)
    assert removed.returncode == 0, removed.stderr
    outside = run_chatbot("remove", "../corpus/" + DOCX.name, *where)
    assert outside.returncode == 2 and "no document" in outside.stderr
    assert sorted(p.name for p in corpus.iterdir()) == sorted([*(p.name for p in SEED_CORPUS.iterdir()), DOCX.name])


def test_watch_indexes_files_added_changed_and_deleted_in_the_folder(fixture_corpus, tmp_path, fake_embedder):
    from chatbot.dialogue import Conversation
    from chatbot.watch import watch_corpus

    library = Library(Paths(fixture_corpus, tmp_path / "index"), fake_embedder)
    library.open()
    library.start()
    stop = watch_corpus(library)
    try:
        time.sleep(0.5)  # the watcher is set up
        note = fixture_corpus / "bonsai.txt"
        note.write_text("Bonsai\n\nBonsai care\n\nThe bonsai needs weekly pruning in spring.\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while "bonsai.txt" not in library.engine.index.documents:
            assert time.monotonic() < deadline, "the new file was not indexed"
            time.sleep(0.1)
        reply = Conversation(library.engine).send("how often does the bonsai need pruning?")
        assert reply.citations and reply.citations[0].doc == "bonsai.txt"
        note.unlink()
        while "bonsai.txt" in library.engine.index.documents:
            assert time.monotonic() < deadline, "the deleted file is still indexed"
            time.sleep(0.1)
    finally:
        stop.set()
        library.close()
