"""The load test's set-up in the database: each persona's objects, its API token, every URL tried once.

    python bench/personas.py <plan.json> <users>     (run.py runs it with the server's settings)

For each persona of ``pages.PERSONAS``: the account is looked up, objects it may see are picked
(a few of each placeholder of ``pages``), a fresh API token is issued (the previous benchmark
tokens of the account revoked), and each resulting URL is fetched once with the test client.
A URL answering 403 or 404 is a bad pick and is dropped (and said); anything else is kept, so a
page that fails under load fails in the results, not here. Writes the plan the locustfile reads.
"""

import itertools
import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partenariats.settings")
django.setup()

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from pages import FLOOR, FLOOR_WEIGHT, PAGES, PERSONAS, placeholders  # noqa: E402

from partenariats.accounts.models import ApiToken, User  # noqa: E402
from partenariats.activities.models import Activity, ActivityGroup, Plan  # noqa: E402
from partenariats.conventions.models import Convention  # noqa: E402
from partenariats.core.school_year import SchoolYear  # noqa: E402
from partenariats.demo.constants import DEMO_PASSWORD  # noqa: E402
from partenariats.demo.national.reference import PARTNER_NAME, REFERENCE_PREFIX  # noqa: E402
from partenariats.directory.models import Organisation, OrganisationKind  # noqa: E402

TOKEN_NAME = "Banc de charge (bench/run.py)"  # noqa: S105 -- a name, not a secret
PER_PLACEHOLDER = 4  # objects picked per placeholder and persona
DROPPED = (403, 404)


def ids(queryset, count: int = PER_PLACEHOLDER) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)[:count]]


def values_for(user: User, year: int) -> dict[str, list[str]]:
    """A few objects of each kind that ``user`` reads: the demo's and the national data's alike."""
    scope = user.scope
    readable = Convention.objects.for_user(user)
    own = Organisation.objects.filter(pk__in=scope.organisation_ids)
    conventions = ids(readable.exclude(reference__startswith=REFERENCE_PREFIX).order_by("pk"), 2)
    conventions += ids(readable.filter(reference__startswith=REFERENCE_PREFIX).order_by("pk"), 2)
    conventions = conventions or ids(readable.order_by("pk"))
    plans = Plan.objects.for_user(user).filter(convention_id__in=conventions).order_by("-school_year", "pk")
    activities = ids(Activity.objects.for_user(user).order_by("-pk"))
    groups = ActivityGroup.objects.filter(activity_id__in=activities, school__isnull=False)
    own_partners = own.exclude(kind=OrganisationKind.SCHOOL)
    own_schools = own.filter(kind=OrganisationKind.SCHOOL)
    biggest = Organisation.objects.filter(name=PARTNER_NAME)
    academy = sorted(scope.writable_academy_ids or scope.academy_ids) or (
        [user.main_academy.pk] if user.main_academy else []
    )
    # Schools of its own académie: an activity it reads may take pupils of another one's.
    nearby = Organisation.objects.filter(pk__in=groups.values("school"), academy_id__in=academy)
    schools = ids(own_schools) or ids(nearby.order_by("pk").distinct())
    return {
        "convention": conventions,
        "plan": [
            f"{convention}/plans/{school_year}"
            for convention, school_year in plans.values_list("convention_id", "school_year")[:PER_PLACEHOLDER]
        ],
        "activity": activities,
        "organisation": list(dict.fromkeys(ids(own) + ids(biggest) + schools[:1] + conventions_partners(conventions))),
        "partner": ids(own_partners) or ids(biggest),
        "school": schools[:2],
        "academy": [str(pk) for pk in academy[:1]],
        "basin": [str(pk) for pk in sorted(scope.basin_ids)[:1]],
        "year": [str(year)],
    }


def conventions_partners(conventions: list[str]) -> list[str]:
    return ids(
        Organisation.objects.filter(convention_parties__convention_id__in=conventions)
        .annotate(n=Count("convention_parties"))
        .order_by("-n", "pk")
    )[:2]


def concrete(path: str, values: dict[str, list[str]]) -> list[str]:
    needed = sorted(placeholders(path))
    if any(not values.get(name) for name in needed):
        return []
    return [
        path.format(**dict(zip(needed, combination, strict=True)))
        for combination in itertools.product(*(values[name] for name in needed))
    ]


def share(users: int) -> dict[str, int]:
    """The users of each persona, in proportion to the weights (largest remainders)."""
    total = sum(p.weight for p in PERSONAS)
    exact = {p.key: users * p.weight / total for p in PERSONAS}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: counts[k] - exact[k])[: users - sum(counts.values())]:
        counts[key] += 1
    return counts


def plan_for(persona, users: int, year: int, client: Client) -> dict | None:
    user = User.objects.filter(email=persona.email, is_active=True).first()
    if user is None:
        print(f"{persona.key}: no active account {persona.email}: left out")
        return None
    values = values_for(user, year)
    ApiToken.objects.filter(user=user, name=TOKEN_NAME, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _, key = ApiToken.issue(user, TOKEN_NAME)
    client.force_login(user)
    tasks, notes = [{"name": FLOOR.name, "api": False, "weight": FLOOR_WEIGHT, "paths": [FLOOR.path]}], []
    for name, weight in persona.pages.items():
        page = PAGES[name]
        kept = []
        for path in concrete(page.path, values):
            began = time.monotonic()
            headers = {"Authorization": f"Bearer {key}"} if page.api else {}
            status = client.get(path, headers=headers).status_code
            if status in DROPPED:
                notes.append(f"{path} answers {status}: dropped")
            else:
                kept.append(path)
                notes.append(f"{path}: {status} in {1000 * (time.monotonic() - began):.0f} ms (first call)")
        if kept:
            tasks.append({"name": name, "api": page.api, "weight": weight, "paths": kept})
        else:
            notes.append(f"{name}: nothing this persona may read: left out of its mix")
    print(f"{persona.key} ({persona.email}), {users} user(s):")
    for note in notes:
        print(f"    {note}")
    return {
        "label": persona.label,
        "email": persona.email,
        "password": DEMO_PASSWORD,
        "token": key,
        "users": users,
        "tasks": tasks,
    }


def main(path: Path, users: int) -> None:
    year = SchoolYear.of(timezone.localdate()).start_year
    client = Client(SERVER_NAME="127.0.0.1")
    counts = share(users)
    personas = {}
    for persona in PERSONAS:
        if counts[persona.key] and (entry := plan_for(persona, counts[persona.key], year, client)):
            personas[persona.key] = entry
    path.write_text(json.dumps({"year": year, "personas": personas}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
