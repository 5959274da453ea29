"""The API of plans, actions and activities, scoped exactly like the pages.

Plans follow their convention's visibility (``Plan.objects.for_user``); confidential actions and
commitments are given to the parties' staff only. Activities: ``Activity.objects.for_user``;
out of scope is not found (404). Recording an activity: whoever the recording form lets record
(403 otherwise), with the form's rules, through ``services.save_activity``.
"""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from partenariats.activities import api_input, services
from partenariats.activities.forms_activities import recording_rights
from partenariats.activities.models import (
    Action,
    ActionModality,
    Activity,
    ActivityGroup,
    ActivityKind,
    Contribution,
    Plan,
)
from partenariats.activities.schemas import (
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    PlanDetailOut,
    PlanOut,
    ProblemOut,
)
from partenariats.conventions.models import Commitment, Convention
from partenariats.conventions.schemas import ErrorOut
from partenariats.core.api_inputs import ApiPagination, cached_detail, counted_once

router = Router(tags=["Plans et activités"])

NOT_A_RECORDER = "Votre rôle ne permet pas d’enregistrer des activités."


class PlanFilters(FilterSchema):
    convention: int | None = Field(None, description="Identifiant de la convention.")
    year: Annotated[int | None, FilterLookup("school_year")] = Field(
        None, description="Année de la rentrée : 2025 pour 2025–2026."
    )


@router.get("/plans", response=list[PlanOut], summary="Plans de partenariat")
@paginate(ApiPagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]):
    """Les plans des conventions que vous pouvez lire, par convention puis de l’année la plus récente."""
    plans = filters.filter(Plan.objects.for_user(request.auth))
    rows = plans.select_related("convention").order_by(
        Lower("convention__title"), "convention_id", "-school_year", "pk"
    )
    return counted_once(rows, name="plans", filters=filters, user=request.auth, counted=plans)


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, 404: ErrorOut}, summary="Un plan et ses actions")
def get_plan(request: HttpRequest, plan_id: int):
    """Un plan, ses actions, leurs modalités et leurs cibles ; les actions et engagements
    confidentiels ne sont donnés qu’au personnel des parties. Hors de votre périmètre : 404."""
    user = request.auth
    plan = get_object_or_404(Plan.objects.for_user(user).select_related("convention"), pk=plan_id)
    party = plan.convention.is_party_staff(user)
    actions = Action.objects.select_related("article", "owner_party__organisation")
    commitments = Commitment.objects.order_by("position", "pk")
    if not party:
        actions, commitments = actions.filter(confidential=False), commitments.filter(confidential=False)
    plan.actions_shown = actions.filter(plan=plan).prefetch_related(
        Prefetch("commitments", queryset=commitments),
        Prefetch("modalities", queryset=ActionModality.objects.select_related("party__organisation")),
        "audiences",
        "programmes",
        "targets",
    )
    return plan


class ActivityFilters(FilterSchema):
    year: Annotated[int | None, FilterLookup("school_year")] = Field(
        None, description="Année de la rentrée : 2025 pour 2025–2026."
    )
    kind: ActivityKind | None = Field(None, description="Type d’activité (code).")
    convention: int | None = Field(
        None, description="Identifiant d’une convention : les activités qui y comptent (rattachement confirmé)."
    )
    organisation: int | None = Field(
        None, description="Identifiant d’une organisation : les activités où elle est partenaire ou établissement."
    )

    def filter_convention(self, value: int | None) -> Q:
        return Q()  # applied by filter_for(): it depends on who asks

    def filter_organisation(self, value: int | None) -> Q:
        if value is None:
            return Q()
        partners = Activity.organisations.through.objects.filter(organisation=value).values("activity")
        schools = ActivityGroup.objects.filter(school=value).values("activity")
        return Q(pk__in=partners) | Q(pk__in=schools)

    def filter_for(self, queryset: QuerySet, user) -> QuerySet:
        queryset = self.filter(queryset)
        if self.convention is not None:
            counted = Contribution.objects.filter(
                convention=self.convention,
                convention__in=Convention.objects.for_user(user).values("pk"),
                confirmed=True,
            ).values("activity")
            queryset = queryset.filter(pk__in=counted)
        return queryset


def _activities(user, *, listing: bool = False) -> QuerySet:
    return (
        Activity.objects.for_user(user, listing=listing)
        .select_related("academy", "basin", "programme")
        .prefetch_related("organisations")
    )


@router.get("/activities", response=list[ActivityOut], summary="Activités")
@paginate(ApiPagination)
def list_activities(request: HttpRequest, filters: Query[ActivityFilters]):
    """Les activités que vous pouvez lire (les retirées n’y sont pas), de la plus récente à la plus ancienne."""
    user = request.auth
    rows = filters.filter_for(_activities(user, listing=True), user).order_by("-starts_on", "-pk")
    counted = filters.filter_for(Activity.objects.for_user(user, counting=True), user)
    return counted_once(rows, name="activities", filters=filters, user=user, counted=counted)


def _detail(user, activity_id: int) -> Activity:
    activities = _activities(user).prefetch_related(
        Prefetch("groups", queryset=ActivityGroup.objects.select_related("school")),
    )
    activity = get_object_or_404(activities.select_related("recorded_for"), pk=activity_id)
    rows = activity.contributions.select_related("convention", "action__plan", "commitment").order_by("pk")
    activity.visible_contributions, _ = services.visible_contributions(user, rows)
    return activity


@router.get("/activities/{int:activity_id}", response={200: ActivityDetailOut, 404: ErrorOut}, summary="Une activité")
def get_activity(request: HttpRequest, activity_id: int):
    """Une activité, ses groupes d’élèves, ses partenaires et ce pour quoi elle compte (dans les
    conventions que vous voyez). Hors de votre périmètre : introuvable (404)."""
    return cached_detail(
        request, f"activity:{activity_id}", ActivityDetailOut, lambda: _detail(request.auth, activity_id)
    )


@router.post(
    "/activities",
    response={201: ActivityDetailOut, 403: ErrorOut, 422: ProblemOut},
    summary="Enregistrer une activité",
)
def create_activity(request: HttpRequest, payload: ActivityIn):
    """Enregistre une activité avec les règles du formulaire de saisie : le personnel académique
    dans ses académies, les membres de CLEE dans leurs bassins, le personnel d’un établissement
    pour le sien, celui d’un partenaire avec son organisation toujours comptée. Les rattachements
    (``contributions``) sont choisis parmi ceux que le formulaire propose et sont confirmés par
    vous. Tout ou rien : une erreur, et rien n’est enregistré (422, chaque erreur en français)."""
    user = request.auth
    rights = recording_rights(user)
    if not rights.may_record:
        raise HttpError(403, NOT_A_RECORDER)
    try:
        draft = api_input.check(payload, user, rights)
    except api_input.Refused as refused:
        raise HttpError(403, str(refused)) from refused
    if not draft.errors:
        try:
            activity = services.save_activity(draft.activity, draft.data, by_user=user)
        except ValidationError as exc:
            draft.errors = exc.messages
        else:
            return Status(201, _detail(user, activity.pk))
    count = len(draft.errors)
    detail = f"L’activité n’a pas été enregistrée : {count} erreur{'s' if count > 1 else ''}."
    return Status(422, {"detail": detail, "errors": draft.errors})
