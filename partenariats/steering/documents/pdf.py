"""The PDF of a review or of minutes (WeasyPrint): an A4 document in the DSFR look.

The content dict is turned into display-ready context (French numbers, paragraphs, inline SVG
charts), laid out by the templates ``steering/pdf/*.html`` with the stylesheet
``steering/pdf/document.css``, which declares the Marianne font from the files django-dsfr
ships (read from disk; DejaVu Sans where they are missing). No database access.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from partenariats.charts import Chart
from partenariats.core.text import xml_safe_data
from partenariats.steering.documents import common
from partenariats.steering.documents.common import Progress, no_progress

logger = logging.getLogger(__name__)

FULL_WIDTH_INCHES = 7.0

# (CSS weight, CSS style, file stem) of the Marianne files django-dsfr ships.
MARIANNE_FACES = (
    (300, "normal", "Marianne-Light"),
    (400, "normal", "Marianne-Regular"),
    (400, "italic", "Marianne-Regular_Italic"),
    (500, "normal", "Marianne-Medium"),
    (700, "normal", "Marianne-Bold"),
    (700, "italic", "Marianne-Bold_Italic"),
)


@functools.cache
def font_faces() -> tuple[dict, ...]:
    """The Marianne faces found on disk, as file:// URLs (the woff2 file, else the woff one)."""
    faces = []
    for weight, style, stem in MARIANNE_FACES:
        for extension, fmt in (("woff2", "woff2"), ("woff", "woff")):
            found = finders.find(f"dsfr/dist/fonts/{stem}.{extension}")
            if found:
                faces.append({"weight": weight, "style": style, "url": Path(found).as_uri(), "format": fmt})
                break
        else:
            logger.warning("Marianne font file %s not found: the PDF falls back on DejaVu Sans.", stem)
    return tuple(faces)


def stylesheet() -> str:
    return render_to_string("steering/pdf/document.css", {"faces": font_faces()})


def _chart(data: dict) -> dict:
    chart = Chart.from_dict(data)
    return {
        "title": chart.title,
        "svg": mark_safe(chart.svg()),  # noqa: S308 -- markup drawn by our chart module, texts escaped there
        "headers": chart.headers,
        "rows": [
            [{"text": common.cell(value), "num": common.is_number(value)} for value in row] for row in chart.table()
        ],
        "empty": chart.is_empty,
        # A chart drawn narrow (to sit beside its table) keeps its proportion of the page.
        "narrow": chart.width < FULL_WIDTH_INCHES,
    }


def _table(data: dict) -> dict:
    return {
        "key": data.get("key", ""),
        "title": data.get("title", ""),
        "headers": data.get("headers", []),
        "rows": [
            [{"text": common.cell(value), "num": common.is_number(value)} for value in row]
            for row in data.get("rows", [])
        ],
        "note": data.get("note", ""),
    }


def _with_rows(item: dict) -> dict:
    return {**item, "display_rows": common.action_rows(item)}


def review_context(content: dict, progress: Progress = no_progress) -> dict:
    """The template's context: the content with its figures written in French, charts drawn."""
    progress("Dessin des graphiques")
    charts = [_chart(data) for data in content.get("charts", [])]
    return {
        "c": content,
        "title": common.review_title(content),
        "outline": common.review_outline(content),
        "draft": common.is_draft(content),
        "public": content.get("variant") == "public",
        "mention": common.variant_mention(content),
        "bloc_marque": common.BLOC_MARQUE,
        "devise": common.DEVISE,
        "overview": common.paragraphs(content.get("overview")),
        "tiles": common.chunks(content.get("key_figures", []), common.TILES_PER_ROW),
        "academies": [common.academy_label(name) for name in content["convention"].get("academies", [])],
        "next_plan": common.next_plan(content.get("next_plan")),
        "axes": [
            {**axis, "actions": [_with_rows(action) for action in axis.get("actions", [])]}
            for axis in content.get("axes", [])
        ],
        "commitments": [_with_rows(item) for item in content.get("commitments", [])],
        "charts": charts,
        "tables": [_table(data) for data in content.get("tables", [])],
        "evaluations": [
            {**item, "paragraphs": common.paragraphs(item.get("text"))} for item in content.get("evaluations", [])
        ],
        "highlights": [
            {**item, "paragraphs": common.paragraphs(item.get("comment"))} for item in content.get("highlights", [])
        ],
        "sections": [
            {**section, "anchor": f"section-{section['key']}", "paragraphs": common.paragraphs(section.get("text"))}
            for section in content.get("sections", [])
        ],
        "highlights_section": _highlights_section(content),
        "representative_label": common.REPRESENTATIVE_LABEL,
        "action_headers": common.ACTION_HEADERS,
    }


def _highlights_section(content: dict) -> dict | None:
    section = common.highlights_section(content)
    return {**section, "paragraphs": common.paragraphs(section.get("text"))} if section else None


def minutes_context(content: dict, progress: Progress = no_progress) -> dict:
    return {
        "c": content,
        "title": common.minutes_title(content),
        "outline": common.minutes_outline(content),
        "draft": common.is_draft(content),
        "public": content.get("variant") == "public",
        "mention": common.variant_mention(content),
        "bloc_marque": common.BLOC_MARQUE,
        "devise": common.DEVISE,
        "facts": common.meeting_facts(content),
        "agenda": [{**item, "paragraphs": common.paragraphs(item.get("detail"))} for item in content.get("agenda", [])],
        "inventory": common.paragraphs(content.get("inventory")),
        "minutes": common.paragraphs(content.get("minutes")),
    }


def _write_pdf(template: str, context: dict, progress: Progress) -> bytes:
    # Heavy imports, only where a PDF is made.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    allowed = {face["url"] for face in font_faces()}

    class FontsOnly(URLFetcher):
        """The document reaches nothing but the font files named in the stylesheet."""

        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"Ressource refusée dans un document généré : {url}")
            return super().fetch(url, headers)

    html = render_to_string(template, context)
    progress("Mise en page")
    fetcher = FontsOnly()
    fonts = FontConfiguration()
    css = CSS(string=stylesheet(), font_config=fonts, url_fetcher=fetcher)
    # Whole fonts: subsetting Marianne with fontTools costs seconds per document, embedding it ~0.3 MB.
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css], font_config=fonts, full_fonts=True)


def review_pdf(content: dict, progress: Progress = no_progress) -> bytes:
    """The review as an A4 PDF: cover, contents, chapters, page numbers."""
    return _write_pdf("steering/pdf/review.html", review_context(xml_safe_data(content), progress), progress)


def minutes_pdf(content: dict, progress: Progress = no_progress) -> bytes:
    """The minutes of a meeting as an A4 PDF, in the same look as the review."""
    return _write_pdf("steering/pdf/minutes.html", minutes_context(xml_safe_data(content), progress), progress)
