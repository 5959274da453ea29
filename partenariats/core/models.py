from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """The version of the records that cached values are computed from, renewed (at random) after
    every committed change (``core.cache``): the values are keyed by it, so every web process sees
    an edit at once."""

    value = models.PositiveBigIntegerField("version", default=0)

    class Meta:
        verbose_name = "version des données"
        verbose_name_plural = "versions des données"

    def __str__(self):
        return f"Version {self.value}"
