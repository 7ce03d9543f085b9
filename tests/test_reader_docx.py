"""The Word reader on pandoc conversions of real manuals, on documents built here with python-docx for one
behaviour each, and on files that are not Word documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import assert_well_formed, block_texts, heading
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement

from chatbot.readers import Unreadable, read_document
from chatbot.readers.docx import read_docx
from chatbot.records import Document

DATA = Path(__file__).resolve().parent / "data" / "docx"
CH08 = DATA / "ch08.docx"  # Debian Reference chapter 8, pandoc --toc from HTML
STANDARDS = DATA / "standards-cut.docx"  # GNU Coding Standards up to 4.8.2, pandoc from HTML


def read(path: Path) -> Document:
    return read_docx(path, path.name)




def described(doc: Document) -> list[tuple[str, str, int]]:
    return [(doc.text[b.start:b.end], b.kind, b.level) for b in doc.blocks]






def save(document: docx.document.Document, tmp_path: Path, name: str = "made.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


# ---------------------------------------------------------------- pandoc conversions of real manuals

@pytest.mark.parametrize("path", [CH08, STANDARDS], ids=lambda p: p.name)
def test_blocks_are_exact_trimmed_spans(path: Path) -> None:
    doc = read(path)
    assert doc.format == "docx" and doc.id == path.name
    assert_well_formed(doc)


def test_debian_chapter_headings_title_and_contents() -> None:
    doc = read(CH08)
    assert doc.title == "Chapter 8. I18N and L10N"
    # pandoc writes the title twice (Title, then Heading 1): one heading
    chapter = heading(doc, "Chapter 8. I18N and L10N")
    assert (chapter.level, chapter.numbering) == (1, "8.") and doc.blocks[0] == chapter
    sub = heading(doc, "8.1.1. Rationale for UTF-8 locale")
    assert (sub.level, sub.numbering) == (3, "8.1.1.")
    assert heading(doc, "8.2. The keyboard input").level == 2
    assert "Table of Contents" not in doc.text  # pandoc's Word table-of-contents field


def test_paragraphs_tables_and_lists_stay_in_body_order() -> None:
    doc = read(CH08)
    texts = block_texts(doc)
    before = texts.index("8.2.3. The input method support with IBus")
    caption = texts.index("Table 8.1. List of IBus and its engine packages")
    header = texts.index("package | popcon | size | supported locale")
    row = texts.index("ibus | V:161, I:204 | 1637 | input method framework using dbus")
    after = texts.index("8.2.4. An example for Japanese")
    assert before < caption < header < row < after
    assert doc.blocks[row].kind == "table_row"
    item = texts.index("Localization (L10N): To make a software handle an specific locale.")
    assert (doc.blocks[item].kind, doc.blocks[item].level) == ("list_item", 1)


def test_code_keeps_its_line_breaks() -> None:
    doc = read(CH08)
    assert "# dpkg-reconfigure keyboard-configuration\n# dpkg-reconfigure console-setup" in block_texts(doc, "code")
    standards = read(STANDARDS)
    assert ("Report bugs to: mailing-address\npkg home page: <https://www.gnu.org/software/pkg/>\n"
            "General help using GNU software: <https://www.gnu.org/gethelp/>") in block_texts(standards, "code")


def test_texinfo_conversion_headings_and_title() -> None:
    doc = read(STANDARDS)
    assert doc.title == "GNU Coding Standards"
    assert block_texts(doc, "heading").count("GNU Coding Standards") == 1
    version = heading(doc, "4.8.1 --version")
    assert (version.level, version.numbering) == (4, "4.8.1")
    assert (heading(doc, "2.3 Trademarks").level, heading(doc, "2.3 Trademarks").numbering) == (3, "2.3")


def test_read_document_dispatches_docx_to_this_reader() -> None:
    doc = read_document(CH08, "manuals/ch08.docx")
    assert doc.format == "docx" and doc.id == "manuals/ch08.docx" and doc.blocks


# ---------------------------------------------------------------- documents made here

def numbered(paragraph, level: int, num_id: int = 1) -> None:
    """Give a paragraph Word numbering (w:numPr) at `level` (0-based ilvl)."""
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    paragraph._p.get_or_add_pPr().append(num_pr)


def test_headings_lists_and_empty_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Field guide", level=0)  # the Title style
    document.add_heading("1 Scope", level=1)
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_paragraph("Plain text.")
    document.add_heading("1.2 Details", level=2)
    outlined = document.add_paragraph("Outlined as level two")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    outlined._p.get_or_add_pPr().append(level)
    numbered(document.add_paragraph("Top item"), 0)
    numbered(document.add_paragraph("Nested item"), 1)
    document.add_paragraph("Bullet by style", style="List Bullet")
    document.add_paragraph("Deeper bullet by style", style="List Bullet 2")
    doc = read(save(document, tmp_path))
    assert described(doc) == [
        ("Field guide", "heading", 1), ("1 Scope", "heading", 1), ("Plain text.", "paragraph", 0),
        ("1.2 Details", "heading", 2), ("Outlined as level two", "heading", 2),
        ("Top item", "list_item", 1), ("Nested item", "list_item", 2),
        ("Bullet by style", "list_item", 1), ("Deeper bullet by style", "list_item", 2),
    ]
    assert [b.numbering for b in doc.blocks if b.kind == "heading"] == ["", "1", "1.2", ""]
    assert doc.title == "Field guide"  # no title in the properties: the first heading


def test_title_comes_from_the_properties_first(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "  Annual   report "
    document.add_heading("Introduction", level=1)
    assert read(save(document, tmp_path)).title == "Annual report"
    untitled = docx.Document()
    untitled.add_paragraph("Only a paragraph.")
    assert read(save(untitled, tmp_path, "untitled.docx")).title == ""


def test_table_rows_keep_cells_apart_and_merged_cells_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([["Name", "Size", "Notes"], ["alpha", "1 MB", "spans two rows"],
                             ["beta", "2 MB", ""], ["", "", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 2).merge(table.cell(2, 2))  # vertical merge
    wide = table.cell(3, 0).merge(table.cell(3, 1))  # horizontal merge
    wide.text = "a note across two columns"
    document.add_paragraph("After the table.")
    doc = read(save(document, tmp_path))
    assert described(doc) == [
        ("Before the table.", "paragraph", 0),
        ("Name | Size | Notes", "table_row", 0),
        ("alpha | 1 MB | spans two rows", "table_row", 0),
        ("beta | 2 MB", "table_row", 0),
        ("a note across two columns", "table_row", 0),
        ("After the table.", "paragraph", 0),
    ]


def test_tables_of_contents_hidden_struck_and_deleted_text_are_left_out(tmp_path: Path) -> None:
    document = docx.Document()
    toc = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent>"
        '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>1 Scope\t1</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    document.element.body.insert(0, toc)
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("2 Results\t7", style="TOC 1")  # an entry of a TOC field without a content control
    document.add_heading("1 Scope", level=1)
    paragraph = document.add_paragraph("Shown ")
    paragraph.add_run("hidden ").font.hidden = True
    paragraph.add_run("struck ").font.strike = True
    paragraph.add_run("double-struck ").font.double_strike = True
    paragraph.add_run("and shown.")
    paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>deleted'
                                  "</w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t xml:space="preserve">'
                                  " Inserted.</w:t></w:r></w:ins>"))
    doc = read(save(document, tmp_path))
    assert block_texts(doc) == ["1 Scope", "Shown and shown. Inserted."]


def test_consecutive_code_paragraphs_form_one_code_block(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles.add_style("Source Code", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Run:")
    document.add_paragraph("make", style="Source Code")
    document.add_paragraph("  make install", style="Source Code")
    document.add_paragraph("Done.")
    doc = read(save(document, tmp_path))
    assert described(doc) == [("Run:", "paragraph", 0), ("make\n  make install", "code", 0),
                              ("Done.", "paragraph", 0)]


def test_a_listing_inside_a_numbered_step_keeps_its_lines(tmp_path: Path) -> None:
    """pandoc numbers a <pre> inside a list item with the item, and breaks its lines with <w:br/>: it is
    code, line by line, not a list item whose lines run together ("cert server.crt key server.key")."""
    document = docx.Document()
    document.styles.add_style("Source Code", WD_STYLE_TYPE.PARAGRAPH)
    step = document.add_paragraph("Write a server configuration:")
    numbered(step, 0)
    listing = document.add_paragraph(style="Source Code")
    numbered(listing, 0)
    for n, line in enumerate(("cert server.crt", "key server.key", "dev tun")):
        run = listing.add_run(line)
        if n < 2:
            run.add_break()
    doc = read(save(document, tmp_path))
    assert described(doc) == [("Write a server configuration:", "list_item", 1),
                              ("cert server.crt\nkey server.key\ndev tun", "code", 0)]


# ---------------------------------------------------------------- not Word documents

def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_renamed_docx_is_unreadable(tmp_path: Path) -> None:
    path = zipped(tmp_path / "photos.docx", {"photo.txt": b"not a picture"})
    with pytest.raises(Unreadable, match="^it is not a Word document: "):
        read(path)


@pytest.mark.parametrize("keep", [0.5, 0.98], ids=["half", "end-cut"])
def test_truncated_docx_is_unreadable(tmp_path: Path, keep: float) -> None:
    data = CH08.read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(Unreadable, match="^it is not a Word document: the file is damaged or truncated"):
        read(path)


def test_damaged_member_is_unreadable(tmp_path: Path) -> None:
    data = bytearray(CH08.read_bytes())
    data[2000:2100] = bytes(100)  # inside a compressed part; the archive's directory is intact
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(Unreadable, match="^it is not a Word document: the file is damaged"):
        read(path)


@pytest.mark.parametrize("content, reason", [
    (b"", "it is not a zip package"),
    (b"\x00\x01\x02 binary junk" * 50, "it is not a zip package"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old-style .doc"),
])
def test_files_that_are_not_zip_packages_are_unreadable(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(content)
    with pytest.raises(Unreadable, match=reason):
        read(path)


def test_another_office_format_renamed_docx_is_unreadable(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(CH08.read_bytes()))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
    with pytest.raises(Unreadable, match="another kind of Office file"):
        read(zipped(tmp_path / "sheet.docx", members))


def test_document_without_text_is_unreadable(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("")
    with pytest.raises(Unreadable, match="no readable text"):
        read(save(document, tmp_path))


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match="could not be opened"):
        read(tmp_path / "gone.docx")


def test_a_navigation_bar_and_a_contents_list_kept_as_text_are_not_quoted(tmp_path: Path) -> None:
    """pandoc carries a texinfo page's "Next: … [Contents][Index]" bar and its contents list into Word."""
    from chatbot.chunking import chunk_document

    document = docx.Document()
    document.add_paragraph("Next: Scope, Previous: Top, Up: Top [Contents][Index]")
    document.add_heading("Table of Contents", level=1)
    for title in ("1 Scope", "2 Rules", "3 Tools"):
        document.add_paragraph(title, style="List Bullet")
    for title in ("1 Scope", "2 Rules", "3 Tools"):
        document.add_heading(title, level=1)
        document.add_paragraph(f"What {title[2:].lower()} covers is explained here in a full sentence.")
    doc = read(save(document, tmp_path))
    assert "Next:" not in doc.text
    quotes = [doc.text[s.start:s.end] for p in chunk_document(doc) for s in p.sentences]
    assert len(quotes) == 3 and all(q.startswith("What ") for q in quotes)


def _link(document, text: str, target: str) -> str:
    """A w:hyperlink to a bookmark ("#name") or a URL, relative or not, as XML to put in a paragraph."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    if target.startswith("#"):
        return f'<w:hyperlink {nsdecls("w")} w:anchor="{target[1:]}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
    rid = document.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    return f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'


def test_contents_lists_and_indexes_made_of_links_are_left_out_and_links_out_are_kept(tmp_path: Path) -> None:
    """pandoc turns a manual's HTML contents lists into paragraphs of links to its pages, and texinfo's
    index into a table of links to anchors; a table of packages links each name to the web."""
    document = docx.Document()
    document.add_heading("Chapter 2. Tools", level=1)
    document.add_paragraph("Table of Contents")
    for number, title in enumerate(("2.1. Editors", "2.2. Shells", "2.3. Pagers"), start=1):
        document.add_paragraph()._p.append(parse_xml(_link(document, title, f"ch02.html#s{number}")))
    document.add_paragraph("This chapter describes the tools every user meets first.")
    for title in ("2.1. Editors", "2.2. Shells", "2.3. Pagers"):
        document.add_heading(title, level=2)
        document.add_paragraph(f"A full sentence explains {title[5:].lower()} here.")
    packages = document.add_table(rows=3, cols=2)
    for row, name in zip(packages.rows, ("vim", "nano", "less"), strict=True):
        row.cells[0].paragraphs[0]._p.append(parse_xml(_link(document, name, f"https://packages.debian.org/{name}")))
        row.cells[1].text = "a program"
    index = document.add_table(rows=3, cols=2)
    for row, (entry, place) in zip(index.rows, (("editor", "2.1"), ("shell", "2.2"), ("pager", "2.3")), strict=True):
        for cell, text in zip(row.cells, (entry, place), strict=True):
            cell.paragraphs[0]._p.append(parse_xml(_link(document, text, f"#index-{entry}")))
    doc = read(save(document, tmp_path))
    texts = block_texts(doc)
    assert "Table of Contents" not in doc.text and texts.count("2.2. Shells") == 1  # the heading only
    assert "This chapter describes the tools every user meets first." in texts
    assert [t for t in texts if " | " in t] == ["vim | a program", "nano | a program", "less | a program"]
    assert not [t for t in texts if t.startswith(("editor", "shell", "pager"))]  # the index
    assert_well_formed(doc)


def test_a_note_box_laid_out_as_a_table_reads_as_its_paragraphs(tmp_path: Path) -> None:
    """pandoc writes a DocBook Note as a two-column table: an icon's "[Note]" and the label over a cell of
    paragraphs. Those are sentences to quote one by one, not a table row (the label alone is left out); a table
    of data stays one."""
    document = docx.Document()
    document.add_heading("1. Files", level=1)
    box = document.add_table(rows=2, cols=2)
    box.rows[0].cells[0].text, box.rows[0].cells[1].text = "[Note]", "Note"
    box.rows[1].cells[1].text = "Hidden files start with a dot."
    box.rows[1].cells[1].add_paragraph("The default pager cannot scroll back.")
    data = document.add_table(rows=1, cols=2)
    data.rows[0].cells[0].text, data.rows[0].cells[1].text = "ls -a", "list hidden files too"
    doc = read(save(document, tmp_path))
    assert described(doc)[1:] == [
        ("Hidden files start with a dot.", "paragraph", 0),
        ("The default pager cannot scroll back.", "paragraph", 0),
        ("ls -a | list hidden files too", "table_row", 0),
    ]
    assert_well_formed(doc)


def test_a_web_pages_navigation_tables_and_a_short_contents_list_are_left_out(tmp_path: Path) -> None:
    """pandoc keeps a DocBook page's navigation as tables: the chapter's title over "Prev | Next" at the top,
    "Prev | Next" over "previous chapter | Home | next chapter" at the bottom; and a chapter's own contents
    may list only two sections. None of it is text to quote; a table of data that links out stays."""
    document = docx.Document()
    top = document.add_table(rows=2, cols=3)
    top.rows[0].cells[0].text = "Chapter 6. Modules"
    top.rows[1].cells[0].paragraphs[0]._p.append(parse_xml(_link(document, "Prev", "ch-versions.html")))
    top.rows[1].cells[2].paragraphs[0]._p.append(parse_xml(_link(document, "Next", "ch-initramfs.html")))
    document.add_heading("Chapter 6. Modules", level=1)
    document.add_paragraph("Table of Contents")
    for number, title in enumerate(("6.1. Loading", "6.2. Blacklisting"), start=1):
        document.add_paragraph()._p.append(parse_xml(_link(document, title, f"ch-modules.html#s{number}")))
    for title in ("6.1. Loading", "6.2. Blacklisting"):
        document.add_heading(title, level=2)
        document.add_paragraph(f"A full sentence explains {title[5:].lower()} modules here.")
    data = document.add_table(rows=1, cols=2)
    data.rows[0].cells[0].paragraphs[0]._p.append(parse_xml(_link(document, "kmod", "https://example.org/kmod")))
    data.rows[0].cells[1].text = "loads modules"
    bottom = document.add_table(rows=2, cols=3)
    bottom.rows[0].cells[0].paragraphs[0]._p.append(parse_xml(_link(document, "Prev", "ch-versions.html")))
    bottom.rows[0].cells[2].paragraphs[0]._p.append(parse_xml(_link(document, "Next", "ch-initramfs.html")))
    bottom.rows[1].cells[0].text = "Chapter 5. Versions"
    bottom.rows[1].cells[1].paragraphs[0]._p.append(parse_xml(_link(document, "Home", "index.html")))
    bottom.rows[1].cells[2].text = "Chapter 7. Initramfs"
    doc = read(save(document, tmp_path))
    assert block_texts(doc) == ["Chapter 6. Modules", "6.1. Loading", "A full sentence explains loading modules here.",
                                "6.2. Blacklisting", "A full sentence explains blacklisting modules here.",
                                "kmod | loads modules"]
    assert_well_formed(doc)


def test_a_web_pages_title_repeated_as_its_first_heading_after_its_banner_is_one_section(tmp_path: Path) -> None:
    """pandoc writes a saved web page's <title> as the Word Title, then the page's banner ("Download the
    ebook", a "Prev" link), then its <h1>: the heading again is not a second section of the same name."""
    document = docx.Document()
    document.add_paragraph("10.8. DHCP", style="Title")
    document.add_paragraph("Download the ebook")
    document.add_heading("10.8. DHCP", level=2)
    document.add_paragraph("DHCP is a protocol by which a machine can get its network configuration.")
    document.add_heading("10.8.1. Configuring", level=3)
    document.add_paragraph("The main configuration file is dhcpd.conf.")
    headings = [text for text, kind, _ in described(read(save(document, tmp_path))) if kind == "heading"]
    assert headings == ["10.8. DHCP", "10.8.1. Configuring"]


def test_a_sphinx_pages_permalinks_navigation_and_repeated_subsections(tmp_path: Path) -> None:
    """pandoc keeps a Sphinx page's "¶" permalink (or its theme's icon glyph) after every heading, and its
    sidebar's "Navigation" list ("next", "previous |", "Usage »"); a page of several commands has a
    "Description" and an "Examples" under each, which are sections of that command, not box labels like a
    standard's "Rationale"."""
    document = docx.Document()
    document.add_heading("Navigation", level=3)
    for text, after in (("next", ""), ("previous", " |"), ("Borg documentation", " »"), ("Usage", " »")):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph._p.append(parse_xml(_link(document, text, f"{text.split()[0].lower()}.html")))
        if after:
            paragraph.add_run(after)
    for command in ("borg key export", "borg key import", "borg key change-passphrase"):
        for title, level in ((command, 1), ("Description", 2)):
            heading = document.add_heading(title, level=level)
            mark = "\uf0c1" if command.endswith("passphrase") else "¶"  # an icon font's glyph, or a pilcrow
            heading._p.append(parse_xml(_link(document, mark, f"#{title.replace(' ', '-').lower()}")))
            document.add_paragraph(f"This part says what {command} does, in a sentence of its own.")
    doc = read(save(document, tmp_path))
    headings = [(text, level) for text, kind, level in described(doc) if kind == "heading"]
    assert headings[1:] == [(title, level) for command in ("borg key export", "borg key import",
                                                            "borg key change-passphrase")
                            for title, level in ((command, 1), ("Description", 2))]
    assert "¶" not in doc.text and "\uf0c1" not in doc.text and "previous" not in doc.text and "»" not in doc.text


def test_a_saved_pages_date_line_is_left_out(tmp_path: Path) -> None:
    """A web page saved as Word keeps the site's "This page last modified on …" line: not the page's text."""
    document = docx.Document()
    document.add_paragraph("Rows are stored in key order.")
    document.add_paragraph("This page last modified on 2022-12-14 16:04:04 UTC")
    doc = read(save(document, tmp_path))
    assert "last modified" not in doc.text
    assert "Rows are stored in key order." in doc.text


def test_a_figures_caption_is_left_out_and_a_sentence_about_the_figure_is_kept(tmp_path: Path) -> None:
    """A web page saved as Word keeps a figure's label as a paragraph of its own over the picture ("Figure
    11.1. The “Coloring Rules” dialog box"): it names what the text does not hold, and was quoted as an
    answer. A sentence that refers to the figure is text."""
    document = docx.Document()
    document.add_paragraph("Open View → Coloring Rules to edit the rules, as shown in Figure 11.1.")
    document.add_paragraph("Figure 11.1. The “Coloring Rules” dialog box")
    document.add_paragraph("Figure 11.3, “Using color filters” shows several rules in use.")
    doc = read(save(document, tmp_path))
    assert "dialog box" not in doc.text
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [
        "Open View → Coloring Rules to edit the rules, as shown in Figure 11.1.",
        "Figure 11.3, “Using color filters” shows several rules in use."]


def test_a_boxs_label_alone_is_left_out(tmp_path: Path) -> None:
    """A web page's "Note" box saved as Word keeps its label as a paragraph of its own: the PDF reader
    leaves such a label out, and so does this one, so a quote does not open with it."""
    document = docx.Document()
    document.add_paragraph("Note")
    document.add_paragraph("Rules are checked from the top.")
    document.add_paragraph("A note on the rules follows.")
    doc = read(save(document, tmp_path))
    assert [doc.text[b.start:b.end] for b in doc.blocks] == ["Rules are checked from the top.",
                                                             "A note on the rules follows."]


def test_a_superscript_number_after_a_digit_reads_as_a_power(tmp_path: Path) -> None:
    """pandoc keeps HTML's "2<sup>32</sup>" as a superscript run: read flat, "docids >= 232" was quoted, a
    limit the document never states. A superscript after a word (a note's mark) is not a power."""
    document = docx.Document()
    paragraph = document.add_paragraph("provided you don't use docids >= 2")
    paragraph.add_run("32").font.superscript = True
    paragraph.add_run(". Sizes are limited")
    paragraph.add_run("4").font.superscript = True
    paragraph.add_run(" by the block size.")
    text = read(save(document, tmp_path)).text
    assert "docids >= 2^32. Sizes are limited4 by the block size." in text


def test_a_texinfo_headings_marks_to_itself_and_to_the_contents_are_no_part_of_it(tmp_path: Path) -> None:
    """pandoc keeps texinfo's "#" and "TOC" links after each heading of FFmpeg's manuals: section names had
    ended "… TOC" wherever they were shown."""
    document = docx.Document()
    for title in ("1 Synopsis", "2 Description"):
        heading = document.add_heading(title, level=2)
        for mark, target in (("#", "#" + title.split()[1]), ("TOC", "#toc-" + title.split()[1])):
            heading.add_run(" ")
            heading._p.append(parse_xml(_link(document, mark, target)))
        document.add_paragraph(f"The kettle's {title.split()[1].lower()} is told here in a sentence of its own.")
    doc = read(save(document, tmp_path))
    assert [text for text, kind, _ in described(doc) if kind == "heading"] == ["1 Synopsis", "2 Description"]


def test_a_column_empty_in_every_row_is_no_cell_of_a_row(tmp_path: Path) -> None:
    """pandoc keeps groff's gutter column when it turns a manual page's HTML into Word: "hourly |  | Log files
    are rotated every hour" quoted an empty cell. A column empty in every row is left out; one blank in some
    rows only keeps its place."""
    document = docx.Document()
    gutter = document.add_table(rows=2, cols=3)
    for r, (term, text) in enumerate([("hourly", "Log files are rotated every hour."),
                                      ("daily", "Log files are rotated every day.")]):
        gutter.cell(r, 0).text, gutter.cell(r, 2).text = term, text
    data = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["PGS", "", "X"], ["DVB", "X", "X"]]):
        for c, text in enumerate(row):
            data.cell(r, c).text = text
    doc = read(save(document, tmp_path))
    assert block_texts(doc, "table_row") == ["hourly | Log files are rotated every hour.",
                                             "daily | Log files are rotated every day.", "PGS |  | X", "DVB | X | X"]


def test_a_sphinx_pages_sidebar_boxes_are_left_out_with_their_titles(tmp_path: Path) -> None:
    """pandoc writes a Sphinx page's sidebar out under its own titles: "Navigation" over the breadcrumb (a link
    out to the project's site, links to pages, the page itself unlinked), "Previous topic" and "Next topic"
    over links, "This Page" over "Show Source", "Quick search" over nothing, and the footer's copyright. They
    were offered as angles ("See Also › Navigation") and quoted as answers; a title over text stays."""
    document = docx.Document()
    document.add_heading("borg init — Borg documentation", level=1)
    document.add_heading("Navigation", level=3)
    for text, target in (("Borg »", "https://www.borgbackup.org/"), ("Usage »", "../usage.html"), ("borg init", "")):
        paragraph = document.add_paragraph(style="List Bullet")
        if target:
            paragraph._p.append(parse_xml(_link(document, text, target)))
        else:
            paragraph.add_run(text)  # the page itself
    document.add_heading("borg init", level=1)
    document.add_heading("Description", level=2)
    document.add_paragraph("This command initializes an empty repository for the archives to be kept in.")
    document.add_heading("See Also", level=2)
    document.add_paragraph("The quick start explains how to make a first backup with these commands.")
    document.add_heading("Table of Contents", level=3)
    for title, page in (("Previous topic", "general.html"), ("Next topic", "create.html")):
        document.add_heading(title, level=4)
        document.add_paragraph()._p.append(parse_xml(_link(document, f"borg {page[:-5]}", page)))
    document.add_heading("This Page", level=3)
    source = parse_xml(_link(document, "Show Source", "_sources/init.txt"))
    document.add_paragraph(style="List Bullet")._p.append(source)
    document.add_heading("Quick search", level=3)
    document.add_heading("Navigation", level=3)
    document.add_paragraph(style="List Bullet")._p.append(parse_xml(_link(document, "Usage »", "../usage.html")))
    document.add_paragraph("© Copyright 2010-2023, The Borg Collective. Created using Sphinx 5.3.0.")
    doc = read(save(document, tmp_path))
    headings = [text for text, kind, _ in described(doc) if kind == "heading"]
    assert headings == ["borg init", "Description", "See Also"]
    said = " ".join(doc.text[b.start:b.end] for b in doc.blocks)
    assert "The quick start explains how to make a first backup" in said
    for chrome in ("Navigation", "Usage »", "Show Source", "Previous topic", "borg create", "Quick search", "©"):
        assert chrome not in said, chrome


def test_a_web_pages_menu_breadcrumb_and_language_switch_are_left_out(tmp_path: Path) -> None:
    """pandoc carries a web page's bars into the Word file as paragraphs of links with separators between
    them (Apache's manual: "Modules | Directives | FAQ", "Apache > HTTP Server > Documentation", "Available
    Languages: en | fr"); they are no text of the page, as in its HTML. A sentence holding links stays."""
    document = docx.Document()
    document.add_heading("Caching Guide", level=1)

    def bar(label: str, links: list[tuple[str, str]], separator: str) -> None:
        paragraph = document.add_paragraph(label) if label else document.add_paragraph()
        for i, (text, target) in enumerate(links):
            if i:
                paragraph.add_run(separator)
            paragraph._p.append(parse_xml(_link(document, text, target)))

    bar("", [("Modules", "../mod/"), ("Directives", "../mod/directives.html"), ("FAQ", "../faq/")], " | ")
    bar("", [("Apache", "https://www.apache.org/"), ("HTTP Server", "https://httpd.apache.org/"),
             ("Documentation", "https://httpd.apache.org/docs/")], " > ")
    bar("Available Languages: ", [("en", "../en/caching.html"), ("fr", "../fr/caching.html")], " | ")
    sentence = document.add_paragraph("The cache is filled by ")
    sentence._p.append(parse_xml(_link(document, "mod_cache", "../mod/mod_cache.html")))
    sentence.add_run(" and emptied by ")
    sentence._p.append(parse_xml(_link(document, "htcacheclean", "../programs/htcacheclean.html")))
    sentence.add_run(".")
    path = tmp_path / "caching.docx"
    document.save(path)
    doc = read_document(path, "caching.docx")
    assert block_texts(doc) == ["Caching Guide", "The cache is filled by mod_cache and emptied by htcacheclean."]
    assert_well_formed(doc)


def test_numbered_list_items_keep_the_numbers_word_shows(tmp_path: Path) -> None:
    """Word does not store a list's numbers: it counts them from the list's definition. They are counted here
    too, so "step 3" of a procedure is findable and the explanations of an example's callouts <1>, <2> keep
    their numbers; a nested level counts afresh under each item, a list that restarts starts again, one that
    shares another's definition without restarting goes on counting, bullets get none."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
        '<w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'))
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'  # as pandoc writes a list
    for num, abstract, override in ((901, 90, restart), (902, 90, restart), (903, 91, ""), (904, 90, "")):
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num}"><w:abstractNumId w:val="{abstract}"/>'
                                   f'{override}</w:num>'))

    def item(text: str, num: int, level: int = 0) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'))

    document.add_heading("Setting up", level=1)
    item("Install the package.", 901)
    item("Edit the configuration.", 901)
    item("Set the port.", 901, 1)
    item("Set the address.", 901, 1)
    item("Restart the service.", 901)
    item("Only one thing here.", 902)
    item("A point made in passing.", 903)
    item("Word goes on counting a list that shares the definition and does not restart it.", 904)
    path = tmp_path / "steps.docx"
    document.save(path)
    doc = read_document(path, "steps.docx")
    assert block_texts(doc, "list_item") == [
        "1. Install the package.", "2. Edit the configuration.", "a) Set the port.", "b) Set the address.",
        "3. Restart the service.", "1. Only one thing here.", "A point made in passing.",
        "2. Word goes on counting a list that shares the definition and does not restart it."]
    assert_well_formed(doc)
