"""Conversation: one Engine (index, retriever, corpus knowledge) serves many Conversations,
each with its own state: the subject of the last turn and any pending "which angle?" question.

Every behaviour here is derived from the corpus (its headings and which words run through all
of it), never from strings about particular questions.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np

from . import answer as answers
from .confidence import Evidence, confidence
from .corpus import PATH_SEPARATOR
from .embeddings import Embedder, model_words
from .messages import BadMessage, clean_message
from .records import Hit, Passage, Reply, Sentence
from .retrieval import RetrievalSettings, Retriever
from .search_index import EMPTY_PASSAGE_TOKEN, SearchIndex
from .text import (
    OPERATOR_MARKS,
    STOPWORDS,
    asked_amount,
    capital_names,
    code_tokens,
    is_contraction,
    is_english_word,
    is_name,
    lemma,
    names_written_as_code,
    offered_angles,
    path_as_written,
    paths_in,
    spelling_variants,
    states_form,
    term,
    terms,
    word_forms,
    words,
)


@dataclass(frozen=True)
class DialogueSettings:
    hits: int = 10
    topic_share: float = 0.6  # a term in at least this share of sections is the corpus's subject
    broad_share: float = 0.25  # a term this common names no particular angle ("model", "services")
    vague_max_terms: int = 3  # a vague message has at most this many content words ...
    vague_margin: float = 0.12  # ... and hits from several sections within this of the best
    vague_min_sections: int = 3
    overview_min_sections: int = 2  # "Tell me about wrapping." asks broadly: two sections close to it are two angles
    max_options: int = 4
    option_margin: float = 0.25  # options come from sections scoring within this of the best
    duplicate_cosine: float = 0.85  # sections this similar are one option
    context_max_terms: int = 3  # a message this short may lean on the last turn's subject
    whole_question_terms: int = 4  # a message after a cue ("and …") with this many words of its own asks alone
    full_question_terms: int = 5  # a question with this many words of its own is first tried alone
    aspect_cosine: float = 0.2  # a follow-up this close in meaning to a passage is about it ...
    aspect_lead: float = 0.1  # ... when it is this much closer to it than to other sections
    # a reading in context this confidently answered needs no word of its own in the passage ("what should
    # be inside it?" of pid files, answered by "the file must consist of the process identifier …"; dev)
    supported_confidence: float = 0.3
    # "and disk space?" after "How much memory do I need …?": the words of the last question this close in
    # meaning to the new thing, and this much closer than any others, are what it replaces (blind testers' sets)
    swap_cosine: float = 0.15
    swap_margin: float = 0.1
    # "what if it already ran?" after an answer about cancelling: a message pointing back whose best passage
    # is in the last answer's section, with a sentence this close in meaning, goes on with that answer
    continuing_sentence: float = 0.45
    # documents that use this share of ordinary English (the model's whole words) say something by lacking
    # one: a manual uses about 30%, a two-page FAQ 3% (where "payments" may be missing by chance)
    wide_vocabulary: float = 0.2
    answer: answers.AnswerSettings = field(default_factory=answers.AnswerSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)


@dataclass(frozen=True)
class Option:
    label: str
    doc: str
    section_index: int
    offered: bool = True  # False: a section the user named by its heading, though it was not offered
    query: str = ""  # an angle a document itself offers ("how CDMOs price services"): answered by searching it


@dataclass
class State:
    subject: str = ""  # words naming what the conversation is about, as the user wrote them
    question: str = ""  # the last question as it was understood (searched)
    # the last question as the person would read it: what they asked, or the angle they picked; a message
    # read in its light shows as the two together ("How many books can I borrow? And for how long?")
    asked: str = ""
    pending: tuple[Option, ...] = ()  # offered angles awaiting a pick
    pending_question: str = ""
    # Where the last answer came from: the context for a follow-up when no subject words are known
    # (a corpus of unrelated documents shares no word across most of its sections).
    last_doc: str = ""
    last_section: int = -1
    last_quotes: tuple[str, ...] = ()  # the last answer's quotes, white space made single (see _quotes)
    # what the last question and its answer were both about, where the corpus has no subject words for
    # it ("pid files"): a short question that leans on the last turn is looked for among passages naming it
    thing: str = ""


_DEFINITION = re.compile(
    r"^(what(\s+(is|are)|['’]s)\b|what\s+does\b.*\bmean\b|define\b|definition\b|meaning\b|who\s+(is|are)\b)"
    r"|\b(differen\w*|compare|versus|vs)\b", re.IGNORECASE)
# an operator written as typed ("<<<", "2>&1", "&&"): a question about it names its subject exactly
_OPERATOR = re.compile(f"[{re.escape(OPERATOR_MARKS)}]{{2,}}")
_QUESTION = re.compile(r"^(what|how|why|which|where|when|who|whom|whose|is|are|do|does|did|can|could|should|"
                       r"would|will|may)\b", re.IGNORECASE)
_CUE = re.compile(r"^(and|also|so|then|plus|but|ok|okay|what about|how about|and what about|what else)\b",
                  re.IGNORECASE)
# the reverse of the last step, asked with a word that points back at it: "how do I undo that?", "cancel it"
_UNDOING_IT = re.compile(r"\b(?:undo|reverse|revert|cancel|disable|remove|delete|stop|turn\s+off|switch\s+off"
                         r"|get\s+rid\s+of)\s+(?:it|that|this|them|those|these)\b", re.IGNORECASE)
# cue words that only join ("ok, and …"); "what about X" also says what is asked of X: it stays
_CONNECTIVE = re.compile(r"^(and|also|so|then|plus|but|ok|okay)\b", re.IGNORECASE)
_JOINING_MARKS = " ,.;:!-"  # what stands around such words ("ok. and", "so, -")
# A pronoun that points back at the last subject; not the "it" of "is it fine to …" or "it takes long",
# which points at nothing (an expletive "it": followed by an adjective and "to"/"that", or a weather verb).
_PRONOUN = re.compile(
    r"\b(?:it(?!\s+(?:is\s+|was\s+|'s\s+)?(?:\w+\s+)?(?:fine|ok|okay|possible|necessary|worth|safe|true|better|"
    r"best|wise|allowed|legal|normal|bad|good|hard|easy|required|recommended|advisable|important|enough)\s+"
    r"(?:to|that|if)\b)(?!\s+(?:takes|seems|depends|matters)\b)|its|they|them|their|theirs|these|those|"
    r"he|him|his|she|her|hers|this one|that one|mine|ours|yours)\b", re.IGNORECASE)
# "that"/"this" standing for a thing ("set that up", "a command that does that?", "is this safe?"), not
# joining a clause ("a command that does", "check that the file exists", "so that")
_DEMONSTRATIVE_BEFORE = re.compile(
    r"(?<!\bso )(?<!\bsuch )(?<!\bnow )\b(that|this)(?=\s*(?:[?!.,;]|$)|\s+(?:up|out|off|down|automatically|too|"
    r"also|again|instead|manually|anyway|permanently|safely|work|works|happen|mean|means|change|affect)\b)",
    re.IGNORECASE)
_DEMONSTRATIVE_AFTER = re.compile(
    r"\b(?:about|with|without|for|like|after|before|of|is|was|does|did|will|would|can|could)\s+(that|this)\b"
    r"(?!\s+(?:i|you|we|they|he|she|it|there)\b)", re.IGNORECASE)
_CUE_TERMS = frozenset(terms("plus else"))  # what terms() leaves of the cue words
_PATH_WORD = re.compile(r"(?<![\w/.~-])/[\w.+<>-]+(?:/[\w.+<>-]+)*|[\w’'-]+")  # a word, or a path whole
_MAN_PAGE = re.compile(r"([\w.-]+)\(\d\)")  # "lsof(8)": a program and its manual's section
# "that key", "these files": a thing already talked about (not "that is", "this the", "that it …")
_DETERMINER = re.compile(r"\b(?:that|this|these|those)\s+(?!(?:is|are|was|were|the|a|an|it|i|you|we|they|he|she|"
                         r"there|will|would|can|could|should|does|do|did|has|have|had|may|might|must)\b)([a-z]{3,})\b",
                         re.IGNORECASE)
_FIRST_PERSON = re.compile(r"I(?:['’](?:m|d|ll|ve))?", re.IGNORECASE)
_NAME_CANDIDATE = re.compile(r"[\w’'.-]+")
# "a file called mypkg.daily", "a package named foo": a name the user gives their own thing, not a subject
_USERS_OWN_NAME = re.compile(r"\b(?:called|named)\s+[\"'“‘]?([^\s\"'”’,;:?!]+)", re.IGNORECASE)
_FILLER_EDGES = re.compile(r"^\s*(the|a|an)\s+|\s+(one|angle|option|part|side|please)\W*$", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_PICK_FILLER = frozenset(terms("one option angle choice pick number the that this please about on go with "
                               "want prefer take first second third fourth fifth last"))


def _is_term(token: str) -> bool:
    """A lexical index token that is a word of the text, not bm25s's stand-in for a passage without any."""
    return bool(token) and token != EMPTY_PASSAGE_TOKEN


class Engine:
    """Shared, read-only after construction: safe to use from many conversations at once."""

    def __init__(self, index: SearchIndex, embedder: Embedder, settings: DialogueSettings | None = None):
        self.index = index
        self.settings = settings or DialogueSettings()
        self.retriever = Retriever(index, embedder, self.settings.retrieval)
        self.sections = self._sections()
        self.labels = self._labels()
        # which terms occur in which sections: read once here, then let go (at 100k passages, millions of pairs)
        section_terms = self.retriever.section_terms()
        self.topic_terms = self._terms_in_share(section_terms, self.settings.topic_share)
        self.broad_terms = self._terms_in_share(section_terms, self.settings.broad_share)
        self.document_terms = self._document_subject_terms(section_terms)
        # how many section headings use each term: one in several headings is an umbrella ("cleaning")
        self.heading_counts = Counter(t for title in set(self.sections.values()) for t in set(terms(title)))
        self.children = self._child_sections()
        self.parent_heading_terms = frozenset(t for (doc, index), kids in self.children.items() if len(kids) >= 2
                                              for t in terms(self.sections[(doc, index)]))
        self._remembered_unknown_names = lru_cache(maxsize=1024)(self._find_unknown_names)
        # the phrases of a message that name its subject ("CMO and CDMO"): a turn asks several times
        self.subject_of = lru_cache(maxsize=1024)(self._find_subject_of)
        ordinary = model_words()  # share of ordinary English the documents use (lacks_a_word_of)
        self._ordinary_share = sum(map(self.retriever.known, map(term, ordinary))) / len(ordinary) if ordinary else 0.0

    def _child_sections(self) -> dict[tuple[str, int], list[tuple[str, int]]]:
        """Each section with sections right under it ("Maintenance Basics" over "Weekly Checks", "Fixing a
        Puncture", …), in document order: a message naming it names several angles, not one."""
        by_path: dict[tuple[str, str], tuple[str, int]] = {}
        children: dict[tuple[str, int], list[tuple[str, int]]] = {}
        for p in self.index.passages:
            key = (p.doc, p.section_index)
            path = p.path or p.section
            if (p.doc, path) in by_path:
                continue
            by_path[(p.doc, path)] = key
            parent = by_path.get((p.doc, path.rpartition(PATH_SEPARATOR)[0]))
            if parent is not None and parent != key:
                children.setdefault(parent, []).append(key)
        return children

    def _sections(self) -> dict[tuple[str, int], str]:
        out: dict[tuple[str, int], str] = {}
        for p in self.index.passages:
            out.setdefault((p.doc, p.section_index), p.section)
        return out

    def _labels(self) -> dict[tuple[str, int], str]:
        """How a section is named to a reader (options, "they do cover"): its title, or, where the title is
        one that other sections share ("5.9.1. Purpose", "Description"), the title above it and its own
        ("5.9. /var/lock : Lock files › 5.9.1. Purpose"), or its document's title after it ("Notes (pg_dump)"):
        "Purpose" alone tells nobody what is covered."""
        shared = Counter(_bare_title(title) for title in self.sections.values())
        out: dict[tuple[str, int], str] = {}
        for p in self.index.passages:
            key = (p.doc, p.section_index)
            if key in out:
                continue
            title = p.section.strip().rstrip(":").strip()
            above = p.path.split(PATH_SEPARATOR)[-2].strip() if p.path.count(PATH_SEPARATOR) else ""
            if shared[_bare_title(title)] < GENERIC_TITLE_USES and not _is_generic_title(title):
                out[key] = title
            elif above:
                out[key] = f"{above}{PATH_SEPARATOR}{title}"
            else:  # a top section of its page ("Notes" of pg_dump's and of pg_restore's): the page says whose,
                # by a title of its own (not one of these sections), a manual page's by its name ("EXAMPLES (wg)")
                document = self.index.documents[p.doc].title.strip()
                name = document.split(" - ")[0].strip()
                out[key] = f"{title} ({name})" if name and _bare_title(name) != _bare_title(title) else title
        return out

    @staticmethod
    def _terms_in_share(section_terms: tuple, share: float) -> frozenset[str]:
        """Terms found in at least `share` of the sections (`section_terms`: Retriever.section_terms()):
        at 0.6, what the whole corpus is about."""
        sections, vocabulary, term_of_pair, _ = section_terms
        counts = np.bincount(term_of_pair, minlength=len(vocabulary))
        needed = max(2, share * len(sections))
        # a number in most sections is their numbering ("1.1.1. …"), not what the corpus is about
        return frozenset(vocabulary[c] for c in np.flatnonzero(counts >= needed)
                         if _is_term(vocabulary[c]) and not vocabulary[c].isdigit())

    def _document_subject_terms(self, section_terms: tuple) -> frozenset[str]:
        """What single documents are about, where the corpus as a whole shares no subject: the words
        of a document's title and those in most of its sections."""
        sections, vocabulary, term_of_pair, section_of_pair = section_terms
        documents = list(dict.fromkeys(doc for doc, _ in sections))
        doc_number = {doc: n for n, doc in enumerate(documents)}
        doc_of_section = np.fromiter((doc_number[doc] for doc, _ in sections), dtype=np.int64, count=len(sections))
        sections_in = np.bincount(doc_of_section, minlength=len(documents))
        doc_of_pair = doc_of_section[section_of_pair]
        counts = np.bincount(doc_of_pair * len(vocabulary) + term_of_pair, minlength=len(documents) * len(vocabulary))
        found: set[str] = set()
        for number, doc in enumerate(documents):
            if sections_in[number] < self.settings.vague_min_sections:
                continue
            title = self.sections[(doc, self.first_section(doc))]
            if not title.rstrip().endswith("?"):
                found.update(terms(title))
            mine = counts[number * len(vocabulary):(number + 1) * len(vocabulary)]
            found.update(vocabulary[c] for c in np.flatnonzero(mine >= self.settings.topic_share * sections_in[number])
                         if _is_term(vocabulary[c]))
        return frozenset(found)

    @cached_property
    def offers(self) -> list[tuple[Passage, Sentence, tuple[str, ...]]]:
        """Sentences in which a document offers the reader angles to choose from, with those angles: found
        at the first vague message, not at start-up (it reads every sentence of the corpus)."""
        found = []
        for row, passage in enumerate(self.index.passages):
            text = self.index.documents[passage.doc].text
            for sentence, offer in zip(passage.sentences, self.retriever.offers(row), strict=True):
                if offer:
                    found.append((passage, sentence, tuple(offered_angles(text[sentence.start:sentence.end]))))
        return found

    def offered_angles(self, text: str) -> tuple[list[str], list[tuple[Passage, Sentence]]]:
        """The angles the documents themselves offer on what a vague message names ("how CDMOs price
        services" for "CDMO model"), and the sentences offering them. An offer is about the message
        when one of its quoted phrases is made of the message's words; that phrase names the subject,
        the others are the angles."""
        content = set(terms(text))
        angles: dict[str, None] = {}
        sources = []
        for passage, sentence, phrases in self.offers:
            if not content or not any(set(terms(p)) and set(terms(p)) <= content for p in phrases):
                continue
            sources.append((passage, sentence))
            angles.update((p, None) for p in phrases if not set(terms(p)) <= content)
        return list(angles), sources

    def first_section(self, doc: str) -> int:
        return self._first_sections[doc]

    @cached_property
    def _first_sections(self) -> dict[str, int]:
        first: dict[str, int] = {}
        for doc, index in self.sections:
            first[doc] = min(index, first.get(doc, index))
        return first

    def names_an_angle(self, content: list[str], text: str) -> bool:
        """Whether a short message names something narrower than what a document or the corpus is
        about: a word that is not a subject word, not common everywhere, not in several headings."""
        umbrella = {t for t in content if self.heading_counts[t] >= 2 or t in self.parent_heading_terms}
        return bool(set(content) - self.subject_terms(text) - self.broad_terms - self.document_terms - umbrella)

    def names_a_narrow_name(self, text: str) -> bool:
        """Whether `text` names a name in capitals that few passages use ("HISTCONTROL" in bash's manual, not
        "CDMO" in FAQs on CDMOs, nor "URL" anywhere)."""
        return any(self.retriever.is_rare(name) for name in capital_names(text))

    def subject_terms(self, text: str) -> set[str]:
        """Terms of `text` that name what is talked about: the corpus's subject, or a name or acronym."""
        found = {t for t in terms(text) if t in self.topic_terms}
        found.update(term(w) for w in re.findall(r"[\w’'-]+", text) if is_name(w))
        return found

    def _find_subject_of(self, text: str) -> str:
        """The phrases of `text` made of the corpus's subject terms, as written ("CMO and CDMO")."""
        phrases: list[list[str]] = [[]]
        modifier = ""  # the known content word right before, which may narrow a subject ("pid files")
        for word in re.findall(r"[\w’'-]+", text):
            content = word.casefold() not in STOPWORDS
            is_topic = content and (term(word) in self.topic_terms or is_name(word))
            if is_topic:
                if not phrases[-1] and modifier and self._written_together(modifier, word):
                    phrases[-1].append(modifier)
                phrases[-1].append(word)
            elif phrases[-1]:
                phrases.append([])
            modifier = word if content and not is_topic and self.retriever.known(term(word)) else ""
        found = [" ".join(p) for p in phrases if p]
        return " and ".join(dict.fromkeys(found))

    def _written_together(self, first: str, second: str, most: int = 50, joiner: str = r"\s+") -> bool:
        """Whether the documents write the two words side by side ("pid files", not "use CDMOs"), with
        `joiner` between them: looked for only in (at most `most` of) the passages that hold both, so the
        cost does not grow with the corpus."""
        rows = sorted(self.retriever.rows_with_terms({term(first), term(second)}))[:most]
        if not rows:  # a word the documents never use, or never in one passage with the other
            return False
        pattern = re.compile(rf"\b{re.escape(first)}{joiner}{re.escape(second)}\b", re.IGNORECASE)
        return any(pattern.search(self.index.passages[row].embedding_text()) for row in rows)

    def _written_apart(self, word: str) -> bool:
        """Whether the documents write the word as two, with a hyphen or a space: "runtime" where they say
        "run-time", "filesystem" where they say "file system", "spellcheck" where they say "spell checkers"."""
        return any(self._written_together(word[:i], word[i:] + ending, most=20, joiner=r"[\s-]+")
                   for i in range(3, len(word) - 2) for ending in ("", "s", "er", "ers", "ing", "ed"))

    def unknown_names(self, text: str) -> list[str]:
        """Names in the message (an acronym, a word with inner capitals, a capitalised word inside a
        sentence) that no document uses: "Podman", "WireGuard". A capital after a full stop starts a
        sentence; common words written in capitals ("OK", "IT") are not names."""
        return list(self._remembered_unknown_names(text))  # a turn asks twice: for the gate and the confidence

    def _find_unknown_names(self, text: str) -> list[str]:
        found = []
        # a key ("Ctrl-S", "alt+shift+F2") names no product: documents write it many ways ("control-s", "^S")
        chords = list(_KEY_CHORD.finditer(text))
        keys = [chord.span() for chord in chords]
        for match in _NAME_CANDIDATE.finditer(text):
            word = match.group().strip(".'’-")
            if any(start <= match.start() and match.end() <= end for start, end in keys):
                continue
            before = text[:match.start()].rstrip()
            starts_sentence = not before or before[-1] in ".?!:;\"“(" or _FIRST_PERSON.fullmatch(word)
            if not word or word.casefold() in STOPWORDS or not (is_name(word) or (
                    word[:1].isupper() and not starts_sentence)):
                continue
            if not self._uses_name(word) and term(word) not in self._title_terms \
                    and not self.retriever.names_a_document(word) \
                    and not self.retriever.knows_a_sibling(term(word)):  # "/dev/ttyS1" of a text on ttyS0
                found.append(word)
        found += [c for c in dict.fromkeys(code_tokens(text)) if c.casefold() not in self._corpus_code_tokens
                  and c not in found and not self._names_a_known_page(c)]
        seen = {w for name in found for w in words(name)}  # "checksum" is part of "--checksum", found already
        seen |= {w for chord in chords for w in words(chord.group())}  # "ctrl" of "Ctrl-S" is a key
        found += [w for w in dict.fromkeys(words(text)) if w not in seen and self._is_unknown_rare_word(w)]
        own = {w for match in _USERS_OWN_NAME.finditer(text) for w in words(match.group(1))}
        return [name for name in found if not set(words(name)) <= own]

    def _uses_name(self, word: str) -> bool:
        """Whether the documents use the name. An acronym ending in a capital S ("LFS", "NFS") is no plural:
        its stem ("lf") is another name the documents may use ("LF" line endings), so it must stand as written."""
        if _CAPITAL_S_ACRONYM.fullmatch(word):
            return word.casefold() in self._corpus_words
        return self.retriever.known(term(word)) or all(self.retriever.known(t) for t in terms(word))

    @cached_property
    def _corpus_words(self) -> frozenset[str]:
        """Every word of the documents, case folded: found once, at the first question that needs it."""
        return frozenset(w for d in self.index.documents.values() for w in words(d.text))

    @cached_property
    def _title_terms(self) -> frozenset[str]:
        """The words of the documents' titles and file names: a message naming a document ("… in the Beta
        licence?", or by its title's initials, "… in the BPL?") names nothing unknown, though a title is not in
        the text of any passage."""
        return frozenset(t for d in self.index.documents.values() for t in terms(f"{d.title} {d.id}"))

    def _names_a_known_page(self, token: str) -> bool:
        """"file(1)" where the documents write "file": a manual page reference to a program they name."""
        page = _MAN_PAGE.fullmatch(token)
        return page is not None and self.retriever.known(term(page.group(1)))

    @cached_property
    def _corpus_code_tokens(self) -> frozenset[str]:
        """Every option, identifier and file name written as code in the documents ("--verbose",
        "LC_ALL", "fstab.conf"): found once, at the first question that holds one."""
        return frozenset(t.casefold() for d in self.index.documents.values() for t in code_tokens(d.text))

    def _is_unknown_rare_word(self, word: str) -> bool:
        """A lowercase word that names something the documents never mention: not an ordinary word
        (the model's vocabulary splits it: "netplan", "smbpasswd"), not a contraction, and not a typo
        of a word the documents use ("kernal" for "kernel")."""
        word = word.removesuffix("'s")
        if is_contraction(word) or self.retriever.names_a_document(word):
            return False
        known = self.retriever.known
        if (not model_words() or len(word) < 3 or not word.isalpha() or word in STOPWORDS
                or word in model_words() or known(term(word)) or is_english_word(word)):
            return False
        variants = spelling_variants(word)
        if any(v in STOPWORDS or is_contraction(v) for v in variants):  # "cant", "doesnt"
            return False
        if len(word) < 5:  # one edit turns a short name into some word ("zram" -> "ram"): no typo test
            return True
        return not any(v in model_words() or known(term(v)) for v in variants) and not self._written_apart(word)

    def lacks_a_word_of(self, text: str) -> bool:
        """Whether documents of wide vocabulary never use a word of the message: a name ("netplan",
        "--checksum"), or an ordinary English word ("scrub", "salary", "jail") in no form ("risky" has
        "risk", "behaviour" has "behavior"). What it asks about is then likely not in them. Always False
        for documents of narrow vocabulary: two FAQs that never say "Humira" can still answer about it."""
        if self._ordinary_share < self.settings.wide_vocabulary:
            return False
        if self.unknown_names(text):
            return True
        known = self.retriever.known
        ordinary = model_words()
        for word in dict.fromkeys(words(text)):
            word = word.removesuffix("'s")
            if len(word) >= 3 and word.isalpha() and word not in STOPWORDS \
                    and (word in ordinary or is_english_word(word)) and not is_contraction(word) \
                    and not any(known(term(form)) for form in word_forms(word)) \
                    and not known(term(lemma(word))):  # last: "chose" for "choose" loads a lexicon
                return True
        return False

    def evidence(self, text: str, hits: list[Hit]) -> Evidence:
        """What the confidence in the best hit for `text` is computed from."""
        retriever = self.retriever
        weights = retriever.term_weights(terms(text))
        total = sum(weights.values())
        unknown = sum(w for t, w in weights.items() if not retriever.known(t)) / total if total else 0.0
        unanswered = retriever.unanswered(retriever.row_of(hits[0].passage), weights) if hits else 0.0
        return Evidence(tuple(hits), unknown, bool(self.unknown_names(text)), unanswered)

    def covered_topics(self) -> tuple[str, ...]:
        return self._covered

    @cached_property
    def _covered(self) -> tuple[str, ...]:
        """Every section's label once, in corpus order: computed once, not on every refusal."""
        return tuple(dict.fromkeys(self.labels.values()))

    def sections_titled_with(self, wanted: list[str]) -> set[tuple[str, int]]:
        """The sections whose heading holds every one of `wanted` (not empty): looked up, not searched for."""
        return set.intersection(*(self._sections_by_heading_term.get(t, set()) for t in set(wanted)))

    @cached_property
    def _sections_by_heading_term(self) -> dict[str, set[tuple[str, int]]]:
        out: dict[str, set[tuple[str, int]]] = {}
        for key, title in self.sections.items():
            for t in terms(title):
                out.setdefault(t, set()).add(key)
        return out

    def option_label(self, doc: str, section_index: int) -> str:
        return self.labels[(doc, section_index)]

    def label_of(self, passage: Passage) -> str:
        return self.labels[(passage.doc, passage.section_index)]


_CAPITAL_S_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*S")
_KEY_CHORD = re.compile(r"\b(?:ctrl|control|alt|meta|shift|cmd|super|esc)(?:[-+](?:ctrl|control|alt|meta|shift))*"
                        r"[-+]\S{1,5}", re.IGNORECASE)


class Conversation:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state = State()
        self._lock = threading.Lock()  # one turn at a time per conversation

    def use(self, engine: Engine) -> Conversation:
        """Answer the next turns from `engine` (the library's newest). What the conversation remembers
        about documents the new engine no longer has is dropped: a pick of a removed document's
        section would have nothing to answer from."""
        with self._lock:
            if engine is not self.engine:
                kept = set(engine.sections)
                state = self.state
                state.pending = tuple(o for o in state.pending if (o.doc, o.section_index) in kept)
                if (state.last_doc, state.last_section) not in kept:
                    state.last_doc, state.last_section = "", -1
                self.engine = engine
        return self

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
        number = _BARE_OPTION_NUMBER.fullmatch(text)
        if state.pending:
            pending, state.pending = state.pending, ()
            option = self._picked_option(text, pending)
            if option is not None:
                said = "" if number or _fold(text) == _fold(option.label) else text  # picked by the user's words
                return self._answer_option(option, state.pending_question if option.offered else "", said)
            if number:  # a pick out of range: the options still stand
                state.pending = pending
                return answers.error(f"There is no option {number.group(1)}: pick one from 1 to {len(pending)}, "
                                     "or ask a question.")
        elif number:  # "1" with no options offered searches for nothing
            return answers.error("There are no options to pick from now: ask a question about the documents.")
        settings = self.engine.settings
        query, interpreted, new_subject = self._resolve_follow_up(text)
        in_full = bool(interpreted) and self._asks_in_full(text)
        # the model encodes the first text searched while the message is read below
        self.engine.retriever.embed_soon(_without_cues(text) if in_full or not interpreted else query)
        strange = bool(self.engine.unknown_names(text))
        lacking = self.engine.lacks_a_word_of(text)
        hits: list[Hit] = []
        if in_full:
            # "Where does WeeChat keep its configuration files by default?" after another question: a question in
            # full is answered as if it came first when it is answered so at all ("its" is WeeChat's); read with
            # the last question it had lost 29 of 1,019 blind testers' first questions asked in a row
            alone = _without_cues(text)
            alone_hits = self._search(alone, leans=False)
            if answers.is_confident(alone_hits, settings.answer, strange, self._confidence(alone, alone_hits),
                                    lacking):
                query, interpreted, new_subject, hits = alone, "", "", alone_hits
        if not interpreted:  # read on its own: "ok. and" in front of a question says nothing to search for
            query = _without_cues(query)
        if not hits:
            hits = self._search(query, leans=bool(interpreted) or self._may_lean(text))
        # "why?", "and how do I undo that?": the reason, or the reverse step, is told where the last answer was
        # (an "it" that stood for a thing made a question of its own: "How would I remove a package again?")
        undoing = bool(interpreted and interpreted != query and _UNDOING_IT.search(text))
        if interpreted and (not terms(text) or undoing) and state.last_doc:
            hits = self._where_last_answered(query, hits)
        sure = self._confidence(query, hits)
        # a pronoun replaced by the thing it stands for ("How do I take a word out again?") makes a question
        # of its own, which passes the gates any question passes; other readings must be borne out in context
        stands_alone = interpreted == query and not new_subject and _pronoun(text) is not None \
            and answers.is_confident(hits, settings.answer, strange, sure, lacking)
        if interpreted and not stands_alone and not self._reading_supported(text, query, hits, new_subject, strange,
                                                                            sure, lacking):
            # read in context it finds nothing: it may still be a question of its own ("descaling");
            # a swapped subject ("what about CDMOs?") asks the last question of it, or nothing
            query, interpreted = _without_cues(text), ""
            hits = [] if new_subject else self._search(query)
            if not new_subject and self._leans_wholly(text):
                # "Is that the default?" has nothing of its own to be searched for: read alone it finds "This is
                # the default." anywhere; it asks its one word of the last question, or nothing
                query, interpreted = f"{_core(text)} {state.question}", _two_questions(state.asked, text)
                hits = self._search(query)
            sure = self._confidence(query, hits)
            if not answers.is_confident(hits, settings.answer, strange, sure, lacking):
                return replace(answers.out_of_scope(hits, self.engine.covered_topics(), settings.answer,
                                                        self.engine.label_of),
                               confidence=sure)
        if not interpreted and hits and answers.is_confident(hits, settings.answer, strange, sure, lacking):
            by_topic = sorted(hits, key=lambda h: -h.topic_score)  # vagueness is about topics, not sentences
            options, asking = self._vague_options(text, by_topic)
            if options:
                state.pending, state.pending_question = tuple(options), text
                # a vague message ("CDMO model", "logs?") is the subject itself; a question is not one that a
                # pronoun in the next message can stand for ("pair What does the [G] flag do? with?")
                # ("Tell me about foreign keys." is about "foreign keys": "how do I switch them on?" asks of those)
                overview = _OVERVIEW.match(_without_cues(text))
                own = self._subject_of(text) or (overview.group("thing").strip() if overview else
                                                 _without_cues(text).strip(" ?") if not _asks(text) else "")
                state.subject, state.question, state.asked = own or state.subject, text, text
                return replace(answers.clarify(self._overview(by_topic), [o.label for o in options],
                                               self.engine.index.documents, settings.answer, asking=asking),
                               confidence=sure)
        elif not interpreted and self._may_lean_on_context(text):
            # Alone it matches nothing well: look for it among the passages about the last subject
            # ("who owns the data?" after a question about CDMO contracts).
            in_context = self._search_within_subject(text)
            if in_context:
                query, interpreted = self._glued(text)
                hits = in_context
                reply = answers.answer(hits, self.engine.index.documents, trusted=True, interpreted_as=interpreted,
                                       settings=settings.answer, question=query,
                                       confidence=self._confidence(query, hits))
                if state.subject:  # else the query is the message plus a section's title: no question to carry on
                    state.question = query
                self._remember_place(hits[0])
                return reply

        def answer_from(hits: list[Hit], query: str, interpreted: str, sure: float, trusted: bool = False,
                        vouched: bool = False) -> Reply:
            return answers.answer(hits, self.engine.index.documents, self.engine.covered_topics(), settings.answer,
                                  interpreted_as=interpreted, names_unknown=strange, question=query, trusted=trusted,
                                  confidence=sure, lacks_word=lacking, label_of=self.engine.label_of, vouched=vouched)

        # the reverse of the step just told, asked with "that": its section is where to look, however
        # weakly the words match ("undo" against "a corresponding --drop-arch option"); and a message that
        # points back and finds its best passage where the last answer was goes on with that answer
        reply = answer_from(hits, query, interpreted, sure,
                            trusted=bool(undoing and interpreted and hits and self._undoes_last_step(hits[0])),
                            vouched=bool(interpreted and self._continues_last_answer(text, hits, new_subject)))
        if interpreted and reply.kind == "answer" and _repeats(reply, state.last_quotes) \
                and not self._leans_wholly(text):
            # read in context it would mostly repeat the last answer (from the same passage, or its copy in
            # another format), which tells the person nothing new ("so what's actually in spool?"): the message
            # read alone, when that is answered with more confidence (a repeat can be right: "does it explain
            # the CDMO model?" of a note that says so)
            alone = _without_cues(text)
            alone_hits = self._search(alone)
            alone_sure = self._confidence(alone, alone_hits)
            if alone_hits and alone_sure > sure and answers.is_confident(alone_hits, settings.answer, strange,
                                                                          alone_sure, lacking):
                query, interpreted, hits = alone, "", alone_hits
                reply = answer_from(hits, query, interpreted, alone_sure)
        if reply.kind == "answer":
            state.last_quotes = _quotes(reply)
            state.subject = self._subject_of(query) or state.subject
            if not interpreted:
                state.thing = _shared_phrase(text, reply) or state.thing
            state.question = query
            if not interpreted or interpreted == query:  # a question of its own, as typed or rewritten
                state.asked = interpreted or text
            self._remember_place(hits[0])
        return reply

    def _asks_in_full(self, text: str) -> bool:
        """A question of many words of its own, not opened by a cue word ("and …", "so …") nor pointing back
        at a thing of the last answer ("those requests")."""
        return _is_question(text) and not _CUE.search(text) and not _DETERMINER.search(text) \
            and len(terms(text)) >= self.engine.settings.full_question_terms

    def _leans_wholly(self, text: str) -> bool:
        """Whether the message points back at the last turn and has at most one word of its own, so that it
        asks nothing read alone ("Is that the default?", "why is that?")."""
        state = self.state
        return bool(state.question and state.asked) and _pronoun(text) is not None and len(terms(text)) <= 1

    def _may_lean(self, text: str) -> bool:
        """Whether a message read on its own may still go on from the last turn: a pronoun, a cue word
        ("and …", "so …"), or next to no words of its own; not a request for an overview of a thing it names."""
        if _asks_overview(text, after=self.state.asked):
            return False
        return _pronoun(text) is not None or _CUE.search(text) is not None or _POINTS_BACK.search(text) is not None \
            or len(terms(text)) <= self.engine.settings.context_max_terms

    def _continues_last_answer(self, text: str, hits: list[Hit], new_subject: str) -> bool:
        """Whether a message pointing back at the last answer ("what if it already ran?") is answered in
        that answer's section: its best passage is there, with a sentence close to it in meaning."""
        if not hits or new_subject or _pronoun(text) is None:
            return False
        best = hits[0]
        return self._in_last_section(best.passage) and best.sentence_cosine >= self.engine.settings.continuing_sentence

    def _undoes_last_step(self, hit: Hit) -> bool:
        """Whether the passage is in the section of the last answer and tells a reverse step ("There is a
        corresponding --drop-arch option that removes …"): "how do I undo that?" is answered there."""
        passage = hit.passage
        return self._in_last_section(passage) and any(states_form(passage.text_of(s), "reversal")
                                                      for s in passage.sentences)

    def _in_last_section(self, passage: Passage) -> bool:
        return (passage.doc, passage.section_index) == (self.state.last_doc, self.state.last_section)

    def _where_last_answered(self, query: str, hits: list[Hit]) -> list[Hit]:
        """For a message of no words of its own ("why?", "how?"), read with the last question: the reason
        or the way is told where the last answer was, so that section's passages go first ("why?" after
        "should I use ext3?" is the sentence beside the advice, not the best "benefit" in the documents)."""
        state = self.state
        rows = self.engine.retriever.rows_of_section(state.last_doc, state.last_section)
        within = self.engine.retriever.search(query, k=self.engine.settings.hits, only_rows=rows) if rows else []
        seen = {h.passage.id for h in within}
        return within + [h for h in hits if h.passage.id not in seen]

    def _remember_place(self, hit: Hit) -> None:
        self.state.last_doc, self.state.last_section = hit.passage.doc, hit.passage.section_index

    def _confidence(self, query: str, hits: list[Hit]) -> float:
        return confidence(self.engine.evidence(query, hits))

    def _search(self, query: str, leans: bool = True) -> list[Hit]:
        """`leans`: the message may lean on the last turn, so the section of the last answer wins a near tie; a
        question complete in itself ("How can I see which TSIG keys the server knows about?") is searched as
        if it came first."""
        state = self.state
        near = (state.last_doc, state.last_section) if state.last_doc and leans else None
        return self.engine.retriever.search(query, k=self.engine.settings.hits, near=near)

    def _answer_option(self, option: Option, question: str, said: str = "") -> Reply:
        """The answer from the picked angle to the question that was met with "which angle?"; `said`: the
        words the user picked it by ("the automatic kind that logs all my channels" for "11.3 Automatic
        logging"), which say what they want from it and are searched for there too."""
        retriever = self.engine.retriever
        if option.query:  # an angle a document offers: answered from wherever the documents answer it
            hits = self._search(option.query)
            self.state.subject = self._subject_of(question) or self.state.subject
            self.state.question = self.state.asked = option.query
            reply = answers.answer(hits, self.engine.index.documents, self.engine.covered_topics(),
                                   self.engine.settings.answer, interpreted_as=option.query, question=option.query,
                                   confidence=self._confidence(option.query, hits), label_of=self.engine.label_of)
            if reply.kind == "answer":
                self._remember_place(hits[0])
            return reply
        query = f"{question} {said} {option.label}".strip()
        rows = retriever.rows_of_section(option.doc, option.section_index)
        hits = retriever.search(query, k=1, only_rows=rows)
        # how the pick reads: the heading alone when it already says what was asked ("Why companies use
        # the CDMO model" for "CDMO model"), else a question of what the section says of what was asked
        reading = option.label if not question or set(terms(question)) <= set(terms(option.label)) \
            else f"What does “{option.label}” say about {_core(_without_cues(question))}?"
        self.state.subject = self._subject_of(question) or self.state.subject
        self.state.question = self.state.asked = reading
        if hits:
            self._remember_place(hits[0])
        return answers.answer(hits, self.engine.index.documents, self.engine.covered_topics(),
                              self.engine.settings.answer, trusted=True, interpreted_as=reading, question=query,
                              confidence=self._confidence(query, hits))

    # ------------------------------------------------------------ vague questions

    def _vague_options(self, text: str, hits: list[Hit]) -> tuple[list[Option], list[tuple[Passage, Sentence]]]:
        """Angles to offer when the message names only the corpus's subject (or words common to
        many sections) and several sections could answer it: first those the documents themselves
        offer, then sections; with the sentences in which a document offers its angles (they may ask
        for more, "and the drug"). ([], []) when the message is specific enough."""
        settings = self.engine.settings
        content = terms(text)
        asked = _without_cues(text)  # "ok, and how do I pay a vendor's bill?" is a question all the same
        if len(content) > settings.vague_max_terms or _DEFINITION.search(asked):
            return [], []
        is_question = bool(_QUESTION.search(asked))
        if is_question and (len(content) >= 2 or names_written_as_code(text) or _OPERATOR.search(text)
                            or self.engine.names_a_narrow_name(text)):
            return [], []  # a real question ("what does debmake -i do?", "What does HISTCONTROL do?"): answer it
        narrow = self.engine.names_an_angle(content, text)
        if narrow and not _overview_of(text):
            return [], []  # it names an angle of its own
        best = hits[0].topic_score
        if is_question or narrow:
            # "Tell me about wrapping." names a narrow thing: vague all the same when several sections speak of it
            # "what do CDMOs do?" is vague only when the hits really spread over several sections
            close = [h for h in hits if h.topic_score >= best - settings.vague_margin]
            needed = settings.vague_min_sections if is_question else settings.overview_min_sections
            if len({(h.passage.doc, h.passage.section_index) for h in close}) < needed:
                return [], []
        angles, asking = self.engine.offered_angles(text)
        options = [Option(angle, "", -1, query=angle) for angle in angles]
        sections = self._section_options(text, hits, settings.max_options)
        options += sections[:max(settings.max_options - len(options), 2)]
        return (options, asking) if len(options) >= 2 else ([], [])

    def _overview(self, hits: list[Hit]) -> Hit:
        """The passage whose sentences introduce a vague message's subject: among the passages close to the
        best, one of a section over the others ("5.7. Securing BIND" over its "5.7.1" and "5.7.2": its
        opening says what the subject is); else the best ("bind" alone finds the tail of 5.7.1 first)."""
        best = hits[0]
        close = [h for h in hits if h.topic_score >= best.topic_score - self.engine.settings.option_margin]
        for hit in close:
            path = hit.passage.path or hit.passage.section
            if any((other.passage.path or "").startswith(path + PATH_SEPARATOR) for other in close):
                return hit
        return best

    def _section_options(self, text: str, hits: list[Hit], limit: int) -> list[Option]:
        """Up to `limit` sections near the best hit, each a distinct topic, as options."""
        settings = self.engine.settings
        content = terms(text)
        best = hits[0].topic_score
        # Only a document's own title ("espresso machine" above a guide of that name): its overview
        # leads by far, and the angles are that document's other sections, however they score.
        top = hits[0].passage
        at_title = top.section_index == self.engine.first_section(top.doc)
        whole_document = (at_title and not top.section.rstrip().endswith("?")
                          and set(content) <= set(terms(top.section)))
        options: list[Option] = []
        kids = self.engine.children.get((top.doc, top.section_index), [])
        if len(kids) >= 2 and not at_title and set(content) <= set(terms(top.section)) \
                | self.engine.subject_terms(text) | self.engine.document_terms:
            # the message names a section with sections under it ("bike maintenance"): those are the angles
            return [Option(self.engine.option_label(doc, index), doc, index) for doc, index in kids[:limit]]
        offered = [hits[0]]
        labels = {self.engine.option_label(top.doc, top.section_index)}
        for hit in hits[1:]:
            if whole_document:
                if hit.passage.doc != top.doc:
                    continue
            elif hit.topic_score < best - settings.option_margin:
                break
            label = self.engine.option_label(hit.passage.doc, hit.passage.section_index)
            if any(self._same_topic(hit, other) for other in offered) or label in labels:
                # the same section, or two documents saying the same thing (a page and its PDF): offer it once
                continue
            offered.append(hit)
            labels.add(label)
            options.append(Option(label, hit.passage.doc, hit.passage.section_index))
            if len(options) == limit:
                break
        return options

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
        if best < 1 and any(self.engine.heading_counts[t] for t in wanted):
            # no option's title has the words but another heading does: the user names that angle
            named = self.engine.sections_titled_with(wanted)
            if len(named) == 1 and not _is_question(text):
                doc, index = next(iter(named))
                return Option(self.engine.option_label(doc, index), doc, index, offered=False)
            return None
        if best < 1 and _is_question(text):
            return None  # a question of its own that shares a word with an option's text, not its title
        if best > 0 and scores.count(best) == 1:
            return options[scores.index(best)]
        return None

    # ------------------------------------------------------------ follow-ups

    def _subject_of(self, text: str) -> str:
        return self.engine.subject_of(text)

    def _is_peer_subject(self, subject: str) -> bool:
        """Whether a newly named subject is one the documents are about, as the last one was (CMOs after
        CDMOs): a word of the corpus's or of a document's subject. A name met in one section is not."""
        engine = self.engine
        return all(t in engine.topic_terms or t in engine.document_terms for t in terms(subject))

    def _resolve_follow_up(self, text: str) -> tuple[str, str, str]:
        """(query to search, how it was read, new subject) for a message that plainly leans on the
        last turn (a cue word, a pronoun, a one-word aspect); (text, "", "") when it may stand alone."""
        if _asks_overview(text, after=self.state.asked):
            return text, "", ""
        swapped = self._with_path_swapped(text)
        if swapped:  # "and /var/tmp?" after "does /tmp get wiped at reboot?": the same question of /var/tmp
            return swapped, swapped, paths_in(text)[0]
        if self._names_a_new_path(text):  # "then what's /mnt for?": a question of its own
            return text, "", ""
        subject = self.state.subject
        own_subject = self._subject_of(text)
        if not (subject and own_subject):  # a subject word is swapped below, whole, when the last question has one
            swapped = self._with_aspect_swapped(text)
            if swapped:  # "and disk space?": the last question, asked of disk space instead of memory
                return swapped, swapped, ""
        if not subject:
            return self._with_last_question(text)
        content = terms(text)
        subject_terms = self.engine.subject_terms(text)
        aspect = [t for t in content if t not in subject_terms]
        cue = _CUE.search(text)
        pronoun = _pronoun(text)
        if own_subject:
            if cue and not aspect and self.state.question and self._is_peer_subject(own_subject):
                # "what about CMOs?": the last question, asked of the new subject, which replaces the old
                # one as a whole; a subject of another kind ("what about DrugPatentWatch?") is asked alone
                swapped = self.state.question.replace(subject, own_subject)
                if swapped != self.state.question:
                    return swapped, swapped, own_subject
            swapped = self._with_aspect_swapped(text)
            if swapped:
                return swapped, swapped, ""
            if pronoun and not set(terms(subject)) <= set(content):
                # "does it explain the CDMO model?" after asking about something else: "it" is that thing
                return self._read_with_subject(text, subject)
            return text, "", ""
        points_back = self._points_at_last_answer(text)
        if not (cue or pronoun or points_back or len(content) <= 1) or _names_something(text):
            return text, "", ""
        if cue and not pronoun and not points_back and len(content) >= self.engine.settings.whole_question_terms:
            # "And how do I chop the extension off a filename stored in a variable?": the "and" only joins it
            # to the talk; a question of its own, read alone (its search still favours the last section)
            return text, "", ""
        if len(content) == 1 and not (cue or pronoun or points_back) and content[0] not in terms(self.state.question) \
                and self._is_peer_subject(text):
            return text, "", ""  # "initramfs" after a question about building packages: a subject of its own
        if pronoun and not points_back:
            return self._read_with_subject(text, subject)
        glued, shown = self._glued(text)
        return glued, shown, ""

    def _with_aspect_swapped(self, text: str) -> str:
        """The last question with the thing a bare "and X?" / "what about X?" names put in place of the words
        of it that X stands beside: "How much memory do I need?" + "and disk space?" -> "How much disk space
        do I need?". The words replaced are the run closest to X in meaning, by a clear margin; "" when no run
        is, or the message asks more than a thing."""
        last = self.state.asked or self.state.question
        thing = text.strip()
        while (cue := _CUE.match(thing)) is not None:  # "and what about …"
            thing = thing[cue.end():].strip(_JOINING_MARKS)
        thing = thing.strip(" ,.?!") if thing != text.strip() else ""
        if not last or not thing or _QUESTION.match(thing) or _pronoun(thing) or not 1 <= len(terms(thing)) <= 4 \
                or len(thing.split()) > 5:
            return ""
        if re.search(r"[.?!]\s+\S", last.strip()):
            return ""  # "our servers use /var/spool/mail. do I have to move it?": no one question to ask again
        runs = [run for run in _content_runs(last) if not paths_in(last[run[1]:run[2]])]  # paths: _with_path_swapped
        if len(runs) < 2:  # "What is a CDMO?" + "what about quality?": nothing beside the subject to stand in for
            return ""
        settings = self.engine.settings
        vectors = self.engine.retriever.embedder.encode([_core(thing)] + [last[begin:end] for _, begin, end in runs])
        closeness = sorted(((float(v @ vectors[0]), i) for i, v in enumerate(vectors[1:])), reverse=True)
        (best, i), (runner_up, _) = closeness[:2]
        if best < settings.swap_cosine or best - runner_up < settings.swap_margin:
            return ""
        with_article, begin, end = runs[i]
        if with_article < begin and (_FILLER_EDGES.match(thing) or _names_something(f"x {thing}")):
            swapped = last[:with_article] + thing + last[end:]  # "a workstation" -> "an LTSP server", "GNOME"
        else:  # "which port" -> "which hardware speech synthesizer"
            core = _core(thing)
            joint = re.match(r"(\w+)\s+", core)  # "and for writing?" after "… a file for reading …": one "for"
            if joint and joint.group(1).casefold() in STOPWORDS \
                    and re.search(rf"\b{re.escape(joint.group(1))}\s*$", last[:begin], re.IGNORECASE):
                core = core[joint.end():]
            swapped = last[:begin] + core + last[end:]
        return _as_question(swapped[0].upper() + swapped[1:])

    def _with_path_swapped(self, text: str) -> str:
        """The last question asked of the one path the message names, when the message is only a cue and that
        path ("and /var/tmp?", "what about /usr/local?") and the last question named one path; else ""."""
        last, new = paths_in(self.state.question), paths_in(text)
        if len(last) != 1 or len(new) != 1 or last == new or not _CUE.search(text):
            return ""
        rest = set(terms(text)) - set(terms(new[0])) - _CUE_TERMS
        return "" if rest else path_as_written(last[0]).sub(new[0], self.state.question)

    def _names_a_new_path(self, text: str) -> bool:
        """Whether the message asks about a path the last question did not name, as a question of its own
        ("then what's /mnt for?"), not a bare "and for stuff under /usr/local?" to read with the last one."""
        new = set(paths_in(text)) - set(paths_in(self.state.question))
        own_words = set(terms(text)) - {t for path in new for t in terms(path)} - _CUE_TERMS
        return bool(new) and (bool(own_words) or bool(_QUESTION.search(_without_cues(text))))

    def _read_with_subject(self, text: str, subject: str) -> tuple[str, str, str]:
        """(query, reading, "") for a message whose pronoun stands for the subject. The query has the subject
        in the pronoun's place; so does the reading where the last question named it as a thing of its own
        ("What is DrugPatentWatch?" -> "does DrugPatentWatch explain …?"), else the reading is the message
        after the last question ("What is the CDMO model? How is it priced?"): a subject that qualified a
        noun there ("a CDMO contract", "my FSF-copyrighted package") or that names several things reads
        wrong where the pronoun stood."""
        asked = self.state.asked
        thing = _asked_about(asked)
        if thing and set(terms(subject)) < set(terms(thing)):  # "Tell me about Debian 2.2": "it" is that, not Debian
            return _read_as_of(text, thing)
        named_whole = bool(thing) and set(terms(subject)) <= set(terms(thing))  # "What is a CDMO?" + "is it …?"
        if asked and set(terms(subject)) <= self.engine.broad_terms and not named_whole:
            # "they" after "How do I make lynx accept all cookies?" is not lynx, which most of the documents
            # speak of and so tells the search nothing (after "What is lynx?" it is): the message is read after
            # the last question (blind testers' follow-ups: 10 more right, 4 fewer, of 446)
            return f"{_core(text)} {self.state.question}", _two_questions(asked, text), ""
        resolved = _put_subject(text, subject)
        named = re.search(rf"\b{re.escape(subject)}s?\b\W*(\w*)", asked, re.IGNORECASE) if asked else None
        qualifies = named is not None and named.group(1) and named.group(1).casefold() not in STOPWORDS
        # "which file is it written to?" with "commands" for "it" reads "… is commands written to?": shown so, the
        # message is written after the last question instead
        garbled = _is_singular_pronoun(text) and _looks_plural(subject)
        return resolved, _two_questions(asked, text) if qualifies or " and " in subject or garbled else resolved, ""

    def _with_last_question(self, text: str) -> tuple[str, str, str]:
        """No subject words to carry over: a message that plainly leans on the last turn ("and for
        how long?") is read together with the last question."""
        last, count = self.state.question, len(terms(text))
        # "what temperature should it reach?" points back with "it"; "and for how long?" with a cue word
        # and next to nothing else ("ok, now how do I descale the machine?" stands on its own)
        leans = (_pronoun(text) and count <= self.engine.settings.context_max_terms) or (
            _CUE.search(text) and count <= 1) or _UNDOING_IT.search(text) or self._points_at_last_answer(text)
        if not last or not leans or _names_something(text):
            return text, "", ""
        asked = self.state.asked or last
        thing = _asked_about(asked) or (_object_of(asked) if _IT.search(text) else "")
        if thing and _pronoun(text):  # "Tell me about Debian 2.2" + "who maintained it?": it is Debian 2.2;
            return _read_as_of(text, thing)  # "How do I create an alias?" + "how do I remove it?": the alias
        return f"{_core(text)} {last}", _two_questions(self.state.asked or last, text), ""

    def _points_at_last_answer(self, text: str) -> bool:
        """Whether the message names a thing of the last answer with "that"/"this"/"those" ("can I restrict
        what that key is allowed to do?" after an answer about SSH keys) that the passage it finds on its
        own does not hold: then it is read in the light of the last question, however long it is. ("is
        there a script that generates all those output formats?" finds a passage on those formats alone.)"""
        state = self.state
        if not state.last_doc:
            return False
        retriever = self.engine.retriever
        nouns = {term(m.group(1)) for m in _DETERMINER.finditer(text)}
        last_answer = retriever.rows_of_section(state.last_doc, state.last_section)
        referents = {t for t in nouns if any(t in retriever.passage_terms(row) for row in last_answer)}
        if not referents:
            return False
        alone = self._search(_without_cues(text))
        return not alone or not referents <= retriever.passage_terms(retriever.row_of(alone[0].passage))

    def _glued(self, text: str) -> tuple[str, str]:
        """The message with the last subject added: (query, how it reads to the user: after the last
        question, or under the subject when there was none)."""
        subject = self.state.subject or self._last_section_title()
        core = _core(text)
        shown = _two_questions(self.state.asked, text) if self.state.asked else f"About {subject}: {_as_question(core)}"
        return f"{core} {subject}", shown

    def _last_section_title(self) -> str:
        state = self.state
        return self.engine.option_label(state.last_doc, state.last_section) if state.last_doc else ""

    def _may_lean_on_context(self, text: str) -> bool:
        """A short question with no subject or name of its own, in a conversation that has one
        (not any scrap of text: "alert(document.cookie)" is not glued onto the last subject)."""
        has_context = bool(self.state.subject or self.state.last_doc)
        return _is_question(text) and has_context and not _asks_overview(text, after=self.state.asked) \
            and not self._subject_of(text) and not _names_something(text) \
            and len(terms(text)) <= self.engine.settings.context_max_terms

    def _search_within_subject(self, text: str) -> list[Hit]:
        """The message's best match among passages naming the last subject, when it is a clear one:
        it shares a word with the message, or stands well above the rest in meaning. [] otherwise."""
        settings = self.engine.settings
        retriever = self.engine.retriever
        if self.state.subject:
            rows = retriever.rows_with_terms(set(terms(self.state.subject)))
        else:  # no subject words: the passages holding what the last answer was about, else its document
            thing = set(terms(self.state.thing))
            rows = (retriever.rows_with_terms(thing) if thing else set()) or \
                retriever.rows_of_document(self.state.last_doc)
        hits = retriever.search(text, k=settings.hits, only_rows=rows)
        if not hits:
            return []
        best = hits[0]
        known = [t for t in terms(text) if retriever.known(t)]  # words the documents never use cannot match
        present = retriever.passage_terms(retriever.row_of(best.passage))
        if known and retriever.coverage(known, present) >= settings.answer.min_coverage:
            return hits
        if best.dense >= settings.aspect_cosine and answers.lead(hits) >= settings.aspect_lead:
            return hits
        return []

    def _reading_supported(self, text: str, query: str, hits: list[Hit], new_subject: str,
                           names_unknown: bool = False, sure: float | None = None, lacking: bool = False) -> bool:
        """A message read in context must still be answered by the documents: the best passage is
        trusted, names the new subject when the subject changed, and speaks to what the message
        asks (shares a word with it, or is close to it in meaning)."""
        settings = self.engine.settings
        if hits and query != text and _UNDOING_IT.search(text) and self._undoes_last_step(hits[0]):
            return True
        going_on = self._continues_last_answer(text, hits, new_subject)
        if not going_on and (not hits or not answers.is_confident(hits, settings.answer, names_unknown, sure, lacking)):
            return False
        if asked_amount(query):  # only then do the sentences to quote matter here
            chosen = answers.select_sentences(hits[0], settings.answer, frozenset(terms(query)))
            if not answers.states_what_is_asked(hits[0].passage, chosen, query):
                return False
        if going_on:
            return True
        retriever = self.engine.retriever
        row = retriever.row_of(hits[0].passage)
        present = retriever.passage_terms(row)
        if new_subject and not set(terms(new_subject)) <= present:
            return False
        if sure is not None and sure >= settings.supported_confidence:  # sure of it in context
            return True
        subject_terms = self.engine.subject_terms(query) | self.engine.subject_terms(text)
        aspect = [t for t in terms(query if new_subject else text) if t not in subject_terms]
        if not aspect or any(t in present for t in aspect):
            return True
        cosine = float(self.engine.index.passage_vectors[row] @ retriever.embed(text))
        return cosine >= settings.aspect_cosine


_CONTRACTED_BE = re.compile(r"\b(it|they)['’](s|re)\b", re.IGNORECASE)


_ACRONYM_SINGULAR = re.compile(r"[A-Z][A-Z0-9]{1,7}")  # "CDMO": "they" stands for CDMOs


def _shared_phrase(question: str, reply: Reply) -> str:
    """What a question and its answer are both about, when the corpus has no subject words for it: the
    question's longest run of content words (a path counts as one) that the quoted text also uses
    ("where do pid files belong?" answered by "Process identifier (PID) files … must be placed in /run"
    -> "pid files")."""
    quoted = set(terms(" ".join(c.quote for c in reply.citations)))
    quoted |= {w.casefold().rstrip(".") for c in reply.citations for w in _PATH_WORD.findall(c.quote)}
    runs, run = [], []
    for word in [w.rstrip(".") for w in _PATH_WORD.findall(question)] + [""]:
        shared = word and (word.casefold() in quoted if word.startswith("/") else
                           word.casefold() not in STOPWORDS and set(terms(word)) and set(terms(word)) <= quoted)
        if shared:
            run.append(word)
        elif run:
            runs.append(run)
            run = []
    return " ".join(max(runs, key=len)) if runs else ""


REPEATED_SHARE = 0.8  # a follow-up's answer this much made of the last answer's quotes tells next to nothing new


def _quotes(reply: Reply) -> tuple[str, ...]:
    """The reply's quotes as a reader sees them, the same from any format's copy of a document."""
    return tuple(" ".join(c.quote.split()) for c in reply.citations)


def _repeats(reply: Reply, last: tuple[str, ...]) -> bool:
    """Whether nearly all of the reply (by its quotes' length) was quoted in the last answer: one that quotes the
    last answer again beside the sentence that answers the follow-up (the restriction beside the key setup) is
    no repeat."""
    said = " ".join(last)
    quotes = _quotes(reply)
    total = sum(len(quote) for quote in quotes)
    return bool(total) and sum(len(quote) for quote in quotes if quote in said) >= REPEATED_SHARE * total


def _pronoun(text: str) -> tuple[int, int] | None:
    """Where the first word pointing back at the last subject stands in `text`, or None."""
    found = [m.span() for m in (_PRONOUN.search(text),) if m]
    found += [m.span(1) for m in (_DEMONSTRATIVE_BEFORE.search(text), _DEMONSTRATIVE_AFTER.search(text)) if m]
    return min(found, key=lambda span: (span[0], -span[1]), default=None)


# "Tell me about X", "What is X?", "Who was X?": a question whose whole subject is the thing it names
_ABOUT = re.compile(r"^\W*(?:(?:can you\s+|please\s+)?(?:tell me|talk)\s+(?:more\s+)?about|explain|describe|"
                    r"what\s+(?:is|are|was|were)|who\s+(?:is|are|was|were)|what\s+(?:does|do|did)(?=.*\bdo\W*$))"
                    r"\s+(?P<thing>[^?!,;]+?)(?:\s+do)?\s*[?!.]*\s*$", re.IGNORECASE)


# "Tell me about plugins.", "Explain hooks": a request for what the documents say of a thing it names, whole; it
# leans on no earlier turn (glued to the last question it read "How do I increment a number? Tell me about plugins?")
_OVERVIEW = re.compile(r"^\W*(?:(?:can you\s+|could you\s+|please\s+)?(?:tell me|talk)\s+(?:a\s+bit\s+)?about|explain|"
                       r"describe|(?:i['’]?d|i\s+would)\s+like\s+to\s+(?:know|learn|read)\s+about|what\s+can\s+you\s+tell"
                       r"\s+me\s+about|(?:i\s+need\s+)?help\s+(?:me\s+)?with)\s+(?P<thing>[^?!]+?)\s*[?!.]*\s*$",
                       re.IGNORECASE)
# ... and right after one, "what about spares?" asks the same of another thing
_NEXT_THING = re.compile(r"^\W*(?:and\s+|ok(?:ay)?,?\s+)?(?:what|how)\s+about\s+(?P<thing>[^?!]+?)\s*[?!.]*\s*$",
                         re.IGNORECASE)


def _overview_of(text: str) -> str:
    """The thing a request for an overview names in a few words ("wrapping" of "Tell me about wrapping."), not
    a question put as one ("explain what a CDMO is in plain words"); "" for other messages."""
    found = _OVERVIEW.match(text)
    thing = found.group("thing") if found else ""
    if not thing or _QUESTION.match(thing) or _pronoun(thing) or len(thing.split()) > 4:
        return ""
    return thing


def _asks_overview(text: str, after: str = "") -> bool:
    """Whether the message asks what the documents say of a thing it names: "Tell me about RAID10.", or "What
    about spares?" `after` such a request."""
    found = _OVERVIEW.match(text) or (_NEXT_THING.match(text) if after and _asks_overview(after) else None)
    thing = found.group("thing") if found else ""
    return bool(thing) and _pronoun(thing) is None and not _POINTS_BACK.search(thing)


def _read_as_of(text: str, thing: str) -> tuple[str, str, str]:
    """(query, reading, "") of a message whose pronoun stands for the thing the last question named: one
    question, "How many developers maintained Debian 2.2 Potato?"."""
    resolved = _as_question(_put_subject(_without_cues(text), thing))
    return resolved, resolved, ""


def _asked_about(question: str) -> str:
    """The thing a "tell me about X / what is X / who was X / what does X do" question names, when short enough
    to stand in for a pronoun (at most five words); "" for other questions."""
    found = _ABOUT.match(question)
    thing = found.group("thing").strip() if found else ""  # with its article: "the CDMO model"
    words = _FILLER_EDGES.sub("", thing).split()
    if not words or len(words) > 5 or _pronoun(thing) or words[-1].casefold() in STOPWORDS:
        return ""  # "What is nmap used for?" names nmap, but not as all it asks
    return thing


# "How do I create an alias for someone?": what the way acts on, led by its determiner ("an alias")
_OBJECT = re.compile(r"^\W*how\s+(?:do|can|could|should|would)\s+(?:i|we|you|one)\s+(?:\w+)(?:\s+(?:up|out|off|on|"
                     r"in|down|away|back|rid\s+of))?\s+(?P<thing>(?:an?|the|my|our|your)\s+[\w.+-]+(?:\s+[\w.+-]+){0,2}?)"
                     r"(?=\s+(?-i:for|from|to|in|on|at|with|by|of|into|onto|so|and|or|that|which|when|if|without|"
                     r"instead|later|again|automatically)\b|\s*[?!.,;]|\s*$)", re.IGNORECASE)
# words that point at the last answer's place or thing: "which user does the daemon drop privileges to there?"
_POINTS_BACK = re.compile(r"\b(?:there|then|that|this|these|those|such|same)\b", re.IGNORECASE)
_IT = re.compile(r"\bit\b|\bits\b", re.IGNORECASE)  # "it" stands for one thing; "that" may stand for the action


def _object_of(question: str) -> str:
    """The thing a "how do I <do> <a thing> …?" question acts on ("an alias" of "How do I create an alias
    for someone?"), which a follow-up's "it" stands for; "" when there is none."""
    found = _OBJECT.match(question)
    return found.group("thing") if found else ""


_ASKING = re.compile(r"^\W*(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|"
                     r"should|would|will|shall|may|might|must|has|have|had)\b", re.IGNORECASE)


def _asks(text: str) -> bool:
    """Whether the message is put as a question ("What does the [G] flag do?"), not named as a topic ("logs?")."""
    return bool(_ASKING.match(_without_cues(text)))


def _is_singular_pronoun(text: str) -> bool:
    span = _pronoun(text)
    return span is not None and _IT.fullmatch(text[span[0]:span[1]]) is not None


def _looks_plural(subject: str) -> bool:
    """"commands", "zone files": a plural a singular "it" cannot stand for ("CDMOs" reads either way)."""
    last = subject.split()[-1] if subject.split() else ""
    return last.islower() and len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _put_subject(text: str, subject: str) -> str:
    """The message with its first pronoun replaced by the subject, read as a person would write it:
    "is it fine?" -> "is CDMO fine?", "it's" -> "CDMO is", "their cost" -> "CDMOs’ cost"."""
    text = _CONTRACTED_BE.sub(lambda m: f"{m.group(1)} {'is' if m.group(2) == 's' else 'are'}", text)

    span = _pronoun(text)
    if span is None:
        return text
    pronoun = text[span[0]:span[1]].casefold()
    plural = pronoun in ("they", "them", "their", "theirs") and _ACRONYM_SINGULAR.fullmatch(subject)
    name = f"{subject}s" if plural else subject  # "how are they priced?" -> "how are CDMOs priced?"
    if pronoun in ("its", "their", "theirs", "his", "hers"):
        name = f"{name}’" if plural else f"{name}’s"
    return f"{text[:span[0]]}{name}{text[span[1]:]}"


# A message that is only an option's number: "2", "#3", "option 1"
_BARE_OPTION_NUMBER = re.compile(r"\s*(?:option\s*|#)?(\d{1,2})\s*[.)]?\s*", re.IGNORECASE)


def _is_question(text: str) -> bool:
    return bool(_QUESTION.search(text)) or text.rstrip().endswith("?")


def _as_question(text: str) -> str:
    """The message as a question is written: capital first, one question mark at the end."""
    text = text.strip().rstrip("?.!;:, ").strip() or text.strip()
    return f"{text[:1].upper()}{text[1:]}?"


_WORD = re.compile(r"[\w/.+-]*\w")
_ARTICLES = frozenset(("a", "an", "the"))


def _content_runs(question: str) -> list[tuple[int, int, int]]:
    """The runs of a question's words that may name a thing ("a different desktop environment"), as
    (start with its article, start, end); question words and stop words end a run."""
    runs: list[tuple[int, int, int]] = []
    article, run = -1, None
    for word in _WORD.finditer(question):
        lowered = word.group().casefold()
        if terms(word.group()) and lowered not in STOPWORDS and not _QUESTION.fullmatch(lowered):
            run = (article if article >= 0 else word.start(), word.start(), word.end()) if run is None \
                else (run[0], run[1], word.end())
            article = -1
            continue
        if run is not None:
            runs.append(run)
            run = None
        article = word.start() if lowered in _ARTICLES else -1
    return runs + ([run] if run is not None else [])


def _two_questions(first: str, then: str) -> str:
    """A follow-up read after the question it leans on, as a person would ask both at once: "How many
    books can I borrow? And for how long?" Never one spliced into the other."""
    return f"{_as_question(first)} {_as_question(then)}"


# A title used by this many sections is a kind of section ("Purpose", "Examples"), not a topic of its own.
GENERIC_TITLE_USES = 2  # a title two sections share ("Notes" of two programs' pages) names neither alone
_LEADING_NUMBERING = re.compile(r"^\s*(?:(?:chapter|section|part|appendix)\s+\S+\s+|\d+(?:\.\d+)*\.?\s+)",
                                re.IGNORECASE)


# the sections every manual page has: "DESCRIPTION" names no page, however few pages the corpus holds
_MANUAL_SECTIONS = frozenset({
    "name", "synopsis", "description", "options", "commands", "exit status", "return value", "environment",
    "files", "examples", "example", "notes", "bugs", "see also", "author", "authors", "history", "copyright",
    "standards", "caveats", "diagnostics", "reporting bugs", "conforming to"})


# titles that say what kind of section it is, not what it is about ("Usage", "How does it work")
_GENERIC_SECTIONS = frozenset({
    "usage", "hints", "tips", "requirements", "overview", "introduction", "purpose", "summary", "background",
    "details", "notes", "note", "example", "examples", "options", "configuration", "installation", "setup",
    "troubleshooting", "limitations", "known issues", "caveats", "faq", "finishing up", "getting started"})
_POINTS_AT_ITS_SUBJECT = re.compile(r"\b(?:it|this|these|them|its)\b", re.IGNORECASE)


def _is_generic_title(title: str) -> bool:
    """A title that names no subject of its own: a manual page's standard section ("EXAMPLES"), a kind of
    section ("Usage", "Hints"), or one that points at its page's subject ("How does it work")."""
    bare = _bare_title(title)
    return (title.isupper() and bare in _MANUAL_SECTIONS) or bare in _GENERIC_SECTIONS \
        or (len(bare.split()) <= 5 and _POINTS_AT_ITS_SUBJECT.search(bare) is not None)


def _bare_title(title: str) -> str:
    """A title without its numbering, in one case: "5.9.1. Purpose" and "4.2.1. Purpose" are one title."""
    return _LEADING_NUMBERING.sub("", title).strip().rstrip(":").strip().casefold()


def _without_cues(text: str) -> str:
    """The message without the words that only join it to the talk before ("ok. and is it fine to …?"
    -> "is it fine to …?"), unless nothing would be left."""
    rest = text.lstrip(_JOINING_MARKS)
    while (cue := _CONNECTIVE.match(rest)) is not None:
        rest = rest[cue.end():].lstrip(_JOINING_MARKS)
    return rest if terms(rest) else text


def _core(text: str) -> str:
    """The message without its cue word ("and", "what about") and filler ("the ... one")."""
    return _FILLER_EDGES.sub("", _CUE.sub("", text)).strip(" ,.?!") or text


def _names_something(text: str) -> bool:
    """A capitalised name or acronym after the first word: the message brings its own subject."""
    tokens = re.findall(r"[\w’'-]+", text)
    return any(is_name(tok) or (i > 0 and tok[:1].isupper() and not _FIRST_PERSON.fullmatch(tok))
               for i, tok in enumerate(tokens))


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
