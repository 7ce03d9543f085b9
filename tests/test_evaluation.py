"""The evaluation harness: misses are listed grouped by their cause, so a failure log reads as a
list of problems to fix rather than a pile of questions."""

from __future__ import annotations

import json

from chatbot.evaluation import evaluate, format_report


def test_misses_are_grouped_by_cause(fake_engine, tmp_path):
    questions = tmp_path / "questions.jsonl"
    rows = [
        # asked for words no passage holds: whatever the bot does, it is a miss
        {"q": "How should green tea be brewed?", "expect": "answer", "gold": [{"text": "no passage says this"}]},
        {"q": "How should green tea be brewed?", "expect": "out_of_scope"},
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = evaluate(fake_engine, questions, tmp_path / "none.jsonl")
    causes = [cause for cause, _ in report.failures]
    assert "answered a question the documents do not cover" in causes
    assert len(causes) == 2
    text = format_report(report, show_failures=True)
    assert "2 misses, by cause:" in text
    for cause in set(causes):
        assert f"  {cause} (1):" in text
