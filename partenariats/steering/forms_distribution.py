"""The form of a distribution: relay to the networks, other addresses, the coordinator's message.
It validates, nothing more."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from dsfr.forms import DsfrBaseForm

from partenariats.steering.distribution import MAX_EXTRA_ADDRESSES

MAX_MESSAGE = 5000


def parse_addresses(text: str) -> list[str]:
    """One address a line (blank lines ignored), each a valid address on its own; the errors
    name the lines. Returned lower-cased, without repeats, in the order typed."""
    addresses: list[str] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.strip()
        if not address:
            continue
        shown = address if len(address) <= 60 else address[:59] + "…"
        try:
            if len(address) > 254 or any(char.isspace() or char in ",;<>" for char in address):
                raise ValidationError("invalid")
            validate_email(address)
        except ValidationError:
            errors.append(f"Ligne {number} : « {shown} » n’est pas une adresse électronique valide.")
            continue
        if address.lower() not in addresses:
            addresses.append(address.lower())
    if errors:
        raise ValidationError(errors)
    if len(addresses) > MAX_EXTRA_ADDRESSES:
        raise ValidationError(
            f"{len(addresses)} adresses saisies : {MAX_EXTRA_ADDRESSES} au plus par envoi. "
            "Pour un réseau plus large, cochez le relais aux réseaux des parties."
        )
    return addresses


class DistributeForm(DsfrBaseForm):
    relay = forms.BooleanField(
        label="Relayer aux réseaux des parties",
        required=False,
        help_text=(
            "Les adhérents des fédérations, chambres et organisations professionnelles parties à la convention "
            "reçoivent la version publique."
        ),
    )
    extra_addresses = forms.CharField(
        label="Autres destinataires",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une adresse électronique par ligne ; ils reçoivent la version publique.",
    )
    message = forms.CharField(
        label="Votre message",
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Il figure dans le courriel, avant le lien vers le document.",
        error_messages={"max_length": f"Le message compte au plus {MAX_MESSAGE} caractères."},
    )

    def __init__(self, *args, beyond_committee: bool, networks: bool = True, **kwargs):
        """``beyond_committee``: other addresses may be typed (not for a draft review);
        ``networks``: the relay to the parties' networks is offered (an approved review)."""
        super().__init__(*args, **kwargs)
        if not (beyond_committee and networks):
            del self.fields["relay"]
        if not beyond_committee:
            del self.fields["extra_addresses"]

    def clean_extra_addresses(self) -> list[str]:
        return parse_addresses(self.cleaned_data.get("extra_addresses", ""))
