"""The review's pages: the list, the review, its sections, highlights, refresh and approval; who
may read and change them; constant query counts; hostile strings escaped."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.conventions.models import ConventionKind
from partenariats.core.school_year import SchoolYear
from partenariats.steering import reviews
from partenariats.steering.models import Review
from tests.factories import ActivityFactory, AssignmentFactory, ContributionFactory, PlanFactory, UserFactory
from tests.steering.conftest import SECRET_EMAIL, SECRET_TEXT

HOSTILE = '<script>alert("bilan")</script>'


@pytest.fixture
def review(cycle, academy_staff):
    return reviews.create_review(cycle.convention, 2025, academy_staff)


@pytest.fixture
def federation_staff(cycle):
    """The federation's own staff: a party's staff, read-only on the review."""
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=cycle.federation.organisation)
    return user


def _url(name, review, *args):
    return reverse(f"steering:{name}", args=[review.convention_id, review.school_year, *args])


def _detail(review):
    return _url("review_detail", review)


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ")


# --- The list and a new review ------------------------------------------------------------------


def test_it_offers_to_prepare_the_years_with_a_plan_or_activities(client, cycle, academy_staff):
    client.force_login(academy_staff)
    response = client.get(reverse("steering:review_list", args=[cycle.convention.pk]))
    assert response.status_code == 200
    # 2025–2026 has a plan and activities (a plan for a year not begun yet would not be offered).
    assert "Préparer le bilan 2025–2026" in _text(response)

    response = client.post(reverse("steering:review_create", args=[cycle.convention.pk]), {"school_year": 2025})
    review = Review.objects.get(convention=cycle.convention, school_year=2025)
    assert response.url == review.get_absolute_url()
    response = client.get(reverse("steering:review_list", args=[cycle.convention.pk]))
    assert "Préparer le bilan 2025–2026" not in _text(response)
    assert "Bilan 2025–2026" in _text(response)


def test_it_does_not_offer_a_year_not_begun(client, cycle, academy_staff):
    future = SchoolYear.of(timezone.localdate()).next().next()
    PlanFactory(convention=cycle.convention, school_year=future.start_year)
    client.force_login(academy_staff)
    text = _text(client.get(reverse("steering:review_list", args=[cycle.convention.pk])))
    assert f"Préparer le bilan {future.label}" not in text
    response = client.post(
        reverse("steering:review_create", args=[cycle.convention.pk]), {"school_year": future.start_year}
    )
    assert response.status_code == 302
    assert not Review.objects.exists()


def test_it_refuses_a_year_with_nothing_to_review(client, cycle, academy_staff):
    client.force_login(academy_staff)
    response = client.post(
        reverse("steering:review_create", args=[cycle.convention.pk]), {"school_year": 2019}, follow=True
    )
    assert "Choisissez une année scolaire proposée" in _text(response)
    assert not Review.objects.exists()


def test_only_editors_create_reviews(client, cycle, observer, federation_staff, colleague_elsewhere):
    url = reverse("steering:review_create", args=[cycle.convention.pk])
    for user, status in ((observer, 403), (federation_staff, 403), (colleague_elsewhere, 404)):
        client.force_login(user)
        assert client.post(url, {"school_year": 2025}).status_code == status
    assert not Review.objects.exists()


# --- The review ----------------------------------------------------------------------------------


def test_the_review_page_shows_the_figures_sentences_and_blocks(client, review, academy_staff):
    client.force_login(academy_staff)
    response = client.get(_detail(review))
    assert response.status_code == 200
    text = _text(response)
    assert "Projet" in text
    assert "12 visites d’entreprise réalisées pour 10 prévues" in text
    assert "dont 33 % en éducation prioritaire" in text
    assert "Aucune activité réalisée pour 5 prévues" in text
    assert "<svg" in text
    assert "Forum des métiers de l’industrie" in text
    assert "Actualiser les chiffres" in text
    assert "Approuver le bilan" in text
    # The full version for the parties' staff: the confidential action is there.
    assert "Action confidentielle" in text
    assert SECRET_EMAIL in text


def test_a_reader_outside_the_parties_reads_the_public_version(client, cycle, review, colleague_elsewhere):
    cycle.convention.kind = ConventionKind.NATIONAL
    cycle.convention.save()
    reviews.approve(review, None)
    assert not cycle.convention.is_party_staff(colleague_elsewhere)
    client.force_login(colleague_elsewhere)
    response = client.get(_detail(review))
    assert response.status_code == 200
    text = _text(response)
    assert "Version publique" in text
    for secret in ("Action confidentielle", SECRET_TEXT, SECRET_EMAIL, "Claire"):
        assert secret not in text
    assert "Actualiser les chiffres" not in text
    assert "12 visites d’entreprise réalisées" in text


def test_the_parties_staff_may_look_at_the_public_version(client, review, academy_staff):
    client.force_login(academy_staff)
    text = _text(client.get(_detail(review) + "?version=publique"))
    assert "Version publique" in text
    assert "Action confidentielle" not in text
    assert SECRET_EMAIL not in text
    assert "Voir la version des parties" in text


def test_the_parties_staff_read_the_full_version_without_editing_controls(client, review, federation_staff):
    reviews.approve(review, None)
    client.force_login(federation_staff)
    text = _text(client.get(_detail(review)))
    assert "Action confidentielle" in text
    assert "Vous voyez la version des parties" in text
    assert "Approuver le bilan" not in text
    assert "Modifier" not in text


def test_another_academys_staff_get_a_404(client, review, colleague_elsewhere, outsider):
    for user in (colleague_elsewhere, outsider):
        client.force_login(user)
        assert client.get(_detail(review)).status_code == 404
        assert client.get(reverse("steering:review_list", args=[review.convention_id])).status_code == 404


def test_readers_may_not_change_the_review(client, review, observer, federation_staff):
    section_url = _url("section_update", review, "introduction")
    for user in (observer, federation_staff):
        client.force_login(user)
        assert client.post(_url("review_refresh", review)).status_code == 403
        assert client.post(_url("review_approve", review), {"confirm": "1"}).status_code == 403
        assert client.post(section_url, {"text": "Piraté", "version": review.version}).status_code == 403
        assert client.get(section_url).status_code == 403
        assert client.get(_url("review_highlights", review)).status_code == 403
    taken_at = review.snapshot_at
    review.refresh_from_db()
    assert not review.is_approved
    assert review.snapshot_at == taken_at
    assert review.sections.get(key="introduction").text == ""


def test_a_draft_is_its_editors_business(client, cycle, review, observer, federation_staff, academy_staff):
    list_url = reverse("steering:review_list", args=[review.convention_id])
    for user in (observer, federation_staff):
        client.force_login(user)
        response = client.get(_detail(review))
        assert response.status_code == 403
        assert "Ce bilan est en préparation" in _text(response)
        assert "Bilan 2025–2026" not in _text(client.get(list_url))
    client.force_login(academy_staff)
    assert "Bilan 2025–2026" in _text(client.get(list_url))
    reviews.approve(review, academy_staff)
    for user in (observer, federation_staff):
        client.force_login(user)
        assert client.get(_detail(review)).status_code == 200
        assert "Bilan 2025–2026" in _text(client.get(list_url))


def test_an_approved_review_whose_figures_are_lost_says_so_in_french(client, review, academy_staff, observer):
    reviews.approve(review, academy_staff)
    Review.objects.filter(pk=review.pk).update(snapshot={"full": {}})
    for user in (academy_staff, observer):
        client.force_login(user)
        response = client.get(_detail(review))
        assert response.status_code == 409
        assert "Ce bilan ne peut pas être affiché" in _text(response)
        assert "12 visites" not in _text(response)


def test_the_page_query_count_does_not_grow_with_the_activities(client, cycle, review, academy_staff):
    client.force_login(academy_staff)
    client.get(_detail(review))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_detail(review)).status_code == 200
        return len(captured)

    before = count()
    for n in range(15):
        activity = ActivityFactory(
            title=f"Visite supplémentaire {n}", starts_on=datetime.date(2026, 4, 1), pupils=10, evaluation="Bien."
        )
        ContributionFactory(activity=activity, convention=cycle.convention, action=cycle.visits)
    reviews.set_highlights(
        review,
        [reviews.HighlightInput(cycle.immersion, "Une première")],
        expected_version=None,
        user=academy_staff,
    )
    assert count() == before


def test_refresh_keeps_the_figures_and_approval_freezes_them(client, cycle, review, academy_staff):
    client.force_login(academy_staff)
    assert client.post(_url("review_refresh", review)).status_code == 302
    review.refresh_from_db()
    assert review.snapshot["full"]["key_figures"][0]["value"] == 14

    response = client.post(_url("review_approve", review), {"version": review.version}, follow=True)
    assert "Cochez la case de confirmation" in _text(response)
    review.refresh_from_db()
    assert not review.is_approved

    shown = client.get(_detail(review)).context["snapshot_at"]
    assert shown == review.snapshot_at.isoformat()
    client.post(_url("review_approve", review), {"version": review.version, "confirm": "1", "snapshot_at": shown})
    review.refresh_from_db()
    assert review.is_approved
    activity = ActivityFactory(starts_on=datetime.date(2026, 4, 1), pupils=10)
    ContributionFactory(activity=activity, convention=cycle.convention, action=cycle.visits)
    text = _text(client.get(_detail(review)))
    assert "Approuvé le" in text
    assert "12 visites d’entreprise réalisées pour 10 prévues" in text
    assert "Actualiser les chiffres" not in text
    assert client.get(_url("section_update", review, "introduction")).status_code == 403
    assert client.post(_url("review_refresh", review)).status_code == 403


# --- Sections and highlights ----------------------------------------------------------------------


def test_an_editor_writes_a_section_and_hostile_text_is_escaped(client, review, academy_staff):
    client.force_login(academy_staff)
    url = _url("section_update", review, "introduction")
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": f"Une belle année. {HOSTILE}", "version": review.version})
    assert response.status_code == 302
    section = review.sections.get(key="introduction")
    assert section.text == f"Une belle année. {HOSTILE}"
    assert not section.public
    html = client.get(_detail(review)).content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;" in html
    assert "Réservé aux parties" in html


def test_the_second_editor_is_told_and_nothing_is_saved(client, review, academy_staff):
    client.force_login(academy_staff)
    url = _url("section_update", review, "introduction")
    opened = review.version
    client.post(url, {"text": "Premier texte.", "public": "on", "version": opened})
    response = client.post(url, {"text": "Second texte.", "public": "on", "version": opened})
    assert response.status_code == 422
    text = _text(response)
    assert "Ce bilan a été modifié entre-temps" in text
    assert "Premier texte." in text  # what was saved meanwhile, shown
    assert "Second texte." in text  # what the user typed, kept
    assert review.sections.get(key="introduction").text == "Premier texte."


def test_an_unknown_section_is_a_404(client, review, academy_staff):
    client.force_login(academy_staff)
    assert client.get(_url("section_update", review, "inconnue")).status_code == 404


def test_an_editor_chooses_highlights(client, cycle, review, academy_staff):
    client.force_login(academy_staff)
    url = _url("review_highlights", review)
    response = client.get(url)
    assert response.status_code == 200
    assert "Immersion de professeurs principaux" in _text(response)
    data = {
        "version": review.version,
        f"activity_{cycle.immersion.pk}": "on",
        f"comment_{cycle.immersion.pk}": f"Une première. {HOSTILE}",
    }
    assert client.post(url, data).status_code == 302
    assert list(review.highlights.values_list("activity", flat=True)) == [cycle.immersion.pk]
    html = client.get(_detail(review)).content.decode()
    assert "Une première." in html
    assert HOSTILE not in html


def test_the_page_reads_like_the_documents(client, cycle, academy_staff):
    from partenariats.activities.models import Metric
    from tests.factories import ActionTargetFactory

    forum = cycle.next_plan.actions.get()
    ActionTargetFactory(action=forum, metric=Metric.EVENTS, value=10)
    ActionTargetFactory(action=forum, metric=Metric.PUPILS, value=1200)
    review = reviews.create_review(cycle.convention, 2025, academy_staff)
    client.force_login(academy_staff)
    text = _text(client.get(_detail(review)))
    assert "Participations d’élèves : 1 200, Actions réalisées : 10" in text
    assert "Actions non réalisées" in text
    assert "Non réalisée" in text
    assert "engagée" not in text
    assert "dont 0 %" not in text
    # The chapters in the documents' order, the narrative in its place.
    order = ["Introduction", "Synthèse de l’année", "Réalisations par axe", "Actions non réalisées", "Indicateurs"]
    order += ["Évaluations", "Faits marquants", "Difficultés rencontrées", "Décisions et actions correctives"]
    order += ["Perspectives", "Plan de partenariat 2026–2027"]
    positions = [text.index(f">{title}</h2>") for title in order]
    assert positions == sorted(positions)
    assert "Faits marquants de l’année</h2>" not in text
