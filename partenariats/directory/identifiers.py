"""French identifiers: UAI (schools) and SIRET (company establishments). No Django import."""

import re

# The 23 letters of the UAI check key: the alphabet without I, O and Q.
UAI_KEY_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI = re.compile(r"^(\d{7})([A-Z])$")
# SIREN of La Poste: its establishments' SIRETs follow a digit-sum rule instead of Luhn.
LA_POSTE_SIREN = "356000000"


def normalize_uai(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def uai_check_letter(digits: str) -> str:
    """The check letter of a UAI's first seven digits: their value modulo 23."""
    return UAI_KEY_LETTERS[int(digits) % 23]


def is_valid_uai(value: str) -> bool:
    match = _UAI.match(normalize_uai(value))
    return bool(match) and uai_check_letter(match.group(1)) == match.group(2)


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_valid_siret(value: str) -> bool:
    """14 digits passing Luhn; La Poste's SIRETs instead have a digit sum divisible by 5."""
    digits = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", digits):
        return False
    if digits.startswith(LA_POSTE_SIREN):
        return sum(int(d) for d in digits) % 5 == 0
    return luhn_ok(digits)
