import pytest
from django.urls import reverse

from partenariats.directory.models import Note
from tests.factories import MembershipFactory, NoteFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def detail(organisation) -> str:
    return reverse("directory:organisation_detail", args=[organisation.pk])


def test_it_shows_identity_to_every_role_but_contacts_and_notes_only_to_their_academy(
    client, company, aix, colleague_elsewhere, academy_staff
):
    contact = PersonFactory(academy=aix, last_name="Secrète")
    MembershipFactory(person=contact, organisation=company, title="Directrice des ressources humaines")
    NoteFactory(organisation=company, owner_academy=aix, text="Note interne d’Aix")

    client.force_login(colleague_elsewhere)
    html = client.get(detail(company)).content.decode()
    assert company.name in html
    assert company.siret in html
    assert "Secrète" not in html
    assert "Note interne d’Aix" not in html

    client.force_login(academy_staff)
    html = client.get(detail(company)).content.decode()
    assert "Secrète" in html
    assert "Directrice des ressources humaines" in html
    assert "Note interne d’Aix" in html


def test_it_shows_kind_specific_identity(client, academy_staff, school):
    school.pupil_count = 612
    school.save()
    client.force_login(academy_staff)

    html = client.get(detail(school)).content.decode()

    assert school.uai in html
    assert "612" in html
    assert "Hors éducation prioritaire" in html
    assert "SIRET" not in html


def test_it_links_federations_and_members_both_ways(client, academy_staff, company):
    federation = OrganisationFactory(federation=True, name="Fédération du Bâtiment")
    federation.members.add(company)
    client.force_login(academy_staff)

    assert "Fédération du Bâtiment" in client.get(detail(company)).content.decode()
    html = client.get(detail(federation)).content.decode()
    assert company.get_absolute_url() in html


def test_it_answers_404_to_a_user_without_a_role(client, outsider, company):
    client.force_login(outsider)

    assert client.get(detail(company)).status_code == 404


def test_it_shows_edit_buttons_only_to_who_may_edit(client, academy_staff, observer, colleague_elsewhere, company):
    edit_url = reverse("directory:organisation_update", args=[company.pk])
    for user, may in [(academy_staff, True), (observer, False), (colleague_elsewhere, False)]:
        client.force_login(user)
        html = client.get(detail(company)).content.decode()
        assert (edit_url in html) is may
        assert ("Fusionner un doublon" in html) is may


def test_it_adds_a_note_owned_by_the_authors_academy(client, academy_staff, company, aix, colleague_elsewhere):
    client.force_login(academy_staff)

    response = client.post(
        reverse("directory:organisation_note_create", args=[company.pk]), {"text": "Rappeler en septembre"}
    )

    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.owner_academy, note.owner_organisation, note.author) == (aix, None, academy_staff)
    client.force_login(colleague_elsewhere)
    assert "Rappeler en septembre" not in client.get(detail(company)).content.decode()


def test_it_files_a_partners_note_under_its_organisation(client, partner_contact, company):
    client.force_login(partner_contact)

    client.post(reverse("directory:organisation_note_create", args=[company.pk]), {"text": "Note du partenaire"})

    note = Note.objects.get()
    assert (note.owner_academy, note.owner_organisation) == (None, company)
    assert "Note du partenaire" in client.get(detail(company)).content.decode()


def test_it_refuses_notes_from_an_observer(client, observer, company):
    client.force_login(observer)

    response = client.post(reverse("directory:organisation_note_create", args=[company.pk]), {"text": "Non"})

    assert response.status_code == 403
    assert not Note.objects.exists()


def test_it_says_an_empty_note_is_missing(client, academy_staff, company):
    client.force_login(academy_staff)

    response = client.post(reverse("directory:organisation_note_create", args=[company.pk]), {"text": ""})

    assert response.status_code == 422
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Note.objects.exists()


def test_it_shows_who_changed_what(client, academy_staff, company):
    client.force_login(academy_staff)
    data = {"kind": "company", "name": "Nouveau nom SA", "academy": company.academy_id, "siret": company.siret}
    client.post(reverse("directory:organisation_update", args=[company.pk]), data)

    html = client.get(detail(company)).content.decode()

    assert "Nom : " + company.name + " → Nouveau nom SA" in html
    assert str(academy_staff) in html
