"""Pure: sections -> passages made of sentences, every one with exact offsets.

Sentence boundaries come from pysbd (it knows "vs.", "e.g." and "DrugPatentWatch.com");
list items are sentences of their own so an answer can quote the lead line and the items.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pysbd
from pysbd.utils import TextSpan

from .code_digest import chunking_digest, readers_digest
from .corpus import SECTION_RULES_VERSION, Section, blocks_of, body_blocks, find_sections
from .readers import READERS_VERSION
from .readers.text import find_blocks, normal_key
from .records import Block, Document, Passage, Sentence

SENTENCE_RULES_VERSION = 14  # bump when sentence boundaries change: stored indexes then rebuild
LEAD_IN_WORDS = 60  # a sentence that ends in ":" goes on into the passage of what it announces, up to this long
LONG_LIST_PASSAGES = 3  # a list keeps to its lead line's passage up to this many passages' worth of words
# Closing emphasis, quotes and brackets that pysbd leaves at the head of the next sentence.
_STRAY_CLOSERS = re.compile(r"[*_”\"’')\]]+(?=\s|$)")
# Abbreviations pysbd does not know; after one, a boundary before a number is not a boundary.
_MORE_ABBREVIATIONS = frozenset(
    "approx incl excl max est ca cf resp vol eds figs tbsp tsp oz lb lbs hrs mins wk wks yr yrs temp avg".split())
_LAST_WORD = re.compile(r"(\w+)\.$")
# A "sentence" that starts with one of these carries on the previous one (pysbd ends a sentence at the dot
# of a quoted path such as ”./source”, leaving "/source” using different tools." cut off).
_CONTINUATION = frozenset("/\\.,;:)]}!?-_%&|>")
_LONE_MARK = re.compile(r"\s[.!?]$")
# A footnote mark standing as a sentence of its own: "[14]" after "… within 30 characters.", "^[3]", "(2)"
_NOTE_MARK_ONLY = re.compile(r"\^?\[\d{1,3}\]|\(\d{1,2}\)")
# a short aside in parentheses, after a sentence's end: "Can not be changed while tor is running. (Default: 0)"
_ASIDE_ONLY = re.compile(r"\((?:[^()\s]+\s?){1,6}\)\.?")
_LEADING_NOTE_MARK = re.compile(r"\s*\^?\[\d{1,3}\](?=\s)")


@dataclass(frozen=True)
class ChunkSettings:
    max_passage_words: int = 180  # MiniLM reads about 256 word pieces; keep passages inside that

    def as_dict(self) -> dict:
        return {"max_passage_words": self.max_passage_words, "segmenter": f"pysbd {pysbd.__version__}",
                "sentences": SENTENCE_RULES_VERSION, "sections": SECTION_RULES_VERSION,
                "readers": READERS_VERSION, "readers_code": readers_digest(), "chunking_code": chunking_digest()}


class _Segmenter(pysbd.Segmenter):
    """pysbd, locating its sentences with a forward search. pysbd's own lookup compiles a regex for
    each sentence (flooding the `re` cache, so its rules recompile too) and rescans the text from the
    start for it: on real text that is about 45% of its time. Same result: the first occurrence, with
    its trailing whitespace, that ends after the previous sentence."""

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        text = self.original_text
        spans: list[TextSpan] = []
        prior_end = 0
        for sentence in sentences:
            if not sentence:
                continue
            found = text.find(sentence, max(0, prior_end - len(sentence)))
            while found != -1:
                end = found + len(sentence)
                while end < len(text) and text[end].isspace():
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[found:end], found, end))
                    prior_end = end
                    break
                found = text.find(sentence, found + 1)
        return spans


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return _Segmenter(language="en", clean=False, char_span=True)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def is_note_mark(text: str) -> bool:
    """Only a footnote mark: "[14]", "^[3]", "(2)"."""
    return bool(_NOTE_MARK_ONLY.fullmatch(text.strip()))


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of text[start:end] (plain text) as exact, whitespace-trimmed spans of `text`."""
    sentences: list[Sentence] = []
    for block in find_blocks(text[start:end], structure=False):
        sentences.extend(block_sentences(text, Block(block.kind, start + block.start, start + block.end)))
    return sentences


def block_sentences(text: str, block: Block) -> list[Sentence]:
    """A paragraph's sentences; a list item, table row or code block is one sentence, quoted whole."""
    block_start, block_end = _trim(text, block.start, block.end)
    if block_start == block_end:
        return []
    if block.kind != "paragraph":
        return [Sentence(block_start, block_end, True)]
    block_text = text[block_start:block_end]
    # A line break inside a paragraph is a hard wrap, not a sentence end; spaces keep the offsets.
    unwrapped = block_text.replace("\r", " ").replace("\n", " ")
    spans = _repair(block_text, [(s.start, s.end) for s in _segmenter().segment(unwrapped)])
    if not _tiles(block_text, spans):
        spans = [(0, len(block_text))]  # never lose text to a segmenter quirk
    sentences = []
    for s_start, s_end in spans:
        a, b = _trim(text, block_start + s_start, block_start + s_end)
        if a < b:
            sentences.append(Sentence(a, b, False))
    return sentences


_LEADING_NUMBER_END = re.compile(r"\s*(\d{1,4}\.)\s+(?=[A-Z])")
_ENDS_IN_A_WORD = re.compile(r"[^\W\d_]\s*\Z")
_INLINE_ENUMERATOR = re.compile(r"\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s")


def _repair(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo pysbd's known slips: closing markup ("**Title.** Text") stays with its sentence, and a
    sentence does not end before a lowercase word or after an abbreviation it lacks ("approx. 18 g")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            stray = _STRAY_CLOSERS.match(block, start, end)
            if stray and prev_end == start:
                out[-1] = (prev_start, stray.end())
                start = stray.end()
            number = _LEADING_NUMBER_END.match(block, start, end)
            if number and _ENDS_IN_A_WORD.search(block, prev_start, out[-1][1]):
                # "… count of" | "3.  The thread …": pysbd takes a number ending a sentence, before two
                # spaces, for a list's number starting the next one; it ends the sentence before
                out[-1] = (prev_start, number.end(1))
                start = number.end(1)
            mark = _LEADING_NOTE_MARK.match(block, start, end)
            if mark and block[prev_start:out[-1][1]].rstrip()[-1:] in ".!?:":
                out[-1] = (prev_start, mark.end())  # "First one. [3] Second one.": the mark is the first's
                start = mark.end()
            head = block[start:end].lstrip()
            last = _LAST_WORD.search(block[prev_start:out[-1][1]].rstrip())
            after_abbreviation = bool(last) and last.group(1).lower() in _MORE_ABBREVIATIONS
            # a mark standing alone is quoted, not an end: "from the last occurrence of the . (period)"
            lone_mark = _LONE_MARK.search(block[prev_start:out[-1][1]].rstrip())
            before = block[prev_start:out[-1][1]]
            # "(file descriptor" | "1) and …", "one of" | "(a) the fast path": pysbd takes "1)" or "(a)" for a
            # list's number, but a sentence does not end on a word inside a parenthesis or before an inline one
            open_parenthesis = _ENDS_IN_A_WORD.search(before) and (before.count("(") > before.count(")")
                                                                   or _INLINE_ENUMERATOR.match(head))
            if head and (head[0].islower() or head[0] in _CONTINUATION or lone_mark or open_parenthesis
                         or (after_abbreviation and head[0].isdigit())
                         or _NOTE_MARK_ONLY.fullmatch(head.rstrip())  # the mark of the sentence before
                         or _ASIDE_ONLY.fullmatch(head.rstrip())):  # "(Default: 0)" ends what it qualifies
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return [(s, e) for s, e in out if block[s:e].strip()]


def _tiles(block: str, spans: list[tuple[int, int]]) -> bool:
    """True when the spans cover the block in order, leaving out only whitespace."""
    pos = 0
    for s_start, s_end in spans:
        if s_start < pos or s_end < s_start or block[pos:s_start].strip():
            return False
        pos = s_end
    return not block[pos:].strip()


def chunk_document(document: Document, settings: ChunkSettings = ChunkSettings()) -> list[Passage]:
    passages: list[Passage] = []
    blocks = blocks_of(document)
    skip = _labels(document, blocks) | _contents_entries(document, blocks) | _lone_header_rows(document, blocks) \
        | _site_banner(document, blocks)
    sections = find_sections(document)
    notes = _footnotes_by_section(document, blocks, sections)
    skip |= {block for found in notes.values() for note in found for block in note}
    for section in sections:
        content = [b for b in body_blocks(document, section, blocks) if b not in skip]
        passages.extend(_section_passages(document, section, content, settings, len(passages)))
    for section in sections:  # each footnote its own passages of the section that references it, after the rest
        for note in notes.get(section.index, ()):
            passages.extend(_section_passages(document, section, note, settings, len(passages)))
    return passages


# a footnote mark: a text browser's "^[19]", or "[19]" as a web page's or Word file's footnote shows it
_NOTE = re.compile(r"\^?\[(\d+)\]")


def _footnotes_by_section(document: Document, blocks: tuple[Block, ...], sections: list[Section]
                          ) -> dict[int, list[list[Block]]]:
    """Footnotes gathered at the end of a chapter (a text browser's edition writes "^[19]" in the text and
    opens the note with it; a Word file made from a web page, "[19]"): each goes to the section whose text
    holds its mark, the nearest one before it, so a quote from the note is cited under the section it
    explains. A mark inside a word ("a[1]") or opening another block is not a reference. A note of several
    paragraphs keeps them: a paragraph after a note with no mark of its own, before the next heading, goes
    where that note goes ("On smaller systems, …" after "[6] Different people prefer …")."""
    text = document.text
    found: dict[int, list[list[Block]]] = {}  # section -> its notes, each a list of blocks
    starts = [s.start for s in sections]
    block_starts = {b.start for b in blocks}
    last_note: list[Block] | None = None  # the last note moved, while its paragraphs may go on
    for block in blocks:
        mark = _NOTE.match(text, block.start) if block.kind == "paragraph" else None
        if mark is None:
            if block.kind == "heading":
                last_note = None
            elif last_note is not None:
                last_note.append(block)
            continue
        last_note = None
        reference = text.rfind(mark.group(), 0, block.start)
        while reference != -1 and (reference in block_starts or (reference and text[reference - 1].isalnum())):
            reference = text.rfind(mark.group(), 0, reference)
        if reference == -1:
            continue
        at = max((i for i, start in enumerate(starts) if start <= reference), default=None)
        if at is not None and not (sections[at].start <= block.start < sections[at].end):
            last_note = [block]
            found.setdefault(sections[at].index, []).append(last_note)
    return found


CONTENTS_ENTRY_WORDS = 20  # a line of a table of contents is a title, this long at most (two run together)


def _contents_entries(document: Document, blocks: tuple[Block, ...]) -> set[Block]:
    """Lines of a table of contents a reader kept as text (a Word file made from a web page keeps it as a
    list of links; a printed Sphinx page, its "Contents" box): a run of short lines that end no sentence, three
    or more and at least half of them repeating a heading of the document. The others go with them: the box's
    title, and entries for headings the reader did not take for headings ("Code Signing")."""
    text = document.text
    headings = {normal_key(text[b.start:b.end]) for b in blocks if b.kind == "heading"}
    entries: set[Block] = set()
    run: list[Block] = []  # short lines in a row
    run_repeats = 0  # how many of them repeat a heading
    repeats: list[Block] = []  # blocks in a row that each repeat a heading
    for block in [*blocks, None]:
        line = " ".join(text[block.start:block.end].split()) if block is not None else ""
        repeating = block is not None and block.kind != "heading" and normal_key(line) in headings
        if repeating:
            repeats.append(block)
        else:
            entries.update(repeats if len(repeats) >= 3 else ())
            repeats = []
        if block is not None and block.kind in ("paragraph", "list_item") and line \
                and len(line.split()) <= CONTENTS_ENTRY_WORDS and not line.endswith((".", ":", ";", ",", "!")):
            run.append(block)
            run_repeats += repeating
            continue
        if run_repeats >= 3 and 2 * run_repeats >= len(run):
            entries.update(run)
        run, run_repeats = [], 0
    return entries


_HEADER_CELL = re.compile(r"[A-Z][A-Z0-9 &/().-]*")


def _lone_header_rows(document: Document, blocks: tuple[Block, ...]) -> set[Block]:
    """A table of one row whose cells are all labels in capitals ("ACTION | NAME | DATE | SIGNATURE", an
    empty form on a manual's title pages): a header with no rows under it says nothing to quote."""
    found = set()
    for i, block in enumerate(blocks):
        if block.kind != "table_row":
            continue
        beside = [blocks[j] for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
        cells = [c.strip() for c in document.text[block.start:block.end].split("|")]
        if (len(cells) >= 2 and all(_HEADER_CELL.fullmatch(c) for c in cells)
                and not any(b.kind == "table_row" for b in beside)):
            found.add(block)
    return found


# the words of a web site's banner and menu, as a page saved to Word or printed to PDF keeps them
_SITE_MENU_WORDS = frozenset("home menu search about documentation docs download downloads license support purchase "
                             "changelog news blog contact contents table of index prev previous next up top".split())
BANNER_WORDS = 6  # a banner block beside a site's menu is this short ("Small. Fast. Reliable. Choose any three.")


def _site_banner(document: Document, blocks: tuple[Block, ...]) -> set[Block]:
    """A saved web page's banner and menu, kept as text before its first paragraph of prose ("SQLite" / "Home" /
    "Menu" / "Search" / "Search Documentation Search Changelog" / "► Table Of Contents"; a printed page's "Menu
    About Documentation Download License Support Purchase"): where two of those blocks are only a site's menu
    words, or one is four of them, every such block and every short one beside them ("Table of Contents" alone is
    no menu). It had answered "how do I turn on write-ahead logging?" with the menu."""
    text = document.text
    opening: list[Block] = []  # the blocks before the first of prose (headings aside)
    menus = 0
    for block in blocks:
        if block.kind == "heading":
            continue
        words = re.findall(r"\w+", text[block.start:block.end].casefold())
        menu = bool(words) and set(words) <= _SITE_MENU_WORDS
        if not menu and (block.kind == "code" or len(words) > BANNER_WORDS):
            break
        opening.append(block)
        menus += 2 if menu and len(words) >= 4 else int(menu)
    return set(opening) if menus >= 2 else set()


def _labels(document: Document, blocks: Iterable[Block]) -> set[Block]:
    """Paragraphs of one or two words without punctuation that recur all over a document: admonition
    labels ("Note", "Tip", "Warning") that a web page or a Word file keeps as text. Not content to quote."""
    short = [b for b in blocks if b.kind == "paragraph" and b.end - b.start <= 24
             and re.fullmatch(r"\w+(?: \w+)?", document.text[b.start:b.end])]
    counts = Counter(document.text[b.start:b.end].casefold() for b in short)
    return {b for b in short if counts[document.text[b.start:b.end].casefold()] >= 3}


def chunk_corpus(documents: Iterable[Document], settings: ChunkSettings = ChunkSettings()) -> list[Passage]:
    return [p for d in documents for p in chunk_document(d, settings)]


def _leads_into(text: str, line: Sentence, following: Sentence, code_line: bool = False) -> bool:
    """A short line of its own that closes no sentence and announces what follows, or has it set under it
    further in, or stands as a paragraph of its own: a term or an option over its description ("findtime" /
    "time interval …", a PDF's "AUTO_PUSHD (-N)" / "Make cd push …"), a lead over its setting ("Settings for
    level:"). (A short line of an example, level with the next, is neither.) `code_line`: the line is a code
    block of one word, as a PDF sets a variable's name over its description ("HISTCONTROL"). So does any
    sentence that ends in ":" over a block of its own: a passage cut after it would quote the lead-in
    without the lines it leads into."""
    words = text[line.start:line.end]
    if words.rstrip().endswith(":") and not line.is_list_item and len(words.split()) <= LEAD_IN_WORDS \
            and "\n" in text[line.end:following.start]:
        return True  # "… by adding the following two lines to the [Interface] section:" over the lines
    if (line.is_list_item and not code_line) or len(words.split()) > 6 or "\n" in words \
            or words.rstrip().endswith((".", "!", ";", ",")) or text[line.end:line.end + 2].strip():
        return False
    alone = text[line.end:line.end + 2] == "\n\n" and (line.start == 0 or text[line.start - 2:line.start] == "\n\n")
    return words.rstrip().endswith(":") or alone or _column(text, following.start) > _column(text, line.start)


def is_entry_header(text: str, blocks: Sequence[Block], i: int) -> bool:
    """A table of one row over a paragraph, a name and labelled fields: a reference entry's header
    ("hosts_require_tls | Use: smtp | Type: host list† | Default: unset" over what the option does). It
    belongs with the paragraph under it: a passage that ended on it quoted the next option's name after the
    last one's description, and the description under it lost the name it describes."""
    block = blocks[i]
    if block.kind != "table_row" or (i and blocks[i - 1].kind == "table_row") \
            or i + 1 >= len(blocks) or blocks[i + 1].kind != "paragraph":
        return False
    cells = [cell.strip() for cell in text[block.start:block.end].split("|")]
    return len(cells) >= 3 and len(cells[0].split()) == 1 and all(_FIELD.match(cell) for cell in cells[1:])


_FIELD = re.compile(r"[A-Z][\w ]{0,20}:(?:\s|$)")  # a header row's labelled field: "Type: host list", "Default: unset"


def _column(text: str, position: int) -> int:
    line_start = text.rfind("\n", 0, position) + 1
    return len(text[line_start:position].expandtabs(8))


def _section_passages(document: Document, section: Section, blocks: list[Block], settings: ChunkSettings,
                      first_number: int) -> list[Passage]:
    sentences = [s for block in blocks for s in block_sentences(document.text, block)]
    # a name alone in the code font (bash's "HISTCONTROL" over its description), not a command line
    code_lines = {block.start for block in blocks if block.kind == "code"
                  and len(document.text[block.start:block.end].split()) == 1}
    entry_headers = {block.start for i, block in enumerate(blocks) if is_entry_header(document.text, blocks, i)}
    groups: list[list[Sentence]] = []
    words = 0
    for sentence in sentences:
        n = len(document.text[sentence.start:sentence.end].split())
        # a list item stays with its lead line; a paragraph sentence may start a new passage, and so may
        # an item of a list far too long for one (a manual's list of 60 commands, a licence's clauses)
        limit = settings.max_passage_words * (LONG_LIST_PASSAGES if sentence.is_list_item else 1)
        # a term set over its description ("findtime" / "time interval …") goes on with it
        ends_on_term = bool(groups and groups[-1]) and (groups[-1][-1].start in entry_headers or _leads_into(
            document.text, groups[-1][-1], sentence, groups[-1][-1].start in code_lines))
        # a reference's entry (an option's header row and its paragraphs) starts a passage of its own
        opens_entry = sentence.start in entry_headers and bool(groups and groups[-1])
        if opens_entry or groups and words + n > limit and not (ends_on_term and len(groups[-1]) == 1):
            carried = [groups[-1].pop()] if ends_on_term and not opens_entry else []
            groups.append(carried)
            words = sum(len(document.text[s.start:s.end].split()) for s in carried)
        if not groups:
            groups.append([])
        groups[-1].append(sentence)
        words += n
    passages = []
    for group in groups:
        if not group:
            continue
        start, end = group[0].start, group[-1].end
        number = first_number + len(passages)
        passages.append(Passage(
            id=f"{document.id}#{number}", doc=document.id, section=section.title,
            section_index=section.index, start=start, end=end,
            text=document.text[start:end], sentences=tuple(group), path=section.path_text,
        ))
    return passages
