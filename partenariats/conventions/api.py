"""The conventions API, scoped exactly like the pages.

Reading: whoever the pages let read a convention (``Convention.objects.for_user``); a
convention out of scope is not found (404). Recording an event: only ``editable_by`` (403
otherwise), with the version read, through ``conventions.services``. Following: anyone who
can read the convention.
"""

from typing import Annotated

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from partenariats.conventions import services
from partenariats.conventions.models import (
    Commitment,
    Convention,
    ConventionEvent,
    ConventionKind,
    ConventionQuerySet,
    ConventionStatus,
    EventKind,
    Party,
)
from partenariats.conventions.schemas import (
    ConventionDetailOut,
    ConventionOut,
    ErrorOut,
    EventCreatedOut,
    EventIn,
    FollowOut,
    StaleVersionOut,
    TimelineOut,
)
from partenariats.core.access import scope_of
from partenariats.core.api_inputs import ApiPagination, cached_detail, counted_once
from partenariats.terms.dates import add_months, parse_date
from partenariats.territories.models import Academy

router = Router(tags=["Conventions"])

STALE_VERSION = (
    "La convention a été modifiée entre-temps (version {current}, vous avez envoyé la version {sent}) : "
    "relisez-la, puis renvoyez votre action avec la version actuelle."
)
BAD_DATE = "Date impossible ou mal écrite « {value} » : attendu AAAA-MM-JJ, par exemple 2025-06-01."
NOT_EDITOR = "Vous pouvez lire cette convention, mais pas y enregistrer d’événement."


def readable_commitments(user) -> QuerySet[Commitment]:
    """The commitments whose existence ``user`` may know of, across conventions (as ``visible_to``
    does for one): the confidential ones only for staff of the convention's parties."""
    scope = scope_of(user)
    if scope.is_platform_admin:
        return Commitment.objects.all()
    return Commitment.objects.filter(
        Q(confidential=False)
        | Q(convention__academies__in=scope.academy_ids)
        | Q(convention__parties__organisation__in=scope.organisation_ids)
    )


class ConventionFilters(FilterSchema):
    q: str | None = Field(
        None,
        description="Recherche sans accents ni casse : intitulé, référence, parties, texte des articles.",
    )
    status: ConventionStatus | None = Field(None, description="Statut calculé (code), par exemple « active ».")
    kind: ConventionKind | None = Field(None, description="Type de convention (code).")
    academy: Annotated[str | None, FilterLookup("academies__code")] = Field(
        None, description="Code d’une académie partie, par exemple « 02 »."
    )
    partner: Annotated[int | None, FilterLookup("parties__organisation")] = Field(
        None, description="Identifiant d’une organisation partie à la convention."
    )
    programme: str | None = Field(
        None, description="Code d’un dispositif d’un de ses engagements, par exemple « pfmp »."
    )
    ending_within_months: int | None = Field(
        None, ge=0, le=120, description="Se termine d’ici ce nombre de mois (date de fin connue, dès aujourd’hui)."
    )

    def filter_q(self, value: str | None) -> Q:
        return Q()  # applied by filter_for() through Convention.objects.search

    def filter_programme(self, value: str | None) -> Q:
        return Q()  # applied by filter_for(): it depends on who asks

    def filter_ending_within_months(self, value: int | None) -> Q:
        if value is None:
            return Q()
        today = timezone.localdate()
        return Q(ends_on__gte=today, ends_on__lte=add_months(today, value))

    def filter_for(self, queryset: ConventionQuerySet, user) -> ConventionQuerySet:
        queryset = self.filter(queryset)
        if self.programme:
            # A confidential commitment must not reveal its programme to who cannot read it.
            commitments = readable_commitments(user).filter(programmes__code=self.programme)
            queryset = queryset.filter(pk__in=commitments.values("convention"))
        return queryset.search(self.q) if self.q else queryset


def _party_prefetch(*, with_signatories: bool) -> Prefetch:
    parties = Party.objects.select_related("organisation")
    if with_signatories:
        parties = parties.prefetch_related("signatories")
    return Prefetch("parties", queryset=parties)


def _academies_prefetch() -> Prefetch:
    return Prefetch("academies", queryset=Academy.objects.order_by("code"))


def _readable(request: HttpRequest, convention_id: int) -> Convention:
    return get_object_or_404(Convention.objects.for_user(request.auth), pk=convention_id)


@router.get("", response=list[ConventionOut], summary="Conventions")
@paginate(ApiPagination)
def list_conventions(request: HttpRequest, filters: Query[ConventionFilters]):
    """Les conventions que vous pouvez lire, par intitulé ; statut et échéances tels que calculés
    au dernier changement ou au dernier calcul quotidien."""
    readable = filters.filter_for(Convention.objects.for_user(request.auth), request.auth)
    rows = readable.prefetch_related(_academies_prefetch(), _party_prefetch(with_signatories=False))
    return counted_once(rows.order_by(Lower("title"), "pk"), name="conventions", filters=filters, user=request.auth)


@router.get(
    "/{int:convention_id}",
    response={200: ConventionDetailOut, 404: ErrorOut},
    summary="Une convention",
)
def get_convention(request: HttpRequest, convention_id: int):
    """Une convention entière (sauf son historique) ; les engagements et documents confidentiels
    ne sont donnés qu’au personnel des parties. Hors de votre périmètre : introuvable (404)."""
    conventions = Convention.objects.for_user(request.auth).prefetch_related(
        _academies_prefetch(),
        _party_prefetch(with_signatories=True),
        "signatories",
        "owners",
        "articles",
        "amendments__signatories",
        Prefetch("events", queryset=ConventionEvent.objects.select_related("recorded_by")),
    )

    def followed(data: dict) -> None:
        followers = Convention.followers.through.objects.filter(convention_id=convention_id, user_id=request.auth.pk)
        data["is_followed"] = followers.exists()

    return cached_detail(
        request,
        f"convention:{convention_id}",
        ConventionDetailOut,
        lambda: get_object_or_404(conventions, pk=convention_id),
        own=followed,
    )


@router.get(
    "/{int:convention_id}/timeline",
    response={200: TimelineOut, 404: ErrorOut, 422: ErrorOut},
    summary="Statut et frise d’une convention à une date",
)
def get_convention_timeline(
    request: HttpRequest,
    convention_id: int,
    on: str | None = Query(None, description="Date d’évaluation AAAA-MM-JJ (par défaut : aujourd’hui)."),
):
    """Exactement la réponse de ``partenariats timeline`` pour cette convention à la date ``on`` :
    statut, période en cours, date limite de dénonciation, fin effective, hypothèses et frise."""
    day = timezone.localdate()
    if on is not None:
        parsed = parse_date(on, allow_month=False)
        if parsed is None:
            raise HttpError(422, BAD_DATE.format(value=on))
        day = parsed[0]
    return services.timeline(_readable(request, convention_id), day)


def _refusal(convention: Convention, event: EventIn) -> str | None:
    """Why this event cannot be recorded on this convention, in French; None if it can."""
    if event.by_party is not None and not convention.parties.filter(pk=event.by_party).exists():
        return "La partie indiquée (by_party) n’est pas une partie de cette convention."
    if event.months is not None and event.kind != EventKind.RENEWED:
        return "Une durée (months) ne s’indique que pour un renouvellement."
    if event.form is not None and event.kind != EventKind.NOTICE_GIVEN:
        return "Une forme (form) ne s’indique que pour une dénonciation."
    # The same rule as the pages: which events make sense in today's status.
    return services.action_refusal(convention, event.kind)


@router.post(
    "/{int:convention_id}/events",
    response={201: EventCreatedOut, 403: ErrorOut, 404: ErrorOut, 409: StaleVersionOut, 422: ErrorOut},
    summary="Enregistrer un événement (renouvellement, renégociation, dénonciation, résiliation)",
)
def create_convention_event(request: HttpRequest, convention_id: int, payload: EventIn):
    """Enregistre un événement daté, puis recalcule statut et échéances. Il faut pouvoir modifier
    la convention (403 sinon) et envoyer la version lue : si elle a changé entre-temps, rien n’est
    enregistré (409, avec la version actuelle)."""
    convention = _readable(request, convention_id)
    if not Convention.objects.editable_by(request.auth).filter(pk=convention.pk).exists():
        raise HttpError(403, NOT_EDITOR)
    if convention.version != payload.version:
        return Status(409, _stale(convention.version, payload.version))
    if refusal := _refusal(convention, payload):
        raise HttpError(422, refusal)
    try:
        event = services.record_event(
            convention,
            kind=payload.kind,
            on=payload.date,
            by_user=request.auth,
            expected_version=payload.version,
            by_party_id=payload.by_party,
            form=payload.form or "",
            months=payload.months,
            note=payload.note,
        )
    except services.StaleVersion as stale:
        return Status(409, _stale(stale.current.version, payload.version))
    except services.ActionRefused as refused:
        raise HttpError(422, str(refused)) from refused
    return Status(201, {"event": event, "convention": convention})


def _stale(current: int, sent: int) -> dict:
    return {"detail": STALE_VERSION.format(current=current, sent=sent), "version": current}


@router.post(
    "/{int:convention_id}/follow",
    response={200: FollowOut, 404: ErrorOut},
    summary="Suivre une convention",
)
def follow_convention(request: HttpRequest, convention_id: int):
    """Ajoute la convention à celles que vous suivez (leurs échéances vont dans votre agenda) ;
    sans effet si c’est déjà fait."""
    _readable(request, convention_id).followers.add(request.auth)
    return {"following": True}


@router.delete(
    "/{int:convention_id}/follow",
    response={200: FollowOut, 404: ErrorOut},
    summary="Ne plus suivre une convention",
)
def unfollow_convention(request: HttpRequest, convention_id: int):
    """Retire la convention de celles que vous suivez ; sans effet si vous ne la suiviez pas."""
    _readable(request, convention_id).followers.remove(request.auth)
    return {"following": False}
