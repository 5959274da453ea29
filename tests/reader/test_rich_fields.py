"""Clauses, programmes and publics, governance rhythms, contacts and the action plan — on invented texts."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partenariats.reader.fields import actions, clauses, contacts, programmes
from partenariats.reader.fields.clauses import fold, lower, plain
from partenariats.reader.fields.contacts import PHONE, normalise_phone
from partenariats.reader.model import Document, Findings, Page, Source, Structure, Text

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

NANTES = [
    {"name": "Académie de Nantes", "kind": "education"},
    {"name": "Union des industries et métiers de la métallurgie des Pays de la Loire (UIMM)", "kind": "employer_org"},
]


def run(text: str, parties: list[dict] | None = None, *readers) -> Findings:
    source = Source(kind="text", pages=(Page(1, text),))
    found = Findings(Text(text))
    if parties is not None:
        found.set("parties", parties)
    doc = Document(source, Text(text), Structure())
    for reader in readers or (clauses, programmes, contacts, actions):
        reader.read(doc, found)
    return found


# --- clauses -----------------------------------------------------------------------------------

WITH_CLAUSES = """Article 5 – Confidentialité

Les informations recueillies lors des visites ont un caractère confidentiel.
Les enseignants sont tenus au secret professionnel.

Article 6 – Règlement des différends

Les parties rechercheront une solution amiable. À défaut, le tribunal administratif de Nantes
sera compétent.

Article 7 – Durée

La convention est conclue pour deux ans.
"""


def test_a_clause_is_the_text_of_the_section_its_heading_names():
    found = run(WITH_CLAUSES, NANTES, clauses)
    assert found.get("confidentiality_clause").startswith("Les informations recueillies")
    assert "secret professionnel" in found.get("confidentiality_clause")
    assert "Durée" not in found.get("confidentiality_clause")
    dispute = found.get("dispute_clause")
    assert "tribunal administratif" in dispute
    assert "deux ans" not in dispute
    evidence = found.evidence["dispute_clause"]
    assert WITH_CLAUSES[evidence.start : evidence.end].strip().startswith("Les parties rechercheront")


def test_a_clause_without_heading_is_its_paragraph():
    text = (
        "Article 2 – Mise en œuvre\n\nUn comité suit la convention.\n\n"
        "Les données échangées entre les partenaires présentent un caractère confidentiel et ne sont pas diffusées.\n\n"
        "Article 3 – Durée\n\nTrois ans.\n"
    )
    found = run(text, NANTES, clauses)
    assert found.get("confidentiality_clause").startswith("Les données échangées")
    assert found.get("dispute_clause") is None


def test_no_clause_gives_none():
    found = run("Article 1 – Objet\n\nLes parties coopèrent pour l'orientation des élèves.\n", NANTES, clauses)
    assert found.get("confidentiality_clause") is None
    assert found.get("dispute_clause") is None


# --- programmes, audiences, events, rhythms ---------------------------------------------------

PROGRAMMES = """Ci-après désignée « l'UIMM ».

Article 1 – Actions

L'UIMM participe au dispositif dénommé « Ingénieurs et techniciens dans les classes » et à la
Semaine de l'industrie (en mars). Elle accueille des collégiens, des lycéens et des apprentis,
ainsi que des professeurs principaux et des psychologues de l'Éducation nationale.
Les parents d'élèves sont invités au Salon régional des formations, fin novembre.
Le mois de novembre est consacré aux bilans.

Article 2 – Pilotage

Un comité de pilotage se réunit une fois par an, en juin, pour le bilan des actions.
Chaque année en octobre, les partenaires échangent la liste de leurs correspondants.
"""


def test_named_programmes_and_events_are_found_with_the_month_the_text_ties():
    found = run(PROGRAMMES, NANTES, programmes)
    labels = [p["label"] for p in found.get("programmes")]
    assert "Ingénieurs et techniciens dans les classes" in labels
    assert "l'UIMM" not in labels
    assert "UIMM" not in labels
    events = {e["name"]: e["month"] for e in found.get(programmes.EVENTS_KEY)}
    assert events["Semaine de l'industrie"] == 3
    assert events["Salon régional des formations"] == 11
    assert not any(name.lower().startswith("mois de novembre") for name in events)


def test_publics_are_normalised_and_listed_once():
    found = run(PROGRAMMES + "\nLes collégiens et les élèves des collèges.\n", NANTES, programmes)
    audiences = found.get("audiences")
    assert audiences.count("collégiens") == 1
    for label in ("lycéens", "apprentis", "professeurs principaux", "psychologues de l'Éducation nationale"):
        assert label in audiences
    assert "parents d'élèves" in audiences


def test_yearly_committee_and_contact_exchange_months():
    found = run(PROGRAMMES, NANTES, programmes)
    assert found.get("steering_committee") is True
    assert found.get("steering_committee_month") == 6
    assert found.get("contact_exchange_month") == 10


def test_no_month_is_invented():
    text = (
        "Article 1 – Suivi\n\nUn comité de pilotage se réunit chaque année. Les partenaires échangent leurs contacts.\n"
    )
    found = run(text, NANTES, programmes)
    assert found.get("steering_committee") is True
    assert found.get("steering_committee_month") is None
    assert found.get("contact_exchange_month") is None
    assert run("Article 1 – Objet\n\nRien.\n", NANTES, programmes).get("steering_committee") is None


# --- contacts ----------------------------------------------------------------------------------

CONTACTS = """Article 1 – Objet

Coopérer.

Annexe 1 – Coordonnées des partenaires

Contacts à l'académie de Nantes

Chargée de mission école-entreprise : Claire Dubreuil – claire.dubreuil@ac-nantes.fr
Tél. 02.40.37.00.00

Délégué académique : poste vacant

Pour l'UIMM

Nom\tFonction\tCourriel\tTéléphone
Yann Le Goff\tResponsable formation\tyann.legoff@uimm-pdl.fr\t+33 2 51 00 00 00
"""


def test_a_contacts_annex_gives_people_with_their_organisation_and_party():
    found = run(CONTACTS, NANTES, contacts)
    people = found.get("contacts")
    assert [p["name"] for p in people] == ["Claire Dubreuil", "Yann Le Goff"]
    claire, yann = people
    assert claire["role"] == "Chargée de mission école-entreprise"
    assert claire["party"] == 0
    assert claire["email"] == "claire.dubreuil@ac-nantes.fr"
    assert claire["phone"] == "02 40 37 00 00"  # the line right under her name
    assert yann["party"] == 1
    assert yann["role"] == "Responsable formation"
    assert yann["phone"] == "02 51 00 00 00"


def test_a_correspondent_named_in_the_body_is_a_contact():
    text = (
        "Article 4 – Suivi\n\nLe correspondant de l'UIMM est M. Paul Girard, chargé de mission, "
        "paul.girard@uimm-pdl.fr, 02 40 11 22 33.\n"
    )
    (paul,) = run(text, NANTES, contacts).get("contacts")
    assert paul["name"] == "Paul Girard"
    assert paul["party"] == 1
    assert paul["email"] == "paul.girard@uimm-pdl.fr"
    assert paul["phone"] == "02 40 11 22 33"


def test_no_contact_without_a_name():
    text = "Annexe 1 – Contacts\n\nCorrespondant : à désigner\nTél : 02 40 00 00 00\n"
    assert run(text, NANTES, contacts).get("contacts") == []


@given(st.sampled_from(["0", "+33 ", "0033 "]), st.integers(1, 9), st.lists(st.integers(0, 99), min_size=4, max_size=4))
def test_phones_are_normalised_whatever_the_separators(prefix, first, pairs):
    digits = "".join(f"{p:02d}" for p in pairs)
    for separator in (" ", ".", "-", ""):
        written = prefix + str(first) + separator + separator.join(digits[i : i + 2] for i in range(0, 8, 2))
        match = PHONE.search(written)
        assert match
        assert normalise_phone(match) == f"0{first} " + " ".join(digits[i : i + 2] for i in range(0, 8, 2))


# --- action plan -------------------------------------------------------------------------------

PLAN = """Article 1 – Objet

Coopérer.

Annexe 2 – Plan d'actions

Axe Découverte des métiers

Action n°1 : Visites d'ateliers
Objectif : faire découvrir l'industrie aux collégiens
Modalités :
Pour l'académie de Nantes : repérer les classes volontaires
Pour l'UIMM : organiser les visites
Calendrier : 1er trimestre 2025
Public : élèves de 3e

Action n°2 : Immersion des enseignants
Objectif : former les professeurs de technologie
Modalités : une journée en entreprise
Échéance : Rentrée scolaire 2025 – 2026

Axe Orientation

Action n°3 : Forum des métiers
Objectif : informer les lycéens et leurs parents
"""


def test_the_action_plan_gives_each_action_with_its_parts():
    found = run(PLAN, NANTES, actions)
    plan = found.get("actions")
    assert [a["number"] for a in plan] == [1, 2, 3]
    first, second, third = plan
    assert first["title"] == "Visites d'ateliers"
    assert first["objective"] == "faire découvrir l'industrie aux collégiens"
    assert [(m["party"], m["text"]) for m in first["modalities"]] == [
        (0, "repérer les classes volontaires"),
        (1, "organiser les visites"),
    ]
    assert first["start"] == "1er trimestre 2025"
    assert "élèves de 3e" in first["audiences"]
    assert first["axis"] == "Découverte des métiers"
    assert second["start"] == "Rentrée scolaire 2025 – 2026"
    assert second["modalities"] == [{"party": None, "party_name": None, "text": "une journée en entreprise"}]
    assert third["start"] is None
    assert third["axis"] == "Orientation"
    assert "lycéens" in third["audiences"]


def test_no_action_plan_gives_an_empty_list():
    assert run("Article 1 – Objet\n\nLes actions seront définies plus tard.\n", NANTES, actions).get("actions") == []


# --- helpers -----------------------------------------------------------------------------------


@given(st.text())
def test_folding_keeps_offsets(text):
    assert len(fold(text)) == len(text)
    assert len(lower(text)) == len(text)


def test_plain_removes_markup():
    assert plain("<p>1 ^{er} **semestre**</p>  2011") == "1er semestre 2011"


# --- seeds (read at run time) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.exists():
        pytest.skip("seeds absent")
    from partenariats.reader import read_path

    return {path.name[:3]: read_path(path).as_contract() for path in sorted(SEEDS.glob("*.txt"))}


def test_seed_action_plan_has_its_seven_actions(seeds):
    plan = seeds["002"]["actions"]
    assert [a["number"] for a in plan] == list(range(1, 8))
    assert all(a["title"] and a["start"] for a in plan)
    assert all(seeds[key]["actions"] == [] for key in ("000", "001", "003", "004"))


def test_seed_clauses_and_rhythms(seeds):
    for key in ("001", "002", "003"):
        assert "confidentiel" in seeds[key]["confidentiality_clause"]
    assert seeds["000"]["confidentiality_clause"] is None
    assert all(seeds[key]["dispute_clause"] for key in seeds)
    assert all(seeds[key]["steering_committee"] for key in seeds)
    assert seeds["004"]["contact_exchange_month"] == 9
    assert all(seeds[key]["contact_exchange_month"] is None for key in ("000", "001", "002", "003"))


def test_seed_contacts_annex(seeds):
    people = seeds["002"]["contacts"]
    assert len(people) >= 4
    assert all(p["name"] and (p["email"] or p["phone"]) for p in people)
    assert all(seeds[key]["contacts"] == [] for key in ("000", "001", "003", "004"))
