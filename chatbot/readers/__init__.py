"""Readers: one module per format, each `read(path, doc_id) -> Document`, all giving the same record.

What a reader promises (see records.Block and records.Document):
- `text` is what citations index into. For .txt/.md it is the file as decoded; for PDF, HTML and DOCX it
  is the extracted text, built with `TextBuilder`: one block after another, separated by a blank line,
  each block reflowed (no hard wraps inside a paragraph), code kept line by line.
- `blocks` cover every piece of text to index, in order: headings (level, numbering), paragraphs, list
  items, table rows, code. What they leave out is never quoted: tables of contents, running headers and
  footers, page numbers, navigation.
- `pages` (PDF) and `anchor` (HTML) say where a quote stands in the original.
- A file that cannot be read raises `Unreadable` with a reason a user understands; the caller skips it
  with one line on stderr.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from ..records import Block, BlockKind, Document

READERS_VERSION = 132  # bump when any reader's output changes: stored indexes then re-read their files

# Zero-width characters (Asciidoctor's "…\u200b" break hints, a byte-order mark, a word joiner): nothing a
# reader sees, nor a quote should hold. str.translate drops them.
INVISIBLE = str.maketrans({"\u200b": None, "\ufeff": None, "\u2060": None})


class Unreadable(ValueError):
    """This file cannot be read; str(exc) says why, in words a user understands ("it is encrypted")."""


_TITLE_PARTS = re.compile(r"\s+(?:[-|\u2013\u2014\u00b7:]|::)\s+")
_NOT_WORDS = re.compile(r"[^\w]+")


def words_of(text: str) -> str:
    """The words alone, case folded: "Apache HTTP Server Version 2.4 ☰" -> "apache http server version 2 4"."""
    return _NOT_WORDS.sub(" ", text).strip().casefold()


def title_parts(title: str) -> list[str]:
    """The words of each part of a web page's title ("Authentication and Authorization - Apache HTTP Server
    Version 2.4"): one names the page, another the site whose banner the page prints above its heading."""
    return [words_of(part) for part in _TITLE_PARTS.split(title)]


class TextBuilder:
    """Assembles a document's text block by block, keeping each block's offsets and where pages start.

    A PDF reader calls `new_page()` before each page's text (page 1 included), so `pages` has one entry
    per page: the offset of the page's first character (an empty page shares the next page's offset)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._pages_waiting = 0  # pages begun whose first text has not come yet
        self.blocks: list[Block] = []
        self.pages: list[int] = []
        self.moved: list[tuple[int, int, int]] = []  # see Document.moved

    def add(self, kind: BlockKind, text: str, *, level: int = 0, numbering: str = "", anchor: str = "") -> None:
        """Append one block (empty or all-white-space text is dropped). Code loses only the indent all its
        lines share: stripped like prose, its first line alone would lose its place ("APT" / "  {")."""
        text = textwrap.dedent(text).strip("\n").rstrip() if kind == "code" else text.strip()
        if not text.strip():
            return
        if self._parts:
            self._append("\n\n")
        start = self._length
        self._start_pages(start)
        self._append(text)
        self.blocks.append(Block(kind, start, self._length, level, numbering, anchor))

    def add_from_page(self, kind: BlockKind, text: str, page: int) -> None:
        """Append a block whose text stands on `page` (0-based), whatever page the text has reached: a PDF's
        footnote placed with the section that marks it."""
        count = len(self.blocks)
        self.add(kind, text)
        if len(self.blocks) > count:
            self.moved.append((self.blocks[-1].start, self.blocks[-1].end, page + 1))

    def extend_last(self, text: str, separator: str = " ") -> None:
        """Carry the last block on (a paragraph that runs over a page break)."""
        text = text.strip()
        if not text:
            return
        if not self.blocks:
            self.add("paragraph", text)
            return
        self._append(separator)
        self._start_pages(self._length)
        self._append(text)
        last = self.blocks[-1]
        self.blocks[-1] = Block(last.kind, last.start, self._length, last.level, last.numbering, last.anchor)

    def new_page(self) -> None:
        self._pages_waiting += 1

    def _start_pages(self, offset: int) -> None:
        self.pages.extend([offset] * self._pages_waiting)
        self._pages_waiting = 0

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def document(self, doc_id: str, title: str, format: str) -> Document:
        self._start_pages(self._length)
        return Document(doc_id, self.text, title=" ".join(title.split()), blocks=tuple(self.blocks),
                        pages=tuple(self.pages), format=format, moved=tuple(self.moved))


def first_heading_title(text: str, blocks: Sequence[Block],
                        shown: Callable[[str, Block], str] = lambda text, block: text[block.start:block.end]) -> str:
    """The first heading as `shown` reads it (plain text strips its markup), as a document with no title of its
    own is named; a manual page's is its NAME line ("sudo.conf — configuration for sudo front-end"), which
    stands under "NAME"."""
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            title = shown(text, block)
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if title == "NAME" and following is not None and following.kind == "paragraph":
                return " ".join(text[following.start:following.end].split())
            return title
    return ""


def row_text(cells: Sequence[str]) -> str:
    """A table row as one line, its cells apart by " | ". An empty cell between two filled ones keeps its
    place: a feature table's "PGS |  |  |  | X" (decoding only) had read "PGS | X", as if under the first
    column. Empties before the first or after the last filled cell say nothing a reader needs."""
    filled = [i for i, cell in enumerate(cells) if cell]
    return " | ".join(cells[filled[0]:filled[-1] + 1]) if filled else ""


# suffix -> format; the content is checked too (a zip renamed .docx, HTML saved as .txt)
FORMATS = {
    ".txt": "text", ".text": "text", ".rst": "text", ".adoc": "text", ".asciidoc": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx",
}


SNIFF_BYTES = 8192
# control characters plain text may hold: tab, line ends, form feed, and the backspace of a manual page's
# overstruck bold and underline as `man` and groff write it to a file
_TEXT_CONTROLS = frozenset("\t\n\r\f\b")


# a documentation file named the Unix way, in capitals: README, INSTALL, Postfix's STRESS_README, README.Debian
_DOCUMENTATION_NAME = re.compile(r"[A-Z][A-Z0-9_-]{2,}(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)?")  # README.auth-pam
# ... or named after what it is, in any case, beside other words: "startup-files-README", "readme", "faq"
_DOCUMENTATION_WORD = re.compile(r"(?:[^.]*[-_])?(?:readme|install|news|faq|changes|changelog|hacking|notes|todo|"
                                 r"authors|thanks|bugs|copying|license|licence)(?:[-_][^.]*)?", re.IGNORECASE)

# ... or a configuration file or its sample, read for its comments: "mdadm.conf-example", "nginx.conf",
# "php.ini-production", "settings.cfg.dist", a program's run-commands file ("sample.nanorc", "muttrc.example")
_CONFIGURATION_SUFFIX = re.compile(r"\.(?:[a-z0-9]*[-_])?(?:conf|config|cfg|ini|cnf|example|sample|dist|[a-z]+rc)"
                                   r"(?:[-_][a-z0-9_-]*)?", re.IGNORECASE)


def format_of(path: Path) -> str | None:
    """The format a file's suffix names, or None for a suffix no reader takes. A documentation file named
    in capitals with no suffix a reader takes (README, STRESS_README, NEWS.Debian) is plain text when its
    content is; a Makefile or a saved page's "core" is not a document."""
    found = FORMATS.get(path.suffix.lower())
    if found is None and is_documentation_name(path.name):
        return "text" if looks_like_text(path) and not is_script(path) else None
    return found


# files named without a suffix that are a build's or a tool's, not documents
_NOT_DOCUMENTS = frozenset({"makefile", "gnumakefile", "dockerfile", "containerfile", "vagrantfile", "jenkinsfile",
                            "rakefile", "gemfile", "procfile", "pipfile", "brewfile", "justfile"})


def is_documentation_name(name: str) -> bool:
    """A name a document may have with no suffix a reader takes: README, NEWS.Debian, README.auth-pam,
    "startup-files-README", a configuration sample ("mdadm.conf-example", Squid's "squid.conf.documented"), or
    any name with no suffix at all
    (nginx's notes "php", "upstream", "fcgiwrap") but a build's or a tool's file (Makefile, Dockerfile). Its
    content must still be text (`format_of`)."""
    if Path(name).suffix.lower() in FORMATS:
        return False
    if "." not in name.lstrip("."):
        return name.casefold() not in _NOT_DOCUMENTS
    return bool(_DOCUMENTATION_NAME.fullmatch(name) or _DOCUMENTATION_WORD.fullmatch(name)
                or (any(_CONFIGURATION_SUFFIX.fullmatch(suffix) for suffix in _suffixes(name))
                    and Path(name).suffix.lower() not in _PROGRAM_SUFFIXES))


# a program's or data's own suffix after a configuration's ("settings.conf.py"): not a document
_PROGRAM_SUFFIXES = frozenset({".py", ".js", ".ts", ".json", ".xml", ".css", ".sh", ".pl", ".rb", ".php", ".c", ".h",
                               ".java", ".go", ".rs", ".lua", ".yaml", ".yml", ".toml", ".lock", ".db", ".sqlite"})


def _suffixes(name: str) -> list[str]:
    """The name's suffixes from the first dot, each a word ("squid.conf.documented": ".conf", ".documented");
    a version's ("foo-1.0.tar") are not."""
    return [suffix for suffix in Path(name).suffixes if re.fullmatch(r"\.[A-Za-z][\w-]*", suffix)]


def is_script(path: Path) -> bool:
    """A program ("#!/bin/sh" on its first line: install-sh), not a document."""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


def looks_like_text(path: Path) -> bool:
    """Whether the file's first bytes are UTF-8 (or UTF-16 with its BOM) text, not binary data."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    text = head_text(head)
    if not text:
        return False
    controls = sum(1 for c in text if c < " " and c not in _TEXT_CONTROLS)
    return controls <= len(text) // 100


def head_text(head: bytes) -> str | None:
    """The text a file's first bytes hold, as the text reader would decode them (UTF-16 with its BOM,
    UTF-8, or ASCII with a few Windows-1252 letters), or None for binary data or another encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", errors="ignore")  # a multi-byte character cut at the end is fine
    if len(text.encode("utf-8")) >= len(head) - 3:
        return text
    from .text import legacy_8bit  # (the text reader imports this module)

    return None if legacy_8bit(head) is None else head.decode("latin-1")


def read_document(path: Path, doc_id: str) -> Document:
    """Read one file with the reader for its format. Raises Unreadable when it cannot be read."""
    kind = format_of(path)
    if kind is None:
        if is_documentation_name(path.name):
            raise Unreadable("it is not plain text")
        raise Unreadable(f"no reader for {path.suffix} "
                         f"(readable: {', '.join(sorted(set(FORMATS)))})")
    if kind in ("text", "markdown"):
        from .text import read_text

        return read_text(path, doc_id, kind)
    if kind == "pdf":
        from .pdf import read_pdf

        return labels_as_paragraphs(read_pdf(path, doc_id))
    if kind == "html":
        from .html import read_html

        return labels_as_paragraphs(read_html(path, doc_id))
    from .docx import read_docx

    return labels_as_paragraphs(read_docx(path, doc_id))


# a figure's caption: "Figure 11.8. The configuration profiles dialog box", "Fig. 3: Pipeline stages"
_FIGURE_CAPTION = re.compile(r"(?:Figure|Fig\.)\s+[A-Z]?[.\-]?\d+(?:[.\-]\d+)*[.:]\s+(?P<title>\S.*)")
FIGURE_CAPTION_WORDS = 20  # a longer "Figure 2. …" paragraph says more than what a picture shows


def is_figure_caption(text: str) -> bool:
    """A paragraph that only names a picture the text does not hold ("Figure 5.5. “Merge” on Microsoft
    Windows"): its title matched questions about the pictured dialog, and was quoted as their answer. A
    sentence that refers to a figure ("Figure 11.3, “…” shows an example") is text."""
    found = _FIGURE_CAPTION.fullmatch(" ".join(text.split()))
    return found is not None and len(found["title"].split()) <= FIGURE_CAPTION_WORDS \
        and not re.search(r"[.!?]\s+[A-Z]", found["title"])


def is_box_label(text: str) -> bool:
    """A box's label alone ("Note", "Warning"): the PDF reader leaves it out, and so do the others, so that
    a quote does not open with it and every format quotes the box alike."""
    return bool(_BOX_LABEL.match(" ".join(text.split()).casefold().rstrip(":")))


# a superscript that is a power ("32" of 2<sup>32</sup>): a number of one to three digits, maybe signed
_EXPONENT = re.compile(r"[-−+]?\d{1,3}")
# a link or cell that only names a page to go to: "Prev", "Next", "Up", "Home", "Top", "Contents"
_NAVIGATION_WORD = re.compile(r"^(?:prev|previous|next|up|home|top|contents)$", re.IGNORECASE)


def is_exponent(text: str) -> bool:
    """Whether a superscript's text reads as a power after a number (2^32), not as a footnote's mark."""
    return bool(_EXPONENT.fullmatch(text.strip()))


def is_navigation_word(text: str) -> bool:
    """Whether a link's text only names a page to go to ("Prev", "Next", "Contents")."""
    return bool(_NAVIGATION_WORD.match(text))


LABEL_REPEATS = 3  # an unnumbered heading met this often is a label ("Rationale", "Note"), not a section
_BOX_LABEL = re.compile(r"^(?:note|tip|warning|caution|important|hint|attention|danger)$")


def labels_as_paragraphs(document: Document) -> Document:
    """An unnumbered heading whose words recur as a heading all over the document ("Rationale" atop 26
    boxes, "Note") labels a box inside its section; it does not start a section. The plain-text reader
    reads such a line the same way (a line standing alone that recurs), so every format of a document
    cites a box's text under the same section."""
    def key(block: Block) -> str:
        return " ".join(document.text[block.start:block.end].casefold().split())

    headings = [b for b in document.blocks if b.kind == "heading"]
    counts = Counter(key(b) for b in headings if not b.numbering)
    # where sections go unnumbered, a title met under each of several siblings is each one's subsection (a
    # command's "Description" and "Examples" on Sphinx's usage pages); only a box's own label is not
    numbered = 2 * sum(1 for b in headings if b.numbering) >= len(headings)
    labels = {k for k, n in counts.items() if n >= LABEL_REPEATS and (numbered or _BOX_LABEL.match(k))}
    if not labels:
        return document
    blocks = tuple(replace(b, kind="paragraph", level=0) if b.kind == "heading" and not b.numbering
                   and key(b) in labels else b for b in document.blocks)
    return replace(document, blocks=blocks)
