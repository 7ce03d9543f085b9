"""The PDF reader on real PDFs (tests/data/pdf/README.md says where each comes from): what a user gets to
quote, on which page, and what is left out."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdf_pages import write_pdf

from chatbot.corpus import find_sections
from chatbot.readers import Unreadable, read_document
from chatbot.readers import pdf as pdf_reader
from chatbot.readers.pdf import read_pdf
from chatbot.records import Document

DATA = Path(__file__).resolve().parent / "data" / "pdf"
DEBIAN = "debian-reference-sample"
STANDARDS = "gnu-standards-sample"
CHROMIUM = "chromium-handbook"
FOOTNOTES = "chromium-footnotes"
COLUMNS = "chromium-columns"
BROWSER = "chromium-browser-header"
FAQ = "chromium-faq"
GROFF = "groff-manual-page"
SAMPLES = (DEBIAN, STANDARDS, CHROMIUM, FOOTNOTES, COLUMNS, BROWSER, FAQ, GROFF)

# Lines of pdftotext's output that a reader must leave out: running headers and footers, box labels.
RUNNING_LINES = {
    DEBIAN: re.compile(r"^(Debian Reference|\d+ / 233|Note|Tip|Warning)$"),
    STANDARDS: re.compile(r"^(Chapter \d+: .*|\d+|[ivx]+)$"),
    CHROMIUM: re.compile(r"^(Tea Brewing Handbook|Page \d+ of \d+)$"),
    FOOTNOTES: re.compile(r"^\d+$"),  # page numbers (a note's number stands alone too: its words still count)
    COLUMNS: re.compile(r"^$"),
    BROWSER: re.compile(r"^(\d+/\d+/\d+, \d+:\d+ [AP]M|Kettle Care Notes( - Kettle Works 2.1)?|file:///\S+|\d+/\d+|"
                        r"Kettle Works 2.1 ☰|Kettle Care 2.1|"
                        r"Search the notes|Descaling|The (blue|red|steel|copper) kettle)$"),
    # and the contents: its lines, numbered as the headings they repeat (left out once, kept once)
    FAQ: re.compile(r"^(\d+/\d+/\d+, \d+:\d+ [AP]M|The Kettle FAQ|file:///\S+|\d+/\d+|Table of Contents|"
                    r"\d\.(\d\.)? .*|and leaves a white crust\?)$"),
    GROFF: re.compile(r"^(KETTLECTL \(8\)|BSD System Manager’s Manual|Kettle Works|March 3, 2026|\d)$"),
}
CONTENTS_PAGES = {DEBIAN: {1}, STANDARDS: {1}, CHROMIUM: set(), FOOTNOTES: set(), COLUMNS: set(), BROWSER: set(),
                  FAQ: set(), GROFF: set()}
WORD = re.compile(r"[^\W_]+")


@cache
def sample(name: str) -> Document:
    return read_pdf(DATA / f"{name}.pdf", f"{name}.pdf")


@cache
def reference_pages(name: str) -> list[str]:
    """pdftotext's text of each page (made when the samples were, see make_samples.py)."""
    return (DATA / f"{name}.pdftotext.txt").read_text(encoding="utf-8").split("\f")[:-1]


def block_texts(doc: Document, kind: str | None = None) -> list[str]:
    return [doc.text[b.start:b.end] for b in doc.blocks if kind is None or b.kind == kind]


def headings(doc: Document) -> list[tuple[str, int, str]]:
    return [(doc.text[b.start:b.end], b.level, b.numbering) for b in doc.blocks if b.kind == "heading"]


def squash(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------ the record


@pytest.mark.parametrize("name", SAMPLES)
def test_every_block_is_its_text_trimmed_in_order(name: str) -> None:
    doc = sample(name)
    assert doc.format == "pdf" and doc.id == f"{name}.pdf"
    assert len(doc.blocks) > 10
    end = 0
    for block in doc.blocks:
        text = doc.text[block.start:block.end]
        assert text and text == text.strip(), block
        assert block.start >= end, "blocks overlap or are out of order"
        end = block.end


@pytest.mark.parametrize("name", SAMPLES)
def test_one_page_offset_per_page(name: str) -> None:
    doc = sample(name)
    assert len(doc.pages) == len(pdfium.PdfDocument(DATA / f"{name}.pdf"))
    assert doc.pages[0] == 0 and list(doc.pages) == sorted(doc.pages)
    assert doc.pages[-1] < len(doc.text)


@pytest.mark.parametrize("name", SAMPLES)
def test_no_odd_characters_are_left(name: str) -> None:
    text = sample(name).text
    for odd in ("\x00", "\u00ad", "\ufffe", "\ufb01", "\ufb02", "\r", "\t"):
        assert odd not in text, repr(odd)
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", text)


@pytest.mark.parametrize("name", SAMPLES)
def test_sentences_are_on_the_page_pdftotext_finds_them_on(name: str) -> None:
    doc = sample(name)
    pages = [squash(page) for page in reference_pages(name)]
    checked = 0
    for block in doc.blocks:
        text = doc.text[block.start:block.end]
        sentence = squash(text.split("\n")[0])[:60]
        found = [n for n, page in enumerate(pages, start=1) if sentence in page]
        if block.kind == "paragraph" and len(sentence) == 60 and len(found) == 1:
            assert doc.page_at(block.start) == found[0], sentence
            checked += 1
    assert checked >= 5


def test_a_paragraph_over_a_page_break_is_one_block_with_both_pages() -> None:
    doc = sample(CHROMIUM)
    start = doc.text.index("Steeping time matters as much as temperature.")
    block = next(b for b in doc.blocks if b.start == start)
    assert block.kind == "paragraph"
    text = doc.text[block.start:block.end]
    assert "is often the better one with oolong and pressed teas, whose leaves open slowly." in text
    assert doc.page_at(start) == 1
    assert doc.page_at(doc.text.index("the better one with oolong") + len("the better ")) == 2
    assert "Page 1 of 3" not in text and "Tea Brewing Handbook" not in text


# ------------------------------------------------------------------------------------------ footnotes


def test_footnotes_are_read_with_the_section_that_marks_them_and_cited_on_their_own_page() -> None:
    """A note at a page's foot belongs to the sentence that carries its raised number: it is quoted under
    that sentence's section (not whichever section the page ends in) and cited on the page it is printed on.
    The raised number itself is not a word of the sentence ("… gets forgotten.1 Put …")."""
    from chatbot.chunking import chunk_document

    doc = sample(FOOTNOTES)
    pages = [squash(page) for page in reference_pages(FOOTNOTES)]
    passages = chunk_document(doc)
    notes = [b for b in doc.blocks if b.kind == "paragraph" and re.match(r"\d \S", doc.text[b.start:b.end])]
    assert len(notes) == 5
    for note in notes:
        text = doc.text[note.start:note.end]
        number, words = text.split(" ", 1)
        printed_on = [n for n, page in enumerate(pages, start=1) if squash(words)[:50] in page]
        assert doc.page_at(note.start) == printed_on[0], text
        # the words its raised number is set against, as poppler reads the page
        marked = re.search(rf"(\S+ \S+ \S*[a-z][.,]?){number}\s", " ".join(pages)).group(1).split()
        mark = re.search(r"\s+".join(map(re.escape, marked)), doc.text)
        assert not doc.text[mark.end():].startswith(number), "the raised number is left out of the sentence"
        section_of_note = next(p.section for p in passages if p.start <= note.start < p.end)
        section_of_mark = next(p.section for p in passages if p.start <= mark.start() < p.end)
        assert section_of_note == section_of_mark, text


def test_a_paragraph_over_a_page_break_leaves_the_footnotes_between_its_halves_out() -> None:
    doc = sample(FOOTNOTES)
    pages = reference_pages(FOOTNOTES)
    first_words = squash(pages[0].split("1.1 Jars and labels")[1]).split(" ")[:6]
    last_words = squash(pages[1]).split(" ")[:6]
    block = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith(" ".join(first_words)))
    text = squash(doc.text[block.start:block.end])
    assert " ".join(last_words) in text, "both halves are one block"
    assert not re.search(r"\s[12] [A-Z]", text), "no footnote inside it"
    assert doc.page_at(block.start) == 1 and doc.page_at(block.end - 1) == 2


# ------------------------------------------------------------------------------- what is left out


def test_running_headers_footers_and_page_numbers_are_left_out() -> None:
    for name in SAMPLES:
        for text in block_texts(sample(name)):
            assert not re.fullmatch(r"\d+|[ivx]+|Page \d+ of \d+", text), (name, text)
    debian = "\n".join(block_texts(sample(DEBIAN)))
    assert not re.search(r"\d+ / 233", debian)
    assert "Debian Reference" not in block_texts(sample(DEBIAN))
    standards = "\n".join(block_texts(sample(STANDARDS)))
    assert "Chapter 2: Keeping Free Software Free" not in standards
    assert "Chapter 3: General Program Design" not in standards
    chromium = sample(CHROMIUM).text
    assert "Tea Brewing Handbook" not in chromium and not re.search(r"Page \d of 3", chromium)


def test_a_browsers_own_header_and_footer_are_left_out_where_pages_start_with_code() -> None:
    """`chromium --print-to-pdf` sets the date and title atop each page and the file's address and "n/N" at its
    foot, in small print a line and a half from the text where a page starts with a code block."""
    pages = reference_pages(BROWSER)
    assert all(re.search(r"\d+/\d+/\d+, \d+:\d+ [AP]M", page) and "file:///" in page for page in pages)
    doc = sample(BROWSER)
    assert not re.search(r"\d+/\d+/\d+, \d+:\d+ [AP]M|file:///|^\d+/\d+$", doc.text, re.MULTILINE)
    codes = block_texts(doc, "code")
    assert len(codes) == len(pages) - 1 and all(code.startswith("descale --kettle") for code in codes)
    assert block_texts(doc, "heading")[:2] == ["Kettle Care Notes", "Descaling"]


def test_a_browsers_header_and_footer_are_left_out_of_a_page_printed_alone() -> None:
    """One FAQ entry printed by `chromium --print-to-pdf`: no line repeats over pages, yet the date and time
    over the title and the file's address over "1/1" are the browser's, not the page's (quoted, the header
    answered questions with the entry's own title)."""
    reference = reference_pages("chromium-one-page")[0]
    assert re.search(r"\d+/\d+/\d+, \d+:\d+ [AP]M", reference) and "file:///" in reference
    doc = read_pdf(DATA / "chromium-one-page.pdf", "chromium-one-page.pdf")
    assert not re.search(r"\d+/\d+/\d+, \d+:\d+|file:///|^\d+/\d+$", doc.text, re.MULTILINE)
    assert block_texts(doc, "heading") == ["7. Why does my kettle click twice?"]
    assert block_texts(doc, "paragraph")[0].startswith("The first click is the switch closing")


def test_a_glyph_the_font_maps_to_no_character_is_no_text() -> None:
    """A printed web page's permalink icon comes out of the text layer as U+FFFD after every heading."""
    assert pdf_reader._clean("Preface\ufffd") == "Preface"


def test_a_printed_pages_site_banner_is_left_out_and_its_own_heading_opens_it():
    """The page's <title> (the PDF's title) is "Kettle Care Notes - Kettle Works 2.1", and it opens with the
    site's banner in large type, "Kettle Works 2.1 ☰": that is no section (every citation's path began with it,
    and the page's own heading was taken for a subtitle) and nothing to quote."""
    doc = sample(BROWSER)
    assert "Kettle Works" not in doc.text
    assert [(text, level) for text, level, _ in headings(doc)][:2] == [("Kettle Care Notes", 1), ("Descaling", 2)]


def test_a_heading_wrapped_after_a_comma_is_one_heading():
    """"What protects a kettle from lime," over "rust and scorch marks?": the first line ends as no heading
    would, but it is set as the heading line under it."""
    assert "What protects a kettle from lime, rust and scorch marks?" in block_texts(sample(BROWSER), "heading")


def test_a_sidebar_printed_on_every_page_is_left_out():
    """A web page's fixed sidebar (its version, a search box, its contents) is printed by a browser on every
    page, in the middle of the page's height: not once is it the document's text."""
    assert all("Search the notes" in page for page in reference_pages(BROWSER))
    doc = sample(BROWSER)
    assert "Search the notes" not in doc.text and "Kettle Care 2.1" not in doc.text
    assert doc.text.count("The red kettle") == 0 and "Step 2: the red kettle" in block_texts(doc, "heading")


def test_a_printed_faqs_contents_without_page_numbers_is_left_out_and_its_long_headings_kept_whole():
    """A saved FAQ page printed by a browser: its contents is a numbered list with no page numbers and no PDF
    outline, each entry a title the page sets again below (one worded apart: "Shops and markets …" for "Web
    shops …"); it had been read as text and its chapters as sections. A chapter ending in a full stop, a
    question wrapped over two lines, and "(N) …" entries set in bold over their answer (wrapped, or no
    question) are headings, whole; so are questions over their answers set in under them in body type (a
    definition list of questions, AsciiDoc's FAQ), one wrapped over two lines."""
    doc = sample(FAQ)
    assert "Table of Contents" not in doc.text and "Shops and markets" not in doc.text
    assert doc.text.count("1.1. What is a kettle?") == 1 and doc.text.count("My kettle whistles all the time.") == 1
    assert [text for text, _, _ in headings(doc)] == [
        "The Kettle FAQ", "1. General", "1.1. What is a kettle?", "1.2. Who makes kettles for the shop?",
        "1.3. How do I keep the element free of lime when the water in my town is very hard and leaves a white "
        "crust?", "2. Where to get a kettle.", "2.1. Web shops that sell kettles.", "2.2. Kettles by post.",
        "3. Questions from the shop",
        "(1) Why does my kettle switch itself off before the water boils on the second and third time I use it in "
        "one morning?", "(2) My kettle whistles all the time.",
        "(3) I descaled the kettle with vinegar but the water still tastes sour. Is this normal?",
        "Questions as a list", "How full should I fill the kettle?",
        "I have poured water from a kettle that was left standing overnight into a fresh cup. Is it safe to boil "
        "it again?"]
    sections = find_sections(doc)
    assert ("3. Questions from the shop", "(2) My kettle whistles all the time.") in [s.path for s in sections]


@pytest.mark.parametrize("name", [DEBIAN, STANDARDS])
def test_the_table_of_contents_is_left_out(name: str) -> None:
    doc = sample(name)
    assert doc.pages[0] == doc.pages[1], "the contents page gave blocks"
    for text in block_texts(doc):
        assert not re.search(r"(\.\s?){4,}", text), text
        assert not re.search(r"^(Table of )?Contents$", text)
    entries = [re.sub(r"[\s.]+\d+$", "", line) for line in reference_pages(name)[0].splitlines()
               if re.search(r"(\. ){3,}", line)]
    assert len(entries) >= 5
    quoted = "\n".join(block_texts(doc))
    assert not any(re.search(rf"{re.escape(entry)}\W*\d+$", quoted, re.MULTILINE) for entry in entries)


@pytest.mark.parametrize("name", SAMPLES)
def test_no_body_text_is_lost(name: str) -> None:
    """At least 97% of the words pdftotext reads outside headers, footers and contents pages are quoted."""
    wanted: Counter[str] = Counter()
    for number, page in enumerate(reference_pages(name), start=1):
        if number in CONTENTS_PAGES[name]:
            continue
        for line in page.splitlines():
            if not RUNNING_LINES[name].match(line.strip()):
                wanted.update(w.casefold() for w in WORD.findall(line))
    got = Counter(w.casefold() for text in block_texts(sample(name)) for w in WORD.findall(text))
    found = sum(min(count, got[word]) for word, count in wanted.items())
    assert found / sum(wanted.values()) >= 0.97, [w for w, c in wanted.items() if got[w] < c][:40]


def test_box_labels_are_left_out() -> None:
    texts = block_texts(sample(DEBIAN))
    assert "Note" not in texts and "Warning" not in texts and "Tip" not in texts
    assert "Never share the root password with others." in texts  # the warning's own text stays


def test_a_line_with_one_stretched_space_is_not_a_table_row() -> None:
    """Justified text can leave one wide gap in a line; a table's rows share their columns."""
    def line(y: float, *parts: tuple[float, str]) -> pdf_reader._Line:
        runs = [pdf_reader._Run(text, x, x + 5.0 * len(text), y, 10.0, False, False, True) for x, text in parts]
        return pdf_reader._make_line(runs, 0)

    prose = line(700, (90, "The Mozilla Public License,"), (300, "https://directory.fsf.org/wiki/"))
    table = [line(600, (90, "Tea"), (200, "Grams")), line(588, (90, "Assam"), (200, "3"))]
    pdf_reader._unsplit_lone_rows([[prose, *table]])
    assert prose.text == "The Mozilla Public License, https://directory.fsf.org/wiki/"
    assert [row.text for row in table] == ["Tea | Grams", "Assam | 3"]


def test_a_definition_set_on_its_terms_line_reads_on_under_its_text() -> None:
    """A glossary or texinfo table prints the term, then its definition on the same line; the definition's
    next lines hang under its text, indented from the term. They are one paragraph, not one cut off at
    "If the"."""
    def line(y: float, *parts: tuple[float, str]) -> pdf_reader._Line:
        runs = [pdf_reader._Run(text, x, x + 4.5 * len(text), y, 10.0, False, False, True) for x, text in parts]
        return pdf_reader._make_line(runs, 0)

    prose = [line(700 - 12 * i, (90, "Ordinary running text fills the whole measure of the page from margin to "
                                     "the margin.")) for i in range(6)]
    entries = [line(610, (90, "HISTSIZE"), (134, "The largest number of commands kept on the list. If the")),
               line(598, (134, "value is 0, nothing is kept at all.")),
               line(580, (90, "HISTFILE"), (134, "The name of the file in which the list is saved at exit."))]
    document = pdf_reader._build_document([[*prose, *entries]], [], "", "glossary.pdf")
    texts = block_texts(document)
    assert "HISTSIZE The largest number of commands kept on the list. If the value is 0, nothing is kept at all." \
        in texts, texts
    assert "HISTFILE The name of the file in which the list is saved at exit." in texts


# ------------------------------------------------------------------------------------------ headings


def _text_line(y: float, text: str, size: float = 10.0, bold: bool = False) -> pdf_reader._Line:
    """One line of a made-up page: a single run at the left margin, `y` points from the page's foot."""
    run = pdf_reader._Run(text, 90, 90 + 0.45 * size * len(text), y, size, bold, False, True)
    return pdf_reader._make_line([run], 0)


def _prose_lines() -> list[pdf_reader._Line]:
    """Six lines of body text at the top of the page, so that the body's size and measure are known."""
    return [_text_line(700 - 12 * i, "Ordinary running text fills the whole measure of the page from margin to "
                                     "the margin.") for i in range(6)]


def test_a_caption_set_like_a_heading_opens_no_section_and_a_figures_is_left_out() -> None:
    """DocBook prints "Table 2.1. …" and "Figure B.3. …" over their table or picture in large bold type, wrapped
    like a heading: read as headings they were section names ("Table 16.1. Linear Depreciation …" headed the
    text after it). A table's caption is a paragraph over its rows; a figure's names a picture the text does
    not hold, and its title ("The configuration profiles dialog box") was quoted as the answer to how to open
    that dialog: it is left out. The real heading above still holds what follows."""
    prose = _prose_lines()
    lines = [_text_line(610, "Depreciation schemes", 14.0, True),
             _text_line(590, "Each scheme spreads the cost of an asset over the years of its use."),
             _text_line(570, "Table 16.1. Linear depreciation of a car bought for", 12.0, True),
             _text_line(556, "ten thousand", 12.0, True),
             _text_line(540, "The car loses the same amount every year until nothing is left of it."),
             _text_line(520, "Figure B.3. The schemes side by side", 12.0, True),
             _text_line(504, "A faster scheme writes off more of the cost in the first years.")]
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "schemes.pdf")
    assert block_texts(document, "heading") == ["Depreciation schemes"]
    assert "Table 16.1. Linear depreciation of a car bought for ten thousand" in block_texts(document, "paragraph")
    assert "The schemes side by side" not in document.text
    assert "A faster scheme writes off more of the cost in the first years." in block_texts(document, "paragraph")


def _line_at(x: float, y: float, text: str, size: float = 10.0) -> pdf_reader._Line:
    run = pdf_reader._Run(text, x, x + 0.45 * size * len(text), y, size, False, False, True)
    return pdf_reader._make_line([run], 0)


def test_short_lines_a_browser_printed_as_list_items_without_bullet_glyphs_stay_apart() -> None:
    """A web page printed by a browser draws its list's bullets as shapes, not characters: the items are
    then short lines with no mark to tell them by ("use IP addresses in VirtualHost" / "use IP addresses in
    Listen"), and were run into one line that no question found. A line that stops far short of where its
    neighbours reach, though the next line's first word would have fit, ends there. Lines of a narrow
    table cell wrap at the cell's edge and go on."""
    prose = _prose_lines()
    items = ["use addresses in the host blocks", "use addresses in the listeners",
             "ensure every host has a name of its own set explicitly", "create a default host that serves nothing"]
    lines = [_text_line(610, "Tips to avoid these problems", 14.0, True),
             *[_line_at(120, 590 - 12 * i, item) for i, item in enumerate(items)],
             _text_line(530, "After the list the running text goes on as before."),
             *[_line_at(90, 500 - 12 * i, text) for i, text in enumerate(
                 ["Estate logs are kept by the", "management team every day", "and read each week."])]]
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "tips.pdf")
    paragraphs = block_texts(document, "paragraph")
    for item in items:
        assert item in paragraphs
    assert "Estate logs are kept by the management team every day and read each week." in paragraphs


def test_a_contents_box_printed_on_one_line_is_left_out() -> None:
    """A web page's contents box printed by a browser reads as one line of the titles of the sections below
    it, with no page numbers to tell it by: quoted, it answered questions about those sections. A line that
    only shares words with them ("Assets - Liabilities = Equity" over sections on each) is text."""
    prose = _prose_lines()
    lines = [_text_line(610, "Overview Two kinds of backup: push and pull Assets"),
             _text_line(590, "Assets - Liabilities = Equity"),
             _text_line(570, "Overview", 14.0, True),
             _text_line(556, "Backups copy a disk while the guest runs."),
             _text_line(540, "Two kinds of backup: push and pull", 14.0, True),
             _text_line(526, "A push backup writes the copy to a target the user names."),
             _text_line(510, "Assets", 14.0, True),
             _text_line(496, "What is owned counts as an asset."),
             _text_line(480, "Liabilities", 14.0, True),
             _text_line(466, "What is owed counts as a liability."),
             _text_line(450, "Equity", 14.0, True),
             _text_line(436, "What is left counts as equity.")]
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "backup.pdf")
    assert "Overview Two kinds" not in document.text
    assert "Assets - Liabilities = Equity" in block_texts(document, "paragraph")
    assert block_texts(document, "heading")[:2] == ["Overview", "Two kinds of backup: push and pull"]


def test_a_chapter_number_set_in_words_over_its_title_numbers_the_title() -> None:
    """Sphinx's LaTeX prints "Chapter One" over a chapter's title, and "Chapter", repeated on every chapter's
    first page, goes with the running lines: "ONE" was left as a section of its own, offered as a topic,
    and the chapter had no number to match the HTML edition's "1. About this manual"."""
    prose = _prose_lines()
    lines = [_text_line(624, "TWENTY-ONE", 14.0, True), _text_line(590, "ABOUT THIS MANUAL", 14.0, True),
             _text_line(570, "This manual says what a package must do."), _text_line(550, "SEVEN", 14.0, True),
             _text_line(530, "The number seven is prime and odd.")]
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "manual.pdf")
    assert "TWENTY-ONE" not in document.text
    assert [(b.numbering, document.text[b.start:b.end]) for b in document.blocks if b.kind == "heading"] == [
        ("21", "ABOUT THIS MANUAL"), ("", "SEVEN")]
    assert pdf_reader.number_in_words("Fourteen") == 14 and pdf_reader.number_in_words("ninety nine") == 99
    assert pdf_reader.number_in_words("One day") is None


def test_headings_come_from_the_outline_with_its_levels() -> None:
    found = headings(sample(DEBIAN))
    assert found[:4] == [
        ("Chapter 1 GNU/Linux tutorials", 1, "1"),
        ("1.1 Console basics", 2, "1.1"),
        ("1.1.1 The shell prompt", 3, "1.1.1"),
        ("1.1.2 The shell prompt under GUI", 3, "1.1.2"),
    ]
    assert ("1.6.2 Regular expressions", 3, "1.6.2") in found
    assert ("1.6.4 Global substitution with regular expressions", 3, "1.6.4") in found
    assert len(found) == 12  # every outline entry on these pages, and nothing else


def test_outline_titles_match_headings_numbered_only_in_the_text() -> None:
    found = headings(sample(STANDARDS))
    assert ("1 About the GNU Coding Standards", 1, "1") in found
    assert ("2.1 Referring to Proprietary Programs", 2, "2.1") in found  # the bookmark says no "2.1"
    assert ("3.4 Standard C and Pre-Standard C", 2, "3.4") in found
    assert all(level in (1, 2) for _, level, _ in found)


def test_without_an_outline_headings_come_from_numbers_and_fonts() -> None:
    assert headings(sample(CHROMIUM)) == [
        ("1 Brewing basics", 1, "1"),
        ("1.1 Steeping time", 2, "1.1"),
        ("1.2 Water temperature", 2, "1.2"),
        ("1.3 Storing leaves", 2, "1.3"),
    ]


def test_a_title_pages_author_and_date_are_not_sections() -> None:
    """DocBook and texinfo title pages print the author and a date in large type under the title: a reply
    citing the abstract must not say it comes from a section called "Osamu Aoki"."""
    def line(y: float, text: str, size: float, bold: bool = False) -> pdf_reader._Line:
        return pdf_reader._make_line([pdf_reader._Run(text, 90, 90 + 0.5 * size * len(text), y, size, bold, False,
                                                      True)], 0)

    body = [line(560 - 14 * i, f"Body sentence number {i} of the abstract, in the ordinary text size.", 10)
            for i in range(8)]
    title, author, date = line(760, "Pocket Reference", 20, True), line(720, "Ann Author", 14, True), \
        line(700, "last updated May 2, 2024", 14, True)
    section = line(440, "Introduction", 14, True)
    page = [title, author, date, *body[:4], section, *body[4:]]
    pdf_reader._mark_font_headings([page], pdf_reader._measure_layout([page]), outline_used=False)
    assert [ln.text for ln in page if ln.heading] == ["Pocket Reference", "Introduction"]


def test_title_is_the_metadata_title_else_the_first_heading() -> None:
    assert sample(DEBIAN).title == "Debian Reference"
    assert sample(CHROMIUM).title == "Tea Brewing Handbook"
    assert sample(STANDARDS).title == "1 About the GNU Coding Standards"  # its metadata title is empty


# ----------------------------------------------------------------------------------- other blocks


def test_paragraphs_are_reflowed_and_hyphenated_words_joined() -> None:
    debian = sample(DEBIAN).text
    assert "perform the following system administration tasks." in debian
    assert "start the command shell directly on the Linux host." in debian
    assert "and Python regular expressions offered by the re module" in debian
    standards = sample(STANDARDS).text
    assert "this does not absolutely mean you can’t write an imitation of it" in standards
    assert "serves as an example of how to follow the GNU coding standards for a trivial program." in standards
    for text in block_texts(sample(DEBIAN), "paragraph") + block_texts(sample(STANDARDS), "paragraph"):
        assert "\n" not in text


def test_real_hyphens_at_a_line_end_are_kept() -> None:
    text = sample(CHROMIUM).text
    assert ("Estate logs: the tea management team keeps a daily run-time record on an x86-64 server with a "
            "Debian-based system, and a paper log as a back-up.") in text


def test_a_compound_broken_at_its_own_hyphen_keeps_it_and_a_split_word_is_joined() -> None:
    lines = ["Yanking means to copy the most-", "recently-killed text back. Its manage-", "ment is simple."]
    assert "".join(sep + text for sep, text in pdf_reader._reflow(lines, Counter())) == (
        "Yanking means to copy the most-recently-killed text back. Its management is simple.")


def test_words_pdfium_puts_astray_in_a_groff_pdf_read_as_printed() -> None:
    """gropdf writes a justified line's word space as the last kerning of a TJ array before an empty string;
    PDFium drops it, so the words up to the next Td stand a space to the left: "If" ran into "use", and
    "chroot" was split where the Td put the rest back. Every word read is one pdftotext reads."""
    doc = read_pdf(DATA / "groff-justified.pdf", "groff-justified.pdf")
    assert "If use chroot is set" in doc.text and "when proxy protocol is turned on" in doc.text
    reference = set(" ".join(reference_pages("groff-justified")).split())
    assert [w for w in doc.text.split() if w not in reference] == []


def test_words_placed_apart_in_one_text_object_are_spaced() -> None:
    """Ghostscript's PDF of groff's PostScript sets a justified line as one text object with no space character
    between some of its words, which PDFium does not make up: "givenbefore", "anyrequest". The glyphs stand a
    word space apart, and that gap is read as a space: every word read is one pdftotext reads. So too for an
    example's "$" a cell before its command ("$kettlectl"); and the space PDFium makes up between the kerned
    "AV" of a heading ("AV AILABILITY") is none."""
    doc = read_pdf(DATA / "groff-ghostscript.pdf", "groff-ghostscript.pdf")
    assert "the path given before it reads any request" in doc.text
    # a prompt a cell before its command, in Courier; no space made up between a heading's kerned capitals
    assert "$ kettlectl status" in block_texts(doc, "code")[0].splitlines()
    # PDFium reads the embedded Times-Roman's weight as 695: roman by its name, its lines (the page's header and
    # footer, an option's description) are no bold headings; AppArmor's options had each headed its description
    assert block_texts(doc, "heading") == ["NAME", "DESCRIPTION", "OPTIONS", "EXAMPLES", "AVAILABILITY"]
    reference = set(" ".join(reference_pages("groff-ghostscript")).split())
    assert [w for w in doc.text.split() if w not in reference] == []


def test_code_in_a_courier_not_marked_fixed_pitch_is_code_with_its_indent() -> None:
    """NUT's FAQ (dblatex, pdfTeX) sets its configuration examples in URW's NimbusMonL, which pdfTeX does not
    mark fixed-pitch, and shows each line in pieces ("load" "." "on"): read as text, they became paragraphs with
    spaces inside names ("load. on = outlet .1. load. on", "[myups ]"). The font's name says it is monospaced."""
    doc = read_pdf(DATA / "nut-faq-p17.pdf", "nut-faq-p17.pdf")
    code = next(t for t in block_texts(doc, "code") if "load.on" in t)
    assert "        load.on = outlet.1.load.on" in code.splitlines() and "[clone-outlet-1]" in code
    reference = set(" ".join(reference_pages("nut-faq-p17")).split())
    assert [w for w in doc.text.split() if w not in reference] == []


def test_a_line_of_words_set_far_apart_that_opens_with_next_keeps_it(tmp_path: Path) -> None:
    """A printed page's navigation bar ("Prev | Securing Debian Manual | Next") loses its link words, but a line
    of text justified with wide gaps at a page's top ("Next configuration will install fat 5 architectures …",
    CMake's printed manual) is no bar: its "Next" had been dropped from the sentence."""
    line, x = [], 60.0
    for word in "Next configuration will install fat five architectures".split():
        line.append(("roman", 11, x, 560, word))
        x += 6 * len(word) + 16  # a word space stretched to about 1.5 em
    body = [("roman", 11, 60, 540 - 14 * k, "The rest of the paragraph explains how the library is built.")
            for k in range(3)]
    doc = read_pdf(write_pdf(tmp_path / "page.pdf", [line + body]), "page.pdf")
    assert "Next configuration will install" in " ".join(doc.text.split())


def test_a_comment_over_a_setting_named_in_snake_case_is_code(tmp_path: Path) -> None:
    """keepalived.conf(5), printed by groff, sets its sample configuration in the text's roman: a comment over a
    setting ("# VRRP Advert interval in seconds (use default)" / "advert_int 1") had been one paragraph, the
    setting run into the comment's sentence."""
    prose = "Each instance sets its own interval and priority, as in the sample configuration below."
    lines = [("roman", 10, 60, 560, prose), ("roman", 10, 60, 546, "It is read when the daemon starts again."),
             ("roman", 10, 80, 520, "# VRRP Advert interval in seconds (use default)"),
             ("roman", 10, 80, 508, "advert_int 1"),
             ("roman", 10, 60, 482, "The backup takes over when three adverts in a row are missed by it.")]
    doc = read_pdf(write_pdf(tmp_path / "keepalived.pdf", [lines]), "keepalived.pdf")
    assert "# VRRP Advert interval in seconds (use default)\nadvert_int 1" in block_texts(doc, "code")


def test_a_figures_label_that_starts_with_a_number_is_no_heading(tmp_path: Path) -> None:
    """The dot guide numbers its headings in bold; a drawing's labels, set larger than the text but plain,
    put "100 times" beside the node "init" on one line: that had read as a heading numbered 100, over every
    section to the chapter's end ("100 times init › 2.2 Labels")."""
    text = "The node shapes and labels of a graph are set by its attributes, as this part shows in turn."
    def paragraph(y: float) -> list:
        return [("roman", 11, 60, y - 13 * k, text) for k in range(3)]
    first = ([("bold", 15, 60, 560, "1 Basic Graph Drawing")] + paragraph(535)
             + [("bold", 15, 60, 480, "2 Drawing Attributes")] + paragraph(455)
             + [("bold", 12, 60, 400, "2.1 Node Shapes")] + paragraph(380)
             + [("roman", 13, 150, 300, "100 times"), ("roman", 13, 230, 300, "init"),
                ("roman", 13, 180, 260, "main"), ("roman", 13, 120, 230, "parse")] + paragraph(200))
    second = ([("bold", 12, 60, 560, "2.2 Labels")] + paragraph(540)
              + [("bold", 12, 60, 480, "2.3 Styles")] + paragraph(460))
    doc = read_pdf(write_pdf(tmp_path / "guide.pdf", [first, second]), "guide.pdf")
    assert [s.path for s in find_sections(doc)][-2:] == [("2 Drawing Attributes", "2.2 Labels"),
                                                         ("2 Drawing Attributes", "2.3 Styles")]


def test_a_word_split_after_an_options_dashes_or_inside_a_compound_is_joined() -> None:
    """groff breaks "--hu-" / "man-readable" and "name-transla-" / "tion" at line ends: the option and the
    compound read whole; LaTeX's "-NoValue-" before "markers" keeps its hyphen."""
    lines = ["The levels are those of the --hu-", "man-readable option, and of name-transla-", "tion. A -NoValue-",
             "markers argument is absent."]
    vocabulary = Counter({"human-readable": 2, "translation": 1})
    assert "".join(sep + text for sep, text in pdf_reader._reflow(lines, vocabulary)) == (
        "The levels are those of the --human-readable option, and of name-translation. A -NoValue-markers "
        "argument is absent.")


def test_entries_wrapped_at_the_top_and_foot_of_a_contents_page_are_dropped_with_it() -> None:
    """The NUT FAQ's contents wraps two long entries, the first at a page's top and the last at its foot, with
    titles the text wraps otherwise ("46 I replaced … How do you fix" / "this? 14"): they had stayed as text,
    and one answered a question about battery warnings."""
    def line(text: str, y: float) -> pdf_reader._Line:
        return pdf_reader._make_line([pdf_reader._Run(text, 60, 60 + 5 * len(text), y, 10, False, False, True)], 0)

    titles = [f"{n} Why does question {n} come up?" for n in range(47, 53)]
    texts = (["46 I replaced the battery in my UPS and now it thinks the battery is low all the time. How do you fix",
              "this? | 14"] + [f"{title} | {15 + k}" for k, title in enumerate(titles)]
             + ["53 The power came back during the shutdown, before the UPS powered off. Now my",
                "computer stays off. How can I fix that? | 16"])
    page = [line(text, 700 - 20 * k) for k, text in enumerate(texts)]
    outline = [(title, 1, 2, None) for title in titles]
    pdf_reader._drop_contents([page], outline)
    assert [ln.text for ln in page if not ln.dropped] == []


def test_a_line_mostly_of_smaller_code_goes_on_with_its_paragraph() -> None:
    """Browsers set inline code smaller than the prose: a line that is mostly code ("install foo/bullseye-
    backports or add …") has the prose's size, so its paragraph does not end before it."""
    def run(text: str, x: float, y: float, mono: bool) -> pdf_reader._Run:
        size = 13.0 if mono else 16.0
        return pdf_reader._Run(text, x, x + 0.5 * size * len(text), y, size, False, mono, True)

    prose = [pdf_reader._make_line([run("Ordinary running text fills the whole measure of the page from one "
                                        "margin to the margin", 10, 700 - 19 * i, False)], 0) for i in range(5)]
    lines = [pdf_reader._make_line([run("Although a newer version exists, APT will not install it. One would "
                                        "have to use", 10, 600, False)], 0),
             pdf_reader._make_line([run("install foo/bullseye-backports", 10, 581, True),
                                    run("or add a pin to", 210, 581, False),
                                    run("/etc/apt/preferences.d/foo.pref", 330, 581, True),
                                    run(":", 530, 581, False)], 0)]
    assert lines[1].size == 16.0
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "pins.pdf")
    assert any(text.startswith("Although") and "use install foo/bullseye-backports or add" in text
               for text in block_texts(document)), block_texts(document)


def test_a_line_all_of_smaller_code_that_ends_the_sentence_goes_on_with_its_paragraph() -> None:
    """Inline code wrapped onto a line of its own ("… with CREATE ROLE name CONNECTION" / "LIMIT 'integer'.")
    is set at the code's smaller size: its sentence still ends on it, so the paragraph does not end before it."""
    def run(text: str, x: float, y: float, mono: bool, spaced: bool = True) -> pdf_reader._Run:
        size = 13.0 if mono else 16.0
        return pdf_reader._Run(text, x, x + 0.5 * size * len(text), y, size, False, mono, spaced)

    prose = [pdf_reader._make_line([run("Ordinary running text fills the whole measure of the page from one "
                                        "margin to the margin", 10, 700 - 19 * i, False)], 0) for i in range(5)]
    lines = [pdf_reader._make_line([run("Set the number of sessions a login may hold when it is made with", 10, 590,
                                        False), run("MAKE LOGIN name SESSION", 540, 590, True)], 0),
             pdf_reader._make_line([run("LIMIT 'count'", 10, 571, True), run(".", 94.5, 571, False, False)], 0),
             pdf_reader._make_line([run("A second paragraph starts after a blank line and says something else.",
                                        10, 530, False)], 0)]
    assert lines[1].size == 13.0 and lines[1].mono
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "logins.pdf")
    texts = block_texts(document)
    assert any(text.startswith("Set the number") and text.endswith("SESSION LIMIT 'count'.") for text in texts), texts
    assert not any(text.startswith("LIMIT") for text in texts), texts


def test_a_banner_a_browser_prints_at_one_spot_of_every_page_is_left_out_of_the_lines_it_lands_on() -> None:
    """A site's pinned "Download the ebook" link is printed at the same spot of every page, on whatever line
    of the page's own text is there: it is no part of those sentences."""
    def run(text: str, x: float, y: float) -> pdf_reader._Run:
        return pdf_reader._Run(text, x, x + 8.0 * len(text), y, 16.0, False, False, True)

    pages = []
    for page in range(3):
        body = [run(f"Page {page} opens with a sentence of its own that runs across the whole", 10, 700),
                run("line and ends on this one.", 10, 681)]
        if page == 1:  # here a line runs right under the banner's spot
            body += [run("Every computer keeps time in a clock", 10, 600), run("that counts on its own.", 330, 600)]
        body += [run("The page ends at its foot.", 10, 100)]
        pages.append([*body, run("Fetch the book", 250, 600)])  # drawn last, back up the page
    kept = pdf_reader._without_overlays(pages)
    assert not any(r.text == "Fetch the book" for page in kept for r in page)
    document = pdf_reader._build_document([pdf_reader._lines(pdf_reader._late_runs_in_place(page), i)
                                           for i, page in enumerate(kept)], [], "", "b.pdf")
    assert "Every computer keeps time in a clock that counts on its own." in document.text, document.text
    # the same words drawn late on one page only, or where the text flows on every page, stay
    assert pdf_reader._without_overlays([pages[0], pages[1][:-1], pages[2]]) == [pages[0], pages[1][:-1], pages[2]]
    in_flow = [[run("Fetch the book", 250, 720), *page[:-1]] for page in pages]
    assert pdf_reader._without_overlays(in_flow) == in_flow


def test_a_path_broken_at_its_own_hyphen_keeps_it() -> None:
    lines = ["(see /usr/share/doc/radvd/examples/simple-", "radvd.conf as a starting point)"]
    assert "".join(sep + text for sep, text in pdf_reader._reflow(lines, Counter())) == (
        "(see /usr/share/doc/radvd/examples/simple-radvd.conf as a starting point)")


def test_a_compound_of_two_words_keeps_its_hyphen_and_a_word_in_capitals_is_joined() -> None:
    """At a line end "less-" + "frequently" makes no word, though each part is one: a compound, so its hyphen
    stays ("lessfrequently" was quoted); "under-" + "stands" makes one, and a heading set in capitals is split
    like any word ("CUR-" + "RENCY" read "CUR-RENCY")."""
    lines = ["back up the books less-", "frequently than you write", "them, as the clerk under-", "stands, and the",
             "CUR-", "RENCY list"]
    assert "".join(sep + text for sep, text in pdf_reader._reflow(lines, Counter())) == (
        "back up the books less-frequently than you write them, as the clerk understands, and the CURRENCY list")


def test_a_code_name_broken_after_an_underscore_is_one_word_again() -> None:
    # TeX breaks names in @code after "_" (GNU manuals printed by texinfo): "$(exec_" / "prefix)/lib"
    lines = ["value of libdir should normally be /usr/local/lib, but write it as $(exec_", "prefix)/lib.",
             "An underscore alone _", "stays apart."]
    assert "".join(sep + text for sep, text in pdf_reader._reflow(lines, Counter())) == (
        "value of libdir should normally be /usr/local/lib, but write it as $(exec_prefix)/lib. "
        "An underscore alone _ stays apart.")


def test_an_address_broken_over_lines_is_one_word_unless_its_sentence_ended() -> None:
    lines = ["Mail it to https://www.gnu.", "org/help. See http://www.gnu.org/copyleft/.", "Each version differs."]
    assert "".join(sep + text for sep, text in pdf_reader._reflow(lines, Counter())) == (
        "Mail it to https://www.gnu.org/help. See http://www.gnu.org/copyleft/. Each version differs.")


def test_two_columns_read_column_by_column_with_paragraphs_whole() -> None:
    """A newsletter set in two columns with no title page: the first section's heading under the title is a
    heading; a paragraph that runs from the foot of the first column to the top of the second is one block;
    in the second column a sentence ending at a line's end does not end its paragraph."""
    doc = sample(COLUMNS)
    assert [(text, level) for text, level, _ in headings(doc)] == [
        ("Village Newsletter", 1), ("The river path", 2), ("The market", 2), ("The school fete", 2)]
    paragraphs = block_texts(doc, "paragraph")
    assert len(paragraphs) == 8
    assert all(p[0].isupper() and p.endswith(".") for p in paragraphs)
    assert any(p.startswith("The Saturday market") and "twelve pounds a season" in p for p in paragraphs)


def test_list_items_one_block_each_with_nesting() -> None:
    items = [(sample(DEBIAN).text[b.start:b.end], b.level) for b in sample(DEBIAN).blocks if b.kind == "list_item"]
    assert ("Type ”su -l” from any user shell prompt.", 1) in items
    assert ("This does not preserve the environment of the current user.", 2) in items
    assert ("Set the password of any non-privileged users on the system", 1) in items
    numbered = block_texts(sample(CHROMIUM), "list_item")
    assert numbered == ["1. Warm the pot with a little hot water and pour it away.",
                        "2. Put in four spoons of leaves, one for each cup.",
                        "3. Pour the water over the leaves and put the lid on."]


def test_code_keeps_its_lines() -> None:
    code = block_texts(sample(CHROMIUM), "code")
    assert code == ['$ sleep 240 && notify-send "Tea is ready"\n$ echo "enjoy"']
    standards = block_texts(sample(STANDARDS), "code")
    assert "int\nfoo (int x, int y)\n..." in standards
    debian = block_texts(sample(DEBIAN), "code")
    assert "$ ed file <<EOF\n,s/FROM_REGEX/TO_TEXT/g\nw\nq\nEOF" in debian
    assert "# chvt 3" in debian


def test_table_rows_have_their_cells() -> None:
    rows = block_texts(sample(CHROMIUM), "table_row")
    assert rows == ["Tea | Grams per cup | Steeping time", "Sencha | 2.5 | 1 minute", "Assam | 3 | 4 minutes",
                    "Tieguanyin | 5 | 45 seconds"]
    debian = block_texts(sample(DEBIAN), "table_row")
    assert "BRE | ERE | description of the regular expression" in debian
    assert "& | what the regular expression matched (use \\& in emacs)" in debian
    assert len(debian) >= 10


# --------------------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(("name", "reason"), [
    ("encrypted.pdf", "it is encrypted (password protected)"),
    ("truncated.pdf", "it is damaged or not a PDF"),
    ("not-a-pdf.pdf", "it is damaged or not a PDF"),
    ("scanned.pdf", "it has no text layer (a scanned image?); OCR is not supported"),
    ("missing.pdf", "No such file"),
])
def test_unreadable_files_say_why(name: str, reason: str) -> None:
    with pytest.raises(Unreadable) as caught:
        read_pdf(DATA / name, name)
    assert type(caught.value) is Unreadable
    assert reason in str(caught.value)


def test_an_empty_file_is_unreadable(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(Unreadable, match="not a PDF"):
        read_pdf(empty, "empty.pdf")


def test_a_scanned_page_among_text_pages_is_skipped() -> None:
    doc = read_pdf(DATA / "partly-scanned.pdf", "partly-scanned.pdf")
    assert block_texts(doc) == ["Sencha keeps its colour when the water is not too hot."]
    assert len(doc.pages) == 2 and doc.pages[1] == len(doc.text)


def test_read_document_reads_pdf_files() -> None:
    doc = read_document(DATA / f"{CHROMIUM}.pdf", "guides/tea.pdf")
    assert doc.format == "pdf" and doc.id == "guides/tea.pdf"
    assert doc.blocks == sample(CHROMIUM).blocks


@pytest.mark.parametrize("line, is_entry", [
    ("the mirrors (alpha, beta, . . . ) may lag a day behind", False),  # TeX's ellipsis in a sentence
    ("and so on . . . until the end", False),
    ("1.2 Getting started . . . . . . . 12", True),
    ("Introduction . . . 5", True),
    ("Preface . . iv", True),
    ("Overview.......3", True),
])
def test_an_ellipsis_inside_a_sentence_is_not_a_contents_entry(line: str, is_entry: bool) -> None:
    assert pdf_reader._is_contents_entry(line, set()) is is_entry


@pytest.mark.parametrize("raw, read", [
    ("caf´e", "café"), ("na¨ive", "naïve"), ("Dvoˇr´ak", "Dvořák"), ("ˆetre", "être"),
    ("x´ 2´", "x´ 2´"),  # no letter after it: left as found
    ("`ls` and a^b and ~/bin", "`ls` and a^b and ~/bin"),  # ASCII marks are code, never accents
    # groff prints a manual page's \'request\' with acute accents for quotes: no accent on the r
    ("if you enter a ´request´ statement", "if you enter a ´request´ statement"),
    ("to ´also request´ the (example: ´ethernet´), ´Ecole", "to ´also request´ the (example: ´ethernet´), École"),
])
def test_accents_set_as_glyphs_of_their_own_are_put_back_on_their_letters(raw: str, read: str) -> None:
    """TeX's fonts draw some accents as a glyph before the letter; pdfium then reads "caf´e", pdftotext
    "café". A question with "café" must find it."""
    assert pdf_reader._clean(raw) == read


def test_a_printed_web_pages_navigation_bar_drawn_last_is_read_where_it_stands() -> None:
    """Chromium printed a page of the Securing Debian Manual (Publican HTML) with the page's "Prev | Securing
    Debian Manual | Next" bar drawn after the body, and the raised note marks after their lines: read in
    drawing order, the bar became a heading in the middle of 4.17.1 (its sections were then cited under it)
    and cut "… can be done by" from its command. Read where they stand, the bar's title heads the page, its
    link words are gone, and each mark sits in its sentence."""
    doc = sample("securing-debian-ch04s17")
    assert doc.text.startswith("Securing Debian Manual\n")
    found = headings(doc)
    assert found[0][0] == "Securing Debian Manual" and [h[0][:6] for h in found[1:]] == [
        "4.17. ", "4.17.1", "4.17.2", "4.17.3", "4.17.4"]
    assert re.search(r"can be done by\s+edquota -u <user>", doc.text)
    pages = " ".join(squash(page) for page in reference_pages("securing-debian-ch04s17"))
    for block in doc.blocks:  # no text from elsewhere on the page lands inside a paragraph
        text = squash(doc.text[block.start:block.end])
        if block.kind == "paragraph" and len(text) > 80:
            assert text[:60] in pages, text[:60]


def test_a_path_or_name_broken_at_a_line_end_is_joined_whole() -> None:
    """dblatex breaks "debian/patches/" after the slash and marks the break with a hyphen; a table cell
    wraps "/usr/lib/x86_64-linux-gnu/pkgconfig/" after a real hyphen. Both read as one word again, while a
    cell's words wrapped at a space keep the space."""
    from collections import Counter

    joined = pdf_reader._reflow(["the patches in the debian/-", "patches/ directory are applied"], Counter())
    assert "".join(sep + text for sep, text in joined) == "the patches in the debian/patches/ directory are applied"
    def cell(*lines: str) -> str:
        text = lines[0]
        for line in lines[1:]:
            text = pdf_reader._join_cell(text, line)
        return pdf_reader._cell_words_whole(text, Counter({"sub-shell": 1}))

    assert cell("/usr/lib/x86_64-linux-", "gnu/pkgconfig/") == "/usr/lib/x86_64-linux-gnu/pkgconfig/"
    assert cell("/usr/share/man/", "de_DE.88591") == "/usr/share/man/de_DE.88591"
    assert cell("Unicode", "UTF-8") == "Unicode UTF-8"
    # TeX splits a word in a table's cell as in running text (bash's options table): whole again
    assert cell("applies to each sub-", "shell en-", "vironment separately") == \
        "applies to each sub-shell environment separately"


def test_a_path_broken_after_a_slash_is_one_path_again_unless_a_word_or_another_path_follows() -> None:
    """LaTeX breaks a long path after a slash: "/usr/share/doc/" + "PACKAGE/copyright." and "debian/" + "rules"
    (written whole elsewhere in the document) are one path each, and "https://" + "www.gnu.org/…" one
    address. "the /usr/X11R6/" + "directory" is a path and a word; a listing's "dists/stable/" +
    "dists/stable/main/" are two paths."""
    from collections import Counter

    def reflowed(lines: list[str], vocabulary: Counter) -> str:
        return "".join(sep + text for sep, text in pdf_reader._reflow(lines, vocabulary))

    seen = Counter({"debian/rules": 2})
    assert reflowed(["a copy in the file /usr/share/doc/", "PACKAGE/copyright. Then run debian/",
                     "rules again; see https://", "www.gnu.org/licenses/."], seen) == (
        "a copy in the file /usr/share/doc/PACKAGE/copyright. Then run debian/rules again; see "
        "https://www.gnu.org/licenses/.")
    assert reflowed(["files under the /usr/X11R6/", "directory are moved"], seen) == (
        "files under the /usr/X11R6/ directory are moved")
    assert reflowed(["dists/stable/main/", "dists/stable/main/binary-amd64/"], seen) == (
        "dists/stable/main/ dists/stable/main/binary-amd64/")


def test_a_notes_number_set_against_its_first_word_reads_apart_from_it() -> None:
    """dblatex sets a footnote's number in a run of its own, its first word right against it: the note reads
    "11 The default …", not "11The default …" (quoted so from the New Maintainers' Guide). A number inside a
    line, or before a word in lower case, is left as it is."""
    def run(text: str, x: float, spaced: bool) -> pdf_reader._Run:
        return pdf_reader._Run(text, x, x + 4.0 * len(text), 180.0, 8.0, False, False, spaced)

    note = pdf_reader._make_line([run("11", 67.7, True), run("The default field length is 30.", 74.8, False)], 0)
    assert note.text == "11 The default field length is 30."
    unit = pdf_reader._make_line([run("Set it to 30", 67.7, True), run("Kb", 115.9, False)], 0)
    assert unit.text == "Set it to 30Kb"
    version = pdf_reader._make_line([run("3", 67.7, True), run("rd edition", 71.7, False)], 0)
    assert version.text == "3rd edition"


def test_a_raised_number_after_a_digit_is_a_power_and_a_footnotes_mark_is_not() -> None:
    """Texinfo sets 2^31 as "2" and a raised, smaller "31": read flat it was "231 or more elements", a number
    the manual never states. A raised number after a word is a footnote's mark, not a power."""
    def run(text: str, x: float, y: float, size: float) -> pdf_reader._Run:
        return pdf_reader._Run(text, x, x + 0.5 * size * len(text), y, size, False, False, False)

    power = pdf_reader._make_line([run("those with 2", 90, 700, 10.9), run("31", 152.5, 704, 7.6),
                                   run(" or more elements", 160.1, 700, 10.9)], 0)
    assert power.text == "those with 2^31 or more elements"
    split = pdf_reader._make_line([run("that 2", 90, 700, 10.9), run("6", 122.7, 704, 7.6), run("4", 126.5, 704, 7.6),
                                   run(" addresses exist", 130.3, 700, 10.9)], 0)
    assert split.text == "that 2^64 addresses exist"
    mark = pdf_reader._make_line([run("are limited", 90, 700, 10.9), run("4", 149.9, 704, 7.6),
                                  run(" to about 4095 bytes", 153.7, 700, 10.9)], 0)
    assert "^" not in mark.text


def test_dots_inside_a_sentence_keep_its_line_and_a_contents_line_still_goes() -> None:
    """A line of a contents has dots up to its page number; a sentence may hold dots too ("… labels,
    formats, units, . . . . HDF5 also allows …", texinfo's ellipsis and full stop). That line had been
    dropped as a contents entry, leaving "including de-" to run into the line after the next."""
    prose = _prose_lines()
    lines = [_text_line(610, "Both are systems to store data in array-oriented ways, including de-"),
             _text_line(598, "scriptions, labels, formats, units, . . . . HDF5 also allows groups of arrays, and"),
             _text_line(586, "the interface maps lists to groups."),
             _text_line(560, "See also Installing packages . . . . . . . . . . . . . . . . . 12")]
    document = pdf_reader._build_document([[*prose, *lines]], [], "", "data.pdf")
    assert "including descriptions, labels, formats, units" in document.text
    assert "HDF5 also allows groups of arrays, and the interface maps lists to groups." in document.text
    assert "Installing packages" not in document.text


def test_an_address_wrapped_in_a_list_item_stays_in_the_item() -> None:
    """An address broken after "https://en." in a list item went on in a monospaced line, which was taken
    for a line of code: the item ended mid-address and "wikipedia.org/wiki/ISO_3166)." stood apart."""
    prose = _prose_lines()
    item = _text_line(610, "• A territory, given by a two-letter code following ISO 3166 (see e.g. https://en.")
    rest = pdf_reader._Run("wikipedia.org/wiki/ISO_3166).", 102, 102 + 6.0 * 29, 598, 10.0, False, True, True)
    after = _text_line(574, "• A charset encoding, which determines how bytes are read.")
    document = pdf_reader._build_document([[*prose, item, pdf_reader._make_line([rest], 0), after]], [], "", "l.pdf")
    items = block_texts(document, "list_item")
    assert any(text.endswith("(see e.g. https://en.wikipedia.org/wiki/ISO_3166).") for text in items), items
    assert not block_texts(document, "code")


def test_a_definitions_text_hanging_under_its_term_goes_on_over_a_page_break() -> None:
    """A definition's lines hang under its text, off the margin ("quit  exit interactive mode … in the
    user's" / next page: "home directory (unless …"). Over the page break its next line starts where its last
    one did, not at the margin, and had begun a paragraph of its own, mid-sentence."""
    def hanging(y: float, text: str, page: int) -> pdf_reader._Line:
        run = pdf_reader._Run(text, 148, 148 + 0.45 * 10.0 * len(text), y, 10.0, False, False, True)
        return pdf_reader._make_line([run], page)

    first = [*_prose_lines(),
             hanging(100, "exit interactive mode. A history of the most recent commands is kept in", 0),
             hanging(88, "the file .asy/history in the user's home directory, under a name you can change in", 0)]
    second = [hanging(700, "the configuration file, unless another file was named on the command line at start.", 1),
              hanging(688, "Typing ctrl-C interrupts the code and returns to the prompt. It ends the paragraph.", 1)]
    document = pdf_reader._build_document([first, second], [], "", "asy.pdf")
    assert ("the user's home directory, under a name you can change in the configuration file, unless another"
            in document.text)


def test_music_set_in_a_notation_font_is_not_text() -> None:
    """LilyPond's manual draws its examples with a music font whose glyphs map to letters (a note head is
    "h", a rest "P"): read as text, each staff had become a heading ("3 hh h Ph ª h h h h") and a section."""
    doc = read_pdf(DATA / "lilypond-learning-p19.pdf", "lilypond-learning-p19.pdf")
    titles = [title for title, _, _ in headings(doc)]
    assert {"Tempo marks", "Clef", "All together"} <= set(titles)
    for text in block_texts(doc, "heading") + block_texts(doc, "paragraph"):
        words = text.split()
        assert sum(len(word) == 1 for word in words) < len(words) / 2, text


def test_a_table_rows_description_running_over_a_page_break_stays_in_the_row() -> None:
    """Bash's manual sets its options as a two-column table; "-e | Exit immediately … while executing" ran on
    at the top of the next page ("in a context where -e is ignored, …"), which had become a paragraph of its
    own and was quoted from mid-sentence. A row whose last line closed a sentence ends at the break."""
    def line(page: int, cells: list[tuple[float, str]], y: float) -> pdf_reader._Line:
        text = " ".join(t for _, t in cells)
        return pdf_reader._Line(page, [], text, cells, cells[0][0], 500.0, y, 10.0, False, False, 5.0)

    row = pdf_reader._Draft("table_row", cells={0: "-e", 1: "Exit immediately if a command fails."},
                            columns=[72.0, 150.0])
    layout = pdf_reader._Layout.__new__(pdf_reader._Layout)
    layout.pitch = 12.0
    mid_sentence = line(3, [(150.0, "If a function sets -e while executing")], 700.0)
    next_page = line(4, [(150.0, "in a context where -e is ignored, it has no effect.")], 72.0)
    assert pdf_reader._continues_table(row, next_page, mid_sentence, -628.0, layout)
    finished = line(3, [(150.0, "This option is off by default.")], 700.0)
    assert not pdf_reader._continues_table(row, next_page, finished, -628.0, layout)
    at_the_margin = line(4, [(72.0, "Chapter text at the margin, in a context of its own.")], 72.0)
    assert not pdf_reader._continues_table(row, at_the_margin, mid_sentence, -628.0, layout)


def test_a_manual_page_printed_by_groff_has_its_sections_and_is_titled_by_its_name_line() -> None:
    """groff sets a section's title ("DESCRIPTION") and a subsection's in bold at the body's size, left of the
    text's margin: they head sections, and the NAME line, not "NAME", titles the page."""
    doc = sample(GROFF)
    found = [text for text, _, _ in headings(doc)]
    assert found[:3] == ["NAME", "SYNOPSIS", "DESCRIPTION"]
    assert {"OPTIONS", "Boiling", "CONFIGURATION", "Descaling reminders", "SEE ALSO"} <= set(found)
    assert doc.title == "kettlectl — control an electric kettle from the shell"
    sections = find_sections(doc)
    assert any(s.title == "Boiling" and "default timeout is 12 minutes" in " ".join(doc.text[s.start:s.end].split())
               for s in sections)
    assert "Kettle Works" not in doc.text and "BSD System Manager" not in doc.text


# ------------------------------------------------------------------------------ LaTeX's page furniture

_FULL = "Ordinary running text fills the whole measure of the page from margin to the margin."  # ends at 477


def _runs_line(y: float, *parts: tuple[float, str, float]) -> pdf_reader._Line:
    """A line of several runs: (left edge, text, font size)."""
    return pdf_reader._make_line([pdf_reader._Run(text, x, x + 0.45 * size * len(text), y, size, False, False, True)
                                  for x, text, size in parts], 0)


def test_notes_in_the_margin_of_a_justified_page_are_left_out_of_the_sentence_beside_them() -> None:
    """LaTeX's guides set "New feature" and a date in the right margin beside the line they mark: read into
    the line, the note split "type-" from "setting" and was quoted as an answer ("… using the com- New").
    Past a justified column's edge, a narrow run of text is a note, not a word of the sentence."""
    lines = [*_prose_lines(),
             _runs_line(610, (90, "The hook at the start of the document runs code that must not do any type-", 10.0),
                        (490, "New feature", 8.0)),
             _runs_line(601, (490, "2024/03/01", 8.0)),
             _runs_line(598, (90, "setting, since the result of that would be unpredictable.", 10.0))]
    document = pdf_reader._build_document([lines], [], "", "guide.pdf")
    assert "New feature" not in document.text and "2024/03/01" not in document.text
    paragraph = next(t for t in block_texts(document) if t.startswith("The hook"))
    assert paragraph.endswith("since the result of that would be unpredictable."), paragraph


def test_contents_entries_whose_page_numbers_stand_apart_are_left_out() -> None:
    """A contents page that runs over onto the first page of text, its page numbers set apart at the right
    ("4.7 Option processing . . . . | 20"): those entries are contents, the text under them stays."""
    entries = [_runs_line(700 - 12 * i, (90, f"4.{i + 7} {title} " + ". " * 20, 10.0), (470, str(20 + i), 10.0))
               for i, title in enumerate(("Option processing", "Safe file commands", "Reporting errors"))]
    body = [_text_line(640 - 12 * i, _FULL) for i in range(8)]
    document = pdf_reader._build_document([[*entries, *body]], [], "", "guide.pdf")
    assert "Option processing" not in document.text and "Safe file commands" not in document.text
    assert _FULL in document.text


def test_a_numbered_bold_title_under_the_outlines_last_level_is_a_heading() -> None:
    """The bookmarks of a LaTeX guide stop at "2.7 General style"; "2.7.1 Loading other files", set in bold
    at the body's size, was read as text and its section cited as 2.7. It is a heading one level under."""
    lines = [_text_line(760, "2 Writing packages", 14.0, True), *_prose_lines(),
             _text_line(610, "2.7 General style", 12.0, True),
             _text_line(590, "Some advice on style follows in the next parts of this section of the guide."),
             _text_line(570, "2.7.1 Loading other files", 10.0, True),
             _text_line(550, "Use the commands of this part to load other packages and files."),
             _text_line(530, "2.7.2. Not a title: a number in bold that closes a sentence.", 10.0, True)]
    outline = [("2 Writing packages", 1, 0, None), ("2.7 General style", 2, 0, None)]
    document = pdf_reader._build_document([lines], outline, "", "guide.pdf")
    headings = [(b.level, document.text[b.start:b.end]) for b in document.blocks if b.kind == "heading"]
    assert (3, "2.7.1 Loading other files") in headings, headings
    assert not any("Not a title" in text for _, text in headings)


def test_a_hanging_indent_goes_on_and_a_centred_line_under_a_full_one_does_not() -> None:
    """A list of terms whose descriptions hang under them ("m A standard mandatory argument, which can …
    alone" / "or multiple tokens …") is one paragraph per term; a short line centred under a full line (a
    title page's "Version 2" under its title) is not the full line's continuation."""
    lines = [*_prose_lines(),
             _line_at(90, 610, "m A standard mandatory argument, which can either be a single token alone, "
                               "or a group of"),
             _line_at(100, 598, "several tokens in braces, passed on without the outer braces."),
             _line_at(90, 580, "Ordinary running text fills the whole measure of the page from margin to the lines"),
             _line_at(240, 568, "Version two")]
    texts = block_texts(pdf_reader._build_document([lines], [], "", "guide.pdf"))
    assert "m A standard mandatory argument, which can either be a single token alone, or a group of several " \
           "tokens in braces, passed on without the outer braces." in texts, texts
    assert "Version two" in texts


def test_a_small_tilde_on_no_letter_reads_as_the_ascii_tilde() -> None:
    """groff's Times has no ASCII tilde and draws "~/.jq" with a spacing tilde: a path no one could paste.
    On a letter, it is TeX's accent ("se˜nor" -> "señor")."""
    assert pdf_reader._clean('["\u02dc/.jq", "$ORIGIN/lib"]') == '["~/.jq", "$ORIGIN/lib"]'
    assert pdf_reader._clean("se\u02dcnor") == "señor"


def test_a_printed_sphinx_pages_permalink_marks_a_heading_and_is_no_word_of_it() -> None:
    """A page printed from Sphinx sets "¶" after every heading: no word of the section a citation names
    ("Queue modes", not "Queue modes ¶"), and the mark of a fourth-level heading printed at the body's size
    in bold ("Shelf-assisted memory queues ¶"), which would otherwise read as a paragraph and leave its text
    cited under the section before it."""
    doc = sample("chromium-permalinks")
    assert [(b.level, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "heading"] == [
        (1, "Understanding kettle queues"), (2, "Queue modes"), (3, "Memory queues"),
        (4, "Shelf-assisted memory queues"), (3, "Shelf queues")]
    assert "¶" not in doc.text


def test_words_after_a_font_change_in_a_groff_pdf_stand_where_they_are_printed() -> None:
    """Where gropdf's dropped kerning comes before a word in another font ("possibly in an" + italic "initrd",
    "Reb" + "uildNN"), no word of the document or the language tells the two sides apart; the PDF's own
    drawing commands say which text PDFium set how far left, and it is put back: every word read is one
    pdftotext reads."""
    doc = read_pdf(DATA / "groff-mdadm-excerpt.pdf", "groff-mdadm-excerpt.pdf")
    assert "possibly in an initrd" in doc.text and "will generate RebuildNN events" in doc.text
    reference = set(" ".join(reference_pages("groff-mdadm-excerpt")).split())
    assert [w for w in doc.text.split() if w not in reference] == []


def test_justified_lines_stretched_at_the_same_place_are_no_table_row() -> None:
    """R's installation manual justifies a paragraph of long package names: two lines, indented apart, each
    with a space stretched wide at about the same place, one with a footnote mark. They had become table rows
    ("… four Apple packages: | for the Intel build,"), the sentence cut in "org.r-project.x86_" / "64.tcltk"."""
    doc = read_pdf(DATA / "r-admin-p2-p27.pdf", "r-admin-p2-p27.pdf")
    assert not block_texts(doc, "table_row")
    paragraph = next(t for t in block_texts(doc, "paragraph") if "Apple packages" in t)
    assert " | " not in paragraph and "x86_64.tcltk.x11" in paragraph and paragraph.rstrip().endswith(".")


def test_lines_of_code_with_comments_set_in_roman_are_code_line_by_line() -> None:
    """The R FAQ sets code in typewriter and its comments in roman after a typewriter "#" (Texinfo's @r{…}):
    those lines are code, each its own line, not a paragraph in which the first comment hides the statements
    after it ("… # creates a row matrix colmatrix <- …")."""
    doc = read_pdf(DATA / "r-faq-p33.pdf", "r-faq-p33.pdf")
    code = next(t for t in block_texts(doc, "code") if "rowmatrix <-" in t)
    lines = code.splitlines()
    assert len(lines) == 3 and all(line.split("#")[0].strip().endswith("FALSE]") for line in lines)
    assert not any("rowmatrix" in t for t in block_texts(doc, "paragraph"))


def test_a_back_of_book_index_page_is_not_text() -> None:
    """A page of index entries ("limescale, 1, 3, 5") whose terms head no section of the outline is the index
    all the same: left out, as a contents page is (gnuplot's index had been read as paragraphs after its last
    chapter), while the chapters before it read whole."""
    doc = read_pdf(DATA / "chromium-index.pdf", "chromium-index.pdf")
    assert "limescale" not in doc.text and "boiling point" not in doc.text
    assert any(t.startswith("The thermostat switches the kettle off") for t in block_texts(doc, "paragraph"))
    assert doc.text.index("Descaling") < doc.text.index("thermostat")


def test_an_underscore_tex_draws_as_a_rule_is_read_as_one() -> None:
    """TeX sets an underscore outside typewriter type as a short rule on the baseline, not a glyph: the R FAQ's
    "x86_64-apple-darwin" read "x86 64-apple-darwin", as pdftotext still reads it; a name the user copies from
    a quote must be whole."""
    doc = read_pdf(DATA / "r-faq-p8.pdf", "r-faq-p8.pdf")
    independent = " ".join((DATA / "r-faq-p8.pdftotext.txt").read_text(encoding="utf-8").split())
    assert "x86 64-apple-darwin" in independent  # the PDF has no underscore character there
    text = " ".join(doc.text.split())
    assert "x86_64-apple-darwin" in text and "x86_64-unknown-freebsd" in text and "x86 64" not in text
    assert text.count("_") == 3


def test_commands_set_in_the_texts_font_are_code_a_line_each() -> None:
    """groff sets lvmthin(7)'s examples in roman, line under line: "lvcreate -n SnapLV --snapshot VG/ThinLV" over
    "lvcreate -n SnapLV --snapshot VG/PrevSnapLV" had been joined into one wrong command. Lines that read as
    commands or settings are code; lines of prose, even naming a path, stay a paragraph."""
    commands = pdf_reader._Draft("paragraph", parts=[(0, "lvcreate -n SnapLV --snapshot VG/ThinLV"),
                                                     (0, "lvcreate -n SnapLV --snapshot VG/PrevSnapLV")])
    prose = pdf_reader._Draft("paragraph", parts=[(0, "The snapshot is created in the same volume group as"),
                                                  (0, "its origin, and /dev/vg/thin shows it once activated.")])
    drafts = pdf_reader._commands_as_code([commands, prose])
    assert [d.kind for d in drafts] == ["code", "paragraph"]


def test_a_printed_pages_bar_of_arrows_to_the_next_and_previous_page_is_not_text() -> None:
    """Exim's pages print "<-previous" and "next->" at the top and the foot of each page: a bar of links, not
    text (it had stood in the middle of a configuration example where one page ended). A sentence that
    speaks of the next page stays."""
    top = pdf_reader._make_line([pdf_reader._Run("<-previous", 72, 110, 800, 10, False, False, True),
                                 pdf_reader._Run("next->", 505, 530, 800, 10, False, False, True)], 0)
    prose = _text_line(780, "Read the previous chapter before the next one.")
    body = [_text_line(760 - 14 * k, f"Line {k} of the chapter's own text, long enough to be prose.") for k in range(6)]
    pages = [[top, prose, *body]]
    pdf_reader._drop_navigation_words(pages)
    assert top.dropped and not prose.dropped


def test_a_manual_pages_short_tags_share_a_paragraph_with_their_text_not_a_table_row() -> None:
    """groff sets a tag short enough to fit left of the text on the text's first line ("−v   Print each step
    …", an exit code "3   The pot was empty …"): it is the option and what it does, one paragraph, as a longer
    tag over its text is; it had been read as a table's row, quoted as "−v | Print each step …"."""
    doc = read_pdf(DATA / "groff-tagged.pdf", "groff-tagged.pdf")
    assert block_texts(doc, "table_row") == []
    paragraphs = block_texts(doc, "paragraph")
    assert "−v Print each step of the brew as it happens, with the temperature of the water at that moment." \
        in paragraphs
    assert "−q Print nothing but errors." in paragraphs and "3 The pot was empty when the brew began." in paragraphs
    assert "−−strength=LEVEL" in paragraphs  # a long tag stands over its text, as before
    sections = {s.title: doc.text[s.start:s.end] for s in find_sections(doc)}
    assert "−q Print nothing but errors." in sections["OPTIONS"] and "0 The tea was brewed." in sections["EXIT STATUS"]


def test_a_code_spans_padding_is_no_space_before_the_punctuation_after_it() -> None:
    """A browser prints `<code>make uninstall</code>.` with the code box's padding before the full stop, and
    PDFium reads a space there ("make uninstall ."; Newsboat's manual had 87, TeX's \\texttt the same): no
    sentence puts a space before its closing punctuation, so none is read. A word after code keeps its space."""
    def line(*parts: tuple[str, float, float, bool]) -> str:
        runs = [pdf_reader._Run(text, x0, x1, 700.0, 10.0, False, mono, True) for text, x0, x1, mono in parts]
        return pdf_reader._make_line(runs, 0).text

    assert line(("To uninstall, run", 72, 150, False), ("make uninstall", 152.8, 230, True), (".", 232.8, 235, False)) \
        == "To uninstall, run make uninstall."
    assert line(("set", 72, 86, False), ("history-limit", 88.5, 150, True), ("to 0", 152.5, 170, False)) \
        == "set history-limit to 0"
    assert line(("options (", 72, 110, False), ("--version", 110, 150, True), (");", 152.3, 158, False)) \
        == "options (--version);"
