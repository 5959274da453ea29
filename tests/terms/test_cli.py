"""``partenariats timeline``: JSON on stdout and exit 0, or a French error and exit 2."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partenariats.terms import OUTPUT_KEYS
from partenariats.terms.cli import main

VENV_BIN = Path(sys.executable).parent
DATA = {
    "signature_date": "2021-03-18",
    "terms": {"duration_months": 24, "tacit_renewal": True, "renewal_months": 24},
    "parties": [{"name": "Région académique Occitanie", "kind": "education"}],
}


@pytest.fixture
def convention_file(tmp_path):
    path = tmp_path / "convention.json"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    return path


def test_it_prints_the_json_contract(convention_file, capsys):
    assert main([str(convention_file), "--on", "2025-06-01"]) == 0

    result = json.loads(capsys.readouterr().out)
    assert tuple(result) == OUTPUT_KEYS
    assert (result["status"], result["period_start"], result["period_end"]) == ("active", "2025-03-18", "2027-03-17")


def test_it_reads_standard_input_for_a_dash(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(DATA).encode("utf-8"))))

    assert main(["-", "--on", "2025-06-01"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "active"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{pas du json", "n'est pas du JSON valide"),
        ('{"title": "sans clauses"}', "terms : clé obligatoire absente"),
        ('{"terms": {}, "signature_date": "2021-02-30"}', "date impossible"),
        ('{"terms": {"duration_months": -24}}', "ne peut pas être négative"),
        ('{"terms": {"notice_months": "trois"}}', "nombre entier"),
        ("[1, 2]", "objet JSON"),
    ],
)
def test_it_exits_2_with_a_french_message_on_malformed_input(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")

    assert main([str(path), "--on", "2025-06-01"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert captured.err.startswith("partenariats timeline : erreur")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--on", "2025-06-01"], "fichier manquant"),
        (["convention.json", "--on", "2025-02-30"], "--on : date impossible"),
        (["convention.json", "--on", "2025-06"], "--on : date impossible"),
        (["absent.json"], "fichier introuvable"),
    ],
)
def test_it_exits_2_on_bad_arguments(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "convention.json").write_text(json.dumps(DATA), encoding="utf-8")

    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_it_defaults_on_to_today(convention_file, capsys):
    assert main([str(convention_file)]) == 0
    assert json.loads(capsys.readouterr().out)["status"] in ("active", "expired")


def test_it_imports_no_django():
    code = (
        "import sys, partenariats.cli, partenariats.terms, partenariats.terms.cli; "
        "sys.exit(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_it_runs_as_a_console_script_anywhere_with_an_empty_environment(tmp_path, convention_file):
    command = [str(VENV_BIN / "partenariats"), "timeline", str(convention_file), "--on", "2025-06-01"]

    done = subprocess.run(command, cwd=tmp_path, env={"PATH": os.defpath}, capture_output=True, check=False)

    assert done.returncode == 0, done.stderr.decode("utf-8")
    result = json.loads(done.stdout.decode("utf-8"))
    assert result["period_end"] == "2027-03-17"
    assert "Comité de pilotage" in done.stdout.decode("utf-8")  # UTF-8, not \\u escapes


def test_it_reads_stdin_and_fails_in_french_as_a_console_script(tmp_path):
    command = [str(VENV_BIN / "partenariats"), "timeline", "-", "--on", "2025-06-01"]

    good = subprocess.run(
        command,
        cwd=tmp_path,
        env={"PATH": os.defpath},
        input=json.dumps(DATA).encode(),
        capture_output=True,
        check=False,
    )
    bad = subprocess.run(
        command, cwd=tmp_path, env={"PATH": os.defpath}, input=b'{"terms": 3}', capture_output=True, check=False
    )

    assert good.returncode == 0
    assert json.loads(good.stdout)["status"] == "active"
    assert bad.returncode == 2
    assert "terms : un objet JSON" in bad.stderr.decode("utf-8")
