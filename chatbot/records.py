"""Frozen records that flow through the pipeline: corpus -> passages -> hits -> reply.

Every span is a pair of Python string offsets into the document's text exactly as read,
so `document.text[start:end]` always reproduces what is quoted.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from typing import Literal, get_args

ReplyKind = Literal["answer", "clarify", "out_of_scope", "error", "reset"]
BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "code"]
BLOCK_KINDS: tuple[str, ...] = get_args(BlockKind)


@dataclass(frozen=True)
class Block:
    """One structural unit of a document's text: `text[start:end]` is the block, trimmed of surrounding
    white space. Text that no block covers (a table of contents, running headers, page numbers, front
    matter) is never indexed or quoted."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading: 1 for a chapter, 2 for its sections, ...; list item: nesting depth from 1
    numbering: str = ""  # a heading's own number as written ("8.5."), "" when unnumbered
    anchor: str = ""  # HTML: id of the element, or of the nearest element with an id that encloses or precedes it


def _start(block: Block) -> int:
    return block.start


@dataclass(frozen=True)
class Document:
    """A source document as its reader made it. `text` is what citations index into: the file itself
    for .txt/.md, the extracted text for PDF, HTML and DOCX (blocks separated by blank lines)."""

    id: str  # path relative to the corpus folder, with forward slashes
    text: str
    title: str = ""  # PDF metadata, <title>, the first heading, else "" (callers fall back to the file name)
    blocks: tuple[Block, ...] = ()  # in text order, not overlapping; () for a bare text not yet read
    pages: tuple[int, ...] = ()  # PDF: offset in `text` where page n+1 starts (pages[0] == 0); () otherwise
    format: str = "text"  # "text", "markdown", "pdf", "html", "docx"
    # PDF: (start, end, 1-based page) of text written away from its page's span: a footnote placed after the
    # rest of the section that marks it, which may run on over later pages
    moved: tuple[tuple[int, int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        """1-based page of the character at `offset` (PDF only)."""
        if not self.pages:
            return None
        for start, end, page in self.moved:
            if start <= offset < end:
                return page
        return bisect_right(self.pages, offset)

    def anchor_at(self, offset: int) -> str:
        """The anchor of the block holding `offset` (HTML only), "" when there is none."""
        i = bisect_right(self.blocks, offset, key=_start) - 1
        return self.blocks[i].anchor if i >= 0 else ""

    def blocks_between(self, start: int, end: int) -> tuple[Block, ...]:
        """The blocks that overlap the text from `start` to `end`, found by bisection (blocks are in text order
        and do not overlap), not by a walk over the whole document on every reply."""
        first = max(bisect_right(self.blocks, start, key=_start) - 1, 0)
        last = bisect_left(self.blocks, end, key=_start)
        return tuple(b for b in self.blocks[first:last] if start < b.end)

    @property
    def display_title(self) -> str:
        return self.title or self.id.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    is_list_item: bool = False


@dataclass(frozen=True)
class Passage:
    id: str  # "doc#n"
    doc: str
    section: str  # section title
    section_index: int
    start: int
    end: int
    text: str
    sentences: tuple[Sentence, ...]
    path: str = ""  # the heading path, "Chapter 8 › 8.5. How can I …"; "" means just `section`

    def text_of(self, sentence: Sentence) -> str:
        """One of its sentences as the document writes it (sentence offsets are the document's)."""
        return self.text[sentence.start - self.start:sentence.end - self.start]

    def embedding_text(self) -> str:
        """What the model sees: the section's own heading gives a short body its topic. (Adding the parent
        headings made every section of a guide look alike to the model: more off-topic questions passed.)
        Words a manual page broke at a line end are whole again, in the same length of text."""
        text = rejoined_words(self.text)
        if self.section and not text.startswith(self.section):
            return f"{self.section}\n{text}"
        return text


# groff's hyphenation in a manual page saved as text: "de‐" at a line's end, "fault" on the next, indented
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])\u2010([ \t]*\r?\n[ \t]*)([^\W\d_]+)")


def rejoined_words(text: str) -> str:
    """`text` with the words groff broke across lines joined ("de‐\n   fault" -> "default" and the
    spaces after it), each character after them where it was: a sentence's offsets still hold its words,
    and the model and the word index see "default", not "de" and "fault"."""
    if "\u2010" not in text:
        return text
    return _BROKEN_WORD.sub(lambda m: m[2] + " " * (1 + len(m[1])), text)


# The score of a sentence that only offers the reader angles to choose from ("if you meant X vs Y, tell me
# which"): it names a question's words without answering it, so it never ranks or is quoted as an answer.
NOT_AN_ANSWER = -1.0


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused rank score, higher is better
    dense: float  # cosine similarity of question and passage
    lexical: float  # BM25 score (0 when no query term occurs)
    coverage: float = 0.0  # share of the question's term weight found in the passage (0..1)
    sentence_scores: tuple[float, ...] = ()  # relevance of each of the passage's sentences
    sentence_cosine: float = 0.0  # the best cosine of the question with one of the passage's sentences
    topic: float | None = None  # how well the passage as a whole matches (cosine + coverage); None: `score`

    @property
    def topic_score(self) -> float:
        """The passage's match as a whole, before its best sentence counts: how a question spreads over
        topics (vague or not, one section standing out or not) is read from this."""
        return self.score if self.topic is None else self.topic


@dataclass(frozen=True)
class Citation:
    id: int
    doc: str
    section: str  # the heading path
    start: int
    end: int
    quote: str
    title: str = ""  # the document's title (or file name)
    page: int | None = None  # PDF: 1-based page where the quote starts
    anchor: str = ""  # HTML: id of the element holding the quote

    @property
    def heading(self) -> str:
        """The section's own heading: the last part of its path."""
        return self.section.rsplit(" › ", 1)[-1]

    def to_dict(self) -> dict:
        out = asdict(self)
        if self.page is None:
            del out["page"]
        if not self.anchor:
            del out["anchor"]
        return out


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    text: str
    citations: tuple[Citation, ...] = ()
    options: tuple[str, ...] = ()
    interpreted_as: str = ""  # how a follow-up or pick was read, shown to the user
    confidence: float | None = None  # estimated chance the best passage found answers (chatbot/confidence.py)
    passages: tuple[Passage, ...] = field(default=(), compare=False)  # context for the UI

    def to_dict(self) -> dict:
        out: dict = {
            "kind": self.kind,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "options": list(self.options),
        }
        if self.interpreted_as:
            out["interpreted_as"] = self.interpreted_as
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 2)
        return out
