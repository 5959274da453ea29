"""Recording an activity through the full form and the quick form: who records for whom, what is
checked, what it counts toward, and that a refused or stale form saves nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.activities.models import Activity, ActivityGroup, Contribution
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    ContributionFactory,
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PersonFactory,
    PlanFactory,
    academy,
)

pytestmark = pytest.mark.django_db

CREATE = reverse("activities:activity_create")
QUICK = reverse("activities:activity_quick")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def today():
    return timezone.localdate()


def login(client, user):
    client.force_login(user)
    return client


def form_data(today, groups=(), **fields) -> dict:
    data = {
        "save": "1",
        "kind": "company_visit",
        "title": "Visite de l’atelier",
        "starts_on": today.isoformat(),
        "ends_on": "",
        "place": "Marseille",
        "programme": "",
        "class_count": "2",
        "teacher_count": "3",
        "professional_count": "",
        "hours": "2,5",
        "evaluation": "Très bien",
        "groups-TOTAL_FORMS": str(len(groups)),
        "groups-INITIAL_FORMS": "0",
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "100",
    }
    for index, group in enumerate(groups):
        data |= {f"groups-{index}-{name}": value for name, value in group.items()}
    return data | fields


def group(school, pupils, level="3e", class_name="3e A") -> dict:
    return {"school": str(school.pk), "level": level, "class_name": class_name, "pupils": str(pupils)}


@pytest.fixture
def convention_of_the_school(school, today):
    """A convention the school is a party to, with this year's plan and one action."""
    plan = PlanFactory(school_year=today.year if today.month >= 9 else today.year - 1)
    PartyFactory(convention=plan.convention, organisation=school, position=2)
    action = ActionFactory(plan=plan, number=1, title="Visites d’entreprises")
    return plan.convention, action


# --- The full form --------------------------------------------------------------------------------


def test_academy_staff_record_an_activity_counted_toward_what_they_tick(
    client, academy_staff, aix, school, company, today, convention_of_the_school
):
    convention, action = convention_of_the_school
    other_school = OrganisationFactory(school=True, academy=aix)
    login(client, academy_staff)
    page = client.get(CREATE)
    assert page.status_code == 200
    data = form_data(
        today,
        groups=[group(school, 24), group(other_school, 18, class_name="3e B")],
        academy=str(aix.pk),
        organisations=[str(company.pk)],
        contributions=[f"{convention.pk}-{action.pk}-0"],
        prepared_with_pupils="on",
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="Visite de l’atelier")
    assert activity.pupil_participations == 42  # the sum of the groups
    assert activity.academy == aix
    assert activity.recorded_by == academy_staff
    assert activity.recorded_for is None
    assert activity.hours == 2.5
    assert activity.professional_count == 0
    assert activity.prepared_with_pupils
    assert not activity.exploited_afterwards
    assert list(activity.organisations.all()) == [company]
    assert {g.school for g in activity.groups.all()} == {school, other_school}
    contribution = Contribution.objects.get(activity=activity)
    assert (contribution.convention, contribution.action, contribution.confirmed) == (convention, action, True)
    assert contribution.confirmed_by == academy_staff


def test_the_suggestions_are_offered_unticked_on_the_full_form(
    client, academy_staff, aix, school, today, convention_of_the_school
):
    convention, action = convention_of_the_school
    data = form_data(today, groups=[group(school, 10)], academy=str(aix.pk), refresh="1")
    del data["save"]
    response = login(client, academy_staff).post(CREATE, data)
    assert response.status_code == 200
    assert not Activity.objects.exists()  # « Actualiser » saves nothing
    choices = dict(response.context["form"].fields["contributions"].choices)
    key = f"{convention.pk}-{action.pk}-0"
    assert "(suggéré)" in choices[key]
    assert f"{convention.pk}-0-0" in choices  # the convention alone
    assert f'value="{key}"' in response.content.decode()
    assert f'value="{key}" checked' not in response.content.decode()


def test_adding_a_group_row_saves_nothing(client, academy_staff, aix, school, today):
    data = form_data(today, groups=[group(school, 10)], academy=str(aix.pk), add_group="1")
    del data["save"]
    response = login(client, academy_staff).post(CREATE, data)
    assert response.status_code == 200
    assert len(response.context["groups"].forms) == 2
    assert not Activity.objects.exists()


def test_school_staff_record_for_their_own_school_only(client, school_head, school, aix, today):
    other_school = OrganisationFactory(school=True, academy=aix, name="Lycée Voisin")
    login(client, school_head)
    page = client.get(CREATE).content.decode()
    assert school.name in page
    assert "Lycée Voisin" not in page
    response = client.post(CREATE, form_data(today, groups=[group(other_school, 20)]))
    assert response.status_code == 422
    assert "vous ne pouvez saisir que pour le vôtre" in response.content.decode()
    assert not Activity.objects.exists()
    response = client.post(CREATE, form_data(today, groups=[group(school, 20)]))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.recorded_for == school
    assert activity.academy == school.academy  # where its school is
    assert client.get(reverse("activities:activity_update", args=[activity.pk])).status_code == 200


def test_partner_staff_always_count_their_organisation(client, partner_contact, company, school, today):
    other = OrganisationFactory(company=True, name="Autre Entreprise")
    data = form_data(today, groups=[group(school, 12)], organisations=[str(other.pk)])
    response = login(client, partner_contact).post(CREATE, data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert set(activity.organisations.all()) == {company, other}
    assert activity.recorded_for == company


def test_clee_members_record_in_their_bassin(client, clee_member, school, today):
    basin = clee_member.assignments.get().basin
    response = login(client, clee_member).post(CREATE, form_data(today, groups=[group(school, 5)], basin=basin.pk))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.basin, activity.academy) == (basin, basin.academy)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_on": "2025-11-01", "starts_on": "2025-11-14"}, "ends_on", "ne peut pas précéder"),
        ({"starts_on": "2099-01-01"}, "starts_on", "Date impossible"),
        ({"starts_on": "1990-01-01"}, "starts_on", "Date impossible"),
        ({"starts_on": "31/02/2025"}, "starts_on", "n’existe pas"),
        ({"title": ""}, "title", "Donnez un intitulé"),
        ({"hours": "-1"}, "hours", "négative"),
    ],
)
def test_it_refuses_bad_input_in_french_and_saves_nothing(client, academy_staff, aix, today, fields, field, message):
    data = form_data(today, academy=str(aix.pk)) | fields
    response = login(client, academy_staff).post(CREATE, data)
    assert response.status_code == 422
    assert any(message in error for error in response.context["form"].errors[field])
    assert "Rien n’a été enregistré" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_date_a_year_ahead_is_accepted(client, academy_staff, aix, today):
    data = form_data(today, academy=str(aix.pk), starts_on=(today + datetime.timedelta(days=300)).isoformat())
    assert login(client, academy_staff).post(CREATE, data).status_code == 302


def test_a_group_needs_its_pupils(client, academy_staff, aix, school, today):
    data = form_data(today, groups=[group(school, "")], academy=str(aix.pk))
    response = login(client, academy_staff).post(CREATE, data)
    assert response.status_code == 422
    assert "Indiquez le nombre d’élèves" in response.content.decode()
    assert not ActivityGroup.objects.exists()


def test_a_contribution_not_offered_is_refused(client, academy_staff, aix, today):
    hidden = ConventionFactory(signed=True, academy=academy("Nice"))
    data = form_data(today, academy=str(aix.pk), contributions=[f"{hidden.pk}-0-0"])
    response = login(client, academy_staff).post(CREATE, data)
    assert response.status_code == 422
    assert "n’est plus proposé" in response.content.decode()
    assert not Contribution.objects.exists()


def test_observers_and_role_less_users_record_nothing(client, observer, outsider, today, aix):
    for user in (observer, outsider):
        login(client, user)
        assert client.get(CREATE).status_code == 403
        assert client.get(QUICK).status_code == 403
        assert client.post(CREATE, form_data(today, academy=str(aix.pk))).status_code == 403
    assert not Activity.objects.exists()


# --- Updating -------------------------------------------------------------------------------------


@pytest.fixture
def recorded(aix, school, company, today):
    activity = ActivityFactory(
        title="Visite enregistrée",
        starts_on=today,
        academy=aix,
        pupils=20,
        groups__school=school,
        organisations=[company],
    )
    return activity


def update_data(activity, today, **fields):
    return (
        form_data(
            today,
            groups=[group(activity.groups.get().school, 20)],
            academy=str(activity.academy_id),
            organisations=[str(o.pk) for o in activity.organisations.all()],
            version=str(activity.version),
            title="Visite corrigée",
        )
        | fields
    )


def test_a_stale_form_is_refused_and_nothing_is_written(client, academy_staff, recorded, today):
    url = reverse("activities:activity_update", args=[recorded.pk])
    login(client, academy_staff)
    stale = update_data(recorded, today)
    assert client.post(url, update_data(recorded, today, title="Première correction")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "modifiée entre-temps" in response.content.decode()
    recorded.refresh_from_db()
    assert recorded.title == "Première correction"


def test_an_update_keeps_the_contributions_the_editor_cannot_see(client, school_head, recorded, today):
    """A school head edits an activity also counted toward a convention they do not see: that
    contribution stays."""
    unseen = ContributionFactory(activity=recorded, convention=ConventionFactory(signed=True))
    data = update_data(recorded, today)
    del data["academy"]
    response = login(client, school_head).post(reverse("activities:activity_update", args=[recorded.pk]), data)
    assert response.status_code == 302
    assert Contribution.objects.filter(pk=unseen.pk, confirmed=True).exists()
    recorded.refresh_from_db()
    assert recorded.title == "Visite corrigée"
    assert recorded.version == 2


def test_unticking_a_contribution_removes_it(client, academy_staff, recorded, today):
    contribution = ContributionFactory(activity=recorded, convention=ConventionFactory(signed=True))
    url = reverse("activities:activity_update", args=[recorded.pk])
    login(client, academy_staff)
    page = client.get(url)
    assert page.context["form"].initial["contributions"] == [f"{contribution.convention_id}-0-0"]
    assert client.post(url, update_data(recorded, today)).status_code == 302
    assert not Contribution.objects.filter(pk=contribution.pk).exists()


# --- The quick form ---------------------------------------------------------------------------------


def test_a_teacher_records_a_visit_in_two_minutes(
    client, school_head, school, company, today, convention_of_the_school
):
    convention, action = convention_of_the_school
    login(client, school_head)
    page = client.get(QUICK)
    assert page.status_code == 200
    form = page.context["form"]
    key = f"{convention.pk}-{action.pk}-0"
    assert form.initial["contributions"] == [key]  # the first suggestion, pre-ticked
    assert form.fields["school"].queryset.get() == school
    data = {
        "starts_on": today.isoformat(),
        "kind": "company_visit",
        "title": "",
        "school": str(school.pk),
        "level": "3e",
        "class_name": "3e C",
        "pupils": "26",
        "company": str(company.pk),
        "prepared_with_pupils": "on",
        "exploited_afterwards": "on",
        "evaluation": "Les élèves ont découvert les métiers de l’atelier.",
        "contributions": [key],
        "save": "1",
    }
    response = client.post(QUICK, data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.title == f"Visite d’entreprise – {company}"
    assert activity.pupil_participations == 26
    assert activity.is_prepared_and_exploited
    assert activity.recorded_for == school
    assert list(activity.organisations.all()) == [company]
    assert Contribution.objects.get(activity=activity).confirmed


def test_the_quick_form_refuses_a_school_of_another_academie(client, academy_staff, today):
    elsewhere = OrganisationFactory(school=True, academy=academy("Nice"))
    data = {"starts_on": today.isoformat(), "kind": "company_visit", "school": elsewhere.pk, "level": "3e"}
    response = login(client, academy_staff).post(QUICK, data | {"pupils": "10", "school_search": elsewhere.name})
    assert response.status_code == 422
    assert "pas dans votre académie" in response.content.decode()
    assert not Activity.objects.exists()


# --- htmx fragments --------------------------------------------------------------------------------


def test_the_lists_refresh_as_one_types(client, academy_staff, aix, school, company, today, convention_of_the_school):
    convention, action = convention_of_the_school
    login(client, academy_staff)
    url = reverse("activities:select_options")
    assert client.get(url, {"field": "school"}).status_code == 400  # not htmx
    options = client.get(
        url, {"field": "school", "prefix": "groups-0", "groups-0-school_search": school.name}, headers=HTMX
    )
    assert f'value="{school.pk}"' in options.content.decode()
    companies = client.get(url, {"field": "company", "company_search": company.name}, headers=HTMX)
    assert f'value="{company.pk}"' in companies.content.decode()
    assert client.get(url, {"field": "password"}, headers=HTMX).status_code == 400
    choices = client.get(
        reverse("activities:organisation_choices"), {"organisation_search": company.name}, headers=HTMX
    )
    assert f'value="{company.pk}"' in choices.content.decode()
    counted = client.get(
        reverse("activities:contribution_choices"),
        {"starts_on": today.isoformat(), "groups-0-school": school.pk},
        headers=HTMX,
    )
    assert f'value="{convention.pk}-{action.pk}-0"' in counted.content.decode()


def test_the_volunteers_offered_are_the_contacts_of_the_partners_ticked(
    client, academy_staff, aix, school, company, today
):
    volunteer = PersonFactory(academy=aix, first_name="Inès", last_name="Soudeuse")
    MembershipFactory(person=volunteer, organisation=company)
    stranger = PersonFactory(academy=aix, first_name="Paul", last_name="Ailleurs")
    MembershipFactory(person=stranger, organisation=OrganisationFactory(company=True, academy=aix))
    login(client, academy_staff)
    data = form_data(today, groups=[group(school, 12)], academy=str(aix.pk), organisations=[str(company.pk)])

    refreshed = client.post(CREATE, {key: value for key, value in data.items() if key != "save"} | {"refresh": "1"})
    assert not Activity.objects.exists()  # « Actualiser » saves nothing
    offered = dict(refreshed.context["form"].fields["volunteers"].widget.choices)
    assert offered == {volunteer.pk: "Inès Soudeuse"}

    refused = client.post(CREATE, data | {"volunteers": [str(stranger.pk)]})
    assert refused.status_code == 422
    assert not Activity.objects.exists()

    response = client.post(CREATE, data | {"volunteers": [str(volunteer.pk)]})
    assert response.status_code == 302
    assert list(Activity.objects.get().volunteers.all()) == [volunteer]
