"""The lists keep their counts and their filters' options in the cache until the data change
(``core.pagination``, ``core.filtering``): an edit is seen at once, readers who may see
different records never share them, and a page served again skips what was counted.

Writes go through the ``committed`` fixture (tests/conftest.py), which runs what a commit would:
the data version is renewed as in production."""

import datetime
import re

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests.factories import ActivityFactory, ConventionFactory

pytestmark = pytest.mark.django_db

YEAR = {"year": "2025"}  # the factories' activities take place in 2025-2026


def _page(client, path: str, data: dict | None = None) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def _count_line(html: str) -> str:
    return re.search(r"(\d+) activités?\b", html).group(0)


def _offered(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_list_count_is_served_again_then_renewed_by_a_change(committed, client, academy_staff):
    committed(lambda: ActivityFactory.create_batch(2))
    client.force_login(academy_staff)
    html, first = _page(client, "/activites/", YEAR)
    assert _count_line(html) == "2 activités"
    html, again = _page(client, "/activites/", YEAR)
    assert _count_line(html) == "2 activités"
    counts = [sql for sql in first if sql.startswith("SELECT COUNT(*)")]
    assert counts
    assert not [sql for sql in again if sql.startswith("SELECT COUNT(*)")]

    committed(lambda: ActivityFactory())
    assert _count_line(_page(client, "/activites/", YEAR)[0]) == "3 activités"


def test_each_filter_has_its_own_count(committed, client, academy_staff):
    committed(lambda: ActivityFactory(title="Forum des métiers"))
    committed(lambda: ActivityFactory(title="Visite du port"))
    client.force_login(academy_staff)
    assert _count_line(_page(client, "/activites/", YEAR)[0]) == "2 activités"
    assert _count_line(_page(client, "/activites/", {**YEAR, "q": "forum"})[0]) == "1 activité"


def test_readers_who_see_different_records_do_not_share_a_count(committed, client, academy_staff, colleague_elsewhere):
    committed(lambda: ActivityFactory.create_batch(2))
    client.force_login(academy_staff)
    assert _count_line(_page(client, "/activites/", YEAR)[0]) == "2 activités"
    client.force_login(colleague_elsewhere)
    assert "Aucune activité ne correspond" in _page(client, "/activites/", YEAR)[0]


def test_the_filters_options_follow_the_data_and_the_reader(committed, client, academy_staff, colleague_elsewhere):
    committed(lambda: ConventionFactory(title="Convention Alpha"))
    client.force_login(academy_staff)
    assert "Convention Alpha" in _offered(_page(client, "/activites/")[0], "convention")

    committed(lambda: ConventionFactory(title="Convention Bêta"))
    assert {"Convention Alpha", "Convention Bêta"} <= set(_offered(_page(client, "/activites/")[0], "convention"))
    # The same page for a reader of Nice, who reads neither.
    client.force_login(colleague_elsewhere)
    assert not {"Convention Alpha", "Convention Bêta"} & set(_offered(_page(client, "/activites/")[0], "convention"))

    # Every list's filters are drawn from the cache alike: the académies of the convention list.
    client.force_login(academy_staff)
    assert "Académie d&#x27;Aix-Marseille" in _offered(_page(client, "/conventions/")[0], "academy")


def test_a_chosen_option_stays_selected(committed, client, academy_staff):
    convention = committed(lambda: ConventionFactory(title="Convention Alpha"))
    client.force_login(academy_staff)
    html = _page(client, "/activites/", {"convention": convention.pk})[0]
    assert re.search(rf'<option value="{convention.pk}" selected>Convention Alpha</option>', html)


def test_the_select_is_drawn_as_django_draws_it():
    """Our ``select.html`` writes each option itself instead of including Django's templates."""
    widget = forms.Select(
        choices=[("", "Tous"), ("Sud", [("1", "Aix & Marseille"), ("2", "Nice")]), ("3", "<Corse>")],
        attrs={"class": "fr-select", "aria-describedby": "aide"},
    )
    ours = widget.render("academy", "2")
    django = widget.render("academy", "2", renderer=DjangoTemplates())
    assert re.sub(r"\s+", " ", ours) == re.sub(r"\s+", " ", django)
    assert '<option value="2" selected>Nice</option>' in ours
    assert "&lt;Corse&gt;" in ours
    assert "Aix &amp; Marseille" in ours


def test_a_filter_still_refuses_what_the_reader_may_not_choose(committed, client, colleague_elsewhere):
    """Only the options drawn are cached: a convention of Aix typed into Nice's URL is refused."""
    convention = committed(lambda: ConventionFactory(title="Convention Alpha", signed_on=datetime.date(2024, 1, 5)))
    client.force_login(colleague_elsewhere)
    html = _page(client, "/activites/", {"convention": convention.pk})[0]
    assert "Convention Alpha" not in html


LIST_PAGES = [
    "/activites/",
    "/activites/?year=toutes&kind=company_visit",
    "/conventions/",
    "/conventions/?status=active",
    "/annuaire/organisations/",
    "/annuaire/personnes/",
]
PERSONAS = [
    "platform_admin",
    "academy_staff",
    "colleague_elsewhere",
    "clee_member",
    "school_head",
    "partner_contact",
    "observer",
    "outsider",
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_role_reads_every_list_from_the_cache_as_computed(client, request):
    """Real commits, so that every page goes through the cache as in production (a test's own
    transaction reads past it): a school's staff, with no académie, filter on empty lists."""
    convention = ConventionFactory(title="Convention Alpha")
    ActivityFactory.create_batch(2)
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        for path in [*LIST_PAGES, f"/activites/?convention={convention.pk}"]:
            first = client.get(path)
            again = client.get(path)
            assert first.status_code == again.status_code == 200, (persona, path)
            assert again.content.count(b"<option") == first.content.count(b"<option"), (persona, path)
        # Aix's staff put their options in the cache first: Nice's staff still do not see Aix's convention.
        sees_alpha = "Convention Alpha" in client.get("/activites/").content.decode()
        assert sees_alpha == (persona in {"platform_admin", "academy_staff", "clee_member", "observer"}), persona


@pytest.mark.parametrize(
    ("path", "make", "rename"),
    [
        ("/activites/", lambda: ActivityFactory(title="Forum des métiers"), "Forum des métiers <b>du numérique</b>"),
        ("/conventions/", lambda: ConventionFactory(title="Convention Alpha"), "Convention Alpha <b>renommée</b>"),
    ],
    ids=["activities", "conventions"],
)
def test_a_list_s_rows_are_served_again_then_renewed_by_a_change(committed, client, academy_staff, path, make, rename):
    record = committed(make)
    client.force_login(academy_staff)
    html, first = _page(client, path, YEAR)
    again_html, again = _page(client, path, YEAR)
    assert record.title in html
    assert again_html.count("<tr>") == html.count("<tr>")
    assert len(again) < len(first)  # neither the rows nor their count are read again

    def edit():
        record.title = rename
        record.save()

    committed(edit)
    html = _page(client, path, YEAR)[0]
    assert escape(rename) in html  # escaped, as the page drew it
    assert _page(client, path, YEAR)[0].count(escape(rename)) == html.count(escape(rename))  # and from the cache
