from django.core.exceptions import ValidationError

from partenariats.directory.identifiers import is_valid_siret, is_valid_uai


def validate_uai(value: str) -> None:
    if not is_valid_uai(value):
        raise ValidationError(
            "Le code UAI « %(value)s » n’est pas valide : 7 chiffres suivis de la bonne lettre de contrôle.",
            code="invalid_uai",
            params={"value": value},
        )


def validate_siret(value: str) -> None:
    if not is_valid_siret(value):
        raise ValidationError(
            "Le SIRET « %(value)s » n’est pas valide : 14 chiffres dont la clé de contrôle est exacte.",
            code="invalid_siret",
            params={"value": value},
        )
