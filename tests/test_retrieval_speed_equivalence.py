"""The retriever's cached term sets and per-question idf weights change nothing: hits and sentence
scores equal a straightforward recomputation from the texts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chatbot.text import terms

QUESTIONS = ["What is a CDMO?", "how are contracts priced", "risks of outsourcing manufacturing",
             "DrugPatentWatch", "capital of Australia", "CDMO model", "services offered by CMOs"]


def _coverage_from_scratch(retriever, question: str, text: str) -> float:
    unique = set(terms(question))
    weights = {t: retriever.idf(t) for t in unique}
    total = sum(weights.values())
    present = set(terms(text))
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


@pytest.mark.parametrize("question", QUESTIONS)
def test_hits_match_a_recomputation_from_the_texts(fake_engine, question):
    retriever = fake_engine.retriever
    index = retriever.index
    vector = retriever.embed(question)
    hits = retriever.search(question, k=10, vector=vector)
    assert hits
    weight = retriever.settings.lexical_weight
    for hit in hits:
        row = retriever.row_of(hit.passage)
        dense = float(index.passage_vectors[row] @ vector)
        cover = _coverage_from_scratch(retriever, question, hit.passage.embedding_text())
        assert math.isclose(hit.coverage, cover, abs_tol=1e-9)
        assert math.isclose(hit.topic_score, dense + weight * cover, abs_tol=1e-9)
        text = index.documents[hit.passage.doc].text
        rows = index.sentence_rows(row)
        dense_rows = index.sentence_vectors[rows.start:rows.stop] @ vector  # same float32 product as the bot
        expected = [float(cosine)
                    + weight * _coverage_from_scratch(retriever, question, text[s.start:s.end])
                    for cosine, s in zip(dense_rows, hit.passage.sentences, strict=True)]
        assert hit.sentence_scores == pytest.approx(expected, abs=1e-9)
        share = retriever.settings.sentence_weight  # the passage holding the answering sentence ranks first
        assert math.isclose(hit.score, (1 - share) * hit.topic_score + share * max(expected), abs_tol=1e-9)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_second_search_gives_the_same_hits(fake_engine):
    retriever = fake_engine.retriever
    first = retriever.search("how are contracts priced", k=10)
    again = retriever.search("how are contracts priced", k=10)
    assert [(h.passage.id, h.score, h.sentence_scores) for h in first] == \
           [(h.passage.id, h.score, h.sentence_scores) for h in again]


def test_a_question_asked_again_is_not_encoded_again(fake_engine):
    retriever = fake_engine.retriever
    calls = []
    encode = retriever.embedder.encode
    retriever.embedder.encode = lambda texts: calls.append(list(texts)) or encode(texts)
    first = retriever.embed("who owns the data?")
    again = retriever.embed("who owns the data?")
    other = retriever.embed("how are contracts priced")
    assert calls == [["who owns the data?"], ["how are contracts priced"]]
    assert again is first and not np.array_equal(first, other)
    assert np.array_equal(first, encode(["who owns the data?"])[0])
    retriever.forget_recent()
    assert retriever.embed("who owns the data?") is not first and len(calls) == 3
