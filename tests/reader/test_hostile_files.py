"""Files the reader must refuse: each gives its code and a French message, and nothing else escapes."""

import io
import random
import struct
import zipfile
import zlib
from functools import cache
from unittest import mock

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from partenariats.reader import ocr
from partenariats.reader.errors import ReaderError
from partenariats.reader.language import is_french
from partenariats.reader.model import Limits, Source
from partenariats.reader.sources import extract
from tests.reader.render import text_to_docx, text_to_pdf

ACCEPTED = "PDF, DOCX, TXT, MD, PNG, JPEG ou TIFF"
SAMPLE = "# Convention\n\n## Article 1 – Objet\n\nLa mairie de Saint-Flour et le lycée agricole coopèrent.\n"


def refusal(data: bytes, filename: str | None = None, limits: Limits | None = None) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        extract(data, filename, limits=limits or Limits())
    message = str(caught.value)
    assert message[0].isupper()
    assert message.rstrip().endswith(".")
    return caught.value


def minimal_pdf(*, encrypted: bool = False) -> bytes:
    """A one-page PDF with nothing on the page; ``encrypted``: protected by an unknown user password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    if encrypted:  # standard security handler, RC4 40 bits; /U matches no password
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"5a" * 32 + b"> /U <" + b"c3" * 32 + b"> /P -44 >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if encrypted:
        trailer += b" /Encrypt 4 0 R /ID [<" + b"0f" * 16 + b"> <" + b"0f" * 16 + b">]"
    out += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def blank_pdf(pages: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@cache
def valid_pdf() -> bytes:
    return text_to_pdf(SAMPLE)


@cache
def valid_docx() -> bytes:
    return text_to_docx(SAMPLE)


@cache
def valid_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (64, 48), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def test_empty_file():
    assert refusal(b"").code == "empty"


@pytest.mark.parametrize("data", [b"   \n\n\t  \r\n", "\u00a0\u202f\n".encode(), b"\f\f\n"])
def test_whitespace_only_text(data):
    error = refusal(data, "vide.txt")
    assert error.code == "empty"
    assert "espaces" in str(error)


def test_too_large():
    error = refusal(b"x" * 2048, limits=Limits(max_bytes=1024))
    assert error.code == "too_large"
    assert "Mo" in str(error)


def test_encrypted_pdf():
    error = refusal(minimal_pdf(encrypted=True), "protege.pdf")
    assert error.code == "encrypted"
    assert "Ce PDF est protégé par un mot de passe" in str(error)


def test_pdf_with_nothing_on_its_pages():
    error = refusal(minimal_pdf(), "blanc.pdf")
    assert error.code == "no_text"
    assert "ni texte ni image" in str(error)


def test_not_a_pdf_named_pdf():
    for data in (b"<html><body>Erreur 404</body></html>", random.Random(3).randbytes(3000)):
        error = refusal(data, "convention.pdf")
        assert error.code == "unsupported"
        assert "Ce fichier n'est pas un PDF valide" in str(error)
        assert ACCEPTED in str(error)


def test_too_many_pages():
    error = refusal(blank_pdf(101), "long.pdf")
    assert error.code == "too_many_pages"
    assert "101 pages" in str(error)
    assert "100 pages" in str(error)
    # 100 pages is the limit, not beyond it: blank pages then say there is nothing to read
    assert refusal(blank_pdf(100)).code == "no_text"


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.9, 0.98])
def test_truncated_pdf(fraction):
    data = valid_pdf()
    error = refusal(data[: int(len(data) * fraction)], "coupe.pdf")
    assert error.code == "corrupt"
    assert "endommagé ou incomplet" in str(error)


def test_docx_bomb_by_total_size():
    bomb = zipped({"word/document.xml": b"<w/>", "word/media/gros.bin": b"\0" * 60_000_000})
    error = refusal(bomb, "bombe.docx")
    assert error.code == "bomb"
    assert str(error) == "Ce fichier DOCX est anormal (archive trop volumineuse une fois décompressée)."


def test_docx_bomb_by_limit_on_incompressible_members():
    heavy = zipped({"word/document.xml": b"<w/>", "word/media/photo.bin": random.Random(1).randbytes(300_000)})
    assert refusal(heavy, limits=Limits(max_unpacked_bytes=200_000)).code == "bomb"


def test_docx_bomb_by_compression_ratio():
    bomb = zipped({"word/document.xml": b"<w/>", "word/media/vide.bin": b"\0" * 5_000_000})
    assert refusal(bomb).code == "bomb"


def test_docx_bomb_by_member_count():
    many = zipped({"word/document.xml": b"<w/>", **{f"word/media/{n}.png": b"" for n in range(2500)}})
    assert refusal(many).code == "bomb"


def test_corrupt_docx():
    damaged = zipped({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document>"})
    error = refusal(damaged, "abime.docx")
    assert error.code == "corrupt"
    assert "DOCX" in str(error)
    assert refusal(valid_docx()[:-200], "coupe.docx").code == "corrupt"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (random.Random(5).randbytes(4000), "Format de fichier non reconnu"),
        (b"MZ\x90\x00\x03" + bytes(500), "programme"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "DOCX ou en PDF"),
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "(.odt)"),
        (zipped({"photo.jpg": b"abc"}), "archive ZIP"),
        (bytes(range(1, 9)) * 200 + bytes(range(14, 32)) * 100, "Format de fichier non reconnu"),
        (b"GIF89a" + bytes(100), "GIF"),
    ],
    ids=["random", "exe", "doc", "odt", "zip", "control-characters", "gif"],
)
def test_unsupported_contents(data, words):
    error = refusal(data, "document")
    assert error.code == "unsupported"
    assert words in str(error)
    assert ACCEPTED in str(error)


def test_image_claiming_fifty_thousand_pixels_square():
    with mock.patch.object(ocr, "ocr_image", side_effect=AssertionError("never decoded nor OCR'd")):
        error = refusal(png_claiming(50_000, 50_000), "scan.png")
    assert error.code == "bomb"
    assert "anormalement grande" in str(error)


def test_image_just_above_our_pixel_limit():
    with mock.patch.object(ocr, "ocr_image", side_effect=AssertionError("never OCR'd")):
        error = refusal(png_claiming(10_000, 9_000))  # 90 Mpx: Pillow only warns, we refuse
    assert error.code == "bomb"
    assert "10000 × 9000" in str(error)


def test_truncated_image():
    with mock.patch.object(ocr, "ocr_image", return_value="texte"):
        assert refusal(valid_png()[:20], "coupe.png").code == "corrupt"


def test_english_text_is_not_french():
    text = (
        "This partnership agreement is entered into between the county council and the chamber of trade. "
        "The parties shall meet once a year to review the actions carried out and to plan the next ones. "
        "This agreement is concluded for a period of three years from the date of its signature."
    )
    assert extract(text.encode()).kind == "text"  # readable: the pipeline refuses it as "not_french"
    assert not is_french(text)


# --- fuzzing: whatever the bytes, a Source or a ReaderError ---------------------------------


def _must_not_escape(data: bytes) -> None:
    with mock.patch.object(ocr, "ocr_image", return_value="Texte reconnu.\n"):
        try:
            result: Source | ReaderError = extract(data, "fichier")
        except ReaderError as error:
            result = error
    if isinstance(result, ReaderError):
        assert result.code
        assert str(result)
    else:
        assert isinstance(result, Source)


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: float | None) -> bytes:
    mutated = bytearray(data)
    for position, value in edits:
        mutated[position % len(mutated)] = value
    if cut is not None:
        mutated = mutated[: max(1, int(len(mutated) * cut))]
    return bytes(mutated)


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=12)
CUTS = st.none() | st.floats(min_value=0.0, max_value=1.0)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEEP_FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    _must_not_escape(data)


@FUZZ
@given(st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00"]), st.binary())
def test_random_bytes_behind_a_magic_number(magic, rest):
    _must_not_escape(magic + rest)


@FUZZ
@given(st.sampled_from(["pdf", "docx", "png"]), EDITS, CUTS)
def test_mutated_valid_files(kind, edits, cut):
    base = {"pdf": valid_pdf, "docx": valid_docx, "png": valid_png}[kind]()
    _must_not_escape(_mutate(base, edits, cut))


@pytest.mark.slow
@DEEP_FUZZ
@given(st.sampled_from(["pdf", "docx", "png"]), EDITS, CUTS)
def test_mutated_valid_files_deeply(kind, edits, cut):
    base = {"pdf": valid_pdf, "docx": valid_docx, "png": valid_png}[kind]()
    _must_not_escape(_mutate(base, edits, cut))
