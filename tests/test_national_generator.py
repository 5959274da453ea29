"""The national-scale generator: the counts asked, the same data from the same seed, once per database."""

import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.urls import reverse

from partenariats.accounts.models import User
from partenariats.activities.models import Activity, ActivityGroup, Contribution, Plan
from partenariats.conventions.models import Amendment, Convention, ConventionKind, ConventionStatus
from partenariats.conventions.services import refresh_terms
from partenariats.demo.activities.catalog import LEVELS_BY_TYPE
from partenariats.demo.builder import DemoSizes, load_demo
from partenariats.demo.constants import DEMO_PASSWORD
from partenariats.demo.national import AlreadyGenerated, NationalSizes, generate_national
from partenariats.demo.national.reference import PARTNER_NAME, PERSONA_EMAILS
from partenariats.directory.models import Membership, Organisation, OrganisationKind, Person
from tests.national_data import TINY, TODAY, generate, snapshot

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_it_generates_the_sizes_asked():
    report = generate()

    organisations = Organisation.objects.filter(email__endswith="@generated.example.invalid")
    assert organisations.filter(kind=OrganisationKind.SCHOOL).count() == TINY.schools
    assert organisations.filter(kind=OrganisationKind.COMPANY).count() == TINY.companies
    assert Person.objects.count() == TINY.people
    assert Convention.objects.count() == TINY.conventions
    assert Activity.objects.count() == TINY.activities
    assert Plan.objects.count() == TINY.conventions * TINY.years
    assert set(Plan.objects.values_list("school_year", flat=True)) == {2024, 2025, 2026}
    assert report.created["activités"] == TINY.activities
    assert set(report.seconds) >= {"établissements", "entreprises", "conventions", "plans", "activités"}


def test_it_gives_the_flagship_partner_its_activities_counted_toward_its_conventions():
    report = generate()

    partner = Organisation.objects.get(name=PARTNER_NAME)
    assert report.partner == partner
    assert report.partner_activities == partner.activities.count() == TINY.partner_activities
    national = Convention.objects.get(kind=ConventionKind.NATIONAL, parties__organisation=partner)
    counted = Contribution.objects.filter(convention=national, confirmed=True, action__isnull=False)
    assert counted.values("activity").distinct().count() == TINY.partner_activities
    # Every activity counts (confirmed) toward at least one generated convention.
    assert not Activity.objects.annotate(n=Count("contributions")).filter(n=0).exists()


def test_it_lets_the_academie_staff_of_aix_read_the_partner_and_its_activities(client, academy_staff):
    report = generate()

    partner = Organisation.objects.get(name=PARTNER_NAME)
    visible = Activity.objects.for_user(academy_staff).filter(organisations=partner)
    assert visible.count() == TINY.partner_activities
    client.force_login(academy_staff)
    url = reverse("indicators:organisation", args=[partner.pk])
    assert client.get(url, {"year": report.latest_year}).status_code == 200


def test_it_spreads_the_activities_on_a_long_tail_with_the_flagship_partner_biggest():
    sizes = NationalSizes(schools=90, companies=150, conventions=160, people=60, activities=3000, years=5)
    report = generate_national(sizes=sizes, seed=5, today=TODAY, batch_size=500)

    assert report.biggest == report.partner
    assert report.biggest_activities == report.partner_activities == sizes.activities * 15 // 100
    assert set(Activity.objects.values_list("school_year", flat=True)) == {2022, 2023, 2024, 2025, 2026}
    local = sorted(
        Convention.objects.filter(kind=ConventionKind.LOCAL)
        .annotate(n=Count("contributions__activity", distinct=True))
        .values_list("n", flat=True),
        reverse=True,
    )
    assert len(local) == sizes.conventions - 65  # 1 + 30 + 30 + 4 national, framework and federation ones
    assert local[0] > 4 * local[len(local) // 2] > 0  # a few big ones, a long tail of small ones
    federations = Convention.objects.filter(kind=ConventionKind.NATIONAL).exclude(parties__organisation=report.partner)
    assert federations.count() == 4
    assert Amendment.objects.values("convention").distinct().count() in range(20, 90)  # about one in three


def test_it_leaves_every_table_ready_for_the_next_record():
    """After rows written with their ids (COPY on PostgreSQL), the next ordinary insert gets a new id."""
    generate()

    company = Organisation.objects.create(kind=OrganisationKind.COMPANY, name="Créée après la génération")
    person = Person.objects.create(first_name="Ada", last_name="Après", data_collected_on=TODAY)
    membership = Membership.objects.create(person=person, organisation=company, role="volunteer")
    activity = Activity.objects.order_by("pk").first()
    activity.pk = None
    activity.save()

    assert company.pk > Organisation.objects.exclude(pk=company.pk).latest("pk").pk
    assert person.pk > Person.objects.exclude(pk=person.pk).latest("pk").pk
    assert membership.pk > Membership.objects.exclude(pk=membership.pk).latest("pk").pk
    assert activity.pk > Activity.objects.exclude(pk=activity.pk).latest("pk").pk


def test_it_gives_the_personas_one_usable_password(client):
    generate()

    personas = User.objects.filter(email__in=PERSONA_EMAILS.values())
    assert personas.count() == 3
    assert len({user.password for user in personas}) == 1  # hashed once
    assert all(user.check_password(DEMO_PASSWORD) for user in personas)
    partner = Organisation.objects.get(name=PARTNER_NAME)
    client.force_login(personas.get(email=PERSONA_EMAILS["partner"]))
    assert client.get(reverse("indicators:organisation", args=[partner.pk])).status_code == 200


def test_it_keeps_every_convention_in_force_and_every_activity_before_today():
    generate()

    assert set(Convention.objects.values_list("status", flat=True)) == {ConventionStatus.ACTIVE}
    assert not Activity.objects.filter(starts_on__gt=TODAY).exists()
    for group in ActivityGroup.objects.filter(school__isnull=False).select_related("school"):
        assert group.level in LEVELS_BY_TYPE[group.school.school_type]


def test_it_places_every_activity_in_a_bassin_of_its_own_academie():
    """An académie's page groups its activities by bassin: none of another académie's."""
    generate()

    placed = Activity.objects.filter(basin__isnull=False)
    assert placed.exists()
    assert not placed.exclude(basin__academy=F("academy")).exists()


@pytest.mark.parametrize(
    ("today", "year"), [(TODAY, 2026), (datetime.date(2026, 9, 2), 2025)], ids=["autumn", "before-the-rentree"]
)
def test_it_puts_every_activity_in_the_latest_year_begun_when_asked_for_one(today, year):
    report = generate_national(sizes=NationalSizes(schools=60, companies=60, activities=150, years=1), today=today)

    assert report.latest_year == year
    assert set(Activity.objects.values_list("school_year", flat=True)) == {year}
    assert not Activity.objects.filter(starts_on__gt=today).exists()


def test_it_makes_the_same_data_from_the_same_seed():
    with transaction.atomic():
        generate()
        first = snapshot()
        transaction.set_rollback(True)
    assert not Activity.objects.exists()

    generate()

    assert snapshot() == first


@pytest.mark.slow
def test_two_processes_draw_the_same_activities_as_one(tmp_path):
    """``--workers``: each batch of activities depends only on its number. Checked in a process of
    its own, on a database of its own (tests/national_data.py)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "partenariats.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'national.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    run("manage.py", "migrate", "--no-input", "-v0")
    printed = run("manage.py", "shell", "-c", "import sys; from tests.national_data import main; sys.exit(main())")
    assert printed.strip().splitlines()[-1] == "identical"


def schema() -> list[tuple]:
    """Every index and constraint of the database's tables, as PostgreSQL defines them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "UNION ALL SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2, 3"
        )
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are dropped for the load on PostgreSQL only")
def test_it_builds_again_every_index_and_constraint_it_dropped_for_the_load():
    before = schema()
    assert any(name.endswith("_fk_activitie") for _, name, _ in before)

    generate()

    assert schema() == before
    with transaction.atomic():  # the foreign keys hold again
        ActivityGroup.objects.create(activity_id=Activity.objects.order_by("-pk")[0].pk + 1, level="other", pupils=3)
        with pytest.raises(IntegrityError):
            connection.check_constraints()
        transaction.set_rollback(True)


def test_it_creates_nothing_the_second_time_with_the_same_seed_and_sizes():
    generate()
    before = snapshot()

    report = generate()

    assert report.already_there
    assert report.partner.name == PARTNER_NAME
    assert snapshot() == before


def test_it_refuses_another_seed_or_other_sizes_and_writes_nothing():
    generate()
    before = snapshot()

    with pytest.raises(AlreadyGenerated, match="graine 7"):
        generate(seed=8)
    with pytest.raises(AlreadyGenerated):
        generate(sizes=NationalSizes(schools=91, companies=120, conventions=70, people=50, activities=400))

    assert snapshot() == before


def test_it_fits_beside_the_demo_data():
    load_demo(sizes=DemoSizes(schools=30, companies=40, people=40, activities=100), today=TODAY)

    generate()

    assert Activity.objects.count() > TINY.activities


def test_the_command_prints_each_step_and_the_partner_measured():
    out = StringIO()
    options = ["--schools", "60", "--companies", "60", "--conventions", "62", "--people", "10", "--activities", "120"]

    call_command("generate_national", *options, "--seed", "3", "--today", "2026-11-22", stdout=out)

    text = out.getvalue()
    assert "activités : 120 en" in text
    partner = Organisation.objects.get(name=PARTNER_NAME)
    assert f"partner_pk={partner.pk} year=2026" in text
    with pytest.raises(CommandError, match="qu’une fois par base"):
        call_command("generate_national", "--seed", "4", stdout=StringIO())


def test_it_caches_each_convention_s_status_dates_and_search_text_as_the_registry_does():
    """The generator writes the terms in bulk; what it wrote is what ``refresh_terms`` would write."""
    generate()

    fields = ("status", "ends_on", "period_start", "period_end", "notice_deadline", "search_text")
    written = {c.pk: [getattr(c, f) for f in fields] for c in Convention.objects.all()}
    for convention in Convention.objects.prefetch_related(*Convention.TERMS_PREFETCH):
        refresh_terms(convention, TODAY)
        assert [getattr(convention, f) for f in fields] == written[convention.pk], convention.reference
