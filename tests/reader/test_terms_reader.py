"""The term clauses and the number of originals: what the timeline and the reviewer rely on."""

import json
from pathlib import Path

import pytest

from partenariats.reader.fields import originals, terms
from partenariats.reader.model import Document, Findings, Page, Source, Text
from partenariats.reader.structure import parse

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


def read_terms(text: str) -> Findings:
    document = Document(Source("text", (Page(1, text),)), Text(text), parse(Text(text)))
    found = Findings(document.text)
    terms.read(document, found)
    originals.read(document, found)
    return found


def term(found: Findings, key: str):
    return found.get(f"terms.{key}")


def test_one_year_renewed_tacitly_for_the_same_length():
    found = read_terms(
        "Article 6 – Durée\n"
        "La présente convention est conclue pour une durée d'un an à compter de sa signature, "
        "renouvelable par tacite reconduction.\n"
    )
    assert term(found, "duration_months") == 12
    assert term(found, "start") == "signature"
    assert term(found, "tacit_renewal") is True
    assert term(found, "renewal_months") == 12
    assert found.evidence["terms.renewal_months"].flag == "déduit de la durée initiale"
    assert found.evidence["terms.duration_months"].start < found.evidence["terms.duration_months"].end


def test_renewal_length_stated_apart():
    found = read_terms(
        "L'accord est conclu pour trois ans. Il est ensuite reconduit tacitement par périodes successives d'un an."
    )
    assert term(found, "duration_months") == 36
    assert term(found, "tacit_renewal") is True
    assert term(found, "renewal_months") == 12


def test_indefinite_term():
    found = read_terms("La présente convention est conclue pour une durée indéterminée.")
    assert term(found, "indefinite") is True
    assert term(found, "duration_months") is None


def test_start_before_signature_is_kept_as_a_date():
    found = read_terms(
        "La présente convention prend effet à compter du 1er septembre 2022. "
        "Elle est conclue pour une durée de vingt-quatre mois."
    )
    assert term(found, "start") == "2022-09-01"
    assert term(found, "duration_months") == 24


@pytest.mark.parametrize(
    "decoy",
    [
        "Les élèves de troisième effectuent un stage d'une durée de cinq jours.",
        "Les enseignants suivent une immersion d'un à cinq jours en entreprise.",
        "Chaque réunion du comité a une durée de deux heures.",
        "Les apprentis sont accueillis pour une période de formation d'une durée de deux mois.",
        "Le mandat des membres du comité de pilotage est d'une durée de trois ans.",
    ],
)
def test_durations_of_other_things_are_not_the_term(decoy):
    found = read_terms(f"Article 2 – Actions\n{decoy}\n")
    assert term(found, "duration_months") is None
    assert term(found, "start") is None


def test_renewal_only_by_amendment_excludes_tacit_renewal():
    found = read_terms(
        "La convention est conclue pour cinq ans. Elle ne peut être renouvelée que par avenant signé des parties."
    )
    assert term(found, "tacit_renewal") is False
    assert term(found, "renewal_months") is None


def test_no_tacit_renewal_said_plainly():
    found = read_terms("L'accord est conclu pour deux ans. Il n'y a pas de tacite reconduction.")
    assert term(found, "tacit_renewal") is False


def test_silence_leaves_every_term_empty():
    found = read_terms("Article 1 – Objet\nLes parties organisent des visites d'entreprises pour les collégiens.\n")
    assert found.values.get("terms", {}) == {} or all(value is None for value in found.values["terms"].values())
    assert found.get("originals") is None


def test_provisional_extension_during_renegotiation():
    found = read_terms(
        "La présente convention est conclue pour deux ans. Ses dispositions demeurent applicables pendant la "
        "renégociation de son renouvellement, dans la limite de six mois."
    )
    assert term(found, "provisional_extension_months") == 6


def test_notice_registered_letter_and_end_of_notice():
    found = read_terms(
        "Chaque partie peut résilier la convention par lettre recommandée avec accusé de réception, "
        "moyennant un préavis de deux mois. La résiliation prend effet à l'issue du préavis."
    )
    assert term(found, "notice_months") == 2
    assert term(found, "notice_by_registered_letter") is True
    assert term(found, "termination_effect") == "end_of_notice"


def test_notice_in_days():
    found = read_terms("La convention peut être dénoncée par courrier recommandé avec un préavis de 30 jours.")
    assert term(found, "notice_months") == 1
    found = read_terms("La convention peut être dénoncée avec un préavis de quinze jours.")
    assert term(found, "notice_months") is None
    assert "terms.notice_months" in found.candidates


def test_notice_of_a_visit_cancellation_is_not_the_convention_notice():
    found = read_terms("Toute annulation de visite par un établissement respecte un préavis de trente jours.")
    assert term(found, "notice_months") is None


def test_termination_at_the_anniversary_and_at_the_next_school_year():
    found = read_terms(
        "La convention peut être dénoncée au moins trois mois avant la date anniversaire ; "
        "la résiliation prend alors effet à la date anniversaire."
    )
    assert term(found, "notice_months") == 3
    assert term(found, "termination_effect") == "end_of_period"
    found = read_terms("La résiliation de la convention prend effet à la rentrée scolaire suivante.")
    assert term(found, "termination_effect") == "next_school_year_start"


def test_fixed_end_date():
    found = read_terms("La présente convention prend fin le 31 août 2025.")
    assert term(found, "termination_effect") == "fixed_date"
    assert term(found, "termination_date") == "2025-08-31"


def test_conflicting_durations_are_left_empty_with_candidates():
    found = read_terms(
        "Article 5 – Durée\nLa présente convention est conclue pour une durée de trois ans.\n\n"
        "Article 9 – Dispositions finales\nLa présente convention est conclue pour une durée de cinq ans.\n"
    )
    assert term(found, "duration_months") is None
    assert {candidate.value for candidate in found.candidates["terms.duration_months"]} == {36, 60}


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Fait à Lille, le 2 mai 2023, en deux exemplaires originaux.", 2),
        ("Fait à Nantes, en 4 exemplaires.", 4),
        ("Convention établie en trois exemplaires.", 3),
        ("Fait en double exemplaire à Rennes.", 2),
        ("Le guide est imprimé en 500 exemplaires et diffusé aux collèges.", None),
        ("Fait à Brest, le 3 mars 2021.", None),
    ],
)
def test_originals(sentence, count):
    assert read_terms(sentence).get("originals") == count


# ------------------------------------------------------------------ the seeds


def _seeds():
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.parametrize("path", _seeds(), ids=lambda path: path.stem[:3])
def test_seed_terms_and_originals_match_truth(path):
    from partenariats.reader import read_path

    truth = json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text())
    contract = read_path(path).as_contract()
    assert contract["originals"] == truth["originals"]
    for key, value in truth["terms"].items():
        assert contract["terms"][key] == value, key


# ---------------------------------------------------------------- rules added on held-out conventions 09–14


def test_tacit_renewal_denied_with_the_negation_inside_the_verb():
    found = read_terms(
        "Article 4 – Durée\nLa présente convention prend effet à sa signature pour deux ans. "
        "Elle ne se reconduit pas tacitement.\n"
    )
    assert term(found, "tacit_renewal") is False
    found = read_terms("La convention est conclue pour un an. Elle n'est pas renouvelable tacitement.")
    assert term(found, "tacit_renewal") is False


def test_termination_at_the_school_year_start_following_the_notice():
    found = read_terms(
        "Chacune des parties peut dénoncer la convention moyennant un préavis de deux mois. "
        "La dénonciation prend effet à la rentrée scolaire suivant la fin du préavis.\n"
    )
    assert term(found, "termination_effect") == "next_school_year_start"


def test_visas_citing_another_agreement_say_nothing_of_this_term():
    found = read_terms(
        "Vu le protocole conclu le 3 mai 2021 entre l'État et la Région pour une durée de quatre ans ;\n"
        "Vu la délibération du conseil d'administration du 12 janvier 2022 ;\n\n"
        "Article 1 – Objet\nLes parties coopèrent.\n\n"
        "La présente convention est conclue pour une durée de deux ans à compter de sa signature.\n"
    )
    assert term(found, "duration_months") == 24
    assert "terms.duration_months" not in found.candidates


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("Chaque partie peut y mettre fin par lettre au moins deux mois avant cette échéance.", 2),
        ("Chaque partie peut la dénoncer quatre mois au moins avant sa date d'échéance.", 4),
        ("Chaque partie peut s'opposer à son renouvellement au moins soixante jours avant le terme.", 2),
    ],
)
def test_a_notice_worded_as_a_deadline_before_the_anniversary(sentence, months):
    found = read_terms("La convention est conclue pour trois ans, reconduite tacitement d'année en année. " + sentence)
    assert term(found, "notice_months") == months
    assert term(found, "termination_effect") == "end_of_period"


def test_the_deadline_of_an_express_renewal_is_neither_a_notice_nor_the_termination_effect():
    found = read_terms(
        "La présente convention est conclue pour une période de deux ans. Elle est renouvelable une fois par "
        "reconduction expresse, par échange de lettres signées trois semaines au moins avant l'échéance. "
        "Chaque partie peut résilier la convention moyennant un préavis de 30 jours ; la résiliation prend effet "
        "à l'expiration de ce préavis."
    )
    assert term(found, "tacit_renewal") is False
    assert term(found, "notice_months") == 1
    assert term(found, "termination_effect") == "end_of_notice"
    assert "terms.termination_effect" not in found.candidates
