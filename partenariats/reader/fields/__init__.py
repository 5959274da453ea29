"""The field readers, in the order they run: each reads the document and records what it found
(with evidence) in ``Findings``; later readers may use what earlier ones found."""

from collections.abc import Callable

from partenariats.reader.fields import (
    actions,
    articles,
    clauses,
    commitments,
    contacts,
    originals,
    parent,
    parties,
    programmes,
    signatures,
    terms,
    title,
)
from partenariats.reader.model import Document, Findings

READERS: tuple[Callable[[Document, Findings], None], ...] = (
    title.read,
    articles.read,
    parties.read,
    signatures.read,
    originals.read,
    terms.read,
    parent.read,
    clauses.read,
    programmes.read,
    commitments.read,
    contacts.read,
    actions.read,
)
