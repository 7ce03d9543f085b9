"""Frozen records that flow through the pipeline: corpus -> passages -> hits -> reply.

Every span is a pair of Python string offsets into the document's text exactly as read,
so `document.text[start:end]` always reproduces what is quoted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

ReplyKind = Literal["answer", "clarify", "out_of_scope", "error", "reset"]


@dataclass(frozen=True)
class Document:
    id: str  # path relative to the corpus folder, with forward slashes
    text: str


@dataclass(frozen=True)
class Section:
    doc: str
    index: int
    title: str  # the heading line as written (or the document name for text before any heading)
    start: int  # start of the heading line (or of the text when there is no heading)
    body_start: int
    end: int


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

    def embedding_text(self) -> str:
        """What the model sees: the heading gives a short body its topic."""
        if self.section and not self.text.startswith(self.section):
            return f"{self.section}\n{self.text}"
        return self.text


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused rank score, higher is better
    dense: float  # cosine similarity of question and passage
    lexical: float  # BM25 score (0 when no query term occurs)
    coverage: float = 0.0  # share of the question's term weight found in the passage (0..1)
    sentence_scores: tuple[float, ...] = ()  # relevance of each of the passage's sentences


@dataclass(frozen=True)
class Citation:
    id: int
    doc: str
    section: str
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    text: str
    citations: tuple[Citation, ...] = ()
    options: tuple[str, ...] = ()
    interpreted_as: str = ""  # how a follow-up or pick was read, shown to the user
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
        return out
