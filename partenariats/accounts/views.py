"""Login and passwords, invitations, account management, and each user's own profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partenariats.accounts import services
from partenariats.accounts.forms import (
    ApiTokenForm,
    InvitationForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    RoleForm,
    SetPasswordForm,
    UserFilterForm,
)
from partenariats.accounts.models import ApiToken, Assignment, User
from partenariats.core.pagination import paginate

LINK_VALID_DAYS = settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)
SCOPE_RELATIONS = ("region", "academy", "basin", "organisation")

# Login and passwords: Django's views (already public), with DSFR templates and French e-mails.


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Connexion"}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/emails/password_reset_body.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    extra_email_context = {
        "site_title": settings.SITE_TITLE,
        "site_url": settings.SITE_URL,
        "valid_days": LINK_VALID_DAYS,
    }
    success_url = reverse_lazy("accounts:password_reset_done")
    title = "Mot de passe oublié"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = "Vérifiez votre messagerie"


class ActiveUserLinkMixin:
    """A reset or invitation link stops working when its account is deactivated."""

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


class PasswordResetConfirmView(ActiveUserLinkMixin, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    title = "Choisir un nouveau mot de passe"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = "Mot de passe enregistré"


class InvitationAcceptView(ActiveUserLinkMixin, auth_views.PasswordResetConfirmView):
    """The invitation link: choose a password, then land logged in on the dashboard."""

    form_class = SetPasswordForm
    template_name = "accounts/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy(settings.LOGIN_REDIRECT_URL)
    title = "Activer votre compte"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre compte est activé. Bienvenue !")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    title = "Changer mon mot de passe"
    extra_context = {
        "breadcrumb_data": {
            "links": [{"url": reverse_lazy("accounts:profile"), "title": "Mon compte"}],
            "current": "Changer mon mot de passe",
        }
    }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return response


# The user's own profile and API tokens.


def profile(request: HttpRequest) -> HttpResponse:
    return _render_profile(request, ApiTokenForm())


@require_POST
@never_cache
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, form)
    token, key = ApiToken.issue(request.user, form.cleaned_data["name"])
    # Rendered, not redirected: the clear key is shown in this response only and never stored.
    return _render_profile(request, ApiTokenForm(), new_token=token, new_key=key)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user, revoked_at__isnull=True), pk=pk)
    token.revoke()
    messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne permet plus d’appeler l’API.")
    return redirect("accounts:profile")


def _render_profile(request: HttpRequest, token_form: ApiTokenForm, **extra) -> HttpResponse:
    user = request.user
    context = {
        "title": "Mon compte",
        "breadcrumb_data": {"links": [], "current": "Mon compte"},
        "assignments": user.assignments.select_related(*SCOPE_RELATIONS),
        "tokens": user.api_tokens.filter(revoked_at__isnull=True),
        "token_form": token_form,
        **extra,
    }
    return render(request, "accounts/profile.html", context)


# Account management, for académie admins (inside the académies they manage) and platform admins.


def _require_account_manager(user: User) -> None:
    scope = user.scope
    if not (scope.is_platform_admin or scope.managed_academy_ids):
        raise PermissionDenied


def _managed_user(request: HttpRequest, pk: int) -> User:
    _require_account_manager(request.user)
    return get_object_or_404(User.objects.managed_by(request.user), pk=pk)


def _can_change(manager: User, account: User) -> bool:
    """Nobody changes their own account here, and only platform admins change platform admins."""
    if account.pk == manager.pk:
        return False
    return manager.scope.is_platform_admin or not account.is_platform_admin


def _require_can_change(manager: User, account: User) -> None:
    if not _can_change(manager, account):
        raise PermissionDenied


def _user_breadcrumb(current: str, account: User | None = None) -> dict:
    links = [{"url": reverse("accounts:user_list"), "title": "Comptes"}]
    if account is not None:
        links.append({"url": reverse("accounts:user_detail", args=[account.pk]), "title": str(account)})
    return {"links": links, "current": current}


def user_list(request: HttpRequest) -> HttpResponse:
    _require_account_manager(request.user)
    managed_assignments = Assignment.objects.managed_by(request.user)
    users = User.objects.managed_by(request.user)
    form = UserFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["q"]:
            users = users.search(form.cleaned_data["q"])
        if form.cleaned_data["role"]:
            users = users.filter(pk__in=managed_assignments.filter(role=form.cleaned_data["role"]).values("user"))
        if form.cleaned_data["status"]:
            users = users.with_status(form.cleaned_data["status"])
    users = users.prefetch_related(
        Prefetch(
            "assignments",
            queryset=managed_assignments.select_related(*SCOPE_RELATIONS),
            to_attr="managed_assignments",
        )
    )
    context = {
        "title": "Comptes",
        "form": form,
        "page_obj": paginate(request, users),
        "breadcrumb_data": {"links": [], "current": "Comptes"},
    }
    return render(request, "accounts/user_list.html", context)


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(request, pk)
    context = {
        "title": str(account),
        "account": account,
        "assignments": Assignment.objects.managed_by(request.user)
        .filter(user=account)
        .select_related(*SCOPE_RELATIONS, "granted_by"),
        "can_change": _can_change(request.user, account),
        "breadcrumb_data": _user_breadcrumb(str(account)),
    }
    return render(request, "accounts/user_detail.html", context)


def user_invite(request: HttpRequest) -> HttpResponse:
    _require_account_manager(request.user)
    form = InvitationForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.invite_user(
                by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                **form.role_kwargs(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Invitation envoyée à {assignment.user.email}.")
            return redirect("accounts:user_detail", pk=assignment.user_id)
    context = {"title": "Inviter une personne", "form": form, "breadcrumb_data": _user_breadcrumb("Inviter")}
    return render(request, "accounts/user_invite.html", context)


def user_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(request, pk)
    _require_can_change(request.user, account)
    form = RoleForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.grant_role(by=request.user, user=account, **form.role_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Rôle ajouté : {assignment.get_role_display()} — {assignment.scope_label}.")
            return redirect("accounts:user_detail", pk=account.pk)
    context = {
        "title": f"Ajouter un rôle à {account}",
        "account": account,
        "form": form,
        "breadcrumb_data": _user_breadcrumb("Ajouter un rôle", account),
    }
    return render(request, "accounts/user_role_add.html", context)


def user_role_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    account = _managed_user(request, pk)
    assignment = get_object_or_404(
        Assignment.objects.managed_by(request.user).filter(user=account).select_related(*SCOPE_RELATIONS),
        pk=assignment_pk,
    )
    _require_can_change(request.user, account)
    if request.method == "POST":
        assignment.delete()
        messages.success(request, f"Rôle retiré : {assignment.get_role_display()} — {assignment.scope_label}.")
        return redirect("accounts:user_detail", pk=account.pk)
    context = {
        "title": "Retirer un rôle",
        "account": account,
        "assignment": assignment,
        "breadcrumb_data": _user_breadcrumb("Retirer un rôle", account),
    }
    return render(request, "accounts/user_role_remove.html", context)


def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(request, pk)
    _require_can_change(request.user, account)
    if not account.is_active:
        messages.info(request, "Ce compte est déjà désactivé.")
        return redirect("accounts:user_detail", pk=account.pk)
    if request.method == "POST":
        account.deactivate(by=request.user)
        messages.success(request, f"Le compte de {account} est désactivé ; ses jetons d’API sont révoqués.")
        return redirect("accounts:user_detail", pk=account.pk)
    context = {
        "title": "Désactiver un compte",
        "account": account,
        "breadcrumb_data": _user_breadcrumb("Désactiver", account),
    }
    return render(request, "accounts/user_deactivate.html", context)


@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(request, pk)
    _require_can_change(request.user, account)
    if account.is_active:
        messages.info(request, "Ce compte est déjà actif.")
    else:
        account.reactivate()
        messages.success(request, f"Le compte de {account} est réactivé.")
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
def user_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(request, pk)
    try:
        services.resend_invitation(by=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invitation renvoyée à {account.email}.")
    return redirect("accounts:user_detail", pk=account.pk)
