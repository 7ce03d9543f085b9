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
SECTION_RULES_VERSION = 3  # bump when section detection changes: stored indexes then rebuild

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")
_QUESTION_START = re.compile(
    r"^(what|how|why|which|where|when|who|whom|whose|is|are|was|were|do|does|did|can|could|"
    r"should|would|will|may)\b",
    re.IGNORECASE,
)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?:.*\r?\n){0,60}?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
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


_FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with by from and or but nor as than that which who during into onto "
    "over under about between through is are was were be been has have had do does did can will would "
    "this these those its their our your my his her".split())
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def _classify(line: str) -> tuple[str, str] | None:
    """(title, kind) when the line looks like a heading by itself: kind is "markdown", "question"
    or "title" (a short line with no closing punctuation, which also needs the right context)."""
    markdown = _MARKDOWN_HEADING.match(line)
    if markdown:
        return markdown.group(2).strip(), "markdown"
    stripped = line.strip().lstrip("\ufeff")
    if not stripped or _BULLET.match(line) or not any(ch.isalpha() for ch in stripped):
        return None
    if len(stripped) <= _MAX_QUESTION_CHARS and (
            stripped.endswith("?") or (stripped.endswith(":") and _QUESTION_START.match(stripped))):
        return stripped, "question"
    bare = stripped.strip("*_` ")
    words = bare.split()
    if (words and len(words) <= _MAX_TITLE_WORDS and not re.search(r"[.!;,:…\-–—(\[{/]['\"”’)]?$", bare)
            and words[-1].lower() not in _FUNCTION_WORDS and not bare[0].islower() and bare[0] not in "[!<>|"
            and "://" not in bare):
        return stripped, "title"
    return None


def heading_title(line: str) -> str | None:
    """The title if this line can be a heading: markdown heading, FAQ question or short title line."""
    found = _classify(line)
    return found[0] if found else None


def _ends_a_paragraph(line: str) -> bool:
    stripped = line.strip().rstrip("*_`")
    return not stripped or bool(re.search(r"[.!?:;…)\]\"”’]$", stripped)) or bool(_BULLET.match(line))


def find_sections(document: Document) -> list[Section]:
    """Split a document at its headings: markdown headings, FAQ question lines with an answer
    under them, and short title lines that stand between paragraphs (not a hard-wrapped line)."""
    text = document.text
    front = _FRONT_MATTER.match(text) if document.id.lower().endswith((".md", ".markdown")) else None
    skip = front.end() if front else 0  # YAML front matter is metadata, not text to quote
    lines = [(a, b) for a, b in _lines(text) if a >= skip]
    headings: list[tuple[int, int, str]] = []  # (line start, body start, title)
    in_fence = False
    previous = ""  # the last non-blank line
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if _FENCE.match(line):
            in_fence = not in_fence
        found = None if in_fence or _FENCE.match(line) else _classify(line)
        if found is not None:
            title, kind = found
            following = _next_text_line(text, lines, i)
            accepted = kind == "markdown" or (
                following is not None and _classify(following) is None
                and (kind == "question" or (_ends_a_paragraph(previous) and not following.lstrip()[:1].islower())))
            if accepted:
                body_start = lines[i + 1][0] if i + 1 < len(lines) else end
                headings.append((start, body_start, title))
        if line.strip():
            previous = line

    sections: list[Section] = []
    text_end = len(document.text.rstrip())
    first_heading = headings[0][0] if headings else text_end
    if document.text[skip:first_heading].strip():
        lead = skip + len(document.text[skip:]) - len(document.text[skip:].lstrip())
        title, body_start = _lead_title(document, lead, first_heading)
        sections.append(Section(document.id, 0, title, lead, body_start, first_heading))
    for n, (start, body_start, title) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else text_end
        sections.append(Section(document.id, len(sections), title, start, body_start, end))
    return sections


def _lead_title(document: Document, start: int, end: int) -> tuple[str, int]:
    """(title, body start) of the text before the first heading: its first line when that reads as
    a title ("Millbrook Community Library" above the opening paragraph), else the file's name."""
    first_line = document.text[start:end].splitlines()[0] if document.text[start:end] else ""
    body_start = start + len(first_line)
    found = _classify(first_line)
    if found and found[1] == "title" and document.text[body_start:end].strip():
        return found[0], body_start
    return Path(document.id).stem, start


def _next_text_line(text: str, lines: list[tuple[int, int]], i: int) -> str | None:
    for start, end in lines[i + 1:]:
        if text[start:end].strip():
            return text[start:end]
    return None
