"""Tables drawn in box-drawing characters, as lynx, w3m and groff's tbl draw them ("│Unit│Description │"
between "├────┼────┤" rules): read as the ASCII a table drawn in text is matched by. The text reader finds
such tables with these, and the answer side widens and displays their rows; they live with the readers
so that a change to them re-reads stored documents (code_digest.READER_SOURCES)."""

from __future__ import annotations

# one character for one, so offsets hold
_BOX_TO_ASCII = str.maketrans({**{c: "|" for c in "│┃║╎╏┆┇┊┋"}, **{c: "-" for c in "─━═╌╍┄┅┈┉"},
                               **{c: "+" for c in "┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫"
                                                  "┍┎┑┒┕┖┙┚┝┞┟┠┡┢┥┦┧┨┩┪┭┮┯┰┱┲┵┶┷┸┹┺┽┾┿╀╁╂╃╄╅╆╇╈╉╊"}})


def as_ascii_grid(text: str) -> str:
    """`text` with a table's box-drawing characters as "|", "-" and "+", each in its place."""
    return text.translate(_BOX_TO_ASCII)


def is_box_rule(line: str) -> bool:
    """A line drawn only in box-drawing characters ("├────┼────┤"): a table's border or rule, which a tree's
    branches ("├── build") never are."""
    stripped = line.strip()
    return bool(stripped) and all(ord(ch) in _BOX_TO_ASCII for ch in stripped) and "-" in as_ascii_grid(stripped)


def opens_with_box(line: str) -> bool:
    """A line whose first mark is a box-drawing character."""
    stripped = line.lstrip()
    return bool(stripped) and ord(stripped[0]) in _BOX_TO_ASCII
