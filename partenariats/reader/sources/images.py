"""Images (PNG, JPEG, TIFF): every page is read by Tesseract.

Rule: the dimensions are checked from the header before any pixel is decoded (a small file
can claim billions of pixels); a multi-page TIFF gives one page per frame, within the page
limit. A single-frame image goes to Tesseract as it is (no re-encoding), unless its EXIF
orientation asks for a rotation.
"""

from __future__ import annotations

import io
import time
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from partenariats.core import filechecks
from partenariats.reader import ocr
from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits, Page, Progress, Source

# Pillow's own guard (about 89 million pixels: a 600 dpi A2 scan) is ours too.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
EXIF_ORIENTATION = 0x0112


def _bomb(width: int | None = None, height: int | None = None) -> ReaderError:
    size = f" ({width} × {height} pixels)" if width and height else ""
    return ReaderError(
        f"Cette image est anormalement grande{size} : la limite est de {MAX_PIXELS // 1_000_000} millions de pixels. "
        "Numérisez le document à 300 dpi.",
        "bomb",
    )


def _corrupt(error: Exception | None = None) -> ReaderError:
    return ReaderError("Cette image est endommagée ou incomplète : elle ne peut pas être lue.", "corrupt")


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _corrupt()
    if width * height > MAX_PIXELS:
        raise _bomb(width, height)


def _open(data: bytes) -> Image.Image:
    try:
        # (Sizes between Pillow's warning and error thresholds are refused by _check_size.)
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise _bomb() from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _corrupt(error) from error
    _check_size(image)
    return image


def _frame_png(image: Image.Image) -> bytes:
    """The current frame as PNG (greyscale when it has no meaningful colour), upright."""
    image.load()
    frame = ImageOps.exif_transpose(image)
    if frame.mode not in ("1", "L", "RGB"):
        frame = frame.convert("RGB")
    buffer = io.BytesIO()
    dpi = image.info.get("dpi")
    extra = {"dpi": (round(float(dpi[0])), round(float(dpi[1])))} if dpi and dpi[0] and dpi[1] else {}
    frame.save(buffer, format="PNG", compress_level=1, **extra)
    return buffer.getvalue()


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1: upright) of a JPEG or TIFF; PNG's rare EXIF would cost a full decode."""
    if image.format == "PNG":
        return 1
    try:
        return int(image.getexif().get(EXIF_ORIENTATION, 1) or 1)
    except (OSError, ValueError, TypeError, SyntaxError, EOFError):
        return 1


def check_header(data: bytes, limits: Limits) -> None:
    """Refuse, from the headers alone, an image cut short, glued to another file, too large or with
    too many pages (no pixel decoded)."""
    ending = filechecks.image_ending(data)
    if ending == "truncated":
        raise _corrupt()
    if ending == "glued":
        raise ReaderError(
            "Cette image est suivie de données qui n'en font pas partie (un autre fichier y est accolé) : "
            "enregistrez-la à nouveau (ou faites une capture) puis réessayez.",
            "corrupt",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        image = _open(data)
        try:
            _page_count(image, limits)
        finally:
            image.close()


def _page_count(image: Image.Image, limits: Limits) -> int:
    try:
        count = getattr(image, "n_frames", 1)
    except (OSError, ValueError, EOFError, SyntaxError) as error:
        raise _corrupt(error) from error
    if count > limits.max_pages:
        raise ReaderError(
            f"Cette image compte {count} pages : la limite est de {limits.max_pages} pages par document.",
            "too_many_pages",
        )
    return count


def extract(data: bytes, limits: Limits, progress: Progress) -> Source:
    """The pages of an image file, each read by OCR."""
    with warnings.catch_warnings():
        # Pillow warns about damaged EXIF blocks and the like: nothing the user can act on.
        warnings.simplefilter("ignore")
        return _extract(data, limits, progress)


def _extract(data: bytes, limits: Limits, progress: Progress) -> Source:
    check_header(data, limits)
    image = _open(data)
    try:
        count = _page_count(image, limits)
        deadline = time.monotonic() + limits.ocr_timeout_seconds
        pages = []
        for index in range(count):
            progress(0.05 + 0.8 * index / count, f"Reconnaissance du texte, page {index + 1} sur {count}")
            if count == 1 and _orientation(image) == 1:
                payload = data  # as it is: Tesseract decodes PNG, JPEG and TIFF itself
            else:
                try:
                    image.seek(index)
                    _check_size(image)
                    payload = _frame_png(image)
                except ReaderError:
                    raise
                except (OSError, ValueError, EOFError, SyntaxError) as error:
                    raise _corrupt(error) from error
            text = ocr.ocr_image(payload, limits, deadline).rstrip("\f\n")
            pages.append(Page(number=index + 1, text=text + "\n" if text else "", ocr=True))
        progress(0.85, "Reconnaissance du texte terminée")
    finally:
        image.close()
    return Source(kind="image", pages=tuple(pages))
