"""The HTML reader on real manuals (a Debian Reference chapter split per file, GNU texinfo output) and on
small pages written here for one behaviour each."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts, heading

from chatbot.readers import Unreadable, read_document
from chatbot.readers.html import heading_numbering, read_html
from chatbot.records import Document

DATA = Path(__file__).resolve().parent / "data" / "html"
CH08 = DATA / "ch08.en.html"  # Debian Reference, chapter 8 (DocBook XSL)
APPENDIX = DATA / "apa.en.html"  # Debian Reference, appendix A
STANDARDS = DATA / "standards-cut.html"  # GNU Coding Standards up to 4.8.2, and part of its index (texinfo)


def read(path: Path) -> Document:
    return read_html(path, path.name)


def page(tmp_path: Path, body: str, head: str = "", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return path








def ids_in(path: Path) -> set[str]:
    source = path.read_text(encoding="utf-8")
    return set(re.findall(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", source))


# ---------------------------------------------------------------- real manuals

@pytest.mark.parametrize("path", [CH08, APPENDIX, STANDARDS], ids=lambda p: p.name)
def test_blocks_are_exact_trimmed_spans_whose_anchors_exist_in_the_page(path: Path) -> None:
    doc = read(path)
    assert doc.format == "html" and doc.id == path.name
    assert_well_formed(doc)
    ids = ids_in(path)
    assert all(b.anchor in ids for b in doc.blocks if b.anchor), "an anchor links to nothing in the page"
    assert sum(1 for b in doc.blocks if b.anchor) >= len(doc.blocks) - 1  # all but a banner before any id


def test_debian_chapter_leaves_out_navigation_and_its_table_of_contents() -> None:
    doc = read(CH08)
    lines = block_texts(doc)
    assert not [t for t in lines if re.match(r"(Prev|Next|Up|Home)\b", t)]
    assert "Table of Contents" not in doc.text
    assert "Chapter 7. GUI System" not in doc.text and "Chapter 9. System tips" not in doc.text  # navfooter
    # the TOC lists every section; the text has each section title once, as its heading
    assert doc.text.count("8.1.1. Rationale for UTF-8 locale") == 1
    assert doc.text.count("8.2.4. An example for Japanese") == 1


def test_texinfo_leaves_out_node_navigation_menus_contents_and_index() -> None:
    doc = read(STANDARDS)
    for chrome in ("Next:", "Previous:", "Up:", "[Contents]", "Table of Contents", "Jump to:"):
        assert chrome not in doc.text, chrome
    assert doc.text.count("2.3 Trademarks") == 1  # in the contents, the chapter menu and as a heading
    assert "casting pointers to integers" not in doc.text  # an index entry
    assert "Index" not in block_texts(doc, "heading")
    assert "copiable" not in doc.text and "¶" not in doc.text


def test_debian_headings_have_levels_numbers_and_the_ids_of_their_sections() -> None:
    doc = read(CH08)
    chapter = heading(doc, "Chapter 8. I18N and L10N")
    assert (chapter.level, chapter.numbering, chapter.anchor) == (1, "8.", "_i18n_and_l10n")
    section = heading(doc, "8.1. The locale")
    assert (section.level, section.numbering, section.anchor) == (2, "8.1.", "_the_locale")
    sub = heading(doc, "8.1.1. Rationale for UTF-8 locale")
    assert (sub.level, sub.numbering, sub.anchor) == (3, "8.1.1.", "_rationale_for_utf_8_locale")
    # a paragraph under it links to its section
    offset = doc.text.index("The simplest representation of the text data is ASCII")
    assert doc.anchor_at(offset) == "_rationale_for_utf_8_locale"


def test_texinfo_headings_have_levels_numbers_and_section_ids() -> None:
    doc = read(STANDARDS)
    assert (heading(doc, "1 About the GNU Coding Standards").level,
            heading(doc, "1 About the GNU Coding Standards").numbering) == (2, "1")
    trademarks = heading(doc, "2.3 Trademarks")
    assert (trademarks.level, trademarks.numbering, trademarks.anchor) == (3, "2.3", "Trademarks")
    version = heading(doc, "4.8.1 --version")
    assert (version.level, version.numbering, version.anchor) == (4, "4.8.1", "g_t_002d_002dversion")
    # texinfo's banner h1 and the top node's h1 say the same: one heading, linked to the top node
    top = heading(doc, "GNU Coding Standards")
    assert top.anchor == "Top" and doc.blocks[0] == top
    # a paragraph links to the index anchor right before it, the nearest place to land
    offset = doc.text.index("Please do not include any trademark acknowledgments")
    assert doc.anchor_at(offset) == "index-trademarks"


def test_table_rows_keep_their_cells_apart() -> None:
    doc = read(CH08)
    rows = block_texts(doc, "table_row")
    assert "package | popcon | size | supported locale" in rows  # the header row is a row too
    assert "ibus | V:161, I:204 | 1637 | input method framework using dbus" in rows
    caption = heading_or_paragraph_before(doc, "package | popcon | size | supported locale")
    assert caption == "Table 8.1. List of IBus and its engine packages"


def heading_or_paragraph_before(doc: Document, text: str) -> str:
    texts = block_texts(doc)
    return texts[texts.index(text) - 1]


def test_tip_boxes_laid_out_with_tables_read_as_paragraphs() -> None:
    doc = read(CH08)
    tip = next(b for b in doc.blocks if doc.text[b.start:b.end].startswith("There are 17, 18, or 10 letters"))
    assert tip.kind == "paragraph"


def test_preformatted_text_keeps_its_line_breaks() -> None:
    doc = read(CH08)
    code = block_texts(doc, "code")
    assert "# dpkg-reconfigure keyboard-configuration\n# dpkg-reconfigure console-setup" in code
    diagram = next(t for t in code if t.startswith("Keyboard"))
    assert diagram.splitlines() == [
        "Keyboard                                       Application",
        "   |                                                 ^",
        "   |                                                 |",
        "   +-> Linux kernel ->  Input method (ibus)  -> Gtk, Qt, X, Wayland",
        "                          +-- Engine--+",
    ]


def test_two_listings_in_one_pre_are_two_lines(tmp_path: Path) -> None:
    # Node.js's pages print a CommonJS and an ES module version of each example in one <pre>
    path = page(tmp_path, """<pre><input type="checkbox"><code class="cjs">const a = require('a');</code><code
        class="mjs">import a from 'a';</code><button>copy</button></pre>
        <pre><code>x = 1</code> <code>y = 2</code></pre>""")
    assert block_texts(read(path), "code") == ["const a = require('a');\nimport a from 'a';", "x = 1\ny = 2"]


def test_paragraphs_are_reflowed_with_inline_markup_in_place() -> None:
    doc = read(CH08)
    assert ('The behavior of programs supporting internationalization are configured by the environment '
            'variable "$LANG" to support localization.') in doc.text
    assert "list items" not in doc.text
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert items and all(b.level == 1 for b in items)
    assert "Localization (L10N): To make a software handle an specific locale." in block_texts(doc, "list_item")


def test_each_chapter_of_a_split_manual_has_its_own_title() -> None:
    titles = {path.name: read(path).title for path in (CH08, APPENDIX, STANDARDS)}
    assert titles == {
        "ch08.en.html": "Chapter 8. I18N and L10N",
        "apa.en.html": "Appendix A. Appendix",
        "standards-cut.html": "GNU Coding Standards",
    }
    appendix = read(APPENDIX)
    assert heading(appendix, "A.1. The Debian maze").numbering == "A.1."


def test_read_document_dispatches_html_to_this_reader() -> None:
    doc = read_document(CH08, "guides/ch08.en.html")
    assert doc.format == "html" and doc.id == "guides/ch08.en.html" and doc.blocks


# ---------------------------------------------------------------- behaviours, one page each

def test_scripts_styles_hidden_parts_and_site_chrome_are_not_text(tmp_path: Path) -> None:
    path = page(tmp_path, head="<title>Guide</title><style>.x{color:red}</style><script>var head=1</script>",
                body="""
        <a class="skip" href="#main">Skip to main content</a>
        <div class="cookie-banner">We use cookies. <button>Accept</button></div>
        <nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
        <main id="main">
          <h1>Guide <a class="headerlink" href="#main">¶</a></h1>
          <p>Visible text.</p>
          <script>document.write("scripted")</script>
          <noscript>Enable JavaScript</noscript>
          <template><p>template text</p></template>
          <p hidden>hidden attribute</p>
          <p aria-hidden="true">aria hidden</p>
          <div style="display: none">display none</div>
          <span style="visibility:hidden">invisible</span>
          <p>More visible text.</p>
          <h2 id="setup">Setup<a class="headerlink" href="#setup" title="Permalink to this heading">\uf0c1</a></h2>
          <p>Set it up once.</p>
        </main>
        <footer><a href="/about">About</a> | <a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></footer>""")
    doc = read(path)
    # a Sphinx theme's permalink is an icon font's glyph (a private-use character): no part of the heading
    assert block_texts(doc) == ["Guide", "Visible text.", "More visible text.", "Setup", "Set it up once."]
    assert doc.title == "Guide"


def test_navigation_bars_are_recognised_without_class_names(tmp_path: Path) -> None:
    path = page(tmp_path, """
        <table width="100%"><tr><th colspan="3">Chapter 2. Setup</th></tr>
          <tr><td><a accesskey="p" href="ch01.html"><img src="prev.png" alt="Prev"></a></td>
              <td><a accesskey="n" href="ch03.html"><img src="next.png" alt="Next"></a></td></tr></table>
        <div><p>Next: <a href="#n">Using it</a>, Up: <a href="#top">Manual</a></p></div>
        <div><p>Previous: <a href="ch01.html">Installing</a></p></div>
        <h1 id="setup">Chapter 2. Setup</h1>
        <p>Set it up. <a href="ch03.html" rel="next">The next chapter</a> says how to use it.</p>""")
    doc = read(path)
    assert block_texts(doc) == ["Chapter 2. Setup", "Set it up. The next chapter says how to use it."]


def test_a_list_of_links_to_the_pages_own_anchors_is_a_table_of_contents(tmp_path: Path) -> None:
    path = page(tmp_path, """
        <h1>Manual</h1>
        <div><h2>Contents</h2><ul><li><a href="#a">1 Install</a></li><li><a href="#b">2 Use</a>
          <ul><li><a href="#c">2.1 Start</a></li></ul></li></ul></div>
        <h2 id="a">1 Install</h2><p>Install it with <a href="#b">the tool</a> described below.</p>
        <h2 id="b">2 Use</h2><h3 id="c">2.1 Start</h3><p>Start it.</p>
        <ul><li><a href="https://example.org/a">External A</a></li><li><a href="https://example.org/b">B</a></li>
          <li><a href="https://example.org/c">C</a></li></ul>""")
    doc = read(path)
    assert block_texts(doc) == ["Manual", "1 Install", "Install it with the tool described below.", "2 Use",
                                "2.1 Start", "Start it.", "External A", "B", "C"]


def test_a_faq_laid_out_by_docbook_reads_as_numbered_questions_and_answers(tmp_path: Path) -> None:
    """DocBook's FAQ: its contents is one short list of links per chapter, and each question sits in a
    layout table, its number in one cell and its text in the next."""
    path = page(tmp_path, """
        <h1>Tool FAQ</h1>
        <dl><dt>1. <a href="#bg">Background</a></dt><dd>1.1. <a href="#q1">What is it?</a></dd>
          <dd>1.2. <a href="#q2">Who wrote it?</a></dd></dl>
        <dl><dt>2. <a href="#help">Help</a></dt><dd>2.1. <a href="#q3">Where is help?</a></dd></dl>
        <table summary="Q and A Div">
          <tr><td colspan="2"><h3 id="bg">1. Background</h3></td></tr>
          <tr class="question"><td><a name="q1"></a><b>1.1.</b></td><td><b>What is it?</b></td></tr>
          <tr class="answer"><td></td><td><p>A tool that checks memory.</p></td></tr>
          <tr><td colspan="2"><h3 id="help">2. Help</h3></td></tr>
          <tr class="question"><td><b>2.1.</b></td><td><b>Where is help?</b></td></tr>
          <tr class="answer"><td></td><td><p>On the mailing list.</p></td></tr>
        </table>""")
    assert block_texts(read(path)) == ["Tool FAQ", "1. Background", "1.1. What is it?", "A tool that checks memory.",
                                       "2. Help", "2.1. Where is help?", "On the mailing list."]


def test_docbooks_questions_set_as_a_tables_rows_are_the_headings_of_their_answers(tmp_path: Path) -> None:
    """aptitude's FAQ, as DocBook sets a qandaset: the number and the question each in a paragraph of its own
    cell, the answer in the next row. The question, numbered, heads its answer; it had been quoted as a table
    row ("3.1. | How can I find exactly one package by name?") and every answer cited under the chapter."""
    path = page(tmp_path, """
        <h1>Chapter 3. Frequently asked questions</h1>
        <div class="qandaset"><table border="0" style="width: 100%;"><tbody>
          <tr class="question"><td><a id="q1"></a><p><strong>3.1.</strong></p></td>
            <td><p>How can I find exactly one package by name?</p></td></tr>
          <tr class="answer"><td></td>
            <td><p>Search for the name between ^ and $.</p><p>For instance, ^apt$.</p></td></tr>
          <tr class="question"><td><a id="q2"></a><p><strong>3.2.</strong></p></td>
            <td><p>How can I find broken packages?</p></td></tr>
          <tr class="answer"><td></td><td><p>Use the command Search, Find Broken.</p></td></tr>
        </tbody></table></div>""")
    doc = read(path)
    assert block_texts(doc, "heading") == ["Chapter 3. Frequently asked questions",
                                           "3.1. How can I find exactly one package by name?",
                                           "3.2. How can I find broken packages?"]
    assert block_texts(doc, "paragraph") == ["Search for the name between ^ and $.", "For instance, ^apt$.",
                                             "Use the command Search, Find Broken."]
    assert not block_texts(doc, "table_row")


def test_a_list_of_links_to_the_pages_headings_is_its_contents_with_the_questions_under_them(tmp_path: Path) -> None:
    """irssi's Startup How-To opens with a list of its chapters, linked, each over the questions it answers,
    unlinked: a table of contents, though half its words are no links. It had been quoted as an answer."""
    path = page(tmp_path, """
        <h1>Startup How-To</h1><p>Index with some questions that are answered in the chapter:</p>
        <ol><li><a href="#first">First steps</a></li>
          <li><a href="#windows">Basic window usage</a><ul><li>How can I easily switch between windows?</li>
            <li>Split windows work in a weird way</li></ul></li>
          <li><a href="#keys">Changing key bindings</a><ul><li>How do I make the F1 key do something?</li></ul></li>
        </ol>
        <h2 id="first">1. First steps</h2><p>Connect to a network first.</p>
        <h2 id="windows">2. Basic window usage</h2><p>Press Alt-1 to go to the first window.</p>
        <h2 id="keys">3. Changing key bindings</h2><p>Use the BIND command.</p>
        <h2>4. Also worth reading</h2><ul><li><a href="other.html">The FAQ</a></li>
          <li><a href="#first">Back to the first steps</a></li><li>The mailing list</li></ul>""")
    texts = block_texts(read(path))
    assert not [t for t in texts if "switch between windows" in t or "F1 key" in t], texts
    assert texts.count("First steps") == 0 and "1. First steps" in texts
    assert "The FAQ" in texts and "The mailing list" in texts  # a list with a link or two is no contents


def test_inline_elements_join_as_a_browser_shows_them(tmp_path: Path) -> None:
    path = page(tmp_path, """
        <p>Run <code>ls</code>, then
           <a href="x">see <em>this</em></a>.<br>Next line&nbsp;here <b>bo</b>ld.</p>
        <div>Loose text in a div <span>with a span</span><p>and a paragraph</p>after it</div>
        <div>left<div style="display:none">gone</div>right, and in<span hidden>visible</span>line</div>""")
    assert block_texts(read(path)) == [
        "Run ls, then see this. Next line here bold.",
        "Loose text in a div with a span", "and a paragraph", "after it",
        "left", "right, and inline",
    ]


def test_nested_lists_give_each_item_its_own_block_and_depth(tmp_path: Path) -> None:
    path = page(tmp_path, """
        <ul><li>Fruit<ul><li>Apple</li><li>Pear<ol><li>Conference</li></ol></li></ul></li>
            <li><p>Vegetables</p></li></ul>""")
    doc = read(path)
    assert [(doc.text[b.start:b.end], b.kind, b.level) for b in doc.blocks] == [
        ("Fruit", "list_item", 1), ("Apple", "list_item", 2), ("Pear", "list_item", 2),
        ("1. Conference", "list_item", 3), ("Vegetables", "list_item", 1),
    ]


def test_definition_lists_blockquotes_and_tables(tmp_path: Path) -> None:
    path = page(tmp_path, """
        <dl><dt><code>--version</code></dt><dd><p>Print the version.</p></dd></dl>
        <blockquote><p>Quoted paragraph.</p></blockquote>
        <table><caption>Sizes</caption>
          <tr><th>Name</th><th>Size</th></tr><tr><td></td><td></td></tr>
          <tr><td><a href="https://example.org/a">alpha</a></td><td>1 <b>MB</b></td></tr></table>
        <pre>
line one
  line two
</pre>""")
    doc = read(path)
    assert [(doc.text[b.start:b.end], b.kind) for b in doc.blocks] == [
        ("--version", "paragraph"), ("Print the version.", "paragraph"), ("Quoted paragraph.", "paragraph"),
        ("Sizes", "paragraph"), ("Name | Size", "table_row"), ("alpha | 1 MB", "table_row"),
        ("line one\n  line two", "code"),
    ]


def test_anchor_is_own_enclosing_or_preceding_id(tmp_path: Path) -> None:
    path = page(tmp_path, """
        <p>Before any id.</p>
        <section id="s1"><h2>One</h2><p>First.</p><p id="p2">Second.</p><p>Third.</p></section>
        <a name="old-style"></a><p>After a named anchor.</p>""")
    doc = read(path)
    assert [(doc.text[b.start:b.end], b.anchor) for b in doc.blocks] == [
        ("Before any id.", ""), ("One", "s1"), ("First.", "s1"), ("Second.", "p2"), ("Third.", "p2"),
        ("After a named anchor.", "old-style"),
    ]


def test_an_anchor_links_to_the_block_it_is_in_and_never_across_a_heading_without_one(tmp_path: Path) -> None:
    """SQLite's pages: a table row names its anchor after its first cell ("<td>RESERVED</td><td><a
    name=reserved_lock>…"), which had taken the row above's anchor; an h2 with no id had taken the anchor of
    the last item of the section before it. A subsection without an id still links to its section's."""
    path = page(tmp_path, """
        <h2>Locks</h2><table>
        <tr><td>SHARED</td><td><a name="shared_lock"></a>Reading is allowed.</td></tr>
        <tr><td>RESERVED</td><td><a name="reserved_lock"></a>Writing is planned.</td></tr></table>
        <h2>Uses</h2><ul><li><p><a name="container"></a>As a container.</p></li></ul>
        <h2>Where it works less well</h2><p>Very large datasets.</p>
        <h3><a name="certs">Certificates</a></h3><h4>Creating the file</h4><p>Run the tool.</p>""")
    doc = read(path)
    anchors = {doc.text[b.start:b.end]: b.anchor for b in doc.blocks}
    assert anchors["SHARED | Reading is allowed."] == "shared_lock"
    assert anchors["RESERVED | Writing is planned."] == "reserved_lock"
    assert anchors["As a container."] == "container"
    assert anchors["Where it works less well"] == anchors["Very large datasets."] == ""
    assert anchors["Creating the file"] == anchors["Run the tool."] == "certs"


def test_title_falls_back_to_the_first_h1_then_nothing(tmp_path: Path) -> None:
    assert read(page(tmp_path, "<h2>Sub</h2><h1>Main   title</h1><p>x</p>")).title == "Main title"
    assert read(page(tmp_path, "<p>No headings at all.</p>")).title == ""
    assert read(page(tmp_path, "<h1>H</h1>", head="<title>\n  Spaced\n  title </title>")).title == "Spaced title"


@pytest.mark.parametrize("text, number", [
    ("2.1.3. Life with eternal upgrades", "2.1.3."), ("4.7 Standards for Graphical Interfaces", "4.7"),
    ("1 About the GNU Coding Standards", "1"), ("Chapter 8. I18N and L10N", "8."), ("A.1. The Debian maze", "A.1."),
    ("Appendix A GNU Free Documentation License", "A"), ("Preface", ""), ("2023 in review", ""),
    ("Index", ""), ("I think so", ""),
])
def test_heading_numbering(text: str, number: str) -> None:
    assert heading_numbering(text) == number


# ---------------------------------------------------------------- encodings and bad input

def test_meta_charset_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "latin1.html"
    path.write_bytes('<html><head><meta charset="iso-8859-1"><title>Café</title></head>'
                     '<body><p>Crème brûlée</p></body></html>'.encode("latin-1"))
    doc = read(path)
    assert doc.title == "Café" and block_texts(doc) == ["Crème brûlée"]


def test_undeclared_legacy_encoding_and_bom(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy.html"
    legacy.write_bytes("<p>Na\u00efve \u201cquotes\u201d</p>".encode("cp1252"))
    assert block_texts(read(legacy)) == ["Naïve “quotes”"]
    utf16 = tmp_path / "utf16.html"
    utf16.write_bytes("\ufeff<p>Grüße</p>".encode("utf-16-le"))
    assert block_texts(read(utf16)) == ["Grüße"]


def test_bytes_the_declared_encoding_cannot_decode_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(b'<meta charset="utf-8"><p>bad \xff\xfe bytes, still read</p>')
    assert block_texts(read(path)) == ["bad \ufffd\ufffd bytes, still read"]
    path.write_bytes(b'<meta charset="hex"><p>a codec that is not a text encoding</p>')
    assert block_texts(read(path)) == ["a codec that is not a text encoding"]


def test_binary_file_named_html_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    with pytest.raises(Unreadable, match="not an HTML page"):
        read(path)


@pytest.mark.parametrize("content", [b"", b"  \n ", b"<html><head><title>T</title></head><body> </body></html>",
                                     b"<script>only(a script)</script><!-- and a comment -->"])
def test_page_without_text_is_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(content)
    with pytest.raises(Unreadable, match="no readable text"):
        read(path)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="could not be opened"):
        read(tmp_path / "gone.html")


def test_ten_megabytes_of_deep_nesting_is_refused_quickly(tmp_path: Path) -> None:
    depth = 950_000  # 10 MB of nothing but nesting
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * depth + "<p>at the bottom</p>" + "</div>" * depth + "</body></html>")
    assert path.stat().st_size > 10_000_000
    started = time.monotonic()
    with pytest.raises(Unreadable, match="nested too deeply"):
        read(path)
    assert time.monotonic() - started < 5


def test_nesting_within_the_parser_limit_is_read(tmp_path: Path) -> None:
    path = page(tmp_path, "<div>" * 200 + "<p>two hundred levels down</p>" + "</div>" * 200 + "<p>after</p>")
    assert block_texts(read(path)) == ["two hundred levels down", "after"]


DOCBOOK_NOTES = (
    '<div class="chapter"><h1>Chapter 3. The Shed</h1>'
    '<div class="section"><h2 id="tools">3.1. Tools</h2>'
    '<p>Spades hang on the left wall.<a href="#ftn.a" class="footnote" id="a"><sup>[1]</sup></a></p></div>'
    '<div class="section"><h2 id="seeds">3.2. Seeds</h2><p>Seeds are kept in tins.</p></div>'
    '<div class="footnotes"><br><hr><div id="ftn.a" class="footnote"><p><a href="#a"><sup>[1] </sup></a>'
    'The left wall is the driest one.</p></div></div></div>')
PANDOC_NOTES = (
    '<h1>The Shed</h1><h2 id="tools">Tools</h2>'
    '<p>Spades hang on the left wall.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref">'
    '<sup>1</sup></a></p><h2 id="seeds">Seeds</h2><p>Seeds are kept in tins.</p>'
    '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr><ol>'
    '<li id="fn1"><p>The left wall is the driest one.<a href="#fnref1" class="footnote-back" '
    'role="doc-backlink">↩︎</a></p></li></ol></section>')

DOCUTILS_NOTES = (  # Sphinx and docutils: the reference links to the note's label, a <dt>; the note is its <dd>
    '<h1>The Shed</h1><h2 id="tools">Tools</h2>'
    '<p>Spades hang on the left wall.<a class="footnote-reference brackets" href="#id3" id="id1">1</a></p>'
    '<h2 id="seeds">Seeds</h2><p>Seeds are kept in tins.</p>'
    '<dl class="footnote brackets"><dt class="label" id="id3"><span class="brackets">'
    '<a class="fn-backref" href="#id1">1</a></span></dt><dd><p>The left wall is the driest one.</p></dd></dl>')


SPHINX_NOTES = (  # newer docutils: the note is an <aside>, its label's brackets spans of their own
    '<h1>The Shed</h1><h2 id="tools">Tools</h2>'
    '<p>Spades hang on the left wall.<a class="footnote-reference brackets" href="#id3" id="id1" '
    'role="doc-noteref"><span class="fn-bracket">[</span>1<span class="fn-bracket">]</span></a></p>'
    '<h2 id="seeds">Seeds</h2><p>Seeds are kept in tins.</p>'
    '<aside class="footnote-list brackets"><aside class="footnote brackets" id="id3" role="note">'
    '<span class="label"><span class="fn-bracket">[</span><a role="doc-backlink" href="#id1">1</a>'
    '<span class="fn-bracket">]</span></span><p>The left wall is the driest one.</p></aside></aside>')


@pytest.mark.parametrize("body", [DOCBOOK_NOTES, PANDOC_NOTES, DOCUTILS_NOTES, SPHINX_NOTES],
                         ids=["docbook", "pandoc", "docutils", "sphinx"])
def test_a_footnote_is_read_in_the_section_that_references_it(tmp_path: Path, body: str) -> None:
    """A page gathers its footnotes at the end of a chapter; a quote from one is cited under the section
    it explains, not under the chapter's last section."""
    from chatbot.corpus import find_sections

    document = read(page(tmp_path, body))
    assert_well_formed(document)
    note = [b for b in document.blocks if "driest" in document.text[b.start:b.end]]
    assert len(note) == 1, "written once, where it is referenced"
    assert "[]" not in document.text, "a label's brackets go with its number"
    section = next(s for s in find_sections(document) if s.start <= note[0].start < s.end)
    assert section.title.endswith("Tools")
    seeds = next(s for s in find_sections(document) if s.title.endswith("Seeds"))
    assert "driest" not in document.text[seeds.start:seeds.end]


@pytest.mark.parametrize("body, sentence", [
    (DOCBOOK_NOTES, "Spades hang on the left wall.[1]"),
    (PANDOC_NOTES, "Spades hang on the left wall."), (DOCUTILS_NOTES, "Spades hang on the left wall.")],
    ids=["docbook", "pandoc", "docutils"])
def test_a_footnotes_bare_number_is_not_a_word_of_the_sentence(tmp_path: Path, body: str, sentence: str) -> None:
    """A footnote mark set as a bare number ("split into areas 1 based on") would be quoted as a word of
    the sentence; a mark in brackets reads as a mark and stays. The note keeps no label of its own."""
    texts = block_texts(read(page(tmp_path, body)))
    assert sentence in texts
    assert not [t for t in texts if t.strip("[] ").isdigit()]
    assert [t for t in texts if "driest" in t] in (["The left wall is the driest one."],
                                                    ["[1] The left wall is the driest one."])


def test_a_box_title_met_all_over_the_page_is_a_label_not_a_section(tmp_path: Path) -> None:
    """DocBook titles its tip boxes with a heading ("Rationale"); the plain-text edition of the same
    manual shows a line standing alone. Read either way, a box's text belongs to its numbered section."""
    from chatbot.corpus import find_sections
    from chatbot.readers import read_document

    sections = "".join(
        f'<h2>3.{n}. Room {n}</h2><p>Room {n} is on floor {n}.</p>'
        f'<div class="tip"><h3 class="title">Rationale</h3><p>Floor {n} was chosen for its light.</p></div>'
        for n in (1, 2, 3))
    document = read_document(page(tmp_path, f"<h1>Rooms</h1>{sections}<h2>4. Garden</h2><p>Grass.</p>"),
                             "page.html")
    titles = [s.title for s in find_sections(document)]
    assert "Rationale" not in titles and titles[-1] == "4. Garden"
    box = document.text.index("Floor 2 was chosen")
    assert next(s for s in find_sections(document) if s.start <= box < s.end).title == "3.2. Room 2"
    assert "Rationale" in document.text  # the label is still there to read, as a line of its section

    twice = read_document(page(tmp_path, "<h1>A</h1><h2>Notes</h2><p>One.</p><h2>Notes</h2><p>Two.</p>",
                               name="twice.html"), "twice.html")
    assert [s.title for s in find_sections(twice)].count("Notes") == 2  # twice is not "all over"


def test_a_note_box_met_once_is_read_in_its_section_not_as_one(tmp_path: Path) -> None:
    """A box's title set as a heading inside a box marked as a note, tip or warning labels the box even
    when it occurs only once: the box's text is quoted under the section it stands in."""
    from chatbot.corpus import find_sections

    body = ('<h1>Rooms</h1><h2>3.1. Cellar</h2><p>The cellar floods in spring.</p>'
            '<div class="note"><h3 class="title">Note</h3><p>The pump sits under the stairs.</p></div>'
            '<h2>3.2. Attic</h2><p>The attic is dry.</p>')
    document = read(page(tmp_path, body))
    assert block_texts(document, "heading") == ["Rooms", "3.1. Cellar", "3.2. Attic"]
    box = document.text.index("The pump sits")
    assert next(s for s in find_sections(document) if s.start <= box < s.end).title == "3.1. Cellar"


def test_a_code_block_indented_as_a_whole_keeps_each_lines_place(tmp_path: Path) -> None:
    """Only the indent every line shares goes: the first line alone losing it shifted the block's shape
    ("APT" over "  {" and "  }")."""
    doc = read(page(tmp_path, "<p>Set it so:</p><pre>    APT\n    {\n      Get::Assume-Yes true;\n    };\n</pre>"))
    assert block_texts(doc, "code") == ["APT\n{\n  Get::Assume-Yes true;\n};"]


def test_struck_through_text_is_not_read(tmp_path: Path) -> None:
    """A page strikes out what is no longer so and writes the correction beside it: quoting the struck text
    would state the old claim as fact."""
    doc = read(page(tmp_path, "<p><s>Backups run weekly.</s> Backups run every night.</p>"
                              "<p>Old builds <del>are kept</del> are removed after a month.</p>"))
    assert block_texts(doc) == ["Backups run every night.", "Old builds are removed after a month."]


def test_a_paragraph_that_is_one_bold_question_is_a_heading(tmp_path: Path) -> None:
    """FAQ pages often set each question as a bold paragraph, not a heading tag: read as a paragraph, every
    answer was cited under the page's title and the question itself was quoted as an answer."""
    from chatbot.corpus import find_sections

    doc = read(page(tmp_path, "<h1>Garden FAQ</h1>"
                              '<p><a name="q1"></a><b>(1) When should I water the beans?</b></p>'
                              "<blockquote><p>Water them at dawn, before the sun is on the leaves.</p></blockquote>"
                              "<p><strong>(2) Can I plant tomatoes next to potatoes? Is that wise?</strong></p>"
                              "<p>No: they share a blight.</p>"
                              "<p><b>(3) Slugs eat my lettuce every night.</b></p>"
                              "<blockquote><p>Set a saucer of beer among the rows.</p></blockquote>"
                              "<p><b>Important:</b> is this a question? It is a paragraph that starts in bold.</p>"
                              "<p><b>Water daily in summer.</b></p>"
                              "<p><b>4. Mulch in autumn.</b></p><p>Leaves make a good mulch.</p>"))
    # a numbered entry that is no question ("(3) Slugs eat …", SQLite's FAQ) heads the answer set apart under it
    assert block_texts(doc, "heading") == ["Garden FAQ", "(1) When should I water the beans?",
                                           "(2) Can I plant tomatoes next to potatoes? Is that wise?",
                                           "(3) Slugs eat my lettuce every night."]
    assert [s.title for s in find_sections(doc)][1:] == ["(1) When should I water the beans?",
                                                         "(2) Can I plant tomatoes next to potatoes? Is that wise?",
                                                         "(3) Slugs eat my lettuce every night."]
    assert "Water daily in summer." in block_texts(doc, "paragraph")
    assert "4. Mulch in autumn." in block_texts(doc, "paragraph")


def test_a_definition_lists_question_terms_head_their_answers(tmp_path: Path) -> None:
    """AsciiDoc's FAQ entries ("Question?::", Git's FAQ as HTML) are a <dl> of questions over their answers:
    each question heads its answer, instead of being quoted as the answer to itself. A term that is no
    question stays the definition's term."""
    doc = read(page(tmp_path, "<h2>Configuration</h2><div class='dlist'><dl>"
                              "<dt>What should I put in <code>user.name</code>?</dt><dd><p>Your own name.</p></dd>"
                              "<dt>How do I pick an editor?</dt><dd><p>Set the EDITOR variable.</p></dd></dl></div>"
                              "<dl><dt>fast-forward</dt><dd><p>A merge that only moves the branch.</p></dd></dl>"))
    assert block_texts(doc, "heading") == ["Configuration", "What should I put in user.name?",
                                           "How do I pick an editor?"]
    assert "fast-forward" in block_texts(doc, "paragraph")


def test_a_question_term_labelled_q_may_say_more_after_its_question_mark(tmp_path: Path) -> None:
    """Cyrus's FAQ labels its terms "Q:" and some go on after the question ("Q: Why can't I delete messages
    from my over-quota mailbox? I'm using a client with a 'trash folder'."): it heads its answer all the same,
    which had been cited under the question before it."""
    doc = read(page(tmp_path, "<h2>Troubleshooting</h2><dl>"
                              "<dt><b>Q:</b> Why are 8bit characters in headers changed to Xs?</dt>"
                              "<dd><p><b>A:</b> 8-bit characters are illegal in message headers.</p></dd>"
                              "<dt><b>Q:</b> Why can't I delete messages from my over-quota mailbox? I'm using a "
                              "client with a trash folder.</dt><dd><p><b>A:</b> Trash folders do not fit the "
                              "IMAP model.</p></dd></dl>"))
    assert block_texts(doc, "heading") == [
        "Troubleshooting", "Q: Why are 8bit characters in headers changed to Xs?",
        "Q: Why can't I delete messages from my over-quota mailbox? I'm using a client with a trash folder."]


def test_a_title_set_in_a_styled_box_above_the_first_heading_is_a_heading(tmp_path: Path) -> None:
    """SQLite's pages repeat their <title> in a <div> above the first <h1>: quoted, that line answered
    questions with a bare page title."""
    doc = read(page(tmp_path, '<div class="fancy_title">Garden Tools</div><h1>1. Spades</h1><p>Spades dig.</p>',
                    head="<title>Garden Tools</title>"))
    assert block_texts(doc, "heading") == ["Garden Tools", "1. Spades"]


def test_a_publican_pages_navigation_and_a_title_pages_author_are_not_sections(tmp_path: Path) -> None:
    """Publican (DocBook) pages open with a "Prev | Book | Next" list and a title page that sets the author's
    name as a heading: the bar is not text, and the name is a line of the title page, not a section that
    the abstract below it would be cited under."""
    body = ('<ul class="docnav top"><li class="previous"></li><li class="home">Garden Manual</li>'
            '<li class="next"><a accesskey="n" href="intro.html"><strong>Next</strong></a></li></ul>'
            '<div class="book"><div class="titlepage"><h1 class="title">Garden Manual</h1>'
            '<div class="authorgroup"><div class="author"><h3 class="author">Ada Gardener</h3></div></div>'
            '<div class="abstract"><p>This manual explains how to keep a small vegetable garden.</p></div>'
            '</div></div><ul class="docnav"><li class="next"><a href="intro.html">Next</a>'
            '<br/>Chapter 1. Introduction</li></ul>')
    doc = read(page(tmp_path, body, "<title>Garden Manual</title>"))
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "heading"] == ["Garden Manual"]
    assert "Next" not in doc.text and "Ada Gardener" in doc.text


def test_a_screenshots_long_description_link_is_not_text(tmp_path: Path) -> None:
    """DocBook sets a "[D]" link to a picture's long description under every screenshot (aptitude's manual):
    quoted, it opened answers with "[D]"."""
    shot = ('<div class="screenshot"><div class="mediaobject"><table><tr><td><img src="board.png" alt="[board]"/>'
            '</td></tr></table><div class="longdesc-link" align="right"><br clear="all"/><span class="longdesc-link">'
            '[<a href="ld-1.html" target="longdesc">D</a>]</span></div></div></div>')
    doc = read(page(tmp_path, f"<h1>Playing</h1><p>Select a square with the arrow keys.</p>{shot}"
                              "<p>Some squares are now uncovered.</p>"))
    assert "[D]" not in doc.text and "Some squares are now uncovered." in doc.text


def test_a_list_of_links_the_text_introduces_and_a_code_block_of_links_are_kept(tmp_path: Path) -> None:
    """Mutt's "… along with a configuration command. See:" over a list of hook names, each a link to where it
    is described, and Postfix's example "smtp_tls_cert_file =" lines, each a link to its manual page, are
    text, though all links; a list of links to this page's own sections stays left out, introduced or not."""
    hooks = "".join(f'<li><p><a href="config.html#{n}"><strong>{n}</strong></a></p></li>'
                    for n in ("account-hook", "charset-hook", "folder-hook", "send-hook"))
    example = "\n".join(f'<a href="postconf.5.html#{n}">{n}</a> = /etc/ssl/{n}' for n in ("smtp_tls_cert_file",
                                                                                         "smtp_tls_key_file",
                                                                                         "smtp_tls_CAfile"))
    contents = "".join(f'<li><a href="#{n}">{n.title()} settings</a></li>' for n in ("origin", "relay", "notify"))
    body = (f"<h1>Hooks</h1><p>A hook runs a command when a pattern matches. See:</p><div class='itemizedlist'>"
            f"<ul>{hooks}</ul></div><p>The client takes its certificate from these settings:</p><blockquote>"
            f"<pre>{example}</pre></blockquote><p>The parameters of interest are these:</p><ul>{contents}</ul>"
            "<h2 id='origin'>Origin settings</h2><p>The origin names the sending domain.</p>")
    doc = read(page(tmp_path, body))
    assert "folder-hook" in block_texts(doc, "list_item")
    assert any("smtp_tls_key_file = /etc/ssl/smtp_tls_key_file" in code for code in block_texts(doc, "code"))
    assert "Relay settings" not in doc.text


def test_a_list_of_links_under_an_item_that_says_what_it_lists_is_kept(tmp_path: Path) -> None:
    """Apache's "Authentication provider (see the AuthBasicProvider directive)" over its modules, each a link
    to its page: the item says in words what the nested list holds, so both are text; a contents list's
    item is only a link to its section over links to its subsections, and stays left out."""
    modules = "".join(f'<li><code><a href="../mod/{m}.html">{m}</a></code></li>'
                      for m in ("mod_authn_anon", "mod_authn_dbm", "mod_authn_file", "mod_authnz_ldap"))
    contents = ('<ul><li><a href="#basics">Basics</a><ul><li><a href="#one">One</a></li><li><a href="#two">Two</a>'
                '</li><li><a href="#three">Three</a></li></ul></li></ul>')
    body = (f"<h1>Authentication</h1>{contents}<p>You will usually need one module from each group.</p><ul><li>"
            f'Authentication provider (see the <code><a href="../mod/basic.html#provider">AuthBasicProvider</a>'
            f"</code> directive)<ul>{modules}</ul></li></ul><h2 id='basics'>Basics</h2><p>Basics come first.</p>")
    doc = read(page(tmp_path, body))
    assert "mod_authn_file" in block_texts(doc, "list_item")
    assert any(text.startswith("Authentication provider") for text in block_texts(doc, "list_item"))
    assert "Three" not in doc.text


def test_a_paragraph_of_code_broken_into_lines_by_br_is_a_code_block(tmp_path: Path) -> None:
    """Apache's examples set a terminal session as one <code> in a <p>, its lines broken by <br>: read as a
    paragraph, "… rbowen New password: mypassword Re-type …" ran together; it is a code block, a line each."""
    body = ("<h1>Passwords</h1><p>It asks for the password twice:</p><div class='example'><p><code>\n"
            "      # htpasswd -c /etc/passwords rbowen<br>\n      New password: secret<br>\n"
            "      Re-type new password: secret<br>\n      Adding password for user rbowen\n    </code></p></div>"
            "<p>Then the file holds one line.</p>")
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "code") == ["# htpasswd -c /etc/passwords rbowen\nNew password: secret\n"
                                        "Re-type new password: secret\nAdding password for user rbowen"]
    assert block_texts(doc, "paragraph") == ["It asks for the password twice:", "Then the file holds one line."]


def test_a_menu_a_breadcrumb_and_a_language_switch_of_links_are_not_text(tmp_path: Path) -> None:
    """Apache's pages open with links joined by separators only ("Modules | Directives | FAQ", "Apache > HTTP
    Server > Documentation", "Available Languages: en | fr"); one was quoted as an answer. Links listed
    with commas in a table cell ("RDP, RFB (VNC)") are the cell's content and stay."""
    def links(*names: str, joint: str) -> str:
        return joint.join(f'<a href="{n.lower().replace(" ", "-")}.html">{n}</a>' for n in names)

    body = (f'<p class="menu">{links("Modules", "Directives", "Glossary", joint=" | ")}</p>'
            f'<div id="path">{links("Apache", "HTTP Server", "Documentation", joint=" &gt; ")}</div>'
            f'<h1>Virtual Hosts</h1><p>Available Languages: {links("en", "fr", joint=" | ")}</p>'
            "<p>One server can answer for several names.</p><table><tr><td>vinagre</td>"
            f'<td>{links("RDP", "VNC", joint=", ")}</td></tr></table>')
    doc = read(page(tmp_path, body))
    assert "Directives" not in doc.text and "Documentation" not in doc.text and "Languages" not in doc.text
    assert "vinagre | RDP, VNC" in block_texts(doc, "table_row")


def test_a_pages_date_line_is_left_out_and_a_power_keeps_its_mark(tmp_path: Path) -> None:
    """A site's "This page last modified on …" under every page was quoted as an answer; a paragraph that only
    mentions a change and a year stays. "2<sup>48</sup> bytes" read as "248 bytes", a wrong number."""
    doc = read(page(tmp_path, "<h1>Limits</h1><p>A database holds at most 2<sup>48</sup> bytes, and a"
                              " value 10<sup>-6</sup> apart is equal; see the notes<sup>3</sup>.</p>"
                              "<p>The format was last changed in 2004, when version 3 came out.</p>"
                              '<p align="center"><small><i>This page last modified on <a href="#">2022-04-12'
                              " 00:22:10</a> UTC</i></small></p>"))
    assert block_texts(doc, "paragraph") == [
        "A database holds at most 2^48 bytes, and a value 10^-6 apart is equal; see the notes3.",
        "The format was last changed in 2004, when version 3 came out."]


def test_a_sites_banner_over_the_pages_heading_is_left_out(tmp_path: Path) -> None:
    """A page titled "Kettle Care - Kettle Works 2.1" prints the site's part, "Kettle Works 2.1", above its own
    heading "Kettle Care": the site's name, not the page's text (Apache's pages; it was quoted as an answer). The
    same words later in the page stay."""
    doc = read(page(tmp_path, '<div id="page-header"><p class="apache">Kettle Works 2.1</p></div>'
                              "<h1>Kettle Care</h1><p>Descale the kettle monthly.</p><p>Kettle Works 2.1</p>",
                    head="<title>Kettle Care - Kettle Works 2.1</title>"))
    assert block_texts(doc) == ["Kettle Care", "Descale the kettle monthly.", "Kettle Works 2.1"]
    # a program's page: its heading is the title's first two parts ("ab - Apache HTTP server benchmarking tool")
    doc = read(page(tmp_path, '<div id="page-header"><p class="apache">Kettle Works 2.1</p></div>'
                              "<h1>kettlectl - control the kettle</h1><p>kettlectl starts the kettle.</p>",
                    head="<title>kettlectl - control the kettle - Kettle Works 2.1</title>", name="ctl.html"))
    assert block_texts(doc) == ["kettlectl - control the kettle", "kettlectl starts the kettle."]


def test_a_pictures_label_and_description_are_not_text(tmp_path: Path) -> None:
    """DocBook prints a figure as its label ("Figure 9.36. …") over an image box holding the image and a
    description of it ("An image of the register …"): they describe a picture the text does not hold, and were
    quoted as answers. The sentence that points to the figure stays."""
    path = page(tmp_path, head="<title>Dividends</title>", body="""
        <h2>Dividends in cash</h2><p>Record a cash dividend as income in the account that received it.</p>
        <div class="figure"><a name="f1"></a><p class="title"><b>Figure 9.36. Cash dividend example</b></p>
        <div class="figure-contents"><div class="mediaobject"><img src="div.png" alt="Cash dividend example">
        <div class="caption"><p>An image of the broker account register after two cash dividends.</p></div>
        </div></div></div><br class="figure-break"><p>The figure above shows the register afterwards.</p>""")
    assert block_texts(read(path)) == ["Dividends in cash", "Record a cash dividend as income in the account that "
                                       "received it.", "The figure above shows the register afterwards."]


def test_a_boxs_label_alone_is_left_out_and_a_boxs_own_title_kept(tmp_path: Path) -> None:
    """Sphinx's <p class="admonition-title">Note</p> and DocBook's <h3 class="title">Warning</h3> only label
    their box: quotes opened with "Note", and the PDF of the same page prints no such line. A box's own
    title ("The first match wins") says something, and stays."""
    doc = read(page(tmp_path, '<h1>Rules</h1><div class="admonition note"><p class="admonition-title">Note</p>'
                              "<p>Rules are checked from the top.</p></div>"
                              '<div class="warning"><h3 class="title">Warning</h3><p>Deleting a rule is final.</p>'
                              '</div><div class="note"><h3 class="title">The first match wins</h3>'
                              "<p>List specific rules first.</p></div>"
                              # Apache's manual: the box's class alone says what it is
                              '<div class="warning"><h3>Warning</h3><p>Never enable the manager unsecured.</p></div>'))
    texts = [doc.text[b.start:b.end] for b in doc.blocks]
    assert "Note" not in texts and "Warning" not in texts
    assert texts[1:] == ["Rules are checked from the top.", "Deleting a rule is final.", "The first match wins",
                         "List specific rules first.", "Never enable the manager unsecured."]


def test_texinfos_footnotes_leave_no_mark_in_the_sentence_and_no_heading_of_their_own(tmp_path: Path) -> None:
    """Texinfo marks a footnote with a raised link ("limited<a href="#FOOT4"><sup>4</sup></a>") and sets
    each note under a heading "(4)": the mark was quoted as part of a word ("limited4"), and "(4)" was a
    section the documents "cover". The note is read after the section that refers to it."""
    doc = read(page(tmp_path, (
        '<h2>The command line</h2><p>Command lines entered at the console are limited<a id="DOCF4" '
        'href="#FOOT4"><sup>4</sup></a> to about 4095 bytes.</p>'
        '<h2>Data permanency</h2><p>Objects are kept in the workspace.</p>'
        '<div class="footnote"><hr><h4 class="footnotes-heading">Footnotes</h4>'
        '<h5><a id="FOOT4" href="#DOCF4">(4)</a></h5><p>some of the consoles will not allow you to enter more.</p>'
        '</div>')))
    assert "Command lines entered at the console are limited to about 4095 bytes." in doc.text
    assert "(4)" not in block_texts(doc, "heading")
    assert doc.text.index("some of the consoles") < doc.text.index("Data permanency")


def test_a_sites_banner_menu_page_links_and_footer_are_left_out(tmp_path: Path) -> None:
    """Exim's chapters sit under a banner heading that links to the site ("Exim Internet Mailer", which
    began every section path), a menu list (class "nav"), "<-previous" / "next->" links and a footer
    ("Website design by …"). The chapter's own heading opens the page."""
    doc = read(page(tmp_path, (
        '<h1 id="header"><a href="http://www.exim.org">Exim Internet Mailer</a></h1>'
        '<ul id="nav_flow" class="nav"><li><a href="https://www.exim.org/index.html">Home</a></li>'
        '<li><a href="https://www.exim.org/mirrors.html">Download</a></li></ul>'
        '<div id="content"><a class="previous_page" href="ch-42.html">&lt;-previous</a>'
        '<a class="next_page" href="ch-44.html">next-&gt;</a>'
        '<h2><a href="ch-43.html">Chapter 43 - Log files</a></h2>'
        '<p>Exim writes three different logs. See the <a href="ch-44.html">next</a> chapter for more.</p>'
        '<a class="toc_page" href="index.html">Table of Contents</a></div>'
        '<div id="footer">Website design by <a href="https://www.grepular.com/">Mike Cardwell</a>.</div>'),
        "<title>43. Log files</title>"))
    assert block_texts(doc, "heading") == ["Chapter 43 - Log files"]
    assert doc.text.strip() == ("Chapter 43 - Log files\n\n"
                                "Exim writes three different logs. See the next chapter for more.")


def test_docutils_option_list_is_read_option_by_option(tmp_path: Path) -> None:
    """docutils (a reStructuredText manual page turned into HTML, OpenVPN's) sets each option in a table
    row beside or above its description: read as a data table, an option, its prose and its syntax sample
    ran together into one "cell | cell" row of thousands of characters. Each option heads its entry, as a
    definition list's question does."""
    doc = read(page(tmp_path, (
        '<h2>Server Options</h2><table class="docutils option-list" frame="void" rules="none">'
        '<col class="option" /><col class="description" /><tbody valign="top">'
        '<tr><td class="option-group"><kbd><span class="option">--duplicate-cn</span></kbd></td>'
        '<td>Allow multiple clients with the same common name to connect.</td></tr>'
        '<tr><td class="option-group" colspan="2"><kbd><span class="option">--ifconfig-pool <var>args</var>'
        '</span></kbd></td></tr><tr><td>&nbsp;</td><td><p class="first">Set aside a pool of subnets.</p>'
        '<p>Valid syntax:</p><pre class="literal-block">\nifconfig-pool start-IP end-IP\n</pre>'
        '<p class="last">Each client gets one.</p></td></tr></tbody></table>')))
    assert [(doc.text[b.start:b.end], b.kind, b.level) for b in doc.blocks][1:] == [
        ("--duplicate-cn", "heading", 3), ("Allow multiple clients with the same common name to connect.",
                                           "paragraph", 0),
        ("--ifconfig-pool args", "heading", 3), ("Set aside a pool of subnets.", "paragraph", 0),
        ("Valid syntax:", "paragraph", 0), ("ifconfig-pool start-IP end-IP", "code", 0),
        ("Each client gets one.", "paragraph", 0)]


def test_a_page_saved_with_a_cgi_programs_header_reads_without_it(tmp_path: Path) -> None:
    """man2html prints "Content-type: text/html" above the page (bash's manual as HTML): no text of it."""
    path = tmp_path / "bash.html"
    path.write_text("Content-type: text/html; charset=UTF-8\n\n<!DOCTYPE HTML><HTML><HEAD><TITLE>Man page of BASH"
                    "</TITLE></HEAD><BODY><H2>NAME</H2><P>bash - GNU Bourne-Again SHell</P></BODY></HTML>\n",
                    encoding="utf-8")
    doc = read(path)
    assert doc.text.startswith("NAME") and "Content-type" not in doc.text


PROSE = ("The kettle has a lid that opens with a button on the handle, and a spout\n"
         "with a filter that keeps scale out of your cup. Rinse the filter every week.\n")


def test_prose_set_in_one_pre_is_read_as_paragraphs_and_headings_with_their_anchors(tmp_path: Path) -> None:
    """Vim's help as HTML sets a whole chapter in one <pre>, with an <a name> at each section: read as one
    block of code, it was one quote of 20,000 characters. It reads as the plain-text help does."""
    sections = "".join(
        f'\n{"=" * 60}\n*<a name="01.{n}"></a><b>01.{n}</b>*\t{title}\n\n{PROSE}\n'
        f"To switch it on, use this command: >\n\n\t:kettle on\n\n{PROSE}\n"
        for n, title in ((1, "Filling the kettle"), (2, "Boiling water"), (3, "Descaling")))
    doc = read(page(tmp_path, f"<h1>Kettle manual: usr_01</h1><pre>\n{PROSE}\n{PROSE}{sections}</pre>"))
    assert_well_formed(doc)
    assert max(b.end - b.start for b in doc.blocks) < 400
    boiling = heading(doc, "*01.2* Boiling water")
    assert boiling.level > 1 and boiling.anchor == "01.2"  # under the page's <h1>
    following = [b for b in doc.blocks if b.start > boiling.start][:2]
    assert [b.kind for b in following] == ["paragraph", "paragraph"] and following[0].anchor == "01.2"
    assert doc.text[following[0].start:following[0].end] == " ".join(PROSE.split())


def test_a_program_or_a_short_listing_in_a_pre_stays_one_block_of_code(tmp_path: Path) -> None:
    comments = "".join(f"# {line}\n" for line in (PROSE * 3).splitlines()) + "\n"
    program = (comments + "sub policy {\n    my ($key) = @_;\n    return 'DUNNO';\n}\n\n") * 4
    doc = read(page(tmp_path, f"<h1>Policy</h1><pre>{program}</pre><pre>{PROSE}\n{PROSE}</pre>"))
    assert [b.kind for b in doc.blocks] == ["heading", "code", "code"]


def test_a_manual_page_groff_wrote_as_html_has_its_sections_and_its_name_line_as_title(tmp_path: Path) -> None:
    """groff -Thtml sets a manual page's section titles as bold paragraphs of capitals, with no <h2>, and
    leaves <title> empty."""
    body = ('<p><b>NAME</b></p><p><b>kettlectl</b> &mdash; control an electric kettle</p>'
            '<p><b>DESCRIPTION</b></p><p>The utility switches the kettle on and off.</p>'
            '<p><b>EXIT STATUS</b></p><p>It exits 0 on success.</p><p><b>Note</b></p><p>Mind the steam.</p>')
    doc = read(page(tmp_path, body, head="<title></title>"))
    assert block_texts(doc, "heading") == ["NAME", "DESCRIPTION", "EXIT STATUS"]
    assert doc.title == "kettlectl — control an electric kettle"


def test_a_menu_hidden_in_preformatted_prose_leaves_its_sentence_whole(tmp_path: Path) -> None:
    """HAProxy's manual links each keyword to a Bootstrap menu that stays hidden until clicked; the menu's
    "This keyword is available in sections" stood mid-sentence, and the sentence was cut in two there."""
    menu = ('<span class="dropdown"><a class="dropdown-toggle" href="#">prompt</a><ul class="dropdown-menu">'
            '<li class="dropdown-header">This keyword is available in sections :</li><li><a href="#a">CLI</a></li>'
            '</ul></span>')
    doc = read(page(tmp_path, f"<h1>Management</h1><pre>{PROSE}\nThis mode is entered with the \"{menu}\" "
                              f"command, sent on the first line.\n\n{PROSE}\n{PROSE}</pre>"))
    assert 'This mode is entered with the "prompt" command, sent on the first line.' in doc.text
    assert "available in sections" not in doc.text


def test_a_section_made_of_links_and_a_list_a_sentence_announces_are_text(tmp_path: Path) -> None:
    """Texinfo's "4 See Also" chapter is one paragraph of links to the other manuals, and Postfix lists the
    load generators after "The following tools can be used …": both are the page's text, not a table of
    contents (the chapter had gone, heading and all). Links to the page's own sections stay contents."""
    others = ", ".join(f'<a href="kettle-{n}.html">kettle-{n}</a>' for n in ("descale", "boil", "pour", "clean"))
    tools = "".join(f'<li><a href="{n}.1.html">{n}, a load generator</a></li>'
                    for n in ("smtp-source", "smtp-sink", "qmqp-source"))
    contents = "".join(f'<li><a href="#s{n}">Part {n}</a></li>' for n in range(1, 5))
    body = (f"<h1>kettle</h1><h2>1 Description</h2><p>The kettle boils water.</p><h2>2 Overview</h2>"
            f"This page covers the following topics:<ul>{contents}</ul><p>The following tools can be used to "
            f"measure the kettle under load. They are not installed with it.</p><ul>{tools}</ul>"
            f"<h2>3 See Also</h2><p>{others}</p><h2>4 Authors</h2><p>The kettle team.</p>")
    doc = read(page(tmp_path, body))
    assert "3 See Also" in block_texts(doc, "heading") and "kettle-descale, kettle-boil" in doc.text
    assert "smtp-sink, a load generator" in block_texts(doc, "list_item")
    assert "Part 2" not in doc.text


def test_a_bold_title_a_line_break_ends_heads_its_subsection(tmp_path: Path) -> None:
    """groff -Thtml sets a manual page's subsection title as a bold run and a <br> opening the paragraph it
    titles ("<p><b>Micro-CA Options <br> -CA</b> filename</p>"): it had run into the first option. A bold
    phrase inside a sentence, or a line break after a whole sentence, is no title."""
    body = ('<h2>OPTIONS</h2><p><b>Micro-CA Options <br>\n-CA</b> <i>filename</i></p><p>Signs with that CA.</p>'
            '<p><b>Default Dependencies</b> <br>\nThe following dependencies are added unless told not to.</p>'
            '<p>Use <b>-v</b> to see more. <br>\nIt prints each step.</p><p><b>Note.</b> <br>\nKeep it short.</p>')
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "heading") == ["OPTIONS", "Micro-CA Options", "Default Dependencies"]
    assert "-CA filename" in block_texts(doc, "paragraph")
    assert "Use -v to see more. It prints each step." in block_texts(doc, "paragraph")


def test_a_bold_title_inside_groffs_style_wrappers_heads_its_subsection(tmp_path: Path) -> None:
    """groff wraps some pages' paragraphs whole in their styles ('<p><big><font color="#000000"><b>Pre-shared-key
    based SSL/TLS Support</b> <br> The following options …'): the title opens the paragraph all the same, and had
    run into its sentence (mosquitto.conf(5)'s LISTENERS were one section). A box's label ("Important") heads
    nothing."""
    body = ('<h2>LISTENERS</h2><p><big><font color="#000000"><b>General Options</b> <br>\nThe following options '
            'are available for all listeners.</font></big></p>'
            '<p><big><font color="#000000"><b>Important</b> <br>\nKeep the broker behind a firewall.</font></big></p>'
            '<p><big><font color="#000000"><b>Pre-shared-key based SSL/TLS Support</b> <br>\nThese options '
            'configure pre-shared-key based SSL support.</font></big></p>')
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "heading") == ["LISTENERS", "General Options", "Pre-shared-key based SSL/TLS Support"]


def test_a_bold_title_after_an_empty_anchor_heads_its_paragraph_with_that_anchor(tmp_path: Path) -> None:
    """ProFTPD's how-tos name each part with an empty anchor before its bold title ('<p><a name="SystemLog"></a>
    <b>SystemLog</b><br>If the site …'): the title had run into the paragraph ("SystemLog If the site …"), which
    was cited under the section before. It heads the paragraph, and a citation links to the anchor."""
    body = ('<h2>Logging</h2><p><b>Log Files</b><br>There are three main kinds of logs.</p>'
            '<p><a name="SystemLog"></a>\n<b><i><code>SystemLog</code></i></b><br>\nIf the site administrator '
            'wants a log file of its own, this directive is the one to use.</p>')
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "heading") == ["Logging", "Log Files", "SystemLog"]
    paragraph = next(b for b in doc.blocks if b.kind == "paragraph" and "administrator" in doc.text[b.start:b.end])
    assert doc.text[paragraph.start:paragraph.end].startswith("If the site") and paragraph.anchor == "SystemLog"


def test_a_labelled_question_heads_its_labelled_answer(tmp_path: Path) -> None:
    """ProFTPD's how-tos end with their own FAQ: a bold title over nothing but a line break, then paragraphs
    "Question: …?<br>Answer: …", each inside an anchor left open. Each question heads its answer, under the
    FAQ's title; a question that shows output in a <pre> before it ends is left as it was."""
    def entry(name: str, question: str, answer: str) -> str:
        return (f'<p><a name="{name}">\n<font color=red>Question</font>: {question}<br>\n'
                f'<font color=blue>Answer</font>: {answer}\n')
    body = ('<h2>FTP and TLS</h2><p>Some text about TLS.</p><p><a name="FAQ"></a>\n<b>Frequently Asked Questions</b>'
            '<br>\n' + entry("Gen", "How do I generate the certificate files?", "Use the same files as Apache's.")
            + entry("Fxp", "Why does TLS break FXP transfers?", "Site-to-site transfers need the session reused.")
            + '<p><a name="Data">\n<font color=red>Question</font>: My client shows:<pre>425 Unable</pre>Why?<br>\n'
            '<font color=blue>Answer</font>: The session must be reused.\n')
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "heading") == ["FTP and TLS", "Frequently Asked Questions",
                                           "Question: How do I generate the certificate files?",
                                           "Question: Why does TLS break FXP transfers?"]
    answer = next(b for b in doc.blocks if "Site-to-site" in doc.text[b.start:b.end])
    assert doc.text[answer.start:answer.end].startswith("Answer: Site-to-site") and answer.anchor == "Fxp"


def test_the_questions_of_a_docbook_question_set_head_their_answers(tmp_path: Path) -> None:
    """DocBook's stylesheets write an FAQ's entry as <div class="QANDAENTRY"> with a QUESTION and an ANSWER:
    a question not written as one ("13. Slow logins") heads its answer, one level under the chapter, even after
    a heading set inside an earlier answer; before, every answer was cited under the chapter or that heading."""
    def entry(name: str, number: int, question: str, answer: str) -> str:
        return (f'<div class="QANDAENTRY"><div class="QUESTION"><p><a name="{name}"></a><b>{number}. </b>{question}'
                f'</p></div><div class="ANSWER"><p><b> </b>{answer}</p></div></div>')
    body = ('<h1>Chapter 4. Common running problems</h1><div class="QANDASET">'
            + entry("AEN1", 12, "Ratios", '<h3 class="BRIDGEHEAD">Limitations of mod_ratio</h3>The limits hold '
                    'for one session only.')
            + entry("AEN2", 13, "Slow logins", "This is probably caused by a firewall or a DNS timeout.")
            + "</div>")
    doc = read(page(tmp_path, body))
    levels = {doc.text[b.start:b.end]: b.level for b in doc.blocks if b.kind == "heading"}
    assert levels["12. Ratios"] == levels["13. Slow logins"] == levels["Chapter 4. Common running problems"] + 1
    answer = next(b for b in doc.blocks if "firewall" in doc.text[b.start:b.end])
    assert answer.kind == "paragraph" and answer.anchor == "AEN2"


def test_an_empty_cell_between_filled_ones_keeps_its_place(tmp_path: Path) -> None:
    """FFmpeg's format table marks what it supports with an "X" under Muxing or Demuxing: "PGS" with only
    Demuxing marked had read "PGS | X", as if it could be written."""
    rows = ("<tr><th>Name</th><th>Muxing</th><th>Demuxing</th><th>Notes</th></tr>"
            "<tr><td>PGS</td><td></td><td>X</td><td></td></tr><tr><td>SRT</td><td>X</td><td>X</td><td></td></tr>"
            "<tr><td></td><td>X</td><td></td><td></td></tr>")
    doc = read(page(tmp_path, f"<h1>Formats</h1><table>{rows}</table>"))
    assert block_texts(doc, "table_row") == ["Name | Muxing | Demuxing | Notes", "PGS |  | X", "SRT | X | X", "X"]


def test_a_line_break_inside_code_in_a_table_cell_reads_as_a_space(tmp_path: Path) -> None:
    """Asciidoctor sets two commands in one cell, a <br> between them inside <p><code>: the cell holds both,
    apart, and the text no control character (a NUL made grep call the text binary)."""
    row = ('<tr><td><p><code>decode</code></p></td><td><p><code><a href="#x">/charset decode</a><br>\n'
           '            /set charset.decode.*</code></p></td><td><p>Decoding charset by buffer.</p></td></tr>')
    doc = read(page(tmp_path, f"<table><tr><th>Option</th><th>Command</th><th>Description</th></tr>{row}</table>"))
    rows = block_texts(doc, "table_row")
    assert "decode | /charset decode /set charset.decode.* | Decoding charset by buffer." in rows
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", doc.text)


def test_groff_bulleted_items_set_as_table_rows_read_as_list_items(tmp_path: Path) -> None:
    """groff -Thtml sets each item of a bulleted list as a row: an indent, the bullet, a gutter, the text. They
    read "○ |  | Source files are kept …": an item of a list, with no bullet and no empty cells; a data table
    keeps a cell left empty in one row only."""
    def row(text: str) -> str:
        return (f'<tr valign="top"><td width="11%"></td><td width="1%"><p>&#9675;</p></td><td width="5%"></td>'
                f'<td width="83%"><p>{text}</p></td></tr>')
    doc = read(page(tmp_path, f'<table>{row("Source files are kept by default.")}'
                              f'{row("Use -q to turn the progress display off.")}</table>'
                              "<table><tr><td>PGS</td><td></td><td>X</td></tr><tr><td>DVB</td><td>X</td><td>X</td></tr>"
                              "</table>"))
    assert block_texts(doc, "list_item") == ["Source files are kept by default.",
                                             "Use -q to turn the progress display off."]
    assert block_texts(doc, "table_row") == ["PGS |  | X", "DVB | X | X"]


def test_zero_width_spaces_are_not_text(tmp_path: Path) -> None:
    """Asciidoctor writes "…&#8203;" after an ellipsis: invisible on the page, it stood in quotes and titles."""
    doc = read(page(tmp_path, "<h2>Why choose it? Others are so good…&#8203;</h2><p>Because it is light&#8203;.</p>"))
    assert "\u200b" not in doc.text
    assert "Why choose it? Others are so good…" in block_texts(doc, "heading")


def test_a_groff_pages_br_lines_are_entries_and_its_contents_links_are_left_out(tmp_path):
    """groff -Thtml sets a manual's contents as links, one a line, and its option summary as one paragraph
    broken by <br>: the contents are navigation, each summary line an entry a quote can stand on."""
    options = "".join(f"--opt{n}, -{chr(97 + n)} turn feature {n} on <br>\n" for n in range(8))
    body = ('<h1 align="center">TOOL</h1><a href="#NAME">NAME</a><br>\n<a href="#OPTIONS">OPTIONS</a><br>\n'
            '<a href="#SEE ALSO">SEE ALSO</a><br>\n<a href="#EXIT">EXIT</a><br>\n<a href="#BUGS">BUGS</a><br>\n<hr>'
            '<h2>OPTIONS<a name="OPTIONS"></a></h2><p>Here is a short summary of the options.</p>'
            f"<p>{options}</p><p>A sentence wrapped<br>by hand over<br>a few lines<br>of the source<br>"
            "goes on as one paragraph.</p>")
    doc = read(page(tmp_path, body))
    assert "NAME" not in doc.text and "SEE ALSO" not in doc.text
    entries = block_texts(doc, "list_item")
    assert entries[:2] == ["--opt0, -a turn feature 0 on", "--opt1, -b turn feature 1 on"] and len(entries) == 8
    assert "A sentence wrapped by hand over a few lines of the source goes on as one paragraph." in block_texts(doc)


def test_an_empty_anchor_after_a_paragraph_links_the_heading_it_stands_before(tmp_path):
    """man2html: '… reasons. <a name="lbBN">&nbsp;</a> <h3>Appending …</h3>': the anchor is the heading's."""
    body = ('<h2>REDIRECTION</h2><p>Redirect with care.\n<a name="lbBM">&nbsp;</a>\n<h3>Redirecting Output</h3>\n'
            'Output goes to a file.\n<a name="lbBN">&nbsp;</a>\n<h3>Appending Output</h3>\nOutput is appended.')
    doc = read(page(tmp_path, body))
    for title, anchor in (("Redirecting Output", "lbBM"), ("Appending Output", "lbBN")):
        assert heading(doc, title).anchor == anchor
    first = next(b for b in doc.blocks if doc.text[b.start:b.end] == "Redirect with care.")
    assert first.anchor != "lbBM"


def test_a_pattern_character_in_a_definition_list_is_no_question_heading(tmp_path):
    body = ("<h2>Pattern Matching</h2><dl><dt><b>*</b></dt><dd>Matches any string.</dd>"
            "<dt><b>?</b></dt><dd>Matches any single character.</dd>"
            "<dt><b>Can a pattern match a slash?</b></dt><dd>Not in a pathname.</dd></dl>")
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "heading") == ["Pattern Matching", "Can a pattern match a slash?"]


def test_groff_sets_the_next_entrys_term_after_a_br_and_it_reads_as_a_block_of_its_own(tmp_path):
    """groff -Thtml puts a setting's term at the end of the paragraph before it ("These options are part of
    the server: clause. <br> verbosity: <number>"): the term opens its entry, not the sentence's end."""
    body = ('<p>These options are part of the <b>server:</b> clause. <b><br>verbosity:</b> <i>&lt;number&gt;</i></p>'
            '<p style="margin-left:22%;">The verbosity number; level 0 means no verbosity, only errors.</p>'
            "<p>Use one option: <br>-? <br>--help</p>")
    doc = read(page(tmp_path, body))
    paragraphs = block_texts(doc, "paragraph")
    assert paragraphs[:2] == ["These options are part of the server: clause.", "verbosity: <number>"]
    assert "Use one option: -? --help" in paragraphs  # "-?" ends no sentence


def test_a_table_of_keys_keeps_its_one_character_keys(tmp_path: Path) -> None:
    """A data table whose key column holds "o", "*" or "-" (Mutt's "o | change the current sort method") is
    no bulleted list: its rows keep their keys, or "which key sorts the index?" has no answer."""
    keys = [("c", "change to a different mailbox"), ("o", "change the current sort method"),
            ("*", "message is tagged"), ("-", "go back to the previous page")]
    rows = "".join(f"<tr><td>{key}</td><td>{what}</td></tr>" for key, what in keys)
    doc = read(page(tmp_path, f"<table><thead><tr><th>Key</th><th>Description</th></tr></thead>{rows}</table>"))
    assert block_texts(doc, "table_row")[1:] == [f"{key} | {what}" for key, what in keys]
    assert block_texts(doc, "list_item") == []


def test_a_groff_configuration_example_broken_by_br_reads_as_code(tmp_path: Path) -> None:
    """groff -Thtml sets an example's lines as one paragraph broken by <br>: configuration lines run
    together ("DEVICE /dev/hda* DEVICE partitions") read as one; they are a code block, a line each. A
    sentence wrapped by hand stays a paragraph."""
    body = ("<p>For example:</p><p>DEVICE /dev/hda* /dev/hdc* <br>\nDEVICE /dev/disk/by-path/pci* <br>\n"
            "DEVICE partitions</p><p># one array, known by its UUID <br>\n"
            "ARRAY /dev/md0 UUID=3aaa0122:29827cfa:5331ad66:ca767371</p>"
            "<p>A sentence wrapped<br>by hand over<br>a few lines.</p>")
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "code") == [
        "DEVICE /dev/hda* /dev/hdc*\nDEVICE /dev/disk/by-path/pci*\nDEVICE partitions",
        "# one array, known by its UUID\nARRAY /dev/md0 UUID=3aaa0122:29827cfa:5331ad66:ca767371"]
    assert "A sentence wrapped by hand over a few lines." in block_texts(doc, "paragraph")


def test_a_groff_example_of_directives_in_camel_case_reads_as_code(tmp_path: Path) -> None:
    """collectd.conf(5) sets its synopsis as directives named in camel case, one a line ("LoadPlugin cpu",
    "ValuesPercentage true"): each line had been a list item of its own. A list of names is not code."""
    body = ('<p style="margin-left:11%">BaseDir &quot;/var/lib/collectd&quot; <br>\nInterval 10.0 <br>\n'
            "LoadPlugin cpu <br>\nLoadPlugin load <br>\n&lt;Plugin df&gt; <br>\nValuesPercentage true <br>\n"
            "&lt;/Plugin&gt;</p><p>Editors:<br>IntelliJ IDEA<br>GNU Emacs<br>Vim</p>")
    doc = read(page(tmp_path, body))
    assert block_texts(doc, "code") == ['BaseDir "/var/lib/collectd"\nInterval 10.0\nLoadPlugin cpu\n'
                                        "LoadPlugin load\n<Plugin df>\nValuesPercentage true\n</Plugin>"]
    assert "IntelliJ IDEA" in " ".join(block_texts(doc, "list_item") + block_texts(doc, "paragraph"))


def test_a_bold_question_in_a_terms_description_heads_nothing(tmp_path: Path) -> None:
    """groff sets a manual page's entry as a bold term over its description set further in; collectd.conf(5)
    has an aside "<b>Or is it?</b>" in one, which had headed the 80 plugins' sections after it. A bold question
    at the text's own margin still heads its answer."""
    body = ("<h2>PLUGIN OPTIONS</h2>"
            '<p style="margin-left:6%"><b>Plugin &quot;netapp&quot;</b></p>'
            '<p style="margin-left:11%"><b>GetInterfaces</b> <b>true</b>|<b>false</b></p>'
            '<p style="margin-left:17%">If you set this option to true the traffic of the interfaces is read.</p>'
            '<p style="margin-left:17%"><b>Or is it?</b></p>'
            '<p style="margin-left:17%">Optional</p>'
            '<p style="margin-left:11%"><b>Can the traffic of one interface be read?</b></p>'
            '<p style="margin-left:11%">No: only the total over all interfaces is read.</p>')
    doc = read(page(tmp_path, body))
    headings = block_texts(doc, "heading")
    assert "Or is it?" not in headings
    assert "Can the traffic of one interface be read?" in headings


def test_an_ordered_lists_items_keep_the_numbers_a_browser_shows(tmp_path: Path) -> None:
    """A procedure's steps are told apart by their numbers ("Repeat step 2"): each item of an <ol> reads with
    the number a browser shows beside it, from its start or value, in letters where its type asks, even when
    its words stand in a <p> inside it; a bulleted list's items get none."""
    doc = read(page(tmp_path, "<ol><li><p>Run <code>smime_keys init</code>.</p></li><li>Export the key.</li></ol>"
                              '<ol start="4" type="a"><li>Fourth</li><li value="9">Ninth</li></ol>'
                              "<ul><li>A bullet</li></ul>"))
    assert block_texts(doc, "list_item") == ["1. Run smime_keys init.", "2. Export the key.", "d. Fourth",
                                             "i. Ninth", "A bullet"]


def test_latex2html_list_of_subsections_at_a_nodes_foot_is_not_text(tmp_path):
    """latex2html ends each node with "Subsections" over links to its child nodes: a table of contents, not a
    heading under which the last paragraph would be cited, nor text to quote."""
    doc = read(page(tmp_path, (
        "<H2><A ID=\"SECTION1\">Key</A></H2>\n<P>The key shows a sample of each curve next to its title.</P>\n"
        "<BR><HR>\n<!--Table of Child-Links-->\n<A ID=\"CHILD_LINKS\"><STRONG>Subsections</STRONG></A>\n"
        "<UL CLASS=\"ChildLinks\">\n<LI><A ID=\"tex2html1\" HREF=\"node2.html\">Autotitle</A></LI>\n"
        "<LI><A ID=\"tex2html2\" HREF=\"node3.html\">Layout</A></LI>\n</UL>\n<!--End of Table of Child-Links-->\n")))
    assert "Subsections" not in doc.text and "Autotitle" not in doc.text
    assert block_texts(doc) == ["Key", "The key shows a sample of each curve next to its title."]


def test_a_groff_manual_pages_short_tags_share_a_paragraph_with_their_text(tmp_path: Path) -> None:
    """groff -Thtml sets a .TP tag short enough to share its line with the text as a table's row (a spacer
    cell, the tag, a spacer, the text): "flush" and what it does are one paragraph, not a row quoted as
    "flush | Valid values …"; a longer tag stands over its text as before. A page not written by groff keeps
    such a table as a table."""
    rows = "".join(f'<tr valign="top" align="left"><td width="11%"></td><td width="8%"><p><i>{tag}</i></p></td>'
                   f'<td width="3%"></td><td width="78%"><p>{text}</p></td></tr>'
                   for tag, text in (("flush", "Valid values are none, incremental and sync."),
                                     ("freq", "How many records to write before a flush to disk is issued.")))
    body = (f'<h2>DESCRIPTION</h2><table width="100%" border="0" rules="none" frame="void" cellspacing="0" '
            f'cellpadding="0">{rows}</table><p style="margin-left:11%;"><i>max_log_file_action</i></p>'
            '<p style="margin-left:22%;">What to do when the log file reaches its largest size.</p>')
    groff = tmp_path / "auditd.conf.html"
    groff.write_text('<html><head><meta name="generator" content="groff -Thtml, see www.gnu.org">'
                     f'<title>AUDITD.CONF</title></head><body><h1 align="center">AUDITD.CONF</h1>{body}</body></html>')
    doc = read(groff)
    assert block_texts(doc, "table_row") == []
    assert "flush Valid values are none, incremental and sync." in block_texts(doc, "paragraph")
    assert "freq How many records to write before a flush to disk is issued." in block_texts(doc, "paragraph")
    assert_well_formed(doc)
    other = tmp_path / "settings.html"
    other.write_text(f"<html><head><title>Settings</title></head><body><h1>Settings</h1>{body}</body></html>")
    assert len(block_texts(read(other), "table_row")) == 2
