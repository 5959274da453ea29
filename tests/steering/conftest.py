"""A convention's year, recorded: the world the steering committee's tests review.

``cycle`` is a framework convention of Aix-Marseille (signed 18 March 2021) between a rectorat
and a federation whose members are two companies, with:

- a committee: the two parties' representatives (with e-mail and telephone), the académie's
  coordinator (all three working for their party) and an invited expert;
- the 2025–2026 plan, adopted, with three axes (articles): action 1 « Visites d’entreprise »
  (targets: 10 visits, 300 pupil participations), action 2 « Interventions en classe »
  (target: 5 talks; nothing done), action 3, confidential (target: 2 events; one done);
- commitments: the federation's public one (served by action 1), the rectorat's public one
  (explicit target of 4 events for 2025), a confidential one of the federation;
- activities of 2025–2026 counted toward the convention: 12 company visits of 25 pupils each
  (4 of them from a REP school, so 100 of 300 participations in éducation prioritaire), a
  teacher immersion with a qualitative evaluation, and a confidential visit whose evaluation
  names a person with her e-mail and telephone;
- the 2026–2027 plan, adopted on 2 July 2026, with one action.
"""

import datetime
from types import SimpleNamespace

import pytest

from partenariats.activities.models import ActivityKind, CommitmentTarget, Metric, PlanStatus
from partenariats.conventions.models import Article
from partenariats.directory.models import PriorityEducation
from partenariats.steering.models import MemberRole
from tests.factories import (
    ActionFactory,
    ActionTargetFactory,
    ActivityFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    academy,
)
from tests.steering.factories import CommitteeMemberFactory

SECRET_EMAIL = "claire.secrete@example.invalid"
SECRET_PHONE = "06 12 34 56 78"
SECRET_TEXT = "Engagement confidentiel : financer des bourses"


@pytest.fixture
def cycle(db):
    aix = academy("Aix-Marseille")
    convention = ConventionFactory(signed=True, academy=aix, title="Convention Rectorat – Fédération Exemple")
    education = convention.parties.get(side="education")
    federation = convention.parties.get(side="partner")
    members = [OrganisationFactory(company=True, academy=aix, name=f"Adhérent Exemple {n}") for n in (1, 2)]
    federation.organisation.members.set(members)
    rep_school = OrganisationFactory(school=True, academy=aix, priority_education=PriorityEducation.REP)
    school = OrganisationFactory(school=True, academy=aix)

    axes = [
        Article.objects.create(convention=convention, number=str(n), heading=heading, position=n)
        for n, heading in enumerate(("Découverte des métiers", "Interventions en classe", "Formation"), start=2)
    ]
    public_commitment = CommitmentFactory(
        convention=convention, party=federation, article=axes[0], text="Ouvrir les entreprises adhérentes aux classes"
    )
    education_commitment = CommitmentFactory(
        convention=convention, party=education, article=axes[1], text="Mobiliser les professeurs principaux"
    )
    secret_commitment = CommitmentFactory(convention=convention, party=federation, text=SECRET_TEXT, confidential=True)
    CommitmentTarget.objects.create(commitment=education_commitment, school_year=2025, metric=Metric.EVENTS, value=4)

    plan = PlanFactory(
        convention=convention, school_year=2025, status=PlanStatus.ADOPTED, adopted_on=datetime.date(2025, 7, 1)
    )
    visits = ActionFactory(
        plan=plan, number=1, title="Visites d’entreprise", article=axes[0], commitments=[public_commitment]
    )
    ActionTargetFactory(action=visits, metric=Metric.EVENTS, value=10)
    ActionTargetFactory(action=visits, metric=Metric.PUPILS, value=300)
    talks = ActionFactory(plan=plan, number=2, title="Interventions en classe", article=axes[1])
    ActionTargetFactory(action=talks, metric=Metric.EVENTS, value=5)
    secret_action = ActionFactory(
        plan=plan, number=3, title="Action confidentielle", article=axes[2], confidential=True
    )
    ActionTargetFactory(action=secret_action, metric=Metric.EVENTS, value=2)

    for n in range(12):
        activity = ActivityFactory(
            title=f"Visite d’entreprise {n + 1}",
            starts_on=datetime.date(2025, 11, 3) + datetime.timedelta(days=7 * n),
            pupils=25,
            groups__school=rep_school if n < 4 else school,
            organisations=[members[n % 2]],
        )
        ContributionFactory(activity=activity, convention=convention, action=visits)
    immersion = ActivityFactory(
        kind=ActivityKind.TEACHER_IMMERSION,
        title="Immersion de professeurs principaux",
        starts_on=datetime.date(2026, 2, 10),
        teacher_count=8,
        evaluation="Les professeurs ont découvert les métiers de la logistique ; ils demandent une seconde journée.",
    )
    ContributionFactory(activity=immersion, convention=convention, commitment=education_commitment)
    secret_visit = ActivityFactory(
        title="Visite réservée",
        starts_on=datetime.date(2026, 3, 5),
        pupils=12,
        groups__school=school,
        confidential=True,
        evaluation=f"Contact : Claire Secrète, {SECRET_EMAIL}, {SECRET_PHONE}.",
    )
    ContributionFactory(activity=secret_visit, convention=convention, action=secret_action)

    next_plan = PlanFactory(
        convention=convention, school_year=2026, status=PlanStatus.ADOPTED, adopted_on=datetime.date(2026, 7, 2)
    )
    ActionFactory(plan=next_plan, number=1, title="Forum des métiers de l’industrie", article=axes[0])

    representative = PersonFactory(first_name="Mathilde", last_name="Exemple", phone="04 91 00 00 01")
    partner_rep = PersonFactory(first_name="Bruno", last_name="Exemple", phone="04 91 00 00 02")
    coordinator = PersonFactory(first_name="Nadia", last_name="Coordination")
    expert = PersonFactory(first_name="Paul", last_name="Expert", email="")
    # Each party's people work for it (the parties' version is theirs); the expert does not.
    for person, party in ((coordinator, education), (representative, education), (partner_rep, federation)):
        MembershipFactory(person=person, organisation=party.organisation)
    committee = [
        CommitteeMemberFactory(
            convention=convention, person=coordinator, party=education, role=MemberRole.COORDINATOR, title="DAFPIC"
        ),
        CommitteeMemberFactory(convention=convention, person=representative, party=education, position=1),
        CommitteeMemberFactory(convention=convention, person=partner_rep, party=federation, position=2),
        CommitteeMemberFactory(convention=convention, person=expert, role=MemberRole.EXPERT, position=3),
    ]
    return SimpleNamespace(
        convention=convention,
        education=education,
        federation=federation,
        federation_members=members,
        axes=axes,
        public_commitment=public_commitment,
        education_commitment=education_commitment,
        secret_commitment=secret_commitment,
        plan=plan,
        visits=visits,
        talks=talks,
        secret_action=secret_action,
        immersion=immersion,
        secret_visit=secret_visit,
        next_plan=next_plan,
        committee=committee,
        people=[coordinator, representative, partner_rep, expert],
    )


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    """Each test stores its generated documents in its own folder: the checks that no file is
    left behind must not see a file written at the same time by a test in another process."""
    settings.MEDIA_ROOT = tmp_path / "media"
