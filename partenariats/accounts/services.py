"""Account workflows: invitations and roles, and the e-mails they send."""

from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partenariats.accounts.models import Assignment, Role, User, UserStatus
from partenariats.directory.models import Organisation
from partenariats.territories.models import AcademicRegion, Academy, Basin


@transaction.atomic
def grant_role(
    *,
    by: User,
    user: User,
    role: str,
    academy: Academy | None = None,
    region: AcademicRegion | None = None,
    basin: Basin | None = None,
    organisation: Organisation | None = None,
    manages_accounts: bool = False,
) -> Assignment:
    """Give ``user`` a role; ``by`` must manage the académies the role's scope lies in."""
    assignment = Assignment(
        user=user,
        role=role,
        academy=academy,
        region=region,
        basin=basin,
        organisation=organisation,
        manages_accounts=manages_accounts and role == Role.ACADEMY_STAFF,
        granted_by=by,
    )
    if not assignment.is_manageable_by(by):
        raise PermissionDenied("Ce périmètre est hors des académies dont vous gérez les comptes.")
    if not user.is_active:
        raise ValidationError("Ce compte est désactivé : réactivez-le avant de lui attribuer un rôle.")
    if user.is_platform_admin and not by.scope.is_platform_admin:
        raise ValidationError(
            "Ce compte est celui d’un·e administrateur·rice de la plateforme : vous ne pouvez pas le modifier."
        )
    duplicate = Assignment.objects.filter(
        user=user, role=role, academy=academy, region=region, basin=basin, organisation=organisation
    )
    if duplicate.exists():
        raise ValidationError("Cette personne a déjà ce rôle sur ce périmètre.")
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def invite_user(*, by: User, email: str, first_name: str, last_name: str, role: str, **scope) -> Assignment:
    """Give a role to the person with this e-mail address, creating their account if needed, and tell them.

    A new account has no usable password: the e-mail carries a link to choose one. Someone who
    already has a password is only told about the new role.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name, invited_by=by)
    assignment = grant_role(by=by, user=user, role=role, **scope)
    if user.has_usable_password() and user.last_login is not None:
        transaction.on_commit(partial(send_role_granted, assignment.pk))
    else:
        transaction.on_commit(partial(send_invitation, user.pk, by.pk))
    return assignment


@transaction.atomic
def resend_invitation(*, by: User, user: User) -> None:
    """Send the invitation again to someone who has not logged in yet."""
    if not User.objects.managed_by(by).filter(pk=user.pk).exists():
        raise PermissionDenied("Ce compte est hors des académies dont vous gérez les comptes.")
    if user.status != UserStatus.INVITED:
        raise ValidationError("Cette personne s’est déjà connectée ou son compte est désactivé.")
    transaction.on_commit(partial(send_invitation, user.pk, by.pk))


def invitation_link(user: User) -> str:
    """An absolute link to choose a password: valid PASSWORD_RESET_TIMEOUT, dead once the password is set."""
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def send_invitation(user_id: int, inviter_id: int | None) -> None:
    user = User.objects.get(pk=user_id)
    context = {
        "user": user,
        "inviter": User.objects.filter(pk=inviter_id).first(),
        "link": invitation_link(user),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
    }
    _send_mail("accounts/emails/invitation", context, user.email)


def send_role_granted(assignment_id: int) -> None:
    assignment = Assignment.objects.select_related("user", "granted_by").get(pk=assignment_id)
    context = {
        "user": assignment.user,
        "assignment": assignment,
        "inviter": assignment.granted_by,
        "link": settings.SITE_URL + reverse("accounts:login"),
    }
    _send_mail("accounts/emails/role_granted", context, assignment.user.email)


def _send_mail(template_prefix: str, context: dict, to: str) -> None:
    context = {"site_title": settings.SITE_TITLE, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}_body.txt", context)
    send_mail(subject, body, None, [to])
