"""The equivalence gate for encoder backends (chatbot/gate.py), answers part: `make gate`.

    python eval/backend_gate.py [--backends onnx,onnx-int8] [--sets seeds,other,txt,pdf,html,docx]

For every held-out evaluation set, each backend builds its own index (eval/.gate/BACKEND/SET) and answers
every question and conversation turn; a backend passes when >= 98% of its replies are unchanged from
torch's (same kind, same cited spans, same options) and no metric is worse. The vector part runs first,
on the committed corpora plus the real manuals when eval/real/prepare.sh has laid them out.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from chatbot.backends import make_embedder  # noqa: E402
from chatbot.bot import load_engine  # noqa: E402
from chatbot.config import Paths  # noqa: E402
from chatbot.evaluation import evaluate  # noqa: E402
from chatbot.gate import SAMPLE_CORPORA, UNCHANGED_ANSWERS, agreement, sample  # noqa: E402

REAL = HERE / "real"
SETS = {
    "seeds": (HERE.parent / "corpus", HERE / "holdout_questions.jsonl",
              HERE / "holdout_conversations.jsonl"),
    "other": (HERE / "holdout_other" / "corpus", HERE / "holdout_other" / "questions.jsonl",
              HERE / "holdout_other" / "conversations.jsonl"),
    **{fmt: (REAL / "corpora" / fmt, REAL / "heldout_questions.jsonl", REAL / "heldout_conversations.jsonl")
       for fmt in ("txt", "pdf", "html", "docx")},
}
WORSE_WHEN_HIGHER = {"citations_not_exact", "heading_only_quotes", "specific_questions_clarified"}
COUNTS = {"questions", "conversations", "replies_checked"}


def signature(reply) -> tuple:
    """What a user sees change: the kind of reply, the spans it quotes, the options it offers."""
    return reply.kind, tuple((c.doc, c.start, c.end) for c in reply.citations), tuple(reply.options)


def worse(metric: str, candidate, reference) -> bool:
    if metric in COUNTS or candidate is None or reference is None:
        return False
    return candidate > reference if metric in WORSE_WHEN_HIGHER else candidate < reference


def run(backend: str, name: str) -> tuple[list[tuple], dict, float]:
    corpus, questions, conversations = SETS[name]
    started = time.perf_counter()
    engine = load_engine(Paths(corpus, HERE / ".gate" / backend / name), embedder=make_embedder(backend))
    report = evaluate(engine, questions, conversations)
    return [signature(r) for r in report.replies], report.metrics, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="onnx,onnx-int8")
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()
    candidates = args.backends.split(",")
    sets = [s for s in args.sets.split(",") if SETS[s][0].is_dir()]
    if set(args.sets.split(",")) - set(sets):
        print("real corpora missing: run `bash eval/real/prepare.sh` to gate on them too", file=sys.stderr)

    corpora = [*SAMPLE_CORPORA, *([REAL / "corpora" / "txt"] if (REAL / "corpora" / "txt").is_dir() else [])]
    texts, spans = sample(corpora, limit=600)
    torch = make_embedder("torch")
    vector_pass = {}
    for backend in candidates:
        found = agreement(torch, make_embedder(backend), texts, spans)
        vector_pass[backend] = found.passes(backend)
        print(f"vectors, {backend}: {found}: {'pass' if vector_pass[backend] else 'FAIL'}", flush=True)

    verdict = {b: vector_pass[b] for b in candidates}
    rows = []
    for name in sets:
        ref_replies, ref_metrics, ref_seconds = run("torch", name)
        for backend in candidates:
            replies, metrics, seconds = run(backend, name)
            same = sum(a == b for a, b in zip(ref_replies, replies, strict=True))
            drops = [f"{m} {ref_metrics[m]}→{metrics[m]}" for m in metrics if worse(m, metrics[m], ref_metrics[m])]
            rows.append((name, backend, same, len(replies), drops, ref_seconds / seconds))
            print(f"answers, {name}, {backend}: {same}/{len(replies)} unchanged; "
                  f"{'no metric worse' if not drops else 'worse: ' + ', '.join(drops)}; "
                  f"index + eval {seconds:.0f} s (torch {ref_seconds:.0f} s)", flush=True)
    print("\n| backend | vectors | replies unchanged | metrics worse than torch | gate |\n|---|---|---|---|---|")
    for backend in candidates:
        mine = [r for r in rows if r[1] == backend]
        same, total = sum(r[2] for r in mine), sum(r[3] for r in mine)
        drops = [f"{r[0]}: {d}" for r in mine for d in r[4]]
        share = same / total if total else 0.0
        verdict[backend] = verdict[backend] and share >= UNCHANGED_ANSWERS and not drops
        print(f"| {backend} | {'pass' if vector_pass[backend] else 'fail'} | {same}/{total} ({share:.1%}) | "
              f"{'; '.join(drops) or 'none'} | {'PASS' if verdict[backend] else 'FAIL'} |")
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
