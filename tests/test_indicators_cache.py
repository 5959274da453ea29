"""The indicator figures are cached until the data changes: an edit is seen at once, and two
readers who may see different things never share figures.

Each step runs its writes through the ``committed`` fixture (tests/conftest.py): the test's
transaction never commits, so this is how the data version is raised as a real commit would.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partenariats.activities.models import ActivityKind
from partenariats.conventions.models import ConventionKind
from partenariats.conventions.services import refresh_terms
from partenariats.core import cache as cache_module
from partenariats.core.cache import current_version
from partenariats.core.models import DataVersion
from partenariats.core.tabular import store_upload
from partenariats.directory.import_services import commit_import
from partenariats.directory.importers import ImportKind
from partenariats.directory.models import Organisation
from tests.directory.test_import_organisations import COMPANY, template_csv
from tests.factories import ActivityFactory, ContributionFactory, ConventionFactory, token_for

pytestmark = pytest.mark.django_db


def _figures(user, convention) -> tuple[dict, int]:
    """The convention's 2025–2026 summary through the API, and how many queries it took."""
    client = Client(headers={"Authorization": f"Bearer {token_for(user)}"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/indicators/conventions/{convention.pk}", {"year": "2025"})
    assert response.status_code == 200
    return response.json()["summary"], len(captured.captured_queries)


def test_it_serves_the_figures_again_without_computing_them(committed, academy_staff):
    convention = committed(lambda: ConventionFactory(signed=True))
    committed(lambda: ContributionFactory(activity=ActivityFactory(pupils=20), convention=convention))
    first, computed = _figures(academy_staff, convention)
    again, served = _figures(academy_staff, convention)
    assert again == first
    assert served < computed / 2


def test_an_edit_is_seen_at_once(committed, academy_staff):
    convention = committed(lambda: ConventionFactory(signed=True))
    activity = committed(lambda: ActivityFactory(pupils=20))
    committed(lambda: ContributionFactory(activity=activity, convention=convention))
    assert _figures(academy_staff, convention)[0]["pupil_participations"] == 20

    def edit():
        activity.pupil_participations = 45
        activity.save()

    committed(edit)
    assert _figures(academy_staff, convention)[0]["pupil_participations"] == 45
    committed(lambda: ContributionFactory(activity=ActivityFactory(pupils=5), convention=convention))
    summary = _figures(academy_staff, convention)[0]
    assert (summary["activities"], summary["pupil_participations"]) == (2, 50)
    committed(lambda: activity.contributions.all().delete())
    assert _figures(academy_staff, convention)[0]["activities"] == 1


def test_a_change_not_yet_committed_is_counted_by_its_own_transaction(committed, academy_staff):
    convention = committed(lambda: ConventionFactory(signed=True))
    committed(lambda: ContributionFactory(activity=ActivityFactory(pupils=20), convention=convention))
    assert _figures(academy_staff, convention)[0]["activities"] == 1
    ContributionFactory(activity=ActivityFactory(pupils=5), convention=convention)  # not committed
    assert _figures(academy_staff, convention)[0]["activities"] == 2


def test_readers_who_see_different_things_do_not_share_figures(committed, academy_staff, colleague_elsewhere):
    """A national convention of Aix: its confidential activity counts for Aix's staff (a party's),
    not for Nice's staff, who read the convention but are not among its parties."""
    convention = committed(lambda: ConventionFactory(signed=True, kind=ConventionKind.NATIONAL))

    def activities():
        ContributionFactory(activity=ActivityFactory(pupils=10), convention=convention)
        secret = ActivityFactory(pupils=30, confidential=True, kind=ActivityKind.MENTORING)
        ContributionFactory(activity=secret, convention=convention)

    committed(activities)
    for _ in range(2):
        assert _figures(academy_staff, convention)[0]["activities"] == 2
        assert _figures(colleague_elsewhere, convention)[0]["activities"] == 1


def test_writes_that_send_no_signal_renew_the_figures_too(committed, academy_staff, settings, tmp_path):
    """The daily refresh of the conventions' terms and the directory's import write in bulk."""
    settings.MEDIA_ROOT = tmp_path
    convention = committed(lambda: ConventionFactory(signed=True))
    committed(lambda: refresh_terms(convention))
    before = current_version()
    # The next day's refresh changes nothing shown: the cached figures stay.
    committed(lambda: refresh_terms(convention, convention.status_computed_on + datetime.timedelta(days=1)))
    assert current_version() == before
    # Ten years on, the convention has ended: its status is shown, the figures are renewed.
    committed(lambda: refresh_terms(convention, convention.status_computed_on + datetime.timedelta(days=3650)))
    refreshed = current_version()
    assert refreshed != before

    key = store_upload(template_csv(COMPANY), "csv")
    committed(lambda: commit_import(ImportKind.ORGANISATIONS, key, academy_staff))
    assert Organisation.objects.filter(name=COMPANY["nom"]).exists()
    assert current_version() != refreshed


def test_a_database_without_a_version_gets_its_own():
    """Not a shared 0: two databases served from one cache folder would read each other's figures."""
    DataVersion.objects.all().delete()
    first = current_version()
    assert first != 0
    assert current_version() == first
    DataVersion.objects.all().delete()
    assert current_version() not in (0, first)


def test_the_version_is_read_once_per_request_and_renewed_by_its_own_commits(committed):
    # The cache's own receivers of the request signals: sending ``request_finished`` itself would
    # also close the test's database connection (Django's ``close_old_connections``), on PostgreSQL.
    cache_module._request_started()
    try:
        first = current_version()
        with CaptureQueriesContext(connection) as captured:
            assert current_version() == first
        assert not captured.captured_queries
        # A change committed by this very request is seen by what it reads next.
        committed(lambda: ConventionFactory())
        assert current_version() != first
    finally:
        cache_module._request_finished()
    # Outside a request (the worker, a command), every read asks the database.
    with CaptureQueriesContext(connection) as captured:
        current_version()
    assert len(captured.captured_queries) == 1
