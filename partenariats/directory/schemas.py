"""API shapes of the directory: an organisation's identity, a person and their rattachements.

Enumerations are given as their code (stable, for programs) beside a ``*_label`` in French
(for people); a code that is not stated is null, unless the empty code is itself a choice
(``priority_education``: hors éducation prioritaire, ``size``: non renseignée).
"""

import datetime
from typing import Literal

from ninja import Field, Schema

from partenariats.directory.models import (
    CompanySize,
    LegalBasis,
    OrganisationKind,
    PersonRole,
    PriorityEducation,
    SchoolType,
    Sector,
    ServiceType,
)
from partenariats.territories.schemas import AcademyRef


class BasinRef(Schema):
    id: int
    name: str = Field(description="Nom du bassin de formation.")


class OrganisationRef(Schema):
    id: int
    name: str = Field(description="Nom de l’organisation.")


class OrganisationOut(Schema):
    """L’identité d’une organisation (établissement, entreprise, fédération…), sans contacts ni notes."""

    id: int
    kind: OrganisationKind = Field(description="Type d’organisation (code).")
    kind_label: str = Field(description="Type d’organisation, en clair.")
    name: str = Field(description="Nom.")
    acronym: str = Field(description="Sigle, vide s’il n’y en a pas.")
    academy: AcademyRef | None = Field(description="Académie de rattachement ou qui l’a enregistrée.")
    basin: BasinRef | None = Field(description="Bassin de formation.")
    address: str = Field(description="Adresse.")
    address_extra: str = Field(description="Complément d’adresse.")
    postal_code: str = Field(description="Code postal.")
    city: str = Field(description="Commune.")
    department_code: str = Field(description="Code du département.")
    website: str = Field(description="Site web.")
    email: str = Field(description="Courriel générique (pas celui d’une personne).")
    phone: str = Field(description="Téléphone du standard.")
    service_type: ServiceType | None = Field(description="Pour un service académique : le service (code).")
    service_type_label: str = Field(description="Pour un service académique : le service, en clair.")
    uai: str = Field(description="Pour un établissement scolaire : son UAI (ex-RNE).")
    school_type: SchoolType | None = Field(description="Pour un établissement : son type (code).")
    school_type_label: str = Field(description="Pour un établissement : son type, en clair.")
    sector: Sector | None = Field(description="Pour un établissement : public ou privé (code).")
    sector_label: str = Field(description="Pour un établissement : public ou privé, en clair.")
    priority_education: PriorityEducation = Field(description="Éducation prioritaire : rep, rep_plus ou vide.")
    priority_education_label: str = Field(description="Éducation prioritaire, en clair.")
    pupil_count: int | None = Field(description="Nombre d’élèves, s’il est connu.")
    siret: str = Field(description="Pour une entreprise : son SIRET (14 chiffres).")
    naf_code: str = Field(description="Pour une entreprise : son code NAF.")
    size: CompanySize = Field(description="Pour une entreprise : sa taille (code, vide si inconnue).")
    size_label: str = Field(description="Pour une entreprise : sa taille, en clair.")
    is_active: bool = Field(description="Faux si l’organisation a été désactivée (fermée, fusionnée…).")
    deactivated_on: datetime.date | None = Field(description="Date de désactivation (AAAA-MM-JJ).")
    merged_into_id: int | None = Field(description="Si elle a été fusionnée : l’organisation qui la remplace.")
    created_at: datetime.datetime = Field(description="Création de la fiche (ISO 8601).")
    updated_at: datetime.datetime = Field(description="Dernière modification de la fiche (ISO 8601).")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_service_type(obj) -> str | None:
        return obj.service_type or None

    @staticmethod
    def resolve_service_type_label(obj) -> str:
        return obj.get_service_type_display() if obj.service_type else ""

    @staticmethod
    def resolve_school_type(obj) -> str | None:
        return obj.school_type or None

    @staticmethod
    def resolve_school_type_label(obj) -> str:
        return obj.get_school_type_display() if obj.school_type else ""

    @staticmethod
    def resolve_sector(obj) -> str | None:
        return obj.sector or None

    @staticmethod
    def resolve_sector_label(obj) -> str:
        return obj.get_sector_display() if obj.sector else ""

    @staticmethod
    def resolve_priority_education_label(obj) -> str:
        return obj.get_priority_education_display()

    @staticmethod
    def resolve_size_label(obj) -> str:
        return obj.get_size_display()


class MembershipOut(Schema):
    """Le rattachement d’une personne à une organisation, dans un rôle."""

    id: int
    organisation: OrganisationRef = Field(description="Organisation pour laquelle la personne travaille.")
    role: PersonRole = Field(description="Rôle (code).")
    role_label: str = Field(description="Rôle, en clair.")
    title: str = Field(description="Fonction telle qu’imprimée, par exemple « Recteur de la région académique ».")
    started_on: datetime.date | None = Field(description="Début du rattachement (AAAA-MM-JJ).")
    ended_on: datetime.date | None = Field(description="Fin du rattachement (AAAA-MM-JJ), vide s’il dure encore.")

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()


class PersonOut(Schema):
    """Un contact de l’annuaire."""

    id: int
    civility: Literal["mme", "m", ""] = Field(description="Civilité : « mme », « m » ou vide.")
    first_name: str = Field(description="Prénom.")
    last_name: str = Field(description="Nom.")
    full_name: str = Field(description="Prénom et nom.")
    email: str = Field(description="Courriel.")
    phone: str = Field(description="Téléphone.")
    academy: AcademyRef | None = Field(description="Académie détentrice du contact.")
    is_active: bool = Field(description="Faux si le contact n’est plus actif.")
    updated_at: datetime.datetime = Field(description="Dernière modification de la fiche (ISO 8601).")


class PersonDetailOut(PersonOut):
    """Un contact de l’annuaire, avec ses rattachements et l’origine de ses données."""

    legal_basis: LegalBasis = Field(description="Base légale du traitement de ses données (code).")
    legal_basis_label: str = Field(description="Base légale du traitement de ses données, en clair.")
    data_collected_on: datetime.date = Field(description="Date de recueil des données (AAAA-MM-JJ).")
    data_source: str = Field(description="Origine des données.")
    memberships: list[MembershipOut] = Field(description="Organisations pour lesquelles la personne travaille.")

    @staticmethod
    def resolve_legal_basis_label(obj) -> str:
        return obj.get_legal_basis_display()

    @staticmethod
    def resolve_memberships(obj) -> list:
        return list(obj.memberships.all())
