"""``partenariats read FICHIER [--json]``: the reader on a file (``-``: standard input), no database.

Without ``--json``, prints a French summary of what was read (``summary.summarise``); with it,
the contract (``Reading.as_contract()``) as indented UTF-8 JSON, which ``partenariats
timeline -`` accepts. Exit 0; on a file that cannot be read or a bad option, a French message
on standard error and exit 2. Needs no Django settings.
"""

import json
import sys

from partenariats.core.commands import EXIT_OK, FrenchParser, UsageError, fail, french_usage, write
from partenariats.reader.errors import ReaderError
from partenariats.reader.pipeline import read_bytes, read_path
from partenariats.reader.summary import summarise

PROG = "partenariats read"


def _parser() -> FrenchParser:
    parser = FrenchParser(
        prog=PROG,
        description="Lit une convention (PDF, DOCX, TXT, MD, PNG, JPEG ou TIFF) et en extrait les informations.",
    )
    parser.add_argument("file", metavar="FICHIER", help="fichier de la convention, ou - pour l'entrée standard")
    parser.add_argument("--json", action="store_true", help="sortie JSON complète (le contrat du lecteur)")
    parser.add_help_option()
    return parser


def _stdin_bytes() -> bytes:
    if hasattr(sys.stdin, "buffer"):
        return sys.stdin.buffer.read()
    return sys.stdin.read().encode("utf-8")  # a replaced stream holding text


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        arguments = _parser().parse_args(argv)
    except UsageError as error:
        return fail(PROG, f"{french_usage(str(error))}. Usage : partenariats read FICHIER [--json]")

    try:
        reading = read_bytes(_stdin_bytes(), None) if arguments.file == "-" else read_path(arguments.file)
    except ReaderError as error:
        return fail(PROG, str(error))
    except OSError as error:  # what read_path does not name itself (a device, a broken pipe…)
        return fail(PROG, f"lecture impossible de {arguments.file} ({error.strerror or error})")

    contract = reading.as_contract()
    if arguments.json:
        write(sys.stdout, json.dumps(contract, ensure_ascii=False, indent=2) + "\n")
    else:
        write(sys.stdout, summarise(contract))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
