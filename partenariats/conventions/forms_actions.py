"""Forms of the actions on a convention: a signature, an amendment, a life event.

They validate and say in French what is wrong; the views show the consequences before recording.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from partenariats.conventions.forms import DateInput, TermsForm, months_field, optional_date
from partenariats.conventions.models import (
    AmendmentKind,
    Convention,
    DatePrecision,
    EventKind,
    NoticeForm,
    Party,
    Signatory,
)

NEW_SIGNATORY = "new"


def signatory_choice(signatory: Signatory) -> str:
    party = f" ({signatory.party})" if signatory.party else ""
    signed = f" — signé le {signatory.signed_on:%d/%m/%Y}" if signatory.signed_on else " — pas encore daté"
    return f"{signatory.name}{party}{signed}"


class SignatureForm(DsfrBaseForm):
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    signatory = forms.ChoiceField(label="Signataire")
    party = forms.ModelChoiceField(label="Partie du nouveau signataire", queryset=Party.objects.none(), required=False)
    name = forms.CharField(label="Nom du nouveau signataire (tel qu’imprimé)", required=False, max_length=200)
    title = forms.CharField(label="Qualité (telle qu’imprimée)", required=False, max_length=500)
    signed_on = forms.DateField(
        label="Signé le",
        widget=DateInput,
        error_messages={
            "required": "Indiquez la date de la signature.",
            "invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa).",
        },
    )
    date_precision = forms.ChoiceField(
        label="Précision de la date",
        choices=[(DatePrecision.DAY, "Jour"), (DatePrecision.MONTH, "Mois seulement")],
        initial=DatePrecision.DAY,
    )
    raw_date = forms.CharField(label="Date telle qu’écrite", required=False, max_length=100)
    place = forms.CharField(label="Lieu", required=False, max_length=150)

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.signatories = {s.pk: s for s in convention.signatories.select_related("party__organisation")}
        self.fields["signatory"].choices = [
            *((str(pk), signatory_choice(s)) for pk, s in self.signatories.items()),
            (NEW_SIGNATORY, "Un autre signataire (à ajouter)"),
        ]
        self.fields["party"].queryset = convention.parties.select_related("organisation")
        undated = [pk for pk, s in self.signatories.items() if not s.signed_on]
        self.initial.setdefault("signatory", str(undated[0]) if undated else NEW_SIGNATORY)
        self.initial.setdefault("expected_version", convention.version)

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("signatory")
        if choice == NEW_SIGNATORY:
            if not cleaned.get("name"):
                self.add_error("name", "Indiquez le nom du nouveau signataire tel qu’imprimé.")
            cleaned["signatory_object"] = None
        elif choice:
            cleaned["signatory_object"] = self.signatories.get(int(choice))
        signed_on = cleaned.get("signed_on")
        if signed_on and signed_on > timezone.localdate():
            self.add_error("signed_on", "Une signature ne peut pas être datée dans le futur.")
        elif signed_on and cleaned.get("date_precision") == DatePrecision.MONTH:
            cleaned["signed_on"] = signed_on.replace(day=1)
        return cleaned


class AmendmentForm(TermsForm):
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="Type d’avenant", choices=AmendmentKind.choices)
    title = forms.CharField(
        label="Objet", max_length=500, error_messages={"required": "Indiquez l’objet de l’avenant."}
    )
    summary = forms.CharField(
        label="Résumé des modifications", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signed_on = optional_date(
        "Signé le", "Si des signataires de l’avenant sont datés, c’est la date de la dernière de leurs signatures."
    )
    effective_on = optional_date("En vigueur le", "Les nouvelles conditions s’appliquent à partir de cette date.")

    FIELDSETS = [
        ("amendment", "L’avenant", "", ["kind", "title", "summary", "signed_on", "effective_on"]),
        (
            "terms",
            "Nouvelles conditions",
            "Seulement pour un avenant « Modification de la durée ou des conditions de fin » : "
            "modifiez ce qui change, laissez le reste.",
            list(TermsForm.TERM_FIELDS),
        ),
    ]

    def __init__(self, *args, convention: Convention, in_force: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.in_force = in_force
        for key in self.TERM_FIELDS:
            value = in_force.get(key)
            if key == "termination_date" and value:
                value = date.fromisoformat(value)
            self.initial.setdefault(key, value if value is not None else ("" if key == "termination_effect" else None))
        self.initial.setdefault("expected_version", convention.version)

    @property
    def fieldsets(self):
        return [
            {"id": key, "legend": legend, "hint": hint, "fields": [self[name] for name in names]}
            for key, legend, hint, names in self.FIELDSETS
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["terms_changes"] = {}
        if cleaned.get("kind") != AmendmentKind.TERMS:
            return cleaned
        self.clean_terms(cleaned)
        if self.errors:
            return cleaned
        changes = {key: value for key, value in self.terms_values().items() if value != self.in_force.get(key)}
        if not changes:
            raise ValidationError(
                "Aucune condition n’est modifiée : changez au moins une condition, "
                "ou choisissez un autre type d’avenant."
            )
        if not cleaned.get("effective_on"):
            self.add_error(
                "effective_on", "Indiquez la date d’entrée en vigueur : les nouvelles conditions partent d’elle."
            )
        cleaned["terms_changes"] = changes
        return cleaned


class AmendmentSignatoryForm(DsfrBaseForm):
    """One signature of an amendment: a party's signatory, or a co-signer named freely."""

    party = forms.ModelChoiceField(
        label="Partie",
        queryset=Party.objects.none(),
        required=False,
        empty_label="— Aucune (cosignataire qui n’est pas partie)",
        error_messages={"invalid_choice": "Cette partie n’est pas une partie de cette convention."},
    )
    name = forms.CharField(label="Nom tel qu’imprimé", required=False, max_length=200)
    title = forms.CharField(label="Qualité telle qu’imprimée", required=False, max_length=500)
    signed_on = optional_date("Signé le", "Vide si la date n’est pas connue.")
    date_precision = forms.ChoiceField(
        label="Précision de la date",
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text="« Mois seulement » : saisissez n’importe quel jour du mois.",
    )
    raw_date = forms.CharField(label="Date telle qu’écrite", required=False, max_length=100)
    place = forms.CharField(label="Lieu", required=False, max_length=150)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name"):
            self.add_error("name", "Indiquez le nom du signataire tel qu’imprimé.")
        signed_on, precision = cleaned.get("signed_on"), cleaned.get("date_precision")
        if signed_on and signed_on > timezone.localdate():
            self.add_error("signed_on", "Une signature ne peut pas être datée dans le futur.")
        elif signed_on and precision == DatePrecision.UNKNOWN:
            self.add_error(
                "signed_on",
                "Une date « Inconnue » ne se saisit pas : videz la date, ou choisissez « Jour » ou « Mois seulement ».",
            )
        elif signed_on and precision == DatePrecision.MONTH:
            cleaned["signed_on"] = signed_on.replace(day=1)
        return cleaned


class BaseAmendmentSignatoryFormSet(BaseFormSet):
    """One row per party of the convention, pre-filled with its representative; a row left as
    shown is not recorded. Every row is an "extra" one, so that untouched rows are skipped."""

    def __init__(self, *args, convention: Convention, **kwargs):
        parties = convention.parties.select_related("organisation", "representative")
        initial = [
            {
                "party": party.pk,
                "name": party.representative_name or (party.representative.full_name if party.representative else ""),
                "title": party.representative_title,
            }
            for party in parties
        ]
        super().__init__(*args, initial=initial, form_kwargs={"parties": parties}, prefix="signatories", **kwargs)
        self.extra = max(len(initial), 1)

    def initial_form_count(self) -> int:
        return 0

    def accepted(self) -> bool:
        """Valid, or not sent at all (a client that posts no signature rows records none)."""
        return not self.is_bound or self.is_valid()

    def signatories(self) -> list[dict]:
        """The filled rows, as ``services.record_amendment`` takes them."""
        if not self.is_bound:
            return []
        keys = ("party", "name", "title", "signed_on", "date_precision", "raw_date", "place")
        return [
            {key: form.cleaned_data.get(key) for key in keys}
            | {key: form.cleaned_data.get(key) or "" for key in ("title", "raw_date", "place")}
            for form in self.forms
            if form.has_changed() and getattr(form, "cleaned_data", None)
        ]


AmendmentSignatoryFormSet = formset_factory(
    AmendmentSignatoryForm, formset=BaseAmendmentSignatoryFormSet, extra=1, max_num=50, absolute_max=60
)


EVENT_DATE_LABELS = {
    EventKind.NOTICE_GIVEN: (
        "Date de réception",
        "La date de réception de la lettre (l’accusé de réception fait foi).",
    ),
    EventKind.RENEWED: ("Date du renouvellement", "La date de la décision ou de la signature du renouvellement."),
    EventKind.RENEGOTIATION_OPENED: ("Date d’ouverture de la renégociation", ""),
    EventKind.TERMINATED: (
        "Premier jour où la convention ne s’applique plus",
        "La convention s’applique jusqu’à la veille de cette date.",
    ),
}


class EventForm(DsfrBaseForm):
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(
        widget=DateInput,
        error_messages={
            "required": "Indiquez la date.",
            "invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa).",
        },
    )
    by_party = forms.ModelChoiceField(label="Partie qui dénonce", queryset=Party.objects.none(), required=False)
    form = forms.ChoiceField(label="Forme", choices=[("", "—"), *NoticeForm.choices], required=False)
    months = months_field(
        "Durée du renouvellement (mois)", minimum=1, help_text="Vide : la durée prévue par la convention."
    )
    note = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS_BY_KIND = {
        EventKind.NOTICE_GIVEN: ("date", "by_party", "form", "note"),
        EventKind.RENEWED: ("date", "months", "note"),
        EventKind.RENEGOTIATION_OPENED: ("date", "note"),
        EventKind.TERMINATED: ("date", "note"),
    }

    def __init__(self, *args, convention: Convention, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name != "expected_version" and name not in self.FIELDS_BY_KIND[kind]:
                del self.fields[name]
        label, help_text = EVENT_DATE_LABELS[kind]
        self.fields["date"].label, self.fields["date"].help_text = label, help_text
        if "by_party" in self.fields:
            self.fields["by_party"].queryset = convention.parties.select_related("organisation")
            self.fields["by_party"].required = True
            self.fields["by_party"].error_messages["required"] = "Indiquez la partie qui dénonce la convention."
            self.fields["form"].required = True
            self.fields["form"].error_messages["required"] = "Indiquez la forme du préavis."
        self.initial.setdefault("expected_version", convention.version)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if self.kind in (EventKind.NOTICE_GIVEN, EventKind.RENEGOTIATION_OPENED) and day > timezone.localdate():
            raise ValidationError(
                "Cette date ne peut pas être dans le futur : enregistrez l’événement quand il a lieu."
            )
        return day

    def details(self) -> dict:
        """The event's details for ``services.record_event``."""
        cleaned = self.cleaned_data
        details = {"note": cleaned.get("note", "")}
        if self.kind == EventKind.NOTICE_GIVEN:
            details |= {"by_party": cleaned["by_party"], "form": cleaned["form"]}
        if self.kind == EventKind.RENEWED:
            details["months"] = cleaned.get("months")
        return details
