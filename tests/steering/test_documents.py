"""The generated documents: PDF and DOCX of a review and of minutes, read back.

The renderers are tested on contents written by hand, exactly per the contracts of
``steering.content`` and ``steering.minutes`` (``sample_review_content``,
``sample_minutes_content``), then on the recorded world ``cycle``."""

import datetime
import functools
import io

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from partenariats.charts import Chart, ChartKind, Series, format_number
from partenariats.core.school_year import SchoolYear
from partenariats.indicators.reports import convention_report
from partenariats.steering.documents import common
from partenariats.steering.documents.docx import minutes_docx, review_docx
from partenariats.steering.documents.pdf import minutes_pdf, review_pdf
from partenariats.steering.minutes import minutes_content
from partenariats.steering.models import Attendance, AttendanceStatus, MeetingStatus, ReviewSection
from partenariats.steering.reviews import review_content
from tests.steering.conftest import SECRET_EMAIL, SECRET_PHONE, SECRET_TEXT
from tests.steering.factories import CorrectiveActionFactory, DecisionFactory, MeetingFactory, ReviewFactory

SAMPLE_SECRET = "Mention réservée aux parties"


def sample_chart() -> dict:
    return Chart(
        title="Cibles et réalisé par action",
        categories=["Action 1 – Activités", "Action 1 – Participations d’élèves", "Action 2 – Activités"],
        series=[
            Series("Cible", [10, 300, 5], color="#CACAFB"),
            Series("Réalisé", [12, 300, 0], color="#000091"),
        ],
        kind=ChartKind.HBARS,
        category_header="Action et indicateur",
        width=7.5,
    ).as_dict()


def sample_review_content(*, public: bool = False, approved: bool = True) -> dict:
    """A review of 2025-2026, per the contract of ``steering.content``."""
    content = {
        "schema": 1,
        "variant": "public" if public else "full",
        "taken_at": "2026-06-30T10:00:00+02:00",
        "taken_at_display": "30 juin 2026",
        "approved": approved,
        "approved_at_display": "2 juillet 2026" if approved else "",
        "convention": {
            "title": "Convention Rectorat – Fédération Exemple",
            "reference": "AMX-2021-004",
            "academies": ["Aix-Marseille"],
            "signed_on_display": "18 mars 2021",
            "parties": [
                {
                    "name": "Rectorat de l’académie d’Aix-Marseille",
                    "side_label": "Éducation nationale",
                    "representative_title": "Le recteur",
                },
                {"name": "Fédération Exemple", "side_label": "Partenaire", "representative_title": "Le président"},
            ],
        },
        "year": {"start": 2025, "label": "2025-2026"},
        "overview": "13 activités ont été réalisées en 2025-2026, pour 300 participations d’élèves.",
        "key_figures": [
            {"label": "Activités réalisées", "value": 13, "display": "13"},
            {"label": "Participations d’élèves", "value": 300, "display": "300"},
            {"label": "Établissements touchés", "value": 2, "display": "2"},
            {"label": "Entreprises mobilisées", "value": 1234, "display": "1\u202f234"},
            {"label": "Heures d’intervention", "value": None, "display": "—"},
        ],
        "axes": [
            {
                "title": "Article 2 – Découverte des métiers",
                "actions": [
                    {
                        "number": 1,
                        "title": "Visites d’entreprise",
                        "owner": "Fédération Exemple",
                        "carried_out": True,
                        "rows": [
                            {
                                "metric": "events",
                                "metric_label": "Activités",
                                "target": 10,
                                "realised": 12,
                                "rate": 120.0,
                            },
                            {
                                "metric": "pupils",
                                "metric_label": "Participations d’élèves",
                                "target": 300,
                                "realised": 300,
                                "rate": 100.0,
                            },
                        ],
                        "sentence": "12 visites d’entreprise réalisées pour 10 prévues, 300 participations "
                        "d’élèves pour 300 prévues.",
                    }
                ],
            },
            {
                "title": "Article 3 – Interventions en classe",
                "actions": [
                    {
                        "number": 2,
                        "title": "Interventions en classe",
                        "owner": "Rectorat de l’académie d’Aix-Marseille",
                        "carried_out": False,
                        "rows": [
                            {"metric": "events", "metric_label": "Activités", "target": 5, "realised": 0, "rate": 0.0}
                        ],
                        "sentence": "Aucune intervention réalisée pour 5 prévues.",
                    }
                ],
            },
        ],
        "commitments": [
            {
                "party": "Fédération Exemple",
                "article": "Article 2 – Découverte des métiers",
                "text": "Ouvrir les entreprises adhérentes aux classes",
                "idle": False,
                "rows": [
                    {"metric": "events", "metric_label": "Activités", "target": None, "realised": 12, "rate": None}
                ],
                "sentence": "12 activités ont servi cet engagement.",
            },
            {
                "party": "Rectorat de l’académie d’Aix-Marseille",
                "article": "Article 3 – Interventions en classe",
                "text": "Mobiliser les professeurs principaux",
                "idle": False,
                "rows": [{"metric": "events", "metric_label": "Activités", "target": 4, "realised": 1, "rate": 25.0}],
                "sentence": "1 activité réalisée pour 4 prévues.",
            },
        ],
        "not_carried_out": [
            {
                "number": 2,
                "title": "Interventions en classe",
                "axis": "Article 3 – Interventions en classe",
                "period": "Au deuxième trimestre",
            },
        ],
        "evaluations": [
            {
                "title": "Immersion de professeurs principaux",
                "kind_label": "Immersion d’enseignants",
                "date_display": "10 février 2026",
                "text": "Les professeurs ont découvert les métiers de la logistique ; ils demandent une seconde "
                "journée.",
            },
        ],
        "highlights": [
            {
                "title": "Visite d’entreprise 1",
                "kind_label": "Visite d’entreprise",
                "date_display": "3 novembre 2025",
                "place": "Marseille",
                "comment": "La première visite de l’année, très appréciée des élèves.",
            },
        ],
        "charts": [sample_chart()],
        "tables": [
            {
                "key": "actions",
                "title": "Cibles et réalisé par action",
                "headers": ["N°", "Action", "Indicateur", "Cible", "Réalisé", "Taux de réalisation (%)"],
                "rows": [
                    [1, "Visites d’entreprise", "Activités", 10, 12, 120.0],
                    [1, "Visites d’entreprise", "Participations d’élèves", 300, 300, 100.0],
                    [2, "Interventions en classe", "Activités", 5, 0, 0.0],
                ],
                "note": "",
            },
        ],
        "next_plan": {
            "year_label": "2026-2027",
            "status_label": "Adopté",
            "adopted_on_display": "2 juillet 2026",
            "actions": [
                {
                    "number": 1,
                    "title": "Forum des métiers de l’industrie",
                    "axis": "Article 2 – Découverte des métiers",
                    "period": "Printemps 2027",
                    "owner": "Fédération Exemple",
                    "targets": [{"metric_label": "Activités", "value": 1}],
                },
            ],
        },
        "decisions": [
            {
                "number": 1,
                "text": "Le comité adopte le bilan 2025-2026.",
                "meeting_display": "Comité annuel du 2 juillet 2026",
            },
        ],
        "corrective_actions": [
            {
                "title": "Relancer les établissements du bassin",
                "owner": "Rectorat de l’académie d’Aix-Marseille",
                "due_on_display": "15 octobre 2026",
                "status_label": "À engager",
                "review_note": "",
            },
        ],
        "sections": [
            {
                "key": "analyse",
                "title": "Analyse de l’année",
                "text": "L’année a été riche <en> rencontres.\n\nLes visites & les immersions ont trouvé leur public.",
            },
            {"key": "perspectives", "title": "Perspectives", "text": "Élargir aux lycées professionnels."},
        ],
    }
    if not public:
        content["decisions"].append(
            {"number": 2, "text": SAMPLE_SECRET, "meeting_display": "Comité annuel du 2 juillet 2026"}
        )
    return content


def sample_minutes_content(*, public: bool = False) -> dict:
    """The minutes of the yearly committee, per the contract of ``steering.minutes``."""
    content = {
        "schema": 1,
        "variant": "public" if public else "full",
        "convention": {"title": "Convention Rectorat – Fédération Exemple", "reference": "AMX-2021-004"},
        "meeting": {
            "kind_label": "Comité annuel",
            "status_label": "Tenu",
            "held": True,
            "year_label": "2025-2026",
            "date_display": "2 juillet 2026",
            "time_display": "de 14 h à 16 h",
            "place": "Rectorat, salle du conseil",
            "host": "Rectorat de l’académie d’Aix-Marseille",
            "due_on_display": "18 mars 2027",
        },
        "attendance": [
            {
                "name": "" if public else "Nadia Coordination",
                "organisation": "Rectorat",
                "role": "Coordination",
                "status_label": "Présent·e",
                "represented_by": "",
            },
            {
                "name": "" if public else "Bruno Exemple",
                "organisation": "Fédération Exemple",
                "role": "Représentant·e d’une partie",
                "status_label": "Représenté·e",
                "represented_by": "" if public else "Sa suppléante",
            },
        ],
        "agenda": [
            {"title": "Bilan de l’année 2025-2026", "detail": "Présentation des chiffres."},
            {"title": "Plan 2026-2027", "detail": ""},
        ],
        "inventory": "",
        "minutes": "Le comité s’est réuni au rectorat.\n\nLe bilan a été présenté & discuté.",
        "decisions": [{"number": 1, "text": "Le comité adopte le bilan 2025-2026."}],
        "corrective_actions": [
            {
                "title": "Relancer les établissements du bassin",
                "owner": "Rectorat",
                "due_on_display": "15 octobre 2026",
                "status_label": "À engager",
                "detail": "Par courrier aux chefs d’établissement.",
            },
        ],
        "reviewed_actions": [
            {
                "title": "Préparer le forum",
                "owner": "Fédération Exemple",
                "due_on_display": "1er juin 2026",
                "status_label": "Réalisée",
                "review_note": "Forum tenu le 20 mai.",
                "decided_display": "Comité annuel du 3 juillet 2025",
            },
        ],
        "review": {"year_label": "2025-2026", "status_label": "Approuvé"},
    }
    if not public:
        content["decisions"].append({"number": 2, "text": SAMPLE_SECRET})
    return content


# --- Reading the files back -------------------------------------------------------------------

NNBSP = "\u202f"


@functools.lru_cache(maxsize=8)
def _read_pdf(data: bytes) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """Each page's text (narrow spaces as plain ones), each page's big letters, the fonts' names:
    read once per file (pdfplumber is slow)."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        pages = tuple((page.extract_text() or "").replace(NNBSP, " ") for page in document.pages)
        big = tuple("".join(char["text"] for char in page.chars if char["size"] > 40) for page in document.pages)
        fonts = frozenset(char["fontname"].split("+", 1)[-1] for page in document.pages for char in page.chars)
    return pages, big, fonts


def pdf_text(data: bytes) -> str:
    return "\n".join(_read_pdf(data)[0])


def pdf_pages(data: bytes) -> list[str]:
    return list(_read_pdf(data)[0])


def pdf_fonts(data: bytes) -> set[str]:
    return set(_read_pdf(data)[2])


def watermarks(data: bytes) -> list[str]:
    """The big letters of each page (the « Projet » watermark)."""
    return list(_read_pdf(data)[1])


def docx_document(data: bytes):
    return docx.Document(io.BytesIO(data))


def docx_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts += [paragraph.text for paragraph in section.header.paragraphs]
        parts += [paragraph.text for paragraph in section.footer.paragraphs]
    return "\n".join(parts).replace(NNBSP, " ")


def docx_xml(document) -> str:
    return document.element.xml


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def table_rows(document) -> list[list[str]]:
    return [[cell.text.replace(NNBSP, " ") for cell in row.cells] for table in document.tables for row in table.rows]


# --- The renderers, on contents written by hand ------------------------------------------------


@pytest.fixture(scope="module")
def review_pdf_bytes():
    return review_pdf(sample_review_content(approved=False))


@pytest.fixture(scope="module")
def review_docx_bytes():
    return review_docx(sample_review_content(approved=False))


def test_it_draws_a_review_pdf_with_cover_contents_and_page_numbers(review_pdf_bytes):
    pages = pdf_pages(review_pdf_bytes)
    assert "RÉPUBLIQUE" in pages[0]
    assert "FRANÇAISE" in pages[0]
    assert "Bilan annuel 2025-2026" in pages[0]
    assert "Convention Rectorat – Fédération Exemple" in pages[0]
    assert "Chiffres arrêtés le 30 juin 2026" in pages[0]
    assert "Académie d’Aix-Marseille" in pages[0]
    # The contents list every chapter with the page it starts on.
    assert "Sommaire" in pages[1]
    for title in ("Synthèse de l’année", "Réalisations par axe", "Actions non réalisées", "Perspectives"):
        line = next(line for line in pages[1].splitlines() if title in line)
        page_number = int(line.rsplit(" ", 1)[-1].strip(". "))
        assert title in pages[page_number - 1]
    assert f"Page 2 sur {len(pages)}" in pages[1]
    assert f"Page {len(pages)} sur {len(pages)}" in pages[-1]
    # The running header carries the convention's title after the cover.
    assert pages[2].startswith("Convention Rectorat – Fédération Exemple")


def test_a_draft_review_carries_the_projet_mark_and_an_approved_one_does_not(review_pdf_bytes):
    # (the watermark's letters may fall inside the band's words in the extracted text)
    assert "– document de travail, non approuvé".upper() in pdf_text(review_pdf_bytes).upper()
    # The watermark, in big letters on every page.
    assert watermarks(review_pdf_bytes) == ["PROJET"] * len(pdf_pages(review_pdf_bytes))
    approved = review_pdf(sample_review_content(approved=True))
    assert watermarks(approved) == [""] * len(pdf_pages(approved))
    assert "Projet" not in pdf_text(approved)
    assert "Bilan approuvé le 2 juillet 2026" in pdf_text(approved)


def test_the_public_variant_says_so(review_pdf_bytes):
    assert "Version des parties" in pdf_text(review_pdf_bytes)
    public = pdf_text(review_pdf(sample_review_content(public=True)))
    assert "Version publique" in public
    assert "Version des parties" not in public


def test_the_review_pdf_uses_marianne(review_pdf_bytes):
    fonts = pdf_fonts(review_pdf_bytes)
    assert any(name.startswith("Marianne") for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts


def test_the_review_pdf_prints_figures_tables_and_chart(review_pdf_bytes):
    text = pdf_text(review_pdf_bytes)
    assert "13 300 2 1 234" in text  # the first row of tiles, French thousands
    assert "Activités 10 12 120 %" in text
    assert "Participations d’élèves 300 300 100 %" in text
    assert "12 visites d’entreprise réalisées pour 10 prévues" in text
    assert "Forum des métiers de l’industrie" in text
    assert "Relancer les établissements du bassin" in text
    # The chart is drawn as vector text: its categories are in the PDF's text.
    assert "Action1–Participationsd’élèves" in text.replace(" ", "")


def test_narrative_text_is_escaped_not_interpreted(review_pdf_bytes, review_docx_bytes):
    assert "L’année a été riche <en> rencontres." in pdf_text(review_pdf_bytes)
    assert "Les visites & les immersions" in pdf_text(review_pdf_bytes)
    assert "L’année a été riche <en> rencontres." in docx_text(docx_document(review_docx_bytes))


def test_the_review_docx_has_word_headings_a_toc_field_and_page_fields(review_docx_bytes):
    document = docx_document(review_docx_bytes)
    assert headings(document, 1) == [
        "Synthèse de l’année",
        "Réalisations par axe",
        "Engagements des parties",
        "Actions non réalisées",
        "Indicateurs",
        "Évaluations",
        "Faits marquants",
        "Décisions et actions correctives",
        "Perspectives",
        "Analyse de l’année",
        "Plan de partenariat 2026-2027",
    ]
    assert "Article 2 – Découverte des métiers" in headings(document, 2)
    xml = docx_xml(document)
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml
    assert "Mettre à jour la table" in docx_text(document)
    footer = document.sections[-1].footer._element.xml
    assert " PAGE " in footer
    assert " NUMPAGES " in footer
    assert "Page " in document.sections[-1].footer.paragraphs[0].text
    assert document.styles["Normal"].font.name == "Marianne"
    assert document.styles["Heading 1"].font.name == "Marianne"
    assert document.settings.element.xml.count("updateFields") == 1


def test_the_review_docx_tables_repeat_their_header_and_hold_the_figures(review_docx_bytes):
    document = docx_document(review_docx_bytes)
    rows = table_rows(document)
    assert ["Activités", "10", "12", "120 %"] in rows
    assert ["Participations d’élèves", "300", "300", "100 %"] in rows
    data_tables = [table for table in document.tables if table.rows[0].cells[0].text in ("Indicateur", "N°")]
    assert data_tables
    for table in data_tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_review_docx_has_one_picture_per_chart(review_docx_bytes):
    document = docx_document(review_docx_bytes)
    assert len(document.inline_shapes) == len(sample_review_content()["charts"]) == 1
    assert "Projet".upper() in docx_text(document).upper()


def test_the_minutes_pdf_and_docx_hold_the_meeting():
    content = sample_minutes_content()
    text = pdf_text(minutes_pdf(content))
    for expected in (
        "Compte rendu",
        "Comité annuel du 2 juillet 2026",
        "Rectorat, salle du conseil",
        "Nadia Coordination",
        "Bilan de l’année 2025-2026",
        "Le bilan a été présenté & discuté.",
        "Décision 1.",
        "Relancer les établissements du bassin",
        "Forum tenu le 20",
        "Page 3 sur",
    ):
        assert expected in text, expected
    document = docx_document(minutes_docx(content))
    assert headings(document, 1)[:3] == ["La réunion", "Présences", "Ordre du jour"]
    assert ["Nadia Coordination", "Rectorat", "Coordination", "Présent·e"] in table_rows(document)


def test_public_minutes_have_no_name_column():
    document = docx_document(minutes_docx(sample_minutes_content(public=True)))
    assert ["Organisation", "Rôle", "Présence"] in table_rows(document)
    assert "Nom" not in [row[0] for row in table_rows(document)]


def test_it_reports_its_stages():
    stages = []
    review_pdf(sample_review_content(), progress=stages.append)
    assert stages == ["Dessin des graphiques", "Mise en page"]


# --- On the recorded world ---------------------------------------------------------------------


def _names(cycle) -> list[str]:
    return [f"{person.first_name} {person.last_name}" for person in cycle.people]


@pytest.fixture
def cycle_review(cycle):
    review = ReviewFactory(convention=cycle.convention, school_year=2025)
    ReviewSection.objects.create(
        review=review, key="analyse", title="Analyse", text=f"Contact : {SECRET_EMAIL}, {SECRET_PHONE}.", public=True
    )
    ReviewSection.objects.create(review=review, key="interne", title="Interne", text="Réservé.", public=False)
    return review


@pytest.fixture
def cycle_meeting(cycle):
    meeting = MeetingFactory(
        convention=cycle.convention,
        status=MeetingStatus.HELD,
        starts_at=datetime.datetime(2026, 7, 2, 14, tzinfo=datetime.UTC),
        place="Rectorat",
        agenda=[{"title": "Bilan 2025-2026", "detail": ""}],
        minutes=f"Le bilan a été présenté. Contact : {SECRET_EMAIL}, {SECRET_PHONE}.",
    )
    for member in cycle.committee:
        Attendance.objects.create(meeting=meeting, member=member, status=AttendanceStatus.PRESENT)
    DecisionFactory(meeting=meeting, number=1, text="Le comité adopte le bilan.")
    DecisionFactory(meeting=meeting, number=2, text=SECRET_TEXT, confidential=True)
    CorrectiveActionFactory(meeting=meeting, title="Relancer les collèges", owner_name="Nadia Coordination")
    return meeting


def test_the_pdf_prints_the_indicator_pages_figures(cycle, cycle_review, academy_staff):
    report = convention_report(cycle.convention, academy_staff, SchoolYear(2025))
    content = review_content(cycle_review, public=False)
    text = pdf_text(review_pdf(content))
    tiles = {figure["label"]: figure["display"].replace(NNBSP, " ") for figure in content["key_figures"]}
    assert tiles["Activités réalisées"] == format_number(report.summary.activities) == "14"
    assert tiles["Participations d’élèves"] == format_number(report.summary.pupils).replace(NNBSP, " ")
    for row in common.chunks(content["key_figures"], common.TILES_PER_ROW):
        assert " ".join(figure["display"].replace(NNBSP, " ") for figure in row if figure) in text
    for _number, _title, metric, target, realised, _rate in report.table("actions").rows:
        assert f"{metric} {format_number(target)} {format_number(realised)}".replace(NNBSP, " ") in text
    assert "Action confidentielle" in text  # the parties' version


def test_the_docx_holds_the_indicator_pages_figures(cycle, cycle_review, academy_staff):
    report = convention_report(cycle.convention, academy_staff, SchoolYear(2025))
    content = review_content(cycle_review, public=False)
    document = docx_document(review_docx(content))
    rows = table_rows(document)
    for _number, _title, metric, target, realised, _rate in report.table("actions").rows:
        assert any(row[:3] == [metric, format_number(target), format_number(realised)] for row in rows), metric
    charts = [data for data in content["charts"] if not Chart.from_dict(data).is_empty]
    assert len(document.inline_shapes) == len(charts) > 0
    assert "Visites d’entreprise" in " ".join(headings(document, 3))


@pytest.mark.parametrize("renderer", [review_pdf, review_docx], ids=["pdf", "docx"])
def test_the_public_review_holds_no_secret_and_no_name(cycle, cycle_review, renderer):
    data = renderer(review_content(cycle_review, public=True))
    text = pdf_text(data) if renderer is review_pdf else docx_text(docx_document(data))
    for secret in (SECRET_TEXT, SECRET_EMAIL, SECRET_PHONE, "Action confidentielle", "Réservé.", *_names(cycle)):
        assert secret not in text, secret
    assert "Visites d’entreprise" in text
    full = renderer(review_content(cycle_review, public=False))
    full_text = pdf_text(full) if renderer is review_pdf else docx_text(docx_document(full))
    assert "Action confidentielle" in full_text


@pytest.mark.parametrize("renderer", [minutes_pdf, minutes_docx], ids=["pdf", "docx"])
def test_the_public_minutes_hold_no_secret_and_no_name(cycle, cycle_meeting, renderer):
    data = renderer(minutes_content(cycle_meeting, public=True))
    text = pdf_text(data) if renderer is minutes_pdf else docx_text(docx_document(data))
    for secret in (SECRET_TEXT, SECRET_EMAIL, SECRET_PHONE, *_names(cycle)):
        assert secret not in text, secret
    assert "Le comité adopte le bilan." in text
    full = renderer(minutes_content(cycle_meeting, public=False))
    full_text = pdf_text(full) if renderer is minutes_pdf else docx_text(docx_document(full))
    assert SECRET_TEXT in full_text
    assert "Mathilde Exemple" in full_text


@pytest.mark.parametrize("renderer", [minutes_pdf, minutes_docx], ids=["pdf", "docx"])
def test_a_name_typed_in_the_minutes_is_not_in_the_public_document(cycle, cycle_meeting, renderer):
    cycle_meeting.minutes = "Mathilde Exemple a présenté le bilan."
    cycle_meeting.save()

    public = renderer(minutes_content(cycle_meeting, public=True))
    text = pdf_text(public) if renderer is minutes_pdf else docx_text(docx_document(public))
    full = renderer(minutes_content(cycle_meeting, public=False))
    full_text = pdf_text(full) if renderer is minutes_pdf else docx_text(docx_document(full))

    assert "a présenté le bilan" in text
    assert "Mathilde" not in text
    assert "Exemple a présenté" not in text
    assert "Mathilde Exemple a présenté le bilan." in full_text


def test_held_minutes_are_not_marked_projet_whatever_the_status_wording():
    content = sample_minutes_content()
    content["meeting"]["status_label"] = "Réunion tenue"
    assert "Projet" not in pdf_text(minutes_pdf(content))
    assert "PROJET" not in docx_text(docx_document(minutes_docx(content)))


def test_minutes_of_a_meeting_not_yet_held_are_marked_projet():
    held = minutes_pdf(sample_minutes_content())
    assert "Projet" not in pdf_text(held)
    content = sample_minutes_content()
    content["meeting"]["status_label"] = MeetingStatus.SCHEDULED.label
    content["meeting"]["held"] = False
    text = pdf_text(minutes_pdf(content))
    assert "– RÉUNION NON ENCORE TENUE" in text  # the cover's band (the watermark's letters cut the line)
    assert "Projet – Version des parties" in text  # the footer
    assert watermarks(minutes_pdf(content))[0] == "PROJET"
    assert "PROJET – RÉUNION NON ENCORE TENUE" in docx_text(docx_document(minutes_docx(content)))


# --- Rates as the indicator page writes them -----------------------------------------------------


def test_a_rate_is_printed_as_the_indicator_page_writes_it(cycle, academy_staff):
    from tests.factories import ActionFactory, ActionTargetFactory, ActivityFactory, ContributionFactory

    one_of_eight = ActionFactory(plan=cycle.plan, number=4, title="Jurys de stage", article=cycle.axes[2])
    ActionTargetFactory(action=one_of_eight, metric="events", value=8)
    ContributionFactory(activity=ActivityFactory(title="Jury unique"), convention=cycle.convention, action=one_of_eight)
    report = convention_report(cycle.convention, academy_staff, SchoolYear(2025))
    row = next(row for row in report.table("actions").rows if row[0] == 4 and row[3] == 8)
    assert row[-1] == 12.5
    expected = f"{format_number(row[-1])}{NNBSP}%"
    assert common.rate(row[-1]) == expected == f"12,5{NNBSP}%"

    content = review_content(ReviewFactory(convention=cycle.convention, school_year=2025), public=False)
    rows = table_rows(docx_document(review_docx(content)))
    assert ["Actions réalisées", "8", "1", "12,5 %"] in rows
    assert "Actions réalisées 8 1 12,5 %" in pdf_text(review_pdf(content)).replace(NNBSP, " ")


# --- One order of chapters, one cover, the file's properties --------------------------------------

CHAPTERS = [
    "Introduction",
    "Synthèse de l’année",
    "Réalisations par axe",
    "Engagements des parties",
    "Actions non réalisées",
    "Indicateurs",
    "Évaluations",
    "Faits marquants",
    "Difficultés rencontrées",
    "Décisions et actions correctives",
    "Perspectives",
    "Analyse de l’année",
    "Plan de partenariat 2026-2027",
]


def _with_default_sections() -> dict:
    content = sample_review_content()
    content["sections"] = [
        {"key": "analyse", "title": "Analyse de l’année", "text": "Une analyse."},
        {"key": "perspectives", "title": "Perspectives", "text": "Élargir."},
        {"key": "difficultes", "title": "Difficultés rencontrées", "text": "Des transports."},
        {"key": "faits-marquants", "title": "Faits marquants de l’année", "text": "Texte des faits marquants."},
        {"key": "introduction", "title": "Introduction", "text": "Texte d’introduction."},
    ]
    return content


def test_the_pdf_contents_and_the_docx_headings_follow_one_order():
    content = _with_default_sections()
    assert [chapter.title for chapter in common.review_outline(content)] == CHAPTERS
    pages = pdf_pages(review_pdf(content))
    toc = [line for line in pages[1].splitlines() if line[:1].isdigit() and ". " in line]
    assert [line.split(". ", 1)[1].rsplit(" ", 1)[0].strip(" .") for line in toc] == CHAPTERS
    assert "Faits marquants de l’année" not in pages[1]
    document = docx_document(review_docx(content))
    assert headings(document, 1) == CHAPTERS
    # The narrative « faits marquants » opens the chapter of the chosen highlights.
    texts = [paragraph.text for paragraph in document.paragraphs]
    start = texts.index("Faits marquants")
    assert texts[start + 1] == "Texte des faits marquants."
    text = pdf_text(review_pdf(content))
    assert text.index("Texte des faits marquants.") < text.index("La première visite de l’année")


def test_the_cover_names_each_party_then_its_representative_on_its_own_line():
    content = sample_review_content()
    party = content["convention"]["parties"][0]
    assert party["representative_title"]
    cover = pdf_pages(review_pdf(content))[0]
    assert ", représenté par" not in cover
    lines = cover.splitlines()
    index = next(i for i, line in enumerate(lines) if party["name"] in line)
    assert lines[index + 1] == f"Représenté par : {party['representative_title']}"
    paragraphs = [p.text for p in docx_document(review_docx(content)).paragraphs]
    index = next(i for i, text in enumerate(paragraphs) if text.endswith(party["name"]))
    assert paragraphs[index + 1] == f"Représenté par : {party['representative_title']}"


def test_the_docx_properties_name_the_document_not_the_library(review_docx_bytes):
    properties = docx_document(review_docx_bytes).core_properties
    assert properties.title == "Bilan annuel 2025-2026 – Convention Rectorat – Fédération Exemple"
    assert properties.author == "Partenariats école–entreprise"
    assert "python-docx" not in f"{properties.comments} {properties.author} {properties.title}"
    assert abs((datetime.datetime.now(datetime.UTC) - properties.created).total_seconds()) < 600


# Forms refuse only NUL: any other control character, a lone surrogate or U+FFFF may be typed.
HOSTILE_CHARACTERS = "\x07\x1b\ufffe\uffff\ud800"


def _hostile(value):
    """``value`` with the characters XML cannot carry slipped into every text."""
    if isinstance(value, str):
        return f"{value[:3]}{HOSTILE_CHARACTERS}{value[3:]}" if value else value
    if isinstance(value, dict):
        return {
            key: _hostile(item) if key not in {"variant", "display", "kind", "color"} else item
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_hostile(item) for item in value]
    return value


@pytest.mark.parametrize(
    ("renderer", "content"),
    [
        (review_docx, sample_review_content),
        (minutes_docx, sample_minutes_content),
        (review_pdf, sample_review_content),
        (minutes_pdf, sample_minutes_content),
    ],
    ids=["review-docx", "minutes-docx", "review-pdf", "minutes-pdf"],
)
def test_texts_holding_characters_xml_cannot_carry_still_make_a_document(renderer, content):
    sample = content()
    data = renderer(_hostile(sample))
    title = sample["convention"]["title"]
    text = docx_text(docx_document(data)) if data[:2] == b"PK" else pdf_text(data)
    # The title is there, whole, without the characters that were slipped into it.
    assert title in text
    assert not set(HOSTILE_CHARACTERS) & set(text)
