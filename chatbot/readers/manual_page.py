"""A Unix manual page saved as text (`man ls | col -b > ls.txt`): its layout says what each line is.

`man` sets the page's name at both ends of its first line ("JAIL.CONF(5)   Fail2Ban Configuration
JAIL.CONF(5)") and again at the end of its last; a section's title (.SH) starts at the margin, a
subsection's (.SS) three columns in, and the body seven. The NAME line ("string - Manipulate strings")
titles the page, and what SYNOPSIS and DESCRIPTION say goes under that title: "DESCRIPTION", in every
page alike, would tell neither a reader nor the model which command a passage is about. A term that `man`
could not fit beside its description (.TP: an option, a subcommand, a setting) stands alone on a body line
with the description indented under it: it is a block of its own, as a definition list's term is.
(As headings, one a term, the entries made sections of a line each, too short to be found by meaning.)
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from ..records import Block

_HEADER = re.compile(r"^(\S+)\((\w+)\)\s.*\s\1\(\2\)$")
# mandoc's footer names the system at both ends, the date between: "BSD      January 13, 2023      BSD"
_MDOC_FOOTER = re.compile(r"^(\S+)\s{3,}\S.*\S\s{3,}\1$")
_SUBSECTION_INDENT = 3
_BODY_INDENT = 7
_MAX_TITLE_WORDS = 12
# a label in capitals alone between blank lines, set in from the margin: a group of a page's entries
_CAPITALS_LABEL = re.compile(r"[A-Z][A-Z0-9]+(?: [A-Z][A-Z0-9]+){0,4}")
_ABOUT_THE_PAGE = ("SYNOPSIS", "DESCRIPTION")
# a title in words alone between blank lines at the body's indent, over a paragraph of sentences: "Cleartext user
# and password"; not a sentence, a command ("set httpd port 2812") nor a label ("Syntax:")
_TITLE_LABEL = re.compile(r"[A-Z][a-z][\w'’-]*(?: (?:[a-z][\w'’-]*|[A-Z][\w'’-]*)){0,5}")
_PROSE_WORDS = 12
# groff marks a changed line with a bar at the right margin, after the line's text (a table's border opens
# its line too: callers that meet tables leave such lines alone)
CHANGE_BAR = re.compile(r"(?<=\S)\s+│\s*$")


class _Line(Protocol):
    raw: str
    text: str
    blank: bool


@dataclass
class ManualLayout:
    headings: dict[int, int] = field(default_factory=dict)  # line -> level
    title: int | None = None  # the NAME line
    terms: list[int] = field(default_factory=list)  # lines that are a term over its description
    skipped: set[int] = field(default_factory=set)  # lines that are not text: header, footer, NAME, …


def manual_page_layout(lines: Sequence[_Line]) -> ManualLayout | None:
    """What each line of a manual page is, or None when the text is not one."""
    filled = [i for i, line in enumerate(lines) if not line.blank]
    if len(filled) < 3:
        return None
    header = _HEADER.match(lines[filled[0]].text)
    if header is None:
        return None
    layout = ManualLayout(skipped={filled[0]})
    last = lines[filled[-1]].text
    if last.lower().endswith(f"{header[1]}({header[2]})".lower()) or _MDOC_FOOTER.match(last):
        layout.skipped.add(filled[-1])
    body = [i for i in filled if i not in layout.skipped]
    indents = {i: _columns(lines[i].raw) for i in body}
    section = 1
    for n, i in enumerate(body):
        if i == layout.title:
            continue
        text, indent = lines[i].text, indents[i]
        following = body[n + 1] if n + 1 < len(body) else None
        if indent == 0 and text.strip("_-="):
            if text == "NAME" and following is not None and layout.title is None:
                layout.skipped.add(i)
                layout.title = following
                layout.headings[following] = 1
            elif layout.title is not None and text in _ABOUT_THE_PAGE and max(layout.headings) == layout.title:
                layout.skipped.add(i)  # what the page is about: its text goes under the page's title
                section = 1  # (unless a section stands between: xz's COMMAND ALIASES before its DESCRIPTION)
            elif len(text.split()) <= _MAX_TITLE_WORDS:
                layout.headings[i] = section = 1
        elif indent == _SUBSECTION_INDENT and len(text.split()) <= _MAX_TITLE_WORDS:
            layout.headings[i] = section + 1
        elif _CAPITALS_LABEL.fullmatch(text) and (_stands_alone(lines, i) or (  # (or right under a title)
                (i - 1) in layout.headings and _stands_alone(lines, i, above=False))):
            layout.headings[i] = section + 1  # fail2ban-client's "BASIC", "LOGGING" set in over its commands
        elif _TITLE_LABEL.fullmatch(text) and _stands_alone(lines, i) and _heads_prose(lines, indents, body, n):
            layout.headings[i] = section + 1  # monit(1)'s "Host and network allow list" over its paragraphs
        elif following == i + 1 and indents[following] > indent and _is_term(text, indent):
            layout.terms.append(i)
    return layout


def _heads_prose(lines: Sequence[_Line], indents: dict[int, int], body: list[int], n: int) -> bool:
    """The line body[n] is followed, past a blank line, by a paragraph set as far in as it is, of sentences."""
    if n + 1 >= len(body):
        return False
    i, following = body[n], body[n + 1]
    paragraph = []
    for j in body[n + 1:]:
        if indents[j] != indents[i] or (paragraph and j != paragraph[-1] + 1):
            break
        paragraph.append(j)
    said = " ".join(lines[j].text for j in paragraph)
    return following == i + 2 and len(said.split()) >= _PROSE_WORDS and bool(re.search(r"[a-z][.!?]$", said))


def _stands_alone(lines: Sequence[_Line], i: int, above: bool = True) -> bool:
    """Line i has a blank line under it and (`above`) over it."""
    return (not above or i == 0 or lines[i - 1].blank) and (i + 1 >= len(lines) or lines[i + 1].blank)


def without_change_bar(text: str, block: Block) -> Block:
    """A block that ends on a changed line ends before the bar beside it."""
    bar = CHANGE_BAR.search(text, block.start, block.end)
    return replace(block, end=bar.start()) if bar and bar.end() == block.end else block


def _columns(raw: str) -> int:
    """How far a line is indented on screen: `col -b` turns runs of spaces into tabs."""
    expanded = raw.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def _is_term(text: str, indent: int) -> bool:
    """A body line with its description indented on the line under it: a tag, not a sentence leading
    into an example ("… as follows:"), nor a tag set beside its description ("b    Stores a string …",
    justified with wide gaps, or "dbfile Database filename. Default: …"); a tag inside a description
    stays in it."""
    text = CHANGE_BAR.sub("", text)
    return indent <= _BODY_INDENT and len(text.split()) <= _MAX_TITLE_WORDS \
        and not text.endswith((".", ":", ",")) and not re.search(r"\t| {2}|\w[.;] ", text)
