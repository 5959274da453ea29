"""OCR repair and page furniture: raw pages → one cleaned ``Text`` with page offsets."""

from partenariats.reader.model import Source, Text


def clean(source: Source) -> Text:
    """SKELETON: pages joined as they are, until the cleanup lands."""
    starts: list[int] = []
    parts: list[str] = []
    offset = 0
    for page in source.pages:
        starts.append(offset)
        parts.append(page.text)
        offset += len(page.text) + 2
    return Text(text="\n\n".join(parts), page_starts=tuple(starts))
