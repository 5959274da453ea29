"""Every URL of the project, opened as every persona: who gets which answer.

Each URL pattern — the apps', the Django admin's and the API's — is classified in
``URL_TABLE`` as PUBLIC, LOGIN or TOKEN; a pattern missing from the table fails the suite,
so that no page ships without a decision about who may open it. ``EXPECTATIONS`` then
says, per URL, which status a persona gets when it is not the default of the URL's kind.
The browser walk (``tests/browser/test_walk.py``) reuses this table.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult
from dsfr.models import DsfrConfig

from partenariats.accounts.models import ApiToken, Assignment, Role, User
from partenariats.activities.models import Action, Activity, Attachment, Plan, RecordingLink
from partenariats.conventions.models import Article, Commitment, Convention, Document
from partenariats.directory.models import Membership, Note, Organisation, Person
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.steering.models import (
    Channel,
    CommitteeMember,
    CorrectiveAction,
    Decision,
    Distribution,
    FileFormat,
    Meeting,
    MeetingStatus,
    Recipient,
    Rendering,
    RenderStatus,
    Review,
    Variant,
)
from partenariats.steering.models import DocumentKind as SteeringDocument
from partenariats.steering.reviews import create_review
from partenariats.territories.models import Clee
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    AssignmentFactory,
    AttachmentFactory,
    BasinFactory,
    ContributionFactory,
    ConventionFactory,
    DocumentFactory,
    ImportJobFactory,
    MembershipFactory,
    NoteFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    UserFactory,
    academy,
    token_for,
)
from tests.steering.factories import CommitteeMemberFactory, CorrectiveActionFactory, DecisionFactory, MeetingFactory

PUBLIC = "public"  # anyone, logged in or not: 200
LOGIN = "login"  # anonymous: 302 to the login page; logged-in personas: 200 unless EXPECTATIONS says otherwise
# Authenticated by a token, not the session. The API: no token → 401 in JSON, the persona's own
# token → 200 unless EXPECTATIONS says otherwise. Links (magic links, feeds): a forged token in the
# URL → the status EXPECTATIONS gives, and never the form behind the link.
TOKEN = "token"

# THE table: every URL pattern, by route name (``namespace:name``), or by a regular
# expression matched against the route name or, for unnamed patterns, the route itself.
URL_TABLE: dict[str | re.Pattern, str] = {
    # core
    "dashboard:home": LOGIN,
    "core:healthz": PUBLIC,
    "core:floor": LOGIN,
    "core:accessibility": PUBLIC,
    "core:legal_notice": PUBLIC,
    "core:personal_data": PUBLIC,
    "core:cookies": PUBLIC,
    "core:sitemap": PUBLIC,
    # accounts: logging in and passwords
    "accounts:login": PUBLIC,
    "accounts:logout": LOGIN,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": TOKEN,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:invitation_accept": TOKEN,
    "accounts:password_change": LOGIN,
    # accounts: one's own profile and API tokens
    "accounts:profile": LOGIN,
    "accounts:token_create": LOGIN,
    "accounts:token_revoke": LOGIN,
    # accounts: account management
    "accounts:user_list": LOGIN,
    "accounts:user_invite": LOGIN,
    "accounts:user_detail": LOGIN,
    "accounts:user_role_add": LOGIN,
    "accounts:user_role_remove": LOGIN,
    "accounts:user_deactivate": LOGIN,
    "accounts:user_reactivate": LOGIN,
    "accounts:user_invitation_resend": LOGIN,
    # directory: organisations
    "directory:organisation_list": LOGIN,
    "directory:organisation_create": LOGIN,
    "directory:organisation_detail": LOGIN,
    "directory:organisation_update": LOGIN,
    "directory:organisation_deactivate": LOGIN,
    "directory:organisation_reactivate": LOGIN,
    "directory:organisation_note_create": LOGIN,
    "directory:organisation_members": LOGIN,
    "directory:organisation_member_add": LOGIN,
    "directory:organisation_member_remove": LOGIN,
    "directory:organisation_merge": LOGIN,
    "directory:organisation_merge_confirm": LOGIN,
    # directory: people and their memberships
    "directory:person_list": LOGIN,
    "directory:person_create": LOGIN,
    "directory:person_detail": LOGIN,
    "directory:person_update": LOGIN,
    "directory:person_deactivate": LOGIN,
    "directory:person_reactivate": LOGIN,
    "directory:membership_create": LOGIN,
    "directory:membership_end": LOGIN,
    # directory: imports
    "directory:import_upload": LOGIN,
    "directory:import_preview": LOGIN,
    "directory:import_template": LOGIN,
    "directory:import_status": LOGIN,
    # conventions
    "conventions:convention_list": LOGIN,
    "conventions:convention_detail": LOGIN,
    "conventions:convention_follow": LOGIN,
    "conventions:document_upload": LOGIN,
    "conventions:document_download": LOGIN,
    "conventions:convention_create": LOGIN,
    "conventions:convention_update": LOGIN,
    "conventions:signature_create": LOGIN,
    "conventions:amendment_create": LOGIN,
    "conventions:event_create": LOGIN,
    "conventions:convention_archive": LOGIN,
    "conventions:party_row": LOGIN,
    "conventions:signatory_row": LOGIN,
    "conventions:organisation_options": LOGIN,
    "conventions:article_create": LOGIN,
    "conventions:article_update": LOGIN,
    "conventions:article_move": LOGIN,
    "conventions:article_delete": LOGIN,
    "conventions:commitment_create": LOGIN,
    "conventions:commitment_update": LOGIN,
    "conventions:commitment_delete": LOGIN,
    "conventions:feed_manage": LOGIN,
    "conventions:feed_create": LOGIN,
    "conventions:feed_revoke": LOGIN,
    # activities: the yearly plans of a convention and their actions
    "activities:plan_list": LOGIN,
    "activities:plan_create": LOGIN,
    "activities:plan_detail": LOGIN,
    "activities:plan_adopt": LOGIN,
    "activities:plan_targets": LOGIN,
    "activities:action_create": LOGIN,
    "activities:action_update": LOGIN,
    "activities:action_delete": LOGIN,
    # The calendar feed: its secret key is in the address.
    "conventions:feed": TOKEN,
    # indicators
    "indicators:home": LOGIN,
    "indicators:convention": LOGIN,
    "indicators:organisation": LOGIN,
    "indicators:academy": LOGIN,
    "indicators:basin": LOGIN,
    # activities: recording what happened, with its files
    "activities:activity_list": LOGIN,
    "activities:activity_create": LOGIN,
    "activities:activity_quick": LOGIN,
    "activities:activity_detail": LOGIN,
    "activities:activity_update": LOGIN,
    "activities:activity_withdraw": LOGIN,
    "activities:activity_restore": LOGIN,
    "activities:contribution_confirm": LOGIN,
    "activities:select_options": LOGIN,
    "activities:organisation_choices": LOGIN,
    "activities:contribution_choices": LOGIN,
    "activities:attachment_upload": LOGIN,
    "activities:attachment_download": LOGIN,
    "activities:attachment_delete": LOGIN,
    # activities: volunteers' recording links (sent by the convention's editors; the form is public by URL)
    "activities:link_list": LOGIN,
    "activities:link_revoke": LOGIN,
    "activities:record_by_link": TOKEN,
    # activities: bulk import (upload → preview → background commit → status)
    "activities:import_start": LOGIN,
    "activities:import_preview": LOGIN,
    "activities:import_template": LOGIN,
    "activities:import_status": LOGIN,
    # intake: the import of a convention (upload → background reading → review → save)
    "intake:upload": LOGIN,
    "intake:job_detail": LOGIN,
    "intake:job_cancel": LOGIN,
    "intake:job_review": LOGIN,
    # steering: the committee, its meetings, the yearly review, generated documents, distribution
    re.compile(r"^steering:(?!distribution_link$)"): LOGIN,
    # A distributed document's personal link: its secret key is in the address.
    "steering:distribution_link": TOKEN,
    # The API documents itself publicly; every endpoint wants a token.
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    # django-ninja's root only anchors the operations' paths: a 404 for everyone.
    "api:api-root": PUBLIC,
    re.compile(r"^api:"): TOKEN,
    # The Django admin, named and unnamed patterns alike (platform administrators, see EXPECTATIONS).
    re.compile(r"^admin:"): LOGIN,
    re.compile(r"^django-admin/"): LOGIN,
}

# Views that only answer POST: a GET must get 405 (checked as platform_admin) and is not walked.
POST_ONLY = {
    "accounts:logout",
    "accounts:token_create",
    "accounts:token_revoke",
    "accounts:user_reactivate",
    "accounts:user_invitation_resend",
    "directory:organisation_note_create",
    "directory:organisation_member_add",
    "directory:organisation_member_remove",
    "conventions:convention_follow",
    "conventions:article_move",
    "activities:plan_adopt",
    "conventions:feed_create",
    "conventions:feed_revoke",
    "activities:link_revoke",
    "activities:activity_restore",
    "activities:contribution_confirm",
    "intake:job_cancel",
    "steering:member_end",
    "steering:meeting_invite",
    "steering:meeting_cancel",
    "steering:review_create",
    "steering:review_refresh",
    "steering:review_approve",
    "steering:review_render",
    "steering:minutes_render",
    "admin:logout",
}

PERSONAS = [
    "anonymous",
    "outsider",
    "academy_staff",
    "academy_admin",
    "colleague_elsewhere",
    "partner_contact",
    "school_head",
    "observer",
    "platform_admin",
]

# Who may not see a contact held by Aix-Marseille (working for a company of Aix).
HIDDEN_PERSON_OF_AIX = {"outsider": 404, "colleague_elsewhere": 404, "partner_contact": 404, "school_head": 404}
# Who may not see the convention of Aix (whose partner is the company's federation).
HIDDEN_CONVENTION_OF_AIX = {"outsider": 404, "colleague_elsewhere": 404, "partner_contact": 404, "school_head": 404}
# Who may change the convention of Aix: Aix's staff. The observer reads it (403); others do not see it.
NOT_EDITOR_OF_AIX_CONVENTION = {**HIDDEN_CONVENTION_OF_AIX, "observer": 403}
# Who may not import into the directory, nor create records: anyone without write access to an académie.
NO_IMPORT = {"outsider": 403, "partner_contact": 403, "school_head": 403, "observer": 403}
NOT_ACADEMY_WRITER = NO_IMPORT
# Who may change the company of Aix: Aix's staff. Others read it (403), except the role-less (404).
NOT_EDITOR_OF_AIX_ORGANISATION = {
    "outsider": 404,
    "colleague_elsewhere": 403,
    "partner_contact": 403,
    "school_head": 403,
    "observer": 403,
}
# Who may change the contact held by Aix: Aix's staff. The observer reads it (403); others do not see it.
NOT_EDITOR_OF_AIX_PERSON = {**HIDDEN_PERSON_OF_AIX, "observer": 403}
# Who may not see the indicators of the convention, the company, the académie and the bassin of Aix.
HIDDEN_INDICATORS_OF_AIX = {"outsider": 404, "colleague_elsewhere": 404, "partner_contact": 404, "school_head": 404}
# Account management belongs to the académie's account managers and the platform administrators.
ACCOUNT_MANAGERS_ONLY = {"*": 403, "academy_admin": 200, "platform_admin": 200}

# Per URL (same keys as URL_TABLE), the statuses that differ from the kind's default.
# "*" stands for every logged-in persona not named. For LOGIN URLs, anonymous visitors
# always get the login redirect unless "anonymous" is named. Entries matching by regex
# apply first, in order; an exact name overrides them.
EXPECTATIONS: dict[str | re.Pattern, dict[str, int]] = {
    # A role-less user reads no organisation and no contact.
    "directory:organisation_detail": {"outsider": 404},
    # A contact of Aix is seen in Aix only (and by the organisations it works for).
    "directory:person_detail": HIDDEN_PERSON_OF_AIX,
    "api:get_organisation": {"outsider": 404},
    "api:get_person": HIDDEN_PERSON_OF_AIX,
    "conventions:convention_detail": HIDDEN_CONVENTION_OF_AIX,
    "conventions:document_download": HIDDEN_CONVENTION_OF_AIX,
    # Aix's staff add documents; the observer reads only.
    # Documents are added by the académie staff of the parties; the observer reads only.
    "conventions:document_upload": NOT_EDITOR_OF_AIX_CONVENTION,
    "conventions:convention_create": NOT_ACADEMY_WRITER,
    "conventions:convention_update": NOT_EDITOR_OF_AIX_CONVENTION,
    "conventions:signature_create": NOT_EDITOR_OF_AIX_CONVENTION,
    "conventions:amendment_create": NOT_EDITOR_OF_AIX_CONVENTION,
    "conventions:event_create": NOT_EDITOR_OF_AIX_CONVENTION,
    "conventions:convention_archive": NOT_EDITOR_OF_AIX_CONVENTION,
    # Articles and commitments are edited by Aix's staff (deleting shows the page, or why it is refused).
    re.compile(r"^conventions:(article|commitment)_(create|update|delete)$"): NOT_EDITOR_OF_AIX_CONVENTION,
    # htmx fragments of the edit page: a plain GET is a bad request (400), for those who may edit.
    re.compile(r"^conventions:(party_row|signatory_row|organisation_options)$"): {"*": 400, **NOT_ACADEMY_WRITER},
    # Plans follow their convention: read by whoever reads it, written by Aix's staff (deleting the
    # World's action, counted by an activity, shows why it is refused).
    re.compile(r"^activities:plan_(list|detail)$"): HIDDEN_CONVENTION_OF_AIX,
    re.compile(r"^activities:(plan_create|plan_targets|action_create|action_update|action_delete)$"): (
        NOT_EDITOR_OF_AIX_CONVENTION
    ),
    "api:get_convention": HIDDEN_CONVENTION_OF_AIX,
    "api:get_convention_timeline": HIDDEN_CONVENTION_OF_AIX,
    # A forged feed key: no calendar.
    "conventions:feed": {"anonymous": 404, "*": 404},
    "activities:link_list": NOT_EDITOR_OF_AIX_CONVENTION,
    # The World's visit of Aix: read in Aix, changed by Aix's staff; its attendance sheet (about
    # minors) only for those who may change it or whose organisation took part. Observers and
    # role-less users record nothing; the forms' htmx fragments refuse a plain GET (400).
    re.compile(r"^activities:activity_(create|quick)$"): {"outsider": 403, "observer": 403},
    "activities:activity_detail": HIDDEN_CONVENTION_OF_AIX,
    re.compile(r"^activities:(activity_update|activity_withdraw|attachment_upload|attachment_delete)$"): (
        NOT_EDITOR_OF_AIX_CONVENTION
    ),
    "activities:attachment_download": {**HIDDEN_CONVENTION_OF_AIX, "observer": 404},
    re.compile(r"^activities:(select_options|organisation_choices|contribution_choices)$"): {
        "*": 400,
        "outsider": 403,
        "observer": 403,
    },
    # A real recording link with a forged token: no form, for anyone.
    "activities:record_by_link": {"anonymous": 404, "*": 404},
    # Whoever records activities imports them (each row in their scope); observers and role-less
    # users do not. Nothing uploaded yet: back to the upload form; an unknown import: 404.
    re.compile(r"^activities:import_(start|template)$"): {"outsider": 403, "observer": 403},
    "activities:import_preview": {"*": 302, "outsider": 403, "observer": 403},
    "activities:import_status": {"*": 404, "outsider": 403, "observer": 403},
    # Only those who register conventions import them; a job is seen by the person who uploaded it
    # alone (the World's job is another user's: 404 for everyone else).
    "intake:upload": NOT_ACADEMY_WRITER,
    re.compile(r"^intake:job_(detail|review)$"): {"*": 404, **NOT_ACADEMY_WRITER},
    # The API of plans and activities: the World's plan and visit are read where the pages read them.
    "api:get_plan": HIDDEN_CONVENTION_OF_AIX,
    "api:get_activity": HIDDEN_CONVENTION_OF_AIX,
    # The steering committee follows its convention: read by whoever reads it, changed by Aix's
    # staff. The World's review is a draft: its page is read, its documents (the parties' version,
    # « projet ») only by those who may change it. A forged personal link: no document.
    re.compile(r"^steering:"): HIDDEN_CONVENTION_OF_AIX,
    re.compile(
        r"^steering:(member_(create|update)|meeting_(create|update|attendance|minutes)|decision_(create|update)|"
        r"corrective_(create|update)|section_update|review_highlights|review_distribute|minutes_distribute)$"
    ): NOT_EDITOR_OF_AIX_CONVENTION,
    # The draft's documents are not shown to those who may not change it (not even that they exist).
    re.compile(r"^steering:rendering_(detail|download)$"): {**HIDDEN_CONVENTION_OF_AIX, "observer": 404},
    # A draft review is its editors' business: the observer is told it is being prepared.
    "steering:review_detail": {**HIDDEN_CONVENTION_OF_AIX, "observer": 403},
    "steering:distribution_link": {"anonymous": 404, "*": 404},
    "directory:organisation_create": NOT_ACADEMY_WRITER,
    "directory:organisation_update": NOT_EDITOR_OF_AIX_ORGANISATION,
    "directory:organisation_deactivate": NOT_EDITOR_OF_AIX_ORGANISATION,
    # Reactivating an active record: nothing to do, back to its page.
    "directory:organisation_reactivate": {"*": 302, **NOT_EDITOR_OF_AIX_ORGANISATION},
    "directory:organisation_members": NOT_EDITOR_OF_AIX_ORGANISATION,
    "directory:organisation_merge": NOT_EDITOR_OF_AIX_ORGANISATION,
    "directory:organisation_merge_confirm": NOT_EDITOR_OF_AIX_ORGANISATION,
    "directory:person_create": NOT_ACADEMY_WRITER,
    "directory:person_update": NOT_EDITOR_OF_AIX_PERSON,
    "directory:person_deactivate": NOT_EDITOR_OF_AIX_PERSON,
    "directory:person_reactivate": {"*": 302, **NOT_EDITOR_OF_AIX_PERSON},
    "directory:membership_create": NOT_EDITOR_OF_AIX_PERSON,
    "directory:membership_end": NOT_EDITOR_OF_AIX_PERSON,
    "directory:import_upload": NO_IMPORT,
    "directory:import_template": NO_IMPORT,
    # Nothing uploaded yet: back to the upload form.
    "directory:import_preview": {"*": 302, **NO_IMPORT},
    "directory:import_status": {"*": 404, **NO_IMPORT},
    "api:api-root": {"anonymous": 404, "*": 404},
    # Indicators: to one's own page (a redirect); platform admins choose an académie; no role, no page.
    "indicators:home": {"*": 302, "platform_admin": 200, "outsider": 403},
    re.compile(r"^(indicators|api):(convention|organisation|academy|basin)(_indicators)?$"): HIDDEN_INDICATORS_OF_AIX,
    # A logged-in user is sent on to the dashboard.
    "accounts:login": {"*": 302},
    "accounts:user_list": ACCOUNT_MANAGERS_ONLY,
    "accounts:user_invite": ACCOUNT_MANAGERS_ONLY,
    "accounts:user_detail": ACCOUNT_MANAGERS_ONLY,
    "accounts:user_role_add": ACCOUNT_MANAGERS_ONLY,
    "accounts:user_role_remove": ACCOUNT_MANAGERS_ONLY,
    "accounts:user_deactivate": ACCOUNT_MANAGERS_ONLY,
    # A forged magic link shows the "invalid link" page, to anyone.
    "accounts:password_reset_confirm": {"anonymous": 200, "*": 200},
    "accounts:invitation_accept": {"anonymous": 200, "*": 200},
    # The Django admin is for platform administrators; anyone else is sent to its login page.
    re.compile(r"^admin:"): {"*": 302, "platform_admin": 200},
    re.compile(r"^django-admin/"): {"*": 302, "platform_admin": 200},
    # The unnamed ``<object_id>/`` pattern redirects to the change page.
    re.compile(r"^django-admin/.*<path:object_id>/$"): {"platform_admin": 302},
    # The admin's catch-all: an unknown admin address.
    re.compile(r"^django-admin/\(\?P<url>"): {"platform_admin": 404},
    # The admin logs in through the site's login page; a logged-in user without the right is refused.
    "admin:login": {"*": 403, "platform_admin": 302},
    # Only the admin's widgets call it, with parameters.
    "admin:autocomplete": {"platform_admin": 403},
    "admin:view_on_site": {"platform_admin": 302},
    # axes records failures itself; nobody adds one by hand. Organisations are never deleted.
    re.compile(r"^admin:axes_\w+_add$"): {"platform_admin": 403},
    "admin:directory_organisation_delete": {"platform_admin": 403},
    # Tokens are issued by their owner only: their clear key is shown once.
    "admin:accounts_apitoken_add": {"platform_admin": 403},
    # Background task results are written by the workers only.
    re.compile(r"^admin:django_tasks_database_dbtaskresult_(add|delete)$"): {"platform_admin": 403},
}


@dataclass(frozen=True)
class WalkedUrl:
    """One URL pattern, reached through its includes."""

    name: str | None  # "namespace:name", None for an unnamed pattern
    route: str  # the patterns' text, joined
    params: tuple[str, ...]  # path parameters, in order
    callback: Callable

    @property
    def key(self) -> str:
        return self.name or self.route


def walk_urls() -> list[WalkedUrl]:
    """Every URL pattern of ``ROOT_URLCONF``, through every include."""

    def walk(patterns, route: str, regex: str, namespace: str | None) -> Iterator[WalkedUrl]:
        for pattern in patterns:
            sub_route = route + str(pattern.pattern)
            sub_regex = regex + pattern.pattern.regex.pattern.lstrip("^")
            if isinstance(pattern, URLResolver):
                sub_namespace = namespace
                if pattern.namespace:
                    sub_namespace = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, sub_route, sub_regex, sub_namespace)
            elif isinstance(pattern, URLPattern):
                name = None
                if pattern.name:
                    name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                compiled = re.compile(sub_regex)
                # Unnamed groups (simple_history's re_path) are positional: "_0", "_1"…
                params = tuple(compiled.groupindex) or tuple(f"_{i}" for i in range(compiled.groups))
                yield WalkedUrl(name=name, route=sub_route, params=params, callback=pattern.callback)

    return list(walk(get_resolver().url_patterns, "", "", None))


def _matches(key: str | re.Pattern, url: WalkedUrl) -> bool:
    if isinstance(key, str):
        return key == url.name
    return bool(key.search(url.name or "") or (url.name is None and key.search(url.route)))


def kind_of(url: WalkedUrl) -> str | None:
    """The URL's kind: an exact name first, then the first regular expression that matches."""
    if url.name in URL_TABLE:
        return URL_TABLE[url.name]
    for key, kind in URL_TABLE.items():
        if isinstance(key, re.Pattern) and _matches(key, url):
            return kind
    return None


def expected_statuses(url: WalkedUrl) -> dict[str, int]:
    """The status each persona should get on ``url``, with its kind's defaults filled in."""
    overrides: dict[str, int] = {}
    for key, statuses in EXPECTATIONS.items():
        if isinstance(key, re.Pattern) and _matches(key, url):
            overrides |= statuses
    overrides |= EXPECTATIONS.get(url.name, {})
    kind = kind_of(url)
    expected = {}
    for persona in PERSONAS:
        if persona in overrides:
            expected[persona] = overrides[persona]
        elif persona == "anonymous":
            expected[persona] = {PUBLIC: 200, LOGIN: 302, TOKEN: 401}[kind]
        else:
            expected[persona] = overrides.get("*", 200)
    return expected


ALL_URLS = walk_urls()
WALKED_URLS = [url for url in ALL_URLS if url.key not in POST_ONLY]


# --- Real objects to fill path parameters ------------------------------------------------


@dataclass
class World:
    """Objects of Aix-Marseille that the walked URLs point at."""

    organisation: Organisation  # a company of Aix, not any persona's own organisation
    duplicate: Organisation  # a second record of that company, to merge
    federation: Organisation  # an employer federation of Aix, the company among its members
    person: Person  # a contact held by Aix, working for that company
    membership: Membership
    note: Note
    user: User  # an account of Aix: what account management pages show
    assignment: Assignment
    token: ApiToken
    convention: Convention  # a signed convention of Aix, with the company's federation as partner
    document: Document  # its signed copy
    article: Article  # an article of that convention
    commitment: Commitment  # the partner's commitment under that article
    plan: Plan  # the convention's plan for 2025–2026
    action: Action  # its first action, serving the commitment
    activity: Activity  # a company visit of Aix by the company, counted toward the action
    attachment: Attachment  # the visit's attendance sheet (about minors)
    import_job: ImportJob  # a convention import of the World's user, ready for review
    member: CommitteeMember  # the person of Aix, sitting on the convention's committee
    meeting: Meeting  # the committee's installation meeting, held
    corrective: CorrectiveAction  # decided at that meeting, open
    decision: Decision  # the meeting's first decision
    review: Review  # the draft review of 2025–2026
    rendering: Rendering  # its PDF, the parties' version
    distribution: Distribution  # the meeting's minutes sent to the member

    def object_named(self, word: str) -> models.Model | None:
        return {
            "organisation": self.organisation,
            "person": self.person,
            "membership": self.membership,
            "note": self.note,
            "user": self.user,
            "assignment": self.assignment,
            "token": self.token,
            "convention": self.convention,
            "document": self.document,
            "plan": self.plan,
            "action": self.action,
            "activity": self.activity,
            "attachment": self.attachment,
            "job": self.import_job,
            "member": self.member,
            "meeting": self.meeting,
            "corrective": self.corrective,
            "decision": self.decision,
            "review": self.review,
            "rendering": self.rendering,
            "distribution": self.distribution,
        }.get(word)


def build_world() -> World:
    aix = academy("Aix-Marseille")
    organisation = OrganisationFactory(company=True, academy=aix, name="Société Témoin du Parcours")
    duplicate = OrganisationFactory(company=True, academy=aix, name="Societe Temoin du Parcours")
    federation = OrganisationFactory(federation=True, academy=aix)
    federation.members.add(organisation)
    person = PersonFactory(academy=aix)
    membership = MembershipFactory(person=person, organisation=organisation)
    note = NoteFactory(organisation=organisation, owner_academy=aix)
    user = UserFactory()
    assignment = AssignmentFactory(user=user, role=Role.ACADEMY_STAFF, academy=aix)
    token, _ = ApiToken.issue(user, "jeton de parcours")
    convention = ConventionFactory(signed=True, academy=aix, title="Convention témoin du parcours")
    document = DocumentFactory(convention=convention)
    article = Article.objects.create(convention=convention, number="1", heading="Objet")
    commitment = Commitment.objects.create(
        convention=convention, party=convention.parties.last(), article=article, text="Accueillir des stagiaires"
    )
    plan = PlanFactory(convention=convention, school_year=2025)
    action = ActionFactory(plan=plan, number=1, commitments=[commitment])
    activity = ActivityFactory(academy=aix, pupils=24, organisations=[organisation])
    ContributionFactory(activity=activity, convention=convention, action=action)
    attachment = AttachmentFactory(activity=activity)
    import_job = ImportJobFactory(created_by=user, status=ImportStatus.READY, result={"text": "Convention"})
    member = CommitteeMemberFactory(convention=convention, person=person, party=convention.parties.last())
    meeting = MeetingFactory(
        convention=convention,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30) + timedelta(hours=2),
    )
    corrective = CorrectiveActionFactory(meeting=meeting)
    decision = DecisionFactory(meeting=meeting, number=1, text="Le comité adopte le bilan.")
    review = create_review(convention, 2025, user)
    rendering = Rendering.objects.create(
        convention=convention,
        document=SteeringDocument.REVIEW,
        review=review,
        variant=Variant.FULL,
        file_format=FileFormat.PDF,
        status=RenderStatus.DONE,
        file=ContentFile(b"%PDF-1.4\n%% bilan de parcours\n%%EOF\n", name="bilan.pdf"),
        size=36,
    )
    distribution = Distribution.objects.create(
        convention=convention, document=SteeringDocument.MINUTES, meeting=meeting, subject="Compte rendu"
    )
    Recipient.objects.create(
        distribution=distribution,
        channel=Channel.MEMBER,
        variant=Variant.FULL,
        email=person.email,
        key_hash=Recipient.hash_key("cle-de-parcours"),
        expires_at=timezone.now() + timedelta(days=30),
    )
    # Objects for the admin pages of third-party models.
    Group.objects.get_or_create(name="Groupe de parcours")
    Clee.objects.create(basin=BasinFactory(academy=aix), name="CLEE de parcours")
    DsfrConfig.objects.get_or_create(language="fr")
    failure = {"user_agent": "Navigateur", "ip_address": "127.0.0.1", "username": user.email, "path_info": "/"}
    AccessAttempt.objects.create(**failure, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**failure)
    AccessLog.objects.create(**failure)
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="partenariats.tests.walk",
        backend_name="default",
        run_after=timezone.now(),
    )
    return World(
        organisation,
        duplicate,
        federation,
        person,
        membership,
        note,
        user,
        assignment,
        token,
        convention,
        document,
        article,
        commitment,
        plan,
        action,
        activity,
        attachment,
        import_job,
        member,
        meeting,
        corrective,
        decision,
        review,
        rendering,
        distribution,
    )


# Words of route names that point at a World object, for parameters named "pk" or "<word>_pk".
OBJECT_WORDS = (
    "organisation",
    "person",
    "membership",
    "note",
    "user",
    "assignment",
    "token",
    "convention",
    "document",
    "plan",
    "action",
    "activity",
    "attachment",
    "job",
)


def walk_recording_link(world: World) -> RecordingLink:
    """A usable recording link of the convention for the company (made on demand)."""
    guest = User.objects.filter(email="benevole-parcours@example.invalid").first()
    return RecordingLink.objects.create(
        convention=world.convention,
        organisation=world.organisation,
        email="benevole-parcours@example.invalid",
        guest=guest or User.objects.create_user(email="benevole-parcours@example.invalid"),
        expires_at=timezone.now() + timedelta(days=14),
    )


# Path parameters the rules of ``path_kwargs`` cannot guess, per URL key.
PATH_PARAMS: dict[str | re.Pattern, dict[str, Callable[[World], Any]]] = {
    # Magic links, forged: a real account, a made-up token.
    re.compile(r"^accounts:(password_reset_confirm|invitation_accept)$"): {
        "uidb64": lambda world: urlsafe_base64_encode(force_bytes(world.user.pk)),
        "token": lambda world: "lien-contrefait",
    },
    "directory:organisation_merge_confirm": {"duplicate_pk": lambda world: world.duplicate.pk},
    "conventions:feed": {"key": lambda world: "cle-contrefaite"},
    re.compile(r"^activities:(link_revoke|record_by_link)$"): {
        "link_pk": lambda world: walk_recording_link(world).pk,
        "token": lambda world: "jeton-contrefait",
    },
    # Routes whose "pk" is not the last object their name mentions (ids differ across databases).
    re.compile(r"^conventions:document_(upload|download)$"): {"pk": lambda world: world.convention.pk},
    re.compile(r"^conventions:(article|commitment)_"): {
        "pk": lambda world: world.convention.pk,
        "article_pk": lambda world: world.article.pk,
        "commitment_pk": lambda world: world.commitment.pk,
    },
    "directory:membership_create": {"pk": lambda world: world.person.pk},
    # An activity's files and contributions are addressed under the activity.
    re.compile(r"^activities:(attachment_|contribution_confirm)"): {
        "pk": lambda world: world.activity.pk,
        "attachment_pk": lambda world: world.attachment.pk,
        "contribution_pk": lambda world: world.activity.contributions.first().pk,
    },
    # Plans are addressed by their convention and school year.
    re.compile(r"^activities:(plan|action)_"): {
        "convention_pk": lambda world: world.convention.pk,
        "year": lambda world: world.plan.school_year,
        "action_pk": lambda world: world.action.pk,
    },
    re.compile(r"^directory:organisation_member"): {"pk": lambda world: world.federation.pk},
    # Indicators of Aix and of the walk's bassin (the one of its CLEE).
    re.compile(r"^(indicators:academy|api:academy_indicators)$"): {
        "pk": lambda world: academy("Aix-Marseille").pk,
        "academy_id": lambda world: academy("Aix-Marseille").pk,
    },
    re.compile(r"^(indicators:basin|api:basin_indicators)$"): {
        "pk": lambda world: Clee.objects.get(name="CLEE de parcours").basin_id,
        "basin_id": lambda world: Clee.objects.get(name="CLEE de parcours").basin_id,
    },
    # An unknown import: the page must say so (404) rather than fail.
    "directory:import_status": {"result_id": lambda world: "00000000-0000-0000-0000-000000000000"},
    "activities:import_status": {"result_id": lambda world: "00000000-0000-0000-0000-000000000000"},
    # The committee's pages are addressed under their convention.
    re.compile(r"^steering:"): {
        "convention_pk": lambda world: world.convention.pk,
        "meeting_pk": lambda world: world.meeting.pk,
        "year": lambda world: world.review.school_year,
        "key": lambda world: "introduction",
    },
    re.compile(r"^steering:member_"): {"pk": lambda world: world.member.pk},
    "steering:corrective_update": {"pk": lambda world: world.corrective.pk},
    "steering:decision_update": {"pk": lambda world: world.decision.pk},
    re.compile(r"^steering:rendering_"): {"pk": lambda world: world.rendering.pk},
    "steering:distribution_detail": {"pk": lambda world: world.distribution.pk},
    "steering:distribution_link": {"key": lambda world: "cle-contrefaite"},
    "admin:view_on_site": {
        "content_type_id": lambda world: ContentType.objects.get_for_model(Organisation).pk,
        "object_id": lambda world: world.organisation.pk,
    },
    re.compile(r"^django-admin/\(\?P<url>"): {"url": lambda world: "page-inexistante/"},
}


def _admin_object(url: WalkedUrl) -> models.Model:
    match = re.match(r"django-admin/(\w+)/(\w+)/", url.route)
    assert match, f"{url.key}: an admin object URL whose model cannot be read from {url.route!r}"
    from django.apps import apps

    model = apps.get_model(match[1], match[2])
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"{url.key}: no {model._meta.label} exists; create one in build_world()"
    return obj


def path_kwargs(url: WalkedUrl, world: World) -> dict[str, Any]:
    """Real values for the URL's path parameters; fails naming the URL when none can be found."""
    explicit: dict[str, Callable[[World], Any]] = {}
    for key, fillers in PATH_PARAMS.items():
        if _matches(key, url):
            explicit |= fillers
    kwargs: dict[str, Any] = {}
    for param in url.params:
        if param in explicit:
            kwargs[param] = explicit[param](world)
        elif url.route.startswith("django-admin/") and param in ("object_id", "id", "_0"):
            kwargs[param] = _admin_object(url).pk
        elif url.route.startswith("django-admin/") and url.key.endswith("_simple_history") and param == "_1":
            kwargs[param] = _admin_object(url).history.order_by("pk").first().history_id
        elif param == "app_label":
            kwargs[param] = re.search(r"\(\?P<app_label>([\w|]+)\)", url.route)[1].split("|")[0]
        elif param == "pk" or param.endswith(("_pk", "_id")):
            word = param.removesuffix("_pk").removesuffix("_id")
            if word not in OBJECT_WORDS:
                # "pk": the last object word of the route name ("user_token_revoke" → the token).
                found = [(url.key.rfind(w), w) for w in OBJECT_WORDS if w in url.key]
                word = max(found)[1] if found else ""
            obj = world.object_named(word)
            if obj is None:
                pytest.fail(f"{url.key}: no value for the path parameter {param!r}; add it to PATH_PARAMS")
            kwargs[param] = obj.pk
        else:
            pytest.fail(f"{url.key}: no value for the path parameter {param!r}; add it to PATH_PARAMS")
    return kwargs


def url_path(url: WalkedUrl, world: World) -> str:
    kwargs = path_kwargs(url, world)
    if url.name:
        if all(param.startswith("_") for param in kwargs):
            return reverse(url.name, args=list(kwargs.values()))
        return reverse(url.name, kwargs=kwargs)
    # Unnamed (admin) patterns: substitute into the route text.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), url.route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), path)
    return "/" + path.replace("^", "").replace("$", "")


# --- The tests -----------------------------------------------------------------------------


def test_it_classifies_every_url_pattern():
    unclassified = [url.key for url in ALL_URLS if kind_of(url) is None]
    assert not unclassified, (
        "URL patterns missing from URL_TABLE in tests/test_url_walk.py (classify each as PUBLIC, LOGIN or TOKEN): "
        + ", ".join(unclassified)
    )


def test_it_has_no_stale_entry_in_the_tables():
    names = {url.name for url in ALL_URLS}
    for table_name, table in [
        ("URL_TABLE", URL_TABLE),
        ("EXPECTATIONS", EXPECTATIONS),
        ("PATH_PARAMS", PATH_PARAMS),
        ("POST_ONLY", POST_ONLY),
    ]:
        stale = [key for key in table if isinstance(key, str) and key not in names]
        assert not stale, f"{table_name} names URLs that no longer exist: {', '.join(stale)}"


def test_it_walks_the_admin_and_the_api():
    keys = {url.key for url in ALL_URLS}
    assert "admin:index" in keys
    assert "api:openapi-json" in keys


def _client_for(persona: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def is_api(url: WalkedUrl) -> bool:
    return (url.name or "").startswith("api:")


def api_methods(url: WalkedUrl) -> set[str]:
    """The HTTP methods a django-ninja path answers, read from its view's operations."""
    for cell in getattr(url.callback, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            return {method for operation in operations for method in operation.methods}
    return {"GET"}  # the schema and the documentation


PAGE_URLS = [
    url for url in WALKED_URLS if kind_of(url) in (PUBLIC, LOGIN) or (kind_of(url) == TOKEN and not is_api(url))
]
API_URLS = [url for url in WALKED_URLS if kind_of(url) == TOKEN and is_api(url) and "GET" in api_methods(url)]
# API paths without GET are the API's POST-only views: found by reading them, not listed.
API_WRITE_ONLY_URLS = [url for url in WALKED_URLS if is_api(url) and "GET" not in api_methods(url)]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGE_URLS, ids=lambda u: u.key)
def test_it_answers_each_persona_as_expected_on_pages(url: WalkedUrl, request):
    world = build_world()
    path = url_path(url, world)
    login_pages = [resolve_url(settings.LOGIN_URL)]
    if url.route.startswith("django-admin/"):
        # The admin site's own views send to its login page; its model pages to the site's.
        login_pages.append(reverse("admin:login"))
    mismatches = []
    for persona, expected in expected_statuses(url).items():
        response = _client_for(persona, request).get(path)
        if response.status_code != expected:
            mismatches.append(f"{persona}: expected {expected}, got {response.status_code}")
        elif kind_of(url) == TOKEN and b'type="password"' in response.content:
            mismatches.append(f"{persona}: a forged link opens the form behind it")
        elif (
            kind_of(url) == LOGIN
            and persona == "anonymous"
            and expected == 302
            and not response["Location"].startswith(tuple(f"{page}?next=" for page in login_pages))
        ):
            mismatches.append(f"anonymous: redirected to {response['Location']}, not to the login page")
    assert not mismatches, f"GET {path} ({url.key}):\n  " + "\n  ".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("url", API_URLS, ids=lambda u: u.key)
def test_it_answers_each_persona_as_expected_on_the_api(url: WalkedUrl, request):
    world = build_world()
    path = url_path(url, world)
    mismatches = []
    # Neither no token nor a logged-in session opens the API: 401, in JSON.
    for persona in ("anonymous", "academy_staff"):
        response = _client_for(persona, request).get(path)
        if response.status_code != 401 or not response["Content-Type"].startswith("application/json"):
            mismatches.append(f"{persona} without a token: got {response.status_code} {response['Content-Type']}")
    for persona, expected in expected_statuses(url).items():
        if persona == "anonymous":
            continue
        token = token_for(request.getfixturevalue(persona))
        response = Client().get(path, headers={"Authorization": f"Bearer {token}"})
        if response.status_code != expected:
            mismatches.append(f"{persona} with its token: expected {expected}, got {response.status_code}")
    assert not mismatches, f"GET {path} ({url.key}):\n  " + "\n  ".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [url for url in ALL_URLS if url.key in POST_ONLY], ids=lambda u: u.key)
def test_it_refuses_get_on_post_only_views(url: WalkedUrl, platform_admin):
    path = url_path(url, build_world())
    client = Client()
    client.force_login(platform_admin)
    assert client.get(path).status_code == 405, f"GET {path} ({url.key}) is listed in POST_ONLY but does not answer 405"


@pytest.mark.django_db
@pytest.mark.parametrize("url", API_WRITE_ONLY_URLS, ids=lambda u: u.key)
def test_it_refuses_get_on_api_paths_without_get(url: WalkedUrl, platform_admin):
    path = url_path(url, build_world())
    response = Client().get(path, headers={"Authorization": f"Bearer {token_for(platform_admin)}"})
    assert response.status_code == 405, f"GET {path} ({url.key}): {response.status_code}"
