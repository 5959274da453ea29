"""The five seed conventions as a user uploads them: a PDF with a text layer, and a scanned PDF (images only).

The seeds are read at run time from ../shared/seeds (never copied here). A PDF rendering
(``render.text_to_pdf``) must read at 95 % or more with nothing invented; two seeds printed on
dense pages, rasterised at the reader's dpi, given a scanner's look (tilt, grey paper, noise) and
packed into an image-only PDF go through OCR and must read at 85 % or more with nothing invented.
The OCR part stays at eight pages in all (2–4 s a page).
"""

import json
import shutil
from pathlib import Path

import pytest

from partenariats.reader import read_bytes
from partenariats.reader.model import Limits
from partenariats.reader.scoring import score
from tests.reader import render

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
# Two seeds of four dense pages each: eight OCR'd pages in all.
SCANNED = ("001_54b4e99869475e7e", "004_c4445d50fca04f14")
MAX_OCR_PAGES = 8

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEED_PATHS, reason="les conventions témoins (../shared/seeds) sont absentes"),
]


def truth(path: Path) -> dict:
    return json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text(encoding="utf-8"))


def report(name: str, result) -> str:
    lines = [f"{name}: {result.summary()}"]
    lines += [f"  miss {line}" for line in result.misses()]
    lines += [f"  INVENTED {line}" for line in result.invented]
    return "\n".join(lines)


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda path: path.stem[:3])
def test_a_seed_as_a_pdf_with_a_text_layer_reads_at_95_percent_with_nothing_invented(path):
    pdf = render.text_to_pdf(path.read_text(encoding="utf-8"))

    reading = read_bytes(pdf, f"{path.stem}.pdf")
    result = score(reading.as_contract(), truth(path))

    assert reading.as_contract()["source"]["ocr_pages"] == 0
    assert not result.invented, report(path.stem, result)
    assert result.percent >= 95, report(path.stem, result)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract n'est pas installé")
@pytest.mark.parametrize("stem", SCANNED, ids=lambda stem: stem[:3])
def test_a_scanned_seed_reads_through_ocr_at_85_percent_with_nothing_invented(stem):
    path = SEEDS / f"{stem}.txt"
    if not path.exists():
        pytest.skip(f"{stem} absent")
    dpi = Limits().ocr_dpi
    pdf = render.text_to_pdf(path.read_text(encoding="utf-8"), compact=True)
    pages = [render.scan_noise(png, seed=number) for number, png in enumerate(render.pdf_to_images(pdf, dpi))]
    assert len(pages) * len(SCANNED) <= MAX_OCR_PAGES, "trop de pages à passer à l'OCR pour ce test"

    contract = read_bytes(render.images_to_pdf(pages, dpi), f"{stem}-scan.pdf").as_contract()
    result = score(contract, truth(path))

    assert contract["source"]["ocr_pages"] == len(pages)
    assert not result.invented, report(f"{stem} (scan)", result)
    assert result.percent >= 85, report(f"{stem} (scan)", result)
