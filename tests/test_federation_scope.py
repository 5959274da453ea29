"""A federation's staff reads its members' shared records through a subquery, never a list of ids.

At national scale a federation has 20,000–30,000 members; passing them to the database as an
``IN (…)`` list made its staff's pages take tens of seconds. These tests pin the behaviour (what
the staff reads) and the shape (the SQL does not grow with the number of members).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partenariats.accounts.models import Role, User, compute_scope
from partenariats.activities.models import Activity
from partenariats.conventions.models import Convention
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    ContributionFactory,
    ConventionFactory,
    OrganisationFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _federation_staff(members: int):
    """A federation with ``members`` member companies and one staff account (fresh, no cached scope)."""
    federation = OrganisationFactory(federation=True)
    companies = OrganisationFactory.create_batch(members, company=True)
    federation.members.add(*companies)
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
    return User.objects.get(pk=user.pk), companies


def test_federation_staff_reads_members_shared_records_only():
    user, companies = _federation_staff(3)
    member = companies[-1]
    outsider = OrganisationFactory(company=True)
    theirs, other = ConventionFactory(), ConventionFactory()
    PartyFactory(convention=theirs, organisation=member)
    PartyFactory(convention=other, organisation=outsider)
    shared, secret, foreign = ActivityFactory(), ActivityFactory(confidential=True), ActivityFactory()
    shared.organisations.add(member)
    secret.organisations.add(member)
    foreign.organisations.add(outsider)

    assert set(Convention.objects.for_user(user)) == {theirs}
    assert set(Activity.objects.for_user(user)) == {shared}


def test_scope_and_queries_do_not_grow_with_the_members():
    small, _ = _federation_staff(1)
    large, _ = _federation_staff(40)
    with CaptureQueriesContext(connection) as captured:
        scope = compute_scope(large)
    assert len(captured) <= 2
    assert not hasattr(scope, "member_organisation_ids")

    def sql(user):
        """Both querysets' SQL, numbers blanked (the two federations' ids differ)."""
        text = str(Convention.objects.for_user(user).query) + str(Activity.objects.for_user(user).query)
        return re.sub(r"\d+", "N", text)

    assert sql(small) == sql(large)


def test_the_activity_list_offers_the_federations_own_conventions_and_accepts_its_members(client):
    """A national federation reads its 30,000 members' conventions: its filter offers its own."""
    user, companies = _federation_staff(2)
    federation = user.assignments.get().organisation
    own = ConventionFactory(title="Convention de la fédération")
    PartyFactory(convention=own, organisation=federation)
    member_convention = ConventionFactory(title="Convention d’un adhérent")
    PartyFactory(convention=member_convention, organisation=companies[0])
    counted = ActivityFactory(title="Stand de l’adhérent")
    counted.organisations.add(companies[0])
    ContributionFactory(activity=counted, convention=member_convention)
    client.force_login(user)

    page = client.get(reverse("activities:activity_list"), {"year": "toutes"})
    offered = {label for _, label in page.context["filter"].form.fields["convention"].widget.choices}
    assert "Convention de la fédération" in offered
    assert "Convention d’un adhérent" not in offered

    chosen = client.get(reverse("activities:activity_list"), {"year": "toutes", "convention": member_convention.pk})
    assert [a.title for a in chosen.context["page_obj"]] == ["Stand de l’adhérent"]
    offered = {label for _, label in chosen.context["filter"].form.fields["convention"].widget.choices}
    assert "Convention d’un adhérent" in offered  # the one chosen stays shown as chosen
