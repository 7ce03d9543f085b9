"""Word-level helpers shared by the lexical index and the dialogue: one tokenizer for both."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Function words and chat filler that carry no topic: "tell me about X" asks about X.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can could did do does doing done down during each either else
ever few for from further get gets got had has have having he her here hers herself him himself
his how i if in into is isn't it it's its itself just let me more most much my myself no nor not
now of off on once one only or other ought our ours ourselves out over own per please same she
should so some such than that that's the their theirs them themselves then there these they this
those through to too under until up upon us very via was we were what when where which while who
whom whose why will with would yes you your yours yourself yourselves
tell explain describe know info information overview anything something thing things say says
said like mean means meant really actually usually typically often generally kind sort lot lots
give show want need wondering curious question questions answer okay ok hi hello hey thanks
define definition
thank
""".split())

TOKENIZER_VERSION = 3  # bump when terms() changes: stored lexical indexes then rebuild

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """Fold compatibility forms and case so "ＣＤＭＯ" and "cdmo" meet."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(normalize(text))]


def _plural(stem: str) -> str:
    """Porter keeps the s of short words ending in a vowel + s ("cdmos", "apis"): drop it so an
    acronym and its plural meet. Applied to corpus and questions alike, so it stays consistent."""
    if len(stem) <= 6 and stem.endswith("s") and not stem.endswith("ss"):
        return stem[:-1]
    return stem


def terms(text: str) -> list[str]:
    """Stemmed content words, in order, stopwords removed: the lexical index's tokens."""
    content = [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return [_plural(s) for s in _stemmer().stemWords(content)]


PASSAGE_TERMS_KEPT = 200_000  # passages whose terms are remembered (about a few hundred bytes each)
_passage_terms: dict[str, tuple[str, ...]] = {}


def passage_terms(text: str) -> tuple[str, ...]:
    """`terms(text)` of a passage, remembered: after an upload, the new index's BM25 and the new
    engine's term sets need every passage's terms, and only the new passages' need computing."""
    found = _passage_terms.get(text)
    if found is None:
        found = tuple(terms(text))
        if len(_passage_terms) >= PASSAGE_TERMS_KEPT:
            _passage_terms.clear()
        _passage_terms[text] = found
    return found


def term(word: str) -> str:
    return _plural(_stemmer().stemWord(normalize(word)))


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}s?$")


def is_name(word: str) -> bool:
    """An acronym ("CDMO", "CMOs") or a word with inner capitals ("DrugPatentWatch"): it names a thing."""
    return bool(_ACRONYM.match(word)) or any(c.isupper() for c in word[1:])


_QUOTED = re.compile(r"[“\"]([^”\"]{3,200})[”\"]")
_ASKS_TO_CHOOSE = re.compile(r"\b(?:tell|let)\s+me\b|\bwhich\s+(?:angle|aspect|option)s?\b", re.IGNORECASE)


def offered_angles(sentence: str) -> list[str]:
    """The alternatives a sentence offers the reader to choose from ("if you meant “X” vs. “Y”, tell me
    which angle you want"), [] for any other sentence. Such a sentence names questions without answering
    them: it can route a vague message to "which angle?", never stand in for the answer."""
    quoted = _QUOTED.findall(sentence)
    if len(quoted) < 2 or not _ASKS_TO_CHOOSE.search(sentence):
        return []
    return [q.strip() for q in quoted]
