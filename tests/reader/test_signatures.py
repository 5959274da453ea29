"""The signature block: place, per-signatory dates, the latest legible date — invented blocks."""

import json
from pathlib import Path

import pytest

from partenariats.reader import read_bytes, read_path, read_text
from partenariats.reader.scoring import fold

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

OPENING = """Convention de partenariat

Entre les soussignés :

L'académie de Dijon, représentée par Madame Anne VOISIN, rectrice de l'académie, chancelière des universités,

d'une part,

et

La société Ferronnerie Moreau SARL, SIRET 987 654 321 00019, représentée par son gérant, Monsieur Luc Moreau,

d'autre part,

il a été convenu ce qui suit.

Article 1 – Objet

Les parties organisent des stages d'observation.

Article 2 – Durée

La convention est conclue pour deux ans.

"""


def read(block: str) -> dict:
    return read_text(OPENING + block).as_contract()


def test_one_date_for_all_with_pour_lines():
    got = read(
        "Fait à Dijon, le 14 septembre 2021, en deux exemplaires originaux.\n\n"
        "Pour l'académie de Dijon\n\nAnne Voisin\nRectrice de l'académie\n\n\n"
        "Pour la société Ferronnerie Moreau\n\nLuc Moreau\nGérant\n"
    )
    assert got["signature_place"] == "Dijon"
    assert got["signature_date"] == "2021-09-14"
    assert [(s["name"], s["date"], s["party"]) for s in got["signatures"]] == [
        ("Anne Voisin", "2021-09-14", 0),
        ("Luc Moreau", "2021-09-14", 1),
    ]
    assert got["signatures"][0]["title"] == "Rectrice de l'académie"


def test_blank_date_gives_no_signature_date():
    got = read("Fait à ……………, le ……………\n\nPour l'académie\n\nAnne Voisin\n\nPour la société\n\nLuc Moreau\n")
    assert got["signature_place"] is None
    assert got["signature_date"] is None
    assert [s["date"] for s in got["signatures"]] == [None, None]
    assert all(s["raw"] is None for s in got["signatures"])


def test_dates_per_signatory_latest_counts_and_partial_month():
    got = read(
        "Convention établie et signée en trois exemplaires.\n\n"
        "Madame Anne VOISIN, Rectrice de l'académie de Dijon\nDate : 3 mars 2022\n\n"
        "Monsieur Luc MOREAU Gérant de la société\nDate :\n\navril 2022\n\n"
        "Monsieur Karim BENALI, Préfet de région\nDate : 12 Mrs 2022\n"
    )
    signatures = got["signatures"]
    assert [s["name"] for s in signatures] == ["Anne Voisin", "Luc Moreau", "Karim Benali"]
    assert [s["date"] for s in signatures] == ["2022-03-03", "2022-04", None]
    assert signatures[1]["precision"] == "month"
    assert signatures[2]["raw"] == "12 Mrs 2022"
    assert signatures[2]["party"] is None  # a co-signer who is not a party
    assert got["signature_date"] == "2022-04"  # a later month beats an earlier full date
    assert "certaines dates illisibles" in got["evidence"]["signature_date"]["flag"]
    assert signatures[2]["date"] is None
    assert "signatures.2.date" in got["candidates"]


def test_no_legible_date_is_a_doubt_not_a_value():
    got = read(
        "Convention établie et signée en deux exemplaires.\n\n"
        "Madame Anne VOISIN\nDate : 3 Marz 2022\n\nMonsieur Luc MOREAU\nDate : 4 Jiun 2022\n"
    )
    assert got["signature_date"] is None
    assert got["candidates"]["signature_date"]


def test_names_in_columns_then_titles():
    got = read(
        "Fait à Beaune, le 02.VI.2023\n\n"
        "Anne Voisin,\n\nNadia Leclerc,\n\nLuc Moreau\n\n\n\n"
        "Rectrice de l'académie\nde Dijon\n\n\n\n"
        "Directrice académique\ndes services\n\n\n\n"
        "Gérant de la société\n"
    )
    signatures = got["signatures"]
    assert [(s["name"], s["party"]) for s in signatures] == [
        ("Anne Voisin", 0),
        ("Nadia Leclerc", None),
        ("Luc Moreau", 1),
    ]
    assert [s["title"] for s in signatures] == [
        "Rectrice de l'académie de Dijon",
        "Directrice académique des services",
        "Gérant de la société",
    ]
    assert got["signature_date"] == "2023-06-02"


def test_side_by_side_columns_on_the_same_lines():
    got = read(
        "A Dijon, le\n\n"
        "La rectrice de l'académie                  Le gérant\n"
        "Anne Voisin                                Luc Moreau\n"
        "Date : 12/09/2023                          Date : ____________\n"
    )
    signatures = got["signatures"]
    assert [(s["name"], s["date"], s["party"]) for s in signatures] == [
        ("Anne Voisin", "2023-09-12", 0),
        ("Luc Moreau", None, 1),
    ]
    assert got["signature_date"] == "2023-09-12"
    assert got["signature_place"] == "Dijon"


def test_no_signature_block_no_signatures():
    got = read_text(OPENING).as_contract()
    assert got["signatures"] == []
    assert got["signature_date"] is None


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not (SEEDS / "truth").is_dir(), reason="seeds absent (../shared/seeds)")
@pytest.mark.parametrize("path", seed_paths(), ids=lambda path: path.stem[:3])
def test_seed_signatures(path):
    truth = json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text(encoding="utf-8"))
    got = read_path(path).as_contract()
    assert fold(got["signature_place"]) == fold(truth["signature_place"])
    assert got["signature_date"] == truth["signature_date"]
    assert len(got["signatures"]) == len(truth["signatures"])
    for expected, signature in zip(truth["signatures"], got["signatures"], strict=True):
        assert fold(signature["name"]) == fold(expected["name"])
        assert signature["date"] == expected["date"]
        if "raw" in expected:
            assert signature["raw"] == expected["raw"]
        if "title" in expected:
            assert fold(signature["title"]) == fold(expected["title"])


def test_a_block_in_capitals_names_the_representatives_and_the_place_is_cased():
    contract = read_text(
        "CONVENTION DE PARTENARIAT\n\nENTRE LES SOUSSIGNÉS :\n\nL'ACADÉMIE DE RENNES, REPRÉSENTÉE PAR MADAME "
        "ANNE-MARIE KERLOC'H, RECTRICE,\nD'UNE PART,\n\nET\n\nLA CHAMBRE DE MÉTIERS DU MORBIHAN, REPRÉSENTÉE PAR "
        "SON PRÉSIDENT, MONSIEUR YVES LE DANTEC,\nD'AUTRE PART,\n\nIL A ÉTÉ CONVENU CE QUI SUIT :\n\n"
        "ARTICLE 1 – OBJET\nLES PARTIES COOPÈRENT.\n\n"
        "FAIT À SAINT-BRIEUC-SUR-MER, LE 4 MAI 2023, EN DEUX EXEMPLAIRES ORIGINAUX.\n\n"
        "POUR L'ACADÉMIE DE RENNES,          POUR LA CHAMBRE DE MÉTIERS,\n"
        "LA RECTRICE,                         LE PRÉSIDENT,\n"
        "ANNE-MARIE KERLOC'H                  YVES LE DANTEC\n"
    ).as_contract()
    assert contract["signature_place"] == "Saint-Brieuc-sur-Mer"
    assert [fold(signature["name"]) for signature in contract["signatures"]] == [
        fold("Anne-Marie Kerloc'h"),
        fold("Yves Le Dantec"),
    ]
    assert [signature["party"] for signature in contract["signatures"]] == [0, 1]


def test_a_capitals_line_that_is_no_representative_is_no_signatory():
    contract = read(
        "Fait à Dijon, le 2 mai 2023.\n\nPour l'académie,\nAnne Voisin\n\nPour la société,\nFERRONNERIE MOREAU\n"
    )
    assert [fold(signature["name"]) for signature in contract["signatures"]] == [fold("Anne Voisin")]


def test_a_date_left_blank_with_slashes_is_no_title_and_the_other_date_counts():
    contract = read(
        "Fait à Dijon, en deux exemplaires.\n\n"
        "Pour l'académie de Dijon                 Pour la société\n"
        "La rectrice                              Le gérant\n"
        "Anne Voisin                              Luc Moreau\n"
        "Le 05/10/2023                            Le ____/____/______\n"
    )
    assert [signature["title"] for signature in contract["signatures"]] == ["Rectrice", "Gérant"]
    assert [signature["date"] for signature in contract["signatures"]] == ["2023-10-05", None]
    assert contract["signature_date"] == "2023-10-05"


def test_a_title_on_the_name_line_is_kept_and_a_lone_civility_is_no_title():
    text = (
        "CONVENTION DE PARTENARIAT\n\nEntre l'académie de Lille, représentée par Madame Anne Vasseur, rectrice,\n\n"
        "et la Fédération du bâtiment du Nord, représentée par Monsieur Luc Carpentier, président,\n\n"
        "Article 1 – Objet\n\nLes parties coopèrent.\n\n"
        "Fait en deux exemplaires originaux.\n\n"
        "Madame Anne VASSEUR, Rectrice de l'académie de Lille\n\nDate : 3 mai 2022\n\n"
        "Monsieur\n\nLuc CARPENTIER\nPrésident de la Fédération\n\nDate : 4 mai 2022\n"
    )
    signatures = read_text(text).as_contract()["signatures"]

    assert [(s["name"], s["title"]) for s in signatures] == [
        ("Anne Vasseur", "Rectrice de l'académie de Lille"),
        ("Luc Carpentier", "Président de la Fédération"),
    ]


SAMPLES = Path(__file__).parent / "samples"

# What a reviewer must see under "Signataires" for the invented samples: (name, title, date, party).
SAMPLE_SIGNATURES = {
    # a Markdown table of two columns: each cell its own signatory
    "02_sas_siret_markdown.md": [
        ("Thomas Giraudet", "Recteur", "2024-02-28", 0),
        ("Claire Dumontel", "Directrice générale", "2024-03", 1),
    ],
    # a co-signer who is no party ("Vu et pris connaissance"), printed after the parties' signatories
    "05_departement_romain.txt": [
        ("Isabelle Fontanieu", "Rectrice", "2025-04-02", 0),
        ("Jean-Marc Delbreil", "Président du conseil départemental", "2025-04-02", 1),
        (
            "Olivier Massenat",
            "Directeur académique des services de l'éducation nationale de la Creuse",
            "2025-04-02",
            None,
        ),
    ],
    # the signatories printed on the cover, the "Fait à …" line alone at the end
    "08_cover_sa_fixed_end.txt": [
        ("Anne-Laure Pichon", "Rectrice", "2020-06-03", 0),
        ("Romain Chevallaz", "Directeur général", "2020-06-03", 1),
    ],
    # a block in capitals: titles in sentence case
    "11_universite_majuscules.txt": [
        ("Pierre-Yves Delcourt", "Recteur", "2024-07-12", 0),
        ("Claire Montagnier-Roux", "Présidente", "2024-07-12", 1),
    ],
    # two columns, one date left blank
    "09_sa_fondation_entre_colon.txt": [
        ("Laurent Vidal-Castagne", "Recteur", "2023-10-05", 0),
        ("Odile Marchetti-Baudoin", "Déléguée générale de la Fondation", None, 1),
    ],
}


def signature_rows(contract: dict) -> list[tuple]:
    return [(s["name"], s["title"], s["date"], s["party"]) for s in contract["signatures"]]


@pytest.mark.parametrize("name", sorted(SAMPLE_SIGNATURES))
def test_sample_signatories_with_their_titles_dates_and_parties(name):
    contract = read_path(SAMPLES / name).as_contract()

    assert signature_rows(contract) == SAMPLE_SIGNATURES[name]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["11_universite_majuscules.txt", "09_sa_fondation_entre_colon.txt", "08_cover_sa_fixed_end.txt"]
)
def test_sample_signatories_read_the_same_from_a_pdf(name):
    from tests.reader.render import text_to_pdf

    contract = read_bytes(text_to_pdf((SAMPLES / name).read_text(encoding="utf-8")), "convention.pdf").as_contract()

    assert signature_rows(contract) == SAMPLE_SIGNATURES[name]


def test_a_markdown_table_of_signatures_gives_one_signatory_per_cell():
    contract = read(
        "Fait à Dijon, en deux exemplaires.\n\n"
        "| Pour l'académie de Dijon | Pour la société Ferronnerie Moreau |\n|---|---|\n"
        "| La rectrice | Le gérant |\n| Anne Voisin | Luc Moreau |\n| Le 3 mai 2023 | Le 9 mai 2023 |\n"
    )
    assert signature_rows(contract) == [
        ("Anne Voisin", "Rectrice", "2023-05-03", 0),
        ("Luc Moreau", "Gérant", "2023-05-09", 1),
    ]
    assert contract["signature_date"] == "2023-05-09"


def test_a_visa_after_the_parties_is_a_co_signer_with_its_own_title():
    contract = read(
        "Fait à Dijon, le 2 mai 2023.\n\n"
        "Pour l'académie de Dijon,\nla rectrice,\nAnne Voisin\n\n"
        "Pour la société Ferronnerie Moreau,\nle gérant,\nLuc Moreau\n\n"
        "Vu,\nle préfet de la Côte-d'Or,\nKarim Benali\n"
    )
    assert signature_rows(contract) == [
        ("Anne Voisin", "Rectrice", "2023-05-02", 0),
        ("Luc Moreau", "Gérant", "2023-05-02", 1),
        ("Karim Benali", "Préfet de la Côte-d'Or", "2023-05-02", None),
    ]


def test_signatories_on_the_cover_page_are_read_when_none_follow_the_fait_a():
    cover = (
        "Les signataires\n\n"
        "Pour l'académie de Dijon                 Pour la société Ferronnerie Moreau\n"
        "La rectrice                              Le gérant\n"
        "Anne Voisin                              Luc Moreau\n\n\n"
    )
    contract = read_text(cover + OPENING + "Fait à Beaune, le 7 juin 2022, en deux exemplaires.\n").as_contract()

    assert signature_rows(contract) == [
        ("Anne Voisin", "Rectrice", "2022-06-07", 0),
        ("Luc Moreau", "Gérant", "2022-06-07", 1),
    ]
    assert contract["signature_place"] == "Beaune"


def test_titles_in_capitals_are_given_in_sentence_case():
    contract = read(
        "FAIT À DIJON, LE 2 MAI 2023.\n\n"
        "POUR L'ACADÉMIE DE DIJON,              POUR LA SOCIÉTÉ FERRONNERIE MOREAU,\n"
        "LA RECTRICE,                           LE GÉRANT,\n"
        "ANNE VOISIN                            LUC MOREAU\n"
    )
    assert [(s["name"], s["title"]) for s in contract["signatures"]] == [
        ("Anne Voisin", "Rectrice"),
        ("Luc Moreau", "Gérant"),
    ]


def test_the_first_signatory_right_under_a_dated_place_line_is_read():
    text = (
        "CONVENTION DE PARTENARIAT\n\nEntre les soussignés :\n\n"
        "l'académie de Lille, représentée par Madame Anne Vasseur, rectrice de l'académie,\n\nd'une part,\n\n"
        "et\n\nla Fédération du bâtiment du Nord, représentée par Monsieur Luc Carpentier, président,\n\n"
        "d'autre part,\n\nil a été convenu ce qui suit :\n\n"
        "Article 1 – Objet\n\nLes parties coopèrent.\n\n"
        "Fait à Lille, le 3 mai 2022\nPaul Ravier,\n\nAnne Vasseur,\n\nLuc Carpentier\n\n"
        "Recteur délégué\n\nRectrice de l'académie de Lille\n\nPrésident de la Fédération\n"
    )
    signatures = read_text(text).as_contract()["signatures"]

    assert [(s["name"], s["party"], s["date"]) for s in signatures] == [
        ("Paul Ravier", None, "2022-05-03"),
        ("Anne Vasseur", 0, "2022-05-03"),
        ("Luc Carpentier", 1, "2022-05-03"),
    ]
