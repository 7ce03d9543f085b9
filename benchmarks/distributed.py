"""`chatbot index --ray` against the single-process build on this machine: whole `chatbot index` commands
on the same synthetic corpus, each into a fresh index folder, alternated in one run (single, Ray with 2
workers, Ray with 1 worker, and again), medians of the pairs. From the 1- and 2-worker times, the fixed
part (Ray start, model loads, the driver's own work) and the part that divides among workers.

    python -m benchmarks.distributed [--files 200] [--repeats 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.run import REPO, Row, _env, _log, synthetic_corpus, table

CHATBOT = [sys.executable, "-m", "chatbot", "index"]
VARIANTS = {"single": [], "ray-2": ["--ray", "--workers", "2"], "ray-1": ["--ray", "--workers", "1"]}


def _build(corpus: Path, index: Path, flags: list[str]) -> tuple[float, int]:
    """Seconds for one whole `chatbot index` command, and the passages it indexed."""
    start = time.perf_counter()
    done = subprocess.run([*CHATBOT, *flags, "--corpus", str(corpus), "--index", str(index)], cwd=REPO,
                          env=_env(), capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"chatbot index {' '.join(flags)} failed: {done.stderr[-500:]}")
    return seconds, int(re.search(r"(\d+) passages", done.stderr).group(1))


def _difference(a: Path, b: Path) -> tuple[bool, float]:
    """(same documents, passages and offsets; largest difference between their vectors)."""
    from chatbot.search_index import CURRENT_LINK

    same = all((a / CURRENT_LINK / name).read_bytes() == (b / CURRENT_LINK / name).read_bytes()
               for name in ("documents.json", "passages.json", "text_keys.json"))
    delta = max(float(np.abs(np.load(a / CURRENT_LINK / name) - np.load(b / CURRENT_LINK / name)).max())
                for name in ("passage_vectors.npy", "sentence_vectors.npy"))
    return same, delta


def _load() -> str:
    """The 1-minute load average: on a shared machine, what the timings competed with."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def ray_builds(files: int = 200, repeats: int = 2) -> list[Row]:
    measure = f"index build on Ray, 2 workers on this node ÷ single-process build ({files} files, whole commands)"
    if importlib.util.find_spec("ray") is None:
        return [Row(measure, "not measured", "≤ 1.25x", "Ray is not installed: pip install '.[ray]'")]
    work = Path(tempfile.mkdtemp(prefix="bench-ray-"))
    try:
        corpus = synthetic_corpus(work / "corpus", files)
        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        passages = 0
        for attempt in range(repeats):
            for name, flags in VARIANTS.items():  # alternated: a slow stretch of the machine hits all three
                seconds, passages = _build(corpus, work / f"{name}-{attempt}", flags)
                times[name].append(seconds)
                _log(f"Ray build: {name}, round {attempt + 1} of {repeats}: {seconds:.1f} s")
        same, delta = _difference(work / f"single-{repeats - 1}", work / f"ray-2-{repeats - 1}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    single, two, one = (statistics.median(times[n]) for n in ("single", "ray-2", "ray-1"))
    ratio = statistics.median(r / s for r, s in zip(times["ray-2"], times["single"], strict=True))
    scaling = statistics.median(t / o for t, o in zip(times["ray-2"], times["ray-1"], strict=True))
    divided = 2 * (one - two)  # T(N) = fixed + divided / N, solved from N = 1 and 2
    fixed = one - divided
    if divided > 0:
        model = (f"as T(N) = fixed + divided/N: fixed {fixed:.1f} s (Ray start, model loads, the driver's hashing, "
                 f"BM25, FAISS and save), divided {divided:.1f} s; on paper 4 workers {fixed + divided / 4:.1f} s, "
                 f"8 workers {fixed + divided / 8:.1f} s")
    else:
        model = "a second worker gained nothing in this run: the node's cores were busy (see the load average)"
    return [
        Row(measure, f"{ratio:.2f}x", "≤ 1.25x",
            f"{two:.1f} s vs {single:.1f} s for {passages} passages; median of {repeats} pairs"),
        Row("index build on Ray: 2 workers ÷ 1 worker (one node, 2 cores)", f"{scaling:.2f}x", "—",
            f"{two:.1f} s vs {one:.1f} s; {model}; load average {_load()}"),
        Row("Ray build = single-process build: documents, passages, offsets; largest vector difference",
            "identical" if same else "DIFFERENT", "identical, ≤ 1e-5", f"{delta:.1e}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distributed", description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    rows = ray_builds(args.files, args.repeats)
    print(table(rows, "python -m benchmarks.distributed " + " ".join(argv or sys.argv[1:]),
                time.perf_counter() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main())
