"""Where PDFium sets groff's PDF text a word space too far left, read from the PDF's own drawing commands.

gropdf ends a TJ array with a kerning before an empty string where the next word follows in another font or
after a justified word space ("[(possibly) -250 (in) -250 (an) -251 ()] TJ", then "/F38 10 Tf (initr) Tj").
PDFium drops that last kerning (pdf.js did too, until its PR 16462), so every text object shown after it,
up to the next positioning command (Td, Tm, T*), stands that far left of where it is printed: "an" runs
into "initr" ("aninitr") and the word is cut where the Td puts the rest back ("initr d"). pdftotext reads
these lines right. The drawing commands say exactly which objects PDFium moves and by how much; the reader
(pdf.py) moves them back.

gropdf writes plain Flate streams and strings in its fonts' Latin encodings, so the commands are read here
with a tokenizer, not a PDF library: a stream this cannot read yields nothing, and the text stays as PDFium
placed it.
"""
from __future__ import annotations

import re
import zlib
from pathlib import Path

KEY_CHARACTERS = 4  # a text object is known by its first letters
_STREAM = re.compile(rb"stream\r?\n")
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|\[|\]|/[^\s/\[\]()<>]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_POSITIONING = {b"Td", b"TD", b"Tm", b"T*", b"BT", b"ET", b"'", b'"'}
_ALNUM = re.compile(r"[^\W_]+")


def object_key(text: str) -> str:
    """The first letters and digits of a text, casefolded: how a text object of the drawing commands is
    matched with PDFium's reading of it (which may differ in hyphens, ligatures and spaces)."""
    return "".join(_ALNUM.findall(text)).casefold()[:KEY_CHARACTERS]


def page_objects(path: Path, pages: int) -> list[list[tuple[str, float]]] | None:
    """For each page, its text objects in the order they are drawn: (the key of its first letters, the
    points PDFium sets it left of its place). gropdf draws each page's text in one stream, in page order;
    None when the file holds another count of text streams than pages (then nothing is moved)."""
    found = []
    data = path.read_bytes()
    for opening in _STREAM.finditer(data):
        end = data.find(b"endstream", opening.end())
        if end < 0:
            break
        try:
            content = zlib.decompress(data[opening.end():end])
        except zlib.error:
            continue  # an image, a font, or a stream not Flate-compressed
        if b"Tf" in content and (b"TJ" in content or b"Tj" in content):
            found.append(_objects(content))
    return found if len(found) == pages else None


def _objects(content: bytes) -> list[tuple[str, float]]:
    objects = []
    size = 0.0
    shift = 0.0  # how far left PDFium has set the text shown since the last positioning command
    operands: list = []
    array: list | None = None
    for match in _TOKEN.finditer(content):
        token = match.group()
        if token == b"[":
            array = []
        elif token == b"]":
            operands.append(array or [])
            array = None
        elif token[:1] == b"(":
            (operands if array is None else array).append(_decoded(token[1:-1]))
        elif token[:1] in b"+-.0123456789":
            (operands if array is None else array).append(float(token))
        elif token[:1] == b"/":
            operands.append(token)
        elif array is None:  # an operator
            if token == b"Tf" and operands and isinstance(operands[-1], float):
                size = operands[-1]
            elif token in _POSITIONING:
                shift = 0.0
            elif token in (b"Tj", b"TJ") and operands:
                items = operands[-1] if isinstance(operands[-1], list) else [operands[-1]]
                text = "".join(item for item in items if isinstance(item, str))
                if text:
                    objects.append((object_key(text), shift))
                shift += _dropped_kerning(items) * size / 1000
            operands = []
    return objects


def _dropped_kerning(items: list) -> float:
    """The kerning PDFium drops: a number (a move right, as gropdf writes it, negative) just before the
    array's closing empty string ("[(an) -251 ()] TJ"). (One that ends the array, "[(mdadm) -352.5] TJ",
    PDFium keeps.)"""
    if len(items) >= 2 and items[-1] == "" and isinstance(items[-2], float) and items[-2] < 0:
        return -items[-2]
    return 0.0


def _decoded(raw: bytes) -> str:
    def unescape(match: re.Match) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPED.get(code, code)
    return _ESCAPE.sub(unescape, raw).decode("latin-1")
