"""Recording an amendment: typed, numbered, and for a change of term only the clauses that change."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.models import Amendment
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 12)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def fixed_term():
    """Two years from 1 September 2024, no tacit renewal: it ends on 31 August 2026."""
    return ConventionFactory(
        signed=True,
        signed_on=datetime.date(2024, 9, 1),
        tacit_renewal=False,
        renewal_months=None,
        refresh__today=TODAY,
    )


def url(convention) -> str:
    return reverse("conventions:amendment_create", args=[convention.pk])


def the_terms_as_shown(client, convention) -> dict:
    form = client.get(url(convention)).context["form"]
    data = {}
    for name in form.TERM_FIELDS:
        value = form[name].value()
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[name] = "" if value is None else str(value)
    return data


def extension(client, convention, **overrides) -> dict:
    return {
        **the_terms_as_shown(client, convention),
        "kind": "terms",
        "title": "Prolongation d’un an",
        "signed_on": "2025-10-15",
        "effective_on": "2025-11-01",
        "duration_months": "36",
        "expected_version": str(convention.version),
        **overrides,
    }


def test_it_shows_the_new_end_before_recording_an_extension(client, academy_staff, fixed_term):
    client.force_login(academy_staff)

    response = client.post(url(fixed_term), extension(client, fixed_term))

    page = response.content.decode()
    assert response.status_code == 200
    assert "La période en cours se terminera le 31 août 2027 au lieu du 31 août 2026." in page
    assert not Amendment.objects.exists()


def test_it_records_only_the_clauses_that_change(client, academy_staff, fixed_term):
    client.force_login(academy_staff)

    response = client.post(url(fixed_term), extension(client, fixed_term, confirm="1"))

    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.number, amendment.kind, amendment.terms_changes) == (1, "terms", {"duration_months": 36})
    assert amendment.effective_on == datetime.date(2025, 11, 1)
    assert amendment.history.get().history_user == academy_staff
    fixed_term.refresh_from_db()
    assert fixed_term.period_end == datetime.date(2027, 8, 31)
    assert fixed_term.version == 2


def test_the_next_amendment_starts_from_the_terms_in_force_and_takes_the_next_number(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    client.post(url(fixed_term), extension(client, fixed_term, confirm="1"))
    fixed_term.refresh_from_db()

    assert the_terms_as_shown(client, fixed_term)["duration_months"] == "36"
    data = extension(client, fixed_term, title="Préavis de six mois", notice_months="6", confirm="1")
    client.post(url(fixed_term), data)

    second = Amendment.objects.get(number=2)
    assert second.terms_changes == {"notice_months": 6}


def test_a_change_of_term_must_change_something_from_a_date(client, academy_staff, fixed_term):
    client.force_login(academy_staff)

    unchanged = client.post(url(fixed_term), extension(client, fixed_term, duration_months="24"))
    undated = client.post(url(fixed_term), extension(client, fixed_term, effective_on=""))
    contradictory = client.post(url(fixed_term), extension(client, fixed_term, tacit_renewal="true", indefinite="true"))

    assert "Aucune condition n’est modifiée" in unchanged.content.decode()
    assert "Indiquez la date d’entrée en vigueur" in undated.content.decode()
    assert "Une reconduction tacite suppose une durée déterminée" in contradictory.content.decode()
    assert not Amendment.objects.exists()


def test_a_financial_amendment_leaves_the_terms_alone(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    data = extension(client, fixed_term, kind="financial", title="Participation aux frais de transport")

    preview = client.post(url(fixed_term), data)
    client.post(url(fixed_term), data | {"confirm": "1"})

    assert "Cette information ne change ni le statut ni les dates de la convention." in preview.content.decode()
    assert Amendment.objects.get().terms_changes == {}


def test_it_refuses_an_amendment_to_an_expired_convention(client, academy_staff):
    expired = ConventionFactory(signed=True, tacit_renewal=False, renewal_months=None, refresh__today=TODAY)
    client.force_login(academy_staff)

    response = client.get(url(expired))

    assert response.status_code == 403
    assert "Impossible d’enregistrer un avenant : son statut est « Expirée »." in response.content.decode()


def test_only_the_academys_staff_record_amendments(client, observer, colleague_elsewhere, fixed_term):
    client.force_login(observer)
    assert client.get(url(fixed_term)).status_code == 403
    client.force_login(colleague_elsewhere)
    assert client.get(url(fixed_term)).status_code == 404


def hidden_inputs(page: str) -> dict:
    """The hidden fields of the confirmation form, as the browser would send them back."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)[1]
        value = re.search(r'value="([^"]*)"', tag)
        fields[name] = html.unescape(value[1]) if value else ""
    return fields


def test_confirming_the_page_as_shown_records_what_was_typed(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    confirmation = client.post(url(fixed_term), extension(client, fixed_term, summary="Durée portée à trois ans."))

    response = client.post(url(fixed_term), hidden_inputs(confirmation.content.decode()) | {"confirm": "1"})

    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.title, amendment.summary) == ("Prolongation d’un an", "Durée portée à trois ans.")
    assert amendment.terms_changes == {"duration_months": 36}
