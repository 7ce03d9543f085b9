"""Small PDFs written line by line for the PDF reader's tests: text at given places, in the standard fonts
(Times-Roman, Times-Bold, Courier), which every PDF viewer has and PDFium supplies without embedding."""

from __future__ import annotations

from pathlib import Path

FONTS = {"roman": "Times-Roman", "bold": "Times-Bold", "mono": "Courier"}


def write_pdf(path: Path, pages: list[list[tuple[str, float, float, float, str]]], size=(420, 600)) -> Path:
    """Each page a list of (font, size, x, y, text), y from the page's foot, as PDF places text."""
    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    fonts = list(FONTS)
    font_objects = [f"<< /Type /Font /Subtype /Type1 /BaseFont /{FONTS[name]} /Encoding /WinAnsiEncoding >>".encode()
                    for name in fonts]
    first_font = 3 + 2 * len(pages)
    resources = " ".join(f"/{name} {first_font + k} 0 R" for k, name in enumerate(fonts))
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>",
                            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                                " ".join(f"{3 + 2 * k} 0 R" for k in range(len(pages))).encode(), len(pages))]
    for k, lines in enumerate(pages):
        content = "".join(f"BT /{font} {points} Tf {x} {y} Td ({escaped(text)}) Tj ET\n"
                          for font, points, x, y, text in lines).encode("cp1252")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] /Contents {4 + 2 * k} 0 R "
                       f"/Resources << /Font << {resources} >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream")
    objects.extend(font_objects)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
