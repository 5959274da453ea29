"""Import jobs: one uploaded convention file, read in the background by the reader, then
reviewed by the person who uploaded it and saved as a convention."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from partenariats.core.access import scope_of
from partenariats.territories.models import Academy


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    RUNNING = "running", "Lecture en cours"
    READY = "ready", "À vérifier"
    FAILED = "failed", "Échec"
    SAVED = "saved", "Enregistrée"
    CANCELLED = "cancelled", "Annulée"


# The DSFR badge of each status, wherever a job's status is shown.
STATUS_BADGES = {
    ImportStatus.QUEUED: "fr-badge--new",
    ImportStatus.RUNNING: "fr-badge--info",
    ImportStatus.READY: "fr-badge--warning",
    ImportStatus.FAILED: "fr-badge--error",
    ImportStatus.SAVED: "fr-badge--success",
    ImportStatus.CANCELLED: "",
}
# A job in one of these states may still be cancelled (before saving).
CANCELLABLE = (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.READY, ImportStatus.FAILED)


def job_path(instance: "ImportJob", filename: str) -> str:
    # Never the uploaded name (it may be hostile): a random one, under the académie.
    return f"intake/{instance.academy_id or 0}/{uuid.uuid4().hex}"


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> "ImportJobQuerySet":
        """A job is seen by its creator only (it holds a convention not yet registered)."""
        if user is None or not getattr(user, "is_authenticated", False) or not scope_of(user).has_role:
            return self.none()
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One convention file on its way into the registry: queued → running → ready → saved."""

    academy = models.ForeignKey(
        Academy, verbose_name="académie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", on_delete=models.CASCADE, related_name="import_jobs"
    )
    file = models.FileField("fichier", upload_to=job_path, max_length=255, blank=True)
    original_name = models.CharField("nom du fichier déposé", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    status = models.CharField(
        "statut", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    progress_label = models.CharField("étape", max_length=200, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    max_attempts = models.PositiveSmallIntegerField("tentatives au plus", default=3)
    error = models.TextField("erreur", blank=True)
    result = models.JSONField("lecture", null=True, blank=True)
    convention = models.ForeignKey(
        "conventions.Convention",
        verbose_name="convention enregistrée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    enqueued_at = models.DateTimeField("mis en file le", null=True, blank=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "import de convention"
        verbose_name_plural = "imports de conventions"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"Import de « {self.original_name} »"

    def get_absolute_url(self):
        return reverse("intake:job_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def is_cancellable(self) -> bool:
        return self.status in CANCELLABLE

    @property
    def badge_class(self) -> str:
        return STATUS_BADGES.get(self.status, "")
