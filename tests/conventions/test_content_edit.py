"""Articles and commitments edited from the convention's page, each change in the history."""

import pytest
from django.urls import reverse

from partenariats.conventions.models import Article, Audience, Commitment, Convention, ConventionKind, Programme
from partenariats.conventions.services import SIGNED_COMMITMENT_KEPT
from tests.conventions.test_edit_form import page_data
from tests.factories import CommitmentFactory, ConventionFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def convention():
    return ConventionFactory(signed=True, title="Convention cadre avec la Fédération Exemple")


@pytest.fixture
def draft(company):
    convention = ConventionFactory(title="Projet de convention avec l’entreprise")
    PartyFactory(convention=convention, organisation=company)
    return convention


@pytest.fixture
def staff_client(client, academy_staff):
    client.force_login(academy_staff)
    return client


def url(name: str, convention: Convention, *args) -> str:
    return reverse(f"conventions:{name}", args=[convention.pk, *args])


def add_article(client, convention, **values):
    data = {"number": "", "heading": "", "text": "", "parent": "", **values}
    return client.post(url("article_create", convention), data)


def test_it_adds_an_article_last_among_its_siblings_with_the_user_in_the_history(
    staff_client, convention, academy_staff
):
    first = Article.objects.create(convention=convention, number="1", heading="Objet", position=0)

    response = add_article(staff_client, convention, number="2", heading="Engagements", text="Les parties…")

    assert response.status_code == 302
    article = convention.articles.get(number="2")
    assert article.position > first.position
    assert article.history.get().history_user == academy_staff
    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert "Engagements" in page
    assert "Ajouter un article" in page


def test_it_adds_a_sub_article_and_edits_it(staff_client, convention, academy_staff):
    parent = Article.objects.create(convention=convention, number="2", heading="Engagements")
    add_article(staff_client, convention, number="2.1", heading="De l’entreprise", parent=parent.pk)
    child = parent.children.get()

    response = staff_client.post(
        url("article_update", convention, child.pk),
        {"number": "2.1", "heading": "De la fédération", "text": "Elle relaie.", "parent": parent.pk},
    )

    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.heading, child.text) == ("De la fédération", "Elle relaie.")
    assert child.history.first().history_user == academy_staff
    assert Convention.objects.search("relaie").filter(pk=convention.pk).exists()  # the search text follows


def test_it_says_in_french_that_an_article_needs_a_number_or_a_heading(staff_client, convention):
    response = add_article(staff_client, convention, text="Un texte seul")

    assert response.status_code == 200
    assert "Indiquez au moins le numéro ou l’intitulé" in response.content.decode()
    assert "Un texte seul" in response.content.decode()
    assert not convention.articles.exists()


def test_it_refuses_to_put_an_article_under_its_own_sub_article(staff_client, convention):
    parent = Article.objects.create(convention=convention, number="2", heading="Engagements")
    child = Article.objects.create(convention=convention, number="2.1", heading="De l’entreprise", parent=parent)
    grandchild = Article.objects.create(convention=convention, number="2.1.1", heading="Stages", parent=child)

    response = staff_client.post(
        url("article_update", convention, parent.pk), {"number": "2", "heading": "Engagements", "parent": grandchild.pk}
    )

    assert response.status_code == 200
    assert "ne peut pas être rangé sous lui-même ni sous l’un de ses sous-articles" in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent is None


def test_it_moves_an_article_up_and_down_among_its_siblings(staff_client, convention, academy_staff):
    one = Article.objects.create(convention=convention, number="1", position=0)
    two = Article.objects.create(convention=convention, number="2", position=1)
    three = Article.objects.create(convention=convention, number="3", position=2)

    assert staff_client.post(url("article_move", convention, three.pk), {"direction": "up"}).status_code == 302
    assert [a.number for a in convention.articles.all()] == ["1", "3", "2"]
    staff_client.post(url("article_move", convention, one.pk), {"direction": "down"})
    assert [a.number for a in convention.articles.all()] == ["3", "1", "2"]
    assert two.history.first().history_user == academy_staff
    response = staff_client.post(url("article_move", convention, two.pk), {"direction": "down"}, follow=True)
    assert "déjà le dernier" in response.content.decode()
    assert staff_client.get(url("article_move", convention, two.pk)).status_code == 405


def test_it_deletes_an_article_and_records_who_did(staff_client, convention, academy_staff):
    article = Article.objects.create(convention=convention, number="7", heading="Article caduc")
    version = Convention.objects.get(pk=convention.pk).version

    assert (
        "Voulez-vous vraiment supprimer"
        in staff_client.get(url("article_delete", convention, article.pk)).content.decode()
    )
    response = staff_client.post(url("article_delete", convention, article.pk))

    assert response.status_code == 302
    assert not convention.articles.exists()
    deletion = Article.history.filter(id=article.pk, history_type="-").get()
    assert deletion.history_user == academy_staff
    assert Convention.objects.get(pk=convention.pk).version == version + 1


def test_it_refuses_to_delete_an_article_a_commitment_refers_to(staff_client, convention):
    parent = Article.objects.create(convention=convention, number="2", heading="Engagements")
    child = Article.objects.create(convention=convention, number="2.1", parent=parent)
    CommitmentFactory(convention=convention, party=convention.parties.last(), article=child)

    page = staff_client.get(url("article_delete", convention, parent.pk)).content.decode()
    response = staff_client.post(url("article_delete", convention, parent.pk))

    assert "un engagement s’y réfère" in page
    assert "Voulez-vous vraiment" not in page
    assert response.status_code == 403
    assert "Rattachez ces engagements à un autre article" in response.content.decode()
    assert convention.articles.count() == 2


def test_it_makes_a_convention_edit_form_opened_before_an_article_change_stale(staff_client, convention):
    form = page_data(staff_client.get(url("convention_update", convention)))
    add_article(staff_client, convention, number="9", heading="Ajouté entre-temps")

    form["title"] = "Titre changé sur une page périmée"
    response = staff_client.post(url("convention_update", convention), form)

    assert response.status_code == 200
    assert "La convention a été modifiée entre-temps" in response.content.decode()
    assert Convention.objects.get(pk=convention.pk).title == "Convention cadre avec la Fédération Exemple"


def commitment_data(convention, **values) -> dict:
    return {"party": convention.parties.last().pk, "article": "", "text": "Accueillir des élèves", **values}


def test_it_adds_a_confidential_commitment_with_audiences_and_programmes(
    client, academy_staff, colleague_elsewhere, convention
):
    convention.kind = ConventionKind.NATIONAL  # read by every académie, a party's staff or not
    convention.save(update_fields=["kind"])
    article = Article.objects.create(convention=convention, number="3", heading="Engagements de la fédération")
    audiences = list(Audience.objects.all()[:2])
    yearly = Programme.objects.filter(month__isnull=False).first()
    client.force_login(academy_staff)

    response = client.post(
        url("commitment_create", convention),
        commitment_data(
            convention,
            article=article.pk,
            text="Ouvrir ses entreprises aux enseignants",
            audiences=[a.pk for a in audiences],
            programmes=[yearly.pk],
            confidential="on",
        ),
    )

    assert response.status_code == 302
    commitment = Commitment.objects.get(convention=convention)
    assert (commitment.article, commitment.confidential) == (article, True)
    assert set(commitment.audiences.all()) == set(audiences)
    assert list(commitment.programmes.all()) == [yearly]
    assert commitment.history.first().history_user == academy_staff
    assert "Ouvrir ses entreprises aux enseignants" in client.get(convention.get_absolute_url()).content.decode()
    client.force_login(colleague_elsewhere)
    assert "Ouvrir ses entreprises aux enseignants" not in client.get(convention.get_absolute_url()).content.decode()


def test_a_yearly_programme_adds_its_event_to_the_timeline(staff_client, convention):
    yearly = Programme.objects.filter(month__isnull=False).first()

    staff_client.post(url("commitment_create", convention), commitment_data(convention, programmes=[yearly.pk]))

    page = staff_client.get(convention.get_absolute_url()).content.decode()
    assert page.count(yearly.label) >= 2  # the commitment's tag and the timeline's entries


def test_it_refuses_a_party_of_another_convention(staff_client, convention, draft):
    response = staff_client.post(
        url("commitment_create", convention), commitment_data(convention, party=draft.parties.get().pk)
    )

    assert response.status_code == 200
    assert not convention.commitments.exists()


def test_it_edits_a_commitment(staff_client, convention, academy_staff):
    commitment = CommitmentFactory(convention=convention, party=convention.parties.last())

    staff_client.post(
        url("commitment_update", convention, commitment.pk), commitment_data(convention, text="Nouveau libellé")
    )

    commitment.refresh_from_db()
    assert commitment.text == "Nouveau libellé"
    assert commitment.history.first().history_user == academy_staff


def test_it_refuses_to_delete_a_commitment_of_a_signed_convention(staff_client, convention):
    commitment = CommitmentFactory(convention=convention, party=convention.parties.last())

    response = staff_client.post(url("commitment_delete", convention, commitment.pk))

    assert response.status_code == 403
    assert SIGNED_COMMITMENT_KEPT in response.content.decode()
    assert convention.commitments.exists()


def test_it_deletes_a_commitment_of_a_draft(staff_client, draft, academy_staff):
    commitment = CommitmentFactory(convention=draft, party=draft.parties.get())

    response = staff_client.post(url("commitment_delete", draft, commitment.pk))

    assert response.status_code == 302
    assert not draft.commitments.exists()
    assert Commitment.history.filter(id=commitment.pk, history_type="-").get().history_user == academy_staff


@pytest.mark.parametrize(("persona", "status"), [("observer", 403), ("colleague_elsewhere", 404)])
def test_it_lets_only_the_parties_academie_staff_change_the_content(client, request, convention, persona, status):
    article = Article.objects.create(convention=convention, number="1", heading="Objet")
    commitment = CommitmentFactory(convention=convention, party=convention.parties.last(), article=article)
    client.force_login(request.getfixturevalue(persona))

    assert add_article(client, convention, number="2", heading="Intrus").status_code == status
    assert client.post(url("article_delete", convention, article.pk)).status_code == status
    assert client.post(url("article_move", convention, article.pk)).status_code == status
    assert client.post(url("commitment_create", convention), commitment_data(convention)).status_code == status
    assert client.post(url("commitment_update", convention, commitment.pk), {}).status_code == status
    assert convention.articles.count() == 1
    assert convention.commitments.count() == 1
    if persona == "observer":
        assert "Ajouter un article" not in client.get(convention.get_absolute_url()).content.decode()
