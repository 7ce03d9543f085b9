"""Read a folder of .txt/.md documents and find their sections.

Offsets are into each file's text exactly as read (UTF-8, newlines untouched), so a
citation can be checked against the file itself.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from .records import Document, Section

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown")

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")
_QUESTION_START = re.compile(
    r"^(what|how|why|which|where|when|who|whom|whose|is|are|was|were|do|does|did|can|could|"
    r"should|would|will|may)\b",
    re.IGNORECASE,
)
_MAX_TITLE_WORDS = 12
_MAX_QUESTION_CHARS = 200


class CorpusError(ValueError):
    """The corpus folder cannot be used; the message says why and what to do."""


def read_corpus(folder: Path) -> list[Document]:
    """Every .txt/.md file below `folder`, sorted by path. Non-UTF-8 files are skipped with a warning."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist: point --corpus at a folder of .txt/.md files")
    documents = []
    for path in sorted(_document_paths(folder)):
        doc_id = path.relative_to(folder).as_posix()
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            print(f"chatbot: skipping {doc_id}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                  "save it as UTF-8 to include it", file=sys.stderr)
            continue
        except OSError as exc:
            print(f"chatbot: skipping {doc_id}: {exc.strerror}", file=sys.stderr)
            continue
        if text.strip():
            documents.append(Document(id=doc_id, text=text))
    if not documents:
        raise CorpusError(f"corpus folder {folder} has no readable .txt or .md documents: add some, "
                          "or point --corpus at another folder")
    return documents


def _document_paths(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.suffix.lower() in DOCUMENT_SUFFIXES and path.is_file() and not any(
            part.startswith(".") for part in path.relative_to(folder).parts
        ):
            yield path


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, end excluding the line break."""
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and not match.group():
            break
        line = match.group().rstrip("\r\n")
        yield match.start(), match.start() + len(line)


def heading_title(line: str) -> str | None:
    """The title if this line is a heading: markdown heading, FAQ question or short title line."""
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group(2).strip()
    stripped = line.strip().lstrip("\ufeff")
    if not stripped or _BULLET.match(line):
        return None
    words = stripped.split()
    if stripped.endswith("?") and len(stripped) <= _MAX_QUESTION_CHARS:
        return stripped
    if stripped.endswith(":") and _QUESTION_START.match(stripped) and len(stripped) <= _MAX_QUESTION_CHARS:
        return stripped
    if len(words) <= _MAX_TITLE_WORDS and not re.search(r"[.!;,:…]['\"”’)]?$", stripped):
        return stripped
    return None


def find_sections(document: Document) -> list[Section]:
    """Split a document at heading lines that have body text under them."""
    lines = list(_lines(document.text))
    headings: list[tuple[int, int, str]] = []  # (line start, body start, title)
    for i, (start, end) in enumerate(lines):
        title = heading_title(document.text[start:end])
        if title is None or not _has_body_after(document.text, lines, i):
            continue
        body_start = lines[i + 1][0] if i + 1 < len(lines) else end
        headings.append((start, body_start, title))

    sections: list[Section] = []
    text_end = len(document.text.rstrip())
    first_heading = headings[0][0] if headings else text_end
    if document.text[:first_heading].strip():
        lead = len(document.text) - len(document.text.lstrip())
        sections.append(Section(document.id, 0, Path(document.id).stem, lead, lead, first_heading))
    for n, (start, body_start, title) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else text_end
        sections.append(Section(document.id, len(sections), title, start, body_start, end))
    return sections


def _has_body_after(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A heading needs body text: its next non-blank line must not be a heading too."""
    for start, end in lines[i + 1:]:
        line = text[start:end]
        if line.strip():
            return heading_title(line) is None
    return False
