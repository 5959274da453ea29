"""API shapes of the convention registry.

Enumerations are given as their code beside a ``*_label`` in French; dates as ``AAAA-MM-JJ``.
Resolvers that depend on who asks (confidential items, the parent convention, following)
read the caller from the serialisation context's request.
"""

import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema

from partenariats.conventions.models import (
    AmendmentKind,
    Commitment,
    Convention,
    ConventionKind,
    ConventionStatus,
    DatePrecision,
    Document,
    DocumentKind,
    EventKind,
    NoticeForm,
    PartySide,
    TerminationEffect,
)
from partenariats.core.api_inputs import RecordId


def _user(context: dict | None):
    return context["request"].auth if context else None


class OrganisationRef(Schema):
    id: int
    name: str = Field(description="Nom de l’organisation.")


class PartyBriefOut(Schema):
    """Une partie à la convention, en bref."""

    organisation: OrganisationRef = Field(description="Organisation partie à la convention.")
    side: PartySide = Field(description="Côté : education (Éducation nationale) ou partner (partenaire).")
    side_label: str = Field(description="Côté, en clair.")

    @staticmethod
    def resolve_side_label(obj) -> str:
        return obj.get_side_display()


class ConventionOut(Schema):
    """Une convention telle que la liste la montre ; statut et échéances calculés le ``status_computed_on``."""

    id: int
    title: str = Field(description="Intitulé.")
    reference: str = Field(description="Référence, vide s’il n’y en a pas.")
    kind: ConventionKind = Field(description="Type de convention (code).")
    kind_label: str = Field(description="Type de convention, en clair.")
    status: ConventionStatus = Field(description="Statut calculé (code), à jour à chaque changement et chaque jour.")
    status_label: str = Field(description="Statut, en clair.")
    status_computed_on: datetime.date | None = Field(description="Date à laquelle le statut a été calculé.")
    period_start: datetime.date | None = Field(description="Début de la période en cours.")
    period_end: datetime.date | None = Field(description="Dernier jour de la période en cours.")
    notice_deadline: datetime.date | None = Field(
        description="Dernier jour pour dénoncer la convention avant sa reconduction tacite."
    )
    effective_end: datetime.date | None = Field(
        description="Dernier jour en vigueur une fois la convention dénoncée ou résiliée."
    )
    provisional_until: datetime.date | None = Field(
        description="Fin du maintien provisoire pendant la renégociation, s’il y en a un."
    )
    ends_on: datetime.date | None = Field(description="Date de fin connue, quelle qu’en soit la cause.")
    academies: list[str] = Field(description="Codes des académies parties à la convention.")
    parties: list[PartyBriefOut] = Field(description="Parties, dans l’ordre du texte.")
    version: int = Field(description="Numéro de version, à renvoyer avec toute action (verrouillage optimiste).")
    updated_at: datetime.datetime = Field(description="Dernière modification (ISO 8601).")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_academies(obj) -> list[str]:
        return [academy.code for academy in obj.academies.all()]

    @staticmethod
    def resolve_parties(obj) -> list:
        return list(obj.parties.all())


class TermsOut(Schema):
    """Les clauses de durée et de fin telles que le texte les énonce (null : le texte ne dit rien) ;
    c’est la clé ``terms`` de l’entrée du moteur d’échéances."""

    start: str = Field(description="« signature » (à la dernière signature) ou une date fixée AAAA-MM-JJ.")
    duration_months: int | None = Field(description="Durée initiale, en mois.")
    indefinite: bool | None = Field(description="Durée indéterminée.")
    tacit_renewal: bool | None = Field(description="Reconduction tacite.")
    renewal_months: int | None = Field(description="Durée de chaque reconduction, en mois.")
    provisional_extension_months: int | None = Field(
        description="Maintien provisoire pendant la renégociation, en mois au plus."
    )
    notice_months: int | None = Field(description="Préavis, en mois.")
    notice_by_registered_letter: bool | None = Field(description="Préavis par lettre recommandée.")
    termination_effect: TerminationEffect | None = Field(description="Effet de la résiliation (code).")
    termination_date: str | None = Field(description="Date de fin fixée (AAAA-MM-JJ).")


class ConventionRef(Schema):
    id: int
    title: str = Field(description="Intitulé.")


class UserRef(Schema):
    id: int
    full_name: str = Field(description="Prénom et nom.")

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.get_full_name() or obj.email


class SignatoryOut(Schema):
    """Une signature du bloc de signatures ; chaque signataire a sa date, connue au jour, au mois ou pas du tout."""

    id: int
    name: str = Field(description="Nom tel qu’imprimé.")
    title: str = Field(description="Qualité telle qu’imprimée.")
    person_id: int | None = Field(description="La personne de l’annuaire, si elle y est.")
    signed_on: datetime.date | None = Field(
        description="Date de signature ; au mois seulement, c’est le 1er du mois (voir date_precision)."
    )
    date_precision: DatePrecision = Field(description="Précision de la date : day, month ou unknown.")
    date_precision_label: str = Field(description="Précision de la date, en clair.")
    date: str | None = Field(
        description="La date telle que le moteur la lit : AAAA-MM-JJ, AAAA-MM si seul le mois est connu, sinon null."
    )
    raw_date: str = Field(description="La date telle qu’écrite dans le texte.")
    place: str = Field(description="Lieu de signature.")

    @staticmethod
    def resolve_date_precision_label(obj) -> str:
        return obj.get_date_precision_display()

    @staticmethod
    def resolve_date(obj) -> str | None:
        return obj.engine_date()


class PartyOut(PartyBriefOut):
    """Une partie, son représentant et ses signataires."""

    id: int
    representative_id: int | None = Field(description="Le représentant, s’il est dans l’annuaire.")
    representative_name: str = Field(description="Nom du représentant, tel qu’imprimé.")
    representative_title: str = Field(description="Qualité du représentant, telle qu’imprimée.")
    signatories: list[SignatoryOut] = Field(description="Signataires pour cette partie.")

    @staticmethod
    def resolve_signatories(obj) -> list:
        return list(obj.signatories.all())


class ArticleOut(Schema):
    """Un article ; l’arborescence se reconstruit par ``parent_id``."""

    id: int
    parent_id: int | None = Field(description="L’article parent, null au premier niveau.")
    number: str = Field(description="Numéro : « 1 », « 2.11 », « Annexe 1 »…")
    heading: str = Field(description="Intitulé.")
    text: str = Field(description="Texte.")
    position: int = Field(description="Rang dans le texte.")


class CodeLabel(Schema):
    code: str
    label: str


class CommitmentOut(Schema):
    """Un engagement d’une partie ; les engagements confidentiels ne sont donnés qu’au personnel des parties."""

    id: int
    party_id: int = Field(description="La partie qui s’engage.")
    article_id: int | None = Field(description="L’article qui porte l’engagement.")
    text: str = Field(description="Engagement.")
    audiences: list[CodeLabel] = Field(description="Publics visés.")
    programmes: list[CodeLabel] = Field(description="Dispositifs.")
    confidential: bool = Field(description="Confidentiel.")

    @staticmethod
    def resolve_audiences(obj) -> list:
        return list(obj.audiences.all())

    @staticmethod
    def resolve_programmes(obj) -> list:
        return list(obj.programmes.all())


class AmendmentSignatoryOut(SignatoryOut):
    """Une signature d’un avenant ; elle ne change pas la date de début de la convention."""

    party_id: int | None = Field(description="La partie pour laquelle il signe (null : cosignataire).")


class AmendmentOut(Schema):
    """Un avenant et ses propres signataires."""

    id: int
    number: int = Field(description="Numéro de l’avenant.")
    kind: AmendmentKind = Field(description="Type d’avenant (code).")
    kind_label: str = Field(description="Type d’avenant, en clair.")
    title: str = Field(description="Objet.")
    summary: str = Field(description="Résumé des modifications.")
    signed_on: datetime.date | None = Field(
        description="Date de signature : la dernière des signatures datées de l’avenant, s’il y en a."
    )
    effective_on: datetime.date | None = Field(description="Date d’entrée en vigueur.")
    terms_changes: dict[str, Any] = Field(description="Clauses de durée et de fin modifiées (mêmes clés que terms).")
    signatories: list[AmendmentSignatoryOut] = Field(description="Signataires de l’avenant, dans l’ordre.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_signatories(obj) -> list:
        return list(obj.signatories.all())


class EventOut(Schema):
    """Un événement de la vie de la convention."""

    id: int
    kind: EventKind = Field(description="Événement (code).")
    kind_label: str = Field(description="Événement, en clair.")
    date: datetime.date = Field(description="Date ; pour une dénonciation, date de réception.")
    by_party_id: int | None = Field(description="La partie à l’initiative de l’événement.")
    form: NoticeForm | None = Field(description="Forme de la dénonciation (code).")
    form_label: str = Field(description="Forme de la dénonciation, en clair.")
    months: int | None = Field(description="Durée du renouvellement, en mois.")
    note: str = Field(description="Commentaire.")
    recorded_by: str | None = Field(description="Qui l’a enregistré.")
    recorded_at: datetime.datetime = Field(description="Quand il a été enregistré (ISO 8601).")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_form(obj) -> str | None:
        return obj.form or None

    @staticmethod
    def resolve_form_label(obj) -> str:
        return obj.get_form_display() if obj.form else ""

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        user = obj.recorded_by
        return (user.get_full_name() or user.email) if user else None


def document_download_path(document: Document) -> str | None:
    """The pages' download view, which checks access (None while the pages do not serve documents)."""
    try:
        return reverse("conventions:document_download", args=[document.convention_id, document.pk])
    except NoReverseMatch:
        return None


class DocumentOut(Schema):
    """Les métadonnées d’un document ; le fichier se télécharge par ``download_url``, qui vérifie les droits."""

    id: int
    kind: DocumentKind = Field(description="Type de document (code).")
    kind_label: str = Field(description="Type de document, en clair.")
    title: str = Field(description="Titre.")
    original_name: str = Field(description="Nom du fichier déposé.")
    content_type: str = Field(description="Type de contenu (MIME).")
    size: int = Field(description="Taille en octets.")
    sha256: str = Field(description="Empreinte SHA-256 du contenu.")
    version: int = Field(description="Version du document.")
    confidential: bool = Field(description="Confidentiel.")
    amendment_id: int | None = Field(description="L’avenant auquel il se rapporte.")
    uploaded_at: datetime.datetime = Field(description="Dépôt (ISO 8601).")
    download_url: str | None = Field(description="Adresse de téléchargement (session ouverte requise).")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_download_url(obj, context) -> str | None:
        path = document_download_path(obj)
        return context["request"].build_absolute_uri(path) if path and context else path


class ConventionDetailOut(ConventionOut):
    """Une convention entière : clauses, parties et signataires, articles, engagements, avenants,
    événements et documents. La frise chronologique : ``GET /api/conventions/{id}/timeline``."""

    parent: ConventionRef | None = Field(
        description="La convention de rattachement, si elle est dans le registre et dans votre périmètre."
    )
    parent_description: str = Field(description="La convention d’origine telle que le texte la nomme.")
    preamble: str = Field(description="Préambule.")
    confidentiality_clause: str = Field(description="Clause de confidentialité.")
    dispute_clause: str = Field(description="Règlement des litiges.")
    signature_place: str = Field(description="Lieu de signature.")
    originals: int | None = Field(description="Nombre d’originaux.")
    terms: TermsOut = Field(description="Clauses de durée et de fin.")
    steering_committee_month: int | None = Field(
        description="Mois du comité de pilotage annuel (null : à la date anniversaire)."
    )
    contact_exchange_month: int | None = Field(description="Mois de l’échange des listes de contacts.")
    alert_days: list[int] = Field(description="Délais d’alerte avant chaque échéance, en jours.")
    owners: list[UserRef] = Field(description="Responsables à l’académie.")
    parties: list[PartyOut] = Field(description="Parties, dans l’ordre du texte, avec leurs signataires.")
    other_signatories: list[SignatoryOut] = Field(description="Cosignataires qui ne sont pas parties.")
    articles: list[ArticleOut] = Field(description="Articles, à plat, dans l’ordre du texte.")
    commitments: list[CommitmentOut] = Field(
        description="Engagements ; les confidentiels seulement pour le personnel des parties."
    )
    amendments: list[AmendmentOut] = Field(description="Avenants, par numéro.")
    events: list[EventOut] = Field(description="Événements, par date.")
    documents: list[DocumentOut] = Field(
        description="Documents ; les confidentiels seulement pour le personnel des parties."
    )
    is_followed: bool = Field(description="Vrai si vous suivez cette convention.")
    can_edit: bool = Field(description="Vrai si vous pouvez la modifier et y enregistrer des événements.")

    @staticmethod
    def resolve_parent(obj, context) -> Convention | None:
        if obj.parent_id is None:
            return None
        return Convention.objects.for_user(_user(context)).filter(pk=obj.parent_id).only("pk", "title").first()

    @staticmethod
    def resolve_terms(obj) -> dict:
        return obj.terms_dict()

    @staticmethod
    def resolve_alert_days(obj) -> list[int]:
        return list(obj.alert_windows)

    @staticmethod
    def resolve_owners(obj) -> list:
        return list(obj.owners.all())

    @staticmethod
    def resolve_other_signatories(obj) -> list:
        return [signatory for signatory in obj.signatories.all() if signatory.party_id is None]

    @staticmethod
    def resolve_articles(obj) -> list:
        return list(obj.articles.all())

    @staticmethod
    def resolve_commitments(obj, context) -> list:
        commitments = Commitment.objects.visible_to(_user(context), obj)
        return list(commitments.prefetch_related("audiences", "programmes"))

    @staticmethod
    def resolve_amendments(obj) -> list:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_documents(obj, context) -> list:
        return list(Document.objects.visible_to(_user(context), obj))

    @staticmethod
    def resolve_is_followed(obj, context) -> bool:
        user = _user(context)
        return user is not None and obj.followers.filter(pk=user.pk).exists()

    @staticmethod
    def resolve_can_edit(obj, context) -> bool:
        return Convention.objects.editable_by(_user(context)).filter(pk=obj.pk).exists()


class TimelineEntryOut(Schema):
    date: str = Field(description="AAAA-MM-JJ.")
    kind: str = Field(description="Nature de l’échéance (liste fermée, voir le moteur d’échéances).")
    label: str = Field(description="Libellé en français.")


class TimelineOut(Schema):
    """La réponse du moteur d’échéances à une date, exactement celle de ``partenariats timeline``."""

    status: ConventionStatus = Field(description="Statut à la date demandée (code).")
    status_label: str = Field(description="Statut, en clair.")
    in_renewal_window: bool = Field(description="Vrai dans les mois qui précèdent une reconduction.")
    period_start: str | None = Field(description="Début de la période en cours (AAAA-MM-JJ).")
    period_end: str | None = Field(description="Dernier jour de la période en cours.")
    notice_deadline: str | None = Field(description="Dernier jour pour dénoncer avant la reconduction tacite.")
    effective_end: str | None = Field(description="Dernier jour en vigueur une fois dénoncée ou résiliée.")
    provisional_until: str | None = Field(description="Fin du maintien provisoire pendant la renégociation.")
    assumptions: list[str] = Field(description="Ce que le moteur a dû supposer, en phrases.")
    timeline: list[TimelineEntryOut] = Field(
        description="La frise : le passé et les cinq ans qui suivent la date demandée."
    )


class EventIn(Schema):
    """Un événement à enregistrer, avec la version de la convention que vous avez lue."""

    version: int = Field(description="La version lue (champ ``version`` de la convention).")
    kind: EventKind = Field(description="renewed, renegotiation_opened, notice_given ou terminated.")
    date: datetime.date = Field(description="AAAA-MM-JJ ; pour une dénonciation, la date de réception.")
    by_party: RecordId | None = Field(None, description="Identifiant de la partie à l’initiative (voir parties[].id).")
    form: NoticeForm | None = Field(None, description="Pour une dénonciation : sa forme (code).")
    months: int | None = Field(None, ge=1, le=240, description="Pour un renouvellement : sa durée, en mois.")
    note: str = Field("", max_length=5000, description="Commentaire.")


class ConventionStateOut(Schema):
    """Où en est la convention après l’action."""

    id: int
    version: int = Field(description="La nouvelle version, pour l’action suivante.")
    status: ConventionStatus = Field(description="Statut calculé aujourd’hui (code).")
    status_label: str = Field(description="Statut, en clair.")
    period_start: datetime.date | None = Field(description="Début de la période en cours.")
    period_end: datetime.date | None = Field(description="Dernier jour de la période en cours.")
    notice_deadline: datetime.date | None = Field(description="Dernier jour pour dénoncer.")
    effective_end: datetime.date | None = Field(description="Dernier jour en vigueur.")
    provisional_until: datetime.date | None = Field(description="Fin du maintien provisoire.")
    ends_on: datetime.date | None = Field(description="Date de fin connue.")

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class EventCreatedOut(Schema):
    event: EventOut = Field(description="L’événement enregistré.")
    convention: ConventionStateOut = Field(description="Statut et échéances recalculés.")


class FollowOut(Schema):
    following: bool = Field(description="Vrai si vous suivez désormais la convention.")


class ErrorOut(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class StaleVersionOut(ErrorOut):
    version: int = Field(description="La version actuelle de la convention.")
