"""Score the bot on real documents, one corpus per published format, and compare the formats.

    python eval/real/run.py [--set manuals|fhs] [--split dev|heldout] [--formats txt,pdf,html,docx]
                            [--failures] [--write]

Two sets of public documents nobody on the team wrote, each laid out by its prepare.sh:
- manuals (eval/real): three manuals (Debian Reference, GNU maintainers' information, GNU coding
  standards);
- fhs (eval/fhs): the Filesystem Hierarchy Standard 3.0, a standard with a contents list per chapter.
Each corpus folder holds its set in one format; the questions were written blind from the plain-text
edition, with gold answers given as words of the answering sentence, so one set scores every format.
`--write` puts the table into the set's RESULTS.md (held-out split only: the development split is what we
tuned on).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from chatbot.bot import load_engine  # noqa: E402
from chatbot.config import Paths  # noqa: E402
from chatbot.evaluation import evaluate, format_report  # noqa: E402

SETS = {"manuals": HERE, "fhs": HERE.parent / "fhs"}
COLUMNS = ("answer_contains_gold", "hit@1", "refusal_precision", "refusal_recall", "follow_up_accuracy",
           "turn_accuracy", "citations_not_exact", "heading_only_quotes")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=tuple(SETS), default="manuals")
    parser.add_argument("--split", choices=("dev", "heldout"), default="heldout")
    parser.add_argument("--formats", default="txt,pdf,html,docx")
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    root = SETS[args.set]
    subprocess.run(["bash", str(root / "prepare.sh")], check=True)
    reports = {}
    for fmt in args.formats.split(","):
        started = time.monotonic()
        engine = load_engine(Paths(root / "corpora" / fmt, root / ".index" / fmt))
        loaded = time.monotonic() - started
        report = evaluate(engine, root / f"{args.split}_questions.jsonl", root / f"{args.split}_conversations.jsonl")
        reports[fmt] = report
        print(f"--- {fmt} ({len(engine.index.documents)} documents, {len(engine.index.passages)} passages, "
              f"index ready in {loaded:.0f} s)")
        print(format_report(report, args.failures), flush=True)
    table = _table(reports, args.split, root)
    print(table)
    if args.write and args.split == "heldout":
        (root / "RESULTS.md").write_text(table + "\n", encoding="utf-8")
    return 0


def _agreement(reports: dict) -> dict[tuple[str, str], float]:
    out = {}
    for a, b in itertools.combinations(reports, 2):
        left, right = reports[a].answers, reports[b].answers
        shared = [q for q in left if q in right]
        out[(a, b)] = sum(_same(left[q], right[q]) for q in shared) / len(shared) if shared else 0.0
    return out


def _same(a: str, b: str) -> bool:
    """The same answer section: the same heading, its number ("3.16.1", "Chapter 3" as "3") and its words
    compared without punctuation and markup (words alone are not enough where many sections share them:
    "3.16.1. Purpose", "3.18.1. Purpose"). Where one edition prints no number for a heading the other
    numbers (a PDF's preface: "About this document › The popcon" against "3. About this document › 3.4.
    The popcon"), the words of the heading and of its parent are compared."""
    from chatbot.corpus import PATH_SEPARATOR
    from chatbot.evaluation import fold

    def key(heading: str) -> tuple[str, str]:
        heading = heading.strip()
        number = re.match(r"^(?:chapter\s+|appendix\s+|§\s*)?([0-9A-Z]?[0-9.]*)[.:]?\s+", heading, re.IGNORECASE)
        label = number.group(1).rstrip(".") if number and any(c.isdigit() for c in number.group(1)) else ""
        return label, fold(heading[number.end():] if label else heading)

    left, right = a.split(PATH_SEPARATOR)[-2:], b.split(PATH_SEPARATOR)[-2:]
    (left_number, left_words), (right_number, right_words) = key(left[-1]), key(right[-1])
    if bool(left_number) == bool(right_number):
        return (left_number, left_words) == (right_number, right_words)
    return [key(h)[1] for h in left] == [key(h)[1] for h in right]


def _table(reports: dict, split: str, root: Path) -> str:
    lines = [f"Real documents, {split} questions ({_count(split, root)}), one corpus per format:", "",
             "| format | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for fmt, report in reports.items():
        lines.append(f"| {fmt} | " + " | ".join(str(report.metrics.get(c)) for c in COLUMNS) + " |")
    lines.append("")
    lines.append("Same answer section across formats: " + ", ".join(
        f"{a}/{b} {share:.2f}" for (a, b), share in _agreement(reports).items()))
    return "\n".join(lines)


def _count(split: str, root: Path) -> str:
    questions = (root / f"{split}_questions.jsonl").read_text(encoding="utf-8").splitlines()
    conversations = (root / f"{split}_conversations.jsonl").read_text(encoding="utf-8").splitlines()
    answerable = sum(1 for q in questions if json.loads(q)["expect"] == "answer")
    return f"{len(questions)} questions, {answerable} answerable, {len(conversations)} conversations"


if __name__ == "__main__":
    sys.exit(main())
