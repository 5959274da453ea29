"""Distribution of a review or of a meeting's minutes: who receives which version, the sending,
and the personal link each recipient opens.

Recipients come from three channels, the most private first: the committee's current members
(the parties' version for a member who is staff of the party represented; an invited
expert, or a member the platform cannot tie to the party, gets the public one), the
networks of the parties (a federation, a chamber… relays to its member organisations: the
public version only, and only for an approved review), and addresses typed by the coordinator
(the public version). An address reached by several channels receives one mail, through the
most private one. Each recipient has a personal key: only its SHA-256 is stored, the clear key
exists in memory until its mail is sent (after the commit), then only in that mail.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Assignment, Role, User
from partenariats.conventions.models import Convention, PartySide
from partenariats.directory.models import Membership, Organisation, OrganisationKind, Person
from partenariats.steering.models import (
    Channel,
    CommitteeMember,
    Distribution,
    DocumentKind,
    Meeting,
    MeetingStatus,
    Recipient,
    Rendering,
    RenderStatus,
    Review,
    Variant,
)
from partenariats.steering.renderings import RenderingRefused, request_rendering

logger = logging.getLogger(__name__)

LINK_VALIDITY = timedelta(days=365)
MAX_EXTRA_ADDRESSES = 200
# The same document sent again to the same addresses this soon is a double click: refused.
RESEND_GUARD = timedelta(minutes=10)
# The rank of a channel: an address reached twice keeps the most private one.
CHANNEL_RANK = {Channel.MEMBER: 0, Channel.RELAY: 1, Channel.OTHER: 2}


class DistributionRefused(Exception):
    """The sending cannot be done as asked; the message says why, in French."""


class DocumentNotReady(DistributionRefused):
    """The document to send is still being generated: nothing was sent, try again shortly."""

    def __init__(self, rendering: Rendering):
        super().__init__("Le document est en cours de génération, réessayez dans un instant.")
        self.rendering = rendering


class AlreadySent(DistributionRefused):
    """The same document went to the same recipients a moment ago (a double click): not again."""

    def __init__(self, distribution: Distribution):
        sent_at = timezone.localtime(distribution.sent_at)
        super().__init__(
            f"Ce document vient d’être diffusé aux mêmes destinataires (envoi du {sent_at:%d/%m/%Y} à "
            f"{sent_at:%H:%M}) : il n’est pas renvoyé. Consultez cet envoi ci-dessus."
        )
        self.distribution = distribution


@dataclass(frozen=True)
class PlannedRecipient:
    """One address a sending would reach, through which channel, with which version."""

    email: str
    channel: Channel
    variant: Variant
    name: str = ""
    person: Person | None = None
    organisation: Organisation | None = None
    relayed_by: Organisation | None = None
    # Why a member receives the public version (shown in the preview); empty otherwise.
    reason: str = ""

    @property
    def address_key(self) -> str:
        return self.email.strip().lower()


# Who receives what -------------------------------------------------------------------------


PUBLIC_NOT_STAFF = "version publique : n’est pas rattaché·e à la partie"
PUBLIC_EXPERT = "version publique : expert·e invité·e, ne représente aucune partie"


def party_staff_pairs(convention: Convention, members: list[CommitteeMember]) -> set[tuple[int, int]]:
    """The (person, party) pairs where the member is staff of the party, as the directory and the
    accounts know it: a current membership of the party's organisation, or an active account
    assigned to that organisation, or, for the education side, académie staff of one of the
    convention's académies (an account, or a membership of one of its services: DAFPIC, DAET,
    rectorat). Three queries, whatever the number of members."""
    people = {member.person_id for member in members if member.party_id}
    if not people:
        return set()
    parties = list(convention.parties.all())
    academies = set(convention.academies.values_list("pk", flat=True))
    employers: dict[int, set[int]] = {}
    academy_staff: set[int] = set()
    for person_id, organisation_id, kind, academy_id in Membership.objects.filter(
        person__in=people, ended_on__isnull=True
    ).values_list("person_id", "organisation_id", "organisation__kind", "organisation__academy_id"):
        employers.setdefault(person_id, set()).add(organisation_id)
        # A DAFPIC, a DAET or a rectorat of one of the convention's académies: the académie's staff.
        if kind == OrganisationKind.ACADEMY_SERVICE and academy_id in academies:
            academy_staff.add(person_id)
    for person_id, organisation_id, academy_id, role in Assignment.objects.filter(
        user__person__in=people, user__is_active=True, user__deactivated_at__isnull=True
    ).values_list("user__person_id", "organisation_id", "academy_id", "role"):
        if organisation_id:
            employers.setdefault(person_id, set()).add(organisation_id)
        if role == Role.ACADEMY_STAFF and academy_id in academies:
            academy_staff.add(person_id)
    pairs = set()
    for person_id in people:
        for party in parties:
            if party.organisation_id in employers.get(person_id, ()) or (
                party.side == PartySide.EDUCATION and person_id in academy_staff
            ):
                pairs.add((person_id, party.pk))
    return pairs


def member_recipients(convention: Convention) -> list[PlannedRecipient]:
    """The committee's current members who have an e-mail address: the parties' version for a
    member who is staff of the party they represent (``party_staff_pairs``), the public one for
    the others (an invited expert, a representative the platform cannot tie to the party)."""
    members = list(
        CommitteeMember.objects.filter(convention=convention, ended_on__isnull=True, person__is_active=True)
        .exclude(person__email="")
        .select_related("person", "party__organisation")
    )
    staff = party_staff_pairs(convention, members)
    planned = []
    for member in members:
        if member.party_id is None:
            variant, reason = Variant.PUBLIC, PUBLIC_EXPERT
        elif (member.person_id, member.party_id) in staff:
            variant, reason = Variant.FULL, ""
        else:
            variant, reason = Variant.PUBLIC, PUBLIC_NOT_STAFF
        planned.append(
            PlannedRecipient(
                email=member.person.email,
                channel=Channel.MEMBER,
                variant=variant,
                name=member.person.full_name,
                person=member.person,
                organisation=member.party.organisation if member.party_id else None,
                reason=reason,
            )
        )
    return planned


def relay_recipients(convention: Convention) -> list[PlannedRecipient]:
    """The networks of the parties: for each party whose organisation has members (a federation,
    a chamber…), each active member's current contacts with an e-mail address, or failing any,
    the member's generic address. The public version only."""
    parties = list(convention.parties.select_related("organisation"))
    links = (
        Organisation.members.through.objects.filter(
            from_organisation__in=[party.organisation_id for party in parties], to_organisation__is_active=True
        )
        .select_related("to_organisation")
        .order_by("to_organisation__name", "to_organisation__pk")
    )
    members_of: dict[int, list[Organisation]] = {}
    for link in links:
        members_of.setdefault(link.from_organisation_id, []).append(link.to_organisation)
    contacts_of: dict[int, list[Person]] = {}
    memberships = (
        Membership.objects.filter(
            organisation__in=[member.pk for members in members_of.values() for member in members],
            ended_on__isnull=True,
            person__is_active=True,
        )
        .exclude(person__email="")
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__pk")
    )
    for membership in memberships:
        contacts = contacts_of.setdefault(membership.organisation_id, [])
        if membership.person not in contacts:  # one person, several roles in the same organisation
            contacts.append(membership.person)

    planned: list[PlannedRecipient] = []
    for party in parties:
        federation = party.organisation
        for member in members_of.get(federation.pk, []):
            contacts = contacts_of.get(member.pk, [])
            planned += [
                PlannedRecipient(
                    email=person.email,
                    channel=Channel.RELAY,
                    variant=Variant.PUBLIC,
                    name=person.full_name,
                    person=person,
                    organisation=member,
                    relayed_by=federation,
                )
                for person in contacts
            ]
            if not contacts and member.email:
                planned.append(
                    PlannedRecipient(
                        email=member.email,
                        channel=Channel.RELAY,
                        variant=Variant.PUBLIC,
                        name=member.name,
                        organisation=member,
                        relayed_by=federation,
                    )
                )
    return planned


def other_recipients(addresses: Iterable[str]) -> list[PlannedRecipient]:
    """Addresses typed by the coordinator (already validated by the form): the public version."""
    return [PlannedRecipient(email=address, channel=Channel.OTHER, variant=Variant.PUBLIC) for address in addresses]


def collapse(planned: Iterable[PlannedRecipient]) -> list[PlannedRecipient]:
    """One recipient per address (case-insensitive), through its most private channel; the first
    one met within a channel. Members first, then the networks, then the other addresses."""
    kept: dict[str, PlannedRecipient] = {}
    for recipient in planned:
        known = kept.get(recipient.address_key)
        if known is None or CHANNEL_RANK[recipient.channel] < CHANNEL_RANK[known.channel]:
            kept[recipient.address_key] = recipient
    return sorted(kept.values(), key=lambda recipient: CHANNEL_RANK[recipient.channel])


def may_relay(review: Review) -> bool:
    """Only an approved review goes beyond the committee."""
    return review.is_approved


def review_recipients(review: Review, *, relay: bool = False, extra: Iterable[str] = ()) -> list[PlannedRecipient]:
    """Who a review would be sent to: a draft to the committee members alone."""
    planned = member_recipients(review.convention)
    if may_relay(review):
        if relay:
            planned += relay_recipients(review.convention)
        planned += other_recipients(extra)
    return collapse(planned)


def minutes_recipients(meeting: Meeting, *, extra: Iterable[str] = ()) -> list[PlannedRecipient]:
    """Who a meeting's minutes would be sent to: the committee members and the typed addresses."""
    return collapse(member_recipients(meeting.convention) + other_recipients(extra))


# Subjects and file names --------------------------------------------------------------------


def review_subject(review: Review) -> str:
    label = "Bilan annuel" if review.is_approved else "Projet de bilan annuel"
    return _subject(f"{label} {review.year.label}", review.convention)


def minutes_subject(meeting: Meeting) -> str:
    when = f" du {timezone.localtime(meeting.starts_at):%d/%m/%Y}" if meeting.starts_at else ""
    return _subject(f"Compte rendu du comité de pilotage{when}", meeting.convention)


def _subject(what: str, convention: Convention) -> str:
    subject = f"{what} – {convention.title}"
    return subject if len(subject) <= 255 else subject[:254] + "…"


_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(recipient: Recipient) -> str:
    """The PDF's French file name: the mail's subject, and whether it is the public version."""
    base = _UNSAFE_IN_FILENAME.sub(" ", recipient.distribution.subject)
    if recipient.variant == Variant.PUBLIC:
        base += " (version publique)"
    base = " ".join(base.split())[:150].rstrip()
    return f"{base}.pdf"


# Sending ------------------------------------------------------------------------------------


def ready_renderings(
    user: User, variants: Iterable[Variant], *, review: Review | None = None, meeting: Meeting | None = None
) -> dict[Variant, Rendering]:
    """The PDF of each version, generated. Each is asked for first (one already made from the same
    content is handed back), so that all are on their way; then one not ready yet refuses."""
    renderings = {}
    for variant in sorted(set(variants)):
        try:
            rendering = request_rendering(user, review=review, meeting=meeting, variant=variant, file_format="pdf")
        except RenderingRefused as refused:
            raise DistributionRefused(str(refused)) from refused
        rendering.refresh_from_db()  # a task run in-process may have finished it meanwhile
        renderings[variant] = rendering
    for rendering in renderings.values():
        if rendering.status == RenderStatus.FAILED:
            raise DistributionRefused(
                "La génération du document a échoué : relancez-la depuis la page du document, puis diffusez-le."
            )
        if rendering.status != RenderStatus.DONE or not rendering.file:
            raise DocumentNotReady(rendering)
    return renderings


def send_review(
    review: Review, *, by_user: User, relay: bool = False, extra: Iterable[str] = (), message: str = ""
) -> Distribution:
    """Send a review: an approved one to the members, the networks if asked and the typed
    addresses; a draft (« projet ») to the committee members only."""
    extra = list(extra)
    if not may_relay(review) and (relay or extra):
        raise DistributionRefused(
            "Un projet de bilan n’est adressé qu’aux membres du comité : il sera relayé aux réseaux "
            "et à d’autres destinataires une fois approuvé."
        )
    planned = review_recipients(review, relay=relay, extra=extra)
    return _send(
        planned,
        by_user=by_user,
        convention=review.convention,
        subject=review_subject(review),
        message=message,
        target={"document": DocumentKind.REVIEW, "review": review},
    )


def send_minutes(meeting: Meeting, *, by_user: User, extra: Iterable[str] = (), message: str = "") -> Distribution:
    """Send a held meeting's minutes to the committee members and the typed addresses."""
    if meeting.status != MeetingStatus.HELD:
        raise DistributionRefused("Le compte rendu se diffuse une fois la réunion tenue.")
    planned = minutes_recipients(meeting, extra=extra)
    return _send(
        planned,
        by_user=by_user,
        convention=meeting.convention,
        subject=minutes_subject(meeting),
        message=message,
        target={"document": DocumentKind.MINUTES, "meeting": meeting},
    )


def _send(
    planned: list[PlannedRecipient],
    *,
    by_user: User,
    convention: Convention,
    subject: str,
    message: str,
    target: dict,
) -> Distribution:
    if not planned:
        raise DistributionRefused(
            "Aucun destinataire : aucun membre du comité n’a d’adresse électronique "
            "et aucune autre adresse n’est saisie."
        )
    # The documents are asked for outside the sending's transaction: a refusal (still being
    # generated) must not roll back the request that gets them generated.
    of = {"review": target.get("review"), "meeting": target.get("meeting")}
    renderings = ready_renderings(by_user, {p.variant for p in planned}, **of)
    return _record(
        planned, renderings, by_user=by_user, convention=convention, subject=subject, message=message, target=target
    )


@transaction.atomic
def _record(
    planned: list[PlannedRecipient],
    renderings: dict[str, Rendering],
    *,
    by_user: User,
    convention: Convention,
    subject: str,
    message: str,
    target: dict,
) -> Distribution:
    """The distribution and its recipients, each with a fresh key; the mails go after the commit."""
    review, meeting = target.get("review"), target.get("meeting")
    if (
        review is not None
        and not Review.objects.select_for_update().filter(pk=review.pk, status=review.status).exists()
    ):
        # Approved meanwhile: the subject, the recipients and the documents were those of the draft.
        raise DistributionRefused("Le bilan vient de changer d’état : rechargez la page avant de le diffuser.")
    if meeting is not None:
        list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True))
    # Under the lock of the review or meeting row: a second click waits for the first, then sees it.
    if previous := _same_sending(target, {p.address_key for p in planned}):
        raise AlreadySent(previous)
    distribution = Distribution.objects.create(
        convention=convention, subject=subject, message=message.strip(), sent_by=by_user, **target
    )
    expires_at = timezone.now() + LINK_VALIDITY
    keys: dict[str, str] = {}
    recipients = []
    for planned_recipient in planned:
        key = Recipient.new_key()
        key_hash = Recipient.hash_key(key)
        keys[key_hash] = key
        recipients.append(
            Recipient(
                distribution=distribution,
                channel=planned_recipient.channel,
                variant=planned_recipient.variant,
                email=planned_recipient.email.strip(),
                name=planned_recipient.name[:200],
                person=planned_recipient.person,
                organisation=planned_recipient.organisation,
                relayed_by=planned_recipient.relayed_by,
                rendering=renderings[planned_recipient.variant],
                key_hash=key_hash,
                expires_at=expires_at,
            )
        )
    Recipient.objects.bulk_create(recipients)
    transaction.on_commit(partial(deliver, distribution.pk, keys))
    return distribution


def _same_sending(target: dict, addresses: set[str]) -> Distribution | None:
    """The sending of the same document to the same addresses within ``RESEND_GUARD``, if any."""
    recent = Distribution.objects.filter(
        document=target["document"],
        review=target.get("review"),
        meeting=target.get("meeting"),
        sent_at__gte=timezone.now() - RESEND_GUARD,
    ).order_by("sent_at", "pk")
    for previous in recent:
        sent_to = {email.strip().lower() for email in previous.recipients.values_list("email", flat=True)}
        if sent_to == addresses:
            return previous
    return None


@transaction.atomic
def resend_failed(distribution: Distribution) -> int:
    """Send again to the recipients whose mail failed, each with a new personal key (the former
    one was never received; only its hash was stored). The mails go after the commit. Returns
    how many are sent again."""
    locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
    failed = list(locked.recipients.filter(failed=True).values_list("pk", flat=True))
    if not failed:
        raise DistributionRefused("Aucun envoi en échec à renvoyer.")
    expires_at = timezone.now() + LINK_VALIDITY
    keys: dict[str, str] = {}
    for pk in failed:
        key = Recipient.new_key()
        key_hash = Recipient.hash_key(key)
        keys[key_hash] = key
        Recipient.objects.filter(pk=pk).update(key_hash=key_hash, failed=False, sent_at=None, expires_at=expires_at)
    transaction.on_commit(partial(deliver, locked.pk, keys))
    return len(failed)


def link_url(key: str) -> str:
    return settings.SITE_URL + reverse("steering:distribution_link", kwargs={"key": key})


def deliver(distribution_id: int, keys: dict[str, str]) -> None:
    """One mail per recipient not sent yet; a failure is recorded on the recipient (and logged,
    without the key), the others still go."""
    distribution = Distribution.objects.select_related("convention", "sent_by", "review", "meeting").get(
        pk=distribution_id
    )
    pending = distribution.recipients.filter(sent_at__isnull=True, failed=False).select_related("relayed_by")
    connection = get_connection()
    for recipient in pending:
        key = keys.get(recipient.key_hash)
        if key is None:  # the key was never known here: it cannot be sent
            continue
        try:
            _mail(distribution, recipient, key, connection).send()
        except Exception:  # any transport error: record it, send the others
            logger.exception(
                "Distribution mail failed", extra={"distribution_id": distribution.pk, "recipient_id": recipient.pk}
            )
            Recipient.objects.filter(pk=recipient.pk).update(failed=True)
        else:
            Recipient.objects.filter(pk=recipient.pk).update(sent_at=timezone.now())


def _mail(distribution: Distribution, recipient: Recipient, key: str, connection) -> EmailMessage:
    sender = distribution.sent_by
    context = {
        "site_title": settings.SITE_TITLE,
        "distribution": distribution,
        "convention": distribution.convention,
        "review": distribution.review,
        "meeting": distribution.meeting,
        "recipient": recipient,
        "public": recipient.variant == Variant.PUBLIC,
        "sender": sender,
        "url": link_url(key),
    }
    body = render_to_string("steering/emails/distribution_body.txt", context)
    reply_to = [sender.email] if sender and sender.email else []
    return EmailMessage(distribution.subject, body, to=[recipient.email], reply_to=reply_to, connection=connection)


# The personal link --------------------------------------------------------------------------


def recipient_for_key(key: str, now: datetime | None = None) -> Recipient | None:
    """The recipient whose personal key this is, while the link is valid, the convention not
    archived and the document generated; None otherwise (unknown, forged or expired key)."""
    if not key or len(key) > 128:
        return None
    now = now or timezone.now()
    return (
        Recipient.objects.select_related("distribution__convention", "rendering")
        .filter(
            key_hash=Recipient.hash_key(key),
            expires_at__gt=now,
            distribution__convention__archived_at__isnull=True,
            rendering__status=RenderStatus.DONE,
        )
        .exclude(rendering__file="")
        .first()
    )


@transaction.atomic
def record_opening(recipient: Recipient, now: datetime | None = None) -> None:
    """Count one more opening, and keep the first one's time (one UPDATE: two openings at once
    both count)."""
    now = now or timezone.now()
    Recipient.objects.filter(pk=recipient.pk).update(
        open_count=F("open_count") + 1,
        first_opened_at=Coalesce(F("first_opened_at"), Value(now, output_field=models.DateTimeField())),
    )


# What the pages show --------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionSummary:
    distribution: Distribution
    recipients: int
    sent: int
    failed: int
    opened: int


def summaries(distributions: models.QuerySet[Distribution]) -> list[DistributionSummary]:
    """Each distribution with its counts of recipients, mails sent, failures and links opened."""
    rows = distributions.select_related("sent_by").annotate(
        recipient_count=models.Count("recipients"),
        sent_count=models.Count("recipients", filter=models.Q(recipients__sent_at__isnull=False)),
        failed_count=models.Count("recipients", filter=models.Q(recipients__failed=True)),
        opened_count=models.Count("recipients", filter=models.Q(recipients__open_count__gt=0)),
    )
    return [
        DistributionSummary(row, row.recipient_count, row.sent_count, row.failed_count, row.opened_count)
        for row in rows
    ]


@dataclass(frozen=True)
class ChannelCount:
    channel: Channel
    recipients: int
    sent: int
    opened: int


def counts_by_channel(distribution: Distribution) -> list[ChannelCount]:
    """How many recipients each channel reached, were mailed and opened their link (no address)."""
    rows = (
        distribution.recipients.order_by()
        .values("channel")
        .annotate(
            total=models.Count("pk"),
            sent=models.Count("pk", filter=models.Q(sent_at__isnull=False)),
            opened=models.Count("pk", filter=models.Q(open_count__gt=0)),
        )
    )
    found = {row["channel"]: row for row in rows}
    return [
        ChannelCount(Channel(channel), found[channel]["total"], found[channel]["sent"], found[channel]["opened"])
        for channel in sorted(found, key=lambda channel: CHANNEL_RANK[Channel(channel)])
    ]
