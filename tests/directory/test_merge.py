import pytest
from django.urls import reverse

from partenariats.accounts.models import Assignment, Role, User
from partenariats.directory import services
from partenariats.directory.models import Membership, Organisation, PersonRole
from partenariats.directory.services import MergeError, merge_organisations
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    valid_uai,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep(aix):
    return OrganisationFactory(school=True, academy=aix, name="Lycée Jean Moulin", uai="", phone="")


@pytest.fixture
def duplicate(aix):
    return OrganisationFactory(
        school=True, academy=aix, name="Lycee Jean-Moulin", uai=valid_uai(777), phone="04 91 00 00 00"
    )


def confirm_url(keep, duplicate) -> str:
    return reverse("directory:organisation_merge_confirm", args=[keep.pk, duplicate.pk])


def test_it_moves_memberships_and_keeps_one_when_both_have_the_same(keep, duplicate, academy_staff):
    shared = PersonFactory()
    MembershipFactory(person=shared, organisation=keep, role=PersonRole.HEAD, title="")
    MembershipFactory(person=shared, organisation=duplicate, role=PersonRole.HEAD, title="Proviseure")
    only_dup = MembershipFactory(organisation=duplicate, role=PersonRole.TEACHER)

    merge_organisations(keep, duplicate, by=academy_staff)

    assert Membership.objects.filter(organisation=duplicate).count() == 0
    kept = Membership.objects.get(person=shared, organisation=keep, role=PersonRole.HEAD)
    assert kept.title == "Proviseure"
    only_dup.refresh_from_db()
    assert only_dup.organisation == keep
    assert Membership.objects.filter(organisation=keep).count() == 2


def test_it_moves_notes_about_and_owned_by_the_duplicate(keep, duplicate, aix, academy_staff):
    about = NoteFactory(organisation=duplicate, owner_academy=aix)
    owned = NoteFactory(organisation=OrganisationFactory(), owner_academy=None, owner_organisation=duplicate)

    merge_organisations(keep, duplicate, by=academy_staff)

    about.refresh_from_db()
    owned.refresh_from_db()
    assert about.organisation == keep
    assert owned.owner_organisation == keep


def test_it_moves_federation_links_both_ways(keep, duplicate, academy_staff):
    federation = OrganisationFactory(federation=True)
    other_federation = OrganisationFactory(federation=True)
    federation.members.add(keep, duplicate)  # both already members: one link remains
    other_federation.members.add(duplicate)
    member = OrganisationFactory()
    duplicate.members.add(member, keep)  # the kept one cannot become its own member

    merge_organisations(keep, duplicate, by=academy_staff)

    assert set(keep.federations.all()) == {federation, other_federation}
    assert list(federation.members.all()) == [keep]
    assert list(keep.members.all()) == [member]
    assert not duplicate.members.exists()
    assert not duplicate.federations.exists()


def test_it_moves_account_roles_so_staff_keep_their_scope(keep, duplicate, academy_staff):
    staff = UserFactory()
    AssignmentFactory(user=staff, role=Role.SCHOOL_STAFF, academy=None, organisation=duplicate)

    merge_organisations(keep, duplicate, by=academy_staff)

    assert Assignment.objects.get(user=staff).organisation == keep
    assert User.objects.get(pk=staff.pk).scope.organisation_ids == {keep.pk}


def test_it_repoints_duplicates_already_merged_into_the_duplicate(keep, duplicate, academy_staff):
    older = OrganisationFactory(is_active=False, merged_into=duplicate)

    merge_organisations(keep, duplicate, by=academy_staff)

    older.refresh_from_db()
    assert older.merged_into == keep


def test_it_fills_the_empty_fields_and_retires_the_duplicate(keep, duplicate, academy_staff):
    uai = duplicate.uai

    plan = merge_organisations(keep, duplicate, by=academy_staff)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert (keep.uai, keep.phone) == (uai, "04 91 00 00 00")
    assert ("UAI", uai) in plan.filled
    assert (duplicate.is_active, duplicate.merged_into, duplicate.uai) == (False, keep, "")
    assert duplicate.deactivated_on is not None
    assert "Fusion de" in keep.history.first().history_change_reason
    assert keep.history.first().history_user == academy_staff


def test_it_refuses_to_merge_an_organisation_with_itself_or_twice(keep, duplicate, academy_staff):
    with pytest.raises(MergeError):
        merge_organisations(keep, keep, by=academy_staff)
    merge_organisations(keep, duplicate, by=academy_staff)
    with pytest.raises(MergeError):
        merge_organisations(keep, duplicate, by=academy_staff)


def test_it_walks_the_relations_of_every_app():
    """Relations of any app, hidden ones (related_name="+") included, and no history table."""
    relations = {(fk.model._meta.label, fk.name) for fk in services._relations_to(Organisation)}

    assert {
        ("directory.Membership", "organisation"),
        ("directory.Note", "organisation"),
        ("directory.Note", "owner_organisation"),
        ("directory.Organisation", "merged_into"),
        ("accounts.Assignment", "organisation"),
        ("directory.Organisation_members", "from_organisation"),
        ("directory.Organisation_members", "to_organisation"),
    } <= relations
    assert not any("Historical" in label for label, _ in relations)


def test_it_searches_duplicates_and_confirms_what_moves(client, academy_staff, keep, duplicate):
    MembershipFactory(organisation=duplicate)
    client.force_login(academy_staff)

    page = client.get(reverse("directory:organisation_merge", args=[keep.pk]))
    assert list(page.context["candidates"]) == [duplicate]  # found by the kept one's name, accents aside

    html = client.get(confirm_url(keep, duplicate)).content.decode()
    assert "Rattachements (organisation) : 1" in html
    assert duplicate.uai in html

    response = client.post(confirm_url(keep, duplicate))

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert Membership.objects.get().organisation == keep


def test_it_refuses_a_merge_out_of_scope(client, academy_staff, colleague_elsewhere, observer, keep, nice):
    foreign = OrganisationFactory(school=True, academy=nice)

    client.force_login(academy_staff)
    assert client.post(confirm_url(keep, foreign)).status_code == 404  # a duplicate they may not edit
    client.force_login(colleague_elsewhere)
    assert client.post(confirm_url(keep, foreign)).status_code == 403  # the kept one is not theirs
    client.force_login(observer)
    assert client.get(reverse("directory:organisation_merge", args=[keep.pk])).status_code == 403

    foreign.refresh_from_db()
    assert foreign.merged_into is None
    assert foreign.is_active


def test_it_leaves_everything_as_it_was_when_a_merge_fails(keep, duplicate, academy_staff, monkeypatch):
    membership = MembershipFactory(organisation=duplicate)
    uai = duplicate.uai
    repoint = services._repoint

    def repoint_then_fail(*args, **kwargs):
        repoint(*args, **kwargs)
        raise RuntimeError("panne au milieu de la fusion")

    monkeypatch.setattr(services, "_repoint", repoint_then_fail)
    with pytest.raises(RuntimeError):
        merge_organisations(keep, duplicate, by=academy_staff)

    membership.refresh_from_db()
    duplicate.refresh_from_db()
    assert membership.organisation == duplicate
    assert (duplicate.is_active, duplicate.uai) == (True, uai)
