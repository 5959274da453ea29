"""Recording an amendment: typed, numbered, and for a change of term only the clauses that change."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions import services
from partenariats.conventions.models import Amendment, AmendmentSignatory, Party
from partenariats.conventions.services import ActionRefused
from tests.factories import ConventionFactory, PartyFactory, token_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 12)
# The API's convention detail, drawn (not served from the cache): 18 queries before amendments had
# signatories, one more to prefetch them, one more for the reader's own « suivie » once it is kept.
QUERIES_OF_THE_API_DETAIL = 20


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


# --- The amendment's own signatures -----------------------------------------------------------


def with_signatories(convention, rows: list[dict]) -> dict:
    """The signature rows of the form, as a browser sends them (every row is an extra one)."""
    data = {"signatories-TOTAL_FORMS": str(len(rows)), "signatories-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        defaults = {"party": "", "name": "", "title": "", "signed_on": "", "date_precision": "day"}
        for key, value in (defaults | row).items():
            data[f"signatories-{index}-{key}"] = value
    return data


def two_signatures(convention) -> list[dict]:
    education, partner = convention.parties.order_by("position")
    return [
        {"party": str(education.pk), "name": "Rectrice Nouvelle", "title": "Rectrice", "signed_on": "2025-10-02"},
        {"party": str(partner.pk), "name": "Président Nouveau", "signed_on": "2025-10-20", "place": "Marseille"},
    ]


def test_it_prefills_one_signature_row_per_party(client, academy_staff, fixed_term):
    Party.objects.filter(convention=fixed_term).update(representative_name="Mme Exemple")
    client.force_login(academy_staff)

    formset = client.get(url(fixed_term)).context["formset"]

    assert [row["party"].value() for row in formset] == list(
        fixed_term.parties.order_by("position").values_list("pk", flat=True)
    )
    assert [row["name"].value() for row in formset] == ["Mme Exemple", "Mme Exemple"]


def test_it_records_the_amendments_own_signatures_without_moving_the_conventions_start(
    client, academy_staff, fixed_term
):
    before = (fixed_term.period_start, fixed_term.status, fixed_term.signature_date())
    client.force_login(academy_staff)
    data = extension(client, fixed_term, kind="financial", signed_on="", confirm="1")

    response = client.post(url(fixed_term), data | with_signatories(fixed_term, two_signatures(fixed_term)))

    assert response.status_code == 302
    amendment = Amendment.objects.get()
    education, partner = fixed_term.parties.order_by("position")
    signed = [(s.party, s.name, s.signed_on, s.place) for s in amendment.signatories.all()]
    assert signed == [
        (education, "Rectrice Nouvelle", datetime.date(2025, 10, 2), ""),
        (partner, "Président Nouveau", datetime.date(2025, 10, 20), "Marseille"),
    ]
    assert amendment.signed_on == amendment.latest_signature() == datetime.date(2025, 10, 20)
    assert amendment.signatories.first().history.get().history_user == academy_staff
    fixed_term.refresh_from_db()
    assert (fixed_term.period_start, fixed_term.status, fixed_term.signature_date()) == before
    assert fixed_term.signatories.count() == 2


def test_the_confirmation_carries_the_signatures_through(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    data = extension(client, fixed_term, kind="financial") | with_signatories(fixed_term, two_signatures(fixed_term))
    confirmation = client.post(url(fixed_term), data)
    assert "Président Nouveau" in confirmation.content.decode()

    client.post(url(fixed_term), hidden_inputs(confirmation.content.decode()) | {"confirm": "1"})

    assert list(Amendment.objects.get().signatories.values_list("name", flat=True)) == [
        "Rectrice Nouvelle",
        "Président Nouveau",
    ]


def test_a_row_left_as_shown_is_not_recorded(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    education, partner = fixed_term.parties.order_by("position")
    rows = [{"party": str(education.pk)}, {"party": str(partner.pk), "name": "Président Nouveau"}]
    # The rows as pre-filled: the first is untouched (its party only), the second has a new name.
    data = extension(client, fixed_term, kind="financial", confirm="1") | with_signatories(fixed_term, rows)
    data["signatories-0-name"] = client.get(url(fixed_term)).context["formset"][0]["name"].value()

    client.post(url(fixed_term), data)

    assert list(Amendment.objects.get().signatories.values_list("name", flat=True)) == ["Président Nouveau"]


def test_it_refuses_an_impossible_date_or_a_stranger_party_in_french(client, academy_staff, fixed_term):
    stranger = PartyFactory(convention=ConventionFactory())
    client.force_login(academy_staff)
    data = extension(client, fixed_term, kind="financial", confirm="1")
    rows = two_signatures(fixed_term)

    impossible = client.post(
        url(fixed_term), data | with_signatories(fixed_term, [rows[0] | {"signed_on": "2025-02-30"}])
    )
    foreign = client.post(url(fixed_term), data | with_signatories(fixed_term, [rows[0] | {"party": str(stranger.pk)}]))
    future = client.post(url(fixed_term), data | with_signatories(fixed_term, [rows[0] | {"signed_on": "2026-01-05"}]))

    assert "Cette date n’existe pas ou est mal écrite" in impossible.content.decode()
    assert "Cette partie n’est pas une partie de cette convention." in foreign.content.decode()
    assert "Une signature ne peut pas être datée dans le futur." in future.content.decode()
    assert not Amendment.objects.exists()
    assert not AmendmentSignatory.objects.exists()


def test_the_service_refuses_a_party_of_another_convention(academy_staff, fixed_term):
    stranger = PartyFactory(convention=ConventionFactory())

    with pytest.raises(ActionRefused):
        services.record_amendment(
            fixed_term,
            kind="other",
            title="Avenant",
            summary="",
            signed_on=None,
            effective_on=None,
            terms_changes={},
            by_user=academy_staff,
            expected_version=None,
            signatories=[{"party": stranger, "name": "Intrus", "signed_on": datetime.date(2025, 10, 1)}],
        )

    assert not Amendment.objects.exists()


def recorded_with_signatures(convention, by_user) -> Amendment:
    education, partner = convention.parties.order_by("position")
    return services.record_amendment(
        convention,
        kind="other",
        title="Changement d’interlocuteur",
        summary="",
        signed_on=None,
        effective_on=None,
        terms_changes={},
        by_user=by_user,
        expected_version=None,
        signatories=[
            {"party": education, "name": "Rectrice Nouvelle", "signed_on": datetime.date(2025, 10, 2)},
            {
                "party": partner,
                "name": "Président Nouveau",
                "signed_on": datetime.date(2025, 9, 1),
                "date_precision": "month",
            },
        ],
    )


def test_the_detail_page_lists_the_amendments_signatories(client, academy_staff, fixed_term):
    recorded_with_signatures(fixed_term, academy_staff)
    client.force_login(academy_staff)

    page = client.get(fixed_term.get_absolute_url()).content.decode()

    assert "Rectrice Nouvelle" in page
    assert "signé le 2 octobre 2025" in page
    assert "signé en septembre 2025 (jour inconnu)" in page


def api_headers(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


def test_the_api_gives_each_amendments_signatories(client, academy_staff, fixed_term):
    recorded_with_signatures(fixed_term, academy_staff)

    body = client.get(f"/api/conventions/{fixed_term.pk}", headers=api_headers(academy_staff)).json()

    education, partner = fixed_term.parties.order_by("position")
    amendment = body["amendments"][0]
    assert amendment["signed_on"] == "2025-10-02"
    assert [(s["party_id"], s["name"], s["date"]) for s in amendment["signatories"]] == [
        (education.pk, "Rectrice Nouvelle", "2025-10-02"),
        (partner.pk, "Président Nouveau", "2025-09"),
    ]


@pytest.mark.parametrize("amendments", [1, 4])
def test_the_api_detail_reads_the_signatures_in_a_constant_number_of_queries(
    client, academy_staff, fixed_term, django_assert_num_queries, amendments
):
    for _ in range(amendments):
        recorded_with_signatures(fixed_term, academy_staff)
    headers = api_headers(academy_staff)

    with django_assert_num_queries(QUERIES_OF_THE_API_DETAIL):
        response = client.get(f"/api/conventions/{fixed_term.pk}", headers=headers)

    assert len(response.json()["amendments"]) == amendments
