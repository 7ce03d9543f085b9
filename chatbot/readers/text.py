"""Plain text and Markdown, as people have them: the file's own text is what citations index, and the
structure is found in it line by line.

What it recognises: Markdown `#` headings, underlined headings (`===`, `---`, `***`), numbered headings
(`8.5. How can I …`, `Chapter 2. …`, `4.2.1 Title`) also when wrapped over two lines, FAQ question lines,
short title lines between paragraphs; paragraphs (hard-wrapped, indented), list items, table rows, fenced
code. What it leaves out: a table of contents (lines that repeat later headings, dot leaders), YAML front
matter, copyright and licence notes before the first heading, and rules (recurring labels such as
"Note" are dropped by the chunker, for every format).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from ..records import Block, BlockKind, Document
from . import Unreadable, first_heading_title
from .box_drawing import as_ascii_grid, is_box_rule, opens_with_box
from .code_lines import PLAIN_WORD, reads_as_code
from .manual_page import manual_page_layout, without_change_bar

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•–+◦▪]|\d{1,3}[.)]|[a-z][.)])\s+")
_NUMBERED = re.compile(
    r"^(?P<num>(?:(?:chapter|appendix|part)\s+[0-9a-z]{1,4}[.:]?)|\d{1,3}(?:\.\d{1,3})*\.?|[A-Z]\.(?:\d{1,3}\.?)*"
    r"|\*\d{1,3}(?:\.\d{1,3})+\*)"  # Vim's help: a section's number is its tag, "*20.1*"
    r"\s+(?P<title>\S.*)$", re.IGNORECASE)
_UNDERLINE = re.compile(r"^\s*([=\-~*^#.+_`'])\1{2,}\s*$")
_NUMBER_MARK = re.compile(r"^\s*\d{1,3}[.)]\s")
_SECTION_RULE = re.compile(r"={20,}")  # a line of "=" across the page opening a section (Vim's help)
_MID_SENTENCE_END = re.compile(r"\b(?:to|of|the|a|an|by|and|or|with|for|in|on|at|is|are|from|than|about|only)\s*$",
                               re.IGNORECASE)  # a line that stops at a small word goes on in the next one
NUMBERED_MANUAL = 5  # this many numbered headings make a plain-text file a numbered manual
UNDERLINED_MANUAL = 3  # ... or underlines this many: a Markdown heading there is a comment
_FIELD = re.compile(r"[A-Z][\w-]*:\s+[a-z0-9\"'(/<]")  # a field and its value: "Default: empty", "Urgency: low"
_CAPTION = re.compile(r"^(?:table|figure|example|listing)\s+(?:\d+|[A-Z])(?:\.\d+)*\.?\s", re.IGNORECASE)
# a line that is all bold, maybe a bullet's: "  * **1.1 What is this?**" (cryptsetup's FAQ) heads its entry
_BOLD_LINE = re.compile(r"^\s*(?:[-*+]\s+)?(\*\*|__)(?P<title>[^*_\s](?:.*?\S)?)\1\s*$")
_RULE = re.compile(r"^\s*([-=_*~#+.|:])(?:\s*\1){2,}\s*$|^\s*[|+][-=+|:\s]*$")
_SETEXT_LEVELS = {"=": 1, "-": 2}
COMMENTED_SHARE = 0.5  # a file with this share of its lines "# …" is a configuration's: they are comments
COMMENTED_LINES = 8  # (a short note of two headings and a sentence is not)
BANNERED = 2  # section titles under banners that make a configuration sample's "# …" lines comments
_BANNER_MARKS = 5  # "#####…" over a configuration sample's section title
_MAX_BANNER_WORDS = 8
# a title set inside a banner on its own line: hostapd.conf's "##### IEEE 802.11 related configuration #####…"
_INLINE_BANNER = re.compile(r"^#{3,}[ \t]+(\S.*?)[ \t]+#{3,}$")
_CODE_LINE_END = re.compile(r"[;{}]\s*$")  # a directive's or a block's line: "root /var/www;", "server {"
_SHELL_PROMPT = re.compile(r"^\s*[$#%]\s+\S")  # "$ make install", "# ufw enable": a command
_TABLE_LINE = re.compile(r"^\s*[|+]")
_TABLE_SEPARATOR = re.compile(r"^\s*[|+]?[\s|+:=-]*-[\s|+:=-]*$")
# a contents or index entry's page reference: dot leaders, a far-off page number, texinfo's "(line 153)"
_DOT_LEADER = re.compile(r"(?:\.\s?){3,}\s*\d+\s*$|\s{3,}\d{1,4}\s*$|\(line\s+\d+\)\s*$")
_RST_COMMENT = re.compile(r"^\.\. [\w-]+\s*$")  # reStructuredText: a comment or marker line, not text
# reStructuredText directives that lay out or describe the page (".. contents:: Table of Contents", ".. meta::"
# over its indented ":keywords: …"): markup, with whatever is indented under them
_RST_MARKUP_DIRECTIVE = re.compile(r"^\.\. (?:contents|meta|toctree|index|highlight|sectnum|include|raw|image|"
                                   r"role|default-role|title)::")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# a row of dashes with scissors, "---%<-----", above and below a sample (wikis' text exports: Dovecot's)
_SCISSORS = re.compile(r"^\s*-{3,}\s*(?:%<|>%|8<|>8|\u2702)\s*-{3,}\s*$")
# AsciiDoc (Git's manuals as text): a listing or literal block between two like lines of dashes or dots, and
# the markup lines that are no text: a list continuation "+", an anchor "[[id]]", a block's attributes "[verse]"
_ASCIIDOC_DELIMITER = re.compile(r"^(-{4,}|\.{4,})[ \t]*$")
_ASCIIDOC_MARKUP = re.compile(r"^(?:\+|\[\[[^\]\s]+\]\]|\[(?:verse|source|listing|literal|quote|subs|NOTE|TIP|"
                              r"WARNING|IMPORTANT|CAUTION)\b[^\]]*\])[ \t]*$")
# in a text that reads as AsciiDoc, also: a block's attributes of any name ("[preface]", "[appendix]"), an
# attribute entry (":toc:"), a comment ("// …"); and titles of one line, "== Title" (its level in "=")
_ASCIIDOC_ANCHOR = re.compile(r"\[\[[^\]\s]+\]\]")  # "[[user-name]]" on a line of its own
_ASCIIDOC_ANY_MARKUP = re.compile(r"^(?:\[[^\[\]]*\]|:[\w-]+:.*|//(?!/).*)[ \t]*$")
# a title between equal runs of "=" ("== HOME ==", as wikis and some READMEs set one): a heading in any text
# ("==> /etc/tool/local.conf <==", as `head` names a file it shows, is none)
_CLOSED_TITLE = re.compile(r"^(={2,6})[ \t]*(?=[^\s=<>])(.*?[^\s=<>])[ \t]*\1[ \t]*$")
# an underline run onto its title's line: "Default fonts and PostScript fonts.  ==================="
_UNDERLINE_ON_THE_LINE = re.compile(r"(?<=\S)[ \t]+([=\-~])\1{2,}[ \t]*$")
# a title set by a dot command that a converter reads (lynx.cfg's ".h1 Interaction" / ".h2 GOTOBUFFER", for its
# cfg2html); in such a file the other dot commands (".ex", ".nf", ".url …") lay out the page: not text
_DOT_TITLE = re.compile(r"^\.h([1-6])[ \t]+(\S.*?)[ \t]*$")
_COMMENT_TITLE = re.compile(r"^#+[ \t]+([A-Z][A-Za-z0-9 /&,()-]{2,60}?)[ \t]*$")  # "# OPTIONS FOR AUTHENTICATION"
_COMMENT_RULE = re.compile(r"^#+[ \t]*[-=]{3,}[ \t]*$")  # "# -----------…" under it
_COMMENT_LABEL = re.compile(r"^#+[ \t]+([A-Z][A-Za-z]{1,15}):[ \t]+\S+[ \t]*$")  # "#  TAG: http_port"
COMMENT_ENTRIES = 5  # lines opening with one label that make them a file's entries
_DOT_COMMAND = re.compile(r"^\.[a-z][a-z0-9]{0,3}(?:[ \t].*)?$")
DOT_TITLED = 2  # dot titles that make a file's dot lines commands
_ASCIIDOC_TITLE = re.compile(r"^(={1,6})[ \t]+(\S.*?)(?:[ \t]+=+)?[ \t]*$")
_ASCIIDOC_UNDERLINE_SLACK = 3  # a two-line title's underline is as long as the title, give or take this


# "<h3 name="config">", "</h3>", '<a id="custom-attributes"></a>', "<!-- Keep this for compatibility -->"
_HTML_TAGS_LINE = re.compile(r"(?:(?:</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--.*?-->)\s*)+")


def _is_asciidoc_markup(line: str) -> bool:
    """A line of AsciiDoc markup, no text: "+", "[[id]]", "[verse]", "[preface]", ":toc:", "// …"."""
    return bool(_ASCIIDOC_MARKUP.match(line) or _ASCIIDOC_ANY_MARKUP.match(line))
_ASCIIDOC_LABEL = re.compile(r"\S::$")  # a labelled list's term: "How do I change it?::"
_ASCIIDOC_MACRO = re.compile(r"\b(?:linkgit|link|xref|image|footnote|kbd):[^\s\[]*\[[^\]]*\]")
# An FAQ written as "Q: …" / "A: …" paragraphs (screen's): each question heads its answer
_QUESTION_MARK = re.compile(r"^Q\s*[:.)]\s+\S")
_ANSWER_MARK = re.compile(r"^A\s*[:.)]\s+\S")
QA_ENTRIES = 3  # this many "Q:" and "A:" paragraphs make a question-and-answer FAQ
_MAX_QUESTION_LINES = 6
_QUESTION_START = re.compile(
    r"^(what|how|why|which|where|when|who|whom|whose|is|are|was|were|do|does|did|can|could|"
    r"should|would|will|may)\b", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?:.*\r?\n){0,60}?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_LEGAL = re.compile(r"copyright|©|\(c\)\s*\d|licen[cs]e|all rights reserved|permission is granted|"
                    r"free software foundation|redistribute", re.IGNORECASE)
_CONTENTS_TITLE = re.compile(r"^(table of contents|contents|list of (tables|figures|examples))$", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with by from and or but nor as than that which who during into onto "
    "over under about between through is are was were be been has have had do does did can will would "
    "this these those its their our your my his her see also".split())
_NAVIGATION_WORDS = frozenset(("Prev", "Previous", "Up", "Home", "Next", "Top", "Contents"))
_MAX_TITLE_WORDS = 12
_LETTER = re.compile(r"[^\W\d_]")
# cells of a table set out in columns: "Target:     static lib.   import", "Name\t\t\t\tMeaning"
_COLUMN_GAP = re.compile(r"\S(?: {3,}| *\t\s*)\S")
_MAX_NUMBERED_TITLE_WORDS = 20
_FIELDS_RUN_TOGETHER = re.compile(r"[^\s:]:[^\s:/]")  # "-:root:ALL"; not "Note: …", "Net::SMTP", "file://"
_TERM_WORDS = 4  # a term over its description, in a list of options: "auth=value", "%u"
_FRAMING = "=-~*+"  # the rules that frame a title above and below
# a title set further in than the body: words, maybe quoted ('"Single crack" mode.'), no command or path
_INDENTED_TITLE = re.compile(r"[\"'“]?[A-Z][\w'’\"”()!-]*(?:[ ]{1,2}[\w'’\"”(),/!-]+)*[.?!]?")
_INDENTED_TITLE_WORDS = 8
OUTDENTED_TITLES = 3  # lines set left of the body over their text, at least this many: the document's headings
_MAX_QUESTION_WORDS = 30  # an FAQ's question set as a title may run long
_MAX_BOLD_TITLE_WORDS = 12  # a longer line in bold is emphasis, not a title
BOLD_HEADINGS = 3  # lines alone in bold, at least this many: the document's way of marking its headings
_MAX_QUESTION_CHARS = 200
_ENDS_A_SENTENCE = re.compile(r"[.!?:][\"'”’)*_`]*$")


class _Line:
    __slots__ = ("start", "end", "raw", "text", "blank", "indent")

    def __init__(self, start: int, end: int, raw: str) -> None:
        self.start, self.end, self.raw = start, end, raw  # end excludes the line break
        self.text = raw.strip().lstrip("\ufeff")
        self.blank = not self.text
        self.indent = len(raw) - len(raw.lstrip())


def read_text(path: Path, doc_id: str, kind: str = "text") -> Document:
    """A .txt/.md file: its text as decoded, with the blocks found in it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(exc.strerror or str(exc)) from exc
    decoded = decode(raw)
    text = without_overstrikes(decoded)
    blocks = with_heading_anchors(text, find_blocks(text, markdown=kind == "markdown",
                                                    bold=bold_line_starts(decoded, text)))
    if not any(b.kind != "heading" for b in blocks):
        raise Unreadable("it has no readable text")
    return Document(doc_id, text, title=document_title(text, blocks), blocks=tuple(blocks), format=kind)


# an anchor a Markdown heading sets in HTML for links to it: "## Host States <a id="host-states"></a>"
_HTML_ANCHOR = re.compile(r"""<a\s+(?:id|name)\s*=\s*["']([^"']+)["']\s*/?>(?:\s*</a>)?""", re.IGNORECASE)


def with_heading_anchors(text: str, blocks: list[Block]) -> list[Block]:
    """Each block with the anchor its section's heading sets (Icinga's Markdown names one on each heading),
    as an HTML page's blocks have their element's id: a citation then links to its section."""
    anchor, out = "", []
    for block in blocks:
        if block.kind == "heading":
            found = _HTML_ANCHOR.search(text, block.start, block.end)
            anchor = found.group(1) if found else ""
        out.append(replace(block, anchor=anchor) if anchor else block)
    return out


LEGACY_SHARE = 0.01  # at most this share of bytes above ASCII: a Western file in Windows-1252 / Latin-1


def decode(raw: bytes) -> str:
    """UTF-8 (BOM kept, so offsets match the file) or UTF-16 with its BOM. A file that is not UTF-8 but
    ASCII save for a few bytes (`pod2text` in a C locale writes "naïve" as Latin-1's one byte) is read as
    Windows-1252, whose letters those bytes nearly always are; anything else is refused with the fix, since
    a guessed encoding could quote the wrong characters."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Unreadable("it is not valid UTF-16 text") from exc
    if b"\x00" in raw[:8192]:
        raise Unreadable("it is binary data, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        legacy = legacy_8bit(raw)
        if legacy is None:
            raise Unreadable(f"not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8 to include it") from exc
        return legacy


def legacy_8bit(raw: bytes) -> str | None:
    """`raw` read as Windows-1252 (Latin-1 where that leaves a byte undefined) when at most LEGACY_SHARE of
    its bytes lie above ASCII, else None: a text in another 8-bit alphabet (Cyrillic, Greek) is mostly such
    bytes, and read so would be quoted as other letters."""
    if b"\x00" in raw or sum(1 for byte in raw if byte >= 0x80) > LEGACY_SHARE * len(raw):
        return None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
        return raw.decode("latin-1")


# a character struck over by the next one: `man` and groff, writing to a file, set bold as "N\bNA\bAM\bME" and
# underline as "_\bw"; a terminal shows the last one written, as `col -b` keeps it
_STRUCK_OVER = re.compile(r"[^\n\r\b]\x08")


def without_overstrikes(text: str) -> str:
    """The text as a terminal shows it: a manual page saved with its bold and underline struck over read
    "DDEESSCCRRIIPPTTIIOONN" and matched no word it set in bold. Such a file's text is then what the
    reader made of it, as a PDF's is, and `chatbot text` prints it; any other file is left as it is."""
    if "\b" not in text:
        return text
    return _STRUCK_OVER.sub("", text).replace("\b", "")


_BOLD_LINE_STRUCK = re.compile(r"(?:(\S)\x08\1(?:\x08\1)*|[ \t])+")


def bold_line_starts(struck: str, text: str) -> frozenset[int]:
    """Where, in `text` (`struck` without its overstrikes), each line starts that was set wholly in bold:
    a README saved from `man`-style formatting marks its headings so and no other way (Postfix's)."""
    if struck is text:
        return frozenset()
    starts = []
    for raw, clean in zip(_lines(struck), _lines(text), strict=True):
        if "\b" in raw.raw and _BOLD_LINE_STRUCK.fullmatch(raw.raw.strip()):
            starts.append(clean.start)
    return frozenset(starts)


_PROSE_WORD = re.compile(r"^[(\"'“‘]?[A-Za-z][a-z'’-]*[.,;:!?)\"'”’]*$")
PROSE_CHARS = 1500  # a shorter listing quotes well enough whole
PROSE_SHARE = 0.3  # paragraphs of running text make at least this share of a long preformatted block of prose


def _is_prose_paragraph(chunk: str) -> bool:
    """Running text: not a program's comment ("# greylist status database …"), nor a shell session."""
    words_ = chunk.split()
    lines = [line.lstrip() for line in chunk.splitlines() if line.strip()]
    if 2 * sum(not (line[0].isalnum() or line[0] in "\"'“‘(") for line in lines) >= len(lines):
        return False
    return len(words_) >= 12 and sum(bool(_PROSE_WORD.match(w)) for w in words_) >= 0.7 * len(words_) \
        and bool(re.search(r"[a-z][.!?][\"')”’]?(?:\s|$)", chunk))


def reads_as_prose(text: str) -> bool:
    """Whether long preformatted text (an HTML <pre>) is hard-wrapped prose in paragraphs, with examples
    between them, not a listing: Vim's help sets a chapter in one <pre>, HAProxy's manual each section's
    text. Read as one block of code, it was one quote of up to 25,000 characters."""
    if len(text) < PROSE_CHARS:
        return False
    prose = [chunk for chunk in re.split(r"\n\s*\n", text) if _is_prose_paragraph(chunk)]
    return len(prose) >= 2 and sum(map(len, prose)) >= PROSE_SHARE * len(text)


def document_title(text: str, blocks: list[Block]) -> str:
    """The first heading, unless it is an FAQ question (then the file name says more); a manual page's NAME
    line where the first heading is "NAME" (pod2text's "NAME" / "perlfaq5 - Files and Formats")."""
    title = first_heading_title(text, blocks, heading_text)
    return "" if title.endswith("?") else title


def heading_text(text: str, block: Block) -> str:
    """A heading as a reader sees it: one line, markup and underline removed."""
    raw = text[block.start:block.end]
    lines = [ln for ln in raw.splitlines() if ln.strip() and not _UNDERLINE.match(ln) and not _COMMENT_RULE.match(ln)]
    titles = [_DOT_TITLE.match(ln.strip()) for ln in lines]
    if lines and all(titles):  # ".h2 GOTOBUFFER"; a run of them: "HTTP_PROXY, HTTPS_PROXY, …"
        return ", ".join(" ".join(title.group(2).split()) for title in titles if title)
    joined = _HTML_ANCHOR.sub("", _UNDERLINE_ON_THE_LINE.sub("", " ".join(ln.strip() for ln in lines)))
    markdown = _CLOSED_TITLE.match(joined) or _MARKDOWN_HEADING.match(joined) or _ASCIIDOC_TITLE.match(joined)
    banner = _INLINE_BANNER.match(joined)
    if banner:  # "################## NETWORK ####…"
        joined = banner.group(1)
    elif markdown:
        joined = markdown.group(2)
    bold = _BOLD_LINE.match(joined)
    if bold:
        joined = bold.group("title")
    if _CAPITALS_LABEL.fullmatch(joined):
        joined = joined[:-1]
    return " ".join(joined.lstrip("\ufeff").split())


# ---------------------------------------------------------------- lines


def _lines(text: str) -> list[_Line]:
    out = []
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and not match.group():
            break
        line = match.group().rstrip("\r\n")
        out.append(_Line(match.start(), match.start() + len(line), line))
    return out


_PUNCTUATION = re.compile(r"[^\w\s]+")
_CHAPTER_LABEL = re.compile(r"^(chapter|appendix|part) (?=\w+ )")  # in a normal_key: "chapter 4 the …"


_HELP_TAGS = re.compile(r"(?:\s+\*[^*\s]+\*)+\s*$")  # Vim's tags set at a heading's right: "\t\t*vimrc-intro*"


def normal_key(text: str) -> str:
    """For comparing a contents line with a heading: case, spacing and punctuation folded, tags at the right
    left out."""
    text = _HELP_TAGS.sub("", text)
    return " ".join(_PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


# ---------------------------------------------------------------- headings


@dataclass
class _Heading:
    first: int  # index of its first line
    last: int  # index of its last line (an underline or a wrapped second line)
    # "markdown", "underline", "joined" (its underline run onto its line), "numbered", "question", "title",
    # "label" (AsciiDoc's "…?::"), "bold", "outdented" (left of the body, over it), "indented" (further in than
    # the body), "closed" ("== HOME ==", "===Overview==="), "dot" (".h2 GOTOBUFFER")
    kind: str
    level: int = 0
    numbering: str = ""


_SENTENCE_LINE_WORDS = 4  # words on the first line of a paragraph of prose


def _numbering(text: str) -> tuple[str, int] | None:
    """(numbering, depth) of a numbered heading's text, e.g. ("8.5.", 2) or ("Chapter 2.", 1)."""
    match = _NUMBERED.match(text)
    if not match:
        return None
    number = match.group("num")
    if number[0].isalpha() and " " in number:  # Chapter 2 / Appendix A
        return number, 1
    parts = [p for p in number.rstrip(".").split(".") if p]
    if len(parts) == 1 and not number.endswith(".") and not number[0].isdigit():
        return None
    return number, len(parts)


def _title_like(title: str, max_words: int, lowercase: bool = False) -> bool:
    """Short, not a sentence: no closing punctuation, no trailing function word; a question is fine.
    `lowercase`: the title may start in lower case ("1.1.12. sudo configuration")."""
    bare = _without_emphasis(title.strip())
    words = bare.split()
    # a web address is not a title, but a scheme named alone is ("4.18 file:// URLs containing drive
    # letters"); nor is a line of drawing with no letter in it (an ASCII-art banner's "_   _ ____  _")
    if not words or len(words) > max_words or re.search(r"://\S", bare) or not _LETTER.search(bare):
        return False
    if bare.endswith("?"):
        return True
    if re.search(r"[.!;,:…\-–—(\[{/|]['\"”’)]?$|\s>$", bare):  # "… here: |cmdline-completion|", Vim's "… this: >"
        return False
    # a title in capitals is not a sentence cut at a line end, though it ends "SEE ALSO"; nor is a numbered
    # reference entry's one word, though that word is "from" or "if" (Mutt's "3.109. from")
    return (words[-1].lower() not in _FUNCTION_WORDS or bare.isupper() or (lowercase and len(words) == 1)) \
        and (lowercase or not bare[0].islower()) \
        and bare[0] not in "[!<>|{=" \
        and not (bare.startswith("(") and bare.endswith(")"))
    # ("==> /etc/fail2ban/jail.local <==": `head` naming the file it shows; "(contributed by brian d foy)": a remark)


# A shell command or a tool's output line over a row of "#" or "...": "cat >~/.sbuildrc << 'EOF'", "N:"
_CODE_OR_OUTPUT = re.compile(r"<<|>>|\$\(|^\$\s|[;{]\s*$|:\s*$")


def _is_output_or_code(text: str) -> bool:
    return bool(_CODE_OR_OUTPUT.search(text.strip()))


def _without_emphasis(title: str) -> str:
    """"**Title**", "`name`", "_Title_" without the marks around it; a mark on one side only is the title's
    own ("debian/patches/*")."""
    while len(title) > 1 and title[0] == title[-1] and title[0] in "*_`":
        title = title[1:-1].strip()
    return title


def _title_case_with_full_stop(title: str) -> bool:
    """A heading closed by a full stop, as licences write them ("Protecting Users' Legal Rights From
    Anti-Circumvention Law."): every word but the small ones capitalised, so not a sentence ("Wash it.")."""
    bare = title.strip()
    words = bare[:-1].split()
    return bare.endswith(".") and not bare.endswith("..") and 0 < len(words) <= _MAX_TITLE_WORDS and all(
        w[0].isupper() or w[0].isdigit() or w.lower() in _FUNCTION_WORDS for w in words) \
        and _title_like(bare[:-1], _MAX_TITLE_WORDS)


def _classify(line: str) -> tuple[str, str] | None:
    """(title, kind) when a line looks like a heading by itself: "markdown", "question" or "title"
    (a short line with no closing punctuation, which also needs the right context)."""
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group(2).strip(), "markdown"
    stripped = line.strip().lstrip("\ufeff")
    if not stripped or _BULLET.match(line) or not any(ch.isalpha() for ch in stripped):
        return None
    if len(stripped) <= _MAX_QUESTION_CHARS and not stripped[0].islower() and (
            stripped.endswith("?") or (stripped.endswith(":") and _QUESTION_START.match(stripped))):
        return stripped, "question"
    if _title_like(stripped, _MAX_TITLE_WORDS) and not _FIELD.match(stripped):
        return stripped, "title"
    return None


def heading_title(line: str) -> str | None:
    """The title if this line can be a heading: markdown heading, FAQ question or short title line."""
    found = _classify(line)
    return found[0] if found else None


def _entry_text(line: _Line) -> str:
    """A contents line's text without its bullet: Sphinx's text output lists "* 5.6.10. Title"."""
    return re.sub(r"^[-*•]\s+", "", line.text)


def _leads_in(line: str) -> bool:
    """A line that announces what follows: "… use this command:", and Vim's help marks it "…: >"."""
    return line.rstrip().endswith((":", ": >"))


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


_CAPITALS_TITLE = re.compile(r"[A-Z][A-Z0-9]+(?:[ /&-]+[A-Z0-9]+)*")  # "MTA INTEGRATION", "CLAMAV-DAEMON", "EXIM4"
_CAPITALS_LABEL = re.compile(_CAPITALS_TITLE.pattern + ":")  # "SERVICE/VERSION DETECTION:"


def _ends_a_paragraph(line: str) -> bool:
    stripped = line.strip().rstrip("*_`")
    return not stripped or bool(re.search(r"[.!?:;…)\]\"”’]$", stripped)) or bool(_BULLET.match(line))


class _Scanner:
    """One pass over a document's lines: headings first, then the table of contents and the body."""

    def __init__(self, text: str, markdown: bool):
        self.text = text
        self.markdown = markdown
        front = _FRONT_MATTER.match(text) if markdown else None
        skip = front.end() if front else 0
        self.lines = [ln for ln in _lines(text) if ln.start >= skip]
        self.commented = False  # a file mostly of "#" comments (_empty_comments_part_paragraphs)
        if not markdown:
            self._empty_comments_part_paragraphs()
        self.asciidoc = not markdown and self._reads_as_asciidoc()
        self.fences: set[int] = set()  # the lines that open and close a code block, which are not its text
        self.code = self._fenced_lines()
        if not markdown and not self.asciidoc:
            self.code |= self._literal_blocks()
        self.table = {i for i, ln in enumerate(self.lines) if i not in self.code and _TABLE_LINE.match(ln.raw)}
        self.table |= self._box_tables()
        if markdown:
            self.table |= self._pipe_tables()
        self.keys = [normal_key(ln.text) if not ln.blank else "" for ln in self.lines]
        self.bold: set[int] = set()  # lines set wholly in bold (find_blocks)
        self.configuration = False  # a configuration file or sample, its "#" lines comments (find_blocks)
        self.last_seen = {key: i for i, key in enumerate(self.keys) if key}
        dotted = {i: _DOT_TITLE.match(ln.raw) for i, ln in enumerate(self.lines) if i not in self.code}
        self.dot_titles = {i: found for i, found in dotted.items() if found} if not markdown else {}
        if len(self.dot_titles) < DOT_TITLED:
            self.dot_titles = {}
        self.comment_titles = self._comment_titles() if not markdown else {}

    def _box_tables(self) -> set[int]:
        """The lines of tables drawn in box-drawing characters (lynx's and groff's "│Unit│Description │"):
        runs of lines opening with one that hold a border or rule drawn in them alone; a tree's branches
        ("├── build") hold none."""
        found: set[int] = set()
        run: list[int] = []
        for i, line in enumerate([*self.lines, None]):
            if line is not None and i not in self.code and opens_with_box(line.raw):
                run.append(i)
                continue
            if any(is_box_rule(self.lines[k].raw) for k in run):
                found.update(run)
            run = []
        return found

    def _reads_as_asciidoc(self) -> bool:
        """Plain text written in AsciiDoc: its markup lines ("+", "[[id]]", "[verse]"), labels ("term::") and
        inline macros ("linkgit:git-log[1]") turn up at least three times, in at least two of those kinds."""
        kinds: Counter[str] = Counter()
        for line in self.lines:
            if _ASCIIDOC_MARKUP.match(line.text):
                kinds["markup"] += 1
            elif _ASCIIDOC_LABEL.search(line.text):
                kinds["label"] += 1
            if _ASCIIDOC_MACRO.search(line.text):
                kinds["macro"] += 1
        return len(kinds) >= 2 and sum(kinds.values()) >= 3

    def _fenced_lines(self) -> set[int]:
        inside, out, closing = False, set(), ""
        for i, line in enumerate(self.lines):
            delimiter = self.asciidoc and _ASCIIDOC_DELIMITER.match(line.raw) and (
                inside or self.blank(i - 1) or _is_asciidoc_markup(self.lines[i - 1].text)
                or self._opens_under_a_line(i))
            if inside and closing:
                if line.text == closing:  # the block ends at a line like the one that opened it
                    inside, closing = False, ""
                    self.fences.add(i)
                out.add(i)
            elif delimiter:  # not an underline: no title right above it
                inside, closing = True, line.text
                self.fences.add(i)
                out.add(i)
            elif (_FENCE.match(line.raw) and (inside or not self._underlines(i))) or _SCISSORS.match(line.raw):
                inside = not inside
                self.fences.add(i)
                out.add(i)
            elif inside:
                out.add(i)
        return out

    def _opens_under_a_line(self, i: int) -> bool:
        """AsciiDoc: a line of dashes right under a line of text ("When you're ready, just run") opens a
        listing when it is far longer or shorter than that line (a title's underline is as long as its title)
        and a like line closes it further down."""
        above, delimiter = self.lines[i - 1].text, self.lines[i].text
        return abs(len(delimiter) - len(above)) > _ASCIIDOC_UNDERLINE_SLACK \
            and any(line.text == delimiter for line in self.lines[i + 1:])

    def _literal_blocks(self) -> set[int]:
        """reStructuredText's literal blocks: the indented lines after a paragraph that ends in "::" ("A BNF
        like notation: ::", "Example::") and a blank line, as code; a "::" on its own line is markup. (Their
        "# TCP port" comments had been taken for headings.)"""
        lines, out = self.lines, set()
        i = 0
        while i < len(lines):
            line = lines[i]
            opens = line.text.endswith("::") and not line.text.startswith("..") and i not in self.code \
                and self.blank(i + 1)
            if not opens:
                i += 1
                continue
            if line.text == "::":
                self.fences.add(i)
                out.add(i)
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            while j < len(lines) and (lines[j].blank or lines[j].indent > line.indent):
                if not lines[j].blank:
                    out.add(j)
                j += 1
            i = j
        return out

    def _underlines(self, i: int) -> bool:
        """A plain-text line of tildes or backquotes under a title, as reStructuredText and Sphinx's text output
        mark their lower heading levels ("5.6.12.1. Epochs should be used sparingly" / "~~~~~~~~~~~"): an
        underline, not a Markdown code fence (taken for one, it made the rest of a manual code)."""
        lines = self.lines
        title = self._underlined_title(i)
        return (not self.markdown and title is not None and len(set(lines[i].text)) == 1 and lines[i].text[0] in "~`"
                and self._underline_spans(i, title))

    def _underline_spans(self, i: int, title: range, share: float = 0.6) -> bool:
        """The underline at line i is long enough for its title's lines: at least 3 characters and `share` of
        the longest (a short rule under a long line is a separator, not an underline)."""
        return len(self.lines[i].text) >= max(3, share * max(len(self.lines[k].text) for k in title))

    def _underlined_title(self, i: int) -> range | None:
        """The lines of the title an underline at line i would underline: one line, or two where a long title
        wraps ("12. mdadm -E / mkconf report different arrays with the same device" / "name / minor number.
        What gives?"), between a blank line and the underline; None when a blank line stands right above."""
        if i < 1 or self.lines[i - 1].blank:
            return None
        if self.blank(i - 2):
            return range(i - 1, i)
        return range(i - 2, i) if self.blank(i - 3) and not re.search(r"[.!?:;]$", self.lines[i - 2].text) else None

    def blank(self, i: int) -> bool:
        return i < 0 or i >= len(self.lines) or self.lines[i].blank

    def next_text(self, i: int, skipped: set[int] | frozenset[int] = frozenset()) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if not self.lines[j].blank and j not in skipped:
                return j
        return None

    def previous_text(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if not self.lines[j].blank:
                return j
        return None

    # ------------------------------------------------------------ explicit headings

    @cached_property
    def asks_and_answers(self) -> bool:
        """An FAQ whose entries are "Q: …" and "A: …" paragraphs, at least three of each; an answer may follow
        its question's last line with no blank line between (John the Ripper's FAQ)."""
        starts = [ln.text for i, ln in enumerate(self.lines) if not ln.blank and self.blank(i - 1)]
        return sum(bool(_QUESTION_MARK.match(t)) for t in starts) >= QA_ENTRIES \
            and sum(bool(_ANSWER_MARK.match(ln.text)) for ln in self.lines) >= QA_ENTRIES

    def _question_paragraph(self, i: int) -> _Heading | None:
        """A "Q: …" paragraph, wrapped over a few lines, as the heading of the answer under it."""
        if not (self.asks_and_answers and self.blank(i - 1) and _QUESTION_MARK.match(self.lines[i].text)):
            return None
        last = i
        while not self.blank(last + 1) and last + 1 - i < _MAX_QUESTION_LINES \
                and not _ANSWER_MARK.match(self.lines[last + 1].text):
            last += 1
        return _Heading(i, last, "question")

    def explicit_headings(self) -> dict[int, _Heading]:
        """Markdown, underlined and numbered headings, and an FAQ's "Q: …" paragraphs: they announce
        themselves."""
        found: dict[int, _Heading] = {}
        underline_levels: list[str] = []
        lines = self.lines
        outdented = self.outdented_titles()
        indented = self.indented_titles()
        last_number = ""  # of the last numbered heading found
        for i, line in enumerate(lines):
            if i in self.code or i in self.table or line.blank:
                continue
            if i in outdented:
                found[i] = _Heading(i, outdented[i][0], "outdented", outdented[i][1])
                continue
            if i in indented:
                found[i] = _Heading(i, i, "indented", 1)
                continue
            if i in self.comment_titles:
                found[i] = _Heading(i, i + 1 if self.comment_titles[i] == 1 else i, "comment", self.comment_titles[i])
                continue
            if i in self.dot_titles:
                level, last = self.dot_titles[i].group(1), i
                if found and found[max(found)].kind == "dot" and found[max(found)].last >= i:
                    continue  # a title of the run below
                while last + 1 in self.dot_titles and self.dot_titles[last + 1].group(1) == level:
                    last += 1  # settings that one comment explains (".h2 HTTP_PROXY" / ".h2 HTTPS_PROXY" / …)
                found[i] = _Heading(i, last, "dot", int(level))
                continue
            closed = _CLOSED_TITLE.match(line.raw)
            if closed and not self.asciidoc:
                found[i] = _Heading(i, i, "closed", len(closed.group(1)))
                continue
            banner = not self.markdown and _INLINE_BANNER.match(line.text)
            if banner:
                # a title inside a banner is at the banners' one level, whatever its marks ("#### TDLS …####",
                # redis.conf's "################## NETWORK ####…"); read as a "#" title is (_comment_titles)
                found[i] = _Heading(i, i, "markdown", 1)
                continue
            markdown = _MARKDOWN_HEADING.match(line.raw) or (self.asciidoc and _ASCIIDOC_TITLE.match(line.raw))
            if markdown:
                found[i] = _Heading(i, i, "markdown", len(markdown.group(1)))
                continue
            question = self._question_paragraph(i)
            if question:
                found[i] = question
                continue
            if i in self.bold and self.blank(i - 1) and self.blank(i + 1) \
                    and len(line.text.split()) <= _MAX_BOLD_TITLE_WORDS and not line.text.endswith("."):
                numbered = _numbering(line.text)  # a line alone in bold: a heading, as a man page sets .SH
                found[i] = _Heading(i, i, "bold", numbered[1] if numbered else 1, numbered[0] if numbered else "")
                continue
            if self.asciidoc and _ASCIIDOC_LABEL.search(line.text) and (
                    line.text[:-2].rstrip().endswith("?") or (i > 0 and _ASCIIDOC_ANCHOR.fullmatch(lines[i - 1].text))):
                # an FAQ's entry as a labelled list: "How do I …?::", or any label with an anchor of its own
                # over it ("[[ignore-tracked-files]]" / "I asked Git to ignore various files, yet …::")
                found[i] = _Heading(i, i, "label")
                continue
            wrapped = self._wrapped_underlined_title(i)
            if wrapped:
                found[i] = wrapped
                continue
            closing = self._framed(i)
            if closing:  # a rule above and below ("-----" / "HAProxy Starter Guide" / "-----"): a title
                char = "framed " + lines[closing].text[0]  # its own style, above the underlined ones
                if char not in underline_levels:
                    underline_levels.append(char)
                found[i] = _Heading(i, closing, "underline", underline_levels.index(char) + 1)
                continue
            joined_underline = _UNDERLINE_ON_THE_LINE.search(line.raw)
            if joined_underline and not self.markdown and self.blank(i - 1) and len(line.text.split()) <= 16 \
                    and not line.text.startswith(joined_underline.group(1) * 2) \
                    and not _is_output_or_code(line.text[:joined_underline.start()].strip()):
                char = joined_underline.group(1)  # an underline that lost its line break: the title's own style
                if char not in underline_levels:
                    underline_levels.append(char)
                found[i] = _Heading(i, i, "joined", underline_levels.index(char) + 1)
                continue
            # (a Markdown code fence of backquotes right under a line is not its underline)
            under = _UNDERLINE.match(lines[i + 1].raw) if i + 1 < len(lines) and i + 1 not in self.fences else None
            fits = under is not None and abs(len(lines[i + 1].text) - len(line.text)) <= 1
            # a title closed by a colon its underline stops short of ("Troubleshooting:" over 15 dashes) is
            # not a tool's output line ("N:" over "###")
            short_of_colon = under is not None and line.text.endswith(":") \
                and len(lines[i + 1].text) == len(line.text) - 1
            # ... nor is a word closed by a colon over an underline as long as it ("Installation:" over 13 dashes)
            bare = line.text[:-1] if short_of_colon or (fits and line.text.endswith(":") and len(line.text) > 4) \
                else line.text
            # blank above, or an underline exactly as long as its title (right under a contents list)
            if (under and (self.blank(i - 1) or fits)
                    and (not _BULLET.match(line.raw) or _numbering(line.text))
                    and not _is_output_or_code(bare) and not _COLUMN_GAP.search(line.text)
                    and len(line.text.split()) <= 16 and (self._underline_spans(i + 1, range(i, i + 1)) or (
                        under.group(1) in underline_levels and self._underline_spans(i + 1, range(i, i + 1), 0.4)))):
                # (a sloppier underline, in the style the document already underlines its headings with, is one:
                # fetchmail's "Background and use (long version :-))" over 18 dashes)
                char = under.group(1)
                if char not in underline_levels:
                    underline_levels.append(char)
                numbered = _numbering(line.text)
                level = numbered[1] if numbered else underline_levels.index(char) + 1
                if self.markdown and char in _SETEXT_LEVELS and not numbered:
                    level = _SETEXT_LEVELS[char]  # Markdown says: "===" under a title is <h1>, "---" <h2>
                found[i] = _Heading(i, i + 1, "underline", level, numbered[0] if numbered else "")
                continue
            # in Markdown a plain "1. Create the dictionary" is a list item; "* **2.3 How do I …?**" may head
            heading = self._numbered_heading(i, last_number) if not self.markdown or _BOLD_LINE.match(line.raw) \
                else None
            if heading:
                found[i] = heading
                last_number = heading.numbering
        return found

    def runs_on(self, i: int) -> bool:
        """In plain text, a "# …" line whose sentence goes on in the line under it ("# Certificate refresh: when
        the server gets a new certificate, new connections" / "will use new certificates …", memcached's TLS
        notes): a list item written with "#", not a heading."""
        below = self.lines[i + 1] if i + 1 < len(self.lines) else None
        return below is not None and not below.blank and below.text[:1].islower() \
            and not _ends_a_paragraph(self.lines[i].raw)

    def in_comment_run(self, i: int) -> bool:
        """In plain text, a "# …" line beside another "# …" line, or right over a line of code, is a comment
        (a configuration sample's "# This is the URI of your website. You can …" over "server_name …;"), not
        a Markdown heading, which stands apart."""
        marks = len(self.lines[i].raw.lstrip()) - len(self.lines[i].raw.lstrip().lstrip("#"))

        def hashed(j: int) -> bool:  # as many "#" ("# Title" over "## Part" are two headings)
            raw = self.lines[j].raw.lstrip() if 0 <= j < len(self.lines) else ""
            return raw.startswith("#") and len(raw) - len(raw.lstrip("#")) == marks

        if self.under_a_banner(i):
            return False
        below = self.lines[i + 1] if i + 1 < len(self.lines) else None
        # one that ends in a colon leads into the line under it ("# If you have another address:")
        return hashed(i - 1) or hashed(i + 1) or (below is not None and not below.blank and (
            _CODE_LINE_END.search(below.text) is not None or self.lines[i].text.endswith(":")))

    def _comment_titles(self) -> dict[int, int]:
        """In a file of comments, its titles as comments: {line: level}. A comment over a comment that is only a
        rule ("# OPTIONS FOR AUTHENTICATION" / "# ------") heads a part; a comment naming one thing after a
        label most paragraphs open with ("#  TAG: http_port", Squid's directives) heads an entry of it. {} for
        other files, or under DOT_TITLED of either."""
        if not self.commented:
            return {}
        lines = self.lines
        parts = {i: 1 for i in range(len(lines) - 1) if _COMMENT_TITLE.match(lines[i].raw)
                 and _COMMENT_RULE.match(lines[i + 1].raw) and self.blank(i - 1)}
        labelled = {i: found.group(1) for i in range(len(lines)) if self.blank(i - 1)
                    and (found := _COMMENT_LABEL.match(lines[i].raw))}
        common = Counter(labelled.values()).most_common(1)
        entries = {i: 2 for i, label in labelled.items() if common and label == common[0][0]}
        return {**(parts if len(parts) >= DOT_TITLED else {}),
                **(entries if len(entries) >= COMMENT_ENTRIES else {})}

    def _empty_comments_part_paragraphs(self) -> None:
        """In a file of comments (a configuration's documented sample), a line that is only a "#" parts its
        paragraphs as a blank line would: Squid's 9,000 commented lines have no blank line in a directive's
        whole description, and had been read as paragraphs of many thousand characters."""
        filled = [line for line in self.lines if not line.blank]
        hashed = sum(line.raw.lstrip().startswith("#") for line in filled)
        self.commented = hashed >= COMMENTED_LINES and hashed >= COMMENTED_SHARE * len(filled)
        if not self.commented:
            return
        for line in filled:
            if not line.text.strip("#"):  # (a banner's row of marks still frames its title: under_a_banner)
                line.blank = True

    def under_a_banner(self, i: int) -> bool:
        """A configuration sample's section title: a short "# Identity" right under a row of "#" (a muttrc's
        "###############"), above the comments and settings it heads; framed by rows of two marks or more
        above and below (Dovecot's "##" / "## Authentication processes" / "##"); or inside a row of marks
        (hostapd's "##### RADIUS client configuration ####…")."""
        above = self.lines[i - 1].raw.strip() if i > 0 else ""
        below = self.lines[i + 1].raw.strip() if i + 1 < len(self.lines) else ""
        inline = _INLINE_BANNER.match(self.lines[i].text)
        title = inline.group(1) if inline else self.lines[i].text.lstrip("#").strip()
        framed = len(above) >= 2 and set(above) == {"#"} and below == above
        return (inline is not None or ((len(above) >= _BANNER_MARKS or framed) and set(above) == {"#"})) \
            and 0 < len(title.split()) <= _MAX_BANNER_WORDS and not title.endswith((".", ":", ","))

    def outdented_titles(self) -> dict[int, tuple[int, int]]:
        """Titles set left of an indented body with their text right under them (pod2text's and perldoc's
        "NAME" / "    perlfaq5 - Files and Formats", "  How do I flush …?" / "    (contributed by …)"), a
        question maybe wrapped over two lines: {first line: (last line, level by how far left it stands)};
        {} unless a document sets at least three so."""
        lines = self.lines
        indents = Counter(line.indent for i, line in enumerate(lines)
                          if not line.blank and i not in self.code and i not in self.table)
        if not indents or self.markdown or self.asciidoc:
            return {}
        body = indents.most_common(1)[0][0]
        standalone = self.standalone_counts()
        found: dict[int, tuple[int, int]] = {}
        for i, line in enumerate(lines[:-1]):
            last = i + 1 if lines[i + 1].indent == line.indent and lines[i + 1].text.endswith("?") else i
            # its body right under it, or a blank line below (nano's README: "Bug Reports" / "" / "    If you …")
            under = last + 2 if last + 2 < len(lines) and lines[last + 1].blank else last + 1
            if under >= len(lines) or line.blank or lines[under].blank:
                continue
            if line.indent == 0 and under == i + 1 and lines[under].indent > 0 \
                    and _CAPITALS_LABEL.fullmatch(line.text) and i not in self.code and i not in self.table:
                found[i] = (i, 0)  # a program's help saved as text: "HOST DISCOVERY:" over its options, no blank line
                continue
            # a title in capitals heads what is set further in under it, at any depth, even a title of its own
            # (README.Debian: "CLAMAV-DAEMON" / "  CONFIG FILE HANDLING" / "   Configuration handling …")
            # (over a blank line: "GPL" right over "    GNU General Public License, …" is a term it describes)
            capitals = last == i and under > last + 1 and bool(_CAPITALS_TITLE.fullmatch(line.text))
            over_capitals = capitals and bool(_CAPITALS_TITLE.fullmatch(lines[under].text))
            misplaced = lines[under].indent <= line.indent if capitals else (
                line.indent >= body - 1 or lines[under].indent < body)
            if misplaced or not self.blank(i - 1) or i in self.code or i in self.table \
                    or _BULLET.match(line.raw) or not line.text[0].isalnum():
                continue
            title = " ".join(lines[k].text for k in range(i, last + 1))
            if under > last + 1 and (_numbering(title) or _BULLET.match(lines[under].raw)
                                     or (len(lines[under].text.split()) < _SENTENCE_LINE_WORDS and not over_capitals)
                                     or standalone[self.keys[i]] >= 3):
                continue  # a numbered title over a blank line is found by its number, at its depth ("1.2. …");
                # over a blank line, a title's body is a paragraph, not a contents list or a centred name, and
                # a label used all over ("Rationale") is no section
            if title.endswith((".", ",", ":", ";")) or re.search(r"[a-z]\.\s+[A-Z]", title) \
                    or (last == i and not title.endswith("?") and len(line.raw.rstrip()) > 0.6 * self.wrap_width) \
                    or len(title.split()) > (_MAX_QUESTION_WORDS if title.endswith("?") else _MAX_TITLE_WORDS):
                continue  # a title is no sentence ("M   The value is a metric. It is …"), nor a wrapped line's start
            found[i] = (last, line.indent)
        if len(found) < OUTDENTED_TITLES:
            return {}
        ranks = sorted({indent for _, indent in found.values()})
        return {i: (last, ranks.index(indent) + 1) for i, (last, indent) in found.items()}

    def indented_titles(self) -> set[int]:
        """Titles set further in than the body, each alone between blank lines over a paragraph at the body's
        indent (Openwall's documents: "\tWordlist mode." / "" / "This is the simplest cracking mode …"): a
        title may end in a full stop there. {} unless a document sets at least three so; a line after one
        that announces it (":") is an example, and a command or a path is no title."""
        lines = self.lines
        indents = Counter(line.indent for i, line in enumerate(lines)
                          if not line.blank and i not in self.code and i not in self.table)
        if not indents or self.markdown or self.asciidoc:
            return set()
        body = indents.most_common(1)[0][0]
        found: set[int] = set()
        previous = ""
        for i, line in enumerate(lines[:-2]):
            if line.blank:
                continue
            title = line.text.strip()
            under = i + 2
            body_line = lines[under].text
            if line.indent > body and self.blank(i - 1) and lines[i + 1].blank and not lines[under].blank \
                    and lines[under].indent == body and not _leads_in(previous) and _INDENTED_TITLE.fullmatch(title) \
                    and len(title.split()) <= _INDENTED_TITLE_WORDS and i not in self.code and i not in self.table \
                    and len(body_line.split()) >= 2 \
                    and not (_numbering(body_line) and self.blank(under + 1)) and not self._describes_a_term(i, body):
                found.add(i)  # (a numbered line alone under it is a heading of its own: "   The answer …" / "5.8. …")
            previous = line.raw
        return found if len(found) >= OUTDENTED_TITLES else set()

    def _described_terms(self, body: int) -> set[int]:
        """Terms at the body's indent each over its description set further in, one blank line between, where a
        document lists at least three so (Linux-PAM's guide: "%u" / "" / "    The local user name (PAM_USER).")."""
        lines = self.lines
        # all of the description set in: a paragraph whose first line alone is ("INACTIVE BUFFERS" / "" / "   When
        # a buffer …" / "buffer list. …", Vim's manual) is a section's text under its title
        found = {above for i, line in enumerate(lines)
                 if not line.blank and line.indent > body and i not in self.code and (above := self.previous_text(i))
                 is not None and self._describes_a_term(i, body) and (self.blank(i + 1) or lines[i + 1].indent > body)}
        return found if len(found) >= OUTDENTED_TITLES else set()

    def _describes_a_term(self, i: int, body: int) -> bool:
        """Line i, set in, is the description of a term one blank line above it at the body's indent, as a
        list of options sets them ("%u" / "" / "    The local user name (PAM_USER)."): no title."""
        above = self.previous_text(i)
        if above is None or above != i - 2 or self.lines[above].indent != body:
            return False
        term = self.lines[above].text
        return len(term.split()) <= _TERM_WORDS and not term.endswith((".", "!", "?", ":", ","))

    def _framed(self, i: int) -> int | None:
        """The closing rule's line where line i (and maybe the next, a title wrapped over two: smartmontools'
        banner) stands between two like rules at least as wide as it is, and over its span (reST's overlined
        title, a README's banner); else None."""
        lines = self.lines
        closing = next((j for j in (i + 1, i + 2) if j < len(lines) and _UNDERLINE.match(lines[j].raw)), None)
        if i == 0 or closing is None or any(lines[k].blank for k in range(i, closing)) \
                or any(len(lines[k].text.split()) > _MAX_TITLE_WORDS for k in range(i, closing)):
            return None
        over, under = _UNDERLINE.match(lines[i - 1].raw), _UNDERLINE.match(lines[closing].raw)
        if not (over and under) or lines[i - 1].raw.strip() != lines[closing].raw.strip() or not self.blank(i - 2) \
                or over.group(1) not in _FRAMING or {i - 1, closing} & (self.fences | self.code):
            return None  # (a banner of "#" in a shell listing, two code fences around a line, are not titles)
        if closing > i + 1 and re.search(r"[A-Za-z]{3,}\.\s+[A-Z]", f"{lines[i].text} {lines[i + 1].text}"):
            return None  # two sentences framed are a notice ("THIS IS A PRELIMINARY VERSION. ALL …"), no title
        rule = lines[closing]
        fits = all(rule.indent <= lines[k].indent and lines[k].indent + len(lines[k].text) <= rule.indent
                   + len(rule.text) + 1 for k in range(i, closing))
        return closing if fits else None

    def _wrapped_underlined_title(self, i: int) -> _Heading | None:
        """A numbered title wrapped over two lines and underlined under its second (mdadm's FAQ): one heading
        of three lines, numbered as its first line is."""
        lines = self.lines
        if i + 2 >= len(lines) or not self.blank(i - 1) or lines[i + 1].blank or i + 1 in self.code:
            return None
        under = _UNDERLINE.match(lines[i + 2].raw)
        numbered = _numbering(lines[i].text)
        if not (under and numbered and self._underlined_title(i + 2) == range(i, i + 2)) or \
                not self._underline_spans(i + 2, range(i, i + 2)) or \
                len(lines[i].text.split()) + len(lines[i + 1].text.split()) > _MAX_NUMBERED_TITLE_WORDS + 5:
            return None
        return _Heading(i, i + 2, "underline", numbered[1], numbered[0])

    def _pipe_tables(self) -> set[int]:
        """A Markdown table written without outer pipes ("Compressor | Ratio" over "---|---" and its rows):
        its head, its separator and the rows with a pipe under them."""
        lines, found = self.lines, set()
        for i in range(1, len(lines)):
            if i in self.code or "|" not in lines[i].raw or not _TABLE_SEPARATOR.match(lines[i].raw) \
                    or "|" not in lines[i - 1].raw or lines[i - 1].blank:
                continue
            j = i + 1
            while j < len(lines) and not lines[j].blank and "|" in lines[j].raw and j not in self.code:
                j += 1
            found.update(range(i - 1, j))
        return found

    def _numbered_heading(self, i: int, last_number: str = "") -> _Heading | None:
        """A numbered line standing alone (or wrapped once) that reads as a title. `last_number`: the last
        numbered heading's; the one that follows it ("5.9." after "5.8.") is a heading however it reads
        ("5.9. The 'r' command isn't inserting the file into the text.")."""
        lines = self.lines
        line = lines[i]
        bold = _BOLD_LINE.match(line.raw)
        text = bold.group("title") if bold else line.text
        numbered = _numbering(text)
        # a rule may stand right above it: Vim's help opens each section with a line of "="
        if not numbered or line.indent > 3 or not (self.blank(i - 1) or _SECTION_RULE.fullmatch(lines[i - 1].text)):
            return None
        number, depth = numbered
        title = text[len(number):].strip()
        # "1.1.12. sudo configuration", not "1. wash it"; but "5. libcurl Issues" over "5.1 Is libcurl …"
        lowercase = depth >= 2 or number[0].isalpha() or self._opens_its_subsections(i, number)
        if not title or (title[0].islower() and not lowercase):
            return None
        last = i
        in_sequence = depth >= 2 and _follows(number, last_number) and len(title.split()) <= _MAX_NUMBERED_TITLE_WORDS
        if not self.blank(i + 1):
            # a heading wrapped onto a second line, then a blank line: "2.4. Where is the ... web\n     site?"
            follower = lines[i + 1]
            # (next in sequence, a second line under the title's first word: "5.10. Why can't I match … \n
            # Why can't I match 2 or more lines using \n?")
            hanging = in_sequence and self.blank(i + 2) and follower.indent == line.indent + len(number) + 1 \
                and len(follower.text.split()) <= _MAX_NUMBERED_TITLE_WORDS
            wrapped = hanging or (
                       self.blank(i + 2) and not _BULLET.match(follower.raw) and not _numbering(follower.text)
                       and len(title.split()) + len(follower.text.split()) <= _MAX_NUMBERED_TITLE_WORDS
                       and not re.search(r"[.!:;]$", title) and follower.indent >= line.indent
                       # wrapped only if the follower's first word would not have fitted on the line
                       and len(line.raw.rstrip()) + 1 + len(follower.text.split()[0]) > 0.9 * self.wrap_width)
            if not wrapped:
                return None
            title = f"{title} {follower.text}"
            last = i + 1
        # next in sequence, a title may close with a full stop, but a sentence cut at a line end heads nothing
        follows_on = in_sequence and _title_like(title.rstrip().removesuffix("."), 2 * _MAX_NUMBERED_TITLE_WORDS,
                                                 lowercase)
        if not follows_on and not _title_like(title, _MAX_NUMBERED_TITLE_WORDS, lowercase) and not (
                last == i and _title_case_with_full_stop(title)) and not (  # a licence's "  2. Basic Permissions."
                bold and len(title.split()) <= _MAX_NUMBERED_TITLE_WORDS):  # set in bold, it may end "Help!"
            return None
        if depth == 1 and not number[0].isalpha() and self._in_numbered_list(i):
            return None
        return _Heading(i, last, "numbered", depth, number)

    def _opens_its_subsections(self, i: int, number: str) -> bool:
        """The next line of text is numbered as this one's first subsection ("5." then "5.1")."""
        j = self.next_text(i)
        below = _numbering(self.lines[j].text) if j is not None else None
        return below is not None and below[0].rstrip(".") == f"{number.rstrip('.')}.1"

    def _in_numbered_list(self, i: int) -> bool:
        """"1. Wash the pot" among "2. …", "3. …" on the next lines is a list item, not a heading."""
        j = self.next_text(i)
        return j is not None and j == i + 1 and bool(_numbering(self.lines[j].text))

    def underlines_its_headings(self, explicit: dict[int, _Heading]) -> bool:
        """A plain-text document whose headings are underlined (reStructuredText, Sphinx's and pandoc's
        text output), nearly all of them: at least 5, and other headings at most a fifth as many."""
        underlined = sum(1 for h in explicit.values() if h.kind == "underline")
        others = sum(1 for h in explicit.values() if h.kind not in ("underline", "label"))
        return not self.markdown and underlined >= 5 and others <= 0.2 * underlined

    # ------------------------------------------------------------ table of contents

    def contents_lines(self, explicit: dict[int, _Heading]) -> set[int]:
        """Lines of a table of contents: runs of lines that repeat later headings or end in page numbers."""
        lines = self.lines
        later: dict[str, int] = {}  # normalised heading text -> its last line index
        key_of = {}  # an explicit heading's key: its lines joined, so a wrapped one is whole
        for i, heading in explicit.items():
            key = key_of[i] = normal_key(" ".join(lines[j].text for j in range(heading.first, heading.last + 1)
                                                  if not _UNDERLINE.match(lines[j].raw)))
            later[key] = i
            # the contents lists "4. The /usr Hierarchy" for the heading "Chapter 4. The /usr Hierarchy"
            unlabelled = _CHAPTER_LABEL.sub("", key)
            later[unlabelled] = max(i, later.get(unlabelled, -1))
        candidate = []
        for i, line in enumerate(lines):
            if line.blank or i in self.code:
                candidate.append(False)
                continue
            # a numbered heading repeated further on is its contents entry, even where it stands alone
            # like a heading (a chapter's own contents list: "3.5. /boot : Static files …")
            repeats = later.get(key_of.get(i, self.keys[i]), -1) > i and (
                i not in explicit or bool(_numbering(line.text)))
            listing = bool(_numbering(_entry_text(line))) and len(line.text.split()) <= _MAX_NUMBERED_TITLE_WORDS
            candidate.append(repeats or bool(_DOT_LEADER.search(line.raw)) or (listing and i not in explicit))
        out: set[int] = set()
        i = 0
        while i < len(lines):
            if not candidate[i]:
                i += 1
                continue
            j, members, last = i, [], i
            while j < len(lines) and (candidate[j] or lines[j].blank or self._continues(j, members, last)
                                      or self._wrapped_entry(j, candidate)):
                if candidate[j]:
                    members.append(j)
                if candidate[j] or (not lines[j].blank and members and lines[j].indent > lines[members[-1]].indent):
                    last = j  # a member, or the wrapped end of one, indented under it ("care (optional)")
                j += 1
            strong = sum(1 for m in members if not (_numbering(_entry_text(lines[m])) and m not in explicit)
                         or _DOT_LEADER.search(lines[m].raw) or later.get(key_of.get(m, self.keys[m]), -1) > m)
            titled = self._titled_listing(i)
            # under a "Table of Contents" title, one entry that repeats a later heading is enough (a chapter's
            # own contents listing its one section)
            if (len(members) >= 3 and (strong >= 2 or titled)) or (titled and strong >= 1):
                out.update(k for k in range(i, last + 1) if not lines[k].blank)
                out.update(self._entries_before(i))
            i = j
        return out

    def _titled_listing(self, i: int) -> bool:
        """The run stands under "Table of Contents" or "List of Tables" (possibly after a few entries)."""
        for k in self._entries_before(i):
            if _CONTENTS_TITLE.match(self.lines[k].text):
                return True
        return False

    def _entries_before(self, i: int) -> list[int]:
        """Short unnumbered lines just above a contents run ("Preface" above "1. Disclaimer") and the
        contents title itself: part of the listing."""
        out: list[int] = []
        k = self.previous_text(i)
        while k is not None and len(out) < 4 and _title_like(self.lines[k].text, 6):
            out.append(k)
            if _CONTENTS_TITLE.match(self.lines[k].text):
                break
            k = self.previous_text(k)
        if out and not any(_CONTENTS_TITLE.match(self.lines[k].text) for k in out):
            # without a contents title above, only lines that repeat later in the text are entries
            out = [k for k in out if self._repeats_later(k)]
        return out

    def _repeats_later(self, k: int) -> bool:
        return self.last_seen.get(self.keys[k], -1) > k  # a line of only symbols has no key

    def _wrapped_entry(self, j: int, candidate: list[bool]) -> bool:
        """An entry whose page or line reference went onto the next, deeper-indented line."""
        lines = self.lines
        return j + 1 < len(lines) and candidate[j + 1] and lines[j + 1].indent > lines[j].indent + 8 \
            and len(lines[j].text.split()) <= 12

    def _continues(self, j: int, members: list[int], last: int) -> bool:
        """A wrapped TOC entry's next line: right after a member or its wrapped line before (`last`), not left
        of it, short, no sentence."""
        lines = self.lines
        line = lines[j]
        return bool(members) and last == j - 1 and line.indent >= lines[j - 1].indent \
            and not _BULLET.match(line.raw) and len(line.text.split()) <= 8 and not re.search(r"[.!;:]$", line.text)

    # ------------------------------------------------------------ implicit headings

    def implicit_headings(self, explicit: dict[int, _Heading], skipped: set[int],
                          not_headings: set[int] | frozenset[int] = frozenset()) -> dict[int, _Heading]:
        """FAQ question lines and short title lines that stand between paragraphs. Where numbered headings
        sit left of an indented body, or all at the margin, a line indented like the body is not a heading."""
        if self.asciidoc and explicit:
            return {}  # AsciiDoc marks every title ("== Title", or underlined): a short line there is text
        lines = self.lines
        numbered = [lines[i].indent for i, h in explicit.items() if h.kind in ("numbered", "underline")]
        body_indents = Counter(ln.indent for i, ln in enumerate(lines)
                               if not ln.blank and i not in explicit and i not in skipped)
        body_indent = body_indents.most_common(1)[0][0] if body_indents else 0
        max_indent = min(numbered) if len(numbered) >= 3 and body_indent > min(numbered) else None
        if max_indent is None and len(numbered) >= 3 and max(numbered) <= 3:
            max_indent = 3  # headings sit at the margin: an indented short line is an example or a quote
        standalone = self.standalone_counts()
        wrap = self.wrap_width
        heading_lines = {k for h in explicit.values() for k in range(h.first, h.last + 1)}  # with underlines
        terms = self._described_terms(body_indent)
        found: dict[int, _Heading] = {}
        previous, previous_line = "", -1
        for i, line in enumerate(lines):
            if line.blank:
                continue
            if i in explicit or i in skipped or i in self.code or i in self.table or i in not_headings:
                previous = "" if i in skipped else line.raw  # a skipped listing ends what came before
                previous_line = i
                continue
            classified = _classify(line.raw)
            centred = bool(classified) and self._centred_title(i, wrap, heading_lines, found)
            if classified and (max_indent is None or line.indent <= max_indent or centred):
                title, kind = classified
                following = self.next_text(i, skipped)
                follows = lines[following].raw if following is not None else None
                # a centred title may stand over headings of its own ("TERMS AND CONDITIONS" / "0. Definitions."),
                # and a part's title in capitals over its first section's, a blank line between ("CLAMAV-DAEMON" /
                # "" / "  CONFIG FILE HANDLING" / "" / "   Configuration handling for …")
                accepted = follows is not None and (centred or self._stacked_title(i, following, skipped) or (
                    _classify(follows) is None and following not in explicit)) and (
                    kind == "question" or ((_ends_a_paragraph(previous) or previous_line in found and self.blank(i - 1))
                                           and not follows.lstrip()[:1].islower()))
                if accepted and kind == "question" and title.endswith(":") and previous.strip() \
                        and not _BULLET.match(previous) and not self.blank(i - 1):
                    accepted = False  # "Should you think this is your case, please read this:" ends a paragraph
                if accepted and kind == "title" and i + 1 in self.fences:
                    accepted = False  # "When you're ready, just run" right over a listing leads into it
                if accepted and line.raw.lstrip().startswith("#") and any(
                        0 <= j < len(lines) and lines[j].raw.lstrip().startswith("#") for j in (i - 1, i + 1)):
                    accepted = False  # "#DEVICE /dev/discs/*/*": a setting commented out among comments
                if accepted and kind == "title" and _CAPTION.match(title):
                    accepted = False  # "Table 2.1. Most common navigation keys": a table's caption
                if accepted and kind == "title" and standalone[self.keys[i]] >= 3:
                    accepted = False  # "Note", "Caution": a label used all over, not a section
                if accepted and kind == "title" and following == i + 1 and len(line.text) > 0.6 * wrap:
                    accepted = False  # the first line of a hard-wrapped paragraph, cut before its end
                if accepted and kind == "title" and self._inside_list_item(i):
                    accepted = False  # " - … (Michael" / "   Zimmerman)": the item's last line
                if accepted and kind == "title" and _leads_in(previous) and _indent(line.raw) > _indent(previous):
                    accepted = False  # "use the following command: >" over "\t:split": the example it announces
                if accepted and kind == "title" and _SHELL_PROMPT.match(line.raw):
                    accepted = False  # "$ python3 ./setup.py install --root=PREFIX": a command to type
                if accepted and kind == "title" and self._in_indented_block(i):
                    accepted = False  # "    SELECT *" over "    FROM weather", "    (2 rows)" under output
                if accepted and kind == "title" and self._ends_a_column_table(i):
                    accepted = False  # "$Z         time of day" under "$N         current nickname": a row
                if accepted and kind == "title" and _FIELDS_RUN_TOGETHER.search(title):
                    accepted = False  # "-:root:ALL", "sync:LOCAL": a rule of a configuration, fields parted by colons
                if accepted and kind == "title" and i in terms:
                    accepted = False  # "%u" over "    The local user name (PAM_USER).": an entry of a list of terms
                if accepted and kind == "title" and self._heads_a_column_table(i):
                    accepted = False  # "Name\t\t\tMeaning" over a rule and "Times-12\t\t\t12 point Times Roman"
                if accepted:
                    found[i] = _Heading(i, i, kind)
            previous, previous_line = line.raw, i
        return found

    def _stacked_title(self, i: int, following: int, skipped: set[int]) -> bool:
        """Line i, in capitals, stands over another title with a blank line between, and that one over text."""
        lines = self.lines
        if following <= i + 1 or not lines[i].text.isupper():
            return False
        if _classify(lines[following].raw) is None:
            return False
        body = self.next_text(following, skipped)
        return body is not None and body > following + 1 and _classify(lines[body].raw) is None

    def navigation_lines(self) -> set[int]:
        """A saved web page's navigation bar, as pandoc or a text browser sets it out: a short block of lines
        (at most five, between blank lines) one of which holds at least two of "Prev", "Up", "Home", "Next"
        among cells set apart by wide gaps ("Prev   Up   Chapter 2. The SQL Language   Home   Next"). The
        whole block goes, the title cell and the rules of its table with it."""
        lines, out = self.lines, set()
        for i, line in enumerate(lines):
            if line.blank or i in self.code:
                continue
            cells = [c.strip(" \u00a0") for c in re.split(r"\s{2,}", line.text.strip())]
            if sum(c in _NAVIGATION_WORDS for c in cells) < 2:
                continue
            first, last = i, i
            while first > 0 and not lines[first - 1].blank:
                first -= 1
            while last + 1 < len(lines) and not lines[last + 1].blank:
                last += 1
            if last - first < 5:
                out.update(range(first, last + 1))
        return out

    def _ends_a_column_table(self, i: int) -> bool:
        """Line i is the last row of a table set out in columns: the lines right above it, with it, are one."""
        first = i
        while first > 0 and not self.lines[first - 1].blank:
            first -= 1
        return first < i and _aligned_rows([line.raw for line in self.lines[first:i + 1]], self.commented) is not None

    def _heads_a_column_table(self, i: int) -> bool:
        """Line i is set out in cells and opens a table in columns: with the lines under it up to a blank
        line, a rule under it left out, it is one."""
        if not _COLUMN_GAP.search(self.lines[i].text):
            return False
        last = i
        while last + 1 < len(self.lines) and not self.lines[last + 1].blank:
            last += 1
        rows = [line.raw for k, line in enumerate(self.lines[i:last + 1]) if not (k and _UNDERLINE.match(line.raw))]
        return len(rows) > 1 and _aligned_rows(rows, self.commented) is not None

    def _in_indented_block(self, i: int) -> bool:
        """Line i is indented as code is (4 or more) and another line so indented touches it: a line of a
        command or of its output, set off from the text by its indent."""
        lines = self.lines
        return lines[i].indent >= 4 and any(
            0 <= j < len(lines) and not lines[j].blank and lines[j].indent >= 4 for j in (i - 1, i + 1))

    def _inside_list_item(self, i: int) -> bool:
        """Line i goes on with a list item: the lines above it, with no blank line between, lead up to a
        bullet set left of it."""
        lines = self.lines
        j = i - 1
        while j >= 0 and not lines[j].blank and lines[j].indent >= lines[i].indent and not _BULLET.match(lines[j].raw):
            j -= 1
        return j >= 0 and not lines[j].blank and bool(_BULLET.match(lines[j].raw)) and lines[j].indent < lines[i].indent

    def _centred_title(self, i: int, wrap: float, explicit_lines: set[int], implicit: dict[int, _Heading]) -> bool:
        """Line i stands alone in the middle of the line, not right under a heading (a subtitle, "Version
        1.3") and not among centred lines (a title page's author, address and version)."""
        lines = self.lines
        if not (self.blank(i - 1) and self.blank(i + 1) and self._centred(lines[i], wrap)):
            return False
        above, below = self.previous_text(i), self.next_text(i)
        return above not in explicit_lines and above not in implicit \
            and not any(k is not None and self._centred(lines[k], wrap) for k in (above, below))

    @staticmethod
    def _centred(line: _Line, wrap: float) -> bool:
        """A title set in the middle of the line ("                Preamble"), as plain-text licences do."""
        margin_right = wrap - line.indent - len(line.text)
        return wrap != float("inf") and line.indent >= 12 and abs(line.indent - margin_right) <= 0.2 * wrap

    @cached_property
    def wrap_width(self) -> float:
        """Where the text is hard-wrapped: the length most long lines reach (infinite when it is not wrapped,
        as when each paragraph is one line)."""
        lengths = sorted(len(ln.raw.rstrip()) for ln in self.lines if not ln.blank)
        if not lengths:
            return float("inf")
        typical = lengths[int(0.9 * (len(lengths) - 1))]
        return float(typical) if typical <= 100 else float("inf")

    def title_line(self, headings: dict[int, _Heading], skipped: set[int]) -> int | None:
        """The document's first line, when it reads as a title above more text ("Town Pool Rules")."""
        first = self.next_text(-1)
        if first is None or first in headings or first in skipped or first in self.code or first in self.table:
            return None
        line = self.lines[first]
        if _BULLET.match(line.raw) or line.text.endswith("?") or not _title_like(line.text, _MAX_TITLE_WORDS):
            return None
        below = self.lines[first + 1].text if first + 1 < len(self.lines) else ""
        if below[:1].islower():
            return None  # a paragraph's first line, wrapped ("Mercurial accepts … one or more files" / "at a time.")
        return first if self.next_text(first) is not None else None

    def standalone_counts(self) -> Counter[str]:
        """How often each line stands alone between blank lines: a label repeats, a heading rarely does."""
        return Counter(self.keys[i] for i in range(len(self.lines))
                       if not self.lines[i].blank and self.blank(i - 1) and self.blank(i + 1))

    def comment_lines(self) -> set[int]:
        """reStructuredText's comments and markers (".. internaltoolsmarker") and the directives that lay out
        the page, with their indented options: not text, and never a heading."""
        out = set()
        for i, line in enumerate(self.lines):
            if i in self.code:
                continue
            if self.dot_titles and i not in self.dot_titles and _DOT_COMMAND.match(line.raw):
                out.add(i)  # ".ex", ".nf": a converter's layout command
            elif _RST_COMMENT.match(line.raw):
                out.add(i)
            elif _RST_MARKUP_DIRECTIVE.match(line.raw):
                out.add(i)
                j = i + 1
                while j < len(self.lines) and not self.lines[j].blank and self.lines[j].indent > line.indent:
                    out.add(j)
                    j += 1
        return out

    def rules(self, headings: dict[int, _Heading]) -> set[int]:
        """Bare rules ("-----", "+---+") outside tables: drawing, not text; AsciiDoc's markup lines, and in
        Markdown a line of HTML tags alone (ripgrep's FAQ: "<h3 name="config">" / "Does ripgrep …?" / "</h3>"). (Labels
        such as "Note" that recur all over a document are left to the chunker, which drops them for every
        format.)"""
        return {i for i, line in enumerate(self.lines)
                if not line.blank and i not in headings and i not in self.code and i not in self.table
                and (_RULE.match(line.raw) or (self.asciidoc and _is_asciidoc_markup(line.text))
                     or (self.markdown and bool(_HTML_TAGS_LINE.fullmatch(line.text))))}


def _assign_levels(headings: dict[int, _Heading]) -> None:
    """Implicit headings sit one level below the last explicit one (or at level 1 when there is none).
    Where each chapter numbers its sections afresh ("Chapter 2. Getting Started" / "1. Core Concepts" /
    "2.1. Index", DocBook's text), a section is one level below its chapter."""
    last_explicit = 0
    relative = _numbers_restart_in_chapters(headings)
    in_chapter = False
    for i in sorted(headings):
        heading = headings[i]
        if heading.kind in ("question", "title", "label"):
            heading.level = last_explicit + 1
            continue
        labelled = _is_labelled_number(heading.numbering)
        in_chapter = in_chapter or labelled
        heading.level = max(1, heading.level) + (1 if relative and in_chapter and not labelled else 0)
        last_explicit = heading.level


def _follows(number: str, last: str) -> bool:
    """Whether `number` comes right after `last` at the same depth: "5.9." after "5.8.", "5.10" after "5.9"."""
    parts, before = number.rstrip(".").split("."), last.rstrip(".").split(".")
    return len(parts) == len(before) > 0 and parts[:-1] == before[:-1] and parts[-1].isdigit() \
        and before[-1].isdigit() and int(parts[-1]) == int(before[-1]) + 1


def _is_labelled_number(numbering: str) -> bool:
    """"Chapter 2." or "Appendix A.": a chapter's own number, not a section's."""
    return bool(numbering) and numbering[0].isalpha() and " " in numbering.replace("\u00a0", " ")


def _numbers_restart_in_chapters(headings: dict[int, _Heading]) -> bool:
    """Whether at least two chapters past the first number their first section "1." again."""
    restarts, chapter, waiting = 0, 0, False
    for i in sorted(headings):
        heading = headings[i]
        if _is_labelled_number(heading.numbering):
            chapter, waiting = chapter + 1, True
        elif waiting and heading.numbering:
            waiting = False
            restarts += chapter > 1 and heading.numbering.split(".")[0] == "1"
    return restarts >= 2


def find_blocks(text: str, markdown: bool = False, structure: bool = True,
                bold: frozenset[int] = frozenset()) -> list[Block]:
    """The blocks of a plain-text or Markdown document, in order, with offsets into `text`.
    `structure=False`: paragraphs, list items, tables and code only (a snippet, not a document).
    `bold`: where the lines start that the file set in bold (see bold_line_starts)."""
    scan = _Scanner(text, markdown)
    scan.bold = {i for i, line in enumerate(scan.lines) if line.start in bold}
    if not structure:
        return _body_blocks(scan, {}, set())
    manual = None if markdown else manual_page_layout(scan.lines)
    if manual is not None:
        headings = {i: _Heading(i, i, "title" if i == manual.title else "section", level)
                    for i, level in manual.headings.items()}
        blocks = _body_blocks(scan, headings, manual.skipped | scan.rules(headings))
        terms = [scan.lines[i] for i in manual.terms]
        return [without_change_bar(text, b) for b in _parted_after(text, blocks, terms)]
    explicit = scan.explicit_headings()
    contents = scan.contents_lines(explicit) | scan.navigation_lines() | scan.comment_lines()
    explicit = {i: h for i, h in explicit.items() if i not in contents}
    comments: set[int] = set()
    if not markdown:
        # a plain-text manual that numbers or underlines its headings: a "# …" line is a comment in an
        # example or a root prompt ("# Strip out annoying [listname] prefixes", "# ufw allow 80/tcp"), not a
        # heading; in any plain text, so is one among others or over code (a configuration sample's)
        manual = sum(bool(h.numbering) for h in explicit.values()) >= NUMBERED_MANUAL \
            or sum(h.kind == "underline" for h in explicit.values()) >= UNDERLINED_MANUAL
        # so is any but a section title when a configuration sample sets its titles under banners of "#"
        banners = sum(h.kind == "markdown" and scan.under_a_banner(i) for i, h in explicit.items()) >= BANNERED
        # ... and in a file of comments (a configuration sample: most of its lines "# …"), every "# …" line is one
        scan.configuration = scan.commented or banners
        comments = {i for i, h in explicit.items() if h.kind == "markdown" and (
            (manual and not _numbering(heading_title(scan.lines[i].raw) or ""))
            or (scan.configuration and not scan.under_a_banner(i))
            or (not scan.asciidoc and scan.in_comment_run(i)) or scan.runs_on(i))}
        explicit = {i: h for i, h in explicit.items() if i not in comments}
    if any(h.kind == "dot" for h in explicit.values()):
        headings = {i: h for i, h in explicit.items() if h.kind == "dot"}  # the file says how it marks a title
    elif any(h.kind == "comment" for h in explicit.values()):
        headings = {i: h for i, h in explicit.items() if h.kind == "comment"}  # so does one of comments
    elif scan.underlines_its_headings(explicit):
        # the document says how it marks a heading: a numbered list item ("1. Russ Allbery"), a
        # definition term ('"nocheck"') or a comment in an example ("# perl") is not one
        headings = {i: h for i, h in explicit.items() if h.kind in ("underline", "joined", "label", "bold", "closed")}
    elif any(h.kind in ("outdented", "indented") for h in explicit.values()):
        headings = dict(explicit)  # so too when its titles stand left of its body, or further in: a short line
        # inside it is none
    elif sum(h.kind == "bold" for h in explicit.values()) >= BOLD_HEADINGS:
        # so too when it sets its headings in bold: an indented command standing alone is not one
        headings = {i: h for i, h in explicit.items() if h.kind in ("underline", "bold", "closed")}
    elif scan.asks_and_answers:
        # its questions are its sections: a short line inside an answer (a line of code, "That's easy!") is not
        headings = {i: h for i, h in explicit.items() if h.kind != "markdown"}
    else:
        headings = {**explicit, **scan.implicit_headings(explicit, contents, comments)}
    title_line = scan.title_line(headings, contents)
    if title_line is not None:
        headings[title_line] = _Heading(title_line, title_line, "title")
    _assign_levels(headings)
    skipped = contents | scan.rules(headings) | _legal_front_matter(scan, headings, title_line)
    return _body_blocks(scan, headings, skipped)


def _parted_after(text: str, blocks: list[Block], lines: list[_Line]) -> list[Block]:
    """Paragraphs that open with one of `lines` parted after it: a term over its description is a block
    of its own, as a definition list's term is."""
    term_end = {line.start + line.indent: line.start + len(line.raw.rstrip()) for line in lines}
    out: list[Block] = []
    for block in blocks:
        end = term_end.get(block.start) if block.kind == "paragraph" else None
        if end is not None and end < block.end:
            rest = len(text[end:block.end]) - len(text[end:block.end].lstrip())
            out += [Block("paragraph", block.start, end), Block("paragraph", end + rest, block.end)]
        else:
            out.append(block)
    return out


def _legal_front_matter(scan: _Scanner, headings: dict[int, _Heading], title_line: int | None) -> set[int]:
    """Copyright and licence paragraphs before the first heading are not content to answer from."""
    lines = scan.lines
    end = min((i for i in headings if i != title_line), default=0)
    out: set[int] = set()
    paragraph: list[int] = []
    for i in range(end + 1):
        if i < end and not lines[i].blank:
            paragraph.append(i)
            continue
        if paragraph and _LEGAL.search(" ".join(lines[j].text for j in paragraph)):
            out.update(paragraph)
        paragraph = []
    return out


TABLE_ROWS = 3  # lines of a paragraph that open a cell at one column: a table set out in columns
TABLE_ALIGNED_SHARE = 0.6  # ... when this share of its rows (and at least TABLE_ROWS) do
_CELL_GAP = re.compile(r"\S(\s{2,})\S")  # two spaces or more (or a tab) part a row's cells
_TERM_ENTRY = re.compile(r"\s*[-+]{0,2}[\w.$%@/][\w.$%@/+-]*:\s+\S")  # "-tls_cert: The TLS client …"


def _aligned_rows(lines: list[str], comments: bool = False) -> list[tuple[int, int]] | None:
    """The rows of a paragraph set out as a table in columns, as (first, end) line ranges: a row opens at
    the paragraph's own indent and its second cell starts at the column most rows share ("Variable   Description"
    / "$,         last person who sent you a MSG"); a line set in as far as that column or further goes on
    with the row above. None when the lines are not such a table (a sentence wrapped at the paragraph's
    indent, a row or two). `comments`: in a file of comments, a "#" before the gap is a comment's mark, not a
    cell (tmux's key table has a key "#")."""
    expanded = [line.expandtabs(8).rstrip() for line in lines]
    indent = len(expanded[0]) - len(expanded[0].lstrip())
    seconds: list[int | None] = []
    for line in expanded:
        gap = _CELL_GAP.search(line, indent) if len(line) - len(line.lstrip()) == indent else None
        if gap is not None and comments and not line[:gap.start() + 1].strip().strip("#"):
            gap = None  # "#\tThis documentation shows …": a comment's mark, not a first cell
        seconds.append(gap.end() - 1 if gap else None)
    column, count = Counter(c for c in seconds if c is not None).most_common(1)[0] if any(seconds) else (0, 0)
    starts = [k for k, line in enumerate(expanded) if len(line) - len(line.lstrip()) == indent]
    if starts[0] != 0:
        return None
    terms_listed = False
    if count < TABLE_ROWS or count < TABLE_ALIGNED_SHARE * len(starts):
        # or a list of terms each closed by a colon, their descriptions wrapped further in ("-tls_pkey: The
        # TLS client private key, if not included in the" / "          certificate file.")
        if len(starts) < TABLE_ROWS or not all(_TERM_ENTRY.match(expanded[k]) for k in starts) \
                or any(len(line) - len(line.lstrip()) < indent for line in expanded):
            return None
        column, terms_listed = indent + 2, True
    for k, line in enumerate(expanded):
        depth = len(line) - len(line.lstrip())
        if depth != indent and depth < column - 1:
            return None  # a line neither opening a row nor under the second column: not a table
        if depth == indent and seconds[k] is None and not terms_listed and k + 1 < len(expanded) \
                and len(expanded[k + 1]) - len(expanded[k + 1].lstrip()) == indent:
            return None  # a line at the indent with no second cell, and the next too: text wrapped
    return [(k, next((j for j in starts if j > k), len(lines))) for k in starts]


PROSE_WORD_SHARE = 0.5  # text more than this much made of words of prose is prose when long, or a sentence
PROSE_MIN_WORDS = 6


def _reads_as_prose(lines: list[str]) -> bool:
    """Whether lines are text to read, mostly plain words ("dso  Preload a dynamic shared object (shared li‐" /
    "brary) that intercepts …", a term and its description), not code; a comment after "#" counts for neither."""
    words = [w for line in lines for w in re.split(r"(?:^|\s)#(?:\s|$)", line, maxsplit=1)[0].split()]
    plain = sum(map(bool, map(PLAIN_WORD.fullmatch, words)))
    return bool(words) and plain > PROSE_WORD_SHARE * len(words) \
        and (len(words) >= PROSE_MIN_WORDS or words[-1].endswith((".", "!", "?", ":")))


COMMENT_MARK = re.compile(r"^[ \t]*#+[ \t]?")  # a configuration comment's mark, as it opens a line
# a setting as a configuration file writes it: "JUMPFILE:/Lynx_Dir/ips.html", "timeout=5", "auth_realms =",
# "disable_plaintext_auth = yes"
_SETTING_START = re.compile(r"[A-Za-z_][\w.-]*(?::\S|=\S|\s+=(?:\s|$))")
# ... or, put out of use with its mark right against it, a name of inner capitals or underscores and its value:
# "#AccountingMax 40 GBytes", "#ControlPort 9051" (a comment's own words start after a space: "# Set this …")
_SETTING_OUT_OF_USE = re.compile(r"[ \t]*#+[A-Za-z][a-z0-9]*(?:[A-Z_][\w.-]*)+\s+\S")
_PROSE_WORDS = 4  # plain words on one of its lines that make a comment prose


def is_comment_prose(lines: list[str]) -> bool:
    """Whether these lines are a configuration file's comment written as sentences ("# Set GOTOBUFFER to TRUE if
    you want …"), every line marked "#": a paragraph to read, not code (a setting put out of use, "#STARTFILE:…",
    or a commented example stays code)."""
    if not lines or not all(COMMENT_MARK.match(line) for line in lines):
        return False
    bare = [COMMENT_MARK.sub("", line) for line in lines]
    if not bare[0].strip() or _SETTING_START.match(bare[0].strip()) or reads_as_code(bare):
        return False
    return any(sum(bool(re.fullmatch(r"[A-Za-z][a-z]*[,.;:]?", w)) for w in line.split()) >= _PROSE_WORDS
               for line in bare)


def _settings_after_comment(lines: list[str]) -> int | None:
    """Where the settings start under a comment written as sentences, in a configuration file: lines marked
    otherwise than the comment ("## Back up files …" over "# set backup"), a setting put out of use
    ("#GOTOBUFFER:FALSE") or in use; None when the lines are not a comment over settings."""
    marks = COMMENT_MARK.match(lines[0])
    if marks is None:
        return None
    depth = marks.group().strip().count("#")

    def is_setting(line: str) -> bool:
        mark = COMMENT_MARK.match(line)
        bare = COMMENT_MARK.sub("", line)
        return mark is None or mark.group().strip().count("#") != depth or bool(_SETTING_START.match(bare)) \
            or bool(_SETTING_OUT_OF_USE.match(line))

    first = len(lines)  # where the run of settings that ends the lines starts
    while first > 1 and is_setting(lines[first - 1]):
        first -= 1
    return first if first < len(lines) and is_comment_prose(lines[:first]) else None


def _body_blocks(scan: _Scanner, headings: dict[int, _Heading], skipped: set[int]) -> list[Block]:
    lines = scan.lines
    blocks: list[Block] = []
    covered_by_heading = {j for h in headings.values() for j in range(h.first, h.last + 1)}
    current: list[int] = []
    current_kind: BlockKind = "paragraph"
    added: list[tuple[list[int], Block]] = []  # the rows of the last block add() made, and that block

    def add(rows: list[int], kind: BlockKind) -> None:
        first, last = lines[rows[0]], lines[rows[-1]]
        start = first.start + (len(first.raw) - len(first.raw.lstrip()))
        end = last.start + len(last.raw.rstrip())
        if start < end:
            blocks.append(Block(kind, start, end, _list_level(first) if kind == "list_item" else 0))
            added[:] = [(rows, blocks[-1])]

    def announces(rows: list[int]) -> bool:
        """The block right before `rows` is text that ends in ":" and stands left of them (README.source's
        "… use this snippet in your ~/.quiltrc:" over its indented shell loop)."""
        if not added or not blocks or blocks[-1] is not added[0][1] \
                or blocks[-1].kind not in ("paragraph", "list_item"):
            return False
        lead = added[0][0]
        return lines[lead[-1]].text.endswith(":") \
            and min(_indent(lines[j].raw) for j in rows) > _indent(lines[lead[0]].raw)

    def flush() -> None:
        nonlocal current
        if current:
            kind = current_kind
            raws = [lines[j].raw for j in current]
            settings = _settings_after_comment(raws) if kind == "paragraph" and scan.configuration else None
            if settings:  # "# Set GOTOBUFFER to TRUE if …" over "#GOTOBUFFER:FALSE": the comment, then the setting
                add(current[:settings], "paragraph")
                add(current[settings:], "code")
            else:
                if kind == "paragraph" and not scan.markdown and reads_as_code(raws) \
                        and not (scan.configuration and is_comment_prose(raws)):
                    kind = "code"  # a README's recipe at the body's own indent ("mdadm --stop /dev/md0")
                elif kind == "paragraph" and not scan.markdown and not scan.configuration and announces(current) \
                        and not _reads_as_prose(raws):
                    kind = "code"  # lines set in under the text that announces them: an example to copy
                elif kind == "paragraph" and not scan.markdown and (rows := _aligned_rows(raws, scan.commented)):
                    # a table set out in columns ("$N        current nickname"): a row a block
                    for first, last in rows:
                        add(current[first:last], "table_row")
                    current = []
                    return
                add(current, kind)
        current = []

    i = 0
    while i < len(lines):
        line = lines[i]
        if i in headings:
            flush()
            heading = headings[i]
            # its title, not the underline under it, nor one run onto its line ("Font selection.  =========")
            last = heading.last - 1 if heading.kind == "underline" and heading.last > i else heading.last
            start = line.start + line.indent
            on_the_line = _UNDERLINE_ON_THE_LINE.search(lines[last].raw) if heading.kind == "joined" else None
            end = lines[last].start + (on_the_line.start() if on_the_line else len(lines[last].raw.rstrip())) \
                - (2 if heading.kind == "label" else 0)
            blocks.append(Block("heading", start, end, heading.level, heading.numbering))
            i = heading.last + 1
            continue
        if line.blank or i in skipped or i in covered_by_heading:
            flush()
            i += 1
            continue
        if i in scan.code:
            if i not in scan.fences:
                if current and current_kind != "code":
                    flush()
                current_kind = "code"
                current.append(i)
            else:
                flush()
            i += 1
            continue
        if i in scan.table:
            flush()
            i = _table_rows(scan, i, blocks)
            continue
        is_item = bool(_BULLET.match(line.raw)) and not (
            # "… is set to" / "4.  To achieve …": a number a hard wrap put at a line's start, mid-sentence
            current and current_kind == "paragraph" and _NUMBER_MARK.match(line.raw)
            and _MID_SENTENCE_END.search(lines[current[-1]].raw))
        if current and current_kind == "list_item" and not is_item and (
                line.indent > lines[current[0]].indent
                # a hard wrap back at the item's margin, mid-sentence ("\t1. … undoes whatever was done" /
                # "\tby the old commit."; then the lines level with that one)
                or (line.indent >= lines[current[0]].indent and not _ENDS_A_SENTENCE.search(lines[current[-1]].text)
                    and (line.text[:1].islower() or (len(current) > 1 and line.indent == lines[current[-1]].indent)))):
            current.append(i)  # an indented line carries on the list item above it
        else:
            if current and (is_item or current_kind != "paragraph"):
                flush()
            if not current:
                current_kind = "list_item" if is_item else "paragraph"
            current.append(i)
        i += 1
    flush()
    return blocks


def _list_level(line: _Line) -> int:
    return 1 + line.indent // 2 if line.indent < 8 else 4


def _table_rows(scan: _Scanner, i: int, blocks: list[Block]) -> int:
    """Table lines from i on: a row is the run of lines between separator rules ("|---+---|"); where a table
    has a separator only under its header (Markdown), each line is a row. Returns the next line index."""
    lines = scan.lines
    j = i
    while j < len(lines) and j in scan.table:
        j += 1
    region = list(range(i, j))
    separators = [k for k in region if _TABLE_SEPARATOR.match(as_ascii_grid(lines[k].raw))]
    content = [k for k in region if k not in separators]
    grouped = len(separators) >= max(2, len(content) // 2)
    rows: list[list[int]] = []
    for k in region:
        if k in separators:
            rows.append([])
        elif grouped and rows and rows[-1]:
            rows[-1].append(k)
        else:
            rows.append([k])
    for row in rows:
        if row:
            first, last = lines[row[0]], lines[row[-1]]
            start = first.start + first.indent
            end = last.start + len(last.raw.rstrip())
            if as_ascii_grid(scan.text[start:end]).strip("|+ -\n\r\t"):
                blocks.append(Block("table_row", start, end))
    return j
