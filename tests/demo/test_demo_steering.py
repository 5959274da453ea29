"""The demo's steering committees: a year already run, a cycle left to run, a meeting convened."""

import datetime

import pytest

from partenariats.core.school_year import SchoolYear
from partenariats.demo.builder import DemoSizes, load_demo
from partenariats.demo.steering import CONVENED, WITH_HISTORY
from partenariats.indicators.reports import convention_report
from partenariats.steering.meetings import open_due_dates
from partenariats.steering.models import (
    CommitteeMember,
    CorrectiveAction,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    Review,
    ReviewStatus,
)
from tests.demo.test_demo_conventions import by_number

pytestmark = pytest.mark.django_db

SMALL = DemoSizes(schools=30, companies=40, people=40, activities=400)
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def demo():
    load_demo(sizes=SMALL, today=TODAY)


def test_it_runs_the_year_before_last_and_leaves_the_last_one_to_the_visitor(demo, academy_staff):
    convention = by_number(WITH_HISTORY)
    roles = set(CommitteeMember.objects.filter(convention=convention).values_list("role", flat=True))
    assert {MemberRole.COORDINATOR, MemberRole.CHAIR, MemberRole.REPRESENTATIVE} <= roles

    meeting = Meeting.objects.get(convention=convention)
    assert meeting.kind == MeetingKind.FIRST
    assert meeting.status == MeetingStatus.HELD
    assert meeting.inventory
    assert meeting.minutes
    assert meeting.school_year == 2024
    assert meeting.decisions.count() == 2
    assert CorrectiveAction.objects.filter(meeting=meeting, status="in_progress").exists()

    review = Review.objects.get(convention=convention)
    assert review.status == ReviewStatus.APPROVED
    assert review.school_year == 2024
    figures = {figure["label"]: figure["value"] for figure in review.snapshot["full"]["key_figures"]}
    report = convention_report(convention, academy_staff, SchoolYear(2024))
    assert figures["Activités réalisées"] == report.summary.activities > 0

    # The committee reviewing 2025–2026 fell due in September: it is the visitor's to plan.
    assert open_due_dates(convention, TODAY, [meeting])


def test_it_convenes_the_next_meeting_at_the_partners_premises_once(demo):
    meeting = Meeting.objects.get(convention=by_number(CONVENED))
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.starts_at.date() > TODAY
    assert meeting.host == meeting.convention.parties.get(side="partner").organisation

    counts = (CommitteeMember.objects.count(), Meeting.objects.count(), Review.objects.count())
    load_demo(sizes=SMALL, today=TODAY)
    assert (CommitteeMember.objects.count(), Meeting.objects.count(), Review.objects.count()) == counts
