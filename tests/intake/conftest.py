"""An invented convention (its text, a hand-written reading of it) and helpers to post the review."""

import pytest
from django.core.files.base import ContentFile
from django.forms import BaseFormSet

from partenariats.intake.models import ImportJob, ImportStatus

# Invented: another académie, another partner, another wording than the seeds.
SAMPLE_TEXT = """CONVENTION DE COOPÉRATION
entre l'académie de Nice et la Fédération des Métiers du Bois du Var

Entre les soussignés :
L'académie de Nice, représentée par Mme Hélène MARTIN, rectrice de l'académie,
d'une part,
Et la Fédération des Métiers du Bois du Var (FMBV), 10 avenue des Pins, 83000 Toulon,
représentée par M. Paul DURAND, président,
d'autre part,

Article 1 – Objet
La présente convention organise la découverte des métiers du bois par les collégiens.

Article 2 – Engagements
2.1 La fédération s'engage à accueillir des élèves de 3e en stage d'observation.
2.2 L'académie s'engage à informer les enseignants <script>alert("x")</script> des offres.

Article 3 – Durée
La présente convention est conclue pour une durée de deux ans à compter de sa signature.
Elle n'est pas reconduite tacitement.

Fait à Toulon, le 12 octobre 2022, en deux exemplaires originaux.

Annexe 1 – Contacts
Claire BERNARD, chargée de mission, claire.bernard@example.invalid
"""


def span(text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"confidence": 0.9, "page": 1, "start": start, "end": start + len(needle)}


def sample_contract(text: str = SAMPLE_TEXT) -> dict:
    """What a careful reader extracts from ``SAMPLE_TEXT`` (the reader's JSON contract)."""

    def section(kind, number, label, heading, parent, level):
        start = text.index(heading)
        end = start + len(heading)
        return {
            "kind": kind,
            "number": number,
            "label": label,
            "display": heading,
            "level": level,
            "parent": parent,
            "start": start,
            "end": end,
            "body_end": None,
        }

    sections = [
        section("article", "1", "Objet", "Article 1 – Objet", None, 1),
        section("article", "2", "Engagements", "Article 2 – Engagements", None, 1),
        section("section", "2.1", "", "2.1 ", 1, 2),
        section("section", "2.2", "", "2.2 ", 1, 2),
        section("article", "3", "Durée", "Article 3 – Durée", None, 1),
        section("annex", "1", "Contacts", "Annexe 1 – Contacts", None, 1),
    ]
    ends = [
        sections[1]["start"],
        sections[4]["start"],
        sections[3]["start"],
        sections[4]["start"],
        sections[5]["start"],
        len(text),
    ]
    for item, body_end in zip(sections, ends, strict=True):
        item["body_end"] = body_end
    return {
        "title": "Convention de coopération",
        "parties": [
            {
                "name": "Académie de Nice",
                "kind": "education",
                "representative": "Hélène MARTIN",
                "representative_title": "rectrice de l'académie",
                "address": None,
                "acronym": None,
                "siret": None,
            },
            {
                "name": "Fédération des Métiers du Bois du Var",
                "kind": "employer_org",
                "representative": "Paul DURAND",
                "representative_title": "président",
                "address": "10 avenue des Pins, 83000 Toulon",
                "acronym": "FMBV",
                "siret": None,
            },
        ],
        "signature_place": "Toulon",
        "signature_date": "2022-10-12",
        "signatures": [
            {"name": "Hélène MARTIN", "date": "2022-10-12", "title": "rectrice", "party": 0},
            {"name": "Paul DURAND", "date": "2022-10-12", "title": "président", "party": 1},
        ],
        "originals": 2,
        "terms": {
            "start": "signature",
            "duration_months": 24,
            "indefinite": None,
            "tacit_renewal": False,
            "renewal_months": None,
            "provisional_extension_months": None,
            "notice_months": None,
            "notice_by_registered_letter": None,
            "termination_effect": None,
            "termination_date": None,
        },
        "parent": None,
        "articles": ["Article 1 – Objet", "Article 2 – Engagements", "Article 3 – Durée", "Annexe 1 – Contacts"],
        "sections": sections,
        "preamble": None,
        "confidentiality_clause": None,
        "dispute_clause": None,
        "commitments": [
            {
                "party": 1,
                "article": "2.1",
                "text": "accueillir des élèves de 3e en stage d'observation.",
                "verb": "accueillir",
                "audiences": ["Élèves de 3e"],
                "programmes": [],
            },
            {
                "party": None,
                "parties": [0, 1],
                "all": True,
                "joint": True,
                "article": "2.2",
                "text": "informer les enseignants des offres.",
                "verb": "informer",
                "audiences": [],
                "programmes": [],
            },
        ],
        "contacts": [
            {
                "name": "Claire BERNARD",
                "role": "chargée de mission",
                "organisation": "Académie de Nice",
                "party": 0,
                "email": "claire.bernard@example.invalid",
                "phone": None,
            },
        ],
        "actions": [
            {
                "number": 1,
                "title": "Stages d'observation",
                "objective": "Accueillir vingt élèves",
                "start": "Rentrée scolaire 2022 – 2023",
                "modalities": [{"party": 1, "party_name": "FMBV", "text": "Publie les offres de stage."}],
                "audiences": [],
            },
        ],
        "text": text,
        "pages": [0],
        "source": {"kind": "pdf", "pages": 1, "ocr_pages": 0},
        "evidence": {
            "title": span(text, "CONVENTION DE COOPÉRATION"),
            "parties.0.name": span(text, "L'académie de Nice"),
            "parties.1.name": span(text, "Fédération des Métiers du Bois du Var (FMBV)"),
            "parties.1.representative": span(text, "M. Paul DURAND"),
            "signature_place": span(text, "Fait à Toulon"),
            "signatures.0.date": {**span(text, "le 12 octobre 2022"), "flag": "date commune à tous les signataires"},
            "terms.duration_months": span(text, "durée de deux ans"),
            "terms.tacit_renewal": span(text, "n'est pas reconduite tacitement"),
            "originals": span(text, "deux exemplaires originaux"),
            "commitments.0.text": span(text, "accueillir des élèves de 3e en stage d'observation."),
        },
        "candidates": {"terms.notice_months": [{"value": None, "reason": "préavis non précisé"}]},
        "warnings": ["Texte de démonstration"],
    }


PDF_BYTES = b"%PDF-1.4\n% convention d'essai de l'import\n%%EOF\n"


@pytest.fixture
def ready_job(academy_staff, aix):
    """A job of the académie staff, read already (the hand-written reading), its file a small PDF."""
    job = ImportJob(
        academy=aix,
        created_by=academy_staff,
        original_name="convention-bois.pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        status=ImportStatus.READY,
        progress=100,
        result=sample_contract(),
    )
    job.file.save("upload", ContentFile(PDF_BYTES), save=False)
    job.save()
    return job


def form_data(forms: dict) -> dict:
    """The POST a browser sends for these forms as they are shown (initial values)."""
    data: dict = {}
    for form_or_set in forms.values():
        if isinstance(form_or_set, BaseFormSet):
            management = form_or_set.management_form
            for name in management.fields:
                data[management.add_prefix(name)] = management[name].value()
            subforms = form_or_set.forms
        else:
            subforms = [form_or_set]
        for form in subforms:
            for name, _field in form.fields.items():
                value = form[name].value()
                key = form.add_prefix(name)
                if isinstance(value, bool):
                    if name == "keep":
                        if value:
                            data[key] = "on"
                    else:
                        data[key] = "true" if value else "false"
                elif isinstance(value, list | tuple):
                    data[key] = [str(v) for v in value]
                elif value is None:
                    data[key] = ""
                else:
                    data[key] = str(value)
    return data


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    """Each test stores its files in its own folder: tests that check no file is left behind
    must not see the files of a test running at the same time in another process."""
    settings.MEDIA_ROOT = tmp_path / "media"
