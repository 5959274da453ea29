import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partenariats.accounts.models import Role
from tests.factories import AssignmentFactory, BasinFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def queries_for_profile(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:profile")).status_code == 200
    return len(captured)


def tagline(client) -> str:
    content = client.get(reverse("accounts:profile")).content.decode()
    return re.search(r'fr-header__service-tagline">\s*(.*?)\s*</p>', content, re.S).group(1)


def test_it_shows_the_academy_of_the_user_in_the_header(client, clee_member):
    client.force_login(clee_member)
    assert tagline(client) == "Académie d&#x27;Aix-Marseille"


def test_it_shows_the_site_tagline_to_a_user_without_academy(client, platform_admin):
    client.force_login(platform_admin)
    assert tagline(client) == "Conventions de partenariat, engagements et bilans"


def test_the_header_costs_the_same_queries_whatever_the_number_of_roles(client, academy_staff, aix):
    client.force_login(academy_staff)
    one_role = queries_for_profile(client)
    for _ in range(3):
        AssignmentFactory(user=academy_staff, role=Role.CLEE_MEMBER, academy=None, basin=BasinFactory(academy=aix))
        AssignmentFactory(
            user=academy_staff, role=Role.SCHOOL_STAFF, academy=None, organisation=OrganisationFactory(school=True)
        )
    assert queries_for_profile(client) == one_role
