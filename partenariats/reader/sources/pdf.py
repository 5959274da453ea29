"""PDF files: each page's text layer (pypdfium2), or OCR when the page is a scan.

Rule: before pdfium parses anything, the bytes are checked (``check_structure``): a PDF must end
with ``%%EOF`` (a file cut short, or another file glued after it, is refused, see
``core.filechecks``), must carry no JavaScript nor web markup, and its compressed streams must
not inflate past ``Limits.max_pdf_inflation_ratio`` times its size (a decompression bomb is
refused after inflating that much, never more).

Rule: a page whose text layer holds (almost) no letters but whose images cover a good part of
the page is a scanned page — it is rendered at ``limits.ocr_dpi`` and read by Tesseract
(``Page.ocr``); so is a page whose text layer is mostly unreadable glyph codes (a broken font
encoding). Documents mixing text and scanned pages work page by page.
"""

from __future__ import annotations

import io
import math
import re
import threading
import time

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from partenariats.core import filechecks
from partenariats.reader import ocr
from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits, Page, Progress, Source

# Fewer letters and digits than this on a page with a large image: the text is only a stamp,
# a page number or a scanner's header, and the page itself is a picture of text.
MIN_TEXT_CHARS = 40
MIN_IMAGE_COVER = 0.15  # share of the page's area the images cover on a scanned page
MAX_GARBAGE_RATIO = 0.3  # share of unreadable characters beyond which the text layer is useless
# Rendering a huge page (a poster, a hostile MediaBox) at full resolution would eat the
# memory; past this many pixels the resolution is lowered (a 300 dpi A3 page is 17.4 Mpx).
MAX_RENDER_PIXELS = 40_000_000
PARAGRAPH_GAP = 0.5  # a vertical gap wider than this share of a line's height separates paragraphs

# PDFium is not thread-safe: one document at a time in a process (OCR runs outside the lock).
PDFIUM_LOCK = threading.Lock()

WORD_CHAR = re.compile(r"\w")
GARBAGE = re.compile(r"[\x00-\x08\x0e-\x1f\ue000-\uf8ff\ufffd\ufffe\uffff]")
# pdfium marks a hyphen it met at a line's end with one of these.
LINE_END_HYPHEN = re.compile(r"[\x02\ufffe](?=\r?\n|$)")


def _damaged() -> ReaderError:
    return ReaderError(
        "Ce PDF est endommagé ou incomplet (téléchargement interrompu ?) : il ne peut pas être ouvert. "
        "Enregistrez-le à nouveau puis réessayez.",
        "corrupt",
    )


def check_structure(data: bytes, limits: Limits) -> None:
    """Refuse a PDF cut short, glued to another file, carrying JavaScript or a decompression bomb
    (see the module's rule); cheap, and done before pdfium sees the file."""
    ending = filechecks.pdf_ending(data)
    if ending == "glued":
        raise ReaderError(
            "Ce PDF est suivi de données qui n'en font pas partie (un autre fichier y est accolé) : "
            "enregistrez-le à nouveau depuis le logiciel qui l'a créé, puis réessayez.",
            "corrupt",
        )
    if ending == "truncated":
        raise _damaged()
    if filechecks.pdf_active(data):
        raise ReaderError(
            "Ce PDF contient du code (JavaScript ou HTML) : il est refusé par sécurité. "
            "Imprimez-le en PDF (« Microsoft Print to PDF », « Enregistrer au format PDF ») puis réessayez.",
            "active_content",
        )
    budget = max(limits.max_unpacked_bytes, limits.max_pdf_inflation_ratio * len(data))
    if filechecks.inflates_beyond(data, budget):
        raise ReaderError(
            "Ce PDF est anormal : ses données compressées se décompressent en un volume démesuré "
            f"(plus de {budget // (1024 * 1024)} Mo). Il est refusé par sécurité ; "
            "enregistrez-le à nouveau depuis le logiciel qui l'a créé, puis réessayez.",
            "bomb",
        )


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReaderError(
                "Ce PDF est protégé par un mot de passe : enregistrez-en une copie sans protection puis réessayez.",
                "encrypted",
            ) from error
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReaderError(
                "Ce PDF utilise une protection (chiffrement) que le lecteur ne sait pas ouvrir : "
                "enregistrez-en une copie sans protection puis réessayez.",
                "encrypted",
            ) from error
        raise _damaged() from error


def _text_layer(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if textpage.count_chars() == len(text):  # else character indices and string offsets disagree
            text = _paragraph_gaps(textpage, text)
    finally:
        textpage.close()
    text = LINE_END_HYPHEN.sub("-", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _paragraph_gaps(textpage: pdfium.PdfTextPage, text: str) -> str:
    """The text with a blank line where the page leaves a vertical gap between two lines.

    pdfium gives one line per printed line and no hint of paragraphs; a gap wider than half a
    line's height is a new paragraph or a heading, as a scan's OCR shows it.
    """
    lines = text.split("\r\n")
    out: list[str] = []
    offset = 0
    previous: tuple[float, float] | None = None  # (bottom, height) of the last non-empty line
    for line in lines:
        content = len(line) - len(line.lstrip())
        if line.strip():
            try:
                _, bottom, _, top = textpage.get_charbox(offset + content, loose=True)
            except (pdfium.PdfiumError, IndexError):
                bottom = top = None
            if bottom is not None and top is not None and top > bottom:
                height = top - bottom
                if previous is not None:
                    gap = previous[0] - top
                    if gap > PARAGRAPH_GAP * min(previous[1], height) and out and out[-1].strip():
                        out.append("")
                previous = (bottom, height)
        out.append(line)
        offset += len(line) + 2
    return "\r\n".join(out)


def _needs_ocr(page: pdfium.PdfPage, text: str) -> bool:
    """Whether the page is a picture of text (see the module's rule)."""
    letters = len(WORD_CHAR.findall(text))
    if letters >= MIN_TEXT_CHARS:
        visible = len(text) - text.count(" ") - text.count("\n")
        return visible > 0 and len(GARBAGE.findall(text)) > visible * MAX_GARBAGE_RATIO
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered = 0.0
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        try:
            left, bottom, right, top = image.get_bounds()
        except pdfium.PdfiumError:
            continue
        covered += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
        if covered >= area * MIN_IMAGE_COVER:
            return True
    return False


def _render(document: pdfium.PdfDocument, index: int, limits: Limits) -> bytes:
    """The page as a greyscale image file at ``limits.ocr_dpi`` (lower for a giant page)."""
    page = _load_page(document, index)
    try:
        width, height = page.get_size()
        scale = limits.ocr_dpi / 72
        pixels = width * scale * height * scale
        if pixels > MAX_RENDER_PIXELS:
            scale *= math.sqrt(MAX_RENDER_PIXELS / pixels)
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            # An uncompressed greyscale BMP: written in ~60 ms where PNG takes up to 400 ms on a
            # noisy scan, and unlike PGM it carries the resolution (Tesseract would guess it).
            buffer = io.BytesIO()
            dpi = round(scale * 72)
            bitmap.to_pil().save(buffer, format="BMP", dpi=(dpi, dpi))
        finally:
            bitmap.close()
    finally:
        page.close()
    return buffer.getvalue()


def extract(data: bytes, limits: Limits, progress: Progress) -> Source:
    """The pages of a PDF, in order, numbered from 1."""
    check_structure(data, limits)
    with PDFIUM_LOCK:
        document = _open(data)
    try:
        with PDFIUM_LOCK:
            texts, scanned = _text_layers(document, limits)
        if scanned:
            deadline = time.monotonic() + limits.ocr_timeout_seconds
            for done, index in enumerate(scanned):
                progress(
                    0.05 + 0.8 * done / len(scanned), f"Reconnaissance du texte, page {index + 1} sur {len(texts)}"
                )
                with PDFIUM_LOCK:
                    image = _render(document, index, limits)
                texts[index] = ocr.ocr_image(image, limits, deadline).rstrip("\f\n") + "\n"
            progress(0.85, "Reconnaissance du texte terminée")
    finally:
        with PDFIUM_LOCK:
            document.close()
    ocr_pages = set(scanned)
    return Source(
        kind="pdf",
        pages=tuple(Page(number=index + 1, text=text, ocr=index in ocr_pages) for index, text in enumerate(texts)),
    )


def _text_layers(document: pdfium.PdfDocument, limits: Limits) -> tuple[list[str], list[int]]:
    """Each page's text layer, and the indexes of the pages to OCR."""
    count = len(document)
    if count == 0:
        raise ReaderError("Ce PDF ne contient aucune page (fichier endommagé ?).", "corrupt")
    if count > limits.max_pages:
        raise ReaderError(
            f"Ce PDF compte {count} pages : la limite est de {limits.max_pages} pages par document.",
            "too_many_pages",
        )
    texts: list[str] = []
    scanned: list[int] = []
    for index in range(count):
        page = _load_page(document, index)
        try:
            text = _text_layer(page)
            if _needs_ocr(page, text):
                scanned.append(index)
        finally:
            page.close()
        texts.append(text)
    return texts, scanned


def _load_page(document: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    try:
        return document[index]
    except pdfium.PdfiumError as error:
        raise ReaderError(
            f"La page {index + 1} de ce PDF est endommagée : enregistrez-le à nouveau puis réessayez.", "corrupt"
        ) from error
