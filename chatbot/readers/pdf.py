"""PDF: the text layer, in reading order, as headings, paragraphs, list items, table rows and code, with the
offset where each page starts.

Built on pypdfium2 (PDFium) through its raw API, which gives each character's text object, position, font
size and font; see docs/readers-pdf.md for why this library. The steps:

1. Characters -> runs (the characters of one PDF text object) -> lines (runs on one baseline, left to
   right), each with its position, font size, and whether it is bold or monospaced.
2. Running headers and footers are dropped: a line at the top or bottom of many pages that reads the same
   once digits are set aside ("Debian Reference  32 / 233"), or that is only a page number.
3. Tables of contents are dropped: dot leaders, outline titles followed by a page number, and pages titled
   "Contents" or "List of Tables".
4. Headings come from the outline (bookmarks), each matched to its line on its target page; lines not in
   the outline are headings when numbered and bold, or in a clearly larger font.
5. Lines become blocks: paragraphs reflowed (hyphenation at line ends undone), list items, table rows
   (cells joined with " | "), code (line breaks kept). A block that runs over a page break is carried on
   with TextBuilder.extend_last, so `Document.pages` says where each part of it is.
"""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..records import BlockKind, Document
from ..text import is_english_word
from . import TextBuilder, Unreadable, first_heading_title, is_figure_caption, title_parts, words_of
from .code_lines import reads_as_code
from .gropdf_shifts import object_key, page_objects

# PDFium's own calls, declared to take and return plain addresses: comparing two characters' text objects
# is then an integer comparison, with none of the ctypes pointer objects made per character.
_VOIDP_INT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_VOIDP_VOIDP = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)


def _address_call(function: object, prototype: type) -> object:
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


_text_object_of_char = _address_call(pdfium_c.FPDFText_GetTextObject, _VOIDP_INT)
_font_of_text_object = _address_call(pdfium_c.FPDFTextObj_GetFont, _VOIDP_VOIDP)

_FIXED_PITCH = 1  # PDF font descriptor flags
_FORCE_BOLD = 1 << 18
# (URW's Courier is NimbusMonL or NimbusMono, which pdfTeX does not mark fixed-pitch: dblatex's PDFs)
_MONO_FONT = re.compile(r"mono|nimbusmon|courier|consol|menlo|typewriter|inconsolata|sourcecode|code|cousine|"
                        r"^(?:cm|sf|ec|tx|lm|pcr|ptm)tt|^[a-z]*tt\d", re.IGNORECASE)
# Fonts whose glyphs are drawing, not letters: music (LilyPond's Emmentaler sets a note head as "h", a rest
# as "P"), dingbats. Their "text" made headings such as "ª h h h" of every example.
_DRAWING_FONT = re.compile(r"emmentaler|feta|bravura|leland|petaluma|musisync|maestro|sonata|"
                           r"wingdings|webdings|dingbats", re.IGNORECASE)
# a face named roman ("Times-Roman") is never bold; "…-Regular" may be, as a browser's synthetic bold of it
_REGULAR_FONT = re.compile(r"roman$", re.IGNORECASE)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|^cmbx|^sfbx|^ecbx|^lmbx|-bd|,bd", re.IGNORECASE)

# Characters as PDFs give them -> as a reader wants them. U+FFFE and U+0002 are what PDFium and some
# producers give for a hyphen at a line end. Soft hyphens (U+00AD) stay until lines are joined (_reflow).
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_CHAR_FIXES = str.maketrans({
    **_LIGATURES,
    "\ufffe": "-", "\x02": "-",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
    "\u200b": None, "\ufeff": None, "\u200c": None, "\u200d": None,
    "\ufffd": None,  # a glyph the font maps to no character (a web page's printed permalink icon): no text
    **{chr(c): None for c in range(0x20) if c not in (0x02, 0x09)},
    "\t": " ",
})

_NEEDS_CLEANING = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_FIXES)) + "]")

_BULLETS = "•◦▪▫‣∙●○■□►▸➢✓✔–—-*·"
_BULLET_ITEM = re.compile(rf"^([{re.escape(_BULLETS)}])\s+(?=\S)")
_GLYPH_BULLET = re.compile(r"^[•◦▪▫‣∙●○■□►▸➢✓✔·]\s")  # never a wrapped line's start, unlike "-" or "2."
_ENTRY_NUMBER = re.compile(r"\(\d{1,3}\)\s")  # an FAQ's numbered entry: "(19) INSERT is really slow …"
_MAX_HEADING_WORDS = 16  # a heading's line holds at most this many words (twice as many, numbered and set apart)
_NUMBERED_ITEM = re.compile(r"^(\(?(?:\d{1,2}|[a-z])[.)])\s+(?=\S)")
_HEADING_NUMBER = re.compile(
    r"^(?:(?P<word>chapter|appendix|part|section)\s+(?P<wnum>[0-9]{1,3}|[A-Z]|[IVXLC]{1,6})\b[.:]?"
    r"|(?P<num>(?:\d{1,3}|[A-Z])(?:\.\d{1,3})+\.?|\d{1,3}\.?))(?:\s+|$)", re.IGNORECASE)
LARGER = 1.15  # a line in a font this much above the body's is set large: a heading, or a title page's lines
_CHAPTER_LINE = re.compile(r"^(chapter|appendix|part)\s+([0-9]{1,3}|[A-Z]|[IVXLC]{1,6})\.?$", re.IGNORECASE)
# Dot leaders: four dots or more, or spaced dots before a page number. Three spaced dots alone are LaTeX's
# ellipsis (". . .") inside a sentence, not a leader.
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}|(?:\.|\s\.){2,}\s*(?:\d{1,4}|[ivxlcdm]{1,6})\s*$", re.IGNORECASE)
# ... and leaders that run to the page number: a line with a few dots inside a sentence has none
_LEADER_TO_PAGE = re.compile(r"(?:\.\s?){2,}\s*(?:\d{1,4}|[ivxlcdm]{1,6})\s*$|…+\s*\d{1,4}\s*$", re.IGNORECASE)
# a back-of-book index's entry: a term, then the pages it is on ("strptime, 39, 57, 152, 221", "tm hour, 39")
_INDEX_ENTRY = re.compile(r"^[^\s,][^,]{0,60},\s*\d{1,4}(?:[-–]\d{1,4})?(?:,\s*\d{1,4}(?:[-–]\d{1,4})?)*$")
INDEX_SHARE = 0.6  # of a page's lines that make it an index page
_TRAILING_PAGE_NUMBER = re.compile(r"^(?P<entry>.*?\S)[\s.]+(?P<page>\d{1,4}|[ivxlcdm]{1,7})$", re.IGNORECASE)
_CONTENTS_TITLE = re.compile(
    r"^(?:table of contents|contents|list of (?:tables|figures|examples|listings|illustrations)|index)$",
    re.IGNORECASE)
_PAGE_NUMBER_ONLY = re.compile(r"^(?:page\s*)?#(?:\s*(?:/|of)\s*#)?$|^[-–—]\s*#\s*[-–—]$|^#$")
_ADMONITION = re.compile(r"^(?:note|tip|warning|caution|important|hint|attention|danger)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:][”’\"')\]]*$")
_URL_BROKEN_AT_END = re.compile(r"(?:https?://|www\.)\S*[./\-_#?=&]$|https?://$")
# a path broken after a slash ("/usr/share/doc/" + "PACKAGE/copyright."); its head and its tail, punctuation
# around them left out
_PATH_BROKEN_AT_END = re.compile(r"[\w.~-]/$")
_PATH_HEAD_CHARS = r"[^\s(\[{\"'“‘<]*"  # a path's characters, an opening bracket or quote before it left out
_PATH_TAIL_CHARS = r"[^\s)\]}\"'”’>,;:]*"  # ... and a closing one or punctuation after it
_PATH_HEAD = re.compile(_PATH_HEAD_CHARS + "$")
_PATH_TAIL = re.compile(_PATH_TAIL_CHARS)
_PATH_WORD = re.compile(_PATH_HEAD_CHARS + "/" + _PATH_TAIL_CHARS)  # as _vocabulary counts paths
# "… see http://www.gnu.org/copyleft/." + "Each version …": the address ended with its sentence
_SENTENCE_AFTER_ADDRESS = re.compile(r"\.[A-Z][a-z]")
# TeX may break a code name after an underscore ("foo_" + "set_key"): the name is one word again
_NAME_BROKEN_AT_END = re.compile(r"[^\W_]_$")
_SOFT_HYPHEN_AT_END = re.compile(r"\u00ad[-\u2010\u2011]?$")
_WORD_HYPHEN_AT_END = re.compile(r"[^\W_][-\u2010\u2011]$")
_HYPHENATED_PREFIXES = frozenset({"non", "self", "well", "cross", "half", "built"})  # "non-" + "root" keeps it
_COMPOUND_TAILS = frozenset(
    "based time like related specific level side free wide aware friendly oriented compatible dependent "
    "independent safe style only defined made built end ended line mode size type way".split())
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_WORD_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


_OutlineEntry = tuple[str, int, int, float | None]  # title, level from 1, page index, top of its view


@dataclass(slots=True)
class _Run:
    """The characters of one PDF text object: one font, one baseline."""

    text: str
    x0: float  # left edge of the first glyph; for monospaced text, where its cell starts
    x1: float  # right edge of the last glyph; for monospaced text, where its cell ends
    y: float  # baseline
    size: float
    bold: bool
    mono: bool
    spaced: bool  # PDFium put a space (or line break) before it


@dataclass(slots=True)
class _Line:
    page: int  # 0-based
    runs: list[_Run]
    text: str
    cells: list[tuple[float, str]]  # (left edge, text) of the parts split by wide gaps
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    mono: bool
    advance: float  # width of a character cell, for monospaced text
    dropped: bool = False
    heading: tuple[int, str] | None = None  # (level, numbering) on a heading's first line
    heading_more: bool = False  # a heading's second line
    in_note: bool = False  # a line of a footnote at the page's foot: placed with its section (_place_footnotes)
    draft: int = -1  # the block it went into (_assemble_blocks)
    run_right: float = 0.0  # right edge of the widest line in its run of lines set from its left edge (_set_runs)
    run_of_items: bool = False  # its run has a line broken early even for the run's width: a list (_set_runs)


@dataclass
class _Draft:
    """A block being assembled: its lines' texts, each with the page it is on."""

    kind: BlockKind
    level: int = 0
    numbering: str = ""
    parts: list[tuple[int, str]] = field(default_factory=list)  # (page, line text)
    x0: float = 0.0  # list item: where the text after the bullet starts; code: its left edge
    cells: dict[int, str] = field(default_factory=dict)  # table row: column -> text
    columns: list[float] = field(default_factory=list)  # table row: left edges of the table's columns
    note: bool = False  # a footnote, placed away from its page's flow (_place_footnotes)

    @property
    def joined(self) -> str:
        """Its lines' texts joined by spaces, as they read before reflowing."""
        return " ".join(text for _, text in self.parts)


@dataclass
class _Layout:
    """What the whole document tells about its lines: body font size, line pitch, margins."""

    body_size: float
    pitch: float
    left: float
    right: float
    # (left, right) margins of each column of text, left to right; one column: ((left, right),)
    columns: tuple[tuple[float, float], ...] = ()
    justified: bool = False  # JUSTIFIED_SHARE of the body's lines end at `right`: a justified column

    def margins(self, line: _Line) -> tuple[float, float]:
        """The left and right margins of the column the line stands in."""
        if len(self.columns) < 2:
            return self.left, self.right
        inside = [column for column in self.columns if column[0] <= line.x0 + 0.8 * self.body_size]
        return inside[-1] if inside else self.columns[0]


# ----------------------------------------------------------------------------------------------- reading


def read_pdf(path: Path, doc_id: str) -> Document:
    """Read a PDF's text layer into a Document. Raises Unreadable (and nothing else) when it is encrypted,
    damaged, not a PDF, or has no text at all; pages without text (scanned ones) are skipped."""
    pdf = _open(path)
    try:
        runs: list[list[_Run]] = []
        broken = 0
        gaps = _WordGaps()
        for index in range(len(pdf)):
            try:
                runs.append(_page_runs(pdf, index, gaps))
            except pdfium.PdfiumError:  # one unreadable page: read the others
                runs.append([])
                broken += 1
        if _made_by_gropdf(pdf):
            runs = _put_back(runs, page_objects(path, len(runs)))
        pages = [_lines(_late_runs_in_place(page), index) for index, page in enumerate(_without_overlays(runs))]
        if broken == len(pages):
            raise Unreadable("it is damaged or not a PDF: no page can be read")
        if not any(line.text for lines in pages for line in lines):
            raise Unreadable("it has no text layer (a scanned image?); OCR is not supported")
        outline = _outline(pdf)
        metadata_title = _metadata_title(pdf)
        return _build_document(pages, outline, metadata_title, doc_id, _typeset_by_groff(pdf))
    except Unreadable:
        raise
    except Exception as exc:  # the corpus skips an Unreadable file; any other error would stop a whole build
        raise Unreadable(f"it is damaged or not a PDF: {type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()


def _made_by_gropdf(pdf: pdfium.PdfDocument) -> bool:
    return pdf.get_metadata_value("Producer").startswith("gropdf")


def _typeset_by_groff(pdf: pdfium.PdfDocument) -> bool:
    """A manual page typeset by groff, made a PDF by gropdf or by Ghostscript from groff's PostScript."""
    return _made_by_gropdf(pdf) or pdf.get_metadata_value("Creator").startswith("groff")


# ------------------------------------------------------------------ groff's PDFs: words PDFium puts astray
#
# gropdf sets a justified line's word space as a kerning at the end of one TJ array, before an empty string;
# PDFium drops it, so the text up to the next Td stands one word space left of where it is printed: "If" runs
# into "use" ("Ifuse") and a word is split where the Td puts the rest back ("chr oot"). gropdf_shifts.py
# reads from the page's drawing commands which text objects stand how far left; _put_back moves them back.

SPACE_GAP = 0.15  # a gap of this many ems between two runs of one line is a word space (gropdf's are ~0.25)
MIN_SHIFT = 0.05  # a kerning PDFium dropped shorter than this (in ems) changes no spacing
ALIGN_WINDOW = 4  # a run is matched with one of the page's next few drawn objects


def _put_back(pages: list[list[_Run]], drawn: list[list[tuple[str, float]]] | None) -> list[list[_Run]]:
    """Each page's runs with those PDFium set left of their place (gropdf_shifts) moved back, and the spaces
    between runs of a line read again from where they now stand: "an" + "initr" + "d" reads "an initrd".
    A run is matched with the page's next drawn objects by its first letters; one matched with none stays."""
    if drawn is None:
        return pages
    out = []
    for page, objects in zip(pages, drawn, strict=True):
        runs, at, moved = list(page), 0, False
        for i, run in enumerate(runs):
            key = object_key(run.text)
            match = next((j for j in range(at, min(at + ALIGN_WINDOW, len(objects))) if objects[j][0] == key), None)
            if match is None:
                continue
            at, shift = match + 1, objects[match][1]
            moves = shift >= MIN_SHIFT * run.size
            if moves:
                run = runs[i] = replace(run, x0=run.x0 + shift, x1=run.x1 + shift)
            if i and _same_line(runs[i - 1], run) and (moved or moves):
                # the space PDFium made up (or not) from where it set the runs, read again from where they stand
                gap = run.x0 - runs[i - 1].x1 > SPACE_GAP * max(runs[i - 1].size, run.size)
                runs[i] = replace(run, spaced=gap)
            moved = moves
        out.append(runs)
    return out


def _same_line(before: _Run, run: _Run) -> bool:
    return not (before.mono or run.mono) and abs(before.y - run.y) <= 0.3 * max(before.size, run.size) \
        and before.x0 < run.x0


def _code_padding(before: _Run, run: _Run, gap: float) -> bool:
    """The gap beside a code span is its box's padding, no word space, where punctuation closes the sentence
    right after it or a bracket opens right before it (a browser's print of "run <code>make uninstall</code>."):
    "make uninstall.", not "make uninstall .", and "(--version)", not "( --version)"."""
    if gap >= 0.6 * max(before.size, run.size):
        return False
    return (before.mono and not run.mono and run.text[:1] in _CLOSING_PUNCTUATION) or (
        run.mono and not before.mono and before.text[-1:] in _OPENING_BRACKETS)


_CLOSING_PUNCTUATION = frozenset(".,;:!?)]")
_OPENING_BRACKETS = frozenset("([")


def _spaced(before: _Run, run: _Run) -> bool:
    """Whether the line reads a space between the two runs (as _make_line decides)."""
    return run.spaced or run.x0 - before.x1 > 0.25 * max(before.size, run.size)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from exc
    if b"%PDF-" not in head:
        raise Unreadable("it is damaged or not a PDF: it does not start with a PDF header")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise Unreadable("it is encrypted (password protected)") from exc
        reason = {pdfium_c.FPDF_ERR_FILE: "the file cannot be opened",
                  pdfium_c.FPDF_ERR_FORMAT: "its structure is broken (truncated?)"}.get(exc.err_code, str(exc))
        raise Unreadable(f"it is damaged or not a PDF: {reason}") from exc


def _metadata_title(pdf: pdfium.PdfDocument) -> str:
    return _clean(pdf.get_metadata_value("Title")).strip()


def _build_document(pages: list[list[_Line]], outline: list[_OutlineEntry],
                    metadata_title: str, doc_id: str, manual_page: bool = False) -> Document:
    layout = _measure_layout(pages)
    _drop_running_lines(pages)
    _drop_page_furniture(pages)
    _drop_margin_notes(pages, layout)
    _drop_contents(pages, outline)
    _drop_repeated_contents(pages)
    _drop_admonition_labels(pages)
    _drop_navigation_words(pages)
    _unsplit_lone_rows(pages)
    matched = _mark_outline_headings(pages, outline)
    _mark_font_headings(pages, layout, outline_used=matched > 0, title=metadata_title)
    vocabulary = _vocabulary(pages)
    notes = _find_footnotes(pages, layout)
    _unsplit_lone_rows(pages)  # again: a footnote mark taken out leaves a justified line one cell, its neighbour alone
    drafts = _without_contents_lines(_captions_as_paragraphs(_place_footnotes(_assemble_blocks(pages, layout), notes)))
    drafts = _commands_as_code(_chapter_numbers_in_words(drafts))
    if manual_page:
        _tagged_paragraphs(drafts, vocabulary)
    builder = TextBuilder()
    _emit(builder, drafts, len(pages), vocabulary)
    return builder.document(doc_id, metadata_title or first_heading_title(builder.text, builder.blocks), "pdf")


# ----------------------------------------------------------------------------- characters, runs and lines


def _page_runs(pdf: pdfium.PdfDocument, index: int, gaps: _WordGaps | None = None) -> list[_Run]:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return _with_underscores(_runs(textpage, gaps), _short_rules(page))
        finally:
            textpage.close()
    finally:
        page.close()


WORD_GAP = 0.15  # ems between two glyphs' advance boxes, inside one text object, that read as a word space
TOUCHING = 0.02  # ems: two glyphs' advance boxes this close, or overlapping, have no word space between them
GAP_SAMPLE_PAGES = 3  # pages with text read glyph by glyph before a document is trusted to space its words


class _WordGaps:
    """Word spaces a text object leaves out. Ghostscript's PDFs of groff (ps2pdf) set a justified line as one
    text object whose words are placed apart with no space character between some of them, and PDFium
    makes none up: "they largely" read "theylargely". Reading every glyph's box costs about a microsecond a
    character, so it is done on a document's first pages with text, and on all of them only where those
    showed such a gap."""

    def __init__(self) -> None:
        self.pages = self.found = 0
        self._rect = pdfium_c.FS_RECTF()

    @property
    def active(self) -> bool:
        return self.found > 0 or self.pages < GAP_SAMPLE_PAGES

    def spaced(self, raw: pdfium_c.FPDF_TEXTPAGE, text: str, start: int, size: float, mono: bool = False) -> str:
        """`text` (the characters from `start` on) with a space wherever a glyph stands a word space further
        from the one before it than the text's letters usually stand apart (0, or a tracked title's spacing:
        "A GNU MANUAL" is not "A G N U M A N U A L"); in monospaced text, a space for each empty cell ("$" and
        "btrfs" a cell apart read "$ btrfs"). A space between two glyphs that touch or overlap is none: PDFium
        makes one up between kerned capitals ("AV AILABILITY")."""
        glyphs: list[tuple[int, float, float]] = []  # (index in text, left, right) of each glyph
        for i, ch in enumerate(text):
            if not ch.isspace():
                pdfium_c.FPDFText_GetLooseCharBox(raw, start + i, self._rect)
                glyphs.append((i, self._rect.left, self._rect.right))
        if len(glyphs) < 2:
            return text
        pairs = list(zip(glyphs, glyphs[1:], strict=False))
        joined = [b[1] - a[2] for a, b in pairs if b[0] == a[0] + 1]  # gaps between glyphs with no space
        usual = max(0.0, statistics.median(joined)) if len(joined) >= 3 else 0.0
        cell = statistics.median(right - left for _, left, right in glyphs) if mono else 0.0
        out, changed = [text[:glyphs[0][0] + 1]], 0
        for (i, _, right), (j, left, _) in pairs:
            gap = left - right
            between = text[i + 1:j]
            if not between and mono and cell > 0 and gap > 0.5 * cell:
                between, changed = " " * round(gap / cell), changed + 1
            elif not between and not mono and gap > usual + WORD_GAP * size:
                between, changed = " ", changed + 1
            elif between.strip(" ") == "" and between and gap < TOUCHING * size:
                between, changed = "", changed + 1
            out.append(between + text[j])
        out.append(text[glyphs[-1][0] + 1:])
        if not changed:
            return text
        self.found += changed
        return "".join(out)

    def page_read(self, had_text: bool) -> None:
        self.pages += had_text


UNDERSCORE_HEIGHT = 1.5  # points: TeX draws an underscore as a rule about 0.4 pt thick and 0.3 em wide
UNDERSCORE_WIDTH = (0.15, 0.8)  # of the font size: narrower is a dot, wider a line under words


def _short_rules(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """(left, right, bottom, top) of the short thin lines the page draws as paths, with the raw API: a
    page may hold thousands of objects, and wrapping each in Python costs more than reading its text."""
    raw = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rules = []
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH \
                or not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if top.value - bottom.value < UNDERSCORE_HEIGHT and 0 < right.value - left.value < 12:
            rules.append((left.value, right.value, bottom.value, top.value))
    return rules


def _with_underscores(runs: list[_Run], rules: list[tuple[float, float, float, float]]) -> list[_Run]:
    """The runs with an underscore where TeX drew one as a rule after a word's letters (LaTeX's underscore
    command, and a reference card's typewriter names): "unwind_protect" and "QUILT_PATCHES" had read "unwind
    protect" and "QUILT PATCHES", as pdftotext reads them too. The rule crosses the baseline between the two
    words' letters."""
    if not rules:
        return runs
    out = list(runs)
    for x0, x1, bottom, top in rules:
        for k, run in enumerate(out):
            size = run.size
            if not (UNDERSCORE_WIDTH[0] * size <= x1 - x0 <= UNDERSCORE_WIDTH[1] * size) \
                    or not run.text[-1:].isalnum() or not -0.1 * size <= x0 - run.x1 <= 0.3 * size \
                    or not (run.y <= top <= run.y + 0.15 * size and bottom <= run.y):
                # (on the baseline, as TeX sets it: a link's underline, as a browser prints one, is under it)
                continue
            line = [r for r in out if abs(r.y - run.y) < 0.1 * size]
            after = min((r for r in line if r.x0 >= x1 - 0.1 * size), key=lambda r: r.x0, default=None)
            under_a_glyph = any(r.x0 < x1 - 0.1 * size and r.x1 > x0 + 0.1 * size for r in line)
            if after is None or after.x0 - x1 > 0.3 * size or not after.text[:1].isalnum() or under_a_glyph:
                break  # a link's underline, or a rule at a word's end: not between two words' letters
            after.spaced = False  # PDFium saw the gap the rule fills: no space there
            out.insert(k + 1, _Run("_", x0, x1, run.y, size, run.bold, run.mono, False))
            break
    return out


def _without_overlays(pages: list[list[_Run]]) -> list[list[_Run]]:
    """Text a browser prints at one fixed spot of every page (a "Download the ebook" banner the site pins to
    the window) is drawn after the page's own text, and put back in its place it lands on whatever line is
    there, inside its sentences and even its words ("time s Download the ebook ources"). A run of a few words
    drawn out of the reading order at the very same spot of (nearly) every page is no text of the document;
    the same words where the text flows there (a code block opening every page) are."""
    def spot(run: _Run) -> tuple[str, int, int]:
        return run.text.strip(), round(run.x0), round(run.y)

    written = sum(1 for page in pages if page)
    found = Counter(key for page in pages for key in {spot(r) for r in page if len(r.text.split()) >= OVERLAY_WORDS})
    late = Counter(key for page in pages for key in {spot(run) for previous, run in zip(page, page[1:], strict=False)
                                                     if _back_up(previous, run) and found[spot(run)] > 1})
    overlays = {key for key, n in late.items() if n >= 2 and found[key] >= OVERLAY_SHARE * written}
    return [[r for r in page if spot(r) not in overlays] for page in pages] if overlays else pages


OVERLAY_WORDS = 2  # a run of this many words at least,
OVERLAY_SHARE = 0.8  # at one spot on this share of the pages (two at least) may be a browser's pinned banner
FURNITURE_PAGES = 3  # a line at one spot on this many pages at least, and on
FURNITURE_SHARE = 0.5  # this share of the pages, is the page's furniture, not the document's text
SMALL_PRINT = 0.85  # a header or footer this much smaller than the text beside it may stand closer to it
LATE_RUNS = 0.15  # at most this share of a page's text drawn after the rest are put back where they stand


def _late_runs_in_place(runs: list[_Run]) -> list[_Run]:
    """A page that reads top to bottom but draws a few runs last (a browser's fixed navigation bar, printed
    after the page body; a link's raised mark, after its line): those runs put back where they stand, by
    their height on the page, then from the left. Columns are left alone: a second column goes back up
    with half the page's runs, not a few."""
    down = 1
    while down < len(runs) and not _back_up(runs[down - 1], runs[down]):
        down += 1
    late = runs[down:]
    if not late or sum(len(r.text) for r in late) > LATE_RUNS * sum(len(r.text) for r in runs):
        return runs  # (by characters: a browser draws its header and footer a glyph a run)
    placed = runs[:down]
    for run in late:
        at = next((i for i, other in enumerate(placed) if other.y < run.y - 0.5 * max(run.size, other.size)
                   or (abs(other.y - run.y) <= 0.5 * max(run.size, other.size) and other.x0 > run.x0)),
                  len(placed))
        placed.insert(at, run)
    return placed


def _back_up(previous: _Run, run: _Run) -> bool:
    """Whether a run starts well above the last one (the next column, or a run drawn out of order), not
    just a line or two (a table's next cell beside a cell of two lines)."""
    return run.y > previous.y + 3 * max(run.size, previous.size)


def _runs(textpage: pdfium.PdfTextPage, gaps: _WordGaps | None = None) -> list[_Run]:
    """Split the page's characters where their text object changes. Characters PDFium made up (spaces
    and line breaks between objects) belong to no object and only end a run: positions decide spacing."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    text = _page_text(raw, count)
    address = ctypes.cast(raw, ctypes.c_void_p).value
    probe = _CharProbe(raw, gaps if gaps is not None and gaps.active else None)
    runs: list[_Run] = []
    start, current = 0, None
    for i in range(count):
        obj = _text_object_of_char(address, i)
        if obj != current:
            if current is not None:
                _add_run(runs, probe, text, start, i, current)
            start, current = i, obj
    if current is not None:
        _add_run(runs, probe, text, start, count, current)
    if gaps is not None:
        gaps.page_read(bool(runs))
    return runs


def _page_text(raw: pdfium_c.FPDF_TEXTPAGE, count: int) -> str:
    """All characters of the page at once, one str character per PDFium character."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    # Characters outside the BMP come as two UTF-16 units: ask character by character instead.
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))


class _CharProbe:
    """Asks PDFium about single characters of one text page, reusing its output variables."""

    def __init__(self, raw: pdfium_c.FPDF_TEXTPAGE, gaps: _WordGaps | None = None) -> None:
        self.raw = raw
        self.gaps = gaps  # set while the document's word spaces are read from glyph boxes
        self.left, self.right, self.bottom, self.top = (ctypes.c_double() for _ in range(4))
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.fonts: dict[int, tuple[bool, bool, bool]] = {}  # font handle -> (bold, monospaced, drawing)

    def origin(self, index: int) -> tuple[float, float]:
        pdfium_c.FPDFText_GetCharOrigin(self.raw, index, self.x, self.y)
        return self.x.value, self.y.value

    def box(self, index: int) -> tuple[float, float]:
        """Left and right edge of the glyph."""
        pdfium_c.FPDFText_GetCharBox(self.raw, index, self.left, self.right, self.bottom, self.top)
        return self.left.value, self.right.value

    def style(self, index: int, text_object: int) -> tuple[bool, bool, bool]:
        font = _font_of_text_object(text_object) or 0
        if font not in self.fonts:
            self.fonts[font] = _font_style(self.raw, index)
        return self.fonts[font]


def _add_run(runs: list[_Run], probe: _CharProbe, text: str, start: int, end: int, text_object: int) -> None:
    chunk = text[start:end]
    first = next((i for i, ch in enumerate(chunk) if not ch.isspace()), None)
    if first is None:
        return
    last = len(chunk) - 1 - next(i for i, ch in enumerate(reversed(chunk)) if not ch.isspace())
    a, b = start + first, start + last
    bold, mono, drawing = probe.style(a, text_object)
    if drawing:
        return
    size = pdfium_c.FPDFText_GetFontSize(probe.raw, a)
    size = size if size > 0 else 10.0
    first_x, y = probe.origin(a)
    if mono:  # glyphs sit inside wider cells: measure cells, so spaces between runs can be counted
        last_x = probe.origin(b)[0]
        advance = (last_x - first_x) / (b - a) if b > a else 0.6 * size
        x0, x1 = first_x, last_x + (advance if 0.3 * size < advance < 0.8 * size else 0.6 * size)
    else:
        x0 = probe.box(a)[0]
        x1 = max(probe.box(b)[1], x0)
    spaced = first > 0 or (start > 0 and text[start - 1].isspace())
    words = chunk[first:last + 1]
    if probe.gaps is not None and len(words) > 1:
        words = probe.gaps.spaced(probe.raw, words, a, size, mono)
    runs.append(_Run(words, x0, x1, y, size, bold, mono, spaced))


def _font_style(raw: pdfium_c.FPDF_TEXTPAGE, index: int) -> tuple[bool, bool, bool]:
    """(bold, monospaced, drawing) from the font's name, flags and weight."""
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int(0)
    pdfium_c.FPDFText_GetFontInfo(raw, index, buffer, len(buffer), flags)
    name = buffer.value.decode("latin-1", errors="replace").split("+", 1)[-1]
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    # a weight PDFium reads off the font program is not always right (Ghostscript's embedded Times-Roman reads
    # 695): a name that says the face is roman outweighs it
    bold = bool(_BOLD_FONT.search(name)) or bool(flags.value & _FORCE_BOLD) or (
        weight >= 600 and not _REGULAR_FONT.search(name))
    mono = bool(flags.value & _FIXED_PITCH) or bool(_MONO_FONT.search(name))
    return bold, mono, bool(_DRAWING_FONT.search(name))


def _lines(runs: list[_Run], page: int) -> list[_Line]:
    lines: list[_Line] = []
    current: list[_Run] = []
    for run in runs:
        if current and _starts_new_line(current, run):
            lines.append(_make_line(current, page))
            current = []
        current.append(run)
    if current:
        lines.append(_make_line(current, page))
    return lines


def _starts_new_line(current: list[_Run], run: _Run) -> bool:
    """A run further right on (nearly) the same baseline goes on the line: the first line of a table cell
    centred beside a two-line cell is a little above or below its row's baseline."""
    last = current[-1]
    size = max(last.size, run.size)
    if abs(run.y - current[0].y) > 0.75 * size and abs(run.y - last.y) > 0.75 * size:
        return True
    return run.x0 < last.x1 - 0.5 * size  # back to the left: the next line (or a column)


def _make_line(runs: list[_Run], page: int) -> _Line:
    runs = sorted(runs, key=lambda r: r.x0)
    # the line's size and baseline are its text's: the size most of its characters have (a raised footnote
    # number opening the line, set in a run of its own, is not the line), then the longest run of that size;
    # in a line of prose with code in it, the prose's size is the line's: code is often set smaller, and a
    # line mostly of code ("install foo/bullseye-backports or add …") would otherwise end its paragraph
    prose = [r for r in runs if not r.mono]
    mixed = len(prose) < len(runs) and sum(ch.isalnum() for r in prose for ch in r.text) >= 3
    chars_by_size: Counter[float] = Counter()
    for run in prose if mixed else runs:
        chars_by_size[round(run.size, 1)] += len(run.text)
    size = max(chars_by_size, key=lambda s: (chars_by_size[s], s))
    main = max((r for r in runs if round(r.size, 1) == size), key=lambda r: len(r.text))
    cells: list[tuple[float, str]] = []
    parts: list[str] = []
    cell_start = runs[0].x0
    all_mono = all(r.mono for r in runs)  # code: its wide gaps are alignment, not columns
    for previous, run in zip([None, *runs], runs, strict=False):
        if previous is not None:
            gap = run.x0 - previous.x1
            size = max(previous.size, run.size)
            # (a justified line stretches the space after a footnote's mark as any other: "packages:⁵  for")
            if gap > max(1.2 * size, 10.0) and not all_mono and not (_is_mark_run(previous, run) and gap < 3 * size):
                cells.append((cell_start, "".join(parts).strip()))
                parts, cell_start = [], run.x0
            elif previous.mono and run.mono and gap > 0.25 * size:
                parts.append(" " * max(1, round(gap / _advance(previous))))  # code keeps its alignment
            elif (_spaced(previous, run) and not _code_padding(previous, run, gap)) \
                    or _is_note_number(previous, run, runs):
                parts.append(" ")
            elif previous.text[-1:].isdigit() and _is_number(run.text) and _is_raised(run, main) \
                    and not _is_raised(previous, main):
                parts.append("^")  # "2" + a raised "31" is 2^31, not 231 (a footnote's mark is taken out later)
        parts.append(run.text)
    cells.append((cell_start, "".join(parts).strip()))
    cells = [(x, _clean(t)) for x, t in cells if t]
    text = " | ".join(t for _, t in cells) if len(cells) > 1 else (cells[0][1] if cells else "")
    letters = [r for r in runs if any(ch.isalnum() for ch in r.text)] or runs
    mono_runs = [r for r in runs if r.mono]
    advance = _advance(max(mono_runs, key=lambda r: len(r.text))) if mono_runs else 0.6 * main.size
    return _Line(page, runs, text, cells, runs[0].x0, max(r.x1 for r in runs), main.y, main.size,
                 bold=all(r.bold for r in letters), mono=all(r.mono for r in letters) or _commented_code(letters),
                 advance=advance)


_COMMENT_OPENER = re.compile(r"(?:^|\s)(?:#|//|--|%|;)\s*$")


def _commented_code(runs: list[_Run]) -> bool:
    """A line of code whose comment is set in the text's font (Texinfo's @r{…}): monospaced up to and with the
    comment's mark, "rowmatrix <- mat[2, , drop = FALSE] #", then "creates a row matrix" in roman."""
    for k, run in enumerate(runs):
        if not run.mono:
            return False
        if _COMMENT_OPENER.search(run.text):
            return k + 1 < len(runs)
    return False


def _is_mark_run(mark: _Run, run: _Run) -> bool:
    """The place of a footnote's raised number taken out of the text (`_drop_mark`), just before the run (a
    raised number that is no footnote's is an exponent, and a table's cell may end with it: "(y − ȳ)²")."""
    return mark.text == "" and _is_raised(mark, run)


def _is_note_number(previous: _Run, run: _Run, runs: list[_Run]) -> bool:
    """A footnote's number set in a run of its own at the start of its line, the note's first word right
    against it ("11" + "The default package name …"): a number and a word, not "11The"."""
    return previous is runs[0] and previous.text.isdigit() and len(previous.text) <= 3 \
        and re.match(r"[A-Z][a-z]", run.text) is not None


def _advance(run: _Run) -> float:
    """A monospaced run's character cell width (its edges are cell edges)."""
    width = (run.x1 - run.x0) / max(len(run.text), 1)
    return width if 0.3 * run.size < width < 0.8 * run.size else 0.6 * run.size


def _clean(text: str) -> str:
    """Ligatures spelled out, odd spaces made plain, control characters and NULs gone, accents that TeX
    set as glyphs of their own put back on their letters ("risqu´e" -> "risqué", as pdftotext reads it)."""
    text = text.translate(_CHAR_FIXES) if _NEEDS_CLEANING.search(text) else text
    text = _with_accents_on_letters(text) if "´" in text else _LONE_ACCENT.sub(_put_accent, text)
    # a small tilde on no letter is the ASCII one a font without it drew ("˜/.jq" in groff's Times): a path
    return _SPACING_TILDE.sub("~", text) if "˜" in text else text


# Spacing accents TeX fonts draw as a glyph before their letter, and the combining marks they stand for. Not
# the ASCII ` ^ ~, which code uses.
_COMBINING = {"´": "\u0301", "¨": "\u0308", "ˆ": "\u0302", "˜": "\u0303", "ˇ": "\u030c", "˚": "\u030a",
              "¸": "\u0327", "˘": "\u0306", "˝": "\u030b"}
_LONE_ACCENT = re.compile(f"([{''.join(_COMBINING)}])([^\\W\\d_])")
_SPACING_TILDE = re.compile(r"˜(?![^\W\d_])")


# groff prints a manual page's \'request\' with acute accents for quotes: "´request´", "´also request´"
_ACCENTS_AS_QUOTES = re.compile(r"(?<![^\s(\[])´[^´\n]{1,60}?´(?!\w)")


def _with_accents_on_letters(text: str) -> str:
    """_LONE_ACCENT's accents put on their letters, except a pair of acute accents quoting words, which
    pdftotext also reads as they are ("a ´request´ statement", not "a ŕequest´ statement")."""
    out, last = [], 0
    for quoted in _ACCENTS_AS_QUOTES.finditer(text):
        out += [_LONE_ACCENT.sub(_put_accent, text[last:quoted.start()]), quoted.group()]
        last = quoted.end()
    return "".join(out) + _LONE_ACCENT.sub(_put_accent, text[last:])


def _put_accent(match: re.Match) -> str:
    composed = unicodedata.normalize("NFC", match.group(2) + _COMBINING[match.group(1)])
    return composed if len(composed) == 1 else match.group()


# ----------------------------------------------------------------------------------- the document's layout


def _measure_layout(pages: list[list[_Line]]) -> _Layout:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    pitches: Counter[float] = Counter()
    lefts: Counter[int] = Counter()
    rights: Counter[int] = Counter()
    spans: list[tuple[float, float]] = []  # (x0, x1) of each body line of one cell
    for lines in pages:
        body = [line for line in lines if abs(line.size - body_size) < 0.6 and not line.mono]
        for above, below in zip(body, body[1:], strict=False):
            delta = above.y - below.y
            # from a third of the font size: where a page is printed scaled down, the size a PDF gives its
            # font can be twice its line pitch (the most common step is still the line's, not a paragraph's)
            if 0.3 * body_size < delta < 2.0 * body_size:
                pitches[round(delta * 2) / 2] += 1
        for line in body:
            if len(line.cells) == 1:
                lefts[round(line.x0)] += 1
                rights[round(line.x1)] += 1
                spans.append((line.x0, line.x1))
    pitch = pitches.most_common(1)[0][0] if pitches else 1.2 * body_size
    left = lefts.most_common(1)[0][0] if lefts else 0.0
    right = _common_right_margin(rights)
    justified = bool(spans) and sum(abs(x1 - right) <= 2 for _, x1 in spans) >= JUSTIFIED_SHARE * len(spans)
    return _Layout(body_size, pitch, left, right, _columns(spans, body_size, lefts), justified)


def _columns(spans: list[tuple[float, float]], body_size: float, lefts: Counter[int]
             ) -> tuple[tuple[float, float], ...]:
    """The columns of a page set in several (a newsletter, a paper): left edges that many body lines share,
    far apart, each with the right edge its lines share (`spans`: each body line's left and right edge).
    () for a page set in one column."""
    if not lefts:
        return ()
    most = lefts.most_common(1)[0][1]
    starts: list[int] = []
    for x, count in sorted(lefts.items()):
        if count >= 0.25 * most and all(abs(x - other) > 10 * body_size for other in starts):
            starts.append(x)
    if len(starts) < 2:
        return ()
    rights: dict[int, Counter[int]] = {x: Counter() for x in starts}
    for x0, x1 in spans:
        for x in starts:
            if abs(x0 - x) <= 2:
                rights[x][round(x1)] += 1
    return tuple((float(x), _common_right_margin(rights[x])) for x in starts)


def _common_right_margin(rights: Counter[int]) -> float:
    """Justified lines all end at the right margin: the right edge most lines share (within 2 points),
    the farther one on a tie. Lines that overflow the margin are too few to count."""
    if not rights:
        return 10_000.0
    def shared(x: int) -> int:
        return sum(rights[x + d] for d in (-2, -1, 0, 1, 2))
    return float(max(rights, key=lambda x: (shared(x), x)))


# ------------------------------------------------------------------------------------------ margin notes


JUSTIFIED_SHARE = 0.3  # this share of the body's lines ending at one right edge: the text is justified to it
MARGIN_GAP = 0.5  # body sizes beyond that edge a margin note starts
MARGIN_NOTE_WIDTH = 0.3  # a margin note's column is at most this share of the text's width


def _drop_margin_notes(pages: list[list[_Line]], layout: _Layout) -> None:
    """Text set in the margin right of a justified column (LaTeX's \\marginpar: "New feature 1995/12/01"
    beside the sentence it marks) is a note on the page, not a part of the sentence beside it: it split
    "type-" from "setting" and stood in quotes. Only where the body is one column justified to a right edge
    the text never crosses (a ragged web page has no such edge), and only a narrow run of text that starts
    past it, beside at most one cell of the line (a table that overflows the margin has several)."""
    if len(layout.columns) > 1 or layout.right >= 10_000.0 or not layout.justified:
        return
    edge = layout.right + MARGIN_GAP * layout.body_size
    widest = MARGIN_NOTE_WIDTH * (layout.right - layout.left)
    for lines in pages:
        for i, line in enumerate(lines):
            if line.dropped:
                continue
            if line.x0 >= edge:
                line.dropped = line.x1 - line.x0 <= widest
                continue
            outside = [run for run in line.runs if run.x0 >= edge]
            inside = [run for run in line.runs if run.x0 < edge]
            if not outside or not inside or len(line.cells) != 2 or abs(line.cells[1][0] - outside[0].x0) > 0.5 \
                    or max(r.x1 for r in outside) - outside[0].x0 > widest:
                continue  # (the note is a cell of its own: a wide title running past the edge keeps its end)
            lines[i] = _make_line(inside, line.page)


# --------------------------------------------------------------------------- running headers and footers


RUNNING_DRIFT = 1.5  # lines' height a running footer may stand above or below where it stands on most pages


def _running_key(text: str) -> str:
    """A header line with its page number and chapter number set aside."""
    key = re.sub(r"\d+", "#", text.casefold())
    key = re.sub(r"\b[ivxlcdm]+\b", "#", key)
    return " ".join(key.replace("|", " ").split())


# What a browser prints at the edges of a page it prints: the date and time before the page's title at the
# top ("11/27/26, 6:34 AM  FAQ"), the address and "page/pages" at the bottom ("file:///tmp/faq.html  1/3")
_BROWSER_STAMP = re.compile(r"^\s*(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b"
                            r"|(?:file|https?):/\S*[\s|]+\d+/\d+\s*$)", re.IGNORECASE)


def _drop_running_lines(pages: list[list[_Line]]) -> None:
    """Drop the top and bottom lines that repeat on several pages (digits aside) or are only a page
    number, and those that stand where such lines stand on other pages and carry a number. Only lines set
    apart from the text (a gap of two lines' height) on most of their pages count: the last line of a full
    page is no footer. A browser's header sits closer to the text where a page starts with code."""
    edges: list[tuple[str, _Line]] = []  # every top and bottom line, set apart or not
    apart: set[int] = set()  # ids of those set apart from the text
    for lines in pages:
        if not lines:
            continue
        top = max(line.y for line in lines)
        bottom = min(line.y for line in lines)
        at_edge = [("top", line) for line in lines if line.y >= top - 1.0]
        if bottom < top - 1.0:
            at_edge += [("bottom", line) for line in lines if line.y <= bottom + 1.0]
        edges += at_edge
        apart.update(id(line) for _, line in at_edge if _set_apart(line, lines))
    candidates = [(edge, line) for edge, line in edges if id(line) in apart]
    groups: defaultdict[tuple[str, str], list[_Line]] = defaultdict(list)
    for edge, line in edges:
        groups[(edge, _running_key(line.text))].append(line)
    few_pages = sum(1 for lines in pages if lines) <= 6
    bands: set[tuple[str, int]] = set()
    for (edge, key), members in groups.items():
        # a running line is set apart on most pages; where the text comes closer it is the same line still
        if 2 * sum(id(line) in apart for line in members) < len(members):
            continue
        page_count = len({line.page for line in members})
        if _PAGE_NUMBER_ONLY.match(key) or (page_count >= 3 or (page_count == 2 and few_pages)):
            for line in _at_same_height(members):
                line.dropped = True
            if page_count >= 3:
                bands.add((edge, round(_median([line.y for line in members]))))
    for edge, line in candidates:
        if _BROWSER_STAMP.match(line.text):  # on every page, so also on a page printed alone
            line.dropped = True
        if not line.dropped and "#" in _running_key(line.text):
            if any(e == edge and abs(line.y - y) <= 2 for e, y in bands):
                line.dropped = True


def _drop_page_furniture(pages: list[list[_Line]]) -> None:
    """Drop the lines drawn at the same place with the same words on most pages, wherever on the page: a
    browser prints a web page's fixed sidebar (its contents, a search box, the version) or banner on every
    page, not only at the edges. Text of the document never stands at one spot page after page."""
    filled = [lines for lines in pages if lines]
    if len(filled) < FURNITURE_PAGES:
        return
    def place(line: _Line) -> tuple[int, int, str]:
        return round(line.y), round(line.x0), " ".join(line.text.split())

    pages_at: defaultdict[tuple[int, int, str], set[int]] = defaultdict(set)
    for lines in filled:
        for line in lines:
            pages_at[place(line)].add(line.page)
    needed = max(FURNITURE_PAGES, FURNITURE_SHARE * len(filled))
    for lines in filled:
        for line in lines:
            if len(pages_at[place(line)]) >= needed:
                line.dropped = True


def _set_apart(line: _Line, lines: list[_Line]) -> bool:
    """Two lines' height away from the text, or a line and a quarter in a smaller font (a browser's printed
    header and footer, the date and title, the address and "3/8", in small print just above a code block)."""
    others = [other for other in lines if abs(other.y - line.y) > 1.0]
    if not others:
        return True
    nearest = min(others, key=lambda other: abs(other.y - line.y))
    gap = abs(nearest.y - line.y)
    return gap >= 2.0 * line.size or (gap >= 1.25 * line.size and line.size <= SMALL_PRINT * nearest.size)


def _at_same_height(members: list[_Line]) -> list[_Line]:
    """The members near where most of them stand: groff sets a manual page's footer a line lower or higher
    from page to page (at 86 and 92 points), a browser or TeX at one height."""
    middle = _median([line.y for line in members])
    return [line for line in members if abs(line.y - middle) <= max(4.0, RUNNING_DRIFT * line.size)]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


# ------------------------------------------------------------------------------------- tables of contents


@lru_cache(maxsize=65536)
def _normalized_title(text: str) -> str:
    """Letters and digits only, case and quote styles aside, heading number removed."""
    text = unicodedata.normalize("NFKC", _clean(text)).casefold()
    match = _HEADING_NUMBER.match(text)
    if match and match.end() < len(text):
        text = text[match.end():]
    text = re.sub(r"^[a-z]\s+", "", text)  # an appendix letter: "A GNU Free Documentation License"
    return _NOT_ALPHANUMERIC.sub("", text)


def _is_contents_entry(text: str, outline_titles: set[str]) -> bool:
    if _DOT_LEADER.search(text):
        return True
    match = _TRAILING_PAGE_NUMBER.match(text.replace(" | ", " "))
    if not match:
        return False
    entry = _normalized_title(match["entry"])
    return bool(entry) and entry in outline_titles and _normalized_title(text) not in outline_titles


def _drop_contents(pages: list[list[_Line]], outline: list[_OutlineEntry]) -> None:
    """Drop contents entries; on a page that is mostly a table of contents (or list of tables, or index),
    all from its title or first entry to its last entry, so wrapped entries go too and text around stays."""
    titles = {_normalized_title(title) for title, _, _, _ in outline} - {""}
    for lines in pages:
        kept = [line for line in lines if not line.dropped]
        indexed = sum(all(_INDEX_ENTRY.match(cell) for _, cell in line.cells) for line in kept)
        if kept and indexed >= max(5, INDEX_SHARE * len(kept)):  # a page of the index ("starc, 256 | tics, 207")
            for line in kept:
                line.dropped = True
            continue
        entries = [i for i, line in enumerate(kept) if not line.mono and _is_contents_entry(line.text, titles)]
        if not entries:
            continue
        title = next((i for i, line in enumerate(kept[: entries[0] + 1]) if _CONTENTS_TITLE.match(line.text)), None)
        if title is not None or len(entries) >= max(3, 0.5 * len(kept)):
            first, last = _wrapped_entries_around(kept, entries[0], entries[-1])
            first = first if title is None else title
            for i, line in enumerate(kept):
                if first <= i <= last or len(line.text) <= 2:  # an index's letter headings too
                    line.dropped = True
        else:  # a few entries on a page of text: only a line that ends on its page number, since
            # a sentence can hold dots too ("labels, formats, units, . . . . HDF5 also allows …")
            for i in entries:
                text = kept[i].text.replace(" | ", " ")  # the page number may stand in a cell of its own
                kept[i].dropped = not _DOT_LEADER.search(text) or bool(_LEADER_TO_PAGE.search(text))


def _wrapped_entries_around(kept: list[_Line], first: int, last: int) -> tuple[int, int]:
    """The first and last lines of the contents on a page, past the first and last entries found by their
    titles: entries wrapped over two lines whose titles the document wraps or words otherwise ("46 I replaced
    the battery … How do you fix" / "this? 14", the NUT FAQ's), each a numbered line whose next line ends on a
    page number, at the page's top or foot."""
    def wrapped(i: int) -> bool:
        return 0 <= i and i + 1 < len(kept) and _is_numbered(kept[i].text) \
            and not _TRAILING_PAGE_NUMBER.match(kept[i].text.replace(" | ", " ")) \
            and bool(_TRAILING_PAGE_NUMBER.match(kept[i + 1].text.replace(" | ", " ")))
    while wrapped(first - 2):
        first -= 2
    while wrapped(last + 1):
        last += 2
    return first, last


def _numbered_key(text: str) -> str:
    """A numbered line's letters and digits, number included ("4.5. How do …" -> "45howdo…"; "(1) How …" and
    "1. How …" alike); "" for a line with no number."""
    return _NOT_ALPHANUMERIC.sub("", _clean(text).casefold()) if _is_numbered(text) else ""


def _is_numbered(text: str) -> bool:
    """Printed with a heading's number ("4.5.", "Chapter 2") or an FAQ entry's ("(19)")."""
    return bool(_heading_numbering(text) or _ENTRY_NUMBER.match(text.strip()))


def _drop_repeated_contents(pages: list[list[_Line]]) -> None:
    """A printed web page's table of contents has no page numbers and the PDF no outline, but its entries
    are numbered titles the document sets again further on ("1.1. What is GNU nano?"). A run of numbered
    lines, most of them such entries, under a "Table of Contents" title, or filling most of its page, or
    going on from the end of the previous page's contents, is the contents: dropped, with the wrapped ends
    of its entries and the entries the text words differently further on."""
    where: dict[str, tuple[int, int]] = {}  # a numbered line's key -> where it last stands (page, line)
    kept_pages = [[line for line in lines if not line.dropped] for lines in pages]
    for page, kept in enumerate(kept_pages):
        for i, line in enumerate(kept):
            if key := _numbered_key(line.text):
                where[key] = (page, i)
    running_on = False  # the previous page's contents ran to its last lines
    listed_keys: set[str] = set()  # the numbers the contents has listed so far
    for page, kept in enumerate(kept_pages):
        keys = [_numbered_key(line.text) if not line.mono else "" for line in kept]
        entry = [bool(key) and where[key] > (page, i) for i, key in enumerate(keys)]
        continued, running_on = running_on and entry[:1] == [True], False
        start = 0 if continued else next((i for i, e in enumerate(entry) if e), None)
        if not continued:
            listed_keys = set()
        if start is None:
            continue
        end = _end_of_listing(keys, start, listed_keys)
        listed = sum(entry[start:end])
        title = next((i for i, line in enumerate(kept[:start]) if _CONTENTS_TITLE.match(line.text.strip())), None)
        if continued or listed >= 3 and 2 * listed >= sum(bool(k) for k in keys[start:end]) and (
                title is not None or end - start >= 0.5 * len(kept)):
            for line in kept[start if title is None else title:end]:
                line.dropped = True
            running_on = end >= len(kept) - 1


def _end_of_listing(keys: list[str], start: int, seen: set[str]) -> int:
    """Where a run of numbered lines from `start` ends: at a line neither numbered nor the wrapped end of the
    numbered line above it, or at a number the contents has already listed (`seen`, which this adds to):
    the text itself beginning."""
    i = start
    while i < len(keys):
        if keys[i]:
            if keys[i] in seen:
                break
            seen.add(keys[i])
        elif not keys[i - 1]:
            break
        i += 1
    while i > start and not keys[i - 1]:  # a text line right after the last entry is text
        i -= 1
    return i


def _drop_admonition_labels(pages: list[list[_Line]]) -> None:
    """"Note", "Tip", "Warning" on a line of their own are a box's label, not text to quote."""
    for lines in pages:
        for line in lines:
            if not line.dropped and _ADMONITION.match(line.text):
                line.dropped = True


_NAVIGATION_WORD = re.compile(r"^(?:prev|previous|next|up|home)$", re.IGNORECASE)
_ARROWS = "<>-←→«»|[]"  # around a navigation link's word: "<-previous", "next->"
PAGE_EDGE_LINES = 3  # a printed web page's navigation bar is among its first or last lines
NAVIGATION_BAR_CELLS = 5  # "Prev | Up | Chapter 2. The SQL Language | Home | Next" at most


def _drop_navigation_words(pages: list[list[_Line]]) -> None:
    """A printed web page's bar "Prev | Securing Debian Manual | Next": the words that were links to the
    neighbouring pages are not text; what stands between them (the book's title) stays."""
    for lines in pages:
        kept = [line for line in lines if not line.dropped]
        for line in kept[:PAGE_EDGE_LINES] + kept[-PAGE_EDGE_LINES:]:
            words = [bare for word in line.text.split() if (bare := word.strip(_ARROWS))]
            if len(words) >= 2 and all(_NAVIGATION_WORD.match(word) for word in words):
                line.dropped = True  # Exim's "<-previous next->", a bar all of links
                continue
            if not 2 <= len(line.cells) <= NAVIGATION_BAR_CELLS \
                    or not any(_NAVIGATION_WORD.match(text) for _, text in line.cells):
                continue  # (a justified line of words set far apart, "Next | configuration | will | …", is text)
            line.cells = [(x, text) for x, text in line.cells if not _NAVIGATION_WORD.match(text)]
            line.text = " | ".join(text for _, text in line.cells)
            line.dropped = not line.cells


def _unsplit_lone_rows(pages: list[list[_Line]]) -> None:
    """A table has rows that share columns. A line split at a wide gap with no such neighbour is a justified
    line with a stretched space: one cell again."""
    for lines in pages:
        kept = [line for line in lines if not line.dropped]
        for i, line in enumerate(kept):
            if len(line.cells) < 2:
                continue
            starts = [x for x, _ in line.cells[1:]]
            neighbours = kept[max(0, i - 3): i] + kept[i + 1: i + 4]
            if not any(abs(x - nx) <= 8.0 for other in neighbours for nx, _ in other.cells[1:] for x in starts):
                line.text = " ".join(text for _, text in line.cells)
                line.cells = [(line.x0, line.text)]


# ----------------------------------------------------------------------------------------------- headings


def _outline(pdf: pdfium.PdfDocument) -> list[_OutlineEntry]:
    """(title, level from 1, page index, top of the target view or None) for each bookmark with a page."""
    entries = []
    for bookmark in pdf.get_toc(max_depth=8):
        dest = bookmark.get_dest()
        page = dest.get_index() if dest is not None else None
        if page is None:
            continue
        mode, view = dest.get_view()
        top = view[1] if mode == pdfium_c.PDFDEST_VIEW_XYZ and len(view) >= 2 and view[1] else None
        entries.append((_clean(bookmark.get_title()).strip(), bookmark.level + 1, page, top))
    return entries


def _heading_numbering(text: str) -> str:
    """The number a heading is printed with: "2.1.3" of "2.1.3 Title", "2" of "Chapter 2", else ""."""
    match = _HEADING_NUMBER.match(text.strip())
    if not match:
        return ""
    return match["wnum"].upper() if match["wnum"] else match["num"]


def _mark_outline_headings(pages: list[list[_Line]], outline: list[_OutlineEntry]) -> int:
    """Mark each bookmark's line(s) on its target page (or the next) as a heading; returns how many."""
    matched = 0
    for title, level, page, top in outline:
        wanted = _normalized_title(title)
        if not wanted:
            continue
        for index in (page, page + 1):
            if 0 <= index < len(pages) and _mark_heading(pages[index], wanted, level, top if index == page else None):
                matched += 1
                break
    return matched


def _mark_heading(lines: list[_Line], wanted: str, level: int, top: float | None) -> bool:
    kept = [line for line in lines if not line.dropped]
    found: list[tuple[int, int]] = []
    for i, line in enumerate(kept):
        if line.heading is not None or line.heading_more:
            continue
        if _normalized_title(line.text) == wanted:
            found.append((i, 1))
        elif i + 1 < len(kept) and not kept[i + 1].heading and \
                _normalized_title(f"{line.text} {kept[i + 1].text}") == wanted:
            found.append((i, 2))
    if not found:
        return False
    if top is not None:  # the one at or just below where the bookmark points
        below = [(i, n) for i, n in found if kept[i].y <= top + 2]
        found = below or found
    i, n = found[0]
    start = i
    if i > 0 and _CHAPTER_LINE.match(kept[i - 1].text) and kept[i - 1].heading is None:
        start = i - 1  # "Chapter 2" printed above the title: one heading
    numbering = _heading_numbering(kept[start].text)
    kept[start].heading = (level, numbering)
    for line in kept[start + 1: i + n]:
        line.heading_more = True
    return True


PERMALINK = "\u00b6"  # "¶": the link Sphinx sets after each heading, printed with it


def _mark_font_headings(pages: list[list[_Line]], layout: _Layout, outline_used: bool, title: str = "") -> None:
    """Headings the outline does not name: numbered lines in bold or a larger font, and short lines in a
    clearly larger font. Levels follow the numbering, else the font size (larger is higher)."""
    candidates: list[_Line] = []
    outline_numbers = {line.heading[1] for lines in pages for line in lines if line.heading and line.heading[1]}
    for lines in pages:
        kept = [line for line in lines if not line.dropped]
        for i, line in enumerate(kept):
            if line.heading is None and not line.heading_more and (
                    _looks_like_heading(line, layout, outline_used) or _wraps_a_heading(kept, i, layout, outline_used)
                    or (not outline_used and _asks_over_its_answer(kept, i, layout))
                    or _goes_below_the_outline(line, layout, outline_numbers)):
                candidates.append(line)
    candidates = _without_title_block(pages, _without_site_banner(candidates, title), layout)
    candidates = _in_the_numbered_headings_style(candidates)
    known = _levels_by_size(pages)
    sizes = sorted({round(line.size) for line in candidates} - set(known), reverse=True)
    for line in candidates:
        numbering = _heading_numbering(line.text)
        depth = numbering.rstrip(".").count(".") + 1 if numbering else 0
        level = depth or known.get(round(line.size)) or sizes.index(round(line.size)) + 1
        line.heading = (min(level, 6), numbering)
    for line in (line for lines in pages for line in lines if line.heading and line.text.endswith(PERMALINK)):
        line.text = line.text[:-len(PERMALINK)].rstrip()  # a mark to hover over on screen, no word of the title
    _join_wrapped_headings(pages, layout)


BOLD_NUMBERED = 3  # numbered headings in bold, at least, that make a plain numbered line no heading


def _in_the_numbered_headings_style(candidates: list[_Line]) -> list[_Line]:
    """Where a document sets its numbered headings in bold, a line that only seems numbered in a plain larger
    font is not one: a figure's labels in the dot guide ("100 times" beside the node "init") had headed half a
    chapter."""
    numbered = [line for line in candidates if _heading_numbering(line.text)]
    if sum(line.bold for line in numbered) < BOLD_NUMBERED or not all(
            line.bold for line in numbered if "." in _heading_numbering(line.text).rstrip(".")):
        return candidates
    return [line for line in candidates if line.bold or not _heading_numbering(line.text)]


def _without_site_banner(candidates: list[_Line], title: str) -> list[_Line]:
    """A printed web page opens with its site's banner in large type ("Apache HTTP Server Version 2.4 ☰"),
    the part of its title (<title>, kept as the PDF's title) that names the site, not the page ("Authentication
    and Authorization - Apache HTTP Server Version 2.4"): where the page's own part is a heading further on,
    the banner is left out; the page's heading then opens the document."""
    parts = title_parts(title)
    if len(parts) < 2 or len(candidates) < 2:
        return candidates
    first = words_of(candidates[0].text)
    page_parts = [part for part in parts if part and part != first]
    if first not in parts[1:] or not any(words_of(line.text) in page_parts for line in candidates[1:4]):
        return candidates
    candidates[0].dropped = True  # the site's name, not a word of the page: no section, nothing to quote
    return candidates[1:]


def _without_title_block(pages: list[list[_Line]], candidates: list[_Line], layout: _Layout) -> list[_Line]:
    """A title page prints the title, then under it in smaller large type a subtitle, the author, a
    date ("Debian Reference" / "Osamu Aoki"): those lines belong to the title, not sections of their own.
    Only where the document's first heading is that unnumbered title; the run ends at body-size text."""
    candidate_ids = {id(line) for line in candidates}
    first = next((line for lines in pages for line in lines if not line.dropped
                  and (line.heading is not None or id(line) in candidate_ids)), None)
    if first is None or first.heading is not None or _heading_numbering(first.text):
        return candidates
    kept = [line for line in pages[first.page] if not line.dropped]
    title_block = set()
    for line in kept[next(i for i, k in enumerate(kept) if k is first) + 1:]:
        if line.heading is not None or _heading_numbering(line.text) or line.size < LARGER * layout.body_size:
            break
        if abs(line.size - first.size) >= 0.5:  # the same size is the title's own second line
            title_block.add(id(line))
    # one line set like a heading further down the same page is the first section's heading, not an author's
    # name: the document has no title page ("Village Newsletter", "The river path", … "The market")
    styles = {_style(line) for line in candidates
              if id(line) not in title_block and line is not first and line.page == first.page}
    if len(title_block) == 1 and all(_style(line) in styles for line in candidates if id(line) in title_block):
        return candidates
    return [line for line in candidates if id(line) not in title_block]


def _style(line: _Line) -> tuple[float, bool]:
    return round(line.size, 1), line.bold


def _levels_by_size(pages: list[list[_Line]]) -> dict[int, int]:
    """Font size -> the level the outline gives headings printed in it, to place headings it leaves out."""
    seen: defaultdict[int, Counter[int]] = defaultdict(Counter)
    for lines in pages:
        for line in lines:
            if line.heading is not None and not line.dropped:
                seen[round(line.size)][line.heading[0]] += 1
    return {size: levels.most_common(1)[0][0] for size, levels in seen.items()}


# a figure's, table's or equation's caption, set in bold like a heading: "Figure 2.1. The basic accounts
# relationships", "Table 16.1. Linear Depreciation Scheme Example"; it labels a picture, it opens no section
_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Equation|Example|Listing)\s+[A-Z]?[.\-]?\d+(?:[.\-]\d+)*[.:]\s")


def _captions_as_paragraphs(drafts: list[_Draft]) -> list[_Draft]:
    """A caption read as a heading (it is set like one, and wraps like one) is a paragraph: it labels its
    figure or table and starts no section (every depreciation scheme sat under "Table 16.1. …"). A figure's
    caption names a picture the text does not hold, and is left out, as the HTML and Word readers do."""
    for draft in drafts:
        if draft.kind == "heading" and draft.parts and _CAPTION.match(draft.parts[0][1]):
            draft.kind, draft.level, draft.numbering = "paragraph", 0, ""
    return [d for d in drafts if d.note or d.kind != "paragraph" or not d.parts
            or not is_figure_caption(d.joined)]


_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_in_words(text: str) -> int | None:
    """1-99 written in words ("ONE", "Fourteen", "twenty-one"); None for anything else."""
    words = text.casefold().replace("-", " ").split()
    if len(words) == 1 and words[0] in _UNITS[1:]:
        return _UNITS.index(words[0])
    if words and words[0] in _TENS and (len(words) == 1 or (len(words) == 2 and words[1] in _UNITS[1:10])):
        return 20 + 10 * _TENS.index(words[0]) + (_UNITS.index(words[1]) if len(words) == 2 else 0)
    return None


def _chapter_numbers_in_words(drafts: list[_Draft]) -> list[_Draft]:
    """A chapter's number set in words over its title ("ONE" over "ABOUT THIS MANUAL", as Sphinx's LaTeX
    prints "Chapter One" and the running-line pass takes the repeated "CHAPTER") is the title's number,
    not a section of its own: it was offered as a topic ("TWO") and left the chapter unnumbered."""
    kept: list[_Draft] = []
    for i, draft in enumerate(drafts):
        following = drafts[i + 1] if i + 1 < len(drafts) else None
        number = number_in_words(draft.joined) if draft.kind == "heading" else None
        if number is not None and following is not None and following.kind == "heading" and not following.numbering:
            following.numbering = str(number)
            continue
        kept.append(draft)
    return kept


def _without_contents_lines(drafts: list[_Draft]) -> list[_Draft]:
    """Without a paragraph that is only the titles of sections that follow it, in their order: a web page's
    contents box printed on one line ("Overview Two kinds of backup: "push" and "pull" Full disk backup
    using …"), with no page numbers to tell it by. Quoted, it answered questions about those sections."""
    def written(draft: _Draft) -> str:
        return " ".join(draft.joined.split()).casefold()

    titles = [(i, written(d)) for i, d in enumerate(drafts) if d.kind == "heading"]
    by_first_word: dict[str, list[int]] = {}  # a title's first word -> its places in `titles`, in order
    for k, (_, title) in enumerate(titles):
        by_first_word.setdefault(title.split(" ", 1)[0], []).append(k)
    kept = []
    for i, draft in enumerate(drafts):
        if draft.kind == "paragraph" and not draft.note:
            text = written(draft)
            # the run can only begin at a later title that opens with the paragraph's first word
            first = next((k for k in by_first_word.get(text.split(" ", 1)[0], ()) if titles[k][0] > i), None)
            if first is not None and _is_run_of_titles(text, [title for _, title in titles[first:]]):
                continue
        kept.append(draft)
    return kept


def _is_run_of_titles(text: str, titles: list[str]) -> bool:
    """Whether `text` is two or more of `titles` one after another, in their order (some may be skipped)."""
    at, used = 0, 0
    for title in titles:
        if title and text.startswith(title, at) and (at + len(title) == len(text) or text[at + len(title)] == " "):
            at, used = at + len(title) + 1, used + 1
            if at >= len(text):
                return used >= 2
    return False


OUTDENT = 1.0  # body sizes left of the text's margin a bold line stands that titles what follows


def _looks_like_heading(line: _Line, layout: _Layout, outline_used: bool) -> bool:
    words = line.text.split()
    larger = line.size >= LARGER * layout.body_size
    # a numbered title set large and bold may be long (its first line, wrapped: "4.5. How do I select text
    # for or paste text from the clipboard when nano's mouse") or end in a full stop ("2. Where to get nano.")
    numbered = _is_numbered(line.text) and len(words) > 1
    # … and so may a numbered question, or an FAQ's "(18) …" entry, in bold ("(12) I deleted a lot of data but
    # the database file did not get any smaller. Is this a bug?")
    set_apart = numbered and not line.text.endswith((",", ";")) and (
        (larger and (line.bold or line.size >= 1.3 * layout.body_size))
        or (line.bold and not outline_used and (line.text.endswith("?") or bool(_ENTRY_NUMBER.match(line.text)))))
    if set_apart and len(words) <= 2 * _MAX_HEADING_WORDS and not line.mono and len(line.cells) <= 1:
        return True
    if not words or len(words) > _MAX_HEADING_WORDS or line.mono or len(line.cells) > 1 \
            or line.text.endswith((".", ",", ";")):
        return False
    if sum(ch.isalpha() for ch in line.text) < 2:  # not an index's letter, nor a lone symbol
        return False
    if larger and (line.bold or line.size >= 1.3 * layout.body_size):
        return True
    if line.bold and line.text.endswith(PERMALINK):
        return True  # a printed Sphinx page's "Disk-Assisted Memory Queues¶": its heading's permalink mark
    if line.bold and not outline_used and line.x0 < layout.left - OUTDENT * layout.body_size:
        return True  # bold, left of the text's margin: a manual page's "DESCRIPTION", as groff prints it
    return numbered and not outline_used and (line.bold or larger) and line.size >= layout.body_size - 0.5


def _goes_below_the_outline(line: _Line, layout: _Layout, outline_numbers: set[str]) -> bool:
    """A numbered title in bold one level below a heading the outline names ("2.7.1 Loading other files"
    under "2.7 General style", where the bookmarks stop at two levels): a heading the outline leaves out."""
    numbering = _heading_numbering(line.text).rstrip(".")
    words = line.text.split()
    if "." not in numbering or numbering in outline_numbers or numbering.rsplit(".", 1)[0] not in outline_numbers:
        return False
    return line.bold and not line.mono and len(line.cells) <= 1 and 1 < len(words) <= _MAX_HEADING_WORDS \
        and not line.text.endswith((".", ",", ";", ":")) and line.size >= layout.body_size - 0.5


def _wraps_a_heading(kept: list[_Line], i: int, layout: _Layout, outline_used: bool) -> bool:
    """A heading's first line that ends at a comma ("How can I protect against theft, sabotage," over
    "lightning, fire, …?"): set as the heading line right under it, which looks like a heading itself; or a
    long numbered one in bold, over its second line in the same type."""
    line = kept[i]
    if i + 1 >= len(kept):
        return False
    below = kept[i + 1]
    if _style(below) != _style(line) or not 0 < line.y - below.y < 1.6 * line.size:
        return False
    if line.text.endswith(","):
        return _looks_like_heading(below, layout, outline_used) and \
            _looks_like_heading(replace(line, text=line.text[:-1]), layout, outline_used)
    # a long numbered title's first line, in bold over its second ("(4) Why doesn't SQLite allow me to use
    # '0' and '0.0' as the primary key on two different rows of the" / "same table?")
    words = line.text.split()
    return line.bold and not outline_used and _MAX_HEADING_WORDS < len(words) <= 2 * _MAX_HEADING_WORDS \
        and _is_numbered(line.text) and not line.mono


def _asks_over_its_answer(kept: list[_Line], i: int, layout: _Layout) -> bool:
    """A question on a line of its own over its answer set in under it, apart from what stands above: a
    definition list of questions (AsciiDoc's FAQ, printed) in body type, which says it is a heading only by
    where it stands ("What should I put in user.name?" at the text's margin, its answer indented under it)."""
    line = kept[i]
    last = i + 1 if _wraps_a_question(kept, i) else i  # a question over two lines, the second its end
    if not kept[last].text.endswith("?") or line.mono or last + 1 >= len(kept) \
            or len(" ".join(k.text for k in kept[i:last + 1]).split()) > 2 * _MAX_HEADING_WORDS:
        return False
    below, above = kept[last + 1], kept[i - 1] if i else None
    answer_under_it = below.page == line.page and not below.mono and not _BULLET_ITEM.match(below.text) \
        and below.x0 >= line.x0 + layout.body_size and 0 < kept[last].y - below.y < 2.5 * line.size
    apart = above is None or above.page != line.page or above.size > line.size + 0.5 \
        or above.x0 >= line.x0 + layout.body_size or above.y - line.y > 1.8 * line.size
    return answer_under_it and apart


def _wraps_a_question(kept: list[_Line], i: int) -> bool:
    """Line i goes on in the next line, in the same type at the same margin, which ends the question."""
    line = kept[i]
    if i + 1 >= len(kept) or line.text.endswith(("?", ".", ":")):
        return False
    below = kept[i + 1]
    return below.text.endswith("?") and _style(below) == _style(line) and abs(below.x0 - line.x0) < 2 \
        and 0 < line.y - below.y < 1.6 * line.size


def _join_wrapped_headings(pages: list[list[_Line]], layout: _Layout) -> None:
    """A heading printed over two lines is one heading: the second line, same font, right below. Where
    headings are set in bold at the body's size, the second line need not look like a heading by itself
    ("(17) I get some compiler warnings … Doesn't it" / "indicate poor code quality?"): bold is enough."""
    for lines in pages:
        kept = [line for line in lines if not line.dropped]
        for first, second in zip(kept, kept[1:], strict=False):
            same_font = abs(first.size - second.size) < 0.5 and 0 < first.y - second.y < 1.6 * first.size
            goes_on = second.heading or (
                first.bold and second.bold and second.heading is None and not second.mono
                and abs(first.size - layout.body_size) < 0.5 and not re.search(r"[.?!:]$", first.text)) or (
                first.heading is not None and second.heading is None and _wraps_a_question([first, second], 0))
            if (first.heading or first.heading_more) and goes_on and same_font \
                    and not _heading_numbering(second.text):
                second.heading, second.heading_more = None, True


# ------------------------------------------------------------------------------------------------- blocks


def _vocabulary(pages: list[list[_Line]]) -> Counter[str]:
    """Words and paths as printed in the document, to tell a hyphenated compound from a word split at a line
    end, and a path's slash at a line end from a path broken there."""
    counts: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            counts.update(w.casefold() for w in _WORD_TOKEN.findall(line.text))
            counts.update(w.rstrip(".").casefold() for w in _PATH_WORD.findall(line.text))
    return counts


def _set_runs(pages: list[list[_Line]], layout: _Layout) -> None:
    """Give each line what its run says: the lines above and below it, one line step apart, that start where
    it starts in the same size. A table's narrow cell wraps at the run's widest line, not at the page's
    margin; a run where some line stops short even of that, though the next line's first word would have
    fit, is a list of short lines, each ending where it ends (`_broken_early`)."""
    for lines in pages:
        run: list[_Line] = []
        for line in lines:
            if line.dropped or line.in_note or not line.text:
                continue
            if run and not (abs(line.x0 - run[-1].x0) <= 0.8 * line.size and abs(line.size - run[-1].size) <= 0.6
                            and 0 < _gap(run[-1], line) <= 1.3 * layout.pitch * line.size / layout.body_size):
                _close_run(run, layout)
                run = []
            run.append(line)
        _close_run(run, layout)


def _close_run(run: list[_Line], layout: _Layout) -> None:
    right = max((line.x1 for line in run), default=0.0)
    items = any(_stops_short(above, below, min(right, layout.margins(above)[1])) for above, below in pairwise(run))
    for line in run:
        line.run_right, line.run_of_items = right, items


def _stops_short(previous: _Line, line: _Line, reach: float) -> bool:
    """The previous line, ending mid-sentence, stops more than a few ems short of `reach` though this line's
    first word would have fit there."""
    if _SENTENCE_END.search(previous.text) or _WORD_HYPHEN_AT_END.search(previous.text) \
            or len(previous.text.split()) < 2:  # a term alone (TeX's "‘htmldir’" over "‘dvidir’") heads what follows
        return False
    first_word = re.split(r"[ \t]", line.text, maxsplit=1)[0]  # a no-break space binds words into one
    character = (line.x1 - line.x0) / max(1, len(line.text))
    return reach - previous.x1 > (len(first_word) + 1) * character + 3 * line.size


def _assemble_blocks(pages: list[list[_Line]], layout: _Layout) -> list[_Draft]:
    _set_runs(pages, layout)
    drafts: list[_Draft] = []
    previous: _Line | None = None
    list_bullets: list[float] = []  # left edges of the bullets of the list being read, for nesting
    for lines in pages:
        for line in lines:
            if line.dropped or line.in_note or not line.text:
                continue
            current = drafts[-1] if drafts else None
            kind = _line_kind(line, current, previous, layout)
            if kind == "continue" and current is not None:
                _continue_draft(current, line)
            else:
                drafts.append(_start_draft(kind, line, current, previous, layout, list_bullets))
            if drafts and drafts[-1].kind != "list_item":
                list_bullets.clear()
            line.draft = len(drafts) - 1
            previous = line
    return drafts


def _line_kind(line: _Line, current: _Draft | None, previous: _Line | None, layout: _Layout) -> str:
    """What this line is: "heading", "code", "list_item", "table_row", "paragraph" starts a new block;
    "continue" carries the current one on."""
    if line.heading is not None:
        return "heading"
    if line.heading_more:
        return "continue" if current is not None and current.kind == "heading" else "paragraph"
    if current is None or previous is None:
        return _fresh_kind(line)
    gap = _gap(previous, line)
    if current.kind == "code" and line.mono:
        return "continue" if gap <= 1.6 * layout.pitch else "code"
    if current.kind == "table_row" and _continues_table(current, line, previous, gap, layout):
        return "continue"
    if _is_code(line) and not _inside_paragraph(current, previous, line, gap, layout):
        return "code"
    if _is_code(line) and not line.runs[-1].mono:
        # inline code wrapped onto a line of its own, its sentence closed there in the prose's font, goes on
        # with that sentence, though set smaller ("… with CREATE ROLE name CONNECTION" / "LIMIT 'integer'.")
        return "continue"
    if len(line.cells) > 1:
        return "table_row"
    if _starts_item(line) and (_GLYPH_BULLET.match(line.text) or _may_start_item(current, previous, layout)):
        return "list_item"
    if current.kind == "list_item" and _continues_item(current, previous, line, gap, layout):
        return "continue"
    if current.kind == "paragraph" and _continues_paragraph(previous, line, gap, layout):
        return "continue"
    return "paragraph"


def _is_code(line: _Line) -> bool:
    """Monospaced, and not a term quoted in running text (texinfo's ‘--help’ above its description)."""
    return line.mono and len(line.cells) == 1 and not line.text.startswith(("‘", "“", "”", '"', "'", "`"))


def _fresh_kind(line: _Line) -> str:
    if _is_code(line):
        return "code"
    if len(line.cells) > 1:
        return "table_row"
    return "list_item" if _starts_item(line) else "paragraph"


def _starts_item(line: _Line) -> bool:
    return bool(_BULLET_ITEM.match(line.text) or _NUMBERED_ITEM.match(line.text))


def _gap(previous: _Line, line: _Line) -> float:
    """Baseline distance from the previous line; a page break counts as an ordinary line step."""
    if previous.page != line.page:
        return 0.0
    return previous.y - line.y


def _is_full(line: _Line, layout: _Layout) -> bool:
    return line.x1 >= layout.margins(line)[1] - 1.5 * line.size


def _continues_paragraph(previous: _Line, line: _Line, gap: float, layout: _Layout) -> bool:
    if abs(previous.size - line.size) > 0.6 or previous.bold != line.bold and _all_bold_short(previous):
        return False
    left = layout.margins(line)[0]
    next_column = previous.page == line.page and gap < 0 and left > layout.margins(previous)[0]
    if next_column:  # up to the top of the next column: as over a page break
        return _is_full(previous, layout) and not _SENTENCE_END.search(previous.text) and \
            line.x0 <= left + 0.8 * line.size
    if gap > 1.2 * layout.pitch * line.size / layout.body_size or gap < -0.5 * line.size:
        return False
    if _URL_BROKEN_AT_END.search(previous.text):
        return True
    if line.x0 > previous.x0 + 0.8 * line.size and previous.page == line.page and not _hangs_at(previous, line) \
            and (_SENTENCE_END.search(previous.text) or not _is_full(previous, layout)
                 or line.x0 > previous.x0 + HANGING_INDENT * line.size):
        return False  # an indented first line starts a paragraph; after a full line cut mid-sentence, the
        # lines of a hanging indent go on ("m A standard mandatory argument, which can … alone" / "or …")
    if previous.page != line.page:  # over a page break: only when the last line ran to the margin, and the
        # next starts at the margin or where the last one did (a definition's lines hang under its text)
        return _is_full(previous, layout) and not _SENTENCE_END.search(previous.text) and \
            (line.x0 <= left + 0.8 * line.size or abs(line.x0 - previous.x0) <= 0.8 * line.size)
    if not _SENTENCE_END.search(previous.text):
        return not _broken_early(previous, line, layout)
    # A sentence ends the line: the paragraph ends there if the line is clearly short, or if the next line
    # is indented from the margin as the previous one was (a one-line paragraph, then a first-line indent).
    previous_left, previous_right = layout.margins(previous)
    if previous.x1 < previous_right - 0.12 * (previous_right - previous_left):
        return False
    return line.x0 <= left + 0.8 * line.size


HANGING_INDENT = 3.0  # body sizes at most that a hanging indent's lines stand right of its first (a centred
# line under a full one stands farther)


def _broken_early(previous: _Line, line: _Line, layout: _Layout) -> bool:
    """The previous line stops far short of where it could reach though this line's first word would have
    fit there with room to spare: a break the author made, not a wrap. The items of a list whose bullets are
    drawn, not written (a web page printed from a browser: "use IP addresses in VirtualHost" / "use IP
    addresses in Listen"), or the lines of an address. Where it could reach: its column's margin in a run of
    such items; else the run's widest line, since a table's narrow cell wraps at its own edge. Room to spare:
    a line breaker that evens out a ragged margin (TeX's) may end a line a word early, never several ems."""
    if abs(line.x0 - previous.x0) > 0.8 * line.size:
        return False
    margin = layout.margins(previous)[1]
    return _stops_short(previous, line, margin if previous.run_of_items else min(margin, previous.run_right))


def _hangs_at(previous: _Line, line: _Line) -> bool:
    """The previous line opens with a term and its text starts where this line starts: a definition set on
    its term's line ("HISTSIZE  The maximum number … If the"), whose next lines hang under its text."""
    return any(abs(run.x0 - line.x0) <= 0.8 * line.size and run.x0 > previous.x0 + 2 * line.size
               for run in previous.runs[1:])


def _all_bold_short(line: _Line) -> bool:
    return line.bold and len(line.text.split()) <= 12


def _inside_paragraph(current: _Draft, previous: _Line, line: _Line, gap: float, layout: _Layout) -> bool:
    """A monospaced line inside running text (a long path or URL wrapped onto its own line)."""
    if current.kind not in ("paragraph", "list_item") or previous.mono or not 0 <= gap <= 1.3 * layout.pitch:
        return False
    if _URL_BROKEN_AT_END.search(previous.text) or (previous.text.endswith(",") and gap <= 1.15 * layout.pitch):
        return True  # an address, or a clause's end, wrapped onto a line of its own
    if current.kind == "list_item":  # an item's lines hang under its text, off the margin
        return False
    return _is_full(previous, layout) and not _SENTENCE_END.search(previous.text) and \
        min(abs(line.x0 - layout.margins(line)[0]), abs(line.x0 - previous.x0)) <= line.size  # or a hanging indent


def _may_start_item(current: _Draft, previous: _Line, layout: _Layout) -> bool:
    """"2. Text" or "- text" starts a list item after a list item or a finished line, not inside a wrapped
    sentence."""
    return current.kind in ("list_item", "heading") or not _is_full(previous, layout) or \
        bool(_SENTENCE_END.search(previous.text))


def _continues_item(current: _Draft, previous: _Line, line: _Line, gap: float, layout: _Layout) -> bool:
    if gap > 1.3 * layout.pitch * line.size / layout.body_size or abs(previous.size - line.size) > 0.6:
        return False
    if previous.page != line.page:
        return line.x0 >= current.x0 - 2 and not _SENTENCE_END.search(previous.text)
    return line.x0 >= current.x0 - 2 or (_is_full(previous, layout) and not _SENTENCE_END.search(previous.text))


def _continues_table(current: _Draft, line: _Line, previous: _Line, gap: float, layout: _Layout) -> bool:
    """A line whose cells all fall in columns the current row leaves empty, or a single cell in a column
    other than the first: the rest of a row whose cells take several lines. Over a page break, only a
    single cell in such a column after a line that ended mid-sentence (bash's "-e | Exit immediately …
    while executing" / "in a context where -e is ignored, …")."""
    targets = [_column_of(x, current.columns) for x, _ in line.cells]
    if previous.page != line.page:
        return len(targets) == 1 and targets[0] not in (None, 0) and not _SENTENCE_END.search(previous.text)
    if gap > 1.6 * layout.pitch:
        return False
    if None in targets or (0 in targets and current.cells.get(0)):
        return False
    return all(not current.cells.get(t) for t in targets) or len(targets) == 1


def _column_of(x: float, columns: list[float]) -> int | None:
    for i, start in enumerate(columns):
        if abs(x - start) <= 8.0:
            return i
    return None


def _start_draft(kind: str, line: _Line, current: _Draft | None, previous: _Line | None, layout: _Layout,
                 list_bullets: list[float]) -> _Draft:
    if kind == "heading":
        level, numbering = line.heading or (1, "")
        return _Draft("heading", level, numbering, [(line.page, line.text)])
    if kind == "list_item":
        return _start_list_item(line, list_bullets)
    if kind == "table_row":
        columns = [x for x, _ in line.cells]
        if current is not None and current.kind == "table_row" and previous is not None and \
                previous.page == line.page and _gap(previous, line) <= 1.6 * layout.pitch:
            columns = _merge_columns(current.columns, columns)  # the same table: its columns so far
        cells = {_column_of(x, columns) or 0: text for x, text in line.cells}
        return _Draft("table_row", parts=[(line.page, line.text)], cells=cells, columns=columns)
    if kind == "code":
        return _Draft("code", parts=[(line.page, _code_text(line, line.x0))], x0=line.x0)
    return _Draft("paragraph", parts=[(line.page, line.text)])


def _merge_columns(known: list[float], new: list[float]) -> list[float]:
    merged = list(known)
    for x in new:
        if _column_of(x, merged) is None:
            merged.append(x)
    return sorted(merged)


def _start_list_item(line: _Line, list_bullets: list[float]) -> _Draft:
    bullet = _BULLET_ITEM.match(line.text)
    text = line.text[bullet.end():] if bullet else line.text
    while list_bullets and list_bullets[-1] > line.x0 + 2:
        list_bullets.pop()
    if not list_bullets or line.x0 > list_bullets[-1] + 2:
        list_bullets.append(line.x0)
    text_x0 = line.x0 + 1.0 * line.size  # where the item's text starts, for its wrapped lines
    if len(line.runs) > 1 and line.runs[0].text in (bullet[1] if bullet else "", line.text.split()[0]):
        text_x0 = line.runs[1].x0
    return _Draft("list_item", level=len(list_bullets), parts=[(line.page, text)], x0=text_x0 - 2)


def _continue_draft(draft: _Draft, line: _Line) -> None:
    if draft.kind == "code":
        draft.parts.append((line.page, _code_text(line, draft.x0)))
    elif draft.kind == "table_row":
        for x, text in line.cells:
            column = _column_of(x, draft.columns)
            column = 0 if column is None else column
            draft.cells[column] = _join_cell(draft.cells[column], text) if draft.cells.get(column) else text
        draft.parts.append((line.page, ""))
    else:
        draft.parts.append((line.page, line.text))


_CELL_WRAP_HYPHEN = "-\x1f"  # a cell's line that ended in a hyphen: a split word or a name, told apart at output


def _join_cell(before: str, after: str) -> str:
    """A table cell's text wrapped onto another line: a cell that breaks after a hyphen or a slash holds a
    name or a path ("/usr/lib/x86_64-linux-" + "gnu/pkgconfig/"), or a word the typesetter split ("en-" +
    "vironment"; marked, and decided once the document's words are counted), whole again; else a space."""
    if re.search(r"[^\W\d_]-$", before) and after[:1].islower():
        return before[:-1] + _CELL_WRAP_HYPHEN + after
    if re.search(r"[\w.][-/]$", before) and after[:1].isalnum():
        return before + after
    return f"{before} {after}"


def _cell_words_whole(cell: str, vocabulary: Counter[str]) -> str:
    """A cell with each word split at a wrapped line's hyphen whole again, where it is one word."""
    if _CELL_WRAP_HYPHEN not in cell:
        return cell
    parts = cell.split(_CELL_WRAP_HYPHEN)
    out = parts[0]
    for part in parts[1:]:
        out += ("" if _is_split_word(out + "-", part, vocabulary) else "-") + part
    return out


def _code_text(line: _Line, left: float) -> str:
    indent = max(0, round((line.x0 - left) / line.advance))
    return " " * indent + line.text


# ----------------------------------------------------------------------------------------------- footnotes


@dataclass
class _Footnote:
    page: int
    lines: list[_Line]
    mark: _Line  # the body line that holds its mark


def _find_footnotes(pages: list[list[_Line]], layout: _Layout) -> list[_Footnote]:
    """Footnotes at the foot of their page: lines in a smaller font than the body, below it, the first
    of each opening with the number of a mark set small and raised in a body line of the same page
    ("… /bin and /sbin.¹¹" above "¹¹ Shared libraries that …"). A note's number must match a mark on its
    page, so a small-print caption or table is not taken for one, and a note whose mark is not found
    stays where it stands. Their lines are set aside from the page's flow."""
    notes: list[_Footnote] = []
    for lines in pages:
        marks: dict[str, _Line] = {}
        for line in lines:
            if line.dropped:
                continue
            if line.size >= 0.95 * layout.body_size:
                for number in _raised_numbers(line):
                    marks.setdefault(number, line)
            elif _is_number(line.text) and line.size <= 0.85 * layout.body_size:  # a mark on a line of its own
                marks.setdefault(line.text, line)
        small = sorted((line for line in lines if not line.dropped and line.text
                        and line.size < 0.9 * layout.body_size), key=lambda line: -line.y)
        lowest_body = min((line.y for line in lines if not line.dropped and line.text
                           and line.size >= 0.9 * layout.body_size), default=float("inf"))
        current: _Footnote | None = None
        for line in small:
            number = _note_number(line)
            if number is not None and number in marks and line.y < lowest_body:
                current = _Footnote(line.page, [line], marks[number])
                notes.append(current)
                _drop_mark(marks[number], number)
            elif current is not None and line.y < current.lines[-1].y:
                current.lines.append(line)
            else:
                continue
            line.in_note = True
    return notes


def _raised_numbers(line: _Line) -> list[str]:
    """The footnote marks in a body line: runs of one to three digits, smaller than the line's text and
    raised above its baseline."""
    return [run.text for run in line.runs if _is_number(run.text) and _is_raised(run, line)]


def _is_raised(run: _Run, line: _Line | _Run) -> bool:
    """Set smaller than the line's text and above its baseline, as a footnote mark is."""
    return run.size <= 0.85 * line.size and run.y >= line.y + 0.15 * line.size


def _drop_mark(line: _Line, number: str) -> None:
    """Take a footnote's raised number out of its body line: left in, it reads as a word of the sentence
    ("… should start with ITS: package-name3 ."). The note itself is placed after its section."""
    # the mark's place stays, emptied: taken away, its gap would read as a column gap
    kept = [replace(run, text="") if run.text == number and _is_raised(run, line) else run for run in line.runs]
    if kept != line.runs:
        remade = _make_line(kept, line.page)
        if len(line.cells) == 1 and len(remade.cells) > 1:  # a justified line found to be one cell stays one
            remade.text = " ".join(text for _, text in remade.cells)
            remade.cells = [(line.x0, remade.text)]
        line.runs, line.cells = kept, remade.cells
        # the emptied mark leaves the spaces on both its sides: "~/.bashrc  ." reads "~/.bashrc."
        line.text = remade.text if line.mono else \
            re.sub(r" {2,}", " ", re.sub(r" {2,}(?=[.,;:!?)])", "", remade.text))


def _is_number(text: str) -> bool:
    return text.isdigit() and len(text) <= 3


def _note_number(line: _Line) -> str | None:
    """The number a footnote's first line opens with, as a raised run of its own, or as digits before a
    space in the line's first run ("12 The usual placement …")."""
    first = line.runs[0]
    if _is_number(first.text) and len(line.runs) > 1 and (
            first.size <= 0.9 * line.size or first.y >= line.y + 0.15 * line.size):
        return first.text  # the line's size and baseline are its text's (_make_line)
    opening = re.match(r"(\d{1,3}) \S", line.text)
    return opening.group(1) if opening else None


def _note_draft(note: _Footnote) -> _Draft:
    """A paragraph of the note's lines; a space between its number and text where the raised number
    stands against the first word ("10A description" -> "10 A description")."""
    first, rest = note.lines[0], note.lines[1:]
    number = first.runs[0].text
    text = first.text
    if text.startswith(number) and len(text) > len(number) and not text[len(number)].isspace():
        text = f"{number} {text[len(number):]}"
    return _Draft("paragraph", parts=[(first.page, text), *((line.page, line.text) for line in rest)], note=True)


def _place_footnotes(drafts: list[_Draft], notes: list[_Footnote]) -> list[_Draft]:
    """Each footnote as a block of the section that holds its mark, after the section's other blocks (as
    the other readers place notes), never inside a paragraph or a table that runs over the page break, as
    it stood on the page. It is still cited on the page it is printed on (Document.moved)."""
    after: defaultdict[int, list[_Draft]] = defaultdict(list)  # draft index -> notes to put after it
    for note in notes:
        marked = note.mark.draft
        if marked < 0:  # its mark went into no block: the section of its page's last block takes it
            marked = max((i for i, d in enumerate(drafts) if d.parts[0][0] <= note.page), default=0)
        end = next((i for i in range(marked + 1, len(drafts)) if drafts[i].kind == "heading"), len(drafts))
        after[end - 1].append(_note_draft(note))
    placed: list[_Draft] = []
    for i, draft in enumerate(drafts):
        placed.append(draft)
        placed.extend(after.get(i, ()))
    return placed


# -------------------------------------------------------------------------------------------------- output


def _commands_as_code(drafts: list[_Draft]) -> list[_Draft]:
    """Paragraphs whose lines read as commands or settings, though set in the text's font (groff's examples
    in roman: "lvcreate -n SnapLV --snapshot VG/ThinLV" over "lvcreate -n SnapLV --snapshot VG/PrevSnapLV"),
    are code, a line each: joined, they read as one wrong command."""
    for draft in drafts:
        lines = [text for _, text in draft.parts]
        wrapped = any(line.endswith("-") for line in lines[:-1])  # a path or word broken at the line's end
        if draft.kind == "paragraph" and len(lines) >= 2 and not wrapped and reads_as_code(lines):
            draft.kind = "code"
    return drafts


def _emit(builder: TextBuilder, drafts: list[_Draft], page_count: int, vocabulary: Counter[str]) -> None:
    """Add the blocks page by page: new_page() before each page's first text, extend_last() for the part
    of a block on a later page."""
    page = -1
    for draft in drafts:
        if draft.note:  # its page is its own, wherever it is placed
            builder.add_from_page(draft.kind, _draft_pieces(draft, vocabulary)[0][1], draft.parts[0][0])
            continue
        for i, (part_page, text, separator) in enumerate(_draft_pieces(draft, vocabulary)):
            while page < part_page:
                builder.new_page()
                page += 1
            if i == 0:
                builder.add(draft.kind, text, level=draft.level, numbering=draft.numbering)
            else:
                builder.extend_last(text, separator)
    while page < page_count - 1:
        builder.new_page()
        page += 1


_TAG = re.compile(r"(?:[−+-]{1,2}[^\s,]+,?\s*){1,3}|\d{1,3}")  # "−A", "−t, −−timeout", "+F", an exit code "28"


def _tagged_paragraphs(drafts: list[_Draft], vocabulary: Counter[str]) -> None:
    """Make a manual page's tagged paragraphs that its columns made table rows paragraphs again: a tag short
    enough to share its first line with the text ("−A   Print each packet … in ASCII.", groff's .TP), an option
    or a code and what it does, read as one paragraph, not a table's row ("−A | Print …"); a document printed
    from a web page keeps its tables of options as tables."""
    for draft in drafts:
        cells = [draft.cells[c] for c in sorted(draft.cells) if draft.cells[c]]
        if draft.kind == "table_row" and len(cells) == 2 and _TAG.fullmatch(cells[0].strip()) \
                and len(cells[1].split()) >= 2:
            text = " ".join(_cell_words_whole(cell, vocabulary) for cell in cells)
            draft.kind, draft.parts, draft.cells = "paragraph", [(draft.parts[0][0], text)], {}


def _draft_pieces(draft: _Draft, vocabulary: Counter[str]) -> list[tuple[int, str, str]]:
    """The draft's text split where its pages change: (page, text, separator before it)."""
    if draft.kind == "table_row":
        row = " | ".join(_cell_words_whole(draft.cells[c], vocabulary) for c in sorted(draft.cells) if draft.cells[c])
        return [(draft.parts[0][0], row, "")]
    pieces: list[tuple[int, list[str]]] = []
    for page, text in draft.parts:
        if not pieces or pieces[-1][0] != page:
            pieces.append((page, []))
        pieces[-1][1].append(text)
    if draft.kind == "code":
        return [(page, "\n".join(texts).strip("\n"), "\n") for page, texts in pieces]
    flat = [text for _, texts in pieces for text in texts]
    joined = _reflow(flat, vocabulary)  # one string per line, each with the separator before it
    out: list[tuple[int, str, str]] = []
    k = 0
    for page, texts in pieces:
        chunk = joined[k:k + len(texts)]
        k += len(texts)
        text = "".join(sep + t for sep, t in chunk)[len(chunk[0][0]):]
        out.append((page, text, chunk[0][0]))  # "" after a word split over the page break
    return out


def _reflow(lines: list[str], vocabulary: Counter[str]) -> list[tuple[str, str]]:
    """Join wrapped lines with a space; with nothing after a hyphen at the line end, dropping the hyphen
    where it split a word ("manage-" + "ment") and keeping it in a compound ("run-" + "time")."""
    out: list[tuple[str, str]] = []
    for i, text in enumerate(lines):
        text = text.strip()
        if i == 0:
            out.append(("", text))
            continue
        previous = out[-1][1]
        soft = _SOFT_HYPHEN_AT_END.search(previous)
        if soft:  # the typesetter's own mark: always a split word
            out[-1] = (out[-1][0], previous[: soft.start()])
            out.append(("", text))
        elif (_URL_BROKEN_AT_END.search(previous) and not _SENTENCE_AFTER_ADDRESS.match(previous[-1:] + text)
              or _NAME_BROKEN_AT_END.search(previous)) and text[:1].isalnum():
            out.append(("", text))  # "https://www.gnu." + "org/", "$(exec_" + "prefix)": one word
        elif _PATH_BROKEN_AT_END.search(previous) and text[:1].isalnum() and _is_split_path(previous, text, vocabulary):
            out.append(("", text))  # "/usr/share/doc/" + "PACKAGE/copyright.": one path
        elif previous.endswith("/-") and text[:1].isalnum():  # a path broken after a slash, marked "-"
            out[-1] = (out[-1][0], previous[:-1])  # ("debian/-" + "patches/")
            out.append(("", text))
        elif _WORD_HYPHEN_AT_END.search(previous) and text[:1].isalnum():
            if _is_split_word(previous, text, vocabulary):
                out[-1] = (out[-1][0], previous[:-1])
            out.append(("", text))
        else:
            out.append((" ", text))
    return [(sep, t.replace("\u00ad", "")) for sep, t in out]


def _is_split_path(before: str, after: str, vocabulary: Counter[str]) -> bool:
    """Whether a line that ends in a path's slash goes on with the rest of that path: the next word holds a
    slash too ("/usr/share/doc/" + "PACKAGE/copyright."), or the document writes the two as one path
    elsewhere ("debian/" + "rules"). "the /usr/X11R6/" + "directory" is a path and a word; "dists/stable/" +
    "dists/stable/main/" are two paths of a listing."""
    tail = _PATH_TAIL.match(after)[0].rstrip(".")
    head = _PATH_HEAD.search(before)[0]
    if tail.startswith(head.lstrip("/").split("/")[0] + "/"):
        return False
    return "/" in tail or (bool(tail) and vocabulary[f"{head}{tail}".casefold()] > 0)


def _is_split_word(before: str, after: str, vocabulary: Counter[str]) -> bool:
    """Whether "head-" + "tail" at a line break is one word split by the typesetter. As the document spells
    it elsewhere, if it does; else a hyphen stays before a capital or digit ("x86-64", "non-GNU"), after a
    hyphenated head ("read-only-"), after prefixes like "non-", and before a common second part of a
    compound ("-based", "-time"), a tail too short for hyphenation ("back-up") or one hyphenated on."""
    head = re.search(r"([\w'’-]*)[-\u2010\u2011]$", before)[1]
    tail = re.match(r"[\w'’-]*", after)[0]
    capitals = head.isupper() and tail.isupper()  # a heading in capitals: "CUR-" + "RENCY"
    bare = head.lstrip("-")  # an option's dashes are not the word's: "--hu-" + "man-readable"
    if not bare or not tail or not bare[-1].isalpha() or not (tail[0].islower() or capitals):
        return False
    joined, hyphenated = f"{bare}{tail}".casefold(), f"{bare}-{tail}".casefold()
    if head.startswith("-"):  # an option's name: its hyphens are its own unless it is never written so
        return vocabulary[hyphenated] == 0 and vocabulary[joined] > 0
    if vocabulary[joined] != vocabulary[hyphenated]:  # as the document spells it elsewhere
        return vocabulary[joined] > vocabulary[hyphenated]
    if "-" in head:  # a compound's last part split: "name-transla-" + "tion", "non-daemon-af-" + "fecting"
        last = bare.rsplit("-", 1)[-1]
        part, split = f"{last}{tail}".casefold(), f"{last}-{tail}".casefold()
        return bool(last) and (vocabulary[part] > vocabulary[split] or (
            vocabulary[part] == vocabulary[split] and is_english_word(part) and not is_english_word(last)))
    if capitals:
        return is_english_word(joined)
    if re.search(r"[/.][\w'’-]*[-\u2010\u2011]$", before):
        return False  # in a path or file name a hyphen is the name's own: ".../examples/simple-" "radvd.conf"
    first_part = re.match(r"[^\W\d_]+", tail)
    # a tail hyphenated on ("recently-killed") was broken at a compound's own hyphen: TeX breaks a word
    # that holds a hyphen only there ("most-" + "recently-killed")
    if head.casefold() in _HYPHENATED_PREFIXES or len(tail) <= 2 or "-" in tail or \
            (first_part and first_part[0] in _COMPOUND_TAILS):
        return False
    # two words of the language that make none together are a compound: "less-" + "frequently" ("under-" +
    # "stands" makes one)
    return not (len(head) >= 3 and len(tail) >= 3 and not is_english_word(joined)
                and is_english_word(head) and is_english_word(tail))
