"""The directory: organisations (every kind in one model) and the people who work for them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partenariats.core.access import scope_of
from partenariats.core.models import TimeStampedModel
from partenariats.core.text import fold
from partenariats.directory.identifiers import normalize_siret, normalize_uai
from partenariats.directory.validators import validate_siret, validate_uai
from partenariats.territories.models import Academy, Basin


class OrganisationKind(models.TextChoices):
    ACADEMY_SERVICE = "academy_service", "Service académique"
    SCHOOL = "school", "Établissement scolaire"
    COMPANY = "company", "Entreprise"
    EMPLOYER_ORG = "employer_org", "Organisation patronale / fédération"
    CHAMBER = "chamber", "Chambre consulaire"
    ASSOCIATION = "association", "Association"
    PUBLIC_BODY = "public_body", "Organisme public"


class ServiceType(models.TextChoices):
    RECTORAT = "rectorat", "Rectorat"
    DAFPIC = "dafpic", "DAFPIC"
    DAET = "daet", "DAET"
    CASNAV = "casnav", "CASNAV"
    DRAIO = "draio", "DRAIO / CIO"
    DSDEN = "dsden", "DSDEN"
    OTHER = "other", "Autre service"


class SchoolType(models.TextChoices):
    ECOLE = "ecole", "École"
    COLLEGE = "college", "Collège"
    LYCEE = "lycee", "Lycée général et technologique"
    LYCEE_PRO = "lycee_pro", "Lycée professionnel"
    LYCEE_POLY = "lycee_poly", "Lycée polyvalent"
    CFA = "cfa", "CFA"
    EREA = "erea", "EREA"
    OTHER = "other", "Autre"


class Sector(models.TextChoices):
    PUBLIC = "public", "Public"
    PRIVATE = "private", "Privé"


class PriorityEducation(models.TextChoices):
    NONE = "", "Hors éducation prioritaire"
    REP = "rep", "REP"
    REP_PLUS = "rep_plus", "REP+"


class CompanySize(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    MICRO = "micro", "Microentreprise (moins de 10 salariés)"
    SME = "sme", "PME (10 à 249 salariés)"
    MID = "mid", "ETI (250 à 4 999 salariés)"
    LARGE = "large", "Grande entreprise (5 000 salariés et plus)"


# Fields that only make sense for some kinds of organisation; the others leave them empty.
_EMPLOYERS = frozenset(
    {
        OrganisationKind.COMPANY,
        OrganisationKind.EMPLOYER_ORG,
        OrganisationKind.CHAMBER,
        OrganisationKind.ASSOCIATION,
        OrganisationKind.PUBLIC_BODY,
    }
)
KIND_SPECIFIC_FIELDS: dict[str, frozenset[str]] = {
    "service_type": frozenset({OrganisationKind.ACADEMY_SERVICE}),
    "uai": frozenset({OrganisationKind.SCHOOL}),
    "school_type": frozenset({OrganisationKind.SCHOOL}),
    "sector": frozenset({OrganisationKind.SCHOOL}),
    "priority_education": frozenset({OrganisationKind.SCHOOL}),
    "pupil_count": frozenset({OrganisationKind.SCHOOL}),
    "siret": _EMPLOYERS,
    "naf_code": _EMPLOYERS,
    "size": _EMPLOYERS,
    "members": frozenset({OrganisationKind.EMPLOYER_ORG, OrganisationKind.CHAMBER, OrganisationKind.ASSOCIATION}),
}


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> "OrganisationQuerySet":
        """Organisations whose identity the user may read: every one, for any active role."""
        scope = scope_of(user)
        if scope.is_platform_admin or scope.has_role:
            return self
        return self.none()

    def editable_by(self, user) -> "OrganisationQuerySet":
        """Organisations the user may change: those of their académies, bassins or their own."""
        scope = scope_of(user)
        if scope.is_platform_admin:
            return self
        if scope.read_only:
            return self.none()
        return self.filter(
            Q(academy__in=scope.writable_academy_ids) | Q(basin__in=scope.basin_ids) | Q(pk__in=scope.organisation_ids)
        )

    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)

    def search(self, query: str) -> "OrganisationQuerySet":
        """Accent- and case-insensitive search on names, acronyms, cities and identifiers, the
        matches sorted by name.

        On PostgreSQL a trigram index finds the matches (migration 0003), which are then sorted:
        walking the name index instead, PostgreSQL expects the first fifty early, but the 4,500
        lycées of the national data only start after 130,000 other names (0.14 s against 0.007 s).
        Sorting by the name with an empty text appended keeps it from walking that index."""
        words = fold(query).split()
        qs = self
        for word in words:
            qs = qs.filter(search_text__contains=word)
        return qs.order_by(Lower(Concat("name", Value(""))), "pk") if words else qs


class Organisation(TimeStampedModel):
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField("nom", max_length=255)
    acronym = models.CharField("sigle", max_length=50, blank=True)
    # The académie the organisation belongs to (a school, a service) or that registered it.
    academy = models.ForeignKey(
        Academy, verbose_name="académie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    basin = models.ForeignKey(
        Basin, verbose_name="bassin de formation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    address_extra = models.CharField("complément d’adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=150, blank=True)
    department_code = models.CharField("département", max_length=3, blank=True)
    website = models.URLField("site web", blank=True)
    email = models.EmailField("courriel générique", blank=True)
    phone = models.CharField("téléphone du standard", max_length=30, blank=True)

    # académie service
    service_type = models.CharField("service", max_length=10, choices=ServiceType.choices, blank=True)
    # school
    uai = models.CharField("UAI", max_length=8, blank=True, validators=[validate_uai])
    school_type = models.CharField("type d’établissement", max_length=12, choices=SchoolType.choices, blank=True)
    sector = models.CharField("secteur", max_length=8, choices=Sector.choices, blank=True)
    priority_education = models.CharField(
        "éducation prioritaire", max_length=8, choices=PriorityEducation.choices, blank=True
    )
    pupil_count = models.PositiveIntegerField("nombre d’élèves", null=True, blank=True)
    # company
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    size = models.CharField("taille", max_length=6, choices=CompanySize.choices, blank=True)

    members = models.ManyToManyField(
        "self",
        verbose_name="membres",
        symmetrical=False,
        blank=True,
        related_name="federations",
        help_text="Pour une fédération, une chambre ou une organisation patronale : ses adhérents.",
    )
    is_active = models.BooleanField("active", default=True)
    deactivated_on = models.DateField("désactivée le", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionnée dans",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
    )
    search_text = models.TextField(editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["uai"], condition=~Q(uai=""), name="organisation_unique_uai"),
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="organisation_unique_siret"),
        ]
        indexes = [
            models.Index(fields=["kind", "is_active"]),
            models.Index(fields=["academy", "kind"]),
            # The lists' order: read a page along it instead of sorting 200,000 names.
            models.Index(Lower("name"), "id", name="organisation_name_order"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("directory:organisation_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.uai = normalize_uai(self.uai)
        self.siret = normalize_siret(self.siret)
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "uai", "siret"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return fold(" ".join([self.name, self.acronym, self.city, self.postal_code, self.uai, self.siret]))

    @property
    def is_school(self) -> bool:
        return self.kind == OrganisationKind.SCHOOL

    @property
    def is_company(self) -> bool:
        return self.kind == OrganisationKind.COMPANY

    @property
    def can_have_members(self) -> bool:
        return self.kind in KIND_SPECIFIC_FIELDS["members"]

    def field_applies(self, name: str) -> bool:
        """Whether field ``name`` is relevant to this organisation's kind (common fields always are)."""
        return self.kind in KIND_SPECIFIC_FIELDS.get(name, frozenset(OrganisationKind.values))

    def deactivate(self, *, on: datetime.date) -> None:
        """Organisations are never deleted: they stop being offered and listed by default."""
        if not self.is_active:
            return
        self.is_active = False
        self.deactivated_on = on
        self.save(update_fields=["is_active", "deactivated_on", "updated_at"])

    def reactivate(self) -> None:
        if self.is_active:
            return
        if self.merged_into_id:
            raise ValueError("A merged duplicate cannot be reactivated.")
        self.is_active = True
        self.deactivated_on = None
        self.save(update_fields=["is_active", "deactivated_on", "updated_at"])


class PersonRole(models.TextChoices):
    SIGNATORY = "signatory", "Signataire"
    CORRESPONDENT = "correspondent", "Correspondant·e"
    CHARGE_DE_MISSION = "charge_de_mission", "Chargé·e de mission école–entreprise"
    HEAD = "head", "Chef·fe d’établissement"
    REFERENT_TEACHER = "referent_teacher", "Professeur·e référent·e"
    TEACHER = "teacher", "Enseignant·e"
    GUIDANCE = "guidance", "Psychologue de l’Éducation nationale"
    TUTOR = "tutor", "Tuteur·rice"
    VOLUNTEER = "volunteer", "Professionnel·le bénévole"
    EXECUTIVE = "executive", "Dirigeant·e"
    OTHER = "other", "Autre"


class LegalBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "Mission d’intérêt public"
    CONTRACT = "contract", "Exécution de la convention"
    LEGITIMATE_INTEREST = "legitimate_interest", "Intérêt légitime"
    CONSENT = "consent", "Consentement"


class PersonQuerySet(models.QuerySet):
    def for_user(self, user) -> "PersonQuerySet":
        """Contacts are seen only inside the académie that holds them and the organisations they work for."""
        scope = scope_of(user)
        if scope.is_platform_admin:
            return self
        if not scope.has_role:
            return self.none()
        return self.filter(
            Q(academy__in=scope.academy_ids) | Q(memberships__organisation__in=scope.organisation_ids)
        ).distinct()

    def editable_by(self, user) -> "PersonQuerySet":
        scope = scope_of(user)
        if scope.is_platform_admin:
            return self
        if scope.read_only:
            return self.none()
        return self.filter(
            Q(academy__in=scope.writable_academy_ids) | Q(memberships__organisation__in=scope.organisation_ids)
        ).distinct()

    def search(self, query: str) -> "PersonQuerySet":
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Person(TimeStampedModel):
    civility = models.CharField("civilité", max_length=5, choices=[("mme", "Madame"), ("m", "Monsieur")], blank=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    # The académie that holds this contact (who may see it besides the person's organisations).
    academy = models.ForeignKey(
        Academy, verbose_name="académie détentrice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_basis = models.CharField("base légale", max_length=20, choices=LegalBasis.choices)
    data_collected_on = models.DateField("données recueillies le")
    data_source = models.CharField("origine des données", max_length=255, blank=True)
    is_active = models.BooleanField("actif", default=True)
    search_text = models.TextField(editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = [Lower("last_name"), Lower("first_name"), "pk"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("directory:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def deactivate(self) -> None:
        if self.is_active:
            self.is_active = False
            self.save(update_fields=["is_active", "updated_at"])

    def reactivate(self) -> None:
        if not self.is_active:
            self.is_active = True
            self.save(update_fields=["is_active", "updated_at"])

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.first_name} {self.last_name} {self.email}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A person works for an organisation in a role (the title as printed, if any)."""

    person = models.ForeignKey(Person, verbose_name="personne", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=20, choices=PersonRole.choices)
    title = models.CharField(
        "fonction",
        max_length=255,
        blank=True,
        help_text="Telle qu’imprimée, par exemple « Recteur de la région académique ».",
    )
    started_on = models.DateField("depuis le", null=True, blank=True)
    ended_on = models.DateField("jusqu’au", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "role"], name="membership_unique_role")
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}, {self.organisation}"

    def end(self, *, on: datetime.date) -> None:
        """The person no longer works there in this role from ``on``."""
        if self.started_on and on < self.started_on:
            raise ValueError("A membership cannot end before it starts.")
        self.ended_on = on
        self.save(update_fields=["ended_on"])


class NoteQuerySet(models.QuerySet):
    def for_user(self, user) -> "NoteQuerySet":
        """A note is read only inside the académie or organisation that wrote it."""
        scope = scope_of(user)
        if scope.is_platform_admin:
            return self
        return self.filter(Q(owner_academy__in=scope.academy_ids) | Q(owner_organisation__in=scope.organisation_ids))


class Note(TimeStampedModel):
    """A private note about an organisation, owned by an académie or by an organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField("note")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    owner_academy = models.ForeignKey(
        Academy, verbose_name="académie détentrice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation détentrice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = "note"
        verbose_name_plural = "notes"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_academy__isnull=False) | Q(owner_organisation__isnull=False),
                name="note_has_owner",
            )
        ]

    def __str__(self):
        return f"Note sur {self.organisation}"
