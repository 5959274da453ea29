"""Commitments: who commits to what, in which article, for which publics — on invented conventions."""

from pathlib import Path

import pytest

from partenariats.reader.fields import clauses, commitments, programmes
from partenariats.reader.model import Document, Findings, Page, Source, Structure, Text

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

LILLE = [
    {"name": "Académie de Lille", "kind": "education", "acronym": None},
    {"name": "Chambre de commerce et d'industrie Hauts-de-France (CCI Hauts-de-France)", "kind": "chamber"},
]

CONVENTION = """CONVENTION DE PARTENARIAT

Entre l'académie de Lille et la Chambre de commerce et d'industrie Hauts-de-France,
il a été convenu ce qui suit.

Préambule

L'académie de Lille souhaite renforcer ses liens avec les entreprises. La CCI Hauts-de-France
favorise depuis longtemps l'apprentissage.

Article 1 – Engagements de l'académie

L'académie s'engage à :
- informer les établissements des actions de la CCI ;
- désigner un interlocuteur unique dans chaque bassin ;
- valoriser les stages d'observation des élèves de 3e.

Article 2 – Engagements de la CCI

2.1 Accueil des enseignants

La CCI Hauts-de-France accueillera des enseignants en immersion durant deux jours.
Elle relaiera auprès de ses ressortissants les demandes de stage des lycéens.

2.2 Jurys

Sur sollicitation du rectorat, la CCI pourra désigner des professionnels pour les jurys d'examen.

Article 3 – Engagements communs

Les parties conviennent d'organiser le Forum des Métiers de l'Industrie, qui se tient chaque année en mars.
Le développement des relations entre l'académie et la CCI Hauts-de-France favorise l'insertion des jeunes.

Article 4 – Durée et résiliation

La convention est conclue pour trois ans. Chaque partie s'engage à respecter un préavis de deux mois.

Fait à Lille, le 3 mars 2024, en deux exemplaires originaux.
"""


def document(text: str, parties: list[dict] | None = None) -> tuple[Document, Findings]:
    """A document read by our own light heading finder, with the parties given."""
    source = Source(kind="text", pages=(Page(1, text),))
    found = Findings(Text(text))
    if parties is not None:
        found.set("parties", parties)
    return Document(source, Text(text), Structure()), found


def commitments_of(text: str, parties: list[dict] | None = None) -> list[dict]:
    doc, found = document(text, parties)
    clauses.read(doc, found)
    programmes.read(doc, found)
    commitments.read(doc, found)
    return found.get("commitments")


def test_each_item_of_an_engagement_list_is_a_commitment_of_the_academy():
    items = [c for c in commitments_of(CONVENTION, LILLE) if c["article"] == "1"]
    assert len(items) == 3
    assert all(c["party"] == 0 and c["verb"] == "s'engager" for c in items)
    assert items[1]["text"].endswith("désigner un interlocuteur unique dans chaque bassin ;")
    assert items[2]["audiences"] == ["élèves de 3e"]
    assert "stage d'observation" in items[2]["programmes"]


def test_the_partner_commits_in_its_sub_article_and_a_pronoun_keeps_the_subject():
    found = [c for c in commitments_of(CONVENTION, LILLE) if c["article"] == "2.1"]
    assert [(c["party"], c["verb"]) for c in found] == [(1, "accueillir"), (1, "relayer")]
    assert "enseignants" in found[0]["audiences"]
    assert found[1]["audiences"] == ["lycéens"]


def test_a_party_named_after_a_preposition_is_not_the_subject():
    (jury,) = [c for c in commitments_of(CONVENTION, LILLE) if c["article"] == "2.2"]
    assert jury["party"] == 1  # "sur sollicitation du rectorat, la CCI pourra désigner"
    assert jury["verb"] == "désigner"


def test_the_parties_together_are_a_joint_commitment():
    joint = [c for c in commitments_of(CONVENTION, LILLE) if c["article"] == "3"]
    assert len(joint) == 1  # "le développement des relations entre X et Y favorise" is not a party's
    assert joint[0]["party"] is None
    assert joint[0]["joint"]
    assert joint[0]["all"]
    assert joint[0]["parties"] == [0, 1]


def test_neither_preamble_nor_termination_clause_gives_commitments():
    found = commitments_of(CONVENTION, LILLE)
    assert not any("souhaite" in c["text"] or "depuis longtemps" in c["text"] for c in found)
    assert not any("préavis" in c["text"] for c in found)
    assert {c["article"] for c in found} == {"1", "2.1", "2.2", "3"}


def test_several_named_parties_are_listed_and_the_bulleted_verbs_read():
    text = """Article 1 – Formations

L'académie de Rouen et la Fédération du bâtiment de Normandie (FBN) :
• procéderont à un inventaire des formations du secteur ;
• se concerteront avant toute ouverture de section.

Article 2 – Stages

La FBN mettra à disposition des offres de stage pour les apprentis et les étudiants.
"""
    parties = [
        {"name": "Académie de Rouen", "kind": "education"},
        {"name": "Fédération du bâtiment de Normandie (FBN)", "kind": "employer_org"},
    ]
    found = commitments_of(text, parties)
    assert [(c["verb"], c["parties"]) for c in found[:2]] == [("procéder", [0, 1]), ("se concerter", [0, 1])]
    assert found[2]["party"] == 1
    assert found[2]["verb"] == "mettre à disposition"
    assert found[2]["audiences"] == ["apprentis", "étudiants"]


def test_an_ocr_wrapped_sentence_stays_one_commitment():
    text = (
        "Article 2 – Engagements\n\nLa Fédération du bâtiment de Normandie mobilisera ses entreprises \n\n"
        "adhérentes pour l'accueil de collégiens. \n\nLes parties s'engagent à se réunir une fois par an.\n"
    )
    parties = [{"name": "Académie de Rouen", "kind": "education"}, {"name": "Fédération du bâtiment de Normandie"}]
    found = commitments_of(text, parties)
    assert len(found) == 2
    assert found[0]["text"].endswith("pour l'accueil de collégiens.")
    assert found[0]["party"] == 1
    assert found[0]["audiences"] == ["collégiens"]


def test_without_parties_only_collective_subjects_are_kept():
    found = commitments_of(CONVENTION, None)
    assert found
    assert all(c["party"] is None for c in found)
    assert all(c["joint"] for c in found)


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds absent")
def test_seed_commitments_come_from_the_articles_only():
    from partenariats.reader import read_path

    for path in sorted(SEEDS.glob("*.txt")):
        reading = read_path(path)
        data = reading.as_contract()
        heads = [h.start for h in reading.document.structure.walk() if h.kind in ("article", "title")]
        assert data["commitments"], path.name
        for index, commitment in enumerate(data["commitments"]):
            evidence = data["evidence"][f"commitments.{index}.text"]
            assert not heads or evidence["start"] >= heads[0], path.name
            assert commitment["verb"]
            assert commitment["text"]
