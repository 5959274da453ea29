"""Factories of the steering committee and its reviews."""

import factory

from partenariats.steering.models import (
    CommitteeMember,
    CorrectiveAction,
    Decision,
    Meeting,
    MeetingKind,
    MemberRole,
    Review,
)
from tests.factories import ConventionFactory, PersonFactory


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    convention = factory.SubFactory(ConventionFactory, signed=True)
    person = factory.SubFactory(PersonFactory)
    role = MemberRole.REPRESENTATIVE


class MeetingFactory(factory.django.DjangoModelFactory):
    """The yearly committee reviewing 2025–2026, not yet scheduled."""

    class Meta:
        model = Meeting

    convention = factory.SubFactory(ConventionFactory, signed=True)
    kind = MeetingKind.YEARLY
    school_year = 2025


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Le comité adopte la proposition {n}.")


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CorrectiveAction

    meeting = factory.SubFactory(MeetingFactory)
    convention = factory.SelfAttribute("meeting.convention")
    title = factory.Sequence(lambda n: f"Relancer les établissements du bassin (action corrective {n})")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    convention = factory.SubFactory(ConventionFactory, signed=True)
    school_year = 2025
