"""The committee and meeting pages in a browser: axe-core finds nothing, and a context that
enforces the CSP reports no violation, on every page with real content and on a form with errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.steering import meetings
from partenariats.steering.meetings import CorrectiveInput, Schedule
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    _reference_data_restored_afterwards,
    browser,
    describe_violations,
    new_context,
    run_axe,
    watched_page,
)
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD
from tests.steering.factories import DecisionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def meeting(cycle):
    first = meetings.create_meeting(cycle.convention, due_on=datetime.date(2027, 3, 18))
    day = timezone.localdate() + datetime.timedelta(days=40)
    start = datetime.datetime.combine(day, datetime.time(14), tzinfo=timezone.get_current_timezone())
    scheduled = meetings.schedule_meeting(
        first,
        Schedule(starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Rectorat", agenda=first.agenda),
        expected_version=first.version,
        now=timezone.now(),
    )[0]
    DecisionFactory(meeting=scheduled, number=1, text="Le comité approuve le bilan.")
    meetings.add_corrective(
        scheduled,
        CorrectiveInput(title="Relancer les collèges", owner_party=cycle.federation),
        today=timezone.localdate(),
    )
    return scheduled


def test_the_committee_pages_pass_axe_and_the_csp(new_context, cycle, meeting, academy_staff):  # noqa: F811
    convention = cycle.convention.pk
    paths = {
        "the committee": reverse("steering:committee", args=[convention]),
        "a member form": reverse("steering:member_create", args=[convention]),
        "the planning form": reverse("steering:meeting_create", args=[convention]),
        "the meeting": meeting.get_absolute_url(),
        "the schedule form": reverse("steering:meeting_update", args=[convention, meeting.pk]),
        "the attendance sheet": reverse("steering:meeting_attendance", args=[convention, meeting.pk]),
        "the minutes form": reverse("steering:meeting_minutes", args=[convention, meeting.pk]),
        "a decision form": reverse("steering:decision_create", args=[convention, meeting.pk]),
        "a corrective action form": reverse("steering:corrective_create", args=[convention, meeting.pk]),
    }
    for bypass_csp in (True, False):
        context = new_context(bypass_csp=bypass_csp)
        page = watched_page(context)
        LoginPage(page).open().log_in(academy_staff.email, PASSWORD)
        for where, path in paths.items():
            page.goto(path)
            page.wait_for_load_state("load")
            if bypass_csp:
                violations = run_axe(page)
                assert not violations, f"{where}:\n    {describe_violations(violations)}"
            else:
                page.watcher.assert_clean(where)
        if bypass_csp:
            page.goto(paths["the schedule form"])
            page.get_by_label("Heure de fin", exact=False).fill("13:00")
            page.get_by_role("button", name="Enregistrer", exact=True).click()
            assert "La fin de la réunion doit être après son début." in page.content()
            violations = run_axe(page)
            assert not violations, f"the schedule form with errors:\n    {describe_violations(violations)}"
        context.close()
