"""End to end through `chatbot chat --jsonl` and `chatbot ask`, with the real packaged model:
the line protocol, clarification and picks, follow-ups, and exact citations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHATBOT, REPO, SEED_CORPUS, run_chatbot

from chatbot.corpus import read_corpus
from chatbot.text import terms

pytestmark = pytest.mark.model
DOCUMENTS = {d.id: d.text for d in read_corpus(SEED_CORPUS)}
KINDS = {"answer", "clarify", "out_of_scope", "error", "reset"}


class ChatProcess:
    """A long-lived `chatbot chat --jsonl`: one line in, exactly one JSON line out."""

    def __init__(self, index_dir: Path, corpus: Path = SEED_CORPUS):
        self.process = subprocess.Popen(
            [*CHATBOT, "chat", "--jsonl", "--corpus", str(corpus), "--index", str(index_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)

    def send(self, message: str) -> dict:
        self.process.stdin.write(message.encode("utf-8") + b"\n")
        self.process.stdin.flush()  # the reply must come without closing stdin: it is flushed per line
        line = self.process.stdout.readline()
        assert line, f"no reply; stderr: {self.process.stderr.read1().decode(errors='replace')}"
        reply = json.loads(line)
        assert set(reply) >= {"kind", "text", "citations", "options"} and reply["kind"] in KINDS
        for c in reply["citations"]:
            assert set(c) >= {"id", "doc", "section", "start", "end", "quote"}
            assert DOCUMENTS[c["doc"]][c["start"]:c["end"]] == c["quote"]
            assert f"[{c['id']}]" in reply["text"]
        return reply

    def close(self) -> str:
        out, err = self.process.communicate(timeout=60)
        assert out == b"", "nothing but replies on stdout"
        assert self.process.returncode == 0
        return err.decode()


@pytest.fixture(scope="module")
def chat(seed_index_dir):
    process = ChatProcess(seed_index_dir)
    yield process
    process.close()


@pytest.fixture
def fresh(chat):
    assert chat.send("/reset")["kind"] == "reset"
    return chat


def _load(name: str) -> list[dict]:
    path = REPO / "eval" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _distinct_word(option: str, others: list[str]) -> str:
    """A word of this option's label that no other option has: how a person picks loosely."""
    other_terms = {t for o in others for t in terms(o)}
    for word in option.replace("?", " ").replace(":", " ").split():
        stems = terms(word)
        if stems and stems[0] not in other_terms and len(word) > 3:
            return word.lower()
    pytest.skip(f"no distinctive word in {option!r}")


def test_ask_prints_quotes_and_sources(seed_index_dir):
    result = run_chatbot("ask", "What risks come with outsourcing to a CDMO?", "--index", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    assert "[1]" in result.stdout and "Sources:" in result.stdout
    as_json = run_chatbot("ask", "What risks come with outsourcing to a CDMO?", "--json",
                          "--index", str(seed_index_dir))
    reply = json.loads(as_json.stdout)
    assert reply["kind"] == "answer"
    for c in reply["citations"]:
        assert DOCUMENTS[c["doc"]][c["start"]:c["end"]] == c["quote"]
        assert c["quote"] in result.stdout


def test_reset_starts_a_new_conversation(fresh):
    fresh.send("What does a CDMO contract cover?")
    assert fresh.send("/reset") == {"kind": "reset", "text": "Started a new conversation.", "citations": [],
                                    "options": []}
    follow = fresh.send("how is it priced?")
    assert "interpreted_as" not in follow, "no subject survives a reset"


def test_off_topic_is_refused_without_citations(fresh):
    reply = fresh.send("What is the capital of Australia?")
    assert reply["kind"] == "out_of_scope" and reply["citations"] == []
    assert "not in these documents" in reply["text"]


def test_error_replies_keep_the_conversation_going(fresh):
    assert fresh.send("   ")["kind"] == "error"
    huge = fresh.send("why " * 30_000)
    assert huge["kind"] == "error" and "limit" in huge["text"]
    assert fresh.send("What services does a CMO offer?")["kind"] == "answer"


def test_vague_question_gets_options_then_pick_by_number(fresh):
    reply = fresh.send("CDMO model")
    assert reply["kind"] == "clarify"
    assert 2 <= len(reply["options"]) <= 5 and reply["citations"]
    assert "which angle" in reply["text"].lower()
    last = len(reply["options"])  # the document's own angles come first, sections after them
    picked = fresh.send(str(last))
    assert picked["kind"] == "answer"
    assert picked["citations"][0]["section"].rstrip(":") == reply["options"][last - 1]


def test_pick_by_exact_text_and_by_loose_words(fresh):
    options = fresh.send("tell me about CDMOs")["options"]
    assert len(options) >= 2
    picked = fresh.send(options[-1])
    assert picked["kind"] == "answer" and picked["citations"][0]["section"].rstrip(":") == options[-1]

    options = fresh.send("/reset") and fresh.send("tell me about CDMOs")["options"]
    word = _distinct_word(options[0], options[1:])
    picked = fresh.send(f"the {word} one")
    assert picked["kind"] == "answer" and picked["citations"][0]["section"].rstrip(":") == options[0]


def test_a_new_question_after_options_is_answered_as_one(fresh):
    assert fresh.send("CDMO model")["kind"] == "clarify"
    reply = fresh.send("What is DrugPatentWatch.com?")
    assert reply["kind"] == "answer"
    assert any("DrugPatentWatch" in c["section"] for c in reply["citations"])


def test_terse_follow_up_is_read_with_the_last_subject(fresh):
    first = fresh.send("What does a CDMO contract usually include?")
    assert first["kind"] == "answer"
    follow = fresh.send("and what are the risks?")
    assert follow["kind"] == "answer"
    assert "CDMO" in follow.get("interpreted_as", ""), "the reply says how the follow-up was read"
    assert follow["text"].startswith("Taking this as:")
    assert follow["citations"][0]["section"] != first["citations"][0]["section"]


def test_a_change_of_subject_is_not_glued(fresh):
    assert fresh.send("Why do companies use CDMOs?")["kind"] == "answer"
    reply = fresh.send("What is the capital of Australia?")
    assert reply["kind"] == "out_of_scope" and "interpreted_as" not in reply


def test_specific_questions_are_never_clarified(seed_index_dir):
    specific = [q["q"] for q in _load("questions.jsonl") if q["expect"] == "answer"][:20]
    process = ChatProcess(seed_index_dir)
    try:
        for question in specific:
            process.send("/reset")
            assert process.send(question)["kind"] != "clarify", question
    finally:
        process.close()


def test_works_on_another_folder_of_documents(tmp_path):
    corpus = Path(__file__).resolve().parent / "data" / "fixture_corpus"
    texts = {d.id: d.text for d in read_corpus(corpus)}
    result = subprocess.run(
        [*CHATBOT, "chat", "--jsonl", "--corpus", str(corpus), "--index", str(tmp_path / "idx")],
        input="How hot should the water be for green tea?\nhow often should I check tyre pressure?\n",
        capture_output=True, text=True, timeout=300, cwd=REPO)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["kind"] for r in replies] == ["answer", "answer"], result.stderr
    assert replies[0]["citations"][0]["doc"] == "tea_faq.txt"
    assert replies[1]["citations"][0]["doc"] == "guides/bicycle.md"
    for reply in replies:
        for c in reply["citations"]:
            assert texts[c["doc"]][c["start"]:c["end"]] == c["quote"]


def test_python_dash_m_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "chatbot", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0 and "ask" in result.stdout and "chat" in result.stdout
