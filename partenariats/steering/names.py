"""The names of the people a convention knows, which its public documents leave out.

Committee members (both orders: « Prénom Nom », « Nom Prénom »), the parties' representatives and
the signatories; a meeting adds its guests and the people who stood in for a member.
"""

from partenariats.conventions.models import Convention
from partenariats.steering.models import Attendance, CommitteeMember, Meeting
from partenariats.steering.privacy import normalise_names


def known_names(convention: Convention, meeting: Meeting | None = None) -> tuple[str, ...]:
    """The names to scrub from the public free texts of ``convention`` (and of ``meeting``)."""
    names: set[str] = set()
    for member in CommitteeMember.objects.filter(convention=convention).select_related("person"):
        names.add(f"{member.person.first_name} {member.person.last_name}")
        names.add(f"{member.person.last_name} {member.person.first_name}")
    for party in convention.parties.select_related("representative"):
        names.add(party.representative_name)
        if party.representative is not None:
            names.add(f"{party.representative.first_name} {party.representative.last_name}")
            names.add(f"{party.representative.last_name} {party.representative.first_name}")
    names |= set(convention.signatories.values_list("name", flat=True))
    if meeting is not None:
        for name, stand_in in Attendance.objects.filter(meeting=meeting).values_list("name", "represented_by"):
            names |= {name, stand_in}
    return normalise_names(names)
