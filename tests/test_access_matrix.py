"""The access matrix: role × resource × record owner × channel (page or API), each cell a rule of
docs/access.md checked both ways.

A cell names a record of ``tests/access_world.py`` and the roles that read it. Every role is
tried on every cell: a reader gets 200 and the record's marker text; anyone else gets the cell's
refusal (404 out of scope, 403 in scope but beyond the role, the login page for anonymous
visitors, 401 without a token on the API) and never the marker. Ids read
``<role>-<resource>-<owner>-<channel>``. A second table checks that confidential items of a
convention reach its parties' staff and never a reader who is not a party (federation F reads
convention CA through its member X but is not a party), on every surface that shows them.

The World is built once per module inside a transaction rolled back at the end; each test runs
in a savepoint of it (pytest-django's ``db``), so a test cannot leak into the next.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from partenariats.accounts.models import ApiToken
from partenariats.activities.models import Activity, gathered_by, readable_by
from tests.access_world import ROLES, World, build_world

YEAR = 2025  # the World's school year (its activities are of November 2025)

# Who reads convention CA of académie A (docs/access.md, « conventions (read) »): A's staff and
# observer, the CLEE of a bassin of A, the staff of its parties (school S1, company X), the
# federation whose member X is a party, platform admins. Not: S2, Y (no convention), B's staff.
READERS_CA = frozenset(
    {
        "academy_staff",
        "academy_admin",
        "clee_member",
        "school_head",
        "partner_contact",
        "federation_staff",
        "observer",
        "platform_admin",
    }
)
READERS_CB = frozenset({"colleague_elsewhere", "platform_admin"})
# « conventions (write) »: académie staff of an académie among the parties, platform admins.
EDITORS_A = frozenset({"academy_staff", "academy_admin", "platform_admin"})
EDITORS_B = frozenset({"colleague_elsewhere", "platform_admin"})
# « attachments of activities »: the activity's editors (A's staff, the CLEE of its bassin) and the
# staff of an organisation that took part (S1, X); not the observer, not a federation of a member.
ATTACHMENT_READERS_A = frozenset(
    {"academy_staff", "academy_admin", "clee_member", "school_head", "partner_contact", "platform_admin"}
)
# « indicators of an organisation »: organisations of their académies (staff, observer, the CLEE
# of the bassin's académie), their own school; « of an académie »: its staff, CLEE, observer.
TERRITORY_READERS_A = frozenset({"academy_staff", "academy_admin", "clee_member", "observer", "platform_admin"})
# « contacts »: held by the académie (its staff, CLEE and observer read) or working for the
# user's organisation (X's staff read X's contact).
PERSON_READERS_A = TERRITORY_READERS_A | {"partner_contact"}
WITH_A_ROLE = frozenset(ROLES) - {"anonymous"}
# « import of a convention »: like creating a convention; a job is seen by its uploader only.
MAY_NOT_CREATE_CONVENTIONS = frozenset(
    {
        "clee_member",
        "school_head",
        "other_school_head",
        "partner_contact",
        "other_partner_contact",
        "federation_staff",
        "observer",
    }
)


@dataclass(frozen=True)
class Cell:
    """One resource of one owner through one channel, and who may read it."""

    resource: str
    owner: str
    channel: str  # "page" or "api"
    url: Callable[[World], str]
    marker: Callable[[World], str]
    readers: frozenset[str]
    rule: str  # the rule of docs/access.md the cell checks
    forbidden: frozenset[str] = field(default_factory=frozenset)  # in scope, beyond the role: 403

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return 401 if self.channel == "api" else 302
        if role in self.readers:
            return 200
        return 403 if role in self.forbidden else 404


def _page(name: str, **kwargs: Callable[[World], object]) -> Callable[[World], str]:
    return lambda world: reverse(name, kwargs={key: value(world) for key, value in kwargs.items()})


def _with_query(url: Callable[[World], str], query: str) -> Callable[[World], str]:
    return lambda world: f"{url(world)}?{query}"


def _pk(record: str) -> Callable[[World], int]:
    return lambda world: world.records[record].pk


def _text(text: str) -> Callable[[World], str]:
    return lambda world: text


def _convention_cells(owner: str, readers: frozenset[str], editors: frozenset[str]) -> list[Cell]:
    convention = _pk(f"convention_{owner}")
    meeting = _pk(f"meeting_{owner}")
    reading = "conventions (read): académie staff of a party's académie, parties' staff, a federation for its members"
    indicators_url = _with_query(_page("indicators:convention", pk=convention), f"year={YEAR}")
    return [
        Cell(
            "convention",
            owner,
            "page",
            _page("conventions:convention_detail", pk=convention),
            _text(f"Convention Marqueur-C{owner}"),
            readers,
            reading,
        ),
        Cell(
            "convention-edit",
            owner,
            "page",
            _page("conventions:convention_update", pk=convention),
            _text(f"Convention Marqueur-C{owner}"),
            editors,
            "conventions (write): académie staff of a party's académie; in scope but read-only → 403",
            forbidden=readers - editors,
        ),
        Cell(
            "documents",
            owner,
            "page",
            _page("conventions:convention_detail", pk=convention),
            _text(f"Marqueur-document-{owner}"),
            readers,
            "documents (list): as the convention",
        ),
        Cell(
            "document-download",
            owner,
            "page",
            _page("conventions:document_download", pk=convention, document_pk=_pk(f"document_{owner}")),
            _text("%PDF-1.4"),
            readers,
            "documents (download): as the convention, only through the access-checked view",
        ),
        Cell(
            "history",
            owner,
            "page",
            _page("conventions:convention_detail", pk=convention),
            _text("Historique"),
            readers,
            "history: shown on the convention's page, as the convention",
        ),
        Cell(
            "plan",
            owner,
            "page",
            _page("activities:plan_detail", convention_pk=convention, year=_text(YEAR)),
            _text(f"Marqueur-action-{owner}"),
            readers,
            "yearly plans (read): as the convention",
        ),
        Cell(
            "activity",
            owner,
            "page",
            _page("activities:activity_detail", pk=_pk(f"activity_{owner}")),
            _text(f"Marqueur-activite-{owner}"),
            readers,
            "activities (read): their académies, bassin, school or organisation took part, or counted toward a "
            "convention they read",
        ),
        Cell(
            "indicators-convention",
            owner,
            "page",
            indicators_url,
            _text(f"Marqueur-action-{owner}"),
            readers,
            "indicators of a convention: as the convention",
        ),
        Cell(
            "steering-meeting",
            owner,
            "page",
            _page("steering:meeting_detail", convention_pk=convention, meeting_pk=meeting),
            _text(f"Marqueur-decision-{owner}"),
            readers,
            "steering meetings and decisions (read): as the convention",
        ),
        Cell(
            "convention",
            owner,
            "api",
            _page("api:get_convention", convention_id=convention),
            _text(f"Convention Marqueur-C{owner}"),
            readers,
            reading,
        ),
        Cell(
            "plan",
            owner,
            "api",
            _page("api:get_plan", plan_id=_pk(f"plan_{owner}")),
            _text(f"Marqueur-action-{owner}"),
            readers,
            "yearly plans (read): as the convention",
        ),
        Cell(
            "activity",
            owner,
            "api",
            _page("api:get_activity", activity_id=_pk(f"activity_{owner}")),
            _text(f"Marqueur-activite-{owner}"),
            readers,
            "activities (read): as the pages",
        ),
        Cell(
            "indicators-convention",
            owner,
            "api",
            _with_query(_page("api:convention_indicators", convention_id=convention), f"year={YEAR}"),
            _text(f"Marqueur-action-{owner}"),
            readers,
            "indicators of a convention: the same figures as the page",
        ),
    ]


CELLS: list[Cell] = [
    *_convention_cells("A", READERS_CA, EDITORS_A),
    *_convention_cells("B", READERS_CB, EDITORS_B),
    Cell(
        "attachment-download",
        "A",
        "page",
        _page("activities:attachment_download", pk=_pk("activity_A"), attachment_pk=_pk("attachment_A")),
        _text("%PDF-1.4"),
        ATTACHMENT_READERS_A,
        "attachments (about minors): the activity's editors and the organisations that took part; observer 404",
    ),
    Cell(
        "review-document",
        "A",
        "page",
        _page("steering:rendering_download", convention_pk=_pk("convention_A"), pk=_pk("rendering_A")),
        _text("Marqueur-bilan-A"),
        EDITORS_A,
        "yearly review (download): a draft review and its documents only for those who may edit",
    ),
    Cell(
        "indicators-organisation",
        "S1",
        "page",
        _with_query(_page("indicators:organisation", pk=_pk("school_1")), f"year={YEAR}"),
        _text("Marqueur-S1"),
        TERRITORY_READERS_A | {"school_head"},
        "indicators of an organisation: organisations of their académies; school staff, their school",
    ),
    Cell(
        "indicators-organisation",
        "S2",
        "page",
        _with_query(_page("indicators:organisation", pk=_pk("school_2")), f"year={YEAR}"),
        _text("Marqueur-S2"),
        TERRITORY_READERS_A | {"other_school_head"},
        "indicators of an organisation: a school's staff do not read another school's",
    ),
    Cell(
        "indicators-organisation",
        "S1",
        "api",
        _with_query(_page("api:organisation_indicators", organisation_id=_pk("school_1")), f"year={YEAR}"),
        _text("Marqueur-S1"),
        TERRITORY_READERS_A | {"school_head"},
        "indicators of an organisation: the same figures as the page",
    ),
    Cell(
        "indicators-academy",
        "A",
        "page",
        _with_query(_page("indicators:academy", pk=_pk("academy_A")), f"year={YEAR}"),
        _text("Convention Marqueur-CA"),  # among « Conventions les plus actives »
        TERRITORY_READERS_A,
        "indicators of an académie: its staff, CLEE and observers; schools and partners 404",
    ),
    Cell(
        "indicators-academy",
        "B",
        "page",
        _with_query(_page("indicators:academy", pk=_pk("academy_B")), f"year={YEAR}"),
        _text("Convention Marqueur-CB"),
        READERS_CB,
        "indicators of an académie: not another académie's",
    ),
    Cell(
        "indicators-academy",
        "A",
        "api",
        _with_query(_page("api:academy_indicators", academy_id=_pk("academy_A")), f"year={YEAR}"),
        _text("Convention Marqueur-CA"),
        TERRITORY_READERS_A,
        "indicators of an académie: the same figures as the page",
    ),
    Cell(
        "organisation",
        "X",
        "page",
        _page("directory:organisation_detail", pk=_pk("company_x")),
        _text("Société Marqueur-X"),
        WITH_A_ROLE,
        "identity of an organisation: national, read by every user with a role",
    ),
    Cell(
        "organisation",
        "X",
        "api",
        _page("api:get_organisation", organisation_id=_pk("company_x")),
        _text("Société Marqueur-X"),
        WITH_A_ROLE,
        "identity of an organisation: national, read by every user with a role",
    ),
    Cell(
        "person",
        "A",
        "page",
        _page("directory:person_detail", pk=_pk("person_A")),
        _text("Marqueur-PA"),
        PERSON_READERS_A,
        "contacts: the académie that holds them and the organisations the person works for",
    ),
    Cell(
        "person",
        "B",
        "page",
        _page("directory:person_detail", pk=_pk("person_B")),
        _text("Marqueur-PB"),
        READERS_CB,
        "contacts: not another académie's",
    ),
    Cell(
        "person",
        "A",
        "api",
        _page("api:get_person", person_id=_pk("person_A")),
        _text("Marqueur-PA"),
        PERSON_READERS_A,
        "contacts: as the pages",
    ),
    Cell(
        "import-job",
        "A",
        "page",
        _page("intake:job_review", pk=_pk("job_A")),
        _text("Marqueur-import-A"),
        frozenset({"academy_staff"}),
        "import of a convention: a job is seen by its uploader only (404 for anyone else, platform admins "
        "included); roles that may not create conventions: 403",
        forbidden=MAY_NOT_CREATE_CONVENTIONS,
    ),
    Cell(
        "import-job",
        "B",
        "page",
        _page("intake:job_review", pk=_pk("job_B")),
        _text("Marqueur-import-B"),
        frozenset({"colleague_elsewhere"}),
        "import of a convention: another académie's job is not found",
        forbidden=MAY_NOT_CREATE_CONVENTIONS,
    ),
]


def _cell_id(cell: Cell, role: str) -> str:
    return f"{role}-{cell.resource}-{cell.owner}-{cell.channel}"


MATRIX = [pytest.param(cell, role, id=_cell_id(cell, role)) for cell in CELLS for role in ROLES]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The World, once for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.records["tokens"] = {role: ApiToken.issue(user, "matrice")[1] for role, user in built.users.items()}
        yield built
        transaction.set_rollback(True)


def _get(world: World, role: str, url: str, *, channel: str = "page"):
    client = Client()
    if channel == "api":
        headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world.records['tokens'][role]}"}
        return client.get(url, headers=headers)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client.get(url)


def _body(response) -> str:
    """The answer as text; JSON decoded, so that accented markers read as written."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        # Not response.close(): its request_finished signal would close the World's connection.
        if getattr(response, "file_to_stream", None) is not None:
            response.file_to_stream.close()
        return content.decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize(("cell", "role"), MATRIX)
def test_it_shows_each_record_to_its_readers_only(world, cell: Cell, role: str):
    if role == "platform_admin" and cell.expected(role) != 200:
        pytest.skip("platform admins read everything: checked for the positive cells only")
    url = cell.url(world)
    response = _get(world, role, url, channel=cell.channel)
    expected = cell.expected(role)
    body = _body(response)
    marker = cell.marker(world)
    assert response.status_code == expected, f"{role} GET {url}: {response.status_code}, rule: {cell.rule}"
    if expected == 200:
        assert marker in body, f"{role} GET {url}: 200 without {marker!r}"
    else:
        assert marker not in body, f"{role} GET {url}: {expected} but {marker!r} is shown"
    if expected == 302:
        assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next=")


def test_it_covers_every_role_on_both_sides_of_each_cell():
    """Each cell has a reader and someone refused, so that every cell is a positive and a negative case."""
    for cell in CELLS:
        statuses = {cell.expected(role) for role in ROLES if role != "platform_admin"}
        assert 200 in statuses, cell
        assert statuses - {200}, cell


# --- Confidential items ---------------------------------------------------------------------

# Staff of CA's parties (académie A's staff and observer, X's and S1's staff) read its confidential
# items; the federation reads CA through its member X but is not a party (« not through a member »).
CONVENTION_PARTIES = frozenset({"academy_staff", "observer", "partner_contact", "school_head"})
# A confidential activity: for the académie and the organisations that took part (X, S1).
ACTIVITY_PARTIES = frozenset({"academy_staff", "partner_contact", "school_head"})
NON_PARTY = "federation_staff"


@dataclass(frozen=True)
class Surface:
    """Somewhere a convention's confidential items could show, and the markers that must not leak."""

    name: str
    channel: str
    url: Callable[[World], str]
    public: str  # shown to every reader of the convention
    secrets: tuple[str, ...]  # shown to the parties' staff only
    parties: frozenset[str] = CONVENTION_PARTIES


CA = _pk("convention_A")
SURFACES = [
    Surface(
        "convention",
        "page",
        _page("conventions:convention_detail", pk=CA),
        "Marqueur-engagement-A",
        ("Secret-engagement-A", "Secret-document-A"),
    ),
    Surface(
        "convention",
        "api",
        _page("api:get_convention", convention_id=CA),
        "Marqueur-engagement-A",
        ("Secret-engagement-A", "Secret-document-A"),
    ),
    Surface(
        "plan",
        "page",
        _page("activities:plan_detail", convention_pk=CA, year=_text(YEAR)),
        "Marqueur-action-A",
        ("Secret-action-A", "Secret-engagement-A"),
    ),
    Surface(
        "plan-export",
        "csv",
        _with_query(_page("activities:plan_detail", convention_pk=CA, year=_text(YEAR)), "format=csv"),
        "Marqueur-action-A",
        ("Secret-action-A", "Secret-engagement-A"),
    ),
    Surface(
        "plan",
        "api",
        _page("api:get_plan", plan_id=_pk("plan_A")),
        "Marqueur-action-A",
        ("Secret-action-A", "Secret-engagement-A"),
    ),
    Surface(
        "indicators",
        "page",
        _with_query(_page("indicators:convention", pk=CA), f"year={YEAR}"),
        "Marqueur-action-A",
        ("Secret-action-A", "Secret-engagement-A"),
    ),
    Surface(
        "indicators",
        "api",
        _with_query(_page("api:convention_indicators", convention_id=CA), f"year={YEAR}"),
        "Marqueur-action-A",
        ("Secret-action-A", "Secret-engagement-A"),
    ),
    Surface(
        "steering-meeting",
        "page",
        _page("steering:meeting_detail", convention_pk=CA, meeting_pk=_pk("meeting_A")),
        "Marqueur-decision-A",
        ("Secret-decision-A",),
    ),
    Surface(
        "activities",
        "page",
        _with_query(_page("activities:activity_list"), f"year={YEAR}"),
        "Marqueur-activite-A",
        ("Secret-activite-A",),
        ACTIVITY_PARTIES,
    ),
    Surface(
        "activities",
        "api",
        _with_query(_page("api:list_activities"), "limit=100"),
        "Marqueur-activite-A",
        ("Secret-activite-A",),
        ACTIVITY_PARTIES,
    ),
]
CONFIDENTIAL = [
    pytest.param(surface, role, id=f"{role}-{surface.name}-A-{surface.channel}")
    for surface in SURFACES
    for role in sorted(surface.parties | {NON_PARTY})
]


@pytest.mark.django_db
@pytest.mark.parametrize(("surface", "role"), CONFIDENTIAL)
def test_it_shows_confidential_items_to_the_parties_only(world, surface: Surface, role: str):
    url = surface.url(world)
    response = _get(world, role, url, channel="api" if surface.channel == "api" else "page")
    body = _body(response)
    assert response.status_code == 200, f"{role} GET {url}: {response.status_code}"
    assert surface.public in body, f"{role} GET {url}: the public item is missing"
    for secret in surface.secrets:
        if role in surface.parties:
            assert secret in body, f"{role} (a party's staff) GET {url}: {secret!r} is missing"
        else:
            assert secret not in body, f"{role} (not a party) GET {url}: {secret!r} is shown"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("record", "url"),
    [
        pytest.param(
            "secret_document_A",
            _page("conventions:document_download", pk=CA, document_pk=_pk("secret_document_A")),
            id="document",
        ),
        pytest.param(
            "secret_activity_A", _page("activities:activity_detail", pk=_pk("secret_activity_A")), id="activity-page"
        ),
        pytest.param(
            "secret_activity_A", _page("api:get_activity", activity_id=_pk("secret_activity_A")), id="activity-api"
        ),
    ],
)
def test_it_serves_a_confidential_record_to_a_party_and_not_to_a_reader_outside_them(world, record, url):
    path = url(world)
    channel = "api" if path.startswith("/api/") else "page"
    served = _get(world, "partner_contact", path, channel=channel)
    assert served.status_code == 200
    _body(served)
    refused = _get(world, NON_PARTY, path, channel=channel)
    assert refused.status_code == 404, f"{NON_PARTY} GET {path}: {refused.status_code}"
    assert "Secret-" not in _body(refused)


@pytest.mark.django_db
def test_it_keeps_confidential_items_out_of_the_indicator_exports(world):
    """Every table of the convention's indicators, downloaded as CSV by a reader who is not a party."""
    api_url = reverse("api:convention_indicators", kwargs={"convention_id": world.convention_A.pk})
    tables = _get(world, "partner_contact", f"{api_url}?year={YEAR}", channel="api").json()["tables"]
    party_view = json.dumps(tables, ensure_ascii=False)
    assert "Secret-action-A" in party_view
    page = reverse("indicators:convention", kwargs={"pk": world.convention_A.pk})
    for table in tables:
        export = _get(world, NON_PARTY, f"{page}?year={YEAR}&export={table['key']}&format=csv")
        assert export.status_code == 200, table["key"]
        assert "Secret-" not in _body(export), f"table {table['key']}: a confidential item is exported"


@pytest.mark.django_db
def test_it_never_serves_a_stored_file_to_anonymous_visitors(world):
    """Documents and attachments: the login page, never the file."""
    for path in (
        reverse(
            "conventions:document_download", kwargs={"pk": world.convention_A.pk, "document_pk": world.document_A.pk}
        ),
        reverse(
            "activities:attachment_download",
            kwargs={"pk": world.activity_A.pk, "attachment_pk": world.attachment_A.pk},
        ),
    ):
        response = Client().get(path)
        assert response.status_code == 302
        assert b"%PDF" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_every_way_of_reading_finds_the_same_activities(world, role):
    """Lists of wide readers test each activity on the link tables' indexes (ProbedExists), those
    of the others gather their set of activities (a UNION): the same activities, whatever the
    reader, as the usual condition finds."""
    user = world.users[role]
    usual = Activity.objects.live().filter(readable_by(user) or Q())
    probed = Activity.objects.live().filter(readable_by(user, row_by_row=True) or Q())
    assert set(probed.values_list("pk", flat=True)) == set(usual.values_list("pk", flat=True))
    gathered = Activity.objects.live().filter(gathered_by(user) or Q())
    assert set(gathered.values_list("pk", flat=True)) == set(usual.values_list("pk", flat=True))
    everyone = list(Activity.objects.for_user(user).values_list("pk", flat=True))
    for reading in ({"listing": True}, {"counting": True}):
        assert list(Activity.objects.for_user(user, **reading).values_list("pk", flat=True)) == everyone
