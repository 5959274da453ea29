"""DOCX files: paragraphs and tables in document order (python-docx), as Markdown-flavoured text.

Rules:
- the archive is checked before python-docx touches it: member count, total unpacked size
  (``limits.max_unpacked_bytes``) and compression ratio — an abnormal one is a "bomb";
- Word's automatic numbering is written out ("Article 2 – ", "1.3 ", "- " for a bullet),
  since python-docx leaves it out (``numbering``);
- a paragraph in a Word heading style becomes a Markdown heading (``Title`` and ``Heading 1``
  → ``#``, ``Heading 2`` → ``##``…); a paragraph whose text is all bold becomes ``**…**``
  (a heading typed by hand); bold inside a sentence is left as plain text;
- a table row whose cells hold one line each becomes one line, cells joined by `` | ``; a row
  with a multi-line cell (a signature block side by side) gives each cell's lines in turn;
- page breaks (typed, or where Word last laid out a page) start a new page;
- headers, footers, footnotes, comments, text boxes and deleted revisions are left out.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits, Page, Source
from partenariats.reader.sources.numbering import Numbering

MAX_MEMBERS = 2000  # a real DOCX has a few dozen parts; thousands is an attack on the parser
MAX_RATIO = 200  # XML compresses 5–30×; a few hundred times is a crafted member
RATIO_MIN_SIZE = 1024 * 1024  # tiny members may compress absurdly well without harm

PAGE_BREAK = "\f"
T, TAB, BR, CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
RENDERED_BREAK, NO_BREAK_HYPHEN, TYPE = qn("w:lastRenderedPageBreak"), qn("w:noBreakHyphen"), qn("w:type")
# Inside a paragraph, what is not the paragraph's own text: drawings and text boxes (with
# their duplicated fallback), deleted text, field codes, note references.
SKIPPED = frozenset(
    {
        qn("w:drawing"),
        qn("w:pict"),
        qn("w:object"),
        qn("w:delText"),
        qn("w:instrText"),
        qn("w:del"),
        qn("w:footnoteReference"),
        qn("w:endnoteReference"),
        qn("w:commentReference"),
        qn("w:rPr"),
        qn("w:pPr"),
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
    }
)
HEADING_STYLE = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = frozenset({"title", "titre"})


def _bomb() -> ReaderError:
    return ReaderError("Ce fichier DOCX est anormal (archive trop volumineuse une fois décompressée).", "bomb")


def _corrupt() -> ReaderError:
    return ReaderError(
        "Ce document Word (DOCX) est endommagé ou incomplet : enregistrez-le à nouveau puis réessayez.", "corrupt"
    )


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose members would unpack into too much (see the module's rule)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # zipfile raises BadZipFile, NotImplementedError, ValueError, OSError…
        raise _corrupt() from error
    if len(members) > MAX_MEMBERS:
        raise _bomb()
    total = 0
    for member in members:
        # zipfile never inflates a member beyond its declared size, so the declared sizes bound
        # what python-docx can unpack.
        total += member.file_size
        if total > limits.max_unpacked_bytes:
            raise _bomb()
        if member.file_size > RATIO_MIN_SIZE and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _bomb()


def _paragraph_text(element) -> str:
    """The paragraph's own text, with ``\\f`` where a page breaks (see ``SKIPPED``)."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if tag == T:
                parts.append(child.text or "")
            elif tag in SKIPPED or not isinstance(tag, str):
                continue
            elif tag == TAB:
                parts.append("\t")
            elif tag == BR:
                parts.append(PAGE_BREAK if child.get(TYPE) == "page" else "\n")
            elif tag == CR:
                parts.append("\n")
            elif tag == RENDERED_BREAK:
                parts.append(PAGE_BREAK)
            elif tag == NO_BREAK_HYPHEN:
                parts.append("-")
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def _style_name(paragraph: Paragraph) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError, AttributeError):
        return ""
    return (style.name or "") if style is not None else ""


def _all_bold(paragraph: Paragraph) -> bool:
    """Whether every run carrying text is bold (directly or through the paragraph's style)."""
    style_bold = False
    with contextlib.suppress(KeyError, ValueError, AttributeError):
        style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold or (style_bold and run.bold is not False) for run in runs)


def _paragraph(paragraph: Paragraph, numbering: Numbering) -> str:
    """The paragraph as a line of Markdown-flavoured text (see the module's rule)."""
    text = _paragraph_text(paragraph._p)
    visible = text.replace(PAGE_BREAK, "").strip()
    if not visible:
        return text
    label = numbering.label(paragraph)
    if label:
        start = len(text) - len(text.lstrip())
        text = text[:start] + label + text[start:]
        visible = label + visible
    style = _style_name(paragraph).strip().lower()
    heading = HEADING_STYLE.match(style)
    prefix = ""
    if style in TITLE_STYLES:
        prefix = "# "
    elif heading:
        prefix = "#" * min(max(int(heading.group(1)), 1), 6) + " "
    if "\n" in visible or PAGE_BREAK in visible:
        return text  # a paragraph with line or page breaks is left as typed
    leading = text[: len(text) - len(text.lstrip())]
    trailing = text[len(text.rstrip()) :]
    if prefix:
        return f"{leading}{prefix}{visible}{trailing}"
    if _all_bold(paragraph) and "*" not in visible:
        return f"{leading}**{visible}**{trailing}"
    return text


def _table(table: Table, numbering: Numbering) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        contents = [[line for item in _cell_lines(cell, numbering) for line in item.split("\n")] for cell in cells]
        if all(len([line for line in content if line.strip()]) <= 1 for content in contents):
            line = " | ".join(" ".join(content).strip() for content in contents if any(x.strip() for x in content))
            if line:
                lines.append(line)
        else:
            for content in contents:
                lines.extend(content)
                lines.append("")
    return lines


def _cell_lines(cell, numbering: Numbering) -> list[str]:
    lines: list[str] = []
    for item in cell.iter_inner_content():
        if isinstance(item, Paragraph):
            text = _paragraph_text(item._p).replace(PAGE_BREAK, "")
            lines.append(numbering.label(item) + text if text.strip() else text)
        elif isinstance(item, Table):
            lines.extend(_table(item, numbering))
    return lines


def extract(data: bytes, limits: Limits) -> Source:
    """The pages of a DOCX: one unless it holds page breaks."""
    check_archive(data, limits)
    try:
        document = Document(io.BytesIO(data))
        numbering = Numbering.of(document)
        lines: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                lines.append(_paragraph(item, numbering))
            elif isinstance(item, Table):
                lines.append("")
                lines.extend(_table(item, numbering))
                lines.append("")
    except ReaderError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on damaged parts
        raise _corrupt() from error
    pages: list[str] = []
    current: list[str] = []
    for piece in "\n".join(lines).split(PAGE_BREAK):
        current.append(piece)
        if "".join(current).strip():  # a break on an empty page (typed + rendered) opens no page
            pages.append("".join(current))
            current = []
    if current and pages:
        pages[-1] += "".join(current)
    elif current:
        pages.append("".join(current))
    return Source(kind="docx", pages=tuple(Page(number=index, text=text) for index, text in enumerate(pages, 1)))
