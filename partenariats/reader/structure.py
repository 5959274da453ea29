"""The heading tree of a cleaned text."""

from partenariats.reader.model import Structure, Text


def parse(text: Text) -> Structure:
    """SKELETON: no headings, until the structure reader lands."""
    return Structure()
