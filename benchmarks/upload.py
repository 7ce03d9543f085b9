"""Uploads: what adding one document to a running bot costs, and what it costs the chats meanwhile.

- adding a 70-page PDF to a 200-file corpus (the library's background build, as an upload runs it)
  against that PDF's own build (an index of that file alone): the difference is what the rest of the
  corpus costs, which should be little, since nothing else is read or embedded again;
- chat turns while that upload is being indexed against the same turns while idle.

    python -m benchmarks.upload            # these rows alone
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import QUESTIONS, REAL_CORPORA, Row, _log, ms, paired_ratio, percentile, synthetic_corpus

PDF_PAGES = 70
SOURCE_PDF = REAL_CORPORA / "pdf" / "debian-reference.en.pdf"


def pdf_of_pages(target: Path, pages: int = PDF_PAGES, first: int = 20) -> Path | None:
    """A `pages`-page PDF cut from the Debian Reference (past its front matter), or None without it."""
    import subprocess

    import pypdfium2 as pdfium

    if not SOURCE_PDF.exists():
        subprocess.run(["bash", str(REAL_CORPORA.parent / "prepare.sh")], capture_output=True)
    if not SOURCE_PDF.exists():
        return None
    source = pdfium.PdfDocument(str(SOURCE_PDF))
    cut = pdfium.PdfDocument.new()
    cut.import_pages(source, list(range(first, first + pages)))
    cut.save(str(target))
    return target


def _turns(library, count: int, stop=None) -> list[float]:
    """Seconds per turn of one conversation over QUESTIONS, each as a new question (no cached vector);
    `count` turns, or as many as fit until `stop()` is true."""
    from chatbot.dialogue import Conversation

    conversation = Conversation(library.engine)
    times = []
    n = 0
    while (stop is None and n < count) or (stop is not None and not stop()):
        engine = library.engine
        engine.retriever.forget_recent()
        start = time.perf_counter()
        conversation.use(engine).send(QUESTIONS[n % len(QUESTIONS)])
        times.append(time.perf_counter() - start)
        n += 1
        time.sleep(0.05)  # idle or busy, the same pace: a sleeping thread is scheduled sooner on a loaded machine
    return times


def quiet(embedder) -> None:
    """Forget the chats timed before: a build then takes its normal batches, as on a quiet server."""
    lock = getattr(embedder, "_encode_lock", None)
    if lock is not None:
        lock.forget_questions()


def _library(base, folder: Path, embedder):
    """A started library over a copy of the base corpus and index, and its counting embedder."""
    from chatbot.config import Paths
    from chatbot.embeddings import CountingEmbedder
    from chatbot.library import Library

    paths = Paths(folder / "corpus", folder / "index")
    shutil.copytree(base.corpus, paths.corpus)
    shutil.copytree(base.index, paths.index, symlinks=True)
    counting = CountingEmbedder(embedder)
    library = Library(paths, counting)
    library.open()
    library.start()
    return library, counting


def upload_rows(embedder, files: int = 200, repeats: int = 2) -> list[Row]:
    from chatbot.chunking import ChunkSettings
    from chatbot.config import Paths
    from chatbot.search_index import open_index

    work = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        pdf = pdf_of_pages(work / "manual-70-pages.pdf")
        if pdf is None:
            _log("upload: the Debian Reference PDF could not be prepared; rows skipped")
            return []
        _log(f"upload: building the {files}-file corpus")
        base = Paths(synthetic_corpus(work / "corpus", files), work / "index")
        open_index(base.corpus, base.index, embedder, ChunkSettings())

        owns, adds, passages, embedded, idle, busy = [], [], 0, 0, [], []
        for attempt in range(repeats):  # alternate: each pair sees the same load
            quiet(embedder)
            _log(f"upload: the PDF's own build ({attempt + 1}/{repeats})")
            alone = Paths(work / f"alone-{attempt}", work / f"alone-index-{attempt}")
            alone.corpus.mkdir()
            shutil.copy(pdf, alone.corpus / pdf.name)
            start = time.perf_counter()
            own_index = open_index(alone.corpus, alone.index, embedder, ChunkSettings())
            owns.append(time.perf_counter() - start)
            passages = len(own_index.passages)

            _log(f"upload: adding it to the running library ({attempt + 1}/{repeats})")
            library, counting = _library(base, work / f"quiet-{attempt}", embedder)
            start = time.perf_counter()
            library.add(pdf)
            assert library.wait_until_indexed(1800)
            adds.append(time.perf_counter() - start)
            library.close()
            embedded = counting.in_context
            assert pdf.name in library.engine.index.documents

            _log(f"upload: chat turns while adding it again, and idle ({attempt + 1}/{repeats})")
            library, _ = _library(base, work / f"chats-{attempt}", embedder)
            _turns(library, len(QUESTIONS))  # warm the engine's caches, as a serving engine's are
            idle += _turns(library, 2 * len(QUESTIONS))
            library.add(pdf)
            busy += _turns(library, 0, stop=lambda lib=library: not lib.indexing)
            assert library.wait_until_indexed(1800)
            _turns(library, len(QUESTIONS))
            idle += _turns(library, 2 * len(QUESTIONS))
            library.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    own, add = statistics.median(owns), statistics.median(adds)
    rows = [Row(f"adding a {PDF_PAGES}-page PDF to a running bot's {files}-file corpus ÷ that PDF's own build",
                f"{paired_ratio(adds, owns):.2f}x", "≤ 1.10x",
                f"{add:.1f} s vs {own:.1f} s, medians of {repeats} alternating pairs; {embedded} passages "
                f"embedded for the PDF's {passages} (nothing else re-embedded)")]
    for name, share in (("p50", 0.5), ("p95", 0.95)):
        during, still = percentile(busy, share), percentile(idle, share)
        rows.append(Row(f"chat turn {name} while that upload is indexed ÷ idle", f"{during / still:.2f}x", "≤ 2x",
                        f"{ms(during)} vs {ms(still)} over {len(busy)} and {len(idle)} turns, 50 ms apart; the idle "
                        "ones on warm engines before and after"))
    return rows


def main() -> int:
    from benchmarks.run import table
    from chatbot.backends import make_embedder

    began = time.perf_counter()
    embedder = make_embedder()  # the default backend (CHATBOT_BACKEND to choose), as `make bench` uses
    embedder.warm_up()
    print(table(upload_rows(embedder), "python -m benchmarks.upload", time.perf_counter() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main())
