"""The DOCX of a review or of minutes (python-docx): the same content as the PDF, editable.

Real Word headings (« Titre 1/2 », so that the navigation pane works), a table of contents
field that Word fills in (it asks to update the fields on opening), page numbers in the footer
(PAGE / NUMPAGES fields), table header rows repeated on each page and rows never split, charts
as PNG images, the Marianne font named on the styles (Word falls back where it is missing).
No database access.
"""

from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from partenariats.charts import Chart
from partenariats.core.text import xml_safe_data
from partenariats.steering.documents import common
from partenariats.steering.documents.common import Progress, no_progress

FONT = "Marianne"
BLUE = RGBColor(0x00, 0x00, 0x91)
GREY = RGBColor(0x3A, 0x3A, 0x3A)
LIGHT_GREY = RGBColor(0x66, 0x66, 0x66)
WARNING = RGBColor(0xB3, 0x40, 0x00)
HEADER_FILL = "000091"
TILE_FILL = "F6F6F6"
TEXT_WIDTH = Cm(17)
CHART_WIDTH = Cm(16.5)
TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'


# --- Low-level helpers (WordprocessingML the library does not wrap) -------------------------


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC…) Word computes; ``placeholder`` shows until then."""

    def fld_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    run = paragraph.add_run()
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    run._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(fld_char("end"))


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _row_flag(row, tag: str) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    properties.append(element)


def _update_fields_on_open(document) -> None:
    """Word offers to update the fields (the table of contents, page counts) when the file opens."""
    settings = document.settings.element
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    settings.append(element)


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


# --- The document's styles ------------------------------------------------------------------


def _set_font(style, *, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None) -> None:
    font = style.font
    font.name = FONT
    # The East Asian slot too, or Word shows its default font for some characters.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _new_document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    _set_font(styles["Normal"], size=10, color=RGBColor(0x16, 0x16, 0x16))
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.widow_control = True
    for name, size in (("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = styles[name]
        _set_font(style, size=size, bold=True, color=BLUE if name != "Heading 3" else GREY)
        style.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    for name in ("Title", "Subtitle", "Caption", "List Bullet", "Table Grid"):
        if name in [s.name for s in styles]:
            _set_font(styles[name])
    _set_font(styles["Title"], size=28, bold=True, color=BLUE)
    _update_fields_on_open(document)
    return document


def _paragraph(document, text: str = "", *, size=None, bold=False, italic=False, color=None, align=None):
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _cell_text(cell, text: str, *, bold=False, color=None, size=9, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    if align is not None:
        paragraph.alignment = align


def _corrective_table(document, actions: list[dict]) -> None:
    """Corrective actions: title with its precision (the review's progress note, or the minutes'
    detail), owner, due date, state."""
    rows = [
        [
            common.person_line([a["title"], a.get("review_note") or a.get("detail", "")]),
            a.get("owner", ""),
            a.get("due_on_display", ""),
            a.get("status_label", ""),
        ]
        for a in actions
    ]
    _table(document, ["Action corrective", "Responsable", "Échéance", "État"], rows)


def _table(document, headers: list[str], rows: list[list[str]], *, numeric_from: int | None = None, widths=None):
    """A table with a blue header row repeated on each page, rows that never split across pages."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for index, (cell, text) in enumerate(zip(header.cells, headers, strict=True)):
        _shade(cell, HEADER_FILL)
        align = WD_ALIGN_PARAGRAPH.RIGHT if numeric_from is not None and index >= numeric_from else None
        _cell_text(cell, text, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), align=align)
    for values in rows:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric_from is not None and index >= numeric_from else None
            _cell_text(cell, str(text), align=align)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = width
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


# --- Furniture: cover, contents, header and footer --------------------------------------------


def _cover(
    document,
    *,
    academies: list[str],
    kicker: str,
    title: str,
    subtitle: str,
    lines: list[str],
    draft: str,
    public: bool,
    foot: list[str],
) -> None:
    for text in common.BLOC_MARQUE:
        _paragraph(document, text.upper(), size=13, bold=True).paragraph_format.space_after = Pt(0)
    devise = _paragraph(document, common.DEVISE.replace("\n", " "), size=7.5, italic=True)
    devise.paragraph_format.space_after = Pt(18)
    for academy in academies:
        _paragraph(document, academy, size=10, bold=True)
    for _ in range(6):
        _paragraph(document)
    _paragraph(document, kicker.upper(), size=9, color=GREY)
    heading = document.add_paragraph(title, style="Title")
    heading.paragraph_format.space_after = Pt(10)
    _paragraph(document, subtitle, size=14).paragraph_format.space_after = Pt(14)
    for line in lines:
        _paragraph(document, line, size=10)
    _paragraph(document)
    if draft:
        _paragraph(document, draft.upper(), size=9, bold=True, color=WARNING)
    mention = "Version publique" if public else "Version des parties – diffusion restreinte"
    _paragraph(document, mention.upper(), size=9, bold=True, color=BLUE if public else GREY)
    for _ in range(4):
        _paragraph(document)
    for index, line in enumerate(foot):
        _paragraph(document, line, size=9, bold=index == 0, color=GREY)


def _contents(document) -> None:
    """The table of contents: a TOC field over the headings, with the hint to update it."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, common.TOC_TITLE, size=16, bold=True, color=BLUE)
    _field(document.add_paragraph(), TOC_FIELD, common.TOC_HINT)
    _paragraph(document, common.TOC_HINT, size=8, italic=True, color=LIGHT_GREY)


def _body_section(document, *, running_title: str, running_type: str, mention: str) -> None:
    """A new section after the cover and the contents, with the running header and the page numbers
    in the footer (the first section, cover and contents, has neither)."""
    section = document.add_section(WD_SECTION_START.NEW_PAGE)
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.text = ""
    run = header.add_run(f"{running_title} – {running_type}")
    run.font.size, run.font.color.rgb = Pt(8), LIGHT_GREY
    footer = section.footer.paragraphs[0]
    footer.text = ""
    run = footer.add_run(f"{mention}\t\t")
    run.font.size = Pt(8)
    for part in ("Page ", ("PAGE", "1"), " sur ", ("NUMPAGES", "1")):
        if isinstance(part, tuple):
            _field(footer, *part)
        else:
            footer.add_run(part)
    for run in footer.runs:
        run.font.size = Pt(8)


def _properties(document, title: str, subject: str = "") -> None:
    """The file's core properties: its title, our name as author, made now (not python-docx's
    defaults: its own title, author and comment, a date of 2013)."""
    properties = document.core_properties
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    properties.title = title
    properties.subject = subject
    properties.author = properties.last_modified_by = common.AUTHOR
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.created = properties.modified = now
    properties.revision = 1


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- The review -------------------------------------------------------------------------------


def _tiles(document, figures: list[dict]) -> None:
    for row in common.chunks(figures, common.TILES_PER_ROW):
        table = document.add_table(rows=1, cols=common.TILES_PER_ROW)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _row_flag(table.rows[0], "w:cantSplit")
        for cell, figure in zip(table.rows[0].cells, row, strict=True):
            if figure is None:
                continue
            _shade(cell, TILE_FILL)
            _cell_text(cell, figure["display"], bold=True, color=BLUE, size=18)
            label = cell.add_paragraph()
            run = label.add_run(figure["label"])
            run.font.size, run.font.color.rgb = Pt(8), GREY
        document.add_paragraph().paragraph_format.space_after = Pt(0)


def _indicator_block(document, item: dict) -> None:
    if item.get("sentence"):
        _paragraph(document, item["sentence"], italic=True)
    rows = common.action_rows(item)
    if rows:
        _table(document, common.ACTION_HEADERS, rows, numeric_from=1, widths=[Cm(8.5), Cm(2.8), Cm(2.8), Cm(2.8)])


def _review_chapter(document, chapter: common.Chapter, content: dict, progress: Progress) -> None:
    key = chapter.key
    document.add_heading(chapter.title, level=1)
    if key == "synthese":
        for text in common.paragraphs(content.get("overview")):
            _paragraph(document, text, size=11)
        _tiles(document, content.get("key_figures", []))
    elif key == "axes":
        for axis in content["axes"]:
            document.add_heading(axis["title"], level=2)
            for action in axis.get("actions", []):
                state = "réalisée" if action.get("carried_out") else "non réalisée"
                document.add_heading(f"Action {action['number']} – {action['title']} ({state})", level=3)
                if action.get("owner"):
                    _paragraph(document, f"Pilote : {action['owner']}", size=9, color=GREY)
                _indicator_block(document, action)
    elif key == "engagements":
        for commitment in content["commitments"]:
            idle = " (aucune activité cette année)" if commitment.get("idle") else ""
            document.add_heading(f"{commitment['party']}{idle}", level=3)
            meta = common.person_line([commitment.get("article", ""), commitment.get("text", "")])
            _paragraph(document, meta, size=9, color=GREY)
            _indicator_block(document, commitment)
    elif key == "non-realisees":
        rows = [
            [str(a["number"]), a["title"], a.get("axis", ""), a.get("period", "")] for a in content["not_carried_out"]
        ]
        _table(document, ["N°", "Action", "Axe", "Période prévue"], rows)
    elif key == "indicateurs":
        progress("Dessin des graphiques")
        for data in content.get("charts", []):
            chart = Chart.from_dict(data)
            if chart.is_empty:
                continue
            caption = _paragraph(document, chart.title, bold=True)
            _keep_with_next(caption)
            document.add_picture(io.BytesIO(chart.png()), width=CHART_WIDTH)
            _paragraph(document, chart.alternative_text, size=8, italic=True, color=LIGHT_GREY)
        for table in content.get("tables", []):
            caption = _paragraph(document, table.get("title", ""), bold=True)
            _keep_with_next(caption)
            rows = [[common.cell(value) for value in row] for row in table.get("rows", [])]
            _table(document, table.get("headers", []), rows)
            if table.get("note"):
                _paragraph(document, table["note"], size=8, italic=True, color=LIGHT_GREY)
    elif key == "evaluations":
        for item in content["evaluations"]:
            document.add_heading(item["title"], level=3)
            meta = common.person_line([item.get("kind_label", ""), item.get("date_display", "")])
            _paragraph(document, meta, size=9, color=GREY)
            for text in common.paragraphs(item.get("text")):
                _paragraph(document, text)
    elif key == "faits-marquants":
        for text in common.paragraphs((common.highlights_section(content) or {}).get("text")):
            _paragraph(document, text)
        for item in content.get("highlights", []):
            document.add_heading(item["title"], level=3)
            meta = common.person_line([item.get("kind_label", ""), item.get("date_display", ""), item.get("place", "")])
            _paragraph(document, meta, size=9, color=GREY)
            for text in common.paragraphs(item.get("comment")):
                _paragraph(document, text)
    elif key.startswith("section-"):
        section = next(s for s in content["sections"] if f"section-{s['key']}" == key)
        texts = common.paragraphs(section.get("text"))
        for text in texts:
            _paragraph(document, text)
        if not texts:
            _paragraph(document, "Section non rédigée.", italic=True, color=LIGHT_GREY)
    elif key == "decisions":
        if content.get("decisions"):
            document.add_heading("Décisions", level=2)
            for decision in content["decisions"]:
                paragraph = document.add_paragraph()
                run = paragraph.add_run(f"Décision {decision['number']}. ")
                run.bold, run.font.color.rgb = True, BLUE
                paragraph.add_run(decision["text"])
                if decision.get("meeting_display"):
                    note = paragraph.add_run(f" ({decision['meeting_display']})")
                    note.font.size, note.font.color.rgb = Pt(8.5), LIGHT_GREY
        if content.get("corrective_actions"):
            document.add_heading("Actions correctives", level=2)
            _corrective_table(document, content["corrective_actions"])
    elif key == "plan-suivant":
        plan = common.next_plan(content["next_plan"])
        adopted = f" le {plan['adopted_on_display']}" if plan.get("adopted_on_display") else ""
        _paragraph(document, f"{plan.get('status_label', '')}{adopted}")
        rows = [
            [
                str(a["number"]),
                common.person_line([a["title"], a.get("axis", "")]),
                a.get("owner", ""),
                a.get("period", ""),
                "\n".join(a["targets_display"]) or "—",
            ]
            for a in plan["actions"]
        ]
        _table(document, ["N°", "Action", "Pilote", "Période", "Cibles"], rows)


def review_docx(content: dict, progress: Progress = no_progress) -> bytes:
    """The review as an editable Word document, chapter for chapter like the PDF."""
    content = xml_safe_data(content)
    document = _new_document()
    title = common.review_title(content)
    convention = content["convention"]
    parties = []
    for party in convention.get("parties", []):
        parties.append(f"{party['side_label']} : {party['name']}")
        if party.get("representative_title"):
            parties.append(f"{common.REPRESENTATIVE_LABEL} {party['representative_title']}")
    foot = [f"Chiffres arrêtés le {content.get('taken_at_display', '')}"]
    foot.append(
        f"Bilan approuvé le {content['approved_at_display']}"
        if content.get("approved")
        else "Bilan non encore approuvé par le comité de pilotage"
    )
    reference = common.person_line(
        [
            f"Référence {convention['reference']}" if convention.get("reference") else "",
            f"Convention signée le {convention['signed_on_display']}" if convention.get("signed_on_display") else "",
        ]
    )
    if reference:
        foot.append(reference)
    draft = common.is_draft(content)
    _cover(
        document,
        academies=[common.academy_label(name) for name in convention.get("academies", [])],
        kicker="Convention de partenariat – comité de pilotage",
        title=title,
        subtitle=convention["title"],
        lines=parties,
        draft=common.DRAFT_MENTION if draft else "",
        public=content.get("variant") == "public",
        foot=foot,
    )
    _properties(document, f"{title} – {convention['title']}", common.variant_mention(content))
    _contents(document)
    mention = ("Projet – " if draft else "") + common.variant_mention(content)
    _body_section(document, running_title=convention["title"], running_type=title, mention=mention)
    progress("Mise en page")
    for chapter in common.review_outline(content):
        _review_chapter(document, chapter, content, progress)
    return _save(document)


# --- The minutes ------------------------------------------------------------------------------


def minutes_docx(content: dict, progress: Progress = no_progress) -> bytes:
    """The minutes of a meeting as an editable Word document."""
    content = xml_safe_data(content)
    document = _new_document()
    meeting = content["meeting"]
    public = content.get("variant") == "public"
    draft = common.is_draft(content)
    subtitle = meeting["kind_label"] + (f" du {meeting['date_display']}" if meeting.get("date_display") else "")
    foot = [f"Année scolaire examinée : {meeting.get('year_label', '')}"]
    if content["convention"].get("reference"):
        foot.append(f"Référence de la convention : {content['convention']['reference']}")
    _cover(
        document,
        academies=[],
        kicker="Convention de partenariat – comité de pilotage",
        title="Compte rendu",
        subtitle=subtitle,
        lines=[content["convention"]["title"]],
        draft=common.MINUTES_DRAFT_MENTION if draft else "",
        public=public,
        foot=foot,
    )
    _properties(document, f"{common.minutes_title(content)} – {content['convention']['title']}", subtitle)
    _contents(document)
    _body_section(
        document,
        running_title=content["convention"]["title"],
        running_type=common.minutes_title(content),
        mention=("Projet – " if draft else "") + common.variant_mention(content),
    )
    progress("Mise en page")
    for chapter in common.minutes_outline(content):
        document.add_heading(chapter.title, level=1)
        key = chapter.key
        if key == "reunion":
            _table(
                document,
                ["Rubrique", "Détail"],
                [list(fact) for fact in common.meeting_facts(content)],
                widths=[Cm(5), Cm(12)],
            )
        elif key == "presences":
            headers = ["Organisation", "Rôle", "Présence"]
            rows = []
            for person in content["attendance"]:
                status = person["status_label"] + (
                    f" par {person['represented_by']}" if person.get("represented_by") else ""
                )
                rows.append([person.get("organisation", ""), person.get("role", ""), status])
            if not public:
                headers = ["Nom", *headers]
                rows = [[person.get("name", ""), *row] for person, row in zip(content["attendance"], rows, strict=True)]
            _table(document, headers, rows)
        elif key == "ordre-du-jour":
            for number, item in enumerate(content["agenda"], start=1):
                document.add_heading(f"{number}. {item['title']}", level=2)
                for text in common.paragraphs(item.get("detail")):
                    _paragraph(document, text)
        elif key == "etat-des-lieux":
            for text in common.paragraphs(content["inventory"]):
                _paragraph(document, text)
        elif key == "compte-rendu":
            for text in common.paragraphs(content["minutes"]):
                _paragraph(document, text)
        elif key == "decisions":
            for decision in content["decisions"]:
                paragraph = document.add_paragraph()
                run = paragraph.add_run(f"Décision {decision['number']}. ")
                run.bold, run.font.color.rgb = True, BLUE
                paragraph.add_run(decision["text"])
        elif key == "actions-correctives":
            _corrective_table(document, content["corrective_actions"])
        elif key == "actions-examinees":
            rows = [
                [
                    a["title"],
                    a.get("decided_display", ""),
                    a.get("owner", ""),
                    a.get("status_label", ""),
                    a.get("review_note", ""),
                ]
                for a in content["reviewed_actions"]
            ]
            _table(document, ["Action corrective", "Décidée en", "Responsable", "État", "Point d’avancement"], rows)
    return _save(document)
