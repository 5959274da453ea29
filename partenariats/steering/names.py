"""The names of the people a convention knows, which its public documents leave out.

Committee members, the parties' representatives and every contact of the parties' organisations
(people with a membership in them), both orders (« Prénom Nom », « Nom Prénom »); the signatories;
the owners named on the corrective actions; the volunteers of the activities counted (when the
review gives them); a meeting adds its guests and the people who stood in for a member.
"""

from django.db.models import Q, QuerySet

from partenariats.conventions.models import Convention
from partenariats.directory.models import Person
from partenariats.steering.models import Attendance, CommitteeMember, CorrectiveAction, Meeting
from partenariats.steering.privacy import normalise_names


def _both_orders(first_name: str, last_name: str) -> set[str]:
    return {f"{first_name} {last_name}", f"{last_name} {first_name}"}


def known_names(
    convention: Convention, meeting: Meeting | None = None, activities: QuerySet | None = None
) -> tuple[str, ...]:
    """The names to scrub from the public free texts of ``convention`` (and of ``meeting``, and of
    the ``activities`` a review counts)."""
    names: set[str] = set()
    for member in CommitteeMember.objects.filter(convention=convention).select_related("person"):
        names |= _both_orders(member.person.first_name, member.person.last_name)
    parties = list(convention.parties.select_related("representative"))
    for party in parties:
        names.add(party.representative_name)
        if party.representative is not None:
            names |= _both_orders(party.representative.first_name, party.representative.last_name)
    people = Q(memberships__organisation__in=[party.organisation_id for party in parties])
    if activities is not None:
        people |= Q(activities__in=activities.values("pk"))
    for first_name, last_name in (
        Person.objects.filter(people).order_by().distinct().values_list("first_name", "last_name")
    ):
        names |= _both_orders(first_name, last_name)
    names |= set(convention.signatories.values_list("name", flat=True))
    names |= set(CorrectiveAction.objects.filter(convention=convention).values_list("owner_name", flat=True))
    if meeting is not None:
        for name, stand_in in Attendance.objects.filter(meeting=meeting).values_list("name", "represented_by"):
            names |= {name, stand_in}
    return normalise_names(names)
