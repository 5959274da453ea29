"""The title as printed at the top, and the framework convention this one descends from."""

import json
import unicodedata
from pathlib import Path

import pytest

from partenariats.reader.fields import parent, title
from partenariats.reader.model import Document, Findings, Page, Source, Text
from partenariats.reader.structure import parse

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


def read(text: str) -> Findings:
    document = Document(Source("text", (Page(1, text),)), Text(text), parse(Text(text)))
    found = Findings(document.text)
    title.read(document, found)
    parent.read(document, found)
    return found


def test_capitals_title_over_several_lines_in_sentence_case():
    found = read(
        """RÉPUBLIQUE FRANÇAISE
Liberté Égalité Fraternité

**CONVENTION DE PARTENARIAT**

**entre**

**L'ACADEMIE DE NORMANDIE**

**et**

**LA FEDERATION DU BATIMENT**

Entre les soussignés :
L'académie de Normandie, représentée par sa rectrice,
et la Fédération du Bâtiment de Normandie, représentée par son président,
il a été convenu ce qui suit.

Article 1 – Objet
La Fédération du Bâtiment accompagne l'académie de Normandie.
"""
    )
    assert found.get("title") == "Convention de partenariat entre l'académie de Normandie et la Fédération du Bâtiment"
    assert "title" in found.evidence


def test_cover_page_title_is_passed_over_for_the_one_above_the_parties():
    found = read(
        """Convention de partenariat
entre
la CCI du Gard
et
l'académie de Montpellier

MINISTÈRE DE L'ÉDUCATION NATIONALE

Accord-cadre de coopération

Entre les soussignés
la CCI du Gard, représentée par son président,
"""
    )
    assert found.get("title") == "Accord-cadre de coopération"


def test_single_line_title_and_signature_lines_ignored():
    found = read(
        """Pour l'académie de Lyon
Le recteur

Convention de coopération pour la promotion des métiers du numérique

ENTRE
L'académie de Lyon, représentée par le recteur,
"""
    )
    assert found.get("title") == "Convention de coopération pour la promotion des métiers du numérique"


def test_no_title_is_none():
    assert read("Entre les soussignés\nla société X, représentée par sa gérante.\n").get("title") is None


def test_parent_named_after_in_the_framework_of():
    found = read(
        "Préambule\n\nLa présente convention s'inscrit dans le cadre de la convention nationale signée le "
        "4 mars 2019 entre le ministère de l'éducation nationale et la Fédération des travaux publics. "
        "Elle en précise les modalités régionales.\n\nArticle 1 – Objet\nTexte.\n"
    )
    assert found.get("parent") == (
        "Convention nationale signée le 4 mars 2019 entre le ministère de l'éducation nationale et la "
        "Fédération des travaux publics"
    )


def test_parent_signed_by_others_serving_as_framework():
    found = read(
        "Préambule\n\nLe ministère et l'Union des industries chimiques ont signé un accord-cadre national "
        "(en annexe) qui servira de cadre à la présente convention.\n"
    )
    assert found.get("parent").startswith("Accord-cadre national")


@pytest.mark.parametrize(
    "text",
    [
        "Vu le code de l'éducation, et notamment son article L. 331-4,\n",
        "Les actions sont menées dans le cadre de la présente convention.\n",
        "Des conventions locales pourront être signées dans le cadre de la convention.\n",
    ],
)
def test_no_parent(text):
    assert read(text).get("parent") is None


# ------------------------------------------------------------------ the seeds


def _seeds():
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def _words(value: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", value.lower().replace("’", "'"))
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return folded.replace("–", " ").replace(",", " ").split()


@pytest.mark.parametrize("path", _seeds(), ids=lambda path: path.stem[:3])
def test_seed_title_has_most_words_and_parent_is_present_when_expected(path):
    from partenariats.reader import read_path

    truth = json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text())
    contract = read_path(path).as_contract()
    expected = _words(truth["title"])
    got = set(_words(contract["title"] or ""))
    assert sum(word in got for word in expected) >= 0.7 * len(expected), contract["title"]
    assert (contract["parent"] is None) == (truth["parent"] is None)


def test_a_title_line_wrapped_by_the_page_width_keeps_its_last_word():
    found = read(
        "CONVENTION DE PARTENARIAT\nrelative au programme « Cap Métiers » de la Fondation d'entreprise\nOrlinex\n\n"
        "ENTRE :\n\nL'académie de Caen, représentée par sa rectrice,\n\nET :\n\n"
        "La société Orlinex SA, représentée par son président,\n\nIl est convenu ce qui suit :\n\nArticle 1 – Objet\n"
    )
    assert found.get("title") == (
        "Convention de partenariat relative au programme « Cap Métiers » de la Fondation d'entreprise Orlinex"
    )


def test_a_visa_citing_a_framework_convention_is_the_parent_and_other_visas_are_not():
    found = read(
        "CONVENTION LOCALE\n\n"
        "Vu la convention pluriannuelle d'objectifs conclue le 2 mars 2023 entre l'État et l'opérateur ;\n"
        "Vu l'accord-cadre signé le 5 avril 2022 entre l'académie de Lille et la fédération régionale du "
        "textile, notamment son article 4 ;\n\nEntre\n\nle lycée Jean Prouvé, représenté par sa proviseure,\n"
        "et\nla société Tissage Vermeulen, représentée par son gérant,\n\nArticle 1 – Objet\n"
    )
    assert found.get("parent") == (
        "Accord-cadre signé le 5 avril 2022 entre l'académie de Lille et la fédération régionale du textile"
    )
    found = read(
        "CONVENTION\n\nVu la convention pluriannuelle d'objectifs conclue le 2 mars 2023 entre l'État et "
        "l'opérateur ;\n\nEntre\n\nle lycée Jean Prouvé, représenté par sa proviseure,\n\nArticle 1 – Objet\n"
    )
    assert found.get("parent") is None
