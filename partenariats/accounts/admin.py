"""Django's admin, for platform administrators only (the académies use the account screens)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from partenariats.accounts.models import ApiToken, Assignment, User


def platform_admin_only(request: HttpRequest) -> bool:
    """The admin opens to active staff who also hold the platform administrator role."""
    user = request.user
    return user.is_active and user.is_staff and user.scope.is_platform_admin


@login_not_required
def login_through_the_site(request: HttpRequest, extra_context=None) -> HttpResponse:
    """One login page for the whole site (axes, DSFR); a logged-in user without the right is refused."""
    if platform_admin_only(request):
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), resolve_url(settings.LOGIN_URL))


admin.site.has_permission = platform_admin_only
admin.site.login = login_through_the_site
admin.site.site_header = "Administration technique — Partenariats"
admin.site.site_title = "Administration technique"


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["basin", "organisation", "granted_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    inlines = [AssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name", "person")}),
        ("État", {"fields": ("is_active", "deactivated_at", "invited_by")}),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "assignments__role")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    raw_id_fields = ("person", "invited_by")
    readonly_fields = ("last_login", "date_joined", "deactivated_at")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "academy", "basin", "organisation", "manages_accounts", "granted_at")
    list_filter = ("role", "manages_accounts", "region", "academy")
    list_select_related = ("user", "region", "academy", "basin", "organisation")
    search_fields = ("user__email", "user__last_name", "organisation__name")
    raw_id_fields = ("user", "basin", "organisation", "granted_by")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request, obj=None):
        # A token is issued from its owner's profile page, the only place its clear key is shown.
        return False
