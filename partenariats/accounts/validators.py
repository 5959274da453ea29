import string

from django.core.exceptions import ValidationError

CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


class CnilPasswordValidator:
    """CNIL guidance (deliberation 2022-100): 12 characters of four kinds, or a 14-character passphrase."""

    def validate(self, password: str, user=None) -> None:
        if len(password) >= 14:
            return
        kinds = sum(any(c in chars for c in password) for chars in CLASSES)
        kinds += any(not c.isalnum() for c in password)
        if len(password) < 12 or kinds < 4:
            raise ValidationError(
                "Le mot de passe doit compter au moins 12 caractères mêlant majuscules, minuscules, "
                "chiffres et caractères spéciaux, ou bien être une phrase de passe d’au moins 14 caractères.",
                code="password_too_weak",
            )

    def get_help_text(self) -> str:
        return (
            "Au moins 12 caractères avec des majuscules, des minuscules, des chiffres et des caractères "
            "spéciaux, ou une phrase de passe d’au moins 14 caractères."
        )
