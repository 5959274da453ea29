"""What the standalone commands (``partenariats read``, ``partenariats timeline``) share: French
usage errors, UTF-8 output and the exit status of a bad input. No Django import: they run with
no settings."""

import argparse
import sys
from typing import NoReturn

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


class UsageError(Exception):
    """argparse's complaint (in English), to be said in French by ``french_usage``."""


class FrenchParser(argparse.ArgumentParser):
    """argparse with its errors raised (to be reported in French) instead of printed in English."""

    def __init__(self, *, prog: str, description: str):
        super().__init__(prog=prog, description=description, add_help=False)
        self._positionals.title = "arguments"  # argparse has no public way to name its sections
        self._optionals.title = "options"

    def add_help_option(self) -> None:
        self.add_argument("-h", "--help", action="help", help="affiche cette aide")

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def french_usage(message: str) -> str:
    """argparse's English complaint, said in French."""
    if "required" in message:
        return "fichier manquant"
    if message.startswith("unrecognized arguments:"):
        return "argument(s) inconnu(s) :" + message.removeprefix("unrecognized arguments:")
    if "expected one argument" in message:
        option = message.split(":")[0].removeprefix("argument ").split("/")[-1]
        return f"{option} attend une valeur"
    return "arguments invalides"


def write(stream, text: str) -> None:
    """``text`` in UTF-8 whatever the terminal's encoding."""
    if hasattr(stream, "buffer"):
        stream.buffer.write(text.encode("utf-8"))
    else:  # a replaced stream (tests' capsys) takes text
        stream.write(text)
    stream.flush()


def fail(prog: str, message: str) -> int:
    """Say what is wrong on standard error; the exit status of a bad input."""
    write(sys.stderr, f"{prog} : erreur : {message}\n")
    return EXIT_INPUT_ERROR
