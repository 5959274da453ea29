"""``partenariats read``: a French summary or the JSON contract on stdout, or a French error and exit 2."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partenariats.reader.cli import main
from partenariats.reader.summary import french_date, french_months, path_label, summarise, term_lines

VENV_BIN = Path(sys.executable).parent
SAMPLES = Path(__file__).parent / "samples"
SAMPLE = SAMPLES / "05_departement_romain.txt"
CONTRACT_KEYS = ("title", "parties", "signature_place", "signature_date", "signatures", "originals", "terms")

# A contract as the reader gives it, written by hand (the summary must not depend on the field readers).
CONTRACT = {
    "title": "Convention de partenariat entre l'académie d'Orléans-Tours et la CPME du Loiret",
    "parties": [
        {
            "name": "Académie d'Orléans-Tours",
            "kind": "education",
            "representative": "Odile Marchand",
            "representative_title": "Rectrice de l'académie d'Orléans-Tours",
        },
        {"name": "CPME du Loiret", "kind": "employer_org", "representative": None, "siret": "12345678900017"},
    ],
    "signature_place": "Orléans",
    "signature_date": "2019-05",
    "signatures": [
        {"name": "Odile Marchand", "date": "2019-04-02", "precision": "day", "party": 0},
        {"name": "Luc Ferrand", "date": "2019-05", "precision": "month", "raw": "mai 2019", "party": 1},
        {"name": "Jean Dutertre", "date": None, "raw": "12 Jaillet 2019", "party": None, "title": "Recteur"},
    ],
    "originals": None,
    "terms": {
        "start": "signature",
        "duration_months": 60,
        "tacit_renewal": None,
        "notice_months": 3,
        "notice_by_registered_letter": True,
        "termination_effect": "end_of_notice",
    },
    "parent": None,
    "articles": ["Préambule", "Article 1 – Objet"],
    "commitments": [{"text": "…"}, {"text": "…"}],
    "candidates": {
        "parties.1.representative": [{"value": "Luc Ferrand", "reason": "nom lu seulement dans les signatures"}],
        "terms.tacit_renewal": [{"value": None, "reason": "reconduction non précisée"}],
    },
    "warnings": ["Certaines dates de signature sont illisibles."],
    "source": {"kind": "pdf", "pages": 6, "ocr_pages": 2},
}


def test_the_summary_says_each_part_of_the_reading_in_french():
    text = summarise(CONTRACT)

    assert text.startswith("Titre : Convention de partenariat entre l'académie d'Orléans-Tours")
    assert "Source : pdf, 6 pages (dont 2 lues par reconnaissance de caractères)" in text
    assert "1. Académie d'Orléans-Tours (éducation) — représentant : Odile Marchand, Rectrice" in text
    assert "2. CPME du Loiret (organisation patronale) — SIRET 12345678900017" in text
    assert "- Odile Marchand (pour Académie d'Orléans-Tours) : 2 avril 2019" in text
    assert "- Luc Ferrand (pour CPME du Loiret) : mai 2019 (écrit « mai 2019 »)" in text
    assert "- Jean Dutertre, Recteur (cosignataire, pas une partie) : date illisible « 12 Jaillet 2019 »" in text
    assert "Date de signature : mai 2019" in text
    assert "Exemplaires originaux : non précisé" in text
    assert "Durée : 5 ans à compter de la signature" in text
    assert "Reconduction tacite : non précisée" in text
    assert "Préavis : 3 mois, par lettre recommandée" in text
    assert "Effet de la résiliation : à la fin du préavis" in text
    assert "Contenu : 2 engagements, 0 contact, 0 action du plan" in text
    doubts = text.split("À vérifier :")[1]
    assert (
        "Partie 2 — représentant : nom lu seulement dans les signatures — valeur possible : « Luc Ferrand »" in doubts
    )
    assert "Reconduction tacite : reconduction non précisée" in doubts
    assert "Certaines dates de signature sont illisibles." in doubts


def test_the_summary_of_an_empty_reading_guesses_nothing():
    text = summarise({})

    assert "Titre : non trouvé" in text
    assert "Parties : aucune trouvée" in text
    assert "Durée : non précisée" in text
    assert "Préavis : non précisé" in text
    assert "Date de signature : non précisée" in text


@pytest.mark.parametrize(
    ("terms", "line"),
    [
        ({"indefinite": True, "start": "signature"}, "Durée : indéterminée à compter de la signature"),
        ({"duration_months": 36, "start": "2023-09-01"}, "Durée : 3 ans à compter du 1er septembre 2023"),
        ({"duration_months": 18}, "Durée : 18 mois"),
        ({"tacit_renewal": True, "renewal_months": 12}, "Reconduction tacite : oui, par périodes de 1 an"),
        ({"tacit_renewal": False}, "Reconduction tacite : non (renouvellement par avenant ou nouvelle convention)"),
        ({"provisional_extension_months": 6}, "Prolongation pendant la renégociation : 6 mois au plus"),
        ({"notice_months": 2}, "Préavis : 2 mois"),
        ({"termination_effect": "next_school_year_start"}, "Effet de la résiliation : à la rentrée scolaire suivante"),
        (
            {"termination_effect": "fixed_date", "termination_date": "2026-08-31"},
            "Effet de la résiliation : le 31 août 2026",
        ),
    ],
)
def test_each_term_is_one_french_sentence(terms, line):
    assert line in term_lines(terms)


def test_dates_months_and_paths_in_words():
    assert french_date("2021-03-18") == "18 mars 2021"
    assert french_date("2018-05") == "mai 2018"
    assert french_months(12) == "1 an"
    assert french_months(60) == "5 ans"
    assert french_months(6) == "6 mois"
    assert path_label("signatures.0.date") == "Signataire 1 — date"
    assert path_label("terms.notice_months") == "Préavis"


def test_it_prints_the_summary_of_a_file(capsys):
    assert main([str(SAMPLE)]) == 0

    out = capsys.readouterr().out
    assert out.startswith("Titre :")
    for heading in ("Parties", "Signataires", "Durée :", "Reconduction tacite :", "Préavis :", "À vérifier"):
        assert heading in out


def test_it_prints_the_json_contract(capsys):
    assert main([str(SAMPLE), "--json"]) == 0

    contract = json.loads(capsys.readouterr().out)
    assert tuple(contract)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert "Département de la Creuse" in contract["text"]
    assert {"evidence", "candidates", "warnings", "source"} <= set(contract)


def test_it_reads_standard_input_bytes_for_a_dash(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SAMPLE.read_bytes())))

    assert main(["-", "--json"]) == 0
    assert "Département de la Creuse" in json.loads(capsys.readouterr().out)["text"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "fichier manquant"),
        (["absent.txt"], "Fichier introuvable"),
        (["."], "est un dossier"),
        (["empty.txt"], "vide"),
        (["convention.txt", "--pdf"], "argument(s) inconnu(s) : --pdf"),
    ],
)
def test_it_exits_2_with_a_french_message(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "convention.txt").write_bytes(SAMPLE.read_bytes())

    assert main(argv) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("partenariats read : erreur : ")
    assert message in captured.err


def test_it_imports_no_django():
    code = (
        "import sys, partenariats.cli, partenariats.reader.cli; "
        "sys.exit(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_its_json_feeds_the_timeline_through_a_pipe_with_an_empty_environment(tmp_path):
    environment = {"PATH": os.defpath}
    read = subprocess.run(
        [str(VENV_BIN / "partenariats"), "read", str(SAMPLE), "--json"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        check=False,
    )
    assert read.returncode == 0, read.stderr.decode("utf-8")
    assert "Département" in read.stdout.decode("utf-8")  # UTF-8, not \\u escapes

    timeline = subprocess.run(
        [str(VENV_BIN / "partenariats"), "timeline", "-", "--on", "2026-11-22"],
        cwd=tmp_path,
        env=environment,
        input=read.stdout,
        capture_output=True,
        check=False,
    )
    assert timeline.returncode == 0, timeline.stderr.decode("utf-8")
    assert "status" in json.loads(timeline.stdout)


def test_a_console_script_error_is_french_on_stderr_with_exit_2(tmp_path):
    done = subprocess.run(
        [str(VENV_BIN / "partenariats"), "read", "-"],
        cwd=tmp_path,
        env={"PATH": os.defpath},
        input=b"",
        capture_output=True,
        check=False,
    )

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode("utf-8").startswith("partenariats read : erreur : ")
