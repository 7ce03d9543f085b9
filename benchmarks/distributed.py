"""`chatbot index --ray` against the single-process build on this machine: whole `chatbot index` commands
on the same synthetic corpus, each into a fresh index folder, alternated in one run (single, Ray with 2
workers, Ray with 1 worker, and the same on the 2 seed files, where Ray's fixed cost shows), medians of
the pairs; with the single-process build's CPU-seconds, what N workers would take on paper.

    python -m benchmarks.distributed [--files 200] [--repeats 2]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.run import REPO, SEED_CORPUS, Row, _env, _log, synthetic_corpus, table

CHATBOT = [sys.executable, "-m", "chatbot", "index"]
VARIANTS = {"single": [], "ray-2": ["--ray", "--workers", "2"], "ray-1": ["--ray", "--workers", "1"]}


def _build(corpus: Path, index: Path, flags: list[str]) -> tuple[float, float, int]:
    """Wall seconds for one whole `chatbot index` command, the CPU-seconds of it and the processes it
    waited for (read for the single-process build only: all its work is there), and the passages it
    indexed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*CHATBOT, *flags, "--corpus", str(corpus), "--index", str(index)], cwd=REPO,
                          env=_env(), capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"chatbot index {' '.join(flags)} failed: {done.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, int(re.search(r"(\d+) passages", done.stderr).group(1))


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
        runs = [(name, corpus, flags) for name, flags in VARIANTS.items()]
        runs += [("seed-single", SEED_CORPUS, []), ("seed-ray-2", SEED_CORPUS, VARIANTS["ray-2"])]
        times: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        cpu: list[float] = []
        passages = 0
        for attempt in range(repeats):
            for name, folder, flags in runs:  # alternated: a slow stretch of the machine hits every variant
                seconds, used, count = _build(folder, work / f"{name}-{attempt}", flags)
                times[name].append(seconds)
                if name == "single":
                    cpu.append(used)
                    passages = count
                _log(f"Ray build: {name}, round {attempt + 1} of {repeats}: {seconds:.1f} s ({_load()})")
        same, delta = _difference(work / f"single-{repeats - 1}", work / f"ray-2-{repeats - 1}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    single, two, one = median["single"], median["ray-2"], median["ray-1"]

    def paired(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))

    fixed = median["seed-ray-2"] - median["seed-single"]  # what Ray adds when there is almost nothing to do
    work_seconds = statistics.median(cpu)
    base = median["seed-ray-2"]  # Ray's start, the workers' model loads (side by side), the driver's own work
    return [
        Row(measure, f"{paired('ray-2', 'single'):.2f}x", "≤ 1.25x",
            f"{two:.1f} s vs {single:.1f} s for {passages} passages; the single-process build used {work_seconds:.0f} "
            f"CPU-seconds; median of {repeats} alternating rounds; load average {_load()}"),
        Row("Ray's fixed cost: `index --ray` (2 workers) on the 2 seed files ÷ the single-process build of them",
            f"{paired('seed-ray-2', 'seed-single'):.2f}x", "—",
            f"{median['seed-ray-2']:.1f} s vs {median['seed-single']:.1f} s: Ray adds {fixed:.1f} s (its start, a "
            f"second model load, its stop)"),
        Row("index build on Ray: 2 workers ÷ 1 worker (one node, 2 cores)", f"{paired('ray-2', 'ray-1'):.2f}x",
            "—", f"{two:.1f} s vs {one:.1f} s; on paper, with a free core per worker, T(N) ≈ Ray on the seeds + "
            f"CPU-seconds / N = {base:.0f} s + {work_seconds:.0f} s / N: {base + work_seconds / 4:.0f} s for 4, "
            f"{base + work_seconds / 8:.0f} s for 8"),
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
