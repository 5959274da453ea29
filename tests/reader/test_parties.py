"""The parties named in the opening: names, kinds, addresses, representatives — invented openings."""

import json
from pathlib import Path

import pytest

from partenariats.reader import read_path, read_text
from partenariats.reader.fields.parties import classify, person_at, proper_case
from partenariats.reader.scoring import fold, name_overlap

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

FOUR_PARTIES = """CONVENTION CADRE DE PARTENARIAT

ENTRE

La société BATIRENOV SAS, au capital de 50 000 euros, SIRET 123 456 789 00012,
dont le siège social est situé 12, avenue des Tilleuls, 69003 Lyon,
représentée par M. Paul DURAND-LEROUX, Directeur général,

ET

L'Association Jeunes et Métiers, association loi 1901,
sise 3 place du Marché, 38000 Grenoble,
représentée par sa présidente, Mme Claire Nguyen,

ET

la Chambre de commerce et d'industrie de Lyon Métropole (CCI Lyon Métropole),
représentée par son président, Monsieur Alain Mérieux,

ET

le lycée professionnel Jean Moulin,
représenté par Madame la Proviseure, Agnès Brunet,

D'AUTRE PART

IL EST CONVENU CE QUI SUIT :

Article 1 - Objet
La présente convention définit le partenariat.
"""

STATE_AND_CAPITALS = """Convention de coopération

Entre les soussignés :

L'État, représenté par Madame la Rectrice de l'académie de Rennes, chancelière des universités,
Madame Hélène Marzin,

d'une part,

et

LA FEDERATION REGIONALE DES TRAVAUX PUBLICS DE BRETAGNE,
représentée par son président, Monsieur Erwan LE GOFF,
ci-après désignée « la Fédération »,

d'autre part,

il a été convenu ce qui suit.

Préambule
La Fédération régionale des travaux publics de Bretagne réunit les entreprises du secteur.

Fait à Rennes, le 4 juillet 2016.

Hélène Marzin                 Erwan Le Goff
"""

ONE_LINE_PARTIES = """Convention de partenariat

Entre les soussignés :

L'académie de Nantes, 4 rue de la Houssinière, 44322 Nantes, représentée par Monsieur Yves DUPONT, \
recteur de l'académie, chancelier des universités, ci-après dénommée « l'académie »,

L'académie de Rennes (ministère de l'Éducation nationale), représentée par Madame Lou KERMARREC, rectrice de l'académie,

Et

La Région Pays de la Loire, collectivité territoriale, représentée par sa présidente, Madame Marie Lefèvre,

Il a été convenu ce qui suit :

Article 1 – Objet
"""


def parties_of(text: str) -> list[dict]:
    return read_text(text).as_contract()["parties"]


def test_four_parties_with_company_association_chamber_school():
    parties = parties_of(FOUR_PARTIES)
    assert [party["kind"] for party in parties] == ["company", "association", "chamber", "education"]
    company, association, chamber, school = parties
    assert company["siret"] == "12345678900012"
    assert company["address"] == "12, avenue des Tilleuls, 69003 Lyon"
    assert company["representative"] == "Paul Durand-Leroux"
    assert company["representative_title"] == "Directeur général"
    assert association["name"] == "Association Jeunes et Métiers"
    assert association["address"] == "3 place du Marché, 38000 Grenoble"
    assert association["representative"] == "Claire Nguyen"
    assert association["representative_title"] == "Présidente"
    assert chamber["acronym"] == "CCI Lyon Métropole"
    assert chamber["representative"] == "Alain Mérieux"
    assert school["name"] == "Lycée professionnel Jean Moulin"
    assert school["representative"] == "Agnès Brunet"  # title printed before the name
    assert school["representative_title"] == "Proviseure"


def test_state_party_and_name_in_capitals():
    parties = parties_of(STATE_AND_CAPITALS)
    assert [party["name"] for party in parties] == [
        "L'État (académie de Rennes)",
        "Fédération régionale des travaux publics de Bretagne",  # the case the document uses elsewhere
    ]
    assert [party["kind"] for party in parties] == ["education", "employer_org"]
    assert parties[0]["representative"] == "Hélène Marzin"
    assert parties[0]["representative_title"] == "Rectrice de l'académie de Rennes, chancelière des universités"
    assert parties[1]["representative"] == "Erwan Le Goff"  # capitals folded, particle kept capitalised as printed


def test_parties_on_one_line_each_and_aside_not_a_party():
    parties = parties_of(ONE_LINE_PARTIES)
    assert [party["name"] for party in parties] == [
        "Académie de Nantes",
        "Académie de Rennes",
        "Région Pays de la Loire",
    ]
    assert parties[0]["address"] == "4 rue de la Houssinière, 44322 Nantes"
    assert parties[0]["representative"] == "Yves Dupont"
    assert parties[1]["representative"] == "Lou Kermarrec"
    assert parties[1]["address"] is None  # not printed: never made up
    assert parties[2]["kind"] == "public_body"


def test_no_opening_no_parties():
    assert parties_of("Compte rendu de réunion\n\nLes participants ont échangé sur les stages.\n") == []


def test_evidence_points_at_the_name():
    reading = read_text(FOUR_PARTIES).as_contract()
    evidence = reading["evidence"]["parties.1.representative"]
    assert reading["text"][evidence["start"] : evidence["end"]] == "Claire Nguyen"


@pytest.mark.parametrize(
    ("name", "context", "kind"),
    [
        ("Union des industries et métiers de la métallurgie", "", "employer_org"),
        ("Chambre de métiers et de l'artisanat du Gard", "", "chamber"),
        ("Collège Victor Hugo", "", "education"),
        ("Pôle emploi Occitanie", "", "public_body"),
        ("Les Ateliers du Sud", "SARL au capital de 8 000 euros", "company"),
        ("Les Amis de la forge", "association régie par la loi de 1901", "association"),
        ("Grain de sel", "", "other"),
    ],
)
def test_kinds_from_words_not_names(name, context, kind):
    assert classify(name, context) == kind


def test_person_names():
    assert person_at("M. Jean-Marc DE LA TOUR, président").name == "Jean-Marc DE LA TOUR"
    assert person_at("Monsieur le Recteur de l'académie") is None
    assert person_at("Chancelier des universités") is None
    assert person_at("CCI PARIS") is None
    assert proper_case("Jean-Marc DE LA TOUR") == "Jean-Marc de la Tour"
    assert proper_case("Anne D'ARCY") == "Anne d'Arcy"


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not (SEEDS / "truth").is_dir(), reason="seeds absent (../shared/seeds)")
@pytest.mark.parametrize("path", seed_paths(), ids=lambda path: path.stem[:3])
def test_seed_parties(path):
    truth = json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text(encoding="utf-8"))
    got = read_path(path).as_contract()["parties"]
    assert len(got) == len(truth["parties"])
    for expected, party in zip(truth["parties"], got, strict=True):
        assert name_overlap(expected["name"], party["name"]) >= 0.5, (expected["name"], party["name"])
        assert fold(party["representative"]) == fold(expected["representative"])
        assert party["kind"] == expected["kind"]


def test_opening_joined_into_one_paragraph():
    text = (
        "Convention de partenariat\n\nEntre les soussignés\n\n"
        "le collège Jules Verne, 8 rue des Écoles, 59000 Lille, représenté par sa principale, Mme Inès Roux, "
        "d'une part, et la Chambre de métiers et de l'artisanat Hauts-de-France (CMA), représentée par son "
        "président, M. Hugo Petit, d'autre part, il a été convenu ce qui suit.\n\nArticle 1 – Objet\n\nTexte.\n"
    )
    parties = parties_of(text)
    assert [(party["name"], party["kind"], party["representative"]) for party in parties] == [
        ("Collège Jules Verne", "education", "Inès Roux"),
        ("Chambre de métiers et de l'artisanat Hauts-de-France (CMA)", "chamber", "Hugo Petit"),
    ]
    assert parties[0]["address"] == "8 rue des Écoles, 59000 Lille"


def test_acting_capacity_authority_amounts_and_addresses_without_a_street_word():
    contract = read_text(
        "CONVENTION DE PARTENARIAT\n\nENTRE :\n\n"
        "Le rectorat de l'académie de Lille, 20 rue Saint-Jacques, 59000 Lille, représenté par Monsieur Paul "
        "Lemaire, agissant en qualité de recteur de l'académie de Lille, dûment habilité à cet effet,\n"
        "ci-après dénommé « le rectorat »,\n\nET :\n\n"
        "La société Textilis SA, société anonyme au capital de\n2 300 000 euros, dont le siège social est 4 quai "
        "du Halage, 59100 Roubaix, représentée par Madame Inès Caron, présidente,\n\nET :\n\n"
        "La Chambre d'agriculture du Nord, établissement public, Domaine des Tilleuls, 59650 Villeneuve-d'Ascq, "
        "représentée par son président, Monsieur Marc Vanhove,\n\nIl est convenu ce qui suit :\n\n"
        "Article 1 – Objet\nLes parties coopèrent.\n"
    ).as_contract()
    rector, company, chamber = contract["parties"]
    assert rector["representative_title"] == "Recteur de l'académie de Lille"
    assert company["address"] == "4 quai du Halage, 59100 Roubaix"
    assert chamber["address"] == "Domaine des Tilleuls, 59650 Villeneuve-d'Ascq"


def party_names(opening: str) -> list[str]:
    text = (
        f"CONVENTION DE PARTENARIAT\n\nENTRE\n\n{opening}\n\n"
        "Il a été convenu ce qui suit.\n\nArticle 1 – Objet\n\nLes parties coopèrent.\n"
    )
    return [party["name"] for party in read_text(text).as_contract()["parties"]]


@pytest.mark.parametrize(
    ("opening", "name"),
    [
        # the common noun goes when a legal form follows, in the name or just after it
        ("La société Lumenor SA, au capital de 10 000 euros, représentée par M. Paul Roy, gérant,", "Lumenor SA"),
        ("la société Tissages Perrin, SARL au capital de 8 000 euros, représentée par M. Paul Roy,", "Tissages Perrin"),
        (
            "La société Vallée Numérique, société par actions simplifiée, représentée par M. Paul Roy,",
            "Vallée Numérique",
        ),
        ("L'entreprise Bois et Cie, SAS au capital de 5 000 euros, représentée par M. Paul Roy,", "Bois et Cie"),
        # printed with a capital, or with no legal form: the word is the name's own
        ("La Société Générale, société anonyme, représentée par M. Paul Roy, directeur,", "Société Générale"),
        (
            "La société Tissages Perrin, dont le siège est à Lyon, représentée par M. Paul Roy,",
            "Société Tissages Perrin",
        ),
    ],
)
def test_the_word_societe_before_a_company_with_a_legal_form_is_no_part_of_its_name(opening, name):
    names = party_names(f"L'académie de Lyon, représentée par Mme Anne Roux, rectrice,\n\nET\n\n{opening}")

    assert names[-1] == name


def test_a_name_in_capitals_keeps_elided_articles_in_lower_case():
    text = (
        "CONVENTION DE PARTENARIAT\n\nENTRE\n\n"
        "L'ACADÉMIE DE LYON, REPRÉSENTÉE PAR MADAME ANNE ROUX, RECTRICE,\n\nET\n\n"
        "L'INSTITUT DES MÉTIERS D'ARDÈCHE, REPRÉSENTÉ PAR SON DIRECTEUR, MONSIEUR PAUL ROY,\n\n"
        "IL A ÉTÉ CONVENU CE QUI SUIT :\n\nARTICLE 1 – OBJET\n\nLES PARTIES COOPÈRENT.\n"
    )
    parties = read_text(text).as_contract()["parties"]

    assert parties[1]["name"].startswith("Institut des ")
    assert parties[1]["name"].endswith(" d'Ardèche")
    assert parties[0]["representative_title"] == "Rectrice"
    assert parties[1]["representative_title"] == "Directeur"
