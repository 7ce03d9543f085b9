"""A folder mixing PDF, HTML, Word, Markdown and plain text, used as a user would: `chatbot chat --jsonl`
answers from each format with exact citations (page for PDF, anchor for HTML), `chatbot text DOC` prints
what the offsets index, and files that cannot be read are skipped with one line each."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_CORPUS, run_chatbot

from chatbot.chunking import block_sentences
from chatbot.readers import read_document

DATA = Path(__file__).parent / "data"
MIXED = {
    "manual.pdf": DATA / "pdf" / "debian-reference-sample.pdf",
    "web/ch08.en.html": DATA / "html" / "ch08.en.html",
    "standards.docx": DATA / "docx" / "standards-cut.docx",
}

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "corpus"
    shutil.copytree(FIXTURE_CORPUS, folder)  # the .md and .txt
    for name, source in MIXED.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)
    (folder / "broken.pdf").write_bytes(MIXED["manual.pdf"].read_bytes()[:2000])  # cut off mid-way
    (folder / "renamed.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)  # a zip that is no Word file
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    return folder


def _a_long_sentence(doc_id: str, folder: Path) -> tuple[str, int]:
    """A long sentence from the middle of a paragraph of the document (found by its reader, not typed
    here), and its offset: asked verbatim, it can only be answered from that document."""
    document = read_document(folder / doc_id, doc_id)
    paragraphs = [b for b in document.blocks if b.kind == "paragraph"]
    for block in paragraphs[len(paragraphs) // 3:]:
        for sentence in block_sentences(document.text, block):
            words = document.text[sentence.start:sentence.end].split()
            if 14 <= len(words) <= 40 and document.text[sentence.start:sentence.end].endswith("."):
                return " ".join(words), sentence.start
    raise AssertionError(f"no long sentence in {doc_id}")


@pytest.fixture(scope="module")
def conversation(mixed_folder: Path, tmp_path_factory: pytest.TempPathFactory):
    asked = {doc: _a_long_sentence(doc, mixed_folder) for doc in MIXED}
    index = tmp_path_factory.mktemp("mixed-index")
    lines = "".join(f"{sentence}\n" for sentence, _ in asked.values())
    result = run_chatbot("chat", "--jsonl", "--corpus", str(mixed_folder), "--index", str(index), input=lines,
                         timeout=600)
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    return asked, replies, result.stderr, index


def test_each_format_answers_with_exact_citations(mixed_folder, conversation):
    asked, replies, _, _ = conversation
    assert len(replies) == len(asked)
    for (doc, (_, offset)), reply in zip(asked.items(), replies, strict=True):
        assert reply["kind"] == "answer", (doc, reply)
        cited = [c for c in reply["citations"] if c["doc"] == doc]
        assert cited, f"{doc} answers its own sentence: {reply}"
        text = run_chatbot("text", doc, "--corpus", str(mixed_folder)).stdout
        for c in cited:
            assert text[c["start"]:c["end"]] == c["quote"]
        assert any(c["start"] <= offset < c["end"] for c in cited), "the asked sentence is quoted"
        assert all(c["title"] for c in cited), "every citation names its document's title"


def test_pdf_citations_give_the_page_and_html_citations_the_anchor(mixed_folder, conversation):
    asked, replies, _, _ = conversation
    by_doc = dict(zip(asked, replies, strict=True))
    pdf = read_document(mixed_folder / "manual.pdf", "manual.pdf")
    for c in (c for c in by_doc["manual.pdf"]["citations"] if c["doc"] == "manual.pdf"):
        assert c["page"] == pdf.page_at(c["start"]) and c["page"] >= 1
        assert "anchor" not in c
    html = read_document(mixed_folder / "web/ch08.en.html", "web/ch08.en.html")
    for c in (c for c in by_doc["web/ch08.en.html"]["citations"] if c["doc"] == "web/ch08.en.html"):
        assert c["anchor"] and c["anchor"] == html.anchor_at(c["start"]) and "page" not in c
        assert " › " in c["section"], "the section is the heading path"


def test_unreadable_files_are_skipped_with_one_line_each_and_the_rest_answer(conversation):
    _, replies, stderr, _ = conversation
    skipped = [line for line in stderr.splitlines() if line.startswith("chatbot: skipping ")]
    assert sorted(line.split()[2].rstrip(":") for line in skipped) == ["broken.pdf", "photo.jpg", "renamed.docx"]
    assert "Traceback" not in stderr and all(r["kind"] == "answer" for r in replies)


def test_an_unchanged_folder_is_not_read_again(mixed_folder, conversation):
    _, _, _, index = conversation
    result = run_chatbot("ask", "anything about the documents?", "--corpus", str(mixed_folder), "--index", str(index))
    assert result.returncode == 0
    assert "building" not in result.stderr and "rebuilding" not in result.stderr
    # skipped files are still named, from what the index remembers, without reading them again
    assert sum(line.startswith("chatbot: skipping ") for line in result.stderr.splitlines()) == 3


def test_a_file_that_takes_too_long_to_read_is_skipped_and_the_rest_are_read(tmp_path):
    """PDF/HTML/Word are read in worker processes with a time limit each: a stuck reader cannot hang a build."""
    from chatbot.corpus import read_documents

    # a page long enough that its reading outlasts the pool's first look at the clock (a small PDF had been
    # read, now and then, before the time limit was checked)
    slow = tmp_path / "manual.html"
    slow.write_text("<html><body>" + "<p>A paragraph of the manual, one of very many.</p>" * 100_000
                    + "</body></html>", encoding="utf-8")
    quick = tmp_path / "notes.txt"
    quick.write_text("Notes\n\nA short note that reads at once.\n", encoding="utf-8")
    documents, skipped = read_documents({"manual.html": slow, "notes.txt": quick}, seconds=0.0001)
    assert [d.id for d in documents] == ["notes.txt"]
    assert skipped == {"manual.html": "reading it took longer than 0.0001 s"}
