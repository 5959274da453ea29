"""Journey: the yearly loop of a convention. A coordinator prepares this year's plan from last
year's, fixes its targets and sends a recording link to a company volunteer; the volunteer,
without an account, records a class visit; the indicator page counts it against the right
commitment, and the page, its CSV export and the API give the same numbers."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from partenariats.activities.models import ActionModality, Metric
from partenariats.conventions.models import Article, PartySide
from partenariats.core.school_year import SchoolYear
from partenariats.indicators.reports import NO_ACTIVITY
from tests.browser.conftest import watched_page
from tests.browser.pages import (
    ConventionPage,
    IndicatorsPage,
    LinkListPage,
    LoginPage,
    PlanListPage,
    VolunteerFormPage,
)
from tests.conftest import PASSWORD
from tests.factories import (
    ActionFactory,
    ActionTargetFactory,
    ActivityFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    OrganisationFactory,
    PartyFactory,
    PlanFactory,
    token_for,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VISITS = "Accueillir des classes pour des visites d’entreprise"
TEACHERS = "Mobiliser les professeurs principaux des collèges"
ACTION = "Visites de l’atelier de chaudronnerie"
COMPANY = "Chaudronnerie Provençale"
VOLUNTEER = "benevole.atelier@example.invalid"
COMMITMENTS = "Cibles et réalisé par engagement"
GAPS = "Engagements sans activité cette année"
SUMMARY = "Chiffres clés"


@pytest.fixture
def convention(aix):
    """A signed convention of Aix with a company party, its « visits » commitment served by an
    action of last year's plan (with a target and an activity of last year)."""
    convention = ConventionFactory(signed=True, academy=aix, title="Convention Industries de Provence")
    company = OrganisationFactory(company=True, academy=aix, name=COMPANY)
    party = PartyFactory(convention=convention, organisation=company, side=PartySide.PARTNER, position=2)
    article = Article.objects.create(convention=convention, number="2", heading="Découverte des métiers")
    visits = CommitmentFactory(convention=convention, party=party, article=article, text=VISITS)
    rectorat = convention.parties.get(side=PartySide.EDUCATION)
    CommitmentFactory(convention=convention, party=rectorat, text=TEACHERS, position=1)
    last_year = SchoolYear.of(timezone.localdate()).previous()
    action = ActionFactory(
        plan=PlanFactory(convention=convention, school_year=last_year.start_year),
        number=1,
        title=ACTION,
        article=article,
        commitments=[visits],
        objective="Faire découvrir la chaudronnerie aux élèves de 3e",
    )
    ActionModality.objects.create(action=action, party=party, text="L’atelier accueille une classe par mois.")
    ActionTargetFactory(action=action, metric=Metric.PUPILS, value=120)
    school = OrganisationFactory(school=True, academy=aix, name="Collège Marcel Pagnol", city="Aubagne")
    old_visit = ActivityFactory(
        starts_on=last_year.start + timedelta(days=70), pupils=50, groups__school=school, organisations=[company]
    )
    ContributionFactory(activity=old_visit, convention=convention, action=action)
    return convention


def _value(cell):
    """A cell of the page, the CSV or the API as a comparable value: a number, a text or None."""
    if cell is None or isinstance(cell, int | float):
        return None if cell is None else float(cell)
    text = cell.replace("\u202f", "").replace("\xa0", "").strip()
    if text in ("", "—"):
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return " ".join(text.split())


def _page_rows(cells: list[list[str]]) -> tuple[list[list], list[bool]]:
    """The page's rows without their badge, and whether each row had the « no activity » badge
    (shown in capitals: the page's text is compared without case)."""
    flags = [row[0].casefold().startswith(NO_ACTIVITY.casefold()) for row in cells]
    rows = [[row[0][len(NO_ACTIVITY) :] if flag else row[0], *row[1:]] for flag, row in zip(flags, cells, strict=True)]
    return [[_value(cell) for cell in row] for row in rows], flags


def _csv_rows(body: bytes) -> list[list]:
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
    return [[_value(cell) for cell in row] for row in list(reader)[1:]]


def test_a_visit_recorded_through_a_link_counts_against_the_commitment(
    page, new_context, artifacts, convention, academy_staff
):
    year = SchoolYear.of(timezone.localdate())
    last_year = year.previous()
    LoginPage(page, artifacts).open().log_in(academy_staff.email, PASSWORD)

    # 1. This year's plan, prepared from last year's: the action comes along, its targets do not.
    convention_page = ConventionPage(page, artifacts).open(convention)
    convention_page.screenshot("convention")
    convention_page.follow("Plans de partenariat")
    plans = PlanListPage(page, artifacts)
    plans.screenshot("plans")
    plan = plans.prepare(year.label).create(year.label, f"Reprendre les actions du plan {last_year.label}")
    plan.screenshot("plan-repris")
    assert f"avec 1 action(s) reprise(s) du plan {last_year.label}" in plan.messages()
    [action_row] = plan.actions(year.label)
    assert action_row[0] == "1"
    assert ACTION in action_row[1]
    assert VISITS in action_row[2]
    assert "L’atelier accueille une classe par mois." in action_row[3]
    assert action_row[6] == "—", "last year's targets must not be carried over"
    assert plan.targets_text() == "Aucune cible n’est encore fixée pour les engagements cette année."
    plan.set_action_targets(1, {"Participations d’élèves": 100, "Actions réalisées": 4})
    plan.screenshot("plan-avec-cibles")
    [action_row] = plan.actions(year.label)
    assert "Participations d’élèves : 100" in action_row[6]
    assert "Actions réalisées : 4" in action_row[6]

    # Nothing done yet this year: the commitment is among those with no activity.
    indicators = IndicatorsPage(page, artifacts).open(convention, year)
    indicators.screenshot("indicateurs-avant")
    assert [row[2] for row in indicators.table(GAPS, year)] == [VISITS, TEACHERS]

    # 2. A recording link for the company's volunteer, naming the carried-over action.
    ConventionPage(page, artifacts).open(convention).follow("Liens de saisie")
    links = LinkListPage(page, artifacts).send(organisation=COMPANY, email=VOLUNTEER, action=f"Action 1 – {ACTION}")
    links.screenshot("lien-envoye")
    [message] = mail.outbox
    assert message.to == [VOLUNTEER]
    [url] = [word for word in message.body.split() if "/saisie/" in word]

    # 3. The volunteer, not logged in, records the visit.
    volunteer = VolunteerFormPage(watched_page(new_context()), artifacts).open(urlsplit(url).path)
    heading = volunteer.record(
        fields={
            "Date de l’activité": timezone.localdate().isoformat(),
            "Intitulé": "Visite de l’atelier de chaudronnerie",
            "Établissement (Optionnel)": "Collège Marcel Pagnol",
            "Classe (Optionnel)": "3e B",
            "Nombre d’élèves": "28",
            "Nombre de professionnels intervenus": "2",
            "Durée (heures)": "2,5",
        },
        selects={"Type d’activité": "Visite d’entreprise", "Niveau des élèves": "3e"},
        ticks=["L’activité a été préparée avec les élèves", "Elle a été exploitée ensuite en classe"],
    )
    volunteer.screenshot("merci")
    assert heading == "Merci, votre activité est enregistrée"

    # 4. The visit counts against the « visits » commitment, this year only.
    indicators = IndicatorsPage(page, artifacts).open(convention, year)
    indicators.screenshot("indicateurs-apres")
    summary = dict(indicators.table(SUMMARY, year))
    assert summary["Activités réalisées"] == "1"
    assert summary["Participations d’élèves"] == "28"
    commitments = indicators.table(COMMITMENTS, year)
    assert [COMPANY, VISITS, "Participations d’élèves", "100", "28", "28"] in commitments
    assert [COMPANY, VISITS, "Actions réalisées", "4", "1", "25"] in commitments
    assert [row[2] for row in indicators.table(GAPS, year)] == [TEACHERS]

    # 5. The page, its CSV export and the API give the same numbers.
    api = new_context().request.get(
        f"/api/indicators/conventions/{convention.pk}?year={year.start_year}",
        headers={"Authorization": f"Bearer {token_for(academy_staff)}"},
    )
    assert api.ok, api.text()
    api_tables = {table["key"]: table for table in api.json()["tables"]}
    for key, title in [("synthese", SUMMARY), ("engagements", COMMITMENTS), ("sans-activite", GAPS)]:
        page_rows, page_flags = _page_rows(indicators.table(title, year))
        csv_rows = _csv_rows(indicators.download_csv(title))
        api_rows = [[_value(cell) for cell in row] for row in api_tables[key]["rows"]]
        assert page_rows == csv_rows == api_rows, title
        assert page_flags == [flag == NO_ACTIVITY for flag in api_tables[key]["flags"]], title
