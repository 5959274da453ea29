"""Read-only API of the directory, scoped exactly like its pages.

Every organisation's identity is readable by any user with a role; a person only inside
the académie that holds the contact or the organisations they work for.
"""

from typing import Annotated, Literal

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router
from ninja.pagination import paginate

from partenariats.core.api_inputs import ApiPagination, counted_once
from partenariats.directory.identifiers import normalize_siret, normalize_uai
from partenariats.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    Person,
    PersonQuerySet,
    PersonRole,
)
from partenariats.directory.schemas import OrganisationOut, PersonDetailOut, PersonOut

router = Router(tags=["Annuaire"])


class OrganisationFilters(FilterSchema):
    q: str | None = Field(
        None,
        description="Recherche sans accents ni casse : nom, sigle, commune, code postal, UAI, SIRET.",
    )
    kind: OrganisationKind | None = Field(None, description="Type d’organisation (code).")
    academy: Annotated[str | None, FilterLookup("academy__code")] = Field(
        None, description="Code de l’académie, par exemple « 02 »."
    )
    uai: str | None = Field(None, description="UAI exact d’un établissement.")
    siret: str | None = Field(None, description="SIRET exact d’une entreprise (espaces et points ignorés).")
    priority_education: Literal["rep", "rep_plus", "none"] | None = Field(
        None, description="Éducation prioritaire : rep, rep_plus, ou none (hors éducation prioritaire)."
    )
    active: Annotated[bool, FilterLookup("is_active")] = Field(
        True, description="true (par défaut) : les organisations actives ; false : les désactivées."
    )

    def filter_q(self, value: str | None) -> Q:
        return Q()  # applied by filter() through Organisation.objects.search

    def filter_uai(self, value: str | None) -> Q:
        return Q(uai=normalize_uai(value or ""))

    def filter_siret(self, value: str | None) -> Q:
        return Q(siret=normalize_siret(value or ""))

    def filter_priority_education(self, value: str | None) -> Q:
        return Q(priority_education="" if value == "none" else value)

    def filter(self, queryset: OrganisationQuerySet) -> OrganisationQuerySet:
        queryset = super().filter(queryset)
        return queryset.search(self.q) if self.q else queryset


class PersonFilters(FilterSchema):
    q: str | None = Field(None, description="Recherche sans accents ni casse dans le prénom, le nom et le courriel.")
    organisation: int | None = Field(
        None, description="Identifiant d’une organisation : les personnes qui y travaillent."
    )
    role: PersonRole | None = Field(None, description="Rôle (code) ; avec « organisation », le rôle dans celle-ci.")

    def custom_expression(self) -> Q:
        # Both conditions bear on the same rattachement; a subquery avoids duplicate rows.
        membership = {
            name: value
            for name, value in (("organisation", self.organisation), ("role", self.role))
            if value is not None
        }
        return Q(pk__in=Membership.objects.filter(**membership).values("person")) if membership else Q()

    def filter(self, queryset: PersonQuerySet) -> PersonQuerySet:
        queryset = super().filter(queryset)
        return queryset.search(self.q) if self.q else queryset


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations")
@paginate(ApiPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):
    """Les organisations, par nom ; par défaut les actives seulement."""
    organisations = Organisation.objects.for_user(request.auth).select_related("academy", "basin")
    rows = filters.filter(organisations.order_by(Lower("name"), "pk"))  # a search sorts its matches
    return counted_once(rows, name="organisations", filters=filters, user=request.auth)


@router.get("/organisations/{int:organisation_id}", response=OrganisationOut, summary="Une organisation")
def get_organisation(request: HttpRequest, organisation_id: int):
    """L’identité d’une organisation (sans contacts ni notes)."""
    return get_object_or_404(
        Organisation.objects.for_user(request.auth).select_related("academy", "basin"), pk=organisation_id
    )


@router.get("/people", response=list[PersonOut], summary="Personnes")
@paginate(ApiPagination)
def list_people(request: HttpRequest, filters: Query[PersonFilters]):
    """Les contacts que vous pouvez voir, par nom puis prénom."""
    people = Person.objects.for_user(request.auth).select_related("academy")
    return filters.filter(people).order_by(Lower("last_name"), Lower("first_name"), "pk")


@router.get("/people/{int:person_id}", response=PersonDetailOut, summary="Une personne")
def get_person(request: HttpRequest, person_id: int):
    """Un contact, avec ses rattachements ; un contact hors de votre périmètre est introuvable (404)."""
    people = Person.objects.for_user(request.auth).select_related("academy")
    return get_object_or_404(
        people.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("organisation")),
        ),
        pk=person_id,
    )
