"""API shapes of plans, actions and activities.

Enumerations are given as their code beside a ``*_label`` in French; dates as ``AAAA-MM-JJ``;
a school year as the calendar year it starts in (``2025`` is 2025–2026) beside its label.
What depends on who asks (confidential actions, commitments and rattachements) is filtered by
the view before serialisation.
"""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from partenariats.activities.models import Metric, PlanStatus
from partenariats.core.api_inputs import Count, RecordId
from partenariats.directory.schemas import BasinRef, OrganisationRef
from partenariats.territories.schemas import AcademyRef


class ConventionRef(Schema):
    id: int
    title: str = Field(description="Intitulé.")
    reference: str = Field(description="Référence, vide s’il n’y en a pas.")


class PlanOut(Schema):
    """Le plan de partenariat (plan d’action) d’une convention pour une année scolaire."""

    id: int
    convention: ConventionRef
    school_year: int = Field(description="Année de la rentrée : 2025 pour 2025–2026.")
    year_label: str = Field(description="L’année scolaire, en clair : « 2025–2026 ».")
    status: PlanStatus = Field(description="draft (en préparation) ou adopted (adopté).")
    status_label: str = Field(description="Statut, en clair.")
    adopted_on: datetime.date | None = Field(description="Date d’adoption.")
    carried_from_id: int | None = Field(description="Le plan de l’année précédente dont celui-ci reprend les actions.")
    version: int = Field(description="Numéro de version (verrouillage optimiste).")
    updated_at: datetime.datetime = Field(description="Dernière modification (ISO 8601).")

    @staticmethod
    def resolve_year_label(obj) -> str:
        return obj.year.label

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class TargetOut(Schema):
    metric: Metric = Field(description="Indicateur (code) : pupils, classes, schools, companies, teachers…")
    metric_label: str = Field(description="Indicateur, en clair.")
    value: int = Field(description="Cible.")

    @staticmethod
    def resolve_metric_label(obj) -> str:
        return obj.get_metric_display()


class PartyRef(Schema):
    id: int
    organisation: OrganisationRef = Field(description="L’organisation partie à la convention.")


class ModalityOut(Schema):
    party: PartyRef = Field(description="La partie.")
    text: str = Field(description="Ce que fait cette partie pour l’action.")


class ArticleRef(Schema):
    id: int
    number: str = Field(description="Numéro de l’article.")
    heading: str = Field(description="Intitulé de l’article.")


class CommitmentRef(Schema):
    id: int
    text: str = Field(description="Engagement.")


class ActionOut(Schema):
    """Une action numérotée du plan ; les actions confidentielles ne sont données qu’au personnel des parties."""

    id: int
    number: int = Field(description="Numéro dans le plan.")
    title: str = Field(description="Intitulé.")
    article: ArticleRef | None = Field(description="L’axe : l’article de la convention mis en œuvre.")
    commitments: list[CommitmentRef] = Field(description="Engagements servis (les confidentiels : parties seulement).")
    objective: str = Field(description="Objectif.")
    audiences: list[str] = Field(description="Codes des publics visés.")
    programmes: list[str] = Field(description="Codes des dispositifs.")
    start_wording: str = Field(description="Calendrier tel que rédigé (« 1er trimestre 2026 »).")
    starts_on: datetime.date | None = Field(description="Début de la période, lu du calendrier ou saisi.")
    ends_on: datetime.date | None = Field(description="Fin de la période.")
    owner_party: PartyRef | None = Field(description="La partie pilote.")
    owner_name: str = Field(description="Pilote (personne ou service).")
    confidential: bool = Field(description="Confidentielle.")
    modalities: list[ModalityOut] = Field(description="Ce que fait chaque partie.")
    targets: list[TargetOut] = Field(description="Cibles de l’année.")

    @staticmethod
    def resolve_commitments(obj) -> list:
        return list(obj.commitments.all())

    @staticmethod
    def resolve_audiences(obj) -> list[str]:
        return [audience.code for audience in obj.audiences.all()]

    @staticmethod
    def resolve_programmes(obj) -> list[str]:
        return [programme.code for programme in obj.programmes.all()]

    @staticmethod
    def resolve_modalities(obj) -> list:
        return list(obj.modalities.all())

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())


class PlanDetailOut(PlanOut):
    notes: str = Field(description="Commentaire.")
    actions: list[ActionOut] = Field(description="Les actions, dans l’ordre du plan.")

    @staticmethod
    def resolve_actions(obj) -> list:
        # Set by the view: the confidential ones only for the parties' staff.
        return list(obj.actions_shown)


class ActivityOut(Schema):
    """Une activité réalisée, avec ses comptes ; « pupil_participations » compte des participations
    (un élève venu deux fois compte deux fois), pas des élèves distincts."""

    id: int
    kind: str = Field(description="Type d’activité (code).")
    kind_label: str = Field(description="Type d’activité, en clair.")
    title: str = Field(description="Intitulé.")
    starts_on: datetime.date = Field(description="Date (ou premier jour).")
    ends_on: datetime.date | None = Field(description="Dernier jour, s’il diffère.")
    school_year: int = Field(description="Année de la rentrée : 2025 pour 2025–2026.")
    year_label: str = Field(description="L’année scolaire, en clair.")
    place: str = Field(description="Lieu.")
    academy: AcademyRef | None = Field(description="Académie où l’activité est comptée.")
    basin: BasinRef | None = Field(description="Bassin où l’activité est comptée.")
    programme: str | None = Field(description="Code du dispositif.")
    organisations: list[OrganisationRef] = Field(description="Organisations partenaires impliquées.")
    pupil_participations: int = Field(description="Participations d’élèves (somme des groupes).")
    class_count: int = Field(description="Classes.")
    teacher_count: int = Field(description="Enseignants.")
    professional_count: int = Field(description="Professionnels.")
    hours: float = Field(description="Durée en heures (une décimale).")
    prepared_with_pupils: bool = Field(description="Préparée avec les élèves.")
    exploited_afterwards: bool = Field(description="Exploitée ensuite en classe.")
    confidential: bool = Field(description="Confidentielle.")
    version: int = Field(description="Numéro de version (verrouillage optimiste).")
    updated_at: datetime.datetime = Field(description="Dernière modification (ISO 8601).")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_year_label(obj) -> str:
        return obj.year.label

    @staticmethod
    def resolve_hours(obj) -> float:
        return float(obj.hours)

    @staticmethod
    def resolve_programme(obj) -> str | None:
        return obj.programme.code if obj.programme else None

    @staticmethod
    def resolve_organisations(obj) -> list:
        return list(obj.organisations.all())


class SchoolRef(Schema):
    id: int
    name: str = Field(description="Nom de l’établissement.")
    uai: str = Field(description="UAI.")


class GroupOut(Schema):
    school: SchoolRef | None = Field(description="Établissement du groupe.")
    level: str = Field(description="Niveau (code).")
    level_label: str = Field(description="Niveau, en clair.")
    class_name: str = Field(description="Classe.")
    pupils: int = Field(description="Élèves.")

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class ActionRef(Schema):
    id: int
    number: int = Field(description="Numéro dans le plan.")
    title: str = Field(description="Intitulé.")


class ContributionOut(Schema):
    """Ce pour quoi l’activité compte ; seuls les rattachements confirmés comptent dans les indicateurs."""

    convention: ConventionRef
    action: ActionRef | None = Field(description="L’action du plan de l’année.")
    commitment: CommitmentRef | None = Field(description="L’engagement.")
    confirmed: bool = Field(description="Confirmé par une personne (sinon : seulement suggéré).")


class ActivityDetailOut(ActivityOut):
    evaluation: str = Field(description="Évaluation qualitative.")
    groups: list[GroupOut] = Field(description="Groupes d’élèves.")
    contributions: list[ContributionOut] = Field(
        description="Ce pour quoi l’activité compte, dans les conventions que vous voyez."
    )
    recorded_for: OrganisationRef | None = Field(description="L’organisation pour laquelle elle a été saisie.")

    @staticmethod
    def resolve_groups(obj) -> list:
        return list(obj.groups.all())

    @staticmethod
    def resolve_contributions(obj) -> list:
        # Set by the view: only what the caller may see.
        return obj.visible_contributions


class GroupIn(Schema):
    school: RecordId | None = Field(None, description="Identifiant de l’établissement (voir /api/organisations).")
    level: str = Field("other", description="Niveau (code) : 6e, 5e, 4e, 3e, 2nde_gt, 2nde_pro, 1re, tle, cap…")
    class_name: str = Field("", description="Classe, par exemple « 3e B ».")
    pupils: Count = Field(description="Nombre d’élèves du groupe (au moins 1).")


class ContributionIn(Schema):
    convention: RecordId = Field(description="Identifiant de la convention.")
    action: RecordId | None = Field(None, description="Identifiant d’une action du plan de l’année de l’activité.")
    commitment: RecordId | None = Field(None, description="Identifiant d’un engagement de la convention.")


class ActivityIn(Schema):
    """Une activité à enregistrer : les mêmes règles que le formulaire de saisie."""

    kind: str = Field(description="Type d’activité (code), par exemple « company_visit ».")
    title: str = Field(description="Intitulé.")
    # Dates as text, so that an impossible one (« 2026-02-31 ») is refused with a French message.
    starts_on: str = Field(description="Date (ou premier jour), AAAA-MM-JJ.", json_schema_extra={"format": "date"})
    ends_on: str | None = Field(None, description="Dernier jour, s’il diffère.", json_schema_extra={"format": "date"})
    place: str = Field("", description="Lieu.")
    academy: str | None = Field(
        None,
        description="Académie où l’activité est comptée (code), pour le personnel académique de plusieurs académies.",
    )
    basin: RecordId | None = Field(None, description="Bassin où l’activité est comptée (identifiant).")
    programme: str | None = Field(None, description="Code du dispositif.")
    groups: list[GroupIn] = Field([], description="Groupes d’élèves.")
    organisations: list[RecordId] = Field([], description="Identifiants des organisations partenaires impliquées.")
    class_count: Count = Field(0, description="Classes.")
    teacher_count: Count = Field(0, description="Enseignants.")
    professional_count: Count = Field(0, description="Professionnels.")
    hours: Decimal = Field(Decimal(0), description="Durée en heures, une décimale au plus.")
    prepared_with_pupils: bool = Field(False, description="Préparée avec les élèves.")
    exploited_afterwards: bool = Field(False, description="Exploitée ensuite en classe.")
    evaluation: str = Field("", description="Évaluation qualitative.")
    confidential: bool = Field(False, description="Confidentielle.")
    contributions: list[ContributionIn] = Field(
        [], description="Ce pour quoi elle compte : parmi les rattachements que le formulaire propose."
    )


class ProblemOut(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")
    errors: list[str] = Field([], description="Chaque erreur, préfixée du champ concerné.")
