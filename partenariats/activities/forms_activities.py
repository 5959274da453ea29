"""Forms to record an activity: the full form (groups of pupils, partner organisations, counts,
« Compte pour »), the quick form a teacher fills in two minutes, and withdrawing one.

Forms validate and say in French what is wrong; saving goes through ``services.save_activity``.
Who records where is :class:`Rights`: académie staff choose the académie the activity counts in,
CLEE members their bassin; school staff name their own school (prefilled, forced) and partner
staff always count their own organisation among the partners.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from partenariats.activities.models import Activity, Level
from partenariats.activities.services import WITHDRAW_REASON_MAX, ContributionOption, GroupInput
from partenariats.conventions.forms import BaseRowFormSet, DateInput, organisation_label
from partenariats.conventions.models import Programme
from partenariats.core.access import scope_of
from partenariats.directory.models import Organisation, OrganisationKind, Person
from partenariats.territories.models import Academy, Basin

SHOWN = 50  # organisations or schools a list offers at once (the search narrows it)
MAX_GROUPS = 100
MAX_PUPILS = 5000
EARLIEST = date(2000, 1, 1)
GROUP_SCHOOL = re.compile(r"^groups-\d{1,3}-school$")
IMPOSSIBLE_DATE = "Date impossible : une activité se date entre le 01/01/2000 et un an après aujourd’hui."


@dataclass
class Rights:
    """Where and for whom a user records activities."""

    academies: list[Academy] = field(default_factory=list)  # académie staff: where it may count
    basins: list[Basin] = field(default_factory=list)  # CLEE members: their bassins
    own_schools: list[Organisation] = field(default_factory=list)  # school staff: their schools
    own_partner: Organisation | None = None  # partner staff: always among the organisations

    @property
    def may_record(self) -> bool:
        return bool(self.academies or self.basins or self.own_schools or self.own_partner)

    @property
    def academy_ids(self) -> set[int]:
        return {a.pk for a in self.academies}

    @property
    def basin_ids(self) -> set[int]:
        return {b.pk for b in self.basins}

    @property
    def places(self) -> str:
        """How the académie and bassin are chosen: "academy", "basin" or "derived" (from the organisations)."""
        if self.academies:
            return "academy"
        if self.basins:
            return "basin"
        return "derived"

    @property
    def fixed_schools(self) -> list[Organisation] | None:
        """School staff (alone): the only schools their groups may name; None: any school."""
        return self.own_schools if self.places == "derived" and self.own_schools else None


def may_record(user) -> bool:
    """Whether the user records activities at all (without the queries of ``recording_rights``)."""
    scope = scope_of(user)
    if scope.is_platform_admin:
        return True
    return not scope.read_only and bool(scope.writable_academy_ids or scope.basin_ids or scope.organisation_ids)


def recording_rights(user) -> Rights:
    scope = scope_of(user)
    if scope.is_platform_admin:
        return Rights(academies=list(Academy.objects.order_by("name")))
    if scope.read_only or not scope.has_role:
        return Rights()
    own = list(Organisation.objects.filter(pk__in=scope.organisation_ids).order_by("pk"))
    return Rights(
        academies=list(Academy.objects.filter(pk__in=scope.writable_academy_ids).order_by("name")),
        basins=list(Basin.objects.filter(pk__in=scope.basin_ids).select_related("academy")),
        own_schools=[o for o in own if o.kind == OrganisationKind.SCHOOL],
        own_partner=next((o for o in own if o.kind != OrganisationKind.SCHOOL), None),
    )


def check_dates(form: forms.Form, starts_on: date | None, ends_on: date | None) -> None:
    latest = timezone.localdate() + timedelta(days=365)
    for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        if value is not None and not EARLIEST <= value <= latest:
            form.add_error(name, IMPOSSIBLE_DATE)
    if starts_on and ends_on and ends_on < starts_on:
        form.add_error("ends_on", "La date de fin ne peut pas précéder la date de début.")


def count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PUPILS,
        help_text="Vide : aucun.",
        error_messages={
            "min_value": "Ce nombre ne peut pas être négatif.",
            "max_value": f"Au plus {MAX_PUPILS}.",
            "invalid": "Indiquez un nombre entier.",
        },
    )


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput,
        error_messages={
            "required": "Indiquez la date de l’activité.",
            "invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa).",
        },
    )


def school_matches(user, query: str) -> list[Organisation]:
    """Active schools matching ``query``; without a query, those of the user's académies or bassins."""
    schools = Organisation.objects.for_user(user).active().filter(kind=OrganisationKind.SCHOOL)
    if query:
        return list(schools.search(query)[:SHOWN])
    scope = scope_of(user)
    nearby = Q(basin__in=scope.basin_ids) if scope.basin_ids else Q(academy__in=scope.academy_ids)
    return list(schools.filter(nearby)[:SHOWN]) if scope.academy_ids else []


def partner_matches(user, query: str) -> list[Organisation]:
    """Active organisations other than schools matching ``query`` (nothing without a query)."""
    if not query:
        return []
    partners = Organisation.objects.for_user(user).active().exclude(kind=OrganisationKind.SCHOOL)
    return list(partners.search(query)[:SHOWN])


def school_label(school: Organisation) -> str:
    details = ", ".join(part for part in (school.city, school.uai) if part)
    return f"{school} ({details})" if details else str(school)


def to_pk(value) -> int | None:
    if hasattr(value, "pk"):
        return value.pk
    return int(value) if isinstance(value, str) and value.isdigit() else value if isinstance(value, int) else None


def search_widget(field: forms.Field, *, url: str, target: str, include: str) -> None:
    field.widget.input_type = "search"
    field.widget.attrs.update(
        {
            "autocomplete": "off",
            "hx-get": url,
            "hx-trigger": "input changed delay:300ms, search",
            "hx-target": target,
            "hx-include": include,
            "aria-controls": target.lstrip("#"),
        }
    )


def school_field(form: forms.Form, user, fixed: list[Organisation] | None, kept_ids, search_name: str) -> None:
    """Fill the choices of the form's ``school`` field: the fixed schools, or the search's matches."""
    name = "school"
    selected = to_pk(form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name))
    kept = set(kept_ids)
    if fixed is not None:
        allowed = {o.pk for o in fixed} | kept
        form.fields[name].queryset = Organisation.objects.filter(pk__in=allowed)
        shown = fixed + list(Organisation.objects.filter(pk__in=kept - {o.pk for o in fixed}))
        form.fields.pop(search_name, None)
        if fixed and not form.is_bound:
            form.initial.setdefault(name, fixed[0].pk)
    else:
        form.fields[name].queryset = Organisation.objects.for_user(user).filter(
            Q(kind=OrganisationKind.SCHOOL, is_active=True) | Q(pk__in=kept)
        )
        query = (form.data.get(form.add_prefix(search_name)) or "").strip()[:200] if form.is_bound else ""
        shown = school_matches(user, query)
        if selected and selected not in {o.pk for o in shown}:
            shown = list(form.fields[name].queryset.filter(pk=selected)) + shown
        search_widget(
            form.fields[search_name],
            url=f"{reverse('activities:select_options')}?field={name}&prefix={form.prefix or ''}",
            target=f"#{form[name].auto_id}",
            include=f"#{form[name].auto_id}",
        )
    form.fields[name].widget.choices = [("", "— Choisir un établissement —"), *((o.pk, school_label(o)) for o in shown)]


class GroupForm(DsfrBaseForm):
    school_search = forms.CharField(
        label="Rechercher un établissement",
        required=False,
        max_length=200,
        help_text="Nom, commune ou UAI. Sans JavaScript, « Actualiser » filtre la liste.",
    )
    school = forms.ModelChoiceField(
        label="Établissement",
        queryset=Organisation.objects.none(),
        error_messages={
            "required": "Choisissez l’établissement de ce groupe.",
            "invalid_choice": "Cet établissement n’est pas proposé : vous ne pouvez saisir que pour le vôtre, "
            "ou cherchez-le de nouveau.",
        },
    )
    level = forms.ChoiceField(label="Niveau", choices=Level.choices, initial=Level.OTHER)
    class_name = forms.CharField(label="Classe", required=False, max_length=100, help_text="Par exemple « 3e B ».")
    pupils = forms.IntegerField(
        label="Nombre d’élèves",
        min_value=1,
        max_value=MAX_PUPILS,
        error_messages={
            "required": "Indiquez le nombre d’élèves de ce groupe.",
            "min_value": "Un groupe compte au moins un élève.",
            "max_value": f"Au plus {MAX_PUPILS} élèves par groupe.",
            "invalid": "Indiquez un nombre entier d’élèves.",
        },
    )

    def __init__(self, *args, user, fixed_schools: list[Organisation] | None = None, kept_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        school_field(self, user, fixed_schools, kept_ids, "school_search")


class BaseGroupFormSet(BaseRowFormSet):
    delete_label = "Retirer ce groupe"

    def group_inputs(self) -> list[GroupInput]:
        return [
            GroupInput(
                pupils=form.cleaned_data["pupils"],
                school=form.cleaned_data["school"],
                level=form.cleaned_data["level"],
                class_name=form.cleaned_data.get("class_name", ""),
            )
            for form in self.kept_forms()
        ]


GroupFormSet = formset_factory(
    GroupForm,
    formset=BaseGroupFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_GROUPS,
    validate_max=True,
)


def with_added_group(data: QueryDict) -> QueryDict:
    """The posted data with one more empty group row (the « Ajouter un groupe » button)."""
    data = data.copy()
    total = data.get("groups-TOTAL_FORMS", "")
    count = int(total) if total.isdigit() else 0
    if count < MAX_GROUPS:
        data["groups-TOTAL_FORMS"] = str(count + 1)
    return data


class ContributionChoiceMixin:
    """« Compte pour »: the options computed for the activity (``services.contribution_options``)."""

    def set_options(self, options: list[ContributionOption]) -> None:
        self.options = {option.key: option for option in options}
        field = self.fields["contributions"]
        field.choices = [(option.key, option.label) for option in options]
        if not options:
            field.help_text = (
                "Rien à proposer pour l’instant : choisissez les établissements et les organisations partenaires "
                "(puis « Actualiser » sans JavaScript). Sans rattachement, l’activité ne compte pour aucune convention."
            )
        self._bound_fields_cache.pop("contributions", None)

    def chosen_contributions(self) -> list:
        return [self.options[key].as_input() for key in self.cleaned_data.get("contributions", [])]


def contributions_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Compte pour",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez les conventions, actions ou engagements auxquels l’activité contribue : seul ce qui est "
        "coché compte dans les indicateurs. Les propositions viennent des organisations, de la date et du dispositif.",
        error_messages={
            "invalid_choice": "Ce rattachement n’est plus proposé (organisations, date ou dispositif modifiés) : "
            "vérifiez « Compte pour »."
        },
    )


class ContributionsForm(ContributionChoiceMixin, DsfrBaseForm):
    """« Compte pour » alone, for its htmx refresh."""

    contributions = contributions_field()

    def __init__(self, *args, options: list[ContributionOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_options(options)


class ActivityForm(ContributionChoiceMixin, DsfrBaseForm, forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    academy = forms.ModelChoiceField(
        label="Académie où l’activité est comptée",
        queryset=Academy.objects.none(),
        error_messages={"required": "Choisissez l’académie où l’activité est comptée."},
    )
    basin = forms.ModelChoiceField(
        label="Bassin", queryset=Basin.objects.none(), required=False, empty_label="Déduit des établissements"
    )
    organisation_search = forms.CharField(
        label="Rechercher une organisation partenaire",
        required=False,
        max_length=200,
        help_text="Nom, sigle, commune ou SIRET. Sans JavaScript, « Actualiser » propose les résultats.",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations partenaires impliquées",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Entreprises, fédérations, chambres, associations… Les établissements se saisissent avec les "
        "groupes d’élèves.",
        error_messages={"invalid_choice": "Cette organisation n’est pas proposée : cherchez-la de nouveau."},
    )
    volunteers = forms.ModelMultipleChoiceField(
        label="Professionnels bénévoles",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les contacts des organisations cochées (après « Actualiser » si vous venez d’en cocher une).",
        error_messages={"invalid_choice": "Cette personne n’est plus proposée : vérifiez les organisations cochées."},
    )
    class_count = count_field("Classes")
    teacher_count = count_field("Enseignants")
    professional_count = count_field("Professionnels")
    hours = forms.DecimalField(
        label="Durée (heures)",
        required=False,
        min_value=0,
        max_value=9999,
        decimal_places=1,
        localize=True,
        help_text="En heures, 1,5 pour une heure et demie. Vide : non précisée.",
        error_messages={
            "min_value": "Une durée ne peut pas être négative.",
            "max_value": "Au plus 9 999 heures.",
            "max_decimal_places": "Une décimale au plus (1,5).",
            "invalid": "Indiquez un nombre d’heures (1,5 pour une heure et demie).",
        },
    )
    contributions = contributions_field()

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "programme",
            "class_count",
            "teacher_count",
            "professional_count",
            "hours",
            "prepared_with_pupils",
            "exploited_afterwards",
            "evaluation",
            "confidential",
        ]
        labels = {"starts_on": "Date (ou premier jour)"}
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "evaluation": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "confidential": "Visible seulement par l’académie et les organisations qui y ont pris part.",
            "evaluation": "Ce qui a marché, ce qui est à revoir, ce qu’en ont dit les élèves.",
        }
        error_messages = {
            "title": {"required": "Donnez un intitulé à l’activité."},
            "kind": {"required": "Choisissez le type d’activité."},
            "starts_on": {
                "required": "Indiquez la date de l’activité.",
                "invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa).",
            },
            "ends_on": {"invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa)."},
        }

    def __init__(self, *args, user, rights: Rights, options: list[ContributionOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.rights = user, rights
        activity = self.instance
        self.fields["programme"].queryset = Programme.objects.all()
        self.fields["programme"].empty_label = "Aucun"
        if not self.is_bound and activity.pk:
            self.initial["version"] = activity.version
        self._place_fields(activity)
        self._organisation_field(activity)
        self._volunteer_field(activity)
        self.set_options(options)
        self._bound_fields_cache.clear()  # DsfrBaseForm bound the fields before their labels were final

    def _place_fields(self, activity: Activity) -> None:
        places = self.rights.places
        if places == "academy":
            academy_ids = {a.pk for a in self.rights.academies} | {activity.academy_id} - {None}
            self.fields["academy"].queryset = Academy.objects.filter(pk__in=academy_ids).order_by("name")
            self.fields["basin"].queryset = Basin.objects.filter(academy__in=academy_ids)
            self.initial.setdefault("academy", activity.academy_id or self.rights.academies[0].pk)
            self.initial.setdefault("basin", activity.basin_id)
        elif places == "basin":
            del self.fields["academy"]
            basin_ids = {b.pk for b in self.rights.basins} | {activity.basin_id} - {None}
            self.fields["basin"].queryset = Basin.objects.filter(pk__in=basin_ids)
            self.fields["basin"].required = True
            self.fields["basin"].empty_label = None
            self.initial.setdefault("basin", activity.basin_id or self.rights.basins[0].pk)
        else:
            del self.fields["academy"], self.fields["basin"]

    def _organisation_field(self, activity: Activity) -> None:
        kept = list(activity.organisations.values_list("pk", flat=True)) if activity.pk else []
        field = self.fields["organisations"]
        field.queryset = (
            Organisation.objects.for_user(self.user)
            .exclude(kind=OrganisationKind.SCHOOL)
            .filter(Q(is_active=True) | Q(pk__in=kept))
        )
        forced = self.rights.own_partner if self.rights.places == "derived" else None
        if self.is_bound:
            selected = [pk for pk in map(to_pk, self.data.getlist("organisations")) if pk]
            query = (self.data.get("organisation_search") or "").strip()[:200]
        else:
            selected = kept or ([forced.pk] if forced else [])
            self.initial.setdefault("organisations", selected)
            query = ""
        if forced is not None:
            field.help_text = f"{forced} est toujours comptée parmi les organisations impliquées."
            selected = [forced.pk, *(pk for pk in selected if pk != forced.pk)]
        shown = list(field.queryset.filter(pk__in=selected)) + [
            o for o in partner_matches(self.user, query) if o.pk not in selected
        ]
        field.widget.choices = [(o.pk, organisation_label(o)) for o in shown]
        search_widget(
            self.fields["organisation_search"],
            url=reverse("activities:organisation_choices"),
            target="#organisation-choices",
            include="#organisation-choices",
        )

    def _volunteer_field(self, activity: Activity) -> None:
        """The contacts (the user may see) of the organisations ticked, and those already recorded."""
        kept = list(activity.volunteers.values_list("pk", flat=True)) if activity.pk else []
        if self.is_bound:
            organisation_ids = [pk for pk in map(to_pk, self.data.getlist("organisations")) if pk]
        else:
            organisation_ids = list(self.initial.get("organisations") or [])
            self.initial.setdefault("volunteers", kept)
        field = self.fields["volunteers"]
        field.queryset = (
            Person.objects.for_user(self.user)
            .filter(Q(memberships__organisation__in=organisation_ids, is_active=True) | Q(pk__in=kept))
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        field.widget.choices = [(p.pk, f"{p.first_name} {p.last_name}") for p in field.queryset[:SHOWN]]

    def clean(self):
        cleaned = super().clean()
        check_dates(self, cleaned.get("starts_on"), cleaned.get("ends_on"))
        academy, basin = cleaned.get("academy"), cleaned.get("basin")
        if academy is not None and basin is not None and basin.academy_id != academy.pk:
            self.add_error("basin", "Ce bassin n’est pas dans l’académie choisie.")
        forced = self.rights.own_partner if self.rights.places == "derived" else None
        if forced is not None and "organisations" in cleaned:
            cleaned["organisations"] = [forced, *(o for o in cleaned["organisations"] if o.pk != forced.pk)]
        for name in ("class_count", "teacher_count", "professional_count", "hours"):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = 0
                setattr(self.instance, name, 0)
        return cleaned

    def apply_place(self) -> None:
        """Set the académie and bassin chosen (académie staff, CLEE members) on the activity."""
        activity, cleaned = self.instance, self.cleaned_data
        if "academy" in self.fields:
            activity.academy, activity.basin = cleaned["academy"], cleaned.get("basin")
        elif "basin" in self.fields:
            activity.basin, activity.academy = cleaned["basin"], cleaned["basin"].academy


class WithdrawForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif du retrait",
        max_length=WITHDRAW_REASON_MAX,
        help_text=f"{WITHDRAW_REASON_MAX} caractères au plus ; il figure dans l’historique.",
        error_messages={
            "required": "Indiquez pourquoi l’activité est retirée (doublon, activité annulée…).",
            "max_length": f"Le motif tient en {WITHDRAW_REASON_MAX} caractères au plus.",
        },
    )
