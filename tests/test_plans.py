"""The yearly plans of a convention: who reads and writes them, carrying a plan over, actions with
their period and targets, the commitments' targets, deletion, stale forms and the export."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partenariats.activities.models import (
    Action,
    ActionModality,
    ActionTarget,
    CommitmentTarget,
    Metric,
    Plan,
    PlanStatus,
)
from partenariats.activities.targets import commitment_targets
from partenariats.conventions import services as convention_services
from partenariats.conventions.models import Article, Audience, ConventionKind, PartySide, Programme
from tests.conventions.test_edit_update import page_data, update_url
from tests.factories import (
    ActionFactory,
    ActionTargetFactory,
    ActivityFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def convention():
    """A signed convention of Aix-Marseille: the Rectorat and a federation."""
    return ConventionFactory(signed=True, title="Convention cadre avec la Fédération Exemple")


@pytest.fixture
def article(convention):
    return Article.objects.create(convention=convention, number="2", heading="Découverte des métiers")


@pytest.fixture
def partner(convention):
    return convention.parties.get(side=PartySide.PARTNER)


@pytest.fixture
def commitment(convention, partner, article):
    return CommitmentFactory(
        convention=convention, party=partner, article=article, text="Organiser des visites d’entreprise"
    )


@pytest.fixture
def secret_commitment(convention, partner):
    return CommitmentFactory(
        convention=convention, party=partner, text="Financer le transport des élèves", confidential=True
    )


@pytest.fixture
def plan(convention):
    return PlanFactory(convention=convention, school_year=2025)


def login(client, user):
    client.force_login(user)
    return client


def plan_url(name: str, plan: Plan, *args) -> str:
    return reverse(f"activities:{name}", args=[plan.convention_id, plan.school_year, *args])


def action_data(plan: Plan, **values) -> dict:
    data = {
        "title": "Visites d’entreprise pour les 3e",
        "article": "",
        "commitments": [],
        "objective": "",
        "audiences": [],
        "programmes": [],
        "start_wording": "",
        "starts_on": "",
        "ends_on": "",
        "owner_party": "",
        "owner_name": "",
        "version": Plan.objects.get(pk=plan.pk).version,
        **{f"modality_{party.pk}": "" for party in plan.convention.parties.all()},
        **{f"target_{metric.value}": "" for metric in Metric},
    }
    data.update(values)
    return data


# --- Who reads and who writes ------------------------------------------------------------------


def test_it_lists_the_plans_and_offers_the_next_year_to_the_convention_editors(client, convention, plan, academy_staff):
    ActionFactory(plan=plan)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ADOPTED, adopted_on=date(2025, 10, 2))

    page = login(client, academy_staff).get(reverse("activities:plan_list", args=[convention.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Plan 2025–2026" in content
    assert "Adopté" in content
    assert "02/10/2025" in content
    assert "Préparer le plan 2026–2027" in content
    assert reverse("activities:plan_create", args=[convention.pk]) + "?annee=2026" in content


def test_it_lets_the_observer_read_the_plans_but_not_prepare_one(client, convention, plan, observer):
    login(client, observer)

    listing = client.get(reverse("activities:plan_list", args=[convention.pk]))
    assert listing.status_code == 200
    assert "Préparer le plan" not in listing.content.decode()
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(reverse("activities:plan_create", args=[convention.pk])).status_code == 403
    response = client.post(reverse("activities:plan_create", args=[convention.pk]), {"school_year": 2026})
    assert response.status_code == 403
    assert client.get(plan_url("action_create", plan)).status_code == 403
    assert client.post(plan_url("plan_adopt", plan), {"version": plan.version}).status_code == 403
    assert Plan.objects.count() == 1


def test_it_hides_the_plans_of_another_academie(client, convention, plan, colleague_elsewhere):
    login(client, colleague_elsewhere)

    assert client.get(reverse("activities:plan_list", args=[convention.pk])).status_code == 404
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("activities:plan_create", args=[convention.pk])).status_code == 404
    assert client.get(plan_url("plan_targets", plan)).status_code == 404


def test_it_shows_the_plan_to_a_partner_only_when_its_organisation_is_a_party(
    client, convention, plan, company, partner_contact
):
    login(client, partner_contact)
    assert client.get(plan.get_absolute_url()).status_code == 404

    PartyFactory(convention=convention, organisation=company, position=2)

    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(reverse("activities:plan_list", args=[convention.pk])).status_code == 200
    assert client.get(plan_url("action_create", plan)).status_code == 403


def test_it_links_the_yearly_follow_up_from_the_convention_page(client, convention, academy_staff, observer):
    page = login(client, academy_staff).get(convention.get_absolute_url()).content.decode()
    assert 'id="suivi"' in page
    assert reverse("activities:plan_list", args=[convention.pk]) in page
    assert reverse("indicators:convention", args=[convention.pk]) in page
    assert reverse("activities:link_list", args=[convention.pk]) in page

    read_only = login(client, observer).get(convention.get_absolute_url()).content.decode()
    assert reverse("activities:plan_list", args=[convention.pk]) in read_only
    assert reverse("activities:link_list", args=[convention.pk]) not in read_only


# --- A new plan ------------------------------------------------------------------------------


def test_it_carries_last_years_actions_over_without_their_targets(
    client, convention, plan, commitment, article, partner, academy_staff
):
    audience = Audience.objects.first()
    old = ActionFactory(
        plan=plan,
        number=3,
        title="Forum des métiers",
        article=article,
        commitments=[commitment],
        start_wording="Rentrée scolaire 2025–2026",
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 9, 30),
        owner_party=partner,
        owner_name="Service formation",
    )
    old.audiences.add(audience)
    ActionModality.objects.create(action=old, party=partner, text="La fédération mobilise ses adhérents.")
    ActionTargetFactory(action=old, metric=Metric.PUPILS, value=300)
    CommitmentTarget.objects.create(commitment=commitment, school_year=2025, metric=Metric.PUPILS, value=500)

    response = login(client, academy_staff).post(
        reverse("activities:plan_create", args=[convention.pk]), {"school_year": 2026, "carry_from": plan.pk}
    )

    new_plan = Plan.objects.get(convention=convention, school_year=2026)
    assert response.status_code == 302
    assert response["Location"] == new_plan.get_absolute_url()
    assert new_plan.carried_from == plan
    assert new_plan.status == PlanStatus.DRAFT
    carried = new_plan.actions.get()
    assert (carried.number, carried.title, carried.article, carried.owner_party) == (
        3,
        "Forum des métiers",
        article,
        partner,
    )
    assert list(carried.commitments.all()) == [commitment]
    assert list(carried.audiences.all()) == [audience]
    assert carried.modalities.get().text == "La fédération mobilise ses adhérents."
    assert carried.start_wording == "Rentrée scolaire 2026–2027"
    assert (carried.starts_on, carried.ends_on) == (date(2026, 9, 1), date(2026, 9, 30))
    assert not carried.targets.exists()
    assert commitment_targets(convention, 2026) == {}
    assert old.targets.get().value == 300  # last year's plan is untouched


def test_it_refuses_a_second_plan_for_the_same_year_in_french(client, convention, plan, academy_staff):
    response = login(client, academy_staff).post(
        reverse("activities:plan_create", args=[convention.pk]), {"school_year": 2025, "carry_from": ""}
    )

    assert response.status_code == 422
    assert "Cette convention a déjà un plan pour l’année 2025–2026." in response.content.decode()
    assert Plan.objects.filter(convention=convention).count() == 1


def test_it_offers_the_year_after_the_latest_plan_and_starts_from_it(client, convention, plan, academy_staff):
    form = login(client, academy_staff).get(reverse("activities:plan_create", args=[convention.pk])).context["form"]

    assert form["school_year"].value() == 2026
    assert form["carry_from"].value() == plan.pk
    assert "Reprendre les actions du plan 2025–2026" in form["carry_from"].as_widget()


# --- Actions ---------------------------------------------------------------------------------


def test_it_numbers_a_new_action_and_reads_its_period_from_the_wording(
    client, plan, commitment, article, partner, academy_staff
):
    login(client, academy_staff)
    client.post(plan_url("action_create", plan), action_data(plan, title="Première action"))
    rectorat = plan.convention.parties.get(side=PartySide.EDUCATION)
    programme = Programme.objects.first()

    response = client.post(
        plan_url("action_create", plan),
        action_data(
            plan,
            title="Stages d’observation",
            article=article.pk,
            commitments=[commitment.pk],
            programmes=[programme.pk],
            start_wording="1er trimestre 2026",
            owner_party=partner.pk,
            **{
                f"modality_{rectorat.pk}": "L’académie repère les classes.",
                f"modality_{partner.pk}": "La fédération trouve les entreprises.",
                "target_pupils": "120",
                "target_companies": "15",
            },
        ),
    )

    action = plan.actions.get(title="Stages d’observation")
    assert response.status_code == 302
    assert action.number == 2
    assert (action.starts_on, action.ends_on) == (date(2026, 1, 1), date(2026, 3, 31))
    assert action.start_wording == "1er trimestre 2026"
    assert list(action.commitments.all()) == [commitment]
    assert list(action.programmes.all()) == [programme]
    assert dict(action.modalities.values_list("party_id", "text")) == {
        rectorat.pk: "L’académie repère les classes.",
        partner.pk: "La fédération trouve les entreprises.",
    }
    assert dict(action.targets.values_list("metric", "value")) == {"pupils": 120, "companies": 15}
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Stages d’observation" in page
    assert "du 01/01/2026 au 31/03/2026" in page
    assert "La fédération trouve les entreprises." in page
    assert "Action n° 2" in page  # the history


def test_it_keeps_dates_typed_by_hand_and_follows_a_new_wording(client, plan, academy_staff):
    login(client, academy_staff)
    client.post(
        plan_url("action_create", plan),
        action_data(plan, start_wording="Novembre 2025", starts_on="2025-11-14", ends_on="2025-11-14"),
    )
    action = plan.actions.get()
    assert (action.starts_on, action.ends_on) == (date(2025, 11, 14), date(2025, 11, 14))

    form = client.get(plan_url("action_update", plan, action.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(start_wording="2e trimestre", commitments=[], audiences=[], programmes=[])
    response = client.post(plan_url("action_update", plan, action.pk), data)

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.starts_on, action.ends_on) == (date(2026, 1, 1), date(2026, 3, 31))


def test_it_refuses_an_axis_or_a_commitment_of_another_convention(client, plan, academy_staff):
    elsewhere = ConventionFactory(signed=True)
    foreign_article = Article.objects.create(convention=elsewhere, number="1", heading="Objet")
    foreign_commitment = CommitmentFactory(convention=elsewhere)

    response = login(client, academy_staff).post(
        plan_url("action_create", plan),
        action_data(plan, article=foreign_article.pk, commitments=[foreign_commitment.pk]),
    )

    assert response.status_code == 422
    assert not plan.actions.exists()
    errors = response.context["form"].errors
    assert "article" in errors
    assert "commitments" in errors


def test_it_refuses_an_end_before_the_start_and_a_negative_target(client, plan, academy_staff):
    response = login(client, academy_staff).post(
        plan_url("action_create", plan),
        action_data(plan, starts_on="2026-03-01", ends_on="2026-02-01", target_pupils="-3"),
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "La date de fin précède la date de début." in content
    assert "Une cible ne peut pas être négative." in content
    assert not plan.actions.exists()


# --- Targets of the commitments --------------------------------------------------------------


def test_a_commitments_target_is_the_sum_of_its_actions_unless_set_explicitly(
    client, convention, plan, commitment, academy_staff
):
    first = ActionFactory(plan=plan, commitments=[commitment])
    second = ActionFactory(plan=plan, commitments=[commitment])
    ActionTargetFactory(action=first, metric=Metric.PUPILS, value=100)
    ActionTargetFactory(action=second, metric=Metric.PUPILS, value=50)
    ActionTargetFactory(action=second, metric=Metric.EVENTS, value=4)
    # Another year's plan does not count.
    ActionTargetFactory(
        action=ActionFactory(plan=PlanFactory(convention=convention, school_year=2024), commitments=[commitment]),
        metric=Metric.PUPILS,
        value=999,
    )
    assert commitment_targets(convention, 2025) == {(commitment.pk, "pupils"): 150, (commitment.pk, "events"): 4}

    login(client, academy_staff)
    form = client.get(plan_url("plan_targets", plan)).context["form"]
    response = client.post(
        plan_url("plan_targets", plan),
        {**{name: "" for name in form.fields}, "version": plan.version, f"target_{commitment.pk}_pupils": "120"},
    )

    assert response.status_code == 302
    assert commitment_targets(convention, 2025) == {(commitment.pk, "pupils"): 120, (commitment.pk, "events"): 4}
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "120" in page
    assert "(fixée)" in page

    form = client.get(plan_url("plan_targets", plan)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"target_{commitment.pk}_pupils"] = ""
    client.post(plan_url("plan_targets", plan), data)

    assert commitment_targets(convention, 2025)[(commitment.pk, "pupils")] == 150
    assert not CommitmentTarget.objects.exists()


# --- Deletion, adoption, stale forms ---------------------------------------------------------


def test_it_refuses_to_delete_an_action_that_activities_count_toward(client, convention, plan, academy_staff):
    action = ActionFactory(plan=plan)
    ContributionFactory(activity=ActivityFactory(), convention=convention, action=action)
    login(client, academy_staff)

    page = client.get(plan_url("action_delete", plan, action.pk))
    assert "Des activités sont rattachées à cette action" in page.content.decode()
    response = client.post(plan_url("action_delete", plan, action.pk), {"version": plan.version})

    assert response.status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_it_refuses_to_delete_an_action_of_an_adopted_plan_but_deletes_a_draft_one(client, plan, academy_staff):
    kept = ActionFactory(plan=plan)
    doomed = ActionFactory(plan=plan)
    ActionTargetFactory(action=doomed)
    login(client, academy_staff)

    response = client.post(plan_url("action_delete", plan, doomed.pk), {"version": plan.version})
    assert response.status_code == 302
    assert not Action.objects.filter(pk=doomed.pk).exists()
    assert not ActionTarget.objects.exists()

    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ADOPTED, adopted_on=date(2025, 10, 1))
    plan.refresh_from_db()
    response = client.post(plan_url("action_delete", plan, kept.pk), {"version": plan.version})
    assert response.status_code == 403
    assert "Le plan est adopté" in response.content.decode()
    assert Action.objects.filter(pk=kept.pk).exists()


def test_it_adopts_the_plan_once_and_refuses_a_stale_page(client, plan, academy_staff):
    login(client, academy_staff)
    seen = plan.version
    client.post(plan_url("action_create", plan), action_data(plan))  # someone adds an action meanwhile

    response = client.post(plan_url("plan_adopt", plan), {"version": seen}, follow=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert "modifié entre-temps" in response.content.decode()

    client.post(plan_url("plan_adopt", plan), {"version": plan.version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    assert plan.adopted_on is not None
    assert client.get(plan_url("plan_adopt", plan)).status_code == 405


def test_it_refuses_an_action_form_opened_before_another_change(client, plan, academy_staff):
    action = ActionFactory(plan=plan, title="Titre d’origine")
    login(client, academy_staff)
    stale = action_data(plan, title="Titre de la première personne")
    client.post(plan_url("action_create", plan), action_data(plan, title="Une autre action"))

    response = client.post(plan_url("action_update", plan, action.pk), stale)

    assert response.status_code == 422
    assert "modifié entre-temps" in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Titre d’origine"


def test_it_refuses_to_delete_a_commitment_or_an_article_that_the_plans_use(convention, plan, article):
    draft = ConventionFactory(title="Projet")
    draft_article = Article.objects.create(convention=draft, number="1", heading="Objet")
    served = CommitmentFactory(convention=draft)
    counted = CommitmentFactory(convention=draft)
    free = CommitmentFactory(convention=draft)
    draft_plan = PlanFactory(convention=draft)
    ActionFactory(plan=draft_plan, commitments=[served], article=draft_article)
    ContributionFactory(activity=ActivityFactory(), convention=draft, commitment=counted)

    assert "Des actions d’un plan servent cet engagement" in convention_services.commitment_deletion_refusal(served)
    assert "Des activités sont comptées" in convention_services.commitment_deletion_refusal(counted)
    assert convention_services.commitment_deletion_refusal(free) is None
    assert "des actions d’un plan de partenariat" in convention_services.article_deletion_refusal(draft_article)


# --- Confidentiality, export, query count ----------------------------------------------------


@pytest.fixture
def national(aix):
    """A national convention of Aix: every académie's staff reads it, only Aix's are party staff."""
    convention = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL, title="Convention nationale")
    plan = PlanFactory(convention=convention)
    partner = convention.parties.get(side=PartySide.PARTNER)
    public = CommitmentFactory(convention=convention, party=partner, text="Engagement public")
    secret = CommitmentFactory(convention=convention, party=partner, text="Engagement secret", confidential=True)
    shown = ActionFactory(plan=plan, number=1, title="Action publique", commitments=[public, secret])
    hidden = ActionFactory(plan=plan, number=2, title="Action confidentielle", confidential=True)
    ActionTargetFactory(action=shown, metric=Metric.PUPILS, value=80)
    ActionTargetFactory(action=hidden, metric=Metric.PUPILS, value=40)
    return plan


def test_it_hides_confidential_actions_and_commitments_from_readers_outside_the_parties(
    client, national, colleague_elsewhere, academy_staff
):
    outside = login(client, colleague_elsewhere).get(national.get_absolute_url()).content.decode()
    assert "Action publique" in outside
    assert "Engagement public" in outside
    assert "Action confidentielle" not in outside
    assert "Engagement secret" not in outside
    listing = client.get(reverse("activities:plan_list", args=[national.convention_id])).context["page_obj"]
    assert [p.action_count for p in listing] == [1]
    exported = client.get(national.get_absolute_url(), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Action confidentielle" not in exported
    assert "Engagement secret" not in exported

    inside = login(client, academy_staff).get(national.get_absolute_url()).content.decode()
    assert "Action confidentielle" in inside
    assert "Engagement secret" in inside


def test_the_export_holds_what_the_page_shows(client, convention, plan, commitment, academy_staff):
    rectorat = convention.parties.get(side=PartySide.EDUCATION)
    for number in (1, 2):
        action = ActionFactory(
            plan=plan,
            number=number,
            title=f"Action exportée {number}",
            commitments=[commitment],
            start_wording="novembre 2025",
            starts_on=date(2025, 11, 1),
            ends_on=date(2025, 11, 30),
        )
        ActionModality.objects.create(action=action, party=rectorat, text=f"Modalité {number}")
        ActionTargetFactory(action=action, metric=Metric.PUPILS, value=100 * number + 7)
    login(client, academy_staff)

    page = client.get(plan.get_absolute_url())
    response = client.get(plan.get_absolute_url(), {"format": "csv"})

    assert response["Content-Disposition"].startswith('attachment; filename="plan-2025-2026')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert [row[0] for row in body] == [str(a.number) for a in page.context["content"].actions]
    column = {name: index for index, name in enumerate(header)}
    html = page.content.decode()
    for row in body:
        for name in (
            "Intitulé",
            f"Modalités – {rectorat.organisation}",
            "Calendrier",
            "Cible – Participations d’élèves",
        ):
            assert row[column[name]]
            assert row[column[name]] in html
        assert row[column["Engagements servis"]] == str(commitment)
        assert row[column["Du"]] == "01/11/2025"
    xlsx = client.get(plan.get_absolute_url(), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def _grow(plan, commitment, party, count: int) -> None:
    audience, programme = Audience.objects.first(), Programme.objects.first()
    for _ in range(count):
        action = ActionFactory(plan=plan, commitments=[commitment], article=commitment.article, owner_party=party)
        action.audiences.add(audience)
        action.programmes.add(programme)
        ActionModality.objects.create(action=action, party=party, text="Ce que fait la partie")
        ActionTargetFactory(action=action, metric=Metric.PUPILS, value=10)
        ActionTargetFactory(action=action, metric=Metric.EVENTS, value=1)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_pages_keep_a_constant_number_of_queries(client, convention, plan, commitment, partner, academy_staff):
    login(client, academy_staff)
    _grow(plan, commitment, partner, 2)
    PlanFactory(convention=convention, school_year=2024)
    detail, listing = (
        _queries(client, plan.get_absolute_url()),
        _queries(client, reverse("activities:plan_list", args=[convention.pk])),
    )
    export = _queries(client, plan.get_absolute_url() + "?format=csv")

    _grow(plan, commitment, partner, 12)
    PlanFactory(convention=convention, school_year=2023)

    assert _queries(client, plan.get_absolute_url()) == detail
    assert _queries(client, reverse("activities:plan_list", args=[convention.pk])) == listing
    assert _queries(client, plan.get_absolute_url() + "?format=csv") == export


def test_a_party_with_modalities_in_a_plan_cannot_be_removed_from_the_convention(client, academy_staff, company):
    """Removing it would silently delete what it does in each action."""
    convention = ConventionFactory(signed=True)
    partner = convention.parties.all()[1]
    action = ActionFactory(plan=PlanFactory(convention=convention, school_year=2025))
    ActionModality.objects.create(action=action, party=partner, text="La fédération relaie l’offre à ses adhérents.")
    client.force_login(academy_staff)
    data = page_data(client.get(update_url(convention)))
    data["parties-1-DELETE"] = "on"
    data["parties-2-organisation"] = str(company.pk)

    response = client.post(update_url(convention), data)

    assert response.status_code == 200
    assert f"La partie « {partner} » a des modalités dans les plans de partenariat" in response.content.decode()
    assert ActionModality.objects.filter(party=partner).exists()
