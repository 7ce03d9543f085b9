"""The shortcuts that keep a turn's cost flat as the corpus grows (the best BM25 rows by partition,
rows looked up instead of searched for) give exactly what a sort or a scan of every passage gives."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.scale import synthetic_index
from chatbot.dialogue import Engine
from chatbot.embeddings import HashingEmbedder
from chatbot.text import terms

SENTENCES = [
    "A contract manufacturer makes drugs for a sponsor under a supply agreement.",
    "The sponsor keeps the regulatory filings and owns the product.",
    "Descale the espresso machine every month with citric acid.",
    "Water the houseplant when the top of the soil is dry.",
    "Bike commuters should carry a spare tube and a pump.",
    "The library lends books for three weeks and charges no late fees.",
    "Tenants must report repairs to the landlord in writing.",
    "Pricing of manufacturing services depends on batch size and timelines.",
    "Garden plots are assigned each spring by lottery.",
    "New employees get a laptop and an account on the first day.",
    "Coffee tastes sour when the grind is too coarse.",
    "Manufacturing risks include delays, quality failures and capacity shortfalls.",
]
TITLES = ["Contracts", "Pricing", "Espresso care", "Plant care", "Commuting", "Borrowing", "Repairs", "Onboarding"]
QUESTIONS = ["how are manufacturing services priced", "descale espresso machine", "sponsor sponsor filings",
             "what does the library charge", "WireGuard tunnel", "the", "manufacturing"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    embedder = HashingEmbedder(384)
    index = synthetic_index(3_000, SENTENCES, TITLES, embedder.encode(SENTENCES))
    return Engine(index, embedder)


@pytest.mark.parametrize("question", QUESTIONS)
def test_best_bm25_rows_are_those_a_full_sort_gives(engine, question):
    retriever = engine.retriever
    known = [t for t in terms(question) if t in retriever._vocab]
    lexical = retriever._bm25(terms(question))
    if not known:
        assert lexical.top(20) == [] and lexical.get(0) == 0.0
        return
    dense = np.asarray(retriever.index.lexical.get_scores(known))
    ranked = sorted(np.flatnonzero(dense > 0).tolist(), key=lambda r: (-dense[r], r))
    for n in (1, 20, 500):
        assert lexical.top(n) == ranked[:n]


@pytest.mark.parametrize("subject", ["manufacturing", "sponsor filings", "espresso descale", "WireGuard", "the", ""])
def test_passages_holding_a_subject_are_those_whose_terms_contain_it(engine, subject):
    retriever = engine.retriever
    wanted = set(terms(subject))
    expected = {row for row in range(len(retriever.index.passages)) if wanted <= retriever.passage_terms(row)}
    assert retriever.rows_with_terms(wanted) == expected
    if subject == "manufacturing":
        assert 0 < len(expected) < len(retriever.index.passages)  # the check above is not trivially met


def test_rows_and_sections_looked_up_equal_a_scan_of_every_passage(engine):
    retriever, passages = engine.retriever, engine.index.passages
    for doc, section in list(engine.sections)[::97]:
        assert retriever.rows_of_section(doc, section) == {
            i for i, p in enumerate(passages) if p.doc == doc and p.section_index == section}
        assert retriever.rows_of_document(doc) == {i for i, p in enumerate(passages) if p.doc == doc}
        assert engine.first_section(doc) == min(index for d, index in engine.sections if d == doc)
    for title in TITLES + ["Care", "Nothing like it"]:
        wanted = terms(title)
        assert engine.sections_titled_with(wanted) == {
            key for key, heading in engine.sections.items() if set(wanted) <= set(terms(heading))}


class _Failing:
    """An embedder whose model is gone mid-session (a deleted cache, a crashed runtime)."""

    identity, dimension = "failing", 384

    def encode(self, texts):
        raise RuntimeError("the model is gone")


def test_a_question_is_encoded_once_while_the_turn_reads_it(fixture_corpus, tmp_path):
    from chatbot.chunking import ChunkSettings
    from chatbot.dialogue import Conversation
    from chatbot.embeddings import CountingEmbedder
    from chatbot.search_index import open_index

    counting = CountingEmbedder(HashingEmbedder())
    index = open_index(fixture_corpus, tmp_path / "index", counting, ChunkSettings())
    engine = Engine(index, counting)
    before = counting.calls
    reply = Conversation(engine).send("How are manufacturing services priced?")
    assert reply.kind in ("answer", "clarify", "out_of_scope")
    assert counting.calls - before == 1  # encoded ahead of the search, not again by it
    question = "what does the sponsor keep"
    engine.retriever.embed_soon(question)
    assert np.array_equal(engine.retriever.embed(question), HashingEmbedder().encode([question])[0])
    assert counting.calls - before == 2


def test_a_model_failing_while_encoding_ahead_fails_the_turn_not_the_process(fixture_corpus, tmp_path):
    from chatbot.chunking import ChunkSettings
    from chatbot.search_index import open_index

    index = open_index(fixture_corpus, tmp_path / "index", HashingEmbedder(), ChunkSettings())
    retriever = Engine(index, _Failing()).retriever
    retriever.embed_soon("a question")
    with pytest.raises(RuntimeError, match="gone"):
        retriever.embed("a question")
    with pytest.raises(RuntimeError, match="gone"):  # not remembered as a vector: asked again, tried again
        retriever.embed("a question")
