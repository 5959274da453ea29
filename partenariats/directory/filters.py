"""The filters of the directory's lists (django-filter)."""

import django_filters
from django.db.models import Q

from partenariats.core.filtering import CachedChoicesMixin
from partenariats.core.text import fold
from partenariats.directory.forms import BasinChoiceField, FilterForm
from partenariats.directory.models import (
    OrganisationKind,
    PersonRole,
    PriorityEducation,
    SchoolType,
    Sector,
)
from partenariats.territories.models import Academy, Basin

STATUS_CHOICES = [("active", "Actives"), ("inactive", "Désactivées"), ("all", "Toutes")]
NO_PRIORITY_EDUCATION = "hors"


class BasinFilter(django_filters.ModelChoiceFilter):
    field_class = BasinChoiceField


def status_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(label="État", choices=STATUS_CHOICES, method="filter_status", empty_label=None)


class ActiveByDefaultFilterSet(CachedChoicesMixin, django_filters.FilterSet):
    """Lists show active records unless the user asks for the others (declare ``status = status_filter()``)."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            if not data.get("status"):
                data["status"] = "active"
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(is_active=True)
        if value == "inactive":
            return queryset.filter(is_active=False)
        return queryset


class OrganisationFilter(ActiveByDefaultFilterSet):
    q = django_filters.CharFilter(
        label="Rechercher", method="filter_search", help_text="Nom, sigle, commune, code postal, UAI ou SIRET"
    )
    kind = django_filters.ChoiceFilter(label="Type", choices=OrganisationKind.choices, empty_label="Tous les types")
    academy = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academy.objects.all(), empty_label="Toutes les académies"
    )
    basin = BasinFilter(
        label="Bassin de formation", queryset=Basin.objects.select_related("academy"), empty_label="Tous les bassins"
    )
    school_type = django_filters.ChoiceFilter(
        label="Type d’établissement", choices=SchoolType.choices, empty_label="Tous les établissements"
    )
    sector = django_filters.ChoiceFilter(label="Public ou privé", choices=Sector.choices, empty_label="Public et privé")
    priority_education = django_filters.ChoiceFilter(
        label="Éducation prioritaire",
        choices=[
            (PriorityEducation.REP, "REP"),
            (PriorityEducation.REP_PLUS, "REP+"),
            (NO_PRIORITY_EDUCATION, "Hors éducation prioritaire"),
        ],
        method="filter_priority_education",
        empty_label="Indifférent",
    )
    status = status_filter()

    class Meta:
        form = FilterForm
        fields = ["q", "kind", "academy", "basin", "school_type", "sector", "priority_education", "status"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_priority_education(self, queryset, name, value):
        wanted = "" if value == NO_PRIORITY_EDUCATION else value
        return queryset.filter(kind=OrganisationKind.SCHOOL, priority_education=wanted)


class PersonFilter(ActiveByDefaultFilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="filter_search", help_text="Nom, prénom ou courriel")
    organisation = django_filters.CharFilter(
        label="Organisation", method="filter_organisation", help_text="Nom, commune, UAI ou SIRET"
    )
    role = django_filters.ChoiceFilter(
        label="Rôle", field_name="memberships__role", choices=PersonRole.choices, empty_label="Tous les rôles"
    )
    academy = django_filters.ModelChoiceFilter(
        label="Académie détentrice", queryset=Academy.objects.all(), empty_label="Toutes les académies"
    )
    status = status_filter()

    class Meta:
        form = FilterForm
        fields = ["q", "organisation", "role", "academy", "status"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_organisation(self, queryset, name, value):
        # One condition on one join: every word must match the same organisation.
        condition = Q()
        for word in fold(value).split():
            condition &= Q(memberships__organisation__search_text__contains=word)
        return queryset.filter(condition)
