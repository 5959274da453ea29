"""What each role has to record, what is late and what falls due this school year.

One function per role, each a fixed number of queries whatever the data size. Every query goes
through ``for_user`` / ``editable_by``, and confidential actions and commitments stay with the
parties' staff (``panels.parties_only``).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from partenariats.activities.models import (
    Action,
    Activity,
    ActivityGroup,
    Contribution,
    Plan,
    PlanStatus,
    RecordingLink,
)
from partenariats.conventions.models import Commitment, Convention
from partenariats.core.access import Scope
from partenariats.core.school_year import SchoolYear
from partenariats.dashboard.panels import (
    IN_FORCE,
    LAST_SHOWN,
    SHOWN,
    ActivityFigures,
    Listing,
    activity_figures,
    due_actions,
    involving,
    late_actions,
    listing,
    parties_only,
)
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.territories.models import Basin

LINK_EXPIRY = timedelta(days=7)


@dataclass(frozen=True)
class AcademyPanel:
    """Académie staff, observers and platform admins: the plans, actions, commitments and
    recordings of the conventions they watch (those of the « À traiter » panel)."""

    year: SchoolYear
    read_only: bool
    late: Listing  # ActionRow
    due: Listing  # ActionRow
    plans_to_prepare: Listing  # Convention, with ``editable``
    draft_plans: Listing  # Plan, with ``editable``
    to_confirm: Listing  # Activity
    expiring_links: Listing  # RecordingLink, with ``editable``
    silent_commitments: list[dict]  # convention, convention__title, count
    silent_commitment_count: int
    silent_convention_count: int


def academy_panel(user, scope: Scope, conventions: QuerySet[Convention], today: date, now: datetime) -> AcademyPanel:
    year = SchoolYear.of(today)
    watched = conventions.values("pk")
    editable = Convention.objects.editable_by(user)
    running = Convention.objects.filter(pk__in=watched, status__in=IN_FORCE)

    without_plan = (
        running.filter(~Exists(Plan.objects.filter(convention=OuterRef("pk"), school_year=year.start_year)))
        .annotate(editable=Exists(editable.filter(pk=OuterRef("pk"))))
        .order_by(Lower("title"), "pk")
    )
    drafts = (
        Plan.objects.filter(convention__in=watched, school_year=year.start_year, status=PlanStatus.DRAFT)
        .select_related("convention")
        .annotate(editable=Exists(editable.filter(pk=OuterRef("convention"))))
        .order_by(Lower("convention__title"), "pk")
    )
    suggested = Contribution.objects.filter(confirmed=False, convention__in=watched).values("activity")
    to_confirm = Activity.objects.for_user(user).filter(pk__in=suggested).order_by("-starts_on", "-pk")
    links = (
        RecordingLink.objects.usable(now)
        .filter(convention__in=watched, expires_at__lte=now + LINK_EXPIRY)
        .select_related("convention", "organisation")
        .annotate(editable=Exists(editable.filter(pk=OuterRef("convention"))))
        .order_by("expires_at", "pk")
    )
    silent = silent_commitments(scope, running, year)
    totals = silent.aggregate(commitments=Count("pk"), conventions=Count("convention", distinct=True))
    actions = Action.objects.filter(plan__convention__in=watched)
    return AcademyPanel(
        year=year,
        read_only=scope.read_only,
        late=late_actions(actions, scope, today),
        due=due_actions(actions, scope, today),
        plans_to_prepare=listing(without_plan),
        draft_plans=listing(drafts),
        to_confirm=listing(to_confirm),
        expiring_links=listing(links),
        silent_commitments=list(
            silent.values("convention", "convention__title")
            .annotate(count=Count("pk"))
            .order_by("-count", Lower("convention__title"), "convention")[:SHOWN]
        ),
        silent_commitment_count=totals["commitments"],
        silent_convention_count=totals["conventions"],
    )


def silent_commitments(scope: Scope, conventions: QuerySet[Convention], year: SchoolYear) -> QuerySet[Commitment]:
    """Commitments with no activity this school year: no confirmed contribution of a live activity of
    the year names the commitment or an action serving it."""
    done = Contribution.objects.filter(
        Q(commitment=OuterRef("pk")) | Q(action__commitments=OuterRef("pk")),
        confirmed=True,
        activity__withdrawn_at__isnull=True,
        activity__school_year=year.start_year,
    )
    return (
        Commitment.objects.filter(convention__in=conventions.values("pk"))
        .filter(parties_only(scope, "convention"))
        .filter(~Exists(done))
    )


@dataclass(frozen=True)
class BasinPanel:
    """A CLEE member: the bassin's activities this year and the schools not reached yet."""

    year: SchoolYear
    basins: list[Basin]
    activities: ActivityFigures
    school_count: int
    silent_schools: Listing  # Organisation


def basin_panel(user, scope: Scope, today: date) -> BasinPanel:
    year = SchoolYear.of(today)
    basin_ids = scope.basin_ids
    in_basins = Activity.objects.filter(Q(basin__in=basin_ids) | Q(groups__school__basin__in=basin_ids)).values("pk")
    activities = Activity.objects.for_user(user).filter(school_year=year.start_year, pk__in=in_basins)
    reached = ActivityGroup.objects.filter(
        school=OuterRef("pk"), activity__school_year=year.start_year, activity__withdrawn_at__isnull=True
    )
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL, is_active=True, basin__in=basin_ids).annotate(
        reached=Exists(reached)
    )
    silent = schools.filter(reached=False).order_by(Lower("name"), "pk")
    return BasinPanel(
        year=year,
        basins=list(Basin.objects.filter(pk__in=basin_ids).order_by(Lower("name"), "pk")),
        activities=activity_figures(activities),
        school_count=schools.count(),
        silent_schools=listing(silent, LAST_SHOWN),
    )


def own_activities(ours, year: SchoolYear):
    """The live activities of the year among ``ours`` (the user's own organisations'): every one of
    them is readable by the user (``readable_by`` grants an organisation's staff the activities it
    took part in or that were recorded for it), so ``for_user``'s conditions, which for a national
    federation's staff read nearly every activity (≈ 0.8 s at 50,000), are not repeated."""
    return Activity.objects.live().filter(school_year=year.start_year, pk__in=ours)


@dataclass(frozen=True)
class SchoolPanel:
    """School staff: their school's activities, those to complete, the actions coming up."""

    year: SchoolYear
    schools: list[Organisation]
    activities: ActivityFigures
    to_complete: Listing  # Activity
    due: Listing  # ActionRow


def school_panel(user, scope: Scope, schools: list[Organisation], today: date) -> SchoolPanel:
    year = SchoolYear.of(today)
    ids = [school.pk for school in schools]
    ours = involving(ids, as_school=True)
    activities = own_activities(ours, year)
    incomplete = (
        Activity.objects.editable_by(user)
        .filter(school_year=year.start_year, starts_on__lte=today, pk__in=ours)
        .filter(Q(prepared_with_pupils=False) | Q(exploited_afterwards=False))
        .order_by("starts_on", "pk")
    )
    party_to = Convention.objects.for_user(user).filter(parties__organisation__in=ids).values("pk")
    return SchoolPanel(
        year=year,
        schools=schools,
        activities=activity_figures(activities),
        to_complete=listing(incomplete),
        due=due_actions(Action.objects.filter(plan__convention__in=party_to), scope, today),
    )


@dataclass(frozen=True)
class PartnerPanel:
    """Partner staff: their organisation's activities, the actions their party leads that are
    late or fall due, the suggested contributions to confirm."""

    year: SchoolYear
    organisations: list[Organisation]
    activities: ActivityFigures
    late: Listing  # ActionRow
    due: Listing  # ActionRow
    to_confirm: Listing  # Activity


def partner_panel(user, scope: Scope, organisations: list[Organisation], today: date) -> PartnerPanel:
    year = SchoolYear.of(today)
    ids = [organisation.pk for organisation in organisations]
    ours = involving(ids, as_school=False)
    activities = own_activities(ours, year)
    led = Action.objects.filter(
        owner_party__organisation__in=ids,
        plan__convention__in=Convention.objects.for_user(user).values("pk"),
    )
    suggested = Contribution.objects.filter(confirmed=False).values("activity")
    to_confirm = (
        Activity.objects.editable_by(user).filter(pk__in=ours).filter(pk__in=suggested).order_by("-starts_on", "-pk")
    )
    return PartnerPanel(
        year=year,
        organisations=organisations,
        activities=activity_figures(activities),
        late=late_actions(led, scope, today),
        due=due_actions(led, scope, today),
        to_confirm=listing(to_confirm),
    )
