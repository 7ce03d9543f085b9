"""Digests of the code that turns files into documents and passages, stored in an index's manifest.

A stored index keeps the documents it read and the passages it cut, and reuses them for unchanged files:
re-reading a PDF or re-splitting sentences is most of a rebuild. The hand-bumped versions
(READERS_VERSION, SENTENCE_RULES_VERSION, SECTION_RULES_VERSION) say when that output changed, but a
change that forgets its bump left old passages in use without a word (a Word file's footnotes stayed in
the wrong section after the code had moved them). A digest of the source cannot forget: any change to
these modules re-reads and re-chunks, and the vectors are still reused wherever a text is unchanged.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# what shapes a Document: the readers, and the records they fill
READER_SOURCES = ("readers/*.py", "records.py")
# what shapes its Passages, given the Documents: sections, blocks, sentences
CHUNKING_SOURCES = ("chunking.py", "corpus.py")


@cache
def source_digest(patterns: tuple[str, ...]) -> str:
    """A short digest of the package's source files matching `patterns`, in a fixed order."""
    digest = hashlib.sha256()
    for path in sorted({p for pattern in patterns for p in PACKAGE.glob(pattern)}):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def readers_digest() -> str:
    return source_digest(READER_SOURCES)


def chunking_digest() -> str:
    return source_digest(CHUNKING_SOURCES + READER_SOURCES)
