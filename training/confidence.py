"""Fit the answer-confidence model (chatbot/confidence_model.json) on public FAQs.

    training/prepare.sh            # the FAQs, from Debian's packages, into training/faqs/
    .venv/bin/python training/confidence.py

Every question heading of every FAQ becomes a question. A seeded third of them is held back with its
section: the documents cannot answer those, though they are about the same program (refusals close
to the domain). The rest are written out as one Markdown document per FAQ in which each question
heading is replaced by a neutral "Entry N", so a question cannot find its answer by matching its own
words in a heading: the body has to answer it, as it must for a user who words a question their own
way. (Asking each question with half its words left out, headings kept, was tried too: it fitted its
own data better but was far less calibrated on the development splits, so this construction was kept.)
All FAQs are indexed together with the real model, every question is searched, and a logistic
regression learns whether the best hit lies in the question's own section from the features in
chatbot/confidence.py. No evaluation document or question is used.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from chatbot.chunking import ChunkSettings  # noqa: E402
from chatbot.confidence import FEATURES, MODEL_FILE, features  # noqa: E402
from chatbot.dialogue import Engine  # noqa: E402
from chatbot.embeddings import PackagedMiniLM  # noqa: E402
from chatbot.readers import read_document  # noqa: E402
from chatbot.search_index import open_index  # noqa: E402

HELD_BACK = 1 / 3  # share of questions whose section is removed: the documents cannot answer them
SEED = 7
L2 = 1.0  # ridge penalty on the weights: ~300 questions, 7 features
_NUMBER = re.compile(r"^\s*(?:[A-Z]?\d+(?:\.\d+)*[.:)]?|[A-Z]\.)\s+")


def faq_entries(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(question, answer text)]) of one FAQ as our reader sees it."""
    document = read_document(path, path.name)
    blocks = document.blocks
    entries = []
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        heading = " ".join(document.text[block.start:block.end].split())
        if not heading.endswith("?"):
            continue
        end = next((b.start for b in blocks[i + 1:] if b.kind == "heading"), len(document.text))
        body = document.text[block.end:end].strip()
        if len(body) >= 40:  # an entry with next to no answer teaches nothing
            entries.append((_NUMBER.sub("", heading), body))
    return document.display_title, entries


def masked_corpus(faqs: Path, corpus: Path) -> list[tuple[str, str, int | None]]:
    """Write the training corpus; return (question, document id, entry number or None if held back)."""
    rng = random.Random(SEED)
    corpus.mkdir(parents=True, exist_ok=True)
    questions = []
    for path in sorted(faqs.iterdir()):
        title, entries = faq_entries(path)
        doc_id = f"{path.stem}.md"
        lines = [f"# {title}", ""]
        kept = 0
        for question, body in entries:
            if rng.random() < HELD_BACK:
                questions.append((question, doc_id, None))
                continue
            kept += 1
            lines += [f"## Entry {kept}", "", body, ""]
            questions.append((question, doc_id, kept))
        (corpus / doc_id).write_text("\n".join(lines), encoding="utf-8")
    return questions


def measure(engine: Engine, questions: list[tuple[str, str, int | None]]) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for question, doc_id, entry in questions:
        hits = engine.retriever.search(question, k=engine.settings.hits)
        if not hits:
            continue
        top = hits[0].passage
        right = entry is not None and top.doc == doc_id and top.section == f"Entry {entry}"
        rows.append(features(engine.evidence(question, hits)))
        labels.append(float(right))
    return np.asarray(rows), np.asarray(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method (iteratively reweighted least squares), ridge on weights."""
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (p - y) + penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def cross_validated(x: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    order = np.random.default_rng(SEED).permutation(len(y))
    out = np.zeros(len(y))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        w, b = fit(x[train], y[train])
        out[test] = 1 / (1 + np.exp(-(x[test] @ w + b)))
    return out


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 5) -> list[dict]:
    edges = np.linspace(0, 1, bins + 1)
    table = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (p >= lo) & (p < hi if hi < 1 else p <= hi)
        if inside.any():
            table.append({"predicted": f"{lo:.1f}-{hi:.1f}", "questions": int(inside.sum()),
                          "mean_predicted": round(float(p[inside].mean()), 3),
                          "share_right": round(float(y[inside].mean()), 3)})
    return table


def main() -> int:
    faqs = HERE / "faqs"
    if not faqs.is_dir():
        print("training/faqs is missing: run training/prepare.sh first", file=sys.stderr)
        return 1
    work = HERE / ".work"
    questions = masked_corpus(faqs, work / "corpus")
    embedder = PackagedMiniLM()
    index = open_index(work / "corpus", work / "index", embedder, ChunkSettings())
    engine = Engine(index, embedder)
    x, y = measure(engine, questions)
    held = cross_validated(x, y)
    weights, bias = fit(x, y)
    base = float(y.mean())
    summary = {
        "features": list(FEATURES),
        "weights": [round(float(w), 5) for w in weights],
        "bias": round(bias, 5),
        "meaning": "estimated chance that the best passage found is the one that answers the question",
        "trained_on": {
            "documents": sorted(p.name for p in faqs.iterdir()),
            "source": "Debian packages fetchmail, ffmpeg-doc, mc-data, nano, privoxy, procmail, xterm, zsh-doc",
            "questions": int(len(y)), "answerable": sum(1 for q in questions if q[2] is not None),
            "best_passage_right": round(base, 3),
        },
        "cross_validated": {
            "log_loss": round(log_loss(held, y), 4),
            "log_loss_of_base_rate": round(log_loss(np.full(len(y), base), y), 4),
            "reliability": reliability(held, y),
        },
    }
    MODEL_FILE.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
