"""Conversation: one Engine (index, retriever, corpus knowledge) serves many Conversations,
each with its own state: the subject of the last turn and any pending "which angle?" question.

Every behaviour here is derived from the corpus (its headings and which words run through all
of it), never from strings about particular questions.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from . import answer as answers
from .embeddings import Embedder
from .messages import BadMessage, clean_message
from .records import Hit, Reply
from .retrieval import RetrievalSettings, Retriever
from .search_index import SearchIndex
from .text import STOPWORDS, is_name, term, terms, words


@dataclass(frozen=True)
class DialogueSettings:
    hits: int = 10
    topic_share: float = 0.6  # a term in at least this share of sections is the corpus's subject
    broad_share: float = 0.25  # a term this common names no particular angle ("model", "services")
    vague_max_terms: int = 3  # a vague message has at most this many content words ...
    vague_margin: float = 0.12  # ... and hits from several sections within this of the best
    vague_min_sections: int = 3
    max_options: int = 4
    option_margin: float = 0.25  # options come from sections scoring within this of the best
    duplicate_cosine: float = 0.85  # sections this similar are one option
    answer: answers.AnswerSettings = field(default_factory=answers.AnswerSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)


@dataclass(frozen=True)
class Option:
    label: str
    doc: str
    section_index: int


@dataclass
class State:
    subject: str = ""  # words naming what the conversation is about, as the user wrote them
    question: str = ""  # the last question as it was understood
    pending: tuple[Option, ...] = ()  # offered angles awaiting a pick
    pending_question: str = ""


_DEFINITION = re.compile(
    r"^(what\s+(is|are|'s)\b|what\s+does\b.*\bmean\b|define\b|definition\b|meaning\b|who\s+(is|are)\b)"
    r"|\b(differen\w*|compare|versus|vs)\b", re.IGNORECASE)
_QUESTION = re.compile(r"^(what|how|why|which|where|when|who|whom|whose|is|are|do|does|did|can|could|should|"
                       r"would|will|may)\b", re.IGNORECASE)
_CUE = re.compile(r"^(and|also|so|then|plus|but|ok|okay|what about|how about|and what about|what else)\b",
                  re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|its|they|them|their|theirs|these|those|this one|that one)\b", re.IGNORECASE)
_FILLER_EDGES = re.compile(r"^\s*(the|a|an)\s+|\s+(one|angle|option|part|side|please)\W*$", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_PICK_FILLER = frozenset(terms("one option angle choice pick number the that this please about on go with "
                               "want prefer take first second third fourth fifth last"))


class Engine:
    """Shared, read-only after construction: safe to use from many conversations at once."""

    def __init__(self, index: SearchIndex, embedder: Embedder, settings: DialogueSettings | None = None):
        self.index = index
        self.settings = settings or DialogueSettings()
        self.retriever = Retriever(index, embedder, self.settings.retrieval)
        self.sections = self._sections()
        self.topic_terms = self._terms_in_share(self.settings.topic_share)
        self.broad_terms = self._terms_in_share(self.settings.broad_share)

    def _sections(self) -> dict[tuple[str, int], str]:
        out: dict[tuple[str, int], str] = {}
        for p in self.index.passages:
            out.setdefault((p.doc, p.section_index), p.section)
        return out

    def _terms_in_share(self, share: float) -> frozenset[str]:
        """Terms found in at least `share` of the sections: at 0.6, what the whole corpus is about."""
        by_section: dict[tuple[str, int], set[str]] = {}
        for row, p in enumerate(self.index.passages):
            by_section.setdefault((p.doc, p.section_index), set()).update(self.retriever.passage_terms(row))
        counts = Counter(t for ts in by_section.values() for t in ts)
        needed = max(2, share * len(by_section))
        return frozenset(t for t, n in counts.items() if n >= needed)

    def subject_terms(self, text: str) -> set[str]:
        """Terms of `text` that name what is talked about: the corpus's subject, or a name or acronym."""
        found = {t for t in terms(text) if t in self.topic_terms}
        found.update(term(w) for w in re.findall(r"[\w’'-]+", text) if is_name(w))
        return found

    def covered_topics(self) -> list[str]:
        return list(dict.fromkeys(self.sections.values()))

    def option_label(self, doc: str, section_index: int) -> str:
        return self.sections[(doc, section_index)].strip().rstrip(":").strip()


class Conversation:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state = State()
        self._lock = threading.Lock()  # one turn at a time per conversation

    def reset(self) -> Reply:
        with self._lock:
            self.state = State()
        return Reply("reset", "Started a new conversation.")

    def send(self, message: object) -> Reply:
        try:
            text = clean_message(message)
        except BadMessage as exc:
            return answers.error(str(exc))
        with self._lock:
            return self._turn(text)

    # ------------------------------------------------------------ one turn

    def _turn(self, text: str) -> Reply:
        state = self.state
        if state.pending:
            option = self._picked_option(text, state.pending)
            state.pending = ()
            if option is not None:
                return self._answer_option(option, state.pending_question)
        query, interpreted = self._resolve_follow_up(text)
        settings = self.engine.settings
        retriever = self.engine.retriever
        vector = retriever.embed(query)
        hits = retriever.search(query, k=settings.hits, vector=vector)
        if interpreted and not self._aspect_supported(text, hits):
            return answers.out_of_scope(hits, self.engine.covered_topics(), settings.answer)
        if not interpreted and hits and answers.is_confident(hits, settings.answer):
            options = self._vague_options(text, hits)
            if options:
                state.pending, state.pending_question = tuple(options), text
                state.subject, state.question = self._subject_of(text) or text, text
                return answers.clarify(hits[0], [o.label for o in options], self.engine.index.documents,
                                       settings.answer)
        reply = answers.answer(hits, self.engine.index.documents, self.engine.covered_topics(), settings.answer,
                               interpreted_as=interpreted)
        if reply.kind == "answer":
            state.subject = self._subject_of(query) or state.subject
            state.question = query
        return reply

    def _answer_option(self, option: Option, question: str) -> Reply:
        retriever = self.engine.retriever
        query = f"{question} {option.label}"
        rows = retriever.rows_of_section(option.doc, option.section_index)
        hits = retriever.search(query, k=1, only_rows=rows)
        self.state.subject = self._subject_of(question) or self.state.subject
        self.state.question = query
        return answers.answer(hits, self.engine.index.documents, self.engine.covered_topics(),
                              self.engine.settings.answer, interpreted_as=f"{question}: {option.label}",
                              trusted=True)

    # ------------------------------------------------------------ vague questions

    def _vague_options(self, text: str, hits: list[Hit]) -> list[Option]:
        """Angles to offer when the message names only the corpus's subject (or words common to
        many sections) and several sections could answer it; [] when it is specific enough."""
        settings = self.engine.settings
        content = terms(text)
        if len(content) > settings.vague_max_terms or _DEFINITION.search(text):
            return []
        is_question = bool(_QUESTION.search(text))
        if is_question and len(content) >= 2:
            return []  # a real question: answer it
        if set(content) - self.engine.subject_terms(text) - self.engine.broad_terms:
            return []  # it names an angle of its own
        best = hits[0].score
        if is_question:
            # "what do CDMOs do?" is vague only when the hits really spread over several sections
            close = [h for h in hits if h.score >= best - settings.vague_margin]
            if len({(h.passage.doc, h.passage.section_index) for h in close}) < settings.vague_min_sections:
                return []
        options: list[Option] = []
        offered = [hits[0]]
        for hit in hits[1:]:
            if hit.score < best - settings.option_margin:
                break
            if any(self._same_topic(hit, other) for other in offered):
                continue  # the same section, or two documents saying the same thing: offer it once
            offered.append(hit)
            options.append(Option(self.engine.option_label(hit.passage.doc, hit.passage.section_index),
                                  hit.passage.doc, hit.passage.section_index))
            if len(options) == settings.max_options:
                break
        return options if len(options) >= 2 else []

    def _same_topic(self, a: Hit, b: Hit) -> bool:
        if (a.passage.doc, a.passage.section_index) == (b.passage.doc, b.passage.section_index):
            return True
        vectors = self.engine.index.passage_vectors
        retriever = self.engine.retriever
        cosine = float(vectors[retriever.row_of(a.passage)] @ vectors[retriever.row_of(b.passage)])
        return cosine >= self.engine.settings.duplicate_cosine

    def _picked_option(self, text: str, options: tuple[Option, ...]) -> Option | None:
        """The option the message picks: by its text, its number, or loosely by its words."""
        folded = _fold(text)
        for option in options:
            if folded == _fold(option.label):
                return option
        number = _option_number(text, len(options))
        if number is not None:
            return options[number - 1]
        wanted = [t for t in terms(text) if t not in _PICK_FILLER]
        if not wanted or len(wanted) > 4:
            return None  # nothing to go on, or a new question of its own
        retriever = self.engine.retriever
        scores = []
        for option in options:
            title = set(terms(option.label))
            body: set[str] = set()
            for row in retriever.rows_of_section(option.doc, option.section_index):
                body |= retriever.passage_terms(row)
            scores.append(sum(1.0 if t in title else 0.5 if t in body else 0.0 for t in wanted
                              if t not in self.engine.topic_terms))
        best = max(scores)
        if best > 0 and scores.count(best) == 1:
            return options[scores.index(best)]
        return None

    # ------------------------------------------------------------ follow-ups

    def _subject_of(self, text: str) -> str:
        """The phrases of `text` made of the corpus's subject terms, as written ("CMO and CDMO")."""
        phrases: list[list[str]] = [[]]
        for word in re.findall(r"[\w’'-]+", text):
            is_topic = word.casefold() not in STOPWORDS and (term(word) in self.engine.topic_terms or is_name(word))
            if is_topic:
                phrases[-1].append(word)
            elif phrases[-1]:
                phrases.append([])
        found = [" ".join(p) for p in phrases if p]
        return " and ".join(dict.fromkeys(found))

    def _resolve_follow_up(self, text: str) -> tuple[str, str]:
        """(query to search, how it was read) for a message read in the light of the last turn;
        ("text", "") when it stands on its own."""
        subject = self.state.subject
        if not subject:
            return text, ""
        own_subject = self._subject_of(text)
        content = terms(text)
        aspect = [t for t in content if t not in self.engine.subject_terms(text)]
        cue = _CUE.search(text)
        if own_subject:
            if cue and not aspect and self.state.question:
                # "what about CMOs?": the last question, asked of the new subject
                swapped = self.state.question.replace(subject, own_subject)
                if swapped != self.state.question:
                    return swapped, swapped
            return text, ""
        if not (cue or _PRONOUN.search(text) or len(content) <= 1) or _names_something(text):
            return text, ""
        if _PRONOUN.search(text):
            resolved = _PRONOUN.sub(subject, text, count=1)
            return resolved, resolved
        core = _FILLER_EDGES.sub("", _CUE.sub("", text)).strip(" ,.?!") or text
        return f"{core} {subject}", f"{core} (about {subject})"

    def _aspect_supported(self, text: str, hits: list[Hit]) -> bool:
        """A glued follow-up must still be about something the documents mention."""
        retriever = self.engine.retriever
        aspect = [t for t in terms(text) if t not in self.engine.subject_terms(text)]
        if not aspect:
            return True
        if not any(retriever.known(t) for t in aspect):
            return False
        return bool(hits) and any(t in retriever.passage_terms(retriever.row_of(hits[0].passage)) for t in aspect)


def _names_something(text: str) -> bool:
    """A capitalised name or acronym after the first word: the message brings its own subject."""
    tokens = re.findall(r"[\w’'-]+", text)
    return any(is_name(tok) or (i > 0 and tok[:1].isupper() and tok != "I") for i, tok in enumerate(tokens))


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _fold(text: str) -> str:
    return " ".join(words(text))


def _option_number(text: str, count: int) -> int | None:
    folded = _fold(text)
    match = re.fullmatch(r"(?:(?:option|number|no|choice|angle|the)\s+)?(\d{1,2})(?:\s+please)?", folded)
    if match:
        n = int(match.group(1))
        return n if 1 <= n <= count else None
    tokens = folded.split()
    if 0 < len(tokens) <= 4:
        for token in tokens:
            if token == "last":
                return count
            if token in _ORDINALS and (token not in ("one",) or len(tokens) == 1):
                n = _ORDINALS[token]
                return n if n <= count else None
    return None
