"""A record's page (a convention, a plan, an activity, an organisation) and an indicator page
are drawn once per reader's scope, day and data version, then served from the cache
(``core.fragments``): an edit is seen at once, readers of different scopes never share a page
(confidential items stay with the parties), each reader's forms carry their own CSRF token. The
lists' filter forms (``core.filtering``) and the API's list pages and records
(``core.api_inputs``) are kept the same way.

Writes go through the ``committed`` fixture (tests/conftest.py): the data version is renewed
as in production, so the pages really go through the cache."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partenariats.accounts.models import Role
from partenariats.activities.models import PlanStatus
from partenariats.conventions.models import ConventionKind
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    BasinFactory,
    CommitmentFactory,
    ConventionFactory,
    OrganisationFactory,
    PartyFactory,
    PlanFactory,
    token_for,
)

pytestmark = pytest.mark.django_db

SECRET = "Engagement secret de l’entreprise"


def _get(client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(captured)


def _convention():
    convention = ConventionFactory(signed=True, title="Convention Alpha")
    PlanFactory(convention=convention, school_year=2025)
    return convention


RECORDS = {
    # record's kind: (make it, its page's path, rename it)
    "convention": (_convention, lambda c: c.get_absolute_url(), "title"),
    "plan": (
        lambda: PlanFactory(notes="Plan Alpha"),
        lambda p: reverse("activities:plan_detail", args=[p.convention_id, p.school_year]),
        None,  # its convention's title is shown: renamed below
    ),
    "activity": (lambda: ActivityFactory(title="Forum Alpha"), lambda a: a.get_absolute_url(), "title"),
    "organisation": (lambda: OrganisationFactory(name="Lycée Alpha"), lambda o: o.get_absolute_url(), "name"),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_s_page_is_served_again_then_renewed_by_a_change(committed, client, academy_staff, kind):
    make, path_of, field = RECORDS[kind]
    record = committed(make)
    target = record.convention if field is None else record
    field = field or "title"
    client.force_login(academy_staff)
    path = path_of(record)
    first, drawn = _get(client, path)
    again, served = _get(client, path)
    assert served < drawn / 2  # its records are not read again
    assert without_tokens(again) == without_tokens(first)

    def rename():
        setattr(target, field, "Renommé <b>Bêta</b>")
        target.save()

    committed(rename)
    renamed, _ = _get(client, path)
    assert "Renommé &lt;b&gt;Bêta&lt;/b&gt;" in renamed  # the change, escaped as the page draws it


def without_tokens(html: str) -> str:
    """The page without what changes at each request: its forms' token, its scripts' nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'(nonce="|Nonce": ")[^"]+"', "", html)


def test_confidential_items_drawn_for_a_party_are_not_served_to_another_reader(committed, client, request):
    def make():
        company = request.getfixturevalue("company")
        convention = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL)
        party = PartyFactory(convention=convention, organisation=company, position=2)
        CommitmentFactory(convention=convention, party=party, text="Engagement public de l’entreprise")
        CommitmentFactory(convention=convention, party=party, text=SECRET, confidential=True)
        return convention, request.getfixturevalue("partner_contact"), request.getfixturevalue("colleague_elsewhere")

    # Made and committed in one block: a fixture's uncommitted write would leave every page uncached.
    convention, partner_contact, colleague_elsewhere = committed(make)
    path = convention.get_absolute_url()
    client.force_login(partner_contact)
    html, drawn = _get(client, path)
    assert SECRET in html
    html, served = _get(client, path)
    assert SECRET in html
    assert served < drawn / 2  # drawn for the party's scope, and kept
    client.force_login(colleague_elsewhere)  # a national convention: every académie reads it
    html = _get(client, path)[0]
    assert "Engagement public de l’entreprise" in html
    assert SECRET not in html


def test_each_reader_s_forms_carry_their_own_token(committed, request):
    """Two readers of one scope share the kept page; the second adopts the plan with the token
    of the page it was served (with checks on, as in a browser)."""
    plan, first, second = committed(
        lambda: (
            PlanFactory(status=PlanStatus.DRAFT),
            request.getfixturevalue("academy_staff"),
            AssignmentFactory(role=Role.ACADEMY_STAFF, academy=request.getfixturevalue("aix")).user,  # a colleague
        )
    )
    path = reverse("activities:plan_detail", args=[plan.convention_id, plan.school_year])
    browsers = []
    for user in (first, second):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            html = browser.get(path).content.decode()
        browsers.append((browser, html, len(captured)))
    (_, first_html, drawn), (browser, html, served) = browsers
    assert served < drawn / 2  # the second reader was served the first one's page
    adopt = reverse("activities:plan_adopt", args=[plan.convention_id, plan.school_year])

    def adoption_token(page: str) -> str:  # the adoption form's own (the header's logout has one too)
        form = re.search(rf'action="{adopt}">(.*?)</form>', page, re.S).group(1)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    token = adoption_token(html)
    assert token != adoption_token(first_html)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    response = browser.post(adopt, {"csrfmiddlewaretoken": token, "version": version})
    assert response.status_code == 302  # accepted: a 403 would mean the first reader's token
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED


def test_the_filter_form_is_kept_per_values_asked(committed, client, academy_staff):
    committed(lambda: ActivityFactory(title="Forum des métiers"))
    client.force_login(academy_staff)
    plain = _get(client, "/activites/?year=2025")[0]
    chosen = _get(client, "/activites/?year=2025&kind=company_visit")[0]
    assert '<option value="company_visit" selected>' in chosen
    assert '<option value="company_visit" selected>' not in plain
    assert '<option value="company_visit" selected>' not in _get(client, "/activites/?year=2025")[0]


def test_an_api_page_is_served_again_then_renewed_and_never_shared_across_scopes(committed, client, request):
    """The API's list pages keep their records like the pages (``core.api_inputs``)."""
    plan, aix_staff, nice_staff = committed(
        lambda: (
            PlanFactory(convention__title="Convention Alpha"),
            request.getfixturevalue("academy_staff"),
            request.getfixturevalue("colleague_elsewhere"),
        )
    )
    aix, nice = ({"Authorization": f"Bearer {token_for(user)}"} for user in (aix_staff, nice_staff))

    def titles(headers) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/plans", headers=headers)
        assert response.status_code == 200
        plans_read = [query for query in captured.captured_queries if 'FROM "activities_plan"' in query["sql"]]
        return [item["convention"]["title"] for item in response.json()["items"]], len(plans_read)

    first, read = titles(aix)
    again, served = titles(aix)
    assert first == again == ["Convention Alpha"]
    assert (read, served) == (2, 0)  # the page and its count, then neither
    assert titles(nice)[0] == []  # Aix's plan, kept for Aix's staff, is not Nice's

    def rename():
        plan.convention.title = "Convention Bêta"
        plan.convention.save()

    committed(rename)
    assert titles(aix)[0] == ["Convention Bêta"]


def test_an_api_record_is_served_again_for_its_scope_with_each_reader_s_own_follow(committed, client, request):
    """A convention's answer is kept per scope (``core.api_inputs.cached_detail``): confidential
    commitments stay with its parties, and whether one follows it is each reader's own."""

    def make():
        company = request.getfixturevalue("company")
        convention = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL, title="Convention Alpha")
        party = PartyFactory(convention=convention, organisation=company, position=2)
        CommitmentFactory(convention=convention, party=party, text=SECRET, confidential=True)
        partner = request.getfixturevalue("partner_contact")
        colleague = AssignmentFactory(role=Role.PARTNER_STAFF, academy=None, organisation=company).user
        convention.followers.add(partner)
        return convention, partner, colleague, request.getfixturevalue("colleague_elsewhere")

    convention, partner, colleague, outsider = committed(make)
    path = f"/api/conventions/{convention.pk}"

    def read(user) -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers={"Authorization": f"Bearer {token_for(user)}"})
        assert response.status_code == 200
        return response.json(), len(captured)

    mine, drawn = read(partner)
    again, served = read(colleague)  # the same company's staff: the same scope
    assert served < drawn / 2
    assert [c["text"] for c in mine["commitments"]] == [c["text"] for c in again["commitments"]] == [SECRET]
    assert (mine["is_followed"], again["is_followed"]) == (True, False)
    assert read(outsider)[0]["commitments"] == []  # another scope: drawn for it, without the secret

    def rename():
        convention.title = "Convention Bêta"
        convention.save()

    committed(rename)
    assert read(colleague)[0]["title"] == "Convention Bêta"


def test_an_indicator_page_is_served_again_then_renewed_by_a_change(committed, client, academy_staff):
    committed(lambda: ActivityFactory())
    client.force_login(academy_staff)
    academy = academy_staff.assignments.get().academy
    path = reverse("indicators:academy", args=[academy.pk]) + "?year=2025"
    first, drawn = _get(client, path)
    again, served = _get(client, path)
    assert served < drawn
    assert without_tokens(again) == without_tokens(first)
    committed(lambda: BasinFactory(academy=academy, name="Bassin Oméga"))  # listed on the page
    assert "Bassin Oméga" in _get(client, path)[0]
