"""Score the bot on an evaluation set: single questions and multi-turn conversations.

Formats (JSON lines): questions `{"q", "expect": "answer"|"out_of_scope"|"clarify", "gold": [{"doc",
"section"}]}`; conversations `{"name", "turns": [{"user", "expect", "gold"}]}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .dialogue import Conversation, Engine
from .records import Reply


@dataclass
class Report:
    metrics: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _read_jsonl(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _gold_keys(item: dict) -> set[tuple[str, str]]:
    return {(g["doc"], g["section"]) for g in item.get("gold", [])}


def _cites_gold(reply: Reply, gold: set[tuple[str, str]]) -> bool:
    """A citation in a gold section: named by its heading or by its whole heading path."""
    return any((c.doc, c.section) in gold or (c.doc, c.heading) in gold for c in reply.citations)


def _quotes_exact(engine: Engine, reply: Reply) -> bool:
    documents = engine.index.documents
    return all(documents[c.doc].text[c.start:c.end] == c.quote for c in reply.citations)


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def evaluate(engine: Engine, questions_path: str | Path, conversations_path: str | Path) -> Report:
    report = Report()
    counts = {"answerable": 0, "hit1": 0, "contains_gold": 0, "specific_clarified": 0,
              "oos_expected": 0, "oos_given": 0, "oos_correct": 0, "quote_errors": 0, "replies": 0}
    for item in _read_jsonl(questions_path):
        reply = Conversation(engine).send(item["q"])
        counts["replies"] += 1
        counts["quote_errors"] += not _quotes_exact(engine, reply)
        expect = item["expect"]
        if reply.kind == "out_of_scope":
            counts["oos_given"] += 1
        if expect == "out_of_scope":
            counts["oos_expected"] += 1
            if reply.kind == "out_of_scope":
                counts["oos_correct"] += 1
            else:
                report.failures.append(f"should refuse: {item['q']!r} -> {reply.kind}: {reply.text[:90]!r}")
            continue
        if expect != "answer":
            continue
        gold = _gold_keys(item)
        counts["answerable"] += 1
        hits = engine.retriever.search(item["q"], k=1)
        top_ok = bool(hits) and (hits[0].passage.doc, hits[0].passage.section) in gold
        counts["hit1"] += top_ok
        contains = reply.kind == "answer" and _cites_gold(reply, gold)
        counts["contains_gold"] += contains
        counts["specific_clarified"] += reply.kind == "clarify"
        if not contains:
            where = hits[0].passage.section if hits else "-"
            report.failures.append(f"missed: {item['q']!r} -> {reply.kind} (top: {where!r}): {reply.text[:90]!r}")

    turns = {"clarify_expected": 0, "clarify_given": 0, "clarify_correct": 0, "follow_ups": 0,
             "follow_ups_correct": 0, "turns": 0, "turns_correct": 0}
    conversations = _read_jsonl(conversations_path)
    for convo in conversations:
        conversation = Conversation(engine)
        for n, turn in enumerate(convo["turns"]):
            reply = conversation.send(turn["user"])
            counts["replies"] += 1
            counts["quote_errors"] += not _quotes_exact(engine, reply)
            expect, gold = turn["expect"], _gold_keys(turn)
            ok = reply.kind == expect and (not gold or _cites_gold(reply, gold))
            turns["turns"] += 1
            turns["turns_correct"] += ok
            turns["clarify_expected"] += expect == "clarify"
            turns["clarify_given"] += reply.kind == "clarify"
            turns["clarify_correct"] += expect == "clarify" and reply.kind == "clarify"
            if n > 0 and expect == "answer":
                turns["follow_ups"] += 1
                turns["follow_ups_correct"] += ok
            if not ok:
                report.failures.append(f"{convo['name']} turn {n + 1}: {turn['user']!r} expected {expect}, "
                                       f"got {reply.kind}: {reply.text[:90]!r}")

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
        "replies_checked": counts["replies"],
    }
    return report


def format_report(report: Report, show_failures: bool = False) -> str:
    width = max(len(k) for k in report.metrics)
    lines = [f"{name:<{width}}  {value}" for name, value in report.metrics.items()]
    if show_failures and report.failures:
        lines.append(f"\n{len(report.failures)} misses:")
        lines.extend(f"  {f}" for f in report.failures)
    return "\n".join(lines)
