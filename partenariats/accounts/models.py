"""Users, their roles and where each role applies, and API tokens."""

import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partenariats.core.access import EMPTY_SCOPE, Scope
from partenariats.directory.models import Organisation
from partenariats.territories.models import AcademicRegion, Academy, Basin


class UserStatus(models.TextChoices):
    ACTIVE = "active", "Actif"
    INVITED = "invited", "Invité·e, jamais connecté·e"
    DEACTIVATED = "deactivated", "Désactivé"


class UserQuerySet(models.QuerySet):
    def managed_by(self, user) -> "UserQuerySet":
        """Users an account manager may see: those holding a role inside the académies they manage."""
        if user.scope.is_platform_admin:
            return self
        return self.filter(pk__in=Assignment.objects.managed_by(user).values("user"))

    def with_status(self, status: str) -> "UserQuerySet":
        if status == UserStatus.DEACTIVATED:
            return self.filter(is_active=False)
        if status == UserStatus.INVITED:
            return self.filter(is_active=True, last_login__isnull=True)
        if status == UserStatus.ACTIVE:
            return self.filter(is_active=True, last_login__isnull=False)
        return self

    def search(self, query: str) -> "UserQuerySet":
        """Every word must appear in the e-mail address, the first name or the last name."""
        qs = self
        for word in query.split():
            qs = qs.filter(Q(email__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return qs


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with an e-mail address."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)
    person = models.OneToOneField(
        "directory.Person",
        verbose_name="fiche contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    invited_by = models.ForeignKey(
        "self", verbose_name="invité·e par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deactivated_at = models.DateTimeField("désactivé le", null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur·rice"
        verbose_name_plural = "utilisateur·rice·s"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @cached_property
    def scope(self) -> Scope:
        """Where this user's active roles apply, computed once per request."""
        if not self.is_active:
            return EMPTY_SCOPE
        return compute_scope(self)

    @property
    def status(self) -> UserStatus:
        if not self.is_active:
            return UserStatus.DEACTIVATED
        if self.last_login is None:
            return UserStatus.INVITED
        return UserStatus.ACTIVE

    @property
    def is_platform_admin(self) -> bool:
        """Holds the platform administrator role (even while deactivated, unlike ``scope``)."""
        return self.assignments.filter(role=Role.PLATFORM_ADMIN).exists()

    def deactivate(self, *, by: "User") -> None:
        self.is_active = False
        self.deactivated_at = timezone.now()
        self.save(update_fields=["is_active", "deactivated_at"])
        self.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    def reactivate(self) -> None:
        self.is_active = True
        self.deactivated_at = None
        self.save(update_fields=["is_active", "deactivated_at"])

    @cached_property
    def role_assignments(self) -> list["Assignment"]:
        """The user's assignments with the places they name: read once per request, for its scope
        and for the académie shown in the header."""
        return list(self.assignments.select_related("academy", "basin__academy", "organisation__academy"))

    @cached_property
    def main_academy(self) -> Academy | None:
        """The académie shown in the header: the first one the user's roles name."""
        for assignment in self.role_assignments:
            if assignment.academy_id:
                return assignment.academy
            if assignment.basin_id:
                return assignment.basin.academy
            if assignment.organisation_id and assignment.organisation.academy_id:
                return assignment.organisation.academy
        return None


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "Administrateur·rice de la plateforme"
    ACADEMY_STAFF = "academy_staff", "Personnel académique"
    CLEE_MEMBER = "clee_member", "Membre de CLEE"
    SCHOOL_STAFF = "school_staff", "Personnel d’établissement"
    PARTNER_STAFF = "partner_staff", "Personnel d’un partenaire"
    OBSERVER = "observer", "Observateur·rice (lecture seule)"


# Which scope field each role needs: exactly one of them must be set.
ROLE_SCOPES: dict[str, tuple[str, ...]] = {
    Role.PLATFORM_ADMIN: (),
    Role.ACADEMY_STAFF: ("academy", "region"),
    Role.CLEE_MEMBER: ("basin",),
    Role.SCHOOL_STAFF: ("organisation",),
    Role.PARTNER_STAFF: ("organisation",),
    Role.OBSERVER: ("academy", "region"),
}


class AssignmentQuerySet(models.QuerySet):
    def managed_by(self, user) -> "AssignmentQuerySet":
        """Assignments an académie admin may see and change: those inside the académies they manage."""
        scope = user.scope
        if scope.is_platform_admin:
            return self
        academies = scope.managed_academy_ids
        return self.filter(
            Q(region__in=regions_within(academies))
            | Q(academy__in=academies)
            | Q(basin__academy__in=academies)
            | Q(organisation__academy__in=academies)
        ).exclude(role=Role.PLATFORM_ADMIN)


def regions_within(academy_ids) -> models.QuerySet[AcademicRegion]:
    """Régions académiques all of whose académies are among ``academy_ids``."""
    return AcademicRegion.objects.filter(pk__in=Academy.objects.filter(pk__in=academy_ids).values("region")).exclude(
        pk__in=Academy.objects.exclude(pk__in=academy_ids).values("region")
    )


class Assignment(models.Model):
    """One role of one user, with where it applies."""

    user = models.ForeignKey(
        User, verbose_name="utilisateur·rice", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        AcademicRegion,
        verbose_name="région académique",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    academy = models.ForeignKey(
        Academy, verbose_name="académie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basin = models.ForeignKey(
        Basin, verbose_name="bassin", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manages_accounts = models.BooleanField(
        "gère les comptes",
        default=False,
        help_text="Peut inviter des personnes, attribuer des rôles et désactiver des comptes dans son périmètre.",
    )
    granted_by = models.ForeignKey(
        User, verbose_name="attribué par", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField("attribué le", default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rôle attribué"
        verbose_name_plural = "rôles attribués"
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="assignment_scope_matches_role",
                condition=(
                    Q(role=Role.PLATFORM_ADMIN, region=None, academy=None, basin=None, organisation=None)
                    | Q(role__in=[Role.ACADEMY_STAFF, Role.OBSERVER], basin=None, organisation=None)
                    & (Q(region__isnull=False, academy=None) | Q(region=None, academy__isnull=False))
                    | Q(role=Role.CLEE_MEMBER, region=None, academy=None, basin__isnull=False, organisation=None)
                    | Q(
                        role__in=[Role.SCHOOL_STAFF, Role.PARTNER_STAFF],
                        region=None,
                        academy=None,
                        basin=None,
                        organisation__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self):
        where = self.region or self.academy or self.basin or self.organisation
        return f"{self.get_role_display()} — {where}" if where else self.get_role_display()

    @property
    def scope_label(self) -> str:
        where = self.region or self.academy or self.basin or self.organisation
        return str(where) if where else "Toute la plateforme"

    def academy_ids(self) -> set[int]:
        """The académies this role's scope lies in (all those of a région académique)."""
        if self.region_id:
            return set(Academy.objects.filter(region=self.region_id).values_list("pk", flat=True))
        if self.academy_id:
            return {self.academy_id}
        if self.basin_id:
            return {self.basin.academy_id}
        if self.organisation_id and self.organisation.academy_id:
            return {self.organisation.academy_id}
        return set()

    def is_manageable_by(self, user: User) -> bool:
        """A platform admin manages every role; an académie admin those wholly inside the académies they manage."""
        scope = user.scope
        if scope.is_platform_admin:
            return True
        if self.role == Role.PLATFORM_ADMIN:
            return False
        academies = self.academy_ids()
        return bool(academies) and academies <= scope.managed_academy_ids


def compute_scope(user: User) -> Scope:
    """Fold a user's role assignments into one :class:`Scope` (two queries at most).

    A federation's members are not listed here (tens of thousands at national scale): the
    querysets join them in the database through ``Scope.federation_ids``."""
    assignments = user.role_assignments
    if not assignments:
        return EMPTY_SCOPE
    if any(a.role == Role.PLATFORM_ADMIN for a in assignments):
        return Scope(is_platform_admin=True, has_role=True, read_only=False)

    region_ids = {a.region_id for a in assignments if a.region_id}
    region_academies: dict[int, set[int]] = {}
    if region_ids:
        for academy_id, region_id in Academy.objects.filter(region__in=region_ids).values_list("pk", "region_id"):
            region_academies.setdefault(region_id, set()).add(academy_id)

    readable, writable, managed, basins, organisations = set(), set(), set(), set(), set()
    for a in assignments:
        academies = (
            region_academies.get(a.region_id, set()) if a.region_id else {a.academy_id} if a.academy_id else set()
        )
        if a.role in (Role.ACADEMY_STAFF, Role.OBSERVER):
            readable |= academies
            if a.role == Role.ACADEMY_STAFF:
                writable |= academies
                if a.manages_accounts:
                    managed |= academies
        elif a.role == Role.CLEE_MEMBER:
            readable.add(a.basin.academy_id)
            basins.add(a.basin_id)
        elif a.role in (Role.SCHOOL_STAFF, Role.PARTNER_STAFF):
            organisations.add(a.organisation_id)

    federations = {a.organisation_id for a in assignments if a.organisation_id and a.organisation.can_have_members}
    read_only = all(a.role == Role.OBSERVER for a in assignments)
    return Scope(
        academy_ids=frozenset(readable),
        writable_academy_ids=frozenset(writable),
        managed_academy_ids=frozenset(managed),
        basin_ids=frozenset(basins),
        organisation_ids=frozenset(organisations),
        federation_ids=frozenset(federations),
        has_role=True,
        read_only=read_only,
    )


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A secret that authenticates API calls as its user; only its hash is stored."""

    user = models.ForeignKey(User, verbose_name="utilisateur·rice", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("début du jeton", max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’API"
        verbose_name_plural = "jetons d’API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token; the clear key is returned once and never stored."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=cls.hash_key(key))
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
