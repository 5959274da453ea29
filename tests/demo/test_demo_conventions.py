"""The demo conventions: every kind and every situation of a convention's life, on the load day."""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from partenariats.accounts.models import User, UserStatus
from partenariats.conventions.models import (
    Article,
    Commitment,
    Convention,
    ConventionEvent,
    ConventionKind,
    ConventionStatus,
    DatePrecision,
    EventKind,
    Party,
    Signatory,
    TerminationEffect,
)
from partenariats.demo.builder import DemoBuilder, DemoSizes, load_demo
from partenariats.demo.constants import (
    ACADEMY_STAFF_EMAIL,
    ACADEMY_STAFF_NICE_EMAIL,
    DEMO_EMAIL_DOMAIN,
)
from partenariats.demo.conventions.plan import plan
from partenariats.demo.conventions.planner import ConventionPlanner
from partenariats.directory.models import OrganisationKind

pytestmark = pytest.mark.django_db

SMALL = DemoSizes(schools=30, companies=40, people=40)
TODAY = datetime.date(2026, 11, 22)


def by_number(number: int) -> Convention:
    return Convention.objects.get(reference__regex=rf"^DEMO-\d{{4}}-{number:03d}$")


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Convention, Party, Signatory, Article, Commitment, ConventionEvent)
    } | {
        "convention history": Convention.history.count(),
        "commitment history": Commitment.history.count(),
        "article history": Article.history.count(),
    }


def test_it_creates_about_forty_conventions_of_every_kind():
    load_demo(sizes=SMALL, today=TODAY)

    conventions = Convention.objects.filter(reference__startswith="DEMO-")
    assert 38 <= conventions.count() <= 42
    assert set(conventions.values_list("kind", flat=True)) == set(ConventionKind.values)
    assert 2 <= conventions.filter(kind=ConventionKind.NATIONAL).count() <= 3
    years = {int(reference[5:9]) for reference in conventions.values_list("reference", flat=True)}
    assert min(years) == 2010
    assert max(years) == 2026


@pytest.mark.parametrize(
    "today",
    [TODAY, datetime.date(2027, 9, 2), datetime.date(2030, 2, 28)],
    ids=["load-day", "just-after-a-rentree", "end-of-february"],
)
def test_it_shows_every_situation_whatever_the_load_day(today):
    load_demo(sizes=SMALL, today=today)

    conventions = Convention.objects.filter(reference__startswith="DEMO-")
    statuses = Counter(conventions.values_list("status", flat=True))
    assert statuses[ConventionStatus.ACTIVE] >= 10
    assert statuses[ConventionStatus.UNDER_NOTICE] >= 2
    assert statuses[ConventionStatus.PROVISIONAL_CONTINUATION] >= 2
    assert statuses[ConventionStatus.EXPIRED] >= 3
    assert statuses[ConventionStatus.TERMINATED] == 1
    assert statuses[ConventionStatus.DRAFT] == 1
    assert statuses[ConventionStatus.AWAITING_SIGNATURES] == 1
    assert statuses[ConventionStatus.SIGNED_NOT_STARTED] == 1
    assert statuses[ConventionStatus.UNKNOWN] == 1
    assert set(conventions.values_list("status_computed_on", flat=True)) == {today}
    in_3_months, in_6_months = today + datetime.timedelta(days=92), today + datetime.timedelta(days=184)
    soon = conventions.filter(ends_on__gt=today, ends_on__lte=in_3_months)
    later = conventions.filter(ends_on__gt=in_3_months, ends_on__lte=in_6_months)
    assert soon.exists()
    assert later.count() >= 2


def test_it_renews_some_conventions_tacitly_and_one_by_a_recorded_renewal():
    load_demo(sizes=SMALL, today=TODAY)

    renewed_tacitly = [
        c
        for c in Convention.objects.filter(status=ConventionStatus.ACTIVE, tacit_renewal=True)
        if c.period_start > c.signature_date()[0]
    ]
    assert len(renewed_tacitly) >= 3
    renewal = ConventionEvent.objects.get(kind=EventKind.RENEWED)
    convention = renewal.convention
    assert convention.status == ConventionStatus.ACTIVE
    assert not convention.tacit_renewal
    assert convention.period_start == renewal.date + datetime.timedelta(days=31)


def test_it_gives_notice_with_effect_at_the_next_school_year_start():
    load_demo(sizes=SMALL, today=TODAY)

    under_notice = Convention.objects.filter(status=ConventionStatus.UNDER_NOTICE)
    assert under_notice.filter(events__kind=EventKind.NOTICE_GIVEN).distinct().count() >= 2
    at_rentree = under_notice.get(termination_effect=TerminationEffect.NEXT_SCHOOL_YEAR_START)
    # Zone B: the pupils go back on 1 September 2027; notice received in October 2026.
    assert at_rentree.effective_end == datetime.date(2027, 8, 31)


def test_it_keeps_conventions_in_provisional_continuation_while_renegotiated():
    load_demo(sizes=SMALL, today=TODAY)

    for convention in Convention.objects.filter(status=ConventionStatus.PROVISIONAL_CONTINUATION):
        opened = convention.events.get(kind=EventKind.RENEGOTIATION_OPENED)
        assert opened.date <= convention.period_end < TODAY <= convention.provisional_until


def test_it_shapes_a_convention_like_each_seed():
    load_demo(sizes=SMALL, today=TODAY)

    rooms = by_number(8)
    assert rooms.status == ConventionStatus.UNKNOWN
    assert set(rooms.signatories.values_list("date_precision", flat=True)) == {DatePrecision.UNKNOWN}
    assert rooms.notice_by_registered_letter
    assert rooms.duration_months == 60
    assert rooms.articles.filter(text__contains="places").exists()

    national_descendant = by_number(9)
    assert national_descendant.parent is None
    assert national_descendant.parent_description
    assert national_descendant.confidentiality_clause
    assert national_descendant.parties.count() == 3
    assert national_descendant.children.filter(kind=ConventionKind.LOCAL).count() >= 2

    chamber = by_number(10)
    assert chamber.provisional_extension_months == 6
    assert chamber.articles.filter(number__startswith="Annexe").count() == 3
    assert chamber.articles.filter(number__startswith="Action").count() >= 5
    assert chamber.amendments.filter(kind="financial").exists()

    three = by_number(11)
    assert three.academies.count() == 3
    dates = list(three.signatories.values_list("signed_on", flat=True))
    assert len(set(dates)) == 4
    assert three.signatories.filter(date_precision=DatePrecision.MONTH).count() == 1


def test_it_shapes_the_regional_one_with_tacit_renewal_and_next_school_year_start():
    load_demo(sizes=SMALL, today=TODAY)

    regional = by_number(4)
    assert regional.kind == ConventionKind.REGIONAL
    assert regional.tacit_renewal is True
    assert regional.renewal_months == 24
    assert regional.termination_effect == TerminationEffect.NEXT_SCHOOL_YEAR_START
    assert regional.contact_exchange_month == 9
    assert regional.parent.kind == ConventionKind.NATIONAL
    assert all(re.fullmatch(r"18\.[IVX]+\.20\d\d", s.raw_date) for s in regional.signatories.all())
    assert regional.signatories.filter(party__isnull=True).count() == 1  # the other recteur co-signs
    assert regional.status == ConventionStatus.ACTIVE
    assert regional.period_start > regional.signature_date()[0]


def test_it_puts_each_local_convention_between_a_company_and_a_school_under_a_framework():
    load_demo(sizes=SMALL, today=TODAY)

    local = Convention.objects.filter(kind=ConventionKind.LOCAL)
    assert local.count() >= 6
    for convention in local:
        assert convention.parent.kind == ConventionKind.FRAMEWORK
        kinds = sorted(convention.parties.values_list("organisation__kind", flat=True))
        assert kinds == [OrganisationKind.COMPANY, OrganisationKind.SCHOOL]
        assert convention.academies.exists()
    assert Convention.objects.filter(kind=ConventionKind.APPLICATION, parent__isnull=True).count() == 0


def test_it_fills_every_convention_with_parties_articles_and_commitments():
    load_demo(sizes=SMALL, today=TODAY)

    for convention in Convention.objects.filter(reference__startswith="DEMO-"):
        assert 2 <= convention.parties.count() <= 6, convention.reference
        assert 6 <= convention.articles.count() <= 15, convention.reference
        assert 5 <= convention.commitments.count() <= 20, convention.reference
        assert convention.owners.exists(), convention.reference
        assert convention.signatories.count() >= 2, convention.reference
    assert not Party.objects.filter(representative__isnull=True).exists()
    assert not Party.objects.filter(representative_title="").exists()
    assert Article.objects.filter(parent__parent__isnull=False).exists()  # sub-sub-articles (1.3.1)
    assert Commitment.objects.filter(audiences__isnull=False).exists()
    assert Commitment.objects.filter(programmes__code="mois-ess").exists()


def test_it_shows_confidential_commitments_only_to_the_parties_staff():
    load_demo(sizes=SMALL, today=TODAY)

    assert Commitment.objects.filter(confidential=True).count() >= 3
    convention = by_number(9)  # académie de Nice, with a confidentiality clause
    nice_staff = User.objects.get(email=ACADEMY_STAFF_NICE_EMAIL)
    aix_staff = User.objects.get(email=ACADEMY_STAFF_EMAIL)
    seen_by_party = Commitment.objects.visible_to(nice_staff, convention)
    seen_by_other = Commitment.objects.visible_to(aix_staff, convention)
    assert seen_by_party.filter(confidential=True).exists()
    assert not seen_by_other.filter(confidential=True).exists()


def test_it_records_a_creation_history_for_every_demo_convention():
    load_demo(sizes=SMALL, today=TODAY)

    for model in (Convention, Party, Signatory, Article, Commitment, ConventionEvent):
        created = set(model.history.filter(history_type="+").values_list("id", flat=True))
        assert created == set(model.objects.values_list("pk", flat=True)), model.__name__
    # The first history entry shows the many-to-many values the record was created with.
    commitment = Commitment.objects.filter(audiences__isnull=False).first()
    first = commitment.history.earliest()
    assert {row.audience for row in first.audiences.all()} == set(commitment.audiences.all())
    regional = by_number(4)
    assert {row.academy.name for row in regional.history.earliest().academies.all()} == {"Aix-Marseille", "Nice"}


def test_it_creates_nothing_the_second_time_even_on_another_day():
    load_demo(sizes=SMALL, today=TODAY)
    before = counts()

    report = load_demo(sizes=SMALL, today=TODAY + datetime.timedelta(days=400))

    assert counts() == before
    assert not any(report.created.values())
    # The statuses follow the new day.
    assert set(Convention.objects.values_list("status_computed_on", flat=True)) == {
        TODAY + datetime.timedelta(days=400)
    }


def test_it_plans_the_same_conventions_for_the_same_day():
    builder = DemoBuilder(sizes=SMALL, today=TODAY)
    builder.build()

    def planned() -> list[tuple]:
        planner = ConventionPlanner(builder, TODAY)
        planner.load_organisations()
        return [
            (spec.reference, spec.title, [p.pk for p in spec.parties], [s.on for s in spec.signatures], spec.terms)
            for spec in plan(planner)
        ]

    assert planned() == planned()


def test_it_loads_the_command_on_a_given_day():
    call_command("load_demo", "--scale", "0.1", "--today", "2030-02-28", stdout=StringIO())

    assert set(Convention.objects.values_list("status_computed_on", flat=True)) == {datetime.date(2030, 2, 28)}


def test_it_skips_the_local_conventions_without_schools_or_companies():
    load_demo(sizes=DemoSizes(schools=0, companies=0, people=0), today=TODAY)

    conventions = Convention.objects.filter(reference__startswith="DEMO-")
    assert conventions.count() >= 25
    assert not conventions.filter(kind=ConventionKind.LOCAL).exists()


def test_it_gives_the_demo_accounts_a_last_login():
    load_demo(sizes=SMALL, today=TODAY)

    demo_users = User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN)
    assert demo_users.exists()
    assert {user.status for user in demo_users} == {UserStatus.ACTIVE}
