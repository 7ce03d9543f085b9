"""Tables drawn in plain text ("+----+", "|cell |cell |", "|----+----|", or the same in box-drawing
characters), as a manual's text edition has them: a row whose cells wrap over several lines is quoted
whole and read cell by cell.

The reader keeps each line of such a table as a sentence of its own (a row's interleaved cells embed
worse than its lines); these helpers widen a quote to the row and rebuild its display. The quote itself
stays `text[start:end]`.
"""

from __future__ import annotations

import re

from .readers.box_drawing import as_ascii_grid
from .records import Passage

_GRID_LINE = re.compile(r"^\|.*\|$")  # one line of a table drawn in text: "|gitk --all |another commit, |"
_GRID_RULE = re.compile(r"\|[-+=:| ]*-[-+=:| ]*\|")  # "|------+------|" between rows
_GRID_BORDER = re.compile(r"\+[-+=:]*-[-+=:]*\+")  # "+-------------+" above and below a table


def whole_rows(passage: Passage, chosen: set[int]) -> set[int]:
    """The chosen sentences, with the other lines of any row of a table drawn in text with rules between
    its rows ("|----+----|"), whose cells wrap over lines: "|gitk --all |another commit, cheery-picking |"
    is quoted with the lines of its row, or the quote is a fragment of a cell. A table without rules
    between rows (Markdown) has a row a line: nothing is added."""
    lines = as_ascii_grid(passage.text).split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def line_of(offset: int) -> int:
        return max(k for k, begin in enumerate(starts) if begin <= offset)

    def is_rule(k: int) -> bool:
        return bool(_GRID_RULE.fullmatch(lines[k].strip()) or _GRID_BORDER.fullmatch(lines[k].strip()))

    def in_table(k: int) -> bool:
        return 0 <= k < len(lines) and lines[k].strip()[:1] in ("|", "+")

    whole = set(chosen)
    for i in chosen:
        sentence = passage.sentences[i]
        if not _GRID_LINE.match(as_ascii_grid(passage.text_of(sentence))):
            continue
        k = line_of(sentence.start - passage.start)
        top, bottom = k, k
        while in_table(top - 1):
            top -= 1
        while in_table(bottom + 1):
            bottom += 1
        content = [j for j in range(top, bottom + 1) if not is_rule(j)]
        if sum(1 for j in range(content[0] + 1, content[-1]) if is_rule(j)) < 2:
            continue  # rules only under the header or around the table: each line is a row
        first, last = k, k
        while in_table(first - 1) and not is_rule(first - 1):
            first -= 1
        while in_table(last + 1) and not is_rule(last + 1):
            last += 1
        begin, end = passage.start + starts[first], passage.start + starts[last] + len(lines[last])
        whole.update(j for j, s in enumerate(passage.sentences) if begin <= s.start <= s.end <= end)
    return whole


def read_across(text: str) -> str | None:
    """Rows of a table drawn in text over several lines ("|      |see complete Git history |" /
    "|gitk --all |another commit, … |", rows parted by "|----+----|"), one line a row, each cell's pieces
    joined in order; None for anything else (a row on one line reads as it is)."""
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", as_ascii_grid(text)) if line.strip()]
    if len(lines) < 2 or not all(_GRID_LINE.match(line) for line in lines):
        return None
    rows: list[list[str]] = [[]]
    ruled = any(_GRID_RULE.fullmatch(line) for line in lines)
    for line in lines:
        if _GRID_RULE.fullmatch(line):
            rows.append([])
        else:
            rows[-1].append(line)
    rendered = []
    for row in (r for r in rows if r):
        parts = [line[1:-1].split("|") for line in row]
        if len({len(p) for p in parts}) != 1:
            return None
        # lines between rules are one row; without rules in the quote, lines are one row only where they
        # are drawn on one grid and a cell is left blank for another to wrap ("|      |see complete …|"):
        # a Markdown table's rows are a line each
        pipes = {tuple(i for i, ch in enumerate(line) if ch == "|") for line in row}
        if len(row) > 1 and not ruled and (len(pipes) > 1 or all(cell.strip() for p in parts for cell in p)):
            return None
        cells = [" ".join(" ".join(p[c] for p in parts).split()) for c in range(len(parts[0]))]
        rendered.append(" | ".join(cell for cell in cells if cell))
    return "\n".join(rendered)
