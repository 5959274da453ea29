"""Every list and indicator page reads the database a constant number of times, however many
rows it shows: rendered once on the walk's world, then again after more rows of what it lists
(several per level of relation) were added, the two renders must make as many queries.

The pages are found in the URL conf: a URL whose name says it lists (``…_list``, ``list_…``,
the indicators, the dashboard) must have an entry in ``GROWTH``; every other URL must be in
``NOT_LISTS`` with the reason it is not a list. A new URL in neither fails the suite.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partenariats.accounts.models import Role
from partenariats.activities.models import ActionTarget, ActivityGroup, Level, Metric, Plan
from partenariats.conventions.feeds import issue_feed
from partenariats.steering.models import Review
from partenariats.territories.models import Basin
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    AssignmentFactory,
    BasinFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PersonFactory,
    PlanFactory,
    UserFactory,
    academy,
    token_for,
)
from tests.steering.factories import CommitteeMemberFactory, ReviewFactory
from tests.test_url_walk import ALL_URLS, WalkedUrl, World, build_world, url_path, walk_recording_link

# How many rows each growth adds per level (three: enough to tell a loop from a constant).
MORE = 3
YEAR = 2025  # the school year of the walk's world (its activity, plan and review)


@dataclass
class Ctx:
    """The walk's world, and the personas' own records the growth adds rows to."""

    world: World
    school: object  # the school of ``school_head``
    company: object  # the company of ``partner_contact``
    basin: Basin  # the bassin of ``clee_member``


# --- Growth: more rows of what each page lists ------------------------------------------------


def more_activities(ctx: Ctx, *, academy_name: str = "Aix-Marseille", basin: Basin | None = None) -> None:
    """Activities of the world's convention, each with pupils of new schools at several levels,
    new companies, a new action and commitment, and a second convention it also counts for."""
    world = ctx.world
    for i in range(MORE):
        schools = [OrganisationFactory(school=True, academy=world.convention.academies.first()) for _ in range(2)]
        companies = [OrganisationFactory(company=True, academy=world.organisation.academy) for _ in range(2)]
        activity = ActivityFactory(
            academy=academy(academy_name),
            basin=basin,
            pupils=10 + i,
            groups__school=schools[0],
            organisations=[world.organisation, ctx.company, *companies],
            starts_on=date(YEAR, 12, 1 + i),
        )
        ActivityGroup.objects.create(activity=activity, school=schools[1], level=Level.SECONDE_PRO, pupils=5)
        ActivityGroup.objects.create(activity=activity, school=ctx.school, level=Level.PREMIERE, pupils=7)
        commitment = CommitmentFactory(convention=world.convention, party=world.convention.parties.last())
        action = ActionFactory(plan=world.plan, commitments=[commitment, world.commitment])
        ActionTarget.objects.create(action=action, metric=Metric.PUPILS, value=30)
        ContributionFactory(activity=activity, convention=world.convention, action=action)
        ContributionFactory(activity=activity, convention=world.convention, commitment=commitment)
        other = ConventionFactory(signed=True, academy=world.convention.academies.first())
        PartyFactory(convention=other, organisation=ctx.company)
        ContributionFactory(activity=activity, convention=other)


def more_organisations(ctx: Ctx) -> None:
    """Companies and schools of Aix, each with members, notes, contacts and activities."""
    aix = ctx.world.organisation.academy
    for _ in range(MORE):
        company = OrganisationFactory(company=True, academy=aix, basin=ctx.basin)
        OrganisationFactory(school=True, academy=aix, basin=ctx.basin)
        ctx.world.federation.members.add(company)
        MembershipFactory(person=PersonFactory(academy=aix), organisation=company)
        ActivityFactory(organisations=[company], pupils=3)


def more_people(ctx: Ctx) -> None:
    aix = ctx.world.organisation.academy
    for _ in range(MORE):
        person = PersonFactory(academy=aix)
        MembershipFactory(person=person, organisation=OrganisationFactory(company=True, academy=aix))
        MembershipFactory(person=person, organisation=ctx.world.organisation)


def more_conventions(ctx: Ctx) -> None:
    """Conventions of Aix, with parties, commitments, plans, followers and contributions."""
    world = ctx.world
    for _ in range(MORE):
        convention = ConventionFactory(signed=True, academy=world.organisation.academy)
        PartyFactory(convention=convention, organisation=ctx.company)
        PartyFactory(convention=convention, organisation=ctx.school)
        CommitmentFactory(convention=convention, party=convention.parties.last())
        PlanFactory(convention=convention, school_year=YEAR)
        convention.followers.add(world.user)
        convention.owners.add(world.user)
        ContributionFactory(activity=world.activity, convention=convention)


def more_plans(ctx: Ctx) -> None:
    """Plans of other years for the world's convention, each with actions, targets and commitments."""
    for _ in range(MORE):
        earlier = YEAR - Plan.objects.filter(convention=ctx.world.convention).count()
        plan = PlanFactory(convention=ctx.world.convention, school_year=earlier)
        for _ in range(2):
            action = ActionFactory(plan=plan, commitments=[ctx.world.commitment])
            ActionTarget.objects.create(action=action, metric=Metric.EVENTS, value=4)


def more_actions(ctx: Ctx) -> None:
    """Actions of the world's plan, each serving commitments, with targets and contributions."""
    world = ctx.world
    for _ in range(MORE):
        commitment = CommitmentFactory(convention=world.convention, party=world.convention.parties.first())
        action = ActionFactory(plan=world.plan, commitments=[commitment, world.commitment])
        ActionTarget.objects.create(action=action, metric=Metric.PUPILS, value=12)
        ActionTarget.objects.create(action=action, metric=Metric.EVENTS, value=2)
        ContributionFactory(activity=ActivityFactory(pupils=4), convention=world.convention, action=action)


def more_users(ctx: Ctx) -> None:
    """Accounts of Aix, each with two roles."""
    aix = ctx.world.organisation.academy
    for _ in range(MORE):
        user = UserFactory()
        AssignmentFactory(user=user, role=Role.ACADEMY_STAFF, academy=aix)
        AssignmentFactory(user=user, role=Role.OBSERVER, academy=aix)


def more_links(ctx: Ctx) -> None:
    for _ in range(MORE):
        walk_recording_link(ctx.world)


def more_members(ctx: Ctx) -> None:
    """Committee members of the world's convention, each a person with memberships."""
    world = ctx.world
    for _ in range(MORE):
        person = PersonFactory(academy=world.organisation.academy)
        MembershipFactory(person=person, organisation=world.organisation)
        CommitteeMemberFactory(convention=world.convention, person=person, party=world.convention.parties.first())


def more_reviews(ctx: Ctx) -> None:
    for _ in range(MORE):
        earlier = YEAR - Review.objects.filter(convention=ctx.world.convention).count()
        ReviewFactory(convention=ctx.world.convention, school_year=earlier)


def more_basins(ctx: Ctx) -> None:
    for _ in range(MORE):
        BasinFactory(academy=ctx.world.organisation.academy)


def more_of_everything(ctx: Ctx) -> None:
    """What a dashboard shows: activities, conventions, plans and actions."""
    more_activities(ctx, basin=ctx.basin)
    more_conventions(ctx)
    more_actions(ctx)
    more_links(ctx)


def nothing_grows(ctx: Ctx) -> None:
    """Reference lists fixed by the data migration: nothing to add (still, the count is checked)."""


@dataclass(frozen=True)
class Growth:
    grow: Callable[[Ctx], None]
    personas: tuple[str, ...] = ("academy_staff",)
    query: str = ""


INDICATORS = f"?year={YEAR}"
# Each list and indicator page (by URL name): what to add, as whom to look.
GROWTH: dict[str, Growth] = {
    "dashboard:home": Growth(
        more_of_everything, ("academy_staff", "clee_member", "school_head", "partner_contact", "observer")
    ),
    "accounts:user_list": Growth(more_users, ("academy_admin",)),
    "directory:organisation_list": Growth(more_organisations),
    "directory:organisation_members": Growth(more_organisations),
    "directory:person_list": Growth(more_people),
    "conventions:convention_list": Growth(more_conventions, ("academy_staff", "partner_contact")),
    "conventions:feed": Growth(more_conventions, ("academy_staff",)),
    "activities:plan_list": Growth(more_plans),
    "activities:plan_detail": Growth(more_actions),
    "activities:activity_list": Growth(more_activities, ("academy_staff", "school_head", "partner_contact")),
    "activities:link_list": Growth(more_links),
    "steering:committee": Growth(more_members),
    "steering:review_list": Growth(more_reviews),
    "indicators:convention": Growth(more_activities, ("academy_staff", "partner_contact"), INDICATORS),
    "indicators:organisation": Growth(more_activities, ("academy_staff", "partner_contact"), INDICATORS),
    "indicators:academy": Growth(more_activities, ("academy_staff",), INDICATORS),
    "indicators:basin": Growth(lambda ctx: more_activities(ctx, basin=ctx.basin), ("clee_member",), INDICATORS),
    "api:list_regions": Growth(nothing_grows),
    "api:list_academies": Growth(nothing_grows),
    "api:list_basins": Growth(more_basins),
    "api:list_organisations": Growth(more_organisations),
    "api:list_people": Growth(more_people),
    "api:list_conventions": Growth(more_conventions),
    "api:list_plans": Growth(more_plans),
    "api:list_activities": Growth(more_activities),
    "api:convention_indicators": Growth(more_activities, ("academy_staff", "partner_contact"), INDICATORS),
    "api:organisation_indicators": Growth(more_activities, ("academy_staff", "partner_contact"), INDICATORS),
    "api:academy_indicators": Growth(more_activities, ("academy_staff",), INDICATORS),
    "api:basin_indicators": Growth(lambda ctx: more_activities(ctx, basin=ctx.basin), ("clee_member",), INDICATORS),
}

# A URL name that says it lists or aggregates: it must be in GROWTH, never excused.
LOOKS_LIKE_A_LIST = re.compile(r"(_list$|:list_|^indicators:(?!home$)|_indicators$|^dashboard:home$)")

FORM = "a form or an action on one record (GET shows one record's form, POST changes it)"
ONE_RECORD = "one record's page: what it shows is bounded by that record"
# Every URL that is not a list or an indicator page, and why (regexes on the URL key).
NOT_LISTS: dict[re.Pattern, str] = {
    re.compile(r"^django-admin/|^admin:"): "the Django admin, a platform administrators' tool paginated by Django",
    re.compile(r"^core:"): "static pages, the health check and the benchmark floor: no rows listed",
    re.compile(
        r"^accounts:(login|logout|password_\w+|invitation_accept|token_create|token_revoke|user_invite|"
        r"user_role_add|user_role_remove|user_deactivate|user_reactivate|user_invitation_resend)$"
    ): FORM,
    re.compile(r"^accounts:profile$"): "one's own account: its roles and API tokens, a handful per person",
    re.compile(r"^accounts:user_detail$"): ONE_RECORD,
    re.compile(
        r"^directory:(organisation|person)_(create|update|deactivate|reactivate|note_create|member_add|member_remove|"
        r"merge|merge_confirm)$|^directory:membership_(create|end)$"
    ): FORM,
    re.compile(r"^directory:(organisation|person)_detail$"): ONE_RECORD,
    re.compile(r"^directory:import_(upload|preview|template|status)$"): (
        "an import's steps: the uploaded file's rows, bounded by the file's size limit"
    ),
    re.compile(r"^intake:"): "a convention import: one uploaded file and its reading",
    re.compile(
        r"^conventions:(convention_(create|update|follow|archive)|document_upload|signature_create|amendment_create|"
        r"event_create|article_\w+|commitment_\w+|feed_create|feed_revoke)$"
    ): FORM,
    re.compile(r"^conventions:(party_row|signatory_row|organisation_options)$"): (
        "htmx fragments of the convention form: one row, or a capped list of matches"
    ),
    re.compile(r"^conventions:(convention_detail|document_download)$"): ONE_RECORD,
    re.compile(r"^conventions:feed_manage$"): "one's own calendar link: a single record",
    re.compile(
        r"^activities:(plan_create|plan_adopt|plan_targets|action_\w+|activity_(create|quick|update|withdraw|restore)|"
        r"contribution_confirm|attachment_(upload|delete)|link_revoke|record_by_link)$"
    ): FORM,
    re.compile(r"^activities:(select_options|organisation_choices|contribution_choices)$"): (
        "htmx fragments of the activity form: capped lists of choices"
    ),
    re.compile(r"^activities:(activity_detail|attachment_download)$"): ONE_RECORD,
    re.compile(r"^activities:import_(start|preview|template|status)$"): (
        "an import's steps: the uploaded file's rows, bounded by the file's size limit"
    ),
    re.compile(r"^indicators:home$"): "a redirect to one's own indicator page (the fixed 30 académies for admins)",
    re.compile(
        r"^steering:(member_\w+|meeting_(create|update|invite|attendance|minutes|cancel)|decision_\w+|corrective_\w+|"
        r"review_(create|refresh|approve|render|highlights|distribute)|section_update|minutes_render|"
        r"minutes_distribute)$"
    ): FORM,
    re.compile(
        r"^steering:(meeting_detail|meeting_ics|review_detail|rendering_detail|rendering_download|"
        r"distribution_detail|distribution_link)$"
    ): ONE_RECORD,
    re.compile(r"^api:(openapi-json|openapi-view|api-root)$"): "the API's schema and documentation",
    re.compile(r"^api:get_\w+$"): ONE_RECORD,
    re.compile(r"^api:(create_\w+|follow_convention|unfollow_convention)$"): FORM,
}


def excuse_for(url: WalkedUrl) -> str | None:
    for pattern, reason in NOT_LISTS.items():
        if pattern.search(url.key):
            return reason
    return None


def test_every_url_is_a_measured_list_or_excused():
    unclassified = [url.key for url in ALL_URLS if url.key not in GROWTH and excuse_for(url) is None]
    assert not unclassified, (
        "URLs neither measured in GROWTH nor excused in NOT_LISTS (tests/test_query_counts.py): "
        + ", ".join(unclassified)
    )


def test_no_list_page_is_excused():
    admin = ("admin:", "django-admin/")  # the Django admin's own lists (excused above)
    lists = [url.key for url in ALL_URLS if LOOKS_LIKE_A_LIST.search(url.key) and not url.key.startswith(admin)]
    assert lists, "no list page found in the URL conf: the naming rule no longer matches"
    missing = [key for key in lists if key not in GROWTH]
    assert not missing, "list or indicator pages without a query-count check: " + ", ".join(missing)


def test_growth_names_only_existing_urls():
    names = {url.key for url in ALL_URLS}
    assert not [key for key in GROWTH if key not in names]


# --- The measure -----------------------------------------------------------------------------------

URLS = {url.key: url for url in ALL_URLS}
CASES = [(key, persona) for key, growth in GROWTH.items() for persona in growth.personas]


def _path(key: str, ctx: Ctx, client_user) -> str:
    url = URLS[key]
    if key == "conventions:feed":
        _, feed_key = issue_feed(ctx.world.user)
        return url_path(url, ctx.world).replace("cle-contrefaite", feed_key)
    return url_path(url, ctx.world) + GROWTH[key].query


def _queries(client: Client, path: str, headers: dict) -> Counter:
    """The queries of one render, with every cache cold (what the page costs when it computes),
    counted per statement shape (numbers left out) to name the one that repeats."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, f"GET {path}: {response.status_code}"
    return Counter(re.sub(r"\b\d+\b", "N", query["sql"])[:300] for query in captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "persona"), CASES, ids=[f"{key}-{persona}" for key, persona in CASES])
def test_the_page_makes_as_many_queries_with_more_rows(key: str, persona: str, request):
    world = build_world()
    user = request.getfixturevalue(persona)
    ctx = Ctx(
        world,
        school=request.getfixturevalue("school"),
        company=request.getfixturevalue("company"),
        basin=request.getfixturevalue("clee_member").assignments.get().basin,
    )
    client, headers = Client(), {}
    if key.startswith("api:"):
        headers = {"Authorization": f"Bearer {token_for(user)}"}
    else:
        client.force_login(user)
    path = _path(key, ctx, user)
    if key in ("indicators:basin", "api:basin_indicators"):
        # The CLEE member's own bassin, not the walk's.
        path = re.sub(r"/\d+(/?)(\?|$)", rf"/{ctx.basin.pk}\1\2", path, count=1)
    if persona == "partner_contact" and "indicators" in key:
        # The partner's own organisation's page; the world's convention, with the partner as a party.
        PartyFactory(convention=world.convention, organisation=ctx.company)
        if "organisation" in key:
            path = re.sub(r"/\d+(/?)(\?|$)", rf"/{ctx.company.pk}\1\2", path, count=1)
    # First some rows of each kind (a page with none skips the queries of their details), and a
    # warm-up render (sessions, content types, first-use lookups); then more of the same.
    GROWTH[key].grow(ctx)
    _queries(client, path, headers)
    before = _queries(client, path, headers)
    GROWTH[key].grow(ctx)
    after = _queries(client, path, headers)
    grown = "\n".join(f"  {after[sql] - before[sql]:+d} × {sql}" for sql in after | before if after[sql] != before[sql])
    assert after.total() == before.total(), (
        f"GET {path} as {persona}: {before.total()} queries, then {after.total()} with more rows:\n{grown}"
    )
