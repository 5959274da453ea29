"""``partenariats timeline FILE [--on YYYY-MM-DD]``: the terms engine on a JSON file (``-``: stdin).

Prints the JSON of ``engine.compute`` on standard output (UTF-8, indented) and exits 0; on a
malformed file or option, says what is wrong in French on standard error and exits 2. Needs
no database and no Django settings.
"""

import json
import sys
from datetime import date

from partenariats.core.commands import EXIT_OK, FrenchParser, UsageError, fail, french_usage, write
from partenariats.terms.dates import parse_date
from partenariats.terms.engine import compute
from partenariats.terms.inputs import TermsInputError

PROG = "partenariats timeline"


def _parser() -> FrenchParser:
    parser = FrenchParser(
        prog=PROG, description="Statut, échéances et frise chronologique d'une convention à une date donnée."
    )
    parser.add_argument("file", metavar="FICHIER", help="fichier JSON de la convention, ou - pour l'entrée standard")
    parser.add_argument("--on", metavar="AAAA-MM-JJ", help="date d'évaluation (par défaut : aujourd'hui)")
    parser.add_help_option()
    return parser


def _fail(message: str) -> int:
    return fail(PROG, message)


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.buffer.read().decode("utf-8") if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        arguments = _parser().parse_args(argv)
    except UsageError as error:
        return _fail(f"{french_usage(str(error))}. Usage : partenariats timeline FICHIER [--on AAAA-MM-JJ]")

    on = date.today()
    if arguments.on is not None:
        parsed = parse_date(arguments.on, allow_month=False)
        if parsed is None:
            return _fail(f"--on : date impossible ou mal écrite « {arguments.on} » (attendu AAAA-MM-JJ)")
        on = parsed[0]

    try:
        text = _read(arguments.file)
    except FileNotFoundError:
        return _fail(f"fichier introuvable : {arguments.file}")
    except UnicodeDecodeError:
        return _fail(f"{arguments.file} n'est pas un texte UTF-8")
    except OSError as error:
        return _fail(f"lecture impossible de {arguments.file} ({error.strerror or error})")

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _fail(f"le contenu n'est pas du JSON valide (erreur ligne {error.lineno}, colonne {error.colno})")

    try:
        result = compute(data, on)
    except TermsInputError as error:
        return _fail(f"entrée invalide — {error}")

    write(sys.stdout, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
