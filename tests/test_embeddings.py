"""Sentence vectors pooled in their passage's context, with the real packaged model: passages embed
exactly as before, a build costs one forward pass per passage, and what the model's window cuts off
is embedded on its own."""

from __future__ import annotations

import numpy as np
from conftest import SEED_CORPUS

from chatbot.chunking import ChunkSettings
from chatbot.embeddings import CountingEmbedder, embed_with_spans
from chatbot.search_index import open_index


def _spans_of(text: str, *parts: str) -> list[tuple[int, int]]:
    return [(text.index(part), text.index(part) + len(part)) for part in parts]


def test_passage_vectors_are_what_encode_gives_in_the_callers_order(real_embedder, monkeypatch):
    monkeypatch.setattr(real_embedder, "batch_size", 2)  # several model batches, each sorted by length
    texts = ["A single sentence without a heading.",
             "Opening hours\nThe shop opens at nine. It closes at six on weekdays, and at noon on Sundays.",
             "Short.",
             "Parking\nThe car park behind the station is free after seven in the evening."]
    spans = [[(0, len(texts[0]))],
             _spans_of(texts[1], "The shop opens at nine.", "It closes at six on weekdays, and at noon on Sundays."),
             [(0, len(texts[2]))],
             _spans_of(texts[3], "The car park behind the station is free after seven in the evening.")]
    vectors, span_vectors = real_embedder.encode_with_spans(texts, spans)
    encoded = real_embedder.encode(texts)
    cosines = np.sum(vectors * encoded, axis=1)
    assert np.all(cosines > 0.9999), cosines  # questions are compared with the same vectors as before
    # each text's sentence vectors came back with that text, not with a neighbour of like length
    owners = [int(np.argmax(encoded @ v)) for row in span_vectors for v in row]
    assert owners == [0, 1, 1, 2, 3], owners


def test_each_sentence_vector_is_closest_to_its_own_topic(real_embedder):
    text = ("Visiting the museum\nTickets cost twelve euros for adults and are free for children. "
            "The café on the ground floor serves coffee, cake and light lunches. "
            "Photography without flash is allowed in every gallery.")
    sentences = ["Tickets cost twelve euros for adults and are free for children.",
                 "The café on the ground floor serves coffee, cake and light lunches.",
                 "Photography without flash is allowed in every gallery."]
    _, (vectors,) = embed_with_spans(real_embedder, [text], [_spans_of(text, *sentences)])
    questions = real_embedder.encode(["how much is admission", "where can I eat", "can I take pictures"])
    similarity = questions @ np.stack(vectors).T
    assert list(similarity.argmax(axis=1)) == [0, 1, 2], similarity
    assert all(abs(np.linalg.norm(v) - 1) < 1e-5 for v in vectors)


def test_a_sentence_past_the_model_window_is_embedded_on_its_own(real_embedder):
    tail = "The warranty lasts two years from the date of purchase."
    text = "Warranty terms. " + "Every clause below applies to all products. " * 60 + tail
    counter = CountingEmbedder(real_embedder)
    _, (vectors,) = embed_with_spans(counter, [text], [_spans_of(text, "Warranty terms.", tail)])
    assert counter.in_context == 1 and counter.calls == 1, "only the cut-off sentence is encoded alone"
    assert float(vectors[1] @ real_embedder.encode([tail])[0]) > 0.9999


def test_building_the_seed_index_encodes_each_passage_once_and_no_sentence_alone(real_embedder, tmp_path):
    counter = CountingEmbedder(real_embedder)
    index = open_index(SEED_CORPUS, tmp_path / "index", counter, ChunkSettings())
    distinct_passages = len({p.embedding_text() for p in index.passages})
    assert counter.in_context == distinct_passages and counter.calls == 0
    assert len(index.sentence_vectors) == sum(len(p.sentences) for p in index.passages)
    norms = np.linalg.norm(index.sentence_vectors, axis=1)
    assert np.allclose(norms, 1, atol=1e-5)


def test_a_build_while_people_chat_takes_one_passage_per_pass_and_gets_the_same_vectors(real_embedder):
    texts = ["Short one.", "A somewhat longer text about the pricing of manufacturing contracts.",
             "A third text, on when in development companies outsource the work."]
    spans = [[(0, 5)], [(2, 10)], [(0, 7)]]
    lock = real_embedder._encode_lock
    lock.forget_questions()
    quiet_vectors, quiet_spans = real_embedder.encode_with_spans(texts, spans)
    sizes = []
    # one forward pass of the model, whichever backend runs it (torch's module, or the ONNX session's call)
    owner, name = (real_embedder._model, "forward") if hasattr(real_embedder, "_model") else (real_embedder,
                                                                                               "_forward")
    model_call = getattr(owner, name)

    def counting_forward(features, *args, **kwargs):
        sizes.append(len(features["input_ids"]) if isinstance(features, dict) else len(features))
        return model_call(features, *args, **kwargs)

    real_embedder.encode(["a question"])  # someone is chatting
    setattr(owner, name, counting_forward)
    try:
        chatting_vectors, chatting_spans = real_embedder.encode_with_spans(texts, spans)
    finally:
        delattr(owner, name)
        lock.forget_questions()
    assert sizes == [1, 1, 1]
    np.testing.assert_allclose(chatting_vectors, quiet_vectors, atol=1e-5)
    for quiet_row, chatting_row in zip(quiet_spans, chatting_spans, strict=True):
        np.testing.assert_allclose(np.stack(chatting_row), np.stack(quiet_row), atol=1e-5)
    np.testing.assert_allclose(real_embedder.encode_for_build(texts), real_embedder.encode(texts), atol=1e-5)


def test_a_background_copy_of_either_backend_gives_the_same_vectors_without_sharing_its_lock(real_embedder):
    """Builds in the background encode with a copy of their own (see library.BackgroundEmbedder), so a
    question never waits for them; the copy must be the same model."""
    import pytest

    from chatbot.backends import make_embedder

    texts = ["Kettles boil water.", "A CDMO develops and manufactures drugs for other companies."]
    for name in ("torch", "onnx"):
        try:
            serving = real_embedder if getattr(real_embedder, "backend", "") == name else make_embedder(name)
        except Exception as exc:  # noqa: BLE001 - the onnx extra may be absent
            pytest.skip(f"{name} backend unavailable: {exc}")
        copy = serving.for_background()
        assert copy is not serving and copy._encode_lock is not serving._encode_lock
        assert copy.identity == serving.identity
        np.testing.assert_allclose(copy.encode_for_build(texts), serving.encode(texts), atol=1e-5)
