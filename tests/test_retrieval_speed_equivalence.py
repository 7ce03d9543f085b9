"""The retriever's precomputed postings, its arrays and per-question idf weights change nothing: hits and
sentence scores equal a straightforward recomputation from the texts (cosines to float32 precision: a
matrix-vector product sums in another order than one row's dot product)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chatbot.text import compound_tokens, terms

FLOAT32 = 1e-6  # a cosine's rounding in float32

QUESTIONS = ["What is a CDMO?", "how are contracts priced", "risks of outsourcing manufacturing",
             "DrugPatentWatch", "capital of Australia", "CDMO model", "services offered by CMOs",
             "is green-tea steeped cooler?", "what does the CDMO model-overview say?"]


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
        assert math.isclose(hit.coverage, cover, abs_tol=1e-9)  # no float32 in it
        assert math.isclose(hit.topic_score, dense + weight * cover, abs_tol=FLOAT32)
        text = index.documents[hit.passage.doc].text
        rows = index.sentence_rows(row)
        dense_rows = [float(index.sentence_vectors[r] @ vector) for r in rows]  # one sentence at a time
        joined = compound_tokens(question)
        near = " › ".join((hit.passage.path or hit.passage.section).split(" › ")[-2:])  # its heading and the one above
        exact = retriever.settings.exact_weight
        expected = [float(cosine)
                    + weight * _coverage_from_scratch(retriever, question, text[s.start:s.end])
                    + (exact * sum(j in f"{near}\n{text[s.start:s.end]}".casefold() for j in joined) / len(joined)
                       if joined else 0)
                    for cosine, s in zip(dense_rows, hit.passage.sentences, strict=True)]
        assert hit.sentence_scores == pytest.approx(expected, abs=FLOAT32)
        share = retriever.settings.sentence_weight  # the passage holding the answering sentence ranks first
        assert math.isclose(hit.score, (1 - share) * hit.topic_score + share * max(expected), abs_tol=FLOAT32)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_second_search_gives_the_same_hits(fake_engine):
    retriever = fake_engine.retriever
    first = retriever.search("how are contracts priced", k=10)
    again = retriever.search("how are contracts priced", k=10)
    assert [(h.passage.id, h.score, h.sentence_scores) for h in first] == \
           [(h.passage.id, h.score, h.sentence_scores) for h in again]


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_corpus_smaller_than_the_candidate_pool_is_ranked_as_if_searched(fake_engine, question):
    """Where every passage would be a candidate, none are searched for: the hits are those of a search
    over every row given explicitly."""
    retriever = fake_engine.retriever
    every = set(range(len(retriever.index.passages)))
    assert len(every) <= retriever.settings.candidates  # the case under test
    fast = retriever.search(question, k=10)
    searched = retriever.search(question, k=10, only_rows=every)
    assert [(h.passage.id, h.score, h.sentence_scores, h.lexical) for h in fast] == \
           [(h.passage.id, h.score, h.sentence_scores, h.lexical) for h in searched]


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


def test_a_sentence_offering_angles_scores_as_no_answer_after_a_save_and_load(tmp_path, fake_embedder):
    from chatbot.chunking import ChunkSettings
    from chatbot.dialogue import Engine
    from chatbot.records import NOT_AN_ANSWER
    from chatbot.search_index import load, open_index
    from chatbot.text import offered_angles

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kettles.md").write_text(
        "# Kettles\n\nA kettle boils water for tea. Descaling keeps a kettle quick.\n\n"
        "If you meant “kettle prices” vs “kettle safety”, tell me which angle you want.\n", encoding="utf-8")
    open_index(corpus, tmp_path / "index", fake_embedder, ChunkSettings())
    retriever = Engine(load(tmp_path / "index"), fake_embedder).retriever  # the lexicon as read from disk
    hits = retriever.search("kettle prices", k=5)
    index = retriever.index
    offering = 0
    for hit in hits:
        text = index.documents[hit.passage.doc].text
        row = retriever.row_of(hit.passage)
        for score, offer, sentence in zip(hit.sentence_scores, retriever.offers(row), hit.passage.sentences,
                                          strict=True):
            offers = bool(offered_angles(text[sentence.start:sentence.end]))
            assert offer == offers and (score == NOT_AN_ANSWER) == offers
            offering += offers
    assert offering == 1


def test_a_lexicon_that_does_not_fit_its_index_is_refused(tmp_path):
    from chatbot import sentence_lexicon

    lexicon = sentence_lexicon.SentenceLexicon(
        sentence_lexicon.Postings(np.array([0, 2, 3]), np.array([0, 4, 1], dtype=np.int32)), np.zeros(5, dtype=bool))
    sentence_lexicon.save(lexicon, tmp_path)
    assert sentence_lexicon.load(tmp_path, 5).postings.holding(0, np.array([0, 1, 4])).tolist() == [True, False, True]
    with pytest.raises(ValueError):
        sentence_lexicon.load(tmp_path, 4)  # a sentence row past the end


def test_corpus_subject_terms_read_from_postings_equal_a_recount_from_the_texts(fake_engine):
    """The engine reads which terms occur in which sections from the lexical index's postings; counting
    them again from each passage's text gives the same subject, broad and per-document terms."""
    from collections import Counter

    engine = fake_engine
    index, settings = engine.index, engine.settings
    by_doc: dict[str, dict[int, set[str]]] = {}
    for passage in index.passages:
        by_doc.setdefault(passage.doc, {}).setdefault(passage.section_index, set()).update(
            terms(passage.embedding_text()))
    sections = [held for doc in by_doc.values() for held in doc.values()]
    counts = Counter(t for held in sections for t in held)

    def in_share(share: float) -> frozenset[str]:
        return frozenset(t for t, n in counts.items() if n >= max(2, share * len(sections)) and not t.isdigit())

    per_document: set[str] = set()
    for doc, doc_sections in by_doc.items():
        if len(doc_sections) >= settings.vague_min_sections:
            title = engine.sections[(doc, min(doc_sections))]
            per_document.update(() if title.rstrip().endswith("?") else terms(title))
            held = Counter(t for ts in doc_sections.values() for t in ts)
            per_document.update(t for t, n in held.items() if n >= settings.topic_share * len(doc_sections))
    assert engine.topic_terms == in_share(settings.topic_share)
    assert engine.broad_terms == in_share(settings.broad_share) and engine.broad_terms > engine.topic_terms
    assert engine.document_terms == frozenset(per_document) and engine.document_terms
