"""Distribution of a review or minutes: who receives which version, the sending, the personal link."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.directory.models import OrganisationKind
from partenariats.steering import distribution, reviews
from partenariats.steering.models import (
    Channel,
    Distribution,
    DocumentKind,
    MeetingStatus,
    Recipient,
    Rendering,
    RenderStatus,
    ReviewStatus,
    Variant,
)
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    academy,
)
from tests.steering.factories import CommitteeMemberFactory, MeetingFactory, ReviewFactory

pytestmark = pytest.mark.django_db

PDF = {Variant.FULL: b"%PDF-1.7 version des parties", Variant.PUBLIC: b"%PDF-1.7 version publique"}
LINK = re.compile(r"https?://[^\s]+/diffusion/([A-Za-z0-9_\-]+)/")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def documents(monkeypatch):
    """Generated PDFs, one per document and version, with recognisable bytes.

    Stands in for the documents helper's ``request_rendering`` (same call) until it lands;
    ``documents.pending`` makes every new request answer « queued »."""

    class Documents:
        pending = False
        calls: list = []

        def __call__(self, user, *, variant, file_format, review=None, meeting=None):
            self.calls.append((variant, file_format))
            target = review or meeting
            existing = Rendering.objects.filter(review=review, meeting=meeting, variant=variant).first()
            if existing:
                return existing
            rendering = Rendering(
                convention=target.convention,
                document=DocumentKind.REVIEW if review else DocumentKind.MINUTES,
                review=review,
                meeting=meeting,
                variant=variant,
                file_format=file_format,
                status=RenderStatus.QUEUED if self.pending else RenderStatus.DONE,
                requested_by=user,
            )
            if not self.pending:
                rendering.file.save("document.pdf", ContentFile(PDF[variant]), save=False)
            rendering.save()
            return rendering

    fake = Documents()
    monkeypatch.setattr(distribution, "request_rendering", fake)
    return fake


@pytest.fixture
def approved(cycle):
    return ReviewFactory(convention=cycle.convention, status=ReviewStatus.APPROVED, approved_at=timezone.now())


@pytest.fixture
def draft(cycle):
    return ReviewFactory(convention=cycle.convention)


@pytest.fixture
def network(cycle):
    """The federation's members: the first with two contacts (and a former one), the second
    with none but a generic address."""
    first, second = cycle.federation_members
    contacts = [
        MembershipFactory(
            organisation=first, person=PersonFactory(first_name="Alice", email="alice@adherent1.example")
        ),
        MembershipFactory(organisation=first, person=PersonFactory(first_name="Bob", email="bob@adherent1.example")),
    ]
    MembershipFactory(
        organisation=first,
        person=PersonFactory(first_name="Ancien", email="ancien@adherent1.example"),
        ended_on=datetime.date(2024, 1, 1),
    )
    second.email = "contact@adherent2.example"
    second.save()
    return contacts


@pytest.fixture
def federation_staff(cycle):
    """Staff of the federation, a party: reads the convention, may not send."""
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=cycle.federation.organisation)
    return user


@pytest.fixture
def confederation_staff(cycle):
    """Staff of a confederation the federation belongs to: reads the convention, is no party's staff."""
    confederation = OrganisationFactory(kind=OrganisationKind.EMPLOYER_ORG, name="Confédération Exemple")
    confederation.members.add(cycle.federation.organisation)
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=confederation)
    return user


def member_emails(cycle):
    return {person.email for person in cycle.people if person.email}


def distribute_url(review):
    return reverse("steering:review_distribute", args=[review.convention_id, review.school_year])


def send(client, url, **data):
    return client.post(url, {"action": "send", **data})


def keys_in_outbox():
    return {message.to[0]: LINK.search(message.body).group(1) for message in mail.outbox}


# Who receives what --------------------------------------------------------------------------


def test_members_with_an_address_get_the_parties_version_and_the_expert_without_one_nothing(cycle):
    planned = distribution.member_recipients(cycle.convention)

    assert {p.email for p in planned} == member_emails(cycle)
    assert {p.variant for p in planned} == {Variant.FULL}
    assert {p.channel for p in planned} == {Channel.MEMBER}
    assert "Paul Expert" not in {p.name for p in planned}


def test_an_invited_expert_with_an_address_gets_the_public_version(cycle):
    expert = cycle.committee[3].person
    expert.email = "paul.expert@example.invalid"
    expert.save()

    planned = {p.email: p for p in distribution.member_recipients(cycle.convention)}

    assert planned["paul.expert@example.invalid"].variant == Variant.PUBLIC


def test_a_member_who_left_the_committee_receives_nothing(cycle):
    leaving = cycle.committee[1]
    leaving.ended_on = datetime.date(2026, 1, 1)
    leaving.save()

    assert leaving.person.email not in {p.email for p in distribution.member_recipients(cycle.convention)}


def test_the_networks_are_the_members_current_contacts_or_their_generic_address(cycle, network):
    planned = distribution.relay_recipients(cycle.convention)

    assert [p.email for p in planned] == [
        "alice@adherent1.example",
        "bob@adherent1.example",
        "contact@adherent2.example",
    ]
    assert {p.channel for p in planned} == {Channel.RELAY}
    assert {p.variant for p in planned} == {Variant.PUBLIC}
    assert {p.relayed_by for p in planned} == {cycle.federation.organisation}
    assert [p.organisation for p in planned] == [*[cycle.federation_members[0]] * 2, cycle.federation_members[1]]


def test_an_address_reached_twice_gets_one_mail_through_the_most_private_channel(cycle, approved, network):
    partner_rep = cycle.people[2]
    MembershipFactory(organisation=cycle.federation_members[1], person=partner_rep)
    typed = [partner_rep.email.upper(), "alice@adherent1.example", "presse@example.org"]

    planned = distribution.review_recipients(approved, relay=True, extra=typed)

    by_email = {p.email.lower(): p for p in planned}
    assert len(planned) == len(by_email)
    assert by_email[partner_rep.email].channel == Channel.MEMBER
    assert by_email[partner_rep.email].variant == Variant.FULL
    assert by_email["alice@adherent1.example"].channel == Channel.RELAY
    assert by_email["presse@example.org"].channel == Channel.OTHER
    assert by_email["presse@example.org"].variant == Variant.PUBLIC
    # The second member organisation has a contact now (the member): its generic address is not used.
    assert "contact@adherent2.example" not in by_email


# Sending ------------------------------------------------------------------------------------


def test_sending_an_approved_review_mails_each_recipient_a_personal_link(
    client, academy_staff, cycle, approved, network, documents, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            distribute_url(approved),
            relay="on",
            extra_addresses="presse@example.org\n\n",
            message="Voici le bilan adopté le 12 juin.",
        )

    sent = Distribution.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("steering:distribution_detail", args=[cycle.convention.pk, sent.pk])
    recipients = {r.email: r for r in sent.recipients.all()}
    expected = member_emails(cycle) | {
        "alice@adherent1.example",
        "bob@adherent1.example",
        "contact@adherent2.example",
        "presse@example.org",
    }
    assert set(recipients) == expected
    assert len(mail.outbox) == len(expected)
    message = mail.outbox[0]
    assert message.subject == "Bilan annuel 2025–2026 – Convention Rectorat – Fédération Exemple"
    assert "Voici le bilan adopté le 12 juin." in message.body
    assert message.reply_to == [academy_staff.email]
    keys = keys_in_outbox()
    for email, key in keys.items():
        recipient = recipients[email]
        assert recipient.key_hash == Recipient.hash_key(key)  # only the hash is stored
        assert recipient.sent_at is not None
        assert recipient.expires_at.date() == (timezone.now() + datetime.timedelta(days=365)).date()
        assert recipient.rendering.variant == recipient.variant
    assert len(set(keys.values())) == len(keys)
    relayed = mail.outbox[[m.to[0] for m in mail.outbox].index("alice@adherent1.example")]
    assert "relaie ce document à ses adhérents, dont Adhérent Exemple 1" in relayed.body
    assert set(documents.calls) == {(Variant.FULL, "pdf"), (Variant.PUBLIC, "pdf")}


def test_a_draft_goes_to_the_committee_members_only_marked_projet(
    client, academy_staff, cycle, draft, network, documents, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    page = client.get(distribute_url(draft))
    assert "Relayer aux réseaux des parties" not in page.content.decode()
    assert "Autres destinataires" not in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        send(client, distribute_url(draft), relay="on", extra_addresses="presse@example.org")

    assert {m.to[0] for m in mail.outbox} == member_emails(cycle)
    assert mail.outbox[0].subject.startswith("Projet de bilan annuel 2025–2026")
    assert "projet" in mail.outbox[0].body


def test_a_draft_cannot_be_relayed_to_the_networks(cycle, draft, academy_staff, documents):
    with pytest.raises(distribution.DistributionRefused, match="projet de bilan"):
        distribution.send_review(draft, by_user=academy_staff, relay=True)

    assert not Distribution.objects.exists()


@pytest.mark.parametrize(
    "line",
    [
        "pas-une-adresse",
        "presse@example.org\nBcc: espion@example.net",
        "un@example.org, deux@example.org",
        "Nom <nom@example.org>",
        "presse@example.org\r\nSubject: piège",
    ],
)
def test_a_hostile_or_malformed_address_is_refused_and_nothing_is_sent(
    client, academy_staff, approved, documents, django_capture_on_commit_callbacks, line
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, distribute_url(approved), extra_addresses=f"ok@example.org\n{line}")

    assert response.status_code == 422
    assert "n’est pas une adresse électronique valide" in response.content.decode()
    assert "ok@example.org" in response.content.decode()  # what was typed is kept
    assert not Distribution.objects.exists()
    assert not Recipient.objects.exists()
    assert mail.outbox == []


def test_the_preview_lists_the_recipients_without_sending(client, academy_staff, cycle, approved, network, documents):
    client.force_login(academy_staff)

    response = client.post(distribute_url(approved), {"action": "preview", "relay": "on"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "alice@adherent1.example" in content
    assert "relayé par" in content
    assert not Distribution.objects.exists()
    assert documents.calls == []


def test_a_document_still_being_generated_is_not_sent(
    client, academy_staff, approved, documents, django_capture_on_commit_callbacks
):
    documents.pending = True
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, distribute_url(approved), message="Mon message")

    content = response.content.decode()
    assert response.status_code == 409
    assert "Le document est en cours de génération, réessayez dans un instant" in content
    assert "Mon message" in content
    rendering = Rendering.objects.first()
    assert reverse("steering:rendering_detail", args=[approved.convention_id, rendering.pk]) in content
    assert not Distribution.objects.exists()
    assert mail.outbox == []


def test_a_failed_mail_is_recorded_and_the_others_still_go(
    client, academy_staff, cycle, approved, documents, django_capture_on_commit_callbacks, monkeypatch
):
    unlucky = cycle.people[1].email
    original = mail.EmailMessage.send

    def flaky(message, *args, **kwargs):
        if message.to == [unlucky]:
            raise OSError("Connexion refusée")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, distribute_url(approved))

    sent = Distribution.objects.get()
    assert sent.recipients.get(email=unlucky).failed
    assert sent.recipients.get(email=unlucky).sent_at is None
    assert sent.recipients.filter(sent_at__isnull=False).count() == len(member_emails(cycle)) - 1
    assert len(mail.outbox) == len(member_emails(cycle)) - 1
    detail = client.get(response.url)
    assert "Échec de l’envoi" in detail.content.decode()
    assert "Renvoyer aux 1 destinataire en échec" in " ".join(detail.content.decode().split())
    old_hash = sent.recipients.get(email=unlucky).key_hash

    # The server is back: « Renvoyer » mails the failed one alone, with a new personal link.
    monkeypatch.setattr(mail.EmailMessage, "send", original)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(response.url, follow=True)
    assert "Courriel renvoyé à 1 destinataire, avec un nouveau lien." in again.content.decode()
    assert [message.to for message in mail.outbox] == [[unlucky]]
    retried = sent.recipients.get(email=unlucky)
    assert not retried.failed
    assert retried.sent_at is not None
    assert retried.key_hash != old_hash
    key = LINK.search(mail.outbox[0].body).group(1)
    assert Recipient.hash_key(key) == retried.key_hash


def test_minutes_are_sent_once_the_meeting_is_held(
    client, academy_staff, cycle, documents, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(convention=cycle.convention, status=MeetingStatus.SCHEDULED)
    url = reverse("steering:minutes_distribute", args=[cycle.convention.pk, meeting.pk])
    client.force_login(academy_staff)

    refused = send(client, url)
    assert "une fois la réunion tenue" in refused.content.decode()
    assert not Distribution.objects.exists()

    meeting.status = MeetingStatus.HELD
    meeting.starts_at = datetime.datetime(2026, 6, 12, 14, 0, tzinfo=datetime.UTC)
    meeting.save()
    assert "Relayer aux réseaux" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        send(client, url, extra_addresses="elu@example.org", relay="on")

    sent = Distribution.objects.get()
    assert sent.document == DocumentKind.MINUTES
    assert sent.meeting == meeting
    assert {r.email for r in sent.recipients.all()} == member_emails(cycle) | {"elu@example.org"}
    assert not sent.recipients.filter(channel=Channel.RELAY).exists()
    assert mail.outbox[0].subject == (
        "Compte rendu du comité de pilotage du 12/06/2026 – Convention Rectorat – Fédération Exemple"
    )
    # The page then lists that sending (its history has no review to read).
    again = client.get(url)
    assert again.status_code == 200


# The personal link ---------------------------------------------------------------------------


@pytest.fixture
def sent_review(client, academy_staff, approved, network, documents, django_capture_on_commit_callbacks):
    """An approved review sent to the committee and the networks; the keys by address."""
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, distribute_url(approved), relay="on")
    client.logout()
    return keys_in_outbox()


def link(key):
    return reverse("steering:distribution_link", args=[key])


def test_the_link_serves_the_pdf_of_the_recipients_version_without_login(client, cycle, sent_review):
    member = cycle.people[2].email

    response = client.get(link(sent_review[member]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "Bilan%20annuel%202025" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF[Variant.FULL]
    assert response["Referrer-Policy"] == "same-origin"

    relay = client.get(link(sent_review["alice@adherent1.example"]))
    assert b"".join(relay.streaming_content) == PDF[Variant.PUBLIC]
    assert "version%20publique" in relay["Content-Disposition"]


def test_each_opening_is_counted_and_the_first_one_kept(client, sent_review):
    key = sent_review["bob@adherent1.example"]
    client.get(link(key))
    recipient = Recipient.objects.get(email="bob@adherent1.example")
    first = recipient.first_opened_at

    client.get(link(key))

    recipient.refresh_from_db()
    assert recipient.open_count == 2
    assert recipient.first_opened_at == first is not None
    assert Recipient.objects.filter(open_count=0).count() == Recipient.objects.count() - 1


def test_an_unknown_key_is_a_french_404_and_is_not_logged(client, sent_review, caplog):
    forged = "x" * 43
    with caplog.at_level(logging.INFO):
        response = client.get(link(forged))

    assert response.status_code == 404
    assert "Ce lien n’est pas valable" in response.content.decode()
    assert forged not in caplog.text


def test_an_expired_link_is_a_404(client, sent_review):
    Recipient.objects.filter(email="bob@adherent1.example").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.get(link(sent_review["bob@adherent1.example"]))

    assert response.status_code == 404
    assert Recipient.objects.get(email="bob@adherent1.example").open_count == 0


def test_a_link_to_an_archived_convention_is_a_404(client, cycle, sent_review):
    cycle.convention.archived_at = timezone.now()
    cycle.convention.save()

    assert client.get(link(sent_review["bob@adherent1.example"])).status_code == 404


# Pages and access ------------------------------------------------------------------------------


def test_another_academys_staff_sees_nothing(client, colleague_elsewhere, cycle, approved):
    meeting = MeetingFactory(convention=cycle.convention, status=MeetingStatus.HELD)
    minutes_url = reverse("steering:minutes_distribute", args=[cycle.convention.pk, meeting.pk])
    client.force_login(colleague_elsewhere)

    for url in (distribute_url(approved), minutes_url):
        assert client.get(url).status_code == 404
        assert send(client, url).status_code == 404


@pytest.mark.parametrize("reader", ["observer", "federation_staff"])
def test_a_reader_who_may_not_send_sees_neither_the_recipients_nor_the_form(
    request, client, reader, cycle, approved, network, documents
):
    meeting = MeetingFactory(convention=cycle.convention, status=MeetingStatus.HELD)
    minutes_url = reverse("steering:minutes_distribute", args=[cycle.convention.pk, meeting.pk])
    client.force_login(request.getfixturevalue(reader))

    for url in (distribute_url(approved), minutes_url):
        page = client.get(url)
        assert page.status_code == 403
        assert "alice@adherent1.example" not in page.content.decode()
        assert client.get(url, {"relais": "1"}).status_code == 403
        assert send(client, url).status_code == 403
        assert client.post(url, {"action": "preview", "relay": "on"}).status_code == 403
    assert not Distribution.objects.exists()
    assert not documents.calls


@pytest.mark.parametrize("reader", ["confederation_staff", "federation_staff"])
def test_the_recipients_addresses_are_shown_to_the_editors_only(
    request, client, academy_staff, reader, cycle, sent_review
):
    sent = Distribution.objects.get()
    url = reverse("steering:distribution_detail", args=[cycle.convention.pk, sent.pk])
    client.force_login(academy_staff)
    staff_page = client.get(url).content.decode()
    assert "alice@adherent1.example" in staff_page
    assert "relayé par" in staff_page

    # A party's staff who may not send (the federation's) no more than another reader: counts only.
    client.force_login(request.getfixturevalue(reader))
    response = client.get(url)
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    for address in sent_review:
        assert address not in page
    assert "Pas encore ouvert" not in page
    assert f"{len(sent_review)} destinataires" in page
    assert "Membre du comité : 3 destinataires" in page
    assert "Réseau d’une partie (relais d’une fédération) : 3 destinataires" in page


def test_a_distribution_of_another_convention_is_a_404(client, academy_staff, cycle, sent_review):
    other = ReviewFactory(school_year=2024)
    client.force_login(academy_staff)
    sent = Distribution.objects.get()

    assert client.get(reverse("steering:distribution_detail", args=[other.convention_id, sent.pk])).status_code == 404


def test_the_review_block_offers_to_send_and_counts_the_openings(client, cycle, approved, sent_review):
    client.get(link(sent_review["bob@adherent1.example"]))
    client.get(link(sent_review["bob@adherent1.example"]))
    client.get(link(sent_review["alice@adherent1.example"]))
    context = {"convention": cycle.convention, "review": approved, "party_staff": True}

    for_editor = render_to_string("steering/includes/review_distribution.html", {**context, "can_edit": True})
    for_reader = render_to_string("steering/includes/review_distribution.html", {**context, "can_edit": False})

    assert distribute_url(approved) in for_editor
    assert distribute_url(approved) not in for_reader
    text = " ".join(for_reader.split())
    assert f"{len(sent_review)} destinataires, 2 ouverts" in text


def test_the_meeting_block_offers_to_send_held_minutes_only(cycle):
    meeting = MeetingFactory(convention=cycle.convention, status=MeetingStatus.SCHEDULED)
    context = {"convention": cycle.convention, "meeting": meeting, "can_edit": True, "party_staff": True}
    url = reverse("steering:minutes_distribute", args=[cycle.convention.pk, meeting.pk])

    assert url not in render_to_string("steering/includes/meeting_distribution.html", context)
    meeting.status = MeetingStatus.HELD
    rendered = render_to_string("steering/includes/meeting_distribution.html", context)
    assert url in rendered
    assert "Aucune diffusion pour le moment" in rendered


def test_a_committee_without_any_address_is_refused(academy_staff, documents):
    review = ReviewFactory(status=ReviewStatus.APPROVED)
    CommitteeMemberFactory(convention=review.convention, person=PersonFactory(email=""))

    with pytest.raises(distribution.DistributionRefused, match="Aucun destinataire"):
        distribution.send_review(review, by_user=academy_staff)


# With the real documents (the worker's PDF; about 6 s each) ------------------------------------


def test_the_links_open_the_real_pdf_of_each_version(
    client, academy_staff, cycle, network, django_capture_on_commit_callbacks
):
    # A review approved through the services: the real documents draw its frozen figures.
    approved = reviews.approve(reviews.create_review(cycle.convention, 2025, academy_staff), academy_staff)
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        first_try = send(client, distribute_url(approved), relay="on")
    # The documents did not exist: they are asked for, nothing is sent, the page says to wait.
    assert first_try.status_code == 409
    assert "en cours de génération" in first_try.content.decode()
    assert not Distribution.objects.exists()
    assert set(Rendering.objects.values_list("variant", "status")) == {
        (Variant.FULL, RenderStatus.DONE),
        (Variant.PUBLIC, RenderStatus.DONE),
    }
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, distribute_url(approved), relay="on").status_code == 302
    client.logout()

    keys = keys_in_outbox()
    full = Rendering.objects.get(variant=Variant.FULL)
    public = Rendering.objects.get(variant=Variant.PUBLIC)
    member = b"".join(client.get(link(keys[cycle.people[1].email])).streaming_content)
    relay = b"".join(client.get(link(keys["contact@adherent2.example"])).streaming_content)
    assert member.startswith(b"%PDF")
    assert member == full.file.open("rb").read()
    assert relay == public.file.open("rb").read()
    assert relay != member


def test_the_distribution_page_does_not_query_more_with_more_recipients(
    client, academy_staff, cycle, sent_review, django_assert_max_num_queries
):
    sent = Distribution.objects.get()
    url = reverse("steering:distribution_detail", args=[cycle.convention.pk, sent.pk])
    client.force_login(academy_staff)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    extra = sent.recipients.first()
    for n in range(10):
        extra.pk = None
        extra.email = f"autre{n}@example.org"
        extra.key_hash = Recipient.hash_key(f"cle-{n}")
        extra.save()

    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_a_draft_approved_meanwhile_is_not_sent_as_a_draft(cycle, draft, academy_staff, documents):
    ReviewFactory._meta.model.objects.filter(pk=draft.pk).update(status=ReviewStatus.APPROVED)

    with pytest.raises(distribution.DistributionRefused, match="vient de changer d’état"):
        distribution.send_review(draft, by_user=academy_staff)

    assert not Distribution.objects.exists()
    assert not Recipient.objects.exists()


# The parties' version to the parties' staff alone ----------------------------------------------


def test_a_representative_not_tied_to_the_party_gets_the_public_version_and_the_preview_says_why(
    client, academy_staff, cycle, approved, documents
):
    stranger = CommitteeMemberFactory(
        convention=cycle.convention,
        person=PersonFactory(first_name="Sans", last_name="Rattachement", email="sans.rattachement@example.org"),
        party=cycle.federation,
        position=5,
    )
    # An académie staff account of Aix-Marseille, with no directory membership: the education side's.
    rectorat_user = UserFactory(person=PersonFactory(email="agent@ac-exemple.example"))
    AssignmentFactory(user=rectorat_user, role=Role.ACADEMY_STAFF, academy=cycle.convention.academies.get())
    CommitteeMemberFactory(convention=cycle.convention, person=rectorat_user.person, party=cycle.education, position=6)

    variants = {p.email: (p.variant, p.reason) for p in distribution.member_recipients(cycle.convention)}

    assert variants[stranger.person.email] == (Variant.PUBLIC, distribution.PUBLIC_NOT_STAFF)
    assert variants["agent@ac-exemple.example"] == (Variant.FULL, "")
    assert variants[cycle.people[2].email] == (Variant.FULL, "")
    client.force_login(academy_staff)
    preview = " ".join(client.get(distribute_url(approved)).content.decode().split())
    assert "Version publique : n’est pas rattaché·e à la partie" in preview


def test_a_coordinator_working_for_the_academys_dafpic_gets_the_parties_version(cycle):
    """The education side is the académie: its services (DAFPIC, DAET) are its staff, even when
    the party named in the convention is the rectorat."""
    dafpic = OrganisationFactory(service=True, academy=cycle.convention.academies.get())
    coordinator = PersonFactory(first_name="Aline", last_name="Dafpic", email="aline.dafpic@example.org")
    MembershipFactory(person=coordinator, organisation=dafpic)
    CommitteeMemberFactory(convention=cycle.convention, person=coordinator, party=cycle.education, position=7)
    elsewhere = PersonFactory(first_name="Yves", last_name="Ailleurs", email="yves.ailleurs@example.org")
    MembershipFactory(person=elsewhere, organisation=OrganisationFactory(service=True, academy=academy("Nice")))
    CommitteeMemberFactory(convention=cycle.convention, person=elsewhere, party=cycle.education, position=8)

    variants = {p.email: p.variant for p in distribution.member_recipients(cycle.convention)}

    assert variants["aline.dafpic@example.org"] == Variant.FULL
    assert variants["yves.ailleurs@example.org"] == Variant.PUBLIC


def test_the_federations_representative_without_a_membership_gets_the_public_version(cycle):
    """A member for a party is not its staff because the committee says so: the directory must."""
    from partenariats.directory.models import Membership

    partner_rep = cycle.committee[2]
    Membership.objects.filter(person=partner_rep.person).update(ended_on=datetime.date(2026, 1, 1))

    variants = {p.email: p.variant for p in distribution.member_recipients(cycle.convention)}

    assert variants[partner_rep.person.email] == Variant.PUBLIC
    assert variants[cycle.people[0].email] == Variant.FULL


# A second click sends nothing more -----------------------------------------------------------------


def test_a_second_send_of_the_same_review_is_refused_and_points_to_the_first(
    client, academy_staff, cycle, approved, network, documents, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, distribute_url(approved), relay="on").status_code == 302
    mailed = len(mail.outbox)
    first = Distribution.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        again = send(client, distribute_url(approved), relay="on")

    assert again.status_code == 409
    page = again.content.decode()
    assert "vient d’être diffusé aux mêmes destinataires" in page
    assert reverse("steering:distribution_detail", args=[cycle.convention.pk, first.pk]) in page
    assert Distribution.objects.count() == 1
    assert len(mail.outbox) == mailed


def test_another_set_of_recipients_or_a_later_send_goes(
    client, academy_staff, cycle, approved, network, documents, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, distribute_url(approved))
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, distribute_url(approved), relay="on").status_code == 302
    assert Distribution.objects.count() == 2

    Distribution.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, distribute_url(approved)).status_code == 302
    assert Distribution.objects.count() == 3


def test_only_an_editor_may_send_again(client, cycle, sent_review, federation_staff):
    sent = Distribution.objects.get()
    sent.recipients.update(failed=True, sent_at=None)
    client.force_login(federation_staff)

    response = client.post(reverse("steering:distribution_detail", args=[cycle.convention.pk, sent.pk]))

    assert response.status_code == 403
    assert sent.recipients.filter(failed=True).count() == sent.recipients.count()


def test_a_second_send_of_the_same_minutes_is_refused(cycle, academy_staff, documents):
    meeting = MeetingFactory(
        convention=cycle.convention,
        status=MeetingStatus.HELD,
        starts_at=datetime.datetime(2026, 6, 12, 14, 0, tzinfo=datetime.UTC),
    )
    distribution.send_minutes(meeting, by_user=academy_staff)

    with pytest.raises(distribution.AlreadySent):
        distribution.send_minutes(meeting, by_user=academy_staff)
    assert Distribution.objects.count() == 1


# The past distributions on the meeting page --------------------------------------------------------


def test_the_meeting_page_does_not_query_more_with_more_distributions(
    client, academy_staff, cycle, documents, django_assert_max_num_queries
):
    meeting = MeetingFactory(
        convention=cycle.convention,
        status=MeetingStatus.HELD,
        starts_at=datetime.datetime(2026, 6, 12, 14, 0, tzinfo=datetime.UTC),
    )
    url = reverse("steering:meeting_detail", args=[cycle.convention.pk, meeting.pk])
    distribution.send_minutes(meeting, by_user=academy_staff)
    client.force_login(academy_staff)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        distribution.send_minutes(meeting, by_user=academy_staff, extra=[f"autre{n}@example.org"])

    with django_assert_max_num_queries(len(few)):
        page = client.get(url)
    assert page.content.decode().count("Envoi du ") == 5
