"""``partenariats read FICHIER [--json]``: the reader on a file (``-``: standard input), no database.

Without ``--json``, prints a French summary of what was read (``summary.summarise``); with it,
the contract (``Reading.as_contract()``) as indented UTF-8 JSON, which ``partenariats
timeline -`` accepts. Exit 0; on a file that cannot be read or a bad option, a French message
on standard error and exit 2. Needs no Django settings.
"""

import argparse
import json
import sys
from typing import NoReturn

from partenariats.reader.errors import ReaderError
from partenariats.reader.pipeline import read_bytes, read_path
from partenariats.reader.summary import summarise

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse with its errors raised (to be reported in French) instead of printed in English."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="partenariats read",
        description="Lit une convention (PDF, DOCX, TXT, MD, PNG, JPEG ou TIFF) et en extrait les informations.",
        add_help=False,
    )
    parser.add_argument("file", metavar="FICHIER", help="fichier de la convention, ou - pour l'entrée standard")
    parser.add_argument("--json", action="store_true", help="sortie JSON complète (le contrat du lecteur)")
    parser.add_argument("-h", "--help", action="help", help="affiche cette aide")
    parser._positionals.title = "arguments"  # argparse has no public way to name its sections
    parser._optionals.title = "options"
    return parser


def _french_usage(message: str) -> str:
    """argparse's English complaint, said in French."""
    if "required" in message:
        return "fichier manquant"
    if message.startswith("unrecognized arguments:"):
        return "argument(s) inconnu(s) :" + message.removeprefix("unrecognized arguments:")
    return "arguments invalides"


def _write(stream, text: str) -> None:
    if hasattr(stream, "buffer"):
        stream.buffer.write(text.encode("utf-8"))
    else:  # a replaced stream (tests' capsys) takes text
        stream.write(text)
    stream.flush()


def _fail(message: str) -> int:
    _write(sys.stderr, f"partenariats read : erreur : {message}\n")
    return EXIT_INPUT_ERROR


def _stdin_bytes() -> bytes:
    if hasattr(sys.stdin, "buffer"):
        return sys.stdin.buffer.read()
    return sys.stdin.read().encode("utf-8")  # a replaced stream holding text


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        arguments = _parser().parse_args(argv)
    except _UsageError as error:
        return _fail(f"{_french_usage(str(error))}. Usage : partenariats read FICHIER [--json]")

    try:
        reading = read_bytes(_stdin_bytes(), None) if arguments.file == "-" else read_path(arguments.file)
    except ReaderError as error:
        return _fail(str(error))
    except OSError as error:  # what read_path does not name itself (a device, a broken pipe…)
        return _fail(f"lecture impossible de {arguments.file} ({error.strerror or error})")

    contract = reading.as_contract()
    if arguments.json:
        _write(sys.stdout, json.dumps(contract, ensure_ascii=False, indent=2) + "\n")
    else:
        _write(sys.stdout, summarise(contract))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
