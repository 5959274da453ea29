"""The filters of the activity list (django-filter): school year (the current one unless chosen),
kind, académie, bassin, convention, organisation, « préparée et exploitée », and a title search."""

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from partenariats.activities.models import Activity, ActivityGroup, ActivityKind, Contribution
from partenariats.conventions.models import Convention
from partenariats.core.access import scope_of
from partenariats.core.filtering import CachedChoicesMixin, cached_choices
from partenariats.core.school_year import SchoolYear
from partenariats.core.text import fold
from partenariats.directory.models import Organisation
from partenariats.territories.models import Academy, Basin

YEARS_BACK = 6
ALL = "toutes"
WITHDRAWN = "retirees"


class ActivityFilterForm(DsfrBaseForm):
    """The form of the activity list's filters, drawn with the DSFR."""


def year_choices() -> list[tuple[str, str]]:
    current = SchoolYear.of(timezone.localdate())
    years = [SchoolYear(current.start_year + 1 - n) for n in range(YEARS_BACK + 2)]
    return [(ALL, "Toutes les années"), *((str(y.start_year), y.label) for y in years)]


def with_default_year(data: QueryDict) -> QueryDict:
    """The list shows the current school year unless a year (or « toutes ») is chosen."""
    if data.get("year"):
        return data
    data = data.copy()
    data["year"] = str(SchoolYear.of(timezone.localdate()).start_year)
    return data


class ActivityFilter(CachedChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="filter_search", help_text="Dans l’intitulé")
    year = django_filters.ChoiceFilter(
        label="Année scolaire", choices=year_choices, method="filter_year", empty_label=None
    )
    kind = django_filters.ChoiceFilter(label="Type", choices=ActivityKind.choices, empty_label="Tous les types")
    academy = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academy.objects.none(), empty_label="Toutes les académies"
    )
    basin = django_filters.ModelChoiceFilter(label="Bassin", queryset=Basin.objects.none(), empty_label="Tous")
    convention = django_filters.ModelChoiceFilter(
        label="Convention",
        queryset=Convention.objects.none(),
        method="filter_convention",
        empty_label="Toutes",
        help_text="Les activités qui y comptent (rattachement confirmé)",
    )
    organisation = django_filters.CharFilter(
        label="Organisation ou établissement", method="filter_organisation", help_text="Nom, commune, UAI ou SIRET"
    )
    state = django_filters.ChoiceFilter(
        label="Activités retirées",
        choices=[(WITHDRAWN, "Afficher celles que vous pouvez rétablir")],
        method="filter_state",
        empty_label="Non",
        help_text="Retirées : elles ne comptent plus nulle part",
    )
    prepared = django_filters.ChoiceFilter(
        label="Préparée et exploitée",
        choices=[("oui", "Oui, les deux"), ("non", "Non, ou pas les deux")],
        method="filter_prepared",
        empty_label="Indifférent",
    )

    class Meta:
        model = Activity
        form = ActivityFilterForm
        fields = ["q", "year", "kind", "academy", "basin", "convention", "organisation", "prepared", "state"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        scope = scope_of(user)
        filters = self.filters
        if scope.is_platform_admin:
            filters["academy"].queryset = Academy.objects.all()
            filters["basin"].queryset = Basin.objects.select_related("academy")
        else:
            filters["academy"].queryset = Academy.objects.filter(pk__in=scope.academy_ids)
            filters["basin"].queryset = Basin.objects.filter(
                Q(academy__in=scope.academy_ids) | Q(pk__in=scope.basin_ids)
            ).select_related("academy")
        filters["convention"].queryset = Convention.objects.for_user(user).order_by("title")
        self.offered_conventions = Convention.objects.for_user(user, members=False).order_by("title")

    def offered_choices(self, name, field):
        """The convention list offers the reader's own conventions (and the one chosen), not its
        members': a national federation reads thousands, a list no one scrolls, which made its
        page weigh 400 kB. Any convention it reads is still accepted."""
        if name != "convention":
            return super().offered_choices(name, field)
        choices = cached_choices(field, self.offered_conventions)
        chosen = str(self.data.get("convention") or "")
        if chosen.isdigit() and chosen not in {value for value, _ in choices}:
            choices += [(str(c.pk), field.label_from_instance(c)) for c in field.queryset.filter(pk=chosen)]
        return choices

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def filter_year(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(school_year=int(value))

    def filter_convention(self, queryset, name, value):
        counted = Contribution.objects.filter(convention=value, confirmed=True).values("activity")
        return queryset.filter(pk__in=counted)

    def filter_organisation(self, queryset, name, value):
        words = fold(value).split()
        if not words:
            return queryset
        partner, school = Q(), Q()
        for word in words:
            partner &= Q(search_text__contains=word)
            school &= Q(school__search_text__contains=word)
        partners = Activity.organisations.through.objects.filter(
            organisation__in=Organisation.objects.filter(partner)
        ).values("activity")
        schools = ActivityGroup.objects.filter(school).values("activity")
        return queryset.filter(Q(pk__in=partners) | Q(pk__in=schools))

    def filter_state(self, queryset, name, value):
        return queryset  # the list starts from another queryset (see ``views_activities.activity_list``)

    def filter_prepared(self, queryset, name, value):
        both = Q(prepared_with_pupils=True, exploited_afterwards=True)
        return queryset.filter(both) if value == "oui" else queryset.exclude(both)
