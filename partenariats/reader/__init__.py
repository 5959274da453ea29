"""The convention reader: a PDF, a scan, a DOCX or a text becomes a structured draft (no Django).

``read_bytes(data, filename)``, ``read_path(path)`` and ``read_text(text)`` return a
``Reading``; ``Reading.as_contract()`` is the JSON of ``partenariats read --json``, whose keys
``seeds/truth/README.md`` defines. A file that cannot be read raises ``ReaderError`` with a
French message. The stages: ``sources`` (file → pages of raw text, OCR included),
``cleanup`` (OCR repair, page furniture), ``structure`` (the heading tree), ``fields``
(each value with the passage it comes from).
"""

from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits, Reading
from partenariats.reader.pipeline import read_bytes, read_path, read_source, read_text

__all__ = ["Limits", "ReaderError", "Reading", "read_bytes", "read_path", "read_source", "read_text"]
