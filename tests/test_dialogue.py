"""Conversation state and message handling, in process (real model, seed corpus)."""

from __future__ import annotations

import re
import threading

import pytest
from conftest import assert_citations_exact, engine_over

from chatbot.dialogue import Conversation, _option_number
from chatbot.messages import BadMessage, clean_message
from chatbot.text import term, terms


@pytest.mark.parametrize("text, count, expected", [
    ("2", 3, 2), ("option 3", 3, 3), ("#1", 3, 1), ("the second one", 4, 2), ("last", 3, 3),
    ("one", 3, 1), ("5", 3, None), ("what are the two main risks of outsourcing", 3, None),
])
def test_option_numbers(text, count, expected):
    assert _option_number(text, count) == expected


@pytest.mark.parametrize("raw, cleaned", [
    ("  what\u200b is\u202e tea?\x00 ", "what is tea?"),
    ("\x1b[31mred\x1b[0m tea", "red tea"),
    ("<script>alert(1)</script>tea?", "tea?"),
    ("tea\ud800 time", "tea time"),
    ("ＣＤＭＯ", "CDMO"),
])
def test_messages_are_cleaned(raw, cleaned):
    assert clean_message(raw) == cleaned


@pytest.mark.parametrize("raw, reason", [
    ("", "empty"), ("   \n\t", "empty"), ("\u200b\u200f", "empty"), ("🙂" * 50, "words"),
    ("x" * 2001, "limit"), (None, "text"),
])
def test_unusable_messages_say_why(raw, reason):
    with pytest.raises(BadMessage, match=reason):
        clean_message(raw)


def test_each_conversation_keeps_its_own_state(real_engine):
    alice, bob = Conversation(real_engine), Conversation(real_engine)
    assert alice.send("tell me about CDMOs").kind == "clarify"
    bob_reply = bob.send("1")
    assert bob_reply.kind != "answer" or not bob_reply.interpreted_as, "bob has no pending options"
    picked = alice.send("1")
    assert picked.kind == "answer" and picked.interpreted_as
    assert_citations_exact(picked, real_engine.index.documents)


def test_reset_forgets_subject_and_options(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("tell me about CDMOs").kind == "clarify"
    assert conversation.reset().kind == "reset"
    assert conversation.state.pending == () and conversation.state.subject == ""


def test_bad_message_leaves_pending_options_in_place(real_engine):
    conversation = Conversation(real_engine)
    options = conversation.send("tell me about CDMOs").options
    assert conversation.send("").kind == "error"
    picked = conversation.send("2")
    assert picked.kind == "answer" and picked.citations[0].heading.rstrip(":") == options[1]


def test_concurrent_conversations_get_their_own_answers(real_engine):
    questions = ["What risks does outsourcing to a CDMO carry?", "What services does a CMO offer?",
                 "What is DrugPatentWatch.com?", "When in development are CDMOs brought in?"] * 3
    expected = {q: Conversation(real_engine).send(q).citations for q in set(questions)}
    results: dict[int, object] = {}

    def ask(n: int, question: str) -> None:
        results[n] = Conversation(real_engine).send(question)

    threads = [threading.Thread(target=ask, args=(n, q)) for n, q in enumerate(questions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == len(questions)
    for n, question in enumerate(questions):
        assert results[n].citations == expected[question], "same answer under concurrency as alone"


def test_short_question_without_a_subject_is_read_with_the_last_one(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("What does a CDMO contract cover?").kind == "answer"
    follow_up = conversation.send("who owns the data?")
    assert follow_up.kind == "answer" and "CDMO" in follow_up.interpreted_as
    assert follow_up.interpreted_as == "What does a CDMO contract cover? Who owns the data?"
    assert follow_up.text.startswith("Taking this as:")
    assert_citations_exact(follow_up, real_engine.index.documents)


def test_the_it_of_is_it_fine_to_is_not_replaced_by_the_last_subject(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("What is DrugPatentWatch?").kind == "answer"
    reply = conversation.send("and is it ok to outsource all of manufacturing to a CMO?")
    assert "DrugPatentWatch" not in reply.interpreted_as and "is it ok" in (reply.interpreted_as or "is it ok")


def test_a_scrap_that_is_not_a_question_is_not_glued_to_the_last_subject(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("What does a CDMO contract cover?").kind == "answer"
    scrap = conversation.send("alert(document.cookie)")
    assert scrap.kind == "out_of_scope" and not scrap.citations


def test_a_pronoun_beside_a_new_subject_still_means_the_last_one(real_engine):
    conversation = Conversation(real_engine)
    first = conversation.send("What is DrugPatentWatch?")
    assert first.kind == "answer"
    follow_up = conversation.send("does it explain the CDMO model?")
    assert follow_up.kind == "answer" and "DrugPatentWatch" in follow_up.interpreted_as
    assert {c.heading for c in follow_up.citations} == {c.heading for c in first.citations}


def test_what_about_a_new_subject_needs_a_passage_that_names_it(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("What services do CDMOs offer?").kind == "answer"
    swapped = conversation.send("what about CMOs?")
    assert swapped.kind == "answer" and "CMO" in swapped.interpreted_as
    documents = real_engine.index.documents
    for citation in swapped.citations:
        passage = next(p for p in swapped.passages if p.doc == citation.doc)
        assert "CMO" in passage.text.replace("CDMO", ""), "the answer is about CMOs, not CDMOs"
    assert_citations_exact(swapped, documents)


def _sections(reply) -> set[tuple[str, str]]:
    return {(c.doc, c.heading) for c in reply.citations}


def test_without_subject_words_a_terse_follow_up_is_read_after_the_last_question(mixed_engine):
    conversation = Conversation(mixed_engine)
    first = conversation.send("How do I froth milk?")
    assert first.kind == "answer"
    follow_up = conversation.send("what temperature should it reach?")
    assert follow_up.kind == "answer" and follow_up.text.startswith("Taking this as:")
    assert _sections(follow_up) == _sections(first), "the same section as the question it follows"
    assert_citations_exact(follow_up, mixed_engine.index.documents)
    fresh = conversation.send("ok, now how do I descale the machine?")
    assert fresh.kind == "answer" and not fresh.interpreted_as, "a full question stands on its own"
    assert _sections(fresh) != _sections(first)


def test_without_subject_words_a_cue_and_a_word_still_find_the_last_answers_section(mixed_engine):
    conversation = Conversation(mixed_engine)
    first = conversation.send("How many books can I borrow?")
    assert first.kind == "answer"
    follow_up = conversation.send("and for how long?")
    assert follow_up.kind == "answer" and follow_up.interpreted_as
    # read after the question it leans on, as a person would ask both at once, never spliced into it
    assert follow_up.interpreted_as == "How many books can I borrow? And for how long?"
    assert _sections(follow_up) == _sections(first)
    again = conversation.send("and can I renew them?")
    assert again.kind == "answer"
    assert again.interpreted_as in ("", "How many books can I borrow? And can I renew them?"), \
        "a reading leans on the last question asked on its own, not on the last reading"
    off_topic = conversation.send("what's the weather forecast for tomorrow?")
    assert off_topic.kind == "out_of_scope"


def test_a_documents_own_title_gets_which_angle_with_that_documents_sections(mixed_engine):
    conversation = Conversation(mixed_engine)
    vague = conversation.send("espresso machine")
    assert vague.kind == "clarify" and 2 <= len(vague.options) <= 5
    overview_doc = vague.citations[0].doc
    sections = {s for (doc, _), s in mixed_engine.sections.items() if doc == overview_doc}
    assert set(vague.options) <= sections, "angles come from the document the message names"
    picked = conversation.send("2")
    assert picked.kind == "answer" and picked.citations[0].heading == vague.options[1]
    assert_citations_exact(picked, mixed_engine.index.documents)
    # the pick reads as a question a person would write, not "espresso machine: <heading>"
    assert picked.interpreted_as in (vague.options[1], f"What does “{vague.options[1]}” say about espresso machine?")


def test_a_word_in_several_headings_is_vague_and_a_new_question_after_it_is_answered(mixed_engine):
    conversation = Conversation(mixed_engine)
    vague = conversation.send("cleaning")
    assert vague.kind == "clarify"
    assert all("clean" in option.lower() for option in vague.options[:2])
    other = conversation.send("How do I fix a puncture?")
    assert other.kind == "answer" and not other.interpreted_as, "a new question is answered as one"
    assert not {c.heading for c in other.citations} & set(vague.options)


def test_a_word_that_finds_nothing_with_the_last_subject_is_answered_on_its_own(mixed_engine):
    conversation = Conversation(mixed_engine)
    assert conversation.send("espresso machine").kind == "clarify"
    alone = Conversation(mixed_engine).send("puncture")
    after = conversation.send("puncture")
    assert alone.kind == after.kind == "answer" and "espresso" not in after.interpreted_as.lower()
    assert after.citations == alone.citations, "read as a question of its own, not glued to the last subject"


def test_loose_words_naming_a_heading_that_was_not_offered_are_a_new_question(mixed_engine):
    conversation = Conversation(mixed_engine)
    vague = conversation.send("library")
    assert vague.kind == "clarify"
    doc = vague.citations[0].doc
    not_offered = sorted(title for (d, _), title in mixed_engine.sections.items()
                         if d == doc and " " not in title and title not in vague.options)
    assert not_offered
    reply = conversation.send(f"the {not_offered[0].lower()} one")
    assert reply.kind == "answer" and reply.citations[0].heading == not_offered[0]


def test_unknown_names_are_names_no_document_uses(fake_engine):
    known = next(w for d in fake_engine.index.documents.values() for w in re.findall(r"\b[A-Z][a-z]{3,}\b", d.text)
                 if fake_engine.retriever.known(term(w)))
    assert fake_engine.unknown_names(f"Does {known} work with Zorblax?") == ["Zorblax"]
    assert fake_engine.unknown_names("Is it OK for IT to do this. Gardens aside, what else?") == []
    assert fake_engine.unknown_names("Is it OK for IT to do this. Zorblax aside, what else?") == ["zorblax"]
    assert fake_engine.unknown_names("Can I use the QXZ9 adapter?") == ["QXZ9"]


def test_section_numbers_are_not_what_a_numbered_manual_is_about(tmp_path, fake_embedder):
    from chatbot.chunking import ChunkSettings
    from chatbot.dialogue import Engine
    from chatbot.search_index import open_index

    chapters = "".join(f"1.{n}. Part {name}\n\nThe {name} part explains its own topic in a sentence.\n\n"
                       for n, name in enumerate(["alpha", "beta", "gamma", "delta", "epsilon"], 1))
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "manual.txt").write_text(f"1. Manual\n\n{chapters}", encoding="utf-8")
    engine = Engine(open_index(tmp_path / "corpus", tmp_path / "index", fake_embedder, ChunkSettings()), fake_embedder)
    assert not any(t.isdigit() for t in engine.topic_terms | engine.broad_terms)


def test_a_near_tie_goes_to_the_section_the_conversation_is_in_a_clear_loss_does_not(fake_engine):
    retriever = fake_engine.retriever
    bonus = retriever.settings.continuity_bonus
    question = "warranty"  # several sections about equally (close scores) and some far below
    hits = retriever.search(question, k=10)
    best = hits[0]
    place = lambda hit: (hit.passage.doc, hit.passage.section_index)  # noqa: E731
    close = next(h for h in hits[1:] if place(h) != place(best) and best.score - h.score < bonus)
    far = next(h for h in reversed(hits) if best.score - h.score > bonus)
    assert place(retriever.search(question, k=10, near=place(close))[0]) == place(close)  # a near tie: won
    assert place(retriever.search(question, k=10, near=place(far))[0]) == place(best)  # a clear loss stays one


def test_an_option_or_file_the_documents_never_write_is_a_name_they_do_not_know(tmp_path, fake_embedder):
    from chatbot.chunking import ChunkSettings
    from chatbot.dialogue import Engine
    from chatbot.search_index import open_index

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "tools.txt").write_text(
        "Removing packages\n\nRun apt-get with --purge to remove a package's configuration too. The settings "
        "live in sources.list and LC_ALL overrides the locale.\n", encoding="utf-8")
    engine = Engine(open_index(tmp_path / "corpus", tmp_path / "index", fake_embedder, ChunkSettings()), fake_embedder)
    assert engine.unknown_names("what does --purge do, and is sources.list read first? what about LC_ALL?") == []
    assert engine.unknown_names("what does the --checksum option do?") == ["--checksum"]
    assert engine.unknown_names("how do I enable fstrim.timer?") == ["fstrim.timer"]


@pytest.mark.parametrize("message, subject, reading", [
    ("how are they priced?", "CDMO", "how are CDMOs priced?"),
    ("what is their cost?", "CDMO", "what is CDMOs’ cost?"),
    ("does it explain pricing?", "DrugPatentWatch", "does DrugPatentWatch explain pricing?"),
    ("is it fine?", "CDMO", "is CDMO fine?"),
])
def test_a_pronoun_replaced_by_the_subject_agrees_with_it(message, subject, reading):
    from chatbot.dialogue import _put_subject

    assert _put_subject(message, subject) == reading


@pytest.mark.parametrize("message, points_back", [
    ("is there a command that does that automatically?", "that"), ("can a user set that up too?", "that"),
    ("is this safe?", "this"), ("how do I do that?", "that"), ("what about that one?", "that one"),
    ("does that mean I lose data?", "that"),
    ("which command shows the package that provides lpr?", None), ("check that the file exists", None),
    ("so that it runs at boot", "it"), ("I heard that Debian is old", None),
    ("how should I name mine?", "mine"),
])
def test_that_and_this_point_back_only_where_they_stand_for_a_thing(message, points_back):
    from chatbot.dialogue import _pronoun

    span = _pronoun(message)
    assert (message[span[0]:span[1]] if span else None) == points_back


def test_a_follow_up_saying_that_is_read_with_the_last_question(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("What services do CDMOs offer?").kind == "answer"
    follow_up = conversation.send("how is that priced?")
    assert follow_up.kind == "answer" and "CDMO" in follow_up.interpreted_as
    assert_citations_exact(follow_up, real_engine.index.documents)


def test_a_subject_that_only_qualified_a_noun_is_not_put_where_the_pronoun_stood(real_engine):
    conversation = Conversation(real_engine)
    assert conversation.send("What is the CDMO model?").kind == "answer"
    reply = conversation.send("how is it priced?")
    # "it" is what the question asked about, the model, not "CDMO" ("How is CDMO priced?")
    assert reply.kind == "answer" and reply.interpreted_as == "How is the CDMO model priced?"
    assert any("pric" in c.quote.casefold() for c in reply.citations)
    conversation = Conversation(real_engine)
    assert conversation.send("how do CDMO contracts work?").kind == "answer"
    reply = conversation.send("how are they priced?")  # not a "what is X?": read after the question
    assert reply.interpreted_as in ("", "How do CDMO contracts work? How are they priced?")


@pytest.mark.parametrize("message, searched", [
    ("ok. and is it fine to call it that?", "is it fine to call it that?"), ("Also, how long?", "how long?"),
    ("and?", "and?"), ("okay", "okay"), ("what is a CDMO", "what is a CDMO"),
])
def test_words_that_only_tie_a_message_to_the_talk_are_not_searched_for(message, searched):
    from chatbot.dialogue import _without_cues

    assert _without_cues(message) == searched


def test_a_question_after_ok_and_is_answered_as_the_question_alone(real_engine):
    plain = Conversation(real_engine).send("What are the risks of outsourcing to a CDMO?")
    conversation = Conversation(real_engine)
    assert conversation.send("What is DrugPatentWatch?").kind == "answer"
    tied = conversation.send("ok. and what are the risks of outsourcing to a CDMO?")
    assert tied.kind == plain.kind == "answer"
    assert [(c.start, c.end) for c in tied.citations] == [(c.start, c.end) for c in plain.citations]


def test_a_thing_of_the_last_answer_named_with_that_is_read_in_its_light(real_engine):
    """"that formulation" names something the last answer spoke of and the message alone does not find:
    the message is read after the last question, however long it is."""
    conversation = Conversation(real_engine)
    assert conversation.send("What services do CDMOs offer?").kind == "answer"
    reply = conversation.send("Who is responsible when that formulation goes wrong?")
    assert reply.interpreted_as.startswith("What services do CDMOs offer?")
    assert_citations_exact(reply, real_engine.index.documents)


@pytest.mark.parametrize("message, named", [
    ("Can I restrict what that key is allowed to do?", ["key"]), ("are those output formats all free?", ["output"]),
    ("is that the default?", []), ("I read that it is slow", []), ("this is odd", []),
])
def test_that_before_a_noun_names_a_thing(message, named):
    from chatbot.dialogue import _DETERMINER

    assert [m.group(1) for m in _DETERMINER.finditer(message)] == named


KITCHEN = """# Kitchen storage

## The pantry

The pantry holds dry goods that wait to be cooked later: flour, rice, beans and tins.
Shelves are cleaned once a month.

## The fridge

The fridge keeps cooked leftovers and fresh milk cold for a few days.

## The oven

Preheat the oven for ten minutes before baking bread.

## The sink

Wash knives by hand and dry them at once so they keep their edge.

## The freezer

Label every box in the freezer with the date it went in.

## Pantry or fridge?

Unlike the pantry, the fridge can be emptied at the end of the week without losing anything still needed.
"""


def test_a_follow_up_that_would_repeat_the_last_answer_is_read_on_its_own(tmp_path, real_embedder):
    """Glued to "what's the difference between the pantry and the fridge?", "so what's actually in the
    pantry?" found the comparison again, word for word; read alone it finds what the pantry holds."""
    engine = engine_over(tmp_path, {"kitchen.md": KITCHEN}, real_embedder)
    conversation = Conversation(engine)
    first = conversation.send("what's the difference between the pantry and the fridge?")
    second = conversation.send("so what's actually in the pantry?")
    assert first.kind == second.kind == "answer"
    assert [c.quote for c in second.citations] != [c.quote for c in first.citations]
    assert any("dry goods" in c.quote for c in second.citations)
    assert_citations_exact(second, engine.index.documents)


FOREIGN_KEYS = """Foreign Key Support
===================

1. Introduction to foreign keys
-------------------------------

Foreign key constraints are used to enforce exists relationships between tables. A foreign key links a child
table to a parent table.

2. Enabling foreign key support
-------------------------------

Foreign key constraints are disabled by default. They must be enabled separately for each database
connection, with the foreign_keys pragma set to ON.

3. Indexes for foreign keys
---------------------------

Each foreign key should have an index on its child key columns, or every delete on the parent table scans
the whole child table.

4. Actions on delete and update
-------------------------------

A foreign key may name an action, such as CASCADE or SET NULL, to take when a parent row is deleted.
"""
WAL = """Write-Ahead Logging
===================

The default method is a rollback journal. WAL is faster in most cases and lets readers and writers work at once.

Checkpoints
-----------

A checkpoint moves the WAL content back into the database file.
"""
DATATYPES = """Datatypes
=========

Each value stored has one of five storage classes. A column has a type affinity that prefers a class.

Affinity rules
--------------

A column declared INT has integer affinity.
"""


PARSER = """PARSER(8)

OPTIONS
=======

−−skip−read−cache

    By default, if a profile's cache is found in the cache location and its timestamp is newer than the profile,
    the cache is loaded. This option turns that off: the profile is always compiled again.

−−Werror[=n]

    Convert warnings into errors during policy compilation. A single flag can be given per option, but the
    option can be passed multiple times.

−−write−cache

    Write out the compiled profile to the cache directory.
"""


def test_an_option_asked_with_hyphens_is_the_one_printed_with_minus_signs(tmp_path, real_embedder):
    """groff prints an option's dashes as minus signs ("−−skip−read−cache"); a user types
    "--skip-read-cache". It was taken for a name no document mentions and refused."""
    engine = engine_over(tmp_path, {"parser.txt": PARSER, "wal.txt": WAL, "datatypes.txt": DATATYPES},
                         real_embedder)
    assert not engine.unknown_names("What does --skip-read-cache do?")
    reply = Conversation(engine).send("What does --skip-read-cache do?")
    assert reply.kind == "answer" and any("skip\u2212read\u2212cache" in c.quote and "if a profile's cache is found"
                                          in c.quote for c in reply.citations)
    assert_citations_exact(reply, engine.index.documents)


def test_what_a_request_for_an_overview_names_is_the_subject_a_pronoun_stands_for(tmp_path, real_embedder):
    """"Tell me about foreign keys." was asked "which angle?" and the whole request became the subject: "how do I
    switch them on?" read "how do I switch Tell me about foreign keys. on?". The thing it names is the subject."""
    engine = engine_over(tmp_path, {"foreignkeys.txt": FOREIGN_KEYS, "wal.txt": WAL, "datatypes.txt": DATATYPES},
                         real_embedder)
    conversation = Conversation(engine)
    assert conversation.send("Tell me about foreign keys.").kind == "clarify"
    reply = conversation.send("How do I switch them on?")
    assert reply.interpreted_as == "How do I switch foreign keys on?"
    assert any("disabled by default" in c.quote for c in reply.citations)


def test_a_question_met_with_which_angle_is_no_subject_a_pronoun_stands_for(tmp_path, real_embedder, monkeypatch):
    """"What does the [G] flag do?" was asked "which angle?", and the whole question became the talk's subject:
    "what target do people pair it with?" was then read as "… pair What does the [G] flag do? with?". A
    question is not a thing a pronoun stands for; a vague message ("kettle?") still is."""
    from chatbot.dialogue import Option

    engine = engine_over(tmp_path, {"kitchen.md": KITCHEN}, real_embedder)
    monkeypatch.setattr(Conversation, "_vague_options", lambda self, text, hits: (
        [Option(h.passage.section, h.passage.doc, h.passage.section_index) for h in hits[:2]], []))
    conversation = Conversation(engine)
    assert conversation.send("What does the pantry hold?").kind == "clarify"
    assert conversation.state.subject != "What does the pantry hold?"
    follow_up = conversation.send("and how long does it keep?")
    assert "What does the pantry hold?" not in (follow_up.interpreted_as or "")
    conversation = Conversation(engine)
    assert conversation.send("pantry?").kind == "clarify" and conversation.state.subject == "pantry"


def test_what_a_question_and_its_answer_share_is_what_the_talk_is_about():
    """Where the corpus has no subject words for it, "it" in the next message is read against what the
    last question and the text quoted for it have in common: a run of the question's words, or a path."""
    from chatbot.dialogue import _shared_phrase
    from chatbot.records import Citation, Reply

    def reply(*quotes: str) -> Reply:
        return Reply("answer", "", tuple(Citation(i, "d.txt", "S", 0, len(q), q) for i, q in enumerate(quotes, 1)))

    answer = reply("Process identifier (PID) files, which were originally placed in /etc, must be placed in /run.")
    assert _shared_phrase("where do pid files belong these days?", answer) == "pid files"
    assert _shared_phrase("whats /run for?", answer) == "/run"
    assert _shared_phrase("what is the capital of Peru?", answer) == ""


SERVER_FILES = """# Files on a small server

## Lock files

Lock files must be placed in /var/lock while a device is in use.
Name lock files after the device they guard, with the prefix LCK.. in front.

A lock file must consist of the process identifier of its owner, written in decimal, then a newline.

## Log files

Log files are kept in /var/log and rotated every week.
Name log files after the service that writes them.

## Spool files

Spool files wait in /var/spool until a program handles them.

## Temporary files

Temporary files go in /tmp and may be deleted at every boot.

## Configuration files

Configuration files live in /etc and are edited by the administrator.
"""


def test_a_subject_keeps_the_word_that_narrows_it_where_the_documents_write_them_together(tmp_path, real_embedder):
    """"files" is what these documents are about; "lock files" is what the person asked about, and
    "how should I name mine?" then asks how to name lock files, not log files. A verb before the subject
    ("companies use CDMOs") is not written beside it in the documents, so it does not join it."""
    engine = engine_over(tmp_path, {"server.md": SERVER_FILES}, real_embedder)
    assert engine.subject_of("where do lock files go?") == "lock files"
    assert engine.subject_of("why keep files small?") == "files"  # "keep files" is not written there
    conversation = Conversation(engine)
    assert conversation.send("where do lock files go?").kind == "answer"
    named = conversation.send("how should I name mine?")
    assert named.kind == "answer"
    assert any("LCK.." in c.quote for c in named.citations), named.text
    assert_citations_exact(named, engine.index.documents)


def test_a_verb_before_the_subject_is_not_part_of_it(real_engine):
    assert real_engine.subject_of("Why do companies use CDMOs?") == "CDMOs"


def test_a_follow_up_confidently_answered_in_context_needs_no_word_of_its_own_in_the_passage(tmp_path, real_embedder):
    """"what should be inside them?" shares no word with "each one must consist of the process identifier"
    and is far from it in meaning alone, but read as "what should be inside lock files?" it is answered
    with confidence: that is the answer, not "that is not in these documents"."""
    engine = engine_over(tmp_path, {"server.md": SERVER_FILES}, real_embedder)
    conversation = Conversation(engine)
    assert conversation.send("where do lock files go?").kind == "answer"
    inside = conversation.send("what should be inside them exactly?")
    assert inside.kind == "answer", inside.text
    assert any("process identifier" in c.quote for c in inside.citations), inside.text
    assert_citations_exact(inside, engine.index.documents)


GENERIC_HEADINGS = """# Workshop handbook

## 1. The lathe

### 1.1. Purpose

The lathe turns round stock such as table legs and bowls.

### 1.2. Requirements

Wear goggles and tie back long hair before switching the lathe on.

## 2. The bandsaw

### 2.1. Purpose

The bandsaw cuts curves in boards up to ten centimetres thick.

### 2.2. Requirements

Set the blade guard a finger's width above the board.

## 3. The drill press

### 3.1. Purpose

The drill press bores straight holes at a fixed depth.

### 3.2. Requirements

Clamp the piece to the table; never hold it by hand.

## 4. Dust extraction

The extractor runs whenever any machine in the workshop is switched on.
"""


def test_a_section_titled_like_many_others_is_named_with_the_section_above_it(tmp_path, real_embedder):
    """Three sections called "Purpose": "They do cover “Purpose”" or an option "Purpose" tells nobody
    what is there, so such a section is named with its parent's title too; a title of its own stays alone."""
    engine = engine_over(tmp_path, {"workshop.md": GENERIC_HEADINGS}, real_embedder)
    refused = Conversation(engine).send("how do I sharpen a chisel on a whetstone?")
    assert refused.kind == "out_of_scope"
    named = re.findall(r"“([^”]+)”", refused.text)
    assert named and all(not re.fullmatch(r"[\d.]*\s*(Purpose|Requirements)", n) for n in named), refused.text
    assert any(re.search(r"(lathe|bandsaw|drill press).*›.*(Purpose|Requirements)", n) for n in named), refused.text
    assert "4. Dust extraction" in engine.covered_topics()  # a title used once is shown as it is


def test_a_top_section_titled_like_another_pages_is_named_with_its_pages_title(tmp_path, fake_embedder):
    """Two programs' reference pages both have "Notes" and "Options" right under their titles: an option
    "Notes" does not say whose, so each is named with its page's title; a title of its own stays alone."""
    page = """<html><head><title>{name}</title></head><body>
<h2>Options</h2><p>The {name} program takes options that change how it reads the workshop log.</p>
<h2>Notes</h2><p>The {name} program writes its notes to the log folder of the workshop.</p>
<h2>{own}</h2><p>The {name} program has a section of its own about {own}.</p></body></html>"""
    engine = engine_over(tmp_path, {"logcat.html": page.format(name="logcat", own="Colours"),
                                    "logtail.html": page.format(name="logtail", own="Following")}, fake_embedder)
    labels = set(engine.labels.values())
    assert {"Notes (logcat)", "Notes (logtail)", "Options (logcat)", "Options (logtail)"} <= labels, labels
    assert {"Colours", "Following"} <= labels, labels


def test_a_manual_pages_standard_section_is_named_with_its_page_even_alone(tmp_path, fake_embedder):
    """A manual page printed to PDF or HTML keeps "DESCRIPTION" and "OPTIONS" as sections: even in a folder
    with one page, an option "DESCRIPTION" tells nobody which program it is about."""
    page = """<html><head><title>kettled - boil water on request</title></head><body>
<h2>DESCRIPTION</h2><p>The kettled daemon boils water when a request arrives on its socket.</p>
<h2>OPTIONS</h2><p>The kettled daemon takes a temperature limit and an address to listen on.</p>
<h2>Boiling points</h2><p>The kettled daemon stops at the boiling point of the water.</p></body></html>"""
    engine = engine_over(tmp_path, {"kettled.html": page}, fake_embedder)
    labels = set(engine.labels.values())
    assert {"DESCRIPTION (kettled)", "OPTIONS (kettled)", "Boiling points"} <= labels, labels


def test_a_section_titled_by_its_kind_is_named_with_what_it_is_about(tmp_path, fake_embedder):
    """"Usage", "Hints" or "How does it work" name no subject: offered alone as angles (README.keyctl's), they
    tell nobody what is there, so they are named with the title above them; a manual page's "EXAMPLES" at
    its top is named with the page's name, even where that name is the page's own first heading."""
    notes = ("# decrypt_keyctl\n\n## What For?\n\nThe script caches a passphrase for several disks.\n\n"
             "## Usage\n\nAdd the script as keyscript in crypttab.\n\n## How does it work\n\n"
             "The script keeps the passphrase in the kernel keyring for a minute.\n")
    page = ("WG(8)                        WireGuard                       WG(8)\n\nNAME\n"
            "       wg - set and retrieve configuration of WireGuard interfaces\n\nEXAMPLES\n"
            "       The wg show command shows the interfaces of the machine.\n\n"
            "WireGuard                        2015 August 13                   WG(8)\n")
    engine = engine_over(tmp_path, {"keyctl.md": notes, "wg.txt": page}, fake_embedder)
    labels = set(engine.labels.values())
    assert {"decrypt_keyctl › Usage", "decrypt_keyctl › How does it work", "What For?", "EXAMPLES (wg)"} <= labels, \
        labels


def test_a_question_of_its_own_while_options_wait_is_not_read_as_a_pick(real_engine):
    """After "which angle?", a new question that shares only a word with one option's text (not its
    title) is asked as it stands, not answered as that option."""
    conversation = Conversation(real_engine)
    asked = conversation.send("tell me about CDMOs")
    assert asked.kind == "clarify"
    pending = conversation.state.pending
    retriever = real_engine.retriever
    rows = {o: retriever.rows_of_section(o.doc, o.section_index) for o in pending}
    body = {o: set().union(*(retriever.passage_terms(row) for row in rows[o])) for o in pending}
    titles = {t for o in pending for t in terms(o.label)}
    last, others = pending[-1], pending[:-1]
    only_there = body[last] - set().union(*(body[o] for o in others)) - titles - real_engine.topic_terms
    text = " ".join(real_engine.index.passages[row].text for row in rows[last])
    word = next(w for w in re.findall(r"[A-Za-z]{6,}", text) if set(terms(w)) <= only_there
                and not any(real_engine.heading_counts[t] for t in terms(w)))  # a word of no heading
    reply = conversation.send(f"What is {word}?")
    assert not any(o in (reply.interpreted_as or "") for o in asked.options), reply.interpreted_as


def test_an_options_number_with_no_options_or_out_of_range_gets_a_clear_reply(real_engine):
    """"1" when nothing was offered searches for nothing; "7" of five options picks nothing: each is told
    so plainly, and options on offer stay on offer."""
    conversation = Conversation(real_engine)
    alone = conversation.send("1")
    assert alone.kind == "error" and "no options" in alone.text
    offered = conversation.send("tell me about CDMOs")
    assert offered.kind == "clarify"
    wrong = conversation.send(str(len(offered.options) + 2))
    assert wrong.kind == "error" and f"1 to {len(offered.options)}" in wrong.text
    picked = conversation.send("1")
    assert picked.kind == "answer"


KERNEL_BUILD = """# Chapter 4. Building kernel packages

## 4.1. Building packages for one flavour

To build only the binary packages for one flavour, run the rules target for that flavour. The build takes
about an hour on a fast machine.

## 4.2. Building a development version

Unpack the source, apply the patches, then build the packages with the usual rules targets.

## 4.3. Cleaning the build tree

Remove the generated files with the clean target before building packages from a fresh checkout.

## 4.4. Installing the built packages

Install the packages with dpkg and reboot to run the new kernel.
"""

INITRAMFS = """# Chapter 7. Managing the initramfs archive

The initramfs archive is a small root filesystem the kernel package unpacks at boot, before the real root is
mounted.

## 7.1. Initramfs generation tools

The initramfs is generated on the machine itself, not shipped in a package, since it depends on its hardware.

## 7.2. Regenerating the initramfs

After changing the configuration, regenerate the initramfs of the installed kernel package.
"""


def test_a_one_word_message_naming_a_subject_of_the_documents_is_not_glued_to_the_last_question(
        tmp_path, real_embedder):
    """"initramfs" after a question about building packages is a subject the documents have a chapter on, not
    an aspect of building packages: it is read on its own (here: asked which angle), never as "How do I build
    packages for one flavour? Initramfs?"."""
    engine = engine_over(tmp_path, {"build.md": KERNEL_BUILD, "initramfs.md": INITRAMFS}, real_embedder)
    conversation = Conversation(engine)
    assert conversation.send("How do I build packages for one flavour?").kind == "answer"
    reply = conversation.send("initramfs")
    assert "flavour" not in (reply.interpreted_as or ""), reply.interpreted_as
    assert all(c.doc == "initramfs.md" for c in reply.citations), reply.text


NAME_SERVER = """# 5. Securing services

## 5.7. Securing the name server

There are several things to tighten in the DNS daemon, much as for any other daemon that answers the
network: who may query it, which user it runs as, and what it tells strangers about itself.

### 5.7.1. Name server configuration to avoid misuse

Please check the bug tracker about the name server. Name server bugs are listed there, and name server
users add to them.

### 5.7.2. Running the name server as another user

Run the daemon under an account of its own, so that a break-in gains no root access.

## 5.8. Securing the mail server

Mail servers should refuse to relay mail for strangers.
"""


def test_which_angle_quotes_the_opening_of_the_section_over_the_angles(tmp_path, real_embedder):
    """For "name server", a chunk of "5.7.1" that says "name server" three times may score first, but the
    section over "5.7.1" and "5.7.2" says what the subject is: a clarifying reply quotes that opening, not
    a sentence of one angle about a bug tracker."""
    from chatbot.records import Hit

    engine = engine_over(tmp_path, {"services.md": NAME_SERVER}, real_embedder)
    by_title = {p.section: p for p in engine.index.passages}
    angle = by_title["5.7.1. Name server configuration to avoid misuse"]
    over = by_title["5.7. Securing the name server"]
    hits = [Hit(angle, 1.0, 0.6, 1.0, 0.5, (), 0.6, 1.0), Hit(over, 0.9, 0.5, 1.0, 0.5, (), 0.5, 0.95)]
    assert Conversation(engine)._overview(hits).passage is over
    apart = by_title["5.8. Securing the mail server"]
    hits = [Hit(angle, 1.0, 0.6, 1.0, 0.5, (), 0.6, 1.0), Hit(apart, 0.9, 0.5, 1.0, 0.5, (), 0.5, 0.95)]
    assert Conversation(engine)._overview(hits).passage is angle  # no section over the other: the best


FILE_SYSTEMS = """# Installing a server

## Choosing a file system

During partitioning you decide which file system to use. It is usually better to use ext3 on a server.
The reason is that a journal lets it come back quickly after a crash.

## Kernel modules

The main benefit of using modules is the ability to add new devices without rebuilding the kernel. Why
this matters: a server can take a new network card without a new kernel.

## Backups

Keep a copy of /etc on another machine, and test that it can be restored.
"""


ARCHITECTURES = """# The package tool

## Installing a package

The install command unpacks a package file and runs its setup scripts.
A package that fails its setup stays half installed until the setup is run again.

## Foreign architectures

The tool can install packages built for another processor next to the native ones.
This is done with the --add-arch option followed by the name of the other processor.
There is a corresponding --drop-arch option that removes such a processor again, once none of its packages is left.

## Logs

Every run of the tool appends a line per package to the log file in the state folder.
"""


@pytest.mark.parametrize("name, question, heading, follow_up, answering_words", [
    ("server.md", "should I use ext3?", "Choosing a file system", "why?", None),
    ("tool.md", "How can I install packages built for another processor?", "Foreign architectures",
     "and how do I undo that later?", "--drop-arch"),
])
def test_a_follow_up_of_no_subject_words_is_answered_where_the_last_answer_was(
        tmp_path, real_embedder, name, question, heading, follow_up, answering_words):
    """"why?" after "should I use ext3?" asks for the reason given beside the advice, not for whichever
    sentence in the documents best says why or names a benefit; "and how do I undo that?", which read alone
    finds nothing, for the reverse of the last step, told where the step was (and quoted, not only the step)."""
    engine = engine_over(tmp_path, {name: FILE_SYSTEMS if name == "server.md" else ARCHITECTURES}, real_embedder)
    conversation = Conversation(engine)
    first = conversation.send(question)
    assert first.kind == "answer" and first.citations[0].heading == heading, first.text
    reply = conversation.send(follow_up)
    assert reply.kind == "answer", reply.text
    assert {c.heading for c in reply.citations} == {heading}, reply.text
    assert answering_words is None or any(answering_words in c.quote for c in reply.citations), reply.text
    assert_citations_exact(reply, engine.index.documents)


SCHEDULER = """# The scheduler

## Running a command later

The after command runs a script once a delay in milliseconds has passed, and returns at once.
The script is run in the global namespace as an event handler, so the event loop must be entered for it to run.
A delay of zero queues the script ahead of other events, and a negative delay counts as zero.
It returns an identifier for the delayed command, a word that starts with "after#" and a number.
The identifier can be given to after cancel to stop the delayed command from running.
If the delayed command has already been executed, after cancel has no effect.
The info form of the command lists the identifiers of the delayed commands that have not yet run.

## Idle callbacks

The idle command runs a script when the event loop has nothing else to do.

## Errors in scripts

An error in a delayed script is reported by the background error handler.
"""


def test_a_follow_up_pointing_back_is_answered_where_the_last_answer_was_unless_it_asks_what_is_not_there(
        tmp_path, real_embedder):
    """"what if it already ran?" after "and how do I cancel it?": when its best passage is the last answer's,
    with a sentence close to it in meaning, it goes on there, however weak the match by the other gates (Tcl's
    manual page had it refused: "ran" is no word of the text, and the passage is long). Not when the best
    passage is elsewhere or no sentence is close; and a follow-up asking for an amount the passage does not
    state is still refused."""
    from chatbot.records import Hit

    engine = engine_over(tmp_path, {"scheduler.md": SCHEDULER}, real_embedder)
    conversation = Conversation(engine)
    for question in ("How do I run a command a few seconds later?", "and how do I cancel it?"):
        assert conversation.send(question).kind == "answer"
    reply = conversation.send("what if it has fired already?")
    assert reply.kind == "answer" and any("already been executed" in c.quote for c in reply.citations), reply.text
    assert_citations_exact(reply, engine.index.documents)

    later = next(p for p in engine.index.passages if p.section == "Running a command later")
    idle = next(p for p in engine.index.passages if p.section == "Idle callbacks")
    state = conversation.state
    state.last_doc, state.last_section = later.doc, later.section_index

    errors = next(p for p in engine.index.passages if p.section == "Errors in scripts")

    def supported(passage, sentence_cosine: float) -> bool:  # a weak match: low cosine, few shared words
        hits = [Hit(passage, 0.4, 0.3, 0.5, 0.1, (), sentence_cosine, 0.4),
                Hit(errors, 0.39, 0.3, 0.5, 0.1, (), 0.3, 0.39)]
        return conversation._reading_supported("what if it already ran?", "What if a command already ran?", hits, "")

    assert supported(later, 0.47)
    assert not supported(later, 0.3) and not supported(idle, 0.47)
    assert conversation.send("how many milliseconds does it wait at most?").kind == "out_of_scope"


LAB_MACHINES = """# Lab machines

## Memory

A lab desktop needs at least 8 GB of memory to run the simulation tools. A lab server needs 64 GB of memory.

## Storage

A lab desktop needs 500 GB of disk space for local scratch files. A lab server needs 4 TB of disk space for the
shared projects.

## Networking

Every machine is wired to the lab switch; wireless is only for guests.
"""


@pytest.mark.parametrize("follow_up, reading, said", [
    ("and disk space?", "How much disk space does a lab desktop need?", "500 GB"),
    ("what about a lab server?", "How much memory does a lab server need?", "64 GB"),
])
def test_and_x_asks_the_last_question_of_x_in_place_of_the_words_x_stands_beside(tmp_path, real_embedder, follow_up,
                                                                                 reading, said):
    """"and disk space?" after "how much memory …?" swaps memory for disk space, not the machine; "what
    about a lab server?" swaps the machine. The reading is a question a person would write, never the two
    questions glued."""
    engine = engine_over(tmp_path, {"lab.md": LAB_MACHINES}, real_embedder)
    conversation = Conversation(engine)
    assert conversation.send("How much memory does a lab desktop need?").kind == "answer"
    reply = conversation.send(follow_up)
    assert reply.kind == "answer" and reply.interpreted_as == reading
    assert said in " ".join(c.quote for c in reply.citations)
    assert_citations_exact(reply, engine.index.documents)


def test_only_a_bare_thing_after_and_or_what_about_is_swapped_in(tmp_path, real_embedder):
    """A question of its own, a pronoun or a whole clause after the cue is no thing to put in the last
    question's place."""
    engine = engine_over(tmp_path, {"lab.md": LAB_MACHINES}, real_embedder)
    conversation = Conversation(engine)
    conversation.send("How much memory does a lab desktop need?")
    for message in ("and how is it wired?", "what about it?", "and the server in the lab needs more of it for tools?",
                    "disk space"):
        assert conversation._with_aspect_swapped(message) == "", message
    assert conversation._with_aspect_swapped("and disk space?") != ""


RELEASES = """# Releases of the Toolkit

## Toolkit 1.0

Toolkit 1.0 came out in March 2001 with twelve modules. A team of five volunteers maintained it.

## Toolkit 2.0

Toolkit 2.0 came out in May 2009 and rewrote the parser. More than forty developers maintained it by then.

## People

Ada Lovelace wrote the first parser. Ada Lovelace left the project in 2004 to study mathematics.
"""


@pytest.mark.parametrize("first, then, reading, said", [
    ("Tell me about Toolkit 2.0", "how many developers maintained it?",
     "How many developers maintained Toolkit 2.0?", "forty"),
    ("Who was Ada Lovelace?", "when did she leave?", "When did Ada Lovelace leave?", "2004"),
])
def test_a_pronoun_after_tell_me_about_x_stands_for_x(tmp_path, real_embedder, first, then, reading, said):
    """After "Tell me about Toolkit 2.0", "it" is Toolkit 2.0, not the whole Toolkit; "she" after "Who was Ada
    Lovelace?" is Ada Lovelace. The reading is the one question a person would write."""
    engine = engine_over(tmp_path, {"releases.md": RELEASES}, real_embedder)
    conversation = Conversation(engine)
    assert conversation.send(first).kind == "answer"
    reply = conversation.send(then)
    assert reply.kind == "answer" and reply.interpreted_as == reading
    assert said in " ".join(c.quote for c in reply.citations)
    assert_citations_exact(reply, engine.index.documents)


def test_a_numbered_sibling_of_a_name_the_documents_use_is_not_unknown(tmp_path, real_embedder):
    """Asked about /dev/ttyS1 or eth1 when the text speaks of ttyS0 and eth0, the question names the same kind
    of thing, not something the documents never mention; a name of another family still is unknown."""
    engine = engine_over(tmp_path, {"serial.md": "# Serial lines\n\nLock /dev/ttyS0 before you use it, and "
                                                 "bring eth0 up after the lock is taken.\n"}, real_embedder)
    assert engine.unknown_names("where do I put the lock for /dev/ttyS1?") == []
    assert engine.unknown_names("how do I bring eth1 up?") == []
    assert engine.unknown_names("where do I put the lock for /dev/ttyUSB1?") == ["ttyUSB1"]


@pytest.mark.parametrize("question, thing", [
    ("Tell me about Debian 2.2 Potato", "Debian 2.2 Potato"), ("What is the CDMO model?", "the CDMO model"),
    ("what does apt autoremove do?", "apt autoremove"), ("Who was Ada Lovelace?", "Ada Lovelace"),
    ("What is nmap used for?", ""), ("What is wondershaper meant for?", ""), ("what does it do?", ""),
    ("What does a CDMO contract cover?", ""), ("How do I create a table?", ""),
])
def test_the_thing_a_question_is_about_is_what_it_names_whole(question, thing):
    """What "it" may stand for after the question: the thing it names whole, not "nmap used for"."""
    from chatbot.dialogue import _asked_about

    assert _asked_about(question) == thing


def test_a_long_english_word_the_model_splits_is_no_unknown_name(fake_engine):
    """"troubleshooting" is not in the model's word list (it splits it), yet it is English, not the name of
    something the documents never mention, as "smbpasswd" is."""
    assert fake_engine.unknown_names("which log level helps with troubleshooting?") == []
    assert fake_engine.unknown_names("which log level helps with smbpasswd?") == ["smbpasswd"]


@pytest.mark.parametrize("asked, follow_up, reading", [
    ("How do I create an alias for someone?", "and how do I get rid of it later?",
     "How do I get rid of an alias later?"),
    ("How do I back up my repo key?", "and how do I restore it?", "How do I restore my repo key?"),
    ("How can I use a different From address automatically?", "can it change per folder?",
     "Can a different From address change per folder?"),
])
def test_it_after_a_question_for_a_way_stands_for_the_thing_the_way_acts_on(asked, follow_up, reading):
    """"How do I create an alias?" then "how do I get rid of it?": "it" is the alias, and the follow-up reads as
    one question a person would write, not as the two glued together. "that" may stand for the action
    ("how do I undo that?"), so only "it" is read so."""
    from chatbot.dialogue import _object_of, _read_as_of

    assert _read_as_of(follow_up, _object_of(asked))[1] == reading
    assert _object_of("How do I turn on header caching?") == ""  # no determiner: no one thing to stand for



def test_asking_what_a_thing_is_is_answered_however_it_is_written(tmp_path, real_embedder, mixed_engine):
    """A word that heads several sections ("redirection", "cleaning") alone gets "which angle?"; asked what
    it is, written "what's" or after "ok, and", it is a question to answer ("what's a PDU?" got options, and
    "ok, and how do I pay a vendor's bill?" options with nothing to do with paying)."""
    files = {"shell.md": "# Shell guide\n\n## Redirecting output\n\nThe > redirection writes a command's output to "
                         "a file, and >> appends to it.\n\n## Redirecting input\n\nThe < redirection reads a "
                         "command's input from a file.\n\n## Here strings\n\nThe <<< redirection passes a word "
                         "to a command as its input.\n\n## Redirection order\n\nRedirections are applied from left "
                         "to right.\n"}
    engine = engine_over(tmp_path, files, real_embedder)
    assert Conversation(engine).send("redirection?").kind == "clarify"
    assert Conversation(engine).send("what's redirection?").kind == "answer"
    assert Conversation(mixed_engine).send("cleaning").kind == "clarify"
    assert Conversation(mixed_engine).send("ok, and what is cleaning?").kind == "answer"


def test_it_read_as_the_thing_asked_about_is_a_question_of_its_own(tmp_path, real_embedder):
    """"How do I add a word to the spelling dictionary?" then "and how do I take it out again?": read as
    "How do I take a word out again?", that is a question the documents answer in another section, in words
    the message does not use ("remove_spelling()"). It had been refused because the passage found did not
    share the message's words; a question of its own passes the gates any question passes."""
    files = {"spelling.md": (
        "# Spelling correction\n\nXapian can suggest a corrected spelling of a query from a dictionary of words "
        "kept in the database.\n\n## Indexing\n\nThe spelling dictionary can be built from the words of indexed "
        "text, or from a static word list. If db is a WritableDatabase, you can add a word with "
        "db.add_spelling(word, frequency).\n\n## Dynamic spelling data\n\nWhen documents are deleted, the words "
        "of their text stay in the dictionary. If you want such entries gone, call db.remove_spelling(word) for "
        "each word of the documents you remove.\n\n## Search\n\nAt search time, enable spelling correction with "
        "a query parser flag, then ask the parser for its corrected query string.\n"),
        "replication.md": (
            "# Replication\n\n## Setting up\n\nRun the replication server on the master machine and point each "
            "client at its port.\n\n## Limits\n\nA client opens the replica read-only; writes go to the master.\n\n"
            "## Failover\n\nIf the master dies, promote a replica by copying its files into place.\n"),
        "backups.md": (
            "# Backups\n\n## Copying files\n\nHalt modifications, copy every file of the database directory, then "
            "resume.\n\n## Snapshots\n\nAn instant snapshot of the filesystem is a valid backup.\n\n## Checking\n\n"
            "Run the check tool on the copy before you rely on it.\n")}
    engine = engine_over(tmp_path, files, real_embedder)
    conversation = Conversation(engine)
    assert conversation.send("How do I add a word to the spelling dictionary by hand?").kind == "answer"
    reply = conversation.send("and how do I take it out again?")
    assert reply.kind == "answer", reply.text
    assert reply.interpreted_as == "How do I take a word out again?"
    assert "remove_spelling" in reply.citations[0].quote


FILES_GUIDE = """# Files

## Reading

To open a data file for reading, call input(name); it returns a file you read values from.

## Writing

To open a data file for writing, call output(name); values written to it go to the file when it is closed.

## Formats

Files hold plain text by default; a binary file is opened with the binary mode.
"""


def test_and_for_x_swaps_the_words_after_the_same_preposition_without_doubling_it(tmp_path, real_embedder):
    """"and for writing?" after "How do I open a data file for reading?" reads "… for writing?", not
    "… for for writing?", which had been shown as "Taking this as:"."""
    engine = engine_over(tmp_path, {"files.md": FILES_GUIDE}, real_embedder)
    conversation = Conversation(engine)
    assert conversation.send("How do I open a data file for reading?").kind == "answer"
    assert conversation._with_aspect_swapped("and for writing?") == "How do I open a data file for writing?"


def test_a_section_two_documents_name_alike_is_offered_once(tmp_path, real_embedder):
    """A page and its printed copy (or two editions) name their sections alike while their words differ:
    "Which angle?" offered "Kettle Care › Boiling" twice, one option per copy."""
    from chatbot.chunking import ChunkSettings
    from chatbot.dialogue import Engine
    from chatbot.search_index import open_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    editions = {"care.md": ("Descale the kettle every month with citric acid. Rinse it twice afterwards.",
                            "The spout filter keeps scale out of the cup. Rinse the filter every week.",
                            "Fill the kettle between the marks and press the switch. It stops by itself."),
                "care-notes.md": ("Scale builds up fastest where the water is hard, and slows the heating element.",
                                  "A clogged filter makes the kettle spit when it pours.",
                                  "Never boil the kettle empty: the cut-out protects it, but the element suffers.")}
    for name, bodies in editions.items():
        (corpus / name).write_text("# Kettle Care\n\n" + "".join(
            f"## {title}\n\n{body}\n\n" for title, body in zip(("Descaling", "Filters", "Boiling"), bodies,
                                                                 strict=True)), encoding="utf-8")
    engine = Engine(open_index(corpus, tmp_path / "index", real_embedder, ChunkSettings()), real_embedder)
    hits = engine.retriever.search("kettle care", k=10)
    labels = [option.label for option in Conversation(engine)._section_options("kettle care", hits, 4)]
    assert labels and len(labels) == len(set(labels)) and engine.label_of(hits[0].passage) not in labels


def test_a_follow_up_answer_mostly_made_of_the_last_answer_counts_as_a_repeat():
    """A reply that says again what the last answer said, from the same passage with a few words more or from
    the document's copy in another format (a PDF beside its Markdown), tells nothing new: it counts as a
    repeat, so the message is read on its own. One that adds a sentence that answers does not."""
    from chatbot.dialogue import _quotes, _repeats
    from chatbot.records import Citation, Reply

    said = "Encrypted swap is set up in /etc/crypttab with a random key at every boot."
    last = _quotes(Reply("answer", "", (Citation(1, "FAQ.md", "2.3", 0, len(said), said),)))
    copy = Reply("answer", "", (Citation(1, "FAQ.pdf", "2.3", 40, 40 + len(said) + 2,
                                         said.replace("random key", "random\n  key")),))
    assert _repeats(copy, last)
    longer = Reply("answer", "", (Citation(1, "FAQ.md", "2.3", 0, len(said), said),
                                  Citation(2, "FAQ.md", "2.3", 80, 89, "It works.")))
    assert _repeats(longer, last)
    beside = "You can add options to the entries in crypttab to limit which devices it unlocks."
    answered = Reply("answer", "", (Citation(1, "FAQ.md", "2.3", 0, len(said), said),
                                    Citation(2, "FAQ.md", "2.3", 80, 80 + len(beside), beside)))
    assert not _repeats(answered, last)  # the last answer again, beside the sentence that answers
    new = "Such a swap partition cannot be used to resume after suspend to disk, since its key is gone at reboot."
    news = Reply("answer", "", (Citation(1, "README.Debian", "2", 0, 20, "Swap is encrypted."),
                                Citation(2, "README.Debian", "2", 21, 21 + len(new), new)))
    assert not _repeats(news, last)


@pytest.mark.parametrize("asked, message, alone", [
    ("How do I increment the number under the cursor?", "Tell me about plugins.", True),
    ("How do I record a macro?", "I'd like to know about backups.", True),
    ("Tell me about RAID10.", "What about spares?", True),
    ("I need help with terminals.", "what about fonts?", True),
    ("How do I record a macro?", "what about it?", False),
    ("How much memory does a lab desktop need?", "what about a lab server?", False),
    ("Tell me about Toolkit 2.0", "Tell me about its parser.", False),
])
def test_a_request_for_an_overview_of_a_thing_leans_on_no_earlier_turn(asked, message, alone):
    """"Tell me about plugins." after a question about numbers asks about plugins, not "How do I increment the
    number …? Tell me about plugins?"; right after such a request, "what about spares?" asks the same of spares.
    "what about a lab server?" after a question still asks that question of a lab server."""
    from chatbot.dialogue import _asks_overview

    assert _asks_overview(message, after=asked) is alone


def test_a_question_in_full_after_another_is_answered_as_if_asked_first(real_engine):
    """A question of many words of its own ("… building its own plant?") is answered as it would be first in a
    conversation, though its "its" could point back: its own words find its answer."""
    first = "Is every contract manufacturing deal a CDMO arrangement?"
    then = "Why would a sponsor pick a CDMO instead of building its own plant?"
    conversation = Conversation(real_engine)
    assert conversation.send(first).kind == "answer"
    in_turn, alone = conversation.send(then), Conversation(real_engine).send(then)
    assert in_turn.kind == alone.kind == "answer"
    assert in_turn.interpreted_as == ""
    assert [(c.doc, c.start, c.end) for c in in_turn.citations] == [(c.doc, c.start, c.end) for c in alone.citations]
    assert_citations_exact(in_turn, real_engine.index.documents)


def test_questions_asked_one_after_another_are_answered_as_if_each_came_first(real_engine):
    """People ask unrelated questions in one conversation: the seed questions, asked in a row, get the replies
    they get asked alone."""
    import json
    from pathlib import Path

    questions = [json.loads(line)["q"] for line in
                 (Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl").read_text().splitlines()
                 if line.strip()]
    conversation = Conversation(real_engine)
    differ = []
    for question in questions:
        in_turn = conversation.send(question)
        conversation.state.pending = ()  # a "which angle?" left unanswered
        alone = Conversation(real_engine).send(question)
        if (in_turn.kind, [c.start for c in in_turn.citations]) != (alone.kind, [c.start for c in alone.citations]):
            differ.append(question)
    assert differ == []


EDITOR_SETTINGS = """# Editor settings

## Display

Long lines can be shown soft-wrapped on the screen, so that no text runs off the right edge. The colours of the
title bar and the status bar are chosen here as well.

## Typing

While you type, the editor can hard-wrap a line once it grows longer than the fill width, by inserting a line
break. Automatic indentation of new lines is set here too.

## Printing

Printed pages wrap long lines at the paper's edge, and every page gets a header with the file name and page
number.

## Saving

Files are saved with a backup copy when the backup option is on.
"""


def test_asking_about_a_thing_several_sections_speak_of_gets_which_angle(tmp_path, real_embedder):
    """"Tell me about wrapping." names no section, yet three sections speak of wrapping, each of another kind of
    it: which angle is asked, with those sections. "Tell me about backups." finds one section: it is answered."""
    engine = engine_over(tmp_path, {"settings.md": EDITOR_SETTINGS}, real_embedder)
    reply = Conversation(engine).send("Tell me about wrapping.")
    assert reply.kind == "clarify"  # the best section quoted, the others offered
    shown = {label.split(" › ")[-1] for label in reply.options} | {c.section.split(" › ")[-1] for c in reply.citations}
    assert {"Display", "Typing", "Printing"} <= shown
    assert Conversation(engine).send("Tell me about backups.").kind == "answer"


BROWSER_GUIDE = """# Browsing with Quill

Quill shows web pages as text. Quill starts on the home page you set, and Quill moves between links with the arrow keys.

# Cookies in Quill

Quill asks before it accepts a cookie. To accept every cookie without a prompt, set ACCEPT_ALL_COOKIES to TRUE
in quill.cfg.

Cookies that Quill accepted are written to the file ~/.quill_cookies when you leave, and read from it at the next start.

# Bookmarks in Quill

Quill keeps bookmarks in an HTML file. Press a to add the page you are on, and v to view the list.

# Printing from Quill

Quill prints a page through the command that PRINTER names in quill.cfg.
"""


def test_a_pronoun_is_not_read_as_the_name_most_of_the_documents_speak_of(tmp_path, real_embedder):
    """In a guide to one program, whose name stands in nearly every section, "they" after a question about its
    bookmarks are the bookmarks, not the program: read "Where are Quill stored?", the follow-up was shown
    garbled and searched for the program. It is read after the last question."""
    engine = engine_over(tmp_path, {"quill.md": BROWSER_GUIDE}, real_embedder)
    assert "quill" in engine.broad_terms
    for first, then, said in [("Can I keep bookmarks in Quill?", "Where are they stored?", "HTML file"),
                              ("How do I make Quill accept every cookie without asking me?",
                               "Which file do they get kept in between sessions?", "~/.quill_cookies")]:
        conversation = Conversation(engine)
        assert conversation.send(first).kind == "answer"
        reply = conversation.send(then)
        assert reply.kind == "answer" and reply.interpreted_as == f"{first} {then}", reply.interpreted_as
        assert said in " ".join(c.quote for c in reply.citations), reply.citations
        assert_citations_exact(reply, engine.index.documents)


CHAT_LOGS = """# Logging

The client can keep logs of what is said in three ways, each described below.

## Basic logging

The LOG command writes what a window shows to a file of your choice. Each log file is opened by hand and
closed by hand. Logs opened this way can be listed with LOG LIST.

## Raw log

The raw log keeps the last lines the server sent, before any formatting. It is meant for debugging the
client and stays in memory until you save it with RAWLOG SAVE.

## Automatic logging

Automatic logging writes every private message and channel to its own file, named after its target. Files
are closed after a few minutes without messages, and the folders for them are made as needed. Each file is
named after the nick or channel it holds. To turn it on, type SET AUTOLOG ON.
"""


def test_an_angle_picked_by_the_users_words_is_answered_on_what_those_words_ask(tmp_path, real_embedder):
    """After "which angle?", "the automatic kind: how do I turn it on?" picks "Automatic logging" by its
    words, and those words ask something of it: the reply quotes how to turn it on, not the section's
    opening lines."""
    engine = engine_over(tmp_path, {"logs.md": CHAT_LOGS}, real_embedder)
    conversation = Conversation(engine)
    vague = conversation.send("Tell me about logging.")
    assert vague.kind == "clarify" and any("Automatic logging" in o for o in vague.options), vague.options
    reply = conversation.send("the automatic kind, how do I turn it on?")
    assert reply.kind == "answer" and all(c.section.endswith("Automatic logging") for c in reply.citations)
    assert "SET AUTOLOG ON" in " ".join(c.quote for c in reply.citations), reply.citations
    assert_citations_exact(reply, engine.index.documents)


CACHE_VOLUMES = """# Cached volumes

## Cache modes

A cached volume keeps its hot blocks on a small SSD in front of the slow origin disk.
Writethrough stores every block written both on the cache disk and on the origin disk, so losing the cache
disk loses no data.
Writeback writes blocks to the cache disk first and copies them to the origin later, which is faster but
loses data when the cache disk fails.
The default cache mode is writethrough.

## Running out of space

When a thin pool fills up, writes to it are queued until the pool is extended.
This is the default.
A pool can instead be set to return errors at once when it is full.

## Reporting

The volume list shows each volume's size, its pool and how full it is.
"""


def test_a_follow_up_with_nothing_of_its_own_is_never_answered_alone(tmp_path, real_embedder, monkeypatch):
    """"Is that the default?" asks its one word of the last question. Where the reading with the subject in
    the pronoun's place ("Is SSD the default?") found no support it was read alone, and quoted a sentence
    "This is the default." about something else, which told the person nothing (blind testers' follow-ups: 4
    more right of 883 turns, none fewer). It is read after the last question then."""
    engine = engine_over(tmp_path, {"volumes.md": CACHE_VOLUMES}, real_embedder)
    conversation = Conversation(engine)
    first = conversation.send("Which mode won't lose my data if the SSD dies?")
    assert first.kind == "answer" and {c.section for c in first.citations} == {"Cached volumes › Cache modes"}, \
        first.text
    monkeypatch.setattr(Conversation, "_reading_supported", lambda self, *args, **kwargs: False)
    reply = conversation.send("Is that the default?")
    assert reply.kind == "answer", reply.text
    assert {c.section for c in reply.citations} == {"Cached volumes › Cache modes"}, reply.text
    assert reply.interpreted_as.endswith("Is that the default?"), reply.interpreted_as
    assert_citations_exact(reply, engine.index.documents)
