"""Builders for the file payloads tests send to the bot: .docx, .pdf, encrypted .pdf, .png.

Everything is generated in memory so the test suite needs no binary fixtures in the repository
and no extra dependencies beyond the project's own (python-docx, pypdf).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from pypdf import PdfReader, PdfWriter

__all__ = [
    "corrupt",
    "make_docx",
    "make_docx_bomb",
    "make_encrypted_pdf",
    "make_pdf",
    "make_png",
]


def make_docx(
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    *,
    header: str | None = None,
    footer: str | None = None,
) -> bytes:
    """A .docx with the given paragraphs, then (optionally) a table of the given rows.

    Rows may have different lengths; the table is as wide as the longest row.
    """
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        width = max(len(row) for row in table)
        grid = document.add_table(rows=len(table), cols=max(width, 1))
        for row_index, row in enumerate(table):
            for col_index, value in enumerate(row):
                grid.cell(row_index, col_index).text = value
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(lines: list[str], *, lines_per_page: int = 40) -> bytes:
    """A real PDF whose text layer pypdf extracts as ``lines`` (Chinese included).

    pypdf cannot draw text, so the file is written by hand. The font is a Type0 font with
    Identity-H encoding and a ToUnicode CMap: each distinct character gets its own two-byte code
    and the CMap maps it back to Unicode, which is exactly what text extraction reads. The font is
    not embedded, so a viewer would substitute glyphs — irrelevant for text extraction.
    Characters outside the Basic Multilingual Plane work too (the CMap maps to UTF-16 pairs).
    An empty ``lines`` gives a one-page PDF without text.
    """
    if lines_per_page < 1:
        raise ValueError("lines_per_page must be positive")
    codes: dict[str, int] = {}
    for line in lines:
        for char in line:
            codes.setdefault(char, len(codes) + 1)
    if len(codes) > 0xFFFE:
        raise ValueError("too many distinct characters for a two-byte encoding")

    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]

    # Object numbers: 1 catalog, 2 page tree, 3 Type0 font, 4 CID font, 5 descriptor,
    # 6 ToUnicode CMap, then a (page, content) pair per page.
    objects: dict[int, bytes] = {}
    first_page = 7
    page_numbers = [first_page + 2 * i for i in range(len(pages))]
    kids = " ".join(f"{n} 0 R" for n in page_numbers)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    objects[3] = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /FixtureCJK /Encoding /Identity-H"
        b" /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>"
    )
    objects[4] = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FixtureCJK"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor 5 0 R /DW 1000 /CIDToGIDMap /Identity >>"
    )
    objects[5] = (
        b"<< /Type /FontDescriptor /FontName /FixtureCJK /Flags 4"
        b" /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 700 /StemV 80 >>"
    )
    objects[6] = _stream(_to_unicode_cmap(codes))
    for page_lines, page_number in zip(pages, page_numbers, strict=True):
        content_number = page_number + 1
        objects[page_number] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            f" /Resources << /Font << /F1 3 0 R >> >> /Contents {content_number} 0 R >>"
        ).encode()
        objects[content_number] = _stream(_page_content(page_lines, codes))
    return _serialise(objects)


def make_encrypted_pdf(
    lines: list[str], user_password: str = "secret", owner_password: str | None = None
) -> bytes:
    """``make_pdf(lines)`` encrypted with ``user_password`` ("" gives the common kind of PDF that
    is marked encrypted yet opens without a password).

    RC4-128 is used because pypdf implements it without an optional crypto package.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(lines))))
    writer.encrypt(
        user_password,
        owner_password if owner_password is not None else "fixture-owner",
        algorithm="RC4-128",
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_png(width: int = 2, height: int = 2) -> bytes:
    """A valid opaque RGB PNG (a grey square), built with zlib and struct only."""
    if width < 1 or height < 1:
        raise ValueError("width and height must be positive")

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # Every scanline starts with filter type 0 (None).
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def corrupt(data: bytes) -> bytes:
    """Damage a file beyond repair, deterministically.

    Keeps the first 8 bytes (so the file still *looks* like a PDF/ZIP to a magic-number sniffer)
    and the length, and inverts everything else: a ZIP loses its central directory, and a PDF
    loses every object and its xref — pypdf's lenient reader recovers from truncation alone.
    """
    return data[:8] + bytes(b ^ 0xFF for b in data[8:])


def _to_unicode_cmap(codes: dict[str, int]) -> bytes:
    entries = [
        f"<{code:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, code in codes.items()
    ]
    # bfchar blocks may hold at most 100 entries each.
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Fixture-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\nend\n"
    )
    return text.encode("ascii")


def _page_content(lines: list[str], codes: dict[str, int]) -> bytes:
    parts = ["BT", "/F1 12 Tf", "16 TL", "50 800 Td"]
    for index, line in enumerate(lines):
        if index:
            parts.append("T*")
        encoded = "".join(f"{codes[char]:04X}" for char in line)
        parts.append(f"<{encoded}> Tj")
    parts.append("ET")
    return "\n".join(parts).encode("ascii")


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _serialise(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n" % size
    out += b"0000000000 65535 f \n"
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def make_docx_bomb(xml_megabytes: float, *, paragraph: bytes = b"<w:p/>") -> bytes:
    """A small .docx whose ``word/document.xml`` inflates to about ``xml_megabytes`` MB.

    The body is one title paragraph followed by empty paragraphs, the cheapest element Word has:
    30 MB of them compress to well under 100 KB, yet a DOM parser builds millions of objects.
    The XML is streamed into the archive, so building a bomb costs the test little memory.
    """
    base = zipfile.ZipFile(io.BytesIO(make_docx(["炸弹标题"])))
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>\xe7\x82\xb8\xe5\xbc\xb9\xe6\xa0\x87\xe9\xa2\x98</w:t></w:r></w:p>"
    )
    tail = b"</w:body></w:document>"
    total = int(xml_megabytes * 1024 * 1024)
    chunk = paragraph * (1024 * 1024 // len(paragraph))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in base.infolist():
            if info.filename == "word/document.xml":
                with archive.open(info.filename, "w") as member:
                    member.write(head)
                    written = len(head)
                    while written < total:
                        member.write(chunk)
                        written += len(chunk)
                    member.write(tail)
            else:
                archive.writestr(info.filename, base.read(info.filename))
    return buffer.getvalue()
