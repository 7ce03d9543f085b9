"""Reading documents and finding their sections, with offsets into the text exactly as read."""

from __future__ import annotations

import re
from pathlib import Path

import pysbd
import pytest
from conftest import FIXTURE_CORPUS, REPO, SEED_CORPUS

from chatbot.chunking import _segmenter, chunk_document, split_sentences
from chatbot.corpus import CorpusError, find_sections, read_corpus
from chatbot.readers.text import heading_title

OTHER_CORPUS = REPO / "eval" / "other" / "corpus"


def test_seed_corpus_is_the_seed_files_unchanged():
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    assert sorted(p.name for p in SEED_CORPUS.iterdir()) == sorted(p.name for p in seeds.iterdir())
    for seed in seeds.iterdir():
        assert (SEED_CORPUS / seed.name).read_bytes() == seed.read_bytes()


def test_reads_txt_and_md_recursively_with_relative_ids(fixture_corpus):
    (fixture_corpus / "notes.pdf").write_bytes(b"%PDF-1.4 not a text document")
    (fixture_corpus / ".hidden.md").write_text("# Hidden\n\nnot part of the corpus\n")
    docs = read_corpus(fixture_corpus)
    assert [d.id for d in docs] == ["guides/bicycle.md", "tea_faq.txt"]
    for doc in docs:
        assert doc.text == (fixture_corpus / doc.id).read_bytes().decode("utf-8")


def test_missing_or_empty_corpus_names_the_fix(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no readable"):
        read_corpus(tmp_path / "empty")


def test_crlf_and_bom_keep_exact_offsets(tmp_path):
    (tmp_path / "win.txt").write_bytes("\ufeffWhat is tea?\r\nTea is a drink. It is hot.\r\n".encode())
    doc = read_corpus(tmp_path)[0]
    [section] = find_sections(doc)
    assert section.title == "What is tea?"
    passage = chunk_document(doc)[0]
    quotes = [doc.text[s.start:s.end] for s in passage.sentences]
    assert quotes == ["Tea is a drink.", "It is hot."]


@pytest.mark.parametrize("line, expected", [
    ("## Chain maintenance", "Chain maintenance"),
    ("What does it cost?", "What does it cost?"),
    ("What are the key services provided:", "What are the key services provided:"),
    ("Storing tea at home", "Storing tea at home"),
    ("Common challenges include:", None),  # a list's lead line, not a heading
    ("- A kettle with temperature control", None),
    ("Tea is a drink that many people enjoy in the morning.", None),
    ("", None),
])
def test_heading_lines(line, expected):
    assert heading_title(line) == expected


def test_every_seed_heading_becomes_a_section_and_sections_tile_the_text():
    for doc in read_corpus(SEED_CORPUS):
        sections = find_sections(doc)
        assert len(sections) >= 5
        for section in sections:
            heading = doc.text[section.start:section.body_start].strip()
            assert heading == section.title
            assert doc.text[section.body_start:section.end].strip(), "a section has body text"
        for before, after in zip(sections, sections[1:], strict=False):
            assert before.end == after.start
        # FAQ question lines are headings; list lead lines and list items are not
        titles = [s.title for s in sections]
        question_lines = [line.strip() for line in doc.text.splitlines() if line.strip().endswith("?")]
        assert question_lines and all(q in titles for q in question_lines)
        assert not any(t.startswith("-") for t in titles)


def test_sentences_survive_abbreviations_domains_lists_and_dashes():
    text = ("Compare A vs. B, e.g. price. Visit Example.com for more — it is free. "
            "Then decide.\n- First item\n- Second item, e.g. this\n")
    sentences = split_sentences(text, 0, len(text))
    quotes = [text[s.start:s.end] for s in sentences]
    assert quotes == ["Compare A vs. B, e.g. price.", "Visit Example.com for more — it is free.", "Then decide.",
                      "- First item", "- Second item, e.g. this"]
    assert [s.is_list_item for s in sentences] == [False, False, False, True, True]


def test_a_line_break_inside_a_paragraph_does_not_end_a_sentence():
    text = ("Members may borrow up to ten items\nat one time. When a loan is\r\nlate, a fee is due.\n\n"
            "- A list item that wraps onto\n  an indented second line\n- Next item\n")
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["Members may borrow up to ten items\nat one time.", "When a loan is\r\nlate, a fee is due.",
                      "- A list item that wraps onto\n  an indented second line", "- Next item"]


def test_run_in_bold_titles_and_abbreviations_before_numbers_stay_whole():
    text = ("**Water leaks at the seal.** Clean the rim. Use approx. 18 g of coffee, "
            "i.e. two scoops. Wait ca. 30 s, then pour. It is 93 °C. 20 g is the most.")
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["**Water leaks at the seal.**", "Clean the rim.", "Use approx. 18 g of coffee, i.e. two scoops.",
                      "Wait ca. 30 s, then pour.", "It is 93 °C.", "20 g is the most."]


def test_a_number_in_parentheses_or_an_inline_enumeration_does_not_end_a_sentence():
    """pysbd took "1)" in "(file descriptor 1)" and "(a)" in "one of (a) …" for a list's number and cut the
    sentence there; a list written as sentences ("Steps: (1) Open it. (2) Close it.") keeps its items."""
    text = ("This construct allows both the standard output (file descriptor 1) and the standard error output "
            "(file descriptor 2) to be redirected. Pick one of (a) the fast path or (b) the safe path. "
            "Steps: (1) Open it. (2) Close it.")
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["This construct allows both the standard output (file descriptor 1) and the standard error "
                      "output (file descriptor 2) to be redirected.",
                      "Pick one of (a) the fast path or (b) the safe path.", "Steps: (1) Open it.", "(2) Close it."]


def test_a_short_aside_after_a_sentence_ends_with_it():
    """Tor's manual closes an option's description with "(Default: 0)": an aside of the sentence before, not a
    sentence of its own, which had been quoted at the head of the next option's answer."""
    text = "Can not be changed while tor is running. (Default: 0) Allow connections on the control port."
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["Can not be changed while tor is running. (Default: 0)", "Allow connections on the control port."]


def test_a_sentence_ending_in_a_number_before_two_spaces_keeps_it_and_a_list_keeps_its_numbers():
    """Hard-wrapped text with two spaces after a full stop ("… count of 3.  The thread …"): the number ends its
    sentence; pysbd took it for a list's number starting the next one. Numbered steps after a full stop
    stay items."""
    text = ("The memory is set to 1GiB and an\n  iteration count of 3.  The thread parameter is set to 4.  To "
            "achieve 2\n  seconds, the memory is adjusted down.  Steps follow. 1. Open the lid. 2. Pour.")
    quotes = [" ".join(text[s.start:s.end].split()) for s in split_sentences(text, 0, len(text))]
    assert quotes == ["The memory is set to 1GiB and an iteration count of 3.", "The thread parameter is set to 4.",
                      "To achieve 2 seconds, the memory is adjusted down.", "Steps follow.", "1. Open the lid.",
                      "2. Pour."]


@pytest.mark.parametrize("folder", [SEED_CORPUS, FIXTURE_CORPUS, OTHER_CORPUS])
def test_sentence_lookup_finds_what_pysbds_own_finds(folder):
    """Our faster span lookup changes no boundary: same spans as pysbd's, on real paragraphs and on
    repeated sentences, where a lookup can latch onto an earlier copy."""
    reference = pysbd.Segmenter(language="en", clean=False, char_span=True)
    paragraphs = [p for doc in read_corpus(folder) for p in doc.text.split("\n\n") if p.strip()]
    paragraphs += ["Yes. Yes. Yes.", "It works.  It works.\tIt works. ", "No. Maybe. No. Maybe. "]
    for paragraph in paragraphs:
        expected = [(s.sent, s.start, s.end) for s in reference.segment(paragraph)]
        assert [(s.sent, s.start, s.end) for s in _segmenter().segment(paragraph)] == expected


def test_seed_passages_and_sentences_quote_exactly():
    for doc in read_corpus(SEED_CORPUS):
        passages = chunk_document(doc)
        assert passages
        for passage in passages:
            assert doc.text[passage.start:passage.end] == passage.text
            for sentence in passage.sentences:
                quote = doc.text[sentence.start:sentence.end]
                assert quote and quote == quote.strip()
                assert passage.start <= sentence.start < sentence.end <= passage.end


def test_hard_wrapped_paragraphs_code_and_nested_markdown_headings(tmp_path):
    (tmp_path / "guide.md").write_text(
        "# Guide\n## Setup\n\nWe set up the machine during the\nfirst week of the project. It took long.\n\n"
        "```sh\n# not a heading\nmake run\n```\n\nShort Title Here\n\nA paragraph under the title.\n"
        "[a link](http://example.com)\n\nMore text follows here.\n")
    doc = read_corpus(tmp_path)[0]
    titles = [s.title for s in find_sections(doc)]
    assert titles == ["Guide", "Setup", "Short Title Here"]
    for passage in chunk_document(doc):
        assert doc.text[passage.start:passage.end] == passage.text


def test_markdown_headings_are_named_without_their_inline_marks(tmp_path):
    """A section is named as the heading shows: "Class: dns.Resolver", not "Class: `dns.Resolver`"; code keeps
    its brackets. The text, which citations quote, keeps the marks."""
    (tmp_path / "api.md").write_text(
        "# DNS\n\n## Class: `dns.Resolver`\n\nA resolver.\n\n### `resolver.setLocalAddress([ipv4][, ipv6])`\n\n"
        "Sets the address.\n\n## [Error codes](#errors) and **limits**\n\nEach error has a code.\n")
    doc = read_corpus(tmp_path)[0]
    assert [s.title for s in find_sections(doc)] == [
        "DNS", "Class: dns.Resolver", "resolver.setLocalAddress([ipv4][, ipv6])", "Error codes and limits"]
    assert "## Class: `dns.Resolver`" in doc.text


def test_front_matter_is_not_text_and_a_title_line_names_the_opening_text(tmp_path):
    (tmp_path / "ride.md").write_text("---\ntitle: Riding\naudience: new riders\n---\n\n# Riding Well\n\n"
                                      "Ride often.\n\n## Brakes\n\nCheck them weekly.\n")
    (tmp_path / "rules.txt").write_text("Town Pool Rules\nSummer Edition\n\nEveryone showers first. Children "
                                        "under eight swim with an adult.\n\nOpening Times\n\nDaily from 9 to 6.\n")
    (tmp_path / "notes.txt").write_text("Some opening words without a title. More follow.\n\nA Heading\n\nBody.\n")
    documents = {d.id: d for d in read_corpus(tmp_path)}
    ride = find_sections(documents["ride.md"])
    assert [s.title for s in ride] == ["Riding Well", "Brakes"]
    for passage in chunk_document(documents["ride.md"]):
        assert "audience" not in passage.text
    rules = find_sections(documents["rules.txt"])
    assert [s.title for s in rules] == ["Town Pool Rules", "Opening Times"]
    text = documents["rules.txt"].text
    quotes = [text[x.start:x.end] for p in chunk_document(documents["rules.txt"]) for x in p.sentences]
    assert "Town Pool Rules" not in quotes[0] and "Everyone showers first." in quotes
    assert [s.title for s in find_sections(documents["notes.txt"])] == ["notes", "A Heading"]


def test_a_dot_inside_a_quoted_path_does_not_cut_the_sentence():
    """As a PDF prints it (”./source”), pysbd ends a sentence at that dot."""
    text = "Copy the directory ”./source” to ”/dest” with rsync. Then check it."
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["Copy the directory ”./source” to ”/dest” with rsync.", "Then check it."]


def test_a_mark_standing_alone_does_not_end_the_sentence():
    """A web page's <code>.</code> reads as " . ": the character named, not the sentence's end."""
    text = "It returns the text after the last occurrence of the . (period) character. Then it stops."
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["It returns the text after the last occurrence of the . (period) character.", "Then it stops."]


def test_a_footnote_mark_after_a_full_stop_stays_with_the_sentence_it_marks():
    """pysbd makes "[14]" after "… 30 characters." a sentence of its own, or the start of the next one: quoted
    with the next paragraph's sentence ("[14]\\n\\nIf upstream …"), it read as that sentence's label. A mark
    opening a footnote's own paragraph stays with the note."""
    text = "Keep the name within 30 characters. [14] Names are lower case. [15]\n\n^[14] The field is 30 wide."
    quotes = [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]
    assert quotes == ["Keep the name within 30 characters. [14]", "Names are lower case. [15]",
                      "^[14] The field is 30 wide."]


def test_admonition_labels_kept_as_text_by_a_reader_are_not_quoted():
    from chatbot.readers import TextBuilder

    builder = TextBuilder()
    builder.add("heading", "1. Setup", level=1, numbering="1.")
    for n in range(3):
        builder.add("paragraph", "Note")
        builder.add("paragraph", f"Step {n} needs a restart of the service before it applies.")
    document = builder.document("page.html", "Setup", "html")
    quotes = [document.text[s.start:s.end] for p in chunk_document(document) for s in p.sentences]
    assert "Note" not in quotes and len(quotes) == 3


def test_a_saved_pages_site_banner_and_menu_are_not_quoted():
    """SQLite's pages saved to Word keep the site's banner and menu as text under the page's title ("SQLite",
    "Home", "Menu", "Search", "Search Documentation Search Changelog"): the menu had been the whole answer to
    "how do I turn on write-ahead logging?". A page that only opens with "Table of Contents" keeps what follows."""
    from chatbot.readers import TextBuilder

    builder = TextBuilder()
    builder.add("heading", "Write-Ahead Logging", level=1)
    for line in ("SQLite", "Small. Fast. Reliable. Choose any three."):
        builder.add("paragraph", line)
    for item in ("Home", "Menu", "Search"):
        builder.add("list_item", item, level=1)
    builder.add("paragraph", "Search Documentation Search Changelog")
    builder.add("heading", "1. Overview", level=1, numbering="1.")
    builder.add("paragraph", "The default method by which SQLite implements atomic commit is a rollback journal.")
    document = builder.document("wal.docx", "Write-Ahead Logging", "docx")
    quotes = [document.text[s.start:s.end] for p in chunk_document(document) for s in p.sentences]
    assert quotes == ["The default method by which SQLite implements atomic commit is a rollback journal."]

    builder = TextBuilder()
    builder.add("paragraph", "Table of Contents")
    builder.add("paragraph", "tor - The second-generation onion router")
    builder.add("heading", "DESCRIPTION", level=1)
    builder.add("paragraph", "Tor is a connection-oriented anonymizing communication service.")
    document = builder.document("tor.html", "tor", "html")
    quotes = [document.text[s.start:s.end] for p in chunk_document(document) for s in p.sentences]
    assert "tor - The second-generation onion router" in quotes


def test_a_printed_contents_box_is_not_quoted_with_entries_for_headings_not_found():
    """A Sphinx page printed to PDF keeps its "Contents" box as lines of text; the reader took some of its titles
    for headings further on, not all ("Code Signing"), and one line holds two titles run together. The box's
    lines were quoted as an answer; none is now."""
    from chatbot.readers import TextBuilder

    titles = ["Introduction", "Languages", "Cross Compiling for Linux", "Cross Compiling for QNX",
              "Cross Compiling for Android"]
    builder = TextBuilder()
    builder.add("heading", "cmake-toolchains(7)", level=1)
    for line in ["Contents", *titles, "Cross Compiling for Android with the NDK Cross Compiling for iOS",
                 "Code Signing", "Switching Between Device and Simulator"]:
        builder.add("paragraph", line)
    for title in titles:
        builder.add("heading", title, level=2)
        builder.add("paragraph", f"This part explains {title.lower()} for toolchain files.")
    document = builder.document("cmake-toolchains.7.pdf", "cmake-toolchains(7)", "pdf")
    quotes = [document.text[s.start:s.end] for p in chunk_document(document) for s in p.sentences]
    assert quotes == [f"This part explains {title.lower()} for toolchain files." for title in titles]


def test_a_lone_header_row_of_capital_labels_is_not_quoted_but_a_table_with_rows_is():
    """A title page's empty form ("ROLE | NAME | DATE") is a table header with nothing under it."""
    from chatbot.readers import TextBuilder

    builder = TextBuilder()
    builder.add("heading", "Kettle Manual", level=1)
    builder.add("table_row", "ROLE | NAME | DATE | SIGNATURE")
    builder.add("paragraph", "Prepared by the appliance team.")
    builder.add("heading", "1. Settings", level=1, numbering="1.")
    builder.add("table_row", "MODE | TEMPERATURE")
    builder.add("table_row", "Green tea | 80 °C")
    builder.add("paragraph", "Pick the mode before you fill the kettle.")
    document = builder.document("kettle.pdf", "Kettle Manual", "pdf")
    quotes = [document.text[s.start:s.end] for p in chunk_document(document) for s in p.sentences]
    assert "ROLE | NAME | DATE | SIGNATURE" not in quotes
    assert "MODE | TEMPERATURE" in quotes and "Green tea | 80 °C" in quotes


@pytest.mark.parametrize("term_kind", ["paragraph", "code"])
def test_a_term_standing_as_a_paragraph_of_its_own_opens_the_passage_of_its_description(term_kind):
    """A manual's list of options, read from a PDF, sets each name as a paragraph of its own over its
    description, or in the code font as a block of one line (bash's "HISTCONTROL"): where a passage must end,
    it ends before a name, never between a name and what it means."""
    from chatbot.chunking import ChunkSettings
    from chatbot.readers import TextBuilder

    builder = TextBuilder()
    builder.add("heading", "Options", level=1)
    for n in range(12):
        # (in the code font a name alone: a command line over its explanation stays where it falls)
        builder.add(term_kind, f"KETTLE_OPTION_{n}" + (f" (-{chr(97 + n)})" if term_kind == "paragraph" else ""))
        builder.add("paragraph", f"When set, the kettle runs program {n} of its firmware"
                    + ", then checks the water level and the temperature of the plate" * (1 + n % 5) + ".")
    document = builder.document("kettle.pdf", "Kettle", "pdf")
    passages = chunk_document(document, ChunkSettings())
    assert len(passages) > 1
    assert not any(re.search(r"KETTLE_OPTION_\d+(?: \(-\w\))?$", p.text.rstrip()) for p in passages), \
        [p.text[-40:] for p in passages]
    assert sum(passage.text.count("KETTLE_OPTION_") for passage in passages) == 12


def test_a_list_stays_with_its_lead_line_unless_it_is_far_too_long_for_one_passage():
    """A short list answers with its lead line; a manual's list of sixty commands split into passages of
    a size the model reads whole, or a question about its last items matches a passage it only half saw."""
    from chatbot.chunking import LONG_LIST_PASSAGES, ChunkSettings
    from chatbot.readers import TextBuilder

    settings = ChunkSettings()
    builder = TextBuilder()
    builder.add("heading", "1. Short list", level=1, numbering="1.")
    builder.add("paragraph", "Descale the kettle with these steps:")
    for step in ("Fill it with vinegar and water.", "Boil it once.", "Rinse it twice."):
        builder.add("list_item", step, level=1)
    builder.add("heading", "2. Commands", level=1, numbering="2.")
    builder.add("paragraph", "Here are the commands of the kettle shell:")
    for n in range(60):
        builder.add("list_item", f"brew{n} starts brewing program number {n} with the settings stored for it", level=1)
    document = builder.document("kettle.md", "Kettle", "markdown")
    passages = chunk_document(document, settings)
    short = [p for p in passages if p.section == "1. Short list"]
    assert len(short) == 1 and short[0].text.startswith("Descale") and short[0].text.endswith("twice.")
    long = [p for p in passages if p.section == "2. Commands"]
    assert len(long) > 1 and long[0].text.startswith("Here are the commands")
    limit = settings.max_passage_words * LONG_LIST_PASSAGES
    assert all(len(p.text.split()) <= limit for p in long)
    starts = [s.start for p in long for s in p.sentences]
    assert starts == sorted(set(starts))  # every item once, in order


def test_text_before_any_heading_is_named_after_its_file_with_a_suffix_that_says_what_it_is(tmp_path):
    """A file with no headings is one section, named after the file: "handbook" for handbook.txt, but
    "sample.nanorc" whole, whose suffix says what it is ("sample" alone says nothing)."""
    from chatbot.corpus import find_sections
    from chatbot.readers import read_document

    for name, title in (("handbook.txt", "handbook"), ("sample.nanorc", "sample.nanorc")):
        path = tmp_path / name
        path.write_text("Copies of files are kept when the backup option is on.\n", encoding="utf-8")
        assert [s.title for s in find_sections(read_document(path, name))][0] == title
