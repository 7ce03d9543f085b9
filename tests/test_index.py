"""The index: built on first use, reused while current, rebuilt (re-embedding only what changed)
when the corpus changes, and searched without FAISS's -1 padding."""

from __future__ import annotations

import json

import numpy as np

from chatbot import vector_store
from chatbot.chunking import ChunkSettings
from chatbot.retrieval import Retriever
from chatbot.search_index import open_index, read_manifest


def test_built_on_first_use_then_reused(fixture_corpus, tmp_path, counting_embedder, capfd):
    folder = tmp_path / "empty-index"
    folder.mkdir()
    first = open_index(fixture_corpus, folder, counting_embedder, ChunkSettings())
    assert counting_embedder.calls == first.manifest["counts"]["texts"] > 0
    assert "building the index" in capfd.readouterr().err
    again = open_index(fixture_corpus, folder, counting_embedder, ChunkSettings())
    assert counting_embedder.calls == first.manifest["counts"]["texts"], "a current index is loaded, not rebuilt"
    assert [p.id for p in again.passages] == [p.id for p in first.passages]
    assert capfd.readouterr().err == ""


def test_manifest_records_model_chunking_hashes_and_counts(fake_engine, tmp_path):
    manifest = read_manifest(tmp_path / "index")
    assert manifest["model"] == "hashing/256" and manifest["dimension"] == 256
    assert set(manifest["documents"]) == {"guides/bicycle.md", "tea_faq.txt"}
    assert manifest["counts"]["passages"] == len(fake_engine.index.passages)
    assert "faiss-cpu" in manifest["versions"]


def test_corpus_change_rebuilds_and_reembeds_only_what_changed(fixture_corpus, tmp_path, counting_embedder,
                                                                capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, counting_embedder, ChunkSettings())
    capfd.readouterr()
    counting_embedder.calls = 0
    doc = fixture_corpus / "tea_faq.txt"
    doc.write_text(doc.read_text() + "Can tea be frozen?\nYes, sealed tea keeps in the freezer for months.\n")
    index = open_index(fixture_corpus, folder, counting_embedder, ChunkSettings())
    err = capfd.readouterr().err
    assert "corpus changed (tea_faq.txt)" in err and "rebuilding" in err
    assert counting_embedder.calls == 2, "only the new passage and its one sentence are embedded"
    assert any(p.section == "Can tea be frozen?" for p in index.passages)
    assert index.manifest["counts"]["reused_vectors"] == index.manifest["counts"]["texts"] - 2


def test_other_model_means_rebuild(fixture_corpus, tmp_path, fake_embedder, capfd):
    from chatbot.embeddings import HashingEmbedder

    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    capfd.readouterr()
    index = open_index(fixture_corpus, folder, HashingEmbedder(dimension=64), ChunkSettings())
    assert index.passage_vectors.shape[1] == 64
    assert "built with model hashing/256" in capfd.readouterr().err


def test_corrupted_file_rebuilds_from_corpus(fixture_corpus, tmp_path, fake_embedder, capfd):
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    passages = folder / "current" / "passages.json"
    passages.write_text(json.dumps([{"id": "garbage"}]))
    capfd.readouterr()
    index = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    assert "passages.json does not match its checksum" in capfd.readouterr().err
    for passage in index.passages:
        assert index.documents[passage.doc].text[passage.start:passage.end] == passage.text


def test_k_beyond_the_passages_returns_no_padding(fake_engine):
    index = fake_engine.index
    n = len(index.passages)
    raw = vector_store.search(index.dense, index.passage_vectors[0], n + 25)
    assert len(raw) == n and all(row >= 0 for row, _ in raw)
    hits = Retriever(index, fake_engine.retriever.embedder).search("green tea", k=n + 25)
    assert 0 < len(hits) <= n
    assert len({h.passage.id for h in hits}) == len(hits)
    assert np.isfinite([h.score for h in hits]).all()


def test_rebuild_rechunks_only_changed_documents_and_matches_a_fresh_build(fixture_corpus, tmp_path, fake_embedder,
                                                                          monkeypatch):
    from chatbot import search_index
    folder = tmp_path / "index"
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    chunked: list[str] = []
    real_chunk = search_index.chunk_document
    monkeypatch.setattr(search_index, "chunk_document", lambda d, s: chunked.append(d.id) or real_chunk(d, s))
    doc = fixture_corpus / "tea_faq.txt"
    doc.write_text(doc.read_text() + "Can tea be frozen?\nYes, sealed tea keeps in the freezer for months.\n")
    rebuilt = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    assert chunked == ["tea_faq.txt"], "the unchanged document's stored passages are reused"
    fresh = open_index(fixture_corpus, tmp_path / "fresh", fake_embedder, ChunkSettings())
    assert rebuilt.passages == fresh.passages
    assert np.array_equal(rebuilt.sentence_vectors, fresh.sentence_vectors)
    for passage in rebuilt.passages:
        text = rebuilt.documents[passage.doc].text
        assert all(text[s.start:s.end].strip() for s in passage.sentences)


def test_code_that_reads_or_chunks_differently_rereads_and_rechunks_every_document(
        fixture_corpus, tmp_path, fake_embedder, monkeypatch, capfd):
    """An upgrade whose readers or chunking changed (even without a version bump) must not keep serving the
    passages the old code cut: every document is read and chunked again, its unchanged texts' vectors reused."""
    from chatbot import chunking, search_index
    folder = tmp_path / "index"
    first = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    capfd.readouterr()
    chunked, reading = [], []
    real_chunk = search_index.chunk_document
    monkeypatch.setattr(search_index, "chunk_document", lambda d, s: chunked.append(d.id) or real_chunk(d, s))
    open_index(fixture_corpus, folder, fake_embedder, ChunkSettings())
    assert chunked == [], "same code, same files: the stored passages are reused"

    monkeypatch.setattr(chunking, "readers_digest", lambda: "other readers")
    again = open_index(fixture_corpus, folder, fake_embedder, ChunkSettings(),
                       on_progress=lambda stage, done, total: reading.append(total) if stage == "reading" else None)
    assert reading == [len(first.documents)], "every file read again"
    assert "reads or splits documents differently" in capfd.readouterr().err
    assert sorted(chunked) == sorted(first.documents), "every document chunked again"
    assert again.manifest["counts"]["reused_vectors"] == again.manifest["counts"]["texts"]


def test_a_stored_pdf_gives_a_footnote_the_page_it_is_printed_on(tmp_path, fake_embedder):
    """A footnote is written with the section that marks it, which may put it after text of the next page;
    the stored index still cites it on its own page (Document.moved), as the freshly read document does."""
    import shutil
    from pathlib import Path

    from chatbot.readers.pdf import read_pdf

    sample = Path(__file__).parent / "data" / "pdf" / "chromium-footnotes.pdf"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(sample, corpus / "pantry.pdf")
    fresh = read_pdf(sample, "pantry.pdf")
    assert fresh.moved, "the sample has notes placed away from their page's flow"
    open_index(corpus, tmp_path / "index", fake_embedder, ChunkSettings())
    stored = open_index(corpus, tmp_path / "index", fake_embedder, ChunkSettings()).documents["pantry.pdf"]
    assert stored.moved == fresh.moved
    assert [stored.page_at(b.start) for b in stored.blocks] == [fresh.page_at(b.start) for b in fresh.blocks]


def test_one_text_split_into_sentences_two_ways_builds_with_each_splits_vectors(fake_embedder):
    """Two editions of one manual (its PDF and its Word file) can hold a passage's very text while their
    structure splits it into sentences differently: the build embeds each split (it had stopped with
    "all input arrays must have the same shape"), and each sentence has the vector it has alone."""
    from chatbot.records import Block, Document
    from chatbot.search_index import build

    text = ("Variables\n\nSymbolic variables can be defined with the define statement\nundefine variable\n"
            "Variable definitions can use other variables. They are expanded when the rules load.\n")
    body, second, third, end = text.index("Symbolic"), text.index("undefine"), text.index("Variable d"), len(text) - 1
    heading = Block("heading", 0, text.index("\n"), level=1)
    one_block = Document("edition.pdf", text, blocks=(heading, Block("paragraph", body, end)), format="pdf")
    three_blocks = Document("edition.docx", text, format="docx", blocks=(
        heading, Block("paragraph", body, second - 1), Block("paragraph", second, third - 1),
        Block("paragraph", third, end)))
    both = build([one_block, three_blocks], fake_embedder, ChunkSettings())
    texts = {p.doc: p.embedding_text() for p in both.passages}
    assert texts["edition.pdf"] == texts["edition.docx"]  # the case: one text, split two ways
    splits = {p.doc: len(p.sentences) for p in both.passages}
    assert splits["edition.pdf"] < splits["edition.docx"]
    for document in (one_block, three_blocks):
        alone = build([document], fake_embedder, ChunkSettings())
        rows = [i for i, p in enumerate(both.passages) if p.doc == document.id]
        together = np.concatenate([both.sentence_vectors[both.sentence_rows(i)] for i in rows])
        assert np.allclose(together, alone.sentence_vectors)
