"""Score the bot on an evaluation set: single questions and multi-turn conversations.

Formats (JSON lines): questions `{"q", "expect": "answer"|"out_of_scope"|"clarify", "gold": [...]}`;
conversations `{"name", "turns": [{"user", "expect", "gold"}]}`. A gold entry is either `{"doc", "section"}`
(a heading, or a heading path) or `{"text": "a few words of the answering sentence"}`: the answer is right
when it cites the section holding those words, whatever the document's format or file name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .dialogue import Conversation, Engine
from .records import Reply


@dataclass
class Report:
    metrics: dict = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (cause, what happened)
    answers: dict[str, str] = field(default_factory=dict)  # question -> the heading path it was answered from
    replies: list[Reply] = field(default_factory=list)  # every reply, in order (to compare two runs)


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Letters and digits only, case folded: words compare alike across PDF, HTML and plain text
    (hard wraps, hyphenation at line ends, curly quotes, ligatures)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


class _Sections:
    """Where each citation stands: its section's text, and the document's headings."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.by_doc: dict[str, list] = {}
        for p in engine.index.passages:
            self.by_doc.setdefault(p.doc, []).append(p)

    def section_of(self, doc: str, offset: int) -> int | None:
        for p in self.by_doc.get(doc, []):
            if p.start <= offset < p.end:
                return p.section_index
        return None

    @cached_property
    def section_text(self) -> dict[tuple[str, int], str]:
        spans: dict[tuple[str, int], list[int]] = {}
        for p in self.engine.index.passages:
            span = spans.setdefault((p.doc, p.section_index), [p.start, p.end])
            span[0], span[1] = min(span[0], p.start), max(span[1], p.end)
        documents = self.engine.index.documents
        return {key: fold(documents[key[0]].text[a:b]) for key, (a, b) in spans.items()}

    @cached_property
    def headings(self) -> set[str]:
        return {fold(title) for title in self.engine.sections.values()}

    def holds(self, doc: str, offset: int, words: str) -> bool:
        section = self.section_of(doc, offset)
        return section is not None and fold(words) in self.section_text.get((doc, section), "")


def _read_jsonl(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold_keys(item: dict) -> set[tuple[str, str]]:
    return {(g["doc"], g["section"]) for g in item.get("gold", []) if "doc" in g}


def _cites_gold(reply: Reply, gold: set[tuple[str, str]], texts: list[str] = (), sections: _Sections | None = None
                ) -> bool:
    """A citation in a gold section: named by its heading or heading path, or holding the gold words."""
    if any((c.doc, c.section) in gold or (c.doc, c.heading) in gold for c in reply.citations):
        return True
    return sections is not None and any(sections.holds(c.doc, c.start, t) for c in reply.citations for t in texts)


def _gold_texts(item: dict) -> list[str]:
    return [g["text"] for g in item.get("gold", []) if "text" in g]


def _heading_only(reply: Reply, sections: _Sections) -> int:
    """Citations that quote only a heading (or a table-of-contents line naming one)."""
    return sum(1 for c in reply.citations if fold(c.quote) in sections.headings)


def _quotes_exact(engine: Engine, reply: Reply) -> bool:
    documents = engine.index.documents
    return all(documents[c.doc].text[c.start:c.end] == c.quote for c in reply.citations)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def evaluate(engine: Engine, questions_path: str | Path, conversations_path: str | Path) -> Report:
    report = Report()
    sections = _Sections(engine)
    counts = {"answerable": 0, "hit1": 0, "contains_gold": 0, "specific_clarified": 0,
              "oos_expected": 0, "oos_given": 0, "oos_correct": 0, "quote_errors": 0, "replies": 0,
              "heading_only": 0}
    for item in _read_jsonl(questions_path):
        reply = Conversation(engine).send(item["q"])
        report.replies.append(reply)
        counts["replies"] += 1
        counts["quote_errors"] += not _quotes_exact(engine, reply)
        counts["heading_only"] += _heading_only(reply, sections)
        report.answers[item["q"]] = reply.citations[0].section if reply.kind == "answer" and reply.citations else \
            reply.kind
        expect = item["expect"]
        if reply.kind == "out_of_scope":
            counts["oos_given"] += 1
        if expect == "out_of_scope":
            counts["oos_expected"] += 1
            if reply.kind == "out_of_scope":
                counts["oos_correct"] += 1
            else:
                report.failures.append(("answered a question the documents do not cover",
                                        f"{item['q']!r} -> {reply.kind}: {reply.text[:90]!r}"))
            continue
        if expect != "answer":
            continue
        gold = _gold_keys(item)
        counts["answerable"] += 1
        hits = engine.retriever.search(item["q"], k=1)
        texts = _gold_texts(item)
        top_ok = bool(hits) and ((hits[0].passage.doc, hits[0].passage.section) in gold or any(
            sections.holds(hits[0].passage.doc, hits[0].passage.start, t) for t in texts))
        counts["hit1"] += top_ok
        contains = reply.kind == "answer" and _cites_gold(reply, gold, texts, sections)
        counts["contains_gold"] += contains
        counts["specific_clarified"] += reply.kind == "clarify"
        if not contains:
            where = hits[0].passage.section if hits else "-"
            report.failures.append((_miss_cause(reply, top_ok),
                                    f"{item['q']!r} -> {reply.kind} (top: {where!r}): {reply.text[:90]!r}"))

    turns = {"clarify_expected": 0, "clarify_given": 0, "clarify_correct": 0, "follow_ups": 0,
             "follow_ups_correct": 0, "turns": 0, "turns_correct": 0}
    conversations = _read_jsonl(conversations_path)
    for convo in conversations:
        conversation = Conversation(engine)
        for n, turn in enumerate(convo["turns"]):
            reply = conversation.send(turn["user"])
            report.replies.append(reply)
            counts["replies"] += 1
            counts["quote_errors"] += not _quotes_exact(engine, reply)
            counts["heading_only"] += _heading_only(reply, sections)
            expect, gold, texts = turn["expect"], _gold_keys(turn), _gold_texts(turn)
            ok = reply.kind == expect and (not (gold or texts) or _cites_gold(reply, gold, texts, sections))
            turns["turns"] += 1
            turns["turns_correct"] += ok
            turns["clarify_expected"] += expect == "clarify"
            turns["clarify_given"] += reply.kind == "clarify"
            turns["clarify_correct"] += expect == "clarify" and reply.kind == "clarify"
            if n > 0 and expect == "answer":
                turns["follow_ups"] += 1
                turns["follow_ups_correct"] += ok
            if not ok:
                cause = f"conversation turn: expected {expect}, got {reply.kind}" if reply.kind != expect else \
                    f"conversation turn: {expect} from the wrong section"
                report.failures.append((cause, f"{convo['name']} turn {n + 1}: {turn['user']!r}: {reply.text[:90]!r}"))

    report.metrics = {
        "questions": counts["answerable"] + counts["oos_expected"],
        "hit@1": _ratio(counts["hit1"], counts["answerable"]),
        "answer_contains_gold": _ratio(counts["contains_gold"], counts["answerable"]),
        "specific_questions_clarified": counts["specific_clarified"],
        "refusal_precision": _ratio(counts["oos_correct"], counts["oos_given"]),
        "refusal_recall": _ratio(counts["oos_correct"], counts["oos_expected"]),
        "conversations": len(conversations),
        "clarification_precision": _ratio(turns["clarify_correct"], turns["clarify_given"]),
        "clarification_recall": _ratio(turns["clarify_correct"], turns["clarify_expected"]),
        "follow_up_accuracy": _ratio(turns["follow_ups_correct"], turns["follow_ups"]),
        "turn_accuracy": _ratio(turns["turns_correct"], turns["turns"]),
        "citations_not_exact": counts["quote_errors"],
        "heading_only_quotes": counts["heading_only"],
        "replies_checked": counts["replies"],
    }
    return report


def _miss_cause(reply: Reply, top_passage_right: bool) -> str:
    if reply.kind == "out_of_scope":
        return "refused a question the documents answer"
    if reply.kind == "clarify":
        return "asked which angle of a specific question"
    if top_passage_right:
        return "right passage ranked first, but the quoted sentences miss the answer"
    return "another passage ranked first"


def format_report(report: Report, show_failures: bool = False) -> str:
    width = max(len(k) for k in report.metrics)
    lines = [f"{name:<{width}}  {value}" for name, value in report.metrics.items()]
    if show_failures and report.failures:
        lines.append(f"\n{len(report.failures)} misses, by cause:")
        by_cause: dict[str, list[str]] = {}
        for cause, what in report.failures:
            by_cause.setdefault(cause, []).append(what)
        for cause, misses in sorted(by_cause.items(), key=lambda item: -len(item[1])):
            lines.append(f"  {cause} ({len(misses)}):")
            lines.extend(f"    {what}" for what in misses)
    return "\n".join(lines)
