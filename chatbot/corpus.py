"""Find the documents of a folder, read each with the reader for its format, and find their sections.

A file that cannot be read (unknown suffix, broken, encrypted, no text) is skipped with one line on
stderr naming it and why; the rest are read. PDF, HTML and Word files are read in worker processes with
a time limit each, so one pathological file can neither hang nor crash the build.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from .readers import FORMATS, Unreadable, format_of, is_documentation_name, is_script, read_document
from .readers.text import find_blocks
from .readers.text import heading_text as text_heading
from .records import Block, Document

SECTION_RULES_VERSION = 6  # bump when section detection changes: stored indexes then rebuild
READ_SECONDS = float(os.environ.get("CHATBOT_READ_SECONDS", "120"))  # per file, for PDF/HTML/DOCX
PATH_SEPARATOR = " › "
_IN_PROCESS = ("text", "markdown")  # quick and pure Python: no worker needed


class CorpusError(ValueError):
    """The corpus folder cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Section:
    doc: str
    index: int
    title: str  # the heading as a reader sees it (one line), or the document's name for text before any heading
    start: int  # start of the heading (or of the text when there is no heading)
    body_start: int
    end: int
    path: tuple[str, ...] = ()  # headings from the top level down to this one

    @property
    def path_text(self) -> str:
        return PATH_SEPARATOR.join(self.path or (self.title,))


def log(message: str) -> None:
    print(f"chatbot: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- finding and reading files


SKIPS_NAMED = 3  # more files than this without a reader (a saved site's images) are counted, not listed


def corpus_files(folder: Path, unreadable: dict[str, str] | None = None) -> dict[str, Path]:
    """Every readable-looking file below `folder` by document id (its path relative to the folder),
    sorted; hidden files and folders are left out, other suffixes are skipped with a line on stderr
    (or, given `unreadable`, put there with why, silently: the library panel lists them)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist: point --corpus at a folder of documents")
    files: dict[str, Path] = {}
    no_reader: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if format_of(path) is None:
            no_reader[relative.as_posix()] = path.suffix.lower()
            continue
        files[relative.as_posix()] = path
    readable = f"(readable: {', '.join(sorted(FORMATS))})"
    why = {doc: _why_not_read(folder / doc, suffix, readable) for doc, suffix in no_reader.items()}
    if unreadable is not None:
        unreadable.update(why)
    elif len(no_reader) <= SKIPS_NAMED:
        for doc, reason in why.items():
            log(f"skipping {doc}: {reason}")
    else:  # one line for a saved site's hundreds of images and style sheets, not one each
        counts = collections.Counter(no_reader.values())
        kinds = ", ".join(f"{n} {suffix or 'without a suffix'}" for suffix, n in counts.most_common())
        log(f"skipping {len(no_reader)} files no reader reads ({kinds}) {readable}")
    return files


def _why_not_read(path: Path, suffix: str, readable: str) -> str:
    if not is_documentation_name(path.name):
        return f"no reader for {suffix or 'files without a suffix'} {readable}"
    return "it is a program (#! on its first line), not a document" if is_script(path) else "it is not plain text"


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes; remembered while its size and modification time stay the same, so a
    running server does not reread every file of the corpus at each upload."""
    stat = os.stat(path)
    return _hash_of_version(os.path.abspath(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


HASHES_KEPT = 100_000


@functools.lru_cache(maxsize=HASHES_KEPT)
def _hash_of_version(path: str, size: int, mtime_ns: int, inode: int) -> str:
    """The sha256 of one version of a file, named by its path, size, modification time and inode."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_documents(files: dict[str, Path], seconds: float = READ_SECONDS) -> tuple[list[Document], dict[str, str]]:
    """(documents read, {doc id: why it was skipped}) for the given files, in the order given."""
    done: dict[str, Document] = {}
    skipped: dict[str, str] = {}
    slow = {doc_id: path for doc_id, path in files.items() if format_of(path) not in _IN_PROCESS}
    for doc_id, path in files.items():
        if doc_id not in slow:
            _read_into(doc_id, path, done, skipped)
    if slow:
        _read_in_workers(slow, seconds, done, skipped)
    return [done[d] for d in files if d in done], {d: skipped[d] for d in files if d in skipped}


def _read_into(doc_id: str, path: Path, done: dict[str, Document], skipped: dict[str, str]) -> None:
    try:
        done[doc_id] = read_document(path, doc_id)
    except Unreadable as exc:
        skipped[doc_id] = str(exc)
    except OSError as exc:
        skipped[doc_id] = exc.strerror or str(exc)


def _read_in_workers(files: dict[str, Path], seconds: float, done: dict[str, Document],
                     skipped: dict[str, str]) -> None:
    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    workers = max(1, min(len(files), os.cpu_count() or 1, 4))
    with ProcessPool(max_workers=workers, context=multiprocessing.get_context("spawn")) as pool:
        futures = {doc_id: pool.schedule(_read_quietly, (path, doc_id), timeout=seconds)
                   for doc_id, path in files.items()}
        for doc_id, future in futures.items():
            try:
                outcome = future.result()
            except FutureTimeout:
                skipped[doc_id] = f"reading it took longer than {seconds:g} s"
            except ProcessExpired as exc:
                skipped[doc_id] = f"its reader crashed (exit code {exc.exitcode})"
            except Exception as exc:  # noqa: BLE001 - a reader bug must skip one file, not end the build
                skipped[doc_id] = f"its reader failed ({type(exc).__name__}: {exc})"
            else:
                if isinstance(outcome, Document):
                    done[doc_id] = outcome
                else:
                    skipped[doc_id] = outcome


def _read_quietly(path: Path, doc_id: str) -> Document | str:
    """In a worker: the document, or why it cannot be read (a string pickles where exceptions may not)."""
    try:
        return read_document(path, doc_id)
    except Unreadable as exc:
        return str(exc)
    except OSError as exc:
        return exc.strerror or str(exc)


def report_skipped(skipped: dict[str, str]) -> None:
    for doc_id, reason in skipped.items():
        log(f"skipping {doc_id}: {reason}")


def read_corpus(folder: Path) -> list[Document]:
    """Every readable document below `folder`, sorted by path; the others are skipped with a line each."""
    documents, skipped = read_documents(corpus_files(folder))
    report_skipped(skipped)
    if not documents:
        raise no_documents(folder)
    return documents


def no_documents(folder: Path) -> CorpusError:
    return CorpusError(f"corpus folder {folder} has no readable documents ({', '.join(sorted(FORMATS))}): "
                       "add some, or point --corpus at another folder")


# ---------------------------------------------------------------- sections


def blocks_of(document: Document) -> tuple[Block, ...]:
    """The document's blocks; a bare Document(id, text) is read as plain text (or Markdown by its name)."""
    if document.blocks:
        return document.blocks
    return tuple(find_blocks(document.text, markdown=document.id.lower().endswith((".md", ".markdown"))))


def heading_text(document: Document, block: Block) -> str:
    """A heading on one line (a plain-text heading without its `#` marks or underline)."""
    if document.format in _IN_PROCESS:
        title = text_heading(document.text, block)
        markdown = document.format == "markdown" or document.id.lower().endswith((".md", ".markdown"))
        return _without_inline_markup(title) if markdown else title
    return " ".join(document.text[block.start:block.end].split())


_CODE_SPAN = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_EMPHASIS = re.compile(r"(\*\*|__|\*)(\S(?:.*?\S)?)\1")


def _without_inline_markup(title: str) -> str:
    """A Markdown heading as it is shown: "Class: `dns.Resolver`" -> "Class: dns.Resolver", "[Setup](#setup)"
    -> "Setup", "**Note**" -> "Note"; code keeps its brackets. The title names the section, it is not a
    quote: the document's text keeps its marks."""
    parts = _CODE_SPAN.split(title)  # code at the odd places
    shown = "".join(part if i % 2 else _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", part)) for i, part in enumerate(parts))
    return shown.strip() or title


def find_sections(document: Document) -> list[Section]:
    """One section per heading, from the heading to the next one; text before the first heading is a
    section named after the document. Each section knows its heading path (chapter › section › …)."""
    blocks = blocks_of(document)
    headings = [b for b in blocks if b.kind == "heading"]
    sections: list[Section] = []
    content = [b for b in blocks if b.kind != "heading"]
    end_of_text = max((b.end for b in blocks), default=0)
    first_heading = headings[0].start if headings else end_of_text
    lead = [b for b in content if b.end <= first_heading]
    if lead:
        # "handbook" for handbook.pdf; a suffix that is no format's says what the file is: "sample.nanorc"
        name = Path(document.id).stem if Path(document.id).suffix.lower() in FORMATS else Path(document.id).name
        sections.append(Section(document.id, 0, name, lead[0].start, lead[0].start, first_heading, (name,)))
    stack: list[tuple[int, str]] = []  # (level, title) of the open headings
    for n, heading in enumerate(headings):
        title = heading_text(document, heading)
        level = max(1, heading.level)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        end = headings[n + 1].start if n + 1 < len(headings) else end_of_text
        sections.append(Section(document.id, len(sections), title, heading.start, heading.end, max(end, heading.end),
                                tuple(t for _, t in stack)))
    return sections


def body_blocks(document: Document, section: Section, blocks: Iterable[Block] | None = None) -> list[Block]:
    """The section's blocks other than its heading."""
    return [b for b in (blocks if blocks is not None else blocks_of(document))
            if b.kind != "heading" and section.body_start <= b.start and b.end <= section.end]
