"""/api/plans and /api/activities: who sees what, filters, pagination, query counts, and
recording an activity with the form's rules, all or nothing."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partenariats.activities import services
from partenariats.activities.models import Activity, ActivityGroup, ActivityKind, Level, Metric, PlanStatus
from partenariats.conventions.models import ConventionKind
from tests.factories import (
    ActionFactory,
    ActionTargetFactory,
    ActivityFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    OrganisationFactory,
    PlanFactory,
    token_for,
)

pytestmark = pytest.mark.django_db


def api(client, user, path: str, **params):
    return client.get(path, params, headers={"Authorization": f"Bearer {token_for(user)}"})


def post(client, user, payload: dict):
    return client.post(
        "/api/activities",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(user)}"},
    )


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def convention(company):
    """A signed convention of Aix with the company of Aix as a party."""
    convention = ConventionFactory(signed=True, title="Convention des ateliers")
    convention.parties.create(organisation=company, side="partner", position=2)
    return convention


@pytest.fixture
def plan(convention):
    plan = PlanFactory(convention=convention, school_year=2025, status=PlanStatus.ADOPTED)
    commitment = CommitmentFactory(
        convention=convention, party=convention.parties.last(), text="Accueillir des classes"
    )
    secret = CommitmentFactory(
        convention=convention, party=convention.parties.last(), text="Tarifs préférentiels", confidential=True
    )
    visits = ActionFactory(plan=plan, number=1, title="Visites d’ateliers", commitments=[commitment, secret])
    ActionTargetFactory(action=visits, metric=Metric.PUPILS, value=120)
    ActionFactory(plan=plan, number=2, title="Action confidentielle", confidential=True)
    visits.modalities.create(party=convention.parties.last(), text="L’entreprise ouvre ses ateliers.")
    return plan


# --- Plans ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("academy_staff", True),
        ("observer", True),
        ("partner_contact", True),
        ("platform_admin", True),
        ("colleague_elsewhere", False),
        ("school_head", False),
        ("outsider", False),
    ],
)
def test_plans_are_listed_to_who_sees_the_convention(client, plan, persona, sees, request):
    user = request.getfixturevalue(persona)
    listed = items(api(client, user, "/api/plans"))
    assert [p["id"] for p in listed] == ([plan.pk] if sees else [])
    detail = api(client, user, f"/api/plans/{plan.pk}")
    assert detail.status_code == (200 if sees else 404)
    if not sees:
        assert detail.json() == {
            "detail": "Introuvable : cet enregistrement n’existe pas ou n’est pas dans votre périmètre."
        }


def test_a_plan_gives_its_actions_modalities_and_targets(client, academy_staff, plan, convention):
    body = api(client, academy_staff, f"/api/plans/{plan.pk}").json()
    assert (body["school_year"], body["year_label"], body["status"]) == (2025, "2025–2026", "adopted")
    assert body["convention"]["title"] == "Convention des ateliers"
    first, second = body["actions"]
    assert (first["number"], first["title"]) == (1, "Visites d’ateliers")
    assert first["targets"] == [{"metric": "pupils", "metric_label": "Participations d’élèves", "value": 120}]
    assert [c["text"] for c in first["commitments"]] == ["Accueillir des classes", "Tarifs préférentiels"]
    assert first["modalities"][0]["text"] == "L’entreprise ouvre ses ateliers."
    assert (second["title"], second["confidential"]) == ("Action confidentielle", True)


def test_a_plan_hides_confidential_actions_and_commitments_from_who_is_not_a_party(client, colleague_elsewhere):
    national = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL)
    plan = PlanFactory(convention=national, school_year=2025)
    commitment = CommitmentFactory(convention=national, party=national.parties.last(), text="Public")
    secret = CommitmentFactory(convention=national, party=national.parties.last(), text="Secret", confidential=True)
    ActionFactory(plan=plan, number=1, commitments=[commitment, secret])
    ActionFactory(plan=plan, number=2, confidential=True)
    body = api(client, colleague_elsewhere, f"/api/plans/{plan.pk}").json()
    assert [a["number"] for a in body["actions"]] == [1]
    assert [c["text"] for c in body["actions"][0]["commitments"]] == ["Public"]


def test_plans_filter_by_convention_and_year(client, academy_staff, plan, convention):
    older = PlanFactory(convention=convention, school_year=2024)
    other = PlanFactory(school_year=2025)
    assert {p["id"] for p in items(api(client, academy_staff, "/api/plans"))} == {plan.pk, older.pk, other.pk}
    by_convention = items(api(client, academy_staff, "/api/plans", convention=convention.pk))
    assert [p["school_year"] for p in by_convention] == [2025, 2024]
    assert [p["id"] for p in items(api(client, academy_staff, "/api/plans", year=2024))] == [older.pk]


# --- Activities: reading ----------------------------------------------------------------------


@pytest.fixture
def visit(school, company, convention, plan):
    activity = ActivityFactory(title="Visite de l’atelier", pupils=24, groups__school=school, organisations=[company])
    ContributionFactory(activity=activity, convention=convention, action=plan.actions.get(number=1))
    return activity


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("academy_staff", True),
        ("observer", True),
        ("school_head", True),
        ("partner_contact", True),
        ("platform_admin", True),
        ("colleague_elsewhere", False),
        ("outsider", False),
    ],
)
def test_activities_are_scoped_like_the_pages(client, visit, persona, sees, request):
    user = request.getfixturevalue(persona)
    assert [a["id"] for a in items(api(client, user, "/api/activities"))] == ([visit.pk] if sees else [])
    assert api(client, user, f"/api/activities/{visit.pk}").status_code == (200 if sees else 404)


def test_an_activity_gives_its_groups_partners_and_what_it_counts_toward(client, academy_staff, visit, school):
    body = api(client, academy_staff, f"/api/activities/{visit.pk}").json()
    assert (body["kind"], body["kind_label"]) == ("company_visit", "Visite d’entreprise")
    assert (body["pupil_participations"], body["school_year"], body["academy"]["code"]) == (24, 2025, "02")
    assert body["groups"] == [
        {
            "school": {"id": school.pk, "name": school.name, "uai": school.uai},
            "level": "3e",
            "level_label": "3e",
            "class_name": "",
            "pupils": 24,
        }
    ]
    assert [o["name"] for o in body["organisations"]] == [visit.organisations.get().name]
    (contribution,) = body["contributions"]
    assert (contribution["action"]["number"], contribution["confirmed"]) == (1, True)


def test_a_withdrawn_activity_is_not_found(client, academy_staff, visit):
    services.withdraw_activity(visit, reason="Doublon", by_user=academy_staff)
    assert api(client, academy_staff, f"/api/activities/{visit.pk}").status_code == 404
    assert items(api(client, academy_staff, "/api/activities")) == []


def test_activities_filter_by_year_kind_convention_and_organisation(client, academy_staff, visit, convention, school):
    forum = ActivityFactory(kind=ActivityKind.FORUM_STAND, starts_on=datetime.date(2024, 10, 2))
    suggested = ActivityFactory()
    ContributionFactory(activity=suggested, convention=convention, confirmed=False)

    def ids(**params):
        return {a["id"] for a in items(api(client, academy_staff, "/api/activities", **params))}

    assert ids(year=2024) == {forum.pk}
    assert ids(kind="forum_stand") == {forum.pk}
    assert ids(convention=convention.pk) == {visit.pk}
    assert ids(organisation=school.pk) == {visit.pk}
    assert ids(organisation=visit.organisations.get().pk) == {visit.pk}
    assert api(client, academy_staff, "/api/activities", kind="pique-nique").status_code == 422


def test_the_convention_filter_reveals_nothing_of_a_convention_out_of_sight(client, colleague_elsewhere, nice):
    hidden = ConventionFactory(signed=True)
    shared = ActivityFactory(academy=nice)
    ContributionFactory(activity=shared, convention=hidden)
    assert items(api(client, colleague_elsewhere, "/api/activities", convention=hidden.pk)) == []


def test_activities_are_paginated_in_a_stable_order(client, academy_staff):
    made = [ActivityFactory(starts_on=datetime.date(2025, 10, day)) for day in (3, 1, 2, 2)]
    first = api(client, academy_staff, "/api/activities", limit=3).json()
    rest = api(client, academy_staff, "/api/activities", limit=3, offset=3).json()
    assert first["count"] == rest["count"] == 4
    expected = sorted(made, key=lambda a: (a.starts_on, a.pk), reverse=True)
    assert [a["id"] for a in first["items"] + rest["items"]] == [a.pk for a in expected]
    assert api(client, academy_staff, "/api/activities", limit=101).status_code == 422


def test_the_exact_count_is_kept_until_a_change_is_committed(client, committed, academy_staff, aix):
    """A national reader's count takes seconds: it is computed once per data version."""
    committed(lambda: [ActivityFactory(academy=aix) for _ in range(3)])
    token = token_for(academy_staff)

    def listed() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = client.get("/api/activities", {"limit": 1}, headers={"Authorization": f"Bearer {token}"})
        return response.json()["count"], len(context)

    counted, computing = listed()
    again, served = listed()
    assert counted == again == 3
    assert served < computing  # the count is not run again
    committed(lambda: ActivityFactory(academy=aix))
    assert listed()[0] == 4
    assert (
        client.get(
            "/api/activities", {"limit": 1, "kind": "forum_stand"}, headers={"Authorization": f"Bearer {token}"}
        ).json()["count"]
        == 0
    )  # each filter has its own count


def test_the_plans_count_is_kept_until_a_change_is_committed(client, committed, academy_staff):
    committed(lambda: PlanFactory.create_batch(2))
    token = token_for(academy_staff)

    def listed(**filters) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = client.get("/api/plans", {"limit": 1, **filters}, headers={"Authorization": f"Bearer {token}"})
        return response.json()["count"], len(context)

    counted, computing = listed()
    again, served = listed()
    assert counted == again == 2
    assert served < computing
    committed(lambda: PlanFactory(school_year=2024))
    assert listed()[0] == 3
    assert listed(year=2024)[0] == 1


def _queries(client, user, path: str) -> int:
    token = token_for(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("path", ["/api/activities", "/api/plans"])
def test_lists_keep_a_constant_number_of_queries(client, academy_staff, company, school, path):
    def add(count: int):
        for _ in range(count):
            convention = ConventionFactory(signed=True)
            PlanFactory(convention=convention)
            ActivityFactory(pupils=3, groups__school=school, organisations=[company, OrganisationFactory()])

    add(2)
    few = _queries(client, academy_staff, path)
    add(20)
    assert _queries(client, academy_staff, path) == few


def test_the_numbers_are_the_list_pages(client, academy_staff, school, company):
    for pupils in (12, 30, 7):
        ActivityFactory(pupils=pupils, groups__school=school, organisations=[company])
    ActivityFactory(pupils=99, starts_on=datetime.date(2024, 11, 14))
    client.force_login(academy_staff)
    export = client.get(reverse("activities:activity_list"), {"year": "2025", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    listed = items(api(Client(), academy_staff, "/api/activities", year=2025))
    assert len(rows) == len(listed) == 3
    assert {int(r["N°"]): int(r["Participations d’élèves"]) for r in rows} == {
        a["id"]: a["pupil_participations"] for a in listed
    }


# --- Activities: recording ----------------------------------------------------------------------


def payload(**fields) -> dict:
    return {"kind": "company_visit", "title": "Visite de l’atelier", "starts_on": "2025-11-14"} | fields


def test_academy_staff_record_an_activity(client, academy_staff, school, company, plan, convention):
    action = plan.actions.get(number=1)
    response = post(
        client,
        academy_staff,
        payload(
            groups=[{"school": school.pk, "level": "3e", "class_name": "3e B", "pupils": 24}],
            organisations=[company.pk],
            teacher_count=2,
            hours="2.5",
            prepared_with_pupils=True,
            contributions=[{"convention": convention.pk, "action": action.pk}],
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    activity = Activity.objects.get(pk=body["id"])
    assert (activity.pupil_participations, activity.teacher_count, float(activity.hours)) == (24, 2, 2.5)
    assert (activity.academy.name, activity.recorded_by) == ("Aix-Marseille", academy_staff)
    contribution = activity.contributions.get()
    assert (contribution.action, contribution.confirmed, contribution.confirmed_by) == (action, True, academy_staff)
    assert body["contributions"][0]["action"]["number"] == 1
    assert body["hours"] == 2.5


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_who_may_not_record_gets_a_403(client, persona, request):
    response = post(client, request.getfixturevalue(persona), payload())
    assert response.status_code == 403
    assert response.json() == {"detail": "Votre rôle ne permet pas d’enregistrer des activités."}
    assert not Activity.objects.exists()


def test_it_lists_every_problem_in_french(client, academy_staff, school):
    response = post(
        client,
        academy_staff,
        payload(
            kind="pique-nique",
            title=" ",
            starts_on="2026-02-31",
            teacher_count=-1,
            hours="1.25",
            groups=[{"school": school.pk, "pupils": 0, "level": "CM7"}, {"school": 999999, "pupils": 3}],
            organisations=[school.pk],
        ),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "L’activité n’a pas été enregistrée : 9 erreurs."
    assert body["errors"] == [
        "starts_on : la date « 2026-02-31 » n’existe pas",
        "kind : type d’activité inconnu « pique-nique » (codes : " + ", ".join(ActivityKind.values) + ")",
        "title : donnez un intitulé à l’activité",
        "teacher_count : un nombre entier de 0 à 5000 est attendu, pas -1",
        "hours : une durée de 0 à 9999 heures avec une décimale au plus est attendue",
        "groups[0].pupils : un groupe compte de 1 à 5000 élèves, pas 0",
        "groups[0].level : niveau inconnu « CM7 » (codes : " + ", ".join(Level.values) + ")",
        "groups[1].school : aucun établissement actif n’a l’identifiant 999999",
        "organisations[0] : un établissement se déclare dans les groupes d’élèves",
    ]
    assert not Activity.objects.exists()


def test_school_staff_record_only_for_their_school(client, school_head, school):
    other = OrganisationFactory(school=True, name="Collège Voisin")
    refused = post(client, school_head, payload(groups=[{"school": other.pk, "pupils": 20}]))
    assert refused.status_code == 403
    assert (
        refused.json()["detail"] == "L’établissement « Collège Voisin » n’est pas le vôtre : hors de votre périmètre."
    )
    created = post(client, school_head, payload(groups=[{"school": school.pk, "pupils": 20}]))
    assert created.status_code == 201
    assert Activity.objects.get().recorded_for == school


def test_partner_staff_always_count_their_organisation(client, partner_contact, company):
    other = OrganisationFactory(company=True)
    response = post(client, partner_contact, payload(organisations=[other.pk]))
    assert response.status_code == 201
    assert {o["id"] for o in response.json()["organisations"]} == {company.pk, other.pk}


def test_academy_staff_record_nothing_in_another_academy(client, academy_staff, nice):
    school_of_nice = OrganisationFactory(school=True, academy=nice)
    response = post(client, academy_staff, payload(groups=[{"school": school_of_nice.pk, "pupils": 3}]))
    assert response.status_code == 403
    assert response.json()["detail"] == "L’activité relève de l’académie « Nice » : hors de votre périmètre."
    assert post(client, academy_staff, payload(academy="06")).status_code == 403


def test_a_contribution_must_be_one_the_form_offers(client, academy_staff, company, school):
    unrelated = ConventionFactory(signed=True)
    response = post(
        client,
        academy_staff,
        payload(organisations=[company.pk], contributions=[{"convention": unrelated.pk}]),
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error.startswith("contributions[0] : ce rattachement n’est pas proposé pour cette activité")
    assert not Activity.objects.exists()


def test_a_failure_while_saving_leaves_nothing(academy_staff, school, company, convention, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "set_contributions", fail)
    client = Client(raise_request_exception=False)
    response = post(
        client,
        academy_staff,
        payload(
            groups=[{"school": school.pk, "pupils": 5}],
            organisations=[company.pk],
            contributions=[{"convention": convention.pk}],
        ),
    )
    assert response.status_code == 500
    assert not Activity.objects.exists()
    assert not ActivityGroup.objects.exists()
