"""The yearly operational loop: plans of actions with targets, the activities that really
happened, what they count toward, and their attachments.

A school year is stored as the calendar year it starts in (``2025`` is 2025–2026, see
``partenariats.core.school_year``). Indicators are computed from these records by the
``indicators`` app, in the database.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partenariats.conventions.models import (
    Article,
    Audience,
    Commitment,
    Convention,
    ConventionKind,
    Party,
    Programme,
    federation_members,
)
from partenariats.core.access import scope_of
from partenariats.core.cache import scope_key, versioned
from partenariats.core.models import TimeStampedModel
from partenariats.core.school_year import SchoolYear
from partenariats.directory.models import Organisation, Person
from partenariats.territories.models import Academy, Basin


class Metric(models.TextChoices):
    """What a target counts, and what the activities realise against it."""

    PUPILS = "pupils", "Participations d’élèves"
    CLASSES = "classes", "Classes"
    SCHOOLS = "schools", "Établissements"
    COMPANIES = "companies", "Entreprises"
    PROFESSIONALS = "professionals", "Professionnels"
    TEACHERS = "teachers", "Enseignants"
    EVENTS = "events", "Actions réalisées"
    HOURS = "hours", "Heures"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    ADOPTED = "adopted", "Adopté"


class PlanQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanQuerySet":
        return self.filter(convention__in=Convention.objects.for_user(user))

    def editable_by(self, user) -> "PlanQuerySet":
        return self.filter(convention__in=Convention.objects.editable_by(user))


class Plan(TimeStampedModel):
    """The plan de partenariat (plan d’action) of a convention for one school year."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.PROTECT, related_name="plans"
    )
    school_year = models.PositiveSmallIntegerField("année scolaire (année de la rentrée)")
    status = models.CharField("statut", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    adopted_on = models.DateField("adopté le", null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", verbose_name="repris du plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField("commentaire", blank=True)
    version = models.PositiveIntegerField("version", default=1)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "plan de partenariat"
        verbose_name_plural = "plans de partenariat"
        ordering = ["convention", "-school_year"]
        constraints = [models.UniqueConstraint(fields=["convention", "school_year"], name="plan_unique_year")]

    def __str__(self):
        return f"Plan {self.year.label} – {self.convention}"

    @property
    def year(self) -> SchoolYear:
        return SchoolYear(self.school_year)

    def get_absolute_url(self):
        return reverse("activities:plan_detail", args=[self.convention_id, self.school_year])


class Action(models.Model):
    """A numbered action of a plan: what the parties will do, for whom, when, and how much."""

    plan = models.ForeignKey(Plan, verbose_name="plan", on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    article = models.ForeignKey(
        Article,
        verbose_name="axe (article mis en œuvre)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    commitments = models.ManyToManyField(
        Commitment, verbose_name="engagements servis", blank=True, related_name="actions"
    )
    objective = models.TextField("objectif", blank=True)
    audiences = models.ManyToManyField(Audience, verbose_name="publics visés", blank=True, related_name="+")
    programmes = models.ManyToManyField(Programme, verbose_name="dispositifs", blank=True, related_name="+")
    start_wording = models.CharField(
        "calendrier (tel que rédigé)",
        max_length=200,
        blank=True,
        help_text="« Rentrée scolaire 2025–2026 », « 1er trimestre 2026 », « novembre 2025 », une date…",
    )
    starts_on = models.DateField("du", null=True, blank=True)
    ends_on = models.DateField("au", null=True, blank=True)
    owner_party = models.ForeignKey(
        Party, verbose_name="partie pilote", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField("pilote (personne ou service)", max_length=200, blank=True)
    confidential = models.BooleanField("confidentielle", default=False)
    position = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(m2m_fields=[commitments, audiences, programmes])

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["position", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="action_unique_number")]

    def __str__(self):
        return f"Action {self.number} – {self.title}"


class ActionModality(models.Model):
    """What one party does for an action (« l’académie mobilise… », « l’entreprise accueille… »)."""

    action = models.ForeignKey(Action, verbose_name="action", on_delete=models.CASCADE, related_name="modalities")
    party = models.ForeignKey(Party, verbose_name="partie", on_delete=models.CASCADE, related_name="action_modalities")
    text = models.TextField("modalités")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modalité d’une partie"
        verbose_name_plural = "modalités des parties"
        constraints = [models.UniqueConstraint(fields=["action", "party"], name="modality_unique_party")]


class ActionTarget(models.Model):
    action = models.ForeignKey(Action, verbose_name="action", on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField("indicateur", max_length=15, choices=Metric.choices)
    value = models.PositiveIntegerField("cible")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cible d’une action"
        verbose_name_plural = "cibles des actions"
        constraints = [models.UniqueConstraint(fields=["action", "metric"], name="action_target_unique_metric")]


class CommitmentTarget(models.Model):
    """A commitment's target for a year set explicitly; otherwise it is the sum of its actions' targets."""

    commitment = models.ForeignKey(
        Commitment, verbose_name="engagement", on_delete=models.CASCADE, related_name="targets"
    )
    school_year = models.PositiveSmallIntegerField("année scolaire (année de la rentrée)")
    metric = models.CharField("indicateur", max_length=15, choices=Metric.choices)
    value = models.PositiveIntegerField("cible")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cible d’un engagement"
        verbose_name_plural = "cibles des engagements"
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "school_year", "metric"], name="commitment_target_unique_metric"
            )
        ]


class ActivityKind(models.TextChoices):
    COMPANY_VISIT = "company_visit", "Visite d’entreprise"
    TALK_IN_SCHOOL = "talk_in_school", "Intervention d’un professionnel en établissement"
    FORUM_STAND = "forum_stand", "Stand sur un forum ou un salon"
    OBSERVATION = "observation", "Séquence d’observation en entreprise"
    PLACEMENT = "placement", "Période de formation en milieu professionnel (PFMP) accueillie"
    TEACHER_IMMERSION = "teacher_immersion", "Journée d’immersion d’enseignants"
    EXAM_JURY = "exam_jury", "Participation à un jury d’examen"
    ROOM_LOAN = "room_loan", "Prêt de salle"
    GUIDANCE_EVENT = "guidance_event", "Événement d’orientation"
    COMPETITION = "competition", "Concours"
    MENTORING = "mentoring", "Parrainage, tutorat"
    STAFF_TRAINING = "staff_training", "Formation des personnels"
    PUPIL_VIDEO = "pupil_video", "Vidéo réalisée par des élèves"
    CV_CIRCULATION = "cv_circulation", "Diffusion de CV"
    OTHER = "other", "Autre"


class Level(models.TextChoices):
    """The pupils' level, for the participations by level."""

    PRIMARY = "primary", "École élémentaire"
    SIXIEME = "6e", "6e"
    CINQUIEME = "5e", "5e"
    QUATRIEME = "4e", "4e"
    TROISIEME = "3e", "3e"
    SECONDE_GT = "2nde_gt", "Seconde générale et technologique"
    SECONDE_PRO = "2nde_pro", "Seconde professionnelle"
    PREMIERE = "1re", "Première"
    TERMINALE = "tle", "Terminale"
    CAP = "cap", "CAP"
    POST_BAC = "post_bac", "Post-bac (BTS, classes préparatoires…)"
    APPRENTICES = "apprentices", "Apprentis"
    OTHER = "other", "Autre ou non précisé"


class ActivityQuerySet(models.QuerySet):
    def live(self) -> "ActivityQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def for_user(
        self, user, *, include_withdrawn: bool = False, listing: bool = False, counting: bool = False
    ) -> "ActivityQuerySet":
        """Académie side: the activities of their académies; CLEE: their bassins'; school and
        partner staff: the activities their organisation took part in, or that count toward a
        convention they see. Confidential ones stay with the académie and the organisations
        involved. Withdrawn ones only with ``include_withdrawn``. ``listing``: for a list read in
        order, a page at a time: wide readers read it row by row (see :func:`readable_by`), the
        others from the set of their activities (:func:`gathered_by`). ``counting``: to count them
        all (wide readers hash what is shared with them: row by row, that took 27 s)."""
        base = self if include_withdrawn else self.live()
        if not (listing or counting):
            readable = readable_by(user)
        elif reads_widely(user):
            readable = readable_by(user, row_by_row=listing and not counting)
        else:
            readable = gathered_by(user)
        if readable is not None and not scope_of(user).has_role:
            return self.none()
        return base if readable is None else base.filter(readable)

    def editable_by(self, user, *, include_withdrawn: bool = False) -> "ActivityQuerySet":
        """Académie staff of its académie, CLEE members of its bassin, school staff of a school
        that took part, partner staff of an organisation that took part (withdrawn ones: with
        ``include_withdrawn``, to restore them)."""
        scope = scope_of(user)
        base = self if include_withdrawn else self.live()
        if scope.is_platform_admin:
            return base
        if scope.read_only:
            return self.none()
        return base.filter(
            Q(academy__in=scope.writable_academy_ids)
            | Q(basin__in=scope.basin_ids)
            | _involving(scope.organisation_ids)
        )


class ProbedExists(Exists):
    """An ``EXISTS`` PostgreSQL tests row by row on the link's index: the ``OFFSET`` keeps the
    planner from rewriting it into a hash of every matching row, built before the first row comes.
    What a list read in order needs when its reader shares most activities: it stops after a page."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def reads_widely(user) -> bool:
    """The reader shares a national convention's activities (an académie's staff read them all; a
    partner reads those of the national conventions it is party to): hundreds of thousands at
    national scale, most of any list, which is then read row by row (:class:`ProbedExists`).
    Other readers share few: hashing them once is faster than probing every row of a year."""
    if scope_of(user).academy_ids:
        return True
    # Kept per scope until the data change: a national partner's test takes 13 ms, twice a list.
    national = Convention.objects.for_user(user).filter(kind=ConventionKind.NATIONAL)
    return versioned(lambda: f"reads-widely:{scope_key(user)}", national.exists)


def readable_by(user, *, row_by_row: bool = False) -> Q | None:
    """The condition an activity meets when ``user`` may read it (None: every activity; withdrawn
    ones are left to the caller). ``for_user`` filters with it; the indicators apply it to the
    few activities they count rather than ``pk IN`` every activity the user reads.

    What others share with the reader (through a convention it reads, or a federation's members)
    is an ``EXISTS`` on the link tables: PostgreSQL then chooses, by the number of activities to
    test, between probing the link's index for each (one activity's page: milliseconds) and
    hashing every shared activity once (lists and counts). As ``pk IN (subquery)`` it always
    hashed them: close to a million activities shared by the national conventions, read again
    to show one activity (0.7 to 2 s at national scale). ``row_by_row``: always probe
    (:class:`ProbedExists`), for a list read in order by a reader who shares most activities."""
    scope = scope_of(user)
    if scope.is_platform_admin:
        return None
    if not scope.has_role:
        return Q(pk__in=[])
    exists = ProbedExists if row_by_row else Exists
    own = Q(academy__in=scope.academy_ids) | Q(basin__in=scope.basin_ids) | _involving(scope.organisation_ids, exists)
    readable = Convention.objects.for_user(user).values("pk")
    counted = Contribution.objects.filter(activity=OuterRef("pk"), confirmed=True, convention__in=readable)
    shared = Q(exists(counted), confidential=False)
    if not scope.federation_ids:
        return own | shared
    members = federation_members(scope.federation_ids)
    links = Activity.organisations.through.objects.filter(activity=OuterRef("pk"), organisation__in=members)
    return own | shared | Q(exists(links), confidential=False)


def gathered_by(user) -> Q | None:
    """:func:`readable_by`'s condition as one set of activity ids, gathered on the link tables'
    indexes (``pk IN (… UNION …)``), for the lists of readers who share few activities (a school,
    a company, a federation of a few dozen members: tens to thousands of activities among
    millions). As an ``OR`` of ``EXISTS``, PostgreSQL tests each of the 2,000,000 activities of
    the national data for them (about a second); from the set, it reads only theirs.

    The conventions they read are fetched first (a few dozen at most): in a subquery, their
    number is guessed at thousands, and PostgreSQL then hashes every activity."""
    scope = scope_of(user)
    if scope.is_platform_admin:
        return None
    if not scope.has_role:
        return Q(pk__in=[])
    organisations = scope.organisation_ids
    conventions = list(Convention.objects.for_user(user).values_list("pk", flat=True))
    links = Activity.organisations.through.objects
    sets = []
    if scope.academy_ids:
        sets.append(Activity.objects.filter(academy__in=scope.academy_ids).values("pk"))
    if scope.basin_ids:
        sets.append(Activity.objects.filter(basin__in=scope.basin_ids).values("pk"))
    if organisations:
        sets += [
            ActivityGroup.objects.filter(school__in=organisations).values("activity"),
            links.filter(organisation__in=organisations).values("activity"),
            Activity.objects.filter(recorded_for__in=organisations).values("pk"),
        ]
    if conventions:
        counted = Contribution.objects.filter(confirmed=True, convention__in=conventions)
        sets.append(counted.filter(activity__confidential=False).values("activity"))
    if scope.federation_ids:
        members = federation_members(scope.federation_ids)
        sets.append(links.filter(organisation__in=members, activity__confidential=False).values("activity"))
    if not sets:
        return Q(pk__in=[])
    first, *others = (found.order_by() for found in sets)
    return Q(pk__in=first.union(*others))


def _involving(organisation_ids, exists: type[Exists] = Exists) -> Q:
    """Activities these organisations took part in (pupils of a school, or as a partner) or recorded.

    ``EXISTS`` on the link tables' indexes, as in :func:`readable_by`: no duplicate rows to
    remove, and one activity's page never gathers the 300,000 activities of a national partner."""
    groups = ActivityGroup.objects.filter(activity=OuterRef("pk"), school__in=organisation_ids)
    links = Activity.organisations.through.objects.filter(activity=OuterRef("pk"), organisation__in=organisation_ids)
    return Q(exists(groups)) | Q(exists(links)) | Q(recorded_for__in=organisation_ids)


class Activity(TimeStampedModel):
    """What really happened: a visit, a talk, a stand, a jury… with its counts."""

    kind = models.CharField("type d’activité", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("intitulé", max_length=300)
    starts_on = models.DateField("date (début)")
    ends_on = models.DateField("date de fin", null=True, blank=True)
    school_year = models.PositiveSmallIntegerField("année scolaire", db_index=True, editable=False)
    place = models.CharField("lieu", max_length=255, blank=True)
    academy = models.ForeignKey(
        Academy, verbose_name="académie", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    basin = models.ForeignKey(
        Basin, verbose_name="bassin", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    programme = models.ForeignKey(
        Programme, verbose_name="dispositif", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name="organisations partenaires impliquées",
        blank=True,
        related_name="activities",
        help_text="Entreprises, fédérations, chambres, associations… (les établissements : avec les groupes d’élèves).",
    )
    volunteers = models.ManyToManyField(
        Person, verbose_name="professionnels bénévoles", blank=True, related_name="activities"
    )
    # Counts. Pupil participations are the sum of the groups' pupils (kept here for lists).
    pupil_participations = models.PositiveIntegerField("participations d’élèves", default=0)
    class_count = models.PositiveSmallIntegerField("classes", default=0)
    teacher_count = models.PositiveSmallIntegerField("enseignants", default=0)
    professional_count = models.PositiveSmallIntegerField("professionnels", default=0)
    hours = models.DecimalField("durée (heures)", max_digits=6, decimal_places=1, default=0)
    prepared_with_pupils = models.BooleanField("préparée avec les élèves", default=False)
    exploited_afterwards = models.BooleanField("exploitée ensuite en classe", default=False)
    evaluation = models.TextField("évaluation qualitative", blank=True)
    confidential = models.BooleanField("confidentielle", default=False)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="saisie par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_for = models.ForeignKey(
        Organisation,
        verbose_name="saisie pour",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="L’organisation de la personne qui a saisi (établissement ou partenaire).",
    )
    recorded_via = models.ForeignKey(
        "RecordingLink",
        verbose_name="saisie par lien",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    version = models.PositiveIntegerField("version", default=1)

    history = HistoricalRecords(m2m_fields=[organisations, volunteers])
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité"
        verbose_name_plural = "activités"
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["academy", "school_year"]),
            models.Index(fields=["basin", "school_year"]),
            models.Index(fields=["school_year", "kind"]),
            # The lists' order (newest first), within a year or across them: a page of 50 is
            # read from the index instead of sorting every activity the reader may see.
            models.Index(fields=["school_year", "-starts_on", "-id"], name="activity_year_newest"),
            models.Index(fields=["-starts_on", "-id"], name="activity_newest"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.school_year = SchoolYear.of(self.starts_on).start_year
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "school_year"}
        super().save(*args, **kwargs)

    @property
    def year(self) -> SchoolYear:
        return SchoolYear(self.school_year)

    @property
    def is_prepared_and_exploited(self) -> bool:
        return self.prepared_with_pupils and self.exploited_afterwards


class ActivityGroup(models.Model):
    """A group of pupils who took part: their school, level, class and number."""

    activity = models.ForeignKey(Activity, verbose_name="activité", on_delete=models.CASCADE, related_name="groups")
    school = models.ForeignKey(
        Organisation,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_groups",
    )
    level = models.CharField("niveau", max_length=12, choices=Level.choices, default=Level.OTHER)
    class_name = models.CharField("classe", max_length=100, blank=True)
    pupils = models.PositiveIntegerField("élèves")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "groupe d’élèves"
        verbose_name_plural = "groupes d’élèves"
        ordering = ["pk"]


class Contribution(models.Model):
    """An activity counted toward a convention, and within it an action and/or a commitment.

    Suggested rows (from the organisations and the programme) count only once confirmed by a
    person. An activity may count toward several conventions; totals across conventions still
    count it once.
    """

    activity = models.ForeignKey(
        Activity, verbose_name="activité", on_delete=models.CASCADE, related_name="contributions"
    )
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.PROTECT, related_name="contributions"
    )
    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name="engagement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    confirmed = models.BooleanField("confirmée", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="confirmée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "convention", "action", "commitment"],
                name="contribution_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["convention", "confirmed"]), models.Index(fields=["commitment", "confirmed"])]


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "Photo"
    ATTENDANCE = "attendance", "Feuille d’émargement"
    REPORT = "report", "Compte rendu"
    OTHER = "other", "Autre"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the uploaded name (it may be hostile); the original is kept in ``original_name``.
    return f"activities/{instance.activity_id}/{instance.sha256[:16]}"


class AttachmentQuerySet(models.QuerySet):
    def expired(self, today: date) -> "AttachmentQuerySet":
        return self.filter(retain_until__lt=today)


class Attachment(models.Model):
    """A file of an activity. Those about minors carry consent and a retention date, are shown
    to the activity's parties only, and are purged when the date passes (``purge_attachments``)."""

    activity = models.ForeignKey(
        Activity, verbose_name="activité", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("type", max_length=12, choices=AttachmentKind.choices)
    title = models.CharField("titre", max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=255)
    file = models.FileField("fichier", upload_to=attachment_path, max_length=255)
    content_type = models.CharField("type de contenu", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    concerns_minors = models.BooleanField("concerne des mineurs", default=False)
    consent_obtained = models.BooleanField("autorisations des responsables légaux recueillies", default=False)
    retain_until = models.DateField("à conserver jusqu’au", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    history = HistoricalRecords()
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["-uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concerns_minors=False) | Q(consent_obtained=True, retain_until__isnull=False),
                name="attachment_minors_consent_and_retention",
            )
        ]

    def __str__(self):
        return self.title

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class RecordingLinkQuerySet(models.QuerySet):
    def usable(self, now) -> "RecordingLinkQuerySet":
        return self.filter(revoked_at__isnull=True, used_at__isnull=True, expires_at__gt=now)


class RecordingLink(models.Model):
    """A magic link a coordinator sends to a volunteer without an account: it lets them record
    one activity for one organisation under one convention, until it expires.

    The token is django-sesame's, scoped to this link (``scope``), for a guest account with no
    role and no usable password (``guest``); it is never stored.
    """

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="recording_links"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation du bénévole", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name="bénévole", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField("courriel du bénévole")
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False)
    action = models.ForeignKey(
        Action, verbose_name="action proposée", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField("message au bénévole", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="envoyé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = RecordingLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien de saisie"
        verbose_name_plural = "liens de saisie"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Lien de saisie pour {self.email}"

    @property
    def scope(self) -> str:
        return f"recording-link:{self.pk}"
