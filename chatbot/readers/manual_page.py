"""A Unix manual page saved as text (`man ls | col -b > ls.txt`): its layout says what each line is.

`man` sets the page's name at both ends of its first line ("JAIL.CONF(5)   Fail2Ban Configuration
JAIL.CONF(5)") and again at the end of its last; a section's title (.SH) starts at the margin, a
subsection's (.SS) three columns in, and the body seven. A term that `man` could not fit beside its
description (.TP: an option, a subcommand, a setting) stands alone on a body line with the description
indented under it. Each of these is a heading, so that "bantime" or "string compare …" names the
section its description is cited under; the NAME line ("string - Manipulate strings") titles the page.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..records import Block

_HEADER = re.compile(r"^(\S+)\((\w+)\)\s.*\s\1\(\2\)$")
_SUBSECTION_INDENT = 3
_BODY_INDENT = 7
_MAX_TERM_WORDS = 12
_CHANGE_BAR = re.compile(r"\s+│$")  # groff marks changed lines with a bar at the right margin


class _Line(Protocol):
    raw: str
    text: str
    blank: bool


@dataclass
class ManualHeading:
    line: int
    level: int
    kind: str  # "title" (the NAME line), "section", "subsection" or "term"


def _columns(raw: str) -> int:
    """How far a line is indented on screen: `col -b` turns runs of spaces into tabs."""
    expanded = raw.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def manual_page_layout(lines: Sequence[_Line]) -> tuple[list[ManualHeading], set[int]] | None:
    """The headings of a manual page and the lines that are not its text (the header and footer
    naming the page, the NAME heading whose line under it becomes the title), or None when the text
    is not one."""
    filled = [i for i, line in enumerate(lines) if not line.blank]
    if len(filled) < 3:
        return None
    header = _HEADER.match(lines[filled[0]].text)
    if header is None:
        return None
    page = f"{header[1]}({header[2]})".lower()
    skipped = {filled[0]}
    if lines[filled[-1]].text.lower().endswith(page):
        skipped.add(filled[-1])
    body = [i for i in filled if i not in skipped]
    indents = {i: _columns(lines[i].raw) for i in body}
    headings: list[ManualHeading] = []
    in_subsection = False
    for n, i in enumerate(body):
        if headings and headings[-1].line == i:  # the NAME line's title
            continue
        text, indent = lines[i].text, indents[i]
        following = body[n + 1] if n + 1 < len(body) else None
        if indent == 0 and not _is_rule(text):
            in_subsection = False
            if text == "NAME" and following is not None:
                skipped.add(i)
                headings.append(ManualHeading(following, 1, "title"))
            elif len(text.split()) <= _MAX_TERM_WORDS:
                headings.append(ManualHeading(i, 1, "section"))
        elif indent == _SUBSECTION_INDENT and len(text.split()) <= _MAX_TERM_WORDS:
            in_subsection = True
            headings.append(ManualHeading(i, 2, "subsection"))
        elif following == i + 1 and indents[following] > indent and _is_term(text, indent):
            headings.append(ManualHeading(i, 3 if in_subsection else 2, "term"))
    return headings, skipped


def _is_term(text: str, indent: int) -> bool:
    """A body line with its description indented on the line under it: a tag, not a sentence leading
    into an example ("… as follows:"), nor a tag set beside its description ("b    Stores a string …",
    justified with wide gaps, or "dbfile Database filename. Default: …"); a tag inside a description stays in it."""
    text = _CHANGE_BAR.sub("", text)
    return indent <= _BODY_INDENT and len(text.split()) <= _MAX_TERM_WORDS and not text.endswith((".", ":", ",")) \
        and not re.search(r"\t| {2}|[.;] ", text)


def _is_rule(text: str) -> bool:
    return not text.strip("_-=")


def without_change_bar(text: str, block: Block) -> Block:
    """A block that ends on a changed line ends before the bar beside it."""
    bar = _CHANGE_BAR.search(text, block.start, block.end)
    return replace(block, end=bar.start()) if bar and bar.end() == block.end else block
