"""SKELETON: the programmes reader, until it lands."""

from partenariats.reader.model import Document, Findings


def read(document: Document, found: Findings) -> None:
    return None
