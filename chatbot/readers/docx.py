"""Word (.docx) reader: the body's paragraphs and tables in document order, as blocks.

python-docx opens the package and gives the styles; the body is read from its XML directly, child by child,
so paragraphs and tables keep their order, and so text python-docx's `Paragraph.text` leaves out is kept
(runs inside tracked insertions, content controls, fields and smart tags). Left out: deleted text,
hidden runs (w:vanish), text boxes and drawings, and tables of contents and indexes: a content control
of the "Table of Contents" gallery, paragraphs in "TOC n" styles, three or more paragraphs in a row that
are only links (a converter's contents list, as pandoc writes a manual's HTML), a table whose rows are
mostly links (an index).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..records import BlockKind, Document
from . import (
    INVISIBLE,
    TextBuilder,
    Unreadable,
    is_box_label,
    is_exponent,
    is_figure_caption,
    is_navigation_word,
    row_text,
)
from .html import (
    LINK_BAR_LINKS,
    heading_numbering,
    is_navigation_text,
    is_page_date_line,
    is_permalink_mark,
    joins_links_only,
    repeats_heading,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MAX_PART_BYTES = 256_000_000  # a document.xml larger than this unpacked is a zip bomb, not a document

# run content that is text, and what it reads as
_TEXT_OF = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
# paragraph content that is never read: deleted text, field codes, drawings and text boxes (their own
# paragraphs would land inside this one), the fallback copy of alternate content, properties
_NOT_READ = frozenset({
    W + "del", W + "delText", W + "instrText", W + "drawing", W + "pict", W + "object", W + "txbxContent",
    W + "pPr", W + "rPr", W + "footnoteReference", W + "endnoteReference", W + "commentReference",
    _MC + "Fallback", W + "fldData",
})
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$")
_LIST_STYLE = re.compile(r"^list(?:\s+(?:bullet|number|continue|paragraph))?(?:\s+([2-9]))?$")
_CODE_STYLE = re.compile(r"source code|preformatted|verbatim|plain text|macro text|\bcode\b|listing")
_TOC_STYLE = re.compile(r"^toc(?:\s*\d|\s+heading)|^table of (?:contents|figures)$")
_LEFT_OUT_RUN = (f"{W}rPr/{W}vanish", f"{W}rPr/{W}strike", f"{W}rPr/{W}dstrike")  # hidden, struck through
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # "https:", "mailto:": a link out
_IMAGE_STAND_IN = re.compile(r"\[\w+\]")  # pandoc writes an image it cannot keep as its alt text in brackets
_CONTENTS_LABEL = re.compile(r"^(?:table of contents|contents|index)$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
LINK_ONLY = 0.9  # a paragraph this much hyperlink text is a link, not a sentence with one
LISTING_LINKS = 3  # this many link paragraphs in a row (or rows of a table) are a listing, not text
LINKED_ROWS = 2 / 3  # a table with this share of its rows mostly links is an index or a contents table
# A page's "Prev | Up | Next" bar, as a converter writes a web manual's navigation table: its links say where
NAVIGATION_ROWS = 3  # a navigation table has a row or two beside its bar (the page's title, the neighbours')
_FEW_WORDS_BEFORE_REPEAT = 30  # the first heading again within this many words is the page's title repeated


@dataclass(frozen=True)
class _Style:
    """A paragraph style with what it inherits from its base styles already folded in."""

    names: tuple[str, ...]  # lower-case names, own first, then the base styles'
    outline_level: int | None  # 0..8 as in w:outlineLvl; None when the style sets none
    list_level: int | None  # w:ilvl when the style itself is numbered (w:numPr), else None


class _Styles:
    def __init__(self, document: WordDocument) -> None:
        self._raw: dict[str, etree._Element] = {}
        for style in document.styles.element.findall(W + "style"):
            style_id = style.get(W + "styleId")
            if style_id and style.get(W + "type", "paragraph") == "paragraph":
                self._raw[style_id] = style
        self._resolved: dict[str, _Style] = {}

    def get(self, style_id: str | None) -> _Style:
        if not style_id or style_id not in self._raw:
            return _Style((), None, None)
        if style_id not in self._resolved:
            self._resolved[style_id] = self._resolve(style_id)
        return self._resolved[style_id]

    def _resolve(self, style_id: str) -> _Style:
        """Walk the basedOn chain (iteratively, guarding against cycles), the nearest setting winning."""
        names: list[str] = []
        outline: int | None = None
        list_level: int | None = None
        seen: set[str] = set()
        current: str | None = style_id
        while current and current in self._raw and current not in seen:
            seen.add(current)
            style = self._raw[current]
            name = style.find(W + "name")
            names.append((name.get(W + "val", "") if name is not None else current).lower())
            ppr = style.find(W + "pPr")
            if ppr is not None:
                if outline is None:
                    outline = _int_val(ppr.find(W + "outlineLvl"))
                if list_level is None:
                    list_level = _numbering_level(ppr)
            based_on = style.find(W + "basedOn")
            current = based_on.get(W + "val") if based_on is not None else None
        return _Style(tuple(names), outline, list_level)


def _int_val(el: etree._Element | None) -> int | None:
    if el is None:
        return None
    try:
        return int(el.get(W + "val", ""))
    except ValueError:
        return None


def _numbering_level(ppr: etree._Element) -> int | None:
    """w:ilvl of a w:numPr that really numbers (numId 0 means "numbering removed"), else None."""
    num_pr = ppr.find(W + "numPr")
    if num_pr is None or _int_val(num_pr.find(W + "numId")) == 0:
        return None
    return _int_val(num_pr.find(W + "ilvl")) or 0


_LIST_NUMBER = re.compile(r"^(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)]\s+")  # "3. ", "b) ": the number Word shows


class _ListNumbers:
    """The numbers Word shows before numbered list items, which the file does not hold: Word counts them from
    the lists' definitions (numbering.xml: a level's format, its label such as "%1." and its start), so they
    are counted here the same way, in document order. Lists that share a definition share its count, unless a
    list restarts it (pandoc restarts every list so); a level counts afresh under a new item above it; bullets
    get none."""

    def __init__(self, document: WordDocument) -> None:
        self._abstract: dict[int, str] = {}  # numId -> its definition's id
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # definition -> ilvl -> (format, label, start)
        self._restarts: dict[int, dict[int, int]] = {}  # numId -> ilvl -> the number it restarts at
        self._counts: dict[str, list[int | None]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # a document without lists
            return
        for definition in numbering.findall(W + "abstractNum"):
            self._levels[definition.get(W + "abstractNumId", "")] = {
                _int_attr(level, "ilvl"): (_val(level.find(W + "numFmt")) or "decimal", _val(level.find(W + "lvlText")),
                                           _int_val(level.find(W + "start")) or 0)
                for level in definition.findall(W + "lvl")}
        for num in numbering.findall(W + "num"):
            number = _int_attr(num, "numId")
            self._abstract[number] = _val(num.find(W + "abstractNumId"))
            self._restarts[number] = {
                _int_attr(override, "ilvl"): start for override in num.findall(W + "lvlOverride")
                if (start := _int_val(override.find(W + "startOverride"))) is not None}

    def label(self, ppr: etree._Element | None) -> str:
        """The number Word shows before this paragraph ("3.", "b)"), counting it; "" for a bullet or none."""
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        if num_pr is None:
            return ""
        number = _int_val(num_pr.find(W + "numId")) or 0
        abstract = self._abstract.get(number, "")
        levels = self._levels.get(abstract, {})
        level = _numbering_level(ppr)
        if level not in levels or levels[level][0] in ("bullet", "none"):
            return ""
        counts = self._counts.setdefault(abstract, [None] * 10)
        restart = self._restarts.get(number, {}).pop(level, None)  # at the list's first item, once
        if restart is not None:
            counts[level] = restart
        else:
            counts[level] = levels[level][2] if counts[level] is None else counts[level] + 1
        counts[level + 1:] = [None] * (len(counts) - level - 1)
        return re.sub(r"%([1-9])", lambda m: _shown(levels, counts, int(m.group(1)) - 1), levels[level][1]).strip()


def _shown(levels: dict[int, tuple[str, str, int]], counts: list[int | None], level: int) -> str:
    """Level `level`'s count as its format writes it: 3, c, C, iii, III."""
    if level not in levels:
        return ""
    form, _, start = levels[level]
    count = counts[level] if counts[level] is not None else start
    if form in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (count - 1) % 26)
        return letter.upper() if form == "upperLetter" else letter
    if form in ("lowerRoman", "upperRoman"):
        numeral = _roman(count)
        return numeral if form == "upperRoman" else numeral.lower()
    return str(count)


def _roman(number: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out, number = out + numeral, number - value
    return out


def _int_attr(element: etree._Element, name: str) -> int:
    value = element.get(W + name, "")
    return int(value) if value.isdigit() else 0


def _val(element: etree._Element | None) -> str:
    return element.get(W + "val", "") if element is not None else ""


def _is_hidden_run(run: etree._Element) -> bool:
    """Hidden (w:vanish), or struck through (w:strike, w:dstrike): what the document says is no longer so,
    as HTML's <s> and <del>."""
    for path in _LEFT_OUT_RUN:
        switch = run.find(path)
        if switch is not None and switch.get(W + "val", "true").lower() not in ("0", "false", "off"):
            return True
    return False


def _is_exponent(run: etree._Element) -> bool:
    """A superscript run of a number ("32" of 2^32), not a footnote's mark, which Word sets apart."""
    align = run.find(W + "rPr/" + W + "vertAlign")
    return align is not None and align.get(W + "val") == "superscript" \
        and is_exponent("".join(t.text or "" for t in run.iter(W + "t")))


def paragraph_text(paragraph: etree._Element) -> str:
    """The paragraph's text as Word shows it: runs wherever they are nested, tabs and breaks as characters."""
    return "".join(text for text, _ in _text_parts(paragraph))


def _text_parts(paragraph: etree._Element, is_place: Callable[[etree._Element], bool] = lambda link: True
                ) -> list[tuple[str, bool]]:
    """The paragraph's visible text in pieces, each with whether it is the text of a hyperlink that
    `is_place` accepts."""
    parts: list[tuple[str, bool]] = []
    stack = [(el, False) for el in reversed(paragraph)]
    while stack:
        el, in_link = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_READ:
            continue
        if tag == W + "t":
            parts.append(((el.text or "").translate(INVISIBLE), in_link))
        elif tag in _TEXT_OF:
            parts.append((_TEXT_OF[tag], in_link))
        elif tag == W + "r" and _is_hidden_run(el):
            continue
        elif tag == W + "r" and _is_exponent(el) and parts and parts[-1][0][-1:].isdigit():
            parts.append(("^", in_link))  # "2" + superscript "32" is 2^32, not 232 (as the HTML reader)
            stack.extend((child, in_link) for child in reversed(el))
        elif tag == W + "hyperlink" and _is_permalink(el):
            continue
        else:
            in_link = in_link or (tag == W + "hyperlink" and is_place(el))
            stack.extend((child, in_link) for child in reversed(el))
    return parts


def _is_link_bar(paragraph: etree._Element) -> bool:
    """A web page's menu, breadcrumb or language switch as pandoc carries it into a Word file ("Modules |
    Directives | FAQ", "Apache > HTTP Server > Documentation", "Available Languages: en | fr"): links with
    only separators between them, as the HTML reader leaves out."""
    if len(paragraph.findall(f".//{W}hyperlink")) < LINK_BAR_LINKS:
        return False
    return joins_links_only(" ".join(text for text, in_link in _text_parts(paragraph) if not in_link))


def _is_permalink(link: etree._Element) -> bool:
    """A link to a place in this document that is only a mark ("¶"): the permalink a converted web page's
    heading carries (Sphinx's "Description¶"), not a word of the heading."""
    return bool(link.get(W + "anchor")) and is_permalink_mark("".join(t.text or "" for t in link.iter(W + "t")))


def _link_share(element: etree._Element, is_place: Callable[[etree._Element], bool]) -> float:
    """How much of the visible text (spaces aside) of a row or table is the text of links to places in
    this document or its siblings (`is_place`)."""
    return _share_linked([part for paragraph in element.iter(W + "p") for part in _text_parts(paragraph, is_place)])


def _share_linked(parts: list[tuple[str, bool]]) -> float:
    """Share of the letters and digits that are a link's: separators between links ("previous |",
    "Usage »") are no words of their own."""
    linked = total = 0
    for text, in_link in parts:
        length = sum(map(str.isalnum, text))
        total += length
        linked += length if in_link else 0
    return linked / total if total else 0.0


class _BodyReader:
    """Reads the body's blocks in order into a TextBuilder."""

    def __init__(self, document: WordDocument) -> None:
        self.styles = _Styles(document)
        self.list_numbers = _ListNumbers(document)
        self.relationships = document.part.rels
        self.builder = TextBuilder()
        self.first_heading = ""
        self.words_after_first_heading = 0
        self.last_kind, self.last_text = "", ""
        self.code_lines: list[str] = []  # consecutive code paragraphs: Word users often write one per line
        # paragraphs that are only links, with a "Table of Contents" label above them, held until it is
        # known whether they are a listing (a contents list, an index, a menu) or a few links in the text
        self.held: list[tuple[BlockKind, str, int, bool]] = []
        self.link_blocks: set[int] = set()  # the builder's blocks that are only a link (to a place, or out)

    def read(self, body: etree._Element) -> TextBuilder:
        stack = list(reversed(body))
        while stack:
            el = stack.pop()
            tag = el.tag
            if tag == W + "p":
                self._paragraph(el)
            elif tag == W + "tbl":
                self._table(el)
            elif tag == W + "sdt" and not _is_table_of_contents(el):
                stack.extend(reversed(el.findall(W + "sdtContent/*")))
            elif tag in (W + "customXml", W + "ins", W + "smartTag"):
                stack.extend(reversed(el))
        self._end_code()
        self._release()
        self._drop_navigation_boxes()
        return self.builder

    def _drop_navigation_boxes(self) -> None:
        """Leave out each heading over nothing but links (and headings), with what is under it: a web page's
        sidebar that pandoc wrote out under its own titles (Sphinx's "Navigation", "Previous
        topic", "This Page" and its "Show Source" link, "Quick search" whose form has no text), which had
        been offered as angles ("See Also › Navigation") and quoted as answers."""
        blocks, text, dropped = self.builder.blocks, self.builder.text, set()
        titles = {text[b.start:b.end] for b in blocks if b.kind == "heading"}

        def navigates(j: int) -> bool:
            """A link, an item naming a heading (the breadcrumb's own page, "borg init", is no link), or the page's
            footer under the last box ("© Copyright 2010–2023, CZ.NIC. Created using Sphinx 5.3.0.")."""
            said = text[blocks[j].start:blocks[j].end]
            return blocks[j].kind == "heading" or j in self.link_blocks \
                or (blocks[j].kind == "list_item" and _LIST_NUMBER.sub("", said) in titles) \
                or (j == len(blocks) - 1 and bool(_COPYRIGHT.match(said)))

        end_of: dict[int, int] = {}  # a heading's block -> the block where its section ends
        open_headings: list[int] = []
        for j, block in enumerate(blocks):
            if block.kind == "heading":
                while open_headings and blocks[open_headings[-1]].level >= block.level:
                    end_of[open_headings.pop()] = j
                open_headings.append(j)
        end_of.update((i, len(blocks)) for i in open_headings)

        headings = sorted(end_of)
        for i in headings:
            under = range(i + 1, end_of[i])
            if i not in dropped and any(blocks[j].kind != "heading" for j in under) and all(map(navigates, under)):
                dropped.update(range(i, under.stop))
        # a title over nothing beside such a box is one of them ("Quick search", whose form has no text; the
        # page's <title> over the "Navigation" box); a document's Title over its first chapter stays
        for i in headings + headings[::-1]:
            if end_of[i] == i + 1 and (i - 1 in dropped or i + 1 in dropped):
                dropped.add(i)
        self.builder.blocks = [block for i, block in enumerate(blocks) if i not in dropped]

    def _paragraph(self, p: etree._Element) -> None:
        ppr = p.find(W + "pPr")
        style_el = ppr.find(W + "pStyle") if ppr is not None else None
        style = self.styles.get(style_el.get(W + "val") if style_el is not None else None)
        if any(_TOC_STYLE.match(name) for name in style.names):
            return
        kind, level = _kind_of(ppr, style)
        number = self.list_numbers.label(ppr)  # counted for every numbered paragraph, as Word counts them
        parts = _text_parts(p, self._is_place)
        text = "".join(piece for piece, _ in parts)
        if kind == "code":
            text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        else:
            text = " ".join(text.split())
        if not text.strip() or (kind == "paragraph" and (is_navigation_text(text) or is_page_date_line(text)
                                                         or is_figure_caption(text) or is_box_label(text)
                                                         or _is_link_bar(p))):
            return
        if kind == "code":
            self._release()
            self.code_lines.append(text)
            return
        self._end_code()
        if number and kind == "list_item":
            text = f"{number} {text}"
        is_link = kind in ("paragraph", "list_item") and _share_linked(parts) >= LINK_ONLY
        if is_link and kind == "paragraph" and is_navigation_word(text):
            return  # a converted web page's "Prev" / "Next" link, on a line of its own
        if is_link or (kind == "paragraph" and not self.held and _CONTENTS_LABEL.match(text)):
            self.held.append((kind, text, level, is_link))
            return
        self._release()
        if repeats_heading(self.last_kind, self.last_text, kind, text) or self._repeats_the_title(kind, text):
            return
        numbering = heading_numbering(text) if kind == "heading" else ""
        # a link out on a line of its own ("CMake »" to the project's site, in a page's breadcrumb) is text
        # here, but no more than a link under a heading over links (_drop_navigation_boxes)
        links_out = kind in ("paragraph", "list_item") and p.find(f".//{W}hyperlink") is not None \
            and _share_linked(_text_parts(p)) >= LINK_ONLY  # (most paragraphs hold no link: not walked again)
        self._add(kind, text, level=level, numbering=numbering, linked=links_out)
        if kind == "heading" and not self.first_heading:
            self.first_heading = text
        elif self.first_heading:
            self.words_after_first_heading += len(text.split())

    def _repeats_the_title(self, kind: BlockKind, text: str) -> bool:
        """The page's first heading again after only a few words (pandoc writes a web page's <title> as the
        Word Title, then the page's banner links, then its <h1>): a second copy of the same section."""
        return kind == "heading" and text == self.first_heading and \
            self.words_after_first_heading < _FEW_WORDS_BEFORE_REPEAT

    def _add(self, kind: BlockKind, text: str, level: int = 0, numbering: str = "", linked: bool = False) -> None:
        count = len(self.builder.blocks)
        self.builder.add(kind, text, level=level, numbering=numbering)
        if linked and len(self.builder.blocks) > count:
            self.link_blocks.add(count)
        self.last_kind, self.last_text = kind, text

    def _is_place(self, link: etree._Element) -> bool:
        """A link to a place in this document (a bookmark) or beside it (a relative target such as
        "ch02.html#foo", as a converted manual keeps them), not to the web: contents and indexes link
        to places; a table of packages links each name to its web page."""
        if link.get(W + "anchor"):
            return True
        relationship = self.relationships.get(link.get(_R_ID) or "")
        if relationship is None:
            return False
        return not _URL_SCHEME.match(getattr(relationship, "target_ref", ""))  # "" (href="#"): this page

    def _release(self) -> None:
        """Write the held paragraphs, unless they are a listing of links: a table of contents a converter
        wrote as plain paragraphs (pandoc from a manual's HTML), an index, a menu."""
        held, self.held = self.held, []
        links = sum(is_link for *_, is_link in held)
        labelled = bool(held) and not held[0][3] and _CONTENTS_LABEL.match(held[0][1])
        if links >= LISTING_LINKS or (labelled and links):  # a chapter's own contents may list one or two
            return
        for kind, text, level, is_link in held:
            self._add(kind, text, level=level, linked=is_link)

    def _cell_blocks(self, cell: etree._Element) -> None:
        """A layout cell's paragraphs and tables as blocks of the body; an image's stand-in ("[Note]") is
        not text."""
        for el in cell:
            if el.tag == W + "tbl":
                self._table(el)
            elif el.tag == W + "p" and not _IMAGE_STAND_IN.fullmatch(paragraph_text(el).strip()):
                self._paragraph(el)
        self._end_code()
        self._release()

    def _end_code(self) -> None:
        if self.code_lines:
            self._add("code", "\n".join(self.code_lines))
            self.code_lines = []

    def _table(self, table: etree._Element) -> None:
        self._end_code()
        self._release()
        rows = _rows(table)
        links = sum(map(self._is_place, table.iter(W + "hyperlink")))
        if links >= LISTING_LINKS and \
                sum(_link_share(row, self._is_place) >= 0.5 for row in rows) >= LINKED_ROWS * len(rows):
            return  # an index, a contents table, a "Jump to: A B C" bar: entries that are links to places
        if self._is_navigation(table, rows):
            return  # "Chapter 6 … / Prev | Next" above a converted web page, "Prev | Home | Next" below it
        if _is_layout_table(rows):
            for cell in (cell for row in rows for cell in _cells(row)):
                self._cell_blocks(cell)
            return
        grid = [[" ".join(_cell_text(cell).split()) for cell in _cells(row) if not _continues_merge(cell)]
                for row in rows]
        for cells in _without_spacer_columns(grid):
            self._add("table_row", row_text(cells))

    def _is_navigation(self, table: etree._Element, rows: list[etree._Element]) -> bool:
        """A small table holding a link to a neighbouring page named only "Prev", "Next", "Up" or "Home"."""
        if len(rows) > NAVIGATION_ROWS:
            return False
        return any(self._is_place(link) and is_navigation_word(" ".join(paragraph_text(link).split()))
                   for link in table.iter(W + "hyperlink"))


def _kind_of(ppr: etree._Element | None, style: _Style) -> tuple[BlockKind, int]:
    """Heading by style name ("Title", "Heading N") or outline level; list item by numbering or a List style;
    code by a code-like style; else a paragraph."""
    for name in style.names:
        if name == "title":
            return "heading", 1
        match = _HEADING_STYLE.match(name)
        if match:
            return "heading", int(match.group(1))
    outline = _int_val(ppr.find(W + "outlineLvl")) if ppr is not None else None
    if outline is None:
        outline = style.outline_level
    if outline is not None and 0 <= outline <= 8:
        return "heading", outline + 1
    if any(_CODE_STYLE.search(name) for name in style.names):
        return "code", 0  # a listing inside a list item (pandoc numbers it with the item) keeps its lines
    list_level = _list_level(ppr, style)
    if list_level:
        return "list_item", list_level
    return "paragraph", 0


def _list_level(ppr: etree._Element | None, style: _Style) -> int:
    """1 for a top-level list paragraph, 2 for one nested in it, ...; 0 when it is not in a list.
    The paragraph's own numbering level wins, then the number in a style name like "List Bullet 2"
    (whose numbering definition is usually at level 0, indented further), then the style's numbering."""
    own = _numbering_level(ppr) if ppr is not None else None
    if own is not None:
        return own + 1
    for name in style.names:
        match = _LIST_STYLE.match(name)
        if match:
            return int(match.group(1) or 1)
    return style.list_level + 1 if style.list_level is not None else 0


def _is_table_of_contents(sdt: etree._Element) -> bool:
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in gallery.get(W + "val", "").lower()


def _is_layout_table(rows: list[etree._Element]) -> bool:
    """A table that lays out blocks (a DocBook Note box as pandoc writes it: "[Note] | Note" over a cell of
    paragraphs), not data: at most one row with two cells of text, and a cell holding paragraphs."""
    with_two = 0
    for row in rows:  # a data table shows itself in its first rows: stop reading there
        with_two += sum(bool(_cell_text(c).strip()) for c in _cells(row)) >= 2
        if with_two > 1:
            return False
    return any(sum(bool(paragraph_text(p).strip()) for p in cell.iter(W + "p")) >= 2
               for row in rows for cell in _cells(row))


def _without_spacer_columns(grid: list[list[str]]) -> list[list[str]]:
    """The rows without the columns empty in every row: groff's gutters, kept by pandoc from a manual page's
    HTML ("hourly |  | Log files are rotated every hour"), not a data column left blank in some rows."""
    if len({len(cells) for cells in grid}) != 1:
        return grid  # merged cells: the columns do not line up, so none is dropped
    empty = {i for i in range(len(grid[0])) if not any(cells[i] for cells in grid)}
    return [[cell for i, cell in enumerate(cells) if i not in empty] for cells in grid] if empty else grid


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, also those wrapped in content controls, not those of tables in its cells."""
    return _children_through_wrappers(table, W + "tr")


def _cells(row: etree._Element) -> list[etree._Element]:
    return _children_through_wrappers(row, W + "tc")


def _children_through_wrappers(parent: etree._Element, tag: str) -> list[etree._Element]:
    """Children with `tag`, looking through content controls and custom XML wrapped around them."""
    found: list[etree._Element] = []
    stack = list(reversed(parent))
    while stack:
        el = stack.pop()
        if el.tag == tag:
            found.append(el)
        elif el.tag == W + "sdt":
            stack.extend(reversed(el.findall(W + "sdtContent/*")))
        elif el.tag == W + "customXml":
            stack.extend(reversed(el))
    return found


def _continues_merge(cell: etree._Element) -> bool:
    """A cell under a vertically merged one: Word shows the merged cell's text once, in the first row."""
    v_merge = cell.find(f"{W}tcPr/{W}vMerge")
    return v_merge is not None and v_merge.get(W + "val", "continue") == "continue"


def _cell_text(cell: etree._Element) -> str:
    """All paragraphs of the cell, nested tables' too, one after another."""
    return " ".join(paragraph_text(p) for p in cell.iter(W + "p"))


# ---------------------------------------------------------------- opening

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _open(path: Path) -> WordDocument:
    """The Word document, or Unreadable saying in a few words what the file is instead."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise Unreadable(f"it could not be opened ({exc.strerror or exc})") from exc
    if not is_zip:
        if head.startswith(_OLE_MAGIC):
            raise Unreadable("it is not a Word document: it is an old-style .doc file (save it as .docx)")
        if head.startswith(b"PK"):
            raise Unreadable("it is not a Word document: the file is damaged or truncated")
        raise Unreadable("it is not a Word document: it is not a zip package")
    _refuse_zip_bomb(path)
    try:
        return docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise Unreadable("it is not a Word document: the package has no Word document in it") from exc
    except KeyError as exc:  # a zip without [Content_Types].xml or without the part it names
        raise Unreadable("it is not a Word document: the zip archive has no Word document in it") from exc
    except ValueError as exc:  # python-docx: "file '...' is not a Word file, content type is '...'"
        raise Unreadable(f"it is not a Word document: {_short(exc)}") from exc
    except Exception as exc:  # zlib, struct, XML and zip errors of a damaged package
        raise Unreadable(f"it is not a Word document: the file is damaged ({_short(exc)})") from exc


def _refuse_zip_bomb(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            largest = max((info.file_size for info in archive.infolist()), default=0)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable("it is not a Word document: the file is damaged or truncated") from exc
    if largest > MAX_PART_BYTES:
        raise Unreadable(f"it is too large to read (a part unpacks to {largest // 1_000_000} MB)")


def _short(exc: Exception) -> str:
    """An exception in a few words: python-docx's wrong-content-type message made plain, else its text."""
    text = " ".join(str(exc).split())
    if "content type is" in text:
        return "it is another kind of Office file (" + text.rsplit("content type is", 1)[1].strip(" '\"") + ")"
    return text[:100] or type(exc).__name__


def read_docx(path: Path, doc_id: str) -> Document:
    """Read a .docx file's body as blocks. Raises Unreadable with a reason when it cannot."""
    document = _open(path)
    try:
        reader = _BodyReader(document)
        builder = reader.read(document.element.body)
        title = (document.core_properties.title or "").strip() or reader.first_heading
    except Exception as exc:  # a package that opened but whose XML is not what Word writes
        raise Unreadable(f"it is not a Word document: its content is damaged ({type(exc).__name__})") from exc
    if not builder.blocks:
        raise Unreadable("it has no readable text")
    return builder.document(doc_id, title, "docx")
