"""Encoder backends side by side (issue 14): index build and per-turn encode, torch vs onnx vs onnx-int8,
alternated in one run so every backend sees the same machine load, and each backend's peak RSS serving
the seed corpus. Ratios are torch's time ÷ the backend's (above 1x is faster), medians of the ratios of
runs taken one after the other.

    python -m benchmarks.backends [--files 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import QUESTIONS, REPO, SEED_CORPUS, Row, _env, _log, synthetic_corpus

BACKENDS = ("torch", "onnx", "onnx-int8")

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child would report this
# benchmark's own peak; VmHWM belongs to the child's fresh address space.
SERVING = """
import re, sys
from pathlib import Path
from chatbot.bot import load_engine
from chatbot.config import Paths
from chatbot.dialogue import Conversation
conversation = Conversation(load_engine(Paths(corpus=Path(sys.argv[1]), index=Path(sys.argv[2]))))
for question in sys.argv[3:]:
    conversation.send(question)
print(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text()).group(1))
"""


def _embedders() -> dict:
    from chatbot.backends import make_embedder
    from chatbot.onnx_backend import onnx_installed

    names = BACKENDS if onnx_installed() else ("torch",)
    embedders = {name: make_embedder(name) for name in names}
    for embedder in embedders.values():
        embedder.encode(["warm up"])  # load (and export, the first time) outside the timings
    return embedders


def _paired(baseline: list[float], timings: list[float]) -> float:
    return statistics.median(b / t for b, t in zip(baseline, timings, strict=True))


def index_build(embedders: dict, corpus: Path, work: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds of a full build of `corpus` (fresh folder, nothing reused) per backend and round; the order
    of backends turns each round, so none always runs first."""
    from chatbot.chunking import ChunkSettings
    from chatbot.search_index import open_index

    names = list(embedders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in names[round_number % len(names):] + names[:round_number % len(names)]:
            folder = work / f"build-{name}-{round_number}"
            start = time.perf_counter()
            open_index(corpus, folder, embedders[name], ChunkSettings(), force=True)
            times[name].append(time.perf_counter() - start)
            shutil.rmtree(folder, ignore_errors=True)
    return times


def turn_encode(embedders: dict, rounds: int) -> dict[str, list[float]]:
    """Seconds to encode one question (what each dialogue turn costs the model), backends alternating
    question by question."""
    times: dict[str, list[float]] = {name: [] for name in embedders}
    for _ in range(rounds):
        for question in QUESTIONS:
            for name, embedder in embedders.items():
                start = time.perf_counter()
                embedder.encode([question])
                times[name].append(time.perf_counter() - start)
    return times


def serving_rss(backend: str, index: Path) -> int:
    """Peak RSS (KiB) of a process that loads the engine on `backend` and answers the 12 questions."""
    out = subprocess.run([sys.executable, "-c", SERVING, str(SEED_CORPUS), str(index), *QUESTIONS],
                         capture_output=True, text=True, check=True, env={**_env(), "CHATBOT_BACKEND": backend},
                         cwd=REPO)
    return int(out.stdout.split()[-1])


def backend_rows(files: int = 40, rounds: int = 3) -> list[Row]:
    from chatbot.chunking import ChunkSettings
    from chatbot.search_index import open_index

    embedders = _embedders()
    if len(embedders) == 1:
        return [Row("backends: onnx, onnx-int8 vs torch", "not measured", "—", "the onnx extra is not installed")]
    rows = []
    work = Path(tempfile.mkdtemp(prefix="bench-backends-"))
    try:
        corpus = synthetic_corpus(work / "corpus", files)
        _log(f"backends: index builds ({files} files, {rounds} rounds)")
        builds = index_build(embedders, corpus, work, rounds)
        _log("backends: per-turn encode")
        turns = turn_encode(embedders, rounds=max(3, rounds * 2))
        _log("backends: serving memory")
        rss = {}
        for name, embedder in embedders.items():
            index = work / f"seed-{name}"
            open_index(SEED_CORPUS, index, embedder, ChunkSettings())  # built here: the server only loads it
            rss[name] = serving_rss(name, index)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in BACKENDS[1:]:
        rows.append(Row(f"index build, {name}: torch's time ÷ {name}'s ({files} files, full build)",
                        f"{_paired(builds['torch'], builds[name]):.2f}x", "≥ 1.3x (goal 1.5x)",
                        f"{statistics.median(builds[name]):.1f} s vs {statistics.median(builds['torch']):.1f} s, "
                        f"medians of {rounds} alternating rounds"))
        rows.append(Row(f"per-turn encode, {name}: torch's time ÷ {name}'s (one question)",
                        f"{_paired(turns['torch'], turns[name]):.2f}x", "≥ 1.2x (goal 1.5x)",
                        f"{statistics.median(turns[name]) * 1000:.1f} ms vs "
                        f"{statistics.median(turns['torch']) * 1000:.1f} ms over {len(turns[name])} questions"))
        rows.append(Row(f"peak RSS serving the seed corpus, {name} ÷ torch", f"{rss[name] / rss['torch']:.2f}x",
                        "≤ 1.0x", f"{rss[name] / 1024:.0f} MB vs {rss['torch'] / 1024:.0f} MB"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backends", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40, help="documents in the synthetic build corpus")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    for row in backend_rows(args.files, args.rounds):
        print(f"| {row.measure} | {row.ratio} | {row.target} | {row.detail} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
