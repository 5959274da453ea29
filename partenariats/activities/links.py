"""Recording links (liens de saisie): a coordinator sends a volunteer without an account a link
to record one activity for their organisation under one convention.

The link is a ``RecordingLink`` row; its secret is a django-sesame token for the link's guest
account, scoped to the link (``link.scope``), and is never stored: it is computed when the
e-mail is sent and checked on each visit. The row alone says whether the link may still serve:
not expired, not used, not revoked. The guest account has no role and no usable password, so
the token opens this one form and nothing else; nobody is ever logged in through it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from sesame.tokens import parse_token
from sesame.utils import get_token

from partenariats.accounts.models import User
from partenariats.activities.models import Action, Activity, RecordingLink
from partenariats.activities.services import ActivityInput, ContributionInput, GroupInput, save_activity
from partenariats.conventions.models import Convention, Party, PartySide, TermStart
from partenariats.core.school_year import SchoolYear
from partenariats.directory.models import Organisation, OrganisationKind, Person

DEFAULT_VALIDITY_DAYS = 14
MAX_VALIDITY_DAYS = 60


class LinkState(models.TextChoices):
    USABLE = "usable", "Valide"
    USED = "used", "Utilisé"
    REVOKED = "revoked", "Révoqué"
    EXPIRED = "expired", "Expiré"


class LinkUnusable(Exception):
    """The link was used, revoked or expired between the page and the recording."""

    def __init__(self, state: LinkState):
        super().__init__(state.label)
        self.state = state


def state_of(link: RecordingLink, now: datetime | None = None) -> LinkState:
    """Used first (it did its job), then revoked, then expired."""
    now = now or timezone.now()
    if link.used_at:
        return LinkState.USED
    if link.revoked_at:
        return LinkState.REVOKED
    if link.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.USABLE


# Who a link may be sent for -------------------------------------------------------------------


def usable_state(link: RecordingLink) -> LinkState:
    """``state_of``, and revoked as well once the link's organisation is no longer a party (nor a
    member of one) or the convention was archived: what the volunteer's page checks."""
    state = state_of(link)
    if state != LinkState.USABLE:
        return state
    convention_live = Convention.objects.filter(pk=link.convention_id, archived_at__isnull=True).exists()
    if not convention_live or not partner_organisations(link.convention).filter(pk=link.organisation_id).exists():
        return LinkState.REVOKED
    return state


def partner_organisations(convention: Convention) -> models.QuerySet[Organisation]:
    """The active organisations a link may be sent for: the parties not on the académie side,
    and the members of a federation (or chamber…) that is a party."""
    parties = Party.objects.filter(convention=convention).exclude(side=PartySide.EDUCATION).values("organisation")
    members = Organisation.members.through.objects.filter(from_organisation__in=parties).values("to_organisation")
    return Organisation.objects.filter(Q(pk__in=parties) | Q(pk__in=members), is_active=True).exclude(
        kind__in=[OrganisationKind.SCHOOL, OrganisationKind.ACADEMY_SERVICE]
    )


def current_actions(convention: Convention, today: date) -> models.QuerySet[Action]:
    """The actions of the convention's plan for the school year of ``today``."""
    return Action.objects.filter(plan__convention=convention, plan__school_year=SchoolYear.of(today).start_year)


def convention_start(convention: Convention) -> date | None:
    """The day the convention started: its fixed start date, else its last signature (None: unknown)."""
    if convention.start_mode == TermStart.FIXED_DATE and convention.start_date:
        return convention.start_date
    return convention.signature_date()[0]


def schools_for(convention: Convention) -> models.QuerySet[Organisation]:
    """The schools a volunteer may name: the active schools of the convention's académies."""
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL, is_active=True)
    academies = convention.academies.values("pk")
    return schools.filter(academy__in=academies) if academies.exists() else schools


# Sending ----------------------------------------------------------------------------------


def guest_for(email: str) -> User:
    """The account the token is signed for: the one with this e-mail address, else a new one with
    no usable password and no role (no role is ever granted here)."""
    email = User.objects.normalize_email(email).strip().lower()
    guest = User.objects.filter(email__iexact=email).first()
    if guest is None:
        return User.objects.create_user(email=email)
    if not guest.is_active:
        raise ValidationError("Le compte associé à cette adresse est désactivé : un lien ne pourrait pas servir.")
    return guest


@transaction.atomic
def create_link(
    *,
    convention: Convention,
    organisation: Organisation,
    email: str,
    by_user: User,
    person: Person | None = None,
    action: Action | None = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    message: str = "",
) -> RecordingLink:
    """Record the link and e-mail it to the volunteer once the transaction commits."""
    if not partner_organisations(convention).filter(pk=organisation.pk).exists():
        raise ValidationError("Cette organisation n’est pas partenaire de la convention.")
    if action is not None and action.plan.convention_id != convention.pk:
        raise ValidationError("Cette action n’est pas celle d’un plan de la convention.")
    if not 1 <= validity_days <= MAX_VALIDITY_DAYS:
        raise ValidationError(f"Un lien vaut de 1 à {MAX_VALIDITY_DAYS} jours.")
    link = RecordingLink.objects.create(
        convention=convention,
        organisation=organisation,
        person=person,
        email=email.strip().lower(),
        guest=guest_for(email),
        action=action,
        message=message,
        created_by=by_user,
        expires_at=timezone.now() + timedelta(days=validity_days),
    )
    transaction.on_commit(partial(send_link, link.pk))
    return link


def link_url(link: RecordingLink) -> str:
    """The absolute address of the link, with a fresh token (never stored)."""
    token = get_token(link.guest, scope=link.scope)
    return settings.SITE_URL + reverse("activities:record_by_link", kwargs={"link_pk": link.pk, "token": token})


def send_link(link_id: int) -> None:
    link = RecordingLink.objects.select_related("convention", "organisation", "created_by", "action", "guest").get(
        pk=link_id
    )
    context = {
        "site_title": settings.SITE_TITLE,
        "link": link,
        "url": link_url(link),
        "sender": link.created_by,
        "action": shown_action(link),
    }
    subject = " ".join(render_to_string("activities/emails/recording_link_subject.txt", context).split())
    body = render_to_string("activities/emails/recording_link_body.txt", context)
    reply_to = [link.created_by.email] if link.created_by else []
    EmailMessage(subject, body, to=[link.email], reply_to=reply_to).send()


def shown_action(link: RecordingLink) -> Action | None:
    """The action named to the volunteer: never a confidential one."""
    return link.action if link.action and not link.action.confidential else None


@transaction.atomic
def revoke_link(link: RecordingLink) -> bool:
    """Revoke a link not used yet; False when there was nothing to revoke."""
    return bool(
        RecordingLink.objects.filter(pk=link.pk, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


# Using ------------------------------------------------------------------------------------


def verified_link(link_pk: int, token: str) -> RecordingLink | None:
    """The link if ``token`` is a valid django-sesame token of its guest in its scope; None when
    the link does not exist or the token is forged, belongs to another link, or is too old."""
    link = (
        RecordingLink.objects.select_related("convention", "organisation", "person", "action__plan", "guest")
        .filter(pk=link_pk)
        .first()
    )
    if link is None:
        return None
    guest = link.guest

    def guest_only(user_pk):
        return guest if user_pk == guest.pk and guest.is_active else None

    return link if parse_token(token, guest_only, scope=link.scope) is not None else None


@dataclass
class LinkRecord:
    """What a volunteer says through the link's form."""

    kind: str
    title: str
    starts_on: date
    pupils: int = 0
    school: Organisation | None = None
    level: str = "other"
    class_name: str = ""
    professional_count: int = 1
    hours: Decimal = Decimal(0)
    prepared_with_pupils: bool = False
    exploited_afterwards: bool = False
    evaluation: str = ""


@transaction.atomic
def record_activity(link: RecordingLink, record: LinkRecord) -> Activity:
    """Save the volunteer's activity for the link's organisation, counted (confirmed: the
    coordinator's link stands for the confirmation) toward the link's convention and, when the
    activity falls in its plan's year, its action; then the link is spent. All or nothing."""
    locked = RecordingLink.objects.select_for_update(of=("self",)).select_related("action__plan").get(pk=link.pk)
    state = usable_state(locked)
    if state != LinkState.USABLE:
        raise LinkUnusable(state)
    activity = Activity(
        kind=record.kind,
        title=record.title,
        starts_on=record.starts_on,
        class_count=1 if record.class_name else 0,
        professional_count=record.professional_count,
        hours=record.hours,
        prepared_with_pupils=record.prepared_with_pupils,
        exploited_afterwards=record.exploited_afterwards,
        evaluation=record.evaluation,
        recorded_for=locked.organisation,
        recorded_via=locked,
    )
    groups = []
    if record.pupils or record.school:
        groups = [
            GroupInput(pupils=record.pupils, school=record.school, level=record.level, class_name=record.class_name)
        ]
    action = locked.action
    if action is not None and action.plan.school_year != SchoolYear.of(record.starts_on).start_year:
        action = None  # an action counts the activities of its own year only
    data = ActivityInput(
        groups=groups,
        organisations=[locked.organisation],
        volunteers=[locked.person] if locked.person_id else [],
        contributions=[ContributionInput(convention=locked.convention, action=action)],
    )
    save_activity(activity, data, by_user=None, confirm=True)
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    return activity


def recorded_activity_ids(links) -> dict[int, int]:
    """For links already used, the activity each recorded (one query)."""
    rows = Activity.objects.filter(recorded_via__in=[link.pk for link in links]).values_list("recorded_via", "pk")
    return dict(rows)
