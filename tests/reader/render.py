"""Test documents made from a text: PDF (WeasyPrint), page images (pypdfium2), a scan's look, DOCX.

Markup understood in the text: ``#``…``######`` heading lines, ``**bold**`` spans, a line of
``| a | b |`` cells (a table row, DOCX only; plain text elsewhere), and a form feed ``\\f``
for a page break. Used by the reader's tests and by the benchmark.
"""

from __future__ import annotations

import html
import io
import random
import re

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
BOLD = re.compile(r"\*\*(.+?)\*\*")

PAGE_CSS = """
@page {
  size: A4;
  margin: 2.2cm 2.4cm 2.4cm 2.4cm;
  @bottom-center { content: "Page " counter(page) " / " counter(pages); font: 9pt "DejaVu Sans"; }
}
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 15pt; text-align: center; } h2 { font-size: 12.5pt; } h3, h4, h5, h6 { font-size: 11.5pt; }
p { margin: 0 0 0.55em 0; text-align: left; }
.break { page-break-after: always; }
"""


def _inline_html(line: str) -> str:
    return BOLD.sub(r"<strong>\1</strong>", html.escape(line))


def _html(text: str) -> str:
    """The text as HTML: headings, paragraphs (lines kept), bold, page breaks."""
    parts: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            parts.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    for page_index, page in enumerate(text.split("\f")):
        if page_index:
            flush()
            parts.append('<div class="break"></div>')
        for line in page.splitlines():
            heading = HEADING.match(line)
            if heading:
                flush()
                level = len(heading.group(1))
                parts.append(f"<h{level}>{_inline_html(heading.group(2))}</h{level}>")
            elif not line.strip():
                flush()
            else:
                paragraph.append(_inline_html(line.strip()))
        flush()
    return f"<html lang='fr'><head><meta charset='utf-8'></head><body>{''.join(parts)}</body></html>"


# Denser pages (9 pt, narrow margins): a whole convention in a few pages, for the tests that OCR it.
COMPACT_CSS = """
@page { margin: 1.4cm 1.6cm 1.6cm 1.6cm; }
body { font-size: 9pt; line-height: 1.25; }
h1 { font-size: 11pt; } h2 { font-size: 10pt; } h3, h4, h5, h6 { font-size: 9.5pt; }
"""


def text_to_pdf(text: str, *, compact: bool = False) -> bytes:
    """An A4 PDF of ``text`` (DejaVu Serif 11 pt, or 9 pt when ``compact``; "Page n / N" in the footer)."""
    from weasyprint import CSS, HTML

    sheets = [CSS(string=PAGE_CSS)] + ([CSS(string=COMPACT_CSS)] if compact else [])
    return HTML(string=_html(text)).write_pdf(stylesheets=sheets)


def pdf_to_images(pdf_bytes: bytes, dpi: int = 300) -> list[bytes]:
    """One greyscale PNG per page of ``pdf_bytes``, rendered at ``dpi``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=1)
            images.append(buffer.getvalue())
    finally:
        document.close()
    return images


def scan_noise(png: bytes, seed: int = 0) -> bytes:
    """The page as a scanner gives it: tilted ≤ 0.7°, grey paper, light noise (same seed, same image)."""
    from PIL import Image

    chance = random.Random(seed)
    with Image.open(io.BytesIO(png)) as original:
        dpi = original.info.get("dpi", (300, 300))
        page = original.convert("L")
    # Grey paper and not-quite-black ink: white → 236, black → 24.
    page = page.point(lambda value: 24 + value * 212 // 255)
    page = page.rotate(chance.uniform(-0.7, 0.7), resample=Image.Resampling.BILINEAR, expand=False, fillcolor=236)
    noise = Image.frombytes("L", page.size, chance.randbytes(page.size[0] * page.size[1]))
    page = Image.blend(page, noise, 0.07)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(round(dpi[0]), round(dpi[1])), compress_level=1)
    return buffer.getvalue()


def images_to_pdf(pngs: list[bytes], dpi: int = 300) -> bytes:
    """A PDF whose pages are the images (a scanned document: no text layer)."""
    from PIL import Image

    pages = [Image.open(io.BytesIO(png)).convert("L") for png in pngs]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buffer.getvalue()


def text_to_docx(text: str) -> bytes:
    """A DOCX of ``text``: headings as Word heading styles, bold runs, table rows, page breaks."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    table = None
    for page_index, page in enumerate(text.split("\f")):
        if page_index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for line in page.splitlines():
            stripped = line.strip()
            if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
                cells = [cell.strip() for cell in stripped[1:-1].split("|")]
                if table is None or len(table.columns) != len(cells):
                    table = document.add_table(rows=0, cols=len(cells))
                row = table.add_row()
                for cell, value in zip(row.cells, cells, strict=True):
                    first, *others = value.split("<br>")  # "<br>": a new paragraph in the cell
                    cell.text = first
                    for other in others:
                        cell.add_paragraph(other)
                continue
            table = None
            heading = HEADING.match(line)
            if heading:
                document.add_heading(heading.group(2), level=len(heading.group(1)))
            elif stripped:
                paragraph = document.add_paragraph()
                for index, piece in enumerate(BOLD.split(stripped)):
                    if piece:
                        paragraph.add_run(piece).bold = index % 2 == 1 or None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
