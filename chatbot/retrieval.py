"""Question -> ranked Hits: dense cosine (FAISS) fused with lexical evidence (BM25 + term coverage).

The model is weak on acronyms ("CDMO" vs its spelled-out name), so exact terms count through
the lexical side: BM25 finds candidates the model misses, and `coverage` (the share of the
question's informative terms, weighted by rarity, that a passage contains) joins the score.
"""

from __future__ import annotations

import math
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import islice
from pathlib import Path

import numpy as np

from . import vector_store
from .corpus import PATH_SEPARATOR
from .embeddings import Embedder
from .readers import is_box_label
from .records import NOT_AN_ANSWER, Hit, Passage
from .search_index import SearchIndex
from .sentence_lexicon import Postings
from .text import (
    asked_definition,
    asked_form,
    capital_names,
    capital_phrases,
    defines,
    document_names,
    is_labelled_by,
    is_operator,
    name_words,
    names_written_as_code,
    numbers_named,
    operator_as_written,
    option_as_written,
    passage_terms,
    path_as_written,
    plain_dashes,
    states_form,
    term,
    terms,
)

_NUMBERED = re.compile(r"([^\W\d_][\w.-]*?[^\W\d_])\d+")  # a name with a number at its end: "ttys0", "eth1"
MAX_LABELS = 6  # a question names a few codes or keywords; a pasted list of hundreds is read for the first few
MAX_LABEL_CHARS = 300  # ... and its names in capitals looked up in the first few lines
RARE_PASSAGES = 10  # a name in this few passages is rare, whatever the corpus's size
# a sentence's form ("because …") lifts it by form_weight; one further than this below its passage's best stays
# out of the answer (answer.AnswerSettings.sentence_margin 0.10) and the passage's rank either way
FORM_LOOK = 0.2
RECENT_QUESTIONS = 256  # vectors of recent questions kept (1.5 KB each)


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 20  # from each side, before fusion
    lexical_weight: float = 0.35  # weight of term coverage beside cosine
    sentence_weight: float = 0.5  # share of the best sentence's score in a passage's rank (chosen on the dev sets)
    continuity_bonus: float = 0.03  # a passage of the section the conversation is in wins a near tie
    exact_weight: float = 0.15  # a sentence holding the question's joined names ("info-gnu") or paths as written
    definition_weight: float = 0.15  # a sentence glossing the term "what does X mean?" asks about (0.1-0.2 alike, dev)
    named_document_bonus: float = 0.1  # a passage of the document the question names ("… in the MPL?")
    pointer_penalty: float = 0.2  # a sentence that sends the reader elsewhere, against one that answers
    form_weight: float = 0.05  # a sentence of the form asked for: a consequence, a reason, advice, a reverse step
    named_section_bonus: float = 0.05  # a passage under a heading naming the question's path or name ("3.18. /tmp")
    rare_share: float = 0.02  # a name in capitals in at most this share of passages is rare ("HISTCONTROL")


@dataclass(frozen=True)
class LexicalScores:
    """BM25 score of every passage (row -> score; 0 where no question term occurs)."""

    scores: np.ndarray

    def get(self, row: int) -> float:
        return float(self.scores[row]) if len(self.scores) else 0.0

    def top(self, n: int) -> list[int]:
        """The n best rows scoring above 0, best first, the lower row first on ties: a partition, not
        a sort of every passage (np.argsort of all scores grew as n log n with the corpus)."""
        rows = np.flatnonzero(self.scores > 0)
        if len(rows) > n > 0:
            values = self.scores[rows]
            nth = np.partition(values, len(rows) - n)[len(rows) - n]
            rows = rows[values >= nth]
        return [int(r) for r in rows[np.lexsort((rows, -self.scores[rows]))][:n]]


class Retriever:
    def __init__(self, index: SearchIndex, embedder: Embedder, settings: RetrievalSettings = RetrievalSettings()):
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self._term_sets: dict[int, frozenset[str]] = {}
        self._heading_only_terms: dict[int, frozenset[str]] = {}  # heading terms a passage body lacks
        self._lock = threading.Lock()
        self._recent_vectors: dict[str, np.ndarray] = {}  # question -> vector, oldest first
        self._encoding: dict[str, Future] = {}  # question -> its vector, being encoded now
        self._encoder: ThreadPoolExecutor | None = None  # made on the first embed_soon
        lexical = index.lexical
        self._vocab: dict[str, int] = dict(lexical.vocab_dict) if getattr(lexical, "vocab_dict", None) else {}
        scores = getattr(lexical, "scores", None)
        indptr = np.asarray(scores["indptr"]) if scores else np.zeros(1)
        self._df = np.diff(indptr) if len(indptr) > 1 else np.zeros(0)
        self._n = max(1, len(index.passages))

    # ------------------------------------------------------------ term statistics

    def _passages_with(self, term: str) -> int:
        """How many passages use the term (its document frequency)."""
        column = self._vocab.get(term)
        return int(self._df[column]) if column is not None and column < len(self._df) else 0

    def idf(self, term: str) -> float:
        """Rarity of a term across passages; a term the corpus lacks counts as rarest."""
        df = self._passages_with(term)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def _labels(self, question: str) -> list[str]:
        """The codes, keywords and rare names in capitals the question names, the first few of each."""
        names = (name for name in capital_names(question[:MAX_LABEL_CHARS]) if self.is_rare(name))
        found = numbers_named(question)[:MAX_LABELS] + [p for p in capital_phrases(question)[:MAX_LABELS]
                                                        if not is_box_label(p)] + list(islice(names, MAX_LABELS))
        return list(dict.fromkeys(found))[:MAX_LABELS]

    def is_rare(self, name: str) -> bool:
        """Whether few passages use the name: at most `rare_share` of them (and a handful in a small corpus)."""
        return self._passages_with(term(name)) <= max(RARE_PASSAGES, self.settings.rare_share * self._n)

    def known(self, term: str) -> bool:
        column = self._vocab.get(term)
        return column is not None and column < len(self._df) and self._df[column] > 0

    def knows_a_sibling(self, term: str) -> bool:
        """Whether the documents use another member of the numbered family a term belongs to, differing only
        in the number at its end: "ttys1" where they write "ttys0", "eth1" where they write "eth0"."""
        family = _NUMBERED.fullmatch(term)
        return family is not None and family.group(1) in self._numbered_families

    @cached_property
    def _numbered_families(self) -> frozenset[str]:
        return frozenset(m.group(1) for t in self._vocab if self.known(t) and (m := _NUMBERED.fullmatch(t)))

    def passage_terms(self, row: int) -> frozenset[str]:
        cached = self._term_sets.get(row)
        if cached is None:
            cached = frozenset(passage_terms(self.index.passages[row].embedding_text()))
            with self._lock:
                self._term_sets[row] = cached
        return cached

    def offers(self, row: int) -> tuple[bool, ...]:
        """For each sentence of passage `row`, whether it only offers the reader angles to choose from."""
        rows = self.index.sentence_rows(row)
        return tuple(self.index.sentence_lexicon.offers[rows.start:rows.stop].tolist())

    def term_weights(self, query_terms: list[str]) -> dict[str, float]:
        """Each distinct question term with its idf: computed once per question, used for every text."""
        return {t: self.idf(t) for t in dict.fromkeys(query_terms)}

    def coverage(self, query_terms: list[str] | dict[str, float], present: frozenset[str] | set[str]) -> float:
        """Share of the question's term weight that `present` contains (0..1)."""
        weights = query_terms if isinstance(query_terms, dict) else self.term_weights(query_terms)
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in present) / total if total else 0.0

    # ------------------------------------------------------------ search

    def embed(self, question: str) -> np.ndarray:
        """The question's vector; a turn may ask for the same text more than once (search, then a
        check in context), and the model is by far the dearest step, so recent ones are kept."""
        with self._lock:
            cached = self._recent_vectors.get(question)
            pending = self._encoding.get(question)
        if cached is not None:
            return cached
        if pending is not None:
            return pending.result()
        return self._encode(question)

    def embed_soon(self, question: str) -> None:
        """Start encoding the question on another thread; `embed` of the same text then waits for it.
        The model's forward pass leaves the interpreter free (onnxruntime and torch release it), so a
        turn reads the message, its terms and their BM25 scores while the vector is made."""
        with self._lock:
            if question in self._recent_vectors or question in self._encoding:
                return
            if self._encoder is None:
                self._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="question-encoder")
            future: Future = Future()
            self._encoding[question] = future
        self._encoder.submit(self._encode_into, question, future)

    def _encode_into(self, question: str, future: Future) -> None:
        try:
            future.set_result(self._encode(question))
        except BaseException as exc:  # the waiting turn raises it, as an inline encode would
            future.set_exception(exc)
        finally:
            with self._lock:
                self._encoding.pop(question, None)

    def _encode(self, question: str) -> np.ndarray:
        vector = self.embedder.encode([question])[0]
        vector.setflags(write=False)  # shared between callers
        with self._lock:
            self._recent_vectors[question] = vector
            while len(self._recent_vectors) > RECENT_QUESTIONS:
                self._recent_vectors.pop(next(iter(self._recent_vectors)))  # oldest first
        return vector

    def forget_recent(self) -> None:
        """Drop the kept question vectors: the next question is encoded afresh (benchmarks, tests)."""
        with self._lock:
            self._recent_vectors.clear()

    def search(self, question: str, k: int = 5, vector: np.ndarray | None = None,
               only_rows: set[int] | None = None, near: tuple[str, int] | None = None) -> list[Hit]:
        """The k best passages for the question, best first (restricted to `only_rows` if given).
        `near`: the (document, section) the conversation is in; a follow-up most likely stays there, so its
        passages win a near tie (`continuity_bonus`), never a clear loss.

        Every candidate is scored at once, in arrays (its cosine, its coverage, each of its sentences'
        cosine and coverage), and only the k returned become Hits: the cost of a turn then barely grows
        with the number of candidates or the size of the corpus."""
        if not self.index.passages:
            return []
        if vector is None:
            self.embed_soon(question)  # the question's own work below runs while the model encodes it
        query_terms = terms(question)
        bm25 = self._bm25(query_terms)  # scored once: it both adds candidates and is reported on each hit
        weights = self.term_weights(query_terms)
        # a document's own name ("Where in mdadm.conf do I put …" of mdadm.conf(5)) is in all of it: it singles
        # out that document (`named`), not one of its sentences ("SYNOPSIS: /etc/mdadm/mdadm.conf")
        joined = [name for name in names_written_as_code(question) if name.casefold() not in self._own_names]
        asked = asked_definition(question)
        form = asked_form(question)
        # the entry a code, a keyword or a name in capitals labels ("23 - …", "SET NULL: …", "HISTCONTROL" over
        # its description) glosses it; a name all over the documents ("DNSSEC") labels no one entry
        labels = self._labels(question)
        named = self.named_documents(question)
        vector = self.embed(question) if vector is None else vector
        if only_rows is None and len(self.index.passages) <= self.settings.candidates:
            rows = self._every_row  # every passage would be a candidate: nothing to search for
        else:
            rows = np.fromiter(sorted(self._candidates(vector, bm25) if only_rows is None else only_rows),
                               dtype=np.int64)
        if not len(rows):
            return []
        total = sum(weights.values())
        known = [(self._vocab[t], w) for t, w in weights.items() if self.known(t)]
        columns, column_weights = [c for c, _ in known], [w for _, w in known]
        lexical_weight, share = self.settings.lexical_weight, self.settings.sentence_weight

        dense = self.index.passage_vectors[rows] @ vector
        # a passage's coverage of its terms, read from the lexical index's postings: its tokens are those terms
        cover = self._passage_postings.share(rows, columns, column_weights, total)
        topic = dense + lexical_weight * cover
        owner, sentence_rows = self._sentences_of_every_row if rows is self._every_row else self._sentences_of(rows)
        cosines = self.index.sentence_vectors[sentence_rows] @ vector if len(sentence_rows) else np.zeros(0)
        lexicon = self.index.sentence_lexicon
        offers = lexicon.offers[sentence_rows]
        # a sentence that only offers the reader angles ("if you meant X vs Y, tell me which") names the
        # question's words without answering it: it scores NOT_AN_ANSWER
        sentence_scores = np.where(offers, NOT_AN_ANSWER, cosines + lexical_weight * lexicon.postings.share(
            sentence_rows, columns, column_weights, total)
            # a cross-reference names what it points to ("See Section 12.6 [Automated FTP Uploads] for …")
            - self.settings.pointer_penalty * lexicon.points_elsewhere(sentence_rows))
        # read once; for a form alone, only the sentences it can lift (below)
        texts = self._texts(rows, owner, sentence_rows) if joined or asked or labels else []
        if joined:
            headings = self._near_headings(rows)  # "3.7.6.1. Purpose" under "3.7.6. /etc/sgml : …" is about /etc/sgml
            held = _holding(texts, joined, [headings[i] for i in owner.tolist()])
            # a line that is only the name ("--partial", "--partial-dir=DIR"): the term of the entry that
            # describes it, in a manual's list of options, as "what does X mean?" glosses X
            entry = _is_entry_for(texts, joined)
            sentence_scores = sentence_scores + np.where(offers, 0.0, self.settings.exact_weight * held
                                                         + self.settings.definition_weight * entry)
            # a section headed by the very path or name asked about is about it ("3.18. /tmp : Temporary
            # files"); another ("5.15. /var/tmp") may only mention it ("… less often than /tmp")
            named_section = self.settings.named_section_bonus * _holding(headings, joined)
        if asked:  # "what does X mean?": the sentence that glosses X answers, not one that only uses it
            glosses = [defines(text, asked) for text in texts]
            sentence_scores = sentence_scores + np.where(offers, 0.0, self.settings.definition_weight * np.array(
                glosses, dtype=float))
        if labels:  # "what does exit code 23 mean?": the entry labelled 23 in a list of codes glosses it; it
            # holds the number as written and is its entry, as an option's term line is ("--partial")
            labelled = np.array([is_labelled_by(text, labels) for text in texts], dtype=float)
            sentence_scores = sentence_scores + np.where(
                offers, 0.0, (self.settings.exact_weight + self.settings.definition_weight) * labelled)
        if form:  # "why …?": among sentences on the topic, the one that gives a reason answers
            # a sentence far below its passage's best stays out of the quote however its form reads: only those
            # near it are read (every candidate sentence's regexes took 4 ms of a turn at 10k passages)
            near_best = sentence_scores >= _max_by(owner, sentence_scores, len(rows))[owner] - FORM_LOOK
            stating = np.zeros(len(sentence_scores))
            for i in np.flatnonzero(near_best & ~offers).tolist():
                text = texts[i] if texts else self._text_of_sentence(int(rows[owner[i]]), int(sentence_rows[i]))
                stating[i] = states_form(text, form)
            sentence_scores = sentence_scores + self.settings.form_weight * stating
        best_sentence = _max_by(owner, sentence_scores, len(rows))  # -inf for a passage without sentences
        # rank the passage that holds the answering sentence, not only one about the same topic
        score = np.where(np.isfinite(best_sentence) & (share > 0), (1 - share) * topic + share * best_sentence,
                         topic)
        if joined:
            score = score + named_section
        if named:
            score = score + self.settings.named_document_bonus * np.isin(self._document_of_row[rows], named)
        if near is not None and near in self._section_numbers:
            score = score + self.settings.continuity_bonus * (self._section_of_row[rows] == self._section_numbers[near])
        answering = _max_by(owner[~offers], cosines[~offers], len(rows))
        passages, row_list, score_list = self.index.passages, rows.tolist(), score.tolist()
        best_first = np.argsort(-score, kind="stable")
        tied_or_better = best_first[score[best_first] >= score[best_first[min(k, len(rows)) - 1]]]
        order = sorted(tied_or_better.tolist(), key=lambda i: (-score_list[i], passages[row_list[i]].id))[:k]
        bounds = np.searchsorted(owner, np.arange(len(rows) + 1))
        hits = []
        for i in order:
            sentences = sentence_scores[bounds[i]:bounds[i + 1]].tolist()
            best_answering = float(answering[i]) if np.isfinite(answering[i]) else float(dense[i])
            hits.append(Hit(passages[row_list[i]], score_list[i], float(dense[i]), bm25.get(row_list[i]),
                            float(cover[i]), tuple(sentences), best_answering, float(topic[i])))
        return hits

    @cached_property
    def _section_numbers(self) -> dict[tuple[str, int], int]:
        """A number for each (document, section) pair: a candidate's section is then compared as an int."""
        return {key: number for number, key in enumerate(dict.fromkeys(
            (p.doc, p.section_index) for p in self.index.passages))}

    def section_terms(self) -> tuple[list[tuple[str, int]], list[str], np.ndarray, np.ndarray]:
        """(the sections, in corpus order; the terms; and each distinct (term, section) pair where a passage
        of the section holds the term, as two arrays of positions in those lists), read from the lexical
        index's postings: at 100k passages tokenising every passage again took 15 s and 1 GB of sets."""
        postings = self._passage_postings
        sections, vocabulary = list(self._section_numbers), [""] * postings.columns
        for term_, column in self._vocab.items():
            if column < postings.columns:
                vocabulary[column] = term_
        columns = np.repeat(np.arange(postings.columns, dtype=np.int64), np.diff(postings.indptr))
        pairs = columns * len(sections) + self._section_of_row[postings.indices]
        # a term's postings are sorted by row, and a section's passages are consecutive rows, so the
        # repeats of a pair lie side by side: dropping those is a linear pass (np.unique took 6 s at 100k)
        pairs = pairs[_run_starts(pairs)]
        if not np.all(np.diff(self._section_of_row) >= 0):  # sections interleaved: sort them out
            pairs = np.unique(pairs)
        return sections, vocabulary, pairs // len(sections), pairs % len(sections)

    def named_documents(self, question: str) -> list[int]:
        """The numbers of the documents a question names, written as a name ("… in the MPL?", "Apache 2.0"),
        by a word of their file path or their title's initials that some other document lacks: one
        document, or the chapters of one manual ("debian-reference/ch01.html", …). [] when none is named."""
        named: set[int] | None = None
        for word in name_words(question):
            owners = self._names_of_documents.get(word.casefold())
            if owners is not None:
                named = set(owners) if named is None else named & owners
        return sorted(named) if named else []

    def names_a_document(self, word: str) -> bool:
        """Whether a word is one some documents are called by (a word of their path, their title's initials)."""
        return word.casefold() in self._names_of_documents

    @cached_property
    def _names_of_documents(self) -> dict[str, frozenset[int]]:
        """Each word that names some documents but not all, with their numbers (as in `_document_of_row`)."""
        owners: dict[str, set[int]] = {}
        for number, document in enumerate(self._documents):
            for name in document_names(document.id.rsplit(".", 1)[0], document.title):
                owners.setdefault(name, set()).add(number)
        everything = len(self._documents)
        return {name: frozenset(numbers) for name, numbers in owners.items() if len(numbers) < everything}

    @cached_property
    def _own_names(self) -> frozenset[str]:
        """Each document's file name without its suffix, and its title, casefolded ("mdadm.conf")."""
        return frozenset(name.casefold() for document in self._documents
                         for name in (Path(document.id).name.rsplit(".", 1)[0], document.title) if name)

    @cached_property
    def _documents(self) -> list:
        return [self.index.documents[doc] for doc in dict.fromkeys(p.doc for p in self.index.passages)]

    @cached_property
    def _document_of_row(self) -> np.ndarray:
        numbers = {document.id: n for n, document in enumerate(self._documents)}
        return np.fromiter((numbers[p.doc] for p in self.index.passages), dtype=np.int64,
                           count=len(self.index.passages))

    @cached_property
    def _section_of_row(self) -> np.ndarray:
        numbers = self._section_numbers
        return np.fromiter((numbers[(p.doc, p.section_index)] for p in self.index.passages), dtype=np.int64,
                           count=len(self.index.passages))

    def _near_headings(self, rows: np.ndarray) -> list[str]:
        """Each passage's own heading and the one above it, case folded."""
        passages = self.index.passages
        return [PATH_SEPARATOR.join((passages[row].path or passages[row].section).split(PATH_SEPARATOR)[-2:]).casefold()
                for row in rows.tolist()]

    def _texts(self, rows: np.ndarray, owner: np.ndarray, sentence_rows: np.ndarray) -> list[str]:
        """The text of each candidate sentence, case folded."""
        return [self._text_of_sentence(int(rows[i]), row) for i, row in zip(owner.tolist(), sentence_rows.tolist(),
                                                                             strict=True)]

    def _text_of_sentence(self, row: int, sentence_row: int) -> str:
        """The text of a sentence (by its row among all sentences) of passage `row`, case folded, its dashes as
        a user types them ("−−skip−read−cache" in groff's PDF is "--skip-read-cache")."""
        passage = self.index.passages[row]
        sentence = passage.sentences[sentence_row - int(self.index.sentence_offsets[row])]
        return plain_dashes(passage.text_of(sentence)).casefold()

    @cached_property
    def _every_row(self) -> np.ndarray:
        rows = np.arange(len(self.index.passages), dtype=np.int64)
        rows.setflags(write=False)
        return rows

    @cached_property
    def _sentences_of_every_row(self) -> tuple[np.ndarray, np.ndarray]:
        return self._sentences_of(self._every_row)

    def _sentences_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(for each sentence of the passages `rows`, the position in `rows` of its passage; its row in
        the index's sentences), passages in the order given, each passage's sentences in order."""
        offsets = self.index.sentence_offsets
        starts, counts = offsets[rows], offsets[rows + 1] - offsets[rows]
        owner = np.repeat(np.arange(len(rows)), counts)
        first_of_owner = np.cumsum(counts) - counts
        return owner, starts[owner] + np.arange(int(counts.sum())) - first_of_owner[owner]

    @cached_property
    def _passage_postings(self) -> Postings:
        scores = getattr(self.index.lexical, "scores", None) or {}
        return Postings(np.asarray(scores.get("indptr", np.zeros(1, dtype=np.int64))),
                        np.asarray(scores.get("indices", np.zeros(0, dtype=np.int64))))

    def unanswered(self, row: int, weights: dict[str, float]) -> float:
        """Share of the question's weight beyond the passage's heading that its body lacks, when the
        heading restates part of the question ("What is a bike share scheme?" for "how do bike share
        schemes charge riders?"); 0 when the heading shares nothing with the question."""
        heading = self._heading_terms(row)
        if not heading & weights.keys():
            return 0.0
        rest = {t: w for t, w in weights.items() if t not in heading and self.known(t)}
        if not rest:
            return 0.0
        return 1.0 - self.coverage(rest, self.passage_terms(row) - self._heading_only(row))

    def _heading_terms(self, row: int) -> frozenset[str]:
        return frozenset(terms(self.index.passages[row].section))

    def _heading_only(self, row: int) -> frozenset[str]:
        found = self._heading_only_terms.get(row)
        if found is None:  # a passage's text is tokenised once, not on every turn that ranks it first
            passage = self.index.passages[row]
            found = self._heading_only_terms[row] = self._heading_terms(row) - frozenset(terms(passage.text))
        return found

    def _candidates(self, vector: np.ndarray, bm25: LexicalScores) -> set[int]:
        n = self.settings.candidates
        rows = {row for row, _ in vector_store.search(self.index.dense, vector, n, self.index.passage_vectors)}
        rows.update(bm25.top(n))
        return rows

    def _bm25(self, query_terms: list[str]) -> LexicalScores:
        known = [t for t in query_terms if t in self._vocab]
        if not known:
            return LexicalScores(np.zeros(0))
        return LexicalScores(np.asarray(self.index.lexical.get_scores(known)))

    def rows_of_section(self, doc: str, section_index: int) -> set[int]:
        return set(self._rows_by_section.get((doc, section_index), ()))

    def rows_of_document(self, doc: str) -> set[int]:
        return set(self._rows_by_document.get(doc, ()))

    def rows_with_terms(self, wanted: set[str] | frozenset[str]) -> set[int]:
        """Rows whose passage holds every one of `wanted` (all rows when it is empty), read from the
        lexical index's postings instead of testing every passage: its tokens are the passage's terms."""
        if not wanted:
            return set(range(len(self.index.passages)))
        scores = self.index.lexical.scores
        indices, indptr = scores["indices"], scores["indptr"]
        found: np.ndarray | None = None
        for t in sorted(wanted, key=lambda t: self._df[self._vocab[t]] if self.known(t) else -1):
            if not self.known(t):
                return set()
            column = self._vocab[t]
            postings = indices[indptr[column]:indptr[column + 1]]
            found = postings if found is None else np.intersect1d(found, postings, assume_unique=True)
            if not len(found):
                return set()
        return {int(r) for r in found}

    @cached_property
    def _rows_by_section(self) -> dict[tuple[str, int], tuple[int, ...]]:
        out: dict[tuple[str, int], list[int]] = {}
        for i, p in enumerate(self.index.passages):
            out.setdefault((p.doc, p.section_index), []).append(i)
        return {key: tuple(rows) for key, rows in out.items()}

    @cached_property
    def _rows_by_document(self) -> dict[str, tuple[int, ...]]:
        out: dict[str, list[int]] = {}
        for i, p in enumerate(self.index.passages):
            out.setdefault(p.doc, []).append(i)
        return {doc: tuple(rows) for doc, rows in out.items()}

    def row_of(self, passage: Passage) -> int:
        return self._row_by_id()[passage.id]

    def _row_by_id(self) -> dict[str, int]:
        if not hasattr(self, "_rows"):
            self._rows = {p.id: i for i, p in enumerate(self.index.passages)}
        return self._rows


def _holding(texts: list[str], tokens: list[str], headings: list[str] | None = None) -> np.ndarray:
    """For each sentence text (case folded), the share of `tokens` it, or the headings it stands under
    (`headings`, one string per sentence), holds as written."""
    held = np.zeros(len(texts))
    # each as a whole: "--partial" is not held by "--partial-dir", nor "info-gnu" by "info-gnu-request"
    patterns = [path_as_written(token) if token.startswith("/") else operator_as_written(token)
                if is_operator(token) else option_as_written(token) for token in tokens]
    for k, text in enumerate(texts):
        if headings is not None:
            text = f"{headings[k]}\n{text}"
        held[k] = sum(bool(p.search(text)) for p in patterns) / len(tokens)
    return held


def _is_entry_for(texts: list[str], tokens: list[str]) -> np.ndarray:
    """For each sentence text (case folded): 1 where it is one of `tokens` alone on its line, an option perhaps
    with its argument ("--partial", "--bwlimit=RATE", "-z, --compress"), else 0 ("FSF-copyrighted package" is
    a title that uses the name, not its entry)."""
    entries = [_entry_line(token) for token in tokens if not token.startswith("/")]
    return np.array([any(p.fullmatch(text.strip()) for p in entries) for text in texts], dtype=float)


@lru_cache(maxsize=256)
def _entry_line(token: str) -> re.Pattern:
    """An entry's term line for the name: an option with its argument or short form, another name alone."""
    if token.startswith("-"):
        return re.compile(rf"(?:-\w,\s*)?{re.escape(token)}(?:[= ]\S+)?(?:,\s*-\w)?")
    return re.compile(re.escape(token))


def _max_by(owner: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """The largest of `values` in each group (`owner` numbers the groups 0..groups-1); -inf for an empty one."""
    best = np.full(groups, -np.inf)
    if len(values):  # `owner` is sorted: each group's values lie side by side
        starts = np.flatnonzero(_run_starts(owner))
        best[owner[starts]] = np.maximum.reduceat(values, starts)
    return best


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal neighbours begins (a mask): in a sorted array, each distinct value once."""
    return np.concatenate(([True], values[1:] != values[:-1])) if len(values) else np.zeros(0, dtype=bool)
