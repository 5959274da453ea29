"""Which roles and accounts an account manager looks after."""

import pytest

from partenariats.accounts.models import Assignment, Role, User, regions_within
from tests.factories import AssignmentFactory, BasinFactory, OrganisationFactory, academy

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_admin(aix):
    return AssignmentFactory(academy=None, region=aix.region, manages_accounts=True).user


def test_an_academy_admin_manages_roles_wholly_inside_their_academy(academy_admin, aix, nice):
    inside = [
        Assignment(role=Role.OBSERVER, academy=aix),
        Assignment(role=Role.CLEE_MEMBER, basin=BasinFactory(academy=aix)),
        Assignment(role=Role.PARTNER_STAFF, organisation=OrganisationFactory(company=True, academy=aix)),
    ]
    outside = [
        Assignment(role=Role.OBSERVER, academy=nice),
        Assignment(role=Role.OBSERVER, region=aix.region),  # the région also holds Nice
        Assignment(role=Role.CLEE_MEMBER, basin=BasinFactory(academy=nice)),
        Assignment(role=Role.PARTNER_STAFF, organisation=OrganisationFactory(company=True, academy=None)),
        Assignment(role=Role.PLATFORM_ADMIN),
    ]
    assert all(a.is_manageable_by(academy_admin) for a in inside)
    assert not any(a.is_manageable_by(academy_admin) for a in outside)


def test_staff_without_account_management_manage_nothing(academy_staff, aix):
    assert not Assignment(role=Role.OBSERVER, academy=aix).is_manageable_by(academy_staff)


def test_a_region_admin_manages_the_region_and_its_academies(region_admin, aix, nice):
    assert Assignment(role=Role.OBSERVER, region=aix.region).is_manageable_by(region_admin)
    assert Assignment(role=Role.OBSERVER, academy=nice).is_manageable_by(region_admin)
    assert not Assignment(role=Role.OBSERVER, academy=academy("Lyon")).is_manageable_by(region_admin)


def test_regions_within_keeps_only_regions_wholly_covered(aix, nice):
    assert list(regions_within({aix.pk})) == []
    assert list(regions_within({aix.pk, nice.pk})) == [aix.region]


def test_a_region_admin_sees_the_region_level_accounts(region_admin, aix, academy_admin):
    region_observer = AssignmentFactory(role=Role.OBSERVER, academy=None, region=aix.region).user
    assert set(User.objects.managed_by(region_admin)) == {region_admin, region_observer, academy_admin}
    assert region_observer not in User.objects.managed_by(academy_admin)


def test_a_platform_admin_manages_everything(platform_admin, outsider):
    assert Assignment(role=Role.PLATFORM_ADMIN).is_manageable_by(platform_admin)
    assert outsider in User.objects.managed_by(platform_admin)
