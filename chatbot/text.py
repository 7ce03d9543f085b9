"""Word-level helpers shared by the lexical index and the dialogue: one tokenizer for both."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from .records import rejoined_words

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

TOKENIZER_VERSION = 6  # bump when terms() changes: stored lexical indexes then rebuild

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """Fold compatibility forms and case so "ＣＤＭＯ" and "cdmo" meet."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    return _words_of_folded(normalize(text))


def _words_of_folded(folded: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD.findall(folded)]


# British spellings written the American way before stemming, in documents and questions alike, so
# "licence" meets "license" and "colour" meets "color". Applied to both sides, a word changed that has no
# other spelling ("contour" -> "contor") still meets itself.
_BRITISH = (
    (re.compile(r"(?<=\w{3})our(?=s?$|ed$|ing$|ite|ites$|able$|er$|ers$)"), "or"),  # colour, behaviour
    (re.compile(r"^(licen|defen|offen|preten)c(?=e)"), r"\1s"),  # licence, defence
    (re.compile(r"(?<=\w{2})is(?=e$|es$|ed$|ing$|ation$|ations$)"), "iz"),  # organise, organisation
    (re.compile(r"(?<=\w{2})ys(?=e$|es$|ed$|ing$)"), "yz"),  # analyse
    (re.compile(r"(?<=\w{2})tre(?=s?$)"), "ter"),  # centre, metre
    (re.compile(r"(?<=\w{3})ogue(?=s?$)"), "og"),  # catalogue, dialogue
)


_MAY_BE_BRITISH = re.compile(r"our|^(?:licen|defen|offen|preten)c|is(?:e|es|ed|ing|ations?)$|ys(?:e|es|ed|ing)$|tres?$|"
                             r"ogues?$")


@lru_cache(maxsize=65536)  # a corpus uses the same words over and over: each is looked at once
def _american(word: str) -> str:
    if not _MAY_BE_BRITISH.search(word):
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def _plural(stem: str) -> str:
    """Porter keeps the s of short words ending in a vowel + s ("cdmos", "apis"): drop it so an
    acronym and its plural meet. Applied to corpus and questions alike, so it stays consistent."""
    if len(stem) <= 6 and stem.endswith("s") and not stem.endswith("ss"):
        return stem[:-1]
    return stem


def terms(text: str) -> list[str]:
    """Stemmed content words, in order, stopwords removed: the lexical index's tokens."""
    return list(_short_text_terms(text) if len(text) <= 500 else _terms(text))


def _terms(text: str) -> tuple[str, ...]:
    # a stopword with a clitic ("what's", "doesn't", "i'm") is as empty as the stopword
    folded = normalize(rejoined_words(text))
    content = [w for w in _words_of_folded(folded)
               if w not in STOPWORDS and (len(w) > 1 or w.isdigit()) and not is_contraction(w)]
    # a name and its number written with a hyphen are also the name written whole: "SHA-256" meets "SHA256",
    # "UTF-8" "UTF8" (not "site-specific": its parts already count, and a third token would outweigh them)
    content += [m.group().replace("-", "") for m in _NUMBERED_NAME.finditer(folded)]
    return tuple(_plural(s) for s in _stemmer().stemWords([_american(w) for w in content]))


_NUMBERED_NAME = re.compile(r"(?<![\w-])[^\W\d_]{1,12}-\d{1,5}(?![\w-])")


# A turn asks for the terms of the same few short texts (its message, its query, headings) many times.
_short_text_terms = lru_cache(maxsize=4096)(_terms)


PASSAGE_TERMS_KEPT = 200_000  # passages whose terms are remembered (about a few hundred bytes each)

# `terms(text)` of a passage, remembered: after an upload, the new index's BM25 and the new engine's term
# sets need every passage's terms, and only the new passages' need computing.
passage_terms = lru_cache(maxsize=PASSAGE_TERMS_KEPT)(_terms)


@lru_cache(maxsize=8192)  # a turn stems the same few message words many times
def term(word: str) -> str:
    return _plural(_stemmer().stemWord(_american(normalize(word))))


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}s?$")


def is_name(word: str) -> bool:
    """An acronym ("CDMO", "CMOs") or a word with inner capitals ("DrugPatentWatch"): it names a thing."""
    return bool(_ACRONYM.match(word)) or word[1:] != word[1:].lower()


_GENERIC_NAME_WORDS = frozenset("txt text md html htm pdf docx doc en the and of for version draft final copy "
                                 "new old".split())


def document_names(path: str, title: str) -> set[str]:
    """Words a person may call a document by, case folded: those of its file path ("mpl", "apache", "debian")
    and its title's initials ("mpl" of "Mozilla Public License"). Not numbers or file extensions; not the
    title's own words, which are often the corpus's subject ("GNU" in two manuals' titles, one's only)."""
    found = {w for w in words(path) if len(w) >= 3 and w.isalpha() and w not in _GENERIC_NAME_WORDS}
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", title) if w[0].isupper())
    found.update(initials[:n].casefold() for n in range(3, len(initials) + 1))
    return found


@lru_cache(maxsize=1024)  # a turn searches with the same message more than once
def name_words(text: str) -> tuple[str, ...]:
    """The words of a message written as names: an acronym, inner capitals, or a capital inside a sentence."""
    out = []
    for match in re.finditer(r"[A-Za-z][\w'’-]*", text):
        word, before = match.group(), text[:match.start()].rstrip()
        if is_name(word) or (word[0].isupper() and before and before[-1] not in ".?!:;\"“("):
            out.append(word.rstrip("'’-"))
    return tuple(out)


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


_LETTERS = "abcdefghijklmnopqrstuvwxyz'"


def spelling_variants(word: str) -> set[str]:
    """Every word one edit away (a letter deleted, swapped with the next, replaced or inserted):
    "comand" -> "command", "kernal" -> "kernel", "doesnt" -> "doesn't". About 55 per letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS})


_DERIVING_SUFFIXES = ("iest", "ier", "ily", "ied", "est", "ness", "ful", "ish", "er", "ly", "ed", "ing", "y", "s")


def word_forms(word: str) -> set[str]:
    """The word and the words it is likely made from or spelt as elsewhere: "risky" -> "risk",
    "stronger" -> "strong", "garbled" -> "garble", "behaviour" -> "behavior", "organise" -> "organize"."""
    forms = {word, word.replace("our", "or"), word.replace("ise", "ize"), word.replace("tre", "ter")}
    for suffix in _DERIVING_SUFFIXES:
        stem = word[:-len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            forms |= {stem, stem + "e", stem + "y"}
            if len(stem) > 3 and stem[-1] == stem[-2]:  # "bigger" -> "big"
                forms.add(stem[:-1])
    return forms


@lru_cache(maxsize=4096)
def lemma(word: str) -> str:
    """The dictionary form of an English word, irregular ones too ("chose" -> "choose", "children" ->
    "child", "wrote" -> "write"), which no suffix rule finds: simplemma's English lexicon, in its wheel
    (loaded at first use, about 0.4 s)."""
    import simplemma

    return simplemma.lemmatize(word, lang="en")


def is_english_word(word: str) -> bool:
    """Whether simplemma's English lexicon has the word ("troubleshooting", "throttle"): a word of the
    language, however the model's vocabulary splits it, not a name ("netplan", "maildir")."""
    import simplemma

    return simplemma.is_known(word.casefold(), lang="en")


def load_lexicon() -> None:
    """Load the lemma lexicon now: a chat or a server does it at start, not in the turn that first needs
    it, which would take half a second longer than the rest."""
    lemma("loaded")


def is_contraction(word: str) -> bool:
    """"i'm", "we'd", "doesn't": a word with a clitic, never a name (a possessive "'s" is not one)."""
    head, _, tail = word.replace("’", "'").partition("'")
    if tail == "t":  # "doesn't", "can't", "won't"
        return head.endswith("n") and (head in STOPWORDS or head[:-1] in STOPWORDS or head in ("won", "ain"))
    return tail in ("m", "d", "ll", "ve", "re", "s") and head in STOPWORDS


# "How long / how many / how often …?" asks for an amount, and an answer states one of that kind: a
# number for "how many / how long / what size", a frequency for "how often", a version for "what version".
_ASKS_FREQUENCY = re.compile(r"\bhow\s+(?:often|frequently)\b|\bwhat\s+(?:\w+\s+)?frequency\b", re.IGNORECASE)
_ASKS_VERSION = re.compile(r"\bwhat\s+(?:\w+\s+)?version\b", re.IGNORECASE)
_ASKS_YEAR = re.compile(r"\b(?:what|which)\s+year\b|\bin\s+(?:what|which)\s+(?:\w+\s+)?year\b", re.IGNORECASE)
_ASKS_COUNT = re.compile(r"\bhow\s+many\b", re.IGNORECASE)
# a setting's default: "what is the default value of X?", "which ciphers are negotiated by default?" (not "does
# the default backup protect me?", "how do I make nano my default editor?", "… and there's no default")
_ASKS_DEFAULT = re.compile(r"\bwhat(?:['’]s|\s+is|\s+are)\s+(?:the\s+|its\s+|their\s+)?defaults?\b"
                           r"|\b(?:what|which)\b[^?.]*\bby\s+default\b"
                           r"|\bdefault\s+(?:value|setting|size|port|mode|priority|interval|limit|timeout|location|path)s?\s+of\b"
                           # "… unless I change it?", "and if I don't set it, which user …?"
                           r"|\bunless\s+I\s+(?:change|set|specify|configure|pass|give)\b"
                           r"|\bif\s+I\s+(?:don['’]?t|do\s+not|never)\s+(?:change|set|specify|configure|pass|give)\b",
                           re.IGNORECASE)
_ASKS_PRICE = re.compile(r"\bhow\s+much\b.*\b(?:cost|costs|charge|charges|pay|paid|price|priced)\b"
                         r"|\bwhat\s+(?:does|do|did|will)\b.*\bcost\b|\b(?:what|which)\s+(?:is|are)\s+the\s+(?:price|cost|fee)s?\b",
                         re.IGNORECASE)
_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:long|many|much|big|large|old|far|soon|small|high|low)\b"
    r"|\b(?:what|which)\s+(?:\w+\s+)?(?:size|number|percentage|length|limit|maximum|minimum|age|duration)\b"
    # a port or a time of day is a number too
    r"|\b(?:what|which)\s+(?:\w+\s+)?(?:port|time(?!\s+zones?\b))\b", re.IGNORECASE)
# a file's mode: a number ("0600") or who may do what ("read/write for the user, and not writable by others")
_ASKS_MODE = re.compile(r"\b(?:what|which)\s+(?:\w+\s+)?(?:umask|permissions|octal\s+mode)\b", re.IGNORECASE)
_UNIT = (r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|[kmgt]i?b|bytes?|percent"
         r"|(?:kilo|centi|milli)?(?:metres?|meters?|grams?|litres?|liters?)|miles?|feet|foot|inch(?:es)?|yards?"
         r"|pounds?|ounces?|degrees?)")
_NUMBER = (r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
           r"hundred|thousand|million|billion|dozen|half|twice|thrice|unlimited|no\s+limit|any\s+length)\b"
           r"|\b(?:a|an|one|a\s+few|several|a\s+couple\s+of)\s+(?:\w+\s+)?" + _UNIT + r"\b")
_STATES = {
    "number": re.compile(_NUMBER, re.IGNORECASE),
    # ... or who may do what ("read/write for the user", "not writable by others")
    "mode": re.compile(_NUMBER + r"|\b[r-][w-][xsS-](?:[r-][w-][xsS-]){2}\b|\b(?:readable|writ(?:e)?able|executable|"
                       r"read[-/ ](?:only|write)|read\s+and\s+write|accessible)\s+(?:by|for|to)\s+(?:the\s+)?"
                       r"(?:user|owner|group|others|everyone|world|root|all)s?\b", re.IGNORECASE),
    "frequency": re.compile(_NUMBER + r"|\b(?:once|twice|daily|weekly|monthly|yearly|annually|hourly|nightly|"
                            r"every|each\s+(?:\w+\s+)?" + _UNIT + r"|per\s+" + _UNIT + r"|times"
                            # a frequency told by an event or against another ("whenever the system is
                            # booted", "at a less frequent interval than /tmp", "periodically")
                            r"|whenever|each\s+time|(?:more|less)\s+(?:often|frequent\w*)|(?:in)?frequent(?:ly)?"
                            r"|periodically|regularly|occasionally|rarely|seldom)\b", re.IGNORECASE),
    "version": re.compile(r"\d", re.IGNORECASE),
    # what holds when nothing is set: "(default 1)", "defaults to", "by default", "if not specified, …"
    "default": re.compile(r"\bdefault|\bif\s+(?:not|un)\w*\s+(?:set|specified|given|configured)|\bif\s+omitted"
                          # "If this option is not specified, then "mail.example.com" will be used."
                          r"|\bif\s+(?:this|the|that|it|no)\b[^.,;]{0,30}?\b(?:is|are)\s+(?:not|never)\s+"
                          r"(?:set|specified|given|configured|used)\b"
                          r"|\bunless\s+(?:set|specified|given|configured|otherwise)|\binitially\b", re.IGNORECASE),
    # "how many …?": a number that is not a year ("was elected in April 2020" counts nothing)
    "count": re.compile(r"(?!(?:1[5-9]|20)\d\d(?![\d,]|\.\d))(?<![\d.,])(?:" + _NUMBER + ")", re.IGNORECASE),
    "year": re.compile(r"(?<![\d.,])(?:1[5-9]|20)\d\d(?![\d,]|\.\d)"),  # "in 1993", "August 16th, 1993"
    # a sum of money, or how one is set ("development fees plus unit pricing"), or none asked ("free of charge")
    "price": re.compile(r"[$€£¥]\s?\d|\d\s?(?:usd|eur|gbp|dollars?|euros?|cents?)\b|\b(?:prices?|pricing|priced|fees?|"
                        r"charges?|charged|costs?|costing|free|gratis|paid|pay|payment)\b", re.IGNORECASE),
}
# Digits that count nothing: cross-references, footnote marks, addresses, and names that hold a number ("ext4",
# "foo-1.0.tar.gz", "RFC1191", "POSIX.1-2008").
_NOT_AN_AMOUNT = re.compile(r"\b(?:section|chapter|table|figure|example|page|see|\(see)\s+[\d.]+"
                            r"|\w+://\S+|<[^>]*>|\S+@\S+|\^?\[\d+\]"
                            r"|\b[a-z][\w]*?[-_.]?\d[\w.-]*", re.IGNORECASE)


# A question asking for a way or a tool: an amount named after it is what the way acts on ("how do I
# throttle how much bandwidth …?", "what command shows how many …?"), not what is asked for.
_ASKS_A_WAY = re.compile(r"\bhow\s+(?:do|does|can|could|should|would|to)\b|\bis\s+there\s+(?:a|any)\s+way\b"
                         r"|\b(?:can|could|should)\s+(?:i|we|you)\b|\b(?:what|which)\s+(?:command|option|setting|"
                         r"parameter|tool|program)s?\b", re.IGNORECASE)


def asked_amount(question: str) -> str | None:
    """The kind of amount a question asks for ("number", "count", "frequency", "version", "price", "year", a
    file's "mode", or a setting's "default"), or None."""
    way = _ASKS_A_WAY.search(question)

    def asks(pattern: re.Pattern) -> bool:
        match = pattern.search(question)
        return match is not None and (way is None or match.start() < way.start())

    for kind, pattern in (("price", _ASKS_PRICE), ("year", _ASKS_YEAR), ("count", _ASKS_COUNT),
                          ("frequency", _ASKS_FREQUENCY), ("version", _ASKS_VERSION), ("default", _ASKS_DEFAULT),
                          ("mode", _ASKS_MODE), ("number", _ASKS_NUMBER)):
        if asks(pattern):
            return kind
    return None


def states_amount(text: str, kind: str = "number") -> bool:
    """Whether the text states an amount of that kind, read with groff's line-end breaks whole ("The de‐" /
    "fault is 22." states a default); a number, a count or a frequency may be stated as the setting that
    sets it ("re-checks the object a number of times (based on the `max_check_attempts` … settings)")."""
    text = rejoined_words(text)
    return bool(_STATES[kind].search(_NOT_AN_AMOUNT.sub(" ", text))) \
        or (kind in _SETTABLE and _SET_BY_A_SETTING.search(text) is not None)


_SETTABLE = frozenset({"number", "count", "frequency"})
# an amount told by the setting it follows: "based on the `max_check_attempts` setting", "is set by --retries"
_SET_BY_A_SETTING = re.compile(r"\b(?:based\s+on|set\s+(?:by|with|in)|controlled\s+by|determined\s+by|"
                               r"configured\s+(?:by|with)|given\s+by|defined\s+by|limited\s+by)\s+(?:the\s+)?[`'\"“‘]?"
                               r"(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|--?[a-z][\w-]*)\b", re.IGNORECASE)


# Written as code: a command-line option, an identifier with an underscore, a configuration or unit file,
# a manual page reference, a shell expansion. Paths and version numbers are left out: a user's own
# ("/home/ann/notes", "release 2.3") need not stand in any document.
_CODE = re.compile(r"(?<![\w-])--[a-z][\w-]*[a-z0-9]|\b[a-z][a-z0-9]*_[\w]+\b"
                   r"|\b[\w-]+\.(?:conf|cfg|ini|service|timer|socket|mount|list|rules|sh|py)\b|\b[\w.-]+\(\d\)"
                   r"|\$\{[^}]+\}", re.IGNORECASE)


_COMPOUND = re.compile(r"(?<![\w-])(?:--?[a-z][\w-]*[a-z0-9]|[a-z0-9]+(?:[-_.][a-z0-9]+)+|\*\.[a-z0-9]+)(?![\w-])",
                       re.IGNORECASE)


def compound_tokens(text: str) -> list[str]:
    """Words joined into one name, case folded: "info-gnu", "apt-get", "foo.tar.gz", "grub_savedefault",
    "--checksum", "*.cat". Words split them apart ("info" is even a stopword); written whole in a document, such a
    name is what the question asks about. Not abbreviations ("e.g.") nor bare numbers ("4.6")."""
    found = []
    for token in _COMPOUND.findall(normalize(text)):
        token = token.rstrip(".")
        parts = re.split(r"[-_.]+", token.lstrip("-"))
        if any(c.isalpha() for c in token) and (token.startswith("-") or max(map(len, parts)) > 1):
            found.append(token)
    return list(dict.fromkeys(found))


# "What is X?", "what does X mean (here)?", "define X": a question asking what a short term means. X is at most
# three words, so "what is the typical profit margin of a CDMO?" asks for a fact, not a definition.
_ASKS_DEFINITION = re.compile(
    # a command-line option is what it does: "what does --persist-key do?", "what is the -q option for?"
    r"what\s+(?:does|is)\s+(?:the\s+)?(?P<option>--?\w[\w-]*)(?:\s+option)?\s+(?:actually\s+)?(?:do|for)\b"
    r"|^\s*(?:what(?:\s+(?:is|are)|['’]s)\s+(?:an?\s+|the\s+)?(?P<is>[\w'-]+(?:\s+[\w'-]+){0,2})\s*\??\s*$"
    r"|what\s+does\s+(?:an?\s+|the\s+)?[\"“‘]?(?P<does>[\w'-]+(?:\s+[\w'-]+){0,2})[\"”’]?\s+(?:actually\s+)?mean\b"
    r"|(?:define|definition\s+of|meaning\s+of)\s+(?:an?\s+|the\s+)?(?P<define>[\w'-]+(?:\s+[\w'-]+){0,2})\s*\??\s*$)",
    re.IGNORECASE)


# the verbs a yes-or-no question opens with ("Can rsync …?", "… - is the data lost?")
_AUXILIARY = r"(?:is|are|was|were|can|could|does|do|did|should|will|would|has|have|may|must)"
# "how do I …?", "why …?", "what can I do?", "where does X come from?": the answer is a way, a reason or an
# origin, which a text often gives in the sentence after the one that sets the question up
_ASKS_WAY_OR_REASON = re.compile(
    r"\bwhy\b|\bhow\b(?!\s+(?:long|many|much|big|large|old|far|soon|small|high|low|often|frequently)\b)"
    r"|\bwhat\s+(?:can|could|should|must|do|shall)\s+(?:i|we|you|one)\s+do\b|\bcomes?\s+from\b"
    # a yes-or-no question: "Can rsync copy between two remote hosts?" is set up by one sentence and
    # answered by the next ("It does not support copying files between two different remote hosts.")
    r"|^\W*" + _AUXILIARY + r"\b", re.IGNORECASE)
# a sentence that opens by pointing back at the one before it: "Then you can …", "To make it faster, …",
# "You thus need …", "It was taken …", "The key value of this change …"
_REFERS_BACK = re.compile(
    r"^\W*(?:(?:then|thus|therefore|hence|otherwise|it|they|this|these|those|such)\b(?!\s*[:=])"
    r"|in\s+(?:that|this|such\s+a|either)\s+case\b|you\s+(?:thus|then|therefore)\b"
    r"|to\s+\w+\s+(?:it|this|that|them|these|those|such)\b|(?:\w+\s+){1,4}?(?:this|these)\s+\w+"
    # "The preceding statement is not true on Windows.", "The above applies to …", "As noted above, …"
    r"|the\s+(?:preceding|previous|above|foregoing|former|latter)\b|as\s+(?:noted|mentioned|described|stated)\s+above\b"
    # an example of what the sentence before it says: 'For example, size="7.5,10" fits on an 8.5x11 page …'
    r"|for\s+(?:example|instance)\b|e\.\s?g\.)",
    re.IGNORECASE)


# a cross-reference: the sentence sends the reader to another part of the text ("See Section 12.6 [Automated FTP
# Uploads], page 24, for the procedural details", "*Note Automated FTP Uploads::", "apt-cache policy, described in
# the following section"); it names what it points to without saying it
_POINTS_ELSEWHERE = re.compile(
    r"^\W*(?:\*note\b|see\s+(?:also\s+)?(?:section|chapter|appendix|part|the\s+(?:section|chapter)|[\d.]+\s)"
    r"|see\s+[^.;]{1,60}?,?\s+for\s+(?:the\s+|more\s+)?(?:\w+\s+)?(?:details|information)"
    # "See borg create --help about how to …", "Refer to the postconf(5) manual for details.": a sentence that
    # opens by sending the reader to another text about something
    r"|(?:see|refer\s+to|consult)\s+(?!(?:that|whether|if|how|what|why|to)\b)[^.;!?]{1,80}?\s(?:for|about|on)\s)"
    r"|\b(?:described|explained|covered|discussed|detailed|details)\s+(?:\w+\s+)?(?:in\s+(?:the\s+)?(?:following|next|"
    r"previous|later)\s+(?:section|chapter)s?|below|later\s+on)\b"
    # "More details about window functions can be found in Section 4.2.8.", "… is described in Chapter 26."
    r"|^\W*(?:more|further|additional)\s+(?:details|information|examples)\b[^.;!?]{0,80}?\b(?:can\s+be\s+found|"
    r"(?:is|are)\s+(?:given|available|provided|found))\s+(?:in|at|on|under)\b"
    r"|\b(?:described|explained|documented|covered|discussed)\s+(?:(?:in\s+)?(?:more\s+|further\s+|greater\s+)?detail\s+)?"
    r"in\s+(?:section|chapter|appendix|part)\s+[\dA-Z]"
    # "In this paper, I describe how …", "This article explains …": it announces what the text goes on to say
    r"|^\W*(?:in\s+)?this\s+(?:paper|article|document|guide|tutorial|chapter|section|page|how-?to|manual|note)\b"
    r"[^.;!?]{0,20}?\b(?:describes?|explains?|shows?|discuss(?:es)?|covers?|outlines?|presents?|introduces?)\b",
    re.IGNORECASE)


def points_elsewhere(sentence: str) -> bool:
    """Whether a sentence is a cross-reference to another part of the text."""
    return bool(_POINTS_ELSEWHERE.search(sentence))


# a question asking whether: its last clause opens with a verb ("my backup got killed - is the data lost?")
_ASKS_WHETHER = re.compile(r"(?:^|[.!?;:,\u2013\u2014]\s+|\s-\s+|\b(?:and|but|so)\s+)" + _AUXILIARY
                           + r"\s+[^.!?;:,]*\?\s*$", re.IGNORECASE)
# a sentence that says yes or no to one: "Yes, Borg supports resuming backups.", "No, it can't."
_SAYS_YES_OR_NO = re.compile(r"^\W*(?:yes|no)\b\s*[,.!;:\u2013\u2014-]", re.IGNORECASE)


# What a question asks for besides its topic, and the words of a sentence that gives it. The topic's words
# find the passage; among its sentences the one that answers "what happens if …?" states a consequence,
# "why …?" a reason, "should I …?" advice, "how do I stop / undo …?" the reverse step, though a sentence that
# only restates the topic shares more of the question's words ("Compression is generally not recommended."
# for "should I turn on compression?", beside the sentences that describe compression).
_AFTER_A_CUE = r"^\W*(?:(?:and|but|so|then|ok(?:ay)?)\W+)?"  # "and why?", "ok, where …?"
_ASKED_FORMS = (
    ("consequence", re.compile(r"\bwhat\s+(?:happens|will\s+happen|would\s+happen|occurs|goes\s+on)\b|\bwhat\s+if\b"
                               r"|\bwhat\s+(?:is|are)\s+the\s+(?:effects?|consequences?|results?|outcomes?)\b",
                               re.IGNORECASE)),
    ("reason", re.compile(_AFTER_A_CUE + r"why\b|\bhow\s+come\b|\bwhat\s+for\b"
                          r"|\bwhat\s+(?:is|'s|are)\s+the\s+(?:reasons?|point|purpose|benefits?|advantages?)\b",
                          re.IGNORECASE)),
    ("advice", re.compile(r"^\W*(?:(?:and|but|so|then)\W+)?(?:should|shall|must)\s+(?:i|we|you)\b"
                          r"|\bis\s+it\s+(?:a\s+good\s+idea|recommended|advis(?:ed|able)|wise|safe|ok(?:ay)?|better)\b"
                          r"|\bbest\s+practice\b", re.IGNORECASE)),
    ("returns", re.compile(r"\bwhat\s+(?:does|do|will|would|did)\b[^?.]*\b(?:return|give\s+back|output|print|yield)\b"
                           r"|\breturn(?:ed)?\s+value\b|\bwhat\s+(?:is|are)\s+(?:the\s+)?results?\s+of\b",
                           re.IGNORECASE)),
    ("location", re.compile(_AFTER_A_CUE + r"where\b"
                            r"|\b(?:what|which|in\s+which)\s+(?:directory|directories|folder|path|location|file)\b",
                            re.IGNORECASE)),
    ("remedy", re.compile(r"\bhow\s+(?:do|can|could|would|should)\s+(?:i|we|you|one)\s+(?:then\s+)?"
                          r"(?:recover|fix|repair|solve|resolve|correct|work[-\s]around|get\s+around|deal\s+with|cure)\b"
                          r"|\bhow\s+to\s+(?:recover|fix|repair|solve|resolve|correct|work\s+around|get\s+around)\b"
                          r"|\b(?:what|is\s+there)\s+(?:is\s+|are\s+)?(?:the\s+|a\s+|any\s+)?"
                          r"(?:fix|solution|workaround|remedy|cure)\b", re.IGNORECASE)),
    ("reversal", re.compile(r"\bhow\s+(?:do|can|could|would|should)\s+(?:i|we|you|one)\s+(?:then\s+)?"
                            r"(?:stop|undo|disable|turn\s+(?:\w+\s+)?off|switch\s+(?:\w+\s+)?(?:off|back)|revert|cancel"
                            r"|unset|reverse|get\s+rid)\b"
                            r"|\bhow\s+to\s+(?:stop|undo|disable|turn\s+(?:\w+\s+)?off|revert|cancel|unset)\b",
                            re.IGNORECASE)),
)
_STATED_FORMS = {
    "consequence": re.compile(r"\b(?:if|when|whenever|unless|otherwise|without)\b|\bresults?\s+in\b|\bcaus\w*"
                              r"|\bleads?\s+to\b|\bwarn\w*|\berror\b|\bfail\w*|\bignor\w*|\bwill\b|\binstead\b",
                              re.IGNORECASE),
    "reason": re.compile(r"\bbecause\b|\bsince\b|\bso\s+that\b|\bin\s+order\s+to\b"
                         r"|\bthis\s+(?:means|is\s+(?:because|why))\b|\bdue\s+to\b|\breasons?\b|\botherwise\b"
                         r"|\bleads?\s+to\b|\bresults?\s+in\b|\bproblems?\b"
                         r"|\bprevents?\b|\bavoids?\b|\btherefore\b|\bthus\b|\bhence\b|\ballows?\b|\benables?\b",
                         re.IGNORECASE),
    "advice": re.compile(r"\brecommend\w*|\badvis\w*|\bshould\b|\bprefer\w*|\bavoid\w*|\b(?:en|dis)courag\w*"
                         r"|\bsuggest\w*|\bbetter\b|\bbest\b|\b(?:un)?safe(?:r|st|ly)?\b|\b(?:un)?necessary\b|\bwise\b"
                         r"|\bgood\s+(?:choice|idea|practice)\b"
                         # advice given as an instruction: "please do not announce …", "never …", "make sure …"
                         r"|\bplease\b|\bdo\s+not\b|\bdon['’]t\b|\bnever\b|\balways\b|\b(?:make|be)\s+sure\b|\bmust\b",
                         re.IGNORECASE),
    "returns": re.compile(r"\breturn(?:s|ed|ing)?\b|\byields?\b|\bprints?\b|\boutputs?\b|\bgives?\b|\bresults?\b",
                          re.IGNORECASE),
    "location": re.compile(r"(?<![\w.])~?/[\w.-]+|\b(?:directory|directories|folder|path|located|stored|kept|placed"
                           r"|installed|under|inside|beneath)\b", re.IGNORECASE),
    # "The solution to this is to add 2147483647 …", "… can be restored by adding server clauses …"
    "remedy": re.compile(r"\bsolution\b|\bsolved?\b|\bwork[-\s]?arounds?\b|\bremed(?:y|ies)\b|\bcure\b"
                         r"|\bfix(?:es|ed)?\b"
                         r"|\bcan\s+be\s+(?:restored|fixed|resolved|corrected|recovered|repaired|avoided|cured)\b"
                         r"|\bto\s+(?:recover|repair|resolve|restore)\b|\brecover(?:s|ed|y)?\b", re.IGNORECASE),
    # "undebug", "unban", "unset" (not "under", "until", "unless", "unique", …)
    "reversal": re.compile(r"\bun(?!der|til|less|ion|ique|iform|ivers|ix|it|known|like|fortunate|usual|able|ited)"
                           r"[a-z]{3,}|\bdis(?:abl|allow|connect|card)\w*|\b(?:turn|switch)\w*\s+(?:\w+\s+)?off\b|\brevert\w*"
                           r"|\bcancel\w*|\bstop\w*|\breset\w*|\bno\s+longer\b|\boriginal\b|\brestor\w*|\bremov\w*"
                           r"|\bdelet\w*",
                           re.IGNORECASE),
}


def asked_form(question: str) -> str | None:
    """What a question asks for besides its topic: "consequence", "reason", "advice", "returns" (a value),
    "location", "remedy" (a fix or a way back from a mistake), "reversal", or None."""
    return next((form for form, pattern in _ASKED_FORMS if pattern.search(question)), None)


def states_form(sentence: str, form: str) -> bool:
    """Whether the sentence gives what `asked_form` named; a sentence that asks ("So which is better?") gives
    nothing."""
    return not sentence.rstrip().endswith("?") and bool(_STATED_FORMS[form].search(sentence))


def asks_whether(question: str) -> bool:
    """Whether the question asks whether something is so (a yes-or-no question)."""
    return bool(_ASKS_WHETHER.search(question))


def says_yes_or_no(sentence: str) -> bool:
    return bool(_SAYS_YES_OR_NO.match(sentence))


_ASKS_HOW_TO = re.compile(r"\bhow\s+(?:do|can|could|should|would|must|to)\b", re.IGNORECASE)
# "To make changes manually, follow these steps: first, …", "The steps are:", "Do the following."
_ANNOUNCES_STEPS = re.compile(r"\bfollow\s+(?:these|the\s+following)\s+steps\b|\bthe\s+steps\s+are\b"
                              r"|\bdo\s+the\s+following\b", re.IGNORECASE)
_NEXT_STEP = re.compile(r"^\W*(?:then|next|after\s+that|afterwards|finally|lastly|second(?:ly)?|third(?:ly)?)\b",
                        re.IGNORECASE)


def asks_how_to(question: str) -> bool:
    """Whether a question asks how to do something ("How do I …?", "how can I do that safely?")."""
    return bool(_ASKS_HOW_TO.search(question))


def announces_steps(sentence: str) -> bool:
    return bool(_ANNOUNCES_STEPS.search(sentence))


def is_next_step(sentence: str) -> bool:
    """Whether a sentence goes on with steps begun before it ("Then, edit the zone file.", "Finally, …")."""
    return bool(_NEXT_STEP.match(sentence))


def asks_way_or_reason(question: str) -> bool:
    """Whether a question asks how to do something, why, where a thing comes from, or whether it is so."""
    return bool(_ASKS_WAY_OR_REASON.search(question))


def refers_back(sentence: str) -> bool:
    """Whether a sentence opens by pointing back at the one before it, so that it goes on with it."""
    return bool(_REFERS_BACK.search(sentence))


def asked_definition(question: str) -> str | None:
    """The term a question asks the meaning of, case folded ("tech transfer" of "What does tech transfer
    mean here?"), or None."""
    found = _ASKS_DEFINITION.search(question)
    if not found:
        return None
    term_ = next(g for g in found.groups() if g).casefold()
    return None if term_ in STOPWORDS else term_


def defines(sentence: str, term_: str) -> bool:
    """Whether a sentence (case folded) glosses the term: "X (…)", "X and Y (…)", "X is a / is when …",
    "X means / refers to …", "X: …", or spells it out before it in brackets ("… Organization (CDMO)").
    "X is not done" uses the term without saying what it is."""
    return term_ in sentence and bool(_gloss_pattern(term_).search(sentence))


@lru_cache(maxsize=256)
def _gloss_pattern(term_: str) -> re.Pattern:
    x = re.escape(term_)
    return re.compile(
        rf"(?<![\w-]){x}(?![\w-])[\"”’']?(?:(?:\s+(?:and|or)\s+[\w-]+(?:\s+[\w-]+){{0,2}})?\s*\("
        rf"|\s+(?:is|are)\s+(?:an?|the|one|any|when|where|what|how|used|called|defined|known)\b"
        rf"|\s+(?:means?|shall\s+mean|refers?\s+to|stands?\s+for)\b)|\(\s*{x}s?\s*\)"
        # a glossary's entry, the term first: "X: …", "X — …", "“Definitely lost”. This means …" (not a
        # program's output in the middle of a listing: "… definitely lost: 16 bytes")
        rf"|^\W{{0,3}}{x}[\"”’'*]*(?:\s*[:–—]|\.)\s")


_PATH = re.compile(r"(?<![\w/.~-])/[\w.<>-]+(?:/[\w.<>-]+)*")


def paths_in(text: str) -> list[str]:
    """Absolute paths as written in `text`, case folded, without a closing dot: "/usr/share/man", "/tmp"."""
    found = (p.rstrip("./").casefold() for p in _PATH.findall(text))
    return list(dict.fromkeys(p for p in found if len(p) > 1))


@lru_cache(maxsize=256)
def path_as_written(path: str) -> re.Pattern:
    """A path where it stands as written, not inside a longer one: "/tmp", not in "/var/tmp", "/tmp/x" or
    the placeholder path "/tmp<qual>"."""
    return re.compile(rf"(?<![\w/.-]){re.escape(path)}(?![\w/<-])")


_SHORT_OPTION = re.compile(r"(?<![\w-])-[A-Za-z0-9](?![\w-])")


def short_options(text: str) -> list[str]:
    """One-letter command-line options as written: "-i" of "what does debmake -i do?" (no term holds them)."""
    return list(dict.fromkeys(_SHORT_OPTION.findall(text)))


OPERATOR_MARKS = "<>|&=!~^%*+$"  # what operators are made of: "==", "<<<", "&&"
_OPERATOR = re.compile(rf"(?<![\w{re.escape(OPERATOR_MARKS)}])[{re.escape(OPERATOR_MARKS)}]{{2,4}}"
                       rf"(?![\w{re.escape(OPERATOR_MARKS)}])")


def is_operator(token: str) -> bool:
    return bool(token) and all(mark in OPERATOR_MARKS for mark in token)


def operators_in(text: str) -> list[str]:
    """Operators of two marks or more standing alone, as typed: "==" and "===" of "what's the difference
    between == and === in a filter?" (no term holds marks)."""
    return list(dict.fromkeys(_OPERATOR.findall(text)))


@lru_cache(maxsize=256)
def operator_as_written(operator: str) -> re.Pattern:
    """An operator where it stands whole: "==", not inside "===" or "!=="."""
    marks = re.escape(OPERATOR_MARKS)
    return re.compile(rf"(?<![{marks}]){re.escape(operator)}(?![{marks}])")


_NUMBER_NAMED = re.compile(r"(?<![\w.,-])\d{2,4}(?![\w%-]|[.,]\d)")


def numbers_named(text: str) -> list[str]:
    """Numbers of two to four digits a question names as a code or a label ("exit code 23", "error 404"),
    not amounts or versions ("30%", "1.5", "3,000")."""
    return _NUMBER_NAMED.findall(text)


_CAPITAL_PHRASE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9_]+(?:[ \t]+[A-Z][A-Z0-9_]+)*(?![\w-])")


def capital_phrases(text: str) -> list[str]:
    """Keywords in capitals, as a manual sets a keyword or a value: a run of words ("SET NULL", "BEGIN
    IMMEDIATE"); not a word alone ("QEMU", "NUT"), which names a thing many sentences may open with."""
    return [phrase for phrase in _CAPITAL_PHRASE.findall(text) if " " in phrase]


@lru_cache(maxsize=256)
def _labelled_by(label: str) -> re.Pattern:
    bullet, after = r"\s*(?:[-*\u2022\u00b7o]\s+)?", r"\s*(?:(?:[-\u2013\u2014:.)|]|\s{2,}|\t)\s*\S|\Z)"
    return re.compile(bullet + re.escape(label) + after, re.IGNORECASE)


def is_labelled_by(text: str, labels: list[str]) -> bool:
    """Whether a sentence opens with one of the labels, maybe after a bullet (groff sets "o"), or is the label
    alone over its description: an entry of a list of codes or keywords ("23 - Partial transfer due to
    error", "404  Not Found", "SET NULL: If the configured action is …", a table row "SET NULL | …", a
    variable's term line "HISTCONTROL")."""
    return any(_labelled_by(label).match(text) for label in labels)


_CAPITAL_NAME = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{4,}(?![\w-])")  # "HISTCONTROL", "$INPUTRC", "SRANDOM"


def capital_names(text: str) -> list[str]:
    """Names written in capitals, five characters or more, that are no word of the language (a variable or
    setting of a manual: "HISTCONTROL", not "RANDOM", which case folded is any "random"), case folded."""
    return [name.casefold() for name in _CAPITAL_NAME.findall(text) if not is_english_word(name)]


def names_written_as_code(text: str) -> list[str]:
    """What the text names as written, which no term holds whole: names joined by hyphens or dots
    ("info-gnu") and absolute paths ("/tmp"), case folded, one-letter options as typed ("-i", not "-I"), and
    operators ("===")."""
    return compound_tokens(text) + paths_in(text) + short_options(text) + operators_in(text)


@lru_cache(maxsize=256)
def option_as_written(option: str) -> re.Pattern:
    """An option or a joined name where it stands whole: "-i", not in "-it", "multi-instance" or "--i";
    "--partial", not in "--partial-dir"."""
    return re.compile(rf"(?<![\w-]){re.escape(option)}(?![\w-])")


def code_tokens(text: str) -> list[str]:
    """The options, identifiers and file names written as code in `text`: "--checksum", "LC_ALL" (also where
    the text prints its dashes as minus signs, as groff does: "−−skip−read−cache")."""
    return _CODE.findall(plain_dashes(text))


# the dashes a typesetter prints for a hyphen-minus (groff's "\-" is U+2212 MINUS SIGN; U+2010 HYPHEN, U+2011
# NON-BREAKING HYPHEN): a user types "-" for each
_TYPESET_DASHES = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-"})


def plain_dashes(text: str) -> str:
    """The text with a typesetter's minus signs and hyphens as the hyphen-minus a user types; same length."""
    return text.translate(_TYPESET_DASHES)
