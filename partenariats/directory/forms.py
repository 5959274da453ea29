from django import forms
from django.db.models import Q
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from partenariats.core.access import scope_of
from partenariats.directory.identifiers import normalize_siret, normalize_uai
from partenariats.directory.models import (
    KIND_SPECIFIC_FIELDS,
    Membership,
    Note,
    Organisation,
    Person,
    PersonRole,
)
from partenariats.territories.models import Academy, Basin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FilterForm(DsfrBaseForm):
    """The form of the directory's filters (django-filter), drawn with the DSFR."""


class SearchForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher une organisation", required=False, help_text="Nom, sigle, UAI ou SIRET")


class BasinChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.academy.name})"


# (id, legend, hint, fields): the common groups, then one per kind.
ORGANISATION_FIELDSETS = [
    ("identity", "Identité", "", ["kind", "name", "acronym", "academy", "basin"]),
    (
        "contact",
        "Adresse et coordonnées",
        "",
        ["address", "address_extra", "postal_code", "city", "department_code", "website", "email", "phone"],
    ),
    ("service", "Service académique", "Seulement pour un service académique.", ["service_type"]),
    (
        "school",
        "Établissement scolaire",
        "Seulement pour un établissement scolaire.",
        ["uai", "school_type", "sector", "priority_education", "pupil_count"],
    ),
    (
        "employer",
        "Entreprise et autres employeurs",
        "Pour une entreprise, une fédération, une chambre, une association ou un organisme public.",
        ["siret", "naf_code", "size"],
    ),
]


class OrganisationForm(DsfrBaseForm, forms.ModelForm):
    """One form for every kind; the fields of the other kinds are emptied when saved."""

    basin = BasinChoiceField(label="Bassin de formation", queryset=Basin.objects.none(), required=False)
    website = forms.URLField(label="Site web", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [name for _, _, _, names in ORGANISATION_FIELDSETS for name in names]
        help_texts = {
            "uai": "7 chiffres et la lettre de contrôle, par exemple 0130001F.",
            "siret": "14 chiffres, espaces permis.",
            "department_code": "Par exemple 13, 2A ou 974.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope_of(user)
        scope = self.scope
        academies = Academy.objects.all()
        basins = Basin.objects.select_related("academy")
        if not scope.is_platform_admin:
            basin_academies = Basin.objects.filter(pk__in=scope.basin_ids).values("academy")
            academies = academies.filter(
                Q(pk__in=scope.writable_academy_ids) | Q(pk__in=basin_academies) | Q(pk=self.instance.academy_id)
            )
            basins = basins.filter(
                Q(academy__in=scope.writable_academy_ids) | Q(pk__in=scope.basin_ids) | Q(pk=self.instance.basin_id)
            )
        self.fields["academy"].queryset = academies
        self.fields["basin"].queryset = basins
        if not self.instance.pk and len(scope.writable_academy_ids) == 1:
            self.initial.setdefault("academy", next(iter(scope.writable_academy_ids)))

    @property
    def fieldsets(self):
        return [
            {"id": key, "legend": legend, "hint": hint, "fields": [self[name] for name in names]}
            for key, legend, hint, names in ORGANISATION_FIELDSETS
        ]

    def clean_uai(self):
        uai = normalize_uai(self.cleaned_data["uai"])
        twin = Organisation.objects.filter(uai=uai).exclude(pk=self.instance.pk).first() if uai else None
        if twin:
            raise forms.ValidationError(f"Le code UAI {uai} est déjà celui de « {twin} ».", code="duplicate_uai")
        return uai

    def clean_siret(self):
        siret = normalize_siret(self.cleaned_data["siret"])
        twin = Organisation.objects.filter(siret=siret).exclude(pk=self.instance.pk).first() if siret else None
        if twin:
            raise forms.ValidationError(f"Le SIRET {siret} est déjà celui de « {twin} ».", code="duplicate_siret")
        return siret

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            # What was typed in another kind's fields is dropped, mistakes included.
            for name, kinds in KIND_SPECIFIC_FIELDS.items():
                if name in self.fields and kind not in kinds:
                    self._errors.pop(name, None)
                    cleaned[name] = None if name == "pupil_count" else ""
        academy, basin = cleaned.get("academy"), cleaned.get("basin")
        if basin and academy and basin.academy_id != academy.pk:
            self.add_error("basin", "Ce bassin n’appartient pas à l’académie choisie.")
        elif basin and not academy:
            cleaned["academy"] = basin.academy
        scope = self.scope
        in_scope = (
            scope.is_platform_admin
            or (cleaned.get("academy") and cleaned["academy"].pk in scope.writable_academy_ids)
            or (basin and basin.pk in scope.basin_ids)
            or (self.instance.pk and self.instance.pk in scope.organisation_ids)
        )
        if not in_scope and not self.has_error("basin"):
            self.add_error(
                "basin" if scope.basin_ids else "academy",
                "Choisissez un bassin de votre périmètre." if scope.basin_ids else "Choisissez votre académie.",
            )
        return cleaned


class NoteForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text"]
        labels = {"text": "Nouvelle note"}
        help_texts = {"text": "Visible seulement de votre académie ou de votre organisation."}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class PersonForm(DsfrBaseForm, forms.ModelForm):
    """A contact; its legal basis and the date its data were collected are required (GDPR)."""

    class Meta:
        model = Person
        fields = [
            "civility",
            "first_name",
            "last_name",
            "email",
            "phone",
            "academy",
            "legal_basis",
            "data_collected_on",
            "data_source",
        ]
        widgets = {"data_collected_on": DateInput()}
        help_texts = {
            "legal_basis": "Sur quoi repose le traitement de ces données personnelles (RGPD).",
            "data_source": "Par exemple : convention signée le 12/09/2025, courriel de l’intéressé·e…",
        }

    def __init__(self, *args, user, organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.organisation = organisation
        # The holding académie is chosen only by who can hold contacts in several.
        if scope.is_platform_admin:
            self.fields["academy"].queryset = Academy.objects.all()
        elif len(scope.writable_academy_ids) > 1:
            self.fields["academy"].queryset = Academy.objects.filter(
                Q(pk__in=scope.writable_academy_ids) | Q(pk=self.instance.academy_id)
            )
            self.fields["academy"].required = True
        else:
            del self.fields["academy"]
        if organisation is not None:
            self.fields["role"] = forms.ChoiceField(label=f"Rôle chez {organisation}", choices=PersonRole.choices)
            self.fields["title"] = forms.CharField(
                label="Fonction",
                required=False,
                max_length=255,
                help_text=Membership._meta.get_field("title").help_text,
            )
            dsfr_input_class_attr(self["role"])
            dsfr_input_class_attr(self["title"])

    def clean_data_collected_on(self):
        collected_on = self.cleaned_data["data_collected_on"]
        if collected_on > timezone.localdate():
            raise forms.ValidationError("La date de recueil des données ne peut pas être dans le futur.")
        return collected_on


class MembershipForm(DsfrBaseForm, forms.ModelForm):
    """Attach a person to an organisation chosen among ``organisations``."""

    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    class Meta:
        model = Membership
        fields = ["organisation", "role", "title", "started_on"]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args, person: Person, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if (
            organisation
            and role
            and Membership.objects.filter(person=self.instance.person, organisation=organisation, role=role).exists()
        ):
            raise forms.ValidationError("Cette personne a déjà ce rôle dans cette organisation.")
        return cleaned


class MembershipEndForm(DsfrBaseForm):
    ended_on = forms.DateField(label="Dernier jour", widget=DateInput())

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_ended_on(self):
        ended_on = self.cleaned_data["ended_on"]
        if self.membership.started_on and ended_on < self.membership.started_on:
            raise forms.ValidationError("La fin ne peut pas précéder le début du rattachement.")
        return ended_on
