"""Scans are read by Tesseract: scanned PDF pages, images, multi-page TIFF; OCR failures said in French."""

import io
import time

import pytest
from PIL import Image

from partenariats.reader import ocr
from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits
from partenariats.reader.sources import extract
from tests.reader.render import images_to_pdf, pdf_to_images, scan_noise, text_to_pdf

# Invented text (names and places made up).
PAGE_ONE = """# CONVENTION DE PARTENARIAT

Entre le Syndicat des transporteurs du Limousin,
représenté par M. Bastien Loubet, président,
et l'académie de Limoges, représentée par Mme Claire Dumas, rectrice.

## Article 1 – Objet

Les parties organisent chaque année des visites de dépôts
pour les élèves de seconde.
"""
PAGE_TWO = """## Article 2 – Durée

La convention est conclue pour trois ans. Elle peut être dénoncée avec un préavis de deux mois.
"""


def _fake_ocr(calls: list):
    def fake(image, limits=None, deadline=None):
        calls.append(image)
        return f"Texte reconnu numéro {len(calls)}\n\f"

    return fake


def _png(size=(400, 300), **info) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, format="PNG", **info)
    return buffer.getvalue()


def test_the_command_is_the_benchmarked_one():
    command = ocr.tesseract_command("page.png")
    assert command == [ocr.TESSERACT_BINARY, "page.png", *ocr.TESSERACT_ARGS]
    assert command[2] == "stdout"
    assert "fra" in command


def test_scanned_pages_of_a_mixed_pdf_are_ocr_d(monkeypatch):
    """A page that is only an image is OCR'd; a page with a text layer is not."""
    calls: list = []
    monkeypatch.setattr(ocr, "ocr_image", _fake_ocr(calls))
    text_page = text_to_pdf(PAGE_ONE)
    scanned = images_to_pdf(pdf_to_images(text_to_pdf(PAGE_TWO), dpi=100), dpi=100)
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument(text_page)
    mixed.import_pages(pdfium.PdfDocument(scanned))
    buffer = io.BytesIO()
    mixed.save(buffer)
    progress: list = []
    source = extract(
        buffer.getvalue(), "mixte.pdf", progress=lambda fraction, label: progress.append((fraction, label))
    )
    assert [page.ocr for page in source.pages] == [False, True]
    assert "Bastien Loubet" in source.pages[0].text
    assert source.pages[1].text == "Texte reconnu numéro 1\n"
    assert len(calls) == 1
    assert calls[0].startswith(b"BM")  # the rendered page, as an uncompressed bitmap
    assert ("Reconnaissance du texte, page 2 sur 2") in [label for _, label in progress]
    assert all(0 <= fraction <= 0.85 for fraction, _ in progress)


def test_each_frame_of_a_tiff_is_a_page(monkeypatch):
    calls: list = []
    monkeypatch.setattr(ocr, "ocr_image", _fake_ocr(calls))
    frames = [Image.new("L", (300, 200), shade) for shade in (255, 250, 245)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    source = extract(buffer.getvalue(), "scan.tif")
    assert source.kind == "image"
    assert [(page.number, page.ocr) for page in source.pages] == [(1, True), (2, True), (3, True)]
    assert source.pages[2].text == "Texte reconnu numéro 3\n"


def test_a_single_image_goes_to_tesseract_as_it_is(monkeypatch):
    calls: list = []
    monkeypatch.setattr(ocr, "ocr_image", _fake_ocr(calls))
    png = _png()
    source = extract(png, "page.png")
    assert calls == [png]  # no decoding nor re-encoding: no overhead over the raw command
    assert source.ocr_pages == 1


def test_too_many_tiff_frames_are_refused(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_image", _fake_ocr([]))
    frames = [Image.new("1", (20, 20), 1) for _ in range(4)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(ReaderError) as caught:
        extract(buffer.getvalue(), limits=Limits(max_pages=3))
    assert caught.value.code == "too_many_pages"
    assert "4 pages" in str(caught.value)


def test_ocr_timeout_kills_tesseract_and_says_so(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_command", lambda path: ["sleep", "30"])
    started = time.monotonic()
    with pytest.raises(ReaderError) as caught:
        ocr.ocr_image(_png(), Limits(ocr_timeout_seconds=1))
    assert caught.value.code == "ocr_timeout"
    assert "La reconnaissance du texte a dépassé" in str(caught.value)
    assert time.monotonic() - started < 5


def test_default_timeout_message_says_five_minutes():
    assert "dépassé 5 minutes" in ocr.timeout_message(Limits())


def test_a_spent_budget_stops_before_starting(monkeypatch):
    with pytest.raises(ReaderError) as caught:
        ocr.ocr_image(_png(), Limits(), deadline=time.monotonic() - 1)
    assert caught.value.code == "ocr_timeout"


def test_missing_tesseract_is_ocr_unavailable(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no tesseract anywhere
    with pytest.raises(ReaderError) as caught:
        extract(_png(), "page.png")
    assert caught.value.code == "ocr_unavailable"
    assert "Tesseract" in str(caught.value)


def test_a_crashing_tesseract_is_ocr_failed(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_command", lambda path: ["sh", "-c", "kill -SEGV $$"])
    with pytest.raises(ReaderError) as caught:
        ocr.ocr_image(_png())
    assert caught.value.code == "ocr_failed"
    assert "échoué" in str(caught.value)


def test_tesseract_runs_single_threaded_under_a_memory_cap(monkeypatch):
    script = 'echo "$OMP_THREAD_LIMIT $(ulimit -v)"'
    monkeypatch.setattr(ocr, "tesseract_command", lambda path: ["sh", "-c", script])
    out = ocr.ocr_image(_png(), Limits(ocr_memory_bytes=512 * 1024 * 1024))
    assert out.split() == ["1", str(512 * 1024)]  # ulimit -v counts kibibytes


@pytest.mark.slow
def test_a_scanned_pdf_is_read_by_tesseract():
    """Two noisy, slightly tilted scanned pages at 300 dpi: the words come back."""
    pages = [scan_noise(png, seed) for seed, png in enumerate(pdf_to_images(text_to_pdf(PAGE_ONE + "\f" + PAGE_TWO)))]
    source = extract(images_to_pdf(pages), "scan.pdf")
    assert source.kind == "pdf"
    assert [(page.number, page.ocr) for page in source.pages] == [(1, True), (2, True)]
    first, second = (page.text for page in source.pages)
    for words in ("CONVENTION DE PARTENARIAT", "Bastien Loubet", "académie de Limoges", "visites de dépôts"):
        assert words in first
    assert "Article 2" in second
    assert "préavis de deux mois" in second
