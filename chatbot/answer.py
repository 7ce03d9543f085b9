"""Pure: Hits -> Reply. Quotes source sentences with exact citations, or says honestly that
the documents do not cover the question. No model, no I/O: easy to test and to reason about.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .chunking import is_entry_header, is_note_mark
from .corpus import PATH_SEPARATOR
from .readers.manual_page import CHANGE_BAR
from .readers.text import COMMENT_MARK, is_comment_prose
from .records import NOT_AN_ANSWER, Block, Citation, Document, Hit, Passage, Reply, Sentence
from .text import (
    STOPWORDS,
    announces_steps,
    asked_amount,
    asked_definition,
    asked_form,
    asks_how_to,
    asks_way_or_reason,
    asks_whether,
    compound_tokens,
    defines,
    is_next_step,
    plain_dashes,
    refers_back,
    says_yes_or_no,
    states_amount,
    states_form,
    terms,
)
from .text_tables import read_across, whole_rows


@dataclass(frozen=True)
class AnswerSettings:
    # Confidence gates, calibrated on eval/questions.jsonl (see `chatbot eval`):
    sure_dense: float = 0.50  # cosine at which the best passage is trusted on its own
    sure_sentence: float = 0.50  # ... or at which one of its sentences is (a long passage dilutes its own cosine)
    min_dense: float = 0.15  # below this cosine nothing is trusted
    certain_sentence: float = 0.75  # ... unless a sentence is this close: a long table dilutes its cosine (dev)
    min_coverage: float = 0.40  # between the two, the passage must hold this share of the question's terms
    standout_lead: float = 0.15  # ... or stand this far above other sections' best
    standout_coverage: float = 0.2  # ... while holding at least this share
    amount_margin: float = 0.12  # "how many …?": a sentence stating one may score this far below the best (dev)
    amount_passage_margin: float = 0.06  # ... or be the best of a passage ranked this close ...
    amount_closer: float = 0.05  # ... and this much closer to the question in meaning (dev)
    # sentences on from the chosen one, in its paragraph, that a "how long / how many" may reach for its amount
    amount_reach: int = 3
    release_margin: float = 0.12  # "… in Postfix 2.1?": the passage naming 2.1 may score this far below the best
    named_lead: float = 0.10  # a question naming what no document mentions: the passage must also stand out
    sentence_margin: float = 0.10  # keep sentences scoring within this of the best one
    restating: float = 0.75  # a chosen sentence holding this share of the question's terms restates it (dev)
    max_sentences: int = 3
    min_answer_words: int = 4  # quotes all shorter than this are bare terms, not an answer
    bare_best_margin: float = 0.25  # ... and the next passage answers instead if it scores this close (dev)
    gloss_margin: float = 0.10  # "what does X mean?": a passage glossing X this far below the best is quoted instead
    standout_item: float = 0.10  # a list item this far above the median answers on its own
    max_items: int = 8
    pointer_sections: int = 3  # how many covered topics an out-of-scope reply names
    # The learned confidence (chatbot/confidence.py) a reply needs besides the rules above: low, since on the
    # dev splits every higher floor traded more right answers for refusals (README); 0.05 refuses five more
    # questions the documents do not answer over the blind testers' turns, and costs one follow-up
    min_confidence: float = 0.05
    # ... and a question with a word the documents never use (Engine.lacks_a_word_of) this much (dev)
    min_confidence_lacking_word: float = 0.25
    # ... unless the best passage is this close in meaning: a word of the user's own ("snooping", "stick with")
    # does not outweigh a clear winner (blind testers' turns; no development split moved)
    clear_dense: float = 0.70
    # ... or this close while it stands `standout_lead` above every other section: "wipe" in "how do I wipe
    # everything in my workspace?" is the user's word for what "7.3 How can I clean up my workspace?" answers
    clear_standout_dense: float = 0.55


def _rival(hits: Sequence[Hit]) -> Hit | None:
    """The best hit from another section than the best hit's, if any."""
    top = hits[0].passage
    return next((h for h in hits[1:] if (h.passage.doc, h.passage.section_index) != (top.doc, top.section_index)),
                None)


def lead(hits: Sequence[Hit]) -> float:
    """How far the best hit stands above the best hit from another section: a specific match
    stands out, a question the documents do not cover matches many passages about equally."""
    rival = _rival(hits)
    return hits[0].topic_score - (rival.topic_score if rival is not None else 0.0)


def is_confident(hits: Sequence[Hit], settings: AnswerSettings = AnswerSettings(), names_unknown: bool = False,
                 confidence: float | None = None, lacks_word: bool = False) -> bool:
    """Whether the best hit is trustworthy enough to quote as an answer. `names_unknown`: the question
    names something the documents never mention ("WireGuard"), so closeness in meaning alone is not
    enough: the passage must hold the question's other terms, or stand out on them. `confidence`: the
    learned estimate that the best hit is right, which must reach `settings.min_confidence`, or
    `min_confidence_lacking_word` when the question has a word the documents never use (`lacks_word`) and
    the best passage is no clear winner in meaning (`clear_dense`, or `clear_standout_dense` standing
    `standout_lead` above the other sections)."""
    if not hits:
        return False
    best = hits[0]
    lacks_word = lacks_word and best.dense < settings.clear_dense and not (
        best.dense >= settings.clear_standout_dense and _rival(hits) is not None
        and lead(hits) >= settings.standout_lead)
    floor = max(settings.min_confidence, settings.min_confidence_lacking_word if lacks_word else 0.0)
    if confidence is not None and confidence < floor:
        return False
    if not names_unknown and (best.dense >= settings.sure_dense or (
            best.dense >= settings.min_dense and best.sentence_cosine >= settings.sure_sentence)):
        return True
    if not names_unknown and best.sentence_cosine >= settings.certain_sentence:
        return True
    if best.dense < settings.min_dense:
        return False
    ahead = lead(hits)
    if names_unknown and ahead < settings.named_lead:  # it shares the other words with many places, not one
        return False
    return best.coverage >= settings.min_coverage or (
        best.coverage >= settings.standout_coverage and ahead >= settings.standout_lead)


def glosses_asked_term(passage: Passage, question: str) -> bool:
    """Whether the question asks what a term means and the passage glosses that very term ("Scale-up and
    tech transfer (moving from lab to manufacturing scale)" for "what is tech transfer?"):
    then the documents answer it, however far the rest of the passage is from the question."""
    asked = asked_definition(question) if question else None
    return bool(asked) and (_headed_by(passage, asked)
                            or any(defines(passage.text_of(s).casefold(), asked) for s in passage.sentences))


def _headed_by(passage: Passage, term_: str) -> bool:
    """Whether the term heads an entry of the passage ("findtime" over "time interval … before the current
    time …"), as a manual page, a definition list or a glossary sets it: whatever the entry says glosses it."""
    title = passage.section.strip().casefold()
    # an option's entry names its argument too: "--user user" is the entry of "--user"
    headed = title == term_ or (term_.startswith("-") and title.split()[:1] == [term_])
    return headed and bool(passage.sentences) or _entry_of(passage, term_) is not None


def _entry_of(passage: Passage, term_: str) -> int | None:
    """The sentence that is the term alone, over a sentence that describes it (not another term: "brace
    expansion" over "tilde expansion" is a list of names); None when there is none."""
    sentences = passage.sentences
    return next((i for i in range(len(sentences) - 1)
                 if passage.text_of(sentences[i]).strip().rstrip(":").casefold() == term_
                 and len(passage.text_of(sentences[i + 1]).split()) >= AnswerSettings.min_answer_words), None)


def _the_entry_asked(passage: Passage, question: str) -> list[Sentence]:
    """For "what is X?", the entry X heads in the passage, as a term over its description: both."""
    asked = asked_definition(question) if question else None
    if not asked:
        return []
    i = _entry_of(passage, asked)
    if i is not None:
        return list(passage.sentences[i:i + 2])
    # the entry's heading is the term: its first sentence says what it is
    return [passage.sentences[0]] if _headed_by(passage, asked) else []


def glossing_first(hits: Sequence[Hit], question: str, settings: AnswerSettings = AnswerSettings()) -> Sequence[Hit]:
    """For "what does X mean?", a passage that glosses X ahead of a better-scoring one that only uses it,
    when it scores nearly as well (a licence's "“Contributor” means …" under "Each Contributor represents …")."""
    asked = asked_definition(question)
    if not hits or not asked or _headed_by(hits[0].passage, asked):
        return hits
    # the term's own entry is found by its heading, however its text scores against a passage that only
    # glosses the term in passing ("… additionally to ignoreself (if true) …")
    entries = [i for i, hit in enumerate(hits) if _headed_by(hit.passage, asked)]
    entry = None
    if entries:
        # of the best entry's passages in its document the first, which says what it is ("Change the user ID
        # …" before "It is not recommended to actually use that user …")
        doc = hits[entries[0]].passage.doc
        entry = min((i for i in entries if hits[i].passage.doc == doc), key=lambda i: hits[i].passage.start)
    if entry is None and not glosses_asked_term(hits[0].passage, question):
        entry = next((i for i, hit in enumerate(hits[1:], 1) if hit.score >= hits[0].score - settings.gloss_margin
                      and glosses_asked_term(hit.passage, question)), None)
    return hits if entry is None else [hits[entry], *hits[:entry], *hits[entry + 1:]]


# a name with the number of one of its releases or kinds: "Debian 12", "Python 3.11", "RAID 5" (not "Section 3")
_NAMED_NUMBER = re.compile(r"\b(?!(?:Section|Chapter|Table|Figure|Page|Part|Appendix|Step|Example|Option|Question)\b)"
                           r"([A-Z][\w+]*)\s+v?(\d+(?:\.\d+)*)(?![\w-]|\.\d)")


def lacks_a_number_named(passage: Passage, question: str, title: str = "") -> bool:
    """Whether the question names a release of something ("how many packages are in Debian 12?") that the
    passage speaks of, under that name, without ever giving that number, in its text, its headings or its
    document's title: it is then about another release (the count of Debian 5's packages)."""
    where = f"{title}\n{passage.path or passage.section}\n{passage.text}"
    for name, number in _NAMED_NUMBER.findall(question):
        if re.search(rf"\b{re.escape(name)}\b", where, re.IGNORECASE) and \
                not re.search(rf"(?<![\w.,]){re.escape(number)}(?!\w|[.,]\d)", where):  # not "12,000"
            return True
    return False


def states_what_is_asked(passage: Passage, chosen: Sequence[Sentence], question: str) -> bool:
    """Whether the sentences to quote give the kind of thing the question asks for: "how long / how
    many / how often …?" wants an amount, and sentences that state none do not answer it, however close
    they are in topic ("how often is there a new release?" against a sentence about releases)."""
    kind = asked_amount(question)
    if kind is None:
        return True
    return any(states_amount(passage.text_of(s), kind) for s in chosen)


def sentence_stating_amount(hits: Sequence[Hit], chosen: Sequence[Sentence], question: str,
                            settings: AnswerSettings = AnswerSettings()) -> tuple[Hit, list[Sentence]] | None:
    """For a "how long / how many …?" whose `chosen` sentences state no amount: the chosen ones with
    a sentence beside them that states one ("… within five business days" after "the FSF sends the
    papers"), else the best-scoring sentence that states one, in the best passage or another passage of
    its section, if it scores nearly as well as the best sentence ("call it 4.5.90"), or in another
    section, if it scores as well."""
    kind = asked_amount(question) or "number"
    top = hits[0].passage
    best_score = max(hits[0].sentence_scores, default=0.0)
    chosen = {top.sentences.index(s) for s in chosen}
    # beside it in its paragraph: across a blank line stands another entry's ("The default is 0." ends the
    # entry above "timestamp_timeout", whose own default is 15)
    beside = sorted({i + step for i in chosen for step in (-1, 1)
                     if 0 <= i + step < len(top.sentences) and not _parted(top, min(i, i + step))} - chosen)
    stating = [i for i in beside if hits[0].sentence_scores[i] > NOT_AN_ANSWER
               and states_amount(_sentence_text(top, i), kind)]
    if stating:  # the amount is often told right next to the sentence that matches the question
        return hits[0], [top.sentences[i] for i in sorted(chosen | set(stating))]
    last = max(chosen, default=len(top.sentences))
    for j in range(last + 1, min(len(top.sentences), last + 1 + settings.amount_reach)):
        if _parted(top, j - 1) or hits[0].sentence_scores[j] <= NOT_AN_ANSWER:
            break
        if states_amount(_sentence_text(top, j), kind):  # or further on in its paragraph: a manual's entry
            # says what the setting is, how it may be written, then its default ("The default is 15.")
            return hits[0], [top.sentences[i] for i in sorted(chosen | set(range(last + 1, j + 1)))]
    found = []
    for hit in hits:
        # in the best passage's section a sentence may score a little below its best one; in another section
        # it must score at least as well ("The password must have a length of at least 5 characters", two
        # passages down, under a long section that dilutes its passage's cosine)
        same_section = (hit.passage.doc, hit.passage.section_index) == (top.doc, top.section_index)
        floor = best_score - settings.amount_margin if same_section else best_score
        # ... or it is the best of a passage ranked close to the best one and clearly closer to the question in
        # meaning, not far below the best sentence ("The default is lz4 …", opening "Backup compression", under
        # the --compression option's entry in a table)
        if hit.score >= hits[0].score - settings.amount_passage_margin \
                and hit.dense >= hits[0].dense + settings.amount_closer:
            its_best = max(hit.sentence_scores, default=floor)
            floor = min(floor, max(its_best, best_score - settings.amount_margin))
        for i, score in enumerate(hit.sentence_scores):
            if score >= floor and states_amount(_sentence_text(hit.passage, i), kind):
                found.append((score, hit, i))
    if not found:
        return None
    _, hit, i = max(found, key=lambda f: f[0])
    return hit, [hit.passage.sentences[i]]


def _between(passage: Passage, earlier: Sentence, later: Sentence) -> str:
    """The passage's text between two of its sentences (spaces, line breaks, a list's marks)."""
    return passage.text[earlier.end - passage.start:later.start - passage.start]


def _parted(passage: Passage, i: int) -> bool:
    """Whether a blank line stands between sentence i and the next: they are in two blocks."""
    return _between(passage, passage.sentences[i], passage.sentences[i + 1]).count("\n") >= 2


def section_title(passage: Passage) -> str:
    return passage.section


_BOILERPLATE = re.compile(r"(?:\d+(?:\.\d+)*\.?\s+)?(?:see also|copyright(?: and licen[cs]e)?|licen[cs]e|authors?|"
                         r"reporting bugs|bugs|availability|colophon|acknowledge?ments?)", re.IGNORECASE)


def out_of_scope(hits: Sequence[Hit], covered: Sequence[str], settings: AnswerSettings = AnswerSettings(),
                 label_of: Callable[[Passage], str] = section_title) -> Reply:
    """No citations; a pointer to what the documents do cover (nearest topics first, each named by
    `label_of` its passage)."""
    topics: dict[str, None] = {}  # the first few distinct titles: stop there, however large the corpus
    for title in itertools.chain((label_of(h.passage) for h in hits), covered):
        if _BOILERPLATE.fullmatch(title.rsplit("›", 1)[-1].strip()):
            continue  # "SEE ALSO", "COPYRIGHT AND LICENSE": a manual's back matter says what else to read, no topic
        topics.setdefault(title)
        if len(topics) == settings.pointer_sections:
            break
    shown = "; ".join(f"“{t}”" for t in topics)
    text = "That is not in these documents, so I can't answer it from them."
    if shown:
        text += f" They do cover, for example: {shown}."
    return Reply("out_of_scope", text)


def select_sentences(hit: Hit, settings: AnswerSettings = AnswerSettings(),
                     question_terms: frozenset[str] | None = None, names: Sequence[str] = ()) -> list[Sentence]:
    """The sentences of the hit's passage that answer: the best prose sentences and, for a list,
    its lead line with either the standout items or all of them. With `question_terms`, an item
    stands out only if it holds a question word that the list's lead line and heading lack: "what
    risks …?" under a heading about risks asks for the whole list, "what is dependency risk?" for one."""
    passage, scores = hit.passage, hit.sentence_scores
    if not scores:
        return list(passage.sentences)
    prose = [i for i, s in enumerate(passage.sentences) if not s.is_list_item and scores[i] > NOT_AN_ANSWER]
    chosen: set[int] = set()
    if prose:
        best = max(scores[i] for i in prose)
        ranked = sorted((i for i in prose if scores[i] >= best - settings.sentence_margin), key=lambda i: -scores[i])
        chosen.update(ranked[: settings.max_sentences])
    answering = frozenset(chosen)
    for items in _lists(passage):  # each list with its own lead line: "… try:" over a command further down
        _add_list(passage, scores, items, answering, prose, chosen, settings, question_terms)
    chosen.update(_items_announced(passage, chosen, settings))
    for i in sorted(chosen):  # a bare term ("/dev/zero", a definition list's term) reads with what explains it,
        # and so does the entry of a name the question asks about ("void sha256_init (…) | [Function]")
        following = i + 1
        text = _sentence_text(passage, i).strip()
        entry = passage.sentences[i].is_list_item and any(name in text.casefold() for name in names)
        if ((_is_bare_term(text, settings) or (entry and not text.endswith(_CLOSING_MARKS))
             or _is_run_in_heading(passage, i))
                and following < len(passage.sentences) and not passage.sentences[following].is_list_item
                and scores[following] > NOT_AN_ANSWER):
            chosen.add(following)
        elif (_runs_on(text) and following < len(passage.sentences) and scores[following] > NOT_AN_ANSWER
              and not passage.sentences[i].is_list_item
              and not (text.endswith(":") and passage.sentences[following].is_list_item)):  # a list's lead:
            # which of its items answer is the list's business (above)
            chosen.add(following)  # "you can delete the branch with" / "$ git branch -D crazy-idea"
        if _defines_the_term_above(passage, i, scores, settings):
            chosen.add(i - 1)  # "This tag says to not run any test suite" reads with its term, "nocheck"
    return [passage.sentences[i] for i in sorted(whole_rows(passage, chosen))]


def with_its_yes_or_no(passage: Passage, chosen: Sequence[Sentence], scores: Sequence[float]) -> list[Sentence]:
    """Asked whether something is so, the passage's own "Yes, …" or "No, …" with the chosen sentences: it
    answers in a word, where the sentences about the case score higher ("Yes, Borg supports resuming
    backups." under "If a backup stops mid-way, does the already-backed-up data stay there?")."""
    replies = _yes_or_no_rows(passage, scores)
    if not replies or any(says_yes_or_no(passage.text_of(s)) for s in chosen):
        return list(chosen)
    reply = max(replies, key=lambda i: scores[i])
    return sorted({*chosen, passage.sentences[reply]}, key=lambda s: s.start)


def _saying_yes_or_no(best: Hit, hits: Sequence[Hit]) -> Hit:
    """Asked whether something is so, the passage of the best one's section that says "Yes, …" or "No, …",
    where the best one does not: a section split into passages may answer in its first ("No, PTP is not
    supported …") and match the question's words best in its second ("… chrony can use PTP as a transport")."""
    if _yes_or_no_rows(best.passage, best.sentence_scores):
        return best
    section = (best.passage.doc, best.passage.section_index)
    return next((h for h in hits if (h.passage.doc, h.passage.section_index) == section
                 and _yes_or_no_rows(h.passage, h.sentence_scores)), best)


def _yes_or_no_rows(passage: Passage, scores: Sequence[float]) -> list[int]:
    """The passage's sentences that say "Yes, …" or "No, …" and may answer; none without a score for each
    sentence (nothing to weigh them by)."""
    if len(scores) != len(passage.sentences):
        return []
    return [i for i, s in enumerate(passage.sentences)
            if says_yes_or_no(passage.text_of(s)) and scores[i] > NOT_AN_ANSWER]


def with_the_reverse_step(passage: Passage, chosen: Sequence[Sentence], scores: Sequence[float],
                          settings: AnswerSettings = AnswerSettings()) -> list[Sentence]:
    """Asked how to undo or stop something, the passage's sentence that tells the reverse step ("There is a
    corresponding --drop-arch option that removes …") with the chosen ones, when it scores nearly as well:
    the sentences that tell the step itself share more of the question's words."""
    if len(scores) != len(passage.sentences) or any(states_form(passage.text_of(s), "reversal") for s in chosen):
        return list(chosen)
    best = max((scores[passage.sentences.index(s)] for s in chosen), default=0.0)
    reverse = [i for i, s in enumerate(passage.sentences) if scores[i] >= best - settings.sentence_margin
               and not s.is_list_item and states_form(passage.text_of(s), "reversal")]
    if not reverse:
        return list(chosen)
    step = max(reverse, key=lambda i: scores[i])
    return sorted({*chosen, passage.sentences[step]}, key=lambda s: s.start)


def with_the_remedy(passage: Passage, chosen: Sequence[Sentence], scores: Sequence[float]) -> list[Sentence]:
    """Asked how to recover from or work around something, the passage's first sentence after the chosen ones
    that tells the remedy ("The solution to this is to add 2147483647 …"): a text sets the problem out in the
    question's own words, which then score best, and tells the fix after it in words of its own."""
    if not chosen or len(scores) != len(passage.sentences) \
            or any(states_form(passage.text_of(s), "remedy") for s in chosen):
        return list(chosen)
    last = max(passage.sentences.index(s) for s in chosen)
    remedy = next((i for i in range(last + 1, len(passage.sentences)) if scores[i] > NOT_AN_ANSWER
                   and states_form(passage.text_of(passage.sentences[i]), "remedy")), None)
    return list(chosen) if remedy is None else sorted({*chosen, passage.sentences[remedy]}, key=lambda s: s.start)


def with_the_steps(passage: Passage, chosen: Sequence[Sentence], scores: Sequence[float],
                   settings: AnswerSettings = AnswerSettings()) -> list[Sentence]:
    """Asked how to do something, the steps the passage gives, whole: the sentence that announces them ("To
    make changes to a dynamic zone manually, follow these steps: first, …") and those that go on with them
    ("Then, edit the zone file.", "Finally, run …"). A sentence about the case ("The zone files cannot
    normally be edited by hand …") holds more of the question's words, so the steps score a little lower;
    they are quoted when they score within twice the usual margin of the best."""
    if not chosen or len(scores) != len(passage.sentences):
        return list(chosen)
    best = max(scores[passage.sentences.index(s)] for s in chosen)
    texts = [passage.text_of(s) for s in passage.sentences]
    announcing = [i for i, text in enumerate(texts) if announces_steps(text) and not passage.sentences[i].is_list_item
                  and scores[i] >= best - 2 * settings.sentence_margin]
    if not announcing:
        return list(chosen)
    first = max(announcing, key=lambda i: scores[i])
    last = first
    while True:  # a step may have a sentence of its own between it and the next ("This updates the zone file …")
        going_on = next((j for j in (last + 1, last + 2) if j < len(texts) and is_next_step(texts[j])), None)
        if going_on is None or any(scores[j] <= NOT_AN_ANSWER for j in range(last + 1, going_on + 1)):
            break
        last = going_on
    return sorted({*chosen, *passage.sentences[first:last + 1]}, key=lambda s: s.start)


def with_what_follows(passage: Passage, chosen: Sequence[Sentence]) -> list[Sentence]:
    """The chosen sentences, each followed by the next sentence of its paragraph where that one opens by
    pointing back at it. Asked how or why, a text often sets the case up in words like the question's
    ("The default speech rate is quite slow.") and answers in the next sentence, in words of its own
    ("To make it faster, press CapsLock+6."), which then scores lower than the set-up."""
    return _with_neighbours(passage, chosen, step=1)


# a sentence that opens by qualifying the one before: "Unfortunately, it does not currently work …",
# "However, …", "If not specified, the default is 2"
_QUALIFIES = re.compile(r"^\W*(?:however|but|unfortunately|nevertheless|nonetheless|except|although|though|beware|"
                        r"caution|warning|note\s+that|if\s+not\b|otherwise|contrary\s+to|in\s+contrast|despite)\b",
                        re.IGNORECASE)


def with_its_qualification(passage: Passage, chosen: Sequence[Sentence]) -> list[Sentence]:
    """The chosen sentences, each followed by the next sentence of its paragraph where that one qualifies it
    ("Database::reopen() is usually an efficient way …" / "Unfortunately, it does not currently work … with
    databases being updated by replication"): quoted without it, the claim says more than the text does."""
    sentences = passage.sentences
    qualified = [s for s in chosen if (j := sentences.index(s) + 1) < len(sentences)
                 and _QUALIFIES.search(passage.text_of(sentences[j]))]
    return sorted({*chosen, *_with_neighbours(passage, qualified, step=1, pointing_back=False)},
                  key=lambda s: s.start)


_SUPPOSES = re.compile(r"^\W*(?:suppose|supposing|imagine|assume|assuming|let['’]?s\s+say|say\s+(?:you|that)|"
                       r"consider\s+(?:a|an|the)\s+(?:case|situation|scenario))\b", re.IGNORECASE)


def with_what_a_supposition_leads_to(passage: Passage, chosen: Sequence[Sentence]) -> list[Sentence]:
    """The chosen sentences, each that only sets a case up ("Suppose a laptop computer containing a client
    key and certificate was stolen.") followed by the sentences of its paragraph up to the first that is no
    supposition ("By adding the stolen certificate to the CRL file, you could reject any connection …"): a
    case alone answers nothing, and it holds the question's words, so it is what scores best."""
    sentences, out = passage.sentences, set(chosen)
    for sentence in chosen:
        i = sentences.index(sentence)
        while _SUPPOSES.search(passage.text_of(sentences[i])) and i + 1 < len(sentences) \
                and not sentences[i + 1].is_list_item \
                and "\n\n" not in _between(passage, sentences[i], sentences[i + 1]):
            i += 1
            out.add(sentences[i])
    return sorted(out, key=lambda s: s.start)


def with_what_they_point_back_to(passage: Passage, chosen: Sequence[Sentence]) -> list[Sentence]:
    """The chosen sentences, each that opens by pointing back ("It was the first DebConf in Africa.") preceded
    by the sentence of its paragraph it points to, so that the quote says what "it" is."""
    return _with_neighbours(passage, chosen, step=-1)


def with_what_follows_a_restatement(passage: Passage, chosen: Sequence[Sentence], question: str,
                                    settings: AnswerSettings = AnswerSettings()) -> list[Sentence]:
    """The chosen sentences, each that restates the question (holds most of its words) followed by the next
    sentence of its paragraph: a text sets the case up in the question's words and answers in the next
    sentence ("The AuthName directive sets the Realm …" / "The realm serves two major functions."; "Bouncing
    and forwarding let you send an existing message …" / "Bouncing is done using …")."""
    asked = set(terms(question))
    if not asked:
        return list(chosen)
    restating = [s for s in chosen if len(asked & set(terms(passage.text_of(s)))) >= settings.restating * len(asked)]
    return sorted({*chosen, *_with_neighbours(passage, restating, step=1, pointing_back=False)}, key=lambda s: s.start)


def with_the_answer_to_a_question(passage: Passage, chosen: Sequence[Sentence]) -> list[Sentence]:
    """The chosen sentences, each that is itself a question followed by the passage's next sentence: a
    question the text asks (an FAQ entry's question that no reader took for a heading, "Does hwclock have
    to be disabled?") matches the user's best and answers nothing; what follows it does."""
    sentences, out = passage.sentences, set(chosen)
    for sentence in chosen:
        j = sentences.index(sentence) + 1
        text = passage.text_of(sentence)
        if (text.rstrip().endswith("?") or _QUESTION_LABEL.match(text)) and j < len(sentences):
            out.add(sentences[j])
    return sorted(out, key=lambda s: s.start)


# an FAQ's question labelled as one, though it ends in a full stop: "Q. When I have a red edge it shows up as a
# solid red in PNG and GIF formats, but has a black border when rendered to JPEG."
_QUESTION_LABEL = re.compile(r"\s*(?:Q|Question)\s*[.:]\s")


def with_the_sentence_between(passage: Passage, chosen: Sequence[Sentence]) -> list[Sentence]:
    """The chosen sentences and any one sentence that stands alone between two of them (no list item or list
    lead among the three): a quote with a hole of one sentence reads as cut, and the hole is often what
    answers ("Line 12 is the short description." / [its length limit] / "Line 13 is where the long …")."""
    sentences, out = passage.sentences, set(chosen)
    rows = sorted(sentences.index(s) for s in chosen)
    for before, after in zip(rows, rows[1:], strict=False):
        if after - before == 2 and not any(sentences[k].is_list_item for k in (before, before + 1, after)) \
                and not _sentence_text(passage, after).rstrip().endswith(":"):  # a list's lead goes with its list
            out.add(sentences[before + 1])
    return sorted(out, key=lambda s: s.start)


def with_what_it_announces(passage: Passage, chosen: Sequence[Sentence], scores: Sequence[float],
                           settings: AnswerSettings = AnswerSettings(), document: Document | None = None
                           ) -> list[Sentence]:
    """The chosen sentences and, after the last of each run when it announces what comes next ("It can be used
    as follows.", "This is best shown by an example:"), what it announces: the next block, a list whole (up to
    `max_items`), and a bare term with the sentence under it ("… depending on the value of the CacheQuickHandler
    directive:" / "Quick handler phase" / "This phase happens very early on …"). The steps that add a
    sentence which points back ("It …", "This …") can leave a quote on its lead-in: it then says there is an
    answer and leaves it out. A run that points at what follows in a sentence before its last ("With the
    following simple config file, you forward …. This must be done on the client machine.") gets the code
    block that follows it (`document`: where its code blocks are known), and so does a configuration file's
    comment over the setting it explains ("# This is the root of the Drupal directory." / "root /var/www;")."""
    sentences = passage.sentences
    if len(scores) != len(sentences):
        return list(chosen)
    rows = {sentences.index(s) for s in chosen}

    def code_follows(row: int) -> bool:
        return document is not None and row + 1 < len(sentences) \
            and bool(_code_blocks(document, sentences[row + 1].start, sentences[row + 1].end))

    def points_at_code(row: int) -> bool:  # the run ending at row names "the following …", and code follows
        first = row
        while first - 1 in rows:
            first -= 1
        return any(_POINTS_AHEAD.search(_sentence_text(passage, r)) for r in range(first, row + 1))

    def comments_code(row: int) -> bool:  # a configuration file's comment over the setting it explains
        line_start = document.text.rfind("\n", 0, sentences[row].start) + 1
        return document.text[line_start:sentences[row].start].lstrip().startswith("#")

    def announces(row: int) -> bool:  # the lead-in itself, or a term it announced, on which the quote stops
        text = _sentence_text(passage, row).strip()
        return _runs_on(text) or (_is_bare_term(text, settings) and row - 1 in rows
                                  and _runs_on(_sentence_text(passage, row - 1).strip()))

    ends = [r for r in sorted(rows) if r + 1 not in rows
            and (announces(r) or (code_follows(r) and (points_at_code(r) or comments_code(r))))]
    while ends:
        row = ends.pop()
        following = row + 1
        if following >= len(sentences) or following in rows or scores[following] <= NOT_AN_ANSWER:
            continue
        if sentences[following].is_list_item:  # the list from there on (an item may announce the next ones),
            items = next(items for items in _lists(passage) if following in items)
            announced = items[items.index(following):]
            if not rows.intersection(announced):  # unless the items that answer were chosen among them already
                rows.update(announced[: settings.max_items])
            continue
        rows.add(following)
        text = _sentence_text(passage, following).strip()
        if _is_bare_term(text, settings) or _runs_on(text):  # a term announced reads with what explains it
            ends.append(following)
    return [sentences[r] for r in sorted(whole_rows(passage, rows))]


def without_a_term_left_dangling(passage: Passage, chosen: Sequence[Sentence], document: Document,
                                 settings: AnswerSettings = AnswerSettings()) -> list[Sentence]:
    """The chosen sentences without a bare term that ends a quote after what it does not belong to: the name
    of a manual's next option ("… the -D option should be preferable, like this:" / the command /
    "graphviz_dot_args"), which says nothing without the definition under it. A term that a line ending in
    ":" announces ("To build it, run:" / "make") is what that line points to, and stays; so do a list's
    items and a code block's lines ("fi")."""
    rows = sorted(passage.sentences.index(s) for s in chosen)
    kept = set(rows)
    for i, row in enumerate(rows):
        sentence = passage.sentences[row]
        ends_a_run = i + 1 == len(rows) or rows[i + 1] != row + 1
        bare = not sentence.is_list_item and _is_bare_term(_sentence_text(passage, row).strip(), settings)
        if ends_a_run and row - 1 in kept and (bare or _is_entry_header(document, sentence)) \
                and not _sentence_text(passage, row - 1).rstrip().endswith(":") \
                and not _code_blocks(document, sentence.start, sentence.end):
            kept.discard(row)
    return [passage.sentences[row] for row in sorted(kept)]


def with_the_description_of_a_term(passage: Passage, chosen: Sequence[Sentence], document: Document,
                                   settings: AnswerSettings = AnswerSettings()) -> list[Sentence]:
    """The chosen sentences and, after one that is a term on a line of its own over what describes it (a
    manual page's "string trim string ?chars?", a definition list's term), the description's first
    sentence: the term alone answers nothing. (A term that ends a quote after what it does not belong to is
    left out instead: `without_a_term_left_dangling`.)"""
    out = set(chosen)
    for sentence in chosen:
        row = passage.sentences.index(sentence)
        if row + 1 < len(passage.sentences) and passage.sentences[row + 1] not in out \
                and (row == 0 or passage.sentences[row - 1] not in out) and _is_term_block(document, sentence) \
                and len(_sentence_text(passage, row + 1).split()) >= settings.min_answer_words:
            out.add(passage.sentences[row + 1])  # (not a list of names: "brace expansion" / "tilde expansion")
    return sorted(out, key=lambda s: s.start)


def with_the_term_it_describes(passage: Passage, chosen: Sequence[Sentence], document: Document) -> list[Sentence]:
    """The chosen sentences and, where one stands in the description under a term on a line of its own (a
    manual's "ProtectSystem=" over "Takes a boolean argument … If true, mounts /usr/ read-only …"), that
    term: a quote from the middle of an entry otherwise never named the setting it tells the user to set."""
    out = set(chosen)
    sentences = passage.sentences
    blocks = document.blocks
    for sentence in chosen:
        k = bisect_right(blocks, sentence.start, key=lambda b: b.start) - 1  # the block it stands in
        if k < 1 or blocks[k].kind != "paragraph":
            continue
        term = next((s for s in sentences if (s.start, s.end) == (blocks[k - 1].start, blocks[k - 1].end)), None)
        if term is None or not _is_term_block(document, term):  # an entry's header may head several paragraphs
            term = _entry_header_above(passage, document, k)
        if term is not None and term not in out and _is_term_block(document, term):
            out.add(term)
    return sorted(out, key=lambda s: s.start)


def _entry_header_above(passage: Passage, document: Document, k: int) -> Sentence | None:
    """The header row of the entry whose paragraphs block `k` stands in ("fallback_hosts | Use: smtp | …"
    four paragraphs up), when the passage holds it (chunking starts a passage at each entry's header)."""
    j = _entry_header_index(document, k, since=passage.start)
    return None if j is None else next((s for s in passage.sentences if s.start == document.blocks[j].start), None)


def _entry_header_index(document: Document, k: int, since: int = 0) -> int | None:
    """The index of the header row over the run of paragraphs that block `k` ends, when one heads it and
    starts at `since` or after; None otherwise."""
    blocks = document.blocks
    j = k - 1
    while j >= 0 and blocks[j].start >= since and blocks[j].kind == "paragraph":
        j -= 1
    return j if j >= 0 and blocks[j].start >= since and is_entry_header(document.text, blocks, j) else None


def _is_term_block(document: Document, sentence: Sentence) -> bool:
    """A paragraph of one short line that closes no sentence, or an entry's header row over its description."""
    if _is_entry_header(document, sentence):
        return True
    text = document.text[sentence.start:sentence.end]
    if sentence.is_list_item or "\n" in text or len(text.split()) > 12 \
            or text.rstrip().endswith((".", "!", ":", ";", ",")):  # "string trim string ?chars?" ends in "?"
        return False
    blocks = document.blocks
    i = bisect_left(blocks, sentence.start, key=lambda b: b.start)
    return i < len(blocks) and blocks[i].kind == "paragraph" and (blocks[i].start, blocks[i].end) == \
        (sentence.start, sentence.end)


def _is_entry_header(document: Document, sentence: Sentence) -> bool:
    """The sentence is a table of one row heading the paragraph under it (chunking.is_entry_header)."""
    blocks = document.blocks
    i = bisect_left(blocks, sentence.start, key=lambda b: b.start)
    return i < len(blocks) and blocks[i].start == sentence.start and is_entry_header(document.text, blocks, i)


def _entry_named_above(document: Document, start: int) -> str:
    """The name in the header row of the reference entry whose paragraphs hold `start` ("fallback_hosts",
    four paragraphs up), "" outside one or at the header itself: a quote from an entry's later paragraph
    ("This option provides a “use a smart host only if delivery fails” facility.") then says which option
    it describes in its citation."""
    blocks = document.blocks
    k = bisect_right(blocks, start, key=lambda b: b.start) - 1
    j = _entry_header_index(document, k) if k >= 1 and blocks[k].kind == "paragraph" else None
    return "" if j is None else document.text[blocks[j].start:blocks[j].end].split("|", 1)[0].strip()


def with_the_entrys_first_answer(passage: Passage, chosen: Sequence[Sentence], document: Document) -> list[Sentence]:
    """The chosen sentences and, under a question heading (an FAQ entry), the first sentence of the entry's
    answer where the passage holds it: an FAQ answers in its first sentence ("SQLite does not enforce the
    length of a VARCHAR.", "Elevated privileges are required …") and explains after, in sentences that
    share more of the question's words and so score higher."""
    if not passage.section.rstrip().endswith("?"):
        return list(chosen)
    blocks = document.blocks
    i = bisect_left(blocks, passage.start, key=lambda b: b.start)  # the passage's first block
    if i < len(blocks) and blocks[i].kind == "heading":
        i += 1  # the passage opens with the entry's question
    elif i == 0 or blocks[i - 1].kind != "heading":
        return list(chosen)  # a later passage of the entry
    body = blocks[i] if i < len(blocks) else None
    if body is None or body.kind != "paragraph" or not passage.start <= body.start < passage.end:
        return list(chosen)
    first = next((s for s in passage.sentences if s.start == body.start and not s.is_list_item), None)
    if first is None or first in chosen or passage.text_of(first).rstrip().endswith(("?", ":")):
        return list(chosen)
    return sorted({*chosen, first}, key=lambda s: s.start)


def with_the_sentence_a_listing_splits(passage: Passage, chosen: Sequence[Sentence],
                                       document: Document) -> list[Sentence]:
    """The chosen sentences, each that a code block splits with the rest of that sentence: a lead that stops
    without a full stop before the block ("You detect this when the output from:", "… please ensure that you
    have a valid mdadm.conf and run"), the block, and the part after it that goes on in lower case ("is empty.
    At this point …", "instead of mdrun."). Quoted alone, either part is half a sentence."""
    sentences, out = passage.sentences, set(chosen)
    texts = [passage.text_of(s).strip() for s in sentences]
    code = _code_blocks(document, passage.start, passage.end)

    def is_code(sentence: Sentence) -> bool:
        return any(b.start <= sentence.start and sentence.end <= b.end for b in code)

    def splits(lead: int) -> bool:  # sentence `lead` runs on into the code block after it
        return 0 <= lead and lead + 1 < len(sentences) and not is_code(sentences[lead]) \
            and is_code(sentences[lead + 1]) and not re.search(r"[.!?]['\")”’]?$", texts[lead])

    for sentence in chosen:
        i = sentences.index(sentence)
        if splits(i - 2) and texts[i][:1].islower():  # the rest, after the block
            out |= {sentences[i - 2], sentences[i - 1]}
        if splits(i):  # the lead, before it
            out.add(sentences[i + 1])
            if i + 2 < len(sentences) and texts[i + 2][:1].islower():
                out.add(sentences[i + 2])
    return sorted(out, key=lambda s: s.start)


def _with_neighbours(passage: Passage, chosen: Sequence[Sentence], step: int,
                     pointing_back: bool = True) -> list[Sentence]:
    """The chosen sentences, each with its neighbour `step` away (1: the next, -1: the one before) where the
    later of the two goes on from the earlier: same paragraph, neither a list item, and (`pointing_back`)
    the later pointing back."""
    sentences, out = passage.sentences, list(chosen)
    for sentence in chosen:
        j = sentences.index(sentence) + step
        if not 0 <= j < len(sentences) or sentences[j] in out:
            continue
        earlier, later = (sentence, sentences[j]) if step > 0 else (sentences[j], sentence)
        if not earlier.is_list_item and not later.is_list_item and "\n\n" not in _between(passage, earlier, later) \
                and (not pointing_back or refers_back(passage.text_of(later))):
            out.append(sentences[j])
    return sorted(out, key=lambda s: s.start)


def _lists(passage: Passage) -> list[list[int]]:
    """The passage's lists: each run of adjacent list items, by sentence number."""
    runs: list[list[int]] = []
    for i, sentence in enumerate(passage.sentences):
        if sentence.is_list_item:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    return runs


def _items_announced(passage: Passage, chosen: set[int], settings: AnswerSettings) -> list[int]:
    """The items after each chosen list item that announces them ("If this is to be recorded as a new patch, do
    the following:" over its steps, nested in one list), up to the next item that announces items of its own."""
    sentences, out = passage.sentences, []
    for i in sorted(chosen):
        if sentences[i].is_list_item and _sentence_text(passage, i).rstrip().endswith(":"):
            j = i + 1
            while j < len(sentences) and j - i <= settings.max_items and sentences[j].is_list_item \
                    and not _sentence_text(passage, j).rstrip().endswith(":"):
                out.append(j)
                j += 1
    return out


def _add_list(passage: Passage, scores: Sequence[float], items: list[int], answering: frozenset[int],
              prose: list[int], chosen: set[int], settings: AnswerSettings,
              question_terms: frozenset[str] | None) -> None:
    """Adds to `chosen` the list `items` answers with (its lead line with either the standout items or
    all of them), judged against `answering`, the prose sentences chosen as the answer."""
    lead = items[0] - 1
    has_lead = lead >= 0 and not passage.sentences[lead].is_list_item
    item_scores = sorted(scores[i] for i in items)
    median = item_scores[len(item_scores) // 2]
    best_item = item_scores[-1]
    singled_out = len(items) > 2 and best_item - median >= settings.standout_item
    if singled_out and question_terms is not None:
        top = max(items, key=lambda i: scores[i])
        named = set(terms(passage.section)) | (set(terms(_sentence_text(passage, lead))) if has_lead else set())
        singled_out = bool(question_terms & set(terms(_sentence_text(passage, top))) - named)
    # the list answers when nothing else does, when its lead line is among the answering sentences,
    # or when an item is as close as the best sentence; else it is a list beside the answer (a
    # function's parameters under the sentence that says what it does) and is not quoted
    announced = has_lead and lead - 1 in answering and _sentence_text(passage, lead).rstrip().endswith(":")
    answers_too = (not answering or lead in answering or announced  # "… For example, run the following:"
                   or best_item >= max(scores[i] for i in answering) - settings.sentence_margin)
    if singled_out:
        standouts = [i for i in items if scores[i] >= best_item - settings.standout_item / 2]
        chosen.update(sorted(standouts, key=lambda i: -scores[i])[: settings.max_sentences])
        if prose and max(scores[i] for i in prose) < best_item - settings.sentence_margin:
            chosen -= set(prose)  # the item answers; the prose was only a near miss
    elif answers_too:
        chosen.update(items[: settings.max_items])
    if has_lead and (singled_out or answers_too):
        chosen.add(lead)  # a list item reads best under its lead line


# a sentence that counts or names what the next ones say: "… there are two things that you should do.", "The way
# to version NMUs differs for native and non-native packages.", "… as follows."
_ANNOUNCES = re.compile(
    r"\b(?:two|three|four|five|several|a few|a couple of|these|the following)\s+(?:[\w-]+\s+){0,2}(?:things|ways|"
    r"steps|options|reasons|kinds|types|methods|cases|possibilities|approaches|rules|parts|points|questions|"
    r"differences|choices)\b[^.]*\.$|\bas follows\.$|\bdiffers?\s+(?:for|between|depending)\b[^.]*\.$", re.IGNORECASE)


_POINTS_AHEAD = re.compile(r"\b(?:the following|as follows|below|like this|like so)\b", re.IGNORECASE)


def _runs_on(text: str) -> bool:
    """A sentence that announces what comes next ("Run the following:", "… there are two things that you should
    do."), stops on a comma ("Precision and recall are defined as being," over a formula) or on a word that
    needs one ("… delete the branch with"): what it announces is in the next sentence or block, often a line
    of code."""
    words_ = text.split()
    return bool(words_) and (text.endswith((":", ",", ": >"))  # ": >": Vim's help marks an example so
                             or (text[-1].isalpha() and words_[-1].casefold() in STOPWORDS)
                             or bool(_ANNOUNCES.search(text.strip())))


def _defines_the_term_above(passage: Passage, i: int, scores: Sequence[float], settings: AnswerSettings) -> bool:
    """Sentence i starts the line under a bare term (a definition list's "nocheck", then "This tag says
    …"): the term is what the sentence speaks of, so it is quoted with it."""
    sentences = passage.sentences
    if i == 0 or sentences[i].is_list_item or sentences[i - 1].is_list_item or scores[i - 1] <= NOT_AN_ANSWER:
        return False
    term = _sentence_text(passage, i - 1).strip()
    return "\n" in _between(passage, sentences[i - 1], sentences[i]) and _is_bare_term(term, settings) \
        and term != passage.section


_CLOSING_MARKS = (".", "!", "?", ":")
# "who wrote / maintains …?": a name on a line of its own (a title page's author) answers it
_ASKS_WHO = re.compile(r"^\W*who\b", re.IGNORECASE)


def _is_a_name(text: str) -> bool:
    """A person's or a body's name alone: two to six words, each capitalised ("Javier Fernández-Sanguino Peña")."""
    words_ = text.split()
    return 2 <= len(words_) <= 6 and all(w[0].isupper() for w in words_)


def _names_the_term_asked(passage: Passage, chosen: Sequence[Sentence], question: str) -> bool:
    """Asked what a term is, the quote holds the term on a line of its own over what it stands for (a
    glossary's "PDU" / "Power Distribution Unit."): short, and still the answer."""
    asked = asked_definition(question) if question else None
    return bool(asked) and len(chosen) > 1 and any(passage.text_of(s).strip().casefold() == asked for s in chosen)


_LABEL_WORDS = 2


def _is_run_in_heading(passage: Passage, i: int) -> bool:
    """Sentence i is a label that opens its paragraph and the text goes on after it on the same line
    ("Checkpoint starvation. A checkpoint is only able to run …"): a name too short to answer, it heads what
    follows. (Three words may already say something: "Branches are cheap.")"""
    sentences = passage.sentences
    if i + 1 >= len(sentences) or len(_sentence_text(passage, i).split()) > _LABEL_WORDS:
        return False
    before = passage.text[:sentences[i].start - passage.start]
    starts_a_line = not before.strip() or before.rstrip(" \t").endswith("\n")
    return starts_a_line and "\n" not in _between(passage, sentences[i], sentences[i + 1])


def _is_bare_term(text: str, settings: AnswerSettings) -> bool:
    """A term on its own ("/dev/zero", "nocheck"): too short to answer, closed by no sentence mark; not a
    footnote mark left on a line of its own ("^[22]"), which explains nothing after it."""
    return len(text.split()) < settings.min_answer_words and not text.endswith(_CLOSING_MARKS) \
        and not is_note_mark(text)


def _sentence_text(passage: Passage, i: int) -> str:
    return passage.text_of(passage.sentences[i])


def cite(document: Document, passage: Passage, sentences: Sequence[Sentence], first_id: int = 1) -> list[Citation]:
    """One citation per run of adjacent chosen sentences, quoting the document exactly. Text between two
    sentences that is not quoted itself (a "Tip" label left out of the sentences) parts them."""
    runs: list[list[Sentence]] = []
    positions = {s: i for i, s in enumerate(passage.sentences)}
    for sentence in sentences:
        if runs and positions[sentence] == positions[runs[-1][-1]] + 1 \
                and not document.text[runs[-1][-1].end:sentence.start].strip():
            runs[-1].append(sentence)
        else:
            runs.append([sentence])
    citations = []
    for n, run in enumerate(runs):
        start, end = run[0].start, run[-1].end
        entry = _entry_named_above(document, start)
        section = passage.path or passage.section
        section = f"{section}{PATH_SEPARATOR}{entry}" if entry else section
        citations.append(Citation(first_id + n, passage.doc, section, start, end,
                                  document.text[start:end], title=document.display_title,
                                  page=document.page_at(start), anchor=document.anchor_at(start)))
    return citations


_ITEM_START = re.compile(r"^\s*(?:[-*•–+◦▪]|\d{1,3}[.)]|\|)\s")


def _without_literal_mark(line: str) -> str:
    """reStructuredText's "::" that opens a code block shows as ":" ("Example::") or not at all ("… notation: ::")."""
    if not line.endswith("::"):
        return line
    return line[:-3].rstrip() if line.endswith(" ::") else line[:-1] if line[-3:-2].isalnum() else line


_ASCIIDOC_XREF = re.compile(r"<<[\w.:-]+,\s*([^<>]+?)>>")  # "<<def_working_tree,working tree>>"
_ASCIIDOC_MANPAGE_LINK = re.compile(r"\blinkgit:([\w.-]+)\[(\w+)\]")  # "linkgit:git-config[1]"


def _without_link_markup(line: str) -> str:
    """AsciiDoc's cross-references and manual-page links as they read once rendered: "working tree",
    "git-config(1)" (the quote itself stays the file's text)."""
    return _ASCIIDOC_MANPAGE_LINK.sub(r"\1(\2)", _ASCIIDOC_XREF.sub(r"\1", line))


def _without_change_bar(line: str) -> str:
    """A manual page's line without the bar `man` sets beside a changed line (not a table's border, which
    opens its line too)."""
    return line if line.lstrip().startswith("│") else CHANGE_BAR.sub("", line)


_OPENING_MARKS = ("“", "‘", "(", "[", "«")  # a line ending in one runs on into the next
# the marks a Markdown block quote (a "> **Tip**" box) or a quoted mail sets before each of its lines; not a
# "> 5" that a wrap put at a line's start
_QUOTE_MARKS = re.compile(r"^\s*>(?:[ \t]*>)*(?=\s|$)(?![ \t]*\d)")


def _without_quote_marks(line: str) -> str:
    return _QUOTE_MARKS.sub("", line)


_GROFF_CAPITALS_BROKEN = re.compile(r"[A-Z_]{2}\u2010$")
_CAPITALS_WORD = re.compile(r"[A-Z0-9_]+(?![a-z])")


_LINES_TOGETHER = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")  # lines with no blank line between
_COMMENT_LINE = re.compile(r"^\s*#")  # a shell's or a configuration file's comment
_SETTING_LINE = re.compile(r"^\s*(?:\[[\w .:-]+\]|[\w.-]+\s*=\s*\S.*)$")  # "[Interface]", "DNS = 10.0.0.1"
_SENTENCE_END = re.compile(r"[.!?]['\")]?$")
_SHORT_LINE = 60  # a command's or a setting's line; prose wrapped at 72-80 columns runs longer


def _settings_or_commands(text: str) -> list[tuple[int, int]]:
    """Spans of a quote written as a configuration sample or a shell recipe in plain text (lines with
    comments "#", or settings "key = value"): their lines run together would put the commands inside the
    comment above them ("# consider verifying the data umount /home"), so they are shown as they are."""
    spans = []
    for chunk in _LINES_TOGETHER.finditer(text):
        lines = chunk.group().split("\n")
        if len(lines) < 2:
            continue
        comments = [line for line in lines if _COMMENT_LINE.match(line)]
        others = [line.strip() for line in lines if not _COMMENT_LINE.match(line)]
        settings = sum(bool(_SETTING_LINE.match(line)) for line in others)
        if (comments and others and all(len(line) <= _SHORT_LINE and not _SENTENCE_END.search(line)
                                        for line in others)) or settings >= max(2, len(others) - 1):
            spans.append(chunk.span())
    return spans


def _dedented(code: str, lead: int | None = None) -> str:
    """Code without the indent all its lines share (a manual's example set 7 columns in). `lead`: the
    blanks before its first line in the document, which a block or a quote starts after ("object Host {" at
    the margin over "  import …" keeps the import's indent); None when it starts inside a line, which is then
    left out of the measure."""
    lines = code.split("\n")
    own = [len(line) - len(line.lstrip()) for line in lines]
    true = [n + (lead or 0) if k == 0 else n for k, n in enumerate(own)]
    indent = min((n for k, (line, n) in enumerate(zip(lines, true, strict=True))
                  if line.strip() and (k or lead is not None or line[:1].isspace())), default=0)
    out = []
    for k, line in enumerate(lines):
        if k == 0 and lead:  # its blanks stand before the quote: set what is left of them
            out.append(" " * max(true[0] - indent, 0) + line.lstrip() if line.strip() else line)
        else:
            out.append(line[indent:] if line[:indent].isspace() else line)
    return "\n".join(out)


def _without_comment_marks(lines: list[str]) -> list[str]:
    """A configuration file's comment read as prose ("# Set GOTOBUFFER to TRUE if you want …" / "# if any, …"):
    its lines without their "#" marks, which say nothing once the lines are joined."""
    rest = [line for line in lines[1:] if line.strip()]
    if not rest or not all(COMMENT_MARK.match(line) for line in rest) \
            or not is_comment_prose([line for line in lines if line.strip() and COMMENT_MARK.match(line)]):
        return lines  # (root's commands, "# lvconvert --uncache vg/main" / "# lvs -a", keep their prompt)
    return [COMMENT_MARK.sub("", line) for line in lines]


def reflow(text: str, verbatim: Sequence[tuple[int, int] | tuple[int, int, int | None]] = ()) -> str:
    """A quote as a reader wants it: hard wraps, indents and no-break spaces gone; a list item or table
    row still starts its own line, and a blank line still parts paragraphs; rows of a table drawn in
    text whose cells wrap over lines read cell by cell ("gitk --all | see complete Git history and …").
    `verbatim`: (start, end) spans of the text shown as they are, code whose lines and indents mean
    something (a .gitignore's lines run together are no longer one), with the blanks before each in its
    document's line where known (None: it starts inside a line)."""
    if not verbatim and (settings := _settings_or_commands(text)):
        verbatim = settings
    marked = [line for line in text.splitlines() if line.strip()]
    if not verbatim and len(marked) > 1 and all(COMMENT_MARK.match(line) for line in marked) \
            and not is_comment_prose(marked):
        verbatim = [(0, len(text))]  # root's commands ("# lvconvert --uncache vg/main" / "# lvs -a"): a line each
    if verbatim:
        parts, at = [], 0
        for start, end, *known in sorted(verbatim, key=lambda span: span[:2]):
            lead = known[0] if known and start >= at else None
            start, end = max(start, at), min(end, len(text))
            if start < end:
                code = text[start:end]
                if code.startswith("\n"):  # its first line starts at the margin
                    code, lead = code.lstrip("\n"), 0
                parts += [reflow(text[at:start]), _dedented(code.rstrip("\n"), lead)]
                at = end
        parts.append(reflow(text[at:]))
        return "\n\n".join(part for part in parts if part.strip())
    grid = read_across(text)
    if grid is not None:
        return grid
    lines: list[str] = []
    for raw in _without_comment_marks(re.split(r"\r\n|\r|\n", text)):
        line = " ".join(_without_quote_marks(_without_change_bar(raw)).split())
        if not line:
            if lines and lines[-1]:
                lines.append("")
        elif lines and lines[-1] and not _ITEM_START.match(raw):
            # a line that ends in a word's hyphen broke a compound there ("Pre-" / "Depends"), one that ends
            # in a slash broke a path ("/usr/share/" / "common-licenses/GPL"), one that ends in a file name's
            # dot broke the name ("package-version." / "tar.gz"): no space; nor after an opening quote
            joined = (re.search(r"\w-$|\S/$", lines[-1]) and (line[:1].isalnum() or line[:1] in "_.~")) \
                or (re.search(r"\w[-_/]\w+\.$", lines[-1]) and re.match(r"[a-z0-9]+\.[a-z0-9]", line)) \
                or lines[-1].endswith(_OPENING_MARKS)
            # groff's hyphenation ("re‐" / "turn", "JQ_COL‐" / "ORS")
            if lines[-1].endswith("\u2010") and (line[:1].islower() or _GROFF_CAPITALS_BROKEN.search(
                    lines[-1]) and _CAPITALS_WORD.match(line)):
                lines[-1], joined = lines[-1][:-1], True
            lines[-1] += ("" if joined else " ") + line
        else:
            lines.append(line)
    return "\n".join(_without_link_markup(_without_literal_mark(line)) for line in lines).strip()


def render(citations: Sequence[Citation], documents: dict[str, Document] | None = None) -> str:
    """The quotes in order, reflowed (the documents' code blocks kept line by line), each followed by its
    [n] marker; a typesetter's minus signs and hyphens shown as the "-" a user types, so that "slapcat −n 0"
    from a groff PDF can be copied into a shell (the citation's quote keeps the document's characters)."""
    return "\n\n".join(f"{plain_dashes(reflow(c.quote, _code_in(c, documents)))} [{c.id}]" for c in citations)


def _code_in(citation: Citation, documents: dict[str, Document] | None) -> list[tuple[int, int, int | None]]:
    """Where the quote holds code blocks of its document, as spans of the quote, each with the blanks before
    it on its line in the document (None when text stands there)."""
    document = (documents or {}).get(citation.doc)
    if document is None:
        return []
    text = document.text
    spans: list[tuple[int, int, int | None]] = []
    rows = False  # the last span is a run of column rows, which the next row joins
    for b in document.blocks_between(citation.start, citation.end):
        start, end = max(b.start, citation.start) - citation.start, min(b.end, citation.end) - citation.start
        is_row = _is_column_row(document, b)
        if is_row and rows and spans and not citation.quote[spans[-1][1]:start].strip():
            spans[-1] = (spans[-1][0], end, spans[-1][2])
        elif b.kind == "code" or is_row:
            at = citation.start + start
            before = text[text.rfind("\n", 0, at) + 1:at]
            spans.append((start, end, None if before.strip() else len(before)))
        rows = is_row
    return spans


def _is_column_row(document: Document, block: Block) -> bool:
    """A row of a table a plain text sets out in columns ("$N        current nickname"): its spacing is the
    table's, so rows quoted together stay one a line, their cells aligned."""
    return block.kind == "table_row" and document.format in ("text", "markdown") \
        and "|" not in document.text[block.start:block.end]


def _code_blocks(document: Document, start: int, end: int) -> list[Block]:
    """The document's code blocks that overlap its text from `start` to `end`."""
    return [b for b in document.blocks_between(start, end) if b.kind == "code"]


def answer(hits: Sequence[Hit], documents: dict[str, Document], covered: Sequence[str] = (),
           settings: AnswerSettings = AnswerSettings(), interpreted_as: str = "", trusted: bool = False,
           names_unknown: bool = False, question: str = "", confidence: float | None = None,
           lacks_word: bool = False, label_of: Callable[[Passage], str] = section_title,
           vouched: bool = False) -> Reply:
    """An `answer` quoting the best passage, or `out_of_scope` when no hit is trustworthy
    (`trusted`: the user chose the passage's section, so no confidence gate; `vouched`: the conversation
    points at the passage, so no confidence gate, but every other check). `question`: what was
    searched for, which decides whether a list is quoted whole or by the item it singles out."""
    if question and not trusted:
        hits = glossing_first(hits, question, settings)
    if not hits or not (trusted or vouched or is_confident(hits, settings, names_unknown, confidence, lacks_word)
                        or (not names_unknown and glosses_asked_term(hits[0].passage, question))):
        return replace(out_of_scope(hits, covered, settings, label_of), confidence=confidence)
    best = hits[0]
    if not trusted and lacks_a_number_named(best.passage, question, documents[best.passage.doc].title):
        # another release's passage; the one about the release asked of may rank just below it
        best = next((h for h in hits[1:] if h.score >= best.score - settings.release_margin
                     and not lacks_a_number_named(h.passage, question, documents[h.passage.doc].title)), None)
        if best is None:
            return replace(out_of_scope(hits, covered, settings, label_of), confidence=confidence)
    whether = bool(question) and asks_whether(question)
    if whether:
        best = _saying_yes_or_no(best, hits)
    asked = frozenset(terms(question)) if question else None
    chosen = _the_entry_asked(best.passage, question) \
        or select_sentences(best, settings, asked, compound_tokens(question) if question else ())
    if asks_way_or_reason(question):
        chosen = with_what_follows(best.passage, chosen)
    if whether:
        chosen = with_its_yes_or_no(best.passage, chosen, best.sentence_scores)
    form = asked_form(question) if question else None
    if form == "reversal":
        chosen = with_the_reverse_step(best.passage, chosen, best.sentence_scores, settings)
    elif form == "remedy":
        chosen = with_the_remedy(best.passage, chosen, best.sentence_scores)
    if question and asks_how_to(question):
        chosen = with_the_steps(best.passage, chosen, best.sentence_scores, settings)
    chosen = with_its_qualification(best.passage, chosen)
    chosen = with_what_a_supposition_leads_to(best.passage, chosen)
    chosen = with_what_they_point_back_to(best.passage, chosen)
    chosen = with_the_sentence_a_listing_splits(best.passage, chosen, documents[best.passage.doc])
    if question:
        chosen = with_what_follows_a_restatement(best.passage, chosen, question, settings)
    if not states_what_is_asked(best.passage, chosen, question):
        stating = sentence_stating_amount(hits, chosen, question, settings)
        if stating is not None:
            best, chosen = stating
        elif not trusted:
            return replace(out_of_scope(hits, covered, settings, label_of), confidence=confidence)
    if not trusted and all(len(best.passage.text_of(s).split()) < settings.min_answer_words for s in chosen) \
            and not (_ASKS_WHO.search(question) and any(_is_a_name(best.passage.text_of(s)) for s in chosen)) \
            and not _names_the_term_asked(best.passage, chosen, question):
        # bare terms ("‘file’", "‘file-prefix’": entries of a list of option names) answer no question
        # ... so the next passage answers, if it scores nearly as well ("See git-pull(1)." over the passage
        # that says what pull does)
        if len(hits) > 1 and hits[1].score >= best.score - settings.bare_best_margin:
            return answer(hits[1:], documents, covered, settings, interpreted_as, trusted, names_unknown,
                          question, confidence, lacks_word, label_of)
        return replace(out_of_scope(hits, covered, settings, label_of), confidence=confidence)
    chosen = with_the_answer_to_a_question(best.passage, chosen)
    chosen = with_the_entrys_first_answer(best.passage, chosen, documents[best.passage.doc])
    chosen = with_the_description_of_a_term(best.passage, chosen, documents[best.passage.doc], settings)
    chosen = with_the_term_it_describes(best.passage, chosen, documents[best.passage.doc])
    chosen = with_the_sentence_between(best.passage, chosen)
    chosen = with_what_it_announces(best.passage, chosen, best.sentence_scores, settings, documents[best.passage.doc])
    chosen = without_a_term_left_dangling(best.passage, chosen, documents[best.passage.doc], settings)
    citations = cite(documents[best.passage.doc], best.passage, chosen)
    text = render(citations, documents)
    if interpreted_as:
        text = f"Taking this as: “{interpreted_as}”\n\n{text}"
    return Reply("answer", text, tuple(citations), interpreted_as=interpreted_as, passages=(best.passage,),
                 confidence=confidence)


def clarify(overview: Hit, options: Sequence[str], documents: dict[str, Document],
            settings: AnswerSettings = AnswerSettings(), asking: Sequence[tuple[Passage, Sentence]] = ()) -> Reply:
    """The best overview passage, cited, then a question about which angle, with numbered options.
    `asking`: sentences in which a document offers angles itself; quoted too, since they may ask for
    more than the angle ("tell me which angle, and the drug")."""
    citations = cite(documents[overview.passage.doc], overview.passage, _introducing(overview, settings))
    for passage, sentence in asking:
        citations += cite(documents[passage.doc], passage, [sentence], first_id=len(citations) + 1)
    # titles numbered by their document ("2. Format") would read "1. 2. Format" under a plain marker
    marker = "({})" if any(option[:1].isdigit() for option in options) else "{}."
    listing = "\n".join(f"{marker.format(n)} {option}" for n, option in enumerate(options, 1))
    text = (f"{render(citations, documents)}\n\nThe documents cover this from several angles. Which angle do you want? "
            f"Pick one (or type its number):\n{listing}")
    return Reply("clarify", text, tuple(citations), tuple(options),
                 passages=(overview.passage, *(passage for passage, _ in asking)))


MAX_INTRODUCING_WORDS = 80  # an overview sentence longer than this is a table or a list run together


def _introducing(overview: Hit, settings: AnswerSettings) -> list[Sentence]:
    """What a clarifying reply quotes of its overview passage: the sentences an answer would quote, but only
    those that say something on their own. A list's lead ("attribute can be one of the following:"), an item
    ("bold", "charset-hook") or a table drawn in text (3,000 characters of "│%C │charset │") introduces
    nothing, above the angles offered; then the passage's first sentence that does, if any."""
    passage = overview.passage

    def says_something(sentence: Sentence) -> bool:
        text = passage.text_of(sentence).strip()
        return not sentence.is_list_item and not _runs_on(text) \
            and settings.min_answer_words <= len(text.split()) <= MAX_INTRODUCING_WORDS

    chosen = [s for s in select_sentences(overview, settings) if says_something(s)]
    return chosen or next(([s] for s in passage.sentences if says_something(s)), [])


def error(reason: str) -> Reply:
    return Reply("error", reason)
