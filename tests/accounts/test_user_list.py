import pytest
from django.urls import reverse

from partenariats.accounts.models import Role
from tests.factories import AssignmentFactory, BasinFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:user_list")


def listed(response) -> set[str]:
    return {user.email for user in response.context["page_obj"]}


def test_it_lists_the_accounts_of_the_managed_academies(
    client, academy_admin, academy_staff, clee_member, school_head, partner_contact, observer, colleague_elsewhere
):
    client.force_login(academy_admin)
    response = client.get(LIST)
    assert response.status_code == 200
    assert listed(response) == {
        u.email for u in (academy_admin, academy_staff, clee_member, school_head, partner_contact, observer)
    }


def test_it_hides_platform_admins_and_people_without_a_role(client, academy_admin, platform_admin, outsider):
    client.force_login(academy_admin)
    assert listed(client.get(LIST)) == {academy_admin.email}


def test_it_shows_only_the_roles_inside_the_managed_academies(client, academy_admin, academy_staff, nice):
    AssignmentFactory(user=academy_staff, role=Role.OBSERVER, academy=nice)
    client.force_login(academy_admin)
    content = client.get(LIST).content.decode()
    assert "Académie d&#x27;Aix-Marseille" in content
    assert "Académie de Nice" not in content


def test_a_platform_admin_sees_everyone(client, platform_admin, academy_staff, colleague_elsewhere, outsider):
    client.force_login(platform_admin)
    assert listed(client.get(LIST)) == {u.email for u in (platform_admin, academy_staff, colleague_elsewhere, outsider)}


def test_it_searches_names_and_addresses(client, academy_admin, aix):
    wanted = AssignmentFactory(user=UserFactory(first_name="Maëlle", last_name="Durand"), academy=aix).user
    AssignmentFactory(user=UserFactory(first_name="Paul", last_name="Martin"), academy=aix)
    client.force_login(academy_admin)
    assert listed(client.get(LIST, {"q": "maëlle dur"})) == {wanted.email}
    assert listed(client.get(LIST, {"q": wanted.email.upper()})) == {wanted.email}


def test_it_filters_by_role(client, academy_admin, clee_member, observer):
    client.force_login(academy_admin)
    assert listed(client.get(LIST, {"role": Role.CLEE_MEMBER})) == {clee_member.email}


def test_it_filters_by_status(client, academy_admin, academy_staff, observer, clee_member):
    academy_admin.last_login = academy_staff.last_login = academy_admin.date_joined
    academy_admin.save()
    academy_staff.save()
    clee_member.deactivate(by=academy_admin)
    client.force_login(academy_admin)
    assert listed(client.get(LIST, {"status": "active"})) == {academy_admin.email, academy_staff.email}
    assert listed(client.get(LIST, {"status": "invited"})) == {observer.email}
    assert listed(client.get(LIST, {"status": "deactivated"})) == {clee_member.email}


def test_it_paginates(client, academy_admin, aix):
    for _ in range(55):
        AssignmentFactory(academy=aix)
    client.force_login(academy_admin)
    assert len(client.get(LIST).context["page_obj"]) == 50
    assert len(client.get(LIST, {"page": 2}).context["page_obj"]) == 6


def test_it_costs_the_same_queries_whatever_the_number_of_accounts(
    client, academy_admin, aix, django_assert_max_num_queries
):
    client.force_login(academy_admin)
    basin = BasinFactory(academy=aix)
    school = OrganisationFactory(school=True, academy=aix)
    for _ in range(20):
        user = AssignmentFactory(academy=aix).user
        AssignmentFactory(user=user, role=Role.CLEE_MEMBER, academy=None, basin=basin)
        AssignmentFactory(user=user, role=Role.SCHOOL_STAFF, academy=None, organisation=school)
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 21


@pytest.mark.parametrize("persona", ["academy_staff", "observer", "clee_member", "partner_contact", "outsider"])
def test_it_refuses_people_who_do_not_manage_accounts(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403


def test_it_shows_the_accounts_menu_to_managers_only(client, academy_admin, academy_staff):
    client.force_login(academy_staff)
    assert LIST not in client.get(reverse("dashboard:home")).content.decode()
    client.force_login(academy_admin)
    assert LIST in client.get(reverse("dashboard:home")).content.decode()
