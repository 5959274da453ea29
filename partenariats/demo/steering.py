"""The demo's steering committees: two conventions of Aix-Marseille with a committee, one with a
year already run (the installation committee held, its decisions and corrective actions, the
review approved) and the next cycle left for the visitor to run; the other with its next
meeting convened at the partner's premises.

Created once: a convention that has committee members already is left alone. The dates come
from the terms engine's yearly committee deadlines, as the platform computes them.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone

from partenariats.accounts.models import User
from partenariats.activities.models import Plan
from partenariats.conventions.deadlines import STEERING_COMMITTEE, deadlines_of
from partenariats.conventions.models import Convention, PartySide
from partenariats.core.school_year import SchoolYear
from partenariats.demo.activities import demo_conventions
from partenariats.demo.constants import ACADEMY_STAFF_EMAIL
from partenariats.directory.models import Membership, Person
from partenariats.steering import meetings, reviews
from partenariats.steering.models import (
    Attendance,
    AttendanceStatus,
    CorrectiveStatus,
    Meeting,
    MeetingStatus,
    MemberRole,
)

PARIS = ZoneInfo("Europe/Paris")
# The demo conventions (by reference number) that have a committee: the first has a past year.
WITH_HISTORY = 13
CONVENED = 6

INVENTORY = (
    "Avant la signature, les deux parties travaillaient déjà ensemble dans trois bassins : "
    "visites d’entreprise pour des classes de 3e, interventions de chefs d’entreprise dans les "
    "lycées professionnels et un forum des métiers annuel.\n\n"
    "Ces actions reposaient sur quelques établissements et quelques entreprises fidèles ; la "
    "convention doit permettre de les étendre à l’ensemble de l’académie, en priorité vers les "
    "établissements de l’éducation prioritaire."
)
MINUTES = (
    "Le comité a examiné le bilan de l’année écoulée, établi à partir des activités "
    "enregistrées sur la plateforme. Les visites d’entreprise ont dépassé leur objectif ; les "
    "interventions en classe restent en deçà, faute de professionnels disponibles au premier "
    "trimestre.\n\n"
    "Les partenaires proposent de mieux répartir les interventions sur l’année et de mobiliser "
    "les adhérents de la fédération par un appel commun. Le plan de l’année suivante est adopté."
)
SECTIONS = {
    "introduction": (
        "Ce bilan rend compte de la première année pleine de mise en œuvre de la convention. "
        "Les chiffres sont ceux des activités enregistrées et rattachées à la convention."
    ),
    "faits-marquants": (
        "Le forum des métiers a réuni pour la première fois des entreprises de toutes les filières "
        "représentées par la fédération."
    ),
    "difficultes": (
        "Les interventions en classe se sont concentrées sur le second semestre ; plusieurs "
        "établissements n’ont pas trouvé d’intervenant pour le premier trimestre."
    ),
    "perspectives": (
        "Étendre les visites aux collèges de l’éducation prioritaire et proposer une journée "
        "d’immersion aux professeurs principaux."
    ),
}


def build_steering(today: datetime.date) -> None:
    conventions = demo_conventions()
    staff = User.objects.filter(email=ACADEMY_STAFF_EMAIL).first()
    for number in (WITH_HISTORY, CONVENED):
        convention = conventions.get(number)
        if convention is None or convention.committee_members.exists():
            continue
        _committee(convention, today)
        due_dates = [
            d.due_on
            for d in deadlines_of(
                convention,
                today,
                start=today - datetime.timedelta(days=800),
                end=today + datetime.timedelta(days=400),
                kinds=[STEERING_COMMITTEE],
            )
        ]
        if number == WITH_HISTORY:
            _past_year(convention, due_dates, staff, today)
        else:
            _convened(convention, due_dates, today)


def _first(people: Iterable[Person], taken: set[int]) -> Person | None:
    return next((person for person in people if person.pk not in taken), None)


def _committee(convention: Convention, today: datetime.date) -> None:
    """The coordinator (a DAFPIC or DAET person of the académie), each party's signatory and a
    correspondent of the partner."""
    taken: set[int] = set()
    academy = convention.academies.order_by("pk").first()
    coordinators = Person.objects.filter(
        memberships__organisation__academy=academy,
        memberships__organisation__acronym__in=["DAFPIC", "DAET"],
    ).order_by("pk")
    coordinator = _first(coordinators, taken)
    education = convention.parties.filter(side=PartySide.EDUCATION).order_by("position", "pk").first()
    if coordinator is not None:
        taken.add(coordinator.pk)
        meetings.save_member(
            convention,
            None,
            person=coordinator,
            party=education,
            role=MemberRole.COORDINATOR,
            title="DAFPIC",
            today=today,
        )
    for party in convention.parties.select_related("organisation").order_by("position", "pk"):
        signatory = convention.signatories.filter(party=party, person__isnull=False).select_related("person").first()
        staff = Person.objects.filter(
            memberships__organisation=party.organisation, memberships__ended_on__isnull=True
        ).order_by("pk")
        representative = signatory.person if signatory and signatory.person_id not in taken else _first(staff, taken)
        if representative is not None:
            taken.add(representative.pk)
            title = signatory.title if signatory else ""
            meetings.save_member(
                convention,
                None,
                person=representative,
                party=party,
                role=MemberRole.CHAIR if party.side == PartySide.EDUCATION else MemberRole.REPRESENTATIVE,
                title=title[:255],
                today=today,
            )
        if party.side == PartySide.PARTNER:
            correspondent = _first(staff, taken)
            if correspondent is not None:
                taken.add(correspondent.pk)
                membership = Membership.objects.filter(person=correspondent, organisation=party.organisation).first()
                meetings.save_member(
                    convention,
                    None,
                    person=correspondent,
                    party=party,
                    role=MemberRole.CORRESPONDENT,
                    title=membership.title if membership else "",
                    today=today,
                )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def _past_year(convention: Convention, due_dates: list[datetime.date], staff: User | None, today: datetime.date):
    """The installation committee of the year before last, held, and its approved review."""
    reviewed = SchoolYear.of(today).previous().previous()
    due_on = next(
        (d for d in due_dates if d < today and meetings.school_year_reviewed(d) == reviewed),
        None,
    )
    if due_on is None:
        return
    meeting = meetings.create_meeting(convention, due_on=due_on)
    day = due_on - datetime.timedelta(days=7)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    education = convention.parties.filter(side=PartySide.EDUCATION).select_related("organisation").first()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=_at(day, 14),
        ends_at=_at(day, 16, 30),
        place="Salle du conseil",
        host=education.organisation if education else None,
        status=MeetingStatus.HELD,
        invitations_sent_at=_at(day - datetime.timedelta(days=21), 9),
        inventory=INVENTORY,
        minutes=MINUTES,
    )
    meeting.refresh_from_db()
    for member in meetings.current_members(convention):
        status = AttendanceStatus.EXCUSED if member.role == MemberRole.CORRESPONDENT else AttendanceStatus.PRESENT
        Attendance.objects.create(meeting=meeting, member=member, status=status)
    meetings.add_decision(
        meeting,
        text=f"Le comité approuve le bilan de l’année {reviewed.label}.",
        adopted_plan=None,
        confidential=False,
        today=today,
    )
    next_plan = Plan.objects.filter(convention=convention, school_year=reviewed.start_year + 1).first()
    meetings.add_decision(
        meeting,
        text=f"Le comité adopte le plan de partenariat {reviewed.next().label}.",
        adopted_plan=next_plan,
        confidential=False,
        today=today,
    )
    partner = convention.parties.filter(side=PartySide.PARTNER).first()
    meetings.add_corrective(
        meeting,
        meetings.CorrectiveInput(
            title="Répartir les interventions en classe sur toute l’année",
            detail="Proposer aux établissements un calendrier d’interventions dès la rentrée.",
            owner_party=partner,
            owner_name="Correspondant·e de la fédération",
            due_on=day + datetime.timedelta(days=120),
            status=CorrectiveStatus.DONE,
        ),
        today=today,
    )
    meetings.add_corrective(
        meeting,
        meetings.CorrectiveInput(
            title="Atteindre les collèges de l’éducation prioritaire",
            detail="Identifier avec les bassins les collèges REP et REP+ qui n’ont encore reçu aucune visite.",
            owner_party=education,
            owner_name="DAFPIC",
            due_on=day + datetime.timedelta(days=300),
            status=CorrectiveStatus.IN_PROGRESS,
        ),
        today=today,
    )
    review = reviews.create_review(convention, reviewed, staff)
    for section in review.sections.all():
        if section.key in SECTIONS:
            reviews.update_section(
                review, section, text=SECTIONS[section.key], public=True, expected_version=None, user=staff
            )
    chosen = list(
        reviews.counted_activities(review).exclude(evaluation="").filter(confidential=False).order_by("starts_on")[:2]
    )
    reviews.set_highlights(
        review,
        [reviews.HighlightInput(activity, "Une action saluée par les établissements.") for activity in chosen],
        expected_version=None,
        user=staff,
    )
    reviews.approve(review, staff)


def _convened(convention: Convention, due_dates: list[datetime.date], today: datetime.date) -> None:
    """The next committee, convened at the partner's premises."""
    due_on = next((d for d in due_dates if d > today + datetime.timedelta(days=14)), None)
    if due_on is None:
        return
    meeting = meetings.create_meeting(convention, due_on=due_on)
    day = due_on - datetime.timedelta(days=3)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    partner = convention.parties.filter(side=PartySide.PARTNER).select_related("organisation").first()
    meetings.schedule_meeting(
        meeting,
        meetings.Schedule(
            starts_at=_at(day, 9, 30),
            ends_at=_at(day, 12),
            place="Salle des partenaires",
            host=partner.organisation if partner else None,
            agenda=meeting.agenda,
        ),
        expected_version=meeting.version,
        now=timezone.now(),
    )
