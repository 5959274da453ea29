"""The filters of the convention list (django-filter)."""

from datetime import date

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from partenariats.conventions.models import ConventionKind, ConventionStatus, Programme
from partenariats.core.access import scope_of
from partenariats.core.filtering import CachedChoicesMixin
from partenariats.core.text import fold
from partenariats.terms.dates import add_months
from partenariats.territories.models import Academy

ENDING_CHOICES = [("3", "Dans les 3 mois"), ("6", "Dans les 6 mois"), ("12", "Dans les 12 mois")]


class ConventionFilterForm(DsfrBaseForm):
    """The form of the convention list's filters, drawn with the DSFR."""


def rank_by_relevance(queryset, query: str):
    """On PostgreSQL, the best full-text matches first (elsewhere the list keeps its order).

    The ranking reads ``search_text``, which is already lower-cased and accent-folded by
    ``core.text.fold``, with the ``simple`` configuration (no stemming, no stop words): no
    PostgreSQL extension is needed (neither ``unaccent`` nor ``pg_trgm``). The filtering itself
    stays the substring search of ``ConventionQuerySet.search``, identical on both databases.
    """
    if connection.vendor != "postgresql":
        return queryset
    vector = SearchVector("search_text", config="simple")
    search = SearchQuery(fold(query), config="simple", search_type="plain")
    return queryset.annotate(rank=SearchRank(vector, search)).order_by("-rank", Lower("title"), "pk")


class ConventionFilter(CachedChoicesMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher", method="filter_search", help_text="Intitulé, référence, parties ou texte des articles"
    )
    status = django_filters.ChoiceFilter(
        label="Statut aujourd’hui", choices=ConventionStatus.choices, empty_label="Tous les statuts"
    )
    ending = django_filters.ChoiceFilter(
        label="Échéance",
        choices=ENDING_CHOICES,
        method="filter_ending",
        empty_label="Indifférent",
        help_text="Fin de la convention ou date limite de dénonciation",
    )
    academy = django_filters.ModelChoiceFilter(
        label="Académie", field_name="academies", queryset=Academy.objects.all(), empty_label="Toutes les académies"
    )
    partner = django_filters.CharFilter(label="Partie", method="filter_partner", help_text="Nom d’une organisation")
    kind = django_filters.ChoiceFilter(label="Type", choices=ConventionKind.choices, empty_label="Tous les types")
    programme = django_filters.ModelChoiceFilter(
        label="Dispositif", queryset=Programme.objects.all(), method="filter_programme", empty_label="Tous"
    )

    class Meta:
        form = ConventionFilterForm
        fields = ["q", "status", "ending", "academy", "partner", "kind", "programme"]

    def filter_search(self, queryset, name, value):
        return rank_by_relevance(queryset.search(value), value)

    def filter_partner(self, queryset, name, value):
        # One condition on one join: every word must match the same party.
        condition = Q()
        for word in fold(value).split():
            condition &= Q(parties__organisation__search_text__contains=word)
        return queryset.filter(condition).distinct()

    def filter_ending(self, queryset, name, value):
        today: date = timezone.localdate()
        limit = add_months(today, int(value))
        return queryset.filter(
            Q(ends_on__range=(today, limit)) | Q(notice_deadline__range=(today, limit)),
        )

    def filter_programme(self, queryset, name, value):
        # A confidential commitment's programme must not reveal it: only the parties' staff
        # match on those (the rule of ``Convention.is_party_staff``, as a query).
        scope = scope_of(self.request.user if self.request else None)
        visible = Q(commitments__confidential=False)
        if scope.is_platform_admin:
            visible = Q()
        else:
            visible |= Q(academies__in=scope.academy_ids) | Q(parties__organisation__in=scope.organisation_ids)
        return queryset.filter(Q(commitments__programmes=value) & visible).distinct()
