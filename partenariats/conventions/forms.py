"""Forms of the conventions' write side: they validate and say in French what is wrong, nothing more.

The edit page is one ``ConventionForm`` plus a formset of parties, each party carrying its own
nested formset of signatories (prefix ``parties-N-sig``). Rows are added by htmx (a fragment and
an out-of-band ``TOTAL_FORMS``) or, without JavaScript, by a submit button that re-renders.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import BaseFormSet, formset_factory
from django.urls import reverse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from dsfr.widgets import InlineCheckboxSelectMultiple, InlineRadioSelect

from partenariats.accounts.models import Role, User
from partenariats.conventions.models import (
    Convention,
    ConventionKind,
    DatePrecision,
    Party,
    PartySide,
    TerminationEffect,
    TermStart,
)
from partenariats.conventions.services import PartyInput, SignatoryInput
from partenariats.core.access import scope_of
from partenariats.directory.models import Organisation, OrganisationKind, Person
from partenariats.terms.dates import FRENCH_MONTHS
from partenariats.territories.models import Academy

# How many organisations a party's list offers at once (the search narrows it).
ORGANISATIONS_SHOWN = 200
PEOPLE_SHOWN = 200
MAX_MONTHS = 1200  # the terms engine's bound: a hundred years
ALERT_DAY_CHOICES = [(15, "15 jours"), (30, "30 jours"), (60, "60 jours"), (90, "90 jours"), (180, "180 jours")]
MONTH_CHOICES = [("", "—"), *((number, name) for number, name in enumerate(FRENCH_MONTHS, start=1))]
TRI_STATE_CHOICES = [("", "Non précisé"), ("true", "Oui"), ("false", "Non")]
EDUCATION_KINDS = (OrganisationKind.ACADEMY_SERVICE, OrganisationKind.SCHOOL)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TriStateRadioSelect(InlineRadioSelect):
    """Yes / no / not stated, for the clauses a text may leave out (a nullable boolean)."""

    def format_value(self, value):
        if isinstance(value, bool):
            return ["true" if value else "false"]
        return [value if value in ("true", "false") else ""]


def tri_state(label: str, help_text: str = "") -> forms.NullBooleanField:
    field = forms.NullBooleanField(
        label=label, required=False, help_text=help_text, widget=TriStateRadioSelect(choices=TRI_STATE_CHOICES)
    )
    # django-dsfr picks a field's template from its widget's class name, which ours does not match.
    field.template_name = "dsfr/form_field_snippets/radioselect_snippet.html"
    return field


def months_field(label: str, *, minimum: int = 0, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=minimum,
        max_value=MAX_MONTHS,
        help_text=help_text,
        error_messages={
            "min_value": "Un nombre de mois ne peut pas être négatif."
            if minimum == 0
            else "Indiquez un nombre de mois supérieur ou égal à 1.",
            "max_value": f"Au plus {MAX_MONTHS} mois (cent ans).",
            "invalid": "Indiquez un nombre entier de mois.",
        },
    )


def optional_date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DateInput,
        error_messages={"invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa)."},
    )


def academy_staff(academy_ids) -> QuerySet:
    """Active users holding an académie staff role in one of ``academy_ids`` (or in their région)."""
    staff = Q(assignments__role=Role.ACADEMY_STAFF, assignments__academy__in=academy_ids) | Q(
        assignments__role=Role.ACADEMY_STAFF, assignments__region__academies__in=academy_ids
    )
    return User.objects.filter(staff, is_active=True).distinct()


class TermsForm(DsfrBaseForm):
    """The term clauses as the text states them; shared by the edit page and the amendments."""

    duration_months = months_field("Durée (mois)", minimum=1, help_text="Vide si la convention ne le dit pas.")
    indefinite = tri_state("Durée indéterminée")
    tacit_renewal = tri_state("Reconduction tacite")
    renewal_months = months_field(
        "Durée de chaque reconduction (mois)", minimum=1, help_text="Vide : la même durée que la période initiale."
    )
    provisional_extension_months = months_field(
        "Maintien provisoire pendant une renégociation (mois au plus)", help_text="Par exemple 6."
    )
    notice_months = months_field("Préavis (mois)")
    notice_by_registered_letter = tri_state("Préavis par lettre recommandée avec accusé de réception")
    termination_effect = forms.ChoiceField(
        label="Effet de la résiliation ou de la dénonciation", choices=TerminationEffect.choices, required=False
    )
    termination_date = optional_date("Date de fin fixée", "Seulement pour l’effet « À une date fixée ».")

    TERM_FIELDS = (
        "duration_months",
        "indefinite",
        "tacit_renewal",
        "renewal_months",
        "provisional_extension_months",
        "notice_months",
        "notice_by_registered_letter",
        "termination_effect",
        "termination_date",
    )

    def clean_terms(self, cleaned: dict, start_date: date | None = None) -> None:
        duration, indefinite, tacit = (
            cleaned.get("duration_months"),
            cleaned.get("indefinite"),
            cleaned.get("tacit_renewal"),
        )
        if indefinite and duration:
            self.add_error(
                "duration_months",
                "Une convention à durée indéterminée n’a pas de durée : videz la durée, "
                "ou choisissez « Non » pour la durée indéterminée.",
            )
        if tacit and (indefinite or not duration):
            self.add_error(
                "tacit_renewal",
                "Une reconduction tacite suppose une durée déterminée : indiquez la durée en mois, "
                "ou choisissez « Non » pour la reconduction tacite.",
            )
        if cleaned.get("renewal_months") and tacit is not True:
            self.add_error("renewal_months", "La durée de chaque reconduction ne vaut qu’avec une reconduction tacite.")
        effect, end = cleaned.get("termination_effect"), cleaned.get("termination_date")
        if effect == TerminationEffect.FIXED_DATE and not end and "termination_date" not in self.errors:
            self.add_error(
                "termination_date", "Indiquez la date de fin fixée, ou choisissez un autre effet de la résiliation."
            )
        elif end and effect != TerminationEffect.FIXED_DATE:
            self.add_error("termination_date", "Une date de fin fixée ne vaut qu’avec l’effet « À une date fixée ».")
        elif end and start_date and end <= start_date:
            self.add_error("termination_date", "La date de fin fixée doit être postérieure à la date de début.")

    def terms_values(self) -> dict:
        """The cleaned clauses in the engine's ``terms`` shape."""
        cleaned = self.cleaned_data
        return {
            "duration_months": cleaned.get("duration_months"),
            "indefinite": cleaned.get("indefinite"),
            "tacit_renewal": cleaned.get("tacit_renewal"),
            "renewal_months": cleaned.get("renewal_months"),
            "provisional_extension_months": cleaned.get("provisional_extension_months"),
            "notice_months": cleaned.get("notice_months"),
            "notice_by_registered_letter": cleaned.get("notice_by_registered_letter"),
            "termination_effect": cleaned.get("termination_effect") or None,
            "termination_date": cleaned["termination_date"].isoformat() if cleaned.get("termination_date") else None,
        }


class ConventionForm(TermsForm, forms.ModelForm):
    # The version the user started from, and when: a stale form is refused and the changes shown.
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    opened_at = forms.CharField(required=False, widget=forms.HiddenInput)

    parent = forms.ModelChoiceField(
        label="Convention de rattachement",
        queryset=Convention.objects.none(),
        required=False,
        help_text="La convention cadre d’une convention locale, la convention nationale d’une convention académique.",
    )
    academies = forms.ModelMultipleChoiceField(
        label="Académies parties",
        queryset=Academy.objects.all(),
        widget=InlineCheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une académie partie."},
    )
    owners = forms.ModelMultipleChoiceField(
        label="Responsables à l’académie",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Ils reçoivent les alertes d’échéance. Après avoir coché d’autres académies, « Actualiser » "
        "propose leurs personnels.",
        error_messages={"required": "Choisissez au moins une personne responsable."},
    )
    start_mode = forms.ChoiceField(
        label="Point de départ de la durée", choices=TermStart.choices, widget=InlineRadioSelect
    )
    start_date = optional_date("Date de début fixée", "Seulement pour le point de départ « À une date fixée ».")
    originals = forms.IntegerField(
        label="Nombre d’originaux",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={"min_value": "Au moins un original.", "max_value": "Au plus 100 originaux."},
    )
    steering_committee_month = forms.TypedChoiceField(
        label="Mois du comité de pilotage",
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Vide : à la date anniversaire de la convention.",
    )
    contact_exchange_month = forms.TypedChoiceField(
        label="Mois de l’échange des listes de contacts",
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Si le texte en prévoit un (souvent septembre).",
    )
    alert_days = forms.TypedMultipleChoiceField(
        label="Alertes avant chaque échéance",
        choices=ALERT_DAY_CHOICES,
        coerce=int,
        required=False,
        widget=InlineCheckboxSelectMultiple,
        help_text="Rien de coché : 30 et 90 jours.",
    )

    class Meta:
        model = Convention
        fields = [
            "title",
            "reference",
            "kind",
            "parent",
            "parent_description",
            "academies",
            "owners",
            "preamble",
            "confidentiality_clause",
            "dispute_clause",
            "signature_place",
            "originals",
            "start_mode",
            "start_date",
            *TermsForm.TERM_FIELDS,
            "steering_committee_month",
            "contact_exchange_month",
            "alert_days",
        ]
        widgets = {
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "confidentiality_clause": forms.Textarea(attrs={"rows": 3}),
            "dispute_clause": forms.Textarea(attrs={"rows": 3}),
        }

    FIELDSETS = [
        ("identity", "Identification", "", ["title", "reference", "kind", "parent", "parent_description"]),
        ("academies", "Académies et responsables", "", ["academies", "owners"]),
        (
            "text",
            "Texte",
            "",
            ["preamble", "confidentiality_clause", "dispute_clause", "signature_place", "originals"],
        ),
        (
            "terms",
            "Durée et fin",
            "Ce que dit le texte ; laissez « Non précisé » ce qu’il ne dit pas.",
            ["start_mode", "start_date", *TermsForm.TERM_FIELDS],
        ),
        (
            "obligations",
            "Obligations et alertes",
            "",
            ["steering_committee_month", "contact_exchange_month", "alert_days"],
        ),
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope = scope_of(user)
        convention = self.instance
        parents = Convention.objects.for_user(user)
        if convention.pk:
            parents = parents.exclude(pk__in=descendants(convention))
        self.fields["parent"].queryset = parents.order_by("title")
        self.fields["kind"].choices = ConventionKind.choices
        # Owners: académie staff of the académies ticked (or about to be), the user, the current owners.
        academy_ids = set(self.scope.academy_ids) | set(self._chosen_academy_ids())
        current = list(convention.owners.values_list("pk", flat=True)) if convention.pk else []
        self.fields["owners"].queryset = User.objects.filter(
            Q(pk__in=academy_staff(academy_ids).values("pk")) | Q(pk=user.pk) | Q(pk__in=current)
        ).order_by("last_name", "first_name", "email")
        if not convention.pk:
            self.initial["academies"] = self.initial.get("academies") or self._default_academies()
            self.initial["owners"] = self.initial.get("owners") or [user.pk]
            self.initial["alert_days"] = self.initial.get("alert_days") or list(Convention.DEFAULT_ALERT_DAYS)
        else:
            self.initial["alert_days"] = list(convention.alert_windows)
            # A convention registered without owners gets the person who edits it, unless they say otherwise.
            self.initial["owners"] = self.initial.get("owners") or [user.pk]
        self.initial.setdefault("expected_version", convention.version)
        self.initial.setdefault("opened_at", timezone.now().isoformat())

    def _chosen_academy_ids(self) -> list[int]:
        if self.is_bound:
            return [int(value) for value in self.data.getlist(self.add_prefix("academies")) if value.isdigit()]
        if self.instance.pk:
            return list(self.instance.academies.values_list("pk", flat=True))
        return []

    def _default_academies(self) -> list[int]:
        writable = self.scope.writable_academy_ids
        main = getattr(self.user, "main_academy", None)
        if main is not None and main.pk in writable:
            return [main.pk]
        return sorted(writable)[:1]

    @property
    def fieldsets(self):
        return [
            {"id": key, "legend": legend, "hint": hint, "fields": [self[name] for name in names]}
            for key, legend, hint, names in self.FIELDSETS
        ]

    def clean(self):
        cleaned = super().clean()
        mode, start = cleaned.get("start_mode"), cleaned.get("start_date")
        if mode == TermStart.FIXED_DATE and not start and "start_date" not in self.errors:
            self.add_error(
                "start_date",
                "Indiquez la date de début, ou choisissez « À la dernière signature » comme point de départ.",
            )
        elif mode == TermStart.SIGNATURE and start:
            self.add_error(
                "start_date", "Une date de début fixée ne vaut qu’avec le point de départ « À une date fixée »."
            )
        self.clean_terms(cleaned, start if mode == TermStart.FIXED_DATE else None)
        academies = cleaned.get("academies")
        writable = self.scope.writable_academy_ids
        if (
            academies is not None
            and not self.scope.is_platform_admin
            and not {academy.pk for academy in academies} & writable
        ):
            self.add_error(
                "academies",
                "Cochez au moins une académie où vous pouvez écrire (la vôtre) : "
                "sans elle, vous ne pourriez plus modifier cette convention.",
            )
        owners = cleaned.get("owners")
        if academies and owners:
            staff = set(academy_staff([a.pk for a in academies]).values_list("pk", flat=True))
            admins = set(
                User.objects.filter(pk__in=[o.pk for o in owners], assignments__role=Role.PLATFORM_ADMIN).values_list(
                    "pk", flat=True
                )
            )
            strangers = [str(owner) for owner in owners if owner.pk not in staff | admins]
            if strangers:
                self.add_error(
                    "owners",
                    "Ces personnes ne sont pas personnels d’une des académies parties : " + ", ".join(strangers) + ".",
                )
        return cleaned


def parse_opened_at(value: str) -> datetime | None:
    """When the user opened the edit form (a hidden field), if it can be read."""
    try:
        opened_at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return opened_at if timezone.is_aware(opened_at) else None


def descendants(convention: Convention) -> set[int]:
    """The convention and every convention under it: none of them can become its parent."""
    found, frontier = {convention.pk}, {convention.pk}
    while frontier:
        frontier = set(Convention.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


# --- Parties and signatories ------------------------------------------------------------------


def organisation_label(organisation: Organisation) -> str:
    where = f", {organisation.city}" if organisation.city else ""
    return f"{organisation} — {organisation.get_kind_display()}{where}"


def organisation_matches(user, query: str) -> list[Organisation]:
    """At most ``ORGANISATIONS_SHOWN`` active organisations the user may name, matching ``query``."""
    return list(Organisation.objects.for_user(user).active().search(query)[:ORGANISATIONS_SHOWN])


def home_organisations(user) -> list[Organisation]:
    """What a party's list offers before any search: the académie services of the user's académies."""
    academy_ids = scope_of(user).academy_ids
    if not academy_ids:
        return []
    return list(
        Organisation.objects.active()
        .filter(academy__in=academy_ids, kind=OrganisationKind.ACADEMY_SERVICE)
        .order_by("name")[:ORGANISATIONS_SHOWN]
    )


def organisation_people(user, organisation_id: int | None) -> list[Person]:
    """The contacts of an organisation the user may see: whom a party's signatory may be."""
    if not organisation_id:
        return []
    people = Person.objects.for_user(user).filter(memberships__organisation=organisation_id, is_active=True)
    return list(people.distinct()[:PEOPLE_SHOWN])


def _pk(value) -> int | None:
    if isinstance(value, int):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return int(value) if isinstance(value, str) and value.isdigit() else None


class SignatoryForm(DsfrBaseForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    person = forms.ModelChoiceField(
        label="Personne de l’annuaire",
        queryset=Person.objects.none(),
        required=False,
        help_text="Les contacts de l’organisation de la partie.",
        error_messages={"invalid_choice": "Cette personne n’est pas proposée."},
    )
    name = forms.CharField(
        label="Nom tel qu’imprimé",
        required=False,
        max_length=200,
        help_text="Obligatoire, sauf si une personne de l’annuaire est choisie.",
    )
    title = forms.CharField(label="Qualité telle qu’imprimée", required=False, max_length=500)
    signed_on = optional_date("Signé le", "Vide tant que la signature n’est pas connue.")
    date_precision = forms.ChoiceField(
        label="Précision de la date",
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text="« Mois seulement » : saisissez n’importe quel jour du mois.",
    )
    raw_date = forms.CharField(
        label="Date telle qu’écrite", required=False, max_length=100, help_text="Par exemple « 18.III.2021 »."
    )
    place = forms.CharField(label="Lieu", required=False, max_length=150)

    def __init__(self, *args, user, people: list[Person] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.for_user(user)
        shown = list(people or [])
        selected = _pk(self.data.get(self.add_prefix("person")) if self.is_bound else self.initial.get("person"))
        if selected and selected not in {p.pk for p in shown}:
            shown += list(Person.objects.for_user(user).filter(pk=selected))
        self.fields["person"].widget.choices = [("", "—"), *((p.pk, p.full_name) for p in shown)]

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if not cleaned.get("name"):
            if person is not None:
                cleaned["name"] = person.full_name
            else:
                self.add_error(
                    "name", "Indiquez le nom du signataire tel qu’imprimé, ou choisissez une personne de l’annuaire."
                )
        signed_on, precision = cleaned.get("signed_on"), cleaned.get("date_precision")
        if signed_on and precision == DatePrecision.UNKNOWN:
            self.add_error(
                "signed_on",
                "Une date « Inconnue » ne se saisit pas : videz la date, ou choisissez « Jour » ou « Mois seulement ».",
            )
        elif signed_on and precision == DatePrecision.MONTH:
            cleaned["signed_on"] = signed_on.replace(day=1)
        return cleaned


class BaseRowFormSet(BaseFormSet):
    delete_label = "Retirer"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label

    def kept_forms(self) -> list:
        """Filled rows not marked for removal (unchanged new rows have no cleaned data)."""
        return [
            form for form in self.forms if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]


class BaseSignatoryFormSet(BaseRowFormSet):
    delete_label = "Retirer ce signataire"


SignatoryFormSet = formset_factory(
    SignatoryForm, formset=BaseSignatoryFormSet, extra=1, can_delete=True, can_delete_extra=False
)


class PartyForm(DsfrBaseForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation_search = forms.CharField(
        label="Rechercher une organisation",
        required=False,
        max_length=200,
        help_text="Nom, sigle, commune, UAI ou SIRET. Sans JavaScript, « Actualiser » filtre la liste.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        error_messages={
            "required": "Choisissez l’organisation de cette partie.",
            "invalid_choice": "Cette organisation n’est pas proposée : cherchez-la de nouveau.",
        },
    )
    side = forms.ChoiceField(
        label="Côté",
        choices=[("", "Déduit du type d’organisation"), *PartySide.choices],
        required=False,
    )
    representative_name = forms.CharField(label="Représentée par (nom tel qu’imprimé)", required=False, max_length=200)
    representative_title = forms.CharField(
        label="Qualité du représentant (telle qu’imprimée)", required=False, max_length=500
    )

    def __init__(self, *args, user, home: list[Organisation] | None = None, kept_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = Organisation.objects.for_user(user).filter(
            Q(is_active=True) | Q(pk__in=kept_ids)
        )
        query = (self.data.get(self.add_prefix("organisation_search")) or "").strip() if self.is_bound else ""
        selected = _pk(
            self.data.get(self.add_prefix("organisation")) if self.is_bound else self.initial.get("organisation")
        )
        shown = organisation_matches(user, query) if query else list(home or [])
        if selected and selected not in {o.pk for o in shown}:
            shown = list(Organisation.objects.for_user(user).filter(pk=selected)) + shown
        self.fields["organisation"].widget.choices = [
            ("", "— Choisir une organisation —"),
            *((o.pk, organisation_label(o)) for o in shown),
        ]
        self.fields["organisation_search"].widget.input_type = "search"
        self.fields["organisation_search"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": f"{reverse('conventions:organisation_options')}?prefix={self.prefix}",
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": f"#{self['organisation'].auto_id}",
                "hx-include": f"#{self['organisation'].auto_id}",
                "aria-controls": self["organisation"].auto_id,
            }
        )
        people = organisation_people(user, selected)
        self.signatories = SignatoryFormSet(
            self.data if self.is_bound else None,
            prefix=f"{self.prefix}-sig",
            initial=self.initial.get("signatories") or [],
            form_kwargs={"user": user, "people": people},
        )

    def has_changed(self) -> bool:
        return super().has_changed() or self.signatories.has_changed()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.signatories.is_valid() and valid

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation is not None and not cleaned.get("side"):
            cleaned["side"] = PartySide.EDUCATION if organisation.kind in EDUCATION_KINDS else PartySide.PARTNER
        return cleaned


class BasePartyFormSet(BaseRowFormSet):
    delete_label = "Retirer cette partie"

    def __init__(self, *args, existing: dict[int, Party] | None = None, signatory_ids=(), **kwargs):
        self.existing = existing or {}
        self.signatory_ids = set(signatory_ids)
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        if len(kept) < 2:
            raise ValidationError("Une convention réunit au moins deux parties : indiquez-en au moins deux.")
        seen: set[int] = set()
        for form in kept:
            organisation = form.cleaned_data["organisation"]
            if organisation.pk in seen:
                raise ValidationError(f"« {organisation} » figure deux fois parmi les parties.")
            seen.add(organisation.pk)
        kept_ids = {form.cleaned_data.get("id") for form in kept}
        for pk, party in self.existing.items():
            if pk not in kept_ids and party.commitments.exists():
                raise ValidationError(
                    f"La partie « {party} » a des engagements : retirez-les avant de retirer la partie."
                )

    def party_inputs(self) -> list[PartyInput]:
        rows = []
        for form in self.kept_forms():
            data = form.cleaned_data
            signatories = tuple(
                SignatoryInput(
                    pk=s.cleaned_data.get("id") if s.cleaned_data.get("id") in self.signatory_ids else None,
                    person=s.cleaned_data.get("person"),
                    name=s.cleaned_data["name"],
                    title=s.cleaned_data.get("title", ""),
                    signed_on=s.cleaned_data.get("signed_on"),
                    date_precision=s.cleaned_data.get("date_precision") or DatePrecision.DAY,
                    raw_date=s.cleaned_data.get("raw_date", ""),
                    place=s.cleaned_data.get("place", ""),
                )
                for s in form.signatories.kept_forms()
            )
            rows.append(
                PartyInput(
                    pk=data.get("id") if data.get("id") in self.existing else None,
                    organisation=data["organisation"],
                    side=data["side"],
                    representative_name=data.get("representative_name", ""),
                    representative_title=data.get("representative_title", ""),
                    signatories=signatories,
                )
            )
        return rows


PartyFormSet = formset_factory(PartyForm, formset=BasePartyFormSet, extra=1, can_delete=True, can_delete_extra=False)
NewPartyFormSet = formset_factory(PartyForm, formset=BasePartyFormSet, extra=2, can_delete=True, can_delete_extra=False)


def party_initial(convention: Convention) -> list[dict]:
    """The current parties and their signatories as the formsets' initial data."""
    by_party: dict[int, list[dict]] = {}
    for s in convention.signatories.filter(party__isnull=False):
        by_party.setdefault(s.party_id, []).append(
            {
                "id": s.pk,
                "person": s.person_id,
                "name": s.name,
                "title": s.title,
                "signed_on": s.signed_on,
                "date_precision": s.date_precision,
                "raw_date": s.raw_date,
                "place": s.place,
            }
        )
    return [
        {
            "id": party.pk,
            "organisation": party.organisation_id,
            "side": party.side,
            "representative_name": party.representative_name,
            "representative_title": party.representative_title,
            "signatories": by_party.get(party.pk, []),
        }
        for party in convention.parties.all()
    ]
