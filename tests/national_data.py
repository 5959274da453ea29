"""The tiny national data set of tests/test_national_generator.py, and a check run in a process of
its own: the same data whether one process or two draw the activities.

:func:`main`, run by ``manage.py shell`` on an empty migrated database, generates the data with
one process, rolls it back, generates it with two, and prints whether both are identical. In a
process of its own because a pool forked inside pytest-xdist's threaded worker can deadlock (it
did once, on PostgreSQL).
"""

import datetime

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce

from partenariats.activities.models import Action, Activity, ActivityGroup, Contribution
from partenariats.conventions.models import Convention
from partenariats.demo.national import NationalSizes, generate_national
from partenariats.directory.models import Organisation, Person

TINY = NationalSizes(schools=90, companies=120, conventions=70, people=50, activities=400, partner_activities=250)
TODAY = datetime.date(2026, 11, 22)


def generate(sizes: NationalSizes = TINY, seed: int = 7, workers: int = 1):
    return generate_national(sizes=sizes, seed=seed, today=TODAY, batch_size=97, workers=workers)


def snapshot() -> dict:
    generated = Organisation.objects.filter(email__endswith="@generated.example.invalid")
    return {
        "organisations": sorted(generated.values_list("name", "uai", "siret", "academy__code")),
        "people": sorted(Person.objects.values_list("email", "first_name", "last_name")),
        "conventions": sorted(Convention.objects.values_list("reference", "title", "status")),
        "actions": sorted(Action.objects.values_list("plan__convention__reference", "plan__school_year", "title")),
        "activities": sorted(
            Activity.objects.values_list("title", "starts_on", "kind", "pupil_participations", "hours", "academy__code")
        ),
        "groups": sorted(
            ActivityGroup.objects.annotate(uai=Coalesce("school__uai", Value(""))).values_list(
                "uai", "level", "class_name", "pupils"
            )
        ),
        "contributions": sorted(
            Contribution.objects.values_list(
                "activity__title", "activity__starts_on", "convention__reference", "action__number", "confirmed"
            )
        ),
    }


def main() -> int:
    drawn = {}
    for workers in (1, 2):
        with transaction.atomic():
            generate(workers=workers)
            drawn[workers] = snapshot()
            transaction.set_rollback(True)
    same = drawn[1] == drawn[2] and len(drawn[1]["activities"]) == TINY.activities
    print("identical" if same else "different")
    return 0 if same else 1
