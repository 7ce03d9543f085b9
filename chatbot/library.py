"""The document library: files added to and removed from the corpus folder while the bot runs, and the
index kept up to date with them in the background.

- `store_file` puts one file in the corpus folder under a sanitised, unused name, after checking its
  size and that its content is what its suffix says. It is written to a hidden temporary file first
  and linked into place whole, so a half-written file is never seen by the index (hidden files are
  not part of the corpus) and an existing file is never overwritten.
- `remove_file` deletes one document of the corpus folder, never anything outside it.
- `Library` owns the Engine that answers. Changes are indexed by one background thread; the new Engine
  is built fully and then swapped in with one assignment, so a turn sees the old index or the new one.
  Until then the last good index keeps answering; a crash mid-build leaves it on disk, and the changed
  files, still differing from its manifest, are indexed again at the next start.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunking import ChunkSettings
from .config import Paths
from .corpus import CorpusError, corpus_files, file_hash, report_skipped
from .dialogue import DialogueSettings, Engine
from .embeddings import Embedder
from .readers import FORMATS, format_of, head_text, is_documentation_name, looks_like_text
from .search_index import (
    IndexUnusable,
    IndexUnwritable,
    SearchIndex,
    expected_manifest,
    load,
    open_index,
)

MAX_FILE_MB = float(os.environ.get("CHATBOT_MAX_FILE_MB", "50"))  # one file
MAX_UPLOAD_MB = float(os.environ.get("CHATBOT_MAX_UPLOAD_MB", "200"))  # all files of one upload together
MAX_NAME_CHARS = 120
BUILD_BATCH = 16  # passages per forward pass of a background build when nobody chats (one while they do)
TEMPORARY_PREFIX = ".upload-"  # hidden, so never part of the corpus while it is being written
SNIFF_BYTES = 8192


class Refused(ValueError):
    """This file cannot go into the library; str(exc) says why in words a user understands."""


def _log(message: str) -> None:
    print(f"chatbot: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- names and content


def safe_name(name: str) -> str:
    """A file name that is safe to create in the corpus folder: no folders, no hidden or control
    characters, nothing a shell or a URL would trip on, at most MAX_NAME_CHARS, its suffix kept."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]+", "_", name).strip(" ._")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem.strip(" ._") or "document"
    suffix = suffix.lower()[:10]
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def sniffed_format(head: bytes, zip_path: Path | None = None) -> str | None:
    """The format the content shows ('pdf', 'docx', 'html', 'text'), or None for binary data that is
    none of them. `head`: the first bytes; `zip_path`: the file, to look inside a zip."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if zip_path is not None:
            with contextlib.suppress(OSError, zipfile.BadZipFile):
                with zipfile.ZipFile(zip_path) as archive:
                    if "word/document.xml" in archive.namelist():
                        return "docx"
        return None
    text = head_text(head)
    if text is None:
        return None  # binary data, or text the text reader would refuse (not UTF-8 nor mostly ASCII)
    if re.search(r"<(!doctype\s+html|html|head|body)\b", text[:4096], re.IGNORECASE):
        return "html"
    return "text"


def check_content(path: Path, name: str) -> str:
    """The format of the file at `path`, whose name is `name`; Refused when its suffix has no reader or
    its content is not what the suffix says (a zip renamed .docx, a program renamed .pdf)."""
    claimed = format_of(Path(name)) or ("text" if is_documentation_name(name) and looks_like_text(path) else None)
    if claimed is None:
        raise Refused(f"no reader for {Path(name).suffix or 'files without a suffix'} "
                      f"(accepted: {', '.join(sorted(FORMATS))})")
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    found = sniffed_format(head, path)
    expected = "text" if claimed in ("text", "markdown") else claimed
    if found == expected or (expected == "text" and found == "html"):  # HTML shown in a .txt is still text
        return claimed
    if expected == "html" and found == "text" and b"<" in head:
        return claimed  # a fragment without <html>: the HTML reader takes it
    shown = {"pdf": "a PDF", "docx": "a Word document", "html": "an HTML page", "text": "plain text",
             None: "binary data of another kind"}[found]
    raise Refused(f"its content is {shown}, not what {Path(name).suffix} says")


# ---------------------------------------------------------------- storing and removing


def store_file(corpus: Path, source: Path, name: str | None = None, max_bytes: float = MAX_FILE_MB * 1e6) -> str:
    """Copy `source` into the corpus folder as `name` (sanitised; "name (2).pdf" when taken) and return
    its document id. Refused when too large or not of an accepted type; the folder is then unchanged."""
    name = safe_name(name or source.name)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise Refused(f"it cannot be opened ({exc.strerror or exc})") from exc
    if size > max_bytes:
        raise Refused(f"it is {size / 1e6:.1f} MB, over the limit of {max_bytes / 1e6:g} MB per file")
    if size == 0:
        raise Refused("it is empty")
    check_content(source, name)
    corpus.mkdir(parents=True, exist_ok=True)
    temporary = corpus / f"{TEMPORARY_PREFIX}{os.getpid()}-{time.monotonic_ns()}"
    try:
        with open(source, "rb") as reader, open(temporary, "xb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        check_content(temporary, name)  # the source may have changed while it was copied
        stem, suffix = os.path.splitext(name)
        for n in range(1, 10_000):
            target = corpus / (name if n == 1 else f"{stem} ({n}){suffix}")
            try:
                os.link(temporary, target)  # fails when the name is taken: nothing is overwritten
            except FileExistsError:
                continue
            return target.name
        raise Refused("too many files already have this name")
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def corpus_path(corpus: Path, doc_id: str) -> Path:
    """The file of document `doc_id`, which must be a document of the corpus folder (no `..`, no link
    out of it, no hidden file); CorpusError otherwise."""
    files = corpus_files(corpus, {})
    path = files.get(str(doc_id).replace("\\", "/").removeprefix("./"))
    if path is None:
        raise CorpusError(f"no document {doc_id!r} in {corpus}")
    root = corpus.resolve()
    if not path.resolve().is_relative_to(root):
        raise CorpusError(f"{doc_id!r} points outside {corpus}")
    return path


def remove_file(corpus: Path, doc_id: str) -> None:
    """Delete document `doc_id` from the corpus folder; CorpusError when it is not one of its documents."""
    path = corpus_path(corpus, doc_id)
    if len(corpus_files(corpus, {})) <= 1:
        raise CorpusError("it is the last document: the bot needs at least one to answer from")
    path.unlink()


# ---------------------------------------------------------------- the library of a running bot


@dataclass(frozen=True)
class Entry:
    """One document as the library panel shows it."""

    doc: str
    title: str
    status: str  # "indexed", "indexing", "waiting", "skipped", "refused"
    detail: str  # pages and sections, or why it was skipped or refused
    pages: int = 0
    sections: int = 0


@dataclass(frozen=True)
class Progress:
    stage: str  # "idle", "reading", "embedding", "saving", "done", "failed"
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def fraction(self) -> float:
        if self.stage in ("idle", "done", "failed"):
            return 1.0
        # reading is the first tenth, embedding the next eight, saving the last
        within = self.done / self.total if self.total else 0.0
        return {"reading": 0.1 * within, "embedding": 0.1 + 0.8 * within, "saving": 0.9}.get(self.stage, 0.0)


def lower_priority() -> None:
    """Run the calling thread, and the threads it starts from now on, at the lowest CPU priority: a
    chat turn that needs the cores gets them at once, and the build gets whatever the turns leave. (On
    Linux a nice value belongs to a thread, and new threads and processes inherit it; elsewhere this
    does nothing and the priority lock alone keeps questions first.)"""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class BackgroundEmbedder:
    """The model for background builds: a copy of its own where the embedder offers one (`for_background`:
    ONNX and torch), loaded by the low-priority build thread so its threads are low-priority too; else
    the serving one, in batches behind its priority lock that give way to questions."""

    def __init__(self, inner: Embedder, batch_size: int = BUILD_BATCH) -> None:
        inner = inner.for_background() if hasattr(inner, "for_background") else inner
        self.inner, self.identity, self.dimension = inner, inner.identity, inner.dimension
        self.batch_size = batch_size
        if hasattr(inner, "encode_with_spans"):
            self.encode_with_spans = self._encode_with_spans
        if hasattr(inner, "encode_for_build"):
            self.encode_for_build = self._encode_for_build

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode(texts)

    def _encode_for_build(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_for_build(texts, batch_size=self.batch_size)

    def _encode_with_spans(self, texts, spans):
        return self.inner.encode_with_spans(texts, spans, batch_size=self.batch_size)


def _same_model(manifest: dict, expected: dict) -> bool:
    return all(manifest.get(key) == expected[key] for key in ("format", "model", "dimension", "chunking", "tokenizer"))


class Library:
    """The running bot's documents and the Engine that answers from them."""

    def __init__(self, paths: Paths, embedder: Embedder, settings: DialogueSettings | None = None,
                 chunking: ChunkSettings = ChunkSettings(), batch_size: int = BUILD_BATCH) -> None:
        self.paths = paths
        self.embedder = embedder
        self.settings = settings
        self.chunking = chunking
        self._builder = BackgroundEmbedder(embedder, batch_size)
        self.engine: Engine | None = None
        self.progress = Progress("idle")
        self.refused: dict[str, str] = {}  # uploads that never entered the corpus, by name: why
        self.failure = ""  # why the last background build failed ("" when it did not)
        self._wanted = threading.Event()  # a change waits to be indexed
        self._idle = threading.Event()
        self._idle.set()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one store or remove at a time
        self._worker: threading.Thread | None = None

    # ------------------------------------------------------------ start

    def open(self, progress: bool = False) -> Engine:
        """The engine to serve at once: the stored index when it is current; else, when it is sound and
        made by this model, the last good index (the difference is indexed in the background, see
        `start`); else a synchronous build, as `chatbot index` would."""
        files = corpus_files(self.paths.corpus)
        expected = expected_manifest({d: file_hash(p) for d, p in files.items()}, self.embedder, self.chunking)
        index: SearchIndex | None = None
        with contextlib.suppress(IndexUnusable, OSError):
            index = load(self.paths.index)
            if not _same_model(index.manifest, expected) or not index.documents:
                index = None
        if index is not None and index.manifest.get("documents") != expected["documents"]:
            _log("the corpus changed since the index was built: serving the last good index while the "
                 "changes are indexed in the background")
            self._idle.clear()
            self._wanted.set()
        if index is None:
            index = open_index(self.paths.corpus, self.paths.index, self.embedder, self.chunking, progress=progress)
        else:
            report_skipped(index.manifest.get("skipped", {}))  # named at each start, as open_index does
        self._swap(index)
        return self.engine

    def start(self) -> None:
        """Index changes in the background from now on."""
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="library-indexer", daemon=True)
            self._worker.start()

    def close(self) -> None:
        self._stop.set()
        self._wanted.set()
        if self._worker is not None:
            self._worker.join(timeout=60)

    # ------------------------------------------------------------ changes

    def add(self, source: Path, name: str | None = None, max_bytes: float = MAX_FILE_MB * 1e6,
            index: bool = True) -> str:
        """Store one file and (unless `index` is False: the caller adds more, then calls `refresh`)
        schedule its indexing; its document id, or Refused (remembered, so the library panel shows it)."""
        shown = safe_name(name or source.name)
        with self._lock:
            try:
                doc_id = store_file(self.paths.corpus, source, name, max_bytes)
            except Refused as exc:
                self.refused[shown] = str(exc)
                raise
            self.refused.pop(shown, None)
        if index:
            self.refresh()
        return doc_id

    def refuse(self, name: str, reason: str) -> None:
        self.refused[safe_name(name)] = reason

    def remove(self, doc_id: str) -> None:
        with self._lock:
            remove_file(self.paths.corpus, doc_id)
        self.refresh()

    def refresh(self) -> None:
        """The corpus folder changed (or may have): index it in the background."""
        self._idle.clear()
        self._wanted.set()

    @property
    def indexing(self) -> bool:
        """Whether a change is being indexed or waits to be."""
        return self._wanted.is_set() or not self._idle.is_set()

    def wait_until_indexed(self, timeout: float = 600) -> bool:
        """True once no change waits to be indexed (for the CLI, tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._idle.wait(timeout=0.05) and not self._wanted.is_set():
                return True
        return False

    # ------------------------------------------------------------ the worker

    def _work(self) -> None:
        lower_priority()
        while not self._stop.is_set():
            self._wanted.wait()
            if self._stop.is_set():
                return
            self._idle.clear()
            self._wanted.clear()
            self.index_now()
            if not self._wanted.is_set():
                self._idle.set()

    def index_now(self) -> None:
        """Bring the index up to date with the corpus folder, then swap the new Engine in. A failure
        leaves the last good one answering and is reported in the library."""
        started = time.perf_counter()
        self.progress = Progress("reading", 0, 0, "checking the documents")
        try:
            if self._unchanged_since_last_build():
                self.progress = Progress("done", message="no change")
                return
            index = open_index(self.paths.corpus, self.paths.index, self._builder, self.chunking,
                               on_progress=self._on_progress)
            self._swap(index)
        except (CorpusError, IndexUnwritable, OSError) as exc:
            self.failure = str(exc)
            self.progress = Progress("failed", message=str(exc))
            _log(f"indexing failed, the last good index keeps answering: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - a build bug must not end the server; the old index serves
            self.failure = f"{type(exc).__name__}: {exc}"
            self.progress = Progress("failed", message=self.failure)
            _log(f"indexing failed, the last good index keeps answering: {self.failure}")
            return
        self.failure = ""
        self.progress = Progress("done", message=f"indexed in {time.perf_counter() - started:.1f} s")

    def _unchanged_since_last_build(self) -> bool:
        """Whether the corpus folder holds exactly the files the serving index was built from (an upload
        seen again by the folder watcher, a touch): then there is nothing to build or swap."""
        if self.engine is None:
            return False
        stored = self.engine.index.manifest.get("documents", {})
        files = corpus_files(self.paths.corpus, {})
        return set(files) == set(stored) and all(_unchanged(path, stored[d]) for d, path in files.items())

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        words = {"reading": f"reading {total} new or changed file{'s' if total != 1 else ''}",
                 "embedding": f"embedding passages {done}/{total}", "saving": "saving the index"}
        self.progress = Progress(stage, done, total, words.get(stage, stage))

    def _swap(self, index: SearchIndex) -> None:
        engine = Engine(index, self.embedder, self.settings)  # fully built before anyone sees it
        self.engine = engine  # the one atomic step: later turns use the new engine

    # ------------------------------------------------------------ what the panel shows

    def entries(self) -> list[Entry]:
        """Every file of the corpus folder with its state, then the refused uploads."""
        engine = self.engine
        index = engine.index if engine is not None else None
        stored = index.manifest.get("documents", {}) if index else {}
        skipped = index.manifest.get("skipped", {}) if index else {}
        busy = not self._idle.is_set()
        sections: dict[str, set[int]] = {}
        for passage in index.passages if index else []:
            sections.setdefault(passage.doc, set()).add(passage.section_index)
        out = []
        unreadable: dict[str, str] = {}
        try:
            files = corpus_files(self.paths.corpus, unreadable)
        except CorpusError:
            files = {}
        for doc_id, path in files.items():
            current = doc_id in stored and _unchanged(path, stored[doc_id])
            if current and doc_id in skipped:
                out.append(Entry(doc_id, doc_id, "skipped", skipped[doc_id]))
            elif current and index is not None and doc_id in index.documents:
                document = index.documents[doc_id]
                pages, count = len(document.pages), len(sections.get(doc_id, ()))
                detail = (f"{pages} page{'s' if pages != 1 else ''}, " if pages else "") + \
                    f"{count} section{'s' if count != 1 else ''}"
                out.append(Entry(doc_id, document.title or doc_id, "indexed", detail, pages, count))
            elif busy:
                out.append(Entry(doc_id, doc_id, "indexing", self.progress.message))
            else:
                why = f"indexing failed: {self.failure}" if self.failure else "not indexed yet"
                out.append(Entry(doc_id, doc_id, "waiting", why))
        out.extend(Entry(doc_id, doc_id, "skipped", why) for doc_id, why in unreadable.items())
        out.extend(Entry(name, name, "refused", reason) for name, reason in sorted(self.refused.items()))
        return out


def _unchanged(path: Path, digest: str) -> bool:
    """Whether the file still has the bytes the index was built from."""
    try:
        return file_hash(path) == digest
    except OSError:
        return False
