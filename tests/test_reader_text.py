"""Plain text as people have it: a real manual's plain-text edition (the first 1,400 lines of the Debian
Reference, GPL-2+, see tests/data/text/README.md) and the shapes it and others take."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import block_texts

from chatbot.chunking import ChunkSettings, chunk_document
from chatbot.corpus import find_sections
from chatbot.readers import Unreadable, read_document
from chatbot.readers.text import find_blocks, heading_text

DATA = Path(__file__).parent / "data" / "text"
EXCERPT = DATA / "debian-reference-excerpt.txt"


@pytest.fixture(scope="module")
def manual():
    return read_document(EXCERPT, EXCERPT.name)


def _read(tmp_path: Path, name: str, text: str):
    """`text` written to a file of that name and read as the corpus reads it."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, name)


def _line_span(text: str, line: str) -> tuple[int, int]:
    match = re.search(rf"^[ \t]*{re.escape(line)}[ \t]*$", text, re.MULTILINE)
    assert match, f"{line!r} is in the file"
    return match.start(), match.end()


def test_offsets_are_into_the_file_as_read_and_blocks_are_trimmed(manual):
    assert manual.text == EXCERPT.read_text(encoding="utf-8")
    for block in manual.blocks:
        piece = manual.text[block.start:block.end]
        assert piece and piece == piece.strip()
    pairs = zip(manual.blocks, manual.blocks[1:], strict=False)
    assert all(a.end <= b.start for a, b in pairs), "blocks in order, never overlapping"


def test_the_table_of_contents_is_never_text_to_quote(manual):
    text = manual.text
    toc_start, _ = _line_span(text, "Table of Contents")
    first_body = text.index("This Debian Reference", toc_start)
    listed = [b for b in manual.blocks if toc_start <= b.start < first_body and b.kind != "heading"]
    assert listed == [], [text[b.start:b.end][:60] for b in listed]
    # the TOC entry "    1.1.1. The shell prompt" is not a heading; the real one further down is
    headings = [b for b in manual.blocks if b.kind == "heading" and text[b.start:b.end].endswith("The shell prompt")]
    assert [" ".join(text[b.start:b.end].split()) for b in headings] == ["1.1.1. The shell prompt"]
    assert headings[0].start > first_body


def test_numbered_headings_give_levels_numbers_and_paths(manual):
    by_title = {s.title: s for s in find_sections(manual)}
    shell = by_title["1.1.1. The shell prompt"]
    assert shell.path == ("Chapter 1. GNU/Linux tutorials", "1.1. Console basics", "1.1.1. The shell prompt")
    sudo = by_title["1.1.12. sudo configuration"]  # a title in lower case is still a numbered heading
    assert sudo.path[-2] == "1.1. Console basics"
    heading = next(b for b in manual.blocks if b.kind == "heading" and manual.text[b.start:b.end].startswith("1.1.12"))
    assert (heading.level, heading.numbering) == (3, "1.1.12.")
    assert manual.title == "Debian Reference"


def test_a_sentence_is_cited_under_its_own_heading_with_wraps_only_in_the_file(manual):
    passages = chunk_document(manual)
    sentence = next((p, s) for p in passages for s in p.sentences
                    if manual.text[s.start:s.end].startswith("Upon starting the system"))
    passage, span = sentence
    assert passage.path.endswith("› 1.1.1. The shell prompt")
    quote = manual.text[span.start:span.end]
    assert "\n" in quote and quote.endswith("desktop system.")  # a hard-wrapped sentence, quoted whole


def test_admonition_labels_and_copyright_front_matter_are_not_content(manual):
    quotes = [manual.text[s.start:s.end] for p in chunk_document(manual) for s in p.sentences]
    assert "Note" not in quotes and "Warning" not in quotes
    assert not any(q.startswith("Copyright") for q in quotes)
    assert not any(s.title in ("Note", "Warning") for s in find_sections(manual))


def test_wrapped_numbered_and_underlined_headings(tmp_path):
    text = ("Sample Handbook\n===============\n\nIntro text for the handbook. It has two sentences.\n\n"
            "2.4. Where can I find the list of mirrors for the project web\n     site?\n\n"
            "    The list is kept on the main page. It is updated weekly.\n\n"
            "Packaging rules\n---------------\n\nEvery package has a maintainer.\n")
    document = _read(tmp_path, "handbook.txt", text)
    sections = find_sections(document)
    assert [s.title for s in sections] == [
        "Sample Handbook", "2.4. Where can I find the list of mirrors for the project web site?", "Packaging rules"]
    assert sections[2].path == ("Sample Handbook", "Packaging rules")
    for passage in chunk_document(document):
        assert not any(document.text[s.start:s.end] in ("site?", "===============") for s in passage.sentences)


def test_contents_lists_of_a_book_and_of_each_chapter_are_left_out(tmp_path):
    """DocBook's plain-text edition: the book's contents names chapters without their "Chapter" label, and
    each chapter opens with its own contents, whose entries can stand alone between blank lines, wrapped,
    as a heading would."""
    text = ("Garden Standard\n\n   Table of Contents\n\n   1. Beds\n   2. The Shed\n\n        2.1. Purpose\n"
            "        2.2. /tools : Hand tools and their\n                care (optional)\n\n"
            "Chapter 1. Beds\n\n   Beds are dug in spring. Each bed is one metre wide.\n\n"
            "Chapter 2. The Shed\n\n   Table of Contents\n\n   2.1. Purpose\n\n"
            "   2.2. /tools : Hand tools and their care\n          (optional)\n\n"
            "2.1. Purpose\n\n   The shed keeps the tools dry. It is locked at night.\n\n"
            "2.2. /tools : Hand tools and their care (optional)\n\n"
            "   Tools are oiled after use. Blades are kept sharp.\n")
    document = _read(tmp_path, "garden.txt", text)
    headings = [" ".join(h.split()) for h in block_texts(document, "heading")]
    assert headings == ["Garden Standard", "Chapter 1. Beds", "Chapter 2. The Shed", "2.1. Purpose",
                        "2.2. /tools : Hand tools and their care (optional)"]
    body = text.index("Chapter 1. Beds")
    listed = [b for b in document.blocks if b.start < body and b.kind != "heading"]
    assert listed == []
    chapter_two = text.index("Chapter 2. The Shed")
    assert not [b for b in document.blocks if chapter_two < b.start < text.index("2.1. Purpose\n\n   The shed")
                and b.kind != "heading"]


def test_a_numbered_list_is_not_a_run_of_headings():
    text = "How to brew\n\n1. Warm the pot\n2. Add the leaves\n3. Pour the water\n\nThat is all there is to it.\n"
    kinds = [(b.kind, text[b.start:b.end]) for b in find_blocks(text)]
    assert ("list_item", "1. Warm the pot") in kinds and ("list_item", "3. Pour the water") in kinds
    assert [k for k, _ in kinds].count("heading") == 1


def test_a_numbered_reference_entry_named_by_a_function_word_heads_its_section(tmp_path):
    """A manual's reference numbers an entry per variable or operator, and some are named "from", "and" or
    "or" (Mutt's "3.109. from"). Such an entry was read as a sentence cut after its last word: its text was
    filed under the entry before it. A cut sentence of several words still heads nothing."""
    text = ("3. Configuration Variables\n\n3.108. forward_quote\n\nWhen set, forwarded messages are quoted.\n\n"
            "3.109. from\n\nWhen set, this variable contains a default from address.\n\n"
            "3.110. a sentence that stops at the\n\nline end is no title.\n")
    document = _read(tmp_path, "manual.txt", text)
    headings = [document.text[b.start:b.end] for b in document.blocks if b.kind == "heading"]
    assert "3.109. from" in headings
    assert not any(h.startswith("3.110.") for h in headings)


def test_ascii_tables_keep_one_block_per_row():
    text = ("Commands\n\n    |command |meaning          |\n    |--------+-----------------|\n"
            "    |ls      |list the files   |\n    |--------+-----------------|\n    |cp a b  |copy a file to a |\n"
            "    |        |new name         |\n    |--------+-----------------|\n\nAfter the table.\n")
    rows = [text[b.start:b.end] for b in find_blocks(text) if b.kind == "table_row"]
    assert len(rows) == 3 and rows[2].startswith("|cp a b") and rows[2].endswith("|new name         |")


def test_a_table_drawn_in_box_characters_keeps_one_block_per_row_and_a_tree_stays_text(tmp_path):
    """lynx, w3m and groff's tbl draw a table with box-drawing characters ("│y   │Years │", "├────┼───┤"): it
    had been one paragraph of 1,000 characters, quoted whole as an answer. A directory tree drawn with the
    same characters ("├── build") has no rule line, and stays as it was."""
    text = ("Date units\n\nTable 4.6. Date units\n\n┌────┬────────────┐\n│Unit│Description │\n├────┼────────────┤\n"
            "│y   │Years       │\n├────┼────────────┤\n│d   │Days        │\n└────┴────────────┘\n\n"
            "The project looks like this:\n\ndocs\n├── build\n└── source\n\nThat is all.\n")
    document = _read(tmp_path, "units.txt", text)
    rows = [document.text[b.start:b.end] for b in document.blocks if b.kind == "table_row"]
    assert rows == ["│Unit│Description │", "│y   │Years       │", "│d   │Days        │"]
    assert "docs\n├── build\n└── source" in [document.text[b.start:b.end] for b in document.blocks]


@pytest.mark.parametrize("raw, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Caf\u00e9 cr\u00e8me\n".encode("latin-1"), "not UTF-8"),
    (b"   \n\n  ", "no readable text"),
])
def test_unreadable_text_says_why(tmp_path, raw, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(Unreadable, match=reason):
        read_document(path, "bad.txt")


def test_unknown_suffix_is_refused_with_the_list_of_formats(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(Unreadable, match=r"no reader for \.xlsx.*\.pdf"):
        read_document(path, "sheet.xlsx")


def test_a_licence_numbered_and_underlined_with_its_terms_defined_under_them(tmp_path):
    """The Mozilla Public License's layout: "1. Definitions" underlined, each term on a numbered line and its
    definition indented under it. A term whose definition starts with a short line is not a heading
    wrapped over two lines: "means" would have fitted on the term's line."""
    text = ("Sample Public License\n=====================\n\n1. Definitions\n--------------\n\n"
            '1.1. "Contributor"\n    means each person or company that creates, contributes to\n'
            "    the creation of, or owns the software we talk about here.\n\n"
            '1.2. "Incompatible Licenses"\n    means\n\n    (a) that the author says so in a notice at\n'
            "        the top of the file; or\n\n    (b) that the software was released long before any\n"
            "        version of this licence existed at all.\n\n"
            "2. Grants\n---------\n\nEach contributor grants you a licence to use the software freely.\n")
    sections = find_sections(_read(tmp_path, "licence.txt", text))
    assert [s.title for s in sections] == ["Sample Public License", "1. Definitions", "2. Grants"]


def test_a_licence_with_centred_titles_and_numbered_terms_closed_by_a_full_stop(tmp_path):
    """The GPL's plain-text layout: centred titles ("Preamble", "TERMS AND CONDITIONS") and numbered terms
    closed by a full stop ("  2. Basic Permissions."); a centred line under the title is its subtitle, and
    a numbered sentence ("1. Wash the pot.") is still a list item."""
    body = "  Everyone may copy and share this licence, but changing it is not\nallowed at all, as set out here.\n"
    text = (" " * 25 + "SAMPLE PUBLIC LICENSE\n" + " " * 26 + "Version 3, June 2007\n\n"
            + body + "\n" + " " * 32 + "Preamble\n\n" + body
            + "\n" + " " * 26 + "TERMS AND CONDITIONS\n\n  0. Definitions.\n\n" + body
            + "\n  1. Source Code.\n\n" + body + "\n  2. Protecting Users' Rights From Section 15.\n\n" + body
            + "\n  1. Wash the pot.\n\n  2. Pour the water.\n\n" + body)
    sections = find_sections(_read(tmp_path, "licence.txt", text))
    assert [s.title for s in sections] == ["SAMPLE PUBLIC LICENSE", "Preamble", "TERMS AND CONDITIONS",
                                           "0. Definitions.", "1. Source Code.",
                                           "2. Protecting Users' Rights From Section 15."]


def test_the_first_line_of_a_hard_wrapped_paragraph_is_not_a_heading():
    """Texinfo's plain text indents a paragraph's first line; cut at the margin, it can look like a title."""
    paragraph = ("   This release of the handbook for package maintainers was last updated\n"
                 "April 2022, and it replaces every earlier edition of the same handbook.\n")
    filler = ("   Maintainers answer questions from users on the mailing list and fix the\n"
              "bugs they report, in the order that matters most to the people using it.\n")
    text = (f"1 Overview\n**********\n\n{paragraph}\n{filler}\n2 Duties\n********\n\n{filler}\n"
            f"3 Help\n******\n\n{filler}")
    blocks = find_blocks(text)
    headings = [" ".join(text[b.start:b.end].split()) for b in blocks if b.kind == "heading"]
    assert headings == ["1 Overview", "2 Duties", "3 Help"]
    assert any(text[b.start:b.end].startswith("This release") for b in blocks if b.kind == "paragraph")


def test_a_rule_of_symbols_above_a_section_title_does_not_stop_the_reader(tmp_path):
    # the shape of a real FAQ's section start: a rule of "=" (no words), the section title, then a
    # numbered question wrapped over two lines
    text = ("=" * 70 + "\n\nSECTION 2 - COPIES\n\n\n2.1. When I save a file, the editor leaves a copy with a\n"
            "     tilde at the end of its name. How do I stop that?\n\nTurn the backup option off.\n")
    document = _read(tmp_path, "faq.txt", text)
    assert block_texts(document, "paragraph")[-1] == "Turn the backup option off."


@pytest.mark.parametrize("mark", ["^", ""], ids=["text browser", "web page or Word file"])
def test_a_footnote_gathered_at_the_chapters_end_is_cited_under_the_section_that_marks_it(tmp_path, mark):
    """lynx and w3m write "^[2]" in the text (a Word file made from a web page, "[2]") and gather the notes
    at the chapter's end, under its last section; a quote from a note belongs to the section it explains,
    its second paragraph too. A mark inside a word ("a[1]") is no reference."""
    text = (f"Chapter 1. The Shed\n\n1.1. Tools\n\n   Spades hang on the left wall. {mark}[1]\n\n"
            f"1.2. Seeds\n\n   Seeds are kept in tins. {mark}[2]\n\n1.3. Water\n\n   The butt a[1] is emptied in"
            " October.\n     __________________________________________________________\n\n"
            f"   {mark}[1] The left wall is the driest one in winter.\n\n"
            "   Damp handles split, so they are oiled each spring.\n\n"
            f"   {mark}[2] Tins keep the mice away from the seeds.\n\n"
            "Chapter 2. The Garden\n\n   Beans grow by the fence.\n")
    document = _read(tmp_path, "shed.txt", text)
    by_note, section_of = {}, {}
    for passage in chunk_document(document):
        for sentence in passage.sentences:
            quote = document.text[sentence.start:sentence.end]
            assert quote == text[sentence.start:sentence.end]
            section_of[quote] = passage.section
            if quote.startswith(f"{mark}["):
                by_note[quote[:len(mark) + 3]] = passage.section
    assert by_note == {f"{mark}[1]": "1.1. Tools", f"{mark}[2]": "1.2. Seeds"}
    assert section_of["Damp handles split, so they are oiled each spring."] == "1.1. Tools"
    assert section_of["Beans grow by the fence."] == "Chapter 2. The Garden", "a heading ends the notes"


def _sphinx_text_manual() -> str:
    """The shape of Sphinx's plain-text output: a contents list of "* N. Title" entries, then headings
    underlined with "*", "=", "-" and "~" (the fourth level), numbered lists, definition terms over
    indented text, and an indented example with "#" comments."""
    para = ("Each rule here applies to every package in the collection, and a package\n"
            "that breaks one of them is refused until it is fixed by its maintainer.\n")
    return (
        "Sample Packaging Manual\n***********************\n\n" + para + "\n"
        "* 1. Scope\n\n  * 1.1. Editors\n\n* 2. Versions\n\n  * 2.1. Epochs\n\n    * 2.1.1. Rolling back\n\n"
        "  * 2.2. Fields: \"Alpha\", \"Beta\", \"Gamma\", \"Delta\",\n    \"Epsilon\", \"Zeta\", \"Eta\",\n"
        "    \"Theta\"\n\n* 3. Uploads\n\n"
        "\n1. Scope\n********\n\n" + para + "\n\n1.1. Editors\n============\n\n"
        "The current editors are:\n\n1. Ada Example\n\n2. Bob Example\n\n" + para + "\n\n"
        "2. Versions\n***********\n\n" + para + "\n\n2.1. Epochs\n===========\n\n" + para
        + "\n\"quiet\"\n   This option asks the build to print as little as it can.\n\n"
        "For example:\n\n   # shell\n   make quiet=1\n\n   # make\n   MAKEFLAGS += -s\n\n"
        "In addition, packages in this area\n\n* must build from source, and\n\n* must carry a licence.\n\n"
        "\n2.1.1. Rolling back\n~~~~~~~~~~~~~~~~~~~\n\n" + para
        + "\n\n2.2. Fields: \"Alpha\", \"Beta\", \"Gamma\", \"Delta\", \"Epsilon\", \"Zeta\", \"Eta\", \"Theta\"\n"
        + "=" * 72 + "\n\n" + para + "\n\n3. Uploads\n***********\n\n" + para
        + "\n\n3.1. Timing\n===========\n\n~~~~\nA fence line of tildes under a blank line still opens code.\n~~~~\n\n"
        + para + "".join(f"\n\n3.{n}. Step {n}\n===========\n\n" + para for n in range(2, 20)))


def test_a_manual_that_underlines_its_headings_is_read_by_its_underlines(tmp_path):
    """A tilde underline is not a code fence (taken for one, it made the rest of a manual code, and every
    later section was cited under the heading before it); a numbered list, a definition term, a lead line
    and an example's comments are not headings where the document underlines every heading; and the
    contents list is not content."""
    document = _read(tmp_path, "manual.txt", _sphinx_text_manual())
    assert block_texts(document, "heading") == [
        "Sample Packaging Manual", "1. Scope", "1.1. Editors", "2. Versions", "2.1. Epochs",
        "2.1.1. Rolling back", '2.2. Fields: "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"',
        "3. Uploads", "3.1. Timing"] + [f"3.{n}. Step {n}" for n in range(2, 20)]
    assert [s.title for s in find_sections(document)][5:9:2] == ["2.1.1. Rolling back", "3. Uploads"]
    assert "A fence line of tildes under a blank line still opens code." in block_texts(document, "code")
    headings = block_texts(document, "heading")
    contents = [text for text in block_texts(document) if text not in headings
                and (re.match(r"\* \d", text) or '"Eta",' in text)]
    assert contents == [], \
        "the contents list, a wrapped entry's lines included, is not content"


def test_an_underline_as_long_as_its_title_marks_a_heading_right_under_a_contents_list(tmp_path):
    """Texinfo's plain text puts the document title's underlined heading on the line after its contents."""
    para = "The handbook covers the duties of a maintainer and the tools they use each day.\n"
    chapters = [f"{n} Chapter {n}" for n in range(1, 8)]
    text = "Sample Handbook\n" + "\n".join(chapters) + "\nSample Handbook\n***************\n\n" + para + "".join(
        f"\n{title}\n{'*' * len(title)}\n\n{para}" for title in chapters)
    document = _read(tmp_path, "handbook.txt", text)
    assert block_texts(document, "heading") == ["Sample Handbook", *chapters]
    assert document.title == "Sample Handbook"


def test_a_title_pages_centred_lines_and_a_chapters_one_entry_contents_are_not_sections(tmp_path):
    """A text browser's rendering of a manual: the title page centres the author, an address and the
    version one under another (a centred line standing alone, like a licence's "Preamble", is still a
    heading), and each chapter opens with its own contents, which may list a single section."""
    para = "    The handbook explains how the tools fetch, unpack and install packages\n    on a running system.\n"
    text = (" " * 30 + "Sample Handbook\n\n" + "-" * 77 + "\n\n" + " " * 31 + "Ada Example\n\n"
            + " " * 30 + "<ada@example.org>\n\n" + " " * 32 + "Version 1.2\n\n" + "-" * 77 + "\n\n"
            + "Table of Contents\n\n1. General\n    1.1. Parts of the system\n2. Tools\n\n"
            + "Chapter 1. General\n\nTable of Contents\n\n1.1. Parts of the system\n\n" + para
            + "\n1.1. Parts of the system\n\n" + para + "\nChapter 2. Tools\n\n" + para)
    headings = block_texts(_read(tmp_path, "handbook.txt", text), "heading")
    assert headings == ["Sample Handbook", "Chapter 1. General", "1.1. Parts of the system", "Chapter 2. Tools"]


def test_headings_ending_in_a_glob_or_in_capitals_and_code_over_a_row_of_marks(tmp_path):
    """A manual as a text browser dumps it: "5.10. debian/patches/*" ends with its own asterisk (not an
    emphasis mark), a manual page's "A.10. SEE ALSO" ends with a small word in capitals (not a sentence
    cut short), while a shell line over a comment banner of "#" and a tool's "N:" over "..." are code and
    output, not underlined headings."""
    para = "    The tools read this file when the package is built from its source tree.\n"
    text = ("Chapter 5. Basics\n\n" + para + "\n5.9.\u00a0debian/copyright\n\n" + para
            + "\n5.10.\u00a0debian/patches/*\n\n" + para
            + "\n    cat >~/.sbuildrc << 'EOF'\n    " + "#" * 70 + "\n    # build settings\n    " + "#" * 70
            + "\n    $distribution = 'unstable';\n\n    W: hello: readme-contains-template\n    N:\n     ...\n\n" + para
            + "\nAppendix A. debmake(1) manpage\n\nA.9.\u00a0LICENSE\n\n" + para
            + "\nA.10.\u00a0SEE ALSO\n\n" + para)
    headings = block_texts(_read(tmp_path, "guide.txt", text), "heading")
    assert headings == ["Chapter 5. Basics", "5.9.\u00a0debian/copyright", "5.10.\u00a0debian/patches/*",
                        "Appendix A. debmake(1) manpage", "A.9.\u00a0LICENSE", "A.10.\u00a0SEE ALSO"]


@pytest.mark.parametrize("markdown", [True, False])
def test_the_last_short_line_of_a_wrapped_list_item_is_not_a_heading(markdown):
    """A NEWS file's items end with their author, wrapped onto a short line of its own ("(Michael" /
    "Zimmerman)"): that line goes on with the item, it does not head a section."""
    text = ("# NEWS\n\n## Changes\n\n - The `--suffix` option can now be used with `--backup-dir`. (Michael\n"
            "   Zimmerman)\n\n - Hard links are kept.  (J.W.\n   Schultz)\n\nPlain closing remarks end the file.\n")
    blocks = find_blocks(text, markdown=markdown)
    assert [text[b.start:b.end] for b in blocks if b.kind == "heading"] == ["# NEWS", "## Changes"]


def test_a_saved_pages_navigation_bar_and_code_lines_are_not_headings_or_text():
    """pandoc's plain text of a DocBook page opens and ends with its navigation table ("Prev  Up  Chapter 2 …
    Home  Next"); its title cell is not a second heading, and neither is a command or result line set in an
    indented block ("    SELECT *" over "    FROM weather", "    (2 rows)")."""
    bar = ("  2.6. Joins Between Tables\n  ----------------- ---- ------------------ ------ -----\n"
           "  Prev              Up    Chapter 2. SQL     Home    Next\n\n")
    body = ("2.6. Joins Between Tables\n\nQueries can access several tables at once and are then called join"
            "\nqueries.\n\n    SELECT *\n    FROM weather JOIN cities ON city = name;\n\n     city   | temp\n"
            "    --------+-----\n     Hayward |  37\n    (2 rows)\n\nObserve two things about the result.\n\n")
    foot = ("  ---------------- ------ -----------------\n  Prev               Up                Next\n"
            "  2.5. Querying      Home    2.7. Aggregates\n  ---------------- ------ -----------------\n")
    text = bar + body + foot
    blocks = find_blocks(text)
    said = [text[b.start:b.end] for b in blocks]
    assert [text[b.start:b.end] for b in blocks if b.kind == "heading"] == ["2.6. Joins Between Tables"]
    assert not any("Prev" in s or "Home" in s for s in said), said
    assert "Observe two things about the result." in said


def test_a_numbered_entry_set_in_bold_as_a_list_item_heads_its_section(tmp_path):
    """cryptsetup's FAQ writes each entry as a bullet whose whole text is bold ("  * **2.3 How do I set up
    encrypted swap?**") under "# 2. Setup": each is a section named by its question, numbered, under its
    chapter; a bold line that is no numbered entry stays text."""
    answer = "  The answer runs on for a line or two, hard-wrapped as the file has it, and ends here.\n"
    text = ("# Frequently Asked Questions\n\n# 1. General Questions\n\n\n  * **1.1 What is this?**\n\n" + answer
            + "\n  * **1.4 My device is broken! Help!**\n\n" + answer + "\n  * **Do not do anything hasty!**\n\n"
            + answer + "\n# 2. Setup\n\n\n  * **2.3 How do I set up encrypted swap?**\n\n" + answer)
    doc = _read(tmp_path, "FAQ.md", text)
    entries = [(b.numbering, b.level) for b in doc.blocks if b.kind == "heading" and b.numbering]
    assert entries == [("1.1", 2), ("1.4", 2), ("2.3", 2)]
    sections = [s.path for s in find_sections(doc)]
    assert ("1. General Questions", "1.4 My device is broken! Help!") in sections
    assert ("2. Setup", "2.3 How do I set up encrypted swap?") in sections


def test_a_docbook_manuals_text_nests_sections_under_chapters_and_leaves_captions_and_comments(tmp_path):
    """A DocBook manual's plain text (Mutt's) numbers each chapter's sections afresh ("Chapter 2. …" / "1. …"
    / "2.1. …"): a section is one level under its chapter, so its path names the chapter. "Table 2.1. …" over
    a table is its caption, and "# Strip …" in an example is a comment, not a Markdown heading."""
    para = "This section explains one part of the program in a sentence or two of its own.\n\n"
    text = ("The Manual\n\n" + para + "Chapter\u00a01.\u00a0Introduction\n\n" + para + "1.\u00a0Home Page\n\n" + para
            + "2.\u00a0Mailing Lists\n\n" + para + "Chapter\u00a02.\u00a0Getting Started\n\n" + para
            + "1.\u00a0Core Concepts\n\n" + para + "2.\u00a0Screens and Menus\n\n" + para + "2.1.\u00a0Index\n\n"
            + para + "Table\u00a02.1.\u00a0Most common navigation keys\n\n    j     next entry\n    k     previous"
            " entry\n\n" + para + "Chapter\u00a03.\u00a0Configuration\n\n" + para + "1.\u00a0Hooks\n\n" + para
            + "# Strip out annoying prefixes in subjects\n\nsubjectrx '\\[[^]]*\\]:? *(.*)' '%1'\n\n" + para)
    doc = _read(tmp_path, "manual.txt", text)
    headings = [(doc.text[b.start:b.end], b.level) for b in doc.blocks if b.kind == "heading"]
    assert headings[1:] == [("Chapter\u00a01.\u00a0Introduction", 1), ("1.\u00a0Home Page", 2),
                            ("2.\u00a0Mailing Lists", 2), ("Chapter\u00a02.\u00a0Getting Started", 1),
                            ("1.\u00a0Core Concepts", 2), ("2.\u00a0Screens and Menus", 2), ("2.1.\u00a0Index", 3),
                            ("Chapter\u00a03.\u00a0Configuration", 1), ("1.\u00a0Hooks", 2)]
    paths = [s.path for s in find_sections(doc)]
    assert ("Chapter 2. Getting Started", "2. Screens and Menus", "2.1. Index") in paths


def test_a_number_a_hard_wrap_put_at_a_lines_start_mid_sentence_is_no_list_item(tmp_path):
    """"… the return status is" / "127. If a command is found …" (Bash's manual as text): the number ends the
    sentence of the line above, it does not start a numbered item; "… in order:" / "1. Open …" does."""
    text = ("If a command is not found, the child process created to execute it returns a status of\n127. If a "
            "command is found but is not executable, the return status is 126.\n\n"
            "You then take these steps, in order:\n1. Open the lid.\n2. Pour the water.\n")
    doc = _read(tmp_path, "manual.txt", text)
    assert [(b.kind, doc.text[b.start:b.end].split()[0]) for b in doc.blocks] == [
        ("paragraph", "If"), ("paragraph", "You"), ("list_item", "1."), ("list_item", "2.")]


def test_a_numbered_faqs_chapters_examples_and_banner_are_read_for_what_they_are(tmp_path):
    """Shapes of curl's FAQ and HAProxy's management guide as text: a chapter whose title starts in lower case
    ("5. libcurl Issues") heads the "5.1 …" under it; a numbered title may name a scheme ("file://"); an
    ASCII-art banner and a table's header row over its dashes are no headings; and in a manual whose numbered
    headings are underlined, a "# command" line in an example is a comment, not a heading."""
    para = "  This entry explains one part of the program in a sentence or two of its own.\n\n"
    text = ("   _   _ ____  _\n  | (__| |_| |  _ <\n\nFAQ\n\n1. Basics\n" + "-" * 9 + "\n\n" + para
            + "2. Running\n" + "-" * 10 + "\n\n  2.1 How do I start it?\n\n" + para
            + "  # socat /var/run/sock readline\n  prompt\n\n" + para
            + "  2.2 file:// URLs containing drive letters\n\n" + para
            + "3. Setup\n" + "-" * 8 + "\n\n" + para + "4. Proxies\n" + "-" * 10 + "\n\n" + para
            + "5. libcurl Issues\n\n  5.1 Is libcurl thread-safe?\n\n" + para
            + "       Target:          static lib.   import lib\n       " + "-" * 40 + "\n       MinGW:   a    b\n\n"
            + "  5.2 How do I stop a transfer?\n\n" + para)
    doc = _read(tmp_path, "FAQ.txt", text)
    headings = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == ["1. Basics", "2. Running", "2.1 How do I start it?",
                        "2.2 file:// URLs containing drive letters", "3. Setup", "4. Proxies", "5. libcurl Issues",
                        "5.1 Is libcurl thread-safe?", "5.2 How do I stop a transfer?"]
    paths = [s.path for s in find_sections(doc)]
    assert ("5. libcurl Issues", "5.2 How do I stop a transfer?") in paths


def test_asciidoc_text_reads_its_listings_as_code_and_its_question_labels_as_headings(tmp_path):
    """Git's manuals as text are AsciiDoc: "Question?::" labels an FAQ entry, "+" joins a paragraph to it,
    "[[id]]" anchors it, and a listing stands between two lines of dashes. The "# …" comments of a listing had
    been headings, the labels were sections named "…?::", and the marks were quoted as text."""
    para = "This entry explains one part of the program in a sentence or two of its own."
    text = ("gitfaq(7)\n=========\n\nConfiguration\n-------------\n\n[[user-name]]\nWhat should I put in "
            "`user.name`?::\n\tYou should put your personal name.  " + para + "\n+\nThis setting is described in "
            "linkgit:git-config[1].\n\n[[editor]]\nHow do I configure a different editor?::\n\t" + para
            + "\n+\n----\n# This is the account for the author.\nHost example\n\tUser git\n----\n\n"
            "Hooks\n-----\n\n" + para + "\n")
    doc = _read(tmp_path, "gitfaq.txt", text)
    assert [(doc.text[b.start:b.end], b.level) for b in doc.blocks if b.kind == "heading"] == [
        ("gitfaq(7)", 1), ("Configuration", 2), ("What should I put in `user.name`?", 3),
        ("How do I configure a different editor?", 3), ("Hooks", 2)]
    assert block_texts(doc, "code") == ["# This is the account for the author.\nHost example\n\tUser git"]
    assert not any(t.strip() in ("+", "----") or t.startswith("[[") for t in block_texts(doc))
    assert "This setting is described in linkgit:git-config[1]." in block_texts(doc, "paragraph")


def test_asciidoc_one_line_titles_are_headings_and_a_listing_may_open_right_under_a_sentence(tmp_path):
    """Git's User Manual as text: "== Title" heads a section at the level its "=" say, "[preface]" is markup,
    and a listing's line of dashes may stand right under the sentence that leads into it ("When you're
    ready, just run"), which had been taken for a title it underlined: a dozen chapters were filed under it."""
    para = "This part explains one thing about the tool in a sentence or two of its own.\n\n"
    dashes = "-" * 48
    text = ("= Tool User Manual\n\n[preface]\n== Introduction\n\n" + para
            + "[[making-changes]]\n== Making changes\n\n[[how-to-commit]]\n=== How to commit\n\n" + para
            + f"When you are ready, just run\n{dashes}\n$ tool commit\n{dashes}\n\n"
            + "See linkgit:tool-commit[1] and linkgit:tool-log[1] for more.\n\n"
            + "[[reflogs]]\n=== Recovering lost changes\n\n" + para)
    doc = _read(tmp_path, "manual.adoc", text)  # as .adoc, as .txt alike
    assert doc.title == "Tool User Manual" and doc.blocks == _read(tmp_path, "manual.txt", text).blocks
    assert [s.path for s in find_sections(doc)][1:] == [
        ("Tool User Manual", "Introduction"), ("Tool User Manual", "Making changes"),
        ("Tool User Manual", "Making changes", "How to commit"),
        ("Tool User Manual", "Making changes", "Recovering lost changes")]
    assert block_texts(doc, "code") == ["$ tool commit"]
    assert "When you are ready, just run" in block_texts(doc, "paragraph")
    assert not any(t.startswith(("[", "-")) for t in block_texts(doc))


def test_a_list_item_wrapped_back_to_its_number_goes_on_mid_sentence(tmp_path):
    """"\t1. You can create a new commit that undoes whatever was done" / "\tby the old commit.": the wrap is
    level with the number, not the text; the item had been cut at the line's end and quoted so."""
    text = ("There are two ways to fix the problem:\n\n"
            "\t1. You can create a new commit that undoes whatever was done\n\tby the old commit.  This is "
            "right if it is public.\n\n\t2. You can go back and modify the old commit.  You should\n\tnever "
            "do this if it is public;\n\tthe tool cannot merge\n\tfrom a branch whose history changed.\n\n"
            "Things root can do:\n\n\u2022 Read every file without a password\n"
            "This power of the root account calls for care.\n")
    doc = _read(tmp_path, "fixing.txt", text)
    items = [" ".join(t.split()) for t in block_texts(doc, "list_item")]
    assert items == ["1. You can create a new commit that undoes whatever was done by the old commit. This is "
                     "right if it is public.",
                     "2. You can go back and modify the old commit. You should never do this if it is public; "
                     "the tool cannot merge from a branch whose history changed.",
                     "\u2022 Read every file without a password"]
    assert "This power of the root account calls for care." in block_texts(doc, "paragraph")


def test_words_a_manual_page_broke_at_a_line_end_are_whole_for_search(tmp_path):
    """groff hyphenates a manual page saved as text ("By de‐" / "fault, up to 2000 lines are kept"): the word
    index and the model see "default", while the passage's offsets and quotes stay the file's."""
    from chatbot.records import rejoined_words
    from chatbot.text import terms

    text = "HISTORY\n       By de\u2010\n       fault, up to 2000 lines are kept in the his\u2010\n       tory.\n"
    doc = _read(tmp_path, "tool.txt", text)
    passage = chunk_document(doc)[0]
    assert {"default", "histori"} <= set(terms(passage.text)) and "fault" not in terms(passage.text)
    model_text = passage.embedding_text()
    assert {"default", "history"} <= set(model_text.replace(",", " ").split())
    assert len(rejoined_words(passage.text)) == len(passage.text), "offsets into it still hold"
    for sentence in passage.sentences:  # each sentence's span holds its own words, rejoined
        assert rejoined_words(passage.text)[sentence.start - passage.start:sentence.end - passage.start].split()


def test_dashes_between_paragraphs_of_plain_text_are_rules_not_a_listing(tmp_path):
    """The same lines of dashes in a text that is not AsciiDoc separate its parts: what stands between two of
    them is text, not code."""
    para = "This part explains one thing about the program in a sentence or two of its own.\n\n"
    doc = _read(tmp_path, "notes.txt", para + "----\n\n" + para + "# Not a comment but a heading\n\n" + para
                + "----\n\n" + para)
    assert not block_texts(doc, "code")
    assert len(block_texts(doc, "paragraph")) == 4


def test_a_question_and_answer_faqs_questions_head_their_answers(tmp_path):
    """GNU screen's FAQ: "Q: …" paragraphs, wrapped over lines, each over its "A: …" answer. The question had
    been quoted as the answer, and a line of code in an answer headed every entry after it."""
    answer = "A:   The answer explains one part of the program in a sentence\n     or two of its own.\n\n"
    text = ("   screen: frequently asked questions\n=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-\n\n"
            "Q:   Why is it impossible to download a file with Kermit when\n     screen is running?\n\n" + answer
            + "Q:   Start emacs and suspend it with ctrl-z.\n\nA:   Add this to your .emacs:\n\n"
            "          (global-unset-key \"\\C-z\"))\n\n     It stops the suspend.\n\n"
            "Q:   Screen gets the terminal size wrong.\n\n" + answer)
    doc = _read(tmp_path, "FAQ.txt", text)
    sections = [" ".join(s.title.split()) for s in find_sections(doc)]
    assert sections[-3:] == ["Q: Why is it impossible to download a file with Kermit when screen is running?",
                             "Q: Start emacs and suspend it with ctrl-z.", "Q: Screen gets the terminal size wrong."]
    assert not any(b.kind == "heading" and "global-unset-key" in doc.text[b.start:b.end] for b in doc.blocks)


def test_a_numbered_title_wrapped_over_two_lines_over_its_underline_is_one_heading(tmp_path):
    """mdadm's FAQ underlines its numbered questions with tildes, some wrapped over two lines: the underline
    under the second line had been taken for a code fence, which swallowed the next question as code."""
    body = "  The answer explains one part of the program in a sentence or two of its own.\n\n"
    text = ("11. mdadm warns about duplicate superblocks; what gives?\n" + "~" * 56 + "\n" + body
            + "12. mdadm -E / mkconf report different arrays with the same device\n    name / minor number. "
              "What gives?\n" + "~" * 66 + "\n" + body + "13. Can a MD array be partitioned?\n" + "~" * 34 + "\n"
            + body)
    doc = _read(tmp_path, "FAQ.txt", text)
    assert [" ".join(doc.text[b.start:b.end].split()) for b in doc.blocks if b.kind == "heading"] == [
        "11. mdadm warns about duplicate superblocks; what gives?",
        "12. mdadm -E / mkconf report different arrays with the same device name / minor number. What gives?",
        "13. Can a MD array be partitioned?"]
    assert not block_texts(doc, "code")


def test_vims_help_files_number_their_sections_by_tag_under_a_rule(tmp_path):
    """Vim's help: each section opens with a line of "=" and its number as a tag ("*20.1*	Command line
    editing"), or a number and tags at the right ("1. Undo and redo commands	*undo-commands*"); a line that
    leads to an example ends in " >", and a reference to another topic in "|tag|". Those had been sections
    ("For example, you have typed this: >"), and the real ones not."""
    para = "Vim has a few features that make it easier to enter commands, explained in a sentence or two.\n\n"
    text = ("*usr_20.txt*\tFor Vim version 9.0.  Last change: 2021 Nov 18\n\n" + para
            + "|20.1|\tCommand line editing\n|20.2|\tCommand line abbreviations\n|20.3|\tCommand line completion\n\n"
            + "=" * 78 + "\n*20.1*\tCommand line editing\n\n" + para
            + "   For example, you have typed this: >\n\n\t:s/col/pig/\n\n"
            + para + "More about all of this here: |cmdline-completion|\n\n" + para + "=" * 78
            + "\n*20.2*\tCommand line abbreviations\t\t*cmdline-abbrev*\n\n" + para + "=" * 78
            + "\n*20.3*\tCommand line completion\n\n" + para + "=" * 78
            + "\n3. Undo blocks\t\t\t\t\t\t*undo-blocks*\n\n" + para)
    doc = _read(tmp_path, "usr_20.txt", text)
    headings = [(doc.text[b.start:b.end], b.numbering) for b in doc.blocks if b.kind == "heading"]
    assert headings[1:] == [("*20.1*\tCommand line editing", "*20.1*"),
                            ("*20.2*\tCommand line abbreviations\t\t*cmdline-abbrev*", "*20.2*"),
                            ("*20.3*\tCommand line completion", "*20.3*"),
                            ("3. Undo blocks\t\t\t\t\t\t*undo-blocks*", "3.")]
    assert not any("|20.1|" in t for t in block_texts(doc))  # the contents, listing what follows


def test_a_sample_between_scissors_lines_is_code_and_its_comments_are_not_headings(tmp_path):
    """A wiki's text export sets its configuration samples between "---%<---" lines (Dovecot's). Inside,
    "# fallback to PAM" is a comment of the sample: read as Markdown headings, such lines had named sections
    ("master password passdb") and were offered as topics the documents cover."""
    doc = _read(tmp_path, "MultipleDatabases.txt", (
        "Multiple Authentication Databases\n=================================\n\n"
        "Dovecot supports defining multiple authentication databases, so that if the password doesn't\n"
        "match in the first database, it checks the next one.\n\n"
        "---%<-------------------------------------------------------------------------\n"
        "# try to authenticate using SQL database first\npassdb {\n  driver = sql\n}\n"
        "# fallback to PAM\npassdb {\n  driver = pam\n}\n"
        "---%<-------------------------------------------------------------------------\n\n"
        "Example\n-------\n\nThe userdb can be looked up the same way.\n"))
    assert block_texts(doc, "heading") == ["Multiple Authentication Databases", "Example"]
    code = block_texts(doc, "code")
    assert any("# fallback to PAM" in block for block in code), code
    assert not any("%<" in block for kind in ("code", "paragraph") for block in block_texts(doc, kind))


def test_a_restructuredtext_comment_is_neither_text_nor_a_heading(tmp_path):
    """Mercurial's help topics mark a place for generated text with a comment (".. internaltoolsmarker"):
    standing alone between blank lines, it had become a section heading."""
    doc = _read(tmp_path, "merge-tools.txt", (
        "Available merge tools\n=====================\n\n"
        "External merge tools and their properties are configured in the merge-tools section.\n\n"
        ".. internaltoolsmarker\n\n"
        "Internal tools are always available and do not require a GUI.\n"))
    assert [h.splitlines()[0] for h in block_texts(doc, "heading")] == ["Available merge tools"]
    assert "internaltoolsmarker" not in " ".join(block_texts(doc, "paragraph"))


def test_a_first_line_wrapped_into_the_next_is_a_paragraph_not_the_title(tmp_path):
    """A help topic that opens straight with its text ("Mercurial accepts several notations for identifying
    one or more files" / "at a time.") is not titled by its first line: that line was its title and a
    section heading. A title over its text stays one."""
    opening = _read(tmp_path, "patterns.txt", (
        "Mercurial accepts several notations for identifying one or more files\nat a time.\n\n"
        "By default, Mercurial treats filenames verbatim without pattern matching, relative to the\n"
        "current working directory. Note that your system shell might perform pattern matching of\n"
        "its own before passing filenames into Mercurial.\n"))
    assert not block_texts(opening, "heading") and opening.title == ""
    assert block_texts(opening, "paragraph")[0].startswith("Mercurial accepts several notations")
    titled = _read(tmp_path, "rules.txt", "Town Pool Rules\n\nNo running on the deck. Children under eight must be\n"
                                          "with an adult at all times, in and out of the water.\n")
    assert titled.title == "Town Pool Rules"


def test_a_manual_page_saved_as_text_is_read_by_its_layout():
    page = read_document(DATA / "frobnicate.txt", "frobnicate.txt")
    texts = block_texts(page)
    assert page.title == "frobnicate - tune the widgets of a workshop"
    # the header and footer naming the page are not text to quote, nor are the NAME, SYNOPSIS and
    # DESCRIPTION titles, the same in every page: what they hold goes under the page's title
    assert not any("FROBNICATE(1)" in t for t in texts)
    assert not {"NAME", "SYNOPSIS", "DESCRIPTION"} & set(texts)
    headings = [(b.level, page.text[b.start:b.end]) for b in page.blocks if b.kind == "heading"]
    assert headings == [(1, page.title), (2, "Configuration"), (1, "EXIT STATUS"), (1, "SEE ALSO")]
    assert texts[1] == "frobnicate [options] workshop"  # the synopsis, under the title
    assert next(s for s in find_sections(page) if s.title == "Configuration").path == (page.title, "Configuration")
    # an option or setting over its description is a block of its own; one set beside it is not
    assert "--calibrate gauge" in texts and "cooldown" in texts and "strictness" in texts
    assert any(t.startswith("-q") and t.endswith("errors.") for t in texts)
    # a changed line's bar at the margin ends no block
    assert not any(t.rstrip().endswith("│") for t in texts)


def test_a_configuration_samples_comments_are_text_not_headings(tmp_path):
    """nginx's samples explain each directive in "# …" comments over it: in plain text a "# " line beside
    another, or over a line of code, is a comment to quote, not a Markdown heading with a bare directive
    under it; a "# Title" standing apart, over a "## Part", is still a heading."""
    sample = _read(tmp_path, "drupal.txt", (
        "server {\n\n\t# This is the root of the Drupal directory.\n\t# Drupal 6 and 7 are interchangeable.\n"
        "\troot /var/www/drupal6;\n\n\t# This block keeps the favicon out of the logs.\n"
        "\tlocation = /favicon.ico {\n\t\tlog_not_found off;\n\t}\n}\n"))
    assert block_texts(sample, "heading") == []
    assert any("This is the root of the Drupal directory." in t for t in block_texts(sample))
    notes = _read(tmp_path, "notes.txt", "# Kettle notes\n## Descaling\n\nUse citric acid once a month.\n")
    assert block_texts(notes, "heading") == ["# Kettle notes", "## Descaling"]


def test_a_bsd_manual_pages_footer_naming_its_system_is_no_heading(tmp_path):
    """mandoc ends a page with the system at both ends and the date between ("BSD   January 13, 2023   BSD"),
    where man's footer repeats the page's name: neither is text, nor a section under which to cite."""
    page = _read(tmp_path, "ssh_config.txt", (
        "SSH_CONFIG(5)               BSD File Formats Manual              SSH_CONFIG(5)\n\n"
        "NAME\n     ssh_config \u2014 OpenSSH client configuration file\n\n"
        "DESCRIPTION\n     ssh(1) obtains configuration data from the command line and the files.\n\n"
        "AUTHORS\n     OpenSSH is a derivative of the original ssh release.\n\n"
        "BSD                            January 13, 2023                            BSD\n"))
    assert [page.text[b.start:b.end] for b in page.blocks if b.kind == "heading"] == [
        "ssh_config \u2014 OpenSSH client configuration file", "AUTHORS"]
    assert not any("January 13, 2023" in t for t in block_texts(page))


def test_a_manual_pages_option_stays_in_the_passage_of_its_description():
    page = read_document(DATA / "frobnicate.txt", "frobnicate.txt")
    for passage in chunk_document(page, ChunkSettings(max_passage_words=20)):
        last = passage.text_of(passage.sentences[-1])
        assert last not in ("--bench-limit", "--calibrate gauge", "cooldown", "strictness")


def test_text_that_is_not_a_manual_page_is_not_read_as_one(tmp_path):
    page = _read(tmp_path, "notes.txt", "NOTES(1) are kept here\n\nSETUP\n       Run the installer.\n\n"
                 "       --fast\n\t      skips the checks.\n")
    assert page.title != "Run the installer." and "NOTES(1) are kept here" in block_texts(page)


def test_restructuredtexts_literal_blocks_are_code_and_its_page_markup_is_not_text(tmp_path):
    """A module's reStructuredText documentation (lighttpd's): the indented block after "::" is a sample,
    whose "# TCP port" comments had become headings; ".. contents::" and ".. meta::" with its options lay
    out the page; a title may be underlined with backquotes."""
    doc = _read(tmp_path, "configuration.txt", (
        "Configuration File\n==================\n\n"
        ".. meta::\n  :keywords: webserver, configuration\n\n.. contents:: Table of Contents\n\n"
        "Example\n-------\n\nA sample of the syntax: ::\n\n  # TCP port\n  server.port = 80\n\n"
        "  # selecting modules\n  server.modules = ( \"mod_access\" )\n\n"
        "main sections\n`````````````\n\nThe server listens on the port given.\n\nFor example::\n\n"
        "  server.bind = \"127.0.0.1\"\n\nThat binds it to one address.\n"))
    assert block_texts(doc, "heading") == ["Configuration File", "Example", "main sections"]
    code = block_texts(doc, "code")
    assert any("# TCP port" in block for block in code) and any("server.modules" in block for block in code), code
    assert any("server.bind" in block for block in code)
    text = " ".join(block_texts(doc, "paragraph"))
    assert "contents::" not in text and "keywords" not in text and "That binds it to one address." in text


def test_a_title_closed_by_a_colon_over_its_underline_is_a_heading_and_heads_output_is_not(tmp_path):
    """Debian's README files underline "Troubleshooting:" with one dash fewer than it has characters; `head`
    names the file it shows with "==> /etc/… <==", which is no title."""
    doc = _read(tmp_path, "README.Debian.txt", (
        "tool for Debian\n---------------\n\nSome notes.\n\n\nUpgrade from 0.6 versions:\n-------------------------\n\n"
        "The configuration format changed. For instance:\n\n==> /etc/tool/local.conf <==\n[DEFAULT]\nport = 22\n\n"
        "Troubleshooting:\n---------------\n\nRead the log first.\n"))
    assert [h.rstrip(":") for h in (heading_text(doc.text, b) for b in doc.blocks if b.kind == "heading")] == \
        ["tool for Debian", "Upgrade from 0.6 versions", "Troubleshooting"]


def test_a_markdown_code_fence_under_a_line_is_no_underline(tmp_path):
    doc = _read(tmp_path, "FAQ.md", "# Keys\n\nTo add a key, run\n```\ncryptsetup luksAddKey /dev/sda1\n```\nor\n"
                                    "```\ncryptsetup luksAddKey --key-slot 2 /dev/sda1\n```\n")
    assert block_texts(doc, "heading") == ["# Keys"]
    assert "cryptsetup luksAddKey /dev/sda1" in block_texts(doc, "code")


def test_a_field_and_its_value_is_no_title(tmp_path):
    """An option's "Default: empty" under its description (lighttpd's), a control file's "Urgency: low": a
    field and its value on a line of its own, which had named sections and been offered as topics."""
    doc = _read(tmp_path, "access.txt", (
        "Access control\n==============\n\nOptions\n-------\n\nurl.access-deny\n  Denies access to files ending "
        "with one of the suffixes given.\n\n  Default: empty\n\nThe module is loaded by default on most systems.\n"))
    assert block_texts(doc, "heading") == ["Access control", "Options"]


def test_a_file_without_a_suffix_is_read_as_text_when_it_is_text(tmp_path):
    """README, INSTALL, Postfix's STRESS_README, README.Debian: documentation named in capitals, shipped with
    no suffix a reader takes, is read as the text it is; binary data so named is skipped, saying why, and a
    Makefile is no document."""
    from chatbot.corpus import corpus_files, read_documents

    (tmp_path / "STRESS_README").write_text("Stress handling\n===============\n\nThe server slows down "
                                            "under load and recovers on its own.\n", encoding="utf-8")
    (tmp_path / "CORE").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    (tmp_path / "Makefile").write_text("all:\n\techo done\n", encoding="utf-8")
    # a README renamed by whoever keeps it ("startup-files-README") is still one; a script is no document
    (tmp_path / "startup-files-README").write_text("The files starting with capitals came first.\n",
                                                   encoding="utf-8")
    (tmp_path / "install-sh").write_text("#!/bin/sh\necho installing\n", encoding="utf-8")
    # OpenVPN's README.auth-pam (a suffix with a hyphen), nginx's notes "upstream" (no suffix at all)
    (tmp_path / "README.auth-pam").write_text("The plugin checks passwords with PAM.\n", encoding="utf-8")
    (tmp_path / "upstream").write_text("An upstream block names the servers a proxy passes to.\n", encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM debian:stable\n", encoding="utf-8")
    skipped: dict[str, str] = {}
    files = corpus_files(tmp_path, skipped)
    assert sorted(files) == ["README.auth-pam", "STRESS_README", "startup-files-README", "upstream"]
    assert "Dockerfile" in skipped
    assert "not plain text" in skipped["CORE"] and "Makefile" in skipped and "program" in skipped["install-sh"]
    documents, _ = read_documents({"STRESS_README": files["STRESS_README"]})
    assert [s.title for s in find_sections(documents[0])] == ["Stress handling"]


def test_a_manual_page_saved_with_its_overstrikes_reads_as_a_terminal_shows_it(tmp_path):
    """groff and `man` writing to a file set bold as "N\\bNA\\bAM\\bME" and underline as "_\\bw": the text is what
    a terminal shows, quotes hold the bold words, and a line alone in bold heads its section."""
    def bold(word: str) -> str:
        return "".join(f"{c}\b{c}" if c.strip() else c for c in word)

    def underlined(word: str) -> str:
        return "".join(f"_\b{c}" for c in word)

    raw = (f"{bold('Kettle Descaling Howto')}\n\n{bold('Overview')}\n\nThis document says when to descale the "
           f"kettle and\nhow. Use {bold('descale --now')} to start at once.\n\n{bold('When to descale')}\n\n"
           f"Descale every {underlined('month')} in hard-water areas, and every\nthree months elsewhere.\n\n"
           f"{bold('Credits')}\n\nWritten by the kettle team.\n")
    path = tmp_path / "DESCALING_README"
    path.write_bytes(raw.encode("utf-8"))
    doc = read_document(path, path.name)
    assert "\b" not in doc.text and "Use descale --now to start at once." in " ".join(doc.text.split())
    assert [s.title for s in find_sections(doc)] == ["Kettle Descaling Howto", "Overview", "When to descale",
                                                     "Credits"]
    assert doc.title == "Kettle Descaling Howto"
    for block in doc.blocks:  # offsets index the text the reader made, which `chatbot text` prints
        assert doc.text[block.start:block.end].strip() == doc.text[block.start:block.end]


def test_an_example_announced_by_the_line_above_is_no_heading(tmp_path):
    """Vim's help sets an example under the sentence that announces it ("… use this command:" over an
    indented ":nohlsearch"): the example is text of that section, not a section of its own."""
    text = ("*03.8*\tSimple searches\n\nTo find a word, type a slash and the word.\n\n"
            "If you only want to remove the highlighting, use this command:\n\n\t:nohlsearch\n\n"
            "This does not reset the option.\n\n*03.9*\tSimple search patterns\n\n"
            "Patterns are explained at length elsewhere.\n")
    sections = find_sections(_read(tmp_path, "usr_03.txt", text))
    assert ":nohlsearch" not in [s.title for s in sections]


def test_a_title_framed_by_rules_titles_the_document(tmp_path):
    """HAProxy's starter guide opens with its title between two rules, over an underlined "Summary": the
    framed line is the document's title, a level above the underlined headings."""
    text = ("                -----------------------\n                 Kettle Starter Guide\n"
            "                -----------------------\n                      version 2.6\n\n"
            "This guide says what the kettle does and how to look after it.\n\nSummary\n-------\n\n"
            "1. Filling\n2. Boiling\n\n1. Filling\n----------\n\nFill it between the marks, never above.\n")
    doc = _read(tmp_path, "intro.txt", text)
    assert doc.title == "Kettle Starter Guide"
    assert find_sections(doc)[0].title == "Kettle Starter Guide"


def test_titles_set_left_of_an_indented_body_head_their_sections(tmp_path):
    """pod2text and perldoc set a title at the margin (an FAQ's question two columns in) with its text right
    under it, four columns in: no blank line parts them, so they had read as one paragraph, the FAQ's
    "(contributed by …)" remarks became section titles and one titled the whole file."""
    text = ("NAME\n    kettlefaq - Boiling and Descaling\n\nDESCRIPTION\n    This section deals with the kettle.\n\n"
            "  How do I descale my kettle? Is vinegar fine?\n    (contributed by the kettle team)\n\n"
            "    Use citric acid; vinegar leaves a smell behind.\n\n        descale --acid citric\n\n"
            "  How long does water take to boil?\n    (contributed by the kettle team)\n\n"
            "    About three minutes for a full kettle.\n")
    doc = _read(tmp_path, "kettlefaq.txt", text)
    assert doc.title == "kettlefaq - Boiling and Descaling"
    assert [s.path_text for s in find_sections(doc)] == [
        "NAME", "DESCRIPTION", "DESCRIPTION › How do I descale my kettle? Is vinegar fine?",
        "DESCRIPTION › How long does water take to boil?"]


def test_a_western_file_in_a_legacy_encoding_is_read_and_another_alphabet_is_refused(tmp_path):
    """`pod2text` in a C locale writes "naïve" as Latin-1's one byte: the whole FAQ had been skipped as not
    UTF-8. ASCII save for a few such bytes reads as Windows-1252; Cyrillic in KOI8-R, all high bytes, is
    still refused rather than quoted as other letters."""
    body = "Perl buffers output so it makes fewer system calls. " * 20
    (tmp_path / "faq.txt").write_bytes(f"Buffering\n=========\n\n{body}A na\u00efve approach fails.\n".encode("cp1252"))
    doc = read_document(tmp_path / "faq.txt", "faq.txt")
    assert "A naïve approach fails." in doc.text
    (tmp_path / "ru.txt").write_bytes(("Привет, мир. " * 40).encode("koi8-r"))
    with pytest.raises(Unreadable, match="not UTF-8"):
        read_document(tmp_path / "ru.txt", "ru.txt")


def test_markdown_marks_its_own_headings_and_tables(tmp_path):
    """In Markdown a numbered line is a list item ("3. Decompress with dictionary" had become the parent of
    "## Build instructions"), and a table may be written without outer pipes: its head is a row, not a
    heading over a paragraph of dashes."""
    doc = _read(tmp_path, "README.md", "## Dictionary how-to\n\n1. Create the dictionary\n\n   `zstd --train *`\n\n"
                "2. Decompress with it\n\n   `zstd -D dict -d FILE.zst`\n\n## Benchmarks\n\n"
                "Compressor | Ratio | Speed\n---------|------|------\nzstd | 2.8 | 500 MB/s\nzlib | 2.7 | 100 MB/s\n\n"
                "## Build instructions\n\nRun make.\n")
    assert block_texts(doc, "heading") == ["## Dictionary how-to", "## Benchmarks", "## Build instructions"]
    assert "zstd | 2.8 | 500 MB/s" in block_texts(doc, "table_row")
    assert "Compressor | Ratio | Speed" in block_texts(doc, "table_row")


def test_root_and_user_prompts_in_a_readme_with_underlined_headings_are_no_headings(tmp_path):
    """ufw's README underlines its headings and shows commands as typed at a prompt ("# ufw enable",
    "$ python3 ./setup.py install --root=PREFIX"): those lines had become sections cited by the answers."""
    doc = _read(tmp_path, "README", "Install\n-------\nUsers can install with:\n# python3 ./setup.py install\n\n"
                "Or, to install somewhere else:\n\n$ python3 ./setup.py install --root=PREFIX\n\n"
                "Usage\n-----\nTo turn the firewall on, run:\n\n# ufw enable\n\n"
                "Remote Management\n-----------------\nAllow ssh before you enable it:\n\n# ufw allow 22/tcp\n\n")
    assert block_texts(doc, "heading") == ["Install", "Usage", "Remote Management"]


def test_a_manual_pages_description_after_another_section_keeps_its_heading(tmp_path):
    """xz's page sets COMMAND ALIASES between SYNOPSIS and DESCRIPTION: the description had been cited under
    "COMMAND ALIASES" ("COMMAND ALIASES › Memory usage")."""
    page = ("XZ(1)                      XZ Utils                      XZ(1)\n\nNAME\n       xz - Compress files\n\n"
            "SYNOPSIS\n       xz [option...] [file...]\n\nCOMMAND ALIASES\n       unxz is equivalent to xz -d.\n\n"
            "DESCRIPTION\n       xz is a general-purpose data compression tool.\n\n"
            "   Memory usage\n       The memory usage of xz varies.\n\n"
            "Tukaani                    2022-12-01                    XZ(1)\n")
    doc = _read(tmp_path, "xz.txt", page)
    assert "DESCRIPTION" in block_texts(doc, "heading")
    memory = next(s for s in find_sections(doc) if s.title.strip() == "Memory usage")
    assert "DESCRIPTION" in " › ".join(memory.path), memory.path


def test_an_faq_entry_next_in_its_numbering_is_a_heading_however_it_reads(tmp_path):
    """The sed FAQ: "5.9. The 'r' command isn't inserting the file into the text." ends in a full stop and
    "5.10. Why can't I … \\n      Why can't I …?" runs to a second question under the first; both come next
    in their numbering after "5.8.", so both head their entries."""
    body = "\n".join(f"5.{n}. {title}\n\n   The answer to entry {n} is told here in a sentence.\n" for n, title in (
        (7, "How do I tell what version I am using?"), (8, "Does it issue an exit code?"),
        (9, "The 'r' command isn't inserting the file into the text."),
        (10, "Why can't I match or delete a newline using the escape sequence in a pattern?\n"
             "      Why can't I match 2 or more lines using the same escape?")))
    doc = _read(tmp_path, "faq.txt", "5. WHY ISN'T THIS WORKING?\n\n" + body)
    assert [b.numbering for b in doc.blocks if b.kind == "heading"] == ["5.", "5.7.", "5.8.", "5.9.", "5.10."]
    steps = _read(tmp_path, "steps.txt", "2.1. Setting up\n\n1. Wash the pot.\n\n2. Fill it with water.\n")
    assert [b.numbering for b in steps.blocks if b.kind == "heading"] == ["2.1."]  # a list is no sequence of them


def test_a_configuration_sample_with_banners_is_sectioned_by_them(tmp_path):
    """A muttrc sets its sections under banners of "#" ("###############" / "# Identity" / "#"): those titles
    are its sections, and every other "# …" line is a comment, whether it leads into the line under it ("# If
    you have another address:") or stands alone over a setting; a setting commented out among comments
    ("#DEVICE /dev/hda1") is no heading either."""
    sample = _read(tmp_path, "sample.muttrc-starter.txt", (
        "#\n# Starter muttrc file, with a few suggestions.\n#\n\n###############\n# Identity\n#\n"
        'set realname = "Example User"\n\n# If you have another address:\nalternates "^me@example\\.com$"\n\n'
        "###############\n# Pager settings\n#\nignore *\nunignore From Date Subject\n\n"
        "# Consult mime.types for the types of these attachments\nmime_lookup application/octet-stream\n"))
    assert [sample.text[b.start:b.end] for b in sample.blocks if b.kind == "heading"] == [
        "# Identity", "# Pager settings"]
    # a comment over a setting is text, the setting code (an answer quoting the comment shows the setting too)
    assert "# If you have another address:" in block_texts(sample, "paragraph")
    assert 'alternates "^me@example\\.com$"' in block_texts(sample, "code")
    example = _read(tmp_path, "mdadm.conf-example", (
        "# mdadm configuration file\n#\n# mdadm will function properly without a configuration file.\n#\n"
        "# If you mount devfs on /dev, then a suitable way to list all devices is:\n#DEVICE /dev/discs/*/*\n"
        "#\n# The AUTO line can control which arrays get assembled by auto-assembly.\n"))
    assert not any("#DEVICE" in example.text[b.start:b.end] for b in example.blocks if b.kind == "heading")
    assert any("mdadm will function properly" in t for t in block_texts(example))


@pytest.mark.parametrize("name", ["mdadm.conf-example", "nginx.conf", "php.ini-production", "my.cnf.dist",
                                  "sample.nanorc"])
def test_a_configuration_file_or_its_sample_is_read_as_text(tmp_path, name):
    """A configuration sample as shipped ("mdadm.conf-example") explains itself in its comments: it is read,
    as a README without suffix is; a program's source beside it is not."""
    doc = _read(tmp_path, name, "# Where alerts go: one address.\nMAILADDR root@example.org\n")
    assert "Where alerts go" in doc.text
    with pytest.raises(Unreadable):
        _read(tmp_path, "tool.c", "int main(void) { return 0; }\n")


def test_a_sentence_ending_in_a_colon_goes_into_the_passage_of_what_it_announces(tmp_path):
    """A passage cut right after "… by adding the following two lines to the [Interface] section:" quotes the
    lead-in without the lines: the lead-in opens the passage of the block it announces."""
    filler = " ".join(f"Sentence {n} says something about tunnels." for n in range(8))
    doc = _read(tmp_path, "notes.txt", (
        f"{filler}\n\nOne might add a kill-switch to stop traffic leaking by setting the following two fields:\n\n"
        "The PostUp field rejects every packet that leaves by another interface once the tunnel is up, and the "
        "PreDown field removes that rule again before the tunnel goes down.\n"))
    passages = chunk_document(doc, ChunkSettings(max_passage_words=70))
    assert len(passages) > 1
    lead = next(p for p in passages if "kill-switch" in p.text)
    assert "The PostUp field rejects every packet" in lead.text


def test_a_readmes_recipes_at_the_body_indent_are_code(tmp_path):
    """A README of recipes sets its commands at the text's own indent: they are code (shown line by line, and
    a sentence a command splits reads on after it), while its sentences, even one naming a path, stay text."""
    doc = _read(tmp_path, "README.recipes", (
        "mdadm recipes\n=============\n\n0. create a new array\n~~~~~~~~~~~~~~~~~~~~~\n"
        "    mdadm --create -l1 -n2 -x1 /dev/md0 /dev/sd[abc]1   # RAID 1, 1 spare\n\n"
        "    # if the array is degraded, it won't be started. use --run:\n    mdadm --run /dev/md0\n\n"
        "    You can force-assemble it at boot by passing the kernel boot parameter\n\n"
        "      md-mod.start_dirty_degraded=1\n\n    See /usr/share/doc/mdadm for more.\n"))
    assert block_texts(doc, "code") == [
        "mdadm --create -l1 -n2 -x1 /dev/md0 /dev/sd[abc]1   # RAID 1, 1 spare",
        "# if the array is degraded, it won't be started. use --run:\n    mdadm --run /dev/md0",
        "md-mod.start_dirty_degraded=1"]
    assert "See /usr/share/doc/mdadm for more." in block_texts(doc, "paragraph")


def test_titles_between_runs_of_equals_and_a_banner_over_two_lines_are_headings(tmp_path):
    """smartmontools' README: a banner of two lines between rules of "=" is its title, and "== HOME ==" heads a
    section under it, its marks no part of the section's name."""
    doc = _read(tmp_path, "README", (
        f"{'=' * 50}\nsmartmontools - utility toolset for Darwin/Mac\nOSX, FreeBSD, Linux, and Windows.\n{'=' * 50}\n\n"
        "== HOME ==\nThe home for smartmontools is located at the project's site.\n\n"
        "== CREDITS ==\nSee the AUTHORS file.\n"))
    assert [heading_text(doc.text, b) for b in doc.blocks if b.kind == "heading"] == [
        "smartmontools - utility toolset for Darwin/Mac OSX, FreeBSD, Linux, and Windows.", "HOME", "CREDITS"]
    assert [s.title for s in find_sections(doc)][-2:] == ["HOME", "CREDITS"]
    assert "The home for smartmontools is located at the project's site." in block_texts(doc, "paragraph")


def test_a_wiki_title_and_a_title_whose_underline_ran_onto_its_line_are_headings(tmp_path):
    """Graphviz's font FAQ: "===Overview===" (no spaces inside its marks) and "Font selection.  =========" (its
    underline on its own line once) head sections named without their marks; the text under them is theirs."""
    doc = _read(tmp_path, "fontfaq.txt", (
        "Fonts and the renderer.\n=======================\n\nThere are several reasons this is hard.\n\n"
        "===Overview===\n\nA font is usually selected by family name and other properties.\n\n"
        "Font selection.  ===============\n\nThe fontname attribute is a fontconfig style specification.\n"))
    assert [s.title for s in find_sections(doc)] == ["Fonts and the renderer.", "Overview", "Font selection."]
    assert "The fontname attribute is a fontconfig style specification." in block_texts(doc, "paragraph")


def test_a_table_header_over_a_rule_and_rows_in_columns_is_no_heading(tmp_path):
    """"Name<tabs>Meaning" over a rule of dashes and rows set out in the same columns heads the table, not a
    section that every later passage of the file would be cited under."""
    doc = _read(tmp_path, "fonts.txt", (
        "Font names\n==========\n\nHere are some examples of names and what they mean:\n\n"
        "\tName\t\t\t\tMeaning\n\t" + "-" * 50 + "\n\tTimes-12\t\t\t12 point Times Roman\n"
        "\tTimes-12:bold\t\t\t12 point Times Bold\n\tCourier:italic\t\t\tCourier Italic in the default size\n\n"
        "Graphviz has a separate attribute for the font size.\n"))
    assert [s.title for s in find_sections(doc)] == ["Font names"]
    assert any("12 point Times Bold" in row for row in block_texts(doc, "table_row"))


def test_descriptions_set_in_under_their_terms_are_no_titles(tmp_path):
    """Linux-PAM's guide lists a module's options as a term at the margin over its description set in
    ("%u" / "" / "    The local user name (PAM_USER)." / "" / "All other sequences …"): neither is a heading, so
    the module's sections keep their chapter ("The local user name (PAM_USER)." had headed every chapter after
    it, a description over a paragraph read as a title set further in than the text)."""
    def module(number: int, name: str, entries: list[tuple[str, str]]) -> str:
        listed = "".join(f"{term}\n\n    {text}\n\n" for term, text in entries)
        return (f"6.{number}. {name}\n\n6.{number}.1. OPTIONS\n\nThe module takes these options:\n\n{listed}"
                f"Any other option is reported in the system log and ignored.\n\n")
    doc = _read(tmp_path, "guide.txt", "Chapter 6. A reference guide for available modules\n\n" + module(
        1, "pam_echo - print text messages", [("%h", "The name of the remote host (PAM_RHOST)."),
                                              ("%u", "The local user name (PAM_USER).")]) + module(
        2, "pam_debug - debug the PAM stack", [("auth=value", "The authenticate function will return value."),
                                               ("cred=value", "The setcred function will return value.")]) + module(
        3, "pam_time - time controlled access", [("debug", "Log debug messages to the system log."),
                                                 ("noaudit", "Do not report logins at disallowed times.")]) +
        "6.4. pam_env - set environment variables\n\n6.4.1. DESCRIPTION\n\nThe module sets the environment "
        "variables of the session.\n")
    paths = [s.path for s in find_sections(doc)]
    assert paths[-1] == ("Chapter 6. A reference guide for available modules",
                         "6.4. pam_env - set environment variables", "6.4.1. DESCRIPTION")
    assert "The local user name (PAM_USER)." in block_texts(doc, "paragraph")
    assert not any("PAM_USER" in " ".join(path) or "%u" in path for path in paths)


def test_in_a_file_of_comments_no_comment_is_a_heading(tmp_path):
    """smartd.conf is mostly "# …" lines: a lone "# Home page is: …" there is a comment like the others, not
    a Markdown heading every later passage would be cited under."""
    doc = _read(tmp_path, "smartd.conf", (
        "# Sample configuration file for smartd.\n\n# Home page is: http://www.smartmontools.org\n\n"
        "# smartd will re-read the configuration file if it receives a HUP\n# signal\n\n"
        "# The word DEVICESCAN tells smartd to scan for all devices.\nDEVICESCAN -d removable -n standby\n\n"
        "# Alternative setting to ignore temperature reports\n# in syslog.\n#DEVICESCAN -I 194 -I 231 -I 9\n\n"
        "# First disk: monitor all attributes.\n#/dev/sda -a -o on -S on\n"))
    assert not [b for b in doc.blocks if b.kind == "heading" and "Home page" in doc.text[b.start:b.end]]


def test_a_markdown_title_closed_by_a_colon_over_its_underline_is_a_heading(tmp_path):
    """fail2ban's README underlines "Installation:" with as many dashes: a heading, at the level Markdown
    gives "---" (under the "##" title before it, not above it), whose section quotes its own text; a short
    "N:" over a rule stays a line of a tool's output."""
    doc = _read(tmp_path, "README.md", (
        "## Fail2Ban: ban hosts that cause errors\n\nFail2Ban scans log files.\n\nInstallation:\n-------------\n\n"
        "Fail2Ban is packaged for most distributions.\n\nConfiguration:\n--------------\n\n"
        "Edit the jail.local file.\n"))
    assert [(b.level, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "heading"] == [
        (2, "## Fail2Ban: ban hosts that cause errors"), (2, "Installation:"), (2, "Configuration:")]
    output = _read(tmp_path, "run.txt", "The tool prints:\n\nN:\n###\n\nand stops.\n")
    assert not [b for b in output.blocks if b.kind == "heading"]


def test_a_manual_pages_labels_in_capitals_group_its_entries(tmp_path):
    """fail2ban-client's page sets "BASIC", "LOGGING" alone, set in, over groups of its commands: they are
    sections under COMMAND, so a command is cited under its group; a word in capitals inside a description
    is not one."""
    page = _read(tmp_path, "tool.txt", (
        "TOOL(1)                          User Commands                         TOOL(1)\n\n"
        "NAME\n       tool - configure and control the server\n\n"
        "COMMAND\n              BASIC\n\n       start  starts the server and the jails\n\n"
        "              LOGGING\n\n       set loglevel <LEVEL>\n              sets logging level to <LEVEL>. Levels: "
        "CRITICAL,\n              ERROR, WARNING\n\n"
        "tool 1.0                          January 2024                        TOOL(1)\n"))
    titles = [heading_text(page.text, b) for b in page.blocks if b.kind == "heading"]
    assert titles == ["tool - configure and control the server", "COMMAND", "BASIC", "LOGGING"]
    assert [s.title for s in find_sections(page)][-2:] == ["BASIC", "LOGGING"]


def test_a_configuration_file_titled_by_dot_commands_is_sectioned_by_them(tmp_path):
    """lynx.cfg titles its groups and settings with ".h1 …" / ".h2 …" lines for a converter: they head its
    sections (".h2 GOTOBUFFER" is a section named GOTOBUFFER; settings titled one under another share the
    comment below them, and one section), and its other dot commands (".ex", ".nf") are layout, neither a
    heading nor text to quote."""
    doc = _read(tmp_path, "tool.cfg", (
        "# tool.cfg file.\n# Settings are of the form NAME:VALUE.\n\n.h1 Interaction\n# These settings control how "
        "the tool talks to you.\n\n.h2 GOTOBUFFER\n# Set GOTOBUFFER to TRUE if you want the previous address offered "
        "again.\n.ex\n#GOTOBUFFER:FALSE\n\n.h2 JUMP_PROMPT\n# JUMP_PROMPT is the prompt shown when you pick a "
        "jump file.\n.nf\n#JUMP_PROMPT:Jump to:\n.fi\n\n.h1 Proxy\n\n.h2 HTTP_PROXY\n.h2 FTP_PROXY\n"
        "# Each protocol can be sent through its own proxy server.\n#http_proxy:http://proxy:3128/\n"))
    assert [(b.level, heading_text(doc.text, b)) for b in doc.blocks if b.kind == "heading"][-5:] == [
        (1, "Interaction"), (2, "GOTOBUFFER"), (2, "JUMP_PROMPT"), (1, "Proxy"), (2, "HTTP_PROXY, FTP_PROXY")]
    assert not any(doc.text[b.start:b.end] in (".ex", ".nf", ".fi") for b in doc.blocks)
    assert [s.title for s in find_sections(doc)][-3:] == ["JUMP_PROMPT", "Proxy", "HTTP_PROXY, FTP_PROXY"]


def test_a_configuration_files_comments_written_as_sentences_are_paragraphs(tmp_path):
    """In a file of "#" comments, a comment written as sentences is a paragraph (its sentences quoted one by one,
    shown without the marks), while a setting put out of use ("#GOTOBUFFER:FALSE") or an indented example
    stays code, line by line."""
    from chatbot.answer import reflow

    doc = _read(tmp_path, "tool.cfg", (
        "# tool.cfg file for the tool.\n# Lines starting with a hash are comments.\n\n"
        "# Set GOTOBUFFER to TRUE if you want to have the previous address,\n# if any, offered again as a default.\n"
        "#GOTOBUFFER:FALSE\n\n#    tool -cfg /where/is/tool.cfg\n#    tool -trace\n\n"
        "# The prompt shown when you pick a jump file from the list of\n# files kept for you.\n#JUMP_PROMPT:Jump\n"))
    paragraphs = block_texts(doc, "paragraph")
    comment = next(t for t in paragraphs if "Set GOTOBUFFER" in t)
    assert reflow(comment).startswith("Set GOTOBUFFER to TRUE if you want to have the previous address, if any,")
    assert "#GOTOBUFFER:FALSE" not in " ".join(paragraphs) and "tool -trace" not in " ".join(paragraphs)


def test_a_title_set_left_of_its_indented_body_over_a_blank_line_is_a_heading(tmp_path):
    """nano's README sets each title at the margin, a blank line, then its body indented by four: every one of
    them heads its section, "Bug Reports" included."""
    body = "    {} is explained here in a sentence long enough to be a paragraph of the\n    file.\n"
    doc = _read(tmp_path, "README", "".join(f"{title}\n\n{body.format(title)}\n" for title in (
        "Purpose", "Origin", "Web Page", "Mailing Lists", "Bug Reports")))
    assert [heading_text(doc.text, b) for b in doc.blocks if b.kind == "heading"] == [
        "Purpose", "Origin", "Web Page", "Mailing Lists", "Bug Reports"]


def test_a_question_closing_a_paragraph_with_a_colon_is_not_a_heading(tmp_path):
    """"Should you think that this is your situation, please read this:" ends the paragraph above it: the text
    after it is not a section named by it."""
    doc = _read(tmp_path, "README.cookies", (
        "Cookies\n\nThe browser asks about every cookie by default, but some users just want speed.\n"
        "Should you think that this is your situation, please read this:\n\n"
        "There are privacy issues with accepting all cookies blindly.\n"))
    assert not [b for b in doc.blocks if b.kind == "heading" and "Should you" in doc.text[b.start:b.end]]


def test_titles_set_further_in_than_the_body_are_headings_and_option_lines_are_not(tmp_path):
    """Openwall's documents set each title one tab in, alone, over a body at the margin, and end it with a full
    stop ("\tWordlist mode."): those are the sections. An option's line over its description
    ("--rules\t\t\tenable word mangling rules") had been taken for a heading, one entry off its text."""
    doc = _read(tmp_path, "MODES", (
        "\tKettle's brewing modes.\n\nMode descriptions here are short and only cover the basics.\n\n\n"
        "\tSteep mode.\n\nThis is the simplest mode. The leaves sit in water at the chosen heat.\n\n"
        "--rules\t\t\tenable timed rules for steep mode\n\nEnables the rules read from the [Rules] section.\n\n"
        "--strength=N\t\tsteep N minutes\n\nSets how long the leaves stay in.\n\n\n"
        "\t\"Cold brew\" mode.\n\nThis is the mode you should start with. It takes a night.\n\n"
        "\tWhat modes should I use?\n\nSee EXAMPLES for a reasonable order of modes to use.\n"))
    assert [heading_text(doc.text, b) for b in doc.blocks if b.kind == "heading"] == [
        "Kettle's brewing modes.", "Steep mode.", "\"Cold brew\" mode.", "What modes should I use?"]
    sections = {s.title: s for s in find_sections(doc)}
    strength = doc.text.index("Sets how long")
    assert sections["Steep mode."].start < strength < sections["Steep mode."].end


def test_lines_set_in_under_the_text_that_announces_them_are_code_and_quoted_line_by_line(tmp_path):
    """README.source's "… run quilt push -a and then:" over two commands set in by four: an example to copy,
    shown line by line (the reply had joined them into one wrong command, "quilt import -P <patch>
    /path/to/patch quilt push -a"). A term and its description set in under a lead stay text."""
    from chatbot.answer import reflow

    doc = _read(tmp_path, "README.source", (
        "To add an external patch to the build system, run quilt push -a and then:\n\n"
        "    kettle import -P <patch> /path/to/patch\n    kettle push -a\n\n"
        "(add -p 0 to kettle import if needed).\n\nIt has the following possible values:\n\n"
        "    dso     Preload a shared object that intercepts the execve(2), execl(3),\n"
        "            and system(3) library functions.\n\n"
        "    always  Always lecture the user.\n"))
    assert block_texts(doc, "code") == ["kettle import -P <patch> /path/to/patch\n    kettle push -a"]
    assert any(t.startswith("dso") for t in block_texts(doc, "paragraph"))
    assert "always  Always lecture the user." in block_texts(doc, "paragraph")
    code = next(b for b in doc.blocks if b.kind == "code")
    shown = reflow(doc.text[code.start:code.end], [(0, code.end - code.start)])
    assert shown.splitlines() == ["kettle import -P <patch> /path/to/patch", "kettle push -a"]


def test_an_faq_whose_answers_follow_their_questions_without_a_blank_line_is_headed_by_them(tmp_path):
    """John the Ripper's FAQ sets "A: …" right under the last line of its "Q: …": every question heads its
    answer (they had been one paragraph, and the question was quoted as the answer)."""
    entries = [("Q: Why does the kettle not load my water file?  It says \"No water\nloaded\"?",
                "A: Your water file might be shadowed.  Combine the two files first."),
               ("Q: How do I make it boil the same water again?", "A: Remove the kettle.pot file."),
               ("Q: Where do I get new versions of the kettle?", "A: From the maker's site.")]
    doc = _read(tmp_path, "FAQ", "\tKettle FAQ.\n\n" + "".join(f"{q}\n{a}\n\n" for q, a in entries))
    headings = [heading_text(doc.text, b) for b in doc.blocks if b.kind == "heading"]
    assert [h for h in headings if h.startswith("Q:")] == [" ".join(q.split()) for q, _ in entries], headings
    assert [t for t in block_texts(doc, "paragraph") if t.startswith("A:")] == [a for _, a in entries]


def test_a_short_underline_in_the_style_of_the_documents_headings_still_underlines_one(tmp_path):
    """fetchmail's README.SSL underlines "Background and use (long version :-))" with half its length of
    dashes, as it underlines "Preface" and "Quickstart" in full: a heading at their level, not a title nested
    under Quickstart."""
    body = "This paragraph is long enough to be read as the body of the section above it.\n\n"
    doc = _read(tmp_path, "README.SSL", "Kettle SSL support\n==================\n\nPreface\n-------\n\n" + body
                + "Quickstart\n----------\n\n" + body + "Background and use (long version :-))\n----------------\n\n"
                + body)
    assert [(heading_text(doc.text, b), b.level) for b in doc.blocks if b.kind == "heading"] == [
        ("Kettle SSL support", 1), ("Preface", 2), ("Quickstart", 2), ("Background and use (long version :-))", 2)]


def test_a_table_set_out_in_columns_is_read_a_row_a_block_and_quoted_as_set(tmp_path):
    """irssi's special_vars.txt sets its variables out in two columns, under "Variable   Description": each
    row is a block of its own (the table had been one sentence, and "$N  current nickname" never stood out),
    a row's wrapped description goes on with it, and rows quoted together keep their columns."""
    from chatbot.answer import render
    from chatbot.records import Citation

    doc = _read(tmp_path, "special_vars.txt", (
        "These variables are set by the client.\n\n"
        "   Variable   Description\n   $C         current channel\n   $N         current nickname\n"
        "   $T         target of current input (channel or nick\n"
        "              of query)\n   $Z         time of day (hh:mm)\n\n"
        "The case of the letters is important: $c is not $C.\n"))
    assert block_texts(doc, "table_row") == [
        "Variable   Description", "$C         current channel", "$N         current nickname",
        "$T         target of current input (channel or nick\n              of query)",
        "$Z         time of day (hh:mm)"]
    assert "These variables are set by the client." in block_texts(doc, "paragraph")
    start, end = doc.text.index("$C"), doc.text.index("nickname") + len("nickname")
    shown = render([Citation(1, doc.id, "", start, end, doc.text[start:end])], {doc.id: doc})
    assert shown.splitlines() == ["$C         current channel", "$N         current nickname [1]"]


def test_a_paragraph_wrapped_at_its_indent_is_no_table(tmp_path):
    """Lines of prose whose words happen to be set apart by two spaces after a full stop are no columns."""
    doc = _read(tmp_path, "notes.txt", (
        "The kettle boils water.  It also keeps it warm.  The lid opens with\n"
        "a button.  A light shows when it is on.  The base turns all the way\n"
        "round.  The cord winds under it.  A filter catches the scale.\n"))
    assert not block_texts(doc, "table_row") and len(block_texts(doc, "paragraph")) == 1


def test_a_list_of_terms_each_closed_by_a_colon_is_read_an_entry_a_block(tmp_path):
    """irssi's manual lists /SERVER ADD's options as "-tls_cert: The TLS client certificate file.", a line each,
    a long description wrapped further in: an entry a block (they had run into one paragraph, the option
    asked about the fifth item of it)."""
    doc = _read(tmp_path, "manual.txt", (
        "5.4 Server settings\n\n\t/SERVER ADD [-tls] [-tls_cert <cert>] <address>\n\n"
        "\t    -tls: Connects using TLS encryption.\n\t    -tls_cert: The TLS client certificate file.\n"
        "\t    -tls_pkey: The TLS client private key, if not included in the\n"
        "\t               certificate file.\n\t    -tls_verify: Verifies the TLS certificate of the server.\n"))
    assert [" ".join(t.split()) for t in block_texts(doc, "table_row")] == [
        "-tls: Connects using TLS encryption.", "-tls_cert: The TLS client certificate file.",
        "-tls_pkey: The TLS client private key, if not included in the certificate file.",
        "-tls_verify: Verifies the TLS certificate of the server."]


SQUID_CONF = """#	WELCOME TO KETTLE 5.7
#	----------------------------
#
#	This is the documentation for the kettle configuration file.
#	It shows what the defaults for the directives happen to be.
#

# OPTIONS FOR HEATING
# -----------------------------------------------------------------------------

#  TAG: boil_timeout
#	How long the element may heat before it gives up.
#
#	A kettle that never boils within it is reported as scaled.
#Default:
# boil_timeout 5 minutes

#  TAG: keep_warm
#	Holds the water at seventy degrees after it boils.
#Default:
# keep_warm off

# OPTIONS FOR FILLING
# -----------------------------------------------------------------------------

#  TAG: max_fill
#	The most water, in millilitres, that the kettle accepts.
#Default:
# max_fill 1700

#  TAG: min_fill
#	The least water the element may run with.
#Default:
# min_fill 300

#  TAG: fill_window
#	Whether the water window lights up while filling.
#Default:
# fill_window on
"""


def test_a_documented_configuration_is_read_by_its_parts_and_directives(tmp_path):
    """Squid ships its directives documented as one file of comments, "squid.conf.documented": it is read (its
    suffix had been no reader's), each "#  TAG: name" heads its directive under the part above it ("# OPTIONS
    FOR …" over a rule of dashes), and a line that is only "#" parts paragraphs (the whole file had been read
    as paragraphs of thousands of characters)."""
    path = tmp_path / "kettle.conf.documented"
    path.write_text(SQUID_CONF, encoding="utf-8")
    doc = read_document(path, path.name)
    paths = [s.path_text for s in find_sections(doc)]
    assert "OPTIONS FOR HEATING › TAG: keep_warm" in paths and "OPTIONS FOR FILLING › TAG: max_fill" in paths, paths
    paragraphs = block_texts(doc, "paragraph")
    assert "#\tHow long the element may heat before it gives up." in paragraphs
    assert any(p.startswith("#\tA kettle that never boils within it is reported as scaled.") for p in paragraphs)
    assert max(map(len, paragraphs)) < 200


def test_a_setting_put_out_of_use_under_its_comment_is_code_with_its_mark(tmp_path):
    """Dovecot's "# Disable LOGIN command …" over "#disable_plaintext_auth = yes", Tor's "#AccountingMax 40
    GBytes": the setting is code, shown with its "#" (a reply had shown it as a setting in use), and a title
    framed by rows of "##" heads the file's part."""
    doc = _read(tmp_path, "10-auth.conf", (
        "##\n## Authentication processes\n##\n\n"
        "# Disable LOGIN command and all other plaintext authentications unless\n"
        "# SSL/TLS is used. See also the ssl setting.\n#disable_plaintext_auth = yes\n\n"
        "# Authentication cache size. 0 means it is disabled, which is the default.\n#auth_cache_size = 0\n\n"
        "# Limit the bytes the relay sends in each period, as the comments say.\n#AccountingMax 40 GBytes\n\n"
        "# Space separated list of realms for mechanisms that need them here.\n#auth_realms =\n"))
    assert [heading_text(doc.text, b) for b in doc.blocks if b.kind == "heading"] == ["Authentication processes"]
    assert block_texts(doc, "code") == ["#disable_plaintext_auth = yes", "#auth_cache_size = 0",
                                        "#AccountingMax 40 GBytes", "#auth_realms ="]


def test_a_markdown_headings_html_anchor_is_its_blocks_anchor_not_part_of_its_title(tmp_path):
    """Icinga's Markdown sets an anchor on each heading ("## Host States <a id="host-states"></a>") for links:
    the tag stood in every section's name, option and refusal hint; it is the anchor of the section's
    citations, as an HTML page's ids are."""
    text = ('# Monitoring Basics <a id="monitoring-basics"></a>\n\nIcinga checks hosts and services.\n\n'
            '## Host States <a id="host-states"></a>\n\nA host is either up or down.\n\n'
            '## <a name="notes"></a>Notes\n\nStates change when checks fail.\n')
    document = _read(tmp_path, "basics.md", text)
    headings = [b for b in document.blocks if b.kind == "heading"]
    assert [heading_text(text, b) for b in headings] == ["Monitoring Basics", "Host States", "Notes"]
    assert document.title == "Monitoring Basics"
    paragraphs = [b for b in document.blocks if b.kind == "paragraph"]
    assert [b.anchor for b in paragraphs] == ["monitoring-basics", "host-states", "notes"]
    assert document.anchor_at(text.index("either up")) == "host-states"
    assert [s.title for s in find_sections(document)][-2:] == ["Host States", "Notes"]


def test_a_configuration_samples_titles_set_inside_banners_head_its_sections(tmp_path):
    """hostapd.conf sets each part's title inside a row of marks ("##### RADIUS client configuration ####…"),
    some with a mark fewer: they head its sections, all at one level; its comments stay paragraphs."""
    rule = "#" * 30
    text = (f"##### Sample server configuration {rule}\n# Empty lines and lines starting with # are ignored\n\n"
            "# Network interface the server listens on; it can be overridden with the -i option.\n"
            "interface=eth0\n\n"
            f"#### Logging {rule}\n\n# Where the log messages go: syslog or stdout.\nlogger_syslog=-1\n\n"
            f"##### Access control {rule}\n\n# Accept only the addresses listed in the accept file.\n"
            "macaddr_acl=1\n\n# The file of accepted addresses.\naccept_mac_file=/etc/server.accept\n")
    document = _read(tmp_path, "server.conf", text)
    sections = find_sections(document)
    assert [(s.title, len(s.path)) for s in sections] == [
        ("Sample server configuration", 1), ("Logging", 1), ("Access control", 1)]
    comment = text.index("# Accept only")
    assert any(b.kind == "paragraph" and b.start == comment for b in document.blocks)


def test_a_manual_pages_titles_in_words_set_over_paragraphs_head_sections(tmp_path):
    """monit(1) titles the parts of a section with a line of words alone at the body's indent ("Host and network
    allow list") over paragraphs of sentences: they head sections, so a quote is cited under its own (it had been
    cited under the last title in capitals, "PAM"). A label ("Syntax:"), a command and a line over a
    listing are no titles."""
    page = _read(tmp_path, "tool.txt", (
        "TOOL(1)                          User Commands                         TOOL(1)\n\n"
        "NAME\n       tool - watch services on a server\n\n"
        "HTTP INTERFACE\n   Authentication\n"
        "       The interface can be protected in several ways, described below.\n\n"
        "       Host and network allow list\n\n"
        "       The tool keeps a list of hosts and networks allowed to connect, and\n"
        "       refuses any other client at once.\n\n"
        "       Syntax:\n\n        ALLOW <host>\n\n"
        "       Read-only users\n\n"
        "       A user can be given read-only access, so that he cannot change the\n"
        "       state of any service from the interface.\n\n"
        "       set httpd port 2812\n\n"
        "       Example of a listing\n\n         allow localhost\n\n"
        "tool 1.0                          January 2024                        TOOL(1)\n"))
    titles = [heading_text(page.text, b) for b in page.blocks if b.kind == "heading"]
    assert titles == ["tool - watch services on a server", "HTTP INTERFACE", "Authentication",
                      "Host and network allow list", "Read-only users"]


def test_a_title_inside_a_long_row_of_marks_heads_its_part(tmp_path):
    """redis.conf sets its parts' titles inside rows of thirty marks and more ("####…#### NETWORK ####…####"),
    more than a Markdown heading's six: they head its sections all the same, named without the marks (every
    quote had been cited under the file's name)."""
    rule = "#" * 34
    text = (f"# Redis configuration file example.\n\n{rule} NETWORK {rule}\n\n"
            "# By default Redis listens for connections from all the network interfaces.\n\nbind 127.0.0.1\n\n"
            f"{rule} SNAPSHOTTING {rule}\n\n# Save the DB to disk after the given number of seconds.\n\n"
            "save 3600 1\n")
    document = _read(tmp_path, "redis.conf", text)
    assert [s.title for s in find_sections(document)][-2:] == ["NETWORK", "SNAPSHOTTING"]


def test_a_hash_line_whose_sentence_goes_on_below_is_no_heading(tmp_path):
    """memcached's TLS notes list features as "# Certificate refresh: when the server gets a new certificate, new
    connections" over "will use new certificates …": a list item written with "#", not a heading (three of its
    sections had been named with half sentences). A "# Title" over its paragraph still heads it."""
    text = ("Securing the server\n\nFeatures\n--------\n\nFollowing are a few additional features.\n"
            "# Certificate refresh: when the server gets a new certificate, new connections\n"
            "will use new certificates without a restart.\n\n"
            "# Design\n\nWe experimented with two ways of adding TLS to the server.\n")
    document = _read(tmp_path, "tls.txt", text)
    titles = [s.title for s in find_sections(document)]
    assert not any(title.startswith("Certificate refresh") for title in titles)
    assert "Design" in titles


def test_titles_in_capitals_head_what_is_set_further_in_under_them_at_any_depth(tmp_path: Path) -> None:
    """A package's README.Debian: parts titled in capitals at the margin, their sections titled in capitals
    two columns in, the text three in; a part's title may stand right over its first section's."""
    body = "   This paragraph says what the {} part is about, in a sentence long enough to be text.\n"
    text = ("DOCUMENTATION\n\n" + body.format("documentation") + "\nCONFIGURATION\n\n" + body.format("configuration")
            + "\nDAEMON-SETUP\n\n  CONFIG FILE HANDLING\n\n" + body.format("handling") + "\n  WARNINGS\n\n"
            + body.format("warnings") + "\nCLIENT\n\n" + body.format("client"))
    doc = _read(tmp_path, "README.Debian", text)
    headings = [(b.level, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "heading"]
    assert headings == [(1, "DOCUMENTATION"), (1, "CONFIGURATION"), (1, "DAEMON-SETUP"), (2, "CONFIG FILE HANDLING"),
                        (2, "WARNINGS"), (1, "CLIENT")]
    sections = {s.title: s for s in find_sections(doc)}
    assert "warnings part" in doc.text[sections["WARNINGS"].start:sections["WARNINGS"].end]


def test_a_title_in_capitals_over_another_title_heads_a_part_of_a_plain_text(tmp_path: Path) -> None:
    """Titles between paragraphs at one depth, one in capitals right over another with a blank line between:
    both are titles, not the first a line of text."""
    text = ("INTRO\n\nSome text here that is a sentence of the introduction.\n\nMAIL SERVERS\n\nSENDMAIL\n\n"
            "So long as sendmail can write to the socket, the rest is handled.\n")
    doc = _read(tmp_path, "notes.txt", text)
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "heading"] == ["INTRO", "MAIL SERVERS", "SENDMAIL"]


def test_a_programs_help_saved_as_text_reads_as_its_parts(tmp_path: Path) -> None:
    """`prog --help > usage.txt`: labels in capitals at the margin ("HOST DISCOVERY:") over options set in
    by two, no blank line anywhere; each label heads its options, named without its colon. It had been one
    paragraph, quoted whole (2,400 characters) for any question."""
    parts = {"TARGET SPECIFICATION": ["-iL <file>: Input from list of hosts/networks", "-iR <num>: Random targets"],
             "HOST DISCOVERY": ["-sL: List Scan - simply list targets", "-Pn: Treat all hosts as online"],
             "SERVICE/VERSION DETECTION": ["-sV: Probe open ports to determine service/version info"],
             "OUTPUT": ["-oN <file>: Output scan in normal format", "-v: Increase verbosity level"]}
    text = "Prog 7.93 ( https://example.org )\nUsage: prog [Options] {target}\n" + "".join(
        f"{label}:\n" + "".join(f"  {line}\n" for line in lines) for label, lines in parts.items())
    doc = _read(tmp_path, "prog.usage.txt", text)
    sections = {s.title: doc.text[s.start:s.end] for s in find_sections(doc)}
    for label, lines in parts.items():
        assert label in sections, sections.keys()
        assert all(line in sections[label] for line in lines)
        assert not any(line in sections[label] for other in parts if other != label for line in parts[other])


def test_an_asciidoc_faqs_entry_with_an_anchor_of_its_own_is_a_section_though_it_asks_nothing(tmp_path: Path) -> None:
    """gitfaq.txt: most entries are questions ("How do I …?::"), some are statements of a problem ("I asked
    Git to ignore various files, yet they are still tracked::"); each has its anchor line over it, and each
    is a section, so the next entry's answer is not cited under the last question."""
    text = ("gitfaq(7)\n=========\n\nCommon Issues\n-------------\n\n"
            "[[amend]]\nHow do I change the last commit?::\n\tUse the amend option of the commit command to "
            "rewrite the last commit.\n\n"
            "[[ignore-tracked-files]]\nI asked Git to ignore various files, yet they are still tracked::\n"
            "\tA gitignore file ensures that certain files which Git does not know about remain untracked.\n")
    doc = _read(tmp_path, "gitfaq.txt", text)
    sections = {s.title: doc.text[s.start:s.end] for s in find_sections(doc)}
    entry = "I asked Git to ignore various files, yet they are still tracked"
    assert entry in sections, sections.keys()
    assert "remain untracked" in sections[entry]
    assert "remain untracked" not in sections["How do I change the last commit?"]


def test_lines_of_html_tags_alone_in_markdown_are_markup_not_text(tmp_path: Path) -> None:
    """ripgrep's FAQ.md sets each question inside HTML heading tags on lines of their own ('<h3 name="config">'
    / 'Does ripgrep support configuration files?' / '</h3>'), Icinga's Markdown a comment and an anchor over a
    heading: the tags and comments are no text of the page, and no quote may open with "</h3>"."""
    text = ('## FAQ\n\n<h3 name="config">\nDoes ripgrep support configuration files?\n</h3>\n\n'
            "Yes. See the guide's section on configuration files.\n\n"
            '<!-- Keep this for compatibility -->\n<a id="release"></a>\n\n<h3 name="release">\n'
            "When is the next release?\n</h3>\n\nReleases are made on a best effort basis.\n")
    doc = _read(tmp_path, "FAQ.md", text)
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [
        "## FAQ", "Does ripgrep support configuration files?", "Yes. See the guide's section on configuration files.",
        "When is the next release?", "Releases are made on a best effort basis."]
