"""Score a blind round's turns with this checkout's code: rough, by the gold's words in the quotes.

    python eval/blind/score.py --corpus DIR --index DIR eval/blind/round51/turns.jsonl [--json OUT] [--in-a-row]

Each round's folder holds the turns a helper wrote blind (questions, gold sentences, what they expected),
the helper's report and its task, which says how its corpus was laid out from Debian's packages. A turn
counts as right when the reply is of the kind expected and, for an answer, the quotes hold one of its
gold sentences (or 80% of its words). It is blind to quote length: a 20,000-character quote holding the
gold counts. These rounds are development material: every fix of stops 36 on was chosen on them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from chatbot.bot import load_engine  # noqa: E402
from chatbot.config import Paths  # noqa: E402
from chatbot.dialogue import Conversation  # noqa: E402

_WORD = re.compile(r"[a-z0-9_]+")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2010", "-").replace("\u00ad", "")
    return " ".join(re.sub(r"-\s*\n\s*", "-", text).lower().split())


def _holds(gold: str, quotes: str) -> bool:
    gold, quotes = _norm(gold), _norm(quotes)
    if gold in quotes:
        return True
    words, present = _WORD.findall(gold), set(_WORD.findall(quotes))
    return bool(words) and sum(w in present for w in words) >= 0.8 * len(words)


def right(turn: dict, reply) -> bool:
    expected = turn.get("expect", "answer")
    if expected == "refuse":
        return reply.kind == "out_of_scope"
    if expected == "clarify":
        return reply.kind == "clarify"
    if reply.kind not in ("answer", "clarify") or not reply.citations:
        return False
    quotes = " ".join(c.quote for c in reply.citations)
    return any(_holds(gold, quotes) for gold in turn.get("gold", []))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("turns", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--json", type=Path, help="write each turn's outcome here")
    parser.add_argument("--in-a-row", action="store_true",
                        help="send every conversation's first turn one after another in one conversation, as a "
                             "person asking unrelated things in one chat would (a 'which angle?' left unanswered)")
    args = parser.parse_args()
    engine = load_engine(Paths(args.corpus, args.index))
    turns = [json.loads(line) for line in args.turns.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.in_a_row:
        conversation = Conversation(engine)
        first = [turn for turn in turns if turn["turn"] == 1]
        right_in_a_row = 0
        for turn in first:
            right_in_a_row += right(turn, conversation.send(turn["message"]))
            conversation.state.pending = ()
        print(f"{right_in_a_row} of {len(first)} first turns right asked in a row (rough)")
        return 0
    conversations: dict[int, list[dict]] = {}
    for turn in turns:
        conversations.setdefault(turn["conv"], []).append(turn)
    outcome = {}
    for number, conversation_turns in conversations.items():
        conversation = Conversation(engine)
        for turn in sorted(conversation_turns, key=lambda t: t["turn"]):
            reply = conversation.send(turn["message"])
            outcome[f"{number}/{turn['turn']}"] = {"right": right(turn, reply), "kind": reply.kind,
                                                    "message": turn["message"]}
    if args.json:
        args.json.write_text(json.dumps(outcome, indent=1), encoding="utf-8")
    print(f"{sum(o['right'] for o in outcome.values())} of {len(outcome)} turns right (rough)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
